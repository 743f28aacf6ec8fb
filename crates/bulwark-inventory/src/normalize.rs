//! The entry point: split a snapshot into items, index the items other items
//! refer to (NICs of VMs, firewall rules of instances, owners of pods), then
//! map every item to assets.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::base::Budget;
use crate::detect::{self, Family, Kind, accepts};
use crate::error::IngestError;
use crate::json::{approx_size, richness, shorten};
use crate::model::{Asset, IgnoredKind, Normalized, Provider, Warning};
use crate::snapshot::{Item, Limits, check_shape, collect_items};
use crate::{azure, docker, gcp, kubernetes, scan};

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
    let scan_hint = kind_hint.and_then(scan::resolve_hint);
    if let Some(reports) = scan::reports(scan_hint.as_ref(), snapshot, limits)? {
        let mut out = Out::new(*limits);
        for (path, scanner, report) in reports {
            if out.is_full() {
                out.unmapped_items = out.unmapped_items.saturating_add(1);
                continue;
            }
            out.push(scan::map(provider, &path, scanner, report)?);
        }
        return Ok(out.finish());
    }
    let hint = kind_hint
        .map(|hint| detect::resolve_hint(provider, hint))
        .transpose()?;
    let mut items = collect_items(snapshot, limits)?;
    for item in &mut items {
        if item.kind.is_none() && item.value.is_object() {
            item.kind = hint;
        }
    }
    let mut index = Index::new(provider, limits);
    for item in &items {
        if let Some(kind) = item.kind.filter(|k| accepts(provider, k.family())) {
            index.add(kind, item.value);
        }
    }
    index.finish();
    let mut out = Out::new(*limits);
    for item in &items {
        if out.is_full() {
            out.unmapped_items = out.unmapped_items.saturating_add(1);
            continue;
        }
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
    if index.budget.exhausted() {
        out.warning(
            String::new(),
            None,
            format!(
                "joins between items stopped after {} comparisons; fields that depend on other items (isPublic of pods, firewallList, boundSubjects) may be incomplete",
                limits.max_join_comparisons
            ),
        );
    }
    Ok(out.finish())
}

/// Everything items may look up about other items of the same snapshot.
pub(crate) struct Index<'a> {
    pub provider: Provider,
    pub budget: Budget,
    pub azure: azure::AzIndex<'a>,
    pub gcp: gcp::GcIndex<'a>,
    pub kubernetes: kubernetes::K8sIndex<'a>,
    pub docker: docker::DockerIndex,
}

impl<'a> Index<'a> {
    fn new(provider: Provider, limits: &Limits) -> Self {
        Index {
            provider,
            budget: Budget::new(limits.max_join_comparisons),
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
    /// Estimated size of `assets`, against `max_output_bytes`.
    bytes: usize,
    full: bool,
    warnings: Vec<Warning>,
    ignored: BTreeMap<String, (usize, String)>,
    dropped_warnings: usize,
    unmapped_items: usize,
}

impl Out {
    fn new(limits: Limits) -> Self {
        Out {
            limits,
            assets: Vec::new(),
            bytes: 0,
            full: false,
            warnings: Vec::new(),
            ignored: BTreeMap::new(),
            dropped_warnings: 0,
            unmapped_items: 0,
        }
    }

    /// Adds an asset unless the asset or output-size limit is reached;
    /// from then on `is_full` tells mappers to stop producing.
    pub(crate) fn push(&mut self, asset: Asset) {
        if self.full {
            return;
        }
        let size = asset_size(&asset);
        let bytes = self.bytes.saturating_add(size);
        if self.assets.len() >= self.limits.max_assets || bytes > self.limits.max_output_bytes {
            self.full = true;
            return;
        }
        self.bytes = bytes;
        self.assets.push(asset);
    }

    /// Whether no more assets are taken (so producing them is wasted work).
    pub(crate) fn is_full(&self) -> bool {
        self.full
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
        if self.full {
            let message = format!(
                "stopped at the output limit ({} assets, {} bytes) with {} assets; {} later items were not mapped and the last mapped item may be incomplete",
                self.limits.max_assets,
                self.limits.max_output_bytes,
                self.assets.len(),
                self.unmapped_items
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

/// Rough in-memory size of an asset, for `max_output_bytes`.
fn asset_size(asset: &Asset) -> usize {
    let tags: usize = asset
        .tags
        .iter()
        .map(|t| {
            t.name
                .len()
                .saturating_add(t.value.len())
                .saturating_add(48)
        })
        .fold(0, usize::saturating_add);
    [
        asset.search_key.len(),
        asset.account_id.len(),
        asset.region.as_ref().map_or(0, String::len),
        asset.resource_id.len(),
        asset.name.len(),
        tags,
        approx_size(&asset.data),
        160,
    ]
    .into_iter()
    .fold(0, usize::saturating_add)
}
