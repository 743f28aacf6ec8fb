//! Repository ports: what the domain needs from storage. `bulwark-store` implements
//! them for SQLite and PostgreSQL.
//!
//! Architecture invariant: every method that reads or writes a tenant's object takes
//! the owning `account_id` and the implementation filters on it in SQL. There is no
//! "get by id" that could cross accounts, except the credential lookups used to find
//! out who the caller is.

use async_trait::async_trait;
use uuid::Uuid;

use crate::Result;
use crate::model::{
    Account, ApiToken, AuditEvent, AuditQuery, IacScan, Job, JobAttempt, JobState, NewJob,
    ObjectFilter, Session, StoredObject,
};

/// Which SQL engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded default.
    Sqlite,
    /// Scale-out.
    Postgres,
}

/// Accounts (tenants).
#[async_trait]
pub trait AccountRepo: Send + Sync {
    /// Inserts; a duplicate name is a `Conflict`.
    async fn create_account(&self, account: &Account) -> Result<()>;
    async fn account_by_name(&self, name: &str) -> Result<Option<Account>>;
    async fn account_by_id(&self, id: Uuid) -> Result<Option<Account>>;
    async fn list_accounts(&self) -> Result<Vec<Account>>;
    /// Replaces the onboarding document.
    async fn set_onboarding(
        &self,
        id: Uuid,
        onboarding: &serde_json::Value,
        now: i64,
    ) -> Result<()>;
}

/// API tokens.
#[async_trait]
pub trait TokenRepo: Send + Sync {
    async fn insert_token(&self, token: &ApiToken, secret_hash: &str) -> Result<()>;
    /// Credential lookup: the one query not scoped by account, because it is how the
    /// account is found.
    async fn token_by_hash(&self, secret_hash: &str) -> Result<Option<ApiToken>>;
    async fn get_token(&self, account_id: Uuid, uuid: Uuid) -> Result<Option<ApiToken>>;
    async fn list_tokens(&self, account_id: Uuid, include_suspended: bool)
    -> Result<Vec<ApiToken>>;
    /// Writes every mutable field of `token` (the service computed the patch).
    async fn update_token(&self, token: &ApiToken) -> Result<()>;
    /// Marks a single-use token used; false when it already was (atomic).
    async fn consume_token(&self, account_id: Uuid, uuid: Uuid, now_ms: i64) -> Result<bool>;
}

/// Login sessions.
#[async_trait]
pub trait SessionRepo: Send + Sync {
    async fn insert_session(&self, session: &Session) -> Result<()>;
    /// Credential lookup by the uuid inside a verified JWT.
    async fn session_by_id(&self, uuid: Uuid) -> Result<Option<Session>>;
}

/// The audit log.
#[async_trait]
pub trait AuditRepo: Send + Sync {
    async fn insert_audit(&self, event: &AuditEvent) -> Result<()>;
    async fn query_audit(&self, account_id: Uuid, query: &AuditQuery) -> Result<Vec<AuditEvent>>;
    async fn get_audit(&self, account_id: Uuid, uuid: Uuid) -> Result<Option<AuditEvent>>;
}

/// How an attempt ended, for [`JobRepo::finish`].
#[derive(Debug, Clone)]
pub struct JobOutcome<'a> {
    /// `Done`, `Queued` (retry at `retry_at`) or `Failed`.
    pub next: JobState,
    pub result: Option<&'a serde_json::Value>,
    pub error: Option<&'a str>,
    pub retry_at: i64,
    pub now: i64,
}

