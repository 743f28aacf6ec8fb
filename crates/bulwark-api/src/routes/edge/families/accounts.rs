//! Accounts: E005 Get the account details, E103 Get account onboarding info, E006
//! Update account onboarding info; beyond the seed, listing (the caller's account).
//! Another account's name is a 404, as for every object of another account.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{Extensions, StatusCode};
use axum::response::Response;
use bulwark_core::edge::accounts::AccountsService;
use bulwark_core::model::Account;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, client_ip};
use crate::dto::edge::accounts::{
    AccountDto, AccountList, AccountOnboarding, UpdateOnboardingBody,
};
use crate::dto::{LOCATION, SHARD};
use crate::error::{ApiError, AppJson};
use crate::routes::edge::crud::fields;
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_accounts))
        .routes(routes!(get_account))
        .routes(routes!(get_onboarding, update_onboarding))
}

fn account_json(a: &Account) -> Value {
    json!({
        "backend_shard": SHARD,
        "create_time": a.create_time,
        "display_name": a.name,
        "location": LOCATION,
        "name": a.name,
        "onboarding": a.onboarding,
        "shard": SHARD,
        "status": a.status.code(),
        "update_time": a.update_time,
        "uuid": a.id.to_string(),
    })
}

/// Query accounts (beyond the seed)
///
/// The accounts the caller can see: its own.
#[utoipa::path(get, path = "/edge/v1/accounts", operation_id = "QueryAccounts", tag = "identity",
    responses((status = 200, body = AccountList), crate::dto::AuthErrors))]
async fn query_accounts(
    State(st): State<AppState>,
    Auth(p): Auth,
) -> Result<Json<Value>, ApiError> {
    let a = AccountsService::new(st.store.clone())
        .details(&p, &p.account_name)
        .await?;
    Ok(Json(json!({ "accounts": [account_json(&a)] })))
}

/// Get the account details.
///
/// Only the caller's own account; any other name is 404.
#[utoipa::path(get, path = "/edge/v1/accounts/{name}", operation_id = "GetAccount", tag = "identity",
    params(("name" = String, Path, description = "The account name")),
    responses((status = 200, body = AccountDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_account(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let a = AccountsService::new(st.store.clone())
        .details(&p, &name)
        .await?;
    let mut doc = account_json(&a);
    // `details` has checked the name is the caller's own account.
    let metadata = match &st.sso {
        Some(sso) => sso.idp_metadata(a.id).await?,
        None => String::new(),
    };
    doc["idp_metadata"] = json!(metadata);
    Ok(Json(doc))
}

/// Get account onboarding info
///
/// The fields of the onboarding record that were ever set.
#[utoipa::path(get, path = "/edge/v1/accounts/{name}/onboarding", operation_id = "GetAccountOnboarding",
    tag = "identity", params(("name" = String, Path, description = "The account name")),
    responses((status = 200, body = AccountOnboarding), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_onboarding(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let doc = AccountsService::new(st.store.clone())
        .onboarding(&p, &name)
        .await?;
    Ok(Json(Value::Object(doc)))
}

/// Update account onboarding info.
///
/// Only new values change; `completed_steps` join the steps already completed. When
/// `eula_signed` becomes true (or a new `eula_version` is signed) the server records
/// the signing time, client IP and user; a signed EULA cannot be unsigned (400).
/// Requires `admin`.
#[utoipa::path(patch, path = "/edge/v1/accounts/{name}/onboarding", operation_id = "UpdateAccountOnboarding",
    tag = "identity", params(("name" = String, Path, description = "The account name")),
    request_body = UpdateOnboardingBody,
    responses((status = 200, body = AccountOnboarding), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn update_onboarding(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
    ext: Extensions,
    AppJson(body): AppJson<UpdateOnboardingBody>,
) -> Result<Response, ApiError> {
    if body
        .account_name
        .as_deref()
        .is_some_and(|a| !a.is_empty() && a != name)
    {
        return Err(ApiError::BadRequest(
            "`account_name` in the body does not match the path".into(),
        ));
    }
    let changes = fields(&body.onboarding.unwrap_or_default())?;
    let doc = AccountsService::new(st.store.clone())
        .update_onboarding(&p, &name, changes, &client_ip(&ext))
        .await?;
    Ok(created(
        p.account_id.to_string(),
        StatusCode::OK,
        Value::Object(doc),
    ))
}
