//! Connector deployments: E051 Check where a connector should be deployed, E050
//! Initiate deployment of a connector, E022 Deploy an app; beyond the seed, recorded
//! deployments can be listed, read and soft-deleted.
//!
//! Options (E051) come from the app's `host` (or `internal_host_pattern`):
//! 1. every live connector that already reaches it: bound to the app by
//!    `connector_unique_name`, a `layer3_routes` subnet containing the host's IP, or a
//!    layer-4/7 `host_pattern` matching the host name (`*.suffix` wildcards); a
//!    suspended connector is listed with `valid: false`;
//! 2. when the host is an IP address, every known cloud network of the account's
//!    inventory (`AZURE_VIRTUAL_NETWORK` subnets and address space, `GCP_VPC`
//!    subnetworks, `AWS_VPC` CIDR blocks) containing it, the most specific prefix of
//!    each network: deploy a connector in that network;
//! 3. when neither found anything, one generic option (`entity_id` ""): deploy a
//!    connector on any machine that reaches the host (for a public IP, anywhere with
//!    outbound internet access).
//!
//! `entity_id` is the connector's uuid or the network's provider id; `vpc` and
//! `subnet` name the network and subnetwork, `region` its region, `entity_tags` its
//! tags (`key:value`), `public_ip` whether the host is a public IP address.
//!
//! Initiating (E050) recomputes the options and takes the one named by `entity_id`
//! (and `subnet`). An existing connector is bound to the app (`completed: true`);
//! otherwise a connector is created with status INIT, coordinates of the network's
//! provider and region, and a route to the matched subnet (or to the app's host), its
//! `access_token` answered once, and bound to the app (`completed: false` until it
//! reports in). Either way the choice is recorded as a deployment object. No access or
//! policy is created, so `accesses` and `policies` are empty.
//!
//! Deploying an app (E022) creates it like Create an app; when it names a
//! `connector_unique_name`, that connector must exist and gains a route to the app's
//! host (layer 3 for an IP, layer 7 for http/https, layer 4 otherwise).

use std::net::IpAddr;
use std::sync::Arc;

use bulwark_inventory::Asset;
use ipnet::IpNet;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::connectors::{CONNECTORS, ConnectorService, with_server_time};
use super::{live_docs, text};
use crate::auth::Principal;
use crate::identity::APPS;
use crate::ports::{AssetQuery, Store};
use crate::resources::{ResourceKind, ResourceService};
use crate::tokens::TokenService;
use crate::{DomainError, Result, Role, Status};

/// Inventory keys whose assets describe networks.
pub const NETWORK_KEYS: &[&str] = &["AZURE_VIRTUAL_NETWORK", "GCP_VPC", "AWS_VPC"];
/// Most network assets read for one answer.
const MAX_NETWORKS: i64 = 10_000;

fn validate_deployment(doc: &Map<String, Value>) -> Result<()> {
    let app = text(doc, "app_uuid")?.unwrap_or_default();
    if Uuid::parse_str(&app).is_err() {
        return Err(DomainError::invalid("a deployment needs its `app_uuid`"));
    }
    Ok(())
}

/// Recorded deployments (beyond the seed).
pub static DEPLOYMENTS: ResourceKind = ResourceKind {
    kind: "deployment",
    what: "deployment",
    read_role: Role::ReadOnly,
    write_role: Role::Operator,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_deployment,
    secret_fields: &[],
};

/// What an option proposes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// An existing connector.
    Connector { uuid: Uuid, unique_name: String },
    /// A new connector in a cloud network.
    Network { provider: String, cidr: String },
    /// A new connector anywhere that reaches the host.
    Anywhere,
}

/// One deployment option: the seed's fields plus what E050 needs.
#[derive(Debug, Clone)]
pub struct DeployOption {
    pub app_hostname: String,
    pub entity_id: String,
    pub entity_tags: Vec<String>,
    pub message: String,
    pub public_ip: bool,
    pub region: String,
    pub subnet: String,
    pub valid: bool,
    pub vpc: String,
    pub target: Target,
}

impl DeployOption {
    /// The seed's `options[]` item.
    pub fn wire(&self) -> Value {
        json!({
            "app_hostname": self.app_hostname,
            "entity_id": self.entity_id,
            "entity_tags": self.entity_tags,
            "message": self.message,
            "public_ip": self.public_ip,
            "region": self.region,
            "subnet": self.subnet,
            "valid": self.valid,
            "vpc": self.vpc,
        })
    }
}

/// Whether an address is routable on the internet. `IpAddr::is_global` is unstable,
/// so the special ranges that matter for reachability are listed here.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_multicast()
                || (o[0] == 100 && (o[1] & 0xc0) == 64))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80)
        }
    }
}

