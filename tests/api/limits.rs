//! Abuse limits: depth, complexity, aliases, directives, tokens and page size of every document,
//! each just under and just over (with the defaults, and with small configured limits), circular
//! fragments, and the cost-charged rate limit per caller.

use std::net::IpAddr;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, deep_propositions, error_code, metric, metrics_text, spawn_app, spawn_app_with};

// ---- depth -------------------------------------------------------------------------------------

#[tokio::test]
async fn a_query_twelve_levels_deep_is_served() {
    let app = spawn_app().await;
    let body = app.anon(&format!("{{ {} }}", deep_propositions(12)), json!({})).await;
    assert!(data(&body)["propositions"]["nodes"][0]["organisation"].is_object(), "{body}");
}

#[tokio::test]
async fn a_query_thirteen_levels_deep_is_refused_naming_max_depth() {
    let app = spawn_app().await;
    let body = app.anon(&format!("{{ {} }}", deep_propositions(13)), json!({})).await;
    assert_limit_error(&body, "maxDepth", 13, 12);
}

#[tokio::test]
async fn depth_spread_over_fragments_counts_in_full() {
    let app = spawn_app().await;
    // 4 + 4 + 5 levels through two fragments: 13 in all.
    let query = "{ propositions(first: 1) { nodes { organisation { propositions(first: 1) { ...Mid } } } } }
        fragment Mid on PropositionConnection { nodes { organisation { propositions(first: 1) { nodes { ...Leaf } } } } }
        fragment Leaf on Proposition { organisation { propositions(first: 1) { nodes { organisation { name } } } } }";
    let body = app.anon(query, json!({})).await;
    assert_limit_error(&body, "maxDepth", 13, 12);
}

#[tokio::test]
async fn a_configured_depth_is_allowed_and_one_more_is_refused() {
    let app = spawn_app_with(&[("limits.max_depth", "4")]).await;
    let body = app.anon(&format!("{{ {} }}", deep_propositions(4)), json!({})).await;
    assert!(data(&body)["propositions"]["nodes"][0]["organisation"]["name"].is_string(), "{body}");
    let body = app.anon(&format!("{{ {} }}", deep_propositions(5)), json!({})).await;
    assert_limit_error(&body, "maxDepth", 5, 4);
}

// ---- complexity --------------------------------------------------------------------------------

#[tokio::test]
async fn nested_lists_just_under_the_default_complexity_are_served() {
    let app = spawn_app().await;
    // 1 + 100 organisations × (2 + 80 propositions × (1 + 20 target groups + 1 + 100 branches)).
    let body = app.anon(&nested_lists(80), json!({})).await;
    let nodes = data(&body)["organisations"]["nodes"].as_array().unwrap();
    assert!(nodes.len() > 5, "{body}");
}

#[tokio::test]
async fn nested_lists_over_the_default_complexity_are_refused_naming_max_complexity() {
    let app = spawn_app().await;
    // 1 + 100 × (2 + 100 × 122): over a million objects.
    let body = app.anon(&nested_lists(100), json!({})).await;
    assert_limit_error(&body, "maxComplexity", 1_220_201, 1_000_000);
}

#[tokio::test]
async fn a_configured_complexity_is_allowed_and_one_point_more_is_refused() {
    let app = spawn_app_with(&[("limits.max_complexity", "100")]).await;
    // A page of 99 and its connection: 100 objects at most.
    let body = app.anon("{ propositions(first: 99) { nodes { id } } }", json!({})).await;
    assert!(!data(&body)["propositions"]["nodes"].as_array().unwrap().is_empty(), "{body}");
    let body = app
        .anon("{ propositions(first: 99) { nodes { id } } one: propositions(first: 1) { totalCount } }", json!({}))
        .await;
    assert_limit_error(&body, "maxComplexity", 101, 100);
}

#[tokio::test]
async fn a_huge_first_is_costed_as_the_largest_page_not_waved_through() {
    let app = spawn_app_with(&[("limits.max_complexity", "100")]).await;
    // A `first` beyond the page limit must not make the cost small (or overflow it).
    let body = app.anon("{ propositions(first: 2147483647) { nodes { id } } }", json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "maxComplexity", "{body}");
}

