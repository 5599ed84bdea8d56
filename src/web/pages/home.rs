//! The home page: one search box, the network in figures, and ways in by societal task, target
//! group, province and library (every library through the libraries' index, by province).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::{Named, PROVINCES};

const QUESTION: &str = r#"query HomePage($language: Language!) {
  networkFigures {
    total
    bySocietalTask { key label count: propositionCount }
    byProvince { key label count: propositionCount }
    byTargetGroup { key label count: propositionCount }
  }
  societalTasks { code name(language: $language) descriptionNl descriptionEn }
  targetGroups { code name(language: $language) }
  standardPropositions(filter: { status: ACTIVE }) { code name(language: $language) societalTasks { code } }
  organisations(filter: { kinds: [LIBRARY] }, first: 1) { totalCount }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    network_figures: Figures,
    societal_tasks: Vec<Task>,
    target_groups: Vec<Named>,
    standard_propositions: Vec<Standard>,
    organisations: Libraries,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Figures {
    total: u64,
    by_societal_task: Vec<Bucket>,
    by_province: Vec<Bucket>,
    by_target_group: Vec<Bucket>,
}

#[derive(Deserialize)]
struct Bucket {
    key: String,
    label: String,
    count: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Task {
    code: String,
    name: String,
    description_nl: String,
    description_en: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Standard {
    code: String,
    name: String,
    societal_tasks: Vec<Code>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Libraries {
    total_count: u64,
}

/// A societal task with the count of published propositions and its standard propositions.
struct TaskEntry {
    task: Task,
    /// Its description in the page's language.
    description: String,
    count: u64,
    standards: Vec<Named>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Page {
    layout: Layout,
    total: u64,
    library_count: u64,
    tasks: Vec<TaskEntry>,
    provinces: Vec<(String, String, u64)>,
    target_groups: Vec<(String, String, u64)>,
    /// The provinces, each a way into the libraries' index.
    provinces_all: &'static [(&'static str, &'static str, &'static str)],
}

/// `GET /`.
pub async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let question = Question::new(QUESTION, json!({ "language": visitor.here.lang.graphql() }));
    let answer: Answer = ask(&state, &visitor, &question).await?;
    let count_of = |buckets: &[Bucket], key: &str| buckets.iter().find(|b| b.key == key).map_or(0, |b| b.count);
    let figures = &answer.network_figures;
    let tasks = answer
        .societal_tasks
        .into_iter()
        .map(|task| TaskEntry {
            description: ui.pick_text(&task.description_nl, &task.description_en).to_string(),
            count: count_of(&figures.by_societal_task, &task.code),
            standards: answer
                .standard_propositions
                .iter()
                .filter(|s| s.societal_tasks.iter().any(|t| t.code == task.code))
                .map(|s| Named { code: s.code.clone(), name: s.name.clone() })
                .collect(),
            task,
        })
        .collect();
    // The figures label by Dutch name; the target groups' names are asked in the page's language.
    let labelled = |key: &str, label: &str| -> String {
        answer.target_groups.iter().find(|g| g.code == key).map_or_else(|| label.to_string(), |g| g.name.clone())
    };
    let real = |buckets: &[Bucket], relabel: bool| -> Vec<(String, String, u64)> {
        buckets
            .iter()
            .filter(|b| b.key != "NONE" && b.count > 0)
            .map(|b| (b.key.clone(), if relabel { labelled(&b.key, &b.label) } else { b.label.clone() }, b.count))
            .collect()
    };
    let layout =
        Layout::new(&visitor.here, ui.home_title, ui.home_lead, "/").in_section(Section::Home).asked(&question);
    Ok(render(&Page {
        layout,
        total: figures.total,
        library_count: answer.organisations.total_count,
        tasks,
        provinces: real(&figures.by_province, false),
        target_groups: real(&figures.by_target_group, true),
        provinces_all: &PROVINCES,
    }))
}
