//! Hostile input: `normalize` never panics on any JSON (arbitrary values
//! and mutated real snapshots), limits reject what they promise to, and
//! unmappable items become warnings.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "tests fail by panicking"
)]

mod common;

use bulwark_inventory::{
    IngestError, Limits, Provider, normalize, normalize_with_limits, parse_snapshot,
};
use common::*;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Keys the normalisers look at, so random objects reach deep code paths.
const KEYS: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "name",
    "namespace",
    "uid",
    "labels",
    "ownerReferences",
    "controller",
    "spec",
    "status",
    "containers",
    "initContainers",
    "containerStatuses",
    "state",
    "securityContext",
    "privileged",
    "hostNetwork",
    "ports",
    "hostPort",
    "selector",
    "nodeName",
    "providerID",
    "addresses",
    "type",
    "address",
    "rules",
    "verbs",
    "resources",
    "roleRef",
    "subjects",
    "ingress",
    "from",
    "ipBlock",
    "cidr",
    "items",
    "value",
    "data",
    "records",
    "id",
    "properties",
    "location",
    "tags",
    "networkProfile",
    "networkInterfaces",
    "ipConfigurations",
    "publicIPAddress",
    "ipAddress",
    "subnet",
    "securityRules",
    "sourceAddressPrefix",
    "access",
    "direction",
    "siteConfig",
    "appSettings",
    "agentPoolProfiles",
    "eventDataId",
    "operationName",
    "category",
    "flows",
    "flowTuples",
    "rule",
    "userPrincipalName",
    "isMfaRegistered",
    "securityEnabled",
    "mailEnabled",
    "principalId",
    "selfLink",
    "zone",
    "accessConfigs",
    "natIP",
    "network",
    "disks",
    "source",
    "metadata",
    "bindings",
    "members",
    "role",
    "resource",
    "policy",
    "resourceId",
    "acl",
    "entity",
    "storage_url",
    "logName",
    "insertId",
    "protoPayload",
    "jsonPayload",
    "connection",
    "src_ip",
    "dest_ip",
    "nodePools",
    "currentMasterVersion",
    "email",
    "uniqueId",
    "groupKey",
    "primaryEmail",
    "Id",
    "HostConfig",
    "Config",
    "ID",
    "Names",
    "Image",
    "RepoTags",
    "RootFS",
    "Repository",
    "Tag",
    "NetworkSettings",
    "Ports",
    "HostIp",
    "HostPort",
    "users",
    "groups",
    "entries",
    "Version",
];

/// Values that trigger kind detection and parsing branches.
const VALUES: &[&str] = &[
    "Pod",
    "Node",
    "Service",
    "Ingress",
    "NetworkPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ReplicaSet",
    "Deployment",
    "Job",
    "List",
    "PodList",
    "v1",
    "compute#instance",
    "compute#firewall",
    "compute#network",
    "compute#disk",
    "compute#subnetwork",
    "storage#bucket",
    "storage#policy",
    "sql#instance",
    "admin#directory#user",
    "admin#directory#group",
    "compute#instanceAggregatedList",
    "Microsoft.Compute/virtualMachines",
    "Microsoft.Network/networkInterfaces",
    "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/networkSecurityGroups",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Web/sites",
    "Microsoft.Web/sites/config",
    "Microsoft.Sql/servers",
    "Microsoft.Sql/servers/firewallRules",
    "Microsoft.ContainerService/ManagedClusters",
    "Microsoft.Authorization/roleAssignments",
    "NetworkSecurityGroupFlowEvent",
    "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Web/sites/a/config/web",
    "/subscriptions/",
    "/subnets/",
    "gs://bucket/",
    "projects/p/serviceAccounts/x@y",
    "https://container.googleapis.com/v1/projects/p/locations/l/clusters/c/nodePools/n",
    "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
    "projects/p/logs/compute.googleapis.com%2Fvpc_flows",
    "0.0.0.0/0",
    "*",
    "Internet",
    "Inbound",
    "Allow",
    "LoadBalancer",
    "ExternalIP",
    "1709287200,198.51.100.23,10.10.1.4,51544,22,T,I,A,E,15,2100,12,3300",
    "1,2,3,4,5,T,O,D",
    ",,,,,,,,,,,,,,,,",
    "allUsers",
    "roles/owner",
    "gce://p/z/i",
    "azure:///subscriptions/s/x",
    "aws:///z/i-1",
    "true",
    "FALSE",
    "-1",
    "99999999999999999999",
    "",
    "é",
    "\u{0}",
    "registry:5000/a/b:c@sha256:00",
    "<none>",
    "sha256:abc",
    "a:b:c/d",
    "::",
    "0.0.0.0",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        proptest::sample::select(VALUES).prop_map(|s| Value::String(s.to_owned())),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((proptest::sample::select(KEYS), inner), 0..10).prop_map(
                |entries| {
                    let map: Map<String, Value> = entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect();
                    Value::Object(map)
                }
            ),
        ]
    })
}

