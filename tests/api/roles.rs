//! Who may do what: every mutation for every role, on the caller's own organisation and on another
//! one; what each role may read; and which tokens are refused outright.
//!
//! "Own" is always relative to Bibliotheek Zoetermeer: its editors are the own library's editors,
//! Probiblio (which supports it) is the own support organisation, Cubiss (which does not) the other.

use registry::identity::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";
const ALMERE: &str = "nieuwe-bibliotheek-almere";
const SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";
const ISSUER_AND_AUDIENCE: &str = "proposition-registry";

/// Seeded propositions of Bibliotheek Zoetermeer, one in each publication state.
const ZOETERMEER_PUBLISHED: &str = "Taalhuis Zoetermeer";
const ZOETERMEER_PUBLISHED_2: &str = "Leesclubs in de bibliotheek";
const ZOETERMEER_DRAFT: &str = "Activiteiten-strippenkaart voor ouderen";
const ZOETERMEER_ARCHIVED: &str = "Open-leer-centrum Seghwaert";
/// A seeded draft of De Nieuwe Bibliotheek Almere.
const ALMERE_DRAFT: &str = "Spreekuur werk en solliciteren";

// ---- callers and outcomes ----------------------------------------------------------------------

/// Who calls, relative to Bibliotheek Zoetermeer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// No token at all.
    Anonymous,
    /// A partner's user (SeniorWeb).
    Partner,
    /// A partner token naming no organisation.
    PartnerWithoutOrganisation,
    /// An editor of Bibliotheek Zoetermeer.
    OwnEditor,
    /// An editor of another library (Almere).
    OtherEditor,
    /// A support editor of Probiblio, which supports Zoetermeer.
    OwnSupport,
    /// A support editor of Cubiss, which does not support Zoetermeer.
    OtherSupport,
    /// A network maintainer acting for the KB.
    Maintainer,
}

impl Who {
    fn token(self, app: &TestApp) -> Option<String> {
        match self {
            Who::Anonymous => None,
            Who::Partner => Some(app.token(Role::Partner, Some("seniorweb"))),
            Who::PartnerWithoutOrganisation => Some(app.token(Role::Partner, None)),
            Who::OwnEditor => Some(app.editor(ZOETERMEER)),
            Who::OtherEditor => Some(app.editor(ALMERE)),
            Who::OwnSupport => Some(app.token(Role::SupportEditor, Some("probiblio"))),
            Who::OtherSupport => Some(app.token(Role::SupportEditor, Some("cubiss"))),
            Who::Maintainer => Some(app.maintainer()),
        }
    }
}

/// What a call should end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allowed,
    Refused(&'static str),
}

const ALLOWED: Outcome = Outcome::Allowed;
const UNAUTHENTICATED: Outcome = Outcome::Refused("UNAUTHENTICATED");
const FORBIDDEN: Outcome = Outcome::Refused("FORBIDDEN");
const NOT_FOUND: Outcome = Outcome::Refused("NOT_FOUND");

/// Writing a proposition of Zoetermeer that everyone can see (or creating one): its own editors only.
const VISIBLE_PROPOSITION: [(Who, Outcome); 8] = [
    (Who::Anonymous, UNAUTHENTICATED),
    (Who::Partner, FORBIDDEN),
    (Who::PartnerWithoutOrganisation, FORBIDDEN),
    (Who::OtherEditor, FORBIDDEN),
    (Who::OwnSupport, FORBIDDEN),
    (Who::OtherSupport, FORBIDDEN),
    (Who::Maintainer, FORBIDDEN),
    (Who::OwnEditor, ALLOWED),
];

/// Writing a draft or archived proposition of Zoetermeer: whoever cannot see it is told it does
/// not exist; its support organisation sees it but may not change it.
const HIDDEN_PROPOSITION: [(Who, Outcome); 8] = [
    (Who::Anonymous, UNAUTHENTICATED),
    (Who::Partner, NOT_FOUND),
    (Who::PartnerWithoutOrganisation, NOT_FOUND),
    (Who::OtherEditor, NOT_FOUND),
    (Who::OwnSupport, FORBIDDEN),
    (Who::OtherSupport, NOT_FOUND),
    (Who::Maintainer, NOT_FOUND),
    (Who::OwnEditor, ALLOWED),
];

/// Branches of Zoetermeer: its own editors and maintainers.
const BRANCH: [(Who, Outcome); 8] = [
    (Who::Anonymous, UNAUTHENTICATED),
    (Who::Partner, FORBIDDEN),
    (Who::PartnerWithoutOrganisation, FORBIDDEN),
    (Who::OtherEditor, FORBIDDEN),
    (Who::OwnSupport, FORBIDDEN),
    (Who::OtherSupport, FORBIDDEN),
    (Who::OwnEditor, ALLOWED),
    (Who::Maintainer, ALLOWED),
];

/// Organisations and the common model: maintainers only.
const MAINTAINERS_ONLY: [(Who, Outcome); 8] = [
    (Who::Anonymous, UNAUTHENTICATED),
    (Who::Partner, FORBIDDEN),
    (Who::PartnerWithoutOrganisation, FORBIDDEN),
    (Who::OwnEditor, FORBIDDEN),
    (Who::OtherEditor, FORBIDDEN),
    (Who::OwnSupport, FORBIDDEN),
    (Who::OtherSupport, FORBIDDEN),
    (Who::Maintainer, ALLOWED),
];

// ---- helpers -----------------------------------------------------------------------------------

/// The version of any versioned record, read by Zoetermeer's editor (who can see all of its records).
async fn version(app: &TestApp, id: &str) -> i64 {
    version_as(app, id, &app.editor(ZOETERMEER)).await
}

/// The version of any versioned record, read with the given token.
async fn version_as(app: &TestApp, id: &str, token: &str) -> i64 {
    let body = app
        .graphql(
            r#"query($id: ID!) { node(id: $id) {
                ... on Proposition { version } ... on Branch { version } ... on Organisation { version }
                ... on StandardProposition { version } ... on TargetGroup { version }
                ... on CoreFunction { version } ... on SocietalTask { version }
            } }"#,
            json!({ "id": id }),
            Some(token),
        )
        .await;
    data(&body)["node"]["version"].as_i64().unwrap_or_else(|| panic!("no version for {id}: {body}"))
}

