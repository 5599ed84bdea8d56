//! The kernel: the mechanics every domain shares, written once. A record's versioned write and its entry in
//! the change log (`history`), keyset pages and Relay connections (`page`, `connection`), global ids (`ids`),
//! the batch loader every nested field goes through (`loaders`), link rows (`links`), input checks
//! (`validate`), how words are compared with names (`text`), the API's enums, and the request's database and actor.
//!
//! May use: `error`, `identity` (who is calling), `entity`, `settings`. Used by every domain; uses none.

pub mod connection;
pub mod enums;
pub mod history;
pub mod ids;
pub mod links;
pub mod loaders;
pub mod nested;
pub mod page;
pub mod text;
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
use crate::identity::Actor;

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

/// A table of versioned records: every row has an `id`, a `version` that each change bumps, and an
/// `updated_at`; [`save_versioned`] is the one way such a row is changed.
pub trait Versioned: sea_orm::EntityTrait {
    /// How messages name one record, e.g. "standard proposition".
    const NAME: &'static str;
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
}

macro_rules! versioned {
    ($($m:ident: $name:literal),* $(,)?) => {$(
        impl Versioned for entity::$m::Entity {
            const NAME: &'static str = $name;
            const ID: entity::$m::Column = entity::$m::Column::Id;
            const VERSION: entity::$m::Column = entity::$m::Column::Version;
            const UPDATED_AT: entity::$m::Column = entity::$m::Column::UpdatedAt;
        }
    )*};
}

versioned!(
    core_function: "core function",
    societal_task: "societal task",
    target_group: "target group",
    standard_proposition: "standard proposition",
    organisation: "organisation",
    branch: "branch",
    proposition: "proposition",
    study: "study",
    journey: "journey",
    journey_stage: "stage",
    insight: "insight",
    idea: "idea",
    adoption: "adoption",
    knowledge_link: "link",
    membership: "membership",
);

/// Writes `active` over the record with this id if it is still at `version`, bumping the version and
/// `updated_at`; a concurrent writer that got there first makes this a `CONFLICT`.
pub(crate) async fn save_versioned<E, C>(
    db: &C,
    mut active: E::ActiveModel,
    id: i64,
    version: i32,
) -> AppResult<E::Model>
where
    C: sea_orm::ConnectionTrait,
    E: Versioned,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter};
    active.set(E::VERSION, (version + 1).into());
    active.set(E::UPDATED_AT, now().into());
    let result = E::update_many().set(active).filter(E::ID.eq(id)).filter(E::VERSION.eq(version)).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict(format!("the {} was changed concurrently; reload and try again", E::NAME)));
    }
    E::find().filter(E::ID.eq(id)).one(db).await?.ok_or_else(|| AppError::NotFound(E::NAME.to_string()))
}

/// The request's database connection.
pub fn db<'a>(ctx: &async_graphql::Context<'a>) -> &'a sea_orm::DatabaseConnection {
    ctx.data_unchecked::<sea_orm::DatabaseConnection>()
}

/// Who is making the request.
pub fn actor<'a>(ctx: &async_graphql::Context<'a>) -> &'a Actor {
    ctx.data_unchecked::<Actor>()
}
