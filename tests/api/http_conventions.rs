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
    assert!(allowed.contains("if-none-match"), "a page may revalidate a GET answer itself: {allowed}");

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
    for name in ["ratelimit-remaining", "retry-after", "query-cost", "x-request-id", "etag"] {
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
    db.execute_unprepared("DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)")
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

// ---- HTTP caching of GET queries ---------------------------------------------------------------

const LIBRARY_NAME: &str = "{ organisation(slug: \"bibliotheek-zoetermeer\") { name } }";

async fn get_query(
    app: &crate::helpers::TestApp,
    if_none_match: Option<&str>,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = app.client.get(format!("{}/graphql", app.address)).query(&[("query", LIBRARY_NAME)]);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn an_anonymous_get_query_is_revalidated_by_its_etag_until_the_data_changes() {
    let app = spawn_app().await;
    let first = get_query(&app, None, None).await;
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_string();
    assert!(tag.starts_with("W/\"") && tag.ends_with('"'), "a weak entity tag: {tag}");
    assert_eq!(first.headers()["cache-control"], "public, max-age=0, must-revalidate");

    // The same state of the data: 304, no body, the query not run (no objects charged).
    let again = get_query(&app, Some(&tag), None).await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), tag);
    assert_eq!(again.headers()["cache-control"], "public, max-age=0, must-revalidate");
    assert!(again.headers()["query-cost"].to_str().unwrap().ends_with("objects=0"), "{:?}", again.headers());
    assert!(again.bytes().await.unwrap().is_empty());
    // A list of tags and `*` are understood too.
    assert_eq!(get_query(&app, Some(&format!("W/\"0-x\", {tag}")), None).await.status(), 304);
    assert_eq!(get_query(&app, Some("*"), None).await.status(), 304);

    // Anything changes (here a library's draft, which the public never sees): the tag no longer holds.
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let created = app
        .graphql(
            crate::helpers::CREATE_PROPOSITION,
            crate::helpers::new_proposition(&org, "Een nieuw concept"),
            Some(&app.editor("bibliotheek-zoetermeer")),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let after = get_query(&app, Some(&tag), None).await;
    assert_eq!(after.status(), 200);
    let new_tag = after.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(new_tag, tag);
    assert_eq!(after.json::<Value>().await.unwrap()["data"]["organisation"]["name"], "Bibliotheek Zoetermeer");
}

#[tokio::test]
async fn signed_in_answers_posts_and_errors_are_never_kept() {
    let app = spawn_app().await;
    let anonymous_tag = get_query(&app, None, None).await.headers()["etag"].to_str().unwrap().to_string();

    // Signed in: no tag, never stored, and an anonymous tag earns no 304.
    let editor = app.editor("bibliotheek-zoetermeer");
    let signed_in = get_query(&app, Some(&anonymous_tag), Some(&editor)).await;
    assert_eq!(signed_in.status(), 200);
    assert!(!signed_in.headers().contains_key("etag"));
    assert_eq!(signed_in.headers()["cache-control"], "private, no-store");

    // POST: no tag.
    let posted = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": LIBRARY_NAME }))
        .send()
        .await
        .unwrap();
    assert!(!posted.headers().contains_key("etag"));
    assert_eq!(posted.headers()["cache-control"], "private, no-store");

    // An answer with errors: no tag.
    let failing = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ organisation(slug: \"no-such-library\") { name } }")])
        .send()
        .await
        .unwrap();
    assert!(!failing.headers().contains_key("etag"), "{:?}", failing.headers());
    assert_eq!(failing.headers()["cache-control"], "private, no-store");
}
