//! EC2 networking in one region: security groups (`AWS_SECURITY_GROUP`),
//! VPCs with their flow logs (`AWS_VPC`, `AWS_X_FLOW_LOG`) and network
//! interfaces (`AWS_X_NETWORK_INTERFACE`).

use std::collections::HashMap;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{FlowLog, IpPermission, NetworkInterface, SecurityGroup};
use futures_util::future::join;
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope};
use crate::ec2::ec2_tags;
use crate::keys::{AWS_SECURITY_GROUP, AWS_VPC, AWS_X_FLOW_LOG, AWS_X_NETWORK_INTERFACE};
use crate::util::{date, is_world_cidr, name_tag, strs};

/// What instances need to know about their security groups.
pub(crate) struct SgSummary {
    /// Rules open to the internet, as `tcp/22`, `udp/53-60` or `all`.
    pub world_open_ports: Vec<String>,
}

pub(crate) async fn list_security_groups(
    ctx: &Ctx,
    client: &Client,
    scope: Scope<'_>,
) -> Vec<SecurityGroup> {
    match ctx
        .pages(client.describe_security_groups().into_paginator().send())
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.security_groups())
            .cloned()
            .collect(),
        Err(e) => {
            ctx.fail_list(scope, "DescribeSecurityGroups", &[AWS_SECURITY_GROUP], &e);
            Vec::new()
        }
    }
}

pub(crate) async fn list_network_interfaces(
    ctx: &Ctx,
    client: &Client,
    scope: Scope<'_>,
) -> Option<Vec<NetworkInterface>> {
    match ctx
        .pages(client.describe_network_interfaces().into_paginator().send())
        .await
    {
        Ok(pages) => Some(
            pages
                .iter()
                .flat_map(|p| p.network_interfaces())
                .cloned()
                .collect(),
        ),
        Err(e) => {
            ctx.fail_list(
                scope,
                "DescribeNetworkInterfaces",
                &[AWS_X_NETWORK_INTERFACE],
                &e,
            );
            None
        }
    }
}

/// `tcp/22`, `tcp/1024-2048`, `icmp`, `all`.
fn port_label(p: &IpPermission) -> String {
    let proto = match p.ip_protocol().unwrap_or("-1") {
        "-1" => return "all".to_owned(),
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        other => other,
    };
    match (p.from_port(), p.to_port()) {
        // ICMP uses the port fields for type and code.
        _ if proto == "icmp" || proto == "icmpv6" || proto == "58" => proto.to_owned(),
        (Some(from), Some(to)) if from == to => format!("{proto}/{from}"),
        (Some(-1), _) | (None, _) => format!("{proto}/all"),
        (Some(0), Some(65535)) => format!("{proto}/all"),
        (Some(from), Some(to)) => format!("{proto}/{from}-{to}"),
        (Some(from), None) => format!("{proto}/{from}"),
    }
}

fn rule_json(p: &IpPermission) -> Value {
    let cidrs: Vec<&str> = p.ip_ranges().iter().filter_map(|r| r.cidr_ip()).collect();
    let cidrs6: Vec<&str> = p
        .ipv6_ranges()
        .iter()
        .filter_map(|r| r.cidr_ipv6())
        .collect();
    let descriptions: Vec<&str> = p
        .ip_ranges()
        .iter()
        .filter_map(|r| r.description())
        .chain(p.ipv6_ranges().iter().filter_map(|r| r.description()))
        .chain(
            p.user_id_group_pairs()
                .iter()
                .filter_map(|g| g.description()),
        )
        .collect();
    json!({
        "protocol": p.ip_protocol(),
        "fromPort": p.from_port(),
        "toPort": p.to_port(),
        "ports": port_label(p),
        "cidrs": cidrs,
        "ipv6Cidrs": cidrs6,
        "prefixListIds": strs(p.prefix_list_ids().iter().filter_map(|x| x.prefix_list_id())),
        "sourceGroups": strs(p.user_id_group_pairs().iter().filter_map(|g| g.group_id())),
        "descriptions": descriptions,
        "openToWorld": is_open_to_world(p),
    })
}

fn is_open_to_world(p: &IpPermission) -> bool {
    p.ip_ranges()
        .iter()
        .filter_map(|r| r.cidr_ip())
        .chain(p.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6()))
        .any(is_world_cidr)
}

