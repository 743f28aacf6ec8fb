//! Accounts as the Edge API shows them: E005 account details, E103 and E006 the
//! onboarding record (`proto.AccountOnboarding`).
//!
//! A caller sees only its own account; any other name is reported as missing (404),
//! like any object of another account. Onboarding updates change only the fields
//! present. The EULA signature is the server's to record: when `eula_signed` turns
//! true (or a new `eula_version` is signed) the server fills `eula_signing_time`,
//! `eula_signing_ip`, `eula_signing_user` and `eula_signing_user_display_name` from the
//! request; clients cannot set them, and a signed EULA cannot be unsigned.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{strings, text};
use crate::auth::Principal;
use crate::model::Account;
use crate::ports::Store;
use crate::{DomainError, Result, Role, clock};

/// Onboarding fields only the server writes.
const SIGNING_FIELDS: &[&str] = &[
    "eula_signing_ip",
    "eula_signing_time",
    "eula_signing_user",
    "eula_signing_user_display_name",
];

/// Longest accepted onboarding step name.
const MAX_STEP: usize = 128;

/// Reads the caller's account and updates its onboarding record.
pub struct AccountsService {
    store: Arc<dyn Store>,
}

impl AccountsService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// The caller's account when `name` names it; 404 otherwise.
    async fn own(&self, caller: &Principal, name: &str) -> Result<Account> {
        if name != caller.account_name {
            return Err(DomainError::NotFound("account"));
        }
        self.store
            .account_by_id(caller.account_id)
            .await?
            .ok_or(DomainError::NotFound("account"))
    }

    /// E005: the account's details.
    pub async fn details(&self, caller: &Principal, name: &str) -> Result<Account> {
        caller.require(Role::ReadOnly)?;
        self.own(caller, name).await
    }

    /// E103: the onboarding record (only the fields ever set).
    pub async fn onboarding(&self, caller: &Principal, name: &str) -> Result<Map<String, Value>> {
        caller.require(Role::ReadOnly)?;
        let account = self.own(caller, name).await?;
        Ok(account.onboarding.as_object().cloned().unwrap_or_default())
    }

    /// E006: applies the fields present in `changes`; returns the new record.
    pub async fn update_onboarding(
        &self,
        caller: &Principal,
        name: &str,
        changes: Map<String, Value>,
        client_ip: &str,
    ) -> Result<Map<String, Value>> {
        caller.require(Role::Admin)?;
        let account = self.own(caller, name).await?;
        let mut doc = account.onboarding.as_object().cloned().unwrap_or_default();
        let was_signed = doc.get("eula_signed").and_then(Value::as_bool) == Some(true);
        let old_version = doc.get("eula_version").cloned();
        let mut steps = strings(&changes, "completed_steps")?;
        if steps
            .iter()
            .any(|s| s.trim().is_empty() || s.len() > MAX_STEP)
        {
            return Err(DomainError::invalid(format!(
                "`completed_steps` must hold non-empty names of at most {MAX_STEP} bytes"
            )));
        }
        text(&changes, "eula_version")?;
        let signed = match changes.get("eula_signed") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err(DomainError::invalid("`eula_signed` must be a boolean")),
        };
        if signed == Some(false) && was_signed {
            return Err(DomainError::invalid("a signed EULA cannot be unsigned"));
        }
        for (k, v) in changes {
            if SIGNING_FIELDS.contains(&k.as_str()) || v.is_null() {
                continue;
            }
            if k == "completed_steps" {
                // A step completed once stays completed: the new steps join the old
                // ones, in order of first completion.
                let mut all = strings(&doc, "completed_steps").unwrap_or_default();
                for s in steps.drain(..) {
                    if !all.contains(&s) {
                        all.push(s);
                    }
                }
                doc.insert(k, json!(all));
            } else {
                doc.insert(k, v);
            }
        }
        let now_signed = doc.get("eula_signed").and_then(Value::as_bool) == Some(true);
        let version_changed = doc.get("eula_version").cloned() != old_version;
        if now_signed && (!was_signed || (signed == Some(true) && version_changed)) {
            doc.insert("eula_signing_time".into(), json!(clock::now_ms()));
            doc.insert("eula_signing_ip".into(), json!(client_ip));
            doc.insert("eula_signing_user".into(), json!(caller.actor_uuid()));
            doc.insert(
                "eula_signing_user_display_name".into(),
                json!(caller.display_name),
            );
        }
        self.store
            .set_onboarding(account.id, &Value::Object(doc.clone()), clock::now_ms())
            .await?;
        Ok(doc)
    }
}
