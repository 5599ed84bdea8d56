//! Batched loading of organisations, branches and propositions: by id (propositions only as the actor may see
//! them), their links, and the nested pages of propositions under many parents at once.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::{
    branch, organisation, organisation_municipality as org_gm, proposition, proposition_branch, proposition_partner,
    proposition_target_group,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::loaders::{DbLoader, LoadError, by_id, links};
use crate::kernel::nested::Nested;
use crate::kernel::page::{Page, PageArgs};
use crate::registry;
use crate::registry::proposition::{Parent, PropositionFilter, PropositionOrder};

by_id!(OrganisationKey, organisation);
by_id!(BranchKey, branch);

/// Key: a proposition id; loads it only if the request's actor may see it.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct VisiblePropositionKey(pub i64);

impl Loader<VisiblePropositionKey> for DbLoader {
    type Value = proposition::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[VisiblePropositionKey],
    ) -> Result<HashMap<VisiblePropositionKey, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = registry::proposition::visible_by_ids(&self.db, &self.actor, &ids).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|m| (VisiblePropositionKey(m.id), m)).collect())
    }
}

links!(
    PropositionTargetGroups,
    proposition_target_group,
    PropositionId,
    TargetGroupId,
    "Key: a proposition; loads its target group ids."
);
links!(
    PropositionBranches,
    proposition_branch,
    PropositionId,
    BranchId,
    "Key: a proposition; loads the ids of the branches where it runs."
);
links!(
    PropositionPartners,
    proposition_partner,
    PropositionId,
    OrganisationId,
    "Key: a proposition; loads its partner organisation ids."
);
links!(
    OrganisationMunicipalities,
    org_gm,
    OrganisationId,
    MunicipalityId,
    "Key: an organisation; loads the ids of the municipalities it serves."
);

/// Key: an organisation; loads its branches.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct OrganisationBranches(pub i64);

impl Loader<OrganisationBranches> for DbLoader {
    type Value = Vec<branch::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganisationBranches],
    ) -> Result<HashMap<OrganisationBranches, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = branch::Entity::find()
            .filter(branch::Column::OrganisationId.is_in(ids))
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(AppError::from(e)))?;
        let mut map: HashMap<OrganisationBranches, Vec<branch::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for b in rows {
            map.entry(OrganisationBranches(b.organisation_id)).or_default().push(b);
        }
        for list in map.values_mut() {
            list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        }
        Ok(map)
    }
}

/// Key: a support organisation; loads the libraries it supports.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct SupportedLibraries(pub i64);

impl Loader<SupportedLibraries> for DbLoader {
    type Value = Vec<organisation::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[SupportedLibraries]) -> Result<HashMap<SupportedLibraries, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = organisation::Entity::find()
            .filter(organisation::Column::SupportOrganisationId.is_in(ids))
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(AppError::from(e)))?;
        let mut map: HashMap<SupportedLibraries, Vec<organisation::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for o in rows {
            if let Some(s) = o.support_organisation_id {
                map.entry(SupportedLibraries(s)).or_default().push(o);
            }
        }
        for list in map.values_mut() {
            list.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(map)
    }
}

/// Propositions under a parent (an organisation or a standard proposition), as a kind of the kernel's one
/// [`Nested`] list: a list of organisations with their propositions costs two statements however long it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Propositions;

impl Nested for Propositions {
    type Parent = Parent;
    type Filter = PropositionFilter;
    type Sort = PropositionOrder;
    type Model = proposition::Model;

    async fn pages(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: Parent,
        ids: &[i64],
        filters: &[PropositionFilter],
        order: &PropositionOrder,
        page: &PageArgs,
    ) -> AppResult<HashMap<i64, Page<proposition::Model>>> {
        registry::proposition::list_per_parent(db, actor, parent, ids, filters, *order, page).await
    }
    async fn counts(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: Parent,
        ids: &[i64],
        filters: &[PropositionFilter],
    ) -> AppResult<HashMap<i64, u64>> {
        registry::proposition::count_per_parent(db, actor, parent, ids, filters).await
    }
    async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[PropositionFilter]) -> AppResult<u64> {
        registry::proposition::count(db, actor, filters).await
    }
}
