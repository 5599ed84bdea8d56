//! Hostile input and concurrency: racing versioned updates, injection strings in every text filter
//! and in search, hostile text stored verbatim, who may manage API keys, and API keys without the
//! write scope trying every kind of mutation.

use futures::future::join_all;
use registry::identity::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{
    Answer, CREATE_PROPOSITION, UPDATE_PROPOSITION, audit_total, change_log_rows, database, new_proposition, post,
};
use crate::helpers::{TestApp, data, error_code, spawn_app};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";
const ALMERE: &str = "nieuwe-bibliotheek-almere";

/// Strings that break naive SQL, LIKE patterns, HTML, placeholders or byte handling.
fn hostile_strings() -> Vec<String> {
    let mut long = String::new();
    while long.len() < 10_240 {
        long.push_str("' OR 1=1 -- %_ <b>Ω</b> ");
    }
    // Text is trimmed on input (by design), so the hostile text ends in a visible character.
    long.push('!');
    [
        "'; DROP TABLE proposition; --",
        "\" OR 1=1 --",
        "<script>alert(1)</script>",
        "%_\\",
        "Ωmega 🚀",
        "$1",
        "?",
        "' UNION SELECT secret_hash FROM api_key --",
        "Robert'); DELETE FROM change_log; --",
        "*",
        "\"unterminated",
        "NEAR(a b)",
        "a OR b",
    ]
    .into_iter()
    .map(str::to_string)
    .chain([long])
    .collect()
}

