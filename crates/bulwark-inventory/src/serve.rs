//! Pure helpers for the Optix inventory endpoints: which search key each
//! request reads, and the response items of `GET /api/v1/vms`, `/users`,
//! `/serverless` and `/containers`, field for field as the seed's samples.
//! Paging, account filtering and the response envelope are the server's.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{Asset, Provider};
use crate::shapes;

/// An item of `GET /api/v1/vms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VmItem {
    /// `AWS`, `GCP` or `AZURE` (the seed's spelling for hosts).
    pub account_type: String,
    /// The account, subscription or project.
    pub account_id: String,
    /// The provider's instance id.
    pub instance_id: String,
    /// The provider's `moreInfo` sample fields.
    pub more_info: Value,
}

/// An item of `GET /api/v1/users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserItem {
    /// `AWS`, `GCP` or `Azure`.
    pub account_type: String,
    /// The account, subscription or project.
    pub account_id: String,
    /// The user's display name.
    pub name: String,
    /// The provider's `moreInfo` sample fields.
    pub more_info: Value,
}

/// An item of `GET /api/v1/serverless`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerlessItem {
    /// `AWS` or `Azure`.
    pub account_type: String,
    /// The account or subscription.
    pub account_id: String,
    /// The function name.
    pub function_name: String,
    /// The region.
    pub region: Option<String>,
    /// The provider's `moreInfo` sample fields.
    pub more_info: Value,
}

/// An item of `GET /api/v1/containers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerItem {
    /// `AWS`, `Azure`, `GCP`, `Kubernetes` or `Docker`.
    pub account_type: String,
    /// The account, subscription, project or cluster.
    pub account_id: String,
    /// The object's id.
    pub object_id: String,
    /// The object's name.
    pub name: String,
    /// The container type's `moreInfo` sample fields.
    pub more_info: Value,
}

/// A `provider` the endpoint does not serve, with the seed's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServeError {
    /// `/vms` and `/users`: only AWS, Azure and GCP.
    #[error("Provider type not supported")]
    ProviderTypeNotSupported,
    /// `/serverless`: only AWS and Azure.
    #[error("Provider {0} not supported")]
    ProviderNotSupported(String),
}

/// The search key `GET /api/v1/vms` reads for a provider.
pub fn host_search_key(provider: Provider) -> Result<&'static str, ServeError> {
    match provider {
        Provider::Aws => Ok("AWS_HOST"),
        Provider::Azure => Ok("AZURE_HOST"),
        Provider::Gcp => Ok("GCP_HOST"),
        Provider::Kubernetes | Provider::Docker => Err(ServeError::ProviderTypeNotSupported),
    }
}

/// The search key `GET /api/v1/users` reads for a provider.
pub fn user_search_key(provider: Provider) -> Result<&'static str, ServeError> {
    match provider {
        Provider::Aws => Ok("AWS_USER"),
        Provider::Azure => Ok("AZURE_USER"),
        Provider::Gcp => Ok("GCP_USER"),
        Provider::Kubernetes | Provider::Docker => Err(ServeError::ProviderTypeNotSupported),
    }
}

/// The search key `GET /api/v1/serverless` reads for a provider.
pub fn serverless_search_key(provider: Provider) -> Result<&'static str, ServeError> {
    match provider {
        Provider::Aws => Ok("AWS_LAMBDA"),
        Provider::Azure => Ok("AZURE_FUNCTION"),
        other => Err(ServeError::ProviderNotSupported(other.as_str().to_owned())),
    }
}

/// `data` reduced to exactly the sample's fields, missing ones `null`.
fn project(data: &Value, fields: &[&str]) -> Value {
    let object: Map<String, Value> = fields
        .iter()
        .map(|field| {
            let value = data.get(field).cloned().unwrap_or(Value::Null);
            ((*field).to_owned(), value)
        })
        .collect();
    Value::Object(object)
}

/// The `/vms` item of a host asset; `None` for other keys.
pub fn vm_item(asset: &Asset) -> Option<VmItem> {
    let (account_type, fields) = match asset.search_key.as_str() {
        "AWS_HOST" => ("AWS", shapes::AWS_HOST),
        "GCP_HOST" => ("GCP", shapes::GCP_HOST),
        // The seed's Azure host sample says `AZURE`, its user sample `Azure`.
        "AZURE_HOST" => ("AZURE", shapes::AZURE_HOST),
        _ => return None,
    };
    Some(VmItem {
        account_type: account_type.to_owned(),
        account_id: asset.account_id.clone(),
        instance_id: asset.resource_id.clone(),
        more_info: project(&asset.data, fields),
    })
}

