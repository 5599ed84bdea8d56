//! The sitemap: every public page for search engines, in both languages, under the registry's
//! configured public address (or, without one, the address the sitemap was asked at).

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::ask::{Question, ask, every};
use crate::web::lang::Lang;
use crate::web::pages::shared::study_path;
use crate::web::pages::{PROVINCES, organisation_path, proposition_path};
use crate::web::{PageError, Site, Visitor};

const SITEMAP: &str = r#"query Sitemap {
  standardPropositions { code }
  targetGroups { code }
}"#;

const SITEMAP_ORGANISATIONS: &str = r#"query SitemapOrganisations($after: String) {
  list: organisations(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { slug kind } }
}"#;

const SITEMAP_PROPOSITIONS: &str = r#"query SitemapPropositions($after: String) {
  list: propositions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
}"#;

const SITEMAP_STUDIES: &str = r#"query SitemapStudies($after: String) {
  list: studies(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SitemapAnswer {
    standard_propositions: Vec<Code>,
    target_groups: Vec<Code>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Slug {
    slug: String,
    kind: String,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

/// `GET /sitemap.xml`: every public page, in Dutch and in English.
pub async fn sitemap(
    State(state): State<AppState>,
    Extension(site): Extension<Site>,
    visitor: Visitor,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let mut paths =
        vec!["/".to_string(), "/bibliotheken".to_string(), "/standaardproposities".to_string(), "/dekking".to_string()];
    paths.extend(PROVINCES.iter().map(|(_, _, slug)| format!("/dekking?provincie={slug}")));
    let directory: SitemapAnswer = ask(&state, &visitor, &Question::new(SITEMAP, json!({}))).await?;
    paths.extend(directory.standard_propositions.iter().map(|s| format!("/standaardproposities/{}", s.code)));
    paths.extend(directory.target_groups.iter().map(|g| format!("/doelgroepen/{}", g.code)));
    let organisations: Vec<Slug> = every(&state, &visitor, SITEMAP_ORGANISATIONS, json!({})).await?;
    paths.extend(organisations.iter().map(|o| organisation_path(&o.kind, &o.slug)));
    let propositions: Vec<Id> = every(&state, &visitor, SITEMAP_PROPOSITIONS, json!({})).await?;
    paths.extend(propositions.iter().map(|p| proposition_path(&p.id)));
    let studies: Vec<Id> = every(&state, &visitor, SITEMAP_STUDIES, json!({})).await?;
    paths.extend(studies.iter().map(|s| study_path(&s.id)));
    let origin = match &site.public_url {
        Some(url) => url.as_str().to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
            format!("http://{host}")
        }
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        for lang in [Lang::Nl, Lang::En] {
            let escaped = lang.localise(&path).replace('&', "&amp;");
            xml.push_str(&format!("  <url><loc>{origin}{escaped}</loc></url>\n"));
        }
    }
    xml.push_str("</urlset>\n");
    let mut response = xml.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    Ok(response)
}
