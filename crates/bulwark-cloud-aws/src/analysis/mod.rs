//! Findings derived from what the collectors gathered, without further AWS
//! calls: resources shared outside the account ([`external_access`]) and
//! high-risk activity in CloudTrail events ([`anomalies`]).

mod anomaly;
pub(crate) mod external_access;

pub(crate) use anomaly::anomalies;
pub(crate) use external_access::external_access;

/// Applies the zone of trust to external-access findings: access granted to a
/// trusted account (another environment of the same tenant, or one the customer
/// listed) stays visible but is marked `trusted` and lowered to `LOW`, as IAM
/// Access Analyzer leaves its zone of trust out of the findings that need action.
/// Public and federated access is never trusted.
pub(crate) fn mark_trusted(findings: &mut [Asset], trusted: &[String]) {
    for f in findings {
        let Value::Object(d) = &mut f.data else {
            continue;
        };
        let is_trusted = d.get("findingType").and_then(Value::as_str)
            == Some("CROSS_ACCOUNT_ACCESS")
            && d.get("externalAccountId")
                .and_then(Value::as_str)
                .is_some_and(|a| trusted.iter().any(|t| t == a));
        d.insert("trusted".into(), Value::Bool(is_trusted));
        if is_trusted {
            d.insert("severity".into(), Value::String("LOW".into()));
        }
    }
}

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

#[cfg(test)]
mod trust_tests {
    use super::*;
    use serde_json::json;

    fn finding(kind: &str, account: Option<&str>, severity: &str) -> Asset {
        super::finding(
            crate::keys::AWS_EXTERNAL_ACCESS,
            "111111111111",
            "global",
            format!("{kind}|{account:?}"),
            "x".into(),
            Some(kind == "PUBLIC_ACCESS"),
            json!({"findingType": kind, "externalAccountId": account, "severity": severity}),
        )
    }

    #[test]
    fn only_cross_account_access_to_trusted_accounts_is_lowered() {
        let mut f = vec![
            finding("CROSS_ACCOUNT_ACCESS", Some("222222222222"), "HIGH"),
            finding("CROSS_ACCOUNT_ACCESS", Some("333333333333"), "HIGH"),
            finding("PUBLIC_ACCESS", None, "CRITICAL"),
            finding("FEDERATED_ACCESS", Some("222222222222"), "HIGH"),
        ];
        mark_trusted(&mut f, &["222222222222".to_string()]);
        let got: Vec<(&Value, &Value)> = f
            .iter()
            .map(|a| (&a.data["trusted"], &a.data["severity"]))
            .collect();
        assert_eq!(
            got,
            [
                (&json!(true), &json!("LOW")),
                (&json!(false), &json!("HIGH")),
                (&json!(false), &json!("CRITICAL")),
                (&json!(false), &json!("HIGH")),
            ]
        );
    }
}
