//! Checks that need more than a condition on one resource: relations
//! between Terraform resources (a bucket and its public-access block) and
//! secret detection over every string of a resource.

use std::sync::LazyLock;

use regex::Regex;

use super::condition::{Outcome, Tri};
use crate::model::{Node, Resource, Value};

pub type CheckFn = fn(&Resource, &[Resource]) -> Outcome;

#[derive(Clone, Copy)]
pub struct CodedCheck {
    pub name: &'static str,
    pub run: CheckFn,
}

impl std::fmt::Debug for CodedCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CodedCheck({})", self.name)
    }
}

const CHECKS: &[CodedCheck] = &[
    CodedCheck {
        name: "aws_s3_public_access_block",
        run: s3_public_access_block,
    },
    CodedCheck {
        name: "aws_s3_versioning",
        run: s3_versioning,
    },
    CodedCheck {
        name: "aws_s3_logging",
        run: s3_logging,
    },
    CodedCheck {
        name: "aws_s3_encryption",
        run: s3_encryption,
    },
    CodedCheck {
        name: "aws_vpc_flow_logs",
        run: vpc_flow_logs,
    },
    CodedCheck {
        name: "hardcoded_secrets",
        run: hardcoded_secrets,
    },
];

pub fn lookup(name: &str) -> Option<CodedCheck> {
    CHECKS.iter().find(|c| c.name == name).copied()
}

fn outcome(tri: Tri, detail: Option<String>) -> Outcome {
    Outcome {
        tri,
        span: None,
        detail,
    }
}

/// `aws_s3_bucket.logs` from `module.m.aws_s3_bucket.logs[0]`.
fn local_ref(resource: &Resource) -> String {
    let marker = format!("{}.", resource.kind);
    let tail = resource
        .address
        .rfind(&marker)
        .and_then(|i| resource.address.get(i + marker.len()..))
        .unwrap_or("");
    let name = tail.split('[').next().unwrap_or(tail);
    format!("{}{}", marker, name)
}

fn module_prefix(resource: &Resource) -> &str {
    let marker = format!("{}.", resource.kind);
    match resource.address.rfind(&marker) {
        Some(i) => resource.address.get(..i).unwrap_or(""),
        None => "",
    }
}

/// Whether `node` (an attribute such as `bucket`) points at `target`:
/// an unresolved reference to it, or its literal bucket name.
fn references(node: &Node, target: &Resource) -> bool {
    let reference = local_ref(target);
    match &node.value {
        Value::Unknown(text) => {
            text == &reference
                || text.contains(&format!("{reference}."))
                || text.contains(&format!("{reference}["))
        }
        Value::String(s) => target.body.get("bucket").and_then(Node::as_str) == Some(s.as_str()),
        _ => false,
    }
}

/// Resources of `kind` in the same module instance whose `attr` points at `target`.
fn companions<'a>(
    target: &Resource,
    all: &'a [Resource],
    kind: &str,
    attr: &str,
) -> Vec<&'a Resource> {
    let prefix = module_prefix(target);
    all.iter()
        .filter(|r| r.kind == kind && r.framework == target.framework && module_prefix(r) == prefix)
        .filter(|r| r.body.get(attr).is_some_and(|n| references(n, target)))
        .collect()
}

fn all_true(node: &Node, keys: &[&str]) -> Tri {
    let mut unknown = false;
    for key in keys {
        match node.get(key) {
            Some(v) if v.is_unknown() => unknown = true,
            Some(v) if v.as_bool() == Some(true) => {}
            _ => return Tri::False,
        }
    }
    if unknown { Tri::Unknown } else { Tri::True }
}

const PAB_KEYS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

