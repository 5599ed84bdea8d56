//! The audit trail: every change is logged with who made it, with which credential, in which
//! request, and each field before and after; only network maintainers read it; nobody alters it,
//! neither through the API nor directly in the database; and a change and its entry are written
//! together or not at all.

use registry::identity::Role;
use reqwest::header::HeaderValue;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{
    Answer, CREATE_PROPOSITION, TestApp, UPDATE_PROPOSITION, audit_total, change_log_rows, data, database, error_code,
    new_proposition, post, spawn_app, user_token,
};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";
const ALMERE: &str = "nieuwe-bibliotheek-almere";

// ---- local helpers -----------------------------------------------------------------------------

const AUDIT: &str = "query($filter: AuditFilterInput, $first: Int, $after: String) {
  auditTrail(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id action version occurredAt actorSubject actorRole actorOrganisation { slug }
      recordType recordId credential requestId changes { field before after }
    } }
  }
}";

/// One page of the audit trail as a maintainer reads it: `(totalCount, nodes, pageInfo)`.
async fn audit(app: &TestApp, filter: Value, first: Option<i64>, after: Option<&str>) -> (u64, Vec<Value>, Value) {
    let body =
        app.graphql(AUDIT, json!({ "filter": filter, "first": first, "after": after }), Some(&app.maintainer())).await;
    let trail = &data(&body)["auditTrail"];
    let nodes = trail["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()).collect();
    (trail["totalCount"].as_u64().unwrap(), nodes, trail["pageInfo"].clone())
}

/// Every entry matching a filter (paging through it), newest first.
async fn audit_all(app: &TestApp, filter: Value) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let (_, nodes, page) = audit(app, filter.clone(), Some(100), after.as_deref()).await;
        all.extend(nodes);
        if page["hasNextPage"] != true {
            return all;
        }
        after = page["endCursor"].as_str().map(str::to_string);
    }
}

/// Creates a proposition of a library as the given token; returns its id.
async fn create(app: &TestApp, token: &str, library: &str, title: &str) -> (String, Answer) {
    let org = app.organisation_id(library).await;
    let answer = post(app, CREATE_PROPOSITION, new_proposition(&org, title), Some(token), &[]).await;
    let id = data(&answer.body)["createProposition"]["proposition"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("created: {}", answer.body))
        .to_string();
    (id, answer)
}

/// Renames a proposition at version `version` as the given token.
async fn rename(app: &TestApp, token: &str, id: &str, version: i64, title: &str) -> Answer {
    post(
        app,
        UPDATE_PROPOSITION,
        json!({ "input": { "id": id, "expectedVersion": version, "title": title } }),
        Some(token),
        &[],
    )
    .await
}

fn field_change<'a>(entry: &'a Value, field: &str) -> &'a Value {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field} in {entry}"))
}

// ---- what is recorded --------------------------------------------------------------------------

#[tokio::test]
async fn an_editors_change_is_recorded_with_subject_role_organisation_credential_request_and_fields() {
    let app = spawn_app().await;
    let (token, jti) = user_token(&app, "anna.devries@zoetermeer.example", Some(ZOETERMEER), Role::LibraryEditor);
    let (id, created) = create(&app, &token, ZOETERMEER, "Engelse leesclub").await;
    let updated = rename(&app, &token, &id, 1, "Franse leesclub").await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    let request_id = updated.header("x-request-id");
    assert!(!request_id.is_empty(), "every answer carries x-request-id");
    assert_ne!(request_id, created.header("x-request-id"), "each request has its own id");
    // Published, so that the maintainer may read the proposition and so the values of its changes.
    let publish =
        "mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }";
    data(&app.graphql(publish, json!({ "input": { "id": id, "expectedVersion": 2 } }), Some(&token)).await);

    let (total, entries, _) = audit(&app, json!({ "requestId": request_id }), None, None).await;
    assert_eq!(total, 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!(e["action"], "UPDATE");
    assert_eq!(e["version"], 2);
    assert_eq!(e["recordType"], "Proposition");
    assert_eq!(e["recordId"], id.as_str());
    assert_eq!(e["actorSubject"], "anna.devries@zoetermeer.example");
    assert_eq!(e["actorRole"], "LIBRARY_EDITOR");
    assert_eq!(e["actorOrganisation"]["slug"], ZOETERMEER);
    assert_eq!(e["credential"], format!("token:{jti}"));
    assert_eq!(e["requestId"], request_id.as_str());
    let title = field_change(e, "title");
    assert_eq!(title["before"], "Engelse leesclub");
    assert_eq!(title["after"], "Franse leesclub");
    assert!(
        e["changes"].as_array().unwrap().iter().all(|c| c["field"] != "summary"),
        "unchanged fields are not listed: {e}"
    );

    // The creation is its own entry, from its own request, with nothing before.
    let (_, entries, _) = audit(&app, json!({ "requestId": created.header("x-request-id") }), None, None).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["action"], "CREATE");
    assert_eq!(entries[0]["credential"], format!("token:{jti}"));
    let title = field_change(&entries[0], "title");
    assert_eq!(title["before"], Value::Null);
    assert_eq!(title["after"], "Engelse leesclub");
}

