//! Client configurations (E037 add, E038 get, E039 update, E036 download): the
//! settings an endpoint client (the tray app and its datapath) runs with.
//!
//! Most settings are `pbcommon.Bool` values: 0 UNSET (the client's default applies),
//! 1 TRUE, 2 FALSE. `log_level`: 0 UNSET, 1 ERROR, 2 WARN, 3 INFO, 4 DEBUG.
//!
//! Guest user mode needs a guest credential: either `guest_user_api_token` names an
//! active API token of the account with role `guest`, or
//! `generate_guest_user_api_token` asks the server to mint one. The token goes into
//! every downloaded file, so it is stored as given (it is meant to be handed out and
//! carries the lowest role).
//!
//! [`client_file`] renders the file a client loads; its format is documented there.

use std::sync::Arc;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::connectors::TRI_BOOL;
use super::{int_enum, non_negative, strings, tag_filter, text};
use crate::auth::Principal;
use crate::crypto::hash_secret;
use crate::ports::Store;
use crate::resources::{ResourceKind, ResourceService};
use crate::tokens::{CreateToken, TokenService};
use crate::{DomainError, Result, Role, Status, clock};

/// The `pbcommon.Bool` settings, in the order the file lists them.
pub const BOOL_SETTINGS: &[&str] = &[
    "browser_performance_inspection",
    "browser_request_inspection",
    "client_use_eg_upstream_dns",
    "disconnect_allowed",
    "disconnect_justification_required",
    "enable_always_on_vpn",
    "enable_auto_updates",
    "enable_browser_proxy",
    "enable_guest_user_mode",
    "enable_manual_updates",
    "enable_sensor_data",
    "enable_transparent_proxy",
    "enable_transparent_sso",
    "mac_install_root_ca",
    "should_fail_open",
    "show_cellular_confirmation",
    "show_popover_automatically",
    "wifi_only_if_location_permission",
    "windows_install_per_device_root_ca",
];

/// `pbcommon.Bool` TRUE.
const TRUE: i64 = 1;
/// `log_level` names by number.
const LOG_LEVELS: [&str; 5] = ["", "error", "warn", "info", "debug"];

fn is_true(doc: &Map<String, Value>, f: &str) -> bool {
    doc.get(f).and_then(Value::as_i64) == Some(TRUE)
}

fn is_domain(s: &str) -> bool {
    let d = s.strip_prefix("*.").unwrap_or(s);
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn validate_client_config(doc: &Map<String, Value>) -> Result<()> {
    super::required_text(doc, "name", "client config")?;
    for f in BOOL_SETTINGS {
        int_enum(doc, f, TRI_BOOL)?;
    }
    int_enum(doc, "log_level", &[0, 1, 2, 3, 4])?;
    non_negative(doc, "session_refresh_interval_hours")?;
    if doc.get("priority").is_some_and(|p| !p.is_i64()) {
        return Err(DomainError::invalid("`priority` must be an integer"));
    }
    for f in [
        "description",
        "policy_location",
        "guest_user_api_token",
        "client_ca_uuid",
    ] {
        text(doc, f)?;
    }
    for m in strings(doc, "disconnect_interval_minutes")? {
        if !m.trim().parse::<u32>().is_ok_and(|n| n > 0) {
            return Err(DomainError::invalid(format!(
                "`disconnect_interval_minutes`: `{m}` is not a positive number of minutes"
            )));
        }
    }
    for f in [
        "browser_performance_inspection_domains",
        "dns_search_domains",
    ] {
        for d in strings(doc, f)? {
            if !is_domain(&d) {
                return Err(DomainError::invalid(format!(
                    "`{f}`: `{d}` is not a domain"
                )));
            }
        }
    }
    for d in strings(doc, "proxy_exclusion_domains")? {
        let network = d.split_once('/').is_some_and(|(ip, bits)| {
            ip.parse::<std::net::IpAddr>().is_ok() && bits.parse::<u8>().is_ok_and(|b| b <= 128)
        });
        if !is_domain(&d) && d.parse::<std::net::IpAddr>().is_err() && !network {
            return Err(DomainError::invalid(format!(
                "`proxy_exclusion_domains`: `{d}` is not a domain or network"
            )));
        }
    }
    strings(doc, "update_channels")?;
    if let Some(url) = text(doc, "post_login_redirect_url")?.filter(|u| !u.is_empty()) {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        if !rest.is_some_and(|r| {
            !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace)
        }) {
            return Err(DomainError::invalid(format!(
                "`post_login_redirect_url` `{url}` is not an http(s) URL"
            )));
        }
    }
    if let Some(t) = text(doc, "installer_cert_thumbprint")?.filter(|t| !t.is_empty()) {
        let hex: String = t.chars().filter(|c| *c != ':' && *c != ' ').collect();
        if !(hex.len() == 40 || hex.len() == 64) || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(DomainError::invalid(format!(
                "`installer_cert_thumbprint` `{t}` must be a SHA-1 or SHA-256 hex thumbprint"
            )));
        }
    }
    if let Some(ca) = text(doc, "client_ca_uuid")?.filter(|c| !c.is_empty()) {
        Uuid::parse_str(&ca).map_err(|_| {
            DomainError::invalid(format!(
                "`client_ca_uuid` `{ca}` is not a CA certificate uuid"
            ))
        })?;
    }
    tag_filter(doc, "session_filter")?;
    let has_guest_token = text(doc, "guest_user_api_token")?.is_some_and(|t| !t.is_empty());
    if is_true(doc, "enable_guest_user_mode") && !has_guest_token {
        return Err(DomainError::invalid(
            "guest user mode needs `guest_user_api_token` or `generate_guest_user_api_token: true`",
        ));
    }
    Ok(())
}

