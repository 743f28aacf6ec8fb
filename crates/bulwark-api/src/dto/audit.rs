use bulwark_core::Role;
use bulwark_core::model::AuditEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One audit event (Edge "Query Audit Events" item), plus the object it touched.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEventDto {
    pub account_name: String,
    pub auth_account_name: String,
    pub auth_role: Role,
    /// `api_key` or `jwt`.
    pub auth_type: String,
    pub auth_uuid: String,
    pub client_ip: String,
    pub create_time: i64,
    pub expire_time_sec: i64,
    pub matched_path: String,
    pub method: String,
    /// The OpenAPI operation id.
    pub op: String,
    pub path: String,
    pub proto_version: String,
    pub protocol: String,
    /// JSON bodies with secret fields redacted; other bodies summarised.
    pub request_body: String,
    pub response_status: i32,
    pub response_status_text: String,
    /// The request id (`x-request-id`).
    pub trace: String,
    pub user_display_name: String,
    pub user_login: String,
    pub uuid: String,
    /// Beyond the seed: the object created or changed.
    pub object_uuid: String,
}

impl From<AuditEvent> for AuditEventDto {
    fn from(e: AuditEvent) -> Self {
        Self {
            account_name: e.account_name,
            auth_account_name: e.auth_account_name,
            auth_role: e.auth_role,
            auth_type: e.auth_type,
            auth_uuid: e.auth_uuid,
            client_ip: e.client_ip,
            create_time: e.create_time,
            expire_time_sec: e.expire_time_sec,
            matched_path: e.matched_path,
            method: e.method,
            op: e.op,
            path: e.path,
            proto_version: e.proto_version,
            protocol: e.protocol,
            request_body: e.request_body,
            response_status: e.response_status,
            response_status_text: e.response_status_text,
            trace: e.trace,
            user_display_name: e.user_display_name,
            user_login: e.user_login,
            uuid: e.uuid.to_string(),
            object_uuid: e.object_uuid,
        }
    }
}

/// `{"audit_events": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEventList {
    pub audit_events: Vec<AuditEventDto>,
}
