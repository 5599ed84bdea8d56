//! Partner API keys: who manages them, what a key may read and write, and how a key stops working.
//!
//! A key is `prk_` + 43 base62 characters + a 6-character checksum, sent as `Bearer prk_…`. It acts
//! as its organisation: it always reads what anyone may, NETWORK research only with
//! `READ_NETWORK_RESEARCH` (its own organisation's studies it always sees), and writes only with
//! `WRITE_OWN_ORGANISATION` (libraries and support organisations), then as that organisation's
//! editor. Maintainers manage every key, an organisation's administrators (token claim `admin`)
//! their own organisation's; keys never manage keys.
//!
//! The demo network's studies (see knowledge_visibility.rs): three PUBLIC ones, dbieb's NETWORK
//! study and Bibliotheek Emmen's PRIVATE one.

use registry::identity::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";
const ALMERE: &str = "nieuwe-bibliotheek-almere";
const ZOETERMEER_PUBLISHED: &str = "Taalhuis Zoetermeer";
const ZOETERMEER_DRAFT: &str = "Activiteiten-strippenkaart voor ouderen";
const ALMERE_PUBLISHED: &str = "Taalhuis Almere";
const ALMERE_DRAFT: &str = "Spreekuur werk en solliciteren";

const PUBLIC_STUDIES: [&str; 3] = [
    "Klantreis: Ontmoeten door en voor ouderen",
    "Klantreis: voorleesactiviteiten voor laagtalige ouders en kinderen tot 8 jaar",
    "Behoeftenonderzoek Lelykracht onder inwoners van Lelystad",
];
const DBIEB_NETWORK_STUDY: &str = "Wijkanalyse Midden-Fryslân: doelgroepen per wijk in beeld";
const EMMEN_PRIVATE_STUDY: &str = "Klantgesprekken in de Bredebieb Academy Emmen";

const KEY_FIELDS: &str = "id name hint scopes createdBy createdAt expiresAt revokedAt lastUsedAt active
    organisation { slug }";

fn create_doc() -> String {
    format!(
        "mutation($input: CreateApiKeyInput!) {{ createApiKey(input: $input) {{ key apiKey {{ {KEY_FIELDS} }} }} }}"
    )
}

fn list_doc() -> String {
    format!("query($org: ID) {{ apiKeys(organisation: $org, first: 100) {{ totalCount nodes {{ {KEY_FIELDS} }} }} }}")
}

const REVOKE: &str = "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt active } }";
const STUDY_TITLES: &str = "{ studies(first: 100) { nodes { title visibility } } }";
const UPDATE_PROPOSITION: &str = "mutation($input: UpdatePropositionInput!) {
    updateProposition(input: $input) { proposition { id title version } } }";

// ---- helpers -------------------------------------------------------------------------------------

/// A created key: its global id and its text.
struct Key {
    id: String,
    text: String,
}

/// A token with the `admin` claim for a user of an organisation in a role.
fn admin(app: &TestApp, role: Role, org: Option<&str>) -> String {
    let subject = format!("admin-of-{}", org.unwrap_or("none"));
    let mut claims = app.keys.claims(&subject, org, role, chrono::Duration::hours(1));
    claims.admin = true;
    app.keys.sign(&claims).expect("sign an admin token")
}

/// The database id inside a global id (`base64url("Type:id")`).
fn database_id(global: &str) -> i64 {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(global).expect("a global id");
    let text = String::from_utf8(bytes).unwrap();
    text.split_once(':').and_then(|(_, id)| id.parse().ok()).unwrap_or_else(|| panic!("not a global id: {text}"))
}

fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

/// Posts a document with a raw `Authorization` header (or none); the status and the body.
async fn post(app: &TestApp, query: &str, variables: Value, authorization: Option<&str>) -> (u16, Value) {
    let mut request =
        app.client.post(format!("{}/graphql", app.address)).json(&json!({ "query": query, "variables": variables }));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status().as_u16();
    (status, response.json().await.expect("the response is JSON"))
}

/// Sends a document with an API key; the status and the body.
async fn with_key(app: &TestApp, key: &str, query: &str, variables: Value) -> (u16, Value) {
    post(app, query, variables, Some(&bearer(key))).await
}

fn create_vars(organisation_id: &str, scopes: &[&str], expires_at: Option<String>) -> Value {
    json!({ "input": {
        "organisation": organisation_id, "name": "Website", "scopes": scopes, "expiresAt": expires_at,
    } })
}

/// Asks to create a key for an organisation (by slug) with a token (or none); the whole body.
async fn try_create(app: &TestApp, token: Option<&str>, org: &str, scopes: &[&str]) -> Value {
    let id = app.organisation_id(org).await;
    app.graphql(&create_doc(), create_vars(&id, scopes, None), token).await
}

/// Creates a key for an organisation as a maintainer.
async fn new_key(app: &TestApp, org: &str, scopes: &[&str]) -> Key {
    let body = try_create(app, Some(&app.maintainer()), org, scopes).await;
    let created = &data(&body)["createApiKey"];
    Key {
        id: created["apiKey"]["id"].as_str().expect("an id").to_string(),
        text: created["key"].as_str().expect("a key").to_string(),
    }
}

/// The keys a token lists (optionally narrowed to an organisation by slug); the whole body.
async fn list(app: &TestApp, token: Option<&str>, org: Option<&str>) -> Value {
    let org = match org {
        Some(slug) => Some(app.organisation_id(slug).await),
        None => None,
    };
    app.graphql(&list_doc(), json!({ "org": org }), token).await
}

/// One key as a maintainer lists it.
async fn listed_key(app: &TestApp, id: &str) -> Value {
    let body = list(app, Some(&app.maintainer()), None).await;
    data(&body)["apiKeys"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("key {id} is not listed: {body}"))
        .clone()
}

/// How many keys a maintainer lists.
async fn key_count(app: &TestApp) -> u64 {
    data(&list(app, Some(&app.maintainer()), None).await)["apiKeys"]["totalCount"].as_u64().unwrap()
}

