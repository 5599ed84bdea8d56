//! A page's question to the registry: one GraphQL document, answered in-process as the visitor
//! (the same limits, rate budget, schema and answer cache as `/graphql`), read into the page's types.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::http::AppState;

use crate::http::answer_in_process;
use crate::web::Visitor;
use crate::web::page::PageError;
use crate::web::pages::shared::PageInfo;

/// A page's GraphQL document with its variables; also offered to the visitor as "this page as a
/// GraphQL query".
#[derive(Debug, Clone)]
pub struct Question {
    pub document: &'static str,
    pub variables: Value,
}

impl Question {
    pub fn new(document: &'static str, variables: Value) -> Self {
        Self { document, variables }
    }
}

#[derive(Deserialize)]
struct Body<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Vec<ErrorBody>,
}

#[derive(Deserialize)]
struct ErrorBody {
    message: String,
    #[serde(default)]
    extensions: Extensions,
}

#[derive(Deserialize, Default)]
struct Extensions {
    #[serde(default)]
    code: String,
}

/// Asks the registry a page's question as the visitor. A `NOT_FOUND` anywhere in the answer is the
/// page's 404 (a draft or hidden study is "not found", as in the API); bad input is the page's 400.
pub async fn ask<T: DeserializeOwned>(
    state: &AppState,
    visitor: &Visitor,
    question: &Question,
) -> Result<T, PageError> {
    let request = async_graphql::Request::new(question.document)
        .variables(async_graphql::Variables::from_json(question.variables.clone()));
    let caller = visitor.caller();
    let answer = answer_in_process(state, visitor.actor.clone(), &caller, &visitor.request_id, request).await?;
    state.metrics.answer(answer.cached);
    // What the question cost: its one point and its objects (kept with the page, see `rendered`).
    crate::web::rendered::charged(1 + answer.objects);
    if answer.unreachable {
        return Err(PageError::DatabaseDown);
    }
    // The errors first: a page's data does not fit its types when a field it needs failed.
    let body: Body<serde_json::Value> = serde_json::from_slice(&answer.body).map_err(|e| {
        tracing::error!(error.cause = %e, "a page's answer is not a GraphQL response");
        PageError::Internal
    })?;
    // A page about something that does not exist is not found, whatever else its question's other
    // fields said about the same missing code (errors come in the order the fields finished).
    let first = body.errors.iter().find(|e| e.extensions.code == "NOT_FOUND").or(body.errors.first());
    if let Some(error) = first {
        return Err(match error.extensions.code.as_str() {
            "NOT_FOUND" => PageError::NotFound,
            "BAD_USER_INPUT" => PageError::BadInput(error.message.clone()),
            "SERVICE_UNAVAILABLE" => PageError::Unavailable,
            "RATE_LIMITED" => PageError::RateLimited,
            _ => PageError::Internal,
        });
    }
    let data = body.data.ok_or(PageError::Internal)?;
    serde_json::from_value(data).map_err(|e| {
        tracing::error!(error.cause = %e, page.document = question.document, "a page's answer does not fit its types");
        PageError::Internal
    })
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

/// The most pages of one list [`every`] reads (at 100 a page: 15,000 items).
const MOST_PAGES: usize = 150;

/// Every item of a paged list, page by page, up to [`MOST_PAGES`]: `document` names the list
/// `list` and takes `$after`, beside `variables`.
pub async fn every<T: DeserializeOwned>(
    state: &AppState,
    visitor: &Visitor,
    document: &'static str,
    variables: Value,
) -> Result<Vec<T>, PageError> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MOST_PAGES {
        let mut variables = variables.clone();
        if let Value::Object(map) = &mut variables {
            map.insert("after".into(), after.clone().map_or(Value::Null, Value::String));
        }
        let Listed { list } = ask::<Listed<T>>(state, visitor, &Question::new(document, variables)).await?;
        items.extend(list.nodes);
        match (list.page_info.has_next_page, list.page_info.end_cursor) {
            (true, Some(cursor)) => after = Some(cursor),
            _ => break,
        }
    }
    Ok(items)
}
