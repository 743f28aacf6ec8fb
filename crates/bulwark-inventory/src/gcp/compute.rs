//! `GCP_HOST` from `gcloud compute instances list --format=json`,
//! `GCP_FIREWALL` from `gcloud compute firewall-rules list` and `GCP_VPC`
//! from `gcloud compute networks list`, joined with disks
//! (`gcloud compute disks list`) and subnetworks
//! (`gcloud compute networks subnets list`) of the same snapshot.
//!
//! Host `data` is exactly the seed's GCP `moreInfo` of `GET /api/v1/vms`.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{GcIndex, base, project, relative, zone_region};
use crate::base::Budget;
use crate::json::{
    arr_at, at, b, bool_at, i64_at, id_at, is_anywhere, last_segment, s, str_at, strings,
    tags_from_object,
};
use crate::normalize::Out;
use crate::snapshot::Item;

/// Metadata keys whose values are posture settings; every other value
/// (startup scripts, SSH keys, kube-env) is replaced, as it may hold
/// secrets.
const SAFE_METADATA: [&str; 10] = [
    "enable-oslogin",
    "enable-oslogin-2fa",
    "block-project-ssh-keys",
    "serial-port-enable",
    "serial-port-logging-enable",
    "enable-guest-attributes",
    "disable-legacy-endpoints",
    "google-logging-enabled",
    "google-monitoring-enabled",
    "enable-os-inventory",
];

pub(super) fn instance(ix: &GcIndex<'_>, budget: &Budget, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let (Some(id), Some(name)) = (id_at(v, &["id"]), str_at(v, &["name"])) else {
        return out.warn(item, "instance without `id` or `name`");
    };
    let zone = str_at(v, &["zone"]).map(last_segment);
    let link = str_at(v, &["selfLink"]).or_else(|| str_at(v, &["zone"]));
    let nics = arr_at(v, &["networkInterfaces"]);
    let nat_ips: Vec<&str> = nics
        .iter()
        .flat_map(|nic| arr_at(nic, &["accessConfigs"]))
        .filter_map(|c| str_at(c, &["natIP"]))
        .collect();
    let ipv6_public = nics
        .iter()
        .flat_map(|nic| arr_at(nic, &["ipv6AccessConfigs"]))
        .any(|c| str_at(c, &["externalIpv6"]).is_some());
    let is_public = !nat_ips.is_empty() || ipv6_public;
    let network_tags = strings(arr_at(v, &["tags", "items"]));
    // Sets, so that matching many rules against many tags stays linear.
    let target = Target {
        tags: network_tags.iter().map(String::as_str).collect(),
        accounts: arr_at(v, &["serviceAccounts"])
            .iter()
            .filter_map(|a| str_at(a, &["email"]))
            .collect(),
        networks: nics
            .iter()
            .filter_map(|nic| str_at(nic, &["network"]))
            .map(relative)
            .collect(),
    };
    let candidates: &[&Value] = if budget.take(ix.firewalls.len()) {
        &ix.firewalls
    } else {
        &[]
    };
    let mut firewalls: Vec<&str> = candidates
        .iter()
        .filter(|fw| applies(fw, &target))
        .filter_map(|fw| str_at(fw, &["name"]))
        .collect();
    firewalls.sort_unstable();
    let labels = at(v, &["labels"]);
    let data = json!({
        "name": name,
        "description": str_at(v, &["description"]),
        "instanceType": str_at(v, &["machineType"]).map(last_segment),
        "status": str_at(v, &["status"]),
        "zone": zone,
        "canIpForward": bool_at(v, &["canIpForward"]),
        "cpuPlatform": str_at(v, &["cpuPlatform"]),
        "kind": str_at(v, &["kind"]),
        "startRestricted": bool_at(v, &["startRestricted"]),
        "isPublic": is_public,
        "publicIP": nat_ips.first(),
        "privateIP": nics.iter().find_map(|nic| str_at(nic, &["networkIP"])),
        "deletionProtection": bool_at(v, &["deletionProtection"]),
        "networkInterfaceList": nics.iter().map(nic_json).collect::<Vec<_>>(),
        "disksList": arr_at(v, &["disks"]).iter().map(|d| disk_json(ix, d)).collect::<Vec<_>>(),
        "metadata": metadata(v),
        "tags": if network_tags.is_empty() { Value::Null } else { json!(network_tags) },
        "firewallList": firewalls,
        "serviceAccountList": arr_at(v, &["serviceAccounts"]).iter().map(|a| json!({
            "email": str_at(a, &["email"]),
            "scopes": strings(arr_at(a, &["scopes"])),
        })).collect::<Vec<_>>(),
        "hasContainerNodes": labels.and_then(|l| l.get("goog-gke-node")).is_some(),
    });
    let base = base(
        link.and_then(project).unwrap_or_default(),
        zone.map(zone_region),
        id,
        name.to_owned(),
        tags_from_object(labels),
    );
    out.push(base.asset("GCP_HOST", Some(is_public), data));
}

