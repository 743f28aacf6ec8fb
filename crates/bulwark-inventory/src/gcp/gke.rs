//! `GCP_CLUSTER` from `gcloud container clusters list --format=json` and
//! `GCP_NODEPOOL` from its embedded `nodePools` or
//! `gcloud container node-pools list`.
//!
//! Cluster `data` has exactly the fields of the seed's only cluster sample
//! (EKS), filled with the GKE equivalents: `roleArn` is the node service
//! account, `platformVersion` the node version, `mappedSecurityGroupList`
//! the master authorized networks. The master auth block (CA certificate,
//! legacy basic-auth password) is never copied.

use serde_json::{Value, json};

use super::{base, project, relative};
use crate::json::{arr_at, at, bool_at, i64_at, mapped, str_at, strings, tags_from_object};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn cluster(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(name) = str_at(v, &["name"]) else {
        return out.warn(item, "GKE cluster without a `name`");
    };
    let link = str_at(v, &["selfLink"]).map(relative);
    let private_endpoint =
        bool_at(v, &["privateClusterConfig", "enablePrivateEndpoint"]).unwrap_or(false);
    let private_nodes =
        bool_at(v, &["privateClusterConfig", "enablePrivateNodes"]).unwrap_or(false);
    let authorized = at(v, &["masterAuthorizedNetworksConfig"]);
    let restricted = authorized
        .and_then(|a| bool_at(a, &["enabled"]))
        .unwrap_or(false);
    let network = str_at(v, &["networkConfig", "network"]).or_else(|| str_at(v, &["network"]));
    let subnet = str_at(v, &["networkConfig", "subnetwork"]).or_else(|| str_at(v, &["subnetwork"]));
    let logging = json!({
        "loggingService": str_at(v, &["loggingService"]),
        "loggingConfig": at(v, &["loggingConfig"]),
    });
    let location = str_at(v, &["location"]).or_else(|| str_at(v, &["zone"]));
    let node_account = str_at(v, &["nodeConfig", "serviceAccount"]).or_else(|| {
        arr_at(v, &["nodePools"])
            .iter()
            .find_map(|p| str_at(p, &["config", "serviceAccount"]))
    });
    let data = json!({
        "instanceId": str_at(v, &["id"]).map(str::to_owned).or_else(|| link.clone()),
        "region": location,
        "roleArn": node_account,
        "version": str_at(v, &["currentMasterVersion"]),
        "createdAt": str_at(v, &["createTime"]),
        "endpoint": str_at(v, &["endpoint"]),
        "platformVersion": str_at(v, &["currentNodeVersion"]),
        "status": str_at(v, &["status"]),
        "vpcId": network,
        "endpointPublicAccess": !private_endpoint,
        "endpointPrivateAccess": private_nodes || private_endpoint,
        "mappedSecurityGroupList": mapped(authorized),
        "mappedSubnetList": subnet.map_or(Value::Null, |s| mapped(Some(&json!([s])))),
        "mappedLogging": mapped(Some(&logging)),
        "mappedTags": mapped(at(v, &["resourceLabels"])),
    });
    let account = link.as_deref().and_then(project).unwrap_or_default();
    let id = str_at(v, &["id"])
        .map(str::to_owned)
        .or_else(|| link.clone())
        .unwrap_or_else(|| name.to_owned());
    let cluster_base = base(
        account.clone(),
        location.map(str::to_owned),
        id,
        name.to_owned(),
        tags_from_object(at(v, &["resourceLabels"])),
    );
    out.push(cluster_base.asset("GCP_CLUSTER", Some(!private_endpoint && !restricted), data));
    for pool in arr_at(v, &["nodePools"]) {
        if out.is_full() {
            return;
        }
        push_pool(pool, Some(name), location, &account, link.as_deref(), out);
    }
}

pub(super) fn node_pool(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let link = str_at(v, &["selfLink"]).map(relative);
    let cluster = link
        .as_deref()
        .and_then(|l| crate::json::segment_after(l, "clusters"));
    let location = link.as_deref().and_then(|l| {
        crate::json::segment_after(l, "locations")
            .or_else(|| crate::json::segment_after(l, "zones"))
    });
    let account = link.as_deref().and_then(project).unwrap_or_default();
    if str_at(v, &["name"]).is_none() {
        return out.warn(item, "node pool without a `name`");
    }
    push_pool(v, cluster, location, &account, None, out);
}

fn push_pool(
    pool: &Value,
    cluster: Option<&str>,
    location: Option<&str>,
    account: &str,
    cluster_link: Option<&str>,
    out: &mut Out,
) {
    let Some(name) = str_at(pool, &["name"]) else {
        return;
    };
    let config = at(pool, &["config"]).cloned().unwrap_or(Value::Null);
    let service_account = str_at(&config, &["serviceAccount"]);
    let scopes = strings(arr_at(&config, &["oauthScopes"]));
    let default_account = service_account
        .is_none_or(|a| a == "default" || a.ends_with("-compute@developer.gserviceaccount.com"));
    let metadata_value = |key: &str| str_at(&config, &["metadata", key]);
    let data = json!({
        "name": name,
        "cluster": cluster,
        "location": location,
        "version": str_at(pool, &["version"]),
        "status": str_at(pool, &["status"]),
        "machineType": str_at(&config, &["machineType"]),
        "diskSizeGb": i64_at(&config, &["diskSizeGb"]),
        "diskType": str_at(&config, &["diskType"]),
        "imageType": str_at(&config, &["imageType"]),
        "serviceAccount": service_account,
        "usesDefaultServiceAccount": default_account,
        "oauthScopes": scopes,
        "hasCloudPlatformScope": scopes.iter().any(|s| s.ends_with("/auth/cloud-platform")),
        "autoUpgrade": bool_at(pool, &["management", "autoUpgrade"]),
        "autoRepair": bool_at(pool, &["management", "autoRepair"]),
        "autoscalingEnabled": bool_at(pool, &["autoscaling", "enabled"]),
        "minNodeCount": i64_at(pool, &["autoscaling", "minNodeCount"]),
        "maxNodeCount": i64_at(pool, &["autoscaling", "maxNodeCount"]),
        "initialNodeCount": i64_at(pool, &["initialNodeCount"]),
        "secureBoot": bool_at(&config, &["shieldedInstanceConfig", "enableSecureBoot"]),
        "integrityMonitoring": bool_at(&config, &["shieldedInstanceConfig", "enableIntegrityMonitoring"]),
        "workloadMetadataMode": str_at(&config, &["workloadMetadataConfig", "mode"]),
        "legacyEndpointsDisabled": metadata_value("disable-legacy-endpoints").map(|v| v.eq_ignore_ascii_case("true")),
    });
    let id = str_at(pool, &["selfLink"])
        .map(relative)
        .or_else(|| cluster_link.map(|c| format!("{c}/nodePools/{name}")))
        .unwrap_or_else(|| format!("{}/{name}", cluster.unwrap_or_default()));
    let pool_base = base(
        account.to_owned(),
        location.map(str::to_owned),
        id,
        name.to_owned(),
        tags_from_object(at(&config, &["labels"])),
    );
    out.push(pool_base.asset("GCP_NODEPOOL", None, data));
}
