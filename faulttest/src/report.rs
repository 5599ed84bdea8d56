//! The printed report: counts, the outage as the writers and `/health` saw it, recovery, and the
//! checks with PASS or FAIL.

use std::collections::BTreeMap;
use std::path::Path;

use crate::checks::{Limits, Verdict};
use crate::load::Probe;
use crate::timeline::{Timeline, secs};

/// What the report says about the run besides the verdict.
pub struct Run<'a> {
    pub writers: usize,
    pub port: u16,
    pub timeline: &'a Timeline,
    pub limits: &'a Limits,
    pub probes: &'a [Probe],
    pub server_log: &'a Path,
    pub postgres_log: &'a Path,
}

fn list(map: &BTreeMap<String, usize>) -> String {
    if map.is_empty() {
        return "none".into();
    }
    map.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
}

/// Prints the report to stdout.
pub fn print(run: &Run, v: &Verdict) {
    let t = run.timeline;
    println!("\n## Fault test: {} writers against PostgreSQL on 127.0.0.1:{}\n", run.writers, run.port);
    println!(
        "timeline (s since the load started): stop issued {:.2}, down {:.2}, restart issued {:.2}, back {:.2}, load stopped {:.2}",
        t.at(t.stop_issued),
        t.at(t.down),
        t.at(t.restart_issued),
        t.at(t.back),
        t.at(t.end)
    );
    println!();
    println!("writes sent                      {:>7}", v.sent);
    println!("  acknowledged                   {:>7}", v.acknowledged);
    println!("  refused                        {:>7}   {}", v.refused.values().sum::<usize>(), list(&v.refused));
    println!("  no answer                      {:>7}   {}", v.no_answer.values().sum::<usize>(), list(&v.no_answer));
    println!("stored fault-* propositions      {:>7}", v.stored);
    println!("  lost (acknowledged, missing)   {:>7}", v.lost.len());
    println!("  half-stored                    {:>7}", v.half_stored.len());
    println!(
        "  stored but unacknowledged      {:>7}   (refused {}, no answer {})",
        v.stored_refused + v.stored_no_answer,
        v.stored_refused,
        v.stored_no_answer
    );
    for item in v.lost.iter().take(5) {
        println!("    lost: {item}");
    }
    for item in v.half_stored.iter().chain(&v.duplicated).chain(&v.unknown).take(5) {
        println!("    not whole: {item}");
    }
    println!();
    let opt = |d: Option<std::time::Duration>| d.map(secs).unwrap_or_else(|| "-".into());
    println!(
        "outage (sent while the database was down): {} writes, answer latency p50 {}, max {}, p99 {}",
        v.outage_requests,
        opt(v.outage_p50),
        opt(v.outage_max),
        opt(v.outage_p99)
    );
    println!("  answers other than 503 SERVICE_UNAVAILABLE + Retry-After: {}", list(&v.outage_other));
    println!(
        "transitions (in flight at the stop, or sent while the database was starting): {} writes, {} other than \
         acknowledged or 503 (tolerated: {})",
        v.transition_requests,
        v.transition_other.len(),
        run.limits.transition_tolerance
    );
    for (phase, label, at) in v.transition_other.iter().take(10) {
        println!("    {phase:?} sent at {at:.3} s: {label}");
    }
    match v.recovery {
        Some(r) => println!("recovery: first acknowledged write sent {} after the database was back", secs(r)),
        None => println!("recovery: no write acknowledged after the database was back"),
    }
    if !v.before_failures.is_empty() {
        println!("failures before the outage: {}", list(&v.before_failures));
    }
    if !v.after_recovery_failures.is_empty() {
        println!("failures after recovery: {}", list(&v.after_recovery_failures));
    }
    print_health(run);
    println!("\nchecks:");
    for c in &v.checks {
        println!("  {}  {}", if c.passed { "PASS" } else { "FAIL" }, c.text);
    }
    println!(
        "\ntolerance: a write in flight when the database was killed, or sent while it was recovering, may end in \
         an error other than 503 (the connection dies mid-statement); at most {} such (by default one per writer, \
         the most that can be in flight when it dies), and none \
         may go unanswered. Everything sent while the database was down must be a 503 SERVICE_UNAVAILABLE with \
         Retry-After within {:.1} s.",
        run.limits.transition_tolerance,
        run.limits.outage_latency.as_secs_f64()
    );
    println!("logs: registry {}, PostgreSQL {}", run.server_log.display(), run.postgres_log.display());
    println!("\nresult: {}", if v.passed() { "PASS" } else { "FAIL" });
}

/// `/health` during the outage and after the database was back.
fn print_health(run: &Run) {
    let t = run.timeline;
    // Probes sent and answered while the database was down (one still waiting when the restart
    // began may rightly answer 200).
    let during: Vec<&Probe> =
        run.probes.iter().filter(|p| p.sent >= t.down && p.sent + p.latency < t.restart_issued).collect();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for p in &during {
        *statuses.entry(p.status.map_or("no answer".into(), |s| s.to_string())).or_default() += 1;
    }
    let max = during.iter().map(|p| p.latency).max();
    let first_ok = run.probes.iter().find(|p| p.sent >= t.back && p.status == Some(200)).map(|p| p.sent - t.back);
    println!(
        "health: {} probes during the outage ({}), max latency {}; first 200 {} after the database was back",
        during.len(),
        list(&statuses),
        max.map(secs).unwrap_or_else(|| "-".into()),
        first_ok.map(secs).unwrap_or_else(|| "never".into())
    );
}
