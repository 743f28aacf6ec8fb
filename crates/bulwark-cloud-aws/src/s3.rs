//! S3 buckets (`AWS_S3`): listed once, then read in their own region (ACL,
//! policy, encryption, versioning, public access block, logging, tags).

use aws_sdk_s3::Client;
use aws_sdk_s3::types::{Bucket, Grant};
use futures_util::future::{join, join_all, join3, join4};
use serde_json::{Value, json};

use crate::ctx::{ApiError, Ctx, Scope, tags_from};
use crate::keys::AWS_S3;
use crate::model::{GLOBAL_REGION, Service};
use crate::policy;
use crate::session::Session;
use crate::util::date;

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

pub(crate) async fn collect(ctx: &Ctx, session: &Session, home: &str, regions: &[String]) {
    let client = session.s3(home);
    let scope = Scope {
        service: Service::S3,
        region: GLOBAL_REGION,
    };
    let buckets: Vec<Bucket> = match ctx
        .pages(client.list_buckets().into_paginator().send())
        .await
    {
        Ok(pages) => pages.iter().flat_map(|p| p.buckets()).cloned().collect(),
        Err(e) => {
            ctx.fail_list(scope, "ListBuckets", &[AWS_S3], &e);
            return;
        }
    };
    let located = join_all(
        buckets
            .iter()
            .map(|b| bucket_region(ctx, &client, scope, b)),
    )
    .await;
    let jobs = buckets.iter().zip(located).filter_map(|(b, region)| {
        let region = region?;
        // Buckets outside the collected regions are left out, like every
        // other regional resource.
        regions
            .contains(&region)
            .then(|| bucket(ctx, session, b, region))
    });
    join_all(jobs).await;
}

/// The bucket's region: from ListBuckets when AWS includes it, else
/// GetBucketLocation (`null` means us-east-1, `EU` the old name of eu-west-1).
async fn bucket_region(ctx: &Ctx, client: &Client, scope: Scope<'_>, b: &Bucket) -> Option<String> {
    if let Some(region) = b.bucket_region() {
        return Some(region.to_owned());
    }
    let name = b.name()?;
    match ctx
        .call(client.get_bucket_location().bucket(name).send())
        .await
    {
        Ok(out) => Some(location_region(out.location_constraint())),
        Err(e) => {
            // Without its region the bucket is left out, so the S3 listing
            // is incomplete everywhere.
            ctx.fail_item(scope, "GetBucketLocation", name, &[AWS_S3], &e);
            None
        }
    }
}

/// The region a `GetBucketLocation` answer names: no constraint means us-east-1,
/// `EU` is the old name of eu-west-1.
pub(crate) fn location_region(c: Option<&aws_sdk_s3::types::BucketLocationConstraint>) -> String {
    match c.map(|c| c.as_str()) {
        None | Some("") => "us-east-1",
        Some("EU") => "eu-west-1",
        Some(other) => other,
    }
    .to_owned()
}

/// `Ok(None)` when AWS says the configuration is absent (`codes`).
fn absent_ok<T>(
    ctx: &Ctx,
    scope: Scope<'_>,
    op: &str,
    bucket: &str,
    codes: &[&str],
    r: Result<T, ApiError>,
) -> Option<Option<T>> {
    match r {
        Ok(v) => Some(Some(v)),
        Err(e) if e.is(codes) => Some(None),
        Err(e) => {
            ctx.fail_detail(scope, op, bucket, &e);
            None
        }
    }
}

