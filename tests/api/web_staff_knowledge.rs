//! Customer knowledge kept on the web: a library's editor records a study with its journey and
//! stages (added, changed, moved, removed), insights, ideas and links; a stale form names what the
//! other person changed and keeps the person's own; a library takes up another's idea and keeps
//! track of it; a support organisation's advisor records research for its libraries; the doors stay
//! shut to other organisations and to forged forms.

use serde_json::json;

use crate::helpers::{Browser, Page, TestApp, set, spawn_demo_app};

async fn signed_in<'a>(app: &'a TestApp, person: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in_as_demo(person).await;
    browser
}

fn location(page: &Page) -> String {
    assert_eq!(page.status, 303, "a redirect: {}", page.text());
    page.header("location")
}

fn path_of(location: &str) -> String {
    location.split(['?', '#']).next().unwrap().to_string()
}

/// Records a study through the new-study form; its staff page's address.
async fn new_study(browser: &mut Browser<'_>, title: &str) -> String {
    let page = browser.get("/beheer/kennis/nieuw").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let mut form = page.form("/beheer/kennis/nieuw");
    set(&mut form, "title", title);
    set(&mut form, "summary", "Gesprekken met ouderen over digitale hulp");
    set(&mut form, "periodStart", "2026-03-01");
    form.push(("methods".into(), "INTERVIEWS".into()));
    form.push(("targetGroupCodes".into(), "SENIORS".into()));
    set(&mut form, "municipalityCodes", "zoetermeer");
    let to = location(&browser.submit("/beheer/kennis/nieuw", &form).await);
    assert!(to.ends_with("?gedaan=vastgelegd"), "{to}");
    path_of(&to)
}

async fn add_stage(browser: &mut Browser<'_>, journey: &str, name: &str) {
    let action = format!("{journey}/etappes");
    let mut form = browser.get(journey).await.form(&action);
    set(&mut form, "name", name);
    let to = location(&browser.submit(&action, &form).await);
    assert_eq!(path_of(&to), journey);
}

/// The stage names of a journey page, in the order shown.
fn stage_order(page: &Page, names: &[&str]) -> Vec<String> {
    let section = page.body.split("id=\"etappes\"").nth(1).expect("a stages section");
    let mut found: Vec<(usize, String)> = names
        .iter()
        .filter_map(|n| section.find(&format!("<strong lang=\"nl\">{n}</strong>")).map(|i| (i, n.to_string())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, n)| n).collect()
}

