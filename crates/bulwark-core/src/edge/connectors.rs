//! Connectors (E040 create, E041 get by unique name, E097 query) and gateways (E102
//! query; beyond the seed create, get, update, delete).
//!
//! A connector's `unique_name` is unique within its account (409 on duplicates). Both
//! kinds report in with a credential of their own: creating one mints an API token
//! with role `connector` and answers its secret once (a connector's `access_token`, a
//! gateway's `secret`; a gateway's `key` is the token's uuid). Only the token's SHA-256
//! (`secret_hash`) is kept. Soft-deleting the connector or gateway revokes the token.
//!
//! `tcp_on_layer_three_vpn` is a `pbcommon.Bool`: 0 UNSET, 1 TRUE, 2 FALSE.

use std::net::IpAddr;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{int_enum, required_text, strings, text};
use crate::auth::Principal;
use crate::crypto::hash_secret;
use crate::model::TokenPatch;
use crate::ports::Store;
use crate::resources::{ResourceKind, ResourceService};
use crate::tokens::{CreateToken, TokenService};
use crate::{DomainError, Result, Role, Status, clock};

/// `pbcommon.Bool` values: 0 UNSET, 1 TRUE, 2 FALSE.
pub const TRI_BOOL: &[i64] = &[0, 1, 2];

/// A host name or IP address (`external_addr`, `vip`): no scheme, no spaces.
fn is_host(s: &str) -> bool {
    if s.parse::<IpAddr>().is_ok() {
        return true;
    }
    let host = s.strip_suffix('.').unwrap_or(s);
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*')
        })
}

fn is_cidr(s: &str) -> bool {
    let Some((ip, bits)) = s.split_once('/') else {
        return s.parse::<IpAddr>().is_ok();
    };
    match (ip.parse::<IpAddr>(), bits.parse::<u8>()) {
        (Ok(IpAddr::V4(_)), Ok(b)) => b <= 32,
        (Ok(IpAddr::V6(_)), Ok(b)) => b <= 128,
        _ => false,
    }
}

fn coordinate(obj: &Map<String, Value>, field: &str, max: f64, ctx: &str) -> Result<()> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => match v.as_f64() {
            Some(x) if x.abs() <= max => Ok(()),
            _ => Err(DomainError::invalid(format!(
                "`{ctx}{field}` must be a number between -{max} and {max}"
            ))),
        },
    }
}

fn coordinates(obj: Option<&Value>, ctx: &str) -> Result<()> {
    match obj {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(c)) => {
            coordinate(c, "latitude", 90.0, ctx)?;
            coordinate(c, "longitude", 180.0, ctx)
        }
        Some(_) => Err(DomainError::invalid(format!("`{ctx}` must be an object"))),
    }
}

fn objects<'a>(doc: &'a Map<String, Value>, field: &str) -> Result<Vec<&'a Map<String, Value>>> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_object()
                    .ok_or_else(|| DomainError::invalid(format!("`{field}` must hold objects")))
            })
            .collect(),
        Some(_) => Err(DomainError::invalid(format!("`{field}` must be an array"))),
    }
}

fn routes(doc: &Map<String, Value>) -> Result<()> {
    let Some(r) = doc.get("routes").filter(|v| !v.is_null()) else {
        return Ok(());
    };
    let r = r
        .as_object()
        .ok_or_else(|| DomainError::invalid("`routes` must be an object"))?;
    for route in objects(r, "layer3_routes")? {
        let subnet = text(route, "subnet")?.unwrap_or_default();
        if !subnet.is_empty() && !is_cidr(&subnet) {
            return Err(DomainError::invalid(format!(
                "`routes.layer3_routes[].subnet` `{subnet}` is not an IP network (a.b.c.d/n)"
            )));
        }
    }
    for layer in ["layer4_routes", "layer7_routes"] {
        for route in objects(r, layer)? {
            if route
                .get("port")
                .is_some_and(|p| !p.as_i64().is_some_and(|n| (0..=65_535).contains(&n)))
            {
                return Err(DomainError::invalid(format!(
                    "`routes.{layer}[].port` must be between 0 and 65535"
                )));
            }
        }
    }
    Ok(())
}

