//! Shared customer knowledge: the questions the API answers, mutations, validation, conflicts and history.
//!
//! Every test starts from the demo network and its knowledge (`seed/demo_knowledge.json`): the
//! Zoetermeer customer journey for seniors (Probiblio), the Flevoland journey on reading aloud
//! (Cubiss, Almere and Lelystad), Lelykracht's needs survey, dbieb's neighbourhood data and the
//! Emmen conversations. Which role sees which study is `knowledge_visibility.rs`'s concern; here
//! the callers are ones that may see what they ask for.

use chrono::NaiveDate;
use registry::identity::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app};

// ---- the demo knowledge ------------------------------------------------------------------------

const ZOETERMEER: &str = "bibliotheek-zoetermeer";
const ONTMOETEN: &str = "Ontmoeten door en voor ouderen";
const STRIPPENKAART_PROPOSITION: &str = "Activiteiten-strippenkaart voor ouderen";
const BOEKSTART_ZOETERMEER: &str = "BoekStart in Zoetermeer";

const ZM_STUDY: &str = "Klantreis: Ontmoeten door en voor ouderen";
const FL_STUDY: &str = "Klantreis: voorleesactiviteiten voor laagtalige ouders en kinderen tot 8 jaar";
const LK_STUDY: &str = "Behoeftenonderzoek Lelykracht onder inwoners van Lelystad";
const DB_STUDY: &str = "Wijkanalyse Midden-Fryslân: doelgroepen per wijk in beeld";
const EM_STUDY: &str = "Klantgesprekken in de Bredebieb Academy Emmen";

const ZM_JOURNEY: &str = "Ontmoeten door en voor ouderen in Bibliotheek Zoetermeer";
const FL_JOURNEY: &str = "Naar een voorleesactiviteit in de bibliotheek met je kind";

const PENSIOEN: &str = "De bibliotheek is een plek om na je pensioen je wereld te verrijken.";
const SOCIAAL: &str = "Er is niet altijd voldoende ruimte voor het sociale aspect van een activiteit.";
const BEHOEFTEN: &str = "Behoeften van ouderen rondom ontmoeten verschillen sterk.";
const WISSELEND: &str =
    "Ouders wisten vaak niet wanneer de voorleesactiviteiten plaatsvonden, doordat de tijden telkens wisselden.";
const AANNAMES: &str = "Aannames over wat ouders nodig hebben, kloppen niet altijd.";
const SAMENWERKEN: &str = "Samenwerken met een andere bibliotheek levert veel op bij het maken van een klantreis.";

const RUIMTE: &str = "Bewust ruimte voor interactie rondom activiteiten";
const CHECKLIST: &str = "'Interactie (voor/tijdens/na activiteit)' op de checklist voor programmeurs";
const PRESENTATIE: &str = "Presentatie van de klantreis-uitkomsten voor alle medewerkers";
const SERIE: &str = "Serie activiteiten rond één thema";
const STRIPPENKAART: &str = "Activiteiten-strippenkaart";
const HUISKAMER: &str = "Een huiskamersfeer als ontspannen omgeving voor een gesprekje";
const VASTE_TIJD: &str = "Vaste dag en tijd voor voorleesactiviteiten";
const FEEDBACK: &str = "Ouders regelmatig om feedback vragen";
const SPEKTAKEL: &str = "Een spektakel over de geschiedenis van Lelystad, gemaakt met inwoners";

/// Every demo study with its `valid_until`, newest research (`period_start`) first.
const DEMO_STUDIES: [(&str, &str); 5] = [
    (DB_STUDY, "2028-09-30"),
    (FL_STUDY, "2028-03-31"),
    (ZM_STUDY, "2027-05-31"),
    (EM_STUDY, "2021-11-30"),
    (LK_STUDY, "2019-06-30"),
];

// ---- selections --------------------------------------------------------------------------------

const STUDY: &str = "study { id title summary version evidenceStrength methods participantCount periodStart periodEnd \
    validUntil isStale visibility quotesAnonymised consentRecorded reportUrl commissionedBy { slug } \
    conductedBy { slug } targetGroups { code } provinces { code } municipalities { code } \
    insights { id statement evidenceStrength } }";
const JOURNEY: &str = "journey { id title description version targetGroup { code } standardProposition { code } \
    propositions { title } study { title } stages { id name position version } }";
const STAGE: &str = "stage { id name description position version emotionScore touchpoints pains gains \
    quotes { text attribution } journey { id } }";
const INSIGHT: &str = "insight { id statement explanation version state evidenceStrength stage { id name } \
    study { id title } supersededBy { id statement } targetGroups { code } standardPropositions { code } \
    quotes { text attribution } }";
const IDEA: &str = "idea { id title description priority version adoptionCount study { id } insights { statement } \
    adoptions { id status organisation { slug } } }";
const ADOPTION: &str = "adoption { id status version startedOn completedOn effectNote organisation { slug } \
    idea { id title } proposition { title } }";
const LINK: &str = "link { id relation note version study { title } insight { statement } proposition { title } \
    standardProposition { code } }";

const EVIDENCE: &str = "evidence {
    studies { id title evidenceStrength methods visibility conductedBy { slug } commissionedBy { slug } }
    insights { id statement evidenceStrength state }
    adoptedIdeas { id status effectNote organisation { slug } idea { title } proposition { title } }
    links { id relation note insight { statement } study { title } proposition { title } standardProposition { code } }
}";

const KNOWLEDGE: &str = "knowledge {
    studies(first: 100) { totalCount nodes { title } }
    insights(first: 100) { totalCount nodes { id statement evidenceStrength state } }
    ideas(first: 100) { totalCount nodes { title adoptionCount adoptions { status organisation { slug } } } }
}";

/// A study with everything in it, for finding ids and versions.
const TREE: &str = "query { studies(first: 5) { nodes { id title version
    journeys { id title version stages { id name position version } }
    insights { id statement version state stage { id } }
    ideas { id title version adoptions { id version status organisation { slug } } }
    links { id version relation insight { statement } proposition { title } standardProposition { code } }
} } }";

// ---- helpers -----------------------------------------------------------------------------------

/// A support editor of Probiblio, which ran the Zoetermeer study.
fn probiblio(app: &TestApp) -> String {
    app.token(Role::SupportEditor, Some("probiblio"))
}

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

/// `base` with the fields of `changes` set.
fn with(base: &Value, changes: Value) -> Value {
    let mut v = base.clone();
    for (k, val) in changes.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

/// The values at `pointer` in each element of a list, as text.
fn strings(list: &Value, pointer: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|e| {
            let v = if pointer.is_empty() { e } else { e.pointer(pointer).unwrap_or(&Value::Null) };
            v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The element of a list whose value at `pointer` is `value`.
fn find<'a>(list: &'a Value, pointer: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|e| e.pointer(pointer).and_then(Value::as_str) == Some(value))
        .unwrap_or_else(|| panic!("no {pointer} = {value} in {list}"))
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

fn input_type(mutation: &str) -> &'static str {
    match mutation {
        "createStudy" => "CreateStudyInput",
        "updateStudy" => "UpdateStudyInput",
        "createJourney" => "CreateJourneyInput",
        "updateJourney" => "UpdateJourneyInput",
        "addJourneyStage" => "AddJourneyStageInput",
        "updateJourneyStage" => "UpdateJourneyStageInput",
        "reorderJourneyStages" => "ReorderJourneyStagesInput",
        "removeJourneyStage" => "RemoveJourneyStageInput",
        "createInsight" => "CreateInsightInput",
        "updateInsight" => "UpdateInsightInput",
        "supersedeInsight" => "SupersedeInsightInput",
        "createImprovementIdea" => "CreateIdeaInput",
        "updateImprovementIdea" => "UpdateIdeaInput",
        "adoptImprovementIdea" => "AdoptIdeaInput",
        "updateAdoption" => "UpdateAdoptionInput",
        "linkKnowledge" => "LinkKnowledgeInput",
        "updateKnowledgeLink" => "UpdateKnowledgeLinkInput",
        "unlinkKnowledge" => "UnlinkKnowledgeInput",
        other => panic!("no input type known for {other}"),
    }
}

/// Runs one mutation with `$input` and returns the whole response.
async fn mutate(app: &TestApp, token: &str, mutation: &str, input: Value, selection: &str) -> Value {
    let doc = format!("mutation($input: {}!) {{ {mutation}(input: $input) {{ {selection} }} }}", input_type(mutation));
    app.graphql(&doc, json!({ "input": input }), Some(token)).await
}

/// Runs one mutation that must succeed and returns its payload.
async fn mutate_ok(app: &TestApp, token: &str, mutation: &str, input: Value, selection: &str) -> Value {
    let body = mutate(app, token, mutation, input, selection).await;
    data(&body)[mutation].clone()
}

/// Runs a query that must succeed and returns its data.
async fn query(app: &TestApp, token: Option<&str>, doc: &str, variables: Value) -> Value {
    let body = app.graphql(doc, variables, token).await;
    data(&body).clone()
}

/// A study as it appears in [`TREE`], by title.
async fn tree(app: &TestApp, token: Option<&str>, title: &str) -> Value {
    let d = query(app, token, TREE, json!({})).await;
    find(&d["studies"]["nodes"], "/title", title).clone()
}

/// The id of a proposition of a library by title, as the caller sees it.
async fn proposition_id(app: &TestApp, token: Option<&str>, slug: &str, title: &str) -> String {
    let d = query(
        app,
        token,
        "query($s: String!) { organisation(slug: $s) { propositions(first: 100) { nodes { id title } } } }",
        json!({ "s": slug }),
    )
    .await;
    id(find(&d["organisation"]["propositions"]["nodes"], "/title", title))
}

/// The evidence behind a proposition.
async fn evidence(app: &TestApp, token: Option<&str>, proposition: &str) -> Value {
    let doc = format!("query($id: ID!) {{ proposition(id: $id) {{ title {EVIDENCE} }} }}");
    query(app, token, &doc, json!({ "id": proposition })).await["proposition"]["evidence"].clone()
}

/// What the network knows about a standard proposition.
async fn standard_knowledge(app: &TestApp, token: Option<&str>, code: &str) -> Value {
    let doc = format!("query($c: String!) {{ standardProposition(code: $c) {{ {KNOWLEDGE} }} }}");
    query(app, token, &doc, json!({ "c": code })).await["standardProposition"]["knowledge"].clone()
}

/// The global id of a target group by code.
async fn group_id(app: &TestApp, code: &str) -> String {
    let d = query(app, None, "query { targetGroups { id code } }", json!({})).await;
    id(find(&d["targetGroups"], "/code", code))
}

/// What the network knows about a target group (and narrower ones).
async fn group_knowledge(app: &TestApp, token: Option<&str>, code: &str) -> Value {
    let group = group_id(app, code).await;
    let doc = format!("query($id: ID!) {{ node(id: $id) {{ ... on TargetGroup {{ code {KNOWLEDGE} }} }} }}");
    let d = query(app, token, &doc, json!({ "id": group })).await;
    assert_eq!(d["node"]["code"], code, "{d}");
    d["node"]["knowledge"].clone()
}

/// The statements of a standard proposition's insights, in the order the knowledge view gives them.
async fn standard_insights(app: &TestApp, token: Option<&str>, code: &str, include_superseded: bool) -> Vec<String> {
    let d = query(
        app,
        token,
        "query($c: String!, $s: Boolean!) { standardProposition(code: $c) { knowledge {
            insights(first: 100, includeSuperseded: $s) { nodes { statement } } } } }",
        json!({ "c": code, "s": include_superseded }),
    )
    .await;
    strings(&d["standardProposition"]["knowledge"]["insights"]["nodes"], "/statement")
}

/// The titles of the studies matching a filter, as the caller sees them.
async fn study_titles(app: &TestApp, token: Option<&str>, filter: Value) -> Vec<String> {
    let d = query(
        app,
        token,
        "query($f: StudyFilterInput) { studies(first: 100, filter: $f) { totalCount nodes { title isStale } } }",
        json!({ "f": filter }),
    )
    .await;
    let titles = strings(&d["studies"]["nodes"], "/title");
    assert_eq!(d["studies"]["totalCount"].as_u64().unwrap() as usize, titles.len(), "{filter}: {d}");
    titles
}

/// A journey with its stages, in order.
async fn journey(app: &TestApp, token: Option<&str>, journey_id: &str) -> Value {
    query(
        app,
        token,
        "query($id: ID!) { node(id: $id) { ... on CustomerJourney { id version stages { id name position version } } } }",
        json!({ "id": journey_id }),
    )
    .await["node"]
        .clone()
}

/// The history of any record, newest first.
async fn history(app: &TestApp, token: Option<&str>, record: &str) -> Vec<Value> {
    let d = query(
        app,
        token,
        "query($id: ID!) { node(id: $id) {
            ... on Study { history { totalCount nodes { action version changes { field before after } } } }
            ... on CustomerJourney { history { totalCount nodes { action version changes { field before after } } } }
            ... on JourneyStage { history { totalCount nodes { action version changes { field before after } } } }
            ... on Insight { history { totalCount nodes { action version changes { field before after } } } }
            ... on ImprovementIdea { history { totalCount nodes { action version changes { field before after } } } }
            ... on Adoption { history { totalCount nodes { action version changes { field before after } } } }
            ... on KnowledgeLink { history { totalCount nodes { action version changes { field before after } } } }
        } }",
        json!({ "id": record }),
    )
    .await;
    let h = &d["node"]["history"];
    assert_eq!(h["totalCount"].as_u64().unwrap() as usize, h["nodes"].as_array().unwrap().len(), "{d}");
    h["nodes"].as_array().unwrap().clone()
}

fn actions(entries: &[Value]) -> Vec<String> {
    entries.iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
}

fn changed_fields(entry: &Value) -> Vec<String> {
    sorted(strings(&entry["changes"], "/field"))
}

/// A valid study of Zoetermeer: a survey among 150 seniors.
fn study_input(zoetermeer_id: &str) -> Value {
    json!({
        "title": "Bibliotheekbezoek van ouderen in Seghwaert",
        "summary": "Een enquête onder ouderen over hun bezoek aan de vestiging Seghwaert.",
        "methods": ["SURVEY"],
        "participantCount": 150,
        "periodStart": "2025-01-06",
        "periodEnd": "2025-06-30",
        "commissionedByIds": [zoetermeer_id],
        "targetGroupCodes": ["SENIORS"],
        "municipalityCodes": ["GM0637"],
        "provinceCodes": ["PV28"],
    })
}

async fn create_study(app: &TestApp, token: &str, input: Value) -> Value {
    mutate_ok(app, token, "createStudy", input, STUDY).await["study"].clone()
}

/// How many studies, journeys and insights Zoetermeer's editor sees on its own organisation.
async fn zoetermeer_counts(app: &TestApp, token: &str) -> (u64, usize, u64) {
    let d = query(
        app,
        Some(token),
        r#"query { organisation(slug: "bibliotheek-zoetermeer") {
            studies { totalCount } journeys { id } insights { totalCount } } }"#,
        json!({}),
    )
    .await;
    let o = &d["organisation"];
    (
        o["studies"]["totalCount"].as_u64().unwrap(),
        o["journeys"].as_array().unwrap().len(),
        o["insights"]["totalCount"].as_u64().unwrap(),
    )
}

// ---- the questions the API answers in one query ------------------------------------------------

