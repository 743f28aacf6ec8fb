//! Client configurations and CA certificates. Client settings are `pbcommon.Bool`:
//! 0 UNSET (the client's default), 1 TRUE, 2 FALSE; `log_level`: 0 UNSET, 1 ERROR,
//! 2 WARN, 3 INFO, 4 DEBUG.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::identity::FilterDto;
use crate::wire_object;

/// Declares a client config object: the shared settings plus `extra` fields.
macro_rules! client_config {
    ($(#[$m:meta])* $name:ident { $( $(#[$fm:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        wire_object! {
            $(#[$m])*
            $name {
                account_name: String,
                /// Collect performance data from the domains below. Default false.
                browser_performance_inspection: i64,
                browser_performance_inspection_domains: Vec<String>,
                /// Attach context (such as tab information) to browser exports. Default true.
                browser_request_inspection: i64,
                /// The client looks for identities issued by this CA certificate.
                client_ca_uuid: String,
                /// macOS only: resolve with the edge's upstream resolver. Default false.
                client_use_eg_upstream_dns: i64,
                description: String,
                disconnect_allowed: i64,
                /// Disconnect duration options, in minutes.
                disconnect_interval_minutes: Vec<String>,
                /// Require a justification of at least 5 characters. Default false.
                disconnect_justification_required: i64,
                dns_search_domains: Vec<String>,
                /// Always-on mode: no disconnect or quit. Default false.
                enable_always_on_vpn: i64,
                enable_auto_updates: i64,
                /// Set the system's browser proxy. Default true.
                enable_browser_proxy: i64,
                enable_guest_user_mode: i64,
                /// Default true.
                enable_manual_updates: i64,
                /// Default true.
                enable_sensor_data: i64,
                /// Default true.
                enable_transparent_proxy: i64,
                enable_transparent_sso: i64,
                /// An active API token of the account with role `guest`.
                guest_user_api_token: String,
                /// SHA-1 or SHA-256 thumbprint the auto-update installer must be signed with.
                installer_cert_thumbprint: String,
                /// 0 UNSET, 1 ERROR, 2 WARN, 3 INFO, 4 DEBUG.
                log_level: i64,
                mac_install_root_ca: i64,
                name: String,
                /// A message shown on the popover.
                policy_location: String,
                /// An http(s) URL users are sent to 30 s after login.
                post_login_redirect_url: String,
                priority: i64,
                proxy_exclusion_domains: Vec<String>,
                /// Which sessions this config applies to.
                session_filter: FilterDto,
                /// Windows only; default 6.
                session_refresh_interval_hours: i64,
                /// Fail open when the gateway is unavailable. Default true.
                should_fail_open: i64,
                show_cellular_confirmation: i64,
                /// Default true.
                show_popover_automatically: i64,
                /// 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
                status: i64,
                update_channels: Vec<String>,
                wifi_only_if_location_permission: i64,
                windows_install_per_device_root_ca: i64,
                $( $(#[$fm])* $field: $ty, )*
            }
        }
    };
}

client_config! {
    /// A client configuration (`proto.ClientConfig`).
    ClientConfigDto {
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        filter_selector_display_names: BTreeMap<String, String>,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
    }
}

client_config! {
    /// Add client configuration; also the changes of an update.
    ClientConfigFields {
        /// Mint a new guest token (role `guest`) into `guest_user_api_token`.
        generate_guest_user_api_token: bool,
    }
}

/// Update client config: only the fields present change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdateClientConfigBody {
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    #[serde(flatten)]
    pub changes: ClientConfigFields,
    pub uuid: Option<String>,
}

/// `{"client_configs": [...]}` (beyond the seed).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientConfigList {
    pub client_configs: Vec<ClientConfigDto>,
}

wire_object! {
    /// A CA certificate (`proto.CaCertificate`). Purposes: 0 UNSPECIFIED,
    /// 1 CLIENT_AUTHENTICATION, 2 ENDPOINT, 3 TLS_INSPECTION. Statuses: 0 UNSPECIFIED,
    /// 1 INIT, 2 ACTIVE (and 4 DELETED after a soft delete).
    CaCertificateDto {
        account_name: String,
        /// The issuers, in order: PEM certificates.
        chain: Vec<String>,
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        description: String,
        /// Always false: private keys are not accepted.
        have_private_key: bool,
        /// The CA certificate, PEM.
        public_key_pem: String,
        purpose: i64,
        status: i64,
        subject: String,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
        /// Beyond the seed: derived from the certificate.
        issuer: String,
        serial_number: String,
        /// Epoch ms.
        not_before: i64,
        /// Epoch ms.
        not_after: i64,
        /// Hex SHA-256 of the certificate's DER.
        fingerprint_sha256: String,
    }
}

wire_object! {
    /// Add CA certificate.
    CreateCaCertificateBody {
        account_name: String,
        chain: Vec<String>,
        description: String,
        public_key_pem: String,
        purpose: i64,
        /// 0 UNSPECIFIED, 1 INIT, 2 ACTIVE.
        status: i64,
    }
}

wire_object! {
    /// The CA certificate fields an update may change.
    CaCertificateChanges {
        chain: Vec<String>,
        description: String,
        /// 0 UNSPECIFIED, 1 INIT, 2 ACTIVE.
        status: i64,
    }
}

/// Update CA Certificate: only the fields present change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdateCaCertificateBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    #[serde(flatten)]
    pub changes: CaCertificateChanges,
    pub uuid: Option<String>,
}

/// `{"account_name": ..., "certificates": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaCertificateList {
    pub account_name: String,
    pub certificates: Vec<CaCertificateDto>,
}

/// The file an endpoint client loads (E036 download); see the operation's description.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientConfigFile {
    /// Always `bulwark-client-config`.
    pub format: String,
    /// 1.
    pub format_version: i64,
    pub config_uuid: String,
    pub config_name: String,
    pub account_name: String,
    /// The config's `update_time`: a client reloads when it changes.
    pub config_update_time: i64,
    /// Where the client reaches this server.
    pub server_url: String,
    /// Only the settings that apply, by their seed names; switches as booleans,
    /// `log_level` by name.
    #[schema(value_type = Object)]
    pub settings: serde_json::Map<String, serde_json::Value>,
}
