//! The common model on the web, for network maintainers (`/beheer/model`): the standard
//! propositions (a new one, each one's page with its form and retiring it), the target groups (a
//! new one, each one's page), and the names and descriptions of the core functions and societal
//! tasks. Every change is the API's own mutation as the person, with its rules and history; a
//! stale form shows what the other maintainer changed.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::message;
use crate::web::labels::Labels;
use crate::web::page::PageError;
use crate::web::staff::record::{self, Kind, Opt, RecordForm, Sent, Spec};
use crate::web::staff::records::{
    Button, Done, Item, Part, RecordsPage, act, changes, create, csrf_of, history_rows, notice, save,
};

const PATH: &str = "/beheer/model";
const LABELS: [&str; 4] = ["nameNl", "nameEn", "descriptionNl", "descriptionEn"];

/// Whether the visitor maintains the network's common model; else the answer that says why not.
pub(super) fn maintainer(visitor: &Visitor) -> Result<(), Box<Response>> {
    crate::web::staff::signed_in(visitor)?;
    if visitor.actor.is_maintainer() {
        return Ok(());
    }
    let ui = visitor.here.labels();
    let back = Some((visitor.here.at("/account"), ui.back_to_account));
    Err(Box::new(message(
        &visitor.here,
        StatusCode::FORBIDDEN,
        ui.model_not_maintainer,
        ui.model_not_maintainer_text.into(),
        back,
    )))
}

/// A posted form of a maintainer: from this site, with the session's token.
pub(super) fn maintainer_form(
    state: &AppState,
    headers: &HeaderMap,
    visitor: &Visitor,
    csrf: &str,
) -> Result<(), Box<Response>> {
    crate::web::staff::posted(state, headers, visitor, csrf)?;
    maintainer(visitor)
}

/// The four label fields, both names required.
fn label_specs(ui: &Labels) -> Vec<Spec> {
    vec![
        Spec::new("nameNl", ui.f_name_nl, Kind::Text { max: 200 }).required(),
        Spec::new("nameEn", ui.f_name_en, Kind::Text { max: 200 }).required(),
        Spec::new("descriptionNl", ui.f_description_nl, Kind::Area { max: 5000, rows: 3 }).clears_to_empty(),
        Spec::new("descriptionEn", ui.f_description_en, Kind::Area { max: 5000, rows: 3 }).clears_to_empty(),
    ]
}

/// The label fields of an input moved into its `labels` object, as the API takes them.
fn nest_labels(mut input: Map<String, Value>) -> Map<String, Value> {
    let mut labels = Map::new();
    for name in LABELS {
        if let Some(value) = input.remove(name) {
            labels.insert(name.into(), value);
        }
    }
    if !labels.is_empty() {
        input.insert("labels".into(), Value::Object(labels));
    }
    input
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Labelled {
    version: i32,
    code: String,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
}

impl Labelled {
    fn label_values(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("nameNl", json!(self.name_nl)),
            ("nameEn", json!(self.name_en)),
            ("descriptionNl", json!(self.description_nl)),
            ("descriptionEn", json!(self.description_en)),
        ]
    }
}

#[derive(Deserialize)]
struct CodeOnly {
    code: String,
}

// ---- the model's page ---------------------------------------------------------------------------

const MODEL: &str = r#"query StaffModel($language: Language!) {
  standardPropositions { code status name(language: $language) }
  targetGroups { code name(language: $language) parent { code } }
  coreFunctions { id version code nameNl nameEn descriptionNl descriptionEn }
  societalTasks { id version code nameNl nameEn descriptionNl descriptionEn }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelAnswer {
    standard_propositions: Vec<Standard>,
    target_groups: Vec<Group>,
    core_functions: Vec<Labelled>,
    societal_tasks: Vec<Labelled>,
}

#[derive(Deserialize)]
struct Standard {
    code: String,
    status: String,
    name: String,
}

#[derive(Deserialize)]
struct Group {
    code: String,
    name: String,
    parent: Option<CodeOnly>,
}

