//! Syncing a directory into the account: the `integration.sync` job and the scheduler
//! that queues it on each integration's `interval_mins`.
//!
//! A sync reads every user and group from the provider and upserts them as the
//! account's users (with their personal data record) and groups, marked with the
//! integration's `data_source`, `integration_id` and the provider's id
//! (`source_user_id`; for groups the extension `source_group_id`). Membership is the
//! group's `member_users` / `member_groups`, the way the access evaluator reads it.
//! Users and groups of this integration that the provider no longer lists become
//! DELETED; objects of other data sources or integrations are never touched.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Map, Value, json};
use tokio::sync::watch;
use uuid::Uuid;

use super::{Connection, DirectoryData, INTEGRATIONS, IntegrationService, ProviderFailure};
use crate::auth::{AuthType, Principal};
use crate::identity::{GROUPS, USER_PII, USERS};
use crate::jobs::{JobContext, JobError, JobHandler, JobRegistry};
use crate::model::{ObjectFilter, StoredObject};
use crate::resources::ResourceKind;
use crate::{DomainError, Result, Role, Status, clock};

/// The job kind.
pub const SYNC_JOB: &str = "integration.sync";

/// Per integration, when the scheduler last queued a sync (same uuid).
const SCHEDULE_KIND: &str = "integration_schedule";

const ALL_STATUSES: [Status; 5] = [
    Status::Unspecified,
    Status::Init,
    Status::Active,
    Status::Suspended,
    Status::Deleted,
];

/// Counts of one sync, the job's result.
#[derive(Debug, Default, serde::Serialize)]
struct Report {
    users_created: usize,
    users_updated: usize,
    users_deleted: usize,
    groups_created: usize,
    groups_updated: usize,
    groups_deleted: usize,
}

fn job_error(e: DomainError) -> JobError {
    match e {
        DomainError::Storage(m) => JobError::Retryable(m),
        other => JobError::Permanent(other.to_string()),
    }
}

fn provider_error(f: ProviderFailure) -> JobError {
    if f.is_transient() {
        JobError::Retryable(f.message)
    } else {
        JobError::Permanent(f.message)
    }
}

/// Whether applying `changes` would alter `doc`.
fn changed(doc: &Map<String, Value>, changes: &Map<String, Value>) -> bool {
    changes.iter().any(|(k, v)| doc.get(k) != Some(v))
}

fn domain_matches(email: Option<&str>, domains: &[String]) -> bool {
    if domains.is_empty() {
        return true;
    }
    let domain = email
        .and_then(|e| e.rsplit_once('@'))
        .map(|(_, d)| d.to_ascii_lowercase());
    domain.is_some_and(|d| domains.iter().any(|f| f.eq_ignore_ascii_case(&d)))
}

