//! Process counters for operators and the benchmark: SQL statements, GraphQL requests, the answer
//! and page caches, rate-limit buckets, memory.

use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::DatabaseConnection;

/// Counters shared by the database callback and the HTTP edge.
#[derive(Debug, Default)]
pub struct Metrics {
    sql_statements: AtomicU64,
    sql_failures: AtomicU64,
    graphql_requests: AtomicU64,
    answers_from_cache: AtomicU64,
    answers_computed_for_cache: AtomicU64,
    pages_from_cache: AtomicU64,
    pages_made_for_cache: AtomicU64,
}

impl Metrics {
    /// Counts every statement this connection (and every clone made afterwards) executes.
    pub fn watch(self: &Arc<Self>, db: &mut DatabaseConnection) {
        let metrics = Arc::clone(self);
        db.set_metric_callback(move |info| {
            metrics.sql_statements.fetch_add(1, Ordering::Relaxed);
            if info.failed {
                metrics.sql_failures.fetch_add(1, Ordering::Relaxed);
            }
        });
    }

    /// Counts one GraphQL request.
    pub fn graphql_request(&self) {
        self.graphql_requests.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one anonymous answer, taken from the answer cache or computed.
    pub fn answer(&self, cached: bool) {
        let counter = if cached { &self.answers_from_cache } else { &self.answers_computed_for_cache };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one anonymous visitor's page, taken from the page cache or made to be kept.
    pub fn page(&self, cached: bool) {
        let counter = if cached { &self.pages_from_cache } else { &self.pages_made_for_cache };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters, and the gauges of the rate limiter's buckets and of memory, in the Prometheus
    /// text format.
    pub fn render(&self, rate_limit_buckets: usize) -> String {
        let mut out = String::new();
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let counters = [
            ("registry_sql_statements_total", "SQL statements executed.", load(&self.sql_statements)),
            ("registry_sql_statement_failures_total", "SQL statements that failed.", load(&self.sql_failures)),
            ("registry_graphql_requests_total", "GraphQL requests received.", load(&self.graphql_requests)),
            (
                "registry_answer_cache_hits_total",
                "Anonymous queries answered from the answer cache.",
                load(&self.answers_from_cache),
            ),
            (
                "registry_answer_cache_misses_total",
                "Anonymous queries computed while the answer cache was on.",
                load(&self.answers_computed_for_cache),
            ),
            (
                "registry_page_cache_hits_total",
                "Anonymous visitors' pages served from the page cache.",
                load(&self.pages_from_cache),
            ),
            (
                "registry_page_cache_misses_total",
                "Anonymous visitors' pages made while the page cache was on.",
                load(&self.pages_made_for_cache),
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}");
        }
        let buckets = ("registry_rate_limit_buckets", "Rate-limit buckets held in memory.", rate_limit_buckets as u64);
        let memory = memory().map_or_else(Vec::new, |(resident, peak)| {
            vec![
                ("process_resident_memory_bytes", "Resident memory.", resident),
                ("process_resident_memory_peak_bytes", "Peak resident memory.", peak),
            ]
        });
        for (name, help, value) in std::iter::once(buckets).chain(memory) {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
        out
    }
}

/// Current and peak resident memory in bytes, where the platform tells (Linux).
fn memory() -> Option<(u64, u64)> {
    memory_of("self")
}

/// Current and peak resident memory of a process (`self` or a pid), from `/proc/<process>/status`.
pub fn memory_of(process: &str) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
