//! The network's organisations on the web, for network maintainers (`/beheer/organisaties`):
//! every library, support organisation, national body and partner, a new one, and each one's
//! form (name, slug, kind, province, municipalities by CBS code or name, support organisation,
//! website, description) with its history. Every change is the API's own `createOrganisation` or
//! `updateOrganisation` as the person; a stale form shows what the other maintainer changed.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask, every};
use crate::web::forms::{mutate, see_other};
use crate::web::labels::Labels;
use crate::web::page::PageError;
use crate::web::staff::model::{maintainer, maintainer_form};
use crate::web::staff::record::{self, Kind, Opt, RecordForm, Sent, Spec};
use crate::web::staff::records::{
    Button, Change, Done, Item, Nodes, Part, RecordsPage, act, changes, create, csrf_of, history_rows, notice, save,
};

const PATH: &str = "/beheer/organisaties";
const KINDS: [&str; 4] = ["LIBRARY", "SUPPORT_ORGANISATION", "NATIONAL_BODY", "PARTNER"];

const LIST: &str = r#"query StaffOrganisations($after: String) {
  list: organisations(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id slug name kind } }
}"#;

#[derive(Deserialize)]
struct Listed {
    id: String,
    slug: String,
    name: String,
    kind: String,
}

#[derive(Deserialize)]
struct Province {
    code: String,
    name: String,
}

/// What the forms choose from: the provinces and the support organisations.
struct Choices {
    provinces: Vec<Opt>,
    support: Vec<Opt>,
}

fn specs(ui: &Labels, choices: &Choices) -> Vec<Spec> {
    vec![
        Spec::new("name", ui.f_name, Kind::Text { max: 200 }).required(),
        Spec::new("slug", ui.f_slug, Kind::Text { max: 100 }).required().hint(ui.h_slug),
        Spec::new(
            "kind",
            ui.f_kind,
            Kind::Choice(KINDS.iter().map(|k| Opt::new(*k, ui.organisation_kind(k))).collect()),
        )
        .required(),
        Spec::new("provinceCode", ui.f_province, Kind::Choice(choices.provinces.clone())),
        Spec::new("municipalityCodes", ui.f_municipalities, Kind::Lines).hint(ui.h_municipalities),
        Spec::new("supportOrganisationId", ui.f_support_organisation, Kind::Choice(choices.support.clone()))
            .hint(ui.h_support_organisation),
        Spec::new("website", ui.f_website, Kind::Text { max: 500 }),
        Spec::new("description", ui.f_description, Kind::Area { max: 5000, rows: 4 }).clears_to_empty(),
    ]
}

async fn all(state: &AppState, visitor: &Visitor) -> Result<(Vec<Listed>, Choices), PageError> {
    let list: Vec<Listed> = every(state, visitor, LIST, json!({})).await?;
    #[derive(Deserialize)]
    struct P {
        provinces: Vec<Province>,
    }
    let p: P =
        ask(state, visitor, &Question::new("query StaffProvinces { provinces { code name } }", json!({}))).await?;
    let support = list
        .iter()
        .filter(|o| o.kind == "SUPPORT_ORGANISATION")
        .map(|o| Opt::new(o.id.clone(), o.name.clone()))
        .collect();
    let provinces = p.provinces.into_iter().map(|p| Opt::new(p.code, p.name)).collect();
    Ok((list, Choices { provinces, support }))
}

async fn list_page(state: &AppState, visitor: &Visitor) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let (list, choices) = all(state, visitor).await?;
    let mut page = RecordsPage::new(visitor, PATH, ui.orgs_title.to_string());
    page.lead = Some(ui.orgs_lead.to_string());
    page.links.push((visitor.here.at("/beheer/model"), ui.model_title));
    let items = list
        .iter()
        .map(|o| {
            let mut item = Item::new(o.name.clone());
            item.link = Some(visitor.here.at(&format!("{PATH}/{}", o.slug)));
            item.meta = format!("{} · {}", ui.organisation_kind(&o.kind), o.slug);
            item
        })
        .collect();
    let add = RecordForm::new(
        "organisatie-nieuw",
        visitor.here.at(PATH),
        &csrf_of(visitor),
        ui.orgs_new,
        specs(ui, &choices),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "organisaties",
        heading: ui.orgs_title,
        lead: None,
        numbered: false,
        items,
        empty: ui.staff_empty,
        add: Some(add),
    });
    Ok(page)
}