impl IntegrationService {
    /// The principal a sync writes as: the account's admin, named after the integration.
    fn sync_principal(account_id: Uuid, doc: &Map<String, Value>) -> Principal {
        let name = doc
            .get("display_name")
            .and_then(Value::as_str)
            .unwrap_or("");
        Principal {
            account_id,
            account_name: doc
                .get("account_name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            role: Role::Admin,
            auth_type: AuthType::ApiKey,
            credential_uuid: Uuid::nil(),
            token_uuid: None,
            user_uuid: String::new(),
            display_name: format!("integration {name}"),
            view_pii_log_only: false,
        }
    }

    /// The objects of `kind` this integration created, by provider id.
    async fn synced(
        &self,
        account_id: Uuid,
        kind: &ResourceKind,
        data_source: i64,
        integration: &str,
        id_field: &str,
    ) -> Result<HashMap<String, StoredObject>> {
        let filter = ObjectFilter {
            statuses: ALL_STATUSES.to_vec(),
            data_sources: vec![data_source],
            limit: 1_000_000,
            ..ObjectFilter::default()
        };
        let objs = self
            .store
            .query_objects(account_id, kind.kind, &filter)
            .await?;
        Ok(objs
            .into_iter()
            .filter(|o| o.doc.get("integration_id").and_then(Value::as_str) == Some(integration))
            .filter_map(|o| {
                let id = o.doc.get(id_field).and_then(Value::as_str)?.to_string();
                Some((id, o))
            })
            .collect())
    }

    /// Runs one sync of an integration of `account_id`.
    async fn sync(&self, account_id: Uuid, uuid: Uuid) -> std::result::Result<Value, JobError> {
        let stored = self
            .store
            .get_object(account_id, INTEGRATIONS.kind, uuid)
            .await
            .map_err(job_error)?
            .ok_or_else(|| JobError::Permanent("the integration no longer exists".into()))?;
        let provider = Self::syncable(&stored.doc).map_err(job_error)?;
        let creds = self
            .open(account_id, uuid, &stored.doc)
            .map_err(job_error)?;
        let conn = Connection::from_doc(&stored.doc, creds).map_err(provider_error)?;
        let data = self.directory.fetch(&conn).await.map_err(provider_error)?;
        let domains = crate::edge::strings(&stored.doc, "filter_domains").unwrap_or_default();
        let caller = Self::sync_principal(account_id, &stored.doc);
        let report = self
            .apply(&caller, provider.data_source(), uuid, data, &domains)
            .await
            .map_err(job_error)?;
        tracing::info!(integration = %uuid, ?report, "integration sync finished");
        serde_json::to_value(&report).map_err(|e| JobError::Permanent(e.to_string()))
    }

    async fn apply(
        &self,
        caller: &Principal,
        ds: i64,
        integration: Uuid,
        data: DirectoryData,
        domains: &[String],
    ) -> Result<Report> {
        let iid = integration.to_string();
        let now = clock::now_ms();
        let mut report = Report::default();
        let mut users = self
            .synced(caller.account_id, &USERS, ds, &iid, "source_user_id")
            .await?;
        let mut user_ids: HashMap<String, String> = HashMap::new();
        for u in data
            .users
            .iter()
            .filter(|u| domain_matches(u.email.as_deref(), domains))
        {
            let status = if u.active {
                Status::Active
            } else {
                Status::Suspended
            };
            let mut fields = Map::new();
            fields.insert("display_name".into(), json!(u.display_name));
            fields.insert("status".into(), json!(status.code()));
            fields.insert("data_source".into(), json!(ds));
            fields.insert("integration_id".into(), json!(iid));
            fields.insert("source_user_id".into(), json!(u.id));
            fields.insert(
                "integration_to_source_user_id".into(),
                json!({ iid.clone(): u.id }),
            );
            let mut pii = Map::new();
            pii.insert("email".into(), json!(u.email.clone().unwrap_or_default()));
            pii.insert("login".into(), json!(u.login.clone().unwrap_or_default()));
            let id = match users.remove(&u.id) {
                Some(existing) => {
                    if changed(&existing.doc, &fields) {
                        fields.insert("record_update_time".into(), json!(now));
                        self.resources
                            .update(caller, &USERS, existing.uuid, fields, &[], None)
                            .await?;
                        report.users_updated += 1;
                    }
                    self.upsert_pii(caller, existing.uuid, pii).await?;
                    existing.uuid
                }
                None => {
                    fields.insert("record_update_time".into(), json!(now));
                    let doc = self.resources.create(caller, &USERS, fields).await?;
                    let id = doc_uuid(&doc)?;
                    self.resources
                        .create_with_uuid(caller, &USER_PII, pii, id)
                        .await?;
                    report.users_created += 1;
                    id
                }
            };
            user_ids.insert(u.id.clone(), id.to_string());
        }
        for gone in users.into_values().filter(|o| o.status != Status::Deleted) {
            self.resources.delete(caller, &USERS, gone.uuid).await?;
            report.users_deleted += 1;
        }

        let mut groups = self
            .synced(caller.account_id, &GROUPS, ds, &iid, "source_group_id")
            .await?;
        // Uuids first, so nested groups can point at groups created later in the loop.
        let group_ids: HashMap<String, Uuid> = data
            .groups
            .iter()
            .map(|g| {
                let id = groups.get(&g.id).map_or_else(Uuid::new_v4, |o| o.uuid);
                (g.id.clone(), id)
            })
            .collect();
        for g in &data.groups {
            let members: Vec<&String> = g
                .member_users
                .iter()
                .filter_map(|m| user_ids.get(m))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            let mut members: Vec<String> = members.into_iter().cloned().collect();
            members.sort();
            let mut nested: Vec<String> = g
                .member_groups
                .iter()
                .filter_map(|m| group_ids.get(m).map(Uuid::to_string))
                .collect();
            nested.sort();
            nested.dedup();
            let name = if g.name.trim().is_empty() {
                g.id.clone()
            } else {
                g.name.clone()
            };
            let mut fields = Map::new();
            fields.insert("name".into(), json!(name));
            fields.insert("description".into(), json!(g.description));
            fields.insert("status".into(), json!(Status::Active.code()));
            fields.insert("data_source".into(), json!(ds));
            fields.insert("integration_id".into(), json!(iid));
            fields.insert("source_group_id".into(), json!(g.id));
            fields.insert("user_count".into(), json!(members.len()));
            fields.insert("sub_group_count".into(), json!(nested.len()));
            fields.insert("member_users".into(), json!(members));
            fields.insert("member_groups".into(), json!(nested));
            let id = group_ids.get(&g.id).copied().unwrap_or_else(Uuid::new_v4);
            match groups.remove(&g.id) {
                Some(existing) => {
                    if changed(&existing.doc, &fields) {
                        let membership = ["member_users", "member_groups"]
                            .iter()
                            .any(|k| existing.doc.get(*k) != fields.get(*k));
                        let key = if membership {
                            "membership_update_time"
                        } else {
                            "profile_update_time"
                        };
                        fields.insert(key.into(), json!(now));
                        self.resources
                            .update(caller, &GROUPS, existing.uuid, fields, &[], None)
                            .await?;
                        report.groups_updated += 1;
                    }
                }
                None => {
                    fields.insert("membership_update_time".into(), json!(now));
                    fields.insert("profile_update_time".into(), json!(now));
                    self.resources
                        .create_with_uuid(caller, &GROUPS, fields, id)
                        .await?;
                    report.groups_created += 1;
                }
            }
        }
        for gone in groups.into_values().filter(|o| o.status != Status::Deleted) {
            self.resources.delete(caller, &GROUPS, gone.uuid).await?;
            report.groups_deleted += 1;
        }
        Ok(report)
    }

    async fn upsert_pii(
        &self,
        caller: &Principal,
        id: Uuid,
        pii: Map<String, Value>,
    ) -> Result<()> {
        match self
            .store
            .get_object(caller.account_id, USER_PII.kind, id)
            .await?
        {
            Some(existing) if !changed(&existing.doc, &pii) => Ok(()),
            Some(_) => self
                .resources
                .update(caller, &USER_PII, id, pii, &[], None)
                .await
                .map(|_| ()),
            None => self
                .resources
                .create_with_uuid(caller, &USER_PII, pii, id)
                .await
                .map(|_| ()),
        }
    }

    /// Takes the right to queue the next scheduled sync of an integration: true for
    /// exactly one caller per interval, however many servers ask. The claim is a
    /// compare-and-set on the schedule object's `update_time` (or its insertion).
    async fn claim_schedule(
        &self,
        account_id: Uuid,
        uuid: Uuid,
        interval_ms: i64,
        now: i64,
    ) -> Result<bool> {
        let existing = self
            .store
            .get_object(account_id, SCHEDULE_KIND, uuid)
            .await?;
        let mut doc = Map::new();
        doc.insert("last_queued_time".into(), json!(now));
        match existing {
            None => {
                let obj = StoredObject::internal(uuid, now, doc);
                match self
                    .store
                    .insert_object(account_id, SCHEDULE_KIND, &obj)
                    .await
                {
                    Ok(()) => Ok(true),
                    Err(DomainError::Conflict(_)) => Ok(false),
                    Err(e) => Err(e),
                }
            }
            Some(s) => {
                let last = s
                    .doc
                    .get("last_queued_time")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if last + interval_ms > now {
                    return Ok(false);
                }
                let obj = StoredObject {
                    update_time: now.max(s.update_time + 1),
                    doc,
                    ..s.clone()
                };
                self.store
                    .replace_object(account_id, SCHEDULE_KIND, &obj, s.update_time)
                    .await
            }
        }
    }
}

fn doc_uuid(doc: &Map<String, Value>) -> Result<Uuid> {
    doc.get("uuid")
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| DomainError::Internal("created object has no uuid".into()))
}

