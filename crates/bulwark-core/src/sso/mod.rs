//! Single sign-on: E065 Login by SAML 2.0 (SP-initiated, HTTP-Redirect out, HTTP-POST
//! back) and, beyond the seed, OpenID Connect. Both end like token login: a stored
//! session and its JWT ([`Authenticator::open_session`]).
//!
//! A login is a round trip through the identity provider. Starting one stores a
//! [`PendingLogin`] under a random id that travels as SAML `RelayState` / OIDC `state`
//! (never the caller's `redirect`, which stays on the server); the callback consumes it
//! atomically, so each started login finishes at most once and only for the account
//! that started it.
//!
//! Who logs in: the IdP's subject is matched to an existing, active user of the account
//! by the email in the user's personal data (`user_pii.email`, case-insensitive) or by
//! the user's uuid. Unknown and suspended users are refused (403): the IdP
//! authenticates, the account decides who may enter. The session gets the user's own
//! `role` (`user` when the user has none).

pub mod oidc;
mod saml;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::{Authenticator, NewSession, Principal};
use crate::crypto::Sealer;
use crate::model::{LoginType, ObjectFilter, Session};
use crate::ports::Store;
use crate::{DomainError, Result, Role, Status, clock};

pub use saml::SamlSettings;

/// How long a started login may take at the IdP.
pub const PENDING_TTL_SEC: i64 = 600;

/// A login started at the IdP and not finished yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingLogin {
    /// Random; sent as RelayState / state.
    pub id: String,
    pub account_id: Uuid,
    /// `saml` or `oidc`.
    pub protocol: String,
    /// Protocol data (request id, nonce, PKCE verifier) and the validated redirect.
    pub data: Value,
    pub expire_time_sec: i64,
}

/// Where this server is reached, which fixes the SAML SP entity id and ACS URL and the
/// OIDC redirect URI.
#[derive(Debug, Clone)]
pub struct SpUrls {
    pub entity_id: String,
    pub acs_url: String,
    pub oidc_callback: String,
}

impl SpUrls {
    /// The URLs under a public base URL such as `https://bulwark.example`.
    pub fn from_public_url(public_url: &str) -> Self {
        let base = public_url.trim_end_matches('/');
        Self {
            entity_id: format!("{base}/edge/v1/login/saml/metadata"),
            acs_url: format!("{base}/edge/v1/login/saml/acs"),
            oidc_callback: format!("{base}/edge/v1/login/oidc/callback"),
        }
    }
}

/// A finished login.
#[derive(Debug, Clone)]
pub struct SsoLogin {
    pub session: Session,
    pub jwt: String,
    pub account_name: String,
    /// The redirect validated when the login started.
    pub redirect: Option<String>,
    /// Groups the IdP reported (OIDC `groups`), as the account's group uuids.
    pub groups: Vec<String>,
}

/// The settings document stored per account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SsoConfig {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub idp_metadata: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc: Option<oidc::StoredOidc>,
}

/// SAML and OIDC logins and their per-account settings.
pub struct SsoService {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) auth: Arc<Authenticator>,
    pub(crate) sealer: Arc<Sealer>,
    pub(crate) http: Arc<dyn oidc::OidcHttp>,
}

/// The one message for a login that cannot start: an unknown account and one without
/// single sign-on look alike.
fn not_configured(account: &str, what: &str) -> DomainError {
    DomainError::forbidden(format!(
        "{what} login is not configured for account `{account}`"
    ))
}

impl SsoService {
    /// `http` reaches OIDC providers (the core does no I/O itself).
    pub fn new(
        store: Arc<dyn Store>,
        auth: Arc<Authenticator>,
        sealer: Arc<Sealer>,
        http: Arc<dyn oidc::OidcHttp>,
    ) -> Self {
        Self {
            store,
            auth,
            sealer,
            http,
        }
    }

    pub(crate) async fn config(&self, account_id: Uuid) -> Result<SsoConfig> {
        match self.store.sso_config(account_id).await? {
            Some(v) => serde_json::from_value(v)
                .map_err(|e| DomainError::Internal(format!("corrupt SSO settings: {e}"))),
            None => Ok(SsoConfig::default()),
        }
    }

    /// The account's SAML IdP metadata (E005's `idp_metadata`), empty when SAML is
    /// not set up. It holds only public certificates and endpoints.
    pub async fn idp_metadata(&self, account_id: Uuid) -> Result<String> {
        Ok(self.config(account_id).await?.idp_metadata)
    }