/// The titles of the studies a key sees.
async fn studies_seen_with(app: &TestApp, key: &str) -> Vec<String> {
    let (status, body) = with_key(app, key, STUDY_TITLES, json!({})).await;
    assert_eq!(status, 200, "{body}");
    data(&body)["studies"]["nodes"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().into()).collect()
}

/// The global id of a study by title, as seen by a maintainer (who sees PUBLIC and NETWORK ones).
async fn study_id(app: &TestApp, title: &str) -> String {
    let body =
        app.graphql(STUDY_TITLES.replace("title", "id title").as_str(), json!({}), Some(&app.maintainer())).await;
    data(&body)["studies"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == title)
        .unwrap_or_else(|| panic!("no study {title}: {body}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A proposition of a library by title, read by the library's own editor: its id and version.
async fn proposition(app: &TestApp, library: &str, title: &str) -> (String, i64) {
    let body = app
        .graphql(
            "query($s: String!) { organisation(slug: $s) { propositions(first: 100) { nodes { id title version } } } }",
            json!({ "s": library }),
            Some(&app.editor(library)),
        )
        .await;
    let node = data(&body)["organisation"]["propositions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == title)
        .unwrap_or_else(|| panic!("{library} has no proposition {title}: {body}"))
        .clone();
    (node["id"].as_str().unwrap().to_string(), node["version"].as_i64().unwrap())
}

/// Asserts a body is a refusal with this code and no data.
fn assert_refused(body: &Value, code: &str, label: &str) {
    assert_eq!(body["errors"][0]["extensions"]["code"].as_str(), Some(code), "{label}: {body}");
    assert!(
        body["data"].is_null() || body["data"].as_object().is_some_and(|d| d.values().all(Value::is_null)),
        "{label} returned data: {body}"
    );
}

/// Asserts a request with this key is refused as unauthenticated (401) and reads nothing.
async fn assert_key_unauthenticated(app: &TestApp, key: &str, label: &str) {
    let (status, body) = with_key(app, key, "{ provinces { code } }", json!({})).await;
    assert_eq!(status, 401, "{label}: {body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{label}: {body}");
    assert!(body["data"].is_null(), "{label}: {body}");
}

/// Asserts a request with this key works.
async fn assert_key_works(app: &TestApp, key: &str, label: &str) {
    let (status, body) = with_key(app, key, "{ provinces { code } }", json!({})).await;
    assert_eq!(status, 200, "{label}: {body}");
    assert_eq!(data(&body)["provinces"].as_array().unwrap().len(), 12, "{label}");
}

/// Every text (or JSON, or bytes) cell of a table, as `(column, text)`.
async fn text_cells(db: &sea_orm::DatabaseConnection, table: &str) -> Vec<(String, String)> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(backend, format!("SELECT * FROM \"{table}\"")))
        .await
        .unwrap_or_else(|e| panic!("read {table}: {e}"));
    let mut cells = Vec::new();
    for row in rows {
        for column in row.column_names() {
            let text = if let Ok(Some(s)) = row.try_get::<Option<String>>("", &column) {
                Some(s)
            } else if let Ok(Some(v)) = row.try_get::<Option<Value>>("", &column) {
                Some(v.to_string())
            } else if let Ok(Some(b)) = row.try_get::<Option<Vec<u8>>>("", &column) {
                Some(String::from_utf8_lossy(&b).into_owned())
            } else {
                None
            };
            if let Some(text) = text {
                cells.push((column, text));
            }
        }
    }
    cells
}

/// The tables of the test database.
async fn tables(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        _ => "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
    };
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await.expect("list the tables");
    rows.iter().map(|r| r.try_get::<String>("", "name").expect("a table name")).collect()
}

/// Asserts no cell of any table holds the key or its secret part (everything after the hint).
async fn assert_nowhere_in_database(app: &TestApp, key: &Key, hint: &str) {
    let db = crate::helpers::database(app).await;
    let secret = &key.text[hint.len()..];
    let mut hint_seen = false;
    for table in tables(&db).await {
        for (column, text) in text_cells(&db, &table).await {
            assert!(!text.contains(secret), "{table}.{column} holds the key in clear: {text}");
            hint_seen |= table == "api_key" && column == "hint" && text == hint;
        }
    }
    let _ = db.close().await;
    assert!(hint_seen, "the scan read the key's own row (else it proves nothing)");
}

// ---- the key and what is stored -----------------------------------------------------------------

#[tokio::test]
async fn create_api_key_returns_a_prk_key_of_the_documented_format_and_the_record() {
    let app = spawn_app().await;
    let body = try_create(&app, Some(&app.maintainer()), ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await;
    let created = &data(&body)["createApiKey"];
    let key = created["key"].as_str().unwrap();
    assert_eq!(key.len(), 4 + 43 + 6, "{key}");
    assert!(key.starts_with("prk_"), "{key}");
    assert!(key[4..].bytes().all(|b| b.is_ascii_alphanumeric()), "{key}");
    let record = &created["apiKey"];
    let hint = record["hint"].as_str().unwrap();
    assert!(key.starts_with(hint) && hint.starts_with("prk_") && hint.len() < 20, "hint {hint} of {key}");
    assert_eq!(record["name"], "Website");
    assert_eq!(record["organisation"]["slug"], ZOETERMEER);
    assert_eq!(record["scopes"], json!(["READ_PUBLISHED", "READ_NETWORK_RESEARCH"]));
    assert_eq!(record["createdBy"], "user-of-koninklijke-bibliotheek");
    assert_eq!(record["active"], true);
    assert!(record["revokedAt"].is_null() && record["expiresAt"].is_null() && record["lastUsedAt"].is_null());
    // Two keys are never the same.
    let other = new_key(&app, ZOETERMEER, &[]).await;
    assert_ne!(other.text, key);
    assert_key_works(&app, key, "the new key").await;
}

#[tokio::test]
async fn every_key_reads_published_data_even_when_no_scope_is_asked_for() {
    let app = spawn_app().await;
    let body = try_create(&app, Some(&app.maintainer()), ZOETERMEER, &[]).await;
    assert_eq!(data(&body)["createApiKey"]["apiKey"]["scopes"], json!(["READ_PUBLISHED"]));
    let twice = ["READ_NETWORK_RESEARCH", "READ_PUBLISHED", "READ_NETWORK_RESEARCH"];
    let body = try_create(&app, Some(&app.maintainer()), ZOETERMEER, &twice).await;
    assert_eq!(data(&body)["createApiKey"]["apiKey"]["scopes"], json!(["READ_PUBLISHED", "READ_NETWORK_RESEARCH"]));
}

#[tokio::test]
async fn the_key_is_never_shown_again_only_its_hint() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await;
    let admin = admin(&app, Role::LibraryEditor, Some(ZOETERMEER));
    for (label, body) in [
        ("maintainer's list", list(&app, Some(&app.maintainer()), None).await),
        ("maintainer's list of Zoetermeer", list(&app, Some(&app.maintainer()), Some(ZOETERMEER)).await),
        ("administrator's list", list(&app, Some(&admin), None).await),
    ] {
        let text = data(&body).to_string();
        assert!(text.contains(&key.id), "{label}: the key is listed: {body}");
        assert!(!text.contains(&key.text), "{label} shows the key: {body}");
        assert!(!text.contains(&key.text[12..]), "{label} shows the key's secret part: {body}");
    }
    // The revocation answer does not hold it either.
    let body = app.graphql(REVOKE, json!({ "id": key.id }), Some(&admin)).await;
    assert!(!data(&body).to_string().contains(&key.text[12..]), "{body}");
}

#[tokio::test]
async fn the_api_key_table_stores_a_hash_and_never_the_key() {
    let app = spawn_app().await;
    let body = try_create(&app, Some(&app.maintainer()), ZOETERMEER, &[]).await;
    let key = data(&body)["createApiKey"]["key"].as_str().unwrap().to_string();
    let hint = data(&body)["createApiKey"]["apiKey"]["hint"].as_str().unwrap().to_string();
    assert_key_works(&app, &key, "the key").await;

    let db = crate::helpers::database(&app).await;
    let cells = text_cells(&db, "api_key").await;
    let _ = db.close().await;
    let columns: Vec<&str> = cells.iter().map(|(c, _)| c.as_str()).collect();
    assert!(
        columns.contains(&"secret_hash") && columns.contains(&"hint"),
        "the check read the key's columns: {columns:?}"
    );
    for (column, text) in &cells {
        assert!(!text.contains(&key), "api_key.{column} holds the key: {text}");
        assert!(!text.contains(&key[hint.len()..]), "api_key.{column} holds the key's secret part: {text}");
    }
    let hash = &cells.iter().find(|(c, _)| c == "secret_hash").unwrap().1;
    assert_eq!(hash.len(), 64, "a SHA-256 in hex: {hash}");
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
}

#[tokio::test]
async fn no_table_holds_the_key_after_it_was_created_used_and_revoked() {
    let app = spawn_app().await;
    let body = try_create(&app, Some(&app.maintainer()), ZOETERMEER, &["WRITE_OWN_ORGANISATION"]).await;
    let created = &data(&body)["createApiKey"];
    let key =
        Key { id: created["apiKey"]["id"].as_str().unwrap().into(), text: created["key"].as_str().unwrap().into() };
    let hint = created["apiKey"]["hint"].as_str().unwrap().to_string();
    // Used for a read and a write, then revoked.
    assert_key_works(&app, &key.text, "the key").await;
    let (id, version) = proposition(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let vars = json!({ "input": { "id": id, "expectedVersion": version, "title": "Taalhuis (via sleutel)" } });
    let (_, body) = with_key(&app, &key.text, UPDATE_PROPOSITION, vars).await;
    data(&body);
    data(&app.graphql(REVOKE, json!({ "id": key.id }), Some(&app.maintainer())).await);
    assert_nowhere_in_database(&app, &key, &hint).await;
}

#[tokio::test]
async fn last_used_at_is_null_before_the_key_is_used_and_set_after_a_request_with_it() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &[]).await;
    let before = listed_key(&app, &key.id).await;
    assert!(before["lastUsedAt"].is_null(), "{before}");
    assert_key_works(&app, &key.text, "the key").await;
    let after = listed_key(&app, &key.id).await;
    let used = after["lastUsedAt"].as_str().unwrap_or_else(|| panic!("lastUsedAt is set after use: {after}"));
    let used = chrono::DateTime::parse_from_rfc3339(used).unwrap();
    let created = chrono::DateTime::parse_from_rfc3339(after["createdAt"].as_str().unwrap()).unwrap();
    assert!(used >= created, "{after}");
    assert!((chrono::Utc::now() - used.to_utc()).num_seconds().abs() < 120, "{after}");
}

