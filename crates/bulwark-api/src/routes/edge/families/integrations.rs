//! 3rd-party integrations: E061 add, E062 query, E063 update, E064 validate; beyond
//! the seed, get, soft delete and a manual sync (`POST .../{uuid}/sync`). Credentials
//! are sealed and the provider calls made by `bulwark_core::integrations`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::DomainError;
use bulwark_core::integrations::{IntegrationService, Validation};
use bulwark_core::resources::Query;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::dto::edge::integrations::{
    CreateIntegrationBody, IntegrationDto, IntegrationList, IntegrationParams, SyncJobDto,
    UpdateIntegrationBody, ValidateIntegrationBody,
};
use crate::error::{ApiError, AppJson, AppQuery, parse_uuid};
use crate::routes::edge::crud::{check_account, check_body_uuid, fields, respond};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_integrations, add_integration))
        .routes(routes!(validate_integration))
        .routes(routes!(
            get_integration,
            update_integration,
            delete_integration
        ))
        .routes(routes!(sync_integration))
}

fn service(st: &AppState) -> Result<&IntegrationService, ApiError> {
    st.integrations.as_deref().ok_or_else(|| {
        ApiError::Domain(DomainError::Internal(
            "integrations are not configured".into(),
        ))
    })
}

/// Query Integrations added for an account
///
/// Filtered by the seed's `data_source` and, like the other families, `status`,
/// `tag`, `datasource`; paged. Credentials are never included.
#[utoipa::path(get, path = "/edge/v1/integrations", operation_id = "QueryIntegrations",
    tag = "identity", params(IntegrationParams),
    responses((status = 200, body = IntegrationList), crate::dto::AuthErrors))]
async fn query_integrations(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<IntegrationParams>,
) -> Result<Json<Value>, ApiError> {
    let datasource = [q.data_source, q.datasource]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(",");
    let query = Query {
        status: q.status,
        tag: q.tag,
        datasource: Some(datasource),
        limit: q.limit,
        offset: q.offset,
    };
    let items = service(&st)?.query(&p, query).await?;
    Ok(Json(json!({ "integrations": items })))
}

/// Add 3rd Party Integration
///
/// Add 3rd Party Integration like Okta, GSUITE etc for an account. The credentials
/// are encrypted at rest and never returned.
#[utoipa::path(post, path = "/edge/v1/integrations", operation_id = "AddIntegration",
    tag = "identity", request_body = CreateIntegrationBody,
    responses((status = 201, body = IntegrationDto), crate::dto::AuthErrors))]
async fn add_integration(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(mut body): AppJson<CreateIntegrationBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let credentials = body.credentials.take().unwrap_or_default();
    let validate = body.validate_credentials.take().unwrap_or(false);
    let doc = service(&st)?
        .create(&p, fields(&body)?, credentials, validate)
        .await?;
    Ok(respond(doc, StatusCode::CREATED))
}

/// Get an integration (beyond the seed)
#[utoipa::path(get, path = "/edge/v1/integrations/{uuid}", operation_id = "GetIntegration",
    tag = "identity", params(("uuid" = String, Path, description = "integration uuid")),
    responses((status = 200, body = IntegrationDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_integration(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_uuid(&uuid, "integration")?;
    Ok(Json(Value::Object(service(&st)?.get(&p, id).await?)))
}

/// Update integration.
///
/// Update integration. Credential fields given replace the stored ones, the others
/// are kept (so one secret can be rotated alone).
#[utoipa::path(patch, path = "/edge/v1/integrations/{uuid}", operation_id = "UpdateIntegration",
    tag = "identity", params(("uuid" = String, Path, description = "integration uuid")),
    request_body = UpdateIntegrationBody,
    responses((status = 200, body = IntegrationDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn update_integration(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(mut body): AppJson<UpdateIntegrationBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    check_body_uuid(body.uuid.as_deref(), &uuid)?;
    if let Some(s) = body.status.filter(|s| !(1..=3).contains(s)) {
        return Err(ApiError::BadRequest(format!(
            "invalid `status` {s}: expected 1 INIT, 2 ACTIVE or 3 SUSPENDED (DELETE removes)"
        )));
    }
    let id = parse_uuid(&uuid, "integration")?;
    let credentials = body.credentials.take();
    body.uuid = None;
    body.account_name = None;
    let doc = service(&st)?
        .update(&p, id, fields(&body)?, credentials)
        .await?;
    Ok(respond(doc, StatusCode::OK))
}

/// Delete an integration (beyond the seed: status DELETED; no more syncs)
#[utoipa::path(delete, path = "/edge/v1/integrations/{uuid}", operation_id = "DeleteIntegration",
    tag = "identity", params(("uuid" = String, Path, description = "integration uuid")),
    responses((status = 200, body = IntegrationDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn delete_integration(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, "integration")?;
    Ok(respond(service(&st)?.delete(&p, id).await?, StatusCode::OK))
}

/// Validate integration credentials
///
/// Check if integration credentials can be used to access logs and
/// files/folder/permissions. Calls the provider with the stored credentials:
/// `status` is `SUCCESS` or `FAILED` with the reason in `error_message`.
#[utoipa::path(post, path = "/edge/v1/integrations/validate", operation_id = "ValidateIntegration",
    tag = "identity", request_body = ValidateIntegrationBody,
    responses((status = 201, body = Validation), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn validate_integration(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<ValidateIntegrationBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let uuid = body
        .uuid
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::BadRequest("`uuid` is required".into()))?;
    let id = parse_uuid(&uuid, "integration")?;
    let v = service(&st)?.validate(&p, id).await?;
    Ok(created(uuid, StatusCode::CREATED, v))
}

/// Sync an integration now (beyond the seed)
///
/// Queues an `integration.sync` job reading the provider's users, groups and
/// memberships into the account; answers the job to follow.
#[utoipa::path(post, path = "/edge/v1/integrations/{uuid}/sync", operation_id = "SyncIntegration",
    tag = "identity", params(("uuid" = String, Path, description = "integration uuid")),
    responses((status = 202, body = SyncJobDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn sync_integration(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, "integration")?;
    let job = service(&st)?.trigger_sync(&p, id).await?;
    let body = SyncJobDto {
        job_id: job.id.to_string(),
        state: job.state.as_str().to_string(),
    };
    Ok(created(uuid, StatusCode::ACCEPTED, body))
}
