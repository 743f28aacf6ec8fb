//! 3rd-party integrations (E061-E064): identity providers whose users and groups
//! Bulwark syncs into the account. Credentials are sealed with the [`Sealer`] before
//! they are stored and never leave the service: documents keep only the non-secret
//! identifiers (`client_id`, `tenant_id`, ...) under `credentials`.
//!
//! Talking to the providers is a port ([`Directory`]): this crate does no network IO;
//! `bulwark-directory` implements it over HTTP.
//!
//! Data sources (seed enum; named in `crates/bulwark-access/README.md`): 1 OKTA,
//! 2 GSUITE (Google Workspace), 3 AZURE (Azure AD via Microsoft Graph). Every other
//! seed value is accepted and stored but has no directory connector.

mod model;
mod sync;

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{Map, Value, json};
use uuid::Uuid;

pub use model::{
    Connection, Credentials, DirectoryData, DirectoryGroup, DirectoryUser, Provider,
    ProviderFailure, ProviderFailureKind,
};
pub use sync::{SYNC_JOB, SyncScheduler, register_jobs};

use crate::auth::Principal;
use crate::crypto::Sealer;
use crate::edge::{int_enum, non_negative, required_text, strings, text};
use crate::model::{Job, NewJob};
use crate::ports::Store;
use crate::resources::{Query, ResourceKind, ResourceService};
use crate::{DomainError, Result, Role, Status, clock};

/// Every `data_source` value of the seed.
pub const DATA_SOURCES: &[i64] = &[
    0, 1, 2, 3, 11, 12, 13, 101, 102, 103, 104, 201, 202, 301, 401, 402, 403, 9001, 9002, 9003,
    9004, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009,
];

/// `ms365_cloud`: 0 UNSPECIFIED (commercial), 1 COMMERCIAL, 2 US_GOVERNMENT, 3 CHINA.
pub const MS365_CLOUDS: &[i64] = &[0, 1, 2, 3];

/// The stored ciphertext of the credentials; internal, never returned.
const SEALED: &str = "sealed_credentials";

/// Longest sync interval accepted (a week), in minutes.
const MAX_INTERVAL_MINS: i64 = 7 * 24 * 60;

fn url_field(doc: &Map<String, Value>, field: &str) -> Result<()> {
    match text(doc, field)? {
        Some(u) if !(u.is_empty() || u.starts_with("https://") || u.starts_with("http://")) => Err(
            DomainError::invalid(format!("`{field}` must be an http(s) URL, got `{u}`")),
        ),
        _ => Ok(()),
    }
}

fn validate(doc: &Map<String, Value>) -> Result<()> {
    required_text(doc, "display_name", "integration")?;
    match doc.get("data_source") {
        Some(v)
            if v.as_i64()
                .is_some_and(|n| DATA_SOURCES.contains(&n) && n != 0) => {}
        Some(v) => {
            return Err(DomainError::invalid(format!(
                "invalid `data_source` {v}: expected one of {:?}",
                &DATA_SOURCES[1..]
            )));
        }
        None => return Err(DomainError::invalid("an integration needs a `data_source`")),
    }
    int_enum(doc, "ms365_cloud", MS365_CLOUDS)?;
    strings(doc, "filter_domains")?;
    non_negative(doc, "shard_id")?;
    non_negative(doc, "interval_mins")?;
    if doc
        .get("interval_mins")
        .and_then(Value::as_i64)
        .is_some_and(|m| m > MAX_INTERVAL_MINS)
    {
        return Err(DomainError::invalid(format!(
            "`interval_mins` must be at most {MAX_INTERVAL_MINS}"
        )));
    }
    for f in [
        "integration_org_name",
        "environment_id",
        "app_id",
        "install_id",
    ] {
        text(doc, f)?;
    }
    url_field(doc, "api_base_url")?;
    if let Some(c) = doc.get("config").and_then(Value::as_object) {
        url_field(c, "oauth_base_url")?;
        non_negative(c, "max_pages")?;
    }
    Ok(())
}

/// Integrations (E061-E064).
pub static INTEGRATIONS: ResourceKind = ResourceKind {
    kind: "integration",
    what: "integration",
    read_role: Role::ReadOnly,
    write_role: Role::Admin,
    unique_field: None,
    actor_fields: false,
    default_status: Status::Active,
    validate,
    // Credentials are sealed per secret sub-field by this module (identifiers stay
    // readable), not as one whole field by the shared shape.
    secret_fields: &[],
};

/// The answer of "Validate integration credentials" (E064).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Validation {
    /// `SUCCESS` or `FAILED`.
    pub status: String,
    /// Why it failed; empty on success. Never contains the credentials.
    pub error_message: String,
}