fn nic_json(nic: &Value) -> Value {
    json!({
        "name": str_at(nic, &["name"]),
        "networkId": str_at(nic, &["network"]),
        "privateIp": str_at(nic, &["networkIP"]),
        "subnetId": str_at(nic, &["subnetwork"]),
        "kind": str_at(nic, &["kind"]),
        "accessConfigList": arr_at(nic, &["accessConfigs"]).iter().map(|c| json!({
            "name": str_at(c, &["name"]),
            "natIP": str_at(c, &["natIP"]),
            "publicPtrDomainName": str_at(c, &["publicPtrDomainName"]),
            "kind": str_at(c, &["kind"]),
        })).collect::<Vec<_>>(),
    })
}

/// An attached disk; image and type come from the disk itself when the
/// snapshot has it. Encrypted means a customer-managed or -supplied key:
/// Google encrypts every disk, so only that is worth reporting.
fn disk_json(ix: &GcIndex<'_>, disk: &Value) -> Value {
    let full = str_at(disk, &["source"]).and_then(|s| ix.disks.get(&relative(s)).copied());
    let size = at(disk, &["diskSizeGb"])
        .or_else(|| full.and_then(|f| at(f, &["sizeGb"])))
        .map(crate::json::scalar_text);
    let encrypted = at(disk, &["diskEncryptionKey"]).is_some()
        || full.is_some_and(|f| at(f, &["diskEncryptionKey"]).is_some());
    json!({
        "name": str_at(disk, &["deviceName"]),
        "sourceImage": full.and_then(|f| str_at(f, &["sourceImage"])),
        "diskSizeGb": size,
        "diskType": full.and_then(|f| str_at(f, &["type"])).map(last_segment),
        "type": str_at(disk, &["type"]),
        "mode": str_at(disk, &["mode"]),
        "source": str_at(disk, &["source"]),
        "index": i64_at(disk, &["index"]),
        "isEncrypted": encrypted,
    })
}

fn metadata(v: &Value) -> Value {
    let items = arr_at(v, &["metadata", "items"]);
    if items.is_empty() {
        return Value::Null;
    }
    let mut map = Map::new();
    for entry in items {
        if let Some(key) = str_at(entry, &["key"]) {
            let value = if SAFE_METADATA.contains(&key) {
                s(str_at(entry, &["value"]))
            } else {
                Value::String("<redacted>".to_owned())
            };
            map.insert(key.to_owned(), value);
        }
    }
    Value::Object(map)
}

/// What firewall rules are matched against.
struct Target<'a> {
    tags: HashSet<&'a str>,
    accounts: HashSet<&'a str>,
    networks: HashSet<String>,
}

/// Whether an enabled firewall rule applies to an instance: same network,
/// and no targets or a matching network tag or service account.
fn applies(fw: &Value, target: &Target<'_>) -> bool {
    let Some(network) = str_at(fw, &["network"]).map(relative) else {
        return false;
    };
    if !target.networks.contains(&network) || bool_at(fw, &["disabled"]) == Some(true) {
        return false;
    }
    let target_tags = arr_at(fw, &["targetTags"]);
    let target_accounts = arr_at(fw, &["targetServiceAccounts"]);
    (target_tags.is_empty() && target_accounts.is_empty())
        || target_tags
            .iter()
            .filter_map(Value::as_str)
            .any(|t| target.tags.contains(t))
        || target_accounts
            .iter()
            .filter_map(Value::as_str)
            .any(|a| target.accounts.contains(a))
}

/// Ingress allowed from anywhere by an enabled rule.
fn open_to_internet(fw: &Value) -> bool {
    str_at(fw, &["direction"]).is_none_or(|d| d == "INGRESS")
        && bool_at(fw, &["disabled"]) != Some(true)
        && !arr_at(fw, &["allowed"]).is_empty()
        && arr_at(fw, &["sourceRanges"])
            .iter()
            .filter_map(Value::as_str)
            .any(is_anywhere)
}

fn protocols(list: &[Value]) -> Vec<Value> {
    list.iter()
        .map(|p| {
            json!({
                "protocol": str_at(p, &["IPProtocol"]),
                "ports": strings(arr_at(p, &["ports"])),
            })
        })
        .collect()
}

