//! `*_POD` and `*_CONTAINER` from pods (`kubectl get pods -A -o json`): one
//! asset per pod and one per container, init container and ephemeral
//! container. `data` is exactly the seed's pod and container `moreInfo` of
//! `GET /api/v1/containers`. Environment variables are never copied.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::cluster::external_ip;
use super::{Ctx, items, namespace, object_id, selects};
use crate::json::{at, bool_at, i64_at, mapped, str_at};
use crate::normalize::Out;
use crate::snapshot::Item;

/// Container lists of a pod spec and the status list of each.
const CONTAINER_LISTS: [(&str, &str); 3] = [
    ("containers", "containerStatuses"),
    ("initContainers", "initContainerStatuses"),
    ("ephemeralContainers", "ephemeralContainerStatuses"),
];

pub(super) fn pod(ctx: &Ctx<'_, '_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let spec = at(v, &["spec"]).cloned().unwrap_or(Value::Null);
    let node_name = str_at(&spec, &["nodeName"]);
    let Some(base) = ctx.base(v, ctx.ix.node_region(node_name)) else {
        return;
    };
    let containers: Vec<&Value> = CONTAINER_LISTS
        .iter()
        .flat_map(|(list, _)| items(&spec, &[list]))
        .collect();
    let privileged = containers
        .iter()
        .any(|c| bool_at(c, &["securityContext", "privileged"]) == Some(true));
    let is_public = pod_is_public(ctx, v, &spec, node_name, &containers);
    let mut security = at(&spec, &["securityContext"])
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // Host namespaces are pod-level security settings in all but name.
    for flag in ["hostNetwork", "hostPID", "hostIPC"] {
        if let Some(value) = bool_at(&spec, &[flag]) {
            security.insert(flag.to_owned(), Value::Bool(value));
        }
    }
    let data = json!({
        "instanceId": str_at(v, &["metadata", "uid"]),
        "namespace": namespace(v),
        "nodeName": node_name,
        "privateIP": str_at(v, &["status", "podIP"]),
        "status": str_at(v, &["status", "phase"]),
        "startTime": str_at(v, &["status", "startTime"]),
        "subDomain": str_at(&spec, &["subdomain"]),
        "spawnedBy": spawned_by(ctx, v),
        "serviceAccount": str_at(&spec, &["serviceAccountName"]).or_else(|| str_at(&spec, &["serviceAccount"])),
        "hostIP": str_at(v, &["status", "hostIP"]),
        "isPublic": is_public,
        "isPrivileged": privileged,
        "cloudProvider": ctx.flavour.cloud,
        "cloudProviderId": ctx.cloud_id(),
        // Kubernetes mounts the token unless told not to.
        "automountServiceAccountToken": bool_at(&spec, &["automountServiceAccountToken"]).unwrap_or(true),
        "mappedPodSecurityContext": if security.is_empty() { Value::Null } else { mapped(Some(&Value::Object(security))) },
        "mappedTags": mapped(at(v, &["metadata", "labels"])),
        "mappedNodeSelector": mapped(at(&spec, &["nodeSelector"])),
        "mappedOwnerRefList": mapped(at(v, &["metadata", "ownerReferences"])),
    });
    out.push(base.asset(&ctx.flavour.key("POD"), Some(is_public), data));

    let pod_id = object_id(v);
    for (list, statuses) in CONTAINER_LISTS {
        // By name, so a pod with many containers stays linear.
        let by_name: HashMap<&str, &Value> = items(v, &["status", statuses])
            .iter()
            .filter_map(|s| Some((str_at(s, &["name"])?, s)))
            .collect();
        for container in items(&spec, &[list]) {
            if out.is_full() {
                return;
            }
            let Some(name) = str_at(container, &["name"]) else {
                out.warn(item, format!("a container in `spec.{list}` has no name"));
                continue;
            };
            let status = by_name.get(name).copied();
            let data = container_data(ctx, container, status);
            let mut container_base = base.clone();
            container_base.id = format!("{pod_id}/{name}");
            container_base.name = name.to_owned();
            out.push(container_base.asset(&ctx.flavour.key("CONTAINER"), Some(is_public), data));
        }
    }
}

