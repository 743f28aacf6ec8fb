//! Named rule selections ("IaC policies"): which rules run and at what
//! severity. The default selection enables every rule at its own severity.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rules::Rule;
use crate::severity::Severity;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSelection {
    pub name: String,
    /// Rule ids or prefixes ending in `*` to enable; empty means all rules.
    #[serde(default)]
    pub enabled: Vec<String>,
    /// Rule ids or prefixes ending in `*` to leave out (applied after `enabled`).
    #[serde(default)]
    pub disabled: Vec<String>,
    #[serde(default)]
    pub severity_overrides: BTreeMap<String, Severity>,
}

fn matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => pattern == id,
    }
}

impl RuleSelection {
    /// All rules at their own severities.
    pub fn all() -> RuleSelection {
        RuleSelection {
            name: "default".to_string(),
            ..RuleSelection::default()
        }
    }

    pub fn is_enabled(&self, rule_id: &str) -> bool {
        (self.enabled.is_empty() || self.enabled.iter().any(|p| matches(p, rule_id)))
            && !self.disabled.iter().any(|p| matches(p, rule_id))
    }

    pub fn severity_of(&self, rule: &Rule) -> Severity {
        self.severity_overrides
            .get(&rule.id)
            .copied()
            .unwrap_or(rule.severity)
    }

    /// Ids in `enabled`, `disabled` or overrides that match no rule (typos).
    pub fn unknown_ids(&self, rules: &[Rule]) -> Vec<String> {
        self.enabled
            .iter()
            .chain(&self.disabled)
            .chain(self.severity_overrides.keys())
            .filter(|p| !rules.iter().any(|r| matches(p, &r.id)))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enable_disable_and_prefixes() {
        let sel = RuleSelection {
            name: "k8s".into(),
            enabled: vec!["BLWK_K8S_*".into(), "BLWK_AWS_001".into()],
            disabled: vec!["BLWK_K8S_002".into()],
            severity_overrides: BTreeMap::new(),
        };
        assert!(sel.is_enabled("BLWK_K8S_001"));
        assert!(!sel.is_enabled("BLWK_K8S_002"));
        assert!(sel.is_enabled("BLWK_AWS_001"));
        assert!(!sel.is_enabled("BLWK_AWS_002"));
        assert!(RuleSelection::all().is_enabled("ANYTHING"));
    }
}
