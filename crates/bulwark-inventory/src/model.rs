//! The inventory model: what the server stores for every cloud resource and
//! serves through `/api/v1/search/{searchKey}` and the inventory endpoints.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The cloud or platform an asset belongs to.
///
/// Serialized with the spelling of the Optix `provider` parameter of
/// `GET /api/v1/accounts` (`AWS`, `Azure`, `GCP`, `Kubernetes`, `Docker`),
/// which the seed declares case-sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Provider {
    /// Amazon Web Services (collected live by the AWS collector).
    #[serde(rename = "AWS")]
    Aws,
    /// Microsoft Azure: one account is one subscription.
    Azure,
    /// Google Cloud: one account is one project.
    #[serde(rename = "GCP")]
    Gcp,
    /// A Kubernetes cluster that is not a managed cloud cluster (`native`).
    Kubernetes,
    /// A Docker host.
    Docker,
}

impl Provider {
    /// Every provider, in the seed's order.
    pub const ALL: [Provider; 5] = [
        Provider::Aws,
        Provider::Azure,
        Provider::Gcp,
        Provider::Kubernetes,
        Provider::Docker,
    ];

    /// The Optix spelling: `AWS`, `Azure`, `GCP`, `Kubernetes` or `Docker`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "AWS",
            Provider::Azure => "Azure",
            Provider::Gcp => "GCP",
            Provider::Kubernetes => "Kubernetes",
            Provider::Docker => "Docker",
        }
    }

    /// Parses the Optix spelling exactly (the seed says case-sensitive).
    pub fn from_optix(text: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of [`Provider::from_str`]: the text is not an Optix provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Provider type not supported")]
pub struct UnknownProvider;

impl FromStr for Provider {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::from_optix(s).ok_or(UnknownProvider)
    }
}

/// A cloud tag or Kubernetes/Docker label.
///
/// Stored as a list of `{name, value}` so that `tags.name:prod*` searches
/// work the same for every provider.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Tag {
    /// The tag key.
    pub name: String,
    /// The tag value (empty when the source had none).
    pub value: String,
}

/// One inventoried resource.
///
/// `(search_key, provider, account_id, resource_id)` identifies an asset.
/// Serialized in camelCase (`searchKey`, `accountId`, `resourceId`,
/// `isPublic`, ...) because these are the field names of the search language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    /// One of the 86 search keys (see [`crate::keys::SEARCH_KEYS`]).
    pub search_key: String,
    /// The provider of the environment the asset was found in.
    pub provider: Provider,
    /// The cloud account, subscription, project or cluster id; empty when the
    /// snapshot did not say (see [`Normalized::fill_missing_account`]).
    pub account_id: String,
    /// The region (lower-case, e.g. `westeurope`, `us-central1`), if any.
    pub region: Option<String>,
    /// The provider's id of the resource (ARM id, GCP id, Kubernetes uid, ...).
    pub resource_id: String,
    /// The display name.
    pub name: String,
    /// Tags or labels, sorted by name.
    pub tags: Vec<Tag>,
    /// Whether the resource is reachable from or exposed to the internet;
    /// `None` when that does not apply or the snapshot cannot tell.
    pub is_public: Option<bool>,
    /// Kind-specific fields; for kinds the seed has samples of, exactly the
    /// sample's `moreInfo` fields (see [`crate::shapes`]).
    pub data: Value,
}

/// The result of normalising one snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Normalized {
    /// The assets, in snapshot order, without duplicates.
    pub assets: Vec<Asset>,
    /// One entry per item that could not be mapped, and for limits reached.
    pub warnings: Vec<Warning>,
    /// Recognised items that no search key holds, counted by kind.
    pub ignored: Vec<IgnoredKind>,
}

impl Normalized {
    /// Sets `account_id` on every asset the snapshot did not give one, e.g.
    /// the id of the environment the snapshot was uploaded to (kubectl and
    /// Docker output never names its cluster or host).
    pub fn fill_missing_account(&mut self, account_id: &str) {
        for asset in &mut self.assets {
            if asset.account_id.is_empty() {
                account_id.clone_into(&mut asset.account_id);
            }
        }
    }
}

/// Why one item of a snapshot produced no asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// JSON pointer of the item in the snapshot (e.g. `/items/3`); empty for
    /// the whole snapshot.
    pub item: String,
    /// The kind of the item, when it was recognised.
    pub kind: Option<String>,
    /// What went wrong.
    pub message: String,
}

/// Items of a recognised kind that no search key holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredKind {
    /// The kind (`Namespace`, `Microsoft.KeyVault/vaults`, `compute#disk`, ...).
    pub kind: String,
    /// How many items of that kind the snapshot had.
    pub count: usize,
    /// Why they produced no asset of their own.
    pub reason: String,
}
