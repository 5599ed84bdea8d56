//! Lists nested under many parents at once (a page of libraries, each with its propositions or its studies):
//! one kind of key for every such list, so that a page of parents costs one statement for their pages and one
//! for their counts, whatever is listed, and one lazily counted `totalCount` for a list on its own or nested.

use std::collections::HashMap;
use std::fmt::Debug;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use crate::error::AppResult;
use crate::identity::Actor;
use crate::kernel::loaders::{DbLoader, LoadError, one};
use crate::kernel::page::{Page, PageArgs};
use crate::kernel::{actor, db};

/// A kind of record listed under parents: how the pages and counts of one batch of parents are read, and
/// how a list of them on its own is counted. Implemented by a marker type per list (`Studies`,
/// `Propositions`, …) in the domain that owns the records.
pub trait Nested: Clone + Copy + Debug + PartialEq + Eq + Hash + Send + Sync + 'static {
    /// What kind of parent the list hangs under (an organisation, a standard proposition, …).
    type Parent: Copy + Debug + Eq + Hash + Send + Sync + 'static;
    type Filter: Clone + Debug + Eq + Hash + Send + Sync + 'static;
    type Sort: Clone + Debug + Eq + Hash + Send + Sync + 'static;
    type Model: Clone + Send + Sync + 'static;

    /// One page for each parent id that has any.
    fn pages(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: Self::Parent,
        ids: &[i64],
        filters: &[Self::Filter],
        sort: &Self::Sort,
        page: &PageArgs,
    ) -> impl Future<Output = AppResult<HashMap<i64, Page<Self::Model>>>> + Send;

    /// How many match, for each parent id that has any.
    fn counts(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: Self::Parent,
        ids: &[i64],
        filters: &[Self::Filter],
    ) -> impl Future<Output = AppResult<HashMap<i64, u64>>> + Send;

    /// How many of those the actor may see match every filter, in a list on its own.
    fn count(
        db: &DatabaseConnection,
        actor: &Actor,
        filters: &[Self::Filter],
    ) -> impl Future<Output = AppResult<u64>> + Send;
}

/// The arguments of a nested list; the same for every parent in one query.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NestedArgs<N: Nested> {
    pub filters: Vec<N::Filter>,
    pub sort: N::Sort,
    pub page: PageArgs,
}

/// Key: a parent and the arguments of its nested list; loads that page, batched with its siblings'.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NestedPage<N: Nested> {
    pub parent: N::Parent,
    pub id: i64,
    pub args: Arc<NestedArgs<N>>,
}

/// Key: a parent and the filters of its nested list; loads how many match, batched with its siblings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NestedCount<N: Nested> {
    pub parent: N::Parent,
    pub id: i64,
    pub filters: Arc<Vec<N::Filter>>,
}

/// The parents asking for the same page of a list, loaded in one statement.
type PageBatch<N> = (<N as Nested>::Parent, Arc<NestedArgs<N>>);
/// The parents asking for the same count, counted in one statement.
type CountBatch<N> = (<N as Nested>::Parent, Arc<Vec<<N as Nested>::Filter>>);

impl<N: Nested> Loader<NestedPage<N>> for DbLoader {
    type Value = Page<N::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[NestedPage<N>]) -> Result<HashMap<NestedPage<N>, Self::Value>, Self::Error> {
        let mut groups: HashMap<PageBatch<N>, Vec<i64>> = HashMap::new();
        for key in keys {
            groups.entry((key.parent, key.args.clone())).or_default().push(key.id);
        }
        let mut result = HashMap::new();
        for ((parent, args), ids) in groups {
            let mut pages = N::pages(&self.db, &self.actor, parent, &ids, &args.filters, &args.sort, &args.page)
                .await
                .map_err(Arc::new)?;
            for id in ids {
                let page = pages.remove(&id).unwrap_or(Page {
                    items: Vec::new(),
                    has_next_page: false,
                    has_previous_page: args.page.after.is_some(),
                });
                result.insert(NestedPage { parent, id, args: args.clone() }, page);
            }
        }
        Ok(result)
    }
}

impl<N: Nested> Loader<NestedCount<N>> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[NestedCount<N>]) -> Result<HashMap<NestedCount<N>, Self::Value>, Self::Error> {
        let mut groups: HashMap<CountBatch<N>, Vec<i64>> = HashMap::new();
        for key in keys {
            groups.entry((key.parent, key.filters.clone())).or_default().push(key.id);
        }
        let mut result = HashMap::new();
        for ((parent, filters), ids) in groups {
            let counts = N::counts(&self.db, &self.actor, parent, &ids, &filters).await.map_err(Arc::new)?;
            for id in ids {
                let n = counts.get(&id).copied().unwrap_or(0);
                result.insert(NestedCount { parent, id, filters: filters.clone() }, n);
            }
        }
        Ok(result)
    }
}

/// A list's `totalCount`, counted only when asked: a list on its own with one statement, one parent's list
/// among many together with its siblings'.
pub enum ListCount<N: Nested> {
    Filters(Vec<N::Filter>),
    Nested(NestedCount<N>),
}

impl<N: Nested> ListCount<N> {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        match self {
            Self::Filters(filters) => Ok(N::count(db(ctx), actor(ctx), filters).await?),
            Self::Nested(key) => Ok(one(ctx, key.clone()).await?.unwrap_or(0)),
        }
    }
}

/// One parent's page of a nested list, batched with its siblings' pages, and its lazy count.
pub async fn nested_page<N: Nested>(
    ctx: &Context<'_>,
    parent: N::Parent,
    id: i64,
    filters: Vec<N::Filter>,
    sort: N::Sort,
    page: PageArgs,
) -> async_graphql::Result<(Page<N::Model>, ListCount<N>)> {
    let args = Arc::new(NestedArgs::<N> { filters: filters.clone(), sort, page });
    let page = one(ctx, NestedPage::<N> { parent, id, args }).await?.unwrap_or(Page {
        items: Vec::new(),
        has_next_page: false,
        has_previous_page: false,
    });
    Ok((page, ListCount::Nested(NestedCount { parent, id, filters: Arc::new(filters) })))
}