/// Runs one mutation document for each case in turn and checks its outcome. `vars` builds the
/// variables for a caller from the record's current version (0 when there is no record). A refused
/// call must return no data and leave the record's version as it was. Returns the bodies of the
/// allowed calls, in order.
async fn check_cases(
    app: &TestApp,
    doc: &str,
    record: Option<&str>,
    vars: impl Fn(Who, i64) -> Value,
    cases: &[(Who, Outcome)],
) -> Vec<Value> {
    let operation = doc.split(['(', '{']).nth(2).unwrap_or(doc).trim().to_string();
    let mut allowed = Vec::new();
    for &(who, outcome) in cases {
        let before = match record {
            Some(id) => version(app, id).await,
            None => 0,
        };
        let body = app.graphql(doc, vars(who, before), who.token(app).as_deref()).await;
        match outcome {
            Outcome::Allowed => {
                assert!(
                    body.get("errors").is_none_or(Value::is_null),
                    "{operation} as {who:?} should be allowed: {body}"
                );
                allowed.push(body);
            }
            Outcome::Refused(code) => {
                assert_eq!(
                    body["errors"][0]["extensions"]["code"].as_str(),
                    Some(code),
                    "{operation} as {who:?} should be refused with {code}: {body}"
                );
                assert!(body["data"].is_null(), "{operation} as {who:?} returned data: {body}");
                if let Some(id) = record {
                    assert_eq!(
                        version(app, id).await,
                        before,
                        "{operation} as {who:?} was refused yet changed the record"
                    );
                }
            }
        }
    }
    allowed
}

/// The global id of a proposition of a library, by title (read by the library's own editor).
async fn proposition_id(app: &TestApp, library: &str, title: &str) -> String {
    let body = app
        .graphql(
            "query($s: String!) { organisation(slug: $s) { propositions(first: 100) { nodes { id title } } } }",
            json!({ "s": library }),
            Some(&app.editor(library)),
        )
        .await;
    data(&body)["organisation"]["propositions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == title)
        .unwrap_or_else(|| panic!("{library} has no proposition {title}: {body}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The global id of a branch of a library, by name.
async fn branch_id(app: &TestApp, library: &str, name: &str) -> String {
    let body = app
        .anon("query($s: String!) { organisation(slug: $s) { branches { id name } } }", json!({ "s": library }))
        .await;
    data(&body)["organisation"]["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("{library} has no branch {name}: {body}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The global id of an item of a common-model list (`coreFunctions`, `societalTasks`, `targetGroups`) by code.
async fn vocabulary_id(app: &TestApp, list: &str, code: &str) -> String {
    let body = app.anon(&format!("{{ {list} {{ id code }} }}"), json!({})).await;
    data(&body)[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {list}: {body}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Reads a proposition by id as a caller; the whole body.
async fn read_proposition(app: &TestApp, id: &str, token: Option<&str>) -> Value {
    app.graphql(
        "query($id: ID!) { proposition(id: $id) { id title publicationState version } }",
        json!({ "id": id }),
        token,
    )
    .await
}

const UPDATE_PROPOSITION: &str = "mutation($input: UpdatePropositionInput!) {
    updateProposition(input: $input) { proposition { id title version publicationState } } }";
const PUBLISH_PROPOSITION: &str = "mutation($input: PropositionStateInput!) {
    publishProposition(input: $input) { proposition { id version publicationState publishedAt } } }";
const UNPUBLISH_PROPOSITION: &str = "mutation($input: PropositionStateInput!) {
    unpublishProposition(input: $input) { proposition { id version publicationState } } }";
const ARCHIVE_PROPOSITION: &str = "mutation($input: PropositionStateInput!) {
    archiveProposition(input: $input) { proposition { id version publicationState } } }";

/// Variables for a publication-state change of one proposition.
fn state_change(id: &str) -> impl Fn(Who, i64) -> Value + '_ {
    move |_, v| json!({ "input": { "id": id, "expectedVersion": v } })
}

// ---- propositions ------------------------------------------------------------------------------

#[tokio::test]
async fn create_proposition_is_for_the_librarys_own_editors_only() {
    let app = spawn_app().await;
    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    let allowed = check_cases(
        &app,
        "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition {
            id title publicationState version organisation { slug } standardProposition { code } } } }",
        None,
        |who, _| {
            json!({ "input": {
                "organisationId": zoetermeer,
                "title": format!("Voorleesuurtje ({who:?})"),
                "summary": "Elke woensdag voorlezen voor peuters.",
                "channel": "ON_SITE",
                "standardPropositionCode": "BOEKSTART",
                "targetGroupCodes": ["YOUTH_0_4"],
            } })
        },
        &VISIBLE_PROPOSITION,
    )
    .await;

    let created = &allowed[0]["data"]["createProposition"]["proposition"];
    assert_eq!(created["title"], "Voorleesuurtje (OwnEditor)");
    assert_eq!(created["publicationState"], "DRAFT");
    assert_eq!(created["version"], 1);
    assert_eq!(created["organisation"]["slug"], ZOETERMEER);
    assert_eq!(created["standardProposition"]["code"], "BOEKSTART");

    // Only the one allowed call created anything.
    let body = app
        .graphql(
            r#"{ organisation(slug: "bibliotheek-zoetermeer") { propositions(first: 100) { nodes { title } } } }"#,
            json!({}),
            Some(&app.editor(ZOETERMEER)),
        )
        .await;
    let made: Vec<&Value> = data(&body)["organisation"]["propositions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["title"].as_str().unwrap().starts_with("Voorleesuurtje"))
        .collect();
    assert_eq!(made.len(), 1, "{body}");

    // The new draft is the library's own: hidden from everyone else.
    let id = created["id"].as_str().unwrap();
    assert_eq!(error_code(&read_proposition(&app, id, None).await), "NOT_FOUND");
    assert_eq!(error_code(&read_proposition(&app, id, Some(&app.editor(ALMERE))).await), "NOT_FOUND");
    assert_eq!(data(&read_proposition(&app, id, Some(&app.editor(ZOETERMEER))).await)["proposition"]["id"], id);
}

#[tokio::test]
async fn create_proposition_for_another_library_is_forbidden_for_its_neighbours_editors() {
    // The same rule seen from Almere: Almere's editor may create for Almere, Zoetermeer's may not.
    let app = spawn_app().await;
    let almere = app.organisation_id(ALMERE).await;
    let doc = "mutation($input: CreatePropositionInput!) { createProposition(input: $input) {
        proposition { title publicationState organisation { slug } } } }";
    let input = json!({ "input": {
        "organisationId": almere, "title": "Taalcafé", "summary": "Oefenen met Nederlands praten.",
        "channel": "ON_SITE", "coreFunctionCode": "DEVELOPMENT_EDUCATION",
    } });
    let body = app.graphql(doc, input.clone(), Some(&app.editor(ZOETERMEER))).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let flevoland = app.token(Role::SupportEditor, Some("bibliotheeknetwerk-flevoland"));
    let body = app.graphql(doc, input.clone(), Some(&flevoland)).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app.graphql(doc, input, Some(&app.editor(ALMERE))).await;
    let p = &data(&body)["createProposition"]["proposition"];
    assert_eq!(p["organisation"]["slug"], ALMERE);
    assert_eq!(p["publicationState"], "DRAFT");
}

