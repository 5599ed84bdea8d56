//! Database connections and migrations for SQLite (embedded default) and PostgreSQL (production).

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
        .sqlx_logging(false);
    if !sqlite {
        // A statement outliving its request is cancelled by PostgreSQL itself.
        options.statement_timeout(Duration::from_secs(settings.server.request_timeout_secs));
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
