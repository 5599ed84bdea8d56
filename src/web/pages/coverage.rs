//! Coverage for a region (a province, a support organisation or the whole country): the libraries
//! against the standard propositions as a heat map with row and column totals, sortable, and the
//! same table as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::encode;
use crate::web::pages::{PROVINCES, organisation_path, province};

const QUESTION: &str = r#"query CoveragePage($region: RegionInput) {
  coverage(region: $region, columns: STANDARD_PROPOSITION) {
    total
    columns { code name nameEn total libraries }
    rows { organisation { name slug kind } counts total unplaced }
  }
  organisations(filter: { kinds: [SUPPORT_ORGANISATION] }, first: 100) { nodes { name slug } }
}"#;

/// The region in the address: `?provincie=zuid-holland` or `?ondersteuning=probiblio`.
#[derive(Debug, Deserialize, Default)]
pub struct RegionParams {
    provincie: Option<String>,
    ondersteuning: Option<String>,
}

#[derive(Deserialize)]
struct Answer {
    coverage: Coverage,
    organisations: Supports,
}

#[derive(Deserialize)]
struct Coverage {
    total: u64,
    columns: Vec<Column>,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Column {
    code: String,
    name: String,
    name_en: String,
    total: u64,
    libraries: u64,
}

#[derive(Deserialize)]
struct Row {
    organisation: Library,
    counts: Vec<u64>,
    total: u64,
    unplaced: u64,
}

#[derive(Deserialize)]
struct Library {
    name: String,
    slug: String,
    kind: String,
}

#[derive(Deserialize)]
struct Supports {
    nodes: Vec<Support>,
}

#[derive(Deserialize)]
struct Support {
    name: String,
    slug: String,
}

/// One cell of the heat map: its count and how dark it is drawn (0: none, 3: three or more).
struct Cell {
    count: u64,
    heat: u8,
}

struct HeatRow {
    href: String,
    name: String,
    cells: Vec<Cell>,
    total: u64,
    unplaced: u64,
    standards: usize,
}

/// A choice in a region picker.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct Page {
    layout: Layout,
    region_name: String,
    csv_href: String,
    provinces: Vec<Choice>,
    supports: Vec<Choice>,
    columns: Vec<(String, String, u64, u64)>,
    rows: Vec<HeatRow>,
    total: u64,
    library_count: usize,
}

/// What the address asks for: the API's region, its name, and the query string naming it.
fn region(params: &RegionParams, ui: &Labels) -> Result<(Value, String, String), PageError> {
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    match (given(&params.provincie), given(&params.ondersteuning)) {
        (Some(_), Some(_)) => {
            Err(PageError::BadInput("kies een provincie of een ondersteuningsinstelling, niet beide".into()))
        }
        (Some(p), None) => match province(&p) {
            Some((code, name, slug)) => {
                Ok((json!({ "province": code }), name.to_string(), format!("provincie={slug}")))
            }
            None => Err(PageError::BadInput(format!("onbekende provincie: {p}"))),
        },
        (None, Some(s)) => {
            let query = format!("ondersteuning={}", encode(&s));
            Ok((json!({ "supportOrganisation": s }), String::new(), query))
        }
        (None, None) => Ok((Value::Null, ui.the_netherlands.to_string(), String::new())),
    }
}

async fn answer(
    state: &AppState,
    visitor: &Visitor,
    params: &RegionParams,
) -> Result<(Question, Answer, String, String), PageError> {
    let (region_value, mut name, query) = region(params, visitor.here.labels())?;
    let question = Question::new(QUESTION, json!({ "region": region_value }));
    let answer: Answer = ask(state, visitor, &question).await?;
    if let Some(slug) = params.ondersteuning.as_deref().map(str::trim) {
        name = answer.organisations.nodes.iter().find(|s| s.slug == slug).map_or(slug.to_string(), |s| s.name.clone());
    }
    Ok((question, answer, name, query))
}

/// `GET /dekking`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<RegionParams>,
) -> Result<Response, PageError> {
    let (question, answer, region_name, query) = answer(&state, &visitor, &params).await?;
    let Answer { coverage, organisations } = answer;
    let chosen_province = params.provincie.as_deref().and_then(province).map(|(code, _, _)| code);
    let provinces = PROVINCES
        .iter()
        .map(|(code, name, slug)| Choice {
            value: slug.to_string(),
            label: name.to_string(),
            selected: chosen_province == Some(*code),
        })
        .collect();
    let chosen_support = params.ondersteuning.as_deref().map(str::trim);
    let supports = organisations
        .nodes
        .iter()
        .map(|s| Choice {
            value: s.slug.clone(),
            label: s.name.clone(),
            selected: chosen_support == Some(s.slug.as_str()),
        })
        .collect();
    let rows = coverage
        .rows
        .iter()
        .map(|r| HeatRow {
            href: organisation_path(&r.organisation.kind, &r.organisation.slug),
            name: r.organisation.name.clone(),
            cells: r.counts.iter().map(|&count| Cell { count, heat: count.min(3) as u8 }).collect(),
            total: r.total,
            unplaced: r.unplaced,
            standards: r.counts.iter().filter(|c| **c > 0).count(),
        })
        .collect();
    let path = if query.is_empty() { "/dekking".to_string() } else { format!("/dekking?{query}") };
    let csv_href = if query.is_empty() { "/dekking.csv".to_string() } else { format!("/dekking.csv?{query}") };
    let ui = visitor.here.labels();
    let layout = Layout::new(&visitor.here, ui.coverage_in(&region_name), ui.coverage_description(&region_name), path)
        .in_section(Section::Coverage)
        .asked(&question);
    Ok(render(&Page {
        layout,
        region_name,
        csv_href,
        provinces,
        supports,
        columns: coverage
            .columns
            .iter()
            .map(|c| (c.code.clone(), ui.pick_text(&c.name, &c.name_en).to_string(), c.total, c.libraries))
            .collect(),
        library_count: coverage.rows.len(),
        rows,
        total: coverage.total,
    }))
}

/// A CSV field, quoted when it must be.
fn field(value: &str) -> String {
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// `GET /dekking.csv`: the same table, for a spreadsheet.
pub async fn csv(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<RegionParams>,
) -> Result<Response, PageError> {
    let (_, Answer { coverage, .. }, region_name, _) = answer(&state, &visitor, &params).await?;
    let mut out = String::new();
    let mut header_row = vec![field("Bibliotheek")];
    header_row.extend(coverage.columns.iter().map(|c| field(&format!("{} ({})", c.name, c.code))));
    header_row.extend([field("Totaal"), field("Niet ingedeeld")]);
    out.push_str(&header_row.join(","));
    out.push_str("\r\n");
    for r in &coverage.rows {
        let mut line = vec![field(&r.organisation.name)];
        line.extend(r.counts.iter().map(u64::to_string));
        line.extend([r.total.to_string(), r.unplaced.to_string()]);
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    let mut totals = vec![field("Totaal")];
    totals.extend(coverage.columns.iter().map(|c| c.total.to_string()));
    totals.extend([coverage.total.to_string(), String::new()]);
    out.push_str(&totals.join(","));
    out.push_str("\r\n");
    let slug: String =
        region_name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let mut response = out.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"dekking-{slug}.csv\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn csv_fields_are_quoted_and_never_run_as_formulas() {
        assert_eq!(field("Bibliotheek Zoetermeer"), "Bibliotheek Zoetermeer");
        assert_eq!(field("Lezen, schrijven"), "\"Lezen, schrijven\"");
        assert_eq!(field("Zeg \"hoi\""), "\"Zeg \"\"hoi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
    }
}
