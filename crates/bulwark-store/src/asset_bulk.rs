//! Bulk loading of assets into an environment that does not hold them yet (imports,
//! the search benchmark): multi-row inserts in one transaction, instead of the
//! row-at-a-time upsert a sync needs to tell added from updated assets.

use bulwark_core::Result;
use bulwark_core::ports::Backend;
use bulwark_inventory::Asset;
use uuid::Uuid;

use crate::SqlStore;
use crate::assets::bind_asset_row;
use crate::error::db;

/// Rows per statement: at 12 parameters an asset, under SQLite's 32766 variables.
const ASSETS_PER_STATEMENT: usize = 500;
const TAGS_PER_STATEMENT: usize = 2000;

impl SqlStore {
    /// Inserts `assets` as present in environment `env` of `account_id`, all or none.
    /// An asset the environment already holds (same search key and resource id) is a
    /// unique-index violation: use `AssetRepo::sync_assets` to refresh an inventory.
    pub async fn bulk_load_assets(
        &self,
        account_id: Uuid,
        env: Uuid,
        assets: &[Asset],
        now: i64,
    ) -> Result<()> {
        let doc_value = |p: usize| match self.backend {
            Backend::Postgres => format!("CAST(${p} AS JSONB)"),
            Backend::Sqlite => format!("${p}"),
        };
        let account = account_id.to_string();
        let env = env.to_string();
        let mut tx = self.writer.begin().await.map_err(db)?;
        if self.backend == Backend::Sqlite {
            // Ids are random, so index inserts land on random pages, which SQLite's
            // default 2 MiB page cache keeps spilling and re-reading at this scale.
            sqlx::query("PRAGMA cache_size = -262144")
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        for chunk in assets.chunks(ASSETS_PER_STATEMENT) {
            let ids: Vec<String> = chunk.iter().map(|_| Uuid::new_v4().to_string()).collect();
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p = i * 12;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, {}, ${}, ${}, 0)",
                        p + 1,
                        p + 2,
                        p + 3,
                        p + 4,
                        p + 5,
                        p + 6,
                        p + 7,
                        p + 8,
                        p + 9,
                        p + 10,
                        doc_value(p + 11),
                        p + 12,
                        p + 12,
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO assets (id, account_id, env_uuid, search_key, provider, cloud_account_id, \
                 region, resource_id, name, is_public, doc, first_seen, last_seen, missing) VALUES {}",
                rows.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (a, id) in chunk.iter().zip(&ids) {
                q = bind_asset_row(q, id.clone(), account.clone(), env.clone(), a, now);
            }
            q.execute(&mut *tx).await.map_err(db)?;
            let tags: Vec<(&String, &bulwark_inventory::Tag)> = chunk
                .iter()
                .zip(&ids)
                .flat_map(|(a, id)| a.tags.iter().map(move |t| (id, t)))
                .collect();
            for part in tags.chunks(TAGS_PER_STATEMENT) {
                let rows: Vec<String> = (0..part.len())
                    .map(|i| format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3))
                    .collect();
                let sql = format!(
                    "INSERT INTO asset_tags (asset_id, name, value) VALUES {}",
                    rows.join(", ")
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (id, t) in part {
                    q = q
                        .bind((*id).clone())
                        .bind(t.name.clone())
                        .bind(t.value.clone());
                }
                q.execute(&mut *tx).await.map_err(db)?;
            }
        }
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA cache_size = -2000")
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    /// Refreshes the query planner's statistics (and, on PostgreSQL, the visibility map
    /// that index-only scans need), as autovacuum does some time after large writes.
    pub async fn analyze(&self) -> Result<()> {
        let sql = match self.backend {
            Backend::Postgres => "VACUUM (ANALYZE) assets, asset_tags",
            Backend::Sqlite => "ANALYZE",
        };
        sqlx::query(sql).execute(&self.writer).await.map_err(db)?;
        Ok(())
    }
}
