//! The public web pages, read as a visitor reads them: Dutch, nothing loaded from another origin,
//! the demo network's libraries, propositions and standard propositions, and never a draft or a
//! private study.

use scraper::Selector;
use serde_json::{Value, json};

use crate::helpers::{CREATE_PROPOSITION, TestApp, data, new_proposition, spawn_app};
use crate::pages::{EVERY_PAGE_TYPE, assert_accessible_and_self_contained, get, number, ok};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";

/// Creates a proposition of Zoetermeer (a draft); returns its global id and its page's address.
async fn zoetermeer_proposition(app: &TestApp, title: &str, standard: Option<&str>) -> (String, String) {
    let org = app.organisation_id(ZOETERMEER).await;
    let mut variables = new_proposition(&org, title);
    match standard {
        Some(code) => variables["input"]["standardPropositionCode"] = json!(code),
        None => {
            variables["input"]["standardPropositionCode"] = Value::Null;
            variables["input"]["coreFunctionCode"] = json!("MEETING_DEBATE");
        }
    }
    let body = app.graphql(CREATE_PROPOSITION, variables, Some(&app.editor(ZOETERMEER))).await;
    let id = data(&body)["createProposition"]["proposition"]["id"].as_str().unwrap().to_string();
    let path = format!("/aanbod/{}", number(&id));
    (id, path)
}

async fn publish(app: &TestApp, id: &str) {
    let doc = "mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }";
    data(
        &app.graphql(doc, json!({ "input": { "id": id, "expectedVersion": 1 } }), Some(&app.editor(ZOETERMEER))).await,
    );
}

#[tokio::test]
async fn every_page_is_dutch_and_loads_nothing_from_another_origin() {
    let app = spawn_app().await;
    for path in EVERY_PAGE_TYPE {
        let page = ok(&app, path).await;
        assert_accessible_and_self_contained(&app, path, &page).await;
    }
}

#[tokio::test]
async fn a_library_shows_its_branches_municipalities_and_offer_grouped_by_societal_task() {
    let app = spawn_app().await;
    let (local, _) = zoetermeer_proposition(&app, "Repair café in de bibliotheek", None).await;
    publish(&app, &local).await;
    let page = ok(&app, "/bibliotheken/bibliotheek-zoetermeer").await;
    assert_eq!(page.text("h1"), "Bibliotheek Zoetermeer");
    let branches = page.texts("#vestigingen ~ table tbody th");
    assert!(branches.contains(&"Bibliotheek Seghwaert".to_string()), "{branches:?}");
    let tasks = page.texts("#aanbod ~ section h3");
    assert!(tasks.contains(&"Geletterde samenleving".to_string()), "{tasks:?}");
    assert!(tasks.contains(&"Leven lang ontwikkelen".to_string()), "{tasks:?}");
    // A standard filed under two tasks appears under both, as everywhere in the registry.
    let literate = page.text("section[aria-labelledby=opgave-GELETTERDE_SAMENLEVING]");
    let lifelong = page.text("section[aria-labelledby=opgave-LEVEN_LANG_ONTWIKKELEN]");
    assert!(
        literate.contains("Taalhuis Zoetermeer") && lifelong.contains("Taalhuis Zoetermeer"),
        "{literate}\n{lifelong}"
    );
    // A local proposition is marked as such.
    let local = page.text("section[aria-labelledby=lokaal]");
    assert!(local.contains("Repair café in de bibliotheek") && local.contains("Lokaal"), "{local}");
    // Links lead to the propositions' and standards' pages.
    let links = page.attributes("main a", "href");
    assert!(links.iter().any(|l| l.starts_with("/aanbod/")), "{links:?}");
    assert!(links.contains(&"/standaardproposities/TAALHUIS".to_string()), "{links:?}");
    assert!(links.contains(&"/organisaties/probiblio".to_string()), "the support organisation: {links:?}");
    // The research it took part in, and the page as a GraphQL query.
    assert!(page.text("section[aria-labelledby=onderzoek]").contains("Klantreis: Ontmoeten door en voor ouderen"));
    assert!(page.text("footer details").contains("organisation(slug: $slug)"), "{}", page.text("footer"));
    let graphiql = page.attributes("footer details a", "href");
    assert!(graphiql[0].starts_with("/graphiql?query=query+OrganisationPage"), "{graphiql:?}");
    assert!(graphiql[0].contains("bibliotheek-zoetermeer"), "{graphiql:?}");
}

