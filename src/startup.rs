//! Starting the registry: database, migrations, reference and demo data, router, listener.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::auth::JwtKeys;
use crate::graphql::build_schema;
use crate::http::{AppState, graphiql, graphql, health, metrics_text};
use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::{db, seed};

/// Why the registry could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot reach the database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot load the initial data: {0}")]
    Seed(String),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: String, source: std::io::Error },
}

/// A started registry, bound to its port but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub db: DatabaseConnection,
}

impl Application {
    /// Connects, migrates (if configured), loads reference and demo data, and binds the port.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
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
        let router = router(db.clone(), metrics, settings);
        let address = format!("{}:{}", settings.server.host, settings.server.port);
        let listener = TcpListener::bind(&address).await.map_err(|source| StartupError::Bind { address, source })?;
        Ok(Self { listener, router, db })
    }

    /// The port actually bound (useful when configured as 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// Serves until the process is asked to stop.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown_signal()).await
    }

    /// Serves until the task is dropped (tests).
    pub async fn run(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).await
    }
}

/// The HTTP routes and middleware.
pub fn router(db: DatabaseConnection, metrics: Arc<Metrics>, settings: &Settings) -> Router {
    let state = AppState {
        schema: build_schema(Some(db.clone())),
        db,
        keys: Arc::new(JwtKeys::from_settings(settings)),
        metrics,
    };
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/health", get(health))
        .route("/metrics", get(metrics_text))
        .layer(RequestBodyLimitLayer::new(settings.server.max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
