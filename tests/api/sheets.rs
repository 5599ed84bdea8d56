//! A library's offer as a sheet through the API: the export in the import's layout, a dry run that
//! writes nothing, the write of every valid row together, rows refused by row and column, matching
//! by id and by the library's own key, a stale row, and who may do it.

use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, spawn_app};

const IMPORT: &str = r#"mutation($input: ImportPropositionsInput!) {
  importPropositions(input: $input) {
    dryRun written created changed unchanged refused unknownColumns
    rows { line outcome title changedColumns errors { column message } proposition { id externalKey publicationState } suggestions { standardProposition { code } } }
  }
}"#;

const SHEET: &str = "query($org: ID!) { propositionSheet(organisationId: $org) }";

const HEADER: &str =
    "sleutel;titel;samenvatting;standaardpropositie;kernfunctie;doelgroepen;kanaal;kosten;prijs;vestigingen";

async fn import(app: &TestApp, token: &str, org: &str, csv: &str, dry_run: bool) -> Value {
    app.graphql(IMPORT, json!({ "input": { "organisationId": org, "csv": csv, "dryRun": dry_run } }), Some(token)).await
}

async fn count(app: &TestApp, token: &str) -> u64 {
    let body = app
        .graphql(
            r#"query { propositions(filter: { organisationSlugs: ["bibliotheek-zoetermeer"], publicationStates: [DRAFT, PUBLISHED, ARCHIVED] }, first: 1) { totalCount } }"#,
            json!({}),
            Some(token),
        )
        .await;
    data(&body)["propositions"]["totalCount"].as_u64().unwrap()
}

/// A sheet of `n` good rows, with bad rows at the given (0-based) positions.
fn sheet(n: usize, bad: &[usize]) -> String {
    let mut csv = format!("{HEADER}\n");
    for i in 0..n {
        let row = if bad.contains(&i) {
            match i % 3 {
                0 => format!("rij-{i};Zonder kanaal {i};Samenvatting;;KNOWLEDGE_INFORMATION;SENIORS;;FREE;;\n"),
                1 => format!(
                    "rij-{i};Onbekende doelgroep {i};Samenvatting;;KNOWLEDGE_INFORMATION;MARSMANNETJES;ONLINE;FREE;;\n"
                ),
                _ => format!("rij-{i};Betaald zonder prijs {i};Samenvatting;;KNOWLEDGE_INFORMATION;;ONLINE;PAID;;\n"),
            }
        } else {
            format!(
                "rij-{i};Digitaal spreekuur {i};Hulp bij computer en tablet;;KNOWLEDGE_INFORMATION;SENIORS; ON_SITE;FREE;;Bibliotheek Seghwaert\n"
            )
        };
        csv.push_str(&row);
    }
    csv
}

