use async_trait::async_trait;
use bulwark_core::Result;
use bulwark_core::model::ApiToken;
use bulwark_core::ports::TokenRepo;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{b, flag, int, opt_int, role, status, text, uuid};

const COLS: &str = "uuid, account_id, name, description, role, status, user_uuid, ttl_sec, \
    expire_time_sec, used_time, view_pii_log_only, creator_uuid, creator_role, \
    creator_display_name, updater_uuid, updater_display_name, create_time, update_time";

fn decode(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        uuid: uuid(row, "uuid")?,
        account_id: uuid(row, "account_id")?,
        name: text(row, "name")?,
        description: text(row, "description")?,
        role: role(row, "role")?,
        status: status(row, "status")?,
        user_uuid: text(row, "user_uuid")?,
        ttl_sec: int(row, "ttl_sec")?,
        expire_time_sec: int(row, "expire_time_sec")?,
        used_time: opt_int(row, "used_time")?,
        view_pii_log_only: flag(row, "view_pii_log_only")?,
        creator_uuid: text(row, "creator_uuid")?,
        creator_role: role(row, "creator_role")?,
        creator_display_name: text(row, "creator_display_name")?,
        updater_uuid: text(row, "updater_uuid")?,
        updater_display_name: text(row, "updater_display_name")?,
        create_time: int(row, "create_time")?,
        update_time: int(row, "update_time")?,
    })
}

#[async_trait]
impl TokenRepo for SqlStore {
    async fn insert_token(&self, t: &ApiToken, secret_hash: &str) -> Result<()> {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO api_tokens ({COLS}, secret_hash) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        ));
        sqlx::query(sql)
            .bind(t.uuid.to_string())
            .bind(t.account_id.to_string())
            .bind(&t.name)
            .bind(&t.description)
            .bind(i64::from(t.role.code()))
            .bind(i64::from(t.status.code()))
            .bind(&t.user_uuid)
            .bind(t.ttl_sec)
            .bind(t.expire_time_sec)
            .bind(t.used_time)
            .bind(b(t.view_pii_log_only))
            .bind(&t.creator_uuid)
            .bind(i64::from(t.creator_role.code()))
            .bind(&t.creator_display_name)
            .bind(&t.updater_uuid)
            .bind(&t.updater_display_name)
            .bind(t.create_time)
            .bind(t.update_time)
            .bind(secret_hash)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn token_by_hash(&self, secret_hash: &str) -> Result<Option<ApiToken>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM api_tokens WHERE secret_hash = $1"
        ));
        let row = sqlx::query(sql)
            .bind(secret_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn get_token(&self, account_id: Uuid, id: Uuid) -> Result<Option<ApiToken>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM api_tokens WHERE account_id = $1 AND uuid = $2"
        ));
        let row = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn list_tokens(
        &self,
        account_id: Uuid,
        include_suspended: bool,
    ) -> Result<Vec<ApiToken>> {
        // ACTIVE = 2, SUSPENDED = 3; deleted tokens are never listed.
        let statuses = if include_suspended {
            "(1, 2, 3)"
        } else {
            "(2)"
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM api_tokens WHERE account_id = $1 AND status IN {statuses} \
             ORDER BY create_time, uuid"
        ));
        let rows = sqlx::query(sql)
            .bind(account_id.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(decode).collect()
    }

    async fn update_token(&self, t: &ApiToken) -> Result<()> {
        sqlx::query(
            "UPDATE api_tokens SET name = $1, description = $2, role = $3, status = $4, \
             updater_uuid = $5, updater_display_name = $6, update_time = $7 \
             WHERE account_id = $8 AND uuid = $9",
        )
        .bind(&t.name)
        .bind(&t.description)
        .bind(i64::from(t.role.code()))
        .bind(i64::from(t.status.code()))
        .bind(&t.updater_uuid)
        .bind(&t.updater_display_name)
        .bind(t.update_time)
        .bind(t.account_id.to_string())
        .bind(t.uuid.to_string())
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn consume_token(&self, account_id: Uuid, id: Uuid, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET used_time = $1 \
             WHERE account_id = $2 AND uuid = $3 AND used_time IS NULL",
        )
        .bind(now_ms)
        .bind(account_id.to_string())
        .bind(id.to_string())
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }
}
