//! Devices: E053 Register Device, E054 Get the user's device, E086 Get the user's
//! devices, E052 Delete Devices; beyond the seed, list and single soft delete.
//!
//! A device belongs to one user of the account (`user_uuid`). Registering proves key
//! possession with the request's `signature` (`proto.CertificateVerify`, see
//! [`super::device_cert`]) and freshness with `time_id` (`create_time` within five
//! minutes of the server's clock, a `salt` of 16-256 characters). The server sets
//! `certificate` (the verified DER), `public_key` (its PEM SubjectPublicKeyInfo),
//! `time_id`, `user_display_name`, `is_managed` (true when an ENDPOINT CA issued the
//! certificate) and `is_managed_verification_done` (true), and beyond the seed
//! `ca_certificate_uuid`, `certificate_subject`, `certificate_fingerprint_sha256` and
//! `certificate_not_after` (epoch ms). A certificate registers one live device: a
//! second first-time registration with it is 409; the device re-registers (fresh
//! posture) by sending its `device_uuid`, the same certificate and a newer `time_id`.
//! `private_key_encrypted`, `ca_cert` and `encrypted_ca_key` are refused: key
//! material never enters a document or a request log.
//!
//! Who may act: end users (role `user`) on their own devices only (the credential's
//! user); others' devices need `read_only` to read and `admin` to register or delete.
//!
//! Posture values `*_enabled` / `*_lock_enabled` are `pbcommon.Bool` (0 UNSET, 1 TRUE,
//! 2 FALSE); `client_version_risk` is a non-negative level.

use std::sync::Arc;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::ca::CA_CERTIFICATES;
use super::device_cert::{self, TrustedCa, Verified, bytes_of};
use super::{int_enum, live_docs, non_negative, strings, text};
use crate::auth::Principal;
use crate::identity::USERS;
use crate::model::ObjectFilter;
use crate::ports::Store;
use crate::resources::{Query, ResourceKind, ResourceService};
use crate::{DomainError, Result, Role, Status, clock};

/// How far `time_id.create_time` may be from the server's clock (ms).
pub const FRESHNESS_MS: i64 = 5 * 60 * 1000;
/// Most devices one Delete Devices request may name.
pub const MAX_DELETE: usize = 1000;
/// Fields only the server writes.
pub const SERVER_DEVICE_FIELDS: &[&str] = &[
    "certificate",
    "public_key",
    "time_id",
    "user_display_name",
    "is_managed",
    "is_managed_verification_done",
    "ca_certificate_uuid",
    "certificate_subject",
    "certificate_fingerprint_sha256",
    "certificate_not_after",
];

const TRI_BOOL: &[i64] = &[0, 1, 2];
const POSTURE_BOOLS: &[&str] = &[
    "device_activation_lock_enabled",
    "disk_encryption_enabled",
    "firmware_password_enabled",
    "recovery_lock_enabled",
    "user_activation_lock_enabled",
];

fn bad(msg: impl Into<String>) -> DomainError {
    DomainError::invalid(msg)
}

fn object<'a>(doc: &'a Map<String, Value>, field: &str) -> Result<Option<&'a Map<String, Value>>> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(bad(format!("`{field}` must be an object"))),
    }
}

fn validate_device(doc: &Map<String, Value>) -> Result<()> {
    let user = text(doc, "user_uuid")?.unwrap_or_default();
    if Uuid::parse_str(&user).is_err() {
        return Err(bad(format!(
            "a device needs the `user_uuid` of its user, got `{user}`"
        )));
    }
    for f in [
        "browser",
        "browser_version",
        "display_name",
        "eg_version",
        "normalized_id",
        "os",
        "os_version",
        "platform_uuid",
        "serial_number",
    ] {
        text(doc, f)?;
    }
    strings(doc, "tags")?;
    if let Some(p) = object(doc, "posture")? {
        for f in POSTURE_BOOLS {
            int_enum(p, f, TRI_BOOL).map_err(|e| bad(format!("posture: {e}")))?;
        }
        non_negative(p, "client_version_risk").map_err(|e| bad(format!("posture: {e}")))?;
        if let Some(info) = object(p, "device_process_info")? {
            match info.get("processes") {
                None | Some(Value::Null) => {}
                Some(Value::Array(ps)) => {
                    for proc in ps {
                        let ok = proc.as_object().is_some_and(|o| {
                            strings(o, "paths").is_ok() && text(o, "spec").is_ok()
                        });
                        if !ok {
                            return Err(bad(
                                "`posture.device_process_info.processes` must hold {paths: [..], spec}",
                            ));
                        }
                    }
                }
                Some(_) => {
                    return Err(bad(
                        "`posture.device_process_info.processes` must be an array",
                    ));
                }
            }
        }
    }
    if let Some(props) = object(doc, "properties")? {
        for (k, v) in props {
            let ok = match k.as_str() {
                "browser_details" => v.is_array(),
                "last_boot_epoch_sec" | "location_tracking_state" => v.is_i64(),
                k if k.ends_with("_enabled") => v.is_boolean(),
                _ => v.is_string(),
            };
            if !ok && !v.is_null() {
                return Err(bad(format!("`properties.{k}` has the wrong type")));
            }
        }
    }
    Ok(())
}

