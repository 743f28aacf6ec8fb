//! App control policies. Event types: 0 UNSPECIFIED, 1 COPY, 2 PASTE, 3 UPLOAD,
//! 4 DOWNLOAD, 5 PRINT. Actions: 1 ALLOW, 2 BLOCK, 102 REQUIRE_JUSTIFICATION, 400 ALERT.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::identity::FilterDto;
use crate::wire_object;

wire_object! {
    /// What happens to one kind of in-app event (`proto.AppControlPolicyEventAction`).
    PolicyEventAction {
        /// 1 ALLOW, 2 BLOCK, 102 REQUIRE_JUSTIFICATION, 400 ALERT.
        action: i64,
        /// 1 COPY, 2 PASTE, 3 UPLOAD, 4 DOWNLOAD, 5 PRINT; once per policy.
        event_type: i64,
        /// Set by the server: the child policy enforcing this entry.
        policy_uuid: String,
    }
}

wire_object! {
    /// An app control policy (`proto.AppControlPolicy`).
    AppControlPolicyDto {
        account_name: String,
        /// Which apps it applies to.
        app_filter: FilterDto,
        /// Set by the server: the child policies (type 4 APP_CONTROL) enforcing it.
        child_policy_uuids: Vec<String>,
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        description: String,
        filter_selector_display_names: BTreeMap<String, String>,
        name: String,
        policy_event_actions: Vec<PolicyEventAction>,
        /// Which sessions/users it applies to.
        session_filter: FilterDto,
        /// 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
        status: i64,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
    }
}

wire_object! {
    /// Add App Control Policy; also the changes of an update.
    AppControlPolicyFields {
        account_name: String,
        app_filter: FilterDto,
        description: String,
        name: String,
        policy_event_actions: Vec<PolicyEventAction>,
        session_filter: FilterDto,
        /// On creation 0, 1 INIT or 2 ACTIVE; on update 0-4.
        status: i64,
    }
}

/// Update app control policy: only the fields present change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdateAppControlPolicyBody {
    /// Beyond the seed: fields to reset.
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    #[serde(flatten)]
    pub changes: AppControlPolicyFields,
    pub uuid: Option<String>,
}

/// `{"app_control_policies": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AppControlPolicyList {
    pub app_control_policies: Vec<AppControlPolicyDto>,
}
