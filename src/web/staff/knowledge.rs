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

const HISTORY: &str = "history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }";

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

const ME: &str = r#"me: node(id: $me) { ... on Organisation { id name kind supportOrganisation { id name }
    supportedLibraries { id name } propositions(first: 100) { nodes { id title } } } }"#;

/// The common model's lists the forms choose from.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Model {
    target_groups: Vec<Coded>,
    standard_propositions: Vec<Coded>,
    #[serde(default)]
    provinces: Vec<Coded>,
}

const MODEL: &str = r#"targetGroups { code name(language: $language) }
  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) }"#;

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

// ---- the knowledge home -------------------------------------------------------------------------

const HOME: &str = concat!(
    "query StaffKnowledge($me: ID!) {\n  me: node(id: $me) { ... on Organisation { id name kind\n",
    "    studies(role: ANY, first: 100) { nodes { id title visibility periodStart isStale } }\n",
    "    adoptions { id status idea { id title study { title } } } } }\n}"
);

#[derive(Deserialize)]
struct HomeAnswer {
    me: HomeOrg,
}

#[derive(Deserialize)]
struct HomeOrg {
    name: String,
    kind: String,
    studies: Nodes<StudyRow>,
    adoptions: Vec<AdoptionRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StudyRow {
    id: String,
    title: String,
    visibility: String,
    period_start: String,
    is_stale: bool,
}

#[derive(Deserialize)]
struct AdoptionRow {
    id: String,
    status: String,
    idea: Option<IdeaRef>,
}

#[derive(Deserialize)]
struct IdeaRef {
    title: String,
    study: Option<TitleOnly>,
}

#[derive(Deserialize)]
struct TitleOnly {
    title: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    gedaan: Option<String>,
}

fn notice(visitor: &Visitor, done: &Done) -> Option<String> {
    done.gedaan.as_deref().and_then(|d| visitor.here.labels().staff_done(d)).map(str::to_string)
}

/// `GET /beheer/kennis`: the organisation's studies, and the ideas of others its library took up.
pub async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let answer: HomeAnswer = ask(&state, &visitor, &Question::new(HOME, json!({ "me": me }))).await?;
    let org = answer.me;
    let mut page = KnowledgePage::new(&visitor, "/beheer/kennis", format!("{}: {}", ui.k_title, org.name));
    page.lead = Some(ui.k_lead.to_string());
    page.notice = notice(&visitor, &done);
    page.links.push((visitor.here.at("/beheer/kennis/nieuw"), ui.k_new_study));
    if org.kind == "LIBRARY" {
        page.links.push((visitor.here.at("/beheer/kennis/ideeen-elders"), ui.k_elsewhere));
        page.links.push((visitor.here.at("/beheer/aanbod"), ui.staff_offer_title));
    }
    let studies = org
        .studies
        .nodes
        .into_iter()
        .map(|s| {
            let mut item = Item::new(s.title);
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis", &s.id)));
            let stale = if s.is_stale { format!(" · {}", ui.stale) } else { String::new() };
            item.meta = format!("{} · {}{stale}", ui.visibility(&s.visibility), s.period_start);
            item
        })
        .collect();
    page.parts.push(Part {
        id: "onderzoeken",
        heading: ui.k_studies,
        lead: None,
        numbered: false,
        items: studies,
        empty: ui.k_no_studies,
        add: None,
    });
    if org.kind == "LIBRARY" {
        let adoptions = org
            .adoptions
            .into_iter()
            .map(|a| {
                let (title, from) = match a.idea {
                    Some(i) => (i.title, i.study.map(|s| s.title).unwrap_or_default()),
                    None => (String::new(), String::new()),
                };
                let mut item = Item::new(title);
                item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/overnames", &a.id)));
                item.meta = format!("{} · {} {from}", ui.adoption(&a.status), ui.k_idea_from);
                item
            })
            .collect();
        page.parts.push(Part {
            id: "overgenomen",
            heading: ui.k_adoptions,
            lead: None,
            numbered: false,
            items: adoptions,
            empty: ui.k_no_adoptions,
            add: None,
        });
    }
    Ok(page.respond(StatusCode::OK))
}

/// The staff address of a record: `base/{number}`.
fn staff_path(base: &str, id: &str) -> String {
    format!("{base}/{}", number(id).unwrap_or_default())
}

// ---- a study ------------------------------------------------------------------------------------

const METHODS: [&str; 7] =
    ["INTERVIEWS", "SURVEY", "OBSERVATION", "CO_CREATION", "CUSTOMER_JOURNEY", "DATA_ANALYSIS", "DESK_RESEARCH"];

fn study_specs(ui: &Labels, me: &Me, model: &Model, current: Option<&StudyNow>) -> Vec<Spec> {
    let none: Vec<Named> = Vec::new();
    let own = vec![Named { id: me.id.clone(), name: me.name.clone() }];
    let (commissioners, conductors) = match me.kind.as_str() {
        "LIBRARY" => (own.clone(), own.iter().cloned().chain(me.support_organisation.clone()).collect::<Vec<_>>()),
        _ => (me.supported_libraries.clone(), own.clone()),
    };
    let commissioners = named(&commissioners, current.map_or(&none, |c| &c.commissioned_by));
    let conductors = named(&conductors, current.map_or(&none, |c| &c.conducted_by));
    vec![
        Spec::new("title", ui.f_title, Kind::Text { max: 300 }).required(),
        Spec::new("summary", ui.f_summary, Kind::Area { max: 10_000, rows: 5 }),
        Spec::new("methods", ui.f_methods, Kind::Many(enum_opts(&METHODS, |m| ui.method(m)))).required(),
        Spec::new("periodStart", ui.f_period_start, Kind::Date).required(),
        Spec::new("periodEnd", ui.f_period_end, Kind::Date),
        Spec::new("participantCount", ui.f_participants, Kind::Number { min: 0, max: 10_000_000 }),
        Spec::new("commissionedByIds", ui.f_commissioned, Kind::Many(commissioners)),
        Spec::new("conductedByIds", ui.f_conducted, Kind::Many(conductors)),
        Spec::new("targetGroupCodes", ui.f_target_groups, Kind::Many(coded(&model.target_groups))),
        Spec::new("municipalityCodes", ui.f_municipalities, Kind::Lines).hint(ui.h_municipalities),
        Spec::new("provinceCodes", ui.f_provinces, Kind::Many(coded(&model.provinces))),
        Spec::new(
            "visibility",
            ui.f_visibility,
            Kind::Choice(enum_opts(&["PRIVATE", "NETWORK", "PUBLIC"], |v| ui.visibility(v))),
        ),
        Spec::new("consentRecorded", ui.f_consent, Kind::Flag),
        Spec::new("quotesAnonymised", ui.f_anonymised, Kind::Flag),
        Spec::new("reportUrl", ui.f_report_url, Kind::Text { max: 2000 }),
        Spec::new("validUntil", ui.f_valid_until, Kind::Date).hint(ui.h_valid_until),
    ]
}

