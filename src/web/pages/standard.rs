//! A standard proposition's page: what it is, who offers it by province and support organisation,
//! the gaps (libraries and municipalities without it) as tables and as a tile map of the provinces,
//! and the research about it.

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
use crate::web::pages::shared::{OrgRef, Titled, study_path};
use crate::web::pages::{Named, organisation_path, proposition_path, province_name};

const QUESTION: &str = r#"query StandardPropositionPage($code: String!, $language: Language!) {
  standardProposition(code: $code) {
    code name(language: $language) descriptionNl descriptionEn status
    coreFunction { code name(language: $language) }
    societalTasks { code name(language: $language) }
    targetGroups { code name(language: $language) }
    knowledge {
      studies(first: 10) { totalCount nodes { id title periodStart evidenceStrength } }
      insights(first: 5) { totalCount nodes { statement evidenceStrength } }
    }
  }
  whoOffers(offering: { standardProposition: $code }) {
    municipalityCount
    providers {
      organisation { name slug kind province { code name } supportOrganisation { name slug kind } }
      propositions { id title }
    }
    gaps {
      libraries { name slug kind province { code name } supportOrganisation { name slug kind } }
      municipalities { code name province { code name } }
    }
  }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    standard_proposition: Standard,
    who_offers: WhoOffers,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Standard {
    code: String,
    name: String,
    description_nl: String,
    description_en: String,
    status: String,
    core_function: Option<Named>,
    societal_tasks: Vec<Named>,
    target_groups: Vec<Named>,
    knowledge: Knowledge,
}

