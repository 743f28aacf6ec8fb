//! The collector against moto server (the AWS emulator) on 127.0.0.1,
//! populated by `fixtures/populate_moto.py` with a two-region estate.
//! Skipped, with a printed message, when moto is not installed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code, helpers included: a failed unwrap is a failed test"
)]

#[path = "checks/logs.rs"]
mod logs;
mod support;
// Kept apart: this file is near its size limit.
#[path = "moto/external_access.rs"]
mod external_access;
#[path = "moto/sso.rs"]
mod sso;

use std::collections::BTreeSet;

use bulwark_cloud_aws::keys::{self, *};
use bulwark_cloud_aws::{
    AssumeRole, CollectError, CollectResult, GLOBAL_REGION, Regions, Service, collect,
    enabled_regions, more_info_fields,
};
use serde_json::{Value, json};
use support::{
    ACCOUNT, PRIMARY, SECONDARY, block_on, both_regions, credentials, estate, find, m, options,
    parse_str_field,
};

async fn collect_both(url: &str) -> CollectResult {
    collect(&credentials(url, both_regions()), &options())
        .await
        .expect("collection succeeds")
}

fn field_names(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn collects_the_planted_estate() {
    block_on(async {
        let Some(e) = estate() else { return };
        let r = collect_both(&e.url).await;
        // Shown when an assertion fails: what moto could not answer.
        println!("errors: {:#?}", r.errors);

        assert_eq!(r.account_id, ACCOUNT);
        assert_eq!(r.regions, vec![PRIMARY, SECONDARY]);
        // moto answers every call the collector makes (with the versioning
        // fix in moto_server.py), so any error is a collector bug.
        assert!(r.errors.is_empty(), "errors: {:#?}", r.errors);
        for key in keys::COVERED {
            assert!(r.of_kind(key).next().is_some(), "no {key} collected");
            assert!(r.listing_complete(key, PRIMARY));
        }
        for a in &r.assets {
            assert_eq!(a.provider, "AWS");
            assert_eq!(a.account_id, ACCOUNT);
            assert!(keys::fills(&a.search_key), "{}", a.search_key);
        }

        check_hosts(&r, &e.manifest);
        check_network(&r, &e.manifest);
        check_storage(&r, &e.manifest);
        check_s3(&r, &e.manifest);
        check_iam(&r, &e.manifest);
        check_serverless_and_data(&r, &e.manifest);
        check_containers(&r, &e.manifest);
        check_logging_and_keys(&r, &e.manifest);
        check_no_secrets(&r);
        logs::check_traffic(&r, &e.manifest);
        logs::check_activity(&r, &e.manifest);
        logs::check_anomalies(&r, &e.manifest);
    });
}

fn check_hosts(r: &CollectResult, man: &Value) {
    let web_id = m(man, &[PRIMARY, "web_instance_id"]);
    let web = find(r, AWS_HOST, PRIMARY, web_id);
    assert_eq!(web.name, "prod-web-1");
    assert_eq!(web.is_public, Some(true));
    let d = &web.data;
    assert_eq!(d["imageId"], m(man, &[PRIMARY, "ami_id"]));
    assert_eq!(d["instanceType"], "t3.small");
    assert_eq!(d["runningState"], "running");
    assert_eq!(d["region"], PRIMARY);
    assert_eq!(d["availabilityZone"], "us-east-1a");
    assert_eq!(d["subnetId"], m(man, &[PRIMARY, "subnet_id"]));
    assert_eq!(d["vpcId"], m(man, &[PRIMARY, "vpc_id"]));
    assert_eq!(d["isPublic"], true);
    assert_eq!(d["isIAMRoleAssigned"], true);
    assert!(d["instanceProfileId"].is_string());
    assert_eq!(
        d["iamInstanceProfileArn"],
        m(man, &["web_instance_profile_arn"])
    );
    assert_eq!(d["hasContainerNodes"], false);
    assert_eq!(
        d["securityGroupList"],
        json!([{"name": "prod-open-admin", "value": m(man, &[PRIMARY, "open_sg_id"])}])
    );
    let nic = &d["networkInterfaces"][0];
    assert_eq!(nic["isPublicIP"], true);
    assert!(nic["publicIP"].as_str().is_some_and(|ip| ip.contains('.')));
    assert!(
        nic["privateIP"]
            .as_str()
            .is_some_and(|ip| ip.starts_with("10.0.1."))
    );
    assert!(
        nic["interfaceId"]
            .as_str()
            .is_some_and(|id| id.starts_with("eni-"))
    );
    assert_eq!(
        parse_str_field(&d["tags"]),
        json!({"Name": "prod-web-1", "env": "prod"})
    );
    assert_eq!(d["internetExposedPorts"], json!(["tcp/22"]));
    // The `/vms` moreInfo is exactly the seed sample's AWS fields.
    let more = web.more_info().expect("hosts have a moreInfo");
    let expected: BTreeSet<&str> = more_info_fields(AWS_HOST)
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(field_names(&more), expected);
    assert_eq!(more["imageId"], d["imageId"]);

    let worker = find(
        r,
        AWS_HOST,
        PRIMARY,
        m(man, &[PRIMARY, "worker_instance_id"]),
    );
    assert_eq!(worker.is_public, Some(false));
    assert_eq!(worker.data["isIAMRoleAssigned"], false);
    assert_eq!(worker.data["instanceProfileId"], Value::Null);
    assert_eq!(worker.data["internetExposedPorts"], json!([]));
    assert_eq!(
        worker.data["securityGroupList"][0]["name"],
        "prod-db-private"
    );

    let eu = find(
        r,
        AWS_HOST,
        SECONDARY,
        m(man, &[SECONDARY, "web_instance_id"]),
    );
    assert_eq!(eu.data["region"], SECONDARY);
    assert_eq!(eu.data["worldOpenPorts"], json!(["tcp/3389"]));
    // The AMI seed instances were terminated and must not show up.
    assert_eq!(
        r.of_kind(AWS_HOST).filter(|h| h.region == PRIMARY).count(),
        3,
        "web, worker and EKS node in {PRIMARY}"
    );

    let node_id = m(man, &["eks_node_instance_id"]);
    let host = find(r, AWS_HOST, PRIMARY, node_id);
    assert_eq!(host.data["hasContainerNodes"], true);
    assert_eq!(host.data["eksClusterName"], "prod-eks");
    let node = find(r, AWS_NODE, PRIMARY, node_id);
    assert_eq!(node.data["clusterName"], "prod-eks");
    assert_eq!(node.data["nodegroupName"], "prod-ng");
    assert_eq!(
        node.data["providerId"],
        format!("aws:///us-east-1a/{node_id}")
    );
    let addresses = parse_str_field(&node.data["mappedAddresses"]);
    assert_eq!(addresses[0]["type"], "InternalIP");
    let expected: BTreeSet<&str> = more_info_fields(AWS_NODE)
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(field_names(&node.more_info().unwrap()), expected);
}

fn check_network(r: &CollectResult, man: &Value) {
    let open = find(
        r,
        AWS_SECURITY_GROUP,
        PRIMARY,
        m(man, &[PRIMARY, "open_sg_id"]),
    );
    assert_eq!(open.name, "prod-open-admin");
    assert_eq!(open.is_public, Some(true));
    let rules = open.data["ingressRules"].as_array().unwrap();
    let ssh = rules
        .iter()
        .find(|r| r["ports"] == "tcp/22")
        .expect("the SSH rule");
    assert_eq!(ssh["cidrs"], json!(["0.0.0.0/0"]));
    assert_eq!(
        (ssh["fromPort"].as_i64(), ssh["toPort"].as_i64()),
        (Some(22), Some(22))
    );
    assert_eq!(ssh["protocol"], "tcp");
    assert_eq!(ssh["openToWorld"], true);
    let https = rules.iter().find(|r| r["ports"] == "tcp/443").unwrap();
    assert_eq!(https["cidrs"], json!(["10.0.0.0/8"]));
    assert_eq!(https["openToWorld"], false);
    assert_eq!(open.data["worldOpenPorts"], json!(["tcp/22"]));
    assert!(open.data["attachedInterfaceCount"].as_u64().unwrap() >= 1);

    let private = find(
        r,
        AWS_SECURITY_GROUP,
        PRIMARY,
        m(man, &[PRIMARY, "private_sg_id"]),
    );
    assert_eq!(private.is_public, Some(false));
    assert_eq!(
        private.data["ingressRules"][0]["sourceGroups"],
        json!([m(man, &[PRIMARY, "open_sg_id"])])
    );
    let eu_open = find(
        r,
        AWS_SECURITY_GROUP,
        SECONDARY,
        m(man, &[SECONDARY, "open_sg_id"]),
    );
    assert_eq!(eu_open.data["worldOpenPorts"], json!(["tcp/3389"]));

    let vpc = find(r, AWS_VPC, PRIMARY, m(man, &[PRIMARY, "vpc_id"]));
    assert_eq!(vpc.name, "prod-vpc");
    assert_eq!(vpc.data["cidrBlock"], "10.0.0.0/16");
    assert_eq!(vpc.data["flowLogsEnabled"], true);
    assert_eq!(
        vpc.data["flowLogs"][0]["flowLogId"],
        m(man, &["flow_log_id"])
    );
    assert_eq!(vpc.data["flowLogs"][0]["logDestinationType"], "s3");
    let eu_vpc = find(r, AWS_VPC, SECONDARY, m(man, &[SECONDARY, "vpc_id"]));
    assert_eq!(eu_vpc.data["flowLogsEnabled"], false);
    assert_eq!(eu_vpc.data["flowLogs"], json!([]));
    let flow = find(r, AWS_X_FLOW_LOG, PRIMARY, m(man, &["flow_log_id"]));
    assert_eq!(flow.data["resourceId"], m(man, &[PRIMARY, "vpc_id"]));
    // moto's default VPCs have no flow logs, so only some VPCs are covered.
    assert_eq!(r.account.flow_log_status, "Partial");

    let web_eni = r
        .of_kind(AWS_X_NETWORK_INTERFACE)
        .find(|n| n.data["attachedInstanceId"] == m(man, &[PRIMARY, "web_instance_id"]))
        .expect("the web instance's interface");
    assert_eq!(web_eni.is_public, Some(true));
}

fn check_storage(r: &CollectResult, man: &Value) {
    let plain = find(
        r,
        AWS_EBS_VOLUME,
        PRIMARY,
        m(man, &[PRIMARY, "plain_volume_id"]),
    );
    assert_eq!(plain.name, "prod-data");
    assert_eq!(plain.data["encrypted"], false);
    assert_eq!(plain.data["size"], 50);
    assert_eq!(plain.data["volumeType"], "gp3");
    assert_eq!(
        plain.data["attachments"][0]["instanceId"],
        m(man, &[PRIMARY, "worker_instance_id"])
    );
    let enc = find(
        r,
        AWS_EBS_VOLUME,
        PRIMARY,
        m(man, &[PRIMARY, "encrypted_volume_id"]),
    );
    assert_eq!(enc.data["encrypted"], true);
    assert_eq!(enc.data["isAttached"], false);

    let ami = find(r, AWS_AMI, PRIMARY, m(man, &[PRIMARY, "ami_id"]));
    assert_eq!(ami.name, "prod-golden-image");
    assert_eq!(ami.is_public, Some(true));
    assert_eq!(ami.data["ownerId"], ACCOUNT);
    let eu_ami = find(r, AWS_AMI, SECONDARY, m(man, &[SECONDARY, "ami_id"]));
    assert_eq!(eu_ami.is_public, Some(false));
}

fn check_s3(r: &CollectResult, man: &Value) {
    let public = find(r, AWS_S3, PRIMARY, "bulwark-public-assets");
    assert_eq!(public.is_public, Some(true));
    assert_eq!(public.data["isPublic"], true);
    assert_eq!(public.data["aclPublic"], true);
    assert_eq!(
        public.data["publicBy"],
        json!({"acl": true, "policy": false})
    );
    assert_eq!(public.data["publicAclPermissions"], json!(["READ"]));
    let grants = public.data["acl"]["grants"].as_array().unwrap();
    assert!(
        grants
            .iter()
            .any(|g| g["granteeUri"] == "http://acs.amazonaws.com/groups/global/AllUsers")
    );
    assert_eq!(
        public.arn.as_deref(),
        Some("arn:aws:s3:::bulwark-public-assets")
    );
    assert!(
        public
            .tags
            .iter()
            .any(|t| t.name == "data" && t.value == "public")
    );

    let by_policy = find(r, AWS_S3, PRIMARY, "bulwark-policy-public");
    assert_eq!(by_policy.is_public, Some(true));
    assert_eq!(
        by_policy.data["publicBy"],
        json!({"acl": false, "policy": true})
    );
    assert_eq!(
        by_policy.data["policy"]["Statement"][0]["Sid"],
        "PublicRead"
    );

    let private = find(r, AWS_S3, SECONDARY, "bulwark-private-data");
    assert_eq!(private.is_public, Some(false));
    assert_eq!(private.data["region"], SECONDARY);
    assert_eq!(private.data["encryption"]["enabled"], true);
    assert_eq!(private.data["encryption"]["algorithm"], "aws:kms");
    assert_eq!(
        private.data["encryption"]["kmsMasterKeyId"],
        m(man, &["kms_rotated_key_arn"])
    );
    assert_eq!(private.data["versioning"]["status"], "Enabled");
    assert_eq!(
        private.data["publicAccessBlock"],
        json!({"blockPublicAcls": true, "ignorePublicAcls": true,
               "blockPublicPolicy": true, "restrictPublicBuckets": true})
    );
    assert_eq!(private.data["policy"], Value::Null);
    assert!(
        private
            .tags
            .iter()
            .any(|t| t.name == "data" && t.value == "pii")
    );

    let logs = find(r, AWS_S3, PRIMARY, "bulwark-logs");
    assert_eq!(logs.is_public, Some(false));
    assert_eq!(logs.data["versioning"]["status"], "Disabled");
    assert_eq!(logs.data["publicAccessBlock"], Value::Null);
}

fn check_iam(r: &CollectResult, man: &Value) {
    let bob = find(r, AWS_USER, GLOBAL_REGION, "bob");
    let d = &bob.data;
    assert_eq!(d["isMfaActive"], false);
    assert_eq!(d["consolePasswdStatus"], "Enabled");
    assert_eq!(d["isActive"], true);
    assert_eq!(d["accessKeyAge"], 0, "keys were created just now");
    assert_eq!(d["attachedManagedPolicyCount"], 1);
    assert_eq!(d["userPolicyCount"], 1);
    assert_eq!(d["groupList"], "developers");
    assert_eq!(d["path"], "/staff/");
    assert_eq!(d["arn"], "arn:aws:iam::123456789012:user/staff/bob");
    assert_eq!(
        d["attachedPolicies"],
        json!(["dev-logs", "inline-ec2-admin", "s3-read-custom"])
    );
    assert_eq!(d["accessKeys"][0]["accessKeyId"], m(man, &["bob_key"]));
    assert_eq!(d["hasAdminAccess"], false);
    assert_eq!(
        d["inlinePolicies"][0]["document"]["Statement"][0]["Action"],
        "ec2:*"
    );
    assert!(
        d["passwordLastChanged"].is_string(),
        "from the credential report"
    );
    let expected: BTreeSet<&str> = more_info_fields(AWS_USER)
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(field_names(&bob.more_info().unwrap()), expected);
    assert!(
        bob.tags
            .iter()
            .any(|t| t.name == "owner" && t.value == "bob")
    );

    let alice = find(r, AWS_USER, GLOBAL_REGION, "alice");
    assert_eq!(alice.data["isMfaActive"], true);
    assert_eq!(
        alice.data["mfaDevices"][0]["serialNumber"],
        m(man, &["alice_mfa_serial"])
    );
    assert_eq!(
        alice.data["hasAdminAccess"], true,
        "AdministratorAccess via the admins group"
    );

    let bot = find(r, AWS_USER, GLOBAL_REGION, "ci-bot");
    assert_eq!(bot.data["consolePasswdStatus"], "Disabled");
    assert_eq!(bot.data["passwordLastChanged"], Value::Null);
    assert_eq!(bot.data["activeAccessKeyCount"], 1);
    let statuses: BTreeSet<&str> = bot.data["accessKeys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["status"].as_str())
        .collect();
    assert_eq!(statuses, BTreeSet::from(["Active", "Inactive"]));
    // Users without MFA, as a policy check would find them.
    let no_mfa: BTreeSet<&str> = r
        .of_kind(AWS_USER)
        .filter(|u| u.data["isMfaActive"] == false)
        .map(|u| u.resource_id.as_str())
        .collect();
    assert_eq!(no_mfa, BTreeSet::from(["bob", "ci-bot"]));

    let admins = find(r, AWS_GROUP, GLOBAL_REGION, "admins");
    assert_eq!(admins.data["users"], json!(["alice"]));
    assert_eq!(admins.data["hasAdminAccess"], true);
    let devs = find(r, AWS_GROUP, GLOBAL_REGION, "developers");
    assert_eq!(devs.data["inlinePolicies"][0]["policyName"], "dev-logs");

    let anyone = find(r, AWS_ROLE, GLOBAL_REGION, "anyone-can-assume");
    assert_eq!(anyone.is_public, Some(true));
    let audit = find(r, AWS_ROLE, GLOBAL_REGION, "bulwark-audit");
    assert_eq!(audit.is_public, Some(false));
    assert_eq!(audit.data["requiresExternalId"], true);
    assert_eq!(
        audit.data["crossAccountPrincipals"],
        json!(["arn:aws:iam::999999999999:root"])
    );
    let web = find(r, AWS_ROLE, GLOBAL_REGION, "web-instance-role");
    assert_eq!(web.data["trustedServices"], json!(["ec2.amazonaws.com"]));
    assert_eq!(
        web.data["instanceProfiles"],
        json!([m(man, &["web_instance_profile_arn"])])
    );
    assert_eq!(web.arn.as_deref(), Some(m(man, &["web_role_arn"])));
    let lambda_exec = find(r, AWS_ROLE, GLOBAL_REGION, "lambda-exec");
    assert_eq!(
        lambda_exec.data["inlinePolicies"][0]["policyName"],
        "write-logs"
    );
}

fn check_serverless_and_data(r: &CollectResult, man: &Value) {
    let public = find(r, AWS_LAMBDA, PRIMARY, "public-webhook");
    assert_eq!(public.is_public, Some(true));
    let d = &public.data;
    assert_eq!(d["functionArn"], m(man, &["public_fn_arn"]));
    assert_eq!(d["runtime"], "python3.12");
    assert_eq!(d["memorySize"], 256);
    assert_eq!(d["role"], m(man, &["lambda_role_arn"]));
    assert_eq!(d["executionRole"], "lambda-exec");
    let policy: Value = parse_str_field(&d["functionPolicy"]);
    assert_eq!(policy["Statement"][0]["Principal"], "*");
    assert_eq!(
        parse_str_field(&d["mappedTags"]),
        json!({"env": "prod", "team": "payments"})
    );
    assert_eq!(
        parse_str_field(&d["mappedSecurityGroupIdList"]),
        json!([m(man, &[PRIMARY, "open_sg_id"])])
    );
    assert_eq!(d["subnetIds"], json!([m(man, &[PRIMARY, "subnet_id"])]));
    assert_eq!(d["environmentVariableNames"], json!(["API_TOKEN", "STAGE"]));
    let expected: BTreeSet<&str> = more_info_fields(AWS_LAMBDA)
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(field_names(&public.more_info().unwrap()), expected);

    // Only S3 from this account may invoke it: not public.
    let thumb = find(r, AWS_LAMBDA, PRIMARY, "s3-thumbnailer");
    assert_eq!(thumb.is_public, Some(false));
    assert!(thumb.data["functionPolicy"].is_string());
    let eu = find(r, AWS_LAMBDA, SECONDARY, "eu-report");
    assert_eq!(eu.data["functionPolicy"], Value::Null);

    let orders = find(r, AWS_RDS, PRIMARY, "orders-db");
    assert_eq!(orders.is_public, Some(true));
    assert_eq!(orders.data["storageEncrypted"], false);
    assert_eq!(orders.data["engine"], "postgres");
    assert!(
        orders
            .tags
            .iter()
            .any(|t| t.name == "env" && t.value == "prod")
    );
    let eu_db = find(r, AWS_RDS, SECONDARY, "eu-private-db");
    assert_eq!(eu_db.is_public, Some(false));
    assert_eq!(eu_db.data["storageEncrypted"], true);

    let redshift = find(r, AWS_REDSHIFT_CLUSTER, PRIMARY, "analytics");
    assert_eq!(redshift.is_public, Some(true));
    assert_eq!(redshift.data["encrypted"], false);
    assert_eq!(redshift.data["nodeType"], "dc2.large");

    let es = find(r, AWS_ES, PRIMARY, "search-logs");
    assert_eq!(es.is_public, Some(true));
    assert_eq!(es.data["encryptionAtRest"]["enabled"], false);
    assert_eq!(es.data["enforceHttps"], false);
    assert!(es.tags.iter().any(|t| t.name == "env"));
}

fn check_containers(r: &CollectResult, man: &Value) {
    let eks = find(r, AWS_CLUSTER, PRIMARY, "prod-eks");
    let d = &eks.data;
    assert_eq!(
        d["instanceId"],
        "arn:aws:eks:us-east-1:123456789012:cluster/prod-eks"
    );
    assert_eq!(d["version"], "1.29");
    assert_eq!(d["roleArn"], m(man, &["web_role_arn"]));
    assert_eq!(d["endpointPublicAccess"], true);
    assert_eq!(d["endpointPrivateAccess"], false);
    assert_eq!(
        parse_str_field(&d["mappedSubnetList"]),
        json!([m(man, &[PRIMARY, "subnet_id"])])
    );
    assert_eq!(d["enabledLogTypes"], json!(["api", "audit"]));
    assert_eq!(eks.is_public, Some(true));
    let expected: BTreeSet<&str> = more_info_fields(AWS_CLUSTER)
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(field_names(&eks.more_info().unwrap()), expected);

    let ng = find(r, AWS_NODE_GROUP, PRIMARY, "prod-eks/prod-ng");
    assert_eq!(ng.data["scalingConfig"]["desiredSize"], 2);
    assert_eq!(ng.data["instanceTypes"], json!(["m5.xlarge"]));

    let td = find(r, AWS_TASK_DEFINITION, PRIMARY, "checkout:1");
    assert_eq!(td.arn.as_deref(), Some(m(man, &["task_definition_arn"])));
    assert_eq!(td.data["isFargate"], true);
    assert_eq!(
        td.data["containerNames"],
        json!(["checkout-api", "log-router"])
    );
    assert!(td.tags.iter().any(|t| t.name == "env" && t.value == "prod"));
    let api = find(r, AWS_CONTAINER_FARGATE, PRIMARY, "checkout:1/checkout-api");
    assert_eq!(api.data["runsAsRoot"], true);
    assert_eq!(api.data["portMappings"][0]["containerPort"], 8080);
    assert_eq!(api.data["environmentVariableNames"], json!(["DB_PASSWORD"]));
    let router = find(r, AWS_CONTAINER_FARGATE, PRIMARY, "checkout:1/log-router");
    assert_eq!(router.data["essential"], false);

    let repo = find(r, IMAGE_REGISTRY, PRIMARY, "checkout");
    assert_eq!(repo.arn.as_deref(), Some(m(man, &["ecr_repository_arn"])));
    assert_eq!(repo.is_public, Some(true));
    assert_eq!(repo.data["scanOnPush"], false);
    assert_eq!(repo.data["imageTagMutability"], "MUTABLE");
}

fn check_logging_and_keys(r: &CollectResult, man: &Value) {
    let trail = find(r, AWS_X_CLOUDTRAIL_TRAIL, PRIMARY, "org-trail");
    assert_eq!(trail.data["isLogging"], true);
    assert_eq!(trail.data["isMultiRegionTrail"], true);
    assert_eq!(trail.data["s3BucketName"], "bulwark-logs");
    assert_eq!(r.account.cloud_log_status, "Enabled");

    let unrotated = find(r, AWS_X_KMS_KEY, PRIMARY, m(man, &["kms_unrotated_key_id"]));
    assert_eq!(unrotated.data["rotationEnabled"], false);
    assert_eq!(unrotated.data["aliases"], json!(["alias/app-data"]));
    assert_eq!(unrotated.name, "alias/app-data");
    assert_eq!(unrotated.is_public, Some(false));
    let rotated = find(r, AWS_X_KMS_KEY, SECONDARY, m(man, &["kms_rotated_key_id"]));
    assert_eq!(rotated.data["rotationEnabled"], true);
}

fn check_no_secrets(r: &CollectResult) {
    let text = serde_json::to_string(r).unwrap();
    for secret in [
        "do-not-collect-me",
        "Sup3r-secret-pw!",
        "not-a-real-password",
        "moto-does-not-check-this",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} leaked into the collection"
        );
    }
}

