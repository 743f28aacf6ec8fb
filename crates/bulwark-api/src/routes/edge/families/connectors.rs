//! Connectors: E040 Create Connector, E041 Get Connector (by unique name), E097 query;
//! beyond the seed, update and soft delete by unique name. Gateways: E102 query;
//! beyond the seed, create, get, update and soft delete.
//!
//! Creating either mints its credential (an API token with role `connector`) and
//! answers the secret once; deleting either revokes it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::edge::connectors::{CONNECTORS, ConnectorService, GATEWAYS, with_server_time};
use serde_json::{Map, Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deletable;
use crate::auth::Auth;
use crate::dto::edge::connectors::{
    ConnectorDto, ConnectorList, CreateConnectorBody, GatewayDto, GatewayFields, GatewayList,
    UpdateConnectorBody, UpdateGatewayBody,
};
use crate::error::{ApiError, AppJson, AppQuery, parse_uuid};
use crate::routes::edge::crud::{self, ListParams, Patch, check_account, fields};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_connectors, create_connector))
        .routes(routes!(get_connector, update_connector, delete_connector))
        .routes(routes!(query_gateways, create_gateway))
        .routes(routes!(get_gateway, update_gateway, delete_gateway))
}

fn uuid_of(doc: &Map<String, Value>) -> String {
    doc.get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Query connectors
///
/// The account's connectors, filtered by `status`, `tag`, `datasource`; paged.
#[utoipa::path(get, path = "/edge/v1/connectors", operation_id = "QueryConnectors", tag = "access",
    params(ListParams), responses((status = 200, body = ConnectorList), crate::dto::AuthErrors))]
async fn query_connectors(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = st
        .resources
        .query(&p, &CONNECTORS, &q.into())
        .await?
        .into_iter()
        .map(|d| Value::Object(with_server_time(d)))
        .collect();
    Ok(Json(json!({ "connectors": items })))
}