// ---- keys that do not work -----------------------------------------------------------------------

#[tokio::test]
async fn a_revoked_key_is_unauthenticated() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await;
    assert_key_works(&app, &key.text, "before revocation").await;
    let body = app.graphql(REVOKE, json!({ "id": key.id }), Some(&app.maintainer())).await;
    let revoked = &data(&body)["revokeApiKey"];
    assert_eq!(revoked["active"], false);
    assert!(revoked["revokedAt"].is_string(), "{body}");
    assert_key_unauthenticated(&app, &key.text, "after revocation").await;
    // It stays listed, as revoked.
    let listed = listed_key(&app, &key.id).await;
    assert_eq!(listed["active"], false);
    assert!(listed["revokedAt"].is_string(), "{listed}");
}

#[tokio::test]
async fn an_expired_key_is_unauthenticated() {
    let app = spawn_app().await;
    let organisation = app.organisation_id(ZOETERMEER).await;
    let expires = chrono::Utc::now() + chrono::Duration::seconds(2);
    let vars = create_vars(&organisation, &[], Some(expires.to_rfc3339()));
    let body = app.graphql(&create_doc(), vars, Some(&app.maintainer())).await;
    let created = &data(&body)["createApiKey"];
    let key = created["key"].as_str().unwrap().to_string();
    assert!(created["apiKey"]["expiresAt"].is_string(), "{body}");
    assert_key_works(&app, &key, "before expiry").await;
    let wait = expires - chrono::Utc::now() + chrono::Duration::milliseconds(1200);
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    assert_key_unauthenticated(&app, &key, "after expiry").await;
    let listed = listed_key(&app, created["apiKey"]["id"].as_str().unwrap()).await;
    assert_eq!(listed["active"], false, "{listed}");
}

