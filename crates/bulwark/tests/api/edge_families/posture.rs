//! Posture attributes and profiles.

use serde_json::json;

use super::{id, names, post_ok};
use crate::support::Env;

#[tokio::test]
async fn posture_attributes_and_profiles_reference_live_attributes_only() {
    let env = Env::new().await;
    let admin = env.token("acme", "security_admin").await;
    let reader = env.token("acme", "read_only").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let attrs = "/edge/v1/posture-attributes";
    let profiles = "/edge/v1/posture-profiles";

    let edr = post_ok(
        &srv,
        attrs,
        &admin,
        json!({"account_name": "acme", "name": "edr", "attribute_type": 1,
            "description": "EDR agent runs", "supported_platforms": [1, 2],
            "required_processes": [
                {"platform": 1, "process_regex": "^edr\\.exe$", "cert_thumbprint": "ab".repeat(20)},
                {"platform": 2, "bundle_id": "com.edr.agent", "team_id": "T123"}],
            "uuid": "ignored", "create_time": 5}),
        201,
    )
    .await;
    let edr_id = id(&edr);
    assert_ne!(edr_id, "ignored");
    assert_eq!(edr["attribute_type"], 1);
    assert_eq!(edr["required_processes"][1]["team_id"], "T123");
    assert_eq!(edr["account_name"], "acme");
    assert!(edr["create_time"].as_i64().unwrap() > 5);
    assert!(edr["creator_uuid"].as_str().is_some_and(|s| !s.is_empty()));
    let win_fw = post_ok(
        &srv,
        attrs,
        &admin,
        json!({"name": "firewall", "attribute_type": 3, "supported_platforms": [1]}),
        201,
    )
    .await;
    let disk = post_ok(
        &srv,
        attrs,
        &admin,
        json!({"name": "disk", "attribute_type": 2}),
        201,
    )
    .await;

    // Documented errors of "Add posture attribute".
    for bad in [
        json!({"name": "x", "attribute_type": 1}),
        json!({"name": "x", "attribute_type": 9}),
        json!({"name": "x", "attribute_type": 1, "required_processes": [{"process_regex": "("}]}),
        json!({"name": "x", "attribute_type": 1, "required_processes": [{"platform": 1}]}),
        json!({"name": "x", "attribute_type": 2, "required_processes": [{"process_regex": "a"}]}),
        json!({"attribute_type": 2}),
        json!({"name": "x", "supported_platforms": "1"}),
    ] {
        assert_eq!(srv.post(attrs, &admin, bad.clone()).await.0, 400, "{bad}");
    }
    let forbidden = json!({"name": "x", "attribute_type": 2});
    assert_eq!(srv.post(attrs, &reader, forbidden.clone()).await.0, 403);
    let wrong_acct = json!({"account_name": "globex", "name": "x"});
    assert_eq!(srv.post(attrs, &admin, wrong_acct).await.0, 403);

    // Get, query, paging, cross-account.
    let edr_path = format!("{attrs}/{edr_id}");
    let (s, got) = srv.get(&edr_path, &reader).await;
    assert_eq!((s, got["name"].as_str()), (200, Some("edr")));
    assert_eq!(srv.get(&edr_path, &other).await.0, 404);
    assert_eq!(srv.get(&format!("{attrs}/not-a-uuid"), &admin).await.0, 404);
    let (s, all) = srv.get(attrs, &reader).await;
    assert_eq!(s, 200);
    assert_eq!(
        names(&all, "posture_attributes"),
        ["disk", "edr", "firewall"]
    );
    let (_, page) = srv.get(&format!("{attrs}?limit=2&offset=1"), &reader).await;
    assert_eq!(page["posture_attributes"].as_array().unwrap().len(), 2);
    let (_, theirs) = srv.get(attrs, &other).await;
    assert_eq!(theirs["posture_attributes"], json!([]));

    // Partial update; the type and server fields cannot be reset.
    let (s, u) = srv
        .patch(
            &edr_path,
            &admin,
            json!({"description": "EDR must run", "uuid": edr_id}),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    assert_eq!(
        (u["name"].as_str(), u["description"].as_str()),
        (Some("edr"), Some("EDR must run"))
    );
    assert!(u["update_time"].as_i64() > edr["update_time"].as_i64());
    let (_, u) = srv
        .patch(
            &edr_path,
            &admin,
            json!({"attributes_to_delete": ["description"]}),
        )
        .await;
    assert_eq!(u["description"], "");
    for bad in [
        json!({"attributes_to_delete": ["attribute_type"]}),
        json!({"attributes_to_delete": ["required_processes"]}),
        json!({"uuid": disk["uuid"], "name": "y"}),
        json!({"supported_platforms": [7]}),
    ] {
        assert_eq!(
            srv.patch(&edr_path, &admin, bad.clone()).await.0,
            400,
            "{bad}"
        );
    }
    let rename = json!({"name": "mine"});
    assert_eq!(srv.patch(&edr_path, &other, rename.clone()).await.0, 404);
    assert_eq!(srv.patch(&edr_path, &reader, rename).await.0, 403);

    // Profiles reference live attributes of the same account, on a supported platform.
    let mac = post_ok(
        &srv,
        profiles,
        &admin,
        json!({"name": "mac baseline", "platform": 2, "attribute_uuids": [edr_id, id(&disk)],
            "posture_tag_value": "mac_compliant"}),
        201,
    )
    .await;
    let mac_path = format!("{profiles}/{}", id(&mac));
    assert_eq!(mac["attribute_uuids"][0], edr_id.as_str());
    assert_eq!(mac["posture_tag_value"], "mac_compliant");
    for bad in [
        json!({"name": "p", "platform": 2, "attribute_uuids": [id(&win_fw)]}),
        json!({"name": "p", "attribute_uuids": [uuid::Uuid::new_v4().to_string()]}),
        json!({"name": "p", "attribute_uuids": ["nope"]}),
        json!({"name": "p", "attribute_uuids": [edr_id, edr_id]}),
        json!({"name": "p", "platform": 8}),
        json!({"platform": 1}),
    ] {
        assert_eq!(
            srv.post(profiles, &admin, bad.clone()).await.0,
            400,
            "{bad}"
        );
    }
    let steal = json!({"name": "p", "attribute_uuids": [edr_id]});
    assert_eq!(srv.post(profiles, &other, steal).await.0, 400);
    assert_eq!(srv.get(&mac_path, &other).await.0, 404);
    let (s, got) = srv.get(&mac_path, &reader).await;
    assert_eq!((s, got["platform"].as_i64()), (200, Some(2)));
    let (_, list) = srv.get(profiles, &reader).await;
    assert_eq!(names(&list, "posture_profiles"), ["mac baseline"]);

    // Update: the resulting list is checked again.
    let bad = json!({"attribute_uuids": [id(&win_fw)]});
    assert_eq!(srv.patch(&mac_path, &admin, bad).await.0, 400);
    let (s, u) = srv
        .patch(&mac_path, &admin, json!({"attribute_uuids": [edr_id]}))
        .await;
    assert_eq!(
        (s, u["attribute_uuids"].as_array().map(Vec::len)),
        (200, Some(1))
    );
    assert_eq!(u["name"], "mac baseline");
    let bad = json!({"attributes_to_delete": ["platform"]});
    assert_eq!(srv.patch(&mac_path, &admin, bad).await.0, 400);
    assert_eq!(
        srv.patch(&mac_path, &other, json!({"name": "x"})).await.0,
        404
    );

    // A referenced attribute can't be deleted; once unreferenced it can, and then it
    // can't be referenced any more.
    let (s, v) = srv.delete(&edr_path, &admin).await;
    assert_eq!(s, 409, "{v}");
    assert_eq!(srv.delete(&edr_path, &other).await.0, 404);
    let (s, u) = srv
        .patch(
            &mac_path,
            &admin,
            json!({"attributes_to_delete": ["attribute_uuids"]}),
        )
        .await;
    assert_eq!((s, u["attribute_uuids"].clone()), (200, json!([])));
    let (s, d) = srv.delete(&edr_path, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    let again = json!({"attribute_uuids": [edr_id]});
    assert_eq!(srv.patch(&mac_path, &admin, again).await.0, 400);
    let again = json!({"name": "q", "attribute_uuids": [edr_id]});
    assert_eq!(srv.post(profiles, &admin, again).await.0, 400);
    let (_, live) = srv.get(attrs, &reader).await;
    assert_eq!(names(&live, "posture_attributes"), ["disk", "firewall"]);
    let (_, gone) = srv.get(&format!("{attrs}?status=DELETED"), &reader).await;
    assert_eq!(names(&gone, "posture_attributes"), ["edr"]);

    // Soft delete of a profile.
    assert_eq!(srv.delete(&mac_path, &other).await.0, 404);
    let (s, d) = srv.delete(&mac_path, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    let (_, list) = srv.get(profiles, &reader).await;
    assert_eq!(list["posture_profiles"], json!([]));
}
