#![allow(clippy::unwrap_used, reason = "test code")]

use serde_json::{Value, json};

use super::*;
use crate::keys::AWS_HOST;
use crate::model::GLOBAL_REGION;

const OWN: &str = "123456789012";
const OTHER: &str = "444455556666";

fn asset(key: &str, region: &str, name: &str, arn: &str, data: Value) -> Asset {
    Asset {
        search_key: key.into(),
        provider: PROVIDER.into(),
        account_id: OWN.into(),
        region: region.into(),
        resource_id: name.into(),
        name: name.into(),
        arn: Some(arn.into()),
        tags: vec![],
        is_public: None,
        data,
    }
}

fn role(name: &str, trust: Value) -> Asset {
    asset(
        AWS_ROLE,
        GLOBAL_REGION,
        name,
        &format!("arn:aws:iam::{OWN}:role/{name}"),
        json!({"roleName": name, "assumeRolePolicyDocument": trust}),
    )
}

fn bucket(name: &str, data: Value) -> Asset {
    asset(
        AWS_S3,
        "us-east-1",
        name,
        &format!("arn:aws:s3:::{name}"),
        data,
    )
}

fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn trust(principal: Value, condition: Option<Value>) -> Value {
    let mut st = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
    if let Some(c) = condition {
        st["Condition"] = c;
    }
    doc(json!([st]))
}

fn run(assets: &[Asset]) -> Vec<Asset> {
    external_access(OWN, assets, &[])
}

fn only(assets: &[Asset]) -> Asset {
    let found = run(assets);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().unwrap()
}

#[test]
fn role_trusted_by_another_account() {
    let f = only(&[role(
        "partner",
        trust(json!({"AWS": format!("arn:aws:iam::{OTHER}:root")}), None),
    )]);
    assert_eq!(f.search_key, AWS_EXTERNAL_ACCESS);
    assert_eq!(f.region, GLOBAL_REGION);
    assert_eq!(f.arn, None);
    assert_eq!(f.is_public, Some(false));
    assert_eq!(f.name, format!("partner trusted by {OTHER}"));
    assert_eq!(
        f.resource_id,
        format!("arn:aws:iam::{OWN}:role/partner|arn:aws:iam::{OTHER}:root|0")
    );
    let d = &f.data;
    assert_eq!(d["resourceType"], "AWS::IAM::Role");
    assert_eq!(d["resourceArn"], format!("arn:aws:iam::{OWN}:role/partner"));
    assert_eq!(d["resourceName"], "partner");
    assert_eq!(d["resourceRegion"], GLOBAL_REGION);
    assert_eq!(d["principalType"], "AWS");
    assert_eq!(d["externalAccountId"], OTHER);
    assert_eq!(d["isPublic"], false);
    assert_eq!(d["actions"], json!(["sts:AssumeRole"]));
    assert_eq!(d["conditions"], Value::Null);
    assert_eq!(d["conditionKeys"], json!([]));
    assert_eq!(d["statementSid"], Value::Null);
    assert_eq!(d["access"], "Assume role");
    assert_eq!(d["severity"], "HIGH");
    assert_eq!(d["status"], "ACTIVE");
    assert_eq!(d["findingType"], "CROSS_ACCOUNT_ACCESS");

    // A bare account id is the same grant.
    let f = only(&[role("partner", trust(json!({"AWS": OTHER}), None))]);
    assert_eq!(f.data["externalAccountId"], OTHER);
}

#[test]
fn external_id_lowers_a_role_trust_to_medium() {
    let cond = json!({"StringEquals": {"sts:ExternalId": "abc"}});
    let f = only(&[role(
        "audit",
        trust(
            json!({"AWS": format!("arn:aws:iam::{OTHER}:root")}),
            Some(cond.clone()),
        ),
    )]);
    assert_eq!(f.data["severity"], "MEDIUM");
    assert_eq!(f.data["conditionKeys"], json!(["sts:ExternalId"]));
    assert_eq!(f.data["conditions"], cond);
    // Another condition without the external id keeps a role trust HIGH.
    let mfa = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
    let f = only(&[role("mfa", trust(json!({"AWS": OTHER}), Some(mfa)))]);
    assert_eq!(f.data["severity"], "HIGH");
}

