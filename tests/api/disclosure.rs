//! What a caller may not read is not disclosed sideways: the audit trail shows a change to a record
//! the caller may not read (type, id, action, time, actor) but none of its values; a history never
//! names a record the caller may not see; and a filter or a count never tells whether such a
//! record exists or what it is linked to.
//!
//! The records are made in the test: a draft proposition of Zoetermeer (seen by Zoetermeer's
//! editors, not by the public nor by a maintainer) and a change to Emmen's private study (seen by
//! Emmen only). Each test also asks as someone who may see the record, so that it shows the value
//! is there to be withheld.

use serde_json::{Value, json};

use crate::helpers::{CREATE_PROPOSITION, TestApp, data, error_code, new_proposition, spawn_app};

const ZOETERMEER: &str = "bibliotheek-zoetermeer";
const ZOETERMEER_STUDY: &str = "Klantreis: Ontmoeten door en voor ouderen";
const EMMEN_STUDY: &str = "Klantgesprekken in de Bredebieb Academy Emmen";
/// An idea of Zoetermeer's public study that nobody adopted yet.
const PUBLIC_IDEA: &str = "Serie activiteiten rond één thema";
/// The draft's standard proposition, which no demo research is about.
const DRAFT_STANDARD: &str = "LEESCLUB";

/// The database id inside a global id (`base64url("Type:id")`), as histories name records.
fn database_id(global: &str) -> i64 {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(global).expect("a global id");
    let text = String::from_utf8(bytes).unwrap();
    text.split_once(':').and_then(|(_, id)| id.parse().ok()).unwrap_or_else(|| panic!("not a global id: {text}"))
}

/// Creates a draft proposition of Zoetermeer; returns its global id.
async fn zoetermeer_draft(app: &TestApp, title: &str) -> String {
    let org = app.organisation_id(ZOETERMEER).await;
    let body = app.graphql(CREATE_PROPOSITION, new_proposition(&org, title), Some(&app.editor(ZOETERMEER))).await;
    data(&body)["createProposition"]["proposition"]["id"].as_str().unwrap().to_string()
}

/// The global id and version of a study, looked up by someone who may see it.
async fn study(app: &TestApp, token: &str, title: &str) -> (String, i64) {
    let body = app.graphql("{ studies(first: 100) { nodes { id title version } } }", json!({}), Some(token)).await;
    let found = data(&body)["studies"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("no study {title}: {body}"))
        .clone();
    (found["id"].as_str().unwrap().to_string(), found["version"].as_i64().unwrap())
}

/// Runs a mutation that must succeed and returns its data.
async fn mutate(app: &TestApp, token: &str, doc: &str, input: Value) -> Value {
    let body = app.graphql(doc, json!({ "input": input }), Some(token)).await;
    data(&body).clone()
}

const AUDIT_OF_RECORD: &str = "query($record: ID!) {
  auditTrail(filter: { record: $record }, first: 100) {
    nodes { action recordType recordId actorRole actorOrganisation { slug } occurredAt valuesWithheld
            changes { field before after } }
  }
}";

async fn audit_of(app: &TestApp, record: &str) -> Vec<Value> {
    let body = app.graphql(AUDIT_OF_RECORD, json!({ "record": record }), Some(&app.maintainer())).await;
    data(&body)["auditTrail"]["nodes"].as_array().unwrap().clone()
}

const HISTORY: &str = "query($id: ID!) {
  node(id: $id) {
    ... on Adoption { history(first: 100) { nodes { action valuesWithheld changes { field before after } } } }
    ... on CustomerJourney { history(first: 100) { nodes { action valuesWithheld changes { field before after } } } }
    ... on KnowledgeLink { history(first: 100) { nodes { action valuesWithheld changes { field before after } } } }
  }
}";

/// Every value (before and after) a record's history shows for one field, flattened.
async fn history_values(app: &TestApp, token: Option<&str>, id: &str, field: &str) -> Vec<Value> {
    let body = app.graphql(HISTORY, json!({ "id": id }), token).await;
    let mut values = Vec::new();
    for entry in data(&body)["node"]["history"]["nodes"].as_array().unwrap() {
        assert_eq!(entry["valuesWithheld"], false, "the record itself is visible: {entry}");
        for change in entry["changes"].as_array().unwrap().iter().filter(|c| c["field"] == field) {
            for side in [&change["before"], &change["after"]] {
                match side {
                    Value::Array(items) => values.extend(items.iter().cloned()),
                    Value::Null => {}
                    other => values.push(other.clone()),
                }
            }
        }
    }
    values
}

