//! The serializable result of a scan. Presenters (`crate::present`) and the
//! API render it; nothing here formats for a terminal or a protocol.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::input::SkippedFile;
use crate::model::Framework;
use crate::parse::FileError;
use crate::rules::Compliance;
use crate::severity::Severity;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tool: ToolInfo,
    /// Name of the rule selection the scan used.
    pub policy: String,
    pub summary: Summary,
    /// Failed checks, suppressed ones included (with their reason).
    pub findings: Vec<Finding>,
    pub passed: Vec<PassedCheck>,
    pub parse_errors: Vec<FileError>,
    pub skipped_files: Vec<SkippedFile>,
    /// The rules the scan ran, at their effective severities.
    pub rules: Vec<RuleInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
        }
    }

    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }

    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub files_by_framework: BTreeMap<String, usize>,
    pub resources: usize,
    pub passed: usize,
    pub failed: usize,
    pub suppressed: usize,
    pub parse_errors: usize,
    /// Unsuppressed findings per severity.
    pub failed_by_severity: SeverityCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    pub framework: Framework,
    pub file: String,
    pub start_line: u32,
    pub end_line: u32,
    pub resource: String,
    pub resource_type: String,
    pub resource_start_line: u32,
    pub resource_end_line: u32,
    pub message: String,
    pub remediation: String,
    pub compliance: Vec<Compliance>,
    /// Present when an inline suppression covers this finding: its reason.
    pub suppressed: Option<Suppression>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassedCheck {
    pub rule_id: String,
    pub framework: Framework,
    pub file: String,
    pub resource: String,
    pub resource_type: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub framework: Framework,
    pub resource_types: Vec<String>,
    pub compliance: Vec<Compliance>,
    pub remediation: String,
    pub references: Vec<String>,
}

impl Report {
    /// Findings not covered by a suppression.
    pub fn active_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    /// The highest severity among unsuppressed findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.active_findings().map(|f| f.severity).max()
    }

    /// Unsuppressed findings per severity.
    pub fn counts(&self) -> SeverityCounts {
        self.summary.failed_by_severity.clone()
    }

    /// Whether an unsuppressed finding at or above `threshold` exists
    /// (what `--fail-on` tests).
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.max_severity().is_some_and(|s| s >= threshold)
    }

    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}
