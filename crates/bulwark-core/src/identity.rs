//! The identity and app resource families of the Edge API: what each one is, who may
//! read and write it, and the checks its documents must pass.

use serde_json::{Map, Value};

use crate::resources::ResourceKind;
use crate::{DomainError, Result, Role, Status};

fn non_empty(doc: &Map<String, Value>, field: &str, what: &str) -> Result<()> {
    match doc.get(field).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => Ok(()),
        _ => Err(DomainError::invalid(format!(
            "a {what} needs a non-empty `{field}`"
        ))),
    }
}

fn port(v: &Value, field: &str) -> Result<i64> {
    match v.as_i64() {
        Some(p) if (0..=65_535).contains(&p) => Ok(p),
        _ => Err(DomainError::invalid(format!(
            "`{field}` must hold ports between 0 and 65535"
        ))),
    }
}

fn ports(doc: &Map<String, Value>) -> Result<()> {
    for f in ["port", "internal_port"] {
        if let Some(v) = doc.get(f) {
            port(v, f)?;
        }
    }
    for f in ["tcp_ports", "udp_ports"] {
        for v in doc.get(f).and_then(Value::as_array).into_iter().flatten() {
            port(v, f)?;
        }
    }
    for f in ["tcp_port_ranges", "udp_port_ranges"] {
        for r in doc.get(f).and_then(Value::as_array).into_iter().flatten() {
            let start = port(r.get("start").unwrap_or(&Value::Null), f)?;
            let end = port(r.get("end").unwrap_or(&Value::Null), f)?;
            if start > end {
                return Err(DomainError::invalid(format!(
                    "`{f}`: range start {start} is after its end {end}"
                )));
            }
        }
    }
    Ok(())
}

fn validate_app(doc: &Map<String, Value>) -> Result<()> {
    non_empty(doc, "name", "app")?;
    ports(doc)
}

fn validate_group(doc: &Map<String, Value>) -> Result<()> {
    non_empty(doc, "name", "group")
}

fn validate_user(doc: &Map<String, Value>) -> Result<()> {
    if let Some(r) = doc.get("role") {
        let ok = r
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .and_then(Role::from_code)
            .is_some();
        if !ok {
            return Err(DomainError::invalid(format!("invalid user `role` {r}")));
        }
    }
    Ok(())
}

fn validate_pii(doc: &Map<String, Value>) -> Result<()> {
    if let Some(e) = doc
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| !e.is_empty())
    {
        let valid = e
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
        if !valid {
            return Err(DomainError::invalid(format!("invalid email `{e}`")));
        }
    }
    Ok(())
}

/// Apps (E020, E021, E094).
pub static APPS: ResourceKind = ResourceKind {
    kind: "app",
    what: "app",
    read_role: Role::ReadOnly,
    write_role: Role::Operator,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_app,
    secret_fields: &[],
};

/// Groups (E058-E060).
pub static GROUPS: ResourceKind = ResourceKind {
    kind: "group",
    what: "group",
    read_role: Role::ReadOnly,
    write_role: Role::Admin,
    unique_field: None,
    actor_fields: false,
    default_status: Status::Active,
    validate: validate_group,
    secret_fields: &[],
};

/// Users (E082-E085).
pub static USERS: ResourceKind = ResourceKind {
    kind: "user",
    what: "user",
    read_role: Role::ReadOnly,
    write_role: Role::Admin,
    unique_field: None,
    actor_fields: false,
    default_status: Status::Active,
    validate: validate_user,
    secret_fields: &[],
};

/// A user's personal data, stored under the user's uuid; readable from `pii_viewer` up.
pub static USER_PII: ResourceKind = ResourceKind {
    kind: "user_pii",
    what: "user",
    read_role: Role::PiiViewer,
    write_role: Role::Admin,
    unique_field: None,
    actor_fields: false,
    default_status: Status::Active,
    validate: validate_pii,
    secret_fields: &[],
};