/// Client configurations.
pub static CLIENT_CONFIGS: ResourceKind = ResourceKind {
    kind: "client_config",
    what: "client config",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_client_config,
    secret_fields: &[],
};

/// Guest credentials and downloads on top of the shared shape.
pub struct ClientConfigService<'a> {
    store: Arc<dyn Store>,
    resources: ResourceService,
    tokens: &'a TokenService,
}

impl<'a> ClientConfigService<'a> {
    pub fn new(store: Arc<dyn Store>, tokens: &'a TokenService) -> Self {
        Self {
            resources: ResourceService::new(store.clone()),
            store,
            tokens,
        }
    }

    /// Resolves `generate_guest_user_api_token` and checks a given guest token.
    async fn guest_token(
        &self,
        caller: &Principal,
        input: &mut Map<String, Value>,
        config_name: &str,
    ) -> Result<()> {
        let generate = input
            .remove("generate_guest_user_api_token")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if generate {
            let (_, secret) = self
                .tokens
                .create(
                    caller,
                    CreateToken {
                        name: Some(format!("guest token of client config `{config_name}`")),
                        description: Some("generated for guest user mode".into()),
                        role: Some(Role::Guest),
                        ..CreateToken::default()
                    },
                )
                .await?;
            input.insert("guest_user_api_token".into(), json!(secret));
            return Ok(());
        }
        if let Some(t) = input
            .get("guest_user_api_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            let token = self.store.token_by_hash(&hash_secret(t.trim())).await?;
            let valid = token.is_some_and(|tok| {
                tok.account_id == caller.account_id
                    && tok.role == Role::Guest
                    && tok.status == Status::Active
                    && !tok.expired(clock::now_sec())
            });
            if !valid {
                return Err(DomainError::invalid(
                    "`guest_user_api_token` is not an active guest token of this account",
                ));
            }
        }
        Ok(())
    }

    /// `client_ca_uuid`, when set, names a live CA certificate of the account.
    async fn check_ca(&self, caller: &Principal, doc: &Map<String, Value>) -> Result<()> {
        let Some(ca) = doc
            .get("client_ca_uuid")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
        else {
            return Ok(());
        };
        let missing =
            || DomainError::invalid(format!("`client_ca_uuid`: no CA certificate `{ca}`"));
        let id = Uuid::parse_str(ca).map_err(|_| missing())?;
        match self
            .store
            .get_object(caller.account_id, super::ca::CA_CERTIFICATES.kind, id)
            .await?
        {
            Some(o) if o.status != Status::Deleted => Ok(()),
            _ => Err(missing()),
        }
    }

    /// E037.
    pub async fn create(
        &self,
        caller: &Principal,
        mut input: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        caller.require(CLIENT_CONFIGS.write_role)?;
        self.check_ca(caller, &input).await?;
        let name = text(&input, "name")?.unwrap_or_default();
        self.guest_token(caller, &mut input, &name).await?;
        self.resources.create(caller, &CLIENT_CONFIGS, input).await
    }

