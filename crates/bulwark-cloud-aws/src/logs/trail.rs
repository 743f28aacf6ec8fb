//! CloudTrail log files (`{"Records": [...]}`) → `AWS_ACTIVITY_LOG`, one
//! asset per event, keyed by `eventID` (so trails sharing events and
//! repeated reads do not duplicate them).

use std::collections::BTreeMap;

use aws_sdk_sts::primitives::{DateTime, DateTimeFormat};
use bulwark_inventory::is_public_ip;
use serde_json::{Map, Value, json};

use crate::keys::AWS_ACTIVITY_LOG;
use crate::model::{Asset, PROVIDER};

/// `requestParameters` larger than this (as JSON) are replaced by a marker:
/// they are for reading, and a few calls carry whole documents.
const MAX_REQUEST_PARAMETERS: usize = 16 * 1024;

/// Largest CloudTrail file parsed. A file is parsed whole into a JSON tree, which
/// takes several times its size in memory; CloudTrail's own files (one every few
/// minutes per region) stay far below this.
const MAX_FILE_BYTES: usize = 64 << 20;

/// Services whose events CloudTrail delivers under us-east-1 whatever the
/// collected regions are.
const GLOBAL_SOURCES: [&str; 6] = [
    "iam.amazonaws.com",
    "signin.amazonaws.com",
    "sts.amazonaws.com",
    "organizations.amazonaws.com",
    "cloudfront.amazonaws.com",
    "route53.amazonaws.com",
];

/// The events of one collection, de-duplicated.
pub(crate) struct Events<'a> {
    account: &'a str,
    regions: &'a [String],
    max: usize,
    map: BTreeMap<String, Asset>,
    /// Events not kept because the cap was reached.
    pub dropped: u64,
}

impl<'a> Events<'a> {
    pub(crate) fn new(account: &'a str, regions: &'a [String], max: usize) -> Self {
        Events {
            account,
            regions,
            max,
            map: BTreeMap::new(),
            dropped: 0,
        }
    }

    /// Adds the events of one log file; `Err` when it is not a CloudTrail
    /// log file. Returns the number of events kept.
    pub(crate) fn add_file(&mut self, trail: &str, body: &[u8]) -> Result<usize, String> {
        #[derive(serde::Deserialize)]
        struct File {
            #[serde(rename = "Records")]
            records: Vec<Value>,
        }
        if body.len() > MAX_FILE_BYTES {
            return Err(format!(
                "{} bytes is more than the {MAX_FILE_BYTES} a CloudTrail file is read up to",
                body.len()
            ));
        }
        let file: File = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let mut kept = 0;
        for record in &file.records {
            let Some(asset) = event(self.account, trail, record) else {
                continue;
            };
            let region_ok = self.regions.contains(&asset.region)
                || GLOBAL_SOURCES.contains(&asset.data["eventSource"].as_str().unwrap_or(""));
            if !region_ok {
                continue;
            }
            if !self.map.contains_key(&asset.resource_id) && self.map.len() >= self.max {
                self.dropped += 1;
                continue;
            }
            self.map.insert(asset.resource_id.clone(), asset);
            kept += 1;
        }
        Ok(kept)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    pub(crate) fn into_assets(self) -> Vec<Asset> {
        self.map.into_values().collect()
    }
}

fn text<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    path.iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_str)
}

/// The identity fields worth keeping (CloudTrail's names).
fn identity(v: &Value) -> Value {
    let mut out = Map::new();
    for field in [
        "type",
        "principalId",
        "arn",
        "accountId",
        "userName",
        "invokedBy",
        "accessKeyId",
    ] {
        if let Some(x) = v.get(field) {
            out.insert(field.into(), x.clone());
        }
    }
    if let Some(ctx) = v.get("sessionContext") {
        let issuer = ctx.get("sessionIssuer").cloned().unwrap_or(Value::Null);
        let attributes = ctx.get("attributes").cloned().unwrap_or(Value::Null);
        out.insert(
            "sessionContext".into(),
            json!({"sessionIssuer": issuer, "attributes": attributes}),
        );
    }
    Value::Object(out)
}

