//! A proposition's page: what it is, for whom, where, how it maps onto the common model, and the
//! evidence behind it (studies, insights, adopted ideas).

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
use crate::web::pages::shared::{Branch, NameOnly, OrgRef, Titled, study_path};
use crate::web::pages::{Named, global_id, organisation_path, proposition_path};

const QUESTION: &str = r#"query PropositionPage($id: ID!, $language: Language!) {
  proposition(id: $id) {
    id title summary description channel schedule url startDate endDate deviationNote
    cost { kind priceCents note }
    organisation { name slug kind municipalities { name } }
    standardProposition { code name(language: $language) }
    coreFunction { code name(language: $language) }
    societalTasks { code name(language: $language) }
    targetGroups { code name(language: $language) }
    branches { name address postcode municipality { name } }
    partners { name slug kind }
    evidence {
      studies { id title periodStart evidenceStrength conductedBy { name } }
      insights { statement evidenceStrength study { id title } }
      adoptedIdeas { status idea { title study { id title } } }
    }
  }
}"#;

#[derive(Deserialize)]
struct Answer {
    proposition: Proposition,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Proposition {
    id: String,
    title: String,
    summary: String,
    description: String,
    channel: String,
    schedule: Option<String>,
    url: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    deviation_note: Option<String>,
    cost: Cost,
    organisation: Option<Organisation>,
    standard_proposition: Option<Named>,
    core_function: Option<Named>,
    societal_tasks: Vec<Named>,
    target_groups: Vec<Named>,
    branches: Vec<Branch>,
    partners: Vec<OrgRef>,
    evidence: Evidence,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cost {
    kind: String,
    price_cents: Option<i64>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct Organisation {
    name: String,
    slug: String,
    kind: String,
    municipalities: Vec<NameOnly>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Evidence {
    studies: Vec<Study>,
    insights: Vec<Insight>,
    adopted_ideas: Vec<Adoption>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Study {
    id: String,
    title: String,
    period_start: String,
    evidence_strength: String,
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
    fn conductors(&self) -> String {
        self.conducted_by.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")
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
struct Adoption {
    status: String,
    idea: Option<Idea>,
}

impl Adoption {
    fn status(&self, ui: &Labels) -> &'static str {
        ui.adoption(&self.status)
    }
}

#[derive(Deserialize)]
struct Idea {
    title: String,
    study: Option<Titled>,
}

#[derive(Template)]
#[template(path = "proposition.html")]
struct Page {
    layout: Layout,
    p: Proposition,
    organisation: Option<(String, String)>,
    channel: &'static str,
    cost: String,
    audience: String,
}

fn cost_label(ui: &Labels, cost: &Cost) -> String {
    let base = match (cost.kind.as_str(), cost.price_cents) {
        ("FREE", _) => ui.free.to_string(),
        (_, Some(cents)) => format!("€ {},{:02}", cents / 100, cents % 100),
        _ => ui.paid.to_string(),
    };
    match cost.note.as_deref().map(str::trim) {
        Some(note) if !note.is_empty() => format!("{base} ({note})"),
        _ => base,
    }
}

/// `GET /aanbod/{number}`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let question = Question::new(
        QUESTION,
        json!({ "id": global_id("Proposition", &id)?, "language": visitor.here.lang.graphql() }),
    );
    let Answer { proposition: p } = ask(&state, &visitor, &question).await?;
    let path = proposition_path(&p.id);
    let audience = p.target_groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ");
    let organisation = p.organisation.as_ref().map(|o| (organisation_path(&o.kind, &o.slug), o.name.clone()));
    let description = match &p.organisation {
        Some(o) => format!("{} ({}): {}", p.title, o.name, p.summary),
        None => p.summary.clone(),
    };
    let json_ld = json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "name": p.title,
        "description": p.summary,
        "url": path,
        "serviceType": p.standard_proposition.as_ref().map(|s| s.name.clone()),
        "provider": p.organisation.as_ref().map(|o| json!({
            "@type": if o.kind == "LIBRARY" { "Library" } else { "Organization" },
            "name": o.name, "url": organisation_path(&o.kind, &o.slug),
        })),
        "areaServed": p.organisation.as_ref().map(|o| o.municipalities.iter()
            .map(|m| json!({ "@type": "AdministrativeArea", "name": m.name })).collect::<Vec<_>>()),
        "audience": p.target_groups.iter().map(|g| json!({ "@type": "Audience", "audienceType": g.name })).collect::<Vec<_>>(),
        "offers": { "@type": "Offer", "price": if p.cost.kind == "FREE" { Some(0.0) } else { p.cost.price_cents.map(|c| c as f64 / 100.0) }, "priceCurrency": "EUR" },
    });
    let layout = Layout::new(&visitor.here, p.title.clone(), description.chars().take(300).collect::<String>(), path)
        .in_section(Section::Libraries)
        .asked(&question)
        .with_json_ld(json_ld);
    Ok(render(&Page {
        layout,
        organisation,
        channel: ui.channel(&p.channel),
        cost: cost_label(ui, &p.cost),
        audience,
        p,
    }))
}
