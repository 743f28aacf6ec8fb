//! What the integration service and the [`super::Directory`] port exchange.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// `proto.IngestionCredentials`, as the seed names its fields. `Debug` hides values.
///
/// What each provider reads: Okta `access_token` (an API token, sent as `SSWS`);
/// Azure AD `tenant_id`, `client_id`, `client_secret`; Google Workspace `private_key`
/// (the service account's PEM key, or its whole JSON key file), `service_account_id`
/// (the service account e-mail, when not in a JSON key) and `username` (the admin the
/// service account acts as, domain-wide delegation).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

impl Credentials {
    /// The identifiers that are not secret, as shown in responses.
    pub fn public(&self) -> Map<String, Value> {
        let mut m = Map::new();
        for (k, v) in [
            ("client_id", &self.client_id),
            ("environment_name", &self.environment_name),
            ("service_account_id", &self.service_account_id),
            ("tenant_id", &self.tenant_id),
            ("username", &self.username),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), json!(v));
            }
        }
        m
    }

    /// Fields set in `new` replace ours.
    pub fn merge(&mut self, new: Credentials) {
        fn take(old: &mut Option<String>, new: Option<String>) {
            if new.is_some() {
                *old = new;
            }
        }
        take(&mut self.access_token, new.access_token);
        take(&mut self.client_id, new.client_id);
        take(&mut self.client_secret, new.client_secret);
        take(&mut self.environment_name, new.environment_name);
        take(&mut self.password, new.password);
        take(&mut self.private_key, new.private_key);
        take(&mut self.refresh_token, new.refresh_token);
        take(&mut self.service_account_id, new.service_account_id);
        take(&mut self.tenant_id, new.tenant_id);
        take(&mut self.username, new.username);
    }
}

/// The identity providers Bulwark syncs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// `data_source` 1 OKTA.
    Okta,
    /// `data_source` 2 GSUITE.
    GoogleWorkspace,
    /// `data_source` 3 AZURE (Microsoft Graph).
    AzureAd,
}

impl Provider {
    pub fn from_data_source(ds: i64) -> Option<Provider> {
        match ds {
            1 => Some(Provider::Okta),
            2 => Some(Provider::GoogleWorkspace),
            3 => Some(Provider::AzureAd),
            _ => None,
        }
    }

    pub fn data_source(self) -> i64 {
        match self {
            Provider::Okta => 1,
            Provider::GoogleWorkspace => 2,
            Provider::AzureAd => 3,
        }
    }
}

/// Everything a [`super::Directory`] needs to reach one integration's provider.
#[derive(Debug, Clone)]
pub struct Connection {
    pub provider: Provider,
    /// The seed's `integration_org_name` (Okta: `acme`, `acme.okta.com` or a URL).
    pub org_name: Option<String>,
    /// Bulwark extension `api_base_url`: replaces the provider's API base URL.
    pub api_base_url: Option<String>,
    /// The seed's `config.oauth_base_url`: replaces the token endpoint's base.
    pub oauth_base_url: Option<String>,
    /// `ms365_cloud` (Azure AD): which Microsoft cloud's endpoints to use.
    pub ms365_cloud: i64,
    /// `config.max_pages`: most pages read per listing (0: the connector's default).
    pub max_pages: u32,
    pub credentials: Credentials,
}

fn opt_text(m: &Map<String, Value>, f: &str) -> Option<String> {
    m.get(f)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Connection {
    /// From an integration document and its opened credentials.
    pub fn from_doc(
        doc: &Map<String, Value>,
        credentials: Credentials,
    ) -> Result<Connection, ProviderFailure> {
        let ds = doc.get("data_source").and_then(Value::as_i64).unwrap_or(0);
        let provider = Provider::from_data_source(ds).ok_or_else(|| {
            ProviderFailure::config(format!(
                "data_source {ds} has no directory connector (supported: 1 OKTA, 2 GSUITE, 3 AZURE)"
            ))
        })?;
        let config = doc.get("config").and_then(Value::as_object);
        Ok(Connection {
            provider,
            org_name: opt_text(doc, "integration_org_name"),
            api_base_url: opt_text(doc, "api_base_url"),
            oauth_base_url: config.and_then(|c| opt_text(c, "oauth_base_url")),
            ms365_cloud: doc.get("ms365_cloud").and_then(Value::as_i64).unwrap_or(0),
            max_pages: config
                .and_then(|c| c.get("max_pages"))
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
            credentials,
        })
    }
}

/// A user as the provider lists it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryUser {
    /// The provider's immutable id.
    pub id: String,
    pub email: Option<String>,
    pub login: Option<String>,
    pub display_name: String,
    /// False for suspended or deprovisioned users.
    pub active: bool,
}

/// A group as the provider lists it, with its direct members (provider ids).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub member_users: Vec<String>,
    pub member_groups: Vec<String>,
}

/// One full read of a directory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryData {
    pub users: Vec<DirectoryUser>,
    pub groups: Vec<DirectoryGroup>,
}

/// Why a provider call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderFailureKind {
    /// The provider refused the credentials (HTTP 401/403, OAuth `invalid_client`).
    Rejected,
    /// Could not connect, timed out, or the provider answered 5xx / 429.
    Unreachable,
    /// The integration lacks something the provider needs (missing credential field).
    Config,
    /// Any other unexpected answer.
    Protocol,
}

/// A failed provider call. The message is for the API caller: it never contains
/// the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderFailure {
    pub kind: ProviderFailureKind,
    pub message: String,
}

impl ProviderFailure {
    pub fn new(kind: ProviderFailureKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ProviderFailureKind::Config, message)
    }
    /// Worth retrying later.
    pub fn is_transient(&self) -> bool {
        self.kind == ProviderFailureKind::Unreachable
    }
}

impl std::fmt::Display for ProviderFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
