//! Answers at once while the database cannot be reached, instead of letting every request wait out
//! the pool's acquire timeout.
//!
//! After a request finds the database unreachable, the next requests for a short cool-down are
//! answered `SERVICE_UNAVAILABLE` without trying. Then one request at a time is let through as a
//! probe: if it reaches the database the breaker closes, otherwise the cool-down starts again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long requests are answered without trying after the database was found unreachable.
pub const COOL_DOWN: Duration = Duration::from_secs(1);

/// The shared breaker of one registry process.
pub struct Breaker {
    started: Instant,
    cool_down: Duration,
    /// Milliseconds since `started` until which requests are refused; 0 when closed.
    open_until_ms: AtomicU64,
    /// Whether a probe is under way.
    probing: AtomicBool,
}

/// Whether a request may go on, and in which role.
pub enum Admission {
    /// The breaker is closed.
    Normal,
    /// The breaker is open and this request tests the database; dropping it unfinished frees the
    /// probe for the next request.
    Probe(ProbeGuard),
    /// The breaker is open: answer `SERVICE_UNAVAILABLE` at once.
    Refused,
}

/// Frees the probe slot however the probe ends.
pub struct ProbeGuard(Arc<Breaker>);

impl Drop for ProbeGuard {
    fn drop(&mut self) {
        self.0.probing.store(false, Ordering::Release);
    }
}

impl Breaker {
    pub fn new(cool_down: Duration) -> Arc<Self> {
        Arc::new(Self {
            started: Instant::now(),
            cool_down,
            open_until_ms: AtomicU64::new(0),
            probing: AtomicBool::new(false),
        })
    }

    fn now_ms(&self) -> u64 {
        // Never 0, which means closed.
        self.started.elapsed().as_millis() as u64 + 1
    }

    /// Decides whether a request may go to the database.
    pub fn admit(self: &Arc<Self>) -> Admission {
        let until = self.open_until_ms.load(Ordering::Acquire);
        if until == 0 {
            return Admission::Normal;
        }
        if self.now_ms() < until {
            return Admission::Refused;
        }
        match self.probing.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => Admission::Probe(ProbeGuard(self.clone())),
            Err(_) => Admission::Refused,
        }
    }

    /// Records how an admitted request went: unreachable opens the breaker (again); a probe that
    /// reached the database closes it.
    pub fn record(&self, admission: &Admission, unreachable: bool) {
        if unreachable {
            let until = self.now_ms() + self.cool_down.as_millis() as u64;
            if self.open_until_ms.swap(until, Ordering::AcqRel) == 0 {
                tracing::warn!(cool_down = ?self.cool_down, "database unreachable: answering 503 without trying until it is back");
            }
        } else if matches!(admission, Admission::Probe(_)) && self.open_until_ms.swap(0, Ordering::AcqRel) != 0 {
            tracing::info!("database reachable again");
        }
    }

    /// Whether requests are being refused now.
    pub fn is_open(&self) -> bool {
        self.open_until_ms.load(Ordering::Acquire) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_until_a_request_finds_the_database_unreachable() {
        let breaker = Breaker::new(Duration::from_secs(60));
        let first = breaker.admit();
        assert!(matches!(first, Admission::Normal));
        breaker.record(&first, false);
        assert!(matches!(breaker.admit(), Admission::Normal));
        breaker.record(&first, true);
        assert!(matches!(breaker.admit(), Admission::Refused));
        assert!(breaker.is_open());
    }

    #[test]
    fn after_the_cool_down_one_probe_at_a_time_and_its_success_closes() {
        let breaker = Breaker::new(Duration::ZERO);
        breaker.record(&Admission::Normal, true);
        std::thread::sleep(Duration::from_millis(2));
        let probe = breaker.admit();
        assert!(matches!(probe, Admission::Probe(_)));
        assert!(matches!(breaker.admit(), Admission::Refused), "a second probe waits");
        breaker.record(&probe, false);
        drop(probe);
        assert!(!breaker.is_open());
        assert!(matches!(breaker.admit(), Admission::Normal));
    }

    #[test]
    fn a_failed_or_abandoned_probe_lets_the_next_request_probe() {
        let breaker = Breaker::new(Duration::ZERO);
        breaker.record(&Admission::Normal, true);
        std::thread::sleep(Duration::from_millis(2));
        let probe = breaker.admit();
        breaker.record(&probe, true);
        drop(probe);
        std::thread::sleep(Duration::from_millis(2));
        let abandoned = breaker.admit();
        assert!(matches!(abandoned, Admission::Probe(_)));
        drop(abandoned);
        assert!(matches!(breaker.admit(), Admission::Probe(_)), "the dropped probe freed its slot");
    }

    #[test]
    fn a_normal_success_during_the_cool_down_does_not_close_it() {
        let breaker = Breaker::new(Duration::from_secs(60));
        breaker.record(&Admission::Normal, true);
        breaker.record(&Admission::Normal, false);
        assert!(matches!(breaker.admit(), Admission::Refused));
    }
}
