//! What a GraphQL request must look like before any GraphQL runs: media type (against CSRF), body
//! size, and one operation per request.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{HeaderMap, header};

use crate::error::{AppError, Rejection};

/// Headers a browser cannot send cross-site without a CORS preflight; with one of them a simple
/// `text/plain` request is accepted, because the preflight would have stopped a forged one.
const PREFLIGHT_HEADERS: [&str; 3] = ["x-requested-with", "graphql-require-preflight", "apollo-require-preflight"];

fn rejected(reason: Rejection, message: impl Into<String>) -> AppError {
    AppError::Rejected { reason, message: message.into() }
}

/// Refuses media types a cross-site form could send (`application/x-www-form-urlencoded`,
/// `multipart/form-data`, `text/plain`) unless a preflight-forcing header is present, and any
/// media type that is not JSON.
pub fn check_media_type(headers: &HeaderMap) -> Result<(), AppError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let preflighted = PREFLIGHT_HEADERS.iter().any(|h| headers.contains_key(*h));
    match media_type.as_str() {
        "application/json" => Ok(()),
        "text/plain" if preflighted => Ok(()),
        "text/plain" | "application/x-www-form-urlencoded" | "multipart/form-data" if !preflighted => Err(rejected(
            Rejection::Malformed,
            format!(
                "a {media_type} request could be forged by another web site; send application/json \
                 (or add one of the headers {})",
                PREFLIGHT_HEADERS.join(", ")
            ),
        )),
        "" => Err(rejected(Rejection::WrongMediaType, "send the request as application/json")),
        other => Err(rejected(
            Rejection::WrongMediaType,
            format!("{other} is not accepted; send the request as application/json"),
        )),
    }
}

/// Reads the body up to `limit` bytes; a larger one is refused with HTTP 413 without reading on.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<axum::body::Bytes, AppError> {
    let too_large = || {
        rejected(
            Rejection::TooLarge,
            format!("the request body is larger than {limit} bytes (REGISTRY_SERVER__MAX_BODY_BYTES)"),
        )
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, limit).await.map_err(|_| too_large())
}

/// Parses one GraphQL request from JSON; a batch (a JSON array) is refused.
pub fn parse_request(bytes: &[u8]) -> Result<async_graphql::Request, AppError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'[') {
        return Err(rejected(
            Rejection::Malformed,
            "batched requests are not accepted; send one operation per request",
        ));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| rejected(Rejection::Malformed, format!("the body is not a GraphQL request in JSON: {e}")))
}

/// A request from the query string of a GET: `query`, `operationName`, `variables` (JSON).
pub fn request_from_query(params: &HashMap<String, String>) -> Result<async_graphql::Request, AppError> {
    let query = params.get("query").cloned().unwrap_or_default();
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.get("operationName").filter(|n| !n.is_empty()) {
        request = request.operation_name(name.clone());
    }
    if let Some(variables) = params.get("variables").filter(|v| !v.is_empty()) {
        let value: serde_json::Value = serde_json::from_str(variables)
            .map_err(|e| rejected(Rejection::Malformed, format!("variables is not JSON: {e}")))?;
        request = request.variables(async_graphql::Variables::from_json(value));
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(content_type: &str, extra: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
        if let Some(name) = extra {
            h.insert(axum::http::HeaderName::from_static(name), "1".parse().unwrap());
        }
        h
    }

    #[test]
    fn simple_media_types_need_a_preflight_header() {
        assert!(check_media_type(&headers("application/json; charset=utf-8", None)).is_ok());
        assert!(check_media_type(&headers("text/plain", None)).is_err());
        assert!(check_media_type(&headers("text/plain", Some("x-requested-with"))).is_ok());
        assert!(check_media_type(&headers("application/x-www-form-urlencoded", None)).is_err());
        assert!(check_media_type(&headers("application/xml", None)).is_err());
    }
}
