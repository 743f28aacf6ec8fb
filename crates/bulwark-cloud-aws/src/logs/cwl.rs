//! VPC flow logs delivered to CloudWatch Logs: one log event per record, in
//! the flow log's format without a header line, one stream per interface.
//! Read with `FilterLogEvents` over the lookback window, page by page, within
//! the same byte budget as a flow log's S3 files.

use aws_sdk_cloudwatchlogs::Client;

use super::flow::Flows;
use super::{TRAFFIC, note};
use crate::ctx::{Ctx, Scope};
use crate::model::{Asset, LogLimits, Service};
use crate::session::Session;

/// The log group of a CloudWatch Logs flow log: its `logGroupName`, else the
/// name in its `arn:aws:logs:{region}:{account}:log-group:{name}[:*]` destination.
fn group_of(fl: &Asset) -> Option<String> {
    if let Some(name) = fl.data["logGroupName"].as_str().filter(|n| !n.is_empty()) {
        return Some(name.to_owned());
    }
    let arn = fl.data["logDestination"].as_str()?;
    let name = arn.split_once(":log-group:")?.1;
    Some(name.strip_suffix(":*").unwrap_or(name).to_owned()).filter(|n| !n.is_empty())
}

pub(super) async fn read_flow_log(
    ctx: &Ctx,
    session: &Session,
    limits: &LogLimits,
    fl: &Asset,
    flows: &mut Flows<'_>,
) {
    let scope = Scope {
        service: Service::CloudWatchLogs,
        region: &fl.region,
    };
    let id = fl.resource_id.as_str();
    let Some(group) = group_of(fl) else {
        return note(
            ctx,
            scope,
            "FilterLogEvents",
            &TRAFFIC,
            format!("flow log {id}: no log group"),
        );
    };
    let client = Client::new(&session.region(&fl.region));
    let now_ms = ctx.now_secs.saturating_mul(1000);
    let start_ms = limits.window_start(ctx.now_secs).saturating_mul(1000);
    let mut stream = client
        .filter_log_events()
        .log_group_name(&group)
        .start_time(start_ms)
        .end_time(now_ms)
        .into_paginator()
        .send();
    let format = fl.data["logFormat"].as_str();
    let (mut budget, mut unreadable) = (limits.max_bytes_per_source, 0_u64);
    while let Some(page) = ctx.next_page(&mut stream).await {
        let page = match page {
            Ok(p) => p,
            Err(e) => return ctx.fail_list(scope, "FilterLogEvents", &TRAFFIC, &e),
        };
        let lines: Vec<&str> = page.events().iter().filter_map(|e| e.message()).collect();
        let size: u64 = lines.iter().map(|l| l.len() as u64 + 1).sum();
        if size > budget {
            note(
                ctx,
                scope,
                "FilterLogEvents",
                &TRAFFIC,
                format!(
                    "flow log {id}: stopped reading {group}, the {} byte limit per source was reached",
                    limits.max_bytes_per_source
                ),
            );
            break;
        }
        budget -= size;
        unreadable += flows
            .add_file(&fl.region, id, format, &lines.join("\n"))
            .unreadable;
    }
    if unreadable > 0 {
        note(
            ctx,
            scope,
            "FilterLogEvents",
            &TRAFFIC,
            format!("flow log {id}: {unreadable} unreadable records in {group}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow_log(data: serde_json::Value) -> Asset {
        Asset {
            search_key: crate::keys::AWS_X_FLOW_LOG.into(),
            provider: crate::model::PROVIDER.into(),
            account_id: "1".into(),
            region: "eu-west-1".into(),
            resource_id: "fl-1".into(),
            name: "fl-1".into(),
            arn: None,
            tags: vec![],
            is_public: None,
            data,
        }
    }

    #[test]
    fn log_groups() {
        assert_eq!(
            group_of(&flow_log(json!({"logGroupName": "vpc-flow"}))).as_deref(),
            Some("vpc-flow")
        );
        assert_eq!(
            group_of(&flow_log(
                json!({"logDestination": "arn:aws:logs:eu-west-1:1:log-group:/aws/vpc/flow:*"})
            ))
            .as_deref(),
            Some("/aws/vpc/flow")
        );
        assert_eq!(
            group_of(&flow_log(json!({"logDestination": "arn:aws:s3:::bucket"}))),
            None
        );
    }
}