#[tokio::test]
async fn a_usable_client_request_id_is_echoed_and_recorded_and_an_unusable_one_is_replaced() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;

    let mine = "trace-4f2a_client-side";
    let answer = post(
        &app,
        CREATE_PROPOSITION,
        new_proposition(&org, "Leesclub met eigen id"),
        Some(&editor),
        &[("x-request-id", HeaderValue::from_static(mine))],
    )
    .await;
    data(&answer.body);
    assert_eq!(answer.header("x-request-id"), mine);
    let (total, entries, _) = audit(&app, json!({ "requestId": mine }), None, None).await;
    assert_eq!(total, 1, "{entries:?}");

    // Ids that could forge log lines or bloat them are replaced; the trail holds the one sent back.
    let long = "a".repeat(65);
    let forged: [&[u8]; 4] = [b"bad id with spaces", long.as_bytes(), "id\u{e9}".as_bytes(), b"a;b=c"];
    for (n, forged) in forged.into_iter().enumerate() {
        let value = HeaderValue::from_bytes(forged).expect("a sendable header");
        let forged = String::from_utf8_lossy(forged).to_string();
        let answer = post(
            &app,
            CREATE_PROPOSITION,
            new_proposition(&org, &format!("Leesclub {n}")),
            Some(&editor),
            &[("x-request-id", value)],
        )
        .await;
        data(&answer.body);
        let given = answer.header("x-request-id");
        assert!(!given.is_empty() && given != forged, "{forged:?} was kept: {given:?}");
        let (total, _, _) = audit(&app, json!({ "requestId": forged }), None, None).await;
        assert_eq!(total, 0, "{forged:?} reached the trail");
        let (total, _, _) = audit(&app, json!({ "requestId": given }), None, None).await;
        assert_eq!(total, 1, "the replacement id {given:?} is recorded");
    }
}

#[tokio::test]
async fn an_api_key_change_is_recorded_with_the_key_as_subject_and_credential() {
    let app = spawn_app().await;
    let org = app.organisation_id(ZOETERMEER).await;
    let body = app
        .graphql(
            "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }",
            json!({ "input": { "organisation": org, "name": "Website", "scopes": ["WRITE_OWN_ORGANISATION"] } }),
            Some(&app.maintainer()),
        )
        .await;
    let created = &data(&body)["createApiKey"];
    let key = created["key"].as_str().unwrap().to_string();
    let key_gid = created["apiKey"]["id"].as_str().unwrap().to_string();

    // The key's creation itself is on the trail, without the key or its hash.
    let (_, entries, _) = audit(&app, json!({ "record": key_gid }), None, None).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["action"], "CREATE");
    assert_eq!(entries[0]["recordType"], "ApiKey");
    let logged = entries[0].to_string();
    assert!(!logged.contains(&key), "the key is on the trail: {logged}");
    assert!(!logged.to_lowercase().contains("secret") && !logged.contains("Hash"), "{logged}");

    let (_, answer) = create(&app, &key, ZOETERMEER, "Leesclub via de website").await;
    let (_, entries, _) = audit(&app, json!({ "requestId": answer.header("x-request-id") }), None, None).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let subject = entries[0]["actorSubject"].as_str().unwrap().to_string();
    assert!(subject.starts_with("api-key:"), "{subject}");
    assert_eq!(entries[0]["credential"], subject.as_str(), "the credential names the key");
    assert_eq!(entries[0]["actorOrganisation"]["slug"], ZOETERMEER);
    assert_eq!(entries[0]["actorRole"], "LIBRARY_EDITOR");
}