/// An answer to hostile input must be a clean result or a refusal of the input, never a crash.
fn assert_clean(answer: &Answer, what: &str, allowed: &[&str]) {
    assert!(answer.status < 500, "{what}: HTTP {}: {}", answer.status, short(&answer.body));
    if let Some(errors) = answer.body["errors"].as_array() {
        for error in errors {
            let code = error["extensions"]["code"].as_str().unwrap_or("none");
            assert!(allowed.contains(&code), "{what}: {code}: {}", short(&answer.body));
        }
    } else {
        assert!(answer.body["data"].is_object(), "{what}: {}", short(&answer.body));
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 600 { format!("{}…", &s[..s.char_indices().nth(600).map_or(s.len(), |(i, _)| i)]) } else { s }
}

/// Row counts of the main tables, read in the database.
async fn table_counts(app: &TestApp) -> Vec<u64> {
    let db = database(app).await;
    let counts = vec![
        entity::proposition::Entity::find().count(&db).await.expect("proposition"),
        entity::organisation::Entity::find().count(&db).await.expect("organisation"),
        entity::study::Entity::find().count(&db).await.expect("study"),
        entity::insight::Entity::find().count(&db).await.expect("insight"),
        entity::idea::Entity::find().count(&db).await.expect("idea"),
        entity::api_key::Entity::find().count(&db).await.expect("api_key"),
        change_log_rows(&db).await,
    ];
    let _ = db.close().await;
    counts
}

/// Sends every document with every hostile string as `$s` (typed `String!` or `ID!` as the
/// document says), as each caller, and checks the answers are clean; the tables survive.
async fn probe(app: &TestApp, documents: &[&str], callers: &[Option<String>], allowed: &[&str]) {
    let before = table_counts(app).await;
    for doc in documents {
        for s in hostile_strings() {
            for caller in callers {
                let answer = post(app, doc, json!({ "s": s }), caller.as_deref(), &[]).await;
                let shown: String = s.chars().take(40).collect();
                assert_clean(&answer, &format!("{doc} with {shown:?}"), allowed);
            }
        }
    }
    assert_eq!(table_counts(app).await, before, "hostile reads changed the tables");
}

// ---- concurrent updates ------------------------------------------------------------------------

/// Sends ten updates of one record with the same expected version at once; checks exactly one
/// wins, nine get CONFLICT and nothing else, and returns the winner's index.
async fn race(app: &TestApp, doc: &str, token: &str, vars: impl Fn(usize) -> Value) -> usize {
    let answers = join_all((0..10).map(|i| post(app, doc, vars(i), Some(token), &[]))).await;
    let mut winners = Vec::new();
    for (i, answer) in answers.iter().enumerate() {
        assert_eq!(answer.status, 200, "{}", answer.body);
        match answer.body["errors"][0]["extensions"]["code"].as_str() {
            None => winners.push(i),
            Some("CONFLICT") => assert!(answer.body["data"].is_null(), "{}", answer.body),
            Some(other) => panic!("update {i} failed with {other}: {}", answer.body),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one of ten updates at version 1 wins: {winners:?}");
    winners[0]
}

#[tokio::test]
async fn ten_concurrent_proposition_updates_at_one_version_let_exactly_one_win() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let body = app.graphql(CREATE_PROPOSITION, new_proposition(&org, "Leesclub in de race"), Some(&editor)).await;
    let id = data(&body)["createProposition"]["proposition"]["id"].as_str().unwrap().to_string();
    let before = audit_total(&app).await;
    let winner = race(
        &app,
        UPDATE_PROPOSITION,
        &editor,
        |i| json!({ "input": { "id": id, "expectedVersion": 1, "title": format!("Leesclub {i}") } }),
    )
    .await;
    let body = app
        .graphql("query($id: ID!) { proposition(id: $id) { title version } }", json!({ "id": id }), Some(&editor))
        .await;
    assert_eq!(data(&body)["proposition"], json!({ "title": format!("Leesclub {winner}"), "version": 2 }));
    assert_eq!(audit_total(&app).await, before + 1, "one change logged");
}

#[tokio::test]
async fn ten_concurrent_branch_and_study_updates_at_one_version_let_exactly_one_win() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;

    let body = app
        .graphql(
            "mutation($input: CreateBranchInput!) { createBranch(input: $input) { branch { id version } } }",
            json!({ "input": { "organisationId": org, "name": "Vestiging Rokkeveen", "address": "Rokkeveenseweg 1",
                               "postcode": "2712 PA", "municipalityCode": "GM0637" } }),
            Some(&editor),
        )
        .await;
    let branch = data(&body)["createBranch"]["branch"]["id"].as_str().unwrap().to_string();
    let winner = race(
        &app,
        "mutation($input: UpdateBranchInput!) { updateBranch(input: $input) { branch { id version } } }",
        &editor,
        |i| json!({ "input": { "id": branch, "expectedVersion": 1, "name": format!("Vestiging {i}") } }),
    )
    .await;
    let body =
        app.anon("query($id: ID!) { node(id: $id) { ... on Branch { name version } } }", json!({ "id": branch })).await;
    assert_eq!(data(&body)["node"], json!({ "name": format!("Vestiging {winner}"), "version": 2 }));

    let body = app
        .graphql(
            "mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id version } } }",
            json!({ "input": { "title": "Bezoek van ouderen", "methods": ["SURVEY"], "participantCount": 150,
                               "periodStart": "2025-01-06", "commissionedByIds": [org] } }),
            Some(&editor),
        )
        .await;
    let study = data(&body)["createStudy"]["study"]["id"].as_str().unwrap().to_string();
    let winner = race(
        &app,
        "mutation($input: UpdateStudyInput!) { updateStudy(input: $input) { study { id version } } }",
        &editor,
        |i| json!({ "input": { "id": study, "expectedVersion": 1, "summary": format!("Samenvatting {i}") } }),
    )
    .await;
    let body = app
        .graphql("query($id: ID!) { study(id: $id) { summary version } }", json!({ "id": study }), Some(&editor))
        .await;
    assert_eq!(data(&body)["study"], json!({ "summary": format!("Samenvatting {winner}"), "version": 2 }));
}

// ---- injection in filters and search -----------------------------------------------------------

const CLEAN: &[&str] = &["BAD_USER_INPUT"];
const CLEAN_OR_ABSENT: &[&str] = &["BAD_USER_INPUT", "NOT_FOUND"];

fn anonymous_and_editor(app: &TestApp) -> Vec<Option<String>> {
    vec![None, Some(app.editor(ZOETERMEER))]
}

#[tokio::test]
async fn hostile_strings_in_every_proposition_filter_give_clean_answers() {
    let app = spawn_app().await;
    let mut docs = Vec::new();
    for field in [
        "organisationSlugs",
        "standardPropositions",
        "societalTasks",
        "coreFunctions",
        "targetGroups",
        "municipalities",
        "provinces",
    ] {
        docs.push(format!(
            "query($s: String!) {{ propositions(filter: {{ {field}: [$s] }}) {{ totalCount nodes {{ id title }} }} }}"
        ));
        docs.push(format!("query($s: String!) {{ networkFigures(filter: {{ {field}: [$s] }}) {{ __typename }} }}"));
        docs.push(format!("query($s: String!) {{ mappingSuggestions(filter: {{ {field}: [$s] }}) {{ totalCount }} }}"));
    }
    docs.push("query($s: ID!) { propositions(filter: { organisationIds: [$s] }) { totalCount } }".into());
    let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
    probe(&app, &docs, &anonymous_and_editor(&app), CLEAN).await;
}

#[tokio::test]
async fn hostile_strings_in_organisation_and_common_model_lookups_give_clean_answers() {
    let app = spawn_app().await;
    let docs = [
        "query($s: String!) { organisations(filter: { nameContains: $s }) { totalCount nodes { slug } } }",
        "query($s: String!) { organisations(filter: { municipality: $s }) { totalCount } }",
        "query($s: String!) { organisations(filter: { province: $s }) { totalCount } }",
        "query($s: String!) { organisations(filter: { supportOrganisation: $s }) { totalCount } }",
        "query($s: String!) { organisation(slug: $s) { id } }",
        "query($s: String!) { standardProposition(code: $s) { code } }",
        "query($s: String!) { standardPropositions(filter: { coreFunctions: [$s] }) { code } }",
        "query($s: String!) { standardPropositions(filter: { societalTasks: [$s] }) { code } }",
        "query($s: String!) { standardPropositions(filter: { targetGroups: [$s] }) { code } }",
        "query($s: String!) { municipalities(province: $s) { code } }",
        "query($s: String!) { whoOffers(offering: { standardPropositionCode: $s }) { __typename } }",
        "query($s: String!) { whoOffers(offering: { standardPropositionCode: \"BOEKSTART\" }, region: { province: $s }) { __typename } }",
        "query($s: String!) { compare(organisations: [$s, \"bibliotheek-zoetermeer\"]) { __typename } }",
        "query($s: ID!) { node(id: $s) { id } }",
        "query($s: ID!) { proposition(id: $s) { id } }",
    ];
    probe(&app, &docs, &[None], CLEAN_OR_ABSENT).await;
}

#[tokio::test]
async fn like_wildcards_in_name_contains_match_only_themselves() {
    let app = spawn_app().await;
    let all = app.anon("{ organisations(first: 100) { totalCount } }", json!({})).await;
    assert!(data(&all)["organisations"]["totalCount"].as_u64().unwrap() > 5);
    for pattern in ["%", "_", "\\", "%%", "Bibliotheek%Zoetermeer", "Bibliotheek_Zoetermeer", "[a-z]", "*"] {
        let body = app
            .anon(
                "query($s: String!) { organisations(filter: { nameContains: $s }) { totalCount nodes { name } } }",
                json!({ "s": pattern }),
            )
            .await;
        assert_eq!(data(&body)["organisations"]["totalCount"], 0, "{pattern:?} acted as a wildcard: {body}");
    }
    let body = app
        .anon(
            "query($s: String!) { organisations(filter: { nameContains: $s }) { nodes { slug } } }",
            json!({ "s": "bibliotheek zoeter" }),
        )
        .await;
    assert_eq!(data(&body)["organisations"]["nodes"], json!([{ "slug": ZOETERMEER }]), "case-insensitive");
}

#[tokio::test]
async fn hostile_strings_in_every_study_insight_and_idea_filter_give_clean_answers() {
    let app = spawn_app().await;
    let mut docs = Vec::new();
    let study_fields = [
        "commissionedBy",
        "conductedBy",
        "municipalities",
        "organisations",
        "provinces",
        "standardPropositions",
        "targetGroups",
    ];
    for field in study_fields {
        docs.push(format!("query($s: String!) {{ studies(filter: {{ {field}: [$s] }}) {{ totalCount }} }}"));
        docs.push(format!(
            "query($s: String!) {{ insights(filter: {{ study: {{ {field}: [$s] }} }}) {{ totalCount }} }}"
        ));
    }
    for field in ["standardPropositions", "targetGroups"] {
        docs.push(format!("query($s: String!) {{ insights(filter: {{ {field}: [$s] }}) {{ totalCount }} }}"));
        docs.push(format!(
            "query($s: String!) {{ improvementIdeas(filter: {{ insights: {{ {field}: [$s] }} }}) {{ totalCount }} }}"
        ));
    }
    docs.push("query($s: String!) { improvementIdeas(filter: { adoptedBy: [$s] }) { totalCount } }".into());
    docs.push("query($s: ID!) { studies(filter: { propositionIds: [$s] }) { totalCount } }".into());
    docs.push("query($s: ID!) { insights(filter: { studyIds: [$s] }) { totalCount } }".into());
    docs.push("query($s: ID!) { improvementIdeas(filter: { studyIds: [$s] }) { totalCount } }".into());
    docs.push("query($s: ID!) { study(id: $s) { id } }".into());
    let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
    probe(&app, &docs, &anonymous_and_editor(&app), CLEAN_OR_ABSENT).await;
}

#[tokio::test]
async fn hostile_strings_in_search_give_clean_answers() {
    let app = spawn_app().await;
    let docs = [
        "query($s: String!) { search(query: $s) { totalCount countsByKind { kind count } edges { node { title snippet } } } }",
        "query($s: String!) { search(query: \"bibliotheek\", filter: { organisations: [$s] }) { totalCount } }",
        "query($s: String!) { search(query: \"bibliotheek\", filter: { provinces: [$s] }) { totalCount } }",
        "query($s: String!) { search(query: \"bibliotheek\", filter: { standardPropositions: [$s] }) { totalCount } }",
        "query($s: String!) { search(query: \"bibliotheek\", filter: { targetGroups: [$s] }) { totalCount } }",
    ];
    probe(&app, &docs, &anonymous_and_editor(&app), CLEAN).await;
    // Snippets are HTML-escaped: a search for hostile words never returns live markup.
    let body = app.anon("{ search(query: \"script alert\") { edges { node { snippet } } } }", json!({})).await;
    assert!(!data(&body).to_string().contains("<script>"), "{body}");
}

#[tokio::test]
async fn hostile_strings_in_the_audit_trail_and_api_key_filters_give_clean_answers() {
    let app = spawn_app().await;
    let docs = [
        "query($s: String!) { auditTrail(filter: { recordType: $s }) { totalCount } }",
        "query($s: String!) { auditTrail(filter: { actorSubject: $s }) { totalCount } }",
        "query($s: String!) { auditTrail(filter: { credential: $s }) { totalCount } }",
        "query($s: String!) { auditTrail(filter: { requestId: $s }) { totalCount } }",
        "query($s: ID!) { auditTrail(filter: { record: $s }) { totalCount } }",
        "query($s: ID!) { auditTrail(filter: { actorOrganisation: $s }) { totalCount } }",
        "query($s: String!) { auditTrail(after: $s) { totalCount } }",
        "query($s: ID!) { apiKeys(organisation: $s) { totalCount } }",
    ];
    probe(&app, &docs, &[Some(app.maintainer())], CLEAN).await;
}

// ---- hostile text is stored verbatim -----------------------------------------------------------

#[tokio::test]
async fn hostile_text_is_stored_and_read_back_byte_for_byte() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let strings = hostile_strings();
    let long = strings.last().unwrap().clone();
    let fields = "id title summary description version";
    let create = format!(
        "mutation($input: CreatePropositionInput!) {{ createProposition(input: $input) {{ proposition {{ {fields} }} }} }}"
    );
    let update = format!(
        "mutation($input: UpdatePropositionInput!) {{ updateProposition(input: $input) {{ proposition {{ {fields} }} }} }}"
    );
    let db = database(&app).await;
    for s in strings.iter().filter(|s| s.chars().count() <= 200) {
        let mut vars = new_proposition(&org, s);
        vars["input"]["summary"] = json!(format!("{s} {s}"));
        vars["input"]["description"] = json!(format!("{s}\n{long}"));
        let body = app.graphql(&create, vars, Some(&editor)).await;
        let p = &data(&body)["createProposition"]["proposition"];
        assert_eq!(p["title"], s.as_str(), "as answered");
        let id = p["id"].as_str().unwrap().to_string();
        let body = app
            .graphql(
                &format!("query($id: ID!) {{ proposition(id: $id) {{ {fields} }} }}"),
                json!({ "id": id }),
                Some(&editor),
            )
            .await;
        let p = &data(&body)["proposition"];
        assert_eq!(p["title"], s.as_str(), "as read back");
        assert_eq!(p["summary"], format!("{s} {s}"));
        assert!(p["description"] == format!("{s}\n{long}").as_str(), "description of {s:?} altered: {}", short(p));
        let stored = entity::proposition::Entity::find()
            .filter(entity::proposition::Column::Title.eq(s.as_str()))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(stored, 1, "stored unaltered in the database: {s:?}");

        let renamed = format!("{s} (2)");
        let body = app
            .graphql(&update, json!({ "input": { "id": id, "expectedVersion": 1, "title": renamed } }), Some(&editor))
            .await;
        assert_eq!(data(&body)["updateProposition"]["proposition"]["title"], renamed.as_str());
    }
    let _ = db.close().await;

    // A study's title and a long summary, and a branch's name, likewise.
    for s in strings.iter().filter(|s| s.chars().count() <= 200) {
        let summary: String = format!("{s} {long}").chars().take(8_999).collect();
        let summary = format!("{}!", summary.trim_end());
        let body = app
            .graphql(
                "mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id title summary } } }",
                json!({ "input": { "title": s, "summary": summary, "methods": ["INTERVIEWS"], "periodStart": "2025-01-01",
                                   "commissionedByIds": [org] } }),
                Some(&editor),
            )
            .await;
        let study = &data(&body)["createStudy"]["study"];
        let body = app
            .graphql(
                "query($id: ID!) { study(id: $id) { title summary } }",
                json!({ "id": study["id"] }),
                Some(&editor),
            )
            .await;
        assert!(data(&body)["study"] == json!({ "title": s, "summary": summary }), "study {s:?}: {}", short(&body));

        let body = app
            .graphql(
                "mutation($input: CreateBranchInput!) { createBranch(input: $input) { branch { id name } } }",
                json!({ "input": { "organisationId": org, "name": s, "address": format!("{s} 1"), "postcode": "2712 PA",
                                   "municipalityCode": "GM0637" } }),
                Some(&editor),
            )
            .await;
        assert_eq!(data(&body)["createBranch"]["branch"]["name"], s.as_str());
    }
    // Counting every main table succeeds: they are all still there.
    assert!(table_counts(&app).await[..5].iter().all(|n| *n > 0));
}

