//! A cache of whole network views (the national coverage matrix costs a scan of every published
//! proposition). An entry holds while no change has been logged since it was computed, checked
//! with one indexed statement per request; a short lifetime bounds the one race a stamp cannot
//! see (a write that commits after a later one).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;

use crate::error::AppResult;
use crate::service::history::last_change_id;

/// How long an entry may be used at most.
const LIFETIME: Duration = Duration::from_secs(60);
/// How many entries are kept; past this the cache starts afresh.
const CAPACITY: usize = 512;

struct Entry<V> {
    stamp: i64,
    made: Instant,
    value: Arc<V>,
}

/// Cached views by key.
pub struct ViewCache<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Eq + Hash + Clone, V> Default for ViewCache<K, V> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash + Clone, V> ViewCache<K, V> {
    /// The cached value for `key` if nothing changed since it was made, or a freshly computed one.
    pub async fn get_or_compute<C, F, Fut>(&self, db: &C, key: K, compute: F) -> AppResult<Arc<V>>
    where
        C: ConnectionTrait,
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<V>>,
    {
        let stamp = last_change_id(db).await?;
        if let Some(e) = self.lock().get(&key)
            && e.stamp == stamp
            && e.made.elapsed() < LIFETIME
        {
            return Ok(e.value.clone());
        }
        let value = Arc::new(compute().await?);
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, Entry { stamp, made: Instant::now(), value: value.clone() });
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<V>>> {
        // A panic while holding the lock leaves only a cache behind; its entries are still whole.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
