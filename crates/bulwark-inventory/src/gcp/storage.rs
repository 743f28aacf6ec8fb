//! `GCP_BUCKET` from `gcloud storage buckets list --format=json` (gcloud's
//! snake_case fields) or the JSON API / `--raw` shape (`storage#bucket`),
//! with bucket IAM policies of the same snapshot; `GCP_SQL` from
//! `gcloud sql instances list --format=json`.

use serde_json::{Value, json};

use super::{GcIndex, PUBLIC_MEMBERS, base, project};
use crate::json::{arr_at, at, bool_at, i64_at, id_at, is_anywhere, str_at, tags_from_object};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn bucket(ix: &GcIndex<'_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(name) = str_at(v, &["name"]) else {
        return out.warn(item, "bucket without a `name`");
    };
    // Field names of the JSON API, then of `gcloud storage`.
    let first_str = |paths: &[&[&str]]| paths.iter().find_map(|p| str_at(v, p));
    let first_bool = |paths: &[&[&str]]| paths.iter().find_map(|p| bool_at(v, p));
    let prevention = first_str(&[
        &["iamConfiguration", "publicAccessPrevention"],
        &["public_access_prevention"],
    ]);
    let uniform = first_bool(&[
        &["iamConfiguration", "uniformBucketLevelAccess", "enabled"],
        &["uniform_bucket_level_access"],
    ]);
    let acl = if at(v, &["acl"]).is_some() {
        Some(arr_at(v, &["acl"]))
    } else {
        None
    };
    // Object ACLs do not apply once uniform bucket-level access is on.
    let public_acl: Vec<String> = acl
        .unwrap_or_default()
        .iter()
        .filter(|_| uniform != Some(true))
        .filter(|entry| str_at(entry, &["entity"]).is_some_and(|e| PUBLIC_MEMBERS.contains(&e)))
        .map(|entry| {
            format!(
                "{}:{}",
                str_at(entry, &["entity"]).unwrap_or_default(),
                str_at(entry, &["role"]).unwrap_or_default()
            )
        })
        .collect();
    let public_iam = ix
        .bucket_public_grants
        .get(name)
        .cloned()
        .unwrap_or_default();
    let enforced = prevention.is_some_and(|p| p.eq_ignore_ascii_case("enforced"));
    let is_public = if enforced {
        Some(false)
    } else if !public_acl.is_empty() || !public_iam.is_empty() {
        Some(true)
    } else if acl.is_some() || ix.buckets_with_policy.contains(name) {
        Some(false)
    } else {
        None
    };
    let labels = at(v, &["labels"]);
    let data = json!({
        "name": name,
        "url": format!("gs://{name}/"),
        "projectNumber": id_at(v, &["projectNumber"]),
        "location": str_at(v, &["location"]).map(str::to_ascii_lowercase),
        "locationType": first_str(&[&["locationType"], &["location_type"]]),
        "storageClass": first_str(&[&["storageClass"], &["default_storage_class"]]),
        "created": first_str(&[&["timeCreated"], &["creation_time"]]),
        "updated": first_str(&[&["updated"], &["update_time"]]),
        "versioningEnabled": first_bool(&[&["versioning", "enabled"], &["versioning_enabled"]]),
        "uniformBucketLevelAccess": uniform,
        "publicAccessPrevention": prevention,
        "publicAcl": public_acl,
        "publicIamMembers": public_iam,
        "defaultKmsKeyName": first_str(&[&["encryption", "defaultKmsKeyName"], &["default_kms_key"]]),
        "loggingEnabled": first_str(&[&["logging", "logBucket"], &["logging_config", "logBucket"]]).is_some(),
        "retentionPeriodSeconds": i64_at(v, &["retentionPolicy", "retentionPeriod"])
            .or_else(|| i64_at(v, &["retention_policy", "retentionPeriod"])),
    });
    // Bucket listings carry the project number at most; the caller knows
    // the project id.
    let base = base(
        String::new(),
        str_at(v, &["location"]).map(str::to_ascii_lowercase),
        name.to_owned(),
        name.to_owned(),
        tags_from_object(labels),
    );
    out.push(base.asset("GCP_BUCKET", is_public, data));
}

/// Public means a public IPv4 address that an authorized network of
/// `0.0.0.0/0` opens to everyone.
pub(super) fn sql(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(name) = str_at(v, &["name"]) else {
        return out.warn(item, "Cloud SQL instance without a `name`");
    };
    let settings = at(v, &["settings"]).cloned().unwrap_or(Value::Null);
    let ip = at(&settings, &["ipConfiguration"])
        .cloned()
        .unwrap_or(Value::Null);
    let addresses = arr_at(v, &["ipAddresses"]);
    let address_of = |kind: &str| {
        addresses
            .iter()
            .find(|a| str_at(a, &["type"]) == Some(kind))
            .and_then(|a| str_at(a, &["ipAddress"]))
    };
    let networks: Vec<&str> = arr_at(&ip, &["authorizedNetworks"])
        .iter()
        .filter_map(|n| str_at(n, &["value"]))
        .collect();
    let ipv4 = bool_at(&ip, &["ipv4Enabled"]).unwrap_or(address_of("PRIMARY").is_some());
    let open = ipv4 && networks.iter().any(|n| is_anywhere(n));
    let flags: Vec<Value> = arr_at(&settings, &["databaseFlags"])
        .iter()
        .map(|f| json!({"name": str_at(f, &["name"]), "value": str_at(f, &["value"])}))
        .collect();
    let data = json!({
        "name": name,
        "connectionName": str_at(v, &["connectionName"]),
        "databaseVersion": str_at(v, &["databaseVersion"]),
        "state": str_at(v, &["state"]),
        "region": str_at(v, &["region"]),
        "gceZone": str_at(v, &["gceZone"]),
        "tier": str_at(&settings, &["tier"]),
        "availabilityType": str_at(&settings, &["availabilityType"]),
        "publicIP": address_of("PRIMARY"),
        "privateIP": address_of("PRIVATE"),
        "ipv4Enabled": ipv4,
        "authorizedNetworks": networks,
        "requireSsl": bool_at(&ip, &["requireSsl"]),
        "sslMode": str_at(&ip, &["sslMode"]),
        "privateNetwork": str_at(&ip, &["privateNetwork"]),
        "backupEnabled": bool_at(&settings, &["backupConfiguration", "enabled"]),
        "pointInTimeRecoveryEnabled": bool_at(&settings, &["backupConfiguration", "pointInTimeRecoveryEnabled"]),
        "databaseFlags": flags,
        "serviceAccountEmailAddress": str_at(v, &["serviceAccountEmailAddress"]),
        "openToInternet": open,
    });
    let account = str_at(v, &["project"])
        .map(str::to_owned)
        .or_else(|| str_at(v, &["selfLink"]).and_then(project))
        .unwrap_or_default();
    let id = str_at(v, &["connectionName"]).unwrap_or(name).to_owned();
    let base = base(
        account,
        str_at(v, &["region"]).map(str::to_owned),
        id,
        name.to_owned(),
        tags_from_object(at(&settings, &["userLabels"])),
    );
    out.push(base.asset("GCP_SQL", Some(open), data));
}
