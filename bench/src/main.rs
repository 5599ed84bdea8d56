//! Benchmark of the proposition registry: generates (or reuses) a network of the chosen scale in
//! PostgreSQL, starts the registry as a child process, drives a fixed set of GraphQL requests and
//! page requests over HTTP at several numbers of concurrent clients, and prints throughput,
//! latency, errors, SQL statements per request, the pages' weight and the server's memory as
//! markdown tables.
//!
//! ```sh
//! cargo run --release -p bench -- --scale 1
//! cargo run --release -p bench -- --scale 1 --seconds 2 --clients 1,8 --only propositionById,page
//! cargo run --release -p bench -- --scale 1 --no-answer-cache
//! cargo run --release -p bench -- --scale 1 --clients 1,8 --only libraryPage,standardPage,coveragePage,journeyPage
//! ```

mod database;
mod driver;
mod generate;
mod pages;
mod report;
mod server;
mod workload;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use registry::identity::JwtKeys;
use registry::settings::Settings;

use crate::driver::Versions;
use crate::report::Row;
use crate::server::Server;
use crate::workload::{Kind, Targets};

/// The signing secret of the benchmark's registry; it never leaves this machine.
const SECRET: &str = "bench-only-secret-that-is-at-least-32-bytes-long";

/// Benchmark the registry on a generated network in PostgreSQL.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// How many times the size of the Dutch network (1: about 140 libraries, 20,000 propositions).
    #[arg(long, default_value_t = 1, global = true)]
    scale: u32,
    /// The generator's seed: the same scale and seed give the same network.
    #[arg(long, default_value_t = 42, global = true)]
    seed: u64,
    /// The PostgreSQL server; the benchmark creates the database `registry_bench_s<scale>` on it.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    database_url: String,
    /// Generate the network again even if the database already holds it.
    #[arg(long)]
    regenerate: bool,
    /// The numbers of concurrent clients to run each kind of request with.
    #[arg(long, value_delimiter = ',', default_value = "1,8,32")]
    clients: Vec<usize>,
    /// How long each kind of request runs per number of clients, after the warm-up.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// How long each kind of request runs before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Run only these kinds of request (default: all).
    #[arg(long, value_delimiter = ',', value_enum)]
    only: Vec<Kind>,
    /// Run the registry without its cache of anonymous answers, so that every request is computed.
    #[arg(long)]
    no_answer_cache: bool,
    /// Meanwhile, change a proposition this many times a second, through the API, for the whole
    /// run: every change makes every cached answer stale.
    #[arg(long, default_value_t = 0.0)]
    changes_per_second: f64,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the registry (the benchmark starts itself with this as its server).
    #[command(hide = true)]
    Serve,
    /// Fill the database the registry is configured with (`REGISTRY_DATABASE__URL`, as `registry` reads it)
    /// with a generated network of `--scale` and `--seed`, instead of benchmarking.
    Generate,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Serve) => server::serve().await,
        Some(Command::Generate) => generate_into_configured(cli.scale, cli.seed).await,
        None => bench(cli).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `bench generate`: the network into whatever database the registry's settings name.
