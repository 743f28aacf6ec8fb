//! `*_NODE` (exactly the seed's node `moreInfo`), `*_SERVICE`,
//! `*_INGRESS`, `*_NETWORK_POLICY` and `*_RBAC_ROLE` (Roles and
//! ClusterRoles, with the subjects their bindings in the snapshot grant
//! them to).

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{Ctx, K8sIndex, annotation, items, namespace, region_label};
use crate::json::{at, i64_at, is_anywhere, is_public_ip, last_segment, mapped, str_at, strings};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(crate) fn external_ip(node: &Value) -> Option<&str> {
    items(node, &["status", "addresses"])
        .iter()
        .find(|a| str_at(a, &["type"]) == Some("ExternalIP"))
        .and_then(|a| str_at(a, &["address"]))
}

pub(super) fn node(ctx: &Ctx<'_, '_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(base) = ctx.base(v, region_label(v)) else {
        return;
    };
    let provider_id = str_at(v, &["spec", "providerID"]);
    let info = at(v, &["status", "nodeInfo"])
        .cloned()
        .unwrap_or(Value::Null);
    let public_ip = external_ip(v);
    let data = json!({
        "instanceId": str_at(v, &["metadata", "uid"]),
        // Nodes are not namespaced; the seed's sample still has the field.
        "namespace": null,
        "publicIp": public_ip,
        "vmId": provider_id.map(last_segment).or_else(|| str_at(&info, &["systemUUID"])),
        "provider": provider_id.and_then(|p| p.split_once("://")).map(|(scheme, _)| scheme),
        "providerId": provider_id,
        "podCIDR": str_at(v, &["spec", "podCIDR"]),
        "containerVersion": str_at(&info, &["containerRuntimeVersion"]),
        "kernelVersion": str_at(&info, &["kernelVersion"]),
        "kubeProxyVersion": str_at(&info, &["kubeProxyVersion"]),
        "kubeletVersion": str_at(&info, &["kubeletVersion"]),
        "startTime": str_at(v, &["metadata", "creationTimestamp"]),
        "cloudProvider": ctx.flavour.cloud,
        "cloudProviderId": ctx.cloud_id(),
        "mappedAddresses": mapped(at(v, &["status", "addresses"])),
        "mappedTags": mapped(at(v, &["metadata", "labels"])),
    });
    out.push(base.asset(&ctx.flavour.key("NODE"), Some(public_ip.is_some()), data));
}

/// Annotations that make a cloud load balancer internal.
const INTERNAL_LB: [(&str, &str); 5] = [
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
];

fn internal_load_balancer(svc: &Value) -> bool {
    INTERNAL_LB
        .iter()
        .any(|(name, value)| annotation(svc, name).is_some_and(|a| a.eq_ignore_ascii_case(value)))
}

/// Reachable from the internet: external IPs, an external load balancer
/// not limited to some source ranges, or a NodePort on public nodes.
pub(crate) fn service_is_public(ix: &K8sIndex<'_>, svc: &Value) -> bool {
    let kind = str_at(svc, &["spec", "type"]).unwrap_or("ClusterIP");
    let ranges = strings(items(svc, &["spec", "loadBalancerSourceRanges"]));
    let unrestricted = ranges.is_empty() || ranges.iter().any(|r| is_anywhere(r));
    let external_ips = !items(svc, &["spec", "externalIPs"]).is_empty();
    let load_balancer = kind == "LoadBalancer"
        && !internal_load_balancer(svc)
        && unrestricted
        && !items(svc, &["status", "loadBalancer", "ingress"]).is_empty();
    // Load balancers also open node ports; source ranges show the owner
    // meant to restrict them, so those count as restricted too.
    let node_port =
        (kind == "NodePort" || (kind == "LoadBalancer" && unrestricted)) && ix.public_nodes;
    external_ips || load_balancer || node_port
}

