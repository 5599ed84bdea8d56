//! Idempotency keys: a retried mutation with the same key gets the first answer and writes nothing.
//!
//! The first request with a key claims it (a unique row); concurrent retries wait for its answer.
//! Failures that say nothing about the data (the database was unavailable, the rate limit) release
//! the key so that the retry runs. A request cut off after it may have committed leaves the key
//! claimed, and retries get `CONFLICT` rather than a second write.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::Utc;
use entity::idempotency_key;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, SqlErr};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult, Rejection};
use crate::kernel::now;

/// Longest accepted key.
const MAX_KEY_CHARS: usize = 200;
/// How often a waiting retry looks for the first request's answer.
const POLL: Duration = Duration::from_millis(50);

/// What to do with a request that carries an idempotency key.
pub enum Claim {
    /// This request runs; finish with [`complete`] or [`release`].
    Run(i64),
    /// An earlier request with the key already answered: its HTTP status and body.
    Replay { status: u16, body: Value },
}

/// Checks a client's key (the raw header value): 1 to 200 visible ASCII characters.
pub fn validate_key(key: &[u8]) -> AppResult<&str> {
    let valid = !key.is_empty() && key.len() <= MAX_KEY_CHARS && key.iter().all(u8::is_ascii_graphic);
    match std::str::from_utf8(key) {
        Ok(text) if valid => Ok(text),
        _ => Err(AppError::Rejected {
            reason: Rejection::Malformed,
            message: format!("Idempotency-Key must be 1 to {MAX_KEY_CHARS} visible ASCII characters"),
        }),
    }
}

/// The fingerprint of a request: its document, operation name and variables.
pub fn fingerprint(query: &str, operation_name: Option<&str>, variables: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(query.as_bytes());
    hasher.update([0]);
    hasher.update(operation_name.unwrap_or_default().as_bytes());
    hasher.update([0]);
    hasher.update(variables.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

/// Claims `key` for `owner`, or finds the earlier request's answer, waiting up to `wait` for a
/// request with the key that is still running.
pub async fn claim(
    db: &DatabaseConnection,
    owner: &str,
    key: &str,
    fingerprint: &str,
    retention: chrono::Duration,
    wait: Duration,
) -> AppResult<Claim> {
    let deadline = tokio::time::Instant::now() + wait;
    let cutoff = Utc::now() - retention;
    purge_expired(db, cutoff).await;
    loop {
        let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
            owner: Set(owner.to_string()),
            key: Set(key.to_string()),
            fingerprint: Set(fingerprint.to_string()),
            completed: Set(false),
            created_at: Set(now()),
            ..Default::default()
        })
        .exec(db)
        .await;
        match inserted {
            Ok(result) => return Ok(Claim::Run(result.last_insert_id)),
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e.into()),
        }
        let existing = idempotency_key::Entity::find()
            .filter(idempotency_key::Column::Owner.eq(owner))
            .filter(idempotency_key::Column::Key.eq(key))
            .one(db)
            .await?;
        let Some(existing) = existing else {
            continue; // released between our insert and this read: try to claim it again
        };
        if existing.created_at < cutoff {
            // Expired but not yet purged: it no longer holds the key.
            idempotency_key::Entity::delete_by_id(existing.id).exec(db).await?;
            continue;
        }
        if existing.fingerprint != fingerprint {
            return Err(AppError::Rejected {
                reason: Rejection::KeyReused,
                message: "this Idempotency-Key was already used for a different request; use a new key".into(),
            });
        }
        if existing.completed {
            return Ok(Claim::Replay {
                status: existing.status.unwrap_or(200) as u16,
                body: existing.response.unwrap_or(Value::Null),
            });
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(AppError::Conflict(
                "a request with this Idempotency-Key is still running, or was cut off after it may have \
                 saved; check whether the record exists before retrying with a new key"
                    .into(),
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Unix second of the last purge of expired keys, so that it runs at most once a minute and not
/// with every request.
static LAST_PURGE: AtomicI64 = AtomicI64::new(0);

/// Deletes expired keys, at most once a minute. Housekeeping only: a failure is logged and the
/// request goes on (an expired row in its way is removed by [`claim`] itself).
async fn purge_expired(db: &DatabaseConnection, cutoff: chrono::DateTime<Utc>) {
    let now = Utc::now().timestamp();
    let last = LAST_PURGE.load(Ordering::Relaxed);
    if now - last < 60 || LAST_PURGE.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err() {
        return;
    }
    let purged =
        idempotency_key::Entity::delete_many().filter(idempotency_key::Column::CreatedAt.lt(cutoff)).exec(db).await;
    if let Err(e) = purged {
        tracing::warn!(error.cause = %e, "could not purge expired idempotency keys");
    }
}

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Stores the answer of the request that claimed the key.
pub async fn complete(db: &DatabaseConnection, id: i64, status: u16, body: &Value) -> AppResult<()> {
    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::Completed, Expr::value(true))
        .col_expr(idempotency_key::Column::Status, Expr::value(i32::from(status)))
        .col_expr(idempotency_key::Column::Response, Expr::value(body.clone()))
        .col_expr(idempotency_key::Column::CompletedAt, Expr::value(now()))
        .filter(idempotency_key::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives the key up, so that a retry runs: the request failed before it could change anything.
pub async fn release(db: &DatabaseConnection, id: i64) -> AppResult<()> {
    idempotency_key::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
