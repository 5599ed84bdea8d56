//! The instants of a run, and which part of it a request belongs to.

use std::time::{Duration, Instant};

use crate::load::Record;

/// When things happened, on the monotonic clock.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    /// The load started.
    pub start: Instant,
    /// `pg_ctl stop -m immediate` was started.
    pub stop_issued: Instant,
    /// It returned: the database is down.
    pub down: Instant,
    /// `pg_ctl start` was started.
    pub restart_issued: Instant,
    /// `pg_ctl start -w` returned: the database is back.
    pub back: Instant,
    /// The writers were told to stop.
    pub end: Instant,
}

/// The part of the run a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Answered before the database was stopped.
    Before,
    /// In flight while the database was being stopped (sent before it was down, answered after the
    /// stop began).
    AtStop,
    /// Sent while the database was down, before the restart began.
    Outage,
    /// Sent while the database was starting (crash recovery).
    AtRestart,
    /// Sent after the database was back.
    After,
}

impl Timeline {
    pub fn phase(&self, r: &Record) -> Phase {
        if r.sent >= self.back {
            Phase::After
        } else if r.sent >= self.restart_issued {
            Phase::AtRestart
        } else if r.sent >= self.down {
            Phase::Outage
        } else if r.answered >= self.stop_issued {
            Phase::AtStop
        } else {
            Phase::Before
        }
    }

    /// Seconds since the load started.
    pub fn at(&self, instant: Instant) -> f64 {
        instant.saturating_duration_since(self.start).as_secs_f64()
    }
}

/// Seconds, for printing.
pub fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}
