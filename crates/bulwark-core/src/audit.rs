//! The audit log: recording requests and reading them back.

use std::sync::Arc;

use uuid::Uuid;

use crate::auth::Principal;
use crate::model::{AuditEvent, AuditQuery};
use crate::ports::Store;
use crate::{DomainError, Result, Role};

/// Keys whose values never reach the audit log.
const SECRET_KEYS: [&str; 12] = [
    "secret",
    "password",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "client_secret",
    "credentials",
    "access_token",
    "mfa_passcode",
    "certificate_key",
    "secret_access_key",
];

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SECRET_KEYS
        .iter()
        .any(|s| k == *s || k.ends_with(&format!("_{s}")))
}

fn redact(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if is_secret_key(k) {
                    *val = serde_json::Value::String("<redacted>".into());
                } else {
                    redact(val);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// The body as stored in the audit log: JSON with secret-looking fields replaced,
/// anything else summarised by size, capped at 16 KiB.
pub fn redact_body(body: &[u8], content_type: &str) -> String {
    if body.is_empty() {
        return String::new();
    }
    if content_type.starts_with("application/json")
        && let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(body)
    {
        redact(&mut v);
        let s = v.to_string();
        if s.len() <= 16 * 1024 {
            return s;
        }
        return format!("<json body, {} bytes>", body.len());
    }
    format!(
        "<{} body, {} bytes>",
        content_type_or(content_type),
        body.len()
    )
}

fn content_type_or(ct: &str) -> &str {
    if ct.is_empty() {
        "opaque"
    } else {
        ct.split(';').next().unwrap_or(ct)
    }
}

/// Reads the audit log of the caller's account.
pub struct AuditService {
    store: Arc<dyn Store>,
}

impl AuditService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Records one event.
    pub async fn record(&self, event: &AuditEvent) -> Result<()> {
        self.store.insert_audit(event).await
    }

    /// Events of the caller's account in `[start, end)`, newest first.
    pub async fn query(&self, caller: &Principal, q: AuditQuery) -> Result<Vec<AuditEvent>> {
        caller.require(Role::ReadOnly)?;
        if let Some(end) = q.end_time
            && end < q.start_time
        {
            return Err(DomainError::invalid(
                "`end_time` must not be before `start_time`",
            ));
        }
        self.store.query_audit(caller.account_id, &q).await
    }

    /// One event of the caller's account.
    pub async fn get(&self, caller: &Principal, uuid: Uuid) -> Result<AuditEvent> {
        caller.require(Role::ReadOnly)?;
        self.store
            .get_audit(caller.account_id, uuid)
            .await?
            .ok_or(DomainError::NotFound("audit event"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_nested_secrets() {
        let body = br#"{"name":"ci","secret":"s3","integration":{"client_secret":"x","url":"u"},"items":[{"password":"p"}]}"#;
        let out = redact_body(body, "application/json");
        assert!(!out.contains("s3\""), "{out}");
        assert!(!out.contains("\"x\""), "{out}");
        assert!(!out.contains("\"p\""), "{out}");
        assert!(out.contains("\"url\":\"u\""), "{out}");
        assert_eq!(
            redact_body(b"abc", "text/plain"),
            "<text/plain body, 3 bytes>"
        );
    }
}
