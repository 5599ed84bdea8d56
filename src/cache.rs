//! One computation for every caller that asks for the same value together, shared through a moka
//! cache: the mechanism under the answer cache and the network-view cache.

use std::future::Future;
use std::hash::Hash;

use moka::future::Cache;

/// What a caller got: a value to share (stored, or computed by this caller), or a result of its
/// own that was not stored.
pub enum Shared<V, R> {
    Value {
        value: V,
        /// Whether this caller computed it, rather than found it or waited for another caller.
        computed: bool,
    },
    Own(R),
}

/// Why a value was not stored; the callers that waited for it compute their own.
#[derive(Debug)]
struct NotStored;

/// `key`'s value in `cache`, or `compute`'s. Callers that miss together wait for one computation.
/// `compute` gives `Ok` for a value to store and share, `Err` for a result that belongs to its
/// caller alone (an error, an answer that names its request); a caller whose wait ended that way
/// computes its own.
pub async fn get_or_compute<K, V, R, F, Fut>(cache: &Cache<K, V>, key: &K, compute: F) -> Shared<V, R>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<V, R>>,
{
    // Taken by whichever runs it: this caller's computation for everyone, or its own below.
    let mut work = Some(compute);
    let mut own = None;
    let mut computed = false;
    let stored = cache
        .try_get_with_by_ref(key, async {
            let Some(compute) = work.take() else { return Err(NotStored) };
            computed = true;
            compute().await.map_err(|result| {
                own = Some(result);
                NotStored
            })
        })
        .await;
    match (stored, own, work) {
        (Ok(value), _, _) => Shared::Value { value, computed },
        (Err(_), Some(own), _) => Shared::Own(own),
        (Err(_), None, Some(compute)) => match compute().await {
            Ok(value) => Shared::Value { value, computed: true },
            Err(own) => Shared::Own(own),
        },
        (Err(_), None, None) => unreachable!("a computation that ran and was not stored left its result"),
    }
}