#[tokio::test]
async fn an_editor_records_a_study_with_its_journey_stages_insights_ideas_and_links() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;

    let home = editor.get("/beheer/kennis").await;
    assert_eq!(home.status, 200, "{}", home.text());
    assert!(home.text().contains("Klantkennis beheren: Bibliotheek Zoetermeer"), "{}", home.text());
    assert_eq!(home.header("cache-control"), "no-store");
    let offer = editor.get("/beheer/aanbod").await;
    assert!(offer.body.contains("href=\"/beheer/kennis\""), "the offer page leads here");
    let english = editor.get("/en/beheer/kennis").await;
    assert!(english.text().contains("Manage customer knowledge: Bibliotheek Zoetermeer"), "{}", english.text());

    // A required field left empty: the API's message at the field, the person's values kept.
    let mut form = editor.get("/beheer/kennis/nieuw").await.form("/beheer/kennis/nieuw");
    set(&mut form, "title", "Zonder methode");
    set(&mut form, "periodStart", "2026-03-01");
    let refused = editor.submit("/beheer/kennis/nieuw", &form).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("Onderzoeksmethoden"), "{}", refused.text());
    assert!(refused.body.contains("value=\"Zonder methode\""), "kept");

    let study = new_study(&mut editor, "Digitale hulp voor ouderen").await;
    let page = editor.get(&format!("{study}?gedaan=vastgelegd")).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("Het onderzoek is vastgelegd"), "{text}");
    assert!(page.body.contains("value=\"Zoetermeer\"") || text.contains("Zoetermeer"), "the municipality by name");

    // A journey, then three stages; one moved up, one changed, one removed.
    let action = format!("{study}/reizen");
    let mut form = page.form(&action);
    set(&mut form, "title", "Van vraag tot hulp");
    set(&mut form, "targetGroupCode", "SENIORS");
    // A journey needs the service it follows: the API's rule, in the page's words.
    let refused = editor.submit(&action, &form).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("kies de dienst die de reis volgt"), "{}", refused.text());
    assert!(refused.body.contains("value=\"Van vraag tot hulp\""), "the journey's form keeps what was typed");
    set(&mut form, "standardPropositionCode", "HELPDESK_DIGITAL");
    let journey = path_of(&location(&editor.submit(&action, &form).await));
    assert!(journey.starts_with("/beheer/kennis/reizen/"), "{journey}");
    for name in ["Oriëntatie", "Eerste bezoek", "Terugkomen"] {
        add_stage(&mut editor, &journey, name).await;
    }
    let page = editor.get(&journey).await;
    assert_eq!(
        stage_order(&page, &["Oriëntatie", "Eerste bezoek", "Terugkomen"]),
        ["Oriëntatie", "Eerste bezoek", "Terugkomen"]
    );
    let order = format!("{journey}/volgorde");
    let html = page.body.clone();
    let at = html.find("aria-label=\"Omhoog: Eerste bezoek\"").expect("a button to move it up");
    let form_start = html[..at].rfind("<form").unwrap();
    let hidden = Page { status: 200, headers: page.headers.clone(), body: html[form_start..].to_string() };
    let moved = editor.submit(&order, &hidden.form(&order)).await;
    assert!(location(&moved).ends_with("?gedaan=verplaatst"));
    let page = editor.get(&journey).await;
    assert_eq!(
        stage_order(&page, &["Oriëntatie", "Eerste bezoek", "Terugkomen"]),
        ["Eerste bezoek", "Oriëntatie", "Terugkomen"]
    );

    let stage_form = page
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.contains("/etappes/") && !a.ends_with("verwijderen"))
        .expect("a stage's form")
        .to_string();
    let mut fields = page.form(&stage_form);
    set(&mut fields, "emotionScore", "5");
    let bad = editor.submit(&stage_form, &fields).await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(bad.text().contains("Emotie: vul een getal in dat past"), "{}", bad.text());
    set(&mut fields, "emotionScore", "-1");
    set(&mut fields, "pains", "Te veel stappen\r\nDigiD kwijt");
    set(&mut fields, "quotes", "Ik durf het niet alleen — een deelnemer");
    assert!(location(&editor.submit(&stage_form, &fields).await).contains("gedaan=opgeslagen"));
    let page = editor.get(&journey).await;
    assert!(page.body.contains("Te veel stappen\nDigiD kwijt"), "the pains, one a line");
    assert!(page.body.contains("Ik durf het niet alleen — een deelnemer"));

    let remove = page
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .filter(|a| a.ends_with("/verwijderen"))
        .last()
        .expect("a remove button")
        .to_string();
    let at = page.body.find(&format!("action=\"{remove}\"")).unwrap();
    let hidden = Page { status: 200, headers: page.headers.clone(), body: page.body[at - 50..].to_string() };
    let removed = editor.submit(&remove, &hidden.form(&remove)).await;
    assert!(location(&removed).ends_with("?gedaan=verwijderd"), "{}", removed.text());
    let page = editor.get(&journey).await;
    assert_eq!(stage_order(&page, &["Oriëntatie", "Eerste bezoek", "Terugkomen"]), ["Eerste bezoek", "Oriëntatie"]);

    // An insight drawn from a stage, an idea answering it, a link to a standard proposition.
    let page = editor.get(&study).await;
    let action = format!("{study}/inzichten");
    let mut form = page.form(&action);
    set(&mut form, "statement", "Ouderen willen hulp van een vast gezicht");
    // The stages of the study's journeys are offered by journey and name.
    let stage = page
        .body
        .split("id=\"inzicht-nieuw-stageId\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").find(|o| o.contains(">Van vraag tot hulp: Oriëntatie<")))
        .and_then(|o| o.split('"').next())
        .expect("the stage Oriëntatie to choose")
        .to_string();
    set(&mut form, "stageId", &stage);
    set(&mut form, "quotes", "Bij dezelfde persoon voel ik me veilig — een deelnemer");
    let to = location(&editor.submit(&action, &form).await);
    assert!(to.ends_with("#inzichten"), "{to}");
    let page = editor.get(&study).await;
    let action = format!("{study}/ideeen");
    let mut form = page.form(&action);
    set(&mut form, "title", "Vaste digicoaches op dinsdag");
    set(&mut form, "priority", "DO_NOW");
    let insight = page
        .body
        .split("name=\"insightIds\" type=\"checkbox\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the insight to answer")
        .to_string();
    form.push(("insightIds".into(), insight));
    assert!(location(&editor.submit(&action, &form).await).ends_with("#ideeen"));

    let action = format!("{study}/koppelingen");
    let mut form = editor.get(&study).await.form(&action);
    set(&mut form, "relation", "INFORMED_DESIGN_OF");
    set(&mut form, "standardPropositionCode", "HELPDESK_DIGITAL");
    let own = editor.get(&study).await.body;
    let proposition = own
        .split("id=\"koppeling-nieuw-propositionId\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(2))
        .and_then(|s| s.split('"').next())
        .expect("a proposition of the library to choose")
        .to_string();
    let mut both = form.clone();
    set(&mut both, "propositionId", &proposition);
    let refused = editor.submit(&action, &both).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("één van beide"), "{}", refused.text());
    assert!(location(&editor.submit(&action, &form).await).ends_with("#koppelingen"));

    // What the API now holds, as the library's editor reads it.
    let query =
        r#"{ studies(filter: { commissionedBy: ["bibliotheek-zoetermeer"] }, first: 50) { nodes { id title } } }"#;
    let id = app.graphql(query, json!({}), Some(&app.editor("bibliotheek-zoetermeer"))).await;
    let id = id["data"]["studies"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Digitale hulp voor ouderen")
        .expect("the study")["id"]
        .clone();
    let body = app
        .graphql(
            r#"query($id: ID!) { study(id: $id) { visibility methods municipalities { code } targetGroups { code }
                journeys { title stages { name emotionScore pains quotes { text attribution } } }
                insights { statement stage { name } quotes { text attribution } }
                ideas { title priority insights { statement } }
                links { relation standardProposition { code } }
                history(first: 5) { nodes { actorPerson { name } } } } }"#,
            json!({ "id": id }),
            Some(&app.editor("bibliotheek-zoetermeer")),
        )
        .await;
    let s = &body["data"]["study"];
    assert_eq!(s["visibility"], "PRIVATE", "{body}");
    assert_eq!(s["municipalities"], json!([{ "code": "GM0637" }]));
    let stages = &s["journeys"][0]["stages"];
    assert_eq!(stages[0]["name"], "Eerste bezoek");
    assert_eq!(stages[0]["pains"], json!(["Te veel stappen", "DigiD kwijt"]));
    assert_eq!(stages[0]["emotionScore"], -1);
    assert_eq!(stages[0]["quotes"], json!([{ "text": "Ik durf het niet alleen", "attribution": "een deelnemer" }]));
    assert_eq!(stages.as_array().unwrap().len(), 2);
    assert_eq!(s["insights"][0]["statement"], "Ouderen willen hulp van een vast gezicht");
    assert_eq!(s["insights"][0]["stage"]["name"], "Oriëntatie");
    assert_eq!(s["insights"][0]["quotes"][0]["attribution"], "een deelnemer");
    assert_eq!(s["ideas"][0]["priority"], "DO_NOW");
    assert_eq!(s["ideas"][0]["insights"][0]["statement"], "Ouderen willen hulp van een vast gezicht");
    assert_eq!(
        s["links"],
        json!([{ "relation": "INFORMED_DESIGN_OF", "standardProposition": { "code": "HELPDESK_DIGITAL" } }])
    );
    assert_eq!(s["history"]["nodes"][0]["actorPerson"]["name"], "Sanne Jansen (demo)", "the audit names her");
}

