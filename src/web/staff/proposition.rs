//! One proposition's form for its library's editors: new (`/beheer/aanbod/nieuw`) and existing
//! (`/beheer/aanbod/{number}`), with its state (publish, take back, archive), the standard
//! propositions it resembles, and its history. A save sends only what the person changed, with the
//! version the form was read at; when someone else saved first, the form shows what they changed,
//! keeps the person's own changes, and lets them save again on top — never overwriting unseen.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::{Refusal, message, mutate, no_store, see_other};
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::{global_id, number, proposition_path};
use crate::web::staff::form::{Fields, Posted, Unreadable, euros, form_field, label};
use crate::web::staff::{acting_library, form_of_library};

macro_rules! choices {
    () => {
        r#"
  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) }
  coreFunctions { code name(language: $language) }
  societalTasks { code name(language: $language) }
  targetGroups { code name(language: $language) }
  library: node(id: $organisation) { ... on Organisation { name branches { id name } } }"#
    };
}

const NEW: &str = concat!("query NewPropositionForm($organisation: ID!, $language: Language!) {", choices!(), "\n}");

const EDIT: &str = concat!(
    r#"query EditPropositionForm($id: ID!, $organisation: ID!, $language: Language!) {
  proposition(id: $id) {
    id version viewerCanEdit publicationState title summary description deviationNote isLocal
    standardProposition { code } coreFunction { code } societalTasks { code } targetGroups { code }
    channel lifecycle startDate endDate schedule url
    cost { kind priceCents note }
    contact { name email phone }
    branches { id }
    history(first: 10) {
      nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } }
    }
  }
  mappingSuggestion(propositionId: $id) {
    candidates { score sharedTerms standardProposition { code name(language: $language) } }
  }"#,
    choices!(),
    "\n}"
);

const CREATE: &str =
    "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id } } }";
const UPDATE: &str =
    "mutation($input: UpdatePropositionInput!) { updateProposition(input: $input) { proposition { id } } }";

// ---- the registry's answers ---------------------------------------------------------------------

#[derive(Deserialize, Clone)]
struct Coded {
    code: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize, Clone)]
struct BranchChoice {
    id: String,
    name: String,
}

#[derive(Deserialize, Clone)]
struct LibraryChoices {
    name: String,
    branches: Vec<BranchChoice>,
}

/// What the form offers to choose from.
#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Choices {
    standard_propositions: Vec<Coded>,
    core_functions: Vec<Coded>,
    societal_tasks: Vec<Coded>,
    target_groups: Vec<Coded>,
    library: Option<LibraryChoices>,
}

impl Choices {
    fn branches(&self) -> &[BranchChoice] {
        self.library.as_ref().map_or(&[], |l| &l.branches)
    }

