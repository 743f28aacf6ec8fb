//! Device posture: attributes (E070-E072, E104) describe one check a device must pass;
//! profiles (E073-E075, E105) group attributes for a platform and name the tag a
//! compliant device gets. A profile may only reference existing, non-deleted
//! attributes of its own account, checked on create and update; an attribute that a
//! live profile references cannot be deleted.
//!
//! The seed gives both enums only as numbers. Bulwark's mapping:
//!
//! `proto.PosturePlatform` (`platform`, `supported_platforms`):
//!
//! | value | name          |
//! |-------|---------------|
//! | 0     | `UNSPECIFIED` (any platform) |
//! | 1     | `WINDOWS`     |
//! | 2     | `MACOS`       |
//! | 3     | `LINUX`       |
//!
//! `proto.PostureAttributeType` (`attribute_type`):
//!
//! | value | name                 | the device passes when                          |
//! |-------|----------------------|-------------------------------------------------|
//! | 0     | `UNSPECIFIED`        | (not set)                                       |
//! | 1     | `REQUIRED_PROCESSES` | every process in `required_processes` runs      |
//! | 2     | `DISK_ENCRYPTION`    | the system disk is encrypted                    |
//! | 3     | `FIREWALL`           | the host firewall is on                         |
//! | 4     | `SCREEN_LOCK`        | a screen lock with a timeout is configured      |
//! | 5     | `OS_UP_TO_DATE`      | the operating system has its security updates   |
//!
//! Only `REQUIRED_PROCESSES` attributes carry processes, and they need at least one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{int_enum, int_enum_list, live_docs, required_text, strings, text};
use crate::auth::Principal;
use crate::ports::Store;
use crate::resources::{ResourceKind, ResourceService};
use crate::{DomainError, Result, Role, Status};

/// Platform numbers (see the module table).
pub const PLATFORMS: &[i64] = &[0, 1, 2, 3];
/// `MACOS`: the only platform with bundle and team ids.
const MACOS: i64 = 2;
/// Attribute type numbers (see the module table).
pub const ATTRIBUTE_TYPES: &[i64] = &[0, 1, 2, 3, 4, 5];
/// `REQUIRED_PROCESSES`.
const REQUIRED_PROCESSES: i64 = 1;

/// Longest accepted `process_regex`; the compiled size is bounded as well.
const MAX_REGEX: usize = 1024;

fn is_hex_of(s: &str, lens: &[usize]) -> bool {
    let hex: String = s.chars().filter(|c| *c != ':').collect();
    lens.contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

fn check_process(p: &Value, supported: &[i64]) -> Result<()> {
    let Some(p) = p.as_object() else {
        return Err(DomainError::invalid(
            "`required_processes` must hold objects",
        ));
    };
    int_enum(p, "platform", PLATFORMS)?;
    let platform = p.get("platform").and_then(Value::as_i64).unwrap_or(0);
    if platform != 0 && !supported.is_empty() && !supported.contains(&platform) {
        return Err(DomainError::invalid(format!(
            "a required process for platform {platform} is not among `supported_platforms` {supported:?}"
        )));
    }
    let mut identified = false;
    for f in [
        "process_regex",
        "binary_hash",
        "bundle_id",
        "cert_thumbprint",
        "team_id",
    ] {
        identified |= text(p, f)?.is_some_and(|s| !s.is_empty());
    }
    if !identified {
        return Err(DomainError::invalid(
            "a required process needs one of `process_regex`, `binary_hash`, `bundle_id`, `cert_thumbprint`, `team_id`",
        ));
    }
    if let Some(re) = text(p, "process_regex")?.filter(|s| !s.is_empty()) {
        if re.len() > MAX_REGEX {
            return Err(DomainError::invalid(format!(
                "`process_regex` is longer than {MAX_REGEX} bytes"
            )));
        }
        regex::RegexBuilder::new(&re)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| DomainError::invalid(format!("invalid `process_regex` `{re}`: {e}")))?;
    }
    if let Some(h) = text(p, "binary_hash")?.filter(|s| !s.is_empty())
        && !is_hex_of(&h, &[32, 40, 64])
    {
        return Err(DomainError::invalid(format!(
            "`binary_hash` `{h}` must be an MD5, SHA-1 or SHA-256 hex digest"
        )));
    }
    if let Some(t) = text(p, "cert_thumbprint")?.filter(|s| !s.is_empty())
        && !is_hex_of(&t, &[40, 64])
    {
        return Err(DomainError::invalid(format!(
            "`cert_thumbprint` `{t}` must be a SHA-1 or SHA-256 hex thumbprint"
        )));
    }
    let apple = ["bundle_id", "team_id"].iter().any(|f| {
        p.get(*f)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    });
    if apple && platform != 0 && platform != MACOS {
        return Err(DomainError::invalid(
            "`bundle_id` and `team_id` identify macOS processes only",
        ));
    }
    Ok(())
}

