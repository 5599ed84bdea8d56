//! Anonymous visitors' pages kept while nothing changes: served again for one statement, made anew
//! after any change, never kept for or given to a signed-in person, and costing a visitor's rate
//! budget what they cost when made.

use serde_json::json;

use crate::helpers::{Browser, TestApp, data, metric, metrics_text, spawn_app, spawn_app_with, spawn_demo_app};
use crate::pages::{get, ok};

const LIBRARY: &str = "/bibliotheken/bibliotheek-zoetermeer";

async fn counters(app: &TestApp) -> (u64, u64) {
    let text = metrics_text(app).await;
    (metric(&text, "registry_page_cache_hits_total"), metric(&text, "registry_page_cache_misses_total"))
}

#[tokio::test]
async fn an_anonymous_visitors_page_is_kept_until_anything_changes() {
    let app = spawn_app().await;
    let (hits, misses) = counters(&app).await;
    let first = ok(&app, LIBRARY).await;
    let statements = crate::helpers::statements_so_far(&app).await;
    let second = ok(&app, LIBRARY).await;
    let spent = crate::helpers::statements_so_far(&app).await - statements;
    assert_eq!(counters(&app).await, (hits + 1, misses + 1));
    assert_eq!(first.main(), second.main());
    assert_eq!(spent, 1, "a kept page costs the change log's one statement");
    for name in ["content-type", "content-security-policy", "x-content-type-options", "referrer-policy"] {
        assert_eq!(first.header(name), second.header(name), "{name}");
    }
    // The English twin is a page of its own.
    let english = ok(&app, &format!("/en{LIBRARY}")).await;
    assert_eq!(english.attributes("html", "lang"), ["en"], "not the kept Dutch page");
    assert_eq!(counters(&app).await.1, misses + 2);
    assert_eq!(ok(&app, &format!("/en{LIBRARY}")).await.main(), english.main());
    assert_eq!(counters(&app).await, (hits + 2, misses + 2));

    // A change anywhere: the next visitor gets the page made anew, with the change.
    let editor = app.editor("bibliotheek-zoetermeer");
    let found = app
        .anon(
            r#"{ propositions(filter: { organisationSlugs: ["bibliotheek-zoetermeer"] }, first: 50) { nodes { id title version } } }"#,
            json!({}),
        )
        .await;
    let taalhuis = data(&found)["propositions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Taalhuis Zoetermeer")
        .cloned()
        .expect("the Taalhuis");
    let changed = app
        .graphql(
            "mutation($input: UpdatePropositionInput!) { updateProposition(input: $input) { proposition { title } } }",
            json!({ "input": { "id": taalhuis["id"], "expectedVersion": taalhuis["version"], "title": "Taalhuis Zoetermeer Centrum" } }),
            Some(&editor),
        )
        .await;
    data(&changed);
    let after = ok(&app, LIBRARY).await;
    assert!(after.main().contains("Taalhuis Zoetermeer Centrum"), "{}", after.main());
    assert_eq!(counters(&app).await.1, misses + 3, "made anew");

    // Only a plain 200 is kept: a missing page is asked again each time.
    assert_eq!(get(&app, "/bibliotheken/bestaat-niet").await.status, 404);
    assert_eq!(get(&app, "/bibliotheken/bestaat-niet").await.status, 404);
    assert_eq!(counters(&app).await.0, hits + 2, "no hits for a 404");
}

#[tokio::test]
async fn a_signed_in_person_never_gets_a_kept_page_nor_leaves_one() {
    let app = spawn_demo_app(&[]).await;
    const DRAFT: &str = "Activiteiten-strippenkaart voor ouderen";
    let mut sanne = Browser::new(&app);
    sanne.sign_in_as_demo("redacteur-zoetermeer").await;
    assert!(!ok(&app, LIBRARY).await.main().contains(DRAFT), "the public page has no draft");
    let before = counters(&app).await;

    let hers = sanne.get(LIBRARY).await;
    assert_eq!(hers.status, 200);
    assert!(hers.text().contains(DRAFT), "her own library's draft, not the kept public page");
    assert_eq!(counters(&app).await, before, "her page is neither served from nor put into the cache");

    let public = ok(&app, LIBRARY).await;
    assert!(!public.main().contains(DRAFT), "her page was not kept for the public");
    assert_eq!(counters(&app).await, (before.0 + 1, before.1), "the public page came from the cache");
}

/// How many times one address may fetch a page before its rate budget refuses it.
async fn fetches_within_budget(app: &TestApp) -> usize {
    for n in 0..500 {
        let page = get(app, LIBRARY).await;
        if page.status == 429 {
            return n;
        }
        assert_eq!(page.status, 200);
    }
    panic!("never refused")
}

#[tokio::test]
async fn a_kept_page_costs_the_rate_budget_what_it_cost_when_made() {
    // A budget that refills in an hour, so that the run's own time does not change the count.
    let budget = [("rate_limit.anonymous_points", "400"), ("rate_limit.window_secs", "3600")];
    let kept = spawn_app_with(&budget).await;
    let made = spawn_app_with(&[budget[0], budget[1], ("cache.pages_max_bytes", "0")]).await;
    let with_cache = fetches_within_budget(&kept).await;
    let without = fetches_within_budget(&made).await;
    assert!(with_cache > 1, "the page costs less than the budget");
    assert!(with_cache.abs_diff(without) <= 1, "kept {with_cache}, made each time {without}");
    assert!(counters(&kept).await.0 > 0, "the pages came from the cache");
}
