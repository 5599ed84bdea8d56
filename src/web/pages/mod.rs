//! One module per page: each asks one question (`web::ask`) and fills its template; formatting
//! that templates need lives here as plain functions.

pub mod compare;
pub mod coverage;
pub mod home;
pub mod libraries;
pub mod organisation;
pub mod proposition;
pub mod search;
pub mod shared;
pub mod sitemap;
pub mod standard;
pub mod standards;
pub mod study;
pub mod target_group;

use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

use crate::web::PageError;

/// `GET /robots.txt`: every page may be indexed; the API and GraphiQL are not pages.
pub async fn robots() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /graphql\nDisallow: /graphiql\nSitemap: /sitemap.xml\n",
    )
}

/// Any address that is not a page.
pub async fn not_found() -> PageError {
    PageError::NotFound
}

/// The database id inside a global id, for readable addresses such as `/aanbod/12`.
pub fn number(global_id: &str) -> Option<i64> {
    crate::kernel::ids::parse(&async_graphql::ID(global_id.to_string())).map(|(_, id)| id)
}

/// The global id of a record of `type_name` from the number in an address; anything but a
/// positive number is not a page.
pub fn global_id(type_name: &str, number: &str) -> Result<String, PageError> {
    match number.parse::<i64>() {
        Ok(n) if n > 0 => Ok(crate::kernel::ids::encode(type_name, n).0),
        _ => Err(PageError::NotFound),
    }
}

/// A proposition's address.
pub fn proposition_path(global_id: &str) -> String {
    format!("/aanbod/{}", number(global_id).unwrap_or_default())
}

/// An organisation's address: libraries under `/bibliotheken`, the rest under `/organisaties`.
pub fn organisation_path(kind: &str, slug: &str) -> String {
    if kind == "LIBRARY" { format!("/bibliotheken/{slug}") } else { format!("/organisaties/{slug}") }
}

/// The twelve provinces: CBS code, name, and the slug the site's addresses use.
pub const PROVINCES: [(&str, &str, &str); 12] = [
    ("PV20", "Groningen", "groningen"),
    ("PV21", "Fryslân", "fryslan"),
    ("PV22", "Drenthe", "drenthe"),
    ("PV23", "Overijssel", "overijssel"),
    ("PV24", "Flevoland", "flevoland"),
    ("PV25", "Gelderland", "gelderland"),
    ("PV26", "Utrecht", "utrecht"),
    ("PV27", "Noord-Holland", "noord-holland"),
    ("PV28", "Zuid-Holland", "zuid-holland"),
    ("PV29", "Zeeland", "zeeland"),
    ("PV30", "Noord-Brabant", "noord-brabant"),
    ("PV31", "Limburg", "limburg"),
];

/// A province by the slug, code or name in an address.
pub fn province(value: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let value = value.trim().to_lowercase();
    PROVINCES
        .iter()
        .copied()
        .find(|(code, name, slug)| *slug == value || code.to_lowercase() == value || name.to_lowercase() == value)
}

/// A province's name by its code.
pub fn province_name(code: &str) -> &'static str {
    PROVINCES.iter().find(|(c, _, _)| *c == code).map_or("", |(_, name, _)| name)
}

/// A code and a name, as the common model and regions are shown.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Named {
    pub code: String,
    pub name: String,
}
