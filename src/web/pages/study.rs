//! A study's page: what was researched, for whom, by whom and how, how strong and how fresh it is;
//! each customer journey as a journey map (stages as columns with touchpoints, pains, gains and
//! quotes) with its emotion curve drawn in SVG and the same numbers in a table; the insights; the
//! improvement ideas in their three buckets with the libraries that adopted them; and the
//! propositions the study informs.

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
use crate::web::pages::{Named, global_id, proposition_path};

const QUESTION: &str = r#"query StudyPage($id: ID!, $language: Language!) {
  study(id: $id) {
    id title summary methods periodStart periodEnd participantCount reportUrl
    visibility evidenceStrength validUntil isStale
    commissionedBy { name slug kind }
    conductedBy { name slug kind }
    targetGroups { code name(language: $language) }
    municipalities { code name }
    journeys {
      title description
      targetGroup { code name(language: $language) }
      standardProposition { code name(language: $language) }
      propositions { id title }
      stages { position name description emotionScore touchpoints pains gains quotes { text attribution } }
    }
    insights {
      statement explanation evidenceStrength state
      supersededBy { statement }
      stage { name }
      quotes { text attribution }
    }
    ideas {
      title description priority
      adoptions { status effectNote organisation { name slug kind } proposition { id title } }
    }
    links {
      relation
      proposition { id title organisation { name } }
      standardProposition { code name(language: $language) }
    }
  }
}"#;

