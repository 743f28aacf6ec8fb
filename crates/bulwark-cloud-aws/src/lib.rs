//! Live AWS inventory collector for Bulwark.
//!
//! [`collect`] reads an AWS account through the official AWS SDK for Rust
//! and returns normalised [`Asset`]s, each under the Optix search key it
//! belongs to (`AWS_HOST`, `AWS_S3`, `AWS_USER`, …; see [`keys`]), ready for
//! the server to store and serve at `/api/v1/search/{searchKey}`, `/vms`,
//! `/users`, `/serverless` and `/containers`.
//!
//! * **Identity:** static keys or the SDK default chain, optionally assuming a
//!   role with an external id; the account id comes from
//!   `sts:GetCallerIdentity`.
//! * **Regions:** an explicit list or every enabled region
//!   (`ec2:DescribeRegions`). IAM is read once (global), S3 buckets are listed
//!   once and read in their own region. IAM Identity Center users
//!   (`AWS_SSO_USER`, with their groups and this account's permission-set
//!   assignments) are read once, in the home region, which must be the
//!   Identity Center region.
//! * **Robustness:** every listing uses the SDK paginators; at most
//!   [`CollectOptions::concurrency`] requests are in flight; adaptive retries
//!   back off on throttling. A failing service or region is recorded in
//!   [`CollectResult::errors`] and never fails the whole collection; only a
//!   caller identity that cannot be established does ([`CollectError`]).
//! * **Emulators:** [`AwsCredentials::endpoint_url`] sends every call to one
//!   endpoint (moto server in the tests), with path-style S3 addressing.
//! * **Secrets:** credentials are never logged (`Debug` redacts them), and
//!   values that commonly hold secrets (Lambda and ECS environment variable
//!   values) are not collected, only their names.
//!
//! For kinds the Optix reference has a response sample for, [`Asset::data`]
//! carries every `moreInfo` field of that sample (see [`more_info_fields`]
//! and [`Asset::more_info`]) plus further security attributes.

mod analysis;
mod ctx;
mod databases;
mod ec2;
mod ec2_network;
mod ec2_storage;
mod ecs;
mod eks;
mod iam;
mod iam_users;
pub mod keys;
mod lambda;
mod logging;
mod logs;
mod model;
mod policy;
mod s3;
mod session;
mod sso;
mod util;

use std::future::Future;
use std::pin::Pin;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_config::SdkConfig;
use futures_util::future::join_all;

pub use keys::more_info_fields;
pub use model::{
    AccountSummary, Asset, AssumeRole, AwsAuth, AwsCredentials, CollectError, CollectOptions,
    CollectResult, GLOBAL_REGION, LogLimits, PROVIDER, Regions, Service, ServiceError, Tag,
};

use crate::ctx::{ApiError, Ctx};
use crate::session::Session;

