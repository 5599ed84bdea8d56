//! Fault test of the proposition registry ("safe failure"): starts a private PostgreSQL, runs the
//! registry against it, keeps writers creating propositions, kills the database (`pg_ctl stop -m
//! immediate`), starts it again, and then checks that no acknowledged write was lost, nothing is
//! half-stored, the outage was answered at once with 503 `SERVICE_UNAVAILABLE` and `Retry-After`,
//! and writes succeeded again within seconds.
//!
//! ```sh
//! cargo run --release -p faulttest
//! cargo run --release -p faulttest -- --writers 8 --before-secs 5 --outage-secs 5 --after-secs 10
//! ```
//!
//! Exit status: 0 when every check passes, 1 when one fails, 2 when the test could not run.

mod checks;
mod cluster;
mod load;
mod report;
mod server;
mod targets;
mod timeline;
mod verify;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use registry::identity::JwtKeys;
use registry::settings::Settings;
use sea_orm::{ConnectionTrait, Database};
use tokio::sync::watch;

use crate::checks::Limits;
use crate::cluster::Cluster;
use crate::server::Server;
use crate::timeline::Timeline;

/// The signing secret of the test's registry; it never leaves this machine.
const SECRET: &str = "faulttest-only-secret-that-is-at-least-32-bytes-long";

/// The database the registry uses on the private cluster.
const DATABASE: &str = "registry_faulttest";

/// Write load against the registry while its PostgreSQL is killed and started again.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// How many writers send `createProposition` requests, one after another each.
    #[arg(long, default_value_t = 8)]
    writers: usize,
    /// Seconds of load before the database is killed.
    #[arg(long, default_value_t = 5.0)]
    before_secs: f64,
    /// Seconds the database stays down.
    #[arg(long, default_value_t = 5.0)]
    outage_secs: f64,
    /// Seconds of load after the database is back.
    #[arg(long, default_value_t = 10.0)]
    after_secs: f64,
    /// The port of the private PostgreSQL cluster.
    #[arg(long, default_value_t = 54329)]
    port: u16,
    /// Slowest acceptable answer while the database is down, in seconds.
    #[arg(long, default_value_t = 3.0)]
    max_outage_latency_secs: f64,
    /// Longest acceptable time from the database being back to the first acknowledged write.
    #[arg(long, default_value_t = 5.0)]
    max_recovery_secs: f64,
    /// How many answers at the transitions may be other than acknowledged or 503 (default: one per
    /// writer, the requests that can be in flight when the database dies).
    #[arg(long)]
    transition_tolerance: Option<usize>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the registry (the test starts itself with this as its server).
    #[command(hide = true)]
    Serve,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Serve) => server::serve().await.map(|()| true),
        // Ctrl-C drops the test, and with it the cluster's guard, which stops and removes it.
        None => tokio::select! {
            result = faulttest(&cli) => result,
            _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
        },
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("faulttest: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the test; `Ok(false)` when a check failed.
async fn faulttest(cli: &Cli) -> Result<bool> {
    anyhow::ensure!(cli.writers > 0, "--writers must be at least 1");
    eprintln!("starting a private PostgreSQL on 127.0.0.1:{} …", cli.port);
    let cluster = Cluster::create(cli.port).await?;
    let admin = Database::connect(cluster.url("postgres")).await.context("cannot reach the private cluster")?;
    admin.execute_unprepared(&format!("CREATE DATABASE {DATABASE}")).await?;
    admin.close().await?;
    let url = cluster.url(DATABASE);

    let mut values = HashMap::new();
    values.insert("database.url".to_string(), url.clone());
    values.insert("auth.jwt_secret".to_string(), SECRET.to_string());
    let settings = Settings::from_source(config::Environment::default().source(Some(values)))?;
    let keys = JwtKeys::from_settings(&settings)?;

    let http = reqwest::Client::builder().pool_max_idle_per_host(cli.writers + 1).build()?;
    eprintln!("starting the registry (migrating and loading the demo network) …");
    let mut server = Server::start(&url, &settings, &http).await?;
    let db = Database::connect(&url).await?;
    let libraries = Arc::new(targets::load(&db, &keys).await?);
    db.close().await?;
    eprintln!(
        "{} writers over {} libraries ({}) …",
        cli.writers,
        libraries.len(),
        libraries.iter().map(|l| l.slug.as_str()).collect::<Vec<_>>().join(", ")
    );

    let (stop, stopped) = watch::channel(false);
    let start = Instant::now();
    let writers = load::start_writers(&http, &server.base, &libraries, cli.writers, &stopped);
    let health = load::start_health(&http, &server.base, &stopped);
    tokio::time::sleep(Duration::from_secs_f64(cli.before_secs)).await;
    eprintln!("killing PostgreSQL (pg_ctl stop -m immediate) …");
    let stop_issued = Instant::now();
    cluster.crash().await?;
    let down = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(cli.outage_secs)).await;
    eprintln!("starting PostgreSQL again …");
    let restart_issued = Instant::now();
    cluster.start().await?;
    let back = Instant::now();
    eprintln!("PostgreSQL back after {:.2} s of crash recovery", (back - restart_issued).as_secs_f64());
    tokio::time::sleep(Duration::from_secs_f64(cli.after_secs)).await;
    let end = Instant::now();
    stop.send(true)?;
    let mut records = Vec::new();
    for writer in writers {
        records.extend(writer.await?);
    }
    let probes = health.await?;
    let timeline = Timeline { start, stop_issued, down, restart_issued, back, end };
    anyhow::ensure!(server.is_running(), "the registry exited during the test; see {}", server::log_path().display());

    eprintln!("checking what the database holds …");
    let db = Database::connect(&url).await?;
    let stored = verify::stored(&db).await?;
    db.close().await?;
    server.stop().await?;

    let limits = Limits {
        outage_latency: Duration::from_secs_f64(cli.max_outage_latency_secs),
        recovery: Duration::from_secs_f64(cli.max_recovery_secs),
        transition_tolerance: cli.transition_tolerance.unwrap_or(cli.writers),
    };
    let verdict = checks::judge(&records, &stored, &libraries, &timeline, &limits);
    report::print(
        &report::Run {
            writers: cli.writers,
            port: cli.port,
            timeline: &timeline,
            limits: &limits,
            probes: &probes,
            server_log: &server::log_path(),
            postgres_log: &cluster::kept_log(),
        },
        &verdict,
    );
    drop(cluster);
    Ok(verdict.passed())
}
