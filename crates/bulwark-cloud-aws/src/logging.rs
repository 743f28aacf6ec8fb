//! Logging and key management in one region: CloudTrail trails
//! (`AWS_X_CLOUDTRAIL_TRAIL`) and KMS keys (`AWS_X_KMS_KEY`), plus the
//! account-level logging summary.

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_kms::types::KeyMetadata;
use futures_util::future::{join, join_all};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope, tags_from};
use crate::keys::{AWS_VPC, AWS_X_CLOUDTRAIL_TRAIL, AWS_X_FLOW_LOG, AWS_X_KMS_KEY};
use crate::model::{AccountSummary, Asset, CollectOptions, Service, ServiceError};
use crate::policy;
use crate::util::{date, s};

pub(crate) async fn collect_cloudtrail(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_cloudtrail::Client::new(cfg);
    let scope = Scope {
        service: Service::CloudTrail,
        region,
    };
    // Without shadow trails each trail is reported once, by its home region;
    // a multi-region trail still covers every region.
    let trails = match ctx
        .call(client.describe_trails().include_shadow_trails(false).send())
        .await
    {
        Ok(out) => out.trail_list().to_vec(),
        Err(e) => {
            ctx.fail_list(scope, "DescribeTrails", &[AWS_X_CLOUDTRAIL_TRAIL], &e);
            return;
        }
    };
    let arns: Vec<String> = trails
        .iter()
        .filter_map(|t| t.trail_arn().map(str::to_owned))
        .collect();
    let tags: HashMap<String, Vec<crate::model::Tag>> = if arns.is_empty() {
        HashMap::new()
    } else {
        // ListTags takes at most 20 trail ARNs per call.
        let pages = join_all(arns.chunks(20).map(|chunk| {
            ctx.pages(
                client
                    .list_tags()
                    .set_resource_id_list(Some(chunk.to_vec()))
                    .into_paginator()
                    .send(),
            )
        }))
        .await;
        let mut map = HashMap::new();
        for page in pages {
            match page {
                Ok(pages) => {
                    for rt in pages.iter().flat_map(|p| p.resource_tag_list()) {
                        if let Some(id) = rt.resource_id() {
                            map.insert(
                                id.to_owned(),
                                tags_from(rt.tags_list(), |t| Some(t.key()), |t| t.value()),
                            );
                        }
                    }
                }
                Err(e) => ctx.fail_detail(scope, "ListTags", "trails", &e),
            }
        }
        map
    };
    join_all(trails.iter().map(|t| {
        let client = &client;
        let tags = &tags;
        async move {
            let Some(arn) = t.trail_arn() else { return };
            let name = t.name().unwrap_or(arn);
            let status = match ctx.call(client.get_trail_status().name(arn).send()).await {
                Ok(st) => Some(st),
                Err(e) => {
                    ctx.fail_detail(scope, "GetTrailStatus", name, &e);
                    None
                }
            };
            let data = json!({
                "name": name,
                "trailArn": arn,
                "homeRegion": t.home_region(),
                "isMultiRegionTrail": t.is_multi_region_trail().unwrap_or(false),
                "includeGlobalServiceEvents": t.include_global_service_events(),
                "isOrganizationTrail": t.is_organization_trail(),
                "isLogging": status.as_ref().and_then(|s| s.is_logging()),
                "latestDeliveryTime": date(status.as_ref().and_then(|s| s.latest_delivery_time())),
                "latestDeliveryError": s(status.as_ref().and_then(|s| s.latest_delivery_error())),
                "logFileValidationEnabled": t.log_file_validation_enabled(),
                "s3BucketName": t.s3_bucket_name(),
                "s3KeyPrefix": t.s3_key_prefix(),
                "kmsKeyId": t.kms_key_id(),
                "encrypted": t.kms_key_id().is_some(),
                "cloudWatchLogsLogGroupArn": t.cloud_watch_logs_log_group_arn(),
                "snsTopicArn": t.sns_topic_arn(),
                "hasCustomEventSelectors": t.has_custom_event_selectors(),
            });
            let mut asset = ctx.asset(AWS_X_CLOUDTRAIL_TRAIL, scope.region, name, name);
            asset.arn = Some(arn.to_owned());
            asset.tags = tags.get(arn).cloned().unwrap_or_default();
            asset.data = data;
            ctx.push_supporting(asset);
        }
    }))
    .await;
}

