//! The standard propositions of the network, by societal task, each with how many libraries
//! offer it; and the sitemap that lists every public page for search engines.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::study_path;
use crate::web::pages::{Named, PROVINCES, organisation_path, proposition_path};

const QUESTION: &str = r#"query StandardPropositionsPage {
  societalTasks { code name }
  standardPropositions(filter: { status: ACTIVE }) { code name descriptionNl societalTasks { code } }
  coverage(columns: STANDARD_PROPOSITION) { rows { total } columns { code libraries total } }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    societal_tasks: Vec<Named>,
    standard_propositions: Vec<Standard>,
    coverage: Coverage,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Standard {
    code: String,
    name: String,
    description_nl: String,
    societal_tasks: Vec<Code>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Coverage {
    /// One per library; only how many there are is shown.
    rows: Vec<serde::de::IgnoredAny>,
    columns: Vec<Column>,
}

#[derive(Deserialize)]
struct Column {
    code: String,
    libraries: u64,
    total: u64,
}

struct Entry {
    code: String,
    name: String,
    description: String,
    libraries: u64,
    propositions: u64,
}

struct TaskView {
    task: Named,
    standards: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "standards.html")]
struct Page {
    layout: Layout,
    library_count: usize,
    tasks: Vec<TaskView>,
}

/// `GET /standaardproposities`.
pub async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let question = Question::new(QUESTION, json!({}));
    let answer: Answer = ask(&state, &visitor, &question).await?;
    let counts: BTreeMap<&str, (u64, u64)> =
        answer.coverage.columns.iter().map(|c| (c.code.as_str(), (c.libraries, c.total))).collect();
    let entry = |s: &Standard| {
        let (libraries, propositions) = counts.get(s.code.as_str()).copied().unwrap_or_default();
        Entry {
            code: s.code.clone(),
            name: s.name.clone(),
            description: s.description_nl.clone(),
            libraries,
            propositions,
        }
    };
    let mut tasks: Vec<TaskView> = answer
        .societal_tasks
        .iter()
        .map(|task| TaskView {
            task: task.clone(),
            standards: answer
                .standard_propositions
                .iter()
                .filter(|s| s.societal_tasks.iter().any(|t| t.code == task.code))
                .map(entry)
                .collect(),
        })
        .collect();
    let without: Vec<Entry> =
        answer.standard_propositions.iter().filter(|s| s.societal_tasks.is_empty()).map(entry).collect();
    if !without.is_empty() {
        tasks.push(TaskView {
            task: Named { code: "GEEN".into(), name: "Zonder maatschappelijke opgave".into() },
            standards: without,
        });
    }
    let layout = Layout::new(
        "Standaardproposities",
        "De standaardproposities van het bibliotheeknetwerk per maatschappelijke opgave, en hoeveel bibliotheken \
         elk aanbieden.",
        "/standaardproposities",
    )
    .in_section(Section::Standards)
    .asked(&question);
    Ok(render(&Page { layout, library_count: answer.coverage.rows.len(), tasks }))
}

const SITEMAP: &str = r#"query Sitemap {
  standardPropositions { code }
  targetGroups { code }
}"#;

const SITEMAP_ORGANISATIONS: &str = r#"query SitemapOrganisations($after: String) {
  list: organisations(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { slug kind } }
}"#;

const SITEMAP_PROPOSITIONS: &str = r#"query SitemapPropositions($after: String) {
  list: propositions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
}"#;

const SITEMAP_STUDIES: &str = r#"query SitemapStudies($after: String) {
  list: studies(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SitemapAnswer {
    standard_propositions: Vec<Code>,
    target_groups: Vec<Code>,
}

/// One page of a list, asked for under the alias `list`.
#[derive(Deserialize)]
struct Listed<T> {
    list: Paged<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Paged<T> {
    page_info: PageInfo,
    nodes: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(Deserialize)]
struct Slug {
    slug: String,
    kind: String,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

/// The most pages of one list a sitemap holds (a sitemap holds at most 50,000 addresses).
const MOST_PAGES: usize = 150;

/// Every item of a paged list, page by page, up to [`MOST_PAGES`].
async fn every<T: serde::de::DeserializeOwned>(
    state: &AppState,
    visitor: &Visitor,
    document: &'static str,
) -> Result<Vec<T>, PageError> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MOST_PAGES {
        let Listed { list } =
            ask::<Listed<T>>(state, visitor, &Question::new(document, json!({ "after": after }))).await?;
        items.extend(list.nodes);
        match (list.page_info.has_next_page, list.page_info.end_cursor) {
            (true, Some(cursor)) => after = Some(cursor),
            _ => break,
        }
    }
    Ok(items)
}

/// `GET /sitemap.xml`: every public page, as paths under the address the sitemap was asked at.
pub async fn sitemap(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let mut paths = vec!["/".to_string(), "/standaardproposities".to_string(), "/dekking".to_string()];
    paths.extend(PROVINCES.iter().map(|(_, _, slug)| format!("/dekking?provincie={slug}")));
    let directory: SitemapAnswer = ask(&state, &visitor, &Question::new(SITEMAP, json!({}))).await?;
    paths.extend(directory.standard_propositions.iter().map(|s| format!("/standaardproposities/{}", s.code)));
    paths.extend(directory.target_groups.iter().map(|g| format!("/doelgroepen/{}", g.code)));
    let organisations: Vec<Slug> = every(&state, &visitor, SITEMAP_ORGANISATIONS).await?;
    paths.extend(organisations.iter().map(|o| organisation_path(&o.kind, &o.slug)));
    let propositions: Vec<Id> = every(&state, &visitor, SITEMAP_PROPOSITIONS).await?;
    paths.extend(propositions.iter().map(|p| proposition_path(&p.id)));
    let studies: Vec<Id> = every(&state, &visitor, SITEMAP_STUDIES).await?;
    paths.extend(studies.iter().map(|s| study_path(&s.id)));
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let origin = format!("http://{host}");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let escaped = path.replace('&', "&amp;");
        xml.push_str(&format!("  <url><loc>{origin}{escaped}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    let mut response = xml.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    Ok(response)
}