fn arb_provider() -> impl Strategy<Value = Provider> {
    proptest::sample::select(Provider::ALL.to_vec())
}

fn arb_hint() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(proptest::sample::select(
        &[
            "AZURE_HOST",
            "AZURE_USER",
            "GCP_HOST",
            "GCP_BUCKET",
            "NATIVE_POD",
            "AWS_POD",
            "pods",
            "Pod",
            "compute#instance",
            "Microsoft.Compute/virtualMachines",
            "docker ps",
            "IMAGE_REGISTRY",
            "az vm list",
            "nonsense",
        ][..],
    ))
}

/// Real snapshots with their providers, for structure-aware mutation;
/// read once, cloned per case.
fn seeds() -> &'static [(Provider, Value)] {
    static SEEDS: std::sync::OnceLock<Vec<(Provider, Value)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        [
            (Provider::Azure, "azure/vm_list_d.json"),
            (Provider::Azure, "azure/nic_list.json"),
            (Provider::Azure, "azure/functionapp_arm_export.json"),
            (Provider::Azure, "azure/nsg_flow_log_PT1H.json"),
            (Provider::Azure, "azure/graph_users.json"),
            (Provider::Azure, "azure/aks_list.json"),
            (Provider::Gcp, "gcp/instances_list.json"),
            (Provider::Gcp, "gcp/clusters_list.json"),
            (Provider::Gcp, "gcp/logging_vpc_flows.json"),
            (Provider::Gcp, "gcp/asset_iam_policies.json"),
            (Provider::Kubernetes, "kubernetes/pods.json"),
            (Provider::Kubernetes, "kubernetes/rbac.json"),
            (Provider::Docker, "docker/inspect_containers.json"),
        ]
        .into_iter()
        .map(|(provider, file)| (provider, bundle(&[file, file])))
        .collect()
    })
}

/// Replaces the node reached by following `path` (child indices modulo
/// the number of children) with `replacement`.
fn mutate(value: &mut Value, path: &[usize], replacement: Value) {
    let Some((step, rest)) = path.split_first() else {
        *value = replacement;
        return;
    };
    match value {
        Value::Array(a) if !a.is_empty() => {
            let len = a.len();
            mutate(&mut a[step % len], rest, replacement);
        }
        Value::Object(o) if !o.is_empty() => {
            let len = o.len();
            mutate(o.values_mut().nth(step % len).unwrap(), rest, replacement);
        }
        _ => *value = replacement,
    }
}

