//! An organisation's API keys on the web (`/beheer/sleutels`), for its administrators and network
//! maintainers: the keys with what they may do and when they were last used, a new key (shown once,
//! on the page that made it, never again), and revoking one. Every change is the API's own
//! `createApiKey` / `revokeApiKey` as the person, so who may manage keys is the domain's answer.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::{message, mutate, see_other};
use crate::web::page::PageError;
use crate::web::pages::global_id;
use crate::web::staff::proposition::moment;
use crate::web::staff::record::{self, Kind, Opt, RecordForm, Sent, Spec};
use crate::web::staff::records::{Button, Done, Item, Part, RecordsPage, csrf_of, notice, staff_path};

const SCOPES: [&str; 3] = ["READ_PUBLISHED", "READ_NETWORK_RESEARCH", "WRITE_OWN_ORGANISATION"];

/// The organisation whose keys the visitor manages (its administrators', or a maintainer's own
/// organisation), as a global id; else the answer that says why not.
fn key_manager(visitor: &Visitor) -> Result<String, Box<Response>> {
    crate::web::staff::signed_in(visitor)?;
    let actor = &visitor.actor;
    match actor.organisation_id().filter(|_| actor.admin || actor.is_maintainer()) {
        Some(id) => Ok(crate::kernel::ids::encode("Organisation", id).0),
        None => {
            let ui = visitor.here.labels();
            let back = Some((visitor.here.at("/account"), ui.back_to_account));
            let why = ui.keys_not_admin_text.into();
            Err(Box::new(message(&visitor.here, StatusCode::FORBIDDEN, ui.keys_not_admin, why, back)))
        }
    }
}

const KEYS: &str = r#"query StaffKeys($organisation: ID!) {
  organisation: node(id: $organisation) { ... on Organisation { name } }
  apiKeys(organisation: $organisation, first: 100) {
    nodes { id name hint scopes active createdAt lastUsedAt expiresAt revokedAt }
  }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeysAnswer {
    organisation: NameOnly,
    api_keys: Listed,
}

#[derive(Deserialize)]
struct NameOnly {
    name: String,
}

