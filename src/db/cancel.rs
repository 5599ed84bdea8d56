//! Cancels the database statements of a request that ran out of time, at once rather than when
//! `statement_timeout` ends them: dropping a request's future stops the waiting, not the statement.
//!
//! Every pooled connection notes which request it is handed to (the pool's acquire hooks run in the
//! request's task), and the edge runs each request inside a [`Scope`]. When the time runs out, the
//! scope asks PostgreSQL to cancel its backends' statements (`pg_cancel_backend`), or interrupts
//! SQLite's statement from its progress handler.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use futures::future::BoxFuture;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
use sea_orm::sqlx::sqlite::SqliteConnection;
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use sea_orm::{DatabaseBackend, DatabaseConnection};

tokio::task_local! {
    static CURRENT: Arc<Scope>;
}

/// Which scope was last handed each PostgreSQL backend (pid → scope id, 0 outside any request).
/// Pids are unique within a cluster, so one table serves every pool of the process; a pid reused
/// by a later backend overwrites its entry.
static OWNERS: LazyLock<Mutex<HashMap<i32, u64>>> = LazyLock::new(Default::default);

static NEXT_SCOPE: AtomicU64 = AtomicU64::new(1);

/// How many SQLite virtual-machine steps run between two looks at the cancel flag.
const SQLITE_CHECK_EVERY: i32 = 1_000;

/// The database backends one request was handed.
pub struct Scope {
    id: u64,
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    pids: Vec<i32>,
    sqlite: Vec<Arc<SqliteSlot>>,
}

/// A SQLite connection's owner and the request whose statements it must interrupt.
#[derive(Default)]
pub(crate) struct SqliteSlot {
    owner: AtomicU64,
    cancelled: AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Scope {
    /// A new scope for one request.
    pub fn new() -> Arc<Self> {
        Arc::new(Self { id: NEXT_SCOPE.fetch_add(1, Ordering::Relaxed), held: Mutex::default() })
    }

    /// Runs `future` with this scope current, so that the connections it is handed are noted.
    pub async fn run<F: Future>(self: &Arc<Self>, future: F) -> F::Output {
        CURRENT.scope(self.clone(), future).await
    }

    /// Cancels the statements still running on the connections this scope was the last to be
    /// handed. PostgreSQL is asked in the background, on a connection of its own: the pool may be
    /// exhausted by the very requests that are stuck.
    pub fn cancel_statements(&self, db: &DatabaseConnection) {
        let (pids, slots) = {
            let held = lock(&self.held);
            let owners = lock(&OWNERS);
            let pids: Vec<i32> = held.pids.iter().copied().filter(|pid| owners.get(pid) == Some(&self.id)).collect();
            (pids, held.sqlite.clone())
        };
        for slot in slots {
            if slot.owner.load(Ordering::Acquire) == self.id {
                slot.cancelled.store(self.id, Ordering::Release);
            }
        }
        if pids.is_empty() || db.get_database_backend() != DatabaseBackend::Postgres {
            return;
        }
        let options = db.get_postgres_connection_pool().connect_options();
        tokio::spawn(async move {
            match cancel_backends(&options, &pids).await {
                Ok(cancelled) => tracing::info!(cancelled, "cancelled the statements of a timed-out request"),
                Err(error) => tracing::warn!(%error, "could not cancel the statements of a timed-out request"),
            }
        });
    }
}

async fn cancel_backends(options: &PgConnectOptions, pids: &[i32]) -> Result<i64, sqlx::Error> {
    let mut conn = options.connect().await?;
    // Only a statement that was already running when this one began, so a backend handed to
    // another request since the pids were read is left alone; MATERIALIZED keeps that filter
    // ahead of the cancel whatever the planner prefers.
    let cancelled = sqlx::query_scalar(
        "WITH running AS MATERIALIZED (
             SELECT pid FROM pg_stat_activity
             WHERE pid = ANY($1) AND state = 'active' AND query_start < statement_timestamp())
         SELECT count(*) FROM running WHERE pg_cancel_backend(pid)",
    )
    .bind(pids)
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    Ok(cancelled)
}

/// Notes which PostgreSQL backend a pooled connection is, and which request it is handed to.
/// The pool calls it on every hand-out, in place of its liveness ping and at the same cost.
pub(crate) async fn note_postgres(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut *conn).await?;
    let scope = CURRENT.try_with(Arc::clone).ok();
    lock(&OWNERS).insert(pid, scope.as_ref().map_or(0, |s| s.id));
    if let Some(scope) = scope {
        let mut held = lock(&scope.held);
        if !held.pids.contains(&pid) {
            held.pids.push(pid);
        }
    }
    Ok(())
}

/// Installs the interrupt on a new SQLite connection: its statements stop once the request that
/// holds it is cancelled.
pub(crate) async fn install_sqlite(conn: &mut SqliteConnection, slot: Arc<SqliteSlot>) -> Result<(), sqlx::Error> {
    note_sqlite(&slot);
    conn.lock_handle().await?.set_progress_handler(SQLITE_CHECK_EVERY, move || {
        let cancelled = slot.cancelled.load(Ordering::Acquire);
        // true: go on.
        cancelled == 0 || cancelled != slot.owner.load(Ordering::Acquire)
    });
    Ok(())
}

/// Notes which request the SQLite connection is handed to.
pub(crate) fn note_sqlite(slot: &Arc<SqliteSlot>) {
    let scope = CURRENT.try_with(Arc::clone).ok();
    slot.owner.store(scope.as_ref().map_or(0, |s| s.id), Ordering::Release);
    if let Some(scope) = scope {
        let mut held = lock(&scope.held);
        if !held.sqlite.iter().any(|s| Arc::ptr_eq(s, slot)) {
            held.sqlite.push(slot.clone());
        }
    }
}

/// Spawns a task that stays in the current request's scope: a DataLoader batch started outside a
/// driven request (see `kernel::loaders::Batches`) runs apart from it, and its statements are the
/// request's too.
pub fn spawn_in_scope(future: BoxFuture<'static, ()>) -> tokio::task::JoinHandle<()> {
    match CURRENT.try_with(Arc::clone) {
        Ok(scope) => tokio::spawn(CURRENT.scope(scope, future)),
        Err(_) => tokio::spawn(future),
    }
}
