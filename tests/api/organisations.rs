//! Organisations and branches: listing and filtering, maintainers' changes, editors' branches, history.

use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app};

const ORG_FIELDS: &str = "id slug name kind description website version province { code } \
    supportOrganisation { slug } municipalities { code } supportedLibraries { slug }";

const BRANCH_FIELDS: &str =
    "id name address postcode latitude longitude version municipality { code } organisation { slug }";

/// The demo network as seeded.
fn demo() -> Value {
    let path = format!("{}/seed/demo_network.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("seed file")).expect("seed JSON")
}

/// The sorted slugs of the seeded organisations that satisfy `pred`.
fn seeded(pred: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut slugs: Vec<String> = demo()["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| pred(o))
        .map(|o| o["slug"].as_str().unwrap().to_string())
        .collect();
    slugs.sort();
    slugs
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

/// The sorted slugs an organisation filter finds; checks `totalCount` agrees.
async fn slugs(app: &TestApp, filter: Value) -> Vec<String> {
    let body = app
        .anon(
            "query($f: OrganisationFilterInput) { organisations(filter: $f, first: 100) { totalCount nodes { slug } } }",
            json!({ "f": filter }),
        )
        .await;
    let list = &data(&body)["organisations"];
    let mut slugs: Vec<String> =
        list["nodes"].as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap().to_string()).collect();
    assert_eq!(list["totalCount"].as_u64().unwrap() as usize, slugs.len(), "{filter}: {body}");
    slugs.sort();
    slugs
}

async fn organisation(app: &TestApp, slug: &str) -> Value {
    let body = app
        .anon(&format!("query($s: String!) {{ organisation(slug: $s) {{ {ORG_FIELDS} }} }}"), json!({ "s": slug }))
        .await;
    data(&body)["organisation"].clone()
}

async fn create_organisation(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql(
        &format!(
            "mutation($input: CreateOrganisationInput!) {{ createOrganisation(input: $input) {{ organisation {{ {ORG_FIELDS} }} }} }}"
        ),
        json!({ "input": input }),
        Some(token),
    )
    .await
}

async fn update_organisation(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql(
        &format!(
            "mutation($input: UpdateOrganisationInput!) {{ updateOrganisation(input: $input) {{ organisation {{ {ORG_FIELDS} }} }} }}"
        ),
        json!({ "input": input }),
        Some(token),
    )
    .await
}

async fn organisation_count(app: &TestApp) -> u64 {
    let body = app.anon("query { organisations { totalCount } }", json!({})).await;
    data(&body)["organisations"]["totalCount"].as_u64().unwrap()
}

fn with(base: &Value, changes: Value) -> Value {
    let mut v = base.clone();
    for (k, val) in changes.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

#[tokio::test]
async fn organisations_filter_by_kind_province_municipality_support_organisation_and_name() {
    let app = spawn_app().await;
    let all = seeded(|_| true);
    assert_eq!(slugs(&app, json!({})).await, all);
    assert_eq!(slugs(&app, Value::Null).await, all);

    let libraries = seeded(|o| o["kind"] == "LIBRARY");
    assert_eq!(libraries.len(), 5);
    assert_eq!(slugs(&app, json!({ "kinds": ["LIBRARY"] })).await, libraries);
    assert_eq!(
        slugs(&app, json!({ "kinds": ["SUPPORT_ORGANISATION", "NATIONAL_BODY"] })).await,
        seeded(|o| o["kind"] == "SUPPORT_ORGANISATION" || o["kind"] == "NATIONAL_BODY")
    );

    let flevoland = seeded(|o| o["province"] == "PV24");
    assert!(flevoland.len() >= 3);
    assert_eq!(slugs(&app, json!({ "province": "PV24" })).await, flevoland);
    assert_eq!(slugs(&app, json!({ "province": "Flevoland" })).await, flevoland);
    assert_eq!(slugs(&app, json!({ "province": "Zeeland" })).await, Vec::<String>::new());

    let lelystad = seeded(|o| o["municipalities"].as_array().unwrap().iter().any(|m| m == "GM0995"));
    assert!(lelystad.contains(&"bibliotheek-lelystad".to_string()));
    assert_eq!(slugs(&app, json!({ "municipality": "GM0995" })).await, lelystad);
    assert_eq!(
        slugs(&app, json!({ "municipality": "GM0303", "kinds": ["LIBRARY"] })).await,
        ["bibliotheek-lelystad"],
        "filters combine"
    );

    assert_eq!(
        slugs(&app, json!({ "supportOrganisation": "bibliotheeknetwerk-flevoland" })).await,
        seeded(|o| o["support_organisation"] == "bibliotheeknetwerk-flevoland")
    );
    assert_eq!(slugs(&app, json!({ "supportOrganisation": "spn" })).await, Vec::<String>::new());

    let named = seeded(|o| o["name"].as_str().unwrap().to_lowercase().contains("bibliotheek"));
    assert!(named.len() >= 3);
    assert_eq!(slugs(&app, json!({ "nameContains": "BIBLIOTHEEK" })).await, named, "case-insensitive");
    assert_eq!(slugs(&app, json!({ "nameContains": "  bibliotheek " })).await, named, "trimmed");
    // Accents fold as case does, on both databases: fryslan finds Fryslân.
    let frisian = seeded(|o| o["name"].as_str().unwrap().contains("Fryslân"));
    assert!(frisian.len() >= 2, "{frisian:?}");
    for typed in ["fryslan", "FRYSLÂN", "Fryslân", "fryslân"] {
        assert_eq!(slugs(&app, json!({ "nameContains": typed })).await, frisian, "{typed}");
    }
    assert_eq!(slugs(&app, json!({ "municipality": "Lelystad" })).await, lelystad, "a municipality by name");
    assert_eq!(
        slugs(&app, json!({ "nameContains": "%" })).await,
        Vec::<String>::new(),
        "% is a character, not a wildcard"
    );
    assert_eq!(
        slugs(&app, json!({ "nameContains": "_" })).await,
        Vec::<String>::new(),
        "_ is a character, not a wildcard"
    );
    assert_eq!(
        slugs(&app, json!({ "nameContains": "lezen & s" })).await,
        ["stichting-lezen-en-schrijven"],
        "names with punctuation match literally"
    );

    // Unknown values are the caller's mistake.
    for (filter, field) in [
        (json!({ "province": "PV99" }), "filter.province"),
        (json!({ "municipality": "GM9999" }), "filter.municipality"),
        (json!({ "municipality": "Atlantis" }), "filter.municipality"),
        (json!({ "supportOrganisation": "no-such-poi" }), "filter.supportOrganisation"),
    ] {
        let body = app
            .anon(
                "query($f: OrganisationFilterInput) { organisations(filter: $f) { totalCount } }",
                json!({ "f": filter }),
            )
            .await;
        assert_bad_input(&body, field);
    }
}

#[tokio::test]
async fn organisations_page_by_name_and_an_unknown_slug_is_not_found() {
    let app = spawn_app().await;
    let total = organisation_count(&app).await as usize;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app
            .anon(
                "query($a: String) { organisations(first: 5, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { slug name } } }",
                json!({ "a": after }),
            )
            .await;
        let page = &data(&body)["organisations"];
        seen.extend(page["nodes"].as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap().to_string()));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
        assert!(seen.len() <= total, "the walk does not end");
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seeded(|_| true), "every organisation exactly once");
    assert_eq!(seen.len(), total);

    let body = app.anon(r#"query { organisation(slug: "no-such-library") { id } }"#, json!({})).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    let body = app.anon(r#"query { organisations(after: "nonsense") { totalCount } }"#, json!({})).await;
    assert_bad_input(&body, "after");

    let z = organisation(&app, "bibliotheek-zoetermeer").await;
    assert_eq!(z["kind"], "LIBRARY");
    assert_eq!(z["province"]["code"], "PV28");
    assert_eq!(z["supportOrganisation"]["slug"], "probiblio");
    assert_eq!(z["municipalities"], json!([{ "code": "GM0637" }]));
    let probiblio = organisation(&app, "probiblio").await;
    assert!(probiblio["supportedLibraries"].as_array().unwrap().iter().any(|l| l["slug"] == "bibliotheek-zoetermeer"));
}

#[tokio::test]
async fn a_maintainer_creates_an_organisation_and_bad_input_writes_nothing() {
    let app = spawn_app().await;
    let maintainer = app.maintainer();
    let probiblio = app.organisation_id("probiblio").await;
    let zoetermeer = app.organisation_id("bibliotheek-zoetermeer").await;
    let input = json!({
        "kind": "LIBRARY",
        "name": "Bibliotheek Den Haag",
        "slug": "bibliotheek-den-haag",
        "description": "De bibliotheek van de hofstad.",
        "website": "https://www.bibliotheekdenhaag.nl",
        "provinceCode": "Zuid-Holland",
        "supportOrganisationId": probiblio,
        "municipalityCodes": ["GM0518", "gm0518"],
    });
    let before = organisation_count(&app).await;

    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("duplicate slug", with(&input, json!({ "slug": "bibliotheek-zoetermeer" })), "CONFLICT", ""),
        ("upper-case slug", with(&input, json!({ "slug": "Bibliotheek-Den-Haag" })), "BAD_USER_INPUT", "slug"),
        ("slug with spaces", with(&input, json!({ "slug": "den haag" })), "BAD_USER_INPUT", "slug"),
        ("slug with a double hyphen", with(&input, json!({ "slug": "den--haag" })), "BAD_USER_INPUT", "slug"),
        ("slug ending in a hyphen", with(&input, json!({ "slug": "den-haag-" })), "BAD_USER_INPUT", "slug"),
        ("empty slug", with(&input, json!({ "slug": "" })), "BAD_USER_INPUT", "slug"),
        ("empty name", with(&input, json!({ "name": " " })), "BAD_USER_INPUT", "name"),
        (
            "website without scheme",
            with(&input, json!({ "website": "www.bibliotheekdenhaag.nl" })),
            "BAD_USER_INPUT",
            "website",
        ),
        ("mailto website", with(&input, json!({ "website": "mailto:info@example.nl" })), "BAD_USER_INPUT", "website"),
        ("unknown province", with(&input, json!({ "provinceCode": "PV99" })), "BAD_USER_INPUT", "provinceCode"),
        (
            "unknown municipality",
            with(&input, json!({ "municipalityCodes": ["GM9999"] })),
            "BAD_USER_INPUT",
            "municipalityCodes",
        ),
        (
            "support organisation is a library",
            with(&input, json!({ "supportOrganisationId": zoetermeer })),
            "BAD_USER_INPUT",
            "supportOrganisationId",
        ),
        (
            "a partner with a support organisation",
            with(&input, json!({ "kind": "PARTNER", "supportOrganisationId": probiblio })),
            "BAD_USER_INPUT",
            "supportOrganisationId",
        ),
        (
            "garbage support organisation id",
            with(&input, json!({ "supportOrganisationId": "garbage" })),
            "BAD_USER_INPUT",
            "supportOrganisationId",
        ),
    ];
    for (case, input, code, field) in cases {
        let body = create_organisation(&app, &maintainer, input).await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), field, "{case}: {body}");
        }
    }
    assert_eq!(organisation_count(&app).await, before, "rejected creates must write nothing");

    let body = create_organisation(&app, &maintainer, input).await;
    let org = &data(&body)["createOrganisation"]["organisation"];
    assert_eq!(org["slug"], "bibliotheek-den-haag", "{body}");
    assert_eq!(org["kind"], "LIBRARY");
    assert_eq!(org["version"], 1);
    assert_eq!(org["province"]["code"], "PV28");
    assert_eq!(org["supportOrganisation"]["slug"], "probiblio");
    assert_eq!(org["municipalities"], json!([{ "code": "GM0518" }]));
    assert_eq!(organisation_count(&app).await, before + 1);
    assert_eq!(organisation(&app, "bibliotheek-den-haag").await["id"], org["id"]);
    let probiblio = organisation(&app, "probiblio").await;
    assert!(probiblio["supportedLibraries"].as_array().unwrap().iter().any(|l| l["slug"] == "bibliotheek-den-haag"));

    // A second time, the slug is taken.
    let body = create_organisation(
        &app,
        &maintainer,
        json!({ "kind": "PARTNER", "name": "Ander", "slug": "bibliotheek-den-haag" }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(organisation_count(&app).await, before + 1);
}

#[tokio::test]
async fn a_maintainer_updates_an_organisation_with_versioning_and_history() {
    let app = spawn_app().await;
    let maintainer = app.maintainer();
    let current = organisation(&app, "welzijn-zoetermeer").await;
    let id = current["id"].as_str().unwrap().to_string();
    let v = current["version"].as_i64().unwrap();

    let body = update_organisation(
        &app,
        &maintainer,
        json!({ "id": id, "expectedVersion": v, "name": "Welzijn Zoetermeer e.o.", "website": "https://welzijn.example", "municipalityCodes": ["GM0637", "GM1926"] }),
    )
    .await;
    let org = data(&body)["updateOrganisation"]["organisation"].clone();
    assert_eq!(org["version"], v + 1, "{body}");
    assert_eq!(org["name"], "Welzijn Zoetermeer e.o.");
    assert_eq!(org["website"], "https://welzijn.example");
    let mut gms: Vec<&str> =
        org["municipalities"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap()).collect();
    gms.sort();
    assert_eq!(gms, ["GM0637", "GM1926"]);
    assert_eq!(org["slug"], "welzijn-zoetermeer", "absent fields stay");
    assert_eq!(org["kind"], "PARTNER");
    assert_eq!(org["province"]["code"], "PV28");

    // Null clears; absent leaves.
    let body = update_organisation(
        &app,
        &maintainer,
        json!({ "id": id, "expectedVersion": v + 1, "website": null, "provinceCode": null }),
    )
    .await;
    let org = data(&body)["updateOrganisation"]["organisation"].clone();
    assert_eq!(org["version"], v + 2, "{body}");
    assert_eq!(org["website"], Value::Null);
    assert_eq!(org["province"], Value::Null);
    assert_eq!(org["name"], "Welzijn Zoetermeer e.o.");
    assert_eq!(org["municipalities"].as_array().unwrap().len(), 2);

    // Refused changes write nothing.
    let library = app.organisation_id("bibliotheek-zoetermeer").await;
    let refused: Vec<(&str, Value, &str, &str)> = vec![
        ("stale version", json!({ "expectedVersion": v, "name": "Oud" }), "CONFLICT", ""),
        ("slug taken", json!({ "expectedVersion": v + 2, "slug": "bibliotheek-zoetermeer" }), "CONFLICT", ""),
        ("bad slug", json!({ "expectedVersion": v + 2, "slug": "Welzijn_Zoetermeer" }), "BAD_USER_INPUT", "slug"),
        ("bad website", json!({ "expectedVersion": v + 2, "website": "welzijn" }), "BAD_USER_INPUT", "website"),
        ("empty name", json!({ "expectedVersion": v + 2, "name": "" }), "BAD_USER_INPUT", "name"),
        (
            "unknown municipality",
            json!({ "expectedVersion": v + 2, "municipalityCodes": ["GM0000"] }),
            "BAD_USER_INPUT",
            "municipalityCodes",
        ),
        (
            "a library as support organisation of a library",
            json!({ "expectedVersion": v + 2, "kind": "LIBRARY", "supportOrganisationId": library }),
            "BAD_USER_INPUT",
            "supportOrganisationId",
        ),
    ];
    for (case, changes, code, field) in refused {
        let body = update_organisation(&app, &maintainer, with(&json!({ "id": id }), changes)).await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), field, "{case}: {body}");
        }
    }
    let org = organisation(&app, "welzijn-zoetermeer").await;
    assert_eq!(org["version"], v + 2, "refused updates write nothing: {org}");
    assert_eq!(org["kind"], "PARTNER");
    assert_eq!(org["name"], "Welzijn Zoetermeer e.o.");

    // A library's support organisation must be a support organisation.
    let z = organisation(&app, "bibliotheek-zoetermeer").await;
    let body = update_organisation(
        &app,
        &maintainer,
        json!({ "id": z["id"], "expectedVersion": z["version"], "supportOrganisationId": library }),
    )
    .await;
    assert_bad_input(&body, "supportOrganisationId");
    // A library with propositions stays a library; a support organisation with libraries stays one.
    let body = update_organisation(
        &app,
        &maintainer,
        json!({ "id": z["id"], "expectedVersion": z["version"], "kind": "PARTNER" }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let poi = organisation(&app, "probiblio").await;
    let body = update_organisation(
        &app,
        &maintainer,
        json!({ "id": poi["id"], "expectedVersion": poi["version"], "kind": "PARTNER" }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(organisation(&app, "probiblio").await["kind"], "SUPPORT_ORGANISATION");
    let cubiss = app.organisation_id("cubiss").await;
    let body = update_organisation(
        &app,
        &maintainer,
        json!({ "id": z["id"], "expectedVersion": z["version"], "supportOrganisationId": cubiss }),
    )
    .await;
    assert_eq!(data(&body)["updateOrganisation"]["organisation"]["supportOrganisation"]["slug"], "cubiss", "{body}");

    // The history: the two updates, newest first, after the seed's creation.
    let body = app
        .graphql(
            r#"query { organisation(slug: "welzijn-zoetermeer") { history { totalCount nodes {
                action version actorRole actorOrganisation { slug } changes { field before after } } } } }"#,
            json!({}),
            Some(&maintainer),
        )
        .await;
    let history = &data(&body)["organisation"]["history"];
    let nodes = history["nodes"].as_array().unwrap();
    let actions: Vec<&str> = nodes.iter().map(|n| n["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["UPDATE", "UPDATE", "CREATE"], "{body}");
    assert_eq!(history["totalCount"], 3);
    assert_eq!(nodes[0]["version"], v + 2);
    assert_eq!(nodes[0]["actorRole"], "NETWORK_MAINTAINER");
    assert_eq!(nodes[0]["actorOrganisation"]["slug"], "koninklijke-bibliotheek");
    let change = |n: &Value, field: &str| {
        n["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == field)
            .cloned()
            .unwrap_or_else(|| panic!("no {field} in {n}"))
    };
    let mut fields: Vec<&str> =
        nodes[0]["changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["provinceId", "website"], "{}", nodes[0]);
    assert_eq!(change(&nodes[0], "website")["before"], "https://welzijn.example");
    assert_eq!(change(&nodes[0], "website")["after"], Value::Null);
    let name = change(&nodes[1], "name");
    assert_eq!((&name["before"], &name["after"]), (&json!("Welzijn Zoetermeer"), &json!("Welzijn Zoetermeer e.o.")));
    assert_eq!(change(&nodes[1], "municipalityIds")["after"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_organisation_that_changes_its_slug_keeps_its_id() {
    let app = spawn_app().await;
    let maintainer = app.maintainer();
    let org = organisation(&app, "de-kubus").await;
    let body = update_organisation(
        &app,
        &maintainer,
        json!({ "id": org["id"], "expectedVersion": org["version"], "slug": "kubus-lelystad" }),
    )
    .await;
    assert_eq!(data(&body)["updateOrganisation"]["organisation"]["slug"], "kubus-lelystad", "{body}");
    assert_eq!(organisation(&app, "kubus-lelystad").await["id"], org["id"]);
    let body = app.anon(r#"query { organisation(slug: "de-kubus") { id } }"#, json!({})).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    // The old slug is free again.
    let body = create_organisation(
        &app,
        &maintainer,
        json!({ "kind": "PARTNER", "name": "De Kubus (nieuw)", "slug": "de-kubus" }),
    )
    .await;
    assert_eq!(data(&body)["createOrganisation"]["organisation"]["version"], 1, "{body}");
}

async fn branch_mutation(app: &TestApp, token: &str, mutation: &str, input_type: &str, input: Value) -> Value {
    let selection = if mutation == "deleteBranch" {
        "deletedBranchId".to_string()
    } else {
        format!("branch {{ {BRANCH_FIELDS} }}")
    };
    app.graphql(
        &format!("mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {selection} }} }}"),
        json!({ "input": input }),
        Some(token),
    )
    .await
}

async fn branches_of(app: &TestApp, slug: &str) -> Vec<Value> {
    let body = app
        .anon(
            &format!("query($s: String!) {{ organisation(slug: $s) {{ branches {{ {BRANCH_FIELDS} }} }} }}"),
            json!({ "s": slug }),
        )
        .await;
    data(&body)["organisation"]["branches"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_library_editor_creates_updates_and_deletes_its_branches() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let before = branches_of(&app, "bibliotheek-zoetermeer").await.len();
    let input = json!({
        "organisationId": org,
        "name": "Wijkbibliotheek Meerzicht",
        "address": "Meerzichtlaan 1",
        "postcode": "2713ab",
        "municipalityCode": "gm0637",
        "latitude": 52.05,
        "longitude": 4.47,
    });

    // Bad input names the field and writes nothing.
    let cases: Vec<(&str, Value, &str)> = vec![
        ("postcode too short", with(&input, json!({ "postcode": "2713" })), "postcode"),
        ("postcode starting with 0", with(&input, json!({ "postcode": "0713 AB" })), "postcode"),
        ("postcode with digits for letters", with(&input, json!({ "postcode": "2713 12" })), "postcode"),
        ("empty name", with(&input, json!({ "name": "" })), "name"),
        ("empty address", with(&input, json!({ "address": " " })), "address"),
        ("unknown municipality", with(&input, json!({ "municipalityCode": "GM9999" })), "municipalityCode"),
        ("latitude out of range", with(&input, json!({ "latitude": 95.0 })), "latitude"),
        ("latitude without longitude", with(&input, json!({ "longitude": null })), "longitude"),
    ];
    for (case, input, field) in cases {
        let body = branch_mutation(&app, &editor, "createBranch", "CreateBranchInput", input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{case}: {body}");
        assert_eq!(error_field(&body), field, "{case}: {body}");
    }
    assert_eq!(branches_of(&app, "bibliotheek-zoetermeer").await.len(), before);

    let body = branch_mutation(&app, &editor, "createBranch", "CreateBranchInput", input.clone()).await;
    let branch = data(&body)["createBranch"]["branch"].clone();
    assert_eq!(branch["postcode"], "2713 AB", "normalised: {body}");
    assert_eq!(branch["municipality"]["code"], "GM0637");
    assert_eq!(branch["organisation"]["slug"], "bibliotheek-zoetermeer");
    assert_eq!(branch["version"], 1);
    let id = branch["id"].as_str().unwrap().to_string();
    assert_eq!(branches_of(&app, "bibliotheek-zoetermeer").await.len(), before + 1);

    // A second branch with the same name is a conflict.
    let body = branch_mutation(&app, &editor, "createBranch", "CreateBranchInput", input.clone()).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    let body = branch_mutation(
        &app,
        &editor,
        "updateBranch",
        "UpdateBranchInput",
        json!({ "id": id, "expectedVersion": 1, "name": "Bibliotheek Meerzicht", "latitude": null, "longitude": null }),
    )
    .await;
    let updated = &data(&body)["updateBranch"]["branch"];
    assert_eq!(updated["version"], 2, "{body}");
    assert_eq!(updated["name"], "Bibliotheek Meerzicht");
    assert_eq!((&updated["latitude"], &updated["longitude"]), (&Value::Null, &Value::Null));
    assert_eq!(updated["postcode"], "2713 AB", "absent fields stay");
    assert_eq!(updated["address"], "Meerzichtlaan 1");

    for (case, changes, code) in [
        ("stale version", json!({ "expectedVersion": 1, "name": "Oud" }), "CONFLICT"),
        ("bad postcode", json!({ "expectedVersion": 2, "postcode": "ABCD 12" }), "BAD_USER_INPUT"),
        ("name of another branch", json!({ "expectedVersion": 2, "name": "Bibliotheek Forum" }), "CONFLICT"),
    ] {
        let body =
            branch_mutation(&app, &editor, "updateBranch", "UpdateBranchInput", with(&json!({ "id": id }), changes))
                .await;
        assert_eq!(error_code(&body), code, "{case}: {body}");
        if code == "BAD_USER_INPUT" {
            assert_eq!(error_field(&body), "postcode", "{case}: {body}");
        }
    }

    // The branch's history.
    let body = app
        .anon(
            "query($id: ID!) { node(id: $id) { ... on Branch { version history { nodes { action actorRole changes { field before after } } } } } }",
            json!({ "id": id }),
        )
        .await;
    let node = &data(&body)["node"];
    assert_eq!(node["version"], 2, "refused updates write nothing: {body}");
    let actions: Vec<&str> =
        node["history"]["nodes"].as_array().unwrap().iter().map(|n| n["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["UPDATE", "CREATE"], "{body}");
    assert_eq!(node["history"]["nodes"][0]["actorRole"], "LIBRARY_EDITOR");

    // Deleting: a stale version is a conflict; then it goes.
    let body =
        branch_mutation(&app, &editor, "deleteBranch", "DeleteBranchInput", json!({ "id": id, "expectedVersion": 1 }))
            .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let body =
        branch_mutation(&app, &editor, "deleteBranch", "DeleteBranchInput", json!({ "id": id, "expectedVersion": 2 }))
            .await;
    assert_eq!(data(&body)["deleteBranch"]["deletedBranchId"], id.as_str(), "{body}");
    assert_eq!(branches_of(&app, "bibliotheek-zoetermeer").await.len(), before);
    let body = app.anon("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    let body =
        branch_mutation(&app, &editor, "deleteBranch", "DeleteBranchInput", json!({ "id": id, "expectedVersion": 2 }))
            .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test]
async fn a_branch_where_a_proposition_runs_cannot_be_deleted() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let forum = branches_of(&app, "bibliotheek-zoetermeer")
        .await
        .into_iter()
        .find(|b| b["name"] == "Bibliotheek Forum")
        .expect("the seed has Bibliotheek Forum");
    let body = branch_mutation(
        &app,
        &editor,
        "deleteBranch",
        "DeleteBranchInput",
        json!({ "id": forum["id"], "expectedVersion": forum["version"] }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let after = branches_of(&app, "bibliotheek-zoetermeer").await;
    let still = after.iter().find(|b| b["name"] == "Bibliotheek Forum").expect("the branch is still there");
    assert_eq!(still["version"], forum["version"]);

    // Once no proposition runs there any more, it can go.
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let body = branch_mutation(
        &app,
        &editor,
        "createBranch",
        "CreateBranchInput",
        json!({ "organisationId": org, "name": "Pop-up", "address": "Markt 1", "postcode": "2711 AA", "municipalityCode": "GM0637" }),
    )
    .await;
    let popup = data(&body)["createBranch"]["branch"]["id"].as_str().unwrap().to_string();
    let body = app
        .graphql(
            "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id version } } }",
            json!({ "input": {
                "organisationId": org, "title": "Pop-up bieb", "summary": "Boeken op de markt.", "channel": "ON_SITE",
                "coreFunctionCode": "READING_LITERATURE", "branchIds": [popup],
            } }),
            Some(&editor),
        )
        .await;
    let p = data(&body)["createProposition"]["proposition"].clone();
    let body = branch_mutation(
        &app,
        &editor,
        "deleteBranch",
        "DeleteBranchInput",
        json!({ "id": popup, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let body = app
        .graphql(
            "mutation($input: UpdatePropositionInput!) { updateProposition(input: $input) { proposition { branches { id } } } }",
            json!({ "input": { "id": p["id"], "expectedVersion": p["version"], "branchIds": [] } }),
            Some(&editor),
        )
        .await;
    assert_eq!(data(&body)["updateProposition"]["proposition"]["branches"], json!([]));
    let body = branch_mutation(
        &app,
        &editor,
        "deleteBranch",
        "DeleteBranchInput",
        json!({ "id": popup, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(data(&body)["deleteBranch"]["deletedBranchId"], popup.as_str(), "{body}");
}

#[tokio::test]
async fn a_list_of_organisations_pages_each_ones_propositions_like_the_single_organisation_does() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let nested = r#"query($f: PropositionFilterInput) {
        organisations(first: 100, filter: { kinds: [LIBRARY] }) { edges { node { slug
            propositions(first: 2, filter: $f, orderBy: { field: TITLE, direction: DESC }) {
                totalCount pageInfo { hasNextPage endCursor } edges { node { title publicationState } } } } } } }"#;
    let single = r#"query($s: String!, $f: PropositionFilterInput) { organisation(slug: $s) {
            propositions(first: 2, filter: $f, orderBy: { field: TITLE, direction: DESC }) {
                totalCount pageInfo { hasNextPage endCursor } edges { node { title publicationState } } } } }"#;
    for (token, filter) in [
        (None, json!(null)),
        (Some(editor.as_str()), json!(null)),
        (Some(editor.as_str()), json!({ "publicationStates": ["DRAFT"] })),
        (None, json!({ "channels": ["ONLINE"] })),
    ] {
        let body = app.graphql(nested, json!({ "f": filter }), token).await;
        let edges = data(&body)["organisations"]["edges"].as_array().unwrap().clone();
        assert!(edges.len() >= 5, "{body}");
        for edge in edges {
            let slug = edge["node"]["slug"].as_str().unwrap();
            let alone = app.graphql(single, json!({ "s": slug, "f": filter }), token).await;
            assert_eq!(
                edge["node"]["propositions"],
                data(&alone)["organisation"]["propositions"],
                "{slug} with {filter} as {token:?}"
            );
        }
    }
    // The editor's own drafts appear in the nested list; nobody else's do.
    let body = app.graphql(nested, json!({ "f": { "publicationStates": ["DRAFT"] } }), Some(&editor)).await;
    for edge in data(&body)["organisations"]["edges"].as_array().unwrap() {
        let count = edge["node"]["propositions"]["totalCount"].as_u64().unwrap();
        if edge["node"]["slug"] == "bibliotheek-zoetermeer" {
            assert!(count >= 1, "{body}");
        } else {
            assert_eq!(count, 0, "{body}");
        }
    }
}
