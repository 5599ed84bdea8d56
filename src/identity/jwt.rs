//! Bearer tokens: a key set selected by `kid`, one fixed algorithm per key, explicit validation.
//!
//! Keys come from a JSON key set file and/or the HS256 `jwt_secret` (key id `default`). Several
//! keys can be live at once, so a new key can be added, tokens moved over, and the old key removed
//! without downtime. A token's header names its key; the key alone decides the algorithm, so a
//! token cannot pick a weaker one (and `alg: none` is not an algorithm the decoder knows).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Deserialize;

use super::secret::{MIN_SECRET_BYTES, Weakness, weakness};
use super::{Claims, Role};
use crate::error::AppError;
use crate::identity::secret::DEVELOPMENT_JWT_SECRET;
use crate::settings::Settings;

/// The key id of the HS256 secret configured as `auth.jwt_secret` (or the development secret).
pub const DEFAULT_KID: &str = "default";

/// Longest accepted `sub` and `jti`: the audit trail keeps `token:<jti>` and the subject in
/// columns of 200 characters.
const MAX_SUBJECT_CHARS: usize = 150;
const MAX_TOKEN_ID_CHARS: usize = 64;

/// Why the key set could not be loaded; the registry refuses to start.
#[derive(Debug, thiserror::Error)]
#[error("invalid key set: {0}")]
pub struct KeySetError(String);

/// The key set file: `{"keys": [...]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeySetFile {
    keys: Vec<KeySpec>,
}

/// One key of the file. Asymmetric keys give a public key (PEM, inline or as a file next to the key
/// set) and, only where this registry issues tokens itself, the private key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct KeySpec {
    kid: String,
    alg: String,
    public_key: Option<String>,
    public_key_file: Option<PathBuf>,
    private_key: Option<String>,
    private_key_file: Option<PathBuf>,
    secret: Option<String>,
}

struct Key {
    decoding: DecodingKey,
    encoding: Option<EncodingKey>,
    validation: Validation,
    algorithm: Algorithm,
}

/// Verifies tokens against the configured key set, and signs them with its signing key.
pub struct JwtKeys {
    keys: HashMap<String, Key>,
    /// The first key able to sign: key set entries in file order, then the `default` secret.
    signing_kid: Option<String>,
    issuer: String,
    audience: String,
}

impl JwtKeys {
    /// Loads the key set from settings; a missing file, a bad PEM or a short secret is an error.
    pub fn from_settings(settings: &Settings) -> Result<Self, KeySetError> {
        let mut keys = Self { keys: HashMap::new(), signing_kid: None, issuer: String::new(), audience: String::new() };
        keys.issuer = settings.auth.issuer.clone();
        keys.audience = settings.auth.audience.clone();
        if let Some(path) = &settings.auth.key_set_file {
            let path = Path::new(path);
            let text = std::fs::read_to_string(path)
                .map_err(|e| KeySetError(format!("cannot read {}: {e}", path.display())))?;
            let file: KeySetFile = serde_json::from_str(&text)
                .map_err(|e| KeySetError(format!("{} is not a key set: {e}", path.display())))?;
            if file.keys.is_empty() {
                return Err(KeySetError(format!("{} has no keys", path.display())));
            }
            let base = path.parent().unwrap_or(Path::new("."));
            for spec in file.keys {
                let (kid, key) = load(spec, base, settings.auth.require_configured_secret)?;
                keys.insert(kid, key, settings)?;
            }
        }
        let secret = match settings.configured_jwt_secret() {
            Some(secret) => Some(secret),
            None if settings.auth.key_set_file.is_none() => Some(DEVELOPMENT_JWT_SECRET),
            None => None,
        };
        if let Some(secret) = secret {
            if let Some(weak) = settings.configured_jwt_secret().and_then(weakness) {
                // With REQUIRE_CONFIGURED_SECRET the settings refused it already.
                tracing::warn!(
                    "REGISTRY_AUTH__JWT_SECRET {weak}; set REGISTRY_AUTH__REQUIRE_CONFIGURED_SECRET in production"
                );
            }
            let key = hmac(secret)?;
            keys.insert(DEFAULT_KID.to_string(), key, settings)?;
        }
        Ok(keys)
    }

    fn insert(&mut self, kid: String, mut key: Key, settings: &Settings) -> Result<(), KeySetError> {
        if self.keys.contains_key(&kid) {
            return Err(KeySetError(format!("the key id {kid} appears twice")));
        }
        let validation = &mut key.validation;
        validation.algorithms = vec![key.algorithm];
        validation.set_issuer(&[&settings.auth.issuer]);
        validation.set_audience(&[&settings.auth.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = settings.auth.leeway_secs;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        if key.encoding.is_some() && self.signing_kid.is_none() {
            self.signing_kid = Some(kid.clone());
        }
        self.keys.insert(kid, key);
        Ok(())
    }

    /// The claims of a token for a user, valid for `ttl`, with a fresh token id.
    pub fn claims(&self, subject: &str, organisation_slug: Option<&str>, role: Role, ttl: chrono::Duration) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            sub: subject.to_string(),
            org: organisation_slug.map(str::to_string),
            role,
            admin: false,
            jti: Some(uuid::Uuid::new_v4().simple().to_string()),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + ttl.num_seconds(),
            iat: now,
        }
    }

    /// Issues a token for a user, valid for `ttl`, signed with the signing key.
    pub fn issue(
        &self,
        subject: &str,
        organisation_slug: Option<&str>,
        role: Role,
        ttl: chrono::Duration,
    ) -> Result<String, AppError> {
        self.sign(&self.claims(subject, organisation_slug, role, ttl))
    }

