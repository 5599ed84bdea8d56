//! The HTTP edge: the GraphQL endpoint (POST, and GET for queries), GraphiQL, health, and
//! everything a request passes before and after GraphQL: credentials, rate limit, timeout,
//! idempotency, request id, and the HTTP status that matches the errors. Metrics are served on a
//! listener of their own ([`metrics`]).

pub mod answers;
pub mod client_ip;
pub mod cors;
pub mod credentials;
mod edge;
pub mod guard;
pub mod metrics;
pub mod validators;

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::parser::types::OperationType;
use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRef, Query, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tower_http::request_id::RequestId;

use crate::identity::{Actor, JwtKeys};

use crate::error::{AppError, Rejection, Unreachable};
use crate::graphql::RegistrySchema;
use crate::http::answers::Answer;
use crate::http::answers::AnswerCache;
use crate::http::client_ip::TrustedProxies;
use crate::http::credentials::Credential;
use crate::http::guard::Guarded;
use crate::kernel::history::last_change_id;
use crate::kernel::loaders::new_loader;
use crate::metrics::Metrics;
use crate::trust::breaker::Breaker;
use crate::trust::idempotency::Claim;
use crate::trust::limits::{DocumentRules, Inspection};
use crate::trust::ratelimit::{Caller, FAILED_AUTH_COST, Quota, RateLimiter};
use crate::trust::{breaker, idempotency};

/// Seconds a client should wait before retrying when the database is unavailable.
const RETRY_AFTER_UNAVAILABLE: &str = "5";

/// How the edge treats requests (from settings).
#[derive(Clone)]
pub struct EdgeSettings {
    pub max_body_bytes: usize,
    /// Proxies whose `X-Forwarded-For` names the caller for the per-address limits.
    pub trusted_proxies: TrustedProxies,
    pub request_timeout: Duration,
    pub idempotency_retention: chrono::Duration,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub schema: RegistrySchema,
    pub db: DatabaseConnection,
    pub keys: Arc<JwtKeys>,
    pub metrics: Arc<Metrics>,
    pub limiter: Arc<RateLimiter>,
    /// The document limits, checked before anything runs.
    pub rules: Arc<DocumentRules>,
    /// Answers at once while the database is unreachable.
    pub breaker: Arc<Breaker>,
    /// Answers to anonymous queries while nothing has changed; `None` when turned off.
    pub answers: Option<Arc<AnswerCache>>,
    pub edge: EdgeSettings,
    /// Site sessions and the ways to sign in.
    pub people: Arc<crate::people::People>,
    /// The build's schema in the entity tags of cacheable answers ([`validators`]).
    pub schema_tag: Arc<str>,
}

