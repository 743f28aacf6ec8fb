//! `AZURE_HOST` from `az vm list -d` (or `az vm list`, ARM REST), joined
//! with `az network nic list` and `az network public-ip list` items of the
//! same snapshot for subnets, NSGs and addresses. `data` is exactly the
//! seed's Azure `moreInfo` of `GET /api/v1/vms`.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{AzIndex, arm, key, no_id, parent, prop, prop_arr, prop_bool, prop_str, ref_id};
use crate::json::{arr_at, at, b, bool_at, last_segment, s, str_at};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn vm(ix: &AzIndex<'_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let storage = prop(v, "storageProfile");
    let os_disk = storage.and_then(|s| at(s, &["osDisk"]));
    let os_type = os_disk.and_then(|d| str_at(d, &["osType"]));
    let encryption_at_host = prop(v, "securityProfile")
        .and_then(|p| bool_at(p, &["encryptionAtHost"]))
        .unwrap_or(false);
    let data_disks = storage.map_or(&[][..], |s| arr_at(s, &["dataDisks"]));
    let data_disks_encryption = (!data_disks.is_empty()).then(|| {
        data_disks
            .iter()
            .all(|d| encryption_at_host || disk_has_own_key(d))
    });

    // `-d` adds comma-separated address lists; NIC items add the rest.
    let listed_public = split_list(prop_str(v, "publicIps"));
    let listed_private = split_list(prop_str(v, "privateIps"));
    let nic_refs = prop(v, "networkProfile").map_or(&[][..], |p| arr_at(p, &["networkInterfaces"]));
    let single_nic = nic_refs.len() == 1;
    let mut nics = Vec::new();
    let mut primary: Option<Nic> = None;
    for (position, reference) in nic_refs.iter().enumerate() {
        let Some(nic_id) = str_at(reference, &["id"]) else {
            continue;
        };
        let mut nic = match ix.nics.get(&key(nic_id)) {
            Some(found) => joined_nic(ix, nic_id, found),
            None => Nic::bare(nic_id),
        };
        if nic.public_ips.is_empty() && single_nic {
            nic.public_ips.clone_from(&listed_public);
        }
        if nic.private_ips.is_empty() && single_nic {
            nic.private_ips.clone_from(&listed_private);
        }
        let is_primary = bool_at(reference, &["primary"])
            .or_else(|| bool_at(reference, &["properties", "primary"]))
            .unwrap_or(position == 0);
        if is_primary && primary.is_none() {
            primary = Some(nic.clone());
        }
        nics.push(nic);
    }
    let primary = primary.or_else(|| nics.first().cloned());
    let public_ip = listed_public
        .first()
        .cloned()
        .or_else(|| nics.iter().find_map(|n| n.public_ips.first().cloned()));
    let private_ip = listed_private.first().cloned().or_else(|| {
        primary
            .as_ref()
            .and_then(|n| n.private_ips.first().cloned())
    });
    let subnet_id = primary.as_ref().and_then(|n| n.subnet.clone());
    let vnet_id = subnet_id.as_deref().and_then(|s| parent(s, "/subnets/"));
    let primary_nsg = primary
        .as_ref()
        .and_then(|n| n.nsg.clone().or_else(|| n.subnet_nsg.clone()));
    let mut security_groups: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for nsg in nics
        .iter()
        .flat_map(|n| [n.nsg.clone(), n.subnet_nsg.clone()])
        .flatten()
    {
        if seen.insert(key(&nsg)) {
            security_groups.push(nsg);
        }
    }
    let is_public = public_ip.is_some();
    let scale_set = ref_id(v, "virtualMachineScaleSet");
    let tags = at(v, &["tags"]).cloned().unwrap_or_else(|| json!({}));
    let has_container_nodes = arm.tags.iter().any(|t| t.name.starts_with("aks-managed"));

    let data = json!({
        "name": arm.name,
        "image": image_name(storage.and_then(|s| at(s, &["imageReference"]))),
        "runningState": power_state(v),
        "instanceType": prop(v, "hardwareProfile").and_then(|h| str_at(h, &["vmSize"])),
        "region": arm.region,
        "osType": os_type,
        "subnetId": subnet_id,
        "resourceGroup": arm.resource_group,
        "isPublic": is_public,
        "passwordLogin": password_login(prop(v, "osProfile"), os_type),
        "provisioningState": prop_str(v, "provisioningState"),
        "vnetId": vnet_id,
        "osDiskEncryption": os_disk.map(|d| encryption_at_host || disk_has_own_key(d) || ade_enabled(d)),
        "publicIP": public_ip,
        "privateIP": private_ip,
        "primarySecurityGroup": primary_nsg,
        "hasContainerNodes": has_container_nodes,
        "dataDisksEncryption": data_disks_encryption,
        "securityGroupList": security_groups.iter().map(|id| json!({
            "name": last_segment(id),
            "value": id,
        })).collect::<Vec<_>>(),
        "networkInterfaces": nics.iter().map(Nic::to_json).collect::<Vec<_>>(),
        "tags": tags,
        "vmScaleSetId": scale_set,
        "vmScaleSet": scale_set.map(last_segment),
        "serverAgent": Value::Null,
    });
    out.push(arm.asset("AZURE_HOST", Some(is_public), data));
}

/// What the VM's `networkInterfaces` entry and the host fields need of a NIC.
#[derive(Clone)]
struct Nic {
    id: String,
    name: String,
    public_ips: Vec<String>,
    private_ips: Vec<String>,
    nsg: Option<String>,
    subnet: Option<String>,
    subnet_nsg: Option<String>,
    ip_configs: Vec<Value>,
}

