//! Visibility and write rights of shared customer knowledge, for every role.
//!
//! A study's visibility covers everything inside it (journeys, stages, insights, ideas, adoptions
//! and knowledge links), on every surface an item can be reached by: the root lists and their
//! filters, the lists nested in organisations, standard propositions, target groups and a
//! proposition's evidence, `study`/`insight`/`improvementIdea(id:)` and `node(id:)`.
//!
//! The demo data holds three PUBLIC studies (Zoetermeer, Flevoland, Lelykracht), one NETWORK study
//! (dbieb's, run by the partner Alignment Analytics) and one PRIVATE study (Emmen's own, with Emmen
//! named in both roles). The callers below are chosen so that each rule has someone on either side.

use registry::identity::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, spawn_app};

const ZOETERMEER_STUDY: &str = "Klantreis: Ontmoeten door en voor ouderen";
const FLEVOLAND_STUDY: &str = "Klantreis: voorleesactiviteiten voor laagtalige ouders en kinderen tot 8 jaar";
const LELYKRACHT_STUDY: &str = "Behoeftenonderzoek Lelykracht onder inwoners van Lelystad";
const DBIEB_STUDY: &str = "Wijkanalyse Midden-Fryslân: doelgroepen per wijk in beeld";
const EMMEN_STUDY: &str = "Klantgesprekken in de Bredebieb Academy Emmen";

/// A seeded study: its title, visibility, the organisations named on it (in either role), and how
/// many insights and ideas it holds.
struct DemoStudy {
    title: &'static str,
    visibility: &'static str,
    named: &'static [&'static str],
    insights: u64,
    ideas: u64,
}

const DEMO_STUDIES: [DemoStudy; 5] = [
    DemoStudy {
        title: ZOETERMEER_STUDY,
        visibility: "PUBLIC",
        named: &["bibliotheek-zoetermeer", "probiblio"],
        insights: 3,
        ideas: 6,
    },
    DemoStudy {
        title: FLEVOLAND_STUDY,
        visibility: "PUBLIC",
        named: &["nieuwe-bibliotheek-almere", "bibliotheek-lelystad", "bibliotheeknetwerk-flevoland", "cubiss"],
        insights: 3,
        ideas: 3,
    },
    DemoStudy {
        title: LELYKRACHT_STUDY,
        visibility: "PUBLIC",
        named: &["bibliotheek-lelystad", "de-kubus", "sportbedrijf-lelystad", "welzijn-lelystad"],
        insights: 1,
        ideas: 1,
    },
    DemoStudy {
        title: DBIEB_STUDY,
        visibility: "NETWORK",
        named: &["dbieb", "alignment-analytics"],
        insights: 2,
        ideas: 1,
    },
    DemoStudy { title: EMMEN_STUDY, visibility: "PRIVATE", named: &["bibliotheek-emmen"], insights: 2, ideas: 2 },
];

/// An insight of Emmen's private study (linked to Emmen's published proposition below).
const EMMEN_INSIGHT: &str = "Inwoners willen betrokken worden bij de ontwikkeling van programma's.";
/// The ideas of Emmen's private study; both adopted by Emmen.
const EMMEN_IDEAS: [&str; 2] =
    ["Programma's samen met inwoners ontwikkelen", "Advies van medewerkers aan het managementteam"];
/// The idea of dbieb's network study; adopted by dbieb.
const DBIEB_IDEA: &str = "Activiteitenaanbod per wijk afstemmen op wijkdata en gesprekken met bewoners";
/// An idea of Zoetermeer's public study that nobody adopted yet.
const PUBLIC_IDEA: &str = "Serie activiteiten rond één thema";
/// Emmen's published proposition, evidenced by its private study only.
const EMMEN_PROPOSITION: &str = "Programma's met en door inwoners";
/// A published proposition of Zoetermeer with no knowledge linked to it.
const ZOETERMEER_PROPOSITION: &str = "Taalhuis Zoetermeer";

// ---- callers and outcomes ----------------------------------------------------------------------

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// No token at all.
    Anonymous,
    /// A partner token naming no organisation.
    PartnerWithoutOrganisation,
    /// A partner's user (SeniorWeb), named on no study.
    Partner,
    /// A partner's user of Alignment Analytics, which ran dbieb's network study.
    NamedPartner,
    /// An editor of Bibliotheek Emmen: the only organisation named on the private study.
    EmmenEditor,
    /// An editor of dbieb, which commissioned the network study.
    DbiebEditor,
    /// An editor of Bibliotheek Zoetermeer: named on a public study only.
    ZoetermeerEditor,
    /// A support editor of Biblionet Drenthe, which supports Emmen but is not named on its study.
    EmmenSupport,
    /// A support editor of Probiblio, which ran Zoetermeer's public study.
    ProbiblioSupport,
    /// A network maintainer acting for the KB, named on no study.
    Maintainer,
}

const EVERYONE: [Who; 10] = [
    Who::Anonymous,
    Who::PartnerWithoutOrganisation,
    Who::Partner,
    Who::NamedPartner,
    Who::EmmenEditor,
    Who::DbiebEditor,
    Who::ZoetermeerEditor,
    Who::EmmenSupport,
    Who::ProbiblioSupport,
    Who::Maintainer,
];

impl Who {
    fn token(self, app: &TestApp) -> Option<String> {
        match self {
            Who::Anonymous => None,
            Who::PartnerWithoutOrganisation => Some(app.token(Role::Partner, None)),
            Who::Partner => Some(app.token(Role::Partner, Some("seniorweb"))),
            Who::NamedPartner => Some(app.token(Role::Partner, Some("alignment-analytics"))),
            Who::EmmenEditor => Some(app.editor("bibliotheek-emmen")),
            Who::DbiebEditor => Some(app.editor("dbieb")),
            Who::ZoetermeerEditor => Some(app.editor("bibliotheek-zoetermeer")),
            Who::EmmenSupport => Some(app.token(Role::SupportEditor, Some("biblionet-drenthe"))),
            Who::ProbiblioSupport => Some(app.token(Role::SupportEditor, Some("probiblio"))),
            Who::Maintainer => Some(app.maintainer()),
        }
    }

    /// Whether this caller may see a demo study of this visibility (and so everything in it).
    /// PUBLIC: everyone; NETWORK: whoever acts for an organisation; PRIVATE (Emmen's study): Emmen.
    fn sees(self, visibility: &str) -> bool {
        match visibility {
            "PUBLIC" => true,
            "NETWORK" => !matches!(self, Who::Anonymous | Who::PartnerWithoutOrganisation),
            "PRIVATE" => self == Who::EmmenEditor,
            other => panic!("no such visibility {other}"),
        }
    }

