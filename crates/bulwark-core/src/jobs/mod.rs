//! The job queue: long work (IaC and image scans, cloud syncs, exports) runs as
//! persistent jobs claimed by workers, in the server process or in `bulwark worker`.
//!
//! Architecture invariant: a job is only ever executed by the worker holding its lease.
//! Claims are atomic in the store (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a single
//! write statement on SQLite), so two workers never run one job at the same time; a
//! crashed worker's lease expires and the job is retried by another.

mod diagnostic;
mod worker;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

pub use diagnostic::register_diagnostics;
pub use worker::{Worker, WorkerConfig};

use crate::auth::Principal;
use crate::model::{Job, JobAttempt, JobState, NewJob};
use crate::ports::Store;
use crate::{DomainError, Result, Role, clock};

/// Why a handler did not finish.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt after back-off (network blips, throttling).
    #[error("{0}")]
    Retryable(String),
    /// Will fail the same way again (bad input): no more attempts.
    #[error("{0}")]
    Permanent(String),
}

/// What a handler sees of the job it runs.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub job_id: Uuid,
    pub account_id: Uuid,
    pub attempt: i32,
    pub worker: String,
}

/// Runs one kind of job.
#[async_trait]
pub trait JobHandler: Send + Sync + 'static {
    async fn run(
        &self,
        ctx: &JobContext,
        payload: &serde_json::Value,
    ) -> Result<serde_json::Value, JobError>;
}

/// Handlers by job kind.
#[derive(Default, Clone)]
pub struct JobRegistry {
    handlers: BTreeMap<String, Arc<dyn JobHandler>>,
}

impl JobRegistry {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds or replaces the handler for `kind`.
    pub fn register(&mut self, kind: &str, handler: Arc<dyn JobHandler>) {
        self.handlers.insert(kind.to_string(), handler);
    }
    /// The handler for `kind`.
    pub fn get(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(kind).cloned()
    }
    /// Every registered kind; a worker only claims these.
    pub fn kinds(&self) -> Vec<String> {
        self.handlers.keys().cloned().collect()
    }
}

/// Delay before attempt `attempt + 1`: 2^attempt seconds, capped at 10 minutes.
pub fn backoff_ms(attempt: i32) -> i64 {
    let exp = attempt.clamp(0, 20) as u32;
    (1000_i64 << exp).min(600_000)
}

/// Enqueueing and reading jobs on behalf of API callers.
pub struct JobService {
    store: Arc<dyn Store>,
    registry: Arc<JobRegistry>,
}

impl JobService {
    pub fn new(store: Arc<dyn Store>, registry: Arc<JobRegistry>) -> Self {
        Self { store, registry }
    }

    /// Enqueues a job for the caller's account. Only registered kinds are accepted.
    pub async fn enqueue(
        &self,
        account_id: Uuid,
        kind: &str,
        payload: serde_json::Value,
        max_attempts: i32,
    ) -> Result<Job> {
        if self.registry.get(kind).is_none() {
            return Err(DomainError::invalid(format!("unknown job kind `{kind}`")));
        }
        if !(1..=100).contains(&max_attempts) {
            return Err(DomainError::invalid(
                "`max_attempts` must be between 1 and 100",
            ));
        }
        let now = clock::now_ms();
        let job = NewJob {
            account_id,
            kind: kind.to_string(),
            payload,
            max_attempts,
            run_at: now,
        };
        self.store.enqueue(&job, now).await
    }

    /// Diagnostic jobs are an operator tool, so enqueueing them needs `admin`.
    pub async fn enqueue_diagnostic(
        &self,
        caller: &Principal,
        kind: &str,
        payload: serde_json::Value,
        max_attempts: i32,
    ) -> Result<Job> {
        caller.require(Role::Admin)?;
        if !kind.starts_with("diagnostic.") {
            return Err(DomainError::invalid(
                "only `diagnostic.*` jobs can be enqueued directly; other jobs are created by their operations",
            ));
        }
        self.enqueue(caller.account_id, kind, payload, max_attempts)
            .await
    }

    pub async fn get(&self, caller: &Principal, id: Uuid) -> Result<(Job, Vec<JobAttempt>)> {
        caller.require(Role::ReadOnly)?;
        let job = self
            .store
            .get_job(caller.account_id, id)
            .await?
            .ok_or(DomainError::NotFound("job"))?;
        let attempts = self.store.job_attempts(caller.account_id, id).await?;
        Ok((job, attempts))
    }

    pub async fn list(
        &self,
        caller: &Principal,
        state: Option<JobState>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Job>> {
        caller.require(Role::ReadOnly)?;
        self.store
            .list_jobs(caller.account_id, state, limit, offset)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(3), 8000);
        assert_eq!(backoff_ms(50), 600_000);
    }
}
