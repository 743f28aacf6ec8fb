//! CA certificates: E028 add, E029 get, E030 update, E095 query; beyond the seed,
//! soft delete. The certificate is parsed and checked (PEM, CA, validity, chain,
//! purpose) by `bulwark_core::edge::ca`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::edge::ca::{CA_CERTIFICATES, CLIENT_STATUSES, derive};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deletable;
use crate::auth::Auth;
use crate::dto::edge::client_configs::{
    CaCertificateDto, CaCertificateList, CreateCaCertificateBody, UpdateCaCertificateBody,
};
use crate::error::{ApiError, AppJson, AppQuery};
use crate::routes::edge::crud::{self, ListParams, Patch, check_account, fields};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_ca_certificates, add_ca_certificate))
        .routes(routes!(
            get_ca_certificate,
            update_ca_certificate,
            delete_ca_certificate
        ))
}

crate::edge_crud! {
    kind: CA_CERTIFICATES, dto: CaCertificateDto, tag: "access",
    get: (get_ca_certificate, "/edge/v1/ca-certificates/{uuid}", "GetCaCertificate",
        "Get CA certificate for an account based on uuid"),
    delete: (delete_ca_certificate, "DeleteCaCertificate",
        "Delete a CA certificate (beyond the seed: status DELETED)")
}

/// A client may set only 0 UNSPECIFIED, 1 INIT or 2 ACTIVE (`proto.CaCertificate_Status`).
fn client_status(status: Option<i64>) -> Result<(), ApiError> {
    match status {
        Some(s) if !CLIENT_STATUSES.contains(&s) => Err(ApiError::BadRequest(format!(
            "invalid `status` {s}: expected 0, 1 or 2"
        ))),
        _ => Ok(()),
    }
}

/// Query CA certificates
///
/// The account's CA certificates, filtered by `status`, `tag`, `datasource`; paged.
#[utoipa::path(get, path = "/edge/v1/ca-certificates", operation_id = "QueryCaCertificates",
    tag = "access", params(ListParams),
    responses((status = 200, body = CaCertificateList), crate::dto::AuthErrors))]
async fn query_ca_certificates(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let items = st.resources.query(&p, &CA_CERTIFICATES, &q.into()).await?;
    Ok(Json(
        json!({ "account_name": p.account_name, "certificates": items }),
    ))
}

/// Add CA certificate
///
/// `public_key_pem` must be one PEM certificate of a CA (basicConstraints CA:TRUE,
/// keyCertSign when keyUsage is present) that is valid now; `chain`, when given,
/// lists its issuers in order and must verify. Purposes: 0 UNSPECIFIED,
/// 1 CLIENT_AUTHENTICATION and 2 ENDPOINT (extendedKeyUsage, if any, allows
/// clientAuth), 3 TLS_INSPECTION (serverAuth). Private keys are refused. The server
/// derives `subject`, `issuer`, `serial_number`, `not_before`, `not_after` and
/// `fingerprint_sha256`.
#[utoipa::path(post, path = "/edge/v1/ca-certificates", operation_id = "AddCaCertificate",
    tag = "access", request_body = CreateCaCertificateBody,
    responses((status = 201, body = CaCertificateDto), crate::dto::AuthErrors))]
async fn add_ca_certificate(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<CreateCaCertificateBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    client_status(body.status)?;
    p.require(CA_CERTIFICATES.write_role)?;
    let mut input = fields(&body)?;
    input.extend(derive(&input)?);
    crud::create(&st, &p, &CA_CERTIFICATES, input, StatusCode::CREATED).await
}

/// Update CA Certificate
///
/// Only `chain`, `description` and `status` change (the certificate is fixed); a new
/// chain must verify. `attributes_to_delete` resets `chain` or `description`.
#[utoipa::path(patch, path = "/edge/v1/ca-certificates/{uuid}", operation_id = "UpdateCaCertificate",
    tag = "access", params(("uuid" = String, Path, description = "ca certificate uuid")),
    request_body = UpdateCaCertificateBody,
    responses((status = 200, body = CaCertificateDto), (status = 404, body = crate::dto::ErrorBody),
        crate::dto::AuthErrors))]
async fn update_ca_certificate(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateCaCertificateBody>,
) -> Result<Response, ApiError> {
    check_account(&p, body.account_name.as_deref())?;
    client_status(body.changes.status)?;
    deletable(&body.attributes_to_delete, &["chain", "description"])?;
    let patch = Patch {
        body_uuid: body.uuid.as_deref(),
        changes: fields(&body.changes)?,
        attributes_to_delete: &body.attributes_to_delete,
        expected_update_time: None,
    };
    crud::update(&st, &p, &CA_CERTIFICATES, &uuid, patch).await
}
