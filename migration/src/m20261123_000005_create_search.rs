//! Dutch full-text search over propositions, organisations, studies, insights and ideas.
//!
//! PostgreSQL keeps a weighted `dutch` tsvector on each searchable table (a stored generated column
//! with a GIN index), so writes need no extra code. SQLite has no Dutch stemmer, so it keeps the
//! words in one FTS5 table fed by triggers; the service stems the query and matches word prefixes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A searchable table: its name, the number that keys it in SQLite's index, and the SQL
/// expressions for its title (weight A) and body (weight B).
struct Searchable {
    table: &'static str,
    kind: i64,
    title: &'static str,
    body: &'static [&'static str],
}

const SEARCHABLE: [Searchable; 5] = [
    Searchable { table: "proposition", kind: 1, title: "title", body: &["summary", "description"] },
    Searchable { table: "organisation", kind: 2, title: "name", body: &["description"] },
    Searchable { table: "study", kind: 3, title: "title", body: &["summary"] },
    Searchable { table: "insight", kind: 4, title: "statement", body: &["explanation"] },
    Searchable { table: "idea", kind: 5, title: "title", body: &["description"] },
];

fn postgres(s: &Searchable) -> String {
    let body = s
        .body
        .iter()
        .map(|c| format!("setweight(to_tsvector('dutch', coalesce({c}, '')), 'B')"))
        .collect::<Vec<_>>()
        .join(" || ");
    format!(
        "ALTER TABLE {t} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS \
         (setweight(to_tsvector('dutch', coalesce({title}, '')), 'A') || {body}) STORED;
         CREATE INDEX idx_{t}_search_vector ON {t} USING GIN (search_vector);",
        t = s.table,
        title = s.title,
    )
}

fn sqlite(s: &Searchable) -> String {
    let body =
        |row: &str| s.body.iter().map(|c| format!("coalesce({row}.{c}, '')")).collect::<Vec<_>>().join(" || ' ' || ");
    let insert = |row: &str| {
        format!(
            "INSERT INTO search_index(rowid, title, body) VALUES ({row}.id * 8 + {k}, {row}.{title}, {b});",
            k = s.kind,
            title = s.title,
            b = body(row)
        )
    };
    let delete = format!("DELETE FROM search_index WHERE rowid = old.id * 8 + {};", s.kind);
    let columns = std::iter::once(s.title).chain(s.body.iter().copied()).collect::<Vec<_>>().join(", ");
    format!(
        "CREATE TRIGGER {t}_search_insert AFTER INSERT ON {t} BEGIN {ins_new} END;
         CREATE TRIGGER {t}_search_update AFTER UPDATE OF {columns} ON {t} BEGIN {delete} {ins_new} END;
         CREATE TRIGGER {t}_search_delete AFTER DELETE ON {t} BEGIN {delete} END;
         INSERT INTO search_index(rowid, title, body) SELECT {t}.id * 8 + {k}, {t}.{title}, {b} FROM {t};",
        t = s.table,
        k = s.kind,
        title = s.title,
        ins_new = insert("new"),
        b = body(s.table),
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                for s in &SEARCHABLE {
                    db.execute_unprepared(&postgres(s)).await?;
                }
            }
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');",
                )
                .await?;
                for s in &SEARCHABLE {
                    db.execute_unprepared(&sqlite(s)).await?;
                }
            }
            other => return Err(DbErr::Migration(format!("search is not built for {other:?}"))),
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
