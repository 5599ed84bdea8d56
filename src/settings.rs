//! Typed configuration, read once at start-up from defaults and `REGISTRY_*` environment variables.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use config::{Config, Environment};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::identity::secret::{DEVELOPMENT_JWT_SECRET, MIN_SECRET_BYTES, Weakness, weakness};

use crate::http::client_ip::TrustedProxies;

/// Where `/metrics` is served unless configured: loopback only.
pub const DEFAULT_METRICS_ADDRESS: &str = "127.0.0.1:8081";

/// The longest a cached answer may be used, whatever the change log says.
pub const MAX_ANSWER_LIFETIME_SECS: u64 = 3600;

/// Everything the registry can be configured with.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub limits: LimitSettings,
    pub rate_limit: RateLimitSettings,
    pub idempotency: IdempotencySettings,
    pub cache: CacheSettings,
    pub demo: DemoSettings,
    pub log: LogSettings,
    pub session: crate::people::settings::SessionSettings,
    pub oidc: crate::people::settings::OidcSettings,
}

/// Where the HTTP server listens.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: IpAddr,
    pub port: u16,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// A request running longer than this is cancelled, and its database statement with it.
    pub request_timeout_secs: u64,
    /// Whether the schema can be introspected (on for this open API; GraphiQL needs it).
    pub introspection: bool,
    /// Reverse proxies (addresses and networks, comma-separated) whose `X-Forwarded-For` is
    /// believed when limiting anonymous callers by address; empty: the peer is the caller.
    pub trusted_proxies: TrustedProxies,
    /// Where `/metrics` is served, apart from the public listener: an address and port, or `off`.
    pub metrics_address: MetricsAddress,
    /// When set, `/metrics` answers only requests bearing it (`Authorization: Bearer …`).
    #[serde(default)]
    pub metrics_token: Option<SecretString>,
    /// Origins whose pages may call `/graphql` from a browser, with credentials (comma-separated;
    /// none by default).
    pub cors_allowed_origins: crate::http::cors::CorsOrigins,
    /// The address the public reaches the site at (`https://register.example.nl`): the sitemap's
    /// and the pages' canonical and alternate URLs are made with it. Unset: the sitemap takes the
    /// request's `Host`, and the pages' links stay paths.
    #[serde(default)]
    pub public_url: Option<PublicUrl>,
}

/// The site's public address: `http` or `https`, a host, perhaps a port and a path, no credentials,
/// query or fragment; kept without a trailing `/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct PublicUrl(String);

impl PublicUrl {
    /// The address, to which a page's path (`/bibliotheken/dbieb`) is appended.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PublicUrl {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        let bad = |why: &str| {
            format!("`{value}` is not a public address such as https://register.example.nl: {why} (public_url)")
        };
        let url = url::Url::parse(value.trim()).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("it must start with http:// or https://"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // Not echoed: the value holds a secret.
            return Err("the public address must not hold credentials (public_url)".to_string());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not have a query or fragment"));
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_string()))
    }
}

/// The metrics listener's address, or none (`off`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct MetricsAddress(pub Option<SocketAddr>);

impl TryFrom<String> for MetricsAddress {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        match value.trim() {
            "off" => Ok(Self(None)),
            address => address.parse().map(|a| Self(Some(a))).map_err(|_| {
                format!("`{address}` is not an address and port (like 127.0.0.1:8081) or `off` (metrics_address)")
            }),
        }
    }
}

/// Which database to use and how to pool connections.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
    pub connect_timeout_secs: u64,
    /// How long a request waits for a pooled connection before it is answered `SERVICE_UNAVAILABLE`.
    pub acquire_timeout_secs: u64,
    /// The longest a PostgreSQL statement may run, whoever started it (default: the request timeout).
    /// A timed-out request's statements are cancelled at once; this is the net behind that.
    #[serde(default)]
    pub statement_timeout_secs: Option<u64>,
    /// Run pending migrations when the server starts (the embedded default); production runs `migrate`.
    pub migrate_on_start: bool,
}

