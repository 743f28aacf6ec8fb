//! Runs rules over parsed resources and assembles the [`Report`].

use std::collections::{BTreeMap, HashMap};

use crate::error::RuleError;
use crate::input::{Limits, ScanInput};
use crate::model::{Framework, Resource, Span};
use crate::parse::{self, Progress};
use crate::policy::RuleSelection;
use crate::report::{Finding, PassedCheck, Report, RuleInfo, Summary, Suppression, ToolInfo};
use crate::rules::{self, Rule, Verdict};

/// Scan settings: which rules (and severities) and parser limits.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub selection: RuleSelection,
    pub limits: Limits,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            selection: RuleSelection::all(),
            limits: Limits::default(),
        }
    }
}

/// The scanning engine: a loaded rule set. Cheap to share; scans are pure.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: Vec<Rule>,
}

impl Engine {
    /// The engine with every built-in rule.
    pub fn builtin() -> Result<Engine, RuleError> {
        Ok(Engine {
            rules: rules::builtin()?,
        })
    }

    /// An engine over the given rules (built-ins plus custom ones, or a subset).
    pub fn with_rules(rules: Vec<Rule>) -> Result<Engine, RuleError> {
        rules::check_unique(&rules)?;
        Ok(Engine { rules })
    }

    /// Adds rules from a YAML file in the built-in format.
    pub fn add_rules_yaml(&mut self, file: &str, text: &str) -> Result<(), RuleError> {
        let mut all = self.rules.clone();
        all.extend(rules::from_yaml(file, text)?);
        rules::check_unique(&all)?;
        self.rules = all;
        Ok(())
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn scan(&self, input: &ScanInput, options: &ScanOptions) -> Report {
        self.scan_with_progress(input, options, &mut |_| {})
    }

    /// Scans, calling `progress` after each file is parsed.
    pub fn scan_with_progress(
        &self,
        input: &ScanInput,
        options: &ScanOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Report {
        let files = input.files();
        let parsed = parse::parse_all(files, &options.limits, progress);
        let selection = &options.selection;
        let enabled: Vec<&Rule> = self
            .rules
            .iter()
            .filter(|r| selection.is_enabled(&r.id))
            .collect();

        // Rules indexed by (framework, resource type); `*` rules per framework.
        let mut by_type: HashMap<(Framework, &str), Vec<&Rule>> = HashMap::new();
        for rule in &enabled {
            for kind in &rule.resource_types {
                by_type
                    .entry((rule.framework, kind.as_str()))
                    .or_default()
                    .push(rule);
            }
        }
        let path_of = |span: Span| {
            files
                .get(span.file.0 as usize)
                .map_or_else(String::new, |f| f.path.clone())
        };

        let mut findings = Vec::new();
        let mut passed = Vec::new();
        for resource in &parsed.resources {
            let family = resource.framework.rule_family();
            let typed = by_type
                .get(&(family, resource.kind.as_str()))
                .into_iter()
                .flatten();
            let wildcard = by_type.get(&(family, "*")).into_iter().flatten();
            for rule in typed.chain(wildcard) {
                match rule.evaluate(resource, &parsed.resources) {
                    Verdict::NotApplicable => {}
                    Verdict::Pass => passed.push(PassedCheck {
                        rule_id: rule.id.clone(),
                        framework: resource.framework,
                        file: path_of(resource.span),
                        resource: resource.address.clone(),
                        resource_type: resource.kind.clone(),
                    }),
                    Verdict::Fail { span, detail } => {
                        findings.push(finding(rule, selection, resource, span, detail, &path_of));
                    }
                }
            }
        }
        findings.sort_by(|a, b| {
            (&a.file, a.start_line, &a.rule_id, &a.resource).cmp(&(
                &b.file,
                b.start_line,
                &b.rule_id,
                &b.resource,
            ))
        });
        findings.dedup();
        passed.sort_by(|a, b| {
            (&a.file, &a.resource, &a.rule_id).cmp(&(&b.file, &b.resource, &b.rule_id))
        });
        passed.dedup();

        let mut summary = Summary {
            files: files.len(),
            resources: parsed.resources.len(),
            passed: passed.len(),
            parse_errors: parsed.errors.len(),
            ..Summary::default()
        };
        let mut per_framework: BTreeMap<String, usize> = BTreeMap::new();
        for (_, framework) in &parsed.files_by_framework {
            *per_framework
                .entry(framework.as_str().to_string())
                .or_default() += 1;
        }
        summary.files_by_framework = per_framework;
        for f in &findings {
            if f.suppressed.is_some() {
                summary.suppressed += 1;
            } else {
                summary.failed += 1;
                summary.failed_by_severity.add(f.severity);
            }
        }
        let mut errors = parsed.errors;
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Report {
            tool: ToolInfo {
                name: "bulwark-iac",
                version: env!("CARGO_PKG_VERSION"),
            },
            policy: selection.name.clone(),
            summary,
            findings,
            passed,
            parse_errors: errors,
            skipped_files: input.skipped().to_vec(),
            rules: enabled
                .iter()
                .map(|r| RuleInfo {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    description: r.description.clone(),
                    severity: selection.severity_of(r),
                    framework: r.framework,
                    resource_types: r.resource_types.clone(),
                    compliance: r.compliance.clone(),
                    remediation: r.remediation.clone(),
                    references: r.references.clone(),
                })
                .collect(),
        }
    }
}

fn finding(
    rule: &Rule,
    selection: &RuleSelection,
    resource: &Resource,
    span: Option<Span>,
    detail: Option<String>,
    path_of: &dyn Fn(Span) -> String,
) -> Finding {
    // Evidence from another file (or without a line) falls back to the resource.
    let location = span
        .filter(|s| s.file == resource.span.file && s.start_line > 0)
        .unwrap_or(resource.span);
    let suppressed = resource
        .skips
        .iter()
        .find(|s| s.rule_id.eq_ignore_ascii_case(&rule.id))
        .map(|s| Suppression {
            reason: if s.reason.is_empty() {
                "no reason given".to_string()
            } else {
                s.reason.clone()
            },
        });
    let message = match detail {
        Some(detail) => format!("{}: {detail}", rule.title),
        None => rule.title.clone(),
    };
    Finding {
        rule_id: rule.id.clone(),
        title: rule.title.clone(),
        severity: selection.severity_of(rule),
        framework: resource.framework,
        file: path_of(resource.span),
        start_line: location.start_line,
        end_line: location.end_line,
        resource: resource.address.clone(),
        resource_type: resource.kind.clone(),
        resource_start_line: resource.span.start_line,
        resource_end_line: resource.span.end_line,
        message,
        remediation: rule.remediation.clone(),
        compliance: rule.compliance.clone(),
        suppressed,
    }
}

/// The file name an example snippet is scanned under, by framework.
fn example_file_name(framework: Framework, text: &str) -> &'static str {
    let json = text.trim_start().starts_with('{');
    match framework {
        Framework::Terraform => "main.tf",
        Framework::TerraformPlan => "plan.json",
        Framework::Cloudformation if json => "template.json",
        Framework::Cloudformation => "template.yaml",
        Framework::Kubernetes => "manifest.yaml",
        Framework::Dockerfile => "Dockerfile",
        Framework::Arm => "azuredeploy.json",
    }
}

impl Engine {
    /// Runs a rule's embedded examples: each example must produce a finding
    /// of this rule, each negative example must parse, contain a resource the
    /// rule applies to, and produce none. Returns the problems found.
    pub fn check_rule_examples(&self, rule: &Rule) -> Vec<String> {
        let mut problems = Vec::new();
        let single = Engine {
            rules: vec![rule.clone()],
        };
        let options = ScanOptions::default();
        let run = |text: &str| {
            let input = ScanInput::from_files(
                [(
                    example_file_name(rule.framework, text).to_string(),
                    text.as_bytes().to_vec(),
                )],
                &options.limits,
            );
            input.map(|i| {
                (
                    single.scan(&i, &options),
                    parse::parse_all(i.files(), &options.limits, &mut |_| {}),
                )
            })
        };
        for (n, example) in rule.examples.iter().enumerate() {
            match run(example) {
                Ok((report, _)) if report.active_findings().any(|f| f.rule_id == rule.id) => {}
                Ok((report, _)) => problems.push(format!(
                    "{}: example {} is not flagged (parse errors: {:?})",
                    rule.id,
                    n + 1,
                    report.parse_errors
                )),
                Err(e) => problems.push(format!("{}: example {}: {e}", rule.id, n + 1)),
            }
        }
        for (n, example) in rule.negative_examples.iter().enumerate() {
            match run(example) {
                Ok((report, parsed)) => {
                    if !report.parse_errors.is_empty() {
                        problems.push(format!(
                            "{}: negative example {} does not parse: {:?}",
                            rule.id,
                            n + 1,
                            report.parse_errors
                        ));
                    } else if !parsed.resources.iter().any(|r| rule.applies_to(r)) {
                        problems.push(format!(
                            "{}: negative example {} has no resource the rule applies to",
                            rule.id,
                            n + 1
                        ));
                    } else if let Some(f) = report.findings.iter().find(|f| f.rule_id == rule.id) {
                        problems.push(format!(
                            "{}: negative example {} is flagged: {}",
                            rule.id,
                            n + 1,
                            f.message
                        ));
                    }
                }
                Err(e) => problems.push(format!("{}: negative example {}: {e}", rule.id, n + 1)),
            }
        }
        problems
    }
}