#[test]
fn public_role_trust_is_critical() {
    for principal in [
        json!({"AWS": "*"}),
        json!("*"),
        json!({"AWS": "arn:aws:iam::*:root"}),
    ] {
        let f = only(&[role("open", trust(principal.clone(), None))]);
        assert_eq!(f.data["severity"], "CRITICAL", "{principal}");
        assert_eq!(f.data["findingType"], "PUBLIC_ACCESS");
        assert_eq!(f.data["principalType"], "Public");
        assert_eq!(f.data["isPublic"], true);
        assert_eq!(f.is_public, Some(true));
        assert_eq!(f.name, "open open to everyone");
    }
    // A condition restricting the caller (not just TLS or a Referer) makes it MEDIUM.
    let ip = json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}});
    assert_eq!(
        only(&[role("ip", trust(json!("*"), Some(ip)))]).data["severity"],
        "MEDIUM"
    );
    let tls = json!({"Bool": {"aws:SecureTransport": "true"}, "StringLike": {"aws:Referer": "x"}});
    assert_eq!(
        only(&[role("tls", trust(json!("*"), Some(tls)))]).data["severity"],
        "CRITICAL"
    );
}

#[test]
fn internal_principals_and_pinning_conditions_are_not_findings() {
    let own_root = trust(json!({"AWS": format!("arn:aws:iam::{OWN}:root")}), None);
    let own_id = trust(json!({"AWS": OWN}), None);
    let ec2 = trust(json!({"Service": "ec2.amazonaws.com"}), None);
    let own_saml = doc(json!([{"Effect": "Allow",
        "Principal": {"Federated": format!("arn:aws:iam::{OWN}:saml-provider/Okta")},
        "Action": "sts:AssumeRoleWithSAML",
        "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]));
    let irsa = doc(json!([{"Effect": "Allow",
        "Principal": {"Federated": format!("arn:aws:iam::{OWN}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC")},
        "Action": "sts:AssumeRoleWithWebIdentity"}]));
    let deny = doc(json!([{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]));
    let org = trust(
        json!("*"),
        Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})),
    );
    let account = trust(
        json!({"AWS": "*"}),
        Some(json!({"StringEquals": {"aws:PrincipalAccount": OWN}})),
    );
    let arn = trust(
        json!("*"),
        Some(json!({"ArnLike": {"aws:PrincipalArn": format!("arn:aws:iam::{OWN}:role/ci-*")}})),
    );
    let cloudfront = doc(json!([{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL"},
        "Action": "s3:GetObject"}]));
    let unique_id = trust(json!({"AWS": "AROAEXAMPLEID123"}), None);
    for (name, d) in [
        ("own-root", own_root),
        ("own-id", own_id),
        ("ec2", ec2),
        ("own-saml", own_saml),
        ("irsa", irsa),
        ("deny", deny),
        ("org", org),
        ("account", account),
        ("arn", arn),
        ("cloudfront", cloudfront),
        ("unique-id", unique_id),
    ] {
        assert!(run(&[role(name, d)]).is_empty(), "{name} is internal");
    }
    // Negated or IfExists operators do not pin.
    let not_equals = trust(
        json!("*"),
        Some(json!({"StringNotEquals": {"aws:PrincipalAccount": OWN}})),
    );
    let if_exists = trust(
        json!("*"),
        Some(json!({"StringEqualsIfExists": {"aws:PrincipalAccount": OWN}})),
    );
    let other_account = trust(
        json!("*"),
        Some(json!({"StringEquals": {"aws:PrincipalAccount": OTHER}})),
    );
    for d in [not_equals, if_exists, other_account] {
        assert_eq!(only(&[role("x", d)]).data["severity"], "MEDIUM");
    }
}

#[test]
fn percent_encoded_trust_policies_are_read() {
    let raw = format!(
        "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C\
         %22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A{OTHER}%3Aroot%22%7D%2C\
         %22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
    );
    let f = only(&[role("encoded", Value::String(raw))]);
    assert_eq!(f.data["externalAccountId"], OTHER);
    assert_eq!(f.data["severity"], "HIGH");
}

#[test]
fn federated_principals() {
    let google = trust(json!({"Federated": "accounts.google.com"}), None);
    let f = only(&[role("google", google)]);
    assert_eq!(f.data["findingType"], "FEDERATED_ACCESS");
    assert_eq!(f.data["principalType"], "Federated");
    assert_eq!(f.data["principal"], "accounts.google.com");
    assert_eq!(f.data["severity"], "HIGH");
    assert_eq!(f.data["externalAccountId"], Value::Null);
    assert_eq!(f.name, "google trusted by accounts.google.com");

    let cognito = doc(json!([{"Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd"},
            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}}]));
    let f = only(&[role("cognito", cognito)]);
    assert_eq!(f.data["severity"], "LOW");
    assert_eq!(f.data["access"], "Assume role with web identity");
    assert_eq!(
        f.data["conditionKeys"],
        json!([
            "cognito-identity.amazonaws.com:amr",
            "cognito-identity.amazonaws.com:aud"
        ])
    );

    // GitHub Actions through an OIDC provider of the own account is still outside identities.
    let github = doc(json!([{"Effect": "Allow",
        "Principal": {"Federated": format!("arn:aws:iam::{OWN}:oidc-provider/token.actions.githubusercontent.com")},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}}}]));
    let f = only(&[role("github", github)]);
    assert_eq!(f.data["findingType"], "FEDERATED_ACCESS");
    assert_eq!(f.data["severity"], "LOW");
}

