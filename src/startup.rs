//! Starting the registry: database, migrations, reference and demo data, router, listener.

use std::sync::Arc;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::identity::{JwtKeys, KeySetError};

use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};

use crate::graphql::build_schema;

use crate::graphql::document_rules;
use crate::http::AppState;
use crate::http::EdgeSettings;
use crate::http::graphql_get;
use crate::http::graphql_guard;
use crate::http::graphql_post;
use crate::http::{health, livez, readyz};
use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::trust::limits::bounds::Directories;
use crate::trust::ratelimit::RateLimiter;
use crate::{db, seed};

/// The header carrying the request id, to the server and back to the client.
const REQUEST_ID: &str = "x-request-id";

/// Why the registry could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot reach the database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot load the initial data: {0}")]
    Seed(String),
    #[error(transparent)]
    Keys(#[from] KeySetError),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: String, source: std::io::Error },
    #[error(transparent)]
    SignIn(#[from] crate::people::oidc::ProviderError),
    #[error("{0}")]
    Settings(String),
}

/// A started registry, bound to its port (and the metrics port) but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    /// The metrics listener and its routes, unless metrics are `off`.
    metrics: Option<(TcpListener, Router)>,
    pub db: DatabaseConnection,
    /// The directory sizes the cost of lists is bounded by, counted again while serving.
    directories: Arc<Directories>,
}

impl Application {
    /// Connects, migrates (if configured), loads reference and demo data, and binds the port.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let keys = Arc::new(JwtKeys::from_settings(settings)?);
        let mut db = db::connect(settings).await?;
        let metrics = Arc::new(Metrics::default());
        metrics.watch(&mut db);
        if settings.database.migrate_on_start {
            db::migrate(&db).await?;
        }
        seed::load_reference_data(&db).await.map_err(|e| StartupError::Seed(e.describe()))?;
        if settings.demo.load_if_empty {
            seed::load_demo_if_empty(&db).await.map_err(|e| StartupError::Seed(e.describe()))?;
        }
        if settings.uses_development_secret() {
            tracing::warn!(
                "using the built-in development signing key; set REGISTRY_AUTH__JWT_SECRET for anything but local use"
            );
        }
        let limiter = Arc::new(RateLimiter::new(settings.rate_limit));
        let metrics_router =
            crate::http::metrics::router(metrics.clone(), limiter.clone(), settings.server.metrics_token.as_ref());
        let directories = Arc::new(Directories::load(&db).await.map_err(|e| StartupError::Seed(e.describe()))?);
        let address = format!("{}:{}", settings.server.host, settings.server.port);
        let listener = bind(address).await?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(settings.server.port);
        let people = Arc::new(signing_in(settings, port).await?);
        let router = router(db.clone(), metrics, limiter, keys, directories.clone(), people, settings);
        let metrics = match settings.server.metrics_address.0 {
            Some(address) => Some((bind(address.to_string()).await?, metrics_router)),
            None => None,
        };
        Ok(Self { listener, router, metrics, db, directories })
    }

    /// The port actually bound (useful when configured as 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// The address `/metrics` is served on, unless metrics are `off`.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|(listener, _)| listener.local_addr().ok())
    }

    /// Serves until the process is asked to stop.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.serve(shutdown_signal()).await
    }

    /// Serves until the task is dropped (tests).
    pub async fn run(self) -> std::io::Result<()> {
        self.serve(std::future::pending()).await
    }

    /// Serves the public listener until `shutdown` (letting requests in flight finish), and the
    /// metrics listener and the counting of the directory tables as long as the public one.
    async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let public = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .into_future();
        let directories = self.directories.clone();
        let counting = directories.keep_fresh(self.db.clone());
        let served = async move {
            match self.metrics {
                None => public.await,
                Some((listener, router)) => tokio::select! {
                    served = public => served,
                    served = axum::serve(listener, router).into_future() => served,
                },
            }
        };
        tokio::select! {
            served = served => served,
            never = counting => match never {},
        }
    }
}

