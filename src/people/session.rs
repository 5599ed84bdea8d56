//! Site sessions, kept in the database so that every instance of the registry shares them.
//!
//! The browser holds a random 256-bit token in a cookie; the database holds only its SHA-256, so a
//! copy of the database opens no session. A session ends when it has not been used for the idle
//! timeout, at its absolute lifetime, and at sign-out; signing in always starts a new session (a new
//! token), so a token planted before sign-in is worth nothing after it. Each session has its own
//! synchronizer token that every form must carry.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::session;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::kernel::now;
use crate::people::settings::SessionSettings;

/// The cookie's name where it is `Secure`: the `__Host-` prefix makes browsers refuse it unless it
/// is `Secure`, for the whole site (`Path=/`) and for this host only (no `Domain`).
pub const SECURE_COOKIE: &str = "__Host-registry-session";
/// The cookie's name over plain HTTP on this machine (development), where `Secure` cookies may not
/// be stored.
pub const LOCAL_COOKIE: &str = "registry-session";

/// How the session cookie is made.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    /// `Secure` (and `__Host-`): always, except when the site is served over plain HTTP on this
    /// machine.
    pub secure: bool,
    pub lifetime_secs: u64,
}

impl CookiePolicy {
    pub fn name(&self) -> &'static str {
        if self.secure { SECURE_COOKIE } else { LOCAL_COOKIE }
    }

    /// The `Set-Cookie` value carrying a session token.
    pub fn set(&self, token: &str) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}", self.name(), self.lifetime_secs)
    }

    /// The `Set-Cookie` value removing the cookie.
    pub fn clear(&self) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}", self.name())
    }

    /// The session token in a request's `Cookie` headers, if any.
    pub fn token_in(&self, headers: &axum::http::HeaderMap) -> Option<String> {
        headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == self.name())
            .map(|(_, value)| value.trim().to_string())
            .filter(|v| !v.is_empty() && v.len() <= 100)
    }
}

/// 32 random bytes from the operating system's generator, as URL-safe base64.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a session token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A session and the token its cookie carries (known only when it was just started).
pub struct Started {
    pub session: session::Model,
    pub token: String,
}

/// Who a new session belongs to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Owner {
    pub person_id: Option<i64>,
    pub membership_id: Option<i64>,
}

/// Starts a session (a visitor about to sign in has no person yet). Ended sessions are cleared
/// out on the way.
pub async fn start(db: &DatabaseConnection, settings: &SessionSettings, owner: Owner) -> AppResult<Started> {
    let at = now();
    clear_ended(db, settings, at).await?;
    let token = random_token();
    let session = session::ActiveModel {
        token_hash: Set(hash(&token)),
        csrf_token: Set(random_token()),
        person_id: Set(owner.person_id),
        membership_id: Set(owner.membership_id),
        created_at: Set(at),
        last_seen_at: Set(at),
        expires_at: Set(at + Duration::seconds(settings.absolute_lifetime_secs as i64)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Started { session, token })
}

/// Starts a signed-in session in place of the one the browser had (whose token is then worth
/// nothing): the id changes at every sign-in.
pub async fn rotate(
    db: &DatabaseConnection,
    settings: &SessionSettings,
    previous: Option<&session::Model>,
    owner: Owner,
) -> AppResult<Started> {
    if let Some(previous) = previous {
        end(db, previous.id).await?;
    }
    start(db, settings, owner).await
}

/// Ends a session (sign-out).
pub async fn end(db: &DatabaseConnection, id: i64) -> AppResult<()> {
    session::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Removes sessions past their lifetime or idle too long.
async fn clear_ended(db: &DatabaseConnection, settings: &SessionSettings, at: DateTime<Utc>) -> AppResult<()> {
    session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lte(at))
                .add(session::Column::LastSeenAt.lte(at - Duration::seconds(settings.idle_timeout_secs as i64))),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// How often `last_seen_at` is written: at most once a minute (or a tenth of the idle timeout), not
/// on every page.
fn touch_resolution(settings: &SessionSettings) -> Duration {
    Duration::seconds((settings.idle_timeout_secs / 10).min(60) as i64)
}

/// The live session with this token, noting its use; an ended one is removed and is `None`.
pub async fn find(
    db: &DatabaseConnection,
    settings: &SessionSettings,
    token: &str,
) -> AppResult<Option<session::Model>> {
    let Some(found) = session::Entity::find().filter(session::Column::TokenHash.eq(hash(token))).one(db).await? else {
        return Ok(None);
    };
    let at = now();
    let idle = Duration::seconds(settings.idle_timeout_secs as i64);
    if found.expires_at <= at || found.last_seen_at + idle <= at {
        end(db, found.id).await?;
        return Ok(None);
    }
    if found.last_seen_at + touch_resolution(settings) <= at {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(at))
            .filter(session::Column::Id.eq(found.id))
            .exec(db)
            .await?;
    }
    Ok(Some(found))
}

/// Whether a form's synchronizer token is this session's.
pub fn csrf_matches(session: &session::Model, presented: &str) -> bool {
    !presented.is_empty() && same_secret(&session.csrf_token, presented)
}

/// A sign-in at the identity provider, waiting for the browser to come back.
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub return_to: String,
}

