use bulwark_core::model::ApiToken;
use bulwark_core::{Role, Status};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{LOCATION, SHARD};

/// An API token (Edge "Create Token" response object). `secret` is filled only in the
/// response to the create call; it is never stored.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenDto {
    pub account_location: String,
    pub account_name: String,
    pub account_shard: String,
    pub account_uuid: String,
    /// How the secret is stored: `sha256`.
    pub algo: String,
    pub backend_shard: String,
    pub create_time: i64,
    pub creator_display_name: String,
    pub creator_role: Role,
    pub creator_uuid: String,
    pub description: String,
    /// Expiry in epoch seconds; 0 = never.
    pub expire_time_sec: i64,
    /// Where to exchange this token for a session JWT.
    pub login_url: String,
    pub name: String,
    pub secret: String,
    pub status: Status,
    pub update_time: i64,
    pub updater_display_name: String,
    pub updater_uuid: String,
    pub uuid: String,
    pub view_pii_log_only: bool,
    /// Beyond the seed's sample: the token's role, TTL and user.
    pub role: Role,
    pub ttl_sec: i64,
    pub user_uuid: String,
}

impl TokenDto {
    pub fn new(t: &ApiToken, account_name: &str, public_url: &str, secret: Option<String>) -> Self {
        Self {
            account_location: LOCATION.into(),
            account_name: account_name.into(),
            account_shard: SHARD.into(),
            account_uuid: t.account_id.to_string(),
            algo: "sha256".into(),
            backend_shard: SHARD.into(),
            create_time: t.create_time,
            creator_display_name: t.creator_display_name.clone(),
            creator_role: t.creator_role,
            creator_uuid: t.creator_uuid.clone(),
            description: t.description.clone(),
            expire_time_sec: t.expire_time_sec,
            login_url: format!(
                "{}/edge/v1/token-login?account={account_name}",
                public_url.trim_end_matches('/')
            ),
            name: t.name.clone(),
            secret: secret.unwrap_or_default(),
            status: t.status,
            update_time: t.update_time,
            updater_display_name: t.updater_display_name.clone(),
            updater_uuid: t.updater_uuid.clone(),
            uuid: t.uuid.to_string(),
            view_pii_log_only: t.view_pii_log_only,
            role: t.role,
            ttl_sec: t.ttl_sec,
            user_uuid: t.user_uuid.clone(),
        }
    }
}

/// `{"tokens": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenDto>,
}

/// Create Token request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTokenBody {
    /// Must be "" or the caller's account.
    pub account_name: Option<String>,
    pub description: Option<String>,
    pub name: Option<String>,
    /// Defaults to the creator's role; can never exceed it.
    pub role: Option<Role>,
    /// Defaults to ACTIVE.
    pub status: Option<Status>,
    /// `> 0`: a temporary token that can be used once and expires after this many seconds.
    pub ttl_sec: Option<i64>,
    /// Defaults to the caller's user.
    pub user_uuid: Option<String>,
}

/// Update a token: only the fields present change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateTokenBody {
    pub account_name: Option<String>,
    /// Fields to reset: `name`, `description`.
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    pub description: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub status: Option<Status>,
    pub uuid: Option<String>,
}