#[tokio::test]
async fn an_expiry_in_the_past_is_bad_user_input_and_creates_no_key() {
    let app = spawn_app().await;
    let organisation = app.organisation_id(ZOETERMEER).await;
    let before = key_count(&app).await;
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let body = app.graphql(&create_doc(), create_vars(&organisation, &[], Some(past)), Some(&app.maintainer())).await;
    assert_refused(&body, "BAD_USER_INPUT", "expiry in the past");
    assert_eq!(body["errors"][0]["extensions"]["field"], "expiresAt", "{body}");
    assert_eq!(key_count(&app).await, before);
}

#[tokio::test]
async fn a_key_with_one_character_changed_is_unauthenticated() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await;
    let changed_at = |i: usize| {
        let mut bytes = key.text.clone().into_bytes();
        bytes[i] = if bytes[i] == b'x' { b'y' } else { b'x' };
        String::from_utf8(bytes).unwrap()
    };
    // In the random part, in the checksum, at the last character.
    for i in [10, 30, 48, key.text.len() - 1] {
        assert_key_unauthenticated(&app, &changed_at(i), &format!("changed at {i}")).await;
    }
    assert_key_unauthenticated(&app, &key.text[..key.text.len() - 1], "one character short").await;
    assert_key_unauthenticated(&app, &format!("{}x", key.text), "one character more").await;
    // The key itself still works.
    assert_key_works(&app, &key.text, "the untouched key").await;
}

#[tokio::test]
async fn a_well_formed_but_unknown_key_is_unauthenticated() {
    let app = spawn_app().await;
    new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH", "WRITE_OWN_ORGANISATION"]).await;
    let unknown = registry::identity::api_key::generate().text;
    assert!(registry::identity::api_key::verified_hash(&unknown).is_some(), "the key passes its checksum");
    assert_key_unauthenticated(&app, &unknown, "an unknown key").await;
}

// ---- what a key reads ----------------------------------------------------------------------------