/// Signing in as configured: with a provider, its discovery document and keys are read now, so
/// that a wrong setting or an unreachable provider stops the start with a clear message.
async fn signing_in(settings: &Settings, port: u16) -> Result<crate::people::People, StartupError> {
    use crate::people::oidc::{CALLBACK_PATH, Provider};
    let mut people = crate::people::People::from_settings(settings);
    if settings.oidc.is_configured() {
        let redirect = match (&settings.oidc.redirect_url, &settings.server.public_url) {
            (Some(url), _) => url.clone(),
            (None, Some(public)) => format!("{}{CALLBACK_PATH}", public.as_str()),
            (None, None) if settings.server.host.is_loopback() => {
                format!("http://{}:{port}{CALLBACK_PATH}", settings.server.host)
            }
            (None, None) => {
                return Err(StartupError::Settings(
                    "invalid configuration: REGISTRY_SERVER__PUBLIC_URL (or REGISTRY_OIDC__REDIRECT_URL) is required \
                     with REGISTRY_OIDC__ISSUER_URL, to tell the provider where to send people back"
                        .into(),
                ));
            }
        };
        let provider = Provider::discover(&settings.oidc, &redirect).await?;
        tracing::info!(oidc.issuer = ?settings.oidc.issuer_url, oidc.redirect = %provider.redirect_url(), "signing in through the OpenID provider");
        people.oidc = Some(Arc::new(provider));
    } else if people.demo.is_some() {
        tracing::warn!(
            "no identity provider configured: the site offers \"sign in as a demo person\" (development only)"
        );
    }
    Ok(people)
}

async fn bind(address: String) -> Result<TcpListener, StartupError> {
    TcpListener::bind(&address).await.map_err(|source| StartupError::Bind { address, source })
}

/// The HTTP routes and middleware.
pub fn router(
    db: DatabaseConnection,
    metrics: Arc<Metrics>,
    limiter: Arc<RateLimiter>,
    keys: Arc<JwtKeys>,
    directories: Arc<Directories>,
    people: Arc<crate::people::People>,
    settings: &Settings,
) -> Router {
    let introspection = settings.server.introspection;
    let schema = build_schema(Some(db.clone()), introspection);
    let rules = Arc::new(document_rules(&schema, settings.limits, introspection, directories));
    let schema_tag = crate::http::validators::schema_tag(&schema.sdl()).into();
    let state = AppState {
        schema,
        schema_tag,
        rules,
        db,
        keys,
        metrics,
        limiter,
        breaker: crate::trust::breaker::Breaker::new(crate::trust::breaker::COOL_DOWN),
        people,
        answers: crate::http::answers::AnswerCache::new(
            settings.cache.answers_max_bytes,
            Duration::from_secs(settings.cache.answers_lifetime_secs),
        )
        .map(Arc::new),
        edge: EdgeSettings {
            max_body_bytes: settings.server.max_body_bytes,
            trusted_proxies: settings.server.trusted_proxies.clone(),
            request_timeout: Duration::from_secs(settings.server.request_timeout_secs),
            idempotency_retention: chrono::Duration::hours(settings.idempotency.retention_hours as i64),
        },
    };
    let site = crate::web::Site {
        public_url: settings.server.public_url.clone(),
        pages: crate::web::rendered::PageCache::new(
            settings.cache.pages_max_bytes,
            Duration::from_secs(settings.cache.answers_lifetime_secs),
        ),
    };
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request| {
        let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default();
        tracing::info_span!("request", method = %request.method(), uri = %request.uri().path(), request_id = %id)
    });
    let request_id = axum::http::HeaderName::from_static(REQUEST_ID);
    // The API: CORS outermost (a preflight never reaches the guard), then the guard (breaker, timeout).
    let api = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route_layer(middleware::from_fn_with_state(state.clone(), graphql_guard))
        .layer(settings.server.cors_allowed_origins.layer());
    Router::new()
        .merge(crate::web::routes(state.clone(), site))
        .merge(api)
        .route("/health", get(health))
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        // The GraphQL handler reads the body itself, against the configured limit, to answer 413 in JSON.
        .layer(DefaultBodyLimit::disable())
        .layer(compression())
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(middleware::from_fn(drop_unusable_request_id))
        .with_state(state)
}

/// gzip or brotli, as the client accepts, for answers above a kilobyte (the 250 KB introspection
/// answer, a national coverage matrix, pages and their CSS); smaller ones and images go as they are.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().br(true).gzip(true).compress_when(DefaultPredicate::new().and(SizeAbove::new(1024)))
}

/// A client may send its own `x-request-id` to correlate logs; one that could forge log lines or
/// bloat them is replaced by a fresh one.
async fn drop_unusable_request_id(mut request: Request, next: Next) -> Response {
    let usable = |v: &HeaderValue| {
        v.to_str().is_ok_and(|s| {
            !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    };
    if request.headers().get(REQUEST_ID).is_some_and(|v| !usable(v)) {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