#[tokio::test]
async fn update_proposition_of_a_published_proposition_is_for_its_own_editors_only() {
    let app = spawn_app().await;
    let id = proposition_id(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let before = version(&app, &id).await;
    let allowed = check_cases(
        &app,
        UPDATE_PROPOSITION,
        Some(&id),
        |who, v| json!({ "input": { "id": id, "expectedVersion": v, "title": format!("Taalhuis ({who:?})") } }),
        &VISIBLE_PROPOSITION,
    )
    .await;
    let updated = &allowed[0]["data"]["updateProposition"]["proposition"];
    assert_eq!(updated["title"], "Taalhuis (OwnEditor)");
    assert_eq!(updated["version"], before + 1);
    assert_eq!(updated["publicationState"], "PUBLISHED");
    // Everyone sees the change.
    let body = read_proposition(&app, &id, None).await;
    assert_eq!(data(&body)["proposition"]["title"], "Taalhuis (OwnEditor)");

    // A refused caller is refused whatever version it sends; it learns nothing about the version.
    let stale = json!({ "input": { "id": id, "expectedVersion": before, "title": "x" } });
    for who in [Who::OtherEditor, Who::OwnSupport, Who::Maintainer, Who::Partner] {
        let body = app.graphql(UPDATE_PROPOSITION, stale.clone(), who.token(&app).as_deref()).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{who:?}: {body}");
    }
    let body = app.graphql(UPDATE_PROPOSITION, stale, None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    // The own editor with a stale version gets a conflict.
    let stale = json!({ "input": { "id": id, "expectedVersion": before, "title": "x" } });
    let body = app.graphql(UPDATE_PROPOSITION, stale, Some(&app.editor(ZOETERMEER))).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
}

#[tokio::test]
async fn update_proposition_of_a_draft_is_not_found_for_whoever_cannot_see_it() {
    let app = spawn_app().await;
    let id = proposition_id(&app, ZOETERMEER, ZOETERMEER_DRAFT).await;
    let before = version(&app, &id).await;
    let allowed = check_cases(
        &app,
        UPDATE_PROPOSITION,
        Some(&id),
        |who, v| json!({ "input": { "id": id, "expectedVersion": v, "title": format!("Strippenkaart ({who:?})") } }),
        &HIDDEN_PROPOSITION,
    )
    .await;
    let updated = &allowed[0]["data"]["updateProposition"]["proposition"];
    assert_eq!(updated["title"], "Strippenkaart (OwnEditor)");
    assert_eq!(updated["version"], before + 1);
    assert_eq!(updated["publicationState"], "DRAFT");

    // The archive is just as hidden.
    let archived = proposition_id(&app, ZOETERMEER, ZOETERMEER_ARCHIVED).await;
    let allowed = check_cases(
        &app,
        UPDATE_PROPOSITION,
        Some(&archived),
        |_, v| json!({ "input": { "id": archived, "expectedVersion": v, "schedule": "op afspraak" } }),
        &HIDDEN_PROPOSITION,
    )
    .await;
    assert_eq!(allowed[0]["data"]["updateProposition"]["proposition"]["publicationState"], "ARCHIVED");

    // Seen from Almere: its draft is hidden from Zoetermeer's editor and from Probiblio, visible
    // (but not writable) for Almere's support organisation, and writable for Almere's editor.
    let almere_draft = proposition_id(&app, ALMERE, ALMERE_DRAFT).await;
    let v = version_as(&app, &almere_draft, &app.editor(ALMERE)).await;
    let input = json!({ "input": { "id": almere_draft, "expectedVersion": v, "title": "Werkspreekuur" } });
    for (token, code) in [
        (app.editor(ZOETERMEER), "NOT_FOUND"),
        (app.token(Role::SupportEditor, Some("probiblio")), "NOT_FOUND"),
        (app.token(Role::SupportEditor, Some("bibliotheeknetwerk-flevoland")), "FORBIDDEN"),
    ] {
        let body = app.graphql(UPDATE_PROPOSITION, input.clone(), Some(&token)).await;
        assert_eq!(error_code(&body), code, "{body}");
    }
    let body = app.graphql(UPDATE_PROPOSITION, input, Some(&app.editor(ALMERE))).await;
    assert_eq!(data(&body)["updateProposition"]["proposition"]["title"], "Werkspreekuur");
}

#[tokio::test]
async fn publish_proposition_is_for_its_own_editors_and_hidden_ones_are_not_found() {
    let app = spawn_app().await;
    for title in [ZOETERMEER_DRAFT, ZOETERMEER_ARCHIVED] {
        let id = proposition_id(&app, ZOETERMEER, title).await;
        assert_eq!(error_code(&read_proposition(&app, &id, None).await), "NOT_FOUND");
        let allowed = check_cases(&app, PUBLISH_PROPOSITION, Some(&id), state_change(&id), &HIDDEN_PROPOSITION).await;
        let published = &allowed[0]["data"]["publishProposition"]["proposition"];
        assert_eq!(published["publicationState"], "PUBLISHED", "{title}");
        assert!(published["publishedAt"].is_string(), "{title}: {published}");
        // Now everyone may see it.
        let body = read_proposition(&app, &id, None).await;
        assert_eq!(data(&body)["proposition"]["publicationState"], "PUBLISHED");
        let body = read_proposition(&app, &id, Some(&app.editor(ALMERE))).await;
        assert_eq!(data(&body)["proposition"]["title"], title);
    }

    // Publishing what is already published: callers who may not are refused before any conflict.
    let id = proposition_id(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let v = version(&app, &id).await;
    let input = json!({ "input": { "id": id, "expectedVersion": v } });
    for who in [Who::OtherEditor, Who::OwnSupport, Who::Maintainer] {
        let body = app.graphql(PUBLISH_PROPOSITION, input.clone(), who.token(&app).as_deref()).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{who:?}: {body}");
    }
    let body = app.graphql(PUBLISH_PROPOSITION, input, Some(&app.editor(ZOETERMEER))).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
}

#[tokio::test]
async fn unpublish_proposition_is_for_its_own_editors_only() {
    let app = spawn_app().await;
    let id = proposition_id(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let before = version(&app, &id).await;
    let allowed = check_cases(&app, UNPUBLISH_PROPOSITION, Some(&id), state_change(&id), &VISIBLE_PROPOSITION).await;
    let p = &allowed[0]["data"]["unpublishProposition"]["proposition"];
    assert_eq!(p["publicationState"], "DRAFT");
    assert_eq!(p["version"], before + 1);

    // Back to draft: hidden again from everyone but the library and its support organisation.
    for who in [Who::Anonymous, Who::Partner, Who::OtherEditor, Who::OtherSupport, Who::Maintainer] {
        let body = read_proposition(&app, &id, who.token(&app).as_deref()).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{who:?}: {body}");
    }
    for who in [Who::OwnEditor, Who::OwnSupport] {
        let body = read_proposition(&app, &id, who.token(&app).as_deref()).await;
        assert_eq!(data(&body)["proposition"]["publicationState"], "DRAFT", "{who:?}");
    }
    // And so writing it is now NOT_FOUND for those who cannot see it.
    let v = version(&app, &id).await;
    let body = app
        .graphql(
            UNPUBLISH_PROPOSITION,
            json!({ "input": { "id": id, "expectedVersion": v } }),
            Some(&app.editor(ALMERE)),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test]
async fn archive_proposition_is_for_its_own_editors_only() {
    let app = spawn_app().await;
    let id = proposition_id(&app, ZOETERMEER, ZOETERMEER_PUBLISHED_2).await;
    let allowed = check_cases(&app, ARCHIVE_PROPOSITION, Some(&id), state_change(&id), &VISIBLE_PROPOSITION).await;
    assert_eq!(allowed[0]["data"]["archiveProposition"]["proposition"]["publicationState"], "ARCHIVED");
    assert_eq!(error_code(&read_proposition(&app, &id, None).await), "NOT_FOUND");
    let body = read_proposition(&app, &id, Some(&app.editor(ZOETERMEER))).await;
    assert_eq!(data(&body)["proposition"]["publicationState"], "ARCHIVED");

    // Archiving a draft: hidden from whoever cannot see it.
    let draft = proposition_id(&app, ZOETERMEER, ZOETERMEER_DRAFT).await;
    let allowed = check_cases(&app, ARCHIVE_PROPOSITION, Some(&draft), state_change(&draft), &HIDDEN_PROPOSITION).await;
    assert_eq!(allowed[0]["data"]["archiveProposition"]["proposition"]["publicationState"], "ARCHIVED");
}

// ---- branches ----------------------------------------------------------------------------------

const CREATE_BRANCH: &str = "mutation($input: CreateBranchInput!) {
    createBranch(input: $input) { branch { id name postcode version organisation { slug } municipality { code } } } }";
const UPDATE_BRANCH: &str = "mutation($input: UpdateBranchInput!) {
    updateBranch(input: $input) { branch { id name address version } } }";
const DELETE_BRANCH: &str = "mutation($input: DeleteBranchInput!) { deleteBranch(input: $input) { deletedBranchId } }";

fn new_branch(organisation_id: &str, name: &str) -> Value {
    json!({ "input": {
        "organisationId": organisation_id, "name": name, "address": "Dorpsstraat 1",
        "postcode": "2712ab", "municipalityCode": "GM0637",
    } })
}

async fn branch_names(app: &TestApp, library: &str) -> Vec<String> {
    let body =
        app.anon("query($s: String!) { organisation(slug: $s) { branches { name } } }", json!({ "s": library })).await;
    data(&body)["organisation"]["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn create_branch_is_for_the_librarys_own_editors_and_maintainers() {
    let app = spawn_app().await;
    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    let before = branch_names(&app, ZOETERMEER).await;
    let allowed =
        check_cases(&app, CREATE_BRANCH, None, |who, _| new_branch(&zoetermeer, &format!("Filiaal {who:?}")), &BRANCH)
            .await;
    assert_eq!(allowed.len(), 2);
    for (body, name) in allowed.iter().zip(["Filiaal OwnEditor", "Filiaal Maintainer"]) {
        let b = &body["data"]["createBranch"]["branch"];
        assert_eq!(b["name"], name);
        assert_eq!(b["postcode"], "2712 AB");
        assert_eq!(b["version"], 1);
        assert_eq!(b["organisation"]["slug"], ZOETERMEER);
        assert_eq!(b["municipality"]["code"], "GM0637");
    }
    let after = branch_names(&app, ZOETERMEER).await;
    assert_eq!(after.len(), before.len() + 2, "only the allowed calls added branches: {after:?}");
    assert!(after.contains(&"Filiaal OwnEditor".to_string()) && after.contains(&"Filiaal Maintainer".to_string()));

    // Seen from Almere: Zoetermeer's editor may not add a branch to Almere; Almere's may.
    let almere = app.organisation_id(ALMERE).await;
    let body = app.graphql(CREATE_BRANCH, new_branch(&almere, "Filiaal Haven"), Some(&app.editor(ZOETERMEER))).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app.graphql(CREATE_BRANCH, new_branch(&almere, "Filiaal Haven"), Some(&app.editor(ALMERE))).await;
    assert_eq!(data(&body)["createBranch"]["branch"]["organisation"]["slug"], ALMERE);
}

#[tokio::test]
async fn update_branch_is_for_the_librarys_own_editors_and_maintainers() {
    let app = spawn_app().await;
    let id = branch_id(&app, ZOETERMEER, "Wijkbibliotheek Rokkeveen").await;
    let before = version(&app, &id).await;
    let allowed = check_cases(
        &app,
        UPDATE_BRANCH,
        Some(&id),
        |who, v| json!({ "input": { "id": id, "expectedVersion": v, "address": format!("Straat van {who:?} 1") } }),
        &BRANCH,
    )
    .await;
    let by_editor = &allowed[0]["data"]["updateBranch"]["branch"];
    assert_eq!(by_editor["address"], "Straat van OwnEditor 1");
    assert_eq!(by_editor["version"], before + 1);
    let by_maintainer = &allowed[1]["data"]["updateBranch"]["branch"];
    assert_eq!(by_maintainer["address"], "Straat van Maintainer 1");
    assert_eq!(by_maintainer["version"], before + 2);
    assert_eq!(by_maintainer["name"], "Wijkbibliotheek Rokkeveen");
}

#[tokio::test]
async fn delete_branch_is_for_the_librarys_own_editors_and_maintainers() {
    let app = spawn_app().await;
    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    let mut ids = Vec::new();
    for name in ["Filiaal Noord", "Filiaal Zuid"] {
        let body = app.graphql(CREATE_BRANCH, new_branch(&zoetermeer, name), Some(&app.maintainer())).await;
        ids.push(data(&body)["createBranch"]["branch"]["id"].as_str().unwrap().to_string());
    }
    let delete = |id: &str| {
        let id = id.to_string();
        move |_: Who, v: i64| json!({ "input": { "id": id, "expectedVersion": v } })
    };
    // Everyone refused on the first; then its own editor deletes it.
    let refused: Vec<_> = BRANCH.iter().copied().filter(|(_, o)| *o != ALLOWED).collect();
    check_cases(&app, DELETE_BRANCH, Some(&ids[0]), delete(&ids[0]), &refused).await;
    let v = version(&app, &ids[0]).await;
    let allowed = check_cases(
        &app,
        DELETE_BRANCH,
        None,
        |_, _| json!({ "input": { "id": ids[0], "expectedVersion": v } }),
        &[(Who::OwnEditor, ALLOWED)],
    )
    .await;
    assert_eq!(allowed[0]["data"]["deleteBranch"]["deletedBranchId"], ids[0].as_str());
    // A maintainer deletes the second.
    let v = version(&app, &ids[1]).await;
    let body = app
        .graphql(DELETE_BRANCH, json!({ "input": { "id": ids[1], "expectedVersion": v } }), Some(&app.maintainer()))
        .await;
    assert_eq!(data(&body)["deleteBranch"]["deletedBranchId"], ids[1].as_str());

    let names = branch_names(&app, ZOETERMEER).await;
    assert!(!names.iter().any(|n| n.starts_with("Filiaal")), "{names:?}");
    for id in &ids {
        let body = app.anon("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    }
}

// ---- organisations -----------------------------------------------------------------------------

#[tokio::test]
async fn create_organisation_is_for_maintainers_only() {
    let app = spawn_app().await;
    let allowed = check_cases(
        &app,
        "mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
            organisation { slug kind name version } } }",
        None,
        |_, _| json!({ "input": { "kind": "PARTNER", "name": "Buurthuis De Linde", "slug": "buurthuis-de-linde" } }),
        &MAINTAINERS_ONLY,
    )
    .await;
    let org = &allowed[0]["data"]["createOrganisation"]["organisation"];
    assert_eq!(org["slug"], "buurthuis-de-linde");
    assert_eq!(org["kind"], "PARTNER");
    assert_eq!(org["version"], 1);
    let body = app.anon(r#"{ organisation(slug: "buurthuis-de-linde") { name } }"#, json!({})).await;
    assert_eq!(data(&body)["organisation"]["name"], "Buurthuis De Linde");
}

#[tokio::test]
async fn update_organisation_is_for_maintainers_only_even_on_ones_own_organisation() {
    let app = spawn_app().await;
    let doc = "mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
        organisation { slug description version } } }";
    // Zoetermeer is the own library of OwnEditor, Probiblio the own organisation of OwnSupport, and
    // SeniorWeb the own organisation of Partner: none of them may change it.
    for slug in [ZOETERMEER, "probiblio", "seniorweb"] {
        let id = app.organisation_id(slug).await;
        let before = version(&app, &id).await;
        let allowed = check_cases(
            &app,
            doc,
            Some(&id),
            |who, v| json!({ "input": { "id": id, "expectedVersion": v, "description": format!("Beschreven door {who:?}") } }),
            &MAINTAINERS_ONLY,
        )
        .await;
        let org = &allowed[0]["data"]["updateOrganisation"]["organisation"];
        assert_eq!(org["slug"], slug);
        assert_eq!(org["description"], "Beschreven door Maintainer");
        assert_eq!(org["version"], before + 1);
    }

    // Renaming an organisation's slug retires the tokens that name the old one.
    let old_token = app.token(Role::Partner, Some("seniorweb"));
    let id = app.organisation_id("seniorweb").await;
    let v = version(&app, &id).await;
    let body = app
        .graphql(
            doc,
            json!({ "input": { "id": id, "expectedVersion": v, "slug": "seniorweb-nl" } }),
            Some(&app.maintainer()),
        )
        .await;
    assert_eq!(data(&body)["updateOrganisation"]["organisation"]["slug"], "seniorweb-nl");
    let (status, _, body) = post_raw(&app, "{ provinces { code } }", Some(&format!("Bearer {old_token}"))).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    let new_token = app.token(Role::Partner, Some("seniorweb-nl"));
    let (status, _, body) = post_raw(&app, "{ provinces { code } }", Some(&format!("Bearer {new_token}"))).await;
    assert_eq!(status, 200, "{body}");
}

// ---- the common model --------------------------------------------------------------------------

#[tokio::test]
async fn standard_proposition_mutations_are_for_maintainers_only() {
    let app = spawn_app().await;
    let allowed = check_cases(
        &app,
        "mutation($input: CreateStandardPropositionInput!) { createStandardProposition(input: $input) {
            standardProposition { id code status version coreFunction { code } } } }",
        None,
        |_, _| {
            json!({ "input": {
                "code": "MAKERSPACE", "coreFunctionCode": "DEVELOPMENT_EDUCATION",
                "labels": { "nameNl": "Makerspace", "nameEn": "Makerspace" },
                "targetGroupCodes": ["YOUNG_PEOPLE"],
            } })
        },
        &MAINTAINERS_ONLY,
    )
    .await;
    let sp = &allowed[0]["data"]["createStandardProposition"]["standardProposition"];
    assert_eq!(sp["code"], "MAKERSPACE");
    assert_eq!(sp["status"], "ACTIVE");
    assert_eq!(sp["coreFunction"]["code"], "DEVELOPMENT_EDUCATION");

    let body = app.anon(r#"{ standardProposition(code: "BOEKSTART") { id version } }"#, json!({})).await;
    let boekstart = data(&body)["standardProposition"]["id"].as_str().unwrap().to_string();
    let before = version(&app, &boekstart).await;
    let allowed = check_cases(
        &app,
        "mutation($input: UpdateStandardPropositionInput!) { updateStandardProposition(input: $input) {
            standardProposition { code nameEn version } } }",
        Some(&boekstart),
        |who, v| json!({ "input": { "id": boekstart, "expectedVersion": v, "labels": { "nameEn": format!("BookStart ({who:?})") } } }),
        &MAINTAINERS_ONLY,
    )
    .await;
    let sp = &allowed[0]["data"]["updateStandardProposition"]["standardProposition"];
    assert_eq!(sp["nameEn"], "BookStart (Maintainer)");
    assert_eq!(sp["version"], before + 1);

    let body = app.anon(r#"{ standardProposition(code: "VAKANTIEBIEB") { id } }"#, json!({})).await;
    let vakantiebieb = data(&body)["standardProposition"]["id"].as_str().unwrap().to_string();
    let allowed = check_cases(
        &app,
        "mutation($input: RetireStandardPropositionInput!) { retireStandardProposition(input: $input) {
            standardProposition { code status retirementNote } propositionsStillMapped } }",
        Some(&vakantiebieb),
        |_, v| json!({ "input": { "id": vakantiebieb, "expectedVersion": v, "note": "Opgegaan in de Online Bibliotheek" } }),
        &MAINTAINERS_ONLY,
    )
    .await;
    let sp = &allowed[0]["data"]["retireStandardProposition"]["standardProposition"];
    assert_eq!(sp["status"], "RETIRED");
    assert_eq!(sp["retirementNote"], "Opgegaan in de Online Bibliotheek");
}

