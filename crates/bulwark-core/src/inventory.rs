//! Cloud environments and their inventory, served the way the Optix API does.
//!
//! Environments (beyond the seed, which used a console) are objects of the shared shape.
//! Inventory arrives by sync: snapshots in each provider's own JSON (`ingest`) or the
//! live AWS collector; either way a sync upserts assets and marks vanished ones missing.

use std::sync::Arc;

use bulwark_inventory::{Asset, Provider};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::Principal;
use crate::clock::{self, iso};
use crate::model::ObjectFilter;
use crate::ports::{AssetPage, AssetQuery, Store, SyncCounts};
use crate::resources::{ResourceKind, csv};
use crate::{DomainError, Result, Role, Status};

/// The Optix message for an unknown provider.
pub const PROVIDER_NOT_SUPPORTED: &str = "Provider type not supported";

fn validate_environment(doc: &Map<String, Value>) -> Result<()> {
    let name = doc.get("name").and_then(Value::as_str).unwrap_or("");
    if name.trim().is_empty() {
        return Err(DomainError::invalid(
            "an environment needs a non-empty `name`",
        ));
    }
    let provider = doc.get("provider").and_then(Value::as_str).unwrap_or("");
    if Provider::from_optix(provider).is_none() {
        return Err(DomainError::invalid(format!(
            "{PROVIDER_NOT_SUPPORTED}: `{provider}` (expected AWS, Azure, GCP, Kubernetes or Docker)"
        )));
    }
    if doc
        .get("accountId")
        .and_then(Value::as_str)
        .is_none_or(|a| a.trim().is_empty())
    {
        return Err(DomainError::invalid(
            "an environment needs its cloud `accountId` (AWS account, Azure subscription, GCP project, cluster or host id)",
        ));
    }
    if let Some(hours) = doc.get("logLookbackHours")
        && !hours
            .as_i64()
            .is_some_and(|h| (1..=MAX_LOG_LOOKBACK_HOURS).contains(&h))
    {
        return Err(DomainError::invalid(format!(
            "`logLookbackHours` must be a whole number of hours from 1 to {MAX_LOG_LOOKBACK_HOURS}"
        )));
    }
    if let Some(trusted) = doc.get("trustedAccountIds") {
        let ok = trusted.as_array().is_some_and(|ids| {
            ids.len() <= 1000
                && ids
                    .iter()
                    .all(|i| i.as_str().is_some_and(|s| !s.trim().is_empty()))
        });
        if !ok {
            return Err(DomainError::invalid(
                "`trustedAccountIds` must be a list of at most 1000 cloud account ids",
            ));
        }
    }
    Ok(())
}

/// The longest log window a sync reads: a week of files.
pub const MAX_LOG_LOOKBACK_HOURS: i64 = 168;

/// Cloud environments (`GET /api/v1/accounts` serves them).
pub static ENVIRONMENTS: ResourceKind = ResourceKind {
    kind: "cloud_environment",
    what: "environment",
    read_role: Role::ReadOnly,
    write_role: Role::Operator,
    unique_field: Some("name"),
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_environment,
    secret_fields: &["credentials"],
};

/// The environment's document, unless it is deleted (404 then, like a missing one).
pub(crate) async fn live_environment(
    store: &dyn Store,
    account: Uuid,
    env: Uuid,
) -> Result<Map<String, Value>> {
    store
        .get_object(account, ENVIRONMENTS.kind, env)
        .await?
        .filter(|o| o.status != Status::Deleted)
        .map(|o| o.doc)
        .ok_or(DomainError::NotFound("environment"))
}

/// The account's environments that are not deleted, as `(uuid, document)`.
async fn environments(store: &dyn Store, account: Uuid) -> Result<Vec<(Uuid, Map<String, Value>)>> {
    let filter = ObjectFilter {
        limit: 10_000,
        ..ObjectFilter::default()
    };
    let envs = store
        .query_objects(account, ENVIRONMENTS.kind, &filter)
        .await?;
    Ok(envs.into_iter().map(|o| (o.uuid, o.doc)).collect())
}

