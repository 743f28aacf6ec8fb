//! The Optix IaC API: upload, status, detailed report; policies; saving results.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::support::{Env, Server, eventually};

const BAD_TF: &str = "resource \"aws_security_group\" \"ssh\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
const BAD_DOCKERFILE: &str = "FROM ubuntu:latest\nRUN curl -fsSL https://x.example/i.sh | sh\n";

async fn upload(
    srv: &Server,
    key: &str,
    files: &[(&str, &[u8])],
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part(
            "files",
            Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let resp = srv
        .http
        .post(format!("{}/api/v1/iac/scan", srv.base))
        .header("authorization", format!("ApiKey {key}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn synchronous_scan_returns_a_summary() {
    let env = Env::new().await;
    let key = env.token("acme", "analyst").await;
    let srv = env.serve().await;
    let (s, body) = upload(
        &srv,
        &key,
        &[
            ("main.tf", BAD_TF.as_bytes()),
            ("Dockerfile", BAD_DOCKERFILE.as_bytes()),
        ],
        &[("async", "false")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let sum = &body["summary"];
    let total: u64 = [
        "num_critical_alerts",
        "num_high_alerts",
        "num_medium_alerts",
        "num_low_alerts",
    ]
    .iter()
    .map(|k| sum[k].as_u64().unwrap())
    .sum();
    assert!(total >= 3, "{body}");
    let id = body["scan_id"].as_str().unwrap();
    let (_, st) = srv
        .get(&format!("/api/v1/iac/scan/status?scan_id={id}"), &key)
        .await;
    assert_eq!(
        st,
        json!({"processing_ongoing": false, "success": true, "error": ""})
    );
    let (s, rep) = srv
        .get(
            &format!("/api/v1/iac/scan/detailedReport?scan_id={id}"),
            &key,
        )
        .await;
    assert_eq!(s, 200);
    let alerts = rep["alerts"].as_array().unwrap();
    assert_eq!(alerts.len() as u64, total);
    let ssh = alerts
        .iter()
        .find(|a| a["resource"] == "aws_security_group.ssh")
        .expect("open SSH alert");
    assert_eq!(ssh["scanID"], id);
    assert_eq!(ssh["fileName"], "main.tf");
    assert!(["CRITICAL", "HIGH"].contains(&ssh["criticalLevel"].as_str().unwrap()));
    assert!(ssh["alertDetails"].as_str().unwrap().contains("main.tf"));
    assert!(alerts.iter().any(|a| a["fileName"] == "Dockerfile"));
}

#[tokio::test]
async fn asynchronous_scan_runs_as_a_job() {
    let env = Env::new().await;
    let key = env.token("acme", "analyst").await;
    let srv = env.serve().await;
    let (s, body) = upload(&srv, &key, &[("main.tf", BAD_TF.as_bytes())], &[]).await;
    assert_eq!(s, 200, "{body}");
    assert!(
        body.get("summary").is_none(),
        "summary only for async=false"
    );
    let id = body["scan_id"].as_str().unwrap().to_string();
    eventually(30, || async {
        let (_, st) = srv
            .get(&format!("/api/v1/iac/scan/status?scan_id={id}"), &key)
            .await;
        (st["processing_ongoing"] == false).then_some(())
    })
    .await;
    let (_, st) = srv
        .get(&format!("/api/v1/iac/scan/status?scan_id={id}"), &key)
        .await;
    assert_eq!(st["success"], true, "{st}");
    let (_, rep) = srv
        .get(
            &format!("/api/v1/iac/scan/detailedReport?scan_id={id}"),
            &key,
        )
        .await;
    assert!(!rep["alerts"].as_array().unwrap().is_empty());
    let (_, jobs) = srv.get("/bulwark/v1/jobs?state=done", &key).await;
    assert!(
        jobs["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["kind"] == "iac.scan" && j["payload"]["scan_id"] == id.as_str())
    );
}

#[tokio::test]
async fn documented_errors_and_tenancy() {
    let env = Env::new().await;
    let key = env.token("acme", "analyst").await;
    let other = env.token("globex", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let srv = env.serve().await;
    let (s, b) = upload(&srv, &key, &[], &[("async", "false")]).await;
    assert_eq!(
        (s, b["message"].as_str()),
        (400, Some("Proper arguments not provided")),
        "{b}"
    );
    assert_eq!(b["errorMessage"], "Proper arguments not provided");
    let (s, b) = upload(
        &srv,
        &key,
        &[("main.tf", BAD_TF.as_bytes())],
        &[("async", "maybe")],
    )
    .await;
    assert_eq!(s, 400, "{b}");
    let (s, b) = upload(
        &srv,
        &key,
        &[("main.tf", BAD_TF.as_bytes())],
        &[("save_results_to_account", "true")],
    )
    .await;
    assert_eq!(s, 400, "provenance required to save: {b}");
    let (s, b) = upload(
        &srv,
        &key,
        &[("../../etc/passwd.tf", BAD_TF.as_bytes())],
        &[],
    )
    .await;
    assert_eq!(s, 400, "path traversal refused: {b}");
    let (s, _) = upload(&srv, &reader, &[("main.tf", BAD_TF.as_bytes())], &[]).await;
    assert_eq!(s, 403);

    let (_, ok) = upload(
        &srv,
        &key,
        &[("main.tf", BAD_TF.as_bytes())],
        &[("async", "false")],
    )
    .await;
    let id = ok["scan_id"].as_str().unwrap();
    for path in ["/api/v1/iac/scan/status", "/api/v1/iac/scan/detailedReport"] {
        let (s, b) = srv.get(&format!("{path}?scan_id={id}"), &other).await;
        assert_eq!(
            (s, b["message"].as_str()),
            (400, Some("Unable to find the scan you requested")),
            "{path}"
        );
        let (s, b) = srv.get(&format!("{path}?scan_id=not-a-scan"), &key).await;
        assert_eq!(
            (s, b["message"].as_str()),
            (400, Some("Unable to find the scan you requested"))
        );
    }
    let (s, b) = srv
        .call(reqwest::Method::POST, "/api/v1/iac/scan", None, None)
        .await;
    assert_eq!(
        (s, b["message"].as_str()),
        (400, Some("ApiKey not provided"))
    );
}

#[tokio::test]
async fn policies_select_rules_and_saved_results_become_alerts() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    // Everything except Dockerfile rules, with the SSH rule's severity lowered.
    let (_, full) = upload(
        &srv,
        &admin,
        &[
            ("main.tf", BAD_TF.as_bytes()),
            ("Dockerfile", BAD_DOCKERFILE.as_bytes()),
        ],
        &[("async", "false")],
    )
    .await;
    let (_, rep) = srv
        .get(
            &format!(
                "/api/v1/iac/scan/detailedReport?scan_id={}",
                full["scan_id"].as_str().unwrap()
            ),
            &admin,
        )
        .await;
    let ssh_rule = rep["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["resource"] == "aws_security_group.ssh")
        .unwrap()["ruleId"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, pol) = srv
        .post("/bulwark/v1/iac/policies", &admin, json!({"name": "tf-only", "disabled": ["BLWK_DOCKER_*"], "severity_overrides": {ssh_rule.clone(): "LOW"}}))
        .await;
    assert_eq!(s, 201, "{pol}");
    assert_eq!(
        srv.post(
            "/bulwark/v1/iac/policies",
            &admin,
            json!({"name": "tf-only"})
        )
        .await
        .0,
        409
    );
    assert_eq!(
        srv.post(
            "/bulwark/v1/iac/policies",
            &admin,
            json!({"name": "x", "enabled": ["NOPE_*"]})
        )
        .await
        .0,
        400
    );

    let (s, body) = upload(
        &srv,
        &admin,
        &[
            ("main.tf", BAD_TF.as_bytes()),
            ("Dockerfile", BAD_DOCKERFILE.as_bytes()),
        ],
        &[
            ("async", "false"),
            ("policy_name", "tf-only"),
            ("save_results_to_account", "true"),
            ("repo_url", "https://git.example/infra"),
            ("branch", "main"),
            ("committer_name", "Ada"),
            ("committer_email", "ada@example.com"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let id = body["scan_id"].as_str().unwrap();
    let (_, rep) = srv
        .get(
            &format!("/api/v1/iac/scan/detailedReport?scan_id={id}"),
            &admin,
        )
        .await;
    let alerts = rep["alerts"].as_array().unwrap();
    assert!(
        alerts.iter().all(|a| a["fileName"] != "Dockerfile"),
        "Dockerfile rules disabled by the policy"
    );
    let ssh = alerts
        .iter()
        .find(|a| a["ruleId"] == ssh_rule.as_str())
        .unwrap();
    assert_eq!(ssh["criticalLevel"], "LOW", "severity overridden");

    let (s, b) = upload(
        &srv,
        &admin,
        &[("main.tf", BAD_TF.as_bytes())],
        &[("policy_name", "missing")],
    )
    .await;
    assert_eq!(s, 400, "{b}");
    let n = srv.get("/bulwark/v1/iac/policies", &admin).await.1["policies"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(n, 1);

    // Saved findings became alerts of the account, one per active finding.
    let (_, saved) = srv.get("/bulwark/v1/alerts", &admin).await;
    let saved = saved["alerts"].as_array().unwrap();
    assert_eq!(saved.len(), alerts.len(), "{saved:?}");
    let a = saved
        .iter()
        .find(|a| a["ruleResult"]["controlId"] == ssh_rule.as_str())
        .unwrap();
    assert_eq!(a["ruleResult"]["severity"], "LOW");
    assert_eq!(a["scanId"], id);
    assert_eq!(a["repoUrl"], "https://git.example/infra");
    assert_eq!(a["state"], "OPEN");
    assert_eq!(
        a["ruleResult"]["affectedResources"][0]["affectedResource"],
        "aws_security_group.ssh"
    );
    // The first scan did not save results: no alert carries its id.
    assert!(saved.iter().all(|a| a["scanId"] != full["scan_id"]));

    // The ALERT search key searches them with the search language.
    let (s, found) = srv
        .get(&format!("/api/v1/search/ALERT?searchTerm=ruleResult.controlId:{ssh_rule}%20and%20state:OPEN&size=50"), &admin)
        .await;
    assert_eq!(s, 200, "{found}");
    assert_eq!(found["data"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["data"][0]["scanId"], id);
    let (_, none) = srv
        .get(
            "/api/v1/search/ALERT?searchTerm=state:CLOSED&size=50",
            &admin,
        )
        .await;
    assert!(none["data"].as_array().unwrap().is_empty());
    let globex = env.token("globex", "admin").await;
    let (_, other) = srv.get("/api/v1/search/ALERT?size=50", &globex).await;
    assert!(
        other["data"].as_array().unwrap().is_empty(),
        "alerts are tenant-scoped"
    );
}

fn tar_gz(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(enc);
    for (path, data) in entries {
        let mut header = tar::Header::new_old();
        // Written raw so the test can build the hostile names `append_data` refuses.
        let name = &mut header.as_old_mut().name;
        name[..path.len()].copy_from_slice(path.as_bytes());
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, data.as_slice()).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

#[tokio::test]
async fn archives_are_unpacked_safely() {
    let env = Env::new().await;
    let key = env.token("acme", "analyst").await;
    let srv = env.serve().await;

    let good = tar_gz(&[
        ("infra/main.tf", BAD_TF.as_bytes().to_vec()),
        ("app/Dockerfile", BAD_DOCKERFILE.as_bytes().to_vec()),
    ]);
    let (s, body) = upload(&srv, &key, &[("repo.tar.gz", &good)], &[("async", "false")]).await;
    assert_eq!(s, 200, "{body}");
    let (_, rep) = srv
        .get(
            &format!(
                "/api/v1/iac/scan/detailedReport?scan_id={}",
                body["scan_id"].as_str().unwrap()
            ),
            &key,
        )
        .await;
    let files: Vec<&str> = rep["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["fileName"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"infra/main.tf") && files.contains(&"app/Dockerfile"),
        "{files:?}"
    );

    let traversal = tar_gz(&[("../../etc/cron.d/evil.tf", BAD_TF.as_bytes().to_vec())]);
    let (s, body) = upload(
        &srv,
        &key,
        &[("evil.tar.gz", &traversal)],
        &[("async", "false")],
    )
    .await;
    assert_eq!(s, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Proper arguments not provided"),
        "{body}"
    );

    // 40 MiB of zeros compress to a few KiB: the per-file cap stops it while unpacking.
    let bomb = tar_gz(&[("big.tf", vec![0u8; 40 * 1024 * 1024])]);
    assert!(bomb.len() < 1024 * 1024);
    let (s, body) = upload(&srv, &key, &[("bomb.tar.gz", &bomb)], &[("async", "false")]).await;
    assert_eq!(s, 400, "{body}");
    let (s, _) = upload(
        &srv,
        &key,
        &[("garbage.tar.gz", b"definitely not gzip")],
        &[("async", "false")],
    )
    .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn cli_submit_scans_on_the_server() {
    let env = Env::new().await;
    let key = env.token("acme", "analyst").await;
    let srv = env.serve().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), BAD_TF).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "iac",
            "scan",
            dir.path().to_str().unwrap(),
            "--submit",
            "--server",
            &srv.base,
            "--api-key",
            &key,
        ];
        args.extend_from_slice(extra);
        std::process::Command::new(crate::support::BIN)
            .args(&args)
            .output()
            .unwrap()
    };
    let out = run(&["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["report"]["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["resource"] == "aws_security_group.ssh")
    );
    let out = run(&["--fail-on", "none"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("aws_security_group.ssh"));
    let bad = std::process::Command::new(crate::support::BIN)
        .args([
            "iac",
            "scan",
            dir.path().to_str().unwrap(),
            "--submit",
            "--server",
            &srv.base,
            "--api-key",
            "0b9f3a51-2f3c-4d5e-8f70-1a2b3c4d5e6f",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Unauthorized access or ApiKey expired"));
}
