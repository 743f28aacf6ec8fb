//! The HTTP client the OIDC login uses to reach providers (discovery, JWKS, token
//! exchange): reqwest over rustls, no redirects followed, short timeouts.

use std::time::Duration;

use async_trait::async_trait;
use bulwark_core::sso::oidc::OidcHttp;
use serde_json::Value;

/// Largest provider answer accepted.
const MAX_BODY: usize = 1024 * 1024;

pub struct ReqwestOidcHttp {
    client: reqwest::Client,
}

impl ReqwestOidcHttp {
    pub fn new() -> anyhow::Result<Self> {
        Ok(Self {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
        })
    }
}

async fn json(resp: reqwest::Response) -> Result<Value, String> {
    let status = resp.status();
    let body = resp.bytes().await.map_err(|e| e.to_string())?;
    if body.len() > MAX_BODY {
        return Err("answer too large".into());
    }
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        return Err(format!(
            "HTTP {status}: {}",
            text.chars().take(300).collect::<String>()
        ));
    }
    serde_json::from_slice(&body).map_err(|e| format!("not JSON: {e}"))
}

#[async_trait]
impl OidcHttp for ReqwestOidcHttp {
    async fn get_json(&self, url: &str) -> Result<Value, String> {
        let resp = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        json(resp).await
    }

    async fn post_form(
        &self,
        url: &str,
        basic: (&str, &str),
        form: &[(&str, &str)],
    ) -> Result<Value, String> {
        let resp = self
            .client
            .post(url)
            .basic_auth(basic.0, Some(basic.1))
            .form(form)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        json(resp).await
    }
}
