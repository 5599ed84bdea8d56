//! The HTTP edge in front of GraphQL: body size, batches, GET, CSRF media types, request ids, field
//! suggestions, introspection and the request timeout. Every test speaks raw HTTP where the shape of
//! the request matters, and checks the data actually stored where a refused request could write.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, data, deep_propositions, error_code, metric, metrics_text, spawn_app, spawn_app_with, try_spawn_app_with,
};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";

// ---- body size ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_three_megabyte_body_is_refused_with_413_and_a_graphql_shaped_error() {
    let app = spawn_app().await;
    let padding = "#".repeat(3 * 1024 * 1024);
    let body = json!({ "query": format!("{{ __typename }}\n{padding}") }).to_string();
    assert!(body.len() > 3 * 1024 * 1024);
    let reply = post_raw(&app, Some("application/json"), body.into_bytes(), &[]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body);
    assert_bad_user_input(&reply.body);
    assert!(reply.body["data"].is_null(), "{}", reply.body);
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("1048576"), "the message names the limit: {message}");
}

#[tokio::test]
async fn a_body_of_exactly_the_configured_limit_is_served() {
    let app = spawn_app_with(&[("server.max_body_bytes", "1000")]).await;
    let body = padded_body("{ __typename }", 1000);
    assert_eq!(body.len(), 1000);
    let reply = post_raw(&app, Some("application/json"), body, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(data(&reply.body)["__typename"], "QueryRoot");
}

#[tokio::test]
async fn a_body_one_byte_over_the_configured_limit_is_refused_with_413() {
    let app = spawn_app_with(&[("server.max_body_bytes", "1000")]).await;
    let body = padded_body("{ __typename }", 1001);
    let reply = post_raw(&app, Some("application/json"), body, &[]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body);
    assert_bad_user_input(&reply.body);
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("1000"), "the message names the limit: {message}");
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_without_a_content_length_is_refused_with_413() {
    let app = spawn_app_with(&[("server.max_body_bytes", "1000")]).await;
    // No Content-Length to check up front: the server must stop reading at the limit.
    let body = padded_body("{ __typename }", 5000);
    let mut chunked = Vec::new();
    for chunk in body.chunks(100) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (status, body) = raw_http(
        &app,
        "POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
        chunked,
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert_bad_user_input(&body);
}

// ---- batches -----------------------------------------------------------------------------------

#[tokio::test]
async fn a_batch_of_fifty_mutations_is_refused_with_400_and_creates_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org_id = app.organisation_id(ZOETERMEER).await;
    let before = zoetermeer_count(&app, &editor).await;
    let batch: Vec<Value> = (0..50)
        .map(|i| json!({ "query": CREATE, "variables": { "input": new_proposition(&org_id, &format!("Batch {i}")) } }))
        .collect();
    let reply = post_raw(
        &app,
        Some("application/json"),
        Value::Array(batch.clone()).to_string().into_bytes(),
        &[("authorization", &format!("Bearer {editor}"))],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_bad_user_input(&reply.body);
    assert_eq!(zoetermeer_count(&app, &editor).await, before, "nothing of the batch ran");
    // The same operation on its own does write: the count above could have moved.
    let single = post_raw(
        &app,
        Some("application/json"),
        batch[0].to_string().into_bytes(),
        &[("authorization", &format!("Bearer {editor}"))],
    )
    .await;
    assert_eq!(single.status, StatusCode::OK, "{}", single.body);
    data(&single.body);
    assert_eq!(zoetermeer_count(&app, &editor).await, before + 1);
}

#[tokio::test]
async fn a_batch_behind_leading_whitespace_is_refused_too() {
    let app = spawn_app().await;
    let body = format!(" \n\t\r {}", json!([{ "query": "{ __typename }" }]));
    let reply = post_raw(&app, Some("application/json"), body.into_bytes(), &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_bad_user_input(&reply.body);
    assert!(reply.body["data"].is_null(), "{}", reply.body);
}

// ---- GET ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_query_over_get_is_answered() {
    let app = spawn_app().await;
    let reply = get(
        &app,
        &[
            ("query", "query($s: String!) { organisation(slug: $s) { slug } }"),
            ("variables", r#"{"s":"bibliotheek-zoetermeer"}"#),
        ],
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(data(&reply.body)["organisation"]["slug"], ZOETERMEER);
}

#[tokio::test]
async fn a_mutation_over_get_is_refused_with_405_and_writes_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org_id = app.organisation_id(ZOETERMEER).await;
    let before = zoetermeer_count(&app, &editor).await;
    let variables = json!({ "input": new_proposition(&org_id, "Via GET") }).to_string();
    let reply = get(&app, &[("query", CREATE), ("variables", &variables)], Some(&editor)).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{}", reply.body);
    assert_bad_user_input(&reply.body);
    assert_eq!(zoetermeer_count(&app, &editor).await, before);
}

#[tokio::test]
async fn a_mutation_picked_by_operation_name_over_get_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org_id = app.organisation_id(ZOETERMEER).await;
    let before = zoetermeer_count(&app, &editor).await;
    let document = format!("query Harmless {{ __typename }}\n{}", CREATE.replacen("mutation(", "mutation Create(", 1));
    let variables = json!({ "input": new_proposition(&org_id, "Via GET, named") }).to_string();
    let reply =
        get(&app, &[("query", &document), ("operationName", "Create"), ("variables", &variables)], Some(&editor)).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{}", reply.body);
    assert_bad_user_input(&reply.body);
    assert_eq!(zoetermeer_count(&app, &editor).await, before);
    // The query of the same document is served over GET.
    let reply = get(&app, &[("query", &document), ("operationName", "Harmless")], Some(&editor)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(data(&reply.body)["__typename"], "QueryRoot");
}

#[tokio::test]
async fn get_without_a_query_serves_graphiql() {
    let app = spawn_app().await;
    let response = app.client.get(format!("{}/graphql", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let html = response.text().await.unwrap();
    assert!(html.to_lowercase().contains("graphiql"), "{html}");
}

// ---- CSRF: media types -------------------------------------------------------------------------

#[tokio::test]
async fn a_form_encoded_mutation_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org_id = app.organisation_id(ZOETERMEER).await;
    let before = zoetermeer_count(&app, &editor).await;
    let variables = json!({ "input": new_proposition(&org_id, "Via een formulier") }).to_string();
    let form: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("query", CREATE)
        .append_pair("variables", &variables)
        .finish();
    let reply = post_raw(
        &app,
        Some("application/x-www-form-urlencoded"),
        form.into_bytes(),
        &[("authorization", &format!("Bearer {editor}"))],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_bad_user_input(&reply.body);
    assert_eq!(zoetermeer_count(&app, &editor).await, before);
}

#[tokio::test]
async fn a_multipart_form_post_is_refused() {
    let app = spawn_app().await;
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{\"query\":\"{ __typename }\"}\r\n--XyZ--\r\n";
    let reply = post_raw(&app, Some("multipart/form-data; boundary=XyZ"), body.as_bytes().to_vec(), &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_bad_user_input(&reply.body);
}

#[tokio::test]
async fn a_text_plain_post_without_a_preflight_header_is_refused() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    let reply = post_raw(&app, Some("text/plain;charset=UTF-8"), body.into_bytes(), &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_bad_user_input(&reply.body);
}

#[tokio::test]
async fn a_text_plain_json_post_with_x_requested_with_is_accepted() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ organisation(slug: \"bibliotheek-zoetermeer\") { slug } }" }).to_string();
    let reply = post_raw(&app, Some("text/plain"), body.into_bytes(), &[("x-requested-with", "XMLHttpRequest")]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(data(&reply.body)["organisation"]["slug"], ZOETERMEER);
}

#[tokio::test]
async fn a_text_plain_json_post_with_graphql_require_preflight_is_accepted() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    let reply = post_raw(&app, Some("text/plain"), body.into_bytes(), &[("graphql-require-preflight", "1")]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(data(&reply.body)["__typename"], "QueryRoot");
}

#[tokio::test]
async fn a_post_without_a_content_type_is_refused_with_415() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    let reply = post_raw(&app, None, body.into_bytes(), &[]).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", reply.body);
    assert_bad_user_input(&reply.body);
}

#[tokio::test]
async fn a_post_of_another_media_type_is_refused_with_415() {
    let app = spawn_app().await;
    for media_type in ["application/xml", "application/graphql", "text/html"] {
        let body = json!({ "query": "{ __typename }" }).to_string();
        let reply = post_raw(&app, Some(media_type), body.into_bytes(), &[]).await;
        assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{media_type}: {}", reply.body);
        assert_bad_user_input(&reply.body);
    }
}

// ---- request ids -------------------------------------------------------------------------------

#[tokio::test]
async fn every_response_carries_a_request_id_and_errors_repeat_it() {
    let app = spawn_app_with(&[("server.max_body_bytes", "1000")]).await;
    let query = json!({ "query": "{ __typename }" }).to_string().into_bytes();
    let unknown_field = json!({ "query": "{ noSuchField }" }).to_string().into_bytes();
    let mut seen = Vec::new();
    // A success, a GraphQL error, and errors before GraphQL (413, 400, 415).
    for (content_type, body, status, is_error) in [
        (Some("application/json"), query.clone(), StatusCode::OK, false),
        (Some("application/json"), unknown_field, StatusCode::OK, true),
        (Some("application/json"), padded_body("{ __typename }", 2000), StatusCode::PAYLOAD_TOO_LARGE, true),
        (Some("application/json"), b"[]".to_vec(), StatusCode::BAD_REQUEST, true),
        (Some("text/plain"), query.clone(), StatusCode::BAD_REQUEST, true),
        (None, query.clone(), StatusCode::UNSUPPORTED_MEDIA_TYPE, true),
    ] {
        let reply = post_raw(&app, content_type, body, &[]).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        let id = request_id(&reply.headers);
        if is_error {
            assert_eq!(reply.body["errors"][0]["extensions"]["requestId"], id.as_str(), "{}", reply.body);
        }
        seen.push(id);
    }
    // GET, GraphiQL, health and an unknown path carry one too.
    for path in ["/graphql?query=%7B__typename%7D", "/graphql", "/health", "/no-such-path"] {
        let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
        seen.push(request_id(response.headers()));
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "each response has its own id: {seen:?}");
}

#[tokio::test]
async fn a_valid_client_request_id_is_echoed_back() {
    let app = spawn_app().await;
    let longest = "a".repeat(64);
    for id in ["abc-123", "Trace_42", longest.as_str()] {
        let reply = post_raw(
            &app,
            Some("application/json"),
            json!({ "query": "{ noSuchField }" }).to_string().into_bytes(),
            &[("x-request-id", id)],
        )
        .await;
        assert_eq!(request_id(&reply.headers), id);
        assert_eq!(reply.body["errors"][0]["extensions"]["requestId"], id, "{}", reply.body);
    }
}

#[tokio::test]
async fn an_unusable_client_request_id_is_replaced_by_a_fresh_one() {
    let app = spawn_app().await;
    let too_long = "a".repeat(65);
    let far_too_long = "b".repeat(200);
    for id in [too_long.as_str(), far_too_long.as_str(), "with spaces", "tab\there", "line;break=1", "ünïcode"] {
        let reply = post_raw(
            &app,
            Some("application/json"),
            json!({ "query": "{ noSuchField }" }).to_string().into_bytes(),
            &[("x-request-id", id)],
        )
        .await;
        let fresh = request_id(&reply.headers);
        assert_ne!(fresh, id);
        assert!(!fresh.is_empty() && fresh.len() <= 64, "{fresh}");
        assert!(fresh.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{fresh}");
        assert_eq!(reply.body["errors"][0]["extensions"]["requestId"], fresh.as_str(), "{}", reply.body);
    }
}

// ---- suggestions and introspection -------------------------------------------------------------

#[tokio::test]
async fn a_misspelt_field_or_argument_gets_no_suggestion() {
    let app = spawn_app().await;
    for query in [
        "{ propositons { totalCount } }",
        "{ propositions { totalCont } }",
        "{ propositions(frist: 1) { totalCount } }",
        "{ organisation(slug: \"bibliotheek-zoetermeer\") { nme } }",
    ] {
        let body = app.anon(query, json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        for error in body["errors"].as_array().unwrap() {
            let message = error["message"].as_str().unwrap();
            assert!(!message.to_lowercase().contains("did you mean"), "{query}: {message}");
        }
    }
}

#[tokio::test]
async fn introspection_works_by_default() {
    let app = spawn_app().await;
    let body = app.anon("{ __schema { queryType { name } } }", json!({})).await;
    assert_eq!(data(&body)["__schema"]["queryType"]["name"], "QueryRoot");
}

#[tokio::test]
async fn introspection_is_refused_when_switched_off() {
    let app = spawn_app_with(&[("server.introspection", "false")]).await;
    for query in ["{ __schema { queryType { name } } }", "{ __type(name: \"Proposition\") { fields { name } } }"] {
        let body = app.anon(query, json!({})).await;
        // Nothing of the schema comes out ...
        let answer = &body["data"];
        assert!(answer.is_null() || (answer["__schema"].is_null() && answer["__type"].is_null()), "{body}");
        // ... and the client is told why, rather than getting a silent null.
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
    }
    // Data queries still work.
    let body = app.anon("{ organisation(slug: \"bibliotheek-zoetermeer\") { slug } }", json!({})).await;
    assert_eq!(data(&body)["organisation"]["slug"], ZOETERMEER);
}

#[tokio::test]
async fn graphiqls_full_introspection_query_passes_the_default_limits() {
    let app = spawn_app().await;
    let body = app.anon(INTROSPECTION_QUERY, json!({})).await;
    let types = data(&body)["__schema"]["types"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert!(types.iter().any(|t| t["name"] == "Proposition"), "{body}");
}

#[tokio::test]
async fn graphiqls_newer_fifteen_deep_introspection_query_passes_too() {
    let app = spawn_app().await;
    let deeper = INTROSPECTION_QUERY
        .replace("ofType { kind name }", "ofType { kind name ofType { kind name ofType { kind name } } }");
    assert_ne!(deeper, INTROSPECTION_QUERY);
    let body = app.anon(&deeper, json!({})).await;
    assert!(data(&body)["__schema"]["types"].as_array().is_some_and(|t| !t.is_empty()), "{body}");
}

#[tokio::test]
async fn data_next_to_introspection_gets_no_extra_depth() {
    let app = spawn_app().await;
    // Depth 13 in data, beside an introspection field: the introspection allowance must not apply.
    let query = format!("{{ __schema {{ queryType {{ name }} }} {} }}", deep_propositions(13));
    let body = app.anon(&query, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "maxDepth", "{body}");
}

// ---- request timeout ---------------------------------------------------------------------------

#[tokio::test]
async fn a_request_blocked_past_the_timeout_is_answered_503_and_writes_nothing() {
    let app = spawn_app_with(&[("server.request_timeout_secs", "1")]).await;
    let editor = app.editor(ZOETERMEER);
    let (id, version, title) = some_zoetermeer_proposition(&app, &editor).await;

    let lock = DatabaseLock::hold(&app).await;
    let started = Instant::now();
    let reply = update_title(&app, &editor, &id, version, "Geblokkeerd en niet opgeslagen").await;
    let took = started.elapsed();
    lock.release().await;

    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert_eq!(error_code(&reply.body), "SERVICE_UNAVAILABLE", "{}", reply.body);
    assert!(reply.headers.contains_key("retry-after"), "{:?}", reply.headers);
    assert_eq!(reply.body["errors"][0]["extensions"]["requestId"], request_id(&reply.headers).as_str());
    assert!(took >= Duration::from_millis(900), "it waited for the timeout: {took:?}");
    assert!(took < Duration::from_millis(2000), "answered within about the timeout: {took:?}");

    // Give a write still queued at the database every chance to land, then check it did not.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (_, stored_version, stored_title) = proposition(&app, &editor, &id).await;
    assert_eq!(stored_version, version, "the timed-out update was not saved");
    assert_eq!(stored_title, title);
}

#[tokio::test]
async fn a_timed_out_requests_statement_is_cancelled_with_it_not_left_to_the_statement_timeout() {
    // The statement timeout is far beyond the request's, so only the edge's cancel can end the
    // blocked statement while the lock is still held.
    let app = spawn_app_with(&[("server.request_timeout_secs", "1"), ("database.statement_timeout_secs", "120")]).await;
    let editor = app.editor(ZOETERMEER);
    let (id, version, title) = some_zoetermeer_proposition(&app, &editor).await;
    let postgres = !app.database_url.starts_with("sqlite:");
    let observer = crate::helpers::database(&app).await;

    let lock = DatabaseLock::hold(&app).await;
    let update = update_title(&app, &editor, &id, version, "Geblokkeerd");
    let watch = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if postgres { waiting_on_locks(&observer).await } else { 1 }
    };
    let (reply, waiting_before) = tokio::join!(update, watch);
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert_eq!(error_code(&reply.body), "SERVICE_UNAVAILABLE", "{}", reply.body);
    if postgres {
        assert!(waiting_before >= 1, "the update was blocked on the lock before its timeout");
        let answered = Instant::now();
        while waiting_on_locks(&observer).await > 0 {
            assert!(answered.elapsed() < Duration::from_secs(3), "the blocked statement outlived its request");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    lock.release().await;
    // SQLite cannot interrupt a wait for another writer's lock: its statement ends at busy_timeout.
    // On both, the update never lands.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, stored_version, stored_title) = proposition(&app, &editor, &id).await;
    assert_eq!((stored_version, stored_title), (version, title));
}

/// How many PostgreSQL statements of the test database wait for a lock.
async fn waiting_on_locks(db: &sea_orm::DatabaseConnection) -> i64 {
    let sql = "SELECT count(*) FROM pg_stat_activity \
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()";
    crate::helpers::pg_value(db, sql, []).await
}

#[tokio::test]
async fn with_the_pool_exhausted_requests_fail_fast_and_service_resumes_once_it_frees() {
    // One connection, taken by a write that waits for another writer's lock.
    let app = spawn_app_with(&[("database.max_connections", "1"), ("database.acquire_timeout_secs", "1")]).await;
    let editor = app.editor(ZOETERMEER);
    let (id, version, _) = some_zoetermeer_proposition(&app, &editor).await;
    let lock = DatabaseLock::hold(&app).await;
    let blocked = update_title(&app, &editor, &id, version, "Na de opstopping opgeslagen");
    let rest = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        // The first read waits out the acquire timeout...
        let started = Instant::now();
        let first = read_reply(&app).await;
        assert_eq!(first.status, StatusCode::SERVICE_UNAVAILABLE, "{}", first.body);
        assert!(started.elapsed() >= Duration::from_millis(900), "it waited for a connection: {:?}", started.elapsed());
        // ...the next ones are answered at once, with the same code and a Retry-After.
        for _ in 0..3 {
            let started = Instant::now();
            let reply = read_reply(&app).await;
            assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
            assert_eq!(error_code(&reply.body), "SERVICE_UNAVAILABLE", "{}", reply.body);
            assert!(reply.headers.contains_key("retry-after"), "{:?}", reply.headers);
            assert!(
                started.elapsed() < Duration::from_millis(300),
                "answered without waiting: {:?}",
                started.elapsed()
            );
        }
        lock.release().await;
        let released = Instant::now();
        loop {
            let reply = read_reply(&app).await;
            if reply.status == StatusCode::OK {
                break;
            }
            assert!(released.elapsed() < Duration::from_secs(4), "still refused after the pool freed: {}", reply.body);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let (write, ()) = tokio::join!(blocked, rest);
    assert_eq!(write.status, StatusCode::OK, "the waiting write went through: {}", write.body);
}

async fn read_reply(app: &TestApp) -> Reply {
    let body = json!({ "query": "{ propositions(first: 1) { totalCount } }" });
    into_reply(app.client.post(format!("{}/graphql", app.address)).json(&body).send().await.expect("answered")).await
}

#[tokio::test]
async fn the_registry_answers_normally_after_a_timed_out_request() {
    let app = spawn_app_with(&[("server.request_timeout_secs", "1")]).await;
    let editor = app.editor(ZOETERMEER);
    let (id, version, _) = some_zoetermeer_proposition(&app, &editor).await;

    let lock = DatabaseLock::hold(&app).await;
    let reply = update_title(&app, &editor, &id, version, "Geblokkeerd").await;
    lock.release().await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);

    // Reads and writes work again, on every connection the pool hands out.
    for _ in 0..3 {
        let body = app.anon("{ propositions(first: 5) { totalCount } }", json!({})).await;
        assert!(data(&body)["propositions"]["totalCount"].as_u64().unwrap() > 0);
    }
    let reply = update_title(&app, &editor, &id, version, "Na de storing opgeslagen").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let updated = &data(&reply.body)["updateProposition"]["proposition"];
    assert_eq!(updated["version"], version + 1, "{}", reply.body);
    let (_, stored_version, stored_title) = proposition(&app, &editor, &id).await;
    assert_eq!((stored_version, stored_title.as_str()), (version + 1, "Na de storing opgeslagen"));
}

#[tokio::test]
async fn a_write_that_waits_for_another_writer_goes_through_once_the_lock_is_released() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let (id, version, _) = some_zoetermeer_proposition(&app, &editor).await;

    // Another writer (a second registry process, `import-municipalities`, a migration) holds the
    // write lock for a moment; the registry's write should wait for it, as it would for a row lock.
    let lock = DatabaseLock::hold(&app).await;
    let release = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        lock.release().await;
    };
    let (reply, ()) = tokio::join!(update_title(&app, &editor, &id, version, "Na het wachten opgeslagen"), release);

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let updated = &data(&reply.body)["updateProposition"]["proposition"];
    assert_eq!(updated["version"], version + 1, "{}", reply.body);
    let (_, stored_version, stored_title) = proposition(&app, &editor, &id).await;
    assert_eq!((stored_version, stored_title.as_str()), (version + 1, "Na het wachten opgeslagen"));
}

// ---- helpers -----------------------------------------------------------------------------------

const CREATE: &str =
    "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id } } }";

/// A valid new proposition of Zoetermeer.
fn new_proposition(org_id: &str, title: &str) -> Value {
    json!({
        "organisationId": org_id,
        "title": title,
        "summary": "Een proposition die een geweigerd verzoek niet mag aanmaken.",
        "channel": "ON_SITE",
        "standardPropositionCode": "LEESCLUB",
        "targetGroupCodes": ["ADULTS"],
    })
}

/// How many propositions of Zoetermeer its editor sees (drafts and archive included).
async fn zoetermeer_count(app: &TestApp, editor: &str) -> u64 {
    let body = app
        .graphql(
            "query($s: String!) { organisation(slug: $s) { propositions { totalCount } } }",
            json!({ "s": ZOETERMEER }),
            Some(editor),
        )
        .await;
    data(&body)["organisation"]["propositions"]["totalCount"].as_u64().unwrap()
}

/// A proposition of Zoetermeer: id, version and title.
async fn some_zoetermeer_proposition(app: &TestApp, editor: &str) -> (String, i64, String) {
    let body = app
        .graphql(
            "query($s: String!) { organisation(slug: $s) { propositions(first: 1) { nodes { id version title } } } }",
            json!({ "s": ZOETERMEER }),
            Some(editor),
        )
        .await;
    let node = &data(&body)["organisation"]["propositions"]["nodes"][0];
    (
        node["id"].as_str().unwrap().to_string(),
        node["version"].as_i64().unwrap(),
        node["title"].as_str().unwrap().into(),
    )
}

/// A proposition as its editor sees it: id, version and title.
async fn proposition(app: &TestApp, editor: &str, id: &str) -> (String, i64, String) {
    let body = app
        .graphql("query($id: ID!) { proposition(id: $id) { id version title } }", json!({ "id": id }), Some(editor))
        .await;
    let node = &data(&body)["proposition"];
    (
        node["id"].as_str().unwrap().to_string(),
        node["version"].as_i64().unwrap(),
        node["title"].as_str().unwrap().into(),
    )
}

async fn update_title(app: &TestApp, editor: &str, id: &str, version: i64, title: &str) -> Reply {
    let body = json!({
        "query": "mutation($input: UpdatePropositionInput!) { updateProposition(input: $input) { proposition { id version title } } }",
        "variables": { "input": { "id": id, "expectedVersion": version, "title": title } },
    });
    post_raw(
        app,
        Some("application/json"),
        body.to_string().into_bytes(),
        &[("authorization", &format!("Bearer {editor}"))],
    )
    .await
}

/// A lock held from outside the registry that blocks its access to propositions: on PostgreSQL an
/// exclusive table lock (reads and writes wait), on SQLite the write lock (writes wait).
struct DatabaseLock {
    _connection: DatabaseConnection,
    transaction: DatabaseTransaction,
}

impl DatabaseLock {
    async fn hold(app: &TestApp) -> Self {
        let connection = crate::helpers::database(app).await;
        let transaction = connection.begin().await.expect("begin");
        if app.database_url.starts_with("sqlite:") {
            transaction
                .execute_unprepared("UPDATE proposition SET version = version")
                .await
                .expect("take the write lock");
        } else {
            transaction
                .execute_unprepared("LOCK TABLE proposition IN ACCESS EXCLUSIVE MODE")
                .await
                .expect("lock the table");
        }
        Self { _connection: connection, transaction }
    }

    async fn release(self) {
        self.transaction.rollback().await.expect("release the lock");
    }
}

/// A response: status, headers and the JSON body (null when it is not JSON).
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

async fn into_reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("read the body");
    Reply { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

/// POSTs bytes to `/graphql` with the given media type (none when `None`) and extra headers.
async fn post_raw(app: &TestApp, content_type: Option<&str>, body: Vec<u8>, headers: &[(&str, &str)]) -> Reply {
    let mut request = app.client.post(format!("{}/graphql", app.address)).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    into_reply(request.send().await.expect("request reaches the server")).await
}

/// GETs `/graphql` with the given query-string parameters.
async fn get(app: &TestApp, params: &[(&str, &str)], token: Option<&str>) -> Reply {
    let mut request = app.client.get(format!("{}/graphql", app.address)).query(params);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    into_reply(request.send().await.expect("request reaches the server")).await
}

/// A JSON request for `query`, padded with trailing whitespace to exactly `size` bytes.
fn padded_body(query: &str, size: usize) -> Vec<u8> {
    let mut body = json!({ "query": query }).to_string().into_bytes();
    assert!(body.len() <= size);
    body.resize(size, b' ');
    body
}

/// Sends a hand-written HTTP/1.1 request (`head` without the Host line and the final blank line)
/// over a plain socket; returns the status and the JSON body.
async fn raw_http(app: &TestApp, head: &str, body: Vec<u8>) -> (u16, Value) {
    let address = app.address.trim_start_matches("http://").to_string();
    let head = format!("{head}Host: {address}\r\nConnection: close\r\n\r\n");
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(head.as_bytes()).expect("send the head");
        // The server may answer and close before it has read everything.
        let _ = stream.write_all(&body);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).to_string();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status: {text}"));
        let json = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
        (status, serde_json::from_str(json).unwrap_or_else(|_| panic!("no JSON body: {text}")))
    })
    .await
    .unwrap()
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .unwrap_or_else(|| panic!("no x-request-id in {headers:?}"))
        .to_str()
        .unwrap()
        .to_string()
}

fn assert_bad_user_input(body: &Value) {
    assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
}

/// The introspection query GraphiQL sends (13 levels deep).
const INTROSPECTION_QUERY: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

// ---- the answer's shape ------------------------------------------------------------------------

#[tokio::test]
async fn an_objects_fields_are_answered_in_the_order_they_were_asked_for_not_sorted() {
    // Within an object whose fields are at hand, async-graphql keeps the selection's order; the
    // edge must pass it on. (Root fields that wait on the database arrive in the order they finish.)
    let app = spawn_app().await;
    let query = r#"{ organisation(slug: "bibliotheek-zoetermeer") { slug name description a: slug } }"#;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request reaches the server");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("{needle} missing from {text}"));
    let keys = [at("\"slug\""), at("\"name\""), at("\"description\""), at("\"a\"")];
    assert!(keys.is_sorted(), "asked for slug, name, description, a: {text}");
}

// ---- metrics -----------------------------------------------------------------------------------

#[tokio::test]
async fn the_public_listener_does_not_serve_metrics() {
    let app = spawn_app().await;
    data(&app.anon("{ propositions(first: 1) { totalCount } }", json!({})).await);
    let response = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
    assert!(!text.contains("registry_"), "no counter leaks: {text}");
    // The operators' listener has them.
    let text = metrics_text(&app).await;
    assert!(metric(&text, "registry_graphql_requests_total") >= 1, "{text}");
    assert!(metric(&text, "registry_answer_cache_misses_total") >= 1, "{text}");
}

#[tokio::test]
async fn metrics_are_served_on_loopback_by_default_and_can_be_switched_off() {
    let defaults = registry::settings::Settings::from_source(config::Environment::default().source(Some(
        std::collections::HashMap::from([("database.url".to_string(), "sqlite://unused.db".to_string())]),
    )))
    .expect("the defaults are valid");
    let address = defaults.server.metrics_address.0.expect("metrics are on by default");
    assert!(address.ip().is_loopback(), "{address}");
    assert_ne!(address.port(), defaults.server.port, "apart from the public port");

    let app = spawn_app_with(&[("server.metrics_address", "off")]).await;
    assert!(app.metrics_address.is_none(), "no metrics listener");
    let response = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn with_a_metrics_token_the_metrics_need_it() {
    const TOKEN: &str = "Kp3vWn8xQz2LmR5tYb7cHd9fJg4sNa6e";
    let app = spawn_app_with(&[("server.metrics_token", TOKEN)]).await;
    let url = format!("{}/metrics", app.metrics_address.as_ref().expect("a metrics listener"));
    // None, a wrong one, and the right one without the `Bearer` scheme.
    for authorization in [None, Some("Bearer wrong-token-of-thirty-two-bytes-long!!".to_string()), Some(TOKEN.into())] {
        let mut request = app.client.get(&url);
        if let Some(value) = &authorization {
            request = request.header("authorization", value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert!(!response.text().await.unwrap().contains("registry_"), "{authorization:?}");
    }
    let response = app.client.get(&url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("registry_sql_statements_total"));
    // A short token is refused at start-up.
    let refused = try_spawn_app_with(&[("server.metrics_token", "short")]).await.map(|_| ());
    let message = refused.expect_err("a short metrics token");
    assert!(message.contains("REGISTRY_SERVER__METRICS_TOKEN"), "{message}");
}