#[tokio::test]
async fn credential_and_request_id_are_shown_to_maintainers_only_in_a_records_history() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let (id, _) = create(&app, &editor, ZOETERMEER, "Leesclub voor de geschiedenis").await;
    let doc =
        "query($id: ID!) { proposition(id: $id) { history { nodes { action actorSubject credential requestId } } } }";
    let own = app.graphql(doc, json!({ "id": id }), Some(&editor)).await;
    let entry = &data(&own)["proposition"]["history"]["nodes"][0];
    assert_eq!(entry["action"], "CREATE", "{own}");
    assert_eq!(entry["credential"], Value::Null, "{own}");
    assert_eq!(entry["requestId"], Value::Null, "{own}");
    // Published, the maintainer sees the same entry with both filled in.
    let publish =
        "mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }";
    data(&app.graphql(publish, json!({ "input": { "id": id, "expectedVersion": 1 } }), Some(&editor)).await);
    let seen = app.graphql(doc, json!({ "id": id }), Some(&app.maintainer())).await;
    let nodes = data(&seen)["proposition"]["history"]["nodes"].as_array().unwrap().clone();
    let created = nodes.iter().find(|n| n["action"] == "CREATE").unwrap_or_else(|| panic!("{seen}"));
    assert!(created["credential"].as_str().is_some_and(|c| c.starts_with("token:")), "{seen}");
    assert!(created["requestId"].as_str().is_some_and(|r| !r.is_empty()), "{seen}");
}

// ---- who reads it ------------------------------------------------------------------------------

#[tokio::test]
async fn the_audit_trail_is_for_network_maintainers_only() {
    let app = spawn_app().await;
    let anonymous = post(&app, "{ auditTrail { totalCount } }", json!({}), None, &[]).await;
    assert_eq!(error_code(&anonymous.body), "UNAUTHENTICATED", "{}", anonymous.body);
    assert!(anonymous.body["data"].is_null(), "{}", anonymous.body);

    let mut admin = app.keys.claims("admin", Some(ZOETERMEER), Role::LibraryEditor, chrono::Duration::hours(1));
    admin.admin = true;
    let callers = [
        ("partner", app.token(Role::Partner, Some("seniorweb"))),
        ("partner without organisation", app.token(Role::Partner, None)),
        ("library editor", app.editor(ZOETERMEER)),
        ("library administrator", app.keys.sign(&admin).unwrap()),
        ("support editor", app.token(Role::SupportEditor, Some("probiblio"))),
    ];
    let org = app.organisation_id(ZOETERMEER).await;
    let body = app
        .graphql(
            "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }",
            json!({ "input": { "organisation": org, "name": "Alles", "scopes": ["READ_NETWORK_RESEARCH", "WRITE_OWN_ORGANISATION"] } }),
            Some(&app.maintainer()),
        )
        .await;
    let key = data(&body)["createApiKey"]["key"].as_str().unwrap().to_string();
    let callers = callers.into_iter().chain([("API key with every scope", key)]);
    for (who, token) in callers {
        for doc in [
            "{ auditTrail { totalCount } }",
            "{ auditTrail(first: 1) { nodes { id actorSubject credential } } }",
            r#"{ auditTrail(filter: { recordType: "Proposition" }) { edges { node { id } } } }"#,
        ] {
            let answer = post(&app, doc, json!({}), Some(&token), &[]).await;
            assert_eq!(error_code(&answer.body), "FORBIDDEN", "{who}: {doc}: {}", answer.body);
            assert!(answer.body["data"].is_null(), "{who} got data: {}", answer.body);
        }
    }
    let total = audit_total(&app).await;
    assert!(total > 0, "the demo network was loaded through the logged service rules");
}

// ---- filters and paging ------------------------------------------------------------------------

