//! The guard around every request that reaches the registry's data, one layer for the API and the pages
//! alike: while the breaker is open (the database cannot be reached) the request is answered at once;
//! otherwise it runs within the request timeout, and when it runs over, its statements are cancelled and it
//! is answered at once. The route says what that answer looks like: a GraphQL error or an error page.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use sea_orm::DatabaseConnection;

use crate::db::cancel::Scope;
use crate::error::{AppError, Unreachable};
use crate::trust::breaker::{Admission, Breaker};

/// Why the guard answered instead of the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The breaker is open: the database could not be reached just now.
    DatabaseDown,
    /// The request ran longer than the timeout allows.
    TimedOut { after_secs: u64 },
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::DatabaseDown => AppError::DatabaseDown,
            Refusal::TimedOut { after_secs } => AppError::TimedOut { after_secs },
        }
    }
}

/// What the guard needs: the breaker, the database whose statements it cancels, and the time a request may take.
pub trait Guarded {
    fn breaker(&self) -> &Arc<Breaker>;
    fn database(&self) -> &DatabaseConnection;
    fn timeout(&self) -> Duration;
}

/// Runs the rest of the stack for `request` under the guard; `refuse` answers in its place when the
/// breaker is open or the time is up. A response that says the database was unreachable (it carries
/// [`Unreachable`]) counts against the breaker.
pub async fn guard<G, R>(guarded: &G, request: Request, next: Next, refuse: R) -> Response
where
    G: Guarded,
    R: FnOnce(Refusal) -> Response,
{
    run_guarded(guarded, next.run(request), refuse).await
}

/// [`guard`] for any future that yields a response (testable without a router).
pub async fn run_guarded<G, F, R>(guarded: &G, inner: F, refuse: R) -> Response
where
    G: Guarded,
    F: Future<Output = Response>,
    R: FnOnce(Refusal) -> Response,
{
    let breaker = guarded.breaker();
    let admission = breaker.admit_waiting(crate::trust::breaker::PROBE_WAIT).await;
    if matches!(admission, Admission::Refused) {
        return refuse(Refusal::DatabaseDown);
    }
    let timeout = guarded.timeout();
    let scope = Scope::new();
    let response = match tokio::time::timeout(timeout, scope.run(inner)).await {
        Ok(response) => response,
        Err(_) => {
            scope.cancel_statements(guarded.database());
            refuse(Refusal::TimedOut { after_secs: timeout.as_secs() })
        }
    };
    breaker.record(&admission, response.extensions().get::<Unreachable>().is_some());
    response
}

#[cfg(test)]
mod tests {
    use axum::body::Body;

    use super::*;

    struct Fixture {
        breaker: Arc<Breaker>,
        db: DatabaseConnection,
        timeout: Duration,
    }

    impl Guarded for Fixture {
        fn breaker(&self) -> &Arc<Breaker> {
            &self.breaker
        }
        fn database(&self) -> &DatabaseConnection {
            &self.db
        }
        fn timeout(&self) -> Duration {
            self.timeout
        }
    }

    async fn fixture(timeout: Duration) -> Fixture {
        let db = sea_orm::Database::connect("sqlite::memory:").await.expect("an in-memory database");
        Fixture { breaker: Breaker::new(Duration::from_secs(60)), db, timeout }
    }

    fn refused_as(refusal: Refusal) -> Response {
        let mut response = Response::new(Body::from(format!("{refusal:?}")));
        *response.status_mut() = axum::http::StatusCode::SERVICE_UNAVAILABLE;
        response
    }

    async fn text(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), 1024).await.expect("a body");
        String::from_utf8(bytes.to_vec()).expect("text")
    }

    #[tokio::test]
    async fn a_request_in_time_gets_its_own_answer() {
        let f = fixture(Duration::from_secs(5)).await;
        let response = run_guarded(&f, async { Response::new(Body::from("answer")) }, refused_as).await;
        assert_eq!(text(response).await, "answer");
        assert!(!f.breaker.is_open());
    }

    #[tokio::test]
    async fn a_request_that_runs_over_is_answered_by_the_refusal() {
        let f = fixture(Duration::from_millis(20)).await;
        let slow = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Response::new(Body::from("too late"))
        };
        let response = run_guarded(&f, slow, refused_as).await;
        assert_eq!(text(response).await, "TimedOut { after_secs: 0 }");
        assert!(!f.breaker.is_open(), "a slow request says nothing about whether the database can be reached");
    }

    #[tokio::test]
    async fn an_unreachable_database_opens_the_breaker_and_the_next_request_is_refused_without_running() {
        let f = fixture(Duration::from_secs(5)).await;
        let unreachable = async {
            let mut response = Response::new(Body::from("no database"));
            response.extensions_mut().insert(Unreachable);
            response
        };
        run_guarded(&f, unreachable, refused_as).await;
        assert!(f.breaker.is_open());
        let ran = std::sync::atomic::AtomicBool::new(false);
        let next = async {
            ran.store(true, std::sync::atomic::Ordering::SeqCst);
            Response::new(Body::from("ran"))
        };
        let response = run_guarded(&f, next, refused_as).await;
        assert_eq!(text(response).await, "DatabaseDown");
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst), "the refused request never ran");
    }
}