/// The accounts an environment's resources may be shared with without raising a
/// finding's severity (its zone of trust): the tenant's other environments of the
/// same provider, and the environment's own `trustedAccountIds`.
pub(crate) async fn trusted_accounts(
    store: &dyn Store,
    account: Uuid,
    env: Uuid,
    doc: &Map<String, Value>,
) -> Result<Vec<String>> {
    let provider = doc.get("provider").and_then(Value::as_str);
    let mut ids: Vec<String> = environments(store, account)
        .await?
        .into_iter()
        .filter(|(uuid, d)| *uuid != env && d.get("provider").and_then(Value::as_str) == provider)
        .filter_map(|(_, d)| {
            d.get("accountId")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    ids.extend(
        doc.get("trustedAccountIds")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_string()),
    );
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The environment's provider.
pub(crate) fn provider_of(doc: &Map<String, Value>) -> Result<Provider> {
    doc.get("provider")
        .and_then(Value::as_str)
        .and_then(Provider::from_optix)
        .ok_or_else(|| DomainError::invalid(PROVIDER_NOT_SUPPORTED))
}

/// Applies `edit` to the stored environment (a sync's outcome), re-reading and retrying
/// on a concurrent edit so neither the edit nor the outcome is lost.
pub(crate) async fn record_on_environment(
    store: &dyn Store,
    account: Uuid,
    env: Uuid,
    edit: impl Fn(&mut Map<String, Value>),
) -> Result<()> {
    for _ in 0..5 {
        let Some(current) = store.get_object(account, ENVIRONMENTS.kind, env).await? else {
            return Ok(());
        };
        let mut updated = current.clone();
        edit(&mut updated.doc);
        updated.update_time = clock::now_ms().max(current.update_time + 1);
        updated
            .doc
            .insert("update_time".into(), json!(updated.update_time));
        if store
            .replace_object(account, ENVIRONMENTS.kind, &updated, current.update_time)
            .await?
        {
            return Ok(());
        }
    }
    Err(DomainError::Conflict(
        "the environment kept changing while a sync recorded its outcome".into(),
    ))
}

/// The Optix page envelope.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub current_page: i64,
    pub has_next: bool,
    pub has_previous: bool,
    pub total_pages: i64,
    pub size: i64,
}

impl<T> Page<T> {
    /// The rows and the envelope without them.
    pub fn split(self) -> (Vec<T>, Page<()>) {
        let meta = Page {
            data: Vec::new(),
            current_page: self.current_page,
            has_next: self.has_next,
            has_previous: self.has_previous,
            total_pages: self.total_pages,
            size: self.size,
        };
        (self.data, meta)
    }
}

/// Pagination of the inventory endpoints: pages from 0, size 100-500.
pub fn inventory_paging(page: Option<&str>, size: Option<&str>) -> Result<(i64, i64)> {
    let size = size.and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0);
    if size > 500 {
        return Err(DomainError::invalid(
            "Pageable size cannot be greater than 500",
        ));
    }
    if size < 100 {
        return Err(DomainError::invalid(
            "Pageable size cannot be less than 100",
        ));
    }
    // "invalid values will be considered as [page]:0"
    let page = page
        .and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 0)
        .unwrap_or(0);
    Ok((page, size))
}

/// Inventory of an account's cloud environments.
pub struct InventoryService {
    store: Arc<dyn Store>,
}

