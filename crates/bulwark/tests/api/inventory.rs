//! Cloud environments, snapshot ingestion and the Optix inventory and search API.

use serde_json::{Value, json};

use crate::support::{Env, Server};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../bulwark-inventory/tests/fixtures"
);

fn fixture(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/{path}")).unwrap()).unwrap()
}

async fn environment(srv: &Server, key: &str, name: &str, provider: &str, account: &str) -> String {
    let (s, e) = srv
        .post(
            "/bulwark/v1/environments",
            key,
            json!({"name": name, "provider": provider, "accountId": account, "tags": ["prod"]}),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    e["uuid"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn azure_and_gcp_snapshots_serve_hosts_accounts_and_search() {
    let env = Env::new().await;
    let k = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let az = environment(
        &srv,
        &k,
        "prod-sub",
        "Azure",
        "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
    )
    .await;
    let gcp = environment(&srv, &k, "gcp-prod", "GCP", "acme-prod").await;

    let (s, r) = srv
        .post(
            &format!("/bulwark/v1/environments/{az}/ingest"),
            &k,
            fixture("azure/vm_list_d.json"),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["added"], 3, "{r}");
    let (s, r) = srv
        .post(
            &format!("/bulwark/v1/environments/{gcp}/ingest"),
            &k,
            fixture("gcp/instances_list.json"),
        )
        .await;
    assert_eq!((s, r["added"].as_i64()), (200, Some(3)), "{r}");

    // /vms: provider-scoped, Optix page envelope, moreInfo per the seed's sample.
    let (s, vms) = srv.get("/api/v1/vms?provider=Azure&size=100", &k).await;
    assert_eq!(s, 200, "{vms}");
    assert_eq!(vms["data"].as_array().unwrap().len(), 3);
    assert_eq!(
        (
            vms["currentPage"].as_i64(),
            vms["totalPages"].as_i64(),
            vms["hasNext"].as_bool()
        ),
        (Some(0), Some(1), Some(false))
    );
    let web = vms["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["moreInfo"]["name"] == "web-01")
        .expect("web-01");
    assert_eq!(web["accountType"], "AZURE");
    assert_eq!(web["accountId"], "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
    assert_eq!(web["moreInfo"]["publicIP"], "20.71.4.18");
    let (_, gvms) = srv.get("/api/v1/vms?provider=GCP&size=100", &k).await;
    assert_eq!(gvms["data"].as_array().unwrap().len(), 3);
    let (_, filtered) = srv
        .get("/api/v1/vms?provider=GCP&size=100&accountIds=acme-prod", &k)
        .await;
    assert_eq!(filtered["data"].as_array().unwrap().len(), 3);

    // The seed's errors, verbatim.
    for (path, msg) in [
        (
            "/api/v1/vms?provider=Azure&size=501",
            "Pageable size cannot be greater than 500",
        ),
        (
            "/api/v1/vms?provider=Azure&size=99",
            "Pageable size cannot be less than 100",
        ),
        (
            "/api/v1/vms?provider=Oracle&size=100",
            "Provider type not supported",
        ),
        ("/api/v1/vms?size=100", "Provider type not supported"),
        (
            "/api/v1/vms?provider=AWS&size=100&accountIds=111,acme-prod,222",
            "Account Ids 111,222 not found",
        ),
        (
            "/api/v1/accounts?provider=aws",
            "Provider type not supported",
        ),
        (
            "/api/v1/serverless?provider=GCP&size=100",
            "Provider GCP not supported",
        ),
        (
            "/api/v1/containers?containerType=pods&size=100",
            "Provider not provided.",
        ),
        (
            "/api/v1/containers?cloudProvider=native&containerType=boxes&size=100",
            "Invalid Container-Type:boxes",
        ),
    ] {
        let (s, b) = srv.get(path, &k).await;
        assert_eq!((s, b["message"].as_str()), (400, Some(msg)), "{path}: {b}");
        assert_eq!(b["errorMessage"], msg);
    }

    // /accounts: every environment with its asset count.
    let (s, accts) = srv.get("/api/v1/accounts", &k).await;
    assert_eq!(s, 200);
    let a = accts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["accountId"] == "acme-prod")
        .unwrap();
    assert_eq!(
        (
            a["accountType"].as_str(),
            a["cloudAssets"].as_i64(),
            a["isEnabled"].as_bool()
        ),
        (Some("GCP"), Some(3), Some(true))
    );
    assert!(
        a["accountSyncBenchmark"]["latestSuccessSyncTime"]
            .as_str()
            .is_some()
    );
    let (_, only) = srv.get("/api/v1/accounts?provider=Azure", &k).await;
    assert_eq!(only.as_array().unwrap().len(), 1);

    // Search: the language over the assets.
    let (s, res) = srv
        .get(
            "/api/v1/search/AZURE_HOST?searchTerm=tags.name:env%20and%20name:web*&size=10",
            &k,
        )
        .await;
    assert_eq!(s, 200, "{res}");
    let names: Vec<&str> = res["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["web-01"]);
    assert_eq!(res["currentPage"], 1);
    let (_, public) = srv
        .get(
            "/api/v1/search/AZURE_HOST?searchTerm=isPublic:true&size=10",
            &k,
        )
        .await;
    assert_eq!(public["data"].as_array().unwrap().len(), 1, "{public}");
    let (_, none) = srv.get("/api/v1/search/AZURE_HOST?searchTerm=not%20isPublic:true&filters=name=db-win-01&size=10", &k).await;
    assert_eq!(none["data"][0]["name"], "db-win-01");
    let (s, bad) = srv
        .get("/api/v1/search/AZURE_HOST?searchTerm=name:(web&size=10", &k)
        .await;
    assert_eq!(s, 400);
    assert!(bad["message"].as_str().unwrap().contains("column"), "{bad}");
    assert_eq!(
        srv.get("/api/v1/search/AZURE_HOST?size=10001", &k).await.0,
        400
    );
    assert_eq!(srv.get("/api/v1/search/NOT_A_KEY?size=10", &k).await.0, 400);
    let (_, p2) = srv.get("/api/v1/search/GCP_HOST?size=2&page=2", &k).await;
    assert_eq!(
        (
            p2["data"].as_array().unwrap().len(),
            p2["hasPrevious"].as_bool(),
            p2["hasNext"].as_bool()
        ),
        (1, Some(true), Some(false))
    );

    // A later snapshot without db-win-01 marks it missing.
    let mut vms_now = fixture("azure/vm_list_d.json");
    vms_now
        .as_array_mut()
        .unwrap()
        .retain(|v| v["name"] != "db-win-01");
    let (_, r) = srv
        .post(
            &format!("/bulwark/v1/environments/{az}/ingest"),
            &k,
            vms_now,
        )
        .await;
    assert_eq!(
        (r["updated"].as_i64(), r["missing"].as_i64()),
        (Some(2), Some(1)),
        "{r}"
    );
    let (_, vms) = srv.get("/api/v1/vms?provider=Azure&size=100", &k).await;
    assert_eq!(vms["data"].as_array().unwrap().len(), 2);

    // Bad snapshots are 400s; another account sees nothing.
    let (s, _) = srv
        .post(
            &format!("/bulwark/v1/environments/{az}/ingest"),
            &k,
            json!("nope"),
        )
        .await;
    assert_eq!(s, 400);
    let other = env.token("globex", "admin").await;
    let (_, theirs) = srv.get("/api/v1/vms?provider=Azure&size=100", &other).await;
    assert!(theirs["data"].as_array().unwrap().is_empty());
    assert_eq!(
        srv.post(
            &format!("/bulwark/v1/environments/{az}/ingest"),
            &other,
            fixture("azure/vm_list_d.json")
        )
        .await
        .0,
        404
    );
    let (_, theirs) = srv.get("/api/v1/search/AZURE_HOST?size=10", &other).await;
    assert!(theirs["data"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn kubernetes_pods_serve_containers() {
    let env = Env::new().await;
    let k = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let cluster = environment(&srv, &k, "onprem", "Kubernetes", "onprem-cluster").await;
    let (s, r) = srv
        .post(
            &format!("/bulwark/v1/environments/{cluster}/ingest"),
            &k,
            fixture("kubernetes/pods.json"),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let (s, pods) = srv
        .get(
            "/api/v1/containers?cloudProvider=native&containerType=pods&size=100",
            &k,
        )
        .await;
    assert_eq!(s, 200, "{pods}");
    let names: Vec<&str> = pods["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"web-7d9f8c6b5-x2k9q"), "{pods}");
    let (s, conts) = srv
        .get(
            "/api/v1/containers?cloudProvider=native&containerType=containers&size=100",
            &k,
        )
        .await;
    assert_eq!(s, 200);
    assert!(!conts["data"].as_array().unwrap().is_empty());
    let (s, b) = srv
        .get(
            "/api/v1/containers?cloudProvider=eks&containerType=pods&size=100&accountIds=nope",
            &k,
        )
        .await;
    assert_eq!(
        (s, b["message"].as_str()),
        (400, Some("Account Ids nope not found"))
    );
}
