//! Image scan reports (Trivy, Grype) ingested into an environment and searched as
//! `IMAGE_SCAN_DETAILS`.

use serde_json::{Value, json};

use crate::support::{Env, Server};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../bulwark-inventory/tests/fixtures"
);

fn fixture(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/{path}")).unwrap()).unwrap()
}

/// The Trivy report without the vulnerabilities of `drop`.
fn trivy_without(report: &Value, drop: &[&str]) -> Value {
    let mut report = report.clone();
    let vulns = report["Results"][0]["Vulnerabilities"]
        .as_array_mut()
        .unwrap();
    vulns.retain(|v| !drop.contains(&v["VulnerabilityID"].as_str().unwrap()));
    report
}

async fn search(srv: &Server, key: &str, query: &str) -> (Vec<String>, Value) {
    let (s, res) = srv
        .get(&format!("/api/v1/search/IMAGE_SCAN_DETAILS?{query}"), key)
        .await;
    assert_eq!(s, 200, "{query}: {res}");
    let names = res["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    (names, res)
}

async fn ingest(srv: &Server, key: &str, path: &str, body: Value) -> Value {
    let (s, r) = srv.post(path, key, body).await;
    assert_eq!(s, 200, "{r}");
    r
}

#[tokio::test]
async fn trivy_and_grype_reports_are_searchable_image_scans() {
    let env = Env::new().await;
    let k = env.token("acme", "admin").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let (s, e) = srv
        .post(
            "/bulwark/v1/environments",
            &k,
            json!({"name": "build-host", "provider": "Docker", "accountId": "build-host-1"}),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    let ingest_path = format!(
        "/bulwark/v1/environments/{}/ingest",
        e["uuid"].as_str().unwrap()
    );

    // Inventory first: scan reports must not mark these containers missing.
    let r = ingest(
        &srv,
        &k,
        &ingest_path,
        fixture("docker/inspect_containers.json"),
    )
    .await;
    let containers = r["added"].as_i64().unwrap();
    assert_eq!(containers, 6, "3 containers, 3 registries: {r}");

    let trivy = fixture("scans/trivy_nginx.json");
    let r = ingest(&srv, &k, &ingest_path, trivy.clone()).await;
    assert_eq!(
        (r["added"].as_i64(), r["missing"].as_i64()),
        (Some(1), Some(0)),
        "{r}"
    );
    let r = ingest(
        &srv,
        &k,
        &format!("{ingest_path}?kind=grype"),
        fixture("scans/grype_python.json"),
    )
    .await;
    assert_eq!(
        (r["added"].as_i64(), r["missing"].as_i64()),
        (Some(1), Some(0)),
        "{r}"
    );
    // A newer nginx without the critical findings, and without a scan time.
    let mut newer = trivy_without(&trivy, &["CVE-2024-45491", "CVE-2023-45853"]);
    newer["Metadata"]["ImageID"] =
        json!("sha256:1e8a6b7c5d4f3e2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a");
    newer["Metadata"]["RepoTags"] = json!(["nginx:1.27"]);
    newer["Metadata"]["RepoDigests"] = json!([]);
    newer.as_object_mut().unwrap().remove("CreatedAt");
    let r = ingest(&srv, &k, &ingest_path, newer).await;
    assert_eq!(
        (r["added"].as_i64(), r["missing"].as_i64()),
        (Some(1), Some(0)),
        "{r}"
    );

    let (all, res) = search(&srv, &k, "size=10").await;
    assert_eq!(all.len(), 3, "{res}");
    let mut inventory = 0;
    for other_key in ["NATIVE_CONTAINER", "IMAGE_REGISTRY"] {
        let (s, c) = srv
            .get(&format!("/api/v1/search/{other_key}?size=100"), &k)
            .await;
        assert_eq!(s, 200);
        inventory += c["data"].as_array().unwrap().len() as i64;
    }
    assert_eq!(
        inventory, containers,
        "the containers and registries are all still there"
    );

    // Selective searches over counts and findings. Ordered by resource id (the image id).
    let (names, res) = search(&srv, &k, "searchTerm=vulnerabilities.critical%3E0&size=10").await;
    assert_eq!(names, ["python:3.11-slim", "nginx:1.25"], "{res}");
    let nginx = &res["data"][1];
    assert_eq!(nginx["searchKey"], "IMAGE_SCAN_DETAILS");
    assert_eq!(nginx["provider"], "Docker");
    assert_eq!(nginx["accountId"], "build-host-1");
    assert_eq!(
        nginx["resourceId"],
        "sha256:a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6"
    );
    assert_eq!(nginx["isPublic"], Value::Null);
    assert_eq!(nginx["data"]["vulnerabilities"]["critical"], 2);
    assert_eq!(nginx["data"]["scanTime"], "2024-10-21T09:12:44.184526213Z");
    assert_eq!(nginx["data"]["secretsFound"], 1);
    assert!(!res.to_string().contains("AKIAIOSFODNN7EXAMPLE"));
    let (names, _) = search(&srv, &k, "searchTerm=findings.id:CVE-2024-45491&size=10").await;
    assert_eq!(names, ["nginx:1.25"]);
    let (names, _) = search(&srv, &k, "searchTerm=findings.id:CVE-2023-*&size=10").await;
    assert_eq!(names, ["nginx:1.27", "python:3.11-slim", "nginx:1.25"]);
    let (names, _) = search(
        &srv,
        &k,
        "searchTerm=findings.id:CVE-2023-*%20and%20scanner:grype&size=10",
    )
    .await;
    assert_eq!(names, ["python:3.11-slim"]);
    let (names, _) = search(
        &srv,
        &k,
        "searchTerm=findings.package:setuptools%20and%20fixableCount%3E=2&size=10",
    )
    .await;
    assert_eq!(names, ["python:3.11-slim"]);
    let (names, _) = search(
        &srv,
        &k,
        "searchTerm=repository:library/nginx%20and%20tag:1.27&size=10",
    )
    .await;
    assert_eq!(names, ["nginx:1.27"]);
    let (_, res) = search(&srv, &k, "searchTerm=tag:1.27&size=10").await;
    let filled = res["data"][0]["data"]["scanTime"].as_str().unwrap();
    assert!(
        filled.starts_with("20") && filled.ends_with('Z'),
        "{filled}"
    );

    // Paging.
    let (names, p1) = search(&srv, &k, "size=2&page=1").await;
    assert_eq!(names, ["nginx:1.27", "python:3.11-slim"]);
    assert_eq!(
        (p1["hasNext"].as_bool(), p1["totalPages"].as_i64()),
        (Some(true), Some(2))
    );
    let (names, p2) = search(&srv, &k, "size=2&page=2").await;
    assert_eq!(names, ["nginx:1.25"]);
    assert_eq!(
        (p2["hasNext"].as_bool(), p2["hasPrevious"].as_bool()),
        (Some(false), Some(true))
    );

    // A re-scan of the same image updates its asset.
    let mut rescan = trivy_without(&trivy, &["CVE-2024-45491"]);
    rescan["CreatedAt"] = json!("2024-11-02T08:00:00Z");
    let r = ingest(&srv, &k, &ingest_path, rescan).await;
    assert_eq!(
        (
            r["added"].as_i64(),
            r["updated"].as_i64(),
            r["missing"].as_i64()
        ),
        (Some(0), Some(1), Some(0)),
        "{r}"
    );
    let (all, _) = search(&srv, &k, "size=10").await;
    assert_eq!(all.len(), 3);
    let (_, res) = search(&srv, &k, "searchTerm=name:%22nginx:1.25%22&size=10").await;
    assert_eq!(res["data"].as_array().unwrap().len(), 1, "{res}");
    let data = &res["data"][0]["data"];
    assert_eq!(data["scanTime"], "2024-11-02T08:00:00Z");
    assert_eq!(data["vulnerabilities"]["critical"], 1);
    assert_eq!(data["totalVulnerabilities"], 8);
    let (names, _) = search(&srv, &k, "searchTerm=findings.id:CVE-2024-45491&size=10").await;
    assert!(names.is_empty(), "{names:?}");

    // Another account sees nothing.
    let (names, res) = search(&srv, &other, "size=10").await;
    assert!(names.is_empty(), "{res}");
    let (names, _) = search(
        &srv,
        &other,
        "searchTerm=vulnerabilities.critical%3E0&size=10",
    )
    .await;
    assert!(names.is_empty());
    let (s, _) = srv.post(&ingest_path, &other, trivy.clone()).await;
    assert_eq!(s, 404);

    // Damaged reports are refused whole, with the reason.
    for (path, body, reason) in [
        (
            ingest_path.clone(),
            json!({"SchemaVersion": 2, "ArtifactName": "nginx:1.25", "Results": "oops"}),
            "invalid snapshot: invalid image scan report: Trivy report: `Results` must be an array",
        ),
        (
            ingest_path.clone(),
            json!({"matches": [{"artifact": {"name": "zlib1g"}}], "source": {"type": "image", "target": {"imageID": "sha256:1"}}}),
            "Grype report: `matches[0]` has no `vulnerability.id`",
        ),
        (
            format!("{ingest_path}?kind=trivy"),
            json!({"ID": "4f1c", "Names": "web", "Image": "nginx"}),
            "not a Trivy report",
        ),
    ] {
        let (s, b) = srv.post(&path, &k, body).await;
        assert_eq!(s, 400, "{b}");
        assert!(b["message"].as_str().unwrap().contains(reason), "{b}");
    }
    let (all, _) = search(&srv, &k, "size=10").await;
    assert_eq!(all.len(), 3);
}