fn validate_connector(doc: &Map<String, Value>) -> Result<()> {
    let name = text(doc, "unique_name")?.unwrap_or_default();
    let valid = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(DomainError::invalid(format!(
            "`unique_name` `{name}` must be 1-63 letters, digits, `-`, `_` or `.`"
        )));
    }
    for f in ["name", "description"] {
        text(doc, f)?;
    }
    int_enum(doc, "tcp_on_layer_three_vpn", TRI_BOOL)?;
    for addr in strings(doc, "external_addr")? {
        if !is_host(&addr) {
            return Err(DomainError::invalid(format!(
                "`external_addr` `{addr}` is not a host name or IP address"
            )));
        }
    }
    strings(doc, "refs")?;
    match doc.get("config") {
        None | Some(Value::Null) => {}
        Some(Value::Object(c)) => coordinates(c.get("coordinates"), "config.coordinates.")?,
        Some(_) => return Err(DomainError::invalid("`config` must be an object")),
    }
    coordinates(doc.get("coordinates"), "coordinates.")?;
    routes(doc)
}

fn validate_gateway(doc: &Map<String, Value>) -> Result<()> {
    required_text(doc, "name", "gateway")?;
    for f in [
        "admin_region",
        "az",
        "canary_display_name",
        "display_name",
        "provider",
        "region",
    ] {
        text(doc, f)?;
    }
    for f in ["vip", "canary_vip"] {
        if let Some(ip) = text(doc, f)?.filter(|s| !s.is_empty())
            && ip.parse::<IpAddr>().is_err()
        {
            return Err(DomainError::invalid(format!(
                "`{f}` `{ip}` is not an IP address"
            )));
        }
    }
    if doc.get("is_in_sync").is_some_and(|v| !v.is_boolean()) {
        return Err(DomainError::invalid("`is_in_sync` must be a boolean"));
    }
    coordinate(doc, "latitude", 90.0, "")?;
    coordinate(doc, "longitude", 180.0, "")
}

/// Connectors; `unique_name` is unique per account.
pub static CONNECTORS: ResourceKind = ResourceKind {
    kind: "connector",
    what: "connector",
    read_role: Role::ReadOnly,
    write_role: Role::Operator,
    unique_field: Some("unique_name"),
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_connector,
    secret_fields: &[],
};

/// Gateways; `name` is unique per account.
pub static GATEWAYS: ResourceKind = ResourceKind {
    kind: "gateway",
    what: "gateway",
    read_role: Role::ReadOnly,
    write_role: Role::Operator,
    unique_field: Some("name"),
    actor_fields: false,
    default_status: Status::Active,
    validate: validate_gateway,
    secret_fields: &[],
};

/// Fields only the server writes on connectors and gateways (the credential).
pub const CREDENTIAL_FIELDS: &[&str] = &[
    "access_token",
    "access_token_uuid",
    "secret_hash",
    "expire_time_sec",
    "key",
    "secret",
    "current_server_time",
];

/// Creates and retires connectors and gateways together with their credentials.
pub struct ConnectorService<'a> {
    store: Arc<dyn Store>,
    resources: ResourceService,
    /// The server's token service (it keeps the credential cache coherent).
    tokens: &'a TokenService,
}

impl<'a> ConnectorService<'a> {
    pub fn new(store: Arc<dyn Store>, tokens: &'a TokenService) -> Self {
        Self {
            resources: ResourceService::new(store.clone()),
            store,
            tokens,
        }
    }

    /// Creates a connector (E040); answers it with its `access_token`, shown once.
    pub async fn create_connector(
        &self,
        caller: &Principal,
        input: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        self.create(caller, &CONNECTORS, input).await
    }

    /// Creates a gateway; answers it with its `secret`, shown once.
    pub async fn create_gateway(
        &self,
        caller: &Principal,
        input: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        self.create(caller, &GATEWAYS, input).await
    }

