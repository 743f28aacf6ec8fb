//! Rules as data: each built-in rule is a YAML entry under `rules/` with its
//! id, severity, compliance mappings, remediation, condition and embedded
//! examples that must fail and negative examples that must pass. A few
//! rules name a coded check instead of a condition when they need real
//! logic (cross-resource relations, secret detection).

use serde::Serialize;

use crate::error::RuleError;
use crate::model::{Framework, Resource, Span};
use crate::severity::Severity;

pub mod coded;
pub mod condition;
mod load;

use condition::{Condition, Outcome, Tri};

/// The rule files compiled into the engine.
const BUILTIN: &[(&str, &str)] = &[
    ("aws.yaml", include_str!("../../rules/aws.yaml")),
    ("aws_more.yaml", include_str!("../../rules/aws_more.yaml")),
    ("azure.yaml", include_str!("../../rules/azure.yaml")),
    ("gcp.yaml", include_str!("../../rules/gcp.yaml")),
    (
        "cloudformation.yaml",
        include_str!("../../rules/cloudformation.yaml"),
    ),
    (
        "cloudformation_network_iam.yaml",
        include_str!("../../rules/cloudformation_network_iam.yaml"),
    ),
    ("arm.yaml", include_str!("../../rules/arm.yaml")),
    (
        "kubernetes.yaml",
        include_str!("../../rules/kubernetes.yaml"),
    ),
    (
        "kubernetes_cluster.yaml",
        include_str!("../../rules/kubernetes_cluster.yaml"),
    ),
    (
        "dockerfile.yaml",
        include_str!("../../rules/dockerfile.yaml"),
    ),
    ("secrets.yaml", include_str!("../../rules/secrets.yaml")),
];

/// A compliance standard and the controls of it a rule supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compliance {
    pub standard: String,
    pub controls: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Logic {
    Declarative {
        when: Option<Condition>,
        assert: Condition,
    },
    Coded {
        when: Option<Condition>,
        check: coded::CodedCheck,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub framework: Framework,
    pub resource_types: Vec<String>,
    pub compliance: Vec<Compliance>,
    pub remediation: String,
    pub references: Vec<String>,
    #[serde(skip)]
    pub(crate) logic: Logic,
    /// Snippets this rule must flag.
    #[serde(skip)]
    pub examples: Vec<String>,
    /// Snippets this rule must not flag.
    #[serde(skip)]
    pub negative_examples: Vec<String>,
}

/// The verdict of one rule on one resource.
#[derive(Debug, Clone)]
pub enum Verdict {
    NotApplicable,
    Pass,
    Fail {
        span: Option<Span>,
        detail: Option<String>,
    },
}

impl Rule {
    pub fn applies_to(&self, resource: &Resource) -> bool {
        resource.framework.rule_family() == self.framework
            && self
                .resource_types
                .iter()
                .any(|t| t == "*" || *t == resource.kind)
    }

    /// Evaluates the rule on a resource; `all` is every resource of the scan
    /// (for checks that relate resources).
    pub fn evaluate(&self, resource: &Resource, all: &[Resource]) -> Verdict {
        if !self.applies_to(resource) {
            return Verdict::NotApplicable;
        }
        let when = match &self.logic {
            Logic::Declarative { when, .. } | Logic::Coded { when, .. } => when,
        };
        if let Some(when) = when {
            // Only a definite match puts the resource in scope.
            if when.eval(&resource.body, resource).tri != Tri::True {
                return Verdict::NotApplicable;
            }
        }
        let outcome: Outcome = match &self.logic {
            Logic::Declarative { assert, .. } => assert.eval(&resource.body, resource),
            Logic::Coded { check, .. } => (check.run)(resource, all),
        };
        match outcome.tri {
            Tri::False => Verdict::Fail {
                span: outcome.span,
                detail: outcome.detail,
            },
            Tri::True | Tri::Unknown => Verdict::Pass,
        }
    }
}

/// Loads the built-in rules.
pub fn builtin() -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for (file, text) in BUILTIN {
        rules.extend(load::load_file(file, text)?);
    }
    check_unique(&rules)?;
    Ok(rules)
}

/// Loads rules from a user-supplied YAML file (same format as built-ins).
pub fn from_yaml(file: &str, text: &str) -> Result<Vec<Rule>, RuleError> {
    load::load_file(file, text)
}

pub(crate) fn check_unique(rules: &[Rule]) -> Result<(), RuleError> {
    let mut seen = std::collections::HashSet::new();
    for rule in rules {
        if !seen.insert(rule.id.as_str()) {
            return Err(RuleError {
                file: String::new(),
                message: format!("duplicate rule id `{}`", rule.id),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) use load::condition_from_yaml;