/// `GET /beheer/organisaties`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    if let Err(response) = maintainer(&visitor) {
        return Ok(*response);
    }
    let mut page = list_page(&state, &visitor).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/organisaties`: a new organisation, then its page.
pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = maintainer_form(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let page = list_page(&state, &visitor).await?;
    let document =
        "mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { slug } } }";
    let done = |data: &Value| {
        let slug = data["createOrganisation"]["organisation"]["slug"].as_str().unwrap_or_default();
        format!("{PATH}/{slug}?gedaan=toegevoegd")
    };
    create(&state, &visitor, page, "organisatie-nieuw", &sent, |input| json!({ "input": input }), document, done).await
}

const ONE: &str = r#"query StaffOrganisation($slug: String!, $id: ID) {
  members: memberships(organisation: $id) { id role admin person { name email } }
  organisation(slug: $slug) {
    id version name slug kind description website province { code } municipalities { name }
    supportOrganisation { id }
    history(first: 10) { nodes { action occurredAt version actorPerson { name } actorOrganisation { name } changes { field } } }
  }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OneAnswer {
    organisation: Organisation,
    members: Vec<Member>,
}

#[derive(Deserialize)]
struct Member {
    id: String,
    role: String,
    admin: bool,
    person: Option<Person>,
}

#[derive(Deserialize)]
struct Person {
    name: String,
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Organisation {
    id: String,
    version: i32,
    name: String,
    slug: String,
    kind: String,
    description: String,
    website: Option<String>,
    province: Option<Code>,
    municipalities: Vec<Named>,
    support_organisation: Option<Id>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

async fn one_page(state: &AppState, visitor: &Visitor, slug: &str) -> Result<(RecordsPage, String), PageError> {
    let ui = visitor.here.labels();
    // The organisation's id first (its members are asked for by id).
    #[derive(Deserialize)]
    struct IdAnswer {
        organisation: Id,
    }
    let q = Question::new(
        "query StaffOrganisationId($slug: String!) { organisation(slug: $slug) { id } }",
        json!({ "slug": slug }),
    );
    let known: IdAnswer = ask(state, visitor, &q).await?;
    let a: OneAnswer =
        ask(state, visitor, &Question::new(ONE, json!({ "slug": slug, "id": known.organisation.id }))).await?;
    let o = a.organisation;
    let (_, choices) = all(state, visitor).await?;
    let specs = specs(ui, &choices);
    let path = format!("{PATH}/{}", o.slug);
    let mut page = RecordsPage::new(visitor, &path, o.name.clone());
    page.back = Some((visitor.here.at(PATH), ui.orgs_title));
    page.lead = Some(format!("{} · {}", ui.organisation_kind(&o.kind), o.slug));
    page.links.push((visitor.here.at(&crate::web::pages::organisation_path(&o.kind, &o.slug)), ui.staff_view_public));
    page.history = history_rows(ui, &specs, &o.history);
    page.changes = changes(&o.history);
    let values = record::from_api(
        &specs,
        &[
            ("name", json!(o.name)),
            ("slug", json!(o.slug)),
            ("kind", json!(o.kind)),
            ("provinceCode", json!(o.province.as_ref().map(|p| p.code.clone()))),
            ("municipalityCodes", json!(o.municipalities.iter().map(|m| m.name.clone()).collect::<Vec<_>>())),
            ("supportOrganisationId", json!(o.support_organisation.as_ref().map(|s| s.id.clone()))),
            ("website", json!(o.website)),
            ("description", json!(o.description)),
        ],
    );
    page.form = Some(
        RecordForm::new("organisatie", visitor.here.at(&path), &csrf_of(visitor), ui.orgs_form, specs)
            .existing(values, o.version)
            .submit(ui.staff_save),
    );
    let members = a
        .members
        .iter()
        .map(|m| {
            let (name, email) = m.person.as_ref().map_or((String::new(), None), |p| (p.name.clone(), p.email.clone()));
            let mut item = Item::new(name.clone());
            let admin = if m.admin { format!(", {}", ui.account_admin) } else { String::new() };
            item.meta = format!("{}{admin}{}", ui.role(&m.role), email.map(|e| format!(" · {e}")).unwrap_or_default());
            item.buttons.push(Button {
                action: visitor
                    .here
                    .at(&format!("{path}/leden/{}/intrekken", crate::web::pages::number(&m.id).unwrap_or_default())),
                label: ui.members_revoke,
                aria: format!("{}: {name}", ui.members_revoke),
                hidden: Vec::new(),
            });
            item
        })
        .collect();
    let roles = crate::web::account::roles_for(&o.kind).iter().map(|r| Opt::new(*r, ui.role(r))).collect();
    let grant_specs = vec![
        Spec::new("email", ui.account_email, Kind::Text { max: 320 }).required().hint(ui.members_grant_lead),
        Spec::new("role", ui.role_, Kind::Choice(roles)).required(),
        Spec::new("admin", ui.members_admin, Kind::Flag),
    ];
    let grant = RecordForm::new(
        "lid-nieuw",
        visitor.here.at(&format!("{path}/leden")),
        &csrf_of(visitor),
        ui.members_grant,
        grant_specs,
    )
    .submit(ui.members_grant_button)
    .folded();
    page.parts.push(Part {
        id: "leden",
        heading: ui.orgs_members,
        lead: None,
        numbered: false,
        items: members,
        empty: ui.orgs_no_members,
        add: Some(grant),
    });
    Ok((page, o.id))
}

/// `GET /beheer/organisaties/{slug}`.
pub async fn one(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    if let Err(response) = maintainer(&visitor) {
        return Ok(*response);
    }
    let (mut page, _) = one_page(&state, &visitor, &slug).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/organisaties/{slug}`: saves the changed fields (a new slug: then its new address).
