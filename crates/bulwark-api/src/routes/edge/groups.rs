//! Groups: E058 Query Groups, E059 Get the group details, E060 Update a group; beyond
//! the seed (whose groups come from identity providers), local groups can be created and
//! soft-deleted.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::identity::GROUPS;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::crud::{self, check_account, fields};
use crate::auth::Auth;
use crate::dto::identity::{GroupDto, GroupList, UpdateGroupBody};
use crate::error::{ApiError, AppJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_groups, create_group))
        .routes(routes!(get_group, update_group, delete_group))
}

crate::edge_crud! {
    kind: GROUPS, dto: GroupDto, tag: "identity", list_key: "groups", list_dto: GroupList,
    query: (query_groups, "/edge/v1/groups", "QueryGroups", "Query Groups"),
    get: (get_group, "/edge/v1/groups/{uuid}", "GetGroup", "Get the group details."),
    delete: (delete_group, "DeleteGroup", "Delete a group (beyond the seed: status DELETED)")
}

/// Create a local group (beyond the seed)
#[utoipa::path(post, path = "/edge/v1/groups", operation_id = "CreateGroup", tag = "identity",
    request_body = GroupDto,
    responses((status = 201, body = GroupDto), crate::dto::AuthErrors))]
async fn create_group(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<GroupDto>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    crud::create(&st, &p, &GROUPS, fields(&body)?, StatusCode::CREATED).await
}

/// Update a group.
///
/// The group object with only new values filled in.
#[utoipa::path(patch, path = "/edge/v1/groups/{uuid}", operation_id = "UpdateGroup", tag = "identity",
    params(("uuid" = String, Path, description = "The group uuid")),
    request_body = UpdateGroupBody,
    responses((status = 200, body = GroupDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_group(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateGroupBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.group.account_name.as_deref())?;
    let body_uuid = body.group.uuid.clone();
    let changes = fields(&body.group)?;
    crud::update(
        &st,
        &p,
        &GROUPS,
        &uuid,
        crud::Patch {
            body_uuid: body_uuid.as_deref(),
            changes,
            attributes_to_delete: &body.attributes_to_delete,
            expected_update_time: None,
        },
    )
    .await
}