const STUDY_CHOICES: &str = concat!(
    "query StaffStudyChoices($me: ID!, $language: Language!) {\n  ",
    r#"me: node(id: $me) { ... on Organisation { id name kind supportOrganisation { id name }
    supportedLibraries { id name } propositions(first: 100) { nodes { id title } } } }"#,
    "\n  targetGroups { code name(language: $language) }\n",
    "  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) }\n",
    "  provinces { code name }\n}"
);

#[derive(Deserialize)]
struct ChoicesAnswer {
    me: Me,
    #[serde(flatten)]
    model: Model,
}

/// `GET /beheer/kennis/nieuw`.
pub async fn new_study(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    Ok(new_study_page(&state, &visitor, &me).await?.respond(StatusCode::OK))
}

async fn new_study_page(state: &AppState, visitor: &Visitor, me: &str) -> Result<KnowledgePage, PageError> {
    let ui = visitor.here.labels();
    let q = Question::new(STUDY_CHOICES, json!({ "me": me, "language": language(visitor) }));
    let answer: ChoicesAnswer = ask(state, visitor, &q).await?;
    let specs = study_specs(ui, &answer.me, &answer.model, None);
    let own = if answer.me.kind == "LIBRARY" { "commissionedByIds" } else { "conductedByIds" };
    let start = record::from_api(
        &specs,
        &[(own, json!([answer.me.id])), ("visibility", json!("PRIVATE")), ("quotesAnonymised", json!(true))],
    );
    let mut page = KnowledgePage::new(visitor, "/beheer/kennis/nieuw", ui.k_new_study.to_string());
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    page.form = Some(
        RecordForm::new(
            "onderzoek",
            visitor.here.at("/beheer/kennis/nieuw"),
            &csrf_of(visitor),
            ui.k_study_form,
            specs,
        )
        .with_values(start)
        .submit(ui.k_new_study),
    );
    Ok(page)
}

/// `POST /beheer/kennis/nieuw`: records the study, then opens its page.
pub async fn create_study(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let page = new_study_page(&state, &visitor, &me).await?;
    let document = "mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id } } }";
    create(
        &state,
        &visitor,
        page,
        "onderzoek",
        &sent,
        |input| json!({ "input": input }),
        document,
        |data| {
            let id = data["createStudy"]["study"]["id"].as_str().unwrap_or_default();
            format!("{}?gedaan=vastgelegd", staff_path("/beheer/kennis", id))
        },
    )
    .await
}

const STUDY: &str = concat!(
    "query StaffStudy($id: ID!, $me: ID!, $language: Language!) {\n",
    r#"  study(id: $id) {
    id version title summary methods periodStart periodEnd participantCount visibility consentRecorded
    quotesAnonymised reportUrl validUntil
    commissionedBy { id name } conductedBy { id name } municipalities { code name } provinces { code }
    targetGroups { code }
    journeys { id title targetGroup { name(language: $language) } stages { id } }
    insights { id statement state }
    ideas { id title priority adoptionCount }
    links { id version relation note proposition { id title } standardProposition { code name(language: $language) } }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  }
  "#,
    r#"me: node(id: $me) { ... on Organisation { id name kind supportOrganisation { id name }
    supportedLibraries { id name } propositions(first: 100) { nodes { id title } } } }"#,
    "\n  targetGroups { code name(language: $language) }\n",
    "  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) }\n",
    "  provinces { code name }\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StudyNow {
    id: String,
    version: i32,
    title: String,
    summary: String,
    methods: Vec<String>,
    period_start: String,
    period_end: Option<String>,
    participant_count: Option<i64>,
    visibility: String,
    consent_recorded: bool,
    quotes_anonymised: bool,
    report_url: Option<String>,
    valid_until: String,
    commissioned_by: Vec<Named>,
    conducted_by: Vec<Named>,
    municipalities: Vec<Coded>,
    provinces: Vec<Coded>,
    target_groups: Vec<Coded>,
    journeys: Vec<JourneyRow>,
    insights: Vec<InsightRow>,
    ideas: Vec<IdeaRow>,
    links: Vec<LinkRow>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JourneyRow {
    id: String,
    title: String,
    target_group: Option<NameOnly>,
    stages: Vec<IdOnly>,
}

