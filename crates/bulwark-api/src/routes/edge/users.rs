//! Users: E082 Query Users, E083 Create a user, E084 Get the user details, E085 Update a
//! user; beyond the seed, soft delete. Personal data (e-mail, login, phone) is a
//! separate record under the user's uuid.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::identity::{USER_PII, USERS};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::crud::{self, check_account, fields};
use super::tokens::created;
use crate::auth::Auth;
use crate::dto::identity::{CreateUserBody, UpdateUserBody, UserDto, UserList, UserWithPii};
use crate::error::{ApiError, AppJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_users, create_user))
        .routes(routes!(get_user, update_user, delete_user))
}

crate::edge_crud! {
    kind: USERS, dto: UserDto, tag: "identity", list_key: "users", list_dto: UserList,
    query: (query_users, "/edge/v1/users", "QueryUsers", "Query Users"),
    get: (get_user, "/edge/v1/users/{uuid}", "GetUser", "Get the user details."),
    delete: (delete_user, "DeleteUser", "Delete a user (beyond the seed: status DELETED)")
}

/// Create a user.
///
/// Creates the user and its personal data record; answers both.
#[utoipa::path(post, path = "/edge/v1/users", operation_id = "CreateUser", tag = "identity",
    request_body = CreateUserBody,
    responses((status = 200, body = UserWithPii), crate::dto::AuthErrors))]
async fn create_user(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreateUserBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let user = st
        .resources
        .create(&p, &USERS, fields(&body.user.unwrap_or_default())?)
        .await?;
    let uuid = user
        .get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let id = crate::error::parse_uuid(&uuid, "user")?;
    let pii = st
        .resources
        .create_with_uuid(
            &p,
            &USER_PII,
            fields(&body.user_pii.unwrap_or_default())?,
            id,
        )
        .await?;
    let body = serde_json::json!({ "user": user, "user_pii": pii });
    Ok(created(uuid, StatusCode::OK, body))
}

/// Update a user.
///
/// The user update request with only new values of the user filled in.
#[utoipa::path(patch, path = "/edge/v1/users/{uuid}", operation_id = "UpdateUser", tag = "identity",
    params(("uuid" = String, Path, description = "The user uuid")),
    request_body = UpdateUserBody,
    responses((status = 200, body = UserDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_user(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateUserBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let changes = fields(&body.user.unwrap_or_default())?;
    crud::update(
        &st,
        &p,
        &USERS,
        &uuid,
        crud::Patch {
            body_uuid: body.uuid.as_deref(),
            changes,
            attributes_to_delete: &body.attributes_to_delete,
            expected_update_time: None,
        },
    )
    .await
}
