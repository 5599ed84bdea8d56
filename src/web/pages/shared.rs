//! The small shapes many pages read from their answers (an organisation, a titled record, a
//! branch), with the addresses they link to; a page's own shapes stay in its module.

use serde::Deserialize;

use crate::web::pages::{number, organisation_path};

/// An organisation to link to.
#[derive(Debug, Clone, Deserialize)]
pub struct OrgRef {
    pub name: String,
    pub slug: String,
    pub kind: String,
}

impl OrgRef {
    /// Its page.
    pub fn path(&self) -> String {
        organisation_path(&self.kind, &self.slug)
    }
}

/// A record of which only the name is shown.
#[derive(Debug, Clone, Deserialize)]
pub struct NameOnly {
    pub name: String,
}

/// A record to link to by its global id (a study, a proposition) and its title.
#[derive(Debug, Clone, Deserialize)]
pub struct Titled {
    pub id: String,
    pub title: String,
}

impl Titled {
    /// Its page, when it is a study.
    pub fn study_path(&self) -> String {
        study_path(&self.id)
    }
}

/// A branch with its address.
#[derive(Debug, Clone, Deserialize)]
pub struct Branch {
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub municipality: Option<NameOnly>,
}

/// A study's page.
pub fn study_path(global_id: &str) -> String {
    format!("/onderzoek/{}", number(global_id).unwrap_or_default())
}

/// Where a page of a connection ends: whether more follow, and the cursor to ask for them with.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// A value as it goes into an address's query string.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
