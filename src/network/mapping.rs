//! Mapping help: for local propositions, the standard propositions they most resemble, so that
//! libraries can name their offerings uniformly. Resemblance is Dutch word overlap (TF-IDF cosine
//! over stems) plus shared target groups, core function and societal task.

use std::collections::{HashMap, HashSet};

use entity::enums::StandardStatus;
use entity::{
    proposition, proposition_target_group as ptg, standard_proposition, standard_proposition_societal_task as sp_task,
    standard_proposition_target_group as sp_group,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::AppResult;
use crate::identity::Actor;
use crate::kernel::page::{Page, PageArgs};
use crate::network::search::text::stems;
use crate::registry::proposition as prop_service;
use crate::registry::proposition::{PropositionFilter, PropositionOrder};

/// A standard proposition a local one resembles.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub standard: standard_proposition::Model,
    /// From 0 (nothing in common) to 1.
    pub score: f64,
    /// The proposition's words that the standard proposition shares, most telling first.
    pub shared_terms: Vec<String>,
}

/// How many candidates each local proposition gets.
const CANDIDATES: usize = 3;

/// Below this a resemblance is noise.
const MIN_SCORE: f64 = 0.05;

type Vector = HashMap<String, f64>;

fn term_counts(parts: &[(&str, f64)]) -> (HashMap<String, f64>, HashMap<String, String>) {
    let mut counts: HashMap<String, f64> = HashMap::new();
    let mut forms = HashMap::new();
    for (text, weight) in parts {
        for (stem, word) in stems(text) {
            *counts.entry(stem.clone()).or_default() += weight;
            forms.entry(stem).or_insert(word);
        }
    }
    (counts, forms)
}

fn weigh(counts: HashMap<String, f64>, idf: &HashMap<String, f64>, unseen: f64) -> Vector {
    let mut v: Vector = counts
        .into_iter()
        .map(|(t, c)| {
            let w = idf.get(&t).copied().unwrap_or(unseen);
            (t, c * w)
        })
        .collect();
    let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.values_mut().for_each(|x| *x /= norm);
    }
    v
}

/// The filters of the mapping list: local propositions, narrowed by the client's filter.
pub fn local_propositions(filter: Option<PropositionFilter>) -> Vec<PropositionFilter> {
    std::iter::once(PropositionFilter { local: Some(true), ..Default::default() }).chain(filter).collect()
}

/// One page (by title) of the local propositions the actor may see that match `filters`, each with
/// the standard propositions it most resembles.
pub async fn suggestion_page(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[PropositionFilter],
    args: &PageArgs,
) -> AppResult<Page<(proposition::Model, Vec<Candidate>)>> {
    let page = prop_service::list(db, actor, filters, PropositionOrder::default(), args).await?;
    let models: Vec<proposition::Model> = page.items.iter().map(|(_, p)| p.clone()).collect();
    let mut candidates = suggestions(db, &models, CANDIDATES).await?;
    Ok(page.map(|p| {
        let c = candidates.remove(&p.id).unwrap_or_default();
        (p, c)
    }))
}

/// One proposition the actor may see (`None` when it is missing or hidden), with the standard
/// propositions it most resembles: for a local one, what to map it onto; for a mapped one, whether
/// its mapping is the best fit.
pub async fn suggestion_for(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> AppResult<Option<(proposition::Model, Vec<Candidate>)>> {
    let Some(p) = prop_service::get(db, actor, id).await? else {
        return Ok(None);
    };
    let candidates = suggestions(db, std::slice::from_ref(&p), CANDIDATES).await?.remove(&p.id).unwrap_or_default();
    Ok(Some((p, candidates)))
}

/// For each proposition, up to `limit` active standard propositions it resembles, best first, in four statements.
pub async fn suggestions<C: ConnectionTrait>(
    db: &C,
    propositions: &[proposition::Model],
    limit: usize,
) -> AppResult<HashMap<i64, Vec<Candidate>>> {
    let standards = standard_proposition::Entity::find()
        .filter(standard_proposition::Column::Status.eq(StandardStatus::Active))
        .all(db)
        .await?;
    let mut standard_groups: HashMap<i64, HashSet<i64>> = HashMap::new();
    for link in sp_group::Entity::find().all(db).await? {
        standard_groups.entry(link.standard_proposition_id).or_default().insert(link.target_group_id);
    }
    let mut standard_tasks: HashMap<i64, HashSet<i64>> = HashMap::new();
    for link in sp_task::Entity::find().all(db).await? {
        standard_tasks.entry(link.standard_proposition_id).or_default().insert(link.societal_task_id);
    }
    let mut groups: HashMap<i64, HashSet<i64>> = HashMap::new();
    for link in
        ptg::Entity::find().filter(ptg::Column::PropositionId.is_in(propositions.iter().map(|p| p.id))).all(db).await?
    {
        groups.entry(link.proposition_id).or_default().insert(link.target_group_id);
    }

    let documents: Vec<HashMap<String, f64>> =
        standards.iter().map(|s| term_counts(&[(&s.name_nl, 3.0), (&s.description_nl, 1.0)]).0).collect();
    let n = documents.len().max(1) as f64;
    let mut df: HashMap<String, f64> = HashMap::new();
    for d in &documents {
        for t in d.keys() {
            *df.entry(t.clone()).or_default() += 1.0;
        }
    }
    let idf: HashMap<String, f64> = df.into_iter().map(|(t, d)| (t, (1.0 + n / d).ln())).collect();
    let unseen = (1.0 + n).ln();
    let vectors: Vec<Vector> = documents.into_iter().map(|d| weigh(d, &idf, unseen)).collect();

    let mut out = HashMap::new();
    for p in propositions {
        let (counts, forms) = term_counts(&[(&p.title, 3.0), (&p.summary, 1.5), (&p.description, 1.0)]);
        let v = weigh(counts, &idf, unseen);
        let mine = groups.get(&p.id).cloned().unwrap_or_default();
        let mut candidates: Vec<Candidate> = standards
            .iter()
            .zip(&vectors)
            .filter_map(|(s, sv)| {
                let mut shared: Vec<(f64, &String)> =
                    v.iter().filter_map(|(t, w)| sv.get(t).map(|x| (w * x, t))).collect();
                let mut score: f64 = shared.iter().map(|(c, _)| c).sum();
                let theirs = standard_groups.get(&s.id);
                if let Some(theirs) = theirs.filter(|t| !t.is_empty() && !mine.is_empty()) {
                    let common = theirs.intersection(&mine).count() as f64;
                    score += 0.15 * common / theirs.union(&mine).count() as f64;
                }
                if p.core_function_id == Some(s.core_function_id) {
                    score += 0.1;
                }
                if p.societal_task_id.is_some_and(|t| standard_tasks.get(&s.id).is_some_and(|ts| ts.contains(&t))) {
                    score += 0.1;
                }
                if score < MIN_SCORE {
                    return None;
                }
                shared.sort_by(|a, b| b.0.total_cmp(&a.0));
                let shared_terms = shared.iter().take(5).filter_map(|(_, t)| forms.get(*t).cloned()).collect();
                Some(Candidate { standard: s.clone(), score: score.min(1.0), shared_terms })
            })
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.standard.code.cmp(&b.standard.code)));
        candidates.truncate(limit);
        out.insert(p.id, candidates);
    }
    Ok(out)
}
