//! CA certificates and the client configs that name them.

use serde_json::{Value, json};

use super::{id, names, post_ok};
use crate::support::Env;

// Certificates made for these tests (valid 2025-2120 unless named otherwise): an EC
// root, an RSA issuing CA under it (extendedKeyUsage clientAuth), a leaf (CA:FALSE),
// an unrelated root, an expired root, and a CA naming the root as issuer but signed
// by another key.
const ROOT: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBgzCCASmgAwIBAgIUDn6E5gTDYsP0uO8r2x9x223EMzUwCgYIKoZIzj0EAwIw\n\
LjEVMBMGA1UECgwMQnVsd2FyayBUZXN0MRUwEwYDVQQDDAxUZXN0IFJvb3QgQ0Ew\n\
IBcNMjUwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMC4xFTATBgNVBAoMDEJ1\n\
bHdhcmsgVGVzdDEVMBMGA1UEAwwMVGVzdCBSb290IENBMFkwEwYHKoZIzj0CAQYI\n\
KoZIzj0DAQcDQgAEJiJLcPV2EVArm/HISjeLY2iflwwyGRu042CWCTkc+O2edQf3\n\
nALJW34pWSVRFptzdSdbKtySQqZvkEOU7QZ/Q6MjMCEwDwYDVR0TAQH/BAUwAwEB\n\
/zAOBgNVHQ8BAf8EBAMCAYYwCgYIKoZIzj0EAwIDSAAwRQIgH2Ab+XKi6rLKnzxW\n\
WCnIP1qbxuNLzvn4qFgFi4m+jkgCIQDApXapCAqzfpDfpjdSbzAQXH0GwIH4BWDf\n\
ihTmpQ5w6w==\n\
-----END CERTIFICATE-----\n\
";
const ISSUING: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIICZTCCAgygAwIBAgIUPxBxrl4zyu1js6eRXiy3QJjBdmcwCgYIKoZIzj0EAwIw\n\
LjEVMBMGA1UECgwMQnVsd2FyayBUZXN0MRUwEwYDVQQDDAxUZXN0IFJvb3QgQ0Ew\n\
IBcNMjUwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMDExFTATBgNVBAoMDEJ1\n\
bHdhcmsgVGVzdDEYMBYGA1UEAwwPVGVzdCBJc3N1aW5nIENBMIIBIjANBgkqhkiG\n\
9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo+cPJ6RMuQzh3rqmxoC0mhSKhMy2t9Fzh8se\n\
U5UzycTLn0S4WoJduuyzaxfJ2U7q3rIPV8muI5ZqmK56rmMwegsfDQpHEA47928b\n\
0UubSCmUs/j9EusIH4VKLp8Zpzxf5jJKdwjG/kj5NDjShnTB+AdZ1E1jtqhjN8zg\n\
ieu3H/G2eVM0TpFKoJiHVrwCx6tbawAp9pxtXRf+wj1i9eDXbDSXGOLW3UYyjZVd\n\
WOZDrhi5I/Zty7BWC74nfo3/KHcVo+HOeq1T/+oaBRzxKQMLk2/Lnb317Wf4j+3c\n\
hGd6reQ8FWe3aSpCqi1efTXRGqI7x5KZMcRGI0hm7gFjCnuf2QIDAQABozgwNjAP\n\
BgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBhjATBgNVHSUEDDAKBggrBgEF\n\
BQcDAjAKBggqhkjOPQQDAgNHADBEAiB4ARDVr15IBMZs/8DDSWxH2JWb7UInoPbT\n\
AMpUu2nQawIgKGiAxvgqNe1r5eEHUS7HkGNVk9BpzaYn/BY4z6dBmww=\n\
-----END CERTIFICATE-----\n\
";
const LEAF: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIICQDCCASigAwIBAgIUSbMnofNSA8Anx4F9S8mNtiitFf0wDQYJKoZIhvcNAQEL\n\
BQAwMTEVMBMGA1UECgwMQnVsd2FyayBUZXN0MRgwFgYDVQQDDA9UZXN0IElzc3Vp\n\
bmcgQ0EwIBcNMjUwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMCoxFTATBgNV\n\
BAoMDEJ1bHdhcmsgVGVzdDERMA8GA1UEAwwIZGV2aWNlLTEwWTATBgcqhkjOPQIB\n\
BggqhkjOPQMBBwNCAAT5NXjLpr8VtY2xm0+iRVPsryQn471Aus/od3LRwGXsEfYy\n\
T5lN19WYztlIyPxWUqoD6/bWvCgRJbOH1BU8u9qXoyAwHjAMBgNVHRMBAf8EAjAA\n\
MA4GA1UdDwEB/wQEAwIHgDANBgkqhkiG9w0BAQsFAAOCAQEAJLz34qUYXXTrFq6M\n\
6iPW76z/+IxYdtLB0TtCbH7hfDve4FBJ0ssFc5AidNw3uvqGpZE8uTgqah3rwjy4\n\
EqKoarDCvg8Uy28H5iKWqfBAD6TUg5e5U1ZJ01BCSkbqs6hPcaqPFfyx9h8v9+aY\n\
4GX3xRtPzift307ole+oIhBX1VKd1FKxjsc1qQDwaegz0fHCfP6JYPo+7XXOaiwI\n\
goEwpQcH5OOhBRnk8EnNg3j6pU7OJLZVkOJR4iFnIFfjPevEsDEBpBk+KOOF1+rT\n\
NBBnSknW3OgP3mm9J17SeKigAmMZELZ4vmksFWmSexqOLeeTmVjG/QwUd9nugjDE\n\
jg6atw==\n\
-----END CERTIFICATE-----\n\
";
const OTHER_ROOT: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBhDCCASugAwIBAgIUHVOvkdOiyY/jvWONiy0d8RYu8YIwCgYIKoZIzj0EAwIw\n\
LzEVMBMGA1UECgwMQnVsd2FyayBUZXN0MRYwFAYDVQQDDA1PdGhlciBSb290IENB\n\
MCAXDTI1MDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAvMRUwEwYDVQQKDAxC\n\
dWx3YXJrIFRlc3QxFjAUBgNVBAMMDU90aGVyIFJvb3QgQ0EwWTATBgcqhkjOPQIB\n\
BggqhkjOPQMBBwNCAASqQSrY8+hEzJxZQxUtI9DeHdIhE/51HBbHZ1DQxMONXFyr\n\
zUstovAWdos1HlW8EuIlbhWuk9+56BvYgT/IUNbnoyMwITAPBgNVHRMBAf8EBTAD\n\
AQH/MA4GA1UdDwEB/wQEAwIBhjAKBggqhkjOPQQDAgNHADBEAiA4iaMKaTx8uf+Q\n\
qVl69M6Wiu0hKyui86BaTujpBqdV/QIgUZ65XHiMMV/e9j/j1wxyVBgXvOu4Wy4O\n\
ymJYNIzY0So=\n\
-----END CERTIFICATE-----\n\
";
const EXPIRED: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBfjCCASOgAwIBAgIUd6yBNeBPi/MJjhC+03DRP7LR7g8wCgYIKoZIzj0EAwIw\n\
LDEVMBMGA1UECgwMQnVsd2FyayBUZXN0MRMwEQYDVQQDDApFeHBpcmVkIENBMB4X\n\
DTIwMDEwMTAwMDAwMFoXDTIxMDEwMTAwMDAwMFowLDEVMBMGA1UECgwMQnVsd2Fy\n\
ayBUZXN0MRMwEQYDVQQDDApFeHBpcmVkIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0D\n\
AQcDQgAE/iismVUtmvZEqR8xU+I7xjvnHHwzO6oPnQ3jLJVTDYyOjHFa4rn3lXYZ\n\
6ZJZANbtRbbi2CMkyH4+xV25DOVhiqMjMCEwDwYDVR0TAQH/BAUwAwEB/zAOBgNV\n\
HQ8BAf8EBAMCAYYwCgYIKoZIzj0EAwIDSQAwRgIhAP1qZs9nTelusOYjeGfGQt4A\n\
BJ4eVPjPF0qe/3uvkfIUAiEA0cN4GQQDibSTwQj03jV/nOBpQfn9s/D9JDTcl0ZT\n\
f6o=\n\
-----END CERTIFICATE-----\n\
";
const FORGED: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIICUzCCAfmgAwIBAgIUdIL//YxmFqhtnf1Ukj/OX3AqBWIwCgYIKoZIzj0EAwIw\n\
LjEVMBMGA1UECgwMQnVsd2FyayBUZXN0MRUwEwYDVQQDDAxUZXN0IFJvb3QgQ0Ew\n\
IBcNMjUwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMDMxFTATBgNVBAoMDEJ1\n\
bHdhcmsgVGVzdDEaMBgGA1UEAwwRRm9yZ2VkIElzc3VpbmcgQ0EwggEiMA0GCSqG\n\
SIb3DQEBAQUAA4IBDwAwggEKAoIBAQCj5w8npEy5DOHeuqbGgLSaFIqEzLa30XOH\n\
yx5TlTPJxMufRLhagl267LNrF8nZTuresg9Xya4jlmqYrnquYzB6Cx8NCkcQDjv3\n\
bxvRS5tIKZSz+P0S6wgfhUounxmnPF/mMkp3CMb+SPk0ONKGdMH4B1nUTWO2qGM3\n\
zOCJ67cf8bZ5UzROkUqgmIdWvALHq1trACn2nG1dF/7CPWL14NdsNJcY4tbdRjKN\n\
lV1Y5kOuGLkj9m3LsFYLvid+jf8odxWj4c56rVP/6hoFHPEpAwuTb8udvfXtZ/iP\n\
7dyEZ3qt5DwVZ7dpKkKqLV59NdEaojvHkpkxxEYjSGbuAWMKe5/ZAgMBAAGjIzAh\n\
MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMCA0gA\n\
MEUCIG2sh+tl0nS680aMW+1uKtciS7jw4mwuIFfbEzCJeUCEAiEAkq9OSVT0yWKV\n\
hSB7hInsdL9lu2/ScdorD9HmOPSDvkc=\n\
-----END CERTIFICATE-----\n\
";
const ROOT_SHA256: &str = "d549668b5618087df372000f71c99e7d54fad302dba22ec76214c6e5bae68c78";

