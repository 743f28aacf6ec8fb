//! Cloud environments, beyond the seed (whose console registered them): CRUD with
//! credentials sealed at rest, snapshot ingestion for every provider, and live sync.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::inventory::ENVIRONMENTS;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::error::{ApiError, AppJson, AppQuery, parse_uuid};
use crate::routes::edge::crud::{self, Patch, fields};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(query_environments, create_environment))
        .routes(routes!(
            get_environment,
            update_environment,
            delete_environment
        ))
        .routes(routes!(ingest))
        .routes(routes!(sync))
}

crate::edge_crud! {
    kind: ENVIRONMENTS, dto: EnvironmentDto, tag: "inventory", list_key: "environments", list_dto: EnvironmentList,
    query: (query_environments, "/bulwark/v1/environments", "QueryEnvironments", "Query cloud environments"),
    get: (get_environment, "/bulwark/v1/environments/{uuid}", "GetEnvironment", "Get a cloud environment"),
    delete: (delete_environment, "DeleteEnvironment", "Delete a cloud environment (status DELETED)")
}

crate::wire_object! {
    /// A cloud environment: `provider` AWS, Azure, GCP, Kubernetes or Docker; `accountId`
    /// is the AWS account, Azure subscription, GCP project, cluster or host id.
    EnvironmentDto {
        uuid: String,
        name: String,
        provider: String,
        #[serde(rename = "accountId")]
        account_id: String,
        #[serde(rename = "isEnabled")]
        is_enabled: bool,
        tags: Vec<String>,
        #[serde(rename = "subAccounts")]
        sub_accounts: Vec<String>,
        #[serde(rename = "lastSyncTime")]
        last_sync_time: i64,
        /// Write-only: sealed at rest, never returned. For AWS: `{"accessKeyId",
        /// "secretAccessKey", "sessionToken"?, "roleArn"?, "externalId"?}`; without it a
        /// sync uses the server's own AWS identity (SDK default chain).
        credentials: Value,
        /// Send every cloud API call here instead (an emulator, a private endpoint).
        #[serde(rename = "endpointUrl")]
        endpoint_url: String,
        /// Regions a live sync reads; empty or absent: every enabled region.
        regions: Vec<String>,
        /// The zone of trust: cloud accounts this one may share resources with. Access
        /// granted to them (or to the tenant's other environments) is reported in
        /// `AWS_EXTERNAL_ACCESS` with `trusted: true` and severity `LOW`.
        #[serde(rename = "trustedAccountIds")]
        trusted_account_ids: Vec<String>,
        /// How many hours of flow-log and CloudTrail files a sync reads (1 to 168,
        /// default 24); a longer window once gives a first sync more history.
        #[serde(rename = "logLookbackHours")]
        log_lookback_hours: i64,
        /// `SUCCESS`, `PARTIAL` (some services failed, see `lastSyncErrors`) or `FAILED`.
        #[serde(rename = "lastSyncStatus")]
        last_sync_status: String,
        /// Why the last sync failed.
        #[serde(rename = "lastSyncError")]
        last_sync_error: String,
        /// Per-service failures of the last sync (service, region, operation, message).
        #[serde(rename = "lastSyncErrors")]
        last_sync_errors: Vec<Value>,
        #[serde(rename = "cloudLogStatus")]
        cloud_log_status: String,
        #[serde(rename = "flowLogStatus")]
        flow_log_status: String,
        status: i64,
        create_time: i64,
        update_time: i64,
    }
}

/// `{"environments": [...]}`.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EnvironmentList {
    pub environments: Vec<EnvironmentDto>,
}

/// Create a cloud environment
#[utoipa::path(post, path = "/bulwark/v1/environments", operation_id = "CreateEnvironment", tag = "inventory",
    request_body = EnvironmentDto, responses((status = 201, body = EnvironmentDto), crate::dto::AuthErrors))]
async fn create_environment(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<EnvironmentDto>,
) -> Result<Response, ApiError> {
    crud::create(&st, &p, &ENVIRONMENTS, fields(&body)?, StatusCode::CREATED).await
}

/// A partial update of an environment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EnvironmentUpdate {
    #[serde(flatten)]
    pub environment: EnvironmentDto,
    /// Fields to reset, e.g. `["credentials"]` to forget the stored credentials.
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
}

/// Update a cloud environment (e.g. `isEnabled`, `tags`, `credentials`)
#[utoipa::path(patch, path = "/bulwark/v1/environments/{uuid}", operation_id = "UpdateEnvironment", tag = "inventory",
    params(("uuid" = String, Path, description = "The environment uuid")),
    request_body = EnvironmentUpdate,
    responses((status = 200, body = EnvironmentDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_environment(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<EnvironmentUpdate>,
) -> Result<Response, ApiError> {
    let body_uuid = body.environment.uuid.clone();
    let patch = Patch {
        body_uuid: body_uuid.as_deref(),
        changes: fields(&body.environment)?,
        attributes_to_delete: &body.attributes_to_delete,
        expected_update_time: None,
    };
    crud::update(&st, &p, &ENVIRONMENTS, &uuid, patch).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IngestParams {
    /// What the snapshot holds when its JSON does not say (e.g. `vm`, `pods`, `trivy`, `grype`); usually unnecessary.
    kind: Option<String>,
}

/// Ingest an inventory snapshot
///
/// The body is the provider's own JSON, e.g. `az vm list -d`, `gcloud compute instances
/// list --format=json`, `kubectl get pods -o json`, `docker inspect`. Assets are upserted;
/// assets of the same kinds no longer present are marked missing. Image scan reports
/// (`trivy image -f json`, `grype <image> -o json`) become `IMAGE_SCAN_DETAILS` assets and
/// mark nothing missing.
#[utoipa::path(post, path = "/bulwark/v1/environments/{uuid}/ingest", operation_id = "IngestSnapshot", tag = "inventory",
    params(("uuid" = String, Path, description = "The environment uuid"), IngestParams),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, description = "Counts and warnings"), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn ingest(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppQuery(q): AppQuery<IngestParams>,
    AppJson(snapshot): AppJson<Value>,
) -> Result<Response, ApiError> {
    let env = parse_uuid(&uuid, "environment")?;
    let (counts, warnings) = st
        .inventory
        .ingest(&p, env, q.kind.as_deref(), &snapshot)
        .await?;
    let body = json!({"added": counts.added, "updated": counts.updated, "missing": counts.missing, "warnings": warnings});
    Ok(created(uuid, StatusCode::OK, body))
}

/// Sync a cloud environment now
///
/// Queues a `cloud.sync` job that reads the environment's cloud live (AWS, with the
/// official AWS SDK) and stores what it finds like an ingest: assets are upserted, and
/// assets of search keys whose listing succeeded everywhere but which were not seen are
/// marked missing. Follow the job at `/bulwark/v1/jobs/{id}`; the outcome is also recorded
/// on the environment (`lastSyncStatus`, `lastSyncErrors`, `lastSyncTime`).
#[utoipa::path(post, path = "/bulwark/v1/environments/{uuid}/sync", operation_id = "SyncEnvironment", tag = "inventory",
    params(("uuid" = String, Path, description = "The environment uuid")),
    responses((status = 202, body = crate::dto::job::JobDto), (status = 400, body = crate::dto::ErrorBody),
        (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn sync(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    let env = parse_uuid(&uuid, "environment")?;
    let job = st.cloud.request(&p, env).await?;
    Ok(created(
        job.id.to_string(),
        StatusCode::ACCEPTED,
        crate::dto::job::JobDto::new(job, Vec::new()),
    ))
}
