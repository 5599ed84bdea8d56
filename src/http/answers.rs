//! Whole answers to anonymous queries, kept while the change log says nothing has changed.
//!
//! Most traffic is anonymous and reads the same public views again and again (a province's page,
//! who offers a proposition, the national matrix), while changes come a few a minute. An answer
//! is stored under the request's text and variables together with the last change-log id read
//! just before it was computed, so a request pays one indexed statement to learn whether its
//! answer still holds. Callers that miss together wait for one computation (`crate::cache`). A lifetime bounds
//! the one race the stamp cannot see: a change that commits after a later one.
//!
//! Only anonymous callers share answers: what a signed-in user or an API key sees depends on who
//! they are, and their requests may read state the change log does not record (`lastUsedAt`).

use std::future::Future;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::StatusCode;
use moka::future::Cache;
use moka::policy::EvictionPolicy;
use sea_orm::DatabaseConnection;

use crate::cache::{self, Shared};
use crate::error::AppError;
use crate::kernel::history::last_change_id;

/// What a request is answered from: its document, operation and variables, at one state of the data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    stamp: i64,
    query: String,
    operation: Option<String>,
    variables: String,
}

/// What an entry costs besides its text: the key's and the cache's own bookkeeping, so that many
/// small answers cannot hold several times the configured memory.
const ENTRY_OVERHEAD: usize = 256;

impl Key {
    fn bytes(&self) -> usize {
        ENTRY_OVERHEAD + self.query.len() + self.operation.as_ref().map_or(0, String::len) + self.variables.len()
    }
}

/// An answer as the edge sends it.
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
    /// Whether the answer can be given to the next anonymous caller: a 200 without errors.
    /// Errors carry the request id, and a failure says nothing lasting about the data.
    pub shareable: bool,
    /// Whether the database could not be reached (for the breaker).
    pub unreachable: bool,
    /// Whether it came from the cache (stored earlier, or computed by a caller this one waited for).
    pub cached: bool,
    /// The objects in its `data`: what the caller's rate limit is charged for it.
    pub objects: u64,
}

/// A stored answer: its text and the objects in it.
#[derive(Clone)]
struct Stored {
    body: Bytes,
    objects: u64,
}

/// The cache; [`AnswerCache::new`] gives none when it is turned off.
pub struct AnswerCache {
    answers: Cache<Key, Stored>,
    /// Keys whose answer could not be shared at their stamp (it had errors): later callers compute
    /// their own at once instead of queueing behind each other's computations.
    unshareable: Cache<Key, ()>,
}

impl AnswerCache {
    /// A cache holding up to `max_bytes` of answers and keys, each used for at most `lifetime`.
    pub fn new(max_bytes: u64, lifetime: Duration) -> Option<Self> {
        (max_bytes > 0).then(|| Self {
            answers: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|key: &Key, stored: &Stored| {
                    u32::try_from(key.bytes() + stored.body.len()).unwrap_or(u32::MAX)
                })
                .time_to_live(lifetime)
                // After a change every entry is dead but still counted as popular; frequency-based
                // admission would then turn the fresh answers away until the dead ones expire.
                .eviction_policy(EvictionPolicy::lru())
                .build(),
            unshareable: Cache::builder()
                .max_capacity(max_bytes / 8)
                .weigher(|key: &Key, _: &()| u32::try_from(key.bytes()).unwrap_or(u32::MAX))
                .time_to_live(lifetime)
                .eviction_policy(EvictionPolicy::lru())
                .build(),
        })
    }

    /// The stored answer to `request` if nothing has changed since it was computed; otherwise
    /// `compute`'s, stored when it can be shared.
    pub async fn answer<F, Fut>(
        &self,
        db: &DatabaseConnection,
        request: async_graphql::Request,
        compute: F,
    ) -> Result<Answer, AppError>
    where
        F: FnOnce(async_graphql::Request) -> Fut,
        Fut: Future<Output = Result<Answer, AppError>>,
    {
        let stamp = last_change_id(db).await?;
        self.answer_at(stamp, request, compute).await
    }

    /// [`AnswerCache::answer`] at a change-log `stamp` the caller read just before (so that the answer
    /// and the entity tag made from the stamp agree).
    pub async fn answer_at<F, Fut>(
        &self,
        stamp: i64,
        request: async_graphql::Request,
        compute: F,
    ) -> Result<Answer, AppError>
    where
        F: FnOnce(async_graphql::Request) -> Fut,
        Fut: Future<Output = Result<Answer, AppError>>,
    {
        let key = Key {
            stamp,
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            // Variables keep the order they were sent in; another order only misses.
            variables: serde_json::to_string(&request.variables).map_err(AppError::internal)?,
        };
        if self.unshareable.contains_key(&key) {
            return compute(request).await;
        }
        let got = cache::get_or_compute(&self.answers, &key, || async move {
            match compute(request).await {
                Ok(answer) if answer.shareable => Ok(Stored { body: answer.body, objects: answer.objects }),
                other => Err(other),
            }
        })
        .await;
        match got {
            Shared::Value { value, computed } => Ok(Answer {
                status: StatusCode::OK,
                body: value.body,
                shareable: true,
                unreachable: false,
                cached: !computed,
                objects: value.objects,
            }),
            Shared::Own(own) => {
                if own.as_ref().is_ok_and(|answer| answer.status == StatusCode::OK) {
                    self.unshareable.insert(key, ()).await;
                }
                own
            }
        }
    }
}