    /// The name of a code (or a branch's id) among the choices of a field.
    fn name_of(&self, field: &str, value: &str) -> String {
        let coded = |list: &[Coded]| list.iter().find(|c| c.code == value).map(|c| c.name.clone());
        let found = match field {
            "standardPropositionCode" => coded(&self.standard_propositions),
            "coreFunctionCode" => coded(&self.core_functions),
            "societalTaskCode" => coded(&self.societal_tasks),
            "targetGroupCodes" => coded(&self.target_groups),
            "branchIds" => self.branches().iter().find(|b| b.id == value).map(|b| b.name.clone()),
            _ => None,
        };
        found.unwrap_or_else(|| value.to_string())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EditAnswer {
    proposition: Edited,
    mapping_suggestion: Option<Suggested>,
    #[serde(flatten)]
    choices: Choices,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Edited {
    id: String,
    version: i32,
    viewer_can_edit: bool,
    publication_state: String,
    title: String,
    summary: String,
    description: String,
    deviation_note: Option<String>,
    is_local: bool,
    standard_proposition: Option<Coded>,
    core_function: Option<Coded>,
    societal_tasks: Vec<Coded>,
    target_groups: Vec<Coded>,
    channel: String,
    lifecycle: String,
    start_date: Option<String>,
    end_date: Option<String>,
    schedule: Option<String>,
    url: Option<String>,
    cost: Cost,
    contact: Contact,
    branches: Vec<IdOnly>,
    history: History,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cost {
    kind: String,
    price_cents: Option<i64>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct Contact {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

#[derive(Deserialize)]
struct History {
    nodes: Vec<Change>,
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

#[derive(Deserialize)]
struct Suggested {
    candidates: Vec<Candidate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Candidate {
    score: f64,
    shared_terms: Vec<String>,
    standard_proposition: Coded,
}

impl Edited {
    /// The proposition as its form shows it.
    fn fields(&self) -> Fields {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let code = |v: &Option<Coded>| v.as_ref().map(|c| c.code.clone()).unwrap_or_default();
        Fields {
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            standard_proposition_code: code(&self.standard_proposition),
            deviation_note: text(&self.deviation_note),
            core_function_code: if self.is_local { code(&self.core_function) } else { String::new() },
            societal_task_code: match self.is_local {
                true => self.societal_tasks.first().map(|t| t.code.clone()).unwrap_or_default(),
                false => String::new(),
            },
            target_group_codes: self.target_groups.iter().map(|g| g.code.clone()).collect(),
            channel: self.channel.clone(),
            lifecycle: self.lifecycle.clone(),
            start_date: text(&self.start_date),
            end_date: text(&self.end_date),
            schedule: text(&self.schedule),
            cost_kind: self.cost.kind.clone(),
            price: self.cost.price_cents.map(euros).unwrap_or_default(),
            cost_note: text(&self.cost.note),
            contact_name: text(&self.contact.name),
            contact_email: text(&self.contact.email),
            contact_phone: text(&self.contact.phone),
            url: text(&self.url),
            branch_ids: self.branches.iter().map(|b| b.id.clone()).collect(),
        }
    }
}

// ---- the page -----------------------------------------------------------------------------------

/// A mapping suggestion as the form shows it.
struct Suggestion {
    code: String,
    name: String,
    percent: i64,
    terms: String,
}

/// One change in the proposition's history.
struct HistoryRow {
    when: String,
    who: String,
    action: &'static str,
    fields: String,
}

/// What an existing proposition's form shows beside its fields.
struct Existing {
    number: i64,
    state: &'static str,
    /// Its public page, while it is published.
    public_path: Option<String>,
    /// The state changes it allows: (action, button label).
    actions: Vec<(&'static str, &'static str)>,
    suggestions: Vec<Suggestion>,
    history: Vec<HistoryRow>,
}

/// Someone else saved the proposition after the person opened the form.
struct Conflict {
    who: String,
    rows: Vec<ConflictRow>,
}

struct ConflictRow {
    label: &'static str,
    theirs: String,
    /// The person changed this field too: their value is in the form, the other's is shown here.
    mine_too: bool,
}

#[derive(Template)]
#[template(path = "staff_proposition.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    heading: String,
    library: String,
    action: String,
    fields: Fields,
    base: String,
    version: Option<i32>,
    /// Field errors: (form field, message).
    errors: Vec<(String, String)>,
    /// A refusal that names no field.
    summary: Option<String>,
    notice: Option<String>,
    choices: Choices,
    existing: Option<Existing>,
    conflict: Option<Conflict>,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    fn text(&self, field: &str) -> String {
        self.fields.value(field).into_iter().next().unwrap_or_default()
    }
    fn has(&self, field: &str, value: &str) -> bool {
        self.fields.value(field).iter().any(|v| v == value)
    }
    fn is(&self, field: &str, value: &str) -> bool {
        self.fields.value(field).first().is_some_and(|v| v == value)
    }
    fn label(&self, field: &str) -> &'static str {
        label(self.layout.ui, field)
    }
}

/// A moment from the API (RFC 3339) as the pages show it: date and time in UTC.
pub fn moment(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => t.with_timezone(&chrono::Utc).format("%d-%m-%Y %H:%M UTC").to_string(),
        Err(_) => at.to_string(),
    }
}

/// A field's value as a person reads it, in the page's language.
fn shown(ui: &Labels, choices: &Choices, fields: &Fields, field: &str) -> String {
    let values = fields.value(field);
    let text = match field {
        "channel" => values.iter().map(|v| ui.channel(v).to_string()).collect::<Vec<_>>(),
        "lifecycle" => values.iter().map(|v| ui.lifecycle(v).to_string()).collect(),
        "costKind" => values.iter().map(|v| ui.cost_kind(v).to_string()).collect(),
        "price" => values.iter().filter(|v| !v.is_empty()).map(|v| format!("€ {v}")).collect(),
        _ => values.iter().filter(|v| !v.is_empty()).map(|v| choices.name_of(field, v)).collect(),
    };
    let text = text.join(", ");
    if text.trim().is_empty() { ui.staff_empty.to_string() } else { text }
}

impl FormPage {
    fn new(visitor: &Visitor, csrf: String, choices: Choices, fields: Fields) -> Self {
        let ui = visitor.here.labels();
        let library = choices.library.as_ref().map(|l| l.name.clone()).unwrap_or_default();
        Self {
            layout: Layout::new(&visitor.here, ui.staff_new_title, ui.staff_offer_lead, "/beheer/aanbod/nieuw")
                .in_section(Section::Staff),
            csrf,
            heading: ui.staff_new_title.to_string(),
            library,
            action: visitor.here.at("/beheer/aanbod/nieuw"),
            fields,
            base: String::new(),
            version: None,
            errors: Vec::new(),
            summary: None,
            notice: None,
            choices,
            existing: None,
            conflict: None,
        }
    }

    /// The form of an existing proposition, as the registry has it now.
    fn existing(visitor: &Visitor, csrf: String, answer: EditAnswer) -> Self {
        let ui = visitor.here.labels();
        let p = answer.proposition;
        let n = number(&p.id).unwrap_or_default();
        let fields = p.fields();
        let mut page = Self::new(visitor, csrf, answer.choices, fields.clone());
        let path = format!("/beheer/aanbod/{n}");
        page.layout =
            Layout::new(&visitor.here, p.title.clone(), ui.staff_offer_lead, path.clone()).in_section(Section::Staff);
        page.heading = p.title.clone();
        page.action = visitor.here.at(&path);
        page.base = serde_json::to_string(&fields).unwrap_or_default();
        page.version = Some(p.version);
        let actions: Vec<(&'static str, &'static str)> = match p.publication_state.as_str() {
            "DRAFT" => vec![("publish", ui.staff_publish), ("archive", ui.staff_archive)],
            "PUBLISHED" => vec![("unpublish", ui.staff_unpublish), ("archive", ui.staff_archive)],
            _ => vec![("publish", ui.staff_publish)],
        };
        let suggestions = answer
            .mapping_suggestion
            .map(|s| s.candidates)
            .unwrap_or_default()
            .into_iter()
            .map(|c| Suggestion {
                code: c.standard_proposition.code,
                name: c.standard_proposition.name,
                percent: (c.score * 100.0).round() as i64,
                terms: c.shared_terms.join(", "),
            })
            .collect();
        let history = p
            .history
            .nodes
            .iter()
            .map(|c| HistoryRow {
                when: moment(&c.occurred_at),
                who: who_changed(c),
                action: ui.change_action(&c.action),
                // What an update changed; a creation or a state change speaks for itself.
                fields: match c.action.as_str() {
                    "UPDATE" => c
                        .changes
                        .iter()
                        .map(|f| label(ui, &f.field))
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => String::new(),
                },
            })
            .collect();
        page.existing = Some(Existing {
            number: n,
            state: ui.publication_state(&p.publication_state),
            public_path: (p.publication_state == "PUBLISHED").then(|| visitor.here.at(&proposition_path(&p.id))),
            actions,
            suggestions,
            history,
        });
        page
    }

    /// The person's own values back in the form, with the API's (or the page's) message at the
    /// field it names.
    fn refused(mut self, ui: &Labels, fields: Fields, refusal: &Refusal) -> Self {
        self.fields = fields;
        match refusal.field.as_deref().map(form_field) {
            Some(field) if crate::web::staff::form::NAMES.contains(&field) => {
                self.errors.push((field.to_string(), ui.validation(refusal.text())));
            }
            Some(field) => self.summary = Some(format!("{field}: {}", ui.validation(refusal.text()))),
            None => self.summary = Some(ui.validation(&refusal.message)),
        }
        self
    }

    fn unreadable(mut self, ui: &Labels, fields: Fields, bad: &[Unreadable]) -> Self {
        self.fields = fields;
        for bad in bad {
            let text = match bad.message {
                "price" => ui.staff_bad_price.to_string(),
                "date" => ui.staff_bad_date.to_string(),
                _ => ui.validation("is required"),
            };
            self.errors.push((bad.field.to_string(), text));
        }
        self
    }

    fn respond(self, status: StatusCode) -> Response {
        let mut response = no_store(render(&self));
        *response.status_mut() = status;
        response
    }
}

fn who_changed(c: &Change) -> String {
    match (&c.actor_person, &c.actor_organisation) {
        (Some(p), Some(o)) => format!("{} ({})", p.name, o.name),
        (Some(p), None) => p.name.clone(),
        (None, Some(o)) => o.name.clone(),
        (None, None) => String::new(),
    }
}

fn csrf_of(visitor: &Visitor) -> String {
    visitor.current.signed_in.as_ref().map(|s| s.session.csrf_token.clone()).unwrap_or_default()
}

async fn choices(state: &AppState, visitor: &Visitor, organisation: &str) -> Result<Choices, PageError> {
    let question = Question::new(NEW, json!({ "organisation": organisation, "language": visitor.here.lang.graphql() }));
    ask(state, visitor, &question).await
}

/// The proposition's form as the registry has it now; not found for a proposition the visitor
/// may not change (another library's, whatever its state).
async fn edited(state: &AppState, visitor: &Visitor, organisation: &str, id: &str) -> Result<EditAnswer, PageError> {
    let question =
        Question::new(EDIT, json!({ "id": id, "organisation": organisation, "language": visitor.here.lang.graphql() }));
    let answer: EditAnswer = ask(state, visitor, &question).await?;
    if !answer.proposition.viewer_can_edit {
        return Err(PageError::NotFound);
    }
    Ok(answer)
}

/// What a new proposition's form starts with.
fn blank() -> Fields {
    Fields { lifecycle: "REGULAR".into(), cost_kind: "FREE".into(), ..Fields::default() }
}

// ---- handlers -----------------------------------------------------------------------------------

/// `GET /beheer/aanbod/nieuw`.
pub async fn new_form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let organisation = match acting_library(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let choices = choices(&state, &visitor, &organisation).await?;
    Ok(FormPage::new(&visitor, csrf_of(&visitor), choices, blank()).respond(StatusCode::OK))
}

/// `POST /beheer/aanbod/nieuw`: creates the proposition as a draft, then opens its form.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let posted = Posted::read(pairs);
    let organisation = match form_of_library(&state, &headers, &visitor, &posted.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let form = |choices| FormPage::new(&visitor, csrf_of(&visitor), choices, posted.fields.clone());
    let mut input = match posted.fields.create_input() {
        Ok(input) => input,
        Err(bad) => {
            let choices = choices(&state, &visitor, &organisation).await?;
            let page = form(choices).unreadable(ui, posted.fields.clone(), &bad);
            return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    input.insert("organisationId".into(), Value::String(organisation.clone()));
    match mutate(&state, &visitor, CREATE, json!({ "input": input })).await? {
        Ok(data) => {
            let id = data["createProposition"]["proposition"]["id"].as_str().unwrap_or_default();
            let n = number(id).unwrap_or_default();
            Ok(see_other(&format!("{}?gedaan=aangemaakt", visitor.here.at(&format!("/beheer/aanbod/{n}"))), None))
        }
        Err(refusal) => {
            let choices = choices(&state, &visitor, &organisation).await?;
            let page = form(choices).refused(ui, posted.fields.clone(), &refusal);
            Ok(page.respond(refusal.status))
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    gedaan: Option<String>,
}

/// `GET /beheer/aanbod/{number}`.
pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(n): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let organisation = match acting_library(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("Proposition", &n)?;
    let answer = edited(&state, &visitor, &organisation, &id).await?;
    let mut page = FormPage::existing(&visitor, csrf_of(&visitor), answer);
    page.notice = done.gedaan.as_deref().and_then(|d| visitor.here.labels().staff_done(d)).map(str::to_string);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/aanbod/{number}`: saves the person's changes on top of the version they read.
pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let posted = Posted::read(pairs);
    let organisation = match form_of_library(&state, &headers, &visitor, &posted.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let id = global_id("Proposition", &n)?;
    let (Some(version), Some(base)) = (posted.version, posted.base.clone()) else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let again = |answer: EditAnswer| {
        let mut page = FormPage::existing(&visitor, csrf_of(&visitor), answer);
        page.base = serde_json::to_string(&base).unwrap_or_default();
        page.version = Some(version);
        page
    };
    let mut input = match posted.fields.input(&base) {
        Ok(input) => input,
        Err(bad) => {
            let answer = edited(&state, &visitor, &organisation, &id).await?;
            let page = again(answer).unreadable(ui, posted.fields.clone(), &bad);
            return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let here = visitor.here.at(&format!("/beheer/aanbod/{n}"));
    if input.is_empty() {
        return Ok(see_other(&format!("{here}?gedaan=ongewijzigd"), None));
    }
    input.insert("id".into(), Value::String(id.clone()));
    input.insert("expectedVersion".into(), json!(version));
    let refusal = match mutate(&state, &visitor, UPDATE, json!({ "input": input })).await? {
        Ok(_) => return Ok(see_other(&format!("{here}?gedaan=opgeslagen"), None)),
        Err(refusal) => refusal,
    };
    let answer = edited(&state, &visitor, &organisation, &id).await?;
    if !refusal.is_conflict() {
        let page = again(answer).refused(ui, posted.fields.clone(), &refusal);
        return Ok(page.respond(refusal.status));
    }
    // Someone else saved first: show what they changed, keep the person's own changes on top of
    // the proposition as it is now, and let them save again from the current version.
    let who: Vec<String> = answer
        .proposition
        .history
        .nodes
        .iter()
        .filter(|c| c.version > version)
        .map(|c| format!("{}, {}", who_changed(c), moment(&c.occurred_at)))
        .collect();
    let now = answer.proposition.fields();
    let theirs = now.differences(&base);
    let mine = posted.fields.differences(&base);
    let mut page = FormPage::existing(&visitor, csrf_of(&visitor), answer);
    let rows = theirs
        .iter()
        .map(|f| ConflictRow {
            label: label(ui, f),
            theirs: shown(ui, &page.choices, &now, f),
            mine_too: mine.contains(f) && posted.fields.value(f) != now.value(f),
        })
        .collect();
    page.fields = now.overlay(&posted.fields, &mine);
    page.conflict = Some(Conflict { who: who.join("; "), rows });
    Ok(page.respond(StatusCode::CONFLICT))
}

/// `POST /beheer/aanbod/{number}/status`: publish, take back to draft, or archive.
pub async fn change_state(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let posted = Posted::read(pairs);
    if let Err(response) = form_of_library(&state, &headers, &visitor, &posted.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let (mutation, done) = match posted.action.as_str() {
        "publish" => ("publishProposition", "gepubliceerd"),
        "unpublish" => ("unpublishProposition", "teruggezet"),
        "archive" => ("archiveProposition", "gearchiveerd"),
        _ => return Err(PageError::BadInput(ui.staff_form_incomplete.into())),
    };
    let Some(version) = posted.version else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let id = global_id("Proposition", &n)?;
    let document =
        format!("mutation($input: PropositionStateInput!) {{ {mutation}(input: $input) {{ proposition {{ id }} }} }}");
    let here = visitor.here.at(&format!("/beheer/aanbod/{n}"));
    match mutate(&state, &visitor, &document, json!({ "input": { "id": id, "expectedVersion": version } })).await? {
        Ok(_) => Ok(see_other(&format!("{here}?gedaan={done}"), None)),
        Err(refusal) => {
            let text = if refusal.is_conflict() {
                ui.staff_state_conflict.to_string()
            } else {
                ui.validation(&refusal.message)
            };
            let back = Some((here, ui.staff_back_to_form));
            Ok(message(&visitor.here, refusal.status, ui.not_done, text, back))
        }
    }
}
