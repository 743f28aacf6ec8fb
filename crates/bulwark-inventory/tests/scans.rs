//! Image scan reports: Trivy and Grype JSON become `IMAGE_SCAN_DETAILS` assets.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use bulwark_inventory::{IngestError, Limits, Provider, normalize, normalize_with_limits};
use common::{fixture, leaks, tag};
use serde_json::{Value, json};

fn one(provider: Provider, hint: Option<&str>, snapshot: &Value) -> bulwark_inventory::Asset {
    let n = normalize(provider, hint, snapshot).expect("report accepted");
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
    assert_eq!(n.assets.len(), 1);
    n.assets.into_iter().next().unwrap()
}

#[test]
fn trivy_report_becomes_one_image_asset() {
    let a = one(Provider::Docker, None, &fixture("scans/trivy_nginx.json"));
    assert_eq!(a.search_key, "IMAGE_SCAN_DETAILS");
    assert_eq!(a.provider, Provider::Docker);
    assert_eq!(
        a.resource_id,
        "sha256:a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6"
    );
    assert_eq!(a.name, "nginx:1.25");
    assert_eq!(a.is_public, None);
    assert_eq!(
        tag(&a, "maintainer"),
        Some("NGINX Docker Maintainers <docker-maint@nginx.com>")
    );
    let d = &a.data;
    assert_eq!(d["imageName"], "nginx:1.25");
    assert_eq!(
        d["digest"],
        "sha256:a484819eb60211f5299034ac80f6a681b06f89e65866ce91f356ed7c72af059c"
    );
    assert_eq!(d["registry"], "docker.io");
    assert_eq!(d["repository"], "library/nginx");
    assert_eq!(d["tag"], "1.25");
    assert_eq!(d["os"], json!({"family": "debian", "name": "12.5"}));
    assert_eq!(d["scanner"], "trivy");
    assert_eq!(d["scanTime"], "2024-10-21T09:12:44.184526213Z");
    assert_eq!(
        d["vulnerabilities"],
        json!({"critical": 2, "high": 3, "medium": 1, "low": 2, "unknown": 1})
    );
    assert_eq!(d["totalVulnerabilities"], 9);
    // libexpat1 CVE-2024-45491, both glibc packages, libssl3.
    assert_eq!(d["fixableCount"], 4);
    assert_eq!(d["secretsFound"], 1);
    assert_eq!(d["findingsTruncated"], false);
    let first = &d["findings"][0];
    assert_eq!(first["id"], "CVE-2023-45853", "critical first, then by id");
    assert_eq!(first["severity"], "CRITICAL");
    assert_eq!(first["fixedVersion"], Value::Null);
    let expat = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "CVE-2024-45491")
        .unwrap();
    assert_eq!(expat["package"], "libexpat1");
    assert_eq!(expat["installedVersion"], "2.5.0-1");
    assert_eq!(expat["fixedVersion"], "2.5.0-1+deb12u1");
    assert_eq!(expat["title"], "libexpat: Integer Overflow or Wraparound");
    assert_eq!(expat["cvssScore"], 9.8);
    assert_eq!(expat["packageType"], "debian");
}

#[test]
fn trivy_secrets_and_image_env_are_never_copied() {
    let n = normalize(Provider::Docker, None, &fixture("scans/trivy_nginx.json")).unwrap();
    assert!(!leaks(&n, "AKIAIOSFODNN7EXAMPLE"), "secret finding copied");
    assert!(
        !leaks(&n, "ghp_imageEnvSecretDoNotCopy"),
        "image env copied"
    );
    assert!(!leaks(&n, "upstream.conf"));
}

#[test]
fn grype_report_becomes_one_image_asset() {
    let a = one(
        Provider::Kubernetes,
        None,
        &fixture("scans/grype_python.json"),
    );
    assert_eq!(a.provider, Provider::Kubernetes);
    assert_eq!(
        a.resource_id,
        "sha256:4bc7e3bd0a1e1c6fbbd7f71b1e6a1a5b0bf8e1c0f3d6b9c4e2a7d8f5c6b3a2e1"
    );
    assert_eq!(a.name, "python:3.11-slim");
    let d = &a.data;
    assert_eq!(d["scanner"], "grype");
    assert_eq!(d["scannerVersion"], "0.82.0");
    assert_eq!(d["scanTime"], "2024-10-21T09:15:02.512394761Z");
    assert_eq!(
        d["digest"],
        "sha256:9e2b7dfc9c1f7a2b5fd4e0c8b6a3d1f2e5c7b9a0d4e6f8a1b3c5d7e9f0a2b4c6"
    );
    assert_eq!(d["repository"], "library/python");
    assert_eq!(d["tag"], "3.11-slim");
    assert_eq!(d["os"], json!({"family": "debian", "name": "12"}));
    // Negligible counts as low.
    assert_eq!(
        d["vulnerabilities"],
        json!({"critical": 1, "high": 2, "medium": 1, "low": 1, "unknown": 0})
    );
    assert_eq!(d["fixableCount"], 2);
    assert_eq!(
        d["findings"][1]["id"], "CVE-2023-31484",
        "high after critical"
    );
    let setuptools = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["package"] == "setuptools")
        .unwrap();
    assert_eq!(setuptools["id"], "GHSA-cx63-2mw6-8hw5");
    assert_eq!(setuptools["fixedVersion"], "70.0.0");
    assert_eq!(setuptools["cvssScore"], 7.5);
    assert_eq!(setuptools["severity"], "HIGH");
}

