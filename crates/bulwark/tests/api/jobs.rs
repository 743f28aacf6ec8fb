//! The job queue through the API and the in-process worker.

use serde_json::{Value, json};

use crate::support::{Env, Server, eventually};

async fn wait_final(srv: &Server, key: &str, id: &str, secs: u64) -> Value {
    eventually(secs, || async {
        let (_, j) = srv.get(&format!("/bulwark/v1/jobs/{id}"), key).await;
        matches!(j["state"].as_str(), Some("done" | "failed")).then_some(j)
    })
    .await
}

#[tokio::test]
async fn jobs_run_once_and_record_their_result() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let (s, job) = srv
        .post(
            "/bulwark/v1/jobs",
            &admin,
            json!({"kind": "diagnostic.echo", "payload": {"n": 7}}),
        )
        .await;
    assert_eq!(s, 201, "{job}");
    assert_eq!(job["state"], "queued");
    let done = wait_final(&srv, &admin, job["id"].as_str().unwrap(), 30).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["result"]["echo"]["n"], 7);
    assert_eq!(done["attempts"], 1);
    let history = done["attempt_history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["outcome"], "done");
    assert_eq!(history[0]["worker"], done["result"]["worker"]);

    let (_, list) = srv.get("/bulwark/v1/jobs?state=done", &admin).await;
    assert!(
        list["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["id"] == job["id"])
    );
    assert_eq!(srv.get("/bulwark/v1/jobs?state=bogus", &admin).await.0, 400);
}

#[tokio::test]
async fn failures_are_retried_with_backoff_then_given_up() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;

    // Fails twice, succeeds on the third of three attempts.
    let (_, flaky) = srv
        .post(
            "/bulwark/v1/jobs",
            &admin,
            json!({"kind": "diagnostic.fail", "payload": {"times": 2}, "max_attempts": 3}),
        )
        .await;
    // Fails more often than it may try.
    let (_, doomed) = srv
        .post(
            "/bulwark/v1/jobs",
            &admin,
            json!({"kind": "diagnostic.fail", "payload": {"times": 5}, "max_attempts": 2}),
        )
        .await;

    let flaky = wait_final(&srv, &admin, flaky["id"].as_str().unwrap(), 40).await;
    assert_eq!(flaky["state"], "done", "{flaky}");
    assert_eq!(flaky["attempts"], 3);
    let h = flaky["attempt_history"].as_array().unwrap();
    assert_eq!(h.len(), 3);
    assert!(
        h[0]["outcome"]
            .as_str()
            .unwrap()
            .contains("planned failure 1")
    );
    // Back-off: the second attempt starts at least 1 s after the first ended.
    let gap = h[1]["start_time"].as_i64().unwrap() - h[0]["end_time"].as_i64().unwrap();
    assert!(gap >= 1000, "retry came after {gap} ms");

    let doomed = wait_final(&srv, &admin, doomed["id"].as_str().unwrap(), 40).await;
    assert_eq!(doomed["state"], "failed", "{doomed}");
    assert_eq!(doomed["attempts"], 2);
    assert!(
        doomed["last_error"]
            .as_str()
            .unwrap()
            .contains("planned failure 2")
    );
}

#[tokio::test]
async fn only_known_diagnostic_kinds_can_be_enqueued() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let (s, b) = srv
        .post(
            "/bulwark/v1/jobs",
            &admin,
            json!({"kind": "diagnostic.nope"}),
        )
        .await;
    assert_eq!(s, 400, "{b}");
    let (s, _) = srv
        .post("/bulwark/v1/jobs", &admin, json!({"kind": "iac.scan"}))
        .await;
    assert_eq!(s, 400);
    let (s, _) = srv
        .post(
            "/bulwark/v1/jobs",
            &admin,
            json!({"kind": "diagnostic.echo", "max_attempts": 0}),
        )
        .await;
    assert_eq!(s, 400);
}
