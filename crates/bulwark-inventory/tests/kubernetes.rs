//! `kubectl get ... -o json` output becomes NATIVE_* assets for Kubernetes
//! environments and the EKS/AKS/GKE keys for clouds.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use bulwark_inventory::{Normalized, Provider, shapes};
use common::*;
use serde_json::{Value, json};

const ALL: [&str; 7] = [
    "kubernetes/nodes.json",
    "kubernetes/pods.json",
    "kubernetes/services.json",
    "kubernetes/ingresses.json",
    "kubernetes/networkpolicies.json",
    "kubernetes/rbac.json",
    "kubernetes/workloads.json",
];

fn cluster() -> Normalized {
    run_clean(Provider::Kubernetes, &ALL)
}

#[test]
fn nodes_follow_the_node_sample() {
    let n = cluster();
    let cp = find(&n, "NATIVE_NODE", "k8s-cp-1");
    assert_fields(cp, shapes::NODE);
    assert_eq!(cp.provider, Provider::Kubernetes);
    assert_eq!(cp.account_id, "", "kubectl does not name its cluster");
    assert_eq!(cp.resource_id, "0f1e2d3c-4b5a-4697-8877-665544332211");
    assert_eq!(cp.region.as_deref(), Some("dc-ams"));
    assert_eq!(cp.is_public, Some(false));
    let d = &cp.data;
    assert_eq!(d["publicIp"], Value::Null);
    assert_eq!(d["namespace"], Value::Null);
    assert_eq!(d["vmId"], "4c4c4544-0032-3510-8035-b4c04f4e4d32");
    assert_eq!(d["provider"], Value::Null);
    assert_eq!(d["podCIDR"], "10.244.0.0/24");
    assert_eq!(d["containerVersion"], "containerd://1.7.13");
    assert_eq!(d["kernelVersion"], "6.1.0-18-amd64");
    assert_eq!(d["kubeletVersion"], "v1.29.2");
    assert_eq!(d["kubeProxyVersion"], "v1.29.2");
    assert_eq!(d["startTime"], "2024-01-08T09:00:00Z");
    assert_eq!(d["cloudProvider"], "native");
    assert_eq!(
        mapped(cp, "mappedAddresses")[0],
        json!({ "address": "192.168.10.11", "type": "InternalIP" })
    );
    assert_eq!(
        mapped(cp, "mappedTags")["kubernetes.io/hostname"],
        "k8s-cp-1"
    );
    let edge = find(&n, "NATIVE_NODE", "k8s-edge-1");
    assert_eq!(edge.is_public, Some(true));
    assert_eq!(edge.data["publicIp"], "198.51.100.80");
}

#[test]
fn deployment_pod_is_public_through_its_load_balancer() {
    let n = cluster();
    let web = find(&n, "NATIVE_POD", "web-7d9f8c6b5-x2k9q");
    assert_fields(web, shapes::POD);
    assert_eq!(web.is_public, Some(true));
    assert_eq!(web.region.as_deref(), Some("dc-ams"), "region of its node");
    assert_eq!(tag(web, "tier"), Some("frontend"));
    let d = &web.data;
    assert_eq!(d["instanceId"], "6e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b");
    assert_eq!(d["namespace"], "shop");
    assert_eq!(d["nodeName"], "k8s-edge-1");
    assert_eq!(d["privateIP"], "10.244.1.17");
    assert_eq!(d["hostIP"], "192.168.10.21");
    assert_eq!(d["status"], "Running");
    assert_eq!(d["startTime"], "2024-02-28T08:00:00Z");
    assert_eq!(
        d["spawnedBy"], "Deployment/web",
        "ReplicaSet resolved to its Deployment"
    );
    assert_eq!(d["serviceAccount"], "web");
    assert_eq!(d["isPrivileged"], false);
    assert_eq!(d["automountServiceAccountToken"], false);
    assert_eq!(d["cloudProvider"], "native");
    assert_eq!(mapped(web, "mappedPodSecurityContext")["runAsUser"], 1000);
    assert_eq!(
        mapped(web, "mappedNodeSelector"),
        json!({ "kubernetes.io/os": "linux" })
    );
    assert_eq!(mapped(web, "mappedOwnerRefList")[0]["kind"], "ReplicaSet");
}

