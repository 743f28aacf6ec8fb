//! App control policies and countries.

use serde_json::json;

use super::{id, names, post_ok};
use crate::support::Env;

#[tokio::test]
async fn app_control_policies_are_enforced_by_child_policies() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let base = "/edge/v1/app-control-policies";
    let (_, user) = srv
        .post(
            "/edge/v1/users",
            &admin,
            json!({"user": {"display_name": "Con", "tags": ["contractor"]}}),
        )
        .await;
    let user_id = user["user"]["uuid"].as_str().unwrap().to_string();
    let (_, app) = srv
        .post(
            "/edge/v1/apps",
            &admin,
            json!({"app": {"name": "ledger", "tags": ["finance"]}}),
        )
        .await;
    let app_id = id(&app);

    let p = post_ok(
        &srv,
        base,
        &admin,
        json!({"account_name": "acme", "name": "contractors in finance",
            "session_filter": {"include_any": [{"all": ["contractor"]}]},
            "app_filter": {"include_any": [{"all": ["finance"]}]},
            "policy_event_actions": [{"event_type": 3, "action": 2, "policy_uuid": "mine"},
                                     {"event_type": 1, "action": 400}],
            "child_policy_uuids": ["mine"], "status": 2}),
        201,
    )
    .await;
    let children: Vec<String> = p["child_policy_uuids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(children.len(), 2);
    assert!(!children.contains(&"mine".to_string()));
    assert_eq!(
        p["policy_event_actions"][0]["policy_uuid"],
        children[0].as_str()
    );
    let upload = children[0].clone();
    let (s, child) = srv
        .get(&format!("/edge/v1/policies/{upload}"), &reader)
        .await;
    assert_eq!(s, 200, "{child}");
    assert_eq!(
        (
            child["type"].as_i64(),
            child["action"].as_i64(),
            child["policy_event_type"].as_i64()
        ),
        (Some(4), Some(2), Some(3))
    );
    assert_eq!(child["parent_app_control_policy_uuid"], id(&p).as_str());
    assert_eq!(child["session_filter"], p["session_filter"]);

    // The evaluator lists the children for a matching user and app.
    let q = format!("/edge/v1/policies?appid={app_id}&userid={user_id}");
    let (s, hits) = srv.get(&q, &reader).await;
    assert_eq!(s, 200, "{hits}");
    let mut hit_ids: Vec<String> = hits["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["uuid"].as_str().unwrap().to_string())
        .collect();
    hit_ids.sort();
    let mut want = children.clone();
    want.sort();
    assert_eq!(hit_ids, want);

    for bad in [
        json!({"name": "x", "policy_event_actions": [{"event_type": 3, "action": 2}, {"event_type": 3, "action": 1}]}),
        json!({"name": "x", "policy_event_actions": [{"event_type": 9, "action": 2}]}),
        json!({"name": "x", "policy_event_actions": [{"event_type": 1, "action": 300}]}),
        json!({"name": "x", "policy_event_actions": [{"action": 2}]}),
        json!({"name": "x", "status": 3}),
        json!({"name": "x", "session_filter": {"include_any": [{"all": [1]}]}}),
        json!({"description": "no name"}),
    ] {
        assert_eq!(srv.post(base, &admin, bad.clone()).await.0, 400, "{bad}");
    }
    assert_eq!(srv.post(base, &reader, json!({"name": "x"})).await.0, 403);
    let wrong = json!({"account_name": "globex", "name": "x"});
    assert_eq!(srv.post(base, &admin, wrong).await.0, 403);

    let path = format!("{base}/{}", id(&p));
    let (s, got) = srv.get(&path, &reader).await;
    assert_eq!(
        (s, got["name"].as_str()),
        (200, Some("contractors in finance"))
    );
    assert_eq!(srv.get(&path, &other).await.0, 404);
    let (_, list) = srv.get(base, &reader).await;
    assert_eq!(
        names(&list, "app_control_policies"),
        ["contractors in finance"]
    );
    let (_, theirs) = srv.get(base, &other).await;
    assert_eq!(theirs["app_control_policies"], json!([]));

    // Update: UPLOAD keeps its child, COPY's goes, PRINT's comes; status follows.
    let (s, u) = srv
        .patch(
            &path,
            &admin,
            json!({"policy_event_actions": [{"event_type": 3, "action": 1}, {"event_type": 5, "action": 2}],
                "status": 3}),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    let now: Vec<&str> = u["child_policy_uuids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(now.len(), 2);
    assert_eq!(now[0], upload);
    assert_eq!(u["name"], "contractors in finance");
    let (_, c0) = srv
        .get(&format!("/edge/v1/policies/{upload}"), &reader)
        .await;
    assert_eq!(
        (c0["action"].as_i64(), c0["status"].as_i64()),
        (Some(1), Some(3))
    );
    let (_, gone) = srv
        .get(&format!("/edge/v1/policies/{}", children[1]), &reader)
        .await;
    assert_eq!(gone["status"], 4);
    let (_, print) = srv
        .get(&format!("/edge/v1/policies/{}", now[1]), &reader)
        .await;
    assert_eq!(
        (
            print["policy_event_type"].as_i64(),
            print["status"].as_i64()
        ),
        (Some(5), Some(3))
    );
    let bad = json!({"policy_event_actions": [{"event_type": 2, "action": 7}]});
    assert_eq!(srv.patch(&path, &admin, bad).await.0, 400);
    let bad = json!({"attributes_to_delete": ["child_policy_uuids"]});
    assert_eq!(srv.patch(&path, &admin, bad).await.0, 400);
    assert_eq!(srv.patch(&path, &other, json!({"name": "x"})).await.0, 404);

    assert_eq!(srv.delete(&path, &other).await.0, 404);
    let (s, d) = srv.delete(&path, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    let (_, c0) = srv
        .get(&format!("/edge/v1/policies/{upload}"), &reader)
        .await;
    assert_eq!(c0["status"], 4);
    let (_, list) = srv.get(base, &reader).await;
    assert_eq!(list["app_control_policies"], json!([]));
}

#[tokio::test]
async fn countries_come_from_the_static_table() {
    let env = Env::new().await;
    let user = env.token("acme", "user").await;
    let srv = env.serve().await;
    let (s, all) = srv.get("/edge/v1/countries", &user).await;
    assert_eq!(s, 200);
    let list = all["countries"].as_array().unwrap();
    assert!(list.len() > 240, "{}", list.len());
    let (_, some) = srv
        .get("/edge/v1/countries?country_code=gb,JP", &user)
        .await;
    assert_eq!(
        some["countries"],
        json!([
            {"city_name": "London", "country": "Britain (UK)", "country_code": "GB",
             "latitude": "51.5083", "longitude": "-0.1253", "region_name": "Europe",
             "time_zone": "+00:00", "time_zone_name": "Europe/London"},
            {"city_name": "Tokyo", "country": "Japan", "country_code": "JP",
             "latitude": "35.6544", "longitude": "139.7447", "region_name": "Asia",
             "time_zone": "+09:00", "time_zone_name": "Asia/Tokyo"}
        ])
    );
    assert_eq!(srv.get("/edge/v1/countries", "not-a-key").await.0, 401);
}
