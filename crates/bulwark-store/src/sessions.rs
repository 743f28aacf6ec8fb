use async_trait::async_trait;
use bulwark_core::Result;
use bulwark_core::model::{LoginType, Session};
use bulwark_core::ports::SessionRepo;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{b, flag, int, int32, opt_uuid, role, status, text, uuid};

#[async_trait]
impl SessionRepo for SqlStore {
    async fn insert_session(&self, s: &Session) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (uuid, account_id, user_uuid, token_uuid, role, login_type, \
             client_ip, status, view_pii_log_only, create_time, ttl_sec, expire_time_sec) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(s.uuid.to_string())
        .bind(s.account_id.to_string())
        .bind(&s.user_uuid)
        .bind(s.token_uuid.map(|t| t.to_string()))
        .bind(i64::from(s.role.code()))
        .bind(i64::from(s.login_type.code()))
        .bind(&s.client_ip)
        .bind(i64::from(s.status.code()))
        .bind(b(s.view_pii_log_only))
        .bind(s.create_time)
        .bind(s.ttl_sec)
        .bind(s.expire_time_sec)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn session_by_id(&self, id: Uuid) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT uuid, account_id, user_uuid, token_uuid, role, login_type, client_ip, status, \
             view_pii_log_only, create_time, ttl_sec, expire_time_sec FROM sessions WHERE uuid = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Session {
            uuid: uuid(&row, "uuid")?,
            account_id: uuid(&row, "account_id")?,
            user_uuid: text(&row, "user_uuid")?,
            token_uuid: opt_uuid(&row, "token_uuid")?,
            role: role(&row, "role")?,
            login_type: LoginType::from_code(int32(&row, "login_type")?),
            client_ip: text(&row, "client_ip")?,
            status: status(&row, "status")?,
            view_pii_log_only: flag(&row, "view_pii_log_only")?,
            create_time: int(&row, "create_time")?,
            ttl_sec: int(&row, "ttl_sec")?,
            expire_time_sec: int(&row, "expire_time_sec")?,
        }))
    }
}
