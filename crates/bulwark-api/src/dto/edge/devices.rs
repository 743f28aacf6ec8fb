//! Devices (`proto.Device`, `proto.CertificateVerify`) and connector deployments, field
//! for field as the seed gives them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::edge::connectors::ConnectorDto;
use crate::dto::identity::{AccessDto, AppDto, PolicyDto};
use crate::wire_object;

/// A protobuf `bytes` value: the seed's array of byte values (0-255), or base64.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ByteString {
    Bytes(Vec<u8>),
    Base64(String),
}

wire_object! {
    /// A running process a posture check looks for.
    DeviceProcess { paths: Vec<String>, spec: String }
}

wire_object! {
    /// Processes reported by the device.
    DeviceProcessInfo { processes: Vec<DeviceProcess> }
}

wire_object! {
    /// The device's posture. `*_enabled` are `pbcommon.Bool`: 0 UNSET, 1 TRUE, 2 FALSE.
    DevicePosture {
        client_version_risk: i64,
        device_activation_lock_enabled: i64,
        device_process_info: DeviceProcessInfo,
        disk_encryption_enabled: i64,
        firmware_password_enabled: i64,
        recovery_lock_enabled: i64,
        user_activation_lock_enabled: i64,
    }
}

wire_object! {
    /// One browser the client runs in.
    BrowserDetail {
        browser: String,
        browser_install_type: String,
        browser_version: String,
        eg_version: String,
    }
}

wire_object! {
    /// What the client reports about the machine.
    DeviceProperties {
        browser: String,
        browser_details: Vec<BrowserDetail>,
        browser_install_type: String,
        browser_version: String,
        client_install_type: String,
        device_activation_lock_enabled: bool,
        disk_encryption_enabled: bool,
        firmware_password_enabled: bool,
        hostname: String,
        last_boot_epoch_sec: i64,
        location_tracking_state: i64,
        machine_model: String,
        machine_name: String,
        os: String,
        os_user_id: String,
        os_user_name: String,
        os_version: String,
        recovery_lock_enabled: bool,
        target_triple: String,
        user_activation_lock_enabled: bool,
    }
}

wire_object! {
    /// Freshness of a registration: `create_time` (epoch ms, within 5 minutes of the
    /// server's clock) and `salt` (16-256 characters) are signed.
    TimeId {
        create_time: i64,
        end_time: i64,
        salt: String,
        signature: ByteString,
        version: String,
    }
}

wire_object! {
    /// A user's device (`proto.Device`). `certificate`, `public_key`, `time_id`,
    /// `user_display_name`, `is_managed` and `is_managed_verification_done` are set by
    /// the server from the verified registration.
    DeviceDto {
        account_name: String,
        browser: String,
        browser_version: String,
        certificate: ByteString,
        create_time: i64,
        data_source: i64,
        display_name: String,
        eg_version: String,
        is_managed: bool,
        is_managed_verification_done: bool,
        normalized_id: String,
        os: String,
        os_version: String,
        platform_uuid: String,
        posture: DevicePosture,
        private_key_encrypted: String,
        properties: DeviceProperties,
        public_key: String,
        serial_number: String,
        /// 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
        status: i64,
        tags: Vec<String>,
        time_id: TimeId,
        update_time: i64,
        user_display_name: String,
        user_uuid: String,
        uuid: String,
        /// Beyond the seed: the CA certificate that issued the device certificate.
        ca_certificate_uuid: String,
        /// Beyond the seed: the device certificate's subject.
        certificate_subject: String,
        /// Beyond the seed: SHA-256 of the device certificate's DER, hex.
        certificate_fingerprint_sha256: String,
        /// Beyond the seed: the device certificate's expiry (epoch ms).
        certificate_not_after: i64,
    }
}

