//! `Idempotency-Key`: a mutation runs once per key and caller; retries (also concurrent ones) get
//! the first answer with `idempotent-replayed: true` and write nothing; a reused key with another
//! request is HTTP 422; malformed keys are HTTP 400.
//!
//! The rule in `src/http/mod.rs`: the key is claimed after the credential, the API-key write
//! scope and the key itself have been checked (failures there claim nothing). Every answer with
//! HTTP 200 is stored and replayed, including GraphQL errors such as `BAD_USER_INPUT`, `FORBIDDEN`
//! and `CONFLICT`; answers with HTTP 503 (`SERVICE_UNAVAILABLE`) or 429 (`RATE_LIMITED`) free the
//! key. A request cut off after claiming leaves the key claimed: retries wait half the request
//! timeout and then get `CONFLICT`.

use futures::future::join_all;
use registry::identity::Role;
use reqwest::header::HeaderValue;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{
    Answer, CREATE_PROPOSITION, UPDATE_PROPOSITION, audit_total, change_log_rows, database, new_proposition, post,
    user_token,
};
use crate::helpers::{TestApp, data, error_code, spawn_app, spawn_app_with};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";
const ALMERE: &str = "nieuwe-bibliotheek-almere";
const REPLAYED: &str = "idempotent-replayed";

fn key(text: &str) -> [(&'static str, HeaderValue); 1] {
    [("idempotency-key", HeaderValue::from_str(text).expect("a valid header value"))]
}

/// Creates a proposition of Zoetermeer with an idempotency key.
async fn create_with_key(app: &TestApp, token: &str, title: &str, idempotency_key: &str) -> Answer {
    let org = app.organisation_id(ZOETERMEER).await;
    post(app, CREATE_PROPOSITION, new_proposition(&org, title), Some(token), &key(idempotency_key)).await
}

/// How many propositions with this title are stored, counted in the database.
async fn stored(app: &TestApp, title: &str) -> u64 {
    let db = database(app).await;
    let n = entity::proposition::Entity::find()
        .filter(entity::proposition::Column::Title.eq(title))
        .count(&db)
        .await
        .expect("count propositions");
    let _ = db.close().await;
    n
}

fn created_id(answer: &Answer) -> String {
    data(&answer.body)["createProposition"]["proposition"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {}", answer.body))
        .to_string()
}

// ---- retries -----------------------------------------------------------------------------------

#[tokio::test]
async fn ten_identical_creates_sent_at_once_with_one_key_create_one_record() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let vars = new_proposition(&org, "Leesclub eenmaal");
    let before = audit_total(&app).await;
    let headers = key("create-leesclub-1");
    let answers =
        join_all((0..10).map(|_| post(&app, CREATE_PROPOSITION, vars.clone(), Some(&editor), &headers))).await;

    assert_eq!(stored(&app, "Leesclub eenmaal").await, 1, "one record");
    assert_eq!(audit_total(&app).await, before + 1, "one change logged");
    let mut ids = Vec::new();
    let mut conflicts = 0;
    for answer in &answers {
        match answer.body["errors"][0]["extensions"]["code"].as_str() {
            None => {
                assert_eq!(answer.status, 200);
                ids.push(created_id(answer));
            }
            Some("CONFLICT") => conflicts += 1,
            Some(other) => panic!("unexpected {other}: {}", answer.body),
        }
    }
    eprintln!("ten concurrent creates with one key: {} answers with the id, {conflicts} CONFLICT", ids.len());
    assert!(!ids.is_empty());
    assert!(ids.iter().all(|id| *id == ids[0]), "different ids: {ids:?}");
    let fresh: Vec<&Answer> = answers.iter().filter(|a| a.header(REPLAYED).is_empty()).collect();
    assert_eq!(fresh.len(), 1, "exactly one request ran; the others were replayed or refused");
    assert!(
        answers.iter().filter(|a| !a.header(REPLAYED).is_empty()).all(|a| a.body == fresh[0].body),
        "every replay is the first answer"
    );
    // The retries waited for the answer: with the default timeout none had to give up.
    assert_eq!(conflicts, 0, "retries gave up waiting");
}

#[tokio::test]
async fn a_later_retry_replays_the_identical_body_and_writes_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let first = create_with_key(&app, &editor, "Leesclub nagezonden", "retry-me").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header(REPLAYED), "", "the first answer is not a replay");
    let id = created_id(&first);
    let db = database(&app).await;
    let rows = change_log_rows(&db).await;

    for _ in 0..3 {
        let retry = create_with_key(&app, &editor, "Leesclub nagezonden", "retry-me").await;
        assert_eq!(retry.status, 200);
        assert_eq!(retry.header(REPLAYED), "true");
        assert_eq!(retry.body, first.body, "the identical body");
        assert_eq!(created_id(&retry), id);
    }
    assert_eq!(change_log_rows(&db).await, rows, "a replay writes nothing");
    assert_eq!(stored(&app, "Leesclub nagezonden").await, 1);

    // The replay is the stored answer, not a new reading: a later change does not show in it.
    let renamed = post(
        &app,
        UPDATE_PROPOSITION,
        json!({ "input": { "id": id, "expectedVersion": 1, "title": "Leesclub hernoemd" } }),
        Some(&editor),
        &[],
    )
    .await;
    data(&renamed.body);
    let retry = create_with_key(&app, &editor, "Leesclub nagezonden", "retry-me").await;
    assert_eq!(retry.body, first.body);
    assert_eq!(stored(&app, "Leesclub nagezonden").await, 0, "no second record under the old title");
    let _ = db.close().await;
}