struct SyncJob(Arc<IntegrationService>);

#[async_trait]
impl JobHandler for SyncJob {
    async fn run(&self, ctx: &JobContext, payload: &Value) -> std::result::Result<Value, JobError> {
        let id = payload
            .get("integration_uuid")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| JobError::Permanent("payload has no integration_uuid".into()))?;
        self.0.sync(ctx.account_id, id).await
    }
}

/// Adds the `integration.sync` job kind.
pub fn register_jobs(registry: &mut JobRegistry, service: Arc<IntegrationService>) {
    registry.register(SYNC_JOB, Arc::new(SyncJob(service)));
}

/// Queues the syncs that are due. Safe to run in every server and worker process:
/// each due sync is claimed by exactly one of them (see `claim_schedule`). A process
/// that dies between the claim and the enqueue skips that one sync; the next
/// interval queues it again.
pub struct SyncScheduler {
    service: Arc<IntegrationService>,
}

impl SyncScheduler {
    pub fn new(service: Arc<IntegrationService>) -> Self {
        Self { service }
    }

    /// One pass over every account's active integrations; returns how many syncs it
    /// queued. An integration is first due as soon as it exists.
    pub async fn tick(&self, now: i64) -> Result<usize> {
        let svc = &self.service;
        let mut queued = 0;
        for account in svc.store.list_accounts().await? {
            let filter = ObjectFilter {
                statuses: vec![Status::Active],
                limit: 100_000,
                ..ObjectFilter::default()
            };
            let integrations = svc
                .store
                .query_objects(account.id, INTEGRATIONS.kind, &filter)
                .await?;
            for i in integrations {
                let mins = i
                    .doc
                    .get("interval_mins")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if mins <= 0 || IntegrationService::syncable(&i.doc).is_err() {
                    continue;
                }
                if svc
                    .claim_schedule(account.id, i.uuid, mins * 60_000, now)
                    .await?
                {
                    svc.enqueue_sync(account.id, i.uuid).await?;
                    queued += 1;
                }
            }
        }
        Ok(queued)
    }

    /// Ticks every `period` until `shutdown` turns true.
    pub async fn run(self, period: Duration, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.tick(clock::now_ms()).await {
                tracing::warn!(error = %e, "integration sync scheduling failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(period) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_filter() {
        let d = vec!["Example.com".to_string()];
        assert!(domain_matches(Some("a@example.com"), &d));
        assert!(!domain_matches(Some("a@other.com"), &d));
        assert!(!domain_matches(None, &d));
        assert!(domain_matches(None, &[]));
    }
}
