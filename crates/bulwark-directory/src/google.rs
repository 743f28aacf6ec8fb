//! Google Workspace: the service-account JWT bearer grant (RFC 7523) for a token
//! acting as a Workspace admin, then the Admin SDK Directory API
//! (`/admin/directory/v1/users`, `/groups`, `/groups/{key}/members`), paged by
//! `nextPageToken`.

use aws_lc_rs::{rand, signature};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use bulwark_core::integrations::{
    Connection, DirectoryData, DirectoryGroup, DirectoryUser, ProviderFailure,
};
use reqwest::{Client, Url};
use serde_json::{Value, json};

use crate::{base_url, join, json, required, send, text, token};

const WHO: &str = "Google Workspace";
const TOKEN_WHO: &str = "Google OAuth";
const TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
const API_URL: &str = "https://admin.googleapis.com";
const SCOPES: &str = "https://www.googleapis.com/auth/admin.directory.user.readonly \
    https://www.googleapis.com/auth/admin.directory.group.readonly \
    https://www.googleapis.com/auth/admin.directory.group.member.readonly";

/// The service account's e-mail and PKCS#8 key: `private_key` holds either the JSON
/// key file Google issues or just its PEM key (then `service_account_id` is the
/// e-mail).
fn key(conn: &Connection) -> Result<(String, Vec<u8>), ProviderFailure> {
    let c = &conn.credentials;
    let raw = required(&c.private_key, "credentials.private_key")?;
    let (email, pem) = if raw.starts_with('{') {
        let v: Value = serde_json::from_str(raw).map_err(|_| {
            ProviderFailure::config("credentials.private_key is not a valid JSON key file")
        })?;
        let email = text(&v, "/client_email").or_else(|| c.service_account_id.clone());
        let pem = text(&v, "/private_key").ok_or_else(|| {
            ProviderFailure::config(
                "the JSON key file in credentials.private_key has no private_key",
            )
        })?;
        (email, pem)
    } else {
        (c.service_account_id.clone(), raw.to_string())
    };
    let email = email.filter(|e| !e.is_empty()).ok_or_else(|| {
        ProviderFailure::config(
            "missing credentials.service_account_id (the service account e-mail)",
        )
    })?;
    // A PEM body is base64 between marker lines; a PEM crate would add a dependency
    // for these few lines.
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = STANDARD
        .decode(body)
        .map_err(|_| ProviderFailure::config("credentials.private_key is not a PEM key"))?;
    Ok((email, der))
}

