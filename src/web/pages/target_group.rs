//! A target group's page: what the network knows about it (and about its narrower groups): the
//! studies, the current insights strongest first, the ideas most libraries adopted, and the
//! published propositions for it, grouped by library.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::{NameOnly, OrgRef, Titled, study_path};
use crate::web::pages::{Named, proposition_path};

const QUESTION: &str = r#"query TargetGroupPage($code: String!, $language: Language!) {
  targetGroup(code: $code) {
    code name(language: $language) descriptionNl descriptionEn minAge maxAge
    parent { code name(language: $language) }
    children { code name(language: $language) }
    knowledge {
      studies(first: 20) {
        totalCount
        nodes { id title summary periodStart evidenceStrength isStale commissionedBy { name } conductedBy { name } }
      }
      insights(first: 10) { totalCount nodes { statement evidenceStrength study { id title } } }
      ideas(first: 50) {
        totalCount
        nodes { title priority adoptionCount study { id title } adoptions { status organisation { name slug kind } } }
      }
    }
    propositions(filter: { publicationStates: [PUBLISHED] }, first: 100) {
      totalCount
      nodes { id title summary organisation { name slug kind } }
    }
  }
}"#;

/// How many adopted ideas the page lists.
const TOP_IDEAS: usize = 10;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    target_group: TargetGroup,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetGroup {
    code: String,
    name: String,
    description_nl: String,
    description_en: String,
    min_age: Option<i64>,
    max_age: Option<i64>,
    parent: Option<Named>,
    children: Vec<Named>,
    knowledge: Knowledge,
    propositions: Connection<Proposition>,
}

#[derive(Deserialize)]
struct Knowledge {
    studies: Connection<Study>,
    insights: Connection<Insight>,
    ideas: Connection<Idea>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection<T> {
    total_count: u64,
    nodes: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Study {
    id: String,
    title: String,
    summary: String,
    period_start: String,
    evidence_strength: String,
    is_stale: bool,
    commissioned_by: Vec<NameOnly>,
    conducted_by: Vec<NameOnly>,
}

impl Study {
    fn path(&self) -> String {
        study_path(&self.id)
    }
    fn year(&self) -> &str {
        self.period_start.get(..4).unwrap_or_default()
    }
    fn evidence(&self, ui: &Labels) -> &'static str {
        ui.evidence(&self.evidence_strength)
    }
    fn by(&self, ui: &Labels) -> String {
        let names = |orgs: &[NameOnly]| orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
        let (for_, by) = (ui.for_, ui.by);
        match (self.commissioned_by.is_empty(), self.conducted_by.is_empty()) {
            (false, false) => format!("{for_} {}, {by} {}", names(&self.commissioned_by), names(&self.conducted_by)),
            (false, true) => format!("{for_} {}", names(&self.commissioned_by)),
            (true, false) => format!("{by} {}", names(&self.conducted_by)),
            (true, true) => String::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Insight {
    statement: String,
    evidence_strength: String,
    study: Option<Titled>,
}

impl Insight {
    fn evidence(&self, ui: &Labels) -> &'static str {
        ui.evidence(&self.evidence_strength)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Idea {
    title: String,
    priority: String,
    adoption_count: u64,
    study: Option<Titled>,
    adoptions: Vec<Adoption>,
}

impl Idea {
    fn priority(&self, ui: &Labels) -> &'static str {
        ui.priority(&self.priority)
    }
}

#[derive(Deserialize)]
struct Adoption {
    status: String,
    organisation: Option<OrgRef>,
}

impl Adoption {
    fn status(&self, ui: &Labels) -> &'static str {
        ui.adoption(&self.status)
    }
}

#[derive(Deserialize)]
struct Proposition {
    id: String,
    title: String,
    summary: String,
    organisation: Option<OrgRef>,
}

/// A library with its propositions for the group.
struct Provider {
    href: Option<String>,
    name: String,
    propositions: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "target_group.html")]
struct Page {
    layout: Layout,
    name: String,
    description: String,
    ages: Option<String>,
    parent: Option<Named>,
    children: Vec<Named>,
    studies: Connection<Study>,
    insights: Connection<Insight>,
    idea_count: u64,
    ideas: Vec<Idea>,
    proposition_count: u64,
    providers: Vec<Provider>,
}

/// An age range in words.
fn ages(ui: &Labels, min: Option<i64>, max: Option<i64>) -> Option<String> {
    let nl = ui.lang == crate::web::lang::Lang::Nl;
    match (min, max, nl) {
        (Some(min), Some(max), true) => Some(format!("{min} tot en met {max} jaar")),
        (Some(min), None, true) => Some(format!("Vanaf {min} jaar")),
        (None, Some(max), true) => Some(format!("Tot en met {max} jaar")),
        (Some(min), Some(max), false) => Some(format!("{min} to {max} years")),
        (Some(min), None, false) => Some(format!("From {min} years")),
        (None, Some(max), false) => Some(format!("Up to {max} years")),
        (None, None, _) => None,
    }
}

/// The propositions grouped by library, libraries by name.
fn by_library(ui: &Labels, propositions: Vec<Proposition>) -> Vec<Provider> {
    let mut libraries: BTreeMap<String, Provider> = BTreeMap::new();
    for p in propositions {
        let (name, href) = match &p.organisation {
            Some(o) => (o.name.clone(), Some(o.path())),
            None => (ui.organisation_unknown.to_string(), None),
        };
        libraries
            .entry(name.clone())
            .or_insert_with(|| Provider { href, name, propositions: Vec::new() })
            .propositions
            .push((proposition_path(&p.id), p.title, p.summary));
    }
    libraries.into_values().collect()
}

/// `GET /doelgroepen/{code}`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let question = Question::new(QUESTION, json!({ "code": code, "language": visitor.here.lang.graphql() }));
    let Answer { target_group: g } = ask(&state, &visitor, &question).await?;
    let path = format!("/doelgroepen/{}", g.code);
    let idea_count = g.knowledge.ideas.total_count;
    // The ideas most libraries took up; those nobody adopted are not "most adopted".
    let mut ideas: Vec<Idea> = g.knowledge.ideas.nodes.into_iter().filter(|i| i.adoption_count > 0).collect();
    ideas.sort_by(|a, b| b.adoption_count.cmp(&a.adoption_count).then_with(|| a.title.cmp(&b.title)));
    ideas.truncate(TOP_IDEAS);
    let description = ui.target_group_description(&g.name);
    let layout =
        Layout::new(&visitor.here, g.name.clone(), description, path).in_section(Section::Knowledge).asked(&question);
    Ok(render(&Page {
        layout,
        ages: ages(ui, g.min_age, g.max_age),
        description: ui.pick_text(&g.description_nl, &g.description_en).to_string(),
        name: g.name,
        parent: g.parent,
        children: g.children,
        studies: g.knowledge.studies,
        insights: g.knowledge.insights,
        idea_count,
        ideas,
        proposition_count: g.propositions.total_count,
        providers: by_library(ui, g.propositions.nodes),
    }))
}