#[test]
fn privileged_host_network_daemon_pod() {
    let n = cluster();
    let agent = find(&n, "NATIVE_POD", "node-agent-4hzq8");
    assert_eq!(
        agent.is_public,
        Some(true),
        "host network on a node with an external IP"
    );
    assert_eq!(agent.data["isPrivileged"], true);
    assert_eq!(agent.data["spawnedBy"], "DaemonSet/node-agent");
    assert_eq!(
        agent.data["automountServiceAccountToken"], true,
        "unset means mounted"
    );
    let security = mapped(agent, "mappedPodSecurityContext");
    assert_eq!(security["hostNetwork"], true);
    assert_eq!(security["hostPID"], true);
    let backup = find(&n, "NATIVE_POD", "backup-28490520-q7r2t");
    assert_eq!(
        backup.data["spawnedBy"], "CronJob/backup",
        "Job resolved to its CronJob"
    );
    assert_eq!(backup.data["status"], "Succeeded");
    assert_eq!(backup.is_public, Some(false));
}

#[test]
fn containers_follow_the_container_sample() {
    let n = cluster();
    let web = find(&n, "NATIVE_CONTAINER", "web");
    assert_fields(web, shapes::CONTAINER);
    assert_eq!(web.resource_id, "6e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b/web");
    let d = &web.data;
    assert_eq!(
        d["instanceId"],
        "containerd://9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0"
    );
    assert_eq!(d["image"], "registry.acme.internal:5000/shop/web:2.3.1");
    assert_eq!(d["imagePullPolicy"], "IfNotPresent");
    assert_eq!(d["status"], "running");
    assert_eq!(d["startedTime"], "2024-02-28T08:00:04Z");
    assert_eq!(d["restartCount"], 2);
    assert_eq!(d["allowPrivilegeEscalation"], false);
    assert_eq!(d["privileged"], false);
    assert_eq!(d["workingDir"], "/srv/app");
    assert_eq!(d["isStdin"], false);
    assert_eq!(mapped(web, "mappedPorts")[0]["containerPort"], 8080);
    assert_eq!(
        mapped(web, "mappedSecurityContext")["readOnlyRootFilesystem"],
        true
    );
    assert_eq!(d["mappedCommands"], Value::Null);

    let agent = find(&n, "NATIVE_CONTAINER", "agent");
    assert_eq!(agent.data["privileged"], true);
    assert_eq!(agent.data["allowPrivilegeEscalation"], true);
    assert_eq!(agent.data["status"], "waiting");
    assert_eq!(agent.data["restartCount"], 14);
    assert_eq!(agent.data["isStdin"], true);
    assert_eq!(mapped(agent, "mappedCommands"), json!(["/bin/node-agent"]));
    assert_eq!(mapped(agent, "mappedArgs")[1], "--collector.processes");
    assert_eq!(
        mapped(agent, "mappedSecurityContext")["capabilities"]["add"],
        json!(["SYS_ADMIN", "NET_ADMIN"])
    );

    let init = find(&n, "NATIVE_CONTAINER", "tune-sysctl");
    assert_eq!(init.data["status"], "terminated");
    assert_eq!(init.data["startedTime"], "2024-01-08T09:10:02Z");
    assert_eq!(init.data["privileged"], true);
}

#[test]
fn environment_values_and_secrets_are_never_copied() {
    let n = cluster();
    assert!(!leaks(&n, "Sup3rSecret"));
    assert!(!leaks(&n, "c2VjcmV0LXRva2VuLXZhbHVl"));
    let secret = n.ignored.iter().find(|i| i.kind == "Secret").unwrap();
    assert_eq!(secret.count, 1);
    assert!(
        n.ignored
            .iter()
            .any(|i| i.kind == "Namespace" && i.count == 1)
    );
    let controllers: usize = n
        .ignored
        .iter()
        .filter(|i| ["Deployment", "ReplicaSet", "Job"].contains(&i.kind.as_str()))
        .map(|i| i.count)
        .sum();
    assert_eq!(controllers, 3);
}

