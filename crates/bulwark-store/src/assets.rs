//! Cloud inventory: assets of cloud environments, and search over them.
//!
//! Search compiles the Optix search language with `bulwark-query` against the asset's
//! JSON document, except for fields copied into indexed columns (`isPublic`, `name`,
//! `region`, `accountId`) or the `asset_tags` side table (`tags.name`, `tags.value`),
//! which is what keeps selective queries fast at a million assets.

use std::collections::HashSet;

use async_trait::async_trait;
use bulwark_core::Result;
use bulwark_core::ports::{AssetPage, AssetQuery, AssetRepo, Backend, SyncCounts};
use bulwark_inventory::Asset;
use bulwark_query::{Column, ColumnMap, Dialect, SqlOptions, SqlParam};
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{int, placeholders, text};

/// The document search sees: the asset's own fields with the envelope beside them.
pub(crate) fn search_doc(a: &Asset) -> serde_json::Value {
    let mut doc = match &a.data {
        serde_json::Value::Object(m) => m.clone(),
        _ => serde_json::Map::new(),
    };
    let envelope = serde_json::json!({
        "searchKey": a.search_key,
        "provider": a.provider.as_str(),
        "accountId": a.account_id,
        "region": a.region,
        "resourceId": a.resource_id,
        "name": a.name,
        "isPublic": a.is_public,
        "tags": a.tags,
    });
    if let serde_json::Value::Object(env) = envelope {
        for (k, v) in env {
            doc.insert(k, v);
        }
    }
    doc.insert("asset".into(), serde_json::to_value(a).unwrap_or_default());
    serde_json::Value::Object(doc)
}

fn decode(row: &AnyRow) -> Result<Asset> {
    let doc: serde_json::Value = serde_json::from_str(&text(row, "doc")?)
        .map_err(|_| bulwark_core::DomainError::Storage("asset document is not JSON".into()))?;
    serde_json::from_value(doc.get("asset").cloned().unwrap_or_default())
        .map_err(|e| bulwark_core::DomainError::Storage(format!("asset document: {e}")))
}

fn field_map(backend: Backend) -> ColumnMap {
    // `is_public` is 0/1 on both engines (the `Any` driver binds no booleans); PostgreSQL
    // needs it as a boolean expression, which `<> 0` gives while keeping NULL as NULL.
    let is_public = match backend {
        Backend::Sqlite => "assets.is_public",
        Backend::Postgres => "(assets.is_public <> 0)",
    };
    let mut m = ColumnMap::new();
    m.insert("isPublic", Column::boolean(is_public))
        .insert("name", Column::text("assets.name"))
        .insert("region", Column::text("assets.region"))
        .insert("accountId", Column::text("assets.cloud_account_id"))
        .insert("resourceId", Column::text("assets.resource_id"))
        .insert(
            "tags.name",
            Column::text("tg.name").in_rows("asset_tags AS tg", "tg.asset_id = assets.id"),
        )
        .insert(
            "tags.value",
            Column::text("tg.value").in_rows("asset_tags AS tg", "tg.asset_id = assets.id"),
        );
    m
}

/// Binds values in order (fragment parameters first, then the statement's own).
enum Bind {
    Text(String),
    Int(i64),
    Float(f64),
}

/// Binds one asset's columns in `assets` column order (id, account, environment, search
/// key, provider, cloud account, region, resource id, name, public flag, document, seen
/// time): the shared tail of the upsert and the bulk load.
pub(crate) fn bind_asset_row<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    id: String,
    account: String,
    env: String,
    a: &Asset,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(id)
        .bind(account)
        .bind(env)
        .bind(a.search_key.clone())
        .bind(a.provider.as_str())
        .bind(a.account_id.clone())
        .bind(a.region.clone().unwrap_or_default())
        .bind(a.resource_id.clone())
        .bind(a.name.clone())
        .bind(a.is_public.map(i64::from))
        .bind(search_doc(a).to_string())
        .bind(now)
}

