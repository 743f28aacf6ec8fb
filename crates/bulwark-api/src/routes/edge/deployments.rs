//! Connector deployments: E051 Check where a connector should be deployed, E050
//! Initiate deployment of a connector, E022 Deploy an app; beyond the seed, recorded
//! deployments are listed, read and soft-deleted. The option logic lives in
//! `bulwark_core::edge::deployments`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::edge::deployments::{DEPLOYMENTS, DeploymentService, Initiate};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::crud::{check_account, fields};
use super::tokens::created;
use crate::auth::Auth;
use crate::dto::edge::devices::{
    DeployAppBody, DeployAppResponse, DeploymentDto, DeploymentList, DeploymentOptions,
    InitiateDeploymentBody, InitiateDeploymentResponse,
};
use crate::error::{ApiError, AppJson, AppQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_deployments, initiate_deployment))
        .routes(routes!(deployment_options))
        .routes(routes!(get_deployment, delete_deployment))
        .routes(routes!(deploy_app))
}

crate::edge_crud! {
    kind: DEPLOYMENTS, dto: DeploymentDto, tag: "access", list_key: "deployments",
    list_dto: DeploymentList,
    query: (query_deployments, "/edge/v1/deployments", "QueryDeployments",
        "Query recorded connector deployments (beyond the seed)"),
    get: (get_deployment, "/edge/v1/deployments/{uuid}", "GetDeployment",
        "Get a recorded connector deployment (beyond the seed)"),
    delete: (delete_deployment, "DeleteDeployment",
        "Delete a recorded deployment (beyond the seed: status DELETED; its connector stays)")
}

/// The app to reach.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct OptionsParams {
    /// The app's uuid (required).
    app_uuid: Option<String>,
}

/// Check where a connector should be deployed to get access to a given app.
///
/// Options, from the app's `host`: existing connectors that already reach it (bound,
/// a layer-3 route containing its IP, or a matching host pattern); when the host is an
/// IP, each inventory network (Azure VNet subnet or address space, GCP subnetwork, AWS
/// VPC CIDR) containing it; otherwise one generic option with `entity_id` "".
/// 409 when the app is deleted or has no host.
#[utoipa::path(get, path = "/edge/v1/deployments/options", operation_id = "GetDeploymentConnectorOptions",
    tag = "access", params(OptionsParams),
    responses((status = 200, body = DeploymentOptions), (status = 404, body = crate::dto::ErrorBody),
        (status = 409, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn deployment_options(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<OptionsParams>,
) -> Result<Json<Value>, ApiError> {
    let (_, _, options) = DeploymentService::new(st.store.clone())
        .options(&p, q.app_uuid.as_deref().unwrap_or(""))
        .await?;
    let options: Vec<Value> = options.iter().map(|o| o.wire()).collect();
    Ok(Json(json!({ "options": options })))
}

/// Initiate deployment of a connector
///
/// Initiate deployment of a connector to one of the options returned by
/// GetDeploymentConnectorOptions, named by `entity_id` (and `subnet`). An existing
/// connector is bound to the app (`completed: true`); otherwise a connector is created
/// (status INIT, the option's provider and region, a route to the matched subnet or the
/// app's host; its `access_token` is shown only here) and bound to the app. The choice
/// is recorded as a deployment (see `resource_urls`). `accesses` and `policies` are
/// empty: none are created.
#[utoipa::path(post, path = "/edge/v1/deployments", operation_id = "InitiateDeployment",
    tag = "access", request_body = InitiateDeploymentBody,
    responses((status = 200, body = InitiateDeploymentResponse), (status = 404, body = crate::dto::ErrorBody),
        (status = 409, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn initiate_deployment(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<InitiateDeploymentBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let req = Initiate {
        app_uuid: body.app_uuid.unwrap_or_default(),
        entity_id: body.entity_id.unwrap_or_default(),
        subnet: body.subnet,
        connector_unique_name: body.connector_unique_name,
    };
    let (uuid, resp) = DeploymentService::new(st.store.clone())
        .initiate(&p, &st.tokens, req)
        .await?;
    Ok(created(uuid, StatusCode::OK, Value::Object(resp)))
}

/// Deploy an app.
///
/// Deploy a new app: created like Create an app; when `app.connector_unique_name`
/// names a connector of the account (400 otherwise), that connector gains a route to
/// the app's `host` (layer 3 for an IP, layer 7 for http/https, layer 4 otherwise).
#[utoipa::path(post, path = "/edge/v1/apps/deploy", operation_id = "DeployApp", tag = "access",
    request_body = DeployAppBody,
    responses((status = 200, body = DeployAppResponse), crate::dto::AuthErrors))]
async fn deploy_app(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<DeployAppBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let app = body
        .app
        .ok_or_else(|| ApiError::BadRequest("`app` is required".into()))?;
    let doc = DeploymentService::new(st.store.clone())
        .deploy_app(&p, fields(&app)?)
        .await?;
    let uuid = doc
        .get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok(created(uuid, StatusCode::OK, json!({ "app": doc })))
}
