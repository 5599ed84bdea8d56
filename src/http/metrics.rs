//! The metrics listener: the process counters on an address of their own, never on the public one.
//!
//! The answer cache's counters tell whoever reads them what others just asked, so `/metrics` is
//! served only on `REGISTRY_SERVER__METRICS_ADDRESS` (loopback by default), and there only with
//! `REGISTRY_SERVER__METRICS_TOKEN` as a bearer token when one is configured.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::metrics::Metrics;
use crate::trust::ratelimit::RateLimiter;

/// What `/metrics` reads: the counters, and the rate limiter for its gauge of buckets.
#[derive(Clone)]
struct Sources {
    metrics: Arc<Metrics>,
    limiter: Arc<RateLimiter>,
}

/// The routes of the metrics listener: `GET /metrics`, behind the token if there is one.
pub fn router(metrics: Arc<Metrics>, limiter: Arc<RateLimiter>, token: Option<&SecretString>) -> Router {
    let router = Router::new().route("/metrics", get(metrics_text)).with_state(Sources { metrics, limiter });
    match token {
        Some(token) => {
            let expected = Arc::new(digest(token.expose_secret()));
            router.layer(middleware::from_fn_with_state(expected, require_token))
        }
        None => router,
    }
}

/// `GET /metrics`: the process counters in the Prometheus text format.
async fn metrics_text(State(sources): State<Sources>) -> Response {
    let text = sources.metrics.render(sources.limiter.bucket_count());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// Lets a request through only with `Authorization: Bearer <the metrics token>`.
async fn require_token(State(expected): State<Arc<[u8; 32]>>, request: Request, next: Next) -> Response {
    if presented(request.headers()).is_some_and(|token| digest(token) == *expected) {
        return next.run(request).await;
    }
    let mut response = (StatusCode::UNAUTHORIZED, "the metrics need the bearer token REGISTRY_SERVER__METRICS_TOKEN\n")
        .into_response();
    response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

fn presented(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// Tokens are compared by their SHA-256, so the comparison's time says nothing about the token.
fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
