//! Cloud Logging entries (`gcloud logging read --format=json`): audit logs
//! become `GCP_ACTIVITY_LOG`, VPC flow logs `GCP_INCOMING_TRAFFIC` or
//! `GCP_OUTGOING_TRAFFIC`. Request and response payloads are not copied:
//! they can carry secrets.

use serde_json::{Value, json};

use super::{base, project, zone_region};
use crate::json::{at, i64_at, is_public_ip, str_at};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn entry(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let log = str_at(v, &["logName"]).unwrap_or_default();
    if log.contains("cloudaudit.googleapis.com") {
        audit(item, log, out);
    } else if log.contains("vpc_flows") {
        flow(item, log, out);
    } else {
        out.ignore(
            item,
            "log entry that is neither an audit log nor a VPC flow log",
        );
    }
}

fn account(v: &Value, log: &str) -> String {
    str_at(v, &["resource", "labels", "project_id"])
        .map(str::to_owned)
        .or_else(|| project(log))
        .unwrap_or_default()
}

fn audit(item: &Item<'_>, log: &str, out: &mut Out) {
    let v = item.value;
    let Some(id) = str_at(v, &["insertId"]) else {
        return out.warn(item, "log entry without an `insertId`");
    };
    let payload = at(v, &["protoPayload"]).cloned().unwrap_or(Value::Null);
    let method = str_at(&payload, &["methodName"]);
    let caller_ip = str_at(&payload, &["requestMetadata", "callerIp"]);
    let data = json!({
        "insertId": id,
        "timestamp": str_at(v, &["timestamp"]),
        "logName": log,
        "severity": str_at(v, &["severity"]),
        "methodName": method,
        "serviceName": str_at(&payload, &["serviceName"]),
        "resourceName": str_at(&payload, &["resourceName"]),
        "resourceType": str_at(v, &["resource", "type"]),
        "principalEmail": str_at(&payload, &["authenticationInfo", "principalEmail"]),
        "callerIp": caller_ip,
        "userAgent": str_at(&payload, &["requestMetadata", "callerSuppliedUserAgent"]),
        "statusCode": i64_at(&payload, &["status", "code"]),
        "statusMessage": str_at(&payload, &["status", "message"]),
    });
    let region = str_at(v, &["resource", "labels", "location"])
        .or_else(|| str_at(v, &["resource", "labels", "zone"]))
        .map(zone_region);
    let name = method.unwrap_or(id).to_owned();
    let event = base(account(v, log), region, id.to_owned(), name, Vec::new());
    out.push(event.asset("GCP_ACTIVITY_LOG", caller_ip.map(is_public_ip), data));
}

/// Incoming when the destination is one of our VMs and the source is not
/// (or the destination's side reported it); outgoing otherwise.
fn flow(item: &Item<'_>, log: &str, out: &mut Out) {
    let v = item.value;
    let Some(id) = str_at(v, &["insertId"]) else {
        return out.warn(item, "log entry without an `insertId`");
    };
    let p = at(v, &["jsonPayload"]).cloned().unwrap_or(Value::Null);
    let (Some(source), Some(destination)) = (
        str_at(&p, &["connection", "src_ip"]),
        str_at(&p, &["connection", "dest_ip"]),
    ) else {
        return out.warn(item, "VPC flow log without `connection.src_ip` / `dest_ip`");
    };
    let has_source_vm = at(&p, &["src_instance"]).is_some();
    let has_destination_vm = at(&p, &["dest_instance"]).is_some();
    let incoming = match (has_source_vm, has_destination_vm) {
        (false, true) => true,
        (true, false) => false,
        _ => str_at(&p, &["reporter"]) == Some("DEST"),
    };
    let remote = if incoming { source } else { destination };
    let protocol = i64_at(&p, &["connection", "protocol"]);
    let protocol_name = match protocol {
        Some(6) => Some("TCP"),
        Some(17) => Some("UDP"),
        Some(1) => Some("ICMP"),
        _ => None,
    };
    let destination_port = i64_at(&p, &["connection", "dest_port"]);
    let vm = |side: &str| {
        at(&p, &[side]).map(|i| {
            json!({
                "vmName": str_at(i, &["vm_name"]),
                "zone": str_at(i, &["zone"]),
                "projectId": str_at(i, &["project_id"]),
            })
        })
    };
    let data = json!({
        "insertId": id,
        "startTime": str_at(&p, &["start_time"]),
        "endTime": str_at(&p, &["end_time"]),
        "sourceIp": source,
        "sourcePort": i64_at(&p, &["connection", "src_port"]),
        "destinationIp": destination,
        "destinationPort": destination_port,
        "protocol": protocol_name.map_or_else(|| protocol.map(|n| n.to_string()), |n| Some(n.to_owned())),
        "direction": if incoming { "Inbound" } else { "Outbound" },
        "reporter": str_at(&p, &["reporter"]),
        "bytesSent": i64_at(&p, &["bytes_sent"]),
        "packetsSent": i64_at(&p, &["packets_sent"]),
        "sourceInstance": vm("src_instance"),
        "destinationInstance": vm("dest_instance"),
        "vpc": str_at(&p, &[if incoming { "dest_vpc" } else { "src_vpc" }, "vpc_name"]),
        "remoteIp": remote,
        "remoteIsPublic": is_public_ip(remote),
        "remoteCountry": str_at(&p, &[if incoming { "src_location" } else { "dest_location" }, "country"]),
    });
    let region = str_at(v, &["resource", "labels", "location"]).map(zone_region);
    let name = format!(
        "{source} -> {destination}:{}/{}",
        destination_port.map(|p| p.to_string()).unwrap_or_default(),
        protocol_name.unwrap_or("?")
    );
    let flow = base(account(v, log), region, id.to_owned(), name, Vec::new());
    let key = if incoming {
        "GCP_INCOMING_TRAFFIC"
    } else {
        "GCP_OUTGOING_TRAFFIC"
    };
    out.push(flow.asset(key, Some(is_public_ip(remote)), data));
}
