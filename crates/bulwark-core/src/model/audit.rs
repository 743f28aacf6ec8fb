use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Role;

/// One audited request (Edge `audit_events` object plus the object it touched).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub uuid: Uuid,
    pub account_id: Uuid,
    pub account_name: String,
    pub auth_account_name: String,
    pub auth_role: Role,
    /// `api_key` or `jwt`.
    pub auth_type: String,
    /// The token or session that authenticated the request.
    pub auth_uuid: String,
    pub user_login: String,
    pub user_display_name: String,
    pub client_ip: String,
    pub create_time: i64,
    pub expire_time_sec: i64,
    pub method: String,
    pub path: String,
    pub matched_path: String,
    /// Operation id from the OpenAPI document, e.g. `CreateToken`.
    pub op: String,
    pub protocol: String,
    pub proto_version: String,
    /// The request body with secrets redacted.
    pub request_body: String,
    pub response_status: i32,
    pub response_status_text: String,
    /// Request id, also in the `x-request-id` response header and the logs.
    pub trace: String,
    /// The object the request created or changed, when there is one.
    pub object_uuid: String,
}

/// Filters for the audit log (Edge "Query Audit Events").
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Inclusive lower bound, epoch ms.
    pub start_time: i64,
    /// Exclusive upper bound, epoch ms.
    pub end_time: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}