pub(crate) async fn collect_kms(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_kms::Client::new(cfg);
    let scope = Scope {
        service: Service::Kms,
        region,
    };
    let (keys, aliases) = join(
        ctx.pages(client.list_keys().into_paginator().send()),
        ctx.pages(client.list_aliases().into_paginator().send()),
    )
    .await;
    let ids: Vec<String> = match keys {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.keys())
            .filter_map(|k| k.key_id().map(str::to_owned))
            .collect(),
        Err(e) => {
            ctx.fail_list(scope, "ListKeys", &[AWS_X_KMS_KEY], &e);
            return;
        }
    };
    let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
    match aliases {
        Ok(pages) => {
            for a in pages.iter().flat_map(|p| p.aliases()) {
                if let (Some(key), Some(alias)) = (a.target_key_id(), a.alias_name()) {
                    by_key
                        .entry(key.to_owned())
                        .or_default()
                        .push(alias.to_owned());
                }
            }
        }
        Err(e) => ctx.fail_detail(scope, "ListAliases", "aliases", &e),
    }
    join_all(
        ids.iter()
            .map(|id| key(ctx, &client, scope, id, by_key.get(id))),
    )
    .await;
}

async fn key(
    ctx: &Ctx,
    client: &aws_sdk_kms::Client,
    scope: Scope<'_>,
    id: &str,
    aliases: Option<&Vec<String>>,
) {
    let meta: KeyMetadata = match ctx.call(client.describe_key().key_id(id).send()).await {
        Ok(out) => match out.key_metadata() {
            Some(m) => m.clone(),
            None => return,
        },
        Err(e) => {
            ctx.fail_item(scope, "DescribeKey", id, &[AWS_X_KMS_KEY], &e);
            return;
        }
    };
    let customer = meta.key_manager().is_some_and(|m| m.as_str() == "CUSTOMER");
    let symmetric = meta
        .key_spec()
        .is_none_or(|k| k.as_str() == "SYMMETRIC_DEFAULT");
    let usable = meta.key_state().is_some_and(|s| s.as_str() == "Enabled");
    // Rotation applies to customer managed symmetric keys; AWS managed keys
    // rotate on AWS's schedule, and the other kinds cannot rotate.
    let rotation = if customer && symmetric && usable {
        match ctx
            .call(client.get_key_rotation_status().key_id(id).send())
            .await
        {
            Ok(r) => Some(r),
            Err(e) => {
                ctx.fail_detail(scope, "GetKeyRotationStatus", id, &e);
                None
            }
        }
    } else {
        None
    };
    let (policy_out, tags_out) = if customer {
        let (p, t) = join(
            ctx.call(
                client
                    .get_key_policy()
                    .key_id(id)
                    .policy_name("default")
                    .send(),
            ),
            ctx.pages(
                client
                    .list_resource_tags()
                    .key_id(id)
                    .into_paginator()
                    .send(),
            ),
        )
        .await;
        (Some(p), Some(t))
    } else {
        (None, None)
    };
    let policy_doc = match policy_out {
        Some(Ok(p)) => p.policy().and_then(policy::parse_document),
        Some(Err(e)) => {
            ctx.fail_detail(scope, "GetKeyPolicy", id, &e);
            None
        }
        None => None,
    };
    let tags = match tags_out {
        Some(Ok(pages)) => tags_from(
            pages.iter().flat_map(|p| p.tags()),
            |t| Some(t.tag_key()),
            |t| Some(t.tag_value()),
        ),
        Some(Err(e)) => {
            ctx.fail_detail(scope, "ListResourceTags", id, &e);
            Vec::new()
        }
        None => Vec::new(),
    };
    let is_public = policy_doc.as_ref().is_some_and(policy::allows_public);
    let aliases: Vec<&str> = aliases.into_iter().flatten().map(String::as_str).collect();
    let data = json!({
        "keyId": meta.key_id(),
        "arn": meta.arn(),
        "aliases": aliases,
        "description": meta.description(),
        "keyState": meta.key_state().map(|s| s.as_str()),
        "enabled": meta.enabled(),
        "keyManager": meta.key_manager().map(|m| m.as_str()),
        "keyUsage": meta.key_usage().map(|u| u.as_str()),
        "keySpec": meta.key_spec().map(|k| k.as_str()),
        "origin": meta.origin().map(|o| o.as_str()),
        "multiRegion": meta.multi_region(),
        "creationDate": date(meta.creation_date()),
        "deletionDate": date(meta.deletion_date()),
        // `null` where rotation does not apply or could not be read.
        "rotationEnabled": rotation.as_ref().map(|r| r.key_rotation_enabled()),
        "rotationPeriodInDays": rotation.as_ref().and_then(|r| r.rotation_period_in_days()),
        "nextRotationDate": date(rotation.as_ref().and_then(|r| r.next_rotation_date())),
        "policy": policy_doc,
        "isPublic": is_public,
    });
    let name = aliases.first().copied().unwrap_or(id).to_owned();
    let mut asset = ctx.asset(AWS_X_KMS_KEY, scope.region, id, name);
    asset.arn = meta.arn().map(str::to_owned);
    asset.tags = tags;
    asset.is_public = Some(is_public);
    asset.data = data;
    ctx.push_supporting(asset);
}

