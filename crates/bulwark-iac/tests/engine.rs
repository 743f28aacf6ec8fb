//! End-to-end scans through the public API: formats, suppressions,
//! policies, report invariants and presenters.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::collections::BTreeMap;

use bulwark_iac::{
    Engine, Limits, OutputFormat, Report, RuleSelection, ScanInput, ScanOptions, Severity, present,
};

fn scan_with(files: &[(&str, &str)], options: &ScanOptions) -> Report {
    let engine = Engine::builtin().unwrap();
    let input = ScanInput::from_files(
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
        &Limits::default(),
    )
    .unwrap();
    engine.scan(&input, options)
}

fn scan(files: &[(&str, &str)]) -> Report {
    scan_with(files, &ScanOptions::default())
}

fn has(report: &Report, rule: &str, resource: &str) -> bool {
    report
        .active_findings()
        .any(|f| f.rule_id == rule && f.resource == resource)
}

const TF: &str = r#"
variable "public" { default = true }

resource "aws_s3_bucket" "site" {
  # bulwark:skip=BLWK_AWS_002:static website bucket, public by design
  bucket = "site"
}

resource "aws_db_instance" "db" {
  engine              = "postgres"
  publicly_accessible = var.public
  storage_encrypted   = true
}
"#;

#[test]
fn terraform_findings_locations_and_comment_suppression() {
    let report = scan(&[("infra/main.tf", TF)]);
    let f = report
        .findings
        .iter()
        .find(|f| f.rule_id == "BLWK_AWS_012")
        .expect("publicly accessible through a variable default");
    assert_eq!(
        (f.file.as_str(), f.start_line, f.resource.as_str()),
        ("infra/main.tf", 11, "aws_db_instance.db")
    );
    assert_eq!((f.resource_start_line, f.resource_end_line), (9, 13));
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.message.contains("publicly_accessible"), "{}", f.message);
    let suppressed = report
        .findings
        .iter()
        .find(|f| f.rule_id == "BLWK_AWS_002")
        .unwrap();
    assert_eq!(
        suppressed.suppressed.as_ref().unwrap().reason,
        "static website bucket, public by design"
    );
    assert!(report.summary.suppressed >= 1);
    assert!(!has(&report, "BLWK_AWS_011", "aws_db_instance.db"));
}

#[test]
fn tfvars_override_defaults() {
    let report = scan(&[("main.tf", TF), ("prod.auto.tfvars", "public = false\n")]);
    assert!(!has(&report, "BLWK_AWS_012", "aws_db_instance.db"));
}

#[test]
fn kubernetes_multi_document_annotations_and_helm_output() {
    let manifests = r#"# Source: chart/templates/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    bulwark.io/skip-BLWK_K8S_004: needs node metrics
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: nginx:latest
          securityContext: {privileged: true}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          containers: [{name: dump, image: "pg:16"}]
"#;
    let report = scan(&[("rendered/all.yaml", manifests)]);
    assert!(has(
        &report,
        "BLWK_K8S_001",
        "Deployment/shop/web/containers[app]"
    ));
    assert!(has(
        &report,
        "BLWK_K8S_011",
        "Deployment/shop/web/containers[app]"
    ));
    assert!(has(&report, "BLWK_K8S_005", "CronJob/ops/backup"));
    let host_net = report
        .findings
        .iter()
        .find(|f| f.rule_id == "BLWK_K8S_004")
        .unwrap();
    assert_eq!(
        host_net.suppressed.as_ref().unwrap().reason,
        "needs node metrics"
    );
    let privileged = report
        .findings
        .iter()
        .find(|f| f.rule_id == "BLWK_K8S_001")
        .unwrap();
    assert_eq!(privileged.start_line, 16, "points at the privileged flag");
}

