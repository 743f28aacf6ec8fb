//! Temporary access tokens (E077) and the users they may show (E106).
//!
//! A temporary token lets someone view one user's logs for a while: it is an API
//! token with role `pii_viewer`, `view_pii_log_only = true`, acting for that user,
//! single use and expiring after `ttl_sec` (what [`TokenService::create`] makes of a
//! token with a TTL). Only admins create them, for an existing, non-deleted user of
//! their own account.

use std::sync::Arc;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::auth::Principal;
use crate::identity::USERS;
use crate::model::{ApiToken, TokenPatch};
use crate::ports::Store;
use crate::tokens::{CreateToken, TokenService};
use crate::{DomainError, Result, Role, Status, clock};

/// Longest lifetime of a temporary token: one week.
pub const MAX_TTL_SEC: i64 = 7 * 86_400;

/// What a caller asks for in E077.
#[derive(Debug, Clone, Default)]
pub struct CreateTemporaryToken {
    pub account_name: Option<String>,
    pub ttl_sec: Option<i64>,
    pub user_uuid: Option<String>,
}

/// Temporary tokens over the server's token service.
pub struct TemporaryTokenService<'a> {
    store: Arc<dyn Store>,
    /// The server's token service (it keeps the credential cache coherent).
    tokens: &'a TokenService,
}

/// True for the tokens E077 makes.
pub fn is_temporary(t: &ApiToken) -> bool {
    t.view_pii_log_only && t.role == Role::PiiViewer && t.single_use()
}

impl<'a> TemporaryTokenService<'a> {
    pub fn new(store: Arc<dyn Store>, tokens: &'a TokenService) -> Self {
        Self { store, tokens }
    }

    /// A live (not deleted) user of the caller's account.
    async fn user(&self, caller: &Principal, uuid: Uuid) -> Result<Option<Map<String, Value>>> {
        Ok(self
            .store
            .get_object(caller.account_id, USERS.kind, uuid)
            .await?
            .filter(|o| o.status != Status::Deleted)
            .map(|o| o.doc))
    }

    /// E077: creates the token; returns it with its secret, shown once.
    pub async fn create(
        &self,
        caller: &Principal,
        req: CreateTemporaryToken,
    ) -> Result<(ApiToken, String)> {
        caller.require(Role::Admin)?;
        let ttl_sec = req.ttl_sec.unwrap_or(0);
        if !(1..=MAX_TTL_SEC).contains(&ttl_sec) {
            return Err(DomainError::invalid(format!(
                "`ttl_sec` must be between 1 and {MAX_TTL_SEC}"
            )));
        }
        let raw = req
            .user_uuid
            .filter(|u| !u.is_empty())
            .ok_or_else(|| DomainError::invalid("`user_uuid` is required"))?;
        let missing =
            || DomainError::invalid(format!("`user_uuid`: no user `{raw}` in this account"));
        let uuid = Uuid::parse_str(&raw).map_err(|_| missing())?;
        let user = self.user(caller, uuid).await?.ok_or_else(missing)?;
        let display = user
            .get("display_name")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(&raw)
            .to_string();
        // TokenService::create copies the creator's `view_pii_log_only`; creating
        // through a caller restricted that way gives the token the restriction.
        let scoped = Principal {
            view_pii_log_only: true,
            ..caller.clone()
        };
        self.tokens
            .create(
                &scoped,
                CreateToken {
                    account_name: req.account_name,
                    name: Some(format!("temporary: logs of {display}")),
                    description: Some(format!("view the logs of user {uuid} only")),
                    role: Some(Role::PiiViewer),
                    status: Some(Status::Active),
                    ttl_sec: Some(ttl_sec),
                    user_uuid: Some(uuid.to_string()),
                },
            )
            .await
    }

    /// Beyond the seed: the temporary tokens of the account that have not expired.
    pub async fn list(&self, caller: &Principal) -> Result<Vec<ApiToken>> {
        caller.require(Role::Admin)?;
        let now = clock::now_sec();
        Ok(self
            .tokens
            .list(caller, false)
            .await?
            .into_iter()
            .filter(|t| is_temporary(t) && !t.expired(now))
            .collect())
    }

    /// Beyond the seed: revokes a temporary token (status DELETED).
    pub async fn revoke(&self, caller: &Principal, uuid: Uuid) -> Result<ApiToken> {
        caller.require(Role::Admin)?;
        let token = self.tokens.get(caller, uuid).await?;
        if !is_temporary(&token) {
            return Err(DomainError::NotFound("temporary token"));
        }
        let patch = TokenPatch {
            status: Some(Status::Deleted),
            ..TokenPatch::default()
        };
        self.tokens.update(caller, uuid, patch).await
    }

    /// E106: the users whose logs a temporary token may show. Called with a temporary
    /// token, that token's one user; called by an admin, the users of the account's
    /// unexpired temporary tokens.
    pub async fn users(&self, caller: &Principal) -> Result<Vec<Map<String, Value>>> {
        let uuids: Vec<String> = if caller.view_pii_log_only {
            caller.require(Role::PiiViewer)?;
            vec![caller.user_uuid.clone()]
        } else {
            let mut ids: Vec<String> = self
                .list(caller)
                .await?
                .into_iter()
                .map(|t| t.user_uuid)
                .collect();
            ids.sort();
            ids.dedup();
            ids
        };
        let mut out = Vec::new();
        for id in uuids {
            if let Ok(u) = Uuid::parse_str(&id)
                && let Some(doc) = self.user(caller, u).await?
            {
                out.push(doc);
            }
        }
        Ok(out)
    }
}
