//! Lists of knowledge records, alone or nested under many parents: their pages and lazy counts, the
//! same for studies, insights and ideas.

use std::hash::Hash;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use crate::error::AppResult;
use crate::kernel::loaders::{DbLoader, LoadError, one};
use crate::kernel::page::{Page, PageArgs};
use crate::kernel::{actor, db};
use crate::knowledge::graphql::loaders::{ScopedArgs, ScopedCount, ScopedPage};
use crate::knowledge::idea::IdeaFilter;
use crate::knowledge::insight::InsightFilter;
use crate::knowledge::scope::KnowledgeParent;
use crate::knowledge::study::StudyFilter;
use crate::knowledge::{idea, insight, study};
use crate::trust::identity::Actor;

/// A filter whose list the service counts on its own.
pub trait CountedFilter: Clone + Eq + Hash + Send + Sync + 'static {
    /// How many records the actor may see match every filter.
    fn count(
        db: &DatabaseConnection,
        actor: &Actor,
        filters: &[Self],
    ) -> impl std::future::Future<Output = AppResult<u64>> + Send;
}

impl CountedFilter for StudyFilter {
    async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[Self]) -> AppResult<u64> {
        study::count(db, actor, filters).await
    }
}

impl CountedFilter for InsightFilter {
    async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[Self]) -> AppResult<u64> {
        insight::count(db, actor, filters).await
    }
}

impl CountedFilter for IdeaFilter {
    async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[Self]) -> AppResult<u64> {
        idea::count(db, actor, filters).await
    }
}

/// Counts a list on demand: a list on its own with one count query; one parent's list among many
/// together with its siblings.
pub enum ListCount<F> {
    Filters(Vec<F>),
    Scoped(ScopedCount<F>),
}

impl<F> ListCount<F>
where
    F: CountedFilter,
    DbLoader: Loader<ScopedCount<F>, Value = u64, Error = LoadError>,
{
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        match self {
            Self::Filters(filters) => Ok(F::count(db(ctx), actor(ctx), filters).await?),
            Self::Scoped(key) => Ok(one(ctx, key.clone()).await?.unwrap_or(0)),
        }
    }
}

/// One parent's page of a nested list, batched with its siblings' pages, and its lazy count.
pub async fn scoped_page<F, S, M>(
    ctx: &Context<'_>,
    parent: KnowledgeParent,
    id: i64,
    filters: Vec<F>,
    sort: S,
    page: PageArgs,
) -> async_graphql::Result<(Page<M>, ListCount<F>)>
where
    F: CountedFilter,
    S: Clone + Eq + Hash + Send + Sync + 'static,
    M: Clone + Send + Sync + 'static,
    DbLoader: Loader<ScopedPage<F, S>, Value = Page<M>, Error = LoadError>,
{
    let args = Arc::new(ScopedArgs { filters: filters.clone(), sort, page });
    let page = one(ctx, ScopedPage { parent, id, args }).await?.unwrap_or(Page {
        items: Vec::new(),
        has_next_page: false,
        has_previous_page: false,
    });
    Ok((page, ListCount::Scoped(ScopedCount { parent, id, filters: Arc::new(filters) })))
}
