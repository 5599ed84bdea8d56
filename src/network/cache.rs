//! A cache of whole network views (the national coverage matrix costs a scan of every published
//! proposition). An entry holds while no change has been logged since it was computed, checked
//! with one indexed statement per request; a short lifetime bounds the one race a stamp cannot
//! see (a write that commits after a later one). Callers that miss together wait for one
//! computation instead of each scanning the network again.

use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use moka::policy::EvictionPolicy;
use sea_orm::ConnectionTrait;

use crate::cache::{self, Shared};
use crate::error::AppResult;
use crate::kernel::history::last_change_id;

/// How long an entry may be used at most: as long as a cached answer by default, so that a change
/// the stamp missed is seen after the same time in both.
const LIFETIME: Duration = Duration::from_secs(10);
/// How many views are kept.
const CAPACITY: u64 = 512;

/// Cached views by key, each at the change-log stamp it was computed at.
pub struct ViewCache<K, V> {
    views: Cache<(i64, K), Arc<V>>,
}

impl<K, V> Default for ViewCache<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    fn default() -> Self {
        Self {
            views: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(LIFETIME)
                // Views of an older stamp are dead; the least recently used go first.
                .eviction_policy(EvictionPolicy::lru())
                .build(),
        }
    }
}

impl<K, V> ViewCache<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// The cached value for `key` if nothing changed since it was made, or a freshly computed one.
    pub async fn get_or_compute<C, F, Fut>(&self, db: &C, key: K, compute: F) -> AppResult<Arc<V>>
    where
        C: ConnectionTrait,
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<V>>,
    {
        let stamp = last_change_id(db).await?;
        match cache::get_or_compute(&self.views, &(stamp, key), || async { compute().await.map(Arc::new) }).await {
            Shared::Value { value, .. } => Ok(value),
            Shared::Own(error) => Err(error),
        }
    }
}