#[test]
fn bucket_policies_and_acls() {
    let shared = doc(json!([{"Sid": "Partner", "Effect": "Allow",
        "Principal": {"AWS": [format!("arn:aws:iam::{OTHER}:root"), format!("arn:aws:iam::{OWN}:role/app")]},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"]},
        {"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]));
    let f = only(&[bucket("shared", json!({"policy": shared}))]);
    assert_eq!(
        f.resource_id,
        format!("arn:aws:s3:::shared|arn:aws:iam::{OTHER}:root|Partner")
    );
    assert_eq!(f.region, "us-east-1");
    assert_eq!(f.name, format!("shared shared with {OTHER}"));
    assert_eq!(f.data["resourceType"], "AWS::S3::Bucket");
    assert_eq!(f.data["statementSid"], "Partner");
    assert_eq!(f.data["access"], "Read objects, List objects");
    assert_eq!(f.data["severity"], "HIGH");

    let acl = json!({
        "acl": {"ownerId": "owner-canonical", "grants": [
            {"granteeType": "CanonicalUser", "granteeId": "owner-canonical", "permission": "FULL_CONTROL"},
            {"granteeType": "Group", "granteeUri": ALL_USERS, "permission": "READ"},
            {"granteeType": "Group", "granteeUri": ALL_USERS, "permission": "READ_ACP"},
            {"granteeType": "Group", "granteeUri": "http://acs.amazonaws.com/groups/s3/LogDelivery", "permission": "WRITE"},
            {"granteeType": "CanonicalUser", "granteeId": "partner-canonical", "permission": "WRITE"}]},
        "policy": null,
    });
    let found = run(&[bucket("acl", acl.clone())]);
    assert_eq!(found.len(), 2, "{found:#?}");
    let public = found
        .iter()
        .find(|f| f.data["principal"] == ALL_USERS)
        .unwrap();
    assert_eq!(
        public.resource_id,
        format!("arn:aws:s3:::acl|{ALL_USERS}|acl")
    );
    assert_eq!(public.data["severity"], "CRITICAL");
    assert_eq!(public.data["actions"], json!(["READ", "READ_ACP"]));
    assert_eq!(public.data["access"], "List objects, Read permissions");
    let partner = found
        .iter()
        .find(|f| f.data["principal"] == "partner-canonical")
        .unwrap();
    assert_eq!(partner.data["principalType"], "CanonicalUser");
    assert_eq!(partner.data["findingType"], "CROSS_ACCOUNT_ACCESS");
    assert_eq!(partner.data["severity"], "HIGH");

    // The public access block neutralises public grants, not the cross-account one.
    let mut blocked = acl;
    blocked["publicAccessBlock"] = json!({"ignorePublicAcls": true, "restrictPublicBuckets": true});
    blocked["policy"] =
        doc(json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]));
    let found = run(&[bucket("blocked", blocked)]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].data["principal"], "partner-canonical");
}

#[test]
fn service_principals_only_as_confused_deputies() {
    let unconditioned = doc(json!([{"Sid": "s3-invoke", "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:thumb"}]));
    let function = |policy: &Value| {
        asset(
            AWS_LAMBDA,
            "us-east-1",
            "thumb",
            "arn:aws:lambda:us-east-1:123456789012:function:thumb",
            // Lambda returns its policy as a raw JSON string.
            json!({"functionPolicy": policy.to_string()}),
        )
    };
    let f = only(&[function(&unconditioned)]);
    assert_eq!(f.data["findingType"], "SERVICE_ACCESS");
    assert_eq!(f.data["principalType"], "Service");
    assert_eq!(f.data["severity"], "MEDIUM");
    assert_eq!(f.data["access"], "Invoke function");
    assert_eq!(f.data["resourceType"], "AWS::Lambda::Function");

    // Pinned to a source bucket: fine. Moto and AWS write the key as `AWS:SourceArn`.
    let sourced = doc(
        json!([{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}}]),
    );
    assert!(run(&[function(&sourced)]).is_empty());
    // A service in a role trust or an ECR policy is not a finding at all.
    assert!(
        run(&[role(
            "svc",
            trust(json!({"Service": "lambda.amazonaws.com"}), None)
        )])
        .is_empty()
    );
}

#[test]
fn repository_domain_and_key_policies() {
    let public_pull = doc(
        json!([{"Sid": "public-pull", "Effect": "Allow", "Principal": "*",
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]),
    );
    let repo = asset(
        IMAGE_REGISTRY,
        "us-east-1",
        "checkout",
        "arn:aws:ecr:us-east-1:123456789012:repository/checkout",
        json!({"policy": public_pull}),
    );
    let f = only(std::slice::from_ref(&repo));
    assert_eq!(f.data["resourceType"], "AWS::ECR::Repository");
    assert_eq!(f.data["access"], "Pull images");
    assert_eq!(f.data["severity"], "CRITICAL");
    // IMAGE_REGISTRY is shared with other providers.
    let mut azure = repo;
    azure.provider = "AZURE".into();
    assert!(run(&[azure]).is_empty());

    let es_policy = doc(
        json!([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*", "Resource": "*"}]),
    );
    let domain = |in_vpc: bool| {
        asset(
            AWS_ES,
            "us-east-1",
            "search",
            "arn:aws:es:us-east-1:123456789012:domain/search",
            json!({"accessPolicies": es_policy, "inVpc": in_vpc}),
        )
    };
    let f = only(&[domain(false)]);
    assert_eq!(f.data["resourceType"], "AWS::OpenSearch::Domain");
    assert_eq!(f.data["access"], "Full access");
    assert!(
        run(&[domain(true)]).is_empty(),
        "a VPC domain is only reachable from the VPC"
    );

    let key_policy = doc(json!([
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": format!("arn:aws:iam::{OWN}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Partner use", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{OTHER}:root")},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
        {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
         "Action": "kms:Encrypt*", "Resource": "*",
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:*"}}}]));
    let key = asset(
        AWS_X_KMS_KEY,
        "eu-west-1",
        "alias/partner",
        "arn:aws:kms:eu-west-1:123456789012:key/k-1",
        json!({"policy": key_policy}),
    );
    let found = external_access(OWN, &[], &[key]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f.region, "eu-west-1");
    assert_eq!(f.data["resourceType"], "AWS::KMS::Key");
    assert_eq!(f.data["access"], "Use key, Read key metadata");
    assert_eq!(f.data["severity"], "MEDIUM");
    assert_eq!(f.data["conditionKeys"], json!(["kms:ViaService"]));
    assert_eq!(f.data["statementSid"], "Partner use");
}

#[test]
fn not_principal_and_not_action() {
    let d = doc(
        json!([{"Effect": "Allow", "NotPrincipal": {"AWS": format!("arn:aws:iam::{OWN}:root")},
        "NotAction": "s3:DeleteBucket"}]),
    );
    let f = only(&[bucket("np", json!({"policy": d}))]);
    assert_eq!(f.data["findingType"], "PUBLIC_ACCESS");
    assert_eq!(f.data["severity"], "CRITICAL");
    assert_eq!(f.data["notActions"], json!(["s3:DeleteBucket"]));
    assert_eq!(f.data["access"], "All actions except listed");
    assert!(
        f.data["principal"]
            .as_str()
            .unwrap()
            .starts_with("NotPrincipal:")
    );
}

#[test]
fn ids_are_unique_and_output_is_sorted() {
    // Two statements with the same sid and the same principal.
    let d = doc(json!([
        {"Sid": "dup", "Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "s3:GetObject"},
        {"Sid": "dup", "Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "s3:PutObject"}]));
    let found = run(&[
        bucket("b", json!({"policy": d})),
        role("a", trust(json!({"AWS": OTHER}), None)),
        asset(
            AWS_HOST,
            "us-east-1",
            "i-1",
            "arn:aws:ec2:::i-1",
            json!({"policy": trust(json!("*"), None)}),
        ),
    ]);
    let ids: Vec<&str> = found.iter().map(|f| f.resource_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            format!("arn:aws:iam::{OWN}:role/a|{OTHER}|0").as_str(),
            format!("arn:aws:s3:::b|{OTHER}|0").as_str(),
            format!("arn:aws:s3:::b|{OTHER}|1").as_str(),
        ]
    );
    assert_eq!(found[2].data["access"], "Write objects");
    // Bad documents are skipped, not fatal.
    assert!(
        run(&[
            role("bad", json!("%7Bnot json")),
            bucket("x", json!({"policy": 5}))
        ])
        .is_empty()
    );
}
