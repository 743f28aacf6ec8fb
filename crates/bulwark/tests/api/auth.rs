//! Authentication, roles and token semantics.

use reqwest::Method;
use serde_json::json;

use crate::support::Env;

const UNAUTHORIZED: &str = "Unauthorized access or ApiKey expired";

#[tokio::test]
async fn missing_and_unknown_credentials_use_the_documented_errors() {
    let env = Env::new().await;
    let srv = env.serve().await;

    // Edge: 401 with {"message"}.
    let (s, b) = srv.call(Method::GET, "/edge/v1/tokens", None, None).await;
    assert_eq!(
        (s, b["message"].as_str()),
        (401, Some("ApiKey not provided"))
    );
    // Optix: the seed's 400, Spring-style body.
    let (s, b) = srv.call(Method::GET, "/api/v1/vms", None, None).await;
    assert_eq!(s, 400);
    assert_eq!(b["message"], "ApiKey not provided");
    assert_eq!(b["errorMessage"], "ApiKey not provided");
    assert_eq!(b["status"], 400);
    assert_eq!(b["path"], "/api/v1/vms");

    let bogus = "ApiKey 0b9f3a51-2f3c-4d5e-8f70-1a2b3c4d5e6f";
    let (s, b) = srv
        .call(Method::GET, "/edge/v1/tokens", Some(bogus), None)
        .await;
    assert_eq!((s, b["message"].as_str()), (401, Some(UNAUTHORIZED)));
    let (s, b) = srv
        .call(Method::GET, "/api/v1/vms", Some(bogus), None)
        .await;
    assert_eq!((s, b["message"].as_str()), (401, Some(UNAUTHORIZED)));
    let (s, _) = srv
        .call(
            Method::GET,
            "/edge/v1/tokens",
            Some("Basic dXNlcjpwYXNz"),
            None,
        )
        .await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn unknown_routes_are_404_no_message_available() {
    let env = Env::new().await;
    let key = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let (s, b) = srv.get("/api/v1/does-not-exist", &key).await;
    assert_eq!(
        (s, b["message"].as_str()),
        (404, Some("No message available"))
    );
    assert_eq!(b["error"], "Not Found");
    let (s, b) = srv.get("/edge/v1/does-not-exist", &key).await;
    assert_eq!(
        (s, b["message"].as_str()),
        (404, Some("No message available"))
    );
}

#[tokio::test]
async fn token_secrets_are_lowercase_v4_uuids_returned_once_and_stored_hashed() {
    let env = Env::new().await;
    let key = env.token("acme", "admin").await;
    assert!(bulwark_core::crypto::looks_like_token(&key), "{key}");
    let srv = env.serve().await;
    let (s, created) = srv
        .post("/edge/v1/tokens", &key, json!({"name": "ci", "role": 2}))
        .await;
    assert_eq!(s, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(bulwark_core::crypto::looks_like_token(&secret));
    assert_eq!(secret.as_bytes()[14], b'4', "version nibble");
    assert_eq!(created["role"], 2);
    assert_eq!(created["status"], 2);
    assert_eq!(created["account_name"], "acme");

    let (_, list) = srv.get("/edge/v1/tokens", &key).await;
    let tokens = list["tokens"].as_array().unwrap();
    assert!(tokens.iter().any(|t| t["uuid"] == created["uuid"]));
    assert!(
        tokens.iter().all(|t| t["secret"] == ""),
        "secrets are never listed"
    );

    // The new token works, and its secret is nowhere in the database files.
    let (s, me) = srv.get("/bulwark/v1/whoami", &secret).await;
    assert_eq!((s, me["role_name"].as_str()), (200, Some("read_only")));
    if !env.is_postgres() {
        for entry in std::fs::read_dir(env.data_path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let hay = String::from_utf8_lossy(&bytes);
            assert!(!hay.contains(&secret), "secret found in a database file");
            assert!(!hay.contains(&key), "secret found in a database file");
        }
    }
}

#[tokio::test]
async fn suspended_deleted_single_use_and_expired_tokens_stop_working() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;

    let (_, t) = srv
        .post("/edge/v1/tokens", &admin, json!({"name": "s"}))
        .await;
    let (uuid, secret) = (t["uuid"].as_str().unwrap(), t["secret"].as_str().unwrap());
    assert_eq!(srv.get("/bulwark/v1/whoami", secret).await.0, 200);
    let (s, _) = srv
        .patch(
            &format!("/edge/v1/tokens/{uuid}"),
            &admin,
            json!({"status": 3}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = srv.get("/bulwark/v1/whoami", secret).await;
    assert_eq!((s, b["message"].as_str()), (401, Some(UNAUTHORIZED)));
    srv.patch(
        &format!("/edge/v1/tokens/{uuid}"),
        &admin,
        json!({"status": 2}),
    )
    .await;
    assert_eq!(srv.get("/bulwark/v1/whoami", secret).await.0, 200);
    let (s, d) = srv.delete(&format!("/edge/v1/tokens/{uuid}"), &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    assert_eq!(srv.get("/bulwark/v1/whoami", secret).await.0, 401);

    // ttl_sec > 0: single use.
    let (_, once) = srv
        .post("/edge/v1/tokens", &admin, json!({"ttl_sec": 600}))
        .await;
    let once = once["secret"].as_str().unwrap().to_string();
    assert_eq!(srv.get("/bulwark/v1/whoami", &once).await.0, 200);
    assert_eq!(srv.get("/bulwark/v1/whoami", &once).await.0, 401);

    // ttl_sec = 1: expired before first use.
    let (_, short) = srv
        .post("/edge/v1/tokens", &admin, json!({"ttl_sec": 1}))
        .await;
    assert!(short["expire_time_sec"].as_i64().unwrap() > 0);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        srv.get("/bulwark/v1/whoami", short["secret"].as_str().unwrap())
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn token_login_exchanges_an_api_token_for_a_revocable_jwt() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let (_, t) = srv
        .post("/edge/v1/tokens", &admin, json!({"name": "web", "role": 3}))
        .await;
    let (uuid, secret) = (
        t["uuid"].as_str().unwrap().to_string(),
        t["secret"].as_str().unwrap().to_string(),
    );

    let (s, session) = srv.get("/edge/v1/token-login?account=acme", &secret).await;
    assert_eq!(s, 200, "{session}");
    assert_eq!(session["user_role"], 3);
    assert_eq!(session["login_type"], 1);
    assert_eq!(session["client_ip"], "127.0.0.1");
    let jwt = session["token"].as_str().unwrap().to_string();
    assert_eq!(jwt.split('.').count(), 3, "a JWT");
    // The login is in the audit log, though it is a GET.
    let (_, audit) = srv.get("/edge/v1/audit-events?start_time=0", &admin).await;
    let login = audit["audit_events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["op"] == "TokenLogin")
        .unwrap_or_else(|| panic!("no TokenLogin in {audit}"));
    assert_eq!(login["auth_type"], "token_login");
    assert_eq!(login["object_uuid"], session["uuid"]);
    assert_eq!(login["response_status"], 200);
    assert_eq!(login["client_ip"], "127.0.0.1");

    let bearer = format!("Bearer {jwt}");
    let (s, me) = srv
        .call(Method::GET, "/bulwark/v1/whoami", Some(&bearer), None)
        .await;
    assert_eq!(
        (s, me["auth_type"].as_str(), me["role"].as_i64()),
        (200, Some("jwt"), Some(3))
    );

    // Tampered signature.
    let mut bad = jwt.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == 'A' { 'B' } else { 'A' });
    let (s, _) = srv
        .call(
            Method::GET,
            "/bulwark/v1/whoami",
            Some(&format!("Bearer {bad}")),
            None,
        )
        .await;
    assert_eq!(s, 401);

    // Wrong account name.
    let (s, _) = srv.get("/edge/v1/token-login?account=other", &secret).await;
    assert_eq!(s, 403);
    // A JWT cannot log in again.
    let (s, _) = srv
        .call(
            Method::GET,
            "/edge/v1/token-login?account=acme",
            Some(&bearer),
            None,
        )
        .await;
    assert_eq!(s, 403);

    // Redirects: same origin yes (302 + cookie), elsewhere no.
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!(
            "{}/edge/v1/token-login?account=acme&redirect=/console",
            srv.base
        ))
        .header("authorization", format!("ApiKey {secret}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    assert_eq!(resp.headers()["location"], "/console");
    assert!(
        resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("HttpOnly")
    );
    let (s, b) = srv
        .get(
            "/edge/v1/token-login?account=acme&redirect=https://evil.example/",
            &secret,
        )
        .await;
    assert_eq!(s, 400, "{b}");

    // Suspending the token ends its sessions.
    srv.patch(
        &format!("/edge/v1/tokens/{uuid}"),
        &admin,
        json!({"status": 3}),
    )
    .await;
    let (s, _) = srv
        .call(Method::GET, "/bulwark/v1/whoami", Some(&bearer), None)
        .await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn roles_are_ordered_and_capped_at_the_creator() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let srv = env.serve().await;

    // A token defaults to its creator's role and can never exceed it.
    let (s, t) = srv.post("/edge/v1/tokens", &reader, json!({})).await;
    assert_eq!((s, t["role"].as_i64()), (201, Some(2)));
    let (s, b) = srv
        .post("/edge/v1/tokens", &reader, json!({"role": 4}))
        .await;
    assert_eq!(s, 403);
    assert!(b["message"].as_str().unwrap().contains("exceeds"), "{b}");
    let (s, _) = srv
        .post("/edge/v1/tokens", &admin, json!({"role": 5}))
        .await;
    assert_eq!(s, 403, "admin (4) ranks below super_admin (5)");
    let (s, sec) = srv
        .post("/edge/v1/tokens", &admin, json!({"role": 16}))
        .await;
    assert_eq!(s, 201, "security_admin (16) ranks below admin (4)");
    let (s, _) = srv
        .post("/edge/v1/tokens", &admin, json!({"role": 7}))
        .await;
    assert_eq!(s, 400, "7 is not a role");

    // Raising a token above the caller through update is refused too.
    let (_, mine) = srv
        .post("/edge/v1/tokens", &reader, json!({"name": "mine"}))
        .await;
    let path = format!("/edge/v1/tokens/{}", mine["uuid"].as_str().unwrap());
    let (s, _) = srv.patch(&path, &reader, json!({"role": 4})).await;
    assert_eq!(s, 403);
    let (s, u) = srv
        .patch(
            &path,
            &reader,
            json!({"description": "d", "attributes_to_delete": ["name"]}),
        )
        .await;
    assert_eq!(
        (s, u["name"].as_str(), u["description"].as_str()),
        (200, Some(""), Some("d"))
    );

    // Admin-only operations.
    let (s, b) = srv
        .post(
            "/bulwark/v1/jobs",
            &reader,
            json!({"kind": "diagnostic.echo"}),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("requires role `admin`")
    );
    // A reader does not see other people's tokens.
    let (_, list) = srv.get("/edge/v1/tokens", &reader).await;
    let tokens = list["tokens"].as_array().unwrap();
    assert!(!tokens.is_empty());
    assert!(
        tokens.iter().all(|t| t["uuid"] != sec["uuid"]),
        "reader sees the admin's token"
    );
    let (_, all) = srv.get("/edge/v1/tokens", &admin).await;
    assert!(
        all["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["uuid"] == sec["uuid"])
    );
    let (s, _) = srv
        .get(
            &format!("/edge/v1/tokens/{}", sec["uuid"].as_str().unwrap()),
            &reader,
        )
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn malformed_requests_get_clear_400s() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let resp = srv
        .http
        .post(format!("{}/edge/v1/tokens", srv.base))
        .header("authorization", format!("ApiKey {admin}"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let b: serde_json::Value = resp.json().await.unwrap();
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid request body"),
        "{b}"
    );
    let (s, _) = srv
        .post("/edge/v1/tokens", &admin, json!({"ttl_sec": "soon"}))
        .await;
    assert_eq!(s, 400);
    let (s, _) = srv
        .post("/edge/v1/tokens", &admin, json!({"ttl_sec": -5}))
        .await;
    assert_eq!(s, 400);
    let (s, _) = srv.get("/edge/v1/tokens/not-a-uuid", &admin).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn a_session_never_outlives_its_temporary_token() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let (_, t) = srv
        .post("/edge/v1/tokens", &admin, json!({"ttl_sec": 2}))
        .await;
    let (s, session) = srv
        .get(
            "/edge/v1/token-login?account=acme",
            t["secret"].as_str().unwrap(),
        )
        .await;
    assert_eq!(s, 200, "{session}");
    assert!(session["ttl_sec"].as_i64().unwrap() <= 2, "{session}");
    let bearer = format!("Bearer {}", session["token"].as_str().unwrap());
    assert_eq!(
        srv.call(Method::GET, "/bulwark/v1/whoami", Some(&bearer), None)
            .await
            .0,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    assert_eq!(
        srv.call(Method::GET, "/bulwark/v1/whoami", Some(&bearer), None)
            .await
            .0,
        401
    );
}
