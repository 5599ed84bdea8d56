//! The verdict: the run's records and the stored propositions held against the promises of
//! "safe failure" — nothing acknowledged is lost, nothing is half-stored, a database outage is
//! answered at once with 503 `SERVICE_UNAVAILABLE` and `Retry-After`, and writes succeed again
//! within seconds of the database coming back.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use crate::load::{Outcome, Record};
use crate::targets::Library;
use crate::timeline::{Phase, Timeline};
use crate::verify::Stored;

/// The limits the run is held to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Slowest acceptable answer to a request sent while the database is down.
    pub outage_latency: Duration,
    /// Longest acceptable time from the database being back to the first acknowledged write sent.
    pub recovery: Duration,
    /// How many answers at the two transitions may be other than acknowledged or a proper 503.
    pub transition_tolerance: usize,
}

/// One check and whether it passed.
pub struct Check {
    pub passed: bool,
    pub text: String,
}

/// Everything the report prints.
pub struct Verdict {
    pub sent: usize,
    pub acknowledged: usize,
    pub refused: BTreeMap<String, usize>,
    pub no_answer: BTreeMap<String, usize>,
    pub stored: usize,
    pub lost: Vec<String>,
    pub half_stored: Vec<String>,
    pub duplicated: Vec<String>,
    pub unknown: Vec<String>,
    pub stored_refused: usize,
    pub stored_no_answer: usize,
    pub before_failures: BTreeMap<String, usize>,
    pub outage_requests: usize,
    pub outage_max: Option<Duration>,
    pub outage_p50: Option<Duration>,
    pub outage_p99: Option<Duration>,
    pub outage_other: BTreeMap<String, usize>,
    pub transition_requests: usize,
    pub transition_other: Vec<(Phase, String, f64)>,
    pub recovery: Option<Duration>,
    pub after_recovery_failures: BTreeMap<String, usize>,
    pub checks: Vec<Check>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// A short label of an outcome, e.g. `503 SERVICE_UNAVAILABLE +Retry-After`.
pub fn label(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Acknowledged => "acknowledged".into(),
        Outcome::Refused { status, code, retry_after } => {
            format!("{status} {code}{}", if *retry_after { " +Retry-After" } else { " (no Retry-After)" })
        }
        Outcome::NoAnswer { reason } => format!("no answer ({reason})"),
    }
}

/// The proper answer while the database is down.
fn is_unavailable(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Refused { status: 503, code, retry_after: true } if code == "SERVICE_UNAVAILABLE")
}

fn acknowledged(r: &Record) -> bool {
    r.outcome == Outcome::Acknowledged
}

fn count<'a>(labels: impl Iterator<Item = String> + 'a) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for l in labels {
        *map.entry(l).or_default() += 1;
    }
    map
}

/// The `q` quantile (0..=1) of sorted durations.
fn quantile(sorted: &[Duration], q: f64) -> Option<Duration> {
    let n = sorted.len();
    (n > 0).then(|| sorted[((q * n as f64).ceil() as usize).clamp(1, n) - 1])
}