#[tokio::test]
async fn a_stale_study_form_names_what_the_other_changed_and_keeps_the_persons_own_changes() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let study = new_study(&mut editor, "Wachtrijen bij de balie").await;
    let mut mine = editor.get(&study).await.form(&study);

    // Someone else saves first: a colleague changes the title.
    let mut colleague = signed_in(&app, "beheerder-zoetermeer").await;
    let mut theirs = colleague.get(&study).await.form(&study);
    set(&mut theirs, "title", "Wachtrijen bij de balie en de kast");
    assert!(location(&colleague.submit(&study, &theirs).await).contains("gedaan=opgeslagen"));

    set(&mut mine, "summary", "Tellingen op zaterdag");
    let stale = editor.submit(&study, &mine).await;
    assert_eq!(stale.status, 409, "{}", stale.text());
    let text = stale.text();
    assert!(text.contains("Iemand anders heeft dit intussen gewijzigd"), "{text}");
    assert!(text.contains("Pieter de Vries (demo)"), "who saved first: {text}");
    assert!(text.contains("Wachtrijen bij de balie en de kast"), "their value: {text}");
    assert!(stale.body.contains("value=\"Wachtrijen bij de balie en de kast\""), "theirs taken into the form");
    assert!(stale.body.contains("Tellingen op zaterdag"), "mine kept");

    // Saving again applies my change on top of theirs.
    let again = stale.form(&study);
    assert!(location(&editor.submit(&study, &again).await).contains("gedaan=opgeslagen"));
    let page = editor.get(&study).await;
    assert!(page.body.contains("value=\"Wachtrijen bij de balie en de kast\""));
    assert!(page.body.contains("Tellingen op zaterdag</textarea>"));
}