type Job<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Collects the inventory of the account `creds` reach.
///
/// Fails only when the caller identity cannot be established (bad or expired
/// credentials, a role that cannot be assumed) or the enabled regions cannot
/// be listed: then nothing was collected and the server must not treat the
/// account as empty. Everything else is recorded in
/// [`CollectResult::errors`].
pub async fn collect(
    creds: &AwsCredentials,
    opts: &CollectOptions,
) -> Result<CollectResult, CollectError> {
    validate(creds, opts)?;
    let session = Session::new(creds, opts).await;
    let home = session.region(&opts.home_region);
    let (account_id, caller_arn) = caller_identity(&home).await?;
    let mut regions = match &creds.regions {
        Regions::List(list) => list.clone(),
        Regions::AllEnabled => enabled_regions_with(&home).await?,
    };
    // A region listed twice would be collected twice.
    let mut seen = std::collections::HashSet::new();
    regions.retain(|r| seen.insert(r.clone()));
    let partition = caller_arn
        .split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_owned();
    let now_secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    tracing::info!(account_id = %account_id, regions = regions.len(), "collecting AWS inventory");

    let ctx = Ctx::new(account_id.clone(), partition, opts.concurrency, now_secs);
    let configs: Vec<(String, SdkConfig)> = regions
        .iter()
        .map(|r| (r.clone(), session.region(r)))
        .collect();

    let mut jobs: Vec<Job<'_>> = Vec::new();
    if opts.wants(Service::Iam) {
        jobs.push(Box::pin(iam::collect(&ctx, &home)));
    }
    if opts.wants(Service::S3) {
        jobs.push(Box::pin(s3::collect(
            &ctx,
            &session,
            &opts.home_region,
            &regions,
        )));
    }
    for (region, cfg) in &configs {
        let region = region.as_str();
        if opts.wants(Service::IdentityCenter) {
            jobs.push(Box::pin(sso::collect(&ctx, cfg, region)));
        }
        if opts.wants(Service::Ec2) {
            jobs.push(Box::pin(ec2::collect(&ctx, cfg, region)));
        }
        if opts.wants(Service::Lambda) {
            jobs.push(Box::pin(lambda::collect(&ctx, cfg, region)));
        }
        if opts.wants(Service::Rds) {
            jobs.push(Box::pin(databases::collect_rds(&ctx, cfg, region)));
        }
        if opts.wants(Service::Redshift) {
            jobs.push(Box::pin(databases::collect_redshift(&ctx, cfg, region)));
        }
        if opts.wants(Service::OpenSearch) {
            jobs.push(Box::pin(databases::collect_opensearch(&ctx, cfg, region)));
        }
        if opts.wants(Service::Eks) {
            jobs.push(Box::pin(eks::collect(&ctx, cfg, region)));
        }
        if opts.wants(Service::Ecs) {
            jobs.push(Box::pin(ecs::collect_ecs(&ctx, cfg, region)));
        }
        if opts.wants(Service::Ecr) {
            jobs.push(Box::pin(ecs::collect_ecr(&ctx, cfg, region)));
        }
        if opts.wants(Service::CloudTrail) {
            jobs.push(Box::pin(logging::collect_cloudtrail(&ctx, cfg, region)));
        }
        if opts.wants(Service::Kms) {
            jobs.push(Box::pin(logging::collect_kms(&ctx, cfg, region)));
        }
    }
    // The futures interleave on this task; the semaphore inside `Ctx`, not
    // the number of jobs, bounds the requests in flight.
    join_all(jobs).await;
    // The log files' locations come from the flow logs and trails just collected.
    if opts.wants(Service::Logs) || opts.wants(Service::CloudWatchLogs) {
        logs::collect(&ctx, &session, opts, &regions).await;
    }

    let (mut assets, mut supporting, errors) = ctx.into_parts();
    if analysis::external_access::SERVICES
        .iter()
        .any(|s| opts.wants(*s))
    {
        let mut findings = analysis::external_access(&account_id, &assets, &supporting);
        analysis::mark_trusted(&mut findings, &opts.trusted_accounts);
        assets.extend(findings);
    }
    if opts.wants(Service::Logs) {
        let events = assets
            .iter()
            .filter(|a| a.search_key == keys::AWS_ACTIVITY_LOG);
        let found = analysis::anomalies(&account_id, events);
        assets.extend(found);
    }
    // Deterministic order for storage diffs and tests.
    let order = |a: &Asset, b: &Asset| {
        (&a.search_key, &a.region, &a.resource_id).cmp(&(&b.search_key, &b.region, &b.resource_id))
    };
    assets.sort_by(order);
    supporting.sort_by(order);
    let account = logging::summarise(opts, &assets, &supporting, &errors);
    Ok(CollectResult {
        account_id,
        caller_arn,
        regions,
        assets,
        supporting,
        account,
        errors,
    })
}

/// The regions enabled for the account (`ec2:DescribeRegions`), sorted.
pub async fn enabled_regions(
    creds: &AwsCredentials,
    opts: &CollectOptions,
) -> Result<Vec<String>, CollectError> {
    validate(creds, opts)?;
    let session = Session::new(creds, opts).await;
    enabled_regions_with(&session.region(&opts.home_region)).await
}

