//! The search keys: what one asset of each key is, which snapshots fill it,
//! and which keys other parts of Bulwark fill instead.

mod table;

pub use table::SEARCH_KEYS;

use crate::model::Provider;

/// Who fills a search key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// [`crate::normalize`] fills it from the snapshots in
    /// [`SearchKeyInfo::sources`].
    Snapshot,
    /// Only the live AWS collector can fill it (AWS API data has no
    /// snapshot format here).
    AwsCollector,
    /// Not inventory: alerts live elsewhere.
    Elsewhere,
}

/// One row of the search-key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchKeyInfo {
    /// The key, e.g. `AZURE_HOST`.
    pub key: &'static str,
    /// The seed's provider column (`AWS`, `Azure`, `GCP`, `Kubernetes`,
    /// `-`, `Container Image`, `AWS, Azure, Docker`).
    pub provider: &'static str,
    /// The seed's "returned data" column.
    pub returned_data: &'static str,
    /// What one asset of the key is.
    pub resource: &'static str,
    /// The snapshot formats (or other sources) that fill it.
    pub sources: &'static str,
    /// Who fills it.
    pub coverage: Coverage,
}

impl SearchKeyInfo {
    /// The providers whose assets may carry this key.
    pub fn asset_providers(&self) -> &'static [Provider] {
        match (self.key, self.provider) {
            ("NATIVE_CONTAINER", _) => &[Provider::Kubernetes, Provider::Docker],
            // Images are scanned wherever they run.
            ("IMAGE_SCAN_DETAILS", _) => &Provider::ALL,
            ("IMAGE_REGISTRY", _) => &[Provider::Aws, Provider::Azure, Provider::Docker],
            (_, "AWS") => &[Provider::Aws],
            (_, "Azure") => &[Provider::Azure],
            (_, "GCP") => &[Provider::Gcp],
            (_, "Kubernetes") => &[Provider::Kubernetes],
            _ => &[],
        }
    }
}

/// Keys whose objects are events or findings about resources rather than resources:
/// `GET /api/v1/accounts` leaves them out of `cloudAssets`.
pub const NOT_RESOURCES: [&str; 11] = [
    "AWS_ACTIVITY_LOG",
    "AWS_EXTERNAL_ACCESS",
    "AWS_HIGHRISK_ANOMALY",
    "AWS_INCOMING_TRAFFIC",
    "AWS_OUTGOING_TRAFFIC",
    "AZURE_ACTIVITY_LOG",
    "AZURE_INCOMING_TRAFFIC",
    "AZURE_OUTGOING_TRAFFIC",
    "GCP_ACTIVITY_LOG",
    "GCP_INCOMING_TRAFFIC",
    "GCP_OUTGOING_TRAFFIC",
];

/// The table row of a search key (exact, case-sensitive match).
pub fn search_key_info(key: &str) -> Option<&'static SearchKeyInfo> {
    SEARCH_KEYS.iter().find(|info| info.key == key)
}
