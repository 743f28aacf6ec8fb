//! Local fakes of the identity providers, speaking each one's wire format: Okta
//! (`SSWS` tokens, `Link` paging), Microsoft Graph (client-credentials token,
//! `@odata.nextLink`) and Google Workspace (JWT bearer grant with a verified RS256
//! signature, `nextPageToken`). Listings come two items a page, so every sync crosses
//! pages. Wrong credentials get the provider's 401 / 400 answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

pub const PAGE: usize = 2;
pub const OKTA_TOKEN: &str = "00okta-secret-token-Zq9";
pub const GRAPH_SECRET: &str = "graph-client-secret-Xy7";
pub const GRAPH_TENANT: &str = "contoso-tenant";
pub const GRAPH_CLIENT: &str = "app-client-id";
pub const GOOGLE_SA: &str = "sync@project.iam.gserviceaccount.com";
pub const GOOGLE_ADMIN: &str = "admin@example.com";

#[derive(Clone, Debug)]
pub struct FakeUser {
    pub id: String,
    pub first: String,
    pub last: String,
    pub email: String,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct FakeGroup {
    pub id: String,
    pub name: String,
    pub users: Vec<String>,
    pub groups: Vec<String>,
}

/// The directory every fake serves: three users, two groups (one nested in the other).
#[derive(Default)]
pub struct Dir {
    pub users: Vec<FakeUser>,
    pub groups: Vec<FakeGroup>,
    pub base: String,
    /// The RSA public key (PKCS#1 DER) Google checks assertions with.
    pub google_key: Vec<u8>,
    /// Requests served, as `METHOD path`.
    pub calls: Vec<String>,
}

pub type Shared = Arc<Mutex<Dir>>;

fn user(id: &str, first: &str, last: &str, email: &str, active: bool) -> FakeUser {
    FakeUser {
        id: id.into(),
        first: first.into(),
        last: last.into(),
        email: email.into(),
        active,
    }
}

pub fn directory() -> Dir {
    Dir {
        users: vec![
            user("u1", "Ada", "Lovelace", "ada@example.com", true),
            user("u2", "Grace", "Hopper", "grace@example.com", true),
            user("u3", "Alan", "Turing", "alan@example.com", false),
        ],
        groups: vec![
            FakeGroup {
                id: "g1".into(),
                name: "Engineering".into(),
                users: vec!["u1".into(), "u2".into(), "u3".into()],
                groups: vec!["g2".into()],
            },
            FakeGroup {
                id: "g2".into(),
                name: "Admins".into(),
                users: vec!["u2".into()],
                groups: vec![],
            },
        ],
        ..Dir::default()
    }
}

/// Starts `app` on 127.0.0.1; returns its base URL.
pub async fn spawn(app: Router, state: &Shared) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    state.lock().unwrap().base = base.clone();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn page_of(items: Vec<Value>, start: usize) -> (Vec<Value>, Option<usize>) {
    let end = (start + PAGE).min(items.len());
    let next = (end < items.len()).then_some(end);
    (items[start.min(end)..end].to_vec(), next)
}

fn start(q: &HashMap<String, String>, key: &str) -> usize {
    q.get(key).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn record(st: &Shared, what: String) {
    st.lock().unwrap().calls.push(what);
}

// ---- Okta ----

pub fn okta(st: Shared) -> Router {
    Router::new()
        .route("/api/v1/users", get(okta_users))
        .route("/api/v1/groups", get(okta_groups))
        .route("/api/v1/groups/{id}/users", get(okta_members))
        .with_state(st)
}

fn okta_user(u: &FakeUser) -> Value {
    json!({
        "id": u.id, "status": if u.active { "ACTIVE" } else { "SUSPENDED" },
        "profile": {"firstName": u.first, "lastName": u.last, "email": u.email, "login": u.email}
    })
}

fn okta_page(
    st: &Shared,
    h: &HeaderMap,
    path: &str,
    q: &HashMap<String, String>,
    items: Vec<Value>,
) -> Response {
    record(st, format!("GET {path}"));
    if h.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("SSWS {OKTA_TOKEN}")) {
        let body = json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided",
            "errorLink": "E0000011", "errorId": "oae1", "errorCauses": []});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let base = st.lock().unwrap().base.clone();
    let (items, next) = page_of(items, start(q, "after"));
    let mut resp = axum::Json(Value::Array(items)).into_response();
    let limit = q.get("limit").cloned().unwrap_or_default();
    let mut links = vec![format!("<{base}{path}?limit={limit}>; rel=\"self\"")];
    if let Some(n) = next {
        links.push(format!(
            "<{base}{path}?after={n}&limit={limit}>; rel=\"next\""
        ));
    }
    for l in links {
        resp.headers_mut().append("link", l.parse().unwrap());
    }
    resp
}