#[tokio::test]
async fn a_replayed_update_does_not_apply_twice() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let id = created_id(&create_with_key(&app, &editor, "Leesclub versie", "create-v").await);
    let vars = json!({ "input": { "id": id, "expectedVersion": 1, "title": "Leesclub versie 2" } });
    let first = post(&app, UPDATE_PROPOSITION, vars.clone(), Some(&editor), &key("update-v")).await;
    assert_eq!(data(&first.body)["updateProposition"]["proposition"]["version"], 2);
    let retry = post(&app, UPDATE_PROPOSITION, vars, Some(&editor), &key("update-v")).await;
    assert_eq!(retry.header(REPLAYED), "true");
    assert_eq!(retry.body, first.body, "the retry is told it succeeded, not CONFLICT");
    let body =
        app.graphql("query($id: ID!) { proposition(id: $id) { version } }", json!({ "id": id }), Some(&editor)).await;
    assert_eq!(data(&body)["proposition"]["version"], 2);
}

// ---- misuse of a key ---------------------------------------------------------------------------

#[tokio::test]
async fn the_same_key_with_another_request_is_refused_with_422_and_writes_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let first = create_with_key(&app, &editor, "Leesclub origineel", "one-key").await;
    data(&first.body);
    let rows = audit_total(&app).await;

    let other_title = new_proposition(&org, "Leesclub anders");
    let other_document =
        "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id } } }";
    let other_mutation = json!({ "input": { "id": created_id(&first), "expectedVersion": 1, "title": "X" } });
    for (doc, vars) in [
        (CREATE_PROPOSITION, other_title),
        (other_document, new_proposition(&org, "Leesclub origineel")),
        (UPDATE_PROPOSITION, other_mutation),
    ] {
        let answer = post(&app, doc, vars, Some(&editor), &key("one-key")).await;
        assert_eq!(answer.status, 422, "{}", answer.body);
        assert_eq!(error_code(&answer.body), "BAD_USER_INPUT", "{}", answer.body);
        assert!(answer.body["data"].is_null());
        assert_eq!(answer.header(REPLAYED), "");
    }
    assert_eq!(stored(&app, "Leesclub anders").await, 0);
    assert_eq!(stored(&app, "Leesclub origineel").await, 1);
    assert_eq!(audit_total(&app).await, rows);
    // The key still replays its own request.
    let retry = create_with_key(&app, &editor, "Leesclub origineel", "one-key").await;
    assert_eq!(retry.body, first.body);
}

