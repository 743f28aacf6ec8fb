//! `AZURE_ACTIVITY_LOG` from `az monitor activity-log list`, and
//! `AZURE_INCOMING_TRAFFIC` / `AZURE_OUTGOING_TRAFFIC` from NSG flow-log
//! blobs (`PT1H.json`, `{"records": [...]}`, versions 1 and 2): one asset
//! per flow tuple.

use serde_json::{Value, json};

use super::{prop, subscription};
use crate::json::{at, is_public_ip, str_at};
use crate::model::{Asset, Provider};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn activity(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(event) = str_at(v, &["eventDataId"]) else {
        return out.warn(item, "activity-log event without an `eventDataId`");
    };
    // `value`/`localizedValue` pairs; older exports print plain strings.
    let localized = |name: &str| -> (Option<&str>, Option<&str>) {
        match at(v, &[name]) {
            Some(Value::String(s)) => (Some(s.as_str()), Some(s.as_str())),
            Some(pair) => (str_at(pair, &["value"]), str_at(pair, &["localizedValue"])),
            None => (None, None),
        }
    };
    let (operation, operation_display) = localized("operationName");
    let (category, _) = localized("category");
    let (status, _) = localized("status");
    let (sub_status, _) = localized("subStatus");
    let (resource_type, _) = localized("resourceType");
    let (resource_provider, _) = localized("resourceProviderName");
    let resource_id = str_at(v, &["resourceId"]);
    let account = str_at(v, &["subscriptionId"])
        .map(str::to_ascii_lowercase)
        .or_else(|| str_at(v, &["id"]).and_then(subscription))
        .or_else(|| resource_id.and_then(subscription))
        .unwrap_or_default();
    let caller_ip = str_at(v, &["httpRequest", "clientIpAddress"]);
    let data = json!({
        "eventDataId": event,
        "eventTimestamp": str_at(v, &["eventTimestamp"]),
        "operationName": operation,
        "operationDisplayName": operation_display,
        "category": category,
        "level": str_at(v, &["level"]),
        "status": status,
        "subStatus": sub_status,
        "caller": str_at(v, &["caller"]),
        "callerIp": caller_ip,
        "httpMethod": str_at(v, &["httpRequest", "method"]),
        "resourceId": resource_id,
        "resourceGroup": str_at(v, &["resourceGroupName"]),
        "resourceType": resource_type,
        "resourceProvider": resource_provider,
        "correlationId": str_at(v, &["correlationId"]),
    });
    out.push(Asset {
        search_key: "AZURE_ACTIVITY_LOG".to_owned(),
        provider: Provider::Azure,
        account_id: account,
        region: None,
        resource_id: event.to_owned(),
        name: operation_display.or(operation).unwrap_or(event).to_owned(),
        tags: Vec::new(),
        is_public: caller_ip.map(is_public_ip),
        data,
    });
}

pub(super) fn flow_log(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let nsg = str_at(v, &["resourceId"]).unwrap_or_default();
    let account = subscription(nsg).unwrap_or_default();
    let version = prop(v, "Version")
        .and_then(crate::json::as_i64)
        .unwrap_or(1);
    let rules = at(v, &["properties", "flows"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut bad = 0_usize;
    for rule in rules {
        let rule_name = str_at(rule, &["rule"]).unwrap_or_default();
        let groups = rule
            .get("flows")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for group in groups {
            let mac = str_at(group, &["mac"]);
            let tuples = group
                .get("flowTuples")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            for tuple in tuples.iter().filter_map(Value::as_str) {
                if out.is_full() {
                    return;
                }
                match Tuple::parse(tuple) {
                    Some(flow) => out.push(flow.asset(nsg, &account, rule_name, mac, version, v)),
                    None => bad = bad.saturating_add(1),
                }
            }
        }
    }
    if bad > 0 {
        out.warn(item, format!("{bad} flow tuples could not be read"));
    }
}

/// `1709287200,198.51.100.23,10.0.1.4,51544,22,T,I,A,E,15,2100,12,3300`:
/// time, source, destination, ports, protocol, direction, decision, then
/// in version 2 state and packet/byte counters each way.
struct Tuple<'a> {
    time: i64,
    source: &'a str,
    destination: &'a str,
    source_port: Option<i64>,
    destination_port: Option<i64>,
    protocol: &'a str,
    inbound: bool,
    allowed: bool,
    state: Option<&'a str>,
    counters: [Option<i64>; 4],
}

impl<'a> Tuple<'a> {
    fn parse(text: &'a str) -> Option<Tuple<'a>> {
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        let field = |i: usize| fields.get(i).copied().filter(|f| !f.is_empty());
        let number = |i: usize| field(i).and_then(|f| f.parse::<i64>().ok());
        let protocol = match field(5)? {
            "T" => "TCP",
            "U" => "UDP",
            _ => "Other",
        };
        let inbound = match field(6)? {
            "I" => true,
            "O" => false,
            _ => return None,
        };
        let state = field(8).map(|s| match s {
            "B" => "Begin",
            "C" => "Continuing",
            "E" => "End",
            _ => "Unknown",
        });
        Some(Tuple {
            time: number(0)?,
            source: field(1)?,
            destination: field(2)?,
            source_port: number(3),
            destination_port: number(4),
            protocol,
            inbound,
            allowed: field(7)? == "A",
            state,
            counters: [number(9), number(10), number(11), number(12)],
        })
    }

    fn asset(
        &self,
        nsg: &str,
        account: &str,
        rule: &str,
        mac: Option<&str>,
        version: i64,
        record: &Value,
    ) -> Asset {
        let remote = if self.inbound {
            self.source
        } else {
            self.destination
        };
        let port = self
            .destination_port
            .map(|p| p.to_string())
            .unwrap_or_default();
        let resource_id = format!(
            "{nsg}/{rule}/{}/{}:{}>{}:{port}/{}/{}",
            self.time,
            self.source,
            self.source_port.map(|p| p.to_string()).unwrap_or_default(),
            self.destination,
            self.protocol,
            self.state.unwrap_or("-"),
        );
        let [packets_sent, bytes_sent, packets_received, bytes_received] = self.counters;
        let data = json!({
            "nsgId": nsg,
            "rule": rule,
            "macAddress": mac,
            "time": str_at(record, &["time"]),
            "flowTimestamp": self.time,
            "sourceIp": self.source,
            "sourcePort": self.source_port,
            "destinationIp": self.destination,
            "destinationPort": self.destination_port,
            "protocol": self.protocol,
            "direction": if self.inbound { "Inbound" } else { "Outbound" },
            "action": if self.allowed { "Allowed" } else { "Denied" },
            "flowState": self.state,
            "packetsSent": packets_sent,
            "bytesSent": bytes_sent,
            "packetsReceived": packets_received,
            "bytesReceived": bytes_received,
            "remoteIp": remote,
            "remoteIsPublic": is_public_ip(remote),
            "flowLogVersion": version,
        });
        Asset {
            search_key: if self.inbound {
                "AZURE_INCOMING_TRAFFIC"
            } else {
                "AZURE_OUTGOING_TRAFFIC"
            }
            .to_owned(),
            provider: Provider::Azure,
            account_id: account.to_owned(),
            region: None,
            resource_id,
            name: format!(
                "{} -> {}:{port}/{}",
                self.source, self.destination, self.protocol
            ),
            tags: Vec::new(),
            is_public: Some(is_public_ip(remote)),
            data,
        }
    }
}
