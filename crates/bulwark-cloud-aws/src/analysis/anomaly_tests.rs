#![allow(clippy::unwrap_used, reason = "test code")]

use serde_json::{Value, json};

use super::*;
use crate::keys::AWS_ACTIVITY_LOG;
use crate::model::PROVIDER;

const OWN: &str = "123456789012";
/// 2026-11-23T06:00:00Z.
const BASE_MS: i64 = 1_795_413_600_000;
const ALICE: &str = "arn:aws:iam::123456789012:user/alice";
const PUBLIC_IP: &str = "203.0.113.7";

fn is_ip_public(ip: &str) -> Option<bool> {
    let addr: std::net::IpAddr = ip.parse().ok()?;
    Some(match addr {
        std::net::IpAddr::V4(v4) => !(v4.is_private() || v4.is_loopback()),
        std::net::IpAddr::V6(v6) => !v6.is_loopback(),
    })
}

/// An event as the CloudTrail collection builds it: by IAM user alice from a
/// public IP, a successful mutating call, `minute` minutes after 06:00.
fn event(id: &str, minute: i64, source: &str, name: &str) -> Asset {
    let data = json!({
        "eventId": id,
        "eventTime": format!("2026-11-23T{:02}:{:02}:00Z", 6 + minute / 60, minute % 60),
        "eventTimeMs": BASE_MS + minute * 60_000,
        "eventName": name,
        "eventSource": source,
        "eventType": "AwsApiCall",
        "awsRegion": "us-east-1",
        "sourceIPAddress": PUBLIC_IP,
        "userAgent": "aws-cli/2.15.0",
        "readOnly": false,
        "managementEvent": true,
        "errorCode": null,
        "errorMessage": null,
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAALICE", "arn": ALICE,
                         "accountId": OWN, "userName": "alice"},
        "principal": ALICE,
        "userType": "IAMUser",
        "mfaUsed": null,
        "consoleLoginResult": null,
        "requestParameters": null,
        "recipientAccountId": OWN,
    });
    Asset {
        search_key: AWS_ACTIVITY_LOG.into(),
        provider: PROVIDER.into(),
        account_id: OWN.into(),
        region: "us-east-1".into(),
        resource_id: id.into(),
        name: name.into(),
        arn: None,
        tags: vec![],
        is_public: is_ip_public(PUBLIC_IP),
        data,
    }
}

/// `event` with some data fields replaced (`sourceIPAddress` also sets `is_public`).
fn with(mut a: Asset, patch: Value) -> Asset {
    for (k, v) in patch.as_object().unwrap() {
        if k == "sourceIPAddress" {
            a.is_public = v.as_str().and_then(is_ip_public);
        }
        a.data[k] = v.clone();
    }
    a
}

fn root() -> Value {
    json!({"userType": "Root", "principal": "arn:aws:iam::123456789012:root",
           "userIdentity": {"type": "Root", "arn": "arn:aws:iam::123456789012:root", "accountId": OWN}})
}

fn console_login(id: &str, minute: i64, result: &str, mfa: bool) -> Asset {
    with(
        event(id, minute, "signin.amazonaws.com", "ConsoleLogin"),
        json!({"eventType": "AwsConsoleSignIn", "consoleLoginResult": result, "mfaUsed": mfa,
               "errorMessage": if result == "Failure" { json!("Failed authentication") } else { Value::Null }}),
    )
}

fn run(events: &[Asset]) -> Vec<Asset> {
    anomalies(OWN, events)
}

fn rule_ids(found: &[Asset]) -> Vec<&str> {
    found
        .iter()
        .map(|f| f.data["ruleId"].as_str().unwrap())
        .collect()
}

fn fires(e: Asset) -> Option<(String, String)> {
    let found = run(&[e]);
    assert!(found.len() <= 1, "{found:#?}");
    found.first().map(|f| {
        (
            f.data["ruleId"].as_str().unwrap().to_owned(),
            f.data["severity"].as_str().unwrap().to_owned(),
        )
    })
}