    async fn create(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        mut input: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        caller.require(kind.write_role)?;
        for f in CREDENTIAL_FIELDS {
            input.remove(*f);
        }
        // Check before minting, so a refused object leaves no stray credential.
        (kind.validate)(&input)?;
        let key_field = kind.unique_field.unwrap_or("name");
        let name = input
            .get(key_field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if self
            .store
            .get_object_by_key(caller.account_id, kind.kind, &name)
            .await?
            .is_some()
        {
            return Err(DomainError::Conflict(format!(
                "a {} named `{name}` already exists",
                kind.what
            )));
        }
        let (token, secret) = self
            .tokens
            .create(
                caller,
                CreateToken {
                    name: Some(format!("{} {name}", kind.what)),
                    description: Some(format!("credential of {} `{name}`", kind.what)),
                    role: Some(Role::Connector),
                    ..CreateToken::default()
                },
            )
            .await?;
        let credential_field = if kind.kind == GATEWAYS.kind {
            input.insert("key".into(), json!(token.uuid.to_string()));
            "secret"
        } else {
            input.insert("access_token_uuid".into(), json!(token.uuid.to_string()));
            input.insert("expire_time_sec".into(), json!(token.expire_time_sec));
            "access_token"
        };
        input.insert("secret_hash".into(), json!(hash_secret(&secret)));
        match self.resources.create(caller, kind, input).await {
            Ok(mut doc) => {
                doc.insert(credential_field.into(), json!(secret));
                Ok(doc)
            }
            Err(e) => {
                // Best effort: the object was refused, so its credential must not live.
                let _ = self.revoke(caller, token.uuid).await;
                Err(e)
            }
        }
    }

    /// Revokes a credential minted by [`ConnectorService::create`], whoever minted it.
    async fn revoke(&self, caller: &Principal, token: Uuid) -> Result<()> {
        // The deleting operator may not see a token another user minted; retiring the
        // object's own credential is part of deleting it, so it runs as the account.
        let account = Principal {
            role: Role::SuperAdmin,
            ..caller.clone()
        };
        let patch = TokenPatch {
            status: Some(Status::Deleted),
            ..TokenPatch::default()
        };
        self.tokens.update(&account, token, patch).await.map(|_| ())
    }

    /// Soft-deletes a connector or gateway and revokes its credential.
    pub async fn delete(
        &self,
        caller: &Principal,
        kind: &ResourceKind,
        uuid: Uuid,
    ) -> Result<Map<String, Value>> {
        let doc = self.resources.delete(caller, kind, uuid).await?;
        let token = doc
            .get("access_token_uuid")
            .or_else(|| doc.get("key"))
            .and_then(Value::as_str)
            .and_then(|t| Uuid::parse_str(t).ok());
        if let Some(t) = token {
            match self.revoke(caller, t).await {
                Ok(()) | Err(DomainError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(doc)
    }
}

/// Adds `current_server_time` (epoch ms) to a connector answered to a client.
pub fn with_server_time(mut doc: Map<String, Value>) -> Map<String, Value> {
    doc.insert("current_server_time".into(), json!(clock::now_ms()));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn connector_shapes() {
        let ok = doc(
            json!({"unique_name": "dc-1", "external_addr": ["10.0.0.1", "c.example.com"],
            "tcp_on_layer_three_vpn": 1,
            "config": {"coordinates": {"latitude": 51.5, "longitude": -0.1}},
            "routes": {"layer3_routes": [{"subnet": "10.0.0.0/8"}], "layer4_routes": [{"port": 22}]}}),
        );
        assert!(validate_connector(&ok).is_ok());
        for bad in [
            json!({}),
            json!({"unique_name": "has space"}),
            json!({"unique_name": "a", "tcp_on_layer_three_vpn": 3}),
            json!({"unique_name": "a", "external_addr": ["http://x"]}),
            json!({"unique_name": "a", "config": {"coordinates": {"latitude": 91}}}),
            json!({"unique_name": "a", "routes": {"layer3_routes": [{"subnet": "10.0.0.0/33"}]}}),
            json!({"unique_name": "a", "routes": {"layer7_routes": [{"port": 70000}]}}),
        ] {
            assert!(validate_connector(&doc(bad.clone())).is_err(), "{bad}");
        }
    }

    #[test]
    fn gateway_shapes() {
        assert!(validate_gateway(&doc(json!({"name": "g", "vip": "192.0.2.1"}))).is_ok());
        assert!(validate_gateway(&doc(json!({"name": "g", "vip": "nope"}))).is_err());
        assert!(validate_gateway(&doc(json!({"vip": "192.0.2.1"}))).is_err());
        assert!(validate_gateway(&doc(json!({"name": "g", "is_in_sync": 1}))).is_err());
        assert!(validate_gateway(&doc(json!({"name": "g", "longitude": 181}))).is_err());
    }
}
