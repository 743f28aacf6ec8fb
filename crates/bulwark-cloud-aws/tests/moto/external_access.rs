//! Resources shared outside the account (`AWS_EXTERNAL_ACCESS`), from the
//! planted roles, buckets, functions, repositories, domains and keys.

use super::*;

#[test]
fn finds_resources_shared_outside_the_account() {
    block_on(async {
        let Some(e) = estate() else { return };
        let opts = bulwark_cloud_aws::CollectOptions {
            services: Some(vec![
                Service::Iam,
                Service::S3,
                Service::Lambda,
                Service::Ecr,
                Service::OpenSearch,
                Service::Kms,
            ]),
            ..options()
        };
        let r = collect(&credentials(&e.url, both_regions()), &opts)
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "errors: {:#?}", r.errors);
        assert!(r.listing_complete(AWS_EXTERNAL_ACCESS, PRIMARY));
        let findings: Vec<_> = r.of_kind(AWS_EXTERNAL_ACCESS).collect();
        let by_resource = |name: &str| -> Vec<&bulwark_cloud_aws::Asset> {
            findings
                .iter()
                .copied()
                .filter(|f| f.data["resourceName"] == name)
                .collect()
        };
        let one = |name: &str| {
            let found = by_resource(name);
            assert_eq!(found.len(), 1, "{name}: {found:#?}");
            found[0]
        };
        let flagged: BTreeSet<(&str, &str)> = findings
            .iter()
            .map(|f| {
                (
                    f.data["resourceName"].as_str().unwrap(),
                    f.data["findingType"].as_str().unwrap(),
                )
            })
            .collect();
        let partner_key = m(&e.manifest, &["kms_partner_key_id"]);
        assert_eq!(
            flagged,
            BTreeSet::from([
                ("anyone-can-assume", "PUBLIC_ACCESS"),
                ("bulwark-audit", "CROSS_ACCOUNT_ACCESS"),
                ("bulwark-partner-share", "CROSS_ACCOUNT_ACCESS"),
                ("bulwark-policy-public", "PUBLIC_ACCESS"),
                ("bulwark-public-assets", "PUBLIC_ACCESS"),
                ("checkout", "PUBLIC_ACCESS"),
                ("public-webhook", "PUBLIC_ACCESS"),
                ("search-logs", "PUBLIC_ACCESS"),
                (partner_key, "CROSS_ACCOUNT_ACCESS"),
            ]),
            "{findings:#?}"
        );

        let anyone = one("anyone-can-assume");
        assert_eq!(anyone.region, GLOBAL_REGION);
        assert_eq!(anyone.is_public, Some(true));
        assert_eq!(anyone.arn, None);
        assert_eq!(
            anyone.resource_id,
            format!("{}|*|0", m(&e.manifest, &["public_role_arn"]))
        );
        assert_eq!(anyone.data["resourceType"], "AWS::IAM::Role");
        assert_eq!(anyone.data["severity"], "CRITICAL");
        assert_eq!(anyone.data["principalType"], "Public");
        assert_eq!(anyone.data["access"], "Assume role");
        assert_eq!(anyone.data["status"], "ACTIVE");

        let audit = one("bulwark-audit");
        assert_eq!(audit.name, "bulwark-audit trusted by 999999999999");
        assert_eq!(audit.is_public, Some(false));
        assert_eq!(
            audit.data["resourceArn"],
            m(&e.manifest, &["audit_role_arn"])
        );
        assert_eq!(audit.data["principal"], "arn:aws:iam::999999999999:root");
        assert_eq!(audit.data["externalAccountId"], "999999999999");
        assert_eq!(audit.data["conditionKeys"], json!(["sts:ExternalId"]));
        assert_eq!(audit.data["severity"], "MEDIUM");

        let share = one("bulwark-partner-share");
        assert_eq!(share.region, PRIMARY);
        assert_eq!(share.data["resourceType"], "AWS::S3::Bucket");
        assert_eq!(share.data["externalAccountId"], "444455556666");
        assert_eq!(share.data["severity"], "HIGH");
        assert_eq!(share.data["statementSid"], "PartnerRead");
        assert_eq!(share.data["access"], "Read objects, List objects");
        assert_eq!(share.data["conditions"], Value::Null);

        let acl = one("bulwark-public-assets");
        assert_eq!(
            acl.data["principal"],
            "http://acs.amazonaws.com/groups/global/AllUsers"
        );
        assert_eq!(acl.data["actions"], json!(["READ"]));
        assert_eq!(acl.data["severity"], "CRITICAL");

        let webhook = one("public-webhook");
        assert_eq!(
            webhook.data["resourceArn"],
            m(&e.manifest, &["public_fn_arn"])
        );
        assert_eq!(webhook.data["access"], "Invoke function");
        assert_eq!(webhook.data["statementSid"], "anyone-invoke");
        assert_eq!(webhook.data["severity"], "CRITICAL");

        let repo = one("checkout");
        assert_eq!(repo.data["resourceType"], "AWS::ECR::Repository");
        assert_eq!(repo.data["access"], "Pull images");
        let domain = one("search-logs");
        assert_eq!(domain.data["resourceType"], "AWS::OpenSearch::Domain");
        assert_eq!(domain.data["access"], "Full access");

        let key = one(partner_key);
        assert_eq!(key.region, PRIMARY);
        assert_eq!(key.data["resourceType"], "AWS::KMS::Key");
        assert_eq!(
            key.data["resourceArn"],
            m(&e.manifest, &["kms_partner_key_arn"])
        );
        assert_eq!(key.data["externalAccountId"], "444455556666");
        assert_eq!(key.data["conditionKeys"], json!(["kms:ViaService"]));
        assert_eq!(key.data["access"], "Use key, Read key metadata");
        assert_eq!(key.data["severity"], "MEDIUM");

        // The EC2 instance role, the Lambda role and the source-pinned S3
        // invoke permission are internal.
        for internal in ["web-instance-role", "lambda-exec", "s3-thumbnailer"] {
            assert!(by_resource(internal).is_empty(), "{internal}");
        }
    });
}
