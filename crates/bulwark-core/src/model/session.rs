use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Role, Status};

/// How a session was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginType {
    /// Token login (`login_type` 1 on the wire).
    Token,
    /// SAML single sign-on (2).
    Saml,
    /// OpenID Connect (3).
    Oidc,
}

impl LoginType {
    /// Wire number.
    pub fn code(self) -> i32 {
        match self {
            LoginType::Token => 1,
            LoginType::Saml => 2,
            LoginType::Oidc => 3,
        }
    }
    /// Parses a wire number.
    pub fn from_code(v: i32) -> LoginType {
        match v {
            2 => LoginType::Saml,
            3 => LoginType::Oidc,
            _ => LoginType::Token,
        }
    }
}

/// A login session; the JWT carries its uuid, so suspending the session revokes the JWT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub uuid: Uuid,
    pub account_id: Uuid,
    pub user_uuid: String,
    /// The API token the session was opened with, if any.
    pub token_uuid: Option<Uuid>,
    pub role: Role,
    pub login_type: LoginType,
    pub client_ip: String,
    pub status: Status,
    pub view_pii_log_only: bool,
    pub create_time: i64,
    /// Lifetime in seconds and absolute expiry (epoch seconds).
    pub ttl_sec: i64,
    pub expire_time_sec: i64,
}
