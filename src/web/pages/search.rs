//! Search results: the registry's Dutch search over propositions, organisations, studies,
//! insights and ideas, with counts per kind, matched words marked, a filter by kind and pages.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::{NameOnly, PageInfo, Titled, encode, study_path};
use crate::web::pages::{organisation_path, proposition_path};

const QUESTION: &str = r#"query SearchPage($q: String!, $filter: SearchFilterInput, $after: String) {
  search(query: $q, filter: $filter, first: 20, after: $after) {
    totalCount
    countsByKind { kind count }
    pageInfo { hasNextPage endCursor }
    nodes {
      kind title snippet
      record {
        __typename
        ... on Proposition { id organisation { name } }
        ... on Organisation { slug kind }
        ... on Study { id }
        ... on Insight { study { id title } }
        ... on ImprovementIdea { study { id title } }
      }
    }
  }
}"#;

/// The kinds of result, as the API names them and as the address does (the page's words for them
/// are in the labels).
const KINDS: [(&str, &str); 5] = [
    ("PROPOSITION", "aanbod"),
    ("ORGANISATION", "organisaties"),
    ("STUDY", "onderzoek"),
    ("INSIGHT", "inzichten"),
    ("IMPROVEMENT_IDEA", "ideeen"),
];

/// `?q=…&soort=aanbod&na=<cursor>`.
#[derive(Debug, Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    q: String,
    soort: Option<String>,
    na: Option<String>,
}

#[derive(Deserialize)]
struct Answer {
    search: Results,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Results {
    total_count: u64,
    counts_by_kind: Vec<KindCount>,
    page_info: PageInfo,
    nodes: Vec<Hit>,
}

#[derive(Deserialize)]
struct KindCount {
    kind: String,
    count: u64,
}

#[derive(Deserialize)]
struct Hit {
    kind: String,
    title: String,
    snippet: String,
    record: Record,
}

#[derive(Deserialize)]
#[serde(tag = "__typename")]
enum Record {
    Proposition { id: String, organisation: Option<NameOnly> },
    Organisation { slug: String, kind: String },
    Study { id: String },
    Insight { study: Option<Titled> },
    ImprovementIdea { study: Option<Titled> },
}

/// A hit as listed: where it leads, what it is, its title, its marked excerpt, and its context.
struct HitView {
    href: String,
    kind: &'static str,
    title: String,
    /// HTML-escaped by the registry, with `<mark>` around the matched words.
    snippet: String,
    context: String,
}

/// A kind to narrow to, with its count and whether it is the current filter.
struct KindLink {
    href: String,
    label: &'static str,
    count: u64,
    current: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct Page {
    layout: Layout,
    q: String,
    total: u64,
    kinds: Vec<KindLink>,
    all_href: String,
    filtered: bool,
    hits: Vec<HitView>,
    next_href: Option<String>,
}

/// `GET /zoeken`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    let q = params.q.trim().to_string();
    let kind = match params.soort.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => Some(
            KINDS
                .iter()
                .find(|(_, s)| *s == slug)
                .ok_or_else(|| PageError::BadInput(format!("onbekende soort: {slug}")))?,
        ),
        None => None,
    };
    let ui = visitor.here.labels();
    let description = ui.search_description;
    if q.is_empty() {
        let layout = Layout::new(&visitor.here, ui.nav_search, description, "/zoeken").in_section(Section::Knowledge);
        return Ok(render(&Page {
            layout,
            q,
            total: 0,
            kinds: Vec::new(),
            all_href: String::new(),
            filtered: false,
            hits: Vec::new(),
            next_href: None,
        }));
    }
    let filter = kind.map(|(api, _)| json!({ "kinds": [api] }));
    let question = Question::new(QUESTION, json!({ "q": q, "filter": filter, "after": params.na }));
    let Answer { search } = ask(&state, &visitor, &question).await?;
    let base = format!("/zoeken?q={}", encode(&q));
    let kinds = KINDS
        .iter()
        .map(|(api, slug)| KindLink {
            href: format!("{base}&soort={slug}"),
            label: ui.search_kind(api),
            count: search.counts_by_kind.iter().find(|c| c.kind == *api).map_or(0, |c| c.count),
            current: kind.is_some_and(|(k, _)| k == api),
        })
        .collect();
    let hits = search
        .nodes
        .into_iter()
        .map(|hit| {
            let label = ui.search_kind(&hit.kind);
            let (href, context) = match hit.record {
                Record::Proposition { id, organisation } => {
                    (proposition_path(&id), organisation.map(|o| o.name).unwrap_or_default())
                }
                Record::Organisation { slug, kind } => (organisation_path(&kind, &slug), String::new()),
                Record::Study { id } => (study_path(&id), String::new()),
                Record::Insight { study } | Record::ImprovementIdea { study } => match study {
                    Some(s) => (study_path(&s.id), format!("{} {}", ui.from, s.title)),
                    None => (String::new(), String::new()),
                },
            };
            HitView { href, kind: label, title: hit.title, snippet: hit.snippet, context }
        })
        .collect();
    let soort = kind.map(|(_, slug)| format!("&soort={slug}")).unwrap_or_default();
    let next_href = match (&search.page_info.end_cursor, search.page_info.has_next_page) {
        (Some(cursor), true) => Some(format!("{base}{soort}&na={}", encode(cursor))),
        _ => None,
    };
    let path = format!("{base}{soort}");
    let layout = Layout::new(&visitor.here, format!("{}: {q}", ui.nav_search), description, path)
        .in_section(Section::Knowledge)
        .asked(&question);
    Ok(render(&Page {
        layout,
        q,
        total: search.total_count,
        kinds,
        all_href: base,
        filtered: kind.is_some(),
        hits,
        next_href,
    }))
}
