//! High-risk and anomalous activity ("Anomaly Findings in Activity Logs"):
//! rules over `AWS_ACTIVITY_LOG` assets (one CloudTrail event each) that
//! produce `AWS_HIGHRISK_ANOMALY` findings.
//!
//! | Rule id | Fires on | Severity |
//! |---|---|---|
//! | `cloudtrail-tampering` | cloudtrail `StopLogging`, `DeleteTrail`, `UpdateTrail`, `PutEventSelectors` | HIGH |
//! | `root-console-login-no-mfa` | a successful root console sign-in without MFA | CRITICAL |
//! | `root-activity` | any other call by the root user (failed ones too), not made by a service for it (`invokedBy`) | HIGH |
//! | `console-login-no-mfa` | a successful IAM user console sign-in without MFA (federated users sign in with their IdP's MFA, which CloudTrail does not see) | MEDIUM |
//! | `console-login-failures` | ≥ 5 failed console sign-ins of one principal, or from one source IP, within 60 minutes | HIGH |
//! | `security-monitoring-disabled` | guardduty `DeleteDetector`, `DisassociateFromMasterAccount`, `UpdateDetector` with `enable: false`; config `StopConfigurationRecorder`, `DeleteConfigurationRecorder`, `DeleteDeliveryChannel`; ec2 `DeleteFlowLogs`; securityhub `DisableSecurityHub`; access-analyzer `DeleteAnalyzer` | HIGH |
//! | `security-group-open-to-world` | `AuthorizeSecurityGroupIngress` from `0.0.0.0/0` or `::/0`: HIGH when an admin or database port (or every port) is opened, else MEDIUM | HIGH / MEDIUM |
//! | `s3-bucket-made-public` | `PutBucketAcl` granting `AllUsers`/`AuthenticatedUsers` (grant or canned ACL), `PutBucketPolicy` allowing `*` without condition, `DeleteBucketPublicAccessBlock`, a public access block put with a flag off, the account-level `DeletePublicAccessBlock` | HIGH |
//! | `iam-privilege-escalation` | `Attach{User,Role,Group}Policy` of `…/AdministratorAccess`, `Put{User,Role,Group}Policy` granting `*` on `*`, `CreateAccessKey`/`CreateLoginProfile`/`UpdateLoginProfile` for another user than the caller, `UpdateAssumeRolePolicy` | HIGH |
//! | `kms-key-disabled` | kms `ScheduleKeyDeletion`, `DisableKey` | HIGH |
//! | `reconnaissance` | ≥ 10 `AccessDenied*` / `UnauthorizedOperation` errors by one principal within 60 minutes | MEDIUM |
//! | `new-source-ip` | a mutating call (`readOnly: false`) from a public IP the principal has not used before, when it has ≥ 20 earlier events in the batch | MEDIUM |
//!
//! Only successful calls (no `errorCode`) count, except for the root rules
//! and the two counting rules, which are about failures. Windows are
//! non-overlapping: a window starts at the first unclaimed event and spans
//! 60 minutes; an event claimed by a firing window starts no other.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Value, json};

use crate::keys::AWS_HIGHRISK_ANOMALY;
use crate::model::Asset;
use crate::policy;

const WINDOW_MS: i64 = 60 * 60 * 1000;
const LOGIN_FAILURES: usize = 5;
const DENIALS: usize = 10;
const BASELINE_EVENTS: usize = 20;
const MAX_EVENT_IDS: usize = 50;

/// Ports whose exposure to the internet is high risk: remote administration and databases.
const ADMIN_PORTS: [i64; 16] = [
    22, 23, 135, 445, 1433, 1521, 2375, 3306, 3389, 5432, 5601, 5984, 6379, 9042, 9200, 27017,
];

struct Rule {
    id: &'static str,
    title: &'static str,
    severity: &'static str,
    description: &'static str,
    remediation: &'static str,
}