#[tokio::test]
async fn target_group_mutations_are_for_maintainers_only() {
    let app = spawn_app().await;
    let allowed = check_cases(
        &app,
        "mutation($input: CreateTargetGroupInput!) { createTargetGroup(input: $input) {
            targetGroup { code minAge maxAge parent { code } version } } }",
        None,
        |_, _| {
            json!({ "input": {
                "code": "TODDLERS", "parentCode": "YOUTH", "minAge": 1, "maxAge": 3,
                "labels": { "nameNl": "Dreumesen", "nameEn": "Toddlers" },
            } })
        },
        &MAINTAINERS_ONLY,
    )
    .await;
    let tg = &allowed[0]["data"]["createTargetGroup"]["targetGroup"];
    assert_eq!(tg["code"], "TODDLERS");
    assert_eq!(tg["parent"]["code"], "YOUTH");
    assert_eq!(tg["minAge"], 1);

    let seniors = vocabulary_id(&app, "targetGroups", "SENIORS").await;
    let before = version(&app, &seniors).await;
    let allowed = check_cases(
        &app,
        "mutation($input: UpdateTargetGroupInput!) { updateTargetGroup(input: $input) {
            targetGroup { code nameEn version } } }",
        Some(&seniors),
        |who, v| json!({ "input": { "id": seniors, "expectedVersion": v, "labels": { "nameEn": format!("Elderly ({who:?})") } } }),
        &MAINTAINERS_ONLY,
    )
    .await;
    let tg = &allowed[0]["data"]["updateTargetGroup"]["targetGroup"];
    assert_eq!(tg["nameEn"], "Elderly (Maintainer)");
    assert_eq!(tg["version"], before + 1);
}