async fn okta_users(
    State(st): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = st.lock().unwrap().users.iter().map(okta_user).collect();
    okta_page(&st, &h, "/api/v1/users", &q, items)
}

async fn okta_groups(
    State(st): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = st.lock().unwrap().groups.iter()
        .map(|g| json!({"id": g.id, "type": "OKTA_GROUP", "profile": {"name": g.name, "description": format!("{} team", g.name)}}))
        .collect();
    okta_page(&st, &h, "/api/v1/groups", &q, items)
}

async fn okta_members(
    State(st): State<Shared>,
    Path(id): Path<String>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = {
        let d = st.lock().unwrap();
        let members = d
            .groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.users.clone())
            .unwrap_or_default();
        d.users
            .iter()
            .filter(|u| members.contains(&u.id))
            .map(okta_user)
            .collect()
    };
    okta_page(&st, &h, &format!("/api/v1/groups/{id}/users"), &q, items)
}

// ---- Microsoft Graph ----

pub fn graph(st: Shared) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(graph_token))
        .route("/v1.0/users", get(graph_users))
        .route("/v1.0/groups", get(graph_groups))
        .route("/v1.0/groups/{id}/members", get(graph_members))
        .with_state(st)
}

async fn graph_token(
    State(st): State<Shared>,
    Path(tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    record(&st, format!("POST /{tenant}/oauth2/v2.0/token"));
    let ok = tenant == GRAPH_TENANT
        && f.get("grant_type").map(String::as_str) == Some("client_credentials")
        && f.get("client_id").map(String::as_str) == Some(GRAPH_CLIENT)
        && f.get("client_secret").map(String::as_str) == Some(GRAPH_SECRET)
        && f.get("scope").map(String::as_str) == Some("https://graph.microsoft.com/.default");
    if !ok {
        let body = json!({"error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": [7000215]});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    axum::Json(
        json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
        "access_token": "graph-access-token"}),
    )
    .into_response()
}

fn graph_page(
    st: &Shared,
    h: &HeaderMap,
    path: &str,
    q: &HashMap<String, String>,
    items: Vec<Value>,
) -> Response {
    record(st, format!("GET {path}"));
    if h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer graph-access-token") {
        let body = json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let base = st.lock().unwrap().base.clone();
    let (items, next) = page_of(items, start(q, "$skiptoken"));
    let mut body = json!({"@odata.context": format!("{base}/v1.0/$metadata"), "value": items});
    if let Some(n) = next {
        body["@odata.nextLink"] = json!(format!("{base}{path}?%24top=2&%24skiptoken={n}"));
    }
    axum::Json(body).into_response()
}

async fn graph_users(
    State(st): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = st
        .lock()
        .unwrap()
        .users
        .iter()
        .map(|u| {
            json!({
                "id": u.id, "displayName": format!("{} {}", u.first, u.last), "mail": u.email,
                "userPrincipalName": u.email, "accountEnabled": u.active,
            })
        })
        .collect();
    graph_page(&st, &h, "/v1.0/users", &q, items)
}

async fn graph_groups(
    State(st): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = st.lock().unwrap().groups.iter()
        .map(|g| json!({"id": g.id, "displayName": g.name, "description": format!("{} team", g.name)}))
        .collect();
    graph_page(&st, &h, "/v1.0/groups", &q, items)
}

async fn graph_members(
    State(st): State<Shared>,
    Path(id): Path<String>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = {
        let d = st.lock().unwrap();
        let g = d.groups.iter().find(|g| g.id == id).cloned();
        let g = g.map(|g| (g.users, g.groups)).unwrap_or_default();
        g.0.iter()
            .map(|u| json!({"@odata.type": "#microsoft.graph.user", "id": u}))
            .chain(
                g.1.iter()
                    .map(|s| json!({"@odata.type": "#microsoft.graph.group", "id": s})),
            )
            .collect()
    };
    graph_page(&st, &h, &format!("/v1.0/groups/{id}/members"), &q, items)
}

// ---- Google Workspace ----

pub fn google(st: Shared) -> Router {
    Router::new()
        .route("/token", post(google_token))
        .route("/admin/directory/v1/users", get(google_users))
        .route("/admin/directory/v1/groups", get(google_groups))
        .route(
            "/admin/directory/v1/groups/{key}/members",
            get(google_members),
        )
        .with_state(st)
}

