//! Access rules and policies answered by real evaluation.

use serde_json::{Value, json};

use crate::support::{Env, Server};

async fn id(srv: &Server, key: &str, path: &str, body: Value) -> String {
    let (s, v) = srv.post(path, key, body).await;
    assert!(s == 200 || s == 201, "{path}: {s} {v}");
    let v = if v.get("user").is_some() {
        v["user"].clone()
    } else {
        v
    };
    v["uuid"].as_str().unwrap().to_string()
}

fn uuids(v: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["uuid"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn accesses_follow_nested_groups_tags_revocation_and_time() {
    let env = Env::new().await;
    let k = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let ada = id(
        &srv,
        &k,
        "/edge/v1/users",
        json!({"user": {"display_name": "Ada", "tags": ["eng"]}}),
    )
    .await;
    let bob = id(
        &srv,
        &k,
        "/edge/v1/users",
        json!({"user": {"display_name": "Bob"}}),
    )
    .await;
    let team = id(
        &srv,
        &k,
        "/edge/v1/groups",
        json!({"name": "team", "member_users": [ada]}),
    )
    .await;
    let org = id(
        &srv,
        &k,
        "/edge/v1/groups",
        json!({"name": "org", "member_groups": [team]}),
    )
    .await;
    let wiki = id(
        &srv,
        &k,
        "/edge/v1/apps",
        json!({"app": {"name": "wiki", "tags": ["docs"]}}),
    )
    .await;
    let db = id(&srv, &k, "/edge/v1/apps", json!({"app": {"name": "db"}})).await;

    // Standing access for the outer group to every `docs` app.
    let grant = id(
        &srv,
        &k,
        "/edge/v1/accesses",
        json!({"access_type": 1, "user_list": [org], "app_list": ["docs"]}),
    )
    .await;
    let (s, v) = srv
        .get(&format!("/edge/v1/accesses?appid={wiki}&userid={ada}"), &k)
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(uuids(&v, "accesses"), std::slice::from_ref(&grant));
    assert!(uuids(&v, "groups").contains(&org));
    assert!(uuids(&v, "apps").contains(&wiki));
    assert!(uuids(&v, "users").contains(&ada));
    // Not Bob (no group), not the untagged app.
    let (_, v) = srv
        .get(&format!("/edge/v1/accesses?appid={wiki}&userid={bob}"), &k)
        .await;
    assert!(v["accesses"].as_array().unwrap().is_empty(), "{v}");
    let (_, v) = srv
        .get(&format!("/edge/v1/accesses?appid={db}&userid={ada}"), &k)
        .await;
    assert!(v["accesses"].as_array().unwrap().is_empty());

    // Revoking Ada by tag removes her grant.
    let (s, _) = srv
        .patch(
            &format!("/edge/v1/accesses/{grant}"),
            &k,
            json!({"access": {"revoked_user_list": ["eng"]}}),
        )
        .await;
    assert_eq!(s, 200);
    let (_, v) = srv
        .get(&format!("/edge/v1/accesses?appid={wiki}&userid={ada}"), &k)
        .await;
    assert!(v["accesses"].as_array().unwrap().is_empty(), "{v}");

    // Just-in-time access: granted until end_time, not after.
    let now = bulwark_core::clock::now_ms();
    let jit = id(
        &srv,
        &k,
        "/edge/v1/accesses",
        json!({"access_type": 2, "user_list": [bob], "app_list": [db], "end_time": now + 600_000}),
    )
    .await;
    let (_, v) = srv
        .get(&format!("/edge/v1/accesses?appid={db}&userid={bob}"), &k)
        .await;
    assert_eq!(uuids(&v, "accesses"), std::slice::from_ref(&jit));
    srv.patch(
        &format!("/edge/v1/accesses/{jit}"),
        &k,
        json!({"access": {"end_time": now - 1000}}),
    )
    .await;
    let (_, v) = srv
        .get(&format!("/edge/v1/accesses?appid={db}&userid={bob}"), &k)
        .await;
    assert!(v["accesses"].as_array().unwrap().is_empty());

    // Suspending the inner group cuts the chain.
    srv.patch(
        &format!("/edge/v1/accesses/{grant}"),
        &k,
        json!({"attributes_to_delete": ["revoked_user_list"]}),
    )
    .await;
    let (_, v) = srv
        .get(&format!("/edge/v1/accesses?appid={wiki}&userid={ada}"), &k)
        .await;
    assert_eq!(uuids(&v, "accesses"), std::slice::from_ref(&grant));
    srv.patch(&format!("/edge/v1/groups/{team}"), &k, json!({"status": 3}))
        .await;
    let (_, v) = srv
        .get(&format!("/edge/v1/accesses?appid={wiki}&userid={ada}"), &k)
        .await;
    assert!(v["accesses"].as_array().unwrap().is_empty());

    assert_eq!(
        srv.post("/edge/v1/accesses", &k, json!({"access_type": 9}))
            .await
            .0,
        400
    );
    assert_eq!(
        srv.get("/edge/v1/accesses?appid=x", &k).await.0,
        400,
        "userid is required"
    );
    // Another account sees none of it.
    let other = env.token("globex", "admin").await;
    let (_, v) = srv
        .get(
            &format!("/edge/v1/accesses?appid={wiki}&userid={ada}"),
            &other,
        )
        .await;
    assert!(v["accesses"].as_array().unwrap().is_empty());
    assert_eq!(
        srv.get(&format!("/edge/v1/accesses/{grant}"), &other)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn policies_are_evaluated_in_priority_order() {
    let env = Env::new().await;
    let k = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let ada = id(
        &srv,
        &k,
        "/edge/v1/users",
        json!({"user": {"display_name": "Ada", "tags": ["eng"]}}),
    )
    .await;
    let bob = id(
        &srv,
        &k,
        "/edge/v1/users",
        json!({"user": {"display_name": "Bob", "tags": ["sales"]}}),
    )
    .await;
    let team = id(
        &srv,
        &k,
        "/edge/v1/groups",
        json!({"name": "Engineering", "member_users": [ada]}),
    )
    .await;
    let wiki = id(
        &srv,
        &k,
        "/edge/v1/apps",
        json!({"app": {"name": "wiki", "tags": ["docs"]}}),
    )
    .await;

    let block = id(&srv, &k, "/edge/v1/policies", json!({"name": "block eng on docs", "type": 1, "action": 2, "priority": 20,
        "session_filter": {"include_any": [{"all": ["eng"]}]}, "app_filter": {"include_any": [{"all": ["docs"]}]}})).await;
    let allow = id(&srv, &k, "/edge/v1/policies", json!({"name": "allow team", "type": 1, "action": 1, "priority": 5,
        "session_filter": {"include_any": [{"all": [team.clone()]}]}, "app_filter": {"include_any": [{"all": [wiki.clone()]}]}})).await;
    let _except = id(
        &srv,
        &k,
        "/edge/v1/policies",
        json!({"name": "everyone but eng", "type": 1, "action": 3, "priority": 1,
        "session_filter": {"include_any": [], "exclude_any": [{"all": ["eng"]}]}}),
    )
    .await;

    let (s, v) = srv
        .get(
            &format!("/edge/v1/policies?appid={wiki}&userid={ada}&resolveDisplayNames=true"),
            &k,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let order: Vec<&str> = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [allow.as_str(), block.as_str()],
        "smaller priority first; the exclusion skips Ada"
    );
    assert_eq!(
        v["policies"][0]["filter_selector_display_names"][&team],
        "Engineering"
    );
    assert_eq!(
        v["policies"][0]["filter_selector_display_names"][&wiki],
        "wiki"
    );
    let (_, v) = srv
        .get(
            &format!("/edge/v1/policies?appid={wiki}&userid={bob}&resolveDisplayNames=false"),
            &k,
        )
        .await;
    let names: Vec<&str> = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["everyone but eng"]);
    assert!(
        v["policies"][0]
            .get("filter_selector_display_names")
            .is_none()
    );

    // Optimistic concurrency on update.
    let (_, cur) = srv.get(&format!("/edge/v1/policies/{block}"), &k).await;
    let t = cur["update_time"].as_i64().unwrap();
    let (s, upd) = srv
        .patch(
            &format!("/edge/v1/policies/{block}"),
            &k,
            json!({"expected_update_time": t, "policy": {"priority": 2}}),
        )
        .await;
    assert_eq!(s, 200, "{upd}");
    let (s, stale) = srv
        .patch(
            &format!("/edge/v1/policies/{block}"),
            &k,
            json!({"expected_update_time": t, "policy": {"priority": 30}}),
        )
        .await;
    assert_eq!(s, 409, "{stale}");
    let (_, v) = srv
        .get(&format!("/edge/v1/policies?appid={wiki}&userid={ada}"), &k)
        .await;
    assert_eq!(
        v["policies"][0]["uuid"],
        block.as_str(),
        "priority 2 now comes first"
    );

    // Suspended policies drop out; listing without appid/userid shows all.
    srv.patch(
        &format!("/edge/v1/policies/{allow}"),
        &k,
        json!({"policy": {"status": 3}}),
    )
    .await;
    let (_, v) = srv
        .get(&format!("/edge/v1/policies?appid={wiki}&userid={ada}"), &k)
        .await;
    assert_eq!(v["policies"].as_array().unwrap().len(), 1);
    let (_, all) = srv.get("/edge/v1/policies", &k).await;
    assert_eq!(all["policies"].as_array().unwrap().len(), 3);

    for bad in [
        json!({"action": 7}),
        json!({"type": 9}),
        json!({"session_filter": {"include_any": [{"all": [1]}]}}),
        json!({"priority": "high"}),
    ] {
        assert_eq!(
            srv.post("/edge/v1/policies", &k, bad.clone()).await.0,
            400,
            "{bad}"
        );
    }
    let reader = env.token("acme", "read_only").await;
    assert_eq!(
        srv.post("/edge/v1/policies", &reader, json!({"action": 1}))
            .await
            .0,
        403
    );
}