impl Nic {
    fn bare(id: &str) -> Nic {
        Nic {
            id: id.to_owned(),
            name: last_segment(id).to_owned(),
            public_ips: Vec::new(),
            private_ips: Vec::new(),
            nsg: None,
            subnet: None,
            subnet_nsg: None,
            ip_configs: Vec::new(),
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "interfaceId": self.id,
            "name": self.name,
            "publicIP": self.public_ips.first(),
            "privateIP": self.private_ips.first(),
            "nsgId": self.nsg,
            // The seed spells it this way.
            "ipConfigration": self.ip_configs,
        })
    }
}

fn joined_nic(ix: &AzIndex<'_>, nic_id: &str, nic: &Value) -> Nic {
    let mut joined = Nic::bare(nic_id);
    if let Some(name) = str_at(nic, &["name"]) {
        name.clone_into(&mut joined.name);
    }
    joined.nsg = ref_id(nic, "networkSecurityGroup").map(str::to_owned);
    let configs = prop_arr(nic, "ipConfigurations");
    for (position, config) in configs.iter().enumerate() {
        let private_ip = prop_str(config, "privateIPAddress");
        let public_ip = public_address(ix, config);
        let subnet = ref_id(config, "subnet");
        let primary = prop_bool(config, "primary").unwrap_or(position == 0);
        if let Some(ip) = private_ip {
            joined.private_ips.push(ip.to_owned());
        }
        if let Some(ip) = &public_ip {
            joined.public_ips.push(ip.clone());
        }
        if primary && joined.subnet.is_none() {
            joined.subnet = subnet.map(str::to_owned);
        }
        let groups: Vec<&str> = prop_arr(config, "applicationSecurityGroups")
            .iter()
            .filter_map(|g| str_at(g, &["id"]))
            .collect();
        joined.ip_configs.push(json!({
            "name": str_at(config, &["name"]),
            "privateIP": private_ip,
            "publicIP": public_ip,
            "subnet": subnet,
            "primary": primary,
            "applicationSecurityGroups": groups,
        }));
    }
    joined.subnet_nsg = joined
        .subnet
        .as_deref()
        .and_then(|s| ix.subnet_nsg.get(&key(s)).cloned());
    joined
}

/// The address of a NIC IP configuration's public IP: inline when the
/// export expanded it, else from the public-IP items of the snapshot.
fn public_address(ix: &AzIndex<'_>, config: &Value) -> Option<String> {
    let reference = prop(config, "publicIPAddress")?;
    if let Some(inline) = prop_str(reference, "ipAddress") {
        return Some(inline.to_owned());
    }
    let by_id = str_at(reference, &["id"])
        .and_then(|id| ix.public_ips.get(&key(id)))
        .and_then(|ip| prop_str(ip, "ipAddress"));
    let by_config =
        str_at(config, &["id"]).and_then(|id| ix.public_ip_by_ip_config.get(&key(id)).copied());
    by_id.or(by_config).map(str::to_owned)
}

fn split_list(list: Option<&str>) -> Vec<String> {
    list.map(|l| {
        l.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// `publisher:offer:sku:version` (the `az vm create --image` URN), or the
/// id of a custom or gallery image.
fn image_name(reference: Option<&Value>) -> Value {
    let Some(r) = reference else {
        return Value::Null;
    };
    let urn = [
        str_at(r, &["publisher"]),
        str_at(r, &["offer"]),
        str_at(r, &["sku"]),
        str_at(r, &["version"]),
    ];
    if urn.iter().all(Option::is_some) {
        return Value::String(urn.iter().flatten().copied().collect::<Vec<_>>().join(":"));
    }
    s(str_at(r, &["id"])
        .or_else(|| str_at(r, &["sharedGalleryImageId"]))
        .or_else(|| str_at(r, &["communityGalleryImageId"])))
}

/// `VM running` as `az vm list -d` prints it, also from an instance view.
fn power_state(v: &Value) -> Value {
    if let Some(state) = prop_str(v, "powerState") {
        return Value::String(state.to_owned());
    }
    let statuses = prop(v, "instanceView").map_or(&[][..], |i| arr_at(i, &["statuses"]));
    statuses
        .iter()
        .filter_map(|st| str_at(st, &["code"]))
        .find_map(|code| code.strip_prefix("PowerState/"))
        .map_or(Value::Null, |state| Value::String(format!("VM {state}")))
}

/// Windows always allows password logons; Linux unless disabled.
fn password_login(os_profile: Option<&Value>, os_type: Option<&str>) -> Value {
    let Some(profile) = os_profile else {
        return Value::Null;
    };
    if at(profile, &["windowsConfiguration"]).is_some()
        || os_type.is_some_and(|t| t.eq_ignore_ascii_case("windows"))
    {
        return Value::Bool(true);
    }
    b(bool_at(
        profile,
        &["linuxConfiguration", "disablePasswordAuthentication"],
    )
    .map(|d| !d))
}

/// Encryption beyond the platform default that every managed disk has:
/// a customer-managed key set.
fn disk_has_own_key(disk: &Value) -> bool {
    at(disk, &["managedDisk", "diskEncryptionSet", "id"]).is_some()
        || at(
            disk,
            &["managedDisk", "securityProfile", "diskEncryptionSet", "id"],
        )
        .is_some()
}

/// Azure Disk Encryption (BitLocker / dm-crypt) on the OS disk.
fn ade_enabled(disk: &Value) -> bool {
    bool_at(disk, &["encryptionSettings", "enabled"]).unwrap_or(false)
}
