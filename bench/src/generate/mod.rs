//! A deterministic generator of a whole library network for benchmarks: at scale 1 the size of the
//! Dutch network (about 140 libraries, 1,300 branches, 20,000 propositions and the shared customer
//! knowledge behind them), with Dutch texts so that full-text search finds what people would type.
//!
//! The same scale and seed give the same network. Rows are written straight into the tables in bulk,
//! without the service layer's checks and change log, but following its rules (versions, publication
//! dates, evidence strength, link keys), so the registry reads them as if they had been entered.

mod common_model;
mod findings;
mod insert;
mod links;
mod organisations;
mod propositions;
mod studies;
mod text;
mod words;

use std::fmt;

use chrono::{DateTime, TimeZone, Utc};
use entity::organisation;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use registry::error::AppError;

/// Bumped whenever the same scale and seed start to give a different network, so that stored
/// benchmark databases are regenerated.
pub const VERSION: u32 = 1;

/// How many rows of each kind a network of some scale has; the common model and the municipalities
/// do not grow with the scale.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    libraries: usize,
    branches: usize,
    propositions: usize,
    studies: usize,
    journeys: usize,
    insights: usize,
    ideas: usize,
    knowledge_links: usize,
}

impl Sizes {
    fn at(scale: u32) -> Self {
        let n = scale as usize;
        Self {
            libraries: 140 * n,
            branches: 1_300 * n,
            propositions: 20_000 * n,
            studies: 2_000 * n,
            journeys: 500 * n,
            insights: 20_000 * n,
            ideas: 3_000 * n,
            knowledge_links: 60_000 * n,
        }
    }
}

/// What the generator wrote, per table (link tables summed where noted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub scale: u32,
    pub seed: u64,
    /// Municipalities added to those of the reference data.
    pub municipalities: u64,
    /// Standard propositions added to those of the reference data.
    pub standard_propositions: u64,
    pub support_organisations: u64,
    pub libraries: u64,
    pub organisation_municipalities: u64,
    pub branches: u64,
    pub propositions: u64,
    pub proposition_target_groups: u64,
    pub proposition_branches: u64,
    pub studies: u64,
    /// Methods, commissioners, conductors, target groups, provinces and municipalities of studies.
    pub study_links: u64,
    pub journeys: u64,
    pub journey_stages: u64,
    pub journey_propositions: u64,
    pub insights: u64,
    /// Target groups and standard propositions of insights.
    pub insight_links: u64,
    pub ideas: u64,
    pub idea_insights: u64,
    pub adoptions: u64,
    pub knowledge_links: u64,
}

impl Summary {
    fn rows(&self) -> [(&'static str, u64); 20] {
        [
            ("municipalities (added)", self.municipalities),
            ("standard propositions (added)", self.standard_propositions),
            ("support organisations", self.support_organisations),
            ("libraries", self.libraries),
            ("organisation municipalities", self.organisation_municipalities),
            ("branches", self.branches),
            ("propositions", self.propositions),
            ("proposition target groups", self.proposition_target_groups),
            ("proposition branches", self.proposition_branches),
            ("studies", self.studies),
            ("study links", self.study_links),
            ("journeys", self.journeys),
            ("journey stages", self.journey_stages),
            ("journey propositions", self.journey_propositions),
            ("insights", self.insights),
            ("insight links", self.insight_links),
            ("improvement ideas", self.ideas),
            ("idea insights", self.idea_insights),
            ("adoptions", self.adoptions),
            ("knowledge links", self.knowledge_links),
        ]
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "generated network at scale {} with seed {}:", self.scale, self.seed)?;
        for (name, count) in self.rows() {
            writeln!(f, "  {name:<32}{count:>9}")?;
        }
        Ok(())
    }
}

/// Fills a migrated database that holds the common model (and nothing generated yet) with a
/// network of `scale` times the Dutch one. Everything is written in one transaction, so a failed
/// run leaves nothing behind.
pub async fn generate(db: &DatabaseConnection, scale: u32, seed: u64) -> Result<Summary, AppError> {
    if !(1..=100).contains(&scale) {
        return Err(AppError::invalid("scale", "must be between 1 and 100"));
    }
    let generated = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(organisations::FIRST_LIBRARY_SLUG))
        .count(db)
        .await?;
    if generated > 0 {
        return Err(AppError::Conflict("this database already holds a generated network".into()));
    }
    let sizes = Sizes::at(scale);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut summary = Summary { scale, seed, ..Summary::default() };
    let txn = registry::kernel::begin_write(db).await?;
    let model = common_model::extend(&txn, &mut rng, &mut summary).await?;
    let network = organisations::generate(&txn, &mut rng, &model, &sizes, &mut summary).await?;
    let offers = propositions::generate(&txn, &mut rng, &model, &network, &sizes, &mut summary).await?;
    let mut studies = studies::generate(&txn, &mut rng, &model, &network, &offers, &sizes, &mut summary).await?;
    findings::generate(&txn, &mut rng, &model, &network, &offers, &mut studies, &sizes, &mut summary).await?;
    links::generate(&txn, &mut rng, &model, &offers, &studies, &sizes, &mut summary).await?;
    txn.commit().await?;
    Ok(summary)
}

/// The moment all generated times are counted back from, fixed so that the same seed gives the
/// same rows whenever it runs.
fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().expect("a valid date")
}

/// A moment up to `days` days before the anchor, to the second.
fn moment_before<R: Rng>(rng: &mut R, days: i64) -> DateTime<Utc> {
    anchor() - chrono::Duration::seconds(rng.random_range(0..days.max(1) * 86_400))
}

/// A moment between `from` and the anchor.
fn moment_after<R: Rng>(rng: &mut R, from: DateTime<Utc>) -> DateTime<Utc> {
    let span = (anchor() - from).num_seconds().max(1);
    from + chrono::Duration::seconds(rng.random_range(0..span))
}

/// Splits `total` in parts proportional to `weights` that add up exactly (largest remainder).
fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let rest = total.saturating_sub(parts.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (exact[*a] - parts[*a] as f64, exact[*b] - parts[*b] as f64);
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in order.into_iter().cycle().take(rest) {
        parts[i] += 1;
    }
    parts
}

/// Draws indexes with fixed relative weights.
#[derive(Debug, Clone)]
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut sum = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                sum += w;
                sum
            })
            .collect();
        Self { cumulative }
    }

    fn sample<R: Rng>(&self, rng: &mut R) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random_range(0.0..total.max(f64::MIN_POSITIVE));
        self.cumulative.partition_point(|c| *c <= x).min(self.cumulative.len().saturating_sub(1))
    }
}

/// One of several values by weight, e.g. `choose(rng, &[(Channel::OnSite, 60), (Channel::Online, 15)])`.
fn choose<T: Copy, R: Rng>(rng: &mut R, options: &[(T, u32)]) -> T {
    let total: u32 = options.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (value, weight) in options {
        if x < *weight {
            return *value;
        }
        x -= weight;
    }
    options[options.len() - 1].0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_adds_up() {
        let parts = apportion(140, &[10.0, 18.0, 12.0, 25.0, 6.0, 51.0, 26.0, 44.0, 50.0, 13.0, 56.0, 31.0]);
        assert_eq!(parts.iter().sum::<usize>(), 140);
        assert_eq!(apportion(3, &[1.0, 1.0]), vec![2, 1]);
    }
}