#[tokio::test]
async fn filters_narrow_the_trail_by_record_type_record_actor_organisation_credential_and_request() {
    let app = spawn_app().await;
    let (anna, anna_jti) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    let (bert, _) = user_token(&app, "bert", Some(ALMERE), Role::LibraryEditor);
    let (a, _) = create(&app, &anna, ZOETERMEER, "Leesclub A").await;
    let renamed = rename(&app, &anna, &a, 1, "Leesclub A2").await;
    data(&renamed.body);
    let (b, _) = create(&app, &bert, ALMERE, "Leesclub B").await;
    let branch = app
        .graphql(
            "mutation($input: CreateBranchInput!) { createBranch(input: $input) { branch { id } } }",
            json!({ "input": { "organisationId": app.organisation_id(ZOETERMEER).await, "name": "Vestiging Rokkeveen",
                               "address": "Rokkeveenseweg 1", "postcode": "2712 PA",
                               "municipalityCode": "GM0637" } }),
            Some(&anna),
        )
        .await;
    let branch_id = data(&branch)["createBranch"]["branch"]["id"].as_str().unwrap().to_string();

    let everything = audit_total(&app).await;

    let by_type = audit_all(&app, json!({ "recordType": "Branch" })).await;
    assert!(by_type.iter().all(|e| e["recordType"] == "Branch"), "{by_type:?}");
    assert!(by_type.iter().any(|e| e["recordId"] == branch_id.as_str()));
    assert!((by_type.len() as u64) < everything);

    let by_record = audit_all(&app, json!({ "record": a })).await;
    let actions: Vec<&str> = by_record.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["UPDATE", "CREATE"], "newest first: {by_record:?}");
    assert!(by_record.iter().all(|e| e["recordId"] == a.as_str()));

    let by_anna = audit_all(&app, json!({ "actorSubject": "anna" })).await;
    assert_eq!(by_anna.len(), 3, "{by_anna:?}");
    assert!(by_anna.iter().all(|e| e["actorSubject"] == "anna"));

    let by_credential = audit_all(&app, json!({ "credential": format!("token:{anna_jti}") })).await;
    assert_eq!(by_credential.len(), 3, "{by_credential:?}");

    let almere = app.organisation_id(ALMERE).await;
    // Almere's own changes: Bert's creation, and the demo network Almere's editors loaded.
    let by_org = audit_all(&app, json!({ "actorOrganisation": almere })).await;
    assert!(by_org.iter().all(|e| e["actorOrganisation"]["slug"] == ALMERE), "another organisation's change");
    assert_eq!(by_org[0]["recordId"], b.as_str(), "newest first");
    assert!(by_org.iter().all(|e| e["actorSubject"] != "anna"));
    let by_org_and_actor = audit_all(&app, json!({ "actorOrganisation": almere, "actorSubject": "bert" })).await;
    assert_eq!(by_org_and_actor.len(), 1);

    let by_request = audit_all(&app, json!({ "requestId": renamed.header("x-request-id") })).await;
    assert_eq!(by_request.len(), 1, "{by_request:?}");
    assert_eq!(by_request[0]["action"], "UPDATE");

    let combined = audit_all(&app, json!({ "actorSubject": "anna", "recordType": "Proposition" })).await;
    assert_eq!(combined.len(), 2, "filters combine: {combined:?}");

    for nobody in [json!({ "actorSubject": "carla" }), json!({ "requestId": "none" })] {
        assert_eq!(audit(&app, nobody.clone(), None, None).await.0, 0, "{nobody}");
    }
}

