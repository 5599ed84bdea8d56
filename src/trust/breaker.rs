//! Answers at once while the database cannot be reached, instead of letting every request wait out
//! the pool's acquire timeout.
//!
//! After a request finds the database unreachable, the next requests for a short cool-down are
//! answered `SERVICE_UNAVAILABLE` without trying. Then one request at a time is let through as a
//! probe: if it reaches the database the breaker closes, otherwise the cool-down starts again. A request
//! that comes while the probe is under way waits for its outcome (briefly) rather than being refused
//! while the database is very likely back.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long requests are answered without trying after the database was found unreachable.
pub const COOL_DOWN: Duration = Duration::from_secs(1);

/// How long a request waits for a probe under way before it is refused all the same: long enough for a
/// probe that finds the database back (milliseconds), short enough that while it is still away (a probe then
/// takes the pool's whole acquire timeout) answers stay quick.
pub const PROBE_WAIT: Duration = Duration::from_millis(250);

/// The shared breaker of one registry process.
pub struct Breaker {
    started: Instant,
    cool_down: Duration,
    /// Milliseconds since `started` until which requests are refused; 0 when closed.
    open_until_ms: AtomicU64,
    /// Whether a probe is under way.
    probing: AtomicBool,
    /// Wakes the requests waiting for a probe's outcome once it is recorded and the probe has ended.
    probed: tokio::sync::Notify,
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
        self.0.probed.notify_waiters();
    }
}

impl Breaker {
    pub fn new(cool_down: Duration) -> Arc<Self> {
        Arc::new(Self {
            started: Instant::now(),
            cool_down,
            open_until_ms: AtomicU64::new(0),
            probing: AtomicBool::new(false),
            probed: tokio::sync::Notify::new(),
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

    /// [`Breaker::admit`], except that a request coming while a probe is under way waits for the probe's
    /// outcome (at most `wait`) and is then admitted or refused by it: once the database is back, nobody is
    /// turned away for having come a moment after the probe.
    pub async fn admit_waiting(self: &Arc<Self>, wait: Duration) -> Admission {
        let probed = self.probed.notified();
        tokio::pin!(probed);
        // Registered before the state is read, so that a probe ending in between is not missed.
        probed.as_mut().enable();
        match self.admit() {
            Admission::Refused if self.probing.load(Ordering::Acquire) => {
                let _ = tokio::time::timeout(wait, probed).await;
                self.admit()
            }
            other => other,
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

    #[tokio::test]
    async fn a_request_during_a_probe_waits_for_it_and_goes_on_when_the_database_is_back() {
        let breaker = Breaker::new(Duration::ZERO);
        breaker.record(&Admission::Normal, true);
        tokio::time::sleep(Duration::from_millis(2)).await;
        let probe = breaker.admit();
        assert!(matches!(probe, Admission::Probe(_)));
        assert!(matches!(breaker.admit(), Admission::Refused), "without waiting, a second request is refused");
        let waiting = tokio::spawn({
            let breaker = breaker.clone();
            async move { matches!(breaker.admit_waiting(Duration::from_secs(5)).await, Admission::Normal) }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        breaker.record(&probe, false);
        drop(probe);
        assert!(waiting.await.unwrap(), "the waiting request goes on once the probe reached the database");
    }

    #[tokio::test]
    async fn a_request_during_a_failing_probe_is_refused_after_it_and_a_long_probe_is_not_waited_out() {
        let breaker = Breaker::new(Duration::from_millis(200));
        breaker.record(&Admission::Normal, true);
        tokio::time::sleep(Duration::from_millis(210)).await;
        let probe = breaker.admit();
        assert!(matches!(probe, Admission::Probe(_)));
        let waiting = tokio::spawn({
            let breaker = breaker.clone();
            async move { matches!(breaker.admit_waiting(Duration::from_secs(5)).await, Admission::Refused) }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        breaker.record(&probe, true);
        drop(probe);
        assert!(waiting.await.unwrap(), "the probe found the database away: refused");

        tokio::time::sleep(Duration::from_millis(210)).await;
        let _stuck = breaker.admit();
        let started = std::time::Instant::now();
        assert!(matches!(breaker.admit_waiting(Duration::from_millis(50)).await, Admission::Refused));
        assert!(started.elapsed() < Duration::from_secs(1), "waits no longer than asked");
    }

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
