//! Who is calling: API keys, JWT sessions and the principal they resolve to.
//!
//! An API token is sent as `Authorization: ApiKey <token>` (the Optix convention) and
//! can be exchanged at token login for a session JWT sent as `Authorization: Bearer`
//! (the Edge convention). A JWT is only a pointer to a stored session, checked on every
//! request, so suspending a session or its token revokes the JWT at once.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::crypto::{MasterKey, hash_secret};
use crate::model::{Account, LoginType, Session};
use crate::ports::Store;
use crate::{DomainError, Result, Role, Status, clock};

/// The message of every failed credential check. The Optix seed prescribes it, and one
/// message for every cause tells a prober nothing.
pub const UNAUTHORIZED: &str = "Unauthorized access or ApiKey expired";

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthType {
    /// `Authorization: ApiKey <token>`.
    ApiKey,
    /// `Authorization: Bearer <jwt>`.
    Jwt,
}

impl AuthType {
    /// Name recorded in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::ApiKey => "api_key",
            AuthType::Jwt => "jwt",
        }
    }
}

/// An authenticated caller. Every service call takes one; its `account_id` scopes every
/// query the call makes.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: Uuid,
    pub account_name: String,
    pub role: Role,
    pub auth_type: AuthType,
    /// The token (API key) or session (JWT) that authenticated the request.
    pub credential_uuid: Uuid,
    /// The API token behind the credential (for JWTs opened by token login).
    pub token_uuid: Option<Uuid>,
    /// The user the credential acts for; empty for service tokens.
    pub user_uuid: String,
    /// Who to show in audit and `*_display_name` fields.
    pub display_name: String,
    pub view_pii_log_only: bool,
}

impl Principal {
    /// Fails with 403 unless the caller holds at least `min`.
    pub fn require(&self, min: Role) -> Result<()> {
        if self.role.at_least(min) {
            Ok(())
        } else {
            Err(DomainError::forbidden(format!(
                "this operation requires role `{min}` or higher; the caller has `{}`",
                self.role
            )))
        }
    }

    /// The id recorded as creator/updater of objects this caller writes.
    pub fn actor_uuid(&self) -> String {
        if self.user_uuid.is_empty() {
            self.token_uuid.unwrap_or(self.credential_uuid).to_string()
        } else {
            self.user_uuid.clone()
        }
    }
}

/// What a login knows about the session it opens.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub account_id: Uuid,
    pub user_uuid: String,
    pub token_uuid: Option<Uuid>,
    pub role: Role,
    pub login_type: LoginType,
    pub client_ip: String,
    pub view_pii_log_only: bool,
    /// Latest expiry (epoch seconds) besides the configured session lifetime.
    pub not_after: Option<i64>,
}

/// JWT claims. Short names keep the header small; `sid` is what is checked.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    sid: String,
    acc: String,
    role: i32,
    iat: i64,
    exp: i64,
}

const ISSUER: &str = "bulwark";

/// Recently verified credentials, so an authenticated read costs one query, not three.
///
/// Entries live at most `ttl`. Changing or deleting a token invalidates its entries at
/// once in this process; other processes sharing the database see the change within
/// `ttl` (the documented revocation bound of a multi-server deployment). Single-use
/// tokens are never cached. A hand-written map rather than a cache crate: the policy
/// (TTL + invalidation by token) is ten lines and needs no eviction heuristics.
pub struct CredentialCache {
    ttl: Duration,
    entries: RwLock<HashMap<String, (Principal, Instant, i64)>>,
}

const CACHE_MAX: usize = 10_000;

