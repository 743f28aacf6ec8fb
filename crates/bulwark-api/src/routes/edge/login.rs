//! E078 TokenLogin: an API token in, a session JWT out.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, audit_login, client_ip};
use crate::dto::session::SessionDto;
use crate::error::{ApiError, AppQuery};
use crate::state::{ApiConfig, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(token_login))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginQuery {
    /// Account name.
    account: String,
    /// Where to send the browser after login: a path on this server, or a URL whose
    /// origin is this server's or one of `allowed_redirect_origins`.
    redirect: Option<String>,
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    // Userinfo (`https://good@evil`) is a classic way to disguise the real host.
    if host.is_empty() || host.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// Decides whether `target` may be redirected to: no open redirects.
pub(crate) fn redirect_allowed(cfg: &ApiConfig, target: &str) -> bool {
    if target.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    if target.starts_with('/') {
        // `//host` is protocol-relative: another origin.
        return !target.starts_with("//");
    }
    let Some(o) = origin(target) else {
        return false;
    };
    origin(&cfg.public_url).as_deref() == Some(o.as_str())
        || cfg
            .allowed_redirect_origins
            .iter()
            .any(|a| origin(a).as_deref() == Some(o.as_str()))
}

/// TokenLogin
///
/// Triggers login using a provided API token (sent as `Authorization: ApiKey <token>`)
/// and gets the JWT token: send it as `Authorization: Bearer <token>` afterwards. With
/// `redirect`, answers 302 to that location and sets the JWT as an HttpOnly cookie.
#[utoipa::path(get, path = "/edge/v1/token-login", operation_id = "TokenLogin", tag = "identity",
    params(LoginQuery),
    responses((status = 200, body = SessionDto), (status = 302, description = "Redirect after login"),
        crate::dto::AuthErrors))]
async fn token_login(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<LoginQuery>,
    req: Request,
) -> Result<Response, ApiError> {
    if let Some(target) = q.redirect.as_deref()
        && !redirect_allowed(&st.config, target)
    {
        return Err(ApiError::BadRequest(format!(
            "redirect `{target}` is not an allowed origin"
        )));
    }
    let ip = client_ip(req.extensions());
    let (session, jwt) = st.auth.token_login(&p, &q.account, &ip).await?;
    let response = session_response(
        &st.config,
        SessionDto::new(&session, &p.account_name, jwt),
        q.redirect,
    )?;
    let endpoint = ("GET", "/edge/v1/token-login", "TokenLogin");
    audit_login(&st, &session, &p.account_name, endpoint, response.status()).await?;
    Ok(response)
}

/// How every login ends: the session as JSON, or, with a (validated) `redirect`, a 302
/// there with the JWT as an HttpOnly cookie.
pub(crate) fn session_response(
    cfg: &ApiConfig,
    dto: SessionDto,
    redirect: Option<String>,
) -> Result<Response, ApiError> {
    let Some(target) = redirect else {
        return Ok(Json(dto).into_response());
    };
    let secure = if cfg.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "bulwark_session={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        dto.token, dto.ttl_sec
    );
    let mut resp = StatusCode::FOUND.into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(&target)
            .map_err(|_| ApiError::BadRequest("invalid redirect".into()))?,
    );
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie)
            .map_err(|_| ApiError::BadRequest("invalid cookie".into()))?,
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_redirects_are_refused() {
        let cfg = ApiConfig {
            public_url: "https://bulwark.example:8443".into(),
            allowed_redirect_origins: vec!["https://console.example".into()],
            ..ApiConfig::default()
        };
        assert!(redirect_allowed(&cfg, "/dashboard"));
        assert!(redirect_allowed(&cfg, "https://bulwark.example:8443/x"));
        assert!(redirect_allowed(&cfg, "https://console.example/after"));
        assert!(!redirect_allowed(&cfg, "//evil.example/"));
        assert!(!redirect_allowed(&cfg, "https://evil.example/"));
        assert!(!redirect_allowed(
            &cfg,
            "https://console.example@evil.example/"
        ));
        assert!(!redirect_allowed(
            &cfg,
            "https://console.example.evil.example/"
        ));
        assert!(!redirect_allowed(&cfg, "javascript:alert(1)"));
        assert!(!redirect_allowed(&cfg, "/\\evil.example"));
        assert!(!redirect_allowed(&cfg, "http://bulwark.example:8443/"));
    }
}
