//! Batched loading of nested fields, so a page of records costs one query per field, not per row.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use entity::{
    branch, core_function, municipality, organisation, organisation_municipality as org_gm, proposition,
    proposition_branch, proposition_partner, proposition_target_group, province, societal_task, standard_proposition,
    standard_proposition_societal_task as sp_task, standard_proposition_target_group as sp_group, target_group,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::auth::Actor;
use crate::error::AppError;
use crate::service;
use crate::service::page::{Page, PageArgs};
use crate::service::proposition::{Parent, PropositionFilter, PropositionOrder};

/// Loads records for one request; it knows the actor so that what it loads respects visibility.
pub struct DbLoader {
    pub db: DatabaseConnection,
    pub actor: Actor,
}

/// The request's loader.
pub fn loader<'a>(ctx: &Context<'a>) -> &'a DataLoader<DbLoader> {
    ctx.data_unchecked::<DataLoader<DbLoader>>()
}

/// Builds a request's loader.
pub fn new_loader(db: DatabaseConnection, actor: Actor) -> DataLoader<DbLoader> {
    DataLoader::new(DbLoader { db, actor }, crate::db::cancel::spawn_in_scope)
}

/// Loader failures are shared by every field that waited on the batch.
pub type LoadError = Arc<AppError>;

/// Turns a shared loader failure into a GraphQL error.
pub fn gql(err: LoadError) -> async_graphql::Error {
    err.to_graphql()
}

macro_rules! by_id {
    ($key:ident, $m:ident) => {
        #[doc = concat!("Key: the id of a `", stringify!($m), "` record.")]
        #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);

        impl Loader<$key> for DbLoader {
            type Value = $m::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows = $m::Entity::find()
                    .filter($m::Column::Id.is_in(ids))
                    .all(&self.db)
                    .await
                    .map_err(|e| Arc::new(AppError::from(e)))?;
                Ok(rows.into_iter().map(|m| ($key(m.id), m)).collect())
            }
        }
    };
}

by_id!(OrganisationKey, organisation);
by_id!(BranchKey, branch);
by_id!(StandardPropositionKey, standard_proposition);
by_id!(CoreFunctionKey, core_function);
by_id!(SocietalTaskKey, societal_task);
by_id!(TargetGroupKey, target_group);
by_id!(ProvinceKey, province);
by_id!(MunicipalityKey, municipality);

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
        let rows = service::proposition::visible_by_ids(&self.db, &self.actor, &ids).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|m| (VisiblePropositionKey(m.id), m)).collect())
    }
}

macro_rules! links {
    ($key:ident, $m:ident, $parent:ident, $child:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);

        impl Loader<$key> for DbLoader {
            type Value = Vec<i64>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let pairs: Vec<(i64, i64)> = $m::Entity::find()
                    .select_only()
                    .column($m::Column::$parent)
                    .column($m::Column::$child)
                    .filter($m::Column::$parent.is_in(ids))
                    .into_tuple()
                    .all(&self.db)
                    .await
                    .map_err(|e| Arc::new(AppError::from(e)))?;
                let mut map: HashMap<$key, Vec<i64>> = keys.iter().map(|k| (*k, Vec::new())).collect();
                for (parent, child) in pairs {
                    map.entry($key(parent)).or_default().push(child);
                }
                Ok(map)
            }
        }
    };
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
    StandardSocietalTasks,
    sp_task,
    StandardPropositionId,
    SocietalTaskId,
    "Key: a standard proposition; loads its societal task ids."
);
links!(
    StandardTargetGroups,
    sp_group,
    StandardPropositionId,
    TargetGroupId,
    "Key: a standard proposition; loads its usual target group ids."
);
links!(TargetGroupChildren, target_group, ParentId, Id, "Key: a target group; loads the ids of its narrower groups.");
links!(ProvinceMunicipalities, municipality, ProvinceId, Id, "Key: a province; loads the ids of its municipalities.");
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

/// Loads the records behind a list of ids, in the order of the ids, skipping missing ones.
pub async fn many<K, V>(ctx: &Context<'_>, keys: impl IntoIterator<Item = K>) -> async_graphql::Result<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Value = V, Error = LoadError>,
    V: Send + Sync + Clone + 'static,
{
    let keys: Vec<K> = keys.into_iter().collect();
    let mut found = loader(ctx).load_many(keys.clone()).await.map_err(gql)?;
    Ok(keys.into_iter().filter_map(|k| found.remove(&k)).collect())
}

/// Loads one record by key.
pub async fn one<K, V>(ctx: &Context<'_>, key: K) -> async_graphql::Result<Option<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Value = V, Error = LoadError>,
    V: Send + Sync + Clone + 'static,
{
    loader(ctx).load_one(key).await.map_err(gql)
}

/// The arguments of a nested proposition list; the same for every parent in one query.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NestedPropositionArgs {
    pub filters: Vec<PropositionFilter>,
    pub order: PropositionOrder,
    pub page: PageArgs,
}

/// Key: a parent (organisation or standard proposition) and the arguments of its `propositions`
/// field; loads that page, batched with the parent's siblings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildPropositions {
    pub parent: Parent,
    pub id: i64,
    pub args: Arc<NestedPropositionArgs>,
}

impl Loader<ChildPropositions> for DbLoader {
    type Value = Page<proposition::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ChildPropositions]) -> Result<HashMap<ChildPropositions, Self::Value>, Self::Error> {
        let mut groups: HashMap<(Parent, Arc<NestedPropositionArgs>), Vec<i64>> = HashMap::new();
        for key in keys {
            groups.entry((key.parent, key.args.clone())).or_default().push(key.id);
        }
        let mut result = HashMap::new();
        for ((parent, args), ids) in groups {
            let mut pages = service::proposition::list_per_parent(
                &self.db,
                &self.actor,
                parent,
                &ids,
                &args.filters,
                args.order,
                &args.page,
            )
            .await
            .map_err(Arc::new)?;
            for id in ids {
                let page = pages.remove(&id).unwrap_or(Page {
                    items: Vec::new(),
                    has_next_page: false,
                    has_previous_page: args.page.after.is_some(),
                });
                result.insert(ChildPropositions { parent, id, args: args.clone() }, page);
            }
        }
        Ok(result)
    }
}

/// Key: a parent and a proposition filter; loads how many of its propositions match.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildPropositionCount {
    pub parent: Parent,
    pub id: i64,
    pub filters: Arc<Vec<PropositionFilter>>,
}

impl Loader<ChildPropositionCount> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ChildPropositionCount],
    ) -> Result<HashMap<ChildPropositionCount, Self::Value>, Self::Error> {
        let mut groups: HashMap<(Parent, Arc<Vec<PropositionFilter>>), Vec<i64>> = HashMap::new();
        for key in keys {
            groups.entry((key.parent, key.filters.clone())).or_default().push(key.id);
        }
        let mut result = HashMap::new();
        for ((parent, filters), ids) in groups {
            let counts = service::proposition::count_per_parent(&self.db, &self.actor, parent, &ids, &filters)
                .await
                .map_err(Arc::new)?;
            for id in ids {
                let n = counts.get(&id).copied().unwrap_or(0);
                result.insert(ChildPropositionCount { parent, id, filters: filters.clone() }, n);
            }
        }
        Ok(result)
    }
}

pub(crate) use links;
