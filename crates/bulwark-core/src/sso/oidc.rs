//! OpenID Connect login (beyond the seed): authorization code flow with PKCE (S256),
//! `state` (the pending login id) and `nonce`.
//!
//! The provider is found by discovery (`{issuer}/.well-known/openid-configuration`,
//! whose `issuer` must equal the configured one). The ID token is verified with the
//! provider's JWKS (asymmetric algorithms only; the key is chosen by `kid`), and its
//! `iss`, `aud` (our client id), `exp`/`nbf` and `nonce` are checked; `jsonwebtoken`,
//! already our JWT library, does the signature and claim checks.
//!
//! `groups`: the claim names groups of the account (by `name` or uuid; unknown names
//! are ignored). At each login the user is added to the `member_users` of those groups
//! (just-in-time membership, so access policies on groups apply at once) and the
//! groups' uuids are returned in the session's `tags`. Membership is never removed by a
//! login: groups may also be managed by hand.

use async_trait::async_trait;
use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{SpUrls, SsoLogin, SsoService, not_configured};
use crate::auth::Principal;
use crate::model::{LoginType, ObjectFilter};
use crate::{DomainError, Result, Status, clock};

/// HTTP access to OIDC providers, supplied by the binary (the core does no I/O).
#[async_trait]
pub trait OidcHttp: Send + Sync {
    /// GETs a JSON document.
    async fn get_json(&self, url: &str) -> std::result::Result<Value, String>;
    /// POSTs an urlencoded form with HTTP Basic client authentication; the JSON answer.
    async fn post_form(
        &self,
        url: &str,
        basic: (&str, &str),
        form: &[(&str, &str)],
    ) -> std::result::Result<Value, String>;
}

/// OIDC settings as stored: the client secret sealed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredOidc {
    pub issuer: String,
    pub client_id: String,
    pub client_secret_sealed: String,
}

/// OIDC settings as the API shows them (never the secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    /// Register this redirect URI at the provider.
    pub redirect_uri: String,
    pub client_secret_set: bool,
}

const SEAL_CONTEXT: &str = "sso.oidc.client_secret";

/// Endpoints from discovery.
struct Provider {
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

fn http_url(v: Option<&Value>, what: &str) -> Result<String> {
    match v.and_then(Value::as_str) {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => Ok(u.to_string()),
        _ => Err(DomainError::invalid(format!(
            "OIDC discovery: missing or invalid `{what}`"
        ))),
    }
}

fn random_token() -> Result<String> {
    let mut b = [0u8; 32];
    aws_lc_rs::rand::fill(&mut b)
        .map_err(|_| DomainError::Internal("random source failed".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(b))
}

fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()).as_ref())
}

fn norm_issuer(s: &str) -> &str {
    s.trim().trim_end_matches('/')
}

impl SsoService {
    async fn discover(&self, issuer: &str) -> Result<Provider> {
        let url = format!("{}/.well-known/openid-configuration", norm_issuer(issuer));
        let doc =
            self.http.get_json(&url).await.map_err(|e| {
                DomainError::invalid(format!("OIDC discovery at `{url}` failed: {e}"))
            })?;
        let got = doc.get("issuer").and_then(Value::as_str).unwrap_or("");
        if norm_issuer(got) != norm_issuer(issuer) {
            return Err(DomainError::invalid(format!(
                "OIDC discovery: issuer `{got}` is not the configured `{issuer}`"
            )));
        }
        Ok(Provider {
            authorization_endpoint: http_url(
                doc.get("authorization_endpoint"),
                "authorization_endpoint",
            )?,
            token_endpoint: http_url(doc.get("token_endpoint"), "token_endpoint")?,
            jwks_uri: http_url(doc.get("jwks_uri"), "jwks_uri")?,
        })
    }

