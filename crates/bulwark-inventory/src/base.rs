//! The identity fields shared by all assets of one item, so normalisers
//! build assets the same way.

use serde_json::Value;

use crate::model::{Asset, Provider, Tag};

#[derive(Clone)]
pub(crate) struct Base {
    pub provider: Provider,
    pub account: String,
    pub region: Option<String>,
    pub id: String,
    pub name: String,
    pub tags: Vec<Tag>,
}

impl Base {
    pub(crate) fn asset(&self, search_key: &str, is_public: Option<bool>, data: Value) -> Asset {
        Asset {
            search_key: search_key.to_owned(),
            provider: self.provider,
            account_id: self.account.clone(),
            region: self.region.clone(),
            resource_id: self.id.clone(),
            name: self.name.clone(),
            tags: self.tags.clone(),
            is_public,
            data,
        }
    }
}
