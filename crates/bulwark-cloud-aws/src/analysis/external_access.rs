//! External access ("Citadel findings", in the manner of IAM Access
//! Analyzer): resources whose resource-based policy lets someone outside the
//! account in. One `AWS_EXTERNAL_ACCESS` finding per resource, external
//! principal and policy statement (an S3 ACL counts as one statement).
//!
//! Policies read: IAM role trust policies (`AWS_ROLE`), S3 bucket policies
//! and ACLs (`AWS_S3`), Lambda function policies (`AWS_LAMBDA`), ECR
//! repository policies (`IMAGE_REGISTRY`), OpenSearch access policies
//! (`AWS_ES`) and KMS key policies (`AWS_X_KMS_KEY`).
//!
//! Who is external (only `Allow` statements; `Deny` never grants):
//!
//! | Principal | External when | `findingType` |
//! |---|---|---|
//! | `"*"`, `{"AWS": "*"}`, `arn:aws:iam::*:root`, `NotPrincipal`, ACL `AllUsers`/`AuthenticatedUsers` | always | `PUBLIC_ACCESS` |
//! | account id or ARN (`AWS`), ACL canonical user | another account | `CROSS_ACCOUNT_ACCESS` |
//! | `Federated` | a web-identity provider (`accounts.google.com`, `cognito-identity.amazonaws.com`, an OIDC provider ARN other than EKS's); a SAML or EKS OIDC provider of the own account is internal | `FEDERATED_ACCESS` |
//! | `Service` | only on Lambda, S3 and KMS policies (which services call on behalf of *some* account: the confused deputy) and only without a source condition (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOwner`, `aws:SourceOrg*`, `kms:CallerAccount`, `kms:ViaService`, `kms:EncryptionContext:*`, `lambda:EventSourceToken`); a role trusted by `ec2.amazonaws.com` is how AWS works, not exposure | `SERVICE_ACCESS` |
//! | `CanonicalUser` in a policy, `arn:aws:iam::cloudfront:user/…`, unique ids | never: CloudFront origin identities and deleted principals, which cannot be attributed to an account | – |
//!
//! A statement pinned to the own account or an organisation is internal:
//! `StringEquals`/`StringLike`/`Arn*` on `aws:PrincipalAccount`,
//! `aws:SourceAccount`, `aws:SourceOwner` or `kms:CallerAccount` equal to the
//! account, on `aws:PrincipalArn`/`aws:SourceArn` with ARNs of the account,
//! or on `aws:PrincipalOrgID`/`aws:PrincipalOrgPaths`/`aws:SourceOrgID`/
//! `aws:SourceOrgPaths` (the organisation is the trust boundary).
//! A public grant is neutralised, and not reported, by a bucket's
//! `RestrictPublicBuckets` (policy) or `IgnorePublicAcls` (ACL) and by an
//! OpenSearch domain living in a VPC (only reachable from the VPC).
//!
//! Severity (`aws:SecureTransport`, `aws:Referer`, `aws:UserAgent`,
//! `aws:RequestedRegion` and time conditions restrict nobody, so a statement
//! with only those counts as unconditional):
//!
//! | Finding | Severity |
//! |---|---|
//! | public, no condition | `CRITICAL` |
//! | another account, no condition (role trust: no `sts:ExternalId`) | `HIGH` |
//! | web identity without an audience/subject condition (`…:aud`, `…:sub`, `…:amr`) | `HIGH` |
//! | public or another account with restricting conditions | `MEDIUM` |
//! | service principal without a source condition | `MEDIUM` |
//! | web identity with an audience/subject condition | `LOW` |

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::{Value, json};

use crate::keys::{
    AWS_ES, AWS_EXTERNAL_ACCESS, AWS_LAMBDA, AWS_ROLE, AWS_S3, AWS_X_KMS_KEY, IMAGE_REGISTRY,
};
use crate::model::{Asset, PROVIDER, Service};
use crate::policy;

/// The listings the findings derive from: when one is incomplete, so are the findings.
pub(crate) const SOURCES: [&str; 6] = [
    AWS_ROLE,
    AWS_S3,
    AWS_LAMBDA,
    IMAGE_REGISTRY,
    AWS_ES,
    AWS_X_KMS_KEY,
];

