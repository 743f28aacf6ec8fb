//! Whole-process behaviour: durability across kill -9, several servers and workers on
//! one database, the offline admin command next to a running server, clean shutdown.

use std::collections::{HashMap, HashSet};
use std::process::Stdio;

use serde_json::json;

use crate::support::{Env, eventually};

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let mut srv = env.serve().await;
    let mut created = Vec::new();
    for i in 0..40 {
        let (s, t) = srv
            .post("/edge/v1/tokens", &admin, json!({"name": format!("t{i}")}))
            .await;
        assert_eq!(s, 201);
        created.push((
            t["uuid"].as_str().unwrap().to_string(),
            t["secret"].as_str().unwrap().to_string(),
        ));
    }
    let (_, job) = srv
        .post(
            "/bulwark/v1/jobs",
            &admin,
            json!({"kind": "diagnostic.sleep", "payload": {"ms": 60000}}),
        )
        .await;
    srv.kill9().await;

    let srv = env.serve().await;
    for (uuid, secret) in &created {
        let (s, _) = srv.get(&format!("/edge/v1/tokens/{uuid}"), &admin).await;
        assert_eq!(s, 200, "token {uuid} lost");
        assert_eq!(srv.get("/bulwark/v1/whoami", secret).await.0, 200);
    }
    let (_, events) = srv
        .get("/edge/v1/audit-events?start_time=0&limit=1000", &admin)
        .await;
    let recorded: HashSet<&str> = events["audit_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["object_uuid"].as_str())
        .collect();
    for (uuid, _) in &created {
        assert!(
            recorded.contains(uuid.as_str()),
            "audit event of {uuid} lost"
        );
    }
    let (s, j) = srv
        .get(
            &format!("/bulwark/v1/jobs/{}", job["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(s, 200, "queued job lost: {j}");
}

#[tokio::test]
async fn two_servers_and_two_workers_run_every_job_exactly_once() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let s1 = env.serve().await;
    let s2 = env.serve().await;
    let mut workers = Vec::new();
    for i in 0..2 {
        let id = format!("standalone-{i}");
        workers.push(
            env.command(&["worker", "--concurrency", "2", "--id", &id])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
    }
    const N: usize = 120;
    let mut ids = Vec::new();
    for i in 0..N {
        let srv = if i % 2 == 0 { &s1 } else { &s2 };
        let (s, j) = srv
            .post(
                "/bulwark/v1/jobs",
                &admin,
                json!({"kind": "diagnostic.sleep", "payload": {"ms": 30}, "max_attempts": 1}),
            )
            .await;
        assert_eq!(s, 201, "{j}");
        ids.push(j["id"].as_str().unwrap().to_string());
    }
    eventually(120, || async {
        let (_, list) = s1
            .get("/bulwark/v1/jobs?state=done&limit=500", &admin)
            .await;
        (list["jobs"].as_array().unwrap().len() == N).then_some(())
    })
    .await;
    let mut by_worker: HashMap<String, usize> = HashMap::new();
    for id in &ids {
        let (_, j) = s2.get(&format!("/bulwark/v1/jobs/{id}"), &admin).await;
        assert_eq!(j["state"], "done", "{j}");
        assert_eq!(j["attempts"], 1, "job {id} ran more than once: {j}");
        let h = j["attempt_history"].as_array().unwrap();
        assert_eq!(h.len(), 1, "job {id} has {} executions", h.len());
        assert_eq!(h[0]["worker"], j["result"]["worker"]);
        let process = h[0]["worker"]
            .as_str()
            .unwrap()
            .rsplit_once('/')
            .unwrap()
            .0
            .to_string();
        *by_worker.entry(process).or_default() += 1;
    }
    // The claimers really competed: several processes took jobs.
    assert!(by_worker.len() >= 2, "only {by_worker:?} ran jobs");
    for mut w in workers {
        w.kill().await.unwrap();
    }
}

#[tokio::test]
async fn admin_token_create_prints_only_the_token_next_to_a_running_server() {
    let env = Env::new().await;
    let mut srv = env.serve().await;
    let bootstrap = srv.bootstrap_token().await;
    let (_, me) = srv.get("/bulwark/v1/whoami", &bootstrap).await;
    assert_eq!(
        (me["account_name"].as_str(), me["role_name"].as_str()),
        (Some("default"), Some("super_admin"))
    );

    let out = env
        .admin(&[
            "token",
            "create",
            "--account",
            "newco",
            "--role",
            "read_only",
        ])
        .await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "stdout must hold only the token: {out:?}");
    assert!(bulwark_core::crypto::looks_like_token(lines[0]));
    let (s, me) = srv.get("/bulwark/v1/whoami", lines[0]).await;
    assert_eq!(
        (s, me["account_name"].as_str(), me["role"].as_i64()),
        (200, Some("newco"), Some(2))
    );

    let out = env
        .command(&[
            "admin",
            "token",
            "create",
            "--account",
            "newco",
            "--role",
            "root",
        ])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role `root`"));
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn sigterm_shuts_down_cleanly_and_restart_keeps_the_bootstrap() {
    let env = Env::new().await;
    let mut srv = env.serve().await;
    let token = srv.bootstrap_token().await;
    let status = srv.terminate().await;
    assert!(status.success(), "{status:?}");
    // A restart does not bootstrap again; the first token still works.
    let mut again = env.serve().await;
    assert_eq!(again.get("/bulwark/v1/whoami", &token).await.0, 200);
    let printed = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        again.bootstrap_token(),
    )
    .await;
    assert!(printed.is_err(), "a second bootstrap token was printed");
}

#[tokio::test]
async fn another_server_sees_a_revocation_within_the_cache_ttl() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let s1 = env.serve().await;
    let s2 = env.serve().await;
    let (_, t) = s1
        .post("/edge/v1/tokens", &admin, json!({"name": "ci"}))
        .await;
    let secret = t["secret"].as_str().unwrap().to_string();
    // Warm the second server's credential cache.
    assert_eq!(s2.get("/bulwark/v1/whoami", &secret).await.0, 200);
    s1.patch(
        &format!("/edge/v1/tokens/{}", t["uuid"].as_str().unwrap()),
        &admin,
        json!({"status": 3}),
    )
    .await;
    assert_eq!(
        s1.get("/bulwark/v1/whoami", &secret).await.0,
        401,
        "the writing server revokes at once"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
    assert_eq!(
        s2.get("/bulwark/v1/whoami", &secret).await.0,
        401,
        "other servers within the 2 s cache TTL"
    );
}
