//! IaC scanning as a service: the Optix "Uploading IaC Templates for Scanning" flow on
//! top of the `bulwark-iac` engine. Scans run in the request (`async=false`) or as
//! `iac.scan` jobs; named IaC policies select rules and override severities; with
//! `save_results_to_account` the findings become alerts of the account.

use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use bulwark_iac::{Engine, Limits, Report, RuleSelection, ScanInput, ScanOptions, Severity};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::Principal;
use crate::jobs::{JobContext, JobError, JobHandler, JobRegistry};
use crate::model::{IacScan, NewJob, StoredObject};
use crate::ports::Store;
use crate::resources::ResourceKind;
use crate::{DomainError, Result, Role, Status, clock};

/// The Optix message for missing or inconsistent scan arguments.
pub const PROPER_ARGUMENTS: &str = "Proper arguments not provided";
/// The Optix message for an unknown scan id (including other accounts' scans).
pub const SCAN_NOT_FOUND: &str = "Unable to find the scan you requested";

static ENGINE: OnceLock<std::result::Result<Engine, String>> = OnceLock::new();

/// The built-in rules, parsed once per process.
pub fn engine() -> Result<&'static Engine> {
    ENGINE
        .get_or_init(|| Engine::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| DomainError::Internal(format!("IaC rules failed to load: {e}")))
}

fn validate_policy(doc: &Map<String, Value>) -> Result<()> {
    let name = doc.get("name").and_then(Value::as_str).unwrap_or("");
    if name.trim().is_empty() {
        return Err(DomainError::invalid(
            "an IaC policy needs a non-empty `name`",
        ));
    }
    let sel = selection_of(doc)?;
    let unknown = sel.unknown_ids(engine()?.rules());
    if !unknown.is_empty() {
        return Err(DomainError::invalid(format!(
            "no rule matches {}",
            unknown.join(", ")
        )));
    }
    Ok(())
}

fn selection_of(doc: &Map<String, Value>) -> Result<RuleSelection> {
    serde_json::from_value::<RuleSelection>(Value::Object(doc.clone()))
        .map_err(|e| DomainError::invalid(format!("invalid IaC policy: {e}")))
}

/// Named IaC policies (beyond the seed): `{name, description, enabled, disabled,
/// severity_overrides}`; `enabled`/`disabled` take rule ids or `PREFIX*` patterns.
pub static IAC_POLICIES: ResourceKind = ResourceKind {
    kind: "iac_policy",
    what: "IaC policy",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: Some("name"),
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_policy,
    secret_fields: &[],
};

/// Alerts raised by scans saved to the account (shape of the Optix alert objects).
pub static ALERTS: ResourceKind = ResourceKind {
    kind: "alert",
    what: "alert",
    read_role: Role::ReadOnly,
    write_role: Role::Analyst,
    unique_field: None,
    actor_fields: false,
    default_status: Status::Active,
    validate: |_| Ok(()),
    secret_fields: &[],
};

/// A scan request (the multipart fields of `POST /api/v1/iac/scan`).
#[derive(Debug, Default)]
pub struct SubmitScan {
    pub files: Vec<(String, Vec<u8>)>,
    pub repo_url: String,
    pub branch: String,
    pub committer_name: String,
    pub committer_email: String,
    pub asynchronous: bool,
    pub save_results: bool,
    pub policy_name: Option<String>,
}

/// Counts of active findings by severity (the `summary` of a synchronous scan).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanSummary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

/// `GET /api/v1/iac/scan/status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanStatus {
    pub processing_ongoing: bool,
    pub success: bool,
    pub error: String,
}

/// Whether an upload or a path names an archive to unpack (by extension).
pub fn is_archive(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".zip") || n.ends_with(".tar") || n.ends_with(".tar.gz") || n.ends_with(".tgz")
}

/// IaC scans of an account.
pub struct IacService {
    store: Arc<dyn Store>,
}