#[tokio::test]
async fn the_same_key_from_another_caller_is_independent() {
    let app = spawn_app().await;
    let (anna, _) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    let (bert, _) = user_token(&app, "bert", Some(ZOETERMEER), Role::LibraryEditor);
    // The same subject at another library is another caller too.
    let (anna_almere, _) = user_token(&app, "anna", Some(ALMERE), Role::LibraryEditor);
    let org = app.organisation_id(ZOETERMEER).await;
    let body = app
        .graphql(
            "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }",
            json!({ "input": { "organisation": org, "name": "Website", "scopes": ["WRITE_OWN_ORGANISATION"] } }),
            Some(&app.maintainer()),
        )
        .await;
    let api_key = data(&body)["createApiKey"]["key"].as_str().unwrap().to_string();

    let mut ids = Vec::new();
    for token in [&anna, &bert, &api_key] {
        let answer = create_with_key(&app, token, "Leesclub gedeeld", "shared-key").await;
        assert_eq!(answer.header(REPLAYED), "", "{}", answer.body);
        ids.push(created_id(&answer));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "each caller created its own record");
    assert_eq!(stored(&app, "Leesclub gedeeld").await, 3);

    // Another library's user with the same name and key neither replays Zoetermeer's answer nor is refused.
    let almere = app.organisation_id(ALMERE).await;
    let answer = post(
        &app,
        CREATE_PROPOSITION,
        new_proposition(&almere, "Leesclub gedeeld"),
        Some(&anna_almere),
        &key("shared-key"),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header(REPLAYED), "");
    assert!(!ids.contains(&created_id(&answer)));
    assert_eq!(stored(&app, "Leesclub gedeeld").await, 4);
}

#[tokio::test]
async fn a_retry_with_a_renewed_token_of_the_same_user_is_replayed_not_run_again() {
    // A client whose token expired between a lost answer and its retry renews the token (a new
    // `jti`) and retries with the same key: the mutation must not run a second time.
    let app = spawn_app().await;
    let (first_token, _) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    let (renewed_token, _) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    let first = create_with_key(&app, &first_token, "Leesclub na vernieuwing", "renewal").await;
    data(&first.body);
    let retry = create_with_key(&app, &renewed_token, "Leesclub na vernieuwing", "renewal").await;
    assert_eq!(
        stored(&app, "Leesclub na vernieuwing").await,
        1,
        "the retry with a renewed token created a second record: {}",
        retry.body
    );
    assert_eq!(retry.header(REPLAYED), "true");
    assert_eq!(retry.body, first.body);
}

#[tokio::test]
async fn malformed_keys_are_refused_with_400_and_nothing_runs() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let rows = audit_total(&app).await;
    let too_long = "k".repeat(201);
    let bad: [&[u8]; 6] =
        [b"", too_long.as_bytes(), "sleutel-\u{e9}".as_bytes(), "\u{1f511}".as_bytes(), b"with space", b"tab\there"];
    for bytes in bad {
        let value = HeaderValue::from_bytes(bytes).expect("sendable");
        let answer = post(
            &app,
            CREATE_PROPOSITION,
            new_proposition(&org, "Leesclub met slechte sleutel"),
            Some(&editor),
            &[("idempotency-key", value)],
        )
        .await;
        let shown = String::from_utf8_lossy(bytes);
        assert_eq!(answer.status, 400, "{shown:?}: {}", answer.body);
        assert_eq!(error_code(&answer.body), "BAD_USER_INPUT", "{shown:?}: {}", answer.body);
        assert!(answer.body["data"].is_null());
    }
    assert_eq!(stored(&app, "Leesclub met slechte sleutel").await, 0);
    assert_eq!(audit_total(&app).await, rows);

    // The limits themselves are accepted: 200 visible characters, and punctuation.
    for (n, good) in
        ["k".repeat(200), "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".to_string(), "a".to_string()].iter().enumerate()
    {
        let answer = create_with_key(&app, &editor, &format!("Leesclub goede sleutel {n}"), good).await;
        assert_eq!(answer.status, 200, "{good:?}: {}", answer.body);
        data(&answer.body);
    }
}

