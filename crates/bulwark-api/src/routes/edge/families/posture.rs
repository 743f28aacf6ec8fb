//! Posture attributes (E070 add, E071 get, E072 update, E104 query) and posture
//! profiles (E073 add, E074 get, E075 update, E105 query); beyond the seed, soft
//! delete of both. A profile may only reference existing, non-deleted attributes of
//! the caller's account; an attribute still referenced by a profile can't be deleted.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::edge::posture::{POSTURE_ATTRIBUTES, POSTURE_PROFILES, PostureService};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deletable;
use crate::auth::Auth;
use crate::dto::edge::posture::{
    CreatePostureAttributeBody, CreatePostureProfileBody, PostureAttributeDto,
    PostureAttributeList, PostureProfileDto, PostureProfileList, UpdatePostureAttributeBody,
    UpdatePostureProfileBody,
};
use crate::error::{ApiError, AppJson, parse_uuid};
use crate::routes::edge::crud::{self, Patch, check_account, fields};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_posture_attributes, add_posture_attribute))
        .routes(routes!(
            get_posture_attribute,
            update_posture_attribute,
            delete_posture_attribute
        ))
        .routes(routes!(query_posture_profiles, add_posture_profile))
        .routes(routes!(
            get_posture_profile,
            update_posture_profile,
            delete_posture_profile
        ))
}

crate::edge_crud! {
    kind: POSTURE_PROFILES, dto: PostureProfileDto, tag: "access",
    list_key: "posture_profiles", list_dto: PostureProfileList,
    query: (query_posture_profiles, "/edge/v1/posture-profiles", "QueryPostureProfiles",
        "Query posture profiles"),
    get: (get_posture_profile, "/edge/v1/posture-profiles/{uuid}", "GetPostureProfile",
        "Get posture profile for an account based on uuid"),
    delete: (delete_posture_profile, "DeletePostureProfile",
        "Delete a posture profile (beyond the seed: status DELETED)")
}

/// Query posture attributes
///
/// The account's posture attributes, filtered by `status`, `tag`, `datasource`; paged.
#[utoipa::path(get, path = "/edge/v1/posture-attributes", operation_id = "QueryPostureAttributes",
    tag = "access", params(crud::ListParams),
    responses((status = 200, body = PostureAttributeList), crate::dto::AuthErrors))]
async fn query_posture_attributes(
    State(st): State<AppState>,
    Auth(p): Auth,
    crate::error::AppQuery(q): crate::error::AppQuery<crud::ListParams>,
) -> Result<Json<Value>, ApiError> {
    crud::query(&st, &p, &POSTURE_ATTRIBUTES, "posture_attributes", q).await
}

/// Add posture attribute
///
/// A REQUIRED_PROCESSES (1) attribute needs at least one required process, each
/// identified by a regex, hash, bundle id, thumbprint or team id; other types take none.
#[utoipa::path(post, path = "/edge/v1/posture-attributes", operation_id = "AddPostureAttribute",
    tag = "access", request_body = CreatePostureAttributeBody,
    responses((status = 201, body = PostureAttributeDto), crate::dto::AuthErrors))]
async fn add_posture_attribute(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreatePostureAttributeBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    crud::create(
        &st,
        &p,
        &POSTURE_ATTRIBUTES,
        fields(&body)?,
        StatusCode::CREATED,
    )
    .await
}

/// Get posture attribute for an account based on uuid
#[utoipa::path(get, path = "/edge/v1/posture-attributes/{uuid}", operation_id = "GetPostureAttribute",
    tag = "access", params(("uuid" = String, Path, description = "posture attribute uuid")),
    responses((status = 200, body = PostureAttributeDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn get_posture_attribute(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    crud::get(&st, &p, &POSTURE_ATTRIBUTES, &uuid).await
}

/// Update posture attribute
///
/// Only the fields present change; `attributes_to_delete` resets `description`,
/// `required_processes` or `supported_platforms`. The type is fixed at creation.
#[utoipa::path(patch, path = "/edge/v1/posture-attributes/{uuid}", operation_id = "UpdatePostureAttribute",
    tag = "access", params(("uuid" = String, Path, description = "posture attribute uuid")),
    request_body = UpdatePostureAttributeBody,
    responses((status = 200, body = PostureAttributeDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn update_posture_attribute(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdatePostureAttributeBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    deletable(
        &body.attributes_to_delete,
        &["description", "required_processes", "supported_platforms"],
    )?;
    let patch = Patch {
        body_uuid: body.uuid.as_deref(),
        changes: fields(&body.changes)?,
        attributes_to_delete: &body.attributes_to_delete,
        expected_update_time: None,
    };
    crud::update(&st, &p, &POSTURE_ATTRIBUTES, &uuid, patch).await
}

/// Delete a posture attribute (beyond the seed: status DELETED)
///
/// Refused with 409 while a non-deleted posture profile references the attribute.
#[utoipa::path(delete, path = "/edge/v1/posture-attributes/{uuid}", operation_id = "DeletePostureAttribute",
    tag = "access", params(("uuid" = String, Path, description = "posture attribute uuid")),
    responses((status = 200, body = PostureAttributeDto), (status = 404, body = crate::dto::ErrorBody),
        (status = 409, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn delete_posture_attribute(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_uuid(&uuid, POSTURE_ATTRIBUTES.what)?;
    let doc = PostureService::new(st.store.clone())
        .delete_attribute(&p, id)
        .await?;
    Ok(created(uuid, StatusCode::OK, Value::Object(doc)))
}

/// Add posture profile
///
/// Every `attribute_uuids` entry must name an existing, non-deleted posture attribute
/// of the caller's account that supports the profile's `platform` (400 otherwise).
#[utoipa::path(post, path = "/edge/v1/posture-profiles", operation_id = "AddPostureProfile",
    tag = "access", request_body = CreatePostureProfileBody,
    responses((status = 201, body = PostureProfileDto), crate::dto::AuthErrors))]
async fn add_posture_profile(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreatePostureProfileBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    let doc = PostureService::new(st.store.clone())
        .create_profile(&p, fields(&body)?)
        .await?;
    Ok(crud::respond(doc, StatusCode::CREATED))
}

/// Update posture profile
///
/// Only the fields present change; `attributes_to_delete` resets `attribute_uuids`,
/// `description` or `posture_tag_value`. The resulting attributes are checked as on
/// create.
#[utoipa::path(patch, path = "/edge/v1/posture-profiles/{uuid}", operation_id = "UpdatePostureProfile",
    tag = "access", params(("uuid" = String, Path, description = "posture profile uuid")),
    request_body = UpdatePostureProfileBody,
    responses((status = 200, body = PostureProfileDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn update_posture_profile(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdatePostureProfileBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    deletable(
        &body.attributes_to_delete,
        &["attribute_uuids", "description", "posture_tag_value"],
    )?;
    crud::check_body_uuid(body.uuid.as_deref(), &uuid)?;
    let id = parse_uuid(&uuid, POSTURE_PROFILES.what)?;
    let doc = PostureService::new(st.store.clone())
        .update_profile(&p, id, fields(&body.changes)?, &body.attributes_to_delete)
        .await?;
    Ok(created(uuid, StatusCode::OK, Value::Object(doc)))
}
