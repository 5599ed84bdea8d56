//! The write load: writer tasks sending `createProposition` one after another, each request
//! recorded with when it was sent, when it was answered and how; and a `/health` poller.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::targets::Library;

/// How long a writer waits for an answer before it counts the request as unanswered.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a writer pauses after a refused or unanswered request, so a registry that refuses at
/// once is not hammered in a tight loop (much shorter than any `Retry-After`, so that recovery is
/// seen within a few tens of milliseconds).
const PAUSE_AFTER_FAILURE: Duration = Duration::from_millis(50);

const CREATE: &str = "mutation($input: CreatePropositionInput!) { createProposition(input: $input) { \
     proposition { id } } }";

/// How a request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// HTTP 200, `data.createProposition.proposition.id` present, no `errors`.
    Acknowledged,
    /// An error answer.
    Refused { status: u16, code: String, retry_after: bool },
    /// No answer within the client timeout, or the connection failed.
    NoAnswer { reason: String },
}

/// One `createProposition` request.
#[derive(Debug, Clone)]
pub struct Record {
    pub title: String,
    pub library: i64,
    pub sent: Instant,
    pub answered: Instant,
    pub outcome: Outcome,
}

impl Record {
    pub fn latency(&self) -> Duration {
        self.answered - self.sent
    }
}

/// One `/health` probe: when it was sent, how long it took, and the status (`None`: no answer).
#[derive(Debug, Clone)]
pub struct Probe {
    pub sent: Instant,
    pub latency: Duration,
    pub status: Option<u16>,
}

/// Starts `writers` writer tasks; they run until `stop` turns true and return their records.
pub fn start_writers(
    http: &reqwest::Client,
    base: &str,
    libraries: &Arc<Vec<Library>>,
    writers: usize,
    stop: &watch::Receiver<bool>,
) -> Vec<JoinHandle<Vec<Record>>> {
    (0..writers)
        .map(|w| {
            let (http, url, libraries, stop) =
                (http.clone(), format!("{base}/graphql"), libraries.clone(), stop.clone());
            tokio::spawn(async move {
                let library = &libraries[w % libraries.len()];
                let mut records = Vec::new();
                let mut seq = 0u64;
                while !*stop.borrow() {
                    let title = format!("fault-{w}-{seq}");
                    seq += 1;
                    let record = send(&http, &url, library, title).await;
                    let failed = record.outcome != Outcome::Acknowledged;
                    records.push(record);
                    if failed {
                        tokio::time::sleep(PAUSE_AFTER_FAILURE).await;
                    }
                }
                records
            })
        })
        .collect()
}

/// Sends one `createProposition` and classifies the answer.
async fn send(http: &reqwest::Client, url: &str, library: &Library, title: String) -> Record {
    let body = json!({ "query": CREATE, "variables": { "input": library.input(&title) } });
    let sent = Instant::now();
    let response = http.post(url).bearer_auth(&library.token).json(&body).timeout(CLIENT_TIMEOUT).send().await;
    let outcome = match response {
        Err(e) => Outcome::NoAnswer { reason: reason(&e) },
        Ok(response) => {
            let status = response.status().as_u16();
            let retry_after = response.headers().contains_key(reqwest::header::RETRY_AFTER);
            match response.json::<Value>().await {
                Err(e) if e.is_timeout() || e.is_body() => Outcome::NoAnswer { reason: reason(&e) },
                Err(_) => Outcome::Refused { status, code: "(not JSON)".into(), retry_after },
                Ok(body) => classify(status, retry_after, &body),
            }
        }
    };
    Record { title, library: library.id, sent, answered: Instant::now(), outcome }
}

fn classify(status: u16, retry_after: bool, body: &Value) -> Outcome {
    let has_errors = body.get("errors").is_some_and(|e| !e.is_null());
    let id = body.pointer("/data/createProposition/proposition/id").and_then(Value::as_str);
    if status == 200 && !has_errors && id.is_some() {
        return Outcome::Acknowledged;
    }
    let code = body
        .pointer("/errors/0/extensions/code")
        .and_then(Value::as_str)
        .unwrap_or(if has_errors { "(no code)" } else { "(no id, no error)" })
        .to_string();
    Outcome::Refused { status, code, retry_after }
}

fn reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect".into()
    } else {
        "connection".into()
    }
}

/// Polls `GET /health` every 200 ms until `stop` turns true.
pub fn start_health(http: &reqwest::Client, base: &str, stop: &watch::Receiver<bool>) -> JoinHandle<Vec<Probe>> {
    let (http, url, stop) = (http.clone(), format!("{base}/health"), stop.clone());
    tokio::spawn(async move {
        let mut probes = Vec::new();
        while !*stop.borrow() {
            let sent = Instant::now();
            let status = http.get(&url).timeout(CLIENT_TIMEOUT).send().await.ok().map(|r| r.status().as_u16());
            probes.push(Probe { sent, latency: sent.elapsed(), status });
            tokio::time::sleep(Duration::from_millis(200).saturating_sub(sent.elapsed())).await;
        }
        probes
    })
}
