//! What every form of the site shares: the cross-site checks (the session's synchronizer token and
//! the request's stated origin), a safe return address, answers that caches must not keep, the
//! message page of a form that was refused or could not be carried out, and a change sent to the
//! registry's GraphQL schema in-process as the visitor, with its error read back.

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::http::{AppState, answer_in_process};
use crate::people::session;
use crate::web::Visitor;
use crate::web::account::Current;
use crate::web::lang::Here;
use crate::web::page::{Layout, PageError, Section, render};

/// Why a form was refused: it did not come from this site, or without this session's token.
pub fn refused(here: &Here) -> Response {
    let ui = here.labels();
    message(here, StatusCode::FORBIDDEN, ui.form_refused, ui.form_refused_text.to_string(), None)
}

/// Whether a state-changing request may be carried out: it names this site as where it comes from
/// (when the browser says so) and carries the session's synchronizer token.
pub fn form_allowed<'a>(
    state: &AppState,
    headers: &HeaderMap,
    current: &'a Current,
    token: &str,
) -> Option<&'a entity::session::Model> {
    if !same_origin(state, headers) {
        return None;
    }
    current.session.as_ref().filter(|s| session::csrf_matches(s, token))
}

/// Whether the request's `Origin` (or, without one, its `Referer`) is this site: the configured
/// public address, or else the `Host` the request was sent to. A request with neither header is not
/// from a browser form that would leave them out cross-site (browsers send `Origin` with every
/// cross-site POST); the synchronizer token still has to match.
pub fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let stated = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .map(|v| v.to_str().unwrap_or("null").to_string());
    let Some(stated) = stated else {
        return true;
    };
    let Ok(url) = url::Url::parse(&stated) else {
        return false;
    };
    let authority = |url: &url::Url| {
        url.host_str().map(|h| match url.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        })
    };
    match state.people.public_origin() {
        Some(public) => url.origin().ascii_serialization() == public,
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            host.is_some() && authority(&url).as_deref() == host
        }
    }
}

/// A page to return to after signing in: a path on this site, never another site's address.
pub fn local_path(path: Option<&str>) -> Option<String> {
    let path = path?.trim();
    let fine = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 500
        && !path.chars().any(|c| c.is_control() || c == '\\');
    fine.then(|| path.to_string())
}

/// The answer to a visitor who must sign in first: to the sign-in page, and back to this page after.
pub fn sign_in_first(here: &Here) -> Response {
    let back = here.at(here.dutch.as_str());
    see_other(&format!("{}?terug={}", here.at("/aanmelden"), encode(&back)), None)
}

pub fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    no_store(response)
}

/// Pages with a person's data or a form's token are not kept by caches.
pub fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Template)]
#[template(path = "account_message.html")]
pub struct MessagePage {
    layout: Layout,
    heading: &'static str,
    text: String,
    back: Option<(String, &'static str)>,
}

pub fn message(
    here: &Here,
    status: StatusCode,
    heading: &'static str,
    text: String,
    back: Option<(String, &'static str)>,
) -> Response {
    let page = MessagePage { layout: Layout::new(here, heading, text.clone(), ""), heading, text, back };
    let mut response = no_store(render(&page));
    *response.status_mut() = status;
    response
}

pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Why the registry did not carry out a form's change: the API's code, its message (the same words
/// as over `/graphql`), the input field it names, if any, and the page status that fits the code.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl Refusal {
    /// The message without the field name the API puts before it ("title: is required").
    pub fn text(&self) -> &str {
        match &self.field {
            Some(field) => {
                self.message.strip_prefix(field.as_str()).and_then(|m| m.strip_prefix(": ")).unwrap_or(&self.message)
            }
            None => &self.message,
        }
    }

    /// Whether someone else saved the record first (the version the form was read at is stale).
    pub fn is_conflict(&self) -> bool {
        self.code == "CONFLICT"
    }
}

/// Runs a document in-process as the visitor: its data, or the first error as a [`Refusal`]. A
/// rate limit, an unreachable database and internal errors are the page's own errors.
pub async fn mutate(
    state: &AppState,
    visitor: &Visitor,
    document: &str,
    variables: Value,
) -> Result<Result<Value, Refusal>, PageError> {
    let request = async_graphql::Request::new(document).variables(async_graphql::Variables::from_json(variables));
    let answer =
        answer_in_process(state, visitor.actor.clone(), &visitor.caller(), &visitor.request_id, request).await?;
    if answer.unreachable {
        return Err(PageError::DatabaseDown);
    }
    let body: Value = serde_json::from_slice(&answer.body).map_err(|_| PageError::Internal)?;
    if let Some(error) = body["errors"].get(0) {
        let code = error["extensions"]["code"].as_str().unwrap_or_default().to_string();
        let status = match code.as_str() {
            "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
            "FORBIDDEN" => StatusCode::FORBIDDEN,
            "NOT_FOUND" => StatusCode::NOT_FOUND,
            "CONFLICT" => StatusCode::CONFLICT,
            "BAD_USER_INPUT" => StatusCode::UNPROCESSABLE_ENTITY,
            "RATE_LIMITED" => return Err(PageError::RateLimited),
            "SERVICE_UNAVAILABLE" => return Err(PageError::Unavailable),
            _ => return Err(PageError::Internal),
        };
        return Ok(Err(Refusal {
            status,
            code,
            message: error["message"].as_str().unwrap_or_default().to_string(),
            field: error["extensions"]["field"].as_str().map(str::to_string),
        }));
    }
    Ok(Ok(body["data"].clone()))
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn a_sign_in_returns_only_to_a_path_of_this_site() {
        assert_eq!(local_path(Some("/account")).as_deref(), Some("/account"));
        assert_eq!(local_path(Some("/en/zoeken?q=taal")).as_deref(), Some("/en/zoeken?q=taal"));
        for other in ["//evil.example", "https://evil.example/", "/\\evil.example", "account", "/a\nb", ""] {
            assert_eq!(local_path(Some(other)), None, "{other:?}");
        }
        assert_eq!(local_path(None), None);
    }
}