/// Devices.
pub static DEVICES: ResourceKind = ResourceKind {
    kind: "device",
    what: "device",
    read_role: Role::User,
    write_role: Role::User,
    // One live device per certificate, enforced by the store's unique index too, so
    // two concurrent registrations of one certificate cannot both succeed.
    unique_field: Some("certificate_fingerprint_sha256"),
    actor_fields: false,
    default_status: Status::Active,
    validate: validate_device,
    secret_fields: &[],
};

/// A Register Device request, as JSON maps of its parts.
#[derive(Debug, Default)]
pub struct Registration {
    pub device: Map<String, Value>,
    pub device_uuid: Option<String>,
    /// `proto.CertificateVerify`: `algorithm`, `certificate`, `signature`.
    pub signature: Map<String, Value>,
    pub time_id: Map<String, Value>,
    pub ca_cert: Option<String>,
    pub encrypted_ca_key: Option<String>,
}

/// Device operations with their ownership rules.
pub struct DeviceService {
    store: Arc<dyn Store>,
    resources: ResourceService,
}

/// Whether `caller` may act on `user`'s devices; `write` needs `admin` for others.
fn may_act(caller: &Principal, user: &str, write: bool) -> Result<()> {
    caller.require(Role::User)?;
    if !caller.user_uuid.is_empty() && caller.user_uuid == user {
        return Ok(());
    }
    caller.require(if write { Role::Admin } else { Role::ReadOnly })
}

/// Reads of others' devices by end users look like missing devices.
fn may_read(caller: &Principal, user: &str) -> Result<()> {
    may_act(caller, user, false).map_err(|_| DomainError::NotFound("device"))
}

fn field_str<'a>(doc: &'a Map<String, Value>, f: &str) -> &'a str {
    doc.get(f).and_then(Value::as_str).unwrap_or("")
}