pub(super) fn service(ctx: &Ctx<'_, '_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(base) = ctx.base(v, None) else {
        return;
    };
    let is_public = service_is_public(ctx.ix, v);
    let ports: Vec<Value> = items(v, &["spec", "ports"])
        .iter()
        .map(|p| {
            json!({
                "name": str_at(p, &["name"]),
                "protocol": str_at(p, &["protocol"]).unwrap_or("TCP"),
                "port": i64_at(p, &["port"]),
                "targetPort": at(p, &["targetPort"]),
                "nodePort": i64_at(p, &["nodePort"]),
            })
        })
        .collect();
    let data = json!({
        "instanceId": str_at(v, &["metadata", "uid"]),
        "namespace": namespace(v),
        "type": str_at(v, &["spec", "type"]).unwrap_or("ClusterIP"),
        "clusterIP": str_at(v, &["spec", "clusterIP"]),
        "externalIPs": strings(items(v, &["spec", "externalIPs"])),
        "loadBalancerIngress": lb_addresses(v),
        "loadBalancerSourceRanges": strings(items(v, &["spec", "loadBalancerSourceRanges"])),
        "internalLoadBalancer": internal_load_balancer(v),
        "externalTrafficPolicy": str_at(v, &["spec", "externalTrafficPolicy"]),
        "ports": ports,
        "selector": at(v, &["spec", "selector"]),
        "creationTimestamp": str_at(v, &["metadata", "creationTimestamp"]),
        "cloudProvider": ctx.flavour.cloud,
    });
    out.push(base.asset(&ctx.flavour.key("SERVICE"), Some(is_public), data));
}

fn lb_addresses(v: &Value) -> Vec<&str> {
    items(v, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| str_at(i, &["ip"]).or_else(|| str_at(i, &["hostname"])))
        .collect()
}

pub(super) fn ingress(ctx: &Ctx<'_, '_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(base) = ctx.base(v, None) else {
        return;
    };
    let tls_hosts: Vec<&str> = items(v, &["spec", "tls"])
        .iter()
        .flat_map(|t| items(t, &["hosts"]))
        .filter_map(Value::as_str)
        .collect();
    let tls_set: HashSet<&str> = tls_hosts.iter().copied().collect();
    let rules: Vec<Value> = items(v, &["spec", "rules"])
        .iter()
        .map(|rule| {
            let paths: Vec<Value> = items(rule, &["http", "paths"])
                .iter()
                .map(|p| {
                    json!({
                        "path": str_at(p, &["path"]),
                        "pathType": str_at(p, &["pathType"]),
                        "serviceName": str_at(p, &["backend", "service", "name"])
                            .or_else(|| str_at(p, &["backend", "serviceName"])),
                        "servicePort": at(p, &["backend", "service", "port"])
                            .or_else(|| at(p, &["backend", "servicePort"])),
                    })
                })
                .collect();
            json!({"host": str_at(rule, &["host"]), "paths": paths})
        })
        .collect();
    let without_tls: Vec<&str> = items(v, &["spec", "rules"])
        .iter()
        .filter_map(|r| str_at(r, &["host"]))
        .filter(|host| !tls_set.contains(host))
        .collect();
    let addresses = lb_addresses(v);
    // A hostname is a cloud load balancer's public name; an IP must be.
    let is_public = addresses
        .iter()
        .any(|a| a.parse::<std::net::IpAddr>().is_err() || is_public_ip(a));
    let data = json!({
        "instanceId": str_at(v, &["metadata", "uid"]),
        "namespace": namespace(v),
        "ingressClassName": str_at(v, &["spec", "ingressClassName"])
            .or_else(|| annotation(v, "kubernetes.io/ingress.class")),
        "rules": rules,
        "tlsHosts": tls_hosts,
        "hostsWithoutTls": without_tls,
        "loadBalancer": addresses,
        "creationTimestamp": str_at(v, &["metadata", "creationTimestamp"]),
        "cloudProvider": ctx.flavour.cloud,
    });
    out.push(base.asset(&ctx.flavour.key("INGRESS"), Some(is_public), data));
}

pub(super) fn network_policy(ctx: &Ctx<'_, '_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(base) = ctx.base(v, None) else {
        return;
    };
    let ingress = items(v, &["spec", "ingress"]);
    let egress = items(v, &["spec", "egress"]);
    let mut types = strings(items(v, &["spec", "policyTypes"]));
    if types.is_empty() {
        // The API server's default when the field is omitted.
        types.push("Ingress".to_owned());
        if !egress.is_empty() {
            types.push("Egress".to_owned());
        }
    }
    let applies = |t: &str| types.iter().any(|x| x == t);
    let allows_all = ingress.iter().any(|rule| items(rule, &["from"]).is_empty());
    let from_internet = ingress.iter().any(|rule| {
        items(rule, &["from"])
            .iter()
            .filter_map(|peer| str_at(peer, &["ipBlock", "cidr"]))
            .any(is_anywhere)
    });
    let data = json!({
        "instanceId": str_at(v, &["metadata", "uid"]),
        "namespace": namespace(v),
        "podSelector": at(v, &["spec", "podSelector"]),
        "policyTypes": types,
        "ingressRules": ingress.len(),
        "egressRules": egress.len(),
        "allowsAllIngress": applies("Ingress") && allows_all,
        "allowsInternetIngress": applies("Ingress") && (allows_all || from_internet),
        "defaultDenyIngress": applies("Ingress") && ingress.is_empty(),
        "defaultDenyEgress": applies("Egress") && egress.is_empty(),
        "creationTimestamp": str_at(v, &["metadata", "creationTimestamp"]),
        "cloudProvider": ctx.flavour.cloud,
    });
    // An ingress rule without `from` admits every source, outside ones too.
    let is_public = applies("Ingress") && (allows_all || from_internet);
    out.push(base.asset(&ctx.flavour.key("NETWORK_POLICY"), Some(is_public), data));
}

