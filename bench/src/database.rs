//! The benchmark database: one PostgreSQL database per scale, generated once and reused while it
//! holds the network of the same scale, seed and generator version.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use registry::{db, seed};

use crate::generate;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

/// The database, and how long generating it took (`None` when an earlier one was reused).
pub struct Prepared {
    pub url: String,
    pub name: String,
    pub generation: Option<Duration>,
    pub summary: Option<generate::Summary>,
}

/// The URL of `name` on the server of `admin_url`.
fn database_url(admin_url: &str, name: &str) -> Result<String> {
    let mut url = url::Url::parse(admin_url).context("--database-url is not a URL")?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// Makes sure `registry_bench_s{scale}` holds the generated network, generating it if needed.
pub async fn prepare(admin_url: &str, scale: u32, seed: u64, regenerate: bool) -> Result<Prepared> {
    if !admin_url.starts_with("postgres://") && !admin_url.starts_with("postgresql://") {
        bail!("the benchmark runs on PostgreSQL: --database-url must start with postgres://");
    }
    let name = format!("registry_bench_s{scale}");
    let url = database_url(admin_url, &name)?;
    let admin = Database::connect(admin_url).await.with_context(|| format!("cannot connect to {admin_url}"))?;
    let exists = admin
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.clone().into()],
        ))
        .await?
        .is_some();
    if exists && !regenerate {
        let conn = Database::connect(&url).await?;
        if marker_matches(&conn, scale, seed).await {
            // Later migrations (new indexes, columns) still apply to a reused database.
            db::migrate(&conn).await?;
            conn.close().await?;
            admin.close().await?;
            return Ok(Prepared { url, name, generation: None, summary: None });
        }
        conn.close().await?;
    }
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
    admin.close().await?;

    let conn = Database::connect(&url).await?;
    db::migrate(&conn).await?;
    seed::load_reference_data(&conn).await.map_err(|e| anyhow::anyhow!(e.describe()))?;
    let started = Instant::now();
    let summary = generate::generate(&conn, scale, seed).await.map_err(|e| anyhow::anyhow!(e.describe()))?;
    let generation = started.elapsed();
    // Fresh statistics, and the GIN indexes' pending lists merged (as autovacuum would do in time),
    // so the first phase does not run on the planner's guesses or on a bulk load's leftovers.
    conn.execute_unprepared("VACUUM ANALYZE").await?;
    write_marker(&conn, scale, seed).await?;
    conn.close().await?;
    Ok(Prepared { url, name, generation: Some(generation), summary: Some(summary) })
}

/// Whether the database says it holds the network of this scale, seed and generator version.
async fn marker_matches(conn: &DatabaseConnection, scale: u32, seed: u64) -> bool {
    let row = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT scale, seed, generator_version FROM bench_marker",
        ))
        .await;
    match row {
        Ok(Some(row)) => {
            let get = |col: &str| row.try_get::<i64>("", col).ok();
            get("scale") == Some(scale as i64)
                && get("seed") == Some(seed as i64)
                && get("generator_version") == Some(generate::VERSION as i64)
        }
        _ => false,
    }
}

async fn write_marker(conn: &DatabaseConnection, scale: u32, seed: u64) -> Result<()> {
    conn.execute_unprepared(
        "CREATE TABLE bench_marker (scale bigint NOT NULL, seed bigint NOT NULL, generator_version bigint NOT NULL, \
         generated_at timestamptz NOT NULL DEFAULT now())",
    )
    .await?;
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO bench_marker (scale, seed, generator_version) VALUES ($1, $2, $3)",
        [(scale as i64).into(), (seed as i64).into(), (generate::VERSION as i64).into()],
    ))
    .await?;
    Ok(())
}