/// The persistent job queue.
#[async_trait]
pub trait JobRepo: Send + Sync {
    async fn enqueue(&self, job: &NewJob, now: i64) -> Result<Job>;
    /// Atomically claims the oldest runnable job of one of `kinds` (queued and due, or
    /// running with an expired lease) for `worker` until `now + lease_ms`, recording
    /// the attempt. Two claimers never get the same job at the same time.
    async fn claim(
        &self,
        worker: &str,
        kinds: &[String],
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<Job>>;
    /// Extends the lease of a job this worker still holds.
    async fn heartbeat(&self, id: Uuid, worker: &str, lease_until: i64) -> Result<bool>;
    /// Ends the current attempt. Returns false when the worker no longer holds the job
    /// (its lease expired and it was taken).
    async fn finish(&self, id: Uuid, worker: &str, outcome: &JobOutcome<'_>) -> Result<bool>;
    async fn get_job(&self, account_id: Uuid, id: Uuid) -> Result<Option<Job>>;
    async fn list_jobs(
        &self,
        account_id: Uuid,
        state: Option<JobState>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Job>>;
    async fn job_attempts(&self, account_id: Uuid, id: Uuid) -> Result<Vec<JobAttempt>>;
}

/// Generic account-scoped objects (the Edge resource families).
#[async_trait]
pub trait ObjectRepo: Send + Sync {
    /// Inserts; a duplicate `unique_key` within the account and kind is a `Conflict`.
    async fn insert_object(&self, account_id: Uuid, kind: &str, obj: &StoredObject) -> Result<()>;
    async fn get_object(
        &self,
        account_id: Uuid,
        kind: &str,
        uuid: Uuid,
    ) -> Result<Option<StoredObject>>;
    async fn get_object_by_key(
        &self,
        account_id: Uuid,
        kind: &str,
        key: &str,
    ) -> Result<Option<StoredObject>>;
    /// Replaces the object if its stored `update_time` still equals `expected_update_time`
    /// (optimistic concurrency); false when another write came first.
    async fn replace_object(
        &self,
        account_id: Uuid,
        kind: &str,
        obj: &StoredObject,
        expected_update_time: i64,
    ) -> Result<bool>;
    /// Newest first.
    async fn query_objects(
        &self,
        account_id: Uuid,
        kind: &str,
        filter: &ObjectFilter,
    ) -> Result<Vec<StoredObject>>;
}

/// IaC scans and their uploaded files.
#[async_trait]
pub trait IacRepo: Send + Sync {
    async fn insert_iac_scan(&self, scan: &IacScan, files: &[(String, Vec<u8>)]) -> Result<()>;
    async fn get_iac_scan(&self, account_id: Uuid, id: Uuid) -> Result<Option<IacScan>>;
    async fn iac_scan_files(&self, account_id: Uuid, id: Uuid) -> Result<Vec<(String, Vec<u8>)>>;
    /// Records the status, report and error of a scan; the uploaded files are dropped
    /// once the scan is finished.
    async fn update_iac_scan(&self, scan: &IacScan) -> Result<()>;
}

/// What one inventory sync replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncCounts {
    pub added: usize,
    pub updated: usize,
    /// Assets of the synced search keys not seen this time, now marked missing.
    pub missing: usize,
}

/// A page of assets and the total that matched.
#[derive(Debug, Clone, Default)]
pub struct AssetPage {
    pub assets: Vec<bulwark_inventory::Asset>,
    pub total: i64,
}

/// Which assets a read wants.
#[derive(Debug, Clone, Default)]
pub struct AssetQuery<'a> {
    pub search_keys: &'a [&'a str],
    /// Cloud account ids (empty: all).
    pub cloud_accounts: &'a [String],
    /// A parsed search term, compiled to SQL by the store.
    pub term: Option<&'a bulwark_query::Query>,
    pub limit: i64,
    pub offset: i64,
}

/// Cloud inventory.
#[async_trait]
pub trait AssetRepo: Send + Sync {
    /// Records one sync of environment `env`: upserts `assets`, and marks missing the
    /// environment's assets of `search_keys` that are not among them.
    async fn sync_assets(
        &self,
        account_id: Uuid,
        env: Uuid,
        search_keys: &[String],
        assets: &[bulwark_inventory::Asset],
        now: i64,
    ) -> Result<SyncCounts>;
    /// Deletes the environment's assets of `search_keys` last seen before `before`
    /// (the retention of event keys such as activity logs); returns how many.
    async fn expire_assets(
        &self,
        account_id: Uuid,
        env: Uuid,
        search_keys: &[String],
        before: i64,
    ) -> Result<usize>;
    /// Present (not missing) assets, ordered by search key and resource id.
    async fn query_assets(&self, account_id: Uuid, q: &AssetQuery<'_>) -> Result<AssetPage>;
    /// Present assets per (cloud account id, provider), for `GET /api/v1/accounts`,
    /// leaving out the search keys in `except`.
    async fn asset_counts(
        &self,
        account_id: Uuid,
        except: &[&str],
    ) -> Result<Vec<(String, String, i64)>>;
}

/// Liveness of the store.
#[async_trait]
pub trait HealthRepo: Send + Sync {
    /// A trivial round trip to the database.
    async fn ping(&self) -> Result<()>;
}

/// Single sign-on state: IdP settings, pending logins and used assertion ids.
#[async_trait]
pub trait SsoRepo: Send + Sync {
    /// The account's SSO settings document, if any.
    async fn sso_config(&self, account_id: Uuid) -> Result<Option<serde_json::Value>>;
    async fn put_sso_config(
        &self,
        account_id: Uuid,
        config: &serde_json::Value,
        now: i64,
    ) -> Result<()>;
    async fn insert_sso_pending(&self, pending: &crate::sso::PendingLogin) -> Result<()>;
    /// Deletes and returns the pending login `id` (atomic: only one caller gets it);
    /// expired ones are never returned. Unscoped: the id is how the account is found.
    async fn take_sso_pending(
        &self,
        id: &str,
        now_sec: i64,
    ) -> Result<Option<crate::sso::PendingLogin>>;
    /// Records `used_id` as consumed until `expire_time_sec`; false when it already was.
    async fn mark_sso_used(
        &self,
        account_id: Uuid,
        used_id: &str,
        expire_time_sec: i64,
        now_sec: i64,
    ) -> Result<bool>;
}

/// Everything storage offers, as one object the services can share.
pub trait Store:
    HealthRepo
    + AccountRepo
    + ObjectRepo
    + IacRepo
    + AssetRepo
    + TokenRepo
    + SessionRepo
    + AuditRepo
    + JobRepo
    + SsoRepo
    + 'static
{
    /// The SQL engine behind this store.
    fn backend(&self) -> Backend;
}