#[tokio::test]
async fn evidence_of_a_proposition_shows_its_study_insights_adoptions_and_links() {
    let app = spawn_app().await;
    let ontmoeten = proposition_id(&app, None, ZOETERMEER, ONTMOETEN).await;
    let ev = evidence(&app, None, &ontmoeten).await;

    let studies = ev["studies"].as_array().unwrap();
    assert_eq!(studies.len(), 1, "{ev}");
    let s = &studies[0];
    assert_eq!(s["title"], ZM_STUDY);
    assert_eq!(s["evidenceStrength"], "MODERATE", "three methods, but only 12 participants");
    assert_eq!(s["visibility"], "PUBLIC");
    assert_eq!(sorted(strings(&s["methods"], "")), ["CO_CREATION", "CUSTOMER_JOURNEY", "INTERVIEWS"]);
    assert_eq!(strings(&s["conductedBy"], "/slug"), ["probiblio"]);
    assert_eq!(strings(&s["commissionedBy"], "/slug"), [ZOETERMEER]);

    assert_eq!(sorted(strings(&ev["insights"], "/statement")), sorted(owned(&[PENSIOEN, SOCIAAL, BEHOEFTEN])));
    assert_eq!(strings(&ev["insights"], "/evidenceStrength"), ["MODERATE"; 3]);
    assert_eq!(strings(&ev["insights"], "/state"), ["CURRENT"; 3]);

    let adoptions: Vec<String> = ev["adoptedIdeas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} {} {}", a["organisation"]["slug"].as_str().unwrap(), a["status"], a["idea"]["title"]))
        .collect();
    assert_eq!(
        sorted(adoptions),
        sorted(vec![
            format!("{ZOETERMEER} \"DONE\" \"{CHECKLIST}\""),
            format!("{ZOETERMEER} \"DONE\" \"{PRESENTATIE}\""),
            format!("{ZOETERMEER} \"IN_PROGRESS\" \"{STRIPPENKAART}\""),
        ]),
        "{ev}"
    );
    let checklist = find(&ev["adoptedIdeas"], "/idea/title", CHECKLIST);
    assert_eq!(checklist["proposition"]["title"], ONTMOETEN);
    assert!(checklist["effectNote"].as_str().unwrap().contains("statafels"), "{checklist}");

    let links: Vec<String> =
        ev["links"].as_array().unwrap().iter().map(|l| format!("{} {}", l["relation"], l["insight"])).collect();
    assert_eq!(
        sorted(links),
        sorted(vec![
            "\"INFORMED_DESIGN_OF\" null".to_string(),
            format!("\"EVIDENCE_FOR\" {{\"statement\":\"{PENSIOEN}\"}}"),
            format!("\"EVIDENCE_FOR\" {{\"statement\":\"{SOCIAAL}\"}}"),
            format!("\"EVIDENCE_FOR\" {{\"statement\":\"{BEHOEFTEN}\"}}"),
        ]),
        "{ev}"
    );
    for link in ev["links"].as_array().unwrap() {
        assert_eq!(link["study"]["title"], ZM_STUDY, "{link}");
        assert_eq!(link["proposition"]["title"], ONTMOETEN, "{link}");
        assert_eq!(link["standardProposition"], Value::Null, "{link}");
    }
    let design = find(&ev["links"], "/relation", "INFORMED_DESIGN_OF");
    assert!(design["note"].as_str().unwrap().starts_with("De klantreis leidde tot inloop met koffie"), "{design}");

    // The library's own draft for the punch card: the study is linked as a whole, so all three
    // insights count; the punch-card adoption is recorded on it, the others answer its insights.
    let editor = app.editor(ZOETERMEER);
    let draft = proposition_id(&app, Some(&editor), ZOETERMEER, STRIPPENKAART_PROPOSITION).await;
    let ev = evidence(&app, Some(&editor), &draft).await;
    assert_eq!(strings(&ev["studies"], "/title"), [ZM_STUDY], "{ev}");
    assert_eq!(sorted(strings(&ev["insights"], "/statement")), sorted(owned(&[PENSIOEN, SOCIAAL, BEHOEFTEN])));
    assert_eq!(
        sorted(strings(&ev["adoptedIdeas"], "/idea/title")),
        sorted(owned(&[CHECKLIST, PRESENTATIE, STRIPPENKAART]))
    );
    assert_eq!(
        find(&ev["adoptedIdeas"], "/idea/title", STRIPPENKAART)["proposition"]["title"],
        STRIPPENKAART_PROPOSITION
    );
    assert_eq!(sorted(strings(&ev["links"], "/relation")), ["EVIDENCE_FOR", "INFORMED_DESIGN_OF"]);

    // Many propositions in one query: each gets its own evidence, the same as asked one by one.
    let doc = format!(
        "query {{ organisation(slug: \"{ZOETERMEER}\") {{ propositions(first: 100) {{ nodes {{ id title {EVIDENCE} }} }} }} }}"
    );
    let all = query(&app, Some(&editor), &doc, json!({})).await;
    let nodes = all["organisation"]["propositions"]["nodes"].as_array().unwrap().clone();
    assert!(nodes.len() >= 8, "{all}");
    for p in &nodes {
        let alone = evidence(&app, Some(&editor), &id(p)).await;
        assert_eq!(p["evidence"], alone, "{}", p["title"]);
    }
    let with_evidence: Vec<&str> = nodes
        .iter()
        .filter(|p| !p["evidence"]["links"].as_array().unwrap().is_empty())
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(sorted(owned(&with_evidence)), sorted(owned(&[ONTMOETEN, STRIPPENKAART_PROPOSITION])));

    // A proposition nothing is linked to has empty evidence.
    let boekstart = proposition_id(&app, None, ZOETERMEER, BOEKSTART_ZOETERMEER).await;
    let ev = evidence(&app, None, &boekstart).await;
    assert_eq!(ev, json!({ "studies": [], "insights": [], "adoptedIdeas": [], "links": [] }));
}

#[tokio::test]
async fn knowledge_of_a_standard_proposition_lists_studies_insights_and_ideas_with_adoptions() {
    let app = spawn_app().await;

    let k = standard_knowledge(&app, None, "SENIOR_MEETING").await;
    assert_eq!(strings(&k["studies"]["nodes"], "/title"), [ZM_STUDY], "{k}");
    assert_eq!(k["studies"]["totalCount"], 1);
    // All three are MODERATE: then the newest first.
    assert_eq!(strings(&k["insights"]["nodes"], "/statement"), [BEHOEFTEN, SOCIAAL, PENSIOEN], "{k}");
    assert_eq!(k["insights"]["totalCount"], 3);
    let ideas: Vec<String> = k["ideas"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("{} {}", i["title"].as_str().unwrap(), i["adoptionCount"]))
        .collect();
    assert_eq!(
        ideas,
        [
            format!("{RUIMTE} 0"),
            format!("{CHECKLIST} 1"),
            format!("{PRESENTATIE} 1"),
            format!("{SERIE} 0"),
            format!("{STRIPPENKAART} 1"),
            format!("{HUISKAMER} 0"),
        ],
        "ideas in the order they were recorded: {k}"
    );
    assert_eq!(k["ideas"]["totalCount"], 6);
    let punch_card = find(&k["ideas"]["nodes"], "/title", STRIPPENKAART);
    assert_eq!(punch_card["adoptions"], json!([{ "status": "IN_PROGRESS", "organisation": { "slug": ZOETERMEER } }]));

    // Reading aloud: the Flevoland study, its two insights about VOORLEESMOMENT (the third is about
    // working together), and the ideas answering them with their adopters.
    let k = standard_knowledge(&app, None, "VOORLEESMOMENT").await;
    assert_eq!(strings(&k["studies"]["nodes"], "/title"), [FL_STUDY], "{k}");
    assert_eq!(strings(&k["insights"]["nodes"], "/statement"), [AANNAMES, WISSELEND], "{k}");
    assert_eq!(strings(&k["ideas"]["nodes"], "/title"), [VASTE_TIJD, FEEDBACK], "{k}");
    let fixed = find(&k["ideas"]["nodes"], "/title", VASTE_TIJD);
    assert_eq!(fixed["adoptionCount"], 2);
    assert_eq!(
        sorted(strings(&fixed["adoptions"], "/organisation/slug")),
        ["bibliotheek-lelystad", "nieuwe-bibliotheek-almere"]
    );
    assert_eq!(find(&k["ideas"]["nodes"], "/title", FEEDBACK)["adoptionCount"], 1);

    // Nothing is known about BoekStart yet.
    let k = standard_knowledge(&app, None, "BOEKSTART").await;
    assert_eq!(k["studies"]["totalCount"], 0, "{k}");
    assert_eq!(k["insights"]["totalCount"], 0, "{k}");
    assert_eq!(k["ideas"]["totalCount"], 0, "{k}");
}