#[derive(Deserialize)]
struct InsightRow {
    id: String,
    statement: String,
    state: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdeaRow {
    id: String,
    title: String,
    priority: String,
    adoption_count: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LinkRow {
    id: String,
    version: i32,
    relation: String,
    note: Option<String>,
    proposition: Option<Named>,
    standard_proposition: Option<Coded>,
}

#[derive(Deserialize)]
struct StudyAnswer {
    study: StudyNow,
    me: Me,
    #[serde(flatten)]
    model: Model,
}

impl StudyNow {
    fn values(&self, specs: &[Spec]) -> Values {
        // A valid-until the registry derived (three years after the end) is shown as it is.
        record::from_api(
            specs,
            &[
                ("title", json!(self.title)),
                ("summary", json!(self.summary)),
                ("methods", json!(self.methods)),
                ("periodStart", json!(self.period_start)),
                ("periodEnd", json!(self.period_end)),
                ("participantCount", json!(self.participant_count)),
                ("commissionedByIds", ids(&self.commissioned_by)),
                ("conductedByIds", ids(&self.conducted_by)),
                ("targetGroupCodes", codes(&self.target_groups)),
                ("municipalityCodes", json!(self.municipalities.iter().map(|m| m.name.clone()).collect::<Vec<_>>())),
                ("provinceCodes", codes(&self.provinces)),
                ("visibility", json!(self.visibility)),
                ("consentRecorded", json!(self.consent_recorded)),
                ("quotesAnonymised", json!(self.quotes_anonymised)),
                ("reportUrl", json!(self.report_url)),
                ("validUntil", json!(self.valid_until)),
            ],
        )
    }

    /// Whether the writer's organisation is named on the study (and so may change it).
    fn names(&self, me: &str) -> bool {
        self.commissioned_by.iter().chain(&self.conducted_by).any(|o| o.id == me)
    }
}

fn journey_add_specs(ui: &Labels, me: &Me, model: &Model) -> Vec<Spec> {
    vec![
        Spec::new("title", ui.f_title, Kind::Text { max: 300 }).required(),
        Spec::new("targetGroupCode", ui.f_target_group, Kind::Choice(coded(&model.target_groups))).required(),
        Spec::new("standardPropositionCode", ui.f_standard, Kind::Choice(coded(&model.standard_propositions))),
        Spec::new("description", ui.f_description, Kind::Area { max: 10_000, rows: 4 }),
        Spec::new("propositionIds", ui.f_journey_propositions, Kind::Many(named(&me.propositions.nodes, &[]))),
    ]
}

fn insight_specs(ui: &Labels, model: &Model, stages: Vec<Opt>) -> Vec<Spec> {
    vec![
        Spec::new("statement", ui.f_statement, Kind::Area { max: 500, rows: 2 }).required(),
        Spec::new("explanation", ui.f_explanation, Kind::Area { max: 10_000, rows: 4 }),
        Spec::new("stageId", ui.f_stage, Kind::Choice(stages)),
        Spec::new("targetGroupCodes", ui.f_target_groups, Kind::Many(coded(&model.target_groups))),
        Spec::new("standardPropositionCodes", ui.f_standards, Kind::Many(coded(&model.standard_propositions))),
        Spec::new("quotes", ui.f_quotes, Kind::Quotes).hint(ui.h_quotes),
    ]
}

fn idea_specs(ui: &Labels, insights: Vec<Opt>) -> Vec<Spec> {
    vec![
        Spec::new("title", ui.f_title, Kind::Text { max: 300 }).required(),
        Spec::new(
            "priority",
            ui.f_priority,
            Kind::Choice(enum_opts(&["DO_NOW", "CONSIDER", "LATER"], |p| ui.priority(p))),
        )
        .required(),
        Spec::new("description", ui.f_description, Kind::Area { max: 10_000, rows: 4 }),
        Spec::new("insightIds", ui.f_idea_insights, Kind::Many(insights)),
    ]
}

const RELATIONS: [&str; 3] = ["EVIDENCE_FOR", "INFORMED_DESIGN_OF", "IMPROVES"];

fn link_specs(ui: &Labels, me: &Me, model: &Model) -> Vec<Spec> {
    vec![
        Spec::new("relation", ui.f_relation, Kind::Choice(enum_opts(&RELATIONS, |r| ui.relation(r)))).required(),
        Spec::new("propositionId", ui.f_own_proposition, Kind::Choice(named(&me.propositions.nodes, &[]))),
        Spec::new("standardPropositionCode", ui.f_standard, Kind::Choice(coded(&model.standard_propositions))),
        Spec::new("note", ui.f_note, Kind::Area { max: 2000, rows: 2 }),
    ]
}

/// The stages of a study's journeys, as an insight's form offers them.
async fn study_stages(state: &AppState, visitor: &Visitor, study: &str) -> Result<Vec<Opt>, PageError> {
    const STAGES: &str = "query StaffStages($id: ID!) { study(id: $id) { journeys { title stages { id name } } } }";
    #[derive(Deserialize)]
    struct A {
        study: S,
    }
    #[derive(Deserialize)]
    struct S {
        journeys: Vec<J>,
    }
    #[derive(Deserialize)]
    struct J {
        title: String,
        stages: Vec<Named>,
    }
    let a: A = ask(state, visitor, &Question::new(STAGES, json!({ "id": study }))).await?;
    Ok(a.study
        .journeys
        .iter()
        .flat_map(|j| j.stages.iter().map(move |s| Opt::new(s.id.clone(), format!("{}: {}", j.title, s.name))))
        .collect())
}

/// The study's page for the organisations named on it: its form, its journeys, insights, ideas
/// and links, each with a form to add one; not found for anyone else.
async fn study_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<KnowledgePage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("Study", n)?;
    let q = Question::new(STUDY, json!({ "id": id, "me": me, "language": language(visitor) }));
    let answer: StudyAnswer = ask(state, visitor, &q).await?;
    let s = &answer.study;
    if !s.names(me) {
        return Err(PageError::NotFound);
    }
    let path = format!("/beheer/kennis/{n}");
    let csrf = csrf_of(visitor);
    let specs = study_specs(ui, &answer.me, &answer.model, Some(s));
    let mut page = KnowledgePage::new(visitor, &path, s.title.clone());
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    page.links.push((visitor.here.at(&study_path(&s.id)), ui.k_view_public));
    page.history = history_rows(ui, &specs, &s.history);
    page.changes = changes(&s.history);
    let values = s.values(&specs);
    page.form = Some(
        RecordForm::new("onderzoek", visitor.here.at(&path), &csrf, ui.k_study_form, specs)
            .existing(values, s.version)
            .submit(ui.staff_save),
    );

    let journeys = s
        .journeys
        .iter()
        .map(|j| {
            let mut item = Item::new(j.title.clone());
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/reizen", &j.id)));
            let group = j.target_group.as_ref().map(|g| g.name.clone()).unwrap_or_default();
            item.meta = format!("{group} · {} {}", j.stages.len(), ui.k_stages.to_lowercase());
            item
        })
        .collect();
    let add_journey = RecordForm::new(
        "reis-nieuw",
        visitor.here.at(&format!("{path}/reizen")),
        &csrf,
        ui.k_add_journey,
        journey_add_specs(ui, &answer.me, &answer.model),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "klantreizen",
        heading: ui.k_journeys,
        lead: None,
        numbered: false,
        items: journeys,
        empty: ui.k_no_journeys,
        add: Some(add_journey),
    });

    let insights = s
        .insights
        .iter()
        .map(|i| {
            let mut item = Item::new(i.statement.clone());
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/inzichten", &i.id)));
            if i.state != "CURRENT" {
                item.meta = i.state.to_lowercase();
            }
            item
        })
        .collect();
    let stages = study_stages(state, visitor, &s.id).await?;
    let add_insight = RecordForm::new(
        "inzicht-nieuw",
        visitor.here.at(&format!("{path}/inzichten")),
        &csrf,
        ui.k_add_insight,
        insight_specs(ui, &answer.model, stages),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "inzichten",
        heading: ui.k_insights,
        lead: None,
        numbered: false,
        items: insights,
        empty: ui.k_no_insights,
        add: Some(add_insight),
    });

    let ideas = s
        .ideas
        .iter()
        .map(|i| {
            let mut item = Item::new(i.title.clone());
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/ideeen", &i.id)));
            item.meta = format!("{} · {} × {}", ui.priority(&i.priority), i.adoption_count, ui.k_adopted_already);
            item
        })
        .collect();
    let insight_opts: Vec<Opt> = s.insights.iter().map(|i| Opt::new(i.id.clone(), i.statement.clone())).collect();
    let add_idea = RecordForm::new(
        "idee-nieuw",
        visitor.here.at(&format!("{path}/ideeen")),
        &csrf,
        ui.k_add_idea,
        idea_specs(ui, insight_opts),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "ideeen",
        heading: ui.k_ideas,
        lead: None,
        numbered: false,
        items: ideas,
        empty: ui.k_no_ideas,
        add: Some(add_idea),
    });

    let links = s
        .links
        .iter()
        .map(|l| {
            let target = match (&l.proposition, &l.standard_proposition) {
                (Some(p), _) => p.name.clone(),
                (None, Some(sp)) => sp.name.clone(),
                _ => String::new(),
            };
            let mut item = Item::new(target.clone());
            item.meta = ui.relation(&l.relation).to_string();
            item.text = l.note.clone().filter(|n| !n.is_empty());
            item.buttons.push(Button {
                action: visitor.here.at(&format!("{}/verwijderen", staff_path("/beheer/kennis/koppelingen", &l.id))),
                label: ui.k_unlink,
                aria: format!("{}: {target}", ui.k_unlink),
                hidden: vec![("version", l.version.to_string()), ("terug", path.clone())],
            });
            item
        })
        .collect();
    let add_link = RecordForm::new(
        "koppeling-nieuw",
        visitor.here.at(&format!("{path}/koppelingen")),
        &csrf,
        ui.k_add_link,
        link_specs(ui, &answer.me, &answer.model),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "koppelingen",
        heading: ui.k_links,
        lead: Some(ui.k_links_lead),
        numbered: false,
        items: links,
        empty: ui.k_no_links,
        add: Some(add_link),
    });
    Ok(page)
}

