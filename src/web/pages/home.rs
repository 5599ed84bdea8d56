//! The home page: one search box, the network in figures, and ways in by societal task, target
//! group, province and library.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::NameOnly;
use crate::web::pages::{Named, organisation_path};

const QUESTION: &str = r#"query HomePage {
  networkFigures {
    total
    bySocietalTask { key label count }
    byProvince { key label count }
    byTargetGroup { key label count }
  }
  societalTasks { code name descriptionNl }
  standardPropositions(filter: { status: ACTIVE }) { code name societalTasks { code } }
  organisations(filter: { kinds: [LIBRARY] }, first: 100) { totalCount nodes { name slug kind province { name } } }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    network_figures: Figures,
    societal_tasks: Vec<Task>,
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
    nodes: Vec<Library>,
}

#[derive(Deserialize)]
struct Library {
    name: String,
    slug: String,
    kind: String,
    province: Option<NameOnly>,
}

/// A societal task with the count of published propositions and its standard propositions.
struct TaskEntry {
    task: Task,
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
    libraries: Vec<(String, String, String)>,
}

/// `GET /`.
pub async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let question = Question::new(QUESTION, json!({}));
    let answer: Answer = ask(&state, &visitor, &question).await?;
    let count_of = |buckets: &[Bucket], key: &str| buckets.iter().find(|b| b.key == key).map_or(0, |b| b.count);
    let figures = &answer.network_figures;
    let tasks = answer
        .societal_tasks
        .into_iter()
        .map(|task| TaskEntry {
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
    let real = |buckets: &[Bucket]| -> Vec<(String, String, u64)> {
        buckets
            .iter()
            .filter(|b| b.key != "NONE" && b.count > 0)
            .map(|b| (b.key.clone(), b.label.clone(), b.count))
            .collect()
    };
    let libraries = answer
        .organisations
        .nodes
        .iter()
        .map(|l| {
            (
                organisation_path(&l.kind, &l.slug),
                l.name.clone(),
                l.province.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            )
        })
        .collect();
    let layout = Layout::new(
        "Wat bibliotheken aanbieden",
        "Het gedeelde register van de openbare bibliotheken: welke bibliotheek wat aanbiedt, waar, voor wie, \
         en welk klantonderzoek erachter zit.",
        "/",
    )
    .in_section(Section::Home)
    .asked(&question);
    Ok(render(&Page {
        layout,
        total: figures.total,
        library_count: answer.organisations.total_count,
        tasks,
        provinces: real(&figures.by_province),
        target_groups: real(&figures.by_target_group),
        libraries,
    }))
}