proptest! {
    // 512 cases by default; `PROPTEST_CASES=100000` for a longer hunt.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn normalize_never_panics_on_arbitrary_json(
        value in arb_json(),
        provider in arb_provider(),
        hint in arb_hint(),
    ) {
        if let Ok(normalized) = normalize(provider, hint, &value) {
            // Whatever came out can be stored and served.
            prop_assert!(serde_json::to_string(&normalized).is_ok());
        }
    }

    #[test]
    fn normalize_never_panics_on_mutated_snapshots(
        seed in 0usize..13,
        path in proptest::collection::vec(any::<usize>(), 0..12),
        replacement in arb_json(),
        hint in arb_hint(),
    ) {
        let (provider, value) = &seeds()[seed];
        let (provider, mut value) = (*provider, value.clone());
        mutate(&mut value, &path, replacement);
        let normalized = normalize(provider, hint, &value);
        if let Ok(normalized) = normalized {
            prop_assert!(serde_json::to_string(&normalized).is_ok());
        }
    }

    #[test]
    fn parse_snapshot_never_panics(text in "(\\PC|[\\[\\]{}\",:\n])*") {
        let _ = parse_snapshot(&text, &Limits::default());
    }
}

#[test]
fn mutation_reaches_deep_nodes() {
    let mut value = json!({ "a": [1, { "b": [2, 3] }] });
    mutate(&mut value, &[0, 1, 0, 1], json!("x"));
    assert_eq!(value, json!({ "a": [1, { "b": [2, "x"] }] }));
}

#[test]
fn very_deep_values_are_rejected_without_recursion() {
    let mut value = json!({ "kind": "Pod" });
    for _ in 0..200_000 {
        value = Value::Array(vec![value]);
    }
    let result = normalize(Provider::Kubernetes, None, &value);
    assert_eq!(result.unwrap_err(), IngestError::TooDeep { limit: 64 });
    // Dropping 200,000 nested arrays would recurse as deep; leak instead.
    std::mem::forget(value);
}

#[test]
fn deep_text_is_a_syntax_error() {
    let text = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    let error = parse_snapshot(&text, &Limits::default()).unwrap_err();
    assert!(matches!(error, IngestError::Syntax { .. }), "{error}");
    assert!(error.to_string().contains("recursion limit"), "{error}");
}

#[test]
fn limits_are_enforced() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        parse_snapshot("[1, 2, 3, 4, 5]", &limits).unwrap_err(),
        IngestError::TooLarge { limit: 10 }
    );
    let pods = fixture("kubernetes/pods.json");
    let few_items = Limits {
        max_items: 2,
        ..Limits::default()
    };
    assert_eq!(
        normalize_with_limits(Provider::Kubernetes, None, &pods, &few_items).unwrap_err(),
        IngestError::TooManyItems { limit: 2 }
    );
    let few_nodes = Limits {
        max_nodes: 50,
        ..Limits::default()
    };
    assert_eq!(
        normalize_with_limits(Provider::Kubernetes, None, &pods, &few_nodes).unwrap_err(),
        IngestError::TooManyNodes { limit: 50 }
    );
    let few_assets = Limits {
        max_assets: 2,
        ..Limits::default()
    };
    let n = normalize_with_limits(Provider::Kubernetes, None, &pods, &few_assets).unwrap();
    assert_eq!(n.assets.len(), 2);
    assert_eq!(
        n.warnings.last().unwrap().message,
        "stopped at the output limit (2 assets, 536870912 bytes) with 2 assets; 1 later items were not mapped and the last mapped item may be incomplete"
    );
    let few_warnings = Limits {
        max_warnings: 2,
        ..Limits::default()
    };
    let garbage = json!([1, 2, 3, 4, 5]);
    let n = normalize_with_limits(Provider::Azure, None, &garbage, &few_warnings).unwrap();
    assert_eq!(n.warnings.len(), 3);
    assert_eq!(n.warnings[2].message, "3 more warnings were not reported");
}

