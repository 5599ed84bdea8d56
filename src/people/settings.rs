//! The settings of signing in: how long sessions last, and the identity provider.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// How long a session lasts (`REGISTRY_SESSION__*`).
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSettings {
    /// A session not used for this long ends (default 30 minutes).
    pub idle_timeout_secs: u64,
    /// A session ends this long after sign-in, however much it is used (default 12 hours).
    pub absolute_lifetime_secs: u64,
}

impl SessionSettings {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.idle_timeout_secs == 0 || self.absolute_lifetime_secs == 0 {
            return Err("REGISTRY_SESSION__IDLE_TIMEOUT_SECS and REGISTRY_SESSION__ABSOLUTE_LIFETIME_SECS must be \
                        at least 1"
                .into());
        }
        if self.idle_timeout_secs > self.absolute_lifetime_secs {
            return Err("REGISTRY_SESSION__IDLE_TIMEOUT_SECS must not be longer than \
                        REGISTRY_SESSION__ABSOLUTE_LIFETIME_SECS"
                .into());
        }
        Ok(())
    }
}

/// The network's OpenID Connect provider (`REGISTRY_OIDC__*`); unset: nobody signs in through a
/// provider (and, with the development secret, the demo sign-in is offered instead).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer URL; its discovery document is read at
    /// `<issuer>/.well-known/openid-configuration` when the registry starts.
    #[serde(default)]
    pub issuer_url: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<SecretString>,
    /// Space- or comma-separated scopes; `openid` is required.
    pub scopes: String,
    /// Where the provider sends the browser back; default `<REGISTRY_SERVER__PUBLIC_URL>/aanmelden/terug`.
    #[serde(default)]
    pub redirect_url: Option<String>,
}

/// Whether a URL may be used over plain HTTP: only on this machine (development and tests).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        None => false,
    }
}

/// Parses a URL setting: `https`, or `http` on this machine only.
fn secure_url(name: &str, value: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(value.trim()).map_err(|e| format!("{name} is not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => return Err(format!("{name} must be an https:// URL (http:// only for localhost)")),
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(format!("{name} must not hold credentials or a fragment"));
    }
    Ok(url)
}

impl OidcSettings {
    /// Whether a provider is configured.
    pub fn is_configured(&self) -> bool {
        self.issuer_url.is_some()
    }

    /// The scopes to ask for, besides `openid` (which the client always asks for).
    pub fn extra_scopes(&self) -> Vec<String> {
        self.scopes
            .split([' ', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "openid")
            .map(str::to_string)
            .collect()
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        let Some(issuer) = &self.issuer_url else {
            if self.client_id.is_some() || self.client_secret.is_some() || self.redirect_url.is_some() {
                return Err(
                    "REGISTRY_OIDC__ISSUER_URL is required when any other REGISTRY_OIDC__ setting is set".into()
                );
            }
            return Ok(());
        };
        secure_url("REGISTRY_OIDC__ISSUER_URL", issuer)?;
        if self.client_id.as_deref().is_none_or(|c| c.trim().is_empty()) {
            return Err("REGISTRY_OIDC__CLIENT_ID is required with REGISTRY_OIDC__ISSUER_URL".into());
        }
        if self.client_secret.as_ref().is_none_or(|s| s.expose_secret().is_empty()) {
            return Err("REGISTRY_OIDC__CLIENT_SECRET is required with REGISTRY_OIDC__ISSUER_URL".into());
        }
        if !self.scopes.split([' ', ',']).any(|s| s.trim() == "openid") {
            return Err("REGISTRY_OIDC__SCOPES must include `openid`".into());
        }
        if let Some(redirect) = &self.redirect_url {
            secure_url("REGISTRY_OIDC__REDIRECT_URL", redirect)?;
        }
        Ok(())
    }
}

impl fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "[redacted]"))
            .field("scopes", &self.scopes)
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::settings::Settings;

    fn with(pairs: &[(&str, &str)]) -> Result<Settings, String> {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_source(config::Environment::default().source(Some(env))).map_err(|e| e.to_string())
    }

    const PROVIDER: [(&str, &str); 3] = [
        ("oidc.issuer_url", "https://login.example.nl/realms/bibliotheken"),
        ("oidc.client_id", "registry"),
        ("oidc.client_secret", "a-client-secret-nobody-may-read"),
    ];

    #[test]
    fn a_provider_needs_a_client_and_openid_and_its_secret_is_never_shown() {
        let settings = with(&PROVIDER).expect("valid");
        let shown = format!("{settings:?}");
        assert!(!shown.contains("a-client-secret-nobody-may-read"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
        assert_eq!(settings.oidc.extra_scopes(), ["profile", "email"]);
        assert!(!settings.demo_sign_in_enabled(), "a provider turns the demo off");

        let without_secret = &PROVIDER[..2];
        let error = with(without_secret).expect_err("a secret is required");
        assert!(error.contains("REGISTRY_OIDC__CLIENT_SECRET"), "{error}");
        let mut no_openid = PROVIDER.to_vec();
        no_openid.push(("oidc.scopes", "profile email"));
        assert!(with(&no_openid).expect_err("openid is required").contains("openid"));
        let mut plain = PROVIDER.to_vec();
        plain[0] = ("oidc.issuer_url", "http://login.example.nl");
        assert!(with(&plain).expect_err("http only on localhost").contains("https"));
        plain[0] = ("oidc.issuer_url", "http://127.0.0.1:4000");
        with(&plain).expect("http on this machine is for development");
        let error = with(&[("oidc.client_id", "registry")]).expect_err("half a provider");
        assert!(error.contains("REGISTRY_OIDC__ISSUER_URL"), "{error}");
    }

    #[test]
    fn the_demo_sign_in_needs_the_development_secret_and_no_provider() {
        assert!(with(&[]).expect("defaults").demo_sign_in_enabled());
        let configured = with(&[("auth.jwt_secret", "a-configured-secret-of-at-least-32-bytes!")]).expect("valid");
        assert!(!configured.demo_sign_in_enabled());
        let keyset = with(&[("auth.key_set_file", "keys.json")]).expect("valid");
        assert!(!keyset.demo_sign_in_enabled());
    }

    #[test]
    fn an_idle_timeout_is_within_the_absolute_lifetime() {
        let settings = with(&[]).expect("defaults");
        assert_eq!((settings.session.idle_timeout_secs, settings.session.absolute_lifetime_secs), (1800, 43200));
        let error = with(&[("session.idle_timeout_secs", "50000")]).expect_err("longer than the lifetime");
        assert!(error.contains("REGISTRY_SESSION__IDLE_TIMEOUT_SECS"), "{error}");
        assert!(with(&[("session.absolute_lifetime_secs", "0")]).is_err());
    }
}
