//! Bulwark's cloud inventory: the [`Asset`] model the server stores and
//! searches, normalisers that turn inventory snapshots exported with each
//! provider's own tools into assets, and the response items of the Optix
//! inventory endpoints.
//!
//! A pure library: no IO, no network, no database.
//!
//! ```
//! use bulwark_inventory::{Limits, Provider, normalize, parse_snapshot, serve};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let text = r#"[{"kind": "compute#instance", "id": "1", "name": "web-1",
//!   "selfLink": "https://www.googleapis.com/compute/v1/projects/acme/zones/us-central1-a/instances/web-1",
//!   "zone": "https://www.googleapis.com/compute/v1/projects/acme/zones/us-central1-a"}]"#;
//! let snapshot = parse_snapshot(text, &Limits::default())?;
//! let mut normalized = normalize(Provider::Gcp, None, &snapshot)?;
//! // kubectl and Docker output never names its cluster or host.
//! normalized.fill_missing_account("acme");
//! assert!(normalized.warnings.is_empty());
//! let vms = serve::vm_items(&normalized.assets, Provider::Gcp)?;
//! assert_eq!(vms[0].account_type, "GCP");
//! assert_eq!(vms[0].account_id, "acme");
//! assert_eq!(vms[0].more_info["zone"], "us-central1-a");
//! # Ok(())
//! # }
//! ```
//!
//! # The model
//!
//! Every resource is an [`Asset`]: its search key (one of the 86 keys of
//! `GET /api/v1/search/{searchKey}`, see [`keys::SEARCH_KEYS`] for what one
//! asset of each key is and what fills it), [`Provider`], account
//! (subscription, project or cluster), region, resource id, name, tags as
//! `{name, value}` pairs, `is_public`, and kind-specific `data`. For the
//! kinds the seed has response samples of (hosts, users, functions,
//! clusters, nodes, pods, containers), `data` is exactly the sample's
//! `moreInfo` fields ([`shapes`]).
//!
//! # Snapshots
//!
//! [`normalize`] accepts one JSON document ([`parse_snapshot`] also reads
//! JSON Lines): a single item, an array of items, or items wrapped the way
//! the tools wrap them (kubectl `List`, ARM/Graph `{"value": [...]}`,
//! Resource Graph `{"data": [...]}`, Google REST `{"items": [...]}` and
//! aggregated lists, NSG flow-log `{"records": [...]}`, Cloud Logging
//! `{"entries": [...]}`) or a bundle object whose members are all arrays.
//! Each item's kind is read from the JSON itself:
//!
//! - Azure: `type` (`Microsoft.Compute/virtualMachines`, ...), Graph users
//!   and groups, activity-log events (`eventDataId`), flow-log records;
//! - GCP: `kind` (`compute#instance`, `sql#instance`, ...), service
//!   accounts, `gcloud storage` buckets, GKE clusters (`selfLink`), IAM
//!   policies (`bindings`), log entries (`logName`);
//! - Kubernetes: `apiVersion` + `kind` + `metadata`;
//! - Docker: `docker inspect`, `docker ps`/`docker images --format json`.
//!
//! Image scan reports (`trivy image -f json`, `grype <image> -o json`) are
//! whole documents: a snapshot that is one report or an array of reports
//! becomes one `IMAGE_SCAN_DETAILS` asset per image (severity counts and up
//! to [`MAX_FINDINGS`] findings), for any provider; a damaged report is an
//! error, and Trivy secret findings are only counted.
//!
//! Items of one snapshot enrich each other: NICs and public IPs complete
//! Azure VMs, firewall rules and disks complete GCP instances, services and
//! ReplicaSets complete pods. Items that cannot be mapped become
//! [`Warning`]s; recognised kinds no key holds are counted in
//! [`Normalized::ignored`].
//!
//! # Hostile input
//!
//! Nothing here panics on any JSON value. [`Limits`] bound the nesting depth
//! (64, at most 128), JSON values (8 million), items (200,000), assets
//! (500,000, and 512 MiB estimated), joins between items (20 million
//! comparisons) and text size (64 MiB); the depth check is iterative, so
//! deeper input is rejected before anything recurses into it. Values that may hold secrets
//! (environment variables, GCP startup scripts and SSH keys, IoT hub keys,
//! Logic App definitions, connection strings, log payloads) are not copied.

mod azure;
mod base;
mod detect;
mod docker;
mod error;
mod gcp;
mod json;
pub mod keys;
mod kubernetes;
mod model;
mod normalize;
mod scan;
pub mod serve;
pub mod shapes;
mod snapshot;

pub use error::IngestError;
pub use json::is_public_ip;
pub use keys::{Coverage, NOT_RESOURCES, SEARCH_KEYS, SearchKeyInfo, search_key_info};
pub use model::{Asset, IgnoredKind, Normalized, Provider, Tag, UnknownProvider, Warning};
pub use normalize::{normalize, normalize_with_limits};
pub use scan::{IMAGE_SCAN_KEY, MAX_FINDINGS};
pub use snapshot::{Limits, parse_snapshot};