#[tokio::test]
async fn knowledge_of_a_target_group_includes_narrower_groups() {
    let app = spawn_app().await;

    let k = group_knowledge(&app, None, "SENIORS").await;
    assert_eq!(strings(&k["studies"]["nodes"], "/title"), [ZM_STUDY], "{k}");
    assert_eq!(strings(&k["insights"]["nodes"], "/statement"), [BEHOEFTEN, SOCIAAL, PENSIOEN], "{k}");
    assert_eq!(k["ideas"]["totalCount"], 6, "{k}");
    let adopted: u64 =
        k["ideas"]["nodes"].as_array().unwrap().iter().map(|i| i["adoptionCount"].as_u64().unwrap()).sum();
    assert_eq!(adopted, 3, "the checklist, the presentation and the punch card: {k}");

    // YOUTH itself is on no study, but the Flevoland study is about YOUTH_0_4 and YOUTH_4_12.
    for code in ["YOUTH", "YOUTH_0_4", "YOUTH_4_12", "PARENTS"] {
        let k = group_knowledge(&app, None, code).await;
        assert_eq!(strings(&k["studies"]["nodes"], "/title"), [FL_STUDY], "{code}: {k}");
    }
    // ADULTS takes in SENIORS (Zoetermeer) and LOW_LITERATE_ADULTS (Flevoland), newest first.
    let k = group_knowledge(&app, None, "ADULTS").await;
    assert_eq!(strings(&k["studies"]["nodes"], "/title"), [FL_STUDY, ZM_STUDY], "{k}");
    // A narrower group does not take in its parent.
    let k = group_knowledge(&app, None, "SENIORS_LESS_SELF_RELIANT").await;
    assert_eq!(k["studies"]["totalCount"], 0, "{k}");

    // The client's filter applies on top of the group.
    let by_province = "query($id: ID!) { node(id: $id) { ... on TargetGroup { knowledge {
        inZuidHolland: studies(filter: { provinces: [\"PV28\"] }) { nodes { title } }
        inFlevoland: studies(filter: { provinces: [\"PV24\"] }) { nodes { title } } } } } }";
    let adults = query(&app, None, by_province, json!({ "id": group_id(&app, "ADULTS").await })).await;
    let adults = &adults["node"]["knowledge"];
    assert_eq!(strings(&adults["inZuidHolland"]["nodes"], "/title"), [ZM_STUDY], "{adults}");
    assert_eq!(strings(&adults["inFlevoland"]["nodes"], "/title"), [FL_STUDY], "{adults}");
    let seniors = query(&app, None, by_province, json!({ "id": group_id(&app, "SENIORS").await })).await;
    let seniors = &seniors["node"]["knowledge"];
    assert_eq!(seniors["inFlevoland"]["nodes"], json!([]), "{seniors}");
}

#[tokio::test]
async fn insights_rank_strongest_first_then_newest_and_superseded_ones_drop_out() {
    let app = spawn_app().await;
    let support = probiblio(&app);
    let probiblio_id = app.organisation_id("probiblio").await;
    let zm = tree(&app, None, ZM_STUDY).await;

    let base = json!({
        "summary": "Aanvullend onderzoek naar ontmoeting.",
        "periodStart": "2025-02-03",
        "periodEnd": "2025-03-28",
        "conductedByIds": [probiblio_id],
        "targetGroupCodes": ["SENIORS"],
        "visibility": "PUBLIC",
    });
    let strong = create_study(
        &app,
        &support,
        with(
            &base,
            json!({ "title": "Enquête ontmoeten in Zuid-Holland", "methods": ["SURVEY"], "participantCount": 412 }),
        ),
    )
    .await;
    assert_eq!(strong["evidenceStrength"], "STRONG", "{strong}");
    let limited = create_study(
        &app,
        &support,
        with(
            &base,
            json!({ "title": "Literatuurscan eenzaamheid", "methods": ["DESK_RESEARCH"], "periodStart": "2024-05-01",
                    "periodEnd": "2024-06-01" }),
        ),
    )
    .await;
    assert_eq!(limited["evidenceStrength"], "LIMITED", "{limited}");

    let insight = |study: &Value, statement: &str| {
        json!({ "studyId": id(study), "statement": statement, "targetGroupCodes": ["SENIORS"],
                "standardPropositionCodes": ["SENIOR_MEETING"] })
    };
    const S: &str = "Vier op de tien ouderen zoeken in de bibliotheek vooral gezelschap.";
    const L: &str = "Eenzaamheid onder ouderen neemt toe na het wegvallen van werk.";
    const M: &str = "Een vaste koffietafel maakt het makkelijker om aan te schuiven.";
    let s = mutate_ok(&app, &support, "createInsight", insight(&strong, S), INSIGHT).await["insight"].clone();
    assert_eq!(s["evidenceStrength"], "STRONG", "the insight takes the study's strength: {s}");
    let l = mutate_ok(&app, &support, "createInsight", insight(&limited, L), INSIGHT).await["insight"].clone();
    assert_eq!(l["evidenceStrength"], "LIMITED", "{l}");
    let m = mutate_ok(&app, &support, "createInsight", insight(&zm, M), INSIGHT).await["insight"].clone();
    assert_eq!(m["evidenceStrength"], "MODERATE", "{m}");

    let expected = [S, M, BEHOEFTEN, SOCIAAL, PENSIOEN, L];
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", false).await, expected);
    let k = group_knowledge(&app, None, "SENIORS").await;
    assert_eq!(strings(&k["insights"]["nodes"], "/statement"), expected, "{k}");
    assert_eq!(
        strings(&k["insights"]["nodes"], "/evidenceStrength"),
        ["STRONG", "MODERATE", "MODERATE", "MODERATE", "MODERATE", "LIMITED"]
    );
    let all = query(
        &app,
        None,
        r#"query { insights(first: 100, filter: { standardPropositions: ["SENIOR_MEETING"] }) { nodes { statement } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(strings(&all["insights"]["nodes"], "/statement"), expected);
    // The newest research comes first among the studies.
    let k = standard_knowledge(&app, None, "SENIOR_MEETING").await;
    assert_eq!(
        strings(&k["studies"]["nodes"], "/title"),
        ["Enquête ontmoeten in Zuid-Holland", "Literatuurscan eenzaamheid", ZM_STUDY]
    );

    // Paging keeps the order across the strength boundaries.
    let page = "query($after: String) { standardProposition(code: \"SENIOR_MEETING\") { knowledge {
        insights(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { statement } } } } }";
    let mut after = Value::Null;
    let mut seen = Vec::new();
    for round in 0..3 {
        let d = query(&app, None, page, json!({ "after": after })).await;
        let conn = &d["standardProposition"]["knowledge"]["insights"];
        seen.extend(strings(&conn["nodes"], "/statement"));
        assert_eq!(conn["pageInfo"]["hasNextPage"], round < 2, "{d}");
        after = conn["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, expected);

    // Superseding the pension insight by the newer one takes it out of the current knowledge.
    let pensioen = find(&zm["insights"], "/statement", PENSIOEN);
    let superseded = mutate_ok(
        &app,
        &support,
        "supersedeInsight",
        json!({ "id": id(pensioen), "expectedVersion": pensioen["version"], "supersededById": id(&m) }),
        INSIGHT,
    )
    .await["insight"]
        .clone();
    assert_eq!(superseded["state"], "SUPERSEDED", "{superseded}");
    assert_eq!(superseded["supersededBy"]["statement"], M);
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", false).await, [S, M, BEHOEFTEN, SOCIAAL, L]);
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", true).await, expected);
    let k = group_knowledge(&app, None, "SENIORS").await;
    assert_eq!(k["insights"]["totalCount"], 5, "{k}");
    let d = query(
        &app,
        None,
        r#"query { insights(first: 100, filter: { states: [SUPERSEDED] }) { nodes { statement state supersededBy { statement } } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        d["insights"]["nodes"],
        json!([{ "statement": PENSIOEN, "state": "SUPERSEDED", "supersededBy": { "statement": M } }])
    );
}

#[tokio::test]
async fn studies_are_found_by_target_group_province_method_organisation_and_freshness() {
    let app = spawn_app().await;

    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        ("parents in Flevoland", json!({ "targetGroups": ["PARENTS"], "provinces": ["PV24"] }), vec![FL_STUDY]),
        ("parents in Zuid-Holland", json!({ "targetGroups": ["PARENTS"], "provinces": ["PV28"] }), vec![]),
        ("province by name", json!({ "provinces": ["Flevoland"] }), vec![FL_STUDY, LK_STUDY]),
        ("a parent group", json!({ "targetGroups": ["YOUTH"] }), vec![FL_STUDY]),
        ("seniors", json!({ "targetGroups": ["SENIORS"] }), vec![ZM_STUDY]),
        ("a survey", json!({ "methods": ["SURVEY"] }), vec![LK_STUDY]),
        ("desk research or a survey", json!({ "methods": ["DESK_RESEARCH", "SURVEY"] }), vec![FL_STUDY, LK_STUDY]),
        ("co-creation", json!({ "methods": ["CO_CREATION"] }), vec![ZM_STUDY]),
        ("run by Cubiss", json!({ "conductedBy": ["cubiss"] }), vec![FL_STUDY]),
        ("run by Probiblio", json!({ "conductedBy": ["probiblio"] }), vec![ZM_STUDY]),
        ("run by Zoetermeer itself", json!({ "conductedBy": [ZOETERMEER] }), vec![]),
        ("done for Lelystad", json!({ "commissionedBy": ["bibliotheek-lelystad"] }), vec![FL_STUDY, LK_STUDY]),
        ("in Zoetermeer", json!({ "municipalities": ["GM0637"] }), vec![ZM_STUDY]),
        ("about reading aloud", json!({ "standardPropositions": ["VOORLEESMOMENT"] }), vec![FL_STUDY]),
        (
            "everything at once",
            json!({ "targetGroups": ["PARENTS"], "provinces": ["PV24"], "methods": ["INTERVIEWS"],
                    "conductedBy": ["cubiss"], "commissionedBy": ["nieuwe-bibliotheek-almere"] }),
            vec![FL_STUDY],
        ),
        ("run by Cubiss, by Probiblio", json!({ "conductedBy": ["cubiss"], "methods": ["CO_CREATION"] }), vec![]),
    ];
    for (case, filter, expected) in cases {
        assert_eq!(study_titles(&app, None, filter).await, expected, "{case}");
    }

    // Ordered by title on request.
    let d = query(&app, None, "query { studies(orderBy: TITLE) { nodes { title } } }", json!({})).await;
    assert_eq!(strings(&d["studies"]["nodes"], "/title"), [LK_STUDY, ZM_STUDY, FL_STUDY]);

    // Fresh and stale, against `validUntil`; Emmen's editor may see all five demo studies.
    let today = chrono::Utc::now().date_naive();
    let is_stale = |date: &str| NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap() < today;
    let stale: Vec<&str> = DEMO_STUDIES.iter().filter(|(_, d)| is_stale(d)).map(|(t, _)| *t).collect();
    let fresh: Vec<&str> = DEMO_STUDIES.iter().filter(|(_, d)| !is_stale(d)).map(|(t, _)| *t).collect();
    assert!(stale.contains(&LK_STUDY) && stale.contains(&EM_STUDY), "valid until 2019 and 2021");
    let emmen = app.editor("bibliotheek-emmen");
    assert_eq!(study_titles(&app, Some(&emmen), json!({ "freshness": "STALE" })).await, stale);
    assert_eq!(study_titles(&app, Some(&emmen), json!({ "freshness": "FRESH" })).await, fresh);
    assert_eq!(
        study_titles(&app, Some(&emmen), json!({})).await,
        DEMO_STUDIES.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        "newest research first"
    );
    let d =
        query(&app, Some(&emmen), "query { studies(first: 100) { nodes { title isStale validUntil } } }", json!({}))
            .await;
    for (title, valid_until) in DEMO_STUDIES {
        let s = find(&d["studies"]["nodes"], "/title", title);
        assert_eq!(s["validUntil"], valid_until, "{s}");
        assert_eq!(s["isStale"], is_stale(valid_until), "{s}");
    }
    // Stale studies on a target group in a province: Lelykracht asked all residents of Lelystad.
    let expected_lk: Vec<&str> = if is_stale("2019-06-30") { vec![LK_STUDY] } else { vec![] };
    assert_eq!(
        study_titles(
            &app,
            None,
            json!({ "targetGroups": ["ALL_RESIDENTS"], "provinces": ["PV24"], "freshness": "STALE" })
        )
        .await,
        expected_lk
    );

    // A study is found through what is inside it: a municipality lies in a province, a journey
    // follows a group and a service, an insight names a group. And validUntil today is still fresh.
    let editor = app.editor(ZOETERMEER);
    let zm = app.organisation_id(ZOETERMEER).await;
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let bare = with(
        &study_input(&zm),
        json!({ "visibility": "PUBLIC", "targetGroupCodes": [], "provinceCodes": [], "municipalityCodes": [],
                "periodStart": "2026-10-01", "periodEnd": null }),
    );
    let through = create_study(
        &app,
        &editor,
        with(&bare, json!({ "title": "Kinderboekenweek in Lelystad", "municipalityCodes": ["GM0995"], "validUntil": fmt(today) })),
    )
    .await;
    assert_eq!(through["isStale"], false, "valid until today: {through}");
    mutate_ok(
        &app,
        &editor,
        "createJourney",
        json!({ "studyId": id(&through), "title": "Naar de Kinderboekenweek", "targetGroupCode": "YOUTH_4_12",
                "standardPropositionCode": "KINDERBOEKENWEEK" }),
        "journey { id }",
    )
    .await;
    let yesterday = create_study(
        &app,
        &editor,
        with(&bare, json!({ "title": "Gisteren verlopen", "validUntil": fmt(today.pred_opt().unwrap()) })),
    )
    .await;
    assert_eq!(yesterday["isStale"], true, "{yesterday}");
    mutate_ok(
        &app,
        &editor,
        "createInsight",
        json!({ "studyId": id(&yesterday), "statement": "Minder zelfredzame ouderen komen vaker met begeleiding.",
                "targetGroupCodes": ["SENIORS_LESS_SELF_RELIANT"] }),
        "insight { id }",
    )
    .await;
    let k = "Kinderboekenweek in Lelystad";
    assert_eq!(study_titles(&app, None, json!({ "provinces": ["PV24"] })).await, [k, FL_STUDY, LK_STUDY]);
    assert_eq!(study_titles(&app, None, json!({ "provinces": ["PV28"] })).await, [ZM_STUDY]);
    assert_eq!(study_titles(&app, None, json!({ "targetGroups": ["YOUTH"] })).await, [k, FL_STUDY]);
    assert_eq!(study_titles(&app, None, json!({ "standardPropositions": ["KINDERBOEKENWEEK"] })).await, [k]);
    assert_eq!(study_titles(&app, None, json!({ "targetGroups": ["SENIORS"] })).await, ["Gisteren verlopen", ZM_STUDY]);
    let fresh_now = study_titles(&app, None, json!({ "freshness": "FRESH" })).await;
    assert!(
        fresh_now.contains(&k.to_string()) && !fresh_now.contains(&"Gisteren verlopen".to_string()),
        "{fresh_now:?}"
    );
    let stale_now = study_titles(&app, None, json!({ "freshness": "STALE" })).await;
    assert!(
        stale_now.contains(&"Gisteren verlopen".to_string()) && !stale_now.contains(&k.to_string()),
        "{stale_now:?}"
    );

    // Unknown values name the filter field.
    for (filter, field) in [
        (json!({ "conductedBy": ["nope"] }), "filter.conductedBy"),
        (json!({ "commissionedBy": ["nope"] }), "filter.commissionedBy"),
        (json!({ "targetGroups": ["MARTIANS"] }), "filter.targetGroups"),
        (json!({ "provinces": ["Atlantis"] }), "filter.provinces"),
        (json!({ "standardPropositions": ["NOPE"] }), "filter.standardPropositions"),
    ] {
        let body = app
            .anon("query($f: StudyFilterInput) { studies(filter: $f) { totalCount } }", json!({ "f": filter }))
            .await;
        assert_bad_input(&body, field);
    }
}

#[tokio::test]
async fn an_idea_shows_which_libraries_adopted_it_and_with_what_effect() {
    let app = spawn_app().await;
    let fl = tree(&app, None, FL_STUDY).await;
    let idea = find(&fl["ideas"], "/title", VASTE_TIJD);

    let d = query(
        &app,
        None,
        "query($id: ID!) { improvementIdea(id: $id) { title priority adoptionCount study { title }
            insights { statement }
            adoptions { organisation { slug } status startedOn completedOn effectNote proposition { title } } } }",
        json!({ "id": id(idea) }),
    )
    .await;
    let i = &d["improvementIdea"];
    assert_eq!(i["title"], VASTE_TIJD);
    assert_eq!(i["priority"], "DO_NOW");
    assert_eq!(i["study"]["title"], FL_STUDY);
    assert_eq!(strings(&i["insights"], "/statement"), [WISSELEND]);
    assert_eq!(i["adoptionCount"], 2);
    let almere = find(&i["adoptions"], "/organisation/slug", "nieuwe-bibliotheek-almere");
    assert_eq!(almere["status"], "DONE");
    assert_eq!(almere["startedOn"], "2025-05-12");
    assert_eq!(almere["completedOn"], "2025-09-03");
    assert!(almere["effectNote"].as_str().unwrap().contains("elke woensdagmiddag"), "{almere}");
    assert_eq!(almere["proposition"]["title"], "Samen voorlezen: voor ouders en kinderen tot 8 jaar");
    let lelystad = find(&i["adoptions"], "/organisation/slug", "bibliotheek-lelystad");
    assert_eq!(lelystad["status"], "DONE");
    assert!(lelystad["effectNote"].as_str().unwrap().contains("als proef"), "{lelystad}");
    assert_eq!(lelystad["proposition"]["title"], "Voorlezen voor ouders en kinderen tot 8 jaar in Lelystad");

    // The other way round: which ideas did a library adopt?
    let adopted = |slug: &str| {
        let app = &app;
        let slug = slug.to_string();
        async move {
            let d = query(
                app,
                None,
                "query($s: [String!]) { improvementIdeas(first: 100, filter: { adoptedBy: $s }) { totalCount nodes { title } } }",
                json!({ "s": [slug] }),
            )
            .await;
            strings(&d["improvementIdeas"]["nodes"], "/title")
        }
    };
    assert_eq!(adopted("nieuwe-bibliotheek-almere").await, [VASTE_TIJD]);
    assert_eq!(adopted("bibliotheek-lelystad").await, [VASTE_TIJD, FEEDBACK, SPEKTAKEL]);
    assert_eq!(adopted(ZOETERMEER).await, [CHECKLIST, PRESENTATIE, STRIPPENKAART]);
    // Nested filters: ideas answering insights about parents; a study's ideas in one bucket;
    // insights of the studies Cubiss ran.
    let d = query(
        &app,
        None,
        r#"query($zm: ID!) {
            parents: improvementIdeas(filter: { insights: { targetGroups: ["PARENTS"] } }) { nodes { title } }
            later: improvementIdeas(filter: { priorities: [LATER], studyIds: [$zm] }) { nodes { title } }
            cubiss: insights(filter: { study: { conductedBy: ["cubiss"] } }) { nodes { statement } } }"#,
        json!({ "zm": id(&tree(&app, None, ZM_STUDY).await) }),
    )
    .await;
    assert_eq!(strings(&d["parents"]["nodes"], "/title"), [VASTE_TIJD, FEEDBACK], "{d}");
    assert_eq!(strings(&d["later"]["nodes"], "/title"), [SERIE, STRIPPENKAART], "{d}");
    assert_eq!(strings(&d["cubiss"]["nodes"], "/statement"), [SAMENWERKEN, AANNAMES, WISSELEND], "{d}");
    let body =
        app.anon(r#"query { improvementIdeas(filter: { adoptedBy: ["nope"] }) { totalCount } }"#, json!({})).await;
    assert_bad_input(&body, "filter.adoptedBy");
}

#[tokio::test]
async fn an_organisation_shows_the_studies_it_ran_or_commissioned_its_journeys_insights_and_adoptions() {
    let app = spawn_app().await;
    let doc = "query($s: String!) { organisation(slug: $s) {
        conducted: studies(role: CONDUCTED) { totalCount nodes { title } }
        commissioned: studies(role: COMMISSIONED) { totalCount nodes { title } }
        any: studies { totalCount nodes { title } }
        anyRole: studies(role: ANY) { nodes { title } }
        journeys { title study { title } }
        insights(first: 100) { totalCount nodes { statement } }
        adoptions { status idea { title } organisation { slug } } } }";
    let org = |slug: &str| {
        let app = &app;
        let slug = slug.to_string();
        async move { query(app, None, doc, json!({ "s": slug })).await["organisation"].clone() }
    };

    let o = org("probiblio").await;
    assert_eq!(strings(&o["conducted"]["nodes"], "/title"), [ZM_STUDY], "{o}");
    assert_eq!(o["commissioned"]["totalCount"], 0, "{o}");
    assert_eq!(strings(&o["any"]["nodes"], "/title"), [ZM_STUDY]);
    assert_eq!(strings(&o["journeys"], "/title"), [ZM_JOURNEY]);
    assert_eq!(o["insights"]["totalCount"], 3);
    assert_eq!(o["adoptions"], json!([]), "a support organisation adopts nothing");

    let o = org(ZOETERMEER).await;
    assert_eq!(strings(&o["commissioned"]["nodes"], "/title"), [ZM_STUDY], "{o}");
    assert_eq!(o["conducted"]["totalCount"], 0, "{o}");
    assert_eq!(strings(&o["any"]["nodes"], "/title"), [ZM_STUDY]);
    assert_eq!(strings(&o["anyRole"]["nodes"], "/title"), [ZM_STUDY]);
    assert_eq!(strings(&o["journeys"], "/title"), [ZM_JOURNEY]);
    assert_eq!(strings(&o["journeys"], "/study/title"), [ZM_STUDY]);
    assert_eq!(strings(&o["insights"]["nodes"], "/statement"), [BEHOEFTEN, SOCIAAL, PENSIOEN]);
    assert_eq!(
        sorted(strings(&o["adoptions"], "/idea/title")),
        sorted(owned(&[CHECKLIST, PRESENTATIE, STRIPPENKAART]))
    );
    assert_eq!(strings(&o["adoptions"], "/organisation/slug"), [ZOETERMEER; 3]);

    let o = org("bibliotheek-lelystad").await;
    assert_eq!(strings(&o["commissioned"]["nodes"], "/title"), [FL_STUDY, LK_STUDY], "newest first: {o}");
    assert_eq!(strings(&o["conducted"]["nodes"], "/title"), [LK_STUDY], "{o}");
    assert_eq!(strings(&o["any"]["nodes"], "/title"), [FL_STUDY, LK_STUDY]);
    assert_eq!(strings(&o["journeys"], "/title"), [FL_JOURNEY]);
    assert_eq!(o["insights"]["totalCount"], 4, "three of Flevoland, one of Lelykracht: {o}");
    let adoptions: Vec<String> = o["adoptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} {}", a["idea"]["title"].as_str().unwrap(), a["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sorted(adoptions),
        sorted(vec![format!("{VASTE_TIJD} DONE"), format!("{FEEDBACK} IN_PROGRESS"), format!("{SPEKTAKEL} DONE")])
    );

    let o = org("cubiss").await;
    assert_eq!(strings(&o["conducted"]["nodes"], "/title"), [FL_STUDY], "{o}");
    assert_eq!(strings(&o["journeys"], "/title"), [FL_JOURNEY]);
}

#[tokio::test]
async fn node_fetches_every_kind_of_knowledge_record_by_global_id() {
    let app = spawn_app().await;
    let zm = tree(&app, None, ZM_STUDY).await;
    let journey = &zm["journeys"][0];
    let stage = find(&journey["stages"], "/name", "Aanmelden");
    let insight = find(&zm["insights"], "/statement", SOCIAAL);
    let idea = find(&zm["ideas"], "/title", CHECKLIST);
    let adoption = &idea["adoptions"][0];
    let link = find(&zm["links"], "/relation", "INFORMED_DESIGN_OF");

    let doc = "query($id: ID!) { node(id: $id) { __typename id
        ... on Study { title }
        ... on CustomerJourney { title }
        ... on JourneyStage { name position }
        ... on Insight { statement }
        ... on ImprovementIdea { title }
        ... on Adoption { status organisation { slug } }
        ... on KnowledgeLink { relation proposition { title } } } }";
    let cases = [
        (id(&zm), json!({ "__typename": "Study", "title": ZM_STUDY })),
        (id(journey), json!({ "__typename": "CustomerJourney", "title": ZM_JOURNEY })),
        (id(stage), json!({ "__typename": "JourneyStage", "name": "Aanmelden", "position": 2 })),
        (id(insight), json!({ "__typename": "Insight", "statement": SOCIAAL })),
        (id(idea), json!({ "__typename": "ImprovementIdea", "title": CHECKLIST })),
        (id(adoption), json!({ "__typename": "Adoption", "status": "DONE", "organisation": { "slug": ZOETERMEER } })),
        (
            id(link),
            json!({ "__typename": "KnowledgeLink", "relation": "INFORMED_DESIGN_OF", "proposition": { "title": ONTMOETEN } }),
        ),
    ];
    for (global, expected) in cases {
        let d = query(&app, None, doc, json!({ "id": global })).await;
        let mut expected = expected;
        expected["id"] = json!(global);
        assert_eq!(d["node"], expected);
    }

    // The root fields by id agree.
    let d = query(
        &app,
        None,
        "query($s: ID!, $i: ID!, $d: ID!) { study(id: $s) { title } insight(id: $i) { statement }
            improvementIdea(id: $d) { title } }",
        json!({ "s": id(&zm), "i": id(insight), "d": id(idea) }),
    )
    .await;
    assert_eq!(
        d,
        json!({ "study": { "title": ZM_STUDY }, "insight": { "statement": SOCIAAL },
                          "improvementIdea": { "title": CHECKLIST } })
    );

    // Ids that do not exist are NOT_FOUND; an id of the wrong kind is bad input.
    let encode = |s: &str| base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, s);
    for kind in ["Study", "CustomerJourney", "JourneyStage", "Insight", "ImprovementIdea", "Adoption", "KnowledgeLink"]
    {
        let missing = encode(&format!("{kind}:999999"));
        assert_eq!(error_code(&app.anon(doc, json!({ "id": missing })).await), "NOT_FOUND", "{kind}");
    }
    assert_eq!(
        error_code(
            &app.anon("query($id: ID!) { study(id: $id) { title } }", json!({ "id": encode("Study:999999") })).await
        ),
        "NOT_FOUND"
    );
    assert_bad_input(
        &app.anon("query($id: ID!) { study(id: $id) { title } }", json!({ "id": id(insight) })).await,
        "id",
    );
    assert_bad_input(
        &app.anon("query($id: ID!) { insight(id: $id) { statement } }", json!({ "id": "garbage" })).await,
        "id",
    );
}

