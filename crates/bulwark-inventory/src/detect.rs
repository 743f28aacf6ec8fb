//! Recognising what an item is from the JSON itself: Kubernetes `kind`,
//! GCP `kind: compute#instance`, Azure `type: Microsoft.Compute/...`, and
//! the distinctive fields of outputs that carry no type (Microsoft Graph
//! users, gcloud service accounts, Docker).

use serde_json::Value;

use crate::error::IngestError;
use crate::json::{has, shorten, str_at};
use crate::model::Provider;

/// Which normaliser handles a kind, and so which providers accept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Azure,
    Gcp,
    Kubernetes,
    Docker,
}

/// Every kind of item the normalisers know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    AzVm,
    AzNic,
    AzPublicIp,
    AzNsg,
    AzVnet,
    AzSite,
    AzSiteConfig,
    AzStorage,
    AzSqlServer,
    AzDbServer,
    AzFirewallRule,
    AzCosmos,
    AzAks,
    AzAgentPool,
    AzIotHub,
    AzLogicApp,
    AzResourceGroup,
    AzAcr,
    AzRoleAssignment,
    AzUser,
    AzGroup,
    AzMfaRegistration,
    AzActivityLog,
    AzFlowLog,
    /// Any other `Microsoft.*` resource type.
    AzOther,
    GcInstance,
    GcDisk,
    GcFirewall,
    GcNetwork,
    GcSubnet,
    GcBucket,
    GcSql,
    GcCluster,
    GcNodePool,
    GcServiceAccount,
    GcDirectoryUser,
    GcGroup,
    GcIamPolicy,
    GcLogEntry,
    GcFunction,
    /// Any other `service#kind`.
    GcOther,
    K8sPod,
    K8sNode,
    K8sService,
    K8sIngress,
    K8sNetworkPolicy,
    K8sRole,
    K8sClusterRole,
    K8sRoleBinding,
    K8sClusterRoleBinding,
    /// Controllers: resolve a pod's `spawnedBy` to the top owner.
    K8sController,
    /// Any other Kubernetes object (and `List`s, which are unwrapped).
    K8sOther,
    DockerContainer,
    DockerPsRow,
    DockerImage,
    DockerImageRow,
}

impl Kind {
    pub(crate) fn family(self) -> Family {
        use Kind::*;
        match self {
            AzVm | AzNic | AzPublicIp | AzNsg | AzVnet | AzSite | AzSiteConfig | AzStorage
            | AzSqlServer | AzDbServer | AzFirewallRule | AzCosmos | AzAks | AzAgentPool
            | AzIotHub | AzLogicApp | AzResourceGroup | AzAcr | AzRoleAssignment | AzUser
            | AzGroup | AzMfaRegistration | AzActivityLog | AzFlowLog | AzOther => Family::Azure,
            GcInstance | GcDisk | GcFirewall | GcNetwork | GcSubnet | GcBucket | GcSql
            | GcCluster | GcNodePool | GcServiceAccount | GcDirectoryUser | GcGroup
            | GcIamPolicy | GcLogEntry | GcFunction | GcOther => Family::Gcp,
            K8sPod
            | K8sNode
            | K8sService
            | K8sIngress
            | K8sNetworkPolicy
            | K8sRole
            | K8sClusterRole
            | K8sRoleBinding
            | K8sClusterRoleBinding
            | K8sController
            | K8sOther => Family::Kubernetes,
            DockerContainer | DockerPsRow | DockerImage | DockerImageRow => Family::Docker,
        }
    }

    /// Kinds recognised only by their provider's type field, which may also
    /// be list wrappers to unwrap (`PodList`, `compute#instanceList`).
    pub(crate) fn is_unspecific(self) -> bool {
        matches!(self, Kind::AzOther | Kind::GcOther | Kind::K8sOther)
    }
}

/// Whether a provider's snapshots may contain a family: Kubernetes objects
/// are accepted for every cloud because managed clusters (EKS, AKS, GKE)
/// are exported with `kubectl`.
pub(crate) fn accepts(provider: Provider, family: Family) -> bool {
    match family {
        Family::Azure => provider == Provider::Azure,
        Family::Gcp => provider == Provider::Gcp,
        Family::Docker => provider == Provider::Docker,
        Family::Kubernetes => provider != Provider::Docker,
    }
}