#[tokio::test]
async fn a_failed_mutation_with_a_key_is_stored_and_replayed_too() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let invalid = new_proposition(&org, "");
    let first = post(&app, CREATE_PROPOSITION, invalid.clone(), Some(&editor), &key("invalid-1")).await;
    assert_eq!(first.status, 200);
    assert_eq!(error_code(&first.body), "BAD_USER_INPUT", "{}", first.body);
    let retry = post(&app, CREATE_PROPOSITION, invalid, Some(&editor), &key("invalid-1")).await;
    assert_eq!(retry.header(REPLAYED), "true", "an HTTP 200 answer with errors is stored: {}", retry.body);
    assert_eq!(retry.body, first.body);

    // So is a refusal: a forbidden create stays forbidden for that key.
    let almere = app.organisation_id(ALMERE).await;
    let vars = new_proposition(&almere, "Leesclub elders");
    let refused = post(&app, CREATE_PROPOSITION, vars.clone(), Some(&editor), &key("forbidden-1")).await;
    assert_eq!(error_code(&refused.body), "FORBIDDEN", "{}", refused.body);
    let retry = post(&app, CREATE_PROPOSITION, vars, Some(&editor), &key("forbidden-1")).await;
    assert_eq!(retry.header(REPLAYED), "true");
    assert_eq!(retry.body, refused.body);
    assert_eq!(stored(&app, "Leesclub elders").await, 0);
}

#[tokio::test]
async fn a_retry_of_a_request_cut_off_after_claiming_its_key_gets_conflict_and_writes_nothing() {
    let app = spawn_app_with(&[("server.request_timeout_secs", "2")]).await;
    let (token, _) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    let org = app.organisation_id(ZOETERMEER).await;
    let vars = new_proposition(&org, "Leesclub afgebroken");
    // A real request shows whose keys anna's are; then fake what a request cut off between claiming
    // its key and storing its answer leaves behind.
    let probe =
        post(&app, CREATE_PROPOSITION, new_proposition(&org, "Leesclub proef"), Some(&token), &key("probe")).await;
    assert_eq!(probe.status, 200, "{}", probe.body);
    let db = database(&app).await;
    let owner = entity::idempotency_key::Entity::find().one(&db).await.unwrap().expect("the probe's key").owner;
    let fingerprint = registry::trust::idempotency::fingerprint(CREATE_PROPOSITION, None, &vars);
    entity::idempotency_key::Entity::insert(entity::idempotency_key::ActiveModel {
        owner: sea_orm::ActiveValue::Set(owner),
        key: sea_orm::ActiveValue::Set("cut-off".into()),
        fingerprint: sea_orm::ActiveValue::Set(fingerprint),
        completed: sea_orm::ActiveValue::Set(false),
        created_at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
        ..Default::default()
    })
    .exec(&db)
    .await
    .expect("claim the key");
    let rows = change_log_rows(&db).await;

    let started = std::time::Instant::now();
    let answer = post(&app, CREATE_PROPOSITION, vars, Some(&token), &key("cut-off")).await;
    assert_eq!(error_code(&answer.body), "CONFLICT", "{}", answer.body);
    assert_eq!(answer.status, 409);
    assert!(started.elapsed() >= std::time::Duration::from_millis(900), "it waited for the first request");
    assert_eq!(stored(&app, "Leesclub afgebroken").await, 0);
    assert_eq!(change_log_rows(&db).await, rows);
    let _ = db.close().await;
}