/// The `/vms` items of a provider's hosts among `assets`, in order.
pub fn vm_items(assets: &[Asset], provider: Provider) -> Result<Vec<VmItem>, ServeError> {
    let key = host_search_key(provider)?;
    Ok(of_key(assets, key, provider).filter_map(vm_item).collect())
}

/// The `/users` item of a user asset; `None` for other keys.
pub fn user_item(asset: &Asset) -> Option<UserItem> {
    let (account_type, fields) = match asset.search_key.as_str() {
        "AWS_USER" => ("AWS", shapes::AWS_USER),
        "GCP_USER" => ("GCP", shapes::GCP_USER),
        "AZURE_USER" => ("Azure", shapes::AZURE_USER),
        _ => return None,
    };
    Some(UserItem {
        account_type: account_type.to_owned(),
        account_id: asset.account_id.clone(),
        name: asset.name.clone(),
        more_info: project(&asset.data, fields),
    })
}

/// The `/users` items of a provider's users among `assets`, in order.
pub fn user_items(assets: &[Asset], provider: Provider) -> Result<Vec<UserItem>, ServeError> {
    let key = user_search_key(provider)?;
    Ok(of_key(assets, key, provider)
        .filter_map(user_item)
        .collect())
}

/// The `/serverless` item of a function asset; `None` for other keys.
pub fn serverless_item(asset: &Asset) -> Option<ServerlessItem> {
    let (account_type, fields) = match asset.search_key.as_str() {
        "AWS_LAMBDA" => ("AWS", shapes::AWS_LAMBDA),
        "AZURE_FUNCTION" => ("Azure", shapes::AZURE_FUNCTION),
        _ => return None,
    };
    Some(ServerlessItem {
        account_type: account_type.to_owned(),
        account_id: asset.account_id.clone(),
        function_name: asset.name.clone(),
        region: asset.region.clone(),
        more_info: project(&asset.data, fields),
    })
}

/// The `/serverless` items of a provider's functions among `assets`.
pub fn serverless_items(
    assets: &[Asset],
    provider: Provider,
) -> Result<Vec<ServerlessItem>, ServeError> {
    let key = serverless_search_key(provider)?;
    Ok(of_key(assets, key, provider)
        .filter_map(serverless_item)
        .collect())
}

fn of_key<'a>(
    assets: &'a [Asset],
    key: &'a str,
    provider: Provider,
) -> impl Iterator<Item = &'a Asset> {
    assets
        .iter()
        .filter(move |a| a.search_key == key && a.provider == provider)
}

/// The `cloudProvider` parameter of `/containers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerProvider {
    /// `native`: Kubernetes clusters (and Docker hosts' containers).
    Native,
    /// `eks`: Amazon EKS.
    Eks,
    /// `aks`: Azure AKS.
    Aks,
    /// `gke`: Google GKE.
    Gke,
}

/// The `containerType` parameter of `/containers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerType {
    /// `clusters`.
    Clusters,
    /// `nodes`.
    Nodes,
    /// `pods`.
    Pods,
    /// `containers`.
    Containers,
}

/// A `/containers` request's selection, validated as the seed describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerQuery {
    /// The cluster flavour.
    pub provider: ContainerProvider,
    /// The object type.
    pub container_type: ContainerType,
}

/// Why a `/containers` request is refused, with the seed's messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContainerQueryError {
    /// `cloudProvider` missing or empty.
    #[error("Provider not provided.")]
    ProviderNotProvided,
    /// `containerType` missing or empty.
    #[error("Container-Type not provided.")]
    ContainerTypeNotProvided,
    /// `containerType` is not clusters, nodes, pods or containers.
    #[error("Invalid Container-Type:{0}")]
    InvalidContainerType(String),
    /// An unknown `cloudProvider`, or `native` with `clusters` (no search
    /// key holds native clusters).
    #[error("Provider:{provider} not supported for Container-Type:{container_type}")]
    ProviderNotSupported {
        /// The `cloudProvider` as given.
        provider: String,
        /// The `containerType` as given.
        container_type: String,
    },
}

