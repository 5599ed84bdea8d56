//! The verdict on made-up runs: each check fails on the fault it is there to catch.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::{Limits, judge};
use crate::load::{Outcome, Record};
use crate::targets::Library;
use crate::timeline::Timeline;
use crate::verify::Stored;

const LIBRARY: i64 = 7;

fn library() -> Library {
    Library {
        id: LIBRARY,
        slug: "bibliotheek-test".into(),
        token: String::new(),
        branch_ids: [3].into(),
        partner_ids: [4].into(),
        target_group_ids: [1, 2].into(),
        target_group_codes: vec!["A".into(), "B".into()],
        standard_code: "S".into(),
    }
}

/// Load from 0 s; down from 5 s to 10 s; back at 11 s; load stopped at 20 s.
fn timeline(start: Instant) -> Timeline {
    let at = |s: f64| start + Duration::from_secs_f64(s);
    Timeline { start, stop_issued: at(4.9), down: at(5.0), restart_issued: at(10.0), back: at(11.0), end: at(20.0) }
}

fn unavailable() -> Outcome {
    Outcome::Refused { status: 503, code: "SERVICE_UNAVAILABLE".into(), retry_after: true }
}

/// A run that passes: acknowledged before and after, 503 at once during the outage.
fn good_run(start: Instant) -> (Vec<Record>, HashMap<String, Vec<Stored>>) {
    let mut records = Vec::new();
    let mut stored = HashMap::new();
    let mut add = |sent: f64, took: f64, outcome: Outcome| {
        let title = format!("fault-0-{}", records.len());
        if outcome == Outcome::Acknowledged {
            let row = Stored {
                id: records.len() as i64,
                organisation_id: LIBRARY,
                has_create_entry: true,
                target_group_ids: [1, 2].into(),
                branch_ids: [3].into(),
                partner_ids: [4].into(),
            };
            stored.insert(title.clone(), vec![row]);
        }
        let sent = start + Duration::from_secs_f64(sent);
        records.push(Record { title, library: LIBRARY, sent, answered: sent + Duration::from_secs_f64(took), outcome });
    };
    add(1.0, 0.1, Outcome::Acknowledged);
    add(6.0, 0.5, unavailable());
    add(8.0, 0.5, unavailable());
    add(11.5, 0.1, Outcome::Acknowledged);
    add(12.0, 0.1, Outcome::Acknowledged);
    (records, stored)
}

fn limits() -> Limits {
    Limits { outage_latency: Duration::from_secs(3), recovery: Duration::from_secs(5), transition_tolerance: 1 }
}

fn failed(records: &[Record], stored: &HashMap<String, Vec<Stored>>, start: Instant) -> Vec<String> {
    let verdict = judge(records, stored, &[library()], &timeline(start), &limits());
    verdict.checks.into_iter().filter(|c| !c.passed).map(|c| c.text).collect()
}

#[test]
fn a_clean_run_passes() {
    let start = Instant::now();
    let (records, stored) = good_run(start);
    assert_eq!(failed(&records, &stored, start), Vec::<String>::new());
}

#[test]
fn an_acknowledged_write_missing_is_lost() {
    let start = Instant::now();
    let (records, mut stored) = good_run(start);
    stored.remove("fault-0-3");
    let failures = failed(&records, &stored, start);
    assert!(failures.iter().any(|f| f.contains("1 lost")), "{failures:?}");
}

#[test]
fn a_write_without_its_change_log_entry_or_links_is_half_stored() {
    let start = Instant::now();
    let (records, mut stored) = good_run(start);
    stored.get_mut("fault-0-0").unwrap()[0].has_create_entry = false;
    stored.get_mut("fault-0-3").unwrap()[0].target_group_ids = [1].into();
    let failures = failed(&records, &stored, start);
    assert!(failures.iter().any(|f| f.contains("2 half-stored")), "{failures:?}");
}

#[test]
fn a_slow_or_wrong_answer_during_the_outage_fails() {
    let start = Instant::now();
    let (mut records, stored) = good_run(start);
    records[1].outcome = Outcome::Refused { status: 200, code: "INTERNAL".into(), retry_after: false };
    records[2].answered = records[2].sent + Duration::from_secs(4);
    let failures = failed(&records, &stored, start);
    assert!(failures.iter().any(|f| f.contains("(1 other)")), "{failures:?}");
    assert!(failures.iter().any(|f| f.contains("no hang")), "{failures:?}");
}

#[test]
fn late_recovery_fails() {
    let start = Instant::now();
    let (mut records, stored) = good_run(start);
    records[3].outcome = unavailable();
    records[4].sent = start + Duration::from_secs(17);
    let failures = failed(&records, &stored, start);
    assert!(failures.iter().any(|f| f.contains("within 5 s")), "{failures:?}");
}
