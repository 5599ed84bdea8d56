//! Database connections and migrations for SQLite (embedded default) and PostgreSQL (production).

pub mod cancel;

use std::sync::Arc;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::settings::Settings;

/// Opens the configured database.
///
/// SQLite gets a single connection: its transactions start as readers and upgrade to writers, and
/// two such upgrades on separate connections fail with `SQLITE_BUSY` instead of waiting.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbErr> {
    let url = settings.database_url();
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if sqlite { 1 } else { settings.database.max_connections })
        .min_connections(if sqlite { 1 } else { 0 })
        .connect_timeout(Duration::from_secs(settings.database.connect_timeout_secs))
        .acquire_timeout(Duration::from_secs(settings.database.acquire_timeout_secs))
        // The hooks below talk to every connection they hand out, which proves it alive.
        .test_before_acquire(false)
        .sqlx_logging(false);
    if sqlite {
        let slot = Arc::new(cancel::SqliteSlot::default());
        options.map_sqlx_sqlite_pool_opts(move |pool| {
            let (on_connect, on_acquire) = (slot.clone(), slot.clone());
            pool.after_connect(move |conn, _| Box::pin(cancel::install_sqlite(conn, on_connect.clone())))
                .before_acquire(move |_, _| {
                    cancel::note_sqlite(&on_acquire);
                    Box::pin(async { Ok(true) })
                })
        });
    } else {
        // The safety net behind the edge's cancel: no statement outlives this, whoever started it.
        options.statement_timeout(Duration::from_secs(settings.statement_timeout_secs()));
        options.map_sqlx_postgres_pool_opts(|pool| {
            pool.after_connect(|conn, _| Box::pin(cancel::note_postgres(conn)))
                .before_acquire(|conn, _| Box::pin(async move { cancel::note_postgres(conn).await.map(|()| true) }))
        });
    }
    let db = Database::connect(options).await?;
    if sqlite {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;")
            .await?;
    }
    Ok(db)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// How many of this build's migrations the database has not applied (a registry is not ready to serve
/// before it has them all, for instance while a deployment's migration step has not run yet).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}