impl ContainerQuery {
    /// Validates `cloudProvider` and `containerType` (ASCII case is
    /// ignored; messages quote the values as given).
    pub fn parse(
        cloud_provider: Option<&str>,
        container_type: Option<&str>,
    ) -> Result<ContainerQuery, ContainerQueryError> {
        let provider_text = cloud_provider
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .ok_or(ContainerQueryError::ProviderNotProvided)?;
        let type_text = container_type
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ContainerQueryError::ContainerTypeNotProvided)?;
        let kind = match type_text.to_ascii_lowercase().as_str() {
            "clusters" => ContainerType::Clusters,
            "nodes" => ContainerType::Nodes,
            "pods" => ContainerType::Pods,
            "containers" => ContainerType::Containers,
            _ => {
                return Err(ContainerQueryError::InvalidContainerType(
                    type_text.to_owned(),
                ));
            }
        };
        let provider = match provider_text.to_ascii_lowercase().as_str() {
            "native" if kind != ContainerType::Clusters => Some(ContainerProvider::Native),
            "eks" => Some(ContainerProvider::Eks),
            "aks" => Some(ContainerProvider::Aks),
            "gke" => Some(ContainerProvider::Gke),
            _ => None,
        };
        let provider = provider.ok_or_else(|| ContainerQueryError::ProviderNotSupported {
            provider: provider_text.to_owned(),
            container_type: type_text.to_owned(),
        })?;
        Ok(ContainerQuery {
            provider,
            container_type: kind,
        })
    }

    /// The search key the request reads.
    pub fn search_key(&self) -> &'static str {
        use ContainerProvider::*;
        use ContainerType::*;
        match (self.provider, self.container_type) {
            (Eks, Clusters) => "AWS_CLUSTER",
            (Eks, Nodes) => "AWS_NODE",
            (Eks, Pods) => "AWS_POD",
            (Eks, Containers) => "AWS_CONTAINER",
            (Aks, Clusters) => "AZURE_CLUSTER",
            (Aks, Nodes) => "AZURE_NODE",
            (Aks, Pods) => "AZURE_POD",
            (Aks, Containers) => "AZURE_CONTAINER",
            (Gke, Clusters) => "GCP_CLUSTER",
            (Gke, Nodes) => "GCP_NODE",
            (Gke, Pods) => "GCP_POD",
            (Gke, Containers) => "GCP_CONTAINER",
            // Unreachable through `parse`; an empty key matches nothing.
            (Native, Clusters) => "",
            (Native, Nodes) => "NATIVE_NODE",
            (Native, Pods) => "NATIVE_POD",
            (Native, Containers) => "NATIVE_CONTAINER",
        }
    }

    /// The providers whose assets the request serves.
    pub fn providers(&self) -> &'static [Provider] {
        match self.provider {
            ContainerProvider::Native => &[Provider::Kubernetes, Provider::Docker],
            ContainerProvider::Eks => &[Provider::Aws],
            ContainerProvider::Aks => &[Provider::Azure],
            ContainerProvider::Gke => &[Provider::Gcp],
        }
    }

    /// Whether an asset is one the request serves.
    pub fn matches(&self, asset: &Asset) -> bool {
        asset.search_key == self.search_key() && self.providers().contains(&asset.provider)
    }

    fn fields(&self) -> &'static [&'static str] {
        match self.container_type {
            ContainerType::Clusters => shapes::CLUSTER,
            ContainerType::Nodes => shapes::NODE,
            ContainerType::Pods => shapes::POD,
            ContainerType::Containers => shapes::CONTAINER,
        }
    }

    /// The `/containers` item of an asset, if the request serves it.
    pub fn item(&self, asset: &Asset) -> Option<ContainerItem> {
        self.matches(asset).then(|| ContainerItem {
            account_type: asset.provider.as_str().to_owned(),
            account_id: asset.account_id.clone(),
            object_id: asset.resource_id.clone(),
            name: asset.name.clone(),
            more_info: project(&asset.data, self.fields()),
        })
    }
}

/// The `/containers` items among `assets` that a request serves, in order.
pub fn container_items(assets: &[Asset], query: &ContainerQuery) -> Vec<ContainerItem> {
    assets.iter().filter_map(|a| query.item(a)).collect()
}
