//! The knowledge pages, read as a visitor reads them: a study with its customer journey (journey
//! map, emotion curve, insights, ideas in their buckets and who adopted them), and what is known
//! about a target group. Never a study the visitor may not see.

use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app};
use crate::pages::{assert_accessible_and_self_contained, get, number, ok};

const ZOETERMEER_STUDY: &str = "Klantreis: Ontmoeten door en voor ouderen";
const FLEVOLAND_STUDY: &str = "Klantreis: voorleesactiviteiten voor laagtalige ouders en kinderen tot 8 jaar";
const LELYKRACHT_STUDY: &str = "Behoeftenonderzoek Lelykracht onder inwoners van Lelystad";
const EMMEN_STUDY: &str = "Klantgesprekken in de Bredebieb Academy Emmen";
const DBIEB_STUDY: &str = "Wijkanalyse Midden-Fryslân: doelgroepen per wijk in beeld";

/// The stages of Zoetermeer's journey, in order, with their emotion scores as the page writes them.
const ZOETERMEER_STAGES: [(&str, &str); 5] = [
    ("Oriëntatie", "0"),
    ("Aanmelden", "0"),
    ("Voor de activiteit", "−1"),
    ("Tijdens de activiteit", "+1"),
    ("Na afloop", "−1"),
];