#[tokio::test]
async fn core_function_and_societal_task_labels_are_for_maintainers_only() {
    let app = spawn_app().await;
    let cases = [
        ("updateCoreFunction", "coreFunction", "coreFunctions", "READING_LITERATURE"),
        ("updateSocietalTask", "societalTask", "societalTasks", "GELETTERDE_SAMENLEVING"),
    ];
    for (mutation, payload, list, code) in cases {
        let id = vocabulary_id(&app, list, code).await;
        let before = version(&app, &id).await;
        let doc = format!(
            "mutation($input: UpdateLabelsInput!) {{ {mutation}(input: $input) {{ {payload} {{ code nameEn descriptionNl version }} }} }}"
        );
        let allowed = check_cases(
            &app,
            &doc,
            Some(&id),
            |who, v| {
                json!({ "input": { "id": id, "expectedVersion": v, "labels": {
                    "nameEn": format!("{code} ({who:?})"), "descriptionNl": "Bijgewerkt.",
                } } })
            },
            &MAINTAINERS_ONLY,
        )
        .await;
        let item = &allowed[0]["data"][mutation][payload];
        assert_eq!(item["code"], code);
        assert_eq!(item["nameEn"], format!("{code} (Maintainer)"));
        assert_eq!(item["descriptionNl"], "Bijgewerkt.");
        assert_eq!(item["version"], before + 1);
    }
}