/// The kind of an item, from its own fields.
pub(crate) fn detect(v: &Value) -> Option<Kind> {
    if !v.is_object() {
        return None;
    }
    if let (Some(kind), Some(_)) = (str_at(v, &["kind"]), str_at(v, &["apiVersion"]))
        && (v.get("metadata").is_some_and(Value::is_object) || kind.ends_with("List"))
    {
        return Some(kubernetes_kind(kind));
    }
    if let Some(kind) = str_at(v, &["kind"]).filter(|k| k.contains('#')) {
        return Some(gcp_kind(kind));
    }
    if let Some(kind) = azure_shape(v) {
        return Some(kind);
    }
    gcp_shape(v).or_else(|| docker_shape(v))
}

fn kubernetes_kind(kind: &str) -> Kind {
    match kind {
        "Pod" => Kind::K8sPod,
        "Node" => Kind::K8sNode,
        "Service" => Kind::K8sService,
        "Ingress" => Kind::K8sIngress,
        "NetworkPolicy" => Kind::K8sNetworkPolicy,
        "Role" => Kind::K8sRole,
        "ClusterRole" => Kind::K8sClusterRole,
        "RoleBinding" => Kind::K8sRoleBinding,
        "ClusterRoleBinding" => Kind::K8sClusterRoleBinding,
        "ReplicaSet"
        | "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "CronJob"
        | "ReplicationController" => Kind::K8sController,
        _ => Kind::K8sOther,
    }
}

fn gcp_kind(kind: &str) -> Kind {
    match kind {
        "compute#instance" => Kind::GcInstance,
        "compute#disk" => Kind::GcDisk,
        "compute#firewall" => Kind::GcFirewall,
        "compute#network" => Kind::GcNetwork,
        "compute#subnetwork" => Kind::GcSubnet,
        "storage#bucket" => Kind::GcBucket,
        "storage#policy" => Kind::GcIamPolicy,
        "sql#instance" => Kind::GcSql,
        "admin#directory#user" => Kind::GcDirectoryUser,
        "admin#directory#group" => Kind::GcGroup,
        _ => Kind::GcOther,
    }
}

/// Azure Resource Manager types, compared without case because Resource
/// Graph prints them in lower case.
const AZURE_TYPES: [(&str, Kind); 26] = [
    ("microsoft.compute/virtualmachines", Kind::AzVm),
    ("microsoft.network/networkinterfaces", Kind::AzNic),
    ("microsoft.network/publicipaddresses", Kind::AzPublicIp),
    ("microsoft.network/networksecuritygroups", Kind::AzNsg),
    ("microsoft.network/virtualnetworks", Kind::AzVnet),
    ("microsoft.web/sites", Kind::AzSite),
    ("microsoft.web/sites/config", Kind::AzSiteConfig),
    ("microsoft.storage/storageaccounts", Kind::AzStorage),
    ("microsoft.sql/servers", Kind::AzSqlServer),
    ("microsoft.sql/servers/firewallrules", Kind::AzFirewallRule),
    ("microsoft.dbforpostgresql/servers", Kind::AzDbServer),
    (
        "microsoft.dbforpostgresql/flexibleservers",
        Kind::AzDbServer,
    ),
    ("microsoft.dbformysql/servers", Kind::AzDbServer),
    ("microsoft.dbformysql/flexibleservers", Kind::AzDbServer),
    ("microsoft.dbformariadb/servers", Kind::AzDbServer),
    (
        "microsoft.dbforpostgresql/servers/firewallrules",
        Kind::AzFirewallRule,
    ),
    (
        "microsoft.dbforpostgresql/flexibleservers/firewallrules",
        Kind::AzFirewallRule,
    ),
    (
        "microsoft.dbformysql/servers/firewallrules",
        Kind::AzFirewallRule,
    ),
    (
        "microsoft.dbformysql/flexibleservers/firewallrules",
        Kind::AzFirewallRule,
    ),
    ("microsoft.documentdb/databaseaccounts", Kind::AzCosmos),
    ("microsoft.containerservice/managedclusters", Kind::AzAks),
    (
        "microsoft.containerservice/managedclusters/agentpools",
        Kind::AzAgentPool,
    ),
    ("microsoft.devices/iothubs", Kind::AzIotHub),
    ("microsoft.logic/workflows", Kind::AzLogicApp),
    ("microsoft.resources/resourcegroups", Kind::AzResourceGroup),
    ("microsoft.containerregistry/registries", Kind::AzAcr),
];