// ---- who manages API keys ----------------------------------------------------------------------

/// Callers of the API-key matrix, relative to Bibliotheek Zoetermeer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Partner,
    PartnerAdmin,
    PartnerWithoutOrganisation,
    OwnEditor,
    OwnAdmin,
    OtherAdmin,
    SupportAdmin,
    Maintainer,
    OwnWriteKey,
    OwnReadKey,
}

const CALLERS: [Caller; 11] = [
    Caller::Anonymous,
    Caller::Partner,
    Caller::PartnerAdmin,
    Caller::PartnerWithoutOrganisation,
    Caller::OwnEditor,
    Caller::OwnAdmin,
    Caller::OtherAdmin,
    Caller::SupportAdmin,
    Caller::Maintainer,
    Caller::OwnWriteKey,
    Caller::OwnReadKey,
];

fn admin(app: &TestApp, org: &str, role: Role) -> String {
    let mut claims = app.keys.claims(&format!("admin-of-{org}"), Some(org), role, chrono::Duration::hours(1));
    claims.admin = true;
    app.keys.sign(&claims).unwrap()
}

const CREATE_KEY: &str = "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) {
    key apiKey { id name scopes organisation { slug } } } }";
const REVOKE_KEY: &str = "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt active } }";

/// Creates a key for an organisation as a maintainer; `(key, global id)`.
async fn new_key(app: &TestApp, org: &str, scopes: Value) -> (String, String) {
    let org_id = app.organisation_id(org).await;
    let body = app
        .graphql(
            CREATE_KEY,
            json!({ "input": { "organisation": org_id, "name": "Koppeling", "scopes": scopes } }),
            Some(&app.maintainer()),
        )
        .await;
    let created = &data(&body)["createApiKey"];
    (created["key"].as_str().unwrap().to_string(), created["apiKey"]["id"].as_str().unwrap().to_string())
}

