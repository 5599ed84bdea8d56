//! Comparing two to ten libraries side by side, grouped by societal task: which standard
//! propositions each offers, with its own propositions named, for every task or for one. Every
//! library can be chosen: the choice pages through the whole list.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask, every};
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::Titled;
use crate::web::pages::{organisation_path, proposition_path};

/// The most libraries one comparison holds (the API's own bound).
const MOST: usize = 10;

const LIBRARIES: &str = r#"query CompareChoices($after: String) {
  list: organisations(filter: { kinds: [LIBRARY] }, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { name slug }
  }
}"#;

const TASKS: &str = r#"query CompareTasks($language: Language!) {
  societalTasks { code name(language: $language) }
}"#;

const QUESTION: &str = r#"query ComparePage($slugs: [String!]!, $filter: CompareFilterInput, $language: Language!) {
  compare(organisations: $slugs, filter: $filter) {
    organisations { name slug kind }
    groups {
      societalTask { code name(language: $language) }
      rows {
        standardProposition { code name(language: $language) }
        offers { offers propositions { id title } }
      }
    }
  }
}"#;

#[derive(Deserialize)]
struct Choice {
    name: String,
    slug: String,
}

#[derive(Deserialize)]
struct Answer {
    compare: Comparison,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Tasks {
    societal_tasks: Vec<Task>,
}

#[derive(Deserialize)]
struct Comparison {
    organisations: Vec<Organisation>,
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Organisation {
    name: String,
    slug: String,
    kind: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Group {
    societal_task: Option<Task>,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
struct Task {
    code: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    standard_proposition: Option<Standard>,
    offers: Vec<Offer>,
}

#[derive(Deserialize)]
struct Standard {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct Offer {
    offers: bool,
    propositions: Vec<Titled>,
}

struct GroupView {
    id: String,
    name: String,
    rows: Vec<RowView>,
}

struct RowView {
    standard: Option<(String, String)>,
    /// Per library: its propositions here (empty: it does not offer this).
    cells: Vec<Vec<(String, String)>>,
    offered_by: usize,
}

struct Pick {
    slug: String,
    name: String,
    checked: bool,
}

struct TaskChoice {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct Page {
    layout: Layout,
    picks: Vec<Pick>,
    tasks: Vec<TaskChoice>,
    libraries: Vec<(String, String)>,
    groups: Vec<GroupView>,
    message: Option<String>,
}

/// The libraries named in the address, `?bibliotheek=a&bibliotheek=b`, in order and once each, and
/// the societal task asked about (`opgave`), if any.
fn chosen(query: Option<&str>) -> (Vec<String>, Option<String>) {
    let mut slugs: Vec<String> = Vec::new();
    let mut task = None;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let value = value.trim().to_string();
        if key == "bibliotheek" && !value.is_empty() && !slugs.contains(&value) {
            slugs.push(value);
        } else if key == "opgave" && !value.is_empty() {
            task = Some(value);
        }
    }
    (slugs, task)
}

/// `GET /vergelijk`: a choice of libraries, and their comparison once two to ten are chosen.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let (slugs, task) = chosen(query.as_deref());
    let ui = visitor.here.labels();
    let choices: Vec<Choice> = every(&state, &visitor, LIBRARIES, json!({})).await?;
    let picks =
        choices.into_iter().map(|c| Pick { checked: slugs.contains(&c.slug), slug: c.slug, name: c.name }).collect();
    let language = visitor.here.lang.graphql();
    let Tasks { societal_tasks } =
        ask(&state, &visitor, &Question::new(TASKS, json!({ "language": language }))).await?;
    // An unknown task in the address is not an error page: the comparison covers every task.
    let task = task.filter(|code| societal_tasks.iter().any(|t| &t.code == code));
    let tasks = societal_tasks
        .into_iter()
        .map(|t| TaskChoice { selected: task.as_ref() == Some(&t.code), code: t.code, name: t.name })
        .collect();
    let path = match query.as_deref() {
        Some(q) if !slugs.is_empty() => format!("/vergelijk?{q}"),
        _ => "/vergelijk".to_string(),
    };
    let description = ui.compare_description;
    if !(2..=MOST).contains(&slugs.len()) {
        let message = (!slugs.is_empty()).then(|| ui.choose_to_compare(MOST));
        let layout = Layout::new(&visitor.here, ui.compare_title, description, path).in_section(Section::Compare);
        return Ok(render(&Page { layout, picks, tasks, libraries: Vec::new(), groups: Vec::new(), message }));
    }
    let filter = task.map(|code| json!({ "societalTasks": [code] }));
    let question = Question::new(QUESTION, json!({ "slugs": slugs, "filter": filter, "language": language }));
    let Answer { compare } = ask(&state, &visitor, &question).await?;
    let libraries: Vec<(String, String)> =
        compare.organisations.iter().map(|o| (organisation_path(&o.kind, &o.slug), o.name.clone())).collect();
    let groups = compare
        .groups
        .into_iter()
        .map(|g| GroupView {
            id: g.societal_task.as_ref().map_or("geen".to_string(), |t| t.code.to_lowercase()),
            name: g.societal_task.map_or(ui.without_task.to_string(), |t| t.name),
            rows: g
                .rows
                .into_iter()
                .map(|r| RowView {
                    offered_by: r.offers.iter().filter(|o| o.offers).count(),
                    standard: r.standard_proposition.map(|s| (format!("/standaardproposities/{}", s.code), s.name)),
                    cells: r
                        .offers
                        .into_iter()
                        .map(|o| o.propositions.into_iter().map(|p| (proposition_path(&p.id), p.title)).collect())
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let names = compare.organisations.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
    let layout = Layout::new(&visitor.here, format!("{}: {names}", ui.comparison), description, path)
        .in_section(Section::Compare)
        .asked(&question);
    Ok(render(&Page { layout, picks, tasks, libraries, groups, message: None }))
}
