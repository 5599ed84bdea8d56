//! The printed result: the machine, the command, one table row per request kind and number of
//! clients, the first error of each phase that had any, and the server's memory.

use crate::database::Prepared;
use crate::driver::Measured;
use crate::pages::Weight;
use crate::workload::Kind;

pub struct Row {
    pub kind: Kind,
    pub clients: usize,
    pub measured: Measured,
    pub sql_per_request: f64,
    /// The server's resident memory right after the phase, in bytes.
    pub rss: Option<u64>,
}

pub struct Run<'a> {
    pub scale: u32,
    pub seed: u64,
    pub database: &'a Prepared,
    pub rows: &'a [Row],
    /// The weight of each kind of page measured.
    pub weights: &'a [Weight],
    /// The server's (current, peak) resident memory at the end, from /proc.
    pub memory: Option<(u64, u64)>,
    /// The peak as the server's /metrics reported it.
    pub reported_peak: Option<u64>,
    /// Whether the registry kept answers to anonymous queries.
    pub answer_cache: bool,
    /// What the background changer did, when one ran.
    pub changes: Option<String>,
    pub log: &'a std::path::Path,
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// The CPU model from /proc/cpuinfo, where there is one.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn memory_total() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb =
        text.lines().find_map(|l| l.strip_prefix("MemTotal:"))?.trim().trim_end_matches("kB").trim().parse::<u64>();
    kb.ok().map(|kb| kb * 1024)
}

pub fn print(run: &Run) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!("## Registry benchmark\n");
    println!("- command: `{}`", std::env::args().collect::<Vec<_>>().join(" "));
    if cfg!(debug_assertions) {
        println!("- **debug build**: the numbers are not representative; run with `cargo run --release -p bench`");
    }
    println!(
        "- machine: {cores} cores ({}), {} MB memory",
        cpu_model(),
        memory_total().map(mb).unwrap_or_else(|| "?".into())
    );
    let generated = match run.database.generation {
        Some(d) => format!("generated in {:.1} s", d.as_secs_f64()),
        None => "reused".into(),
    };
    println!("- network: scale {}, seed {} in database `{}` ({generated})", run.scale, run.seed, run.database.name);
    println!(
        "- server pool: REGISTRY_DATABASE__MAX_CONNECTIONS={}",
        std::env::var("REGISTRY_DATABASE__MAX_CONNECTIONS").unwrap_or_else(|_| "10 (default)".into())
    );
    println!(
        "- answer cache: {}",
        if run.answer_cache {
            "on (anonymous reads are answered from it while nothing changes)"
        } else {
            "off (--no-answer-cache)"
        }
    );
    if let Some(changes) = &run.changes {
        println!("- meanwhile: {changes}");
    }
    println!();
    println!("| request | clients | req/s | p50 ms | p99 ms | errors | SQL/request | server RSS MB |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in run.rows {
        let m = &r.measured;
        println!(
            "| {} | {} | {:.1} | {:.2} | {:.2} | {} / {} | {:.1} | {} |",
            r.kind.name(),
            r.clients,
            m.per_second(),
            m.percentile_ms(50),
            m.percentile_ms(99),
            m.errors,
            m.requests,
            r.sql_per_request,
            r.rss.map(mb).unwrap_or_else(|| "?".into())
        );
    }
    if !run.weights.is_empty() {
        println!("\nThe pages' weight (HTML as sent, and gzipped), over the pages each kind walks through:\n");
        println!("| page | pages | HTML KB median | HTML KB max | gzip KB median | gzip KB max |");
        println!("|---|---:|---:|---:|---:|---:|");
        let kb = |bytes: usize| format!("{:.1}", bytes as f64 / 1024.0);
        for w in run.weights {
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                w.kind.name(),
                w.pages,
                kb(w.median_bytes),
                kb(w.max_bytes),
                kb(w.median_gzip),
                kb(w.max_gzip)
            );
        }
    }
    let errors: Vec<&Row> = run.rows.iter().filter(|r| r.measured.first_error.is_some()).collect();
    if !errors.is_empty() {
        println!("\nFirst error of each phase with errors:\n");
        for r in errors {
            println!("- {} × {}: {}", r.kind.name(), r.clients, r.measured.first_error.as_deref().unwrap_or(""));
        }
    }
    println!();
    match run.memory {
        Some((now, peak)) => println!("Server memory: peak {} MB (VmHWM), now {} MB (VmRSS).", mb(peak), mb(now)),
        None => println!("Server memory: not available on this platform."),
    }
    if let Some(peak) = run.reported_peak {
        println!("The server's /metrics reports a peak of {} MB.", mb(peak));
    }
    println!("The server's log is in {}.", run.log.display());
}