// ---- aliases -----------------------------------------------------------------------------------

#[tokio::test]
async fn thirty_aliases_are_served() {
    let app = spawn_app().await;
    let body = app.anon(&aliased(30), json!({})).await;
    assert_eq!(data(&body)["a29"], "QueryRoot", "{body}");
}

#[tokio::test]
async fn thirty_one_aliases_are_refused_naming_max_aliases() {
    let app = spawn_app().await;
    let body = app.anon(&aliased(31), json!({})).await;
    assert_limit_error(&body, "maxAliases", 31, 30);
}

#[tokio::test]
async fn a_hundred_and_one_aliases_are_refused() {
    let app = spawn_app().await;
    let body = app.anon(&aliased(101), json!({})).await;
    assert_limit_error(&body, "maxAliases", 101, 30);
}

#[tokio::test]
async fn aliases_inside_fragments_count_too() {
    let app = spawn_app_with(&[("limits.max_aliases", "3")]).await;
    let ok = "{ a: __typename ...F } fragment F on QueryRoot { b: __typename c: __typename }";
    let body = app.anon(ok, json!({})).await;
    assert_eq!(data(&body)["c"], "QueryRoot", "{body}");
    let over = "{ a: __typename ...F } fragment F on QueryRoot { b: __typename c: __typename d: __typename }";
    let body = app.anon(over, json!({})).await;
    assert_limit_error(&body, "maxAliases", 4, 3);
}

// ---- directives --------------------------------------------------------------------------------

#[tokio::test]
async fn fifty_directives_are_served() {
    let app = spawn_app().await;
    let body = app.anon(&with_directives(50), json!({})).await;
    assert_eq!(data(&body)["__typename"], "QueryRoot", "{body}");
}

#[tokio::test]
async fn fifty_one_directives_are_refused_naming_max_directives() {
    let app = spawn_app().await;
    let body = app.anon(&with_directives(51), json!({})).await;
    assert_limit_error(&body, "maxDirectives", 51, 50);
}

// ---- tokens ------------------------------------------------------------------------------------

#[tokio::test]
async fn a_document_of_two_thousand_tokens_is_served() {
    let app = spawn_app().await;
    let body = app.anon(&tokens(2000), json!({})).await;
    assert_eq!(data(&body)["__typename"], "QueryRoot", "{body}");
}

#[tokio::test]
async fn a_document_of_two_thousand_and_one_tokens_is_refused_naming_max_tokens() {
    let app = spawn_app().await;
    let body = app.anon(&tokens(2001), json!({})).await;
    assert_limit_error(&body, "maxTokens", 2001, 2000);
}

#[tokio::test]
async fn a_configured_token_limit_counts_tokens_not_comments_or_commas() {
    let app = spawn_app_with(&[("limits.max_tokens", "5")]).await;
    // `{ __typename __typename __typename }` is 5 tokens, however much is around them.
    let padded = format!("# {}\n{{ __typename,,, __typename\n\n __typename }}", "comment ".repeat(500));
    let body = app.anon(&padded, json!({})).await;
    assert_eq!(data(&body)["__typename"], "QueryRoot", "{body}");
    let body = app.anon("{ __typename __typename __typename __typename }", json!({})).await;
    assert_limit_error(&body, "maxTokens", 6, 5);
}

#[tokio::test]
async fn tokens_hidden_in_a_string_argument_count_once() {
    let app = spawn_app_with(&[("limits.max_tokens", "11")]).await;
    // `{ organisation ( slug : "…" ) { slug } }` is 11 tokens; the string's content is one.
    let query = r#"{ organisation(slug: "bibliotheek-zoetermeer { a b c d e f g h i j k l }") { slug } }"#;
    let body = app.anon(query, json!({})).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "it got past the token limit: {body}");
}

// ---- page size ---------------------------------------------------------------------------------

