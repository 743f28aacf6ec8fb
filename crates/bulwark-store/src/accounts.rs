use async_trait::async_trait;
use bulwark_core::Result;
use bulwark_core::model::Account;
use bulwark_core::ports::AccountRepo;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{int, json, status, text, uuid};

const COLS: &str = "id, name, status, onboarding, create_time, update_time";

fn decode(row: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: uuid(row, "id")?,
        name: text(row, "name")?,
        status: status(row, "status")?,
        onboarding: json(row, "onboarding")?,
        create_time: int(row, "create_time")?,
        update_time: int(row, "update_time")?,
    })
}

#[async_trait]
impl AccountRepo for SqlStore {
    async fn create_account(&self, a: &Account) -> Result<()> {
        sqlx::query(
            "INSERT INTO accounts (id, name, status, onboarding, create_time, update_time) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(a.id.to_string())
        .bind(&a.name)
        .bind(i64::from(a.status.code()))
        .bind(a.onboarding.to_string())
        .bind(a.create_time)
        .bind(a.update_time)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn account_by_name(&self, name: &str) -> Result<Option<Account>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM accounts WHERE name = $1"));
        let row = sqlx::query(sql)
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn account_by_id(&self, id: Uuid) -> Result<Option<Account>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM accounts WHERE id = $1"));
        let row = sqlx::query(sql)
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn list_accounts(&self) -> Result<Vec<Account>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM accounts ORDER BY name"));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(decode).collect()
    }

    async fn set_onboarding(
        &self,
        id: Uuid,
        onboarding: &serde_json::Value,
        now: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE accounts SET onboarding = $1, update_time = $2 WHERE id = $3")
            .bind(onboarding.to_string())
            .bind(now)
            .bind(id.to_string())
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }
}
