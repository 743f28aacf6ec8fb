//! Fixture loading and lookups shared by the integration tests.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use bulwark_inventory::{Asset, Limits, Normalized, Provider, normalize, parse_snapshot};
use serde_json::Value;

pub fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

/// One fixture, parsed the way the server would (JSON or JSON Lines).
pub fn fixture(relative: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"));
    parse_snapshot(&text, &Limits::default()).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Several fixtures in one snapshot, as `jq -s . a.json b.json` makes.
pub fn bundle(relatives: &[&str]) -> Value {
    Value::Array(relatives.iter().map(|r| fixture(r)).collect())
}

/// Normalises fixtures together and fails on any warning unless allowed.
pub fn run(provider: Provider, relatives: &[&str]) -> Normalized {
    normalize(provider, None, &bundle(relatives))
        .unwrap_or_else(|e| panic!("{relatives:?} rejected: {e}"))
}

pub fn run_clean(provider: Provider, relatives: &[&str]) -> Normalized {
    let normalized = run(provider, relatives);
    assert!(
        normalized.warnings.is_empty(),
        "unexpected warnings: {:#?}",
        normalized.warnings
    );
    normalized
}

pub fn of_key<'a>(n: &'a Normalized, key: &str) -> Vec<&'a Asset> {
    n.assets.iter().filter(|a| a.search_key == key).collect()
}

/// The asset of a key with a name; panics listing the names there are.
pub fn find<'a>(n: &'a Normalized, key: &str, name: &str) -> &'a Asset {
    let candidates = of_key(n, key);
    let names: Vec<&str> = candidates.iter().map(|a| a.name.as_str()).collect();
    let matching: Vec<&&Asset> = candidates.iter().filter(|a| a.name == name).collect();
    assert_eq!(matching.len(), 1, "{key} named {name}: have {names:?}");
    matching[0]
}

pub fn names(n: &Normalized, key: &str) -> Vec<String> {
    let mut names: Vec<String> = of_key(n, key).iter().map(|a| a.name.clone()).collect();
    names.sort();
    names
}

/// `data` has exactly these top-level fields.
pub fn assert_fields(asset: &Asset, fields: &[&str]) {
    let have: BTreeSet<&str> = asset
        .data
        .as_object()
        .expect("data is an object")
        .keys()
        .map(String::as_str)
        .collect();
    let want: BTreeSet<&str> = fields.iter().copied().collect();
    assert_eq!(have, want, "fields of {} {}", asset.search_key, asset.name);
}

pub fn tag<'a>(asset: &'a Asset, name: &str) -> Option<&'a str> {
    asset
        .tags
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.value.as_str())
}

/// The JSON text of a `mapped*` field, parsed.
pub fn mapped(asset: &Asset, field: &str) -> Value {
    let text = asset.data[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not JSON text: {}", asset.data[field]));
    serde_json::from_str(text).expect("mapped field holds JSON")
}

/// Whether any string anywhere in the assets contains `needle`.
pub fn leaks(n: &Normalized, needle: &str) -> bool {
    serde_json::to_string(&n.assets)
        .expect("assets serialize")
        .contains(needle)
}
