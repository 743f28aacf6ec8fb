//! Lambda functions (`AWS_LAMBDA`) with their resource policy, URL and tags.

use aws_config::SdkConfig;
use aws_sdk_lambda::Client;
use aws_sdk_lambda::types::FunctionConfiguration;
use futures_util::future::{join_all, join3};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope};
use crate::keys::AWS_LAMBDA;
use crate::model::{Service, Tag};
use crate::policy;
use crate::util::{arn_name, json_string, s, tag_map};

pub(crate) async fn collect(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = Client::new(cfg);
    let scope = Scope {
        service: Service::Lambda,
        region,
    };
    let functions: Vec<FunctionConfiguration> = match ctx
        .pages(client.list_functions().into_paginator().send())
        .await
    {
        Ok(pages) => pages.iter().flat_map(|p| p.functions()).cloned().collect(),
        Err(e) => {
            ctx.fail_list(scope, "ListFunctions", &[AWS_LAMBDA], &e);
            return;
        }
    };
    join_all(functions.iter().map(|f| function(ctx, &client, scope, f))).await;
}

async fn function(ctx: &Ctx, client: &Client, scope: Scope<'_>, f: &FunctionConfiguration) {
    let (Some(name), Some(arn)) = (f.function_name(), f.function_arn()) else {
        return;
    };
    let (pol, tags, url) = join3(
        ctx.call(client.get_policy().function_name(name).send()),
        ctx.call(client.list_tags().resource(arn).send()),
        ctx.call(client.get_function_url_config().function_name(name).send()),
    )
    .await;
    // ResourceNotFoundException: no resource policy / no function URL.
    let policy_raw: Option<String> = match pol {
        Ok(p) => p.policy().map(str::to_owned),
        Err(e) if e.is(&["ResourceNotFoundException"]) => None,
        Err(e) => {
            ctx.fail_detail(scope, "GetPolicy", name, &e);
            None
        }
    };
    let policy_doc = policy_raw.as_deref().and_then(policy::parse_document);
    let policy_public = policy_doc.as_ref().is_some_and(policy::allows_public);

    let mut tags: Vec<Tag> = match tags {
        Ok(t) => t
            .tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| Tag {
                name: k.clone(),
                value: v.clone(),
            })
            .collect(),
        Err(e) => {
            ctx.fail_detail(scope, "ListTags", name, &e);
            Vec::new()
        }
    };
    tags.sort_by(|a, b| a.name.cmp(&b.name));

    let url = match url {
        Ok(u) => Some(json!({
            "url": u.function_url(),
            "authType": u.auth_type().as_str(),
        })),
        Err(e) if e.is(&["ResourceNotFoundException"]) => None,
        Err(e) => {
            ctx.fail_detail(scope, "GetFunctionUrlConfig", name, &e);
            None
        }
    };
    // A URL with AuthType NONE can be invoked by anyone who knows it.
    let url_public = url.as_ref().is_some_and(|u| u["authType"] == "NONE");
    let is_public = policy_public || url_public;

    let vpc = f.vpc_config();
    let sg_ids: Vec<&str> = vpc
        .map(|v| v.security_group_ids().iter().map(String::as_str).collect())
        .unwrap_or_default();
    // Environment values routinely hold secrets: only the names are kept.
    let mut env_names: Vec<&str> = f
        .environment()
        .and_then(|e| e.variables())
        .map(|vars| vars.keys().map(String::as_str).collect())
        .unwrap_or_default();
    env_names.sort_unstable();

    let data = json!({
        // The `/serverless` sample's AWS moreInfo.
        "functionArn": arn,
        "runtime": f.runtime().map(|r| r.as_str()),
        "role": f.role(),
        "codeSize": f.code_size(),
        "memorySize": f.memory_size(),
        "lastModified": f.last_modified(),
        "version": f.version(),
        "revisionId": f.revision_id(),
        "vpcId": vpc.and_then(|v| v.vpc_id()).filter(|v| !v.is_empty()),
        // Needs CloudTrail history, which the inventory does not read.
        "lastModifiedBy": Value::Null,
        "functionPolicy": s(policy_raw.as_deref()),
        "mappedSecurityGroupIdList": json_string(&json!(sg_ids)),
        "executionRole": f.role().map(arn_name),
        "mappedTags": json_string(&tag_map(&tags)),
        // Further attributes for search and policy checks.
        "functionName": name,
        "description": f.description(),
        "handler": f.handler(),
        "timeout": f.timeout(),
        "packageType": f.package_type().map(|p| p.as_str()),
        "architectures": f.architectures().iter().map(|a| a.as_str()).collect::<Vec<_>>(),
        "state": f.state().map(|s| s.as_str()),
        "subnetIds": vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
        "securityGroupIds": sg_ids,
        "environmentVariableNames": env_names,
        "kmsKeyArn": f.kms_key_arn(),
        "tracingMode": f.tracing_config().and_then(|t| t.mode()).map(|m| m.as_str()),
        "layers": f.layers().iter().filter_map(|l| l.arn()).collect::<Vec<_>>(),
        "functionPolicyDocument": policy_doc,
        "policyPublic": policy_public,
        "functionUrl": url,
        "isPublic": is_public,
    });
    let mut asset = ctx.asset(AWS_LAMBDA, scope.region, name, name);
    asset.arn = Some(arn.to_owned());
    asset.tags = tags;
    asset.is_public = Some(is_public);
    asset.data = data;
    ctx.push(asset);
}
