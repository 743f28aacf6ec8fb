//! VPC flow-log records (plain-text S3 delivery) → `AWS_INCOMING_TRAFFIC` /
//! `AWS_OUTGOING_TRAFFIC`.
//!
//! A record describes packets seen at one network interface in one
//! direction; a TCP connection therefore shows up twice (request and reply).
//! Records are folded into *connections*: the server side is the one whose
//! port is the service port, the remote side is the address outside the
//! interface, and the connection is inbound when the server is local. Each
//! asset is one connection tuple (interface, remote address, service port,
//! protocol, action) in one UTC hour, with packets and bytes each way, so
//! re-reading the same files gives the same assets (idempotent upserts).
//! Connections are kept per flow log: two flow logs watching the same
//! interface (a VPC's and a subnet's, or one to S3 and one to CloudWatch
//! Logs) see the same packets, and summing them would double the traffic.
//!
//! Which side is local: the record's `flow-direction` (format v5) when
//! present, else the interface's own address, else the VPC CIDRs.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use bulwark_inventory::is_public_ip;
use ipnet::IpNet;
use serde_json::{Value, json};

use crate::keys::{AWS_INCOMING_TRAFFIC, AWS_OUTGOING_TRAFFIC};
use crate::model::{Asset, PROVIDER};

/// The fields of the default (version 2) format, used when a file has no
/// header line and the flow log's format is unknown.
const DEFAULT_FIELDS: [&str; 14] = [
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
];

/// Where the collector's inventory says an interface lives.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interface {
    pub addresses: Vec<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub instance_id: Option<String>,
}

/// Interfaces and VPC ranges of the account, from this collection.
#[derive(Debug, Default)]
pub(crate) struct Network {
    pub interfaces: HashMap<String, Interface>,
    pub vpc_ranges: Vec<(IpNet, String)>,
}

impl Network {
    fn in_vpc(&self, addr: &str) -> bool {
        addr.parse::<IpAddr>()
            .is_ok_and(|ip| self.vpc_ranges.iter().any(|(net, _)| net.contains(&ip)))
    }
}

/// The field names of a file: its header line, else the flow log's
/// `${field}` format, else the default format.
pub(crate) fn field_names(first_line: &str, log_format: Option<&str>) -> (Vec<String>, bool) {
    // Field names are lowercase words and hyphens; every record has digits.
    let header = !first_line.trim().is_empty()
        && first_line
            .split_whitespace()
            .all(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    if header {
        return (
            first_line.split_whitespace().map(str::to_owned).collect(),
            true,
        );
    }
    if let Some(format) = log_format.filter(|f| f.contains("${")) {
        let names = format
            .split_whitespace()
            .map(|t| t.trim_start_matches("${").trim_end_matches('}').to_owned())
            .collect();
        return (names, false);
    }
    (
        DEFAULT_FIELDS.iter().map(|f| (*f).to_owned()).collect(),
        false,
    )
}

/// One connection tuple in one hour.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    flow_log: String,
    interface: String,
    inbound: bool,
    local: String,
    remote: String,
    service_port: i64,
    protocol: i64,
    action: String,
    hour: i64,
}

#[derive(Debug, Default)]
struct Totals {
    packets_in: i64,
    packets_out: i64,
    bytes_in: i64,
    bytes_out: i64,
    records: i64,
    first: i64,
    last: i64,
    vpc_id: Option<String>,
    subnet_id: Option<String>,
    instance_id: Option<String>,
    local_decided_by: &'static str,
}

/// Folds flow-log files into connection assets.
pub(crate) struct Flows<'a> {
    account: &'a str,
    network: &'a Network,
    max: usize,
    map: BTreeMap<(String, Key), Totals>,
    /// Records not folded because the cap was reached.
    pub dropped: u64,
}

/// Per-file counts.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FileStats {
    pub records: u64,
    pub skipped: u64,
    pub unreadable: u64,
}

impl<'a> Flows<'a> {
    pub(crate) fn new(account: &'a str, network: &'a Network, max: usize) -> Self {
        Flows {
            account,
            network,
            max,
            map: BTreeMap::new(),
            dropped: 0,
        }
    }