#[test]
fn one_region_and_one_service_at_a_time() {
    block_on(async {
        let Some(e) = estate() else { return };
        let opts = bulwark_cloud_aws::CollectOptions {
            services: Some(vec![Service::Ec2, Service::S3]),
            ..options()
        };
        let r = collect(
            &credentials(&e.url, Regions::List(vec![SECONDARY.into()])),
            &opts,
        )
        .await
        .unwrap();
        assert!(
            r.assets.iter().all(|a| a.region == SECONDARY),
            "only eu-west-1"
        );
        let kinds: BTreeSet<&str> = r.assets.iter().map(|a| a.search_key.as_str()).collect();
        assert!(kinds.contains(AWS_HOST) && kinds.contains(AWS_S3));
        assert!(!kinds.contains(AWS_USER) && !kinds.contains(AWS_LAMBDA));
        // The us-east-1 buckets are outside the requested region.
        let buckets: Vec<&str> = r.of_kind(AWS_S3).map(|a| a.resource_id.as_str()).collect();
        assert_eq!(buckets, vec!["bulwark-private-data"]);
        // CloudTrail was not read, so its status is unknown, not "Disabled".
        assert_eq!(r.account.cloud_log_status, "Unknown");
    });
}

#[test]
fn assumes_a_role_with_an_external_id() {
    block_on(async {
        let Some(e) = estate() else { return };
        let mut creds = credentials(&e.url, Regions::List(vec![PRIMARY.into()]));
        creds.assume_role = Some(AssumeRole {
            role_arn: m(&e.manifest, &["audit_role_arn"]).into(),
            external_id: Some("bulwark-external-id".into()),
            session_name: Some("bulwark-test".into()),
        });
        let opts = bulwark_cloud_aws::CollectOptions {
            services: Some(vec![Service::Iam]),
            ..options()
        };
        let r = collect(&creds, &opts).await.unwrap();
        assert_eq!(r.account_id, ACCOUNT);
        // GetCallerIdentity ran with the assumed role's session credentials.
        assert!(
            r.caller_arn
                .contains(":assumed-role/bulwark-audit/bulwark-test"),
            "{}",
            r.caller_arn
        );
        find(&r, AWS_USER, GLOBAL_REGION, "alice");
    });
}

