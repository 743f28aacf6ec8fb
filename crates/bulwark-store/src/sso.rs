use async_trait::async_trait;
use bulwark_core::Result;
use bulwark_core::ports::SsoRepo;
use bulwark_core::sso::PendingLogin;
use uuid::Uuid;

use crate::SqlStore;
use crate::error::db;
use crate::rows::{int, json, text, uuid};

#[async_trait]
impl SsoRepo for SqlStore {
    async fn sso_config(&self, account_id: Uuid) -> Result<Option<serde_json::Value>> {
        let row = sqlx::query("SELECT config FROM sso_configs WHERE account_id = $1")
            .bind(account_id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(|r| json(r, "config")).transpose()
    }

    async fn put_sso_config(
        &self,
        account_id: Uuid,
        config: &serde_json::Value,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sso_configs (account_id, config, update_time) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET config = excluded.config, \
             update_time = excluded.update_time",
        )
        .bind(account_id.to_string())
        .bind(config.to_string())
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn insert_sso_pending(&self, p: &PendingLogin) -> Result<()> {
        sqlx::query(
            "INSERT INTO sso_pending (id, account_id, protocol, data, expire_time_sec) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&p.id)
        .bind(p.account_id.to_string())
        .bind(&p.protocol)
        .bind(p.data.to_string())
        .bind(p.expire_time_sec)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn take_sso_pending(&self, id: &str, now_sec: i64) -> Result<Option<PendingLogin>> {
        // Abandoned logins are swept by whoever finishes one.
        sqlx::query("DELETE FROM sso_pending WHERE expire_time_sec < $1")
            .bind(now_sec)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        let row = sqlx::query(
            "DELETE FROM sso_pending WHERE id = $1 \
             RETURNING id, account_id, protocol, data, expire_time_sec",
        )
        .bind(id)
        .fetch_optional(&self.writer)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let p = PendingLogin {
            id: text(&row, "id")?,
            account_id: uuid(&row, "account_id")?,
            protocol: text(&row, "protocol")?,
            data: json(&row, "data")?,
            expire_time_sec: int(&row, "expire_time_sec")?,
        };
        Ok((p.expire_time_sec >= now_sec).then_some(p))
    }

    async fn mark_sso_used(
        &self,
        account_id: Uuid,
        used_id: &str,
        expire_time_sec: i64,
        now_sec: i64,
    ) -> Result<bool> {
        sqlx::query("DELETE FROM sso_used_ids WHERE account_id = $1 AND expire_time_sec < $2")
            .bind(account_id.to_string())
            .bind(now_sec)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        let done = sqlx::query(
            "INSERT INTO sso_used_ids (account_id, used_id, expire_time_sec) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, used_id) DO NOTHING",
        )
        .bind(account_id.to_string())
        .bind(used_id)
        .bind(expire_time_sec)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use bulwark_core::model::Account;
    use bulwark_core::ports::AccountRepo;
    use bulwark_core::{Status, clock};
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn pending_logins_are_taken_once_and_used_ids_refused_twice() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqlStore::connect(&crate::sqlite_url(dir.path()), 2)
            .await
            .unwrap();
        let now = clock::now_sec();
        let mut ids = Vec::new();
        for name in ["a", "b"] {
            let acc = Account {
                id: Uuid::new_v4(),
                name: name.into(),
                status: Status::Active,
                onboarding: json!({}),
                create_time: 0,
                update_time: 0,
            };
            store.create_account(&acc).await.unwrap();
            ids.push(acc.id);
        }
        let pending = |id: &str, exp: i64| PendingLogin {
            id: id.into(),
            account_id: ids[0],
            protocol: "saml".into(),
            data: json!({"request_id": "r1"}),
            expire_time_sec: exp,
        };
        store
            .insert_sso_pending(&pending("p1", now + 60))
            .await
            .unwrap();
        store
            .insert_sso_pending(&pending("old", now - 1))
            .await
            .unwrap();
        assert_eq!(
            store.take_sso_pending("p1", now).await.unwrap(),
            Some(pending("p1", now + 60))
        );
        assert_eq!(store.take_sso_pending("p1", now).await.unwrap(), None);
        assert_eq!(store.take_sso_pending("old", now).await.unwrap(), None);

        assert!(
            store
                .mark_sso_used(ids[0], "A1", now + 60, now)
                .await
                .unwrap()
        );
        assert!(
            !store
                .mark_sso_used(ids[0], "A1", now + 60, now)
                .await
                .unwrap()
        );
        // Ids are per account, and forgotten once expired.
        assert!(
            store
                .mark_sso_used(ids[1], "A1", now + 60, now)
                .await
                .unwrap()
        );
        assert!(
            store
                .mark_sso_used(ids[0], "A2", now - 5, now - 10)
                .await
                .unwrap()
        );
        assert!(
            store
                .mark_sso_used(ids[0], "A2", now + 60, now)
                .await
                .unwrap()
        );

        store
            .put_sso_config(ids[0], &json!({"idp_metadata": "x"}), 1)
            .await
            .unwrap();
        store
            .put_sso_config(ids[0], &json!({"idp_metadata": "y"}), 2)
            .await
            .unwrap();
        assert_eq!(
            store.sso_config(ids[0]).await.unwrap(),
            Some(json!({"idp_metadata": "y"}))
        );
        assert_eq!(store.sso_config(ids[1]).await.unwrap(), None);
    }
}
