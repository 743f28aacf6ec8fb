//! Findings derived from what the collectors gathered, without further AWS
//! calls: resources shared outside the account ([`external_access`]) and
//! high-risk activity in CloudTrail events ([`anomalies`]).

mod anomaly;
pub(crate) mod external_access;

pub(crate) use anomaly::anomalies;
pub(crate) use external_access::external_access;

use serde_json::Value;

use crate::model::{Asset, PROVIDER};

/// A finding asset of this account: no ARN, no tags.
fn finding(
    search_key: &str,
    account_id: &str,
    region: &str,
    resource_id: String,
    name: String,
    is_public: Option<bool>,
    data: Value,
) -> Asset {
    Asset {
        search_key: search_key.to_owned(),
        provider: PROVIDER.to_owned(),
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        resource_id,
        name,
        arn: None,
        tags: Vec::new(),
        is_public,
        data,
    }
}