    /// Adds one file of flow log `flow_log` (delivered from `region`).
    pub(crate) fn add_file(
        &mut self,
        region: &str,
        flow_log: &str,
        log_format: Option<&str>,
        text: &str,
    ) -> FileStats {
        let mut stats = FileStats::default();
        let mut lines = text.lines();
        let Some(first) = lines.next() else {
            return stats;
        };
        let (names, header) = field_names(first, log_format);
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let records = (!header)
            .then_some(first)
            .into_iter()
            .chain(lines)
            .filter(|l| !l.trim().is_empty());
        for line in records {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() != names.len() {
                stats.unreadable += 1;
                continue;
            }
            let get = |name: &str| {
                index
                    .get(name)
                    .and_then(|i| fields.get(*i).copied())
                    .filter(|v| *v != "-")
            };
            match self.add_record(region, flow_log, &get) {
                Some(true) => stats.records += 1,
                Some(false) => stats.skipped += 1,
                None => stats.unreadable += 1,
            }
        }
        stats
    }

    /// `Some(true)` folded, `Some(false)` a NODATA/SKIPDATA record or over
    /// the cap, `None` unreadable.
    fn add_record<'f>(
        &mut self,
        region: &str,
        flow_log: &str,
        get: &dyn Fn(&str) -> Option<&'f str>,
    ) -> Option<bool> {
        if get("log-status").is_some_and(|s| s != "OK") {
            return Some(false);
        }
        let num = |name: &str| get(name).and_then(|v| v.parse::<i64>().ok());
        let interface = get("interface-id")?.to_owned();
        let src = get("srcaddr")?;
        let dst = get("dstaddr")?;
        src.parse::<IpAddr>().ok()?;
        dst.parse::<IpAddr>().ok()?;
        let protocol = num("protocol")?;
        let (src_port, dst_port) = (num("srcport").unwrap_or(0), num("dstport").unwrap_or(0));
        let start = num("start")?;
        let end = num("end").unwrap_or(start);
        let action = get("action").unwrap_or("ACCEPT").to_owned();
        let (packets, bytes) = (num("packets").unwrap_or(0), num("bytes").unwrap_or(0));
        let known = self.network.interfaces.get(&interface);

        // Which address is this interface's: the packets arrive (`ingress`)
        // or leave (`egress`) through it.
        let (arriving, decided_by) = match get("flow-direction") {
            Some("ingress") => (true, "flow-direction"),
            Some("egress") => (false, "flow-direction"),
            _ => match known {
                Some(i) if i.addresses.iter().any(|a| a == dst) => (true, "interface-address"),
                Some(i) if i.addresses.iter().any(|a| a == src) => (false, "interface-address"),
                _ => match (self.network.in_vpc(src), self.network.in_vpc(dst)) {
                    (false, true) => (true, "vpc-cidr"),
                    (true, false) => (false, "vpc-cidr"),
                    // Both inside (or unknown): the packets go to the service port.
                    _ => (server_port(dst_port, src_port), "port"),
                },
            },
        };
        let (local, remote, local_port, remote_port) = if arriving {
            (dst, src, dst_port, src_port)
        } else {
            (src, dst, src_port, dst_port)
        };
        // Replies travel from the service port back to the client's
        // ephemeral port: the connection's server is the side with the
        // service port.
        let local_serves = server_port(local_port, remote_port);
        let key = Key {
            flow_log: flow_log.to_owned(),
            interface,
            inbound: local_serves,
            local: local.to_owned(),
            remote: remote.to_owned(),
            service_port: if local_serves {
                local_port
            } else {
                remote_port
            },
            protocol,
            action,
            hour: start - start.rem_euclid(3600),
        };
        let slot = (region.to_owned(), key);
        if !self.map.contains_key(&slot) && self.map.len() >= self.max {
            self.dropped += 1;
            return Some(false);
        }
        let t = self.map.entry(slot).or_insert_with(|| Totals {
            first: start,
            last: end,
            vpc_id: get("vpc-id")
                .map(str::to_owned)
                .or_else(|| known.and_then(|i| i.vpc_id.clone())),
            subnet_id: get("subnet-id")
                .map(str::to_owned)
                .or_else(|| known.and_then(|i| i.subnet_id.clone())),
            instance_id: get("instance-id")
                .map(str::to_owned)
                .or_else(|| known.and_then(|i| i.instance_id.clone())),
            local_decided_by: decided_by,
            ..Totals::default()
        });
        if arriving {
            t.packets_in += packets;
            t.bytes_in += bytes;
        } else {
            t.packets_out += packets;
            t.bytes_out += bytes;
        }
        t.records += 1;
        t.first = t.first.min(start);
        t.last = t.last.max(end);
        Some(true)
    }

    /// Number of connection tuples so far.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    pub(crate) fn into_assets(self) -> Vec<Asset> {
        let account = self.account.to_owned();
        self.map
            .into_iter()
            .map(|((region, k), t)| asset(&account, region, k, t))
            .collect()
    }
}

