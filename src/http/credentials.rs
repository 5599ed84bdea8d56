//! From the `Authorization` header to an `Actor`: a bearer JWT or a partner API key, read at the edge and then
//! checked against the registry (the token's organisation, the key's record).

use axum::http::{HeaderMap, header};
use entity::enums::OrganisationKind;
use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::identity::{Actor, ActorOrganisation, Claims, JwtKeys, KeyScopes, Role, api_key};
use crate::registry::organisation as org_service;
use crate::trust::api_key as key_service;

/// The credential a request carries, checked for form (and a token for its signature) but not
/// yet against the database.
pub enum Credential {
    Anonymous,
    Token(Box<Claims>),
    /// The SHA-256 of a well-formed API key.
    ApiKey(String),
}

/// Reads the `Authorization` header: `Bearer <token>` or `Bearer prk_…` (an API key).
pub fn from_headers(headers: &HeaderMap, keys: &JwtKeys) -> Result<Credential, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Credential::Anonymous);
    };
    let value =
        value.to_str().map_err(|_| AppError::Unauthenticated("the Authorization header is not valid text".into()))?;
    let credential = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => token.trim(),
        _ => return Err(AppError::Unauthenticated("the Authorization header must be `Bearer <token>`".into())),
    };
    if api_key::looks_like_key(credential) {
        return api_key::verified_hash(credential)
            .map(Credential::ApiKey)
            .ok_or_else(|| AppError::Unauthenticated("the API key is malformed".into()));
    }
    keys.verify(credential).map(|claims| Credential::Token(Box::new(claims)))
}

impl Credential {
    /// Who the caller is, checked against the registry: the token's organisation must exist and fit
    /// its role; the key must exist, be unrevoked and unexpired.
    pub async fn resolve(self, db: &DatabaseConnection) -> Result<Actor, AppError> {
        match self {
            Credential::Anonymous => Ok(Actor::anonymous()),
            Credential::Token(claims) => token_actor(db, *claims).await,
            Credential::ApiKey(hash) => key_actor(db, &hash).await,
        }
    }
}

async fn token_actor(db: &DatabaseConnection, claims: Claims) -> Result<Actor, AppError> {
    let organisation = match &claims.org {
        Some(slug) => {
            let org = org_service::by_slug(db, slug).await?.ok_or_else(|| {
                AppError::Unauthenticated("the token names an organisation that is not in the registry".into())
            })?;
            Some(ActorOrganisation { id: org.id, kind: org.kind })
        }
        None => None,
    };
    let permitted = claims.role.permitted_organisation_kind();
    let fits = match organisation {
        Some(org) => org.kind == permitted,
        None => claims.role.required_organisation_kind().is_none(),
    };
    if !fits {
        return Err(AppError::Unauthenticated(format!(
            "a {} token must name an organisation of kind {:?}",
            claims.role.as_str(),
            permitted
        )));
    }
    // A token without `jti` is recorded as a token, not under its subject as if that were its id.
    let credential = claims.jti.as_ref().map_or_else(|| "token".to_string(), |jti| format!("token:{jti}"));
    Ok(Actor {
        subject: Some(claims.sub),
        role: Some(claims.role),
        organisation,
        admin: claims.admin && organisation.is_some(),
        key_scopes: None,
        credential: Some(credential),
        request_id: None,
        person: None,
    })
}

async fn key_actor(db: &DatabaseConnection, hash: &str) -> Result<Actor, AppError> {
    let key = key_service::authenticate(db, hash).await?;
    // A key acts as its organisation; only the write scope lends it an editor's rights there.
    let role = match (key.organisation_kind, key.scopes.write_own_organisation) {
        (OrganisationKind::Library, true) => Role::LibraryEditor,
        (OrganisationKind::SupportOrganisation, true) => Role::SupportEditor,
        _ => Role::Partner,
    };
    let scopes: KeyScopes = key.scopes;
    Ok(Actor {
        subject: Some(format!("api-key:{}", key.id)),
        role: Some(role),
        organisation: Some(ActorOrganisation { id: key.organisation_id, kind: key.organisation_kind }),
        admin: false,
        key_scopes: Some(scopes),
        credential: Some(format!("api-key:{}", key.id)),
        request_id: None,
        person: None,
    })
}