fn failed(a: Asset) -> Asset {
    with(
        a,
        json!({"errorCode": "AccessDenied", "errorMessage": "not allowed"}),
    )
}

#[test]
fn cloudtrail_tampering() {
    let f = run(&[event("e-1", 10, "cloudtrail.amazonaws.com", "StopLogging")]);
    assert_eq!(f.len(), 1);
    let a = &f[0];
    assert_eq!(a.search_key, AWS_HIGHRISK_ANOMALY);
    assert_eq!(a.resource_id, "cloudtrail-tampering:e-1");
    assert_eq!(a.name, "CloudTrail logging tampered with");
    assert_eq!(a.region, "us-east-1");
    assert_eq!(a.is_public, Some(true));
    assert_eq!(a.arn, None);
    let d = &a.data;
    assert_eq!(d["ruleId"], "cloudtrail-tampering");
    assert_eq!(d["severity"], "HIGH");
    assert_eq!(d["principal"], ALICE);
    assert_eq!(d["userType"], "IAMUser");
    assert_eq!(d["sourceIPAddress"], PUBLIC_IP);
    assert_eq!(d["eventName"], "StopLogging");
    assert_eq!(d["eventSource"], "cloudtrail.amazonaws.com");
    assert_eq!(d["eventIds"], json!(["e-1"]));
    assert_eq!(d["eventCount"], 1);
    assert_eq!(d["firstSeen"], "2026-11-23T06:10:00Z");
    assert_eq!(d["lastSeen"], "2026-11-23T06:10:00Z");
    assert_eq!(d["firstSeenMs"], BASE_MS + 600_000);
    assert_eq!(d["awsRegion"], "us-east-1");
    assert_eq!(d["status"], "OPEN");
    assert!(d["description"].as_str().unwrap().len() > 20);
    assert!(d["remediation"].as_str().unwrap().len() > 20);
    for name in ["DeleteTrail", "UpdateTrail", "PutEventSelectors"] {
        assert_eq!(
            fires(event("e", 0, "cloudtrail.amazonaws.com", name))
                .unwrap()
                .0,
            "cloudtrail-tampering"
        );
    }
    // A failed StopLogging changed nothing; StartLogging and reads are fine.
    assert_eq!(
        fires(failed(event(
            "e",
            0,
            "cloudtrail.amazonaws.com",
            "StopLogging"
        ))),
        None
    );
    assert_eq!(
        fires(event("e", 0, "cloudtrail.amazonaws.com", "StartLogging")),
        None
    );
    assert_eq!(
        fires(event("e", 0, "ec2.amazonaws.com", "StopLogging")),
        None
    );
}

#[test]
fn root_activity() {
    let call = with(event("r-1", 0, "s3.amazonaws.com", "ListBuckets"), root());
    assert_eq!(
        fires(call.clone()),
        Some(("root-activity".into(), "HIGH".into()))
    );
    // Failed root calls count too.
    assert_eq!(fires(failed(call)).unwrap().0, "root-activity");
    let login = with(console_login("r-2", 0, "Success", false), root());
    assert_eq!(
        fires(login),
        Some(("root-console-login-no-mfa".into(), "CRITICAL".into()))
    );
    let mfa_login = with(console_login("r-3", 0, "Success", true), root());
    assert_eq!(
        fires(mfa_login),
        Some(("root-activity".into(), "HIGH".into()))
    );
    // A service acting for the account is not the root user; neither is an AWS service principal.
    let invoked = with(
        event("r-4", 0, "s3.amazonaws.com", "PutObject"),
        json!({"userType": "Root", "userIdentity": {"type": "Root", "invokedBy": "cloudtrail.amazonaws.com"}}),
    );
    assert_eq!(fires(invoked), None);
    let service = with(
        event("r-5", 0, "sts.amazonaws.com", "AssumeRole"),
        json!({"userType": "AWSService", "principal": "AWSService", "sourceIPAddress": "ec2.amazonaws.com",
               "userIdentity": {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}}),
    );
    assert_eq!(fires(service), None);
}

