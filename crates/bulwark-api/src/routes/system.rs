//! Operational endpoints: health, metrics, and who the caller is.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bulwark_core::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(metrics))
        .routes(routes!(whoami))
}

/// Health of the server and its database.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    pub database: String,
}

/// Health check
///
/// 200 when the database answers, 503 otherwise. No credentials needed.
#[utoipa::path(get, path = "/healthz", operation_id = "Healthz", tag = "system", security(()),
    responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn healthz(State(st): State<AppState>) -> Response {
    match st.store.ping().await {
        Ok(()) => Json(Health {
            status: "ok".into(),
            database: "ok".into(),
        })
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "degraded".into(),
                    database: "unavailable".into(),
                }),
            )
                .into_response()
        }
    }
}

/// Prometheus metrics
///
/// Request counts and latencies by route, job outcomes. No credentials needed; bind
/// the server to a private address or filter `/metrics` at the proxy if that matters.
#[utoipa::path(get, path = "/metrics", operation_id = "Metrics", tag = "system", security(()),
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain")))]
async fn metrics() -> Response {
    let body = crate::telemetry::render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// The authenticated caller.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WhoAmI {
    pub account_name: String,
    pub account_uuid: String,
    pub role: Role,
    pub role_name: String,
    /// `api_key` or `jwt`.
    pub auth_type: String,
    pub credential_uuid: String,
    pub user_uuid: String,
}

/// Who am I
///
/// The account, role and credential of the caller.
#[utoipa::path(get, path = "/bulwark/v1/whoami", operation_id = "WhoAmI", tag = "system",
    responses((status = 200, body = WhoAmI), crate::dto::AuthErrors))]
async fn whoami(Auth(p): Auth) -> Result<Json<WhoAmI>, ApiError> {
    Ok(Json(WhoAmI {
        account_name: p.account_name,
        account_uuid: p.account_id.to_string(),
        role: p.role,
        role_name: p.role.name().into(),
        auth_type: p.auth_type.as_str().into(),
        credential_uuid: p.credential_uuid.to_string(),
        user_uuid: p.user_uuid,
    }))
}
