//! The network view: who offers it (with gaps), coverage, comparison, national figures and
//! mapping help, on the demo network. Only published propositions count as an offer.

use serde_json::{Value, json};

use crate::helpers::{data, error_code, spawn_app};

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|v| v[field].as_str().unwrap_or_else(|| panic!("no {field} in {v}")).to_string())
        .collect()
}

const WHO_OFFERS: &str = r#"query($offering: OfferingInput!, $region: RegionInput) {
  whoOffers(offering: $offering, region: $region) {
    libraryCount municipalityCount
    providers {
      organisation { slug }
      propositions { title publicationState }
      branches { name }
      municipalities { name }
    }
    gaps { libraries { slug } municipalities { name } }
  }
}"#;

#[tokio::test]
async fn who_offers_in_a_province_names_providers_where_they_offer_it_and_the_gaps() {
    let app = spawn_app().await;
    let body = app
        .anon(
            WHO_OFFERS,
            json!({ "offering": { "standardProposition": "DIGISTERKER" }, "region": { "province": "PV24" } }),
        )
        .await;
    let w = &data(&body)["whoOffers"];
    assert_eq!(w["libraryCount"], 2, "{w}");
    assert_eq!(w["municipalityCount"], 6, "Flevoland has six municipalities: {w}");
    assert_eq!(
        names(&w["providers"].as_array().unwrap().iter().map(|p| p["organisation"].clone()).collect(), "slug"),
        ["bibliotheek-lelystad"]
    );
    let lelystad = &w["providers"][0];
    assert_eq!(names(&lelystad["propositions"], "title"), ["Digisterker in Lelystad en Dronten"]);
    // Offered at two named branches, so it reaches their two municipalities only.
    assert_eq!(
        names(&lelystad["branches"], "name"),
        ["FlevoMeer Bibliotheek Dronten", "FlevoMeer Bibliotheek Lelystad"]
    );
    assert_eq!(names(&lelystad["municipalities"], "name"), ["Dronten", "Lelystad"]);
    assert_eq!(names(&w["gaps"]["libraries"], "slug"), ["nieuwe-bibliotheek-almere"]);
    assert_eq!(names(&w["gaps"]["municipalities"], "name"), ["Almere", "Noordoostpolder", "Urk", "Zeewolde"]);
}

#[tokio::test]
async fn a_library_wide_offer_reaches_every_municipality_the_library_serves() {
    let app = spawn_app().await;
    // dbieb offers de Bibliotheek op school without naming branches.
    let body = app
        .anon(
            WHO_OFFERS,
            json!({ "offering": { "standardProposition": "DBOS_PO" }, "region": { "supportOrganisation": "bibliotheekservice-fryslan" } }),
        )
        .await;
    let w = &data(&body)["whoOffers"];
    assert_eq!(w["providers"].as_array().unwrap().len(), 1, "{w}");
    let dbieb = &w["providers"][0];
    assert_eq!(dbieb["organisation"]["slug"], "dbieb");
    assert_eq!(names(&dbieb["municipalities"], "name"), ["Leeuwarden", "Tytsjerksteradiel"]);
    assert!(!dbieb["branches"].as_array().unwrap().is_empty(), "all its branches in the region: {dbieb}");
    assert_eq!(w["gaps"]["municipalities"], json!([]));

    // One municipality, by a target group: Zoetermeer's offers for seniors (narrower groups included).
    let body = app
        .anon(
            WHO_OFFERS,
            json!({ "offering": { "standardProposition": "SENIOR_MEETING" }, "region": { "municipality": "GM0637" } }),
        )
        .await;
    let w = &data(&body)["whoOffers"];
    assert_eq!(w["libraryCount"], 1);
    // The draft strip card does not count as an offer, even for someone who may see it.
    assert_eq!(names(&w["providers"][0]["propositions"], "title"), ["Ontmoeten door en voor ouderen"]);
    let editor = app.editor("bibliotheek-zoetermeer");
    let body = app
        .graphql(
            WHO_OFFERS,
            json!({ "offering": { "standardProposition": "SENIOR_MEETING" }, "region": { "municipality": "GM0637" } }),
            Some(&editor),
        )
        .await;
    assert_eq!(
        names(&data(&body)["whoOffers"]["providers"][0]["propositions"], "title"),
        ["Ontmoeten door en voor ouderen"]
    );
}