impl CredentialCache {
    /// `ttl` zero disables caching.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: RwLock::new(HashMap::new()),
        }
    }

    fn get(&self, key: &str) -> Option<Principal> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.entries.read().ok()?;
        let (p, at, expires) = map.get(key)?;
        let fresh = at.elapsed() < self.ttl && (*expires == 0 || clock::now_sec() < *expires);
        fresh.then(|| p.clone())
    }

    fn put(&self, key: String, p: &Principal, expires_sec: i64) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut map) = self.entries.write() {
            if map.len() >= CACHE_MAX {
                map.clear();
            }
            map.insert(key, (p.clone(), Instant::now(), expires_sec));
        }
    }

    /// Forgets every credential backed by `token` (after it changed).
    pub fn invalidate_token(&self, token: Uuid) {
        if let Ok(mut map) = self.entries.write() {
            map.retain(|_, (p, _, _)| p.token_uuid != Some(token));
        }
    }
}

/// Resolves credentials to principals and opens sessions.
pub struct Authenticator {
    store: Arc<dyn Store>,
    cache: Arc<CredentialCache>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    session_ttl_sec: i64,
}

impl Authenticator {
    /// `session_ttl_sec` bounds every JWT's life.
    pub fn new(store: Arc<dyn Store>, master: &MasterKey, session_ttl_sec: i64) -> Result<Self> {
        Self::with_cache(store, master, session_ttl_sec, Duration::from_secs(2))
    }

    /// As [`Authenticator::new`], with the credential cache's lifetime (zero disables it).
    pub fn with_cache(
        store: Arc<dyn Store>,
        master: &MasterKey,
        session_ttl_sec: i64,
        cache_ttl: Duration,
    ) -> Result<Self> {
        let key = master.derive("jwt-hs256")?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        Ok(Self {
            store,
            cache: Arc::new(CredentialCache::new(cache_ttl)),
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            validation,
            session_ttl_sec,
        })
    }

    /// The cache, shared with the services that change tokens.
    pub fn cache(&self) -> Arc<CredentialCache> {
        self.cache.clone()
    }

    async fn active_account(&self, id: Uuid) -> Result<Account> {
        match self.store.account_by_id(id).await? {
            Some(a) if a.status == Status::Active => Ok(a),
            _ => Err(DomainError::unauthenticated(UNAUTHORIZED)),
        }
    }

    /// Checks an API token secret. Unknown, suspended, deleted, expired and already
    /// used single-use tokens all fail the same way. A single-use token is consumed.
    pub async fn api_key(&self, secret: &str) -> Result<Principal> {
        let unauthorized = || DomainError::unauthenticated(UNAUTHORIZED);
        let hash = hash_secret(secret.trim());
        if let Some(p) = self.cache.get(&hash) {
            return Ok(p);
        }
        let token = self
            .store
            .token_by_hash(&hash)
            .await?
            .ok_or_else(unauthorized)?;
        if token.status != Status::Active || token.expired(clock::now_sec()) {
            return Err(unauthorized());
        }
        let account = self.active_account(token.account_id).await?;
        if token.single_use()
            && !self
                .store
                .consume_token(token.account_id, token.uuid, clock::now_ms())
                .await?
        {
            return Err(unauthorized());
        }
        let principal = Principal {
            account_id: account.id,
            account_name: account.name,
            role: token.role,
            auth_type: AuthType::ApiKey,
            credential_uuid: token.uuid,
            token_uuid: Some(token.uuid),
            user_uuid: token.user_uuid.clone(),
            display_name: token.name.clone(),
            view_pii_log_only: token.view_pii_log_only,
        };
        if !token.single_use() {
            self.cache.put(hash, &principal, token.expire_time_sec);
        }
        Ok(principal)
    }

