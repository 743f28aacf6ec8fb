//! API token and account services (Edge "Create Token", "Update a token",
//! "Query Tokens", and the offline `bulwark admin` commands).

use std::sync::Arc;

use uuid::Uuid;

use crate::auth::{CredentialCache, Principal};
use crate::crypto::{hash_secret, new_token_secret};
use crate::model::{Account, ApiToken, TokenPatch};
use crate::ports::Store;
use crate::{DomainError, Result, Role, Status, clock};

/// What a caller asks for when creating a token.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CreateToken {
    pub account_name: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub role: Option<Role>,
    pub status: Option<Status>,
    pub ttl_sec: Option<i64>,
    pub user_uuid: Option<String>,
}

const MAX_TEXT: usize = 1024;

fn check_text(field: &str, v: &str) -> Result<()> {
    if v.len() > MAX_TEXT {
        return Err(DomainError::invalid(format!(
            "`{field}` is longer than {MAX_TEXT} bytes"
        )));
    }
    Ok(())
}

fn check_role_cap(caller: &Principal, role: Role) -> Result<()> {
    if role > caller.role {
        return Err(DomainError::forbidden(format!(
            "role `{role}` exceeds the caller's role `{}`",
            caller.role
        )));
    }
    Ok(())
}

/// Token operations, each scoped to the caller's account.
pub struct TokenService {
    store: Arc<dyn Store>,
    cache: Option<Arc<CredentialCache>>,
}

impl TokenService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store, cache: None }
    }

    /// A token service that invalidates `cache` whenever a token changes.
    pub fn with_cache(store: Arc<dyn Store>, cache: Arc<CredentialCache>) -> Self {
        Self {
            store,
            cache: Some(cache),
        }
    }

    /// Creates a token; returns it with its secret, which is not kept.
    pub async fn create(&self, caller: &Principal, req: CreateToken) -> Result<(ApiToken, String)> {
        caller.require(Role::User)?;
        if let Some(acct) = req.account_name.as_deref().filter(|a| !a.is_empty())
            && acct != caller.account_name
        {
            return Err(DomainError::forbidden(
                "tokens can only be created in the caller's account",
            ));
        }
        let role = req.role.unwrap_or(caller.role);
        if role == Role::None {
            return Err(DomainError::invalid("`role` must not be 0"));
        }
        check_role_cap(caller, role)?;
        let status = req.status.unwrap_or(Status::Active);
        if matches!(status, Status::Deleted | Status::Unspecified) {
            return Err(DomainError::invalid(
                "`status` of a new token must be INIT, ACTIVE or SUSPENDED",
            ));
        }
        let ttl_sec = req.ttl_sec.unwrap_or(0);
        if ttl_sec < 0 {
            return Err(DomainError::invalid("`ttl_sec` must not be negative"));
        }
        let user_uuid = match req.user_uuid.filter(|u| !u.is_empty()) {
            Some(u) if u != caller.user_uuid => {
                caller.require(Role::Admin)?;
                u
            }
            _ => caller.user_uuid.clone(),
        };
        let name = req.name.unwrap_or_default();
        let description = req.description.unwrap_or_default();
        check_text("name", &name)?;
        check_text("description", &description)?;
        let now = clock::now_ms();
        let token = ApiToken {
            uuid: Uuid::new_v4(),
            account_id: caller.account_id,
            name,
            description,
            role,
            status,
            user_uuid,
            ttl_sec,
            expire_time_sec: if ttl_sec > 0 { now / 1000 + ttl_sec } else { 0 },
            used_time: None,
            view_pii_log_only: caller.view_pii_log_only,
            creator_uuid: caller.actor_uuid(),
            creator_role: caller.role,
            creator_display_name: caller.display_name.clone(),
            updater_uuid: caller.actor_uuid(),
            updater_display_name: caller.display_name.clone(),
            create_time: now,
            update_time: now,
        };
        let secret = new_token_secret();
        self.store
            .insert_token(&token, &hash_secret(&secret))
            .await?;
        Ok((token, secret))
    }

    /// Gets one token of the caller's account. Below `admin`, only one's own tokens.
    pub async fn get(&self, caller: &Principal, uuid: Uuid) -> Result<ApiToken> {
        caller.require(Role::User)?;
        let token = self
            .store
            .get_token(caller.account_id, uuid)
            .await?
            .ok_or(DomainError::NotFound("token"))?;
        if !Self::visible(caller, &token) {
            return Err(DomainError::NotFound("token"));
        }
        Ok(token)
    }

    fn visible(caller: &Principal, token: &ApiToken) -> bool {
        caller.role.at_least(Role::Admin)
            || Some(token.uuid) == caller.token_uuid
            || token.creator_uuid == caller.actor_uuid()
            || (!caller.user_uuid.is_empty() && token.user_uuid == caller.user_uuid)
    }

    /// Lists tokens: active ones, or with `get_all` suspended ones too.
    pub async fn list(&self, caller: &Principal, get_all: bool) -> Result<Vec<ApiToken>> {
        caller.require(Role::User)?;
        let tokens = self.store.list_tokens(caller.account_id, get_all).await?;
        Ok(tokens
            .into_iter()
            .filter(|t| Self::visible(caller, t))
            .collect())
    }

    /// Applies a partial update. The role can neither be raised above the caller's nor
    /// changed on a token that already outranks the caller.
    pub async fn update(
        &self,
        caller: &Principal,
        uuid: Uuid,
        patch: TokenPatch,
    ) -> Result<ApiToken> {
        let mut token = self.get(caller, uuid).await?;
        check_role_cap(caller, token.role)?;
        for attr in &patch.attributes_to_delete {
            match attr.as_str() {
                "name" => token.name.clear(),
                "description" => token.description.clear(),
                other => {
                    return Err(DomainError::invalid(format!(
                        "attribute `{other}` cannot be deleted; deletable: name, description"
                    )));
                }
            }
        }
        if let Some(name) = patch.name {
            check_text("name", &name)?;
            token.name = name;
        }
        if let Some(d) = patch.description {
            check_text("description", &d)?;
            token.description = d;
        }
        if let Some(role) = patch.role {
            if role == Role::None {
                return Err(DomainError::invalid("`role` must not be 0"));
            }
            check_role_cap(caller, role)?;
            token.role = role;
        }
        if let Some(status) = patch.status {
            if status == Status::Unspecified {
                return Err(DomainError::invalid("`status` must not be 0"));
            }
            token.status = status;
        }
        token.updater_uuid = caller.actor_uuid();
        token.updater_display_name = caller.display_name.clone();
        token.update_time = clock::now_ms();
        self.store.update_token(&token).await?;
        if let Some(c) = &self.cache {
            c.invalidate_token(token.uuid);
        }
        Ok(token)
    }
}