fn failed(errors: &[ServiceError], key: &str) -> bool {
    errors
        .iter()
        .any(|e| e.search_keys.iter().any(|k| k == key))
}

/// Account-level logging posture for `/accounts` (`cloudLogStatus`, `flowLogStatus`).
pub(crate) fn summarise(
    opts: &CollectOptions,
    assets: &[Asset],
    supporting: &[Asset],
    errors: &[ServiceError],
) -> AccountSummary {
    let trails: Vec<&Value> = supporting
        .iter()
        .filter(|a| a.search_key == AWS_X_CLOUDTRAIL_TRAIL)
        .map(|a| &a.data)
        .collect();
    let logging = |t: &Value| t["isLogging"] == Value::Bool(true);
    let cloud_log_status = if trails
        .iter()
        .any(|t| logging(t) && t["isMultiRegionTrail"] == Value::Bool(true))
    {
        "Enabled"
    } else if !opts.wants(Service::CloudTrail) || failed(errors, AWS_X_CLOUDTRAIL_TRAIL) {
        // A region we could not read may hold the multi-region trail.
        "Unknown"
    } else if trails.iter().any(|t| logging(t)) {
        "Partial"
    } else {
        "Disabled"
    };

    let vpcs: Vec<&Value> = assets
        .iter()
        .filter(|a| a.search_key == AWS_VPC)
        .map(|a| &a.data["flowLogsEnabled"])
        .collect();
    let flow_log_status =
        if !opts.wants(Service::Ec2) || failed(errors, AWS_X_FLOW_LOG) || failed(errors, AWS_VPC) {
            "Unknown"
        } else if vpcs.is_empty() || vpcs.iter().all(|v| **v != Value::Bool(true)) {
            "Disabled"
        } else if vpcs.iter().all(|v| **v == Value::Bool(true)) {
            "Enabled"
        } else {
            "Partial"
        };
    AccountSummary {
        cloud_log_status: cloud_log_status.to_owned(),
        flow_log_status: flow_log_status.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PROVIDER, ServiceError};

    fn asset(key: &str, data: Value) -> Asset {
        Asset {
            search_key: key.into(),
            provider: PROVIDER.into(),
            account_id: "1".into(),
            region: "us-east-1".into(),
            resource_id: "x".into(),
            name: "x".into(),
            arn: None,
            tags: vec![],
            is_public: None,
            data,
        }
    }

    #[test]
    fn logging_summary() {
        let opts = CollectOptions::default();
        let trail = |logging: bool, multi: bool| {
            asset(
                AWS_X_CLOUDTRAIL_TRAIL,
                json!({"isLogging": logging, "isMultiRegionTrail": multi}),
            )
        };
        let vpc = |on: bool| asset(AWS_VPC, json!({"flowLogsEnabled": on}));
        let s = summarise(&opts, &[vpc(true), vpc(false)], &[trail(true, true)], &[]);
        assert_eq!(s.cloud_log_status, "Enabled");
        assert_eq!(s.flow_log_status, "Partial");
        let s = summarise(
            &opts,
            &[vpc(true)],
            &[trail(true, false), trail(false, true)],
            &[],
        );
        assert_eq!(
            (s.cloud_log_status.as_str(), s.flow_log_status.as_str()),
            ("Partial", "Enabled")
        );
        let s = summarise(&opts, &[], &[], &[]);
        assert_eq!(
            (s.cloud_log_status.as_str(), s.flow_log_status.as_str()),
            ("Disabled", "Disabled")
        );
        let err = ServiceError {
            service: "cloudtrail".into(),
            region: "eu-west-1".into(),
            operation: "DescribeTrails".into(),
            resource_id: None,
            search_keys: vec![AWS_X_CLOUDTRAIL_TRAIL.into()],
            message: "AccessDenied".into(),
        };
        let s = summarise(&opts, &[], &[trail(true, false)], &[err]);
        assert_eq!(s.cloud_log_status, "Unknown");
    }
}
