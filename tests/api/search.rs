//! Dutch search over propositions, organisations, studies, insights and ideas: word forms,
//! ranking, highlighting, filters, paging, visibility, and hostile input kept verbatim.

use serde_json::{Value, json};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

use crate::helpers::{
    CREATE_PROPOSITION, TestApp, UPDATE_PROPOSITION, data, database, error_code, new_proposition, pg_value, spawn_app,
};

const SEARCH: &str = r#"query($q: String!, $filter: SearchFilterInput, $first: Int, $after: String) {
  search(query: $q, filter: $filter, first: $first, after: $after) {
    totalCount
    countsByKind { kind count }
    pageInfo { hasNextPage endCursor }
    edges { cursor node { kind title snippet score record { __typename ... on Proposition { publicationState } } } }
  }
}"#;

async fn search(app: &TestApp, q: &str, filter: Value, token: Option<&str>) -> Value {
    let body = app.graphql(SEARCH, json!({ "q": q, "filter": filter, "first": 100 }), token).await;
    data(&body)["search"].clone()
}

fn titles(result: &Value, kind: &str) -> Vec<String> {
    result["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["kind"] == kind)
        .map(|e| e["node"]["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn dutch_word_forms_match_and_matches_are_highlighted() {
    let app = spawn_app().await;
    // "ontmoeting" and "oudere" are other forms of the words in the title.
    for q in ["ontmoeting oudere", "ontmoeten ouderen", "Ontmoetingen OUDEREN"] {
        let r = search(&app, q, Value::Null, None).await;
        assert!(titles(&r, "PROPOSITION").contains(&"Ontmoeten door en voor ouderen".to_string()), "{q}: {r}");
        assert!(titles(&r, "STUDY").contains(&"Klantreis: Ontmoeten door en voor ouderen".to_string()), "{q}: {r}");
        assert!(!titles(&r, "INSIGHT").is_empty(), "{q}: {r}");
    }
    let r = search(&app, "ontmoeting ouderen", json!({ "kinds": ["PROPOSITION"] }), None).await;
    let hit =
        r["edges"].as_array().unwrap().iter().find(|e| e["node"]["title"] == "Ontmoeten door en voor ouderen").unwrap();
    let snippet = hit["node"]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>ouderen</mark>") && snippet.contains("<mark>ontmoeten</mark>"), "{snippet}");
    assert_eq!(hit["node"]["record"]["__typename"], "Proposition");
    // Best first.
    let scores: Vec<f64> =
        r["edges"].as_array().unwrap().iter().map(|e| e["node"]["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // Every word must match: a word found nowhere empties the result.
    let r = search(&app, "ontmoeten xylofoonorkest", Value::Null, None).await;
    assert_eq!(r["totalCount"], 0);
    // A word also finds the longer words it starts.
    let r = search(&app, "taal", json!({ "kinds": ["PROPOSITION"] }), None).await;
    assert!(titles(&r, "PROPOSITION").contains(&"Taalhuis Zoetermeer".to_string()), "{r}");
}

#[tokio::test]
async fn search_covers_organisations_and_ideas_and_counts_by_kind() {
    let app = spawn_app().await;
    let r = search(&app, "Probiblio", Value::Null, None).await;
    assert!(titles(&r, "ORGANISATION").contains(&"Probiblio".to_string()), "{r}");
    let counted: u64 = r["countsByKind"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, r["totalCount"].as_u64().unwrap());
    let r = search(&app, "vaste dag", json!({ "kinds": ["IMPROVEMENT_IDEA"] }), None).await;
    assert!(r["totalCount"].as_u64().unwrap() >= 1, "the Flevoland fixed-schedule idea: {r}");
    assert_eq!(r["countsByKind"].as_array().unwrap().len(), 1);
    // A kind named twice is searched once.
    let twice = search(&app, "vaste dag", json!({ "kinds": ["IMPROVEMENT_IDEA", "IMPROVEMENT_IDEA"] }), None).await;
    assert_eq!(twice["totalCount"], r["totalCount"]);
    assert_eq!(twice["edges"].as_array().unwrap().len(), r["edges"].as_array().unwrap().len());
}

#[tokio::test]
async fn search_finds_only_what_the_caller_may_see() {
    let app = spawn_app().await;
    // Emmen's study is private; its title words find it only for Emmen.
    let q = "Klantgesprekken Bredebieb";
    assert_eq!(titles(&search(&app, q, Value::Null, None).await, "STUDY"), Vec::<String>::new());
    let dbieb = app.editor("dbieb");
    assert_eq!(titles(&search(&app, q, Value::Null, Some(&dbieb)).await, "STUDY"), Vec::<String>::new());
    let emmen = app.editor("bibliotheek-emmen");
    assert_eq!(
        titles(&search(&app, q, Value::Null, Some(&emmen)).await, "STUDY"),
        ["Klantgesprekken in de Bredebieb Academy Emmen"]
    );
    // dbieb's study is for the network: signed-in organisations find it, the public does not.
    let q = "Wijkanalyse";
    assert!(titles(&search(&app, q, Value::Null, None).await, "STUDY").is_empty());
    assert_eq!(titles(&search(&app, q, Value::Null, Some(&emmen)).await, "STUDY").len(), 1);
    // A draft is found by its own library only.
    let q = "strippenkaart";
    assert!(titles(&search(&app, q, Value::Null, None).await, "PROPOSITION").is_empty());
    let zoetermeer = app.editor("bibliotheek-zoetermeer");
    assert_eq!(
        titles(&search(&app, q, Value::Null, Some(&zoetermeer)).await, "PROPOSITION"),
        ["Activiteiten-strippenkaart voor ouderen"]
    );
    assert!(titles(&search(&app, q, Value::Null, Some(&emmen)).await, "PROPOSITION").is_empty());
}

#[tokio::test]
async fn search_combines_with_filters() {
    let app = spawn_app().await;
    let all = search(&app, "taalhuis", json!({ "kinds": ["PROPOSITION"] }), None).await;
    assert!(titles(&all, "PROPOSITION").len() >= 5, "{all}");
    let here = search(&app, "taalhuis", json!({ "kinds": ["PROPOSITION"], "provinces": ["PV24"] }), None).await;
    let mut found = titles(&here, "PROPOSITION");
    found.sort();
    assert_eq!(found, ["Taalhuis Almere", "Taalhuis Lelystad"], "{here}");
    let orgs = search(&app, "bibliotheek", json!({ "kinds": ["ORGANISATION"], "provinces": ["PV24"] }), None).await;
    let mut found = titles(&orgs, "ORGANISATION");
    found.sort();
    for org in ["Bibliotheeknetwerk Flevoland", "De Nieuwe Bibliotheek Almere", "FlevoMeer Bibliotheek"] {
        assert!(found.contains(&org.to_string()), "organisations based or serving in Flevoland: {found:?}");
    }
    assert!(!found.iter().any(|t| t.contains("Zoetermeer")), "{found:?}");
    let one = search(&app, "taalhuis", json!({ "organisations": ["bibliotheek-zoetermeer"] }), None).await;
    assert_eq!(titles(&one, "PROPOSITION"), ["Taalhuis Zoetermeer"]);
    let by_standard = search(&app, "ouderen", json!({ "standardPropositions": ["SENIOR_MEETING"] }), None).await;
    assert_eq!(titles(&by_standard, "PROPOSITION"), ["Ontmoeten door en voor ouderen"]);
    assert!(!titles(&by_standard, "STUDY").is_empty(), "research about the standard proposition: {by_standard}");
    for filter in [
        json!({ "provinces": ["Atlantis"] }),
        json!({ "standardPropositions": ["NOPE"] }),
        json!({ "organisations": ["nobody"] }),
    ] {
        let body = app.anon(SEARCH, json!({ "q": "taal", "filter": filter })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{filter}: {body}");
    }
}

#[tokio::test]
async fn search_pages_without_overlap() {
    let app = spawn_app().await;
    let whole = search(&app, "bibliotheek", Value::Null, None).await;
    let total = whole["totalCount"].as_u64().unwrap();
    assert!(total > 6, "{whole}");
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app.anon(SEARCH, json!({ "q": "bibliotheek", "first": 4, "after": after })).await;
        let r = &data(&body)["search"];
        for e in r["edges"].as_array().unwrap() {
            seen.push((e["node"]["kind"].to_string(), e["node"]["title"].to_string()));
        }
        if r["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = r["pageInfo"]["endCursor"].clone();
    }
    let whole_order: Vec<(String, String)> = whole["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["node"]["kind"].to_string(), e["node"]["title"].to_string()))
        .collect();
    assert_eq!(seen, whole_order);
    let body = app.anon(SEARCH, json!({ "q": "bibliotheek", "after": "not-a-cursor" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn blank_queries_are_refused_and_stop_words_alone_find_nothing() {
    let app = spawn_app().await;
    for q in ["", "   ", &"woord ".repeat(60)] {
        let body = app.anon(SEARCH, json!({ "q": q })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{q:?}: {body}");
    }
    let r = search(&app, "de het een", Value::Null, None).await;
    assert_eq!(r["totalCount"], 0);
    for q in [r#""taal" OR * ( ) & | ! :* NEAR(x y)"#, "'; DROP TABLE proposition; --", "taal\\ % _ ^"] {
        let body = app.anon(SEARCH, json!({ "q": q })).await;
        assert!(body.get("errors").is_none_or(Value::is_null), "{q}: {body}");
    }
}

#[tokio::test]
async fn new_and_changed_text_is_searchable_at_once_and_hostile_text_comes_back_escaped() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let title = "Zonnebloemcafé <script>alert('x')</script> '; DROP TABLE proposition; --";
    let body = app
        .graphql(
            r#"mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id version title } } }"#,
            json!({ "input": {
                "organisationId": org, "title": title, "summary": "Wekelijkse ontmoetingen in het zonnebloemcafé.",
                "channel": "ON_SITE", "coreFunctionCode": "MEETING_DEBATE"
            } }),
            Some(&editor),
        )
        .await;
    let created = &data(&body)["createProposition"]["proposition"];
    assert_eq!(created["title"], title, "stored verbatim");
    let r = search(&app, "Zonnebloemcafé", Value::Null, Some(&editor)).await;
    let hit = &r["edges"][0]["node"];
    assert_eq!(hit["title"], title, "{r}");
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(!snippet.contains("<script>"), "markup in stored text is escaped in snippets: {snippet}");
    assert!(snippet.contains("<mark>"), "{snippet}");

    let body = app
        .graphql(
            r#"mutation($input: UpdatePropositionInput!) { updateProposition(input: $input) { proposition { title } } }"#,
            json!({ "input": { "id": created["id"], "expectedVersion": created["version"], "title": "Vlinderkoffie" } }),
            Some(&editor),
        )
        .await;
    data(&body);
    assert_eq!(search(&app, "vlinderkoffie", Value::Null, Some(&editor)).await["totalCount"], 1);
    assert_eq!(
        titles(
            &search(&app, "zonnebloemcafé", json!({ "kinds": ["PROPOSITION"] }), Some(&editor)).await,
            "PROPOSITION"
        )
        .len(),
        1,
        "the summary still says it"
    );
    assert_eq!(search(&app, "script alert", Value::Null, Some(&editor)).await["totalCount"], 0);
}

#[tokio::test]
async fn an_unknown_organisation_in_the_filter_is_bad_user_input_whatever_kinds_are_asked_for() {
    let app = spawn_app().await;
    for kinds in [json!(["ORGANISATION"]), json!(["PROPOSITION"]), json!(["STUDY"]), json!([])] {
        let filter = json!({ "kinds": kinds, "organisations": ["bestaat-niet"] });
        let body = app.anon(SEARCH, json!({ "q": "taal", "filter": filter })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{kinds}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "filter.organisations", "{kinds}: {body}");
    }
}

/// Rows waiting outside the search index itself: GIN's pending list on PostgreSQL, which search
/// would read in full on every query; SQLite's FTS5 table has none, so there it is always zero.
async fn pending_search_entries(db: &DatabaseConnection) -> i64 {
    if db.get_database_backend() != DbBackend::Postgres {
        return 0;
    }
    db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pgstattuple").await.expect("pgstattuple");
    let sql = "SELECT sum(pending_tuples)::bigint FROM unnest(ARRAY['idx_proposition_search_vector', \
               'idx_organisation_search_vector', 'idx_study_search_vector', 'idx_insight_search_vector', \
               'idx_idea_search_vector']) AS i, pgstatginindex(i::regclass)";
    pg_value(db, sql, []).await
}

#[tokio::test]
async fn edits_go_into_the_search_index_itself_so_search_stays_on_it() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let created = app.graphql(CREATE_PROPOSITION, new_proposition(&org, "Kloostergesprekken"), Some(&editor)).await;
    let id = data(&created)["createProposition"]["proposition"]["id"].as_str().unwrap().to_string();
    for round in 1..=3 {
        let body = app
            .graphql(
                UPDATE_PROPOSITION,
                json!({ "input": { "id": id, "expectedVersion": round, "summary": format!("Gesprekken in de kloostertuin, ronde {round}.") } }),
                Some(&editor),
            )
            .await;
        assert_eq!(data(&body)["updateProposition"]["proposition"]["version"], round + 1, "{body}");
    }

    assert_eq!(pending_search_entries(&database(&app).await).await, 0, "edits wait in GIN's pending list");
    let found = search(&app, "kloostertuin", json!({ "kinds": ["PROPOSITION"] }), Some(&editor)).await;
    assert_eq!(titles(&found, "PROPOSITION"), ["Kloostergesprekken"], "{found}");
}
