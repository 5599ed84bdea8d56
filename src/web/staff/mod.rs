//! The staff side of the site: a library's editors keep its offer — its propositions, as drafts,
//! published and archived — on the web, through the same GraphQL mutations as the API, so that
//! every rule, message and history entry is the API's own. Who may change what is the domain's
//! answer (a proposition's `viewerCanEdit`, the mutations' own checks); these pages decide only
//! what to show, and send every change with the session's form token.
//!
//! May use: `web` (forms, pages, labels), `identity` (the visitor's actor), `kernel::ids`.

mod branches;
mod drafts;
mod form;
mod keys;
#[macro_use]
mod records;
mod knowledge;
mod model;
mod offer;
mod organisations;
mod proposition;
mod record;
mod sheet;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::forms::{form_allowed, message, refused, see_other};

/// The staff pages' addresses (Dutch; the same under `/en`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beheer", get(staff_home))
        .route("/beheer/aanbod", get(offer::page))
        .route("/beheer/concepten", get(drafts::page))
        .route("/beheer/aanbod/nieuw", get(proposition::new_form).post(proposition::create))
        .route("/beheer/aanbod/{id}", get(proposition::edit_form).post(proposition::save))
        .route("/beheer/aanbod/{id}/status", post(proposition::change_state))
        .route("/beheer/aanbod/sjabloon.csv", get(sheet::template))
        .route("/beheer/aanbod/export.csv", get(sheet::export))
        .route("/beheer/vestigingen", get(branches::page).post(branches::add))
        .route("/beheer/vestigingen/{n}", post(branches::save_branch))
        .route("/beheer/vestigingen/{n}/verwijderen", post(branches::remove))
        .route("/beheer/organisaties", get(organisations::page).post(organisations::add))
        .route("/beheer/organisaties/{slug}", get(organisations::one).post(organisations::save_one))
        .route("/beheer/organisaties/{slug}/leden", post(organisations::grant))
        .route("/beheer/organisaties/{slug}/leden/{n}/intrekken", post(organisations::revoke))
        .route("/beheer/model", get(model::page))
        .route("/beheer/model/{what}", post(model::add))
        .route("/beheer/model/{what}/{code}", get(model::record_page).post(model::save_record))
        .route("/beheer/model/standaard/{code}/intrekken", post(model::retire))
        .route("/beheer/sleutels", get(keys::page).post(keys::create))
        .route("/beheer/sleutels/{n}/intrekken", post(keys::revoke))
        .route("/beheer/kennis", get(knowledge::home))
        .route("/beheer/kennis/nieuw", get(knowledge::new_study).post(knowledge::create_study))
        .route("/beheer/kennis/ideeen-elders", get(knowledge::elsewhere))
        .route("/beheer/kennis/{n}", get(knowledge::show_study).post(knowledge::save_study))
        .route("/beheer/kennis/{a}/{b}", get(knowledge::record_page).post(knowledge::post_two))
        .route("/beheer/kennis/reizen/{n}", get(knowledge::journey).post(knowledge::save_journey))
        .route("/beheer/kennis/reizen/{n}/etappes", post(knowledge::add_stage))
        .route("/beheer/kennis/reizen/{n}/volgorde", post(knowledge::move_stage))
        .route("/beheer/kennis/reizen/{n}/etappes/{stage}", post(knowledge::save_stage))
        .route("/beheer/kennis/reizen/{n}/etappes/{stage}/verwijderen", post(knowledge::remove_stage))
        .route("/beheer/kennis/koppelingen/{n}/verwijderen", post(knowledge::unlink))
        .route("/beheer/kennis/ideeen/{n}/overnemen", post(knowledge::adopt))
        .merge(
            Router::new()
                .route("/beheer/aanbod/importeren", get(sheet::form).post(sheet::preview))
                .route("/beheer/aanbod/importeren/bevestigen", post(sheet::confirm))
                .layer(DefaultBodyLimit::max(sheet::MAX_FORM_BYTES)),
        )
}

/// The staff page of the role an actor acts in: a library's editor keeps its offer, a support
/// organisation's advisor follows its libraries' drafts.
pub fn home(actor: &crate::identity::Actor) -> Option<&'static str> {
    if actor.edited_library().is_some() {
        Some("/beheer/aanbod")
    } else if actor.support_organisation().is_some() {
        Some("/beheer/concepten")
    } else if actor.is_maintainer() {
        Some("/beheer/model")
    } else if actor.admin && actor.organisation_id().is_some() {
        Some("/beheer/sleutels")
    } else {
        None
    }
}

/// `GET /beheer`: the visitor's staff page, by the role they act in.
async fn staff_home(visitor: Visitor) -> Response {
    match home(&visitor.actor) {
        Some(path) => see_other(&visitor.here.at(path), None),
        None => match acting_library(&visitor) {
            Ok(_) => see_other(&visitor.here.at("/beheer/aanbod"), None),
            Err(response) => *response,
        },
    }
}

/// The library a posted staff form changes (as a global id): the form must come from this site
/// with the session's token, from a library's editor; else the answer that refuses it.
fn form_of_library(
    state: &AppState,
    headers: &HeaderMap,
    visitor: &Visitor,
    csrf: &str,
) -> Result<String, Box<Response>> {
    posted(state, headers, visitor, csrf)?;
    acting_library(visitor)
}

/// Whether a posted form may be carried out: from this site, with the session's token; else the
/// answer that refuses it (also a form sent without a session, as a cross-site form is, whose
/// browser keeps the `SameSite` cookie back).
fn posted(state: &AppState, headers: &HeaderMap, visitor: &Visitor, csrf: &str) -> Result<(), Box<Response>> {
    if form_allowed(state, headers, &visitor.current, csrf).is_none() {
        return Err(Box::new(refused(&visitor.here)));
    }
    Ok(())
}

/// Nothing for a signed-in visitor; for anyone else, the answer that sends them to sign in and
/// back to this page. Every staff page starts with it.
fn signed_in(visitor: &Visitor) -> Result<(), Box<Response>> {
    if visitor.current.signed_in.is_some() {
        return Ok(());
    }
    Err(Box::new(crate::web::forms::sign_in_first(&visitor.here)))
}

/// The library whose offer the visitor keeps (as a global id), or the answer to a visitor who
/// keeps none: to sign in first, or why their current role does not edit a library.
fn acting_library(visitor: &Visitor) -> Result<String, Box<Response>> {
    signed_in(visitor)?;
    match visitor.actor.edited_library() {
        Some(id) => Ok(crate::kernel::ids::encode("Organisation", id).0),
        None => {
            let ui = visitor.here.labels();
            let back = Some((visitor.here.at("/account"), ui.back_to_account));
            let why = ui.staff_no_library_text.into();
            Err(Box::new(message(&visitor.here, StatusCode::FORBIDDEN, ui.staff_no_library, why, back)))
        }
    }
}
