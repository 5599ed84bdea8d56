//! Two to ten organisations side by side, grouped by societal task and standard proposition.

use std::collections::{BTreeMap, HashMap};

use entity::enums::PublicationState;
use entity::{
    organisation, proposition, societal_task, standard_proposition, standard_proposition_societal_task as sp_task,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::{AppError, AppResult};

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

/// Compares the published offer of these organisations (slugs), in five statements.
pub async fn compare<C: ConnectionTrait>(db: &C, slugs: &[String]) -> AppResult<Comparison> {
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
    let propositions = proposition::Entity::find()
        .filter(proposition::Column::PublicationState.eq(PublicationState::Published))
        .filter(proposition::Column::OrganisationId.is_in(column.keys().copied()))
        .order_by_asc(proposition::Column::Title)
        .order_by_asc(proposition::Column::Id)
        .all(db)
        .await?;
    let standards: HashMap<i64, standard_proposition::Model> =
        standard_proposition::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s)).collect();
    let tasks = societal_task::Entity::find().order_by_asc(societal_task::Column::Position).all(db).await?;
    let position: HashMap<i64, usize> = tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    // A standard proposition appears under its first societal task, so that each row appears once.
    let mut task_of_standard: HashMap<i64, i64> = HashMap::new();
    for link in sp_task::Entity::find().all(db).await? {
        let better = task_of_standard
            .get(&link.standard_proposition_id)
            .is_none_or(|t| position.get(&link.societal_task_id) < position.get(t));
        if better {
            task_of_standard.insert(link.standard_proposition_id, link.societal_task_id);
        }
    }
    // Groups keyed by task position (no task last), rows by standard name (local last).
    let mut groups: BTreeMap<usize, BTreeMap<(bool, String, i64), CompareRow>> = BTreeMap::new();
    for p in propositions {
        let task = match p.standard_proposition_id {
            Some(s) => task_of_standard.get(&s).copied(),
            None => p.societal_task_id,
        };
        let group = task.and_then(|t| position.get(&t).copied()).unwrap_or(tasks.len());
        let standard = p.standard_proposition_id.and_then(|s| standards.get(&s));
        let key = match standard {
            Some(s) => (false, s.name_nl.clone(), s.id),
            None => (true, String::new(), 0),
        };
        let row = groups.entry(group).or_default().entry(key).or_insert_with(|| CompareRow {
            standard: standard.cloned(),
            offers: vec![Vec::new(); organisations.len()],
        });
        row.offers[column[&p.organisation_id]].push(p);
    }
    let groups = groups
        .into_iter()
        .map(|(g, rows)| CompareGroup { societal_task: tasks.get(g).cloned(), rows: rows.into_values().collect() })
        .collect();
    Ok(Comparison { organisations, groups })
}
