use bulwark_core::model::Session;
use bulwark_core::{Role, Status};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{LOCATION, SHARD};

/// A login session (Edge TokenLogin / Login response); `token` is the JWT to send as
/// `Authorization: Bearer <token>`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionDto {
    pub account_location: String,
    pub account_name: String,
    pub account_shard: String,
    pub account_uuid: String,
    pub backend_shard: String,
    pub client_ip: String,
    pub create_time: i64,
    pub device_uuid: String,
    /// Epoch ms at which the session ends.
    pub end_time: i64,
    pub expire_start_time: i64,
    pub expire_time_sec: i64,
    pub generation_id: i64,
    pub geo_location: String,
    /// 1 token login, 2 SAML, 3 OIDC.
    pub login_type: i32,
    pub status: Status,
    pub tags: Vec<String>,
    pub time_id_token: String,
    /// The signed JWT.
    pub token: String,
    pub ttl_sec: i64,
    pub update_time: i64,
    pub user_role: Role,
    pub user_uuid: String,
    pub uuid: String,
    pub view_pii_log_only: bool,
}

impl SessionDto {
    pub fn new(s: &Session, account_name: &str, jwt: String) -> Self {
        Self {
            account_location: LOCATION.into(),
            account_name: account_name.into(),
            account_shard: SHARD.into(),
            account_uuid: s.account_id.to_string(),
            backend_shard: SHARD.into(),
            client_ip: s.client_ip.clone(),
            create_time: s.create_time,
            device_uuid: String::new(),
            end_time: s.expire_time_sec * 1000,
            expire_start_time: s.create_time,
            expire_time_sec: s.expire_time_sec,
            generation_id: 1,
            geo_location: String::new(),
            login_type: s.login_type.code(),
            status: s.status,
            tags: Vec::new(),
            time_id_token: String::new(),
            token: jwt,
            ttl_sec: s.ttl_sec,
            update_time: s.create_time,
            user_role: s.role,
            user_uuid: s.user_uuid.clone(),
            uuid: s.uuid.to_string(),
            view_pii_log_only: s.view_pii_log_only,
        }
    }
}
