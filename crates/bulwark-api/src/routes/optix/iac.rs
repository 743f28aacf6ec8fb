//! O08 Uploading IaC Templates for Scanning, O09 Getting the Status of the Scan, O10
//! Getting the Detailed Report of the Scan; and, beyond the seed, named IaC policies at
//! `/bulwark/v1/iac/policies`.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::iac::{IAC_POLICIES, PROPER_ARGUMENTS, SubmitScan};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::error::{ApiError, AppJson, AppQuery};
use crate::routes::edge::crud::{self, fields};
use crate::routes::edge::tokens::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit_scan))
        .routes(routes!(scan_status))
        .routes(routes!(detailed_report))
        .routes(routes!(query_policies, create_policy))
        .routes(routes!(get_policy, update_policy, delete_policy))
        .routes(routes!(query_alerts))
        .routes(routes!(get_alert, delete_alert))
}

/// The multipart form of `POST /api/v1/iac/scan` (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(
    dead_code,
    reason = "documents the multipart form; parsed field by field"
)]
pub struct IacScanForm {
    /// The files to scan (repeat the field; `.zip`, `.tar` and `.tar.gz` archives are unpacked safely).
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<Vec<u8>>,
    repo_url: Option<String>,
    branch: Option<String>,
    committer_name: Option<String>,
    committer_email: Option<String>,
    /// Default true: queue the scan. False: scan in the request and return `summary`.
    #[schema(rename = "async")]
    asynchronous: Option<bool>,
    /// Default false. True: findings become alerts of the account.
    save_results_to_account: Option<bool>,
    /// Scan against this IaC policy only.
    policy_name: Option<String>,
}

/// Counts of alerts by severity.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanSummaryDto {
    pub num_critical_alerts: usize,
    pub num_high_alerts: usize,
    pub num_medium_alerts: usize,
    pub num_low_alerts: usize,
}

/// `{scan_id, summary}`; `summary` only for synchronous scans.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanAccepted {
    pub scan_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<ScanSummaryDto>,
}

fn flag(name: &str, v: &str) -> Result<bool, ApiError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" | "" => Ok(false),
        _ => Err(ApiError::BadRequest(format!(
            "{PROPER_ARGUMENTS}: `{name}` must be true or false"
        ))),
    }
}

async fn read_form(mut form: Multipart) -> Result<SubmitScan, ApiError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::BadRequest(format!("{PROPER_ARGUMENTS}: {}", e.body_text()))
    };
    let mut req = SubmitScan {
        asynchronous: true,
        ..SubmitScan::default()
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "files" | "files[]" | "file" => {
                let file_name = field
                    .file_name()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("file{}", req.files.len() + 1));
                let bytes = field.bytes().await.map_err(bad)?;
                req.files.push((file_name, bytes.to_vec()));
            }
            other => {
                let text = field.text().await.map_err(bad)?;
                match other {
                    "repo_url" => req.repo_url = text,
                    "branch" => req.branch = text,
                    "committer_name" => req.committer_name = text,
                    "committer_email" => req.committer_email = text,
                    "async" => req.asynchronous = flag("async", &text)?,
                    "save_results_to_account" => {
                        req.save_results = flag("save_results_to_account", &text)?
                    }
                    "policy_name" => req.policy_name = Some(text).filter(|t| !t.trim().is_empty()),
                    // Unknown fields are ignored, as Spring's binder does.
                    _ => {}
                }
            }
        }
    }
    Ok(req)
}

/// Uploading IaC Templates for Scanning
///
/// Multipart `files[]` (Terraform, CloudFormation, Kubernetes, Dockerfiles, ARM,
/// Terraform plan JSON, or archives of them). Asynchronous by default: poll the status,
/// then fetch the detailed report. With `async=false` the scan runs in the request and
/// the response carries `summary`. Failures: 400 `Proper arguments not provided`.
#[utoipa::path(post, path = "/api/v1/iac/scan", operation_id = "UploadIacTemplatesForScanning", tag = "iac",
    request_body(content = IacScanForm, content_type = "multipart/form-data"),
    responses((status = 200, body = ScanAccepted), crate::dto::AuthErrors))]