// ---- writing -----------------------------------------------------------------------------------

#[tokio::test]
async fn create_study_derives_evidence_strength_and_a_default_stale_date() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let zm = app.organisation_id(ZOETERMEER).await;

    let s = create_study(&app, &editor, study_input(&zm)).await;
    assert_eq!(s["evidenceStrength"], "STRONG", "a survey over 150 people: {s}");
    assert_eq!(s["version"], 1);
    assert_eq!(s["title"], "Bibliotheekbezoek van ouderen in Seghwaert");
    assert_eq!(s["validUntil"], "2028-06-30", "three years after periodEnd");
    assert_eq!(s["visibility"], "PRIVATE", "PRIVATE when left out");
    assert_eq!(s["quotesAnonymised"], false);
    assert_eq!(s["consentRecorded"], false);
    assert_eq!(s["methods"], json!(["SURVEY"]));
    assert_eq!(s["participantCount"], 150);
    assert_eq!(strings(&s["commissionedBy"], "/slug"), [ZOETERMEER]);
    assert_eq!(s["conductedBy"], json!([]));
    assert_eq!(strings(&s["targetGroups"], "/code"), ["SENIORS"]);
    assert_eq!(strings(&s["provinces"], "/code"), ["PV28"]);
    assert_eq!(strings(&s["municipalities"], "/code"), ["GM0637"]);
    assert_eq!(s["insights"], json!([]));

    let cases: Vec<(Value, Value, &str)> = vec![
        (json!(["SURVEY"]), json!(150), "STRONG"),
        (json!(["DATA_ANALYSIS"]), json!(100), "STRONG"),
        (json!(["DATA_ANALYSIS"]), json!(99), "LIMITED"),
        (json!(["DESK_RESEARCH"]), Value::Null, "LIMITED"),
        (json!(["DESK_RESEARCH"]), json!(5000), "LIMITED"),
        (json!(["INTERVIEWS"]), json!(8), "MODERATE"),
        (json!(["INTERVIEWS"]), json!(7), "LIMITED"),
        (json!(["SURVEY", "SURVEY"]), json!(5), "LIMITED"),
        (json!(["DESK_RESEARCH", "DATA_ANALYSIS"]), Value::Null, "MODERATE"),
        (json!(["INTERVIEWS", "OBSERVATION", "CO_CREATION"]), json!(20), "STRONG"),
        (json!(["INTERVIEWS", "OBSERVATION", "CO_CREATION"]), json!(19), "MODERATE"),
        (json!(["DESK_RESEARCH", "DATA_ANALYSIS", "INTERVIEWS"]), json!(20), "STRONG"),
    ];
    for (methods, participants, expected) in cases {
        let input = with(&study_input(&zm), json!({ "methods": methods, "participantCount": participants }));
        let s = create_study(&app, &editor, input).await;
        assert_eq!(s["evidenceStrength"], expected, "{methods} with {participants} participants: {s}");
    }

    // Without an end, the stale date counts from the start; a given one is kept.
    let input = with(&study_input(&zm), json!({ "periodStart": "2024-03-15", "periodEnd": null }));
    let s = create_study(&app, &editor, input).await;
    assert_eq!(s["validUntil"], "2027-03-15", "{s}");
    assert_eq!(s["periodEnd"], Value::Null);
    let input = with(
        &study_input(&zm),
        json!({ "periodStart": "2020-01-06", "periodEnd": "2020-03-01", "validUntil": "2021-01-01" }),
    );
    let s = create_study(&app, &editor, input).await;
    assert_eq!(s["validUntil"], "2021-01-01");
    assert_eq!(s["isStale"], true);

    // A support editor records a study it ran for a library it supports.
    let support = probiblio(&app);
    let probiblio_id = app.organisation_id("probiblio").await;
    let input = with(
        &study_input(&zm),
        json!({ "title": "Observatie leesplein", "methods": ["OBSERVATION"], "participantCount": 30,
                "conductedByIds": [probiblio_id], "visibility": "NETWORK", "reportUrl": "https://www.probiblio.nl/rapport.pdf",
                "quotesAnonymised": true, "consentRecorded": true }),
    );
    let s = create_study(&app, &support, input).await;
    assert_eq!(s["evidenceStrength"], "MODERATE", "{s}");
    assert_eq!(strings(&s["conductedBy"], "/slug"), ["probiblio"]);
    assert_eq!(strings(&s["commissionedBy"], "/slug"), [ZOETERMEER]);
    assert_eq!(s["visibility"], "NETWORK");
    assert_eq!(s["reportUrl"], "https://www.probiblio.nl/rapport.pdf");
    assert_eq!(s["quotesAnonymised"], true);
    assert_eq!(s["consentRecorded"], true);
    let d = query(
        &app,
        Some(&support),
        r#"query { organisation(slug: "probiblio") { studies(role: CONDUCTED) { nodes { title } } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(strings(&d["organisation"]["studies"]["nodes"], "/title"), ["Observatie leesplein", ZM_STUDY]);
    let h = history(&app, Some(&support), &id(&s)).await;
    assert_eq!(actions(&h), ["CREATE"]);
    assert!(changed_fields(&h[0]).contains(&"title".to_string()), "{h:?}");
}

#[tokio::test]
async fn update_study_recomputes_the_evidence_strength_of_its_insights() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let zm = app.organisation_id(ZOETERMEER).await;
    let input =
        with(&study_input(&zm), json!({ "methods": ["INTERVIEWS"], "participantCount": 5, "visibility": "PUBLIC" }));
    let study = create_study(&app, &editor, input).await;
    assert_eq!(study["evidenceStrength"], "LIMITED");
    const NEW: &str = "Ouderen in Seghwaert komen vooral 's ochtends.";
    let insight = mutate_ok(
        &app,
        &editor,
        "createInsight",
        json!({ "studyId": id(&study), "statement": NEW, "standardPropositionCodes": ["SENIOR_MEETING"] }),
        INSIGHT,
    )
    .await["insight"]
        .clone();
    assert_eq!(insight["evidenceStrength"], "LIMITED");
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", false).await, [BEHOEFTEN, SOCIAAL, PENSIOEN, NEW]);

    let read_insight = |id: String| {
        let app = &app;
        async move {
            query(app, None, "query($id: ID!) { insight(id: $id) { evidenceStrength version } }", json!({ "id": id }))
                .await["insight"]
                .clone()
        }
    };

    // A survey over 200 people: STRONG, for the study and its insight, which now ranks first.
    let s = mutate_ok(
        &app,
        &editor,
        "updateStudy",
        json!({ "id": id(&study), "expectedVersion": 1, "methods": ["SURVEY", "INTERVIEWS"], "participantCount": 200 }),
        STUDY,
    )
    .await["study"]
        .clone();
    assert_eq!(s["evidenceStrength"], "STRONG", "{s}");
    assert_eq!(s["version"], 2);
    assert_eq!(sorted(strings(&s["methods"], "")), ["INTERVIEWS", "SURVEY"]);
    assert_eq!(s["insights"][0]["evidenceStrength"], "STRONG", "{s}");
    assert_eq!(read_insight(id(&insight)).await["evidenceStrength"], "STRONG");
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", false).await, [NEW, BEHOEFTEN, SOCIAAL, PENSIOEN]);

    // Without a participant count two methods are still MODERATE; the newest of the MODERATE ones.
    let s = mutate_ok(
        &app,
        &editor,
        "updateStudy",
        json!({ "id": id(&study), "expectedVersion": 2, "participantCount": null }),
        STUDY,
    )
    .await["study"]
        .clone();
    assert_eq!(s["participantCount"], Value::Null, "{s}");
    assert_eq!(s["evidenceStrength"], "MODERATE", "{s}");
    assert_eq!(read_insight(id(&insight)).await["evidenceStrength"], "MODERATE");
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", false).await, [NEW, BEHOEFTEN, SOCIAAL, PENSIOEN]);

    // Desk research alone: LIMITED again, last in line.
    let s = mutate_ok(
        &app,
        &editor,
        "updateStudy",
        json!({ "id": id(&study), "expectedVersion": 3, "methods": ["DESK_RESEARCH"] }),
        STUDY,
    )
    .await["study"]
        .clone();
    assert_eq!(s["evidenceStrength"], "LIMITED", "{s}");
    assert_eq!(read_insight(id(&insight)).await["evidenceStrength"], "LIMITED");
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", false).await, [BEHOEFTEN, SOCIAAL, PENSIOEN, NEW]);

    // A stale version is a conflict and changes nothing.
    let body = mutate(
        &app,
        &editor,
        "updateStudy",
        json!({ "id": id(&study), "expectedVersion": 3, "methods": ["SURVEY"], "participantCount": 500 }),
        STUDY,
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(read_insight(id(&insight)).await["evidenceStrength"], "LIMITED");

    // Untouched fields stay; a null stale date goes back to the default.
    let s = mutate_ok(
        &app,
        &editor,
        "updateStudy",
        json!({ "id": id(&study), "expectedVersion": 4, "title": "Ochtendbezoek in Seghwaert", "validUntil": "2030-01-01" }),
        STUDY,
    )
    .await["study"]
        .clone();
    assert_eq!(s["title"], "Ochtendbezoek in Seghwaert");
    assert_eq!(s["validUntil"], "2030-01-01");
    assert_eq!(s["summary"], "Een enquête onder ouderen over hun bezoek aan de vestiging Seghwaert.");
    assert_eq!(s["evidenceStrength"], "LIMITED");
    let s = mutate_ok(
        &app,
        &editor,
        "updateStudy",
        json!({ "id": id(&study), "expectedVersion": 5, "validUntil": null }),
        STUDY,
    )
    .await["study"]
        .clone();
    assert_eq!(s["validUntil"], "2028-06-30", "{s}");
    assert_eq!(s["version"], 6);
}