fn standard_specs(ui: &Labels, choices: &Choices, new: bool) -> Vec<Spec> {
    let mut specs = Vec::new();
    if new {
        specs.push(Spec::new("code", ui.f_code, Kind::Text { max: 60 }).required().hint(ui.h_code));
    }
    specs.extend(label_specs(ui));
    specs.push(
        Spec::new("coreFunctionCode", ui.f_core_function, Kind::Choice(choices.core_functions.clone())).required(),
    );
    specs.push(Spec::new("societalTaskCodes", ui.f_societal_tasks, Kind::Many(choices.societal_tasks.clone())));
    specs.push(Spec::new("targetGroupCodes", ui.f_target_groups, Kind::Many(choices.target_groups.clone())));
    specs
}

fn group_specs(ui: &Labels, choices: &Choices, new: bool) -> Vec<Spec> {
    let mut specs = Vec::new();
    if new {
        specs.push(Spec::new("code", ui.f_code, Kind::Text { max: 60 }).required().hint(ui.h_code));
    }
    specs.extend(label_specs(ui));
    specs.push(Spec::new("parentCode", ui.f_parent_group, Kind::Choice(choices.target_groups.clone())));
    specs.push(Spec::new("minAge", ui.f_min_age, Kind::Number { min: 0, max: 150 }));
    specs.push(Spec::new("maxAge", ui.f_max_age, Kind::Number { min: 0, max: 150 }));
    specs
}

/// What the model's forms choose from.
struct Choices {
    core_functions: Vec<Opt>,
    societal_tasks: Vec<Opt>,
    target_groups: Vec<Opt>,
}

const CHOICES: &str = r#"query StaffModelChoices($language: Language!) {
  coreFunctions { code name(language: $language) }
  societalTasks { code name(language: $language) }
  targetGroups { code name(language: $language) }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChoicesAnswer {
    core_functions: Vec<Named>,
    societal_tasks: Vec<Named>,
    target_groups: Vec<Named>,
}

#[derive(Deserialize)]
struct Named {
    code: String,
    name: String,
}

async fn choices(state: &AppState, visitor: &Visitor) -> Result<Choices, PageError> {
    let q = Question::new(CHOICES, json!({ "language": visitor.here.lang.graphql() }));
    let a: ChoicesAnswer = ask(state, visitor, &q).await?;
    let opts = |list: Vec<Named>| list.into_iter().map(|n| Opt::new(n.code, n.name)).collect();
    Ok(Choices {
        core_functions: opts(a.core_functions),
        societal_tasks: opts(a.societal_tasks),
        target_groups: opts(a.target_groups),
    })
}

fn labelled_items(visitor: &Visitor, list: &[Labelled], kind: &str) -> Vec<Item> {
    let ui = visitor.here.labels();
    list.iter()
        .map(|l| {
            let mut item = Item::new(l.name_nl.clone());
            item.meta = l.code.clone();
            let specs = label_specs(ui);
            let values = record::from_api(&specs, &l.label_values());
            let action = visitor.here.at(&format!("{PATH}/{kind}/{}", l.code));
            let legend = format!("{}: {}", ui.model_edit_labels, l.name_nl);
            item.form = Some(
                RecordForm::new(&format!("{kind}-{}", l.code), action, &csrf_of(visitor), legend, specs)
                    .existing(values, l.version)
                    .submit(ui.staff_save)
                    .folded(),
            );
            item
        })
        .collect()
}

