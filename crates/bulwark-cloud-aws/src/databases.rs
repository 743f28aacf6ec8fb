//! Data stores in one region: RDS DB instances (`AWS_RDS`), Redshift
//! clusters (`AWS_REDSHIFT_CLUSTER`) and OpenSearch domains (`AWS_ES`).

use aws_config::SdkConfig;
use aws_sdk_opensearch::types::DomainStatus;
use futures_util::future::join_all;
use serde_json::json;

use crate::ctx::{Ctx, Scope, tags_from};
use crate::keys::{AWS_ES, AWS_RDS, AWS_REDSHIFT_CLUSTER};
use crate::model::Service;
use crate::policy;
use crate::util::date;

pub(crate) async fn collect_rds(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_rds::Client::new(cfg);
    let scope = Scope {
        service: Service::Rds,
        region,
    };
    let pages = match ctx
        .pages(client.describe_db_instances().into_paginator().send())
        .await
    {
        Ok(p) => p,
        Err(e) => {
            ctx.fail_list(scope, "DescribeDBInstances", &[AWS_RDS], &e);
            return;
        }
    };
    for db in pages.iter().flat_map(|p| p.db_instances()) {
        let Some(id) = db.db_instance_identifier() else {
            continue;
        };
        let public = db.publicly_accessible().unwrap_or(false);
        let data = json!({
            "dbInstanceIdentifier": id,
            "engine": db.engine(),
            "engineVersion": db.engine_version(),
            "dbInstanceClass": db.db_instance_class(),
            "status": db.db_instance_status(),
            "publiclyAccessible": public,
            "storageEncrypted": db.storage_encrypted().unwrap_or(false),
            "kmsKeyId": db.kms_key_id(),
            "multiAz": db.multi_az(),
            "endpoint": db.endpoint().map(|e| json!({"address": e.address(), "port": e.port()})),
            "vpcId": db.db_subnet_group().and_then(|g| g.vpc_id()),
            "dbSubnetGroupName": db.db_subnet_group().and_then(|g| g.db_subnet_group_name()),
            "vpcSecurityGroups": db.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id()).collect::<Vec<_>>(),
            "backupRetentionPeriod": db.backup_retention_period(),
            "deletionProtection": db.deletion_protection(),
            "iamDatabaseAuthenticationEnabled": db.iam_database_authentication_enabled(),
            "autoMinorVersionUpgrade": db.auto_minor_version_upgrade(),
            "allocatedStorage": db.allocated_storage(),
            "storageType": db.storage_type(),
            "availabilityZone": db.availability_zone(),
            "caCertificateIdentifier": db.ca_certificate_identifier(),
            "instanceCreateTime": date(db.instance_create_time()),
            "dbClusterIdentifier": db.db_cluster_identifier(),
            "performanceInsightsEnabled": db.performance_insights_enabled(),
            "enabledCloudwatchLogsExports": db.enabled_cloudwatch_logs_exports(),
            "masterUsername": db.master_username(),
        });
        let mut asset = ctx.asset(AWS_RDS, region, id, id);
        asset.arn = db.db_instance_arn().map(str::to_owned);
        asset.tags = tags_from(db.tag_list(), |t| t.key(), |t| t.value());
        asset.is_public = Some(public);
        asset.data = data;
        ctx.push(asset);
    }
}

pub(crate) async fn collect_redshift(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_redshift::Client::new(cfg);
    let scope = Scope {
        service: Service::Redshift,
        region,
    };
    let pages = match ctx
        .pages(client.describe_clusters().into_paginator().send())
        .await
    {
        Ok(p) => p,
        Err(e) => {
            ctx.fail_list(scope, "DescribeClusters", &[AWS_REDSHIFT_CLUSTER], &e);
            return;
        }
    };
    for c in pages.iter().flat_map(|p| p.clusters()) {
        let Some(id) = c.cluster_identifier() else {
            continue;
        };
        let public = c.publicly_accessible().unwrap_or(false);
        let data = json!({
            "clusterIdentifier": id,
            "nodeType": c.node_type(),
            "numberOfNodes": c.number_of_nodes(),
            "clusterStatus": c.cluster_status(),
            "publiclyAccessible": public,
            "encrypted": c.encrypted().unwrap_or(false),
            "kmsKeyId": c.kms_key_id(),
            "endpoint": c.endpoint().map(|e| json!({"address": e.address(), "port": e.port()})),
            "vpcId": c.vpc_id(),
            "vpcSecurityGroups": c.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id()).collect::<Vec<_>>(),
            "clusterSubnetGroupName": c.cluster_subnet_group_name(),
            "dbName": c.db_name(),
            "masterUsername": c.master_username(),
            "clusterVersion": c.cluster_version(),
            "enhancedVpcRouting": c.enhanced_vpc_routing(),
            "automatedSnapshotRetentionPeriod": c.automated_snapshot_retention_period(),
            "availabilityZone": c.availability_zone(),
            "clusterCreateTime": date(c.cluster_create_time()),
            "iamRoles": c.iam_roles().iter().filter_map(|r| r.iam_role_arn()).collect::<Vec<_>>(),
        });
        let mut asset = ctx.asset(AWS_REDSHIFT_CLUSTER, region, id, id);
        asset.arn = Some(format!(
            "arn:{}:redshift:{region}:{}:cluster:{id}",
            ctx.partition, ctx.account_id
        ));
        asset.tags = tags_from(c.tags(), |t| t.key(), |t| t.value());
        asset.is_public = Some(public);
        asset.data = data;
        ctx.push(asset);
    }
}