async fn submit_scan(
    State(st): State<AppState>,
    Auth(p): Auth,
    form: Multipart,
) -> Result<Response, ApiError> {
    let req = read_form(form).await?;
    let (id, sum) = st.iac.submit(&p, req).await?;
    let body = ScanAccepted {
        scan_id: id.to_string(),
        summary: sum.map(|s| ScanSummaryDto {
            num_critical_alerts: s.critical,
            num_high_alerts: s.high,
            num_medium_alerts: s.medium,
            num_low_alerts: s.low,
        }),
    };
    Ok(created(id.to_string(), StatusCode::OK, body))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScanIdParam {
    /// The scan id returned by the upload.
    scan_id: Option<String>,
}

impl ScanIdParam {
    fn id(&self) -> Result<&str, ApiError> {
        self.scan_id
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ApiError::BadRequest(PROPER_ARGUMENTS.into()))
    }
}

/// `{processing_ongoing, success, error}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanStatusDto {
    pub processing_ongoing: bool,
    pub success: bool,
    pub error: String,
}

/// Getting the Status of the Scan
///
/// Failures: 400 `Unable to find the scan you requested`.
#[utoipa::path(get, path = "/api/v1/iac/scan/status", operation_id = "GetIacScanStatus", tag = "iac",
    params(ScanIdParam), responses((status = 200, body = ScanStatusDto), crate::dto::AuthErrors))]
async fn scan_status(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ScanIdParam>,
) -> Result<Json<ScanStatusDto>, ApiError> {
    let s = st.iac.status(&p, q.id()?).await?;
    Ok(Json(ScanStatusDto {
        processing_ongoing: s.processing_ongoing,
        success: s.success,
        error: s.error,
    }))
}

/// One alert of a scan report: the seed's four fields, then where it is.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IacAlert {
    #[serde(rename = "scanID")]
    pub scan_id: String,
    pub alert_summary: String,
    /// CRITICAL, HIGH, MEDIUM or LOW.
    pub critical_level: String,
    pub alert_details: String,
    pub rule_id: String,
    pub file_name: String,
    pub start_line: u64,
    pub end_line: u64,
    pub resource: String,
    pub resource_type: String,
    pub remediation: String,
    #[schema(value_type = Vec<Object>)]
    pub compliance: Value,
}

/// `{"alerts": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DetailedReport {
    pub alerts: Vec<IacAlert>,
}

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Getting the Detailed Report of the Scan
///
/// Active (not suppressed) findings. Failures: 400 `Unable to find the scan you requested`.
#[utoipa::path(get, path = "/api/v1/iac/scan/detailedReport", operation_id = "GetIacScanDetailedReport", tag = "iac",
    params(ScanIdParam), responses((status = 200, body = DetailedReport), crate::dto::AuthErrors))]
async fn detailed_report(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ScanIdParam>,
) -> Result<Json<DetailedReport>, ApiError> {
    let (id, report) = st.iac.report(&p, q.id()?).await?;
    let alerts = report
        .as_ref()
        .and_then(|r| r.get("findings"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|f| f.get("suppressed").is_none_or(Value::is_null))
        .map(|f| IacAlert {
            scan_id: id.to_string(),
            alert_summary: s(f, "title"),
            critical_level: s(f, "severity"),
            alert_details: format!(
                "{} in {} ({}:{}-{}). {}",
                s(f, "message"),
                s(f, "resource"),
                s(f, "file"),
                f.get("start_line").and_then(Value::as_u64).unwrap_or(0),
                f.get("end_line").and_then(Value::as_u64).unwrap_or(0),
                s(f, "remediation")
            ),
            rule_id: s(f, "rule_id"),
            file_name: s(f, "file"),
            start_line: f.get("start_line").and_then(Value::as_u64).unwrap_or(0),
            end_line: f.get("end_line").and_then(Value::as_u64).unwrap_or(0),
            resource: s(f, "resource"),
            resource_type: s(f, "resource_type"),
            remediation: s(f, "remediation"),
            compliance: f
                .get("compliance")
                .cloned()
                .unwrap_or(Value::Array(Vec::new())),
        })
        .collect();
    Ok(Json(DetailedReport { alerts }))
}

/// A named IaC policy (beyond the seed).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct IacPolicyDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Rule ids or `PREFIX*` patterns to run; empty means all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<Vec<String>>,
    /// Rule ids or `PREFIX*` patterns to leave out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<Vec<String>>,
    /// Rule id → CRITICAL, HIGH, MEDIUM or LOW.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_overrides: Option<std::collections::BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<i64>,
}