/// `GET /beheer/kennis/{number}`.
pub async fn study(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(n): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = study_page(&state, &visitor, &me, &n).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/{number}`: saves the study's changed fields.
pub async fn save_study(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("Study", &n)?;
    let document = "mutation($input: UpdateStudyInput!) { updateStudy(input: $input) { study { id } } }";
    let load = || study_page(&state, &visitor, &me, &n);
    save(
        &state,
        &visitor,
        load,
        "onderzoek",
        &sent,
        document,
        |input, version| {
            let mut input = input;
            input.insert("id".into(), json!(id));
            input.insert("expectedVersion".into(), json!(version));
            json!({ "input": input })
        },
        format!("/beheer/kennis/{n}"),
    )
    .await
}

/// `POST /beheer/kennis/{number}/{reizen|inzichten|ideeen|koppelingen}`: adds a journey, an
/// insight, an idea or a link to the study.
pub async fn add_to_study(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((n, what)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let study = global_id("Study", &n)?;
    let mut page = study_page(&state, &visitor, &me, &n).await?;
    let here = format!("/beheer/kennis/{n}");
    match what.as_str() {
        "reizen" => {
            let document = "mutation($input: CreateJourneyInput!) { createJourney(input: $input) { journey { id } } }";
            create(
                &state,
                &visitor,
                page,
                "reis-nieuw",
                &sent,
                |mut i| {
                    i.insert("studyId".into(), json!(study));
                    json!({ "input": i })
                },
                document,
                |data| {
                    let id = data["createJourney"]["journey"]["id"].as_str().unwrap_or_default();
                    format!("{}?gedaan=toegevoegd", staff_path("/beheer/kennis/reizen", id))
                },
            )
            .await
        }
        "inzichten" => {
            let document = "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id } } }";
            create(
                &state,
                &visitor,
                page,
                "inzicht-nieuw",
                &sent,
                |mut i| {
                    i.insert("studyId".into(), json!(study));
                    json!({ "input": i })
                },
                document,
                |_| format!("{here}?gedaan=toegevoegd#inzichten"),
            )
            .await
        }
        "ideeen" => {
            let document =
                "mutation($input: CreateIdeaInput!) { createImprovementIdea(input: $input) { idea { id } } }";
            create(
                &state,
                &visitor,
                page,
                "idee-nieuw",
                &sent,
                |mut i| {
                    i.insert("studyId".into(), json!(study));
                    json!({ "input": i })
                },
                document,
                |_| format!("{here}?gedaan=toegevoegd#ideeen"),
            )
            .await
        }
        "koppelingen" => {
            // A link names one target: a proposition of the library or a standard proposition.
            let form = page.form_mut("koppeling-nieuw").ok_or(PageError::Internal)?;
            let values = record::read(&form.specs, &sent.pairs);
            let one = |k: &str| values.get(k).and_then(|v| v.first()).filter(|v| !v.is_empty()).cloned();
            let target = match (one("propositionId"), one("standardPropositionCode")) {
                (Some(p), None) => json!({ "propositionId": p }),
                (None, Some(c)) => json!({ "standardPropositionCode": c }),
                _ => {
                    let ui = visitor.here.labels();
                    form.values = values;
                    form.errors.push(("propositionId".into(), ui.k_link_one_target.into()));
                    return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
                }
            };
            let document = "mutation($input: LinkKnowledgeInput!) { linkKnowledge(input: $input) { link { id } } }";
            create(
                &state,
                &visitor,
                page,
                "koppeling-nieuw",
                &sent,
                |mut i| {
                    i.remove("propositionId");
                    i.remove("standardPropositionCode");
                    i.insert("source".into(), json!({ "studyId": study }));
                    i.insert("target".into(), target.clone());
                    json!({ "input": i })
                },
                document,
                |_| format!("{here}?gedaan=toegevoegd#koppelingen"),
            )
            .await
        }
        _ => Err(PageError::NotFound),
    }
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
    let who: Vec<String> = page.changes.iter().filter(|(v, _)| *v > version).map(|(_, w)| w.clone()).collect();
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
            let text = if refusal.is_conflict() {
                ui.record_stale_action.to_string()
            } else {
                ui.validation(&refusal.message)
            };
            Ok(message(&visitor.here, refusal.status, ui.not_done, text, Some((here, ui.k_back))))
        }
    }
}

/// `POST /beheer/kennis/koppelingen/{number}/verwijderen`: removes a link of a study.
pub async fn unlink(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let id = global_id("KnowledgeLink", &n)?;
    let back = crate::web::forms::local_path(sent.get("terug")).filter(|t| t.starts_with("/beheer/kennis/"));
    let (Some(version), Some(back)) = (sent.version, back) else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let document = "mutation($input: UnlinkKnowledgeInput!) { unlinkKnowledge(input: $input) { removedLinkId } }";
    act(&state, &visitor, document, json!({ "input": { "id": id, "expectedVersion": version } }), &back, "ontkoppeld")
        .await
}

// ---- a journey and its stages -------------------------------------------------------------------

const JOURNEY: &str = concat!(
    "query StaffJourney($id: ID!, $me: ID!, $language: Language!) {\n",
    r#"  journey: node(id: $id) { ... on CustomerJourney {
    id version title description targetGroup { code } standardProposition { code } propositions { id title }
    study { id title commissionedBy { id name } conductedBy { id name } }
    stages { id version position name description emotionScore touchpoints pains gains quotes { text attribution } }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  } }
  "#,
    r#"me: node(id: $me) { ... on Organisation { id name kind supportOrganisation { id name }
    supportedLibraries { id name } propositions(first: 100) { nodes { id title } } } }"#,
    "\n  targetGroups { code name(language: $language) }\n",
    "  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) }\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JourneyNow {
    id: String,
    version: i32,
    title: String,
    description: String,
    target_group: Option<Coded>,
    standard_proposition: Option<Coded>,
    propositions: Vec<Named>,
    study: Option<StudyRef>,
    stages: Vec<StageNow>,
    history: Nodes<Change>,
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
struct StageNow {
    id: String,
    version: i32,
    name: String,
    description: String,
    emotion_score: Option<i64>,
    touchpoints: Vec<String>,
    pains: Vec<String>,
    gains: Vec<String>,
    quotes: Vec<Value>,
}

#[derive(Deserialize)]
struct JourneyAnswer {
    journey: JourneyNow,
    me: Me,
    #[serde(flatten)]
    model: Model,
}

fn stage_specs(ui: &Labels) -> Vec<Spec> {
    vec![
        Spec::new("name", ui.f_name, Kind::Text { max: 200 }).required(),
        Spec::new("description", ui.f_description, Kind::Area { max: 10_000, rows: 3 }),
        Spec::new("emotionScore", ui.f_emotion, Kind::Number { min: -2, max: 2 }).hint(ui.h_emotion),
        Spec::new("touchpoints", ui.f_touchpoints, Kind::Lines).hint(ui.h_per_line),
        Spec::new("pains", ui.f_pains, Kind::Lines).hint(ui.h_per_line),
        Spec::new("gains", ui.f_gains, Kind::Lines).hint(ui.h_per_line),
        Spec::new("quotes", ui.f_quotes, Kind::Quotes).hint(ui.h_quotes),
    ]
}

impl StageNow {
    fn values(&self, specs: &[Spec]) -> Values {
        record::from_api(
            specs,
            &[
                ("name", json!(self.name)),
                ("description", json!(self.description)),
                ("emotionScore", json!(self.emotion_score)),
                ("touchpoints", json!(self.touchpoints)),
                ("pains", json!(self.pains)),
                ("gains", json!(self.gains)),
                ("quotes", json!(self.quotes)),
            ],
        )
    }
}

/// The journey's page: its form, and its stages in order, each with its own form, buttons to move
/// it and to remove it; a form to add a stage. Not found for anyone not named on its study.
async fn journey_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<KnowledgePage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("CustomerJourney", n)?;
    let q = Question::new(JOURNEY, json!({ "id": id, "me": me, "language": language(visitor) }));
    let answer: JourneyAnswer = ask(state, visitor, &q).await?;
    let j = &answer.journey;
    let Some(study) = j.study.as_ref().filter(|s| s.commissioned_by.iter().chain(&s.conducted_by).any(|o| o.id == me))
    else {
        return Err(PageError::NotFound);
    };
    let path = format!("/beheer/kennis/reizen/{n}");
    let csrf = csrf_of(visitor);
    let mut specs = journey_add_specs(ui, &answer.me, &answer.model);
    // The propositions it follows stay choosable even when they are not the library's own.
    if let Some(spec) = specs.iter_mut().find(|s| s.name == "propositionIds") {
        spec.kind = Kind::Many(named(&answer.me.propositions.nodes, &j.propositions));
    }
    let mut page = KnowledgePage::new(visitor, &path, j.title.clone());
    page.back = Some((visitor.here.at(&staff_path("/beheer/kennis", &study.id)), ui.k_back_to_study));
    page.lead = Some(study.title.clone());
    page.history = history_rows(ui, &specs, &j.history);
    page.changes = changes(&j.history);
    let values = record::from_api(
        &specs,
        &[
            ("title", json!(j.title)),
            ("targetGroupCode", json!(j.target_group.as_ref().map(|g| g.code.clone()))),
            ("standardPropositionCode", json!(j.standard_proposition.as_ref().map(|g| g.code.clone()))),
            ("description", json!(j.description)),
            ("propositionIds", ids(&j.propositions)),
        ],
    );
    page.form = Some(
        RecordForm::new("reis", visitor.here.at(&path), &csrf, ui.k_journey_form, specs)
            .existing(values, j.version)
            .submit(ui.staff_save)
            .folded(),
    );
    let last = j.stages.len();
    let stages = j
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut item = Item::new(s.name.clone());
            item.meta = s.emotion_score.map(|e| ui.emotion(e).to_string()).unwrap_or_default();
            item.text = Some(s.description.clone()).filter(|d| !d.is_empty());
            let order = |label, direction: &str| Button {
                action: visitor.here.at(&format!("{path}/volgorde")),
                label,
                aria: format!("{label}: {}", s.name),
                hidden: vec![
                    ("version", j.version.to_string()),
                    ("etappe", s.id.clone()),
                    ("richting", direction.into()),
                ],
            };
            if i > 0 {
                item.buttons.push(order(ui.k_up, "op"));
            }
            if i + 1 < last {
                item.buttons.push(order(ui.k_down, "neer"));
            }
            item.buttons.push(Button {
                action: visitor.here.at(&format!("{}/verwijderen", staff_path("/beheer/kennis/etappes", &s.id))),
                label: ui.k_remove,
                aria: format!("{}: {}", ui.k_remove, s.name),
                hidden: vec![("version", s.version.to_string())],
            });
            let specs = stage_specs(ui);
            let values = s.values(&specs);
            item.form = Some(
                RecordForm::new(
                    &format!("etappe-{}", number(&s.id).unwrap_or_default()),
                    visitor.here.at(&staff_path("/beheer/kennis/etappes", &s.id)),
                    &csrf,
                    format!("{}: {}", ui.k_edit_stage, s.name),
                    specs,
                )
                .existing(values, s.version)
                .submit(ui.staff_save)
                .folded(),
            );
            item
        })
        .collect();
    let add = RecordForm::new(
        "etappe-nieuw",
        visitor.here.at(&format!("{path}/etappes")),
        &csrf,
        ui.k_add_stage,
        stage_specs(ui),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "etappes",
        heading: ui.k_stages,
        lead: Some(ui.k_stages_lead),
        numbered: true,
        items: stages,
        empty: ui.k_no_stages,
        add: Some(add),
    });
    Ok(page)
}

/// `GET /beheer/kennis/reizen/{number}`.
pub async fn journey(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(n): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = journey_page(&state, &visitor, &me, &n).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/reizen/{number}`: saves the journey's changed fields.
pub async fn save_journey(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("CustomerJourney", &n)?;
    let document = "mutation($input: UpdateJourneyInput!) { updateJourney(input: $input) { journey { id } } }";
    let load = || journey_page(&state, &visitor, &me, &n);
    let variables = |mut input: Map<String, Value>, version| {
        input.insert("id".into(), json!(id));
        input.insert("expectedVersion".into(), json!(version));
        json!({ "input": input })
    };
    save(&state, &visitor, load, "reis", &sent, document, variables, format!("/beheer/kennis/reizen/{n}")).await
}

/// `POST /beheer/kennis/reizen/{number}/etappes`: adds a stage at the end of the journey.
pub async fn add_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("CustomerJourney", &n)?;
    let page = journey_page(&state, &visitor, &me, &n).await?;
    let document = "mutation($input: AddJourneyStageInput!) { addJourneyStage(input: $input) { stage { id } } }";
    let variables = |stage| json!({ "input": { "journeyId": id, "stage": stage } });
    let done = |_: &Value| format!("/beheer/kennis/reizen/{n}?gedaan=toegevoegd#etappes");
    create(&state, &visitor, page, "etappe-nieuw", &sent, variables, document, done).await
}