async fn model_page(state: &AppState, visitor: &Visitor) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let q = Question::new(MODEL, json!({ "language": visitor.here.lang.graphql() }));
    let a: ModelAnswer = ask(state, visitor, &q).await?;
    let choices = choices(state, visitor).await?;
    let csrf = csrf_of(visitor);
    let mut page = RecordsPage::new(visitor, PATH, ui.model_title.to_string());
    page.lead = Some(ui.model_lead.to_string());
    page.links.push((visitor.here.at("/beheer/organisaties"), ui.orgs_title));
    page.links.push((visitor.here.at("/beheer/sleutels"), ui.nav_staff_keys));
    let standards = a
        .standard_propositions
        .iter()
        .map(|s| {
            let mut item = Item::new(s.name.clone());
            item.link = Some(visitor.here.at(&format!("{PATH}/standaard/{}", s.code)));
            item.meta = match s.status.as_str() {
                "RETIRED" => format!("{} · {}", s.code, ui.model_retired),
                _ => s.code.clone(),
            };
            item
        })
        .collect();
    let add_standard = RecordForm::new(
        "standaard-nieuw",
        visitor.here.at(&format!("{PATH}/standaard")),
        &csrf,
        ui.model_new_standard,
        standard_specs(ui, &choices, true),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "standaardproposities",
        heading: ui.nav_standards,
        lead: None,
        numbered: false,
        items: standards,
        empty: ui.staff_empty,
        add: Some(add_standard),
    });
    let groups = a
        .target_groups
        .iter()
        .map(|g| {
            let mut item = Item::new(g.name.clone());
            item.link = Some(visitor.here.at(&format!("{PATH}/doelgroep/{}", g.code)));
            item.meta = match &g.parent {
                Some(p) => format!("{} · {} {}", g.code, ui.model_within, p.code),
                None => g.code.clone(),
            };
            item
        })
        .collect();
    let add_group = RecordForm::new(
        "doelgroep-nieuw",
        visitor.here.at(&format!("{PATH}/doelgroep")),
        &csrf,
        ui.model_new_group,
        group_specs(ui, &choices, true),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "doelgroepen",
        heading: ui.f_target_groups,
        lead: None,
        numbered: false,
        items: groups,
        empty: ui.staff_empty,
        add: Some(add_group),
    });
    page.parts.push(Part {
        id: "kernfuncties",
        heading: ui.model_core_functions,
        lead: None,
        numbered: false,
        items: labelled_items(visitor, &a.core_functions, "kernfunctie"),
        empty: ui.staff_empty,
        add: None,
    });
    page.parts.push(Part {
        id: "opgaven",
        heading: ui.model_societal_tasks,
        lead: None,
        numbered: false,
        items: labelled_items(visitor, &a.societal_tasks, "opgave"),
        empty: ui.staff_empty,
        add: None,
    });
    Ok(page)
}

