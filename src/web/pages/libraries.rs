//! The libraries' index: every library organisation by name, a hundred to a page, narrowed by
//! province, so that no library is out of reach from the home page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::{NameOnly, PageInfo, encode};
use crate::web::pages::{PROVINCES, organisation_path, province};

const QUESTION: &str = r#"query LibrariesPage($province: String, $after: String) {
  organisations(filter: { kinds: [LIBRARY], province: $province }, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { name slug kind province { name } supportOrganisation { name } }
  }
}"#;

/// `?provincie=flevoland&na=<cursor>`.
#[derive(Debug, Deserialize, Default)]
pub struct Params {
    provincie: Option<String>,
    na: Option<String>,
}

#[derive(Deserialize)]
struct Answer {
    organisations: Libraries,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Libraries {
    total_count: u64,
    page_info: PageInfo,
    nodes: Vec<Library>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Library {
    name: String,
    slug: String,
    kind: String,
    province: Option<NameOnly>,
    support_organisation: Option<NameOnly>,
}

/// A library as listed: its page, its name, and where it is.
struct Entry {
    href: String,
    name: String,
    place: String,
}

/// A province to narrow to.
struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "libraries.html")]
struct Page {
    layout: Layout,
    heading: String,
    total: u64,
    provinces: Vec<Choice>,
    libraries: Vec<Entry>,
    next_href: Option<String>,
    first_href: Option<String>,
}

/// `GET /bibliotheken`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let chosen = match params.provincie.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(province(p).ok_or_else(|| PageError::BadInput(format!("onbekende provincie: {p}")))?),
        None => None,
    };
    let after = params.na.as_deref().filter(|c| !c.is_empty());
    let question = Question::new(QUESTION, json!({ "province": chosen.map(|(code, _, _)| code), "after": after }));
    let Answer { organisations } = ask(&state, &visitor, &question).await?;
    let base = match chosen {
        Some((_, _, slug)) => format!("/bibliotheken?provincie={slug}"),
        None => "/bibliotheken".to_string(),
    };
    let join = if chosen.is_some() { '&' } else { '?' };
    let next_href = match (organisations.page_info.has_next_page, &organisations.page_info.end_cursor) {
        (true, Some(cursor)) => Some(format!("{base}{join}na={}", encode(cursor))),
        _ => None,
    };
    let libraries = organisations
        .nodes
        .into_iter()
        .map(|l| {
            let place = [l.province.map(|p| p.name), l.support_organisation.map(|s| s.name)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            Entry { href: organisation_path(&l.kind, &l.slug), name: l.name, place }
        })
        .collect();
    let heading = match chosen {
        Some((_, name, _)) => format!("{} {} {name}", ui.libraries_title, ui.in_),
        None => ui.libraries_title.to_string(),
    };
    let provinces = PROVINCES
        .iter()
        .map(|(code, name, slug)| Choice { value: slug, label: name, selected: chosen.is_some_and(|c| c.0 == *code) })
        .collect();
    // A later page is not a page of its own for search engines: its canonical is the first.
    let layout = Layout::new(&visitor.here, heading.clone(), ui.libraries_lead, base.clone())
        .in_section(Section::Libraries)
        .asked(&question);
    Ok(render(&Page {
        layout,
        heading,
        total: organisations.total_count,
        provinces,
        libraries,
        next_href,
        first_href: after.map(|_| base),
    }))
}