#[tokio::test]
async fn other_organisations_reach_none_of_the_studys_forms_and_forged_forms_change_nothing() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let study = new_study(&mut editor, "Alleen voor Zoetermeer").await;
    let fields = editor.get(&study).await.form(&study);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    let cross_site = editor.post_from(Some("https://evil.example"), &study, &pairs).await;
    assert_eq!(cross_site.status, 403, "{}", cross_site.text());
    let mut forged = fields.clone();
    set(&mut forged, "csrf", "guessed");
    set(&mut forged, "title", "Overgenomen");
    assert_eq!(editor.submit(&study, &forged).await.status, 403);
    assert_eq!(editor.submit(&format!("{study}/inzichten"), &forged).await.status, 403);

    let mut other = signed_in(&app, "redacteur-flevoland").await;
    assert_eq!(other.get(&study).await.status, 404, "another library's private study is not found");
    let mut theirs = fields.clone();
    set(&mut theirs, "csrf", &other.get("/beheer/kennis/nieuw").await.form("/beheer/kennis/nieuw")[0].1);
    set(&mut theirs, "title", "Overgenomen");
    assert_eq!(other.submit(&study, &theirs).await.status, 404);

    let mut reader = signed_in(&app, "lezer").await;
    assert_eq!(reader.get("/beheer/kennis").await.status, 403);
    let anonymous = Browser::new(&app).get("/beheer/kennis").await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.header("location").starts_with("/aanmelden?terug="));

    let page = editor.get(&study).await;
    assert!(page.body.contains("value=\"Alleen voor Zoetermeer\""), "unchanged");
}