#[test]
fn console_login_without_mfa() {
    assert_eq!(
        fires(console_login("c-1", 0, "Success", false)),
        Some(("console-login-no-mfa".into(), "MEDIUM".into()))
    );
    assert_eq!(fires(console_login("c-2", 0, "Success", true)), None);
    assert_eq!(
        fires(console_login("c-3", 0, "Failure", false)),
        None,
        "one failure is no finding"
    );
    // Federated users' MFA happens at their IdP.
    let federated = with(
        console_login("c-4", 0, "Success", false),
        json!({"userType": "AssumedRole"}),
    );
    assert_eq!(fires(federated), None);
}

#[test]
fn repeated_login_failures() {
    // Five failures for alice within the hour, from two IPs.
    let mut evs: Vec<Asset> = (0..5)
        .map(|i| {
            let ip = if i % 2 == 0 {
                PUBLIC_IP
            } else {
                "198.51.100.9"
            };
            with(
                console_login(&format!("f-{i}"), i * 10, "Failure", false),
                json!({"sourceIPAddress": ip}),
            )
        })
        .collect();
    let found = run(&evs);
    assert_eq!(rule_ids(&found), vec!["console-login-failures"]);
    let f = &found[0];
    assert_eq!(
        f.resource_id,
        format!("console-login-failures:{ALICE}:{BASE_MS}")
    );
    assert_eq!(f.data["severity"], "HIGH");
    assert_eq!(f.data["eventCount"], 5);
    assert_eq!(
        f.data["eventIds"],
        json!(["f-0", "f-1", "f-2", "f-3", "f-4"])
    );
    assert_eq!(f.data["firstSeen"], "2026-11-23T06:00:00Z");
    assert_eq!(f.data["lastSeen"], "2026-11-23T06:40:00Z");
    assert_eq!(
        f.data["sourceIPAddresses"],
        json!([PUBLIC_IP, "198.51.100.9"])
    );
    assert_eq!(f.is_public, Some(true));

    // Four do not fire, nor do five spread over more than an hour.
    assert!(run(&evs[..4]).is_empty());
    let spread: Vec<Asset> = (0..5)
        .map(|i| console_login(&format!("s-{i}"), i * 20, "Failure", false))
        .collect();
    assert!(run(&spread).is_empty());

    // One IP trying five different users.
    evs = (0..5)
        .map(|i| {
            with(
                console_login(&format!("u-{i}"), i, "Failure", false),
                json!({"principal": format!("arn:aws:iam::123456789012:user/u{i}"), "sourceIPAddress": "198.51.100.20"}),
            )
        })
        .collect();
    let found = run(&evs);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].resource_id,
        format!("console-login-failures:198.51.100.20:{BASE_MS}")
    );
    assert_eq!(found[0].data["principals"].as_array().unwrap().len(), 5);
}

#[test]
fn security_monitoring_disabled() {
    for (source, name) in [
        ("guardduty.amazonaws.com", "DeleteDetector"),
        ("guardduty.amazonaws.com", "DisassociateFromMasterAccount"),
        ("config.amazonaws.com", "StopConfigurationRecorder"),
        ("config.amazonaws.com", "DeleteConfigurationRecorder"),
        ("config.amazonaws.com", "DeleteDeliveryChannel"),
        ("ec2.amazonaws.com", "DeleteFlowLogs"),
        ("securityhub.amazonaws.com", "DisableSecurityHub"),
        ("access-analyzer.amazonaws.com", "DeleteAnalyzer"),
    ] {
        assert_eq!(
            fires(event("m", 0, source, name)),
            Some(("security-monitoring-disabled".into(), "HIGH".into())),
            "{name}"
        );
    }
    let update = |enable: bool| {
        with(
            event("m", 0, "guardduty.amazonaws.com", "UpdateDetector"),
            json!({"requestParameters": {"detectorId": "d-1", "enable": enable}}),
        )
    };
    assert!(fires(update(false)).is_some());
    assert_eq!(fires(update(true)), None);
    assert_eq!(
        fires(failed(event(
            "m",
            0,
            "guardduty.amazonaws.com",
            "DeleteDetector"
        ))),
        None
    );
}