impl FromRef<AppState> for Arc<JwtKeys> {
    fn from_ref(state: &AppState) -> Self {
        state.keys.clone()
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadUserInput { .. } | AppError::LimitExceeded { .. } => StatusCode::BAD_REQUEST,
            AppError::Rejected { reason, .. } => match reason {
                Rejection::Malformed => StatusCode::BAD_REQUEST,
                Rejection::WrongMethod => StatusCode::METHOD_NOT_ALLOWED,
                Rejection::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                Rejection::WrongMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Rejection::KeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            },
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::ServiceUnavailable(_) | AppError::DatabaseDown | AppError::TimedOut { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error before (or instead of) GraphQL execution, as a GraphQL-shaped JSON response.
fn error_response(error: AppError, request_id: &str) -> Response {
    let status = error.status();
    let retry_after = match &error {
        AppError::RateLimited { retry_after_secs } => Some(retry_after_secs.to_string()),
        AppError::ServiceUnavailable(_) | AppError::TimedOut { .. } => Some(RETRY_AFTER_UNAVAILABLE.to_string()),
        AppError::DatabaseDown => Some(breaker::COOL_DOWN.as_secs().max(1).to_string()),
        _ => None,
    };
    let mut graphql = error.to_graphql();
    graphql.extensions.get_or_insert_with(Default::default).set("requestId", request_id);
    let body = json!({ "data": null, "errors": [{ "message": graphql.message, "extensions": graphql.extensions }] });
    let mut response = (status, Json(body)).into_response();
    if error.is_unreachable() {
        response.extensions_mut().insert(Unreachable);
    }
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn request_id_of(id: Option<&RequestId>) -> String {
    id.and_then(|id| id.header_value().to_str().ok()).unwrap_or("unknown").to_string()
}

/// `POST /graphql`: one GraphQL operation in a JSON body.
pub async fn graphql_post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request_id: Option<axum::Extension<RequestId>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let request_id = request_id_of(request_id.as_deref());
    let request = async {
        edge::check_media_type(&headers)?;
        let bytes = edge::read_body(&headers, body, state.edge.max_body_bytes).await?;
        edge::parse_request(&bytes)
    };
    match request.await {
        Ok(request) => run(&state, peer, &headers, request_id, request, false).await,
        Err(e) => error_response(e, &request_id),
    }
}

/// `GET /graphql`: a query in the query string, or GraphiQL when there is none. Mutations are
/// refused over GET, because links and images can send GETs from anywhere.
pub async fn graphql_get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request_id: Option<axum::Extension<RequestId>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let request_id = request_id_of(request_id.as_deref());
    if !params.contains_key("query") {
        return crate::web::graphiql::page().await;
    }
    match edge::request_from_query(&params) {
        Ok(request) => run(&state, peer, &headers, request_id, request, true).await,
        Err(e) => error_response(e, &request_id),
    }
}

/// Runs one request through credentials, rate limit, idempotency and the schema, within the
/// configured time.
async fn run(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    request_id: String,
    request: async_graphql::Request,
    over_get: bool,
) -> Response {
    state.metrics.graphql_request();
    let client = state.edge.trusted_proxies.client_ip(peer.ip(), headers);
    let failures = Caller::FailedAuth(client);
    if state.limiter.enabled()
        && headers.contains_key(header::AUTHORIZATION)
        && let Some(retry_after_secs) = state.limiter.peek(&failures).retry_after_secs
    {
        return error_response(AppError::RateLimited { retry_after_secs }, &request_id);
    }
    let credential = match credentials::from_headers(headers, &state.keys) {
        Ok(c) => c,
        Err(e) => {
            state.limiter.charge(&failures, FAILED_AUTH_COST);
            return error_response(e, &request_id);
        }
    };
    let caller = match &credential {
        Credential::Anonymous => Caller::Anonymous(client),
        Credential::Token(claims) => Caller::Token(claims.sub.clone()),
        Credential::ApiKey(hash) => Caller::ApiKey(hash.clone()),
    };
    let incoming = Incoming { client, headers, request_id: &request_id, over_get };
    let (quota, estimate, outcome) = within_budget(state, &caller, request, |request, inspection| async move {
        execute(state, &incoming, credential, request, &inspection).await
    })
    .await;
    let mut response = match outcome {
        Ok(response) => response,
        Err(e) => error_response(e, &request_id),
    };
    if let Some(estimate) = estimate {
        let objects = response.objects();
        if let Ok(value) = HeaderValue::from_str(&format!("estimate={estimate}, objects={objects}")) {
            response.headers_mut().insert(HeaderName::from_static(QUERY_COST), value);
        }
    }
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        validators::mark(response.headers_mut(), None);
    }
    with_quota(response, quota)
}

/// Runs a document under the caller's rate budget, for the API and the pages alike: one point up front
/// (refused on an empty bucket), then the document's limits, then its estimate set aside while `run`
/// answers it, settled at the objects the answer held. Answers the caller's budget as it is after that,
/// the estimate (once the document passed its limits), and the outcome.
async fn within_budget<T, F, Fut>(
    state: &AppState,
    caller: &Caller,
    mut request: async_graphql::Request,
    run: F,
) -> (Option<Quota>, Option<u64>, Result<T, AppError>)
where
    T: Counted,
    F: FnOnce(async_graphql::Request, Inspection) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let mut quota = None;
    if state.limiter.enabled() {
        let checked = state.limiter.check(caller);
        quota = Some(checked);
        if let Some(retry_after_secs) = checked.retry_after_secs {
            return (quota, None, Err(AppError::RateLimited { retry_after_secs }));
        }
    }
    let inspection = match state.rules.inspect(&mut request) {
        Ok(inspection) => inspection,
        Err(e) => return (quota, None, Err(e)),
    };
    let estimate = inspection.cost as u64;
    let reservation = state.limiter.set_aside(caller, estimate);
    let outcome = run(request, inspection).await;
    let objects = outcome.as_ref().map_or(0, Counted::objects);
    (reservation.settle(objects).or(quota), Some(estimate), outcome)
}

