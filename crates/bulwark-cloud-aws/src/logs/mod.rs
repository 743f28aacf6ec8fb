//! Log files in S3 ([`Service::Logs`]): VPC flow-log records become
//! `AWS_INCOMING_TRAFFIC` / `AWS_OUTGOING_TRAFFIC`, CloudTrail events
//! `AWS_ACTIVITY_LOG`.
//!
//! Runs after the other collectors, because the flow logs and trails they
//! found say where the files are:
//! * flow logs with an S3 destination: `{prefix}AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{mm}/{dd}/`
//!   (or the Hive-compatible `aws-account-id=…/aws-service=vpcflowlogs/…`),
//!   files named `…_vpcflowlogs_{region}_{flow-log-id}_…log.gz`;
//! * trails: `{prefix}AWSLogs/{account}/CloudTrail/{region}/{yyyy}/{mm}/{dd}/`,
//!   organization trails under `AWSLogs/{org-id}/{account}/…`.
//!
//! Only the files of the lookback window are read, newest first, within
//! [`LogLimits`]; those keys are events, so the server never marks them
//! missing when a later window no longer contains them.

mod cwl;
mod flow;
mod reader;
mod trail;

use std::collections::BTreeMap;

use futures_util::future::join_all;
use serde_json::Value;

use crate::ctx::{Ctx, Scope};
use crate::keys::{
    AWS_ACTIVITY_LOG, AWS_INCOMING_TRAFFIC, AWS_OUTGOING_TRAFFIC, AWS_VPC, AWS_X_CLOUDTRAIL_TRAIL,
    AWS_X_FLOW_LOG, AWS_X_NETWORK_INTERFACE,
};
use crate::model::{Asset, CollectOptions, Service};
use crate::session::Session;
use flow::{Flows, Interface, Network};
use reader::{Listed, Reader, split_s3_arn, with_slash};
use trail::Events;

pub(super) const TRAFFIC: [&str; 2] = [AWS_INCOMING_TRAFFIC, AWS_OUTGOING_TRAFFIC];
/// Files fetched at once per source; bounds memory as well as requests.
const BATCH: usize = 4;

/// Reads the log files and pushes their assets into `ctx`.
pub(crate) async fn collect(
    ctx: &Ctx,
    session: &Session,
    opts: &CollectOptions,
    regions: &[String],
) {
    let limits = &opts.logs;
    let reader = Reader::new(ctx, session, &opts.home_region, limits);
    let supporting = ctx.supporting_of(&[
        AWS_X_FLOW_LOG,
        AWS_X_CLOUDTRAIL_TRAIL,
        AWS_X_NETWORK_INTERFACE,
    ]);
    let vpcs = ctx.assets_of(&[AWS_VPC]);
    let network = network(&supporting, &vpcs);

    let mut flows = Flows::new(&ctx.account_id, &network, limits.max_flows);
    for fl in supporting.iter().filter(|a| a.search_key == AWS_X_FLOW_LOG) {
        match fl.data["logDestinationType"].as_str() {
            Some("s3") if opts.wants(Service::Logs) => read_flow_log(&reader, fl, &mut flows).await,
            Some("cloud-watch-logs") if opts.wants(Service::CloudWatchLogs) => {
                cwl::read_flow_log(ctx, session, limits, fl, &mut flows).await;
            }
            _ => {}
        }
    }
    if flows.dropped > 0 {
        note(
            ctx,
            GLOBAL_SCOPE,
            "ReadFlowLogs",
            &TRAFFIC,
            format!(
                "{} flow records beyond the limit of {} connections were not read",
                flows.dropped, limits.max_flows
            ),
        );
    }
    for a in flows.into_assets() {
        ctx.push(a);
    }

    let mut events = Events::new(&ctx.account_id, regions, limits.max_events);
    // Trails writing to the same place deliver the same files once.
    let mut destinations: BTreeMap<(String, String), (String, bool)> = BTreeMap::new();
    for t in supporting
        .iter()
        .filter(|a| a.search_key == AWS_X_CLOUDTRAIL_TRAIL)
    {
        let Some(bucket) = t.data["s3BucketName"].as_str() else {
            continue;
        };
        let prefix = with_slash(t.data["s3KeyPrefix"].as_str().unwrap_or(""));
        let org = t.data["isOrganizationTrail"] == Value::Bool(true);
        let entry = destinations
            .entry((bucket.to_owned(), prefix))
            .or_insert_with(|| (t.name.clone(), org));
        entry.1 |= org;
    }
    if !opts.wants(Service::Logs) {
        destinations.clear();
    }
    for ((bucket, prefix), (name, org)) in &destinations {
        read_trail(&reader, regions, bucket, prefix, name, *org, &mut events).await;
    }
    if events.dropped > 0 {
        note(
            ctx,
            GLOBAL_SCOPE,
            "ReadCloudTrailLogs",
            &[AWS_ACTIVITY_LOG],
            format!(
                "{} events beyond the limit of {} were not read",
                events.dropped, limits.max_events
            ),
        );
    }
    for a in events.into_assets() {
        ctx.push(a);
    }
}

