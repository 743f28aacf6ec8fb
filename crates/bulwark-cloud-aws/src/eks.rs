//! EKS in one region: clusters (`AWS_CLUSTER`) and managed node groups
//! (`AWS_NODE_GROUP`). Worker nodes come from EC2 (see [`crate::ec2`]).

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_eks::Client;
use aws_sdk_eks::types::{Cluster, Nodegroup};
use futures_util::future::{join, join_all};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope};
use crate::keys::{AWS_CLUSTER, AWS_NODE_GROUP};
use crate::model::{Service, Tag};
use crate::util::{date, is_world_cidr, json_string, tag_map};

fn map_tags(tags: Option<&HashMap<String, String>>) -> Vec<Tag> {
    let mut out: Vec<Tag> = tags
        .into_iter()
        .flatten()
        .map(|(k, v)| Tag {
            name: k.clone(),
            value: v.clone(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

pub(crate) async fn collect(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = Client::new(cfg);
    let scope = Scope {
        service: Service::Eks,
        region,
    };
    let names: Vec<String> = match ctx
        .pages(client.list_clusters().into_paginator().send())
        .await
    {
        Ok(pages) => pages.iter().flat_map(|p| p.clusters()).cloned().collect(),
        Err(e) => {
            ctx.fail_list(scope, "ListClusters", &[AWS_CLUSTER, AWS_NODE_GROUP], &e);
            return;
        }
    };
    join_all(names.iter().map(|name| cluster(ctx, &client, scope, name))).await;
}

async fn cluster(ctx: &Ctx, client: &Client, scope: Scope<'_>, name: &str) {
    let (described, groups) = join(
        ctx.call(client.describe_cluster().name(name).send()),
        ctx.pages(
            client
                .list_nodegroups()
                .cluster_name(name)
                .into_paginator()
                .send(),
        ),
    )
    .await;
    match described {
        Ok(out) => {
            if let Some(c) = out.cluster() {
                cluster_asset(ctx, scope.region, name, c);
            }
        }
        Err(e) => ctx.fail_item(scope, "DescribeCluster", name, &[AWS_CLUSTER], &e),
    }
    let groups: Vec<String> = match groups {
        Ok(pages) => pages.iter().flat_map(|p| p.nodegroups()).cloned().collect(),
        Err(e) => {
            ctx.fail_list(scope, "ListNodegroups", &[AWS_NODE_GROUP], &e);
            return;
        }
    };
    join_all(groups.iter().map(|g| async move {
        match ctx
            .call(
                client
                    .describe_nodegroup()
                    .cluster_name(name)
                    .nodegroup_name(g)
                    .send(),
            )
            .await
        {
            Ok(out) => {
                if let Some(ng) = out.nodegroup() {
                    nodegroup_asset(ctx, scope.region, name, ng);
                }
            }
            Err(e) => ctx.fail_item(scope, "DescribeNodegroup", g, &[AWS_NODE_GROUP], &e),
        }
    }))
    .await;
}

fn cluster_asset(ctx: &Ctx, region: &str, name: &str, c: &Cluster) {
    let vpc = c.resources_vpc_config();
    let tags = map_tags(c.tags());
    let logging: Vec<Value> = c
        .logging()
        .map(|l| l.cluster_logging())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            json!({
                "types": s.types().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                "enabled": s.enabled(),
            })
        })
        .collect();
    let enabled_log_types: Vec<&str> = c
        .logging()
        .map(|l| l.cluster_logging())
        .unwrap_or_default()
        .iter()
        .filter(|s| s.enabled() == Some(true))
        .flat_map(|s| s.types().iter().map(|t| t.as_str()))
        .collect();
    let public_access = vpc.is_some_and(|v| v.endpoint_public_access());
    let public_cidrs: Vec<&str> = vpc
        .map(|v| v.public_access_cidrs().iter().map(String::as_str).collect())
        .unwrap_or_default();
    // AWS reports 0.0.0.0/0 when no CIDRs restrict the public endpoint; an
    // emulator may report none at all, which means the same.
    let is_public =
        public_access && (public_cidrs.is_empty() || public_cidrs.iter().any(|c| is_world_cidr(c)));
    // moto answers an empty list here even when secrets encryption was
    // requested, so `false` from an emulator proves nothing.
    let secrets_encrypted = c
        .encryption_config()
        .iter()
        .any(|e| e.resources().iter().any(|r| r == "secrets"));
    let sg_ids: Vec<&str> = vpc
        .map(|v| v.security_group_ids().iter().map(String::as_str).collect())
        .unwrap_or_default();
    let subnets: Vec<&str> = vpc
        .map(|v| v.subnet_ids().iter().map(String::as_str).collect())
        .unwrap_or_default();
    let data = json!({
        // The `/containers` EKS cluster sample's moreInfo.
        "instanceId": c.arn(),
        "region": region,
        "roleArn": c.role_arn(),
        "version": c.version(),
        "createdAt": date(c.created_at()),
        "endpoint": c.endpoint(),
        "platformVersion": c.platform_version(),
        "status": c.status().map(|s| s.as_str()),
        "vpcId": vpc.and_then(|v| v.vpc_id()),
        "endpointPublicAccess": public_access,
        "endpointPrivateAccess": vpc.is_some_and(|v| v.endpoint_private_access()),
        "mappedSecurityGroupList": json_string(&json!(sg_ids)),
        "mappedSubnetList": json_string(&json!(subnets)),
        "mappedLogging": json_string(&Value::Array(logging)),
        "mappedTags": json_string(&tag_map(&tags)),
        // Further attributes for search and policy checks.
        "name": name,
        "arn": c.arn(),
        "publicAccessCidrs": public_cidrs,
        "clusterSecurityGroupId": vpc.and_then(|v| v.cluster_security_group_id()),
        "securityGroupIds": sg_ids,
        "subnetIds": subnets,
        "enabledLogTypes": enabled_log_types,
        "secretsEncrypted": secrets_encrypted,
        "encryptionKeyArns": c.encryption_config().iter()
            .filter_map(|e| e.provider().and_then(|p| p.key_arn()))
            .collect::<Vec<_>>(),
        "oidcIssuer": c.identity().and_then(|i| i.oidc()).and_then(|o| o.issuer()),
        "authenticationMode": c.access_config().and_then(|a| a.authentication_mode()).map(|m| m.as_str()),
        "isPublic": is_public,
    });
    let mut asset = ctx.asset(AWS_CLUSTER, region, name, name);
    asset.arn = c.arn().map(str::to_owned);
    asset.tags = tags;
    asset.is_public = Some(is_public);
    asset.data = data;
    ctx.push(asset);
}

fn nodegroup_asset(ctx: &Ctx, region: &str, cluster: &str, ng: &Nodegroup) {
    let Some(name) = ng.nodegroup_name() else {
        return;
    };
    let scaling = ng.scaling_config();
    let remote = ng.remote_access();
    let data = json!({
        "nodegroupName": name,
        "clusterName": cluster,
        "nodegroupArn": ng.nodegroup_arn(),
        "status": ng.status().map(|s| s.as_str()),
        "version": ng.version(),
        "releaseVersion": ng.release_version(),
        "capacityType": ng.capacity_type().map(|c| c.as_str()),
        "amiType": ng.ami_type().map(|a| a.as_str()),
        "instanceTypes": ng.instance_types(),
        "subnets": ng.subnets(),
        "nodeRole": ng.node_role(),
        "diskSize": ng.disk_size(),
        "scalingConfig": scaling.map(|s| json!({
            "minSize": s.min_size(),
            "maxSize": s.max_size(),
            "desiredSize": s.desired_size(),
        })),
        // SSH access to the nodes; with no source groups it is open to the world.
        "remoteAccess": remote.map(|r| json!({
            "ec2SshKey": r.ec2_ssh_key(),
            "sourceSecurityGroups": r.source_security_groups(),
        })),
        "sshOpenToWorld": remote.is_some_and(|r| r.ec2_ssh_key().is_some() && r.source_security_groups().is_empty()),
        "labels": ng.labels(),
        "launchTemplate": ng.launch_template().map(|l| json!({
            "name": l.name(),
            "id": l.id(),
            "version": l.version(),
        })),
        "createdAt": date(ng.created_at()),
    });
    // Node group names are unique per cluster only.
    let mut asset = ctx.asset(AWS_NODE_GROUP, region, format!("{cluster}/{name}"), name);
    asset.arn = ng.nodegroup_arn().map(str::to_owned);
    asset.tags = map_tags(ng.tags());
    asset.data = data;
    ctx.push(asset);
}