/// Verbs that let a subject give itself more rights.
const ESCALATING_VERBS: [&str; 3] = ["escalate", "bind", "impersonate"];
/// Groups every (even anonymous) caller belongs to.
const EVERYONE: [&str; 2] = ["system:unauthenticated", "system:anonymous"];

pub(super) fn role(ctx: &Ctx<'_, '_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(base) = ctx.base(v, None) else {
        return;
    };
    let kind = str_at(v, &["kind"]).unwrap_or("Role");
    let cluster_role = kind == "ClusterRole";
    let name = str_at(v, &["metadata", "name"]).unwrap_or_default();
    let rules = items(v, &["rules"]);
    let has = |rule: &Value, field: &str, wanted: &[&str]| {
        items(rule, &[field])
            .iter()
            .filter_map(Value::as_str)
            .any(|x| x == "*" || wanted.contains(&x))
    };
    let wildcard = rules
        .iter()
        .any(|r| has(r, "verbs", &[]) || has(r, "resources", &[]));
    let reads_secrets = rules
        .iter()
        .any(|r| has(r, "resources", &["secrets"]) && has(r, "verbs", &["get", "list", "watch"]));
    let escalates = rules.iter().any(|r| has(r, "verbs", &ESCALATING_VERBS));
    let bindings: &[&Value] = if ctx.budget.take(ctx.ix.bindings.len()) {
        &ctx.ix.bindings
    } else {
        &[]
    };
    let mut subjects: Vec<Value> = Vec::new();
    for binding in bindings
        .iter()
        .filter(|b| binds(b, kind, name, cluster_role, v))
    {
        let bound = items(binding, &["subjects"]);
        // Subjects are copied into every role a binding names: budgeted.
        if !ctx.budget.take(bound.len()) {
            break;
        }
        let binding_name = str_at(binding, &["metadata", "name"]);
        subjects.extend(bound.iter().map(|s| {
            json!({
                "kind": str_at(s, &["kind"]),
                "name": str_at(s, &["name"]),
                "namespace": str_at(s, &["namespace"]),
                "binding": binding_name,
            })
        }));
    }
    let everyone = subjects
        .iter()
        .any(|s| str_at(s, &["name"]).is_some_and(|n| EVERYONE.contains(&n)));
    let data = json!({
        "instanceId": str_at(v, &["metadata", "uid"]),
        "kind": kind,
        "namespace": if cluster_role { None } else { Some(namespace(v)) },
        "rules": rules.iter().map(|r| json!({
            "apiGroups": strings(items(r, &["apiGroups"])),
            "resources": strings(items(r, &["resources"])),
            "verbs": strings(items(r, &["verbs"])),
            "resourceNames": strings(items(r, &["resourceNames"])),
            "nonResourceURLs": strings(items(r, &["nonResourceURLs"])),
        })).collect::<Vec<_>>(),
        "isWildcard": wildcard,
        "canReadSecrets": reads_secrets,
        "canEscalate": escalates,
        "boundSubjects": subjects,
        "boundToEveryone": everyone,
        "isAggregated": at(v, &["aggregationRule"]).is_some(),
        "isSystem": name.starts_with("system:"),
        "creationTimestamp": str_at(v, &["metadata", "creationTimestamp"]),
        "cloudProvider": ctx.flavour.cloud,
    });
    out.push(base.asset(&ctx.flavour.key("RBAC_ROLE"), Some(everyone), data));
}

/// Whether a binding grants this role: a RoleBinding in the Role's
/// namespace, or any binding of a ClusterRole.
fn binds(binding: &Value, kind: &str, name: &str, cluster_role: bool, role: &Value) -> bool {
    let refers = str_at(binding, &["roleRef", "kind"]) == Some(kind)
        && str_at(binding, &["roleRef", "name"]) == Some(name);
    refers && (cluster_role || namespace(binding) == namespace(role))
}