#[tokio::test]
async fn a_record_type_that_does_not_exist_or_does_not_match_the_record_is_bad_user_input() {
    let app = spawn_app().await;
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    for (filter, field) in [
        (json!({ "recordType": "Nothing" }), "recordType"),
        (json!({ "recordType": "Proposition", "record": org }), "recordType"),
    ] {
        let body = app.graphql(AUDIT, json!({ "filter": filter }), Some(&app.maintainer())).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
}

#[tokio::test]
async fn an_ideas_entries_carry_its_api_id_and_are_found_by_it() {
    // The log keeps "Idea"; the API calls it ImprovementIdea, and its entries must point to it.
    let app = spawn_app().await;
    let body = app
        .graphql(
            "{ improvementIdeas(first: 1) { nodes { id } } }",
            json!({}),
            Some(&app.editor("bibliotheek-zoetermeer")),
        )
        .await;
    let idea = data(&body)["improvementIdeas"]["nodes"][0]["id"].as_str().expect("a demo idea").to_string();
    let entries = audit_all(&app, json!({ "record": idea })).await;
    assert!(!entries.is_empty(), "the demo idea's creation is logged");
    assert!(
        entries.iter().all(|e| e["recordId"] == idea.as_str() && e["recordType"] == "ImprovementIdea"),
        "{entries:?}"
    );
    let by_type = audit_all(&app, json!({ "recordType": "ImprovementIdea" })).await;
    assert!(by_type.iter().any(|e| e["recordId"] == idea.as_str()), "{by_type:?}");
}

#[tokio::test]
async fn since_is_inclusive_and_until_exclusive_on_the_moment_of_the_change() {
    let app = spawn_app().await;
    let (anna, _) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    create(&app, &anna, ZOETERMEER, "Leesclub eerst").await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    create(&app, &anna, ZOETERMEER, "Leesclub daarna").await;
    let mine = audit_all(&app, json!({ "actorSubject": "anna" })).await;
    assert_eq!(mine.len(), 2, "{mine:?}");
    let (second, first) = (&mine[0], &mine[1]);
    let at = |e: &Value| e["occurredAt"].as_str().unwrap().to_string();
    let moment = |e: &Value| chrono::DateTime::parse_from_rfc3339(&at(e)).unwrap();
    assert!(moment(first) < moment(second), "{mine:?}");

    let ids = |entries: Vec<Value>| entries.iter().map(|e| e["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let id = |e: &Value| e["id"].as_str().unwrap().to_string();
    let since = ids(audit_all(&app, json!({ "actorSubject": "anna", "since": at(second) })).await);
    assert_eq!(since, [id(second)], "since {} (inclusive)", at(second));
    let until = ids(audit_all(&app, json!({ "actorSubject": "anna", "until": at(second) })).await);
    assert_eq!(until, [id(first)], "until {} (exclusive)", at(second));
    let both = ids(audit_all(&app, json!({ "actorSubject": "anna", "since": at(first), "until": at(second) })).await);
    assert_eq!(both, [id(first)]);
    let window =
        ids(audit_all(&app, json!({ "since": at(first), "until": "2999-01-01T00:00:00Z", "actorSubject": "anna" }))
            .await);
    assert_eq!(window, [id(second), id(first)]);

    // Other offsets name the same moments.
    let later = chrono::DateTime::parse_from_rfc3339(&at(second)).unwrap();
    let amsterdam = later.with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap()).to_rfc3339();
    let since = ids(audit_all(&app, json!({ "actorSubject": "anna", "since": amsterdam })).await);
    assert_eq!(since, [id(second)], "since {amsterdam}");

    assert_eq!(audit(&app, json!({ "since": "2999-01-01T00:00:00Z" }), None, None).await.0, 0);
    assert_eq!(audit(&app, json!({ "until": "2000-01-01T00:00:00Z" }), None, None).await.0, 0);
    let body = app.graphql(AUDIT, json!({ "filter": { "since": "yesterday" } }), Some(&app.maintainer())).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

#[tokio::test]
async fn the_trail_pages_newest_first_without_gaps_or_overlap() {
    let app = spawn_app().await;
    let (anna, _) = user_token(&app, "anna", Some(ZOETERMEER), Role::LibraryEditor);
    let (id, _) = create(&app, &anna, ZOETERMEER, "Leesclub 0").await;
    for v in 1..7 {
        data(&rename(&app, &anna, &id, v, &format!("Leesclub {v}")).await.body);
    }
    let filter = json!({ "record": id });
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let (total, nodes, page) = audit(&app, filter.clone(), Some(3), after.as_deref()).await;
        assert_eq!(total, 7, "totalCount counts the whole filtered trail");
        assert!(nodes.len() <= 3);
        seen.extend(nodes.iter().map(|n| n["version"].as_i64().unwrap()));
        if page["hasNextPage"] != true {
            break;
        }
        after = page["endCursor"].as_str().map(str::to_string);
    }
    assert_eq!(seen, [7, 6, 5, 4, 3, 2, 1]);

    // The whole trail pages the same way: entry ids strictly descend across pages.
    let (_, first_page, page) = audit(&app, json!({}), Some(5), None).await;
    let (_, next_page, _) = audit(&app, json!({}), Some(5), page["endCursor"].as_str()).await;
    let ids: Vec<String> = first_page.iter().chain(&next_page).map(|n| n["id"].as_str().unwrap().to_string()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10, "{ids:?}");
    assert_eq!(first_page[0]["recordId"], id.as_str(), "newest first");

    for first in [0, 101] {
        let body = app.graphql(AUDIT, json!({ "first": first }), Some(&app.maintainer())).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "first: {first}: {body}");
    }
    let body = app.graphql(AUDIT, json!({ "after": "not-a-cursor" }), Some(&app.maintainer())).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

// ---- nobody alters it --------------------------------------------------------------------------

#[tokio::test]
async fn no_mutation_of_the_api_touches_the_audit_trail() {
    let app = spawn_app().await;
    let body = app
        .anon(
            "{ __schema { mutationType { fields { name type { name kind ofType { name kind ofType { name } } } } } } }",
            json!({}),
        )
        .await;
    let fields = data(&body)["__schema"]["mutationType"]["fields"].as_array().unwrap().clone();
    assert!(fields.len() > 30, "{body}");
    for field in &fields {
        let name = field["name"].as_str().unwrap().to_lowercase();
        for word in ["audit", "changelog", "change_log", "history", "changeentry", "trail"] {
            assert!(!name.contains(word), "mutation {name} touches the audit trail");
        }
        let returned = field["type"].to_string();
        assert!(!returned.contains("ChangeEntry") && !returned.contains("Audit"), "{name} returns {returned}");
    }
    // Nor does any payload of a mutation expose a change entry for writing: no input type names one.
    let body = app.anon("{ __schema { types { name kind } } }", json!({})).await;
    let inputs: Vec<String> = data(&body)["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "INPUT_OBJECT")
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    let audit_inputs: Vec<&String> =
        inputs.iter().filter(|n| n.contains("Audit") || n.contains("Change") || n.contains("History")).collect();
    assert_eq!(audit_inputs, ["AuditFilterInput"], "only the filter of the read");
}

#[tokio::test]
async fn the_database_refuses_to_update_or_delete_the_change_log() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let (id, answer) = create(&app, &editor, ZOETERMEER, "Leesclub voor de eeuwigheid").await;
    let request_id = answer.header("x-request-id");
    let db = database(&app).await;
    let rows = change_log_rows(&db).await;
    let entry = entity::change_log::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.request_id.as_deref() == Some(request_id.as_str()))
        .expect("the creation's entry");

    let attempts = [
        format!("UPDATE change_log SET actor_subject = 'someone-else' WHERE id = {}", entry.id),
        format!("UPDATE change_log SET request_id = NULL, credential = NULL WHERE id = {}", entry.id),
        "UPDATE change_log SET actor_role = 'NETWORK_MAINTAINER'".to_string(),
        format!("DELETE FROM change_log WHERE id = {}", entry.id),
        "DELETE FROM change_log".to_string(),
    ];
    for sql in &attempts {
        let result = db.execute_unprepared(sql).await;
        assert!(result.is_err(), "{sql} succeeded: {result:?}");
        let message = result.unwrap_err().to_string();
        assert!(message.contains("append-only"), "{sql}: refused for another reason: {message}");
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let result = db.execute_unprepared("TRUNCATE change_log").await;
        assert!(result.is_err(), "TRUNCATE succeeded");
    }
    assert_eq!(change_log_rows(&db).await, rows, "no row went");
    let after = entity::change_log::Entity::find_by_id(entry.id).one(&db).await.unwrap().expect("the row stays");
    assert_eq!(after, entry, "the row is unchanged");
    let _ = db.close().await;

    // The API still shows the entry.
    let (_, entries, _) = audit(&app, json!({ "record": id }), None, None).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["actorSubject"], "user-of-bibliotheek-zoetermeer");
}

