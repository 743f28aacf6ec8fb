//! Retention of cloud events: `expire_assets` deletes only the named keys of one
//! environment of one account, last seen before the cut-off.

use bulwark_core::ports::{AccountRepo, AssetQuery, AssetRepo};
use bulwark_inventory::{Asset, Provider, Tag};
use serde_json::json;
use uuid::Uuid;

use crate::support::Env;

fn asset(key: &str, id: &str) -> Asset {
    Asset {
        search_key: key.into(),
        provider: Provider::Aws,
        account_id: "123456789012".into(),
        region: Some("us-east-1".into()),
        resource_id: id.into(),
        name: id.into(),
        tags: vec![Tag {
            name: "env".into(),
            value: "prod".into(),
        }],
        is_public: Some(false),
        data: json!({"id": id}),
    }
}

async fn ids(store: &bulwark_store::SqlStore, account: Uuid, key: &str) -> Vec<String> {
    let keys = [key];
    let page = store
        .query_assets(
            account,
            &AssetQuery {
                search_keys: &keys,
                limit: 100,
                ..AssetQuery::default()
            },
        )
        .await
        .unwrap();
    page.assets.into_iter().map(|a| a.resource_id).collect()
}

#[tokio::test]
async fn expired_events_are_deleted_in_their_scope_only() {
    let env = Env::new().await;
    env.token("acme", "admin").await;
    env.token("globex", "admin").await;
    let url = match &env.db_url {
        Some(u) => u.clone(),
        None => bulwark_store::sqlite_url(&env.data_path()),
    };
    let store = bulwark_store::SqlStore::connect(&url, 1).await.unwrap();
    let accounts = store.list_accounts().await.unwrap();
    let id_of = |name: &str| accounts.iter().find(|a| a.name == name).unwrap().id;
    let (acme, globex) = (id_of("acme"), id_of("globex"));
    let (env_a, env_b) = (Uuid::new_v4(), Uuid::new_v4());
    let log = "AWS_ACTIVITY_LOG";

    // Old events and a host in environment A, read at t=1000; a newer event at t=5000.
    let old = [
        asset(log, "e-old-1"),
        asset(log, "e-old-2"),
        asset("AWS_HOST", "i-1"),
    ];
    store
        .sync_assets(acme, env_a, &[], &old, 1000)
        .await
        .unwrap();
    store
        .sync_assets(acme, env_a, &[], &[asset(log, "e-new")], 5000)
        .await
        .unwrap();
    // The same old ids in another environment and another account.
    store
        .sync_assets(acme, env_b, &[], &old, 1000)
        .await
        .unwrap();
    store
        .sync_assets(globex, env_a, &[], &old, 1000)
        .await
        .unwrap();

    let gone = store
        .expire_assets(acme, env_a, &[log.to_string()], 3000)
        .await
        .unwrap();
    assert_eq!(gone, 2);
    let mut acme_events = ids(&store, acme, log).await;
    acme_events.sort();
    // env B's copies remain, env A keeps only the newer event.
    assert_eq!(acme_events, ["e-new", "e-old-1", "e-old-2"]);
    assert_eq!(ids(&store, acme, "AWS_HOST").await, ["i-1", "i-1"]);
    assert_eq!(ids(&store, globex, log).await.len(), 2);
    // No keys, nothing deleted.
    assert_eq!(
        store
            .expire_assets(acme, env_b, &[], i64::MAX)
            .await
            .unwrap(),
        0
    );
    // Re-reading an event refreshes it: it survives the next cut-off.
    store
        .sync_assets(acme, env_b, &[], &[asset(log, "e-old-1")], 9000)
        .await
        .unwrap();
    assert_eq!(
        store
            .expire_assets(acme, env_b, &[log.to_string()], 8000)
            .await
            .unwrap(),
        1
    );
    let mut left = ids(&store, acme, log).await;
    left.sort();
    assert_eq!(left, ["e-new", "e-old-1"]);
}
