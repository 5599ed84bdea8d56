//! Typed configuration, read once at start-up from defaults and `REGISTRY_*` environment variables.

use std::fmt;
use std::net::IpAddr;

use config::{Config, Environment};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The signing secret used when none is configured: good for a laptop, refused in production.
pub const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-do-not-use-in-production!";

/// Everything the registry can be configured with.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub demo: DemoSettings,
    pub log: LogSettings,
}

/// Where the HTTP server listens.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: IpAddr,
    pub port: u16,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
}

/// Which database to use and how to pool connections.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
    pub connect_timeout_secs: u64,
    /// Run pending migrations when the server starts (the embedded default); production runs `migrate`.
    pub migrate_on_start: bool,
}

/// How bearer tokens are signed and checked.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// HS256 secret of at least 32 bytes; when absent a development secret is used.
    pub jwt_secret: Option<SecretString>,
    pub issuer: String,
    pub audience: String,
    pub leeway_secs: u64,
    /// Refuse to start with the development secret.
    pub require_configured_secret: bool,
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
            ("database.url", "sqlite://registry.db?mode=rwc".into()),
            ("database.max_connections", 10.into()),
            ("database.connect_timeout_secs", 5.into()),
            ("database.migrate_on_start", true.into()),
            ("auth.issuer", "proposition-registry".into()),
            ("auth.audience", "proposition-registry".into()),
            ("auth.leeway_secs", 30.into()),
            ("auth.require_configured_secret", false.into()),
            ("demo.load_if_empty", true.into()),
            ("log.format", "text".into()),
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
        match &self.auth.jwt_secret {
            Some(secret) if secret.expose_secret().len() < 32 => {
                return Err(SettingsError("REGISTRY_AUTH__JWT_SECRET must be at least 32 bytes".into()));
            }
            None if self.auth.require_configured_secret => {
                return Err(SettingsError(
                    "REGISTRY_AUTH__JWT_SECRET is required when REGISTRY_AUTH__REQUIRE_CONFIGURED_SECRET is true"
                        .into(),
                ));
            }
            _ => {}
        }
        if self.auth.issuer.is_empty() || self.auth.audience.is_empty() {
            return Err(SettingsError("REGISTRY_AUTH__ISSUER and REGISTRY_AUTH__AUDIENCE must not be empty".into()));
        }
        Ok(())
    }

    /// The secret tokens are signed with, falling back to the development secret.
    pub fn jwt_secret(&self) -> &str {
        self.auth.jwt_secret.as_ref().map(|s| s.expose_secret()).unwrap_or(DEVELOPMENT_JWT_SECRET)
    }

    /// Whether the built-in development secret is in use.
    pub fn uses_development_secret(&self) -> bool {
        self.auth.jwt_secret.is_none()
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
            .field("auth.issuer", &self.auth.issuer)
            .field("auth.audience", &self.auth.audience)
            .field("demo", &self.demo)
            .field("log", &self.log)
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
