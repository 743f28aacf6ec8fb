//! E065 Login by SAML 2.0 against a real IdP: pysaml2's `saml2.server.Server`
//! (tests/fixtures/saml_idp.py) on 127.0.0.1 builds and signs every response. The test
//! plays the browser, and an attacker: it edits genuine responses to tamper with them.

use std::process::Stdio;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use reqwest::{Client, Method, redirect};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::support::{Env, Server};

/// The Python that has pysaml2 / oidc-provider-mock: `BULWARK_TEST_PYTHON` (set by
/// scripts/test.sh), else `python3` if it has `module`. Missing is a failure, not a
/// skip: these tests are the proof that login verifies what it must.
pub fn python(module: &str) -> String {
    if let Ok(p) = std::env::var("BULWARK_TEST_PYTHON")
        && !p.is_empty()
    {
        return p;
    }
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "python module `{module}` not found: run scripts/test.sh (it installs it) or set \
         BULWARK_TEST_PYTHON to a python that has it"
    );
    "python3".into()
}

/// A client that does not follow redirects: the test is the browser.
pub fn browser() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub struct SamlIdp {
    _child: Child,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl SamlIdp {
    /// Starts an IdP that knows the server `srv` as its service provider.
    pub async fn start(srv: &Server) -> SamlIdp {
        let dir = tempfile::tempdir().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/saml_idp.py");
        let mut child = Command::new(python("saml2"))
            .arg(script)
            .args([
                "--sp-entity",
                &format!("{}/edge/v1/login/saml/metadata", srv.base),
            ])
            .args(["--acs", &format!("{}/edge/v1/login/saml/acs", srv.base)])
            .args(["--workdir", dir.path().to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("SAML IdP did not start within 60 s")
            .unwrap()
            .expect("SAML IdP exited");
        let base = line.strip_prefix("listening ").unwrap().trim().to_string();
        SamlIdp {
            _child: child,
            base,
            _dir: dir,
        }
    }

    pub async fn metadata(&self) -> String {
        browser()
            .get(format!("{}/metadata", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Follows the IdP redirect our server gave as `user` signing in; returns the form
    /// the browser would POST to the ACS.
    pub async fn sign_in(&self, idp_url: &str, user: &str, extra: &str) -> (String, String) {
        let resp = browser()
            .get(format!("{idp_url}&user={user}{extra}"))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body = resp.text().await.unwrap();
        assert_eq!(status, 200, "IdP refused: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        (
            v["SAMLResponse"].as_str().unwrap().to_string(),
            v["RelayState"].as_str().unwrap().to_string(),
        )
    }
}

/// Starts a login; returns the IdP URL our server redirected to.
pub async fn start_login(srv: &Server, query: &str) -> (u16, String) {
    let resp = browser()
        .get(format!("{}/edge/v1/login?{query}", srv.base))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let loc = resp
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = resp.text().await.unwrap();
    (status, loc.unwrap_or(body))
}

async fn post_acs(
    srv: &Server,
    saml: &str,
    relay: &str,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let resp = browser()
        .post(format!("{}/edge/v1/login/saml/acs", srv.base))
        .form(&[("SAMLResponse", saml), ("RelayState", relay)])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        headers,
    )
}

/// Creates a user with `email` and `role`; returns its uuid.
pub async fn user(srv: &Server, admin: &str, email: &str, role: i64) -> String {
    let (s, u) = srv
        .post(
            "/edge/v1/users",
            admin,
            json!({"send_invitation": false,
                "user": {"display_name": email, "role": role},
                "user_pii": {"email": email}}),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    u["user"]["uuid"].as_str().unwrap().to_string()
}

pub async fn put_sso(srv: &Server, admin: &str, account: &str, body: Value) -> (u16, Value) {
    srv.call(
        Method::PUT,
        &format!("/bulwark/v1/accounts/{account}/sso"),
        Some(&format!("ApiKey {admin}")),
        Some(body),
    )
    .await
}

fn decode(saml: &str) -> String {
    String::from_utf8(B64.decode(saml).unwrap()).unwrap()
}

fn encode(xml: &str) -> String {
    B64.encode(xml)
}

/// `(start, end)` byte range of the first element whose qualified name ends with
/// `:{local}`, in the XML pysaml2 writes (prefixed names, no self-closing elements of
/// these kinds).
fn element(xml: &str, local: &str) -> (usize, usize) {
    let open = xml
        .match_indices('<')
        .map(|(i, _)| i)
        .find(|&i| {
            let name: String = xml[i + 1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>')
                .collect();
            name.ends_with(&format!(":{local}"))
        })
        .unwrap_or_else(|| panic!("no {local} in {xml}"));
    let name: String = xml[open + 1..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>')
        .collect();
    let close = format!("</{name}>");
    let end = xml[open..].find(&close).unwrap() + open + close.len();
    (open, end)
}

/// The same AuthnRequest and RelayState, addressed to the IdP at `idp_base` (the
/// request's `Destination` is rewritten, as an attacker relaying it would).
fn redirect_to(idp_url: &str, idp_base: &str) -> String {
    use std::io::{Read, Write};
    let url = reqwest::Url::parse(idp_url).unwrap();
    let param = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    let mut xml = String::new();
    flate2::read::DeflateDecoder::new(&B64.decode(param("SAMLRequest")).unwrap()[..])
        .read_to_string(&mut xml)
        .unwrap();
    let old_base = format!("{}://{}", url.scheme(), url.host_str().unwrap());
    let old_base = format!("{old_base}:{}", url.port().unwrap());
    let xml = xml.replace(&old_base, idp_base);
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(xml.as_bytes()).unwrap();
    let req = B64.encode(enc.finish().unwrap());
    reqwest::Url::parse_with_params(
        &format!("{idp_base}/sso"),
        &[("SAMLRequest", req), ("RelayState", param("RelayState"))],
    )
    .unwrap()
    .to_string()
}

struct Setup {
    _env: Env,
    srv: Server,
    idp: SamlIdp,
    admin: String,
    ada: String,
    eve: String,
}

async fn setup() -> Setup {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let idp = SamlIdp::start(&srv).await;
    let ada = user(&srv, &admin, "ada@example.com", 3).await;
    let eve = user(&srv, &admin, "eve@example.com", 4).await;
    let (s, cfg) = put_sso(
        &srv,
        &admin,
        "acme",
        json!({"idp_metadata": idp.metadata().await}),
    )
    .await;
    assert_eq!(s, 200, "{cfg}");
    assert_eq!(
        cfg["saml"]["idp_entity_id"],
        format!("{}/metadata", idp.base)
    );
    assert_eq!(cfg["saml"]["idp_sso_url"], format!("{}/sso", idp.base));
    assert_eq!(
        cfg["saml"]["acs_url"],
        format!("{}/edge/v1/login/saml/acs", srv.base)
    );
    // E005 shows the metadata the account logs in with.
    let (_, account) = srv.get("/edge/v1/accounts/acme", &admin).await;
    assert_eq!(
        account["idp_metadata"],
        json!(idp.metadata().await),
        "{account}"
    );
    Setup {
        _env: env,
        srv,
        idp,
        admin,
        ada,
        eve,
    }
}

#[tokio::test]
async fn saml_login_opens_a_session_whose_jwt_works_and_cannot_be_replayed() {
    let t = setup().await;
    let (s, idp_url) = start_login(&t.srv, "account=acme").await;
    assert_eq!(s, 302, "{idp_url}");
    assert!(
        idp_url.starts_with(&format!("{}/sso?SAMLRequest=", t.idp.base)),
        "{idp_url}"
    );
    assert!(idp_url.contains("&RelayState="), "{idp_url}");
    let (saml, relay) = t.idp.sign_in(&idp_url, "Ada@Example.com", "").await;
    let (s, session, _) = post_acs(&t.srv, &saml, &relay).await;
    assert_eq!(s, 200, "{session}");
    assert_eq!(session["account_name"], "acme");
    assert_eq!(session["login_type"], 2);
    assert_eq!(session["user_uuid"], t.ada.as_str());
    assert_eq!(session["user_role"], 3, "the user's own role (analyst)");
    assert!(session["expire_time_sec"].as_i64().unwrap() > 0);

    let jwt = session["token"].as_str().unwrap();
    let (s, me) = t
        .srv
        .call(
            Method::GET,
            "/bulwark/v1/whoami",
            Some(&format!("Bearer {jwt}")),
            None,
        )
        .await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(
        (
            me["auth_type"].as_str(),
            me["user_uuid"].as_str(),
            me["account_name"].as_str()
        ),
        (Some("jwt"), Some(t.ada.as_str()), Some("acme"))
    );

    // The same POST again (a replayed response) is refused.
    let (s, e, _) = post_acs(&t.srv, &saml, &relay).await;
    assert_eq!(s, 403, "{e}");

    // The login is audited (the public callback has no principal for the audit layer),
    // once: the refused replay opened nothing.
    let (_, audit) = t
        .srv
        .get("/edge/v1/audit-events?start_time=0", &t.admin)
        .await;
    let logins: Vec<&Value> = audit["audit_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["op"] == "SamlAcs")
        .collect();
    assert_eq!(logins.len(), 1, "{audit}");
    assert_eq!(logins[0]["auth_type"], "saml");
    assert_eq!(logins[0]["user_login"], t.ada.as_str());
    assert_eq!(logins[0]["object_uuid"], session["uuid"]);
    assert_eq!(
        logins[0]["request_body"], "",
        "the SAML response is not kept"
    );

    // With a redirect: 302 there, the JWT in an HttpOnly cookie.
    let (s, idp_url) = start_login(&t.srv, "account=acme&redirect=%2Fdashboard").await;
    assert_eq!(s, 302);
    assert!(
        !idp_url.contains("dashboard"),
        "RelayState never carries the redirect"
    );
    let (saml, relay) = t.idp.sign_in(&idp_url, "eve@example.com", "").await;
    let (s, _, headers) = post_acs(&t.srv, &saml, &relay).await;
    assert_eq!(s, 302);
    assert_eq!(headers["location"], "/dashboard");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("bulwark_session=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let jwt = cookie["bulwark_session=".len()..]
        .split(';')
        .next()
        .unwrap();
    let (s, me) = t
        .srv
        .call(
            Method::GET,
            "/bulwark/v1/whoami",
            Some(&format!("Bearer {jwt}")),
            None,
        )
        .await;
    assert_eq!((s, me["user_uuid"].as_str()), (200, Some(t.eve.as_str())));
}

#[tokio::test]
async fn saml_refuses_tampered_wrapped_misaddressed_expired_and_unrequested_responses() {
    let t = setup().await;
    let refused = |what: &str, s: u16, e: &Value| {
        assert_eq!(s, 403, "{what}: {e}");
        e["message"].as_str().unwrap_or_default().to_string()
    };

    // Wrong audience: the IdP addressed the assertion to another SP.
    let (_, url) = start_login(&t.srv, "account=acme").await;
    let (saml, relay) = t
        .idp
        .sign_in(&url, "ada@example.com", "&mode=wrong_audience")
        .await;
    let (s, e, _) = post_acs(&t.srv, &saml, &relay).await;
    let m = refused("wrong audience", s, &e);
    assert!(m.contains("unfulfilled AudienceRequirement"), "{m}");

    // Expired: the IdP's assertion validity ended ten minutes ago.
    let (_, url) = start_login(&t.srv, "account=acme").await;
    let (saml, relay) = t
        .idp
        .sign_in(&url, "ada@example.com", "&mode=expired")
        .await;
    let (s, e, _) = post_acs(&t.srv, &saml, &relay).await;
    let m = refused("expired", s, &e);
    assert!(m.contains("Condition expired"), "{m}");

    // Tampered: the signed NameID edited from ada to eve.
    let (_, url) = start_login(&t.srv, "account=acme").await;
    let (saml, relay) = t.idp.sign_in(&url, "ada@example.com", "").await;
    let xml = decode(&saml).replace("ada@example.com", "eve@example.com");
    let (s, e, _) = post_acs(&t.srv, &encode(&xml), &relay).await;
    let m = refused("tampered", s, &e);
    assert!(m.contains("must be signed"), "{m}");

    // Signature wrapping: the IdP signs only the assertion; the attacker puts an
    // unsigned assertion for eve before the genuine one. Only what the signature covers
    // may be read: never a session for eve.
    let (_, url) = start_login(&t.srv, "account=acme").await;
    let (saml, relay) = t
        .idp
        .sign_in(&url, "ada@example.com", "&sign_response=0")
        .await;
    let xml = decode(&saml);
    let (a0, a1) = element(&xml, "Assertion");
    let genuine = &xml[a0..a1];
    let (s0, s1) = element(genuine, "Signature");
    let evil = format!("{}{}", &genuine[..s0], &genuine[s1..])
        .replace("ada@example.com", "eve@example.com");
    let wrapped = format!("{}{evil}{}", &xml[..a0], &xml[a0..]);
    let (s, e, _) = post_acs(&t.srv, &encode(&wrapped), &relay).await;
    let m = refused("signature wrapping", s, &e);
    assert!(m.contains("must be signed"), "{m}");
    // Control: the same kind of response, unaltered, is accepted (as ada).
    let (_, url) = start_login(&t.srv, "account=acme").await;
    let (saml, relay) = t
        .idp
        .sign_in(&url, "ada@example.com", "&sign_response=0")
        .await;
    let (s, session, _) = post_acs(&t.srv, &saml, &relay).await;
    assert_eq!(
        (s, session["user_uuid"].as_str()),
        (200, Some(t.ada.as_str())),
        "{session}"
    );
    let _ = &t.eve;

    // Unknown InResponseTo: a response to one login presented for another.
    let (_, first) = start_login(&t.srv, "account=acme").await;
    let (_, second) = start_login(&t.srv, "account=acme").await;
    let (saml, _) = t.idp.sign_in(&first, "ada@example.com", "").await;
    let (_, relay2) = t.idp.sign_in(&second, "ada@example.com", "").await;
    let (s, e, _) = post_acs(&t.srv, &saml, &relay2).await;
    let m = refused("unrequested", s, &e);
    assert!(m.contains("'InResponseTo' does not match"), "{m}");

    // A RelayState we never issued.
    let (s, e, _) = post_acs(&t.srv, &saml, "0123456789abcdef").await;
    let m = refused("unknown relay state", s, &e);
    assert!(m.contains("unknown or expired saml login"), "{m}");

    // A genuine login of someone who is not a user of the account.
    let (_, url) = start_login(&t.srv, "account=acme").await;
    let (saml, relay) = t.idp.sign_in(&url, "mallory@example.com", "").await;
    let (s, e, _) = post_acs(&t.srv, &saml, &relay).await;
    let m = refused("unknown user", s, &e);
    assert!(m.contains("not an active user"), "{m}");
    let _ = &t.admin;
}

#[tokio::test]
async fn saml_login_is_bound_to_its_account_and_checks_its_inputs() {
    let t = setup().await;
    // Unknown account and an account without SSO answer alike.
    let (s, body) = start_login(&t.srv, "account=nope").await;
    assert_eq!(s, 403, "{body}");
    assert!(
        body.contains("SAML login is not configured for account `nope`"),
        "{body}"
    );
    let beta_admin = t._env.token("beta", "admin").await;
    let (s, body) = start_login(&t.srv, "account=beta").await;
    assert_eq!(s, 403, "{body}");

    // Open redirects are refused before anything is stored.
    let (s, body) = start_login(
        &t.srv,
        "account=acme&redirect=https%3A%2F%2Fevil.example%2F",
    )
    .await;
    assert_eq!(s, 400, "{body}");

    // Settings: admin only, own account only, metadata must be usable.
    let analyst = t._env.token("acme", "analyst").await;
    let (s, _) = put_sso(&t.srv, &analyst, "acme", json!({"idp_metadata": ""})).await;
    assert_eq!(s, 403);
    let (s, _) = put_sso(&t.srv, &beta_admin, "acme", json!({"idp_metadata": ""})).await;
    assert_eq!(s, 404);
    let (s, e) = put_sso(
        &t.srv,
        &beta_admin,
        "beta",
        json!({"idp_metadata": "<nope"}),
    )
    .await;
    assert_eq!(s, 400, "{e}");

    // Beta trusts its own IdP. A response signed by acme's IdP, for beta's login
    // request, is refused: the signature is not by a certificate beta trusts.
    let beta_idp = SamlIdp::start(&t.srv).await;
    let (s, e) = put_sso(
        &t.srv,
        &beta_admin,
        "beta",
        json!({"idp_metadata": beta_idp.metadata().await}),
    )
    .await;
    assert_eq!(s, 200, "{e}");
    user(&t.srv, &beta_admin, "ada@example.com", 4).await;
    let (s, beta_url) = start_login(&t.srv, "account=beta").await;
    assert_eq!(s, 302);
    assert!(beta_url.starts_with(&beta_idp.base), "{beta_url}");
    let acme_url = redirect_to(&beta_url, &t.idp.base);
    let (saml, relay) = t.idp.sign_in(&acme_url, "ada@example.com", "").await;
    let (s, e, _) = post_acs(&t.srv, &saml, &relay).await;
    assert_eq!(s, 403, "acme's IdP cannot log into beta: {e}");
    assert!(
        e["message"].as_str().unwrap().contains("must be signed"),
        "{e}"
    );

    // And beta's own IdP does log into beta, as beta's ada.
    let (_, beta_url) = start_login(&t.srv, "account=beta").await;
    let (saml, relay) = beta_idp.sign_in(&beta_url, "ada@example.com", "").await;
    let (s, session, _) = post_acs(&t.srv, &saml, &relay).await;
    assert_eq!(s, 200, "{session}");
    assert_eq!(session["account_name"], "beta");
    assert_ne!(session["user_uuid"], t.ada.as_str());
}