/// Reaches identity providers. Implemented outside the core (over HTTP).
#[async_trait]
pub trait Directory: Send + Sync {
    /// One cheap authenticated call proving the credentials work.
    async fn validate(&self, conn: &Connection) -> std::result::Result<(), ProviderFailure>;
    /// Every user and group, with group membership.
    async fn fetch(&self, conn: &Connection)
    -> std::result::Result<DirectoryData, ProviderFailure>;
}

/// The integration operations; wraps the shared resource shape with sealing.
pub struct IntegrationService {
    store: Arc<dyn Store>,
    resources: ResourceService,
    sealer: Arc<Sealer>,
    directory: Arc<dyn Directory>,
}

fn seal_context(account_id: Uuid, uuid: Uuid) -> String {
    format!("integration/{account_id}/{uuid}/credentials")
}

/// The document as the API shows it: without the ciphertext.
fn public(mut doc: Map<String, Value>) -> Map<String, Value> {
    doc.remove(SEALED);
    doc
}

impl IntegrationService {
    pub fn new(store: Arc<dyn Store>, sealer: Arc<Sealer>, directory: Arc<dyn Directory>) -> Self {
        Self {
            resources: ResourceService::new(store.clone()),
            store,
            sealer,
            directory,
        }
    }

    fn seal(&self, account_id: Uuid, uuid: Uuid, creds: &Credentials) -> Result<String> {
        let plain = serde_json::to_vec(creds)
            .map_err(|e| DomainError::Internal(format!("encoding credentials: {e}")))?;
        self.sealer.seal(&plain, &seal_context(account_id, uuid))
    }

    fn open(&self, account_id: Uuid, uuid: Uuid, doc: &Map<String, Value>) -> Result<Credentials> {
        let Some(sealed) = doc.get(SEALED).and_then(Value::as_str) else {
            return Ok(Credentials::default());
        };
        let plain = self.sealer.open(sealed, &seal_context(account_id, uuid))?;
        serde_json::from_slice(&plain)
            .map_err(|e| DomainError::Internal(format!("stored credentials unreadable: {e}")))
    }

    /// Checks the credentials against the provider without storing anything.
    async fn check(&self, doc: &Map<String, Value>, creds: Credentials) -> Validation {
        let outcome = match Connection::from_doc(doc, creds) {
            Ok(conn) => self.directory.validate(&conn).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => Validation {
                status: "SUCCESS".into(),
                error_message: String::new(),
            },
            Err(f) => Validation {
                status: "FAILED".into(),
                error_message: f.to_string(),
            },
        }
    }

    /// E061. `validate_credentials` checks them with the provider first (400 when
    /// refused); otherwise they are stored unchecked.
    pub async fn create(
        &self,
        caller: &Principal,
        mut input: Map<String, Value>,
        credentials: Credentials,
        validate_credentials: bool,
    ) -> Result<Map<String, Value>> {
        caller.require(INTEGRATIONS.write_role)?;
        validate(&input)?;
        if validate_credentials {
            let v = self.check(&input, credentials.clone()).await;
            if v.status != "SUCCESS" {
                return Err(DomainError::invalid(format!(
                    "credential validation failed: {}",
                    v.error_message
                )));
            }
        }
        let uuid = Uuid::new_v4();
        input.remove("validate_credentials");
        input.insert("credentials".into(), Value::Object(credentials.public()));
        input.insert(
            SEALED.into(),
            json!(self.seal(caller.account_id, uuid, &credentials)?),
        );
        input.insert("added_by".into(), json!(caller.display_name));
        input.insert("last_modified_by".into(), json!(caller.display_name));
        let doc = self
            .resources
            .create_with_uuid(caller, &INTEGRATIONS, input, uuid)
            .await?;
        Ok(public(doc))
    }

    pub async fn get(&self, caller: &Principal, uuid: Uuid) -> Result<Map<String, Value>> {
        Ok(public(
            self.resources.get(caller, &INTEGRATIONS, uuid).await?,
        ))
    }

    /// E062: the shared query, plus the seed's `data_source`.
    pub async fn query(&self, caller: &Principal, mut q: Query) -> Result<Vec<Map<String, Value>>> {
        if let Some(ds) = q.datasource.as_deref()
            && let Some(bad) = crate::resources::csv(Some(ds))
                .iter()
                .find(|d| !d.parse::<i64>().is_ok_and(|n| DATA_SOURCES.contains(&n)))
        {
            return Err(DomainError::invalid(format!(
                "invalid data_source `{bad}`: expected one of {DATA_SOURCES:?}"
            )));
        }
        q.datasource = q.datasource.filter(|d| !d.trim().is_empty());
        let docs = self.resources.query(caller, &INTEGRATIONS, &q).await?;
        Ok(docs.into_iter().map(public).collect())
    }

