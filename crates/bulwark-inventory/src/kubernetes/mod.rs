//! Kubernetes objects as `kubectl get ... -o json` prints them (single
//! objects or `List`s). The provider of the environment chooses the key
//! family: `NATIVE_*` for Kubernetes, `AZURE_*` for AKS, `GCP_*` for GKE and
//! `AWS_*` for EKS; `cloudProvider` in `data` is `native`, `aks`, `gke` or
//! `eks` accordingly.
//!
//! kubectl output never names its cluster, so `account_id` is the
//! subscription (AKS) or project (GKE) read from the nodes' `providerID`
//! when the snapshot has nodes, and empty otherwise (see
//! [`crate::Normalized::fill_missing_account`]).

mod cluster;
mod workloads;

use std::collections::HashMap;

use serde_json::Value;

use crate::base::Base;
use crate::detect::Kind;
use crate::json::{arr_at, at, segment_after, str_at, tags_from_object};
use crate::model::Provider;
use crate::normalize::{Index, Out};
use crate::snapshot::Item;

/// Kubernetes objects other objects refer to.
#[derive(Default)]
pub(crate) struct K8sIndex<'a> {
    /// Nodes by name.
    nodes: HashMap<String, &'a Value>,
    /// Controllers by (kind, namespace, name), to resolve pod owners.
    controllers: HashMap<(String, String, String), &'a Value>,
    services: Vec<&'a Value>,
    /// The services reachable from the internet, computed in `finish`.
    public_services: Vec<&'a Value>,
    /// RoleBindings and ClusterRoleBindings.
    bindings: Vec<&'a Value>,
    /// Some node has an external IP, so NodePorts reach the internet.
    public_nodes: bool,
    /// Subscription or project of the cluster, from node provider ids.
    account: Option<String>,
}

impl<'a> K8sIndex<'a> {
    pub(crate) fn add(&mut self, kind: Kind, v: &'a Value) {
        let name = str_at(v, &["metadata", "name"])
            .unwrap_or_default()
            .to_owned();
        match kind {
            Kind::K8sNode => {
                self.nodes.insert(name, v);
            }
            Kind::K8sController => {
                let kind = str_at(v, &["kind"]).unwrap_or_default().to_owned();
                let namespace = namespace(v).to_owned();
                self.controllers.insert((kind, namespace, name), v);
            }
            Kind::K8sService => self.services.push(v),
            Kind::K8sRoleBinding | Kind::K8sClusterRoleBinding => self.bindings.push(v),
            _ => {}
        }
    }

    pub(crate) fn finish(&mut self, provider: Provider) {
        self.public_nodes = self
            .nodes
            .values()
            .any(|n| cluster::external_ip(n).is_some());
        let public: Vec<&'a Value> = self
            .services
            .iter()
            .copied()
            .filter(|svc| cluster::service_is_public(self, svc))
            .collect();
        self.public_services = public;
        self.account = self.nodes.values().find_map(|node| {
            let id = str_at(node, &["spec", "providerID"])?;
            match provider {
                // azure:///subscriptions/<id>/resourceGroups/...
                Provider::Azure => segment_after(id, "subscriptions").map(str::to_ascii_lowercase),
                // gce://<project>/<zone>/<instance>
                Provider::Gcp => id
                    .strip_prefix("gce://")
                    .and_then(|rest| rest.split('/').next())
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned),
                _ => None,
            }
        });
    }

    /// Region label of a node, for the objects scheduled on it.
    fn node_region(&self, node: Option<&str>) -> Option<String> {
        let node = self.nodes.get(node?)?;
        region_label(node)
    }
}

/// Which key family and `cloudProvider` a provider's clusters use.
#[derive(Clone, Copy)]
pub(crate) struct Flavour {
    prefix: &'static str,
    cloud: &'static str,
}

impl Flavour {
    fn of(provider: Provider) -> Flavour {
        let (prefix, cloud) = match provider {
            Provider::Aws => ("AWS", "eks"),
            Provider::Azure => ("AZURE", "aks"),
            Provider::Gcp => ("GCP", "gke"),
            Provider::Kubernetes | Provider::Docker => ("NATIVE", "native"),
        };
        Flavour { prefix, cloud }
    }

