//! Reading IAM-style policy documents (identity, bucket, function, trust and
//! repository policies) just enough to answer "is this public?" and "who may
//! assume this role?".

use serde_json::Value;

/// Parses a policy document. IAM returns documents percent-encoded
/// (RFC 3986); S3, Lambda, ECR and OpenSearch return plain JSON.
pub(crate) fn parse_document(raw: &str) -> Option<Value> {
    let trimmed = raw.trim();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).ok();
    }
    let decoded = percent_decode(trimmed)?;
    serde_json::from_str(&decoded).ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The statements of a document (`Statement` may be one object or a list).
pub(crate) fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

pub(crate) fn as_strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_allow(st: &Value) -> bool {
    st.get("Effect").and_then(Value::as_str) == Some("Allow")
}

/// Whether a principal element names everyone (`"*"`, `{"AWS": "*"}`).
fn principal_is_anyone(p: &Value) -> bool {
    match p {
        Value::String(s) => s == "*",
        Value::Object(map) => map.values().any(|v| as_strings(v).contains(&"*")),
        _ => false,
    }
}

/// Whether any `Allow` statement grants access to anyone without a condition.
///
/// A `Condition` is taken as restricting (source ARN/account, org id, VPC
/// endpoint, IP range): telling a real restriction from a vacuous one needs
/// the full policy evaluation logic, and flagging every conditional grant
/// would drown the real findings. `NotPrincipal` with `Allow` grants
/// everyone but the listed principals, so it counts as public.
pub(crate) fn allows_public(doc: &Value) -> bool {
    statements(doc).into_iter().any(|st| {
        is_allow(st)
            && st.get("Condition").is_none()
            && (st.get("Principal").is_some_and(principal_is_anyone)
                || st.get("NotPrincipal").is_some())
    })
}

/// Principals an `Allow` statement names, as `"<type>:<value>"` (`"AWS:arn:…"`,
/// `"Service:ec2.amazonaws.com"`, `"*"`): who may assume a role.
pub(crate) fn allowed_principals(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for st in statements(doc).into_iter().filter(|st| is_allow(st)) {
        match st.get("Principal") {
            Some(Value::String(s)) => out.push(s.clone()),
            Some(Value::Object(map)) => {
                for (kind, v) in map {
                    out.extend(as_strings(v).into_iter().map(|p| format!("{kind}:{p}")));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether any statement has a condition on `sts:ExternalId`.
pub(crate) fn requires_external_id(doc: &Value) -> bool {
    statements(doc).into_iter().any(|st| {
        st.get("Condition")
            .and_then(Value::as_object)
            .is_some_and(|ops| {
                ops.values().any(|keys| {
                    keys.as_object()
                        .is_some_and(|k| k.keys().any(|k| k.eq_ignore_ascii_case("sts:ExternalId")))
                })
            })
    })
}

/// Whether an `Allow` statement grants every action on every resource.
pub(crate) fn grants_full_admin(doc: &Value) -> bool {
    statements(doc).into_iter().any(|st| {
        is_allow(st)
            && st
                .get("Action")
                .is_some_and(|a| as_strings(a).contains(&"*"))
            && st
                .get("Resource")
                .is_some_and(|r| as_strings(r).contains(&"*"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_iam_percent_encoding() {
        let raw = "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%5B%5D%7D";
        assert_eq!(
            parse_document(raw),
            Some(json!({"Version": "2012-10-17", "Statement": []}))
        );
        assert_eq!(parse_document(" {\"a\":1} "), Some(json!({"a": 1})));
        assert_eq!(parse_document("%7"), None);
        assert_eq!(parse_document("not json"), None);
    }

    #[test]
    fn public_detection() {
        let public =
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]});
        let public_aws = json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}}});
        let conditional = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "1"}}}]});
        let deny = json!({"Statement": [{"Effect": "Deny", "Principal": "*"}]});
        let service = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}}]});
        let not_principal = json!({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}}]});
        assert!(allows_public(&public));
        assert!(allows_public(&public_aws));
        assert!(allows_public(&not_principal));
        assert!(!allows_public(&conditional));
        assert!(!allows_public(&deny));
        assert!(!allows_public(&service));
        assert!(!allows_public(&json!({})));
    }

    #[test]
    fn trust_policy_reading() {
        let doc = json!({"Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::999999999999:root", "Service": ["ec2.amazonaws.com"]},
            "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]});
        assert_eq!(
            allowed_principals(&doc),
            vec![
                "AWS:arn:aws:iam::999999999999:root",
                "Service:ec2.amazonaws.com"
            ]
        );
        assert!(requires_external_id(&doc));
        assert!(!requires_external_id(
            &json!({"Statement": [{"Effect": "Allow"}]})
        ));
    }

    #[test]
    fn admin_detection() {
        assert!(grants_full_admin(
            &json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
        ));
        assert!(!grants_full_admin(
            &json!({"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]})
        ));
    }
}
