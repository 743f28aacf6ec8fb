//! 3rd-party integrations (E061-E064, get, delete, sync) against local fakes of Okta,
//! Microsoft Graph and Google Workspace (`idp_fakes.rs`).

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::idp_fakes::{self as fake, Shared};
use crate::support::{Env, Server, eventually};

/// A server whose scheduler ticks every second, an admin of `acme` and of `rival`.
async fn setup() -> (Env, Server, String, String) {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let rival = env.token("rival", "admin").await;
    let cfg = env.data_path().join("bulwark.toml");
    std::fs::write(&cfg, "integration_tick_secs = 1\n").unwrap();
    let srv = env.serve_with(&["--config", cfg.to_str().unwrap()]).await;
    (env, srv, admin, rival)
}

async fn start(kind: &str) -> (Shared, String) {
    let st: Shared = Arc::new(Mutex::new(fake::directory()));
    let app = match kind {
        "okta" => fake::okta(st.clone()),
        "graph" => fake::graph(st.clone()),
        _ => fake::google(st.clone()),
    };
    let base = fake::spawn(app, &st).await;
    (st, base)
}

fn okta_body(base: &str, token: &str) -> Value {
    json!({"display_name": "Okta", "data_source": 1, "integration_org_name": "acme",
        "api_base_url": base, "credentials": {"access_token": token}})
}

fn graph_body(base: &str, secret: &str) -> Value {
    json!({"display_name": "Entra", "data_source": 3, "api_base_url": base,
        "config": {"oauth_base_url": base},
        "credentials": {"tenant_id": fake::GRAPH_TENANT, "client_id": fake::GRAPH_CLIENT,
            "client_secret": secret}})
}

fn google_body(base: &str, pem: &str) -> Value {
    let key_file = json!({"type": "service_account", "client_email": fake::GOOGLE_SA,
        "private_key": pem, "token_uri": "https://oauth2.googleapis.com/token"});
    json!({"display_name": "Workspace", "data_source": 2, "api_base_url": base,
        "config": {"oauth_base_url": base},
        "credentials": {"private_key": key_file.to_string(), "username": fake::GOOGLE_ADMIN}})
}

async fn create(srv: &Server, key: &str, body: Value) -> String {
    let (s, b) = srv.post("/edge/v1/integrations", key, body).await;
    assert_eq!(s, 201, "{b}");
    b["uuid"].as_str().unwrap().to_string()
}

async fn validate(srv: &Server, key: &str, uuid: &str) -> Value {
    let (s, b) = srv
        .post("/edge/v1/integrations/validate", key, json!({"uuid": uuid}))
        .await;
    assert_eq!(s, 201, "{b}");
    b
}

/// Triggers a sync and waits for its job; returns the finished job.
async fn sync(srv: &Server, key: &str, uuid: &str) -> Value {
    let (s, b) = srv
        .post(
            &format!("/edge/v1/integrations/{uuid}/sync"),
            key,
            json!({}),
        )
        .await;
    assert_eq!(s, 202, "{b}");
    let id = b["job_id"].as_str().unwrap().to_string();
    let job = eventually(30, || async {
        let (_, j) = srv.get(&format!("/bulwark/v1/jobs/{id}"), key).await;
        matches!(j["state"].as_str(), Some("done" | "failed")).then_some(j)
    })
    .await;
    assert_eq!(job["state"], "done", "{job}");
    job
}

async fn list(srv: &Server, key: &str, path: &str, field: &str) -> Vec<Value> {
    let (s, b) = srv.get(path, key).await;
    assert_eq!(s, 200, "{b}");
    b[field].as_array().unwrap().clone()
}

fn by<'a>(items: &'a [Value], field: &str, value: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i[field] == value)
        .unwrap_or_else(|| panic!("no item with {field} = {value} in {items:?}"))
}