    fn key(self, suffix: &str) -> String {
        format!("{}_{suffix}", self.prefix)
    }
}

/// What mapping one object needs besides the object.
pub(crate) struct Ctx<'i, 'a> {
    ix: &'i K8sIndex<'a>,
    budget: &'i crate::base::Budget,
    provider: Provider,
    flavour: Flavour,
}

impl Ctx<'_, '_> {
    fn base(&self, v: &Value, region: Option<String>) -> Option<Base> {
        let name = str_at(v, &["metadata", "name"])?;
        Some(Base {
            provider: self.provider,
            account: self.ix.account.clone().unwrap_or_default(),
            region,
            id: object_id(v),
            name: name.to_owned(),
            tags: tags_from_object(at(v, &["metadata", "labels"])),
        })
    }

    /// `cloudProviderId`: the subscription or project of the cluster.
    fn cloud_id(&self) -> Option<&str> {
        self.ix.account.as_deref()
    }
}

pub(crate) fn map(index: &Index<'_>, kind: Kind, item: &Item<'_>, out: &mut Out) {
    let ctx = Ctx {
        ix: &index.kubernetes,
        budget: &index.budget,
        provider: index.provider,
        flavour: Flavour::of(index.provider),
    };
    if str_at(item.value, &["metadata", "name"]).is_none()
        && !matches!(kind, Kind::K8sOther | Kind::K8sController)
    {
        return out.warn(item, "Kubernetes object without `metadata.name`");
    }
    match kind {
        Kind::K8sPod => workloads::pod(&ctx, item, out),
        Kind::K8sNode => cluster::node(&ctx, item, out),
        Kind::K8sService => cluster::service(&ctx, item, out),
        Kind::K8sIngress => cluster::ingress(&ctx, item, out),
        Kind::K8sNetworkPolicy => cluster::network_policy(&ctx, item, out),
        Kind::K8sRole | Kind::K8sClusterRole => cluster::role(&ctx, item, out),
        Kind::K8sRoleBinding | Kind::K8sClusterRoleBinding => {
            out.ignore(item, "used for the bound subjects of *_RBAC_ROLE");
        }
        Kind::K8sController => out.ignore(item, "used for spawnedBy of *_POD"),
        _ => out.ignore(item, "no search key holds this Kubernetes kind"),
    }
}

/// The uid, or `namespace/name` for objects printed without one.
pub(crate) fn object_id(v: &Value) -> String {
    str_at(v, &["metadata", "uid"]).map_or_else(
        || {
            let name = str_at(v, &["metadata", "name"]).unwrap_or_default();
            match str_at(v, &["metadata", "namespace"]) {
                Some(namespace) => format!("{namespace}/{name}"),
                None => name.to_owned(),
            }
        },
        str::to_owned,
    )
}

pub(crate) fn namespace(v: &Value) -> &str {
    str_at(v, &["metadata", "namespace"]).unwrap_or("default")
}

pub(crate) fn region_label(v: &Value) -> Option<String> {
    let labels = at(v, &["metadata", "labels"])?;
    str_at(labels, &["topology.kubernetes.io/region"])
        .or_else(|| str_at(labels, &["failure-domain.beta.kubernetes.io/region"]))
        .map(str::to_owned)
}

/// Whether every pair of a label selector matches the labels.
pub(crate) fn selects(selector: Option<&Value>, labels: Option<&Value>) -> bool {
    let Some(selector) = selector
        .and_then(Value::as_object)
        .filter(|s| !s.is_empty())
    else {
        return false;
    };
    selector
        .iter()
        .all(|(key, wanted)| labels.and_then(|l| l.get(key)) == Some(wanted))
}

/// Annotation value, for cloud load-balancer settings.
pub(crate) fn annotation<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    at(v, &["metadata", "annotations"]).and_then(|a| str_at(a, &[name]))
}

pub(crate) fn items<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    arr_at(v, path)
}