    async fn ask(self, app: &TestApp, query: &str, variables: Value) -> Value {
        app.graphql(query, variables, self.token(app).as_deref()).await
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
const BAD_USER_INPUT: Outcome = Outcome::Refused("BAD_USER_INPUT");
const CONFLICT: Outcome = Outcome::Refused("CONFLICT");

/// Changing Zoetermeer's public study (or adding to it): the library and Probiblio, which are
/// named on it, and maintainers.
const PUBLIC_STUDY_WRITERS: [(Who, Outcome); 10] = [
    (Who::Anonymous, UNAUTHENTICATED),
    (Who::PartnerWithoutOrganisation, FORBIDDEN),
    (Who::Partner, FORBIDDEN),
    (Who::NamedPartner, FORBIDDEN),
    (Who::EmmenEditor, FORBIDDEN),
    (Who::DbiebEditor, FORBIDDEN),
    (Who::EmmenSupport, FORBIDDEN),
    (Who::ZoetermeerEditor, ALLOWED),
    (Who::ProbiblioSupport, ALLOWED),
    (Who::Maintainer, ALLOWED),
];

/// Changing dbieb's network study: dbieb's editors and maintainers. Its partner is named on it but
/// is no editor; whoever cannot see it is told it does not exist.
const NETWORK_STUDY_WRITERS: [(Who, Outcome); 10] = [
    (Who::Anonymous, UNAUTHENTICATED),
    (Who::PartnerWithoutOrganisation, NOT_FOUND),
    (Who::Partner, FORBIDDEN),
    (Who::NamedPartner, FORBIDDEN),
    (Who::EmmenEditor, FORBIDDEN),
    (Who::ZoetermeerEditor, FORBIDDEN),
    (Who::EmmenSupport, FORBIDDEN),
    (Who::ProbiblioSupport, FORBIDDEN),
    (Who::DbiebEditor, ALLOWED),
    (Who::Maintainer, ALLOWED),
];

/// Changing Emmen's private study: Emmen only; for everyone else (maintainers and Emmen's own
/// support organisation too) it does not exist.
const PRIVATE_STUDY_WRITERS: [(Who, Outcome); 10] = [
    (Who::Anonymous, UNAUTHENTICATED),
    (Who::PartnerWithoutOrganisation, NOT_FOUND),
    (Who::Partner, NOT_FOUND),
    (Who::NamedPartner, NOT_FOUND),
    (Who::DbiebEditor, NOT_FOUND),
    (Who::ZoetermeerEditor, NOT_FOUND),
    (Who::EmmenSupport, NOT_FOUND),
    (Who::ProbiblioSupport, NOT_FOUND),
    (Who::Maintainer, NOT_FOUND),
    (Who::EmmenEditor, ALLOWED),
];

// ---- helpers -----------------------------------------------------------------------------------

/// One field of every object in a list, sorted.
fn sorted(list: &Value, field: &str) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .unwrap_or_else(|| panic!("expected a list, got {list}"))
        .iter()
        .map(|x| x[field].as_str().unwrap_or_else(|| panic!("no {field} in {x}")).to_string())
        .collect();
    out.sort();
    out
}

/// Owned and sorted.
fn owned(list: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    out.sort();
    out
}

/// The titles of the demo studies this caller may see, among those passing `keep`, sorted.
fn visible_titles(who: Who, keep: impl Fn(&DemoStudy) -> bool) -> Vec<String> {
    let titles: Vec<&str> =
        DEMO_STUDIES.iter().filter(|s| keep(s) && who.sees(s.visibility)).map(|s| s.title).collect();
    owned(&titles)
}

/// The `id` of the object in a list whose `field` is `value`.
fn id_where(list: &Value, field: &str, value: &str) -> String {
    list.as_array()
        .unwrap_or_else(|| panic!("expected a list, got {list}"))
        .iter()
        .find(|x| x[field] == value)
        .unwrap_or_else(|| panic!("no {field} = {value} in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Runs a document that must succeed for this caller; its data.
async fn must(app: &TestApp, who: Who, doc: &str, variables: Value) -> Value {
    let body = who.ask(app, doc, variables).await;
    data(&body).clone()
}

/// Asserts a call was refused with a code and returned no data.
fn assert_refused(body: &Value, code: &str, what: &str) {
    assert_eq!(body["errors"][0]["extensions"]["code"].as_str(), Some(code), "{what} should be {code}: {body}");
    assert!(body["data"].is_null(), "{what} returned data: {body}");
}

/// The global id of a demo study, read by Emmen's editor (who may see every demo study).
async fn study_id(app: &TestApp, title: &str) -> String {
    let body = must(app, Who::EmmenEditor, "{ studies(first: 100) { nodes { id title } } }", json!({})).await;
    id_where(&body["studies"]["nodes"], "title", title)
}

/// The global id of a demo idea by title, read by Emmen's editor.
async fn idea_id(app: &TestApp, title: &str) -> String {
    let body = must(app, Who::EmmenEditor, "{ improvementIdeas(first: 100) { nodes { id title } } }", json!({})).await;
    id_where(&body["improvementIdeas"]["nodes"], "title", title)
}

/// The global id of a demo insight by statement, read by Emmen's editor.
async fn insight_id(app: &TestApp, statement: &str) -> String {
    let body = must(app, Who::EmmenEditor, "{ insights(first: 100) { nodes { id statement } } }", json!({})).await;
    id_where(&body["insights"]["nodes"], "statement", statement)
}

/// The global id of a published proposition of a library.
async fn proposition_id(app: &TestApp, library: &str, title: &str) -> String {
    let body = app
        .anon(
            "query($s: String!) { organisation(slug: $s) { propositions(first: 100) { nodes { id title } } } }",
            json!({ "s": library }),
        )
        .await;
    id_where(&data(&body)["organisation"]["propositions"]["nodes"], "title", title)
}

const CREATE_JOURNEY: &str = "mutation($input: CreateJourneyInput!) { createJourney(input: $input) {
    journey { id title stages { id } } } }";
const ADD_STAGE: &str = "mutation($input: AddJourneyStageInput!) { addJourneyStage(input: $input) {
    stage { id name position } } }";
const CREATE_INSIGHT: &str = "mutation($input: CreateInsightInput!) { createInsight(input: $input) {
    insight { id statement } } }";
const CREATE_IDEA: &str = "mutation($input: CreateIdeaInput!) { createImprovementIdea(input: $input) {
    idea { id title priority } } }";
const UPDATE_STUDY: &str = "mutation($input: UpdateStudyInput!) { updateStudy(input: $input) {
    study { id title summary version visibility } } }";
const CREATE_STUDY: &str = "mutation($input: CreateStudyInput!) { createStudy(input: $input) {
    study { id title visibility commissionedBy { slug } conductedBy { slug } } } }";
const ADOPT: &str = "mutation($input: AdoptIdeaInput!) { adoptImprovementIdea(input: $input) {
    adoption { id status organisation { slug } idea { title } } } }";
const LINK: &str = "mutation($input: LinkKnowledgeInput!) { linkKnowledge(input: $input) {
    link { id relation study { title } proposition { title } } } }";

/// Adds a journey (following Taalhuis, for all residents) with one stage to a study, as a caller
/// who may; returns the ids of the journey and the stage.
async fn add_journey(app: &TestApp, who: Who, study: &str, title: &str) -> (String, String) {
    let body = must(
        app,
        who,
        CREATE_JOURNEY,
        json!({ "input": {
            "studyId": study, "title": title, "targetGroupCode": "ALL_RESIDENTS", "standardPropositionCode": "TAALHUIS",
        } }),
    )
    .await;
    let journey = body["createJourney"]["journey"]["id"].as_str().unwrap().to_string();
    let body =
        must(app, who, ADD_STAGE, json!({ "input": { "journeyId": journey, "stage": { "name": "Oriëntatie" } } }))
            .await;
    (journey, body["addJourneyStage"]["stage"]["id"].as_str().unwrap().to_string())
}

/// What a mutation may change, read by a caller who sees all of it.
enum Watch<'a> {
    /// A demo study's version and contents (read by Emmen's editor).
    Study(&'a str),
    /// The knowledge links to a published proposition (read by Emmen's editor).
    Evidence(&'a str),
    /// The adoptions of a public or network idea (read by Emmen's editor).
    Adoptions(&'a str),
}

async fn snapshot(app: &TestApp, watch: &Watch<'_>) -> Value {
    let (doc, id) = match watch {
        Watch::Study(id) => (
            "query($id: ID!) { study(id: $id) { version title summary journeys { id title stages { id name } }
                insights { id } ideas { id } } }",
            id,
        ),
        Watch::Evidence(id) => {
            ("query($id: ID!) { proposition(id: $id) { evidence { links { id relation study { title } } } } }", id)
        }
        Watch::Adoptions(id) => (
            "query($id: ID!) { improvementIdea(id: $id) { adoptionCount adoptions { id organisation { slug } } } }",
            id,
        ),
    };
    must(app, Who::EmmenEditor, doc, json!({ "id": id })).await
}

/// Runs one mutation for each case in turn and checks its outcome. `vars` builds the variables from
/// the caller and what is watched as it is before the call. A refused call must return no data and
/// change nothing watched; an allowed one must change it. Returns the bodies of the allowed calls.
async fn check_cases(
    app: &TestApp,
    doc: &str,
    watch: &Watch<'_>,
    vars: impl Fn(Who, &Value) -> Value,
    cases: &[(Who, Outcome)],
) -> Vec<Value> {
    let operation = doc.split(['(', '{']).nth(2).unwrap_or(doc).trim().to_string();
    let mut allowed = Vec::new();
    let mut after = snapshot(app, watch).await;
    for &(who, outcome) in cases {
        let before = after;
        let body = who.ask(app, doc, vars(who, &before)).await;
        after = snapshot(app, watch).await;
        match outcome {
            Outcome::Allowed => {
                assert!(
                    body.get("errors").is_none_or(Value::is_null),
                    "{operation} as {who:?} should be allowed: {body}"
                );
                assert_ne!(before, after, "{operation} as {who:?} was allowed yet changed nothing: {body}");
                allowed.push(body);
            }
            Outcome::Refused(code) => {
                assert_refused(&body, code, &format!("{operation} as {who:?}"));
                assert_eq!(before, after, "{operation} as {who:?} was refused yet changed something");
            }
        }
    }
    allowed
}

// ---- reading: studies --------------------------------------------------------------------------