struct Credentials {
    write_key: String,
    read_key: String,
}

impl Credentials {
    async fn new(app: &TestApp) -> Self {
        Self {
            write_key: new_key(app, ZOETERMEER, json!(["WRITE_OWN_ORGANISATION"])).await.0,
            read_key: new_key(app, ZOETERMEER, json!(["READ_NETWORK_RESEARCH"])).await.0,
        }
    }

    fn of(&self, app: &TestApp, caller: Caller) -> Option<String> {
        match caller {
            Caller::Anonymous => None,
            Caller::Partner => Some(app.token(Role::Partner, Some("seniorweb"))),
            Caller::PartnerAdmin => Some(admin(app, "seniorweb", Role::Partner)),
            Caller::PartnerWithoutOrganisation => Some(app.token(Role::Partner, None)),
            Caller::OwnEditor => Some(app.editor(ZOETERMEER)),
            Caller::OwnAdmin => Some(admin(app, ZOETERMEER, Role::LibraryEditor)),
            Caller::OtherAdmin => Some(admin(app, ALMERE, Role::LibraryEditor)),
            Caller::SupportAdmin => Some(admin(app, "probiblio", Role::SupportEditor)),
            Caller::Maintainer => Some(app.maintainer()),
            Caller::OwnWriteKey => Some(self.write_key.clone()),
            Caller::OwnReadKey => Some(self.read_key.clone()),
        }
    }
}

