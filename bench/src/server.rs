//! The registry under test, run as a child process (this binary's hidden `serve` command) so that
//! its memory can be read apart from the load generator's.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use registry::settings::Settings;
use registry::startup::Application;
use registry::telemetry;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// What the child prints once it listens, followed by the port and the metrics port.
const LISTENING: &str = "BENCH_LISTENING ";

/// The `serve` command of the child: the registry as `registry serve` runs it, reporting its port.
pub async fn serve() -> Result<()> {
    let settings = Settings::load()?;
    telemetry::init(settings.log.format);
    let app = Application::build(&settings).await?;
    let metrics = app.metrics_address().context("the bench reads the metrics; they must not be off")?;
    println!("{LISTENING}{} {}", app.port(), metrics.port());
    app.run_until_stopped().await?;
    Ok(())
}

/// A running registry; dropping it kills the process.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub base: String,
    /// The metrics listener (`http://127.0.0.1:<port>`).
    metrics: String,
    /// Where the registry's log goes, so that errors under load do not drown the progress.
    pub log: std::path::PathBuf,
}

/// Resident memory of a process: (current, peak) in bytes.
pub fn memory(pid: u32) -> Option<(u64, u64)> {
    registry::metrics::memory_of(&pid.to_string())
}

impl Server {
    /// Starts the registry on `database_url` with the given signing settings, with or without its
    /// cache of anonymous answers, and waits until `/health` answers.
    pub async fn start(
        database_url: &str,
        settings: &Settings,
        answer_cache: bool,
        http: &reqwest::Client,
    ) -> Result<Self> {
        let exe = std::env::current_exe().context("cannot find the bench binary to start the registry")?;
        let log = std::env::temp_dir().join("registry-bench-server.log");
        let log_file = std::fs::File::create(&log).with_context(|| format!("cannot write {}", log.display()))?;
        let mut child = Command::new(exe)
            .arg("serve")
            .env("REGISTRY_DATABASE__URL", database_url)
            .env("REGISTRY_SERVER__HOST", "127.0.0.1")
            .env("REGISTRY_SERVER__PORT", "0")
            .env("REGISTRY_SERVER__METRICS_ADDRESS", "127.0.0.1:0")
            .env_remove("REGISTRY_SERVER__METRICS_TOKEN")
            .env("REGISTRY_DEMO__LOAD_IF_EMPTY", "false")
            .env("REGISTRY_AUTH__JWT_SECRET", settings.jwt_secret())
            .env("REGISTRY_AUTH__ISSUER", &settings.auth.issuer)
            .env("REGISTRY_AUTH__AUDIENCE", &settings.auth.audience)
            // The benchmark measures the registry, not its rate limit: one token sends everything.
            .env("REGISTRY_RATE_LIMIT__ENABLED", "false")
            .env(
                "REGISTRY_CACHE__ANSWERS_MAX_BYTES",
                if answer_cache { settings.cache.answers_max_bytes.to_string() } else { "0".into() },
            )
            .env(
                "REGISTRY_CACHE__PAGES_MAX_BYTES",
                if answer_cache { settings.cache.pages_max_bytes.to_string() } else { "0".into() },
            )
            .env("REGISTRY_LOG__FORMAT", "text")
            .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .context("cannot start the registry")?;
        let pid = child.id().context("the registry exited at once")?;
        let stdout = child.stdout.take().context("no stdout from the registry")?;
        let mut lines = BufReader::new(stdout).lines();
        let (port, metrics_port) = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(ports) = line.strip_prefix(LISTENING) {
                    let (port, metrics) = ports.trim().split_once(' ').context("two ports")?;
                    return Ok::<_, anyhow::Error>(Some((port.parse::<u16>()?, metrics.parse::<u16>()?)));
                }
            }
            Ok(None)
        })
        .await
        .context("the registry did not start within 120 s")??
        .with_context(|| format!("the registry exited before it listened; see {}", log.display()))?;
        // Keep reading so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let base = format!("http://127.0.0.1:{port}");
        let server = Self { child, pid, base, metrics: format!("http://127.0.0.1:{metrics_port}"), log };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match http.get(format!("{}/health", server.base)).send().await {
                Ok(r) if r.status().is_success() => return Ok(server),
                _ if Instant::now() > deadline => bail!("the registry's /health did not answer 200 within 30 s"),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// The value of one counter or gauge of `/metrics`.
    pub async fn metric(&self, http: &reqwest::Client, name: &str) -> Result<u64> {
        let text = http.get(format!("{}/metrics", self.metrics)).send().await?.error_for_status()?.text().await?;
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|v| v as u64)
            .with_context(|| format!("/metrics has no {name}"))
    }

    /// Stops the registry.
    pub async fn stop(mut self) -> Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }
}