// ---- written with the change, or not at all ----------------------------------------------------

#[tokio::test]
async fn a_refused_or_invalid_mutation_logs_nothing_and_a_valid_one_logs_exactly_one_entry() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let before = audit_total(&app).await;

    let mut invalid = new_proposition(&org, "   ");
    let answer = post(&app, CREATE_PROPOSITION, invalid.clone(), Some(&editor), &[]).await;
    assert_eq!(error_code(&answer.body), "BAD_USER_INPUT", "{}", answer.body);
    invalid["input"]["title"] = json!("Geldige titel");
    invalid["input"]["standardPropositionCode"] = json!("NO_SUCH_STANDARD");
    let answer = post(&app, CREATE_PROPOSITION, invalid, Some(&editor), &[]).await;
    assert_eq!(error_code(&answer.body), "BAD_USER_INPUT", "{}", answer.body);
    let answer =
        post(&app, CREATE_PROPOSITION, new_proposition(&org, "Leesclub"), Some(&app.editor(ALMERE)), &[]).await;
    assert_eq!(error_code(&answer.body), "FORBIDDEN", "{}", answer.body);
    let answer = post(&app, CREATE_PROPOSITION, new_proposition(&org, "Leesclub"), None, &[]).await;
    assert_eq!(error_code(&answer.body), "UNAUTHENTICATED", "{}", answer.body);
    assert_eq!(audit_total(&app).await, before, "failed mutations logged something");

    let (id, _) = create(&app, &editor, ZOETERMEER, "Leesclub").await;
    assert_eq!(audit_total(&app).await, before + 1);
    // A stale update is refused and logs nothing; a valid one logs one entry.
    let stale = rename(&app, &editor, &id, 7, "Andere titel").await;
    assert_eq!(error_code(&stale.body), "CONFLICT", "{}", stale.body);
    assert_eq!(audit_total(&app).await, before + 1);
    data(&rename(&app, &editor, &id, 1, "Andere titel").await.body);
    assert_eq!(audit_total(&app).await, before + 2);
}

