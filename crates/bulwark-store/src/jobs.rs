use async_trait::async_trait;
use bulwark_core::model::{Job, JobAttempt, JobState, NewJob};
use bulwark_core::ports::{Backend, JobOutcome, JobRepo};
use bulwark_core::{DomainError, Result};
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{int, int32, json, opt_int, opt_json, opt_text, placeholders, text, uuid};

const COLS: &str = "id, account_id, kind, payload, state, attempts, max_attempts, run_at, \
    locked_by, lease_until, last_error, result, create_time, update_time, finish_time";

fn decode(row: &AnyRow) -> Result<Job> {
    let state = text(row, "state")?;
    Ok(Job {
        id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        kind: text(row, "kind")?,
        payload: json(row, "payload")?,
        state: JobState::parse(&state)
            .ok_or_else(|| DomainError::Storage(format!("unknown job state `{state}`")))?,
        attempts: int32(row, "attempts")?,
        max_attempts: int32(row, "max_attempts")?,
        run_at: int(row, "run_at")?,
        locked_by: opt_text(row, "locked_by")?,
        lease_until: opt_int(row, "lease_until")?,
        last_error: opt_text(row, "last_error")?,
        result: opt_json(row, "result")?,
        create_time: int(row, "create_time")?,
        update_time: int(row, "update_time")?,
        finish_time: opt_int(row, "finish_time")?,
    })
}

#[async_trait]
impl JobRepo for SqlStore {
    async fn enqueue(&self, j: &NewJob, now: i64) -> Result<Job> {
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO jobs (id, account_id, kind, payload, state, attempts, max_attempts, run_at, \
             create_time, update_time) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7, $7)",
        )
        .bind(id.to_string())
        .bind(j.account_id.to_string())
        .bind(&j.kind)
        .bind(j.payload.to_string())
        .bind(i64::from(j.max_attempts))
        .bind(j.run_at)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        self.get_job(j.account_id, id)
            .await?
            .ok_or(DomainError::NotFound("job"))
    }

    async fn claim(
        &self,
        worker: &str,
        kinds: &[String],
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<Job>> {
        if kinds.is_empty() {
            return Ok(None);
        }
        let mut tx = self.writer.begin().await.map_err(db)?;
        // A job whose worker died on its last attempt cannot be retried: fail it.
        sqlx::query(
            "UPDATE jobs SET state = 'failed', last_error = 'worker lost its lease on the final attempt', \
             finish_time = $1, update_time = $1 \
             WHERE state = 'running' AND lease_until < $1 AND attempts >= max_attempts",
        )
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        // PostgreSQL: SKIP LOCKED lets concurrent claimers pass over each other's rows.
        // SQLite: the statement holds the database write lock, which serialises claims.
        let lock = match self.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, \
             lease_until = $2, update_time = $3 \
             WHERE id = (SELECT id FROM jobs WHERE kind IN ({}) AND \
               ((state = 'queued' AND run_at <= $3) OR \
                (state = 'running' AND lease_until < $3 AND attempts < max_attempts)) \
               ORDER BY run_at, id LIMIT 1 {lock}) \
             RETURNING {COLS}",
            placeholders(4, kinds.len())
        ));
        let mut q = sqlx::query(sql).bind(worker).bind(now + lease_ms).bind(now);
        for k in kinds {
            q = q.bind(k);
        }
        let Some(row) = q.fetch_optional(&mut *tx).await.map_err(db)? else {
            tx.commit().await.map_err(db)?;
            return Ok(None);
        };
        let job = decode(&row)?;
        // A reclaimed job's previous attempt ended when its lease ran out.
        sqlx::query(
            "UPDATE job_attempts SET end_time = $1, outcome = 'lease expired' \
             WHERE job_id = $2 AND end_time IS NULL",
        )
        .bind(now)
        .bind(job.id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("INSERT INTO job_attempts (job_id, attempt, worker, start_time) VALUES ($1, $2, $3, $4)")
            .bind(job.id.to_string())
            .bind(i64::from(job.attempts))
            .bind(worker)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(Some(job))
    }

    async fn heartbeat(&self, id: Uuid, worker: &str, lease_until: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND locked_by = $3 AND state = 'running'",
        )
        .bind(lease_until)
        .bind(id.to_string())
        .bind(worker)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(r.rows_affected() == 1)
    }

    async fn finish(&self, id: Uuid, worker: &str, o: &JobOutcome<'_>) -> Result<bool> {
        let (next, result, error, retry_at, now) = (o.next, o.result, o.error, o.retry_at, o.now);
        let finish_time = matches!(next, JobState::Done | JobState::Failed).then_some(now);
        let mut tx = self.writer.begin().await.map_err(db)?;
        let r = sqlx::query(
            "UPDATE jobs SET state = $1, result = $2, last_error = $3, run_at = $4, finish_time = $5, \
             locked_by = NULL, lease_until = NULL, update_time = $6 \
             WHERE id = $7 AND locked_by = $8 AND state = 'running'",
        )
        .bind(next.as_str())
        .bind(result.map(|v| v.to_string()))
        .bind(error)
        .bind(retry_at)
        .bind(finish_time)
        .bind(now)
        .bind(id.to_string())
        .bind(worker)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if r.rows_affected() != 1 {
            tx.rollback().await.map_err(db)?;
            return Ok(false);
        }
        let outcome = match next {
            JobState::Done => "done".to_string(),
            _ => format!("error: {}", error.unwrap_or("")),
        };
        sqlx::query(
            "UPDATE job_attempts SET end_time = $1, outcome = $2 \
             WHERE job_id = $3 AND worker = $4 AND end_time IS NULL",
        )
        .bind(now)
        .bind(outcome)
        .bind(id.to_string())
        .bind(worker)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn get_job(&self, account_id: Uuid, id: Uuid) -> Result<Option<Job>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM jobs WHERE account_id = $1 AND id = $2"
        ));
        let row = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn list_jobs(
        &self,
        account_id: Uuid,
        state: Option<JobState>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Job>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM jobs WHERE account_id = $1 AND ($2 = '' OR state = $2) \
             ORDER BY create_time DESC, id LIMIT $3 OFFSET $4"
        ));
        let rows = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(state.map_or("", JobState::as_str))
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(decode).collect()
    }

    async fn job_attempts(&self, account_id: Uuid, id: Uuid) -> Result<Vec<JobAttempt>> {
        let rows = sqlx::query(
            "SELECT a.job_id, a.attempt, a.worker, a.start_time, a.end_time, a.outcome \
             FROM job_attempts a JOIN jobs j ON j.id = a.job_id \
             WHERE j.account_id = $1 AND a.job_id = $2 ORDER BY a.attempt",
        )
        .bind(account_id.to_string())
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok(JobAttempt {
                    job_id: uuid(row, "job_id")?,
                    attempt: int32(row, "attempt")?,
                    worker: text(row, "worker")?,
                    start_time: int(row, "start_time")?,
                    end_time: opt_int(row, "end_time")?,
                    outcome: opt_text(row, "outcome")?,
                })
            })
            .collect()
    }
}
