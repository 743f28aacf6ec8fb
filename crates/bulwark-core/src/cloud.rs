//! Live cloud sync: a `cloud.sync` job reads an environment's cloud through a
//! [`CloudCollector`] and stores what it found, exactly like a snapshot ingest.
//!
//! Core stays free of network code: the collectors (the AWS SDK one lives in the
//! binary) plug in through the [`CloudCollector`] port.

use std::sync::Arc;

use async_trait::async_trait;
use bulwark_inventory::{Asset, Provider};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::auth::Principal;
use crate::clock;
use crate::inventory::{
    ENVIRONMENTS, live_environment, provider_of, record_on_environment, trusted_accounts,
};
use crate::jobs::{JobContext, JobError, JobHandler, JobRegistry};
use crate::model::{Job, NewJob};
use crate::ports::Store;
use crate::resources::ResourceService;
use crate::{DomainError, Result};

/// The job kind.
pub const CLOUD_SYNC: &str = "cloud.sync";

/// At most this many per-service errors are kept on the environment.
const MAX_RECORDED_ERRORS: usize = 50;

/// What a collector needs to read one environment.
#[derive(Clone)]
pub struct CollectRequest {
    pub provider: Provider,
    /// The cloud account the environment is registered for.
    pub cloud_account: String,
    /// The environment's sealed `credentials`, opened; `None` means the collector's
    /// ambient identity (e.g. the SDK default chain of a server running in the cloud).
    pub credentials: Option<Value>,
    /// Endpoint override (an emulator, a private endpoint).
    pub endpoint_url: Option<String>,
    /// Regions to read; empty means every enabled region.
    pub regions: Vec<String>,
    /// Other cloud accounts the environment trusts (see `inventory::trusted_accounts`).
    pub trusted_accounts: Vec<String>,
    /// Hours of log files to read (`logLookbackHours`); `None`: the collector's default.
    pub log_lookback_hours: Option<u32>,
}

// Never print the credentials.
impl std::fmt::Debug for CollectRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CollectRequest")
            .field("provider", &self.provider)
            .field("cloud_account", &self.cloud_account)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "<sealed>"),
            )
            .field("endpoint_url", &self.endpoint_url)
            .field("regions", &self.regions)
            .field("trusted_accounts", &self.trusted_accounts)
            .field("log_lookback_hours", &self.log_lookback_hours)
            .finish()
    }
}

/// What one collection found.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    /// The cloud account the credentials actually reached.
    pub cloud_account: String,
    pub regions: Vec<String>,
    pub assets: Vec<Asset>,
    /// Keys whose listing succeeded in every region: only their unseen assets are
    /// marked missing, so a failed listing never makes resources vanish.
    pub complete_keys: Vec<String>,
    /// Keys holding events (activity logs, traffic): never marked missing, deleted
    /// once older than the retention instead.
    pub event_keys: Vec<String>,
    /// Per-service failures (service, region, operation, message, ...).
    pub errors: Vec<Value>,
    /// Optix `cloudLogStatus` / `flowLogStatus`, when the collector can tell.
    pub cloud_log_status: Option<String>,
    pub flow_log_status: Option<String>,
}

/// Why a collection produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum CollectFailure {
    /// Credentials, configuration or permissions: retrying will not help.
    #[error("{0}")]
    Rejected(String),
    /// Network or provider trouble: worth retrying.
    #[error("{0}")]
    Unavailable(String),
}

/// Reads a cloud's inventory live.
#[async_trait]
pub trait CloudCollector: Send + Sync {
    /// The provider this collector reads.
    fn provider(&self) -> Provider;
    async fn collect(&self, req: &CollectRequest)
    -> std::result::Result<Collected, CollectFailure>;
}

/// Requests and runs live syncs.
pub struct CloudSyncService {
    store: Arc<dyn Store>,
    resources: Arc<ResourceService>,
    collectors: Vec<Arc<dyn CloudCollector>>,
    /// How long events ([`Collected::event_keys`]) are kept after they were last read.
    event_retention_ms: i64,
}

/// Default retention of events: the 90 days CloudTrail's own event history keeps.
pub const DEFAULT_EVENT_RETENTION_DAYS: u32 = 90;

impl CloudSyncService {
    pub fn new(
        store: Arc<dyn Store>,
        resources: Arc<ResourceService>,
        collectors: Vec<Arc<dyn CloudCollector>>,
    ) -> Self {
        Self {
            store,
            resources,
            collectors,
            event_retention_ms: i64::from(DEFAULT_EVENT_RETENTION_DAYS) * 86_400_000,
        }
    }

    /// Keeps events for `days` after they were last read.
    pub fn with_event_retention(mut self, days: u32) -> Self {
        self.event_retention_ms = i64::from(days.max(1)) * 86_400_000;
        self
    }

    /// Registers the `cloud.sync` job kind.
    pub fn register(self: &Arc<Self>, registry: &mut JobRegistry) {
        registry.register(
            CLOUD_SYNC,
            Arc::new(SyncJob {
                service: self.clone(),
            }),
        );
    }

    fn collector(&self, provider: Provider) -> Option<&Arc<dyn CloudCollector>> {
        self.collectors.iter().find(|c| c.provider() == provider)
    }

