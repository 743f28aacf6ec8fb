//! `AZURE_CLUSTER` from `az aks list` and `AZURE_NODE_GROUP` from its
//! `agentPoolProfiles` or `az aks nodepool list`.
//!
//! Cluster `data` has exactly the fields of the seed's only cluster sample
//! (EKS, `GET /api/v1/containers`), filled with the AKS equivalents:
//! `roleArn` is the cluster identity, `mappedSecurityGroupList` the API
//! server's authorized IP ranges, `mappedLogging` the monitoring add-on.

use serde_json::{Value, json};

use super::{Arm, arm, no_id, parent, prop, prop_arr, prop_bool, prop_str, region, subscription};
use crate::json::{arr_at, as_i64, at, bool_at, last_segment, mapped, str_at, strings};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn cluster(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let access = prop(v, "apiServerAccessProfile");
    let private = access
        .and_then(|a| bool_at(a, &["enablePrivateCluster"]))
        .unwrap_or(false);
    let authorized = access.map_or(&[][..], |a| arr_at(a, &["authorizedIpRanges"]));
    let pools = prop_arr(v, "agentPoolProfiles");
    let mut subnets: Vec<&str> = pools
        .iter()
        .filter_map(|p| str_at(p, &["vnetSubnetId"]))
        .collect();
    subnets.sort_unstable();
    subnets.dedup();
    let vnet = subnets.first().and_then(|s| parent(s, "/subnets/"));
    let identity = prop(v, "identity")
        .and_then(|i| str_at(i, &["principalId"]))
        .or_else(|| prop(v, "servicePrincipalProfile").and_then(|p| str_at(p, &["clientId"])));
    let endpoint = if private {
        prop_str(v, "privateFqdn").or_else(|| prop_str(v, "fqdn"))
    } else {
        prop_str(v, "fqdn")
    };
    let status = prop(v, "powerState")
        .and_then(|p| str_at(p, &["code"]))
        .or_else(|| prop_str(v, "provisioningState"));
    let logging = prop(v, "addonProfiles")
        .and_then(|a| at(a, &["omsagent"]).or_else(|| at(a, &["omsAgent"])))
        .or_else(|| prop(v, "azureMonitorProfile"));
    let data = json!({
        "instanceId": arm.id,
        "region": arm.region,
        "roleArn": identity,
        "version": prop_str(v, "currentKubernetesVersion").or_else(|| prop_str(v, "kubernetesVersion")),
        "createdAt": at(v, &["systemData", "createdAt"]),
        "endpoint": endpoint,
        "platformVersion": Value::Null,
        "status": status,
        "vpcId": vnet,
        "endpointPublicAccess": !private,
        "endpointPrivateAccess": private,
        "mappedSecurityGroupList": if authorized.is_empty() { Value::Null } else { mapped(Some(&json!(strings(authorized)))) },
        "mappedSubnetList": if subnets.is_empty() { Value::Null } else { mapped(Some(&json!(subnets))) },
        "mappedLogging": mapped(logging),
        "mappedTags": mapped(at(v, &["tags"])),
    });
    out.push(arm.asset(
        "AZURE_CLUSTER",
        Some(!private && authorized.is_empty()),
        data,
    ));
    for pool in pools {
        if out.is_full() {
            return;
        }
        let Some(name) = str_at(pool, &["name"]) else {
            continue;
        };
        let pool_id = format!("{}/agentPools/{name}", arm.id);
        let pool_arm = Arm {
            id: &pool_id,
            name: name.to_owned(),
            account: arm.account.clone(),
            region: arm.region.clone(),
            resource_group: arm.resource_group.clone(),
            tags: crate::json::tags_from_object(at(pool, &["tags"])),
        };
        push_pool(&pool_arm, arm.id, pool, out);
    }
}

pub(super) fn agent_pool(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(mut pool_arm) = arm(v) else {
        return no_id(item, out);
    };
    let cluster = parent(pool_arm.id, "/agentPools/").unwrap_or_default();
    if pool_arm.account.is_empty() {
        pool_arm.account = subscription(&cluster).unwrap_or_default();
    }
    if pool_arm.region.is_none() {
        pool_arm.region = region(prop_str(v, "location"));
    }
    push_pool(&pool_arm, &cluster, v, out);
}

fn push_pool(pool_arm: &Arm<'_>, cluster_id: &str, pool: &Value, out: &mut Out) {
    let public_ips = prop_bool(pool, "enableNodePublicIp");
    let data = json!({
        "id": pool_arm.id,
        "name": pool_arm.name,
        "clusterId": cluster_id,
        "cluster": last_segment(cluster_id),
        "resourceGroup": pool_arm.resource_group,
        "mode": prop_str(pool, "mode"),
        "vmSize": prop_str(pool, "vmSize"),
        "count": prop(pool, "count").and_then(as_i64),
        "minCount": prop(pool, "minCount").and_then(as_i64),
        "maxCount": prop(pool, "maxCount").and_then(as_i64),
        "enableAutoScaling": prop_bool(pool, "enableAutoScaling"),
        "enableNodePublicIp": public_ips,
        "osType": prop_str(pool, "osType"),
        "osSku": prop_str(pool, "osSku"),
        "orchestratorVersion": prop_str(pool, "orchestratorVersion"),
        "nodeImageVersion": prop_str(pool, "nodeImageVersion"),
        "maxPods": prop(pool, "maxPods").and_then(as_i64),
        "subnetId": prop_str(pool, "vnetSubnetId"),
        "powerState": prop(pool, "powerState").and_then(|p| str_at(p, &["code"])),
        "provisioningState": prop_str(pool, "provisioningState"),
        "availabilityZones": strings(prop_arr(pool, "availabilityZones")),
        "enableEncryptionAtHost": prop_bool(pool, "enableEncryptionAtHost"),
    });
    out.push(pool_arm.asset("AZURE_NODE_GROUP", public_ips, data));
}