#[tokio::test]
async fn a_library_page_carries_schema_org_data_for_search_engines() {
    let app = spawn_app().await;
    let page = ok(&app, "/bibliotheken/bibliotheek-zoetermeer").await;
    let scripts = page.texts("script[type='application/ld+json']");
    let data: Value = serde_json::from_str(&scripts[0]).expect("JSON-LD parses");
    assert_eq!(data["@type"], "Library");
    assert_eq!(data["name"], "Bibliotheek Zoetermeer");
    let departments: Vec<&str> =
        data["department"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert!(departments.contains(&"Bibliotheek Seghwaert"), "{departments:?}");
    assert!(data["makesOffer"].as_array().unwrap().iter().any(|o| o["itemOffered"]["name"] == "Taalhuis Zoetermeer"));
    assert_eq!(page.attributes("link[rel=canonical]", "href"), ["/bibliotheken/bibliotheek-zoetermeer"]);
}

#[tokio::test]
async fn drafts_and_private_studies_never_appear_and_their_pages_are_not_found() {
    let app = spawn_app().await;
    let (_, draft_page) = zoetermeer_proposition(&app, "Geheim concept: voorleesuur op zondag", Some("TAALHUIS")).await;
    for path in ["/bibliotheken/bibliotheek-zoetermeer", "/standaardproposities/TAALHUIS", "/"] {
        let page = ok(&app, path).await;
        assert!(!page.main().contains("Geheim concept"), "{path} shows a draft");
    }
    let page = get(&app, &draft_page).await;
    assert_eq!(page.status, 404);
    assert_eq!(page.text("h1"), "Pagina niet gevonden");

    // Emmen's private study is not on its page; its published proposition is.
    let emmen = ok(&app, "/bibliotheken/bibliotheek-emmen").await;
    assert!(emmen.main().contains("Programma's met en door inwoners"), "{}", emmen.main());
    assert!(!emmen.main().contains("Klantgesprekken in de Bredebieb Academy Emmen"), "{}", emmen.main());

    for path in [
        "/bibliotheken/bestaat-niet",
        "/standaardproposities/BESTAAT_NIET",
        "/aanbod/999999",
        "/aanbod/abc",
        "/nergens",
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert_eq!(page.attributes("html", "lang"), ["nl"], "{path}");
    }
}

#[tokio::test]
async fn an_organisation_is_at_the_address_of_its_kind() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for (asked, canonical) in [
        ("/bibliotheken/probiblio", "/organisaties/probiblio"),
        ("/organisaties/bibliotheek-zoetermeer", "/bibliotheken/bibliotheek-zoetermeer"),
    ] {
        let response = client.get(format!("{}{asked}", app.address)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 308, "{asked}");
        assert_eq!(response.headers()["location"], canonical, "{asked}");
    }
    let probiblio = ok(&app, "/organisaties/probiblio").await;
    let supported = probiblio.text("section[aria-labelledby=ondersteund]");
    assert!(supported.contains("Bibliotheek Zoetermeer"), "{supported}");
}

