//! Accounts, onboarding and temporary tokens.

use serde_json::json;

use super::{id, names, post_ok};
use crate::support::Env;

#[tokio::test]
async fn accounts_show_only_their_own_details_and_record_the_eula_signature() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;

    let (s, a) = srv.get("/edge/v1/accounts/acme", &reader).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(
        (a["name"].as_str(), a["status"].as_i64()),
        (Some("acme"), Some(2))
    );
    assert!(uuid::Uuid::parse_str(a["uuid"].as_str().unwrap()).is_ok());
    assert!(a["create_time"].as_i64().unwrap() > 0);
    assert_eq!(a["idp_metadata"], "", "no SAML set up");
    assert_eq!(srv.get("/edge/v1/accounts/globex", &admin).await.0, 404);
    assert_eq!(srv.get("/edge/v1/accounts/nope", &admin).await.0, 404);
    let (_, list) = srv.get("/edge/v1/accounts", &reader).await;
    assert_eq!(names(&list, "accounts"), ["acme"]);

    let path = "/edge/v1/accounts/acme/onboarding";
    let (s, o) = srv.get(path, &reader).await;
    assert_eq!((s, o.clone()), (200, json!({})));
    let (s, o) = srv
        .patch(
            path,
            &admin,
            json!({"account_name": "acme", "onboarding": {"completed_steps": ["idp", "apps"],
                "eula_signing_user": "forged", "eula_signing_time": 1}}),
        )
        .await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["completed_steps"], json!(["idp", "apps"]));
    assert!(o.get("eula_signing_user").is_none(), "{o}");
    let (_, o) = srv
        .patch(
            path,
            &admin,
            json!({"onboarding": {"completed_steps": ["apps", "users"], "eula_signed": true,
                "eula_version": "2024-01"}}),
        )
        .await;
    assert_eq!(o["completed_steps"], json!(["idp", "apps", "users"]));
    assert_eq!(o["eula_signed"], true);
    assert_eq!(o["eula_signing_ip"], "127.0.0.1");
    assert_eq!(o["eula_signing_user_display_name"], "admin-cli");
    let signed_at = o["eula_signing_time"].as_i64().unwrap();
    assert!(signed_at > 1);
    let (_, got) = srv.get(path, &reader).await;
    assert_eq!(got, o);
    let (_, acct) = srv.get("/edge/v1/accounts/acme", &reader).await;
    assert_eq!(acct["onboarding"], o);

    for bad in [
        json!({"onboarding": {"eula_signed": false}}),
        json!({"onboarding": {"eula_signed": "yes"}}),
        json!({"onboarding": {"completed_steps": [""]}}),
        json!({"account_name": "globex", "onboarding": {}}),
    ] {
        assert_eq!(srv.patch(path, &admin, bad.clone()).await.0, 400, "{bad}");
    }
    let steps = json!({"onboarding": {"completed_steps": ["x"]}});
    assert_eq!(srv.patch(path, &reader, steps.clone()).await.0, 403);
    assert_eq!(srv.patch(path, &other, steps.clone()).await.0, 404);
    assert_eq!(srv.get(path, &other).await.0, 404);
    let (_, theirs) = srv.get("/edge/v1/accounts/globex/onboarding", &other).await;
    assert_eq!(theirs, json!({}));
}

#[tokio::test]
async fn temporary_tokens_view_one_users_logs_once_and_expire() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let (_, u) = srv
        .post(
            "/edge/v1/users",
            &admin,
            json!({"user": {"display_name": "Ada"}, "user_pii": {"email": "ada@example.com"}}),
        )
        .await;
    let ada = u["user"]["uuid"].as_str().unwrap().to_string();
    let base = "/edge/v1/temporary-tokens";

    let t = post_ok(
        &srv,
        base,
        &admin,
        json!({"account_name": "acme", "ttl_sec": 600, "user_uuid": ada}),
        201,
    )
    .await;
    let secret = t["secret"].as_str().unwrap().to_string();
    assert_eq!(t["view_pii_log_only"], true);
    assert_eq!(t["role"], 12, "pii_viewer");
    assert_eq!(t["user_uuid"], ada.as_str());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let expiry = t["expire_time_sec"].as_i64().unwrap();
    assert!((now + 590..=now + 610).contains(&expiry), "{expiry}");

    for bad in [
        json!({"ttl_sec": 0, "user_uuid": ada}),
        json!({"ttl_sec": 700_000, "user_uuid": ada}),
        json!({"ttl_sec": 60}),
        json!({"ttl_sec": 60, "user_uuid": "nope"}),
        json!({"ttl_sec": 60, "user_uuid": uuid::Uuid::new_v4().to_string()}),
    ] {
        assert_eq!(srv.post(base, &admin, bad.clone()).await.0, 400, "{bad}");
    }
    let ok = json!({"ttl_sec": 60, "user_uuid": ada});
    assert_eq!(srv.post(base, &reader, ok.clone()).await.0, 403);
    assert_eq!(
        srv.post(base, &other, ok).await.0,
        400,
        "another account's user"
    );
    let wrong = json!({"account_name": "globex", "ttl_sec": 60, "user_uuid": ada});
    assert_eq!(srv.post(base, &admin, wrong).await.0, 403);

    // The token sees its one user, once; it can't read the account's users.
    let (s, mine) = srv.get(&format!("{base}/users"), &secret).await;
    assert_eq!(s, 200, "{mine}");
    assert_eq!(mine["users"][0]["uuid"], ada.as_str());
    assert_eq!(mine["users"].as_array().unwrap().len(), 1);
    assert_eq!(srv.get(&format!("{base}/users"), &secret).await.0, 401);
    let t2 = post_ok(
        &srv,
        base,
        &admin,
        json!({"ttl_sec": 60, "user_uuid": ada}),
        201,
    )
    .await;
    let s2 = t2["secret"].as_str().unwrap();
    assert_eq!(srv.get("/edge/v1/users", s2).await.0, 403);

    // Admins see which users are open to temporary tokens; other accounts see none.
    let (_, open) = srv.get(&format!("{base}/users"), &admin).await;
    assert_eq!(open["users"].as_array().unwrap().len(), 1);
    assert_eq!(open["users"][0]["display_name"], "Ada");
    assert_eq!(srv.get(&format!("{base}/users"), &reader).await.0, 403);
    let (_, theirs) = srv.get(&format!("{base}/users"), &other).await;
    assert_eq!(theirs["users"], json!([]));
    let (_, list) = srv.get(base, &admin).await;
    assert_eq!(list["tokens"].as_array().unwrap().len(), 2);
    assert!(
        list["tokens"][0]["secret"]
            .as_str()
            .unwrap_or("")
            .is_empty()
    );
    let (_, theirs) = srv.get(base, &other).await;
    assert_eq!(theirs["tokens"], json!([]));

    // Revocation (beyond the seed); ordinary tokens are not temporary ones.
    let t2_path = format!("{base}/{}", id(&t2));
    assert_eq!(srv.delete(&t2_path, &other).await.0, 404);
    let (_, plain) = srv
        .post(
            "/edge/v1/tokens",
            &admin,
            json!({"name": "plain", "role": 2}),
        )
        .await;
    assert_eq!(
        srv.delete(&format!("{base}/{}", id(&plain)), &admin)
            .await
            .0,
        404
    );
    let (s, d) = srv.delete(&t2_path, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    assert_eq!(srv.get(&format!("{base}/users"), s2).await.0, 401);
    let (_, list) = srv.get(base, &admin).await;
    assert_eq!(list["tokens"].as_array().unwrap().len(), 1);
}