    /// Sets the account's OIDC client (an empty issuer removes it). The provider must
    /// answer discovery now, so mistakes show at configuration time.
    pub async fn configure_oidc(
        &self,
        caller: &Principal,
        account: &str,
        sp: &SpUrls,
        issuer: &str,
        client_id: &str,
        client_secret: Option<&str>,
    ) -> Result<Option<OidcSettings>> {
        let account_id = self.own_account(caller, account)?;
        let mut cfg = self.config(account_id).await?;
        if issuer.trim().is_empty() {
            cfg.oidc = None;
            self.save_config(account_id, &cfg).await?;
            return Ok(None);
        }
        if client_id.trim().is_empty() {
            return Err(DomainError::invalid("`oidc.client_id` is required"));
        }
        self.discover(issuer).await?;
        let sealed = match (client_secret, &cfg.oidc) {
            (Some(s), _) if !s.is_empty() => self.sealer.seal(s.as_bytes(), SEAL_CONTEXT)?,
            (_, Some(old)) => old.client_secret_sealed.clone(),
            _ => return Err(DomainError::invalid("`oidc.client_secret` is required")),
        };
        let stored = StoredOidc {
            issuer: norm_issuer(issuer).to_string(),
            client_id: client_id.trim().to_string(),
            client_secret_sealed: sealed,
        };
        cfg.oidc = Some(stored.clone());
        self.save_config(account_id, &cfg).await?;
        Ok(Some(OidcSettings {
            issuer: stored.issuer,
            client_id: stored.client_id,
            redirect_uri: sp.oidc_callback.clone(),
            client_secret_set: true,
        }))
    }