    /// E039: a partial update.
    pub async fn update(
        &self,
        caller: &Principal,
        uuid: Uuid,
        mut changes: Map<String, Value>,
        attributes_to_delete: &[String],
    ) -> Result<Map<String, Value>> {
        caller.require(CLIENT_CONFIGS.write_role)?;
        let current = self.resources.get(caller, &CLIENT_CONFIGS, uuid).await?;
        self.check_ca(caller, &changes).await?;
        let name = text(&changes, "name")?
            .or(text(&current, "name")?)
            .unwrap_or_default();
        self.guest_token(caller, &mut changes, &name).await?;
        self.resources
            .update(
                caller,
                &CLIENT_CONFIGS,
                uuid,
                changes,
                attributes_to_delete,
                None,
            )
            .await
    }

    /// E036: the file a client loads (see [`client_file`]). End users (role `user`)
    /// may fetch it, since their client loads it; a deleted config is gone (404).
    pub async fn download(
        &self,
        caller: &Principal,
        uuid: Uuid,
        server_url: &str,
    ) -> Result<Map<String, Value>> {
        caller.require(Role::User)?;
        let doc = match self
            .store
            .get_object(caller.account_id, CLIENT_CONFIGS.kind, uuid)
            .await?
        {
            Some(o) if o.status != Status::Deleted => o.doc,
            _ => return Err(DomainError::NotFound(CLIENT_CONFIGS.what)),
        };
        let ca_id = doc
            .get("client_ca_uuid")
            .and_then(Value::as_str)
            .and_then(|c| Uuid::parse_str(c).ok());
        let ca = match ca_id {
            Some(id) => self
                .store
                .get_object(caller.account_id, super::ca::CA_CERTIFICATES.kind, id)
                .await?
                .filter(|o| o.status != Status::Deleted)
                .map(|o| o.doc),
            None => None,
        };
        Ok(client_file(&doc, server_url, ca.as_ref()))
    }
}