#[tokio::test]
async fn the_studies_list_and_its_filters_hold_exactly_the_studies_each_caller_may_see() {
    let app = spawn_app().await;
    let doc = "query($f: StudyFilterInput) { studies(filter: $f, first: 100) {
        totalCount nodes { title visibility } } }";
    // Each filter with the demo studies it matches, whoever asks.
    let filters: [(Value, &[&str]); 9] = [
        (Value::Null, &[ZOETERMEER_STUDY, FLEVOLAND_STUDY, LELYKRACHT_STUDY, DBIEB_STUDY, EMMEN_STUDY]),
        (json!({ "visibilities": ["PRIVATE"] }), &[EMMEN_STUDY]),
        (json!({ "visibilities": ["NETWORK", "PRIVATE"] }), &[DBIEB_STUDY, EMMEN_STUDY]),
        (json!({ "targetGroups": ["ALL_RESIDENTS"] }), &[LELYKRACHT_STUDY, DBIEB_STUDY, EMMEN_STUDY]),
        (json!({ "organisations": ["bibliotheek-emmen"] }), &[EMMEN_STUDY]),
        (json!({ "commissionedBy": ["dbieb", "bibliotheek-emmen"] }), &[DBIEB_STUDY, EMMEN_STUDY]),
        (json!({ "conductedBy": ["alignment-analytics"] }), &[DBIEB_STUDY]),
        (json!({ "methods": ["CO_CREATION"] }), &[ZOETERMEER_STUDY, EMMEN_STUDY]),
        (json!({ "provinces": ["PV22"], "municipalities": ["GM0114"] }), &[EMMEN_STUDY]),
    ];
    for who in EVERYONE {
        for (filter, matching) in &filters {
            let body = who.ask(&app, doc, json!({ "f": filter })).await;
            let studies = &data(&body)["studies"];
            let expected = visible_titles(who, |s| matching.contains(&s.title));
            assert_eq!(sorted(&studies["nodes"], "title"), expected, "{who:?} with filter {filter}: {body}");
            assert_eq!(studies["totalCount"], expected.len(), "{who:?} with filter {filter}: {body}");
            for node in studies["nodes"].as_array().unwrap() {
                let demo = DEMO_STUDIES.iter().find(|s| node["title"] == s.title).unwrap();
                assert_eq!(node["visibility"], demo.visibility, "{node}");
            }
        }
    }
    // The baseline is not empty for anyone, and differs between the three kinds of caller.
    assert_eq!(visible_titles(Who::Anonymous, |_| true).len(), 3);
    assert_eq!(visible_titles(Who::Maintainer, |_| true).len(), 4);
    assert_eq!(visible_titles(Who::EmmenEditor, |_| true).len(), 5);
}

#[tokio::test]
async fn study_and_node_by_id_are_not_found_for_whoever_may_not_see_the_study() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for s in &DEMO_STUDIES {
        ids.push((study_id(&app, s.title).await, s));
    }
    for who in EVERYONE {
        for (id, s) in &ids {
            let by_id = who.ask(&app, "query($id: ID!) { study(id: $id) { id title } }", json!({ "id": id })).await;
            let by_node = who
                .ask(&app, "query($id: ID!) { node(id: $id) { id ... on Study { title } } }", json!({ "id": id }))
                .await;
            if who.sees(s.visibility) {
                assert_eq!(data(&by_id)["study"]["title"], s.title, "{who:?}");
                assert_eq!(data(&by_node)["node"]["title"], s.title, "{who:?}");
            } else {
                assert_refused(&by_id, "NOT_FOUND", &format!("study({}) as {who:?}", s.title));
                assert_refused(&by_node, "NOT_FOUND", &format!("node({}) as {who:?}", s.title));
            }
        }
    }
}

// ---- reading: what lies inside a study ---------------------------------------------------------

#[tokio::test]
async fn everything_inside_a_study_is_found_by_id_only_by_those_who_may_see_the_study() {
    let app = spawn_app().await;
    let emmen = study_id(&app, EMMEN_STUDY).await;
    let dbieb = study_id(&app, DBIEB_STUDY).await;
    let zoetermeer = study_id(&app, ZOETERMEER_STUDY).await;
    // Neither hidden study has a journey in the demo data: their own editors add one.
    add_journey(&app, Who::EmmenEditor, &emmen, "Klantreis van een Emmer inwoner").await;
    add_journey(&app, Who::DbiebEditor, &dbieb, "Klantreis door de wijk").await;

    // Every item of each study, as a reader who may see it all (Emmen's editor sees every demo
    // study; it cannot see the links to dbieb's draft proposition, so those are left out).
    let contents = "query($id: ID!) { study(id: $id) { insights { id } ideas { id adoptions { id } }
        links { id } journeys { id stages { id } } } }";
    let mut items: Vec<(&str, String, &str)> = Vec::new();
    for (study, visibility, all) in
        [(&emmen, "PRIVATE", true), (&dbieb, "NETWORK", true), (&zoetermeer, "PUBLIC", false)]
    {
        let body = must(&app, Who::EmmenEditor, contents, json!({ "id": study })).await;
        let s = &body["study"];
        let ideas = s["ideas"].as_array().unwrap();
        let journeys = s["journeys"].as_array().unwrap();
        let mut found = vec![
            ("Insight", s["insights"].as_array().unwrap().clone()),
            ("ImprovementIdea", ideas.clone()),
            ("Adoption", ideas.iter().flat_map(|i| i["adoptions"].as_array().unwrap().clone()).collect()),
            ("KnowledgeLink", s["links"].as_array().unwrap().clone()),
            ("CustomerJourney", journeys.clone()),
            ("JourneyStage", journeys.iter().flat_map(|j| j["stages"].as_array().unwrap().clone()).collect()),
        ];
        if visibility == "NETWORK" {
            found.retain(|(kind, _)| *kind != "KnowledgeLink");
        }
        for (kind, list) in found {
            assert!(!list.is_empty(), "{visibility} study has no {kind}: {body}");
            let take = if all { list.len() } else { 1 };
            for item in list.iter().take(take) {
                items.push((kind, item["id"].as_str().unwrap().to_string(), visibility));
            }
        }
    }

    for who in EVERYONE {
        for (kind, id, visibility) in &items {
            let what = format!("{kind} of a {visibility} study as {who:?}");
            let by_node = who.ask(&app, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
            let by_id = match *kind {
                "Insight" => {
                    Some(who.ask(&app, "query($id: ID!) { insight(id: $id) { id } }", json!({ "id": id })).await)
                }
                "ImprovementIdea" => Some(
                    who.ask(&app, "query($id: ID!) { improvementIdea(id: $id) { id } }", json!({ "id": id })).await,
                ),
                _ => None,
            };
            if who.sees(visibility) {
                assert_eq!(data(&by_node)["node"]["id"], id.as_str(), "{what}");
                if let Some(body) = by_id {
                    let field = if *kind == "Insight" { "insight" } else { "improvementIdea" };
                    assert_eq!(data(&body)[field]["id"], id.as_str(), "{what}");
                }
            } else {
                assert_refused(&by_node, "NOT_FOUND", &format!("node: {what}"));
                if let Some(body) = by_id {
                    assert_refused(&body, "NOT_FOUND", &what);
                }
            }
        }
    }
}

#[tokio::test]
async fn insight_and_idea_lists_leave_out_what_lies_in_studies_the_caller_may_not_see() {
    let app = spawn_app().await;
    let emmen = study_id(&app, EMMEN_STUDY).await;
    let doc = "query($i: InsightFilterInput, $d: IdeaFilterInput) {
        insights(filter: $i, first: 100) { totalCount nodes { statement study { title } } }
        improvementIdeas(filter: $d, first: 100) { totalCount nodes { title study { title } } } }";
    for who in EVERYONE {
        let body = who.ask(&app, doc, json!({})).await;
        let d = data(&body);
        let seen: Vec<&DemoStudy> = DEMO_STUDIES.iter().filter(|s| who.sees(s.visibility)).collect();
        let (insights, ideas): (u64, u64) = (seen.iter().map(|s| s.insights).sum(), seen.iter().map(|s| s.ideas).sum());
        assert_eq!(d["insights"]["totalCount"], insights, "{who:?}: {body}");
        assert_eq!(d["insights"]["nodes"].as_array().unwrap().len() as u64, insights, "{who:?}");
        assert_eq!(d["improvementIdeas"]["totalCount"], ideas, "{who:?}: {body}");
        assert_eq!(d["improvementIdeas"]["nodes"].as_array().unwrap().len() as u64, ideas, "{who:?}");
        // Each item's study is one the caller may see, and every such study shows up.
        for list in [&d["insights"]["nodes"], &d["improvementIdeas"]["nodes"]] {
            let mut studies: Vec<String> = list
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["study"]["title"].as_str().unwrap_or_else(|| panic!("{who:?}: no study in {n}")).to_string())
                .collect();
            studies.sort();
            studies.dedup();
            assert_eq!(studies, visible_titles(who, |_| true), "{who:?}");
        }
        let statements = sorted(&d["insights"]["nodes"], "statement");
        assert_eq!(statements.contains(&EMMEN_INSIGHT.to_string()), who == Who::EmmenEditor, "{who:?}");
        let titles = sorted(&d["improvementIdeas"]["nodes"], "title");
        assert_eq!(titles.contains(&DBIEB_IDEA.to_string()), who.sees("NETWORK"), "{who:?}");
        assert!(titles.contains(&PUBLIC_IDEA.to_string()), "{who:?}");

        // Asking for the private study by id finds nothing for whoever may not see it.
        let body = who.ask(&app, doc, json!({ "i": { "studyIds": [emmen] }, "d": { "studyIds": [emmen] } })).await;
        let mine = who == Who::EmmenEditor;
        assert_eq!(data(&body)["insights"]["totalCount"], if mine { 2 } else { 0 }, "{who:?}: {body}");
        assert_eq!(data(&body)["improvementIdeas"]["totalCount"], if mine { 2 } else { 0 }, "{who:?}: {body}");

        // Insights about all residents: Lelykracht's (public), dbieb's two (network), one of Emmen.
        let body = who.ask(&app, doc, json!({ "i": { "targetGroups": ["ALL_RESIDENTS"] } })).await;
        let expected = 1 + (if who.sees("NETWORK") { 2 } else { 0 }) + (if mine { 1 } else { 0 });
        assert_eq!(data(&body)["insights"]["totalCount"], expected, "{who:?}: {body}");
        // Ideas adopted by Emmen: both of its private ideas, for Emmen only.
        let body = who.ask(&app, doc, json!({ "d": { "adoptedBy": ["bibliotheek-emmen"] } })).await;
        let expected = if mine { owned(&EMMEN_IDEAS) } else { vec![] };
        assert_eq!(sorted(&data(&body)["improvementIdeas"]["nodes"], "title"), expected, "{who:?}: {body}");
    }
}

