//! The cost of lists (issue 13, item 3): every list of objects is counted by the most items it can
//! hold, so that nesting unpaged lists cannot slip past `maxComplexity`, and a caller's budget is
//! charged the objects its answers hold.

use registry::identity::Role;
use serde_json::{Value, json};

use crate::helpers::{Answer, data, error_code, post, spawn_app, spawn_app_with, user_token};

/// `organisation → branches → organisation → branches …`, `levels` lists of branches deep.
fn branch_chain(levels: usize) -> String {
    let mut inner = "name".to_string();
    for _ in 0..levels {
        inner = format!("organisation {{ name branches {{ name {inner} }} }}");
    }
    // The outermost organisation is looked up by slug.
    let inner = inner.trim_start_matches("organisation ");
    format!("{{ organisation(slug: \"bibliotheek-zoetermeer\") {inner} }}")
}

/// How many objects a value holds, itself included (what the test counts, not the server).
fn objects(value: &Value) -> u64 {
    match value {
        Value::Object(fields) => 1 + fields.values().map(objects).sum::<u64>(),
        Value::Array(items) => items.iter().map(objects).sum(),
        _ => 0,
    }
}

/// The objects an answer's `data` holds, not counting `data` itself.
fn answer_objects(answer: &Answer) -> u64 {
    objects(data(&answer.body)) - 1
}

fn number(answer: &Answer, header: &str) -> u64 {
    answer.header(header).parse().unwrap_or_else(|_| panic!("no number in {header}: {:?}", answer.headers))
}

/// The `query-cost` header: (estimate, objects).
fn query_cost(answer: &Answer) -> (u64, u64) {
    let header = answer.header("query-cost");
    let mut estimate = None;
    let mut objects = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("estimate", n)) => estimate = n.parse().ok(),
            Some(("objects", n)) => objects = n.parse().ok(),
            _ => {}
        }
    }
    (
        estimate.unwrap_or_else(|| panic!("no estimate in query-cost {header:?}")),
        objects.unwrap_or_else(|| panic!("no objects in query-cost {header:?}")),
    )
}

#[tokio::test]
async fn a_chain_of_branches_five_levels_deep_is_refused_by_max_complexity() {
    let app = spawn_app().await;
    // Two levels are a fair question, and answered.
    let body = app.anon(&branch_chain(2), json!({})).await;
    let branches = data(&body)["organisation"]["branches"].as_array().expect("branches");
    assert!(!branches.is_empty(), "{body}");
    // Five levels hold up to 100^5 branches: refused before anything runs.
    let body = app.anon(&branch_chain(5), json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "maxComplexity", "{body}");
    assert!(body["data"].is_null(), "{body}");
}