#[tokio::test]
async fn a_query_with_a_key_is_answered_afresh_and_a_bad_key_on_it_is_ignored() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let doc = r#"{ organisation(slug: "bibliotheek-zoetermeer") { propositions(first: 100) { totalCount } } }"#;
    let first = post(&app, doc, json!({}), Some(&editor), &key("read-1")).await;
    let before = data(&first.body)["organisation"]["propositions"]["totalCount"].as_u64().unwrap();
    data(&create_with_key(&app, &editor, "Leesclub gelezen", "create-read").await.body);
    let again = post(&app, doc, json!({}), Some(&editor), &key("read-1")).await;
    assert_eq!(again.header(REPLAYED), "");
    assert_eq!(data(&again.body)["organisation"]["propositions"]["totalCount"], before + 1);
    let bad = post(&app, doc, json!({}), Some(&editor), &[("idempotency-key", HeaderValue::from_static(""))]).await;
    assert_eq!(bad.status, 200, "{}", bad.body);
}

// ---- secrets -----------------------------------------------------------------------------------

#[tokio::test]
async fn a_new_api_key_is_never_created_under_an_idempotency_key_so_it_is_never_stored_for_a_replay() {
    // Only the SHA-256 of an API key may be stored (src/auth/api_key.rs), and the key is shown once;
    // a stored answer for a replay would keep and show it again, so the header is refused there.
    let app = spawn_app().await;
    let org = app.organisation_id(ZOETERMEER).await;
    let answer = post(
        &app,
        "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }",
        json!({ "input": { "organisation": org, "name": "Website", "scopes": ["WRITE_OWN_ORGANISATION"] } }),
        Some(&app.maintainer()),
        &key("new-api-key-1"),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(error_code(&answer.body), "BAD_USER_INPUT");
    let db = database(&app).await;
    let stored = entity::idempotency_key::Entity::find().all(&db).await.unwrap();
    let keys = entity::api_key::Entity::find().all(&db).await.unwrap();
    let _ = db.close().await;
    assert!(stored.is_empty(), "no answer is kept: {stored:?}");
    assert!(keys.is_empty(), "no key was created: {keys:?}");
}

#[tokio::test]
async fn an_expired_key_no_longer_holds_and_the_request_runs_afresh() {
    let app = spawn_app().await;
    let (token, _) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    let org = app.organisation_id(ZOETERMEER).await;
    let probe =
        post(&app, CREATE_PROPOSITION, new_proposition(&org, "Leesclub proef"), Some(&token), &key("probe")).await;
    assert_eq!(probe.status, 200, "{}", probe.body);
    let db = database(&app).await;
    let owner = entity::idempotency_key::Entity::find().one(&db).await.unwrap().expect("the probe's key").owner;
    // What a request of two days ago left: another request under the same key, long expired.
    entity::idempotency_key::Entity::insert(entity::idempotency_key::ActiveModel {
        owner: sea_orm::ActiveValue::Set(owner),
        key: sea_orm::ActiveValue::Set("old".into()),
        fingerprint: sea_orm::ActiveValue::Set("0".repeat(64)),
        completed: sea_orm::ActiveValue::Set(true),
        status: sea_orm::ActiveValue::Set(Some(200)),
        response: sea_orm::ActiveValue::Set(Some(json!({ "data": null }))),
        created_at: sea_orm::ActiveValue::Set(chrono::Utc::now() - chrono::Duration::days(2)),
        ..Default::default()
    })
    .exec(&db)
    .await
    .expect("an expired key");
    let _ = db.close().await;
    let answer =
        post(&app, CREATE_PROPOSITION, new_proposition(&org, "Leesclub opnieuw"), Some(&token), &key("old")).await;
    assert_eq!(answer.status, 200, "not 422 for a different request, not the old answer: {}", answer.body);
    assert!(answer.header(REPLAYED).is_empty(), "{}", answer.body);
    assert_eq!(stored(&app, "Leesclub opnieuw").await, 1);
}