#[tokio::test]
async fn a_proposition_shows_what_it_is_for_whom_how_it_maps_and_its_evidence() {
    let app = spawn_app().await;
    let library = ok(&app, "/bibliotheken/bibliotheek-zoetermeer").await;
    let href = library
        .html
        .select(&Selector::parse("main a").unwrap())
        .find(|a| a.text().collect::<String>() == "Ontmoeten door en voor ouderen")
        .and_then(|a| a.value().attr("href"))
        .expect("the library links its proposition")
        .to_string();
    let page = ok(&app, &href).await;
    assert_eq!(page.text("h1"), "Ontmoeten door en voor ouderen");
    assert!(page.text(".registry-facts").contains("Ouderen"), "{}", page.text(".registry-facts"));
    let model = page.text("section[aria-labelledby=model]");
    assert!(model.contains("Ontmoeting voor ouderen"), "{model}");
    let evidence = page.text("section[aria-labelledby=onderbouwing]");
    assert!(evidence.contains("Klantreis: Ontmoeten door en voor ouderen"), "{evidence}");
    let data: Value = serde_json::from_str(&page.texts("script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(data["@type"], "Service");
    assert_eq!(data["provider"]["name"], "Bibliotheek Zoetermeer");
}

#[tokio::test]
async fn a_standard_proposition_shows_who_offers_it_and_where_it_is_missing() {
    let app = spawn_app().await;
    let page = ok(&app, "/standaardproposities/DIGISTERKER").await;
    assert_eq!(page.text("h1"), "Digisterker");
    let table = page.texts("#kaart ~ table tbody tr");
    let flevoland = table.iter().find(|row| row.starts_with("Flevoland")).expect("a row for Flevoland");
    // Lelystad offers it, Almere does not yet.
    assert_eq!(flevoland, "Flevoland 1 2 50% De Nieuwe Bibliotheek Almere");
    let facts = page.texts(".registry-facts dd");
    assert!(facts.contains(&"3 bibliotheken, in 4 gemeenten".to_string()), "{facts:?}");
    assert!(facts.contains(&"2 bibliotheken".to_string()), "{facts:?}");
    assert_eq!(page.attributes("svg.registry-tilemap", "role"), ["img"]);
    assert_eq!(page.texts("svg.registry-tilemap g").len(), 12, "a tile per province");
    let offering = page.text("section[aria-labelledby=aanbieders]");
    assert!(offering.contains("Bibliotheek Zoetermeer"), "{offering}");
}

#[tokio::test]
async fn coverage_of_a_province_is_a_table_of_libraries_by_standard_with_totals_and_a_csv() {
    let app = spawn_app().await;
    let page = ok(&app, "/dekking?provincie=zuid-holland").await;
    assert_eq!(page.text("h1"), "Dekking in Zuid-Holland");
    let libraries = page.texts("table tbody th");
    assert!(libraries.contains(&"Bibliotheek Zoetermeer".to_string()), "{libraries:?}");
    assert!(libraries.iter().all(|l| l != "De Nieuwe Bibliotheek Almere"), "only Zuid-Holland: {libraries:?}");
    let columns = page.texts("table thead th");
    assert!(columns.contains(&"Taalhuis".to_string()), "{columns:?}");
    assert_eq!(page.attributes("select#provincie option[selected]", "value"), ["zuid-holland"]);
    assert_eq!(page.texts("table tfoot tr").len(), 1, "column totals");

    // The same numbers as CSV, with the province in the file name.
    let csv = app.client.get(format!("{}/dekking.csv?provincie=zuid-holland", app.address)).send().await.unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("dekking-zuid-holland.csv"));
    let text = csv.text().await.unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("Bibliotheek,") && header.contains("Taalhuis (TAALHUIS)"), "{header}");
    let zoetermeer = text.lines().find(|l| l.starts_with("Bibliotheek Zoetermeer,")).expect("a row for Zoetermeer");
    let cells: Vec<&str> = zoetermeer.split(',').collect();
    let taalhuis = header.split(',').position(|h| h == "Taalhuis (TAALHUIS)").unwrap();
    assert_eq!(cells[taalhuis], "1", "{zoetermeer}");

    // A support organisation's libraries, and the whole country.
    let probiblio = ok(&app, "/dekking?ondersteuning=probiblio").await;
    assert_eq!(probiblio.text("h1"), "Dekking in Probiblio");
    let country = ok(&app, "/dekking").await;
    assert_eq!(country.text("h1"), "Dekking in Nederland");
    assert!(country.texts("table tbody th").len() > libraries.len());

    let unknown = get(&app, "/dekking?provincie=atlantis").await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.main().contains("onbekende provincie: atlantis"), "{}", unknown.main());
}

