use uuid::Uuid;

/// An IaC scan request and, once run, its report.
#[derive(Debug, Clone, PartialEq)]
pub struct IacScan {
    pub id: Uuid,
    pub account_id: Uuid,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub repo_url: String,
    pub branch: String,
    pub committer_name: String,
    pub committer_email: String,
    pub policy_name: String,
    pub save_results: bool,
    /// The engine's report as JSON (`bulwark_iac::Report`).
    pub report: Option<serde_json::Value>,
    pub error: Option<String>,
    pub create_time: i64,
    pub finish_time: Option<i64>,
}