/// Account operations used by the binary (first start, `bulwark admin`).
pub struct AccountService {
    store: Arc<dyn Store>,
}

impl AccountService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Returns the account named `name`, creating it when missing.
    pub async fn ensure(&self, name: &str) -> Result<(Account, bool)> {
        Account::validate_name(name)?;
        if let Some(a) = self.store.account_by_name(name).await? {
            return Ok((a, false));
        }
        let now = clock::now_ms();
        let account = Account {
            id: Uuid::new_v4(),
            name: name.to_string(),
            status: Status::Active,
            onboarding: serde_json::json!({}),
            create_time: now,
            update_time: now,
        };
        match self.store.create_account(&account).await {
            Ok(()) => Ok((account, true)),
            // Another process created it between our read and write.
            Err(DomainError::Conflict(_)) => self
                .store
                .account_by_name(name)
                .await?
                .map(|a| (a, false))
                .ok_or(DomainError::NotFound("account")),
            Err(e) => Err(e),
        }
    }

    /// Issues a token outside any session (bootstrap and `admin token create`).
    pub async fn issue_token(&self, account: &Account, role: Role, name: &str) -> Result<String> {
        let system = Principal {
            account_id: account.id,
            account_name: account.name.clone(),
            role: Role::SuperAdmin,
            auth_type: crate::auth::AuthType::ApiKey,
            credential_uuid: Uuid::nil(),
            token_uuid: None,
            user_uuid: String::new(),
            display_name: "system".into(),
            view_pii_log_only: false,
        };
        let tokens = TokenService::new(self.store.clone());
        let (_, secret) = tokens
            .create(
                &system,
                CreateToken {
                    name: Some(name.to_string()),
                    description: Some("issued by bulwark admin".into()),
                    role: Some(role),
                    ..CreateToken::default()
                },
            )
            .await?;
        Ok(secret)
    }
}

/// Hash of a secret, re-exported for callers that look tokens up directly.
pub fn secret_hash(secret: &str) -> String {
    hash_secret(secret)
}