#[test]
fn services_and_ingresses() {
    let n = cluster();
    let web = find(&n, "NATIVE_SERVICE", "web");
    assert_eq!(web.is_public, Some(true));
    assert_eq!(web.data["type"], "LoadBalancer");
    assert_eq!(web.data["loadBalancerIngress"], json!(["198.51.100.120"]));
    assert_eq!(web.data["ports"][0]["port"], 443);
    assert_eq!(web.data["ports"][0]["nodePort"], 31443);
    assert_eq!(
        find(&n, "NATIVE_SERVICE", "orders-db").is_public,
        Some(false)
    );
    let grafana = find(&n, "NATIVE_SERVICE", "grafana");
    assert_eq!(
        grafana.is_public,
        Some(false),
        "limited to private source ranges"
    );
    assert_eq!(
        grafana.data["loadBalancerSourceRanges"],
        json!(["192.168.0.0/16"])
    );

    let shop = find(&n, "NATIVE_INGRESS", "shop");
    assert_eq!(shop.is_public, Some(true));
    assert_eq!(
        shop.data["hostsWithoutTls"],
        json!(["admin.shop.acme.example"])
    );
    assert_eq!(shop.data["tlsHosts"], json!(["shop.acme.example"]));
    assert_eq!(shop.data["rules"][0]["paths"][0]["serviceName"], "web");
    assert_eq!(shop.data["ingressClassName"], "nginx");
    let internal = n
        .assets
        .iter()
        .find(|a| a.search_key == "NATIVE_INGRESS" && a.data["namespace"] == "monitoring")
        .unwrap();
    assert_eq!(
        internal.is_public,
        Some(false),
        "private load balancer address"
    );
}

#[test]
fn network_policies() {
    let n = cluster();
    let deny = find(&n, "NATIVE_NETWORK_POLICY", "default-deny");
    assert_eq!(deny.data["defaultDenyIngress"], true);
    assert_eq!(deny.data["defaultDenyEgress"], true);
    assert_eq!(deny.is_public, Some(false));
    let open = find(&n, "NATIVE_NETWORK_POLICY", "web-from-internet");
    assert_eq!(open.is_public, Some(true));
    assert_eq!(open.data["allowsInternetIngress"], true);
    assert_eq!(open.data["policyTypes"], json!(["Ingress"]), "API default");
    let db = find(&n, "NATIVE_NETWORK_POLICY", "db-from-web");
    assert_eq!(db.is_public, Some(false));
    assert_eq!(db.data["ingressRules"], 1);
}

#[test]
fn rbac_roles_with_their_bindings() {
    let n = cluster();
    let admin = find(&n, "NATIVE_RBAC_ROLE", "cluster-admin");
    assert_eq!(admin.data["kind"], "ClusterRole");
    assert_eq!(admin.data["namespace"], Value::Null);
    assert_eq!(admin.data["isWildcard"], true);
    assert_eq!(admin.data["canEscalate"], true);
    assert_eq!(admin.data["boundSubjects"].as_array().unwrap().len(), 2);
    assert_eq!(admin.data["boundSubjects"][0]["binding"], "ci-admin");
    assert_eq!(admin.is_public, Some(false));
    let everyone = find(&n, "NATIVE_RBAC_ROLE", "debug-everyone");
    assert_eq!(
        everyone.is_public,
        Some(true),
        "bound to system:unauthenticated"
    );
    assert_eq!(everyone.data["boundToEveryone"], true);

    let readers: Vec<_> = of_key(&n, "NATIVE_RBAC_ROLE")
        .into_iter()
        .filter(|a| a.name == "secret-reader")
        .collect();
    assert_eq!(readers.len(), 2);
    let shop = readers
        .iter()
        .find(|a| a.data["namespace"] == "shop")
        .unwrap();
    assert_eq!(shop.data["canReadSecrets"], true);
    assert_eq!(shop.data["boundSubjects"][0]["name"], "web");
    let ops = readers
        .iter()
        .find(|a| a.data["namespace"] == "ops")
        .unwrap();
    assert_eq!(ops.data["canReadSecrets"], false);
    assert_eq!(
        ops.data["boundSubjects"],
        json!([]),
        "the RoleBinding is in another namespace"
    );
}

