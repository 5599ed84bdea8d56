//! `GET /beheer/concepten`: for an advisor at a support organisation, the drafts of the libraries
//! it supports, most recently changed first (the registry shows a support organisation exactly
//! those drafts), each opening the proposition's page as the advisor may see it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::{encode, message, no_store};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::proposition_path;
use crate::web::pages::shared::PageInfo;

const QUESTION: &str = r#"query SupportDrafts($after: String, $language: Language!) {
  me { activeMembership { organisation { name } } }
  list: propositions(
    filter: { publicationStates: [DRAFT] }
    orderBy: { field: UPDATED_AT, direction: DESC }
    first: 50
    after: $after
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id title updatedAt organisation { name } standardProposition { name(language: $language) } }
  }
}"#;

#[derive(Deserialize)]
struct Answer {
    me: Option<Me>,
    list: Listed,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Me {
    active_membership: Option<Membership>,
}

#[derive(Deserialize)]
struct Membership {
    organisation: Option<Named>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    total_count: u64,
    page_info: PageInfo,
    nodes: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    id: String,
    title: String,
    updated_at: String,
    organisation: Option<Named>,
    standard_proposition: Option<Named>,
}

impl Row {
    fn path(&self) -> String {
        proposition_path(&self.id)
    }
    fn library(&self) -> &str {
        self.organisation.as_ref().map_or("", |o| o.name.as_str())
    }
    fn mapping<'a>(&'a self, ui: &'a crate::web::labels::Labels) -> &'a str {
        self.standard_proposition.as_ref().map_or(ui.staff_local, |s| s.name.as_str())
    }
    fn changed(&self) -> String {
        crate::web::staff::proposition::moment(&self.updated_at)
    }
}

#[derive(Template)]
#[template(path = "staff_drafts.html")]
struct Page {
    layout: Layout,
    organisation: String,
    total: u64,
    rows: Vec<Row>,
    next: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct Params {
    na: Option<String>,
}

/// `GET /beheer/concepten?na=…`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    if let Err(response) = super::signed_in(&visitor) {
        return Ok(*response);
    }
    if visitor.actor.support_organisation().is_none() {
        let back = Some((visitor.here.at("/account"), ui.back_to_account));
        let why = ui.staff_no_support_text.into();
        return Ok(message(&visitor.here, StatusCode::FORBIDDEN, ui.staff_no_support, why, back));
    }
    let question = Question::new(QUESTION, json!({ "after": params.na, "language": visitor.here.lang.graphql() }));
    let answer: Answer = ask(&state, &visitor, &question).await?;
    let organisation =
        answer.me.and_then(|m| m.active_membership).and_then(|m| m.organisation).map(|o| o.name).unwrap_or_default();
    let next = match (answer.list.page_info.has_next_page, answer.list.page_info.end_cursor) {
        (true, Some(cursor)) => Some(format!("{}?na={}", visitor.here.at("/beheer/concepten"), encode(&cursor))),
        _ => None,
    };
    let page = Page {
        layout: Layout::new(&visitor.here, ui.staff_drafts_title, ui.staff_drafts_lead, "/beheer/concepten")
            .in_section(Section::Staff)
            .asked(&question),
        organisation,
        total: answer.list.total_count,
        rows: answer.list.nodes,
        next,
    };
    Ok(no_store(render(&page)))
}