#[tokio::test]
async fn an_organisations_studies_insights_journeys_and_adoptions_leave_out_hidden_studies() {
    let app = spawn_app().await;
    let emmen = study_id(&app, EMMEN_STUDY).await;
    let dbieb = study_id(&app, DBIEB_STUDY).await;
    add_journey(&app, Who::EmmenEditor, &emmen, "Klantreis van een Emmer inwoner").await;
    add_journey(&app, Who::DbiebEditor, &dbieb, "Klantreis door de wijk").await;
    // Emmen also takes up a public idea: that adoption is for everyone to see.
    let public_idea = idea_id(&app, PUBLIC_IDEA).await;
    let emmen_org = app.organisation_id("bibliotheek-emmen").await;
    must(&app, Who::EmmenEditor, ADOPT, json!({ "input": { "ideaId": public_idea, "organisationId": emmen_org } }))
        .await;

    let doc = "query($s: String!) { organisation(slug: $s) {
        studies(first: 100) { totalCount nodes { title } }
        conducted: studies(role: CONDUCTED, first: 100) { totalCount nodes { title } }
        insights(first: 100) { totalCount nodes { statement } }
        journeys { title }
        adoptions { idea { title } }
    } }";
    for who in EVERYONE {
        let mine = who == Who::EmmenEditor;
        let body = who.ask(&app, doc, json!({ "s": "bibliotheek-emmen" })).await;
        let org = &data(&body)["organisation"];
        let studies: Vec<String> = if mine { owned(&[EMMEN_STUDY]) } else { vec![] };
        assert_eq!(sorted(&org["studies"]["nodes"], "title"), studies, "{who:?}: {body}");
        assert_eq!(org["studies"]["totalCount"], studies.len(), "{who:?}");
        assert_eq!(sorted(&org["conducted"]["nodes"], "title"), studies, "{who:?}: {body}");
        assert_eq!(org["insights"]["totalCount"], if mine { 2 } else { 0 }, "{who:?}: {body}");
        assert_eq!(org["insights"]["nodes"].as_array().unwrap().len(), if mine { 2 } else { 0 }, "{who:?}");
        let journeys: Vec<String> = if mine { owned(&["Klantreis van een Emmer inwoner"]) } else { vec![] };
        assert_eq!(sorted(&org["journeys"], "title"), journeys, "{who:?}: {body}");
        let mut adopted: Vec<String> = org["adoptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["idea"]["title"].as_str().unwrap_or_else(|| panic!("{who:?}: {a}")).to_string())
            .collect();
        let mut expected = vec![PUBLIC_IDEA];
        if mine {
            expected.extend(EMMEN_IDEAS);
        }
        adopted.sort();
        assert_eq!(adopted, owned(&expected), "{who:?}: {body}");

        // dbieb's network study, commissioned by dbieb and run by Alignment Analytics.
        let network = who.sees("NETWORK");
        let body = who.ask(&app, doc, json!({ "s": "dbieb" })).await;
        let org = &data(&body)["organisation"];
        let studies: Vec<String> = if network { owned(&[DBIEB_STUDY]) } else { vec![] };
        assert_eq!(sorted(&org["studies"]["nodes"], "title"), studies, "{who:?}: {body}");
        assert_eq!(org["studies"]["totalCount"], studies.len(), "{who:?}");
        assert_eq!(org["conducted"]["totalCount"], 0, "{who:?}: dbieb commissioned, did not conduct: {body}");
        assert_eq!(org["insights"]["totalCount"], if network { 2 } else { 0 }, "{who:?}: {body}");
        let journeys: Vec<String> = if network { owned(&["Klantreis door de wijk"]) } else { vec![] };
        assert_eq!(sorted(&org["journeys"], "title"), journeys, "{who:?}: {body}");
        assert_eq!(org["adoptions"].as_array().unwrap().len(), if network { 1 } else { 0 }, "{who:?}: {body}");

        let body = who.ask(&app, doc, json!({ "s": "alignment-analytics" })).await;
        let org = &data(&body)["organisation"];
        assert_eq!(sorted(&org["conducted"]["nodes"], "title"), studies, "{who:?}: {body}");
        assert_eq!(org["insights"]["totalCount"], if network { 2 } else { 0 }, "{who:?}: {body}");
    }
}

#[tokio::test]
async fn nested_lists_under_many_parents_at_once_leave_out_hidden_studies_for_every_parent() {
    // Nested lists under many parents load together; each parent must still get exactly its own
    // visible items, and nothing of a hidden study may turn up under any parent: a hundred parents
    // with a hundred items each, within the default complexity limit.
    let app = spawn_app().await;
    let emmen = study_id(&app, EMMEN_STUDY).await;
    let dbieb = study_id(&app, DBIEB_STUDY).await;
    add_journey(&app, Who::EmmenEditor, &emmen, "Klantreis van een Emmer inwoner").await;
    add_journey(&app, Who::DbiebEditor, &dbieb, "Klantreis door de wijk").await;
    for (who, study) in [(Who::EmmenEditor, &emmen), (Who::DbiebEditor, &dbieb)] {
        must(
            &app,
            who,
            LINK,
            json!({ "input": {
                "source": { "studyId": study }, "target": { "standardPropositionCode": "SENIOR_MEETING" },
                "relation": "EVIDENCE_FOR",
            } }),
        )
        .await;
    }
    let knowledge = "knowledge { studies(first: 100) { totalCount nodes { title } }
        insights(first: 100) { totalCount nodes { statement } } ideas(first: 100) { totalCount nodes { title } } }";
    let doc = format!(
        "{{ organisations(first: 100) {{ nodes {{ slug
              studies(first: 100) {{ totalCount nodes {{ title }} }}
              insights(first: 100) {{ totalCount nodes {{ statement }} }}
              journeys {{ title }} adoptions {{ idea {{ title }} }} }} }}
            targetGroups {{ code {knowledge} }}
            standardPropositions {{ code {knowledge} }}
            propositions(first: 100) {{ nodes {{ title evidence {{ studies {{ title }} insights {{ statement }}
              links {{ study {{ title }} }} adoptedIdeas {{ idea {{ title }} }} }} }} }} }}"
    );
    let emmen_texts = [EMMEN_STUDY, EMMEN_INSIGHT, EMMEN_IDEAS[0], EMMEN_IDEAS[1], "Klantreis van een Emmer inwoner"];
    let dbieb_texts = [DBIEB_STUDY, DBIEB_IDEA, "Klantreis door de wijk"];
    for who in EVERYONE {
        let body = who.ask(&app, &doc, json!({})).await;
        let d = data(&body);
        let text = body.to_string();
        for t in emmen_texts {
            assert_eq!(text.contains(t), who.sees("PRIVATE"), "{who:?} and {t:?}: {body}");
        }
        for t in dbieb_texts {
            assert_eq!(text.contains(t), who.sees("NETWORK"), "{who:?} and {t:?}: {body}");
        }
        // Each organisation lists exactly the visible studies naming it, with their insights.
        for org in d["organisations"]["nodes"].as_array().unwrap() {
            let slug = org["slug"].as_str().unwrap();
            let mine: Vec<&DemoStudy> =
                DEMO_STUDIES.iter().filter(|s| s.named.contains(&slug) && who.sees(s.visibility)).collect();
            let titles: Vec<&str> = mine.iter().map(|s| s.title).collect();
            assert_eq!(sorted(&org["studies"]["nodes"], "title"), owned(&titles), "{who:?}, {slug}");
            assert_eq!(org["studies"]["totalCount"], titles.len(), "{who:?}, {slug}");
            let insights: u64 = mine.iter().map(|s| s.insights).sum();
            assert_eq!(org["insights"]["totalCount"], insights, "{who:?}, {slug}");
            assert_eq!(org["insights"]["nodes"].as_array().unwrap().len() as u64, insights, "{who:?}, {slug}");
        }
        // Both hidden studies are about all residents and now linked to SENIOR_MEETING.
        for (list, code, public) in [
            ("targetGroups", "ALL_RESIDENTS", LELYKRACHT_STUDY),
            ("standardPropositions", "SENIOR_MEETING", ZOETERMEER_STUDY),
        ] {
            let parent = d[list].as_array().unwrap().iter().find(|x| x["code"] == code).unwrap();
            let mut expected = vec![public];
            if who.sees("NETWORK") {
                expected.push(DBIEB_STUDY);
            }
            if who.sees("PRIVATE") {
                expected.push(EMMEN_STUDY);
            }
            let studies = &parent["knowledge"]["studies"];
            assert_eq!(sorted(&studies["nodes"], "title"), owned(&expected), "{who:?}, {code}");
            assert_eq!(studies["totalCount"], expected.len(), "{who:?}, {code}");
        }
    }
}

