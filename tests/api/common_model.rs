//! The common model: vocabularies, target groups, standard propositions and municipalities, and the
//! maintainers' changes to them.

use registry::identity::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app, spawn_empty_app};

const SP_FIELDS: &str = "id code nameNl nameEn descriptionNl descriptionEn status version retiredAt retirementNote \
    coreFunction { code } societalTasks { code } targetGroups { code }";

const TG_FIELDS: &str = "id code nameNl nameEn minAge maxAge version parent { code } children { code }";

/// A network maintainer's token without an organisation (the empty registry has none).
fn maintainer(app: &TestApp) -> String {
    app.token(Role::NetworkMaintainer, None)
}

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

/// The seeded common model.
fn common() -> Value {
    let path = format!("{}/seed/common_model.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("seed file")).expect("seed JSON")
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|v| v["code"].as_str().unwrap().to_string()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn with(base: &Value, changes: Value) -> Value {
    let mut v = base.clone();
    for (k, val) in changes.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

async fn mutate(app: &TestApp, token: &str, mutation: &str, input_type: &str, selection: &str, input: Value) -> Value {
    app.graphql(
        &format!("mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {selection} }} }}"),
        json!({ "input": input }),
        Some(token),
    )
    .await
}

async fn standard(app: &TestApp, code: &str) -> Value {
    let body = app
        .anon(
            &format!("query($c: String!) {{ standardProposition(code: $c) {{ {SP_FIELDS} }} }}"),
            json!({ "c": code }),
        )
        .await;
    data(&body)["standardProposition"].clone()
}

async fn standard_codes(app: &TestApp, filter: Value) -> Vec<String> {
    let body = app
        .anon(
            "query($f: StandardPropositionFilterInput) { standardPropositions(filter: $f) { code } }",
            json!({ "f": filter }),
        )
        .await;
    codes(&data(&body)["standardPropositions"])
}

async fn target_groups(app: &TestApp) -> Vec<Value> {
    let body = app.anon(&format!("query {{ targetGroups {{ {TG_FIELDS} }} }}"), json!({})).await;
    data(&body)["targetGroups"].as_array().unwrap().clone()
}

/// Checks the error names `field`; an inverted age range may name either bound.
fn assert_age_or_field(body: &Value, field: &str, case: &str) {
    let named = error_field(body);
    if field == "maxAge" || field == "minAge" {
        assert!(named == "minAge" || named == "maxAge", "{case}: {body}");
    } else {
        assert_eq!(named, field, "{case}: {body}");
    }
}

/// Broader groups come before narrower ones, and parents and children agree.
fn assert_broader_before_narrower(groups: &[Value]) {
    let order: Vec<&str> = groups.iter().map(|g| g["code"].as_str().unwrap()).collect();
    let position = |code: &str| order.iter().position(|c| *c == code).unwrap();
    for g in groups {
        let code = g["code"].as_str().unwrap();
        if let Some(parent) = g["parent"]["code"].as_str() {
            assert!(position(parent) < position(code), "{parent} must come before {code}: {order:?}");
            assert!(codes(&group(groups, parent)["children"]).contains(&code.to_string()), "{parent} lists {code}");
        }
    }
}

fn group<'a>(groups: &'a [Value], code: &str) -> &'a Value {
    groups.iter().find(|g| g["code"] == code).unwrap_or_else(|| panic!("no target group {code}"))
}

#[tokio::test]
async fn the_vocabularies_hold_five_core_functions_three_societal_tasks_and_a_target_group_tree() {
    let app = spawn_empty_app().await;
    let seed = common();
    let body = app
        .anon(
            "query { coreFunctions { code nameNl nameEn name(language: EN) version } societalTasks { code nameNl name } }",
            json!({}),
        )
        .await;
    let d = data(&body);
    assert_eq!(codes(&d["coreFunctions"]), codes(&seed["core_functions"]), "the law's five, in order");
    assert_eq!(d["coreFunctions"].as_array().unwrap().len(), 5);
    assert_eq!(codes(&d["societalTasks"]), codes(&seed["societal_tasks"]));
    assert_eq!(d["societalTasks"].as_array().unwrap().len(), 3);
    for cf in d["coreFunctions"].as_array().unwrap() {
        assert_eq!(cf["name"], cf["nameEn"], "{cf}");
        assert_eq!(cf["version"], 1);
    }
    for t in d["societalTasks"].as_array().unwrap() {
        assert_eq!(t["name"], t["nameNl"], "NL by default: {t}");
    }

    let groups = target_groups(&app).await;
    assert_eq!(
        sorted(groups.iter().map(|g| g["code"].as_str().unwrap().to_string()).collect()),
        sorted(codes(&seed["target_groups"]))
    );
    let seniors = group(&groups, "SENIORS");
    assert_eq!(seniors["parent"]["code"], "ADULTS");
    assert_eq!(codes(&seniors["children"]), ["SENIORS_LESS_SELF_RELIANT"]);
    assert_eq!(seniors["minAge"], 65);
    assert_eq!(seniors["maxAge"], Value::Null);
    assert_eq!(group(&groups, "YOUTH")["parent"], Value::Null);
    assert_eq!(sorted(codes(&group(&groups, "YOUTH")["children"])), ["YOUNG_PEOPLE", "YOUTH_0_4", "YOUTH_4_12"]);
    assert_broader_before_narrower(&groups);

    let body = app.anon("query { provinces { code name } }", json!({})).await;
    assert_eq!(data(&body)["provinces"].as_array().unwrap().len(), 12);
}

#[tokio::test]
async fn standard_propositions_filter_by_status_core_function_societal_task_and_target_group() {
    let app = spawn_empty_app().await;
    let seed = common();
    let seeded = |pred: &dyn Fn(&Value) -> bool| -> Vec<String> {
        sorted(
            seed["standard_propositions"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| pred(s))
                .map(|s| s["code"].as_str().unwrap().to_string())
                .collect(),
        )
    };
    let has = |s: &Value, key: &str, code: &str| s[key].as_array().unwrap().iter().any(|c| c == code);

    let all = standard_codes(&app, Value::Null).await;
    assert_eq!(all, seeded(&|_| true), "by code");
    assert_eq!(standard_codes(&app, json!({ "status": "ACTIVE" })).await, seeded(&|s| s["status"] == "ACTIVE"));
    assert_eq!(standard_codes(&app, json!({ "status": "RETIRED" })).await, seeded(&|s| s["status"] == "RETIRED"));
    assert_eq!(
        standard_codes(&app, json!({ "coreFunctions": ["MEETING_DEBATE", "KNOWLEDGE_INFORMATION"] })).await,
        seeded(&|s| s["core_function"] == "MEETING_DEBATE" || s["core_function"] == "KNOWLEDGE_INFORMATION")
    );
    assert_eq!(
        standard_codes(&app, json!({ "societalTasks": ["LEVEN_LANG_ONTWIKKELEN"] })).await,
        seeded(&|s| has(s, "societal_tasks", "LEVEN_LANG_ONTWIKKELEN"))
    );
    assert_eq!(
        standard_codes(&app, json!({ "targetGroups": ["SENIORS"] })).await,
        seeded(&|s| has(s, "target_groups", "SENIORS") || has(s, "target_groups", "SENIORS_LESS_SELF_RELIANT")),
        "a group finds the standards for its narrower groups too"
    );
    assert_eq!(
        standard_codes(&app, json!({ "targetGroups": ["SENIORS_LESS_SELF_RELIANT"] })).await,
        seeded(&|s| has(s, "target_groups", "SENIORS_LESS_SELF_RELIANT"))
    );
    assert_eq!(
        standard_codes(&app, json!({ "coreFunctions": ["READING_LITERATURE"], "targetGroups": ["CHILDCARE"] })).await,
        seeded(&|s| s["core_function"] == "READING_LITERATURE" && has(s, "target_groups", "CHILDCARE")),
        "fields combine with AND"
    );

    for (filter, field) in [
        (json!({ "coreFunctions": ["NOPE"] }), "filter.coreFunctions"),
        (json!({ "societalTasks": ["NOPE"] }), "filter.societalTasks"),
        (json!({ "targetGroups": ["NOPE"] }), "filter.targetGroups"),
    ] {
        let body = app
            .anon(
                "query($f: StandardPropositionFilterInput) { standardPropositions(filter: $f) { code } }",
                json!({ "f": filter }),
            )
            .await;
        assert_bad_input(&body, field);
    }

    let boekstart = standard(&app, "BOEKSTART").await;
    assert_eq!(boekstart["coreFunction"]["code"], "READING_LITERATURE");
    assert_eq!(codes(&boekstart["societalTasks"]), ["GELETTERDE_SAMENLEVING"]);
    assert_eq!(sorted(codes(&boekstart["targetGroups"])), ["PARENTS", "YOUTH_0_4"]);
    assert_eq!(boekstart["status"], "ACTIVE");
    assert_eq!(standard(&app, "boekstart").await["id"], boekstart["id"], "codes are case-insensitive");
    let body = app.anon(r#"query { standardProposition(code: "NO_SUCH_THING") { code } }"#, json!({})).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test]
async fn a_maintainer_creates_and_updates_a_standard_proposition() {
    let app = spawn_empty_app().await;
    let maintainer = maintainer(&app);
    let create = |input: Value| {
        let (app, maintainer) = (&app, &maintainer);
        async move {
            mutate(
                app,
                maintainer,
                "createStandardProposition",
                "CreateStandardPropositionInput",
                &format!("standardProposition {{ {SP_FIELDS} }}"),
                input,
            )
            .await
        }
    };
    let input = json!({
        "code": "MAKERSPACE",
        "labels": { "nameNl": "Makerspace", "nameEn": "Makerspace", "descriptionNl": "Maken en leren.", "descriptionEn": "Making and learning." },
        "coreFunctionCode": "DEVELOPMENT_EDUCATION",
        "societalTaskCodes": ["LEVEN_LANG_ONTWIKKELEN"],
        "targetGroupCodes": ["YOUNG_PEOPLE", "ADULTS"],
    });
    let before = standard_codes(&app, Value::Null).await;

    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("duplicate code", with(&input, json!({ "code": "BOEKSTART" })), "CONFLICT", ""),
        ("lower-case code", with(&input, json!({ "code": "makerspace" })), "BAD_USER_INPUT", "code"),
        ("code with a hyphen", with(&input, json!({ "code": "MAKER-SPACE" })), "BAD_USER_INPUT", "code"),
        ("code starting with a digit", with(&input, json!({ "code": "3D_PRINTING" })), "BAD_USER_INPUT", "code"),
        ("empty code", with(&input, json!({ "code": "" })), "BAD_USER_INPUT", "code"),
        ("no Dutch name", with(&input, json!({ "labels": { "nameEn": "Makerspace" } })), "BAD_USER_INPUT", "nameNl"),
        (
            "empty English name",
            with(&input, json!({ "labels": { "nameNl": "Makerspace", "nameEn": "" } })),
            "BAD_USER_INPUT",
            "nameEn",
        ),
        (
            "unknown core function",
            with(&input, json!({ "coreFunctionCode": "NOPE" })),
            "BAD_USER_INPUT",
            "coreFunctionCode",
        ),
        (
            "unknown societal task",
            with(&input, json!({ "societalTaskCodes": ["NOPE"] })),
            "BAD_USER_INPUT",
            "societalTaskCodes",
        ),
        (
            "unknown target group",
            with(&input, json!({ "targetGroupCodes": ["ADULTS", "NOPE"] })),
            "BAD_USER_INPUT",
            "targetGroupCodes",
        ),
    ];
    for (case, input, code, field) in cases {
        let body = create(input).await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), field, "{case}: {body}");
        }
    }
    assert_eq!(standard_codes(&app, Value::Null).await, before, "rejected creates write nothing");

    let body = create(input.clone()).await;
    let sp = data(&body)["createStandardProposition"]["standardProposition"].clone();
    assert_eq!(sp["code"], "MAKERSPACE", "{body}");
    assert_eq!(sp["status"], "ACTIVE");
    assert_eq!(sp["version"], 1);
    assert_eq!(sp["coreFunction"]["code"], "DEVELOPMENT_EDUCATION");
    assert_eq!(codes(&sp["societalTasks"]), ["LEVEN_LANG_ONTWIKKELEN"]);
    assert_eq!(sorted(codes(&sp["targetGroups"])), ["ADULTS", "YOUNG_PEOPLE"]);
    assert!(standard_codes(&app, Value::Null).await.contains(&"MAKERSPACE".to_string()));
    let body = create(input).await;
    assert_eq!(error_code(&body), "CONFLICT", "the code is taken now: {body}");

    // Update: only what is given changes.
    let update = |input: Value| {
        let (app, maintainer) = (&app, &maintainer);
        async move {
            mutate(
                app,
                maintainer,
                "updateStandardProposition",
                "UpdateStandardPropositionInput",
                &format!("standardProposition {{ {SP_FIELDS} }}"),
                input,
            )
            .await
        }
    };
    let body = update(json!({ "id": sp["id"], "expectedVersion": 1, "labels": { "nameEn": "Maker space" }, "targetGroupCodes": ["YOUTH"] })).await;
    let updated = data(&body)["updateStandardProposition"]["standardProposition"].clone();
    assert_eq!(updated["version"], 2, "{body}");
    assert_eq!(updated["nameEn"], "Maker space");
    assert_eq!(updated["nameNl"], "Makerspace", "absent labels stay");
    assert_eq!(updated["descriptionNl"], "Maken en leren.");
    assert_eq!(codes(&updated["targetGroups"]), ["YOUTH"]);
    assert_eq!(codes(&updated["societalTasks"]), ["LEVEN_LANG_ONTWIKKELEN"], "absent lists stay");
    assert_eq!(updated["coreFunction"]["code"], "DEVELOPMENT_EDUCATION");

    for (case, input, code, field) in [
        ("stale version", json!({ "expectedVersion": 1, "labels": { "nameEn": "Old" } }), "CONFLICT", ""),
        ("empty Dutch name", json!({ "expectedVersion": 2, "labels": { "nameNl": "" } }), "BAD_USER_INPUT", "nameNl"),
        (
            "unknown core function",
            json!({ "expectedVersion": 2, "coreFunctionCode": "NOPE" }),
            "BAD_USER_INPUT",
            "coreFunctionCode",
        ),
        (
            "unknown target group",
            json!({ "expectedVersion": 2, "targetGroupCodes": ["NOPE"] }),
            "BAD_USER_INPUT",
            "targetGroupCodes",
        ),
    ] {
        let body = update(with(&json!({ "id": sp["id"] }), input)).await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), field, "{case}: {body}");
        }
    }
    let now = standard(&app, "MAKERSPACE").await;
    assert_eq!(now["version"], 2, "refused updates write nothing: {now}");
    assert_eq!(now["nameEn"], "Maker space");

    let body = app
        .anon(
            r#"query { standardProposition(code: "MAKERSPACE") { history { nodes { action version actorRole changes { field before after } } } } }"#,
            json!({}),
        )
        .await;
    let nodes = data(&body)["standardProposition"]["history"]["nodes"].as_array().unwrap().clone();
    let actions: Vec<&str> = nodes.iter().map(|n| n["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["UPDATE", "CREATE"], "{body}");
    assert_eq!(nodes[0]["actorRole"], "NETWORK_MAINTAINER");
    let name = nodes[0]["changes"].as_array().unwrap().iter().find(|c| c["field"] == "nameEn").expect("nameEn changed");
    assert_eq!((&name["before"], &name["after"]), (&json!("Makerspace"), &json!("Maker space")));
}

#[tokio::test]
async fn retiring_a_standard_proposition_keeps_its_mappings_and_reports_how_many() {
    let app = spawn_app().await;
    let maintainer = app.maintainer();
    let demo: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/seed/demo_network.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let code = "HELPDESK_DIGITAL";
    let props = demo["propositions"].as_array().unwrap();
    let mapped = props.iter().filter(|p| p["standard_proposition"] == code).count();
    let published =
        props.iter().filter(|p| p["standard_proposition"] == code && p["publication_state"] == "PUBLISHED").count();
    assert!(mapped > published && published > 0, "the seed maps published and draft propositions onto {code}");

    let sp = standard(&app, code).await;
    let retire = |input: Value| {
        let (app, maintainer) = (&app, &maintainer);
        async move {
            mutate(
                app,
                maintainer,
                "retireStandardProposition",
                "RetireStandardPropositionInput",
                &format!("propositionsStillMapped message standardProposition {{ {SP_FIELDS} }}"),
                input,
            )
            .await
        }
    };
    let body = retire(json!({ "id": sp["id"], "expectedVersion": sp["version"].as_i64().unwrap() + 1 })).await;
    assert_eq!(error_code(&body), "CONFLICT", "stale version: {body}");
    let body =
        retire(json!({ "id": sp["id"], "expectedVersion": sp["version"], "note": "Opgegaan in Digisterker" })).await;
    let payload = data(&body)["retireStandardProposition"].clone();
    assert_eq!(payload["propositionsStillMapped"], mapped, "drafts count too: {body}");
    assert!(payload["message"].as_str().unwrap().contains(code), "{body}");
    let retired = &payload["standardProposition"];
    assert_eq!(retired["status"], "RETIRED");
    assert_eq!(retired["retirementNote"], "Opgegaan in Digisterker");
    assert!(retired["retiredAt"].is_string());
    assert_eq!(retired["version"], sp["version"].as_i64().unwrap() + 1);

    // The mapped propositions keep it.
    let body = app
        .anon(
            &format!(r#"query {{ standardProposition(code: "{code}") {{ status propositions(first: 50) {{ totalCount nodes {{ standardProposition {{ code status }} }} }} }} }}"#),
            json!({}),
        )
        .await;
    let list = &data(&body)["standardProposition"]["propositions"];
    assert_eq!(list["totalCount"], published, "{body}");
    for n in list["nodes"].as_array().unwrap() {
        assert_eq!(n["standardProposition"], json!({ "code": code, "status": "RETIRED" }));
    }
    assert!(standard_codes(&app, json!({ "status": "RETIRED" })).await.contains(&code.to_string()));
    assert!(!standard_codes(&app, json!({ "status": "ACTIVE" })).await.contains(&code.to_string()));

    // Retiring twice is a conflict, even with the current version.
    let body = retire(json!({ "id": sp["id"], "expectedVersion": retired["version"] })).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let history = app
        .anon(
            &format!(
                r#"query {{ standardProposition(code: "{code}") {{ version history {{ nodes {{ action }} }} }} }}"#
            ),
            json!({}),
        )
        .await;
    let sp_now = &data(&history)["standardProposition"];
    assert_eq!(sp_now["version"], retired["version"]);
    assert_eq!(sp_now["history"]["nodes"][0]["action"], "RETIRE", "{history}");

    // A standard nobody maps onto reports zero.
    let unused = standard(&app, "BOEKENWEEK").await;
    let body = retire(json!({ "id": unused["id"], "expectedVersion": unused["version"] })).await;
    assert_eq!(data(&body)["retireStandardProposition"]["propositionsStillMapped"], 0, "{body}");
}

#[tokio::test]
async fn a_maintainer_creates_and_updates_target_groups_without_cycles_or_inverted_ages() {
    let app = spawn_empty_app().await;
    let maintainer = maintainer(&app);
    let create = |input: Value| {
        let (app, maintainer) = (&app, &maintainer);
        async move {
            mutate(
                app,
                maintainer,
                "createTargetGroup",
                "CreateTargetGroupInput",
                &format!("targetGroup {{ {TG_FIELDS} }}"),
                input,
            )
            .await
        }
    };
    let update = |input: Value| {
        let (app, maintainer) = (&app, &maintainer);
        async move {
            mutate(
                app,
                maintainer,
                "updateTargetGroup",
                "UpdateTargetGroupInput",
                &format!("targetGroup {{ {TG_FIELDS} }}"),
                input,
            )
            .await
        }
    };
    let input = json!({
        "code": "OLDEST_SENIORS",
        "labels": { "nameNl": "Hoogbejaarden", "nameEn": "Oldest seniors" },
        "parentCode": "SENIORS",
        "minAge": 85,
        "maxAge": 120,
    });
    let before = target_groups(&app).await.len();
    for (case, input, code, field) in [
        ("min above max", with(&input, json!({ "minAge": 90, "maxAge": 80 })), "BAD_USER_INPUT", "maxAge"),
        ("negative age", with(&input, json!({ "minAge": -1 })), "BAD_USER_INPUT", "minAge"),
        ("unknown parent", with(&input, json!({ "parentCode": "NOPE" })), "BAD_USER_INPUT", "parentCode"),
        ("lower-case code", with(&input, json!({ "code": "oldest" })), "BAD_USER_INPUT", "code"),
        ("duplicate code", with(&input, json!({ "code": "SENIORS" })), "CONFLICT", ""),
    ] {
        let body = create(input).await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
        if !field.is_empty() {
            assert_age_or_field(&body, field, case);
        }
    }
    assert_eq!(target_groups(&app).await.len(), before, "rejected creates write nothing");

    let body = create(input).await;
    let tg = data(&body)["createTargetGroup"]["targetGroup"].clone();
    assert_eq!(tg["parent"]["code"], "SENIORS", "{body}");
    assert_eq!((&tg["minAge"], &tg["maxAge"], &tg["version"]), (&json!(85), &json!(120), &json!(1)));
    let groups = target_groups(&app).await;
    assert!(codes(&group(&groups, "SENIORS")["children"]).contains(&"OLDEST_SENIORS".to_string()));

    // Null clears, absent leaves.
    let body = update(
        json!({ "id": tg["id"], "expectedVersion": 1, "maxAge": null, "labels": { "nameEn": "The oldest seniors" } }),
    )
    .await;
    let updated = data(&body)["updateTargetGroup"]["targetGroup"].clone();
    assert_eq!(updated["version"], 2, "{body}");
    assert_eq!(updated["maxAge"], Value::Null);
    assert_eq!(updated["minAge"], 85);
    assert_eq!(updated["nameEn"], "The oldest seniors");
    assert_eq!(updated["nameNl"], "Hoogbejaarden");
    assert_eq!(updated["parent"]["code"], "SENIORS");

    // A cycle, or an age range inverted against the stored bound, is refused and writes nothing.
    let adults = group(&groups, "ADULTS").clone();
    let seniors = group(&groups, "SENIORS").clone();
    for (case, input, code, field) in [
        (
            "own parent",
            json!({ "id": tg["id"], "expectedVersion": 2, "parentCode": "OLDEST_SENIORS" }),
            "BAD_USER_INPUT",
            "parentCode",
        ),
        (
            "parent below itself",
            json!({ "id": adults["id"], "expectedVersion": adults["version"], "parentCode": "OLDEST_SENIORS" }),
            "BAD_USER_INPUT",
            "parentCode",
        ),
        (
            "max below the stored min",
            json!({ "id": seniors["id"], "expectedVersion": seniors["version"], "maxAge": 60 }),
            "BAD_USER_INPUT",
            "maxAge",
        ),
        ("stale version", json!({ "id": tg["id"], "expectedVersion": 1, "minAge": 80 }), "CONFLICT", ""),
        (
            "min above the stored max",
            json!({ "id": tg["id"], "expectedVersion": 2, "maxAge": 90, "minAge": 95 }),
            "BAD_USER_INPUT",
            "maxAge",
        ),
    ] {
        let body = update(input).await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
        if !field.is_empty() {
            assert_age_or_field(&body, field, case);
        }
    }
    let groups = target_groups(&app).await;
    assert_eq!(group(&groups, "ADULTS")["parent"], Value::Null);
    assert_eq!(group(&groups, "ADULTS")["version"], adults["version"]);
    assert_eq!(group(&groups, "SENIORS")["maxAge"], Value::Null);
    assert_eq!(group(&groups, "OLDEST_SENIORS")["version"], 2);

    // Moving it to the top level.
    let body = update(json!({ "id": tg["id"], "expectedVersion": 2, "parentCode": null })).await;
    assert_eq!(data(&body)["updateTargetGroup"]["targetGroup"]["parent"], Value::Null, "{body}");
    let groups = target_groups(&app).await;
    assert!(!codes(&group(&groups, "SENIORS")["children"]).contains(&"OLDEST_SENIORS".to_string()));
}

#[tokio::test]
async fn target_groups_stay_listed_broader_before_narrower_after_regrouping() {
    let app = spawn_empty_app().await;
    let maintainer = maintainer(&app);
    let body = mutate(
        &app,
        &maintainer,
        "createTargetGroup",
        "CreateTargetGroupInput",
        "targetGroup { code }",
        json!({ "code": "FAMILIES", "labels": { "nameNl": "Gezinnen", "nameEn": "Families" } }),
    )
    .await;
    assert_eq!(data(&body)["createTargetGroup"]["targetGroup"]["code"], "FAMILIES");
    let groups = target_groups(&app).await;
    assert_broader_before_narrower(&groups);

    // PARENTS, seeded long before FAMILIES, moves under it.
    let parents = group(&groups, "PARENTS").clone();
    let body = mutate(
        &app,
        &maintainer,
        "updateTargetGroup",
        "UpdateTargetGroupInput",
        "targetGroup { parent { code } }",
        json!({ "id": parents["id"], "expectedVersion": parents["version"], "parentCode": "FAMILIES" }),
    )
    .await;
    assert_eq!(data(&body)["updateTargetGroup"]["targetGroup"]["parent"]["code"], "FAMILIES", "{body}");
    assert_broader_before_narrower(&target_groups(&app).await);
}

#[tokio::test]
async fn a_maintainer_relabels_a_core_function() {
    let app = spawn_empty_app().await;
    let maintainer = maintainer(&app);
    let body = app.anon("query { coreFunctions { id code version nameNl nameEn descriptionNl } }", json!({})).await;
    let cf =
        data(&body)["coreFunctions"].as_array().unwrap().iter().find(|c| c["code"] == "ART_CULTURE").unwrap().clone();
    let selection = "coreFunction { id code version nameNl nameEn descriptionNl history { nodes { action changes { field before after } } } }";

    let body = mutate(
        &app,
        &maintainer,
        "updateCoreFunction",
        "UpdateLabelsInput",
        selection,
        json!({ "id": cf["id"], "expectedVersion": cf["version"], "labels": { "nameEn": "Art and culture education" } }),
    )
    .await;
    let updated = data(&body)["updateCoreFunction"]["coreFunction"].clone();
    assert_eq!(updated["nameEn"], "Art and culture education", "{body}");
    assert_eq!(updated["nameNl"], cf["nameNl"], "absent labels stay");
    assert_eq!(updated["descriptionNl"], cf["descriptionNl"]);
    assert_eq!(updated["code"], "ART_CULTURE");
    assert_eq!(updated["version"], cf["version"].as_i64().unwrap() + 1);
    let change = &updated["history"]["nodes"][0];
    assert_eq!(change["action"], "UPDATE", "{body}");
    assert_eq!(
        change["changes"],
        json!([{ "field": "nameEn", "before": cf["nameEn"], "after": "Art and culture education" }])
    );

    for (case, input, code) in [
        (
            "stale version",
            json!({ "id": cf["id"], "expectedVersion": cf["version"], "labels": { "nameEn": "x" } }),
            "CONFLICT",
        ),
        (
            "empty Dutch name",
            json!({ "id": cf["id"], "expectedVersion": updated["version"], "labels": { "nameNl": " " } }),
            "BAD_USER_INPUT",
        ),
        ("garbage id", json!({ "id": "garbage", "expectedVersion": 1, "labels": {} }), "BAD_USER_INPUT"),
    ] {
        let body =
            mutate(&app, &maintainer, "updateCoreFunction", "UpdateLabelsInput", "coreFunction { version }", input)
                .await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
    }
    let body = app.anon("query { coreFunctions { code version nameNl nameEn } }", json!({})).await;
    let now =
        data(&body)["coreFunctions"].as_array().unwrap().iter().find(|c| c["code"] == "ART_CULTURE").unwrap().clone();
    assert_eq!(now["version"], updated["version"], "refused changes write nothing");
    assert_eq!(now["nameEn"], "Art and culture education");
    assert_eq!(now["nameNl"], cf["nameNl"]);
}

async fn municipalities(app: &TestApp, province: Value) -> Vec<(String, String)> {
    let body = app
        .anon(
            "query($p: String) { municipalities(province: $p) { code name province { code } } }",
            json!({ "p": province }),
        )
        .await;
    data(&body)["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["code"].as_str().unwrap().to_string(), m["name"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn municipalities_list_by_province_and_a_maintainer_imports_the_cbs_list() {
    let app = spawn_empty_app().await;
    let maintainer = maintainer(&app);
    let seed = common();
    let flevoland: Vec<String> = sorted(
        seed["municipalities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["province"] == "PV24")
            .map(|m| m["code"].as_str().unwrap().to_string())
            .collect(),
    );
    let found = municipalities(&app, json!("PV24")).await;
    assert_eq!(sorted(found.iter().map(|(c, _)| c.clone()).collect()), flevoland);
    let names: Vec<&String> = found.iter().map(|(_, n)| n).collect();
    let mut by_name = names.clone();
    by_name.sort();
    assert_eq!(names, by_name, "by name");
    assert_eq!(municipalities(&app, json!("Flevoland")).await, found, "by code or name");
    assert_eq!(municipalities(&app, Value::Null).await.len(), seed["municipalities"].as_array().unwrap().len());
    let body = app.anon(r#"query { municipalities(province: "Atlantis") { code } }"#, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");

    let import = |csv: &str| {
        let (app, maintainer, csv) = (&app, &maintainer, csv.to_string());
        async move {
            app.graphql(
                "mutation($csv: String!) { importMunicipalities(csv: $csv) { created updated unchanged } }",
                json!({ "csv": csv }),
                Some(maintainer.as_str()),
            )
            .await
        }
    };
    let body = import("code,name,province\nGM0363,Amsterdam,PV27\nGM0637,Zoetermeer,PV28\nGM0518,Den Haag,Zuid-Holland\nGM0479,Zaanstad,Noord-Holland\n").await;
    assert_eq!(data(&body)["importMunicipalities"], json!({ "created": 2, "updated": 1, "unchanged": 1 }), "{body}");
    assert_eq!(
        municipalities(&app, json!("PV27")).await,
        [("GM0363".to_string(), "Amsterdam".to_string()), ("GM0479".to_string(), "Zaanstad".to_string())]
    );
    assert!(municipalities(&app, json!("PV28")).await.contains(&("GM0518".to_string(), "Den Haag".to_string())));
    // Importing the same list again changes nothing.
    let body = import("code,name,province\nGM0363,Amsterdam,PV27\n").await;
    assert_eq!(data(&body)["importMunicipalities"], json!({ "created": 0, "updated": 0, "unchanged": 1 }), "{body}");

    // One bad line rejects the whole file: nothing is written.
    let count = municipalities(&app, Value::Null).await.len();
    for bad in [
        "code,name,province\nGM0344,Utrecht,PV26\nGM03X5,Veenendaal,PV26\n",
        "code,name,province\nGM0344,Utrecht,PV26\nGM0345,Veenendaal,PV99\n",
        "code,name,province\nGM0344,Utrecht,PV26\nGM0345,,PV26\n",
        "code,name,province\nGM0344,Utrecht,PV26\nGM0344,Utrecht,PV26\n",
        "code,name,province\nGM0344,Utrecht,PV26\nGM0345,Veenendaal\n",
        "code,naam,provincie\nGM0344,Utrecht,PV26\n",
        "code,name,province\n",
    ] {
        let body = import(bad).await;
        assert_bad_input(&body, "csv");
        assert_eq!(municipalities(&app, json!("PV26")).await, Vec::<(String, String)>::new(), "{bad}");
    }
    assert_eq!(municipalities(&app, Value::Null).await.len(), count);
    let body = import("code,name,province\nGM0344,Utrecht,PV26\nGM0518,'s-Gravenhage,PV28\nGM9999,Kapot,PV99\n").await;
    assert_bad_input(&body, "csv");
    assert!(
        municipalities(&app, json!("PV28")).await.contains(&("GM0518".to_string(), "Den Haag".to_string())),
        "an update before the bad line is not written either"
    );
}

#[tokio::test]
async fn the_list_of_standard_propositions_pages_each_ones_propositions_like_a_single_one_does() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let nested = r#"query($f: PropositionFilterInput) { standardPropositions { code
        propositions(first: 2, filter: $f) { totalCount pageInfo { hasNextPage endCursor }
            edges { node { title organisation { slug } } } } } }"#;
    let single = r#"query($c: String!, $f: PropositionFilterInput) { standardProposition(code: $c) {
        propositions(first: 2, filter: $f) { totalCount pageInfo { hasNextPage endCursor }
            edges { node { title organisation { slug } } } } } }"#;
    for (token, filter) in [
        (None, json!(null)),
        (Some(editor.as_str()), json!({ "publicationStates": ["DRAFT", "PUBLISHED"] })),
        (None, json!({ "provinces": ["PV24"] })),
    ] {
        let body = app.graphql(nested, json!({ "f": filter }), token).await;
        let list = data(&body)["standardPropositions"].as_array().unwrap().clone();
        assert!(list.iter().any(|s| s["propositions"]["totalCount"].as_u64().unwrap() > 0), "{body}");
        for standard in list {
            let code = standard["code"].as_str().unwrap();
            let alone = app.graphql(single, json!({ "c": code, "f": filter }), token).await;
            assert_eq!(
                standard["propositions"],
                data(&alone)["standardProposition"]["propositions"],
                "{code} with {filter} as {token:?}"
            );
        }
    }
}
