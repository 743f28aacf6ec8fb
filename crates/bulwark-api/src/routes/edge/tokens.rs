//! API tokens: E079 Query Tokens, E080 Create Token, E081 Update a token, plus get and
//! soft delete.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bulwark_core::Status;
use bulwark_core::model::TokenPatch;
use bulwark_core::tokens::CreateToken;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AuditObject, Auth};
use crate::dto::token::{CreateTokenBody, TokenDto, TokenList, UpdateTokenBody};
use crate::error::{ApiError, AppJson, AppQuery, parse_uuid};
use crate::routes::edge::crud;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_tokens, create_token))
        .routes(routes!(get_token, update_token, delete_token))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokensQuery {
    /// Return all tokens (active and suspended) or just active ones.
    #[serde(default)]
    get_all: bool,
}

/// Query Tokens
///
/// Query all tokens for the given account. Below `admin`, only the caller's own tokens.
#[utoipa::path(get, path = "/edge/v1/tokens", operation_id = "QueryTokens", tag = "identity",
    params(TokensQuery),
    responses((status = 200, body = TokenList), crate::dto::AuthErrors))]
async fn query_tokens(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<TokensQuery>,
) -> Result<Json<TokenList>, ApiError> {
    let tokens = st.tokens.list(&p, q.get_all).await?;
    let tokens = tokens
        .iter()
        .map(|t| TokenDto::new(t, &p.account_name, &st.config.public_url, None))
        .collect();
    Ok(Json(TokenList { tokens }))
}

/// Create Token
///
/// Create an API access token. The secret is returned once, here. The role defaults
/// to and can never exceed the creator's; `ttl_sec > 0` makes a single-use token.
#[utoipa::path(post, path = "/edge/v1/tokens", operation_id = "CreateToken", tag = "identity",
    request_body = CreateTokenBody,
    responses((status = 201, body = TokenDto), crate::dto::AuthErrors))]
async fn create_token(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreateTokenBody>,
) -> Result<Response, ApiError> {
    let (token, secret) = st
        .tokens
        .create(
            &p,
            CreateToken {
                account_name: body.account_name,
                name: body.name,
                description: body.description,
                role: body.role,
                status: body.status,
                ttl_sec: body.ttl_sec,
                user_uuid: body.user_uuid,
            },
        )
        .await?;
    let dto = TokenDto::new(&token, &p.account_name, &st.config.public_url, Some(secret));
    Ok(created(token.uuid.to_string(), StatusCode::CREATED, dto))
}

/// A JSON response that also names, for the audit log, the object it wrote.
pub(crate) fn created<T: serde::Serialize>(uuid: String, status: StatusCode, body: T) -> Response {
    let mut resp = (status, Json(body)).into_response();
    resp.extensions_mut().insert(AuditObject(uuid));
    resp
}

/// Get a token
///
/// Beyond the seed: one token of the caller's account (never its secret).
#[utoipa::path(get, path = "/edge/v1/tokens/{uuid}", operation_id = "GetToken", tag = "identity",
    params(("uuid" = String, Path, description = "The token uuid")),
    responses((status = 200, body = TokenDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn get_token(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Json<TokenDto>, ApiError> {
    let token = st.tokens.get(&p, parse_uuid(&uuid, "token")?).await?;
    Ok(Json(TokenDto::new(
        &token,
        &p.account_name,
        &st.config.public_url,
        None,
    )))
}

/// Update a token.
///
/// Only the fields present change; `attributes_to_delete` resets `name` or
/// `description`. The role can't exceed the caller's.
#[utoipa::path(patch, path = "/edge/v1/tokens/{uuid}", operation_id = "UpdateToken", tag = "identity",
    params(("uuid" = String, Path, description = "The token uuid")),
    request_body = UpdateTokenBody,
    responses((status = 200, body = TokenDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_token(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateTokenBody>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, "token")?;
    crud::check_body_uuid(body.uuid.as_deref(), &uuid)?;
    if body
        .account_name
        .as_deref()
        .is_some_and(|a| !a.is_empty() && a != p.account_name)
    {
        return Err(bulwark_core::DomainError::NotFound("token").into());
    }
    let patch = TokenPatch {
        name: body.name,
        description: body.description,
        role: body.role,
        status: body.status,
        attributes_to_delete: body.attributes_to_delete,
    };
    let token = st.tokens.update(&p, id, patch).await?;
    let dto = TokenDto::new(&token, &p.account_name, &st.config.public_url, None);
    Ok(created(token.uuid.to_string(), StatusCode::OK, dto))
}

/// Delete a token
///
/// Beyond the seed: soft delete (status DELETED). The token stops working at once,
/// and so do sessions opened with it.
#[utoipa::path(delete, path = "/edge/v1/tokens/{uuid}", operation_id = "DeleteToken", tag = "identity",
    params(("uuid" = String, Path, description = "The token uuid")),
    responses((status = 200, body = TokenDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn delete_token(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, "token")?;
    let patch = TokenPatch {
        status: Some(Status::Deleted),
        ..TokenPatch::default()
    };
    let token = st.tokens.update(&p, id, patch).await?;
    let dto = TokenDto::new(&token, &p.account_name, &st.config.public_url, None);
    Ok(created(token.uuid.to_string(), StatusCode::OK, dto))
}