#[test]
fn a_single_object_is_a_snapshot_too() {
    let pods = fixture("kubernetes/pods.json");
    let one = pods["items"][0].clone();
    let n = bulwark_inventory::normalize(Provider::Kubernetes, None, &one).unwrap();
    assert_eq!(of_key(&n, "NATIVE_POD").len(), 1);
    assert_eq!(of_key(&n, "NATIVE_CONTAINER").len(), 1);
    let pod = find(&n, "NATIVE_POD", "web-7d9f8c6b5-x2k9q");
    assert_eq!(
        pod.data["spawnedBy"], "ReplicaSet/web-7d9f8c6b5",
        "no ReplicaSet to resolve"
    );
    assert_eq!(pod.is_public, Some(false), "no service in this snapshot");
}

#[test]
fn eks_snapshots_fill_the_aws_keys() {
    let n = run_clean(Provider::Aws, &ALL);
    let pod = find(&n, "AWS_POD", "web-7d9f8c6b5-x2k9q");
    assert_eq!(pod.provider, Provider::Aws);
    assert_eq!(pod.data["cloudProvider"], "eks");
    for key in [
        "AWS_NODE",
        "AWS_CONTAINER",
        "AWS_SERVICE",
        "AWS_INGRESS",
        "AWS_NETWORK_POLICY",
        "AWS_RBAC_ROLE",
    ] {
        assert!(!of_key(&n, key).is_empty(), "{key}");
    }
    assert!(n.assets.iter().all(|a| a.search_key.starts_with("AWS_")));
}

#[test]
fn gke_snapshot_takes_the_project_from_the_node() {
    let n = run_clean(Provider::Gcp, &["gcp/gke_kubectl.json"]);
    let node = find(&n, "GCP_NODE", "gke-prod-gke-default-pool-1a2b3c4d-x7k2");
    assert_eq!(node.account_id, "acme-prod");
    assert_eq!(node.data["provider"], "gce");
    assert_eq!(node.data["vmId"], "gke-prod-gke-default-pool-1a2b3c4d-x7k2");
    assert_eq!(node.data["cloudProviderId"], "acme-prod");
    let pod = find(&n, "GCP_POD", "api-5b8c7d6e9f-abcde");
    assert_eq!(
        pod.is_public,
        Some(false),
        "only an internal load balancer selects it"
    );
    assert_eq!(pod.data["cloudProvider"], "gke");
    assert_eq!(pod.region.as_deref(), Some("us-central1"));
    assert_eq!(
        find(&n, "GCP_SERVICE", "api-internal").data["internalLoadBalancer"],
        true
    );
    assert_eq!(find(&n, "GCP_CONTAINER", "api").account_id, "acme-prod");
    let ingress = find(&n, "GCP_INGRESS", "api");
    assert_eq!(ingress.is_public, Some(true));
    assert_eq!(
        ingress.data["ingressClassName"], "gce",
        "from the legacy annotation"
    );
    let egress = find(&n, "GCP_NETWORK_POLICY", "api-egress-dns-only");
    assert_eq!(egress.data["policyTypes"], json!(["Egress"]));
    assert_eq!(egress.data["defaultDenyIngress"], false);
    assert_eq!(egress.is_public, Some(false));
    let role = find(&n, "GCP_RBAC_ROLE", "gke-impersonator");
    assert_eq!(role.data["canEscalate"], true);
    assert_eq!(role.data["isWildcard"], false);
}

#[test]
fn docker_environments_do_not_take_kubernetes_objects() {
    let n = bulwark_inventory::normalize(Provider::Docker, None, &fixture("kubernetes/nodes.json"))
        .unwrap();
    assert!(n.assets.is_empty());
    assert_eq!(n.warnings.len(), 2);
    assert_eq!(n.warnings[0].item, "/items/0");
    assert!(n.warnings[0].message.contains("Kubernetes object"));
}
