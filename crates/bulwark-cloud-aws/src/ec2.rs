//! EC2 in one region: instances (`AWS_HOST`), EKS worker nodes seen from EC2
//! (`AWS_NODE`), and the orchestration of the network and storage listings.

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_ec2::types::{Instance, Tag as Ec2Tag};
use futures_util::future::{join, join3};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope, tags_from};
use crate::ec2_network::{self, SgSummary};
use crate::ec2_storage;
use crate::keys::{AWS_HOST, AWS_NODE};
use crate::model::{Service, Tag};
use crate::util::{date, json_string, name_tag, tag_map};

pub(crate) fn ec2_tags(tags: &[Ec2Tag]) -> Vec<Tag> {
    tags_from(tags, |t| t.key(), |t| t.value())
}

/// Collects every EC2 kind of one region.
pub(crate) async fn collect(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_ec2::Client::new(cfg);
    let scope = Scope {
        service: Service::Ec2,
        region,
    };
    // Security groups are needed to describe instances (group names, exposed
    // ports), so they are listed alongside and joined afterwards.
    let ((groups, interfaces, instances), _) = join(
        join3(
            ec2_network::list_security_groups(ctx, &client, scope),
            ec2_network::list_network_interfaces(ctx, &client, scope),
            list_instances(ctx, &client, scope),
        ),
        join3(
            ec2_network::collect_vpcs(ctx, &client, scope),
            ec2_storage::collect_volumes(ctx, &client, scope),
            ec2_storage::collect_images(ctx, &client, scope),
        ),
    )
    .await;
    let groups = ec2_network::security_groups(ctx, region, &groups, interfaces.as_deref());
    if let Some(interfaces) = &interfaces {
        ec2_network::network_interfaces(ctx, region, interfaces);
    }
    for instance in &instances {
        host(ctx, region, instance, &groups);
    }
}

async fn list_instances(
    ctx: &Ctx,
    client: &aws_sdk_ec2::Client,
    scope: Scope<'_>,
) -> Vec<Instance> {
    let pages = ctx
        .pages(client.describe_instances().into_paginator().send())
        .await;
    match pages {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.reservations())
            .flat_map(|r| r.instances())
            // Terminated instances linger for an hour and are not part of the estate.
            .filter(|i| {
                i.state()
                    .and_then(|s| s.name())
                    .is_none_or(|n| n.as_str() != "terminated")
            })
            .cloned()
            .collect(),
        Err(e) => {
            ctx.fail_list(scope, "DescribeInstances", &[AWS_HOST, AWS_NODE], &e);
            Vec::new()
        }
    }
}

/// The EKS cluster an instance is a worker node of, from the tags EKS
/// (managed node groups, `eks:cluster-name`) or the Kubernetes cloud provider
/// (`kubernetes.io/cluster/<name>`) put on nodes.
fn eks_cluster(tags: &[Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.name == "eks:cluster-name")
        .map(|t| t.value.clone())
        .or_else(|| {
            tags.iter().find_map(|t| {
                t.name
                    .strip_prefix("kubernetes.io/cluster/")
                    .map(str::to_owned)
            })
        })
}

