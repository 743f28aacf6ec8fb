//! Devices: Register Device with a verified CertificateVerify, get, per-user pages,
//! bulk and single delete, tenancy. Certificates are minted here with rcgen and the
//! registration message is signed with the device's own key.

use std::time::{SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SigningKey, date_time_ymd,
};
use serde_json::{Value, json};

use crate::support::{Env, Server};

struct Ca {
    params: CertificateParams,
    key: KeyPair,
    pem: String,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let pem = params.self_signed(&key).unwrap().pem();
    Ca { params, key, pem }
}

struct Device {
    der: Vec<u8>,
    key: KeyPair,
}

fn device_cert(ca: &Ca, cn: &str, expired: bool) -> Device {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    if expired {
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2021, 1, 1);
    }
    let issuer = Issuer::from_params(&ca.params, &ca.key);
    let der = params.signed_by(&key, &issuer).unwrap().der().to_vec();
    Device { der, key }
}

fn now_ms() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// The documented message: context, then NUL + each field.
fn message(account: &str, user: &str, device_uuid: &str, t: i64, salt: &str) -> Vec<u8> {
    let mut m = b"bulwark-edge-device-registration-v1".to_vec();
    for part in [account, user, device_uuid, &t.to_string(), salt] {
        m.push(0);
        m.extend_from_slice(part.as_bytes());
    }
    m
}

struct Reg<'a> {
    account: &'a str,
    user: &'a str,
    device_uuid: &'a str,
    t: i64,
    salt: &'a str,
    disk: i64,
}

impl Reg<'_> {
    fn body(&self, dev: &Device) -> Value {
        let sig = dev
            .key
            .sign(&message(
                self.account,
                self.user,
                self.device_uuid,
                self.t,
                self.salt,
            ))
            .unwrap();
        json!({
            "account_name": self.account,
            "device_uuid": self.device_uuid,
            "device": {
                "user_uuid": self.user, "display_name": "laptop", "os": "macOS",
                "os_version": "14.5", "serial_number": "C02XYZ", "tags": ["eng"],
                "posture": {"disk_encryption_enabled": self.disk, "firmware_password_enabled": 2,
                    "client_version_risk": 0,
                    "device_process_info": {"processes": [{"paths": ["/Applications/Edge.app"], "spec": "edge"}]}},
                "properties": {"hostname": "ada-mbp", "disk_encryption_enabled": self.disk == 1},
                "is_managed_verification_done": false
            },
            "signature": {"algorithm": "ecdsa_secp256r1_sha256", "certificate": dev.der, "signature": sig},
            "time_id": {"create_time": self.t, "salt": self.salt, "version": "1"}
        })
    }
}

fn reg<'a>(account: &'a str, user: &'a str, salt: &'a str) -> Reg<'a> {
    Reg {
        account,
        user,
        device_uuid: "",
        t: now_ms(),
        salt,
        disk: 1,
    }
}

