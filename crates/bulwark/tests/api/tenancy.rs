//! One account's credentials can never read, list, change or guess another's objects.

use reqwest::Method;
use serde_json::json;

use crate::support::{Env, eventually};

#[tokio::test]
async fn accounts_are_isolated() {
    let env = Env::new().await;
    let a = env.token("alpha", "super_admin").await;
    let b = env.token("beta", "super_admin").await;
    let srv = env.serve().await;

    // Objects of alpha: a token, audit events, a job.
    let (_, tok) = srv
        .post("/edge/v1/tokens", &a, json!({"name": "alpha-ci"}))
        .await;
    let tok_uuid = tok["uuid"].as_str().unwrap().to_string();
    let (_, job) = srv
        .post("/bulwark/v1/jobs", &a, json!({"kind": "diagnostic.echo"}))
        .await;
    let job_id = job["id"].as_str().unwrap().to_string();
    let (_, events) = srv.get("/edge/v1/audit-events?start_time=0", &a).await;
    let event_uuid = events["audit_events"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    eventually(20, || async {
        let (_, j) = srv.get(&format!("/bulwark/v1/jobs/{job_id}"), &a).await;
        (j["state"] == "done").then_some(())
    })
    .await;

    // Beta guesses every id: 404, exactly as for ids that do not exist.
    for path in [
        format!("/edge/v1/tokens/{tok_uuid}"),
        format!("/bulwark/v1/jobs/{job_id}"),
        format!("/edge/v1/audit-events/{event_uuid}"),
    ] {
        let (s, body) = srv.get(&path, &b).await;
        assert_eq!(s, 404, "{path}: {body}");
        let (s, _) = srv.get(&path, &a).await;
        assert_eq!(s, 200, "{path} is visible to its owner");
    }
    // Lists show nothing of alpha.
    let (_, list) = srv.get("/edge/v1/tokens?get_all=true", &b).await;
    assert!(
        list["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["account_name"] == "beta")
    );
    assert!(!list.to_string().contains(&tok_uuid));
    let (_, jobs) = srv.get("/bulwark/v1/jobs", &b).await;
    assert!(!jobs.to_string().contains(&job_id));
    let (_, ev) = srv.get("/edge/v1/audit-events?start_time=0", &b).await;
    assert!(
        ev["audit_events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["account_name"] == "beta")
    );

    // Beta cannot change or delete alpha's token, even naming alpha's account.
    let path = format!("/edge/v1/tokens/{tok_uuid}");
    assert_eq!(srv.patch(&path, &b, json!({"status": 3})).await.0, 404);
    assert_eq!(
        srv.patch(&path, &b, json!({"status": 3, "account_name": "alpha"}))
            .await
            .0,
        404
    );
    assert_eq!(srv.delete(&path, &b).await.0, 404);
    let (_, still) = srv.get(&path, &a).await;
    assert_eq!(still["status"], 2, "alpha's token is untouched");
    // Nor create tokens in alpha, nor log in to alpha.
    let (s, _) = srv
        .post("/edge/v1/tokens", &b, json!({"account_name": "alpha"}))
        .await;
    assert_eq!(s, 403);
    let (s, _) = srv.get("/edge/v1/token-login?account=alpha", &b).await;
    assert_eq!(s, 403);
    // A JWT session of beta is as confined as its API token.
    let (_, sess) = srv.get("/edge/v1/token-login?account=beta", &b).await;
    let bearer = format!("Bearer {}", sess["token"].as_str().unwrap());
    let (s, _) = srv.call(Method::GET, &path, Some(&bearer), None).await;
    assert_eq!(s, 404);
}