impl IacService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Uploaded files, with archives unpacked safely, as one bounded input.
    fn input(files: &[(String, Vec<u8>)], limits: &Limits) -> Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for (name, bytes) in files {
            if is_archive(name) {
                let unpacked = ScanInput::from_archive(bytes, limits).map_err(|e| {
                    DomainError::invalid(format!("{PROPER_ARGUMENTS}: `{name}`: {e}"))
                })?;
                out.extend(
                    unpacked
                        .files()
                        .iter()
                        .map(|f| (f.path.clone(), f.bytes.clone())),
                );
            } else {
                out.push((name.clone(), bytes.clone()));
            }
        }
        // Validates paths (no traversal), counts and sizes across everything.
        ScanInput::from_files(out.clone(), limits)
            .map_err(|e| DomainError::invalid(format!("{PROPER_ARGUMENTS}: {e}")))?;
        Ok(out)
    }

    async fn selection(&self, account_id: Uuid, policy_name: &str) -> Result<RuleSelection> {
        if policy_name.is_empty() {
            return Ok(RuleSelection::all());
        }
        let policy = self
            .store
            .get_object_by_key(account_id, IAC_POLICIES.kind, policy_name)
            .await?
            .filter(|p| p.status == Status::Active)
            .ok_or_else(|| DomainError::invalid(format!("IaC policy `{policy_name}` not found")))?;
        selection_of(&policy.doc)
    }

    /// Accepts a scan: validates it, stores it, and either queues it or runs it now.
    pub async fn submit(
        &self,
        caller: &Principal,
        req: SubmitScan,
    ) -> Result<(Uuid, Option<ScanSummary>)> {
        caller.require(Role::Analyst)?;
        if req.files.is_empty() {
            return Err(DomainError::invalid(PROPER_ARGUMENTS));
        }
        let provenance = [
            &req.repo_url,
            &req.branch,
            &req.committer_name,
            &req.committer_email,
        ];
        if req.save_results && provenance.iter().any(|v| v.trim().is_empty()) {
            return Err(DomainError::invalid(format!(
                "{PROPER_ARGUMENTS}: saving results needs repo_url, branch, committer_name and committer_email"
            )));
        }
        let policy_name = req.policy_name.unwrap_or_default();
        self.selection(caller.account_id, &policy_name).await?;
        let files = Self::input(&req.files, &Limits::default())?;
        let scan = IacScan {
            id: Uuid::new_v4(),
            account_id: caller.account_id,
            status: "queued".into(),
            repo_url: req.repo_url,
            branch: req.branch,
            committer_name: req.committer_name,
            committer_email: req.committer_email,
            policy_name,
            save_results: req.save_results,
            report: None,
            error: None,
            create_time: clock::now_ms(),
            finish_time: None,
        };
        self.store.insert_iac_scan(&scan, &files).await?;
        if req.asynchronous {
            let job = NewJob {
                account_id: caller.account_id,
                kind: "iac.scan".into(),
                payload: json!({ "scan_id": scan.id }),
                max_attempts: 3,
                run_at: scan.create_time,
            };
            self.store.enqueue(&job, scan.create_time).await?;
            return Ok((scan.id, None));
        }
        let done = self.run(caller.account_id, scan.id).await?;
        Ok((scan.id, Some(summary(done.report.as_ref()))))
    }

    /// Runs a stored scan to completion and records the outcome.
    pub async fn run(&self, account_id: Uuid, scan_id: Uuid) -> Result<IacScan> {
        let mut scan = self
            .store
            .get_iac_scan(account_id, scan_id)
            .await?
            .ok_or_else(|| DomainError::invalid(SCAN_NOT_FOUND))?;
        if scan.finish_time.is_some() {
            return Ok(scan);
        }
        let files = self.store.iac_scan_files(account_id, scan_id).await?;
        let selection = self.selection(account_id, &scan.policy_name).await;
        let outcome = match selection {
            Ok(selection) => tokio::task::spawn_blocking(move || -> Result<Report> {
                let limits = Limits::default();
                let input = ScanInput::from_files(files, &limits)
                    .map_err(|e| DomainError::invalid(e.to_string()))?;
                Ok(engine()?.scan(&input, &ScanOptions { selection, limits }))
            })
            .await
            .map_err(|e| DomainError::Internal(format!("scan task failed: {e}")))
            .and_then(|r| r),
            Err(e) => Err(e),
        };
        scan.finish_time = Some(clock::now_ms());
        match outcome {
            Ok(report) => {
                let value = serde_json::to_value(&report)
                    .map_err(|e| DomainError::Internal(e.to_string()))?;
                scan.status = "done".into();
                if scan.save_results {
                    self.save_alerts(&scan, &report).await?;
                }
                scan.report = Some(value);
            }
            Err(e) => {
                scan.status = "failed".into();
                scan.error = Some(e.to_string());
            }
        }
        self.store.update_iac_scan(&scan).await?;
        Ok(scan)
    }

    async fn save_alerts(&self, scan: &IacScan, report: &Report) -> Result<()> {
        let account = self
            .store
            .account_by_id(scan.account_id)
            .await?
            .ok_or(DomainError::NotFound("account"))?;
        let now = clock::now_ms();
        for f in report.active_findings() {
            let uuid = Uuid::new_v4();
            let frameworks: Vec<String> = f.compliance.iter().map(|c| c.standard.clone()).collect();
            let doc = json!({
                "uuid": uuid.to_string(),
                "account_name": account.name,
                "alertId": uuid.to_string(),
                "url": "",
                "policyLabel": f.title,
                "alertDetails": format!("{} ({}:{}-{}, {})", f.message, f.file, f.start_line, f.end_line, f.resource),
                "firstSeen": now,
                "lastSeen": now,
                "score": severity_score(f.severity),
                "state": "OPEN",
                "lastAction": "",
                "lastActionTime": "",
                "jiraId": "",
                "provider": "IaC",
                "source": "iac",
                "scanId": scan.id.to_string(),
                "repoUrl": scan.repo_url,
                "branch": scan.branch,
                "committerName": scan.committer_name,
                "committerEmail": scan.committer_email,
                "policyTagList": frameworks,
                "ruleResult": {
                    "affectedResources": [{
                        "affectedResource": f.resource,
                        "status": "FAILED",
                        "failureReason": f.message,
                        "state": "OPEN",
                        "firstSeen": now,
                        "dataMap": {"file": f.file, "startLine": f.start_line, "endLine": f.end_line,
                                    "resourceType": f.resource_type, "remediation": f.remediation},
                    }],
                    "severity": f.severity.as_str(),
                    "controlId": f.rule_id,
                    "controlIdDesc": f.title,
                },
                "create_time": now,
                "update_time": now,
                "status": Status::Active.code(),
            });
            let Value::Object(doc) = doc else { continue };
            let obj = StoredObject::internal(uuid, now, doc);
            self.store
                .insert_object(scan.account_id, ALERTS.kind, &obj)
                .await?;
        }
        Ok(())
    }

    async fn get(&self, caller: &Principal, scan_id: &str) -> Result<IacScan> {
        caller.require(Role::ReadOnly)?;
        let id =
            Uuid::parse_str(scan_id.trim()).map_err(|_| DomainError::invalid(SCAN_NOT_FOUND))?;
        self.store
            .get_iac_scan(caller.account_id, id)
            .await?
            .ok_or_else(|| DomainError::invalid(SCAN_NOT_FOUND))
    }

    pub async fn status(&self, caller: &Principal, scan_id: &str) -> Result<ScanStatus> {
        let scan = self.get(caller, scan_id).await?;
        Ok(ScanStatus {
            processing_ongoing: scan.finish_time.is_none(),
            success: scan.status == "done",
            error: scan.error.unwrap_or_default(),
        })
    }

    /// The scan's report (`None` while it is still processing).
    pub async fn report(&self, caller: &Principal, scan_id: &str) -> Result<(Uuid, Option<Value>)> {
        let scan = self.get(caller, scan_id).await?;
        if scan.finish_time.is_none() {
            return Err(DomainError::invalid(format!(
                "Scan {} is still processing",
                scan.id
            )));
        }
        if let Some(e) = scan.error {
            return Err(DomainError::invalid(format!(
                "Scan {} failed: {e}",
                scan.id
            )));
        }
        Ok((scan.id, scan.report))
    }
}

