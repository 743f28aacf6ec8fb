use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting for `run_at`.
    Queued,
    /// Claimed by a worker whose lease has not expired.
    Running,
    /// Finished successfully.
    Done,
    /// Out of attempts, or failed permanently.
    Failed,
}

impl JobState {
    /// Storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }
    /// Parses the storage form.
    pub fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            _ => return None,
        })
    }
}

/// A request to run something later.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub account_id: Uuid,
    /// Handler name, e.g. `iac.scan`.
    pub kind: String,
    pub payload: serde_json::Value,
    pub max_attempts: i32,
    /// Earliest start, epoch ms.
    pub run_at: i64,
}

/// A persistent job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: Uuid,
    pub account_id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub state: JobState,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: i64,
    pub locked_by: Option<String>,
    pub lease_until: Option<i64>,
    pub last_error: Option<String>,
    pub result: Option<serde_json::Value>,
    pub create_time: i64,
    pub update_time: i64,
    pub finish_time: Option<i64>,
}

/// One execution of a job by one worker; the history that proves exactly-once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobAttempt {
    pub job_id: Uuid,
    pub attempt: i32,
    pub worker: String,
    pub start_time: i64,
    pub end_time: Option<i64>,
    pub outcome: Option<String>,
}