/// How bearer tokens are signed and checked.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// HS256 secret of at least 32 bytes (key id `default`); when neither it nor a key set is
    /// configured, a development secret is used.
    pub jwt_secret: Option<SecretString>,
    /// A JSON key set file (`{"keys": [{"kid", "alg", "publicKey" | "secret", "privateKey"?}]}`).
    pub key_set_file: Option<String>,
    pub issuer: String,
    pub audience: String,
    pub leeway_secs: u64,
    /// Refuse to start without a configured key, or with an HS256 secret that is published,
    /// repeated or of low entropy (see `auth::secret`).
    pub require_configured_secret: bool,
}

/// Limits on every GraphQL document.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    pub max_depth: usize,
    /// The most objects an answer may hold: each list of objects counted by its page, its
    /// directory's size or its hard cap (1,000,000 by default).
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_directives: usize,
    pub max_tokens: usize,
}

/// Points each caller may spend per window; a request costs its query's complexity.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    pub enabled: bool,
    pub window_secs: u64,
    /// Per address, for callers without credentials (IPv6: per network, see `ipv6_prefix_len`).
    pub anonymous_points: u64,
    /// Per signed-in user (token subject).
    pub token_points: u64,
    /// Per API key.
    pub api_key_points: u64,
    /// Anonymous IPv6 callers are keyed by their network of this many bits (64: a subscriber's
    /// /64; 128: each address); IPv4 callers by their address.
    pub ipv6_prefix_len: u8,
    /// The most buckets held in memory; beyond it, full buckets are forgotten and then those
    /// closest to full.
    pub max_buckets: usize,
}

/// How long the answers to idempotent requests are kept.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdempotencySettings {
    pub retention_hours: u64,
}

/// The cache of whole answers to anonymous queries.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSettings {
    /// Memory for cached answers, in bytes; 0 turns the cache off.
    pub answers_max_bytes: u64,
    /// The longest an answer is used, even when the change log says nothing changed: it bounds
    /// how long a change that commits after a later one can go unseen.
    pub answers_lifetime_secs: u64,
    /// Memory for anonymous visitors' rendered pages, in bytes; 0 turns that cache off. Kept pages
    /// live as long as answers do.
    pub pages_max_bytes: u64,
}

/// Whether an empty database is filled with the demo network.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSettings {
    pub load_if_empty: bool,
}

/// Log output.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `text` or `json`.
    pub format: LogFormat,
}

/// Log line format.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// A setting that could not be read or does not make sense.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct SettingsError(String);

impl Settings {
    /// Reads defaults overlaid with `REGISTRY_` environment variables (`__` separates nesting,
    /// e.g. `REGISTRY_DATABASE__URL`).
    pub fn load() -> Result<Self, SettingsError> {
        Self::from_source(Environment::with_prefix("REGISTRY").prefix_separator("_").separator("__"))
    }

