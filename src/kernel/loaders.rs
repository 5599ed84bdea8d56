//! Batched loading of nested fields, so a page of records costs one query per field, not per row: the
//! request's loader (it knows the actor) and the request's batches (run on the request's own task),
//! `many`/`one` to load through it, and the two shapes of key every domain declares its own loaders with
//! (`by_id!`, `links!`).

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::Duration;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::task::{ArcWake, AtomicWaker};
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

/// Builds a request's loader, and the batches it hands its loads to; run the request with
/// [`Batches::drive`].
///
/// A batch waits for no timer. The library's default, a 1 ms timer on a timer thread of its own and a
/// batch spawned onto the runtime, cost a millisecond and two thread wake-ups per level of nesting,
/// and a batch spawned without the timer may be stolen by another worker before the request has asked
/// for all of the level's keys. Run on the request's task, right after it polled the fields, a batch
/// holds every key the level asked for.
pub fn new_loader(db: DatabaseConnection, actor: Actor) -> (DataLoader<DbLoader>, Arc<Batches>) {
    batched(DbLoader { db, actor })
}

/// A loader whose batches are handed to the returned [`Batches`].
fn batched<L: Send + Sync + 'static>(loader: L) -> (DataLoader<L>, Arc<Batches>) {
    let batches = Arc::new(Batches::default());
    let inbox = batches.clone();
    let loader = DataLoader::new(loader, move |batch| inbox.push(batch)).delay(Duration::ZERO);
    (loader, batches)
}

/// The loads a request's loader has started, run on the request's own task by [`Batches::drive`].
#[derive(Default)]
pub struct Batches {
    inbox: Mutex<Vec<BoxFuture<'static, ()>>>,
    /// Whether a request is driving them; a load outside one is spawned as a task of its own.
    driven: AtomicBool,
}

/// How many times in a row the request is polled again, when it asks for that, before its task goes
/// back to the runtime: a list of a thousand rows asks about five hundred times (see [`Batches::drive`]).
const POLLS_IN_A_ROW: usize = 4096;

/// The waker the request is polled with: it notes that the request asked to be polled again, and
/// passes the wake on to the task only when the driver is not polling (and so will not look).
#[derive(Default)]
struct Tracker {
    woken: AtomicBool,
    polling: AtomicBool,
    task: AtomicWaker,
}

impl ArcWake for Tracker {
    fn wake_by_ref(this: &Arc<Self>) {
        this.woken.store(true, Ordering::SeqCst);
        if !this.polling.load(Ordering::SeqCst) {
            this.task.wake();
        }
    }
}

impl Batches {
    fn push(&self, batch: BoxFuture<'static, ()>) {
        if self.driven.load(Ordering::Acquire) {
            self.inbox.lock().unwrap_or_else(PoisonError::into_inner).push(batch);
        } else {
            crate::db::cancel::spawn_in_scope(batch);
        }
    }

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        std::mem::take(&mut *self.inbox.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `work` (the request's execution) and, on the same task, the batches it starts.
    ///
    /// `work` is polled until it has asked for every key it can: async-graphql resolves the fields of
    /// an object and the items of a list in `FuturesUnordered` sets, which wake their parent each time
    /// they have polled all their futures, and a set that was woken twice stops and waits for the next
    /// poll; so one poll reaches only a few items of a list, and each further poll a few more. Only
    /// when `work` stops asking to be polled are its batches started, each then holding all the keys
    /// of its level; when one delivers, `work` goes on at once. After 4096 polls in a row, or when
    /// tokio's budget for the task is spent, the task goes back to the runtime first (a request that
    /// is handed back three times in a row gets its batches started anyway).
    pub async fn drive<F: Future>(&self, work: F) -> F::Output {
        struct Driving<'a>(&'a Batches);
        impl Drop for Driving<'_> {
            fn drop(&mut self) {
                self.0.driven.store(false, Ordering::Release);
            }
        }
        self.driven.store(true, Ordering::Release);
        let _driving = Driving(self);
        let tracker = Arc::new(Tracker::default());
        let waker = futures::task::waker(tracker.clone());
        let mut work = pin!(work);
        let mut running = FuturesUnordered::new();
        let mut handbacks = 0;
        std::future::poll_fn(|cx| {
            tracker.task.register(cx.waker());
            let mut work_cx = std::task::Context::from_waker(&waker);
            let mut polls = 0;
            loop {
                tracker.polling.store(true, Ordering::SeqCst);
                // The request, as long as it asks to be polled again.
                loop {
                    tracker.woken.store(false, Ordering::SeqCst);
                    if let Poll::Ready(output) = work.as_mut().poll(&mut work_cx) {
                        tracker.polling.store(false, Ordering::SeqCst);
                        return Poll::Ready(output);
                    }
                    polls += 1;
                    let asks = tracker.woken.load(Ordering::SeqCst);
                    // A resource out of tokio's budget defers its wake past this poll, unseen by the
                    // tracker: with the budget spent, the request may not be done asking.
                    let budget = tokio::task::coop::has_budget_remaining();
                    if !asks && budget {
                        handbacks = 0;
                        break;
                    }
                    if asks && budget && polls < POLLS_IN_A_ROW {
                        continue;
                    }
                    // Back to the runtime, which polls again at once, with a fresh budget. The batches
                    // wait for that, so none starts half full, unless the request was handed back three
                    // times in a row: one that always asks to be polled again must still get its loads.
                    handbacks += 1;
                    if handbacks >= 3 {
                        running.extend(self.take());
                        handbacks = 0;
                    }
                    tracker.polling.store(false, Ordering::SeqCst);
                    while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                // Then its batches; one that delivers wakes the request.
                running.extend(self.take());
                while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
                tracker.polling.store(false, Ordering::SeqCst);
                // A wake while polling was noted, not passed on: look at it now.
                if !tracker.woken.load(Ordering::SeqCst) {
                    return Poll::Pending;
                }
            }
        })
        .await
    }
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::AtomicUsize;

    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};