#[tokio::test]
async fn the_knowledge_of_a_standard_proposition_and_a_target_group_leaves_out_hidden_studies() {
    let app = spawn_app().await;
    // Emmen and dbieb link one insight each to SENIOR_MEETING, which Zoetermeer's public study is about.
    for (who, statement) in [
        (Who::EmmenEditor, EMMEN_INSIGHT),
        (
            Who::DbiebEditor,
            "Wijken in Leeuwarden en Tytsjerksteradiel verschillen sterk in bevolking, leefstijl en vraagstukken; \
             één programma voor het hele werkgebied sluit daardoor niet overal aan.",
        ),
    ] {
        let insight = insight_id(&app, statement).await;
        must(
            &app,
            who,
            LINK,
            json!({ "input": {
                "source": { "insightId": insight }, "target": { "standardPropositionCode": "SENIOR_MEETING" },
                "relation": "EVIDENCE_FOR",
            } }),
        )
        .await;
    }

    let knowledge = "knowledge {
        studies(first: 100) { totalCount nodes { title } }
        insights(first: 100) { totalCount nodes { statement study { title } } }
        ideas(first: 100) { totalCount nodes { title study { title } } } }";
    let by_standard = format!(r#"{{ standardProposition(code: "SENIOR_MEETING") {{ {knowledge} }} }}"#);
    let groups = must(&app, Who::Anonymous, "{ targetGroups { id code } }", json!({})).await;
    let all_residents = id_where(&groups["targetGroups"], "code", "ALL_RESIDENTS");
    let by_group = format!("query($id: ID!) {{ node(id: $id) {{ ... on TargetGroup {{ {knowledge} }} }} }}");

    for who in EVERYONE {
        let (network, private) = (who.sees("NETWORK"), who.sees("PRIVATE"));
        // The public study is always there; dbieb's and Emmen's insight add their study, the
        // insight and the ideas answering it.
        let body = who.ask(&app, &by_standard, json!({})).await;
        let k = &data(&body)["standardProposition"]["knowledge"];
        let mut studies = vec![ZOETERMEER_STUDY];
        let (mut insights, mut ideas) = (3, 6);
        if network {
            studies.push(DBIEB_STUDY);
            (insights, ideas) = (insights + 1, ideas + 1);
        }
        if private {
            studies.push(EMMEN_STUDY);
            (insights, ideas) = (insights + 1, ideas + 2);
        }
        assert_knowledge(k, &studies, insights, ideas, &format!("SENIOR_MEETING as {who:?}: {body}"));

        let body = who.ask(&app, &by_group, json!({ "id": all_residents })).await;
        let k = &data(&body)["node"]["knowledge"];
        let mut studies = vec![LELYKRACHT_STUDY];
        let (mut insights, mut ideas) = (1, 1);
        if network {
            studies.push(DBIEB_STUDY);
            (insights, ideas) = (insights + 2, ideas + 1);
        }
        if private {
            studies.push(EMMEN_STUDY);
            (insights, ideas) = (insights + 1, ideas + 2);
        }
        assert_knowledge(k, &studies, insights, ideas, &format!("ALL_RESIDENTS as {who:?}: {body}"));
    }
}

/// Checks a `knowledge` object: exactly these studies, and this many insights and ideas, all of
/// them from those studies.
fn assert_knowledge(k: &Value, studies: &[&str], insights: u64, ideas: u64, what: &str) {
    assert_eq!(sorted(&k["studies"]["nodes"], "title"), owned(studies), "{what}");
    assert_eq!(k["studies"]["totalCount"], studies.len(), "{what}");
    assert_eq!(k["insights"]["totalCount"], insights, "{what}");
    assert_eq!(k["ideas"]["totalCount"], ideas, "{what}");
    for list in [&k["insights"]["nodes"], &k["ideas"]["nodes"]] {
        let list = list.as_array().unwrap();
        assert!(list.iter().all(|n| studies.iter().any(|s| n["study"]["title"] == *s)), "{what}");
    }
    assert_eq!(k["insights"]["nodes"].as_array().unwrap().len() as u64, insights, "{what}");
    assert_eq!(k["ideas"]["nodes"].as_array().unwrap().len() as u64, ideas, "{what}");
}

#[tokio::test]
async fn a_propositions_evidence_shows_only_research_the_caller_may_see() {
    let app = spawn_app().await;
    let emmen_prop = proposition_id(&app, "bibliotheek-emmen", EMMEN_PROPOSITION).await;
    let doc = "query($id: ID!) { proposition(id: $id) { title evidence {
        studies { title } insights { statement } links { relation study { title } }
        adoptedIdeas { idea { title } } } } }";
    let by_proposition =
        "query($f: StudyFilterInput) { studies(filter: $f, first: 100) { totalCount nodes { title } } }";
    for who in EVERYONE {
        let mine = who == Who::EmmenEditor;
        let body = who.ask(&app, doc, json!({ "id": emmen_prop })).await;
        let p = &data(&body)["proposition"];
        assert_eq!(p["title"], EMMEN_PROPOSITION, "the proposition itself is published: {body}");
        let ev = &p["evidence"];
        let studies: Vec<String> = if mine { owned(&[EMMEN_STUDY]) } else { vec![] };
        assert_eq!(sorted(&ev["studies"], "title"), studies, "{who:?}: {body}");
        // The study is linked as a whole (both its insights) and through one insight.
        assert_eq!(ev["insights"].as_array().unwrap().len(), if mine { 2 } else { 0 }, "{who:?}: {body}");
        assert_eq!(ev["links"].as_array().unwrap().len(), if mine { 2 } else { 0 }, "{who:?}: {body}");
        let mut adopted: Vec<String> = ev["adoptedIdeas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["idea"]["title"].as_str().unwrap().into())
            .collect();
        adopted.sort();
        assert_eq!(adopted, if mine { owned(&EMMEN_IDEAS) } else { vec![] }, "{who:?}: {body}");

        let body = who.ask(&app, by_proposition, json!({ "f": { "propositionIds": [emmen_prop] } })).await;
        assert_eq!(sorted(&data(&body)["studies"]["nodes"], "title"), studies, "{who:?}: {body}");
        assert_eq!(data(&body)["studies"]["totalCount"], studies.len(), "{who:?}: {body}");
    }

    // Emmen links its private study to a proposition of Zoetermeer: Zoetermeer's own editor still
    // cannot see that research, in the evidence or by searching studies for the proposition.
    let taalhuis = proposition_id(&app, "bibliotheek-zoetermeer", ZOETERMEER_PROPOSITION).await;
    let emmen = study_id(&app, EMMEN_STUDY).await;
    let body = must(
        &app,
        Who::EmmenEditor,
        LINK,
        json!({ "input": {
            "source": { "studyId": emmen }, "target": { "propositionId": taalhuis }, "relation": "INFORMED_DESIGN_OF",
        } }),
    )
    .await;
    let link = body["linkKnowledge"]["link"]["id"].as_str().unwrap().to_string();
    for who in EVERYONE {
        let mine = who == Who::EmmenEditor;
        let body = who.ask(&app, doc, json!({ "id": taalhuis })).await;
        let ev = &data(&body)["proposition"]["evidence"];
        let studies: Vec<String> = if mine { owned(&[EMMEN_STUDY]) } else { vec![] };
        assert_eq!(sorted(&ev["studies"], "title"), studies, "{who:?}: {body}");
        assert_eq!(ev["links"].as_array().unwrap().len(), if mine { 1 } else { 0 }, "{who:?}: {body}");
        assert_eq!(ev["insights"].as_array().unwrap().len(), if mine { 2 } else { 0 }, "{who:?}: {body}");
        let body = who.ask(&app, by_proposition, json!({ "f": { "propositionIds": [taalhuis] } })).await;
        assert_eq!(sorted(&data(&body)["studies"]["nodes"], "title"), studies, "{who:?}: {body}");
        let body = who.ask(&app, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": link })).await;
        if mine {
            assert_eq!(data(&body)["node"]["id"], link.as_str());
        } else {
            assert_refused(&body, "NOT_FOUND", &format!("the private link as {who:?}"));
        }
    }
    // Nor may Zoetermeer's editor change or remove that link to its own proposition.
    for doc in [
        "mutation($id: ID!) { updateKnowledgeLink(input: { id: $id, expectedVersion: 1, note: \"x\" }) {
            link { id } } }",
        "mutation($id: ID!) { unlinkKnowledge(input: { id: $id, expectedVersion: 1 }) { removedLinkId } }",
    ] {
        let body = Who::ZoetermeerEditor.ask(&app, doc, json!({ "id": link })).await;
        assert_refused(&body, "NOT_FOUND", doc);
    }
}

