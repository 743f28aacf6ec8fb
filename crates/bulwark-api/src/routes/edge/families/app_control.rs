//! App control policies: E016 query, E017 get, E018 update, E019 add; beyond the seed,
//! soft delete. Each event action is enforced by a child policy (type APP_CONTROL)
//! that the server keeps in step; see `bulwark_core::edge::app_control`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::edge::app_control::{APP_CONTROL_POLICIES, AppControlService};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deletable;
use crate::auth::Auth;
use crate::dto::edge::app_control::{
    AppControlPolicyDto, AppControlPolicyFields, AppControlPolicyList, UpdateAppControlPolicyBody,
};
use crate::error::{ApiError, AppJson, AppQuery, parse_uuid};
use crate::routes::edge::crud::{self, ListParams, check_account, fields};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_app_control_policies, add_app_control_policy))
        .routes(routes!(
            get_app_control_policy,
            update_app_control_policy,
            delete_app_control_policy
        ))
}

/// Query App Control Policies for an account
///
/// Filtered by `status` (comma separated INIT, ACTIVE, SUSPENDED, DELETED), and beyond
/// the seed by `tag` and `datasource`; paged.
#[utoipa::path(get, path = "/edge/v1/app-control-policies", operation_id = "QueryAppControlPolicies",
    tag = "access", params(ListParams),
    responses((status = 200, body = AppControlPolicyList), crate::dto::AuthErrors))]
async fn query_app_control_policies(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    crud::query(&st, &p, &APP_CONTROL_POLICIES, "app_control_policies", q).await
}

/// Get details about an app control policy.
#[utoipa::path(get, path = "/edge/v1/app-control-policies/{uuid}", operation_id = "GetAppControlPolicy",
    tag = "access", params(("uuid" = String, Path, description = "app control policy uuid")),
    responses((status = 200, body = AppControlPolicyDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_app_control_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    crud::get(&st, &p, &APP_CONTROL_POLICIES, &uuid).await
}

fn response(doc: serde_json::Map<String, Value>, status: StatusCode) -> Response {
    let uuid = doc
        .get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    created(uuid, status, Value::Object(doc))
}

/// Add App Control Policy
///
/// Manage COPY (1), PASTE (2), UPLOAD (3), DOWNLOAD (4) and PRINT (5) events for the
/// apps and sessions the filters select: each entry of `policy_event_actions` (action
/// 1 ALLOW, 2 BLOCK, 102 REQUIRE_JUSTIFICATION, 400 ALERT; each event type once)
/// becomes a child policy of type 4 APP_CONTROL, named in `child_policy_uuids` and the
/// entry's `policy_uuid`. `status` on creation: INIT or ACTIVE.
#[utoipa::path(post, path = "/edge/v1/app-control-policies", operation_id = "AddAppControlPolicy",
    tag = "access", request_body = AppControlPolicyFields,
    responses((status = 201, body = AppControlPolicyDto), crate::dto::AuthErrors))]
async fn add_app_control_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<AppControlPolicyFields>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let doc = AppControlService::new(st.store.clone())
        .create(&p, fields(&body)?)
        .await?;
    Ok(response(doc, StatusCode::CREATED))
}

/// Update app control policy
///
/// Only the fields present change; the child policies follow (created, updated or
/// deleted with the event actions, and given the new filters and status).
#[utoipa::path(patch, path = "/edge/v1/app-control-policies/{uuid}", operation_id = "UpdateAppControlPolicy",
    tag = "access", params(("uuid" = String, Path, description = "app control policy uuid")),
    request_body = UpdateAppControlPolicyBody,
    responses((status = 200, body = AppControlPolicyDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn update_app_control_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateAppControlPolicyBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.changes.account_name.as_deref())?;
    crud::check_body_uuid(body.uuid.as_deref(), &uuid)?;
    deletable(
        &body.attributes_to_delete,
        &[
            "app_filter",
            "description",
            "policy_event_actions",
            "session_filter",
        ],
    )?;
    let id = parse_uuid(&uuid, APP_CONTROL_POLICIES.what)?;
    let doc = AppControlService::new(st.store.clone())
        .update(&p, id, fields(&body.changes)?, &body.attributes_to_delete)
        .await?;
    Ok(response(doc, StatusCode::OK))
}

/// Delete an app control policy (beyond the seed)
///
/// Status DELETED, for the policy and its child policies.
#[utoipa::path(delete, path = "/edge/v1/app-control-policies/{uuid}", operation_id = "DeleteAppControlPolicy",
    tag = "access", params(("uuid" = String, Path, description = "app control policy uuid")),
    responses((status = 200, body = AppControlPolicyDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn delete_app_control_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, APP_CONTROL_POLICIES.what)?;
    let doc = AppControlService::new(st.store.clone())
        .delete(&p, id)
        .await?;
    Ok(response(doc, StatusCode::OK))
}
