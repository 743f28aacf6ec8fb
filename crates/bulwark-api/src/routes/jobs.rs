//! Bulwark's own job API (`/bulwark/v1/jobs`): follow long-running work, and enqueue
//! diagnostic jobs to check the worker fleet.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bulwark_core::model::JobState;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::edge::tokens::created;
use crate::auth::Auth;
use crate::dto::job::{EnqueueJobBody, JobDto, JobList};
use crate::error::{ApiError, AppJson, AppQuery, parse_uuid};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs, enqueue_job))
        .routes(routes!(get_job))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// queued, running, done or failed.
    state: Option<String>,
    /// Page size 1-500 (default 100), newest first.
    limit: Option<i64>,
    offset: Option<i64>,
}

/// List jobs
#[utoipa::path(get, path = "/bulwark/v1/jobs", operation_id = "ListJobs", tag = "jobs",
    params(JobsQuery), responses((status = 200, body = JobList), crate::dto::AuthErrors))]
async fn list_jobs(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<JobsQuery>,
) -> Result<Json<JobList>, ApiError> {
    let state = match q.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(JobState::parse(s).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "invalid state `{s}`: expected queued, running, done or failed"
            ))
        })?),
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::BadRequest(
            "`limit` must be between 1 and 500".into(),
        ));
    }
    let jobs = st
        .jobs
        .list(&p, state, limit, q.offset.unwrap_or(0).max(0))
        .await?;
    Ok(Json(JobList {
        jobs: jobs
            .into_iter()
            .map(|j| JobDto::new(j, Vec::new()))
            .collect(),
    }))
}

/// Get a job
///
/// The job with its attempt history.
#[utoipa::path(get, path = "/bulwark/v1/jobs/{id}", operation_id = "GetJob", tag = "jobs",
    params(("id" = String, Path, description = "The job id")),
    responses((status = 200, body = JobDto), (status = 404, body = crate::dto::ErrorBody), crate::dto::AuthErrors))]
async fn get_job(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> Result<Json<JobDto>, ApiError> {
    let (job, attempts) = st.jobs.get(&p, parse_uuid(&id, "job")?).await?;
    Ok(Json(JobDto::new(job, attempts)))
}

/// Enqueue a diagnostic job
///
/// Admin only. Checks the worker fleet end to end.
#[utoipa::path(post, path = "/bulwark/v1/jobs", operation_id = "EnqueueDiagnosticJob", tag = "jobs",
    request_body = EnqueueJobBody,
    responses((status = 201, body = JobDto), crate::dto::AuthErrors))]
async fn enqueue_job(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppJson(body): AppJson<EnqueueJobBody>,
) -> Result<Response, ApiError> {
    let job = st
        .jobs
        .enqueue_diagnostic(&p, &body.kind, body.payload, body.max_attempts.unwrap_or(3))
        .await?;
    Ok(created(
        job.id.to_string(),
        StatusCode::CREATED,
        JobDto::new(job, Vec::new()),
    ))
}