// ---- writing -----------------------------------------------------------------------------------

#[tokio::test]
async fn create_study_is_for_editors_naming_their_own_organisation_and_for_maintainers() {
    let app = spawn_app().await;
    let mut org = std::collections::HashMap::new();
    for slug in ["bibliotheek-emmen", "dbieb", "biblionet-drenthe", "seniorweb", "alignment-analytics"] {
        org.insert(slug, app.organisation_id(slug).await);
    }
    // Every study is commissioned by Emmen (so Emmen's editor sees whatever gets created), plus the
    // libraries and conductors the caller names.
    let cases: [(Who, &[&str], &[&str], Outcome); 12] = [
        (Who::Anonymous, &[], &[], UNAUTHENTICATED),
        (Who::PartnerWithoutOrganisation, &[], &[], FORBIDDEN),
        (Who::Partner, &[], &["seniorweb"], FORBIDDEN),
        (Who::NamedPartner, &["dbieb"], &["alignment-analytics"], FORBIDDEN),
        (Who::ZoetermeerEditor, &[], &[], BAD_USER_INPUT),
        (Who::DbiebEditor, &[], &["alignment-analytics"], BAD_USER_INPUT),
        (Who::EmmenSupport, &[], &[], BAD_USER_INPUT),
        (Who::ProbiblioSupport, &[], &["biblionet-drenthe"], BAD_USER_INPUT),
        (Who::EmmenEditor, &[], &[], ALLOWED),
        (Who::EmmenSupport, &[], &["biblionet-drenthe"], ALLOWED),
        (Who::DbiebEditor, &["dbieb"], &["alignment-analytics"], ALLOWED),
        (Who::Maintainer, &[], &[], ALLOWED),
    ];
    let mut created = Vec::new();
    for (n, (who, commissioned, conducted, outcome)) in cases.iter().enumerate() {
        let title = format!("Onderzoek {n} ({who:?})");
        let mut commissioned_ids = vec![org["bibliotheek-emmen"].clone()];
        commissioned_ids.extend(commissioned.iter().map(|s| org[s].clone()));
        let conducted_ids: Vec<String> = conducted.iter().map(|s| org[s].clone()).collect();
        let input = json!({ "input": {
            "title": title, "methods": ["INTERVIEWS"], "periodStart": "2025-02-01",
            "commissionedByIds": commissioned_ids, "conductedByIds": conducted_ids,
        } });
        let body = who.ask(&app, CREATE_STUDY, input).await;
        match outcome {
            Outcome::Allowed => {
                let s = &data(&body)["createStudy"]["study"];
                assert_eq!(s["title"], title.as_str(), "{body}");
                assert_eq!(s["visibility"], "PRIVATE", "private unless said otherwise: {body}");
                created.push((*who, title, s["id"].as_str().unwrap().to_string()));
            }
            Outcome::Refused(code) => assert_refused(&body, code, &format!("createStudy as {who:?}")),
        }
    }

    // Only the allowed calls made a study.
    let body = must(
        &app,
        Who::EmmenEditor,
        r#"{ organisation(slug: "bibliotheek-emmen") { studies(first: 100) { nodes { title } } } }"#,
        json!({}),
    )
    .await;
    let mut expected: Vec<&str> = created.iter().map(|(_, t, _)| t.as_str()).collect();
    expected.push(EMMEN_STUDY);
    assert_eq!(sorted(&body["organisation"]["studies"]["nodes"], "title"), owned(&expected));

    // Each new private study is seen by the organisations named on it, in whatever role, and by
    // nobody else: not by the maintainer who recorded one without naming the KB, nor by Emmen's
    // support organisation unless it is named.
    for (creator, title, id) in &created {
        let named: &[Who] = match creator {
            Who::EmmenEditor | Who::Maintainer => &[Who::EmmenEditor],
            Who::EmmenSupport => &[Who::EmmenEditor, Who::EmmenSupport],
            Who::DbiebEditor => &[Who::EmmenEditor, Who::DbiebEditor, Who::NamedPartner],
            other => panic!("{other:?} created nothing"),
        };
        for who in EVERYONE {
            let body = who.ask(&app, "query($id: ID!) { study(id: $id) { title } }", json!({ "id": id })).await;
            if named.contains(&who) {
                assert_eq!(data(&body)["study"]["title"], title.as_str(), "{who:?}");
            } else {
                assert_refused(&body, "NOT_FOUND", &format!("{title} as {who:?}"));
            }
        }
    }
}

#[tokio::test]
async fn a_private_study_is_seen_by_the_organisations_named_on_it_and_widens_with_its_visibility() {
    let app = spawn_app().await;
    let dbieb = app.organisation_id("dbieb").await;
    let alignment = app.organisation_id("alignment-analytics").await;
    let probiblio = app.organisation_id("probiblio").await;
    let body = must(
        &app,
        Who::DbiebEditor,
        CREATE_STUDY,
        json!({ "input": {
            "title": "Bibliotheekgebruik per dorp", "methods": ["DATA_ANALYSIS"], "periodStart": "2025-03-01",
            "commissionedByIds": [dbieb], "conductedByIds": [alignment], "visibility": "PRIVATE",
        } }),
    )
    .await;
    let id = body["createStudy"]["study"]["id"].as_str().unwrap().to_string();
    // dbieb's own support organisation, named nowhere.
    let fryslan = app.token(Role::SupportEditor, Some("bibliotheekservice-fryslan"));
    let read = "query($id: ID!) { study(id: $id) { title version visibility } }";

    let check = |seers: Vec<Who>, fryslan_sees: bool, stage: &'static str| {
        let (app, id, fryslan) = (&app, id.clone(), fryslan.clone());
        async move {
            for who in EVERYONE {
                let body = who.ask(app, read, json!({ "id": id })).await;
                if seers.contains(&who) {
                    assert_eq!(data(&body)["study"]["title"], "Bibliotheekgebruik per dorp", "{stage}: {who:?}");
                } else {
                    assert_refused(&body, "NOT_FOUND", &format!("{stage}: study as {who:?}"));
                }
                let listed = who.ask(app, "{ studies(first: 100) { nodes { id } } }", json!({})).await;
                let ids = sorted(&data(&listed)["studies"]["nodes"], "id");
                assert_eq!(ids.contains(&id), seers.contains(&who), "{stage}: listed for {who:?}");
            }
            let body = app.graphql(read, json!({ "id": id }), Some(&fryslan)).await;
            if fryslan_sees {
                assert_eq!(data(&body)["study"]["title"], "Bibliotheekgebruik per dorp", "{stage}: Fryslân");
            } else {
                assert_refused(&body, "NOT_FOUND", &format!("{stage}: study as dbieb's support organisation"));
            }
        }
    };
    // Private: dbieb, and its partner that ran it (in the partner role).
    check(vec![Who::DbiebEditor, Who::NamedPartner], false, "private").await;

    // Naming Probiblio as a conductor too lets Probiblio see it.
    let version = |body: &Value| body["study"]["version"].as_i64().unwrap();
    let current = must(&app, Who::DbiebEditor, read, json!({ "id": id })).await;
    must(
        &app,
        Who::DbiebEditor,
        UPDATE_STUDY,
        json!({ "input": {
            "id": id, "expectedVersion": version(&current), "conductedByIds": [alignment, probiblio],
        } }),
    )
    .await;
    check(vec![Who::DbiebEditor, Who::NamedPartner, Who::ProbiblioSupport], false, "private, Probiblio named").await;

    // Network: every caller acting for an organisation.
    let current = must(&app, Who::DbiebEditor, read, json!({ "id": id })).await;
    must(
        &app,
        Who::DbiebEditor,
        UPDATE_STUDY,
        json!({ "input": { "id": id, "expectedVersion": version(&current), "visibility": "NETWORK" } }),
    )
    .await;
    let network: Vec<Who> = EVERYONE.into_iter().filter(|w| w.sees("NETWORK")).collect();
    check(network, true, "network").await;

    // Public: everyone.
    let current = must(&app, Who::DbiebEditor, read, json!({ "id": id })).await;
    must(
        &app,
        Who::DbiebEditor,
        UPDATE_STUDY,
        json!({ "input": { "id": id, "expectedVersion": version(&current), "visibility": "PUBLIC" } }),
    )
    .await;
    check(EVERYONE.to_vec(), true, "public").await;
}