#[tokio::test]
async fn a_key_without_the_research_scope_sees_public_studies_but_no_network_study() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &[]).await;
    let mut seen = studies_seen_with(&app, &key.text).await;
    seen.sort();
    let mut public = PUBLIC_STUDIES.map(String::from).to_vec();
    public.sort();
    assert_eq!(seen, public);
    // Nor by id, as a node, or in search.
    let id = study_id(&app, DBIEB_NETWORK_STUDY).await;
    let (_, body) =
        with_key(&app, &key.text, "query($id: ID!) { study(id: $id) { title } }", json!({ "id": id })).await;
    assert_refused(&body, "NOT_FOUND", "study(id) of the network study");
    let (_, body) = with_key(&app, &key.text, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
    assert_refused(&body, "NOT_FOUND", "node(id) of the network study");
    let (_, body) = with_key(&app, &key.text, r#"{ search(query: "Wijkanalyse") { totalCount } }"#, json!({})).await;
    assert_eq!(data(&body)["search"]["totalCount"], 0, "{body}");
    // The control: a Zoetermeer editor's token does see it.
    let body = app.graphql(STUDY_TITLES, json!({}), Some(&app.editor(ZOETERMEER))).await;
    assert!(data(&body).to_string().contains(DBIEB_NETWORK_STUDY), "{body}");
}

#[tokio::test]
async fn a_key_without_the_research_scope_still_sees_its_own_organisations_network_study() {
    let app = spawn_app().await;
    let key = new_key(&app, "dbieb", &[]).await;
    let seen = studies_seen_with(&app, &key.text).await;
    assert!(seen.iter().any(|t| t == DBIEB_NETWORK_STUDY), "{seen:?}");
    assert!(!seen.iter().any(|t| t == EMMEN_PRIVATE_STUDY), "{seen:?}");
    assert_eq!(seen.len(), 4, "the public ones and its own: {seen:?}");
}

#[tokio::test]
async fn a_key_without_the_research_scope_sees_its_own_organisations_private_study() {
    let app = spawn_app().await;
    let key = new_key(&app, "bibliotheek-emmen", &[]).await;
    let seen = studies_seen_with(&app, &key.text).await;
    assert!(seen.iter().any(|t| t == EMMEN_PRIVATE_STUDY), "{seen:?}");
    assert!(!seen.iter().any(|t| t == DBIEB_NETWORK_STUDY), "{seen:?}");
}

#[tokio::test]
async fn a_key_with_the_research_scope_sees_network_studies_but_not_another_organisations_private_one() {
    let app = spawn_app().await;
    for org in [ZOETERMEER, "seniorweb", "probiblio"] {
        let key = new_key(&app, org, &["READ_NETWORK_RESEARCH"]).await;
        let seen = studies_seen_with(&app, &key.text).await;
        assert!(seen.iter().any(|t| t == DBIEB_NETWORK_STUDY), "{org}: {seen:?}");
        assert!(!seen.iter().any(|t| t == EMMEN_PRIVATE_STUDY), "{org}: {seen:?}");
        assert_eq!(seen.len(), 4, "{org}: {seen:?}");
    }
}

// ---- what a key writes ---------------------------------------------------------------------------

#[tokio::test]
async fn a_key_without_the_write_scope_is_forbidden_every_mutation_and_writes_nothing() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await;
    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    let (proposition_id, version) = proposition(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let mutations = [
        (
            UPDATE_PROPOSITION.to_string(),
            json!({ "input": { "id": proposition_id, "expectedVersion": version, "title": "Gekaapt" } }),
        ),
        (
            "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id } } }"
                .to_string(),
            json!({ "input": {
                "organisationId": zoetermeer, "title": "Taalcafé via sleutel", "summary": "Oefenen met praten.",
                "standardPropositionCode": "TAALHUIS", "targetGroupCodes": ["LANGUAGE_LEARNERS"], "channel": "ON_SITE",
            } }),
        ),
        (
            "mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id } } }".to_string(),
            json!({ "input": {
                "title": "Onderzoek via sleutel", "methods": ["SURVEY"], "periodStart": "2025-01-06",
                "commissionedByIds": [zoetermeer],
            } }),
        ),
        (
            r#"mutation { createOrganisation(input: { kind: PARTNER, name: "Via sleutel", slug: "via-sleutel" }) { organisation { id } } }"#
                .to_string(),
            json!({}),
        ),
        (create_doc(), create_vars(&zoetermeer, &[], None)),
        (REVOKE.to_string(), json!({ "id": key.id })),
    ];
    let keys_before = key_count(&app).await;
    for (doc, vars) in mutations {
        let (status, body) = with_key(&app, &key.text, &doc, vars).await;
        assert_eq!(status, 403, "{doc}: {body}");
        assert_refused(&body, "FORBIDDEN", &doc);
    }
    // Nothing changed: the proposition, the studies, the organisations, the keys.
    assert_eq!(proposition(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await.1, version);
    let body = app.graphql(STUDY_TITLES, json!({}), Some(&app.editor(ZOETERMEER))).await;
    assert!(!data(&body).to_string().contains("via sleutel"), "{body}");
    let body = app.anon(r#"{ organisation(slug: "via-sleutel") { id } }"#, json!({})).await;
    assert!(body["data"]["organisation"].is_null(), "{body}");
    let body = app
        .graphql(
            r#"query($s: String!) { organisation(slug: $s) { propositions(first: 100) { nodes { title } } } }"#,
            json!({ "s": ZOETERMEER }),
            Some(&app.editor(ZOETERMEER)),
        )
        .await;
    assert!(!data(&body).to_string().contains("via sleutel"), "{body}");
    assert_eq!(key_count(&app).await, keys_before);
    assert_key_works(&app, &key.text, "the key is not revoked").await;
}

#[tokio::test]
async fn a_mutation_chosen_by_operation_name_from_a_mixed_document_is_forbidden_to_a_key_without_the_write_scope() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &[]).await;
    let (id, version) = proposition(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let doc = "query Read { provinces { code } }
        mutation Write($input: UpdatePropositionInput!) { updateProposition(input: $input) { proposition { id } } }";
    let vars = json!({ "input": { "id": id, "expectedVersion": version, "title": "Gekaapt" } });
    // Named, the mutation is refused for the key's scope; unnamed, the document names no single
    // operation and runs nothing.
    for (operation, status, code) in [(json!("Write"), 403, "FORBIDDEN"), (Value::Null, 200, "BAD_USER_INPUT")] {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("Authorization", bearer(&key.text))
            .json(&json!({ "query": doc, "variables": vars, "operationName": operation }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "operation {operation}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), code, "operation {operation}: {body}");
        assert!(body["data"].is_null() || body["data"]["updateProposition"].is_null(), "{operation}: {body}");
    }
    assert_eq!(proposition(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await.1, version);
}

#[tokio::test]
async fn a_library_key_with_the_write_scope_edits_its_own_librarys_propositions_as_the_key() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &["WRITE_OWN_ORGANISATION"]).await;
    let (id, version) = proposition(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let vars = json!({ "input": { "id": id, "expectedVersion": version, "title": "Taalhuis Zoetermeer (website)" } });
    let (status, body) = with_key(&app, &key.text, UPDATE_PROPOSITION, vars).await;
    assert_eq!(status, 200, "{body}");
    let updated = &data(&body)["updateProposition"]["proposition"];
    assert_eq!(updated["title"], "Taalhuis Zoetermeer (website)");
    assert_eq!(updated["version"], version + 1);
    // The change is recorded as made with the key, for Zoetermeer.
    let body = app
        .graphql(
            "query($id: ID!) { auditTrail(filter: { record: $id }, first: 5) { nodes {
                action actorRole actorSubject credential actorOrganisation { slug } } } }",
            json!({ "id": id }),
            Some(&app.maintainer()),
        )
        .await;
    let latest = &data(&body)["auditTrail"]["nodes"][0];
    assert_eq!(latest["action"], "UPDATE", "{body}");
    assert_eq!(latest["actorOrganisation"]["slug"], ZOETERMEER, "{body}");
    let credential = format!("api-key:{}", database_id(&key.id));
    assert_eq!(latest["credential"], credential.as_str(), "{body}");
    assert_eq!(latest["actorSubject"], credential.as_str(), "{body}");
}

#[tokio::test]
async fn a_library_key_with_the_write_scope_sees_its_own_librarys_drafts() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &["WRITE_OWN_ORGANISATION"]).await;
    let (status, body) = with_key(
        &app,
        &key.text,
        "query($s: String!) { organisation(slug: $s) { propositions(first: 100) { nodes { title } } } }",
        json!({ "s": ZOETERMEER }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(data(&body).to_string().contains(ZOETERMEER_DRAFT), "{body}");
}

#[tokio::test]
async fn a_library_key_with_the_write_scope_cannot_edit_another_librarys_propositions() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &["WRITE_OWN_ORGANISATION", "READ_NETWORK_RESEARCH"]).await;
    for (title, code) in [(ALMERE_PUBLISHED, "FORBIDDEN"), (ALMERE_DRAFT, "NOT_FOUND")] {
        let (id, version) = proposition(&app, ALMERE, title).await;
        let vars = json!({ "input": { "id": id, "expectedVersion": version, "title": "Gekaapt" } });
        let (_, body) = with_key(&app, &key.text, UPDATE_PROPOSITION, vars).await;
        assert_refused(&body, code, title);
        assert_eq!(proposition(&app, ALMERE, title).await.1, version, "{title} was changed");
    }
    // Nor create one for Almere.
    let almere = app.organisation_id(ALMERE).await;
    let (_, body) = with_key(
        &app,
        &key.text,
        "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id } } }",
        json!({ "input": {
            "organisationId": almere, "title": "Taalcafé via Zoetermeer", "summary": "Oefenen met praten.",
            "standardPropositionCode": "TAALHUIS", "targetGroupCodes": ["LANGUAGE_LEARNERS"], "channel": "ON_SITE",
        } }),
    )
    .await;
    assert_refused(&body, "FORBIDDEN", "createProposition for Almere");
}

