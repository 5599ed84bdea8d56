//! The one error type of the registry, with the stable codes clients see in `extensions.code`.

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Every failure a request can end in.
///
/// It deliberately does not implement `Display`: async-graphql converts any displayable error into
/// a GraphQL error without our code, so the only way out is [`AppError::to_graphql`], which keeps
/// the code and hides internal causes.
#[derive(Debug)]
pub enum AppError {
    Unauthenticated(String),
    Forbidden(String),
    /// What was not found, e.g. "proposition".
    NotFound(String),
    BadUserInput {
        field: String,
        message: String,
    },
    Conflict(String),
    /// A document over one of the configured limits (`maxDepth`, `maxAliases`, …); the code is
    /// `BAD_USER_INPUT` and `extensions.limit` names the limit.
    LimitExceeded {
        limit: &'static str,
        message: String,
    },
    /// Over the caller's rate limit; try again after this many seconds.
    RateLimited {
        retry_after_secs: u64,
    },
    /// The request itself is refused before any GraphQL runs (body too large, media type, method, a
    /// reused idempotency key); the reason says why, the code is `BAD_USER_INPUT`.
    Rejected {
        reason: Rejection,
        message: String,
    },
    ServiceUnavailable(DbErr),
    /// The database was unreachable a moment ago, so the request is answered without trying.
    DatabaseDown,
    /// The request ran past the configured time and was cancelled.
    TimedOut {
        after_secs: u64,
    },
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// Why a request was refused before any GraphQL ran; the HTTP edge answers each with its own status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The request is malformed (not JSON, a bad header value, several operations in one batch).
    Malformed,
    /// A mutation sent where only queries may go (over GET).
    WrongMethod,
    /// The body is larger than allowed.
    TooLarge,
    /// The body is not of a media type the endpoint reads.
    WrongMediaType,
    /// An idempotency key sent again with a different request.
    KeyReused,
}

/// Shorthand for service results.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A validation failure on one input field (named as the client wrote it).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput { field: field.into(), message: message.into() }
    }

    /// An internal failure with its cause; the cause is logged, never shown.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(cause.into())
    }

    /// The message clients see; never the cause of an internal error.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(m) | Self::Forbidden(m) | Self::Conflict(m) => m.clone(),
            Self::Rejected { message, .. } | Self::LimitExceeded { message, .. } => message.clone(),
            Self::RateLimited { retry_after_secs } => {
                format!("rate limit exceeded; try again in {retry_after_secs} s (see the RateLimit headers)")
            }
            Self::TimedOut { after_secs } => {
                format!(
                    "the request took longer than {after_secs} s and was cancelled; nothing of it was saved unless it had finished"
                )
            }
            Self::NotFound(what) => format!("{what} not found"),
            Self::BadUserInput { field, message } => format!("{field}: {message}"),
            Self::ServiceUnavailable(_) | Self::DatabaseDown => {
                "the registry is temporarily unavailable; try again shortly".into()
            }
            Self::Internal(_) => "internal error".into(),
        }
    }

    /// A description for operators, with the cause; for logs and command-line tools only.
    pub fn describe(&self) -> String {
        match self {
            Self::ServiceUnavailable(cause) => format!("database unavailable: {cause}"),
            Self::Internal(cause) => format!("internal error: {cause}"),
            other => other.message(),
        }
    }

    /// The stable code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadUserInput { .. } | Self::Rejected { .. } | Self::LimitExceeded { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::ServiceUnavailable(_) | Self::DatabaseDown | Self::TimedOut { .. } => "SERVICE_UNAVAILABLE",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Self::ServiceUnavailable(err),
            _ => match err.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    Self::Conflict("a record with the same unique value already exists".into())
                }
                _ => match &err {
                    DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))
                        if is_connection_error(e) =>
                    {
                        Self::ServiceUnavailable(err)
                    }
                    _ => Self::Internal(Box::new(err)),
                },
            },
        }
    }
}

/// Whether a driver error means the database cannot be used now (rather than the statement failing).
fn is_connection_error(e: &sea_orm::sqlx::Error) -> bool {
    // 57014: cancelled by statement_timeout; SQLite's SQLITE_BUSY family (5, 261, 517): the
    // database is held by another writer past busy_timeout.
    is_unreachable_error(e)
        || matches!(e, sea_orm::sqlx::Error::Database(db)
            if db.code().is_some_and(|c| matches!(c.as_ref(), "57014" | "5" | "261" | "517")))
}

/// Whether a driver error means the database cannot be reached at all.
fn is_unreachable_error(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    match e {
        E::PoolTimedOut | E::PoolClosed | E::Io(_) | E::Tls(_) | E::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception), 57P (operator intervention: shutdown).
        E::Database(db) => db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// Marks a GraphQL error whose cause was an unreachable database, for the edge's breaker.
#[derive(Clone, Copy)]
pub struct Unreachable;

impl AppError {
    /// Whether the database could not be reached (not merely busy or slow).
    pub fn is_unreachable(&self) -> bool {
        match self {
            Self::ServiceUnavailable(DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) => true,
            Self::ServiceUnavailable(
                DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)),
            ) => is_unreachable_error(e),
            _ => false,
        }
    }
}

impl AppError {
    /// The error as a GraphQL error; internal causes are logged here, once, and never sent.
    pub fn to_graphql(&self) -> async_graphql::Error {
        match self {
            AppError::Internal(cause) => {
                tracing::error!(error.cause = %cause, error.debug = ?cause, "internal error");
            }
            AppError::ServiceUnavailable(cause) => {
                tracing::warn!(error.cause = %cause, "database unavailable");
            }
            _ => {}
        }
        let code = self.code();
        let (key, value) = match self {
            AppError::BadUserInput { field, .. } => (Some("field"), Some(field.clone())),
            AppError::LimitExceeded { limit, .. } => (Some("limit"), Some(limit.to_string())),
            _ => (None, None),
        };
        let mut error = async_graphql::Error::new(self.message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let (Some(key), Some(value)) = (key, &value) {
                ext.set(key, value.as_str());
            }
        });
        if self.is_unreachable() {
            error.source = Some(std::sync::Arc::new(Unreachable));
        }
        error
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.to_graphql()
    }
}