#[test]
fn whole_snapshot_errors() {
    assert_eq!(
        normalize(Provider::Azure, None, &json!("az vm list")).unwrap_err(),
        IngestError::NotASnapshot { found: "a string" }
    );
    assert_eq!(
        parse_snapshot("  \n", &Limits::default()).unwrap_err(),
        IngestError::Empty
    );
    let error = parse_snapshot("[{\"a\": }]", &Limits::default()).unwrap_err();
    assert!(
        matches!(
            error,
            IngestError::Syntax {
                line: 1,
                column: 8,
                ..
            }
        ),
        "{error:?}"
    );
    let empty = normalize(Provider::Azure, None, &json!([])).unwrap();
    assert!(empty.assets.is_empty() && empty.warnings.is_empty());
}

#[test]
fn unrecognised_items_are_warnings_with_their_position() {
    let snapshot = json!({
        "value": [
            { "id": "x", "displayName": "no type here" },
            "a string",
            { "type": "Microsoft.Compute/virtualMachines", "name": "no-id" }
        ]
    });
    let n = normalize(Provider::Azure, None, &snapshot).unwrap();
    assert!(n.assets.is_empty());
    assert_eq!(n.warnings.len(), 3);
    assert_eq!(n.warnings[0].item, "/value/0");
    assert!(
        n.warnings[0].message.contains("fields: id, displayName")
            || n.warnings[0].message.contains("fields: displayName, id")
    );
    assert_eq!(n.warnings[1].message, "an item must be a JSON object");
    assert_eq!(n.warnings[2].message, "Azure resource without an `id`");
    assert_eq!(
        n.warnings[2].kind.as_deref(),
        Some("Microsoft.Compute/virtualMachines")
    );
}

#[test]
fn kind_hints_cover_items_without_a_type() {
    let snapshot = json!([{ "id": "u-1", "displayName": "Hinted User", "accountEnabled": true }]);
    let n = normalize(Provider::Azure, Some("AZURE_USER"), &snapshot).unwrap();
    let user = find(&n, "AZURE_USER", "Hinted User");
    assert_eq!(user.data["isActive"], true);
    let same = normalize(Provider::Azure, Some("az ad user list"), &snapshot).unwrap();
    assert_eq!(same.assets, n.assets);

    let error = normalize(Provider::Azure, Some("GCP_HOST"), &snapshot).unwrap_err();
    assert!(matches!(
        error,
        IngestError::UnknownKindHint {
            provider: Provider::Azure,
            ..
        }
    ));
    let long = "x".repeat(500);
    let IngestError::UnknownKindHint { hint, .. } =
        normalize(Provider::Gcp, Some(&long), &snapshot).unwrap_err()
    else {
        panic!("wrong error");
    };
    assert_eq!(hint.chars().count(), 81, "shortened with an ellipsis");
    for hint in [
        "pods",
        "kubectl get svc -A -o json",
        "Pod",
        "NATIVE_RBAC_ROLE",
    ] {
        assert!(
            normalize(Provider::Kubernetes, Some(hint), &snapshot).is_ok(),
            "{hint}"
        );
    }
    assert!(normalize(Provider::Docker, Some("IMAGE_REGISTRY"), &snapshot).is_ok());
}

#[test]
fn nesting_beyond_the_envelope_bound_is_reported_not_followed() {
    let mut value = json!({ "kind": "Pod", "apiVersion": "v1", "metadata": { "name": "deep" } });
    for _ in 0..6 {
        value = Value::Array(vec![value]);
    }
    let n = normalize(Provider::Kubernetes, None, &value).unwrap();
    assert!(n.assets.is_empty());
    assert_eq!(n.warnings.len(), 1);
    assert_eq!(n.warnings[0].item, "/0/0/0/0");
}