/// An answer that knows how many objects it holds, for the rate charge.
trait Counted {
    fn objects(&self) -> u64;
}

impl Counted for Response {
    fn objects(&self) -> u64 {
        self.extensions().get::<Objects>().map_or(0, |o| o.0)
    }
}

impl Counted for Answer {
    fn objects(&self) -> u64 {
        self.objects
    }
}

impl Guarded for AppState {
    fn breaker(&self) -> &Arc<Breaker> {
        &self.breaker
    }
    fn database(&self) -> &DatabaseConnection {
        &self.db
    }
    fn timeout(&self) -> Duration {
        self.edge.request_timeout
    }
}

/// The guard on `/graphql` (see [`guard`]): its refusals are GraphQL errors.
pub async fn graphql_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let request_id = request_id_of(request.extensions().get::<RequestId>());
    guard::guard(&state, request, next, |refusal| error_response(refusal.into(), &request_id)).await
}

/// The header telling a caller what its query cost: `estimate` (the most objects its answer could
/// hold, checked against `maxComplexity` and set aside from its budget while it ran) and `objects`
/// (what the answer held, and was charged besides the request's one point).
const QUERY_COST: &str = "query-cost";

/// The objects in an answer's `data`, carried from the answer to the rate charge.
#[derive(Debug, Clone, Copy)]
struct Objects(u64);

/// How many objects a value holds, itself included.
fn objects_in(value: &async_graphql::Value) -> u64 {
    match value {
        async_graphql::Value::Object(fields) => 1 + fields.values().map(objects_in).sum::<u64>(),
        async_graphql::Value::List(items) => items.iter().map(objects_in).sum(),
        _ => 0,
    }
}

/// Where a request came from and how.
struct Incoming<'a> {
    /// The caller's address, behind trusted proxies if any.
    client: IpAddr,
    headers: &'a HeaderMap,
    request_id: &'a str,
    over_get: bool,
}