#[tokio::test]
async fn the_audit_trail_shows_a_maintainer_that_a_hidden_record_changed_but_none_of_its_values() {
    let app = spawn_app().await;
    let emmen = app.editor("bibliotheek-emmen");
    let (study_id, version) = study(&app, &emmen, EMMEN_STUDY).await;
    let secret = "Vertrouwelijk: de gemeente overweegt de vestiging te sluiten.";
    mutate(
        &app,
        &emmen,
        "mutation($input: UpdateStudyInput!) { updateStudy(input: $input) { study { version } } }",
        json!({ "id": study_id, "expectedVersion": version, "summary": secret }),
    )
    .await;
    let draft_title = "Geheim concept: leesclub voor raadsleden";
    let draft = zoetermeer_draft(&app, draft_title).await;

    // The maintainer may read neither record.
    for (query, id) in [
        ("query($id: ID!) { study(id: $id) { id } }", &study_id),
        ("query($id: ID!) { proposition(id: $id) { id } }", &draft),
    ] {
        let body = app.graphql(query, json!({ "id": id }), Some(&app.maintainer())).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    }

    // The trail says that each changed, and who changed it, but shows no value.
    for (record, record_type, action, org, hidden) in [
        (&study_id, "Study", "UPDATE", "bibliotheek-emmen", secret),
        (&draft, "Proposition", "CREATE", ZOETERMEER, draft_title),
    ] {
        let entries = audit_of(&app, record).await;
        let entry = entries
            .iter()
            .find(|e| e["action"] == action && e["actorOrganisation"]["slug"] == org)
            .unwrap_or_else(|| panic!("the trail shows the {action} of the {record_type}: {entries:?}"));
        assert_eq!(entry["recordType"], record_type);
        assert_eq!(entry["recordId"], record.as_str());
        assert_eq!(entry["actorRole"], "LIBRARY_EDITOR");
        assert!(entry["occurredAt"].is_string());
        for e in &entries {
            assert_eq!(e["valuesWithheld"], true, "{e}");
            assert_eq!(e["changes"], json!([]), "no value of a hidden {record_type}: {e}");
        }
        let shown = serde_json::to_string(&entries).unwrap();
        assert!(!shown.contains(hidden), "the hidden text leaks: {shown}");
    }

    // Once the proposition is published, everyone may read it, and its trail shows its values.
    let publish =
        "mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }";
    mutate(&app, &app.editor(ZOETERMEER), publish, json!({ "id": draft, "expectedVersion": 1 })).await;
    let entries = audit_of(&app, &draft).await;
    assert!(entries.iter().all(|e| e["valuesWithheld"] == false), "{entries:?}");
    let created = entries.iter().find(|e| e["action"] == "CREATE").unwrap();
    assert!(
        created["changes"].as_array().unwrap().iter().any(|c| c["field"] == "title" && c["after"] == draft_title),
        "{created}"
    );
}

#[tokio::test]
async fn a_history_never_names_a_draft_to_whoever_may_not_see_it() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let draft = zoetermeer_draft(&app, "Concept: ouderenmiddag met strippenkaart").await;
    let draft_id = json!(database_id(&draft));
    let zoetermeer = app.organisation_id(ZOETERMEER).await;

    // An adoption carried out in the draft.
    let body = app.anon("{ improvementIdeas(first: 100) { nodes { id title } } }", json!({})).await;
    let idea = data(&body)["improvementIdeas"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == PUBLIC_IDEA)
        .unwrap()["id"]
        .clone();
    let adoption = mutate(
        &app,
        &editor,
        "mutation($input: AdoptIdeaInput!) { adoptImprovementIdea(input: $input) { adoption { id } } }",
        json!({ "ideaId": idea, "organisationId": zoetermeer, "propositionId": draft }),
    )
    .await["adoptImprovementIdea"]["adoption"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // A journey that follows the draft.
    let (study_id, _) = study(&app, &editor, ZOETERMEER_STUDY).await;
    let journey = mutate(
        &app,
        &editor,
        "mutation($input: CreateJourneyInput!) { createJourney(input: $input) { journey { id } } }",
        json!({ "studyId": study_id, "title": "Klantreis strippenkaart", "targetGroupCode": "SENIORS",
                "standardPropositionCode": "SENIOR_MEETING", "propositionIds": [draft] }),
    )
    .await["createJourney"]["journey"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    for (record, field) in [(&adoption, "propositionId"), (&journey, "propositionIds")] {
        let seen = history_values(&app, Some(&editor), record, field).await;
        assert!(seen.contains(&draft_id), "Zoetermeer's editor sees its own draft in the {field}: {seen:?}");
        for token in [None, Some(app.maintainer()), Some(app.editor("bibliotheek-emmen"))] {
            let seen = history_values(&app, token.as_deref(), record, field).await;
            assert!(!seen.contains(&draft_id), "the {field} names a draft the caller may not see: {seen:?}");
        }
    }
}

const STUDIES_OF_PROPOSITIONS: &str = "query($ids: [ID!]!) {
  studies(filter: { propositionIds: $ids }) { totalCount nodes { title } }
}";

