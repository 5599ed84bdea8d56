//! The HTTP edge: the GraphQL endpoint (POST), GraphiQL (GET), health, and error responses.

use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Json;
use axum::extract::{FromRef, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::auth::{Actor, ActorOrganisation, BearerClaims, Claims, JwtKeys};
use crate::error::AppError;
use crate::graphql::RegistrySchema;
use crate::graphql::loaders::new_loader;
use crate::metrics::Metrics;
use crate::service::organisation as org_service;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub schema: RegistrySchema,
    pub db: DatabaseConnection,
    pub keys: Arc<JwtKeys>,
    pub metrics: Arc<Metrics>,
}

impl FromRef<AppState> for Arc<JwtKeys> {
    fn from_ref(state: &AppState) -> Self {
        state.keys.clone()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadUserInput { .. } => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::ServiceUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let error = self.to_graphql();
        let body = json!({ "data": null, "errors": [{ "message": error.message, "extensions": error.extensions }] });
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

/// Turns verified claims into the actor, checking the organisation still exists and fits the role.
async fn resolve_actor(db: &DatabaseConnection, claims: Option<Claims>) -> Result<Actor, AppError> {
    let Some(claims) = claims else {
        return Ok(Actor::anonymous());
    };
    let organisation = match &claims.org {
        Some(slug) => {
            let org = org_service::by_slug(db, slug).await?.ok_or_else(|| {
                AppError::Unauthenticated("the token names an organisation that is not in the registry".into())
            })?;
            Some(ActorOrganisation { id: org.id, kind: org.kind })
        }
        None => None,
    };
    let permitted = claims.role.permitted_organisation_kind();
    let fits = match organisation {
        Some(org) => org.kind == permitted,
        None => claims.role.required_organisation_kind().is_none(),
    };
    if !fits {
        return Err(AppError::Unauthenticated(format!(
            "a {} token must name an organisation of kind {:?}",
            claims.role.as_str(),
            permitted
        )));
    }
    Ok(Actor { subject: Some(claims.sub), role: Some(claims.role), organisation })
}

/// `POST /graphql`: runs one GraphQL request as the token's actor.
pub async fn graphql(
    State(state): State<AppState>,
    claims: Result<BearerClaims, AppError>,
    request: GraphQLRequest,
) -> Result<GraphQLResponse, AppError> {
    state.metrics.graphql_request();
    let actor = resolve_actor(&state.db, claims?.0).await?;
    let request = request.into_inner().data(actor.clone()).data(new_loader(state.db.clone(), actor));
    let mut response = state.schema.execute(request).await;
    // Parse, validation and input-coercion errors carry no code of ours: they are the client's input.
    for error in &mut response.errors {
        let has_code = error.extensions.as_ref().is_some_and(|e| e.get("code").is_some());
        if !has_code {
            error.extensions.get_or_insert_with(Default::default).set("code", "BAD_USER_INPUT");
        }
    }
    Ok(response.into())
}

/// `GET /graphql`: the GraphiQL IDE.
pub async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").title("Proposition registry").finish())
}

/// `GET /metrics`: the process counters in the Prometheus text format.
pub async fn metrics_text(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

/// `GET /health`: whether the registry can reach its database.
pub async fn health(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response(),
        Err(e) => {
            tracing::warn!(error.cause = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable" }))).into_response()
        }
    }
}
