//! Rate limits charged by query cost: a token bucket per API key, per signed-in user and per
//! network address.
//!
//! Each bucket holds `points` and refills continuously over the window, so a caller can spend its
//! budget in a burst and then at the refill rate. A request costs one point up front (refused when
//! the bucket is empty) and then the objects its answer holds: before it runs, the most objects
//! its answer can hold (as the document limits measure it) are set aside, as far as the bucket
//! holds them, and after it ran the objects the answer holds are charged instead. An answer larger
//! than what was set aside leaves the bucket in debt, and the caller waits until it has refilled.
//!
//! Anonymous callers are keyed by their address: an IPv4 address as it is, an IPv6 address by its
//! network of `ipv6_prefix_len` bits (a /64 by default: one subscriber's, so that the 2^64
//! addresses in it do not each buy a fresh budget).
//!
//! The buckets are bounded. A bucket that has refilled to the limit says nothing a fresh one would
//! not, so full buckets are forgotten (every window, and whenever the map is at `max_buckets`).
//! When the map is still at its bound, the tenth of buckets closest to full is forgotten: the
//! callers that have spent least are forgiven first, and a caller that emptied its bucket keeps it
//! longest.
//!
//! Hand-written rather than `governor`'s keyed limiter: the edge charges a cost known only after
//! parsing and peeks at a budget without spending (`check_key_n` takes a non-zero count), the
//! `RateLimit-*` headers need the level and the time to full, the three kinds of caller have three
//! budgets, and governor's `retain_recent` forgets full buckets but sets no bound on how many
//! non-full ones a spray of keys leaves between two calls.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ipnet::Ipv6Net;

use crate::settings::RateLimitSettings;

/// What a request with a bad credential costs its address.
pub const FAILED_AUTH_COST: u64 = 100;

/// Whose budget a request spends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// A caller without credentials, by address (the limiter keys IPv6 by network).
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

struct Buckets {
    map: HashMap<Caller, Bucket>,
    /// When full buckets were last forgotten.
    swept: Instant,
}

/// The buckets of every caller.
pub struct RateLimiter {
    settings: RateLimitSettings,
    buckets: Mutex<Buckets>,
}