fn container_data(ctx: &Ctx<'_, '_>, container: &Value, status: Option<&Value>) -> Value {
    let state = status.and_then(|s| at(s, &["state"]));
    let state_name = state
        .and_then(Value::as_object)
        .and_then(|s| s.keys().next().cloned());
    let started = state.and_then(|s| {
        str_at(s, &["running", "startedAt"]).or_else(|| str_at(s, &["terminated", "startedAt"]))
    });
    let privileged = bool_at(container, &["securityContext", "privileged"]).unwrap_or(false);
    // Unset means allowed; privileged containers always can escalate.
    let escalation = privileged
        || bool_at(container, &["securityContext", "allowPrivilegeEscalation"]).unwrap_or(true);
    json!({
        "instanceId": status.and_then(|s| str_at(s, &["containerID"])),
        "image": str_at(container, &["image"]),
        "imagePullPolicy": str_at(container, &["imagePullPolicy"]),
        "status": state_name,
        "startedTime": started,
        "restartCount": status.and_then(|s| i64_at(s, &["restartCount"])),
        "allowPrivilegeEscalation": escalation,
        "privileged": privileged,
        "workingDir": str_at(container, &["workingDir"]),
        "isStdin": bool_at(container, &["stdin"]).unwrap_or(false),
        "isStdinOnce": bool_at(container, &["stdinOnce"]).unwrap_or(false),
        "cloudProvider": ctx.flavour.cloud,
        "cloudProviderId": ctx.cloud_id(),
        "mappedPorts": mapped(at(container, &["ports"])),
        "mappedSecurityContext": mapped(at(container, &["securityContext"])),
        "mappedCommands": mapped(at(container, &["command"])),
        "mappedArgs": mapped(at(container, &["args"])),
    })
}

/// Reachable from the internet: selected by a public service, or bound to
/// the host network or a host port of a node with an external IP.
fn pod_is_public(
    ctx: &Ctx<'_, '_>,
    pod: &Value,
    spec: &Value,
    node_name: Option<&str>,
    containers: &[&Value],
) -> bool {
    let labels = at(pod, &["metadata", "labels"]);
    let pod_namespace = namespace(pod);
    let public_services = &ctx.ix.public_services;
    let by_service = ctx.budget.take(public_services.len())
        && public_services.iter().any(|svc| {
            namespace(svc) == pod_namespace && selects(at(svc, &["spec", "selector"]), labels)
        });
    let on_host = bool_at(spec, &["hostNetwork"]) == Some(true)
        || containers
            .iter()
            .flat_map(|c| items(c, &["ports"]))
            .any(|p| i64_at(p, &["hostPort"]).is_some());
    let node_public = node_name
        .and_then(|n| ctx.ix.nodes.get(n))
        .is_some_and(|n| external_ip(n).is_some());
    by_service || (on_host && node_public)
}

/// `Kind/name` of the top controller: a ReplicaSet's Deployment, a Job's
/// CronJob, when the snapshot has the intermediate object.
fn spawned_by(ctx: &Ctx<'_, '_>, pod: &Value) -> Value {
    let Some(owner) = controller_of(pod) else {
        return Value::Null;
    };
    let (mut kind, mut name) = owner;
    let pod_namespace = namespace(pod).to_owned();
    // Two hops at most: Pod → ReplicaSet → Deployment, Pod → Job → CronJob.
    for _ in 0..2 {
        let key = (kind.to_owned(), pod_namespace.clone(), name.to_owned());
        let Some(parent) = ctx.ix.controllers.get(&key).and_then(|c| controller_of(c)) else {
            break;
        };
        (kind, name) = parent;
    }
    Value::String(format!("{kind}/{name}"))
}

fn controller_of(v: &Value) -> Option<(&str, &str)> {
    let owners = items(v, &["metadata", "ownerReferences"]);
    let owner = owners
        .iter()
        .find(|o| bool_at(o, &["controller"]) == Some(true))
        .or_else(|| owners.first())?;
    Some((str_at(owner, &["kind"])?, str_at(owner, &["name"])?))
}
