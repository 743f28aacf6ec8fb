use serde_json::{Map, Value};
use uuid::Uuid;

use crate::Status;

/// A generic account-scoped object: one Edge resource (user, group, app, policy, ...).
/// `doc` is the wire object; the other fields are copies the store indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    pub uuid: Uuid,
    pub status: Status,
    pub data_source: i64,
    pub tags: Vec<String>,
    pub unique_key: Option<String>,
    pub create_time: i64,
    pub update_time: i64,
    pub doc: Map<String, Value>,
}

impl StoredObject {
    /// A server-internal object (an alert, a schedule): active, untagged, without a
    /// data source or unique key, created now.
    pub fn internal(uuid: Uuid, now: i64, doc: Map<String, Value>) -> Self {
        Self {
            uuid,
            status: Status::Active,
            data_source: 0,
            tags: Vec::new(),
            unique_key: None,
            create_time: now,
            update_time: now,
            doc,
        }
    }
}

/// Filters of the shared "Query" shape.
#[derive(Debug, Clone, Default)]
pub struct ObjectFilter {
    /// Empty means any status except DELETED.
    pub statuses: Vec<Status>,
    /// Any of these tags (empty: no tag filter).
    pub tags: Vec<String>,
    /// Any of these data sources (empty: no filter).
    pub data_sources: Vec<i64>,
    pub limit: i64,
    pub offset: i64,
}