/// Whether `port` is the server side against `other` (IANA: ports below
/// 1024 are services, 49152 and up are ephemeral; between, the lower one).
fn server_port(port: i64, other: i64) -> bool {
    match (port < 1024, other < 1024) {
        (true, false) => true,
        (false, true) => false,
        _ => port <= other,
    }
}

fn protocol_name(n: i64) -> String {
    match n {
        1 => "ICMP".into(),
        6 => "TCP".into(),
        17 => "UDP".into(),
        58 => "ICMPv6".into(),
        47 => "GRE".into(),
        50 => "ESP".into(),
        other => other.to_string(),
    }
}

fn rfc3339(secs: i64) -> Value {
    crate::util::date(Some(&aws_sdk_sts::primitives::DateTime::from_secs(secs)))
}

fn asset(account: &str, region: String, k: Key, t: Totals) -> Asset {
    let (source, destination) = if k.inbound {
        (&k.remote, &k.local)
    } else {
        (&k.local, &k.remote)
    };
    let protocol = protocol_name(k.protocol);
    let remote_public = is_public_ip(&k.remote);
    let direction = if k.inbound { "Inbound" } else { "Outbound" };
    let resource_id = format!(
        "{}/{}/{}/{source}>{destination}:{}/{protocol}/{}/{}",
        k.flow_log,
        k.interface,
        direction.to_ascii_lowercase(),
        k.service_port,
        k.action,
        k.hour
    );
    let data = json!({
        "flowLogId": k.flow_log,
        "interfaceId": k.interface,
        "instanceId": t.instance_id,
        "vpcId": t.vpc_id,
        "subnetId": t.subnet_id,
        "region": region,
        "direction": direction,
        "sourceIp": source,
        "destinationIp": destination,
        "destinationPort": k.service_port,
        "localIp": k.local,
        "remoteIp": k.remote,
        "remoteIsPublic": remote_public,
        "protocol": protocol,
        "protocolNumber": k.protocol,
        "action": k.action,
        "packets": t.packets_in + t.packets_out,
        "bytes": t.bytes_in + t.bytes_out,
        "packetsIn": t.packets_in,
        "packetsOut": t.packets_out,
        "bytesIn": t.bytes_in,
        "bytesOut": t.bytes_out,
        "flowRecords": t.records,
        "windowStart": rfc3339(k.hour),
        "firstSeen": rfc3339(t.first),
        "lastSeen": rfc3339(t.last),
        "firstSeenEpoch": t.first,
        "lastSeenEpoch": t.last,
        "localSideFrom": t.local_decided_by,
    });
    Asset {
        search_key: if k.inbound {
            AWS_INCOMING_TRAFFIC
        } else {
            AWS_OUTGOING_TRAFFIC
        }
        .to_owned(),
        provider: PROVIDER.to_owned(),
        account_id: account.to_owned(),
        region,
        name: format!("{source} -> {destination}:{}/{protocol}", k.service_port),
        resource_id,
        arn: None,
        tags: Vec::new(),
        is_public: Some(remote_public),
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network() -> Network {
        let mut n = Network::default();
        n.interfaces.insert(
            "eni-0a1b2c3d".into(),
            Interface {
                addresses: vec!["10.0.1.10".into()],
                vpc_id: Some("vpc-1".into()),
                subnet_id: Some("subnet-1".into()),
                instance_id: Some("i-0123456789abcdef0".into()),
            },
        );
        n.vpc_ranges
            .push(("10.0.0.0/16".parse().unwrap(), "vpc-1".into()));
        n
    }

    const V2: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789012 eni-0a1b2c3d 203.0.113.7 10.0.1.10 51544 22 6 10 840 1700000000 1700000060 ACCEPT OK
2 123456789012 eni-0a1b2c3d 10.0.1.10 203.0.113.7 22 51544 6 8 1200 1700000000 1700000060 ACCEPT OK
2 123456789012 eni-0a1b2c3d 203.0.113.7 10.0.1.10 51545 22 6 3 180 1700000100 1700000160 ACCEPT OK
2 123456789012 eni-0a1b2c3d 198.51.100.9 10.0.1.10 40000 3389 6 1 40 1700000000 1700000060 REJECT OK
2 123456789012 eni-0a1b2c3d 10.0.1.10 93.184.216.34 43210 443 6 20 3000 1700000200 1700000260 ACCEPT OK
2 123456789012 eni-0a1b2c3d 93.184.216.34 10.0.1.10 443 43210 6 25 90000 1700000200 1700000260 ACCEPT OK
2 123456789012 eni-0a1b2c3d - - - - - - - 1700000000 1700000060 - NODATA
garbage line
";

    #[test]
    fn folds_requests_and_replies_into_connections() {
        let net = network();
        let mut flows = Flows::new("123456789012", &net, 100);
        let stats = flows.add_file("us-east-1", "fl-1", None, V2);
        assert_eq!(
            stats,
            FileStats {
                records: 6,
                skipped: 1,
                unreadable: 1
            }
        );
        let assets = flows.into_assets();
        assert_eq!(assets.len(), 3, "{assets:#?}");
        let ssh = assets
            .iter()
            .find(|a| a.data["destinationPort"] == 22)
            .unwrap();
        assert_eq!(ssh.search_key, AWS_INCOMING_TRAFFIC);
        assert_eq!(ssh.data["sourceIp"], "203.0.113.7");
        assert_eq!(ssh.data["destinationIp"], "10.0.1.10");
        assert_eq!(ssh.data["bytesIn"], 840 + 180);
        assert_eq!(ssh.data["bytesOut"], 1200);
        assert_eq!(ssh.data["flowRecords"], 3);
        assert_eq!(ssh.data["instanceId"], "i-0123456789abcdef0");
        assert_eq!(ssh.data["localSideFrom"], "interface-address");
        assert_eq!(ssh.is_public, Some(true));
        assert_eq!(ssh.data["windowStart"], "2023-11-14T22:00:00Z");

        let rdp = assets
            .iter()
            .find(|a| a.data["destinationPort"] == 3389)
            .unwrap();
        assert_eq!(rdp.data["action"], "REJECT");
        assert_eq!(rdp.search_key, AWS_INCOMING_TRAFFIC);

        let web = assets
            .iter()
            .find(|a| a.search_key == AWS_OUTGOING_TRAFFIC)
            .unwrap();
        assert_eq!(web.data["destinationIp"], "93.184.216.34");
        assert_eq!(web.data["destinationPort"], 443);
        assert_eq!(web.data["bytesOut"], 3000);
        assert_eq!(web.data["bytesIn"], 90000);
        assert_eq!(web.data["protocol"], "TCP");
    }

    #[test]
    fn reading_twice_gives_the_same_assets() {
        let net = network();
        let mut a = Flows::new("1", &net, 100);
        a.add_file("us-east-1", "fl-1", None, V2);
        let mut b = Flows::new("1", &net, 100);
        b.add_file("us-east-1", "fl-1", None, V2);
        let ids = |f: Flows<'_>| {
            f.into_assets()
                .into_iter()
                .map(|a| (a.resource_id, a.data))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(a), ids(b));
    }

    #[test]
    fn custom_formats_and_flow_direction() {
        let net = Network::default();
        // No header line: the flow log's own format names the fields.
        let format = "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction}";
        let text =
            "eni-9 10.1.0.5 8.8.8.8 5353 53 17 1 70 1700003600 1700003660 ACCEPT OK egress\n";
        let mut flows = Flows::new("1", &net, 100);
        assert_eq!(
            flows
                .add_file("eu-west-1", "fl-2", Some(format), text)
                .records,
            1
        );
        let a = flows.into_assets();
        assert_eq!(a[0].search_key, AWS_OUTGOING_TRAFFIC);
        assert_eq!(a[0].data["protocol"], "UDP");
        assert_eq!(a[0].data["localSideFrom"], "flow-direction");
        assert_eq!(a[0].region, "eu-west-1");
    }

    #[test]
    fn caps_the_number_of_connections() {
        let net = network();
        let mut flows = Flows::new("1", &net, 2);
        flows.add_file("us-east-1", "fl-1", None, V2);
        assert_eq!(flows.len(), 2);
        assert!(flows.dropped > 0);
    }

    #[test]
    fn service_ports() {
        assert!(server_port(22, 51544));
        assert!(!server_port(51544, 22));
        assert!(server_port(8080, 50000));
        assert!(!server_port(50000, 8080));
    }
}
