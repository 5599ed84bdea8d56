//! The registry under test, run as a child process (this binary's hidden `serve` command) against
//! the private cluster, with its log in a temporary file.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use registry::settings::Settings;
use registry::startup::Application;
use registry::telemetry;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// What the child prints once it listens, followed by the port.
const LISTENING: &str = "FAULTTEST_LISTENING ";

/// The `serve` command of the child: the registry as `registry serve` runs it, reporting its port.
pub async fn serve() -> Result<()> {
    let settings = Settings::load()?;
    telemetry::init(settings.log.format);
    let app = Application::build(&settings).await?;
    println!("{LISTENING}{}", app.port());
    app.run_until_stopped().await?;
    Ok(())
}

/// Where the registry's log goes.
pub fn log_path() -> PathBuf {
    std::env::temp_dir().join("registry-faulttest-server.log")
}

/// A running registry; dropping it kills the process.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts the registry on `database_url`, filling it with the demo network, and waits until
    /// `/health` answers.
    pub async fn start(database_url: &str, settings: &Settings, http: &reqwest::Client) -> Result<Self> {
        let exe = std::env::current_exe().context("cannot find the faulttest binary to start the registry")?;
        let log = log_path();
        let log_file = std::fs::File::create(&log).with_context(|| format!("cannot write {}", log.display()))?;
        let mut child = Command::new(exe)
            .arg("serve")
            .env("REGISTRY_DATABASE__URL", database_url)
            .env("REGISTRY_DATABASE__CONNECT_TIMEOUT_SECS", "2")
            .env("REGISTRY_SERVER__HOST", "127.0.0.1")
            .env("REGISTRY_SERVER__PORT", "0")
            // Nothing reads the metrics here; a fixed metrics port could clash with another registry.
            .env("REGISTRY_SERVER__METRICS_ADDRESS", "off")
            .env("REGISTRY_SERVER__REQUEST_TIMEOUT_SECS", "5")
            // The test is about the database going away, not about throttling: no rate limit.
            .env("REGISTRY_RATE_LIMIT__ENABLED", "false")
            .env("REGISTRY_DEMO__LOAD_IF_EMPTY", "true")
            .env("REGISTRY_AUTH__JWT_SECRET", settings.jwt_secret())
            .env("REGISTRY_AUTH__ISSUER", &settings.auth.issuer)
            .env("REGISTRY_AUTH__AUDIENCE", &settings.auth.audience)
            .env("REGISTRY_LOG__FORMAT", "text")
            .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .context("cannot start the registry")?;
        let stdout = child.stdout.take().context("no stdout from the registry")?;
        let mut lines = BufReader::new(stdout).lines();
        let port = tokio::time::timeout(Duration::from_secs(180), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(port) = line.strip_prefix(LISTENING) {
                    return Ok::<_, anyhow::Error>(Some(port.trim().parse::<u16>()?));
                }
            }
            Ok(None)
        })
        .await
        .context("the registry did not start within 180 s")??
        .with_context(|| format!("the registry exited before it listened; see {}", log.display()))?;
        // Keep reading so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let server = Self { child, base: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match http.get(format!("{}/health", server.base)).send().await {
                Ok(r) if r.status().is_success() => return Ok(server),
                _ if Instant::now() > deadline => bail!("the registry's /health did not answer 200 within 30 s"),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Whether the registry process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Stops the registry.
    pub async fn stop(mut self) -> Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }
}
