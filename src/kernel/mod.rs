//! The kernel: the mechanics every domain shares, written once. A record's versioned write and its entry in
//! the change log (`history`), keyset pages and Relay connections (`page`, `connection`), global ids (`ids`),
//! the batch loader every nested field goes through (`loaders`), link rows (`links`), input checks
//! (`validate`), the API's enums, and the request's database and actor.
//!
//! May use: `error`, `trust::identity` (who is calling), `entity`, `settings`. Used by every domain; uses none.

pub mod connection;
pub mod enums;
pub mod history;
pub mod ids;
pub mod links;
pub mod loaders;
pub mod page;
pub mod validate;

use chrono::{DateTime, SubsecRound, Utc};

/// The current time at the precision both databases store (microseconds), so that what is written
/// reads back equal.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
/// transaction that reads first and upgrades later would fail at once on a busy database, since
/// SQLite does not wait (busy_timeout) for an upgrade. PostgreSQL ignores the mode.
pub async fn begin_write<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Sorted, without duplicates.
pub fn dedup(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A change to an optional field: leave it, clear it, or set it.
pub type Patch<T> = Option<Option<T>>;

use crate::error::{AppError, AppResult};
use crate::trust::identity::Actor;

/// Refuses anonymous callers.
pub fn require_signed_in(actor: &Actor) -> AppResult<()> {
    if actor.is_signed_in() { Ok(()) } else { Err(AppError::Unauthenticated("sign in to do this".into())) }
}

/// Only network maintainers keep the common model and the list of organisations.
pub fn require_maintainer(actor: &Actor) -> AppResult<()> {
    require_signed_in(actor)?;
    if actor.is_maintainer() { Ok(()) } else { Err(AppError::Forbidden("only network maintainers may do this".into())) }
}

/// Checks the version a client last read against the stored one.
pub fn check_version(kind: &str, expected: i32, actual: i32) -> AppResult<()> {
    if expected == actual {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "the {kind} was changed by someone else (version {actual}, you sent {expected}); reload and try again"
        )))
    }
}

/// Writes `active` over the record with this id if it is still at `version`, bumping the version and
/// `updated_at`; a concurrent writer that got there first makes this a `CONFLICT`.
pub(crate) async fn save_versioned<E, C>(
    db: &C,
    mut active: E::ActiveModel,
    id: i64,
    version: i32,
    what: &str,
) -> AppResult<E::Model>
where
    C: sea_orm::ConnectionTrait,
    E: sea_orm::EntityTrait,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    use std::str::FromStr;

    use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter};
    let column = |name: &str| {
        E::Column::from_str(name).map_err(|_| AppError::internal(format!("the {what} table has no column {name}")))
    };
    let (id_col, version_col, updated_col) = (column("id")?, column("version")?, column("updated_at")?);
    active.set(version_col, (version + 1).into());
    active.set(updated_col, now().into());
    let result = E::update_many().set(active).filter(id_col.eq(id)).filter(version_col.eq(version)).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict(format!("the {what} was changed concurrently; reload and try again")));
    }
    E::find().filter(id_col.eq(id)).one(db).await?.ok_or_else(|| AppError::NotFound(what.to_string()))
}

/// The request's database connection.
pub fn db<'a>(ctx: &async_graphql::Context<'a>) -> &'a sea_orm::DatabaseConnection {
    ctx.data_unchecked::<sea_orm::DatabaseConnection>()
}

/// Who is making the request.
pub fn actor<'a>(ctx: &async_graphql::Context<'a>) -> &'a Actor {
    ctx.data_unchecked::<Actor>()
}