/// `POST /beheer/kennis/etappes/{number}`: saves a stage's changed fields.
pub async fn save_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("JourneyStage", &n)?;
    let journey = journey_of_stage(&state, &visitor, &id).await?;
    let j = number(&journey).unwrap_or_default().to_string();
    let load = || journey_page(&state, &visitor, &me, &j);
    let document = "mutation($input: UpdateJourneyStageInput!) { updateJourneyStage(input: $input) { stage { id } } }";
    let variables = |stage, version| json!({ "input": { "id": id, "expectedVersion": version, "stage": stage } });
    let form = format!("etappe-{n}");
    save(&state, &visitor, load, &form, &sent, document, variables, format!("/beheer/kennis/reizen/{j}")).await
}

/// The journey a stage belongs to (global id); not found when the stage is not visible.
async fn journey_of_stage(state: &AppState, visitor: &Visitor, stage: &str) -> Result<String, PageError> {
    const Q: &str = "query StaffStage($id: ID!) { stage: node(id: $id) { ... on JourneyStage { journey { id } } } }";
    #[derive(Deserialize)]
    struct A {
        stage: S,
    }
    #[derive(Deserialize)]
    struct S {
        journey: Option<IdOnly>,
    }
    let a: A = ask(state, visitor, &Question::new(Q, json!({ "id": stage }))).await?;
    a.stage.journey.map(|j| j.id).ok_or(PageError::NotFound)
}