    use super::*;

    /// Doubles numbers, and counts its batches.
    #[derive(Default)]
    struct Doubler {
        batches: Arc<AtomicUsize>,
    }

    impl Loader<u32> for Doubler {
        type Value = u32;
        type Error = String;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, String> {
            self.batches.fetch_add(1, Ordering::SeqCst);
            // As a statement would: back to the runtime before the answer.
            tokio::task::yield_now().await;
            Ok(keys.iter().map(|k| (*k, k * 2)).collect())
        }
    }

    struct Item(u32);

    async fn doubled(ctx: &Context<'_>, n: u32) -> u32 {
        ctx.data_unchecked::<DataLoader<Doubler>>().load_one(n).await.unwrap().unwrap_or_default()
    }

    #[Object]
    impl Item {
        async fn double(&self, ctx: &Context<'_>) -> u32 {
            doubled(ctx, self.0).await
        }
        async fn next(&self, ctx: &Context<'_>) -> Item {
            Item(doubled(ctx, self.0).await + 1)
        }
        /// Asks to be polled again every time while its load waits.
        async fn impatient(&self, ctx: &Context<'_>) -> u32 {
            let mut load = pin!(doubled(ctx, self.0));
            std::future::poll_fn(|cx| {
                let polled = load.as_mut().poll(cx);
                if polled.is_pending() {
                    cx.waker().wake_by_ref();
                }
                polled
            })
            .await
        }
    }

    struct Query;

    #[Object]
    impl Query {
        async fn items(&self, n: u32) -> Vec<Item> {
            (0..n).map(Item).collect()
        }
    }

    /// Fewer rows than a batch holds at most (the library's `max_batch_size`, 1000).
    const QUERY: &str = "{ items(n: 600) { double next { double } } }";

    fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::new(Query, EmptyMutation, EmptySubscription)
    }

    fn check(answer: &async_graphql::Response) {
        assert!(answer.errors.is_empty(), "{:?}", answer.errors);
        let json = answer.data.clone().into_json().unwrap();
        let items = json["items"].as_array().unwrap();
        assert_eq!(items.len(), 600);
        assert_eq!(items[7]["double"], 14);
        assert_eq!(items[7]["next"]["double"], 30);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_level_of_six_hundred_rows_is_one_batch() {
        let counted = Arc::new(AtomicUsize::new(0));
        let (loader, batches) = batched(Doubler { batches: counted.clone() });
        let answer = batches.drive(schema().execute(async_graphql::Request::new(QUERY).data(loader))).await;
        check(&answer);
        assert_eq!(counted.load(Ordering::SeqCst), 2, "one batch for each level");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_field_that_always_asks_to_be_polled_again_still_gets_its_load() {
        let (loader, batches) = batched(Doubler::default());
        let schema = schema();
        let work = schema.execute(async_graphql::Request::new("{ items(n: 3) { impatient } }").data(loader));
        let answer = tokio::time::timeout(Duration::from_secs(10), batches.drive(work)).await.expect("the loads ran");
        assert!(answer.errors.is_empty(), "{:?}", answer.errors);
        assert_eq!(answer.data.into_json().unwrap()["items"][2]["impatient"], 4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_load_outside_a_driven_request_runs_as_a_task_of_its_own() {
        let (loader, _batches) = batched(Doubler::default());
        let schema = schema();
        let answer = schema.execute(async_graphql::Request::new(QUERY).data(loader));
        check(&tokio::time::timeout(Duration::from_secs(10), answer).await.expect("the loads ran"));
    }
}