/// `{"policies": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IacPolicyList {
    pub policies: Vec<IacPolicyDto>,
}

/// Update an IaC policy: the fields to change, plus `attributes_to_delete`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateIacPolicyBody {
    #[serde(flatten)]
    pub policy: IacPolicyDto,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
}

crate::edge_crud! {
    kind: IAC_POLICIES, dto: IacPolicyDto, tag: "iac", list_key: "policies", list_dto: IacPolicyList,
    query: (query_policies, "/bulwark/v1/iac/policies", "QueryIacPolicies", "Query IaC policies"),
    get: (get_policy, "/bulwark/v1/iac/policies/{uuid}", "GetIacPolicy", "Get an IaC policy"),
    delete: (delete_policy, "DeleteIacPolicy", "Delete an IaC policy (status DELETED)")
}

/// Create an IaC policy
///
/// Names are unique per account; `policy_name` on a scan selects one.
#[utoipa::path(post, path = "/bulwark/v1/iac/policies", operation_id = "CreateIacPolicy", tag = "iac",
    request_body = IacPolicyDto, responses((status = 201, body = IacPolicyDto), crate::dto::AuthErrors))]
async fn create_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<IacPolicyDto>,
) -> Result<Response, ApiError> {
    crud::create(&st, &p, &IAC_POLICIES, fields(&body)?, StatusCode::CREATED).await
}

/// Update an IaC policy
#[utoipa::path(patch, path = "/bulwark/v1/iac/policies/{uuid}", operation_id = "UpdateIacPolicy", tag = "iac",
    params(("uuid" = String, Path, description = "The policy uuid")),
    request_body = UpdateIacPolicyBody,
    responses((status = 200, body = IacPolicyDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn update_policy(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    AppJson(body): AppJson<UpdateIacPolicyBody>,
) -> Result<Response, ApiError> {
    let body_uuid = body.policy.uuid.clone();
    let changes: Map<String, Value> = fields(&body.policy)?;
    crud::update(
        &st,
        &p,
        &IAC_POLICIES,
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

/// An alert (the Optix alert object; IaC findings saved to the account are alerts with
/// `source` = `iac`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AlertDto {
    #[serde(rename = "alertId")]
    pub alert_id: String,
    #[serde(rename = "policyLabel")]
    pub policy_label: String,
    #[serde(rename = "alertDetails")]
    pub alert_details: String,
    pub state: String,
    pub provider: String,
    #[serde(rename = "ruleResult")]
    #[schema(value_type = Object)]
    pub rule_result: Value,
}

/// `{"alerts": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AlertList {
    pub alerts: Vec<AlertDto>,
}

crate::edge_crud! {
    kind: bulwark_core::iac::ALERTS, dto: AlertDto, tag: "iac", list_key: "alerts", list_dto: AlertList,
    query: (query_alerts, "/bulwark/v1/alerts", "QueryAlerts", "Query alerts (beyond the seed: the account's raw alert store)"),
    get: (get_alert, "/bulwark/v1/alerts/{uuid}", "GetAlert", "Get an alert"),
    delete: (delete_alert, "DeleteAlert", "Delete an alert (status DELETED)")
}