#[tokio::test]
async fn a_journey_gets_stages_at_the_end_and_at_a_position_and_is_reordered() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let zm = app.organisation_id(ZOETERMEER).await;
    let study = create_study(&app, &editor, study_input(&zm)).await;
    let ontmoeten = proposition_id(&app, None, ZOETERMEER, ONTMOETEN).await;

    let j = mutate_ok(
        &app,
        &editor,
        "createJourney",
        json!({ "studyId": id(&study), "title": "Van de agenda naar de koffietafel",
                "description": "Een oudere zoekt een activiteit en blijft na afloop hangen.",
                "targetGroupCode": "SENIORS", "standardPropositionCode": "SENIOR_MEETING", "propositionIds": [ontmoeten] }),
        JOURNEY,
    )
    .await["journey"]
        .clone();
    assert_eq!(j["version"], 1, "{j}");
    assert_eq!(j["stages"], json!([]));
    assert_eq!(j["targetGroup"]["code"], "SENIORS");
    assert_eq!(j["standardProposition"]["code"], "SENIOR_MEETING");
    assert_eq!(strings(&j["propositions"], "/title"), [ONTMOETEN]);
    assert_eq!(j["study"]["title"], "Bibliotheekbezoek van ouderen in Seghwaert");
    let jid = id(&j);

    let add = |name: &str, position: Option<i64>| {
        let (app, editor, jid) = (&app, &editor, &jid);
        let mut input = json!({ "journeyId": jid, "stage": { "name": name } });
        if let Some(p) = position {
            input["position"] = json!(p);
        }
        async move { mutate(app, editor, "addJourneyStage", input, STAGE).await }
    };
    let names = |j: &Value| strings(&j["stages"], "/name");
    let positions = |j: &Value| strings(&j["stages"], "/position");

    let body = add("Na afloop", None).await;
    assert_eq!(data(&body)["addJourneyStage"]["stage"]["position"], 1, "{body}");
    let body = add("Oriëntatie", Some(1)).await;
    assert_eq!(data(&body)["addJourneyStage"]["stage"]["position"], 1, "{body}");
    let body = add("Tijdens de activiteit", None).await;
    assert_eq!(data(&body)["addJourneyStage"]["stage"]["position"], 3, "at the end: {body}");
    let body = add("Aanmelden", Some(2)).await;
    let aanmelden = data(&body)["addJourneyStage"]["stage"].clone();
    assert_eq!(aanmelden["position"], 2, "{body}");
    assert_eq!(aanmelden["version"], 1);
    assert_eq!(aanmelden["journey"]["id"], jid);

    let current = journey(&app, Some(&editor), &jid).await;
    assert_eq!(names(&current), ["Oriëntatie", "Aanmelden", "Na afloop", "Tijdens de activiteit"]);
    assert_eq!(positions(&current), ["1", "2", "3", "4"]);
    assert_eq!(current["version"], 1, "adding stages leaves the journey's version");

    // Positions outside 1..=5 are refused; nothing moves.
    for position in [0, 6, -1] {
        assert_bad_input(&add("Ergens", Some(position)).await, "position");
    }
    assert_eq!(journey(&app, Some(&editor), &jid).await, current);

    // Reordering needs the journey's version and every stage once.
    let ids: Vec<String> = strings(&current["stages"], "/id");
    let reorder = |stage_ids: Vec<String>, version: i64| {
        let (app, editor, jid) = (&app, &editor, &jid);
        async move {
            mutate(
                app,
                editor,
                "reorderJourneyStages",
                json!({ "journeyId": jid, "expectedVersion": version, "stageIds": stage_ids }),
                JOURNEY,
            )
            .await
        }
    };
    let new_order = vec![ids[0].clone(), ids[1].clone(), ids[3].clone(), ids[2].clone()];
    let body = reorder(new_order.clone(), 1).await;
    let j = &data(&body)["reorderJourneyStages"]["journey"];
    assert_eq!(names(j), ["Oriëntatie", "Aanmelden", "Tijdens de activiteit", "Na afloop"], "{body}");
    assert_eq!(positions(j), ["1", "2", "3", "4"]);
    assert_eq!(j["version"], 2);
    let reordered = journey(&app, Some(&editor), &jid).await;
    assert_eq!(&reordered["stages"], &j["stages"]);

    assert_eq!(error_code(&reorder(new_order.clone(), 1).await), "CONFLICT", "a stale journey version");
    let zm_stage = id(&tree(&app, None, ZM_STUDY).await["journeys"][0]["stages"][0]);
    let not_permutations = [
        vec![ids[0].clone(), ids[1].clone(), ids[3].clone()],
        vec![ids[0].clone(), ids[1].clone(), ids[3].clone(), ids[3].clone()],
        vec![ids[0].clone(), ids[1].clone(), ids[3].clone(), ids[2].clone(), ids[2].clone()],
        vec![ids[0].clone(), ids[1].clone(), ids[3].clone(), zm_stage.clone()],
        vec![ids[0].clone(), ids[1].clone(), ids[3].clone(), ids[2].clone(), zm_stage],
        vec![],
    ];
    for stage_ids in not_permutations {
        let body = reorder(stage_ids.clone(), 2).await;
        assert_bad_input(&body, "stageIds");
    }
    assert_eq!(journey(&app, Some(&editor), &jid).await, reordered, "refused reorders change nothing");

    // Updating a stage's contents keeps its place; absent fields stay, null clears the emotion.
    let tijdens = find(&reordered["stages"], "/name", "Tijdens de activiteit").clone();
    let update = |input: Value| {
        let (app, editor) = (&app, &editor);
        async move { mutate(app, editor, "updateJourneyStage", input, STAGE).await }
    };
    let body = update(json!({ "id": id(&tijdens), "expectedVersion": tijdens["version"], "stage": {
        "description": "Een lezing of workshop in de zaal.", "emotionScore": -2,
        "touchpoints": ["Spreker", "Opstelling van de zaal"], "pains": ["Weinig interactie"], "gains": ["Iets nieuws leren"],
        "quotes": [{ "text": "Je zit naast iemand, maar je praat niet.", "attribution": "een deelnemer" }] } }))
    .await;
    let st = data(&body)["updateJourneyStage"]["stage"].clone();
    assert_eq!(st["name"], "Tijdens de activiteit", "{st}");
    assert_eq!(st["position"], 3);
    assert_eq!(st["version"], tijdens["version"].as_i64().unwrap() + 1);
    assert_eq!(st["emotionScore"], -2);
    assert_eq!(st["touchpoints"], json!(["Spreker", "Opstelling van de zaal"]));
    assert_eq!(st["pains"], json!(["Weinig interactie"]));
    assert_eq!(st["gains"], json!(["Iets nieuws leren"]));
    assert_eq!(
        st["quotes"],
        json!([{ "text": "Je zit naast iemand, maar je praat niet.", "attribution": "een deelnemer" }])
    );
    let body = update(json!({ "id": id(&tijdens), "expectedVersion": st["version"], "stage": { "name": "Tijdens", "emotionScore": null } }))
        .await;
    let st2 = data(&body)["updateJourneyStage"]["stage"].clone();
    assert_eq!(st2["name"], "Tijdens");
    assert_eq!(st2["emotionScore"], Value::Null);
    assert_eq!(st2["pains"], json!(["Weinig interactie"]), "absent fields stay");
    assert_eq!(st2["description"], "Een lezing of workshop in de zaal.");
    // A stale version is a conflict.
    let body =
        update(json!({ "id": id(&tijdens), "expectedVersion": st["version"], "stage": { "name": "Overschreven" } }))
            .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    // The stage that moved most has its moves in its history.
    let na_afloop = find(&reordered["stages"], "/name", "Na afloop");
    let h = history(&app, Some(&editor), &id(na_afloop)).await;
    assert_eq!(actions(&h), ["REORDER", "REORDER", "REORDER", "CREATE"], "{h:?}");
    assert_eq!(h[0]["changes"], json!([{ "field": "position", "before": 3, "after": 4 }]));
    assert_eq!(h[1]["changes"], json!([{ "field": "position", "before": 2, "after": 3 }]));
    let h = history(&app, Some(&editor), &jid).await;
    assert_eq!(actions(&h), ["REORDER", "CREATE"], "{h:?}");
}