impl DeviceService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            resources: ResourceService::new(store.clone()),
            store,
        }
    }

    async fn live_user(&self, caller: &Principal, user: &str) -> Result<Map<String, Value>> {
        let id = Uuid::parse_str(user)
            .map_err(|_| bad(format!("`device.user_uuid` `{user}` is not a uuid")))?;
        match self
            .store
            .get_object(caller.account_id, USERS.kind, id)
            .await?
        {
            Some(o) if o.status == Status::Deleted => Err(bad(format!(
                "user `{user}` is deleted; devices register only for active users"
            ))),
            Some(o) if o.status == Status::Suspended => Err(bad(format!(
                "user `{user}` is suspended; devices register only for active users"
            ))),
            Some(o) => Ok(o.doc),
            None => Err(bad(format!(
                "`device.user_uuid`: user `{user}` does not exist in this account"
            ))),
        }
    }

    async fn trusted_cas(&self, caller: &Principal) -> Result<Vec<TrustedCa>> {
        Ok(live_docs(&self.store, caller, &CA_CERTIFICATES)
            .await?
            .into_iter()
            .filter_map(|(uuid, d)| {
                let purpose = d.get("purpose").and_then(Value::as_i64).unwrap_or(0);
                let status = d.get("status").and_then(Value::as_i64).unwrap_or(0);
                ([1, 2].contains(&purpose) && [0, 2].contains(&status)).then(|| TrustedCa {
                    uuid: uuid.to_string(),
                    public_key_pem: field_str(&d, "public_key_pem").to_string(),
                    purpose,
                })
            })
            .collect())
    }

    async fn live_devices(&self, caller: &Principal) -> Result<Vec<(Uuid, Map<String, Value>)>> {
        live_docs(&self.store, caller, &DEVICES).await
    }

    /// E053. Answers the device and whether it was created (false: re-registered).
    pub async fn register(
        &self,
        caller: &Principal,
        reg: Registration,
    ) -> Result<(Map<String, Value>, bool)> {
        for (f, v) in [
            ("ca_cert", &reg.ca_cert),
            ("encrypted_ca_key", &reg.encrypted_ca_key),
            (
                "device.private_key_encrypted",
                &text(&reg.device, "private_key_encrypted")?,
            ),
        ] {
            if v.as_deref().is_some_and(|s| !s.is_empty()) {
                return Err(bad(format!(
                    "`{f}` is not accepted: key material is never stored; upload CA certificates with Add CA certificate"
                )));
            }
        }
        let user = field_str(&reg.device, "user_uuid").to_string();
        if user.is_empty() {
            return Err(bad("`device.user_uuid` is required"));
        }
        may_act(caller, &user, true)?;
        let user_doc = self.live_user(caller, &user).await?;

        let create_time = reg
            .time_id
            .get("create_time")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("`time_id.create_time` (epoch ms) is required"))?;
        let now = clock::now_ms();
        if (now - create_time).abs() > FRESHNESS_MS {
            return Err(bad(format!(
                "`time_id.create_time` {create_time} is more than 5 minutes from the server's clock ({now})"
            )));
        }
        let salt = text(&reg.time_id, "salt")?.unwrap_or_default();
        if !(16..=256).contains(&salt.chars().count()) {
            return Err(bad("`time_id.salt` must be 16-256 characters"));
        }
        let device_uuid = reg.device_uuid.clone().unwrap_or_default();
        let algorithm = text(&reg.signature, "algorithm")?.unwrap_or_default();
        let certificate = bytes_of(reg.signature.get("certificate"), "signature.certificate")?;
        let sig = bytes_of(reg.signature.get("signature"), "signature.signature")?;
        let message = device_cert::signed_bytes(
            &caller.account_name,
            &user,
            &device_uuid,
            create_time,
            &salt,
        )?;
        let cas = self.trusted_cas(caller).await?;
        let verified = device_cert::verify(
            &algorithm,
            &certificate,
            &sig,
            &message,
            &cas,
            clock::now_sec(),
        )?;

        let mut fields: Map<String, Value> = reg
            .device
            .into_iter()
            .filter(|(k, _)| !SERVER_DEVICE_FIELDS.contains(&k.as_str()))
            .collect();
        fields.insert("certificate".into(), json!(certificate));
        fields.insert("public_key".into(), json!(verified.public_key_pem));
        fields.insert("time_id".into(), Value::Object(reg.time_id.clone()));
        fields.insert(
            "user_display_name".into(),
            json!(field_str(&user_doc, "display_name")),
        );
        fields.extend(derived(&verified));

        let existing = self.live_devices(caller).await?;
        if device_uuid.is_empty() {
            if let Some((id, _)) = existing.iter().find(|(_, d)| {
                field_str(d, "certificate_fingerprint_sha256") == verified.fingerprint_sha256
            }) {
                return Err(DomainError::Conflict(format!(
                    "this certificate is already registered as device {id}; re-register it with `device_uuid`"
                )));
            }
            let doc = self.resources.create(caller, &DEVICES, fields).await?;
            return Ok((doc, true));
        }
        let id = Uuid::parse_str(&device_uuid).map_err(|_| DomainError::NotFound("device"))?;
        let Some((_, current)) = existing
            .iter()
            .find(|(i, d)| *i == id && field_str(d, "user_uuid") == user)
        else {
            return Err(DomainError::NotFound("device"));
        };
        if field_str(current, "certificate_fingerprint_sha256") != verified.fingerprint_sha256 {
            return Err(bad(
                "`signature.certificate` is not the certificate this device registered with",
            ));
        }
        let last = current
            .get("time_id")
            .and_then(|t| t.get("create_time"))
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if create_time <= last {
            return Err(bad(format!(
                "`time_id.create_time` {create_time} is not newer than the device's last registration ({last})"
            )));
        }
        let doc = self
            .resources
            .update(caller, &DEVICES, id, fields, &[], None)
            .await?;
        Ok((doc, false))
    }

    /// E054: the device, which must belong to `user_uuid`.
    pub async fn get(
        &self,
        caller: &Principal,
        uuid: Uuid,
        user_uuid: &str,
    ) -> Result<Map<String, Value>> {
        may_read(caller, user_uuid)?;
        let doc = self.resources.get(caller, &DEVICES, uuid).await?;
        if field_str(&doc, "user_uuid") != user_uuid {
            return Err(DomainError::NotFound("device"));
        }
        Ok(doc)
    }

    /// E086: one page of a user's devices (not deleted unless `statuses` says so),
    /// newest first, with the offset of the next page (`None` at the end).
    pub async fn of_user(
        &self,
        caller: &Principal,
        user: Uuid,
        statuses: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Map<String, Value>>, Option<usize>)> {
        let user_s = user.to_string();
        may_read(caller, &user_s).map_err(|_| DomainError::NotFound("user"))?;
        self.store
            .get_object(caller.account_id, USERS.kind, user)
            .await?
            .ok_or(DomainError::NotFound("user"))?;
        let filter = ObjectFilter {
            statuses: Status::parse_filter(statuses, &[])?,
            limit: 100_000,
            ..ObjectFilter::default()
        };
        let all: Vec<Map<String, Value>> = self
            .store
            .query_objects(caller.account_id, DEVICES.kind, &filter)
            .await?
            .into_iter()
            .map(|o| o.doc)
            .filter(|d| field_str(d, "user_uuid") == user_s)
            .collect();
        let next = (offset + limit < all.len()).then_some(offset + limit);
        Ok((all.into_iter().skip(offset).take(limit).collect(), next))
    }

    /// E052: soft-deletes every named device. All are checked first (each must exist
    /// and belong to its `user_uuid`, and the caller must be allowed), so a refused
    /// request deletes nothing; answers the deleted devices in request order.
    pub async fn delete_many(
        &self,
        caller: &Principal,
        items: &[(String, String)],
    ) -> Result<Vec<Map<String, Value>>> {
        if items.is_empty() {
            return Err(bad("`devices` must name at least one device"));
        }
        if items.len() > MAX_DELETE {
            return Err(bad(format!(
                "`devices` may name at most {MAX_DELETE} devices"
            )));
        }
        let mut ids = Vec::with_capacity(items.len());
        for (user, uuid) in items {
            may_act(caller, user, true)?;
            let id = Uuid::parse_str(uuid)
                .map_err(|_| bad(format!("`devices[].uuid` `{uuid}` is not a uuid")))?;
            let found = self
                .store
                .get_object(caller.account_id, DEVICES.kind, id)
                .await?
                .filter(|o| field_str(&o.doc, "user_uuid") == user);
            if found.is_none() {
                return Err(DomainError::Invalid(format!(
                    "device `{uuid}` of user `{user}` not found; nothing was deleted"
                )));
            }
            ids.push(id);
        }
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.resources.delete(caller, &DEVICES, id).await?);
        }
        Ok(out)
    }

    /// Beyond the seed: soft-deletes one device.
    pub async fn delete(&self, caller: &Principal, uuid: Uuid) -> Result<Map<String, Value>> {
        caller.require(Role::User)?;
        let doc = self.resources.get(caller, &DEVICES, uuid).await?;
        let user = field_str(&doc, "user_uuid");
        may_read(caller, user)?;
        may_act(caller, user, true)?;
        self.resources.delete(caller, &DEVICES, uuid).await
    }

    /// Beyond the seed: every device of the account (`read_only` and up), or an end
    /// user's own, filtered and paged like the other families.
    pub async fn list(&self, caller: &Principal, q: &Query) -> Result<Vec<Map<String, Value>>> {
        caller.require(Role::User)?;
        if caller.role.at_least(Role::ReadOnly) {
            return self.resources.query(caller, &DEVICES, q).await;
        }
        let limit = usize::try_from(q.limit.unwrap_or(1000).clamp(1, 10_000)).unwrap_or(1000);
        let offset = usize::try_from(q.offset.unwrap_or(0).max(0)).unwrap_or(0);
        let all = self
            .resources
            .query(
                caller,
                &DEVICES,
                &Query {
                    limit: Some(10_000),
                    offset: Some(0),
                    ..q.clone()
                },
            )
            .await?;
        Ok(all
            .into_iter()
            .filter(|d| field_str(d, "user_uuid") == caller.user_uuid)
            .skip(offset)
            .take(limit)
            .collect())
    }
}