fn azure_shape(v: &Value) -> Option<Kind> {
    // Specific shapes first: activity-log events and flow-log records
    // carry ARM ids too, and MFA reports carry user principal names.
    if has(v, "eventDataId") && has(v, "operationName") {
        return Some(Kind::AzActivityLog);
    }
    if str_at(v, &["category"]) == Some("NetworkSecurityGroupFlowEvent") {
        return Some(Kind::AzFlowLog);
    }
    if has(v, "isMfaRegistered") {
        return Some(Kind::AzMfaRegistration);
    }
    if let Some(t) = str_at(v, &["type"]).filter(|t| starts_with_ignore_case(t, "microsoft.")) {
        if t.eq_ignore_ascii_case("microsoft.authorization/roleassignments") {
            return Some(Kind::AzRoleAssignment);
        }
        let kind = AZURE_TYPES
            .iter()
            .find(|(name, _)| t.eq_ignore_ascii_case(name))
            .map_or(Kind::AzOther, |(_, kind)| *kind);
        return Some(kind);
    }
    // Microsoft Graph (and the older Azure AD Graph) directory objects.
    let odata = str_at(v, &["@odata.type"]).or_else(|| str_at(v, &["objectType"]));
    match odata.map(str::to_ascii_lowercase).as_deref() {
        Some("#microsoft.graph.user" | "user") => return Some(Kind::AzUser),
        Some("#microsoft.graph.group" | "group") => return Some(Kind::AzGroup),
        _ => {}
    }
    if has(v, "userPrincipalName") {
        return Some(Kind::AzUser);
    }
    if has(v, "securityEnabled") && has(v, "mailEnabled") {
        return Some(Kind::AzGroup);
    }
    None
}

fn gcp_shape(v: &Value) -> Option<Kind> {
    let name = str_at(v, &["name"]).unwrap_or_default();
    if has(v, "email") && has(v, "uniqueId") && name.contains("/serviceAccounts/") {
        return Some(Kind::GcServiceAccount);
    }
    if str_at(v, &["storage_url"]).is_some_and(|u| u.starts_with("gs://")) {
        return Some(Kind::GcBucket);
    }
    if let Some(link) = str_at(v, &["selfLink"]).filter(|l| l.contains("container.googleapis.com"))
    {
        if link.contains("/nodePools/") {
            return Some(Kind::GcNodePool);
        }
        if link.contains("/clusters/") {
            return Some(Kind::GcCluster);
        }
    }
    if has(v, "currentMasterVersion") {
        return Some(Kind::GcCluster);
    }
    if v.get("bindings").is_some_and(Value::is_array)
        || (has(v, "resource") && v.pointer("/policy/bindings").is_some_and(Value::is_array))
    {
        return Some(Kind::GcIamPolicy);
    }
    if has(v, "logName") && has(v, "insertId") {
        return Some(Kind::GcLogEntry);
    }
    if v.get("groupKey").is_some_and(Value::is_object) {
        return Some(Kind::GcGroup);
    }
    if name.starts_with("projects/") && name.contains("/functions/") {
        return Some(Kind::GcFunction);
    }
    None
}

