//! Every built-in rule proves itself: its examples must be flagged and its
//! negative examples must parse, reach the rule and pass.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::collections::BTreeMap;

use bulwark_iac::{Engine, Framework};

#[test]
fn every_rule_example_fails_and_every_negative_example_passes() {
    let engine = Engine::builtin().expect("built-in rules load");
    let problems: Vec<String> = engine
        .rules()
        .iter()
        .flat_map(|r| engine.check_rule_examples(r))
        .collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn rules_cover_every_framework_with_metadata() {
    let engine = Engine::builtin().unwrap();
    let mut per_framework: BTreeMap<&str, usize> = BTreeMap::new();
    for rule in engine.rules() {
        *per_framework.entry(rule.framework.as_str()).or_default() += 1;
        assert!(
            !rule.title.is_empty() && !rule.remediation.is_empty(),
            "{}",
            rule.id
        );
        assert!(
            !rule.compliance.is_empty(),
            "{} has no compliance mapping",
            rule.id
        );
    }
    for framework in [
        Framework::Terraform,
        Framework::Cloudformation,
        Framework::Kubernetes,
        Framework::Dockerfile,
        Framework::Arm,
    ] {
        assert!(
            per_framework.get(framework.as_str()).copied().unwrap_or(0) >= 10,
            "{per_framework:?}"
        );
    }
    eprintln!(
        "rules per framework: {per_framework:?}, total {}",
        engine.rules().len()
    );
}