fn ingress(cidr: &str, protocol: &str, from: i64, to: i64) -> Asset {
    with(
        event(
            "sg",
            0,
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
        ),
        json!({"requestParameters": {"groupId": "sg-0abc", "ipPermissions": {"items": [
            {"ipProtocol": protocol, "fromPort": from, "toPort": to,
             "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]}},
            {"ipProtocol": protocol, "fromPort": 443, "toPort": 443,
             "ipRanges": {"items": [{"cidrIp": cidr}]}}]}}}),
    )
}

#[test]
fn security_group_open_to_world() {
    // 22 to the private range, 443 to the world: MEDIUM.
    assert_eq!(
        fires(ingress("0.0.0.0/0", "tcp", 22, 22)),
        Some(("security-group-open-to-world".into(), "MEDIUM".into()))
    );
    let admin = with(
        event(
            "sg",
            0,
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
        ),
        json!({"requestParameters": {"groupId": "sg-0abc", "ipPermissions": {"items": [
            {"ipProtocol": "tcp", "fromPort": 3380, "toPort": 3390,
             "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]}}]}}}),
    );
    assert_eq!(fires(admin).unwrap().1, "HIGH");
    let all = with(
        event(
            "sg",
            0,
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
        ),
        json!({"requestParameters": {"groupId": "sg-0abc", "ipPermissions": {"items": [
            {"ipProtocol": "-1", "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}}),
    );
    assert_eq!(fires(all).unwrap().1, "HIGH");
    let icmp = with(
        event(
            "sg",
            0,
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
        ),
        json!({"requestParameters": {"groupId": "sg-0abc", "ipPermissions": {"items": [
            {"ipProtocol": "icmp", "fromPort": -1, "toPort": -1, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}}),
    );
    assert_eq!(fires(icmp).unwrap().1, "MEDIUM");
    assert_eq!(fires(ingress("10.1.0.0/16", "tcp", 22, 22)), None);
    assert_eq!(fires(failed(ingress("0.0.0.0/0", "tcp", 22, 22))), None);
}

#[test]
fn s3_made_public() {
    let s3 = |name: &str, params: Value| {
        with(
            event("s", 0, "s3.amazonaws.com", name),
            json!({"requestParameters": params}),
        )
    };
    let public_policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
    let org_policy = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]});
    let positives = [
        s3(
            "PutBucketAcl",
            json!({"bucketName": "b", "AccessControlPolicy": {"AccessControlList": {"Grant": [
            {"Grantee": {"xsi:type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
             "Permission": "READ"}]}}}),
        ),
        s3(
            "PutBucketAcl",
            json!({"bucketName": "b", "x-amz-acl": ["public-read"]}),
        ),
        s3(
            "PutBucketPolicy",
            json!({"bucketName": "b", "bucketPolicy": public_policy.to_string()}),
        ),
        s3(
            "PutBucketPolicy",
            json!({"bucketName": "b", "bucketPolicy": public_policy}),
        ),
        s3("DeleteBucketPublicAccessBlock", json!({"bucketName": "b"})),
        s3(
            "PutBucketPublicAccessBlock",
            json!({"bucketName": "b", "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": false, "RestrictPublicBuckets": true}}),
        ),
        with(
            event("s", 0, "s3.amazonaws.com", "DeletePublicAccessBlock"),
            json!({"requestParameters": {"accountId": OWN}}),
        ),
    ];
    for e in positives {
        let name = e.name.clone();
        assert_eq!(
            fires(e),
            Some(("s3-bucket-made-public".into(), "HIGH".into())),
            "{name}"
        );
    }
    let negatives = [
        s3(
            "PutBucketAcl",
            json!({"bucketName": "b", "x-amz-acl": ["private"]}),
        ),
        s3(
            "PutBucketPolicy",
            json!({"bucketName": "b", "bucketPolicy": org_policy.to_string()}),
        ),
        s3(
            "PutBucketPublicAccessBlock",
            json!({"bucketName": "b", "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}}),
        ),
        failed(s3(
            "DeleteBucketPublicAccessBlock",
            json!({"bucketName": "b"}),
        )),
    ];
    for e in negatives {
        let name = e.name.clone();
        assert_eq!(fires(e), None, "{name}");
    }
}

#[test]
fn iam_privilege_escalation() {
    let iam = |name: &str, params: Value| {
        with(
            event("i", 0, "iam.amazonaws.com", name),
            json!({"requestParameters": params}),
        )
    };
    let admin_doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let positives = [
        iam(
            "AttachUserPolicy",
            json!({"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        ),
        iam(
            "AttachRolePolicy",
            json!({"roleName": "r", "policyArn": "arn:aws:iam::123456789012:policy/team/AdministratorAccess"}),
        ),
        iam(
            "PutRolePolicy",
            json!({"roleName": "r", "policyName": "p", "policyDocument": admin_doc.to_string()}),
        ),
        iam(
            "PutGroupPolicy",
            json!({"groupName": "g", "policyName": "p", "policyDocument": admin_doc}),
        ),
        iam("CreateAccessKey", json!({"userName": "bob"})),
        iam(
            "CreateLoginProfile",
            json!({"userName": "bob", "passwordResetRequired": false}),
        ),
        iam("UpdateLoginProfile", json!({"userName": "bob"})),
        iam(
            "UpdateAssumeRolePolicy",
            json!({"roleName": "r", "policyDocument": "{}"}),
        ),
    ];
    for e in positives {
        let name = e.name.clone();
        assert_eq!(
            fires(e),
            Some(("iam-privilege-escalation".into(), "HIGH".into())),
            "{name}"
        );
    }
    let negatives = [
        iam(
            "AttachUserPolicy",
            json!({"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        ),
        iam(
            "PutUserPolicy",
            json!({"userName": "bob", "policyName": "p",
            "policyDocument": json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}).to_string()}),
        ),
        // alice creating her own key, with or without naming herself.
        iam("CreateAccessKey", json!({"userName": "alice"})),
        iam("CreateAccessKey", Value::Null),
        failed(iam("UpdateAssumeRolePolicy", json!({"roleName": "r"}))),
    ];
    for e in negatives {
        let name = e.name.clone();
        assert_eq!(fires(e), None, "{name}");
    }
}

#[test]
fn kms_key_disabled() {
    for name in ["ScheduleKeyDeletion", "DisableKey"] {
        assert_eq!(
            fires(event("k", 0, "kms.amazonaws.com", name)),
            Some(("kms-key-disabled".into(), "HIGH".into()))
        );
    }
    assert_eq!(fires(event("k", 0, "kms.amazonaws.com", "EnableKey")), None);
    assert_eq!(
        fires(failed(event("k", 0, "kms.amazonaws.com", "DisableKey"))),
        None
    );
}

#[test]
fn reconnaissance() {
    let denials = |n: i64, step: i64| -> Vec<Asset> {
        (0..n)
            .map(|i| {
                let code = [
                    "AccessDenied",
                    "AccessDeniedException",
                    "Client.UnauthorizedOperation",
                ][(i % 3) as usize];
                with(
                    event(
                        &format!("d-{i:02}"),
                        i * step,
                        "ec2.amazonaws.com",
                        "DescribeInstances",
                    ),
                    json!({"errorCode": code, "readOnly": true}),
                )
            })
            .collect()
    };
    let found = run(&denials(12, 2));
    assert_eq!(rule_ids(&found), vec!["reconnaissance"]);
    assert_eq!(
        found[0].resource_id,
        format!("reconnaissance:{ALICE}:{BASE_MS}")
    );
    assert_eq!(found[0].data["severity"], "MEDIUM");
    assert_eq!(found[0].data["eventCount"], 12);
    assert!(run(&denials(9, 2)).is_empty());
    assert!(
        run(&denials(10, 7)).is_empty(),
        "ten spread over more than an hour"
    );
    // Other errors are not denials.
    let throttled: Vec<Asset> = (0..12)
        .map(|i| {
            with(
                event(
                    &format!("t-{i}"),
                    i,
                    "ec2.amazonaws.com",
                    "DescribeInstances",
                ),
                json!({"errorCode": "Throttling"}),
            )
        })
        .collect();
    assert!(run(&throttled).is_empty());
}

#[test]
fn new_source_ip_against_the_baseline() {
    let office = "198.51.100.1";
    let mut evs: Vec<Asset> = (0..20)
        .map(|i| {
            with(
                event(
                    &format!("b-{i:02}"),
                    i,
                    "ec2.amazonaws.com",
                    "DescribeInstances",
                ),
                json!({"readOnly": true, "sourceIPAddress": office}),
            )
        })
        .collect();
    let new_ip = "192.0.2.50";
    evs.push(with(
        event("n-1", 30, "ec2.amazonaws.com", "RunInstances"),
        json!({"sourceIPAddress": new_ip}),
    ));
    evs.push(with(
        event("n-2", 31, "ec2.amazonaws.com", "CreateTags"),
        json!({"sourceIPAddress": new_ip}),
    ));
    let found = run(&evs);
    assert_eq!(rule_ids(&found), vec!["new-source-ip"]);
    let f = &found[0];
    assert_eq!(f.resource_id, format!("new-source-ip:{ALICE}:{new_ip}"));
    assert_eq!(f.data["severity"], "MEDIUM");
    assert_eq!(f.data["sourceIPAddress"], new_ip);
    assert_eq!(f.data["eventIds"], json!(["n-1", "n-2"]));
    assert_eq!(f.data["eventName"], "RunInstances");
    assert_eq!(f.is_public, Some(true));

    // 19 earlier events are too thin a baseline.
    assert!(run(&evs[1..]).is_empty());
    // Read-only calls and private source IPs do not fire.
    let mut reads = evs[..20].to_vec();
    reads.push(with(
        event("n-3", 30, "ec2.amazonaws.com", "DescribeVpcs"),
        json!({"readOnly": true, "sourceIPAddress": new_ip}),
    ));
    reads.push(with(
        event("n-4", 31, "ec2.amazonaws.com", "RunInstances"),
        json!({"sourceIPAddress": "10.1.2.3"}),
    ));
    assert!(run(&reads).is_empty());
}

#[test]
fn output_is_deterministic_and_sorted_by_time() {
    let evs = vec![
        event("z", 50, "kms.amazonaws.com", "DisableKey"),
        event("a", 5, "cloudtrail.amazonaws.com", "DeleteTrail"),
        with(event("m", 20, "s3.amazonaws.com", "ListBuckets"), root()),
    ];
    let mut reversed = evs.clone();
    reversed.reverse();
    let one = run(&evs);
    assert_eq!(one, run(&reversed));
    assert_eq!(
        rule_ids(&one),
        vec!["cloudtrail-tampering", "root-activity", "kms-key-disabled"]
    );
    // A non-IP source (an AWS service) leaves is_public unknown.
    let by_service = with(
        event("x", 0, "kms.amazonaws.com", "DisableKey"),
        json!({"sourceIPAddress": "cloudformation.amazonaws.com"}),
    );
    assert_eq!(run(&[by_service])[0].is_public, None);
    assert!(run(&[]).is_empty());
}
