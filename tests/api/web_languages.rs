//! The site in two languages (Dutch at its own addresses, English under `/en`), the libraries'
//! index that reaches every library, and the configured public address.

use serde_json::json;

use crate::helpers::{TestApp, data, spawn_app, spawn_app_with};
use crate::pages::{EVERY_PAGE_TYPE, Page, get, ok};

/// Where the links of a page (its content, navigation and footer) and its forms lead.
fn links(page: &Page) -> Vec<String> {
    let mut links = page.attributes("main a[href], header a[href], footer a[href]", "href");
    links.extend(page.attributes("form[action]", "action"));
    links
}

#[tokio::test]
async fn every_page_type_has_an_english_twin_whose_links_stay_english() {
    let app = spawn_app().await;
    for dutch in EVERY_PAGE_TYPE {
        let english = if dutch == "/" { "/en".to_string() } else { format!("/en{dutch}") };
        let page = ok(&app, &english).await;
        assert_eq!(page.attributes("html", "lang"), ["en"], "{english}");
        assert_eq!(page.texts("h1").len(), 1, "{english}");
        let title = page.text("head > title");
        assert!(title.ends_with("· Proposition registry of the public libraries"), "{english}: {title}");
        assert_eq!(page.attributes("link[rel=canonical]", "href"), [english.as_str()], "{english}");
        assert_eq!(page.attributes("link[hreflang=nl]", "href"), [dutch], "{english}");
        assert_eq!(page.attributes("link[hreflang=en]", "href"), [english.as_str()], "{english}");
        // The switch leads back to the same page (and query) in Dutch, and says so in Dutch.
        let switch = page.links_named("header", "Nederlands");
        assert_eq!(switch, [dutch], "{english}");
        assert_eq!(page.attributes("header a[hreflang=nl]", "lang"), ["nl"], "{english}");
        // Every link to a page stays in English; assets, GraphiQL and the switch are the exceptions.
        for href in links(&page) {
            let kept = href.starts_with("/en") || href.starts_with("/graphiql") || href.starts_with('#');
            let external = href.starts_with("http");
            assert!(kept || external || href == dutch, "{english} links to {href}");
        }
        for text in ["Zoeken", "Naar de inhoud", "Vestigingen", "Klantonderzoek", "Gepubliceerde proposities"] {
            assert!(!page.text("header, footer, h1, h2, th, dt, label, legend").contains(text), "{english}: {text}");
        }

        let page = ok(&app, dutch).await;
        assert_eq!(page.attributes("html", "lang"), ["nl"], "{dutch}");
        assert_eq!(page.links_named("header", "English"), [english.as_str()], "{dutch}");
        assert_eq!(page.attributes("link[rel=canonical]", "href"), [dutch], "{dutch}");
        assert_eq!(page.attributes("link[hreflang=en]", "href"), [english], "{dutch}");
    }
}

#[tokio::test]
async fn an_english_library_page_shows_the_common_model_in_english_and_the_librarys_own_words_as_dutch() {
    let app = spawn_app().await;
    let page = ok(&app, "/en/bibliotheken/bibliotheek-zoetermeer").await;
    assert_eq!(page.text("section[aria-labelledby=aanbod] > h2"), "Offer");
    assert_eq!(page.text("section[aria-labelledby=vestigingen] > h2"), "Branches");
    assert_eq!(page.text("section[aria-labelledby=vestigingen] thead"), "Branch Address Municipality");
    // The societal tasks and standard propositions come from the common model in English.
    let offer = page.text("section[aria-labelledby=aanbod]");
    assert!(offer.contains("Meeting programme for older people"), "{offer}");
    assert!(!offer.contains("Ontmoeting voor ouderen"), "{offer}");
    // The library's name and its propositions' titles stay as written, and are marked as Dutch.
    assert_eq!(page.text("h1"), "Bibliotheek Zoetermeer");
    assert_eq!(page.attributes("h1", "lang"), ["nl"]);
    let titles = page.links_named("section[aria-labelledby=aanbod]", "Ontmoeten door en voor ouderen");
    assert_eq!(titles.len(), 1, "{offer}");
    assert!(titles[0].starts_with("/en/aanbod/"), "{titles:?}");
    let dutch_titles = page.texts("section[aria-labelledby=aanbod] a[lang=nl]");
    assert!(dutch_titles.contains(&"Ontmoeten door en voor ouderen".to_string()), "{dutch_titles:?}");

    // The same page in Dutch has the Dutch labels and no lang attributes on its data.
    let dutch = ok(&app, "/bibliotheken/bibliotheek-zoetermeer").await;
    assert!(dutch.text("section[aria-labelledby=aanbod]").contains("Ontmoeting voor ouderen"));
    assert!(dutch.attributes("main [lang]", "lang").is_empty(), "{:?}", dutch.attributes("main [lang]", "lang"));
    // The GraphQL question of the page asks for the English names.
    assert!(page.text("footer").contains("\"language\": \"EN\""), "{}", page.text("footer"));
}