/// Holds the records and the stored propositions against the limits.
pub fn judge(
    records: &[Record],
    stored: &HashMap<String, Vec<Stored>>,
    libraries: &[Library],
    t: &Timeline,
    limits: &Limits,
) -> Verdict {
    let by_title: HashMap<&str, &Record> = records.iter().map(|r| (r.title.as_str(), r)).collect();
    let library: HashMap<i64, &Library> = libraries.iter().map(|l| (l.id, l)).collect();

    // What is stored, against what was sent and answered.
    let lost: Vec<String> =
        records.iter().filter(|r| acknowledged(r) && !stored.contains_key(&r.title)).map(|r| r.title.clone()).collect();
    let mut half_stored = Vec::new();
    let (mut duplicated, mut unknown) = (Vec::new(), Vec::new());
    let (mut stored_refused, mut stored_no_answer) = (0, 0);
    for (title, rows) in stored {
        if rows.len() > 1 {
            duplicated.push(title.clone());
        }
        let Some(record) = by_title.get(title.as_str()) else {
            unknown.push(title.clone());
            continue;
        };
        match record.outcome {
            Outcome::Acknowledged => {}
            Outcome::Refused { .. } => stored_refused += 1,
            Outcome::NoAnswer { .. } => stored_no_answer += 1,
        }
        let sent = library[&record.library];
        for row in rows {
            let mut missing = Vec::new();
            if !row.has_create_entry {
                missing.push("change_log CREATE");
            }
            if row.organisation_id != sent.id {
                missing.push("organisation");
            }
            if row.target_group_ids != sent.target_group_ids {
                missing.push("target groups");
            }
            if row.branch_ids != sent.branch_ids {
                missing.push("branches");
            }
            if row.partner_ids != sent.partner_ids {
                missing.push("partners");
            }
            if !missing.is_empty() {
                half_stored.push(format!("{title} (id {}): {}", row.id, missing.join(", ")));
            }
        }
    }

    let in_phase = |p: Phase| records.iter().filter(move |r| t.phase(r) == p);
    let before_failures = count(in_phase(Phase::Before).filter(|r| !acknowledged(r)).map(|r| label(&r.outcome)));

    // While the database is down: a proper 503 at once; an acknowledgement only once it was
    // starting again.
    let outage: Vec<&Record> = in_phase(Phase::Outage).collect();
    let mut latencies: Vec<Duration> = outage.iter().map(|r| r.latency()).collect();
    latencies.sort();
    let outage_other = count(
        outage
            .iter()
            .filter(|r| !(is_unavailable(&r.outcome) || (acknowledged(r) && r.answered >= t.restart_issued)))
            .map(|r| label(&r.outcome)),
    );

    // At the two transitions: acknowledged or a proper 503; a few others are tolerated, never a hang.
    let transition: Vec<&Record> = in_phase(Phase::AtStop).chain(in_phase(Phase::AtRestart)).collect();
    let transition_other: Vec<(Phase, String, f64)> = transition
        .iter()
        .filter(|r| !(acknowledged(r) || is_unavailable(&r.outcome)))
        .map(|r| (t.phase(r), label(&r.outcome), t.at(r.sent)))
        .collect();
    let transition_hangs = transition.iter().filter(|r| matches!(r.outcome, Outcome::NoAnswer { .. })).count();

    // Recovery: the first acknowledged write sent after the database was back; from then on,
    // every write is acknowledged.
    let first_ack = in_phase(Phase::After).filter(|r| acknowledged(r)).map(|r| r.sent).min();
    let recovery = first_ack.map(|sent| sent - t.back);
    let after_recovery_failures = count(
        records
            .iter()
            .filter(|r| first_ack.is_some_and(|first| r.sent > first) && !acknowledged(r))
            .map(|r| label(&r.outcome)),
    );

    let outage_max = latencies.last().copied();
    let mut checks = Vec::new();
    let mut check = |passed: bool, text: String| checks.push(Check { passed, text });
    check(before_failures.is_empty(), "every write before the outage acknowledged (the load itself works)".into());
    check(lost.is_empty(), format!("no acknowledged write lost ({} lost)", lost.len()));
    check(
        half_stored.is_empty() && duplicated.is_empty() && unknown.is_empty(),
        format!(
            "every stored write whole: its change-log entry and links as sent ({} half-stored, {} stored twice, {} never sent)",
            half_stored.len(),
            duplicated.len(),
            unknown.len()
        ),
    );
    check(!outage.is_empty(), format!("writes were sent while the database was down ({})", outage.len()));
    check(
        outage_other.is_empty(),
        format!(
            "every write during the outage answered 503 SERVICE_UNAVAILABLE with Retry-After ({} other)",
            outage_other.values().sum::<usize>()
        ),
    );
    check(
        outage_max.is_some_and(|m| m <= limits.outage_latency),
        format!("every answer during the outage within {:.1} s (no hang)", limits.outage_latency.as_secs_f64()),
    );
    check(
        transition_hangs == 0 && transition_other.len() <= limits.transition_tolerance,
        format!(
            "at the transitions at most {} answers other than acknowledged or 503, none unanswered ({} other, {} unanswered)",
            limits.transition_tolerance,
            transition_other.len(),
            transition_hangs
        ),
    );
    check(
        recovery.is_some_and(|r| r <= limits.recovery),
        format!("writes acknowledged again within {:.0} s of the database being back", limits.recovery.as_secs_f64()),
    );
    check(
        after_recovery_failures.is_empty(),
        format!(
            "every write after the first acknowledged one acknowledged ({} not)",
            after_recovery_failures.values().sum::<usize>()
        ),
    );

    Verdict {
        sent: records.len(),
        acknowledged: records.iter().filter(|r| acknowledged(r)).count(),
        refused: count(
            records.iter().filter(|r| matches!(r.outcome, Outcome::Refused { .. })).map(|r| label(&r.outcome)),
        ),
        no_answer: count(
            records.iter().filter(|r| matches!(r.outcome, Outcome::NoAnswer { .. })).map(|r| label(&r.outcome)),
        ),
        stored: stored.values().map(Vec::len).sum(),
        lost,
        half_stored,
        duplicated,
        unknown,
        stored_refused,
        stored_no_answer,
        before_failures,
        outage_requests: outage.len(),
        outage_max,
        outage_p50: quantile(&latencies, 0.5),
        outage_p99: quantile(&latencies, 0.99),
        outage_other,
        transition_requests: transition.len(),
        transition_other,
        recovery,
        after_recovery_failures,
        checks,
    }
}

#[cfg(test)]
mod tests;
