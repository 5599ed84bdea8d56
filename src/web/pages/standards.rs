//! The standard propositions of the network, by societal task, each with how many libraries
//! offer it.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::Named;

const QUESTION: &str = r#"query StandardPropositionsPage($language: Language!) {
  societalTasks { code name(language: $language) }
  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) descriptionNl descriptionEn societalTasks { code } }
  coverage(columns: STANDARD_PROPOSITION) { rows { total } columns { code libraries total } }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    societal_tasks: Vec<Named>,
    standard_propositions: Vec<Standard>,
    coverage: Coverage,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Standard {
    code: String,
    name: String,
    description_nl: String,
    description_en: String,
    societal_tasks: Vec<Code>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Coverage {
    /// One per library; only how many there are is shown.
    rows: Vec<serde::de::IgnoredAny>,
    columns: Vec<Column>,
}

#[derive(Deserialize)]
struct Column {
    code: String,
    libraries: u64,
    total: u64,
}

struct Entry {
    code: String,
    name: String,
    description: String,
    libraries: u64,
    propositions: u64,
}

struct TaskView {
    task: Named,
    standards: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "standards.html")]
struct Page {
    layout: Layout,
    library_count: usize,
    tasks: Vec<TaskView>,
}

/// `GET /standaardproposities`.
pub async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let question = Question::new(QUESTION, json!({ "language": visitor.here.lang.graphql() }));
    let answer: Answer = ask(&state, &visitor, &question).await?;
    let counts: BTreeMap<&str, (u64, u64)> =
        answer.coverage.columns.iter().map(|c| (c.code.as_str(), (c.libraries, c.total))).collect();
    let entry = |s: &Standard| {
        let (libraries, propositions) = counts.get(s.code.as_str()).copied().unwrap_or_default();
        Entry {
            code: s.code.clone(),
            name: s.name.clone(),
            description: ui.pick_text(&s.description_nl, &s.description_en).to_string(),
            libraries,
            propositions,
        }
    };
    let mut tasks: Vec<TaskView> = answer
        .societal_tasks
        .iter()
        .map(|task| TaskView {
            task: task.clone(),
            standards: answer
                .standard_propositions
                .iter()
                .filter(|s| s.societal_tasks.iter().any(|t| t.code == task.code))
                .map(entry)
                .collect(),
        })
        .collect();
    let without: Vec<Entry> =
        answer.standard_propositions.iter().filter(|s| s.societal_tasks.is_empty()).map(entry).collect();
    if !without.is_empty() {
        tasks.push(TaskView { task: Named { code: "GEEN".into(), name: ui.without_task.into() }, standards: without });
    }
    let layout = Layout::new(&visitor.here, ui.nav_standards, ui.standards_description, "/standaardproposities")
        .in_section(Section::Standards)
        .asked(&question);
    Ok(render(&Page { layout, library_count: answer.coverage.rows.len(), tasks }))
}