/// The services whose resources carry the policies read here.
pub(crate) const SERVICES: [Service; 6] = [
    Service::Iam,
    Service::S3,
    Service::Lambda,
    Service::Ecr,
    Service::OpenSearch,
    Service::Kms,
];

/// Detail calls (service prefix, operation) that read the policies: when one
/// fails, the resource is listed but its findings may be missing.
pub(crate) const POLICY_READS: [(&str, &str); 6] = [
    ("s3", "GetBucketPolicy"),
    ("s3", "GetBucketAcl"),
    ("s3", "GetPublicAccessBlock"),
    ("lambda", "GetPolicy"),
    ("ecr", "GetRepositoryPolicy"),
    ("kms", "GetKeyPolicy"),
];

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/// Condition keys that constrain nobody (who may call): a statement with only these is unconditional.
const NON_RESTRICTING: [&str; 6] = [
    "aws:securetransport",
    "aws:referer",
    "aws:useragent",
    "aws:requestedregion",
    "aws:currenttime",
    "aws:epochtime",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Role,
    Bucket,
    Function,
    Repository,
    Domain,
    Key,
}

impl Kind {
    fn of(search_key: &str) -> Option<Kind> {
        Some(match search_key {
            AWS_ROLE => Kind::Role,
            AWS_S3 => Kind::Bucket,
            AWS_LAMBDA => Kind::Function,
            IMAGE_REGISTRY => Kind::Repository,
            AWS_ES => Kind::Domain,
            AWS_X_KMS_KEY => Kind::Key,
            _ => return None,
        })
    }

    fn resource_type(self) -> &'static str {
        match self {
            Kind::Role => "AWS::IAM::Role",
            Kind::Bucket => "AWS::S3::Bucket",
            Kind::Function => "AWS::Lambda::Function",
            Kind::Repository => "AWS::ECR::Repository",
            Kind::Domain => "AWS::OpenSearch::Domain",
            Kind::Key => "AWS::KMS::Key",
        }
    }

    /// The `data` field holding the policy document (object or raw JSON / percent-encoded string).
    fn policy_field(self) -> &'static str {
        match self {
            Kind::Role => "assumeRolePolicyDocument",
            Kind::Function => "functionPolicy",
            Kind::Domain => "accessPolicies",
            Kind::Bucket | Kind::Repository | Kind::Key => "policy",
        }
    }
}

/// Who a principal value is, seen from the account.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Reach {
    Internal,
    Public,
    Account(String),
    Federated(Option<String>),
    Service,
}

struct Resource<'a> {
    kind: Kind,
    arn: String,
    name: &'a str,
    region: &'a str,
}

/// One external grant, before it becomes an asset.
struct Grant {
    principal: String,
    principal_type: &'static str,
    reach: Reach,
    actions: Vec<String>,
    not_actions: Vec<String>,
    conditions: Option<Value>,
    condition_keys: Vec<String>,
    sid: Option<String>,
    /// Statement reference in the resource id: the sid when unique, else the index, or `acl`.
    stmt_ref: String,
    severity: &'static str,
    finding_type: &'static str,
}

/// Findings for every resource in `assets` and `supporting` whose policy
/// grants access outside `account_id`, sorted by region and id.
pub(crate) fn external_access(
    account_id: &str,
    assets: &[Asset],
    supporting: &[Asset],
) -> Vec<Asset> {
    let mut out = Vec::new();
    for a in assets.iter().chain(supporting) {
        let Some(kind) = Kind::of(&a.search_key) else {
            continue;
        };
        // IMAGE_REGISTRY is shared with other providers.
        if a.provider != PROVIDER {
            continue;
        }
        let res = Resource {
            kind,
            arn: a
                .arn
                .clone()
                .or_else(|| a.data.get("arn").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| a.resource_id.clone()),
            name: &a.name,
            region: &a.region,
        };
        let mut grants = Vec::new();
        if let Some(doc) = document(kind, &a.data) {
            grants.extend(policy_grants(account_id, &res, &a.data, &doc));
        }
        if kind == Kind::Bucket {
            grants.extend(acl_grants(&a.data));
        }
        out.extend(grants.into_iter().map(|g| to_asset(account_id, &res, g)));
    }
    out.sort_by(|a, b| (&a.region, &a.resource_id).cmp(&(&b.region, &b.resource_id)));
    out.dedup_by(|a, b| a.region == b.region && a.resource_id == b.resource_id);
    out
}