wire_object! {
    /// Proof of key possession (`proto.CertificateVerify`): `algorithm` is one of
    /// `ecdsa_secp256r1_sha256`, `ecdsa_secp384r1_sha384`, `ed25519`,
    /// `rsa_pkcs1_sha256`, `rsa_pss_rsae_sha256`; `certificate` the device certificate
    /// (DER); `signature` the signature over the registration message (see Register
    /// Device).
    CertificateVerifyDto {
        algorithm: String,
        certificate: ByteString,
        signature: ByteString,
    }
}

/// Register Device.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct RegisterDeviceBody {
    pub account_name: Option<String>,
    /// Refused: key material is never accepted.
    pub ca_cert: Option<String>,
    pub device: Option<DeviceDto>,
    /// Re-registration of an existing device.
    pub device_uuid: Option<String>,
    /// Refused: key material is never accepted.
    pub encrypted_ca_key: Option<String>,
    pub signature: Option<CertificateVerifyDto>,
    pub time_id: Option<TimeId>,
}

/// One device to delete.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct DeviceToDelete {
    pub user_uuid: String,
    pub uuid: String,
}

/// Delete Devices.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct DeleteDevicesBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub devices: Vec<DeviceToDelete>,
}

/// `{"continuation_token", "devices": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserDeviceList {
    /// Pass back to get the next page; empty on the last page.
    pub continuation_token: String,
    pub devices: Vec<DeviceDto>,
}

/// `{"devices": [...]}` (beyond the seed: every device of the account).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeviceList {
    pub devices: Vec<DeviceDto>,
}

wire_object! {
    /// Where a connector could be deployed to reach an app.
    DeploymentOption {
        app_hostname: String,
        /// The existing connector's uuid, the cloud network's id, or "" (anywhere).
        entity_id: String,
        entity_tags: Vec<String>,
        message: String,
        /// Whether the app's host is a public IP address.
        public_ip: bool,
        region: String,
        subnet: String,
        valid: bool,
        vpc: String,
    }
}

/// `{"options": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeploymentOptions {
    pub options: Vec<DeploymentOption>,
}

/// Initiate deployment (the seed gives no body): the app and the chosen option.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct InitiateDeploymentBody {
    pub account_name: Option<String>,
    pub app_uuid: Option<String>,
    /// The option's `entity_id` ("" for the generic option).
    pub entity_id: Option<String>,
    /// The option's `subnet`, to tell apart options of one entity.
    pub subnet: Option<String>,
    /// Name of the connector to create (default `deploy-<app>-<random>`).
    pub connector_unique_name: Option<String>,
}

/// The seed's answer to Initiate deployment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InitiateDeploymentResponse {
    pub accesses: Vec<AccessDto>,
    pub apps: Vec<AppDto>,
    /// True when an existing connector serves the app now.
    pub completed: bool,
    /// The connector; a new one carries its `access_token`, shown only here.
    pub connector: ConnectorDto,
    pub messages: Vec<String>,
    pub policies: Vec<PolicyDto>,
    pub resource_urls: Vec<String>,
    pub success: bool,
}

wire_object! {
    /// A recorded deployment (beyond the seed): the chosen option and its connector.
    DeploymentDto {
        uuid: String,
        account_name: String,
        app_uuid: String,
        app_hostname: String,
        entity_id: String,
        entity_tags: Vec<String>,
        message: String,
        public_ip: bool,
        region: String,
        subnet: String,
        valid: bool,
        vpc: String,
        connector_unique_name: String,
        connector_uuid: String,
        completed: bool,
        /// 1 INIT (connector not yet running), 2 ACTIVE, 4 DELETED.
        status: i64,
        create_time: i64,
        update_time: i64,
        creator_uuid: String,
        creator_display_name: String,
        updater_uuid: String,
        updater_display_name: String,
    }
}

/// `{"deployments": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeploymentList {
    pub deployments: Vec<DeploymentDto>,
}

/// Deploy an app.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct DeployAppBody {
    /// The name of the account.
    pub account_name: Option<String>,
    pub app: Option<AppDto>,
}

/// `{"app": {...}}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeployAppResponse {
    pub app: AppDto,
}
