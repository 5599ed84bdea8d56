//! A cache of whole network views (the national coverage matrix costs a scan of every published
//! proposition). An entry holds while no change has been logged since it was computed, checked
//! with one indexed statement per request; a short lifetime bounds the one race a stamp cannot
//! see (a write that commits after a later one). Callers that miss together wait for one
//! computation instead of each scanning the network again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;

use crate::error::AppResult;
use crate::service::history::last_change_id;

/// How long an entry may be used at most: as long as a cached answer by default, so that a change
/// the stamp missed is seen after the same time in both.
const LIFETIME: Duration = Duration::from_secs(10);
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
    /// One computation per key at a time: after a change, every caller of a busy view misses at
    /// once, and each would otherwise compute the same view.
    gates: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K: Eq + Hash + Clone, V> Default for ViewCache<K, V> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::new()), gates: Mutex::new(HashMap::new()) }
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
        if let Some(value) = self.fresh(&key, stamp) {
            return Ok(value);
        }
        let gate = {
            let mut gates = lock(&self.gates);
            if gates.len() >= CAPACITY {
                gates.clear();
            }
            gates.entry(key.clone()).or_default().clone()
        };
        let _turn = gate.lock().await;
        // Whoever held the gate before may have just made it.
        if let Some(value) = self.fresh(&key, stamp) {
            return Ok(value);
        }
        let value = Arc::new(compute().await?);
        let mut entries = lock(&self.entries);
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, Entry { stamp, made: Instant::now(), value: value.clone() });
        Ok(value)
    }

    /// The entry for `key` if it was made at `stamp` or later and is young enough.
    fn fresh(&self, key: &K, stamp: i64) -> Option<Arc<V>> {
        let entries = lock(&self.entries);
        let entry = entries.get(key)?;
        (entry.stamp >= stamp && entry.made.elapsed() < LIFETIME).then(|| entry.value.clone())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves only a cache behind; its entries are still whole.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