fn docker_shape(v: &Value) -> Option<Kind> {
    if has(v, "Id") && has(v, "HostConfig") && has(v, "Config") {
        return Some(Kind::DockerContainer);
    }
    if has(v, "Id") && (has(v, "RootFS") || (has(v, "RepoTags") && has(v, "Architecture"))) {
        return Some(Kind::DockerImage);
    }
    if has(v, "ID") && has(v, "Names") && has(v, "Image") {
        return Some(Kind::DockerPsRow);
    }
    if has(v, "ID") && has(v, "Repository") && has(v, "Tag") {
        return Some(Kind::DockerImageRow);
    }
    None
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The kind's name as the snapshot spells it, for warnings and counts.
pub(crate) fn label(kind: Option<Kind>, v: &Value) -> String {
    let own = str_at(v, &["type"])
        .filter(|t| t.contains('/'))
        .or_else(|| str_at(v, &["kind"]))
        .map(str::to_owned);
    match (kind, own) {
        (_, Some(own)) => shorten(&own, 80),
        (Some(kind), None) => format!("{kind:?}"),
        (None, None) => "unknown".to_owned(),
    }
}

/// Kind hints: search keys, resource types and commands, lower-case. A hint
/// is used only for items whose kind the JSON does not reveal.
const HINTS: [(&str, Kind); 47] = [
    ("azure_host", Kind::AzVm),
    ("az vm list", Kind::AzVm),
    ("az vm list -d", Kind::AzVm),
    ("az network nic list", Kind::AzNic),
    ("az network public-ip list", Kind::AzPublicIp),
    ("azure_network_security_group", Kind::AzNsg),
    ("az network nsg list", Kind::AzNsg),
    ("azure_virtual_network", Kind::AzVnet),
    ("az network vnet list", Kind::AzVnet),
    ("azure_function", Kind::AzSite),
    ("azure_app_service", Kind::AzSite),
    ("az functionapp list", Kind::AzSite),
    ("az webapp list", Kind::AzSite),
    ("azure_storage_account", Kind::AzStorage),
    ("az storage account list", Kind::AzStorage),
    ("azure_sql_server", Kind::AzSqlServer),
    ("az sql server list", Kind::AzSqlServer),
    ("azure_db", Kind::AzDbServer),
    ("azure_cosmos_db", Kind::AzCosmos),
    ("azure_cluster", Kind::AzAks),
    ("az aks list", Kind::AzAks),
    ("azure_node_group", Kind::AzAgentPool),
    ("azure_iot_hub", Kind::AzIotHub),
    ("azure_logic_app", Kind::AzLogicApp),
    ("azure_resource_group", Kind::AzResourceGroup),
    ("az group list", Kind::AzResourceGroup),
    ("azure_user", Kind::AzUser),
    ("az ad user list", Kind::AzUser),
    ("azure_group", Kind::AzGroup),
    ("az ad group list", Kind::AzGroup),
    ("azure_activity_log", Kind::AzActivityLog),
    ("az monitor activity-log list", Kind::AzActivityLog),
    ("gcp_host", Kind::GcInstance),
    ("gcloud compute instances list", Kind::GcInstance),
    ("gcp_firewall", Kind::GcFirewall),
    ("gcloud compute firewall-rules list", Kind::GcFirewall),
    ("gcp_vpc", Kind::GcNetwork),
    ("gcp_bucket", Kind::GcBucket),
    ("gcloud storage buckets list", Kind::GcBucket),
    ("gcp_sql", Kind::GcSql),
    ("gcp_cluster", Kind::GcCluster),
    ("gcp_nodepool", Kind::GcNodePool),
    ("gcp_user", Kind::GcDirectoryUser),
    ("gcp_group", Kind::GcGroup),
    ("gcp_role_binding", Kind::GcIamPolicy),
    ("docker ps", Kind::DockerPsRow),
    ("docker inspect", Kind::DockerContainer),
];

/// Resolves a kind hint for a provider: a search key, a command from
/// [`HINTS`], or any type/kind string [`detect`] recognises.
pub(crate) fn resolve_hint(provider: Provider, hint: &str) -> Result<Kind, IngestError> {
    let lower = hint.trim().to_ascii_lowercase();
    let suffix = lower
        .split_once('_')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let kubernetes_key = match suffix {
        "pod" | "container" => Some(Kind::K8sPod),
        "node" => Some(Kind::K8sNode),
        "service" => Some(Kind::K8sService),
        "ingress" => Some(Kind::K8sIngress),
        "network_policy" => Some(Kind::K8sNetworkPolicy),
        "rbac_role" => Some(Kind::K8sRole),
        _ => None,
    };
    // kubectl resource names: `pods`, `svc`, `kubectl get netpol -A -o json`.
    let resource = lower
        .strip_prefix("kubectl get ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or(&lower);
    let kubectl = match resource {
        "pods" | "pod" | "po" => Some(Kind::K8sPod),
        "nodes" | "node" | "no" => Some(Kind::K8sNode),
        "services" | "service" | "svc" => Some(Kind::K8sService),
        "ingresses" | "ingress" | "ing" => Some(Kind::K8sIngress),
        "networkpolicies" | "networkpolicy" | "netpol" => Some(Kind::K8sNetworkPolicy),
        "roles" | "role" => Some(Kind::K8sRole),
        "clusterroles" | "clusterrole" => Some(Kind::K8sClusterRole),
        _ => None,
    };
    let from_table = HINTS
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, kind)| *kind);
    let from_type = || {
        let probe = if lower.contains('#') || lower.contains('/') {
            serde_json::json!({ "kind": hint.trim(), "type": hint.trim() })
        } else {
            serde_json::json!({ "kind": hint.trim(), "apiVersion": "v1", "metadata": {} })
        };
        detect(&probe).filter(|k| !k.is_unspecific())
    };
    let registry = || match (lower.as_str(), provider) {
        ("image_registry", Provider::Azure) => Some(Kind::AzAcr),
        ("image_registry", Provider::Docker) => Some(Kind::DockerImage),
        _ => None,
    };
    let kind = from_table
        .or(kubectl)
        .or(kubernetes_key.filter(|_| lower.starts_with("native_") || is_cloud_key(&lower)))
        .or_else(from_type)
        .or_else(registry)
        .filter(|kind| accepts(provider, kind.family()));
    kind.ok_or_else(|| IngestError::UnknownKindHint {
        hint: shorten(hint, 80),
        provider,
    })
}

fn is_cloud_key(lower: &str) -> bool {
    ["aws_", "azure_", "gcp_"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}