#[tokio::test]
async fn the_write_scope_is_only_for_libraries_and_support_organisations() {
    let app = spawn_app().await;
    let before = key_count(&app).await;
    for org in ["seniorweb", "koninklijke-bibliotheek", "spn"] {
        let body = try_create(&app, Some(&app.maintainer()), org, &["WRITE_OWN_ORGANISATION"]).await;
        assert_refused(&body, "BAD_USER_INPUT", org);
        assert_eq!(body["errors"][0]["extensions"]["field"], "scopes", "{body}");
    }
    assert_eq!(key_count(&app).await, before, "no key was created");
    for org in [ZOETERMEER, "probiblio"] {
        let body = try_create(&app, Some(&app.maintainer()), org, &["WRITE_OWN_ORGANISATION"]).await;
        let scopes = &data(&body)["createApiKey"]["apiKey"]["scopes"];
        assert_eq!(scopes, &json!(["READ_PUBLISHED", "WRITE_OWN_ORGANISATION"]), "{org}");
    }
}

// ---- who manages keys ----------------------------------------------------------------------------

/// The callers of the management tests, relative to Bibliotheek Zoetermeer's keys.
fn callers(app: &TestApp) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("anonymous", None),
        ("Zoetermeer editor", Some(app.editor(ZOETERMEER))),
        ("Zoetermeer administrator", Some(admin(app, Role::LibraryEditor, Some(ZOETERMEER)))),
        ("Almere editor", Some(app.editor(ALMERE))),
        ("Almere administrator", Some(admin(app, Role::LibraryEditor, Some(ALMERE)))),
        ("Probiblio support editor", Some(app.token(Role::SupportEditor, Some("probiblio")))),
        ("Probiblio administrator", Some(admin(app, Role::SupportEditor, Some("probiblio")))),
        ("SeniorWeb partner", Some(app.token(Role::Partner, Some("seniorweb")))),
        ("SeniorWeb administrator", Some(admin(app, Role::Partner, Some("seniorweb")))),
        ("partner administrator of no organisation", Some(admin(app, Role::Partner, None))),
        ("maintainer", Some(app.maintainer())),
        ("maintainer without organisation", Some(app.token(Role::NetworkMaintainer, None))),
    ]
}

#[tokio::test]
async fn create_api_key_is_for_maintainers_and_the_organisations_own_administrators() {
    let app = spawn_app().await;
    // For each caller: the organisations it may create keys for, of Zoetermeer, Almere, Probiblio and SeniorWeb.
    let orgs = [ZOETERMEER, ALMERE, "probiblio", "seniorweb"];
    let expected = |label: &str, org: &str| -> Result<(), &'static str> {
        match label {
            "anonymous" => Err("UNAUTHENTICATED"),
            "maintainer" | "maintainer without organisation" => Ok(()),
            "Zoetermeer administrator" if org == ZOETERMEER => Ok(()),
            "Almere administrator" if org == ALMERE => Ok(()),
            "Probiblio administrator" if org == "probiblio" => Ok(()),
            "SeniorWeb administrator" if org == "seniorweb" => Ok(()),
            _ => Err("FORBIDDEN"),
        }
    };
    for (label, token) in callers(&app) {
        for org in orgs {
            let before = key_count(&app).await;
            let body = try_create(&app, token.as_deref(), org, &["READ_NETWORK_RESEARCH"]).await;
            match expected(label, org) {
                Ok(()) => {
                    let created = &data(&body)["createApiKey"];
                    assert_eq!(created["apiKey"]["organisation"]["slug"], org, "{label} for {org}: {body}");
                    assert_eq!(key_count(&app).await, before + 1, "{label} for {org}");
                    assert_key_works(&app, created["key"].as_str().unwrap(), label).await;
                }
                Err(code) => {
                    assert_refused(&body, code, &format!("{label} for {org}"));
                    assert_eq!(key_count(&app).await, before, "{label} for {org} created a key");
                }
            }
        }
    }
}

#[tokio::test]
async fn api_keys_cannot_create_keys_whatever_their_scopes() {
    let app = spawn_app().await;
    let before_keys = [
        new_key(&app, ZOETERMEER, &[]).await,
        new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH", "WRITE_OWN_ORGANISATION"]).await,
    ];
    let before = key_count(&app).await;
    for key in &before_keys {
        for org in [ZOETERMEER, ALMERE] {
            let organisation = app.organisation_id(org).await;
            let (_, body) =
                with_key(&app, &key.text, &create_doc(), create_vars(&organisation, &["WRITE_OWN_ORGANISATION"], None))
                    .await;
            assert_refused(&body, "FORBIDDEN", &format!("a key creating a key for {org}"));
        }
    }
    assert_eq!(key_count(&app).await, before);
}

#[tokio::test]
async fn revoke_api_key_is_for_maintainers_and_the_organisations_own_administrators() {
    let app = spawn_app().await;
    // Revoking one of Zoetermeer's keys; another organisation's key is as good as absent.
    let expected = |label: &str| -> Result<(), &'static str> {
        match label {
            "anonymous" => Err("UNAUTHENTICATED"),
            "maintainer" | "maintainer without organisation" | "Zoetermeer administrator" => Ok(()),
            "Zoetermeer editor" => Err("FORBIDDEN"),
            _ => Err("NOT_FOUND"),
        }
    };
    for (label, token) in callers(&app) {
        let key = new_key(&app, ZOETERMEER, &[]).await;
        let body = app.graphql(REVOKE, json!({ "id": key.id }), token.as_deref()).await;
        match expected(label) {
            Ok(()) => {
                assert_eq!(data(&body)["revokeApiKey"]["active"], false, "{label}: {body}");
                assert_key_unauthenticated(&app, &key.text, label).await;
            }
            Err(code) => {
                assert_refused(&body, code, label);
                assert_key_works(&app, &key.text, &format!("after {label} tried to revoke it")).await;
                assert!(listed_key(&app, &key.id).await["revokedAt"].is_null(), "{label}");
            }
        }
    }
}