fn expected_code(answer: &Answer) -> Option<String> {
    answer.body["errors"][0]["extensions"]["code"].as_str().map(str::to_string)
}

#[tokio::test]
async fn only_maintainers_and_the_organisations_administrators_create_its_api_keys() {
    let app = spawn_app().await;
    let credentials = Credentials::new(&app).await;
    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    for caller in CALLERS {
        let expected = match caller {
            Caller::Anonymous => Some("UNAUTHENTICATED"),
            Caller::OwnAdmin | Caller::Maintainer => None,
            _ => Some("FORBIDDEN"),
        };
        let keys_before = table_counts(&app).await[5];
        let name = format!("Sleutel van {caller:?}");
        let answer = post(
            &app,
            CREATE_KEY,
            json!({ "input": { "organisation": zoetermeer, "name": name, "scopes": ["WRITE_OWN_ORGANISATION"] } }),
            credentials.of(&app, caller).as_deref(),
            &[],
        )
        .await;
        assert_eq!(expected_code(&answer).as_deref(), expected, "{caller:?}: {}", answer.body);
        let keys_after = table_counts(&app).await[5];
        match expected {
            None => {
                let created = &answer.body["data"]["createApiKey"];
                assert_eq!(created["apiKey"]["organisation"]["slug"], ZOETERMEER);
                assert_eq!(keys_after, keys_before + 1);
            }
            Some(_) => {
                assert!(answer.body["data"].is_null(), "{caller:?}: {}", answer.body);
                assert_eq!(keys_after, keys_before, "{caller:?} created a key");
            }
        }
    }
    // Keys that write are only for organisations with records to write: not the KB, not a partner.
    for org in ["koninklijke-bibliotheek", "seniorweb"] {
        let id = app.organisation_id(org).await;
        let body = app
            .graphql(
                CREATE_KEY,
                json!({ "input": { "organisation": id, "name": "Schrijven", "scopes": ["WRITE_OWN_ORGANISATION"] } }),
                Some(&app.maintainer()),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{org}: {body}");
    }
}

#[tokio::test]
async fn only_maintainers_and_the_organisations_administrators_list_its_api_keys() {
    let app = spawn_app().await;
    let credentials = Credentials::new(&app).await;
    new_key(&app, ALMERE, json!([])).await;
    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    let doc = "query($org: ID) { apiKeys(organisation: $org) { totalCount nodes { organisation { slug } } } }";
    for caller in CALLERS {
        let token = credentials.of(&app, caller);
        for org in [Value::Null, json!(zoetermeer)] {
            let answer = post(&app, doc, json!({ "org": org }), token.as_deref(), &[]).await;
            let expected = match (caller, org.is_null()) {
                (Caller::Anonymous, _) => Some("UNAUTHENTICATED"),
                (Caller::Maintainer | Caller::OwnAdmin, _) => None,
                (Caller::OtherAdmin | Caller::PartnerAdmin | Caller::SupportAdmin, true) => None,
                _ => Some("FORBIDDEN"),
            };
            assert_eq!(expected_code(&answer).as_deref(), expected, "{caller:?} {org}: {}", answer.body);
            if expected.is_some() {
                assert!(answer.body["data"].is_null(), "{caller:?}: {}", answer.body);
                continue;
            }
            let slugs: Vec<&str> = answer.body["data"]["apiKeys"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["organisation"]["slug"].as_str().unwrap())
                .collect();
            let own = match caller {
                Caller::OwnAdmin => ZOETERMEER,
                Caller::OtherAdmin => ALMERE,
                Caller::PartnerAdmin => "seniorweb",
                Caller::SupportAdmin => "probiblio",
                _ => "",
            };
            match (caller, org.is_null()) {
                (Caller::Maintainer, true) => {
                    assert!(slugs.contains(&ZOETERMEER) && slugs.contains(&ALMERE), "{slugs:?}")
                }
                (Caller::Maintainer, false) | (Caller::OwnAdmin, _) => {
                    assert_eq!(slugs, [ZOETERMEER, ZOETERMEER], "{caller:?}")
                }
                _ => {
                    // Only Zoetermeer and Almere have keys; an `all` over nothing would prove nothing.
                    let has_keys = [ZOETERMEER, ALMERE].contains(&own);
                    assert_eq!(!slugs.is_empty(), has_keys, "{caller:?} sees exactly its own keys: {slugs:?}");
                    assert!(slugs.iter().all(|s| *s == own), "{caller:?} saw another organisation's keys: {slugs:?}")
                }
            }
        }
    }
}

#[tokio::test]
async fn only_maintainers_and_the_organisations_administrators_revoke_its_api_keys() {
    let app = spawn_app().await;
    let credentials = Credentials::new(&app).await;
    for caller in CALLERS {
        let (key, id) = new_key(&app, ZOETERMEER, json!([])).await;
        let expected = match caller {
            Caller::Anonymous => Some("UNAUTHENTICATED"),
            Caller::OwnAdmin | Caller::Maintainer => None,
            // Another organisation's key is as good as absent to whoever may not see it.
            Caller::Partner
            | Caller::PartnerAdmin
            | Caller::PartnerWithoutOrganisation
            | Caller::OtherAdmin
            | Caller::SupportAdmin => Some("NOT_FOUND"),
            Caller::OwnEditor | Caller::OwnWriteKey | Caller::OwnReadKey => Some("FORBIDDEN"),
        };
        let answer = post(&app, REVOKE_KEY, json!({ "id": id }), credentials.of(&app, caller).as_deref(), &[]).await;
        assert_eq!(expected_code(&answer).as_deref(), expected, "{caller:?}: {}", answer.body);
        let still_works = post(&app, "{ __typename }", json!({}), Some(&key), &[]).await;
        match expected {
            None => {
                assert_eq!(answer.body["data"]["revokeApiKey"]["active"], false);
                assert_eq!(still_works.status, 401, "a revoked key is refused at once");
                assert_eq!(error_code(&still_works.body), "UNAUTHENTICATED");
            }
            Some(_) => {
                assert!(answer.body["data"].is_null(), "{caller:?}: {}", answer.body);
                assert_eq!(still_works.status, 200, "{caller:?} revoked the key: {}", still_works.body);
            }
        }
    }
}

// ---- API keys without the write scope ----------------------------------------------------------

#[tokio::test]
async fn api_keys_without_the_write_scope_are_forbidden_every_kind_of_mutation_and_write_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let org = app.organisation_id(ZOETERMEER).await;
    let read_only = new_key(&app, ZOETERMEER, json!([])).await.0;
    let research = new_key(&app, ZOETERMEER, json!(["READ_NETWORK_RESEARCH"])).await.0;
    let body = app.graphql(CREATE_PROPOSITION, new_proposition(&org, "Leesclub voor sleutels"), Some(&editor)).await;
    let proposition = data(&body)["createProposition"]["proposition"]["id"].as_str().unwrap().to_string();
    let body = app
        .graphql(
            "mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id } } }",
            json!({ "input": { "title": "Onderzoek voor sleutels", "methods": ["INTERVIEWS"], "periodStart": "2025-01-01",
                               "commissionedByIds": [org], "visibility": "NETWORK" } }),
            Some(&editor),
        )
        .await;
    let study = data(&body)["createStudy"]["study"]["id"].as_str().unwrap().to_string();
    let branch = app
        .anon("query($s: String!) { organisation(slug: $s) { branches { id version } } }", json!({ "s": ZOETERMEER }))
        .await;
    let branch = data(&branch)["organisation"]["branches"][0].clone();

    // Each mutation is valid: after both keys are refused, the editor's token runs it.
    let cases: Vec<(&str, String, Value)> = vec![
        ("createProposition", CREATE_PROPOSITION.to_string(), new_proposition(&org, "Leesclub via sleutel")),
        (
            "updateProposition",
            UPDATE_PROPOSITION.to_string(),
            json!({ "input": { "id": proposition, "expectedVersion": 1, "title": "Hernoemd via sleutel" } }),
        ),
        (
            "publishProposition",
            "mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }"
                .into(),
            json!({ "input": { "id": proposition, "expectedVersion": 2 } }),
        ),
        (
            "createStudy",
            "mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id } } }".into(),
            json!({ "input": { "title": "Onderzoek via sleutel", "methods": ["INTERVIEWS"], "periodStart": "2025-01-01",
                               "commissionedByIds": [org] } }),
        ),
        (
            "updateStudy",
            "mutation($input: UpdateStudyInput!) { updateStudy(input: $input) { study { id } } }".into(),
            json!({ "input": { "id": study, "expectedVersion": 1, "summary": "Via sleutel" } }),
        ),
        (
            "createBranch",
            "mutation($input: CreateBranchInput!) { createBranch(input: $input) { branch { id } } }".into(),
            json!({ "input": { "organisationId": org, "name": "Vestiging via sleutel", "address": "Markt 1",
                               "postcode": "2711 AA", "municipalityCode": "GM0637" } }),
        ),
        (
            "updateBranch",
            "mutation($input: UpdateBranchInput!) { updateBranch(input: $input) { branch { id } } }".into(),
            json!({ "input": { "id": branch["id"], "expectedVersion": branch["version"], "name": "Hernoemde vestiging" } }),
        ),
        (
            "linkKnowledge",
            "mutation($input: LinkKnowledgeInput!) { linkKnowledge(input: $input) { link { id } } }".into(),
            json!({ "input": { "source": { "studyId": study }, "target": { "propositionId": proposition },
                               "relation": "INFORMED_DESIGN_OF" } }),
        ),
    ];
    let db = database(&app).await;
    for (name, doc, vars) in &cases {
        for (which, key) in [("read-only key", &read_only), ("research key", &research)] {
            let rows = change_log_rows(&db).await;
            let answer = post(&app, doc, vars.clone(), Some(key), &[]).await;
            assert_eq!(answer.status, 403, "{name} with a {which}: {}", answer.body);
            assert_eq!(error_code(&answer.body), "FORBIDDEN", "{name} with a {which}");
            assert!(answer.body["data"].is_null());
            assert_eq!(change_log_rows(&db).await, rows, "{name} with a {which} wrote something");
        }
        let body = app.graphql(doc, vars.clone(), Some(&editor)).await;
        assert!(body.get("errors").is_none(), "{name} is a valid mutation for the editor: {body}");
    }
    let _ = db.close().await;
}

