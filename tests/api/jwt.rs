//! Bearer tokens against a key set: EdDSA and ES256 keys selected by `kid`, next to the HS256
//! `default` secret the test harness always configures.
//!
//! Every refused token is asked for something only a valid token could see: Bibliotheek Emmen's
//! PRIVATE study, visible to Emmen's own editors only. A refusal must be HTTP 401 with
//! `UNAUTHENTICATED`, a `WWW-Authenticate: Bearer` challenge and no data at all, so that a bad token
//! is never quietly treated as anonymous either.

use std::path::{Path, PathBuf};

use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use registry::identity::Role;
use registry::identity::secret::DEVELOPMENT_JWT_SECRET;
use registry::settings::Settings;
use registry::startup::Application;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with, try_spawn_app_with};

/// The key id of the Ed25519 key (with its private key) in the key sets below.
const ED_KID: &str = "ed-2026";
/// The key id of the ES256 key (public key only) in the key sets below.
const ES_KID: &str = "es-2026";
/// The HS256 secret the test harness configures as `auth.jwt_secret` (key id `default`).
const DEFAULT_SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";

/// The private study only Bibliotheek Emmen may see.
const EMMEN_STUDY: &str = "Klantgesprekken in de Bredebieb Academy Emmen";
/// A query whose answer, for Emmen's editor, holds the private study.
const PRIVATE_VIEW: &str = "{ studies(first: 50) { nodes { title visibility } } }";

// ---- key files -----------------------------------------------------------------------------------

/// The absolute path of a test key in `tests/fixtures/keys`.
fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

fn ed_signer(name: &str) -> EncodingKey {
    EncodingKey::from_ed_pem(read_fixture(name).as_bytes()).expect("an Ed25519 private key")
}

fn es_signer() -> EncodingKey {
    EncodingKey::from_ec_pem(read_fixture("es256-private.pem").as_bytes()).expect("a P-256 private key")
}

/// The Ed25519 entry of a key set (with its private key, so the registry can sign with it too).
fn ed_entry() -> Value {
    json!({
        "kid": ED_KID, "alg": "EdDSA",
        "publicKeyFile": fixture("ed25519-public.pem"), "privateKeyFile": fixture("ed25519-private.pem"),
    })
}