#[tokio::test]
async fn an_administrator_revokes_own_keys_but_another_organisations_key_is_not_found() {
    let app = spawn_app().await;
    let almere_key = new_key(&app, ALMERE, &[]).await;
    let almere_admin = admin(&app, Role::LibraryEditor, Some(ALMERE));
    let zoetermeer_admin = admin(&app, Role::LibraryEditor, Some(ZOETERMEER));
    let body = app.graphql(REVOKE, json!({ "id": almere_key.id }), Some(&zoetermeer_admin)).await;
    assert_refused(&body, "NOT_FOUND", "Zoetermeer's administrator revoking Almere's key");
    assert_key_works(&app, &almere_key.text, "Almere's key").await;
    let body = app.graphql(REVOKE, json!({ "id": almere_key.id }), Some(&almere_admin)).await;
    assert_eq!(data(&body)["revokeApiKey"]["active"], false);
    assert_key_unauthenticated(&app, &almere_key.text, "Almere's revoked key").await;
}

#[tokio::test]
async fn api_keys_cannot_revoke_keys_and_another_organisations_key_is_not_found() {
    let app = spawn_app().await;
    let reader = new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await;
    let writer = new_key(&app, ZOETERMEER, &["WRITE_OWN_ORGANISATION"]).await;
    let target = new_key(&app, ZOETERMEER, &[]).await;
    let almere = new_key(&app, ALMERE, &[]).await;
    for (label, key, victim, code) in [
        ("a read-only key revoking its organisation's key", &reader, &target, "FORBIDDEN"),
        ("a read-only key revoking itself", &reader, &reader, "FORBIDDEN"),
        ("a writing key revoking its organisation's key", &writer, &target, "FORBIDDEN"),
        ("a writing key revoking itself", &writer, &writer, "FORBIDDEN"),
        ("a writing key revoking another organisation's key", &writer, &almere, "NOT_FOUND"),
    ] {
        let (_, body) = with_key(&app, &key.text, REVOKE, json!({ "id": victim.id })).await;
        assert_refused(&body, code, label);
        assert_key_works(&app, &victim.text, label).await;
    }
}

#[tokio::test]
async fn revoking_a_revoked_key_is_a_conflict_and_an_unknown_key_is_not_found() {
    let app = spawn_app().await;
    let key = new_key(&app, ZOETERMEER, &[]).await;
    let maintainer = app.maintainer();
    data(&app.graphql(REVOKE, json!({ "id": key.id }), Some(&maintainer)).await);
    let first = listed_key(&app, &key.id).await["revokedAt"].clone();
    let body = app.graphql(REVOKE, json!({ "id": key.id }), Some(&maintainer)).await;
    assert_refused(&body, "CONFLICT", "revoking twice");
    assert_eq!(listed_key(&app, &key.id).await["revokedAt"], first, "the first revocation stands");
    // A global id of a key that does not exist, and one of another type.
    let unknown = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("ApiKey:999999")
    };
    let body = app.graphql(REVOKE, json!({ "id": unknown }), Some(&maintainer)).await;
    assert_refused(&body, "NOT_FOUND", "an unknown key id");
    let organisation = app.organisation_id(ZOETERMEER).await;
    let body = app.graphql(REVOKE, json!({ "id": organisation }), Some(&maintainer)).await;
    assert_refused(&body, "BAD_USER_INPUT", "an organisation's id");
}

#[tokio::test]
async fn api_keys_lists_all_keys_for_maintainers_and_only_their_own_for_administrators() {
    let app = spawn_app().await;
    let zoetermeer =
        [new_key(&app, ZOETERMEER, &[]).await, new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await];
    let almere = new_key(&app, ALMERE, &[]).await;
    let ids = |body: &Value| -> Vec<String> {
        data(body)["apiKeys"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().into()).collect()
    };
    let total = |body: &Value| data(body)["apiKeys"]["totalCount"].as_u64().unwrap();

    // Maintainers: everything, newest first, or one organisation's.
    let body = list(&app, Some(&app.maintainer()), None).await;
    assert_eq!(ids(&body), vec![almere.id.clone(), zoetermeer[1].id.clone(), zoetermeer[0].id.clone()]);
    assert_eq!(total(&body), 3);
    let body = list(&app, Some(&app.maintainer()), Some(ALMERE)).await;
    assert_eq!(ids(&body), vec![almere.id.clone()]);
    assert_eq!(total(&body), 1);

    // Administrators: their own organisation's, with or without naming it; another's is refused.
    let zoetermeer_admin = admin(&app, Role::LibraryEditor, Some(ZOETERMEER));
    for org in [None, Some(ZOETERMEER)] {
        let body = list(&app, Some(&zoetermeer_admin), org).await;
        assert_eq!(ids(&body), vec![zoetermeer[1].id.clone(), zoetermeer[0].id.clone()], "{org:?}");
        assert_eq!(total(&body), 2, "{org:?}");
    }
    let body = list(&app, Some(&zoetermeer_admin), Some(ALMERE)).await;
    assert_refused(&body, "FORBIDDEN", "Zoetermeer's administrator listing Almere's keys");
    let body = list(&app, Some(&admin(&app, Role::Partner, Some("seniorweb"))), None).await;
    assert_eq!(total(&body), 0, "{body}");
    assert_eq!(ids(&body), Vec::<String>::new());
}

