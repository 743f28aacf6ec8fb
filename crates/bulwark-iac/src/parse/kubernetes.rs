//! Kubernetes manifests (also what Helm and Kustomize render).
//!
//! Each object is a resource of its own kind. Workloads additionally yield a
//! synthetic `PodSpec` resource and one `Container` resource per container,
//! so one rule covers pods, deployments, cron jobs and the rest alike; a
//! container sees its pod spec as `@pod`.

use crate::model::{FileId, Framework, Node, Resource, Skip, Span};
use crate::parse::skips;

const SKIP_ANNOTATION: &str = "bulwark.io/skip-";

/// Kinds without a namespace; their address is `Kind/name`.
const CLUSTER_SCOPED: &[&str] = &[
    "ClusterRole",
    "ClusterRoleBinding",
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "CustomResourceDefinition",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "PodSecurityPolicy",
    "IngressClass",
    "RuntimeClass",
];

pub fn is_manifest(doc: &Node) -> bool {
    doc.get("apiVersion").and_then(Node::as_str).is_some()
        && doc.get("kind").and_then(Node::as_str).is_some()
}

pub fn resources(_file: FileId, doc: &Node, text: &str) -> Vec<Resource> {
    let comment_skips = skips::comment_skips(text);
    let mut out = Vec::new();
    collect(doc, text, &comment_skips, &mut out, 0);
    out
}

fn collect(
    doc: &Node,
    text: &str,
    comment_skips: &[(u32, Skip)],
    out: &mut Vec<Resource>,
    depth: u32,
) {
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    if kind.ends_with("List") && depth < 4 {
        for item in doc.get("items").map(Node::elements).unwrap_or_default() {
            if is_manifest(item) {
                collect(item, text, comment_skips, out, depth + 1);
            }
        }
        return;
    }
    let metadata = doc.get("metadata");
    let name = metadata
        .and_then(|m| m.get("name"))
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| "default".to_string());
    let address = if CLUSTER_SCOPED.contains(&kind) {
        format!("{kind}/{name}")
    } else {
        format!("{kind}/{namespace}/{name}")
    };
    let mut skip_list = annotation_skips(metadata);
    skip_list.extend(skips::skips_for(
        comment_skips,
        text,
        doc.span.start_line,
        doc.span.end_line,
    ));
    let resource =
        |kind: &str, address: String, span: Span, body: Node, context: Vec<(String, Node)>| {
            Resource {
                framework: Framework::Kubernetes,
                kind: kind.to_string(),
                address,
                span,
                body,
                context,
                skips: skip_list.clone(),
            }
        };
    out.push(resource(
        kind,
        address.clone(),
        doc.span,
        doc.clone(),
        Vec::new(),
    ));

    let Some((pod_spec, template_meta)) = pod_spec(kind, doc) else {
        return;
    };
    let mut pod_skips = skip_list.clone();
    pod_skips.extend(annotation_skips(template_meta));
    let mut ctx = vec![("object".to_string(), doc.clone())];
    if let Some(meta) = metadata {
        ctx.push(("metadata".to_string(), meta.clone()));
    }
    out.push(Resource {
        skips: pod_skips.clone(),
        ..resource(
            "PodSpec",
            address.clone(),
            pod_spec.span,
            pod_spec.clone(),
            ctx.clone(),
        )
    });
    for field in ["initContainers", "containers", "ephemeralContainers"] {
        for container in pod_spec.get(field).map(Node::elements).unwrap_or_default() {
            if container.as_map().is_none() {
                continue;
            }
            let cname = container
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            let mut cctx = vec![("pod".to_string(), pod_spec.clone())];
            cctx.extend(ctx.iter().cloned());
            cctx.push(("field".to_string(), Node::string(field, container.span)));
            out.push(Resource {
                skips: pod_skips.clone(),
                ..resource(
                    "Container",
                    format!("{address}/{field}[{cname}]"),
                    container.span,
                    container.clone(),
                    cctx,
                )
            });
        }
    }
}

/// The pod spec of a workload and its template's metadata.
fn pod_spec<'a>(kind: &str, doc: &'a Node) -> Option<(&'a Node, Option<&'a Node>)> {
    let template = match kind {
        "Pod" => return doc.get("spec").map(|s| (s, None)),
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => doc.get_path("spec.template")?,
        "CronJob" => doc.get_path("spec.jobTemplate.spec.template")?,
        "PodTemplate" => doc.get("template")?,
        _ => return None,
    };
    template.get("spec").map(|s| (s, template.get("metadata")))
}

/// `bulwark.io/skip-RULE_ID: reason` annotations.
fn annotation_skips(metadata: Option<&Node>) -> Vec<Skip> {
    let Some(annotations) = metadata
        .and_then(|m| m.get("annotations"))
        .and_then(Node::as_map)
    else {
        return Vec::new();
    };
    annotations
        .iter()
        .filter_map(|(key, value)| {
            let id = key.strip_prefix(SKIP_ANNOTATION)?;
            Some(Skip {
                rule_id: id.to_string(),
                reason: value.scalar_text().unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::parse::yaml;

    #[test]
    fn workloads_yield_pod_and_containers() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    bulwark.io/skip-BLWK_K8S_001: sidecar needs it\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: app\n        image: nginx\n      initContainers:\n      - name: init\n        image: busybox\n";
        let docs = yaml::parse_documents(text, FileId(0), 1000).unwrap();
        let rs = resources(FileId(0), &docs[0], text);
        let addrs: Vec<_> = rs.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "Deployment/default/web",
                "Deployment/default/web",
                "Deployment/default/web/initContainers[init]",
                "Deployment/default/web/containers[app]"
            ]
        );
        let app = &rs[3];
        assert_eq!(app.kind, "Container");
        assert_eq!(app.span.start_line, 12);
        assert_eq!(
            app.context("pod")
                .unwrap()
                .get("hostNetwork")
                .unwrap()
                .value,
            Value::Bool(true)
        );
        assert_eq!(app.skips[0].rule_id, "BLWK_K8S_001");
    }

    #[test]
    fn cronjob_and_lists() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: c, namespace: ops}\n  spec:\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            containers: [{name: x, image: y}]\n";
        let docs = yaml::parse_documents(text, FileId(0), 1000).unwrap();
        let rs = resources(FileId(0), &docs[0], text);
        assert_eq!(rs.last().unwrap().address, "CronJob/ops/c/containers[x]");
    }
}
