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

/// A budget for joins between items (pods × services, roles × bindings,
/// instances × firewall rules), so that a hostile snapshot cannot make
/// normalising quadratic in its size. Shared through `&` by the mappers.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    remaining: std::cell::Cell<usize>,
    exhausted: std::cell::Cell<bool>,
}

impl Budget {
    pub(crate) fn new(comparisons: usize) -> Budget {
        Budget {
            remaining: std::cell::Cell::new(comparisons),
            exhausted: std::cell::Cell::new(false),
        }
    }

    /// Takes `n` comparisons; `false` (and the budget marked exhausted)
    /// when there are not that many left.
    pub(crate) fn take(&self, n: usize) -> bool {
        match self.remaining.get().checked_sub(n) {
            Some(left) => {
                self.remaining.set(left);
                true
            }
            None => {
                self.exhausted.set(true);
                false
            }
        }
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.exhausted.get()
    }
}
