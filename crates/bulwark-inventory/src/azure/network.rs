//! `AZURE_NETWORK_SECURITY_GROUP` from `az network nsg list` and
//! `AZURE_VIRTUAL_NETWORK` from `az network vnet list`.

use serde_json::{Value, json};

use super::{arm, ids, no_id, prop, prop_arr, prop_bool, prop_str, ref_id};
use crate::json::{is_anywhere, str_at};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn nsg(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let rules: Vec<Rule<'_>> = prop_arr(v, "securityRules")
        .iter()
        .map(Rule::read)
        .collect();
    let open: Vec<&Rule<'_>> = rules.iter().filter(|r| r.open_inbound()).collect();
    let mut open_ports: Vec<String> = open.iter().flat_map(|r| r.ports.clone()).collect();
    open_ports.sort();
    open_ports.dedup();
    let nics = ids(prop_arr(v, "networkInterfaces"));
    let subnets = ids(prop_arr(v, "subnets"));
    let data = json!({
        "id": arm.id,
        "name": arm.name,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "provisioningState": prop_str(v, "provisioningState"),
        "securityRules": rules.iter().map(Rule::to_json).collect::<Vec<_>>(),
        "openInboundRules": open.iter().map(|r| r.name).collect::<Vec<_>>(),
        "openInboundPorts": open_ports,
        "networkInterfaceIds": nics,
        "subnetIds": subnets,
        "isAttached": !nics.is_empty() || !subnets.is_empty(),
        "flowLogIds": ids(prop_arr(v, "flowLogs")),
    });
    out.push(arm.asset("AZURE_NETWORK_SECURITY_GROUP", Some(!open.is_empty()), data));
}

/// A security rule with single and plural prefix/port fields merged.
struct Rule<'a> {
    name: &'a str,
    priority: Option<i64>,
    direction: Option<&'a str>,
    access: Option<&'a str>,
    protocol: Option<&'a str>,
    sources: Vec<String>,
    destinations: Vec<String>,
    ports: Vec<String>,
    description: Option<&'a str>,
}

impl<'a> Rule<'a> {
    fn read(rule: &'a Value) -> Rule<'a> {
        Rule {
            name: str_at(rule, &["name"]).unwrap_or_default(),
            priority: prop(rule, "priority").and_then(crate::json::as_i64),
            direction: prop_str(rule, "direction"),
            access: prop_str(rule, "access"),
            protocol: prop_str(rule, "protocol"),
            sources: merged(rule, "sourceAddressPrefix", "sourceAddressPrefixes"),
            destinations: merged(
                rule,
                "destinationAddressPrefix",
                "destinationAddressPrefixes",
            ),
            ports: merged(rule, "destinationPortRange", "destinationPortRanges"),
            description: prop_str(rule, "description"),
        }
    }

    /// Allows inbound traffic from anywhere on the internet.
    fn open_inbound(&self) -> bool {
        self.direction
            .is_some_and(|d| d.eq_ignore_ascii_case("inbound"))
            && self.access.is_some_and(|a| a.eq_ignore_ascii_case("allow"))
            && self.sources.iter().any(|s| is_anywhere(s))
    }

    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "priority": self.priority,
            "direction": self.direction,
            "access": self.access,
            "protocol": self.protocol,
            "sourceAddressPrefixes": self.sources,
            "destinationAddressPrefixes": self.destinations,
            "destinationPortRanges": self.ports,
            "description": self.description,
        })
    }
}

fn merged(rule: &Value, single: &str, plural: &str) -> Vec<String> {
    let mut all: Vec<String> = prop_str(rule, single)
        .map(str::to_owned)
        .into_iter()
        .collect();
    all.extend(ids(prop_arr(rule, plural)));
    all
}

pub(super) fn vnet(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let prefixes = prop(v, "addressSpace").map_or(Vec::new(), |space| {
        crate::json::strings(crate::json::arr_at(space, &["addressPrefixes"]))
    });
    let subnets: Vec<Value> = prop_arr(v, "subnets")
        .iter()
        .map(|subnet| {
            let mut prefixes: Vec<String> = prop_str(subnet, "addressPrefix")
                .map(str::to_owned)
                .into_iter()
                .collect();
            prefixes.extend(ids(prop_arr(subnet, "addressPrefixes")));
            json!({
                "name": str_at(subnet, &["name"]),
                "id": str_at(subnet, &["id"]),
                "addressPrefixes": prefixes,
                "nsgId": ref_id(subnet, "networkSecurityGroup"),
                "routeTableId": ref_id(subnet, "routeTable"),
                "serviceEndpoints": prop_arr(subnet, "serviceEndpoints")
                    .iter()
                    .filter_map(|e| str_at(e, &["service"]))
                    .collect::<Vec<_>>(),
                "privateEndpointNetworkPolicies": prop_str(subnet, "privateEndpointNetworkPolicies"),
            })
        })
        .collect();
    let without_nsg: Vec<&Value> = subnets
        .iter()
        .filter(|s| s.get("nsgId").is_none_or(Value::is_null))
        .filter_map(|s| s.get("name"))
        .collect();
    let peerings: Vec<Value> = prop_arr(v, "virtualNetworkPeerings")
        .iter()
        .map(|p| {
            json!({
                "name": str_at(p, &["name"]),
                "remoteVirtualNetworkId": ref_id(p, "remoteVirtualNetwork"),
                "peeringState": prop_str(p, "peeringState"),
                "allowForwardedTraffic": prop_bool(p, "allowForwardedTraffic"),
                "allowGatewayTransit": prop_bool(p, "allowGatewayTransit"),
            })
        })
        .collect();
    let subnet_count = subnets.len();
    let data = json!({
        "id": arm.id,
        "name": arm.name,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "provisioningState": prop_str(v, "provisioningState"),
        "addressPrefixes": prefixes,
        "subnets": subnets,
        "subnetsWithoutNsg": without_nsg,
        "ddosProtectionEnabled": prop_bool(v, "enableDdosProtection"),
        "peerings": peerings,
        "dnsServers": prop(v, "dhcpOptions")
            .map_or(Vec::new(), |d| crate::json::strings(crate::json::arr_at(d, &["dnsServers"]))),
        "subnetCount": subnet_count,
    });
    out.push(arm.asset("AZURE_VIRTUAL_NETWORK", None, data));
}
