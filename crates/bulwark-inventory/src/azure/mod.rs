//! Azure: `az ... list` output (properties flattened, camelCase), the same
//! resources from ARM REST or Resource Graph (under `properties`), Microsoft
//! Graph directory objects, activity-log events and NSG flow-log blobs.

mod aks;
mod compute;
mod data;
mod identity;
mod logs;
mod network;
mod web;

use std::collections::HashMap;

use serde_json::Value;

use crate::detect::Kind;
use crate::json::{at, last_segment, segment_after, str_at, tags_from_object};
use crate::model::{Asset, Provider, Tag};
use crate::normalize::{Index, Out};
use crate::snapshot::Item;

/// Azure items other items refer to, keyed by lower-cased ARM id (ARM ids
/// are case-insensitive and commands disagree on the case of segments).
#[derive(Default)]
pub(crate) struct AzIndex<'a> {
    nics: HashMap<String, &'a Value>,
    public_ips: HashMap<String, &'a Value>,
    /// Public address by the id of the NIC IP configuration it is bound to.
    public_ip_by_ip_config: HashMap<String, &'a str>,
    /// NSG id by subnet id, from virtual networks and from NSGs.
    subnet_nsg: HashMap<String, String>,
    /// `sites/config` objects (`web`, `authsettings`, ...) by site id.
    site_configs: HashMap<String, Vec<&'a Value>>,
    /// Firewall rules by server id.
    firewall_rules: HashMap<String, Vec<&'a Value>>,
    /// Role assignments by principal object id.
    role_assignments: HashMap<String, Vec<&'a Value>>,
    has_role_assignments: bool,
    /// Authentication-method registration reports by user object id.
    mfa: HashMap<String, &'a Value>,
}

impl<'a> AzIndex<'a> {
    pub(crate) fn add(&mut self, kind: Kind, v: &'a Value) {
        let id = str_at(v, &["id"]).map(key);
        match (kind, id) {
            (Kind::AzNic, Some(id)) => {
                self.nics.insert(id, v);
            }
            (Kind::AzPublicIp, Some(id)) => {
                if let (Some(config), Some(address)) = (
                    prop_str(v, "ipConfiguration")
                        .or_else(|| prop(v, "ipConfiguration").and_then(|c| str_at(c, &["id"]))),
                    prop_str(v, "ipAddress"),
                ) {
                    self.public_ip_by_ip_config.insert(key(config), address);
                }
                self.public_ips.insert(id, v);
            }
            (Kind::AzVnet, _) => {
                for subnet in prop_arr(v, "subnets") {
                    let nsg = prop(subnet, "networkSecurityGroup").and_then(|n| str_at(n, &["id"]));
                    if let (Some(subnet), Some(nsg)) = (str_at(subnet, &["id"]), nsg) {
                        self.subnet_nsg.insert(key(subnet), nsg.to_owned());
                    }
                }
            }
            (Kind::AzNsg, Some(_)) => {
                if let Some(nsg) = str_at(v, &["id"]) {
                    for subnet in prop_arr(v, "subnets") {
                        if let Some(subnet) = str_at(subnet, &["id"]) {
                            self.subnet_nsg
                                .entry(key(subnet))
                                .or_insert_with(|| nsg.to_owned());
                        }
                    }
                }
            }
            (Kind::AzSiteConfig, Some(id)) => {
                if let Some((site, _)) = id.split_once("/config/") {
                    self.site_configs
                        .entry(site.to_owned())
                        .or_default()
                        .push(v);
                }
            }
            (Kind::AzFirewallRule, Some(id)) => {
                if let Some((server, _)) = id.split_once("/firewallrules/") {
                    self.firewall_rules
                        .entry(server.to_owned())
                        .or_default()
                        .push(v);
                }
            }
            (Kind::AzRoleAssignment, _) => {
                self.has_role_assignments = true;
                if let Some(principal) = prop_str(v, "principalId") {
                    self.role_assignments
                        .entry(key(principal))
                        .or_default()
                        .push(v);
                }
            }
            (Kind::AzMfaRegistration, Some(id)) => {
                self.mfa.insert(id, v);
            }
            _ => {}
        }
    }
}

