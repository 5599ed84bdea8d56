//! HTTP caching of GraphQL answers: an anonymous query sent with GET names its answer by the state of the
//! data (the change log's last id, which the answer cache reads too) and the build's schema, as a weak
//! `ETag`; a client or cache that sends it back in `If-None-Match` gets `304 Not Modified` without the query
//! running. Every other answer (signed in, an API key, POST, errors) is marked `private, no-store`.

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

/// What anonymous GET answers may be kept as: by anyone, but checked again before each use (the data can
/// change any time; checking costs one indexed statement and no query).
pub const REVALIDATE: &str = "public, max-age=0, must-revalidate";
/// What every other answer is marked: nobody keeps it.
pub const NO_STORE: &str = "private, no-store";

/// The part of every entity tag that changes with the build's schema, so that a new version of the
/// registry does not confirm an answer shaped by the old one.
pub fn schema_tag(sdl: &str) -> String {
    hex::encode(&Sha256::digest(sdl.as_bytes())[..6])
}

/// The weak entity tag of an answer computed at change-log `stamp` by a registry of `schema_tag`.
pub fn entity_tag(stamp: i64, schema_tag: &str) -> String {
    format!("W/\"{stamp}-{schema_tag}\"")
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for `If-None-Match`), or is `*`.
pub fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = opaque(tag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|value| value.trim() == "*" || value.split(',').any(|candidate| opaque(candidate) == ours))
}

/// Sets the caching headers of an answer: its tag and `REVALIDATE` when it may be kept, else `NO_STORE`.
pub fn mark(headers: &mut HeaderMap, tag: Option<&str>) {
    match tag.and_then(|t| HeaderValue::from_str(t).ok()) {
        Some(value) => {
            headers.insert(header::ETAG, value);
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
        }
        None => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_if_none_match(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    #[test]
    fn if_none_match_compares_weakly_in_lists_and_across_headers() {
        let tag = entity_tag(42, "abc");
        assert_eq!(tag, "W/\"42-abc\"");
        assert!(not_modified(&with_if_none_match(&["W/\"42-abc\""]), &tag));
        assert!(not_modified(&with_if_none_match(&["\"42-abc\""]), &tag), "weak comparison ignores W/");
        assert!(not_modified(&with_if_none_match(&["W/\"1-abc\", W/\"42-abc\""]), &tag));
        assert!(not_modified(&with_if_none_match(&["W/\"1-abc\"", "W/\"42-abc\""]), &tag));
        assert!(not_modified(&with_if_none_match(&["*"]), &tag));
        assert!(!not_modified(&with_if_none_match(&["W/\"41-abc\""]), &tag), "another state of the data");
        assert!(!not_modified(&with_if_none_match(&["W/\"42-abd\""]), &tag), "another build's schema");
        assert!(!not_modified(&HeaderMap::new(), &tag));
    }
}
