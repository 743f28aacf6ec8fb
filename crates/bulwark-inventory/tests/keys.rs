//! The search-key table matches the seed's 86 keys, every key the table
//! says snapshots fill is filled by some fixture, and sample-backed kinds
//! carry exactly the sample's fields.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use std::collections::BTreeSet;

use bulwark_inventory::{Coverage, Normalized, Provider, SEARCH_KEYS, search_key_info, shapes};
use common::*;

/// Every fixture of a directory, as one bundle.
fn everything(directory: &str, provider: Provider) -> Normalized {
    let mut files: Vec<String> = std::fs::read_dir(fixture_path(directory))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let relatives: Vec<String> = files.iter().map(|f| format!("{directory}/{f}")).collect();
    let relatives: Vec<&str> = relatives.iter().map(String::as_str).collect();
    run(provider, &relatives)
}

fn all_fixtures() -> Vec<Normalized> {
    vec![
        everything("azure", Provider::Azure),
        everything("gcp", Provider::Gcp),
        everything("kubernetes", Provider::Kubernetes),
        everything("kubernetes", Provider::Aws),
        everything("docker", Provider::Docker),
        everything("scans", Provider::Docker),
    ]
}

#[test]
fn table_matches_the_seed_list() {
    let text = std::fs::read_to_string(fixture_path("spec/optix-search-keys.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 86);
    assert_eq!(SEARCH_KEYS.len(), 86);
    for (row, info) in rows.iter().zip(SEARCH_KEYS.iter()) {
        assert_eq!(row[0], info.key);
        assert_eq!(row[1], info.provider, "{}", info.key);
        assert_eq!(row[2], info.returned_data, "{}", info.key);
    }
    assert_eq!(
        search_key_info("GCP_NODEPOOL").unwrap().coverage,
        Coverage::Snapshot
    );
    assert_eq!(
        search_key_info("AWS_S3").unwrap().coverage,
        Coverage::AwsCollector
    );
    assert!(
        search_key_info("gcp_nodepool").is_none(),
        "keys are case-sensitive"
    );
}

#[test]
fn coverage_counts() {
    let count = |c: Coverage| SEARCH_KEYS.iter().filter(|k| k.coverage == c).count();
    assert_eq!(count(Coverage::Snapshot), 62);
    assert_eq!(count(Coverage::AwsCollector), 23);
    assert_eq!(count(Coverage::Elsewhere), 1);
    for info in SEARCH_KEYS.iter() {
        let snapshot_family = ["AZURE_", "GCP_", "NATIVE_"]
            .iter()
            .any(|p| info.key.starts_with(p));
        if snapshot_family {
            assert_eq!(info.coverage, Coverage::Snapshot, "{}", info.key);
        }
    }
}

#[test]
fn every_snapshot_key_is_filled_by_some_fixture() {
    let runs = all_fixtures();
    let produced: BTreeSet<&str> = runs
        .iter()
        .flat_map(|n| n.assets.iter().map(|a| a.search_key.as_str()))
        .collect();
    let missing: Vec<&str> = SEARCH_KEYS
        .iter()
        .filter(|k| k.coverage == Coverage::Snapshot && !produced.contains(k.key))
        .map(|k| k.key)
        .collect();
    assert!(missing.is_empty(), "no fixture fills {missing:?}");
    for asset in runs.iter().flat_map(|n| &n.assets) {
        let info = search_key_info(&asset.search_key)
            .unwrap_or_else(|| panic!("unknown key {}", asset.search_key));
        assert!(
            info.asset_providers().contains(&asset.provider),
            "{} with provider {}",
            asset.search_key,
            asset.provider
        );
        assert!(
            !asset.resource_id.is_empty(),
            "{} {} has no id",
            asset.search_key,
            asset.name
        );
        assert!(
            !asset.name.is_empty(),
            "{} {} has no name",
            asset.search_key,
            asset.resource_id
        );
    }
}

#[test]
fn sample_backed_kinds_have_exactly_the_sample_fields() {
    let mut checked = 0;
    for asset in all_fixtures().iter().flat_map(|n| &n.assets) {
        if let Some(fields) = shapes::fields_of(&asset.search_key) {
            assert_fields(asset, fields);
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} sample-backed assets");
}

#[test]
fn fixtures_warn_only_where_they_mean_to() {
    let warnings: Vec<String> = all_fixtures()
        .iter()
        .flat_map(|n| {
            n.warnings
                .iter()
                .map(|w| format!("{}: {}", w.item, w.message))
        })
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].ends_with("/records/0: 1 flow tuples could not be read"));
}

#[test]
fn normalising_is_deterministic() {
    let first = everything("azure", Provider::Azure);
    let second = everything("azure", Provider::Azure);
    assert_eq!(first, second);
}

#[test]
fn readme_documents_every_key() {
    let readme = std::fs::read_to_string(fixture_path("../../README.md")).unwrap();
    for info in SEARCH_KEYS.iter() {
        let coverage = match info.coverage {
            Coverage::Snapshot => "snapshot",
            Coverage::AwsCollector => "AWS collector",
            Coverage::Elsewhere => "not inventory",
        };
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", info.key)))
            .unwrap_or_else(|| panic!("README has no row for {}", info.key));
        assert!(
            row.trim_end().ends_with(&format!("| {coverage} |")),
            "{row}"
        );
    }
}