    /// Checks a session JWT: signature, issuer, expiry, then the stored session and the
    /// token it came from, which may have been suspended since.
    pub async fn bearer(&self, jwt: &str) -> Result<Principal> {
        let unauthorized = || DomainError::unauthenticated(UNAUTHORIZED);
        if let Some(p) = self.cache.get(jwt.trim()) {
            return Ok(p);
        }
        let data = jsonwebtoken::decode::<Claims>(jwt.trim(), &self.decoding, &self.validation)
            .map_err(|_| unauthorized())?;
        let sid = Uuid::parse_str(&data.claims.sid).map_err(|_| unauthorized())?;
        let session = self
            .store
            .session_by_id(sid)
            .await?
            .ok_or_else(unauthorized)?;
        let now = clock::now_sec();
        if session.status != Status::Active || now >= session.expire_time_sec {
            return Err(unauthorized());
        }
        let account = self.active_account(session.account_id).await?;
        let mut display_name = session.user_uuid.clone();
        if let Some(tid) = session.token_uuid {
            let token = self
                .store
                .get_token(session.account_id, tid)
                .await?
                .ok_or_else(unauthorized)?;
            // Suspending or deleting a token ends the sessions opened with it.
            if token.status != Status::Active || (!token.single_use() && token.expired(now)) {
                return Err(unauthorized());
            }
            display_name = token.name;
        }
        let principal = Principal {
            account_id: account.id,
            account_name: account.name,
            role: session.role,
            auth_type: AuthType::Jwt,
            credential_uuid: session.uuid,
            token_uuid: session.token_uuid,
            user_uuid: session.user_uuid,
            display_name,
            view_pii_log_only: session.view_pii_log_only,
        };
        self.cache
            .put(jwt.trim().to_string(), &principal, session.expire_time_sec);
        Ok(principal)
    }

    /// Token login: opens a session for a caller authenticated by API key and returns it
    /// with its signed JWT. `account` must name the token's account.
    pub async fn token_login(
        &self,
        caller: &Principal,
        account: &str,
        client_ip: &str,
    ) -> Result<(Session, String)> {
        if caller.auth_type != AuthType::ApiKey {
            return Err(DomainError::forbidden("token login requires an API token"));
        }
        if account != caller.account_name {
            return Err(DomainError::forbidden(format!(
                "the API token does not belong to account `{account}`"
            )));
        }
        // A session never outlives the temporary token it was opened with.
        let mut not_after = None;
        if let Some(tid) = caller.token_uuid
            && let Some(t) = self.store.get_token(caller.account_id, tid).await?
            && t.expire_time_sec > 0
        {
            not_after = Some(t.expire_time_sec);
        }
        self.open_session(NewSession {
            account_id: caller.account_id,
            user_uuid: caller.user_uuid.clone(),
            token_uuid: caller.token_uuid,
            role: caller.role,
            login_type: LoginType::Token,
            client_ip: client_ip.to_string(),
            view_pii_log_only: caller.view_pii_log_only,
            not_after,
        })
        .await
    }

    /// Stores a session and signs its JWT: the one way every login (token, SAML, OIDC)
    /// ends.
    pub async fn open_session(&self, new: NewSession) -> Result<(Session, String)> {
        let now_ms = clock::now_ms();
        let mut expire_time_sec = now_ms / 1000 + self.session_ttl_sec;
        if let Some(limit) = new.not_after {
            expire_time_sec = expire_time_sec.min(limit);
        }
        let session = Session {
            uuid: Uuid::new_v4(),
            account_id: new.account_id,
            user_uuid: new.user_uuid,
            token_uuid: new.token_uuid,
            role: new.role,
            login_type: new.login_type,
            client_ip: new.client_ip,
            status: Status::Active,
            view_pii_log_only: new.view_pii_log_only,
            create_time: now_ms,
            ttl_sec: (expire_time_sec - now_ms / 1000).max(0),
            expire_time_sec,
        };
        self.store.insert_session(&session).await?;
        let jwt = self.sign(&session)?;
        Ok((session, jwt))
    }

    /// Signs the JWT for a stored session.
    pub fn sign(&self, session: &Session) -> Result<String> {
        let claims = Claims {
            iss: ISSUER.into(),
            sub: if session.user_uuid.is_empty() {
                session
                    .token_uuid
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            } else {
                session.user_uuid.clone()
            },
            sid: session.uuid.to_string(),
            acc: session.account_id.to_string(),
            role: session.role.code(),
            iat: session.create_time / 1000,
            exp: session.expire_time_sec,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| DomainError::Internal(format!("jwt signing failed: {e}")))
    }
}