    /// Reads defaults overlaid with the given source; tests use this to avoid the process environment.
    pub fn from_source<S>(source: S) -> Result<Self, SettingsError>
    where
        S: config::Source + Send + Sync + 'static,
    {
        let settings: Settings = Self::defaults()
            .add_source(source)
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| SettingsError(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    fn defaults() -> config::ConfigBuilder<config::builder::DefaultState> {
        let set = |b: config::ConfigBuilder<_>, k: &str, v: config::Value| {
            b.set_default(k, v).expect("static default keys are valid")
        };
        let mut b = Config::builder();
        for (key, value) in [
            ("server.host", config::Value::from("127.0.0.1")),
            ("server.port", 8080.into()),
            ("server.max_body_bytes", (1024 * 1024).into()),
            ("server.request_timeout_secs", 10.into()),
            ("server.introspection", true.into()),
            ("server.trusted_proxies", "".into()),
            ("server.cors_allowed_origins", "".into()),
            ("server.metrics_address", DEFAULT_METRICS_ADDRESS.into()),
            ("database.url", "sqlite://registry.db?mode=rwc".into()),
            ("database.max_connections", 10.into()),
            ("database.connect_timeout_secs", 5.into()),
            ("database.acquire_timeout_secs", 2.into()),
            ("database.migrate_on_start", true.into()),
            ("auth.issuer", "proposition-registry".into()),
            ("auth.audience", "proposition-registry".into()),
            ("auth.leeway_secs", 30.into()),
            ("auth.require_configured_secret", false.into()),
            ("limits.max_depth", 12.into()),
            ("limits.max_complexity", 1_000_000.into()),
            ("limits.max_aliases", 30.into()),
            ("limits.max_directives", 50.into()),
            ("limits.max_tokens", 2_000.into()),
            ("rate_limit.enabled", true.into()),
            ("rate_limit.window_secs", 60.into()),
            ("rate_limit.anonymous_points", 20_000.into()),
            ("rate_limit.token_points", 100_000.into()),
            ("rate_limit.api_key_points", 100_000.into()),
            ("rate_limit.ipv6_prefix_len", 64.into()),
            ("rate_limit.max_buckets", 100_000.into()),
            ("idempotency.retention_hours", 24.into()),
            ("cache.answers_max_bytes", (32 * 1024 * 1024).into()),
            ("cache.answers_lifetime_secs", 10.into()),
            ("cache.pages_max_bytes", (16 * 1024 * 1024).into()),
            ("demo.load_if_empty", true.into()),
            ("log.format", "text".into()),
            ("session.idle_timeout_secs", 1800.into()),
            ("session.absolute_lifetime_secs", (12 * 3600).into()),
            ("oidc.scopes", "openid profile email".into()),
        ] {
            b = set(b, key, value);
        }
        b
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let url = self.database.url.expose_secret();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(SettingsError(
                "REGISTRY_DATABASE__URL must start with sqlite:, postgres:// or postgresql://".into(),
            ));
        }
        if self.database.max_connections == 0 {
            return Err(SettingsError("REGISTRY_DATABASE__MAX_CONNECTIONS must be at least 1".into()));
        }
        match self.auth.jwt_secret.as_ref().map(|s| weakness(s.expose_secret())) {
            Some(Some(Weakness::Short)) => {
                return Err(SettingsError(format!(
                    "REGISTRY_AUTH__JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes"
                )));
            }
            Some(Some(weak)) if self.auth.require_configured_secret => {
                return Err(SettingsError(format!(
                    "REGISTRY_AUTH__JWT_SECRET {weak}; REGISTRY_AUTH__REQUIRE_CONFIGURED_SECRET is true, so it must \
                     be random, e.g. from `openssl rand -base64 48`"
                )));
            }
            None if self.auth.require_configured_secret && self.auth.key_set_file.is_none() => {
                return Err(SettingsError(
                    "REGISTRY_AUTH__JWT_SECRET is required when REGISTRY_AUTH__REQUIRE_CONFIGURED_SECRET is true"
                        .into(),
                ));
            }
            _ => {}
        }
        let positive = [
            ("REGISTRY_SERVER__MAX_BODY_BYTES", self.server.max_body_bytes as u64),
            ("REGISTRY_SERVER__REQUEST_TIMEOUT_SECS", self.server.request_timeout_secs),
            ("REGISTRY_DATABASE__ACQUIRE_TIMEOUT_SECS", self.database.acquire_timeout_secs),
            ("REGISTRY_LIMITS__MAX_DEPTH", self.limits.max_depth as u64),
            ("REGISTRY_LIMITS__MAX_COMPLEXITY", self.limits.max_complexity as u64),
            ("REGISTRY_LIMITS__MAX_TOKENS", self.limits.max_tokens as u64),
            ("REGISTRY_RATE_LIMIT__WINDOW_SECS", self.rate_limit.window_secs),
            ("REGISTRY_RATE_LIMIT__ANONYMOUS_POINTS", self.rate_limit.anonymous_points),
            ("REGISTRY_RATE_LIMIT__TOKEN_POINTS", self.rate_limit.token_points),
            ("REGISTRY_RATE_LIMIT__API_KEY_POINTS", self.rate_limit.api_key_points),
            ("REGISTRY_RATE_LIMIT__MAX_BUCKETS", self.rate_limit.max_buckets as u64),
            ("REGISTRY_IDEMPOTENCY__RETENTION_HOURS", self.idempotency.retention_hours),
            ("REGISTRY_CACHE__ANSWERS_LIFETIME_SECS", self.cache.answers_lifetime_secs),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, v)| *v == 0) {
            return Err(SettingsError(format!("{name} must be at least 1")));
        }
        if !(1..=128).contains(&self.rate_limit.ipv6_prefix_len) {
            return Err(SettingsError("REGISTRY_RATE_LIMIT__IPV6_PREFIX_LEN must be between 1 and 128".into()));
        }
        if self.cache.answers_lifetime_secs > MAX_ANSWER_LIFETIME_SECS {
            return Err(SettingsError(format!(
                "REGISTRY_CACHE__ANSWERS_LIFETIME_SECS must be at most {MAX_ANSWER_LIFETIME_SECS}: it bounds how \
                 long a change can go unseen"
            )));
        }
        if self.server.metrics_token.as_ref().is_some_and(|t| t.expose_secret().len() < MIN_SECRET_BYTES) {
            return Err(SettingsError(format!(
                "REGISTRY_SERVER__METRICS_TOKEN must be at least {MIN_SECRET_BYTES} bytes"
            )));
        }
        if self.database.statement_timeout_secs == Some(0) {
            return Err(SettingsError("REGISTRY_DATABASE__STATEMENT_TIMEOUT_SECS must be at least 1".into()));
        }
        if self.auth.issuer.is_empty() || self.auth.audience.is_empty() {
            return Err(SettingsError("REGISTRY_AUTH__ISSUER and REGISTRY_AUTH__AUDIENCE must not be empty".into()));
        }
        self.session.validate().map_err(SettingsError)?;
        self.oidc.validate().map_err(SettingsError)?;
        Ok(())
    }