/// An RS256 JWT. Signed with aws-lc-rs directly: jsonwebtoken reads PKCS#8 PEM keys
/// only with its `use_pem` feature, which would add crates for what is one call here.
fn assertion(email: &str, subject: &str, aud: &str, der: &[u8]) -> Result<String, ProviderFailure> {
    let pair = signature::RsaKeyPair::from_pkcs8(der).map_err(|_| {
        ProviderFailure::config("credentials.private_key is not an RSA PKCS#8 private key")
    })?;
    let now = bulwark_core::clock::now_sec();
    let header = json!({"alg": "RS256", "typ": "JWT"});
    let claims = json!({
        "iss": email, "sub": subject, "scope": SCOPES, "aud": aud,
        "iat": now, "exp": now + 3600,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0u8; pair.public_modulus_len()];
    pair.sign(
        &signature::RSA_PKCS1_SHA256,
        &rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| ProviderFailure::config("signing the service account assertion failed"))?;
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

fn user(v: &Value) -> Option<DirectoryUser> {
    let id = text(v, "/id")?;
    let email = text(v, "/primaryEmail");
    let suspended = v.get("suspended").and_then(Value::as_bool) == Some(true)
        || v.get("archived").and_then(Value::as_bool) == Some(true);
    Some(DirectoryUser {
        display_name: text(v, "/name/fullName")
            .or_else(|| email.clone())
            .unwrap_or_else(|| id.clone()),
        login: email.clone(),
        email,
        active: !suspended,
        id,
    })
}

pub(crate) struct Google<'a> {
    http: &'a Client,
    base: Url,
    token: String,
    max_pages: u32,
}

impl<'a> Google<'a> {
    pub(crate) async fn connect(
        http: &'a Client,
        conn: &Connection,
    ) -> Result<Google<'a>, ProviderFailure> {
        let subject = required(
            &conn.credentials.username,
            "credentials.username (the Workspace admin the service account acts as)",
        )?;
        let (email, der) = key(conn)?;
        let token_url = match &conn.oauth_base_url {
            Some(b) => join(&base_url(b, "config.oauth_base_url")?, &["token"]),
            None => base_url(TOKEN_URL, "token URL")?,
        };
        let jwt = assertion(&email, subject, token_url.as_str(), &der)?;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", jwt.as_str()),
        ];
        let req = http.post(token_url).form(&form);
        let token = token(send(req, TOKEN_WHO).await?, TOKEN_WHO).await?;
        let base = base_url(
            conn.api_base_url.as_deref().unwrap_or(API_URL),
            "api_base_url",
        )?;
        Ok(Google {
            http,
            base,
            token,
            max_pages: crate::max_pages(conn),
        })
    }

    fn url(&self, segments: &[&str], params: &[(&str, &str)]) -> Url {
        let mut path = vec!["admin", "directory", "v1"];
        path.extend_from_slice(segments);
        let mut url = join(&self.base, &path);
        url.query_pairs_mut().extend_pairs(params);
        url
    }

    async fn page(&self, url: Url) -> Result<Value, ProviderFailure> {
        let req = self.http.get(url).bearer_auth(&self.token);
        Ok(json(send(req, WHO).await?, WHO).await?.0)
    }

    /// Every item under `field`, following `nextPageToken`.
    async fn list(&self, url: Url, field: &str) -> Result<Vec<Value>, ProviderFailure> {
        let mut out = Vec::new();
        let mut page_token: Option<String> = None;
        for _ in 0..self.max_pages {
            let mut u = url.clone();
            if let Some(t) = &page_token {
                u.query_pairs_mut().append_pair("pageToken", t);
            }
            let body = self.page(u).await?;
            out.extend(
                body.get(field)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            );
            page_token = text(&body, "/nextPageToken");
            if page_token.is_none() {
                return Ok(out);
            }
        }
        Err(crate::too_many_pages(WHO, self.max_pages))
    }

    pub(crate) async fn validate(&self) -> Result<(), ProviderFailure> {
        let url = self.url(
            &["users"],
            &[("customer", "my_customer"), ("maxResults", "1")],
        );
        self.page(url).await.map(|_| ())
    }

    pub(crate) async fn fetch(&self) -> Result<DirectoryData, ProviderFailure> {
        let customer = ("customer", "my_customer");
        let users = self
            .list(
                self.url(&["users"], &[customer, ("maxResults", "500")]),
                "users",
            )
            .await?
            .iter()
            .filter_map(user)
            .collect();
        let mut groups = Vec::new();
        let listed = self
            .list(
                self.url(&["groups"], &[customer, ("maxResults", "200")]),
                "groups",
            )
            .await?;
        for g in listed {
            let Some(id) = text(&g, "/id") else { continue };
            let members = self
                .list(
                    self.url(&["groups", &id, "members"], &[("maxResults", "200")]),
                    "members",
                )
                .await?;
            let of_type = |t: &str| -> Vec<String> {
                members
                    .iter()
                    .filter(|m| text(m, "/type").as_deref() == Some(t))
                    .filter_map(|m| text(m, "/id"))
                    .collect()
            };
            groups.push(DirectoryGroup {
                name: text(&g, "/name")
                    .or_else(|| text(&g, "/email"))
                    .unwrap_or_else(|| id.clone()),
                description: text(&g, "/description").unwrap_or_default(),
                member_users: of_type("USER"),
                member_groups: of_type("GROUP"),
                id,
            });
        }
        Ok(DirectoryData { users, groups })
    }
}