/// `POST /beheer/kennis/etappes/{number}/verwijderen`: removes a stage from its journey.
pub async fn remove_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let id = global_id("JourneyStage", &n)?;
    let Some(version) = sent.version else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let journey = journey_of_stage(&state, &visitor, &id).await?;
    let here = staff_path("/beheer/kennis/reizen", &journey);
    let document =
        "mutation($input: RemoveJourneyStageInput!) { removeJourneyStage(input: $input) { journey { id } } }";
    act(&state, &visitor, document, json!({ "input": { "id": id, "expectedVersion": version } }), &here, "verwijderd")
        .await
}

/// `POST /beheer/kennis/reizen/{number}/volgorde`: moves a stage one place up or down.
pub async fn move_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let id = global_id("CustomerJourney", &n)?;
    let incomplete = || PageError::BadInput(ui.staff_form_incomplete.into());
    let version = sent.version.ok_or_else(incomplete)?;
    let stage = sent.get("etappe").ok_or_else(incomplete)?.to_string();
    let step: isize = match sent.get("richting") {
        Some("op") => -1,
        Some("neer") => 1,
        _ => return Err(incomplete()),
    };
    // The order as the journey has it now; the version sent guards against a changed journey.
    let q = Question::new(JOURNEY, json!({ "id": id, "me": me, "language": language(&visitor) }));
    let answer: JourneyAnswer = ask(&state, &visitor, &q).await?;
    let mut order: Vec<String> = answer.journey.stages.iter().map(|s| s.id.clone()).collect();
    let here = format!("/beheer/kennis/reizen/{n}");
    let Some(at) = order.iter().position(|s| *s == stage) else {
        return Err(PageError::NotFound);
    };
    let to = at as isize + step;
    if to < 0 || to as usize >= order.len() {
        return Ok(see_other(&format!("{}?gedaan=ongewijzigd", visitor.here.at(&here)), None));
    }
    order.swap(at, to as usize);
    let document =
        "mutation($input: ReorderJourneyStagesInput!) { reorderJourneyStages(input: $input) { journey { id } } }";
    let variables = json!({ "input": { "journeyId": id, "expectedVersion": version, "stageIds": order } });
    act(&state, &visitor, document, variables, &here, "verplaatst").await
}

// ---- an insight, an idea ------------------------------------------------------------------------

const INSIGHT: &str = concat!(
    "query StaffInsight($id: ID!, $language: Language!) {\n",
    r#"  insight(id: $id) {
    id version statement explanation stage { id } targetGroups { code } standardPropositions { code }
    quotes { text attribution }
    study { id title commissionedBy { id name } conductedBy { id name } }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  }
  "#,
    "targetGroups { code name(language: $language) }\n",
    "  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) }\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InsightNow {
    id: String,
    version: i32,
    statement: String,
    explanation: String,
    stage: Option<IdOnly>,
    target_groups: Vec<Coded>,
    standard_propositions: Vec<Coded>,
    quotes: Vec<Value>,
    study: Option<StudyRef>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
struct InsightAnswer {
    insight: InsightNow,
    #[serde(flatten)]
    model: Model,
}

/// The study a record belongs to, when the writer's organisation is named on it.
fn own_study<'a>(study: &'a Option<StudyRef>, me: &str) -> Result<&'a StudyRef, PageError> {
    study
        .as_ref()
        .filter(|s| s.commissioned_by.iter().chain(&s.conducted_by).any(|o| o.id == me))
        .ok_or(PageError::NotFound)
}

async fn insight_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<KnowledgePage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("Insight", n)?;
    let q = Question::new(INSIGHT, json!({ "id": id, "language": language(visitor) }));
    let answer: InsightAnswer = ask(state, visitor, &q).await?;
    let i = &answer.insight;
    let study = own_study(&i.study, me)?;
    let stages = study_stages(state, visitor, &study.id).await?;
    let specs = insight_specs(ui, &answer.model, stages);
    let path = format!("/beheer/kennis/inzichten/{n}");
    let mut page = KnowledgePage::new(visitor, &path, ui.k_insight_form.to_string());
    page.back = Some((visitor.here.at(&staff_path("/beheer/kennis", &study.id)), ui.k_back_to_study));
    page.lead = Some(study.title.clone());
    page.history = history_rows(ui, &specs, &i.history);
    page.changes = changes(&i.history);
    let values = record::from_api(
        &specs,
        &[
            ("statement", json!(i.statement)),
            ("explanation", json!(i.explanation)),
            ("stageId", json!(i.stage.as_ref().map(|s| s.id.clone()))),
            ("targetGroupCodes", codes(&i.target_groups)),
            ("standardPropositionCodes", codes(&i.standard_propositions)),
            ("quotes", json!(i.quotes)),
        ],
    );
    page.form = Some(
        RecordForm::new("inzicht", visitor.here.at(&path), &csrf_of(visitor), ui.k_insight_form, specs)
            .existing(values, i.version)
            .submit(ui.staff_save),
    );
    Ok(page)
}