/// Checks the JWT bearer assertion: RS256 signature by the service account's key,
/// issuer, subject, audience and scope.
fn assertion_ok(st: &Shared, jwt: &str) -> bool {
    use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    let (key, base) = {
        let d = st.lock().unwrap();
        (d.google_key.clone(), d.base.clone())
    };
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 {
        return false;
    }
    let Ok(sig) = URL_SAFE_NO_PAD.decode(parts[2]) else {
        return false;
    };
    let signed = format!("{}.{}", parts[0], parts[1]);
    if UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &key)
        .verify(signed.as_bytes(), &sig)
        .is_err()
    {
        return false;
    }
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap_or_default())
            .unwrap_or_default();
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap_or_default())
            .unwrap_or_default();
    header["alg"] == "RS256"
        && claims["iss"] == GOOGLE_SA
        && claims["sub"] == GOOGLE_ADMIN
        && claims["aud"] == format!("{base}/token")
        && claims["scope"]
            .as_str()
            .is_some_and(|s| s.contains("admin.directory.user.readonly"))
        && claims["exp"].as_i64() > claims["iat"].as_i64()
}

async fn google_token(
    State(st): State<Shared>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    record(&st, "POST /token".into());
    let grant = f.get("grant_type").map(String::as_str)
        == Some("urn:ietf:params:oauth:grant-type:jwt-bearer");
    if !grant || !f.get("assertion").is_some_and(|a| assertion_ok(&st, a)) {
        let body = json!({"error": "invalid_grant", "error_description": "Invalid JWT Signature."});
        return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    }
    axum::Json(
        json!({"access_token": "ya29.google-access", "expires_in": 3599, "token_type": "Bearer"}),
    )
    .into_response()
}

fn google_page(
    st: &Shared,
    h: &HeaderMap,
    path: &str,
    field: &str,
    q: &HashMap<String, String>,
    items: Vec<Value>,
) -> Response {
    record(st, format!("GET {path}"));
    if h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer ya29.google-access") {
        let body = json!({"error": {"code": 401, "message": "Request had invalid authentication credentials.", "status": "UNAUTHENTICATED"}});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let from = q
        .get("pageToken")
        .and_then(|t| t.strip_prefix("p"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let (items, next) = page_of(items, from);
    let mut body = json!({"kind": "admin#directory#list", "etag": "\"e\"", field: items});
    if let Some(n) = next {
        body["nextPageToken"] = json!(format!("p{n}"));
    }
    axum::Json(body).into_response()
}

async fn google_users(
    State(st): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if q.get("customer").map(String::as_str) != Some("my_customer") {
        return (StatusCode::BAD_REQUEST, "customer required").into_response();
    }
    let items = st.lock().unwrap().users.iter().map(|u| json!({
        "kind": "admin#directory#user", "id": u.id, "primaryEmail": u.email,
        "name": {"givenName": u.first, "familyName": u.last, "fullName": format!("{} {}", u.first, u.last)},
        "suspended": !u.active, "archived": false,
    })).collect();
    google_page(&st, &h, "/admin/directory/v1/users", "users", &q, items)
}

async fn google_groups(
    State(st): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = st.lock().unwrap().groups.iter().map(|g| json!({
        "kind": "admin#directory#group", "id": g.id, "email": format!("{}@example.com", g.id),
        "name": g.name, "description": format!("{} team", g.name),
    })).collect();
    google_page(&st, &h, "/admin/directory/v1/groups", "groups", &q, items)
}

async fn google_members(
    State(st): State<Shared>,
    Path(key): Path<String>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let items = {
        let d = st.lock().unwrap();
        let g = d.groups.iter().find(|g| g.id == key).cloned();
        let g = g.map(|g| (g.users, g.groups)).unwrap_or_default();
        g.0.iter().map(|u| json!({"kind": "admin#directory#member", "id": u, "type": "USER", "role": "MEMBER", "status": "ACTIVE"}))
            .chain(g.1.iter().map(|s| json!({"kind": "admin#directory#member", "id": s, "type": "GROUP", "role": "MEMBER"})))
            .collect()
    };
    google_page(
        &st,
        &h,
        &format!("/admin/directory/v1/groups/{key}/members"),
        "members",
        &q,
        items,
    )
}

/// A fresh 2048-bit service-account key: `(PEM PKCS#8 private key, PKCS#1 public key)`.
pub fn google_key() -> (String, Vec<u8>) {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::signature::KeyPair as _;
    let kp = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let der = kp.as_der().unwrap();
    let b64 = STANDARD.encode(der.as_ref());
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        lines.join("\n")
    );
    (pem, kp.public_key().as_ref().to_vec())
}
