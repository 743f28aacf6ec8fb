//! The claim loop. Each worker runs `concurrency` slots; each slot claims one job at a
//! time, heartbeats its lease while the handler runs, and records the outcome.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use super::{JobContext, JobError, JobRegistry, backoff_ms};
use crate::clock;
use crate::model::{Job, JobState};
use crate::ports::{JobOutcome, Store};

/// Tuning of one worker.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Name recorded on claims and attempts; unique per process.
    pub id: String,
    pub concurrency: usize,
    /// How long a claim is valid without a heartbeat.
    pub lease_ms: i64,
    /// Sleep between empty polls.
    pub poll_ms: u64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            id: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            concurrency: 2,
            lease_ms: 30_000,
            poll_ms: 250,
        }
    }
}

/// A job worker bound to a store and a set of handlers.
pub struct Worker {
    store: Arc<dyn Store>,
    registry: Arc<JobRegistry>,
    config: WorkerConfig,
}

impl Worker {
    pub fn new(store: Arc<dyn Store>, registry: Arc<JobRegistry>, config: WorkerConfig) -> Self {
        Self {
            store,
            registry,
            config,
        }
    }

    /// Runs until `shutdown` turns true, then lets running jobs finish.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        let mut slots = JoinSet::new();
        for slot in 0..this.config.concurrency.max(1) {
            let w = this.clone();
            let rx = shutdown.clone();
            slots.spawn(async move { w.slot(slot, rx).await });
        }
        while slots.join_next().await.is_some() {}
        tracing::info!(worker = %this.config.id, "worker stopped");
    }

    async fn slot(&self, slot: usize, mut shutdown: watch::Receiver<bool>) {
        let kinds = self.registry.kinds();
        let worker_id = format!("{}/{slot}", self.config.id);
        loop {
            if *shutdown.borrow() {
                return;
            }
            let claimed = self
                .store
                .claim(&worker_id, &kinds, clock::now_ms(), self.config.lease_ms)
                .await;
            match claimed {
                Ok(Some(job)) => self.execute(&worker_id, job).await,
                Ok(None) => {
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_millis(self.config.poll_ms)) => {}
                        _ = shutdown.changed() => {}
                    }
                }
                Err(e) => {
                    tracing::warn!(worker = %worker_id, error = %e, "job claim failed");
                    tokio::time::sleep(Duration::from_millis(self.config.poll_ms * 4)).await;
                }
            }
        }
    }

    async fn execute(&self, worker_id: &str, job: Job) {
        metrics::counter!("bulwark_jobs_claimed_total", "kind" => job.kind.clone()).increment(1);
        let ctx = JobContext {
            job_id: job.id,
            account_id: job.account_id,
            attempt: job.attempts,
            worker: worker_id.to_string(),
        };
        let outcome = match self.registry.get(&job.kind) {
            Some(handler) => {
                let beat = self.heartbeat(job.id, worker_id.to_string());
                let out = handler.run(&ctx, &job.payload).await;
                beat.abort();
                out
            }
            None => Err(JobError::Permanent(format!(
                "no handler for `{}`",
                job.kind
            ))),
        };
        let now = clock::now_ms();
        let (next, result, error, retry_at) = match &outcome {
            Ok(v) => (JobState::Done, Some(v), None, now),
            Err(JobError::Retryable(e)) if job.attempts < job.max_attempts => (
                JobState::Queued,
                None,
                Some(e.as_str()),
                now + backoff_ms(job.attempts - 1),
            ),
            Err(JobError::Retryable(e) | JobError::Permanent(e)) => {
                (JobState::Failed, None, Some(e.as_str()), now)
            }
        };
        tracing::info!(job = %job.id, kind = %job.kind, attempt = job.attempts, state = next.as_str(), "job attempt finished");
        metrics::counter!("bulwark_jobs_finished_total", "kind" => job.kind.clone(), "state" => next.as_str()).increment(1);
        match self
            .store
            .finish(
                job.id,
                worker_id,
                &JobOutcome {
                    next,
                    result,
                    error,
                    retry_at,
                    now,
                },
            )
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(job = %job.id, "lease lost before the job finished; outcome dropped")
            }
            Err(e) => tracing::error!(job = %job.id, error = %e, "could not record job outcome"),
        }
    }

    fn heartbeat(&self, id: uuid::Uuid, worker: String) -> tokio::task::JoinHandle<()> {
        let store = self.store.clone();
        let lease = self.config.lease_ms;
        tokio::spawn(async move {
            let every = Duration::from_millis(u64::try_from(lease / 3).unwrap_or(1000).max(100));
            loop {
                tokio::time::sleep(every).await;
                match store.heartbeat(id, &worker, clock::now_ms() + lease).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => tracing::warn!(job = %id, error = %e, "heartbeat failed"),
                }
            }
        })
    }
}
