//! 3rd-party integrations (`proto.Integration`), field for field as the seed gives
//! them. Requests carry `credentials` (`proto.IngestionCredentials`); responses never
//! do beyond the non-secret identifiers, and never `encrypted_credentials`.
//! Bulwark extensions: `api_base_url`, `status` and, on update, the fields marked so.

use bulwark_core::integrations::Credentials;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::wire_object;

wire_object! {
    /// `proto.IngestionConfig`. Bulwark reads `oauth_base_url` (replaces the token
    /// endpoint's base: Microsoft's login host, or Google's token URL without `/token`)
    /// and `max_pages` (most pages per listing); the rest is stored as given.
    IntegrationConfig {
        bucket: String,
        bucket_region: String,
        disable_kinesis: bool,
        disable_parent_path_fetch: bool,
        disable_sfdc_hourly_updates: bool,
        log_api_time_window_in_min: i64,
        max_pages: i64,
        oauth_base_url: String,
    }
}

wire_object! {
    /// The non-secret credential identifiers shown in responses.
    PublicCredentials {
        client_id: String,
        environment_name: String,
        service_account_id: String,
        tenant_id: String,
        username: String,
    }
}

wire_object! {
    /// Add 3rd Party Integration (E061) request.
    CreateIntegrationBody {
        account_name: String,
        /// Used by GitHub integration.
        app_id: String,
        /// Deprecated; stored as given.
        base_url: String,
        config: IntegrationConfig,
        /// Okta: `access_token`. Azure AD: `tenant_id`, `client_id`, `client_secret`.
        /// Google Workspace: `private_key` (PEM or the JSON key file),
        /// `service_account_id`, `username` (the admin to act as).
        credentials: Credentials,
        /// Required: 1 OKTA, 2 GSUITE, 3 AZURE sync users and groups; the seed's
        /// other values are stored without a connector.
        data_source: i64,
        /// Required.
        display_name: String,
        environment_id: String,
        /// Only users whose e-mail domain is listed are synced (empty: all).
        filter_domains: Vec<String>,
        install_id: String,
        /// Okta: the org subdomain (`edgeguard` for https://edgeguard.okta.com), a
        /// host name or a URL.
        integration_org_name: String,
        /// Minutes between scheduled syncs; 0 or absent: manual syncs only.
        interval_mins: i64,
        /// 0 UNSPECIFIED (commercial), 1 COMMERCIAL, 2 US_GOVERNMENT, 3 CHINA.
        ms365_cloud: i64,
        shard_id: i64,
        /// True: the provider must accept the credentials before the integration is
        /// stored (400 otherwise). False or absent: stored unchecked.
        validate_credentials: bool,
        /// Bulwark extension: replaces the provider's API base URL (Okta org URL,
        /// `https://graph.microsoft.com`, `https://admin.googleapis.com`).
        api_base_url: String,
    }
}

wire_object! {
    /// Update integration (E063) request: only the fields present change.
    UpdateIntegrationBody {
        account_name: String,
        /// Fields given replace the stored ones; the others are kept.
        credentials: Credentials,
        filter_domains: Vec<String>,
        uuid: String,
        /// Bulwark extension.
        display_name: String,
        /// Bulwark extension.
        interval_mins: i64,
        /// Bulwark extension.
        integration_org_name: String,
        /// Bulwark extension.
        api_base_url: String,
        /// Bulwark extension.
        ms365_cloud: i64,
        /// Bulwark extension.
        config: IntegrationConfig,
        /// Bulwark extension: 1 INIT, 2 ACTIVE, 3 SUSPENDED (not synced).
        status: i64,
    }
}

wire_object! {
    /// An integration as stored (`proto.Integration`), without secrets.
    IntegrationDto {
        account_name: String,
        added_by: String,
        app_id: String,
        base_url: String,
        config: IntegrationConfig,
        create_time: i64,
        credentials: PublicCredentials,
        data_source: i64,
        display_name: String,
        environment_id: String,
        filter_domains: Vec<String>,
        install_id: String,
        integration_org_name: String,
        interval_mins: i64,
        last_modified_by: String,
        ms365_cloud: i64,
        shard_id: i64,
        update_time: i64,
        uuid: String,
        /// Bulwark extension.
        api_base_url: String,
        /// Bulwark extension: 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
        status: i64,
    }
}

/// `{"integrations": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IntegrationList {
    pub integrations: Vec<IntegrationDto>,
}

wire_object! {
    /// Validate integration credentials (E064) request.
    ValidateIntegrationBody {
        account_name: String,
        uuid: String,
    }
}

/// The queued sync (Bulwark extension).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SyncJobDto {
    /// Follow it at `GET /bulwark/v1/jobs/{job_id}`.
    pub job_id: String,
    pub state: String,
}

/// Query parameters of E062.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntegrationParams {
    /// Data source to match (comma separated numbers also accepted).
    pub data_source: Option<String>,
    /// Beyond the seed, as the other families: comma separated data sources.
    pub datasource: Option<String>,
    /// Beyond the seed: comma separated tags.
    pub tag: Option<String>,
    /// Beyond the seed: comma separated status (default: all but DELETED).
    pub status: Option<String>,
    /// Beyond the seed: page size 1-10000 (default 1000), newest first.
    pub limit: Option<i64>,
    /// Beyond the seed: objects to skip.
    pub offset: Option<i64>,
}