fn validate_attribute(doc: &Map<String, Value>) -> Result<()> {
    required_text(doc, "name", "posture attribute")?;
    text(doc, "description")?;
    int_enum(doc, "attribute_type", ATTRIBUTE_TYPES)?;
    int_enum_list(doc, "supported_platforms", PLATFORMS)?;
    let supported: Vec<i64> = doc
        .get("supported_platforms")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let processes = match doc.get("required_processes") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(DomainError::invalid(
                "`required_processes` must be an array",
            ));
        }
    };
    let kind = doc
        .get("attribute_type")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if kind == REQUIRED_PROCESSES && processes.is_empty() {
        return Err(DomainError::invalid(
            "a REQUIRED_PROCESSES (1) attribute needs at least one `required_processes` entry",
        ));
    }
    if kind != REQUIRED_PROCESSES && !processes.is_empty() {
        return Err(DomainError::invalid(
            "only REQUIRED_PROCESSES (1) attributes take `required_processes`",
        ));
    }
    for p in processes {
        check_process(p, &supported)?;
    }
    Ok(())
}

fn validate_profile(doc: &Map<String, Value>) -> Result<()> {
    required_text(doc, "name", "posture profile")?;
    text(doc, "description")?;
    int_enum(doc, "platform", PLATFORMS)?;
    if let Some(tag) = text(doc, "posture_tag_value")?
        && (tag.len() > 128 || tag.chars().any(char::is_whitespace))
    {
        return Err(DomainError::invalid(format!(
            "`posture_tag_value` `{tag}` must be a tag: at most 128 characters, no spaces"
        )));
    }
    let ids = strings(doc, "attribute_uuids")?;
    let mut seen = BTreeSet::new();
    for id in &ids {
        Uuid::parse_str(id).map_err(|_| {
            DomainError::invalid(format!(
                "`attribute_uuids`: `{id}` is not a posture attribute uuid"
            ))
        })?;
        if !seen.insert(id) {
            return Err(DomainError::invalid(format!(
                "`attribute_uuids` names `{id}` twice"
            )));
        }
    }
    Ok(())
}

/// Posture attributes.
pub static POSTURE_ATTRIBUTES: ResourceKind = ResourceKind {
    kind: "posture_attribute",
    what: "posture attribute",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_attribute,
    secret_fields: &[],
};

/// Posture profiles.
pub static POSTURE_PROFILES: ResourceKind = ResourceKind {
    kind: "posture_profile",
    what: "posture profile",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_profile,
    secret_fields: &[],
};

/// The reference rules between profiles and attributes, on top of the shared shape.
pub struct PostureService {
    store: Arc<dyn Store>,
    resources: ResourceService,
}