const CLOUDTRAIL_TAMPERING: Rule = Rule {
    id: "cloudtrail-tampering",
    title: "CloudTrail logging tampered with",
    severity: "HIGH",
    description: "A trail was stopped, deleted or reconfigured, which can hide later activity from the audit log.",
    remediation: "Confirm the change was authorised, restore logging (StartLogging) and the event selectors, and restrict cloudtrail:StopLogging/DeleteTrail/UpdateTrail with an SCP.",
};
const ROOT_LOGIN_NO_MFA: Rule = Rule {
    id: "root-console-login-no-mfa",
    title: "Root user signed in without MFA",
    severity: "CRITICAL",
    description: "The root user signed in to the console without multi-factor authentication.",
    remediation: "Enable MFA on the root user (hardware key preferred), rotate its password, and verify the sign-in was legitimate.",
};
const ROOT_ACTIVITY: Rule = Rule {
    id: "root-activity",
    title: "Root user activity",
    severity: "HIGH",
    description: "The root user made an API call or signed in; day-to-day work should use IAM roles.",
    remediation: "Verify who used the root credentials, remove any root access keys, and use least-privilege IAM identities instead.",
};
const CONSOLE_NO_MFA: Rule = Rule {
    id: "console-login-no-mfa",
    title: "Console sign-in without MFA",
    severity: "MEDIUM",
    description: "An IAM user signed in to the console without multi-factor authentication.",
    remediation: "Require MFA for console users (an IAM policy denying actions when aws:MultiFactorAuthPresent is false) or move them to IAM Identity Center.",
};
const LOGIN_FAILURES_RULE: Rule = Rule {
    id: "console-login-failures",
    title: "Repeated failed console sign-ins",
    severity: "HIGH",
    description: "Five or more console sign-ins failed within an hour for one principal or from one source IP: a possible password-guessing attack.",
    remediation: "Check the source IPs, enforce MFA and a strong password policy, and reset the password of the targeted user if it may be known.",
};
const MONITORING_DISABLED: Rule = Rule {
    id: "security-monitoring-disabled",
    title: "Security monitoring disabled",
    severity: "HIGH",
    description: "GuardDuty, AWS Config, VPC flow logs, Security Hub or IAM Access Analyzer was disabled or deleted.",
    remediation: "Re-enable the service, confirm the change was authorised, and protect monitoring configuration with an SCP.",
};
const SG_OPEN: Rule = Rule {
    id: "security-group-open-to-world",
    title: "Security group opened to the internet",
    severity: "MEDIUM",
    description: "An ingress rule allowing 0.0.0.0/0 or ::/0 was added to a security group.",
    remediation: "Restrict the rule to known address ranges, or reach administrative ports through SSM Session Manager or a VPN.",
};
const S3_PUBLIC: Rule = Rule {
    id: "s3-bucket-made-public",
    title: "S3 bucket made public",
    severity: "HIGH",
    description: "A bucket ACL or policy now grants everyone access, or a public access block was removed.",
    remediation: "Revert the ACL or policy, re-enable Block Public Access at bucket and account level, and review what the bucket exposed.",
};
const IAM_ESCALATION: Rule = Rule {
    id: "iam-privilege-escalation",
    title: "IAM privilege escalation",
    severity: "HIGH",
    description: "Administrator rights were granted, credentials were created for another user, or a role trust policy was changed.",
    remediation: "Confirm the change was authorised; otherwise detach the policy, delete the new credentials, restore the trust policy and investigate the caller.",
};
const KMS_DISABLED: Rule = Rule {
    id: "kms-key-disabled",
    title: "KMS key disabled or scheduled for deletion",
    severity: "HIGH",
    description: "A KMS key was disabled or scheduled for deletion; data encrypted with it becomes unreadable.",
    remediation: "Cancel the deletion (CancelKeyDeletion) or re-enable the key if the change was not intended, and restrict kms:ScheduleKeyDeletion.",
};
const RECONNAISSANCE: Rule = Rule {
    id: "reconnaissance",
    title: "Burst of access-denied errors",
    severity: "MEDIUM",
    description: "One principal received ten or more access-denied errors within an hour: possible enumeration with stolen credentials.",
    remediation: "Review what the principal tried to reach and from where; rotate its credentials if the activity is unexpected.",
};
const NEW_SOURCE_IP: Rule = Rule {
    id: "new-source-ip",
    title: "Change from a new source IP",
    severity: "MEDIUM",
    description: "A principal with an established history made a change from a public IP address it had not used before.",
    remediation: "Confirm the principal's owner made the change; if not, rotate its credentials and review its recent activity.",
};

