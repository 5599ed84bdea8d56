//! `GET /beheer/aanbod`: the offer of the library the editor acts for — drafts, published and
//! archived propositions, most recently changed first, by state — with the way to a new one.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::no_store;
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::number;
use crate::web::pages::shared::PageInfo;
use crate::web::staff::acting_library;

const QUESTION: &str = r#"query StaffOffer($organisation: ID!, $states: [PublicationState!], $after: String, $language: Language!) {
  library: node(id: $organisation) { ... on Organisation { name slug } }
  drafts: propositions(filter: { organisationIds: [$organisation], publicationStates: [DRAFT] }, first: 1) { totalCount }
  published: propositions(filter: { organisationIds: [$organisation], publicationStates: [PUBLISHED] }, first: 1) { totalCount }
  archived: propositions(filter: { organisationIds: [$organisation], publicationStates: [ARCHIVED] }, first: 1) { totalCount }
  list: propositions(
    filter: { organisationIds: [$organisation], publicationStates: $states }
    orderBy: { field: UPDATED_AT, direction: DESC }
    first: 50
    after: $after
  ) {
    pageInfo { hasNextPage endCursor }
    nodes { id title publicationState updatedAt standardProposition { name(language: $language) } }
  }
}"#;

#[derive(Deserialize)]
struct Answer {
    library: Option<Library>,
    drafts: Counted,
    published: Counted,
    archived: Counted,
    list: Listed,
}

#[derive(Deserialize)]
struct Library {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Counted {
    total_count: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    page_info: PageInfo,
    nodes: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    id: String,
    title: String,
    publication_state: String,
    updated_at: String,
    standard_proposition: Option<Named>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

impl Row {
    fn edit_path(&self) -> String {
        format!("/beheer/aanbod/{}", number(&self.id).unwrap_or_default())
    }
    fn state(&self, ui: &Labels) -> &'static str {
        ui.publication_state(&self.publication_state)
    }
    fn mapping<'a>(&'a self, ui: &'a Labels) -> &'a str {
        self.standard_proposition.as_ref().map_or(ui.staff_local, |s| s.name.as_str())
    }
    fn changed(&self) -> String {
        crate::web::staff::proposition::moment(&self.updated_at)
    }
}

/// One of the state tabs: its address value, label and count.
struct Tab {
    value: &'static str,
    label: &'static str,
    count: Option<u64>,
    current: bool,
}

#[derive(Template)]
#[template(path = "staff_offer.html")]
struct Page {
    layout: Layout,
    library: String,
    tabs: Vec<Tab>,
    rows: Vec<Row>,
    next: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct Params {
    status: Option<String>,
    na: Option<String>,
}

/// The states a tab's address value lists.
fn states(value: &str) -> Option<&'static [&'static str]> {
    match value {
        "concept" => Some(&["DRAFT"]),
        "gepubliceerd" => Some(&["PUBLISHED"]),
        "gearchiveerd" => Some(&["ARCHIVED"]),
        "" | "alle" => Some(&["DRAFT", "PUBLISHED", "ARCHIVED"]),
        _ => None,
    }
}

/// `GET /beheer/aanbod?status=concept`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    let organisation = match acting_library(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let tab = params.status.unwrap_or_default();
    let listed = states(&tab).ok_or_else(|| PageError::BadInput(ui.staff_unknown_state.into()))?;
    let question = Question::new(
        QUESTION,
        json!({
            "organisation": organisation, "states": listed, "after": params.na,
            "language": visitor.here.lang.graphql(),
        }),
    );
    let answer: Answer = ask(&state, &visitor, &question).await?;
    let library = answer.library.map(|l| l.name).unwrap_or_default();
    let current = if tab.is_empty() { "alle" } else { tab.as_str() };
    let tabs = vec![
        Tab { value: "alle", label: ui.staff_all, count: None, current: current == "alle" },
        Tab {
            value: "concept",
            label: ui.staff_drafts,
            count: Some(answer.drafts.total_count),
            current: current == "concept",
        },
        Tab {
            value: "gepubliceerd",
            label: ui.staff_published,
            count: Some(answer.published.total_count),
            current: current == "gepubliceerd",
        },
        Tab {
            value: "gearchiveerd",
            label: ui.staff_archived,
            count: Some(answer.archived.total_count),
            current: current == "gearchiveerd",
        },
    ];
    let next = match (answer.list.page_info.has_next_page, answer.list.page_info.end_cursor) {
        (true, Some(cursor)) => Some(format!(
            "{}?status={current}&na={}",
            visitor.here.at("/beheer/aanbod"),
            crate::web::forms::encode(&cursor)
        )),
        _ => None,
    };
    let title = format!("{}: {library}", ui.staff_offer_title);
    let page = Page {
        layout: Layout::new(&visitor.here, title, ui.staff_offer_lead, "/beheer/aanbod")
            .in_section(Section::Staff)
            .asked(&question),
        library,
        tabs,
        rows: answer.list.nodes,
        next,
    };
    Ok(no_store(render(&page)))
}
