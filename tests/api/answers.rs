//! The cache of anonymous answers: an answer is reused while nothing has changed, never crosses
//! from a signed-in caller to the public or back, never keeps an error, and can be turned off.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{
    CREATE_PROPOSITION, TestApp, counted, data, database, error_code, metric, metrics_text, new_proposition, spawn_app,
    spawn_app_with, statements_so_far,
};

const LIBRARY: &str = "bibliotheek-zoetermeer";

const OFFER: &str = "query($slug: String!) { organisation(slug: $slug) { \
     propositions(first: 100) { totalCount nodes { id title } } } }";

const PROPOSITION: &str = "query($id: ID!) { proposition(id: $id) { title } }";

const PUBLISH: &str =
    "mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }";

fn titles(body: &Value) -> Vec<String> {
    data(body)["organisation"]["propositions"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no propositions: {body}"))
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

/// A draft of the library's, which only its own people may see; returns its id.
async fn draft(app: &TestApp, title: &str) -> Value {
    let org = app.organisation_id(LIBRARY).await;
    let body = app.graphql(CREATE_PROPOSITION, new_proposition(&org, title), Some(&app.editor(LIBRARY))).await;
    data(&body)["createProposition"]["proposition"]["id"].clone()
}

#[tokio::test]
async fn an_anonymous_answer_is_reused_until_something_changes() {
    let app = spawn_app().await;
    let slug = json!({ "slug": LIBRARY });
    let (first, cold) = counted(&app, OFFER, slug.clone(), None).await;
    let (again, warm) = counted(&app, OFFER, slug.clone(), None).await;
    assert_eq!(again, first, "the same answer");
    assert_eq!(warm, 1, "a reused answer costs only the look at the change log (cold: {cold})");
    assert!(cold > warm, "{cold} statements for the first answer");

    // Other variables are another answer.
    let (other, cost) = counted(&app, OFFER, json!({ "slug": "dbieb" }), None).await;
    assert_ne!(titles(&other), titles(&first));
    assert!(cost > 1, "{cost} statements for another library");

    // A change is seen by the next anonymous caller.
    let id = draft(&app, "Voorleesochtend in de Dobbe").await;
    let publish = json!({ "input": { "id": id, "expectedVersion": 1 } });
    data(&app.graphql(PUBLISH, publish, Some(&app.editor(LIBRARY))).await);
    let (after, cost) = counted(&app, OFFER, slug, None).await;
    assert!(titles(&after).contains(&"Voorleesochtend in de Dobbe".to_string()), "{after}");
    assert_eq!(cost, cold, "the changed answer is computed again");
}

#[tokio::test]
async fn answers_never_cross_between_signed_in_callers_and_the_public() {
    let app = spawn_app().await;
    let editor = app.editor(LIBRARY);
    let id = draft(&app, "Conceptaanbod dat nog niemand mag zien").await;
    let variables = json!({ "id": id });

    // The editor asks first: the public must not get the editor's answer.
    let own = app.graphql(PROPOSITION, variables.clone(), Some(&editor)).await;
    assert_eq!(data(&own)["proposition"]["title"], "Conceptaanbod dat nog niemand mag zien");
    assert_eq!(error_code(&app.anon(PROPOSITION, variables.clone()).await), "NOT_FOUND");
    // The public asks first, and its answer is stored: it leaves the draft out, the editor's has it.
    let slug = json!({ "slug": LIBRARY });
    let public = titles(&app.anon(OFFER, slug.clone()).await);
    assert!(!public.iter().any(|t| t.starts_with("Conceptaanbod")), "{public:?}");
    let editors = titles(&app.graphql(OFFER, slug.clone(), Some(&editor)).await);
    assert!(editors.iter().any(|t| t.starts_with("Conceptaanbod")), "{editors:?}");
    assert_eq!(titles(&app.anon(OFFER, slug).await), public);
}

#[tokio::test]
async fn an_answer_with_errors_is_never_reused() {
    let app = spawn_app().await;
    let id = draft(&app, "Nog niet gepubliceerd").await;
    let request_id = |body: &Value| body["errors"][0]["extensions"]["requestId"].as_str().unwrap().to_string();
    let (first, cold) = counted(&app, PROPOSITION, json!({ "id": id }), None).await;
    let (second, again) = counted(&app, PROPOSITION, json!({ "id": id }), None).await;
    assert_eq!((error_code(&first), error_code(&second)), ("NOT_FOUND".into(), "NOT_FOUND".into()));
    assert_ne!(request_id(&first), request_id(&second), "each caller gets its own error");
    assert_eq!(again, cold, "the failing request ran again");
}

#[tokio::test]
async fn callers_that_miss_together_wait_for_one_computation() {
    let app = spawn_app().await;
    let slug = json!({ "slug": LIBRARY });
    let (first, cold) = counted(&app, OFFER, slug.clone(), None).await;
    let before = statements_so_far(&app).await;
    let answers = futures::future::join_all((0..10).map(|_| app.anon(OFFER, slug.clone()))).await;
    let spent = statements_so_far(&app).await - before;
    assert!(answers.iter().all(|a| *a == first));
    assert_eq!(spent, 10, "ten looks at the change log");

    let id = draft(&app, "Taalcafé op zaterdag").await;
    data(
        &app.graphql(PUBLISH, json!({ "input": { "id": id, "expectedVersion": 1 } }), Some(&app.editor(LIBRARY))).await,
    );
    let before = statements_so_far(&app).await;
    let answers = futures::future::join_all((0..10).map(|_| app.anon(OFFER, slug.clone()))).await;
    let spent = statements_so_far(&app).await - before;
    assert!(answers.iter().all(|a| titles(a).contains(&"Taalcafé op zaterdag".to_string())));
    assert_eq!(spent, 10 + (cold - 1), "ten looks at the change log and one computation");
}

#[tokio::test]
async fn the_cache_can_be_turned_off() {
    let app = spawn_app_with(&[("cache.answers_max_bytes", "0")]).await;
    let slug = json!({ "slug": LIBRARY });
    let (first, cold) = counted(&app, OFFER, slug.clone(), None).await;
    let (again, warm) = counted(&app, OFFER, slug, None).await;
    assert_eq!(again, first);
    assert_eq!(warm, cold, "every request is computed");
}

#[tokio::test]
async fn an_answer_is_used_no_longer_than_its_lifetime() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    const LIFETIME: Duration = Duration::from_secs(3);
    let app = spawn_app_with(&[("cache.answers_lifetime_secs", "3")]).await;
    let db = database(&app).await;
    let slug = json!({ "slug": LIBRARY });
    let before = titles(&app.anon(OFFER, slug.clone()).await);
    let stored = Instant::now();
    // A change the change log does not show, as when a change commits after a later one: only
    // the lifetime ends the stored answer.
    entity::proposition::Entity::update_many()
        .col_expr(entity::proposition::Column::Title, Expr::value("Stil gewijzigde titel"))
        .filter(entity::proposition::Column::Title.eq(before[0].clone()))
        .exec(&db)
        .await
        .expect("change a title behind the registry's back");
    let meanwhile = titles(&app.anon(OFFER, slug.clone()).await);
    assert!(stored.elapsed() < LIFETIME, "the machine was too slow to see the stored answer within its lifetime");
    assert_eq!(meanwhile, before, "still the stored answer");
    tokio::time::sleep(LIFETIME.saturating_sub(stored.elapsed()) + Duration::from_millis(200)).await;
    let after = titles(&app.anon(OFFER, slug).await);
    assert!(after.contains(&"Stil gewijzigde titel".to_string()), "{after:?}");
}

#[tokio::test]
async fn operators_see_how_many_answers_came_from_the_cache() {
    let app = spawn_app().await;
    let before = metrics_text(&app).await;
    for _ in 0..3 {
        data(&app.anon(OFFER, json!({ "slug": LIBRARY })).await);
    }
    data(&app.graphql(OFFER, json!({ "slug": LIBRARY }), Some(&app.editor(LIBRARY))).await);
    let after = metrics_text(&app).await;
    let delta = |name: &str| metric(&after, name) - metric(&before, name);
    assert_eq!(delta("registry_answer_cache_misses_total"), 1, "{after}");
    assert_eq!(delta("registry_answer_cache_hits_total"), 2, "the signed-in request is not counted: {after}");
}