fn document(kind: Kind, data: &Value) -> Option<Cow<'_, Value>> {
    let parsed = |v: &Value| -> Option<Value> { v.as_str().and_then(policy::parse_document) };
    match data.get(kind.policy_field()) {
        Some(v @ Value::Object(_)) => Some(Cow::Borrowed(v)),
        Some(v @ Value::String(_)) => parsed(v).map(Cow::Owned),
        // The parsed copy of a function policy, should the raw one be absent.
        _ if kind == Kind::Function => data
            .get("functionPolicyDocument")
            .filter(|v| v.is_object())
            .map(Cow::Borrowed),
        _ => None,
    }
}

fn policy_grants(account: &str, res: &Resource<'_>, data: &Value, doc: &Value) -> Vec<Grant> {
    let statements = policy::statements(doc);
    let mut sid_count: HashMap<&str, usize> = HashMap::new();
    for st in &statements {
        if let Some(sid) = st
            .get("Sid")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            *sid_count.entry(sid).or_default() += 1;
        }
    }
    // Public grants neutralised by the resource's own guard rails.
    let public_blocked = match res.kind {
        Kind::Bucket => data["publicAccessBlock"]["restrictPublicBuckets"] == true,
        Kind::Domain => data["inVpc"] == true,
        _ => false,
    };
    let mut out = Vec::new();
    for (index, st) in statements.into_iter().enumerate() {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let conditions = st
            .get("Condition")
            .filter(|c| c.as_object().is_some_and(|m| !m.is_empty()));
        if conditions.is_some_and(|c| pinned_to_own(account, c)) {
            continue;
        }
        let condition_keys = condition_keys(conditions);
        let restricted = condition_keys
            .iter()
            .any(|k| !NON_RESTRICTING.contains(&k.to_ascii_lowercase().as_str()));
        let has = |pred: &dyn Fn(&str) -> bool| {
            condition_keys.iter().any(|k| pred(&k.to_ascii_lowercase()))
        };
        let sid = st
            .get("Sid")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        let stmt_ref = match sid {
            Some(s) if sid_count.get(s) == Some(&1) => s.to_owned(),
            _ => index.to_string(),
        };
        let principals: Vec<(String, &'static str, Reach)> =
            if let Some(np) = st.get("NotPrincipal") {
                // Allow + NotPrincipal grants everyone but the listed principals.
                vec![(format!("NotPrincipal:{np}"), "Public", Reach::Public)]
            } else {
                principals(account, st.get("Principal"))
            };
        for (principal, principal_type, reach) in principals {
            let (finding_type, severity) = match &reach {
                Reach::Internal => continue,
                Reach::Public if public_blocked => continue,
                Reach::Public => (
                    "PUBLIC_ACCESS",
                    if restricted { "MEDIUM" } else { "CRITICAL" },
                ),
                Reach::Account(_) => {
                    let unguarded = if res.kind == Kind::Role {
                        !has(&|k| k == "sts:externalid")
                    } else {
                        !restricted
                    };
                    (
                        "CROSS_ACCOUNT_ACCESS",
                        if unguarded { "HIGH" } else { "MEDIUM" },
                    )
                }
                Reach::Federated(_) => {
                    let audience = has(&|k| {
                        k.ends_with(":aud")
                            || k.ends_with(":sub")
                            || k.ends_with(":amr")
                            || k.ends_with(":oaud")
                    });
                    ("FEDERATED_ACCESS", if audience { "LOW" } else { "HIGH" })
                }
                Reach::Service => {
                    let deputy_prone =
                        matches!(res.kind, Kind::Function | Kind::Bucket | Kind::Key);
                    if !deputy_prone || has(&is_source_key) {
                        continue;
                    }
                    ("SERVICE_ACCESS", "MEDIUM")
                }
            };
            out.push(Grant {
                principal,
                principal_type,
                reach,
                actions: st.get("Action").map(strings).unwrap_or_default(),
                not_actions: st.get("NotAction").map(strings).unwrap_or_default(),
                conditions: conditions.cloned(),
                condition_keys: condition_keys.clone(),
                sid: sid.map(str::to_owned),
                stmt_ref: stmt_ref.clone(),
                severity,
                finding_type,
            });
        }
    }
    out
}

