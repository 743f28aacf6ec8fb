//! Edge resource families beyond identity and access (posture, connectors, gateways,
//! client configs, CA certificates, app control, accounts, temporary tokens,
//! countries): their kinds, checks, and the few services the shared shape can't cover.
//!
//! Each submodule owns one family. The helpers here check the field shapes those
//! families share (integer enums given only as numbers by the seed, string lists,
//! tag filters); every enum's named mapping is documented where its kind is declared.

pub mod accounts;
pub mod app_control;
pub mod ca;
pub mod client_configs;
pub mod connectors;
pub mod countries;
pub mod deployments;
pub mod device_cert;
pub mod devices;
pub mod posture;
pub mod temp_tokens;

use std::sync::Arc;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::auth::Principal;
use crate::model::ObjectFilter;
use crate::ports::Store;
use crate::resources::ResourceKind;
use crate::{DomainError, Result, Status};

/// Fails unless `field`, when present, is a non-empty string.
pub(crate) fn required_text(doc: &Map<String, Value>, field: &str, what: &str) -> Result<()> {
    match doc.get(field).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => Ok(()),
        _ => Err(DomainError::invalid(format!(
            "a {what} needs a non-empty `{field}`"
        ))),
    }
}

/// Fails unless `field`, when present, is a string.
pub(crate) fn text(doc: &Map<String, Value>, field: &str) -> Result<Option<String>> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(DomainError::invalid(format!("`{field}` must be a string"))),
    }
}

/// Fails unless `field`, when present, is one of `allowed`.
pub(crate) fn int_enum(doc: &Map<String, Value>, field: &str, allowed: &[i64]) -> Result<()> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => match v.as_i64() {
            Some(n) if allowed.contains(&n) => Ok(()),
            _ => Err(DomainError::invalid(format!(
                "invalid `{field}` {v}: expected one of {allowed:?}"
            ))),
        },
    }
}

/// Fails unless `field`, when present, is an array of values from `allowed`.
pub(crate) fn int_enum_list(doc: &Map<String, Value>, field: &str, allowed: &[i64]) -> Result<()> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(items)) => {
            for v in items {
                if !v.as_i64().is_some_and(|n| allowed.contains(&n)) {
                    return Err(DomainError::invalid(format!(
                        "invalid `{field}` item {v}: expected one of {allowed:?}"
                    )));
                }
            }
            Ok(())
        }
        Some(_) => Err(DomainError::invalid(format!("`{field}` must be an array"))),
    }
}

/// Fails unless `field`, when present, is a non-negative integer.
pub(crate) fn non_negative(doc: &Map<String, Value>, field: &str) -> Result<()> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(v) if v.as_i64().is_some_and(|n| n >= 0) => Ok(()),
        Some(v) => Err(DomainError::invalid(format!(
            "`{field}` must be a non-negative integer, got {v}"
        ))),
    }
}

/// The strings of an array field (empty when absent).
pub(crate) fn strings(doc: &Map<String, Value>, field: &str) -> Result<Vec<String>> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    DomainError::invalid(format!("`{field}` must be an array of strings"))
                })
            })
            .collect(),
        Some(_) => Err(DomainError::invalid(format!(
            "`{field}` must be an array of strings"
        ))),
    }
}

/// Checks a `proto.Filter` (`{include_any: [{all: [...]}], exclude_any: [...]}`).
pub(crate) fn tag_filter(doc: &Map<String, Value>, field: &str) -> Result<()> {
    let Some(f) = doc.get(field).filter(|v| !v.is_null()) else {
        return Ok(());
    };
    let Some(f) = f.as_object() else {
        return Err(DomainError::invalid(format!("`{field}` must be an object")));
    };
    for part in ["include_any", "exclude_any"] {
        match f.get(part) {
            None | Some(Value::Null) => {}
            Some(Value::Array(clauses)) => {
                for c in clauses {
                    let ok = c
                        .as_object()
                        .map(|o| strings(o, "all").is_ok())
                        .unwrap_or(false);
                    if !ok {
                        return Err(DomainError::invalid(format!(
                            "`{field}.{part}` must hold {{all: [tags]}} clauses"
                        )));
                    }
                }
            }
            Some(_) => {
                return Err(DomainError::invalid(format!(
                    "`{field}.{part}` must be an array"
                )));
            }
        }
    }
    Ok(())
}

/// The stored documents of one kind that are not deleted, for reference checks.
pub(crate) async fn live_docs(
    store: &Arc<dyn Store>,
    caller: &Principal,
    kind: &ResourceKind,
) -> Result<Vec<(Uuid, Map<String, Value>)>> {
    let filter = ObjectFilter {
        statuses: vec![
            Status::Unspecified,
            Status::Init,
            Status::Active,
            Status::Suspended,
        ],
        limit: 100_000,
        ..ObjectFilter::default()
    };
    let objs = store
        .query_objects(caller.account_id, kind.kind, &filter)
        .await?;
    Ok(objs.into_iter().map(|o| (o.uuid, o.doc)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn enums_and_lists() {
        let d = doc(json!({"a": 2, "b": [0, 3], "c": "x", "f": {"include_any": [{"all": ["t"]}]}}));
        assert!(int_enum(&d, "a", &[0, 1, 2]).is_ok());
        assert!(int_enum(&d, "a", &[0, 1]).is_err());
        assert!(int_enum(&d, "missing", &[0]).is_ok());
        assert!(int_enum_list(&d, "b", &[0, 1, 2, 3]).is_ok());
        assert!(int_enum_list(&d, "b", &[0, 1]).is_err());
        assert!(int_enum_list(&d, "c", &[0]).is_err());
        assert!(tag_filter(&d, "f").is_ok());
        let bad = doc(json!({"f": {"include_any": [{"all": [1]}]}}));
        assert!(tag_filter(&bad, "f").is_err());
        let bad = doc(json!({"f": {"exclude_any": "x"}}));
        assert!(tag_filter(&bad, "f").is_err());
    }
}
