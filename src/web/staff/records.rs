//! A staff page of records and their forms: a heading, the record's own form, lists of records
//! each with small action buttons and a folded form, forms to add one, and the record's history —
//! and the recipes every such form follows: a new record's form sent to its create mutation, an
//! existing one's changed fields sent on top of the version read (a stale form shows what the
//! other person changed and keeps the person's own), a small action with the way back.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::forms::{Refusal, message, mutate, no_store, see_other};
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::number;
use crate::web::staff::proposition::moment;
use crate::web::staff::record::{self, Opt, RecordForm, Sent, Spec, Values};

/// The fields of a record's last changes, for its history table and a stale form's "who".
macro_rules! history_fields {
    () => {
        "history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }"
    };
}

// ---- the page -----------------------------------------------------------------------------------

/// A button that sends a small form of its own (move, remove, unlink, adopt).
pub(super) struct Button {
    pub(super) action: String,
    pub(super) label: &'static str,
    /// Its accessible name when the label alone does not say what it acts on.
    pub(super) aria: String,
    pub(super) hidden: Vec<(&'static str, String)>,
}

/// One record in a list of the page.
pub(super) struct Item {
    pub(super) title: String,
    pub(super) link: Option<String>,
    pub(super) meta: String,
    pub(super) text: Option<String>,
    pub(super) buttons: Vec<Button>,
    pub(super) form: Option<RecordForm>,
}

impl Item {
    pub(super) fn new(title: impl Into<String>) -> Self {
        Self { title: title.into(), link: None, meta: String::new(), text: None, buttons: Vec::new(), form: None }
    }
}

/// A section of the page: a list of records and, below it, a form to add one.
pub(super) struct Part {
    pub(super) id: &'static str,
    pub(super) heading: &'static str,
    pub(super) lead: Option<&'static str>,
    pub(super) numbered: bool,
    pub(super) items: Vec<Item>,
    pub(super) empty: &'static str,
    pub(super) add: Option<RecordForm>,
}

pub(super) struct HistoryRow {
    pub(super) when: String,
    pub(super) who: String,
    pub(super) action: &'static str,
    pub(super) fields: String,
}

#[derive(Template)]
#[template(path = "staff_records.html")]
pub(super) struct RecordsPage {
    pub(super) layout: Layout,
    pub(super) csrf: String,
    pub(super) back: Option<(String, &'static str)>,
    pub(super) heading: String,
    pub(super) lead: Option<String>,
    pub(super) links: Vec<(String, &'static str)>,
    /// The first link is the page's main action (a button), not a way elsewhere.
    pub(super) primary_link: bool,
    pub(super) notice: Option<String>,
    /// A secret shown once (a new API key), with the warning that it will not be shown again.
    pub(super) shown_once: Option<String>,
    pub(super) form: Option<RecordForm>,
    pub(super) parts: Vec<Part>,
    pub(super) history: Vec<HistoryRow>,
    /// The page's own record's changes: (version, who and when), to name who saved first.
    pub(super) changes: Vec<(i32, String)>,
}

impl RecordsPage {
    pub(super) fn new(visitor: &Visitor, path: &str, heading: String) -> Self {
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
            shown_once: None,
            form: None,
            parts: Vec::new(),
            history: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// The form with this id: the record's own, an add form, or a listed record's.
    pub(super) fn form_mut(&mut self, id: &str) -> Option<&mut RecordForm> {
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

    pub(super) fn respond(self, status: StatusCode) -> Response {
        let mut response = no_store(render(&self));
        *response.status_mut() = status;
        response
    }
}

pub(super) fn csrf_of(visitor: &Visitor) -> String {
    visitor.current.signed_in.as_ref().map(|s| s.session.csrf_token.clone()).unwrap_or_default()
}

// ---- the registry's answers ---------------------------------------------------------------------

#[derive(Deserialize, Clone)]
pub(super) struct Coded {
    pub(super) code: String,
    #[serde(default)]
    pub(super) name: String,
}

#[derive(Deserialize, Clone)]
pub(super) struct Named {
    pub(super) id: String,
    #[serde(default, alias = "title")]
    pub(super) name: String,
}

#[derive(Deserialize)]
pub(super) struct IdOnly {
    pub(super) id: String,
}

#[derive(Deserialize)]
pub(super) struct Nodes<T> {
    pub(super) nodes: Vec<T>,
}

impl<T> Default for Nodes<T> {
    fn default() -> Self {
        Self { nodes: Vec::new() }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Change {
    pub(super) action: String,
    pub(super) occurred_at: String,
    pub(super) version: i32,
    pub(super) actor_person: Option<NameOnly>,
    pub(super) actor_organisation: Option<NameOnly>,
    pub(super) changes: Vec<FieldOnly>,
}

#[derive(Deserialize)]
pub(super) struct NameOnly {
    pub(super) name: String,
}

#[derive(Deserialize)]
pub(super) struct FieldOnly {
    pub(super) field: String,
}

pub(super) fn who_changed(c: &Change) -> String {
    match (&c.actor_person, &c.actor_organisation) {
        (Some(p), Some(o)) => format!("{} ({})", p.name, o.name),
        (Some(p), None) => p.name.clone(),
        (None, Some(o)) => o.name.clone(),
        (None, None) => String::new(),
    }
}

/// The record's changes by version, to name who saved after a stale form was read.
pub(super) fn changes(history: &Nodes<Change>) -> Vec<(i32, String)> {
    history.nodes.iter().map(|c| (c.version, format!("{}, {}", who_changed(c), moment(&c.occurred_at)))).collect()
}

pub(super) fn history_rows(ui: &Labels, specs: &[Spec], history: &Nodes<Change>) -> Vec<HistoryRow> {
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
pub(super) fn coded(list: &[Coded]) -> Vec<Opt> {
    list.iter().map(|c| Opt::new(c.code.clone(), c.name.clone())).collect()
}

/// Choices by id: `first`, then any of `more` not among them (a current value stays choosable).
pub(super) fn named(first: &[Named], more: &[Named]) -> Vec<Opt> {
    let mut opts: Vec<Opt> = Vec::new();
    for n in first.iter().chain(more) {
        if !opts.iter().any(|o| o.code == n.id) {
            opts.push(Opt::new(n.id.clone(), n.name.clone()));
        }
    }
    opts
}

pub(super) fn enum_opts(codes: &[&str], name: impl Fn(&str) -> &'static str) -> Vec<Opt> {
    codes.iter().map(|c| Opt::new(*c, name(c))).collect()
}

pub(super) fn ids(list: &[Named]) -> Value {
    json!(list.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
}

pub(super) fn codes(list: &[Coded]) -> Value {
    json!(list.iter().map(|n| n.code.clone()).collect::<Vec<_>>())
}

pub(super) fn language(visitor: &Visitor) -> &'static str {
    visitor.here.lang.graphql()
}

/// What a form just did, named in the address it sends the browser to (`?gedaan=…`).
#[derive(Debug, Deserialize, Default)]
pub(super) struct Done {
    pub(super) gedaan: Option<String>,
}

pub(super) fn notice(visitor: &Visitor, done: &Done) -> Option<String> {
    done.gedaan.as_deref().and_then(|d| visitor.here.labels().staff_done(d)).map(str::to_string)
}

/// The staff address of a record: `base/{number}`.
pub(super) fn staff_path(base: &str, id: &str) -> String {
    format!("{base}/{}", number(id).unwrap_or_default())
}
// ---- the shared recipes -------------------------------------------------------------------------

/// Sends a new record's form: the page's own refusal of what it cannot read, else the API's
/// mutation; on success to `done`'s address, else the page again with the person's values and the
/// refusal at its field.
#[allow(clippy::too_many_arguments)]
pub(super) async fn create(
    state: &AppState,
    visitor: &Visitor,
    mut page: RecordsPage,
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
pub(super) async fn save<L, F>(
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
    F: std::future::Future<Output = Result<RecordsPage, PageError>>,
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
pub(super) async fn act(
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
            Ok(message(&visitor.here, refusal.status, ui.not_done, text, Some((here, ui.back_to_page))))
        }
    }
}
