//! GraphiQL, the API's playground, served from the registry's own vendored files at `/graphiql`
//! (and at `GET /graphql` without a query), with a page's question filled in from the address.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::web::assets::asset_url;

#[derive(Template)]
#[template(path = "graphiql.html")]
struct Page {
    css: &'static str,
    page_css: &'static str,
    scripts: [&'static str; 4],
}

/// `GET /graphiql`: GraphiQL against `/graphql`. GraphiQL sets inline styles and ships its fonts
/// as `data:` URLs, so its page allows those; like every page, it loads nothing from elsewhere.
pub async fn page() -> Response {
    let page = Page {
        css: asset_url("vendor/graphiql/graphiql-3.9.0.min.css"),
        page_css: asset_url("registry.css"),
        scripts: [
            asset_url("vendor/graphiql/react-18.3.1.production.min.js"),
            asset_url("vendor/graphiql/react-dom-18.3.1.production.min.js"),
            asset_url("vendor/graphiql/graphiql-3.9.0.min.js"),
            asset_url("graphiql.js"),
        ],
    };
    let html = match page.render() {
        Ok(html) => html,
        Err(e) => {
            tracing::error!(error.cause = %e, "the GraphiQL page failed to render");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut response = Html(html).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
        ),
    );
    response
}
