//! Propositions: reading, filtering, paging, writing, versioning, validation and history.

use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app};

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

// ---- helpers -----------------------------------------------------------------------------------

/// The fields the tests read back from a proposition.
const FIELDS: &str = "id title summary version publicationState publishedAt isLocal lifecycle channel startDate endDate \
    schedule url deviationNote cost { kind priceCents note } contact { name email phone } \
    standardProposition { code status } coreFunction { code } societalTasks { code } targetGroups { code } \
    branches { name } organisation { slug }";

const ZOETERMEER: &str = "bibliotheek-zoetermeer";

/// The `extensions.field` of the first error, or panics with the body.
fn error_field(body: &Value) -> String {
    body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error naming a field, got {body}"))
        .to_string()
}

fn assert_bad_input(body: &Value, field: &str) {
    assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
    assert_eq!(error_field(body), field, "{body}");
}

/// A valid proposition of Zoetermeer, mapped onto LEESCLUB.
fn valid_input(org_id: &str) -> Value {
    json!({
        "organisationId": org_id,
        "title": "Engelse leesclub",
        "summary": "Eens per maand samen een Engelse roman bespreken.",
        "channel": "ON_SITE",
        "standardPropositionCode": "LEESCLUB",
        "targetGroupCodes": ["ADULTS"],
    })
}