fn grant_json(g: &Grant) -> Value {
    let grantee = g.grantee();
    json!({
        "granteeType": grantee.map(|x| x.r#type().as_str()),
        "granteeUri": grantee.and_then(|x| x.uri()),
        "granteeId": grantee.and_then(|x| x.id()),
        "granteeDisplayName": grantee.and_then(|x| x.display_name()),
        "permission": g.permission().map(|p| p.as_str()),
    })
}

fn is_public_grant(g: &Grant) -> bool {
    g.grantee()
        .and_then(|x| x.uri())
        .is_some_and(|u| u == ALL_USERS || u == AUTHENTICATED_USERS)
}

async fn bucket(ctx: &Ctx, session: &Session, b: &Bucket, region: String) {
    let Some(name) = b.name() else { return };
    let client = session.s3(&region);
    let scope = Scope {
        service: Service::S3,
        region: &region,
    };
    let ((acl, pol, enc, ver), (pab, tags, logging)) = join(
        join4(
            ctx.call(client.get_bucket_acl().bucket(name).send()),
            ctx.call(client.get_bucket_policy().bucket(name).send()),
            ctx.call(client.get_bucket_encryption().bucket(name).send()),
            ctx.call(client.get_bucket_versioning().bucket(name).send()),
        ),
        join3(
            ctx.call(client.get_public_access_block().bucket(name).send()),
            ctx.call(client.get_bucket_tagging().bucket(name).send()),
            ctx.call(client.get_bucket_logging().bucket(name).send()),
        ),
    )
    .await;

    let acl = match acl {
        Ok(a) => Some(a),
        Err(e) => {
            ctx.fail_detail(scope, "GetBucketAcl", name, &e);
            None
        }
    };
    let public_grants: Vec<&Grant> = acl
        .iter()
        .flat_map(|a| a.grants())
        .filter(|g| is_public_grant(g))
        .collect();
    let acl_public = acl.as_ref().map(|_| !public_grants.is_empty());

    let policy_doc = absent_ok(
        ctx,
        scope,
        "GetBucketPolicy",
        name,
        &["NoSuchBucketPolicy"],
        pol,
    )
    .map(|p| p.and_then(|p| p.policy().and_then(policy::parse_document)));
    let policy_public = policy_doc
        .as_ref()
        .map(|d| d.as_ref().is_some_and(policy::allows_public));

    let encryption = absent_ok(
        ctx,
        scope,
        "GetBucketEncryption",
        name,
        &["ServerSideEncryptionConfigurationNotFoundError"],
        enc,
    )
    .map(|e| {
        let rule = e.as_ref().and_then(|e| {
            e.server_side_encryption_configuration()
                .and_then(|c| c.rules().first().cloned())
        });
        let default = rule
            .as_ref()
            .and_then(|r| r.apply_server_side_encryption_by_default());
        json!({
            "enabled": default.is_some(),
            "algorithm": default.map(|d| d.sse_algorithm().as_str()),
            "kmsMasterKeyId": default.and_then(|d| d.kms_master_key_id()),
            "bucketKeyEnabled": rule.as_ref().and_then(|r| r.bucket_key_enabled()),
        })
    });

    let versioning = match ver {
        Ok(v) => Some(json!({
            // AWS omits Status for buckets that never had versioning.
            "status": v.status().map_or("Disabled", |s| s.as_str()),
            "mfaDelete": v.mfa_delete().map_or("Disabled", |s| s.as_str()),
        })),
        Err(e) => {
            ctx.fail_detail(scope, "GetBucketVersioning", name, &e);
            None
        }
    };

    // The account-wide block (S3 Control GetPublicAccessBlock) is not read:
    // S3 Control addresses `<account-id>.s3-control…`, which an emulator on
    // 127.0.0.1 cannot serve, so only the bucket's own block counts here.
    let pab = absent_ok(
        ctx,
        scope,
        "GetPublicAccessBlock",
        name,
        &["NoSuchPublicAccessBlockConfiguration"],
        pab,
    );
    let block = pab
        .as_ref()
        .and_then(|p| p.as_ref())
        .and_then(|p| p.public_access_block_configuration());
    let ignore_acls = block.and_then(|b| b.ignore_public_acls()).unwrap_or(false);
    let restrict_policy = block
        .and_then(|b| b.restrict_public_buckets())
        .unwrap_or(false);
    let pab_json = pab.as_ref().map(|_| {
        block.map(|b| {
            json!({
                "blockPublicAcls": b.block_public_acls().unwrap_or(false),
                "ignorePublicAcls": b.ignore_public_acls().unwrap_or(false),
                "blockPublicPolicy": b.block_public_policy().unwrap_or(false),
                "restrictPublicBuckets": b.restrict_public_buckets().unwrap_or(false),
            })
        })
    });

    let tags = absent_ok(
        ctx,
        scope,
        "GetBucketTagging",
        name,
        &["NoSuchTagSet"],
        tags,
    )
    .flatten()
    .map(|t| tags_from(t.tag_set(), |t| Some(t.key()), |t| Some(t.value())))
    .unwrap_or_default();

    let logging = match logging {
        Ok(l) => Some(json!({
            "enabled": l.logging_enabled().is_some(),
            "targetBucket": l.logging_enabled().map(|e| e.target_bucket()),
            "targetPrefix": l.logging_enabled().map(|e| e.target_prefix()),
        })),
        Err(e) => {
            ctx.fail_detail(scope, "GetBucketLogging", name, &e);
            None
        }
    };

    let public_by_acl = acl_public.unwrap_or(false) && !ignore_acls;
    let public_by_policy = policy_public.unwrap_or(false) && !restrict_policy;
    let is_public = public_by_acl || public_by_policy;
    let data = json!({
        "bucketName": name,
        "region": region,
        "creationDate": date(b.creation_date()),
        "acl": acl.as_ref().map(|a| json!({
            "ownerId": a.owner().and_then(|o| o.id()),
            "grants": a.grants().iter().map(grant_json).collect::<Vec<_>>(),
        })),
        "aclPublic": acl_public,
        "publicAclPermissions": public_grants.iter().filter_map(|g| g.permission().map(|p| p.as_str())).collect::<Vec<_>>(),
        // `null` inside `policy` means the bucket has no policy; a missing
        // key cannot happen, `policyPublic: null` means it could not be read.
        "policy": policy_doc.clone().flatten(),
        "policyPublic": policy_public,
        "encryption": encryption,
        "versioning": versioning,
        "publicAccessBlock": pab_json.flatten(),
        "logging": logging,
        "isPublic": is_public,
        "publicBy": {
            "acl": public_by_acl,
            "policy": public_by_policy,
        },
    });
    let mut asset = ctx.asset(AWS_S3, &region, name, name);
    asset.arn = Some(b.bucket_arn().map_or_else(
        || format!("arn:{}:s3:::{name}", ctx.partition),
        str::to_owned,
    ));
    asset.tags = tags;
    asset.is_public = Some(is_public);
    asset.data = data;
    ctx.push(asset);
}