#[tokio::test]
async fn ca_certificates_are_parsed_and_checked() {
    let env = Env::new().await;
    let admin = env.token("acme", "security_admin").await;
    let reader = env.token("acme", "read_only").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let base = "/edge/v1/ca-certificates";

    let root = post_ok(
        &srv,
        base,
        &admin,
        json!({"account_name": "acme", "public_key_pem": ROOT, "purpose": 1,
            "description": "root", "status": 2, "subject": "forged", "have_private_key": true}),
        201,
    )
    .await;
    assert_eq!(root["subject"], "O=Bulwark Test, CN=Test Root CA");
    assert_eq!(root["issuer"], root["subject"]);
    assert_eq!(root["fingerprint_sha256"], ROOT_SHA256);
    assert_eq!(root["have_private_key"], false);
    assert_eq!(root["not_before"], 1_735_689_600_000_i64);
    assert!(root["not_after"].as_i64().unwrap() > 4_000_000_000_000);
    let issuing = post_ok(
        &srv,
        base,
        &admin,
        json!({"public_key_pem": ISSUING, "chain": [ROOT], "purpose": 2}),
        201,
    )
    .await;
    assert_eq!(issuing["issuer"], "O=Bulwark Test, CN=Test Root CA");
    assert_eq!(issuing["chain"][0], ROOT);

    let both = format!("{ROOT}{ISSUING}");
    let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    for (bad, why) in [
        (json!({"public_key_pem": LEAF}), "not a CA"),
        (json!({"public_key_pem": EXPIRED}), "expired"),
        (
            json!({"public_key_pem": FORGED, "chain": [ROOT]}),
            "bad signature",
        ),
        (
            json!({"public_key_pem": ISSUING, "chain": [OTHER_ROOT]}),
            "wrong issuer",
        ),
        (
            json!({"public_key_pem": ISSUING, "chain": [LEAF]}),
            "issuer not a CA",
        ),
        (
            json!({"public_key_pem": ROOT, "chain": [OTHER_ROOT]}),
            "root with chain",
        ),
        (
            json!({"public_key_pem": ISSUING, "chain": [ROOT], "purpose": 3}),
            "purpose",
        ),
        (json!({"public_key_pem": "not pem"}), "not PEM"),
        (json!({"public_key_pem": both}), "two certificates"),
        (
            json!({"public_key_pem": format!("{key}{ROOT}")}),
            "private key",
        ),
        (
            json!({"public_key_pem": ROOT, "status": 3}),
            "client status",
        ),
        (
            json!({"public_key_pem": ROOT, "purpose": 4}),
            "purpose enum",
        ),
        (json!({"description": "no certificate"}), "missing"),
    ] {
        let (s, v) = srv.post(base, &admin, bad).await;
        assert_eq!(s, 400, "{why}: {v}");
    }
    assert_eq!(
        srv.post(base, &reader, json!({"public_key_pem": ROOT}))
            .await
            .0,
        403
    );

    let path = format!("{base}/{}", id(&issuing));
    let (s, got) = srv.get(&path, &reader).await;
    assert_eq!(
        (s, got["subject"].as_str()),
        (200, Some("O=Bulwark Test, CN=Test Issuing CA"))
    );
    assert_eq!(srv.get(&path, &other).await.0, 404);
    let (s, list) = srv.get(base, &reader).await;
    assert_eq!((s, list["account_name"].as_str()), (200, Some("acme")));
    assert_eq!(list["certificates"].as_array().unwrap().len(), 2);
    let (_, theirs) = srv.get(base, &other).await;
    assert_eq!(theirs["certificates"], json!([]));

    let (s, u) = srv
        .patch(
            &path,
            &admin,
            json!({"description": "issuing", "status": 1}),
        )
        .await;
    assert_eq!(
        (s, u["description"].as_str(), u["status"].as_i64()),
        (200, Some("issuing"), Some(1))
    );
    assert_eq!(u["fingerprint_sha256"], issuing["fingerprint_sha256"]);
    for bad in [
        json!({"chain": [OTHER_ROOT]}),
        json!({"attributes_to_delete": ["subject"]}),
        json!({"attributes_to_delete": ["public_key_pem"]}),
        json!({"status": 4}),
    ] {
        assert_eq!(srv.patch(&path, &admin, bad.clone()).await.0, 400, "{bad}");
    }
    let (s, u) = srv
        .patch(&path, &admin, json!({"attributes_to_delete": ["chain"]}))
        .await;
    assert_eq!((s, u["chain"].clone()), (200, json!([])));
    let (s, u) = srv.patch(&path, &admin, json!({"chain": [ROOT]})).await;
    assert_eq!((s, u["chain"].as_array().map(Vec::len)), (200, Some(1)));
    assert_eq!(
        srv.patch(&path, &other, json!({"description": "x"}))
            .await
            .0,
        404
    );

    assert_eq!(srv.delete(&path, &other).await.0, 404);
    let (s, d) = srv.delete(&path, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    let (_, list) = srv.get(base, &reader).await;
    assert_eq!(list["certificates"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn client_configs_download_only_what_applies() {
    let env = Env::new().await;
    let admin = env.token("acme", "admin").await;
    let user = env.token("acme", "user").await;
    let other = env.token("globex", "admin").await;
    let srv = env.serve().await;
    let base = "/edge/v1/client-configs";
    let ca = post_ok(
        &srv,
        "/edge/v1/ca-certificates",
        &admin,
        json!({"public_key_pem": ROOT, "purpose": 1}),
        201,
    )
    .await;
    let theirs_ca = post_ok(
        &srv,
        "/edge/v1/ca-certificates",
        &other,
        json!({"public_key_pem": ROOT, "purpose": 1}),
        201,
    )
    .await;

    let c = post_ok(
        &srv,
        base,
        &admin,
        json!({"account_name": "acme", "name": "laptops", "description": "all laptops",
            "priority": 10, "client_ca_uuid": id(&ca), "enable_browser_proxy": 1,
            "should_fail_open": 2, "enable_sensor_data": 0, "log_level": 3,
            "disconnect_allowed": 1, "disconnect_interval_minutes": ["5", "60"],
            "disconnect_justification_required": 1, "enable_auto_updates": 2,
            "installer_cert_thumbprint": "ab".repeat(20), "update_channels": ["stable"],
            "dns_search_domains": ["corp.example.com"], "proxy_exclusion_domains": ["10.0.0.0/8"],
            "session_filter": {"include_any": [{"all": ["laptop"]}]},
            "enable_guest_user_mode": 1, "generate_guest_user_api_token": true}),
        201,
    )
    .await;
    let guest = c["guest_user_api_token"].as_str().unwrap().to_string();
    assert!(c.get("generate_guest_user_api_token").is_none());
    let (s, me) = srv.get("/bulwark/v1/whoami", &guest).await;
    assert_eq!((s, me["role_name"].as_str()), (200, Some("guest")));
    let path = format!("{base}/{}", id(&c));

    // The download: an attachment with only what applies.
    let resp = srv
        .req(
            reqwest::Method::GET,
            &format!("{path}/download"),
            Some(&format!("ApiKey {user}")),
            None,
        )
        .await;
    assert_eq!(resp.status().as_u16(), 200);
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"bulwark-client-config-{}.json\"",
            id(&c)
        )
    );
    let file: Value = resp.json().await.unwrap();
    assert_eq!(file["format"], "bulwark-client-config");
    assert_eq!(file["config_uuid"], id(&c).as_str());
    assert_eq!(file["config_update_time"], c["update_time"]);
    assert_eq!(
        file["server_url"].as_str().map(|u| u.starts_with("http")),
        Some(true)
    );
    assert_eq!(
        file["settings"],
        json!({"client_ca_uuid": id(&ca), "client_ca": {"subject": "O=Bulwark Test, CN=Test Root CA",
                "fingerprint_sha256": ROOT_SHA256, "public_key_pem": ROOT},
            "disconnect_allowed": true,
            "disconnect_interval_minutes": [5, 60], "disconnect_justification_required": true,
            "dns_search_domains": ["corp.example.com"], "enable_auto_updates": false,
            "enable_browser_proxy": true, "enable_guest_user_mode": true,
            "guest_user_api_token": guest, "log_level": "info",
            "proxy_exclusion_domains": ["10.0.0.0/8"], "should_fail_open": false})
    );
    assert_eq!(srv.get(&format!("{path}/download"), &other).await.0, 404);
    let nobody = format!("{base}/{}/download", uuid::Uuid::new_v4());
    assert_eq!(srv.get(&nobody, &admin).await.0, 404);

    // Errors of "Add client configuration".
    let real_key = admin.clone();
    for bad in [
        json!({"name": "x", "client_ca_uuid": uuid::Uuid::new_v4().to_string()}),
        json!({"name": "x", "client_ca_uuid": id(&theirs_ca)}),
        json!({"name": "x", "enable_guest_user_mode": 1}),
        json!({"name": "x", "enable_guest_user_mode": 1, "guest_user_api_token": real_key}),
        json!({"name": "x", "log_level": 9}),
        json!({"name": "x", "enable_always_on_vpn": 3}),
        json!({"name": "x", "post_login_redirect_url": "ftp://x"}),
        json!({"name": "x", "disconnect_interval_minutes": ["soon"]}),
        json!({"description": "no name"}),
    ] {
        assert_eq!(srv.post(base, &admin, bad.clone()).await.0, 400, "{bad}");
    }
    assert_eq!(srv.post(base, &user, json!({"name": "x"})).await.0, 403);
    let reuse =
        json!({"name": "kiosk", "enable_guest_user_mode": 1, "guest_user_api_token": guest});
    post_ok(&srv, base, &admin, reuse, 201).await;

    // Get, query, update, cross-account.
    let (s, got) = srv.get(&path, &admin).await;
    assert_eq!((s, got["priority"].as_i64()), (200, Some(10)));
    assert_eq!(
        srv.get(&path, &user).await.0,
        403,
        "end users only download"
    );
    assert_eq!(srv.get(&path, &other).await.0, 404);
    let (_, list) = srv.get(base, &admin).await;
    assert_eq!(names(&list, "client_configs"), ["kiosk", "laptops"]);
    let (s, u) = srv
        .patch(
            &path,
            &admin,
            json!({"log_level": 4, "attributes_to_delete": ["enable_browser_proxy", "enable_guest_user_mode"]}),
        )
        .await;
    assert_eq!((s, u["log_level"].as_i64()), (200, Some(4)), "{u}");
    assert_eq!(u["enable_browser_proxy"], 0);
    let (_, file) = srv.get(&format!("{path}/download"), &user).await;
    assert_eq!(file["settings"]["log_level"], "debug");
    assert!(file["settings"].get("enable_browser_proxy").is_none());
    assert!(file["settings"].get("guest_user_api_token").is_none());
    // A CA deleted since leaves the file without one.
    srv.delete(&format!("/edge/v1/ca-certificates/{}", id(&ca)), &admin)
        .await;
    let (_, file) = srv.get(&format!("{path}/download"), &user).await;
    assert!(file["settings"].get("client_ca").is_none(), "{file}");
    assert!(file["settings"].get("client_ca_uuid").is_none());
    assert_eq!(file["settings"]["log_level"], "debug");
    for bad in [
        json!({"attributes_to_delete": ["name"]}),
        json!({"client_ca_uuid": id(&theirs_ca)}),
        json!({"should_fail_open": 7}),
    ] {
        assert_eq!(srv.patch(&path, &admin, bad.clone()).await.0, 400, "{bad}");
    }
    assert_eq!(
        srv.patch(&path, &other, json!({"log_level": 1})).await.0,
        404
    );

    assert_eq!(srv.delete(&path, &other).await.0, 404);
    let (s, d) = srv.delete(&path, &admin).await;
    assert_eq!((s, d["status"].as_i64()), (200, Some(4)));
    assert_eq!(srv.get(&format!("{path}/download"), &user).await.0, 404);
}