/// `base` with the fields of `changes` set (a null value sets null, it does not remove).
fn with(base: &Value, changes: Value) -> Value {
    let mut v = base.clone();
    for (k, val) in changes.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

/// `base` without the given fields.
fn without(base: &Value, fields: &[&str]) -> Value {
    let mut v = base.clone();
    for f in fields {
        v.as_object_mut().unwrap().remove(*f);
    }
    v
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql(
        &format!(
            "mutation($input: CreatePropositionInput!) {{ createProposition(input: $input) {{ proposition {{ {FIELDS} }} }} }}"
        ),
        json!({ "input": input }),
        Some(token),
    )
    .await
}

async fn update(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql(
        &format!(
            "mutation($input: UpdatePropositionInput!) {{ updateProposition(input: $input) {{ proposition {{ {FIELDS} }} }} }}"
        ),
        json!({ "input": input }),
        Some(token),
    )
    .await
}

/// Runs `publishProposition`, `unpublishProposition` or `archiveProposition`.
async fn transition(app: &TestApp, token: &str, mutation: &str, id: &str, version: i64) -> Value {
    app.graphql(
        &format!(
            "mutation($input: PropositionStateInput!) {{ {mutation}(input: $input) {{ proposition {{ {FIELDS} }} }} }}"
        ),
        json!({ "input": { "id": id, "expectedVersion": version } }),
        Some(token),
    )
    .await
}

/// Creates a valid proposition and returns it.
async fn create_ok(app: &TestApp, token: &str, input: Value) -> Value {
    let body = create(app, token, input).await;
    data(&body)["createProposition"]["proposition"].clone()
}

/// A proposition as the given caller sees it.
async fn read(app: &TestApp, token: Option<&str>, id: &str) -> Value {
    app.graphql(&format!("query($id: ID!) {{ proposition(id: $id) {{ {FIELDS} }} }}"), json!({ "id": id }), token).await
}

/// How many propositions of Zoetermeer its editor sees (drafts and archive included).
async fn zoetermeer_count(app: &TestApp, token: &str) -> u64 {
    let body = app
        .graphql(
            "query($s: String!) { organisation(slug: $s) { propositions { totalCount } } }",
            json!({ "s": ZOETERMEER }),
            Some(token),
        )
        .await;
    data(&body)["organisation"]["propositions"]["totalCount"].as_u64().unwrap()
}

/// The id of a proposition by title, as an anonymous caller finds it (published ones only).
async fn id_by_title(app: &TestApp, token: Option<&str>, title: &str) -> String {
    let body = app.graphql("query { propositions(first: 100) { nodes { id title } } }", json!({}), token).await;
    data(&body)["propositions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == title)
        .unwrap_or_else(|| panic!("no proposition titled {title}: {body}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

// ---- creating, updating and versioning ---------------------------------------------------------

#[tokio::test]
async fn an_editor_creates_a_draft_at_version_1_and_updates_it_with_the_expected_version() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;

    let p = create_ok(&app, &editor, valid_input(&org)).await;
    assert_eq!(p["publicationState"], "DRAFT", "{p}");
    assert_eq!(p["version"], 1);
    assert_eq!(p["publishedAt"], Value::Null);
    assert_eq!(p["isLocal"], false);
    assert_eq!(p["standardProposition"]["code"], "LEESCLUB");
    assert_eq!(p["coreFunction"]["code"], "READING_LITERATURE", "the core function comes from the standard");
    assert_eq!(p["organisation"]["slug"], ZOETERMEER);
    assert_eq!(p["lifecycle"], "REGULAR", "REGULAR when left out");
    assert_eq!(p["cost"]["kind"], "FREE", "FREE when left out");
    assert_eq!(p["targetGroups"], json!([{ "code": "ADULTS" }]));
    let id = p["id"].as_str().unwrap();

    // A draft is hidden from the public.
    assert_eq!(error_code(&read(&app, None, id).await), "NOT_FOUND");

    let body = update(&app, &editor, json!({ "id": id, "expectedVersion": 1, "title": "Engelse leesclub (B2)" })).await;
    let p = &data(&body)["updateProposition"]["proposition"];
    assert_eq!(p["version"], 2, "{body}");
    assert_eq!(p["title"], "Engelse leesclub (B2)");
    assert_eq!(p["summary"], "Eens per maand samen een Engelse roman bespreken.", "untouched fields stay");

    // A stale version is a conflict, and nothing is written.
    let body = update(&app, &editor, json!({ "id": id, "expectedVersion": 1, "title": "Overwritten" })).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let body = read(&app, Some(&editor), id).await;
    let p = &data(&body)["proposition"];
    assert_eq!(p["version"], 2, "{body}");
    assert_eq!(p["title"], "Engelse leesclub (B2)");

    // A version from the future is just as stale.
    let body = update(&app, &editor, json!({ "id": id, "expectedVersion": 3, "title": "Overwritten" })).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
}

#[tokio::test]
async fn publication_moves_between_draft_published_and_archived() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let p = create_ok(&app, &editor, valid_input(&org)).await;
    let id = p["id"].as_str().unwrap().to_string();

    // A draft cannot be unpublished.
    let body = transition(&app, &editor, "unpublishProposition", &id, 1).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    let body = transition(&app, &editor, "publishProposition", &id, 1).await;
    let p = &data(&body)["publishProposition"]["proposition"];
    assert_eq!(p["publicationState"], "PUBLISHED", "{body}");
    assert_eq!(p["version"], 2);
    assert!(p["publishedAt"].is_string(), "{body}");
    // Now everyone sees it.
    assert_eq!(data(&read(&app, None, &id).await)["proposition"]["publicationState"], "PUBLISHED");

    // Publishing twice is a conflict; so is a stale version.
    let body = transition(&app, &editor, "publishProposition", &id, 2).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let body = transition(&app, &editor, "unpublishProposition", &id, 1).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    let body = transition(&app, &editor, "unpublishProposition", &id, 2).await;
    let p = &data(&body)["unpublishProposition"]["proposition"];
    assert_eq!(p["publicationState"], "DRAFT", "{body}");
    assert_eq!(p["version"], 3);
    assert_eq!(error_code(&read(&app, None, &id).await), "NOT_FOUND");

    let body = transition(&app, &editor, "archiveProposition", &id, 3).await;
    let p = &data(&body)["archiveProposition"]["proposition"];
    assert_eq!(p["publicationState"], "ARCHIVED", "{body}");
    assert_eq!(p["version"], 4);

    // Archiving twice and unpublishing an archived proposition are conflicts.
    for mutation in ["archiveProposition", "unpublishProposition"] {
        let body = transition(&app, &editor, mutation, &id, 4).await;
        assert_eq!(error_code(&body), "CONFLICT", "{mutation}: {body}");
    }
    let body = read(&app, Some(&editor), &id).await;
    assert_eq!(data(&body)["proposition"]["version"], 4, "refused transitions write nothing: {body}");

    // An archived proposition can be published again.
    let body = transition(&app, &editor, "publishProposition", &id, 4).await;
    let p = &data(&body)["publishProposition"]["proposition"];
    assert_eq!(p["publicationState"], "PUBLISHED", "{body}");
    assert_eq!(p["version"], 5);
}

#[tokio::test]
async fn invalid_input_names_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let almere_branch = {
        let body = app
            .anon(r#"query { organisation(slug: "nieuwe-bibliotheek-almere") { branches { id } } }"#, json!({}))
            .await;
        data(&body)["organisation"]["branches"][0]["id"].as_str().unwrap().to_string()
    };
    let before = zoetermeer_count(&app, &editor).await;
    let base = valid_input(&org);
    let local = with(&without(&base, &["standardPropositionCode"]), json!({ "coreFunctionCode": "MEETING_DEBATE" }));

    let cases: Vec<(&str, Value, &str)> = vec![
        ("empty title", with(&base, json!({ "title": "" })), "title"),
        ("blank title", with(&base, json!({ "title": "   " })), "title"),
        ("title of 201 characters", with(&base, json!({ "title": "x".repeat(201) })), "title"),
        ("summary of 501 characters", with(&base, json!({ "summary": "x".repeat(501) })), "summary"),
        ("end before start", with(&base, json!({ "startDate": "2026-05-01", "endDate": "2026-04-30" })), "endDate"),
        ("url without scheme", with(&base, json!({ "url": "www.bibliotheek.nl" })), "url"),
        ("ftp url", with(&base, json!({ "url": "ftp://bibliotheek.nl/x" })), "url"),
        ("javascript url", with(&base, json!({ "url": "javascript:alert(1)" })), "url"),
        ("email without @", with(&base, json!({ "contactEmail": "info.bibliotheek.nl" })), "contactEmail"),
        ("email without domain dot", with(&base, json!({ "contactEmail": "info@localhost" })), "contactEmail"),
        (
            "unknown standard proposition",
            with(&base, json!({ "standardPropositionCode": "NOPE" })),
            "standardPropositionCode",
        ),
        (
            "unknown target group",
            with(&base, json!({ "targetGroupCodes": ["ADULTS", "MARTIANS"] })),
            "targetGroupCodes",
        ),
        ("local without core function", without(&base, &["standardPropositionCode"]), "coreFunctionCode"),
        (
            "societal task with a standard proposition",
            with(&base, json!({ "societalTaskCode": "GELETTERDE_SAMENLEVING" })),
            "societalTaskCode",
        ),
        (
            "core function with a standard proposition",
            with(&base, json!({ "coreFunctionCode": "READING_LITERATURE" })),
            "coreFunctionCode",
        ),
        ("unknown core function", with(&local, json!({ "coreFunctionCode": "NOPE" })), "coreFunctionCode"),
        ("unknown societal task", with(&local, json!({ "societalTaskCode": "NOPE" })), "societalTaskCode"),
        ("deviation note on a local proposition", with(&local, json!({ "deviationNote": "anders" })), "deviationNote"),
        ("paid without price", with(&base, json!({ "costKind": "PAID" })), "priceCents"),
        ("paid with zero price", with(&base, json!({ "costKind": "PAID", "priceCents": 0 })), "priceCents"),
        ("price above the maximum", with(&base, json!({ "costKind": "PAID", "priceCents": 1_000_001 })), "priceCents"),
        ("verified in the future", with(&base, json!({ "verifiedAt": "2999-01-01T00:00:00Z" })), "verifiedAt"),
        ("control character in the title", with(&base, json!({ "title": "Lees\u{7}club" })), "title"),
        ("free with price", with(&base, json!({ "costKind": "FREE", "priceCents": 500 })), "priceCents"),
        ("price without cost kind (free)", with(&base, json!({ "priceCents": 500 })), "priceCents"),
        ("another library's branch", with(&base, json!({ "branchIds": [almere_branch] })), "branchIds"),
        ("garbage branch id", with(&base, json!({ "branchIds": ["garbage"] })), "branchIds"),
        ("organisation id as branch id", with(&base, json!({ "branchIds": [org] })), "branchIds"),
        ("garbage partner id", with(&base, json!({ "partnerOrganisationIds": ["%%%"] })), "partnerOrganisationIds"),
        ("own library as partner", with(&base, json!({ "partnerOrganisationIds": [org] })), "partnerOrganisationIds"),
        ("garbage organisation id", with(&base, json!({ "organisationId": "garbage" })), "organisationId"),
    ];
    for (case, input, field) in cases {
        let body = create(&app, &editor, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{case}: {body}");
        assert_eq!(error_field(&body), field, "{case}: {body}");
        assert!(body["data"].is_null(), "{case}: {body}");
    }
    assert_eq!(zoetermeer_count(&app, &editor).await, before, "rejected creates must write nothing");

    // The same rules hold on update, where the record as it would be is checked; nothing is written.
    let p = create_ok(&app, &editor, with(&base, json!({ "startDate": "2026-05-01" }))).await;
    let id = p["id"].as_str().unwrap().to_string();
    let updates: Vec<(&str, Value, &str)> = vec![
        ("empty title", json!({ "title": "" }), "title"),
        ("end before the stored start", json!({ "endDate": "2026-04-01" }), "endDate"),
        ("bad url", json!({ "url": "not a url" }), "url"),
        ("bad email", json!({ "contactEmail": "@" }), "contactEmail"),
        ("made local without core function", json!({ "standardPropositionCode": null }), "coreFunctionCode"),
        ("paid without price", json!({ "costKind": "PAID" }), "priceCents"),
        ("unknown target group", json!({ "targetGroupCodes": ["NOPE"] }), "targetGroupCodes"),
        ("another library's branch", json!({ "branchIds": [almere_branch] }), "branchIds"),
    ];
    for (case, changes, field) in updates {
        let input = with(&json!({ "id": id, "expectedVersion": 1 }), changes);
        let body = update(&app, &editor, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{case}: {body}");
        assert_eq!(error_field(&body), field, "{case}: {body}");
    }
    let body = read(&app, Some(&editor), &id).await;
    let p = &data(&body)["proposition"];
    assert_eq!(p["version"], 1, "rejected updates must write nothing: {body}");
    assert_eq!(p["title"], "Engelse leesclub");
    assert_eq!(p["standardProposition"]["code"], "LEESCLUB");
    assert_eq!(p["branches"], json!([]));
    let body = update(&app, &editor, json!({ "id": "garbage", "expectedVersion": 1, "title": "x" })).await;
    assert_bad_input(&body, "id");
}

#[tokio::test]
async fn a_local_proposition_carries_its_own_core_function_and_societal_task() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let branch = {
        let body = app
            .anon(r#"query { organisation(slug: "bibliotheek-zoetermeer") { branches { id name } } }"#, json!({}))
            .await;
        data(&body)["organisation"]["branches"][0].clone()
    };
    let input = json!({
        "organisationId": org,
        "title": "Repair Café",
        "summary": "Samen spullen repareren.",
        "channel": "ON_SITE",
        "coreFunctionCode": "MEETING_DEBATE",
        "societalTaskCode": "LEVEN_LANG_ONTWIKKELEN",
        "targetGroupCodes": ["ALL_RESIDENTS"],
        "costKind": "PAID",
        "priceCents": 250,
        "branchIds": [branch["id"]],
    });
    let p = create_ok(&app, &editor, input).await;
    assert_eq!(p["isLocal"], true, "{p}");
    assert_eq!(p["standardProposition"], Value::Null);
    assert_eq!(p["coreFunction"]["code"], "MEETING_DEBATE");
    assert_eq!(p["societalTasks"], json!([{ "code": "LEVEN_LANG_ONTWIKKELEN" }]));
    assert_eq!(p["cost"], json!({ "kind": "PAID", "priceCents": 250, "note": null }));
    assert_eq!(p["branches"], json!([{ "name": branch["name"] }]));

    // Mapping it onto a standard proposition takes the core function and tasks from the standard.
    let body = update(
        &app,
        &editor,
        json!({
            "id": p["id"], "expectedVersion": 1, "standardPropositionCode": "SENIOR_MEETING",
            "coreFunctionCode": null, "societalTaskCode": null,
        }),
    )
    .await;
    let p = &data(&body)["updateProposition"]["proposition"];
    assert_eq!(p["isLocal"], false, "{body}");
    assert_eq!(p["standardProposition"]["code"], "SENIOR_MEETING");
    assert_eq!(p["coreFunction"]["code"], "MEETING_DEBATE");
    assert_eq!(p["societalTasks"], json!([{ "code": "LEVEN_LANG_ONTWIKKELEN" }]));
}

#[tokio::test]
async fn a_retired_standard_proposition_cannot_be_chosen_but_existing_mappings_stay() {
    let app = spawn_app().await;
    let maintainer = app.maintainer();
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;

    let body = app.anon(r#"query { standardProposition(code: "LEESCLUB") { id version } }"#, json!({})).await;
    let sp = data(&body)["standardProposition"].clone();
    let body = app
        .graphql(
            "mutation($input: RetireStandardPropositionInput!) { retireStandardProposition(input: $input) { standardProposition { status } } }",
            json!({ "input": { "id": sp["id"], "expectedVersion": sp["version"], "note": "Opgegaan in ontmoeting" } }),
            Some(&maintainer),
        )
        .await;
    assert_eq!(data(&body)["retireStandardProposition"]["standardProposition"]["status"], "RETIRED");

    let before = zoetermeer_count(&app, &editor).await;
    let body = create(&app, &editor, valid_input(&org)).await;
    assert_bad_input(&body, "standardPropositionCode");
    assert_eq!(zoetermeer_count(&app, &editor).await, before);

    // Zoetermeer's reading club keeps its mapping and can still be edited.
    let id = id_by_title(&app, None, "Leesclubs in de bibliotheek").await;
    let version = data(&read(&app, None, &id).await)["proposition"]["version"].as_i64().unwrap();
    let body =
        update(&app, &editor, json!({ "id": id, "expectedVersion": version, "schedule": "Elke eerste maandag" })).await;
    let p = &data(&body)["updateProposition"]["proposition"];
    assert_eq!(p["standardProposition"], json!({ "code": "LEESCLUB", "status": "RETIRED" }), "{body}");
    assert_eq!(p["schedule"], "Elke eerste maandag");

    // Moving another proposition onto it is refused.
    let other = id_by_title(&app, None, "Taalhuis Zoetermeer").await;
    let version = data(&read(&app, None, &other).await)["proposition"]["version"].as_i64().unwrap();
    let body = update(
        &app,
        &editor,
        json!({ "id": other, "expectedVersion": version, "standardPropositionCode": "LEESCLUB" }),
    )
    .await;
    assert_bad_input(&body, "standardPropositionCode");
}

#[tokio::test]
async fn history_lists_publish_update_and_create_newest_first_with_before_and_after() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let p = create_ok(&app, &editor, valid_input(&org)).await;
    let id = p["id"].as_str().unwrap().to_string();
    let body = update(
        &app,
        &editor,
        json!({ "id": id, "expectedVersion": 1, "title": "Engelse leesclub (B2)", "schedule": "Maandelijks", "targetGroupCodes": ["ADULTS", "SENIORS"] }),
    )
    .await;
    data(&body);
    let body = transition(&app, &editor, "publishProposition", &id, 2).await;
    data(&body);

    let query = "query($id: ID!) { proposition(id: $id) { history { totalCount edges { cursor node {
        action version actorRole actorSubject actorOrganisation { slug } occurredAt changes { field before after }
    } } } } }";
    let body = app.graphql(query, json!({ "id": id }), Some(&editor)).await;
    let history = &data(&body)["proposition"]["history"];
    assert_eq!(history["totalCount"], 3, "{body}");
    let entries: Vec<&Value> = history["edges"].as_array().unwrap().iter().map(|e| &e["node"]).collect();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["PUBLISH", "UPDATE", "CREATE"], "{body}");
    let versions: Vec<i64> = entries.iter().map(|e| e["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [3, 2, 1]);
    for e in &entries {
        assert_eq!(e["actorRole"], "LIBRARY_EDITOR", "{e}");
        assert_eq!(e["actorOrganisation"]["slug"], ZOETERMEER, "{e}");
        assert_eq!(e["actorSubject"], "user-of-bibliotheek-zoetermeer", "{e}");
    }
    let times: Vec<_> = entries.iter().map(|e| instant(e["occurredAt"].as_str().unwrap())).collect();
    assert!(times[0] >= times[1] && times[1] >= times[2], "newest first: {times:?}");

    let change = |entry: &Value, field: &str| -> Value {
        entry["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == field)
            .cloned()
            .unwrap_or_else(|| panic!("no change of {field} in {entry}"))
    };
    let fields = |entry: &Value| -> Vec<String> {
        let mut f: Vec<String> =
            entry["changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap().to_string()).collect();
        f.sort();
        f
    };

    // PUBLISH: the state and the publication time.
    assert_eq!(fields(entries[0]), ["publicationState", "publishedAt"], "{}", entries[0]);
    let state = change(entries[0], "publicationState");
    assert_eq!((&state["before"], &state["after"]), (&json!("DRAFT"), &json!("PUBLISHED")));
    assert_eq!(change(entries[0], "publishedAt")["before"], Value::Null);

    // UPDATE: exactly the changed fields, with their old and new values.
    assert_eq!(fields(entries[1]), ["schedule", "targetGroupIds", "title"], "{}", entries[1]);
    let groups = change(entries[1], "targetGroupIds");
    assert_eq!(groups["before"].as_array().unwrap().len(), 1, "links are logged as internal ids: {groups}");
    assert_eq!(groups["after"].as_array().unwrap().len(), 2, "{groups}");
    let title = change(entries[1], "title");
    assert_eq!((&title["before"], &title["after"]), (&json!("Engelse leesclub"), &json!("Engelse leesclub (B2)")));
    let schedule = change(entries[1], "schedule");
    assert_eq!((&schedule["before"], &schedule["after"]), (&Value::Null, &json!("Maandelijks")));

    // CREATE: every set field, from nothing.
    let title = change(entries[2], "title");
    assert_eq!((&title["before"], &title["after"]), (&Value::Null, &json!("Engelse leesclub")));
    assert_eq!(change(entries[2], "publicationState")["after"], "DRAFT");
    assert!(entries[2]["changes"].as_array().unwrap().iter().all(|c| c["before"].is_null()), "{}", entries[2]);
    assert!(!fields(entries[2]).iter().any(|f| f == "version" || f == "updatedAt"), "bookkeeping is left out");

    // Paging the history: one at a time, newest first.
    let body = app
        .graphql(
            "query($id: ID!, $after: String) { proposition(id: $id) { history(first: 1, after: $after) {
                pageInfo { hasNextPage endCursor } nodes { action } } } }",
            json!({ "id": id, "after": history["edges"][0]["cursor"] }),
            Some(&editor),
        )
        .await;
    let page = &data(&body)["proposition"]["history"];
    assert_eq!(page["nodes"], json!([{ "action": "UPDATE" }]), "{body}");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);

    // Anonymous callers see the (now published) history without the user.
    let body = app.anon(query, json!({ "id": id })).await;
    let entries = data(&body)["proposition"]["history"]["edges"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 3, "{body}");
    assert!(entries.iter().all(|e| e["node"]["actorSubject"].is_null()), "{body}");
}