#[tokio::test]
async fn import_municipalities_is_for_maintainers_only() {
    let app = spawn_app().await;
    let csv = "code,name,province\nGM9901,Proefdorp,PV28\nGM0637,Zoetermeer,PV28\n";
    let allowed = check_cases(
        &app,
        "mutation($csv: String!) { importMunicipalities(csv: $csv) { created updated unchanged } }",
        None,
        |_, _| json!({ "csv": csv }),
        &MAINTAINERS_ONLY,
    )
    .await;
    // Had a refused call imported anything, the maintainer's import would find it unchanged.
    let summary = &allowed[0]["data"]["importMunicipalities"];
    assert_eq!(summary["created"], 1, "{summary}");
    assert_eq!(summary["unchanged"], 1, "{summary}");
    let body = app.anon(r#"{ municipalities(province: "PV28") { code name } }"#, json!({})).await;
    assert!(
        data(&body)["municipalities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["code"] == "GM9901" && m["name"] == "Proefdorp"),
        "{body}"
    );
}

// ---- reading -----------------------------------------------------------------------------------

#[tokio::test]
async fn each_role_sees_exactly_the_propositions_it_may_see() {
    let app = spawn_app().await;
    let draft = proposition_id(&app, ZOETERMEER, ZOETERMEER_DRAFT).await;
    let archived = proposition_id(&app, ZOETERMEER, ZOETERMEER_ARCHIVED).await;
    let published = proposition_id(&app, ZOETERMEER, ZOETERMEER_PUBLISHED).await;
    let almere_draft = proposition_id(&app, ALMERE, ALMERE_DRAFT).await;

    // Who → can see (Zoetermeer draft, Zoetermeer archive, Zoetermeer published, Almere draft).
    let matrix = [
        (Who::Anonymous, [false, false, true, false]),
        (Who::Partner, [false, false, true, false]),
        (Who::PartnerWithoutOrganisation, [false, false, true, false]),
        (Who::OwnEditor, [true, true, true, false]),
        (Who::OtherEditor, [false, false, true, true]),
        (Who::OwnSupport, [true, true, true, false]),
        (Who::OtherSupport, [false, false, true, false]),
        (Who::Maintainer, [false, false, true, false]),
    ];
    let ids = [&draft, &archived, &published, &almere_draft];
    for (who, visible) in matrix {
        let token = who.token(&app);
        for (id, visible) in ids.iter().zip(visible) {
            let by_id = read_proposition(&app, id, token.as_deref()).await;
            let by_node = app
                .graphql(
                    "query($id: ID!) { node(id: $id) { id ... on Proposition { title } } }",
                    json!({ "id": id }),
                    token.as_deref(),
                )
                .await;
            if visible {
                assert!(by_id.get("errors").is_none(), "{who:?} should see {id}: {by_id}");
                assert!(by_node.get("errors").is_none(), "{who:?} should see node {id}: {by_node}");
                assert_eq!(data(&by_id)["proposition"]["id"], id.as_str(), "{who:?} should see {id}");
                assert_eq!(data(&by_node)["node"]["id"], id.as_str(), "{who:?} should see node {id}");
            } else {
                assert_eq!(error_code(&by_id), "NOT_FOUND", "{who:?} should not see {id}: {by_id}");
                assert!(by_id["data"].is_null(), "{by_id}");
                assert_eq!(error_code(&by_node), "NOT_FOUND", "{who:?} should not see node {id}: {by_node}");
                assert!(by_node["data"].is_null(), "{by_node}");
            }
        }
    }

    // Nested lists respect the same rule: SENIOR_MEETING has a published and a draft proposition.
    let doc =
        r#"{ standardProposition(code: "SENIOR_MEETING") { propositions(first: 50) { totalCount nodes { title } } } }"#;
    for (who, expected) in
        [(Who::Anonymous, 1), (Who::OtherEditor, 1), (Who::Maintainer, 1), (Who::OwnEditor, 2), (Who::OwnSupport, 2)]
    {
        let body = app.graphql(doc, json!({}), who.token(&app).as_deref()).await;
        let props = &data(&body)["standardProposition"]["propositions"];
        assert_eq!(props["totalCount"], expected, "{who:?}: {body}");
        assert_eq!(props["nodes"].as_array().unwrap().len(), expected, "{who:?}: {body}");
    }

    // So do a target group's propositions: SENIORS holds drafts of Zoetermeer and of Emmen.
    let seniors = vocabulary_id(&app, "targetGroups", "SENIORS").await;
    let doc = "query($id: ID!) { node(id: $id) { ... on TargetGroup {
        propositions(first: 100) { nodes { publicationState organisation { slug } } } } } }";
    for (who, drafts_of) in [
        (Who::Anonymous, vec![]),
        (Who::Partner, vec![]),
        (Who::Maintainer, vec![]),
        (Who::OtherEditor, vec![]),
        (Who::OwnEditor, vec![ZOETERMEER]),
        (Who::OwnSupport, vec![ZOETERMEER]),
        (Who::OtherSupport, vec![]),
    ] {
        let body = app.graphql(doc, json!({ "id": seniors }), who.token(&app).as_deref()).await;
        let mut hidden: Vec<&str> = data(&body)["node"]["propositions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["publicationState"] != "PUBLISHED")
            .map(|n| n["organisation"]["slug"].as_str().unwrap())
            .collect();
        hidden.dedup();
        assert_eq!(hidden, drafts_of, "{who:?}: {body}");
    }

    // Who made a change is shown to signed-in callers only.
    let doc = "query($id: ID!) { proposition(id: $id) { history { totalCount nodes { actorSubject actorRole } } } }";
    let body = app.anon(doc, json!({ "id": published })).await;
    let history = &data(&body)["proposition"]["history"];
    assert!(history["totalCount"].as_u64().unwrap() >= 1, "{body}");
    assert!(history["nodes"].as_array().unwrap().iter().all(|n| n["actorSubject"].is_null()), "{body}");
    let body = app.graphql(doc, json!({ "id": published }), Who::Partner.token(&app).as_deref()).await;
    let nodes = data(&body)["proposition"]["history"]["nodes"].as_array().unwrap().clone();
    assert!(!nodes.is_empty() && nodes.iter().all(|n| n["actorSubject"].is_string()), "{body}");
}