fn s3_public_access_block(bucket: &Resource, all: &[Resource]) -> Outcome {
    let account = all
        .iter()
        .filter(|r| r.kind == "aws_s3_account_public_access_block")
        .map(|r| all_true(&r.body, &PAB_KEYS));
    let direct = companions(bucket, all, "aws_s3_bucket_public_access_block", "bucket")
        .into_iter()
        .map(|r| all_true(&r.body, &PAB_KEYS));
    let results: Vec<Tri> = account.chain(direct).collect();
    if results.contains(&Tri::True) {
        outcome(Tri::True, None)
    } else if results.contains(&Tri::Unknown) {
        outcome(Tri::Unknown, None)
    } else if results.is_empty() {
        outcome(
            Tri::False,
            Some("no `aws_s3_bucket_public_access_block` refers to this bucket".into()),
        )
    } else {
        outcome(
            Tri::False,
            Some("the bucket's public access block leaves some settings off".into()),
        )
    }
}

fn s3_versioning(bucket: &Resource, all: &[Resource]) -> Outcome {
    if let Some(v) = bucket
        .body
        .get("versioning")
        .and_then(|v| v.elements().first())
        .and_then(|v| v.get("enabled"))
    {
        return match v.as_bool() {
            Some(true) => outcome(Tri::True, None),
            _ if v.is_unknown() => outcome(Tri::Unknown, None),
            _ => Outcome {
                tri: Tri::False,
                span: Some(v.span),
                detail: Some("versioning is disabled".into()),
            },
        };
    }
    for r in companions(bucket, all, "aws_s3_bucket_versioning", "bucket") {
        let status = r
            .body
            .get("versioning_configuration")
            .and_then(|v| v.elements().first())
            .and_then(|v| v.get("status"));
        match status.map(|s| &s.value) {
            Some(Value::String(s)) if s == "Enabled" => return outcome(Tri::True, None),
            Some(Value::Unknown(_)) => return outcome(Tri::Unknown, None),
            _ => {}
        }
    }
    outcome(
        Tri::False,
        Some("versioning is not enabled for this bucket".into()),
    )
}

fn s3_logging(bucket: &Resource, all: &[Resource]) -> Outcome {
    if bucket.body.get("logging").is_some()
        || !companions(bucket, all, "aws_s3_bucket_logging", "bucket").is_empty()
    {
        return outcome(Tri::True, None);
    }
    outcome(
        Tri::False,
        Some("no access logging is configured for this bucket".into()),
    )
}

fn s3_encryption(bucket: &Resource, all: &[Resource]) -> Outcome {
    let inline = bucket
        .body
        .get("server_side_encryption_configuration")
        .is_some();
    if inline
        || !companions(
            bucket,
            all,
            "aws_s3_bucket_server_side_encryption_configuration",
            "bucket",
        )
        .is_empty()
    {
        return outcome(Tri::True, None);
    }
    outcome(
        Tri::False,
        Some("no customer-managed server-side encryption configuration".into()),
    )
}

fn vpc_flow_logs(vpc: &Resource, all: &[Resource]) -> Outcome {
    if companions(vpc, all, "aws_flow_log", "vpc_id").is_empty() {
        outcome(
            Tri::False,
            Some("no `aws_flow_log` refers to this VPC".into()),
        )
    } else {
        outcome(Tri::True, None)
    }
}

static TOKEN_PATTERNS: LazyLock<Vec<(&'static str, Option<Regex>)>> = LazyLock::new(|| {
    [
        ("AWS access key id", r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
        (
            "private key",
            r"-----BEGIN ((RSA|EC|DSA|OPENSSH|PGP) )?PRIVATE KEY",
        ),
        ("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
        ("Slack token", r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
        ("Stripe live key", r"\b[sr]k_live_[0-9a-zA-Z]{24,}"),
        ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ]
    .into_iter()
    .map(|(name, pattern)| (name, Regex::new(pattern).ok()))
    .collect()
});

static SECRET_KEY_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^[a-z0-9_.-]*(password|passwd|secret|token|api_?key|access_?key|private_?key|credentials?)$").ok()
});

/// Values that are references or placeholders rather than secrets.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.len() < 4
        || v.contains("${")
        || v.contains("{{")
        || v.starts_with("arn:")
        || v.starts_with('$')
        || v.starts_with("/run/secrets")
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "changeme" | "<secret>" | "placeholder" | "none" | "null" | "true" | "false"
        )
}