fn severity_score(s: Severity) -> i64 {
    match s {
        Severity::Critical => 10,
        Severity::High => 7,
        Severity::Medium => 4,
        Severity::Low => 1,
    }
}

/// Counts of active findings in a stored report.
pub fn summary(report: Option<&Value>) -> ScanSummary {
    let mut s = ScanSummary::default();
    for f in report
        .and_then(|r| r.get("findings"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if f.get("suppressed").is_some_and(|v| !v.is_null()) {
            continue;
        }
        match f.get("severity").and_then(Value::as_str) {
            Some("CRITICAL") => s.critical += 1,
            Some("HIGH") => s.high += 1,
            Some("MEDIUM") => s.medium += 1,
            Some("LOW") => s.low += 1,
            _ => {}
        }
    }
    s
}

struct IacScanJob(IacService);

#[async_trait]
impl JobHandler for IacScanJob {
    async fn run(&self, ctx: &JobContext, payload: &Value) -> std::result::Result<Value, JobError> {
        let id = payload
            .get("scan_id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| JobError::Permanent("payload has no scan_id".into()))?;
        match self.0.run(ctx.account_id, id).await {
            Ok(scan) => Ok(json!({ "scan_id": id, "status": scan.status })),
            Err(DomainError::Storage(e)) => Err(JobError::Retryable(e)),
            Err(e) => Err(JobError::Permanent(e.to_string())),
        }
    }
}

/// Adds the `iac.scan` job kind.
pub fn register_jobs(registry: &mut JobRegistry, store: Arc<dyn Store>) {
    registry.register("iac.scan", Arc::new(IacScanJob(IacService::new(store))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_active_findings_only() {
        let report = json!({"findings": [
            {"severity": "HIGH", "suppressed": null},
            {"severity": "HIGH"},
            {"severity": "LOW", "suppressed": {"reason": "ok"}},
            {"severity": "CRITICAL"}
        ]});
        let s = summary(Some(&report));
        assert_eq!((s.critical, s.high, s.medium, s.low), (1, 2, 0, 0));
    }

    #[test]
    fn builtin_rules_load() {
        assert!(engine().map(|e| e.rules().len()).unwrap_or(0) >= 200);
    }
}