/// The ES256 entry of a key set: public key only, as for tokens issued elsewhere.
fn es_entry() -> Value {
    json!({ "kid": ES_KID, "alg": "ES256", "publicKeyFile": fixture("es256-public.pem") })
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        let path = std::env::temp_dir().join(format!("registry-{}-{name}", uuid::Uuid::new_v4().simple()));
        std::fs::write(&path, contents).expect("write a temporary file");
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Starts a registry whose key set holds these entries (plus the harness's `default` secret).
async fn app_with_keys(entries: Value) -> TestApp {
    let file = TempFile::new("keyset.json", &json!({ "keys": entries }).to_string());
    spawn_app_with(&[("auth.key_set_file", file.path())]).await
}

/// Starts a registry with the Ed25519 and the ES256 key.
async fn app_with_both_keys() -> TestApp {
    app_with_keys(json!([ed_entry(), es_entry()])).await
}

// ---- tokens --------------------------------------------------------------------------------------

/// Claims for an editor of Bibliotheek Emmen, valid for an hour, as JSON to bend at will.
fn emmen_claims(app: &TestApp) -> Value {
    let claims =
        app.keys.claims("jwt-test", Some("bibliotheek-emmen"), Role::LibraryEditor, chrono::Duration::hours(1));
    serde_json::to_value(claims).expect("claims as JSON")
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn without(mut claims: Value, key: &str) -> Value {
    claims.as_object_mut().expect("claims are an object").remove(key);
    claims
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Signs claims with a key and algorithm of our choosing, naming `kid` in the header.
fn sign(claims: &Value, algorithm: Algorithm, kid: Option<&str>, key: &EncodingKey) -> String {
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, claims, key).expect("sign a token")
}

fn ed_token(claims: &Value) -> String {
    sign(claims, Algorithm::EdDSA, Some(ED_KID), &ed_signer("ed25519-private.pem"))
}

fn es_token(claims: &Value) -> String {
    sign(claims, Algorithm::ES256, Some(ES_KID), &es_signer())
}

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

// ---- requests ------------------------------------------------------------------------------------

/// Posts a document with a raw `Authorization` header; the status, whether a 401 challenge came
/// with it, and the body.
async fn post(app: &TestApp, query: &str, authorization: &str) -> (u16, bool, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("Authorization", authorization)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request reaches the server");
    let status = response.status().as_u16();
    let challenge = response.headers().get("www-authenticate").is_some_and(|v| v == "Bearer");
    (status, challenge, response.json().await.expect("the response is JSON"))
}

/// Asserts the header is refused with 401 `UNAUTHENTICATED` and nothing of the private view leaks.
async fn assert_refused(app: &TestApp, authorization: &str) {
    let (status, challenge, body) = post(app, PRIVATE_VIEW, authorization).await;
    assert_eq!(status, 401, "expected 401 for `{authorization}`: {body}");
    assert!(challenge, "a 401 carries `WWW-Authenticate: Bearer`: {body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");
    assert!(body["data"].is_null(), "a refused token got data: {body}");
    assert!(!body.to_string().contains(EMMEN_STUDY), "the private study leaked: {body}");
}

async fn assert_refused_token(app: &TestApp, token: &str) {
    assert_refused(app, &format!("Bearer {token}")).await;
}

/// Asserts the token is accepted as Emmen's editor: the private study is in the answer.
async fn assert_accepted(app: &TestApp, token: &str) {
    let (status, _, body) = post(app, PRIVATE_VIEW, &format!("Bearer {token}")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none_or(Value::is_null), "unexpected errors: {body}");
    let titles: Vec<&str> =
        body["data"]["studies"]["nodes"].as_array().unwrap().iter().filter_map(|n| n["title"].as_str()).collect();
    assert!(titles.contains(&EMMEN_STUDY), "a valid token should see Emmen's private study: {body}");
}

// ---- accepted tokens -----------------------------------------------------------------------------

#[tokio::test]
async fn a_token_signed_with_the_configured_ed25519_key_is_accepted() {
    let app = app_with_both_keys().await;
    assert_accepted(&app, &ed_token(&emmen_claims(&app))).await;
}

#[tokio::test]
async fn a_token_signed_with_the_configured_es256_key_is_accepted() {
    let app = app_with_both_keys().await;
    assert_accepted(&app, &es_token(&emmen_claims(&app))).await;
}

#[tokio::test]
async fn during_a_rotation_tokens_of_the_old_and_the_new_key_are_both_accepted() {
    // The old Ed25519 key and the new ES256 key are live at once (and the default secret too).
    let app = app_with_both_keys().await;
    let claims = emmen_claims(&app);
    assert_accepted(&app, &ed_token(&claims)).await;
    assert_accepted(&app, &es_token(&claims)).await;
    let hs = sign(&claims, Algorithm::HS256, Some("default"), &EncodingKey::from_secret(DEFAULT_SECRET.as_bytes()));
    assert_accepted(&app, &hs).await;
}

#[tokio::test]
async fn after_a_rotation_the_removed_key_is_refused_and_the_remaining_one_accepted() {
    // The Ed25519 key was taken out of the set; only ES256 remains.
    let app = app_with_keys(json!([es_entry()])).await;
    let claims = emmen_claims(&app);
    assert_accepted(&app, &es_token(&claims)).await;
    assert_refused_token(&app, &ed_token(&claims)).await;
}

#[tokio::test]
async fn a_token_that_expired_within_the_leeway_is_still_accepted() {
    let app = app_with_both_keys().await;
    let claims = with(emmen_claims(&app), "exp", json!(now() - 10));
    assert_accepted(&app, &ed_token(&claims)).await;
}

#[tokio::test]
async fn the_registry_signs_its_own_tokens_with_the_first_key_that_has_a_private_key() {
    let app = app_with_both_keys().await;
    let token = app.editor("bibliotheek-emmen");
    let header = jsonwebtoken::decode_header(&token).expect("a JWT");
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert_eq!(header.kid.as_deref(), Some(ED_KID));
    assert_accepted(&app, &token).await;
}

#[tokio::test]
async fn a_key_file_path_is_read_relative_to_the_key_set_file() {
    let dir = std::env::temp_dir().join(format!("registry-keys-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("a key directory");
    std::fs::copy(fixture("es256-public.pem"), dir.join("es256-public.pem")).expect("copy the public key");
    let set = dir.join("keyset.json");
    let entries = json!([{ "kid": ES_KID, "alg": "ES256", "publicKeyFile": "es256-public.pem" }]);
    std::fs::write(&set, json!({ "keys": entries }).to_string()).expect("write the key set");
    let app = spawn_app_with(&[("auth.key_set_file", set.to_str().unwrap())]).await;
    let _ = std::fs::remove_dir_all(&dir);
    assert_accepted(&app, &es_token(&emmen_claims(&app))).await;
}

#[tokio::test]
async fn an_inline_public_key_verifies_tokens_like_a_key_file() {
    let entries = json!([{ "kid": ES_KID, "alg": "ES256", "publicKey": read_fixture("es256-public.pem") }]);
    let app = app_with_keys(entries).await;
    assert_accepted(&app, &es_token(&emmen_claims(&app))).await;
}

// ---- refused tokens ------------------------------------------------------------------------------

#[tokio::test]
async fn an_unsigned_token_with_alg_none_is_refused() {
    let app = app_with_both_keys().await;
    let header = json!({ "alg": "none", "typ": "JWT", "kid": ED_KID });
    assert_refused_token(&app, &format!("{}.{}.", b64(&header), b64(&emmen_claims(&app)))).await;
    // Nor with no key id at all.
    let header = json!({ "alg": "none", "typ": "JWT" });
    assert_refused_token(&app, &format!("{}.{}.", b64(&header), b64(&emmen_claims(&app)))).await;
}

#[tokio::test]
async fn a_token_signed_with_another_ed25519_key_under_the_configured_kid_is_refused() {
    let app = app_with_both_keys().await;
    let token = sign(&emmen_claims(&app), Algorithm::EdDSA, Some(ED_KID), &ed_signer("ed25519-other-private.pem"));
    assert_refused_token(&app, &token).await;
}

#[tokio::test]
async fn an_hs256_token_keyed_with_the_ed25519_public_key_is_refused() {
    // Algorithm confusion: the public key is no secret, so anyone could make this signature.
    let app = app_with_both_keys().await;
    let public = read_fixture("ed25519-public.pem");
    let claims = emmen_claims(&app);
    let token = sign(&claims, Algorithm::HS256, Some(ED_KID), &EncodingKey::from_secret(public.as_bytes()));
    assert_refused_token(&app, &token).await;
    // The same with the trimmed PEM and with the ES256 public key.
    let token = sign(&claims, Algorithm::HS256, Some(ED_KID), &EncodingKey::from_secret(public.trim().as_bytes()));
    assert_refused_token(&app, &token).await;
    let es_public = read_fixture("es256-public.pem");
    let token = sign(&claims, Algorithm::HS256, Some(ES_KID), &EncodingKey::from_secret(es_public.as_bytes()));
    assert_refused_token(&app, &token).await;
}

#[tokio::test]
async fn a_token_signed_with_the_es256_key_under_the_ed25519_kid_is_refused() {
    let app = app_with_both_keys().await;
    let token = sign(&emmen_claims(&app), Algorithm::ES256, Some(ED_KID), &es_signer());
    assert_refused_token(&app, &token).await;
}

#[tokio::test]
async fn an_ed25519_token_naming_the_default_hs256_kid_is_refused() {
    let app = app_with_both_keys().await;
    let token = sign(&emmen_claims(&app), Algorithm::EdDSA, Some("default"), &ed_signer("ed25519-private.pem"));
    assert_refused_token(&app, &token).await;
}

#[tokio::test]
async fn an_hs256_token_signed_with_a_wrong_secret_under_the_default_kid_is_refused() {
    let app = app_with_both_keys().await;
    let wrong = EncodingKey::from_secret(b"another-secret-that-is-also-32-bytes-long!!");
    let token = sign(&emmen_claims(&app), Algorithm::HS256, Some("default"), &wrong);
    assert_refused_token(&app, &token).await;
}

#[tokio::test]
async fn a_token_that_expired_five_minutes_ago_is_refused() {
    let app = app_with_both_keys().await;
    let claims = with(emmen_claims(&app), "exp", json!(now() - 300));
    assert_refused_token(&app, &ed_token(&claims)).await;
}

#[tokio::test]
async fn a_token_without_exp_is_refused() {
    let app = app_with_both_keys().await;
    assert_refused_token(&app, &ed_token(&without(emmen_claims(&app), "exp"))).await;
}

#[tokio::test]
async fn a_token_for_another_audience_is_refused() {
    let app = app_with_both_keys().await;
    assert_refused_token(&app, &ed_token(&with(emmen_claims(&app), "aud", json!("another-service")))).await;
    assert_refused_token(&app, &ed_token(&without(emmen_claims(&app), "aud"))).await;
}

#[tokio::test]
async fn a_token_from_another_issuer_is_refused() {
    let app = app_with_both_keys().await;
    assert_refused_token(&app, &ed_token(&with(emmen_claims(&app), "iss", json!("someone-else")))).await;
    assert_refused_token(&app, &ed_token(&without(emmen_claims(&app), "iss"))).await;
}

#[tokio::test]
async fn a_token_that_is_not_yet_valid_is_refused() {
    let app = app_with_both_keys().await;
    assert_refused_token(&app, &ed_token(&with(emmen_claims(&app), "nbf", json!(now() + 3600)))).await;
}

#[tokio::test]
async fn a_token_naming_an_unknown_kid_is_refused() {
    let app = app_with_both_keys().await;
    let token = sign(&emmen_claims(&app), Algorithm::EdDSA, Some("ed-unknown"), &ed_signer("ed25519-private.pem"));
    assert_refused_token(&app, &token).await;
}

#[tokio::test]
async fn a_token_naming_no_kid_is_refused_when_several_keys_are_configured() {
    let app = app_with_both_keys().await;
    let token = sign(&emmen_claims(&app), Algorithm::EdDSA, None, &ed_signer("ed25519-private.pem"));
    assert_refused_token(&app, &token).await;
}

#[tokio::test]
async fn a_token_whose_payload_was_altered_after_signing_is_refused() {
    let app = app_with_both_keys().await;
    // A genuine partner token whose payload is swapped for Emmen's editor's, signature kept.
    let partner = app.keys.claims("jwt-test", Some("seniorweb"), Role::Partner, chrono::Duration::hours(1));
    let genuine = ed_token(&serde_json::to_value(partner).unwrap());
    assert_accepted_as_other(&app, &genuine).await;
    let parts: Vec<&str> = genuine.split('.').collect();
    let tampered = format!("{}.{}.{}", parts[0], b64(&emmen_claims(&app)), parts[2]);
    assert_refused_token(&app, &tampered).await;
}

/// The control for the tampering test: the untouched partner token works, but sees no private study.
async fn assert_accepted_as_other(app: &TestApp, token: &str) {
    let (status, _, body) = post(app, PRIVATE_VIEW, &format!("Bearer {token}")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["studies"]["nodes"].is_array(), "{body}");
    assert!(!body.to_string().contains(EMMEN_STUDY), "{body}");
}

#[tokio::test]
async fn a_garbage_token_is_refused() {
    let app = app_with_both_keys().await;
    for garbage in ["not-a-token", "a.b.c", "eyJhbGciOiJFZERTQSJ9..", "...."] {
        assert_refused(&app, &format!("Bearer {garbage}")).await;
    }
}

#[tokio::test]
async fn a_bearer_header_without_a_token_is_refused() {
    let app = app_with_both_keys().await;
    for header in ["Bearer", "Bearer ", "Bearer    "] {
        assert_refused(&app, header).await;
    }
}

// ---- invalid key sets ----------------------------------------------------------------------------

/// Settings like the harness's, with this key set file, on a database that is never reached.
fn settings_with_key_set(key_set_file: &str, database: &Path) -> Settings {
    let mut env = std::collections::HashMap::new();
    env.insert("database.url".to_string(), format!("sqlite://{}?mode=rwc", database.display()));
    env.insert("server.port".to_string(), "0".to_string());
    env.insert("demo.load_if_empty".to_string(), "false".to_string());
    env.insert("auth.jwt_secret".to_string(), DEFAULT_SECRET.to_string());
    env.insert("auth.key_set_file".to_string(), key_set_file.to_string());
    Settings::from_source(config::Environment::default().source(Some(env))).expect("the settings themselves are valid")
}

/// Builds the registry with a key set file holding `contents` (or with a path to no file at all
/// when `None`) and returns the error it must stop with.
async fn start_error(contents: Option<Value>) -> String {
    let file = contents.map(|c| TempFile::new("keyset.json", &c.to_string()));
    let missing = std::env::temp_dir().join(format!("registry-{}-missing.json", uuid::Uuid::new_v4().simple()));
    let path = file.as_ref().map_or_else(|| missing.to_str().unwrap().to_string(), |f| f.path().to_string());
    let database = std::env::temp_dir().join(format!("registry-{}-unused.db", uuid::Uuid::new_v4().simple()));
    let outcome = Application::build(&settings_with_key_set(&path, &database)).await;
    let _ = std::fs::remove_file(&database);
    match outcome {
        Ok(_) => panic!("the registry started with the key set {path}"),
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("invalid key set"), "it should stop for the key set: {message}");
            message
        }
    }
}

#[tokio::test]
async fn a_key_set_with_an_hs256_secret_shorter_than_32_bytes_stops_the_start() {
    let message = start_error(Some(json!({ "keys": [
        { "kid": "short", "alg": "HS256", "secret": "only-31-bytes-of-secret-here!!!" },
    ] })))
    .await;
    assert!(message.contains("32"), "{message}");
}

#[tokio::test]
async fn a_key_set_with_an_algorithm_other_than_eddsa_es256_or_hs256_stops_the_start() {
    for alg in ["none", "RS256", "HS512", "eddsa", "XX999"] {
        let message = start_error(Some(json!({ "keys": [
            { "kid": "k", "alg": alg, "publicKeyFile": fixture("ed25519-public.pem") },
        ] })))
        .await;
        assert!(message.contains("not accepted"), "{alg}: {message}");
    }
}

#[tokio::test]
async fn a_missing_key_set_file_stops_the_start() {
    start_error(None).await;
}

#[tokio::test]
async fn a_key_set_naming_a_missing_public_key_file_stops_the_start() {
    let message = start_error(Some(json!({ "keys": [
        { "kid": ED_KID, "alg": "EdDSA", "publicKeyFile": fixture("no-such-key.pem") },
    ] })))
    .await;
    assert!(message.contains("no-such-key.pem"), "{message}");
}

#[tokio::test]
async fn a_key_set_naming_a_missing_private_key_file_stops_the_start() {
    start_error(Some(json!({ "keys": [{
        "kid": ED_KID, "alg": "EdDSA",
        "publicKeyFile": fixture("ed25519-public.pem"), "privateKeyFile": fixture("no-such-key.pem"),
    }] })))
    .await;
}

#[tokio::test]
async fn a_key_set_giving_an_es256_public_key_for_an_eddsa_key_stops_the_start() {
    start_error(Some(json!({ "keys": [
        { "kid": ED_KID, "alg": "EdDSA", "publicKeyFile": fixture("es256-public.pem") },
    ] })))
    .await;
}

#[tokio::test]
async fn a_key_set_giving_an_eddsa_key_a_secret_instead_of_a_public_key_stops_the_start() {
    start_error(Some(json!({ "keys": [
        { "kid": ED_KID, "alg": "EdDSA", "secret": "a-secret-that-is-easily-at-least-32-bytes-long" },
    ] })))
    .await;
}

#[tokio::test]
async fn a_key_set_with_a_kid_twice_or_reusing_the_default_kid_stops_the_start() {
    start_error(Some(json!({ "keys": [ed_entry(), with(es_entry(), "kid", json!(ED_KID))] }))).await;
    // `default` is the harness's configured HS256 secret.
    start_error(Some(json!({ "keys": [with(ed_entry(), "kid", json!("default"))] }))).await;
}

#[tokio::test]
async fn an_empty_or_malformed_key_set_stops_the_start() {
    start_error(Some(json!({ "keys": [] }))).await;
    start_error(Some(json!({ "keys": [{ "kid": ED_KID, "alg": "EdDSA" }] }))).await;
    start_error(Some(json!({ "keys": [with(ed_entry(), "kid", json!(""))] }))).await;
    start_error(Some(json!({ "keys": [with(ed_entry(), "unexpected", json!(true))] }))).await;
    start_error(Some(json!([ed_entry()]))).await;
}

#[tokio::test]
async fn a_token_without_iat_from_another_issuer_is_accepted() {
    let app = app_with_both_keys().await;
    assert_accepted(&app, &es_token(&without(emmen_claims(&app), "iat"))).await;
}

#[tokio::test]
async fn a_validly_signed_token_with_an_overlong_subject_or_token_id_is_refused_not_failed_later() {
    // The subject and token id are stored with every change; too long, they would fail the write.
    let app = app_with_both_keys().await;
    assert_refused_token(&app, &ed_token(&with(emmen_claims(&app), "sub", json!("x".repeat(151))))).await;
    assert_refused_token(&app, &ed_token(&with(emmen_claims(&app), "jti", json!("j".repeat(65))))).await;
    assert_accepted(&app, &ed_token(&with(emmen_claims(&app), "sub", json!("x".repeat(150))))).await;
}

// ---- REQUIRE_CONFIGURED_SECRET -------------------------------------------------------------------

/// A secret as `openssl rand -base64 48` makes one.
const STRONG_SECRET: &str = "q7Vd0c9kXz3HfT1pLw8sRb2NmYg5EoUa6JiKx4CtQnZv+PhGe/WrSl0DyAuIjMbO";

/// Starts the registry the way production does, `REQUIRE_CONFIGURED_SECRET` on, with these settings
/// too; the reason it refused to start, if it did.
async fn start_guarded(settings: &[(&str, &str)]) -> Result<TestApp, String> {
    let mut all = vec![("auth.require_configured_secret", "true")];
    all.extend_from_slice(settings);
    try_spawn_app_with(&all).await
}

async fn assert_guard_refuses_secret(secret: &str, why: &str) {
    match start_guarded(&[("auth.jwt_secret", secret)]).await {
        Ok(_) => panic!("the registry started with the {why} `{secret}` as its signing secret"),
        Err(message) => {
            assert!(message.contains("REGISTRY_AUTH__JWT_SECRET"), "names the variable: {message}");
            assert!(!message.contains(secret), "the message repeats no secret: {message}");
        }
    }
}

#[tokio::test]
async fn with_require_configured_secret_the_development_secret_stops_the_start() {
    assert_guard_refuses_secret(DEVELOPMENT_JWT_SECRET, "built-in development secret").await;
}

#[tokio::test]
async fn with_require_configured_secret_the_compose_placeholder_stops_the_start() {
    assert_guard_refuses_secret("change-me-to-a-long-random-secret-of-32-bytes-or-more", "docker-compose placeholder")
        .await;
}

#[tokio::test]
async fn with_require_configured_secret_the_published_example_secrets_stop_the_start() {
    assert_guard_refuses_secret(DEFAULT_SECRET, "test harness's").await;
    assert_guard_refuses_secret(&format!("{DEVELOPMENT_JWT_SECRET}2"), "development secret with a digit added").await;
}

#[tokio::test]
async fn with_require_configured_secret_a_low_entropy_secret_stops_the_start() {
    let low = [
        ("a".repeat(64), "one character repeated"),
        ("secret".repeat(8), "one word repeated"),
        ("0123456789".repeat(4), "digits in order"),
        ("abababababababababababababababab1234567".to_string(), "two letters alternating"),
    ];
    for (secret, why) in low {
        assert_guard_refuses_secret(&secret, why).await;
    }
}

#[tokio::test]
async fn with_require_configured_secret_a_weak_hs256_secret_in_the_key_set_stops_the_start() {
    let file = TempFile::new(
        "keyset.json",
        &json!({ "keys": [{ "kid": "legacy", "alg": "HS256", "secret": DEVELOPMENT_JWT_SECRET }] }).to_string(),
    );
    let outcome =
        start_guarded(&[("auth.jwt_secret", STRONG_SECRET), ("auth.key_set_file", file.path())]).await.map(|_| ());
    let message = outcome.expect_err("the registry started with the development secret in its key set");
    assert!(message.contains("legacy"), "names the key: {message}");
}

#[tokio::test]
async fn with_require_configured_secret_a_random_secret_starts_and_signs_tokens() {
    let app = start_guarded(&[("auth.jwt_secret", STRONG_SECRET)]).await.expect("a random secret is accepted");
    let token =
        app.keys.issue("guard-test", Some("bibliotheek-emmen"), Role::LibraryEditor, chrono::Duration::hours(1));
    assert_accepted(&app, &token.expect("a token")).await;
    // A hex secret of 32 random bytes (`openssl rand -hex 32`) is accepted too.
    start_guarded(&[("auth.jwt_secret", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")])
        .await
        .expect("a hex secret of 32 random bytes is accepted");
}

#[tokio::test]
async fn without_require_configured_secret_a_weak_secret_still_starts_for_local_use() {
    try_spawn_app_with(&[("auth.jwt_secret", DEVELOPMENT_JWT_SECRET)]).await.expect("local use is not refused");
}
