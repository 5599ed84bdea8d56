//! Bulk inserts in statements small enough for both databases, and reading back the ids the
//! database assigned so that later rows can point at earlier ones.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityName, EntityTrait, Iterable, QueryFilter, QueryOrder,
    QuerySelect,
};

use registry::error::AppError;

/// PostgreSQL takes at most 65,535 bind parameters in one statement and SQLite 32,766: stay under both.
const MAX_PARAMETERS: usize = 30_000;
/// Larger statements gain nothing and make a failure harder to read.
const MAX_ROWS: usize = 1_000;

/// Inserts rows in as few statements as the parameter limits allow; returns how many.
pub(super) async fn insert_all<A, C>(db: &C, rows: Vec<A>) -> Result<u64, AppError>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count().max(1);
    let per_statement = (MAX_PARAMETERS / columns).clamp(1, MAX_ROWS);
    let total = rows.len() as u64;
    let mut rows = rows.into_iter();
    loop {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        if chunk.is_empty() {
            break;
        }
        <A::Entity as EntityTrait>::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(total)
}

/// Inserts rows that get their id from the database and returns those ids in the order of `rows`.
///
/// Nothing else writes while the generator runs, so the new rows are exactly those above the
/// largest id before the insert, and both databases number the rows of one statement in order.
/// `key` names a text column: the values read back are compared with those written, so a
/// database that numbered differently fails loudly instead of linking the wrong rows.
pub(super) async fn insert_with_ids<A, C>(
    db: &C,
    rows: Vec<A>,
    id: <A::Entity as EntityTrait>::Column,
    key: <A::Entity as EntityTrait>::Column,
    key_of: impl Fn(&A) -> String,
) -> Result<Vec<i64>, AppError>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let expected: Vec<String> = rows.iter().map(key_of).collect();
    let before: Option<Option<i64>> =
        A::Entity::find().select_only().column_as(id.max(), "max_id").into_tuple().one(db).await?;
    let before = before.flatten().unwrap_or(0);
    insert_all(db, rows).await?;
    let written: Vec<(i64, String)> = A::Entity::find()
        .select_only()
        .column(id)
        .column(key)
        .filter(id.gt(before))
        .order_by_asc(id)
        .into_tuple()
        .all(db)
        .await?;
    let same = written.len() == expected.len() && written.iter().zip(&expected).all(|((_, got), want)| got == want);
    if !same {
        return Err(AppError::internal(format!(
            "generate: the {} rows read back are not the ones written, in order",
            A::Entity::default().table_name()
        )));
    }
    Ok(written.into_iter().map(|(id, _)| id).collect())
}
