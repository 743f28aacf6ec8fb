use async_trait::async_trait;
use bulwark_core::Result;
use bulwark_core::model::{AuditEvent, AuditQuery};
use bulwark_core::ports::AuditRepo;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{int, int32, role, text, uuid};

const COLS: &str = "uuid, account_id, account_name, auth_account_name, auth_role, auth_type, \
    auth_uuid, user_login, user_display_name, client_ip, create_time, expire_time_sec, method, \
    path, matched_path, op, protocol, proto_version, request_body, response_status, \
    response_status_text, trace, object_uuid";

fn decode(row: &AnyRow) -> Result<AuditEvent> {
    Ok(AuditEvent {
        uuid: uuid(row, "uuid")?,
        account_id: uuid(row, "account_id")?,
        account_name: text(row, "account_name")?,
        auth_account_name: text(row, "auth_account_name")?,
        auth_role: role(row, "auth_role")?,
        auth_type: text(row, "auth_type")?,
        auth_uuid: text(row, "auth_uuid")?,
        user_login: text(row, "user_login")?,
        user_display_name: text(row, "user_display_name")?,
        client_ip: text(row, "client_ip")?,
        create_time: int(row, "create_time")?,
        expire_time_sec: int(row, "expire_time_sec")?,
        method: text(row, "method")?,
        path: text(row, "path")?,
        matched_path: text(row, "matched_path")?,
        op: text(row, "op")?,
        protocol: text(row, "protocol")?,
        proto_version: text(row, "proto_version")?,
        request_body: text(row, "request_body")?,
        response_status: int32(row, "response_status")?,
        response_status_text: text(row, "response_status_text")?,
        trace: text(row, "trace")?,
        object_uuid: text(row, "object_uuid")?,
    })
}

#[async_trait]
impl AuditRepo for SqlStore {
    async fn insert_audit(&self, e: &AuditEvent) -> Result<()> {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO audit_events ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"
        ));
        sqlx::query(sql)
            .bind(e.uuid.to_string())
            .bind(e.account_id.to_string())
            .bind(&e.account_name)
            .bind(&e.auth_account_name)
            .bind(i64::from(e.auth_role.code()))
            .bind(&e.auth_type)
            .bind(&e.auth_uuid)
            .bind(&e.user_login)
            .bind(&e.user_display_name)
            .bind(&e.client_ip)
            .bind(e.create_time)
            .bind(e.expire_time_sec)
            .bind(&e.method)
            .bind(&e.path)
            .bind(&e.matched_path)
            .bind(&e.op)
            .bind(&e.protocol)
            .bind(&e.proto_version)
            .bind(&e.request_body)
            .bind(i64::from(e.response_status))
            .bind(&e.response_status_text)
            .bind(&e.trace)
            .bind(&e.object_uuid)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn query_audit(&self, account_id: Uuid, q: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM audit_events WHERE account_id = $1 AND create_time >= $2 \
             AND create_time < $3 ORDER BY create_time DESC, uuid LIMIT $4 OFFSET $5"
        ));
        let rows = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(q.start_time)
            .bind(q.end_time.unwrap_or(i64::MAX))
            .bind(q.limit)
            .bind(q.offset)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(decode).collect()
    }

    async fn get_audit(&self, account_id: Uuid, id: Uuid) -> Result<Option<AuditEvent>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM audit_events WHERE account_id = $1 AND uuid = $2"
        ));
        let row = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }
}