fn derived(v: &Verified) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("is_managed".into(), json!(v.ca_purpose == 2));
    m.insert("is_managed_verification_done".into(), json!(true));
    m.insert("ca_certificate_uuid".into(), json!(v.ca_uuid));
    m.insert("certificate_subject".into(), json!(v.subject));
    m.insert(
        "certificate_fingerprint_sha256".into(),
        json!(v.fingerprint_sha256),
    );
    m.insert("certificate_not_after".into(), json!(v.not_after_ms));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn device_shapes() {
        let u = "0b9d3f2e-6f55-4d35-9d53-2b1f0f3c9a11";
        assert!(validate_device(&doc(json!({"user_uuid": u,
            "posture": {"disk_encryption_enabled": 1, "client_version_risk": 2,
                "device_process_info": {"processes": [{"paths": ["/a"], "spec": "x"}]}},
            "properties": {"hostname": "h", "disk_encryption_enabled": true, "last_boot_epoch_sec": 5}})))
        .is_ok());
        for bad in [
            json!({}),
            json!({"user_uuid": "nope"}),
            json!({"user_uuid": u, "posture": {"disk_encryption_enabled": 3}}),
            json!({"user_uuid": u, "posture": {"client_version_risk": -1}}),
            json!({"user_uuid": u, "posture": {"device_process_info": {"processes": [1]}}}),
            json!({"user_uuid": u, "properties": {"hostname": 1}}),
            json!({"user_uuid": u, "properties": {"disk_encryption_enabled": "yes"}}),
        ] {
            assert!(validate_device(&doc(bad.clone())).is_err(), "{bad}");
        }
    }
}