#[tokio::test]
async fn comparing_libraries_puts_their_offer_side_by_side_per_societal_task() {
    let app = spawn_app().await;
    let choose = ok(&app, "/vergelijk").await;
    let choices = choose.attributes("input[name=bibliotheek]", "value");
    assert!(choices.contains(&"dbieb".to_string()) && choices.contains(&ZOETERMEER.to_string()), "{choices:?}");

    let page = ok(&app, "/vergelijk?bibliotheek=bibliotheek-zoetermeer&bibliotheek=dbieb").await;
    let columns = page.texts("section:first-of-type table thead th");
    assert_eq!(columns[1..], ["Bibliotheek Zoetermeer".to_string(), "dbieb (Bibliotheken Midden-Fryslân)".to_string()]);
    let literate = page.text("section[aria-labelledby=groep-geletterde_samenleving]");
    assert!(literate.contains("Taalhuis Zoetermeer") && literate.contains("1 van 2"), "{literate}");
    let lifelong = page.text("section[aria-labelledby=groep-leven_lang_ontwikkelen]");
    assert!(lifelong.contains("Ontmoeten door en voor ouderen"), "{lifelong}");
    // The Taalhuis contributes to both tasks, and is under both.
    assert!(lifelong.contains("Taalhuis Zoetermeer"), "{lifelong}");

    // One task asked about: its section only, and the choice stays selected.
    let task =
        ok(&app, "/vergelijk?bibliotheek=bibliotheek-zoetermeer&bibliotheek=dbieb&opgave=LEVEN_LANG_ONTWIKKELEN").await;
    assert_eq!(task.texts("main section h2"), ["Leven lang ontwikkelen"], "{}", task.main());
    assert_eq!(task.attributes("select#opgave option[selected]", "value"), ["LEVEN_LANG_ONTWIKKELEN"]);
    assert!(task.text("main section").contains("Taalhuis Zoetermeer"), "{}", task.main());

    let one = ok(&app, "/vergelijk?bibliotheek=bibliotheek-zoetermeer").await;
    assert!(one.text("[role=alert]").contains("Kies twee tot 10 bibliotheken"), "{}", one.main());
    let unknown = get(&app, "/vergelijk?bibliotheek=bibliotheek-zoetermeer&bibliotheek=bestaat-niet").await;
    assert_eq!(unknown.status, 400, "{}", unknown.main());
}

#[tokio::test]
async fn search_finds_every_kind_with_counts_marks_the_words_and_narrows_by_kind() {
    let app = spawn_app().await;
    let page = ok(&app, "/zoeken?q=taalhuis").await;
    assert!(page.text("[role=status]").contains("voor taalhuis"), "{}", page.main());
    let kinds = page.texts("nav[aria-label='Soort resultaat'] li");
    assert!(kinds.iter().any(|k| k.starts_with("Aanbod (") && !k.starts_with("Aanbod (0)")), "{kinds:?}");
    let titles = page.texts(".registry-hit h2");
    assert!(titles.contains(&"Taalhuis Zoetermeer".to_string()), "{titles:?}");
    assert!(!page.texts(".registry-hit mark").is_empty(), "matched words are marked");

    let studies = ok(&app, "/zoeken?q=ouderen&soort=onderzoek").await;
    let hits = studies.attributes(".registry-hit h2 a", "href");
    assert!(!hits.is_empty() && hits.iter().all(|h| h.starts_with("/onderzoek/")), "{hits:?}");
    assert_eq!(
        studies.text("nav[aria-label='Soort resultaat'] [aria-current=page]").split(" (").next(),
        Some("Onderzoek")
    );

    // A draft is not found; nor is the private study.
    let (_, _) = zoetermeer_proposition(&app, "Geheim taalhuis-concept", Some("TAALHUIS")).await;
    let again = ok(&app, "/zoeken?q=geheim").await;
    assert!(!again.main().contains("Geheim taalhuis-concept"), "{}", again.main());
    let private = ok(&app, "/zoeken?q=bredebieb").await;
    assert!(!private.main().contains("Klantgesprekken in de Bredebieb Academy Emmen"), "{}", private.main());
    assert_eq!(get(&app, "/zoeken?q=taal&soort=alles").await.status, 400);
}

