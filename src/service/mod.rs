//! The domain layer: rules, validation, tenant scoping and versioning, as plain async functions.

pub mod branch;
pub mod common_model;
pub mod history;
pub mod organisation;
pub mod page;
pub mod proposition;
pub mod region;
pub mod validate;

use chrono::{DateTime, SubsecRound, Utc};

/// The current time at the precision both databases store (microseconds), so that what is written
/// reads back equal.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A change to an optional field: leave it, clear it, or set it.
pub type Patch<T> = Option<Option<T>>;

use crate::auth::Actor;
use crate::error::{AppError, AppResult};

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
