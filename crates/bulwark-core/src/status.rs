//! The Edge object status enum (`proto.EnumStatus`): INIT = 1, ACTIVE = 2,
//! SUSPENDED = 3, DELETED = 4, and 0 for unset.

use serde::{Deserialize, Serialize};

use crate::{DomainError, Result};

/// Lifecycle status shared by every Edge object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub enum Status {
    /// 0: unset.
    Unspecified,
    /// 1.
    Init,
    /// 2.
    Active,
    /// 3.
    Suspended,
    /// 4: soft-deleted; hidden from default queries.
    Deleted,
}

impl Status {
    /// Wire number.
    pub fn code(self) -> i32 {
        match self {
            Status::Unspecified => 0,
            Status::Init => 1,
            Status::Active => 2,
            Status::Suspended => 3,
            Status::Deleted => 4,
        }
    }
    /// Parses a wire number.
    pub fn from_code(v: i32) -> Option<Status> {
        Some(match v {
            0 => Status::Unspecified,
            1 => Status::Init,
            2 => Status::Active,
            3 => Status::Suspended,
            4 => Status::Deleted,
            _ => return None,
        })
    }
    /// Parses `ACTIVE`, `active` or `2`.
    pub fn parse(s: &str) -> Option<Status> {
        let t = s.trim();
        if let Ok(n) = t.parse::<i32>() {
            return Status::from_code(n);
        }
        Some(match t.to_ascii_uppercase().as_str() {
            "INIT" => Status::Init,
            "ACTIVE" => Status::Active,
            "SUSPENDED" => Status::Suspended,
            "DELETED" => Status::Deleted,
            _ => return None,
        })
    }
    /// Parses the comma-separated `status` query filter (`INIT,ACTIVE`). An empty or
    /// absent filter yields `default`.
    pub fn parse_filter(filter: Option<&str>, default: &[Status]) -> Result<Vec<Status>> {
        let Some(raw) = filter.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(default.to_vec());
        };
        raw.split(',')
            .map(|part| {
                Status::parse(part).ok_or_else(|| {
                    DomainError::invalid(format!(
                        "invalid status `{}`: expected INIT, ACTIVE, SUSPENDED or DELETED",
                        part.trim()
                    ))
                })
            })
            .collect()
    }
}

impl From<Status> for i32 {
    fn from(s: Status) -> i32 {
        s.code()
    }
}

impl TryFrom<i32> for Status {
    type Error = String;
    fn try_from(v: i32) -> std::result::Result<Self, Self::Error> {
        Status::from_code(v).ok_or_else(|| format!("unknown status `{v}`"))
    }
}

impl utoipa::PartialSchema for Status {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::int_enum_schema(
            "Object status: 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED (0 unset)",
            [0, 1, 2, 3, 4].into_iter(),
        )
    }
}

impl utoipa::ToSchema for Status {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_parsing() {
        let got = Status::parse_filter(Some("INIT, active"), &[]).unwrap_or_default();
        assert_eq!(got, vec![Status::Init, Status::Active]);
        let dflt = Status::parse_filter(None, &[Status::Active]).unwrap_or_default();
        assert_eq!(dflt, vec![Status::Active]);
        let err = Status::parse_filter(Some("ACTIVE,bogus"), &[]);
        assert!(matches!(err, Err(DomainError::Invalid(m)) if m.contains("`bogus`")));
    }
}