#[derive(Deserialize)]
struct Knowledge {
    studies: Connection<Study>,
    insights: Connection<Insight>,
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
#[serde(rename_all = "camelCase")]
struct Insight {
    statement: String,
    evidence_strength: String,
}

impl Insight {
    fn evidence(&self, ui: &Labels) -> &'static str {
        ui.evidence(&self.evidence_strength)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WhoOffers {
    municipality_count: u64,
    providers: Vec<Provider>,
    gaps: Gaps,
}

#[derive(Deserialize)]
struct Provider {
    organisation: Library,
    propositions: Vec<Titled>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Library {
    name: String,
    slug: String,
    kind: String,
    province: Option<Named>,
    support_organisation: Option<OrgRef>,
}

#[derive(Deserialize)]
struct Gaps {
    libraries: Vec<Library>,
    municipalities: Vec<Municipality>,
}

#[derive(Deserialize)]
struct Municipality {
    name: String,
    province: Option<Named>,
}

/// A library as listed: its page and name, and its propositions of this standard (if it offers it).
struct Listed {
    href: String,
    name: String,
    propositions: Vec<(String, String)>,
}

/// The libraries of one region (a province or a support organisation): who offers, who does not.
struct Region {
    name: String,
    href: Option<String>,
    offering: Vec<Listed>,
    lacking: Vec<Listed>,
}

impl Region {
    fn total(&self) -> usize {
        self.offering.len() + self.lacking.len()
    }
    fn percent(&self) -> usize {
        (self.offering.len() * 100).checked_div(self.total()).unwrap_or(0)
    }
}

/// One province's tile on the map.
struct Tile {
    name: &'static str,
    x: u32,
    y: u32,
    fill: &'static str,
    text: &'static str,
    label: String,
}

/// The provinces on a grid that keeps their places roughly as on the map of the Netherlands.
const TILES: [(&str, u32, u32); 12] = [
    ("PV21", 1, 0),
    ("PV20", 2, 0),
    ("PV27", 0, 1),
    ("PV24", 1, 1),
    ("PV22", 2, 1),
    ("PV28", 0, 2),
    ("PV26", 1, 2),
    ("PV23", 2, 2),
    ("PV29", 0, 3),
    ("PV30", 1, 3),
    ("PV25", 2, 3),
    ("PV31", 2, 4),
];

pub const TILE_WIDTH: u32 = 150;
pub const TILE_HEIGHT: u32 = 64;

/// A shade for a share of libraries, from none to all, with text colour that keeps contrast.
fn shade(share: Option<usize>) -> (&'static str, &'static str) {
    match share {
        None => ("#f3f3f3", "#333333"),
        Some(0) => ("#fde7e9", "#5c0a14"),
        Some(p) if p < 34 => ("#c7dcf0", "#0b2a4a"),
        Some(p) if p < 67 => ("#6fa3d6", "#06182b"),
        Some(p) if p < 100 => ("#2b6cb0", "#ffffff"),
        Some(_) => ("#123e6b", "#ffffff"),
    }
}

#[derive(Template)]
#[template(path = "standard.html")]
struct Page {
    layout: Layout,
    s: Standard,
    /// Its description in the page's language.
    description: String,
    /// Libraries that offer it, and the municipalities they serve.
    library_count: u64,
    municipality_count: u64,
    lacking_libraries: usize,
    provinces: Vec<Region>,
    supports: Vec<Region>,
    lacking_municipalities: Vec<(String, Vec<String>)>,
    tiles: Vec<Tile>,
    map_width: u32,
    map_height: u32,
}

fn listed(library: &Library, propositions: &[Titled]) -> Listed {
    Listed {
        href: organisation_path(&library.kind, &library.slug),
        name: library.name.clone(),
        propositions: propositions.iter().map(|p| (proposition_path(&p.id), p.title.clone())).collect(),
    }
}

/// Sorts libraries into regions by a key, keeping regions and libraries in name order.
fn regions<'a>(
    who: &'a WhoOffers,
    key: impl Fn(&'a Library) -> Option<(String, Option<String>)>,
    unknown: &str,
) -> Vec<Region> {
    let mut by_name: BTreeMap<String, Region> = BTreeMap::new();
    let mut place = |library: &'a Library, offering: Option<&[Titled]>| {
        let (name, href) = key(library).unwrap_or_else(|| (unknown.to_string(), None));
        let region = by_name.entry(name.clone()).or_insert_with(|| Region {
            name,
            href,
            offering: Vec::new(),
            lacking: Vec::new(),
        });
        match offering {
            Some(propositions) => region.offering.push(listed(library, propositions)),
            None => region.lacking.push(listed(library, &[])),
        }
    };
    for p in &who.providers {
        place(&p.organisation, Some(&p.propositions));
    }
    for l in &who.gaps.libraries {
        place(l, None);
    }
    let mut regions: Vec<Region> = by_name.into_values().collect();
    for r in &mut regions {
        r.offering.sort_by(|a, b| a.name.cmp(&b.name));
        r.lacking.sort_by(|a, b| a.name.cmp(&b.name));
    }
    regions
}

/// `GET /standaardproposities/{code}`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let question = Question::new(QUESTION, json!({ "code": code, "language": visitor.here.lang.graphql() }));
    let Answer { standard_proposition: s, who_offers: who } = ask(&state, &visitor, &question).await?;
    let provinces = regions(&who, |l| l.province.as_ref().map(|p| (p.name.clone(), None)), ui.province_unknown);
    let supports = regions(
        &who,
        |l| l.support_organisation.as_ref().map(|o| (o.name.clone(), Some(organisation_path(&o.kind, &o.slug)))),
        ui.without_support,
    );
    let share: BTreeMap<String, usize> = {
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for p in &who.providers {
            if let Some(province) = &p.organisation.province {
                counts.entry(province.code.clone()).or_default().0 += 1;
            }
        }
        for l in &who.gaps.libraries {
            if let Some(province) = &l.province {
                counts.entry(province.code.clone()).or_default().1 += 1;
            }
        }
        counts.into_iter().map(|(code, (yes, no))| (code, yes * 100 / (yes + no).max(1))).collect()
    };
    let tiles = TILES
        .iter()
        .map(|(code, col, row)| {
            let name = province_name(code);
            let pct = share.get(*code).copied();
            let (fill, text) = shade(pct);
            let label = match pct {
                Some(p) => format!("{p}%"),
                None => ui.no_libraries.to_string(),
            };
            Tile { name, x: col * TILE_WIDTH, y: row * TILE_HEIGHT, fill, text, label }
        })
        .collect();
    let mut lacking_municipalities: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &who.gaps.municipalities {
        let province = m.province.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| ui.province_unknown.into());
        lacking_municipalities.entry(province).or_default().push(m.name.clone());
    }
    let path = format!("/standaardproposities/{}", s.code);
    let description = ui.standard_description(&s.name);
    let layout =
        Layout::new(&visitor.here, s.name.clone(), description, path).in_section(Section::Standards).asked(&question);
    Ok(render(&Page {
        layout,
        description: ui.pick_text(&s.description_nl, &s.description_en).to_string(),
        library_count: who.providers.len() as u64,
        municipality_count: who.municipality_count.saturating_sub(who.gaps.municipalities.len() as u64),
        lacking_libraries: who.gaps.libraries.len(),
        provinces,
        supports,
        lacking_municipalities: lacking_municipalities.into_iter().collect(),
        tiles,
        map_width: 3 * TILE_WIDTH,
        map_height: 5 * TILE_HEIGHT,
        s,
    }))
}
