//! The generic object store behind every Edge resource family.

use async_trait::async_trait;
use bulwark_core::model::{ObjectFilter, StoredObject};
use bulwark_core::ports::ObjectRepo;
use bulwark_core::{DomainError, Result, Status};
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{int, opt_text, placeholders, status, text, uuid};

const COLS: &str = "uuid, status, data_source, unique_key, create_time, update_time, doc";

fn decode(row: &AnyRow) -> Result<StoredObject> {
    let doc: serde_json::Value = serde_json::from_str(&text(row, "doc")?)
        .map_err(|_| DomainError::Storage("object document is not JSON".into()))?;
    let serde_json::Value::Object(doc) = doc else {
        return Err(DomainError::Storage(
            "object document is not a JSON object".into(),
        ));
    };
    let tags = doc
        .get("tags")
        .and_then(|t| t.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(StoredObject {
        uuid: uuid(row, "uuid")?,
        status: status(row, "status")?,
        data_source: int(row, "data_source")?,
        tags,
        unique_key: opt_text(row, "unique_key")?,
        create_time: int(row, "create_time")?,
        update_time: int(row, "update_time")?,
        doc,
    })
}

async fn write_tags(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    account_id: Uuid,
    kind: &str,
    obj: &StoredObject,
) -> Result<()> {
    sqlx::query("DELETE FROM object_tags WHERE account_id = $1 AND kind = $2 AND uuid = $3")
        .bind(account_id.to_string())
        .bind(kind)
        .bind(obj.uuid.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    let mut seen = std::collections::BTreeSet::new();
    for tag in obj.tags.iter().filter(|t| seen.insert(t.as_str())) {
        sqlx::query(
            "INSERT INTO object_tags (account_id, kind, uuid, tag) VALUES ($1, $2, $3, $4)",
        )
        .bind(account_id.to_string())
        .bind(kind)
        .bind(obj.uuid.to_string())
        .bind(tag)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}

#[async_trait]
impl ObjectRepo for SqlStore {
    async fn insert_object(&self, account_id: Uuid, kind: &str, obj: &StoredObject) -> Result<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO objects (account_id, kind, uuid, status, data_source, unique_key, create_time, \
             update_time, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(account_id.to_string())
        .bind(kind)
        .bind(obj.uuid.to_string())
        .bind(i64::from(obj.status.code()))
        .bind(obj.data_source)
        .bind(obj.unique_key.clone())
        .bind(obj.create_time)
        .bind(obj.update_time)
        .bind(serde_json::Value::Object(obj.doc.clone()).to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_tags(&mut tx, account_id, kind, obj).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn get_object(
        &self,
        account_id: Uuid,
        kind: &str,
        id: Uuid,
    ) -> Result<Option<StoredObject>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM objects WHERE account_id = $1 AND kind = $2 AND uuid = $3"
        ));
        let row = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(kind)
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn get_object_by_key(
        &self,
        account_id: Uuid,
        kind: &str,
        key: &str,
    ) -> Result<Option<StoredObject>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM objects WHERE account_id = $1 AND kind = $2 AND unique_key = $3"
        ));
        let row = sqlx::query(sql)
            .bind(account_id.to_string())
            .bind(kind)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(decode).transpose()
    }

    async fn replace_object(
        &self,
        account_id: Uuid,
        kind: &str,
        obj: &StoredObject,
        expected_update_time: i64,
    ) -> Result<bool> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let r = sqlx::query(
            "UPDATE objects SET status = $1, data_source = $2, unique_key = $3, update_time = $4, doc = $5 \
             WHERE account_id = $6 AND kind = $7 AND uuid = $8 AND update_time = $9",
        )
        .bind(i64::from(obj.status.code()))
        .bind(obj.data_source)
        .bind(obj.unique_key.clone())
        .bind(obj.update_time)
        .bind(serde_json::Value::Object(obj.doc.clone()).to_string())
        .bind(account_id.to_string())
        .bind(kind)
        .bind(obj.uuid.to_string())
        .bind(expected_update_time)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if r.rows_affected() != 1 {
            tx.rollback().await.map_err(db)?;
            return Ok(false);
        }
        write_tags(&mut tx, account_id, kind, obj).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn query_objects(
        &self,
        account_id: Uuid,
        kind: &str,
        f: &ObjectFilter,
    ) -> Result<Vec<StoredObject>> {
        let mut sql =
            format!("SELECT {COLS} FROM objects o WHERE o.account_id = $1 AND o.kind = $2");
        let mut n = 3;
        let statuses: Vec<i64> = if f.statuses.is_empty() {
            [
                Status::Unspecified,
                Status::Init,
                Status::Active,
                Status::Suspended,
            ]
            .iter()
            .map(|s| i64::from(s.code()))
            .collect()
        } else {
            f.statuses.iter().map(|s| i64::from(s.code())).collect()
        };
        sql.push_str(&format!(
            " AND o.status IN ({})",
            placeholders(n, statuses.len())
        ));
        n += statuses.len();
        if !f.data_sources.is_empty() {
            sql.push_str(&format!(
                " AND o.data_source IN ({})",
                placeholders(n, f.data_sources.len())
            ));
            n += f.data_sources.len();
        }
        if !f.tags.is_empty() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM object_tags t WHERE t.account_id = o.account_id \
                 AND t.kind = o.kind AND t.uuid = o.uuid AND t.tag IN ({}))",
                placeholders(n, f.tags.len())
            ));
            n += f.tags.len();
        }
        sql.push_str(&format!(
            " ORDER BY o.create_time DESC, o.uuid LIMIT ${n} OFFSET ${}",
            n + 1
        ));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(account_id.to_string())
            .bind(kind);
        for s in statuses {
            q = q.bind(s);
        }
        for d in &f.data_sources {
            q = q.bind(*d);
        }
        for t in &f.tags {
            q = q.bind(t.clone());
        }
        let rows = q
            .bind(f.limit)
            .bind(f.offset)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(decode).collect()
    }
}
