//! Rate limits charged by query cost: a token bucket per API key, per signed-in user and per IP.
//!
//! Each bucket holds `points` and refills continuously over the window, so a caller can spend its
//! budget in a burst and then at the refill rate. A request costs one point up front (refused when
//! the bucket is empty) and then its document's cost, as the document limits measure it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::settings::RateLimitSettings;

/// Buckets untouched for this many windows are full again and can be forgotten.
const IDLE_WINDOWS: u32 = 2;
/// What a request with a bad credential costs its address.
pub const FAILED_AUTH_COST: u64 = 100;
/// Forget idle buckets when there are more than this many.
const PRUNE_ABOVE: usize = 10_000;

/// Whose budget a request spends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    Anonymous(IpAddr),
    /// Credentials that failed from this address: each failure costs [`FAILED_AUTH_COST`], so that
    /// inventing keys or tokens cannot dodge the anonymous budget or flood the key lookup.
    FailedAuth(IpAddr),
    Token(String),
    ApiKey(String),
}

/// A caller's budget after a request: what the `RateLimit-*` headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u64,
    pub remaining: u64,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
    pub window_secs: u64,
    /// Seconds until the refused request could be afforded; set only when refused.
    pub retry_after_secs: Option<u64>,
}

struct Bucket {
    points: f64,
    updated: Instant,
}

/// The buckets of every caller.
pub struct RateLimiter {
    settings: RateLimitSettings,
    buckets: Mutex<HashMap<Caller, Bucket>>,
}

impl RateLimiter {
    pub fn new(settings: RateLimitSettings) -> Self {
        Self { settings, buckets: Mutex::new(HashMap::new()) }
    }

    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    fn limit(&self, caller: &Caller) -> u64 {
        match caller {
            Caller::Anonymous(_) | Caller::FailedAuth(_) => self.settings.anonymous_points,
            Caller::Token(_) => self.settings.token_points,
            Caller::ApiKey(_) => self.settings.api_key_points,
        }
    }

    /// Takes the one point every request costs, before it does any work (so that documents that
    /// never reach validation are not free); refused when the bucket is empty.
    pub fn check(&self, caller: &Caller) -> Quota {
        self.charge(caller, 1)
    }

    /// The caller's budget without spending any; refused when it is empty.
    pub fn peek(&self, caller: &Caller) -> Quota {
        self.charge(caller, 0)
    }

    /// Takes `cost` points (capped at the whole budget, so that any allowed query can run once the
    /// bucket is full); refused when the bucket holds fewer, or is empty.
    pub fn charge(&self, caller: &Caller, cost: u64) -> Quota {
        let limit = self.limit(caller);
        let window = Duration::from_secs(self.settings.window_secs);
        let rate = limit as f64 / window.as_secs_f64();
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| now.duration_since(b.updated) < window * IDLE_WINDOWS);
        }
        let bucket = buckets.entry(caller.clone()).or_insert(Bucket { points: limit as f64, updated: now });
        bucket.points = (bucket.points + now.duration_since(bucket.updated).as_secs_f64() * rate).min(limit as f64);
        bucket.updated = now;
        let cost = cost.min(limit) as f64;
        let refused = bucket.points < cost.max(1.0);
        if !refused {
            bucket.points -= cost;
        }
        let retry_after_secs = refused.then(|| ((cost.max(1.0) - bucket.points) / rate).ceil().max(1.0) as u64);
        Quota {
            limit,
            remaining: bucket.points.floor() as u64,
            reset_secs: ((limit as f64 - bucket.points) / rate).ceil() as u64,
            window_secs: self.settings.window_secs,
            retry_after_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(points: u64) -> RateLimiter {
        RateLimiter::new(RateLimitSettings {
            enabled: true,
            window_secs: 60,
            anonymous_points: points,
            token_points: points,
            api_key_points: points,
        })
    }

    #[test]
    fn spends_the_budget_then_refuses_with_a_retry_time() {
        let limiter = limiter(100);
        let caller = Caller::Token("a".into());
        assert_eq!(limiter.charge(&caller, 60).remaining, 40);
        let refused = limiter.charge(&caller, 60);
        assert!(refused.retry_after_secs.is_some_and(|s| s >= 12), "{refused:?}");
        assert_eq!(refused.remaining, 40);
        assert_eq!(limiter.charge(&Caller::Token("b".into()), 60).remaining, 40, "callers are separate");
    }

    #[test]
    fn an_empty_bucket_refuses_even_a_check() {
        let limiter = limiter(10);
        let caller = Caller::ApiKey("k".into());
        limiter.charge(&caller, 10);
        assert!(limiter.check(&caller).retry_after_secs.is_some());
    }
}
