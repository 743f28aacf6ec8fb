//! SARIF 2.1.0, as code-scanning UIs (GitHub, GitLab, Azure DevOps) read it.

use serde_json::{Value, json};

use crate::report::Report;
use crate::severity::Severity;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub orders and badges alerts by this numeric score.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

pub fn to_sarif(report: &Report) -> String {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            let mut tags = vec![json!("security"), json!("iac"), json!(r.framework.as_str())];
            for c in &r.compliance {
                tags.push(json!(c.standard));
            }
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": if r.description.is_empty() { &r.title } else { &r.description }},
                "help": {"text": r.remediation, "markdown": r.remediation},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {
                    "security-severity": security_severity(r.severity),
                    "severity": r.severity.as_str(),
                    "tags": tags,
                }
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity),
                "message": {"text": format!("{} ({})", f.message, f.resource)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file},
                        "region": {"startLine": f.start_line.max(1), "endLine": f.end_line.max(f.start_line).max(1)}
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.resource, "kind": "resource"}]
                }],
                "properties": {"severity": f.severity.as_str(), "resourceType": f.resource_type}
            });
            if let Some(object) = result.as_object_mut() {
                if let Some(index) = report.rules.iter().position(|r| r.id == f.rule_id) {
                    object.insert("ruleIndex".into(), json!(index));
                }
                if let Some(s) = &f.suppressed {
                    object.insert(
                        "suppressions".into(),
                        json!([{"kind": "inSource", "justification": s.reason}]),
                    );
                }
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&sarif).unwrap_or_default()
}