#[tokio::test]
async fn a_write_key_writes_only_its_own_organisation_and_never_manages_keys() {
    let app = spawn_app().await;
    let (write_key, write_key_id) = new_key(&app, ZOETERMEER, json!(["WRITE_OWN_ORGANISATION"])).await;
    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    let almere = app.organisation_id(ALMERE).await;
    let before = audit_total(&app).await;
    let own =
        post(&app, CREATE_PROPOSITION, new_proposition(&zoetermeer, "Eigen leesclub"), Some(&write_key), &[]).await;
    data(&own.body);
    let other =
        post(&app, CREATE_PROPOSITION, new_proposition(&almere, "Vreemde leesclub"), Some(&write_key), &[]).await;
    assert_eq!(error_code(&other.body), "FORBIDDEN", "{}", other.body);
    for (doc, vars) in [
        (CREATE_KEY, json!({ "input": { "organisation": zoetermeer, "name": "Nog een", "scopes": [] } })),
        (REVOKE_KEY, json!({ "id": write_key_id })),
    ] {
        let answer = post(&app, doc, vars, Some(&write_key), &[]).await;
        assert_eq!(error_code(&answer.body), "FORBIDDEN", "a key manages keys: {}", answer.body);
    }
    assert_eq!(audit_total(&app).await, before + 1, "only the own proposition was written");
}
