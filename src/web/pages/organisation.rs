//! A library's page (and that of any other organisation): its branches and municipalities, its
//! propositions grouped by societal task and standard proposition (local ones marked), the
//! research it took part in, and the ideas it adopted.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::http::AppState;
use crate::web::Visitor;
use crate::web::ask::{Question, ask};
use crate::web::labels::Labels;
use crate::web::page::{Layout, PageError, Section, render};
use crate::web::pages::shared::{Branch, OrgRef, Titled, study_path};
use crate::web::pages::{Named, organisation_path, proposition_path};

const QUESTION: &str = r#"query OrganisationPage($slug: String!, $language: Language!) {
  organisation(slug: $slug) {
    id name slug kind description website
    province { code name }
    supportOrganisation { name slug kind }
    supportedLibraries { name slug kind }
    municipalities { code name }
    branches { name address postcode municipality { name } }
    propositions(first: 100) {
      totalCount
      nodes {
        id title summary channel
        standardProposition { code name(language: $language) }
        societalTasks { code name(language: $language) }
        targetGroups { code name(language: $language) }
      }
    }
    studies(first: 50) { totalCount nodes { id title periodStart evidenceStrength } }
    adoptions { status proposition { id title } idea { id title study { id title } } }
  }
}"#;

#[derive(Deserialize)]
struct Answer {
    organisation: Organisation,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Organisation {
    name: String,
    slug: String,
    kind: String,
    description: String,
    website: Option<String>,
    province: Option<Named>,
    support_organisation: Option<OrgRef>,
    supported_libraries: Vec<OrgRef>,
    municipalities: Vec<Named>,
    branches: Vec<Branch>,
    propositions: Propositions,
    studies: Studies,
    adoptions: Vec<Adoption>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Propositions {
    total_count: u64,
    nodes: Vec<Proposition>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Proposition {
    id: String,
    title: String,
    summary: String,
    channel: String,
    standard_proposition: Option<Named>,
    societal_tasks: Vec<Named>,
    target_groups: Vec<Named>,
}

impl Proposition {
    fn path(&self) -> String {
        proposition_path(&self.id)
    }
    fn channel(&self, ui: &Labels) -> &'static str {
        ui.channel(&self.channel)
    }
    fn audience(&self) -> String {
        self.target_groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Studies {
    total_count: u64,
    nodes: Vec<Study>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Study {
    id: String,
    title: String,
    period_start: String,
    evidence_strength: String,
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
}

#[derive(Deserialize)]
struct Adoption {
    status: String,
    proposition: Option<Titled>,
    idea: Option<Idea>,
}

#[derive(Deserialize)]
struct Idea {
    title: String,
    study: Option<Titled>,
}

/// An adoption as the page lists it.
struct AdoptedIdea {
    idea: String,
    status: &'static str,
    study: Option<(String, String)>,
    proposition: Option<(String, String)>,
}

/// The propositions of one standard proposition within a societal task.
struct StandardGroup {
    standard: Named,
    propositions: Vec<Proposition>,
}

/// A societal task with the library's propositions under it.
struct TaskGroup {
    task: Named,
    standards: Vec<StandardGroup>,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct Page {
    layout: Layout,
    name: String,
    kind: &'static str,
    is_library: bool,
    description: String,
    website: Option<String>,
    province: Option<Named>,
    support: Option<(String, String)>,
    supported: Vec<(String, String)>,
    municipalities: Vec<Named>,
    branches: Vec<Branch>,
    proposition_count: u64,
    tasks: Vec<TaskGroup>,
    local: Vec<Proposition>,
    unfiled: Vec<Proposition>,
    studies: Vec<Study>,
    study_count: u64,
    adoptions: Vec<AdoptedIdea>,
}

/// A name and a code, in that order so that groups sort by name.
type NameAndCode = (String, String);

/// Groups propositions by societal task, then standard proposition, both by name; a proposition
/// of a standard filed under several tasks appears under each. Local ones, and mapped ones whose
/// standard has no task, are returned apart.
fn group(propositions: &[Proposition]) -> (Vec<TaskGroup>, Vec<Proposition>, Vec<Proposition>) {
    let mut tasks: BTreeMap<NameAndCode, BTreeMap<NameAndCode, Vec<Proposition>>> = BTreeMap::new();
    let (mut local, mut unfiled) = (Vec::new(), Vec::new());
    for p in propositions {
        let Some(standard) = &p.standard_proposition else {
            local.push(p.clone());
            continue;
        };
        if p.societal_tasks.is_empty() {
            unfiled.push(p.clone());
        }
        for task in &p.societal_tasks {
            tasks
                .entry((task.name.clone(), task.code.clone()))
                .or_default()
                .entry((standard.name.clone(), standard.code.clone()))
                .or_default()
                .push(p.clone());
        }
    }
    let tasks = tasks
        .into_iter()
        .map(|((name, code), standards)| TaskGroup {
            task: Named { code, name },
            standards: standards
                .into_iter()
                .map(|((name, code), propositions)| StandardGroup { standard: Named { code, name }, propositions })
                .collect(),
        })
        .collect();
    (tasks, local, unfiled)
}

async fn show(state: AppState, visitor: Visitor, slug: String, library_address: bool) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let question = Question::new(QUESTION, json!({ "slug": slug, "language": visitor.here.lang.graphql() }));
    let Answer { organisation: o } = ask(&state, &visitor, &question).await?;
    let path = organisation_path(&o.kind, &o.slug);
    if (o.kind == "LIBRARY") != library_address {
        return Ok(Redirect::permanent(&visitor.here.at(&path)).into_response());
    }
    let (tasks, local, unfiled) = group(&o.propositions.nodes);
    let description = match o.description.trim() {
        "" => ui.research_about_with(&o.name),
        d => d.chars().take(300).collect(),
    };
    let json_ld = json_ld(&o, &path);
    let layout = Layout::new(&visitor.here, o.name.clone(), description, path)
        .in_section(Section::Libraries)
        .asked(&question)
        .with_json_ld(json_ld);
    let adoptions = o
        .adoptions
        .iter()
        .filter_map(|a| {
            let idea = a.idea.as_ref()?;
            Some(AdoptedIdea {
                idea: idea.title.clone(),
                status: ui.adoption(&a.status),
                study: idea.study.as_ref().map(|s| (study_path(&s.id), s.title.clone())),
                proposition: a.proposition.as_ref().map(|p| (proposition_path(&p.id), p.title.clone())),
            })
        })
        .collect();
    Ok(render(&Page {
        layout,
        name: o.name,
        kind: ui.organisation_kind(&o.kind),
        is_library: o.kind == "LIBRARY",
        description: o.description,
        website: o.website.filter(|w| w.starts_with("https://") || w.starts_with("http://")),
        province: o.province,
        support: o.support_organisation.as_ref().map(|s| (s.path(), s.name.clone())),
        supported: o.supported_libraries.iter().map(|l| (l.path(), l.name.clone())).collect(),
        municipalities: o.municipalities,
        branches: o.branches,
        proposition_count: o.propositions.total_count,
        tasks,
        local,
        unfiled,
        study_count: o.studies.total_count,
        studies: o.studies.nodes,
        adoptions,
    }))
}

/// schema.org: a `Library` with its branches as departments and its offer as services.
fn json_ld(o: &Organisation, path: &str) -> serde_json::Value {
    let kind = if o.kind == "LIBRARY" { "Library" } else { "Organization" };
    let departments: Vec<_> = o
        .branches
        .iter()
        .map(|b| {
            json!({
                "@type": kind,
                "name": b.name,
                "address": { "@type": "PostalAddress", "streetAddress": b.address, "postalCode": b.postcode,
                             "addressLocality": b.municipality.as_ref().map(|m| m.name.clone()), "addressCountry": "NL" },
            })
        })
        .collect();
    let offers: Vec<_> = o
        .propositions
        .nodes
        .iter()
        .map(|p| json!({ "@type": "Offer", "itemOffered": { "@type": "Service", "name": p.title, "url": proposition_path(&p.id) } }))
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": kind,
        "name": o.name,
        "url": path,
        "sameAs": o.website,
        "department": departments,
        "areaServed": o.municipalities.iter().map(|m| json!({ "@type": "AdministrativeArea", "name": m.name })).collect::<Vec<_>>(),
        "makesOffer": offers,
    })
}

/// `GET /bibliotheken/{slug}`.
pub async fn library(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    show(state, visitor, slug, true).await
}

/// `GET /organisaties/{slug}`: support organisations, national bodies and partners.
pub async fn organisation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    show(state, visitor, slug, false).await
}
