//! Batched loading of nested fields, so a page of records costs one query per field, not per row: the
//! request's loader (it knows the actor), `many`/`one` to load through it, and the two shapes of key every
//! domain declares its own loaders with (`by_id!`, `links!`).

use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::identity::Actor;

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

/// Declares a key type that loads records of entity module `$m` by id.
macro_rules! by_id {
    ($key:ident, $m:ident) => {
        #[doc = concat!("Key: the id of a `", stringify!($m), "` record.")]
        #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);

        impl async_graphql::dataloader::Loader<$key> for $crate::kernel::loaders::DbLoader {
            type Value = $m::Model;
            type Error = $crate::kernel::loaders::LoadError;

            async fn load(&self, keys: &[$key]) -> Result<std::collections::HashMap<$key, Self::Value>, Self::Error> {
                use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows = $m::Entity::find()
                    .filter($m::Column::Id.is_in(ids))
                    .all(&self.db)
                    .await
                    .map_err(|e| std::sync::Arc::new($crate::error::AppError::from(e)))?;
                Ok(rows.into_iter().map(|m| ($key(m.id), m)).collect())
            }
        }
    };
}

/// Declares a key type that loads, per parent id, the child ids of link table `$m`.
macro_rules! links {
    ($key:ident, $m:ident, $parent:ident, $child:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);

        impl async_graphql::dataloader::Loader<$key> for $crate::kernel::loaders::DbLoader {
            type Value = Vec<i64>;
            type Error = $crate::kernel::loaders::LoadError;

            async fn load(&self, keys: &[$key]) -> Result<std::collections::HashMap<$key, Self::Value>, Self::Error> {
                use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let pairs: Vec<(i64, i64)> = $m::Entity::find()
                    .select_only()
                    .column($m::Column::$parent)
                    .column($m::Column::$child)
                    .filter($m::Column::$parent.is_in(ids))
                    .into_tuple()
                    .all(&self.db)
                    .await
                    .map_err(|e| std::sync::Arc::new($crate::error::AppError::from(e)))?;
                let mut map: std::collections::HashMap<$key, Vec<i64>> =
                    keys.iter().map(|k| (*k, Vec::new())).collect();
                for (parent, child) in pairs {
                    map.entry($key(parent)).or_default().push(child);
                }
                Ok(map)
            }
        }
    };
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

pub(crate) use {by_id, links};