#[tokio::test]
async fn the_standard_propositions_are_listed_by_task_and_every_public_page_is_in_the_sitemap() {
    let app = spawn_app().await;
    let page = ok(&app, "/standaardproposities").await;
    let literate = page.text("section[aria-labelledby=opgave-GELETTERDE_SAMENLEVING]");
    assert!(literate.contains("BoekStart") && literate.contains("Taalhuis"), "{literate}");

    let sitemap = app.client.get(format!("{}/sitemap.xml", app.address)).send().await.unwrap();
    assert!(sitemap.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let xml = sitemap.text().await.unwrap();
    for path in [
        "/</loc>",
        "/bibliotheken/bibliotheek-zoetermeer</loc>",
        "/standaardproposities/TAALHUIS</loc>",
        "/dekking?provincie=zuid-holland</loc>",
    ] {
        assert!(xml.contains(path), "{path} in {xml}");
    }
    assert!(xml.contains("/doelgroepen/SENIORS</loc>"), "target groups: {xml}");
    // Every study the public may read, and not the network and private ones.
    let studies = app.anon("{ studies(first: 100) { totalCount } }", json!({})).await;
    let public = data(&studies)["studies"]["totalCount"].as_u64().unwrap();
    // Each page is there in Dutch and in English (whose address also holds the Dutch one's).
    let english = xml.matches("/en/onderzoek/").count() as u64;
    assert_eq!((xml.matches("/onderzoek/").count() as u64 - english, english), (public, public), "{xml}");
    let english = xml.matches("/en/aanbod/").count() as u64;
    let propositions = xml.matches("/aanbod/").count() as u64 - english;
    let body = app.anon("{ propositions { totalCount } }", json!({})).await;
    let published = data(&body)["propositions"]["totalCount"].as_u64().unwrap();
    assert_eq!((propositions, english), (published, published), "every published one");
    let robots = app.client.get(format!("{}/robots.txt", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(robots.contains("Sitemap: /sitemap.xml"), "{robots}");
}

#[tokio::test]
async fn graphiql_is_served_from_the_registry_itself_at_graphiql_and_at_get_graphql() {
    let app = spawn_app().await;
    for path in ["/graphiql?query=%7B+__typename+%7D", "/graphql"] {
        let page = ok(&app, path).await;
        assert_eq!(page.attributes("#graphiql", "data-endpoint"), ["/graphql"], "{path}");
        let mut loaded = page.attributes("link[rel=stylesheet]", "href");
        loaded.extend(page.attributes("script[src]", "src"));
        assert_eq!(loaded.len(), 6, "{path}: {loaded:?}");
        for url in loaded {
            assert!(url.starts_with("/static/"), "{path} loads {url}");
            let asset = app.client.get(format!("{}{url}", app.address)).send().await.unwrap();
            assert_eq!(asset.status().as_u16(), 200, "{url}");
            assert!(asset.bytes().await.unwrap().len() > 200, "{url}");
        }
        let csp = page.header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'"), "{csp}");
    }
}
