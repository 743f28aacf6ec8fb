//! E023 Query Audit Events, E024 Get the audit event details.

use axum::Json;
use axum::extract::{Path, State};
use bulwark_core::model::AuditQuery;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::dto::audit::{AuditEventDto, AuditEventList};
use crate::error::{ApiError, AppQuery, parse_uuid};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_audit_events))
        .routes(routes!(get_audit_event))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Start time of audit events (epoch ms, inclusive).
    start_time: String,
    /// End time of audit events (epoch ms, exclusive); defaults to now.
    end_time: Option<String>,
    /// Beyond the seed: page size, 1-1000 (default 100), newest first.
    limit: Option<i64>,
    /// Beyond the seed: events to skip.
    offset: Option<i64>,
}

fn millis(name: &str, v: &str) -> Result<i64, ApiError> {
    v.trim().parse::<i64>().map_err(|_| {
        ApiError::BadRequest(format!(
            "`{name}` must be milliseconds since the epoch, got `{v}`"
        ))
    })
}

/// Query Audit Events
///
/// Every mutating request of every API is recorded: who, what, which object, when and
/// from which address.
#[utoipa::path(get, path = "/edge/v1/audit-events", operation_id = "QueryAuditEvents", tag = "data",
    params(AuditParams),
    responses((status = 200, body = AuditEventList), crate::dto::AuthErrors))]
async fn query_audit_events(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<AuditParams>,
) -> Result<Json<AuditEventList>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::BadRequest(
            "`limit` must be between 1 and 1000".into(),
        ));
    }
    let query = AuditQuery {
        start_time: millis("start_time", &q.start_time)?,
        end_time: q
            .end_time
            .as_deref()
            .map(|e| millis("end_time", e))
            .transpose()?,
        limit,
        offset: q.offset.unwrap_or(0).max(0),
    };
    let events = st.audit.query(&p, query).await?;
    Ok(Json(AuditEventList {
        audit_events: events.into_iter().map(AuditEventDto::from).collect(),
    }))
}

/// Get the audit event details.
#[utoipa::path(get, path = "/edge/v1/audit-events/{uuid}", operation_id = "GetAuditEvent", tag = "data",
    params(("uuid" = String, Path, description = "The audit event uuid")),
    responses((status = 200, body = AuditEventDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn get_audit_event(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Json<AuditEventDto>, ApiError> {
    let event = st.audit.get(&p, parse_uuid(&uuid, "audit event")?).await?;
    Ok(Json(event.into()))
}