    /// E063. Credential fields given replace the stored ones (the others are kept),
    /// so a secret can be rotated alone.
    pub async fn update(
        &self,
        caller: &Principal,
        uuid: Uuid,
        mut changes: Map<String, Value>,
        credentials: Option<Credentials>,
    ) -> Result<Map<String, Value>> {
        caller.require(INTEGRATIONS.write_role)?;
        let current = self.resources.get(caller, &INTEGRATIONS, uuid).await?;
        if let Some(new) = credentials {
            let mut creds = self.open(caller.account_id, uuid, &current)?;
            creds.merge(new);
            changes.insert("credentials".into(), Value::Object(creds.public()));
            changes.insert(
                SEALED.into(),
                json!(self.seal(caller.account_id, uuid, &creds)?),
            );
        }
        changes.insert("last_modified_by".into(), json!(caller.display_name));
        let doc = self
            .resources
            .update(caller, &INTEGRATIONS, uuid, changes, &[], None)
            .await?;
        Ok(public(doc))
    }

    /// Soft delete; a deleted integration is no longer synced (its users stay).
    pub async fn delete(&self, caller: &Principal, uuid: Uuid) -> Result<Map<String, Value>> {
        Ok(public(
            self.resources.delete(caller, &INTEGRATIONS, uuid).await?,
        ))
    }

    /// E064: calls the provider with the stored credentials.
    pub async fn validate(&self, caller: &Principal, uuid: Uuid) -> Result<Validation> {
        caller.require(INTEGRATIONS.write_role)?;
        let doc = self.resources.get(caller, &INTEGRATIONS, uuid).await?;
        let creds = self.open(caller.account_id, uuid, &doc)?;
        Ok(self.check(&doc, creds).await)
    }

    /// Beyond the seed: queues a sync now; answers the job.
    pub async fn trigger_sync(&self, caller: &Principal, uuid: Uuid) -> Result<Job> {
        caller.require(INTEGRATIONS.write_role)?;
        let doc = self.resources.get(caller, &INTEGRATIONS, uuid).await?;
        Self::syncable(&doc)?;
        self.enqueue_sync(caller.account_id, uuid).await
    }

    /// Fails unless the integration is active and has a directory connector.
    fn syncable(doc: &Map<String, Value>) -> Result<Provider> {
        let ds = doc.get("data_source").and_then(Value::as_i64).unwrap_or(0);
        let provider = Provider::from_data_source(ds).ok_or_else(|| {
            DomainError::invalid(format!(
                "data_source {ds} has no directory connector; users and groups sync from 1 OKTA, 2 GSUITE and 3 AZURE"
            ))
        })?;
        let status = doc.get("status").and_then(Value::as_i64).unwrap_or(0);
        if status != i64::from(Status::Active.code()) {
            return Err(DomainError::invalid(format!(
                "the integration is not active (status {status})"
            )));
        }
        Ok(provider)
    }

    async fn enqueue_sync(&self, account_id: Uuid, uuid: Uuid) -> Result<Job> {
        let now = clock::now_ms();
        let job = NewJob {
            account_id,
            kind: SYNC_JOB.into(),
            payload: json!({ "integration_uuid": uuid }),
            max_attempts: 3,
            run_at: now,
        };
        self.store.enqueue(&job, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn validation() {
        assert!(validate(&doc(json!({"display_name": "o", "data_source": 1}))).is_ok());
        assert!(validate(&doc(json!({"display_name": "o"}))).is_err());
        assert!(validate(&doc(json!({"display_name": "o", "data_source": 0}))).is_err());
        assert!(validate(&doc(json!({"display_name": "o", "data_source": 5}))).is_err());
        assert!(validate(&doc(json!({"display_name": " ", "data_source": 1}))).is_err());
        let bad_url = json!({"display_name": "o", "data_source": 1, "api_base_url": "ftp://x"});
        assert!(validate(&doc(bad_url)).is_err());
        let bad_cloud = json!({"display_name": "o", "data_source": 3, "ms365_cloud": 9});
        assert!(validate(&doc(bad_cloud)).is_err());
        let long = json!({"display_name": "o", "data_source": 1, "interval_mins": 100_000});
        assert!(validate(&doc(long)).is_err());
    }

    #[test]
    fn public_view_drops_the_ciphertext() {
        let d = public(doc(json!({"uuid": "u", SEALED: "v1.xyz"})));
        assert!(!d.contains_key(SEALED));
    }
}