async fn execute(
    state: &AppState,
    incoming: &Incoming<'_>,
    credential: Credential,
    request: async_graphql::Request,
    inspection: &Inspection,
) -> Result<Response, AppError> {
    let Incoming { client, headers, request_id, over_get } = *incoming;
    let anonymous = matches!(credential, Credential::Anonymous);
    let mut actor: Actor = match credential.resolve(&state.db).await {
        Ok(actor) => actor,
        Err(e) => {
            if matches!(e, AppError::Unauthenticated(_)) {
                state.limiter.charge(&Caller::FailedAuth(client), FAILED_AUTH_COST);
            }
            return Err(e);
        }
    };
    actor.request_id = Some(request_id.to_string());
    let is_mutation = inspection.operation == Some(OperationType::Mutation);
    if is_mutation && over_get {
        return Err(AppError::Rejected {
            reason: Rejection::WrongMethod,
            message: "mutations must be sent with POST".into(),
        });
    }
    if is_mutation && actor.key_scopes.is_some_and(|s| !s.write_own_organisation) {
        return Err(AppError::Forbidden("this API key has no WRITE_OWN_ORGANISATION scope".into()));
    }
    // Anonymous mutations are refused anyway; claiming keys for them would only let strangers fill
    // the table.
    let idempotency_key = headers.get("idempotency-key").filter(|_| is_mutation && actor.is_signed_in());
    let claim = match idempotency_key {
        Some(key) => {
            let key = idempotency::validate_key(key.as_bytes())?;
            if inspection.root_fields.iter().any(|f| f == "createApiKey") {
                return Err(AppError::Rejected {
                    reason: Rejection::Malformed,
                    message: "Idempotency-Key is not accepted for createApiKey: a new key is shown only once, so \
                              its answer is never stored for a replay"
                        .into(),
                });
            }
            let owner = idempotency_owner(&actor);
            let variables = serde_json::to_value(&request.variables).unwrap_or(Value::Null);
            let fingerprint = idempotency::fingerprint(&request.query, request.operation_name.as_deref(), &variables);
            let wait = state.edge.request_timeout / 2;
            match idempotency::claim(&state.db, &owner, key, &fingerprint, state.edge.idempotency_retention, wait)
                .await?
            {
                Claim::Replay { status, body } => {
                    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                    let mut response = (status, Json(body)).into_response();
                    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
                    return Ok(response);
                }
                Claim::Run(id) => Some(id),
            }
        }
        None => None,
    };
    // An anonymous query over GET is named by the state of the data: a client that holds the answer to
    // this state gets 304 without the query running.
    let validator = match anonymous && over_get && !is_mutation {
        true => {
            let stamp = last_change_id(&state.db).await?;
            let tag = validators::entity_tag(stamp, &state.schema_tag);
            if validators::not_modified(headers, &tag) {
                let mut response = StatusCode::NOT_MODIFIED.into_response();
                validators::mark(response.headers_mut(), Some(&tag));
                return Ok(response);
            }
            Some((stamp, tag))
        }
        false => None,
    };
    let answer = match state.answers.as_deref().filter(|_| anonymous && !is_mutation) {
        Some(answers) => {
            let compute = |request| respond(state, request, actor, request_id, None);
            let answer = match &validator {
                Some((stamp, _)) => answers.answer_at(*stamp, request, compute).await?,
                None => answers.answer(&state.db, request, compute).await?,
            };
            state.metrics.answer(answer.cached);
            answer
        }
        None => respond(state, request, actor, request_id, claim).await?,
    };
    let tag = validator.filter(|_| answer.shareable).map(|(_, tag)| tag);
    let mut response = answer.into_response();
    validators::mark(response.headers_mut(), tag.as_deref());
    Ok(response)
}

/// Answers a document for a web page, in-process: the same document limits, rate budget (one point,
/// then the objects of the answer, reserved and settled), schema, loaders and answer cache as
/// `POST /graphql`, with the page's visitor as the actor.
pub async fn answer_in_process(
    state: &AppState,
    mut actor: Actor,
    caller: &Caller,
    request_id: &str,
    request: async_graphql::Request,
) -> Result<Answer, AppError> {
    actor.request_id = Some(request_id.to_string());
    let (_, _, answer) = within_budget(state, caller, request, |request, _| async move {
        match state.answers.as_deref().filter(|_| actor.is_anonymous()) {
            Some(answers) => {
                answers.answer(&state.db, request, |request| respond(state, request, actor, request_id, None)).await
            }
            None => respond(state, request, actor, request_id, None).await,
        }
    })
    .await;
    answer
}