async fn generate_into_configured(scale: u32, seed: u64) -> Result<()> {
    let settings = Settings::load()?;
    let conn = registry::db::connect(&settings).await?;
    registry::db::migrate(&conn).await?;
    registry::seed::load_reference_data(&conn).await.map_err(|e| anyhow::anyhow!(e.describe()))?;
    let started = std::time::Instant::now();
    let summary = generate::generate(&conn, scale, seed).await.map_err(|e| anyhow::anyhow!(e.describe()))?;
    print!("{summary}");
    println!("in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

async fn bench(cli: Cli) -> Result<()> {
    let kinds: Vec<Kind> = if cli.only.is_empty() { Kind::ALL.to_vec() } else { cli.only.clone() };
    let mut clients = cli.clients.clone();
    clients.retain(|c| *c > 0);
    anyhow::ensure!(!clients.is_empty(), "--clients needs at least one number above 0");
    let max_clients = clients.iter().copied().max().unwrap_or(1);

    eprintln!("preparing database registry_bench_s{} …", cli.scale);
    let prepared = database::prepare(&cli.database_url, cli.scale, cli.seed, cli.regenerate).await?;
    match (&prepared.generation, &prepared.summary) {
        (Some(took), Some(summary)) => eprintln!("{summary}generated in {:.1} s", took.as_secs_f64()),
        _ => eprintln!("reusing the network in {} (pass --regenerate to build it again)", prepared.name),
    }

    let mut values = HashMap::new();
    values.insert("database.url".to_string(), prepared.url.clone());
    values.insert("auth.jwt_secret".to_string(), SECRET.to_string());
    let settings = Settings::from_source(config::Environment::default().source(Some(values)))?;
    let keys = JwtKeys::from_settings(&settings)?;
    anyhow::ensure!(
        (0.0..=1000.0).contains(&cli.changes_per_second),
        "--changes-per-second must be between 0 and 1000"
    );
    let updaters = if kinds.contains(&Kind::Update) { max_clients } else { 0 };
    // The background changer has an editor of its own, after the update clients'.
    let editors = updaters + usize::from(cli.changes_per_second > 0.0);
    let targets = Arc::new(Targets::load(&prepared.url, &keys, editors).await?);

    let control = reqwest::Client::new();
    eprintln!("starting the registry …");
    let server = Server::start(&prepared.url, &settings, !cli.no_answer_cache, &control).await?;
    let changer = (cli.changes_per_second > 0.0).then(|| {
        let changes = driver::Changes::default();
        let task = tokio::spawn(driver::change_steadily(
            server.base.clone(),
            targets.clone(),
            updaters,
            cli.changes_per_second,
            changes.clone(),
        ));
        (task, changes)
    });
    let weights = weigh_pages(&kinds, &server, &control, &targets).await;
    let rows = match &weights {
        Ok(_) => phases(&cli, &kinds, &clients, &prepared.url, &server, &control, &targets).await,
        Err(_) => Ok(Vec::new()),
    };
    let changes = changer.map(|(task, changes)| {
        task.abort();
        changes.summary()
    });
    let memory = server::memory(server.pid);
    let log = server.log.clone();
    let reported_peak = server.metric(&control, "process_resident_memory_peak_bytes").await.ok();
    server.stop().await.context("stopping the registry")?;
    let weights = weights.context("a page the benchmark asks for is not there")?;
    let rows = rows?;
    report::print(&report::Run {
        scale: cli.scale,
        seed: cli.seed,
        database: &prepared,
        rows: &rows,
        weights: &weights,
        memory,
        reported_peak,
        answer_cache: !cli.no_answer_cache,
        changes,
        log: &log,
    });
    Ok(())
}

/// Gets every chosen page of the page kinds once before anything is measured: each must be a 200
/// with its heading, and its size is reported.
async fn weigh_pages(
    kinds: &[Kind],
    server: &Server,
    control: &reqwest::Client,
    targets: &Targets,
) -> Result<Vec<pages::Weight>> {
    let mut weights = Vec::new();
    for &kind in kinds.iter().filter(|k| Kind::PAGES.contains(k)) {
        weights.push(pages::weigh(control, &server.base, kind, targets.pages.of(kind)).await?);
    }
    Ok(weights)
}

async fn phases(
    cli: &Cli,
    kinds: &[Kind],
    clients: &[usize],
    database_url: &str,
    server: &Server,
    control: &reqwest::Client,
    targets: &Arc<Targets>,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for &kind in kinds {
        let versions = if kind == Kind::Update {
            Versions::new(targets.versions(database_url).await?)
        } else {
            Versions::new(Vec::new())
        };
        for &n in clients {
            // One connection pool per phase, large enough that no client waits for a connection.
            let http = reqwest::Client::builder()
                .pool_max_idle_per_host(n)
                .timeout(Duration::from_secs(120))
                .build()
                .context("building the HTTP client")?;
            let base = &server.base;
            driver::run(&http, base, kind, targets, &versions, n, Duration::from_secs_f64(cli.warmup)).await;
            let before = server.metric(control, "registry_sql_statements_total").await?;
            let measured =
                driver::run(&http, base, kind, targets, &versions, n, Duration::from_secs_f64(cli.seconds)).await;
            let after = server.metric(control, "registry_sql_statements_total").await?;
            let rss = server::memory(server.pid).map(|(now, _)| now);
            eprintln!(
                "  {:<22}{n:>3} clients: {:>8.1} req/s, {} errors",
                kind.name(),
                measured.per_second(),
                measured.errors
            );
            let sql = after.saturating_sub(before) as f64 / measured.requests.max(1) as f64;
            rows.push(Row { kind, clients: n, measured, sql_per_request: sql, rss });
        }
    }
    Ok(rows)
}
