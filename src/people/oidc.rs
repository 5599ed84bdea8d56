//! Signing in with the network's OpenID Connect provider: the authorization code flow with PKCE,
//! `state` and `nonce`, through the `openidconnect` crate.
//!
//! At start the provider's discovery document and key set (JWKS) are read, so that a wrong issuer,
//! an unreachable provider or a provider without a token endpoint stops the registry with a clear
//! message instead of failing the first person who signs in. The ID token is verified by the crate:
//! its signature against the provider's keys, its issuer, its audience (our client id), its expiry
//! and the nonce this browser's session sent; the access token hash too when the token carries
//! one. When a signature does not verify, the provider may have rotated its keys: the discovery
//! document and key set are read again (at most once a minute) and the token is verified once more.

use std::sync::RwLock;
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse, reqwest,
};
use secrecy::ExposeSecret;

use crate::error::{AppError, AppResult};
use crate::people::membership::Identity;
use crate::people::session::Pending;
use crate::people::settings::OidcSettings;

/// The client as discovery makes it: an authorization endpoint, and perhaps token and userinfo ones.
type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// The path the provider sends the browser back to.
pub const CALLBACK_PATH: &str = "/aanmelden/terug";

/// The least time between two readings of the provider's keys after a failed signature.
const REDISCOVERY_INTERVAL: Duration = Duration::from_secs(60);

/// How long a call to the provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the provider could not be set up at start.
#[derive(Debug, thiserror::Error)]
#[error("cannot use the OpenID provider {issuer}: {reason}")]
pub struct ProviderError {
    issuer: String,
    reason: String,
}

/// The configured identity provider, discovered.
pub struct Provider {
    settings: OidcSettings,
    redirect: RedirectUrl,
    http: reqwest::Client,
    client: RwLock<(Client, Instant)>,
}

impl Provider {
    /// Reads the provider's discovery document and keys; `redirect` is where it sends browsers back.
    pub async fn discover(settings: &OidcSettings, redirect: &str) -> Result<Self, ProviderError> {
        let issuer = settings.issuer_url.clone().unwrap_or_default();
        let fail = |reason: String| ProviderError { issuer: issuer.clone(), reason };
        let redirect = RedirectUrl::new(redirect.to_string())
            .map_err(|e| fail(format!("the redirect URL {redirect} is not a URL: {e}")))?;
        // Following redirects would let a provider's answer send the registry anywhere (SSRF).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|e| fail(format!("cannot make an HTTP client: {e}")))?;
        let client = discover_client(settings, &http, &redirect).await.map_err(fail)?;
        Ok(Self { settings: settings.clone(), redirect, http, client: RwLock::new((client, Instant::now())) })
    }

    /// Whether an `iss` parameter names this provider (RFC 9207: an answer from another provider
    /// the browser also uses is refused).
    pub fn is_issuer(&self, iss: &str) -> bool {
        self.settings.issuer_url.as_deref().is_some_and(|own| own.trim_end_matches('/') == iss.trim_end_matches('/'))
    }

    /// The origin of the provider's authorization endpoint, where the sign-in form sends the
    /// browser (the sign-in page's `form-action` must allow it: browsers apply it to the redirect).
    pub fn authorization_origin(&self) -> String {
        self.client().auth_uri().url().origin().ascii_serialization()
    }

    /// Where the provider sends the browser back.
    pub fn redirect_url(&self) -> &str {
        self.redirect.as_str()
    }

    fn client(&self) -> Client {
        self.client.read().map(|c| c.0.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().0.clone())
    }

