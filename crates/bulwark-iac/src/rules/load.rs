//! Decodes rule files (YAML, embedded at build time) into [`Rule`]s,
//! checking every field so a malformed rule fails the build's tests with a
//! message naming the rule.

use regex::Regex;

use super::condition::{Condition, Op, Path};
use super::{Compliance, Logic, Rule, coded};
use crate::error::RuleError;
use crate::model::{FileId, Framework, Node, Value};
use crate::parse::yaml;
use crate::severity::Severity;

pub fn load_file(file: &str, text: &str) -> Result<Vec<Rule>, RuleError> {
    let err = |message: String| RuleError {
        file: file.to_string(),
        message,
    };
    let docs = yaml::parse_documents(text, FileId(0), 1_000_000)
        .map_err(|e| err(format!("{} (line {})", e.message, e.line.unwrap_or(0))))?;
    let root = docs.first().ok_or_else(|| err("empty rule file".into()))?;
    let list = root
        .get("rules")
        .and_then(Node::as_list)
        .ok_or_else(|| err("expected a top-level `rules:` list".into()))?;
    list.iter()
        .map(|node| {
            let id = node
                .get("id")
                .and_then(Node::as_str)
                .unwrap_or("?")
                .to_string();
            decode_rule(node)
                .map_err(|m| err(format!("rule `{id}` (line {}): {m}", node.span.start_line)))
        })
        .collect()
}

fn string(node: &Node, key: &str) -> Result<String, String> {
    node.get(key)
        .and_then(Node::scalar_text)
        .map(|s| s.trim().to_string())
        .ok_or_else(|| format!("missing `{key}`"))
}

fn strings(node: &Node, key: &str) -> Vec<String> {
    node.get(key)
        .map(|n| n.elements().iter().filter_map(Node::scalar_text).collect())
        .unwrap_or_default()
}

fn decode_rule(node: &Node) -> Result<Rule, String> {
    let id = string(node, "id")?;
    if !id.starts_with("BLWK_")
        || !id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Err("ids look like `BLWK_AWS_001`".into());
    }
    let severity: Severity = string(node, "severity")?.parse()?;
    let framework_text = string(node, "framework")?;
    let framework = Framework::parse(&framework_text)
        .ok_or_else(|| format!("unknown framework `{framework_text}`"))?;
    let resource_types = strings(node, "resource_types");
    if resource_types.is_empty() {
        return Err("`resource_types` must list at least one type".into());
    }
    let compliance = node
        .get("compliance")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|(standard, controls)| Compliance {
            standard: standard.clone(),
            controls: controls
                .elements()
                .iter()
                .filter_map(Node::scalar_text)
                .collect(),
        })
        .collect();
    let when = node.get("when").map(decode_condition).transpose()?;
    let logic = match (node.get("assert"), node.get("check")) {
        (Some(assert), None) => Logic::Declarative {
            when,
            assert: decode_condition(assert)?,
        },
        (None, Some(check)) => {
            let name = check.as_str().ok_or("`check` names a coded check")?;
            Logic::Coded {
                when,
                check: coded::lookup(name)
                    .ok_or_else(|| format!("unknown coded check `{name}`"))?,
            }
        }
        _ => return Err("exactly one of `assert` and `check` is required".into()),
    };
    let examples = strings(node, "examples");
    let negative_examples = strings(node, "negative_examples");
    if examples.is_empty() || negative_examples.is_empty() {
        return Err("at least one example and one negative example are required".into());
    }
    Ok(Rule {
        title: string(node, "title")?,
        description: node
            .get("description")
            .and_then(Node::scalar_text)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
        remediation: string(node, "remediation")?,
        references: strings(node, "references"),
        id,
        severity,
        framework,
        resource_types,
        compliance,
        logic,
        examples,
        negative_examples,
    })
}

fn decode_condition(node: &Node) -> Result<Condition, String> {
    let entries = node.as_map().ok_or_else(|| {
        format!(
            "condition at line {} must be a mapping",
            node.span.start_line
        )
    })?;
    let key = |k: &str| node.get(k);
    if let Some(items) = key("all") {
        return Ok(Condition::All(
            items
                .elements()
                .iter()
                .map(decode_condition)
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(items) = key("any") {
        return Ok(Condition::Any(
            items
                .elements()
                .iter()
                .map(decode_condition)
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(inner) = key("not") {
        return Ok(Condition::Not(Box::new(decode_condition(inner)?)));
    }
    for quantifier in ["every", "some", "none"] {
        if let Some(path) = key(quantifier) {
            let path = Path::parse(path.as_str().ok_or("quantifier path must be a string")?)?;
            let cond = Box::new(decode_condition(
                key("assert").ok_or_else(|| format!("`{quantifier}` needs `assert`"))?,
            )?);
            return Ok(match quantifier {
                "every" => Condition::Every { path, cond },
                "some" => Condition::Some { path, cond },
                _ => Condition::None { path, cond },
            });
        }
    }
    let path_text = key("attr").and_then(Node::as_str).ok_or_else(|| {
        format!(
            "condition at line {} needs one of all/any/not/every/some/none/attr (has {:?})",
            node.span.start_line,
            entries.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>()
        )
    })?;
    let path = Path::parse(path_text)?;
    let if_missing = match key("if_missing").and_then(Node::as_str) {
        None => None,
        Some("pass") => Some(true),
        Some("fail") => Some(false),
        Some(other) => return Err(format!("`if_missing` is pass or fail, not `{other}`")),
    };
    let mut ops = entries
        .iter()
        .filter(|(k, _)| k != "attr" && k != "if_missing");
    let (name, arg) = ops
        .next()
        .ok_or_else(|| format!("`attr: {path_text}` needs an operator"))?;
    if ops.next().is_some() {
        return Err(format!(
            "`attr: {path_text}` has more than one operator; combine with `all`"
        ));
    }
    let op = decode_op(name, arg)?;
    Ok(Condition::Attr {
        path,
        op,
        if_missing,
    })
}

fn decode_op(name: &str, arg: &Node) -> Result<Op, String> {
    let number = || {
        arg.as_f64()
            .ok_or_else(|| format!("`{name}` needs a number"))
    };
    let regex = || {
        let pattern = arg
            .as_str()
            .ok_or_else(|| format!("`{name}` needs a regex string"))?;
        Regex::new(pattern).map_err(|e| format!("bad regex `{pattern}`: {e}"))
    };
    let list = || match &arg.value {
        Value::List(items) => Ok(items.clone()),
        _ => Err(format!("`{name}` needs a list")),
    };
    Ok(match name {
        "exists" => Op::Exists(arg.as_bool().ok_or("`exists` needs true or false")?),
        "equals" => Op::Equals(arg.clone()),
        "not_equals" => Op::NotEquals(arg.clone()),
        "in" => Op::In(list()?),
        "not_in" => Op::NotIn(list()?),
        "matches" => Op::Matches(regex()?),
        "not_matches" => Op::NotMatches(regex()?),
        "gt" => Op::Gt(number()?),
        "gte" => Op::Gte(number()?),
        "lt" => Op::Lt(number()?),
        "lte" => Op::Lte(number()?),
        "contains" => Op::Contains(arg.clone()),
        "not_contains" => Op::NotContains(arg.clone()),
        other => return Err(format!("unknown operator `{other}`")),
    })
}

#[cfg(test)]
pub(crate) fn condition_from_yaml(text: &str) -> Result<Condition, String> {
    let docs = yaml::parse_documents(text, FileId(0), 10_000).map_err(|e| e.message)?;
    decode_condition(docs.first().ok_or("empty")?)
}
