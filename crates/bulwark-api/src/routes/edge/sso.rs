//! E065 Login (SAML 2.0 SSO, and OIDC beyond the seed), its callbacks, and the
//! per-account SSO settings (a Bulwark extension).
//!
//! `GET /edge/v1/login` answers 302 to the account's IdP; the IdP sends the browser
//! back to the ACS (SAML, POST) or the callback (OIDC, GET), which answers like token
//! login: the session as JSON, or 302 to the `redirect` given at the start with the JWT
//! in a cookie. These three routes take no credentials (see `auth::is_public`).

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use bulwark_core::DomainError;
use bulwark_core::sso::oidc::OidcSettings;
use bulwark_core::sso::{SamlSettings, SpUrls, SsoLogin, SsoService};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::login::{redirect_allowed, session_response};
use crate::auth::{Auth, audit_login, client_ip};
use crate::dto::session::SessionDto;
use crate::error::{ApiError, AppJson, AppQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(saml_acs))
        .routes(routes!(oidc_callback))
        .routes(routes!(put_sso_settings))
}

fn sso(st: &AppState) -> Result<&Arc<SsoService>, ApiError> {
    st.sso.as_ref().ok_or_else(|| {
        ApiError::Domain(DomainError::Internal(
            "single sign-on is not wired in".into(),
        ))
    })
}

fn sp(st: &AppState) -> SpUrls {
    SpUrls::from_public_url(&st.config.public_url)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SsoLoginQuery {
    /// Account Name
    account: String,
    /// Redirect URL: where the browser goes after login (a path on this server, or a
    /// URL of this server's origin or of `allowed_redirect_origins`).
    redirect: Option<String>,
    /// `saml` (default) or `oidc` (Bulwark extension).
    protocol: Option<String>,
}

fn found(location: &str) -> Result<Response, ApiError> {
    let mut resp = StatusCode::FOUND.into_response();
    resp.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(location)
            .map_err(|_| ApiError::BadRequest("invalid IdP URL".into()))?,
    );
    Ok(resp)
}

/// Login
///
/// Triggers SAML login and gets the JWT token. Answers 302 to the account's identity
/// provider with a SAML AuthnRequest (HTTP-Redirect binding); the login ends at
/// `/edge/v1/login/saml/acs`, which answers the session (200) or redirects to
/// `redirect`. With `protocol=oidc` (Bulwark extension) the same happens with the
/// account's OpenID Connect provider. Unknown accounts and accounts without single
/// sign-on are refused alike (403).
#[utoipa::path(get, path = "/edge/v1/login", operation_id = "Login", tag = "identity",
    security(()), params(SsoLoginQuery),
    responses((status = 302, description = "Redirect to the identity provider"),
        (status = 200, body = SessionDto, description = "The session, at the end of the flow (ACS)"),
        crate::dto::AuthErrors))]
async fn login(
    State(st): State<AppState>,
    AppQuery(q): AppQuery<SsoLoginQuery>,
) -> Result<Response, ApiError> {
    if let Some(target) = q.redirect.as_deref()
        && !redirect_allowed(&st.config, target)
    {
        return Err(ApiError::BadRequest(format!(
            "redirect `{target}` is not an allowed origin"
        )));
    }
    let svc = sso(&st)?;
    let url = match q.protocol.as_deref().unwrap_or("saml") {
        "saml" => svc.start_saml(&sp(&st), &q.account, q.redirect).await?,
        "oidc" => svc.start_oidc(&sp(&st), &q.account, q.redirect).await?,
        other => {
            return Err(ApiError::BadRequest(format!(
                "unknown `protocol` `{other}`: use `saml` or `oidc`"
            )));
        }
    };
    found(&url)
}

/// The IdP's HTTP-POST binding form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
    #[serde(rename = "RelayState", default)]
    relay_state: String,
}

/// Answers with the session (or the redirect) and audits the login.
async fn finished(
    st: &AppState,
    login: SsoLogin,
    endpoint: (&str, &str, &str),
) -> Result<Response, ApiError> {
    let mut dto = SessionDto::new(&login.session, &login.account_name, login.jwt);
    dto.tags = login.groups;
    let response = session_response(&st.config, dto, login.redirect)?;
    audit_login(
        st,
        &login.session,
        &login.account_name,
        endpoint,
        response.status(),
    )
    .await?;
    Ok(response)
}