#[tokio::test]
async fn api_keys_is_refused_to_everyone_else() {
    let app = spawn_app().await;
    new_key(&app, ZOETERMEER, &[]).await;
    let cases = [
        ("anonymous", None, "UNAUTHENTICATED"),
        ("Zoetermeer editor", Some(app.editor(ZOETERMEER)), "FORBIDDEN"),
        ("Probiblio support editor", Some(app.token(Role::SupportEditor, Some("probiblio"))), "FORBIDDEN"),
        ("SeniorWeb partner", Some(app.token(Role::Partner, Some("seniorweb"))), "FORBIDDEN"),
        ("partner administrator of no organisation", Some(admin(&app, Role::Partner, None)), "FORBIDDEN"),
    ];
    for (label, token, code) in cases {
        for org in [None, Some(ZOETERMEER)] {
            let body = list(&app, token.as_deref(), org).await;
            assert_refused(&body, code, &format!("{label} listing {org:?}"));
        }
    }
    for scopes in [&[][..], &["READ_NETWORK_RESEARCH", "WRITE_OWN_ORGANISATION"][..]] {
        let key = new_key(&app, ZOETERMEER, scopes).await;
        let zoetermeer = app.organisation_id(ZOETERMEER).await;
        for org in [Value::Null, json!(zoetermeer)] {
            let (_, body) = with_key(&app, &key.text, &list_doc(), json!({ "org": org })).await;
            assert_refused(&body, "FORBIDDEN", &format!("a key with {scopes:?} listing {org}"));
        }
    }
}

// ---- the audit trail -----------------------------------------------------------------------------

#[tokio::test]
async fn the_audit_trail_shows_the_creation_and_the_revocation_of_a_key_with_their_actors() {
    let app = spawn_app().await;
    let zoetermeer_admin = admin(&app, Role::LibraryEditor, Some(ZOETERMEER));
    let body = try_create(&app, Some(&app.maintainer()), ZOETERMEER, &["READ_NETWORK_RESEARCH"]).await;
    let created = &data(&body)["createApiKey"];
    let (id, text) = (created["apiKey"]["id"].as_str().unwrap(), created["key"].as_str().unwrap());
    data(&app.graphql(REVOKE, json!({ "id": id }), Some(&zoetermeer_admin)).await);

    let trail = r#"{ auditTrail(filter: { recordType: "ApiKey" }, first: 20) { totalCount nodes {
        action recordType recordId actorRole actorSubject credential actorOrganisation { slug } } } }"#;
    let body = app.graphql(trail, json!({}), Some(&app.maintainer())).await;
    assert!(!body.to_string().contains(&text[12..]), "the audit trail shows the key: {body}");
    let nodes = data(&body)["auditTrail"]["nodes"].as_array().unwrap();
    assert_eq!(data(&body)["auditTrail"]["totalCount"], 2, "{body}");
    let entry = |action: &str| {
        nodes.iter().find(|n| n["action"] == action).unwrap_or_else(|| panic!("no {action} entry: {body}")).clone()
    };
    let create = entry("CREATE");
    assert_eq!(create["recordType"], "ApiKey");
    assert_eq!(create["recordId"], id);
    assert_eq!(create["actorRole"], "NETWORK_MAINTAINER");
    assert_eq!(create["actorSubject"], "user-of-koninklijke-bibliotheek");
    assert_eq!(create["actorOrganisation"]["slug"], "koninklijke-bibliotheek");
    assert!(create["credential"].as_str().is_some_and(|c| c.starts_with("token:")), "{create}");
    let revoke = entry("REVOKE");
    assert_eq!(revoke["recordId"], id);
    assert_eq!(revoke["actorRole"], "LIBRARY_EDITOR");
    assert_eq!(revoke["actorSubject"], "admin-of-bibliotheek-zoetermeer");
    assert_eq!(revoke["actorOrganisation"]["slug"], ZOETERMEER);
    assert!(revoke["credential"].as_str().is_some_and(|c| c.starts_with("token:")), "{revoke}");
}

#[tokio::test]
async fn the_audit_trail_of_keys_is_for_maintainers_only() {
    let app = spawn_app().await;
    new_key(&app, ZOETERMEER, &[]).await;
    let trail = r#"{ auditTrail(filter: { recordType: "ApiKey" }) { totalCount nodes { action } } }"#;
    let body = app.anon(trail, json!({})).await;
    assert!(matches!(error_code(&body).as_str(), "UNAUTHENTICATED" | "FORBIDDEN"), "{body}");
    assert!(body["data"].is_null(), "{body}");
    let zoetermeer_admin = admin(&app, Role::LibraryEditor, Some(ZOETERMEER));
    let body = app.graphql(trail, json!({}), Some(&zoetermeer_admin)).await;
    assert_refused(&body, "FORBIDDEN", "an administrator reading the audit trail");
    let key = new_key(&app, ZOETERMEER, &["READ_NETWORK_RESEARCH", "WRITE_OWN_ORGANISATION"]).await;
    let (_, body) = with_key(&app, &key.text, trail, json!({})).await;
    assert_refused(&body, "FORBIDDEN", "a key reading the audit trail");
}

#[tokio::test]
async fn inventing_keys_from_one_address_runs_into_the_rate_limit_instead_of_fresh_budgets() {
    // Each bad credential costs its address 100 points of the anonymous budget, so a stream of
    // made-up (even well-formed) keys is cut off rather than getting a new budget per key.
    let app = crate::helpers::spawn_app_with(&[("rate_limit.anonymous_points", "300")]).await;
    let real = new_key(&app, ZOETERMEER, &[]).await;
    for attempt in 0..3 {
        let mut bytes = real.text.clone().into_bytes();
        bytes[10 + attempt] = if bytes[10 + attempt] == b'a' { b'b' } else { b'a' };
        let (status, body) = with_key(&app, &String::from_utf8(bytes).unwrap(), STUDY_TITLES, json!({})).await;
        assert_eq!((status, error_code(&body).as_str()), (401, "UNAUTHENTICATED"), "{body}");
    }
    let (status, body) = with_key(&app, &real.text, STUDY_TITLES, json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (429, "RATE_LIMITED"), "{body}");
    let (status, body) = post(&app, "{ __typename }", json!({}), None).await;
    assert_eq!(status, 200, "callers without credentials keep their own budget: {body}");
}