fn key_names_secret(key: &str) -> bool {
    SECRET_KEY_NAME.as_ref().is_some_and(|re| re.is_match(key))
        && !key.to_ascii_lowercase().ends_with("_arn")
        && !key.to_ascii_lowercase().contains("secretref")
}

fn hardcoded_secrets(resource: &Resource, _all: &[Resource]) -> Outcome {
    match find_secret(&resource.body, None, 0) {
        Some((span, detail)) => Outcome {
            tri: Tri::False,
            span: Some(span),
            detail: Some(detail),
        },
        None => outcome(Tri::True, None),
    }
}

fn find_secret(node: &Node, key: Option<&str>, depth: u32) -> Option<(crate::model::Span, String)> {
    if depth > 64 {
        return None;
    }
    match &node.value {
        Value::String(s) => {
            for (name, re) in TOKEN_PATTERNS.iter() {
                if re.as_ref().is_some_and(|re| re.is_match(s)) {
                    return Some((node.span, format!("a {name} is written in plain text")));
                }
            }
            if let Some(key) = key
                && key_names_secret(key)
                && !is_placeholder(s)
            {
                return Some((node.span, format!("`{key}` holds a literal secret")));
            }
            None
        }
        Value::List(items) => items.iter().find_map(|i| find_secret(i, key, depth + 1)),
        Value::Map(entries) => {
            // Kubernetes env entries and Dockerfile-like pairs: {name: X_PASSWORD, value: "..."}.
            if let (Some(name), Some(value)) =
                (node.get("name").and_then(Node::as_str), node.get("value"))
                && let Some(v) = value.as_str()
                && key_names_secret(name)
                && !is_placeholder(v)
            {
                return Some((value.span, format!("`{name}` holds a literal secret")));
            }
            entries
                .iter()
                .find_map(|(k, v)| find_secret(v, Some(k), depth + 1))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Framework, Span};

    fn res(kind: &str, address: &str, body: Node) -> Resource {
        Resource {
            framework: Framework::Terraform,
            kind: kind.into(),
            address: address.into(),
            span: Span::new(FileId(0), 1, 1),
            body,
            context: Vec::new(),
            skips: Vec::new(),
        }
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            Span::default(),
        )
    }

    #[test]
    fn references_follow_module_prefix_and_index() {
        let bucket = res(
            "aws_s3_bucket",
            "module.m.aws_s3_bucket.logs[0]",
            map(vec![]),
        );
        assert_eq!(local_ref(&bucket), "aws_s3_bucket.logs");
        assert_eq!(module_prefix(&bucket), "module.m.");
        let r = Node::new(
            Value::Unknown("aws_s3_bucket.logs[0].id".into()),
            Span::default(),
        );
        assert!(references(&r, &bucket));
        let other = Node::new(
            Value::Unknown("aws_s3_bucket.logs2.id".into()),
            Span::default(),
        );
        assert!(!references(&other, &bucket));
    }

    #[test]
    fn secrets_by_pattern_and_key_name() {
        let s = |v: &str| Node::string(v, Span::default());
        let body = map(vec![(
            "tags",
            map(vec![("note", s("AKIAABCDEFGHIJKLMNOP"))]),
        )]);
        assert_eq!(
            hardcoded_secrets(&res("x", "x.y", body), &[]).tri,
            Tri::False
        );
        let body = map(vec![("password", s("${var.pw}")), ("name", s("password"))]);
        assert_eq!(
            hardcoded_secrets(&res("x", "x.y", body), &[]).tri,
            Tri::True
        );
        let body = map(vec![("master_password", s("Sup3rS3cret!"))]);
        assert_eq!(
            hardcoded_secrets(&res("x", "x.y", body), &[]).tri,
            Tri::False
        );
        let env = map(vec![("name", s("DB_PASSWORD")), ("value", s("hunter22"))]);
        assert_eq!(
            hardcoded_secrets(&res("x", "x.y", env), &[]).tri,
            Tri::False
        );
    }
}