#[tokio::test]
async fn first_one_hundred_is_served() {
    let app = spawn_app().await;
    let body = app.anon("{ propositions(first: 100) { totalCount nodes { id } } }", json!({})).await;
    let propositions = &data(&body)["propositions"];
    let total = propositions["totalCount"].as_u64().unwrap() as usize;
    assert_eq!(propositions["nodes"].as_array().unwrap().len(), total.min(100), "{body}");
}

#[tokio::test]
async fn first_one_hundred_and_one_is_bad_user_input_at_the_top_and_nested() {
    let app = spawn_app().await;
    for query in [
        "{ propositions(first: 101) { totalCount } }",
        "{ organisation(slug: \"bibliotheek-zoetermeer\") { propositions(first: 101) { totalCount } } }",
        "{ organisations(first: 101) { totalCount } }",
    ] {
        let body = app.anon(query, json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "first", "{query}: {body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("100"), "the message names the limit: {message}");
    }
}

// ---- circular fragments ------------------------------------------------------------------------

#[tokio::test]
async fn circular_fragments_are_a_clean_validation_error_and_the_server_answers_on() {
    let app = spawn_app().await;
    for query in [
        "{ propositions(first: 1) { nodes { ...A } } }
         fragment A on Proposition { id ...B } fragment B on Proposition { title ...A }",
        "{ propositions(first: 1) { nodes { ...A } } } fragment A on Proposition { id ...A }",
        "{ propositions(first: 1) { nodes { organisation { ...O } } } }
         fragment O on Organisation { propositions(first: 1) { nodes { ...P } } }
         fragment P on Proposition { organisation { ...O } }",
    ] {
        let body = app.anon(query, json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert!(body["data"].is_null(), "{body}");
        let next = app.anon("{ organisation(slug: \"bibliotheek-zoetermeer\") { slug } }", json!({})).await;
        assert_eq!(data(&next)["organisation"]["slug"], "bibliotheek-zoetermeer");
    }
}

// ---- rate limits -------------------------------------------------------------------------------

/// A small anonymous budget: three queries of cost 100 (each request also costs 1 point).
const SMALL_BUDGET: [(&str, &str); 2] = [("rate_limit.anonymous_points", "303"), ("rate_limit.token_points", "1000")];
/// 100 objects: the common model's 20 target groups, five times.
const COSTS_100: &str = "{ a: targetGroups { code } b: targetGroups { code } c: targetGroups { code } \
                         d: targetGroups { code } e: targetGroups { code } }";
/// 10 objects: the five core functions, twice.
const COSTS_10: &str = "{ a: coreFunctions { code } b: coreFunctions { code } }";

#[tokio::test]
async fn every_graphql_response_carries_the_ratelimit_headers() {
    let app = spawn_app_with(&SMALL_BUDGET).await;
    let replies = [
        post(&app.client, &app, COSTS_10, None).await,
        post(&app.client, &app, "{ noSuchField }", None).await,
        post(&app.client, &app, &aliased(31), None).await,
        post(&app.client, &app, "{ propositions(first: 101) { totalCount } }", None).await,
    ];
    let get = app.client.get(format!("{}/graphql", app.address)).query(&[("query", COSTS_10)]).send().await.unwrap();
    assert_eq!(get.status(), StatusCode::OK);
    for headers in replies.iter().map(|r| &r.headers).chain([get.headers()]) {
        assert_eq!(header(headers, "ratelimit-limit"), "303", "{headers:?}");
        assert_eq!(header(headers, "ratelimit-policy"), "303;w=60", "{headers:?}");
        let remaining: u64 = header(headers, "ratelimit-remaining").parse().unwrap();
        assert!(remaining <= 303, "{headers:?}");
        let reset: u64 = header(headers, "ratelimit-reset").parse().unwrap();
        assert!(reset <= 60, "{headers:?}");
    }
}

#[tokio::test]
async fn a_query_is_charged_its_complexity() {
    let app = spawn_app_with(&SMALL_BUDGET).await;
    let first = post(&app.client, &app, COSTS_10, None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let after_10 = remaining(&first.headers);
    assert!((291..=293).contains(&after_10), "303 less 1 + 10: {after_10}");
    let second = post(&app.client, &app, COSTS_100, None).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let after_100 = remaining(&second.headers);
    let spent = after_10 as i64 - after_100 as i64;
    assert!((96..=101).contains(&spent), "charged 1 + 100 (less a little refill): {spent}");
    let reset: u64 = header(&second.headers, "ratelimit-reset").parse().unwrap();
    assert!(reset >= 20, "110 points take 22 s to refill at 5 a second: {reset}");
}

#[tokio::test]
async fn over_the_budget_a_query_is_refused_429_rate_limited_with_retry_after() {
    let app = spawn_app_with(&SMALL_BUDGET).await;
    let refused = exhaust(&app.client, &app, None).await;
    assert_eq!(error_code(&refused.body), "RATE_LIMITED", "{}", refused.body);
    assert!(refused.body["data"].is_null(), "the refused query did not run: {}", refused.body);
    let retry_after: u64 = header(&refused.headers, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(header(&refused.headers, "ratelimit-limit"), "303");
    assert!(remaining(&refused.headers) < 100, "{:?}", refused.headers);
    assert_eq!(refused.body["errors"][0]["extensions"]["requestId"], header(&refused.headers, "x-request-id"));
    // A cheaper query is refused too while the bucket is nearly empty.
    let again = post(&app.client, &app, COSTS_10, None).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS, "{}", again.body);
}

#[tokio::test]
async fn the_anonymous_budget_is_per_ip_address() {
    let app = spawn_app_with(&SMALL_BUDGET).await;
    exhaust(&app.client, &app, None).await;
    let other_address = reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("a client on another loopback address");
    let reply = post(&other_address, &app, COSTS_100, None).await;
    assert_eq!(reply.status, StatusCode::OK, "another address has its own budget: {}", reply.body);
    assert_eq!(data(&reply.body)["a"].as_array().unwrap().len(), 20);
    assert!((201..=203).contains(&remaining(&reply.headers)), "303 less 1 + 100: {:?}", reply.headers);
    // And the first address is still refused.
    let reply = post(&app.client, &app, COSTS_10, None).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{}", reply.body);
}

/// A client whose requests arrive as if a proxy had forwarded them for `forwarded_for`.
fn forwarded_for(forwarded_for: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", forwarded_for.parse().unwrap());
    reqwest::Client::builder().default_headers(headers).build().expect("a client")
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_address_has_its_own_budget() {
    let mut settings = SMALL_BUDGET.to_vec();
    settings.push(("server.trusted_proxies", "10.0.0.0/8, 127.0.0.1"));
    let app = spawn_app_with(&settings).await;
    exhaust(&forwarded_for("203.0.113.7"), &app, None).await;

    let reply = post(&forwarded_for("203.0.113.8"), &app, COSTS_100, None).await;
    assert_eq!(reply.status, StatusCode::OK, "another client behind the proxy: {}", reply.body);
    assert!((201..=203).contains(&remaining(&reply.headers)), "a fresh budget: {:?}", reply.headers);
    // What a client writes into the header itself sits left of what the proxy appended.
    let forged = post(&forwarded_for("203.0.113.9, 203.0.113.7"), &app, COSTS_10, None).await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS, "charged to 203.0.113.7: {}", forged.body);
    // A chain of trusted proxies is walked to the first address that is not one.
    let chained = post(&forwarded_for("203.0.113.7, 10.1.2.3"), &app, COSTS_10, None).await;
    assert_eq!(chained.status, StatusCode::TOO_MANY_REQUESTS, "charged to 203.0.113.7: {}", chained.body);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_addresses_of_one_ipv6_64_share_a_budget() {
    let mut settings = SMALL_BUDGET.to_vec();
    settings.push(("server.trusted_proxies", "127.0.0.1"));
    let app = spawn_app_with(&settings).await;
    exhaust(&forwarded_for("2001:db8:1:2::1"), &app, None).await;

    // Every address of a /64 belongs to one subscriber: a fresh address there buys no fresh budget.
    for same_64 in ["2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:fffe", "[2001:db8:1:2:abcd::7]:4711"] {
        let reply = post(&forwarded_for(same_64), &app, COSTS_10, None).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{same_64} shares the budget: {}", reply.body);
    }
    // The next /64 is another subscriber, with a budget of its own.
    let reply = post(&forwarded_for("2001:db8:1:3::1"), &app, COSTS_100, None).await;
    assert_eq!(reply.status, StatusCode::OK, "another /64: {}", reply.body);
    assert!((201..=203).contains(&remaining(&reply.headers)), "a fresh budget: {:?}", reply.headers);
}

#[tokio::test]
async fn a_spray_of_addresses_holds_at_most_max_buckets_and_an_emptied_budget_stays_empty() {
    let mut settings = SMALL_BUDGET.to_vec();
    settings.extend([("server.trusted_proxies", "127.0.0.1"), ("rate_limit.max_buckets", "50")]);
    let app = spawn_app_with(&settings).await;
    exhaust(&forwarded_for("2001:db8:1:2::1"), &app, None).await;

    // 200 callers, each from a /64 or an IPv4 address of its own, each spending a point or two.
    for i in 0..200u32 {
        let address =
            if i % 2 == 0 { format!("2001:db8:2:{i:x}::1") } else { format!("198.51.{}.{}", i / 250, i % 250) };
        let reply = post(&forwarded_for(&address), &app, "{ __typename }", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{address}: {}", reply.body);
    }
    let buckets = metric(&metrics_text(&app).await, "registry_rate_limit_buckets");
    assert!((1..=50).contains(&buckets), "at most max_buckets are held: {buckets}");
    // The buckets forgotten to make room were those closest to full, not the emptied one: it is
    // refused, or has refilled only the little the time since allowed (a fresh one holds 303).
    let reply = post(&forwarded_for("2001:db8:1:2::1"), &app, COSTS_10, None).await;
    let spent = reply.status == StatusCode::TOO_MANY_REQUESTS || remaining(&reply.headers) < 150;
    assert!(spent, "still spent: {:?} {}", reply.headers, reply.body);
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_for_header_buys_no_fresh_budget() {
    let app = spawn_app_with(&SMALL_BUDGET).await;
    exhaust(&forwarded_for("203.0.113.7"), &app, None).await;
    let reply = post(&forwarded_for("203.0.113.8"), &app, COSTS_10, None).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "the peer address is the caller: {}", reply.body);
}

#[tokio::test]
async fn a_signed_in_user_has_a_budget_of_their_own() {
    let app = spawn_app_with(&SMALL_BUDGET).await;
    exhaust(&app.client, &app, None).await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let reply = post(&app.client, &app, COSTS_100, Some(&editor)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(data(&reply.body)["e"].as_array().unwrap().len(), 20);
    assert_eq!(header(&reply.headers, "ratelimit-limit"), "1000");
    assert!((899..=901).contains(&remaining(&reply.headers)), "{:?}", reply.headers);
    // Another user of the same address has a budget of their own too.
    let other = app.editor("nieuwe-bibliotheek-almere");
    let reply = post(&app.client, &app, COSTS_10, Some(&other)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!((989..=991).contains(&remaining(&reply.headers)), "{:?}", reply.headers);
}

#[tokio::test]
async fn each_api_key_has_a_budget_of_its_own_sized_by_api_key_points() {
    let settings = [
        ("rate_limit.anonymous_points", "1000"),
        ("rate_limit.token_points", "1000"),
        ("rate_limit.api_key_points", "303"),
    ];
    let app = spawn_app_with(&settings).await;
    let organisation = app.organisation_id("bibliotheek-zoetermeer").await;
    let mut keys = Vec::new();
    for name in ["Website", "Agenda"] {
        let body = app
            .graphql(
                "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }",
                json!({ "input": { "organisation": organisation, "name": name, "scopes": ["READ_PUBLISHED"] } }),
                Some(&app.maintainer()),
            )
            .await;
        keys.push(data(&body)["createApiKey"]["key"].as_str().expect("a key").to_string());
    }
    let refused = exhaust(&app.client, &app, Some(&keys[0])).await;
    assert_eq!(error_code(&refused.body), "RATE_LIMITED", "{}", refused.body);
    assert_eq!(header(&refused.headers, "ratelimit-limit"), "303");
    // The other key of the same organisation, from the same address, has its full budget.
    let reply = post(&app.client, &app, COSTS_100, Some(&keys[1])).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(header(&reply.headers, "ratelimit-limit"), "303");
    assert!((201..=203).contains(&remaining(&reply.headers)), "303 less 1 + 100: {:?}", reply.headers);
    // And the address itself, without a key, is not charged for the 505 points the keys spent (only
    // for its own lookup of the organisation's id, a few points, and this query).
    let anonymous = post(&app.client, &app, COSTS_100, None).await;
    assert_eq!(anonymous.status, StatusCode::OK, "{}", anonymous.body);
    assert!((890..=901).contains(&remaining(&anonymous.headers)), "{:?}", anonymous.headers);
}

// ---- helpers -----------------------------------------------------------------------------------

/// Asserts a document was refused for one of its limits: `BAD_USER_INPUT`, `extensions.limit`, and a
/// message naming the document's measure and the limit.
fn assert_limit_error(body: &Value, limit_name: &str, measured: usize, limit: usize) {
    assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["limit"], limit_name, "{body}");
    let message = error["message"].as_str().unwrap();
    let numbers: Vec<&str> = message.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
    assert!(numbers.contains(&measured.to_string().as_str()), "names {measured}: {message}");
    assert!(numbers.contains(&limit.to_string().as_str()), "names {limit}: {message}");
    assert!(body["data"].is_null(), "nothing of it ran: {body}");
}

/// A hundred organisations, each with a page of `first` propositions, each with its target
/// groups (20 in the common model) and its organisation's branches (at most 100).
fn nested_lists(first: u32) -> String {
    format!(
        "{{ organisations(first: 100) {{ nodes {{ propositions(first: {first}) {{ nodes {{ targetGroups {{ code }} \
         organisation {{ branches {{ name }} }} }} }} }} }} }}"
    )
}

/// `{ a0: __typename a1: __typename … }` with `n` aliases.
fn aliased(n: usize) -> String {
    format!("{{ {} }}", (0..n).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" "))
}

/// `{ __typename @include(if: true) … }` with `n` directives.
fn with_directives(n: usize) -> String {
    format!("{{ {} }}", vec!["__typename @include(if: true)"; n].join(" "))
}

/// `{ __typename __typename … }` of exactly `n` tokens.
fn tokens(n: usize) -> String {
    format!("{{ {} }}", vec!["__typename"; n - 2].join(" "))
}

/// A response: status, headers and JSON body.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

async fn post(client: &reqwest::Client, app: &TestApp, query: &str, token: Option<&str>) -> Reply {
    let mut request = client.post(format!("{}/graphql", app.address)).json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.expect("JSON");
    Reply { status, headers, body }
}

/// Spends the budget of 303 with queries of cost 1 + 100; returns the first refusal (HTTP 429).
async fn exhaust(client: &reqwest::Client, app: &TestApp, token: Option<&str>) -> Reply {
    for sent in 1..=6 {
        let reply = post(client, app, COSTS_100, token).await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            // Three fit; a fourth may start on the points refilled meanwhile and leave a debt, and
            // the one after it is refused.
            assert!((4..=5).contains(&sent), "three queries of 1 + 100 fit a budget of 303, not {sent}");
            return reply;
        }
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        data(&reply.body);
    }
    panic!("six queries of cost 1 + 100 were never refused on a budget of 303");
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("no {name} in {headers:?}")).to_str().unwrap()
}

fn remaining(headers: &HeaderMap) -> u64 {
    header(headers, "ratelimit-remaining").parse().unwrap()
}
