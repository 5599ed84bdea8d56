//! Customer knowledge kept on the web by the organisations that record it: a library's editors
//! and a support organisation's advisors record a study (`/beheer/kennis/…`), its customer
//! journey with stages (added, changed, reordered, removed), its insights and improvement ideas
//! with their bucket, its links to propositions; a library takes up other organisations' ideas and
//! keeps track of them. Every change goes through the API's own mutations as the signed-in person,
//! so every rule, message and history entry is the API's; a stale form shows what the other person
//! changed and keeps the person's own changes (see `record`).

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::{Refusal, form_allowed, message, mutate, no_store, refused, see_other};
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::study_path;
use crate::web::pages::{global_id, number};
use crate::web::staff::proposition::moment;
use crate::web::staff::record::{self, Kind, Opt, RecordForm, Sent, Spec, Values};

/// The fields of a record's last changes, for its history table and a stale form's "who".
macro_rules! history_fields {
    () => {
        "history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }"
    };
}

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

// ---- the page -----------------------------------------------------------------------------------

/// A button that sends a small form of its own (move, remove, unlink, adopt).
pub struct Button {
    action: String,
    label: &'static str,
    /// Its accessible name when the label alone does not say what it acts on.
    aria: String,
    hidden: Vec<(&'static str, String)>,
}

/// One record in a list of the page.
pub struct Item {
    title: String,
    link: Option<String>,
    meta: String,
    text: Option<String>,
    buttons: Vec<Button>,
    form: Option<RecordForm>,
}

impl Item {
    fn new(title: impl Into<String>) -> Self {
        Self { title: title.into(), link: None, meta: String::new(), text: None, buttons: Vec::new(), form: None }
    }
}

/// A section of the page: a list of records and, below it, a form to add one.
pub struct Part {
    id: &'static str,
    heading: &'static str,
    lead: Option<&'static str>,
    numbered: bool,
    items: Vec<Item>,
    empty: &'static str,
    add: Option<RecordForm>,
}

struct HistoryRow {
    when: String,
    who: String,
    action: &'static str,
    fields: String,
}

#[derive(Template)]
#[template(path = "staff_knowledge.html")]
struct KnowledgePage {
    layout: Layout,
    csrf: String,
    back: Option<(String, &'static str)>,
    heading: String,
    lead: Option<String>,
    links: Vec<(String, &'static str)>,
    /// The first link is the page's main action (a button), not a way elsewhere.
    primary_link: bool,
    notice: Option<String>,
    form: Option<RecordForm>,
    parts: Vec<Part>,
    history: Vec<HistoryRow>,
    /// The page's own record's changes: (version, who and when), to name who saved first.
    changes: Vec<(i32, String)>,
}

impl KnowledgePage {
    fn new(visitor: &Visitor, path: &str, heading: String) -> Self {
        let ui = visitor.here.labels();
        Self {
            layout: Layout::new(&visitor.here, heading.clone(), ui.k_lead, path.to_string()).in_section(Section::Staff),
            csrf: csrf_of(visitor),
            back: None,
            heading,
            lead: None,
            links: Vec::new(),
            primary_link: false,
            notice: None,
            form: None,
            parts: Vec::new(),
            history: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// The form with this id: the record's own, an add form, or a listed record's.
    fn form_mut(&mut self, id: &str) -> Option<&mut RecordForm> {
        if self.form.as_ref().is_some_and(|f| f.id == id) {
            return self.form.as_mut();
        }
        for part in &mut self.parts {
            if part.add.as_ref().is_some_and(|f| f.id == id) {
                return part.add.as_mut();
            }
            for item in &mut part.items {
                if item.form.as_ref().is_some_and(|f| f.id == id) {
                    return item.form.as_mut();
                }
            }
        }
        None
    }

    fn respond(self, status: StatusCode) -> Response {
        let mut response = no_store(render(&self));
        *response.status_mut() = status;
        response
    }
}

fn csrf_of(visitor: &Visitor) -> String {
    visitor.current.signed_in.as_ref().map(|s| s.session.csrf_token.clone()).unwrap_or_default()
}

// ---- who acts -----------------------------------------------------------------------------------

/// The organisation whose knowledge the visitor keeps (a library's editor or a support
/// organisation's advisor), as a global id; else the answer that sends them to sign in or says why
/// their role records none.
fn acting_writer(visitor: &Visitor) -> Result<String, Box<Response>> {
    if visitor.current.signed_in.is_none() {
        let back = visitor.here.at(visitor.here.dutch.as_str());
        let to = format!("{}?terug={}", visitor.here.at("/aanmelden"), crate::web::forms::encode(&back));
        return Err(Box::new(see_other(&to, None)));
    }
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
    if visitor.current.signed_in.is_some() && form_allowed(state, headers, &visitor.current, csrf).is_none() {
        return Err(Box::new(refused(&visitor.here)));
    }
    acting_writer(visitor)
}

// ---- the registry's answers ---------------------------------------------------------------------

#[derive(Deserialize, Clone)]
struct Coded {
    code: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize, Clone)]
struct Named {
    id: String,
    #[serde(default, alias = "title")]
    name: String,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

#[derive(Deserialize)]
struct Nodes<T> {
    nodes: Vec<T>,
}

impl<T> Default for Nodes<T> {
    fn default() -> Self {
        Self { nodes: Vec::new() }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Change {
    action: String,
    occurred_at: String,
    version: i32,
    actor_person: Option<NameOnly>,
    actor_organisation: Option<NameOnly>,
    changes: Vec<FieldOnly>,
}

#[derive(Deserialize)]
struct NameOnly {
    name: String,
}

#[derive(Deserialize)]
struct FieldOnly {
    field: String,
}

fn who_changed(c: &Change) -> String {
    match (&c.actor_person, &c.actor_organisation) {
        (Some(p), Some(o)) => format!("{} ({})", p.name, o.name),
        (Some(p), None) => p.name.clone(),
        (None, Some(o)) => o.name.clone(),
        (None, None) => String::new(),
    }
}

/// The record's changes by version, to name who saved after a stale form was read.
fn changes(history: &Nodes<Change>) -> Vec<(i32, String)> {
    history.nodes.iter().map(|c| (c.version, format!("{}, {}", who_changed(c), moment(&c.occurred_at)))).collect()
}

fn history_rows(ui: &Labels, specs: &[Spec], history: &Nodes<Change>) -> Vec<HistoryRow> {
    // The API names a changed list by its field (`methods`, `targetGroups`); the form by its input.
    let label = |field: &str| {
        let stem = field.trim_end_matches('s');
        specs
            .iter()
            .find(|s| {
                s.name == field
                    || s.name
                        .trim_end_matches("Ids")
                        .trim_end_matches("Codes")
                        .trim_end_matches("Id")
                        .trim_end_matches("Code")
                        .trim_end_matches('s')
                        == stem
            })
            .map_or("", |s| s.label)
    };
    history
        .nodes
        .iter()
        .map(|c| HistoryRow {
            when: moment(&c.occurred_at),
            who: who_changed(c),
            action: ui.change_action(&c.action),
            fields: match c.action.as_str() {
                "UPDATE" => {
                    c.changes.iter().map(|f| label(&f.field)).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", ")
                }
                _ => String::new(),
            },
        })
        .collect()
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

fn coded(list: &[Coded]) -> Vec<Opt> {
    list.iter().map(|c| Opt::new(c.code.clone(), c.name.clone())).collect()
}

/// Choices by id: `first`, then any of `more` not among them (a current value stays choosable).
fn named(first: &[Named], more: &[Named]) -> Vec<Opt> {
    let mut opts: Vec<Opt> = Vec::new();
    for n in first.iter().chain(more) {
        if !opts.iter().any(|o| o.code == n.id) {
            opts.push(Opt::new(n.id.clone(), n.name.clone()));
        }
    }
    opts
}

fn enum_opts(codes: &[&str], name: impl Fn(&str) -> &'static str) -> Vec<Opt> {
    codes.iter().map(|c| Opt::new(*c, name(c))).collect()
}

fn ids(list: &[Named]) -> Value {
    json!(list.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
}

fn codes(list: &[Coded]) -> Value {
    json!(list.iter().map(|n| n.code.clone()).collect::<Vec<_>>())
}

fn language(visitor: &Visitor) -> &'static str {
    visitor.here.lang.graphql()
}

/// What a form just did, named in the address it sends the browser to (`?gedaan=…`).
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    gedaan: Option<String>,
}

fn notice(visitor: &Visitor, done: &Done) -> Option<String> {
    done.gedaan.as_deref().and_then(|d| visitor.here.labels().staff_done(d)).map(str::to_string)
}

/// The staff address of a record: `base/{number}`.
fn staff_path(base: &str, id: &str) -> String {
    format!("{base}/{}", number(id).unwrap_or_default())
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

// ---- the shared recipes -------------------------------------------------------------------------

/// Sends a new record's form: the page's own refusal of what it cannot read, else the API's
/// mutation; on success to `done`'s address, else the page again with the person's values and the
/// refusal at its field.
#[allow(clippy::too_many_arguments)]
async fn create(
    state: &AppState,
    visitor: &Visitor,
    mut page: KnowledgePage,
    form_id: &str,
    sent: &Sent,
    variables: impl FnOnce(Map<String, Value>) -> Value,
    document: &str,
    done: impl FnOnce(&Value) -> String,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let form = page.form_mut(form_id).ok_or(PageError::Internal)?;
    let values = record::read(&form.specs, &sent.pairs);
    let input = match record::input(&form.specs, &values, &Values::new()) {
        Ok(input) => input,
        Err(bad) => {
            form.values = values;
            form.unreadable(ui, &bad);
            return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    match mutate(state, visitor, document, variables(input)).await? {
        Ok(data) => Ok(see_other(&visitor.here.at(&done(&data)), None)),
        Err(refusal) => {
            let form = page.form_mut(form_id).ok_or(PageError::Internal)?;
            form.values = values;
            form.refused(ui, &refusal);
            Ok(page.respond(refusal.status))
        }
    }
}

/// Saves an existing record's form: only what the person changed, on top of the version they
/// read. When someone else saved first, the page as it is now, with the person's changes on top
/// and what the other changed.
#[allow(clippy::too_many_arguments)]
async fn save<L, F>(
    state: &AppState,
    visitor: &Visitor,
    load: L,
    form_id: &str,
    sent: &Sent,
    document: &str,
    variables: impl FnOnce(Map<String, Value>, i32) -> Value,
    here: String,
) -> Result<Response, PageError>
where
    L: Fn() -> F,
    F: std::future::Future<Output = Result<KnowledgePage, PageError>>,
{
    let ui = visitor.here.labels();
    let (Some(version), Some(base)) = (sent.version, sent.base.clone()) else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let mut page = load().await?;
    let form = page.form_mut(form_id).ok_or(PageError::NotFound)?;
    let values = record::read(&form.specs, &sent.pairs);
    let keep_sent = |form: &mut RecordForm| {
        form.values = values.clone();
        form.base = serde_json::to_string(&base).unwrap_or_default();
        form.version = Some(version);
    };
    let input = match record::input(&form.specs, &values, &base) {
        Ok(input) => input,
        Err(bad) => {
            keep_sent(form);
            form.unreadable(ui, &bad);
            return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let anchor = if form_id.contains('-') { format!("#{form_id}") } else { String::new() };
    if input.is_empty() {
        return Ok(see_other(&format!("{}?gedaan=ongewijzigd{anchor}", visitor.here.at(&here)), None));
    }
    let refusal: Refusal = match mutate(state, visitor, document, variables(input, version)).await? {
        Ok(_) => return Ok(see_other(&format!("{}?gedaan=opgeslagen{anchor}", visitor.here.at(&here)), None)),
        Err(refusal) => refusal,
    };
    let mut page = load().await?;
    // Who saved first is known for the page's own record (a stage's form has no history here).
    let own = page.form.as_ref().is_some_and(|f| f.id == form_id);
    let who: Vec<String> = page.changes.iter().filter(|(v, _)| own && *v > version).map(|(_, w)| w.clone()).collect();
    let form = page.form_mut(form_id).ok_or(PageError::NotFound)?;
    if !refusal.is_conflict() {
        keep_sent(form);
        form.refused(ui, &refusal);
        return Ok(page.respond(refusal.status));
    }
    let now = form.values.clone();
    let now_version = form.version.unwrap_or(version);
    form.stale(ui, now, now_version, &values, &base, who.join("; "));
    Ok(page.respond(StatusCode::CONFLICT))
}

/// A small action's answer: to `here` with what was done, or a message with the way back.
async fn act(
    state: &AppState,
    visitor: &Visitor,
    document: &str,
    variables: Value,
    here: &str,
    done: &str,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let here = visitor.here.at(here);
    match mutate(state, visitor, document, variables).await? {
        Ok(_) => Ok(see_other(&format!("{here}?gedaan={done}"), None)),
        Err(refusal) => {
            let text =
                if refusal.is_conflict() { ui.record_stale_action.to_string() } else { ui.validation(refusal.text()) };
            Ok(message(&visitor.here, refusal.status, ui.not_done, text, Some((here, ui.k_back))))
        }
    }
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