#[tokio::test]
async fn visibility_and_write_refusals_follow_the_support_relationship() {
    // When a maintainer moves Zoetermeer from Probiblio to Cubiss, Cubiss gains its drafts and
    // Probiblio loses them (and is then told they do not exist).
    let app = spawn_app().await;
    let draft = proposition_id(&app, ZOETERMEER, ZOETERMEER_DRAFT).await;
    let probiblio = Who::OwnSupport.token(&app).unwrap();
    let cubiss = Who::OtherSupport.token(&app).unwrap();
    assert_eq!(data(&read_proposition(&app, &draft, Some(&probiblio)).await)["proposition"]["id"], draft.as_str());
    assert_eq!(error_code(&read_proposition(&app, &draft, Some(&cubiss)).await), "NOT_FOUND");

    let zoetermeer = app.organisation_id(ZOETERMEER).await;
    let cubiss_id = app.organisation_id("cubiss").await;
    let v = version(&app, &zoetermeer).await;
    let body = app
        .graphql(
            "mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
                organisation { supportOrganisation { slug } } } }",
            json!({ "input": { "id": zoetermeer, "expectedVersion": v, "supportOrganisationId": cubiss_id } }),
            Some(&app.maintainer()),
        )
        .await;
    assert_eq!(data(&body)["updateOrganisation"]["organisation"]["supportOrganisation"]["slug"], "cubiss");

    assert_eq!(data(&read_proposition(&app, &draft, Some(&cubiss)).await)["proposition"]["id"], draft.as_str());
    assert_eq!(error_code(&read_proposition(&app, &draft, Some(&probiblio)).await), "NOT_FOUND");
    let v = version(&app, &draft).await;
    let input = json!({ "input": { "id": draft, "expectedVersion": v } });
    let body = app.graphql(PUBLISH_PROPOSITION, input.clone(), Some(&cubiss)).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app.graphql(PUBLISH_PROPOSITION, input, Some(&probiblio)).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test]
async fn proposition_lists_filtered_by_state_hold_only_what_the_caller_may_see() {
    let app = spawn_app().await;
    let doc = "query($states: [PublicationState!]) {
        propositions(filter: { publicationStates: $states }, first: 100) {
            totalCount nodes { publicationState organisation { slug } } } }";
    let slugs_of = |body: &Value| -> Vec<String> {
        let mut slugs: Vec<String> = data(body)["propositions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["organisation"]["slug"].as_str().unwrap().to_string())
            .collect();
        slugs.sort();
        slugs.dedup();
        slugs
    };

    // Anonymous callers asking for drafts get an empty list, not an error.
    let body = app.anon(doc, json!({ "states": ["DRAFT"] })).await;
    assert_eq!(data(&body)["propositions"]["totalCount"], 0, "{body}");
    assert!(data(&body)["propositions"]["nodes"].as_array().unwrap().is_empty(), "{body}");

    let flevoland = Some(app.token(Role::SupportEditor, Some("bibliotheeknetwerk-flevoland")));
    let cases: [(&str, Option<String>, Vec<&str>); 8] = [
        ("partner", Who::Partner.token(&app), vec![]),
        ("partner without organisation", Who::PartnerWithoutOrganisation.token(&app), vec![]),
        ("maintainer", Who::Maintainer.token(&app), vec![]),
        ("Zoetermeer's editor", Who::OwnEditor.token(&app), vec![ZOETERMEER]),
        ("Almere's editor", Who::OtherEditor.token(&app), vec![ALMERE]),
        ("Probiblio", Who::OwnSupport.token(&app), vec![ZOETERMEER]),
        ("Cubiss", Who::OtherSupport.token(&app), vec![]),
        ("Flevoland", flevoland, vec!["bibliotheek-lelystad", ALMERE]),
    ];
    for (who, token, expected) in cases {
        for states in [json!(["DRAFT"]), json!(["DRAFT", "ARCHIVED"])] {
            let body = app.graphql(doc, json!({ "states": states }), token.as_deref()).await;
            assert_eq!(slugs_of(&body), expected, "{who} asking for {states}: {body}");
            let nodes = data(&body)["propositions"]["nodes"].as_array().unwrap();
            assert_eq!(data(&body)["propositions"]["totalCount"], nodes.len(), "{who}: {body}");
            assert!(nodes.iter().all(|n| n["publicationState"] != "PUBLISHED"), "{who}: {body}");
        }
    }

    // Without a state filter, anonymous callers see published propositions only.
    let body = app.anon(doc, json!({ "states": null })).await;
    let nodes = data(&body)["propositions"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    assert!(nodes.iter().all(|n| n["publicationState"] == "PUBLISHED"), "{body}");

    // An organisation's own list: its drafts for its editors and support organisation only.
    let doc = r#"{ organisation(slug: "bibliotheek-zoetermeer") {
        propositions(filter: { publicationStates: [DRAFT, ARCHIVED] }) { totalCount } } }"#;
    for (who, expected) in [
        (Who::Anonymous, 0),
        (Who::Partner, 0),
        (Who::OtherEditor, 0),
        (Who::OtherSupport, 0),
        (Who::Maintainer, 0),
        (Who::OwnEditor, 2),
        (Who::OwnSupport, 2),
    ] {
        let body = app.graphql(doc, json!({}), who.token(&app).as_deref()).await;
        assert_eq!(data(&body)["organisation"]["propositions"]["totalCount"], expected, "{who:?}: {body}");
    }
}

// ---- tokens ------------------------------------------------------------------------------------

