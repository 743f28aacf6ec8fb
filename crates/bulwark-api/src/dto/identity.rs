//! Edge identity and app objects, field for field as the seed gives them. Every field
//! is optional on the wire: requests carry only what they set, responses carry the
//! whole stored object.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a wire object whose fields are all optional and omitted when absent.
#[macro_export]
macro_rules! wire_object {
    ($(#[$m:meta])* $name:ident { $( $(#[$fm:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}

/// An inclusive port range.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PortRange {
    pub start: i64,
    pub end: i64,
}

/// A ref with the tags it must carry to match.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RefMatch {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

wire_object! {
    /// An application reachable through the edge (`proto.App`).
    AppDto {
        account_name: String,
        connector_unique_name: String,
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        data_source: i64,
        description: String,
        host: String,
        host_match_type: i64,
        integration_id: String,
        internal_host_pattern: String,
        internal_port: i64,
        internal_protocol: String,
        name: String,
        path: String,
        port: i64,
        protocol: String,
        protocols: Vec<i64>,
        ref_display_names: BTreeMap<String, String>,
        ref_matches: Vec<RefMatch>,
        refs: Vec<String>,
        request_host_header: String,
        reverse_proxy_name: String,
        /// 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
        status: i64,
        tags: Vec<String>,
        tcp_port_ranges: Vec<PortRange>,
        tcp_ports: Vec<i64>,
        udp_port_ranges: Vec<PortRange>,
        udp_ports: Vec<i64>,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
        verify_server_cert: i64,
    }
}

wire_object! {
    /// A group of users (`proto.Group`), local or synced from an identity provider.
    GroupDto {
        account_name: String,
        create_time: i64,
        data_source: i64,
        description: String,
        integration_id: String,
        membership_update_time: i64,
        name: String,
        profile_update_time: i64,
        status: i64,
        sub_group_count: i64,
        tags: Vec<String>,
        update_time: i64,
        user_count: i64,
        uuid: String,
        /// Beyond the seed: member user uuids of a local group.
        member_users: Vec<String>,
        /// Beyond the seed: member group uuids (nesting; cycles are harmless).
        member_groups: Vec<String>,
    }
}

wire_object! {
    /// A user (`proto.User`).
    UserDto {
        account_name: String,
        create_time: i64,
        data_source: i64,
        display_name: String,
        idp_mfa_status: i64,
        integration_id: String,
        integration_to_source_user_id: BTreeMap<String, String>,
        location: String,
        mfa_encrypted_secret: String,
        mfa_status: i64,
        record_update_time: i64,
        role: i64,
        source_user_id: String,
        status: i64,
        tags: Vec<String>,
        update_time: i64,
        uuid: String,
    }
}

wire_object! {
    /// A user's personal data (`proto.UserPii`), kept apart from the user object.
    UserPiiDto {
        account_name: String,
        email: String,
        login: String,
        phone: String,
        uuid: String,
    }
}

/// `{"apps": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AppList {
    pub apps: Vec<AppDto>,
}

/// `{"groups": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupList {
    pub groups: Vec<GroupDto>,
}

/// `{"users": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserDto>,
}

/// Create an app.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateAppBody {
    /// The name of the account ("" or the caller's).
    pub account_name: Option<String>,
    pub app: Option<AppDto>,
}

/// Update an app (beyond the seed): only the fields present change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateAppBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    pub app: Option<AppDto>,
    pub uuid: Option<String>,
}

/// Update a group: the group object with only new values filled in (plus
/// `attributes_to_delete`, beyond the seed).
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateGroupBody {
    #[serde(flatten)]
    pub group: GroupDto,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
}

/// Create a user.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserBody {
    pub account_name: Option<String>,
    /// Accepted; Bulwark sends no e-mail invitations yet, so this only records intent.
    pub send_invitation: Option<bool>,
    pub user: Option<UserDto>,
    pub user_pii: Option<UserPiiDto>,
}

/// A user with its personal data (create response).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserWithPii {
    pub user: UserDto,
    pub user_pii: UserPiiDto,
}

/// Update a user: only new values of the user filled in.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUserBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    /// Deprecated, ignored.
    pub record_update_time: Option<i64>,
    pub user: Option<UserDto>,
    pub uuid: Option<String>,
}

/// `{include_any: [{all: [...]}], exclude_any: [...]}`: any include clause whose tags
/// are all present, and no exclude clause.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct FilterDto {
    #[serde(default)]
    pub include_any: Vec<ClauseDto>,
    #[serde(default)]
    pub exclude_any: Vec<ClauseDto>,
}

/// A conjunction of selectors.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ClauseDto {
    #[serde(default)]
    pub all: Vec<String>,
}

/// MITM settings of a policy.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct MitmSettings {
    #[serde(default)]
    pub fail_close: bool,
}

wire_object! {
    /// An access rule (`proto.Access`): users in `user_list` may reach apps in `app_list`.
    AccessDto {
        /// 0 unspecified, 1 standing, 2 just-in-time (needs `end_time`), 3 break-glass.
        access_type: i64,
        account_name: String,
        allow_guest_access: bool,
        app_list: Vec<String>,
        create_time: i64,
        creator_uuid: String,
        data_source: i64,
        description: String,
        /// Epoch ms after which the access no longer grants.
        end_time: i64,
        integration_id: String,
        revoked_user_list: Vec<String>,
        status: i64,
        update_time: i64,
        user_list: Vec<String>,
        uuid: String,
    }
}

wire_object! {
    /// A policy (`proto.Policy`). Actions: 1 ALLOW, 2 BLOCK, 3 REQUIRE_MFA, 4 RUN_WORKFLOW,
    /// 101 RUN_APP_SPECIFIC_WORKFLOW, 102 REQUIRE_JUSTIFICATION, 103 REQUIRE_REAUTHENTICATION,
    /// 201 ROUTE_VIA_CONNECTOR, 202 ROUTE_DIRECT, 300 INSPECT, 301 DO_NOT_INSPECT,
    /// 310 INSPECT_WITH_DLP, 399 INSPECT_CUSTOM, 400 ALERT, 500 TERMINATE_SESSION.
    /// Types: 1 ACCESS, 2 ROUTING, 3 INSPECTION, 4 APP_CONTROL. Smaller priority first.
    PolicyDto {
        account_name: String,
        action: i64,
        allow_guest_access: bool,
        app_filter: FilterDto,
        constraints: BTreeMap<String, String>,
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        data_source: i64,
        description: String,
        filter_selector_display_names: BTreeMap<String, String>,
        integration_id: String,
        metadata: String,
        mitm_settings: MitmSettings,
        name: String,
        parent_app_control_policy_uuid: String,
        policy_event_type: i64,
        priority: i64,
        session_filter: FilterDto,
        status: i64,
        r#type: i64,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
        workflow_name: String,
        workflow_uuid: String,
    }
}

/// `{"policies": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PolicyList {
    pub policies: Vec<PolicyDto>,
}

/// "Query access objects": matching accesses with the apps, groups and users they name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccessQueryResult {
    pub accesses: Vec<AccessDto>,
    pub apps: Vec<AppDto>,
    pub groups: Vec<GroupDto>,
    pub users: Vec<UserDto>,
}

/// Update an access: `access` holds only the fields to change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateAccessBody {
    pub access: Option<AccessDto>,
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    pub uuid: Option<String>,
}

/// Update a policy: `policy` holds only the fields to change; `expected_update_time`,
/// when set, must equal the stored `update_time` or the update is refused with 409.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdatePolicyBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    pub expected_update_time: Option<i64>,
    pub policy: Option<PolicyDto>,
    pub uuid: Option<String>,
}