#[tokio::test]
async fn english_pages_keep_their_query_their_errors_and_their_forms_in_english() {
    let app = spawn_app().await;
    let coverage = ok(&app, "/en/dekking?provincie=zuid-holland").await;
    assert_eq!(coverage.text("h1"), "Coverage in Zuid-Holland");
    assert_eq!(coverage.links_named("header", "Nederlands"), ["/dekking?provincie=zuid-holland"]);
    assert_eq!(coverage.attributes("form[action]", "action"), ["/en/dekking"]);
    assert!(coverage.text("thead").contains("Library"), "{}", coverage.text("thead"));

    let missing = get(&app, "/en/bestaat-niet").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.attributes("html", "lang"), ["en"]);
    assert_eq!(missing.text("h1"), "Page not found");
    let missing = get(&app, "/bestaat-niet").await;
    assert_eq!((missing.status, missing.text("h1")), (404, "Pagina niet gevonden".to_string()));

    let search = ok(&app, "/en/zoeken?q=ouderen").await;
    assert_eq!(search.text("h1"), "Search");
    assert!(search.text("[role=status]").contains("results for ouderen"), "{}", search.text("[role=status]"));
    let study = ok(&app, "/en/onderzoek/1").await;
    assert!(study.text("main").contains("Improvement ideas"), "{}", study.main());
    assert!(study.text("main").contains("Do now"), "{}", study.main());
    let taalhuis = ok(&app, "/en/standaardproposities/TAALHUIS").await;
    assert_eq!(taalhuis.text("h1"), "Taalhuis (language house)");
    assert_eq!(get(&app, "/en/").await.status, 200, "the English home with a slash follows its redirect");
}

/// Creates `n` libraries in Flevoland through the API, named so that they sort after the demo's.
async fn many_libraries(app: &TestApp, n: usize) {
    let maintainer = app.maintainer();
    let doc =
        "mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }";
    for i in 0..n {
        let input = json!({ "kind": "LIBRARY", "name": format!("Zz Bibliotheek {i:03}"), "slug": format!("zz-bibliotheek-{i:03}"), "provinceCode": "PV24" });
        data(&app.graphql(doc, json!({ "input": input }), Some(&maintainer)).await);
    }
}

#[tokio::test]
async fn every_library_is_reachable_from_home_through_the_index_and_can_be_compared() {
    let app = spawn_app().await;
    many_libraries(&app, 101).await;
    let total = data(&app.anon("{ organisations(filter: { kinds: [LIBRARY] }) { totalCount } }", json!({})).await)
        ["organisations"]["totalCount"]
        .as_u64()
        .unwrap();
    assert!(total > 101, "{total}");

    let home = ok(&app, "/").await;
    let index = home.attributes("section[aria-labelledby=bibliotheken] a", "href");
    assert!(index.contains(&"/bibliotheken".to_string()), "{index:?}");
    assert!(index.contains(&"/bibliotheken?provincie=flevoland".to_string()), "{index:?}");
    let libraries = home.text("section[aria-labelledby=bibliotheken]");
    assert!(libraries.contains(&format!("Alle {total} bibliotheken")), "{libraries}");

    // Page by page, the index holds every library once.
    let mut seen: Vec<String> = Vec::new();
    let mut next = Some("/bibliotheken".to_string());
    while let Some(path) = next {
        let page = ok(&app, &path).await;
        seen.extend(page.texts("main ul.registry-columns > li > a"));
        next = page.attributes("a[rel=next]", "href").into_iter().next();
        assert!(seen.len() <= total as usize, "the pages repeat");
    }
    assert_eq!(seen.len() as u64, total);
    assert!(seen.contains(&"Zz Bibliotheek 100".to_string()) && seen.contains(&"Bibliotheek Zoetermeer".to_string()));

    // By province: Flevoland's own and the new ones, not Zoetermeer.
    let flevoland = ok(&app, "/bibliotheken?provincie=flevoland").await;
    assert_eq!(flevoland.text("h1"), "Bibliotheken in Flevoland");
    let first = flevoland.texts("main ul.registry-columns > li > a");
    assert!(first.contains(&"De Nieuwe Bibliotheek Almere".to_string()), "{first:?}");
    assert!(!first.contains(&"Bibliotheek Zoetermeer".to_string()), "{first:?}");
    assert_eq!(get(&app, "/bibliotheken?provincie=atlantis").await.status, 400);

    // The compare form offers every library, the 101st new one too.
    let compare = ok(&app, "/vergelijk").await;
    let choices = compare.attributes("input[name=bibliotheek]", "value");
    assert_eq!(choices.len() as u64, total, "{choices:?}");
    assert!(choices.contains(&"zz-bibliotheek-100".to_string()));
}

#[tokio::test]
async fn with_a_public_address_configured_the_sitemap_and_the_alternates_use_it_whatever_the_host() {
    let app = spawn_app_with(&[("server.public_url", "https://register.example.nl/")]).await;
    let sitemap = app
        .client
        .get(format!("{}/sitemap.xml", app.address))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|l| l.split("</loc>").next().unwrap()).collect();
    assert!(!locs.is_empty());
    assert!(locs.iter().all(|l| l.starts_with("https://register.example.nl/")), "{sitemap}");
    assert!(locs.contains(&"https://register.example.nl/en/bibliotheken/bibliotheek-zoetermeer"), "{sitemap}");
    let page = ok(&app, "/bibliotheken/dbieb").await;
    assert_eq!(page.attributes("link[rel=canonical]", "href"), ["https://register.example.nl/bibliotheken/dbieb"]);
    assert_eq!(page.attributes("link[hreflang=en]", "href"), ["https://register.example.nl/en/bibliotheken/dbieb"]);

    // Without one, the sitemap takes the request's host, and the pages' links stay paths.
    let app = spawn_app().await;
    let sitemap = app.client.get(format!("{}/sitemap.xml", app.address)).send().await.unwrap().text().await.unwrap();
    let host = app.address.trim_start_matches("http://");
    assert!(sitemap.contains(&format!("<loc>http://{host}/en/bibliotheken/dbieb</loc>")), "{sitemap}");
    let page = ok(&app, "/bibliotheken/dbieb").await;
    assert_eq!(page.attributes("link[rel=canonical]", "href"), ["/bibliotheken/dbieb"]);
}