#[async_trait]
impl AssetRepo for SqlStore {
    async fn sync_assets(
        &self,
        account_id: Uuid,
        env: Uuid,
        search_keys: &[String],
        assets: &[Asset],
        now: i64,
    ) -> Result<SyncCounts> {
        let doc_value = match self.backend {
            Backend::Postgres => "CAST($11 AS JSONB)",
            Backend::Sqlite => "$11",
        };
        let upsert = format!(
            "INSERT INTO assets (id, account_id, env_uuid, search_key, provider, cloud_account_id, region, \
             resource_id, name, is_public, doc, first_seen, last_seen, missing) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, {doc_value}, $12, $12, 0) \
             ON CONFLICT (account_id, env_uuid, search_key, resource_id) DO UPDATE SET \
             provider = excluded.provider, cloud_account_id = excluded.cloud_account_id, region = excluded.region, \
             name = excluded.name, is_public = excluded.is_public, doc = excluded.doc, last_seen = excluded.last_seen, \
             missing = 0 RETURNING id, first_seen"
        );
        let mut counts = SyncCounts::default();
        let mut tx = self.writer.begin().await.map_err(db)?;
        let mut seen = HashSet::new();
        for a in assets {
            if !seen.insert((a.search_key.as_str(), a.resource_id.as_str())) {
                continue;
            }
            let q = sqlx::query(sqlx::AssertSqlSafe(upsert.clone()));
            let row = bind_asset_row(
                q,
                Uuid::new_v4().to_string(),
                account_id.to_string(),
                env.to_string(),
                a,
                now,
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            let id = text(&row, "id")?;
            if int(&row, "first_seen")? == now {
                counts.added += 1;
            } else {
                counts.updated += 1;
            }
            sqlx::query("DELETE FROM asset_tags WHERE asset_id = $1")
                .bind(id.clone())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            for t in &a.tags {
                sqlx::query("INSERT INTO asset_tags (asset_id, name, value) VALUES ($1, $2, $3)")
                    .bind(id.clone())
                    .bind(t.name.clone())
                    .bind(t.value.clone())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
        }
        if !search_keys.is_empty() {
            let sql = sqlx::AssertSqlSafe(format!(
                "UPDATE assets SET missing = 1 WHERE account_id = $1 AND env_uuid = $2 AND last_seen < $3 \
                 AND missing = 0 AND search_key IN ({})",
                placeholders(4, search_keys.len())
            ));
            let mut q = sqlx::query(sql)
                .bind(account_id.to_string())
                .bind(env.to_string())
                .bind(now);
            for k in search_keys {
                q = q.bind(k.clone());
            }
            counts.missing =
                usize::try_from(q.execute(&mut *tx).await.map_err(db)?.rows_affected())
                    .unwrap_or(0);
        }
        tx.commit().await.map_err(db)?;
        Ok(counts)
    }

    async fn expire_assets(
        &self,
        account_id: Uuid,
        env: Uuid,
        search_keys: &[String],
        before: i64,
    ) -> Result<usize> {
        if search_keys.is_empty() {
            return Ok(0);
        }
        let scope = format!(
            "account_id = $1 AND env_uuid = $2 AND last_seen < $3 AND search_key IN ({})",
            placeholders(4, search_keys.len())
        );
        let bind = |sql: String| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(account_id.to_string())
                .bind(env.to_string())
                .bind(before);
            for k in search_keys {
                q = q.bind(k.clone());
            }
            q
        };
        let mut tx = self.writer.begin().await.map_err(db)?;
        bind(format!(
            "DELETE FROM asset_tags WHERE asset_id IN (SELECT id FROM assets WHERE {scope})"
        ))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let gone = bind(format!("DELETE FROM assets WHERE {scope}"))
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(usize::try_from(gone).unwrap_or(usize::MAX))
    }

    async fn query_assets(&self, account_id: Uuid, q: &AssetQuery<'_>) -> Result<AssetPage> {
        let dialect = match self.backend {
            Backend::Sqlite => Dialect::Sqlite,
            Backend::Postgres => Dialect::Postgres,
        };
        let map = field_map(self.backend);
        let mut binds: Vec<Bind> = Vec::new();
        let term_sql = match q.term {
            Some(term) if !term.is_match_all() => {
                let frag = term.to_sql(&SqlOptions::new(dialect, "assets.doc").field_map(&map));
                binds.extend(frag.params.into_iter().map(|p| match p {
                    SqlParam::Text(s) => Bind::Text(s),
                    SqlParam::Int(i) => Bind::Int(i),
                    SqlParam::Float(f) => Bind::Float(f),
                }));
                format!(" AND ({})", frag.sql)
            }
            _ => String::new(),
        };
        // Our own placeholders come after the fragment's (SQLite numbers bare `?` from 1).
        let mut n = binds.len() + 1;
        let mut where_sql = format!("assets.account_id = ${n} AND assets.missing = 0");
        binds.push(Bind::Text(account_id.to_string()));
        n += 1;
        where_sql.push_str(&format!(
            " AND assets.search_key IN ({})",
            placeholders(n, q.search_keys.len())
        ));
        for k in q.search_keys {
            binds.push(Bind::Text((*k).to_string()));
        }
        n += q.search_keys.len();
        if !q.cloud_accounts.is_empty() {
            where_sql.push_str(&format!(
                " AND assets.cloud_account_id IN ({})",
                placeholders(n, q.cloud_accounts.len())
            ));
            for a in q.cloud_accounts {
                binds.push(Bind::Text(a.clone()));
            }
            n += q.cloud_accounts.len();
        }
        where_sql.push_str(&term_sql);
        let doc_text = match self.backend {
            Backend::Postgres => "CAST(hit.doc AS TEXT)",
            Backend::Sqlite => "hit.doc",
        };
        // The page's ids first, then their documents: rows skipped by a deep OFFSET are
        // then read from the `assets_order` index alone, never converted or decoded
        // (PostgreSQL otherwise casts every skipped row's document to text).
        let page_sql = sqlx::AssertSqlSafe(format!(
            "SELECT {doc_text} AS doc FROM (SELECT assets.id AS id, assets.search_key AS sk, \
             assets.resource_id AS rid FROM assets WHERE {where_sql} \
             ORDER BY assets.search_key, assets.resource_id LIMIT ${n} OFFSET ${}) AS page \
             JOIN assets AS hit ON hit.id = page.id ORDER BY page.sk, page.rid",
            n + 1
        ));
        let count_sql = sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM assets WHERE {where_sql}"
        ));
        let mut conn = self.pool.acquire().await.map_err(db)?;
        if self.backend == Backend::Postgres {
            // Recursive JSON walks make the JIT's cost estimates wildly pessimistic.
            sqlx::query("SET jit = off")
                .execute(&mut *conn)
                .await
                .map_err(db)?;
        }
        let mut count = sqlx::query(count_sql);
        let mut page = sqlx::query(page_sql);
        for b in &binds {
            (count, page) = match b {
                Bind::Text(s) => (count.bind(s.clone()), page.bind(s.clone())),
                Bind::Int(i) => (count.bind(*i), page.bind(*i)),
                Bind::Float(f) => (count.bind(*f), page.bind(*f)),
            };
        }
        let total = int(&count.fetch_one(&mut *conn).await.map_err(db)?, "n")?;
        let rows = page
            .bind(q.limit)
            .bind(q.offset)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
        let assets = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(AssetPage { assets, total })
    }

    async fn asset_counts(
        &self,
        account_id: Uuid,
        except: &[&str],
    ) -> Result<Vec<(String, String, i64)>> {
        let not_in = if except.is_empty() {
            String::new()
        } else {
            format!("AND search_key NOT IN ({})", placeholders(2, except.len()))
        };
        let sql = format!(
            "SELECT cloud_account_id, provider, COUNT(*) AS n FROM assets WHERE account_id = $1 AND missing = 0 \
             {not_in} GROUP BY cloud_account_id, provider ORDER BY cloud_account_id"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(account_id.to_string());
        for k in except {
            q = q.bind(k.to_string());
        }
        let rows = q.fetch_all(&self.pool).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    text(r, "cloud_account_id")?,
                    text(r, "provider")?,
                    int(r, "n")?,
                ))
            })
            .collect()
    }
}
