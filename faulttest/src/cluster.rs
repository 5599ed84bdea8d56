//! A private PostgreSQL cluster in a fresh temporary directory, which the fault test stops (as a
//! crash: `pg_ctl stop -m immediate`) and starts again. Dropping it stops the cluster and deletes
//! the directory, also when the test fails half-way.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use tokio::process::Command;

/// A running (or stopped) private cluster.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    /// Whether the commands run as the `postgres` user (we are root, which initdb refuses).
    as_postgres: bool,
}

impl Cluster {
    /// Creates the cluster in a fresh directory under the system's temporary directory and starts it.
    pub async fn create(port: u16) -> Result<Self> {
        let bin = bindir().await?;
        let dir = std::env::temp_dir().join(format!("registry-faulttest-pg-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let as_postgres = effective_uid()? == 0;
        // From here on the guard owns the directory: an early return still removes it.
        let cluster = Self { bin, dir, port, as_postgres };
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&cluster.dir), "chown").await?;
        }
        let data = cluster.data();
        let mut initdb = cluster.command("initdb");
        initdb.args(["--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C", "-D"]).arg(&data);
        run(&mut initdb, "initdb").await?;
        cluster.start().await?;
        Ok(cluster)
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Where PostgreSQL writes its log.
    pub fn log(&self) -> PathBuf {
        self.dir.join("postgres.log")
    }

    /// Starts the cluster and waits until it accepts connections (`pg_ctl start -w`).
    pub async fn start(&self) -> Result<()> {
        let options =
            format!("-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={}", self.port, self.dir.display());
        let mut start = self.command("pg_ctl");
        start.arg("start").args(["-w", "-t", "120", "-D"]).arg(self.data()).arg("-l").arg(self.log());
        start.arg("-o").arg(options);
        // The guard keeps the log at `kept_log()` when it removes the directory.
        run(&mut start, "pg_ctl start").await.with_context(|| format!("see {}", kept_log().display()))
    }

    /// Stops the cluster the hard way: every backend is killed, no checkpoint, crash recovery on the
    /// next start (`pg_ctl stop -m immediate`).
    pub async fn crash(&self) -> Result<()> {
        let mut stop = self.command("pg_ctl");
        stop.arg("stop").args(["-w", "-m", "immediate", "-D"]).arg(self.data());
        run(&mut stop, "pg_ctl stop").await
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A command for one of the PostgreSQL binaries, as the `postgres` user when we are root.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        command.stdin(Stdio::null()).kill_on_drop(true);
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let mut stop = if self.as_postgres {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(pg_ctl);
            c
        } else {
            std::process::Command::new(pg_ctl)
        };
        // Fails harmlessly when the cluster is not running (or was never started).
        let _ = stop
            .args(["stop", "-w", "-m", "immediate", "-D"])
            .arg(self.data())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        // Keep PostgreSQL's log next to the registry's, for reading after the directory is gone.
        let _ = std::fs::copy(self.log(), kept_log());
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("faulttest: cannot remove {}: {e}", self.dir.display());
        }
    }
}

/// Where PostgreSQL's log is kept after the run.
pub fn kept_log() -> PathBuf {
    std::env::temp_dir().join("registry-faulttest-postgres.log")
}

/// The directory of the PostgreSQL binaries: `pg_config --bindir`, else the newest version in
/// `/usr/lib/postgresql`.
async fn bindir() -> Result<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output().await
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return Ok(dir);
        }
    }
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .with_context(|| format!("no PostgreSQL found: neither pg_config nor {}", root.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).with_context(|| format!("no initdb under {}", root.display()))
}

/// The effective user id, from `/proc/self/status` (the second number of `Uid:`).
fn effective_uid() -> Result<u32> {
    let status = std::fs::read_to_string("/proc/self/status").context("cannot read /proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .and_then(|id| id.parse().ok())
        .context("/proc/self/status has no effective Uid")
}

/// Runs a command to completion, failing with its output when it does not succeed.
async fn run(command: &mut Command, what: &str) -> Result<()> {
    let out = command.output().await.with_context(|| format!("cannot run {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed ({}): {} {}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