#[derive(Deserialize)]
struct Listed {
    nodes: Vec<Key>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Key {
    id: String,
    name: String,
    hint: String,
    scopes: Vec<String>,
    active: bool,
    created_at: String,
    last_used_at: Option<String>,
    expires_at: Option<String>,
    revoked_at: Option<String>,
}

fn key_specs(visitor: &Visitor) -> Vec<Spec> {
    let ui = visitor.here.labels();
    let scopes = SCOPES.iter().map(|s| Opt::new(*s, ui.scope(s))).collect();
    vec![
        Spec::new("name", ui.f_key_name, Kind::Text { max: 100 }).required(),
        Spec::new("scopes", ui.f_scopes, Kind::Many(scopes)),
        Spec::new("expiresAt", ui.f_expires, Kind::Date).hint(ui.h_expires),
    ]
}

async fn keys_page(state: &AppState, visitor: &Visitor, organisation: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let answer: KeysAnswer = ask(state, visitor, &Question::new(KEYS, json!({ "organisation": organisation }))).await?;
    let path = "/beheer/sleutels";
    let mut page = RecordsPage::new(visitor, path, format!("{}: {}", ui.keys_title, answer.organisation.name));
    page.lead = Some(ui.keys_lead.to_string());
    if visitor.actor.is_maintainer() {
        page.links.push((visitor.here.at("/beheer/model"), ui.model_title));
    }
    let items = answer
        .api_keys
        .nodes
        .iter()
        .map(|k| {
            let mut item = Item::new(format!("{} ({}…)", k.name, k.hint));
            let state = match (&k.revoked_at, k.active) {
                (Some(_), _) => ui.keys_revoked,
                (None, false) => ui.keys_expired,
                (None, true) => ui.keys_active,
            };
            let used = match &k.last_used_at {
                Some(at) => format!("{} {}", ui.keys_last_used, moment(at)),
                None => ui.keys_never_used.to_string(),
            };
            let expires = k.expires_at.as_ref().map(|at| format!(" · {} {}", ui.keys_expires, moment(at)));
            item.meta =
                format!("{state} · {} {} · {used}{}", ui.keys_made, moment(&k.created_at), expires.unwrap_or_default());
            item.text = Some(k.scopes.iter().map(|s| ui.scope(s)).collect::<Vec<_>>().join("; "));
            if k.active {
                item.buttons.push(Button {
                    action: visitor.here.at(&format!("{}/intrekken", staff_path(path, &k.id))),
                    label: ui.keys_revoke,
                    aria: format!("{}: {}", ui.keys_revoke, k.name),
                    hidden: Vec::new(),
                });
            }
            item
        })
        .collect();
    let start = record::from_api(&key_specs(visitor), &[("scopes", json!(["READ_PUBLISHED"]))]);
    let add =
        RecordForm::new("sleutel-nieuw", visitor.here.at(path), &csrf_of(visitor), ui.keys_new, key_specs(visitor))
            .with_values(start)
            .submit(ui.keys_make);
    page.parts.push(Part {
        id: "sleutels",
        heading: ui.keys_title,
        lead: None,
        numbered: false,
        items,
        empty: ui.keys_none,
        add: Some(add),
    });
    Ok(page)
}

/// `GET /beheer/sleutels`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let organisation = match key_manager(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = keys_page(&state, &visitor, &organisation).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/sleutels`: makes a key and shows it, on this answer only.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = crate::web::staff::posted(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let organisation = match key_manager(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let mut page = keys_page(&state, &visitor, &organisation).await?;
    let form = page.form_mut("sleutel-nieuw").ok_or(PageError::Internal)?;
    let values = record::read(&form.specs, &sent.pairs);
    let mut input = match record::input(&form.specs, &values, &record::Values::new()) {
        Ok(input) => input,
        Err(bad) => {
            form.values = values;
            form.unreadable(ui, &bad);
            return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    // A key works through the last day chosen (UTC).
    if let Some(day) = input.get("expiresAt").and_then(|d| d.as_str()).map(str::to_string) {
        input.insert("expiresAt".into(), json!(format!("{day}T23:59:59Z")));
    }
    input.entry("scopes").or_insert_with(|| json!([]));
    input.insert("organisation".into(), json!(organisation));
    let document = "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }";
    match mutate(&state, &visitor, document, json!({ "input": input })).await? {
        Ok(data) => {
            // The page again, now listing the key, with the key itself shown this once.
            let mut page = keys_page(&state, &visitor, &organisation).await?;
            page.shown_once = data["createApiKey"]["key"].as_str().map(str::to_string);
            Ok(page.respond(StatusCode::OK))
        }
        Err(refusal) => {
            let form = page.form_mut("sleutel-nieuw").ok_or(PageError::Internal)?;
            form.values = values;
            form.refused(ui, &refusal);
            Ok(page.respond(refusal.status))
        }
    }
}

/// `POST /beheer/sleutels/{number}/intrekken`: revokes a key at once.
pub async fn revoke(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = crate::web::staff::posted(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    if let Err(response) = key_manager(&visitor) {
        return Ok(*response);
    }
    let id = global_id("ApiKey", &n)?;
    let ui = visitor.here.labels();
    let here = visitor.here.at("/beheer/sleutels");
    match mutate(&state, &visitor, "mutation($id: ID!) { revokeApiKey(id: $id) { id } }", json!({ "id": id })).await? {
        Ok(_) => Ok(see_other(&format!("{here}?gedaan=ingetrokken"), None)),
        Err(refusal) => {
            let text = ui.validation(refusal.text());
            Ok(message(&visitor.here, refusal.status, ui.not_done, text, Some((here, ui.keys_title))))
        }
    }
}