pub(crate) fn map(index: &Index<'_>, kind: Kind, item: &Item<'_>, out: &mut Out) {
    let ix = &index.azure;
    match kind {
        Kind::AzVm => compute::vm(ix, item, out),
        Kind::AzNsg => network::nsg(item, out),
        Kind::AzVnet => network::vnet(item, out),
        Kind::AzFlowLog => logs::flow_log(item, out),
        Kind::AzActivityLog => logs::activity(item, out),
        Kind::AzSite => web::site(ix, item, out),
        Kind::AzStorage => data::storage(item, out),
        Kind::AzSqlServer | Kind::AzDbServer => data::db_server(ix, kind, item, out),
        Kind::AzCosmos => data::cosmos(item, out),
        Kind::AzIotHub => data::iot_hub(item, out),
        Kind::AzLogicApp => data::logic_app(item, out),
        Kind::AzResourceGroup => data::resource_group(item, out),
        Kind::AzAcr => data::registry(item, out),
        Kind::AzAks => aks::cluster(item, out),
        Kind::AzAgentPool => aks::agent_pool(item, out),
        Kind::AzUser => identity::user(ix, item, out),
        Kind::AzGroup => identity::group(ix, item, out),
        Kind::AzNic | Kind::AzPublicIp => {
            out.ignore(item, "used for the network details of AZURE_HOST");
        }
        Kind::AzSiteConfig => {
            out.ignore(item, "used for AZURE_FUNCTION and AZURE_APP_SERVICE");
        }
        Kind::AzFirewallRule => out.ignore(item, "used for AZURE_SQL_SERVER and AZURE_DB"),
        Kind::AzRoleAssignment => out.ignore(item, "used for AZURE_USER and AZURE_GROUP"),
        Kind::AzMfaRegistration => out.ignore(item, "used for AZURE_USER (isMfaActive)"),
        _ => out.ignore(item, "no search key holds this Azure resource type"),
    }
}

/// Lower-cased ARM id without a trailing slash, for lookups.
pub(crate) fn key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

/// A property, flattened (`az` output) or under `properties` (ARM REST,
/// Resource Graph).
pub(crate) fn prop<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    at(v, &[name]).or_else(|| at(v, &["properties", name]))
}

pub(crate) fn prop_str<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    prop(v, name)?.as_str().filter(|s| !s.is_empty())
}

pub(crate) fn prop_bool(v: &Value, name: &str) -> Option<bool> {
    prop(v, name).and_then(crate::json::as_bool)
}

pub(crate) fn prop_arr<'a>(v: &'a Value, name: &str) -> &'a [Value] {
    prop(v, name)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The `id` of a `{ "id": ... }` reference property.
pub(crate) fn ref_id<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    prop(v, name).and_then(|r| str_at(r, &["id"]))
}

/// Subscription id (lower case) of an ARM id.
pub(crate) fn subscription(id: &str) -> Option<String> {
    segment_after(id, "subscriptions").map(str::to_ascii_lowercase)
}

/// Canonical region name: `West Europe` and `westeurope` are the same.
pub(crate) fn region(location: Option<&str>) -> Option<String> {
    location
        .map(|l| {
            l.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|l| !l.is_empty())
}

/// The fields every ARM resource has.
pub(crate) struct Arm<'a> {
    pub id: &'a str,
    pub name: String,
    pub account: String,
    pub region: Option<String>,
    pub resource_group: Option<String>,
    pub tags: Vec<Tag>,
}

pub(crate) fn arm(v: &Value) -> Option<Arm<'_>> {
    let id = str_at(v, &["id"])?;
    let resource_group = prop_str(v, "resourceGroup")
        .or_else(|| str_at(v, &["resourcegroup"]))
        .or_else(|| segment_after(id, "resourceGroups"))
        .map(str::to_owned);
    Some(Arm {
        id,
        name: str_at(v, &["name"])
            .unwrap_or_else(|| last_segment(id))
            .to_owned(),
        account: subscription(id).unwrap_or_default(),
        region: region(prop_str(v, "location")),
        resource_group,
        tags: tags_from_object(at(v, &["tags"])),
    })
}

impl Arm<'_> {
    pub(crate) fn asset(&self, search_key: &str, is_public: Option<bool>, data: Value) -> Asset {
        Asset {
            search_key: search_key.to_owned(),
            provider: Provider::Azure,
            account_id: self.account.clone(),
            region: self.region.clone(),
            resource_id: self.id.to_owned(),
            name: self.name.clone(),
            tags: self.tags.clone(),
            is_public,
            data,
        }
    }
}

/// The ARM id of the resource an id is nested under (`.../subnets/x` →
/// the virtual network).
pub(crate) fn parent(id: &str, child_marker: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let position = lower.find(&child_marker.to_ascii_lowercase())?;
    id.get(..position).map(str::to_owned)
}

/// Strings of an array property, for lists of ids or prefixes.
pub(crate) fn ids(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| v.as_str().or_else(|| str_at(v, &["id"])))
        .map(str::to_owned)
        .collect()
}

pub(crate) fn no_id(item: &Item<'_>, out: &mut Out) {
    out.warn(item, "Azure resource without an `id`");
}
