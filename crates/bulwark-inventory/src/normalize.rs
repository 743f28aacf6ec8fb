//! The entry point: split a snapshot into items, index the items other items
//! refer to (NICs of VMs, firewall rules of instances, owners of pods), then
//! map every item to assets.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::detect::{self, Family, Kind, accepts};
use crate::error::IngestError;
use crate::json::{richness, shorten};
use crate::model::{Asset, IgnoredKind, Normalized, Provider, Warning};
use crate::snapshot::{Item, Limits, check_shape, collect_items};
use crate::{azure, docker, gcp, kubernetes};

/// Normalises one inventory snapshot with the default [`Limits`].
///
/// `provider` is the provider of the environment the snapshot belongs to;
/// it decides, for example, whether a `kubectl get pods -o json` list fills
/// `NATIVE_POD` (Kubernetes), `AZURE_POD` (AKS), `GCP_POD` (GKE) or
/// `AWS_POD` (EKS). `kind_hint` is used only for items whose kind the JSON
/// does not reveal; see [`crate`] for accepted formats.
///
/// Returns an error only for snapshots that cannot be read as a whole; items
/// that cannot be mapped become [`Warning`]s.
pub fn normalize(
    provider: Provider,
    kind_hint: Option<&str>,
    snapshot: &Value,
) -> Result<Normalized, IngestError> {
    normalize_with_limits(provider, kind_hint, snapshot, &Limits::default())
}

/// [`normalize`] with explicit limits.
pub fn normalize_with_limits(
    provider: Provider,
    kind_hint: Option<&str>,
    snapshot: &Value,
    limits: &Limits,
) -> Result<Normalized, IngestError> {
    check_shape(snapshot, limits)?;
    let hint = kind_hint
        .map(|hint| detect::resolve_hint(provider, hint))
        .transpose()?;
    let mut items = collect_items(snapshot, limits)?;
    for item in &mut items {
        if item.kind.is_none() && item.value.is_object() {
            item.kind = hint;
        }
    }
    let mut index = Index::new(provider);
    for item in &items {
        if let Some(kind) = item.kind.filter(|k| accepts(provider, k.family())) {
            index.add(kind, item.value);
        }
    }
    index.finish();
    let mut out = Out::new(*limits);
    for item in &items {
        match item.kind {
            None => out.warn(item, unrecognised(item.value)),
            Some(kind) if !accepts(provider, kind.family()) => {
                out.warn(item, mismatch(provider, kind.family()));
            }
            Some(kind) => match kind.family() {
                Family::Azure => azure::map(&index, kind, item, &mut out),
                Family::Gcp => gcp::map(&index, kind, item, &mut out),
                Family::Kubernetes => kubernetes::map(&index, kind, item, &mut out),
                Family::Docker => docker::map(kind, item, &mut out),
            },
        }
    }
    docker::finish(&index, &mut out);
    Ok(out.finish())
}

/// Everything items may look up about other items of the same snapshot.
pub(crate) struct Index<'a> {
    pub provider: Provider,
    pub azure: azure::AzIndex<'a>,
    pub gcp: gcp::GcIndex<'a>,
    pub kubernetes: kubernetes::K8sIndex<'a>,
    pub docker: docker::DockerIndex,
}

impl<'a> Index<'a> {
    fn new(provider: Provider) -> Self {
        Index {
            provider,
            azure: azure::AzIndex::default(),
            gcp: gcp::GcIndex::default(),
            kubernetes: kubernetes::K8sIndex::default(),
            docker: docker::DockerIndex::default(),
        }
    }

    fn add(&mut self, kind: Kind, v: &'a Value) {
        match kind.family() {
            Family::Azure => self.azure.add(kind, v),
            Family::Gcp => self.gcp.add(kind, v),
            Family::Kubernetes => self.kubernetes.add(kind, v),
            Family::Docker => self.docker.add(kind, v),
        }
    }

    fn finish(&mut self) {
        self.kubernetes.finish(self.provider);
    }
}

fn unrecognised(v: &Value) -> String {
    let keys = v.as_object().map(|o| {
        o.keys()
            .take(6)
            .map(|k| shorten(k, 32))
            .collect::<Vec<_>>()
            .join(", ")
    });
    match keys {
        Some(keys) if !keys.is_empty() => format!(
            "not a recognised Azure, GCP, Kubernetes or Docker object (fields: {keys}); pass a kind hint if it is one"
        ),
        Some(_) => "empty object".to_owned(),
        None => "an item must be a JSON object".to_owned(),
    }
}

