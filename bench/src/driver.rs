//! Runs one kind of request from a number of concurrent clients for a while, and measures it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::pages;
use crate::workload::{Kind, Request, Targets, outcome, request, version_request};

/// What one phase measured.
#[derive(Debug, Default)]
pub struct Measured {
    pub requests: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Latencies of all requests, sorted.
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
}

impl Measured {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency below which `p` percent of requests finished, in milliseconds.
    pub fn percentile_ms(&self, p: usize) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = (self.latencies.len() * p / 100).min(self.latencies.len() - 1);
        self.latencies[i].as_secs_f64() * 1000.0
    }
}

/// Shared by the phases of one run: the version each update client last saw.
pub struct Versions(Vec<AtomicI32>);

impl Versions {
    pub fn new(versions: Vec<i32>) -> Arc<Self> {
        Arc::new(Self(versions.into_iter().map(AtomicI32::new).collect()))
    }
}

/// Sends `kind` requests from `clients` concurrent clients until `duration` has passed; requests
/// still running then are finished and counted.
pub async fn run(
    http: &reqwest::Client,
    base: &str,
    kind: Kind,
    targets: &Arc<Targets>,
    versions: &Arc<Versions>,
    clients: usize,
    duration: Duration,
) -> Measured {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let (http, base, targets, versions) = (http.clone(), base.to_string(), targets.clone(), versions.clone());
        tasks.push(tokio::spawn(async move {
            let mut m = Measured::default();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let (latency, error) = exchange(&http, &base, kind, &targets, &versions, client, n).await;
                n += 1;
                m.latencies.push(latency);
                m.requests += 1;
                if let Some(e) = error {
                    m.errors += 1;
                    m.first_error.get_or_insert(e);
                }
            }
            m
        }));
    }
    let mut total = Measured::default();
    for task in tasks {
        match task.await {
            Ok(m) => {
                total.requests += m.requests;
                total.errors += m.errors;
                total.latencies.extend(m.latencies);
                if total.first_error.is_none() {
                    total.first_error = m.first_error;
                }
            }
            Err(e) => {
                total.errors += 1;
                total.first_error.get_or_insert(format!("client task failed: {e}"));
            }
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}

/// Sends request number `n` of `client` and reads its answer: how long it took, and the error if
/// it failed. An update's new version is kept for the next one, and re-read after a `CONFLICT`.
/// A page is an error unless it is a 200 showing the heading of the page asked for.
async fn exchange(
    http: &reqwest::Client,
    base: &str,
    kind: Kind,
    targets: &Targets,
    versions: &Versions,
    client: usize,
    n: u64,
) -> (Duration, Option<String>) {
    let version = versions.0.get(client).map_or(0, |v| v.load(Ordering::Relaxed));
    let (body, token) = match request(kind, targets, client, n, version) {
        Request::Graphql(body, token) => (body, token),
        Request::Page(target) => {
            let sent = Instant::now();
            let result = get(http, &format!("{base}{}", target.path)).await;
            let latency = sent.elapsed();
            let error = match result {
                Ok(body) => pages::check(target, &body),
                Err(e) => Some(e),
            };
            return (latency, error);
        }
    };
    let url = &format!("{base}/graphql");
    let sent = Instant::now();
    let result = send(http, url, &body, token).await;
    let latency = sent.elapsed();
    let error = match result {
        Ok(bytes) => {
            let o = outcome(&bytes);
            if let Some(v) = o.version {
                versions.0[client].store(v, Ordering::Relaxed);
            }
            if o.conflict {
                refresh_version(http, url, targets, versions, client).await;
            }
            o.error
        }
        Err(e) => Some(e),
    };
    (latency, error)
}

/// Posts a GraphQL body; a status other than 200 is an error.
async fn send(
    http: &reqwest::Client,
    url: &str,
    body: &serde_json::Value,
    token: Option<&str>,
) -> Result<Vec<u8>, String> {
    let mut req = http.post(url).json(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let response = req.send().await.map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| format!("reading the response failed: {e}"))?;
    if status != reqwest::StatusCode::OK {
        let text = String::from_utf8_lossy(&bytes);
        return Err(format!("HTTP {status}: {}", text.chars().take(300).collect::<String>()));
    }
    Ok(bytes.to_vec())
}

/// Gets a page; a status other than 200 is an error.
async fn get(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let response = http.get(url).send().await.map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| format!("reading the response failed: {e}"))?;
    if status != reqwest::StatusCode::OK {
        return Err(format!("{url}: HTTP {status}"));
    }
    Ok(bytes.to_vec())
}

/// After a `CONFLICT` (someone else changed the proposition) the client reads the current version.
async fn refresh_version(http: &reqwest::Client, url: &str, targets: &Targets, versions: &Versions, client: usize) {
    let (body, token) = version_request(targets, client);
    if let Ok(bytes) = send(http, url, &body, Some(token)).await
        && let Some(v) = outcome(&bytes).version
    {
        versions.0[client].store(v, Ordering::Relaxed);
    }
}

/// What the background changer has done so far.
#[derive(Clone, Default)]
pub struct Changes(Arc<(AtomicU64, AtomicU64)>);

impl Changes {
    pub fn summary(&self) -> String {
        let (made, failed) = (self.0.0.load(Ordering::Relaxed), self.0.1.load(Ordering::Relaxed));
        format!("{made} changes made through the API during the run, {failed} failed")
    }
}

/// Updates the proposition of editor number `editor` `per_second` times a second until aborted,
/// as a library editing its offer while everyone else reads.
pub async fn change_steadily(base: String, targets: Arc<Targets>, editor: usize, per_second: f64, changes: Changes) {
    let http = reqwest::Client::new();
    let versions = Versions::new(vec![0; editor + 1]);
    refresh_version(&http, &format!("{base}/graphql"), &targets, &versions, editor).await;
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / per_second));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for n in 0u64.. {
        tick.tick().await;
        let (_, error) = exchange(&http, &base, Kind::Update, &targets, &versions, editor, n).await;
        let counter = if error.is_none() { &changes.0.0 } else { &changes.0.1 };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
