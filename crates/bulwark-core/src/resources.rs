//! The shared shape of the Edge resource families: create, get, partial update with
//! `attributes_to_delete` and optimistic concurrency, filtered query, soft delete; all
//! account-scoped. A family plugs in with a [`ResourceKind`] describing what differs.
//!
//! Documents are the wire objects themselves (JSON maps). The server owns the fields in
//! [`SERVER_FIELDS`] and fills them; clients can neither set nor delete them.

use std::sync::Arc;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::Principal;
use crate::crypto::Sealer;
use crate::model::{ObjectFilter, StoredObject};
use crate::ports::Store;
use crate::{DomainError, Result, Role, Status, clock};

/// Fields maintained by the server on every object.
pub const SERVER_FIELDS: &[&str] = &[
    "uuid",
    "account_name",
    "create_time",
    "update_time",
    "creator_uuid",
    "creator_display_name",
    "updater_uuid",
    "updater_display_name",
];

/// What distinguishes one resource family.
pub struct ResourceKind {
    /// Storage kind, e.g. `user`.
    pub kind: &'static str,
    /// Noun for messages, e.g. `user`.
    pub what: &'static str,
    pub read_role: Role,
    pub write_role: Role,
    /// A field whose value is unique per account (e.g. a connector's `unique_name`).
    pub unique_field: Option<&'static str>,
    /// Whether objects carry `creator_*` / `updater_*` fields.
    pub actor_fields: bool,
    /// Status of a new object when the request gives none.
    pub default_status: Status,
    /// Family-specific checks on the merged document, before it is written.
    pub validate: fn(&Map<String, Value>) -> Result<()>,
    /// Fields holding secrets (credentials): sealed at rest under [`SEALED`], never
    /// returned. Clients set them like any field and clear them with
    /// `attributes_to_delete`; services read them with [`ResourceService::secret`].
    pub secret_fields: &'static [&'static str],
}

/// The stored document's map of sealed secret fields (`field` → ciphertext).
/// Stripped from every document a [`ResourceService`] returns.
pub const SEALED: &str = "_sealed";

/// The client's view of a stored document: without the sealed secrets.
pub fn public(mut doc: Map<String, Value>) -> Map<String, Value> {
    doc.remove(SEALED);
    doc
}

/// A query in the shared shape (`status`, `tag`, `datasource`, paging).
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub status: Option<String>,
    pub tag: Option<String>,
    pub datasource: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

fn status_of(doc: &Map<String, Value>, dflt: Status) -> Result<Status> {
    match doc.get("status") {
        None | Some(Value::Null) => Ok(dflt),
        Some(v) => v
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .and_then(Status::from_code)
            .ok_or_else(|| DomainError::invalid(format!("invalid `status` {v}: expected 0-4"))),
    }
}

fn tags_of(doc: &Map<String, Value>) -> Result<Vec<String>> {
    match doc.get("tags") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| {
                t.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| DomainError::invalid("`tags` must be an array of strings"))
            })
            .collect(),
        Some(_) => Err(DomainError::invalid("`tags` must be an array of strings")),
    }
}

/// The zero value of a field's type: what `attributes_to_delete` resets it to.
fn zero_like(v: &Value) -> Value {
    match v {
        Value::String(_) => json!(""),
        Value::Number(_) => json!(0),
        Value::Bool(_) => json!(false),
        Value::Array(_) => json!([]),
        Value::Object(_) => json!({}),
        Value::Null => Value::Null,
    }
}

