//! The web's static files (the vendored NL Design System CSS and GraphiQL, the registry's own CSS and scripts),
//! compiled into the binary and served under names that carry a hash of their content, so that a
//! browser may keep each for a year and a new build is fetched at once.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Where the files are served.
pub const PREFIX: &str = "/static/";

/// One file: its name in the source tree (under `static/`), its media type and its bytes.
struct File {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! file {
    ($name:literal, $type:expr) => {
        File { name: $name, content_type: $type, bytes: include_bytes!(concat!("../../static/", $name)) }
    };
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// Every file served. A file added here is reachable as `asset_url("<name>")`.
static FILES: [File; 9] = [
    file!("vendor/nl-design-system/utrecht-component-library-css-9.0.4.css", CSS),
    file!("vendor/nl-design-system/voorbeeld-design-tokens-7.4.1-theme.css", CSS),
    file!("vendor/graphiql/graphiql-3.9.0.min.css", CSS),
    file!("vendor/graphiql/graphiql-3.9.0.min.js", JS),
    file!("vendor/graphiql/react-18.3.1.production.min.js", JS),
    file!("vendor/graphiql/react-dom-18.3.1.production.min.js", JS),
    file!("registry.css", CSS),
    file!("registry.js", JS),
    file!("graphiql.js", JS),
];

struct Served {
    /// The hashed URL of each file, by its source name.
    urls: HashMap<&'static str, String>,
    /// Each file by the hashed name it is served under.
    files: HashMap<String, &'static File>,
}

static SERVED: LazyLock<Served> = LazyLock::new(|| {
    let (mut urls, mut files) = (HashMap::new(), HashMap::new());
    for file in &FILES {
        let hash = hex::encode(&Sha256::digest(file.bytes)[..6]);
        let hashed = match file.name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
            None => format!("{}.{hash}", file.name),
        };
        urls.insert(file.name, format!("{PREFIX}{hashed}"));
        files.insert(hashed, file);
    }
    Served { urls, files }
});

/// The URL a static file is served at (with its content hash in the name).
///
/// # Panics
/// When `name` is not one of the files compiled in: a template naming a missing file fails on
/// its first render, in every test that renders it.
pub fn asset_url(name: &str) -> &'static str {
    SERVED.urls.get(name).unwrap_or_else(|| panic!("no static file {name} is compiled in")).as_str()
}

/// `GET /static/{*file}`: a compiled-in file, to be kept a year; anything else is 404.
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some(found) = SERVED.files.get(file.as_str()) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Niet gevonden")
            .into_response();
    };
    let mut response = found.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(found.content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_served_under_a_name_with_its_hash_and_types_are_known() {
        for file in &FILES {
            let url = asset_url(file.name);
            assert!(url.starts_with(PREFIX), "{url}");
            assert_ne!(url.trim_start_matches(PREFIX), file.name, "the name carries a hash");
            assert!([CSS, JS].contains(&file.content_type), "{}", file.name);
        }
    }
}