#[test]
fn lists_the_enabled_regions() {
    block_on(async {
        let Some(e) = estate() else { return };
        let regions = enabled_regions(&credentials(&e.url, Regions::AllEnabled), &options())
            .await
            .unwrap();
        assert!(regions.contains(&PRIMARY.to_owned()) && regions.contains(&SECONDARY.to_owned()));
        let mut sorted = regions.clone();
        sorted.sort();
        assert_eq!(regions, sorted);
    });
}

#[test]
fn unreachable_endpoint_fails_the_identity_not_the_process() {
    block_on(async {
        // Only loopback: a port nothing listens on (bound, then released).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let err = collect(&credentials(&url, both_regions()), &options())
            .await
            .unwrap_err();
        assert!(matches!(err, CollectError::Identity(_)), "{err:?}");
    });
}

#[test]
fn a_failing_region_is_recorded_and_the_rest_collected() {
    block_on(async {
        let Some(e) = estate() else { return };
        // moto answers HTTP 500 for every regional call in a region it does not
        // know: a stand-in for a region where the role lacks permissions.
        const BROKEN: &str = "mars-north-1";
        let creds = credentials(&e.url, Regions::List(vec![PRIMARY.into(), BROKEN.into()]));
        let r = collect(&creds, &options()).await.unwrap();

        let broken_services: BTreeSet<&str> = r
            .errors
            .iter()
            .filter(|e| e.region == BROKEN)
            .map(|e| e.service.as_str())
            .collect();
        for service in Service::ALL {
            // Identity Center is read in the home region only; log files are read
            // where the flow logs and trails found elsewhere point.
            if !matches!(
                service,
                Service::Iam
                    | Service::S3
                    | Service::IdentityCenter
                    | Service::Logs
                    | Service::CloudWatchLogs
            ) {
                assert!(
                    broken_services.contains(service.prefix()),
                    "no {service:?} error in {BROKEN}"
                );
            }
        }
        let ec2_error = r
            .errors
            .iter()
            .find(|e| e.region == BROKEN && e.operation == "DescribeInstances")
            .expect("the DescribeInstances failure");
        assert_eq!(ec2_error.service, "ec2");
        assert!(ec2_error.search_keys.contains(&AWS_HOST.to_owned()));
        assert!(!ec2_error.message.is_empty());
        assert!(!r.listing_complete(AWS_HOST, BROKEN));
        assert!(r.listing_complete(AWS_HOST, PRIMARY));
        // Everything in the healthy region is still there.
        find(
            &r,
            AWS_HOST,
            PRIMARY,
            m(&e.manifest, &[PRIMARY, "web_instance_id"]),
        );
        find(&r, AWS_LAMBDA, PRIMARY, "public-webhook");
        find(&r, AWS_USER, GLOBAL_REGION, "bob");
        assert!(r.assets.iter().all(|a| a.region != BROKEN));
        assert_eq!(
            r.account.cloud_log_status, "Enabled",
            "the multi-region trail is known"
        );
        assert_eq!(r.account.flow_log_status, "Unknown");
    });
}

#[test]
fn log_window_bounds_what_is_read() {
    block_on(async {
        let Some(e) = estate() else { return };
        let mut opts = bulwark_cloud_aws::CollectOptions {
            services: Some(vec![Service::Ec2, Service::CloudWatchLogs]),
            ..options()
        };
        opts.logs.lookback = std::time::Duration::from_secs(3600);
        let creds = credentials(&e.url, Regions::List(vec![SECONDARY.into()]));
        let r = collect(&creds, &opts).await.unwrap();
        assert!(r.errors.is_empty(), "errors: {:#?}", r.errors);
        logs::check_window(&r);
    });
}
