//! Access rules (E001-E004) and policies (E066-E069), plus soft delete. The two
//! "Query" operations evaluate: they answer which rules apply to a user on an app.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::access::{ACCESSES, POLICIES};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::crud::{self, Patch, check_account, fields};
use crate::auth::Auth;
use crate::dto::identity::{
    AccessDto, AccessQueryResult, PolicyDto, PolicyList, UpdateAccessBody, UpdatePolicyBody,
};
use crate::error::{ApiError, AppJson, AppQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_accesses, create_access))
        .routes(routes!(get_access, update_access, delete_access))
        .routes(routes!(query_policies, create_policy))
        .routes(routes!(get_policy, update_policy, delete_policy))
}

crate::edge_crud! {
    kind: ACCESSES, dto: AccessDto, tag: "access",
    get: (get_access, "/edge/v1/accesses/{uuid}", "GetAccess", "Get the access details."),
    delete: (delete_access, "DeleteAccess", "Delete an access (beyond the seed: status DELETED)")
}

crate::edge_crud! {
    kind: POLICIES, dto: PolicyDto, tag: "access",
    get: (get_policy, "/edge/v1/policies/{uuid}", "GetPolicy", "Get the policy details."),
    delete: (delete_policy, "DeletePolicy", "Delete a policy (beyond the seed: status DELETED)")
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessParams {
    /// Get the access rules that apply to this app id.
    appid: String,
    /// Get the access rules that apply to this user id.
    userid: String,
}

/// Query access objects
///
/// Query access objects that match specified conditions: the accesses that grant the
/// user (directly, through nested groups or tags, minus revocations, within their time
/// window) the app (by uuid, tag or ref), and the apps, groups and users they name.
#[utoipa::path(get, path = "/edge/v1/accesses", operation_id = "QueryAccessObjects", tag = "access",
    params(AccessParams), responses((status = 200, body = AccessQueryResult), crate::dto::AuthErrors))]
async fn query_accesses(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<AccessParams>,
) -> Result<Json<Value>, ApiError> {
    let a = st.access.accesses_for(&p, &q.appid, &q.userid).await?;
    Ok(Json(
        json!({ "accesses": a.accesses, "apps": a.apps, "groups": a.groups, "users": a.users }),
    ))
}

/// Create a Access
#[utoipa::path(post, path = "/edge/v1/accesses", operation_id = "CreateAccess", tag = "access",
    request_body = AccessDto, responses((status = 201, body = AccessDto), crate::dto::AuthErrors))]
async fn create_access(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<AccessDto>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    crud::create(&st, &p, &ACCESSES, fields(&body)?, StatusCode::CREATED).await
}

/// Update a access.
#[utoipa::path(patch, path = "/edge/v1/accesses/{uuid}", operation_id = "UpdateAccess", tag = "access",
    params(("uuid" = String, Path, description = "The access uuid")),
    request_body = UpdateAccessBody,
    responses((status = 200, body = AccessDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_access(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateAccessBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let patch = Patch {
        body_uuid: body.uuid.as_deref(),
        changes: fields(&body.access.unwrap_or_default())?,
        attributes_to_delete: &body.attributes_to_delete,
        expected_update_time: None,
    };
    crud::update(&st, &p, &ACCESSES, &uuid, patch).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PolicyParams {
    /// Get the policies that apply to this app id (with `userid`). Without both,
    /// beyond the seed, every policy of the account is listed.
    appid: Option<String>,
    /// Get the policies that apply to this user id.
    userid: Option<String>,
    /// Whether or not to resolve display names (`true`/`false`).
    #[serde(rename = "resolveDisplayNames")]
    resolve_display_names: Option<String>,
    /// Beyond the seed, when listing: comma separated status filter.
    status: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Query policies
///
/// Query policies that match specified conditions: the policies whose session filter
/// matches the user and whose app filter matches the app, in evaluation order (smaller
/// priority first). `resolveDisplayNames=true` fills `filter_selector_display_names`.
#[utoipa::path(get, path = "/edge/v1/policies", operation_id = "QueryPolicies", tag = "access",
    params(PolicyParams), responses((status = 200, body = PolicyList), crate::dto::AuthErrors))]
async fn query_policies(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<PolicyParams>,
) -> Result<Json<Value>, ApiError> {
    let resolve = match q
        .resolve_display_names
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("" | "false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "`resolveDisplayNames` must be true or false, got `{other}`"
            )));
        }
    };
    let policies = match (q.appid.as_deref(), q.userid.as_deref()) {
        (Some(app), Some(user)) => st.access.policies_for(&p, app, user, resolve).await?,
        (None, None) => {
            let list = bulwark_core::resources::Query {
                status: q.status,
                limit: q.limit,
                offset: q.offset,
                ..Default::default()
            };
            st.resources.query(&p, &POLICIES, &list).await?
        }
        _ => {
            return Err(ApiError::BadRequest(
                "`appid` and `userid` go together".into(),
            ));
        }
    };
    Ok(Json(json!({ "policies": policies })))
}

/// Create a Policy
#[utoipa::path(post, path = "/edge/v1/policies", operation_id = "CreatePolicy", tag = "access",
    request_body = PolicyDto, responses((status = 201, body = PolicyDto), crate::dto::AuthErrors))]
async fn create_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<PolicyDto>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    crud::create(&st, &p, &POLICIES, fields(&body)?, StatusCode::CREATED).await
}

/// Update a policy.
///
/// `expected_update_time` is an optimistic-concurrency check: a stale write gets 409.
#[utoipa::path(patch, path = "/edge/v1/policies/{uuid}", operation_id = "UpdatePolicy", tag = "access",
    params(("uuid" = String, Path, description = "The policy uuid")),
    request_body = UpdatePolicyBody,
    responses((status = 200, body = PolicyDto), (status = 404, body = crate::dto::ErrorBody), (status = 409, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdatePolicyBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let patch = Patch {
        body_uuid: body.uuid.as_deref(),
        changes: fields(&body.policy.unwrap_or_default())?,
        attributes_to_delete: &body.attributes_to_delete,
        expected_update_time: body.expected_update_time,
    };
    crud::update(&st, &p, &POLICIES, &uuid, patch).await
}
