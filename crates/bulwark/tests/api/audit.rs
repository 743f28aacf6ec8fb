//! Every mutating request is audited: who, what, which object, when, from where.

use serde_json::json;

use crate::support::Env;

#[tokio::test]
async fn mutations_are_recorded_and_reads_are_not() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let srv = env.serve().await;
    let before = bulwark_core::clock::now_ms();

    let (_, t) = srv
        .post(
            "/edge/v1/tokens",
            &admin,
            json!({"name": "ci", "description": "x", "password": "hunter2"}),
        )
        .await;
    let uuid = t["uuid"].as_str().unwrap().to_string();
    srv.patch(
        &format!("/edge/v1/tokens/{uuid}"),
        &admin,
        json!({"name": "ci-2"}),
    )
    .await;
    srv.get(&format!("/edge/v1/tokens/{uuid}"), &admin).await;
    // A refused mutation is audited too.
    let (s, _) = srv
        .post("/edge/v1/tokens", &reader, json!({"role": 5}))
        .await;
    assert_eq!(s, 403);

    let (s, body) = srv
        .get(
            &format!("/edge/v1/audit-events?start_time={before}"),
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let events = body["audit_events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "{body}");
    // Newest first.
    let (refused, update, create) = (&events[0], &events[1], &events[2]);
    assert_eq!(create["op"], "CreateToken");
    assert_eq!(create["method"], "POST");
    assert_eq!(create["matched_path"], "/edge/v1/tokens");
    assert_eq!(create["object_uuid"], uuid.as_str());
    assert_eq!(create["response_status"], 201);
    assert_eq!(create["client_ip"], "127.0.0.1");
    assert_eq!(create["auth_type"], "api_key");
    assert_eq!(create["auth_role"], 4);
    assert_eq!(create["user_display_name"], "admin-cli");
    let recorded = create["request_body"].as_str().unwrap();
    assert!(recorded.contains("\"name\":\"ci\""), "{recorded}");
    assert!(
        !recorded.contains("hunter2"),
        "secrets are redacted: {recorded}"
    );
    assert_eq!(update["op"], "UpdateToken");
    assert_eq!(update["path"], format!("/edge/v1/tokens/{uuid}"));
    assert_eq!(update["matched_path"], "/edge/v1/tokens/{uuid}");
    assert_eq!(
        (
            refused["response_status"].as_i64(),
            refused["auth_role"].as_i64()
        ),
        (Some(403), Some(2))
    );

    // Get by uuid.
    let (s, one) = srv
        .get(
            &format!("/edge/v1/audit-events/{}", create["uuid"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!((s, one["op"].as_str()), (200, Some("CreateToken")));
    assert!(one["trace"].as_str().is_some_and(|t| !t.is_empty()));

    // Time window and validation.
    let far = bulwark_core::clock::now_ms() + 3_600_000;
    let (_, none) = srv
        .get(&format!("/edge/v1/audit-events?start_time={far}"), &admin)
        .await;
    assert_eq!(none["audit_events"].as_array().unwrap().len(), 0);
    let (_, window) = srv
        .get(
            &format!(
                "/edge/v1/audit-events?start_time={before}&end_time={}",
                create["create_time"].as_i64().unwrap() + 1
            ),
            &admin,
        )
        .await;
    assert_eq!(window["audit_events"].as_array().unwrap().len(), 1);
    assert_eq!(
        srv.get("/edge/v1/audit-events", &admin).await.0,
        400,
        "start_time is required"
    );
    assert_eq!(
        srv.get("/edge/v1/audit-events?start_time=yesterday", &admin)
            .await
            .0,
        400
    );
    let (s, _) = srv
        .get(
            &format!("/edge/v1/audit-events?start_time={before}&end_time=1"),
            &admin,
        )
        .await;
    assert_eq!(s, 400);
    let (_, page) = srv
        .get(
            &format!("/edge/v1/audit-events?start_time={before}&limit=1&offset=1"),
            &admin,
        )
        .await;
    assert_eq!(page["audit_events"][0]["uuid"], update["uuid"]);
}