#[tokio::test]
async fn a_change_whose_log_entry_cannot_be_written_is_not_saved_either() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let (id, _) = create(&app, &editor, ZOETERMEER, "Leesclub voor de storing").await;
    let db = database(&app).await;
    let rows = change_log_rows(&db).await;
    // Make every insert into the log fail, as a full disk or a broken constraint would.
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            "CREATE FUNCTION refuse_log_insert() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'log unavailable'; END $$;
             CREATE TRIGGER refuse_log_insert BEFORE INSERT ON change_log
               FOR EACH ROW EXECUTE FUNCTION refuse_log_insert();"
        }
        _ => {
            "CREATE TRIGGER refuse_log_insert BEFORE INSERT ON change_log BEGIN SELECT RAISE(ABORT, 'log unavailable'); END;"
        }
    };
    db.execute_unprepared(sql).await.expect("install the failing trigger");

    let org = app.organisation_id(ZOETERMEER).await;
    let answer = post(&app, CREATE_PROPOSITION, new_proposition(&org, "Nooit opgeslagen"), Some(&editor), &[]).await;
    assert_eq!(error_code(&answer.body), "INTERNAL", "{}", answer.body);
    assert!(!answer.body.to_string().contains("log unavailable"), "the cause leaked: {}", answer.body);
    let answer = rename(&app, &editor, &id, 1, "Nooit hernoemd").await;
    assert_eq!(error_code(&answer.body), "INTERNAL", "{}", answer.body);

    use sea_orm::{ColumnTrait, QueryFilter};
    let saved = entity::proposition::Entity::find()
        .filter(entity::proposition::Column::Title.is_in(["Nooit opgeslagen", "Nooit hernoemd"]))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(saved, 0, "a change was saved without its log entry");
    assert_eq!(change_log_rows(&db).await, rows);
    let body = app
        .graphql("query($id: ID!) { proposition(id: $id) { title version } }", json!({ "id": id }), Some(&editor))
        .await;
    assert_eq!(data(&body)["proposition"], json!({ "title": "Leesclub voor de storing", "version": 1 }));
    let _ = db.close().await;
}
