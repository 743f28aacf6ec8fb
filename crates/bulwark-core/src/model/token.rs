use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Role, Status};

/// An API token (Edge "Create Token" object). The secret itself is never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub uuid: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub description: String,
    pub role: Role,
    pub status: Status,
    /// The user the token acts for (empty for service tokens).
    pub user_uuid: String,
    /// As created; `> 0` makes the token single-use and expiring after this many seconds.
    pub ttl_sec: i64,
    /// Absolute expiry in epoch seconds; 0 = never.
    pub expire_time_sec: i64,
    /// When a single-use token was consumed (epoch ms).
    pub used_time: Option<i64>,
    pub view_pii_log_only: bool,
    pub creator_uuid: String,
    pub creator_role: Role,
    pub creator_display_name: String,
    pub updater_uuid: String,
    pub updater_display_name: String,
    pub create_time: i64,
    pub update_time: i64,
}

impl ApiToken {
    /// Single-use tokens are the ones created with a TTL.
    pub fn single_use(&self) -> bool {
        self.ttl_sec > 0
    }

    /// True when the token is past its expiry at `now_sec`.
    pub fn expired(&self, now_sec: i64) -> bool {
        self.expire_time_sec > 0 && now_sec >= self.expire_time_sec
    }
}

/// A partial update of a token: only the fields present change.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub role: Option<Role>,
    pub status: Option<Status>,
    /// Fields reset to their default (`name`, `description`).
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
}
