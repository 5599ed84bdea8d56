//! Authentication at the HTTP edge: bearer JWTs decoded with an explicit validation into an `Actor`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono::Utc;
use entity::enums::OrganisationKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::settings::Settings;

/// What a signed-in user may do; anonymous callers have no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[clap(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// A partner's user or system: reads published data.
    Partner,
    /// Edits one library's propositions and branches.
    LibraryEditor,
    /// Works at a support organisation: reads the drafts of the libraries it supports.
    SupportEditor,
    /// Keeps the common model and the list of organisations.
    NetworkMaintainer,
}

impl Role {
    /// The stable name, as written in tokens and the change log.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "PARTNER",
            Role::LibraryEditor => "LIBRARY_EDITOR",
            Role::SupportEditor => "SUPPORT_EDITOR",
            Role::NetworkMaintainer => "NETWORK_MAINTAINER",
        }
    }

    /// The kind of organisation a user with this role must belong to, if any.
    pub fn required_organisation_kind(self) -> Option<OrganisationKind> {
        match self {
            Role::LibraryEditor => Some(OrganisationKind::Library),
            Role::SupportEditor => Some(OrganisationKind::SupportOrganisation),
            Role::Partner | Role::NetworkMaintainer => None,
        }
    }

    /// The kind of organisation a user with this role may name (a partner's system may act for no
    /// organisation, and a maintainer for the network as a whole).
    pub fn permitted_organisation_kind(self) -> OrganisationKind {
        match self {
            Role::LibraryEditor => OrganisationKind::Library,
            Role::SupportEditor => OrganisationKind::SupportOrganisation,
            Role::Partner => OrganisationKind::Partner,
            Role::NetworkMaintainer => OrganisationKind::NationalBody,
        }
    }
}

/// The claims the registry puts in and expects from a token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user (or system) the token was issued to.
    pub sub: String,
    /// The slug of the user's organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
}

/// Signs and verifies tokens with the configured key; one fixed algorithm.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
}

impl JwtKeys {
    /// Builds the keys and the validation rules from settings.
    pub fn from_settings(settings: &Settings) -> Self {
        let secret = settings.jwt_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&settings.auth.issuer]);
        validation.set_audience(&[&settings.auth.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = settings.auth.leeway_secs;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.auth.issuer.clone(),
            audience: settings.auth.audience.clone(),
        }
    }

    /// Issues a token for a user, valid for `ttl`.
    pub fn issue(
        &self,
        subject: &str,
        organisation_slug: Option<&str>,
        role: Role,
        ttl: chrono::Duration,
    ) -> Result<String, AppError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: subject.to_string(),
            org: organisation_slug.map(str::to_string),
            role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + ttl.num_seconds(),
            iat: now,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    /// Verifies a token's signature, algorithm, expiry, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims).map_err(|e| {
            tracing::debug!(auth.error = %e, "rejected bearer token");
            AppError::Unauthenticated("the bearer token is invalid or expired".into())
        })
    }
}

/// The organisation a signed-in user acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorOrganisation {
    pub id: i64,
    pub kind: OrganisationKind,
}

/// Who is making a request; passed to every service function.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// The token's subject; `None` for anonymous callers.
    pub subject: Option<String>,
    pub role: Option<Role>,
    pub organisation: Option<ActorOrganisation>,
}

impl Actor {
    /// A caller without credentials.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The actor used by start-up tasks such as loading the demo network.
    pub fn system() -> Self {
        Self { subject: Some("system".into()), role: Some(Role::NetworkMaintainer), organisation: None }
    }

    pub fn is_signed_in(&self) -> bool {
        self.role.is_some()
    }

    pub fn is_maintainer(&self) -> bool {
        self.role == Some(Role::NetworkMaintainer)
    }

    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation.map(|o| o.id)
    }

    /// The library this actor edits, if a library editor.
    pub fn edited_library(&self) -> Option<i64> {
        match self.role {
            Some(Role::LibraryEditor) => self.organisation_id(),
            _ => None,
        }
    }

    /// The support organisation this actor works for, if a support editor.
    pub fn support_organisation(&self) -> Option<i64> {
        match self.role {
            Some(Role::SupportEditor) => self.organisation_id(),
            _ => None,
        }
    }

    /// Role name for the change log.
    pub fn role_name(&self) -> &'static str {
        self.role.map(Role::as_str).unwrap_or("ANONYMOUS")
    }
}

/// The verified claims of the request's bearer token, or `None` when it carries none.
pub struct BearerClaims(pub Option<Claims>);

impl<S> FromRequestParts<S> for BearerClaims
where
    S: Send + Sync,
    Arc<JwtKeys>: axum::extract::FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let keys: Arc<JwtKeys> = axum::extract::FromRef::from_ref(state);
        match bearer_token(&parts.headers)? {
            None => Ok(Self(None)),
            Some(token) => keys.verify(token).map(|c| Self(Some(c))),
        }
    }
}

fn bearer_token(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value =
        value.to_str().map_err(|_| AppError::Unauthenticated("the Authorization header is not valid text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim()))
        }
        _ => Err(AppError::Unauthenticated("the Authorization header must be `Bearer <token>`".into())),
    }
}