/// SAML assertion consumer service (Bulwark extension)
///
/// Where the IdP posts its `SAMLResponse` (HTTP-POST binding) with the `RelayState` it
/// was given by Login. The response must be signed by a certificate of the account's
/// IdP metadata, addressed to this ACS and to this service provider, answer the
/// request Login issued, and be in its validity window; each is used once.
#[utoipa::path(post, path = "/edge/v1/login/saml/acs", operation_id = "SamlAcs", tag = "identity",
    security(()), request_body(content = AcsForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = SessionDto), (status = 302, description = "Redirect after login"),
        crate::dto::AuthErrors))]
async fn saml_acs(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let ip = client_ip(req.extensions());
    let form: Result<Form<AcsForm>, FormRejection> =
        <Form<AcsForm> as axum::extract::FromRequest<AppState>>::from_request(req, &st).await;
    let Form(form) =
        form.map_err(|e| ApiError::BadRequest(format!("invalid form: {}", e.body_text())))?;
    let login = sso(&st)?
        .finish_saml(&sp(&st), &form.saml_response, &form.relay_state, &ip)
        .await?;
    finished(&st, login, ("POST", "/edge/v1/login/saml/acs", "SamlAcs")).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OidcCallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// OIDC redirect URI (Bulwark extension)
///
/// Where the OpenID provider sends the browser with `code` and `state`. The code is
/// exchanged (with the PKCE verifier), the ID token verified (JWKS signature, `iss`,
/// `aud`, `exp`, `nonce`), and the session opened; the user joins the account groups
/// named in the `groups` claim, whose uuids are returned in `tags`.
#[utoipa::path(get, path = "/edge/v1/login/oidc/callback", operation_id = "OidcCallback", tag = "identity",
    security(()), params(OidcCallbackQuery),
    responses((status = 200, body = SessionDto), (status = 302, description = "Redirect after login"),
        crate::dto::AuthErrors))]
async fn oidc_callback(
    State(st): State<AppState>,
    AppQuery(q): AppQuery<OidcCallbackQuery>,
    req: Request,
) -> Result<Response, ApiError> {
    if let Some(e) = q.error {
        return Err(ApiError::Domain(DomainError::forbidden(format!(
            "the OpenID provider refused the login: {e} {}",
            q.error_description.unwrap_or_default()
        ))));
    }
    let (Some(code), Some(state)) = (q.code, q.state) else {
        return Err(ApiError::BadRequest(
            "`code` and `state` are required".into(),
        ));
    };
    let ip = client_ip(req.extensions());
    let login = sso(&st)?.finish_oidc(&sp(&st), &code, &state, &ip).await?;
    finished(
        &st,
        login,
        ("GET", "/edge/v1/login/oidc/callback", "OidcCallback"),
    )
    .await
}

/// OIDC client settings; `client_secret` is write-only.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OidcBody {
    /// Issuer URL; empty removes OIDC login.
    issuer: String,
    #[serde(default)]
    client_id: String,
    /// Kept when omitted; sealed at rest and never returned.
    client_secret: Option<String>,
}

/// Fields present are changed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SsoSettingsBody {
    /// SAML IdP metadata XML (the account's `idp_metadata`); empty removes SAML login.
    idp_metadata: Option<String>,
    oidc: Option<OidcBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SsoSettingsDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    saml: Option<SamlSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    oidc: Option<OidcSettings>,
}

/// Set single sign-on settings (Bulwark extension)
///
/// Sets the account's SAML IdP metadata and/or OpenID Connect client. Requires `admin`.
/// The answer also gives what to configure at the IdP: the SP entity id and ACS URL,
/// and the OIDC redirect URI.
#[utoipa::path(put, path = "/bulwark/v1/accounts/{name}/sso", operation_id = "PutSsoSettings", tag = "identity",
    params(("name" = String, Path, description = "Account name")), request_body = SsoSettingsBody,
    responses((status = 200, body = SsoSettingsDto), crate::dto::AuthErrors))]
async fn put_sso_settings(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
    AppJson(body): AppJson<SsoSettingsBody>,
) -> Result<Json<SsoSettingsDto>, ApiError> {
    let svc = sso(&st)?;
    let sp = sp(&st);
    let mut out = SsoSettingsDto {
        saml: None,
        oidc: None,
    };
    if let Some(md) = body.idp_metadata {
        out.saml = svc.configure_saml(&p, &name, &sp, &md).await?;
    }
    if let Some(o) = body.oidc {
        out.oidc = svc
            .configure_oidc(
                &p,
                &name,
                &sp,
                &o.issuer,
                &o.client_id,
                o.client_secret.as_deref(),
            )
            .await?;
    }
    Ok(Json(out))
}