    /// How long a PostgreSQL statement may run.
    pub fn statement_timeout_secs(&self) -> u64 {
        self.database.statement_timeout_secs.unwrap_or(self.server.request_timeout_secs)
    }

    /// The secret tokens are signed with, falling back to the development secret.
    pub fn jwt_secret(&self) -> &str {
        self.auth.jwt_secret.as_ref().map(|s| s.expose_secret()).unwrap_or(DEVELOPMENT_JWT_SECRET)
    }

    /// Whether the built-in development secret is in use.
    pub fn uses_development_secret(&self) -> bool {
        self.auth.jwt_secret.is_none() && self.auth.key_set_file.is_none()
    }

    /// The configured HS256 secret, if any (the development secret is not "configured").
    pub fn configured_jwt_secret(&self) -> Option<&str> {
        self.auth.jwt_secret.as_ref().map(|s| s.expose_secret())
    }

    /// Whether the site offers "sign in as a demo person": only with no identity provider
    /// configured and the built-in development secret in use (so never where tokens are signed
    /// with a configured secret, and never with `REQUIRE_CONFIGURED_SECRET`).
    pub fn demo_sign_in_enabled(&self) -> bool {
        self.oidc.issuer_url.is_none() && self.uses_development_secret() && !self.auth.require_configured_secret
    }

    /// The database URL; only the database module should need it.
    pub fn database_url(&self) -> &str {
        self.database.url.expose_secret()
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("server", &self.server)
            .field("database.url", &mask_url(self.database.url.expose_secret()))
            .field("database.max_connections", &self.database.max_connections)
            .field("auth.jwt_secret", &self.auth.jwt_secret.as_ref().map(|_| "[redacted]"))
            .field("auth.key_set_file", &self.auth.key_set_file)
            .field("auth.issuer", &self.auth.issuer)
            .field("auth.audience", &self.auth.audience)
            .field("limits", &self.limits)
            .field("rate_limit", &self.rate_limit)
            .field("idempotency", &self.idempotency)
            .field("cache", &self.cache)
            .field("demo", &self.demo)
            .field("log", &self.log)
            .field("session", &self.session)
            .field("oidc", &self.oidc)
            .finish()
    }
}