/// Builds the security group assets; returns what instances need, by group id.
pub(crate) fn security_groups(
    ctx: &Ctx,
    region: &str,
    groups: &[SecurityGroup],
    interfaces: Option<&[NetworkInterface]>,
) -> HashMap<String, SgSummary> {
    let mut in_use: HashMap<&str, usize> = HashMap::new();
    for eni in interfaces.unwrap_or_default() {
        for g in eni.groups().iter().filter_map(|g| g.group_id()) {
            *in_use.entry(g).or_default() += 1;
        }
    }
    let mut out = HashMap::new();
    for g in groups {
        let Some(id) = g.group_id() else { continue };
        let tags = ec2_tags(g.tags());
        let mut world_ports: Vec<String> = g
            .ip_permissions()
            .iter()
            .filter(|p| is_open_to_world(p))
            .map(port_label)
            .collect();
        world_ports.sort();
        world_ports.dedup();
        let open = !world_ports.is_empty();
        let name = g.group_name().unwrap_or(id).to_owned();
        let data = json!({
            "groupId": id,
            "groupName": g.group_name(),
            "description": g.description(),
            "vpcId": g.vpc_id(),
            "ownerId": g.owner_id(),
            "ingressRules": g.ip_permissions().iter().map(rule_json).collect::<Vec<_>>(),
            "egressRules": g.ip_permissions_egress().iter().map(rule_json).collect::<Vec<_>>(),
            "openToWorld": open,
            "worldOpenPorts": world_ports.clone(),
            // `null` when the interfaces could not be listed: unknown, not unused.
            "attachedInterfaceCount": interfaces.map(|_| in_use.get(id).copied().unwrap_or(0)),
            "isDefault": g.group_name() == Some("default"),
        });
        let mut asset = ctx.asset(AWS_SECURITY_GROUP, region, id, name);
        asset.arn = Some(g.security_group_arn().map_or_else(
            || {
                format!(
                    "arn:{}:ec2:{region}:{}:security-group/{id}",
                    ctx.partition, ctx.account_id
                )
            },
            str::to_owned,
        ));
        asset.tags = tags;
        asset.is_public = Some(open);
        asset.data = data;
        ctx.push(asset);
        out.insert(
            id.to_owned(),
            SgSummary {
                world_open_ports: world_ports,
            },
        );
    }
    out
}

/// Network interfaces, as supporting records: they carry the public IPs of
/// Lambda, RDS, load balancer and NAT interfaces, not only of instances.
pub(crate) fn network_interfaces(ctx: &Ctx, region: &str, interfaces: &[NetworkInterface]) {
    for n in interfaces {
        let Some(id) = n.network_interface_id() else {
            continue;
        };
        let public_ip = n.association().and_then(|a| a.public_ip());
        let data = json!({
            "networkInterfaceId": id,
            "interfaceType": n.interface_type().map(|t| t.as_str()),
            "description": n.description(),
            "status": n.status().map(|s| s.as_str()),
            "vpcId": n.vpc_id(),
            "subnetId": n.subnet_id(),
            "availabilityZone": n.availability_zone(),
            "privateIp": n.private_ip_address(),
            "publicIp": public_ip,
            "securityGroups": strs(n.groups().iter().filter_map(|g| g.group_id())),
            "attachedInstanceId": n.attachment().and_then(|a| a.instance_id()),
            "requesterManaged": n.requester_managed(),
        });
        let mut asset = ctx.asset(AWS_X_NETWORK_INTERFACE, region, id, id);
        asset.arn = Some(format!(
            "arn:{}:ec2:{region}:{}:network-interface/{id}",
            ctx.partition, ctx.account_id
        ));
        asset.tags = ec2_tags(n.tag_set());
        asset.is_public = Some(public_ip.is_some());
        asset.data = data;
        ctx.push_supporting(asset);
    }
}

fn flow_log_json(f: &FlowLog) -> Value {
    json!({
        "flowLogId": f.flow_log_id(),
        "resourceId": f.resource_id(),
        "status": f.flow_log_status(),
        "deliverLogsStatus": f.deliver_logs_status(),
        "trafficType": f.traffic_type().map(|t| t.as_str()),
        "logDestinationType": f.log_destination_type().map(|t| t.as_str()),
        "logDestination": f.log_destination(),
        "logGroupName": f.log_group_name(),
        "logFormat": f.log_format(),
        "maxAggregationInterval": f.max_aggregation_interval(),
        "destinationOptions": f.destination_options().map(|o| json!({
            "fileFormat": o.file_format().map(|f| f.as_str()),
            "hiveCompatiblePartitions": o.hive_compatible_partitions(),
            "perHourPartition": o.per_hour_partition(),
        })),
        "creationTime": date(f.creation_time()),
    })
}

