//! Propositions: reading, filtering, paging, writing, versioning, validation and history.

use serde_json::json;

use crate::helpers::{data, error_code, spawn_app};

#[tokio::test]
async fn zoetermeer_published_propositions_show_their_standard_and_target_groups() {
    let app = spawn_app().await;
    let body = app
        .anon(
            r#"query { organisation(slug: "bibliotheek-zoetermeer") {
                propositions(first: 50) { totalCount edges { node {
                    title publicationState standardProposition { code } targetGroups { code }
                } } } } }"#,
            json!({}),
        )
        .await;
    let props = &data(&body)["organisation"]["propositions"];
    let edges = props["edges"].as_array().unwrap();
    assert!(edges.len() >= 5, "{body}");
    assert_eq!(props["totalCount"].as_u64().unwrap() as usize, edges.len());
    assert!(edges.iter().all(|e| e["node"]["publicationState"] == "PUBLISHED"));
    assert!(edges.iter().any(|e| e["node"]["standardProposition"]["code"] == "BOEKSTART"));
    assert!(edges.iter().all(|e| !e["node"]["targetGroups"].as_array().unwrap().is_empty()));
}

#[tokio::test]
async fn first_outside_bounds_is_bad_user_input() {
    let app = spawn_app().await;
    for first in [0, 101] {
        let body = app.anon("query($f: Int) { propositions(first: $f) { totalCount } }", json!({ "f": first })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
}
