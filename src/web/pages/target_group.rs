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
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::{NameOnly, OrgRef, Titled, study_path};
use crate::web::pages::{Named, adoption_label, evidence_label, proposition_path};

const QUESTION: &str = r#"query TargetGroupPage($code: String!) {
  targetGroup(code: $code) {
    code name descriptionNl minAge maxAge
    parent { code name }
    children { code name }
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

impl<T> Connection<T> {
    /// Whether the list holds more than the page shows.
    fn has_more(&self) -> bool {
        self.total_count > u64::try_from(self.nodes.len()).unwrap_or(u64::MAX)
    }
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
    fn evidence(&self) -> &'static str {
        evidence_label(&self.evidence_strength)
    }
    fn by(&self) -> String {
        let names = |orgs: &[NameOnly]| orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
        match (self.commissioned_by.is_empty(), self.conducted_by.is_empty()) {
            (false, false) => format!("voor {}, door {}", names(&self.commissioned_by), names(&self.conducted_by)),
            (false, true) => format!("voor {}", names(&self.commissioned_by)),
            (true, false) => format!("door {}", names(&self.conducted_by)),
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
    fn evidence(&self) -> &'static str {
        evidence_label(&self.evidence_strength)
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
    fn priority(&self) -> &'static str {
        match self.priority.as_str() {
            "DO_NOW" => "Meteen doen",
            "LATER" => "Later oppakken",
            "CONSIDER" => "Overwegen",
            _ => "Onbekend",
        }
    }
}

#[derive(Deserialize)]
struct Adoption {
    status: String,
    organisation: Option<OrgRef>,
}

impl Adoption {
    fn status(&self) -> &'static str {
        adoption_label(&self.status)
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

/// An age range in Dutch words.
fn ages(min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min} tot en met {max} jaar")),
        (Some(min), None) => Some(format!("Vanaf {min} jaar")),
        (None, Some(max)) => Some(format!("Tot en met {max} jaar")),
        (None, None) => None,
    }
}

/// The propositions grouped by library, libraries by name.
fn by_library(propositions: Vec<Proposition>) -> Vec<Provider> {
    let mut libraries: BTreeMap<String, Provider> = BTreeMap::new();
    for p in propositions {
        let (name, href) = match &p.organisation {
            Some(o) => (o.name.clone(), Some(o.path())),
            None => ("Organisatie onbekend".to_string(), None),
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
    let question = Question::new(QUESTION, json!({ "code": code }));
    let Answer { target_group: g } = ask(&state, &visitor, &question).await?;
    let path = format!("/doelgroepen/{}", g.code);
    let idea_count = g.knowledge.ideas.total_count;
    // The ideas most libraries took up; those nobody adopted are not "most adopted".
    let mut ideas: Vec<Idea> = g.knowledge.ideas.nodes.into_iter().filter(|i| i.adoption_count > 0).collect();
    ideas.sort_by(|a, b| b.adoption_count.cmp(&a.adoption_count).then_with(|| a.title.cmp(&b.title)));
    ideas.truncate(TOP_IDEAS);
    let description = format!(
        "{}: het klantonderzoek, de inzichten en de overgenomen verbeterideeën over deze doelgroep, en het aanbod \
         van bibliotheken ervoor.",
        g.name
    );
    let layout = Layout::new(g.name.clone(), description, path).in_section(Section::Knowledge).asked(&question);
    Ok(render(&Page {
        layout,
        ages: ages(g.min_age, g.max_age),
        name: g.name,
        description: g.description_nl,
        parent: g.parent,
        children: g.children,
        studies: g.knowledge.studies,
        insights: g.knowledge.insights,
        idea_count,
        ideas,
        proposition_count: g.propositions.total_count,
        providers: by_library(g.propositions.nodes),
    }))
}