/// Runs updateStudy, createJourney, addJourneyStage, createInsight and createImprovementIdea on a
/// demo study for every caller, expecting the outcomes of `cases`.
async fn check_writes_inside(title: &str, cases: &[(Who, Outcome)], journey_maker: Who) {
    let app = spawn_app().await;
    let study = study_id(&app, title).await;
    let watch = Watch::Study(&study);
    let allowed = cases.iter().filter(|(_, o)| *o == ALLOWED).count();

    let bodies = check_cases(
        &app,
        UPDATE_STUDY,
        &watch,
        |who, before| {
            json!({ "input": {
                "id": study, "expectedVersion": before["study"]["version"],
                "summary": format!("Samenvatting ({who:?})"),
            } })
        },
        cases,
    )
    .await;
    assert_eq!(bodies.len(), allowed);
    let last = &bodies.last().unwrap()["data"]["updateStudy"]["study"];
    assert_eq!(last["title"], title);

    let (journey, _) = add_journey(&app, journey_maker, &study, "Klantreis om mee te beginnen").await;
    let bodies = check_cases(
        &app,
        CREATE_JOURNEY,
        &watch,
        |who, _| {
            json!({ "input": {
                "studyId": study, "title": format!("Klantreis ({who:?})"), "targetGroupCode": "SENIORS",
                "standardPropositionCode": "SENIOR_MEETING",
            } })
        },
        cases,
    )
    .await;
    assert_eq!(bodies.len(), allowed);
    let bodies = check_cases(
        &app,
        ADD_STAGE,
        &watch,
        |who, _| json!({ "input": { "journeyId": journey, "stage": { "name": format!("Fase ({who:?})") } } }),
        cases,
    )
    .await;
    assert_eq!(bodies.len(), allowed);
    let bodies = check_cases(
        &app,
        CREATE_INSIGHT,
        &watch,
        |who, _| json!({ "input": { "studyId": study, "statement": format!("Inzicht ({who:?})") } }),
        cases,
    )
    .await;
    assert_eq!(bodies.len(), allowed);
    let bodies = check_cases(
        &app,
        CREATE_IDEA,
        &watch,
        |who, _| json!({ "input": { "studyId": study, "title": format!("Idee ({who:?})"), "priority": "LATER" } }),
        cases,
    )
    .await;
    assert_eq!(bodies.len(), allowed);

    // What the allowed callers added is there, under their names, and nothing else was added.
    let body = snapshot(&app, &watch).await;
    let writers: Vec<Who> = cases.iter().filter(|(_, o)| *o == ALLOWED).map(|(w, _)| *w).collect();
    let mut journeys: Vec<String> = writers.iter().map(|w| format!("Klantreis ({w:?})")).collect();
    journeys.push("Klantreis om mee te beginnen".into());
    let made: Vec<String> = sorted(&body["study"]["journeys"], "title")
        .into_iter()
        .filter(|t| t.starts_with("Klantreis (") || t.as_str() == "Klantreis om mee te beginnen")
        .collect();
    journeys.sort();
    assert_eq!(made, journeys, "{body}");
}

#[tokio::test]
async fn writing_inside_a_public_study_is_for_the_organisations_named_on_it_and_maintainers() {
    check_writes_inside(ZOETERMEER_STUDY, &PUBLIC_STUDY_WRITERS, Who::ZoetermeerEditor).await;
}

#[tokio::test]
async fn writing_inside_a_network_study_is_for_its_editors_and_maintainers_and_not_found_for_the_rest() {
    check_writes_inside(DBIEB_STUDY, &NETWORK_STUDY_WRITERS, Who::DbiebEditor).await;
}

#[tokio::test]
async fn writing_inside_a_private_study_is_for_its_own_organisation_only_and_not_found_for_everyone_else() {
    check_writes_inside(EMMEN_STUDY, &PRIVATE_STUDY_WRITERS, Who::EmmenEditor).await;
}

#[tokio::test]
async fn adopting_an_idea_is_for_the_adopting_librarys_editors_and_maintainers_once_per_library() {
    let app = spawn_app().await;
    let zoetermeer = app.organisation_id("bibliotheek-zoetermeer").await;
    let almere = app.organisation_id("nieuwe-bibliotheek-almere").await;
    let idea = idea_id(&app, PUBLIC_IDEA).await;
    let watch = Watch::Adoptions(&idea);
    let adopt = |library: &str, idea: &str| json!({ "input": { "ideaId": idea, "organisationId": library } });

    // Zoetermeer takes up one of its own ideas: its editor, once.
    check_cases(
        &app,
        ADOPT,
        &watch,
        |_, _| adopt(&zoetermeer, &idea),
        &[
            (Who::Anonymous, UNAUTHENTICATED),
            (Who::PartnerWithoutOrganisation, FORBIDDEN),
            (Who::Partner, FORBIDDEN),
            (Who::NamedPartner, FORBIDDEN),
            (Who::EmmenEditor, FORBIDDEN),
            (Who::DbiebEditor, FORBIDDEN),
            (Who::EmmenSupport, FORBIDDEN),
            (Who::ProbiblioSupport, FORBIDDEN),
            (Who::ZoetermeerEditor, ALLOWED),
            (Who::ZoetermeerEditor, CONFLICT),
            (Who::Maintainer, CONFLICT),
        ],
    )
    .await;
    // A maintainer may record an adoption for any library; Emmen's editor for Emmen.
    check_cases(&app, ADOPT, &watch, |_, _| adopt(&almere, &idea), &[(Who::Maintainer, ALLOWED)]).await;
    let emmen = app.organisation_id("bibliotheek-emmen").await;
    check_cases(&app, ADOPT, &watch, |_, _| adopt(&emmen, &idea), &[(Who::EmmenEditor, ALLOWED)]).await;
    let after = snapshot(&app, &watch).await;
    assert_eq!(after["improvementIdea"]["adoptionCount"], 3, "{after}");
    assert_eq!(
        sorted(
            &after["improvementIdea"]["adoptions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["organisation"].clone())
                .collect(),
            "slug"
        ),
        owned(&["bibliotheek-emmen", "bibliotheek-zoetermeer", "nieuwe-bibliotheek-almere"]),
    );

    // A private idea is not found for whoever may not see it, whatever their role.
    let private_idea = idea_id(&app, EMMEN_IDEAS[0]).await;
    for who in [Who::ZoetermeerEditor, Who::Maintainer] {
        let body = who.ask(&app, ADOPT, adopt(&zoetermeer, &private_idea)).await;
        assert_refused(&body, "NOT_FOUND", &format!("adopting a private idea as {who:?}"));
    }
    // Libraries that already took up their own ideas are told so.
    let body = Who::EmmenEditor.ask(&app, ADOPT, adopt(&emmen, &private_idea)).await;
    assert_refused(&body, "CONFLICT", "Emmen adopting its idea again");
    let network_idea = idea_id(&app, DBIEB_IDEA).await;
    let dbieb = app.organisation_id("dbieb").await;
    let body = Who::DbiebEditor.ask(&app, ADOPT, adopt(&dbieb, &network_idea)).await;
    assert_refused(&body, "CONFLICT", "dbieb adopting its idea again");

    // Zoetermeer takes up dbieb's network idea: the adoption is as hidden as the idea.
    let network_watch = Watch::Adoptions(&network_idea);
    check_cases(
        &app,
        ADOPT,
        &network_watch,
        |_, _| adopt(&zoetermeer, &network_idea),
        &[(Who::DbiebEditor, FORBIDDEN), (Who::ZoetermeerEditor, ALLOWED)],
    )
    .await;
    let doc = r#"{ organisation(slug: "bibliotheek-zoetermeer") { adoptions { idea { title } } } }"#;
    for who in EVERYONE {
        let body = who.ask(&app, doc, json!({})).await;
        let titles: Vec<String> = data(&body)["organisation"]["adoptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["idea"]["title"].as_str().unwrap().to_string())
            .collect();
        assert!(titles.contains(&PUBLIC_IDEA.to_string()), "{who:?}: {body}");
        assert_eq!(titles.contains(&DBIEB_IDEA.to_string()), who.sees("NETWORK"), "{who:?}: {body}");
    }
}

#[tokio::test]
async fn linking_knowledge_to_a_proposition_is_for_its_library_or_the_organisations_named_on_the_study() {
    let app = spawn_app().await;
    let taalhuis = proposition_id(&app, "bibliotheek-zoetermeer", ZOETERMEER_PROPOSITION).await;
    let watch = Watch::Evidence(&taalhuis);
    // Each allowed caller links with a relation of its own, so that no two links are the same.
    let relation = |who: Who| match who {
        Who::ZoetermeerEditor => "EVIDENCE_FOR",
        Who::Maintainer => "IMPROVES",
        _ => "INFORMED_DESIGN_OF",
    };
    let link = |source: Value, who: Who| {
        json!({ "input": {
            "source": source, "target": { "propositionId": taalhuis }, "relation": relation(who),
        } })
    };

    // A public study that names neither Zoetermeer nor Probiblio: the proposition's own library
    // links it (Probiblio, its support organisation, may not), and so may maintainers.
    let lelykracht = study_id(&app, LELYKRACHT_STUDY).await;
    check_cases(
        &app,
        LINK,
        &watch,
        |who, _| link(json!({ "studyId": lelykracht }), who),
        &[
            (Who::Anonymous, UNAUTHENTICATED),
            (Who::PartnerWithoutOrganisation, FORBIDDEN),
            (Who::Partner, FORBIDDEN),
            (Who::NamedPartner, FORBIDDEN),
            (Who::EmmenEditor, FORBIDDEN),
            (Who::DbiebEditor, FORBIDDEN),
            (Who::EmmenSupport, FORBIDDEN),
            (Who::ProbiblioSupport, FORBIDDEN),
            (Who::ZoetermeerEditor, ALLOWED),
            (Who::Maintainer, ALLOWED),
            (Who::ZoetermeerEditor, CONFLICT),
        ],
    )
    .await;

    // dbieb's network study: dbieb (named on it) links it to another library's proposition, the
    // proposition's library links it, as may maintainers; its partner is named but no editor.
    let dbieb_insight = insight_id(
        &app,
        "Lokale wijkinzichten geven medewerkers gerichte aanknopingspunten om met doelgroepen in gesprek te gaan \
         en samen een programmering te ontwikkelen.",
    )
    .await;
    check_cases(
        &app,
        LINK,
        &watch,
        |who, _| link(json!({ "insightId": dbieb_insight }), who),
        &[
            (Who::Anonymous, UNAUTHENTICATED),
            (Who::PartnerWithoutOrganisation, NOT_FOUND),
            (Who::Partner, FORBIDDEN),
            (Who::NamedPartner, FORBIDDEN),
            (Who::EmmenEditor, FORBIDDEN),
            (Who::EmmenSupport, FORBIDDEN),
            (Who::ProbiblioSupport, FORBIDDEN),
            (Who::DbiebEditor, ALLOWED),
            (Who::ZoetermeerEditor, ALLOWED),
            (Who::Maintainer, ALLOWED),
        ],
    )
    .await;

    // Emmen's private study: only Emmen may link it, even to Zoetermeer's proposition; for
    // everyone else, the proposition's own library included, it does not exist.
    let emmen = study_id(&app, EMMEN_STUDY).await;
    let emmen_insight = insight_id(&app, EMMEN_INSIGHT).await;
    for source in [json!({ "studyId": emmen }), json!({ "insightId": emmen_insight })] {
        check_cases(&app, LINK, &watch, |who, _| link(source.clone(), who), &PRIVATE_STUDY_WRITERS).await;
    }

    // Each caller sees the links it may: public ones for all, dbieb's for the network, Emmen's for Emmen.
    let doc = "query($id: ID!) { proposition(id: $id) { evidence {
        links { relation study { title } } studies { title } } } }";
    for who in EVERYONE {
        let body = who.ask(&app, doc, json!({ "id": taalhuis })).await;
        let ev = &data(&body)["proposition"]["evidence"];
        let mut links = 2;
        let mut studies = vec![LELYKRACHT_STUDY];
        if who.sees("NETWORK") {
            links += 3;
            studies.push(DBIEB_STUDY);
        }
        if who.sees("PRIVATE") {
            links += 2;
            studies.push(EMMEN_STUDY);
        }
        assert_eq!(ev["links"].as_array().unwrap().len(), links, "{who:?}: {body}");
        assert_eq!(sorted(&ev["studies"], "title"), owned(&studies), "{who:?}: {body}");
    }
}

