//! SQL statements per request are bounded by the nesting depth of the query, not by the number of
//! rows: nested fields load through DataLoaders and batched statements. Counted through `/metrics`.

use serde_json::{Value, json};

use crate::helpers::{CREATE_PROPOSITION, counted, data, new_proposition, spawn_app, statements_so_far};

const NESTED: &str = r#"query($n: Int!) {
  organisations(filter: { kinds: [LIBRARY] }, first: $n) {
    nodes {
      name
      branches { name municipality { name province { name } } }
      propositions(first: 10) {
        totalCount
        nodes {
          title
          organisation { name }
          standardProposition { code societalTasks { code } }
          targetGroups { code }
          evidence { studies { title } insights { statement } }
        }
      }
    }
  }
}"#;

/// The most statements the nested query may cost: one or two per level of nesting.
const NESTED_BOUND: u64 = 30;

#[tokio::test]
async fn a_nested_query_costs_the_same_statements_however_many_rows_it_returns() {
    let app = spawn_app().await;
    let (all, before) = counted(&app, NESTED, json!({ "n": 100 }), None).await;
    let all = data(&all).clone();
    let orgs = all["organisations"]["nodes"].as_array().unwrap();
    assert_eq!(orgs.len(), 5, "the demo libraries");
    assert!(before <= NESTED_BOUND, "{before} statements for the demo libraries");

    // Ten more published propositions, each with a standard proposition and target groups.
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    for i in 0..10 {
        let body = app
            .graphql(
                r#"mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id version } } }"#,
                json!({ "input": {
                    "organisationId": org, "title": format!("Extra taalcafé {i}"), "summary": "Oefenen met Nederlands.",
                    "channel": "ON_SITE", "standardPropositionCode": "TAALHUIS", "targetGroupCodes": ["ADULTS"]
                } }),
                Some(&editor),
            )
            .await;
        let p = &data(&body)["createProposition"]["proposition"];
        let body = app
            .graphql(
                r#"mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }"#,
                json!({ "input": { "id": p["id"], "expectedVersion": p["version"] } }),
                Some(&editor),
            )
            .await;
        data(&body);
    }
    let (more, after) = counted(&app, NESTED, json!({ "n": 100 }), None).await;
    let more = data(&more).clone();
    let count = |d: &Value| -> usize {
        d["organisations"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["propositions"]["nodes"].as_array().unwrap().len())
            .sum()
    };
    assert!(count(&more) > count(&all), "the new propositions are in the answer");
    assert_eq!(after, before, "statements grew with the rows: {before} before, {after} after");
}

#[tokio::test]
async fn network_views_cost_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    // Each bound counts the answer cache's look at the change log.
    let cases = [
        (
            r#"{ coverage { total rows { organisation { name } total cells { column count propositionIds } } columns { code total } } }"#,
            7,
        ),
        (
            r#"{ whoOffers(offering: { standardProposition: "TAALHUIS" }) { providers { organisation { name } propositions { title standardProposition { code } } branches { name } municipalities { name } } gaps { libraries { name } municipalities { name } } } }"#,
            11,
        ),
        (
            r#"{ compare(organisations: ["bibliotheek-zoetermeer", "nieuwe-bibliotheek-almere", "dbieb"]) { groups { rows { offers { propositions { title evidence { studies { title } } } } } } } }"#,
            13,
        ),
        (r#"{ networkFigures { total byStandardProposition { key count } bySupportOrganisation { key count } } }"#, 13),
        (
            r#"{ search(query: "bibliotheek", first: 50) { totalCount edges { node { title record { __typename } } } } }"#,
            13,
        ),
        (
            r#"{ mappingSuggestions(first: 50) { nodes { proposition { title } candidates { standardProposition { code } } } } }"#,
            9,
        ),
    ];
    for (query, bound) in cases {
        let (body, n) = counted(&app, query, Value::Null, None).await;
        data(&body);
        assert!(n <= bound, "{n} statements (bound {bound}) for {query}");
    }
}

#[tokio::test]
async fn callers_that_miss_the_national_coverage_together_compute_it_once() {
    // Signed in, so that the answer cache (anonymous callers only) leaves the view cache to act.
    const COVERAGE: &str = "{ coverage { total columns { code total } } }";
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let (_, cold) = counted(&app, COVERAGE, Value::Null, Some(&editor)).await;
    let (first, warm) = counted(&app, COVERAGE, Value::Null, Some(&editor)).await;
    assert!(cold > warm, "a cold matrix costs more than the check of a cached one: {cold} and {warm}");

    // A change makes the cached matrix stale for everyone at once.
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let created =
        app.graphql(CREATE_PROPOSITION, new_proposition(&org, "Wandelclub langs de Dobbe"), Some(&editor)).await;
    let id = data(&created)["createProposition"]["proposition"]["id"].clone();
    let publish =
        "mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }";
    data(&app.graphql(publish, json!({ "input": { "id": id, "expectedVersion": 1 } }), Some(&editor)).await);

    let before = statements_so_far(&app).await;
    let answers = futures::future::join_all((0..10).map(|_| app.graphql(COVERAGE, Value::Null, Some(&editor)))).await;
    let spent = statements_so_far(&app).await - before;
    let total = data(&first)["coverage"]["total"].as_u64().unwrap();
    for body in &answers {
        assert_eq!(data(body)["coverage"]["total"], total + 1, "{body}");
    }
    assert_eq!(spent, 10 * warm + (cold - warm), "ten checks of the cache and one computation");
}

#[tokio::test]
async fn an_api_key_opens_a_request_with_one_statement() {
    // The key and its organisation load together; `lastUsedAt` is written at most once a minute.
    let app = spawn_app().await;
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let created = app
        .graphql(
            "mutation($o: ID!) { createApiKey(input: { organisation: $o, name: \"Site\", scopes: [] }) { key } }",
            json!({ "o": org }),
            Some(&app.maintainer()),
        )
        .await;
    let key = data(&created)["createApiKey"]["key"].as_str().unwrap().to_string();
    let ask = async || {
        let before = statements_so_far(&app).await;
        let body = app.graphql("{ __typename }", json!({}), Some(&key)).await;
        data(&body);
        statements_so_far(&app).await - before
    };
    assert_eq!(ask().await, 2, "first use: the key with its organisation, and lastUsedAt");
    assert_eq!(ask().await, 1, "later uses within the minute: the key with its organisation only");
}