/// The items of a comma-separated query parameter, trimmed, empty ones dropped.
pub(crate) fn csv(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The shared operations.
pub struct ResourceService {
    store: Arc<dyn Store>,
    sealer: Option<Arc<Sealer>>,
}

impl ResourceService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            sealer: None,
        }
    }

    /// Enables kinds with [`ResourceKind::secret_fields`]; without a sealer, writing
    /// a secret field fails rather than storing it in clear.
    pub fn with_sealer(mut self, sealer: Arc<Sealer>) -> Self {
        self.sealer = Some(sealer);
        self
    }

    /// The AEAD context binds a ciphertext to its object and field, so a sealed value
    /// copied into another object or account does not open.
    fn seal_context(account: Uuid, kind: &ResourceKind, uuid: Uuid, field: &str) -> String {
        format!("{account}/{}/{uuid}/{field}", kind.kind)
    }

    /// Moves the secret fields of `doc` into its sealed map.
    fn seal_secrets(
        &self,
        account: Uuid,
        kind: &ResourceKind,
        uuid: Uuid,
        doc: &mut Map<String, Value>,
    ) -> Result<()> {
        // A client can never write the sealed map directly.
        let mut sealed = match doc.remove(SEALED) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        for field in kind.secret_fields {
            let Some(value) = doc.remove(*field) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let sealer = self.sealer.as_ref().ok_or_else(|| {
                DomainError::Internal(format!("no sealer configured for {}", kind.kind))
            })?;
            let plain = serde_json::to_vec(&value)
                .map_err(|e| DomainError::Internal(format!("secret encoding: {e}")))?;
            let ct = sealer.seal(&plain, &Self::seal_context(account, kind, uuid, field))?;
            sealed.insert((*field).to_string(), Value::String(ct));
        }
        if !sealed.is_empty() {
            doc.insert(SEALED.into(), Value::Object(sealed));
        }
        Ok(())
    }

    /// The clear value of secret `field` of an object, for the services that use it
    /// (a provider call, a cloud sync). Never hand it to a client.
    pub async fn secret(
        &self,
        account: Uuid,
        kind: &ResourceKind,
        uuid: Uuid,
        field: &str,
    ) -> Result<Option<Value>> {
        let obj = self
            .store
            .get_object(account, kind.kind, uuid)
            .await?
            .ok_or(DomainError::NotFound(kind.what))?;
        let Some(ct) = obj
            .doc
            .get(SEALED)
            .and_then(|m| m.get(field))
            .and_then(Value::as_str)
        else {
            return Ok(None);
        };
        let sealer = self.sealer.as_ref().ok_or_else(|| {
            DomainError::Internal(format!("no sealer configured for {}", kind.kind))
        })?;
        let plain = sealer.open(ct, &Self::seal_context(account, kind, uuid, field))?;
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|e| DomainError::Internal(format!("secret decoding: {e}")))
    }

    fn to_stored(
        kind: &ResourceKind,
        doc: Map<String, Value>,
        uuid: Uuid,
        create_time: i64,
        update_time: i64,
    ) -> Result<StoredObject> {
        (kind.validate)(&doc)?;
        let status = status_of(&doc, kind.default_status)?;
        let unique_key = match kind.unique_field {
            // A deleted object gives its key back: a connector's name, a device's
            // certificate can be used again.
            Some(_) if status == Status::Deleted => None,
            Some(f) => match doc.get(f).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                Some(k) => Some(k.to_string()),
                None => return Err(DomainError::invalid(format!("`{f}` is required"))),
            },
            None => None,
        };
        Ok(StoredObject {
            uuid,
            status,
            data_source: doc.get("data_source").and_then(Value::as_i64).unwrap_or(0),
            tags: tags_of(&doc)?,
            unique_key,
            create_time,
            update_time,
            doc,
        })
    }

    /// Creates an object from the client's fields (server fields are ignored).
    pub async fn create(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        input: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        self.create_with_uuid(caller, kind, input, Uuid::new_v4())
            .await
    }

    /// [`ResourceService::create`] with a given uuid, for objects that share their
    /// owner's id (a user's PII record).
    pub async fn create_with_uuid(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        input: Map<String, Value>,
        uuid: Uuid,
    ) -> Result<Map<String, Value>> {
        caller.require(kind.write_role)?;
        let mut doc: Map<String, Value> = input
            .into_iter()
            .filter(|(k, v)| !SERVER_FIELDS.contains(&k.as_str()) && k != SEALED && !v.is_null())
            .collect();
        self.seal_secrets(caller.account_id, kind, uuid, &mut doc)?;
        let now = clock::now_ms();
        doc.insert("uuid".into(), json!(uuid.to_string()));
        doc.insert("account_name".into(), json!(caller.account_name));
        doc.insert("create_time".into(), json!(now));
        doc.insert("update_time".into(), json!(now));
        if !doc.contains_key("status") {
            doc.insert("status".into(), json!(kind.default_status.code()));
        }
        if kind.actor_fields {
            for (f, v) in [
                ("creator_uuid", caller.actor_uuid()),
                ("creator_display_name", caller.display_name.clone()),
                ("updater_uuid", caller.actor_uuid()),
                ("updater_display_name", caller.display_name.clone()),
            ] {
                doc.insert(f.into(), json!(v));
            }
        }
        let stored = Self::to_stored(kind, doc, uuid, now, now)?;
        if let Some(key) = &stored.unique_key
            && self
                .store
                .get_object_by_key(caller.account_id, kind.kind, key)
                .await?
                .is_some()
        {
            return Err(DomainError::Conflict(format!(
                "a {} named `{key}` already exists",
                kind.what
            )));
        }
        self.store
            .insert_object(caller.account_id, kind.kind, &stored)
            .await?;
        Ok(public(stored.doc))
    }

    /// One object of the caller's account (deleted ones included: their status says so).
    pub async fn get(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        uuid: Uuid,
    ) -> Result<Map<String, Value>> {
        caller.require(kind.read_role)?;
        Ok(public(self.get_stored(caller, kind, uuid).await?.doc))
    }

    async fn get_stored(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        uuid: Uuid,
    ) -> Result<StoredObject> {
        self.store
            .get_object(caller.account_id, kind.kind, uuid)
            .await?
            .ok_or(DomainError::NotFound(kind.what))
    }

    /// By the per-account unique key (e.g. `GET /connectors/{name}`).
    pub async fn get_by_key(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        key: &str,
    ) -> Result<Map<String, Value>> {
        caller.require(kind.read_role)?;
        self.store
            .get_object_by_key(caller.account_id, kind.kind, key)
            .await?
            .map(|o| public(o.doc))
            .ok_or(DomainError::NotFound(kind.what))
    }

    /// Partial update: fields present in `changes` replace the stored ones, fields in
    /// `attributes_to_delete` reset to their zero value. `expected_update_time`, when
    /// given, must equal the stored `update_time` (optimistic concurrency).
    pub async fn update(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        uuid: Uuid,
        changes: Map<String, Value>,
        attributes_to_delete: &[String],
        expected_update_time: Option<i64>,
    ) -> Result<Map<String, Value>> {
        caller.require(kind.write_role)?;
        let current = self.get_stored(caller, kind, uuid).await?;
        if let Some(expected) = expected_update_time.filter(|t| *t != 0)
            && expected != current.update_time
        {
            return Err(DomainError::Conflict(format!(
                "the {} was modified since `expected_update_time` {expected} (now {})",
                kind.what, current.update_time
            )));
        }
        let mut doc = current.doc.clone();
        for attr in attributes_to_delete {
            if SERVER_FIELDS.contains(&attr.as_str()) || attr == SEALED {
                return Err(DomainError::invalid(format!(
                    "attribute `{attr}` is maintained by the server and cannot be deleted"
                )));
            }
            if kind.secret_fields.contains(&attr.as_str()) {
                if let Some(Value::Object(sealed)) = doc.get_mut(SEALED) {
                    sealed.remove(attr);
                }
                continue;
            }
            if let Some(v) = doc.get_mut(attr) {
                *v = zero_like(v);
            }
        }
        let mut secrets = Map::new();
        for (k, v) in changes {
            if SERVER_FIELDS.contains(&k.as_str()) || k == SEALED || v.is_null() {
                continue;
            }
            if kind.secret_fields.contains(&k.as_str()) {
                secrets.insert(k, v);
            } else {
                doc.insert(k, v);
            }
        }
        if !secrets.is_empty() {
            if let Some(old) = doc.remove(SEALED) {
                secrets.insert(SEALED.into(), old);
            }
            self.seal_secrets(caller.account_id, kind, uuid, &mut secrets)?;
            if let Some(sealed) = secrets.remove(SEALED) {
                doc.insert(SEALED.into(), sealed);
            }
        }
        if matches!(doc.get(SEALED), Some(Value::Object(m)) if m.is_empty()) {
            doc.remove(SEALED);
        }
        // Strictly increasing, so the next optimistic check always sees this write.
        let now = clock::now_ms().max(current.update_time + 1);
        doc.insert("update_time".into(), json!(now));
        if kind.actor_fields {
            doc.insert("updater_uuid".into(), json!(caller.actor_uuid()));
            doc.insert("updater_display_name".into(), json!(caller.display_name));
        }
        let stored = Self::to_stored(kind, doc, uuid, current.create_time, now)?;
        if stored.unique_key != current.unique_key
            && let Some(key) = &stored.unique_key
            && self
                .store
                .get_object_by_key(caller.account_id, kind.kind, key)
                .await?
                .is_some()
        {
            return Err(DomainError::Conflict(format!(
                "a {} named `{key}` already exists",
                kind.what
            )));
        }
        if !self
            .store
            .replace_object(caller.account_id, kind.kind, &stored, current.update_time)
            .await?
        {
            return Err(DomainError::Conflict(format!(
                "the {} was modified concurrently; retry with its current state",
                kind.what
            )));
        }
        Ok(public(stored.doc))
    }

    /// Soft delete: status DELETED.
    pub async fn delete(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        uuid: Uuid,
    ) -> Result<Map<String, Value>> {
        let mut changes = Map::new();
        changes.insert("status".into(), json!(Status::Deleted.code()));
        self.update(caller, kind, uuid, changes, &[], None).await
    }

    /// Objects of a kind matching a search-language query, newest first, as
    /// `(page, total)`. Evaluated in memory over at most 100,000 objects with the
    /// language's reference semantics: meant for kinds that stay small per account
    /// (alerts), not for inventory, which the store compiles to SQL.
    pub async fn search(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        term: &bulwark_query::Query,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Map<String, Value>>, usize)> {
        caller.require(kind.read_role)?;
        let filter = ObjectFilter {
            limit: 100_000,
            ..ObjectFilter::default()
        };
        let objs = self
            .store
            .query_objects(caller.account_id, kind.kind, &filter)
            .await?;
        let hits: Vec<Map<String, Value>> = objs
            .into_iter()
            .map(|o| public(o.doc))
            .filter(|d| term.matches(&Value::Object(d.clone())))
            .collect();
        let total = hits.len();
        Ok((hits.into_iter().skip(offset).take(limit).collect(), total))
    }

    /// The shared filtered query.
    pub async fn query(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        q: &Query,
    ) -> Result<Vec<Map<String, Value>>> {
        caller.require(kind.read_role)?;
        let statuses = Status::parse_filter(q.status.as_deref(), &[])?;
        let data_sources = csv(q.datasource.as_deref())
            .iter()
            .map(|d| {
                d.parse::<i64>().map_err(|_| {
                    DomainError::invalid(format!(
                        "invalid datasource `{d}`: expected a data source number"
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let limit = q.limit.unwrap_or(1000);
        if !(1..=10_000).contains(&limit) {
            return Err(DomainError::invalid("`limit` must be between 1 and 10000"));
        }
        let filter = ObjectFilter {
            statuses,
            tags: csv(q.tag.as_deref()),
            data_sources,
            limit,
            offset: q.offset.unwrap_or(0).max(0),
        };
        let objs = self
            .store
            .query_objects(caller.account_id, kind.kind, &filter)
            .await?;
        Ok(objs.into_iter().map(|o| public(o.doc)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_values() {
        assert_eq!(zero_like(&json!("x")), json!(""));
        assert_eq!(zero_like(&json!([1])), json!([]));
        assert_eq!(zero_like(&json!(7)), json!(0));
        assert_eq!(zero_like(&json!(true)), json!(false));
    }

    #[test]
    fn tags_must_be_strings() {
        let mut m = Map::new();
        m.insert("tags".into(), json!(["a", 1]));
        assert!(tags_of(&m).is_err());
        m.insert("tags".into(), json!(["a", "b"]));
        assert_eq!(tags_of(&m).unwrap_or_default(), vec!["a", "b"]);
    }
}
