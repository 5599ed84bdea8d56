//! Support organisations, libraries, the municipalities each library serves and its branches.

use std::collections::HashSet;

use entity::enums::OrganisationKind;
use entity::{branch, organisation, organisation_municipality};
use rand::Rng;
use rand::seq::SliceRandom;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::ConnectionTrait;

use super::common_model::Model;
use super::insert::{insert_all, insert_with_ids};
use super::text::{enumerate, pick};
use super::words::{DISTRICTS, STREETS};
use super::{Sizes, Summary, anchor, apportion, moment_before};
use registry::error::AppError;

/// The slug of the first generated library: its presence means a network was generated already.
pub(super) const FIRST_LIBRARY_SLUG: &str = "bibliotheek-gen-0001";

/// The provincial support organisations and the provinces (CBS codes) each serves; two serve two.
const SUPPORT: [(&str, &[&str]); 10] = [
    ("Biblionet Groningen", &["PV20"]),
    ("Bibliotheekservice Fryslân", &["PV21"]),
    ("Biblionet Drenthe", &["PV22"]),
    ("Rijnbrink", &["PV23", "PV25"]),
    ("Bibliotheeknetwerk Flevoland", &["PV24"]),
    ("Bibliotheeknetwerk Utrecht", &["PV26"]),
    ("Probiblio", &["PV27", "PV28"]),
    ("Zeeuwse Bibliotheek", &["PV29"]),
    ("Cubiss Brabant", &["PV30"]),
    ("Cubiss Limburg", &["PV31"]),
];

/// Rough centres of the provinces (PV20–PV31), for branch coordinates.
const CENTRES: [(&str, f64, f64); 12] = [
    ("PV20", 53.22, 6.74),
    ("PV21", 53.11, 5.85),
    ("PV22", 52.86, 6.62),
    ("PV23", 52.44, 6.45),
    ("PV24", 52.53, 5.60),
    ("PV25", 52.06, 5.95),
    ("PV26", 52.08, 5.17),
    ("PV27", 52.58, 4.87),
    ("PV28", 51.99, 4.49),
    ("PV29", 51.49, 3.85),
    ("PV30", 51.56, 5.19),
    ("PV31", 51.21, 5.94),
];

#[derive(Debug, Clone)]
pub(super) struct Library {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Index into [`Model::provinces`].
    pub province: usize,
    /// Index into [`Network::support`].
    pub support: usize,
    /// Indexes into [`Model::municipalities`]; never empty.
    pub municipalities: Vec<usize>,
    /// Branch ids.
    pub branches: Vec<i64>,
}

#[derive(Debug, Clone)]
pub(super) struct Support {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub(super) struct Network {
    pub support: Vec<Support>,
    pub libraries: Vec<Library>,
}

pub(super) async fn generate<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    sizes: &Sizes,
    summary: &mut Summary,
) -> Result<Network, AppError> {
    let support = add_support(db, model).await?;
    summary.support_organisations = support.len() as u64;
    let mut libraries = plan_libraries(rng, model, sizes.libraries);
    let rows: Vec<organisation::ActiveModel> = libraries
        .iter()
        .map(|l| {
            let ts = moment_before(rng, 3650);
            let places: Vec<&str> = l.municipalities.iter().map(|m| model.municipalities[*m].name.as_str()).collect();
            organisation::ActiveModel {
                id: NotSet,
                kind: Set(OrganisationKind::Library),
                name: Set(l.name.clone()),
                slug: Set(l.slug.clone()),
                description: Set(format!("De openbare bibliotheek voor de inwoners van {}.", enumerate(&places))),
                website: Set(Some(format!("https://www.{}.nl", l.slug))),
                province_id: Set(Some(model.provinces[l.province].id)),
                support_organisation_id: Set(Some(support[l.support].id)),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            }
        })
        .collect();
    let ids =
        insert_with_ids(db, rows, organisation::Column::Id, organisation::Column::Slug, |m| m.slug.as_ref().clone())
            .await?;
    for (library, id) in libraries.iter_mut().zip(ids) {
        library.id = id;
    }
    summary.libraries = libraries.len() as u64;
    let served: Vec<organisation_municipality::ActiveModel> = libraries
        .iter()
        .flat_map(|l| {
            l.municipalities.iter().map(|m| organisation_municipality::ActiveModel {
                organisation_id: Set(l.id),
                municipality_id: Set(model.municipalities[*m].id),
            })
        })
        .collect();
    summary.organisation_municipalities = insert_all(db, served).await?;
    summary.branches = add_branches(db, rng, model, &mut libraries, sizes.branches).await?;
    Ok(Network { support, libraries })
}

async fn add_support<C: ConnectionTrait>(db: &C, model: &Model) -> Result<Vec<Support>, AppError> {
    let ts = anchor() - chrono::Duration::days(3650);
    let rows: Vec<organisation::ActiveModel> = SUPPORT
        .iter()
        .enumerate()
        .map(|(i, (name, provinces))| {
            let served: Vec<&str> = model
                .provinces
                .iter()
                .filter(|p| provinces.contains(&p.code.as_str()))
                .map(|p| p.name.as_str())
                .collect();
            let home = model.provinces.iter().find(|p| p.code == provinces[0]).map(|p| p.id);
            organisation::ActiveModel {
                id: NotSet,
                kind: Set(OrganisationKind::SupportOrganisation),
                name: Set(name.to_string()),
                slug: Set(format!("poi-gen-{:02}", i + 1)),
                description: Set(format!(
                    "Provinciale ondersteuningsinstelling voor de bibliotheken in {}.",
                    enumerate(&served)
                )),
                website: Set(Some(format!("https://www.poi-gen-{:02}.nl", i + 1))),
                province_id: Set(home),
                support_organisation_id: Set(None),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            }
        })
        .collect();
    let ids =
        insert_with_ids(db, rows, organisation::Column::Id, organisation::Column::Slug, |m| m.slug.as_ref().clone())
            .await?;
    Ok(ids.into_iter().zip(SUPPORT).map(|(id, (name, _))| Support { id, name: name.to_string() }).collect())
}