fn net_of(cidr: &str) -> Option<IpNet> {
    let cidr = cidr.trim();
    cidr.parse::<IpNet>()
        .ok()
        .or_else(|| cidr.parse::<IpAddr>().ok().map(IpNet::from))
}

fn host_matches(pattern: &str, host: &str) -> bool {
    let (p, h) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match p.strip_prefix("*.") {
        Some(suffix) => h.ends_with(&format!(".{suffix}")),
        None => !p.is_empty() && p == h,
    }
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for k in path {
        match cur.get(k) {
            Some(n) => cur = n,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A network prefix of an inventory asset: `(subnet name, cidr, region)`.
fn prefixes(a: &Asset) -> Vec<(String, String, String)> {
    let region = a.region.clone().unwrap_or_default();
    let mut out = Vec::new();
    let d = &a.data;
    match a.search_key.as_str() {
        "AZURE_VIRTUAL_NETWORK" => {
            for sub in d
                .get("subnets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for c in str_list(sub.get("addressPrefixes")) {
                    out.push((s(sub, &["name"]).to_string(), c, region.clone()));
                }
            }
            for c in str_list(d.get("addressPrefixes")) {
                out.push((String::new(), c, region.clone()));
            }
        }
        "GCP_VPC" => {
            for sub in d
                .get("subnetworks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let r = s(sub, &["region"]);
                out.push((
                    s(sub, &["name"]).to_string(),
                    s(sub, &["ipCidrRange"]).to_string(),
                    if r.is_empty() {
                        region.clone()
                    } else {
                        r.to_string()
                    },
                ));
            }
        }
        _ => {
            let mut blocks = str_list(d.get("cidrBlocks"));
            let one = s(d, &["cidrBlock"]);
            if !one.is_empty() && !blocks.iter().any(|b| b == one) {
                blocks.push(one.to_string());
            }
            blocks.extend(str_list(d.get("ipv6CidrBlocks")));
            for c in blocks {
                out.push((String::new(), c, region.clone()));
            }
        }
    }
    out
}

fn network_label(key: &str) -> &'static str {
    match key {
        "AZURE_VIRTUAL_NETWORK" => "Azure virtual network",
        "GCP_VPC" => "GCP VPC network",
        _ => "AWS VPC",
    }
}

/// The connector route that reaches an app: `(routes field, route)`.
fn route_for_app(app: &Map<String, Value>, host: &str) -> (&'static str, Value) {
    let name = app.get("name").and_then(Value::as_str).unwrap_or("");
    if let Ok(ip) = host.parse::<IpAddr>() {
        return (
            "layer3_routes",
            json!({"name": name, "subnet": IpNet::from(ip).to_string()}),
        );
    }
    let port = ["internal_port", "port"]
        .iter()
        .filter_map(|f| app.get(*f).and_then(Value::as_i64))
        .find(|p| *p > 0)
        .unwrap_or(0);
    let proto = ["internal_protocol", "protocol"]
        .iter()
        .filter_map(|f| app.get(*f).and_then(Value::as_str))
        .find(|p| !p.is_empty())
        .unwrap_or("tcp")
        .to_ascii_lowercase();
    if proto == "http" || proto == "https" {
        (
            "layer7_routes",
            json!({"host_pattern": host, "port": port, "scheme": proto}),
        )
    } else {
        (
            "layer4_routes",
            json!({"host_pattern": host, "port": port, "protocol": proto}),
        )
    }
}

/// `routes` with `route` added to `layer` unless already there.
fn with_route(routes: Option<&Value>, layer: &str, route: Value) -> Value {
    let mut r = routes
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let list = r.entry(layer.to_string()).or_insert_with(|| json!([]));
    if let Some(items) = list.as_array_mut()
        && !items.contains(&route)
    {
        items.push(route);
    }
    Value::Object(r)
}

fn app_host(app: &Map<String, Value>) -> String {
    ["host", "internal_host_pattern"]
        .iter()
        .filter_map(|f| app.get(*f).and_then(Value::as_str))
        .map(str::trim)
        .find(|h| !h.is_empty())
        .unwrap_or("")
        .to_string()
}

/// A valid connector `unique_name` for a new connector of `app_name`.
fn connector_name(app_name: &str) -> String {
    let slug: String = app_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug: String = slug.trim_matches('-').chars().take(40).collect();
    let short = Uuid::new_v4().simple().to_string();
    format!(
        "deploy-{}-{}",
        if slug.is_empty() { "app" } else { &slug },
        &short[..8]
    )
}

/// The deployment operations.
pub struct DeploymentService {
    store: Arc<dyn Store>,
    resources: ResourceService,
}

/// What E050 asks for.
#[derive(Debug, Clone, Default)]
pub struct Initiate {
    pub app_uuid: String,
    pub entity_id: String,
    pub subnet: Option<String>,
    /// The name of the connector to create (default `deploy-<app>-<random>`).
    pub connector_unique_name: Option<String>,
}

impl DeploymentService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            resources: ResourceService::new(store.clone()),
            store,
        }
    }

    async fn network_assets(&self, caller: &Principal) -> Result<Vec<Asset>> {
        let mut out = Vec::new();
        loop {
            let page = self
                .store
                .query_assets(
                    caller.account_id,
                    &AssetQuery {
                        search_keys: NETWORK_KEYS,
                        cloud_accounts: &[],
                        term: None,
                        limit: 500,
                        offset: i64::try_from(out.len()).unwrap_or(i64::MAX),
                    },
                )
                .await?;
            let got = page.assets.len();
            out.extend(page.assets);
            if got == 0
                || i64::try_from(out.len()).unwrap_or(i64::MAX) >= page.total.min(MAX_NETWORKS)
            {
                return Ok(out);
            }
        }
    }

    /// E051: the app and where a connector for it could go.
    pub async fn options(
        &self,
        caller: &Principal,
        app_uuid: &str,
    ) -> Result<(Uuid, Map<String, Value>, Vec<DeployOption>)> {
        caller.require(Role::ReadOnly)?;
        if app_uuid.trim().is_empty() {
            return Err(DomainError::invalid("`app_uuid` is required"));
        }
        let id = Uuid::parse_str(app_uuid.trim()).map_err(|_| DomainError::NotFound("app"))?;
        let app = self
            .store
            .get_object(caller.account_id, APPS.kind, id)
            .await?
            .ok_or(DomainError::NotFound("app"))?;
        if app.status == Status::Deleted {
            return Err(DomainError::Conflict(format!("app {id} is deleted")));
        }
        let app = app.doc;
        let host = app_host(&app);
        if host.is_empty() {
            return Err(DomainError::Conflict(format!(
                "app {id} has no `host` (or `internal_host_pattern`) to reach"
            )));
        }
        let ip = host.parse::<IpAddr>().ok();
        let public_ip = ip.is_some_and(is_public);
        let bound = app
            .get("connector_unique_name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let base = DeployOption {
            app_hostname: host.clone(),
            entity_id: String::new(),
            entity_tags: Vec::new(),
            message: String::new(),
            public_ip,
            region: String::new(),
            subnet: String::new(),
            valid: true,
            vpc: String::new(),
            target: Target::Anywhere,
        };
        let mut out = Vec::new();

        for (uuid, c) in live_docs(&self.store, caller, &CONNECTORS).await? {
            let cv = Value::Object(c.clone());
            let name = s(&cv, &["unique_name"]).to_string();
            let mut reach: Option<(String, String)> = None;
            if !bound.is_empty() && bound == name {
                reach = Some((String::new(), "is bound to the app".into()));
            }
            if let Some(ip) = ip {
                for r in cv["routes"]["layer3_routes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let sub = s(r, &["subnet"]);
                    if reach.is_none() && net_of(sub).is_some_and(|n| n.contains(&ip)) {
                        reach = Some((sub.to_string(), format!("routes {sub}")));
                    }
                }
            }
            for layer in ["layer4_routes", "layer7_routes"] {
                for r in cv["routes"][layer].as_array().into_iter().flatten() {
                    let pat = s(r, &["host_pattern"]);
                    if reach.is_none() && host_matches(pat, &host) {
                        reach = Some((String::new(), format!("routes `{pat}`")));
                    }
                }
            }
            let Some((subnet, why)) = reach else { continue };
            let status = c.get("status").and_then(Value::as_i64).unwrap_or(0);
            let suspended = status == Status::Suspended.code() as i64;
            let mut region = s(&cv, &["coordinates", "region"]);
            if region.is_empty() {
                region = s(&cv, &["config", "coordinates", "region"]);
            }
            out.push(DeployOption {
                entity_id: uuid.to_string(),
                entity_tags: str_list(c.get("tags")),
                message: if suspended {
                    format!("connector `{name}` {why} but is suspended")
                } else {
                    format!("connector `{name}` already {why}: use it for {host}")
                },
                region: region.to_string(),
                subnet,
                valid: !suspended,
                target: Target::Connector {
                    uuid,
                    unique_name: name,
                },
                ..base.clone()
            });
        }

        if let Some(ip) = ip {
            for a in self.network_assets(caller).await? {
                let best = prefixes(&a)
                    .into_iter()
                    .filter_map(|(sub, c, r)| net_of(&c).map(|n| (sub, n, r)))
                    .filter(|(_, n, _)| n.contains(&ip))
                    .max_by_key(|(_, n, _)| n.prefix_len());
                let Some((subnet, net, region)) = best else {
                    continue;
                };
                let label = network_label(&a.search_key);
                let place = if subnet.is_empty() {
                    format!("the address space {net} of {label} `{}`", a.name)
                } else {
                    format!("subnet `{subnet}` ({net}) of {label} `{}`", a.name)
                };
                out.push(DeployOption {
                    entity_id: a.resource_id.clone(),
                    entity_tags: a
                        .tags
                        .iter()
                        .map(|t| {
                            if t.value.is_empty() {
                                t.name.clone()
                            } else {
                                format!("{}:{}", t.name, t.value)
                            }
                        })
                        .collect(),
                    message: format!(
                        "{ip} is in {place}{}: deploy a connector there",
                        if region.is_empty() {
                            String::new()
                        } else {
                            format!(" in {region}")
                        }
                    ),
                    region,
                    subnet,
                    vpc: a.name.clone(),
                    target: Target::Network {
                        provider: a.provider.as_str().to_string(),
                        cidr: net.to_string(),
                    },
                    ..base.clone()
                });
            }
        }

        if out.is_empty() {
            out.push(DeployOption {
                message: if public_ip {
                    format!("{host} is a public address: deploy a connector anywhere with outbound internet access")
                } else {
                    format!("no known network or connector reaches {host}: deploy a connector on a machine that can reach it")
                },
                ..base
            });
        }
        Ok((id, app, out))
    }

    /// E050: records the chosen option and answers the seed's response; returns the
    /// deployment's uuid with it.
    pub async fn initiate(
        &self,
        caller: &Principal,
        tokens: &TokenService,
        req: Initiate,
    ) -> Result<(String, Map<String, Value>)> {
        caller.require(Role::Operator)?;
        let (app_id, app, options) = self.options(caller, &req.app_uuid).await?;
        let wanted_subnet = req.subnet.as_deref().filter(|s| !s.is_empty());
        let Some(choice) = options
            .into_iter()
            .find(|o| o.entity_id == req.entity_id && wanted_subnet.is_none_or(|s| s == o.subnet))
        else {
            return Err(DomainError::invalid(format!(
                "`entity_id` `{}` is not one of the deployment options of app {app_id} (see GET /edge/v1/deployments/options?app_uuid={app_id})",
                req.entity_id
            )));
        };
        if !choice.valid {
            return Err(DomainError::Conflict(format!(
                "that option cannot be used: {}",
                choice.message
            )));
        }
        let host = choice.app_hostname.clone();
        let mut messages = Vec::new();
        let (connector, completed) = match &choice.target {
            Target::Connector { uuid, unique_name } => {
                messages.push(format!("app bound to existing connector `{unique_name}`"));
                let doc = self.resources.get(caller, &CONNECTORS, *uuid).await?;
                (doc, true)
            }
            target => {
                let app_name = app.get("name").and_then(Value::as_str).unwrap_or("");
                let unique_name = req
                    .connector_unique_name
                    .clone()
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| connector_name(app_name));
                let (layer, route) = match target {
                    Target::Network { cidr, .. } => {
                        ("layer3_routes", json!({"name": choice.vpc, "subnet": cidr}))
                    }
                    _ => route_for_app(&app, &host),
                };
                let mut input = Map::new();
                input.insert("unique_name".into(), json!(unique_name));
                input.insert("name".into(), json!(format!("Connector for {app_name}")));
                input.insert("description".into(), json!(choice.message));
                input.insert("status".into(), json!(Status::Init.code()));
                input.insert("routes".into(), with_route(None, layer, route));
                if let Target::Network { provider, .. } = target {
                    input.insert(
                        "coordinates".into(),
                        json!({"provider": provider, "region": choice.region}),
                    );
                }
                let doc = ConnectorService::new(self.store.clone(), tokens)
                    .create_connector(caller, input)
                    .await?;
                messages.push(format!(
                    "connector `{unique_name}` created; install it with its access_token, shown only now"
                ));
                (doc, false)
            }
        };
        let unique_name = connector
            .get("unique_name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let app = if app.get("connector_unique_name").and_then(Value::as_str) == Some(&unique_name)
        {
            app
        } else {
            let mut changes = Map::new();
            changes.insert("connector_unique_name".into(), json!(unique_name));
            messages.push(format!("app {app_id} now routes through `{unique_name}`"));
            self.resources
                .update(caller, &APPS, app_id, changes, &[], None)
                .await?
        };
        let mut record = match choice.wire() {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        record.insert("app_uuid".into(), json!(app_id.to_string()));
        record.insert("connector_unique_name".into(), json!(unique_name));
        record.insert(
            "connector_uuid".into(),
            connector.get("uuid").cloned().unwrap_or(json!("")),
        );
        record.insert("completed".into(), json!(completed));
        record.insert(
            "status".into(),
            json!(
                if completed {
                    Status::Active
                } else {
                    Status::Init
                }
                .code()
            ),
        );
        let deployment = self.resources.create(caller, &DEPLOYMENTS, record).await?;
        let dep_uuid = deployment
            .get("uuid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut resp = Map::new();
        resp.insert("accesses".into(), json!([]));
        resp.insert("apps".into(), json!([app]));
        resp.insert("completed".into(), json!(completed));
        resp.insert(
            "connector".into(),
            Value::Object(with_server_time(connector)),
        );
        resp.insert("messages".into(), json!(messages));
        resp.insert("policies".into(), json!([]));
        resp.insert(
            "resource_urls".into(),
            json!([
                format!("/edge/v1/deployments/{dep_uuid}"),
                format!("/edge/v1/connectors/{unique_name}"),
                format!("/edge/v1/apps/{app_id}"),
            ]),
        );
        resp.insert("success".into(), json!(true));
        Ok((dep_uuid, resp))
    }

    /// E022: creates the app and, when it names a connector, routes it there.
    pub async fn deploy_app(
        &self,
        caller: &Principal,
        app: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        caller.require(APPS.write_role)?;
        let name = app
            .get("connector_unique_name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let connector = if name.is_empty() {
            None
        } else {
            if app_host(&app).is_empty() {
                return Err(DomainError::invalid(
                    "`app.host` is required to deploy an app through a connector",
                ));
            }
            let c = self
                .store
                .get_object_by_key(caller.account_id, CONNECTORS.kind, &name)
                .await?
                .filter(|c| c.status != Status::Deleted)
                .ok_or_else(|| {
                    DomainError::invalid(format!(
                        "`app.connector_unique_name`: connector `{name}` does not exist in this account"
                    ))
                })?;
            Some(c)
        };
        let created = self.resources.create(caller, &APPS, app).await?;
        if let Some(c) = connector {
            let (layer, route) = route_for_app(&created, &app_host(&created));
            let mut changes = Map::new();
            changes.insert(
                "routes".into(),
                with_route(c.doc.get("routes"), layer, route),
            );
            self.resources
                .update(caller, &CONNECTORS, c.uuid, changes, &[], None)
                .await?;
        }
        Ok(created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_patterns() {
        assert!(!is_public(
            "10.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
        ));
        assert!(!is_public(
            "100.64.0.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
        ));
        assert!(is_public(
            "8.8.8.8".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
        ));
        assert!(host_matches("*.corp.example", "db.corp.example"));
        assert!(!host_matches("*.corp.example", "corp.example"));
        assert!(host_matches("DB.corp", "db.corp"));
        assert!(net_of("10.0.0.0/8").is_some_and(|n| n.contains(&IpAddr::from([10, 9, 8, 7]))));
        assert!(net_of("10.0.0.1").is_some_and(|n| n.prefix_len() == 32));
        let n = connector_name("My App!");
        assert!(n.starts_with("deploy-my-app-") && n.len() == "deploy-my-app-".len() + 8);
    }

    #[test]
    fn routes_for_apps() {
        let app = |v: Value| v.as_object().cloned().unwrap_or_default();
        let (l, r) = route_for_app(&app(json!({"name": "a"})), "10.0.0.5");
        assert_eq!(
            (l, r["subnet"].as_str()),
            ("layer3_routes", Some("10.0.0.5/32"))
        );
        let (l, r) = route_for_app(&app(json!({"protocol": "HTTPS", "port": 443})), "w.corp");
        assert_eq!(
            (l, r["scheme"].as_str(), r["port"].as_i64()),
            ("layer7_routes", Some("https"), Some(443))
        );
        let (l, _) = route_for_app(&app(json!({"protocol": "ssh", "port": 22})), "s.corp");
        assert_eq!(l, "layer4_routes");
        let merged = with_route(
            Some(&json!({"layer4_routes": [{"x": 1}]})),
            "layer4_routes",
            json!({"x": 1}),
        );
        assert_eq!(merged["layer4_routes"].as_array().map(Vec::len), Some(1));
    }
}