#[tokio::test]
async fn the_estimate_counts_each_list_by_its_bound_and_a_configured_limit_refuses_more() {
    // A library's branches are cut at 100: its organisation, then up to 100 branches.
    let app = spawn_app_with(&[("limits.max_complexity", "101")]).await;
    let org = "{ organisation(slug: \"bibliotheek-zoetermeer\") { name branches { name } } }";
    let answer = post(&app, org, json!({}), None, &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(query_cost(&answer).0, 1 + 100, "{:?}", answer.headers);
    // With each branch's municipality, up to 1 + 100 × 2.
    let org = "{ organisation(slug: \"bibliotheek-zoetermeer\") { name branches { name municipality { name } } } }";
    let answer = post(&app, org, json!({}), None, &[]).await;
    assert_eq!(answer.body["errors"][0]["extensions"]["limit"], "maxComplexity", "{}", answer.body);
    assert!(answer.body["errors"][0]["message"].as_str().unwrap().contains("complexity 201"), "{}", answer.body);
    // A page counts its `first`; the connection itself is one more object.
    let answer = post(&app, "{ propositions(first: 100) { nodes { title } } }", json!({}), None, &[]).await;
    assert_eq!(query_cost(&answer).0, 1 + 100, "{}", answer.body);
}

#[tokio::test]
async fn aliased_copies_are_each_charged_the_objects_they_return() {
    let app = spawn_app_with(&[("rate_limit.token_points", "6000")]).await;
    let copy = branch_chain(2);
    let copy = copy.trim_start_matches('{').trim_end_matches('}');
    let ten: String = (0..10).map(|i| format!("c{i}: {copy}")).collect::<Vec<_>>().join(" ");
    let (token, _) = user_token(&app, "aliases", Some("bibliotheek-zoetermeer"), Role::LibraryEditor);
    let answer = post(&app, &format!("{{ {ten} }}"), json!({}), Some(&token), &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let returned = answer_objects(&answer);
    assert!(returned > 100, "ten copies of two levels of branches: {returned} objects");
    assert_eq!(query_cost(&answer).1, returned, "the header names the objects returned");
    let charged = 6000 - number(&answer, "ratelimit-remaining");
    // One point for the request and one per object, less what refilled (100 a second) meanwhile.
    assert!(charged <= returned + 1, "charged {charged} for {returned} objects");
    assert!(charged + 20 >= returned, "charged {charged} for {returned} objects: each copy is paid for");
}

/// The benchmark's read requests (`bench/src/workload.rs`), with the demo's records.
fn benchmark_queries() -> Vec<(&'static str, String, Value)> {
    vec![
        (
            "propositionById",
            "query($id: ID!) { proposition(id: $id) { title organisation { name } standardProposition { code } \
             targetGroups { code } } }"
                .into(),
            Value::Null, // the id is looked up first
        ),
        (
            "page",
            "query($provinces: [String!], $channels: [Channel!]) { propositions(filter: { provinces: $provinces, \
             channels: $channels }, orderBy: { field: UPDATED_AT, direction: DESC }, first: 20) { edges { cursor \
             node { id title updatedAt organisation { name } } } } }"
                .into(),
            json!({ "provinces": ["Zuid-Holland"], "channels": ["ON_SITE"] }),
        ),
        (
            "organisationEvidence",
            "query($slug: String!) { organisation(slug: $slug) { name propositions(first: 10) { nodes { title \
             evidence { insights { statement evidenceStrength } studies { title } } } } } }"
                .into(),
            json!({ "slug": "bibliotheek-zoetermeer" }),
        ),
        (
            "whoOffers",
            r#"{ whoOffers(offering: { standardProposition: "TAALHUIS" }, region: { province: "Zuid-Holland" }) { providers { organisation { name } propositions { id title } branches { name } municipalities { name } } gaps { libraries { name } municipalities { name } } } }"#.into(),
            json!({}),
        ),
        (
            "coverage",
            "{ coverage(columns: STANDARD_PROPOSITION) { columns { code total } rows { organisation { slug } total \
             cells { column count propositionIds } } total } }"
                .into(),
            json!({}),
        ),
        (
            "search",
            r#"{ search(query: "ontmoeten ouderen", first: 20) { edges { node { kind title snippet score } } } }"#.into(),
            json!({}),
        ),
    ]
}

#[tokio::test]
async fn every_benchmark_query_is_charged_within_twice_the_objects_it_returns() {
    let app = spawn_app_with(&[("rate_limit.token_points", "6000")]).await;
    let first = app.anon("{ propositions(first: 1) { nodes { id } } }", json!({})).await;
    let id = data(&first)["propositions"]["nodes"][0]["id"].clone();
    for (name, query, variables) in benchmark_queries() {
        let variables = if variables.is_null() { json!({ "id": id }) } else { variables };
        // Each query spends the full budget of a caller of its own.
        let (token, _) =
            user_token(&app, &format!("bench-{name}"), Some("bibliotheek-zoetermeer"), Role::LibraryEditor);
        let answer = post(&app, &query, variables, Some(&token), &[]).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        let returned = answer_objects(&answer);
        assert!(returned > 0, "{name} returned nothing: {}", answer.body);
        let charged = 6000 - number(&answer, "ratelimit-remaining");
        assert!(
            charged + 20 >= returned && charged <= 2 * returned,
            "{name}: charged {charged} for {returned} objects (query-cost {:?})",
            answer.header("query-cost")
        );
    }
}

#[tokio::test]
async fn a_query_that_returns_less_than_its_estimate_gets_the_rest_of_its_reservation_back() {
    let app = spawn_app_with(&[("rate_limit.anonymous_points", "1000")]).await;
    // A page of 100 may hold 101 objects; the demo's first page of studies holds far fewer.
    let answer = post(&app, "{ studies(first: 100) { nodes { title } } }", json!({}), None, &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let (estimate, returned) = query_cost(&answer);
    assert_eq!(estimate, 101);
    assert_eq!(returned, answer_objects(&answer));
    assert!(returned < 20, "{}", answer.body);
    let remaining = number(&answer, "ratelimit-remaining");
    assert!(remaining >= 1000 - 1 - returned, "charged what it returned, not its estimate: {remaining} left");
}

#[tokio::test]
async fn a_list_past_its_hard_cap_is_cut_and_says_so_in_the_schema() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    // An insight of Zoetermeer's study with more quotes than an insight shows (20).
    let studies = app
        .graphql(
            "{ organisation(slug: \"bibliotheek-zoetermeer\") { studies(first: 1) { nodes { id } } } }",
            json!({}),
            Some(&editor),
        )
        .await;
    let study = data(&studies)["organisation"]["studies"]["nodes"][0]["id"].clone();
    let quotes: Vec<Value> = (1..=25).map(|i| json!({ "text": format!("Uitspraak {i}") })).collect();
    let created = app
        .graphql(
            "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id quotes { text } } } }",
            json!({ "input": { "studyId": study, "statement": "Veel gezegd", "quotes": quotes } }),
            Some(&editor),
        )
        .await;
    let shown = data(&created)["createInsight"]["insight"]["quotes"].as_array().expect("quotes").len();
    assert_eq!(shown, 20, "{created}");
    let sdl = app.anon("{ __type(name: \"Insight\") { fields { name description } } }", json!({})).await;
    let fields = data(&sdl)["__type"]["fields"].as_array().unwrap().clone();
    let quotes = fields.iter().find(|f| f["name"] == "quotes").expect("quotes field");
    assert!(quotes["description"].as_str().unwrap().contains("at most 20"), "{quotes}");
}