#[tokio::test]
async fn a_library_takes_up_an_idea_of_others_and_keeps_track_of_it() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let page = editor.get("/beheer/kennis/ideeen-elders").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let adopt = page
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/overnemen"))
        .expect("an idea to adopt")
        .to_string();
    let idea_n = adopt.trim_end_matches("/overnemen").rsplit('/').next().unwrap().to_string();
    let at = page.body.find(&format!("action=\"{adopt}\"")).unwrap();
    let hidden = Page { status: 200, headers: page.headers.clone(), body: page.body[at - 50..].to_string() };
    let to = location(&editor.submit(&adopt, &hidden.form(&adopt)).await);
    assert!(to.ends_with("?gedaan=overgenomen"), "{to}");
    let adoption = path_of(&to);

    let page = editor.get(&to).await;
    assert!(page.text().contains("Het idee is overgenomen"), "{}", page.text());
    let mut form = page.form(&adoption);
    set(&mut form, "status", "IN_PROGRESS");
    set(&mut form, "startedOn", "01-10-2026");
    set(&mut form, "effectNote", "Eerste twee sessies gedraaid");
    assert!(location(&editor.submit(&adoption, &form).await).contains("gedaan=opgeslagen"));

    // The library's knowledge page lists it; the idea is no longer offered to adopt again.
    let home = editor.get("/beheer/kennis").await.text();
    assert!(home.contains("Overgenomen ideeën") && home.contains("Bezig"), "{home}");
    let again = editor.get("/beheer/kennis/ideeen-elders").await;
    assert!(!again.body.contains(&format!("/beheer/kennis/ideeen/{idea_n}/overnemen")), "adopted once");
    let body = app
        .graphql(
            "query { organisation(slug: \"bibliotheek-zoetermeer\") { adoptions { status startedOn effectNote } } }",
            json!({}),
            Some(&app.editor("bibliotheek-zoetermeer")),
        )
        .await;
    let adoptions = body["data"]["organisation"]["adoptions"].as_array().unwrap().clone();
    assert!(
        adoptions.iter().any(|a| a["status"] == "IN_PROGRESS"
            && a["startedOn"] == "2026-10-01"
            && a["effectNote"] == "Eerste twee sessies gedraaid"),
        "{body}"
    );
}

#[tokio::test]
async fn a_support_organisations_advisor_records_research_for_its_libraries() {
    let app = spawn_demo_app(&[]).await;
    let mut advisor = signed_in(&app, "adviseur-probiblio").await;
    let page = advisor.get("/beheer/kennis/nieuw").await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Bibliotheek Zoetermeer"), "a supported library to choose: {}", page.text());
    let mut form = page.form("/beheer/kennis/nieuw");
    set(&mut form, "title", "Leesbevordering in de regio");
    set(&mut form, "periodStart", "2026-01-15");
    form.push(("methods".into(), "SURVEY".into()));
    let zoetermeer = app.organisation_id("bibliotheek-zoetermeer").await;
    form.push(("commissionedByIds".into(), zoetermeer));
    set(&mut form, "visibility", "NETWORK");
    let study = path_of(&location(&advisor.submit("/beheer/kennis/nieuw", &form).await));

    // Zoetermeer's editor, named as commissioner, finds it and may change it too.
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    assert!(editor.get("/beheer/kennis").await.text().contains("Leesbevordering in de regio"));
    assert_eq!(editor.get(&study).await.status, 200);
    let home = advisor.get("/beheer/kennis").await.text();
    assert!(home.contains("Leesbevordering in de regio"), "{home}");
}

#[tokio::test]
async fn an_emptied_summary_is_cleared_not_left_as_it_was() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let study = new_study(&mut editor, "Samenvatting wissen").await;
    let mut form = editor.get(&study).await.form(&study);
    set(&mut form, "summary", "");
    assert!(location(&editor.submit(&study, &form).await).contains("gedaan=opgeslagen"));
    let page = editor.get(&study).await;
    assert!(!page.body.contains("Gesprekken met ouderen over digitale hulp"), "the summary is cleared");
}

