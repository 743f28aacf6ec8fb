//! OIDC login (beyond the seed) against a real provider: PyPI's `oidc-provider-mock`
//! (authlib underneath) on 127.0.0.1, with client registration and nonces required.

use std::process::Stdio;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use crate::login_saml::{browser, put_sso, python, start_login, user};
use crate::support::{Env, Server};

struct Provider {
    _child: Child,
    issuer: String,
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

impl Provider {
    async fn start() -> Provider {
        let port = free_port();
        let child = Command::new(python("oidc_provider_mock"))
            .args(["-m", "oidc_provider_mock", "--host", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .args(["--require-registration", "--require-nonce"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let issuer = format!("http://127.0.0.1:{port}");
        let url = format!("{issuer}/.well-known/openid-configuration");
        for _ in 0..300 {
            if let Ok(r) = browser().get(&url).send().await
                && r.status().is_success()
            {
                return Provider {
                    _child: child,
                    issuer,
                };
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("oidc-provider-mock did not start on {issuer}");
    }

    /// Registers a client for `redirect_uri`; its id and secret.
    async fn register(&self, redirect_uri: &str) -> (String, String) {
        let v: Value = browser()
            .post(format!("{}/oauth2/clients", self.issuer))
            .json(&json!({"redirect_uris": [redirect_uri]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (
            v["client_id"].as_str().unwrap().to_string(),
            v["client_secret"].as_str().unwrap().to_string(),
        )
    }

    async fn set_user(&self, sub: &str, claims: Value) {
        let r = browser()
            .put(format!("{}/users/{sub}", self.issuer))
            .json(&claims)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    }

    /// Submits the provider's sign-in form as `sub`; the redirect back to us.
    async fn sign_in(&self, authorize_url: &str, sub: &str) -> String {
        let r = browser()
            .post(authorize_url)
            .form(&[("sub", sub)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302, "{}", r.text().await.unwrap());
        r.headers()["location"].to_str().unwrap().to_string()
    }
}

async fn callback(srv: &Server, url: &str) -> (u16, Value) {
    assert!(url.starts_with(&srv.base), "{url}");
    let r = browser().get(url).send().await.unwrap();
    let s = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        s,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn oidc_login_verifies_the_id_token_and_honours_groups() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let op = Provider::start().await;
    let redirect_uri = format!("{}/edge/v1/login/oidc/callback", srv.base);
    let (client_id, secret) = op.register(&redirect_uri).await;

    let ada = user(&srv, &admin, "ada@example.com", 1).await;
    let (_, eng) = srv
        .post("/edge/v1/groups", &admin, json!({"name": "eng"}))
        .await;
    let (_, ops) = srv
        .post("/edge/v1/groups", &admin, json!({"name": "ops"}))
        .await;
    let eng = eng["uuid"].as_str().unwrap().to_string();
    op.set_user(
        "ada",
        json!({"email": "ada@example.com", "groups": ["eng", "not-a-group-here"]}),
    )
    .await;

    let (s, cfg) = put_sso(
        &srv,
        &admin,
        "acme",
        json!({"oidc": {"issuer": op.issuer, "client_id": client_id, "client_secret": secret}}),
    )
    .await;
    assert_eq!(s, 200, "{cfg}");
    assert_eq!(cfg["oidc"]["redirect_uri"], redirect_uri.as_str());
    assert_eq!(cfg["oidc"]["client_secret_set"], true);
    assert!(
        !cfg.to_string().contains(&secret),
        "the secret is never returned"
    );

    // Happy path: the session is the user's, its JWT works, and `groups` made the user
    // a member of the account's `eng` group (reported in `tags`); `ops` is untouched.
    let (s, authorize) = start_login(&srv, "account=acme&protocol=oidc").await;
    assert_eq!(s, 302, "{authorize}");
    assert!(authorize.starts_with(&format!("{}/oauth2/authorize?", op.issuer)));
    assert!(authorize.contains("code_challenge_method=S256") && authorize.contains("&nonce="));
    let back = op.sign_in(&authorize, "ada").await;
    let (s, session) = callback(&srv, &back).await;
    assert_eq!(s, 200, "{session}");
    assert_eq!(session["login_type"], 3);
    assert_eq!(session["user_uuid"], ada.as_str());
    assert_eq!(session["tags"], json!([eng]));
    let jwt = session["token"].as_str().unwrap();
    let (s, me) = srv
        .call(
            Method::GET,
            "/bulwark/v1/whoami",
            Some(&format!("Bearer {jwt}")),
            None,
        )
        .await;
    assert_eq!((s, me["user_uuid"].as_str()), (200, Some(ada.as_str())));
    let (_, g) = srv.get(&format!("/edge/v1/groups/{eng}"), &admin).await;
    assert_eq!(g["member_users"], json!([ada]));
    let (_, g) = srv
        .get(
            &format!("/edge/v1/groups/{}", ops["uuid"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert!(
        g["member_users"].as_array().is_none_or(Vec::is_empty),
        "{g}"
    );

    // The same callback again: the state was used.
    let (s, e) = callback(&srv, &back).await;
    assert_eq!(s, 403, "{e}");

    // A state we never issued.
    let (s, e) = callback(&srv, &format!("{redirect_uri}?code=x&state=forged")).await;
    assert_eq!(s, 403, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("unknown or expired oidc login")
    );

    // A token minted for another nonce (the authorization request was altered).
    let (_, authorize) = start_login(&srv, "account=acme&protocol=oidc").await;
    let nonce = authorize
        .split("&nonce=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let altered = authorize.replace(&format!("&nonce={nonce}"), "&nonce=attacker");
    let back = op.sign_in(&altered, "ada").await;
    let (s, e) = callback(&srv, &back).await;
    assert_eq!(s, 403, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("wrong nonce"),
        "{e}"
    );

    // A subject that is no user of the account.
    op.set_user("zed", json!({"email": "zed@example.com"}))
        .await;
    let (_, authorize) = start_login(&srv, "account=acme&protocol=oidc").await;
    let back = op.sign_in(&authorize, "zed").await;
    let (s, e) = callback(&srv, &back).await;
    assert_eq!(s, 403, "{e}");

    // Another account without OIDC cannot start one.
    env.token("beta", "admin").await;
    let (s, body) = start_login(&srv, "account=beta&protocol=oidc").await;
    assert_eq!(s, 403, "{body}");
}