#[tokio::test]
async fn a_dry_run_reports_every_row_and_writes_nothing_then_the_valid_rows_are_written_together() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let before = count(&app, &editor).await;
    let csv = sheet(200, &[9, 100, 152]);

    let body = import(&app, &editor, &org, &csv, true).await;
    let report = &data(&body)["importPropositions"];
    assert_eq!((report["dryRun"].as_bool(), report["written"].as_bool()), (Some(true), Some(false)));
    assert_eq!((report["created"].as_u64(), report["refused"].as_u64()), (Some(197), Some(3)), "{report}");
    let refused: Vec<(u64, String)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "ERROR")
        .map(|r| (r["line"].as_u64().unwrap(), r["errors"][0]["column"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        refused,
        [(11, "kanaal".to_string()), (102, "doelgroepen".to_string()), (154, "prijs".to_string())],
        "the line in the file (the header is line 1) and the column"
    );
    let row = &report["rows"][0];
    assert!(row["proposition"].is_null(), "a dry run's new row has no proposition");
    assert!(
        row["suggestions"].as_array().unwrap().iter().any(|s| s["standardProposition"]["code"] == "HELPDESK_DIGITAL"),
        "an unmapped row is told what it resembles: {row}"
    );
    assert_eq!(count(&app, &editor).await, before, "a dry run writes nothing");

    let body = import(&app, &editor, &org, &csv, false).await;
    let report = &data(&body)["importPropositions"];
    assert_eq!((report["written"].as_bool(), report["created"].as_u64()), (Some(true), Some(197)), "{report}");
    assert_eq!(count(&app, &editor).await, before + 197, "every valid row, none of the refused");
    let created = &report["rows"][0]["proposition"];
    assert_eq!((created["externalKey"].as_str(), created["publicationState"].as_str()), (Some("rij-0"), Some("DRAFT")));

    // The same sheet again: matched by the library's key, nothing changes, nothing is added.
    let body = import(&app, &editor, &org, &csv, false).await;
    let report = &data(&body)["importPropositions"];
    assert_eq!((report["unchanged"].as_u64(), report["created"].as_u64()), (Some(197), Some(0)), "{report}");
    assert_eq!(count(&app, &editor).await, before + 197);
}

#[tokio::test]
async fn an_exported_sheet_edited_and_imported_again_changes_what_was_edited_and_refuses_a_stale_row() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let body = app.graphql(SHEET, json!({ "org": org }), Some(&editor)).await;
    let exported = data(&body)["propositionSheet"].as_str().unwrap().to_string();
    assert!(exported.starts_with("\u{feff}id;sleutel;versie;status;titel;"), "{exported}");
    assert!(exported.contains("Taalhuis Zoetermeer"), "{exported}");

    // Unchanged, the export imports as unchanged: the round trip holds.
    let body = import(&app, &editor, &org, &exported, true).await;
    let report = &data(&body)["importPropositions"];
    let rows = report["rows"].as_array().unwrap().len() as u64;
    assert_eq!(report["unchanged"].as_u64(), Some(rows), "{report}");

    // One title edited: that row changes its title only.
    let edited = exported.replace("Taalhuis Zoetermeer", "Taalhuis Zoetermeer en Seghwaert");
    let body = import(&app, &editor, &org, &edited, false).await;
    let report = &data(&body)["importPropositions"];
    assert_eq!((report["changed"].as_u64(), report["unchanged"].as_u64()), (Some(1), Some(rows - 1)), "{report}");
    let changed = report["rows"].as_array().unwrap().iter().find(|r| r["outcome"] == "CHANGE").unwrap();
    assert_eq!(changed["changedColumns"], json!(["titel"]));

    // The first export is now stale for that row: its version is refused, the rest unchanged.
    let stale = exported.replace("Taalhuis Zoetermeer", "Taalhuis in Zoetermeer");
    let body = import(&app, &editor, &org, &stale, false).await;
    let report = &data(&body)["importPropositions"];
    let refused = report["rows"].as_array().unwrap().iter().find(|r| r["outcome"] == "ERROR").expect("a refused row");
    assert_eq!(refused["errors"][0]["column"], "versie", "{refused}");
    let body = app.graphql(SHEET, json!({ "org": org }), Some(&editor)).await;
    assert!(data(&body)["propositionSheet"].as_str().unwrap().contains("Taalhuis Zoetermeer en Seghwaert"));
}

#[tokio::test]
async fn formulas_are_guarded_in_the_export_and_hostile_sheets_are_refused_with_a_code() {
    let app = spawn_app().await;
    let editor = app.editor("bibliotheek-zoetermeer");
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let csv = format!(
        "{HEADER}\nformule;=HYPERLINK(\"https://evil.example\");Samenvatting;;KNOWLEDGE_INFORMATION;;ONLINE;FREE;;\n"
    );
    let body = import(&app, &editor, &org, &csv, false).await;
    assert_eq!(data(&body)["importPropositions"]["created"], 1, "{body}");
    let body = app.graphql(SHEET, json!({ "org": org }), Some(&editor)).await;
    let exported = data(&body)["propositionSheet"].as_str().unwrap();
    assert!(exported.contains("\"'=HYPERLINK("), "a formula is exported as text: {exported}");
    assert!(!exported.contains(";=HYPERLINK") && !exported.contains("\"=HYPERLINK"));

    for bad in ["", "naam;kanaal\nA;ONLINE\n", "titel;titel\nA;B\n"] {
        let body = import(&app, &editor, &org, bad, true).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{bad:?}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "sheet");
    }
    let huge = format!("titel\n{}", "rij\n".repeat(2001));
    let body = import(&app, &editor, &org, &huge, true).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("2000 rows"), "{body}");
}

