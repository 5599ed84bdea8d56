//! The site's pages as a visitor gets them, for the page tests: status, headers, the parsed HTML,
//! and what a person reads in it.

use scraper::{ElementRef, Html, Selector};

use crate::helpers::TestApp;

/// A page as a visitor gets it: status, headers and parsed HTML.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub html: Html,
}

pub fn words(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// Every element a selector finds, each element's text trimmed and joined.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).unwrap();
        self.html.select(&selector).map(words).collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).join(" ")
    }

    /// What a person reads in the page's main content.
    pub fn main(&self) -> String {
        self.text("main")
    }

    pub fn attributes(&self, selector: &str, attribute: &str) -> Vec<String> {
        let selector = Selector::parse(selector).unwrap();
        self.html.select(&selector).filter_map(|e| e.value().attr(attribute)).map(str::to_string).collect()
    }

    /// What a fact list (`dl.registry-facts` directly in the main content) says for a term.
    pub fn fact(&self, term: &str) -> String {
        let facts = Selector::parse("main > dl.registry-facts > div").unwrap();
        let (dt, dd) = (Selector::parse("dt").unwrap(), Selector::parse("dd").unwrap());
        self.html
            .select(&facts)
            .find(|div| div.select(&dt).next().is_some_and(|t| words(t) == term))
            .and_then(|div| div.select(&dd).next())
            .map(words)
            .unwrap_or_else(|| panic!("no fact {term:?} in {}", self.text("main > dl.registry-facts")))
    }

    /// The addresses of the links in an element whose text is `text`.
    pub fn links_named(&self, selector: &str, text: &str) -> Vec<String> {
        let selector = Selector::parse(&format!("{selector} a")).unwrap();
        self.html
            .select(&selector)
            .filter(|a| words(*a) == text)
            .filter_map(|a| a.value().attr("href"))
            .map(str::to_string)
            .collect()
    }

    /// The text of each item of a list whose heading (an `h4` in it) is `heading`, within `selector`.
    pub fn item_with_heading(&self, selector: &str, heading: &str) -> String {
        let items = Selector::parse(&format!("{selector} li.registry-idea")).unwrap();
        let title = Selector::parse("h4").unwrap();
        self.html
            .select(&items)
            .find(|li| li.select(&title).next().is_some_and(|h| words(h) == heading))
            .map(words)
            .unwrap_or_else(|| panic!("no idea {heading:?} in {selector}: {}", self.text(selector)))
    }
}

pub async fn get(app: &TestApp, path: &str) -> Page {
    let response = app.client.get(format!("{}{path}", app.address)).send().await.expect("the page answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let html = Html::parse_document(&response.text().await.unwrap());
    Page { status, headers, html }
}

pub async fn ok(app: &TestApp, path: &str) -> Page {
    let page = get(app, path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.main());
    assert!(page.header("content-type").starts_with("text/html"), "{path}");
    page
}

/// The number inside a global id, as a page's address carries it.
pub fn number(global_id: &str) -> String {
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, global_id).unwrap();
    String::from_utf8(bytes).unwrap().split_once(':').unwrap().1.to_string()
}

/// The structural checks every page passes: Dutch, one main heading, landmarks, tables with
/// captions and scoped header cells, and nothing loaded from another origin.
pub async fn assert_accessible_and_self_contained(app: &TestApp, path: &str, page: &Page) {
    assert_eq!(page.attributes("html", "lang"), ["nl"], "{path}");
    assert_eq!(page.texts("h1").len(), 1, "{path} has one main heading");
    assert_eq!(page.attributes("main", "id"), ["inhoud"], "{path}");
    assert_eq!(page.attributes("a.utrecht-skip-link", "href"), ["#inhoud"], "{path} lets keyboards skip to it");
    let title = page.text("head > title");
    assert!(title.ends_with("· Propositieregister bibliotheken"), "{path}: {title}");
    assert!(!page.attributes("meta[name=description]", "content")[0].is_empty(), "{path}");
    assert!(page.header("content-security-policy").contains("default-src 'self'"), "{path}");
    // Nothing is styled or scripted inline (the policy would block it).
    assert!(page.attributes("[style]", "style").is_empty(), "{path} has inline styles");
    assert!(page.texts("style").is_empty(), "{path} has a style element");
    let scripts = page.attributes("script:not([src])", "type");
    assert!(scripts.iter().all(|t| t == "application/ld+json"), "{path}: {scripts:?}");
    // Everything the page loads is a path on this server.
    let mut loaded = page.attributes("link[rel=stylesheet]", "href");
    loaded.extend(page.attributes("script[src]", "src"));
    loaded.extend(page.attributes("img", "src"));
    assert!(loaded.len() >= 3, "{path}: {loaded:?}");
    for url in loaded {
        assert!(url.starts_with('/') && !url.starts_with("//"), "{path} loads {url}");
        let asset = app.client.get(format!("{}{url}", app.address)).send().await.unwrap();
        assert_eq!(asset.status().as_u16(), 200, "{url}");
        let cache = asset.headers()["cache-control"].to_str().unwrap().to_string();
        assert!(cache.contains("immutable"), "{url}: {cache}");
    }
    // Each table has a caption and header cells with a scope; each section is labelled.
    let tables = page.texts("table").len();
    assert_eq!(page.texts("table > caption").len(), tables, "{path}");
    assert_eq!(page.attributes("th", "scope").len(), page.texts("th").len(), "{path}");
    let sections = page.texts("main section").len();
    assert_eq!(page.attributes("main section", "aria-labelledby").len(), sections, "{path}");
    for id in page.attributes("main section", "aria-labelledby") {
        assert_eq!(page.texts(&format!("[id='{id}']")).len(), 1, "{path}: section label {id}");
    }
    // A drawing is an image with a name and a description.
    for svg in page.attributes("svg", "role") {
        assert_eq!(svg, "img", "{path}");
    }
    assert_eq!(page.texts("svg > title").len(), page.texts("svg").len(), "{path}");
    assert_eq!(page.texts("svg > desc").len(), page.texts("svg").len(), "{path}");
}

/// An address of every page type on the demo network (the empty search and a search with words).
pub const EVERY_PAGE_TYPE: [&str; 14] = [
    "/",
    "/bibliotheken",
    "/bibliotheken/bibliotheek-zoetermeer",
    "/organisaties/probiblio",
    "/aanbod/1",
    "/standaardproposities",
    "/standaardproposities/TAALHUIS",
    "/dekking?provincie=flevoland",
    "/vergelijk",
    "/vergelijk?bibliotheek=bibliotheek-zoetermeer&bibliotheek=dbieb",
    "/zoeken",
    "/zoeken?q=ouderen",
    "/onderzoek/1",
    "/doelgroepen/SENIORS",
];