#[tokio::test]
async fn null_clears_an_optional_field_on_update_while_an_absent_field_is_left_alone() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let input = with(
        &valid_input(&org),
        json!({
            "url": "https://www.bibliotheek-zoetermeer.nl/leesclub",
            "schedule": "Elke eerste maandag",
            "contactEmail": "leesclub@bibliotheek-zoetermeer.example",
            "contactName": "Team Lezen",
            "startDate": "2026-01-05",
            "endDate": "2026-12-31",
            "deviationNote": "In het Engels",
            "costKind": "PAID",
            "priceCents": 1500,
            "costNote": "Inclusief koffie",
        }),
    );
    let p = create_ok(&app, &editor, input).await;
    let id = p["id"].as_str().unwrap().to_string();

    // Only the summary: everything else stays.
    let body = update(&app, &editor, json!({ "id": id, "expectedVersion": 1, "summary": "Nieuw." })).await;
    let p = data(&body)["updateProposition"]["proposition"].clone();
    assert_eq!(p["summary"], "Nieuw.", "{body}");
    assert_eq!(p["url"], "https://www.bibliotheek-zoetermeer.nl/leesclub");
    assert_eq!(p["schedule"], "Elke eerste maandag");
    assert_eq!(
        p["contact"],
        json!({ "name": "Team Lezen", "email": "leesclub@bibliotheek-zoetermeer.example", "phone": null })
    );
    assert_eq!((&p["startDate"], &p["endDate"]), (&json!("2026-01-05"), &json!("2026-12-31")));
    assert_eq!(p["deviationNote"], "In het Engels");
    assert_eq!(p["cost"], json!({ "kind": "PAID", "priceCents": 1500, "note": "Inclusief koffie" }));
    assert_eq!(p["targetGroups"], json!([{ "code": "ADULTS" }]));
    assert_eq!(p["standardProposition"]["code"], "LEESCLUB");

    // Explicit nulls clear exactly those fields.
    let body = update(
        &app,
        &editor,
        json!({ "id": id, "expectedVersion": 2, "url": null, "startDate": null, "contactEmail": null, "deviationNote": null, "costNote": null }),
    )
    .await;
    let p = data(&body)["updateProposition"]["proposition"].clone();
    assert_eq!(p["version"], 3, "{body}");
    assert_eq!(p["url"], Value::Null);
    assert_eq!(p["startDate"], Value::Null);
    assert_eq!(p["contact"]["email"], Value::Null);
    assert_eq!(p["deviationNote"], Value::Null);
    assert_eq!(p["cost"]["note"], Value::Null);
    assert_eq!(p["endDate"], "2026-12-31", "absent: left as is");
    assert_eq!(p["schedule"], "Elke eerste maandag");
    assert_eq!(p["contact"]["name"], "Team Lezen");
    assert_eq!(p["cost"]["priceCents"], 1500);

    // Going free requires clearing the price, and then it is gone.
    let body =
        update(&app, &editor, json!({ "id": id, "expectedVersion": 3, "costKind": "FREE", "priceCents": null })).await;
    let p = &data(&body)["updateProposition"]["proposition"];
    assert_eq!(p["cost"], json!({ "kind": "FREE", "priceCents": null, "note": null }), "{body}");

    // An empty list of target groups clears them; null on a standard proposition makes it local.
    let body = update(
        &app,
        &editor,
        json!({ "id": id, "expectedVersion": 4, "targetGroupCodes": [], "standardPropositionCode": null, "coreFunctionCode": "READING_LITERATURE" }),
    )
    .await;
    let p = &data(&body)["updateProposition"]["proposition"];
    assert_eq!(p["targetGroups"], json!([]), "{body}");
    assert_eq!(p["isLocal"], true);
    assert_eq!(p["coreFunction"]["code"], "READING_LITERATURE");
}

