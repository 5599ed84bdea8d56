//! Two to ten organisations side by side, grouped by societal task and standard proposition.

use std::collections::{BTreeMap, HashMap};

use entity::enums::PublicationState;
use entity::{
    organisation, proposition, societal_task, standard_proposition, standard_proposition_societal_task as sp_task,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::common_model::societal_task_ids;
use crate::error::{AppError, AppResult};
use crate::registry::proposition::{PropositionFilter, filter_condition};

/// How many organisations a comparison takes.
pub const COMPARE_MIN: usize = 2;
pub const COMPARE_MAX: usize = 10;

/// One standard proposition (or, without one, the local propositions of a task) across the organisations.
#[derive(Debug, Clone)]
pub struct CompareRow {
    pub standard: Option<standard_proposition::Model>,
    /// For each compared organisation, in order, its published propositions here (possibly none).
    pub offers: Vec<Vec<proposition::Model>>,
}

impl CompareRow {
    /// The indexes of the organisations that offer something here.
    pub fn offered_by(&self) -> Vec<usize> {
        self.offers.iter().enumerate().filter(|(_, p)| !p.is_empty()).map(|(i, _)| i).collect()
    }
}

/// The rows of one societal task (`None`: propositions contributing to no task).
#[derive(Debug, Clone)]
pub struct CompareGroup {
    pub societal_task: Option<societal_task::Model>,
    pub rows: Vec<CompareRow>,
}

/// The comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub organisations: Vec<organisation::Model>,
    pub groups: Vec<CompareGroup>,
}

/// What a comparison is about: the common model's codes, each list a choice among alternatives
/// (OR), the lists together all applying (AND). Empty: everything the organisations publish.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareFilter {
    pub societal_task_codes: Vec<String>,
    pub core_function_codes: Vec<String>,
    /// Target groups, narrower ones included (seniors takes in the groups below seniors).
    pub target_group_codes: Vec<String>,
}

/// Compares the published offer of these organisations (slugs), in a few statements whatever their number.
///
/// A proposition belongs to the societal tasks of its standard proposition and to its own task,
/// the rule every view of the registry follows, so a row appears under each of those tasks (a
/// Taalhuis under both literacy and lifelong development). Asked about some tasks, only their
/// groups are shown.
pub async fn compare<C: ConnectionTrait>(db: &C, slugs: &[String], filter: &CompareFilter) -> AppResult<Comparison> {
    let mut wanted: Vec<&String> = Vec::new();
    for s in slugs {
        if !wanted.contains(&s) {
            wanted.push(s);
        }
    }
    if !(COMPARE_MIN..=COMPARE_MAX).contains(&wanted.len()) {
        return Err(AppError::invalid(
            "organisations",
            format!("name between {COMPARE_MIN} and {COMPARE_MAX} different organisations"),
        ));
    }
    let found = organisation::Entity::find()
        .filter(organisation::Column::Slug.is_in(wanted.iter().map(|s| s.as_str())))
        .all(db)
        .await?;
    let mut organisations = Vec::with_capacity(wanted.len());
    for slug in &wanted {
        let org = found
            .iter()
            .find(|o| &&o.slug == slug)
            .ok_or_else(|| AppError::invalid("organisations", format!("unknown organisation: {slug}")))?;
        organisations.push(org.clone());
    }
    let column: HashMap<i64, usize> = organisations.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let asked_tasks = if filter.societal_task_codes.is_empty() {
        None
    } else {
        Some(societal_task_ids(db, "filter.societalTasks", &filter.societal_task_codes).await?)
    };
    let narrowed = PropositionFilter {
        organisation_ids: column.keys().copied().collect(),
        publication_states: vec![PublicationState::Published],
        societal_task_codes: filter.societal_task_codes.clone(),
        core_function_codes: filter.core_function_codes.clone(),
        target_group_codes: filter.target_group_codes.clone(),
        ..PropositionFilter::default()
    };
    let propositions = proposition::Entity::find()
        .filter(filter_condition(db, &narrowed).await?)
        .order_by_asc(proposition::Column::Title)
        .order_by_asc(proposition::Column::Id)
        .all(db)
        .await?;
    let standards: HashMap<i64, standard_proposition::Model> =
        standard_proposition::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s)).collect();
    let tasks = societal_task::Entity::find().order_by_asc(societal_task::Column::Position).all(db).await?;
    let position: HashMap<i64, usize> = tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut tasks_of_standard: HashMap<i64, Vec<i64>> = HashMap::new();
    for link in sp_task::Entity::find().all(db).await? {
        tasks_of_standard.entry(link.standard_proposition_id).or_default().push(link.societal_task_id);
    }
    // Groups keyed by task position (no task last), rows by standard name (local last).
    let mut groups: BTreeMap<usize, BTreeMap<(bool, String, i64), CompareRow>> = BTreeMap::new();
    for p in propositions {
        let mut placed: Vec<usize> = p
            .standard_proposition_id
            .and_then(|s| tasks_of_standard.get(&s))
            .into_iter()
            .flatten()
            .chain(&p.societal_task_id)
            .filter(|t| asked_tasks.as_ref().is_none_or(|asked| asked.contains(t)))
            .filter_map(|t| position.get(t).copied())
            .collect();
        placed.sort_unstable();
        placed.dedup();
        if placed.is_empty() {
            placed.push(tasks.len());
        }
        let standard = p.standard_proposition_id.and_then(|s| standards.get(&s));
        let key = match standard {
            Some(s) => (false, s.name_nl.clone(), s.id),
            None => (true, String::new(), 0),
        };
        for group in placed {
            let row = groups.entry(group).or_default().entry(key.clone()).or_insert_with(|| CompareRow {
                standard: standard.cloned(),
                offers: vec![Vec::new(); organisations.len()],
            });
            row.offers[column[&p.organisation_id]].push(p.clone());
        }
    }
    let groups = groups
        .into_iter()
        .map(|(g, rows)| CompareGroup { societal_task: tasks.get(g).cloned(), rows: rows.into_values().collect() })
        .collect();
    Ok(Comparison { organisations, groups })
}