/// One event's fields the rules read.
struct Event<'a> {
    id: &'a str,
    time_ms: i64,
    time: &'a str,
    name: &'a str,
    source: &'a str,
    region: &'a str,
    ip: &'a str,
    ip_public: Option<bool>,
    read_only: Option<bool>,
    error: Option<&'a str>,
    principal: &'a str,
    user_type: &'a str,
    invoked_by: bool,
    mfa_used: Option<bool>,
    login_result: Option<&'a str>,
    params: &'a Value,
    identity: &'a Value,
}

fn str_of<'a>(d: &'a Value, k: &str) -> &'a str {
    d.get(k).and_then(Value::as_str).unwrap_or_default()
}

impl<'a> Event<'a> {
    fn of(a: &'a Asset) -> Event<'a> {
        let d = &a.data;
        Event {
            id: d
                .get("eventId")
                .and_then(Value::as_str)
                .unwrap_or(&a.resource_id),
            time_ms: d
                .get("eventTimeMs")
                .and_then(Value::as_i64)
                .unwrap_or_default(),
            time: str_of(d, "eventTime"),
            name: d
                .get("eventName")
                .and_then(Value::as_str)
                .unwrap_or(&a.name),
            source: str_of(d, "eventSource"),
            region: d
                .get("awsRegion")
                .and_then(Value::as_str)
                .unwrap_or(&a.region),
            ip: str_of(d, "sourceIPAddress"),
            ip_public: a.is_public,
            read_only: d.get("readOnly").and_then(Value::as_bool),
            error: d
                .get("errorCode")
                .and_then(Value::as_str)
                .filter(|e| !e.is_empty()),
            principal: str_of(d, "principal"),
            user_type: str_of(d, "userType"),
            invoked_by: d["userIdentity"]["invokedBy"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            mfa_used: d.get("mfaUsed").and_then(Value::as_bool),
            login_result: d.get("consoleLoginResult").and_then(Value::as_str),
            params: d.get("requestParameters").unwrap_or(&Value::Null),
            identity: d.get("userIdentity").unwrap_or(&Value::Null),
        }
    }

    fn ok(&self) -> bool {
        self.error.is_none()
    }

    fn from(&self, service: &str) -> bool {
        self.source == format!("{service}.amazonaws.com")
    }

    fn is_console_login(&self) -> bool {
        self.name == "ConsoleLogin"
    }
}

/// Findings over `events` (`AWS_ACTIVITY_LOG` assets of `account_id`), sorted
/// by first event time, rule and id.
pub(crate) fn anomalies<'a>(
    account_id: &str,
    events: impl IntoIterator<Item = &'a Asset>,
) -> Vec<Asset> {
    let mut evs: Vec<Event<'_>> = events.into_iter().map(Event::of).collect();
    evs.sort_by(|a, b| (a.time_ms, a.id).cmp(&(b.time_ms, b.id)));
    let mut out = Vec::new();
    for e in &evs {
        if let Some((rule, severity)) = single_event_rule(e) {
            let id = format!("{}:{}", rule.id, e.id);
            out.push(to_asset(account_id, rule, severity, id, &[e]));
        }
    }
    login_failures(account_id, &evs, &mut out);
    let denied: Vec<&Event<'_>> = evs
        .iter()
        .filter(|e| e.error.is_some_and(is_denial))
        .collect();
    for (principal, group) in group_by(&denied, |e| e.principal) {
        for window in windows(&group, DENIALS) {
            let id = format!("{}:{principal}:{}", RECONNAISSANCE.id, window[0].time_ms);
            out.push(to_asset(
                account_id,
                &RECONNAISSANCE,
                RECONNAISSANCE.severity,
                id,
                &window,
            ));
        }
    }
    new_source_ips(account_id, &evs, &mut out);
    out.sort_by(|a, b| {
        let key = |x: &Asset| {
            (
                x.data["firstSeenMs"].as_i64().unwrap_or_default(),
                x.resource_id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

fn is_denial(code: &str) -> bool {
    code.starts_with("AccessDenied")
        || code == "UnauthorizedOperation"
        || code == "Client.UnauthorizedOperation"
}

fn single_event_rule(e: &Event<'_>) -> Option<(&'static Rule, &'static str)> {
    // Root, failures included; a service acting for the account is not the root user.
    if e.user_type == "Root" && !e.invoked_by {
        if e.is_console_login() && e.login_result == Some("Success") && e.mfa_used == Some(false) {
            return Some((&ROOT_LOGIN_NO_MFA, ROOT_LOGIN_NO_MFA.severity));
        }
        return Some((&ROOT_ACTIVITY, ROOT_ACTIVITY.severity));
    }
    if e.is_console_login() {
        let no_mfa = e.login_result == Some("Success")
            && e.mfa_used == Some(false)
            && e.user_type == "IAMUser";
        return no_mfa.then_some((&CONSOLE_NO_MFA, CONSOLE_NO_MFA.severity));
    }
    if !e.ok() {
        return None;
    }
    let rule = if e.from("cloudtrail")
        && matches!(
            e.name,
            "StopLogging" | "DeleteTrail" | "UpdateTrail" | "PutEventSelectors"
        ) {
        &CLOUDTRAIL_TAMPERING
    } else if monitoring_disabled(e) {
        &MONITORING_DISABLED
    } else if e.from("ec2") && e.name == "AuthorizeSecurityGroupIngress" {
        return world_ingress(e.params)
            .map(|admin| (&SG_OPEN, if admin { "HIGH" } else { "MEDIUM" }));
    } else if s3_made_public(e) {
        &S3_PUBLIC
    } else if e.from("iam") && privilege_escalation(e) {
        &IAM_ESCALATION
    } else if e.from("kms") && matches!(e.name, "ScheduleKeyDeletion" | "DisableKey") {
        &KMS_DISABLED
    } else {
        return None;
    };
    Some((rule, rule.severity))
}

fn monitoring_disabled(e: &Event<'_>) -> bool {
    match e.source {
        "guardduty.amazonaws.com" => match e.name {
            "DeleteDetector"
            | "DisassociateFromMasterAccount"
            | "DisassociateFromAdministratorAccount" => true,
            "UpdateDetector" => e
                .params
                .get("enable")
                .is_some_and(|v| v == false || v == "false"),
            _ => false,
        },
        "config.amazonaws.com" => matches!(
            e.name,
            "StopConfigurationRecorder" | "DeleteConfigurationRecorder" | "DeleteDeliveryChannel"
        ),
        "ec2.amazonaws.com" => e.name == "DeleteFlowLogs",
        "securityhub.amazonaws.com" => e.name == "DisableSecurityHub",
        "access-analyzer.amazonaws.com" => e.name == "DeleteAnalyzer",
        _ => false,
    }
}

/// Every string in a JSON tree.
fn strings_in<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| strings_in(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings_in(i, out)),
        _ => {}
    }
}

fn is_world(cidr: &str) -> bool {
    cidr == "0.0.0.0/0" || cidr == "::/0"
}

/// `Some(admin)` when the ingress opens anything to the world; `admin` when
/// an admin or database port, or every port, is among them.
fn world_ingress(params: &Value) -> Option<bool> {
    let mut all = Vec::new();
    strings_in(params, &mut all);
    if !all.into_iter().any(is_world) {
        return None;
    }
    // CloudTrail's shape: ipPermissions.items[].{ipProtocol, fromPort, toPort,
    // ipRanges.items[].cidrIp, ipv6Ranges.items[].cidrIpv6}; the legacy form
    // has cidrIp/fromPort/toPort at the top.
    let perms: Vec<&Value> = match params["ipPermissions"]["items"].as_array() {
        Some(items) => items.iter().collect(),
        None => vec![params],
    };
    let admin = perms.into_iter().any(|p| {
        let mut ranges = Vec::new();
        for k in ["ipRanges", "ipv6Ranges", "cidrIp", "cidrIpv6"] {
            if let Some(v) = p.get(k) {
                strings_in(v, &mut ranges);
            }
        }
        if !ranges.into_iter().any(is_world) {
            return false;
        }
        let protocol = p["ipProtocol"].as_str().unwrap_or("-1");
        let from = p["fromPort"].as_i64();
        let to = p["toPort"].as_i64().or(from);
        match (protocol, from, to) {
            ("-1" | "all", _, _) => true,
            // ICMP and other protocols carry no ports.
            ("tcp" | "udp" | "6" | "17", Some(from), Some(to)) => {
                from == -1 || ADMIN_PORTS.iter().any(|p| (from..=to).contains(p))
            }
            _ => false,
        }
    });
    Some(admin)
}

fn s3_made_public(e: &Event<'_>) -> bool {
    if !e.source.starts_with("s3") {
        return false;
    }
    let p = e.params;
    match e.name {
        "PutBucketAcl" => {
            let mut all = Vec::new();
            strings_in(p, &mut all);
            all.into_iter().any(|s| {
                s.contains("acs.amazonaws.com/groups/global/AllUsers")
                    || s.contains("acs.amazonaws.com/groups/global/AuthenticatedUsers")
                    || matches!(
                        s,
                        "public-read" | "public-read-write" | "authenticated-read"
                    )
            })
        }
        "PutBucketPolicy" => {
            let policy = match &p["bucketPolicy"] {
                Value::String(s) => policy::parse_document(s),
                v @ Value::Object(_) => Some(v.clone()),
                _ => None,
            };
            policy.is_some_and(|d| policy::allows_public(&d))
        }
        "DeleteBucketPublicAccessBlock"
        | "DeletePublicAccessBlock"
        | "DeleteAccountPublicAccessBlock" => true,
        "PutBucketPublicAccessBlock" | "PutPublicAccessBlock" | "PutAccountPublicAccessBlock" => {
            let conf = &p["PublicAccessBlockConfiguration"];
            [
                "BlockPublicAcls",
                "IgnorePublicAcls",
                "BlockPublicPolicy",
                "RestrictPublicBuckets",
            ]
            .iter()
            .any(|k| conf.get(*k).is_some_and(|v| v == false || v == "false"))
        }
        _ => false,
    }
}

fn privilege_escalation(e: &Event<'_>) -> bool {
    let p = e.params;
    match e.name {
        "AttachUserPolicy" | "AttachRolePolicy" | "AttachGroupPolicy" => p["policyArn"]
            .as_str()
            .is_some_and(|a| a.ends_with("/AdministratorAccess")),
        "PutUserPolicy" | "PutRolePolicy" | "PutGroupPolicy" => {
            let doc = match &p["policyDocument"] {
                Value::String(s) => policy::parse_document(s),
                v @ Value::Object(_) => Some(v.clone()),
                _ => None,
            };
            doc.is_some_and(|d| policy::grants_full_admin(&d))
        }
        "CreateAccessKey" | "CreateLoginProfile" | "UpdateLoginProfile" => {
            // Without a user name the call acts on the caller itself.
            let target = p["userName"].as_str().filter(|u| !u.is_empty());
            let caller = (e.user_type == "IAMUser")
                .then(|| e.identity["userName"].as_str())
                .flatten();
            target.is_some_and(|t| Some(t) != caller)
        }
        "UpdateAssumeRolePolicy" => true,
        _ => false,
    }
}

/// Events grouped by a key, groups in key order, events in time order.
fn group_by<'e, 'a>(
    evs: &[&'e Event<'a>],
    key: impl Fn(&Event<'a>) -> &'a str,
) -> BTreeMap<&'a str, Vec<&'e Event<'a>>> {
    let mut groups: BTreeMap<&str, Vec<&Event<'_>>> = BTreeMap::new();
    for e in evs {
        groups.entry(key(e)).or_default().push(e);
    }
    groups
}

/// Non-overlapping 60-minute windows (from a time-ordered group) holding at least `min` events.
fn windows<'e, 'a>(group: &[&'e Event<'a>], min: usize) -> Vec<Vec<&'e Event<'a>>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(first) = group.get(i) {
        let end = group[i..]
            .iter()
            .position(|e| e.time_ms >= first.time_ms + WINDOW_MS)
            .map_or(group.len(), |n| i + n);
        if end - i >= min {
            out.push(group[i..end].to_vec());
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn login_failures(account: &str, evs: &[Event<'_>], out: &mut Vec<Asset>) {
    let failed: Vec<&Event<'_>> = evs
        .iter()
        .filter(|e| {
            e.is_console_login() && (e.login_result == Some("Failure") || e.error.is_some())
        })
        .collect();
    let mut reported: HashSet<Vec<&str>> = HashSet::new();
    for (principal, group) in group_by(&failed, |e| e.principal) {
        for window in windows(&group, LOGIN_FAILURES) {
            reported.insert(window.iter().map(|e| e.id).collect());
            let id = format!(
                "{}:{principal}:{}",
                LOGIN_FAILURES_RULE.id, window[0].time_ms
            );
            out.push(to_asset(
                account,
                &LOGIN_FAILURES_RULE,
                LOGIN_FAILURES_RULE.severity,
                id,
                &window,
            ));
        }
    }
    for (ip, group) in group_by(&failed, |e| e.ip) {
        for window in windows(&group, LOGIN_FAILURES) {
            // The same attempts already reported for their one principal.
            if reported.contains(&window.iter().map(|e| e.id).collect::<Vec<_>>()) {
                continue;
            }
            let id = format!("{}:{ip}:{}", LOGIN_FAILURES_RULE.id, window[0].time_ms);
            out.push(to_asset(
                account,
                &LOGIN_FAILURES_RULE,
                LOGIN_FAILURES_RULE.severity,
                id,
                &window,
            ));
        }
    }
}

fn new_source_ips(account: &str, evs: &[Event<'_>], out: &mut Vec<Asset>) {
    // Per principal: IPs seen so far and earlier event count, in time order.
    let mut history: HashMap<&str, (HashSet<&str>, usize)> = HashMap::new();
    // (principal, ip) → events from that new IP, in time order.
    let mut flagged: BTreeMap<(&str, &str), Vec<&Event<'_>>> = BTreeMap::new();
    for e in evs {
        if e.principal.is_empty() || e.user_type == "AWSService" || e.invoked_by {
            continue;
        }
        let key = (e.principal, e.ip);
        if let Some(list) = flagged.get_mut(&key) {
            list.push(e);
        }
        let (seen, count) = history.entry(e.principal).or_default();
        let fires = e.ok()
            && e.read_only == Some(false)
            && e.ip_public == Some(true)
            && !seen.contains(e.ip)
            && *count >= BASELINE_EVENTS;
        if fires {
            flagged.insert(key, vec![e]);
        }
        seen.insert(e.ip);
        *count += 1;
    }
    for ((principal, ip), group) in flagged {
        let id = format!("{}:{principal}:{ip}", NEW_SOURCE_IP.id);
        out.push(to_asset(
            account,
            &NEW_SOURCE_IP,
            NEW_SOURCE_IP.severity,
            id,
            &group,
        ));
    }
}

fn to_asset(
    account: &str,
    rule: &Rule,
    severity: &str,
    resource_id: String,
    group: &[&Event<'_>],
) -> Asset {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        // Callers always pass at least one event.
        return super::finding(
            AWS_HIGHRISK_ANOMALY,
            account,
            "",
            resource_id,
            rule.title.into(),
            None,
            Value::Null,
        );
    };
    let mut ips: Vec<&str> = Vec::new();
    let mut principals: Vec<&str> = Vec::new();
    for e in group {
        if !ips.contains(&e.ip) {
            ips.push(e.ip);
        }
        if !principals.contains(&e.principal) {
            principals.push(e.principal);
        }
    }
    let is_public = if group.iter().any(|e| e.ip_public == Some(true)) {
        Some(true)
    } else {
        group.iter().find_map(|e| e.ip_public)
    };
    let data = json!({
        "ruleId": rule.id,
        "title": rule.title,
        "severity": severity,
        "description": rule.description,
        "remediation": rule.remediation,
        "principal": first.principal,
        "principals": principals,
        "userType": first.user_type,
        "sourceIPAddress": first.ip,
        "sourceIPAddresses": ips,
        "eventName": first.name,
        "eventSource": first.source,
        "eventIds": group.iter().take(MAX_EVENT_IDS).map(|e| e.id).collect::<Vec<_>>(),
        "eventCount": group.len(),
        "firstSeen": first.time,
        "lastSeen": last.time,
        "firstSeenMs": first.time_ms,
        "lastSeenMs": last.time_ms,
        "awsRegion": first.region,
        "status": "OPEN",
    });
    super::finding(
        AWS_HIGHRISK_ANOMALY,
        account,
        first.region,
        resource_id,
        rule.title.to_owned(),
        is_public,
        data,
    )
}

#[cfg(test)]
#[path = "anomaly_tests.rs"]
mod tests;
