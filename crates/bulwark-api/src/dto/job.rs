use bulwark_core::model::{Job, JobAttempt, JobState};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A background job (IaC/image scans, cloud syncs, exports, diagnostics).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobDto {
    pub id: String,
    pub kind: String,
    pub state: JobState,
    pub attempts: i32,
    pub max_attempts: i32,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    pub last_error: Option<String>,
    pub locked_by: Option<String>,
    pub run_at: i64,
    pub create_time: i64,
    pub update_time: i64,
    pub finish_time: Option<i64>,
    /// Every execution, oldest first (only on single-job reads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempt_history: Vec<JobAttemptDto>,
}

/// One execution of a job.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobAttemptDto {
    pub attempt: i32,
    pub worker: String,
    pub start_time: i64,
    pub end_time: Option<i64>,
    pub outcome: Option<String>,
}

impl JobDto {
    pub fn new(j: Job, attempts: Vec<JobAttempt>) -> Self {
        Self {
            id: j.id.to_string(),
            kind: j.kind,
            state: j.state,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            payload: j.payload,
            result: j.result,
            last_error: j.last_error,
            locked_by: j.locked_by,
            run_at: j.run_at,
            create_time: j.create_time,
            update_time: j.update_time,
            finish_time: j.finish_time,
            attempt_history: attempts
                .into_iter()
                .map(|a| JobAttemptDto {
                    attempt: a.attempt,
                    worker: a.worker,
                    start_time: a.start_time,
                    end_time: a.end_time,
                    outcome: a.outcome,
                })
                .collect(),
        }
    }
}

/// `{"jobs": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobList {
    pub jobs: Vec<JobDto>,
}

/// Enqueue a diagnostic job.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EnqueueJobBody {
    /// `diagnostic.echo`, `diagnostic.sleep` (`{"ms": n}`) or `diagnostic.fail` (`{"times": n}`).
    pub kind: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// Defaults to 3.
    pub max_attempts: Option<i32>,
}
