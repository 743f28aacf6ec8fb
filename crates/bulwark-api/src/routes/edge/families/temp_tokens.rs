//! Temporary access tokens: E077 Create Temporary Access Token, E106 Query users whose
//! logs a temporary token may show; beyond the seed, listing and revoking them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::edge::temp_tokens::{CreateTemporaryToken, TemporaryTokenService};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::dto::edge::accounts::CreateTemporaryTokenBody;
use crate::dto::identity::UserList;
use crate::dto::token::{TokenDto, TokenList};
use crate::error::{ApiError, AppJson, parse_uuid};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_temporary_tokens, create_temporary_token))
        .routes(routes!(query_temporary_token_users))
        .routes(routes!(delete_temporary_token))
}

/// Create Temporary Access Token
///
/// Create a temporary access token for viewing a user's log: role `pii_viewer`,
/// `view_pii_log_only`, single use, expiring after `ttl_sec` (1 to 604800). The user
/// must exist in the caller's account (400 otherwise). The secret is shown this once.
/// Requires `admin`.
#[utoipa::path(post, path = "/edge/v1/temporary-tokens", operation_id = "CreateTemporaryToken",
    tag = "identity", request_body = CreateTemporaryTokenBody,
    responses((status = 201, body = TokenDto), crate::dto::AuthErrors))]
async fn create_temporary_token(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreateTemporaryTokenBody>,
) -> Result<Response, ApiError> {
    let req = CreateTemporaryToken {
        account_name: body.account_name,
        ttl_sec: body.ttl_sec,
        user_uuid: body.user_uuid,
    };
    let (token, secret) = TemporaryTokenService::new(st.store.clone(), &st.tokens)
        .create(&p, req)
        .await?;
    let dto = TokenDto::new(&token, &p.account_name, &st.config.public_url, Some(secret));
    Ok(created(token.uuid.to_string(), StatusCode::CREATED, dto))
}

/// Query temporary tokens (beyond the seed)
///
/// The account's temporary tokens that have not expired (never their secrets).
/// Requires `admin`.
#[utoipa::path(get, path = "/edge/v1/temporary-tokens", operation_id = "QueryTemporaryTokens",
    tag = "identity", responses((status = 200, body = TokenList), crate::dto::AuthErrors))]
async fn query_temporary_tokens(
    State(st): State<AppState>,
    Auth(p): Auth,
) -> Result<Json<TokenList>, ApiError> {
    let tokens = TemporaryTokenService::new(st.store.clone(), &st.tokens)
        .list(&p)
        .await?
        .iter()
        .map(|t| TokenDto::new(t, &p.account_name, &st.config.public_url, None))
        .collect();
    Ok(Json(TokenList { tokens }))
}

/// Query users whose logs a temporary token may show
///
/// Called with a temporary token: the one user it is scoped to. Called by an admin:
/// the users of the account's unexpired temporary tokens.
#[utoipa::path(get, path = "/edge/v1/temporary-tokens/users", operation_id = "QueryTemporaryTokenUsers",
    tag = "identity", responses((status = 200, body = UserList), crate::dto::AuthErrors))]
async fn query_temporary_token_users(
    State(st): State<AppState>,
    Auth(p): Auth,
) -> Result<Json<Value>, ApiError> {
    let users = TemporaryTokenService::new(st.store.clone(), &st.tokens)
        .users(&p)
        .await?;
    Ok(Json(json!({ "users": users })))
}

/// Revoke a temporary token (beyond the seed)
///
/// Status DELETED: the token and sessions opened with it stop working. Requires `admin`.
#[utoipa::path(delete, path = "/edge/v1/temporary-tokens/{uuid}", operation_id = "DeleteTemporaryToken",
    tag = "identity", params(("uuid" = String, Path, description = "The temporary token uuid")),
    responses((status = 200, body = TokenDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn delete_temporary_token(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, "temporary token")?;
    let token = TemporaryTokenService::new(st.store.clone(), &st.tokens)
        .revoke(&p, id)
        .await?;
    let dto = TokenDto::new(&token, &p.account_name, &st.config.public_url, None);
    Ok(created(uuid, StatusCode::OK, dto))
}