const GLOBAL_SCOPE: Scope<'static> = Scope {
    service: Service::Logs,
    region: crate::model::GLOBAL_REGION,
};

pub(super) fn note(ctx: &Ctx, scope: Scope<'_>, operation: &str, keys: &[&str], message: String) {
    ctx.fail_list(
        scope,
        operation,
        keys,
        &crate::ctx::ApiError {
            code: None,
            message,
        },
    );
}

/// The interfaces' addresses and the VPCs' ranges, to tell which side of a
/// flow record is the account's.
fn network(supporting: &[Asset], vpcs: &[Asset]) -> Network {
    let mut net = Network::default();
    for n in supporting
        .iter()
        .filter(|a| a.search_key == AWS_X_NETWORK_INTERFACE)
    {
        let d = &n.data;
        let addresses = ["privateIp", "publicIp"]
            .iter()
            .filter_map(|f| d[*f].as_str().map(str::to_owned))
            .collect();
        let text = |f: &str| d[f].as_str().map(str::to_owned);
        net.interfaces.insert(
            n.resource_id.clone(),
            Interface {
                addresses,
                vpc_id: text("vpcId"),
                subnet_id: text("subnetId"),
                instance_id: text("attachedInstanceId"),
            },
        );
    }
    for v in vpcs {
        let cidrs = v.data["cidrBlocks"].as_array().cloned().unwrap_or_default();
        for c in cidrs.iter().chain(std::iter::once(&v.data["cidrBlock"])) {
            if let Some(net_range) = c.as_str().and_then(|c| c.parse().ok()) {
                net.vpc_ranges.push((net_range, v.resource_id.clone()));
            }
        }
    }
    net
}

async fn read_flow_log(reader: &Reader<'_>, fl: &Asset, flows: &mut Flows<'_>) {
    let ctx = reader.ctx;
    let d = &fl.data;
    let scope = Scope {
        service: Service::Logs,
        region: &fl.region,
    };
    let id = fl.resource_id.as_str();
    let Some((bucket, prefix)) = d["logDestination"].as_str().and_then(split_s3_arn) else {
        return note(
            ctx,
            scope,
            "ReadFlowLogs",
            &TRAFFIC,
            format!("flow log {id}: unreadable destination"),
        );
    };
    if d["destinationOptions"]["fileFormat"].as_str() == Some("parquet") {
        return note(
            ctx,
            scope,
            "ReadFlowLogs",
            &TRAFFIC,
            format!("flow log {id} delivers Parquet files; only plain-text flow logs are read"),
        );
    }
    let hive = d["destinationOptions"]["hiveCompatiblePartitions"] == Value::Bool(true);
    let (account, region) = (&ctx.account_id, &fl.region);
    let prefixes: Vec<String> = reader
        .days()
        .into_iter()
        .map(|(y, m, dd)| {
            if hive {
                format!("{prefix}AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/year={y}/month={m}/day={dd}/")
            } else {
                format!("{prefix}AWSLogs/{account}/vpcflowlogs/{region}/{y}/{m}/{dd}/")
            }
        })
        .collect();
    // Several flow logs may share a destination; the file name says whose it is.
    let marker = format!("_{id}_");
    let format = d["logFormat"].as_str();
    let (mut unreadable, mut files_read) = (0_u64, 0_usize);
    let src = Source {
        scope,
        bucket: &bucket,
        operation: "ReadFlowLogs",
        keys: &TRAFFIC,
    };
    read_files(
        reader,
        &src,
        &prefixes,
        |k| k.contains(&marker),
        |key, body| {
            files_read += 1;
            match std::str::from_utf8(body) {
                Ok(text) => unreadable += flows.add_file(region, id, format, text).unreadable,
                Err(_) => {
                    unreadable += 1;
                    tracing::debug!(key, "flow-log file is not UTF-8");
                }
            }
        },
    )
    .await;
    if unreadable > 0 {
        note(
            ctx,
            scope,
            "ReadFlowLogs",
            &TRAFFIC,
            format!("flow log {id}: {unreadable} unreadable records in {files_read} files"),
        );
    }
}

