//! A library's branches on the web (`/beheer/vestigingen`), for its editors: each branch with its
//! form (name, address, postcode, municipality by CBS code or name, coordinates) and a button to
//! remove it, and a form to add one. Every change is the API's own `createBranch`, `updateBranch`
//! or `deleteBranch` as the person; a stale form shows what the other person changed.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::page::PageError;
use crate::web::pages::{global_id, number};
use crate::web::staff::record::{self, Kind, RecordForm, Sent, Spec};
use crate::web::staff::records::{
    Button, Done, Item, Part, RecordsPage, act, create, csrf_of, notice, save, staff_path,
};
use crate::web::staff::{acting_library, form_of_library};

const PATH: &str = "/beheer/vestigingen";

const BRANCHES: &str = r#"query StaffBranches($organisation: ID!) {
  library: node(id: $organisation) { ... on Organisation {
    name branches { id version name address postcode latitude longitude municipality { code name } }
  } }
}"#;

#[derive(Deserialize)]
struct Answer {
    library: Library,
}

#[derive(Deserialize)]
struct Library {
    name: String,
    branches: Vec<Branch>,
}

#[derive(Deserialize)]
struct Branch {
    id: String,
    version: i32,
    name: String,
    address: String,
    postcode: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    municipality: Option<Municipality>,
}

#[derive(Deserialize)]
struct Municipality {
    name: String,
}

fn specs(visitor: &Visitor) -> Vec<Spec> {
    let ui = visitor.here.labels();
    vec![
        Spec::new("name", ui.f_name, Kind::Text { max: 200 }).required(),
        Spec::new("address", ui.f_address, Kind::Text { max: 300 }).required(),
        Spec::new("postcode", ui.f_postcode, Kind::Text { max: 10 }).required(),
        Spec::new("municipalityCode", ui.f_municipality, Kind::Text { max: 100 }).required().hint(ui.h_municipality),
        Spec::new("latitude", ui.f_latitude, Kind::Decimal { min: -90.0, max: 90.0 }).hint(ui.h_coordinates),
        Spec::new("longitude", ui.f_longitude, Kind::Decimal { min: -180.0, max: 180.0 }),
    ]
}

async fn branches_page(state: &AppState, visitor: &Visitor, library: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let answer: Answer = ask(state, visitor, &Question::new(BRANCHES, json!({ "organisation": library }))).await?;
    let csrf = csrf_of(visitor);
    let mut page = RecordsPage::new(visitor, PATH, format!("{}: {}", ui.branches_title, answer.library.name));
    page.back = Some((visitor.here.at("/beheer/aanbod"), ui.staff_offer_title));
    page.lead = Some(ui.branches_lead.to_string());
    let items = answer
        .library
        .branches
        .iter()
        .map(|b| {
            let n = number(&b.id).unwrap_or_default();
            let mut item = Item::new(b.name.clone());
            let place = b.municipality.as_ref().map(|m| m.name.clone()).unwrap_or_default();
            item.meta = format!("{}, {} {place}", b.address, b.postcode);
            item.buttons.push(Button {
                action: visitor.here.at(&format!("{}/verwijderen", staff_path(PATH, &b.id))),
                label: ui.k_remove,
                aria: format!("{}: {}", ui.k_remove, b.name),
                hidden: vec![("version", b.version.to_string())],
            });
            let specs = specs(visitor);
            let values = record::from_api(
                &specs,
                &[
                    ("name", json!(b.name)),
                    ("address", json!(b.address)),
                    ("postcode", json!(b.postcode)),
                    ("municipalityCode", json!(b.municipality.as_ref().map(|m| m.name.clone()))),
                    ("latitude", json!(b.latitude)),
                    ("longitude", json!(b.longitude)),
                ],
            );
            let action = visitor.here.at(&format!("{PATH}/{n}"));
            let legend = format!("{}: {}", ui.branches_edit, b.name);
            item.form = Some(
                RecordForm::new(&format!("vestiging-{n}"), action, &csrf, legend, specs)
                    .existing(values, b.version)
                    .submit(ui.staff_save)
                    .folded(),
            );
            item
        })
        .collect();
    let add = RecordForm::new("vestiging-nieuw", visitor.here.at(PATH), &csrf, ui.branches_add, specs(visitor))
        .submit(ui.k_add)
        .folded();
    page.parts.push(Part {
        id: "vestigingen",
        heading: ui.branches_title,
        lead: None,
        numbered: false,
        items,
        empty: ui.staff_no_branches,
        add: Some(add),
    });
    Ok(page)
}

/// `GET /beheer/vestigingen`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let library = match acting_library(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = branches_page(&state, &visitor, &library).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/vestigingen`: adds a branch.
pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let library = match form_of_library(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let page = branches_page(&state, &visitor, &library).await?;
    let document = "mutation($input: CreateBranchInput!) { createBranch(input: $input) { branch { id } } }";
    let variables = |mut input: Map<String, Value>| {
        input.insert("organisationId".into(), json!(library));
        json!({ "input": input })
    };
    let done = |_: &Value| format!("{PATH}?gedaan=toegevoegd");
    create(&state, &visitor, page, "vestiging-nieuw", &sent, variables, document, done).await
}

/// `POST /beheer/vestigingen/{number}`: saves a branch's changed fields.
pub async fn save_branch(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let library = match form_of_library(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("Branch", &n)?;
    let load = || branches_page(&state, &visitor, &library);
    let document = "mutation($input: UpdateBranchInput!) { updateBranch(input: $input) { branch { id } } }";
    let variables = |mut input: Map<String, Value>, version: i32| {
        input.insert("id".into(), json!(id));
        input.insert("expectedVersion".into(), json!(version));
        json!({ "input": input })
    };
    let form = format!("vestiging-{n}");
    save(&state, &visitor, load, &form, &sent, document, variables, PATH.to_string()).await
}

/// `POST /beheer/vestigingen/{number}/verwijderen`: removes a branch (the API refuses one that a
/// proposition still names).
pub async fn remove(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = form_of_library(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let id = global_id("Branch", &n)?;
    let Some(version) = sent.version else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let document = "mutation($input: DeleteBranchInput!) { deleteBranch(input: $input) { deletedBranchId } }";
    act(&state, &visitor, document, json!({ "input": { "id": id, "expectedVersion": version } }), PATH, "verwijderd")
        .await
}
