//! Authentication and auditing middleware, and the extractor handlers use.
//!
//! [`require_auth`] resolves the `Authorization` header to a [`Principal`] (stored in
//! the request extensions for the [`Auth`] extractor) before routing. [`audit`] runs
//! after routing, around the handler, and records an audit event for every mutating
//! request before the response leaves, so an acknowledged change always has its record.

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bulwark_core::auth::Principal;
use bulwark_core::crypto::looks_like_token;
use bulwark_core::model::AuditEvent;
use bulwark_core::{DomainError, clock};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller, for handlers.
pub struct Auth(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Auth)
            .ok_or(ApiError::MissingCredentials)
    }
}

/// Set by handlers on their response to name the object they created or changed.
#[derive(Debug, Clone)]
pub struct AuditObject(pub String);

/// The client address: the TCP peer.
pub fn client_ip(req_ext: &axum::http::Extensions) -> String {
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

async fn authenticate(
    state: &AppState,
    header_value: Option<String>,
) -> Result<Principal, ApiError> {
    let raw = header_value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or(ApiError::MissingCredentials)?;
    let (scheme, value) = raw.split_once(' ').unwrap_or((raw, ""));
    let value = value.trim();
    let principal = match scheme.to_ascii_lowercase().as_str() {
        "apikey" if !value.is_empty() => state.auth.api_key(value).await?,
        // An API token sent as a bearer credential is accepted too: the shapes differ.
        "bearer" if looks_like_token(value) => state.auth.api_key(value).await?,
        "bearer" if !value.is_empty() => state.auth.bearer(value).await?,
        _ => return Err(ApiError::MissingCredentials),
    };
    Ok(principal)
}

/// Bodies larger than this are summarised, not stored, in the audit log.
const AUDIT_BODY_MAX: usize = 64 * 1024;

/// Paths reachable without credentials.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/healthz" | "/metrics" | "/openapi.json" | "/edge/v1/login"
    ) || matches!(
        path,
        "/edge/v1/login/saml/acs" | "/edge/v1/login/oidc/callback"
    ) || path == "/docs"
        || path.starts_with("/docs/")
}

/// Global layer: every non-public request, matched or not, must authenticate first, so
/// unknown routes reveal nothing to anonymous callers (as Spring Security does).
pub async fn require_auth(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if is_public(req.uri().path()) {
        return next.run(req).await;
    }
    let header_value = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match authenticate(&state, header_value).await {
        Ok(p) => {
            req.extensions_mut().insert(p);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

/// Route layer: records an audit event for every authenticated mutating request, after
/// the handler and before the response leaves.
pub async fn audit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mutating = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let Some(principal) = req.extensions().get::<Principal>().cloned() else {
        return next.run(req).await;
    };
    if !mutating {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let declared_len = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let capture = content_type.starts_with("application/json")
        && declared_len.is_none_or(|n| n <= AUDIT_BODY_MAX);
    let (body, recorded_body) = if capture {
        match to_bytes(body, AUDIT_BODY_MAX).await {
            Ok(bytes) => {
                let rec = bulwark_core::audit::redact_body(&bytes, &content_type);
                (Body::from(bytes), rec)
            }
            Err(_) => {
                return ApiError::BadRequest(format!(
                    "JSON request bodies are limited to {AUDIT_BODY_MAX} bytes"
                ))
                .into_response();
            }
        }
    } else {
        let summary = match declared_len {
            Some(n) => format!(
                "<{} body, {n} bytes>",
                content_type.split(';').next().unwrap_or("")
            ),
            None if content_type.is_empty() => String::new(),
            None => format!("<{} body>", content_type.split(';').next().unwrap_or("")),
        };
        (body, summary)
    };
    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let matched = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let version = format!("{:?}", parts.version);
    let ip = client_ip(&parts.extensions);
    let trace = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();

    let response = next.run(Request::from_parts(parts, body)).await;

    let now = clock::now_ms();
    let op = state
        .ops
        .get(&(method.clone(), matched.clone()))
        .cloned()
        .unwrap_or_default();
    let object_uuid = response
        .extensions()
        .get::<AuditObject>()
        .map(|o| o.0.clone())
        .unwrap_or_default();
    let status = response.status();
    let event = AuditEvent {
        uuid: Uuid::new_v4(),
        account_id: principal.account_id,
        account_name: principal.account_name.clone(),
        auth_account_name: principal.account_name.clone(),
        auth_role: principal.role,
        auth_type: principal.auth_type.as_str().into(),
        auth_uuid: principal.credential_uuid.to_string(),
        user_login: principal.actor_uuid(),
        user_display_name: principal.display_name.clone(),
        client_ip: ip,
        create_time: now,
        expire_time_sec: now / 1000 + state.config.audit_retention_sec,
        method,
        path,
        matched_path: matched,
        op,
        protocol: "http".into(),
        proto_version: version,
        request_body: recorded_body,
        response_status: i32::from(status.as_u16()),
        response_status_text: status.canonical_reason().unwrap_or("").into(),
        trace,
        object_uuid,
    };
    if let Err(e) = state.audit.record(&event).await {
        // The change is committed but unaudited: fail loudly rather than pretend.
        tracing::error!(error = %e, "audit event could not be recorded");
        return ApiError::Domain(DomainError::Storage(format!("audit log unavailable: {e}")))
            .into_response();
    }
    response
}

/// Records a login that opened a session. Login endpoints answer before a principal
/// exists (SSO callbacks are public, token login is a GET), so the audit layer, which
/// records authenticated changes, does not see them; a security team still needs to
/// know who signed in, how and from where. Neither the SAML response nor the code is
/// kept: the body is empty.
pub(crate) async fn audit_login(
    state: &AppState,
    session: &bulwark_core::model::Session,
    account_name: &str,
    (method, path, op): (&str, &str, &str),
    status: axum::http::StatusCode,
) -> Result<(), ApiError> {
    let now = clock::now_ms();
    let auth_type = match session.login_type {
        bulwark_core::model::LoginType::Token => "token_login",
        bulwark_core::model::LoginType::Saml => "saml",
        bulwark_core::model::LoginType::Oidc => "oidc",
    };
    let event = AuditEvent {
        uuid: Uuid::new_v4(),
        account_id: session.account_id,
        account_name: account_name.to_string(),
        auth_account_name: account_name.to_string(),
        auth_role: session.role,
        auth_type: auth_type.into(),
        auth_uuid: session.uuid.to_string(),
        user_login: session.user_uuid.clone(),
        user_display_name: String::new(),
        client_ip: session.client_ip.clone(),
        create_time: now,
        expire_time_sec: now / 1000 + state.config.audit_retention_sec,
        method: method.into(),
        path: path.into(),
        matched_path: path.into(),
        op: op.into(),
        protocol: "http".into(),
        proto_version: String::new(),
        request_body: String::new(),
        response_status: i32::from(status.as_u16()),
        response_status_text: status.canonical_reason().unwrap_or("").into(),
        trace: String::new(),
        object_uuid: session.uuid.to_string(),
    };
    // As for any audited change: no session without its audit event.
    state.audit.record(&event).await.map_err(|e| {
        tracing::error!(error = %e, "login audit event could not be recorded");
        ApiError::Domain(DomainError::Storage(format!("audit log unavailable: {e}")))
    })
}
