//! Posture attributes and profiles. Platforms: 0 UNSPECIFIED, 1 WINDOWS, 2 MACOS,
//! 3 LINUX. Attribute types: 0 UNSPECIFIED, 1 REQUIRED_PROCESSES, 2 DISK_ENCRYPTION,
//! 3 FIREWALL, 4 SCREEN_LOCK, 5 OS_UP_TO_DATE (see `bulwark_core::edge::posture`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire_object;

wire_object! {
    /// A process that must run on the device (`proto.PostureProcess`); at least one
    /// identifying field is required.
    PostureProcess {
        /// MD5, SHA-1 or SHA-256 hex digest of the binary.
        binary_hash: String,
        /// macOS bundle id.
        bundle_id: String,
        /// SHA-1 or SHA-256 thumbprint of the signing certificate.
        cert_thumbprint: String,
        /// 0 UNSPECIFIED (any), 1 WINDOWS, 2 MACOS, 3 LINUX.
        platform: i64,
        /// Regular expression over the process name.
        process_regex: String,
        /// macOS signing team id.
        team_id: String,
    }
}

wire_object! {
    /// A posture attribute (`proto.PostureAttribute`).
    PostureAttributeDto {
        account_name: String,
        /// 0 UNSPECIFIED, 1 REQUIRED_PROCESSES, 2 DISK_ENCRYPTION, 3 FIREWALL,
        /// 4 SCREEN_LOCK, 5 OS_UP_TO_DATE. Fixed at creation.
        attribute_type: i64,
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        description: String,
        name: String,
        /// Only for REQUIRED_PROCESSES, which needs at least one.
        required_processes: Vec<PostureProcess>,
        /// 0 UNSPECIFIED, 1 WINDOWS, 2 MACOS, 3 LINUX.
        supported_platforms: Vec<i64>,
        /// Beyond the seed: 2 ACTIVE, 4 DELETED (soft delete).
        status: i64,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
    }
}

wire_object! {
    /// Add posture attribute.
    CreatePostureAttributeBody {
        account_name: String,
        attribute_type: i64,
        description: String,
        name: String,
        required_processes: Vec<PostureProcess>,
        supported_platforms: Vec<i64>,
    }
}

wire_object! {
    /// The fields of a posture attribute an update may change (the type is fixed).
    PostureAttributeChanges {
        description: String,
        name: String,
        required_processes: Vec<PostureProcess>,
        supported_platforms: Vec<i64>,
    }
}

/// Update posture attribute: only the fields present change; `attributes_to_delete`
/// resets fields.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdatePostureAttributeBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    #[serde(flatten)]
    pub changes: PostureAttributeChanges,
    pub uuid: Option<String>,
}

/// `{"posture_attributes": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PostureAttributeList {
    pub posture_attributes: Vec<PostureAttributeDto>,
}

wire_object! {
    /// A posture profile (`proto.PostureProfile`): the attributes a device of
    /// `platform` must pass to get the tag `posture_tag_value`.
    PostureProfileDto {
        account_name: String,
        /// Existing, non-deleted posture attributes of the account.
        attribute_uuids: Vec<String>,
        create_time: i64,
        creator_display_name: String,
        creator_uuid: String,
        description: String,
        name: String,
        /// 0 UNSPECIFIED, 1 WINDOWS, 2 MACOS, 3 LINUX.
        platform: i64,
        posture_tag_value: String,
        /// Beyond the seed: 2 ACTIVE, 4 DELETED (soft delete).
        status: i64,
        update_time: i64,
        updater_display_name: String,
        updater_uuid: String,
        uuid: String,
    }
}

wire_object! {
    /// Add posture profile.
    CreatePostureProfileBody {
        account_name: String,
        attribute_uuids: Vec<String>,
        description: String,
        name: String,
        platform: i64,
        posture_tag_value: String,
    }
}

wire_object! {
    /// The fields of a posture profile an update may change (the platform is fixed).
    PostureProfileChanges {
        attribute_uuids: Vec<String>,
        description: String,
        name: String,
        posture_tag_value: String,
    }
}

/// Update posture profile: only the fields present change; `attributes_to_delete`
/// resets fields.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdatePostureProfileBody {
    pub account_name: Option<String>,
    #[serde(default)]
    pub attributes_to_delete: Vec<String>,
    #[serde(flatten)]
    pub changes: PostureProfileChanges,
    pub uuid: Option<String>,
}

/// `{"posture_profiles": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PostureProfileList {
    pub posture_profiles: Vec<PostureProfileDto>,
}