    pub(crate) async fn save_config(&self, account_id: Uuid, cfg: &SsoConfig) -> Result<()> {
        let v = serde_json::to_value(cfg)
            .map_err(|e| DomainError::Internal(format!("SSO settings: {e}")))?;
        self.store
            .put_sso_config(account_id, &v, clock::now_ms())
            .await
    }

    /// The caller's own account when `name` names it (404 otherwise), for admins.
    pub(crate) fn own_account(&self, caller: &Principal, name: &str) -> Result<Uuid> {
        caller.require(Role::Admin)?;
        if name != caller.account_name {
            return Err(DomainError::NotFound("account"));
        }
        Ok(caller.account_id)
    }

    /// An active account by name, for logins (which have no caller yet).
    pub(crate) async fn login_account(&self, name: &str, what: &str) -> Result<Uuid> {
        match self.store.account_by_name(name).await? {
            Some(a) if a.status == Status::Active => Ok(a.id),
            _ => Err(not_configured(name, what)),
        }
    }

    pub(crate) async fn start(
        &self,
        account_id: Uuid,
        protocol: &str,
        mut data: Map<String, Value>,
        redirect: Option<String>,
    ) -> Result<String> {
        let id = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        data.insert("redirect".into(), json!(redirect));
        self.store
            .insert_sso_pending(&PendingLogin {
                id: id.clone(),
                account_id,
                protocol: protocol.into(),
                data: Value::Object(data),
                expire_time_sec: clock::now_sec() + PENDING_TTL_SEC,
            })
            .await?;
        Ok(id)
    }

    /// Consumes the pending login `id` of `protocol`; unknown, expired, used or
    /// other-protocol ids are refused alike.
    pub(crate) async fn take(&self, id: &str, protocol: &str) -> Result<PendingLogin> {
        let refused = || {
            DomainError::forbidden(format!(
                "unknown or expired {protocol} login: start again at /edge/v1/login"
            ))
        };
        if id.is_empty() || id.len() > 128 {
            return Err(refused());
        }
        let p = self
            .store
            .take_sso_pending(id, clock::now_sec())
            .await?
            .ok_or_else(refused)?;
        if p.protocol != protocol {
            return Err(refused());
        }
        Ok(p)
    }

    /// The account's active user whose email or uuid is `subject`, with its role.
    pub(crate) async fn find_user(
        &self,
        account_id: Uuid,
        subject: &str,
    ) -> Result<(String, Role)> {
        let subject = subject.trim();
        let refused =
            || DomainError::forbidden(format!("`{subject}` is not an active user of this account"));
        if subject.is_empty() {
            return Err(refused());
        }
        let mut uuid = Uuid::parse_str(subject).ok();
        if uuid.is_none() {
            let all = ObjectFilter {
                limit: i64::MAX,
                ..ObjectFilter::default()
            };
            let pii = self
                .store
                .query_objects(account_id, "user_pii", &all)
                .await?;
            uuid = pii
                .iter()
                .find(|o| {
                    o.doc
                        .get("email")
                        .and_then(Value::as_str)
                        .is_some_and(|e| e.trim().eq_ignore_ascii_case(subject))
                })
                .map(|o| o.uuid);
        }
        let uuid = uuid.ok_or_else(refused)?;
        let user = self
            .store
            .get_object(account_id, "user", uuid)
            .await?
            .filter(|u| u.status == Status::Active)
            .ok_or_else(refused)?;
        let role = user
            .doc
            .get("role")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())
            .and_then(Role::from_code)
            .filter(|r| *r != Role::None)
            .unwrap_or(Role::User);
        Ok((uuid.to_string(), role))
    }

    pub(crate) async fn finish(
        &self,
        pending: &PendingLogin,
        user: (String, Role),
        login_type: LoginType,
        client_ip: &str,
        not_after: Option<i64>,
        groups: Vec<String>,
    ) -> Result<SsoLogin> {
        let account = self
            .store
            .account_by_id(pending.account_id)
            .await?
            .filter(|a| a.status == Status::Active)
            .ok_or_else(|| DomainError::forbidden("the account is not active"))?;
        let (session, jwt) = self
            .auth
            .open_session(NewSession {
                account_id: account.id,
                user_uuid: user.0,
                token_uuid: None,
                role: user.1,
                login_type,
                client_ip: client_ip.to_string(),
                view_pii_log_only: false,
                not_after,
            })
            .await?;
        Ok(SsoLogin {
            session,
            jwt,
            account_name: account.name,
            redirect: pending
                .data
                .get("redirect")
                .and_then(Value::as_str)
                .map(str::to_string),
            groups,
        })
    }
}