pub(crate) async fn collect_opensearch(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_opensearch::Client::new(cfg);
    let scope = Scope {
        service: Service::OpenSearch,
        region,
    };
    // ListDomainNames is not paginated; DescribeDomains takes at most 5 names.
    let names: Vec<String> = match ctx.call(client.list_domain_names().send()).await {
        Ok(out) => out
            .domain_names()
            .iter()
            .filter_map(|d| d.domain_name().map(str::to_owned))
            .collect(),
        Err(e) => {
            ctx.fail_list(scope, "ListDomainNames", &[AWS_ES], &e);
            return;
        }
    };
    let client = &client;
    let batches = join_all(names.chunks(5).map(|chunk| async move {
        match ctx
            .call(
                client
                    .describe_domains()
                    .set_domain_names(Some(chunk.to_vec()))
                    .send(),
            )
            .await
        {
            Ok(out) => out.domain_status_list().to_vec(),
            Err(e) => {
                ctx.fail_item(scope, "DescribeDomains", &chunk.join(","), &[AWS_ES], &e);
                Vec::new()
            }
        }
    }))
    .await;
    let domains: Vec<DomainStatus> = batches.into_iter().flatten().collect();
    join_all(domains.iter().map(|d| domain(ctx, client, scope, d))).await;
}

async fn domain(
    ctx: &Ctx,
    client: &aws_sdk_opensearch::Client,
    scope: Scope<'_>,
    d: &DomainStatus,
) {
    let name = d.domain_name();
    let tags = match ctx.call(client.list_tags().arn(d.arn()).send()).await {
        Ok(out) => tags_from(out.tag_list(), |t| Some(t.key()), |t| Some(t.value())),
        Err(e) => {
            ctx.fail_detail(scope, "ListTags", name, &e);
            Vec::new()
        }
    };
    let access = d.access_policies().and_then(policy::parse_document);
    let vpc = d.vpc_options();
    // A domain inside a VPC is only reachable from that VPC whatever its
    // access policy says.
    let in_vpc = vpc.is_some_and(|v| v.vpc_id().is_some_and(|id| !id.is_empty()));
    let policy_public = access.as_ref().is_some_and(policy::allows_public);
    let is_public = !in_vpc && policy_public;
    let cluster = d.cluster_config();
    let data = json!({
        "domainName": name,
        "domainId": d.domain_id(),
        "arn": d.arn(),
        "engineVersion": d.engine_version(),
        "endpoint": d.endpoint(),
        "endpoints": d.endpoints(),
        "created": d.created(),
        "deleted": d.deleted(),
        "processing": d.processing(),
        "vpcOptions": vpc.map(|v| json!({
            "vpcId": v.vpc_id(),
            "subnetIds": v.subnet_ids(),
            "securityGroupIds": v.security_group_ids(),
        })),
        "inVpc": in_vpc,
        "encryptionAtRest": d.encryption_at_rest_options().map(|e| json!({
            "enabled": e.enabled(),
            "kmsKeyId": e.kms_key_id(),
        })),
        "nodeToNodeEncryption": d.node_to_node_encryption_options().and_then(|n| n.enabled()),
        "enforceHttps": d.domain_endpoint_options().and_then(|o| o.enforce_https()),
        "tlsSecurityPolicy": d.domain_endpoint_options().and_then(|o| o.tls_security_policy()).map(|p| p.as_str()),
        "advancedSecurityEnabled": d.advanced_security_options().and_then(|o| o.enabled()),
        "clusterConfig": cluster.map(|c| json!({
            "instanceType": c.instance_type().map(|t| t.as_str()),
            "instanceCount": c.instance_count(),
            "dedicatedMasterEnabled": c.dedicated_master_enabled(),
            "zoneAwarenessEnabled": c.zone_awareness_enabled(),
        })),
        "accessPolicies": access,
        "policyPublic": policy_public,
        "isPublic": is_public,
    });
    let mut asset = ctx.asset(AWS_ES, scope.region, name, name);
    asset.arn = Some(d.arn().to_owned());
    asset.tags = tags;
    asset.is_public = Some(is_public);
    asset.data = data;
    ctx.push(asset);
}
