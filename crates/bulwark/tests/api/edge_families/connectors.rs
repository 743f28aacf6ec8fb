//! Connectors and gateways.

use serde_json::json;

use super::{id, names, post_ok};
use crate::support::Env;

#[tokio::test]
async fn connectors_have_unique_names_and_their_own_revocable_credential() {
    let env = Env::new().await;
    let op = env.token("acme", "operator").await;
    let reader = env.token("acme", "read_only").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let base = "/edge/v1/connectors";

    let c = post_ok(
        &srv,
        base,
        &op,
        json!({"account_name": "acme", "unique_name": "dc-east", "name": "East DC",
            "description": "top-level wins", "external_addr": ["10.0.0.5", "dc.example.com"],
            "tcp_on_layer_three_vpn": 1, "tags": ["dc"],
            "config": {"coordinates": {"latitude": 40.7, "longitude": -74.0}, "enable_quic": true},
            "connector": {"description": "deprecated", "name": "old", "refs": ["x"],
                "access_token": "client-chosen"}}),
        201,
    )
    .await;
    let token = c["access_token"].as_str().unwrap().to_string();
    assert_ne!(token, "client-chosen");
    assert_eq!(
        c["secret_hash"].as_str(),
        Some(bulwark_core::crypto::hash_secret(&token).as_str())
    );
    assert_eq!(
        (c["name"].as_str(), c["description"].as_str()),
        (Some("East DC"), Some("top-level wins"))
    );
    assert_eq!(c["config"]["enable_quic"], true);
    assert!(c["current_server_time"].as_i64().unwrap() > 0);
    assert_eq!(c["status"], 2);
    // The access token is a working credential with role `connector`.
    let (s, me) = srv.get("/bulwark/v1/whoami", &token).await;
    assert_eq!((s, me["role_name"].as_str()), (200, Some("connector")));

    // Unique per account: a duplicate is 409, the same name elsewhere is fine.
    let dup = json!({"unique_name": "dc-east"});
    assert_eq!(srv.post(base, &op, dup.clone()).await.0, 409);
    let theirs = post_ok(&srv, base, &other, dup, 201).await;
    assert_ne!(id(&theirs), id(&c));
    for bad in [
        json!({"name": "no unique name"}),
        json!({"unique_name": "has space"}),
        json!({"unique_name": "x", "external_addr": ["https://x"]}),
        json!({"unique_name": "x", "tcp_on_layer_three_vpn": 5}),
        json!({"unique_name": "x", "config": {"coordinates": {"longitude": 200}}}),
    ] {
        assert_eq!(srv.post(base, &op, bad.clone()).await.0, 400, "{bad}");
    }
    assert_eq!(
        srv.post(base, &reader, json!({"unique_name": "r"})).await.0,
        403
    );
    assert_eq!(
        srv.post(
            base,
            &op,
            json!({"account_name": "globex", "unique_name": "r"})
        )
        .await
        .0,
        403
    );
    post_ok(&srv, base, &op, json!({"unique_name": "dc-west"}), 201).await;

    // Get by unique name; the secret is never shown again.
    let (s, got) = srv.get(&format!("{base}/dc-east"), &reader).await;
    assert_eq!((s, got["uuid"].as_str()), (200, Some(id(&c).as_str())));
    assert!(got.get("access_token").is_none(), "{got}");
    assert!(got["current_server_time"].as_i64().unwrap() > 0);
    assert_eq!(srv.get(&format!("{base}/dc-west"), &other).await.0, 404);
    assert_eq!(srv.get(&format!("{base}/nope"), &reader).await.0, 404);
    let (s, list) = srv.get(base, &reader).await;
    assert_eq!(s, 200);
    let mut unique: Vec<&str> = list["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["unique_name"].as_str().unwrap())
        .collect();
    unique.sort();
    assert_eq!(unique, ["dc-east", "dc-west"]);
    assert!(list["connectors"][0].get("access_token").is_none());
    let (_, tagged) = srv.get(&format!("{base}?tag=dc"), &reader).await;
    assert_eq!(tagged["connectors"].as_array().unwrap().len(), 1);

    // Update by name (beyond the seed).
    let path = format!("{base}/dc-east");
    let (s, u) = srv
        .patch(&path, &op, json!({"description": "east", "routes": {"layer3_routes": [{"subnet": "10.1.0.0/16"}]}}))
        .await;
    assert_eq!((s, u["description"].as_str()), (200, Some("east")), "{u}");
    assert_eq!(u["name"], "East DC");
    let taken = json!({"unique_name": "dc-west"});
    assert_eq!(srv.patch(&path, &op, taken).await.0, 409);
    let bad = json!({"attributes_to_delete": ["secret_hash"]});
    assert_eq!(srv.patch(&path, &op, bad).await.0, 400);
    let bad = json!({"routes": {"layer3_routes": [{"subnet": "10.1.0.0/40"}]}});
    assert_eq!(srv.patch(&path, &op, bad).await.0, 400);
    assert_eq!(
        srv.patch(&format!("{base}/dc-west"), &other, json!({"name": "x"}))
            .await
            .0,
        404
    );

    // Soft delete revokes the access token.
    assert_eq!(srv.delete(&format!("{base}/dc-west"), &other).await.0, 404);
    let (s, d) = srv.delete(&path, &op).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    assert_eq!(srv.get("/bulwark/v1/whoami", &token).await.0, 401);
    let (_, list) = srv.get(base, &reader).await;
    assert_eq!(list["connectors"].as_array().unwrap().len(), 1);
    // A deleted connector gives its unique name back.
    let (s, again) = srv.post(base, &op, json!({"unique_name": "dc-east"})).await;
    assert_eq!(s, 201, "{again}");
    assert_eq!(srv.get(&path, &reader).await.1["status"], again["status"]);
}

#[tokio::test]
async fn gateways_can_be_created_queried_and_retired() {
    let env = Env::new().await;
    let op = env.token("acme", "operator").await;
    let reader = env.token("acme", "read_only").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let base = "/edge/v1/gateways";

    let g = post_ok(
        &srv,
        base,
        &op,
        json!({"name": "eu-west-1a", "display_name": "Dublin", "vip": "192.0.2.10",
            "provider": "aws", "region": "eu-west-1", "latitude": 53.3, "longitude": -6.2,
            "is_in_sync": true, "key": "mine", "secret": "mine"}),
        201,
    )
    .await;
    let secret = g["secret"].as_str().unwrap().to_string();
    assert_ne!(secret, "mine");
    assert_ne!(g["key"], "mine");
    let (s, me) = srv.get("/bulwark/v1/whoami", &secret).await;
    assert_eq!((s, me["credential_uuid"].clone()), (200, g["key"].clone()));
    post_ok(
        &srv,
        base,
        &op,
        json!({"name": "us-east-1a", "status": 3}),
        201,
    )
    .await;
    assert_eq!(
        srv.post(base, &op, json!({"name": "eu-west-1a"})).await.0,
        409
    );
    for bad in [
        json!({"display_name": "no name"}),
        json!({"name": "x", "vip": "not-an-ip"}),
        json!({"name": "x", "latitude": 100}),
    ] {
        assert_eq!(srv.post(base, &op, bad.clone()).await.0, 400, "{bad}");
    }
    assert_eq!(srv.post(base, &reader, json!({"name": "r"})).await.0, 403);

    let (s, list) = srv.get(base, &reader).await;
    assert_eq!(s, 200);
    assert_eq!(names(&list, "gateways"), ["eu-west-1a", "us-east-1a"]);
    assert!(list["gateways"][0].get("secret").is_none());
    let (_, active) = srv.get(&format!("{base}?status=ACTIVE"), &reader).await;
    assert_eq!(names(&active, "gateways"), ["eu-west-1a"]);
    let (_, theirs) = srv.get(base, &other).await;
    assert_eq!(theirs["gateways"], json!([]));

    let path = format!("{base}/{}", id(&g));
    let (s, got) = srv.get(&path, &reader).await;
    assert_eq!((s, got["vip"].as_str()), (200, Some("192.0.2.10")));
    assert_eq!(srv.get(&path, &other).await.0, 404);
    let (s, u) = srv.patch(&path, &op, json!({"is_in_sync": false})).await;
    assert_eq!((s, u["is_in_sync"].as_bool()), (200, Some(false)));
    assert_eq!(u["display_name"], "Dublin");
    assert_eq!(
        srv.patch(&path, &op, json!({"canary_vip": "x"})).await.0,
        400
    );
    assert_eq!(
        srv.patch(&path, &op, json!({"attributes_to_delete": ["key"]}))
            .await
            .0,
        400
    );
    assert_eq!(
        srv.patch(&path, &other, json!({"region": "x"})).await.0,
        404
    );

    assert_eq!(srv.delete(&path, &other).await.0, 404);
    let (s, d) = srv.delete(&path, &op).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    assert_eq!(srv.get("/bulwark/v1/whoami", &secret).await.0, 401);
}