    /// First leg: the provider's authorization URL to send the browser to.
    pub async fn start_oidc(
        &self,
        sp: &SpUrls,
        account: &str,
        redirect: Option<String>,
    ) -> Result<String> {
        let account_id = self.login_account(account, "OIDC").await?;
        let Some(oidc) = self.config(account_id).await?.oidc else {
            return Err(not_configured(account, "OIDC"));
        };
        let provider = self.discover(&oidc.issuer).await?;
        let nonce = random_token()?;
        let verifier = random_token()?;
        let mut data = Map::new();
        data.insert("nonce".into(), json!(nonce));
        data.insert("verifier".into(), json!(verifier));
        let state = self.start(account_id, "oidc", data, redirect).await?;
        let challenge = pkce_challenge(&verifier);
        let query = [
            ("response_type", "code"),
            ("client_id", oidc.client_id.as_str()),
            ("redirect_uri", sp.oidc_callback.as_str()),
            ("scope", "openid email profile groups"),
            ("state", state.as_str()),
            ("nonce", nonce.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        let qs: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        let sep = if provider.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(format!(
            "{}{sep}{}",
            provider.authorization_endpoint,
            qs.join("&")
        ))
    }

    /// Second leg (the redirect URI): exchanges `code`, verifies the ID token and opens
    /// the session.
    pub async fn finish_oidc(
        &self,
        sp: &SpUrls,
        code: &str,
        state: &str,
        client_ip: &str,
    ) -> Result<SsoLogin> {
        let pending = self.take(state, "oidc").await?;
        let Some(oidc) = self.config(pending.account_id).await?.oidc else {
            return Err(DomainError::forbidden("OIDC login is no longer configured"));
        };
        let field = |k: &str| {
            pending
                .data
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let provider = self.discover(&oidc.issuer).await?;
        let secret = self.sealer.open(&oidc.client_secret_sealed, SEAL_CONTEXT)?;
        let secret = String::from_utf8(secret)
            .map_err(|_| DomainError::Internal("stored secret is not text".into()))?;
        let verifier = field("verifier");
        let tokens = self
            .http
            .post_form(
                &provider.token_endpoint,
                (oidc.client_id.as_str(), secret.as_str()),
                &[
                    ("grant_type", "authorization_code"),
                    ("code", code),
                    ("redirect_uri", sp.oidc_callback.as_str()),
                    ("code_verifier", verifier.as_str()),
                ],
            )
            .await
            .map_err(|e| DomainError::forbidden(format!("OIDC code exchange failed: {e}")))?;
        let id_token = tokens
            .get("id_token")
            .and_then(Value::as_str)
            .ok_or_else(|| DomainError::forbidden("OIDC token response has no id_token"))?;
        let claims = self.verify_id_token(&provider, &oidc, id_token).await?;
        if claims.get("nonce").and_then(Value::as_str) != Some(field("nonce").as_str()) {
            return Err(DomainError::forbidden("OIDC ID token refused: wrong nonce"));
        }
        let subject = claims
            .get("email")
            .and_then(Value::as_str)
            .or_else(|| claims.get("sub").and_then(Value::as_str))
            .unwrap_or_default()
            .to_string();
        let user = self.find_user(pending.account_id, &subject).await?;
        let wanted: Vec<String> = claims
            .get("groups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let groups = self
            .join_groups(pending.account_id, &user.0, &wanted)
            .await?;
        self.finish(&pending, user, LoginType::Oidc, client_ip, None, groups)
            .await
    }

    async fn verify_id_token(
        &self,
        provider: &Provider,
        oidc: &StoredOidc,
        id_token: &str,
    ) -> Result<Map<String, Value>> {
        let refused = |why: String| DomainError::forbidden(format!("OIDC ID token refused: {why}"));
        let header = jsonwebtoken::decode_header(id_token).map_err(|e| refused(e.to_string()))?;
        // Symmetric algorithms would make the client secret the key: asymmetric only.
        if matches!(
            header.alg,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        ) {
            return Err(refused(format!(
                "algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let jwks: JwkSet = serde_json::from_value(
            self.http
                .get_json(&provider.jwks_uri)
                .await
                .map_err(|e| refused(format!("JWKS unavailable: {e}")))?,
        )
        .map_err(|e| refused(format!("bad JWKS: {e}")))?;
        let jwk = match &header.kid {
            Some(kid) => jwks.find(kid),
            None if jwks.keys.len() == 1 => jwks.keys.first(),
            None => None,
        }
        .ok_or_else(|| refused("no JWKS key matches the token's `kid`".into()))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| refused(e.to_string()))?;
        let mut v = Validation::new(header.alg);
        let with_slash = format!("{}/", oidc.issuer);
        v.set_issuer(&[oidc.issuer.as_str(), with_slash.as_str()]);
        v.set_audience(&[oidc.client_id.as_str()]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.leeway = 60;
        let data = jsonwebtoken::decode::<Map<String, Value>>(id_token, &key, &v)
            .map_err(|e| refused(e.to_string()))?;
        Ok(data.claims)
    }

    /// Adds `user` to the account's active groups named (or identified) in `wanted`;
    /// returns their uuids.
    async fn join_groups(
        &self,
        account: Uuid,
        user: &str,
        wanted: &[String],
    ) -> Result<Vec<String>> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let filter = ObjectFilter {
            statuses: vec![Status::Active],
            limit: i64::MAX,
            ..ObjectFilter::default()
        };
        let mut joined = Vec::new();
        for mut g in self.store.query_objects(account, "group", &filter).await? {
            let name = g.doc.get("name").and_then(Value::as_str).unwrap_or("");
            let id = g.uuid.to_string();
            if !wanted.iter().any(|w| w == name || *w == id) {
                continue;
            }
            joined.push(id);
            let mut members: Vec<Value> = g
                .doc
                .get("member_users")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if members.iter().any(|m| m.as_str() == Some(user)) {
                continue;
            }
            members.push(json!(user));
            g.doc.insert("member_users".into(), Value::Array(members));
            let expected = g.update_time;
            g.update_time = clock::now_ms().max(expected + 1);
            g.doc.insert("update_time".into(), json!(g.update_time));
            // A concurrent edit wins; the membership is added again at the next login.
            if !self
                .store
                .replace_object(account, "group", &g, expected)
                .await?
            {
                tracing::warn!(group = %g.uuid, "group changed during OIDC login; membership not added");
            }
        }
        Ok(joined)
    }
}

/// Percent-encoding of a query value (RFC 3986 unreserved characters kept).
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenge_is_unpadded_base64url_sha256() {
        // Expected value computed independently (Python hashlib + base64).
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mJ0ShjgZ-3TR0JN3i6K5OwiJdBY"),
            "nPxEB8zEgYIQ0_oZsH-ii1w1yk3WvWCtCZaMYJles1o"
        );
        assert_eq!(urlencode("a b/c"), "a%20b%2Fc");
    }
}