/// The address of a study's page, found by its title as a caller with this token sees it.
async fn study_page(app: &TestApp, title: &str, token: Option<&str>) -> String {
    let body = app.graphql("{ studies(first: 100) { nodes { id title } } }", json!({}), token).await;
    let id = data(&body)["studies"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("{title} is not among the studies this caller sees: {body}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    format!("/onderzoek/{}", number(&id))
}

#[tokio::test]
async fn knowledge_pages_are_dutch_and_load_nothing_from_another_origin() {
    let app = spawn_app().await;
    let mut pages = Vec::new();
    for title in [ZOETERMEER_STUDY, FLEVOLAND_STUDY, LELYKRACHT_STUDY] {
        pages.push(study_page(&app, title, None).await);
    }
    pages.extend(
        ["/doelgroepen/SENIORS", "/doelgroepen/ALL_RESIDENTS", "/doelgroepen/SENIORS_LESS_SELF_RELIANT"]
            .map(String::from),
    );
    for path in &pages {
        let page = ok(&app, path).await;
        assert_accessible_and_self_contained(&app, path, &page).await;
    }
}

#[tokio::test]
async fn a_study_shows_who_did_it_how_and_how_fresh_it_is() {
    let app = spawn_app().await;
    // The library's page links the study; the link leads here.
    let library = ok(&app, "/bibliotheken/bibliotheek-zoetermeer").await;
    let path = library.links_named("section[aria-labelledby=onderzoek]", ZOETERMEER_STUDY).remove(0);
    assert_eq!(path, study_page(&app, ZOETERMEER_STUDY, None).await);
    let page = ok(&app, &path).await;
    assert_eq!(page.text("h1"), ZOETERMEER_STUDY);
    assert!(page.text("head > title").starts_with(ZOETERMEER_STUDY), "{}", page.text("head > title"));
    for (term, expected) in [
        ("Opdrachtgever", "Bibliotheek Zoetermeer"),
        ("Uitgevoerd door", "Probiblio"),
        ("Methoden", "Interviews, Co-creatie, Klantreis"),
        ("Periode", "17 januari 2022 tot en met 31 mei 2022"),
        ("Deelnemers", "12"),
        ("Doelgroepen", "Ouderen"),
        ("Zichtbaarheid", "Openbaar"),
        ("Geldig tot en met", "31 mei 2027 (actueel)"),
    ] {
        assert_eq!(page.fact(term), expected, "{term}");
    }
    assert!(page.fact("Onderbouwing").ends_with("onderbouwd"), "{}", page.fact("Onderbouwing"));
    assert!(!page.main().contains("Verouderd"), "{}", page.main());
    let facts_links = page.attributes("main > .registry-facts a", "href");
    for href in ["/bibliotheken/bibliotheek-zoetermeer", "/organisaties/probiblio", "/doelgroepen/SENIORS"] {
        assert!(facts_links.contains(&href.to_string()), "{href}: {facts_links:?}");
    }
    // The propositions it informs link to their pages.
    let informed = page.text("section[aria-labelledby=aanbod]");
    assert!(informed.contains("Ontmoeten door en voor ouderen"), "{informed}");
    let proposition = page.links_named("section[aria-labelledby=aanbod]", "Ontmoeten door en voor ouderen");
    assert!(proposition[0].starts_with("/aanbod/"), "{proposition:?}");
    ok(&app, &proposition[0]).await;
    // The page as schema.org data and as a GraphQL question.
    let data: Value = serde_json::from_str(&page.texts("script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(data["@type"], "CreativeWork");
    assert_eq!(data["name"], ZOETERMEER_STUDY);
    assert_eq!(data["author"][0]["name"], "Probiblio");
    assert_eq!(page.attributes("link[rel=canonical]", "href"), vec![path.clone()]);
    assert!(page.text("footer details").contains("study(id: $id)"), "{}", page.text("footer"));

    // A study past its date says so.
    let stale = ok(&app, &study_page(&app, LELYKRACHT_STUDY, None).await).await;
    assert!(stale.text("[role=note]").contains("Verouderd onderzoek"), "{}", stale.main());
    assert_eq!(stale.fact("Geldig tot en met"), "30 juni 2019 Verouderd");
}

#[tokio::test]
async fn a_study_draws_its_customer_journey_as_a_map_and_an_emotion_curve() {
    let app = spawn_app().await;
    let page = ok(&app, &study_page(&app, ZOETERMEER_STUDY, None).await).await;
    let journey = "section.registry-journey";
    assert!(page.text(&format!("{journey} h3")).contains("Ontmoeten door en voor ouderen in Bibliotheek Zoetermeer"));

    // The map: a column per stage, in order, each with its touchpoints, pains, gains and quotes.
    let names = page.texts(&format!("{journey} .registry-stage__name"));
    let expected: Vec<String> =
        ZOETERMEER_STAGES.iter().enumerate().map(|(i, (name, _))| format!("Fase {} {name}", i + 1)).collect();
    assert_eq!(names, expected);
    let stages = page.texts(&format!("{journey} li.registry-stage"));
    assert!(stages[0].contains("Contactmomenten") && stages[0].contains("Activiteitenagenda op de website"));
    assert!(stages[2].contains("Pijnen") && stages[2].contains("Weinig ruimte voor interactie tussen aanwezigen"));
    assert!(stages[2].contains("Winsten") && stages[2].contains("Een knikje van een medewerker"));
    assert!(stages[2].contains("babbeltje te maken"), "the quote: {}", stages[2]);
    assert!(stages[2].contains("een deelnemer van het onderzoek"), "{}", stages[2]);
    assert_eq!(page.attributes(".registry-journey__scroll", "tabindex"), ["0"], "the scrolling map takes focus");

    // The curve: an image with a name and description, a point per stage, higher when happier.
    let svg = "svg.registry-emotion";
    assert_eq!(page.attributes(svg, "role"), ["img"]);
    assert!(page.text(&format!("{svg} > title")).contains("Emotiecurve"));
    let desc = page.text(&format!("{svg} > desc"));
    assert!(desc.contains("Voor de activiteit −1") && desc.contains("Tijdens de activiteit +1"), "{desc}");
    let ys: Vec<i64> = page.attributes(&format!("{svg} circle"), "cy").iter().map(|y| y.parse().unwrap()).collect();
    assert_eq!(ys.len(), ZOETERMEER_STAGES.len(), "one point per stage");
    assert_eq!(ys[0], ys[1], "two neutral stages level");
    assert!(ys[3] < ys[0] && ys[0] < ys[2], "+1 above 0 above −1 (SVG's y grows down): {ys:?}");
    assert_eq!(ys[2], ys[4]);
    let xs: Vec<i64> = page.attributes(&format!("{svg} circle"), "cx").iter().map(|x| x.parse().unwrap()).collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "stages left to right: {xs:?}");
    let points = page.texts(&format!("{svg} circle > title"));
    assert_eq!(points[3], "Tijdens de activiteit: +1 (positief)");
    // Axis labels: the scores on the left, the stages along the bottom.
    let axis = page.text(&format!("{svg} .registry-emotion__grid"));
    for label in ["+2 Zeer positief", "0 Neutraal", "−2 Zeer negatief"] {
        assert!(axis.contains(label), "{label}: {axis}");
    }
    let stage_labels = page.text(&format!("{svg} .registry-emotion__stages"));
    assert!(stage_labels.contains("Oriëntatie") && stage_labels.contains("Na afloop"), "{stage_labels}");
    assert_eq!(page.attributes(&format!("{svg} path"), "d")[0].matches('L').count(), 4, "one line through all five");

    // The same numbers in a table.
    let rows = page.texts("table.registry-emotion-table tbody tr");
    let expected: Vec<String> = ZOETERMEER_STAGES
        .iter()
        .map(|(name, score)| {
            let feeling = match *score {
                "0" => "Neutraal",
                "+1" => "Positief",
                _ => "Negatief",
            };
            format!("{name} {score} {feeling}")
        })
        .collect();
    assert_eq!(rows, expected);
}

#[tokio::test]
async fn a_study_ranks_its_ideas_in_three_buckets_with_the_libraries_that_adopted_them() {
    let app = spawn_app().await;
    let page = ok(&app, &study_page(&app, ZOETERMEER_STUDY, None).await).await;
    let buckets = page.texts("section[aria-labelledby=verbeterideeen] h3");
    assert_eq!(buckets, ["Meteen doen 3", "Later oppakken 2", "Overwegen 1"]);
    let now = "section[aria-labelledby=meteen-doen]";
    let later = "section[aria-labelledby=later-oppakken]";
    let consider = "section[aria-labelledby=overwegen]";
    assert!(page.text(now).contains("Bewust ruimte voor interactie rondom activiteiten"));
    assert!(page.text(later).contains("Serie activiteiten rond één thema"));
    assert!(page.text(consider).contains("Een huiskamersfeer als ontspannen omgeving voor een gesprekje"));
    assert!(!page.text(now).contains("Activiteiten-strippenkaart"));

    // The punch card: later, taken up by Zoetermeer and being carried out.
    let card = page.item_with_heading(later, "Activiteiten-strippenkaart");
    assert!(card.contains("Overgenomen door: Bibliotheek Zoetermeer: Bezig"), "{card}");
    assert!(page.links_named(later, "Bibliotheek Zoetermeer").contains(&"/bibliotheken/bibliotheek-zoetermeer".into()));
    // The checklist: done, in Zoetermeer's meeting proposition.
    let checklist =
        page.item_with_heading(now, "'Interactie (voor/tijdens/na activiteit)' op de checklist voor programmeurs");
    assert!(checklist.contains("Bibliotheek Zoetermeer: Gedaan, in Ontmoeten door en voor ouderen"), "{checklist}");
    assert!(page.links_named(now, "Ontmoeten door en voor ouderen")[0].starts_with("/aanbod/"));
    // An idea nobody took up says so.
    let series = page.item_with_heading(later, "Serie activiteiten rond één thema");
    assert!(series.contains("Nog door geen bibliotheek overgenomen"), "{series}");

    // The insights, each with how strongly it is supported.
    let insights = page.texts("section[aria-labelledby=inzichten] li.registry-insight");
    assert_eq!(insights.len(), 3, "{insights:?}");
    assert!(insights.iter().any(|i| i.contains("Er is niet altijd voldoende ruimte voor het sociale aspect")));
    assert!(insights.iter().all(|i| i.contains("onderbouwd")), "{insights:?}");
    assert!(insights.iter().any(|i| i.contains("uit de fase Voor de activiteit")), "{insights:?}");
}

#[tokio::test]
async fn a_superseded_insight_is_marked_on_its_study_and_left_out_of_its_target_group() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let old_statement = "Behoeften van ouderen rondom ontmoeten verschillen sterk.";
    let body = app
        .graphql(
            "{ studies(first: 100) { nodes { id title insights { id statement version } } } }",
            json!({}),
            Some(&editor),
        )
        .await;
    let study = data(&body)["studies"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == ZOETERMEER_STUDY)
        .unwrap()
        .clone();
    let old = study["insights"].as_array().unwrap().iter().find(|i| i["statement"] == old_statement).unwrap().clone();
    let new_statement =
        "Ouderen zoeken in de bibliotheek drie dingen: onder de mensen zijn, bekende gezichten, of nieuwe vrienden.";
    let created = app
        .graphql(
            "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id } } }",
            json!({ "input": { "studyId": study["id"], "statement": new_statement, "targetGroupCodes": ["SENIORS"] } }),
            Some(&editor),
        )
        .await;
    let new_id = data(&created)["createInsight"]["insight"]["id"].clone();
    let superseded = app
        .graphql(
            "mutation($input: SupersedeInsightInput!) { supersedeInsight(input: $input) { insight { state } } }",
            json!({ "input": { "id": old["id"], "supersededById": new_id, "expectedVersion": old["version"] } }),
            Some(&editor),
        )
        .await;
    assert_eq!(data(&superseded)["supersedeInsight"]["insight"]["state"], "SUPERSEDED");

    let page = ok(&app, &study_page(&app, ZOETERMEER_STUDY, None).await).await;
    let current =
        page.text("section[aria-labelledby=inzichten] > ul.registry-insights:not(.registry-insights--superseded)");
    assert!(current.contains(new_statement) && !current.contains(old_statement), "{current}");
    let replaced = page.text(".registry-insights--superseded");
    assert!(replaced.contains("Vervangen") && replaced.contains(old_statement), "{replaced}");
    assert!(replaced.contains(&format!("Vervangen door: {new_statement}")), "{replaced}");
    assert_eq!(page.texts(".registry-insights--superseded del"), [old_statement]);

    let seniors = ok(&app, "/doelgroepen/SENIORS").await;
    let insights = seniors.text("section[aria-labelledby=inzichten]");
    assert!(insights.contains(new_statement) && !insights.contains(old_statement), "{insights}");
}

#[tokio::test]
async fn private_and_network_studies_are_not_found_for_the_anonymous_visitor() {
    let app = spawn_app().await;
    let emmen = study_page(&app, EMMEN_STUDY, Some(&app.editor("bibliotheek-emmen"))).await;
    let dbieb = study_page(&app, DBIEB_STUDY, Some(&app.editor("dbieb"))).await;
    for (path, title) in [(&emmen, EMMEN_STUDY), (&dbieb, DBIEB_STUDY)] {
        let page = get(&app, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert_eq!(page.text("h1"), "Pagina niet gevonden", "{path}");
        assert_eq!(page.attributes("html", "lang"), ["nl"], "{path}");
        let everything = page.text("html");
        assert!(!everything.contains(title), "{path} shows {title}");
    }
    // Nor do they appear on a target group they concern.
    let residents = ok(&app, "/doelgroepen/ALL_RESIDENTS").await;
    assert!(residents.main().contains(LELYKRACHT_STUDY), "{}", residents.main());
    for title in [EMMEN_STUDY, DBIEB_STUDY] {
        assert!(!residents.main().contains(title), "{title} on {}", residents.main());
    }
    for path in ["/onderzoek/999999", "/onderzoek/abc", "/onderzoek/0", "/onderzoek/-1"] {
        assert_eq!(get(&app, path).await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn a_target_group_shows_its_studies_insights_adopted_ideas_and_offer() {
    let app = spawn_app().await;
    let page = ok(&app, "/doelgroepen/SENIORS").await;
    assert_eq!(page.text("h1"), "Ouderen");
    assert!(page.main().contains("Ouderen, globaal vanaf de pensioenleeftijd."), "{}", page.main());
    assert_eq!(page.fact("Leeftijd"), "Vanaf 65 jaar");
    // Its narrower group, linked; that group's page leads back.
    assert!(
        page.links_named("section[aria-labelledby=smaller]", "Minder redzame ouderen")
            == ["/doelgroepen/SENIORS_LESS_SELF_RELIANT"]
    );
    let narrower = ok(&app, "/doelgroepen/SENIORS_LESS_SELF_RELIANT").await;
    assert_eq!(narrower.attributes("nav.registry-breadcrumb a", "href"), ["/", "/doelgroepen/SENIORS"]);

    // The studies about it, linked to their pages.
    let studies = page.text("section[aria-labelledby=onderzoek]");
    assert!(studies.contains(ZOETERMEER_STUDY), "{studies}");
    assert_eq!(
        page.links_named("section[aria-labelledby=onderzoek]", ZOETERMEER_STUDY),
        [study_page(&app, ZOETERMEER_STUDY, None).await]
    );
    // Its current insights.
    let insights = page.texts("section[aria-labelledby=inzichten] li");
    for statement in [
        "De bibliotheek is een plek om na je pensioen je wereld te verrijken.",
        "Er is niet altijd voldoende ruimte voor het sociale aspect van een activiteit.",
        "Behoeften van ouderen rondom ontmoeten verschillen sterk.",
    ] {
        assert!(insights.iter().any(|i| i.starts_with(statement)), "{statement}: {insights:?}");
    }
    // The ideas libraries took up, with who took them up.
    let ideas = page.texts("section[aria-labelledby=ideeen] tbody tr");
    let card = ideas.iter().find(|r| r.starts_with("Activiteiten-strippenkaart")).expect("the punch card is adopted");
    assert!(card.contains("Bibliotheek Zoetermeer (bezig)") && card.contains("Later oppakken"), "{card}");
    assert!(!ideas.iter().any(|r| r.starts_with("Serie activiteiten rond één thema")), "nobody adopted it: {ideas:?}");
    // The published offer for it, by library.
    let offer = page.text("section[aria-labelledby=aanbod]");
    assert!(
        page.texts("section[aria-labelledby=aanbod] h3").contains(&"Bibliotheek Zoetermeer".to_string()),
        "{offer}"
    );
    assert!(offer.contains("Ontmoeten door en voor ouderen"), "{offer}");
    let links = page.attributes("section[aria-labelledby=aanbod] a", "href");
    assert!(links.contains(&"/bibliotheken/bibliotheek-zoetermeer".to_string()), "{links:?}");
    assert!(links.iter().any(|l| l.starts_with("/aanbod/")), "{links:?}");
    assert!(page.text("footer details").contains("targetGroup(code: $code)"));

    // An unknown group is no page.
    for path in ["/doelgroepen/BESTAAT_NIET", "/doelgroepen/"] {
        let missing = get(&app, path).await;
        assert_eq!(missing.status, 404, "{path}");
        assert_eq!(missing.text("h1"), "Pagina niet gevonden", "{path}");
    }
}

/// The target group page asks `targetGroup(code:)`, the counterpart of `standardProposition(code:)`.
#[tokio::test]
async fn a_target_group_is_found_by_its_code() {
    let app = spawn_app().await;
    let doc = "query($code: String!) { targetGroup(code: $code) { code nameNl parent { code } children { code } } }";
    let body = app.anon(doc, json!({ "code": " seniors " })).await;
    let group = &data(&body)["targetGroup"];
    assert_eq!(group["code"], "SENIORS");
    assert_eq!(group["nameNl"], "Ouderen");
    assert_eq!(group["parent"]["code"], "ADULTS");
    assert_eq!(group["children"], json!([{ "code": "SENIORS_LESS_SELF_RELIANT" }]));
    let missing = app.anon(doc, json!({ "code": "BESTAAT_NIET" })).await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
}
