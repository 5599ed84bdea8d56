//! HTTP as browsers and clients expect it (issue 16): cross-origin calls from the origins the
//! registry names, compressed answers for clients that accept them, and liveness and readiness for operators.

use std::io::Read;

use reqwest::header::{ACCEPT_ENCODING, ORIGIN};
use serde_json::{Value, json};

use crate::helpers::{database, spawn_app, spawn_app_with};

const PARTNER: &str = "https://agenda.bibliotheek-zoetermeer.nl";

async fn preflight(app: &crate::helpers::TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
        .header(ORIGIN, origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type, authorization")
        .send()
        .await
        .expect("the preflight reaches the server")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_listed_origin_may_call_the_api_with_credentials_and_read_its_headers() {
    let app = spawn_app_with(&[(
        "server.cors_allowed_origins",
        "https://agenda.bibliotheek-zoetermeer.nl, http://localhost:3000",
    )])
    .await;
    let answer = preflight(&app, PARTNER).await;
    assert!(answer.status().is_success(), "{}", answer.status());
    assert_eq!(header(&answer, "access-control-allow-origin"), PARTNER);
    assert_eq!(header(&answer, "access-control-allow-credentials"), "true");
    assert!(header(&answer, "access-control-allow-methods").contains("POST"));
    let allowed = header(&answer, "access-control-allow-headers").to_ascii_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"), "{allowed}");

    let reply = app
        .client
        .post(format!("{}/graphql", app.address))
        .header(ORIGIN, PARTNER)
        .json(&json!({ "query": "{ provinces { code } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(header(&reply, "access-control-allow-origin"), PARTNER);
    let exposed = header(&reply, "access-control-expose-headers").to_ascii_lowercase();
    for name in ["ratelimit-remaining", "retry-after", "query-cost", "x-request-id"] {
        assert!(exposed.contains(name), "{name} is readable by the page: {exposed}");
    }
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["data"]["provinces"].as_array().unwrap().len(), 12);
}

#[tokio::test]
async fn other_origins_get_no_permission_and_by_default_none_has_it() {
    let app = spawn_app_with(&[("server.cors_allowed_origins", PARTNER)]).await;
    let answer = preflight(&app, "https://elders.example").await;
    assert_eq!(header(&answer, "access-control-allow-origin"), "", "an unlisted origin");
    let app = spawn_app().await;
    let answer = preflight(&app, PARTNER).await;
    assert_eq!(header(&answer, "access-control-allow-origin"), "", "no origin is listed by default");
    assert_ne!(answer.status(), 405, "a preflight is answered, not refused as a method");
}

#[tokio::test]
async fn an_origin_that_is_not_one_stops_start_up_naming_it() {
    let error = crate::helpers::try_spawn_app_with(&[("server.cors_allowed_origins", "*")]).await.err();
    let error = error.expect("a wildcard is refused");
    assert!(error.contains('*') && error.contains("origin"), "{error}");
}

async fn introspection(app: &crate::helpers::TestApp, encoding: &str) -> reqwest::Response {
    let query = "{ __schema { types { name fields { name description } } } }";
    app.client
        .post(format!("{}/graphql", app.address))
        .header(ACCEPT_ENCODING, encoding)
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn large_answers_are_compressed_as_the_client_accepts_and_small_ones_are_not() {
    let app = spawn_app().await;
    let plain = introspection(&app, "identity").await;
    assert_eq!(header(&plain, "content-encoding"), "");
    let plain = plain.bytes().await.unwrap();
    assert!(plain.len() > 40_000, "{} bytes", plain.len());

    let gzip = introspection(&app, "gzip").await;
    assert_eq!(header(&gzip, "content-encoding"), "gzip");
    let packed = gzip.bytes().await.unwrap();
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&packed[..]).read_to_end(&mut unpacked).unwrap();
    assert!(packed.len() * 4 < plain.len(), "gzip {} of {}", packed.len(), plain.len());
    assert_same_answer(&unpacked, &plain);

    let br = introspection(&app, "br;q=1.0, gzip;q=0.5").await;
    assert_eq!(header(&br, "content-encoding"), "br");
    let packed = br.bytes().await.unwrap();
    let mut unpacked = Vec::new();
    brotli_decompressor::Decompressor::new(&packed[..], 4096).read_to_end(&mut unpacked).unwrap();
    assert_same_answer(&unpacked, &plain);

    let small = app
        .client
        .post(format!("{}/graphql", app.address))
        .header(ACCEPT_ENCODING, "gzip, br")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&small, "content-encoding"), "", "a few bytes go as they are");
    // Pages are compressed too.
    let page = app.client.get(format!("{}/", app.address)).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
    assert_eq!(header(&page, "content-encoding"), "gzip");
}

fn assert_same_answer(unpacked: &[u8], plain: &[u8]) {
    let a: Value = serde_json::from_slice(unpacked).expect("the unpacked answer is JSON");
    let b: Value = serde_json::from_slice(plain).unwrap();
    assert_eq!(a, b);
}

// ---- operations: liveness and readiness --------------------------------------------------------

#[tokio::test]
async fn livez_and_readyz_answer_and_readyz_refuses_while_a_migration_of_this_build_is_not_applied() {
    use sea_orm::ConnectionTrait;

    let app = spawn_app().await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();
    let live = get("/livez").await.unwrap();
    assert_eq!(live.status(), 200);
    assert_eq!(live.json::<Value>().await.unwrap()["status"], "ok");
    let ready = get("/readyz").await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["status"], "ok");

    // As if this build's newest migration had not been run against the database yet.
    let db = database(&app).await;
    db.execute_unprepared(
        "DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)",
    )
    .await
    .unwrap();
    let unready = get("/readyz").await.unwrap();
    assert_eq!(unready.status(), 503);
    assert!(unready.headers().contains_key("retry-after"));
    let body = unready.json::<Value>().await.unwrap();
    assert_eq!(body["status"], "unavailable", "{body}");
    assert!(body["reason"].as_str().unwrap().starts_with("1 migration"), "{body}");
    // Alive all the same: nothing for an orchestrator to restart.
    assert_eq!(get("/livez").await.unwrap().status(), 200);
}
