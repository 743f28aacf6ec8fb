//! Client configurations: E036 download, E037 add, E038 get, E039 update; beyond the
//! seed, listing and soft delete.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bulwark_core::edge::client_configs::{CLIENT_CONFIGS, ClientConfigService};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deletable;
use crate::auth::Auth;
use crate::dto::edge::client_configs::{
    ClientConfigDto, ClientConfigFields, ClientConfigFile, ClientConfigList, UpdateClientConfigBody,
};
use crate::error::{ApiError, AppJson, parse_uuid};
use crate::routes::edge::crud;
use crate::routes::edge::crud::{check_account, fields};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_client_configs, add_client_config))
        .routes(routes!(
            get_client_config,
            update_client_config,
            delete_client_config
        ))
        .routes(routes!(download_client_config))
}

crate::edge_crud! {
    kind: CLIENT_CONFIGS, dto: ClientConfigDto, tag: "access",
    list_key: "client_configs", list_dto: ClientConfigList,
    query: (query_client_configs, "/edge/v1/client-configs", "QueryClientConfigs",
        "Query client configs (beyond the seed)"),
    get: (get_client_config, "/edge/v1/client-configs/{uuid}", "GetClientConfig",
        "Get client config for an account based on uuid"),
    delete: (delete_client_config, "DeleteClientConfig",
        "Delete a client config (beyond the seed: status DELETED)")
}

/// Add client configuration
///
/// Guest user mode (`enable_guest_user_mode: 1`) needs `guest_user_api_token` (an
/// active guest-role token of the account) or `generate_guest_user_api_token: true`,
/// which mints one. `client_ca_uuid` must name a CA certificate of the account.
#[utoipa::path(post, path = "/edge/v1/client-configs", operation_id = "AddClientConfig",
    tag = "access", request_body = ClientConfigFields,
    responses((status = 201, body = ClientConfigDto), crate::dto::AuthErrors))]
async fn add_client_config(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<ClientConfigFields>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let doc = ClientConfigService::new(st.store.clone(), &st.tokens)
        .create(&p, fields(&body)?)
        .await?;
    Ok(crud::respond(doc, StatusCode::CREATED))
}

/// Update client config
///
/// Only the fields present change; `attributes_to_delete` resets settings (to UNSET
/// for switches, so the client's default applies again).
#[utoipa::path(patch, path = "/edge/v1/client-configs/{uuid}", operation_id = "UpdateClientConfig",
    tag = "access", params(("uuid" = String, Path, description = "client config uuid")),
    request_body = UpdateClientConfigBody,
    responses((status = 200, body = ClientConfigDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn update_client_config(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateClientConfigBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.changes.account_name.as_deref())?;
    crud::check_body_uuid(body.uuid.as_deref(), &uuid)?;
    let mut allowed: Vec<&str> = bulwark_core::edge::client_configs::BOOL_SETTINGS.to_vec();
    allowed.extend([
        "browser_performance_inspection_domains",
        "client_ca_uuid",
        "description",
        "disconnect_interval_minutes",
        "dns_search_domains",
        "guest_user_api_token",
        "installer_cert_thumbprint",
        "log_level",
        "policy_location",
        "post_login_redirect_url",
        "priority",
        "proxy_exclusion_domains",
        "session_filter",
        "session_refresh_interval_hours",
        "update_channels",
    ]);
    deletable(&body.attributes_to_delete, &allowed)?;
    let id = parse_uuid(&uuid, CLIENT_CONFIGS.what)?;
    let doc = ClientConfigService::new(st.store.clone(), &st.tokens)
        .update(&p, id, fields(&body.changes)?, &body.attributes_to_delete)
        .await?;
    Ok(created(uuid, StatusCode::OK, Value::Object(doc)))
}

/// Download client config for an account based on uuid
///
/// The file an endpoint client loads, as an attachment named
/// `bulwark-client-config-<uuid>.json`:
///
/// ```json
/// {"format": "bulwark-client-config", "format_version": 1,
///  "config_uuid": "…", "config_name": "…", "account_name": "…",
///  "config_update_time": 1700000000000, "server_url": "https://bulwark.example.com",
///  "settings": {"enable_browser_proxy": true, "should_fail_open": false, "log_level": "debug"}}
/// ```
///
/// `settings` holds only what applies, under the seed's field names: each switch
/// (`pbcommon.Bool`) set to TRUE or FALSE as a JSON boolean, UNSET ones left out so the
/// client's default applies; `log_level` by name (`error`, `warn`, `info`, `debug`);
/// non-empty strings and lists; `disconnect_interval_minutes` as numbers. Settings
/// that depend on a switch appear only when it is on:
/// `browser_performance_inspection_domains` (browser_performance_inspection),
/// `disconnect_interval_minutes` and `disconnect_justification_required`
/// (disconnect_allowed), `guest_user_api_token` (enable_guest_user_mode),
/// `installer_cert_thumbprint` (enable_auto_updates), `update_channels`
/// (enable_auto_updates or enable_manual_updates), `session_refresh_interval_hours`
/// (enable_transparent_sso). When `client_ca_uuid` names a live CA certificate,
/// `client_ca` carries its `subject`, `fingerprint_sha256` and `public_key_pem`, so the
/// client can find identities it issued. Server bookkeeping (status, priority, session
/// filter, description, creator and updater) is never in the file. End users (role
/// `user`) may download; a deleted config is 404.
#[utoipa::path(get, path = "/edge/v1/client-configs/{uuid}/download", operation_id = "DownloadClientConfig",
    tag = "access", params(("uuid" = String, Path, description = "client config uuid")),
    responses((status = 200, body = ClientConfigFile, headers(
            ("Content-Disposition" = String, description = "attachment; filename=\"bulwark-client-config-<uuid>.json\""))),
        (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn download_client_config(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, CLIENT_CONFIGS.what)?;
    let file = ClientConfigService::new(st.store.clone(), &st.tokens)
        .download(&p, id, &st.config.public_url)
        .await?;
    let mut resp = Json(Value::Object(file)).into_response();
    // The uuid was parsed above, so the header value is plain ASCII.
    let disposition = format!("attachment; filename=\"bulwark-client-config-{id}.json\"");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
