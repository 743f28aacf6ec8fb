//! Identity provider clients behind `bulwark-core`'s [`Directory`] port: Okta
//! (`okta.rs`), Azure AD through Microsoft Graph (`graph.rs`) and Google Workspace's
//! Admin SDK Directory API (`google.rs`), over reqwest with rustls.
//!
//! Every base URL can be replaced per integration (`api_base_url`,
//! `config.oauth_base_url`), which is how the tests point them at local fakes.
//! Redirects are not followed and paging links must stay on the base URL's origin, so
//! a credential is only ever sent to the configured host.

mod google;
mod graph;
mod okta;

use std::time::Duration;

use async_trait::async_trait;
use bulwark_core::integrations::{
    Connection, Directory, DirectoryData, Provider, ProviderFailure, ProviderFailureKind,
};
use reqwest::{Client, RequestBuilder, Response, StatusCode, Url};
use serde_json::Value;

/// Pages read per listing when the integration's `config.max_pages` is 0.
const DEFAULT_MAX_PAGES: u32 = 10_000;

/// The HTTP implementation of [`Directory`].
#[derive(Clone)]
pub struct HttpDirectory {
    http: Client,
}

impl HttpDirectory {
    pub fn new() -> Result<Self, String> {
        let http = Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("bulwark/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("building the HTTP client: {e}"))?;
        Ok(Self { http })
    }
}

#[async_trait]
impl Directory for HttpDirectory {
    async fn validate(&self, conn: &Connection) -> Result<(), ProviderFailure> {
        match conn.provider {
            Provider::Okta => okta::Okta::new(&self.http, conn)?.validate().await,
            Provider::AzureAd => {
                graph::Graph::connect(&self.http, conn)
                    .await?
                    .validate()
                    .await
            }
            Provider::GoogleWorkspace => {
                google::Google::connect(&self.http, conn)
                    .await?
                    .validate()
                    .await
            }
        }
    }

    async fn fetch(&self, conn: &Connection) -> Result<DirectoryData, ProviderFailure> {
        match conn.provider {
            Provider::Okta => okta::Okta::new(&self.http, conn)?.fetch().await,
            Provider::AzureAd => graph::Graph::connect(&self.http, conn).await?.fetch().await,
            Provider::GoogleWorkspace => {
                google::Google::connect(&self.http, conn)
                    .await?
                    .fetch()
                    .await
            }
        }
    }
}

fn max_pages(conn: &Connection) -> u32 {
    if conn.max_pages == 0 {
        DEFAULT_MAX_PAGES
    } else {
        conn.max_pages
    }
}

/// A base URL without its trailing slash, checked.
fn base_url(raw: &str, what: &str) -> Result<Url, ProviderFailure> {
    let url = Url::parse(raw.trim_end_matches('/'))
        .map_err(|e| ProviderFailure::config(format!("invalid {what} `{raw}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ProviderFailure::config(format!(
            "{what} `{raw}` must be an http(s) URL"
        )));
    }
    Ok(url)
}

