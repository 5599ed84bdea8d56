//! A whole sheet at once: the import page (the layout, the template and the library's current offer
//! to download, the upload), the preview of an uploaded sheet (what each row would do; nothing is
//! written), and the confirmation that writes the valid rows together — all through the API's
//! `importPropositions`, as the person.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::forms::{mutate, no_store};
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::number;
use crate::web::staff::{acting_library, form_of_library};

const COLUMNS: &str = "query SheetColumns { propositionSheetColumns { name holds } }";
const TEMPLATE: &str = "query SheetTemplate { propositionSheetTemplate }";
const EXPORT: &str = "query SheetExport($organisation: ID!) {
  propositionSheet(organisationId: $organisation)
  library: node(id: $organisation) { ... on Organisation { slug } }
}";
const IMPORT: &str = r#"mutation ImportSheet($input: ImportPropositionsInput!) {
  importPropositions(input: $input) {
    written created changed unchanged refused unknownColumns
    rows {
      line outcome title changedColumns
      errors { column message }
      proposition { id }
      suggestions { score standardProposition { name(language: NL) } }
    }
  }
}"#;

/// The most a posted sheet form may carry: the sheet (`sheets::MAX_BYTES`), as base64 a third
/// larger, and the rest of the form.
pub const MAX_FORM_BYTES: usize = 2 * crate::sheets::MAX_BYTES;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Column {
    name: String,
    holds: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ColumnsAnswer {
    proposition_sheet_columns: Vec<Column>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reported {
    written: bool,
    created: u64,
    changed: u64,
    unchanged: u64,
    refused: u64,
    unknown_columns: Vec<String>,
    rows: Vec<ReportedRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReportedRow {
    line: u64,
    outcome: String,
    title: String,
    changed_columns: Vec<String>,
    errors: Vec<CellError>,
    proposition: Option<IdOnly>,
    suggestions: Vec<Suggestion>,
}

#[derive(Deserialize)]
struct CellError {
    column: String,
    message: String,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Suggestion {
    score: f64,
    standard_proposition: Named,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

/// A row as the preview lists it.
struct Line {
    line: u64,
    title: String,
    detail: String,
    edit_path: Option<String>,
}

/// What the import page shows: the form only, a preview of an uploaded sheet, or what was written.
enum Stage {
    Upload,
    Preview { csv: String },
    Done,
}

#[derive(Template)]
#[template(path = "staff_import.html")]
struct Page {
    layout: Layout,
    csrf: String,
    columns: Vec<Column>,
    stage: Stage,
    /// A sheet that could not be read at all: why.
    problem: Option<String>,
    counts: Option<(u64, u64, u64, u64)>,
    unknown_columns: String,
    refused: Vec<Line>,
    created: Vec<Line>,
    changed: Vec<Line>,
}

impl Page {
    fn is_upload(&self) -> bool {
        matches!(self.stage, Stage::Upload)
    }
    fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done)
    }
    /// The previewed sheet, for its confirmation.
    fn sheet64(&self) -> String {
        use base64::Engine;
        match &self.stage {
            Stage::Preview { csv } => base64::engine::general_purpose::STANDARD.encode(csv),
            _ => String::new(),
        }
    }
    /// The new and the changed rows, under their headings.
    fn sections(&self) -> [(&'static str, &[Line]); 2] {
        let ui = self.layout.ui;
        [(ui.sheet_created, &self.created), (ui.sheet_changed, &self.changed)]
    }
    fn to_write(&self) -> u64 {
        self.counts.map_or(0, |(created, changed, _, _)| created + changed)
    }
}

async fn page(state: &AppState, visitor: &Visitor, stage: Stage) -> Result<Page, PageError> {
    let ui = visitor.here.labels();
    let answer: ColumnsAnswer = ask(state, visitor, &Question::new(COLUMNS, json!({}))).await?;
    Ok(Page {
        layout: Layout::new(&visitor.here, ui.sheet_title, ui.sheet_lead, "/beheer/aanbod/importeren")
            .in_section(Section::Staff),
        csrf: visitor.current.signed_in.as_ref().map(|s| s.session.csrf_token.clone()).unwrap_or_default(),
        columns: answer.proposition_sheet_columns,
        stage,
        problem: None,
        counts: None,
        unknown_columns: String::new(),
        refused: Vec::new(),
        created: Vec::new(),
        changed: Vec::new(),
    })
}

/// `GET /beheer/aanbod/importeren`.
pub async fn form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    if let Err(response) = acting_library(&visitor) {
        return Ok(*response);
    }
    Ok(no_store(render(&page(&state, &visitor, Stage::Upload).await?)))
}

fn csv_file(name: &str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    no_store(response)
}

/// `GET /beheer/aanbod/sjabloon.csv`: the empty sheet.
pub async fn template(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    if let Err(response) = acting_library(&visitor) {
        return Ok(*response);
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        proposition_sheet_template: String,
    }
    let answer: Answer = ask(&state, &visitor, &Question::new(TEMPLATE, json!({}))).await?;
    Ok(csv_file("aanbod-sjabloon.csv", answer.proposition_sheet_template))
}

/// `GET /beheer/aanbod/export.csv`: the library's offer in the sheet's layout.
pub async fn export(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let organisation = match acting_library(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    #[derive(Deserialize)]
    struct Library {
        slug: String,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        proposition_sheet: String,
        library: Option<Library>,
    }
    let answer: Answer = ask(&state, &visitor, &Question::new(EXPORT, json!({ "organisation": organisation }))).await?;
    let slug = answer.library.map(|l| l.slug).unwrap_or_else(|| "bibliotheek".into());
    let date = chrono::Utc::now().format("%Y-%m-%d");
    Ok(csv_file(&format!("aanbod-{slug}-{date}.csv"), answer.proposition_sheet))
}

/// The fields of a posted sheet form: its token, and the sheet (an uploaded file, or the sheet a
/// preview carries to its confirmation).
#[derive(Default)]
struct Posted {
    csrf: String,
    sheet: Option<Vec<u8>>,
    too_large: bool,
}

async fn read_form(mut multipart: Multipart) -> Result<Posted, PageError> {
    let mut posted = Posted::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(PageError::BadInput(e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "csrf" => posted.csrf = field.text().await.map_err(|e| PageError::BadInput(e.body_text()))?,
            // The previewed sheet, carried to its confirmation as base64 (a form field's line
            // breaks would be rewritten as CR LF on the way, and with them the cells that hold one).
            "sheet64" => {
                use base64::Engine;
                let text = field.text().await.map_err(|e| PageError::BadInput(e.body_text()))?;
                match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                    Ok(bytes) if bytes.len() <= crate::sheets::MAX_BYTES => posted.sheet = Some(bytes),
                    Ok(_) => posted.too_large = true,
                    Err(_) => return Err(PageError::BadInput("sheet64".into())),
                }
            }
            "bestand" => {
                let mut field = field;
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|e| PageError::BadInput(e.body_text()))? {
                    if bytes.len() + chunk.len() > crate::sheets::MAX_BYTES {
                        posted.too_large = true;
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if !posted.too_large && (!bytes.is_empty() || posted.sheet.is_none()) {
                    posted.sheet = Some(bytes);
                }
            }
            _ => {}
        }
    }
    Ok(posted)
}

fn suggestion_text(ui: &Labels, row: &ReportedRow) -> String {
    let names: Vec<String> = row
        .suggestions
        .iter()
        .map(|s| format!("{} ({}%)", s.standard_proposition.name, (s.score * 100.0).round() as i64))
        .collect();
    if names.is_empty() { String::new() } else { format!("{}: {}", ui.staff_suggestions, names.join(", ")) }
}

/// `POST /beheer/aanbod/importeren` (an uploaded sheet: its preview) and
/// `POST /beheer/aanbod/importeren/bevestigen` (the previewed sheet: written).
async fn run(
    state: AppState,
    visitor: Visitor,
    headers: HeaderMap,
    multipart: Multipart,
    write: bool,
) -> Result<Response, PageError> {
    let posted = read_form(multipart).await?;
    let organisation = match form_of_library(&state, &headers, &visitor, &posted.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let unreadable = |mut page: Page, why: String| {
        page.problem = Some(why);
        page.stage = Stage::Upload;
        let mut response = no_store(render(&page));
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        response
    };
    let text = match (posted.too_large, posted.sheet) {
        (true, _) => return Ok(unreadable(page(&state, &visitor, Stage::Upload).await?, ui.sheet_too_large.into())),
        (false, None) => return Ok(unreadable(page(&state, &visitor, Stage::Upload).await?, ui.sheet_missing.into())),
        (false, Some(bytes)) if crate::sheets::xlsx::is_xlsx(&bytes) => match crate::sheets::xlsx::to_csv(&bytes) {
            Ok(text) => text,
            Err(e) => {
                let why = format!("{}: {}", ui.sheet_file, ui.validation(&e.message().replace("sheet: ", "")));
                return Ok(unreadable(page(&state, &visitor, Stage::Upload).await?, why));
            }
        },
        (false, Some(bytes)) => match String::from_utf8(bytes) {
            Ok(text) if !text.trim().is_empty() => text,
            Ok(_) => return Ok(unreadable(page(&state, &visitor, Stage::Upload).await?, ui.sheet_missing.into())),
            Err(_) => return Ok(unreadable(page(&state, &visitor, Stage::Upload).await?, ui.sheet_not_utf8.into())),
        },
    };
    let variables = json!({ "input": { "organisationId": organisation, "csv": text, "dryRun": !write } });
    let answer = match mutate(&state, &visitor, IMPORT, variables).await? {
        Ok(data) => data,
        Err(refusal) => {
            let why = format!("{}: {}", ui.sheet_file, ui.validation(refusal.text()));
            return Ok(unreadable(page(&state, &visitor, Stage::Upload).await?, why));
        }
    };
    let report: Reported =
        serde_json::from_value(answer["importPropositions"].clone()).map_err(|_| PageError::Internal)?;
    let stage = if report.written { Stage::Done } else { Stage::Preview { csv: text } };
    let mut page = page(&state, &visitor, stage).await?;
    page.counts = Some((report.created, report.changed, report.unchanged, report.refused));
    page.unknown_columns = report.unknown_columns.join(", ");
    for row in report.rows {
        let edit_path = row
            .proposition
            .as_ref()
            .map(|p| visitor.here.at(&format!("/beheer/aanbod/{}", number(&p.id).unwrap_or_default())));
        let (list, detail) = match row.outcome.as_str() {
            "ERROR" => (
                &mut page.refused,
                row.errors
                    .iter()
                    .map(|e| format!("{}: {}", e.column, ui.validation(&e.message)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            "CREATE" => {
                let detail = suggestion_text(ui, &row);
                (&mut page.created, detail)
            }
            "CHANGE" => (&mut page.changed, row.changed_columns.join(", ")),
            _ => continue,
        };
        list.push(Line { line: row.line, title: row.title, detail, edit_path });
    }
    Ok(no_store(render(&page)))
}

/// `POST /beheer/aanbod/importeren`.
pub async fn preview(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    run(state, visitor, headers, multipart, false).await
}

/// `POST /beheer/aanbod/importeren/bevestigen`.
pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    run(state, visitor, headers, multipart, true).await
}