/// Posts a document with a raw `Authorization` header (or none); the status, whether the response
/// asks for a bearer token, and the body.
async fn post_raw(app: &TestApp, query: &str, authorization: Option<&str>) -> (u16, bool, Value) {
    let mut request = app.client.post(format!("{}/graphql", app.address)).json(&json!({ "query": query }));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status().as_u16();
    let challenge = response.headers().get("www-authenticate").is_some_and(|v| v == "Bearer");
    (status, challenge, response.json().await.expect("the response is JSON"))
}

/// Asserts a request with this `Authorization` header is refused as unauthenticated, whether it
/// reads or writes.
async fn assert_unauthenticated(app: &TestApp, label: &str, authorization: &str) {
    let write =
        r#"mutation { createOrganisation(input: { kind: PARTNER, name: "X", slug: "x" }) { organisation { id } } }"#;
    for query in ["{ provinces { code } }", write] {
        let (status, challenge, body) = post_raw(app, query, Some(authorization)).await;
        assert_eq!(status, 401, "{label}: {body}");
        assert!(challenge, "{label}: a 401 carries `WWW-Authenticate: Bearer`");
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{label}: {body}");
        assert!(body["data"].is_null(), "{label}: {body}");
    }
}

/// Signs claims with a key and algorithm of our choosing.
fn sign(claims: &Value, secret: &str, algorithm: jsonwebtoken::Algorithm) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(algorithm),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign a token")
}

/// Claims like the registry's own, for a maintainer of the KB.
fn maintainer_claims() -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": "someone", "org": "koninklijke-bibliotheek", "role": "NETWORK_MAINTAINER",
        "iss": ISSUER_AND_AUDIENCE, "aud": ISSUER_AND_AUDIENCE, "iat": now, "exp": now + 3600,
    })
}

#[tokio::test]
async fn a_token_whose_role_does_not_fit_its_organisation_is_unauthenticated() {
    let app = spawn_app().await;
    let cases = [
        ("library editor of a support organisation", Role::LibraryEditor, Some("probiblio")),
        ("library editor of a partner", Role::LibraryEditor, Some("seniorweb")),
        ("library editor of the KB", Role::LibraryEditor, Some("koninklijke-bibliotheek")),
        ("library editor without organisation", Role::LibraryEditor, None),
        ("support editor of a library", Role::SupportEditor, Some(ZOETERMEER)),
        ("support editor of a partner", Role::SupportEditor, Some("seniorweb")),
        ("support editor without organisation", Role::SupportEditor, None),
        ("library editor of an unknown organisation", Role::LibraryEditor, Some("bibliotheek-nergenshuizen")),
        ("partner of an unknown organisation", Role::Partner, Some("bibliotheek-nergenshuizen")),
        ("maintainer of an unknown organisation", Role::NetworkMaintainer, Some("bibliotheek-nergenshuizen")),
        ("maintainer of a library", Role::NetworkMaintainer, Some(ZOETERMEER)),
        ("partner of a library", Role::Partner, Some(ZOETERMEER)),
        ("partner of a support organisation", Role::Partner, Some("probiblio")),
    ];
    for (label, role, org) in cases {
        assert_unauthenticated(&app, label, &format!("Bearer {}", app.token(role, org))).await;
    }
    // The fitting ones are accepted.
    for (role, org) in [
        (Role::LibraryEditor, Some(ZOETERMEER)),
        (Role::SupportEditor, Some("probiblio")),
        (Role::Partner, Some("seniorweb")),
        (Role::Partner, None),
        (Role::NetworkMaintainer, Some("koninklijke-bibliotheek")),
        (Role::NetworkMaintainer, None),
    ] {
        let (status, _, body) =
            post_raw(&app, "{ provinces { code } }", Some(&format!("Bearer {}", app.token(role, org)))).await;
        assert_eq!(status, 200, "{role:?} of {org:?}: {body}");
        assert_eq!(data(&body)["provinces"].as_array().unwrap().len(), 12);
    }
}

#[tokio::test]
async fn forged_expired_and_foreign_tokens_are_unauthenticated() {
    use jsonwebtoken::Algorithm;

    let app = spawn_app().await;
    // The control: claims built here, signed with the registry's secret, are accepted and work.
    let good = sign(&maintainer_claims(), SECRET, Algorithm::HS256);
    let (status, _, body) = post_raw(
        &app,
        r#"mutation { createOrganisation(input: { kind: PARTNER, name: "Echt", slug: "echt" }) { organisation { slug } } }"#,
        Some(&format!("Bearer {good}")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(data(&body)["createOrganisation"]["organisation"]["slug"], "echt");

    let now = chrono::Utc::now().timestamp();
    let with = |key: &str, value: Value| {
        let mut claims = maintainer_claims();
        claims[key] = value;
        claims
    };
    let without = |key: &str| {
        let mut claims = maintainer_claims();
        claims.as_object_mut().unwrap().remove(key);
        claims
    };
    let b64 = |v: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let unsigned = format!("{}.{}.", b64(&json!({ "alg": "none", "typ": "JWT" })), b64(&maintainer_claims()));
    let tampered = {
        // A genuine partner token whose payload is swapped for a maintainer's, signature kept.
        let partner = app.token(Role::Partner, Some("seniorweb"));
        let parts: Vec<&str> = partner.split('.').collect();
        format!("{}.{}.{}", parts[0], b64(&maintainer_claims()), parts[2])
    };

    let cases = [
        (
            "signed with another secret",
            sign(&maintainer_claims(), "another-secret-that-is-also-32-bytes-long!!", Algorithm::HS256),
        ),
        ("expired an hour ago", sign(&with("exp", json!(now - 3600)), SECRET, Algorithm::HS256)),
        ("for another audience", sign(&with("aud", json!("another-service")), SECRET, Algorithm::HS256)),
        ("from another issuer", sign(&with("iss", json!("someone-else")), SECRET, Algorithm::HS256)),
        ("without an expiry", sign(&without("exp"), SECRET, Algorithm::HS256)),
        ("without an audience", sign(&without("aud"), SECRET, Algorithm::HS256)),
        ("with another algorithm", sign(&maintainer_claims(), SECRET, Algorithm::HS512)),
        ("with an unknown role", sign(&with("role", json!("SUPERUSER")), SECRET, Algorithm::HS256)),
        ("unsigned (alg none)", unsigned),
        ("with a tampered payload", tampered),
        ("that is not a JWT", "not-a-token".to_string()),
    ];
    for (label, token) in cases {
        assert_unauthenticated(&app, label, &format!("Bearer {token}")).await;
    }
    // A malformed Authorization header is refused too, not treated as anonymous.
    for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", &good] {
        assert_unauthenticated(&app, &format!("header `{header}`"), header).await;
    }
    // Nothing those requests tried to create exists.
    let body =
        app.anon(r#"{ organisations(filter: { nameContains: "X" }, first: 100) { nodes { slug } } }"#, json!({})).await;
    assert!(!data(&body)["organisations"]["nodes"].as_array().unwrap().iter().any(|n| n["slug"] == "x"), "{body}");
}
