//! Cross-origin calls to the API from browsers: the origins allowed to call `/graphql` (configured,
//! none by default), and the CORS layer that answers their preflights.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use serde::Deserialize;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The origins whose pages may call the API (`https://example.nl`), from a comma-separated list.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct CorsOrigins(Vec<String>);

impl TryFrom<String> for CorsOrigins {
    type Error = String;

    fn try_from(list: String) -> Result<Self, String> {
        Self::parse(&list)
    }
}

impl CorsOrigins {
    /// Parses `https://a.example, http://localhost:3000`: each an origin as browsers send it (a
    /// scheme, a host and maybe a port; no path, no wildcard), so that credentials are only ever
    /// shared with pages named one by one.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut origins = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let bad =
                || format!("`{item}` is not an origin like https://bibliotheek.example.nl (scheme and host, no path)");
            let (scheme, rest) = item.split_once("://").ok_or_else(bad)?;
            let host = rest.split_once(':').map_or(rest, |(host, port)| {
                if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) { "" } else { host }
            });
            let host_ok = !host.is_empty()
                && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '[' || c == ']');
            if !matches!(scheme, "http" | "https") || !host_ok {
                return Err(bad());
            }
            origins.push(item.to_ascii_lowercase());
        }
        Ok(Self(origins))
    }

    /// The CORS layer for `/graphql`: the listed origins may send queries and mutations with their
    /// credentials (and revalidate a GET answer with `If-None-Match`) and read the answer's entity tag,
    /// rate-limit, cost and request-id headers; any other origin
    /// gets no `Access-Control-Allow-Origin`, so its browser keeps the answer from it.
    pub fn layer(&self) -> CorsLayer {
        let origins: Vec<HeaderValue> = self.0.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::IF_NONE_MATCH,
                HeaderName::from_static("idempotency-key"),
                HeaderName::from_static("x-request-id"),
                HeaderName::from_static("x-requested-with"),
                HeaderName::from_static("graphql-require-preflight"),
                HeaderName::from_static("apollo-require-preflight"),
            ])
            .expose_headers([
                header::RETRY_AFTER,
                header::ETAG,
                HeaderName::from_static("ratelimit-limit"),
                HeaderName::from_static("ratelimit-remaining"),
                HeaderName::from_static("ratelimit-reset"),
                HeaderName::from_static("ratelimit-policy"),
                HeaderName::from_static("query-cost"),
                HeaderName::from_static("x-request-id"),
                HeaderName::from_static("idempotent-replayed"),
            ])
            .max_age(Duration::from_secs(600))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_schemes_and_hosts_and_anything_else_is_refused_by_name() {
        let parsed = CorsOrigins::parse(" https://Bibliotheek.example.nl, http://localhost:3000 ,").unwrap();
        assert_eq!(parsed.0, vec!["https://bibliotheek.example.nl", "http://localhost:3000"]);
        assert_eq!(CorsOrigins::parse("").unwrap(), CorsOrigins::default());
        for bad in ["*", "bibliotheek.example.nl", "https://example.nl/path", "ftp://example.nl", "https://a.nl:x"] {
            let error = CorsOrigins::parse(bad).unwrap_err();
            assert!(error.contains(bad), "{bad}: {error}");
        }
    }
}