impl PostureService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            resources: ResourceService::new(store.clone()),
            store,
        }
    }

    /// Every uuid in `ids` names a live attribute of the caller's account that
    /// supports `platform`.
    async fn check_refs(&self, caller: &Principal, ids: &[String], platform: i64) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let live: BTreeMap<String, Map<String, Value>> =
            live_docs(&self.store, caller, &POSTURE_ATTRIBUTES)
                .await?
                .into_iter()
                .map(|(id, d)| (id.to_string(), d))
                .collect();
        for id in ids {
            let Some(attr) = live.get(&id.to_ascii_lowercase()) else {
                return Err(DomainError::invalid(format!(
                    "`attribute_uuids`: posture attribute `{id}` does not exist or is deleted"
                )));
            };
            let supported: Vec<i64> = attr
                .get("supported_platforms")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            if platform != 0 && !supported.is_empty() && !supported.contains(&platform) {
                return Err(DomainError::invalid(format!(
                    "posture attribute `{id}` does not support platform {platform}"
                )));
            }
        }
        Ok(())
    }

    /// E073: creates a profile whose attributes exist.
    pub async fn create_profile(
        &self,
        caller: &Principal,
        input: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        caller.require(POSTURE_PROFILES.write_role)?;
        validate_profile_shape(&input)?;
        let ids = strings(&input, "attribute_uuids")?;
        let platform = input.get("platform").and_then(Value::as_i64).unwrap_or(0);
        self.check_refs(caller, &ids, platform).await?;
        self.resources
            .create(caller, &POSTURE_PROFILES, input)
            .await
    }

    /// E075: a partial update; the resulting attribute list is checked again.
    pub async fn update_profile(
        &self,
        caller: &Principal,
        uuid: Uuid,
        changes: Map<String, Value>,
        attributes_to_delete: &[String],
    ) -> Result<Map<String, Value>> {
        caller.require(POSTURE_PROFILES.write_role)?;
        let current = self.resources.get(caller, &POSTURE_PROFILES, uuid).await?;
        let pick = |field: &str| -> Option<Value> {
            if attributes_to_delete.iter().any(|a| a == field) && !changes.contains_key(field) {
                return None;
            }
            changes.get(field).or_else(|| current.get(field)).cloned()
        };
        let mut merged = Map::new();
        for f in ["attribute_uuids", "platform"] {
            if let Some(v) = pick(f) {
                merged.insert(f.into(), v);
            }
        }
        let ids = strings(&merged, "attribute_uuids")?;
        let platform = merged.get("platform").and_then(Value::as_i64).unwrap_or(0);
        self.check_refs(caller, &ids, platform).await?;
        self.resources
            .update(
                caller,
                &POSTURE_PROFILES,
                uuid,
                changes,
                attributes_to_delete,
                None,
            )
            .await
    }

    /// Soft-deletes an attribute unless a live profile still references it.
    pub async fn delete_attribute(
        &self,
        caller: &Principal,
        uuid: Uuid,
    ) -> Result<Map<String, Value>> {
        caller.require(POSTURE_ATTRIBUTES.write_role)?;
        // 404 for unknown ids before anything about profiles is revealed.
        self.resources
            .get(caller, &POSTURE_ATTRIBUTES, uuid)
            .await?;
        let id = uuid.to_string();
        let users: Vec<String> = live_docs(&self.store, caller, &POSTURE_PROFILES)
            .await?
            .into_iter()
            .filter(|(_, d)| {
                strings(d, "attribute_uuids")
                    .unwrap_or_default()
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&id))
            })
            .map(|(pid, _)| pid.to_string())
            .collect();
        if !users.is_empty() {
            return Err(DomainError::Conflict(format!(
                "posture attribute `{id}` is referenced by posture profile(s) {}; remove it from them first",
                users.join(", ")
            )));
        }
        let mut changes = Map::new();
        changes.insert("status".into(), json!(Status::Deleted.code()));
        self.resources
            .update(caller, &POSTURE_ATTRIBUTES, uuid, changes, &[], None)
            .await
    }
}

/// The shape checks of a profile that do not need a name (run before the reference
/// check, so a malformed uuid is reported as such).
fn validate_profile_shape(doc: &Map<String, Value>) -> Result<()> {
    int_enum(doc, "platform", PLATFORMS)?;
    for id in strings(doc, "attribute_uuids")? {
        Uuid::parse_str(&id).map_err(|_| {
            DomainError::invalid(format!(
                "`attribute_uuids`: `{id}` is not a posture attribute uuid"
            ))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn attributes() {
        let ok = doc(
            json!({"name": "edr", "attribute_type": 1, "supported_platforms": [1, 2],
            "required_processes": [{"platform": 2, "bundle_id": "com.x", "team_id": "T1"},
                                   {"platform": 1, "process_regex": "^edr\\.exe$",
                                    "binary_hash": "a".repeat(64)}]}),
        );
        assert!(validate_attribute(&ok).is_ok());
        let cases = [
            json!({"attribute_type": 2}),
            json!({"name": "x", "attribute_type": 6}),
            json!({"name": "x", "attribute_type": 1}),
            json!({"name": "x", "attribute_type": 2, "required_processes": [{"process_regex": "a"}]}),
            json!({"name": "x", "attribute_type": 1, "required_processes": [{"platform": 1}]}),
            json!({"name": "x", "attribute_type": 1, "required_processes": [{"process_regex": "("}]}),
            json!({"name": "x", "attribute_type": 1, "required_processes": [{"binary_hash": "xyz"}]}),
            json!({"name": "x", "attribute_type": 1, "required_processes": [{"platform": 1, "bundle_id": "b"}]}),
            json!({"name": "x", "attribute_type": 1, "supported_platforms": [1],
                   "required_processes": [{"platform": 3, "process_regex": "a"}]}),
            json!({"name": "x", "supported_platforms": [4]}),
        ];
        for c in cases {
            assert!(validate_attribute(&doc(c.clone())).is_err(), "{c}");
        }
    }

    #[test]
    fn profiles() {
        let id = Uuid::new_v4().to_string();
        let ok = doc(json!({"name": "p", "platform": 2, "attribute_uuids": [id],
            "posture_tag_value": "compliant_mac"}));
        assert!(validate_profile(&ok).is_ok());
        for c in [
            json!({"name": "p", "attribute_uuids": ["nope"]}),
            json!({"name": "p", "attribute_uuids": [id, id]}),
            json!({"name": "p", "platform": 9}),
            json!({"name": "p", "posture_tag_value": "has space"}),
            json!({"platform": 1}),
        ] {
            assert!(validate_profile(&doc(c.clone())).is_err(), "{c}");
        }
    }
}