pub(super) fn firewall(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(name) = str_at(v, &["name"]) else {
        return out.warn(item, "firewall rule without a `name`");
    };
    let link = str_at(v, &["selfLink"]);
    let network = str_at(v, &["network"]);
    let open = open_to_internet(v);
    let data = json!({
        "id": id_at(v, &["id"]),
        "name": name,
        "description": str_at(v, &["description"]),
        "network": network.map(last_segment),
        "networkUrl": network,
        "direction": str_at(v, &["direction"]),
        "priority": i64_at(v, &["priority"]),
        "disabled": b(bool_at(v, &["disabled"])),
        "allowed": protocols(arr_at(v, &["allowed"])),
        "denied": protocols(arr_at(v, &["denied"])),
        "sourceRanges": strings(arr_at(v, &["sourceRanges"])),
        "destinationRanges": strings(arr_at(v, &["destinationRanges"])),
        "sourceTags": strings(arr_at(v, &["sourceTags"])),
        "targetTags": strings(arr_at(v, &["targetTags"])),
        "targetServiceAccounts": strings(arr_at(v, &["targetServiceAccounts"])),
        "logEnabled": bool_at(v, &["logConfig", "enable"]),
        "openToInternet": open,
    });
    let id = id_at(v, &["id"]).unwrap_or_else(|| link.map_or_else(|| name.to_owned(), relative));
    let account = link.or(network).and_then(project).unwrap_or_default();
    let base = base(account, None, id, name.to_owned(), Vec::new());
    out.push(base.asset("GCP_FIREWALL", Some(open), data));
}

pub(super) fn network(ix: &GcIndex<'_>, budget: &Budget, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(name) = str_at(v, &["name"]) else {
        return out.warn(item, "network without a `name`");
    };
    let link = str_at(v, &["selfLink"]).map(relative);
    let subnets: Vec<Value> = arr_at(v, &["subnetworks"])
        .iter()
        .filter_map(Value::as_str)
        .map(|url| match ix.subnets.get(&relative(url)) {
            Some(subnet) => json!({
                "name": str_at(subnet, &["name"]),
                "region": str_at(subnet, &["region"]).map(last_segment),
                "ipCidrRange": str_at(subnet, &["ipCidrRange"]),
                "privateIpGoogleAccess": bool_at(subnet, &["privateIpGoogleAccess"]),
                "flowLogsEnabled": bool_at(subnet, &["logConfig", "enable"])
                    .or_else(|| bool_at(subnet, &["enableFlowLogs"])),
            }),
            None => json!({
                "name": last_segment(url),
                "region": crate::json::segment_after(url, "regions"),
                "ipCidrRange": null,
                "privateIpGoogleAccess": null,
                "flowLogsEnabled": null,
            }),
        })
        .collect();
    let candidates: &[&Value] = if budget.take(ix.firewalls.len()) {
        &ix.firewalls
    } else {
        &[]
    };
    let on_network: Vec<&Value> = candidates
        .iter()
        .copied()
        .filter(|fw| str_at(fw, &["network"]).map(relative) == link)
        .collect();
    let names = |rules: &[&Value]| -> Vec<String> {
        let mut names: Vec<String> = rules
            .iter()
            .filter_map(|fw| str_at(fw, &["name"]))
            .map(str::to_owned)
            .collect();
        names.sort_unstable();
        names
    };
    let open: Vec<&Value> = on_network
        .iter()
        .copied()
        .filter(|fw| open_to_internet(fw))
        .collect();
    let data = json!({
        "id": id_at(v, &["id"]),
        "name": name,
        "description": str_at(v, &["description"]),
        "autoCreateSubnetworks": bool_at(v, &["autoCreateSubnetworks"]),
        "routingMode": str_at(v, &["routingConfig", "routingMode"]),
        "subnetMode": str_at(v, &["x_gcloud_subnet_mode"]),
        "mtu": i64_at(v, &["mtu"]),
        "isDefault": name == "default",
        "subnetworks": subnets,
        "peerings": arr_at(v, &["peerings"]).iter().map(|p| json!({
            "name": str_at(p, &["name"]),
            "network": str_at(p, &["network"]),
            "state": str_at(p, &["state"]),
            "exportCustomRoutes": bool_at(p, &["exportCustomRoutes"]),
        })).collect::<Vec<_>>(),
        "firewallRules": names(&on_network),
        "openFirewallRules": names(&open),
    });
    let id = id_at(v, &["id"]).unwrap_or_else(|| link.clone().unwrap_or_else(|| name.to_owned()));
    let account = link.as_deref().and_then(project).unwrap_or_default();
    let base = base(account, None, id, name.to_owned(), Vec::new());
    out.push(base.asset("GCP_VPC", None, data));
}