#[tokio::test]
async fn a_study_filter_naming_a_draft_finds_the_same_as_one_naming_no_proposition_at_all() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let draft = zoetermeer_draft(&app, "Concept: leesclub in de wijk").await;
    let (study_id, _) = study(&app, &editor, ZOETERMEER_STUDY).await;
    mutate(
        &app,
        &editor,
        "mutation($input: LinkKnowledgeInput!) { linkKnowledge(input: $input) { link { id } } }",
        json!({ "source": { "studyId": study_id }, "target": { "propositionId": draft }, "relation": "EVIDENCE_FOR" }),
    )
    .await;
    use base64::Engine;
    let unknown = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Proposition:999999");

    let body = app.graphql(STUDIES_OF_PROPOSITIONS, json!({ "ids": [draft] }), Some(&editor)).await;
    assert_eq!(data(&body)["studies"]["totalCount"], 1, "the draft's library finds the study: {body}");

    for token in [None, Some(app.maintainer()), Some(app.editor("bibliotheek-emmen"))] {
        for ids in [json!([draft]), json!([unknown])] {
            let body = app.graphql(STUDIES_OF_PROPOSITIONS, json!({ "ids": ids }), token.as_deref()).await;
            assert_eq!(data(&body)["studies"], json!({ "totalCount": 0, "nodes": [] }), "{ids}: {body}");
        }
    }
}

const KNOWLEDGE_OF_STANDARD: &str = "query($code: String!) {
  standardProposition(code: $code) {
    knowledge {
      studies(first: 100) { totalCount nodes { title } }
      insights(first: 100) { totalCount }
      ideas(first: 100) { totalCount }
    }
  }
}";

#[tokio::test]
async fn the_knowledge_of_a_standard_proposition_does_not_count_research_linked_only_to_a_draft() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let knowledge = |token: Option<String>| {
        let app = &app;
        async move {
            let body = app.graphql(KNOWLEDGE_OF_STANDARD, json!({ "code": DRAFT_STANDARD }), token.as_deref()).await;
            data(&body)["standardProposition"]["knowledge"].clone()
        }
    };
    let callers = [None, Some(app.maintainer()), Some(app.editor("bibliotheek-emmen"))];
    let mut before = Vec::new();
    for token in callers.clone() {
        before.push(knowledge(token).await);
    }
    assert_eq!(before[0]["studies"]["totalCount"], 0, "no demo research is about {DRAFT_STANDARD}: {}", before[0]);

    // Zoetermeer links its study, and one of its insights, to a draft of that standard.
    let draft = zoetermeer_draft(&app, "Concept: leesclub voor ouderen").await;
    let (study_id, _) = study(&app, &editor, ZOETERMEER_STUDY).await;
    let body = app
        .graphql("query($id: ID!) { study(id: $id) { insights { id } } }", json!({ "id": study_id }), Some(&editor))
        .await;
    let insight = data(&body)["study"]["insights"][0]["id"].clone();
    let link = "mutation($input: LinkKnowledgeInput!) { linkKnowledge(input: $input) { link { id } } }";
    for source in [json!({ "studyId": study_id }), json!({ "insightId": insight })] {
        let input = json!({ "source": source, "target": { "propositionId": draft }, "relation": "EVIDENCE_FOR" });
        mutate(&app, &editor, link, input).await;
    }

    let theirs = knowledge(Some(editor.clone())).await;
    assert_eq!(theirs["studies"]["nodes"], json!([{ "title": ZOETERMEER_STUDY }]), "the draft's library: {theirs}");
    assert!(theirs["insights"]["totalCount"].as_u64().unwrap() >= 1, "{theirs}");
    for (token, was) in callers.into_iter().zip(before) {
        assert_eq!(knowledge(token).await, was, "a link to a draft changes nothing the caller may see");
    }
}
