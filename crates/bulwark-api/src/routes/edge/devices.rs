//! Devices: E053 Register Device, E054 Get the user's device, E086 Get the user's
//! devices, E052 Delete Devices; beyond the seed, list every device and soft-delete
//! one. Rules (certificate verification, ownership) live in
//! `bulwark_core::edge::devices`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::edge::devices::{DeviceService, Registration};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::crud::{ListParams, check_account, fields, respond};
use super::tokens::created;
use crate::auth::Auth;
use crate::dto::edge::devices::{
    DeleteDevicesBody, DeviceDto, DeviceList, RegisterDeviceBody, UserDeviceList,
};
use crate::error::{ApiError, AppJson, AppQuery, parse_uuid};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_devices, register_device))
        .routes(routes!(delete_devices))
        .routes(routes!(get_user_device, delete_device))
        .routes(routes!(get_user_devices))
}

fn map_of<T: serde::Serialize>(v: Option<&T>) -> Result<Map<String, Value>, ApiError> {
    v.map(fields).transpose().map(Option::unwrap_or_default)
}

/// Register Device
///
/// Registers a device of `device.user_uuid` (a user of the account; end users only
/// their own, others need `admin`) with its posture and properties. `signature`
/// (`proto.CertificateVerify`) must prove possession of the key of `certificate`
/// (DER: the seed's byte array, or base64), an end-entity certificate valid now
/// (keyUsage digitalSignature and extendedKeyUsage clientAuth when present) issued by
/// an active CA certificate of the account of purpose 1 CLIENT_AUTHENTICATION or
/// 2 ENDPOINT. `signature.signature` is over exactly these bytes: the ASCII
/// `bulwark-edge-device-registration-v1`, then for each of `account_name` (the
/// caller's), `device.user_uuid`, `device_uuid` ("" on first registration),
/// `time_id.create_time` (decimal epoch ms) and `time_id.salt`, a NUL byte and the
/// field's UTF-8. `algorithm`: `ecdsa_secp256r1_sha256`, `ecdsa_secp384r1_sha384`
/// (ASN.1 DER signatures), `ed25519`, `rsa_pkcs1_sha256`, `rsa_pss_rsae_sha256`.
/// `time_id.create_time` must be within 5 minutes of the server's clock and
/// `time_id.salt` 16-256 characters. A certificate registers one live device (409
/// otherwise); sending `device_uuid` re-registers that device (same certificate,
/// newer `time_id`) and answers 200. `ca_cert`, `encrypted_ca_key` and
/// `device.private_key_encrypted` are refused. Every failed check is a 400 naming it.
#[utoipa::path(post, path = "/edge/v1/devices", operation_id = "RegisterDevice", tag = "access",
    request_body = RegisterDeviceBody,
    responses((status = 201, body = DeviceDto), (status = 200, body = DeviceDto),
        (status = 409, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn register_device(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<RegisterDeviceBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let device = body
        .device
        .as_ref()
        .ok_or_else(|| ApiError::BadRequest("`device` is required".into()))?;
    let signature = body.signature.as_ref().ok_or_else(|| {
        ApiError::BadRequest("`signature` (CertificateVerify) is required".into())
    })?;
    let reg = Registration {
        device: fields(device)?,
        device_uuid: body.device_uuid.clone().filter(|u| !u.is_empty()),
        signature: fields(signature)?,
        time_id: map_of(body.time_id.as_ref())?,
        ca_cert: body.ca_cert.clone(),
        encrypted_ca_key: body.encrypted_ca_key.clone(),
    };
    let (doc, new) = DeviceService::new(st.store.clone())
        .register(&p, reg)
        .await?;
    Ok(respond(
        doc,
        if new {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
    ))
}

/// Query devices (beyond the seed)
///
/// Every device of the account (`read_only` and up; end users see their own),
/// filtered by `status`, `tag`, `datasource`; paged by `limit`/`offset`.
#[utoipa::path(get, path = "/edge/v1/devices", operation_id = "QueryDevices", tag = "access",
    params(ListParams),
    responses((status = 200, body = DeviceList), crate::dto::AuthErrors))]
async fn query_devices(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let items = DeviceService::new(st.store.clone())
        .list(&p, &q.into())
        .await?;
    Ok(Json(json!({ "devices": items })))
}

/// The user a device must belong to.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct UserParam {
    /// The device's user (required).
    user_uuid: Option<String>,
}

