//! Connector deployments: options from the account's connectors and ingested cloud
//! networks, initiating a deployment, deploying an app, tenancy.

use serde_json::{Value, json};

use crate::support::{Env, Server};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../bulwark-inventory/tests/fixtures"
);

fn fixture(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/{path}")).unwrap()).unwrap()
}

async fn app(srv: &Server, key: &str, body: Value) -> String {
    let (s, a) = srv.post("/edge/v1/apps", key, json!({ "app": body })).await;
    assert_eq!(s, 200, "{a}");
    a["uuid"].as_str().unwrap().to_string()
}

async fn options(srv: &Server, key: &str, app: &str) -> Vec<Value> {
    let (s, o) = srv
        .get(&format!("/edge/v1/deployments/options?app_uuid={app}"), key)
        .await;
    assert_eq!(s, 200, "{o}");
    o["options"].as_array().unwrap().clone()
}

/// Ingests the Azure `az network vnet list` fixture: vnet-prod (westeurope,
/// 10.10.0.0/16) with subnets web 10.10.1.0/24, data 10.10.2.0/24, aks 10.10.8.0/21.
async fn azure_networks(srv: &Server, key: &str) {
    let (s, e) = srv
        .post(
            "/bulwark/v1/environments",
            key,
            json!({"name": "prod-sub", "provider": "Azure",
                "accountId": "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"}),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    let env = e["uuid"].as_str().unwrap();
    let (s, r) = srv
        .post(
            &format!("/bulwark/v1/environments/{env}/ingest"),
            key,
            fixture("azure/vnet_list.json"),
        )
        .await;
    assert_eq!(s, 200, "{r}");
}

#[tokio::test]
async fn options_from_networks_and_initiated_deployments() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let db = app(
        &srv,
        &admin,
        json!({"name": "orders-db", "host": "10.10.2.15", "port": 5432, "protocol": "tcp"}),
    )
    .await;

    // Before any inventory: one generic option.
    let before = options(&srv, &admin, &db).await;
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0]["entity_id"], "");
    assert!(
        before[0]["message"]
            .as_str()
            .unwrap()
            .contains("no known network")
    );

    azure_networks(&srv, &admin).await;
    let opts = options(&srv, &admin, &db).await;
    assert_eq!(opts.len(), 1, "{opts:?}");
    let o = &opts[0];
    let vnet_id = o["entity_id"].as_str().unwrap().to_string();
    assert!(vnet_id.ends_with("/virtualNetworks/vnet-prod"), "{o}");
    assert_eq!(
        (
            o["vpc"].as_str(),
            o["subnet"].as_str(),
            o["region"].as_str()
        ),
        (Some("vnet-prod"), Some("data"), Some("westeurope"))
    );
    assert_eq!(
        (o["public_ip"].as_bool(), o["valid"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(o["app_hostname"], "10.10.2.15");
    assert!(
        o["entity_tags"]
            .as_array()
            .unwrap()
            .contains(&json!("env:prod")),
        "{o}"
    );
    assert!(
        o["message"].as_str().unwrap().contains("10.10.2.0/24"),
        "{o}"
    );

    // Outside every network, and public.
    let lone = app(&srv, &admin, json!({"name": "lone", "host": "10.99.0.1"})).await;
    let o = options(&srv, &admin, &lone).await;
    assert_eq!((o.len(), o[0]["entity_id"].as_str()), (1, Some("")));
    let public = app(&srv, &admin, json!({"name": "pub", "host": "8.8.8.8"})).await;
    let o = options(&srv, &admin, &public).await;
    assert_eq!(o[0]["public_ip"], true);
    assert!(o[0]["message"].as_str().unwrap().contains("public address"));
    // Bad requests.
    let (s, _) = srv.get("/edge/v1/deployments/options", &admin).await;
    assert_eq!(s, 400);
    let (s, _) = srv
        .get(
            "/edge/v1/deployments/options?app_uuid=3f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
            &admin,
        )
        .await;
    assert_eq!(s, 404);
    let hostless = app(&srv, &admin, json!({"name": "nohost"})).await;
    let (s, e) = srv
        .get(
            &format!("/edge/v1/deployments/options?app_uuid={hostless}"),
            &admin,
        )
        .await;
    assert_eq!(s, 409, "{e}");

    // E050 into the VNet: a new INIT connector routing the subnet, bound to the app.
    let (s, e) = srv
        .post(
            "/edge/v1/deployments",
            &admin,
            json!({"app_uuid": db, "entity_id": "vnet-nope"}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("not one of the deployment options")
    );
    let (s, r) = srv
        .post(
            "/edge/v1/deployments",
            &admin,
            json!({"account_name": "acme", "app_uuid": db, "entity_id": vnet_id,
                "subnet": "data", "connector_unique_name": "az-orders"}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["success"].as_bool(), r["completed"].as_bool()),
        (Some(true), Some(false))
    );
    let c = &r["connector"];
    assert_eq!(
        (c["unique_name"].as_str(), c["status"].as_i64()),
        (Some("az-orders"), Some(1))
    );
    assert!(!c["access_token"].as_str().unwrap().is_empty());
    assert_eq!(
        (
            c["coordinates"]["provider"].as_str(),
            c["coordinates"]["region"].as_str()
        ),
        (Some("Azure"), Some("westeurope"))
    );
    assert_eq!(c["routes"]["layer3_routes"][0]["subnet"], "10.10.2.0/24");
    assert_eq!(r["apps"][0]["uuid"], db.as_str());
    assert_eq!(r["apps"][0]["connector_unique_name"], "az-orders");
    assert_eq!(
        (r["accesses"].clone(), r["policies"].clone()),
        (json!([]), json!([]))
    );
    let dep_url = r["resource_urls"][0].as_str().unwrap().to_string();
    assert!(dep_url.starts_with("/edge/v1/deployments/"));
    let (s, dep) = srv.get(&dep_url, &admin).await;
    assert_eq!(s, 200, "{dep}");
    assert_eq!(
        (
            dep["app_uuid"].as_str(),
            dep["entity_id"].as_str(),
            dep["connector_unique_name"].as_str()
        ),
        (Some(db.as_str()), Some(vnet_id.as_str()), Some("az-orders"))
    );
    assert_eq!(
        (dep["completed"].as_bool(), dep["status"].as_i64()),
        (Some(false), Some(1))
    );
    let (_, stored) = srv.get(&format!("/edge/v1/apps/{db}"), &admin).await;
    assert_eq!(stored["connector_unique_name"], "az-orders");

    // Now the bound connector is an option too; choosing it completes at once.
    let opts = options(&srv, &admin, &db).await;
    let conn_uuid = c["uuid"].as_str().unwrap();
    let conn = opts.iter().find(|o| o["entity_id"] == conn_uuid).unwrap();
    assert_eq!(
        (conn["valid"].as_bool(), conn["subnet"].as_str()),
        (Some(true), Some(""))
    );
    let (s, r2) = srv
        .post(
            "/edge/v1/deployments",
            &admin,
            json!({"app_uuid": db, "entity_id": conn_uuid}),
        )
        .await;
    assert_eq!(s, 200, "{r2}");
    assert_eq!(r2["completed"], true);
    assert!(r2["connector"].get("access_token").is_none(), "{r2}");

    // Beyond the seed: list and soft-delete.
    let (_, list) = srv.get("/edge/v1/deployments", &admin).await;
    assert_eq!(list["deployments"].as_array().unwrap().len(), 2);
    let (s, d) = srv.delete(&dep_url, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    let (_, list) = srv.get("/edge/v1/deployments", &admin).await;
    assert_eq!(list["deployments"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn deploy_app_routes_it_through_its_connector() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let srv = env.serve().await;
    let (s, c) = srv
        .post(
            "/edge/v1/connectors",
            &admin,
            json!({"unique_name": "dc-1", "tags": ["dc"]}),
        )
        .await;
    assert_eq!(s, 201, "{c}");

    let body = json!({"account_name": "acme", "app": {"name": "wiki", "host": "wiki.corp.example",
        "port": 443, "protocol": "https", "connector_unique_name": "dc-1"}});
    assert_eq!(
        srv.post("/edge/v1/apps/deploy", &reader, body.clone())
            .await
            .0,
        403
    );
    let (s, r) = srv.post("/edge/v1/apps/deploy", &admin, body.clone()).await;
    assert_eq!(s, 200, "{r}");
    let wiki = r["app"]["uuid"].as_str().unwrap().to_string();
    assert_eq!(
        (
            r["app"]["name"].as_str(),
            r["app"]["connector_unique_name"].as_str()
        ),
        (Some("wiki"), Some("dc-1"))
    );
    let (_, conn) = srv.get("/edge/v1/connectors/dc-1", &admin).await;
    assert_eq!(
        conn["routes"]["layer7_routes"],
        json!([{"host_pattern": "wiki.corp.example", "port": 443, "scheme": "https"}])
    );
    // Deploying another app on an IP adds a layer-3 route; the first stays.
    let (s, _) = srv
        .post(
            "/edge/v1/apps/deploy",
            &admin,
            json!({"app": {"name": "ssh", "host": "10.1.2.3",
            "port": 22, "protocol": "ssh", "connector_unique_name": "dc-1"}}),
        )
        .await;
    assert_eq!(s, 200);
    let (_, conn) = srv.get("/edge/v1/connectors/dc-1", &admin).await;
    assert_eq!(conn["routes"]["layer3_routes"][0]["subnet"], "10.1.2.3/32");
    assert_eq!(conn["routes"]["layer7_routes"].as_array().unwrap().len(), 1);

    // The deployed app's options name its connector.
    let opts = options(&srv, &admin, &wiki).await;
    assert_eq!(opts.len(), 1, "{opts:?}");
    assert_eq!(opts[0]["entity_id"], c["uuid"]);
    assert_eq!(opts[0]["entity_tags"], json!(["dc"]));

    // An unknown connector is refused and creates nothing.
    let (_, before) = srv.get("/edge/v1/apps", &admin).await;
    let (s, e) = srv
        .post(
            "/edge/v1/apps/deploy",
            &admin,
            json!({"app": {"name": "x", "host": "x.corp",
            "connector_unique_name": "nope"}}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("connector `nope` does not exist")
    );
    let (_, after) = srv.get("/edge/v1/apps", &admin).await;
    assert_eq!(
        before["apps"].as_array().unwrap().len(),
        after["apps"].as_array().unwrap().len()
    );
    let mut other = body.clone();
    other["account_name"] = json!("globex");
    assert_eq!(srv.post("/edge/v1/apps/deploy", &admin, other).await.0, 403);
}

#[tokio::test]
async fn deployments_are_account_scoped() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    azure_networks(&srv, &admin).await;
    let db = app(&srv, &admin, json!({"name": "db", "host": "10.10.1.9"})).await;
    let vnet = options(&srv, &admin, &db).await[0]["entity_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, r) = srv
        .post(
            "/edge/v1/deployments",
            &admin,
            json!({"app_uuid": db, "entity_id": vnet}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let dep = r["resource_urls"][0].as_str().unwrap().to_string();
    let name = r["connector"]["unique_name"].as_str().unwrap().to_string();

    let (s, _) = srv
        .get(
            &format!("/edge/v1/deployments/options?app_uuid={db}"),
            &other,
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = srv
        .post(
            "/edge/v1/deployments",
            &other,
            json!({"app_uuid": db, "entity_id": vnet}),
        )
        .await;
    assert_eq!(s, 404);
    assert_eq!(srv.get(&dep, &other).await.0, 404);
    assert_eq!(srv.delete(&dep, &other).await.0, 404);
    let (_, list) = srv.get("/edge/v1/deployments", &other).await;
    assert_eq!(list["deployments"], json!([]));
    // globex's own app on the same IP sees none of acme's networks.
    let theirs = app(&srv, &other, json!({"name": "db", "host": "10.10.1.9"})).await;
    let o = options(&srv, &other, &theirs).await;
    assert_eq!((o.len(), o[0]["entity_id"].as_str()), (1, Some("")));
    let (s, _) = srv
        .post(
            "/edge/v1/apps/deploy",
            &other,
            json!({"app": {"name": "y", "host": "y.corp",
            "connector_unique_name": name}}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, still) = srv.get(&dep, &admin).await;
    assert_eq!((s, still["status"].as_i64()), (200, Some(1)));
}