/// `base` with `segments` appended to its path.
fn join(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// Paging links must stay on the origin the credential was meant for.
fn same_origin(base: &Url, next: &Url) -> bool {
    base.origin() == next.origin()
}

/// The provider's own words about an error, from the usual JSON error shapes
/// (Okta `errorSummary`, Graph and Google `error.message`, OAuth `error_description`).
fn summary(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let text = [
        v.get("errorSummary"),
        v.pointer("/error/message"),
        v.get("error_description"),
        v.get("error"),
    ]
    .into_iter()
    .flatten()
    .find_map(Value::as_str)
    .unwrap_or("")
    .to_string();
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}

/// Sends a request; connection problems become `Unreachable` naming only the host.
async fn send(req: RequestBuilder, who: &str) -> Result<Response, ProviderFailure> {
    req.send().await.map_err(|e| {
        let why = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else {
            "request failed"
        };
        let host = e
            .url()
            .and_then(|u| u.host_str().map(|h| format!(" at {h}")))
            .unwrap_or_default();
        tracing::debug!(error = %e, "{who} request failed");
        ProviderFailure::new(
            ProviderFailureKind::Unreachable,
            format!("could not reach {who}{host}: {why}"),
        )
    })
}

/// The JSON body of a successful answer; HTTP errors mapped to failure kinds
/// (401/403 refused credentials, 429/5xx transient, anything else unexpected).
async fn json(
    resp: Response,
    who: &str,
) -> Result<(Value, reqwest::header::HeaderMap), ProviderFailure> {
    answer(resp, who, false).await
}

/// [`json`]; with `oauth`, any 4xx means the client or grant was refused (token
/// endpoints answer 400 `invalid_grant` / `invalid_client`).
async fn answer(
    resp: Response,
    who: &str,
    oauth: bool,
) -> Result<(Value, reqwest::header::HeaderMap), ProviderFailure> {
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.text().await.map_err(|e| {
        ProviderFailure::new(
            ProviderFailureKind::Unreachable,
            format!("reading the answer of {who}: {e}"),
        )
    })?;
    if status.is_success() {
        let v = serde_json::from_str(&body).map_err(|_| {
            ProviderFailure::new(
                ProviderFailureKind::Protocol,
                format!("{who} answered something that is not JSON"),
            )
        })?;
        return Ok((v, headers));
    }
    let said = summary(&body);
    let said = if said.is_empty() {
        String::new()
    } else {
        format!(": {said}")
    };
    let refused = matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        || (oauth && status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS);
    let kind = match status {
        _ if refused => {
            return Err(ProviderFailure::new(
                ProviderFailureKind::Rejected,
                format!(
                    "{who} refused the credentials (HTTP {}){said}",
                    status.as_u16()
                ),
            ));
        }
        StatusCode::TOO_MANY_REQUESTS => ProviderFailureKind::Unreachable,
        s if s.is_server_error() => ProviderFailureKind::Unreachable,
        _ => ProviderFailureKind::Protocol,
    };
    Err(ProviderFailure::new(
        kind,
        format!("{who} answered HTTP {}{said}", status.as_u16()),
    ))
}

/// The access token of an OAuth token endpoint's answer.
async fn token(resp: Response, who: &str) -> Result<String, ProviderFailure> {
    let (v, _) = answer(resp, who, true).await?;
    v.get("access_token")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| {
            ProviderFailure::new(
                ProviderFailureKind::Protocol,
                format!("{who} answered without an access_token"),
            )
        })
}

fn required<'a>(v: &'a Option<String>, what: &str) -> Result<&'a str, ProviderFailure> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ProviderFailure::config(format!("missing {what}")))
}

fn text(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn too_many_pages(who: &str, n: u32) -> ProviderFailure {
    ProviderFailure::new(
        ProviderFailureKind::Protocol,
        format!("{who} listing exceeded {n} pages (raise config.max_pages)"),
    )
}

fn foreign_link(who: &str) -> ProviderFailure {
    ProviderFailure::new(
        ProviderFailureKind::Protocol,
        format!("{who} sent a paging link to another host; refusing to follow it"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        assert_eq!(
            summary(r#"{"errorSummary":"Invalid token provided"}"#),
            "Invalid token provided"
        );
        assert_eq!(
            summary(r#"{"error":{"code":"x","message":"nope"}}"#),
            "nope"
        );
        assert_eq!(
            summary(r#"{"error":"invalid_grant","error_description":"bad"}"#),
            "bad"
        );
        assert_eq!(summary("<html>"), "");
    }

    #[test]
    fn joins_and_origins() {
        let b = base_url("http://127.0.0.1:9/", "x").unwrap_or_else(|_| unreachable!());
        assert_eq!(
            join(&b, &["api", "v1", "a/b"]).as_str(),
            "http://127.0.0.1:9/api/v1/a%2Fb"
        );
        let other = Url::parse("http://127.0.0.2:9/x").unwrap_or_else(|_| unreachable!());
        assert!(!same_origin(&b, &other));
        assert!(base_url("ftp://x", "x").is_err());
    }
}