/// Hides a password in a connection URL so settings can be logged.
fn mask_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("****"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_source(config::Environment::default().source(Some(env)))
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks_and_anything_else_stops_start_up() {
        let settings = with(&[("server.trusted_proxies", "10.0.0.0/8, 127.0.0.1,::1")]).expect("valid");
        let peer = "10.9.8.7".parse().unwrap();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.7".parse().unwrap());
        assert_eq!(settings.server.trusted_proxies.client_ip(peer, &headers), "203.0.113.7".parse::<IpAddr>().unwrap());

        let Err(error) = with(&[("server.trusted_proxies", "10.0.0.0/8, proxy.internal")]) else {
            panic!("a host name is not a proxy address")
        };
        let message = error.to_string();
        assert!(message.contains("proxy.internal") && message.contains("trusted_proxies"), "{message}");
    }

    #[test]
    fn a_statement_timeout_defaults_to_the_request_timeout_and_zero_is_refused() {
        let settings = with(&[("server.public_url", "https://register.example.nl/")]).expect("valid");
        assert_eq!(settings.server.public_url.as_ref().map(PublicUrl::as_str), Some("https://register.example.nl"));
        assert_eq!(with(&[]).expect("valid").server.public_url, None);
        for bad in [
            "register.example.nl",
            "ftp://register.example.nl",
            "https://user:pw@register.example.nl",
            "https://x.nl/?a=1",
        ] {
            let Err(error) = with(&[("server.public_url", bad)]) else { panic!("{bad} was taken as a public address") };
            assert!(error.to_string().contains("public_url"), "{error}");
        }
        let settings = with(&[("server.request_timeout_secs", "7")]).expect("valid");
        assert_eq!(settings.statement_timeout_secs(), 7);
        let settings = with(&[("database.statement_timeout_secs", "30")]).expect("valid");
        assert_eq!(settings.statement_timeout_secs(), 30);
        let Err(error) = with(&[("database.statement_timeout_secs", "0")]) else { panic!("0 s is refused") };
        let error = error.to_string();
        assert!(error.contains("REGISTRY_DATABASE__STATEMENT_TIMEOUT_SECS"), "{error}");
    }

    #[test]
    fn metrics_listen_on_loopback_by_default_on_a_configured_address_or_nowhere() {
        let default = with(&[]).expect("defaults").server.metrics_address.0.expect("on by default");
        assert!(default.ip().is_loopback(), "{default}");
        let settings = with(&[("server.metrics_address", "10.1.2.3:9100")]).expect("valid");
        assert_eq!(settings.server.metrics_address.0, Some("10.1.2.3:9100".parse().unwrap()));
        assert_eq!(with(&[("server.metrics_address", "off")]).expect("valid").server.metrics_address.0, None);
        let Err(error) = with(&[("server.metrics_address", "metrics.internal:9100")]) else {
            panic!("a host name is not an address")
        };
        assert!(error.to_string().contains("metrics_address"), "{error}");
    }

    #[test]
    fn an_ipv6_prefix_is_between_1_and_128_bits() {
        assert_eq!(with(&[]).expect("defaults").rate_limit.ipv6_prefix_len, 64);
        assert_eq!(with(&[("rate_limit.ipv6_prefix_len", "128")]).expect("valid").rate_limit.ipv6_prefix_len, 128);
        for bad in ["0", "129"] {
            let Err(error) = with(&[("rate_limit.ipv6_prefix_len", bad)]) else { panic!("/{bad} is refused") };
            assert!(error.to_string().contains("REGISTRY_RATE_LIMIT__IPV6_PREFIX_LEN"), "{error}");
        }
        let Err(error) = with(&[("rate_limit.max_buckets", "0")]) else { panic!("no buckets at all") };
        assert!(error.to_string().contains("REGISTRY_RATE_LIMIT__MAX_BUCKETS"), "{error}");
    }

    #[test]
    fn an_answer_lifetime_is_between_one_second_and_an_hour() {
        assert_eq!(with(&[]).expect("defaults").cache.answers_lifetime_secs, 10);
        for bad in ["0", "3601"] {
            let Err(error) = with(&[("cache.answers_lifetime_secs", bad)]) else { panic!("{bad} s is refused") };
            assert!(error.to_string().contains("REGISTRY_CACHE__ANSWERS_LIFETIME_SECS"), "{error}");
        }
        let settings =
            with(&[("cache.answers_max_bytes", "0"), ("cache.answers_lifetime_secs", "3600")]).expect("valid");
        assert_eq!(settings.cache.answers_max_bytes, 0, "0 turns the cache off");
    }
}