/// Get the user's device
///
/// The device, which must belong to `user_uuid` (404 otherwise).
#[utoipa::path(get, path = "/edge/v1/devices/{uuid}", operation_id = "GetUserDevice", tag = "access",
    params(("uuid" = String, Path, description = "The device uuid"), UserParam),
    responses((status = 200, body = DeviceDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_user_device(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppQuery(q): AppQuery<UserParam>,
) -> Result<Json<Value>, ApiError> {
    let user = q
        .user_uuid
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::BadRequest("query parameter `user_uuid` is required".into()))?;
    let doc = DeviceService::new(st.store.clone())
        .get(&p, parse_uuid(&uuid, "device")?, &user)
        .await?;
    Ok(Json(Value::Object(doc)))
}

/// Delete a device (beyond the seed)
///
/// Soft delete: status DELETED.
#[utoipa::path(delete, path = "/edge/v1/devices/{uuid}", operation_id = "DeleteDevice", tag = "access",
    params(("uuid" = String, Path, description = "The device uuid")),
    responses((status = 200, body = DeviceDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn delete_device(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let doc = DeviceService::new(st.store.clone())
        .delete(&p, parse_uuid(&uuid, "device")?)
        .await?;
    Ok(respond(doc, StatusCode::OK))
}

/// Paging of a user's devices.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct UserDevicesParams {
    /// Page size 1-1000 (default 100).
    limit: Option<usize>,
    /// The `continuation_token` of the previous page.
    continuation_token: Option<String>,
    /// Comma separated status to match (default: all but DELETED).
    status: Option<String>,
}

/// Get the user's devices
///
/// The user's devices, newest first, a page at a time: pass the answer's
/// `continuation_token` back for the next page (empty on the last).
#[utoipa::path(get, path = "/edge/v1/users/{uuid}/devices", operation_id = "GetUserDevices",
    tag = "access", params(("uuid" = String, Path, description = "The user uuid"), UserDevicesParams),
    responses((status = 200, body = UserDeviceList), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_user_devices(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppQuery(q): AppQuery<UserDevicesParams>,
) -> Result<Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::BadRequest(
            "`limit` must be between 1 and 1000".into(),
        ));
    }
    let offset = match q.continuation_token.as_deref().filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .map_err(|_| ApiError::BadRequest(format!("invalid `continuation_token` `{t}`")))?,
    };
    let (devices, next) = DeviceService::new(st.store.clone())
        .of_user(
            &p,
            parse_uuid(&uuid, "user")?,
            q.status.as_deref(),
            limit,
            offset,
        )
        .await?;
    Ok(Json(json!({
        "continuation_token": next.map(|n| n.to_string()).unwrap_or_default(),
        "devices": devices,
    })))
}

/// Delete Devices
///
/// Soft-deletes (status DELETED) every listed device; each must belong to its
/// `user_uuid`. All are checked before any is deleted: one unknown device, or one the
/// caller may not delete, fails the request (400/403) and nothing changes. Answers the
/// first listed device as the seed's `proto.Device`, now DELETED.
#[utoipa::path(post, path = "/edge/v1/devices/delete", operation_id = "DeleteDevices", tag = "access",
    request_body = DeleteDevicesBody,
    responses((status = 200, body = DeviceDto), crate::dto::AuthErrors))]
async fn delete_devices(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<DeleteDevicesBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let items: Vec<(String, String)> = body
        .devices
        .into_iter()
        .map(|d| (d.user_uuid, d.uuid))
        .collect();
    let mut deleted = DeviceService::new(st.store.clone())
        .delete_many(&p, &items)
        .await?;
    let ids: Vec<String> = deleted
        .iter()
        .filter_map(|d| d.get("uuid").and_then(Value::as_str).map(str::to_string))
        .collect();
    let first = if deleted.is_empty() {
        Map::new()
    } else {
        deleted.swap_remove(0)
    };
    Ok(created(ids.join(","), StatusCode::OK, Value::Object(first)))
}