    /// Signs claims with the signing key, naming it in the header's `kid`.
    pub fn sign(&self, claims: &Claims) -> Result<String, AppError> {
        let kid = self
            .signing_kid
            .as_ref()
            .ok_or_else(|| AppError::internal("no key of the key set has a private key to sign with"))?;
        let key = &self.keys[kid];
        let encoding = key.encoding.as_ref().ok_or_else(|| AppError::internal("the signing key cannot sign"))?;
        let mut header = Header::new(key.algorithm);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(&header, claims, encoding).map_err(AppError::internal)
    }

    /// Verifies a token: its `kid` must name a configured key (it may be left out only when there is
    /// exactly one), its algorithm must be that key's, and expiry, issuer and audience must hold.
    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        let reject = |reason: &dyn std::fmt::Display| {
            tracing::debug!(auth.error = %reason, "rejected bearer token");
            AppError::Unauthenticated("the bearer token is invalid or expired".into())
        };
        let header = jsonwebtoken::decode_header(token).map_err(|e| reject(&e))?;
        let key = match &header.kid {
            Some(kid) => self.keys.get(kid).ok_or_else(|| reject(&format!("unknown key id {kid}")))?,
            None if self.keys.len() == 1 => self.keys.values().next().expect("one key"),
            None => return Err(reject(&"the token names no key id")),
        };
        let claims =
            jsonwebtoken::decode::<Claims>(token, &key.decoding, &key.validation).map_err(|e| reject(&e))?.claims;
        // They are stored with every change (audit trail, idempotency, key records); a longer one
        // would fail the write, so it is refused here like any other bad token.
        if claims.sub.is_empty() || claims.sub.chars().count() > MAX_SUBJECT_CHARS {
            return Err(reject(&format!("sub must be 1 to {MAX_SUBJECT_CHARS} characters")));
        }
        if claims.jti.as_ref().is_some_and(|j| j.chars().count() > MAX_TOKEN_ID_CHARS) {
            return Err(reject(&format!("jti must be at most {MAX_TOKEN_ID_CHARS} characters")));
        }
        Ok(claims)
    }
}

fn hmac(secret: &str) -> Result<Key, KeySetError> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(KeySetError(format!("an HS256 secret must be at least {MIN_SECRET_BYTES} bytes")));
    }
    Ok(Key {
        decoding: DecodingKey::from_secret(secret.as_bytes()),
        encoding: Some(EncodingKey::from_secret(secret.as_bytes())),
        validation: Validation::new(Algorithm::HS256),
        algorithm: Algorithm::HS256,
    })
}

/// One key of the file; with `require_strong`, an HS256 secret must pass [`weakness`].
fn load(spec: KeySpec, base: &Path, require_strong: bool) -> Result<(String, Key), KeySetError> {
    let kid = spec.kid;
    if kid.is_empty() {
        return Err(KeySetError("a key has an empty kid".into()));
    }
    let pem = |inline: Option<String>, file: Option<PathBuf>, what: &str| -> Result<Option<String>, KeySetError> {
        match (inline, file) {
            (Some(_), Some(_)) => Err(KeySetError(format!("key {kid}: give the {what} inline or as a file, not both"))),
            (Some(text), None) => Ok(Some(text)),
            (None, Some(file)) => {
                let path = base.join(file);
                std::fs::read_to_string(&path)
                    .map(Some)
                    .map_err(|e| KeySetError(format!("key {kid}: cannot read {}: {e}", path.display())))
            }
            (None, None) => Ok(None),
        }
    };
    let bad = |e: jsonwebtoken::errors::Error| KeySetError(format!("key {kid}: {e}"));
    let key = match spec.alg.as_str() {
        "HS256" => {
            let secret = spec.secret.ok_or_else(|| KeySetError(format!("key {kid}: HS256 needs a secret")))?;
            match weakness(&secret) {
                Some(weak) if require_strong && weak != Weakness::Short => {
                    return Err(KeySetError(format!(
                        "key {kid}: the secret {weak}; REGISTRY_AUTH__REQUIRE_CONFIGURED_SECRET is true, so it must \
                         be random, e.g. from `openssl rand -base64 48`"
                    )));
                }
                Some(weak) if weak != Weakness::Short => {
                    tracing::warn!(auth.kid = %kid, "the key's secret {weak}; set REGISTRY_AUTH__REQUIRE_CONFIGURED_SECRET in production");
                }
                _ => {}
            }
            hmac(&secret).map_err(|e| KeySetError(format!("key {kid}: {}", e.0)))?
        }
        "EdDSA" | "ES256" => {
            if spec.secret.is_some() {
                return Err(KeySetError(format!("key {kid}: {} takes a public key, not a secret", spec.alg)));
            }
            let public = pem(spec.public_key, spec.public_key_file, "public key")?
                .ok_or_else(|| KeySetError(format!("key {kid}: {} needs a public key", spec.alg)))?;
            let private = pem(spec.private_key, spec.private_key_file, "private key")?;
            let (algorithm, decoding, encoding) = if spec.alg == "EdDSA" {
                let encoding = private.map(|p| EncodingKey::from_ed_pem(p.as_bytes())).transpose().map_err(bad)?;
                (Algorithm::EdDSA, DecodingKey::from_ed_pem(public.as_bytes()).map_err(bad)?, encoding)
            } else {
                let encoding = private.map(|p| EncodingKey::from_ec_pem(p.as_bytes())).transpose().map_err(bad)?;
                (Algorithm::ES256, DecodingKey::from_ec_pem(public.as_bytes()).map_err(bad)?, encoding)
            };
            Key { decoding, encoding, validation: Validation::new(algorithm), algorithm }
        }
        other => {
            return Err(KeySetError(format!(
                "key {kid}: algorithm {other} is not accepted (use EdDSA, ES256 or HS256)"
            )));
        }
    };
    Ok((kid, key))
}