// ---- listing: filters, order and pages ---------------------------------------------------------

/// The demo network and common model as seeded, to derive what a filter must find.
struct Seed {
    demo: Value,
    common: Value,
}

fn seed() -> Seed {
    let read = |name: &str| -> Value {
        let path = format!("{}/seed/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(&path).expect("seed file")).expect("seed JSON")
    };
    Seed { demo: read("demo_network.json"), common: read("common_model.json") }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

impl Seed {
    /// The sorted titles of the published propositions that satisfy `pred`.
    fn published(&self, pred: impl Fn(&Value) -> bool) -> Vec<String> {
        let mut titles: Vec<String> = self.demo["propositions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["publication_state"] == "PUBLISHED" && pred(p))
            .map(|p| p["title"].as_str().unwrap().to_string())
            .collect();
        titles.sort();
        titles
    }

    fn standard(&self, code: &str) -> &Value {
        self.common["standard_propositions"].as_array().unwrap().iter().find(|s| s["code"] == code).unwrap()
    }

    /// The proposition's standard proposition in the common model, if mapped.
    fn standard_of(&self, p: &Value) -> Option<&Value> {
        p["standard_proposition"].as_str().map(|c| self.standard(c))
    }

    /// A target group code and all narrower ones.
    fn with_descendants(&self, code: &str) -> Vec<String> {
        let groups = self.common["target_groups"].as_array().unwrap();
        let mut found = vec![code.to_string()];
        let mut i = 0;
        while i < found.len() {
            let parent = found[i].clone();
            found.extend(
                groups
                    .iter()
                    .filter(|g| g["parent"] == parent.as_str())
                    .map(|g| g["code"].as_str().unwrap().to_string()),
            );
            i += 1;
        }
        found
    }

    fn organisation(&self, slug: &str) -> &Value {
        self.demo["organisations"].as_array().unwrap().iter().find(|o| o["slug"] == slug).unwrap()
    }

    fn province_of_municipality(&self, code: &str) -> String {
        let m = self.common["municipalities"].as_array().unwrap().iter().find(|m| m["code"] == code).unwrap();
        m["province"].as_str().unwrap().to_string()
    }

    /// The municipalities a proposition is offered in: its library's and its branches'.
    fn municipalities_of(&self, p: &Value) -> Vec<String> {
        let org = p["organisation"].as_str().unwrap();
        let mut gms = strings(&self.organisation(org)["municipalities"]);
        for name in strings(&p["branches"]) {
            let b = self.demo["branches"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["organisation"] == org && b["name"] == name.as_str());
            gms.push(b.unwrap()["municipality"].as_str().unwrap().to_string());
        }
        gms
    }

    /// The provinces a proposition is offered in: its library's, and those of its municipalities.
    fn provinces_of(&self, p: &Value) -> Vec<String> {
        let mut pvs: Vec<String> =
            self.municipalities_of(p).iter().map(|gm| self.province_of_municipality(gm)).collect();
        if let Some(pv) = self.organisation(p["organisation"].as_str().unwrap())["province"].as_str() {
            pvs.push(pv.to_string());
        }
        pvs
    }
}

/// The sorted titles an anonymous caller finds with a filter; checks `totalCount` agrees.
async fn titles(app: &TestApp, filter: Value) -> Vec<String> {
    let body = app
        .anon(
            "query($f: PropositionFilterInput) { propositions(filter: $f, first: 100) { totalCount nodes { title } } }",
            json!({ "f": filter }),
        )
        .await;
    let list = &data(&body)["propositions"];
    let mut titles: Vec<String> =
        list["nodes"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().to_string()).collect();
    assert_eq!(list["totalCount"].as_u64().unwrap() as usize, titles.len(), "{filter}: {body}");
    titles.sort();
    titles
}

#[tokio::test]
async fn filters_on_the_common_model_find_exactly_the_matching_published_propositions() {
    let app = spawn_app().await;
    let s = seed();
    let sp_has = |p: &Value, key: &str, code: &str| {
        s.standard_of(p).is_some_and(|sp| strings(&sp[key]).iter().any(|c| c == code) || sp[key] == code)
    };

    let taalhuis = s.published(|p| p["standard_proposition"] == "TAALHUIS");
    assert!(taalhuis.len() >= 3, "the seed maps several propositions onto TAALHUIS");
    assert_eq!(titles(&app, json!({ "standardPropositions": ["TAALHUIS"] })).await, taalhuis);
    assert_eq!(
        titles(&app, json!({ "standardPropositions": ["TAALHUIS", "boekstart"] })).await,
        s.published(|p| p["standard_proposition"] == "TAALHUIS" || p["standard_proposition"] == "BOEKSTART"),
        "values within a list combine with OR, codes case-insensitively"
    );

    // Societal tasks: a local proposition's own, or its standard proposition's.
    let task = "PARTICIPATIE_INFORMATIESAMENLEVING";
    let expected = s.published(|p| p["societal_task"] == task || sp_has(p, "societal_tasks", task));
    assert!(!s.published(|p| p["societal_task"] == task).is_empty(), "the seed has a local proposition for {task}");
    assert!(!s.published(|p| sp_has(p, "societal_tasks", task)).is_empty(), "and a mapped one");
    assert_eq!(titles(&app, json!({ "societalTasks": [task] })).await, expected);

    // Core functions: the same two ways.
    for cf in ["ART_CULTURE", "KNOWLEDGE_INFORMATION"] {
        let expected = s.published(|p| p["core_function"] == cf || sp_has(p, "core_function", cf));
        assert!(!expected.is_empty());
        assert_eq!(titles(&app, json!({ "coreFunctions": [cf] })).await, expected, "{cf}");
    }

    // Target groups: a broader group also finds propositions for its narrower groups only.
    for tg in ["SENIORS", "YOUTH", "LANGUAGE_LEARNERS"] {
        let codes = s.with_descendants(tg);
        let expected = s.published(|p| strings(&p["target_groups"]).iter().any(|g| codes.contains(g)));
        assert_eq!(titles(&app, json!({ "targetGroups": [tg] })).await, expected, "{tg}");
    }
    let only_narrower = s.published(|p| {
        let g = strings(&p["target_groups"]);
        g.iter().any(|c| c == "SENIORS_LESS_SELF_RELIANT") && !g.iter().any(|c| c == "SENIORS")
    });
    assert!(!only_narrower.is_empty(), "the seed has a proposition for less self-reliant seniors only");
    let seniors = titles(&app, json!({ "targetGroups": ["SENIORS"] })).await;
    assert!(only_narrower.iter().all(|t| seniors.contains(t)), "{only_narrower:?} missing from {seniors:?}");
    assert_eq!(
        titles(&app, json!({ "targetGroups": ["SENIORS_LESS_SELF_RELIANT"] })).await,
        s.published(|p| strings(&p["target_groups"]).iter().any(|c| c == "SENIORS_LESS_SELF_RELIANT")),
        "a narrower group does not find the broader one's"
    );

    // Local or mapped.
    assert_eq!(titles(&app, json!({ "local": true })).await, s.published(|p| p["standard_proposition"].is_null()));
    assert_eq!(titles(&app, json!({ "local": false })).await, s.published(|p| !p["standard_proposition"].is_null()));

    // Different fields combine with AND.
    assert_eq!(
        titles(&app, json!({ "standardPropositions": ["TAALHUIS"], "provinces": ["PV24"] })).await,
        s.published(|p| p["standard_proposition"] == "TAALHUIS" && s.provinces_of(p).iter().any(|pv| pv == "PV24")),
    );
    assert_eq!(
        titles(&app, json!({ "local": true, "standardPropositions": ["TAALHUIS"] })).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn filters_on_channel_lifecycle_region_and_organisation() {
    let app = spawn_app().await;
    let s = seed();

    for channels in [json!(["ONLINE"]), json!(["HYBRID", "ONLINE"])] {
        let wanted = strings(&channels);
        let expected = s.published(|p| wanted.iter().any(|c| p["channel"] == c.as_str()));
        assert!(!expected.is_empty());
        assert_eq!(titles(&app, json!({ "channels": channels })).await, expected, "{channels}");
    }
    for lifecycles in [json!(["PILOT"]), json!(["PILOT", "PAUSED"]), json!(["STOPPED"])] {
        let wanted = strings(&lifecycles);
        let expected = s.published(|p| wanted.iter().any(|c| p["lifecycle"] == c.as_str()));
        assert_eq!(titles(&app, json!({ "lifecycles": lifecycles })).await, expected, "{lifecycles}");
    }

    // Provinces by code or by name.
    let zuid_holland = s.published(|p| s.provinces_of(p).iter().any(|pv| pv == "PV28"));
    assert!(!zuid_holland.is_empty());
    assert_eq!(titles(&app, json!({ "provinces": ["PV28"] })).await, zuid_holland);
    assert_eq!(titles(&app, json!({ "provinces": ["Zuid-Holland"] })).await, zuid_holland);
    assert_eq!(titles(&app, json!({ "provinces": ["pv28"] })).await, zuid_holland);
    let north = s.published(|p| s.provinces_of(p).iter().any(|pv| pv == "PV21" || pv == "PV22"));
    assert_eq!(titles(&app, json!({ "provinces": ["PV21", "Drenthe"] })).await, north);
    assert_eq!(titles(&app, json!({ "provinces": ["Zeeland"] })).await, Vec::<String>::new());

    // Municipalities: served by the library or a branch there.
    for gms in [json!(["GM0637"]), json!(["GM0303"]), json!(["GM0080", "GM0114"]), json!(["GM0518"])] {
        let wanted = strings(&gms);
        let expected = s.published(|p| s.municipalities_of(p).iter().any(|gm| wanted.contains(gm)));
        assert_eq!(titles(&app, json!({ "municipalities": gms })).await, expected, "{gms}");
    }
    assert!(!titles(&app, json!({ "municipalities": ["GM0637"] })).await.is_empty());

    // Organisations by slug or id.
    let expected = s.published(|p| p["organisation"] == "dbieb" || p["organisation"] == "bibliotheek-emmen");
    assert_eq!(titles(&app, json!({ "organisationSlugs": ["dbieb", "bibliotheek-emmen"] })).await, expected);
    let dbieb = app.organisation_id("dbieb").await;
    assert_eq!(
        titles(&app, json!({ "organisationIds": [dbieb] })).await,
        s.published(|p| p["organisation"] == "dbieb")
    );

    // An editor asking for drafts gets only its own library's.
    let body = app
        .graphql(
            r#"query { propositions(filter: { publicationStates: [DRAFT] }, first: 100) { totalCount nodes { organisation { slug } } } }"#,
            json!({}),
            Some(&app.editor(ZOETERMEER)),
        )
        .await;
    let drafts = data(&body)["propositions"]["nodes"].as_array().unwrap().clone();
    let seeded_drafts = s.demo["propositions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["organisation"] == ZOETERMEER && p["publication_state"] == "DRAFT")
        .count();
    assert_eq!(drafts.len(), seeded_drafts, "{body}");
    assert!(drafts.iter().all(|n| n["organisation"]["slug"] == ZOETERMEER), "{body}");

    // Anonymous callers never see drafts, even when asking for them.
    assert_eq!(titles(&app, json!({ "publicationStates": ["DRAFT", "ARCHIVED"] })).await, Vec::<String>::new());
    // Zoetermeer's editor sees its own pilot draft next to the published pilots.
    let body = app
        .graphql(
            r#"query { propositions(filter: { lifecycles: [PILOT] }, first: 100) { totalCount nodes { title publicationState organisation { slug } } } }"#,
            json!({}),
            Some(&app.editor(ZOETERMEER)),
        )
        .await;
    let nodes = data(&body)["propositions"]["nodes"].as_array().unwrap().clone();
    assert_eq!(nodes.len(), s.published(|p| p["lifecycle"] == "PILOT").len() + 1, "{body}");
    assert!(
        nodes.iter().all(|n| n["publicationState"] == "PUBLISHED" || n["organisation"]["slug"] == ZOETERMEER),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_filter_values_are_bad_user_input_naming_the_filter_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({ "standardPropositions": ["BOEKSTART", "NOPE"] }), "filter.standardPropositions"),
        (json!({ "societalTasks": ["NOPE"] }), "filter.societalTasks"),
        (json!({ "coreFunctions": ["NOPE"] }), "filter.coreFunctions"),
        (json!({ "targetGroups": ["SENIORS", "NOPE"] }), "filter.targetGroups"),
        (json!({ "provinces": ["PV99"] }), "filter.provinces"),
        (json!({ "provinces": ["Atlantis"] }), "filter.provinces"),
        (json!({ "municipalities": ["GM9999"] }), "filter.municipalities"),
        (json!({ "municipalities": ["Atlantis"] }), "filter.municipalities"),
        (json!({ "organisationSlugs": ["no-such-library"] }), "filter.organisationSlugs"),
        (json!({ "organisationIds": ["garbage"] }), "filter.organisationIds"),
    ];
    for (filter, field) in cases {
        let body = app
            .anon(
                "query($f: PropositionFilterInput) { propositions(filter: $f) { totalCount nodes { id } } }",
                json!({ "f": filter }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{filter}: {body}");
        assert_eq!(error_field(&body), field, "{filter}: {body}");
    }
    let body = app.anon(r#"query { propositions(filter: { channels: [TELEPATHY] }) { totalCount } }"#, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

/// The titles of a list in the order the server returns them.
async fn ordered(app: &TestApp, token: Option<&str>, filter: Value, order: Value) -> Vec<(String, String)> {
    let body = app
        .graphql(
            "query($f: PropositionFilterInput, $o: PropositionOrderInput) {
                propositions(filter: $f, orderBy: $o, first: 100) { nodes { title updatedAt } } }",
            json!({ "f": filter, "o": order }),
            token,
        )
        .await;
    data(&body)["propositions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["title"].as_str().unwrap().to_string(), n["updatedAt"].as_str().unwrap().to_string()))
        .collect()
}

fn instant(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s} is not RFC 3339: {e}"))
}

#[tokio::test]
async fn order_by_title_ascending_and_descending_and_by_last_change() {
    let app = spawn_app().await;
    let almere = json!({ "organisationSlugs": ["nieuwe-bibliotheek-almere"] });
    let titles_of = |list: Vec<(String, String)>| list.into_iter().map(|(t, _)| t).collect::<Vec<_>>();

    // Almere's published titles start with distinct capitals, so every collation agrees on their order.
    let asc = titles_of(ordered(&app, None, almere.clone(), json!({ "field": "TITLE", "direction": "ASC" })).await);
    let mut sorted = asc.clone();
    sorted.sort();
    assert!(asc.len() >= 5, "{asc:?}");
    assert_eq!(asc, sorted);
    let desc = titles_of(ordered(&app, None, almere.clone(), json!({ "field": "TITLE", "direction": "DESC" })).await);
    assert_eq!(desc, asc.iter().rev().cloned().collect::<Vec<_>>());
    assert_eq!(
        titles_of(ordered(&app, None, almere.clone(), Value::Null).await),
        asc,
        "by title unless asked otherwise"
    );
    assert_eq!(titles_of(ordered(&app, None, almere.clone(), json!({})).await), asc);

    // A change moves a proposition to the end of UPDATED_AT ASC and the front of DESC.
    let editor = app.editor("nieuwe-bibliotheek-almere");
    let id = id_by_title(&app, None, &asc[0]).await;
    let version = data(&read(&app, None, &id).await)["proposition"]["version"].as_i64().unwrap();
    let body = update(&app, &editor, json!({ "id": id, "expectedVersion": version, "schedule": "Op afspraak" })).await;
    data(&body);
    let by_change = ordered(&app, None, Value::Null, json!({ "field": "UPDATED_AT", "direction": "ASC" })).await;
    assert_eq!(by_change.last().unwrap().0, asc[0], "{by_change:?}");
    assert!(by_change.windows(2).all(|w| instant(&w[0].1) <= instant(&w[1].1)), "{by_change:?}");
    let by_change_desc = ordered(&app, None, Value::Null, json!({ "field": "UPDATED_AT", "direction": "DESC" })).await;
    assert_eq!(by_change_desc[0].0, asc[0]);
    assert!(by_change_desc.windows(2).all(|w| instant(&w[0].1) >= instant(&w[1].1)), "{by_change_desc:?}");

    // The newest creation comes first in CREATED_AT DESC.
    let org = app.organisation_id("nieuwe-bibliotheek-almere").await;
    let created = create_ok(&app, &editor, with(&valid_input(&org), json!({ "title": "Zomerlezen" }))).await;
    let newest = ordered(&app, Some(&editor), Value::Null, json!({ "field": "CREATED_AT", "direction": "DESC" })).await;
    assert_eq!(newest[0].0, created["title"].as_str().unwrap());
    let oldest = ordered(&app, Some(&editor), Value::Null, json!({ "field": "CREATED_AT", "direction": "ASC" })).await;
    assert_eq!(oldest.last().unwrap().0, "Zomerlezen");
}

#[tokio::test]
async fn walking_all_pages_finds_every_proposition_once() {
    let app = spawn_app().await;
    let query = "query($o: PropositionOrderInput, $after: String) {
        propositions(orderBy: $o, first: 2, after: $after) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }";
    let orders = [
        json!({ "field": "TITLE", "direction": "ASC" }),
        json!({ "field": "TITLE", "direction": "DESC" }),
        json!({ "field": "UPDATED_AT", "direction": "ASC" }),
        json!({ "field": "UPDATED_AT", "direction": "DESC" }),
        json!({ "field": "CREATED_AT", "direction": "ASC" }),
        json!({ "field": "CREATED_AT", "direction": "DESC" }),
    ];
    for order in orders {
        let body = app
            .anon(
                "query($o: PropositionOrderInput) { propositions(orderBy: $o, first: 100) { totalCount nodes { id } } }",
                json!({ "o": order }),
            )
            .await;
        let all: Vec<String> = data(&body)["propositions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect();
        let total = data(&body)["propositions"]["totalCount"].as_u64().unwrap() as usize;
        assert_eq!(all.len(), total);
        assert!(total > 4, "{body}");

        let mut seen: Vec<String> = Vec::new();
        let mut after = Value::Null;
        let mut pages = 0;
        loop {
            let body = app.anon(query, json!({ "o": order, "after": after })).await;
            let page = &data(&body)["propositions"];
            assert_eq!(page["totalCount"].as_u64().unwrap() as usize, total, "{order}: {body}");
            let edges = page["edges"].as_array().unwrap();
            assert!(edges.len() <= 2);
            assert_eq!(page["pageInfo"]["hasPreviousPage"], pages > 0, "{order}: {body}");
            if let (Some(first), Some(last)) = (edges.first(), edges.last()) {
                assert_eq!(page["pageInfo"]["startCursor"], first["cursor"]);
                assert_eq!(page["pageInfo"]["endCursor"], last["cursor"]);
            }
            seen.extend(edges.iter().map(|e| e["node"]["id"].as_str().unwrap().to_string()));
            pages += 1;
            assert!(pages <= total, "{order}: the walk does not end");
            if page["pageInfo"]["hasNextPage"] == false {
                break;
            }
            assert_eq!(edges.len(), 2, "{order}: a page before the last is full: {body}");
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen, all, "{order}: the pages hold every item once, in order");
        assert_eq!(pages, total.div_ceil(2), "{order}");
    }

    // Cursors the server did not hand out are refused.
    let not_json = "bm90IGEgY3Vyc29y"; // base64 of "not a cursor"
    for bad in ["garbage!", not_json, "eyJrIjoxfQ"] {
        let body = app
            .anon("query($a: String) { propositions(first: 2, after: $a) { totalCount } }", json!({ "a": bad }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{bad}: {body}");
        assert_eq!(error_field(&body), "after", "{bad}: {body}");
    }
}

#[tokio::test]
async fn pages_break_ties_between_equal_titles_without_losing_or_repeating_items() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    for _ in 0..5 {
        create_ok(&app, &editor, with(&valid_input(&org), json!({ "title": "Zelfde titel" }))).await;
    }
    let filter = json!({ "organisationSlugs": [ZOETERMEER] });
    for order in [
        json!({ "field": "TITLE", "direction": "ASC" }),
        json!({ "field": "TITLE", "direction": "DESC" }),
        json!({ "field": "UPDATED_AT", "direction": "DESC" }),
    ] {
        let body = app
            .graphql(
                "query($f: PropositionFilterInput, $o: PropositionOrderInput) { propositions(filter: $f, orderBy: $o, first: 100) { nodes { id title } } }",
                json!({ "f": filter, "o": order }),
                Some(&editor),
            )
            .await;
        let all: Vec<Value> = data(&body)["propositions"]["nodes"].as_array().unwrap().clone();
        let tied: Vec<usize> =
            all.iter().enumerate().filter(|(_, n)| n["title"] == "Zelfde titel").map(|(i, _)| i).collect();
        assert_eq!(tied.len(), 5, "{body}");
        if order["field"] == "TITLE" {
            assert_eq!(tied[4] - tied[0], 4, "equal titles sit together: {body}");
        }
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let body = app
                .graphql(
                    "query($f: PropositionFilterInput, $o: PropositionOrderInput, $a: String) {
                        propositions(filter: $f, orderBy: $o, first: 2, after: $a) { pageInfo { hasNextPage endCursor } nodes { id title } } }",
                    json!({ "f": filter, "o": order, "a": after }),
                    Some(&editor),
                )
                .await;
            let page = &data(&body)["propositions"];
            seen.extend(page["nodes"].as_array().unwrap().iter().cloned());
            if page["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
            assert!(seen.len() <= all.len(), "{order}: the walk does not end");
        }
        assert_eq!(seen, all, "{order}");
    }
}

// ---- nested reads and ids ----------------------------------------------------------------------

#[tokio::test]
async fn nested_reads_go_both_ways_between_organisations_propositions_and_standards() {
    let app = spawn_app().await;
    let s = seed();
    let body = app
        .anon(
            r#"query { organisation(slug: "bibliotheek-zoetermeer") {
                propositions(first: 50, filter: { standardPropositions: ["BOEKSTART"] }) { totalCount nodes {
                    title organisation { slug } standardProposition { code coreFunction { code } targetGroups { code parent { code } } }
                } } } }"#,
            json!({}),
        )
        .await;
    let list = &data(&body)["organisation"]["propositions"];
    assert_eq!(list["totalCount"], 1, "{body}");
    let p = &list["nodes"][0];
    assert_eq!(p["title"], "BoekStart in Zoetermeer");
    assert_eq!(p["organisation"]["slug"], ZOETERMEER);
    assert_eq!(p["standardProposition"]["coreFunction"]["code"], "READING_LITERATURE");
    let mut groups: Vec<String> = p["standardProposition"]["targetGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap().to_string())
        .collect();
    groups.sort();
    let mut expected = strings(&s.standard("BOEKSTART")["target_groups"]);
    expected.sort();
    assert_eq!(groups, expected);

    let body = app
        .anon(
            r#"query { standardProposition(code: "TAALHUIS") { code propositions(first: 50) { totalCount nodes {
                title standardProposition { code } organisation { slug kind supportOrganisation { slug } } } } } }"#,
            json!({}),
        )
        .await;
    let list = &data(&body)["standardProposition"]["propositions"];
    let nodes = list["nodes"].as_array().unwrap();
    let mut found: Vec<String> = nodes.iter().map(|n| n["title"].as_str().unwrap().to_string()).collect();
    found.sort();
    assert_eq!(found, s.published(|p| p["standard_proposition"] == "TAALHUIS"), "{body}");
    assert_eq!(list["totalCount"].as_u64().unwrap() as usize, nodes.len());
    for n in nodes {
        assert_eq!(n["standardProposition"]["code"], "TAALHUIS");
        assert_eq!(n["organisation"]["kind"], "LIBRARY");
        let slug = n["organisation"]["slug"].as_str().unwrap();
        assert_eq!(
            n["organisation"]["supportOrganisation"]["slug"],
            s.organisation(slug)["support_organisation"],
            "{n}"
        );
    }
}

#[tokio::test]
async fn nested_lists_stay_within_their_parent_whatever_the_filter() {
    let app = spawn_app().await;
    let s = seed();
    let body = app
        .anon(
            r#"query {
                organisation(slug: "bibliotheek-zoetermeer") {
                    propositions(first: 100, filter: { organisationSlugs: ["dbieb"] }) { totalCount nodes { title } } }
                standardProposition(code: "TAALHUIS") {
                    propositions(first: 100, filter: { standardPropositions: ["BOEKSTART"] }) { totalCount nodes { title } } }
                targetGroups { code
                    propositions(first: 100, filter: { targetGroups: ["YOUTH"] }) { totalCount nodes { title } } }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&body);
    let sorted_titles = |list: &Value| -> (Vec<String>, u64) {
        let mut t: Vec<String> =
            list["nodes"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().to_string()).collect();
        t.sort();
        (t, list["totalCount"].as_u64().unwrap())
    };
    let group = d["targetGroups"].as_array().unwrap().iter().find(|g| g["code"] == "ADULTS").unwrap();
    let (adults, youth) = (s.with_descendants("ADULTS"), s.with_descendants("YOUTH"));
    let for_both = s.published(|p| {
        let g = strings(&p["target_groups"]);
        g.iter().any(|c| adults.contains(c)) && g.iter().any(|c| youth.contains(c))
    });
    // The parent restricts the list and the filter narrows it further (AND), never widens it.
    let cases = [
        (
            "organisation(zoetermeer).propositions(organisationSlugs: [dbieb])",
            &d["organisation"]["propositions"],
            vec![],
        ),
        (
            "standardProposition(TAALHUIS).propositions(standardPropositions: [BOEKSTART])",
            &d["standardProposition"]["propositions"],
            vec![],
        ),
        ("targetGroup(ADULTS).propositions(targetGroups: [YOUTH])", &group["propositions"], for_both),
    ];
    let mut problems = Vec::new();
    for (case, list, expected) in cases {
        let (found, total) = sorted_titles(list);
        if found != expected || total as usize != expected.len() {
            problems.push(format!("{case}: expected {expected:?}, got totalCount {total} and {found:?}"));
        }
    }
    assert!(problems.is_empty(), "nested lists left their parent:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn node_and_proposition_fetch_records_by_global_id_respecting_visibility() {
    let app = spawn_app().await;
    let node = "query($id: ID!) { node(id: $id) { __typename id
        ... on Organisation { slug } ... on Proposition { title } ... on StandardProposition { code } } }";

    let org = app.organisation_id(ZOETERMEER).await;
    let body = app.anon(node, json!({ "id": org })).await;
    assert_eq!(data(&body)["node"], json!({ "__typename": "Organisation", "id": org, "slug": ZOETERMEER }));

    let body = app.anon(r#"query { standardProposition(code: "BOEKSTART") { id } }"#, json!({})).await;
    let sp = data(&body)["standardProposition"]["id"].as_str().unwrap().to_string();
    let body = app.anon(node, json!({ "id": sp })).await;
    assert_eq!(data(&body)["node"], json!({ "__typename": "StandardProposition", "id": sp, "code": "BOEKSTART" }));

    let published = id_by_title(&app, None, "BoekStart in Zoetermeer").await;
    let body = app.anon(node, json!({ "id": published })).await;
    assert_eq!(
        data(&body)["node"],
        json!({ "__typename": "Proposition", "id": published, "title": "BoekStart in Zoetermeer" })
    );
    let body = read(&app, None, &published).await;
    assert_eq!(data(&body)["proposition"]["title"], "BoekStart in Zoetermeer");
    assert_eq!(data(&body)["proposition"]["organisation"]["slug"], ZOETERMEER);

    // A draft: its library's editor sees it; the public and other libraries get NOT_FOUND.
    let editor = app.editor(ZOETERMEER);
    let draft = id_by_title(&app, Some(&editor), "Activiteiten-strippenkaart voor ouderen").await;
    let body = app.graphql(node, json!({ "id": draft }), Some(&editor)).await;
    assert_eq!(data(&body)["node"]["title"], "Activiteiten-strippenkaart voor ouderen");
    assert_eq!(data(&read(&app, Some(&editor), &draft).await)["proposition"]["publicationState"], "DRAFT");
    for token in [None, Some(app.editor("dbieb"))] {
        assert_eq!(error_code(&app.graphql(node, json!({ "id": draft }), token.as_deref()).await), "NOT_FOUND");
        assert_eq!(error_code(&read(&app, token.as_deref(), &draft).await), "NOT_FOUND");
    }

    // Ids that do not exist, and ids that are not ids.
    let encode = |s: &str| base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, s);
    for missing in [encode("Proposition:999999"), encode("Organisation:999999"), encode("Spaceship:1")] {
        assert_eq!(error_code(&app.anon(node, json!({ "id": missing })).await), "NOT_FOUND", "{missing}");
    }
    assert_eq!(error_code(&read(&app, None, &encode("Proposition:999999")).await), "NOT_FOUND");
    assert_eq!(error_code(&app.anon(node, json!({ "id": "garbage" })).await), "BAD_USER_INPUT");
    assert_bad_input(&read(&app, None, "garbage").await, "id");
    assert_bad_input(&read(&app, None, &org).await, "id");
}

#[tokio::test]
async fn of_concurrent_updates_with_the_same_version_exactly_one_wins() {
    let app = spawn_app().await;
    let token = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let created = create_ok(&app, &token, valid_input(&org)).await;
    let id = created["id"].as_str().unwrap().to_string();
    let attempts = (0..8).map(|i| {
        let (app, token, id) = (&app, &token, &id);
        async move {
            update(app, token, json!({ "id": id, "expectedVersion": 1, "title": format!("Titel {i}") })).await
        }
    });
    let results = futures::future::join_all(attempts).await;
    let winners: Vec<&Value> = results.iter().filter(|b| b.get("errors").is_none_or(Value::is_null)).collect();
    assert_eq!(winners.len(), 1, "exactly one update wins: {results:#?}");
    for loser in results.iter().filter(|b| !b.get("errors").is_none_or(Value::is_null)) {
        assert_eq!(error_code(loser), "CONFLICT", "{loser}");
    }
    let stored = read(&app, Some(&token), &id).await;
    let winner_title = &winners[0]["data"]["updateProposition"]["proposition"]["title"];
    assert_eq!(&data(&stored)["proposition"]["title"], winner_title);
    assert_eq!(data(&stored)["proposition"]["version"], 2);
}

#[tokio::test]
async fn graphiql_is_served_at_the_endpoint_and_health_reports_the_database() {
    let app = spawn_app().await;
    let page = app.client.get(format!("{}/graphql", app.address)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("graphiql") || html.contains("GraphiQL"), "{html}");
    let health = app.client.get(format!("{}/health", app.address)).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn texts_are_kept_with_lf_line_ends_whatever_the_writer_sent() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let mut input = valid_input(&org);
    input["summary"] = json!("Eerste regel\r\nTweede regel\rDerde regel");
    let p = create_ok(&app, &editor, input).await;
    assert_eq!(p["summary"], "Eerste regel\nTweede regel\nDerde regel", "{p}");
    let body = update(&app, &editor, json!({ "id": p["id"], "expectedVersion": 1, "summary": "Een\r\nTwee" })).await;
    assert_eq!(data(&body)["updateProposition"]["proposition"]["summary"], "Een\nTwee", "{body}");
}

#[tokio::test]
async fn a_proposition_is_created_for_a_library_named_by_slug_as_by_id() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let mut by_slug = without(&valid_input(&org), &["organisationId"]);
    by_slug["organisation"] = json!(ZOETERMEER);
    let p = create_ok(&app, &editor, by_slug.clone()).await;
    assert_eq!(p["organisation"]["slug"], ZOETERMEER, "{p}");

    // Exactly one of the two, a known slug, and still only one's own library.
    for (input, code) in [
        (with(&by_slug, json!({ "organisationId": org })), "BAD_USER_INPUT"),
        (without(&by_slug, &["organisation"]), "BAD_USER_INPUT"),
        (with(&by_slug, json!({ "organisation": "bestaat-niet" })), "BAD_USER_INPUT"),
        (with(&by_slug, json!({ "organisation": "dbieb" })), "FORBIDDEN"),
    ] {
        let body = create(&app, &editor, input.clone()).await;
        assert_eq!(error_code(&body), code, "{input}: {body}");
    }
}