/// Create Connector
///
/// Create a connector. `unique_name` is required and unique within the account (409
/// on a duplicate). The response carries the connector's `access_token` (an API token
/// with role `connector`), shown this once.
#[utoipa::path(post, path = "/edge/v1/connectors", operation_id = "CreateConnector", tag = "access",
    request_body = CreateConnectorBody,
    responses((status = 201, body = ConnectorDto), (status = 409, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn create_connector(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreateConnectorBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    // The deprecated nested object first, so the individual fields win.
    let mut input = match &body.connector {
        Some(c) => fields(c)?,
        None => Map::new(),
    };
    input.extend(fields(&body.fields)?);
    let doc = ConnectorService::new(st.store.clone(), &st.tokens)
        .create_connector(&p, input)
        .await?;
    let uuid = uuid_of(&doc);
    Ok(created(
        uuid,
        StatusCode::CREATED,
        Value::Object(with_server_time(doc)),
    ))
}

/// Get Connector
///
/// Get a connector's details by its unique name.
#[utoipa::path(get, path = "/edge/v1/connectors/{name}", operation_id = "GetConnector", tag = "access",
    params(("name" = String, Path, description = "The connector's unique name")),
    responses((status = 200, body = ConnectorDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_connector(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let doc = st.resources.get_by_key(&p, &CONNECTORS, &name).await?;
    Ok(Json(Value::Object(with_server_time(doc))))
}

/// Update a connector (beyond the seed)
///
/// By unique name; only the fields present change, `attributes_to_delete` resets
/// fields. Renaming to a taken `unique_name` is a 409.
#[utoipa::path(patch, path = "/edge/v1/connectors/{name}", operation_id = "UpdateConnector", tag = "access",
    params(("name" = String, Path, description = "The connector's unique name")),
    request_body = UpdateConnectorBody,
    responses((status = 200, body = ConnectorDto), (status = 404, body = crate::dto::ErrorBody),
        (status = 409, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_connector(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
    AppJson(body): AppJson<UpdateConnectorBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    deletable(
        &body.attributes_to_delete,
        &[
            "config",
            "coordinates",
            "description",
            "desired_releases",
            "external_addr",
            "instances",
            "name",
            "refs",
            "routes",
            "tags",
            "tcp_on_layer_three_vpn",
        ],
    )?;
    p.require(CONNECTORS.write_role)?;
    let current = st.resources.get_by_key(&p, &CONNECTORS, &name).await?;
    let patch = Patch {
        body_uuid: None,
        changes: fields(&body.changes)?,
        attributes_to_delete: &body.attributes_to_delete,
        expected_update_time: None,
    };
    crud::update(&st, &p, &CONNECTORS, &uuid_of(&current), patch).await
}

/// Delete a connector (beyond the seed)
///
/// By unique name: status DELETED, and its access token is revoked.
#[utoipa::path(delete, path = "/edge/v1/connectors/{name}", operation_id = "DeleteConnector", tag = "access",
    params(("name" = String, Path, description = "The connector's unique name")),
    responses((status = 200, body = ConnectorDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn delete_connector(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    p.require(CONNECTORS.write_role)?;
    let current = st.resources.get_by_key(&p, &CONNECTORS, &name).await?;
    let uuid = uuid_of(&current);
    let doc = ConnectorService::new(st.store.clone(), &st.tokens)
        .delete(&p, &CONNECTORS, parse_uuid(&uuid, CONNECTORS.what)?)
        .await?;
    Ok(created(uuid, StatusCode::OK, Value::Object(doc)))
}

/// Query gateways
///
/// The account's gateways, filtered by `status`, `tag`, `datasource`; paged.
#[utoipa::path(get, path = "/edge/v1/gateways", operation_id = "QueryGateways", tag = "access",
    params(ListParams), responses((status = 200, body = GatewayList), crate::dto::AuthErrors))]
async fn query_gateways(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    crud::query(&st, &p, &GATEWAYS, "gateways", q).await
}

/// Create a gateway (beyond the seed)
///
/// `name` is required and unique within the account (409 on a duplicate). The
/// response carries the gateway's `key` and `secret` (an API token with role
/// `connector`), the secret shown this once.
#[utoipa::path(post, path = "/edge/v1/gateways", operation_id = "CreateGateway", tag = "access",
    request_body = GatewayFields,
    responses((status = 201, body = GatewayDto), (status = 409, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn create_gateway(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<GatewayFields>,
) -> Result<Response, ApiError> {
    let doc = ConnectorService::new(st.store.clone(), &st.tokens)
        .create_gateway(&p, fields(&body)?)
        .await?;
    Ok(created(
        uuid_of(&doc),
        StatusCode::CREATED,
        Value::Object(doc),
    ))
}

/// Get a gateway (beyond the seed)
#[utoipa::path(get, path = "/edge/v1/gateways/{uuid}", operation_id = "GetGateway", tag = "access",
    params(("uuid" = String, Path, description = "The gateway uuid")),
    responses((status = 200, body = GatewayDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_gateway(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    crud::get(&st, &p, &GATEWAYS, &uuid).await
}

/// Update a gateway (beyond the seed)
///
/// Only the fields present change; `attributes_to_delete` resets fields.
#[utoipa::path(patch, path = "/edge/v1/gateways/{uuid}", operation_id = "UpdateGateway", tag = "access",
    params(("uuid" = String, Path, description = "The gateway uuid")),
    request_body = UpdateGatewayBody,
    responses((status = 200, body = GatewayDto), (status = 404, body = crate::dto::ErrorBody),
        (status = 409, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_gateway(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateGatewayBody>,
) -> Result<Response, ApiError> {
    deletable(
        &body.attributes_to_delete,
        &[
            "admin_region",
            "az",
            "canary_display_name",
            "canary_vip",
            "display_name",
            "is_in_sync",
            "latitude",
            "longitude",
            "provider",
            "region",
            "vip",
        ],
    )?;
    let patch = Patch {
        body_uuid: None,
        changes: fields(&body.changes)?,
        attributes_to_delete: &body.attributes_to_delete,
        expected_update_time: None,
    };
    crud::update(&st, &p, &GATEWAYS, &uuid, patch).await
}

/// Delete a gateway (beyond the seed)
///
/// Status DELETED, and its credential is revoked.
#[utoipa::path(delete, path = "/edge/v1/gateways/{uuid}", operation_id = "DeleteGateway", tag = "access",
    params(("uuid" = String, Path, description = "The gateway uuid")),
    responses((status = 200, body = GatewayDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn delete_gateway(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let doc = ConnectorService::new(st.store.clone(), &st.tokens)
        .delete(&p, &GATEWAYS, parse_uuid(&uuid, GATEWAYS.what)?)
        .await?;
    Ok(created(uuid, StatusCode::OK, Value::Object(doc)))
}
