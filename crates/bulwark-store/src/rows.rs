//! Decoding helpers shared by the repositories: `Any` rows carry TEXT and BIGINT only,
//! so uuids, enums, booleans and JSON are converted here, once.

use bulwark_core::{DomainError, Result, Role, Status};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::StoreError;

fn corrupt(col: &str, what: &str) -> DomainError {
    StoreError::Corrupt(format!("column `{col}`: {what}")).into()
}

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String> {
    row.try_get::<String, _>(col).map_err(crate::error::db)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>> {
    row.try_get::<Option<String>, _>(col)
        .map_err(crate::error::db)
}

pub(crate) fn int(row: &AnyRow, col: &str) -> Result<i64> {
    row.try_get::<i64, _>(col).map_err(crate::error::db)
}

pub(crate) fn opt_int(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(col).map_err(crate::error::db)
}

pub(crate) fn int32(row: &AnyRow, col: &str) -> Result<i32> {
    i32::try_from(int(row, col)?).map_err(|_| corrupt(col, "out of range"))
}

pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    Ok(int(row, col)? != 0)
}

pub(crate) fn uuid(row: &AnyRow, col: &str) -> Result<Uuid> {
    Uuid::parse_str(&text(row, col)?).map_err(|_| corrupt(col, "not a uuid"))
}

pub(crate) fn opt_uuid(row: &AnyRow, col: &str) -> Result<Option<Uuid>> {
    opt_text(row, col)?
        .map(|s| Uuid::parse_str(&s).map_err(|_| corrupt(col, "not a uuid")))
        .transpose()
}

pub(crate) fn role(row: &AnyRow, col: &str) -> Result<Role> {
    Role::from_code(int32(row, col)?).ok_or_else(|| corrupt(col, "unknown role"))
}

pub(crate) fn status(row: &AnyRow, col: &str) -> Result<Status> {
    Status::from_code(int32(row, col)?).ok_or_else(|| corrupt(col, "unknown status"))
}

pub(crate) fn json(row: &AnyRow, col: &str) -> Result<serde_json::Value> {
    serde_json::from_str(&text(row, col)?).map_err(|_| corrupt(col, "not JSON"))
}

pub(crate) fn opt_json(row: &AnyRow, col: &str) -> Result<Option<serde_json::Value>> {
    opt_text(row, col)?
        .map(|s| serde_json::from_str(&s).map_err(|_| corrupt(col, "not JSON")))
        .transpose()
}

pub(crate) fn b(v: bool) -> i64 {
    i64::from(v)
}

/// `$first, $first+1, ...`: placeholders for an IN list (the `Any` driver binds no arrays).
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