/// Libraries per province in proportion to its municipalities, each serving one to four of them.
fn plan_libraries<R: Rng>(rng: &mut R, model: &Model, count: usize) -> Vec<Library> {
    let per_province: Vec<Vec<usize>> = (0..model.provinces.len())
        .map(|p| (0..model.municipalities.len()).filter(|m| model.municipalities[*m].province == p).collect())
        .collect();
    let weights: Vec<f64> = per_province.iter().map(|m| m.len().max(1) as f64).collect();
    let counts = apportion(count.saturating_sub(weights.len()), &weights);
    let mut names = HashSet::new();
    let mut libraries = Vec::new();
    for (p, (municipalities, extra)) in per_province.iter().zip(counts).enumerate() {
        let support = SUPPORT.iter().position(|(_, ps)| ps.contains(&model.provinces[p].code.as_str())).unwrap_or(0);
        for served in serve(rng, municipalities, extra + 1) {
            let served = if served.is_empty() { vec![rng.random_range(0..model.municipalities.len())] } else { served };
            let first = &model.municipalities[served[0]].name;
            let mut name =
                if served.len() >= 3 { format!("Bibliotheek Regio {first}") } else { format!("Bibliotheek {first}") };
            if !names.insert(name.clone()) {
                name = format!("{name} {}", libraries.len() + 1);
                names.insert(name.clone());
            }
            libraries.push(Library {
                id: 0,
                slug: format!("bibliotheek-gen-{:04}", libraries.len() + 1),
                name,
                province: p,
                support,
                municipalities: served,
                branches: Vec::new(),
            });
        }
    }
    libraries
}

/// Divides a province's municipalities over its libraries so that, at scale 1, every municipality
/// is served; at larger scales libraries share municipalities.
fn serve<R: Rng>(rng: &mut R, municipalities: &[usize], libraries: usize) -> Vec<Vec<usize>> {
    let m = municipalities.len();
    if m == 0 {
        return vec![Vec::new(); libraries];
    }
    let cap = m.min(4);
    let slots = m.max(libraries * 12 / 5).min(libraries * cap).max(libraries);
    let mut counts = vec![1usize; libraries];
    let mut extra = slots - libraries;
    while extra > 0 {
        let i = rng.random_range(0..libraries);
        if counts[i] < cap {
            counts[i] += 1;
            extra -= 1;
        }
    }
    let mut order = municipalities.to_vec();
    order.shuffle(rng);
    let mut next = 0;
    counts
        .into_iter()
        .map(|k| {
            let served = (0..k).map(|j| order[(next + j) % m]).collect();
            next += k;
            served
        })
        .collect()
}

async fn add_branches<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    libraries: &mut [Library],
    total: usize,
) -> Result<u64, AppError> {
    let centres: Vec<(f64, f64)> = model
        .municipalities
        .iter()
        .map(|m| {
            let code = &model.provinces[m.province].code;
            let (lat, lon) = CENTRES.iter().find(|c| c.0 == code).map_or((52.1, 5.3), |c| (c.1, c.2));
            (lat + rng.random_range(-0.25..0.25), lon + rng.random_range(-0.35..0.35))
        })
        .collect();
    let weights: Vec<f64> =
        libraries.iter().map(|l| l.municipalities.len() as f64 * rng.random_range(0.5..2.0)).collect();
    let counts = apportion(total.saturating_sub(libraries.len()), &weights);
    let mut rows = Vec::new();
    let mut owners = Vec::new();
    for (index, (library, extra)) in libraries.iter().zip(counts).enumerate() {
        let mut names = HashSet::new();
        for b in 0..extra + 1 {
            // Every municipality a library serves gets a branch first; further ones go anywhere.
            let municipality = match library.municipalities.get(b) {
                Some(m) => *m,
                None => *pick(rng, &library.municipalities),
            };
            let place = &model.municipalities[municipality].name;
            let mut name = if b < library.municipalities.len() {
                format!("Bibliotheek {place}")
            } else {
                format!("Bibliotheek {place} {}", pick(rng, DISTRICTS))
            };
            if !names.insert(name.clone()) {
                name = format!("{name} {}", b + 1);
                names.insert(name.clone());
            }
            let letters = b"ABCDEGHJKLMNPRSTVWXZ";
            let postcode = format!(
                "{} {}{}",
                rng.random_range(1000..=9999),
                *pick(rng, letters) as char,
                *pick(rng, letters) as char
            );
            let (lat, lon) = centres[municipality];
            let ts = moment_before(rng, 3000);
            rows.push(branch::ActiveModel {
                id: NotSet,
                organisation_id: Set(library.id),
                name: Set(name),
                address: Set(format!("{} {}", pick(rng, STREETS), rng.random_range(1..=180))),
                postcode: Set(postcode),
                municipality_id: Set(model.municipalities[municipality].id),
                latitude: Set(Some(lat + rng.random_range(-0.02..0.02))),
                longitude: Set(Some(lon + rng.random_range(-0.03..0.03))),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            });
            owners.push(index);
        }
    }
    let ids = insert_with_ids(db, rows, branch::Column::Id, branch::Column::Name, |m| m.name.as_ref().clone()).await?;
    for (id, library) in ids.iter().zip(owners) {
        libraries[library].branches.push(*id);
    }
    Ok(ids.len() as u64)
}