impl InventoryService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    async fn environments(&self, account: Uuid) -> Result<Vec<(Uuid, Map<String, Value>)>> {
        environments(self.store.as_ref(), account).await
    }

    /// `accountIds` must all name environments of the caller; returns them.
    async fn check_account_ids(
        &self,
        caller: &Principal,
        raw: Option<&str>,
    ) -> Result<Vec<String>> {
        let ids = csv(raw);
        if ids.is_empty() {
            return Ok(ids);
        }
        let known: Vec<String> = self
            .environments(caller.account_id)
            .await?
            .iter()
            .filter_map(|(_, d)| {
                d.get("accountId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let missing: Vec<&str> = ids
            .iter()
            .filter(|i| !known.contains(i))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(DomainError::invalid(format!(
                "Account Ids {} not found",
                missing.join(",")
            )));
        }
        Ok(ids)
    }

    /// Loads a snapshot in `provider`'s own JSON into environment `env`.
    pub async fn ingest(
        &self,
        caller: &Principal,
        env: Uuid,
        kind_hint: Option<&str>,
        snapshot: &Value,
    ) -> Result<(SyncCounts, Vec<String>)> {
        caller.require(ENVIRONMENTS.write_role)?;
        let doc = live_environment(self.store.as_ref(), caller.account_id, env).await?;
        let provider = provider_of(&doc)?;
        let cloud_account = doc
            .get("accountId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut normalized = bulwark_inventory::normalize(provider, kind_hint, snapshot)
            .map_err(|e| DomainError::invalid(format!("invalid snapshot: {e}")))?;
        normalized.fill_missing_account(&cloud_account);
        let now = clock::now_ms();
        // A scan report covers only the images it names, so it marks no other image missing.
        let mut keys: Vec<String> = normalized
            .assets
            .iter()
            .map(|a| a.search_key.clone())
            .filter(|k| k != bulwark_inventory::IMAGE_SCAN_KEY)
            .collect();
        keys.sort();
        keys.dedup();
        for asset in &mut normalized.assets {
            if asset.search_key == bulwark_inventory::IMAGE_SCAN_KEY
                && let Some(data) = asset.data.as_object_mut()
                && data.get("scanTime").is_none_or(Value::is_null)
            {
                data.insert("scanTime".into(), json!(iso(now)));
            }
        }
        let counts = self
            .store
            .sync_assets(caller.account_id, env, &keys, &normalized.assets, now)
            .await?;
        record_on_environment(self.store.as_ref(), caller.account_id, env, |d| {
            d.insert("lastSyncTime".into(), json!(now));
        })
        .await?;
        let warnings = normalized
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.item, w.message))
            .collect();
        Ok((counts, warnings))
    }

    /// `GET /api/v1/accounts`: environments in the Optix account shape.
    pub async fn accounts(
        &self,
        caller: &Principal,
        account_ids: Option<&str>,
        provider: Option<&str>,
    ) -> Result<Vec<Value>> {
        caller.require(Role::ReadOnly)?;
        let want_provider = match provider.map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => Some(
                Provider::from_optix(p)
                    .ok_or_else(|| DomainError::invalid(PROVIDER_NOT_SUPPORTED))?,
            ),
        };
        let ids = self.check_account_ids(caller, account_ids).await?;
        // Events and findings are about resources; `cloudAssets` counts resources.
        let counts = self
            .store
            .asset_counts(caller.account_id, &bulwark_inventory::NOT_RESOURCES)
            .await?;
        let mut out = Vec::new();
        for (_, d) in self.environments(caller.account_id).await? {
            let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let prov = Provider::from_optix(&s("provider"));
            if want_provider.is_some() && prov != want_provider {
                continue;
            }
            let account_id = s("accountId");
            if !ids.is_empty() && !ids.contains(&account_id) {
                continue;
            }
            let assets: i64 = counts
                .iter()
                .filter(|(a, _, _)| *a == account_id)
                .map(|(_, _, n)| *n)
                .sum();
            let enabled = d.get("isEnabled").and_then(Value::as_bool).unwrap_or(true);
            let status_code = d.get("status").and_then(Value::as_i64).unwrap_or(2);
            let last_sync = d.get("lastSyncTime").and_then(Value::as_i64);
            out.push(json!({
                "accountId": account_id,
                "accountType": prov.map_or("", Provider::as_str),
                "name": s("name"),
                "registeredDate": d.get("create_time").and_then(Value::as_i64).map(iso).unwrap_or_default(),
                "cloudAssets": assets,
                "status": if status_code == 2 { "ACTIVE" } else if status_code == 3 { "SUSPENDED" } else { "INACTIVE" },
                "isEnabled": enabled,
                "isSubAccount": d.get("isSubAccount").and_then(Value::as_bool).unwrap_or(false),
                "subAccounts": d.get("subAccounts").cloned().unwrap_or(json!([])),
                "tags": d.get("tags").cloned().unwrap_or(json!([])),
                "accountSyncBenchmark": {
                    "latestSuccessSyncTime": last_sync.map(iso),
                    "latestSuccessBenchmarkRunTime": Value::Null,
                },
                "cloudLogStatus": d.get("cloudLogStatus").and_then(Value::as_str).unwrap_or("NOT_CONFIGURED"),
                "flowLogStatus": d.get("flowLogStatus").and_then(Value::as_str).unwrap_or("NOT_CONFIGURED"),
            }));
        }
        Ok(out)
    }

    /// One page of present assets of `keys`, within `accountIds`.
    pub async fn page(
        &self,
        caller: &Principal,
        keys: &[&str],
        account_ids: Option<&str>,
        term: Option<&bulwark_query::Query>,
        page: i64,
        size: i64,
    ) -> Result<(AssetPage, Page<()>)> {
        caller.require(Role::ReadOnly)?;
        let ids = self.check_account_ids(caller, account_ids).await?;
        let q = AssetQuery {
            search_keys: keys,
            cloud_accounts: &ids,
            term,
            limit: size,
            offset: page.saturating_mul(size),
        };
        let found = self.store.query_assets(caller.account_id, &q).await?;
        let total_pages = if found.total == 0 {
            0
        } else {
            (found.total + size - 1) / size
        };
        let meta = Page {
            data: Vec::new(),
            current_page: page,
            has_next: page + 1 < total_pages,
            has_previous: page > 0,
            total_pages,
            size,
        };
        Ok((found, meta))
    }

    /// Assets of one provider's environments only, for provider-scoped endpoints.
    pub fn of_provider(assets: Vec<Asset>, provider: Provider) -> Vec<Asset> {
        assets
            .into_iter()
            .filter(|a| a.provider == provider)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_rules() {
        assert!(
            matches!(inventory_paging(None, Some("600")), Err(DomainError::Invalid(m)) if m == "Pageable size cannot be greater than 500")
        );
        assert!(
            matches!(inventory_paging(None, Some("99")), Err(DomainError::Invalid(m)) if m == "Pageable size cannot be less than 100")
        );
        assert!(matches!(
            inventory_paging(None, None),
            Err(DomainError::Invalid(_))
        ));
        assert_eq!(
            inventory_paging(Some("x"), Some("100")).ok(),
            Some((0, 100))
        );
        assert_eq!(
            inventory_paging(Some("-3"), Some("100")).ok(),
            Some((0, 100))
        );
        assert_eq!(
            inventory_paging(Some("2"), Some("500")).ok(),
            Some((2, 500))
        );
    }
}