async fn user(srv: &Server, key: &str, name: &str) -> String {
    let (s, u) = srv
        .post(
            "/edge/v1/users",
            key,
            json!({"user": {"display_name": name, "role": 1}}),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    u["user"]["uuid"].as_str().unwrap().to_string()
}

async fn upload_ca(srv: &Server, key: &str, ca: &Ca, purpose: i64, status: i64) -> String {
    let (s, c) = srv
        .post(
            "/edge/v1/ca-certificates",
            key,
            json!({"public_key_pem": ca.pem, "purpose": purpose, "status": status}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    c["uuid"].as_str().unwrap().to_string()
}

fn err(v: &Value) -> &str {
    v["message"].as_str().unwrap_or("")
}

#[tokio::test]
async fn register_verifies_the_certificate_and_stores_posture() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let ada = user(&srv, &admin, "Ada").await;
    let bob = user(&srv, &admin, "Bob").await;
    let endpoint = ca("Acme Endpoint CA");
    let ca_uuid = upload_ca(&srv, &admin, &endpoint, 2, 2).await;
    let dev = device_cert(&endpoint, "ada-laptop", false);

    let (s, d) = srv
        .post(
            "/edge/v1/devices",
            &admin,
            reg("acme", &ada, "salt-0123456789ab").body(&dev),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let uuid = d["uuid"].as_str().unwrap().to_string();
    assert_eq!(d["user_uuid"], ada.as_str());
    assert_eq!(d["user_display_name"], "Ada");
    assert_eq!(d["account_name"], "acme");
    assert_eq!(d["posture"]["disk_encryption_enabled"], 1);
    assert_eq!(
        d["posture"]["device_process_info"]["processes"][0]["spec"],
        "edge"
    );
    assert_eq!(d["properties"]["hostname"], "ada-mbp");
    assert_eq!(
        (
            d["is_managed"].as_bool(),
            d["is_managed_verification_done"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert_eq!(d["ca_certificate_uuid"], ca_uuid.as_str());
    assert_eq!(d["certificate_subject"], "CN=ada-laptop");
    assert_eq!(d["certificate"], json!(dev.der));
    assert!(
        d["public_key"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    assert_eq!(d["time_id"]["salt"], "salt-0123456789ab");
    assert_eq!(d["status"], 2);

    // E054: only with the device's own user.
    let path = format!("/edge/v1/devices/{uuid}");
    let (s, got) = srv.get(&format!("{path}?user_uuid={ada}"), &admin).await;
    assert_eq!(
        (s, got["serial_number"].as_str()),
        (200, Some("C02XYZ")),
        "{got}"
    );
    assert_eq!(
        srv.get(&format!("{path}?user_uuid={bob}"), &admin).await.0,
        404
    );
    let (s, e) = srv.get(&path, &admin).await;
    assert_eq!(
        (s, err(&e)),
        (400, "query parameter `user_uuid` is required")
    );

    // One live device per certificate; re-registration needs device_uuid and a newer time.
    let (s, e) = srv
        .post(
            "/edge/v1/devices",
            &admin,
            reg("acme", &ada, "salt-another-one-1").body(&dev),
        )
        .await;
    assert_eq!(s, 409, "{e}");
    assert!(err(&e).contains(&uuid), "{e}");
    let mut again = reg("acme", &ada, "salt-re-register-1");
    again.device_uuid = &uuid;
    again.disk = 2;
    let (s, d2) = srv.post("/edge/v1/devices", &admin, again.body(&dev)).await;
    assert_eq!(s, 200, "{d2}");
    assert_eq!(
        (
            d2["uuid"].as_str(),
            d2["posture"]["disk_encryption_enabled"].as_i64()
        ),
        (Some(uuid.as_str()), Some(2))
    );
    let (s, e) = srv.post("/edge/v1/devices", &admin, again.body(&dev)).await;
    assert_eq!(s, 400);
    assert!(err(&e).contains("is not newer"), "{e}");

    // Refusals, each with its reason.
    let stranger = ca("Stranger CA");
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "wrong CA",
            reg("acme", &ada, "salt-wrong-ca-0001").body(&device_cert(&stranger, "x", false)),
            "was not issued by any active client-authentication or endpoint CA certificate",
        ),
        (
            "expired",
            reg("acme", &ada, "salt-expired-00001").body(&device_cert(&endpoint, "old", true)),
            "expired",
        ),
        (
            "unknown user",
            reg(
                "acme",
                "3f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                "salt-nobody-00001",
            )
            .body(&device_cert(&endpoint, "n", false)),
            "does not exist in this account",
        ),
        (
            "stale time",
            Reg {
                t: now_ms() - 600_000,
                ..reg("acme", &bob, "salt-stale-000001")
            }
            .body(&device_cert(&endpoint, "s", false)),
            "more than 5 minutes",
        ),
    ];
    for (why, body, msg) in cases {
        let (s, e) = srv.post("/edge/v1/devices", &admin, body).await;
        assert_eq!(s, 400, "{why}: {e}");
        assert!(err(&e).contains(msg), "{why}: {e}");
    }
    // A signature over other bytes (another salt than the one sent).
    let bobs = device_cert(&endpoint, "bob-laptop", false);
    let mut body = reg("acme", &bob, "salt-signed-00001").body(&bobs);
    body["time_id"]["salt"] = json!("salt-sent-0000001");
    let (s, e) = srv.post("/edge/v1/devices", &admin, body).await;
    assert_eq!(s, 400);
    assert!(
        err(&e).contains("`signature.signature` does not verify"),
        "{e}"
    );
    // A CA that is only uploaded (INIT) is not trusted.
    let pending = ca("Pending CA");
    upload_ca(&srv, &admin, &pending, 1, 1).await;
    let (s, e) = srv
        .post(
            "/edge/v1/devices",
            &admin,
            reg("acme", &bob, "salt-pending-0001").body(&device_cert(&pending, "p", false)),
        )
        .await;
    assert_eq!(s, 400, "{e}");
    // Key material is refused.
    let mut body = reg("acme", &bob, "salt-key-material1").body(&bobs);
    body["encrypted_ca_key"] = json!("c2VjcmV0");
    let (s, e) = srv.post("/edge/v1/devices", &admin, body).await;
    assert_eq!(s, 400);
    assert!(
        err(&e).contains("`encrypted_ca_key` is not accepted"),
        "{e}"
    );

    // Base64 (protobuf JSON) bytes work too; a CLIENT_AUTHENTICATION CA is not "managed".
    let client_ca = ca("Acme Client CA");
    upload_ca(&srv, &admin, &client_ca, 1, 2).await;
    let bobs = device_cert(&client_ca, "bob-laptop", false);
    let mut body = reg("acme", &bob, "salt-base64-00001").body(&bobs);
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let sig: Vec<u8> = serde_json::from_value(body["signature"]["signature"].clone()).unwrap();
    body["signature"]["certificate"] = json!(b64.encode(&bobs.der));
    body["signature"]["signature"] = json!(b64.encode(sig));
    let (s, d) = srv.post("/edge/v1/devices", &admin, body).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(
        (d["user_uuid"].as_str(), d["is_managed"].as_bool()),
        (Some(bob.as_str()), Some(false))
    );
}

#[tokio::test]
async fn user_devices_page_and_delete() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let reader = env.token("acme", "read_only").await;
    let srv = env.serve().await;
    let ada = user(&srv, &admin, "Ada").await;
    let bob = user(&srv, &admin, "Bob").await;
    let endpoint = ca("Acme Endpoint CA");
    upload_ca(&srv, &admin, &endpoint, 2, 2).await;
    let mut adas = Vec::new();
    for i in 0..3 {
        let salt = format!("salt-ada-device-{i}");
        let (s, d) = srv
            .post(
                "/edge/v1/devices",
                &admin,
                reg("acme", &ada, &salt).body(&device_cert(&endpoint, &format!("ada-{i}"), false)),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        adas.push(d["uuid"].as_str().unwrap().to_string());
    }
    let (_, d) = srv
        .post(
            "/edge/v1/devices",
            &admin,
            reg("acme", &bob, "salt-bob-device-0").body(&device_cert(&endpoint, "bob-0", false)),
        )
        .await;
    let bobs = d["uuid"].as_str().unwrap().to_string();
    // A reader may not register.
    let (s, _) = srv
        .post(
            "/edge/v1/devices",
            &reader,
            reg("acme", &bob, "salt-reader-00001").body(&device_cert(&endpoint, "r", false)),
        )
        .await;
    assert_eq!(s, 403);

    // E086: newest first, continuation tokens.
    let (s, p1) = srv
        .get(&format!("/edge/v1/users/{ada}/devices?limit=2"), &reader)
        .await;
    assert_eq!(s, 200, "{p1}");
    let page1: Vec<&str> = p1["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(page1.len(), 2);
    assert_eq!(p1["continuation_token"], "2");
    let (_, p2) = srv
        .get(
            &format!("/edge/v1/users/{ada}/devices?limit=2&continuation_token=2"),
            &reader,
        )
        .await;
    assert_eq!(p2["devices"].as_array().unwrap().len(), 1);
    assert_eq!(p2["continuation_token"], "");
    let mut all: Vec<String> = page1.iter().map(|s| s.to_string()).collect();
    all.push(p2["devices"][0]["uuid"].as_str().unwrap().to_string());
    all.sort();
    let mut want = adas.clone();
    want.sort();
    assert_eq!(all, want);
    assert_eq!(
        srv.get(
            "/edge/v1/users/3f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/devices",
            &reader
        )
        .await
        .0,
        404
    );

    // E052: the envelope's account must be the caller's; all-or-nothing.
    let del = "/edge/v1/devices/delete";
    let (s, _) = srv
        .post(
            del,
            &admin,
            json!({"account_name": "other", "devices": [{"user_uuid": ada, "uuid": adas[0]}]}),
        )
        .await;
    assert_eq!(s, 403);
    let (s, e) = srv
        .post(
            del,
            &admin,
            json!({"account_name": "acme", "devices": [
            {"user_uuid": ada, "uuid": adas[0]}, {"user_uuid": ada, "uuid": bobs}]}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(err(&e).contains("nothing was deleted"), "{e}");
    let (_, still) = srv
        .get(
            &format!("/edge/v1/devices/{}?user_uuid={ada}", adas[0]),
            &admin,
        )
        .await;
    assert_eq!(still["status"], 2);
    assert_eq!(
        srv.post(
            del,
            &reader,
            json!({"devices": [{"user_uuid": ada, "uuid": adas[0]}]})
        )
        .await
        .0,
        403
    );
    assert_eq!(srv.post(del, &admin, json!({"devices": []})).await.0, 400);
    let (s, d) = srv
        .post(
            del,
            &admin,
            json!({"account_name": "acme", "devices": [
            {"user_uuid": ada, "uuid": adas[0]}, {"user_uuid": ada, "uuid": adas[1]}]}),
        )
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(
        (d["uuid"].as_str(), d["status"].as_i64()),
        (Some(adas[0].as_str()), Some(4))
    );
    let (_, left) = srv
        .get(&format!("/edge/v1/users/{ada}/devices"), &admin)
        .await;
    assert_eq!(left["devices"].as_array().unwrap().len(), 1);
    assert_eq!(left["devices"][0]["uuid"], adas[2].as_str());
    let (_, gone) = srv
        .get(
            &format!("/edge/v1/users/{ada}/devices?status=DELETED"),
            &admin,
        )
        .await;
    assert_eq!(gone["devices"].as_array().unwrap().len(), 2);

    // Beyond the seed: list the account's devices, soft-delete one.
    let (s, list) = srv.get("/edge/v1/devices", &reader).await;
    assert_eq!(s, 200);
    let mut live: Vec<&str> = list["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["uuid"].as_str().unwrap())
        .collect();
    live.sort();
    let mut want = vec![adas[2].as_str(), bobs.as_str()];
    want.sort();
    assert_eq!(live, want);
    let (s, d) = srv
        .delete(&format!("/edge/v1/devices/{bobs}"), &admin)
        .await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    let (_, list) = srv.get("/edge/v1/devices?limit=1", &reader).await;
    assert_eq!(list["devices"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn devices_are_account_scoped() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let ada = user(&srv, &admin, "Ada").await;
    let endpoint = ca("Acme Endpoint CA");
    upload_ca(&srv, &admin, &endpoint, 2, 2).await;
    let dev = device_cert(&endpoint, "ada-laptop", false);
    let (s, d) = srv
        .post(
            "/edge/v1/devices",
            &admin,
            reg("acme", &ada, "salt-0123456789ab").body(&dev),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let uuid = d["uuid"].as_str().unwrap();

    assert_eq!(
        srv.get(&format!("/edge/v1/devices/{uuid}?user_uuid={ada}"), &other)
            .await
            .0,
        404
    );
    assert_eq!(
        srv.get(&format!("/edge/v1/users/{ada}/devices"), &other)
            .await
            .0,
        404
    );
    let (_, list) = srv.get("/edge/v1/devices", &other).await;
    assert_eq!(list["devices"], json!([]));
    assert_eq!(
        srv.delete(&format!("/edge/v1/devices/{uuid}"), &other)
            .await
            .0,
        404
    );
    let (s, _) = srv
        .post(
            "/edge/v1/devices/delete",
            &other,
            json!({"devices": [{"user_uuid": ada, "uuid": uuid}]}),
        )
        .await;
    assert_eq!(s, 400);
    // Another account can neither use acme's user nor acme's CA.
    let (s, e) = srv
        .post(
            "/edge/v1/devices",
            &other,
            reg("globex", &ada, "salt-other-000001").body(&device_cert(&endpoint, "o", false)),
        )
        .await;
    assert_eq!(s, 400);
    assert!(err(&e).contains("does not exist in this account"), "{e}");
    let carol = user(&srv, &other, "Carol").await;
    let (s, e) = srv
        .post(
            "/edge/v1/devices",
            &other,
            reg("globex", &carol, "salt-other-000002").body(&device_cert(&endpoint, "c", false)),
        )
        .await;
    assert_eq!(s, 400);
    assert!(err(&e).contains("was not issued by any"), "{e}");
    let (_, still) = srv
        .get(&format!("/edge/v1/devices/{uuid}?user_uuid={ada}"), &admin)
        .await;
    assert_eq!(still["status"], 2);
}

#[tokio::test]
async fn one_live_device_per_certificate_even_under_concurrent_registrations() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let ada = user(&srv, &admin, "Ada").await;
    let endpoint = ca("Acme Endpoint CA");
    upload_ca(&srv, &admin, &endpoint, 2, 2).await;
    let dev = device_cert(&endpoint, "ada-laptop", false);

    // Eight registrations of one certificate at once: the store's unique index lets
    // exactly one through, whatever the interleaving.
    let bodies: Vec<Value> = (0..8)
        .map(|i| reg("acme", &ada, &format!("salt-concurrent-{i:02}")).body(&dev))
        .collect();
    let answers = futures_util::future::join_all(
        bodies
            .into_iter()
            .map(|b| srv.post("/edge/v1/devices", &admin, b)),
    )
    .await;
    let created: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, d)| d)
        .collect();
    assert_eq!(created.len(), 1, "{answers:?}");
    assert!(
        answers.iter().all(|(s, _)| *s == 201 || *s == 409),
        "{answers:?}"
    );
    let uuid = created[0]["uuid"].as_str().unwrap().to_string();

    // A deleted device gives its certificate back.
    let (s, _) = srv
        .delete(&format!("/edge/v1/devices/{uuid}"), &admin)
        .await;
    assert_eq!(s, 200);
    let (s, again) = srv
        .post(
            "/edge/v1/devices",
            &admin,
            reg("acme", &ada, "salt-after-delete-1").body(&dev),
        )
        .await;
    assert_eq!(s, 201, "{again}");
    assert_ne!(again["uuid"], uuid.as_str());
}
