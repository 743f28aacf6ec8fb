//! Azure AD through Microsoft Graph: a client-credentials token from
//! `{login}/{tenant}/oauth2/v2.0/token`, then `/v1.0/users`, `/v1.0/groups` and
//! `/v1.0/groups/{id}/members`, paged by `@odata.nextLink`.

use bulwark_core::integrations::{
    Connection, DirectoryData, DirectoryGroup, DirectoryUser, ProviderFailure,
};
use reqwest::{Client, Url};
use serde_json::Value;

use crate::{base_url, foreign_link, join, json, required, same_origin, send, text, token};

const WHO: &str = "Microsoft Graph";
const LOGIN: &str = "Microsoft identity platform";

/// `(login base, Graph base)` of each `ms365_cloud`: 0/1 commercial, 2 US government
/// (GCC High), 3 China (21Vianet).
fn cloud(ms365_cloud: i64) -> (&'static str, &'static str) {
    match ms365_cloud {
        2 => (
            "https://login.microsoftonline.us",
            "https://graph.microsoft.us",
        ),
        3 => (
            "https://login.chinacloudapi.cn",
            "https://microsoftgraph.chinacloudapi.cn",
        ),
        _ => (
            "https://login.microsoftonline.com",
            "https://graph.microsoft.com",
        ),
    }
}

pub(crate) struct Graph<'a> {
    http: &'a Client,
    base: Url,
    token: String,
    max_pages: u32,
}

fn user(v: &Value) -> Option<DirectoryUser> {
    let id = text(v, "/id")?;
    let upn = text(v, "/userPrincipalName");
    Some(DirectoryUser {
        display_name: text(v, "/displayName")
            .or_else(|| upn.clone())
            .unwrap_or_else(|| id.clone()),
        email: text(v, "/mail").or_else(|| upn.clone()),
        login: upn,
        active: v.get("accountEnabled").and_then(Value::as_bool) != Some(false),
        id,
    })
}

impl<'a> Graph<'a> {
    /// Gets an app-only token for the tenant.
    pub(crate) async fn connect(
        http: &'a Client,
        conn: &Connection,
    ) -> Result<Graph<'a>, ProviderFailure> {
        let c = &conn.credentials;
        let tenant = required(&c.tenant_id, "credentials.tenant_id")?;
        let client_id = required(&c.client_id, "credentials.client_id")?;
        let secret = required(&c.client_secret, "credentials.client_secret")?;
        let (login_default, graph_default) = cloud(conn.ms365_cloud);
        let login = base_url(
            conn.oauth_base_url.as_deref().unwrap_or(login_default),
            "config.oauth_base_url",
        )?;
        let base = base_url(
            conn.api_base_url.as_deref().unwrap_or(graph_default),
            "api_base_url",
        )?;
        // The scope names the cloud's Graph resource even when the API base is replaced.
        let scope = format!("{graph_default}/.default");
        let form = [
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", scope.as_str()),
            ("grant_type", "client_credentials"),
        ];
        let req = http
            .post(join(&login, &[tenant, "oauth2", "v2.0", "token"]))
            .form(&form);
        let token = token(send(req, LOGIN).await?, LOGIN).await?;
        Ok(Graph {
            http,
            base,
            token,
            max_pages: crate::max_pages(conn),
        })
    }

    async fn page(&self, url: Url) -> Result<Value, ProviderFailure> {
        let req = self.http.get(url).bearer_auth(&self.token);
        Ok(json(send(req, WHO).await?, WHO).await?.0)
    }

    /// Every item of a collection, following `@odata.nextLink`.
    async fn list(&self, mut url: Url) -> Result<Vec<Value>, ProviderFailure> {
        let mut out = Vec::new();
        for _ in 0..self.max_pages {
            let body = self.page(url).await?;
            out.extend(
                body.get("value")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            );
            let Some(next) = body.get("@odata.nextLink").and_then(Value::as_str) else {
                return Ok(out);
            };
            let next = Url::parse(next).map_err(|_| foreign_link(WHO))?;
            if !same_origin(&self.base, &next) {
                return Err(foreign_link(WHO));
            }
            url = next;
        }
        Err(crate::too_many_pages(WHO, self.max_pages))
    }

    fn url(&self, segments: &[&str], select: &str, top: u32) -> Url {
        let mut url = join(&self.base, segments);
        url.query_pairs_mut()
            .append_pair("$select", select)
            .append_pair("$top", &top.to_string());
        url
    }

    pub(crate) async fn validate(&self) -> Result<(), ProviderFailure> {
        self.page(self.url(&["v1.0", "users"], "id", 1))
            .await
            .map(|_| ())
    }

    pub(crate) async fn fetch(&self) -> Result<DirectoryData, ProviderFailure> {
        let users = self
            .list(self.url(
                &["v1.0", "users"],
                "id,displayName,mail,userPrincipalName,accountEnabled",
                999,
            ))
            .await?
            .iter()
            .filter_map(user)
            .collect();
        let mut groups = Vec::new();
        for g in self
            .list(self.url(&["v1.0", "groups"], "id,displayName,description", 999))
            .await?
        {
            let Some(id) = text(&g, "/id") else { continue };
            let members = self
                .list(self.url(&["v1.0", "groups", &id, "members"], "id", 999))
                .await?;
            let of_type = |t: &str| -> Vec<String> {
                members
                    .iter()
                    .filter(|m| text(m, "/@odata.type").as_deref() == Some(t))
                    .filter_map(|m| text(m, "/id"))
                    .collect()
            };
            groups.push(DirectoryGroup {
                name: text(&g, "/displayName").unwrap_or_else(|| id.clone()),
                description: text(&g, "/description").unwrap_or_default(),
                member_users: of_type("#microsoft.graph.user"),
                member_groups: of_type("#microsoft.graph.group"),
                id,
            });
        }
        Ok(DirectoryData { users, groups })
    }
}
