//! PostgreSQL's search indexes take each change at once instead of through GIN's pending list, so
//! that search plans stay on the index between vacuums.
//!
//! With the pending list (GIN's default `fastupdate`), every edit of a searchable text goes to an
//! unsorted list that each search reads in full until a vacuum merges it. The planner counts those
//! pages: after a few thousand edits it judged a sequential scan of every proposition cheaper than
//! the index (25 ms instead of 6 ms per search at scale 1). Edits in the registry are few and
//! reads many, so each edit pays for its own index update. SQLite's FTS5 index has no such list.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose `search_vector` has a GIN index (migration 000005).
const SEARCHABLE: [&str; 5] = ["proposition", "organisation", "study", "insight", "idea"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in SEARCHABLE {
            // Switching the list off leaves what it already holds; merge that into the index now.
            db.execute_unprepared(&format!(
                "ALTER INDEX idx_{table}_search_vector SET (fastupdate = off);
                 SELECT gin_clean_pending_list('idx_{table}_search_vector');"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