#[tokio::test]
async fn a_move_on_stages_changed_since_the_page_was_read_is_refused() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let study = new_study(&mut editor, "Volgorde bewaken").await;
    let page = editor.get(&study).await;

    let action = format!("{study}/reizen");
    let mut form = page.form(&action);
    set(&mut form, "title", "Reis");
    set(&mut form, "targetGroupCode", "SENIORS");
    set(&mut form, "standardPropositionCode", "HELPDESK_DIGITAL");
    let journey = path_of(&location(&editor.submit(&action, &form).await));
    for name in ["Eerste", "Tweede"] {
        add_stage(&mut editor, &journey, name).await;
    }
    // The page as the person read it; then a stage is added before they move one.
    let seen = editor.get(&journey).await;
    add_stage(&mut editor, &journey, "Derde").await;
    let order = format!("{journey}/volgorde");
    let at = seen.body.find("aria-label=\"Omhoog: Tweede\"").expect("a button to move it up");
    let start = seen.body[..at].rfind("<form").unwrap();
    let button = Page { status: 200, headers: seen.headers.clone(), body: seen.body[start..].to_string() };
    let refused = editor.submit(&order, &button.form(&order)).await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(refused.text().contains("Iemand anders heeft dit gewijzigd"), "{}", refused.text());
    let now = editor.get(&journey).await;
    assert_eq!(stage_order(&now, &["Eerste", "Tweede", "Derde"]), ["Eerste", "Tweede", "Derde"], "nothing moved");
}

#[tokio::test]
async fn an_empty_new_study_names_every_missing_field_at_once() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let mut form = editor.get("/beheer/kennis/nieuw").await.form("/beheer/kennis/nieuw");
    set(&mut form, "participantCount", "veel");
    let refused = editor.submit("/beheer/kennis/nieuw", &form).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    let summary = text.split("Controleer deze velden").nth(1).unwrap_or_default();
    for expected in [
        "Titel: vul dit in",
        "Onderzoeksmethoden: kies ten minste één",
        "Begin van het onderzoek: vul dit in",
        "Aantal deelnemers: vul een getal in dat past",
    ] {
        assert!(summary.contains(expected), "{expected}: {text}");
    }
    assert!(refused.body.contains("value=\"veel\""), "what was typed is kept");
}

#[tokio::test]
async fn a_stage_removed_by_someone_else_while_edited_loses_nothing_of_what_was_typed() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let study = new_study(&mut editor, "Verwijderd terwijl bewerkt").await;
    let action = format!("{study}/reizen");
    let mut form = editor.get(&study).await.form(&action);
    set(&mut form, "title", "Reis");
    set(&mut form, "targetGroupCode", "SENIORS");
    set(&mut form, "standardPropositionCode", "HELPDESK_DIGITAL");
    let journey = path_of(&location(&editor.submit(&action, &form).await));
    add_stage(&mut editor, &journey, "Eerste").await;
    let page = editor.get(&journey).await;
    let stage_form = page
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.contains("/etappes/") && !a.ends_with("verwijderen"))
        .expect("the stage's form")
        .to_string();
    let mut mine = page.form(&stage_form);
    set(&mut mine, "pains", "Lange wachtrij");

    // A colleague removes the stage first.
    let mut colleague = signed_in(&app, "beheerder-zoetermeer").await;
    let theirs = colleague.get(&journey).await;
    let remove = format!("{stage_form}/verwijderen");
    let at = theirs.body.find(&format!("action=\"{remove}\"")).expect("a remove button");
    let button = Page { status: 200, headers: theirs.headers.clone(), body: theirs.body[at - 50..].to_string() };
    assert!(location(&colleague.submit(&remove, &button.form(&remove)).await).ends_with("?gedaan=verwijderd"));

    let stale = editor.submit(&stage_form, &mine).await;
    assert_eq!(stale.status, 409, "{}", stale.text());
    assert!(stale.text().contains("Iemand anders heeft deze etappe intussen verwijderd"), "{}", stale.text());
    let add = stale.form(&format!("{journey}/etappes"));
    assert!(add.iter().any(|(k, v)| k == "name" && v == "Eerste"), "the name kept: {add:?}");
    assert!(add.iter().any(|(k, v)| k == "pains" && v == "Lange wachtrij"), "what was typed kept: {add:?}");
}
