//! Customer knowledge kept on the web by the organisations that record it: a library's editors
//! and a support organisation's advisors record a study (`/beheer/kennis/…`), its customer
//! journey with stages (added, changed, reordered, removed), its insights and improvement ideas
//! with their bucket, its links to propositions; a library takes up other organisations' ideas and
//! keeps track of them. Every change goes through the API's own mutations as the signed-in person,
//! so every rule, message and history entry is the API's; a stale form shows what the other person
//! changed and keeps the person's own changes (see `record`).

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::{message, mutate, see_other};
use crate::web::labels::Labels;
use crate::web::page::PageError;
use crate::web::pages::shared::study_path;
use crate::web::pages::{global_id, number};
use crate::web::staff::record::{self, Kind, Opt, RecordForm, Sent, Spec, Values};
use crate::web::staff::records::*;

/// The writer's organisation (`$me`) with what its forms offer to choose from.
macro_rules! me_fields {
    () => {
        "me: node(id: $me) { ... on Organisation { id name kind supportOrganisation { id name }
    supportedLibraries { id name } propositions(first: 100) { nodes { id title } } } }"
    };
}

/// The common model's lists the forms choose from (`$language`).
macro_rules! model_fields {
    () => {
        "targetGroups { code name(language: $language) }
  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) }"
    };
}

mod ideas;
mod journey;
mod study;

use ideas::save_record;
pub use ideas::{adopt, elsewhere, record_page};
pub use journey::{add_stage, journey, move_stage, remove_stage, save_journey, save_stage};
use study::add_to_study;
pub use study::{create_study, home, new_study, save_study, show_study, unlink};

// ---- who acts -----------------------------------------------------------------------------------

/// The organisation whose knowledge the visitor keeps (a library's editor or a support
/// organisation's advisor), as a global id; else the answer that sends them to sign in or says why
/// their role records none.
fn acting_writer(visitor: &Visitor) -> Result<String, Box<Response>> {
    crate::web::staff::signed_in(visitor)?;
    match visitor.actor.edited_library().or(visitor.actor.support_organisation()) {
        Some(id) => Ok(crate::kernel::ids::encode("Organisation", id).0),
        None => {
            let ui = visitor.here.labels();
            let back = Some((visitor.here.at("/account"), ui.back_to_account));
            Err(Box::new(message(
                &visitor.here,
                StatusCode::FORBIDDEN,
                ui.k_no_writer,
                ui.k_no_writer_text.into(),
                back,
            )))
        }
    }
}

/// A posted form's organisation: the form must come from this site with the session's token.
fn form_of_writer(
    state: &AppState,
    headers: &HeaderMap,
    visitor: &Visitor,
    csrf: &str,
) -> Result<String, Box<Response>> {
    crate::web::staff::posted(state, headers, visitor, csrf)?;
    acting_writer(visitor)
}

/// The writer's organisation, with what its forms offer to choose from.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Me {
    id: String,
    name: String,
    kind: String,
    #[serde(default)]
    support_organisation: Option<Named>,
    #[serde(default)]
    supported_libraries: Vec<Named>,
    #[serde(default)]
    propositions: Nodes<Named>,
}

/// The common model's lists the forms choose from.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Model {
    target_groups: Vec<Coded>,
    standard_propositions: Vec<Coded>,
    #[serde(default)]
    provinces: Vec<Coded>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StudyRef {
    id: String,
    title: String,
    commissioned_by: Vec<Named>,
    conducted_by: Vec<Named>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdeaRow {
    id: String,
    title: String,
    priority: String,
    adoption_count: i64,
}

/// The study a record belongs to, when the writer's organisation is named on it.
fn own_study<'a>(study: Option<&'a StudyRef>, me: &str) -> Result<&'a StudyRef, PageError> {
    study.filter(|s| s.commissioned_by.iter().chain(&s.conducted_by).any(|o| o.id == me)).ok_or(PageError::NotFound)
}

/// `POST /beheer/kennis/koppelingen/{number}/verwijderen`: removes a link of a study.
pub async fn post_two(
    state: State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((a, b)): Path<(String, String)>,
    form: Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if a.parse::<i64>().is_ok() {
        add_to_study(state, visitor, headers, Path((a, b)), form).await
    } else {
        save_record(state, visitor, headers, Path((a, b)), form).await
    }
}