/// One record as an `AWS_ACTIVITY_LOG` asset; `None` for records of other
/// accounts or without an id, name or time.
pub(crate) fn event(account: &str, trail: &str, r: &Value) -> Option<Asset> {
    let id = text(r, &["eventID"])?;
    let name = text(r, &["eventName"])?;
    let time = text(r, &["eventTime"])?;
    let recipient = text(r, &["recipientAccountId"]);
    if recipient.is_some_and(|a| a != account) {
        return None;
    }
    let time_ms = DateTime::from_str(time, DateTimeFormat::DateTime)
        .ok()
        .map(|d| d.secs() * 1000 + i64::from(d.subsec_nanos() / 1_000_000))?;
    let region = text(r, &["awsRegion"]).unwrap_or("us-east-1");
    let who = r.get("userIdentity").cloned().unwrap_or(Value::Null);
    let principal = text(&who, &["arn"])
        .or_else(|| text(&who, &["sessionContext", "sessionIssuer", "arn"]))
        .or_else(|| text(&who, &["userName"]))
        .or_else(|| text(&who, &["type"]));
    let mfa_used = match text(r, &["additionalEventData", "MFAUsed"]) {
        Some(m) => Some(m == "Yes"),
        None => {
            text(&who, &["sessionContext", "attributes", "mfaAuthenticated"]).map(|m| m == "true")
        }
    };
    let source_ip = text(r, &["sourceIPAddress"]);
    let request = match r.get("requestParameters") {
        Some(p) if p.to_string().len() > MAX_REQUEST_PARAMETERS => {
            json!({"truncated": true, "size": p.to_string().len()})
        }
        Some(p) => p.clone(),
        None => Value::Null,
    };
    let is_ip = source_ip.is_some_and(|ip| ip.parse::<std::net::IpAddr>().is_ok());
    let data = json!({
        "eventId": id,
        "eventTime": time,
        "eventTimeMs": time_ms,
        "eventName": name,
        "eventSource": text(r, &["eventSource"]),
        "eventType": text(r, &["eventType"]),
        "eventCategory": text(r, &["eventCategory"]),
        "awsRegion": region,
        "sourceIPAddress": source_ip,
        "userAgent": text(r, &["userAgent"]),
        "readOnly": r.get("readOnly").and_then(Value::as_bool),
        "managementEvent": r.get("managementEvent").and_then(Value::as_bool),
        "errorCode": text(r, &["errorCode"]),
        "errorMessage": text(r, &["errorMessage"]),
        "userIdentity": identity(&who),
        "principal": principal,
        "userType": text(&who, &["type"]),
        "mfaUsed": mfa_used,
        "consoleLoginResult": text(r, &["responseElements", "ConsoleLogin"]),
        "requestParameters": request,
        "resources": r.get("resources").cloned().unwrap_or(Value::Null),
        "recipientAccountId": recipient,
        "requestId": text(r, &["requestID"]),
        "trailName": trail,
    });
    Some(Asset {
        search_key: AWS_ACTIVITY_LOG.to_owned(),
        provider: PROVIDER.to_owned(),
        account_id: account.to_owned(),
        region: region.to_owned(),
        resource_id: id.to_owned(),
        name: name.to_owned(),
        arn: None,
        tags: Vec::new(),
        is_public: is_ip.then(|| source_ip.is_some_and(is_public_ip)),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(records: Value) -> Vec<u8> {
        serde_json::to_vec(&json!({ "Records": records })).unwrap()
    }

    fn login(id: &str, account: &str, region: &str) -> Value {
        json!({
            "eventVersion": "1.08",
            "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": "arn:aws:iam::123456789012:user/alice", "accountId": "123456789012", "userName": "alice"},
            "eventTime": "2026-11-23T06:10:02Z",
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "awsRegion": region,
            "sourceIPAddress": "198.51.100.20",
            "userAgent": "Mozilla/5.0",
            "requestParameters": null,
            "responseElements": {"ConsoleLogin": "Success"},
            "additionalEventData": {"LoginTo": "https://console.aws.amazon.com", "MobileVersion": "No", "MFAUsed": "No"},
            "eventID": id,
            "readOnly": false,
            "eventType": "AwsConsoleSignIn",
            "managementEvent": true,
            "recipientAccountId": account,
            "eventCategory": "Management"
        })
    }

    #[test]
    fn reads_events_with_their_identity() {
        let regions = vec!["eu-west-1".to_owned()];
        let mut events = Events::new("123456789012", &regions, 10);
        let assumed = json!({
            "eventTime": "2026-11-23T06:11:00.123Z",
            "eventSource": "cloudtrail.amazonaws.com",
            "eventName": "StopLogging",
            "awsRegion": "eu-west-1",
            "sourceIPAddress": "cloudformation.amazonaws.com",
            "userIdentity": {"type": "AssumedRole", "principalId": "AROA:deploy", "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/deploy", "userName": "deploy"}, "attributes": {"mfaAuthenticated": "false"}}},
            "requestParameters": {"name": "org-trail"},
            "eventID": "e-2",
            "recipientAccountId": "123456789012"
        });
        let n = events
            .add_file(
                "org-trail",
                &file(json!([
                    login("e-1", "123456789012", "us-east-1"),
                    assumed,
                    // Another account's event (an organization trail) and a
                    // region that is not collected.
                    login("e-3", "210987654321", "us-east-1"),
                    json!({"eventID": "e-4", "eventName": "RunInstances", "eventTime": "2026-11-23T06:12:00Z", "eventSource": "ec2.amazonaws.com", "awsRegion": "ap-south-1", "recipientAccountId": "123456789012"}),
                    login("e-1", "123456789012", "us-east-1"),
                ])),
            )
            .unwrap();
        assert_eq!(n, 3, "the repeated e-1 replaces itself");
        assert_eq!(events.len(), 2);
        let all = events.into_assets();
        let login = &all[0];
        assert_eq!(login.resource_id, "e-1");
        assert_eq!(login.region, "us-east-1", "sign-in is global");
        assert_eq!(login.data["mfaUsed"], false);
        assert_eq!(login.data["consoleLoginResult"], "Success");
        assert_eq!(
            login.data["principal"],
            "arn:aws:iam::123456789012:user/alice"
        );
        assert_eq!(login.data["eventTimeMs"], 1_795_414_202_000_i64);
        assert_eq!(login.is_public, Some(true));
        let stop = &all[1];
        assert_eq!(
            stop.data["principal"],
            "arn:aws:iam::123456789012:role/deploy"
        );
        assert_eq!(stop.data["userType"], "AssumedRole");
        assert_eq!(stop.data["mfaUsed"], false);
        assert_eq!(stop.data["eventTimeMs"], 1_795_414_260_123_i64);
        assert_eq!(stop.is_public, None, "a service, not an address");
    }

    #[test]
    fn refuses_what_is_not_a_log_file_and_caps_events() {
        let regions = vec!["us-east-1".to_owned()];
        let mut events = Events::new("123456789012", &regions, 1);
        assert!(events.add_file("t", b"{\"not\": 1}").is_err());
        assert!(events.add_file("t", b"\x1f\x8b garbage").is_err());
        let huge = vec![b' '; MAX_FILE_BYTES + 1];
        assert!(
            events
                .add_file("t", &huge)
                .unwrap_err()
                .contains("more than")
        );
        events
            .add_file(
                "t",
                &file(json!([
                    login("a", "123456789012", "us-east-1"),
                    login("b", "123456789012", "us-east-1")
                ])),
            )
            .unwrap();
        assert_eq!((events.len(), events.dropped), (1, 1));
    }

    #[test]
    fn bounds_request_parameters() {
        let mut r = login("big", "123456789012", "us-east-1");
        r["requestParameters"] = json!({"policyDocument": "x".repeat(MAX_REQUEST_PARAMETERS)});
        let a = event("123456789012", "t", &r).unwrap();
        assert_eq!(a.data["requestParameters"]["truncated"], true);
    }
}