#[test]
fn reports_are_accepted_together_for_any_provider_and_with_hints() {
    let both = json!([
        fixture("scans/trivy_nginx.json"),
        fixture("scans/grype_python.json")
    ]);
    for provider in Provider::ALL {
        let n = normalize(provider, None, &both).unwrap();
        assert_eq!(n.assets.len(), 2, "{provider}");
    }
    let trivy = fixture("scans/trivy_nginx.json");
    assert_eq!(
        one(Provider::Docker, Some("trivy"), &trivy).data["scanner"],
        "trivy"
    );
    let grype = fixture("scans/grype_python.json");
    assert_eq!(
        one(Provider::Docker, Some("Grype"), &grype).data["scanner"],
        "grype"
    );
    let err = normalize(Provider::Docker, Some("grype"), &trivy).unwrap_err();
    assert!(
        err.to_string()
            .contains("the kind hint says Grype but this is a Trivy report"),
        "{err}"
    );
}

#[test]
fn damaged_reports_are_rejected_with_a_reason() {
    let cases = [
        (
            json!({"SchemaVersion": 2, "ArtifactName": "nginx:1.25", "Results": "x"}),
            "`Results` must be an array",
        ),
        (
            json!({"ArtifactName": "nginx:1.25", "ArtifactType": "container_image", "Results": []}),
            "no image identity",
        ),
        (
            json!({"ArtifactName": ".", "ArtifactType": "filesystem", "Results": []}),
            "not a container image",
        ),
        (
            json!({"ArtifactName": "a", "Metadata": {"ImageID": "sha256:1"}, "Results": [{"Vulnerabilities": [{"PkgName": "x"}]}]}),
            "`Results[0].Vulnerabilities[0]` has no `VulnerabilityID`",
        ),
        (
            json!({"matches": {}, "source": {"type": "image"}}),
            "`matches` must be an array",
        ),
        (
            json!({"matches": [], "source": {"type": "directory", "target": "/src"}}),
            "not a container image",
        ),
        (json!({"hello": "world"}), "not a Trivy report"),
    ];
    for (report, reason) in cases {
        let hint = (reason == "not a Trivy report").then_some("trivy");
        let err = normalize(Provider::Docker, hint, &report).unwrap_err();
        assert!(matches!(err, IngestError::ScanReport { .. }), "{err:?}");
        assert!(err.to_string().contains(reason), "{err} lacks {reason}");
    }
    let mixed =
        json!([fixture("scans/trivy_nginx.json"), {"ID": "1", "Names": "x", "Image": "nginx"}]);
    let err = normalize(Provider::Docker, None, &mixed).unwrap_err();
    assert!(
        err.to_string().contains("at /1: not a Trivy or Grype"),
        "{err}"
    );
}

#[test]
fn findings_are_capped_most_severe_first() {
    let mut vulns: Vec<Value> = (0..2_500)
        .map(|i| json!({"VulnerabilityID": format!("CVE-2024-{i:05}"), "PkgName": "p", "InstalledVersion": "1", "Severity": "LOW"}))
        .collect();
    vulns.push(json!({"VulnerabilityID": "CVE-2099-0001", "PkgName": "q", "InstalledVersion": "1", "Severity": "CRITICAL", "FixedVersion": "2"}));
    let report = json!({"ArtifactName": "big:1", "Metadata": {"ImageID": "sha256:b"}, "Results": [{"Target": "t", "Vulnerabilities": vulns}]});
    let a = one(Provider::Docker, None, &report);
    assert_eq!(
        a.data["findings"].as_array().unwrap().len(),
        bulwark_inventory::MAX_FINDINGS
    );
    assert_eq!(a.data["findings"][0]["id"], "CVE-2099-0001");
    assert_eq!(a.data["totalVulnerabilities"], 2_501);
    assert_eq!(a.data["vulnerabilities"]["low"], 2_500);
    assert_eq!(a.data["findingsTruncated"], true);
    let limits = Limits {
        max_items: 1,
        ..Limits::default()
    };
    let two = json!([report, report]);
    assert!(matches!(
        normalize_with_limits(Provider::Docker, None, &two, &limits),
        Err(IngestError::TooManyItems { limit: 1 })
    ));
}