#[tokio::test]
async fn removing_a_stage_moves_later_stages_up_and_keeps_its_insights() {
    let app = spawn_app().await;
    let support = probiblio(&app);
    let zm = tree(&app, None, ZM_STUDY).await;
    let j = &zm["journeys"][0];
    assert_eq!(
        strings(&j["stages"], "/name"),
        ["Oriëntatie", "Aanmelden", "Voor de activiteit", "Tijdens de activiteit", "Na afloop"]
    );
    let voor = find(&j["stages"], "/name", "Voor de activiteit");
    let sociaal = find(&zm["insights"], "/statement", SOCIAAL);
    assert_eq!(sociaal["stage"]["id"], voor["id"], "the demo insight is drawn from this stage");

    let body = mutate(
        &app,
        &support,
        "removeJourneyStage",
        json!({ "id": id(voor), "expectedVersion": voor["version"] }),
        JOURNEY,
    )
    .await;
    let after = &data(&body)["removeJourneyStage"]["journey"];
    assert_eq!(
        strings(&after["stages"], "/name"),
        ["Oriëntatie", "Aanmelden", "Tijdens de activiteit", "Na afloop"],
        "{body}"
    );
    assert_eq!(strings(&after["stages"], "/position"), ["1", "2", "3", "4"]);

    // The insight stays with the study, no longer tied to a stage.
    let d = query(
        &app,
        None,
        "query($id: ID!) { insight(id: $id) { statement state stage { id } study { title } version } }",
        json!({ "id": id(sociaal) }),
    )
    .await;
    assert_eq!(d["insight"]["stage"], Value::Null, "{d}");
    assert_eq!(d["insight"]["state"], "CURRENT");
    assert_eq!(d["insight"]["study"]["title"], ZM_STUDY);
    assert_eq!(standard_insights(&app, None, "SENIOR_MEETING", false).await, [BEHOEFTEN, SOCIAAL, PENSIOEN]);
    let h = history(&app, None, &id(sociaal)).await;
    assert_eq!(actions(&h), ["UPDATE", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["stageId"]);

    // The stage is gone; removing it again finds nothing.
    let gone = app.anon("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id(voor) })).await;
    assert_eq!(error_code(&gone), "NOT_FOUND", "{gone}");
    let again = mutate(
        &app,
        &support,
        "removeJourneyStage",
        json!({ "id": id(voor), "expectedVersion": voor["version"] }),
        JOURNEY,
    )
    .await;
    assert_eq!(error_code(&again), "NOT_FOUND", "{again}");

    // A stage that moved up logged it.
    let tijdens = find(&after["stages"], "/name", "Tijdens de activiteit");
    let h = history(&app, None, &id(tijdens)).await;
    assert_eq!(actions(&h), ["REORDER", "CREATE"], "{h:?}");
    assert_eq!(h[0]["changes"], json!([{ "field": "position", "before": 4, "after": 3 }]));

    // Removing the last stage leaves the others where they are; removing the first moves all up.
    let na = find(&after["stages"], "/name", "Na afloop");
    let body = mutate(
        &app,
        &support,
        "removeJourneyStage",
        json!({ "id": id(na), "expectedVersion": na["version"] }),
        JOURNEY,
    )
    .await;
    let after = data(&body)["removeJourneyStage"]["journey"].clone();
    assert_eq!(strings(&after["stages"], "/name"), ["Oriëntatie", "Aanmelden", "Tijdens de activiteit"]);
    let first = find(&after["stages"], "/name", "Oriëntatie");
    let body = mutate(
        &app,
        &support,
        "removeJourneyStage",
        json!({ "id": id(first), "expectedVersion": first["version"] }),
        JOURNEY,
    )
    .await;
    let after = &data(&body)["removeJourneyStage"]["journey"];
    assert_eq!(strings(&after["stages"], "/name"), ["Aanmelden", "Tijdens de activiteit"]);
    assert_eq!(strings(&after["stages"], "/position"), ["1", "2"]);
    let pensioen = query(
        &app,
        None,
        "query($id: ID!) { insight(id: $id) { stage { id } } }",
        json!({ "id": id(find(&zm["insights"], "/statement", PENSIOEN)) }),
    )
    .await;
    assert_eq!(pensioen["insight"]["stage"], Value::Null, "the pension insight was drawn from Oriëntatie");
}

#[tokio::test]
async fn insights_are_created_updated_and_superseded() {
    let app = spawn_app().await;
    let support = probiblio(&app);
    let zm = tree(&app, None, ZM_STUDY).await;
    let fl = tree(&app, None, FL_STUDY).await;
    let aanmelden = find(&zm["journeys"][0]["stages"], "/name", "Aanmelden");
    let plannen = find(&fl["journeys"][0]["stages"], "/name", "Plannen");

    const NEW: &str = "Ouderen melden zich liever aan de balie aan dan online.";
    let input = json!({
        "studyId": id(&zm), "stageId": id(aanmelden), "statement": NEW,
        "explanation": "Aan de balie krijgen ze meteen antwoord op hun vragen.",
        "quotes": [{ "text": "Aan de balie weet ik zeker dat het goed gaat.", "attribution": "een deelnemer" }],
        "targetGroupCodes": ["SENIORS"], "standardPropositionCodes": ["SENIOR_MEETING"],
    });
    let new = mutate_ok(&app, &support, "createInsight", input.clone(), INSIGHT).await["insight"].clone();
    assert_eq!(new["statement"], NEW, "{new}");
    assert_eq!(new["version"], 1);
    assert_eq!(new["state"], "CURRENT");
    assert_eq!(new["evidenceStrength"], "MODERATE", "the study's strength");
    assert_eq!(new["stage"]["name"], "Aanmelden");
    assert_eq!(new["study"]["title"], ZM_STUDY);
    assert_eq!(new["supersededBy"], Value::Null);
    assert_eq!(strings(&new["targetGroups"], "/code"), ["SENIORS"]);
    assert_eq!(strings(&new["standardPropositions"], "/code"), ["SENIOR_MEETING"]);
    assert_eq!(new["quotes"][0]["attribution"], "een deelnemer");
    let d = query(
        &app,
        None,
        "query($id: ID!) { node(id: $id) { ... on JourneyStage { insights { statement } } } }",
        json!({ "id": id(aanmelden) }),
    )
    .await;
    assert_eq!(strings(&d["node"]["insights"], "/statement"), [NEW]);

    // A stage of another study's journey is refused, and nothing is written.
    let body = mutate(
        &app,
        &support,
        "createInsight",
        with(&input, json!({ "stageId": id(plannen), "statement": "Elders" })),
        INSIGHT,
    )
    .await;
    assert_bad_input(&body, "stageId");
    assert_eq!(tree(&app, None, ZM_STUDY).await["insights"].as_array().unwrap().len(), 4);

    // Updating: absent fields stay, lists are replaced, null clears the stage.
    let body = mutate(
        &app,
        &support,
        "updateInsight",
        json!({ "id": id(&new), "expectedVersion": 1, "statement": "Ouderen melden zich het liefst aan de balie aan.",
                "targetGroupCodes": ["SENIORS", "SENIORS_LESS_SELF_RELIANT"], "stageId": null }),
        INSIGHT,
    )
    .await;
    let updated = data(&body)["updateInsight"]["insight"].clone();
    assert_eq!(updated["version"], 2, "{updated}");
    assert_eq!(updated["statement"], "Ouderen melden zich het liefst aan de balie aan.");
    assert_eq!(updated["stage"], Value::Null);
    assert_eq!(sorted(strings(&updated["targetGroups"], "/code")), ["SENIORS", "SENIORS_LESS_SELF_RELIANT"]);
    assert_eq!(updated["explanation"], "Aan de balie krijgen ze meteen antwoord op hun vragen.");
    assert_eq!(strings(&updated["standardPropositions"], "/code"), ["SENIOR_MEETING"]);
    let body = mutate(
        &app,
        &support,
        "updateInsight",
        json!({ "id": id(&new), "expectedVersion": 2, "stageId": id(plannen) }),
        INSIGHT,
    )
    .await;
    assert_bad_input(&body, "stageId");
    let body = mutate(
        &app,
        &support,
        "updateInsight",
        json!({ "id": id(&new), "expectedVersion": 1, "statement": "Oud" }),
        INSIGHT,
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    // Superseding: the old one stays readable, marked SUPERSEDED, pointing at its successor.
    let pensioen = find(&zm["insights"], "/statement", PENSIOEN);
    let supersede = |target: &Value, version: &Value, by: &Value| {
        let (app, support) = (&app, &support);
        let input = json!({ "id": id(target), "expectedVersion": version, "supersededById": id(by) });
        async move { mutate(app, support, "supersedeInsight", input, INSIGHT).await }
    };
    let body = supersede(pensioen, &pensioen["version"], &new).await;
    let old = data(&body)["supersedeInsight"]["insight"].clone();
    assert_eq!(old["state"], "SUPERSEDED", "{old}");
    assert_eq!(old["supersededBy"]["id"], new["id"]);
    assert_eq!(old["statement"], PENSIOEN);
    assert_eq!(old["version"], pensioen["version"].as_i64().unwrap() + 1);
    let d = query(
        &app,
        None,
        "query($id: ID!) { insight(id: $id) { state supersededBy { statement } } }",
        json!({ "id": id(pensioen) }),
    )
    .await;
    assert_eq!(
        d["insight"],
        json!({ "state": "SUPERSEDED", "supersededBy": { "statement": "Ouderen melden zich het liefst aan de balie aan." } })
    );

    // Superseding again is a conflict, even with the current version.
    assert_eq!(error_code(&supersede(pensioen, &old["version"], &new).await), "CONFLICT");
    // Neither by itself nor by a superseded insight.
    let sociaal = find(&zm["insights"], "/statement", SOCIAAL);
    assert_bad_input(&supersede(sociaal, &sociaal["version"], sociaal).await, "supersededById");
    assert_bad_input(&supersede(sociaal, &sociaal["version"], pensioen).await, "supersededById");
    assert_eq!(
        standard_insights(&app, None, "SENIOR_MEETING", false).await,
        ["Ouderen melden zich het liefst aan de balie aan.", BEHOEFTEN, SOCIAAL]
    );

    let h = history(&app, None, &id(pensioen)).await;
    assert_eq!(actions(&h), ["SUPERSEDE", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["state", "supersededById"]);
    let h = history(&app, None, &id(&new)).await;
    assert_eq!(actions(&h), ["UPDATE", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["stageId", "statement", "targetGroupIds"]);
}

#[tokio::test]
async fn ideas_are_recorded_and_libraries_adopt_them_once() {
    let app = spawn_app().await;
    let support = probiblio(&app);
    let zoetermeer = app.editor(ZOETERMEER);
    let almere = app.editor("nieuwe-bibliotheek-almere");
    let zm = tree(&app, None, ZM_STUDY).await;
    let fl = tree(&app, None, FL_STUDY).await;
    let sociaal = id(find(&zm["insights"], "/statement", SOCIAAL));
    let behoeften = id(find(&zm["insights"], "/statement", BEHOEFTEN));
    let wisselend = id(find(&fl["insights"], "/statement", WISSELEND));

    const KOFFIE: &str = "Koffie-inloop voor elke activiteit";
    let input = json!({ "studyId": id(&zm), "title": KOFFIE, "description": "Een half uur voor de start koffie.",
                        "priority": "DO_NOW", "insightIds": [sociaal, behoeften] });
    let idea = mutate_ok(&app, &support, "createImprovementIdea", input.clone(), IDEA).await["idea"].clone();
    assert_eq!(idea["version"], 1, "{idea}");
    assert_eq!(idea["priority"], "DO_NOW");
    assert_eq!(idea["adoptionCount"], 0);
    assert_eq!(idea["adoptions"], json!([]));
    assert_eq!(idea["study"]["id"], zm["id"]);
    assert_eq!(sorted(strings(&idea["insights"], "/statement")), sorted(owned(&[SOCIAAL, BEHOEFTEN])));

    // An insight of another study is refused, and nothing is written.
    let body = mutate(
        &app,
        &support,
        "createImprovementIdea",
        with(&input, json!({ "insightIds": [sociaal, wisselend] })),
        IDEA,
    )
    .await;
    assert_bad_input(&body, "insightIds");
    assert_eq!(tree(&app, None, ZM_STUDY).await["ideas"].as_array().unwrap().len(), 7);

    let body = mutate(
        &app,
        &support,
        "updateImprovementIdea",
        json!({ "id": id(&idea), "expectedVersion": 1, "priority": "LATER", "insightIds": [sociaal] }),
        IDEA,
    )
    .await;
    let updated = data(&body)["updateImprovementIdea"]["idea"].clone();
    assert_eq!(updated["priority"], "LATER", "{updated}");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["title"], KOFFIE, "absent fields stay");
    assert_eq!(strings(&updated["insights"], "/statement"), [SOCIAAL]);
    let body = mutate(
        &app,
        &support,
        "updateImprovementIdea",
        json!({ "id": id(&idea), "expectedVersion": 2, "insightIds": [wisselend] }),
        IDEA,
    )
    .await;
    assert_bad_input(&body, "insightIds");
    let body = mutate(
        &app,
        &support,
        "updateImprovementIdea",
        json!({ "id": id(&idea), "expectedVersion": 1, "title": "Oud" }),
        IDEA,
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    // Zoetermeer takes it up: PLANNED when left out; a second time is a conflict.
    let zm_org = app.organisation_id(ZOETERMEER).await;
    let adopt = |token: &str, input: Value| {
        let (app, token) = (&app, token.to_string());
        async move { mutate(app, &token, "adoptImprovementIdea", input, ADOPTION).await }
    };
    let body = adopt(&zoetermeer, json!({ "ideaId": id(&idea), "organisationId": zm_org })).await;
    let adoption = data(&body)["adoptImprovementIdea"]["adoption"].clone();
    assert_eq!(adoption["status"], "PLANNED", "{adoption}");
    assert_eq!(adoption["version"], 1);
    assert_eq!(adoption["organisation"]["slug"], ZOETERMEER);
    assert_eq!(adoption["idea"]["title"], KOFFIE);
    assert_eq!(adoption["startedOn"], Value::Null);
    let body =
        adopt(&zoetermeer, json!({ "ideaId": id(&idea), "organisationId": zm_org, "status": "IN_PROGRESS" })).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    // Almere too; a completion date on a planned adoption is refused for Lelystad.
    let almere_org = app.organisation_id("nieuwe-bibliotheek-almere").await;
    let body = adopt(&almere, json!({ "ideaId": id(&idea), "organisationId": almere_org, "status": "IN_PROGRESS", "startedOn": "2026-02-02" }))
        .await;
    let almere_adoption = data(&body)["adoptImprovementIdea"]["adoption"].clone();
    let lelystad_org = app.organisation_id("bibliotheek-lelystad").await;
    let body = adopt(
        &app.editor("bibliotheek-lelystad"),
        json!({ "ideaId": id(&idea), "organisationId": lelystad_org, "completedOn": "2026-02-02" }),
    )
    .await;
    assert_bad_input(&body, "completedOn");
    let read_idea = || {
        let (app, idea) = (&app, id(&idea));
        async move {
            query(app, None, "query($id: ID!) { improvementIdea(id: $id) { adoptionCount adoptions { status organisation { slug } } } }", json!({ "id": idea }))
                .await["improvementIdea"]
                .clone()
        }
    };
    let i = read_idea().await;
    assert_eq!(i["adoptionCount"], 2, "{i}");
    assert_eq!(sorted(strings(&i["adoptions"], "/organisation/slug")), [ZOETERMEER, "nieuwe-bibliotheek-almere"]);

    // Zoetermeer records its progress.
    let ontmoeten = proposition_id(&app, None, ZOETERMEER, ONTMOETEN).await;
    let update = |token: &str, input: Value| {
        let (app, token) = (&app, token.to_string());
        async move { mutate(app, &token, "updateAdoption", input, ADOPTION).await }
    };
    let body = update(
        &zoetermeer,
        json!({ "id": id(&adoption), "expectedVersion": 1, "status": "IN_PROGRESS", "startedOn": "2026-01-05" }),
    )
    .await;
    let a = data(&body)["updateAdoption"]["adoption"].clone();
    assert_eq!(a["status"], "IN_PROGRESS", "{a}");
    assert_eq!(a["startedOn"], "2026-01-05");
    assert_eq!(a["version"], 2);
    let body = update(
        &zoetermeer,
        json!({ "id": id(&adoption), "expectedVersion": 2, "status": "DONE", "completedOn": "2025-12-01" }),
    )
    .await;
    assert_bad_input(&body, "completedOn");
    let body = update(
        &zoetermeer,
        json!({ "id": id(&adoption), "expectedVersion": 2, "status": "DONE", "completedOn": "2026-03-01",
                "effectNote": "Er blijven nu gemiddeld tien mensen hangen.", "propositionId": ontmoeten }),
    )
    .await;
    let a = data(&body)["updateAdoption"]["adoption"].clone();
    assert_eq!(a["status"], "DONE", "{a}");
    assert_eq!(a["completedOn"], "2026-03-01");
    assert_eq!(a["startedOn"], "2026-01-05", "absent fields stay");
    assert_eq!(a["effectNote"], "Er blijven nu gemiddeld tien mensen hangen.");
    assert_eq!(a["proposition"]["title"], ONTMOETEN);
    assert_eq!(a["version"], 3);
    let body =
        update(&zoetermeer, json!({ "id": id(&adoption), "expectedVersion": 2, "effectNote": "Overschreven" })).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    // A dropped adoption stays listed but no longer counts.
    let body = update(
        &almere,
        json!({ "id": id(&almere_adoption), "expectedVersion": 1, "status": "DROPPED", "completedOn": "2026-04-01" }),
    )
    .await;
    assert_eq!(data(&body)["updateAdoption"]["adoption"]["status"], "DROPPED", "{body}");
    let i = read_idea().await;
    assert_eq!(i["adoptionCount"], 1, "{i}");
    assert_eq!(i["adoptions"].as_array().unwrap().len(), 2);

    // The adoption now belongs to the evidence behind Ontmoeten, and to the knowledge view.
    let ev = evidence(&app, None, &ontmoeten).await;
    assert_eq!(
        sorted(strings(&ev["adoptedIdeas"], "/idea/title")),
        sorted(owned(&[CHECKLIST, PRESENTATIE, STRIPPENKAART, KOFFIE]))
    );
    let k = standard_knowledge(&app, None, "SENIOR_MEETING").await;
    assert_eq!(k["ideas"]["totalCount"], 7, "{k}");
    assert_eq!(find(&k["ideas"]["nodes"], "/title", KOFFIE)["adoptionCount"], 1);

    let h = history(&app, Some(&zoetermeer), &id(&adoption)).await;
    assert_eq!(actions(&h), ["UPDATE", "UPDATE", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["completedOn", "effectNote", "propositionId", "status"]);
    let h = history(&app, None, &id(&idea)).await;
    assert_eq!(actions(&h), ["UPDATE", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["insightIds", "priority"]);
}

#[tokio::test]
async fn links_feed_the_evidence_until_they_are_removed() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let support = probiblio(&app);
    let fl = tree(&app, None, FL_STUDY).await;
    let zm = tree(&app, None, ZM_STUDY).await;
    let boekstart = proposition_id(&app, None, ZOETERMEER, BOEKSTART_ZOETERMEER).await;

    // Zoetermeer links the Flevoland study to its own BoekStart.
    let input = json!({ "source": { "studyId": id(&fl) }, "target": { "propositionId": boekstart },
                        "relation": "INFORMED_DESIGN_OF", "note": "Ook hier een vaste dag en tijd." });
    let link = mutate_ok(&app, &editor, "linkKnowledge", input.clone(), LINK).await["link"].clone();
    assert_eq!(link["version"], 1, "{link}");
    assert_eq!(link["relation"], "INFORMED_DESIGN_OF");
    assert_eq!(link["note"], "Ook hier een vaste dag en tijd.");
    assert_eq!(link["study"]["title"], FL_STUDY);
    assert_eq!(link["insight"], Value::Null);
    assert_eq!(link["proposition"]["title"], BOEKSTART_ZOETERMEER);
    assert_eq!(link["standardProposition"], Value::Null);

    let ev = evidence(&app, None, &boekstart).await;
    assert_eq!(strings(&ev["studies"], "/title"), [FL_STUDY], "{ev}");
    assert_eq!(
        strings(&ev["insights"], "/statement"),
        [SAMENWERKEN, AANNAMES, WISSELEND],
        "all of the study's insights"
    );
    assert_eq!(strings(&ev["links"], "/id"), [id(&link)]);
    assert_eq!(ev["adoptedIdeas"], json!([]), "Zoetermeer adopted none of Flevoland's ideas");

    // The same link twice is a conflict.
    let body = mutate(&app, &editor, "linkKnowledge", input.clone(), LINK).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(evidence(&app, None, &boekstart).await["links"].as_array().unwrap().len(), 1);

    // Once Zoetermeer adopts the fixed-schedule idea, it answers the evidence's insights.
    let idea = find(&fl["ideas"], "/title", VASTE_TIJD);
    let zm_org = app.organisation_id(ZOETERMEER).await;
    mutate_ok(&app, &editor, "adoptImprovementIdea", json!({ "ideaId": id(idea), "organisationId": zm_org }), ADOPTION)
        .await;
    let ev = evidence(&app, None, &boekstart).await;
    assert_eq!(strings(&ev["adoptedIdeas"], "/idea/title"), [VASTE_TIJD], "{ev}");
    assert_eq!(strings(&ev["adoptedIdeas"], "/status"), ["PLANNED"]);

    // Relation and note change; null clears the note; a stale version is a conflict.
    let update = |input: Value| {
        let (app, editor) = (&app, &editor);
        async move { mutate(app, editor, "updateKnowledgeLink", input, LINK).await }
    };
    let body = update(json!({ "id": id(&link), "expectedVersion": 1, "note": null })).await;
    let l = data(&body)["updateKnowledgeLink"]["link"].clone();
    assert_eq!(l["note"], Value::Null, "{l}");
    assert_eq!(l["relation"], "INFORMED_DESIGN_OF");
    assert_eq!(l["version"], 2);
    let body =
        update(json!({ "id": id(&link), "expectedVersion": 2, "relation": "IMPROVES", "note": "Vaste woensdag." }))
            .await;
    let l = data(&body)["updateKnowledgeLink"]["link"].clone();
    assert_eq!(l["relation"], "IMPROVES", "{l}");
    assert_eq!(l["note"], "Vaste woensdag.");
    assert_eq!(l["version"], 3);
    assert_eq!(error_code(&update(json!({ "id": id(&link), "expectedVersion": 2, "note": "Oud" })).await), "CONFLICT");

    // A second link with another relation is another link; turning one into the other conflicts.
    let second = mutate_ok(&app, &editor, "linkKnowledge", with(&input, json!({ "relation": "EVIDENCE_FOR" })), LINK)
        .await["link"]
        .clone();
    let body = update(json!({ "id": id(&second), "expectedVersion": 1, "relation": "IMPROVES" })).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(evidence(&app, None, &boekstart).await["links"].as_array().unwrap().len(), 2);

    let h = history(&app, None, &id(&link)).await;
    assert_eq!(actions(&h), ["UPDATE", "UPDATE", "CREATE"], "{h:?}");
    assert!(changed_fields(&h[0]).contains(&"relation".to_string()), "{h:?}");
    assert!(changed_fields(&h[0]).contains(&"note".to_string()), "{h:?}");
    assert_eq!(changed_fields(&h[1]), ["note"]);

    // Unlinking both: the evidence is empty again, adoption included; the link is gone.
    for (l, version) in [(&link, 3), (&second, 1)] {
        let body = mutate(
            &app,
            &editor,
            "unlinkKnowledge",
            json!({ "id": id(l), "expectedVersion": version }),
            "removedLinkId",
        )
        .await;
        assert_eq!(data(&body)["unlinkKnowledge"]["removedLinkId"], l["id"], "{body}");
    }
    let ev = evidence(&app, None, &boekstart).await;
    assert_eq!(ev, json!({ "studies": [], "insights": [], "adoptedIdeas": [], "links": [] }));
    let gone = app.anon("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id(&link) })).await;
    assert_eq!(error_code(&gone), "NOT_FOUND");
    let again =
        mutate(&app, &editor, "unlinkKnowledge", json!({ "id": id(&link), "expectedVersion": 3 }), "removedLinkId")
            .await;
    assert_eq!(error_code(&again), "NOT_FOUND", "{again}");

    // Probiblio links one insight of its study to a standard proposition.
    let before = standard_knowledge(&app, None, "LEESCLUB").await;
    assert_eq!(before["studies"]["totalCount"], 0, "{before}");
    let sociaal = find(&zm["insights"], "/statement", SOCIAAL);
    let l = mutate_ok(
        &app,
        &support,
        "linkKnowledge",
        json!({ "source": { "insightId": id(sociaal) }, "target": { "standardPropositionCode": "LEESCLUB" }, "relation": "EVIDENCE_FOR" }),
        LINK,
    )
    .await["link"]
        .clone();
    assert_eq!(l["insight"]["statement"], SOCIAAL, "{l}");
    assert_eq!(l["study"]["title"], ZM_STUDY, "the insight's study");
    assert_eq!(l["standardProposition"]["code"], "LEESCLUB");
    assert_eq!(l["proposition"], Value::Null);
    let after = standard_knowledge(&app, None, "LEESCLUB").await;
    assert_eq!(strings(&after["studies"]["nodes"], "/title"), [ZM_STUDY], "{after}");
    assert_eq!(strings(&after["insights"]["nodes"], "/statement"), [SOCIAAL]);

    // A source or target with both alternatives, or neither, is refused.
    for (source, target) in [
        (json!({ "studyId": id(&zm), "insightId": id(sociaal) }), json!({ "standardPropositionCode": "LEESCLUB" })),
        (json!({ "studyId": id(&zm) }), json!({ "standardPropositionCode": "LEESCLUB", "propositionId": boekstart })),
        (json!({}), json!({ "standardPropositionCode": "LEESCLUB" })),
    ] {
        let body = mutate(
            &app,
            &support,
            "linkKnowledge",
            json!({ "source": source, "target": target, "relation": "IMPROVES" }),
            LINK,
        )
        .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }

    // Unlinking the Zoetermeer study as a whole from Ontmoeten: its insights are still linked one by one.
    let ontmoeten = proposition_id(&app, None, ZOETERMEER, ONTMOETEN).await;
    let design = zm["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["relation"] == "INFORMED_DESIGN_OF" && l["proposition"]["title"] == ONTMOETEN)
        .unwrap();
    mutate_ok(
        &app,
        &editor,
        "unlinkKnowledge",
        json!({ "id": id(design), "expectedVersion": design["version"] }),
        "removedLinkId",
    )
    .await;
    let ev = evidence(&app, None, &ontmoeten).await;
    assert_eq!(strings(&ev["studies"], "/title"), [ZM_STUDY], "{ev}");
    assert_eq!(strings(&ev["links"], "/relation"), ["EVIDENCE_FOR"; 3]);
    assert_eq!(ev["insights"].as_array().unwrap().len(), 3);
}

// ---- validation, conflicts and history ---------------------------------------------------------

#[tokio::test]
async fn invalid_knowledge_input_names_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let zm = app.organisation_id(ZOETERMEER).await;
    let before = zoetermeer_counts(&app, &editor).await;
    let base = study_input(&zm);

    let cases: Vec<(&str, Value, &str)> = vec![
        ("empty title", with(&base, json!({ "title": "" })), "title"),
        ("blank title", with(&base, json!({ "title": "   " })), "title"),
        ("title of 301 characters", with(&base, json!({ "title": "x".repeat(301) })), "title"),
        ("no methods", with(&base, json!({ "methods": [] })), "methods"),
        (
            "end before start",
            with(&base, json!({ "periodStart": "2025-06-01", "periodEnd": "2025-05-31" })),
            "periodEnd",
        ),
        (
            "unknown target group",
            with(&base, json!({ "targetGroupCodes": ["SENIORS", "MARTIANS"] })),
            "targetGroupCodes",
        ),
        ("report url without scheme", with(&base, json!({ "reportUrl": "www.probiblio.nl/rapport" })), "reportUrl"),
        ("ftp report url", with(&base, json!({ "reportUrl": "ftp://probiblio.nl/rapport.pdf" })), "reportUrl"),
        ("javascript report url", with(&base, json!({ "reportUrl": "javascript:alert(1)" })), "reportUrl"),
        ("negative participants", with(&base, json!({ "participantCount": -1 })), "participantCount"),
        ("stale before it started", with(&base, json!({ "validUntil": "2024-12-31" })), "validUntil"),
        ("unknown province", with(&base, json!({ "provinceCodes": ["PV99"] })), "provinceCodes"),
        ("unknown municipality", with(&base, json!({ "municipalityCodes": ["GM9999"] })), "municipalityCodes"),
        ("garbage organisation id", with(&base, json!({ "commissionedByIds": ["garbage"] })), "commissionedByIds"),
    ];
    for (case, input, field) in cases {
        let body = mutate(&app, &editor, "createStudy", input, STUDY).await;
        assert_bad_input(&body, field);
        assert!(body["data"].is_null(), "{case}: {body}");
    }
    // A title left out never reaches the service: the document itself is refused.
    let mut missing = base.clone();
    missing.as_object_mut().unwrap().remove("title");
    let body = mutate(&app, &editor, "createStudy", missing, STUDY).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("title"), "{body}");
    assert_eq!(zoetermeer_counts(&app, &editor).await, before, "rejected studies write nothing");

    // The same checks on update, against the study as it would be; nothing is written.
    let study = create_study(&app, &editor, base.clone()).await;
    let sid = id(&study);
    let updates: Vec<(Value, &str)> = vec![
        (json!({ "title": " " }), "title"),
        (json!({ "methods": [] }), "methods"),
        (json!({ "periodEnd": "2024-12-31" }), "periodEnd"),
        (json!({ "periodStart": "2025-07-01" }), "periodEnd"),
        (json!({ "targetGroupCodes": ["NOPE"] }), "targetGroupCodes"),
        (json!({ "reportUrl": "not a url" }), "reportUrl"),
    ];
    for (changes, field) in updates {
        let input = with(&json!({ "id": sid, "expectedVersion": 1 }), changes);
        assert_bad_input(&mutate(&app, &editor, "updateStudy", input, STUDY).await, field);
    }
    let read = format!("query($id: ID!) {{ {} }}", STUDY.replacen("study {", "study(id: $id) {", 1));
    let d = query(&app, Some(&editor), &read, json!({ "id": sid })).await;
    assert_eq!(d["study"], study, "refused updates change nothing");

    // Journeys, stages, insights and ideas check their input too.
    let journey_input = json!({ "studyId": sid, "title": "Reis", "targetGroupCode": "SENIORS", "standardPropositionCode": "SENIOR_MEETING" });
    let bad_journeys: Vec<(Value, &str)> = vec![
        (with(&journey_input, json!({ "title": "  " })), "title"),
        (with(&journey_input, json!({ "targetGroupCode": "MARTIANS" })), "targetGroupCode"),
        (with(&journey_input, json!({ "standardPropositionCode": null })), "standardPropositionCode"),
    ];
    for (input, field) in bad_journeys {
        assert_bad_input(&mutate(&app, &editor, "createJourney", input, JOURNEY).await, field);
    }
    let j = mutate_ok(&app, &editor, "createJourney", journey_input, JOURNEY).await["journey"].clone();
    let stage = mutate_ok(
        &app,
        &editor,
        "addJourneyStage",
        json!({ "journeyId": id(&j), "stage": { "name": "Oriëntatie", "emotionScore": 1 } }),
        STAGE,
    )
    .await["stage"]
        .clone();
    for score in [3, -3] {
        let body = mutate(
            &app,
            &editor,
            "addJourneyStage",
            json!({ "journeyId": id(&j), "stage": { "name": "Te blij", "emotionScore": score } }),
            STAGE,
        )
        .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(error_field(&body), "stage.emotionScore", "{body}");
        let body = mutate(
            &app,
            &editor,
            "updateJourneyStage",
            json!({ "id": id(&stage), "expectedVersion": 1, "stage": { "emotionScore": score } }),
            STAGE,
        )
        .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(error_field(&body), "stage.emotionScore", "{body}");
    }
    let body =
        mutate(&app, &editor, "addJourneyStage", json!({ "journeyId": id(&j), "stage": { "name": " " } }), STAGE).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(error_field(&body), "stage.name", "{body}");
    let after = journey(&app, Some(&editor), &id(&j)).await;
    assert_eq!(strings(&after["stages"], "/name"), ["Oriëntatie"], "no stage was added: {after}");
    let d = query(
        &app,
        Some(&editor),
        "query($id: ID!) { node(id: $id) { ... on JourneyStage { emotionScore version } } }",
        json!({ "id": id(&stage) }),
    )
    .await;
    assert_eq!(d["node"], json!({ "emotionScore": 1, "version": 1 }), "the stage is unchanged");

    let insight_input = json!({ "studyId": sid, "statement": "Iets" });
    let bad_insights: Vec<(Value, &str)> = vec![
        (with(&insight_input, json!({ "statement": "" })), "statement"),
        (with(&insight_input, json!({ "statement": "x".repeat(501) })), "statement"),
        (with(&insight_input, json!({ "targetGroupCodes": ["MARTIANS"] })), "targetGroupCodes"),
        (with(&insight_input, json!({ "standardPropositionCodes": ["NOPE"] })), "standardPropositionCodes"),
        (with(&insight_input, json!({ "quotes": [{ "text": " " }] })), "quotes"),
    ];
    for (input, field) in bad_insights {
        assert_bad_input(&mutate(&app, &editor, "createInsight", input, INSIGHT).await, field);
    }
    assert_bad_input(
        &mutate(
            &app,
            &editor,
            "createImprovementIdea",
            json!({ "studyId": sid, "title": " ", "priority": "DO_NOW" }),
            IDEA,
        )
        .await,
        "title",
    );
    let (studies, journeys, insights) = zoetermeer_counts(&app, &editor).await;
    assert_eq!(
        (studies, journeys, insights),
        (before.0 + 1, before.1 + 1, before.2),
        "only the valid study and journey"
    );
    let d = query(
        &app,
        Some(&editor),
        "query($id: ID!) { study(id: $id) { insights { id } ideas { id } } }",
        json!({ "id": sid }),
    )
    .await;
    assert_eq!(d["study"], json!({ "insights": [], "ideas": [] }));
}

#[tokio::test]
async fn a_stale_expected_version_is_a_conflict_everywhere() {
    let app = spawn_app().await;
    let support = probiblio(&app);
    let editor = app.editor(ZOETERMEER);
    let zm = tree(&app, None, ZM_STUDY).await;
    let j = &zm["journeys"][0];
    let stage = find(&j["stages"], "/name", "Aanmelden");
    let insight = find(&zm["insights"], "/statement", BEHOEFTEN);
    let idea = find(&zm["ideas"], "/title", CHECKLIST);
    let adoption = &idea["adoptions"][0];
    let link = find(&zm["links"], "/relation", "INFORMED_DESIGN_OF");
    for record in [&zm, j, stage, insight, idea, adoption, link] {
        assert_eq!(record["version"], 1, "the demo records are at version 1: {record}");
    }

    // Too old and too new are both stale; nothing is written.
    for stale in [0, 2] {
        let cases: Vec<(&str, &str, Value, &str)> = vec![
            ("updateStudy", &support, json!({ "id": id(&zm), "expectedVersion": stale, "title": "X" }), "study { id }"),
            (
                "updateJourneyStage",
                &support,
                json!({ "id": id(stage), "expectedVersion": stale, "stage": { "name": "X" } }),
                "stage { id }",
            ),
            (
                "updateInsight",
                &support,
                json!({ "id": id(insight), "expectedVersion": stale, "statement": "X" }),
                "insight { id }",
            ),
            (
                "updateAdoption",
                &editor,
                json!({ "id": id(adoption), "expectedVersion": stale, "effectNote": "X" }),
                "adoption { id }",
            ),
            (
                "updateImprovementIdea",
                &support,
                json!({ "id": id(idea), "expectedVersion": stale, "title": "X" }),
                "idea { id }",
            ),
            (
                "updateKnowledgeLink",
                &editor,
                json!({ "id": id(link), "expectedVersion": stale, "note": "X" }),
                "link { id }",
            ),
            (
                "updateJourney",
                &support,
                json!({ "id": id(j), "expectedVersion": stale, "title": "X" }),
                "journey { id }",
            ),
            (
                "reorderJourneyStages",
                &support,
                json!({ "journeyId": id(j), "expectedVersion": stale,
                "stageIds": strings(&j["stages"], "/id").into_iter().rev().collect::<Vec<_>>() }),
                "journey { id }",
            ),
            ("removeJourneyStage", &support, json!({ "id": id(stage), "expectedVersion": stale }), "journey { id }"),
            (
                "supersedeInsight",
                &support,
                json!({ "id": id(insight), "expectedVersion": stale,
                "supersededById": id(find(&zm["insights"], "/statement", SOCIAAL)) }),
                "insight { id }",
            ),
            ("unlinkKnowledge", &editor, json!({ "id": id(link), "expectedVersion": stale }), "removedLinkId"),
        ];
        for (mutation, token, input, selection) in cases {
            let body = mutate(&app, token, mutation, input, selection).await;
            assert_eq!(error_code(&body), "CONFLICT", "{mutation} with version {stale}: {body}");
        }
    }
    assert_eq!(tree(&app, None, ZM_STUDY).await, zm, "conflicts change nothing");

    // The first writer with the right version wins; the second, with the same version, conflicts.
    let first: Vec<(&str, &str, Value, &str, &str)> = vec![
        ("updateStudy", &support, json!({ "id": id(&zm), "title": "Eerste" }), "study", "title"),
        ("updateJourneyStage", &support, json!({ "id": id(stage), "stage": { "name": "Eerste" } }), "stage", "name"),
        ("updateInsight", &support, json!({ "id": id(insight), "statement": "Eerste" }), "insight", "statement"),
        ("updateAdoption", &editor, json!({ "id": id(adoption), "effectNote": "Eerste" }), "adoption", "effectNote"),
    ];
    for (mutation, token, input, payload, field) in first {
        let selection = format!("{payload} {{ {field} version }}");
        let ok = mutate_ok(&app, token, mutation, with(&input, json!({ "expectedVersion": 1 })), &selection).await;
        assert_eq!(ok[payload], json!({ field: "Eerste", "version": 2 }), "{mutation}");
        let body = mutate(&app, token, mutation, with(&input, json!({ "expectedVersion": 1 })), &selection).await;
        assert_eq!(error_code(&body), "CONFLICT", "{mutation}: {body}");
        let ok = mutate_ok(&app, token, mutation, with(&input, json!({ "expectedVersion": 2 })), &selection).await;
        assert_eq!(ok[payload]["version"], 3, "{mutation}: {ok}");
    }
}

#[tokio::test]
async fn history_records_who_changed_what_in_the_knowledge() {
    let app = spawn_app().await;
    let support = probiblio(&app);
    let zm = tree(&app, None, ZM_STUDY).await;

    // Study: created by the demo loader, then changed.
    mutate_ok(
        &app,
        &support,
        "updateStudy",
        json!({ "id": id(&zm), "expectedVersion": 1, "title": "Klantreis ouderen", "participantCount": 25 }),
        "study { id }",
    )
    .await;
    let h = history(&app, Some(&support), &id(&zm)).await;
    assert_eq!(actions(&h), ["UPDATE", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["evidenceStrength", "participantCount", "title"], "{h:?}");
    assert_eq!(h[0]["version"], 2);
    let title = h[0]["changes"].as_array().unwrap().iter().find(|c| c["field"] == "title").unwrap();
    assert_eq!(title["before"], ZM_STUDY);
    assert_eq!(title["after"], "Klantreis ouderen");
    let strength = h[0]["changes"].as_array().unwrap().iter().find(|c| c["field"] == "evidenceStrength").unwrap();
    assert_eq!((&strength["before"], &strength["after"]), (&json!("MODERATE"), &json!("STRONG")));
    assert_eq!(h[1]["version"], 1);
    assert!(changed_fields(&h[1]).contains(&"methods".to_string()), "{h:?}");
    let d = query(
        &app,
        Some(&support),
        "query($id: ID!) { study(id: $id) { history(first: 1) { nodes { actorRole actorSubject actorOrganisation { slug } } } } }",
        json!({ "id": id(&zm) }),
    )
    .await;
    assert_eq!(
        d["study"]["history"]["nodes"][0],
        json!({ "actorRole": "SUPPORT_EDITOR", "actorSubject": "user-of-probiblio", "actorOrganisation": { "slug": "probiblio" } })
    );

    // Insight: created, then changed.
    let created = mutate_ok(
        &app,
        &support,
        "createInsight",
        json!({ "studyId": id(&zm), "statement": "Ouderen willen vaker dezelfde gezichten zien." }),
        "insight { id }",
    )
    .await;
    let iid = id(&created["insight"]);
    mutate_ok(
        &app,
        &support,
        "updateInsight",
        json!({ "id": iid, "expectedVersion": 1, "explanation": "Herkenning geeft houvast.", "targetGroupCodes": ["SENIORS"] }),
        "insight { id }",
    )
    .await;
    let h = history(&app, None, &iid).await;
    assert_eq!(actions(&h), ["UPDATE", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["explanation", "targetGroupIds"]);
    assert!(changed_fields(&h[1]).contains(&"statement".to_string()), "{h:?}");

    // Journey stages: a reorder logs a REORDER on each stage that moved, and on the journey.
    let j = &zm["journeys"][0];
    let ids = strings(&j["stages"], "/id");
    let reversed: Vec<String> = ids.iter().rev().cloned().collect();
    mutate_ok(
        &app,
        &support,
        "reorderJourneyStages",
        json!({ "journeyId": id(j), "expectedVersion": 1, "stageIds": reversed }),
        "journey { id }",
    )
    .await;
    let first = history(&app, None, &ids[0]).await;
    assert_eq!(actions(&first), ["REORDER", "CREATE"], "{first:?}");
    assert_eq!(first[0]["changes"], json!([{ "field": "position", "before": 1, "after": 5 }]));
    let middle = history(&app, None, &ids[2]).await;
    assert_eq!(actions(&middle), ["CREATE"], "the middle stage did not move: {middle:?}");
    let h = history(&app, None, &id(j)).await;
    assert_eq!(actions(&h), ["REORDER", "CREATE"], "{h:?}");
    assert_eq!(changed_fields(&h[0]), ["stageIds"]);

    // Knowledge links: created, changed, and their deletion logged too.
    let editor = app.editor(ZOETERMEER);
    let leesclub = proposition_id(&app, None, ZOETERMEER, "Leesclubs in de bibliotheek").await;
    let link = mutate_ok(
        &app,
        &editor,
        "linkKnowledge",
        json!({ "source": { "studyId": id(&zm) }, "target": { "propositionId": leesclub }, "relation": "EVIDENCE_FOR" }),
        "link { id }",
    )
    .await["link"]
        .clone();
    mutate_ok(
        &app,
        &editor,
        "updateKnowledgeLink",
        json!({ "id": id(&link), "expectedVersion": 1, "note": "Ook leesclubs zijn ontmoeting." }),
        "link { id }",
    )
    .await;
    let h = history(&app, None, &id(&link)).await;
    assert_eq!(actions(&h), ["UPDATE", "CREATE"], "{h:?}");
    assert_eq!(
        h[0]["changes"],
        json!([{ "field": "note", "before": null, "after": "Ook leesclubs zijn ontmoeting." }])
    );
    assert!(changed_fields(&h[1]).contains(&"relation".to_string()), "{h:?}");
}

#[tokio::test]
async fn bad_organisation_and_target_inputs_name_the_input_field_the_client_wrote() {
    // README and `AppError::invalid`: `extensions.field` names the input field as the client wrote
    // it. `CreateStudyInput` has `commissionedByIds` and `conductedByIds`; `linkKnowledge` names a
    // bad `target.propositionId` with its path, so an unknown `target.standardPropositionCode` should
    // be named the same way.
    let app = spawn_app().await;
    let editor = app.editor(ZOETERMEER);
    let zm = app.organisation_id(ZOETERMEER).await;
    let probiblio_id = app.organisation_id("probiblio").await;
    let almere_id = app.organisation_id("nieuwe-bibliotheek-almere").await;
    let before = zoetermeer_counts(&app, &editor).await;
    let base = study_input(&zm);
    let mut problems = Vec::new();

    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "a support organisation as commissioner",
            with(&base, json!({ "commissionedByIds": [zm, probiblio_id] })),
            &["commissionedByIds"],
        ),
        (
            "own organisation not named",
            with(&base, json!({ "commissionedByIds": [almere_id] })),
            &["commissionedByIds", "conductedByIds"],
        ),
        ("nobody named", with(&base, json!({ "commissionedByIds": [] })), &["commissionedByIds", "conductedByIds"]),
    ];
    for (case, input, fields) in cases {
        let body = mutate(&app, &editor, "createStudy", input, STUDY).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{case}: {body}");
        let field = error_field(&body);
        if !fields.contains(&field.as_str()) {
            problems.push(format!("createStudy, {case}: extensions.field is {field:?}, expected one of {fields:?}"));
        }
    }
    assert_eq!(zoetermeer_counts(&app, &editor).await, before, "rejected studies write nothing");

    let fl = tree(&app, None, FL_STUDY).await;
    let body = mutate(
        &app,
        &editor,
        "linkKnowledge",
        json!({ "source": { "studyId": id(&fl) }, "target": { "propositionId": "garbage" }, "relation": "IMPROVES" }),
        LINK,
    )
    .await;
    assert_bad_input(&body, "target.propositionId");
    let body = mutate(
        &app,
        &probiblio(&app),
        "linkKnowledge",
        json!({ "source": { "studyId": id(&tree(&app, None, ZM_STUDY).await) }, "target": { "standardPropositionCode": "NOPE" },
                "relation": "IMPROVES" }),
        LINK,
    )
    .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let field = error_field(&body);
    if field != "target.standardPropositionCode" {
        problems.push(format!(
            "linkKnowledge, unknown standard proposition: extensions.field is {field:?}, expected \"target.standardPropositionCode\""
        ));
    }
    assert!(problems.is_empty(), "fields not named as the client wrote them:\n{}", problems.join("\n"));
}

/// History inside a list loads per record kind in one batch; each record must still get its own
/// changes, with `first` and `totalCount` per record, exactly as when asked for alone.
#[tokio::test]
async fn history_inside_a_list_matches_each_records_own_history() {
    let app = spawn_app().await;
    let fields = "id title history(first: 2) { totalCount edges { node { action version } } pageInfo { hasNextPage } }";
    let body = app.anon(&format!("{{ studies(first: 10) {{ nodes {{ {fields} }} }} }}"), json!({})).await;
    let listed = data(&body)["studies"]["nodes"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 3, "the three public demo studies: {body}");
    for study in &listed {
        let alone = app
            .anon(&format!("query($id: ID!) {{ study(id: $id) {{ {fields} }} }}"), json!({ "id": study["id"] }))
            .await;
        assert_eq!(&data(&alone)["study"], study, "{}", study["title"]);
        assert_eq!(study["history"]["edges"][0]["node"]["action"], "CREATE", "{study}");
    }
    // Every demo insight was created once; a list of insights shows one change each.
    let body =
        app.anon("{ insights(first: 20) { nodes { history { totalCount nodes { action } } } } }", json!({})).await;
    let insights = data(&body)["insights"]["nodes"].as_array().unwrap();
    assert!(insights.len() >= 7, "{body}");
    for insight in insights {
        assert_eq!(insight["history"]["totalCount"], 1, "{insight}");
        assert_eq!(insight["history"]["nodes"][0]["action"], "CREATE", "{insight}");
    }
}

#[tokio::test]
async fn the_learning_loop_and_research_done_elsewhere_are_one_request_each() {
    let app = spawn_app().await;
    let ideas = |filter: Value| {
        app.anon(
            "query($f: IdeaFilterInput) { improvementIdeas(filter: $f, first: 100) { totalCount nodes { title } } }",
            json!({ "f": filter }),
        )
    };
    let titles = |body: &Value| -> Vec<String> {
        data(body)["improvementIdeas"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_string())
            .collect()
    };
    // In the demo every adoption is by a library named on the idea's own study.
    assert_eq!(titles(&ideas(json!({ "adoptedElsewhere": true })).await), Vec::<String>::new());
    let all = data(&ideas(json!({})).await)["improvementIdeas"]["totalCount"].as_u64().unwrap();
    let not_elsewhere =
        data(&ideas(json!({ "adoptedElsewhere": false })).await)["improvementIdeas"]["totalCount"].as_u64().unwrap();
    assert_eq!(not_elsewhere, all);

    // dbieb takes up an idea of the Zoetermeer journey (run by Probiblio, done for Zoetermeer).
    let body = app
        .anon(
            r#"{ organisation(slug: "dbieb") { id } improvementIdeas(first: 100) { nodes { id title } } }"#,
            json!({}),
        )
        .await;
    let dbieb = data(&body)["organisation"]["id"].clone();
    const TAKEN_UP: &str = "Serie activiteiten rond één thema";
    let idea_id = data(&body)["improvementIdeas"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == TAKEN_UP)
        .expect("the Zoetermeer idea")["id"]
        .clone();
    let adopted = app
        .graphql(
            "mutation($input: AdoptIdeaInput!) { adoptImprovementIdea(input: $input) { adoption { id } } }",
            json!({ "input": { "ideaId": idea_id, "organisationId": dbieb } }),
            Some(&app.editor("dbieb")),
        )
        .await;
    let adoption = data(&adopted)["adoptImprovementIdea"]["adoption"]["id"].clone();
    assert_eq!(titles(&ideas(json!({ "adoptedElsewhere": true })).await), [TAKEN_UP]);
    assert!(!titles(&ideas(json!({ "adoptedElsewhere": false })).await).contains(&TAKEN_UP.to_string()));
    // Zoetermeer's own adoptions do not count as elsewhere, even combined with adoptedBy.
    let body = ideas(json!({ "adoptedElsewhere": true, "adoptedBy": ["bibliotheek-zoetermeer"] })).await;
    assert_eq!(titles(&body), Vec::<String>::new());

    // A dropped adoption is not a take-up, as in adoptionCount.
    let dropped = app
        .graphql(
            "mutation($input: UpdateAdoptionInput!) { updateAdoption(input: $input) { adoption { status } } }",
            json!({ "input": { "id": adoption, "expectedVersion": 1, "status": "DROPPED" } }),
            Some(&app.editor("dbieb")),
        )
        .await;
    data(&dropped);
    assert_eq!(titles(&ideas(json!({ "adoptedElsewhere": true })).await), Vec::<String>::new());
    assert!(titles(&ideas(json!({ "adoptedElsewhere": false })).await).contains(&TAKEN_UP.to_string()));

    // Research done elsewhere: studies, and insights through their study, naming none of these.
    let studies = |filter: Value| {
        app.anon(
            "query($f: StudyFilterInput) { studies(filter: $f, first: 100) { nodes { title } } }",
            json!({ "f": filter }),
        )
    };
    let study_titles = |body: &Value| -> Vec<String> {
        data(body)["studies"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_string())
            .collect()
    };
    let everywhere = study_titles(&studies(json!({})).await);
    let elsewhere = study_titles(&studies(json!({ "excludingOrganisations": ["bibliotheek-lelystad"] })).await);
    assert!(everywhere.iter().any(|t| t.contains("Lelykracht")), "{everywhere:?}");
    assert!(!elsewhere.iter().any(|t| t.contains("Lelykracht") || t.contains("voorleesactiviteiten")), "{elsewhere:?}");
    assert!(elsewhere.iter().any(|t| t.contains("Ontmoeten door en voor ouderen")), "{elsewhere:?}");
    assert_eq!(everywhere.len(), elsewhere.len() + 2, "{everywhere:?} / {elsewhere:?}");
    let insights = app
        .anon(
            r#"{ insights(filter: { study: { excludingOrganisations: ["probiblio"] } }, first: 100) { nodes { study { title } } } }"#,
            json!({}),
        )
        .await;
    let from: Vec<&Value> =
        data(&insights)["insights"]["nodes"].as_array().unwrap().iter().map(|n| &n["study"]["title"]).collect();
    assert!(!from.is_empty() && from.iter().all(|t| *t != "Klantreis: Ontmoeten door en voor ouderen"), "{from:?}");
    // A target group takes in its narrower groups, never the broader ones: research about all
    // residents only when asked for as well.
    let seniors = study_titles(&studies(json!({ "targetGroups": ["SENIORS"] })).await);
    assert_eq!(seniors, ["Klantreis: Ontmoeten door en voor ouderen"]);
    let with_all = study_titles(&studies(json!({ "targetGroups": ["SENIORS", "ALL_RESIDENTS"] })).await);
    assert!(with_all.len() == 2 && with_all.iter().any(|t| t.contains("Lelykracht")), "{with_all:?}");
    let body = studies(json!({ "excludingOrganisations": ["nobody"] })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}