/// Renders the file an endpoint client loads (E036):
///
/// ```json
/// {
///   "format": "bulwark-client-config",
///   "format_version": 1,
///   "config_uuid": "…", "config_name": "…", "account_name": "…",
///   "config_update_time": 1700000000000,
///   "server_url": "https://bulwark.example.com",
///   "settings": { "enable_browser_proxy": true, "log_level": "debug", … }
/// }
/// ```
///
/// `settings` holds only what applies: each `pbcommon.Bool` set to TRUE or FALSE as
/// a JSON boolean (UNSET ones are left out, so the client's default applies),
/// `log_level` by name when set, and non-empty strings, lists and numbers. Settings
/// that depend on a switch appear only when it is TRUE:
/// `browser_performance_inspection_domains` (browser_performance_inspection),
/// `disconnect_interval_minutes` as numbers and `disconnect_justification_required`
/// (disconnect_allowed), `guest_user_api_token` (enable_guest_user_mode),
/// `installer_cert_thumbprint` (enable_auto_updates), `update_channels`
/// (enable_auto_updates or enable_manual_updates), `session_refresh_interval_hours`
/// (enable_transparent_sso). With a `client_ca_uuid` naming a live CA certificate,
/// `client_ca` gives the client what it needs to find identities issued by it
/// (`subject`, `fingerprint_sha256`, `public_key_pem`); a deleted CA leaves both out.
/// Server bookkeeping (status, priority, session filter, creator and updater,
/// description) is never part of the file.
pub fn client_file(
    doc: &Map<String, Value>,
    server_url: &str,
    client_ca: Option<&Map<String, Value>>,
) -> Map<String, Value> {
    let mut s = Map::new();
    let depends: &[(&str, &[&str])] = &[
        (
            "browser_performance_inspection_domains",
            &["browser_performance_inspection"],
        ),
        ("disconnect_interval_minutes", &["disconnect_allowed"]),
        ("disconnect_justification_required", &["disconnect_allowed"]),
        ("guest_user_api_token", &["enable_guest_user_mode"]),
        ("installer_cert_thumbprint", &["enable_auto_updates"]),
        (
            "update_channels",
            &["enable_auto_updates", "enable_manual_updates"],
        ),
        (
            "session_refresh_interval_hours",
            &["enable_transparent_sso"],
        ),
    ];
    let applies = |f: &str| {
        depends
            .iter()
            .find(|(d, _)| *d == f)
            .is_none_or(|(_, on)| on.iter().any(|sw| is_true(doc, sw)))
    };
    for f in BOOL_SETTINGS {
        match doc.get(*f).and_then(Value::as_i64) {
            Some(1) if applies(f) => s.insert((*f).into(), json!(true)),
            Some(2) if applies(f) => s.insert((*f).into(), json!(false)),
            _ => None,
        };
    }
    if let Some(name) = doc
        .get("log_level")
        .and_then(Value::as_i64)
        .and_then(|n| usize::try_from(n).ok())
        .and_then(|n| LOG_LEVELS.get(n))
        .filter(|n| !n.is_empty())
    {
        s.insert("log_level".into(), json!(name));
    }
    for f in [
        "guest_user_api_token",
        "installer_cert_thumbprint",
        "policy_location",
        "post_login_redirect_url",
    ] {
        if let Some(v) = doc.get(f).and_then(Value::as_str).filter(|v| !v.is_empty())
            && applies(f)
        {
            s.insert(f.into(), json!(v));
        }
    }
    for f in [
        "browser_performance_inspection_domains",
        "dns_search_domains",
        "proxy_exclusion_domains",
        "update_channels",
    ] {
        let list = strings(doc, f).unwrap_or_default();
        if !list.is_empty() && applies(f) {
            s.insert(f.into(), json!(list));
        }
    }
    let minutes: Vec<u32> = strings(doc, "disconnect_interval_minutes")
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m.trim().parse().ok())
        .collect();
    if !minutes.is_empty() && applies("disconnect_interval_minutes") {
        s.insert("disconnect_interval_minutes".into(), json!(minutes));
    }
    if let Some(h) = doc
        .get("session_refresh_interval_hours")
        .and_then(Value::as_i64)
        .filter(|h| *h > 0 && applies("session_refresh_interval_hours"))
    {
        s.insert("session_refresh_interval_hours".into(), json!(h));
    }
    if let Some(ca) = client_ca {
        let pick = |f: &str| ca.get(f).cloned().unwrap_or(Value::Null);
        s.insert("client_ca_uuid".into(), pick("uuid"));
        s.insert(
            "client_ca".into(),
            json!({"subject": pick("subject"), "fingerprint_sha256": pick("fingerprint_sha256"),
                "public_key_pem": pick("public_key_pem")}),
        );
    }
    let field = |f: &str| doc.get(f).cloned().unwrap_or(Value::Null);
    let mut out = Map::new();
    out.insert("format".into(), json!("bulwark-client-config"));
    out.insert("format_version".into(), json!(1));
    out.insert("config_uuid".into(), field("uuid"));
    out.insert("config_name".into(), field("name"));
    out.insert("account_name".into(), field("account_name"));
    out.insert("config_update_time".into(), field("update_time"));
    out.insert("server_url".into(), json!(server_url.trim_end_matches('/')));
    out.insert("settings".into(), Value::Object(s));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn validation() {
        assert!(validate_client_config(&doc(json!({"name": "c", "log_level": 4}))).is_ok());
        for bad in [
            json!({"log_level": 1}),
            json!({"name": "c", "enable_browser_proxy": 3}),
            json!({"name": "c", "log_level": 5}),
            json!({"name": "c", "disconnect_interval_minutes": ["5", "x"]}),
            json!({"name": "c", "dns_search_domains": ["bad domain"]}),
            json!({"name": "c", "post_login_redirect_url": "javascript:alert(1)"}),
            json!({"name": "c", "installer_cert_thumbprint": "abc"}),
            json!({"name": "c", "client_ca_uuid": "nope"}),
            json!({"name": "c", "enable_guest_user_mode": 1}),
            json!({"name": "c", "session_filter": {"include_any": "x"}}),
        ] {
            assert!(validate_client_config(&doc(bad.clone())).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_holds_only_what_applies() {
        let d = doc(
            json!({"uuid": "u", "name": "laptops", "account_name": "acme",
            "update_time": 7, "status": 2, "priority": 3, "description": "d",
            "creator_uuid": "c", "enable_browser_proxy": 1, "should_fail_open": 2,
            "enable_sensor_data": 0, "log_level": 4, "disconnect_allowed": 2,
            "disconnect_interval_minutes": ["5", "15"], "enable_auto_updates": 1,
            "installer_cert_thumbprint": "ab", "update_channels": ["stable"],
            "browser_performance_inspection_domains": ["x.com"], "dns_search_domains": [],
            "session_refresh_interval_hours": 6}),
        );
        let f = client_file(&d, "https://b.example/", None);
        assert_eq!(f["server_url"], "https://b.example");
        assert_eq!(f["config_update_time"], 7);
        assert_eq!(
            Value::Object(f["settings"].as_object().cloned().unwrap_or_default()),
            json!({"enable_auto_updates": true, "enable_browser_proxy": true,
                "should_fail_open": false, "disconnect_allowed": false, "log_level": "debug",
                "installer_cert_thumbprint": "ab", "update_channels": ["stable"]})
        );
    }
}