#[test]
fn cloudformation_yaml_json_and_metadata_suppression() {
    let yaml = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Public: {Type: String, Default: "true"}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: !Ref Public
      StorageEncrypted: true
  Logs:
    Type: AWS::S3::Bucket
    Metadata:
      bulwark:
        skip:
          - id: BLWK_CFN_001
            comment: legacy public log bucket
    Properties:
      AccessControl: PublicRead
"#;
    let json =
        r#"{"Resources": {"Vol": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 10}}}}"#;
    let report = scan(&[("cfn/stack.yaml", yaml), ("cfn/vol.json", json)]);
    assert!(has(&report, "BLWK_CFN_011", "Resources.Db"));
    assert!(has(&report, "BLWK_CFN_009", "Resources.Vol"));
    let acl = report
        .findings
        .iter()
        .find(|f| f.rule_id == "BLWK_CFN_001")
        .unwrap();
    assert!(acl.suppressed.is_some());
}

#[test]
fn dockerfile_arm_and_plan() {
    let dockerfile = "FROM node:latest\n# bulwark:skip=BLWK_DOCKER_004:healthchecked by the orchestrator\nRUN curl -s https://x.sh | sh\n";
    let arm = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "contentVersion": "1.0.0.0",
 "resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "s", "properties": {"supportsHttpsTrafficOnly": false}}]}"#;
    let plan = r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v", "values": {"encrypted": false}}]}}}"#;
    let report = scan(&[
        ("app/Dockerfile", dockerfile),
        ("azure/deploy.json", arm),
        ("plan.json", plan),
    ]);
    assert!(has(&report, "BLWK_DOCKER_002", "app/Dockerfile"));
    let pipe = report
        .findings
        .iter()
        .find(|f| f.rule_id == "BLWK_DOCKER_007")
        .unwrap();
    assert_eq!(pipe.start_line, 3);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule_id == "BLWK_DOCKER_004" && f.suppressed.is_some())
    );
    assert!(has(
        &report,
        "BLWK_ARM_001",
        "Microsoft.Storage/storageAccounts/s"
    ));
    assert!(has(&report, "BLWK_AWS_010", "aws_ebs_volume.v"));
    assert_eq!(
        report.summary.files_by_framework.get("terraform_plan"),
        Some(&1)
    );
}

#[test]
fn parse_errors_are_reported_and_do_not_stop_the_scan() {
    let report = scan(&[
        ("bad.tf", "resource \"x\" {\n  = \n"),
        ("k8s/bad.yaml", "apiVersion: v1\nkind: [\n"),
        ("main.tf", TF),
    ]);
    assert_eq!(report.parse_errors.len(), 2, "{:?}", report.parse_errors);
    assert!(report.parse_errors.iter().all(|e| e.line.is_some()));
    assert!(has(&report, "BLWK_AWS_012", "aws_db_instance.db"));
}

#[test]
fn policies_select_rules_and_override_severity() {
    let selection = RuleSelection {
        name: "db-only".into(),
        enabled: vec!["BLWK_AWS_01*".into()],
        disabled: vec!["BLWK_AWS_013".into()],
        severity_overrides: BTreeMap::from([("BLWK_AWS_012".to_string(), Severity::Low)]),
    };
    let options = ScanOptions {
        selection,
        ..ScanOptions::default()
    };
    let report = scan_with(&[("main.tf", TF)], &options);
    assert_eq!(report.policy, "db-only");
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule_id.starts_with("BLWK_AWS_01") && f.rule_id != "BLWK_AWS_013")
    );
    let f = report
        .findings
        .iter()
        .find(|f| f.rule_id == "BLWK_AWS_012")
        .unwrap();
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(report.rule("BLWK_AWS_012").unwrap().severity, Severity::Low);
    assert!(!report.fails_at(Severity::Medium));
    assert!(report.fails_at(Severity::Low));
}