/// Notes a sign-in the session is about to make at the provider.
pub async fn set_pending(db: &DatabaseConnection, id: i64, pending: Pending) -> AppResult<()> {
    session::ActiveModel {
        id: Set(id),
        pending_state: Set(Some(pending.state)),
        pending_nonce: Set(Some(pending.nonce)),
        pending_verifier: Set(Some(pending.verifier)),
        pending_return_to: Set(Some(pending.return_to)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Takes the session's pending sign-in if `state` is the one it sent (once: a replayed answer
/// finds nothing).
pub async fn take_pending(db: &DatabaseConnection, session: &session::Model, state: &str) -> AppResult<Pending> {
    let refused = || AppError::Unauthenticated("this sign-in was not started in this browser, or has ended".into());
    let (Some(sent), Some(nonce), Some(verifier)) =
        (&session.pending_state, &session.pending_nonce, &session.pending_verifier)
    else {
        return Err(refused());
    };
    if !same_secret(sent, state) {
        return Err(refused());
    }
    let cleared = session::Entity::update_many()
        .col_expr(session::Column::PendingState, Expr::value(Option::<String>::None))
        .col_expr(session::Column::PendingNonce, Expr::value(Option::<String>::None))
        .col_expr(session::Column::PendingVerifier, Expr::value(Option::<String>::None))
        .filter(session::Column::Id.eq(session.id))
        .filter(session::Column::PendingState.eq(sent.clone()))
        .exec(db)
        .await?;
    if cleared.rows_affected == 0 {
        return Err(refused());
    }
    Ok(Pending {
        state: sent.clone(),
        nonce: nonce.clone(),
        verifier: verifier.clone(),
        return_to: session.pending_return_to.clone().unwrap_or_else(|| "/".into()),
    })
}

/// Makes one of the person's memberships the one they act in.
pub async fn choose_membership(db: &DatabaseConnection, session: &session::Model, membership_id: i64) -> AppResult<()> {
    let Some(person_id) = session.person_id else {
        return Err(AppError::Unauthenticated("sign in to do this".into()));
    };
    let held =
        entity::membership::Entity::find_by_id(membership_id).one(db).await?.is_some_and(|m| m.person_id == person_id);
    if !held {
        return Err(AppError::NotFound("membership".into()));
    }
    session::ActiveModel { id: Set(session.id), membership_id: Set(Some(membership_id)), ..Default::default() }
        .update(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    use super::*;

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_with_the_host_prefix_unless_local() {
        let secure = CookiePolicy { secure: true, lifetime_secs: 60 };
        assert_eq!(secure.set("t"), "__Host-registry-session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
        assert!(secure.clear().contains("Max-Age=0"));
        let local = CookiePolicy { secure: false, lifetime_secs: 60 };
        assert_eq!(local.set("t"), "registry-session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
    }

    #[test]
    fn the_token_is_read_from_its_own_cookie_only() {
        let policy = CookiePolicy { secure: true, lifetime_secs: 60 };
        let mut headers = HeaderMap::new();
        headers.insert("cookie", "registry-session=local; other=x; __Host-registry-session=abc".parse().unwrap());
        assert_eq!(policy.token_in(&headers).as_deref(), Some("abc"));
        assert_eq!(CookiePolicy { secure: false, lifetime_secs: 60 }.token_in(&headers).as_deref(), Some("local"));
        let mut empty = HeaderMap::new();
        empty.insert("cookie", "__Host-registry-session=".parse().unwrap());
        assert_eq!(policy.token_in(&empty), None);
    }

    #[test]
    fn tokens_are_random_and_stored_hashed_and_compared_whole() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in base64url");
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
        assert!(!same_secret(&a, &a[..42]));
    }
}
