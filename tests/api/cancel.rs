//! Cancelling a timed-out request's statements (`registry::db::cancel`), on the registry's own
//! pool: a slow statement stops when its scope is cancelled, and a cancel never reaches a
//! statement of the next request handed the same connection.

use std::time::{Duration, Instant};

use registry::db::cancel::Scope;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use crate::helpers::{TestApp, database, pg_value, spawn_empty_app, test_settings};

/// A statement that runs for about `secs` seconds. SQLite cannot sleep, so it counts, as many
/// steps as this machine counts in that time (measured once).
async fn slow(app: &TestApp, db: &DatabaseConnection, secs: f64) -> String {
    if postgres(app) {
        return format!("SELECT pg_sleep({secs})");
    }
    static STEPS_PER_SECOND: tokio::sync::OnceCell<f64> = tokio::sync::OnceCell::const_new();
    let rate = *STEPS_PER_SECOND
        .get_or_init(|| async {
            // The fastest of three, so that a busy moment makes statements longer, never shorter.
            let mut fastest = f64::MAX;
            for _ in 0..3 {
                let started = Instant::now();
                db.execute_unprepared(&count(100_000)).await.expect("count");
                fastest = fastest.min(started.elapsed().as_secs_f64());
            }
            100_000.0 / fastest.max(1e-6)
        })
        .await;
    count((secs * rate) as u64)
}

fn count(steps: u64) -> String {
    format!("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {steps}) SELECT count(*) FROM c")
}

fn postgres(app: &TestApp) -> bool {
    !app.database_url.starts_with("sqlite:")
}

/// The registry's pool on the test database, with a single connection so that every statement
/// runs on the same backend.
async fn one_connection_pool(app: &TestApp) -> DatabaseConnection {
    let settings = test_settings(&app.database_url, &[("database.max_connections", "1".into())]);
    registry::db::connect(&settings).await.expect("connect")
}

/// How many statements matching `pattern` PostgreSQL is running for the test database.
async fn running(admin: &DatabaseConnection, pattern: &str) -> i64 {
    let sql = "SELECT count(*) FROM pg_stat_activity \
               WHERE datname = current_database() AND state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()";
    pg_value(admin, sql, [pattern.into()]).await
}

/// Starts `sql` inside `scope` and gives up waiting after `wait`, as the edge does at its timeout.
async fn run_until_timeout(db: &DatabaseConnection, scope: &std::sync::Arc<Scope>, sql: &str, wait: Duration) {
    let outcome = tokio::time::timeout(wait, scope.run(db.execute_unprepared(sql))).await;
    assert!(outcome.is_err(), "the slow statement was still running at the timeout: {outcome:?}");
}

#[tokio::test]
async fn a_cancelled_scope_stops_its_running_statement_at_once() {
    let app = spawn_empty_app().await;
    let db = one_connection_pool(&app).await;
    let scope = Scope::new();
    run_until_timeout(&db, &scope, &slow(&app, &db, 60.0).await, Duration::from_millis(300)).await;

    if postgres(&app) {
        let admin = database(&app).await;
        assert_eq!(running(&admin, "SELECT pg_sleep%").await, 1, "dropping the future left the statement running");
        scope.cancel_statements(&db);
        let cancelled = Instant::now();
        while running(&admin, "SELECT pg_sleep%").await > 0 {
            assert!(cancelled.elapsed() < Duration::from_secs(3), "the statement still runs after the cancel");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    } else {
        scope.cancel_statements(&db);
    }
    // The pool's only connection is free again long before the statement would have ended; the
    // acquire timeout (2 s) would fail this if it were not.
    let asked = Instant::now();
    db.execute_unprepared("SELECT 1").await.expect("the connection is usable again");
    assert!(asked.elapsed() < Duration::from_millis(1500), "waited {:?} for the connection", asked.elapsed());
}

#[tokio::test]
async fn a_late_cancel_never_reaches_the_next_requests_statement_on_the_same_connection() {
    let app = spawn_empty_app().await;
    let db = one_connection_pool(&app).await;
    // A request that used the connection and gave it back...
    let first = Scope::new();
    first.run(db.execute_unprepared("SELECT 1")).await.expect("a quick statement");
    let pid_before = backend_pid(&app, &db).await;

    // ...and the next request, handed the same (only) connection; the first request timing out
    // now must leave the next one's statement alone.
    let next = Scope::new();
    let statement = slow(&app, &db, 1.0).await;
    let started = Instant::now();
    let (result, ()) = tokio::join!(next.run(db.execute_unprepared(&statement)), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        first.cancel_statements(&db);
        // Give the cancel (sent in the background) time to land.
        tokio::time::sleep(Duration::from_millis(300)).await;
    });
    let result: Result<_, DbErr> = result;
    result.expect("the next request's statement ran to its end");
    assert!(started.elapsed() > Duration::from_millis(400), "the statement outlasted the late cancel");
    assert_eq!(backend_pid(&app, &db).await, pid_before, "both requests were on the same backend");
}

/// The PostgreSQL backend behind the pool's only connection (0 on SQLite, which has one anyway).
async fn backend_pid(app: &TestApp, db: &DatabaseConnection) -> i32 {
    if !postgres(app) {
        return 0;
    }
    pg_value(db, "SELECT pg_backend_pid()", []).await
}

#[tokio::test]
async fn statements_outside_any_scope_run_untouched() {
    let app = spawn_empty_app().await;
    let db = one_connection_pool(&app).await;
    let scope = Scope::new();
    // The scope never ran anything: cancelling it is a no-op, on either backend.
    scope.cancel_statements(&db);
    let statement = slow(&app, &db, 0.5).await;
    let started = Instant::now();
    let (result, ()) = tokio::join!(db.execute_unprepared(&statement), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        scope.cancel_statements(&db);
    });
    result.expect("ran to its end");
    assert!(started.elapsed() > Duration::from_millis(150));
}