#[tokio::test]
async fn credentials_are_sealed_and_never_returned() {
    let (env, srv, admin, _) = setup().await;
    let (_, base) = start("okta").await;
    let secret = fake::OKTA_TOKEN;
    let (s, made) = srv
        .post("/edge/v1/integrations", &admin, okta_body(&base, secret))
        .await;
    assert_eq!(s, 201, "{made}");
    let uuid = made["uuid"].as_str().unwrap().to_string();
    assert_eq!(made["display_name"], "Okta");
    assert_eq!(made["data_source"], 1);
    assert_eq!(made["integration_org_name"], "acme");
    assert_eq!(made["account_name"], "acme");
    assert_eq!(made["status"], 2);
    assert_eq!(made["credentials"], json!({}));
    for absent in ["sealed_credentials", "encrypted_credentials"] {
        assert!(made.get(absent).is_none(), "{made}");
    }

    let (s, got) = srv
        .get(&format!("/edge/v1/integrations/{uuid}"), &admin)
        .await;
    assert_eq!((s, &got["uuid"]), (200, &json!(uuid)));
    let graph = create(&srv, &admin, graph_body(&base, fake::GRAPH_SECRET)).await;
    let okta_only = list(
        &srv,
        &admin,
        "/edge/v1/integrations?data_source=1",
        "integrations",
    )
    .await;
    assert_eq!(okta_only.len(), 1);
    assert_eq!(okta_only[0]["uuid"], uuid.as_str());
    let all = list(&srv, &admin, "/edge/v1/integrations", "integrations").await;
    assert_eq!(all.len(), 2);
    let azure = by(&all, "uuid", &graph);
    assert_eq!(
        azure["credentials"],
        json!({"client_id": fake::GRAPH_CLIENT, "tenant_id": fake::GRAPH_TENANT}),
        "only the non-secret identifiers are shown"
    );
    let paged = list(
        &srv,
        &admin,
        "/edge/v1/integrations?limit=1&offset=1",
        "integrations",
    )
    .await;
    assert_eq!(paged.len(), 1);

    // Rotating the token keeps the other fields; the new token works.
    let (s, up) = srv
        .patch(
            &format!("/edge/v1/integrations/{uuid}"),
            &admin,
            json!({"uuid": uuid, "filter_domains": ["example.com"],
                "credentials": {"access_token": "rotated-token-Q1"}}),
        )
        .await;
    assert_eq!(s, 200, "{up}");
    assert_eq!(up["filter_domains"], json!(["example.com"]));
    assert_eq!(up["integration_org_name"], "acme");
    assert!(up.get("sealed_credentials").is_none());
    let v = validate(&srv, &admin, &uuid).await;
    assert_eq!(
        v["status"], "FAILED",
        "the fake only knows the original token"
    );
    srv.patch(
        &format!("/edge/v1/integrations/{uuid}"),
        &admin,
        json!({"credentials": {"access_token": secret}}),
    )
    .await;
    assert_eq!(validate(&srv, &admin, &uuid).await["status"], "SUCCESS");

    // Neither the audit log nor the database holds a secret in clear.
    let (_, audit) = srv.get("/edge/v1/audit-events?start_time=0", &admin).await;
    let audit = audit.to_string();
    assert!(audit.contains("AddIntegration"), "{audit}");
    for s in [secret, fake::GRAPH_SECRET, "rotated-token-Q1"] {
        assert!(!audit.contains(s), "secret in the audit log");
        assert!(!all.iter().any(|i| i.to_string().contains(s)));
    }
    if !env.is_postgres() {
        for entry in std::fs::read_dir(env.data_path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let hay = String::from_utf8_lossy(&bytes);
            for s in [secret, fake::GRAPH_SECRET, "rotated-token-Q1"] {
                assert!(!hay.contains(s), "secret found in a database file");
            }
        }
    }

    let (s, del) = srv
        .delete(&format!("/edge/v1/integrations/{uuid}"), &admin)
        .await;
    assert_eq!((s, &del["status"]), (200, &json!(4)));
    let left = list(&srv, &admin, "/edge/v1/integrations", "integrations").await;
    assert_eq!(left.len(), 1);
    let (s, _) = srv
        .post(
            &format!("/edge/v1/integrations/{uuid}/sync"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(s, 400, "a deleted integration is not synced");
}

#[tokio::test]
async fn validate_calls_each_provider() {
    let (_env, srv, admin, _) = setup().await;
    let (okta_st, okta) = start("okta").await;
    let (_, graph) = start("graph").await;
    let (google_st, google) = start("google").await;
    let (pem, public) = fake::google_key();
    google_st.lock().unwrap().google_key = public;
    let (wrong_pem, _) = fake::google_key();

    let cases = [
        (
            okta_body(&okta, fake::OKTA_TOKEN),
            okta_body(&okta, "wrong"),
            "Invalid token provided",
        ),
        (
            graph_body(&graph, fake::GRAPH_SECRET),
            graph_body(&graph, "wrong"),
            "AADSTS7000215",
        ),
        (
            google_body(&google, &pem),
            google_body(&google, &wrong_pem),
            "Invalid JWT Signature",
        ),
    ];
    for (good, bad, why) in cases {
        let ok = create(&srv, &admin, good).await;
        let v = validate(&srv, &admin, &ok).await;
        assert_eq!(v, json!({"status": "SUCCESS", "error_message": ""}));
        let no = create(&srv, &admin, bad.clone()).await;
        let v = validate(&srv, &admin, &no).await;
        assert_eq!(v["status"], "FAILED");
        let msg = v["error_message"].as_str().unwrap();
        assert!(
            msg.contains("refused the credentials") && msg.contains(why),
            "{msg}"
        );
        assert!(
            !msg.contains("wrong") && !msg.contains("PRIVATE KEY"),
            "{msg}"
        );

        // `validate_credentials` refuses to store what the provider refuses.
        let mut checked = bad;
        checked["validate_credentials"] = json!(true);
        let (s, b) = srv.post("/edge/v1/integrations", &admin, checked).await;
        assert_eq!(s, 400, "{b}");
        assert!(b["message"].as_str().unwrap().contains(why), "{b}");
    }
    assert!(
        okta_st
            .lock()
            .unwrap()
            .calls
            .iter()
            .any(|c| c == "GET /api/v1/users")
    );

    // An unreachable provider is reported as such.
    let dead = create(&srv, &admin, okta_body("http://127.0.0.1:9", "t")).await;
    let v = validate(&srv, &admin, &dead).await;
    assert_eq!(v["status"], "FAILED");
    assert!(
        v["error_message"]
            .as_str()
            .unwrap()
            .contains("could not reach Okta"),
        "{v}"
    );
}

/// Users and groups synced from `kind`, checked; then `u1` leaves the directory.
async fn sync_round_trip(kind: &str, ds: i64, nested: bool) {
    let (env, srv, admin, _) = setup().await;
    let (st, base) = start(kind).await;
    let mut body = match kind {
        "okta" => okta_body(&base, fake::OKTA_TOKEN),
        "graph" => graph_body(&base, fake::GRAPH_SECRET),
        _ => {
            let (pem, public) = fake::google_key();
            st.lock().unwrap().google_key = public;
            google_body(&base, &pem)
        }
    };
    body["interval_mins"] = json!(60);
    sync_checks(&env, &srv, &admin, &st, body, ds, nested).await
}

async fn sync_checks(
    env: &Env,
    srv: &Server,
    admin: &str,
    st: &Shared,
    body: Value,
    ds: i64,
    nested: bool,
) {
    let uuid = create(srv, admin, body).await;
    // The scheduler queues the first sync at once (interval_mins is set).
    let users_path = format!("/edge/v1/users?datasource={ds}");
    let groups_path = format!("/edge/v1/groups?datasource={ds}");
    let (users, groups) = eventually(30, || async {
        let u = list(srv, admin, &users_path, "users").await;
        let g = list(srv, admin, &groups_path, "groups").await;
        (u.len() == 3 && g.len() == 2).then_some((u, g))
    })
    .await;
    let ada = by(&users, "source_user_id", "u1");
    assert_eq!(ada["display_name"], "Ada Lovelace");
    assert_eq!(ada["integration_id"], uuid.as_str());
    assert_eq!(ada["data_source"], ds);
    assert_eq!(ada["status"], 2);
    assert_eq!(
        by(&users, "source_user_id", "u3")["status"],
        3,
        "Alan is suspended"
    );
    let id = |src: &str| {
        by(&users, "source_user_id", src)["uuid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (ada_id, grace_id, alan_id) = (id("u1"), id("u2"), id("u3"));
    assert_eq!(pii_email(env, &ada_id).await, "ada@example.com");

    let eng = by(&groups, "name", "Engineering");
    let admins = by(&groups, "name", "Admins");
    let mut want = vec![ada_id.clone(), grace_id.clone(), alan_id.clone()];
    want.sort();
    assert_eq!(eng["member_users"], json!(want));
    assert_eq!(eng["user_count"], 3);
    assert_eq!(eng["description"], "Engineering team");
    assert_eq!(admins["member_users"], json!([grace_id]));
    if nested {
        assert_eq!(eng["member_groups"], json!([admins["uuid"]]));
    }
    assert_eq!(eng["integration_id"], uuid.as_str());

    // A local user (data source 0) is never touched by the sync.
    let (s, local) = srv
        .post(
            "/edge/v1/users",
            admin,
            json!({"user": {"display_name": "Local"}}),
        )
        .await;
    assert_eq!(s, 200, "{local}");

    // Ada leaves the directory: the next sync deletes her and her memberships.
    st.lock().unwrap().users.retain(|u| u.id != "u1");
    st.lock().unwrap().groups[0].users.retain(|u| u != "u1");
    let job = sync(srv, admin, &uuid).await;
    assert_eq!(job["result"]["users_deleted"], 1, "{job}");
    assert_eq!(job["result"]["users_created"], 0, "{job}");
    let users = list(srv, admin, &users_path, "users").await;
    assert_eq!(users.len(), 2);
    let deleted = list(srv, admin, &format!("{users_path}&status=DELETED"), "users").await;
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["uuid"], ada_id.as_str());
    let (_, g) = srv
        .get(
            &format!("/edge/v1/groups/{}", eng["uuid"].as_str().unwrap()),
            admin,
        )
        .await;
    let mut want = vec![grace_id.clone(), alan_id.clone()];
    want.sort();
    assert_eq!(g["member_users"], json!(want));
    let all = list(srv, admin, "/edge/v1/users", "users").await;
    assert!(
        all.iter()
            .any(|u| u["display_name"] == "Local" && u["status"] == 2)
    );
    assert!(
        st.lock().unwrap().calls.len() > 6,
        "paged requests were made"
    );
}

/// The personal data record of a synced user, read from the store directly (the API
/// only returns it on creation).
async fn pii_email(env: &Env, user: &str) -> String {
    use bulwark_core::ports::{AccountRepo, ObjectRepo};
    let url = match &env.db_url {
        Some(u) => u.clone(),
        None => bulwark_store::sqlite_url(&env.data_path()),
    };
    let store = bulwark_store::SqlStore::connect(&url, 1).await.unwrap();
    let acme = store
        .list_accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == "acme")
        .unwrap();
    let id = uuid::Uuid::parse_str(user).unwrap();
    let pii = store
        .get_object(acme.id, "user_pii", id)
        .await
        .unwrap()
        .unwrap();
    pii.doc["email"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn okta_sync_upserts_users_groups_and_deletes_leavers() {
    sync_round_trip("okta", 1, false).await;
}

#[tokio::test]
async fn graph_sync_upserts_users_groups_and_deletes_leavers() {
    sync_round_trip("graph", 3, true).await;
}

#[tokio::test]
async fn google_sync_upserts_users_groups_and_deletes_leavers() {
    sync_round_trip("google", 2, true).await;
}

#[tokio::test]
async fn other_accounts_see_nothing() {
    let (_env, srv, admin, rival) = setup().await;
    let (_, base) = start("okta").await;
    let uuid = create(&srv, &admin, okta_body(&base, fake::OKTA_TOKEN)).await;
    let path = format!("/edge/v1/integrations/{uuid}");
    assert_eq!(srv.get(&path, &rival).await.0, 404);
    let (s, _) = srv
        .patch(&path, &rival, json!({"filter_domains": ["x.io"]}))
        .await;
    assert_eq!(s, 404);
    assert_eq!(srv.delete(&path, &rival).await.0, 404);
    let (s, _) = srv
        .post(
            "/edge/v1/integrations/validate",
            &rival,
            json!({"uuid": uuid}),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = srv.post(&format!("{path}/sync"), &rival, json!({})).await;
    assert_eq!(s, 404);
    assert!(
        list(&srv, &rival, "/edge/v1/integrations", "integrations")
            .await
            .is_empty()
    );
    let (_, still) = srv.get(&path, &admin).await;
    assert_eq!(still["status"], 2);
    assert!(still["filter_domains"].is_null());
}

#[tokio::test]
async fn bad_input_is_refused() {
    let (_env, srv, admin, _) = setup().await;
    let reader = _env.token("acme", "read_only").await;
    let bad = [
        json!({"data_source": 1}),
        json!({"display_name": "x"}),
        json!({"display_name": "x", "data_source": 7}),
        json!({"display_name": "x", "data_source": "okta"}),
        json!({"display_name": "x", "data_source": 1, "api_base_url": "file:///etc"}),
        json!({"display_name": "x", "data_source": 3, "ms365_cloud": 8}),
        json!({"display_name": "x", "data_source": 1, "interval_mins": -5}),
        json!({"display_name": "x", "data_source": 1, "credentials": "token"}),
    ];
    for body in bad {
        let (s, b) = srv
            .post("/edge/v1/integrations", &admin, body.clone())
            .await;
        assert_eq!(s, 400, "{body} -> {b}");
        assert!(b["message"].as_str().is_some_and(|m| !m.is_empty()), "{b}");
    }
    let (s, _) = srv
        .post(
            "/edge/v1/integrations",
            &reader,
            okta_body("http://127.0.0.1:9", "t"),
        )
        .await;
    assert_eq!(s, 403);
    let (s, b) = srv.get("/edge/v1/integrations?data_source=5", &admin).await;
    assert_eq!(s, 400, "{b}");
    let (s, _) = srv
        .post("/edge/v1/integrations/validate", &admin, json!({}))
        .await;
    assert_eq!(s, 400);
    let (s, _) = srv
        .post(
            "/edge/v1/integrations/validate",
            &admin,
            json!({"uuid": "nope"}),
        )
        .await;
    assert_eq!(s, 404);
    // A data source without a directory connector is stored but cannot sync.
    let box_app = create(
        &srv,
        &admin,
        json!({"display_name": "Box", "data_source": 101}),
    )
    .await;
    let (s, b) = srv
        .post(
            &format!("/edge/v1/integrations/{box_app}/sync"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(s, 400, "{b}");
    let v = validate(&srv, &admin, &box_app).await;
    assert_eq!(v["status"], "FAILED");
    let (s, _) = srv
        .patch(
            &format!("/edge/v1/integrations/{box_app}"),
            &admin,
            json!({"status": 4}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, _) = srv
        .patch(
            &format!("/edge/v1/integrations/{box_app}"),
            &admin,
            json!({"uuid": uuid::Uuid::new_v4().to_string()}),
        )
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn two_servers_queue_each_scheduled_sync_once() {
    let (env, srv, admin, _) = setup().await;
    let cfg = env.data_path().join("bulwark.toml");
    let second = env.serve_with(&["--config", cfg.to_str().unwrap()]).await;
    let (st, base) = start("okta").await;
    let mut body = okta_body(&base, fake::OKTA_TOKEN);
    body["interval_mins"] = json!(60);
    let uuid = create(&second, &admin, body).await;
    // Both schedulers tick every second; give them several ticks each.
    let jobs = eventually(30, || async {
        let all = list(&srv, &admin, "/bulwark/v1/jobs", "jobs").await;
        let syncs: Vec<Value> = all
            .into_iter()
            .filter(|j| j["kind"] == "integration.sync")
            .collect();
        (!syncs.is_empty() && syncs.iter().all(|j| j["state"] == "done")).then_some(syncs)
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let all = list(&srv, &admin, "/bulwark/v1/jobs", "jobs").await;
    let syncs: Vec<&Value> = all
        .iter()
        .filter(|j| j["kind"] == "integration.sync")
        .collect();
    assert_eq!(syncs.len(), 1, "one sync per interval: {syncs:?}");
    assert_eq!(jobs[0]["payload"]["integration_uuid"], uuid.as_str());
    let user_lists = st
        .lock()
        .unwrap()
        .calls
        .iter()
        .filter(|c| *c == "GET /api/v1/users")
        .count();
    assert_eq!(user_lists, 2, "one sync read the two pages of users once");
}