fn host(ctx: &Ctx, region: &str, i: &Instance, groups: &HashMap<String, SgSummary>) {
    let Some(id) = i.instance_id() else { return };
    let tags = ec2_tags(i.tags());
    let name = name_tag(&tags).unwrap_or(id).to_owned();
    let cluster = eks_cluster(&tags);

    let interfaces: Vec<Value> = i
        .network_interfaces()
        .iter()
        .map(|n| {
            let public_ip = n.association().and_then(|a| a.public_ip());
            json!({
                "interfaceId": n.network_interface_id(),
                "isPublicIP": public_ip.is_some(),
                "publicIP": public_ip,
                "privateIP": n.private_ip_address(),
            })
        })
        .collect();
    let public_ip = i.public_ip_address().or_else(|| {
        i.network_interfaces()
            .iter()
            .find_map(|n| n.association().and_then(|a| a.public_ip()))
    });
    let is_public = public_ip.is_some();

    // The instance's groups plus those of each attached interface: traffic
    // to any interface is filtered by that interface's groups. (moto also
    // leaves the instance-level list empty when groups were given per
    // interface at launch, where AWS copies the primary interface's.)
    let mut sgs: Vec<(&str, Option<&str>)> = Vec::new();
    let all = i
        .security_groups()
        .iter()
        .chain(i.network_interfaces().iter().flat_map(|n| n.groups()));
    for g in all {
        if let Some(id) = g.group_id()
            && !sgs.iter().any(|(known, _)| *known == id)
        {
            sgs.push((id, g.group_name()));
        }
    }
    let sg_list: Vec<Value> = sgs
        .iter()
        .map(|(id, name)| json!({"name": name, "value": id}))
        .collect();
    // Ports the instance's groups open to 0.0.0.0/0 or ::/0: reachable from
    // the internet only when the instance also has a public address.
    let mut world_ports: Vec<String> = sgs
        .iter()
        .filter_map(|(gid, _)| groups.get(*gid))
        .flat_map(|g| g.world_open_ports.iter().cloned())
        .collect();
    world_ports.sort();
    world_ports.dedup();

    let profile = i.iam_instance_profile();
    let imds_v2_required = i
        .metadata_options()
        .and_then(|m| m.http_tokens())
        .map(|t| t.as_str() == "required");

    let data = json!({
        // The `/vms` sample's AWS moreInfo, field for field.
        "imageId": i.image_id(),
        "instanceProfileId": profile.and_then(|p| p.id()),
        "runningState": i.state().and_then(|s| s.name()).map(|n| n.as_str()),
        "instanceType": i.instance_type().map(|t| t.as_str()),
        "region": region,
        "availabilityZone": i.placement().and_then(|p| p.availability_zone()),
        "subnetId": i.subnet_id(),
        "vpcId": i.vpc_id(),
        "isPublic": is_public,
        "hasContainerNodes": cluster.is_some(),
        "isIAMRoleAssigned": profile.is_some(),
        "securityGroupList": sg_list,
        "networkInterfaces": interfaces,
        "tags": json_string(&tag_map(&tags)),
        // Needs CloudTrail history, which the inventory does not read.
        "lastModifiedBy": Value::Null,
        // Filled by an installed server agent, which AWS APIs do not report.
        "serverAgent": Value::Null,
        // Further attributes for search and policy checks.
        "instanceId": id,
        "name": name,
        "launchTime": date(i.launch_time()),
        "platform": i.platform_details(),
        "architecture": i.architecture().map(|a| a.as_str()),
        "keyName": i.key_name(),
        "publicIp": public_ip,
        "privateIp": i.private_ip_address(),
        "publicDnsName": i.public_dns_name().filter(|d| !d.is_empty()),
        "privateDnsName": i.private_dns_name().filter(|d| !d.is_empty()),
        "iamInstanceProfileArn": profile.and_then(|p| p.arn()),
        "imdsV2Required": imds_v2_required,
        "monitoringState": i.monitoring().and_then(|m| m.state()).map(|s| s.as_str()),
        "ebsOptimized": i.ebs_optimized(),
        "rootDeviceType": i.root_device_type().map(|d| d.as_str()),
        "blockDevices": i.block_device_mappings().iter().map(|b| json!({
            "deviceName": b.device_name(),
            "volumeId": b.ebs().and_then(|e| e.volume_id()),
        })).collect::<Vec<_>>(),
        "worldOpenPorts": world_ports,
        "internetExposedPorts": if is_public { world_ports.clone() } else { Vec::new() },
        "eksClusterName": cluster,
    });

    let mut asset = ctx.asset(AWS_HOST, region, id, name.clone());
    asset.arn = Some(format!(
        "arn:{}:ec2:{region}:{}:instance/{id}",
        ctx.partition, ctx.account_id
    ));
    asset.tags = tags.clone();
    asset.is_public = Some(is_public);
    asset.data = data;
    ctx.push(asset);

    if let Some(cluster) = cluster {
        node(ctx, region, i, id, &cluster, &tags, public_ip);
    }
}

/// An EKS worker node as EC2 sees it; the Kubernetes-side fields (kubelet
/// version, pod CIDR) need the cluster's API and stay `null`.
fn node(
    ctx: &Ctx,
    region: &str,
    i: &Instance,
    id: &str,
    cluster: &str,
    tags: &[Tag],
    public_ip: Option<&str>,
) {
    let az = i
        .placement()
        .and_then(|p| p.availability_zone())
        .unwrap_or_default();
    let private_dns = i.private_dns_name().filter(|d| !d.is_empty());
    let mut addresses = Vec::new();
    if let Some(ip) = i.private_ip_address() {
        addresses.push(json!({"type": "InternalIP", "address": ip}));
    }
    if let Some(ip) = public_ip {
        addresses.push(json!({"type": "ExternalIP", "address": ip}));
    }
    if let Some(dns) = private_dns {
        addresses.push(json!({"type": "InternalDNS", "address": dns}));
    }
    let nodegroup = tags
        .iter()
        .find(|t| t.name == "eks:nodegroup-name")
        .map(|t| t.value.as_str());
    let data = json!({
        "instanceId": id,
        "namespace": Value::Null,
        "publicIp": public_ip,
        "vmId": id,
        "provider": "aws",
        "providerId": format!("aws:///{az}/{id}"),
        "podCIDR": Value::Null,
        "containerVersion": Value::Null,
        "kernelVersion": Value::Null,
        "kubeProxyVersion": Value::Null,
        "kubeletVersion": Value::Null,
        "startTime": date(i.launch_time()),
        "cloudProvider": "AWS",
        "cloudProviderId": ctx.account_id,
        "mappedAddresses": json_string(&Value::Array(addresses)),
        "mappedTags": json_string(&tag_map(tags)),
        "clusterName": cluster,
        "nodegroupName": nodegroup,
        "instanceType": i.instance_type().map(|t| t.as_str()),
        "runningState": i.state().and_then(|s| s.name()).map(|n| n.as_str()),
        "source": "ec2",
    });
    // Kubernetes names EKS nodes by their private DNS name.
    let name = private_dns.unwrap_or(id).to_owned();
    let mut asset = ctx.asset(AWS_NODE, region, id, name);
    asset.arn = Some(format!(
        "arn:{}:ec2:{region}:{}:instance/{id}",
        ctx.partition, ctx.account_id
    ));
    asset.tags = tags.to_vec();
    asset.is_public = Some(public_ip.is_some());
    asset.data = data;
    ctx.push(asset);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            name: k.into(),
            value: v.into(),
        }
    }

    #[test]
    fn eks_cluster_from_tags() {
        assert_eq!(
            eks_cluster(&[tag("eks:cluster-name", "prod")]),
            Some("prod".into())
        );
        assert_eq!(
            eks_cluster(&[tag("kubernetes.io/cluster/dev", "owned")]),
            Some("dev".into())
        );
        assert_eq!(eks_cluster(&[tag("Name", "web")]), None);
    }
}