#[test]
fn report_is_deterministic_and_counts_add_up() {
    let files = [
        ("main.tf", TF),
        ("Dockerfile", "FROM ubuntu\nRUN sudo ls\n"),
    ];
    let a = present::to_json(&scan(&files));
    let b = present::to_json(&scan(&files));
    assert_eq!(a, b);
    let report = scan(&files);
    assert_eq!(report.counts().total(), report.summary.failed);
    assert_eq!(report.max_severity(), Some(Severity::Critical));
    let mut sorted = report.findings.clone();
    sorted.sort_by(|x, y| {
        (&x.file, x.start_line, &x.rule_id).cmp(&(&y.file, y.start_line, &y.rule_id))
    });
    assert_eq!(sorted, report.findings);
}

#[test]
fn presenters_render_every_format() {
    let report = scan(&[("main.tf", TF), ("Dockerfile", "FROM ubuntu\n")]);
    let json: serde_json::Value = serde_json::from_str(&present::to_json(&report)).unwrap();
    assert!(json["findings"].as_array().unwrap().len() >= 2);

    let sarif: serde_json::Value = serde_json::from_str(&present::to_sarif(&report)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() > 200);
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "BLWK_AWS_012")
        .unwrap();
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "main.tf");
    assert_eq!(location["region"]["startLine"], 11);
    let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][rule_index]["id"],
        "BLWK_AWS_012"
    );
    assert!(
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "inSource")
    );

    let junit = present::to_junit(&report);
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains("<testsuite name=\"terraform\""));
    assert!(junit.contains("<failure message=\""));
    assert!(junit.contains("<skipped message=\"suppressed: static website bucket"));
    assert_eq!(
        junit.matches("<testsuite ").count(),
        junit.matches("</testsuite>").count()
    );

    let table = present::render(&report, "table".parse::<OutputFormat>().unwrap());
    assert!(table.contains("BLWK_AWS_012") && table.contains("main.tf:11"));
    assert!(table.contains("Failed by severity: CRITICAL"));
}

#[test]
fn progress_reports_each_file() {
    let engine = Engine::builtin().unwrap();
    let input = ScanInput::from_files(
        [
            ("a.tf".to_string(), b"".to_vec()),
            ("b.yaml".to_string(), b"a: 1".to_vec()),
        ],
        &Limits::default(),
    )
    .unwrap();
    let mut seen = Vec::new();
    engine.scan_with_progress(&input, &ScanOptions::default(), &mut |p| {
        seen.push((p.files_done, p.files_total))
    });
    assert_eq!(seen, [(1, 2), (2, 2)]);
}

#[test]
fn custom_rules_load_and_duplicates_are_refused() {
    let mut engine = Engine::builtin().unwrap();
    let custom = r#"
rules:
  - id: BLWK_CUSTOM_001
    title: Buckets must carry an owner tag
    severity: LOW
    framework: terraform
    resource_types: [aws_s3_bucket]
    compliance: {internal: [tagging]}
    remediation: Add `tags = { owner = ... }`.
    assert: {attr: tags.owner, exists: true}
    examples: ['resource "aws_s3_bucket" "b" {}']
    negative_examples: ['resource "aws_s3_bucket" "b" { tags = { owner = "data" } }']
"#;
    engine.add_rules_yaml("custom.yaml", custom).unwrap();
    let rule = engine.rule("BLWK_CUSTOM_001").unwrap();
    assert!(engine.check_rule_examples(rule).is_empty());
    assert!(engine.add_rules_yaml("again.yaml", custom).is_err());
}

#[test]
fn hostile_yaml_is_a_parse_error_not_an_outage() {
    let mut bomb =
        String::from("apiVersion: v1\nkind: ConfigMap\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = "a".to_string();
    for i in 0..9 {
        let name = format!("l{i}");
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
        prev = name;
    }
    let report = scan(&[("bomb.yaml", &bomb), ("main.tf", TF)]);
    assert!(
        report
            .parse_errors
            .iter()
            .any(|e| e.file == "bomb.yaml" && e.message.contains("alias")),
        "{:?}",
        report.parse_errors
    );
    assert!(has(&report, "BLWK_AWS_012", "aws_db_instance.db"));
}