fn strings(v: &Value) -> Vec<String> {
    policy::as_strings(v)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Principals of a `Principal` element, as (value as written, type, reach).
fn principals(account: &str, p: Option<&Value>) -> Vec<(String, &'static str, Reach)> {
    match p {
        Some(Value::String(s)) if s == "*" => vec![("*".to_owned(), "Public", Reach::Public)],
        Some(Value::Object(map)) => {
            let mut out = Vec::new();
            for (kind, values) in map {
                for v in policy::as_strings(values) {
                    let reach = classify(account, kind, v);
                    let principal_type = match (&reach, kind.as_str()) {
                        (Reach::Public, _) => "Public",
                        (_, "AWS") => "AWS",
                        (_, "Federated") => "Federated",
                        (_, "Service") => "Service",
                        _ => "CanonicalUser",
                    };
                    out.push((v.to_owned(), principal_type, reach));
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The account field of an ARN (`arn:partition:service:region:account:…`).
fn arn_account(arn: &str) -> Option<&str> {
    arn.strip_prefix("arn:")?.split(':').nth(3)
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn classify(account: &str, kind: &str, value: &str) -> Reach {
    if value == "*" {
        return Reach::Public;
    }
    match kind {
        "AWS" => {
            let acct = if is_account_id(value) {
                value
            } else if let Some(a) = arn_account(value) {
                if a.contains('*') {
                    return Reach::Public;
                }
                a
            } else {
                // A unique id (`AROA…`): a deleted principal, unattributable.
                return Reach::Internal;
            };
            if acct == account || !is_account_id(acct) {
                // `arn:aws:iam::cloudfront:user/…` and the like belong to no customer account.
                Reach::Internal
            } else {
                Reach::Account(acct.to_owned())
            }
        }
        "Federated" => match arn_account(value) {
            Some(acct) => {
                let own = acct == account;
                let saml = value.contains(":saml-provider/");
                // IRSA: the own EKS clusters' service accounts.
                let eks = value.contains(":oidc-provider/oidc.eks.");
                if own && (saml || eks) {
                    Reach::Internal
                } else {
                    Reach::Federated((!own && is_account_id(acct)).then(|| acct.to_owned()))
                }
            }
            None => Reach::Federated(None),
        },
        "Service" => Reach::Service,
        // CloudFront origin access identities (bucket policies).
        _ => Reach::Internal,
    }
}

/// Condition keys that tie a service principal's call to a source resource or account.
fn is_source_key(k: &str) -> bool {
    matches!(
        k,
        "aws:sourceaccount"
            | "aws:sourcearn"
            | "aws:sourceowner"
            | "aws:sourceorgid"
            | "aws:sourceorgpaths"
            | "kms:calleraccount"
            | "kms:viaservice"
            | "lambda:eventsourcetoken"
    ) || k.starts_with("kms:encryptioncontext:")
}

/// Every condition key of the statement, as written, sorted and unique.
fn condition_keys(conditions: Option<&Value>) -> Vec<String> {
    let mut keys: Vec<String> = conditions
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|ops| ops.values())
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Whether the condition limits callers to the own account or an organisation.
fn pinned_to_own(account: &str, conditions: &Value) -> bool {
    let Some(ops) = conditions.as_object() else {
        return false;
    };
    ops.iter().any(|(op, body)| {
        let base = op
            .strip_prefix("ForAnyValue:")
            .or_else(|| op.strip_prefix("ForAllValues:"))
            .unwrap_or(op);
        // Negated operators exclude rather than pin, and `…IfExists` passes when the key is absent.
        let positive = (base.starts_with("String") || base.starts_with("Arn"))
            && !base.contains("Not")
            && !base.ends_with("IfExists");
        if !positive {
            return false;
        }
        body.as_object().is_some_and(|keys| {
            keys.iter().any(|(key, values)| {
                let values = policy::as_strings(values);
                if values.is_empty() {
                    return false;
                }
                match key.to_ascii_lowercase().as_str() {
                    "aws:principalaccount"
                    | "aws:sourceaccount"
                    | "aws:sourceowner"
                    | "kms:calleraccount" => values.iter().all(|v| *v == account),
                    "aws:principalorgid"
                    | "aws:principalorgpaths"
                    | "aws:sourceorgid"
                    | "aws:sourceorgpaths" => values.iter().all(|v| !v.is_empty() && *v != "*"),
                    "aws:principalarn" | "aws:sourcearn" => {
                        values.iter().all(|v| arn_account(v) == Some(account))
                    }
                    _ => false,
                }
            })
        })
    })
}

/// S3 ACL grants to everyone or to another account's canonical user.
fn acl_grants(data: &Value) -> Vec<Grant> {
    let Some(grants) = data["acl"]["grants"].as_array() else {
        return Vec::new();
    };
    let ignore_public = data["publicAccessBlock"]["ignorePublicAcls"] == true;
    let owner = data["acl"]["ownerId"].as_str();
    // Permissions per grantee, in the ACL's order.
    let mut by_grantee: Vec<(String, &'static str, Vec<String>)> = Vec::new();
    for g in grants {
        let permission = g["permission"].as_str().unwrap_or_default().to_owned();
        let (who, principal_type) = match (g["granteeUri"].as_str(), g["granteeId"].as_str()) {
            (Some(uri), _) if uri == ALL_USERS || uri == AUTHENTICATED_USERS => {
                if ignore_public {
                    continue;
                }
                (uri, "Public")
            }
            (None, Some(id)) if Some(id) != owner => (id, "CanonicalUser"),
            // The owner itself, or S3 log delivery.
            _ => continue,
        };
        match by_grantee.iter_mut().find(|(w, _, _)| w == who) {
            Some((_, _, perms)) => perms.push(permission),
            None => by_grantee.push((who.to_owned(), principal_type, vec![permission])),
        }
    }
    by_grantee
        .into_iter()
        .map(|(who, principal_type, actions)| {
            let public = principal_type == "Public";
            Grant {
                principal: who,
                principal_type,
                reach: if public {
                    Reach::Public
                } else {
                    Reach::Account(String::new())
                },
                actions,
                not_actions: Vec::new(),
                conditions: None,
                condition_keys: Vec::new(),
                sid: None,
                stmt_ref: "acl".to_owned(),
                severity: if public { "CRITICAL" } else { "HIGH" },
                finding_type: if public {
                    "PUBLIC_ACCESS"
                } else {
                    "CROSS_ACCOUNT_ACCESS"
                },
            }
        })
        .collect()
}

/// A short human label of what the actions allow on this kind of resource.
fn access_label(kind: Kind, g: &Grant) -> String {
    if g.stmt_ref == "acl" {
        let labels: Vec<&str> = g
            .actions
            .iter()
            .map(|p| match p.as_str() {
                "READ" => "List objects",
                "WRITE" => "Write objects",
                "READ_ACP" => "Read permissions",
                "WRITE_ACP" => "Manage permissions",
                "FULL_CONTROL" => "Full access",
                _ => "Access",
            })
            .collect();
        return join_unique(labels);
    }
    if g.actions.is_empty() && !g.not_actions.is_empty() {
        return "All actions except listed".to_owned();
    }
    if kind == Kind::Role {
        let web = g
            .actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity"));
        let saml = g
            .actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case("sts:AssumeRoleWithSAML"));
        return match (web, saml) {
            (true, _) => "Assume role with web identity",
            (_, true) => "Assume role with SAML",
            _ => "Assume role",
        }
        .to_owned();
    }
    let mut labels = Vec::new();
    for action in &g.actions {
        let verb = action
            .split_once(':')
            .map_or(action.as_str(), |(_, v)| v)
            .to_ascii_lowercase();
        if verb == "*" {
            return "Full access".to_owned();
        }
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| verb.starts_with(p));
        labels.push(match kind {
            Kind::Bucket
                if starts(&["put", "delete"])
                    && (verb.contains("policy") || verb.contains("acl")) =>
            {
                "Manage permissions"
            }
            Kind::Bucket
                if starts(&["put", "delete", "restore", "abort", "replicate", "create"]) =>
            {
                "Write objects"
            }
            Kind::Bucket if starts(&["get"]) => "Read objects",
            Kind::Bucket if starts(&["list"]) => "List objects",
            Kind::Function if starts(&["invoke"]) => "Invoke function",
            Kind::Function if starts(&["get", "list"]) => "Read function configuration",
            Kind::Function => "Manage function",
            Kind::Repository
                if starts(&["batchgetimage", "getdownloadurlforlayer", "batchcheck"]) =>
            {
                "Pull images"
            }
            Kind::Repository if starts(&["put", "upload", "initiate", "complete"]) => "Push images",
            Kind::Repository if starts(&["describe", "list", "get"]) => "Read repository metadata",
            Kind::Repository => "Manage repository",
            Kind::Domain if verb == "eshttpget" || verb == "eshttphead" => "Read data",
            Kind::Domain if verb == "eshttp*" => "Read and write data",
            Kind::Domain if starts(&["eshttp"]) => "Write data",
            Kind::Domain => "Manage domain",
            Kind::Key
                if starts(&[
                    "encrypt",
                    "decrypt",
                    "reencrypt",
                    "generatedatakey",
                    "generatemac",
                    "verifymac",
                    "sign",
                    "verify",
                    "creategrant",
                ]) =>
            {
                "Use key"
            }
            Kind::Key if starts(&["describe", "get", "list"]) => "Read key metadata",
            Kind::Key => "Manage key",
            _ => "Access",
        });
    }
    if labels.is_empty() {
        return "Access".to_owned();
    }
    join_unique(labels)
}

fn join_unique(labels: Vec<&str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for l in labels {
        if !seen.contains(&l) {
            seen.push(l);
        }
    }
    seen.join(", ")
}

fn to_asset(account: &str, res: &Resource<'_>, g: Grant) -> Asset {
    let access = access_label(res.kind, &g);
    let external_account = match &g.reach {
        Reach::Account(a) if !a.is_empty() => Some(a.clone()),
        Reach::Federated(a) => a.clone(),
        _ => None,
    };
    let is_public = g.reach == Reach::Public;
    let verb = if res.kind == Kind::Role {
        "trusted by"
    } else {
        "shared with"
    };
    let name = match &g.reach {
        Reach::Public => format!("{} open to everyone", res.name),
        Reach::Account(a) if !a.is_empty() => format!("{} {verb} {a}", res.name),
        Reach::Service => format!("{} usable by {} for any account", res.name, g.principal),
        _ => format!("{} {verb} {}", res.name, g.principal),
    };
    let data = json!({
        "resourceType": res.kind.resource_type(),
        "resourceArn": res.arn,
        "resourceName": res.name,
        "resourceRegion": res.region,
        "principal": g.principal,
        "principalType": g.principal_type,
        "externalAccountId": external_account,
        "isPublic": is_public,
        "actions": g.actions,
        "notActions": g.not_actions,
        "conditions": g.conditions,
        "conditionKeys": g.condition_keys,
        "statementSid": g.sid,
        "access": access,
        "severity": g.severity,
        "status": "ACTIVE",
        "findingType": g.finding_type,
    });
    super::finding(
        AWS_EXTERNAL_ACCESS,
        account,
        res.region,
        format!("{}|{}|{}", res.arn, g.principal, g.stmt_ref),
        name,
        Some(is_public),
        data,
    )
}

#[cfg(test)]
#[path = "external_access_tests.rs"]
mod tests;