#[derive(Deserialize)]
struct Answer {
    study: Study,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Study {
    id: String,
    title: String,
    summary: String,
    methods: Vec<String>,
    period_start: String,
    period_end: Option<String>,
    participant_count: Option<i64>,
    report_url: Option<String>,
    visibility: String,
    evidence_strength: String,
    valid_until: String,
    is_stale: bool,
    commissioned_by: Vec<OrgRef>,
    conducted_by: Vec<OrgRef>,
    target_groups: Vec<Named>,
    municipalities: Vec<Named>,
    journeys: Vec<Journey>,
    insights: Vec<Insight>,
    ideas: Vec<Idea>,
    links: Vec<Link>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Journey {
    title: String,
    description: String,
    target_group: Option<Named>,
    standard_proposition: Option<Named>,
    propositions: Vec<Titled>,
    stages: Vec<Stage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stage {
    position: i64,
    name: String,
    description: String,
    emotion_score: Option<i64>,
    touchpoints: Vec<String>,
    pains: Vec<String>,
    gains: Vec<String>,
    quotes: Vec<Quote>,
}

#[derive(Deserialize)]
struct Quote {
    text: String,
    attribution: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Insight {
    statement: String,
    explanation: String,
    evidence_strength: String,
    state: String,
    superseded_by: Option<Statement>,
    stage: Option<StageName>,
    quotes: Vec<Quote>,
}

impl Insight {
    fn evidence(&self, ui: &Labels) -> &'static str {
        ui.evidence(&self.evidence_strength)
    }
    fn is_superseded(&self) -> bool {
        self.state == "SUPERSEDED"
    }
}

#[derive(Deserialize)]
struct Statement {
    statement: String,
}

#[derive(Deserialize)]
struct StageName {
    name: String,
}

#[derive(Deserialize)]
struct Idea {
    title: String,
    description: String,
    priority: String,
    adoptions: Vec<Adoption>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Adoption {
    status: String,
    effect_note: Option<String>,
    organisation: Option<OrgRef>,
    proposition: Option<Titled>,
}

impl Adoption {
    fn status(&self, ui: &Labels) -> &'static str {
        ui.adoption(&self.status)
    }
    fn proposition_link(&self) -> Option<(String, String)> {
        self.proposition.as_ref().map(|p| (proposition_path(&p.id), p.title.clone()))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Link {
    relation: String,
    proposition: Option<LinkedProposition>,
    standard_proposition: Option<Named>,
}

#[derive(Deserialize)]
struct LinkedProposition {
    id: String,
    title: String,
    organisation: Option<NameOnly>,
}

/// The three buckets improvement ideas are ranked in, in the order a journey study presents them.
const PRIORITIES: [(&str, &str); 3] =
    [("DO_NOW", "meteen-doen"), ("LATER", "later-oppakken"), ("CONSIDER", "overwegen")];

/// A score with its sign, as read on the curve's axis: −1, 0, +2.
fn signed(score: i64) -> String {
    match score {
        s if s > 0 => format!("+{s}"),
        s if s < 0 => format!("−{}", -s),
        _ => "0".to_string(),
    }
}

// The emotion curve's drawing: a column per stage, a row per score from +2 (top) to -2.
const CURVE_LEFT: i64 = 120;
const CURVE_TOP: i64 = 16;
const CURVE_COLUMN: i64 = 170;
const CURVE_UNIT: i64 = 36;
const CURVE_RIGHT: i64 = 16;
const CURVE_LABELS: i64 = 56;

fn curve_y(score: i64) -> i64 {
    CURVE_TOP + (2 - score.clamp(-2, 2)) * CURVE_UNIT
}

/// A stage's name on the curve's horizontal axis, broken over lines of about 18 characters.
fn label_lines(name: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= 18 => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// One horizontal line of the curve's grid, with its label on the vertical axis.
struct GridLine {
    y: i64,
    label: String,
    zero: bool,
}

/// One stage on the curve: its column's centre, its name, and its point if it has a score.
struct CurvePoint {
    x: i64,
    lines: Vec<String>,
    point: Option<(i64, String)>,
}

/// A journey's emotion curve as the template draws it.
struct Curve {
    width: i64,
    height: i64,
    /// Where the plot starts and ends, left to right, and its top and bottom.
    left: i64,
    right: i64,
    top: i64,
    axis_bottom: i64,
    grid: Vec<GridLine>,
    stages: Vec<CurvePoint>,
    /// The SVG path through the scored stages; a stage without a score breaks the line.
    path: String,
    /// How many stages have a score.
    scored: usize,
}

fn curve(ui: &Labels, stages: &[StageView]) -> Curve {
    let axis_bottom = curve_y(-2);
    let grid = (-2..=2)
        .rev()
        .map(|score| GridLine {
            y: curve_y(score),
            label: format!("{} {}", signed(score), ui.emotion(score)),
            zero: score == 0,
        })
        .collect();
    let mut path = String::new();
    let mut previous = false;
    let points: Vec<CurvePoint> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = CURVE_LEFT + i64::try_from(i).unwrap_or(0) * CURVE_COLUMN + CURVE_COLUMN / 2;
            let point = s.emotion_score.map(|score| {
                let y = curve_y(score);
                path.push_str(&format!("{}{x} {y} ", if previous { "L" } else { "M" }));
                (y, format!("{}: {} ({})", s.name, signed(score), ui.emotion(score).to_lowercase()))
            });
            previous = point.is_some();
            CurvePoint { x, lines: label_lines(&s.name), point }
        })
        .collect();
    let width = CURVE_LEFT + i64::try_from(stages.len()).unwrap_or(0) * CURVE_COLUMN + CURVE_RIGHT;
    Curve {
        width,
        height: axis_bottom + CURVE_LABELS,
        left: CURVE_LEFT,
        right: width - CURVE_RIGHT,
        top: CURVE_TOP,
        axis_bottom,
        grid,
        scored: points.iter().filter(|p| p.point.is_some()).count(),
        stages: points,
        path: path.trim_end().to_string(),
    }
}

/// A stage as the journey map shows it.
struct StageView {
    position: i64,
    name: String,
    description: String,
    emotion_score: Option<i64>,
    touchpoints: Vec<String>,
    pains: Vec<String>,
    gains: Vec<String>,
    quotes: Vec<Quote>,
}

impl StageView {
    fn score(&self, ui: &Labels) -> String {
        self.emotion_score.map(signed).unwrap_or_else(|| ui.score_unknown.to_string())
    }
    fn feeling(&self, ui: &Labels) -> &'static str {
        self.emotion_score.map_or(ui.not_measured, |score| ui.emotion(score))
    }
}

/// A journey as the page shows it: its map, and its curve.
struct JourneyView {
    anchor: String,
    title: String,
    description: String,
    target_group: Option<Named>,
    standard: Option<Named>,
    propositions: Vec<(String, String)>,
    stages: Vec<StageView>,
    curve: Curve,
}

/// The ideas of one bucket.
struct Bucket {
    anchor: &'static str,
    label: &'static str,
    ideas: Vec<Idea>,
}

/// A proposition the study informs, with how.
struct Informed {
    href: String,
    title: String,
    organisation: Option<String>,
    relations: Vec<&'static str>,
}

impl Informed {
    fn how(&self) -> String {
        self.relations.join(", ")
    }
}

#[derive(Template)]
#[template(path = "study.html")]
struct Page {
    layout: Layout,
    s: Study,
    methods: String,
    period: String,
    visibility: &'static str,
    evidence: &'static str,
    valid_until: String,
    journeys: Vec<JourneyView>,
    current: Vec<Insight>,
    superseded: Vec<Insight>,
    buckets: Vec<Bucket>,
    informed: Vec<Informed>,
    standards: Vec<Named>,
}

fn journey_view(ui: &Labels, index: usize, j: Journey) -> JourneyView {
    let mut stages: Vec<StageView> = j
        .stages
        .into_iter()
        .map(|s| StageView {
            position: s.position,
            name: s.name,
            description: s.description,
            emotion_score: s.emotion_score,
            touchpoints: s.touchpoints,
            pains: s.pains,
            gains: s.gains,
            quotes: s.quotes,
        })
        .collect();
    stages.sort_by_key(|s| s.position);
    JourneyView {
        anchor: format!("klantreis-{}", index + 1),
        title: j.title,
        description: j.description,
        target_group: j.target_group,
        standard: j.standard_proposition,
        propositions: j.propositions.iter().map(|p| (proposition_path(&p.id), p.title.clone())).collect(),
        curve: curve(ui, &stages),
        stages,
    }
}

/// The propositions the study's links point at, each once with every way it is linked, by title;
/// and the standard propositions linked.
fn informed(ui: &Labels, links: &[Link]) -> (Vec<Informed>, Vec<Named>) {
    let mut propositions: BTreeMap<(String, String), Informed> = BTreeMap::new();
    let mut standards: BTreeMap<String, Named> = BTreeMap::new();
    for link in links {
        if let Some(p) = &link.proposition {
            let entry = propositions.entry((p.title.clone(), p.id.clone())).or_insert_with(|| Informed {
                href: proposition_path(&p.id),
                title: p.title.clone(),
                organisation: p.organisation.as_ref().map(|o| o.name.clone()),
                relations: Vec::new(),
            });
            let how = ui.relation(&link.relation);
            if !entry.relations.contains(&how) {
                entry.relations.push(how);
            }
        }
        if let Some(s) = &link.standard_proposition {
            standards.entry(s.name.clone()).or_insert_with(|| s.clone());
        }
    }
    (propositions.into_values().collect(), standards.into_values().collect())
}

/// `GET /onderzoek/{number}`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let question =
        Question::new(QUESTION, json!({ "id": global_id("Study", &id)?, "language": visitor.here.lang.graphql() }));
    let Answer { study: mut s } = ask(&state, &visitor, &question).await?;
    let path = study_path(&s.id);
    let journeys =
        std::mem::take(&mut s.journeys).into_iter().enumerate().map(|(i, j)| journey_view(ui, i, j)).collect();
    let (superseded, current) = std::mem::take(&mut s.insights).into_iter().partition(Insight::is_superseded);
    let mut ideas = std::mem::take(&mut s.ideas);
    let buckets = PRIORITIES
        .iter()
        .map(|(priority, anchor)| {
            let (mine, rest) = std::mem::take(&mut ideas).into_iter().partition(|i| i.priority == *priority);
            ideas = rest;
            Bucket { anchor, label: ui.priority(priority), ideas: mine }
        })
        .collect();
    let (informed, standards) = informed(ui, &s.links);
    let period = ui.period(&s.period_start, s.period_end.as_deref());
    let description = s.summary.chars().take(300).collect::<String>();
    let json_ld = json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": s.title,
        "abstract": s.summary,
        "url": path,
        "inLanguage": "nl",
        "temporalCoverage": format!("{}/{}", s.period_start, s.period_end.as_deref().unwrap_or("..")),
        "expires": s.valid_until,
        "author": s.conducted_by.iter().map(|o| json!({ "@type": "Organization", "name": o.name, "url": o.path() })).collect::<Vec<_>>(),
        "sponsor": s.commissioned_by.iter().map(|o| json!({ "@type": "Organization", "name": o.name, "url": o.path() })).collect::<Vec<_>>(),
        "audience": s.target_groups.iter().map(|g| json!({ "@type": "Audience", "audienceType": g.name })).collect::<Vec<_>>(),
        "spatialCoverage": s.municipalities.iter().map(|m| json!({ "@type": "AdministrativeArea", "name": m.name })).collect::<Vec<_>>(),
        "sameAs": s.report_url,
    });
    let layout = Layout::new(&visitor.here, s.title.clone(), description, path)
        .in_section(Section::Knowledge)
        .asked(&question)
        .with_json_ld(json_ld);
    Ok(render(&Page {
        layout,
        methods: s.methods.iter().map(|m| ui.method(m)).collect::<Vec<_>>().join(", "),
        period,
        visibility: ui.visibility(&s.visibility),
        evidence: ui.evidence(&s.evidence_strength),
        valid_until: ui.date(&s.valid_until),
        journeys,
        current,
        superseded,
        buckets,
        informed,
        standards,
        s,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_stage_names_break_over_lines() {
        assert_eq!(label_lines("Tijdens de activiteit"), ["Tijdens de", "activiteit"]);
        assert_eq!(label_lines("Oriëntatie"), ["Oriëntatie"]);
    }
}