fn validate(creds: &AwsCredentials, opts: &CollectOptions) -> Result<(), CollectError> {
    if opts.concurrency == 0 {
        return Err(CollectError::Config(
            "concurrency must be at least 1".into(),
        ));
    }
    if opts.home_region.trim().is_empty() {
        return Err(CollectError::Config("home region is empty".into()));
    }
    if let Regions::List(list) = &creds.regions {
        if list.is_empty() {
            return Err(CollectError::Config("the region list is empty".into()));
        }
        if let Some(bad) = list
            .iter()
            .find(|r| r.is_empty() || !r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(CollectError::Config(format!("invalid region name `{bad}`")));
        }
    }
    if let Some(url) = &creds.endpoint_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(CollectError::Config(format!(
            "endpoint URL `{url}` must start with http:// or https://"
        )));
    }
    Ok(())
}

async fn caller_identity(home: &SdkConfig) -> Result<(String, String), CollectError> {
    let sts = aws_sdk_sts::Client::new(home);
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| CollectError::Identity(ApiError::from_sdk(&e).message))?;
    let account = out
        .account()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| CollectError::Identity("GetCallerIdentity returned no account".into()))?;
    Ok((account.to_owned(), out.arn().unwrap_or_default().to_owned()))
}

async fn enabled_regions_with(home: &SdkConfig) -> Result<Vec<String>, CollectError> {
    let ec2 = aws_sdk_ec2::Client::new(home);
    // Without `AllRegions`, DescribeRegions returns only the regions enabled
    // for the account (opt-in regions the account has not opted into are left out).
    let out = ec2
        .describe_regions()
        .send()
        .await
        .map_err(|e| CollectError::Regions(ApiError::from_sdk(&e).message))?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| r.opt_in_status().is_none_or(|s| s != "not-opted-in"))
        .filter_map(|r| r.region_name().map(str::to_owned))
        .collect();
    regions.sort();
    regions.dedup();
    if regions.is_empty() {
        return Err(CollectError::Regions(
            "DescribeRegions returned no region".into(),
        ));
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(regions: Regions, endpoint: Option<&str>) -> AwsCredentials {
        AwsCredentials {
            auth: AwsAuth::StaticKeys {
                access_key_id: "AKIAEXAMPLEKEY".into(),
                secret_access_key: "very-secret-value".into(),
                session_token: Some("token-value".into()),
            },
            assume_role: Some(AssumeRole {
                role_arn: "arn:aws:iam::1:role/audit".into(),
                external_id: Some("ext-id-value".into()),
                session_name: None,
            }),
            endpoint_url: endpoint.map(str::to_owned),
            regions,
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let text = format!("{:?}", creds(Regions::AllEnabled, None));
        for secret in [
            "very-secret-value",
            "token-value",
            "ext-id-value",
            "AKIAEXAMPLEKEY",
        ] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
        assert!(text.contains("arn:aws:iam::1:role/audit"));
    }

    #[test]
    fn credentials_round_trip_through_serde() {
        let c = creds(
            Regions::List(vec!["eu-west-1".into()]),
            Some("http://127.0.0.1:5000"),
        );
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["auth"]["type"], "staticKeys");
        assert_eq!(json["regions"]["regions"][0], "eu-west-1");
        let back: AwsCredentials = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn validation() {
        let opts = CollectOptions::default();
        assert!(validate(&creds(Regions::AllEnabled, None), &opts).is_ok());
        assert!(validate(&creds(Regions::List(vec![]), None), &opts).is_err());
        assert!(validate(&creds(Regions::List(vec!["eu west".into()]), None), &opts).is_err());
        assert!(validate(&creds(Regions::AllEnabled, Some("127.0.0.1:5000")), &opts).is_err());
        let zero = CollectOptions {
            concurrency: 0,
            ..CollectOptions::default()
        };
        assert!(validate(&creds(Regions::AllEnabled, None), &zero).is_err());
    }
}