fn mismatch(provider: Provider, family: Family) -> String {
    let owner = match family {
        Family::Azure => "an Azure object; ingest it for an Azure environment",
        Family::Gcp => "a GCP object; ingest it for a GCP environment",
        Family::Docker => "a Docker object; ingest it for a Docker environment",
        Family::Kubernetes => "a Kubernetes object; Docker environments hold Docker objects only",
    };
    if provider == Provider::Aws && family != Family::Kubernetes {
        format!(
            "{owner} (AWS resources are collected live; AWS snapshots may hold only Kubernetes objects of EKS clusters)"
        )
    } else {
        owner.to_owned()
    }
}

/// Collects assets, warnings and ignored kinds within the limits.
pub(crate) struct Out {
    limits: Limits,
    assets: Vec<Asset>,
    warnings: Vec<Warning>,
    ignored: BTreeMap<String, (usize, String)>,
    dropped_assets: usize,
    dropped_warnings: usize,
}

impl Out {
    fn new(limits: Limits) -> Self {
        Out {
            limits,
            assets: Vec::new(),
            warnings: Vec::new(),
            ignored: BTreeMap::new(),
            dropped_assets: 0,
            dropped_warnings: 0,
        }
    }

    pub(crate) fn push(&mut self, asset: Asset) {
        if self.assets.len() < self.limits.max_assets {
            self.assets.push(asset);
        } else {
            self.dropped_assets = self.dropped_assets.saturating_add(1);
        }
    }

    pub(crate) fn warn(&mut self, item: &Item<'_>, message: impl Into<String>) {
        let kind = item.kind.map(|kind| detect::label(Some(kind), item.value));
        self.warning(item.path.clone(), kind, message.into());
    }

    pub(crate) fn warning(&mut self, item: String, kind: Option<String>, message: String) {
        if self.warnings.len() < self.limits.max_warnings {
            self.warnings.push(Warning {
                item,
                kind,
                message,
            });
        } else {
            self.dropped_warnings = self.dropped_warnings.saturating_add(1);
        }
    }

    /// Counts a recognised item that no search key holds.
    pub(crate) fn ignore(&mut self, item: &Item<'_>, reason: &str) {
        let label = detect::label(item.kind, item.value);
        let entry = self
            .ignored
            .entry(label)
            .or_insert_with(|| (0, reason.to_owned()));
        entry.0 = entry.0.saturating_add(1);
    }

    fn finish(mut self) -> Normalized {
        if self.dropped_assets > 0 {
            let message = format!(
                "stopped after {} assets; {} more were dropped",
                self.limits.max_assets, self.dropped_assets
            );
            self.warnings.push(Warning {
                item: String::new(),
                kind: None,
                message,
            });
        }
        if self.dropped_warnings > 0 {
            let message = format!("{} more warnings were not reported", self.dropped_warnings);
            self.warnings.push(Warning {
                item: String::new(),
                kind: None,
                message,
            });
        }
        Normalized {
            assets: dedupe(self.assets),
            warnings: self.warnings,
            ignored: self
                .ignored
                .into_iter()
                .map(|(kind, (count, reason))| IgnoredKind {
                    kind,
                    count,
                    reason,
                })
                .collect(),
        }
    }
}

/// Keeps one asset per identity, the one whose `data` says most: the same
/// resource can arrive twice in a bundle (`az ad user list` and a Graph
/// export, a GKE cluster's embedded node pools and `node-pools list`).
fn dedupe(assets: Vec<Asset>) -> Vec<Asset> {
    let mut seen: HashMap<(String, Provider, String, String), usize> = HashMap::new();
    let mut kept: Vec<Asset> = Vec::with_capacity(assets.len());
    for asset in assets {
        // ARM ids differ in case between commands; no provider uses ids
        // that differ only in case for different resources.
        let identity = (
            asset.search_key.clone(),
            asset.provider,
            asset.account_id.to_ascii_lowercase(),
            asset.resource_id.to_ascii_lowercase(),
        );
        match seen.get(&identity) {
            Some(&position) => {
                if let Some(slot) = kept.get_mut(position)
                    && richness(&asset.data) > richness(&slot.data)
                {
                    *slot = asset;
                }
            }
            None => {
                seen.insert(identity, kept.len());
                kept.push(asset);
            }
        }
    }
    kept
}
