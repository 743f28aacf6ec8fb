//! App control policies (E016 query, E017 get, E018 update, E019 add): what a user
//! may do inside an app (copy, paste, upload, download, print).
//!
//! Each entry of `policy_event_actions` is enforced as a child policy (the access
//! family's policy object, `type` 4 APP_CONTROL) carrying the parent's session and app
//! filters, the entry's `action` and `policy_event_type`, and
//! `parent_app_control_policy_uuid`; so "Query policies" for a user and an app lists
//! the app control rules that apply. The server keeps the children in step with the
//! parent on every write and fills `child_policy_uuids` and each entry's
//! `policy_uuid`; clients cannot set them.
//!
//! `event_type` (the seed gives numbers only): 0 UNSPECIFIED, 1 COPY, 2 PASTE,
//! 3 UPLOAD, 4 DOWNLOAD, 5 PRINT. `action` uses the policy action numbers of
//! `bulwark-access`; app control accepts 1 ALLOW, 2 BLOCK, 102 REQUIRE_JUSTIFICATION
//! and 400 ALERT. Each event type appears at most once per policy. A new policy's
//! `status` is 0, 1 INIT or 2 ACTIVE.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{int_enum, required_text, tag_filter, text};
use crate::access::POLICIES;
use crate::auth::Principal;
use crate::ports::Store;
use crate::resources::{ResourceKind, ResourceService};
use crate::{DomainError, Result, Role, Status};

/// Event type names by number.
pub const EVENT_TYPES: [&str; 6] = [
    "UNSPECIFIED",
    "COPY",
    "PASTE",
    "UPLOAD",
    "DOWNLOAD",
    "PRINT",
];
/// Actions an app control entry may take.
pub const ACTIONS: &[i64] = &[1, 2, 102, 400];
/// `proto.PolicyType` APP_CONTROL.
const APP_CONTROL_TYPE: i64 = 4;
/// Fields only the server writes.
pub const SERVER_MAINTAINED: &[&str] = &["child_policy_uuids", "filter_selector_display_names"];

fn actions(doc: &Map<String, Value>) -> Result<Vec<Map<String, Value>>> {
    let list = match doc.get("policy_event_actions") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(DomainError::invalid(
                "`policy_event_actions` must be an array",
            ));
        }
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for a in list {
        let a = a
            .as_object()
            .ok_or_else(|| DomainError::invalid("`policy_event_actions` must hold objects"))?;
        int_enum(a, "action", ACTIONS)?;
        int_enum(a, "event_type", &[1, 2, 3, 4, 5])?;
        let event = a.get("event_type").and_then(Value::as_i64).ok_or_else(|| {
            DomainError::invalid("each `policy_event_actions` entry needs an `event_type` (1-5)")
        })?;
        if a.get("action")
            .and_then(Value::as_i64)
            .is_none_or(|n| n == 0)
        {
            return Err(DomainError::invalid(
                "each `policy_event_actions` entry needs an `action` (1, 2, 102 or 400)",
            ));
        }
        if seen.contains(&event) {
            return Err(DomainError::invalid(format!(
                "`policy_event_actions` lists event type {event} twice"
            )));
        }
        seen.push(event);
        out.push(a.clone());
    }
    Ok(out)
}

fn validate_app_control(doc: &Map<String, Value>) -> Result<()> {
    required_text(doc, "name", "app control policy")?;
    text(doc, "description")?;
    tag_filter(doc, "session_filter")?;
    tag_filter(doc, "app_filter")?;
    actions(doc)?;
    Ok(())
}

/// App control policies.
pub static APP_CONTROL_POLICIES: ResourceKind = ResourceKind {
    kind: "app_control_policy",
    what: "app control policy",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_app_control,
    secret_fields: &[],
};

/// App control policies and their child policies.
pub struct AppControlService {
    resources: ResourceService,
}

fn event_of(a: &Map<String, Value>) -> i64 {
    a.get("event_type").and_then(Value::as_i64).unwrap_or(0)
}

