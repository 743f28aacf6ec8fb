use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Status;

/// A tenant. Every other object belongs to exactly one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Immutable id; foreign keys use it.
    pub id: Uuid,
    /// Unique, human-chosen name (the Edge API addresses accounts by name).
    pub name: String,
    pub status: Status,
    /// Onboarding state (Edge `proto.AccountOnboarding`), as JSON.
    pub onboarding: serde_json::Value,
    pub create_time: i64,
    pub update_time: i64,
}

impl Account {
    /// Validates an account name: 1-64 of `[A-Za-z0-9._-]`, starting alphanumeric.
    pub fn validate_name(name: &str) -> crate::Result<()> {
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if ok {
            Ok(())
        } else {
            Err(crate::DomainError::invalid(format!(
                "invalid account name `{name}`: use 1-64 letters, digits, `.`, `_` or `-`"
            )))
        }
    }
}
