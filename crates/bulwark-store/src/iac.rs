use async_trait::async_trait;
use bulwark_core::Result;
use bulwark_core::model::IacScan;
use bulwark_core::ports::IacRepo;
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{b, flag, int, opt_int, opt_json, opt_text, text, uuid};

const COLS: &str = "id, account_id, status, repo_url, branch, committer_name, committer_email, \
    policy_name, save_results, report, error, create_time, finish_time";

fn decode(row: &AnyRow) -> Result<IacScan> {
    Ok(IacScan {
        id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        status: text(row, "status")?,
        repo_url: text(row, "repo_url")?,
        branch: text(row, "branch")?,
        committer_name: text(row, "committer_name")?,
        committer_email: text(row, "committer_email")?,
        policy_name: text(row, "policy_name")?,
        save_results: flag(row, "save_results")?,
        report: opt_json(row, "report")?,
        error: opt_text(row, "error")?,
        create_time: int(row, "create_time")?,
        finish_time: opt_int(row, "finish_time")?,
    })
}

#[async_trait]
impl IacRepo for SqlStore {
    async fn insert_iac_scan(&self, s: &IacScan, files: &[(String, Vec<u8>)]) -> Result<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO iac_scans ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ));
        sqlx::query(sql)
            .bind(s.id.to_string())
            .bind(s.account_id.to_string())
            .bind(&s.status)
            .bind(&s.repo_url)
            .bind(&s.branch)
            .bind(&s.committer_name)
            .bind(&s.committer_email)
            .bind(&s.policy_name)
            .bind(b(s.save_results))
            .bind(s.report.as_ref().map(|r| r.to_string()))
            .bind(s.error.clone())
            .bind(s.create_time)
            .bind(s.finish_time)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for (seq, (path, content)) in files.iter().enumerate() {
            sqlx::query(
                "INSERT INTO iac_scan_files (scan_id, seq, path, content) VALUES ($1, $2, $3, $4)",
            )
            .bind(s.id.to_string())
            .bind(i64::try_from(seq).unwrap_or(i64::MAX))
            .bind(path)
            .bind(content.clone())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn get_iac_scan(&self, account_id: Uuid, id: Uuid) -> Result<Option<IacScan>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM iac_scans WHERE account_id = $1 AND id = $2"
        ));
        let row = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn iac_scan_files(&self, account_id: Uuid, id: Uuid) -> Result<Vec<(String, Vec<u8>)>> {
        let rows = sqlx::query(
            "SELECT f.path, f.content FROM iac_scan_files f JOIN iac_scans s ON s.id = f.scan_id \
             WHERE s.account_id = $1 AND f.scan_id = $2 ORDER BY f.seq",
        )
        .bind(account_id.to_string())
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    text(r, "path")?,
                    r.try_get::<Vec<u8>, _>("content").map_err(db)?,
                ))
            })
            .collect()
    }

    async fn update_iac_scan(&self, s: &IacScan) -> Result<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query(
            "UPDATE iac_scans SET status = $1, report = $2, error = $3, finish_time = $4 \
             WHERE account_id = $5 AND id = $6",
        )
        .bind(&s.status)
        .bind(s.report.as_ref().map(|r| r.to_string()))
        .bind(s.error.clone())
        .bind(s.finish_time)
        .bind(s.account_id.to_string())
        .bind(s.id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if s.finish_time.is_some() {
            sqlx::query("DELETE FROM iac_scan_files WHERE scan_id = $1")
                .bind(s.id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }
}