impl AppControlService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            resources: ResourceService::new(store),
        }
    }

    /// The child policy of one entry, as the parent `doc` says it should be.
    fn child(
        parent: Uuid,
        doc: &Map<String, Value>,
        entry: &Map<String, Value>,
    ) -> Map<String, Value> {
        let event = event_of(entry);
        let event_name = usize::try_from(event)
            .ok()
            .and_then(|e| EVENT_TYPES.get(e))
            .copied()
            .unwrap_or("UNSPECIFIED");
        let name = doc.get("name").and_then(Value::as_str).unwrap_or("");
        let mut c = Map::new();
        c.insert("name".into(), json!(format!("{name}: {event_name}")));
        c.insert(
            "description".into(),
            json!(format!(
                "app control of {event_name} events, kept by policy `{name}`"
            )),
        );
        c.insert("type".into(), json!(APP_CONTROL_TYPE));
        c.insert(
            "action".into(),
            entry.get("action").cloned().unwrap_or(json!(0)),
        );
        c.insert("policy_event_type".into(), json!(event));
        c.insert(
            "parent_app_control_policy_uuid".into(),
            json!(parent.to_string()),
        );
        for f in ["session_filter", "app_filter", "status"] {
            if let Some(v) = doc.get(f) {
                c.insert(f.into(), v.clone());
            }
        }
        c
    }

    /// Brings the children in line with `doc` (the parent as it will be stored):
    /// reuses the child of each event type, creates missing ones, deletes the rest.
    /// Returns `doc` with `policy_uuid` and `child_policy_uuids` filled in.
    async fn sync(
        &self,
        caller: &Principal,
        parent: Uuid,
        mut doc: Map<String, Value>,
        existing: &BTreeMap<i64, Uuid>,
    ) -> Result<Map<String, Value>> {
        let entries = actions(&doc)?;
        let mut out = Vec::new();
        let mut kept = Vec::new();
        for mut entry in entries {
            let child = Self::child(parent, &doc, &entry);
            let id = match existing.get(&event_of(&entry)) {
                Some(id) => {
                    self.resources
                        .update(caller, &POLICIES, *id, child, &[], None)
                        .await?;
                    *id
                }
                None => {
                    let created = self.resources.create(caller, &POLICIES, child).await?;
                    created
                        .get("uuid")
                        .and_then(Value::as_str)
                        .and_then(|u| Uuid::parse_str(u).ok())
                        .ok_or_else(|| DomainError::Internal("child policy has no uuid".into()))?
                }
            };
            kept.push(id);
            entry.insert("policy_uuid".into(), json!(id.to_string()));
            out.push(Value::Object(entry));
        }
        for id in existing.values().filter(|id| !kept.contains(id)) {
            match self.resources.delete(caller, &POLICIES, *id).await {
                Ok(_) | Err(DomainError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        doc.insert("policy_event_actions".into(), Value::Array(out));
        doc.insert(
            "child_policy_uuids".into(),
            json!(kept.iter().map(Uuid::to_string).collect::<Vec<_>>()),
        );
        Ok(doc)
    }

    /// The children of a stored parent, by event type.
    fn children(doc: &Map<String, Value>) -> BTreeMap<i64, Uuid> {
        actions(doc)
            .unwrap_or_default()
            .iter()
            .filter_map(|a| {
                let id = a
                    .get("policy_uuid")
                    .and_then(Value::as_str)
                    .and_then(|u| Uuid::parse_str(u).ok())?;
                Some((event_of(a), id))
            })
            .collect()
    }

    /// E019.
    pub async fn create(
        &self,
        caller: &Principal,
        mut input: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        caller.require(APP_CONTROL_POLICIES.write_role)?;
        caller.require(POLICIES.write_role)?;
        int_enum(&input, "status", &[0, 1, 2])?;
        if input.get("status").and_then(Value::as_i64) == Some(0) {
            input.remove("status");
        }
        for f in SERVER_MAINTAINED {
            input.remove(*f);
        }
        validate_app_control(&input)?;
        if !input.contains_key("status") {
            input.insert(
                "status".into(),
                json!(APP_CONTROL_POLICIES.default_status.code()),
            );
        }
        let uuid = Uuid::new_v4();
        let doc = self.sync(caller, uuid, input, &BTreeMap::new()).await?;
        let children = Self::children(&doc);
        match self
            .resources
            .create_with_uuid(caller, &APP_CONTROL_POLICIES, doc, uuid)
            .await
        {
            Ok(d) => Ok(d),
            Err(e) => {
                // Best effort: without their parent the children must not act.
                for id in children.values() {
                    let _ = self.resources.delete(caller, &POLICIES, *id).await;
                }
                Err(e)
            }
        }
    }

    /// E018: a partial update; the children follow.
    pub async fn update(
        &self,
        caller: &Principal,
        uuid: Uuid,
        mut changes: Map<String, Value>,
        attributes_to_delete: &[String],
    ) -> Result<Map<String, Value>> {
        caller.require(APP_CONTROL_POLICIES.write_role)?;
        caller.require(POLICIES.write_role)?;
        let current = self
            .resources
            .get(caller, &APP_CONTROL_POLICIES, uuid)
            .await?;
        for f in SERVER_MAINTAINED {
            changes.remove(*f);
        }
        let mut merged = current.clone();
        for a in attributes_to_delete {
            merged.remove(a);
        }
        for (k, v) in &changes {
            if !v.is_null() {
                merged.insert(k.clone(), v.clone());
            }
        }
        validate_app_control(&merged)?;
        int_enum(&merged, "status", &[0, 1, 2, 3, 4])?;
        let synced = self
            .sync(caller, uuid, merged, &Self::children(&current))
            .await?;
        for f in ["policy_event_actions", "child_policy_uuids"] {
            if let Some(v) = synced.get(f) {
                changes.insert(f.into(), v.clone());
            }
        }
        let deletes: Vec<String> = attributes_to_delete
            .iter()
            .filter(|a| *a != "policy_event_actions")
            .cloned()
            .collect();
        self.resources
            .update(caller, &APP_CONTROL_POLICIES, uuid, changes, &deletes, None)
            .await
    }

    /// Soft-deletes the policy and its children.
    pub async fn delete(&self, caller: &Principal, uuid: Uuid) -> Result<Map<String, Value>> {
        let mut changes = Map::new();
        changes.insert("status".into(), json!(Status::Deleted.code()));
        self.update(caller, uuid, changes, &[]).await
    }
}
