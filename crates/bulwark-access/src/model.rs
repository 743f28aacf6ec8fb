//! The evaluation model: what the server hands to [`crate::Index::build`].
//!
//! These are not the wire types. They keep only what evaluation reads; the
//! server converts its stored objects (turning the wire's `end_time: 0` into
//! `None`, for instance). Selector strings (list entries and filter tags) are
//! described in the crate README.

use serde::{Deserialize, Serialize};

use crate::enums::{AccessType, PolicyAction, PolicyType, Status};

/// Everything one account's evaluation needs, taken at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Users of the account.
    pub users: Vec<User>,
    /// Groups, possibly nested and possibly cyclic.
    pub groups: Vec<Group>,
    /// Apps.
    pub apps: Vec<App>,
    /// Access objects (entitlements).
    pub accesses: Vec<Access>,
    /// Policies.
    pub policies: Vec<Policy>,
}

/// A user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Unique id.
    pub uuid: String,
    /// Only active users are evaluated.
    pub status: Status,
    /// Free-form labels (`high_value_user`).
    pub tags: Vec<String>,
    /// Uuids of the groups the user is directly in. Union with the groups
    /// whose [`Group::member_users`] name the user.
    pub groups: Vec<String>,
    /// The user's role by its canonical name, matched by `role:<name>`.
    pub role: Option<String>,
}

/// A group of users and of other groups.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Unique id.
    pub uuid: String,
    /// Only active groups confer membership; an inactive group also breaks
    /// the chain to the groups that contain it.
    pub status: Status,
    /// Labels; members are selected by them too.
    pub tags: Vec<String>,
    /// Uuids of users directly in this group.
    pub member_users: Vec<String>,
    /// Uuids of groups nested in this group: their members are members here.
    pub member_groups: Vec<String>,
}

/// An app (a protected resource).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct App {
    /// Unique id.
    pub uuid: String,
    /// Only active apps are evaluated.
    pub status: Status,
    /// Labels.
    pub tags: Vec<String>,
    /// The app's `refs` (ids of the things it belongs to); matched like tags.
    pub refs: Vec<String>,
}

/// A half-open validity window `[start, end)` in the caller's time unit
/// (Bulwark uses Unix seconds). `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeWindow {
    /// First instant in force.
    pub start: Option<i64>,
    /// First instant no longer in force.
    pub end: Option<i64>,
}

impl TimeWindow {
    /// The window that is always open.
    pub const ALWAYS: TimeWindow = TimeWindow {
        start: None,
        end: None,
    };

    /// Whether `now` lies in the window.
    pub fn contains(self, now: i64) -> bool {
        self.start.is_none_or(|s| now >= s) && self.end.is_none_or(|e| now < e)
    }
}

/// An access object: "Any user selected has access to any app selected."
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// Unique id.
    pub uuid: String,
    /// Only active accesses grant.
    pub status: Status,
    /// How long the grant stands.
    pub access_type: AccessType,
    /// Principal selectors: users, groups, tags, roles.
    pub user_list: Vec<String>,
    /// App selectors: app uuids, tags, refs.
    pub app_list: Vec<String>,
    /// Principal selectors whose users this access no longer covers.
    pub revoked_user_list: Vec<String>,
    /// Whether guest sessions are covered too.
    pub allow_guest_access: bool,
    /// When the grant is in force (the seed has `end_time` only).
    pub window: TimeWindow,
}

/// One conjunction of a filter: matches when every tag is present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Clause {
    /// Tags (selectors) that must all be present.
    pub all: Vec<String>,
}

/// `include_any` (a disjunction of conjunctions) minus `exclude_any`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filter {
    /// Any of these clauses selects; empty selects everything.
    pub include_any: Vec<Clause>,
    /// Any of these clauses deselects; empty deselects nothing.
    pub exclude_any: Vec<Clause>,
}

impl Filter {
    /// The filter that matches everything.
    pub fn everything() -> Filter {
        Filter::default()
    }
}

/// A policy: when both filters match, its action applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Unique id; breaks priority ties (ascending).
    pub uuid: String,
    /// Only active policies match.
    pub status: Status,
    /// Smaller number is higher priority (the seed: "Smaller number indicates
    /// higher priority").
    pub priority: i64,
    /// What happens on a match.
    pub action: PolicyAction,
    /// What the policy governs (the wire's `type`).
    pub policy_type: PolicyType,
    /// Selects sessions: the user's principal facts plus session attributes.
    pub session_filter: Filter,
    /// Selects apps: uuid, tags, refs.
    pub app_filter: Filter,
    /// Whether guest sessions are covered too.
    pub allow_guest_access: bool,
    /// When the policy is in force; not in the seed, open by default.
    pub window: TimeWindow,
}

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Principal<'a> {
    /// A signed-in user, by uuid.
    User(&'a str),
    /// A guest session (client guest mode): no uuid, groups or tags.
    Guest,
}