/// VPCs with their flow-log configuration, plus each flow log as a supporting record.
pub(crate) async fn collect_vpcs(ctx: &Ctx, client: &Client, scope: Scope<'_>) {
    let region = scope.region;
    let (vpcs, flow_logs) = join(
        ctx.pages(client.describe_vpcs().into_paginator().send()),
        ctx.pages(client.describe_flow_logs().into_paginator().send()),
    )
    .await;
    let flow_logs: Option<Vec<FlowLog>> = match flow_logs {
        Ok(pages) => Some(pages.iter().flat_map(|p| p.flow_logs()).cloned().collect()),
        Err(e) => {
            ctx.fail_list(scope, "DescribeFlowLogs", &[AWS_X_FLOW_LOG], &e);
            None
        }
    };
    for f in flow_logs.iter().flatten() {
        let Some(id) = f.flow_log_id() else { continue };
        let mut asset = ctx.asset(AWS_X_FLOW_LOG, region, id, id);
        asset.arn = Some(format!(
            "arn:{}:ec2:{region}:{}:vpc-flow-log/{id}",
            ctx.partition, ctx.account_id
        ));
        asset.tags = ec2_tags(f.tags());
        asset.data = flow_log_json(f);
        ctx.push_supporting(asset);
    }
    let vpcs = match vpcs {
        Ok(pages) => pages,
        Err(e) => {
            ctx.fail_list(scope, "DescribeVpcs", &[AWS_VPC], &e);
            return;
        }
    };
    for v in vpcs.iter().flat_map(|p| p.vpcs()) {
        let Some(id) = v.vpc_id() else { continue };
        let tags = ec2_tags(v.tags());
        let name = name_tag(&tags).unwrap_or(id).to_owned();
        let logs: Option<Vec<&FlowLog>> = flow_logs
            .as_ref()
            .map(|all| all.iter().filter(|f| f.resource_id() == Some(id)).collect());
        // A flow log counts when it is active; a failed delivery still
        // means the VPC is configured, which `deliverLogsStatus` shows.
        let enabled = logs
            .as_ref()
            .map(|l| l.iter().any(|f| f.flow_log_status() == Some("ACTIVE")));
        let data = json!({
            "vpcId": id,
            "name": name,
            "cidrBlock": v.cidr_block(),
            "cidrBlocks": strs(v.cidr_block_association_set().iter().filter_map(|c| c.cidr_block())),
            "ipv6CidrBlocks": strs(v.ipv6_cidr_block_association_set().iter().filter_map(|c| c.ipv6_cidr_block())),
            "isDefault": v.is_default(),
            "state": v.state().map(|s| s.as_str()),
            "dhcpOptionsId": v.dhcp_options_id(),
            "instanceTenancy": v.instance_tenancy().map(|t| t.as_str()),
            "ownerId": v.owner_id(),
            // `null` when flow logs could not be listed.
            "flowLogsEnabled": enabled,
            "flowLogs": logs.map(|l| l.into_iter().map(flow_log_json).collect::<Vec<_>>()),
        });
        let mut asset = ctx.asset(AWS_VPC, region, id, name);
        asset.arn = Some(format!(
            "arn:{}:ec2:{region}:{}:vpc/{id}",
            ctx.partition, ctx.account_id
        ));
        asset.tags = tags;
        asset.data = data;
        ctx.push(asset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::IpRange;

    fn perm(proto: &str, from: Option<i32>, to: Option<i32>, cidr: &str) -> IpPermission {
        IpPermission::builder()
            .ip_protocol(proto)
            .set_from_port(from)
            .set_to_port(to)
            .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
            .build()
    }

    #[test]
    fn labels_ports() {
        assert_eq!(
            port_label(&perm("tcp", Some(22), Some(22), "0.0.0.0/0")),
            "tcp/22"
        );
        assert_eq!(
            port_label(&perm("udp", Some(53), Some(60), "0.0.0.0/0")),
            "udp/53-60"
        );
        assert_eq!(port_label(&perm("-1", None, None, "0.0.0.0/0")), "all");
        assert_eq!(
            port_label(&perm("6", Some(0), Some(65535), "0.0.0.0/0")),
            "tcp/all"
        );
        assert_eq!(
            port_label(&perm("icmp", Some(8), Some(-1), "0.0.0.0/0")),
            "icmp"
        );
    }

    #[test]
    fn world_open_detection() {
        assert!(is_open_to_world(&perm(
            "tcp",
            Some(22),
            Some(22),
            "0.0.0.0/0"
        )));
        assert!(!is_open_to_world(&perm(
            "tcp",
            Some(22),
            Some(22),
            "10.0.0.0/8"
        )));
        let rule = rule_json(&perm("tcp", Some(22), Some(22), "0.0.0.0/0"));
        assert_eq!(rule["cidrs"], json!(["0.0.0.0/0"]));
        assert_eq!(rule["openToWorld"], json!(true));
    }
}
