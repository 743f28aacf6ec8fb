//! The shared CRUD shape through the apps, groups and users families.

use serde_json::json;

use crate::support::Env;

#[tokio::test]
async fn apps_create_get_query_update_delete() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let srv = env.serve().await;

    let app = json!({"account_name": "acme", "app": {
        "name": "wiki", "host": "wiki.corp", "port": 443, "protocol": "https", "tags": ["prod", "web"],
        "tcp_port_ranges": [{"start": 8000, "end": 8010}],
        "uuid": "should-be-ignored", "create_time": 1, "data_source": 0}});
    let (s, a) = srv.post("/edge/v1/apps", &admin, app).await;
    assert_eq!(s, 200, "{a}");
    let uuid = a["uuid"].as_str().unwrap().to_string();
    assert_ne!(uuid, "should-be-ignored");
    assert_eq!(a["account_name"], "acme");
    assert!(a["create_time"].as_i64().unwrap() > 1);
    assert_eq!(a["status"], 2, "ACTIVE by default");
    assert_eq!(a["creator_display_name"], "admin-cli");
    assert_eq!(a["tcp_port_ranges"][0]["end"], 8010);

    let (_, b) = srv
        .post(
            "/edge/v1/apps",
            &admin,
            json!({"app": {"name": "db", "tags": ["prod"], "status": 3, "data_source": 101}}),
        )
        .await;
    srv.post(
        "/edge/v1/apps",
        &admin,
        json!({"app": {"name": "lab", "tags": ["dev"]}}),
    )
    .await;

    let (s, got) = srv.get(&format!("/edge/v1/apps/{uuid}"), &reader).await;
    assert_eq!((s, got["name"].as_str()), (200, Some("wiki")));

    let names = |v: &serde_json::Value| -> Vec<String> {
        let mut n: Vec<String> = v["apps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    let (_, all) = srv.get("/edge/v1/apps", &reader).await;
    assert_eq!(names(&all), ["db", "lab", "wiki"]);
    let (_, prod) = srv.get("/edge/v1/apps?tag=prod", &reader).await;
    assert_eq!(names(&prod), ["db", "wiki"]);
    let (_, active) = srv.get("/edge/v1/apps?status=ACTIVE", &reader).await;
    assert_eq!(names(&active), ["lab", "wiki"]);
    let (_, susp) = srv
        .get("/edge/v1/apps?status=SUSPENDED&tag=prod,dev", &reader)
        .await;
    assert_eq!(names(&susp), ["db"]);
    let (_, ds) = srv.get("/edge/v1/apps?datasource=101", &reader).await;
    assert_eq!(names(&ds), ["db"]);
    assert_eq!(srv.get("/edge/v1/apps?status=BOGUS", &reader).await.0, 400);
    assert_eq!(
        srv.get("/edge/v1/apps?datasource=okta", &reader).await.0,
        400
    );
    let (_, page) = srv.get("/edge/v1/apps?limit=1&offset=1", &reader).await;
    assert_eq!(page["apps"].as_array().unwrap().len(), 1);

    // Partial update: only present fields change; attributes_to_delete resets.
    let path = format!("/edge/v1/apps/{uuid}");
    let (s, u) = srv
        .patch(&path, &admin, json!({"app": {"description": "team wiki"}}))
        .await;
    assert_eq!(s, 200, "{u}");
    assert_eq!(
        (
            u["name"].as_str(),
            u["description"].as_str(),
            u["host"].as_str()
        ),
        (Some("wiki"), Some("team wiki"), Some("wiki.corp"))
    );
    assert!(u["update_time"].as_i64() > a["update_time"].as_i64());
    assert_eq!(u["create_time"], a["create_time"]);
    let (_, u) = srv
        .patch(
            &path,
            &admin,
            json!({"attributes_to_delete": ["description", "tags"]}),
        )
        .await;
    assert_eq!(
        (
            u["description"].as_str(),
            u["tags"].as_array().map(Vec::len)
        ),
        (Some(""), Some(0))
    );
    let (s, _) = srv
        .patch(
            &path,
            &admin,
            json!({"attributes_to_delete": ["create_time"]}),
        )
        .await;
    assert_eq!(s, 400);
    let (_, prod) = srv.get("/edge/v1/apps?tag=prod", &reader).await;
    assert_eq!(names(&prod), ["db"], "tag index follows updates");

    // Validation and roles.
    assert_eq!(
        srv.post("/edge/v1/apps", &admin, json!({"app": {"host": "x"}}))
            .await
            .0,
        400
    );
    assert_eq!(
        srv.post(
            "/edge/v1/apps",
            &admin,
            json!({"app": {"name": "x", "port": 70000}})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        srv.post(
            "/edge/v1/apps",
            &admin,
            json!({"app": {"name": "x", "tcp_port_ranges": [{"start": 9, "end": 2}]}})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        srv.post(
            "/edge/v1/apps",
            &admin,
            json!({"app": {"name": "x", "port": "443"}})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        srv.post("/edge/v1/apps", &reader, json!({"app": {"name": "x"}}))
            .await
            .0,
        403
    );
    assert_eq!(
        srv.post(
            "/edge/v1/apps",
            &admin,
            json!({"account_name": "other", "app": {"name": "x"}})
        )
        .await
        .0,
        403
    );

    // Soft delete.
    let (s, d) = srv.delete(&path, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    let (_, all) = srv.get("/edge/v1/apps", &reader).await;
    assert_eq!(names(&all), ["db", "lab"]);
    let (_, deleted) = srv.get("/edge/v1/apps?status=DELETED", &reader).await;
    assert_eq!(names(&deleted), ["wiki"]);
    let _ = b;
}

#[tokio::test]
async fn users_keep_personal_data_apart_and_groups_update_flat() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let (s, u) = srv
        .post(
            "/edge/v1/users",
            &admin,
            json!({"send_invitation": false,
            "user": {"display_name": "Ada", "role": 1, "tags": ["eng"]},
            "user_pii": {"email": "ada@example.com", "login": "ada"}}),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    let uuid = u["user"]["uuid"].as_str().unwrap().to_string();
    assert_eq!(u["user_pii"]["uuid"], uuid.as_str());
    assert_eq!(u["user_pii"]["email"], "ada@example.com");
    let (_, got) = srv.get(&format!("/edge/v1/users/{uuid}"), &admin).await;
    assert_eq!(got["display_name"], "Ada");
    assert!(
        got.get("email").is_none(),
        "PII is not part of the user object"
    );
    let (_, u2) = srv
        .patch(
            &format!("/edge/v1/users/{uuid}"),
            &admin,
            json!({"user": {"location": "London"}}),
        )
        .await;
    assert_eq!(
        (u2["display_name"].as_str(), u2["location"].as_str()),
        (Some("Ada"), Some("London"))
    );
    assert_eq!(
        srv.post(
            "/edge/v1/users",
            &admin,
            json!({"user_pii": {"email": "nope"}})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        srv.post("/edge/v1/users", &admin, json!({"user": {"role": 99}}))
            .await
            .0,
        400
    );
    let (_, eng) = srv.get("/edge/v1/users?tag=eng", &admin).await;
    assert_eq!(eng["users"].as_array().unwrap().len(), 1);

    let (s, g) = srv
        .post(
            "/edge/v1/groups",
            &admin,
            json!({"name": "eng", "description": "engineers"}),
        )
        .await;
    assert_eq!(s, 201, "{g}");
    let gpath = format!("/edge/v1/groups/{}", g["uuid"].as_str().unwrap());
    let (s, g2) = srv
        .patch(&gpath, &admin, json!({"description": "all engineers"}))
        .await;
    assert_eq!(
        (s, g2["name"].as_str(), g2["description"].as_str()),
        (200, Some("eng"), Some("all engineers"))
    );
    let (s, _) = srv
        .patch(
            &gpath,
            &admin,
            json!({"uuid": "00000000-0000-4000-8000-000000000000", "name": "x"}),
        )
        .await;
    assert_eq!(s, 400, "body uuid must match the path");
    let (_, groups) = srv.get("/edge/v1/groups", &admin).await;
    assert_eq!(groups["groups"][0]["name"], "eng");
}

#[tokio::test]
async fn resource_families_are_tenant_scoped() {
    let env = Env::new().await;
    let a = env.token("alpha", "admin").await;
    let b = env.token("beta", "admin").await;
    let srv = env.serve().await;
    let (_, app) = srv
        .post(
            "/edge/v1/apps",
            &a,
            json!({"app": {"name": "secret-app", "tags": ["x"]}}),
        )
        .await;
    let (_, user) = srv
        .post(
            "/edge/v1/users",
            &a,
            json!({"user": {"display_name": "A"}, "user_pii": {"email": "a@alpha.io"}}),
        )
        .await;
    let (_, grp) = srv
        .post("/edge/v1/groups", &a, json!({"name": "alpha-admins"}))
        .await;
    for path in [
        format!("/edge/v1/apps/{}", app["uuid"].as_str().unwrap()),
        format!("/edge/v1/users/{}", user["user"]["uuid"].as_str().unwrap()),
        format!("/edge/v1/groups/{}", grp["uuid"].as_str().unwrap()),
    ] {
        assert_eq!(srv.get(&path, &b).await.0, 404, "{path}");
        assert_eq!(srv.patch(&path, &b, json!({"name": "pwned", "app": {"name": "pwned"}, "user": {"display_name": "pwned"}})).await.0, 404);
        assert_eq!(srv.delete(&path, &b).await.0, 404);
        let (s, still) = srv.get(&path, &a).await;
        assert_eq!(s, 200);
        assert!(!still.to_string().contains("pwned"));
        assert_ne!(still["status"], 4);
    }
    for list in [
        "/edge/v1/apps?tag=x",
        "/edge/v1/users",
        "/edge/v1/groups",
        "/edge/v1/apps?status=ACTIVE,SUSPENDED,DELETED",
    ] {
        let (s, body) = srv.get(list, &b).await;
        assert_eq!(s, 200);
        assert!(
            body.as_object()
                .unwrap()
                .values()
                .all(|v| v.as_array().is_some_and(Vec::is_empty)),
            "{list}: {body}"
        );
    }
}