    /// The address to send the browser to, and what the session must remember for its return.
    pub fn begin(&self, return_to: String) -> (String, Pending) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client();
        let mut request =
            client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random);
        for scope in self.settings.extra_scopes() {
            request = request.add_scope(Scope::new(scope));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            return_to,
        };
        (url.to_string(), pending)
    }

    /// Exchanges the code the browser brought back for tokens, and verifies the ID token against
    /// what the session sent; the identity it names.
    pub async fn finish(&self, code: &str, pending: &Pending) -> AppResult<Identity> {
        let refused = |why: String| {
            tracing::warn!(oidc.reason = %why, "a sign-in at the OpenID provider was refused");
            AppError::Unauthenticated(
                "the identity provider's answer could not be verified; please sign in again".into(),
            )
        };
        let client = self.client();
        let request = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| AppError::internal(format!("the provider has no token endpoint: {e}")))?;
        let tokens = request
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| refused(format!("code exchange: {e}")))?;
        let id_token = tokens.id_token().ok_or_else(|| refused("the token answer has no ID token".into()))?;
        let nonce = Nonce::new(pending.nonce.clone());
        let identity = match self.verify(&client, id_token, &nonce, tokens.access_token()) {
            Err(ClaimsVerificationError::SignatureVerification(e)) => {
                // The provider may have rotated its keys since they were read.
                match self.rediscover().await {
                    Some(fresh) => self.verify(&fresh, id_token, &nonce, tokens.access_token()),
                    None => Err(ClaimsVerificationError::SignatureVerification(e)),
                }
            }
            other => other,
        };
        let mut identity = identity.map_err(|e| refused(format!("ID token: {e}")))?;
        // Many providers put the profile and e-mail claims only in the userinfo answer; it must
        // name the same subject as the verified ID token.
        if identity.email.is_none() || identity.name == identity.subject {
            self.complete_from_userinfo(&client, tokens.access_token(), &mut identity).await;
        }
        Ok(identity)
    }

    /// Fills in the name and e-mail address from the provider's userinfo endpoint, if it has one;
    /// without them the person is still signed in, under their subject.
    async fn complete_from_userinfo(
        &self,
        client: &Client,
        access_token: &openidconnect::AccessToken,
        identity: &mut Identity,
    ) {
        let subject = openidconnect::SubjectIdentifier::new(identity.subject.clone());
        let Ok(request) = client.user_info(access_token.clone(), Some(subject)) else {
            return;
        };
        let answer: Result<openidconnect::core::CoreUserInfoClaims, _> = request.request_async(&self.http).await;
        match answer {
            Ok(claims) => {
                if let Some(name) = claims.name().and_then(|n| n.get(None)).map(|n| n.to_string()) {
                    identity.name = name;
                } else if let Some(username) = claims.preferred_username().map(|u| u.to_string()) {
                    identity.name = username;
                }
                if identity.email.is_none() {
                    identity.email = claims.email().map(|e| e.to_string());
                }
            }
            Err(e) => tracing::warn!(oidc.reason = %e, "the provider's userinfo answer could not be used"),
        }
    }

    fn verify(
        &self,
        client: &Client,
        id_token: &CoreIdToken,
        nonce: &Nonce,
        access_token: &openidconnect::AccessToken,
    ) -> Result<Identity, ClaimsVerificationError> {
        let verifier = client.id_token_verifier();
        let claims = id_token.claims(&verifier, nonce)?;
        if let Some(expected) = claims.access_token_hash() {
            let algorithm = id_token.signing_alg().map_err(|e| ClaimsVerificationError::Unsupported(e.to_string()))?;
            let key = id_token.signing_key(&verifier).map_err(ClaimsVerificationError::SignatureVerification)?;
            let actual = AccessTokenHash::from_token(access_token, algorithm, key)
                .map_err(|e| ClaimsVerificationError::Unsupported(e.to_string()))?;
            if actual != *expected {
                return Err(ClaimsVerificationError::Other("the access token hash does not match".into()));
            }
        }
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string())
            .or_else(|| claims.preferred_username().map(|u| u.to_string()))
            .unwrap_or_else(|| claims.subject().to_string());
        Ok(Identity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            name,
            email: claims.email().map(|e| e.to_string()),
        })
    }

    /// Reads the discovery document and keys again, unless that was done less than a minute ago.
    async fn rediscover(&self) -> Option<Client> {
        let recent = self.client.read().map(|c| c.1.elapsed() < REDISCOVERY_INTERVAL).unwrap_or(true);
        if recent {
            return None;
        }
        match discover_client(&self.settings, &self.http, &self.redirect).await {
            Ok(client) => {
                if let Ok(mut held) = self.client.write() {
                    *held = (client.clone(), Instant::now());
                }
                Some(client)
            }
            Err(reason) => {
                tracing::warn!(oidc.reason = %reason, "could not read the OpenID provider's keys again");
                None
            }
        }
    }
}

async fn discover_client(
    settings: &OidcSettings,
    http: &reqwest::Client,
    redirect: &RedirectUrl,
) -> Result<Client, String> {
    let issuer = IssuerUrl::new(settings.issuer_url.clone().unwrap_or_default()).map_err(|e| e.to_string())?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| format!("its discovery document (/.well-known/openid-configuration) or keys: {}", chain(&e)))?;
    if metadata.token_endpoint().is_none() {
        return Err("its discovery document names no token endpoint".into());
    }
    let client_id = ClientId::new(settings.client_id.clone().unwrap_or_default());
    let secret = settings.client_secret.as_ref().map(|s| ClientSecret::new(s.expose_secret().to_string()));
    Ok(CoreClient::from_provider_metadata(metadata, client_id, secret).set_redirect_uri(redirect.clone()))
}

/// An error with its causes, for the start-up message.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