#[tokio::test]
async fn who_offers_by_task_or_target_group_across_the_country_and_only_published_offers_count() {
    let app = spawn_app().await;
    // Lelystad's BoekStart in de kinderopvang is a draft: nobody offers it.
    let body = app.anon(WHO_OFFERS, json!({ "offering": { "standardProposition": "BOEKSTART_KINDEROPVANG" } })).await;
    let w = &data(&body)["whoOffers"];
    assert_eq!(w["providers"], json!([]));
    assert_eq!(w["gaps"]["libraries"].as_array().unwrap().len(), 5, "every demo library goes without: {w}");

    let body = app.anon(WHO_OFFERS, json!({ "offering": { "societalTask": "GELETTERDE_SAMENLEVING" } })).await;
    let w = &data(&body)["whoOffers"];
    assert_eq!(w["libraryCount"], 5);
    assert_eq!(w["providers"].as_array().unwrap().len(), 5, "every library has a Taalhuis: {w}");

    for offering in [json!({ "targetGroup": "NO_SUCH_GROUP" }), json!({ "coreFunction": "NOPE" })] {
        let body = app.anon(WHO_OFFERS, json!({ "offering": offering })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
}

#[tokio::test]
async fn who_offers_rejects_unknown_or_ambiguous_regions() {
    let app = spawn_app().await;
    let offering = json!({ "standardProposition": "TAALHUIS" });
    for region in [
        json!({ "province": "PV99" }),
        json!({ "municipality": "GM9999" }),
        json!({ "municipality": "Atlantis" }),
        json!({ "supportOrganisation": "bibliotheek-zoetermeer" }),
        json!({ "supportOrganisation": "nobody" }),
        json!({ "province": "PV28", "municipality": "GM0637" }),
    ] {
        let body = app.anon(WHO_OFFERS, json!({ "offering": offering, "region": region })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{region}: {body}");
    }
    let body = app.anon(WHO_OFFERS, json!({ "offering": { "standardProposition": "NOPE" } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn regions_are_named_as_people_name_them_and_a_near_miss_is_answered_with_the_closest() {
    let app = spawn_app().await;
    let offering = json!({ "standardProposition": "TAALHUIS" });
    let ask = |region: Value| app.anon(WHO_OFFERS, json!({ "offering": offering, "region": region }));
    let by_code = ask(json!({ "municipality": "GM0637" })).await;
    for name in ["Zoetermeer", "zoetermeer", "  ZOETERMEER "] {
        assert_eq!(data(&ask(json!({ "municipality": name })).await), data(&by_code), "{name}");
    }
    let friesland = ask(json!({ "province": "PV21" })).await;
    for name in ["Fryslân", "fryslan", "FRYSLAN"] {
        assert_eq!(data(&ask(json!({ "province": name })).await), data(&friesland), "{name}");
    }

    // A near miss names what was probably meant; a far one only says it is unknown.
    let body = ask(json!({ "municipality": "Zoetermer" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("did you mean Zoetermeer (GM0637)?"), "{message}");
    let body = ask(json!({ "province": "Zuid-Hollnd" })).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("did you mean Zuid-Holland (PV28)?"), "{body}");
    let body = ask(json!({ "municipality": "Atlantis" })).await;
    assert!(!body["errors"][0]["message"].as_str().unwrap().contains("did you mean"), "{body}");

    // Every municipality input takes names: the propositions filter, and a library's municipalities.
    let list = |m: &str| {
        app.anon(
            "query($m: [String!]) { propositions(filter: { municipalities: $m }, first: 100) { totalCount } }",
            json!({ "m": [m] }),
        )
    };
    assert_eq!(data(&list("Lelystad").await), data(&list("GM0995").await));
    let body = list("Lelystat").await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "filter.municipalities", "{body}");

    // An input names at most 400 municipalities, and a long unknown one is neither echoed whole nor
    // compared letter by letter with every name.
    let many: Vec<String> = (0..401).map(|i| format!("Gemeente {i}")).collect();
    let body = app
        .anon(
            "query($m: [String!]) { propositions(filter: { municipalities: $m }) { totalCount } }",
            json!({ "m": many }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let long = "zoetermeer".repeat(10_000);
    let body = list(&long).await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.len() < 300 && !message.contains("did you mean"), "{message}");
}

fn slugs_of(body: &Value, list: &str) -> Vec<String> {
    let w = &data(body)["whoOffers"];
    let items = if list == "providers" { &w["providers"] } else { &w["gaps"]["libraries"] };
    let mut slugs: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| if list == "providers" { &i["organisation"]["slug"] } else { &i["slug"] })
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    slugs.sort();
    slugs
}

#[tokio::test]
async fn who_offers_any_of_several_standard_propositions_or_a_combination_with_gaps_against_the_whole() {
    let app = spawn_app().await;
    let ask = |offering: Value, region: Value| app.anon(WHO_OFFERS, json!({ "offering": offering, "region": region }));
    // Digital skills in any form, in Flevoland: Lelystad runs Digisterker, Almere Klik & Tik.
    let flevoland = json!({ "province": "Flevoland" });
    let digisterker = ask(json!({ "standardProposition": "DIGISTERKER" }), flevoland.clone()).await;
    let klik = ask(json!({ "standardProposition": "KLIK_EN_TIK" }), flevoland.clone()).await;
    let any = ask(json!({ "anyStandardProposition": ["DIGISTERKER", "KLIK_EN_TIK"] }), flevoland.clone()).await;
    assert_eq!(slugs_of(&digisterker, "providers"), ["bibliotheek-lelystad"]);
    assert_eq!(slugs_of(&klik, "providers"), ["nieuwe-bibliotheek-almere"]);
    assert_eq!(slugs_of(&any, "providers"), ["bibliotheek-lelystad", "nieuwe-bibliotheek-almere"]);
    // A gap is a library offering none of them: Almere lacks Digisterker, but not digital skills.
    assert!(slugs_of(&digisterker, "gaps").contains(&"nieuwe-bibliotheek-almere".to_string()));
    assert!(slugs_of(&any, "gaps").is_empty(), "{any}");
    assert_eq!(data(&any)["whoOffers"]["libraryCount"], 2);

    // A meeting programme for seniors: a core function and a target group together.
    let meeting = json!({ "combination": { "coreFunctions": ["MEETING_DEBATE"], "targetGroups": ["SENIORS"] } });
    let body = ask(meeting, json!({ "province": "Zuid-Holland" })).await;
    assert_eq!(slugs_of(&body, "providers"), ["bibliotheek-zoetermeer"]);
    let titles = names(&data(&body)["whoOffers"]["providers"][0]["propositions"], "title");
    assert_eq!(titles, ["Ontmoeten door en voor ouderen"]);
    // Each list narrows: seniors' offer that is not about meeting is left out.
    let seniors = ask(json!({ "targetGroup": "SENIORS" }), json!({ "province": "Zuid-Holland" })).await;
    let all_for_seniors = names(&data(&seniors)["whoOffers"]["providers"][0]["propositions"], "title");
    assert!(all_for_seniors.len() > titles.len(), "{all_for_seniors:?}");

    for bad in [
        json!({ "combination": {} }),
        json!({ "anyStandardProposition": [] }),
        json!({ "anyStandardProposition": (0..51).map(|i| format!("X{i}")).collect::<Vec<_>>() }),
        json!({ "anyStandardProposition": ["DIGISTERKER", "NOPE"] }),
        json!({ "combination": { "targetGroups": ["NOPE"] } }),
    ] {
        let body = ask(bad.clone(), Value::Null).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{bad}: {body}");
    }
}

const COVERAGE: &str = r#"query($region: RegionInput, $columns: CoverageAxis) {
  coverage(region: $region, columns: $columns) {
    total
    columns { code name total libraries }
    rows { organisation { slug } total unplaced counts cells { column count propositionIds } }
  }
}"#;

#[tokio::test]
async fn the_national_coverage_matrix_has_consistent_row_and_column_totals() {
    let app = spawn_app().await;
    let body = app.anon(COVERAGE, json!({})).await;
    let c = &data(&body)["coverage"];
    let columns = c["columns"].as_array().unwrap();
    let rows = c["rows"].as_array().unwrap();
    assert_eq!(columns.len(), 19, "one column per standard proposition");
    let mut slugs = names(&rows.iter().map(|r| r["organisation"].clone()).collect(), "slug");
    slugs.sort();
    assert_eq!(
        slugs,
        ["bibliotheek-emmen", "bibliotheek-lelystad", "bibliotheek-zoetermeer", "dbieb", "nieuwe-bibliotheek-almere"]
    );
    let row = |slug: &str| rows.iter().find(|r| r["organisation"]["slug"] == slug).unwrap();
    // Zoetermeer: seven published mapped propositions; its draft and archived ones do not count.
    assert_eq!(row("bibliotheek-zoetermeer")["total"], 7);
    assert_eq!(row("bibliotheek-zoetermeer")["unplaced"], 0);
    assert_eq!(row("nieuwe-bibliotheek-almere")["total"], 6);
    assert_eq!(row("nieuwe-bibliotheek-almere")["unplaced"], 1, "the local tours for language learners");
    let taalhuis = columns.iter().position(|col| col["code"] == "TAALHUIS").unwrap();
    assert_eq!(columns[taalhuis]["total"], 5);
    assert_eq!(columns[taalhuis]["libraries"], 5);
    let mut sum_rows = 0;
    let mut sum_columns = vec![0; columns.len()];
    for r in rows {
        let counts: Vec<u64> = r["counts"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
        assert_eq!(counts.len(), columns.len());
        assert_eq!(counts.iter().sum::<u64>(), r["total"].as_u64().unwrap(), "{r}");
        for cell in r["cells"].as_array().unwrap() {
            let i = cell["column"].as_u64().unwrap() as usize;
            assert_eq!(cell["count"], counts[i]);
            assert_eq!(cell["propositionIds"].as_array().unwrap().len() as u64, counts[i]);
        }
        for (i, n) in counts.iter().enumerate() {
            sum_columns[i] += n;
        }
        sum_rows += r["total"].as_u64().unwrap();
    }
    assert_eq!(sum_rows, c["total"].as_u64().unwrap());
    for (i, col) in columns.iter().enumerate() {
        assert_eq!(col["total"].as_u64().unwrap(), sum_columns[i], "{col}");
    }
    // A cell's ids are the propositions themselves.
    let cell =
        &row("bibliotheek-zoetermeer")["cells"].as_array().unwrap().iter().find(|c| c["column"] == taalhuis).unwrap();
    let id = cell["propositionIds"][0].clone();
    let body = app
        .anon("query($id: ID!) { proposition(id: $id) { title standardProposition { code } } }", json!({ "id": id }))
        .await;
    assert_eq!(data(&body)["proposition"]["standardProposition"]["code"], "TAALHUIS");

    // A newly published proposition shows at once (the matrix is cached until something changes).
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let body = app
        .graphql(
            r#"mutation($input: CreatePropositionInput!) { createProposition(input: $input) { proposition { id version } } }"#,
            json!({ "input": { "organisationId": org, "title": "Taalcafé Oosterheem", "summary": "Nederlands oefenen.",
                "channel": "ON_SITE", "standardPropositionCode": "TAALHUIS" } }),
            Some(&editor),
        )
        .await;
    let p = data(&body)["createProposition"]["proposition"].clone();
    let body = app.anon(COVERAGE, json!({})).await;
    assert_eq!(data(&body)["coverage"]["columns"][taalhuis]["total"], 5, "a draft does not count");
    let body = app
        .graphql(
            r#"mutation($input: PropositionStateInput!) { publishProposition(input: $input) { proposition { id } } }"#,
            json!({ "input": { "id": p["id"], "expectedVersion": p["version"] } }),
            Some(&editor),
        )
        .await;
    data(&body);
    let body = app.anon(COVERAGE, json!({})).await;
    assert_eq!(data(&body)["coverage"]["columns"][taalhuis]["total"], 6);
}

#[tokio::test]
async fn coverage_by_task_or_function_for_a_region() {
    let app = spawn_app().await;
    let body = app.anon(COVERAGE, json!({ "region": { "province": "Flevoland" }, "columns": "SOCIETAL_TASK" })).await;
    let c = &data(&body)["coverage"];
    assert_eq!(c["columns"].as_array().unwrap().len(), 3);
    let rows = c["rows"].as_array().unwrap();
    let mut slugs = names(&rows.iter().map(|r| r["organisation"].clone()).collect(), "slug");
    slugs.sort();
    assert_eq!(slugs, ["bibliotheek-lelystad", "nieuwe-bibliotheek-almere"]);
    let body = app.anon(COVERAGE, json!({ "columns": "CORE_FUNCTION" })).await;
    let c = &data(&body)["coverage"];
    assert_eq!(c["columns"].as_array().unwrap().len(), 5);
    // Every published proposition has a core function, so nothing is left unplaced.
    for r in c["rows"].as_array().unwrap() {
        assert_eq!(r["unplaced"], 0, "{r}");
    }
    let body = app.anon(COVERAGE, json!({ "region": { "province": "Atlantis" } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

const COMPARE: &str = r#"query($orgs: [String!]!) {
  compare(organisations: $orgs) {
    organisations { slug }
    groups {
      societalTask { code }
      rows {
        standardProposition { code }
        offeredBy { slug }
        onlyOfferedBy { slug }
        offers { organisation { slug } offers propositions { title evidence { studies { title } } } }
      }
    }
  }
}"#;

fn rows_of(compare: &Value) -> Vec<Value> {
    compare["groups"].as_array().unwrap().iter().flat_map(|g| g["rows"].as_array().unwrap().clone()).collect()
}

#[tokio::test]
async fn compare_puts_organisations_side_by_side_with_what_only_one_offers_and_its_evidence() {
    let app = spawn_app().await;
    let body = app.anon(COMPARE, json!({ "orgs": ["bibliotheek-zoetermeer", "nieuwe-bibliotheek-almere"] })).await;
    let c = &data(&body)["compare"];
    assert_eq!(names(&c["organisations"], "slug"), ["bibliotheek-zoetermeer", "nieuwe-bibliotheek-almere"]);
    let rows = rows_of(c);
    let row = |code: Option<&str>| {
        rows.iter()
            .find(|r| match code {
                Some(code) => r["standardProposition"]["code"] == code,
                None => r["standardProposition"].is_null(),
            })
            .unwrap_or_else(|| panic!("no row {code:?} in {c}"))
    };
    let boekstart = row(Some("BOEKSTART"));
    assert_eq!(names(&boekstart["offeredBy"], "slug"), ["bibliotheek-zoetermeer", "nieuwe-bibliotheek-almere"]);
    assert!(boekstart["onlyOfferedBy"].is_null());
    let voorleesdagen = row(Some("NATIONALE_VOORLEESDAGEN"));
    assert_eq!(voorleesdagen["onlyOfferedBy"]["slug"], "nieuwe-bibliotheek-almere");
    assert_eq!(voorleesdagen["offers"][0]["offers"], false);
    assert_eq!(voorleesdagen["offers"][0]["propositions"], json!([]));
    let senior = row(Some("SENIOR_MEETING"));
    assert_eq!(senior["onlyOfferedBy"]["slug"], "bibliotheek-zoetermeer");
    // Published only: the draft strip card is not compared.
    assert_eq!(names(&senior["offers"][0]["propositions"], "title"), ["Ontmoeten door en voor ouderen"]);
    assert_eq!(
        names(&senior["offers"][0]["propositions"][0]["evidence"]["studies"], "title"),
        ["Klantreis: Ontmoeten door en voor ouderen"]
    );
    // Almere's local tours appear in a local row.
    let local = row(None);
    assert_eq!(names(&local["offers"][1]["propositions"], "title"), ["Rondleidingen voor taalleerders"]);
    // A standard proposition appears under every task it contributes to: the Taalhuis twice.
    let under = |code: &str| -> Vec<String> {
        c["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["rows"].as_array().unwrap().iter().any(|r| r["standardProposition"]["code"] == code))
            .map(|g| g["societalTask"]["code"].as_str().unwrap_or("none").to_string())
            .collect()
    };
    assert_eq!(under("TAALHUIS"), ["GELETTERDE_SAMENLEVING", "LEVEN_LANG_ONTWIKKELEN"], "{c}");
    assert_eq!(under("BOEKSTART").len(), 1, "{c}");
}

const COMPARE_FILTERED: &str = r#"query($orgs: [String!]!, $filter: CompareFilterInput) {
  compare(organisations: $orgs, filter: $filter) {
    groups {
      societalTask { code }
      rows { standardProposition { code } offeredBy { slug } offers { propositions { id title } } }
    }
  }
}"#;

/// Per societal task (or "none"), the ids of the propositions a comparison files under it.
fn filed(body: &Value) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut by_task = std::collections::BTreeMap::new();
    for g in data(body)["compare"]["groups"].as_array().unwrap() {
        let task = g["societalTask"]["code"].as_str().unwrap_or("none").to_string();
        let ids: &mut Vec<String> = by_task.entry(task).or_default();
        for r in g["rows"].as_array().unwrap() {
            for o in r["offers"].as_array().unwrap() {
                ids.extend(names(&o["propositions"], "id"));
            }
        }
        ids.sort();
    }
    by_task
}

#[tokio::test]
async fn compare_files_a_proposition_under_every_task_as_the_proposition_list_does_and_narrows_by_filter() {
    let app = spawn_app().await;
    let orgs = json!(["bibliotheek-zoetermeer", "dbieb"]);
    let all = app.anon(COMPARE_FILTERED, json!({ "orgs": orgs })).await;
    let by_task = filed(&all);
    // Every view agrees on what belongs to a task: the proposition list filtered on the same task.
    for (task, ids) in &by_task {
        if task == "none" {
            continue;
        }
        let list = app
            .anon(
                "query($f: PropositionFilterInput) { propositions(filter: $f, first: 100) { nodes { id } } }",
                json!({ "f": { "organisationSlugs": orgs, "societalTasks": [task], "publicationStates": ["PUBLISHED"] } }),
            )
            .await;
        let mut listed = names(&data(&list)["propositions"]["nodes"], "id");
        listed.sort();
        assert_eq!(ids, &listed, "{task}");
    }

    // Asked about lifelong development: that group only, and both run a Taalhuis there.
    let body = app
        .anon(COMPARE_FILTERED, json!({ "orgs": orgs, "filter": { "societalTasks": ["LEVEN_LANG_ONTWIKKELEN"] } }))
        .await;
    let groups = data(&body)["compare"]["groups"].as_array().unwrap().clone();
    assert_eq!(groups.len(), 1, "{body}");
    assert_eq!(groups[0]["societalTask"]["code"], "LEVEN_LANG_ONTWIKKELEN");
    let taalhuis = groups[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["standardProposition"]["code"] == "TAALHUIS")
        .unwrap_or_else(|| panic!("no Taalhuis under lifelong development: {body}"));
    assert_eq!(names(&taalhuis["offeredBy"], "slug"), ["bibliotheek-zoetermeer", "dbieb"]);
    assert_eq!(filed(&body)["LEVEN_LANG_ONTWIKKELEN"], by_task["LEVEN_LANG_ONTWIKKELEN"]);

    // A target group (narrower ones included) and a core function narrow the rows.
    let body = app.anon(COMPARE_FILTERED, json!({ "orgs": orgs, "filter": { "targetGroups": ["SENIORS"] } })).await;
    let rows = rows_of(&data(&body)["compare"]);
    assert!(rows.iter().any(|r| r["standardProposition"]["code"] == "SENIOR_MEETING"), "{body}");
    assert!(!rows.iter().any(|r| r["standardProposition"]["code"] == "BOEKSTART"), "{body}");
    let body = app
        .anon(COMPARE_FILTERED, json!({ "orgs": orgs, "filter": { "coreFunctions": ["DEVELOPMENT_EDUCATION"] } }))
        .await;
    let rows = rows_of(&data(&body)["compare"]);
    assert!(rows.iter().any(|r| r["standardProposition"]["code"] == "TAALHUIS"), "{body}");
    assert!(!rows.iter().any(|r| r["standardProposition"]["code"] == "SENIOR_MEETING"), "{body}");

    for filter in [json!({ "societalTasks": ["NOPE"] }), json!({ "targetGroups": ["NOPE"] })] {
        let body = app.anon(COMPARE_FILTERED, json!({ "orgs": orgs, "filter": filter })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{filter}: {body}");
    }
}

#[tokio::test]
async fn compare_shows_evidence_only_to_those_who_may_see_the_study() {
    let app = spawn_app().await;
    let query = COMPARE;
    let vars = json!({ "orgs": ["bibliotheek-emmen", "dbieb"] });
    let evidence_of = |body: &Value| -> Vec<String> {
        rows_of(&data(body)["compare"])
            .iter()
            .flat_map(|r| r["offers"][0]["propositions"].as_array().unwrap().clone())
            .filter(|p| p["title"] == "Programma's met en door inwoners")
            .flat_map(|p| names(&p["evidence"]["studies"], "title"))
            .collect()
    };
    assert_eq!(evidence_of(&app.anon(query, vars.clone()).await), Vec::<String>::new(), "the Emmen study is private");
    let emmen = app.editor("bibliotheek-emmen");
    assert_eq!(
        evidence_of(&app.graphql(query, vars.clone(), Some(&emmen)).await),
        ["Klantgesprekken in de Bredebieb Academy Emmen"]
    );
    let other = app.editor("dbieb");
    assert_eq!(evidence_of(&app.graphql(query, vars, Some(&other)).await), Vec::<String>::new());
}

#[tokio::test]
async fn compare_takes_two_to_ten_known_organisations() {
    let app = spawn_app().await;
    for orgs in [
        json!(["bibliotheek-zoetermeer"]),
        json!(["bibliotheek-zoetermeer", "bibliotheek-zoetermeer"]),
        json!(["bibliotheek-zoetermeer", "no-such-library"]),
        json!((0..11).map(|i| format!("org-{i}")).collect::<Vec<_>>()),
    ] {
        let body = app.anon(COMPARE, json!({ "orgs": orgs })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{orgs}: {body}");
    }
}

const FIGURES: &str = r#"query($filter: PropositionFilterInput) {
  networkFigures(filter: $filter) {
    total
    organisationCount
    byStandardProposition { key label count }
    bySocietalTask { key count }
    byCoreFunction { key count }
    byTargetGroup { key count }
    byChannel { key count }
    byLifecycle { key count }
    byProvince { key label count }
    bySupportOrganisation { key label count }
  }
}"#;

fn count_of(buckets: &Value, key: &str) -> u64 {
    buckets.as_array().unwrap().iter().find(|b| b["key"] == key).map(|b| b["count"].as_u64().unwrap()).unwrap_or(0)
}

fn sum(buckets: &Value) -> u64 {
    buckets.as_array().unwrap().iter().map(|b| b["count"].as_u64().unwrap()).sum()
}

#[tokio::test]
async fn national_figures_count_published_propositions_along_every_dimension() {
    let app = spawn_app().await;
    let body = app.anon(FIGURES, json!({})).await;
    let f = &data(&body)["networkFigures"];
    assert_eq!(f["total"], 34, "published propositions of the demo network: {f}");
    for list in
        ["byStandardProposition", "byCoreFunction", "byChannel", "byLifecycle", "byProvince", "bySupportOrganisation"]
    {
        assert_eq!(sum(&f[list]), 34, "{list} adds up: {}", f[list]);
    }
    assert_eq!(count_of(&f["byStandardProposition"], "TAALHUIS"), 5);
    assert_eq!(count_of(&f["byStandardProposition"], "LOCAL"), 9);
    assert_eq!(f["organisationCount"], 5, "the libraries publishing anything");
    assert_eq!(count_of(&f["byProvince"], "PV24"), 14);
    assert_eq!(count_of(&f["bySupportOrganisation"], "probiblio"), 7);
    assert!(sum(&f["bySocietalTask"]) >= 25, "a proposition may serve several tasks: {}", f["bySocietalTask"]);
    // Largest first.
    let counts: Vec<u64> =
        f["byStandardProposition"].as_array().unwrap().iter().map(|b| b["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    // A draft never counts, even for its own editor.
    let editor = app.editor("bibliotheek-zoetermeer");
    let body = app
        .graphql(FIGURES, json!({ "filter": { "organisationSlugs": ["bibliotheek-zoetermeer"] } }), Some(&editor))
        .await;
    assert_eq!(data(&body)["networkFigures"]["total"], 7);
    let body = app.anon(FIGURES, json!({ "filter": { "provinces": ["PV24"], "channels": ["ON_SITE"] } })).await;
    let f = &data(&body)["networkFigures"];
    assert_eq!(sum(&f["byProvince"]), f["total"].as_u64().unwrap());
    assert!(f["total"].as_u64().unwrap() <= 14);
    let body = app.anon(FIGURES, json!({ "filter": { "standardPropositions": ["NOPE"] } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn figures_count_the_libraries_offering_something_beside_its_propositions() {
    let app = spawn_app().await;
    let query = r#"query($filter: PropositionFilterInput) {
      networkFigures(filter: $filter) {
        total organisationCount
        byStandardProposition { key propositionCount organisationCount count }
        bySocietalTask { key propositionCount organisationCount }
        byTargetGroup { key propositionCount organisationCount }
        byChannel { key propositionCount organisationCount }
        byProvince { key propositionCount organisationCount }
      }
    }"#;
    let body = app.anon(query, json!({})).await;
    let f = &data(&body)["networkFigures"];
    let bucket = |list: &str, key: &str| -> (u64, u64) {
        let b = f[list].as_array().unwrap().iter().find(|b| b["key"] == key).unwrap_or_else(|| panic!("{key}: {f}"));
        (b["propositionCount"].as_u64().unwrap(), b["organisationCount"].as_u64().unwrap())
    };
    // Nine local propositions, of four libraries (Emmen and dbieb three each, Lelystad two).
    assert_eq!(bucket("byStandardProposition", "LOCAL"), (9, 4));
    assert_eq!(bucket("byStandardProposition", "TAALHUIS"), (5, 5));
    // Flevoland: Almere and Lelystad.
    assert_eq!(bucket("byProvince", "PV24").1, 2);
    for list in ["byStandardProposition", "bySocietalTask", "byTargetGroup", "byChannel", "byProvince"] {
        for b in f[list].as_array().unwrap() {
            let (p, o) = (b["propositionCount"].as_u64().unwrap(), b["organisationCount"].as_u64().unwrap());
            assert!(o >= 1 && o <= p && o <= 5, "{list}: {b}");
        }
    }
    assert_eq!(f["byStandardProposition"][0]["count"], f["byStandardProposition"][0]["propositionCount"]);

    // Narrowed to one library: every bucket names one organisation.
    let body = app.anon(query, json!({ "filter": { "organisationSlugs": ["dbieb"] } })).await;
    let f = &data(&body)["networkFigures"];
    assert_eq!(f["organisationCount"], 1);
    assert!(f["bySocietalTask"].as_array().unwrap().iter().all(|b| b["organisationCount"] == 1), "{f}");
}

const MAPPING: &str = r#"query($filter: PropositionFilterInput, $first: Int, $after: String) {
  mappingSuggestions(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { proposition { title publicationState } candidates { standardProposition { code } score sharedTerms } }
  }
}"#;

#[tokio::test]
async fn mapping_suggestions_name_the_standard_propositions_a_local_one_resembles() {
    let app = spawn_app().await;
    let body = app.anon(MAPPING, json!({ "first": 100 })).await;
    let m = &data(&body)["mappingSuggestions"];
    assert_eq!(m["totalCount"], 9, "the published local propositions: {m}");
    let nodes = m["nodes"].as_array().unwrap();
    let of =
        |title: &str| nodes.iter().find(|n| n["proposition"]["title"] == title).unwrap_or_else(|| panic!("{title}"));
    let tax = of("Hulp bij belastingaangifte en AOW-aanvraag");
    assert_eq!(tax["candidates"][0]["standardProposition"]["code"], "IDO", "{tax}");
    let school = of("Cultuuronderwijs op de basisschool");
    assert_eq!(school["candidates"][0]["standardProposition"]["code"], "DBOS_PO", "{school}");
    assert!(school["candidates"][0]["sharedTerms"].as_array().unwrap().contains(&json!("basisschool")), "{school}");
    for n in nodes {
        let scores: Vec<f64> =
            n["candidates"].as_array().unwrap().iter().map(|c| c["score"].as_f64().unwrap()).collect();
        assert!(scores.len() <= 3 && scores.windows(2).all(|w| w[0] >= w[1]), "{n}");
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    }
    // Paging, and an editor also sees the library's own unpublished local propositions.
    let body = app.anon(MAPPING, json!({ "first": 4 })).await;
    let page = &data(&body)["mappingSuggestions"];
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let body = app.anon(MAPPING, json!({ "first": 100, "after": page["pageInfo"]["endCursor"] })).await;
    assert_eq!(data(&body)["mappingSuggestions"]["nodes"].as_array().unwrap().len(), 5);
    let editor = app.editor("dbieb");
    let body = app.graphql(MAPPING, json!({ "filter": { "organisationSlugs": ["dbieb"] } }), Some(&editor)).await;
    let titles: Vec<String> = data(&body)["mappingSuggestions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["proposition"]["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.contains(&"Programmeren op wijkniveau".to_string()), "{titles:?}");
    let body = app.anon(MAPPING, json!({ "filter": { "organisationSlugs": ["dbieb"] } })).await;
    assert_eq!(data(&body)["mappingSuggestions"]["totalCount"], 3);
}

const ONE_MAPPING: &str = r#"query($id: ID!) {
  mappingSuggestion(propositionId: $id) {
    proposition { title viewerCanEdit }
    candidates { standardProposition { code } score sharedTerms }
  }
}"#;

#[tokio::test]
async fn one_propositions_mapping_suggestion_is_shown_to_whoever_may_see_it_and_says_who_may_edit_it() {
    let app = spawn_app().await;
    let query =
        r#"query { mappingSuggestions(first: 100) { nodes { proposition { id title organisation { slug } } } } }"#;
    let body = app.anon(query, json!({})).await;
    let nodes = data(&body)["mappingSuggestions"]["nodes"].as_array().unwrap().clone();
    let school = nodes
        .iter()
        .find(|n| n["proposition"]["title"] == "Cultuuronderwijs op de basisschool")
        .expect("a published local proposition");
    let id = school["proposition"]["id"].as_str().unwrap().to_string();
    let library = school["proposition"]["organisation"]["slug"].as_str().unwrap().to_string();

    let body = app.anon(ONE_MAPPING, json!({ "id": id })).await;
    let m = &data(&body)["mappingSuggestion"];
    assert_eq!(m["proposition"]["viewerCanEdit"], false, "a visitor edits nothing: {m}");
    let candidates = m["candidates"].as_array().unwrap();
    assert!(!candidates.is_empty() && candidates.len() <= 3, "{m}");
    assert_eq!(m["candidates"][0]["standardProposition"]["code"], "DBOS_PO", "{m}");
    let editor = app.editor(&library);
    let body = app.graphql(ONE_MAPPING, json!({ "id": id }), Some(&editor)).await;
    assert_eq!(data(&body)["mappingSuggestion"]["proposition"]["viewerCanEdit"], true, "its own library's editor");
    let other = app.editor(if library == "bibliotheek-zoetermeer" { "dbieb" } else { "bibliotheek-zoetermeer" });
    let body = app.graphql(ONE_MAPPING, json!({ "id": id }), Some(&other)).await;
    assert_eq!(data(&body)["mappingSuggestion"]["proposition"]["viewerCanEdit"], false, "another library's editor");

    // An unpublished proposition is hidden from others (null, as if it did not exist).
    let dbieb = app.editor("dbieb");
    let hidden = r#"query { propositions(filter: { organisationSlugs: ["dbieb"], publicationStates: [DRAFT, ARCHIVED] }, first: 1) { nodes { id } } }"#;
    let body = app.graphql(hidden, json!({}), Some(&dbieb)).await;
    let hidden_id =
        data(&body)["propositions"]["nodes"][0]["id"].as_str().expect("an unpublished one of dbieb").to_string();
    assert!(data(&app.anon(ONE_MAPPING, json!({ "id": hidden_id })).await)["mappingSuggestion"].is_null());
    let own = app.graphql(ONE_MAPPING, json!({ "id": hidden_id }), Some(&dbieb)).await;
    assert_eq!(data(&own)["mappingSuggestion"]["proposition"]["viewerCanEdit"], true, "its own editor sees it");
    let body = app.anon(ONE_MAPPING, json!({ "id": "not-an-id" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}