#[tokio::test]
async fn anonymous_callers_are_told_to_sign_in_for_every_write_inside_any_study() {
    // Whether or not the study is one they may see, anonymous writers are UNAUTHENTICATED, as they
    // are for createStudy, createJourney and every proposition mutation.
    let app = spawn_app().await;
    let zoetermeer_org = app.organisation_id("bibliotheek-zoetermeer").await;
    let contents = "query($id: ID!) { study(id: $id) { insights { id } ideas { id adoptions { id } }
        links { id } journeys { id stages { id } } } }";
    let mut failures = Vec::new();
    for (title, reader) in
        [(ZOETERMEER_STUDY, Who::Anonymous), (DBIEB_STUDY, Who::DbiebEditor), (EMMEN_STUDY, Who::EmmenEditor)]
    {
        let study = study_id(&app, title).await;
        if reader != Who::Anonymous {
            add_journey(&app, reader, &study, "Klantreis").await;
        }
        let body = must(&app, reader, contents, json!({ "id": study })).await;
        let s = &body["study"];
        let first = |v: &Value| v[0]["id"].as_str().unwrap_or_else(|| panic!("{title}: {body}")).to_string();
        let (journey, stage) = (first(&s["journeys"]), first(&s["journeys"][0]["stages"]));
        let (insight, other_insight) = (first(&s["insights"]), s["insights"][1]["id"].clone());
        let (idea, link) = (first(&s["ideas"]), first(&s["links"]));
        let adoption = s["ideas"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|i| i["adoptions"][0]["id"].as_str())
            .unwrap_or_else(|| panic!("{title}: no adoption in {body}"))
            .to_string();
        let writes: [(&str, &str, Value); 17] = [
            ("updateStudy", "UpdateStudyInput", json!({ "id": study, "expectedVersion": 1, "summary": "x" })),
            (
                "createJourney",
                "CreateJourneyInput",
                json!({
                    "studyId": study, "title": "x", "targetGroupCode": "SENIORS",
                    "standardPropositionCode": "SENIOR_MEETING",
                }),
            ),
            ("updateJourney", "UpdateJourneyInput", json!({ "id": journey, "expectedVersion": 1, "title": "x" })),
            ("addJourneyStage", "AddJourneyStageInput", json!({ "journeyId": journey, "stage": { "name": "x" } })),
            (
                "updateJourneyStage",
                "UpdateJourneyStageInput",
                json!({ "id": stage, "expectedVersion": 1, "stage": { "name": "x" } }),
            ),
            ("removeJourneyStage", "RemoveJourneyStageInput", json!({ "id": stage, "expectedVersion": 1 })),
            (
                "reorderJourneyStages",
                "ReorderJourneyStagesInput",
                json!({ "journeyId": journey, "expectedVersion": 1, "stageIds": [stage] }),
            ),
            ("createInsight", "CreateInsightInput", json!({ "studyId": study, "statement": "x" })),
            ("updateInsight", "UpdateInsightInput", json!({ "id": insight, "expectedVersion": 1, "statement": "x" })),
            (
                "supersedeInsight",
                "SupersedeInsightInput",
                json!({ "id": insight, "expectedVersion": 1, "supersededById": other_insight }),
            ),
            (
                "createImprovementIdea",
                "CreateIdeaInput",
                json!({ "studyId": study, "title": "x", "priority": "LATER" }),
            ),
            ("updateImprovementIdea", "UpdateIdeaInput", json!({ "id": idea, "expectedVersion": 1, "title": "x" })),
            ("adoptImprovementIdea", "AdoptIdeaInput", json!({ "ideaId": idea, "organisationId": zoetermeer_org })),
            (
                "updateAdoption",
                "UpdateAdoptionInput",
                json!({ "id": adoption, "expectedVersion": 1, "status": "DONE" }),
            ),
            (
                "linkKnowledge",
                "LinkKnowledgeInput",
                json!({
                    "source": { "studyId": study }, "target": { "standardPropositionCode": "TAALHUIS" },
                    "relation": "EVIDENCE_FOR",
                }),
            ),
            (
                "updateKnowledgeLink",
                "UpdateKnowledgeLinkInput",
                json!({ "id": link, "expectedVersion": 1, "note": "x" }),
            ),
            ("unlinkKnowledge", "UnlinkKnowledgeInput", json!({ "id": link, "expectedVersion": 1 })),
        ];
        for (mutation, input_type, input) in writes {
            let doc = format!("mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename }} }}");
            let body = app.anon(&doc, json!({ "input": input })).await;
            assert!(body["data"].is_null(), "{mutation} as Anonymous on {title} returned data: {body}");
            let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or("none").to_string();
            if code != "UNAUTHENTICATED" {
                failures.push(format!("{mutation} on {title}: {code}"));
            }
        }
    }
    assert!(failures.is_empty(), "anonymous writes not refused with UNAUTHENTICATED:\n{}", failures.join("\n"));
}