pub async fn save_one(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = maintainer_form(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let (_, id) = one_page(&state, &visitor, &slug).await?;
    let load = || async { one_page(&state, &visitor, &slug).await.map(|(page, _)| page) };
    let document =
        "mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { id } } }";
    let variables = |mut input: Map<String, Value>, version: i32| {
        input.insert("id".into(), json!(id));
        input.insert("expectedVersion".into(), json!(version));
        json!({ "input": input })
    };
    let now = sent.get("slug").map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&slug).to_string();
    save(&state, &visitor, load, "organisatie", &sent, document, variables, format!("{PATH}/{now}")).await
}

/// `POST /beheer/organisaties/{slug}/leden`: grants a person (found by the e-mail address they
/// signed in with) a membership of the organisation.
pub async fn grant(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = maintainer_form(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let (mut page, organisation) = one_page(&state, &visitor, &slug).await?;
    let form = page.form_mut("lid-nieuw").ok_or(PageError::Internal)?;
    let values = record::read(&form.specs, &sent.pairs);
    let input = match record::input(&form.specs, &values, &record::Values::new()) {
        Ok(input) => input,
        Err(bad) => {
            form.values = values;
            form.unreadable(ui, &bad);
            return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let email = input.get("email").and_then(Value::as_str).unwrap_or_default().trim().to_string();
    let found = mutate(
        &state,
        &visitor,
        "query($email: String!) { personByEmail(email: $email) { id } }",
        json!({ "email": email }),
    )
    .await?;
    let person = match found {
        Ok(data) => data["personByEmail"]["id"].as_str().map(str::to_string),
        Err(refusal) => {
            form.values = values;
            form.refused(ui, &refusal);
            return Ok(page.respond(refusal.status));
        }
    };
    let Some(person) = person else {
        form.values = values;
        form.errors.push(("email".into(), ui.members_unknown_email.into()));
        return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
    };
    let variables = json!({ "input": {
        "personId": person, "organisationId": organisation, "role": input.get("role"), "admin": input.get("admin").and_then(Value::as_bool).unwrap_or(false),
    } });
    let document = "mutation($input: GrantMembershipInput!) { grantMembership(input: $input) { membership { id } } }";
    match mutate(&state, &visitor, document, variables).await? {
        Ok(_) => {
            Ok(see_other(&format!("{}?gedaan=toegevoegd#leden", visitor.here.at(&format!("{PATH}/{slug}"))), None))
        }
        Err(refusal) => {
            let form = page.form_mut("lid-nieuw").ok_or(PageError::Internal)?;
            form.values = values;
            form.refused(ui, &refusal);
            Ok(page.respond(refusal.status))
        }
    }
}

/// `POST /beheer/organisaties/{slug}/leden/{number}/intrekken`: revokes a membership.
pub async fn revoke(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((slug, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = maintainer_form(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let id = crate::web::pages::global_id("Membership", &n)?;
    let document =
        "mutation($input: RevokeMembershipInput!) { revokeMembership(input: $input) { revokedMembershipId } }";
    act(&state, &visitor, document, json!({ "input": { "id": id } }), &format!("{PATH}/{slug}"), "ingetrokken-lid")
        .await
}