impl RateLimiter {
    pub fn new(settings: RateLimitSettings) -> Self {
        Self { settings, buckets: Mutex::new(Buckets { map: HashMap::new(), swept: Instant::now() }) }
    }

    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    /// How many buckets are held.
    pub fn bucket_count(&self) -> usize {
        self.lock().map.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Buckets> {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn limit(&self, caller: &Caller) -> u64 {
        match caller {
            Caller::Anonymous(_) | Caller::FailedAuth(_) => self.settings.anonymous_points,
            Caller::Token(_) => self.settings.token_points,
            Caller::ApiKey(_) => self.settings.api_key_points,
        }
    }

    fn window(&self) -> Duration {
        Duration::from_secs(self.settings.window_secs)
    }

    /// Points per second the bucket of a caller with this limit refills.
    fn rate(&self, limit: u64) -> f64 {
        limit as f64 / self.window().as_secs_f64()
    }

    /// The bucket a caller spends from: the same caller, with an IPv6 address cut to its network.
    fn key(&self, caller: &Caller) -> Caller {
        let network = |ip: IpAddr| match ip {
            IpAddr::V6(v6) => Ipv6Net::new(v6, self.settings.ipv6_prefix_len).map_or(ip, |n| n.network().into()),
            IpAddr::V4(_) => ip,
        };
        match caller {
            Caller::Anonymous(ip) => Caller::Anonymous(network(*ip)),
            Caller::FailedAuth(ip) => Caller::FailedAuth(network(*ip)),
            other => other.clone(),
        }
    }

    /// The bucket's points at `now`, refilled since it was last charged, as a share of its limit.
    fn fullness(&self, key: &Caller, bucket: &Bucket, now: Instant) -> f64 {
        let limit = self.limit(key);
        let refilled = now.saturating_duration_since(bucket.updated).as_secs_f64() * self.rate(limit);
        ((bucket.points + refilled) / limit as f64).min(1.0)
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
        self.charge_at(caller, cost, Instant::now())
    }

    fn charge_at(&self, caller: &Caller, cost: u64, now: Instant) -> Quota {
        self.with_bucket(caller, now, |points, limit| {
            let cost = cost.min(limit) as f64;
            let refused = *points < cost.max(1.0);
            if !refused {
                *points -= cost;
            }
            refused.then_some(cost.max(1.0))
        })
    }

    /// Sets a document's cost aside before it runs: its estimate, but at most half of what the
    /// bucket holds, so that the caller's other requests (another tab, colleagues behind the same
    /// address) are not refused while it runs. Never refused: [`RateLimiter::check`] refused an
    /// empty bucket already. Parallel requests cannot each spend the same points, and
    /// [`RateLimiter::settle`] gives back what the answer did not use. Returns the points set aside.
    pub fn reserve(&self, caller: &Caller, estimate: u64) -> u64 {
        let mut reserved = 0;
        self.with_bucket(caller, Instant::now(), |points, _| {
            reserved = estimate.min((points.max(0.0) / 2.0).floor() as u64);
            *points -= reserved as f64;
            None
        });
        reserved
    }

    /// Charges what the answer cost (capped at the whole budget) against the points `reserved`
    /// for it: what was set aside and not used comes back; a larger answer leaves the bucket in
    /// debt, refusing the caller's next requests until it has refilled.
    pub fn settle(&self, caller: &Caller, reserved: u64, cost: u64) -> Quota {
        self.settle_at(caller, reserved, cost, Instant::now())
    }

    /// Sets aside the points a request estimates (see [`RateLimiter::reserve`]) and hands them back as a
    /// [`Reservation`], which settles at what the answer cost, or gives the points back when the request
    /// ends without an answer (it ran out of time and was dropped). With the limits off it holds nothing.
    pub fn set_aside(self: &std::sync::Arc<Self>, caller: &Caller, estimate: u64) -> Reservation {
        let points = if self.enabled() { self.reserve(caller, estimate) } else { 0 };
        Reservation { limiter: self.clone(), caller: caller.clone(), points, settled: false }
    }

    fn settle_at(&self, caller: &Caller, reserved: u64, cost: u64, now: Instant) -> Quota {
        self.with_bucket(caller, now, |points, limit| {
            *points += reserved as f64 - cost.min(limit) as f64;
            None
        })
    }

    /// Refills the caller's bucket to `now` and applies `spend` to its points (which may leave
    /// them below zero); `spend` answers the points a refused request needed, if it refused.
    fn with_bucket(&self, caller: &Caller, now: Instant, spend: impl FnOnce(&mut f64, u64) -> Option<f64>) -> Quota {
        let key = self.key(caller);
        let limit = self.limit(&key);
        let rate = self.rate(limit);
        let mut buckets = self.lock();
        if now.saturating_duration_since(buckets.swept) >= self.window() {
            self.forget_full(&mut buckets.map, now);
            buckets.swept = now;
        }
        if buckets.map.len() >= self.settings.max_buckets && !buckets.map.contains_key(&key) {
            self.make_room(&mut buckets.map, now);
        }
        let bucket = buckets.map.entry(key).or_insert(Bucket { points: limit as f64, updated: now });
        let refilled = now.saturating_duration_since(bucket.updated).as_secs_f64() * rate;
        bucket.points = (bucket.points + refilled).min(limit as f64);
        bucket.updated = bucket.updated.max(now);
        let needed = spend(&mut bucket.points, limit);
        // A debt is never deeper than one whole budget, and a reservation given back to a bucket
        // that refilled meanwhile does not overfill it.
        bucket.points = bucket.points.clamp(-(limit as f64), limit as f64);
        let retry_after_secs = needed.map(|needed| ((needed - bucket.points) / rate).ceil().max(1.0) as u64);
        Quota {
            limit,
            remaining: bucket.points.max(0.0).floor() as u64,
            reset_secs: ((limit as f64 - bucket.points) / rate).ceil() as u64,
            window_secs: self.settings.window_secs,
            retry_after_secs,
        }
    }

    /// Forgets the buckets that have refilled: a fresh one would be the same.
    fn forget_full(&self, map: &mut HashMap<Caller, Bucket>, now: Instant) {
        map.retain(|key, bucket| self.fullness(key, bucket, now) < 1.0);
    }

    /// Below `max_buckets` again: forgets full buckets, and if that is not enough, the tenth of
    /// the buckets closest to full.
    fn make_room(&self, map: &mut HashMap<Caller, Bucket>, now: Instant) {
        self.forget_full(map, now);
        let max = self.settings.max_buckets;
        if map.len() < max {
            return;
        }
        let keep = (max - max / 10).saturating_sub(1);
        let mut by_fullness: Vec<(f64, Caller)> =
            map.iter().map(|(key, bucket)| (self.fullness(key, bucket, now), key.clone())).collect();
        by_fullness.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
        let forget = map.len() - keep;
        for (_, key) in by_fullness.into_iter().take(forget) {
            map.remove(&key);
        }
        tracing::warn!(
            rate_limit.max_buckets = max,
            rate_limit.forgotten = forget,
            "the rate limiter held as many buckets as it may; forgot those closest to full"
        );
    }
}

/// Points set aside from a caller's budget while its request runs.
pub struct Reservation {
    limiter: std::sync::Arc<RateLimiter>,
    caller: Caller,
    points: u64,
    settled: bool,
}

impl Reservation {
    /// Charges what the answer cost against what was set aside; `None` with the limits off.
    pub fn settle(mut self, cost: u64) -> Option<Quota> {
        self.settled = true;
        self.limiter.enabled().then(|| self.limiter.settle(&self.caller, self.points, cost))
    }
}

impl Drop for Reservation {
    /// A request dropped before its answer (it ran out of time) is charged nothing beyond its first point.
    fn drop(&mut self) {
        if !self.settled && self.limiter.enabled() {
            self.limiter.settle(&self.caller, self.points, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(points: u64) -> RateLimitSettings {
        RateLimitSettings {
            enabled: true,
            window_secs: 60,
            anonymous_points: points,
            token_points: points,
            api_key_points: points,
            ipv6_prefix_len: 64,
            max_buckets: 100_000,
        }
    }

    fn limiter(points: u64) -> RateLimiter {
        RateLimiter::new(settings(points))
    }

    fn anonymous(ip: &str) -> Caller {
        Caller::Anonymous(ip.parse().unwrap())
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

    #[test]
    fn the_addresses_of_one_ipv6_64_share_a_bucket_and_ipv4_addresses_do_not() {
        let limiter = limiter(100);
        limiter.charge(&anonymous("2001:db8:1:2::1"), 100);
        for same in ["2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"] {
            assert!(limiter.check(&anonymous(same)).retry_after_secs.is_some(), "{same}");
        }
        assert_eq!(limiter.check(&anonymous("2001:db8:1:3::1")).remaining, 99, "the next /64");
        let failed = Caller::FailedAuth("2001:db8:1:2::9".parse().unwrap());
        assert_eq!(limiter.charge(&failed, FAILED_AUTH_COST).remaining, 0, "failures are keyed alike");
        assert!(limiter.peek(&Caller::FailedAuth("2001:db8:1:2::a".parse().unwrap())).retry_after_secs.is_some());

        limiter.charge(&anonymous("203.0.113.7"), 100);
        assert_eq!(limiter.check(&anonymous("203.0.113.8")).remaining, 99, "IPv4 by the whole address");
    }

    #[test]
    fn the_ipv6_prefix_is_configurable() {
        let limiter = RateLimiter::new(RateLimitSettings { ipv6_prefix_len: 48, ..settings(100) });
        limiter.charge(&anonymous("2001:db8:1:2::1"), 100);
        assert!(limiter.check(&anonymous("2001:db8:1:ffff::1")).retry_after_secs.is_some(), "one /48");
        assert_eq!(limiter.check(&anonymous("2001:db8:2::1")).remaining, 99, "the next /48");
        let per_address = RateLimiter::new(RateLimitSettings { ipv6_prefix_len: 128, ..settings(100) });
        per_address.charge(&anonymous("2001:db8::1"), 100);
        assert_eq!(per_address.check(&anonymous("2001:db8::2")).remaining, 99, "/128: per address");
    }

    #[test]
    fn a_spray_of_addresses_never_holds_more_than_max_buckets_and_the_spent_bucket_stays() {
        let limiter = RateLimiter::new(RateLimitSettings { max_buckets: 1_000, ..settings(100) });
        let start = Instant::now();
        let spender = anonymous("203.0.113.7");
        limiter.charge_at(&spender, 100, start);
        for i in 0..10_000u32 {
            let segments = i.to_be_bytes();
            let ip = format!("2001:db8:{:x}{:02x}:{:x}{:02x}::1", segments[0], segments[1], segments[2], segments[3]);
            limiter.charge_at(&anonymous(&ip), 1, start + Duration::from_millis(u64::from(i) / 1000));
            assert!(limiter.bucket_count() <= 1_000, "{} buckets after {i}", limiter.bucket_count());
        }
        let later = start + Duration::from_millis(20);
        assert!(limiter.charge_at(&spender, 2, later).retry_after_secs.is_some(), "the emptied bucket was kept");
    }

    #[test]
    fn full_buckets_are_forgotten_before_any_other() {
        let limiter = RateLimiter::new(RateLimitSettings { max_buckets: 3, ..settings(60) });
        let start = Instant::now();
        limiter.charge_at(&anonymous("203.0.113.1"), 60, start);
        limiter.charge_at(&anonymous("203.0.113.2"), 1, start);
        limiter.charge_at(&anonymous("203.0.113.3"), 1, start);
        // A point refills each second: after 2 s the two small spenders are full, the first is not.
        let later = start + Duration::from_secs(2);
        limiter.charge_at(&anonymous("203.0.113.4"), 1, later);
        assert_eq!(limiter.bucket_count(), 2, "the two full buckets were forgotten, nothing else");
        assert_eq!(limiter.charge_at(&anonymous("203.0.113.1"), 0, later).remaining, 2, "kept, with 2 points");
    }

    #[test]
    fn full_buckets_are_forgotten_every_window() {
        let limiter = limiter(60);
        let start = Instant::now();
        for i in 0..50u8 {
            limiter.charge_at(&anonymous(&format!("198.51.100.{i}")), 1, start);
        }
        limiter.charge_at(&anonymous("203.0.113.9"), 60, start);
        assert_eq!(limiter.bucket_count(), 51);
        limiter.charge_at(&Caller::Token("t".into()), 1, start + Duration::from_secs(61));
        assert_eq!(limiter.bucket_count(), 1, "only the new bucket: everything else had refilled");
    }

    #[test]
    fn a_reservation_takes_what_the_bucket_holds_and_the_settlement_charges_what_was_used() {
        let limiter = limiter(100);
        let caller = Caller::Token("a".into());
        let start = Instant::now();
        assert_eq!(limiter.reserve(&caller, 30), 30);
        assert_eq!(limiter.reserve(&caller, 70), 35, "at most half of what is left");
        assert_eq!(limiter.reserve(&caller, 70), 17, "a parallel request gets half of the rest");
        assert_eq!(limiter.settle_at(&caller, 17, 0, start).remaining, 35, "an empty answer gives it all back");
        assert_eq!(limiter.settle_at(&caller, 35, 5, start).remaining, 65, "the unused 30 come back");
        assert_eq!(limiter.settle_at(&caller, 30, 30, start).remaining, 65, "a full answer keeps its reservation");
    }

    #[test]
    fn an_answer_larger_than_its_reservation_leaves_a_debt_that_refuses() {
        let limiter = limiter(60);
        let caller = Caller::ApiKey("k".into());
        let start = Instant::now();
        assert_eq!(limiter.charge_at(&caller, 50, start).remaining, 10);
        let quota = limiter.settle_at(&caller, 0, 40, start);
        assert_eq!(quota.remaining, 0);
        assert_eq!(quota.reset_secs, 90, "30 points short of empty and 60 to fill, at one a second");
        let refused = limiter.charge_at(&caller, 1, start + Duration::from_secs(30));
        assert_eq!(refused.retry_after_secs, Some(1), "the debt is paid after 30 s, a point a second later");
        assert!(limiter.charge_at(&caller, 1, start + Duration::from_secs(32)).retry_after_secs.is_none());
        // A debt is never deeper than one budget.
        let deep = limiter.settle_at(&caller, 0, 1_000_000, start + Duration::from_secs(32));
        assert_eq!(deep.reset_secs, 119, "one point left, less a whole budget");
    }
}