/// Runs the request through the schema and writes its answer; with an idempotency claim, the
/// answer is stored for replays (or the key freed when it says nothing about the data).
async fn respond(
    state: &AppState,
    request: async_graphql::Request,
    actor: Actor,
    request_id: &str,
    claim: Option<i64>,
) -> Result<Answer, AppError> {
    let (loader, batches) = new_loader(state.db.clone(), actor.clone());
    let request = request.data(actor).data(loader);
    let mut response = batches.drive(state.schema.execute(request)).await;
    // Parse, validation and input-coercion errors carry no code of ours: they are the client's input.
    let mut unavailable = false;
    let unreachable = response.errors.iter().any(|e| e.source::<Unreachable>().is_some());
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        match extensions.get("code") {
            None => extensions.set("code", "BAD_USER_INPUT"),
            Some(async_graphql::Value::String(code)) if code == "SERVICE_UNAVAILABLE" => unavailable = true,
            Some(_) => {}
        }
        extensions.set("requestId", request_id);
    }
    let status = if unavailable { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    // Written straight from the response, keeping async-graphql's field order: a detour through
    // `serde_json::Value` rebuilt every object as a sorted map, a third of a large answer's cost.
    let body = serde_json::to_vec(&response).map_err(AppError::internal)?;
    if let Some(id) = claim {
        // An answer that says nothing about the data frees the key for the retry.
        if unavailable {
            idempotency::release(&state.db, id).await?;
        } else {
            let stored: Value = serde_json::from_slice(&body).map_err(AppError::internal)?;
            idempotency::complete(&state.db, id, status.as_u16(), &stored).await?;
        }
    }
    let shareable = status == StatusCode::OK && response.errors.is_empty();
    let objects = objects_in(&response.data).saturating_sub(1); // not the `data` object itself
    Ok(Answer { status, body: body.into(), shareable, unreachable, cached: false, objects })
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let json = HeaderValue::from_static("application/json");
        let mut http = (self.status, [(header::CONTENT_TYPE, json)], self.body).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            http.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_UNAVAILABLE));
        }
        if self.unreachable {
            http.extensions_mut().insert(Unreachable);
        }
        http.extensions_mut().insert(Objects(self.objects));
        http
    }
}

/// Whose idempotency keys a request uses: the same user (subject, organisation and role) across
/// renewed tokens, so that a retry with a fresh token still replays; an API key on its own.
fn idempotency_owner(actor: &Actor) -> String {
    match (&actor.key_scopes, &actor.credential) {
        (Some(_), Some(credential)) => credential.clone(),
        _ => format!(
            "user:{}:{}:{}",
            actor.role_name(),
            actor.organisation_id().unwrap_or_default(),
            actor.subject.as_deref().unwrap_or_default()
        ),
    }
}

/// Adds the `RateLimit-*` headers (IETF draft names) describing the caller's budget.
fn with_quota(mut response: Response, quota: Option<Quota>) -> Response {
    let Some(q) = quota else {
        return response;
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("ratelimit-limit", q.limit.to_string()),
        ("ratelimit-remaining", q.remaining.to_string()),
        ("ratelimit-reset", q.reset_secs.to_string()),
        ("ratelimit-policy", format!("{};w={}", q.limit, q.window_secs)),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    if let Some(retry) = q.retry_after_secs
        && let Ok(value) = HeaderValue::from_str(&retry.to_string())
    {
        headers.insert(header::RETRY_AFTER, value);
    }
    response
}

/// `GET /health`: whether the registry can reach its database.
pub async fn health(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response(),
        Err(e) => {
            tracing::warn!(error.cause = %e, "health check failed");
            let mut response =
                (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable" }))).into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_UNAVAILABLE));
            response
        }
    }
}

/// `GET /livez`: the process is up and serving; it asks nothing of the database, so that an orchestrator does
/// not restart a registry because its database is away (the breaker answers for that meanwhile).
pub async fn livez() -> Response {
    (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response()
}

/// `GET /readyz`: ready to serve traffic: the database answers and has every migration this build
/// expects. Otherwise 503, saying which.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let unready = |reason: String| {
        let mut response =
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "reason": reason })))
                .into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_UNAVAILABLE));
        response
    };
    match crate::db::pending_migrations(&state.db).await {
        Ok(0) => (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response(),
        Ok(n) => unready(format!("{n} migration(s) of this build are not applied to the database")),
        Err(e) => {
            tracing::warn!(error.cause = %e, "readiness check failed");
            unready("the database does not answer".into())
        }
    }
}
