//! `bulwark iac scan`: the stable CI interface (formats, output file, exit codes).

use std::process::Command;

use crate::support::BIN;

const BAD_TF: &str = r#"
resource "aws_s3_bucket" "public" {
  bucket = "acme-public"
  acl    = "public-read"
}

resource "aws_security_group" "ssh" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

const BAD_POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: root-pod
spec:
  hostNetwork: true
  containers:
    - name: app
      image: nginx:latest
      securityContext:
        privileged: true
"#;

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), BAD_TF).unwrap();
    std::fs::create_dir(dir.path().join("k8s")).unwrap();
    std::fs::write(dir.path().join("k8s/pod.yaml"), BAD_POD).unwrap();
    dir
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_code_follows_fail_on() {
    let dir = tree();
    let p = dir.path().to_str().unwrap();
    let (code, out, _) = run(&["iac", "scan", p]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("aws_security_group.ssh"), "{out}");
    assert!(out.contains("main.tf"), "{out}");
    let (code, _, _) = run(&["iac", "scan", p, "--fail-on", "none"]);
    assert_eq!(code, 0);
    // A tree with only low findings passes --fail-on critical.
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(
        clean.path().join("Dockerfile"),
        "FROM alpine:3.20\nUSER app\nHEALTHCHECK CMD true\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "iac",
        "scan",
        clean.path().to_str().unwrap(),
        "--fail-on",
        "critical",
    ]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn json_sarif_and_junit_reports() {
    let dir = tree();
    let p = dir.path().to_str().unwrap();
    let out_file = dir.path().join("report.json");
    let (code, stdout, _) = run(&[
        "iac",
        "scan",
        p,
        "--format",
        "json",
        "--output",
        out_file.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "the report goes to the file");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let sg = findings
        .iter()
        .find(|f| {
            f["resource"] == "aws_security_group.ssh"
                && (f["severity"] == "HIGH" || f["severity"] == "CRITICAL")
        })
        .expect("open SSH finding");
    assert_eq!(sg["file"], "main.tf");
    assert!(
        sg["start_line"].as_u64().unwrap() >= 7 && sg["end_line"].as_u64().unwrap() <= 15,
        "{sg}"
    );
    assert!(findings.iter().any(|f| {
        f["file"] == "k8s/pod.yaml"
            && f["title"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("privileged")
    }));

    let (_, sarif, _) = run(&["iac", "scan", p, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"].as_str().is_some());
    assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    assert!(
        !sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let (_, junit, _) = run(&["iac", "scan", p, "--format", "junit"]);
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(
        junit.contains("<testsuite") && junit.contains("<failure"),
        "{junit}"
    );
}

#[test]
fn rule_selection_and_bad_usage() {
    let dir = tree();
    let p = dir.path().to_str().unwrap();
    let (_, all, _) = run(&["iac", "scan", p, "--format", "json", "--fail-on", "none"]);
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let first = all["findings"][0]["rule_id"].as_str().unwrap().to_string();
    let (_, without, _) = run(&[
        "iac",
        "scan",
        p,
        "--format",
        "json",
        "--skip-check",
        &first,
        "--fail-on",
        "none",
    ]);
    let without: serde_json::Value = serde_json::from_str(&without).unwrap();
    assert!(
        without["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule_id"] != first.as_str())
    );
    let (_, only, _) = run(&[
        "iac",
        "scan",
        p,
        "--format",
        "json",
        "--check",
        "BLWK_K8S_*",
        "--fail-on",
        "none",
    ]);
    let only: serde_json::Value = serde_json::from_str(&only).unwrap();
    assert!(
        only["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule_id"].as_str().unwrap().starts_with("BLWK_K8S_"))
    );

    let (code, _, err) = run(&["iac", "scan", p, "--format", "yaml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&["iac", "scan", p, "--skip-check", "NOPE_1"]);
    assert_eq!((code, err.contains("NOPE_1")), (2, true), "{err}");
    let (code, _, _) = run(&["iac", "scan", "/definitely/not/here"]);
    assert_eq!(code, 2);
}

#[test]
fn inline_suppressions_are_reported_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (_, plain, _) = {
        std::fs::write(dir.path().join("main.tf"), BAD_TF).unwrap();
        run(&[
            "iac",
            "scan",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            "none",
        ])
    };
    let plain: serde_json::Value = serde_json::from_str(&plain).unwrap();
    let target = plain["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"] == "aws_s3_bucket.public")
        .unwrap()["rule_id"]
        .as_str()
        .unwrap()
        .to_string();
    let suppressed_tf = BAD_TF.replace(
        "resource \"aws_s3_bucket\" \"public\" {",
        &format!("resource \"aws_s3_bucket\" \"public\" {{\n  # bulwark:skip={target}:static website, reviewed"),
    );
    std::fs::write(dir.path().join("main.tf"), suppressed_tf).unwrap();
    let (_, out, _) = run(&[
        "iac",
        "scan",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "none",
    ]);
    let out: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == target.as_str() && f["resource"] == "aws_s3_bucket.public")
        .unwrap();
    assert_eq!(f["suppressed"]["reason"], "static website, reviewed");
}