#[tokio::test]
async fn only_the_librarys_own_editors_import_or_export_its_sheet() {
    let app = spawn_app().await;
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let csv = sheet(2, &[]);
    let other = app.editor("dbieb");
    assert_eq!(error_code(&import(&app, &other, &org, &csv, true).await), "FORBIDDEN");
    assert_eq!(error_code(&app.graphql(SHEET, json!({ "org": org }), Some(&other)).await), "FORBIDDEN");
    let body = app.anon(IMPORT, json!({ "input": { "organisationId": org, "csv": csv } })).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    // Another library's proposition named by id in one's own sheet is refused at its row.
    let editor = app.editor("dbieb");
    let dbieb = app.organisation_id("dbieb").await;
    let body = app.graphql(SHEET, json!({ "org": org }), Some(&app.editor("bibliotheek-zoetermeer"))).await;
    let zoetermeer = data(&body)["propositionSheet"].as_str().unwrap().to_string();
    let body = import(&app, &editor, &dbieb, &zoetermeer, true).await;
    let report = &data(&body)["importPropositions"];
    let rows = report["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["outcome"] == "ERROR"), "every row refused: {report}");
    assert!(rows.iter().any(|r| r["errors"][0]["column"] == "id"), "another library's id, at its row: {report}");
    let template = app.anon("{ propositionSheetTemplate propositionSheetColumns { name holds } }", json!({})).await;
    assert!(data(&template)["propositionSheetTemplate"].as_str().unwrap().contains("id;sleutel;versie"));
    assert_eq!(data(&template)["propositionSheetColumns"].as_array().unwrap().len(), 25);
}

#[tokio::test]
async fn the_command_line_checks_a_sheet_and_writes_it_only_when_asked() {
    let app = spawn_app().await;
    let dir = std::env::temp_dir().join(format!("registry-import-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("aanbod.csv");
    std::fs::write(&file, format!("{}\n", sheet(3, &[1]).trim_end())).unwrap();
    let run = |write: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_registry"));
        command
            .args(["import", "--org", "bibliotheek-zoetermeer", "--as", "marieke"])
            .arg(&file)
            .env("REGISTRY_DATABASE__URL", &app.database_url)
            .env("REGISTRY_LOG__FORMAT", "json");
        if write {
            command.arg("--write");
        }
        let out = command.output().expect("the registry runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let editor = app.editor("bibliotheek-zoetermeer");
    let before = count(&app, &editor).await;
    let checked = run(false);
    assert!(checked.contains("line 3: doelgroepen: unknown target group code(s): MARSMANNETJES"), "{checked}");
    assert!(
        checked.contains("checked only (add --write to write): 2 new, 0 changed, 0 unchanged, 1 refused"),
        "{checked}"
    );
    assert_eq!(count(&app, &editor).await, before);
    let written = run(true);
    assert!(written.contains("written: 2 new"), "{written}");
    assert_eq!(count(&app, &editor).await, before + 2);
    let body = app
        .graphql(
            r#"query { auditTrail(filter: { recordType: "Proposition" }, first: 1) { nodes { actorSubject credential } } }"#,
            json!({}),
            Some(&app.maintainer()),
        )
        .await;
    assert_eq!(data(&body)["auditTrail"]["nodes"][0]["actorSubject"], "cli:marieke", "{body}");

    // The same sheet saved as an Excel workbook reads the same: its rows now unchanged.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, line) in sheet(3, &[1]).lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    let xlsx = dir.join("aanbod.xlsx");
    std::fs::write(&xlsx, book.save_to_buffer().unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_registry"))
        .args(["import", "--org", "bibliotheek-zoetermeer", "--as", "marieke"])
        .arg(&xlsx)
        .env("REGISTRY_DATABASE__URL", &app.database_url)
        .env("REGISTRY_LOG__FORMAT", "json")
        .output()
        .expect("the registry runs");
    let checked = String::from_utf8_lossy(&out.stdout);
    assert!(checked.contains("0 new, 0 changed, 2 unchanged, 1 refused"), "{checked}");
    std::fs::remove_dir_all(&dir).ok();
}