/// `GET /beheer/model`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    if let Err(response) = maintainer(&visitor) {
        return Ok(*response);
    }
    let mut page = model_page(&state, &visitor).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/model/{standaard|doelgroep}`: a new standard proposition or target group.
pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(what): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = maintainer_form(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let page = model_page(&state, &visitor).await?;
    let variables = |input| json!({ "input": nest_labels(input) });
    match what.as_str() {
        "standaard" => {
            let document = "mutation($input: CreateStandardPropositionInput!) { createStandardProposition(input: $input) { standardProposition { code } } }";
            let done = |data: &Value| {
                let code =
                    data["createStandardProposition"]["standardProposition"]["code"].as_str().unwrap_or_default();
                format!("{PATH}/standaard/{code}?gedaan=toegevoegd")
            };
            create(&state, &visitor, page, "standaard-nieuw", &sent, variables, document, done).await
        }
        "doelgroep" => {
            let document = "mutation($input: CreateTargetGroupInput!) { createTargetGroup(input: $input) { targetGroup { code } } }";
            let done = |data: &Value| {
                let code = data["createTargetGroup"]["targetGroup"]["code"].as_str().unwrap_or_default();
                format!("{PATH}/doelgroep/{code}?gedaan=toegevoegd")
            };
            create(&state, &visitor, page, "doelgroep-nieuw", &sent, variables, document, done).await
        }
        _ => Err(PageError::NotFound),
    }
}

// ---- one standard proposition, one target group -------------------------------------------------

const STANDARD: &str = r#"query StaffStandard($code: String!) {
  standardProposition(code: $code) {
    id version code status retirementNote nameNl nameEn descriptionNl descriptionEn
    coreFunction { code } societalTasks { code } targetGroups { code }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StandardAnswer {
    standard_proposition: StandardNow,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StandardNow {
    #[serde(flatten)]
    labels: Labelled,
    status: String,
    retirement_note: Option<String>,
    core_function: Option<CodeOnly>,
    societal_tasks: Vec<CodeOnly>,
    target_groups: Vec<CodeOnly>,
    history: crate::web::staff::records::Nodes<crate::web::staff::records::Change>,
}

fn codes(list: &[CodeOnly]) -> Value {
    json!(list.iter().map(|c| c.code.clone()).collect::<Vec<_>>())
}

async fn standard_page(state: &AppState, visitor: &Visitor, code: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let a: StandardAnswer = ask(state, visitor, &Question::new(STANDARD, json!({ "code": code }))).await?;
    let s = a.standard_proposition;
    let choices = choices(state, visitor).await?;
    let specs = standard_specs(ui, &choices, false);
    let path = format!("{PATH}/standaard/{}", s.labels.code);
    let mut page = RecordsPage::new(visitor, &path, s.labels.name_nl.clone());
    page.back = Some((visitor.here.at(PATH), ui.model_title));
    page.lead = Some(match s.status.as_str() {
        "RETIRED" => {
            format!("{} · {}. {}", s.labels.code, ui.model_retired, s.retirement_note.clone().unwrap_or_default())
        }
        _ => s.labels.code.clone(),
    });
    page.links.push((visitor.here.at(&format!("/standaardproposities/{}", s.labels.code)), ui.staff_view_public));
    page.history = history_rows(ui, &specs, &s.history);
    page.changes = changes(&s.history);
    let mut api = s.labels.label_values();
    api.push(("coreFunctionCode", json!(s.core_function.as_ref().map(|c| c.code.clone()))));
    api.push(("societalTaskCodes", codes(&s.societal_tasks)));
    api.push(("targetGroupCodes", codes(&s.target_groups)));
    let values = record::from_api(&specs, &api);
    page.form = Some(
        RecordForm::new("standaard", visitor.here.at(&path), &csrf_of(visitor), ui.model_standard_form, specs)
            .existing(values, s.labels.version)
            .submit(ui.staff_save),
    );
    if s.status != "RETIRED" {
        let mut item = Item::new(ui.model_retire_lead.to_string());
        item.buttons.push(Button {
            action: visitor.here.at(&format!("{path}/intrekken")),
            label: ui.model_retire,
            aria: format!("{}: {}", ui.model_retire, s.labels.name_nl),
            hidden: vec![("version", s.labels.version.to_string())],
        });
        page.parts.push(Part {
            id: "intrekken",
            heading: ui.model_retire,
            lead: None,
            numbered: false,
            items: vec![item],
            empty: ui.staff_empty,
            add: None,
        });
    }
    Ok(page)
}

const GROUP: &str = r#"query StaffGroup($code: String!) {
  targetGroup(code: $code) {
    id version code nameNl nameEn descriptionNl descriptionEn minAge maxAge parent { code }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupAnswer {
    target_group: GroupNow,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupNow {
    #[serde(flatten)]
    labels: Labelled,
    min_age: Option<i64>,
    max_age: Option<i64>,
    parent: Option<CodeOnly>,
    history: crate::web::staff::records::Nodes<crate::web::staff::records::Change>,
}

async fn group_page(state: &AppState, visitor: &Visitor, code: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let a: GroupAnswer = ask(state, visitor, &Question::new(GROUP, json!({ "code": code }))).await?;
    let g = a.target_group;
    let choices = choices(state, visitor).await?;
    let specs = group_specs(ui, &choices, false);
    let path = format!("{PATH}/doelgroep/{}", g.labels.code);
    let mut page = RecordsPage::new(visitor, &path, g.labels.name_nl.clone());
    page.back = Some((visitor.here.at(PATH), ui.model_title));
    page.lead = Some(g.labels.code.clone());
    page.links.push((visitor.here.at(&format!("/doelgroepen/{}", g.labels.code)), ui.staff_view_public));
    page.history = history_rows(ui, &specs, &g.history);
    page.changes = changes(&g.history);
    let mut api = g.labels.label_values();
    api.push(("parentCode", json!(g.parent.as_ref().map(|p| p.code.clone()))));
    api.push(("minAge", json!(g.min_age)));
    api.push(("maxAge", json!(g.max_age)));
    let values = record::from_api(&specs, &api);
    page.form = Some(
        RecordForm::new("doelgroep", visitor.here.at(&path), &csrf_of(visitor), ui.model_group_form, specs)
            .existing(values, g.labels.version)
            .submit(ui.staff_save),
    );
    Ok(page)
}

/// `GET /beheer/model/{standaard|doelgroep}/{code}`.
pub async fn record_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((what, code)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    if let Err(response) = maintainer(&visitor) {
        return Ok(*response);
    }
    let mut page = match what.as_str() {
        "standaard" => standard_page(&state, &visitor, &code).await?,
        "doelgroep" => group_page(&state, &visitor, &code).await?,
        _ => return Err(PageError::NotFound),
    };
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/model/{standaard|doelgroep|kernfunctie|opgave}/{code}`: saves the changed fields.
pub async fn save_record(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((what, code)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = maintainer_form(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let with = |id: String| {
        move |input: Map<String, Value>, version: i32| {
            let mut input = nest_labels(input);
            input.insert("id".into(), json!(id));
            input.insert("expectedVersion".into(), json!(version));
            json!({ "input": input })
        }
    };
    let id = id_of(&state, &visitor, &what, &code).await?;
    match what.as_str() {
        "standaard" => {
            let load = || standard_page(&state, &visitor, &code);
            let document = "mutation($input: UpdateStandardPropositionInput!) { updateStandardProposition(input: $input) { standardProposition { id } } }";
            save(&state, &visitor, load, "standaard", &sent, document, with(id), format!("{PATH}/standaard/{code}"))
                .await
        }
        "doelgroep" => {
            let load = || group_page(&state, &visitor, &code);
            let document =
                "mutation($input: UpdateTargetGroupInput!) { updateTargetGroup(input: $input) { targetGroup { id } } }";
            save(&state, &visitor, load, "doelgroep", &sent, document, with(id), format!("{PATH}/doelgroep/{code}"))
                .await
        }
        _ => {
            let mutation = if what == "kernfunctie" { "updateCoreFunction" } else { "updateSocietalTask" };
            let load = || model_page(&state, &visitor);
            let document =
                format!("mutation($input: UpdateLabelsInput!) {{ {mutation}(input: $input) {{ __typename }} }}");
            let form = format!("{what}-{code}");
            save(&state, &visitor, load, &form, &sent, &document, with(id), PATH.to_string()).await
        }
    }
}

/// The global id of a record of the model by its code (a standard proposition, target group,
/// core function or societal task); not found for an unknown kind or code.
async fn id_of(state: &AppState, visitor: &Visitor, what: &str, code: &str) -> Result<String, PageError> {
    #[derive(Deserialize)]
    struct A {
        list: Vec<IdCode>,
    }
    #[derive(Deserialize)]
    struct IdCode {
        id: String,
        code: String,
    }
    let document = match what {
        "standaard" => "query StaffId { list: standardPropositions { id code } }",
        "doelgroep" => "query StaffId { list: targetGroups { id code } }",
        "kernfunctie" => "query StaffId { list: coreFunctions { id code } }",
        "opgave" => "query StaffId { list: societalTasks { id code } }",
        _ => return Err(PageError::NotFound),
    };
    let a: A = ask(state, visitor, &Question::new(document, json!({}))).await?;
    a.list.into_iter().find(|x| x.code == code).map(|x| x.id).ok_or(PageError::NotFound)
}

/// `POST /beheer/model/standaard/{code}/intrekken`: retires a standard proposition; the
/// propositions mapped onto it keep their mapping.
pub async fn retire(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = maintainer_form(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let id = id_of(&state, &visitor, "standaard", &code).await?;
    let Some(version) = sent.version else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let document =
        "mutation($input: RetireStandardPropositionInput!) { retireStandardProposition(input: $input) { message } }";
    let here = format!("{PATH}/standaard/{code}");
    act(&state, &visitor, document, json!({ "input": { "id": id, "expectedVersion": version } }), &here, "uit-gebruik")
        .await
}
