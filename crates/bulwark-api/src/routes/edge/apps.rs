//! Apps: E020 Query Apps, E021 Create an app, E094 Get an app; beyond the seed, update
//! and soft delete.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::identity::APPS;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::crud::{self, check_account, fields};
use crate::auth::Auth;
use crate::dto::identity::{AppDto, AppList, CreateAppBody, UpdateAppBody};
use crate::error::{ApiError, AppJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_apps, create_app))
        .routes(routes!(get_app, update_app, delete_app))
}

crate::edge_crud! {
    kind: APPS, dto: AppDto, tag: "access", list_key: "apps", list_dto: AppList,
    query: (query_apps, "/edge/v1/apps", "QueryApps", "Query Apps"),
    get: (get_app, "/edge/v1/apps/{uuid}", "GetApp", "Get an app"),
    delete: (delete_app, "DeleteApp", "Delete an app (beyond the seed: status DELETED)")
}

/// Create an app.
#[utoipa::path(post, path = "/edge/v1/apps", operation_id = "CreateApp", tag = "access",
    request_body = CreateAppBody,
    responses((status = 200, body = AppDto), crate::dto::AuthErrors))]
async fn create_app(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreateAppBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let app = body
        .app
        .ok_or_else(|| ApiError::BadRequest("`app` is required".into()))?;
    crud::create(&st, &p, &APPS, fields(&app)?, StatusCode::OK).await
}

/// Update an app (beyond the seed)
///
/// Only the fields present change; `attributes_to_delete` resets fields.
#[utoipa::path(patch, path = "/edge/v1/apps/{uuid}", operation_id = "UpdateApp", tag = "access",
    params(("uuid" = String, Path, description = "The app uuid")),
    request_body = UpdateAppBody,
    responses((status = 200, body = AppDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_app(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateAppBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let changes = fields(&body.app.unwrap_or_default())?;
    crud::update(
        &st,
        &p,
        &APPS,
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
