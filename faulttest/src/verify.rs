//! What the database holds after the run, read directly: every `fault-*` proposition with its
//! change-log entry and its links, to compare with what the writers were told.

use registry::kernel::history::{ChangeAction, RecordKind};

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::Result;
use entity::{change_log, proposition, proposition_branch, proposition_partner, proposition_target_group};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

/// One stored `fault-*` proposition and everything written with it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub organisation_id: i64,
    pub has_create_entry: bool,
    pub target_group_ids: BTreeSet<i64>,
    pub branch_ids: BTreeSet<i64>,
    pub partner_ids: BTreeSet<i64>,
}

/// The stored `fault-*` propositions by title (a title stored twice has two entries).
pub async fn stored(db: &DatabaseConnection) -> Result<HashMap<String, Vec<Stored>>> {
    let rows: Vec<(i64, String, i64)> = proposition::Entity::find()
        .select_only()
        .columns([proposition::Column::Id, proposition::Column::Title, proposition::Column::OrganisationId])
        .filter(proposition::Column::Title.starts_with("fault-"))
        .into_tuple()
        .all(db)
        .await?;
    let created: HashSet<i64> = change_log::Entity::find()
        .select_only()
        .column(change_log::Column::EntityId)
        .filter(change_log::Column::EntityType.eq(RecordKind::Proposition.as_str()))
        .filter(change_log::Column::Action.eq(ChangeAction::Create.as_str()))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let groups = pairs(
        proposition_target_group::Entity::find()
            .select_only()
            .columns([proposition_target_group::Column::PropositionId, proposition_target_group::Column::TargetGroupId])
            .into_tuple()
            .all(db)
            .await?,
    );
    let branches = pairs(
        proposition_branch::Entity::find()
            .select_only()
            .columns([proposition_branch::Column::PropositionId, proposition_branch::Column::BranchId])
            .into_tuple()
            .all(db)
            .await?,
    );
    let partners = pairs(
        proposition_partner::Entity::find()
            .select_only()
            .columns([proposition_partner::Column::PropositionId, proposition_partner::Column::OrganisationId])
            .into_tuple()
            .all(db)
            .await?,
    );
    let mut stored: HashMap<String, Vec<Stored>> = HashMap::new();
    for (id, title, organisation_id) in rows {
        stored.entry(title).or_default().push(Stored {
            id,
            organisation_id,
            has_create_entry: created.contains(&id),
            target_group_ids: groups.get(&id).cloned().unwrap_or_default(),
            branch_ids: branches.get(&id).cloned().unwrap_or_default(),
            partner_ids: partners.get(&id).cloned().unwrap_or_default(),
        });
    }
    Ok(stored)
}

/// Link rows grouped by proposition.
fn pairs(rows: Vec<(i64, i64)>) -> HashMap<i64, BTreeSet<i64>> {
    let mut map: HashMap<i64, BTreeSet<i64>> = HashMap::new();
    for (proposition, other) in rows {
        map.entry(proposition).or_default().insert(other);
    }
    map
}
