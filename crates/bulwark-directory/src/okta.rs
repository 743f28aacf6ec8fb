//! Okta: `Authorization: SSWS {api token}` on the org's `/api/v1` (users, groups,
//! group members), paged by `Link: <...>; rel="next"` headers.

use bulwark_core::integrations::{
    Connection, DirectoryData, DirectoryGroup, DirectoryUser, ProviderFailure,
};
use reqwest::header::{HeaderMap, LINK};
use reqwest::{Client, Url};
use serde_json::Value;

use crate::{base_url, foreign_link, join, json, required, same_origin, send, text};

const WHO: &str = "Okta";

pub(crate) struct Okta<'a> {
    http: &'a Client,
    base: Url,
    token: String,
    max_pages: u32,
}

/// The org URL: `api_base_url`, else `integration_org_name` as a URL, a host name or
/// the subdomain of okta.com (the seed's example: `https://edgeguard.okta.com`).
fn org_url(conn: &Connection) -> Result<Url, ProviderFailure> {
    if let Some(u) = &conn.api_base_url {
        return base_url(u, "api_base_url");
    }
    let org = conn.org_name.as_deref().ok_or_else(|| {
        ProviderFailure::config("Okta needs `integration_org_name` (the org subdomain)")
    })?;
    let url = if org.starts_with("http://") || org.starts_with("https://") {
        org.to_string()
    } else if org.contains('.') {
        format!("https://{org}")
    } else {
        format!("https://{org}.okta.com")
    };
    base_url(&url, "integration_org_name")
}

/// The `rel="next"` target of `Link` headers.
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|part| {
            let (target, params) = part.split_once(';')?;
            let is_next = params.split(';').any(|p| {
                p.trim()
                    .strip_prefix("rel=")
                    .is_some_and(|r| r.trim_matches('"') == "next")
            });
            is_next.then(|| {
                target
                    .trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
        })
}

fn user(v: &Value) -> Option<DirectoryUser> {
    let id = text(v, "/id")?;
    let login = text(v, "/profile/login");
    let name = text(v, "/profile/displayName").or_else(|| {
        let parts: Vec<String> = ["/profile/firstName", "/profile/lastName"]
            .iter()
            .filter_map(|p| text(v, p))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    let status = text(v, "/status").unwrap_or_default();
    Some(DirectoryUser {
        display_name: name.or_else(|| login.clone()).unwrap_or_else(|| id.clone()),
        email: text(v, "/profile/email"),
        login,
        active: !matches!(status.as_str(), "SUSPENDED" | "DEPROVISIONED"),
        id,
    })
}

impl<'a> Okta<'a> {
    pub(crate) fn new(http: &'a Client, conn: &Connection) -> Result<Self, ProviderFailure> {
        let token = required(
            &conn.credentials.access_token,
            "credentials.access_token (an Okta API token)",
        )?;
        Ok(Self {
            http,
            base: org_url(conn)?,
            token: token.to_string(),
            max_pages: crate::max_pages(conn),
        })
    }

    async fn page(&self, url: &Url) -> Result<(Value, HeaderMap), ProviderFailure> {
        let req = self
            .http
            .get(url.clone())
            .header("Authorization", format!("SSWS {}", self.token))
            .header("Accept", "application/json");
        json(send(req, WHO).await?, WHO).await
    }

    /// Every item of a listing, following `Link: rel="next"`.
    async fn list(&self, mut url: Url) -> Result<Vec<Value>, ProviderFailure> {
        let mut out = Vec::new();
        for _ in 0..self.max_pages {
            let (body, headers) = self.page(&url).await?;
            out.extend(body.as_array().cloned().unwrap_or_default());
            let Some(next) = next_link(&headers) else {
                return Ok(out);
            };
            let next = Url::parse(&next).map_err(|_| foreign_link(WHO))?;
            if !same_origin(&self.base, &next) {
                return Err(foreign_link(WHO));
            }
            url = next;
        }
        Err(crate::too_many_pages(WHO, self.max_pages))
    }

    fn url(&self, segments: &[&str], limit: u32) -> Url {
        let mut url = join(&self.base, segments);
        url.query_pairs_mut()
            .append_pair("limit", &limit.to_string());
        url
    }

    pub(crate) async fn validate(&self) -> Result<(), ProviderFailure> {
        self.page(&self.url(&["api", "v1", "users"], 1))
            .await
            .map(|_| ())
    }

    pub(crate) async fn fetch(&self) -> Result<DirectoryData, ProviderFailure> {
        let users = self
            .list(self.url(&["api", "v1", "users"], 200))
            .await?
            .iter()
            .filter_map(user)
            .collect();
        let mut groups = Vec::new();
        for g in self.list(self.url(&["api", "v1", "groups"], 200)).await? {
            let Some(id) = text(&g, "/id") else { continue };
            let members = self
                .list(self.url(&["api", "v1", "groups", &id, "users"], 200))
                .await?;
            groups.push(DirectoryGroup {
                name: text(&g, "/profile/name").unwrap_or_else(|| id.clone()),
                description: text(&g, "/profile/description").unwrap_or_default(),
                member_users: members.iter().filter_map(|m| text(m, "/id")).collect(),
                member_groups: Vec::new(),
                id,
            });
        }
        Ok(DirectoryData { users, groups })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn link_headers() {
        let mut h = HeaderMap::new();
        h.append(
            LINK,
            HeaderValue::from_static("<https://o/api/v1/users?limit=2>; rel=\"self\""),
        );
        h.append(
            LINK,
            HeaderValue::from_static("<https://o/api/v1/users?after=x&limit=2>; rel=\"next\""),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://o/api/v1/users?after=x&limit=2")
        );
        let mut one = HeaderMap::new();
        one.append(
            LINK,
            HeaderValue::from_static("<https://o/a>; rel=\"self\", <https://o/b>; rel=\"next\""),
        );
        assert_eq!(next_link(&one).as_deref(), Some("https://o/b"));
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
