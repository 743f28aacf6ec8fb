//! Connectors and gateways. `tcp_on_layer_three_vpn` is a `pbcommon.Bool`: 0 UNSET,
//! 1 TRUE, 2 FALSE.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire_object;

wire_object! {
    /// A command queued for a connector instance.
    ConnectorCommand {
        args: BTreeMap<String, String>,
        command_type: i64,
        instance_id: String,
        update_time: i64,
    }
}

wire_object! {
    /// Where a connector (instance) runs.
    Coordinates {
        az: String,
        cluster_name: String,
        hostname: String,
        /// -90 to 90.
        latitude: f64,
        /// -180 to 180.
        longitude: f64,
        provider: String,
        region: String,
    }
}

wire_object! {
    /// DNS servers a connector resolves with.
    DnsResolver { ips: Vec<String> }
}

wire_object! {
    /// A connector instance's configuration and report (`config`, `instances[]`).
    ConnectorConfig {
        commands: Vec<ConnectorCommand>,
        coordinates: Coordinates,
        current_time: i64,
        dns_resolver: DnsResolver,
        enable_quic: bool,
        instance_id: String,
        internal_addr: Vec<String>,
        platform: String,
        status: Vec<String>,
        supervisor_id: String,
        target_triple: String,
        trace_filter: String,
        update_time: i64,
        version: String,
    }
}

wire_object! {
    /// A connector release.
    Release { binary_url: String, version: String }
}

wire_object! {
    /// The release a supervisor should run.
    DesiredRelease { release: Release, supervisor_id: String }
}

wire_object! {
    /// An IP network reachable through the connector.
    Layer3Route {
        host_pattern: String,
        name: String,
        /// An IP network, `a.b.c.d/n`.
        subnet: String,
        tags: BTreeMap<String, String>,
    }
}

wire_object! {
    /// A TCP/UDP service reachable through the connector.
    Layer4Route {
        host_pattern: String,
        port: i64,
        protocol: String,
        tags: BTreeMap<String, String>,
    }
}

wire_object! {
    /// An HTTP service reachable through the connector.
    Layer7Route {
        host_pattern: String,
        port: i64,
        scheme: String,
        tags: BTreeMap<String, String>,
    }
}

wire_object! {
    /// The routes a connector serves.
    ConnectorRoutes {
        layer3_routes: Vec<Layer3Route>,
        layer4_routes: Vec<Layer4Route>,
        layer7_routes: Vec<Layer7Route>,
    }
}

wire_object! {
    /// A connector (`proto.Connector`). `access_token` is present only in the create
    /// response; `secret_hash` is its SHA-256.
    ConnectorDto {
        access_token: String,
        account_name: String,
        certificate_pem: String,
        config: ConnectorConfig,
        coordinates: Coordinates,
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        /// The server's clock when it answered (epoch ms).
        current_server_time: i64,
        description: String,
        desired_releases: Vec<DesiredRelease>,
        /// Expiry of `access_token` in epoch seconds; 0 = never.
        expire_time_sec: i64,
        external_addr: Vec<String>,
        instances: Vec<ConnectorConfig>,
        name: String,
        ref_display_names: BTreeMap<String, String>,
        refs: Vec<String>,
        routes: ConnectorRoutes,
        secret_hash: String,
        /// 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
        status: i64,
        tags: Vec<String>,
        tcp_on_layer_three_vpn: i64,
        unique_name: String,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
        /// Beyond the seed: the uuid of the API token behind `access_token`.
        access_token_uuid: String,
    }
}

wire_object! {
    /// The connector fields a client sets (also the deprecated nested `connector`).
    ConnectorFields {
        config: ConnectorConfig,
        description: String,
        external_addr: Vec<String>,
        name: String,
        /// INIT = 1; ACTIVE = 2; SUSPENDED = 3; DELETED = 4.
        status: i64,
        tags: Vec<String>,
        tcp_on_layer_three_vpn: i64,
        /// Unique within the account.
        unique_name: String,
    }
}

/// Create Connector: the unique name and the optional attributes.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CreateConnectorBody {
    pub account_name: Option<String>,
    /// Deprecated: use the individual fields, which take precedence.
    pub connector: Option<ConnectorFields>,
    #[serde(flatten)]
    pub fields: ConnectorFields,
}

wire_object! {
    /// The connector fields an update may change (beyond the seed).
    ConnectorChanges {
        config: ConnectorConfig,
        coordinates: Coordinates,
        description: String,
        desired_releases: Vec<DesiredRelease>,
        external_addr: Vec<String>,
        instances: Vec<ConnectorConfig>,
        name: String,
        refs: Vec<String>,
        routes: ConnectorRoutes,
        status: i64,
        tags: Vec<String>,
        tcp_on_layer_three_vpn: i64,
        unique_name: String,
    }
}

/// Update a connector (beyond the seed): only the fields present change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdateConnectorBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    #[serde(flatten)]
    pub changes: ConnectorChanges,
}

/// `{"connectors": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConnectorList {
    pub connectors: Vec<ConnectorDto>,
}

wire_object! {
    /// An edge gateway. `secret` is present only in the create response; `key` is the
    /// uuid of the gateway's credential and `secret_hash` the secret's SHA-256.
    GatewayDto {
        admin_region: String,
        az: String,
        canary_display_name: String,
        canary_vip: String,
        display_name: String,
        is_in_sync: bool,
        key: String,
        latitude: f64,
        longitude: f64,
        /// Unique within the account.
        name: String,
        provider: String,
        region: String,
        secret: String,
        /// 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
        status: i64,
        vip: String,
        /// Beyond the seed: the shared object fields.
        uuid: String,
        account_name: String,
        create_time: i64,
        update_time: i64,
        secret_hash: String,
    }
}

wire_object! {
    /// The gateway fields a client sets (create and update, beyond the seed).
    GatewayFields {
        admin_region: String,
        az: String,
        canary_display_name: String,
        /// An IP address.
        canary_vip: String,
        display_name: String,
        is_in_sync: bool,
        latitude: f64,
        longitude: f64,
        name: String,
        provider: String,
        region: String,
        status: i64,
        /// An IP address.
        vip: String,
    }
}

/// Update a gateway (beyond the seed): only the fields present change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdateGatewayBody {
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    #[serde(flatten)]
    pub changes: GatewayFields,
}

/// `{"gateways": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GatewayList {
    pub gateways: Vec<GatewayDto>,
}