async fn read_trail(
    reader: &Reader<'_>,
    regions: &[String],
    bucket: &str,
    prefix: &str,
    trail: &str,
    org: bool,
    events: &mut Events<'_>,
) {
    let ctx = reader.ctx;
    let scope = GLOBAL_SCOPE;
    let client = match reader.client(bucket).await {
        Ok(c) => c,
        Err(e) => {
            return ctx.fail_list(scope, "GetBucketLocation", &[AWS_ACTIVITY_LOG], &e);
        }
    };
    // An organization trail files each member account under the org id.
    let mut roots = vec![format!("{prefix}AWSLogs/")];
    if org {
        match ctx
            .pages(
                client
                    .list_objects_v2()
                    .bucket(bucket)
                    .prefix(format!("{prefix}AWSLogs/o-"))
                    .delimiter("/")
                    .into_paginator()
                    .send(),
            )
            .await
        {
            Ok(pages) => roots.extend(
                pages
                    .iter()
                    .flat_map(|p| p.common_prefixes())
                    .filter_map(|c| c.prefix().map(str::to_owned)),
            ),
            Err(e) => ctx.fail_detail(scope, "ListObjectsV2", bucket, &e),
        }
    }
    let account = &ctx.account_id;
    // Global services deliver under us-east-1.
    let mut read_regions: Vec<&str> = regions.iter().map(String::as_str).collect();
    if !read_regions.contains(&"us-east-1") {
        read_regions.push("us-east-1");
    }
    let mut prefixes = Vec::new();
    for root in &roots {
        for region in &read_regions {
            for (y, m, d) in reader.days() {
                prefixes.push(format!("{root}{account}/CloudTrail/{region}/{y}/{m}/{d}/"));
            }
        }
    }
    let mut bad = 0_usize;
    let src = Source {
        scope,
        bucket,
        operation: "ReadCloudTrailLogs",
        keys: &[AWS_ACTIVITY_LOG],
    };
    let is_log = |k: &str| k.ends_with(".json.gz") || k.ends_with(".json");
    read_files(reader, &src, &prefixes, is_log, |key, body| {
        if let Err(e) = events.add_file(trail, body) {
            bad += 1;
            tracing::debug!(key, error = %e, "not a CloudTrail log file");
        }
    })
    .await;
    if bad > 0 {
        note(
            ctx,
            scope,
            "ReadCloudTrailLogs",
            &[AWS_ACTIVITY_LOG],
            format!(
                "trail {trail}: {bad} files in s3://{bucket}/{prefix} are not CloudTrail log files"
            ),
        );
    }
}

/// One log source's files: where they are, and how failures are recorded.
struct Source<'a> {
    scope: Scope<'a>,
    bucket: &'a str,
    operation: &'a str,
    keys: &'a [&'a str],
}

impl Source<'_> {
    fn note(&self, ctx: &Ctx, message: String) {
        note(ctx, self.scope, self.operation, self.keys, message);
    }
}

/// Lists the window's files of one source and hands each to `each` as it is read
/// (at most [`BATCH`] bodies are held at once), within the limits, recording what
/// could not be read.
async fn read_files(
    reader: &Reader<'_>,
    src: &Source<'_>,
    prefixes: &[String],
    keep: impl Fn(&str) -> bool,
    mut each: impl FnMut(&str, &[u8]),
) {
    let (ctx, bucket) = (reader.ctx, src.bucket);
    let client = match reader.client(bucket).await {
        Ok(c) => c,
        Err(e) => return ctx.fail_list(src.scope, "GetBucketLocation", src.keys, &e),
    };
    let listed = match reader.list(&client, bucket, prefixes, keep).await {
        Ok(l) => l,
        Err(e) => return ctx.fail_list(src.scope, "ListObjectsV2", src.keys, &e),
    };
    let limits = reader.limits;
    let (mut budget, mut read) = (limits.max_bytes_per_source, 0_usize);
    let total = listed.len();
    let mut taken: Vec<&Listed> = listed.iter().take(limits.max_objects_per_source).collect();
    'batches: while !taken.is_empty() {
        let rest = taken.split_off(taken.len().min(BATCH));
        let batch = std::mem::replace(&mut taken, rest);
        let bodies = join_all(batch.iter().map(|f| reader.read(&client, bucket, f))).await;
        for (file, body) in batch.into_iter().zip(bodies) {
            match body {
                Ok(body) => {
                    let size = body.len() as u64;
                    if size > budget {
                        src.note(ctx, format!(
                            "s3://{bucket}: stopped at {read} of {total} files, the {} byte limit per source was reached",
                            limits.max_bytes_per_source
                        ));
                        break 'batches;
                    }
                    budget -= size;
                    read += 1;
                    each(&file.key, &body);
                }
                Err(e) => src.note(ctx, format!("s3://{bucket}/{}: {e}", file.key)),
            }
        }
    }
    if total > limits.max_objects_per_source {
        src.note(
            ctx,
            format!(
                "s3://{bucket}: only the newest {} of {total} files in the window were read",
                limits.max_objects_per_source
            ),
        );
    }
}