    /// Queues a sync of environment `env`; returns the job.
    pub async fn request(&self, caller: &Principal, env: Uuid) -> Result<Job> {
        caller.require(ENVIRONMENTS.write_role)?;
        let doc = live_environment(self.store.as_ref(), caller.account_id, env).await?;
        let provider = provider_of(&doc)?;
        if self.collector(provider).is_none() {
            return Err(DomainError::invalid(format!(
                "live sync is not available for {} environments: load snapshots with POST /bulwark/v1/environments/{env}/ingest",
                provider.as_str()
            )));
        }
        if doc.get("isEnabled").and_then(Value::as_bool) == Some(false) {
            return Err(DomainError::invalid(
                "the environment is disabled (`isEnabled` false)",
            ));
        }
        let now = clock::now_ms();
        let job = NewJob {
            account_id: caller.account_id,
            kind: CLOUD_SYNC.into(),
            payload: json!({ "environment": env.to_string() }),
            max_attempts: 3,
            run_at: now,
        };
        self.store.enqueue(&job, now).await
    }

    /// Runs one sync: collect, store, record the outcome on the environment.
    pub async fn run(&self, account: Uuid, env: Uuid) -> std::result::Result<Value, JobError> {
        let internal = |e: DomainError| JobError::Retryable(e.to_string());
        let doc = live_environment(self.store.as_ref(), account, env)
            .await
            .map_err(|e| match e {
                DomainError::NotFound(_) => {
                    JobError::Permanent("the environment no longer exists".into())
                }
                e => internal(e),
            })?;
        let provider = provider_of(&doc).map_err(|e| JobError::Permanent(e.to_string()))?;
        let collector = self.collector(provider).ok_or_else(|| {
            JobError::Permanent(format!("no live collector for {}", provider.as_str()))
        })?;
        let credentials = self
            .resources
            .secret(account, &ENVIRONMENTS, env, "credentials")
            .await
            .map_err(internal)?;
        let str_of = |k: &str| {
            doc.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let req = CollectRequest {
            provider,
            cloud_account: str_of("accountId").unwrap_or_default(),
            credentials,
            endpoint_url: str_of("endpointUrl"),
            regions: doc
                .get("regions")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            trusted_accounts: trusted_accounts(self.store.as_ref(), account, env, &doc)
                .await
                .map_err(internal)?,
            log_lookback_hours: doc
                .get("logLookbackHours")
                .and_then(Value::as_u64)
                .and_then(|h| u32::try_from(h).ok()),
        };
        let started = clock::now_ms();
        let collected = match collector.collect(&req).await {
            Ok(c) => c,
            Err(failure) => {
                self.record_failure(account, env, started, &failure.to_string())
                    .await
                    .map_err(internal)?;
                return Err(match failure {
                    CollectFailure::Rejected(m) => JobError::Permanent(m),
                    CollectFailure::Unavailable(m) => JobError::Retryable(m),
                });
            }
        };
        if !req.cloud_account.is_empty() && collected.cloud_account != req.cloud_account {
            // Filing one account's resources under another would corrupt both inventories.
            let message = format!(
                "the credentials reach account {}, but the environment is registered for {}",
                collected.cloud_account, req.cloud_account
            );
            self.record_failure(account, env, started, &message)
                .await
                .map_err(internal)?;
            return Err(JobError::Permanent(message));
        }
        let now = clock::now_ms();
        let counts = self
            .store
            .sync_assets(
                account,
                env,
                &collected.complete_keys,
                &collected.assets,
                now,
            )
            .await
            .map_err(internal)?;
        let expired = self
            .store
            .expire_assets(
                account,
                env,
                &collected.event_keys,
                now - self.event_retention_ms,
            )
            .await
            .map_err(internal)?;
        let status = if collected.errors.is_empty() {
            "SUCCESS"
        } else {
            "PARTIAL"
        };
        let errors: Vec<Value> = collected
            .errors
            .iter()
            .take(MAX_RECORDED_ERRORS)
            .cloned()
            .collect();
        record_on_environment(self.store.as_ref(), account, env, |d| {
            d.insert("lastSyncTime".into(), json!(now));
            d.insert("lastSyncAttemptTime".into(), json!(started));
            d.insert("lastSyncStatus".into(), json!(status));
            d.insert("lastSyncErrors".into(), json!(errors));
            d.remove("lastSyncError");
            d.insert("regions_synced".into(), json!(collected.regions));
            if let Some(s) = &collected.cloud_log_status {
                d.insert("cloudLogStatus".into(), json!(s));
            }
            if let Some(s) = &collected.flow_log_status {
                d.insert("flowLogStatus".into(), json!(s));
            }
        })
        .await
        .map_err(internal)?;
        Ok(json!({
            "environment": env.to_string(),
            "status": status,
            "assets": collected.assets.len(),
            "added": counts.added,
            "updated": counts.updated,
            "missing": counts.missing,
            "expired": expired,
            "errors": collected.errors.len(),
        }))
    }

    async fn record_failure(
        &self,
        account: Uuid,
        env: Uuid,
        started: i64,
        message: &str,
    ) -> Result<()> {
        record_on_environment(self.store.as_ref(), account, env, |d| {
            d.insert("lastSyncStatus".into(), json!("FAILED"));
            d.insert("lastSyncError".into(), json!(message));
            d.insert("lastSyncAttemptTime".into(), json!(started));
        })
        .await
    }
}

struct SyncJob {
    service: Arc<CloudSyncService>,
}

#[async_trait]
impl JobHandler for SyncJob {
    async fn run(&self, ctx: &JobContext, payload: &Value) -> std::result::Result<Value, JobError> {
        let env = payload
            .get("environment")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| JobError::Permanent("payload lacks `environment`".into()))?;
        self.service.run(ctx.account_id, env).await
    }
}
