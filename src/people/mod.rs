//! People: who signs in to the site, the organisations they are members of, and their sessions.
//!
//! Owns: persons (the identity provider's issuer and subject, a name, an e-mail address), their
//! memberships (organisation, role, admin flag) and who may grant them, site sessions (server-side,
//! token hashed, rotated at sign-in, idle and absolute ends, a synchronizer token for forms), the
//! OpenID Connect sign-in ([`oidc`]) and the demo sign-in ([`demo`]), and their GraphQL types
//! ([`graphql`]). Who may do what comes from the registry's memberships, never from the provider.
//!
//! May use: `auth` (the `Actor` and `Role` it fills in), `service` (organisations, the change log,
//! transactions), `error`, `entity`. It knows nothing of pages: `web::account` is its site.

pub mod demo;
pub mod graphql;
pub mod membership;
pub mod oidc;
pub mod session;
pub mod settings;

use std::sync::Arc;

use axum::http::HeaderMap;
use entity::{membership as membership_entity, organisation, person, session as session_entity};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::identity::{Actor, ActorOrganisation, PersonActor};

use crate::error::AppResult;
use crate::people::session::CookiePolicy;
use crate::people::settings::SessionSettings;
use crate::settings::Settings;

/// Signing in, as configured: sessions, the cookie, and which ways in the site offers.
#[derive(Clone)]
pub struct People {
    pub sessions: SessionSettings,
    pub cookie: CookiePolicy,
    /// The demo sign-in, only with the development secret and no provider.
    pub demo: Option<demo::DemoSignIn>,
    /// The identity provider, when configured.
    pub oidc: Option<Arc<oidc::Provider>>,
    /// The site's origin (`https://register.example.nl`) when its public address is configured:
    /// forms must come from it.
    pub public_origin: Option<String>,
}

impl People {
    /// Signing in as the settings say; the provider (discovered at start) is added by start-up.
    pub fn from_settings(settings: &Settings) -> Self {
        // `Secure`, except for plain HTTP on this machine (development), where a browser would not
        // keep the cookie: a public address `http://localhost…`, or none and a loopback listener.
        // A public `http://` address elsewhere still gets a `Secure` cookie: sign in over TLS.
        let secure = match settings.server.public_url.as_ref().and_then(|u| url::Url::parse(u.as_str()).ok()) {
            Some(url) => !(url.scheme() == "http" && settings::is_loopback(&url)),
            None => !settings.server.host.is_loopback(),
        };
        Self {
            sessions: settings.session,
            cookie: CookiePolicy { secure, lifetime_secs: settings.session.absolute_lifetime_secs },
            demo: demo::DemoSignIn::if_allowed(settings),
            oidc: None,
            public_origin: settings
                .server
                .public_url
                .as_ref()
                .and_then(|u| url::Url::parse(u.as_str()).ok())
                .map(|u| u.origin().ascii_serialization()),
        }
    }

    /// The site's origin, when its public address is configured.
    pub fn public_origin(&self) -> Option<&str> {
        self.public_origin.as_deref()
    }

    /// The request's live session, if its cookie names one.
    pub async fn session(
        &self,
        db: &DatabaseConnection,
        headers: &HeaderMap,
    ) -> AppResult<Option<session_entity::Model>> {
        match self.cookie.token_in(headers) {
            Some(token) => session::find(db, &self.sessions, &token).await,
            None => Ok(None),
        }
    }
}

/// A signed-in person as the site shows them, with the actor their requests run as.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: session_entity::Model,
    pub person: person::Model,
    /// The membership acted in, with its organisation.
    pub acting: Option<(membership_entity::Model, organisation::Model)>,
    /// How many memberships the person holds (more than one: they can choose).
    pub memberships: usize,
    pub actor: Actor,
}

/// Who a session belongs to, and the actor their requests run as: the person, in the membership
/// the session chose (or their only one); without a membership they only read.
pub async fn signed_in(db: &DatabaseConnection, session: session_entity::Model) -> AppResult<Option<SignedIn>> {
    let Some(person_id) = session.person_id else {
        return Ok(None);
    };
    let Some(person) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(None);
    };
    let held = membership::of_person(db, person_id).await?;
    let acting = match session.membership_id {
        Some(id) => held.iter().find(|(m, _)| m.id == id).cloned(),
        None if held.len() == 1 => held.first().cloned(),
        None => None,
    };
    let mut actor = Actor {
        subject: Some(format!("person:{}", person.id)),
        credential: Some(format!("session:{}", session.id)),
        person: Some(PersonActor { id: person.id, membership_id: acting.as_ref().map(|(m, _)| m.id) }),
        ..Actor::default()
    };
    if let Some((m, org)) = &acting {
        actor.role = Some(membership::role_of(m)?);
        actor.organisation = Some(ActorOrganisation { id: org.id, kind: org.kind });
        actor.admin = m.admin;
    }
    Ok(Some(SignedIn { session, person, acting, memberships: held.len(), actor }))
}