#[test]
fn fill_missing_account_only_fills_empty_ones() {
    let mut n = run(Provider::Kubernetes, &["kubernetes/pods.json"]);
    n.fill_missing_account("cluster-ams-1");
    assert!(n.assets.iter().all(|a| a.account_id == "cluster-ams-1"));
    let mut azure = run(
        Provider::Azure,
        &["azure/vm_list_d.json", "azure/graph_users.json"],
    );
    azure.fill_missing_account("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
    let accounts: std::collections::BTreeSet<&str> =
        azure.assets.iter().map(|a| a.account_id.as_str()).collect();
    assert_eq!(accounts.len(), 1);
}

#[test]
fn joins_stop_at_the_comparison_budget() {
    let snapshot = bundle(&[
        "kubernetes/nodes.json",
        "kubernetes/pods.json",
        "kubernetes/services.json",
        "kubernetes/rbac.json",
    ]);
    let tight = Limits {
        max_join_comparisons: 0,
        ..Limits::default()
    };
    let n = normalize_with_limits(Provider::Kubernetes, None, &snapshot, &tight).unwrap();
    let web = find(&n, "NATIVE_POD", "web-7d9f8c6b5-x2k9q");
    assert_eq!(web.is_public, Some(false), "service join skipped");
    assert_eq!(n.warnings.len(), 1);
    assert!(
        n.warnings[0]
            .message
            .starts_with("joins between items stopped after 0 comparisons")
    );
    let full = normalize(Provider::Kubernetes, None, &snapshot).unwrap();
    assert_eq!(
        find(&full, "NATIVE_POD", "web-7d9f8c6b5-x2k9q").is_public,
        Some(true)
    );
}

#[test]
fn many_pods_and_public_services_stay_fast() {
    let count = 3_000;
    let mut items = Vec::new();
    for i in 0..count {
        items.push(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": { "name": format!("p{i}"), "namespace": "x", "uid": format!("p{i}"), "labels": { "app": format!("a{i}") } },
            "spec": { "containers": [ { "name": "c", "image": "nginx" } ] }
        }));
        items.push(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": { "name": format!("s{i}"), "namespace": "x", "uid": format!("s{i}") },
            "spec": { "type": "LoadBalancer", "selector": { "app": format!("a{i}") } },
            "status": { "loadBalancer": { "ingress": [ { "ip": "198.51.100.1" } ] } }
        }));
    }
    let snapshot = json!({ "apiVersion": "v1", "kind": "List", "metadata": {}, "items": items });
    let started = std::time::Instant::now();
    let n = normalize(Provider::Kubernetes, None, &snapshot).unwrap();
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(of_key(&n, "NATIVE_POD").len(), count);
    assert!(
        of_key(&n, "NATIVE_POD")
            .iter()
            .all(|p| p.is_public == Some(true))
    );
}

#[test]
fn a_long_string_shared_by_many_records_cannot_blow_up_the_output() {
    let nsg = format!(
        "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/{}",
        "N".repeat(1_000_000)
    );
    let tuples: Vec<String> = (0..20_000)
        .map(|i| format!("{i},198.51.100.1,10.0.0.4,1000,22,T,I,A,B,,,,"))
        .collect();
    let snapshot = json!({ "records": [ {
        "category": "NetworkSecurityGroupFlowEvent",
        "resourceId": nsg,
        "properties": { "Version": 2, "flows": [ { "rule": "r", "flows": [ { "mac": "m", "flowTuples": tuples } ] } ] }
    } ] });
    let limits = Limits {
        max_output_bytes: 20 * 1024 * 1024,
        ..Limits::default()
    };
    let started = std::time::Instant::now();
    let n = normalize_with_limits(Provider::Azure, None, &snapshot, &limits).unwrap();
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
    // Each asset holds the id twice (resource id and data.nsgId).
    assert!(
        (5..=10).contains(&n.assets.len()),
        "{} assets",
        n.assets.len()
    );
    assert!(
        n.warnings[0]
            .message
            .starts_with("stopped at the output limit")
    );
}

#[test]
fn max_depth_is_capped_at_128() {
    let mut value = json!({});
    for _ in 0..200 {
        value = Value::Array(vec![value]);
    }
    let lax = Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    };
    assert_eq!(
        normalize_with_limits(Provider::Azure, None, &value, &lax).unwrap_err(),
        IngestError::TooDeep { limit: 128 }
    );
}
