//! Roles and their order.
//!
//! The Edge seed gives the role enum only as numbers, in declaration order
//! `0 10 1 12 2 3 14 15 16 4 5`. Bulwark reads that order as increasing privilege and
//! names each value once, here; every API uses this mapping.
//!
//! | value | name             | may                                                        |
//! |-------|------------------|------------------------------------------------------------|
//! | 0     | `none`           | nothing (unset)                                            |
//! | 10    | `guest`          | guest access to apps only                                  |
//! | 1     | `user`           | end user: own devices, own tokens, own workflow runs       |
//! | 12    | `pii_viewer`     | temporary tokens that view one user's logs                 |
//! | 2     | `read_only`      | read every object of the account                           |
//! | 3     | `analyst`        | read, act on alerts, submit scans                          |
//! | 14    | `connector`      | connectors and gateways reporting in                       |
//! | 15    | `operator`       | manage apps, connectors, integrations, scans               |
//! | 16    | `security_admin` | manage policies, posture, alerts, channels                 |
//! | 4     | `admin`          | manage everything in the account, including tokens         |
//! | 5     | `super_admin`    | admin, plus account settings and creating other admins     |

use std::fmt;

use serde::{Deserialize, Serialize};

/// A caller's role. `Ord` follows privilege, not the wire number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub enum Role {
    /// 0: unset.
    None,
    /// 10.
    Guest,
    /// 1.
    User,
    /// 12.
    PiiViewer,
    /// 2.
    ReadOnly,
    /// 3.
    Analyst,
    /// 14.
    Connector,
    /// 15.
    Operator,
    /// 16.
    SecurityAdmin,
    /// 4.
    Admin,
    /// 5.
    SuperAdmin,
}

const TABLE: [(Role, i32, &str); 11] = [
    (Role::None, 0, "none"),
    (Role::Guest, 10, "guest"),
    (Role::User, 1, "user"),
    (Role::PiiViewer, 12, "pii_viewer"),
    (Role::ReadOnly, 2, "read_only"),
    (Role::Analyst, 3, "analyst"),
    (Role::Connector, 14, "connector"),
    (Role::Operator, 15, "operator"),
    (Role::SecurityAdmin, 16, "security_admin"),
    (Role::Admin, 4, "admin"),
    (Role::SuperAdmin, 5, "super_admin"),
];

impl Role {
    /// Position in the privilege order (0 = least).
    pub fn rank(self) -> usize {
        TABLE.iter().position(|(r, _, _)| *r == self).unwrap_or(0)
    }
    /// The wire number.
    pub fn code(self) -> i32 {
        TABLE.iter().find(|(r, _, _)| *r == self).map_or(0, |e| e.1)
    }
    /// The lowercase name used by the CLI and in messages.
    pub fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|(r, _, _)| *r == self)
            .map_or("none", |e| e.2)
    }
    /// Parses a wire number.
    pub fn from_code(code: i32) -> Option<Role> {
        TABLE.iter().find(|e| e.1 == code).map(|e| e.0)
    }
    /// Parses a name (`admin`, `read-only`, `READ_ONLY`) or a wire number.
    pub fn parse(s: &str) -> Option<Role> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        if let Ok(n) = norm.parse::<i32>() {
            return Role::from_code(n);
        }
        TABLE.iter().find(|e| e.2 == norm).map(|e| e.0)
    }
    /// True when `self` grants at least what `min` grants.
    pub fn at_least(self, min: Role) -> bool {
        self >= min
    }
}

impl PartialOrd for Role {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Role {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl From<Role> for i32 {
    fn from(r: Role) -> i32 {
        r.code()
    }
}

impl TryFrom<i32> for Role {
    type Error = String;
    fn try_from(v: i32) -> Result<Self, Self::Error> {
        Role::from_code(v).ok_or_else(|| format!("unknown role `{v}`"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl utoipa::PartialSchema for Role {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::int_enum_schema(
            "Role, ordered by privilege: 0 none < 10 guest < 1 user < 12 pii_viewer < 2 read_only < 3 analyst < 14 connector < 15 operator < 16 security_admin < 4 admin < 5 super_admin",
            TABLE.iter().map(|e| e.1),
        )
    }
}

impl utoipa::ToSchema for Role {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_follows_seed_declaration_order() {
        let codes = [0, 10, 1, 12, 2, 3, 14, 15, 16, 4, 5];
        let roles: Vec<Role> = codes.iter().filter_map(|c| Role::from_code(*c)).collect();
        assert_eq!(roles.len(), codes.len());
        for pair in roles.windows(2) {
            assert!(
                pair[0] < pair[1],
                "{} should rank below {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn parses_names_and_numbers() {
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("READ-ONLY"), Some(Role::ReadOnly));
        assert_eq!(Role::parse("16"), Some(Role::SecurityAdmin));
        assert_eq!(Role::parse("7"), None);
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn serde_uses_wire_numbers() {
        let json = serde_json::to_string(&Role::Admin).unwrap_or_default();
        assert_eq!(json, "4");
        let r: Role = serde_json::from_str("12").unwrap_or(Role::None);
        assert_eq!(r, Role::PiiViewer);
        assert!(serde_json::from_str::<Role>("6").is_err());
    }
}