const IDEA: &str = r#"query StaffIdea($id: ID!) {
  improvementIdea(id: $id) {
    id version title description priority insights { id }
    study { id title commissionedBy { id name } conductedBy { id name } insights { id statement } }
    adoptions { organisation { name } status }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdeaNow {
    id: String,
    version: i32,
    title: String,
    description: String,
    priority: String,
    insights: Vec<IdOnly>,
    study: Option<IdeaStudy>,
    adoptions: Vec<AdoptedBy>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
struct IdeaStudy {
    #[serde(flatten)]
    study: StudyRef,
    insights: Vec<StatementOnly>,
}

#[derive(Deserialize)]
struct StatementOnly {
    id: String,
    statement: String,
}

#[derive(Deserialize)]
struct AdoptedBy {
    organisation: Option<NameOnly>,
    status: String,
}

#[derive(Deserialize)]
struct IdeaAnswer {
    #[serde(rename = "improvementIdea")]
    idea: IdeaNow,
}

async fn idea_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<KnowledgePage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("ImprovementIdea", n)?;
    let answer: IdeaAnswer = ask(state, visitor, &Question::new(IDEA, json!({ "id": id }))).await?;
    let i = &answer.idea;
    let Some(s) = i.study.as_ref() else {
        return Err(PageError::NotFound);
    };
    let study = own_study(
        &Some(StudyRef {
            id: s.study.id.clone(),
            title: s.study.title.clone(),
            commissioned_by: s.study.commissioned_by.clone(),
            conducted_by: s.study.conducted_by.clone(),
        }),
        me,
    )?
    .id
    .clone();
    let insights = s.insights.iter().map(|x| Opt::new(x.id.clone(), x.statement.clone())).collect();
    let specs = idea_specs(ui, insights);
    let path = format!("/beheer/kennis/ideeen/{n}");
    let mut page = KnowledgePage::new(visitor, &path, i.title.clone());
    page.back = Some((visitor.here.at(&staff_path("/beheer/kennis", &study)), ui.k_back_to_study));
    page.lead = Some(s.study.title.clone());
    page.history = history_rows(ui, &specs, &i.history);
    page.changes = changes(&i.history);
    let values = record::from_api(
        &specs,
        &[
            ("title", json!(i.title)),
            ("priority", json!(i.priority)),
            ("description", json!(i.description)),
            ("insightIds", json!(i.insights.iter().map(|x| x.id.clone()).collect::<Vec<_>>())),
        ],
    );
    page.form = Some(
        RecordForm::new("idee", visitor.here.at(&path), &csrf_of(visitor), ui.k_idea_form, specs)
            .existing(values, i.version)
            .submit(ui.staff_save),
    );
    let adopted = i
        .adoptions
        .iter()
        .map(|a| {
            let mut item = Item::new(a.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_default());
            item.meta = ui.adoption(&a.status).to_string();
            item
        })
        .collect();
    page.parts.push(Part {
        id: "overnames",
        heading: ui.k_adoptions,
        lead: None,
        numbered: false,
        items: adopted,
        empty: ui.k_no_adoptions_of_idea,
        add: None,
    });
    Ok(page)
}

/// `GET /beheer/kennis/{inzichten|ideeen|overnames}/{number}`.
pub async fn record_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((what, n)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = match what.as_str() {
        "inzichten" => insight_page(&state, &visitor, &me, &n).await?,
        "ideeen" => idea_page(&state, &visitor, &me, &n).await?,
        "overnames" => adoption_page(&state, &visitor, &me, &n).await?,
        _ => return Err(PageError::NotFound),
    };
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/{inzichten|ideeen|overnames}/{number}`: saves the record's changed fields.
pub async fn save_record(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((what, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let here = format!("/beheer/kennis/{what}/{n}");
    let with_id = |id: String| {
        move |mut input: Map<String, Value>, version: i32| {
            input.insert("id".into(), json!(id));
            input.insert("expectedVersion".into(), json!(version));
            json!({ "input": input })
        }
    };
    match what.as_str() {
        "inzichten" => {
            let id = global_id("Insight", &n)?;
            let document = "mutation($input: UpdateInsightInput!) { updateInsight(input: $input) { insight { id } } }";
            let load = || insight_page(&state, &visitor, &me, &n);
            save(&state, &visitor, load, "inzicht", &sent, document, with_id(id), here).await
        }
        "ideeen" => {
            let id = global_id("ImprovementIdea", &n)?;
            let document =
                "mutation($input: UpdateIdeaInput!) { updateImprovementIdea(input: $input) { idea { id } } }";
            let load = || idea_page(&state, &visitor, &me, &n);
            save(&state, &visitor, load, "idee", &sent, document, with_id(id), here).await
        }
        "overnames" => {
            let id = global_id("Adoption", &n)?;
            let document =
                "mutation($input: UpdateAdoptionInput!) { updateAdoption(input: $input) { adoption { id } } }";
            let load = || adoption_page(&state, &visitor, &me, &n);
            save(&state, &visitor, load, "overname", &sent, document, with_id(id), here).await
        }
        _ => Err(PageError::NotFound),
    }
}

// ---- ideas of others, taken up ------------------------------------------------------------------

const ADOPTION: &str = r#"query StaffAdoption($id: ID!, $me: ID!) {
  adoption: node(id: $id) { ... on Adoption {
    id version status startedOn completedOn effectNote proposition { id title } organisation { id }
    idea { title description study { id title } }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  } }
  me: node(id: $me) { ... on Organisation { id name kind supportOrganisation { id name }
    supportedLibraries { id name } propositions(first: 100) { nodes { id title } } } }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AdoptionNow {
    version: i32,
    status: String,
    started_on: Option<String>,
    completed_on: Option<String>,
    effect_note: Option<String>,
    proposition: Option<Named>,
    organisation: Option<IdOnly>,
    idea: Option<AdoptedIdea>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
struct AdoptedIdea {
    title: String,
    description: String,
    study: Option<IdTitle>,
}

#[derive(Deserialize)]
struct IdTitle {
    id: String,
    title: String,
}

#[derive(Deserialize)]
struct AdoptionAnswer {
    adoption: AdoptionNow,
    me: Me,
}

const STATUSES: [&str; 4] = ["PLANNED", "IN_PROGRESS", "DONE", "DROPPED"];

async fn adoption_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<KnowledgePage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("Adoption", n)?;
    let q = Question::new(ADOPTION, json!({ "id": id, "me": me }));
    let answer: AdoptionAnswer = ask(state, visitor, &q).await?;
    let a = &answer.adoption;
    if a.organisation.as_ref().is_none_or(|o| o.id != me) {
        return Err(PageError::NotFound);
    }
    let own: Vec<Named> = a.proposition.iter().cloned().collect();
    let specs = vec![
        Spec::new("status", ui.f_adoption_status, Kind::Choice(enum_opts(&STATUSES, |s| ui.adoption(s)))).required(),
        Spec::new("propositionId", ui.f_carried_in, Kind::Choice(named(&answer.me.propositions.nodes, &own))),
        Spec::new("startedOn", ui.f_started_on, Kind::Date),
        Spec::new("completedOn", ui.f_completed_on, Kind::Date),
        Spec::new("effectNote", ui.f_effect, Kind::Area { max: 10_000, rows: 4 }),
    ];
    let path = format!("/beheer/kennis/overnames/{n}");
    let title = a.idea.as_ref().map(|i| i.title.clone()).unwrap_or_default();
    let mut page = KnowledgePage::new(visitor, &path, title);
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    if let Some(idea) = &a.idea {
        let from = idea.study.as_ref().map(|s| s.title.clone()).unwrap_or_default();
        page.lead = Some(format!("{} {from}. {}", ui.k_idea_from, idea.description).trim().to_string());
        if let Some(s) = &idea.study {
            page.links.push((visitor.here.at(&study_path(&s.id)), ui.k_view_public));
        }
    }
    page.history = history_rows(ui, &specs, &a.history);
    page.changes = changes(&a.history);
    let values = record::from_api(
        &specs,
        &[
            ("status", json!(a.status)),
            ("propositionId", json!(a.proposition.as_ref().map(|p| p.id.clone()))),
            ("startedOn", json!(a.started_on)),
            ("completedOn", json!(a.completed_on)),
            ("effectNote", json!(a.effect_note)),
        ],
    );
    page.form = Some(
        RecordForm::new("overname", visitor.here.at(&path), &csrf_of(visitor), ui.k_adoption_form, specs)
            .existing(values, a.version)
            .submit(ui.staff_save),
    );
    Ok(page)
}

const ELSEWHERE: &str = r#"query StaffIdeasElsewhere($me: ID!, $slug: [String!]!) {
  me: node(id: $me) { ... on Organisation { slug adoptions { idea { id } } } }
  ideas: studies(filter: { excludingOrganisations: $slug }, first: 100) {
    nodes { id title ideas { id title priority adoptionCount } }
  }
}"#;

/// `GET /beheer/kennis/ideeen-elders`: other organisations' ideas a library may take up.
pub async fn elsewhere(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    #[derive(Deserialize)]
    struct Slug {
        me: SlugOnly,
    }
    #[derive(Deserialize)]
    struct SlugOnly {
        slug: String,
    }
    let slug: Slug = ask(
        &state,
        &visitor,
        &Question::new(
            "query StaffSlug($me: ID!) { me: node(id: $me) { ... on Organisation { slug } } }",
            json!({ "me": me }),
        ),
    )
    .await?;
    #[derive(Deserialize)]
    struct A {
        me: Adopted,
        ideas: Nodes<S>,
    }
    #[derive(Deserialize)]
    struct Adopted {
        adoptions: Vec<AdoptedIdeaRef>,
    }
    #[derive(Deserialize)]
    struct AdoptedIdeaRef {
        idea: Option<IdOnly>,
    }
    #[derive(Deserialize)]
    struct S {
        id: String,
        title: String,
        ideas: Vec<IdeaRow>,
    }
    let q = Question::new(ELSEWHERE, json!({ "me": me, "slug": [slug.me.slug] }));
    let a: A = ask(&state, &visitor, &q).await?;
    let taken: Vec<String> = a.me.adoptions.into_iter().filter_map(|x| x.idea.map(|i| i.id)).collect();
    let mut page = KnowledgePage::new(&visitor, "/beheer/kennis/ideeen-elders", ui.k_elsewhere.to_string());
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    page.lead = Some(ui.k_elsewhere_lead.to_string());
    page.notice = notice(&visitor, &done);
    let library = visitor.actor.edited_library().is_some();
    let items = a
        .ideas
        .nodes
        .iter()
        .flat_map(|s| s.ideas.iter().map(move |i| (s, i)))
        .map(|(s, i)| {
            let mut item = Item::new(i.title.clone());
            item.link = Some(visitor.here.at(&study_path(&s.id)));
            item.meta = format!("{} · {} {}", ui.priority(&i.priority), ui.k_idea_from, s.title);
            if taken.contains(&i.id) {
                item.meta.push_str(&format!(" · {}", ui.k_adopted_already));
            } else if library {
                item.buttons.push(Button {
                    action: visitor.here.at(&format!("{}/overnemen", staff_path("/beheer/kennis/ideeen", &i.id))),
                    label: ui.k_adopt,
                    aria: format!("{}: {}", ui.k_adopt, i.title),
                    hidden: Vec::new(),
                });
            }
            item
        })
        .collect();
    page.parts.push(Part {
        id: "ideeen",
        heading: ui.k_ideas,
        lead: None,
        numbered: false,
        items,
        empty: ui.k_no_elsewhere,
        add: None,
    });
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/ideeen/{number}/overnemen`: the library takes up the idea, planned; then
/// the adoption's page, to keep track.
pub async fn adopt(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let idea = global_id("ImprovementIdea", &n)?;
    let document = "mutation($input: AdoptIdeaInput!) { adoptImprovementIdea(input: $input) { adoption { id } } }";
    match mutate(&state, &visitor, document, json!({ "input": { "ideaId": idea, "organisationId": me } })).await? {
        Ok(data) => {
            let id = data["adoptImprovementIdea"]["adoption"]["id"].as_str().unwrap_or_default();
            let to = format!("{}?gedaan=overgenomen", staff_path("/beheer/kennis/overnames", id));
            Ok(see_other(&visitor.here.at(&to), None))
        }
        Err(refusal) => {
            let back = Some((visitor.here.at("/beheer/kennis/ideeen-elders"), ui.k_back));
            Ok(message(&visitor.here, refusal.status, ui.not_done, ui.validation(&refusal.message), back))
        }
    }
}

/// `POST /beheer/kennis/{a}/{b}`: a study's add forms (`{number}/{what}`) and the other records'
/// forms (`{what}/{number}`) share the shape of their address.
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
