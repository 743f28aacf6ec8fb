//! ECS and ECR in one region: task definitions (`AWS_TASK_DEFINITION`), the
//! container definitions of Fargate task definitions (`AWS_CONTAINER_FARGATE`)
//! and ECR repositories (`IMAGE_REGISTRY`).

use aws_config::SdkConfig;
use aws_sdk_ecr::types::Repository;
use aws_sdk_ecs::types::{
    ContainerDefinition, TaskDefinition, TaskDefinitionFamilyStatus, TaskDefinitionField,
};
use futures_util::future::{join, join_all};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope, tags_from};
use crate::keys::{AWS_CONTAINER_FARGATE, AWS_TASK_DEFINITION, IMAGE_REGISTRY};
use crate::model::{Service, Tag};
use crate::policy;
use crate::util::date;

pub(crate) async fn collect_ecs(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_ecs::Client::new(cfg);
    let scope = Scope {
        service: Service::Ecs,
        region,
    };
    // The latest ACTIVE revision of each family: older revisions are history,
    // and an account can hold thousands of them.
    let families: Vec<String> = match ctx
        .pages(
            client
                .list_task_definition_families()
                .status(TaskDefinitionFamilyStatus::Active)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(pages) => pages.iter().flat_map(|p| p.families()).cloned().collect(),
        Err(e) => {
            ctx.fail_list(
                scope,
                "ListTaskDefinitionFamilies",
                &[AWS_TASK_DEFINITION, AWS_CONTAINER_FARGATE],
                &e,
            );
            return;
        }
    };
    join_all(families.iter().map(|family| {
        let client = &client;
        async move {
            match ctx
                .call(
                    client
                        .describe_task_definition()
                        .task_definition(family)
                        .include(TaskDefinitionField::Tags)
                        .send(),
                )
                .await
            {
                Ok(out) => {
                    let tags = tags_from(out.tags(), |t| t.key(), |t| t.value());
                    if let Some(td) = out.task_definition() {
                        task_definition(ctx, region, td, &tags);
                    }
                }
                Err(e) => ctx.fail_item(
                    scope,
                    "DescribeTaskDefinition",
                    family,
                    &[AWS_TASK_DEFINITION, AWS_CONTAINER_FARGATE],
                    &e,
                ),
            }
        }
    }))
    .await;
}

fn task_definition(ctx: &Ctx, region: &str, td: &TaskDefinition, tags: &[Tag]) {
    let (Some(arn), Some(family)) = (td.task_definition_arn(), td.family()) else {
        return;
    };
    let revision = td.revision();
    let id = format!("{family}:{revision}");
    let fargate = td
        .requires_compatibilities()
        .iter()
        .any(|c| c.as_str() == "FARGATE");
    let privileged = td
        .container_definitions()
        .iter()
        .any(|c| c.privileged() == Some(true));
    let data = json!({
        "taskDefinitionArn": arn,
        "family": family,
        "revision": revision,
        "status": td.status().map(|s| s.as_str()),
        "requiresCompatibilities": td.requires_compatibilities().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "compatibilities": td.compatibilities().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "isFargate": fargate,
        "networkMode": td.network_mode().map(|m| m.as_str()),
        "cpu": td.cpu(),
        "memory": td.memory(),
        "taskRoleArn": td.task_role_arn(),
        "executionRoleArn": td.execution_role_arn(),
        "pidMode": td.pid_mode().map(|m| m.as_str()),
        "ipcMode": td.ipc_mode().map(|m| m.as_str()),
        "containerNames": td.container_definitions().iter().filter_map(|c| c.name()).collect::<Vec<_>>(),
        "containerCount": td.container_definitions().len(),
        "hasPrivilegedContainer": privileged,
        "registeredAt": date(td.registered_at()),
    });
    let mut asset = ctx.asset(AWS_TASK_DEFINITION, region, id.clone(), id.clone());
    asset.arn = Some(arn.to_owned());
    asset.tags = tags.to_vec();
    asset.data = data;
    ctx.push(asset);

    if fargate {
        for c in td.container_definitions() {
            container(ctx, region, td, &id, c, tags);
        }
    }
}

fn container(
    ctx: &Ctx,
    region: &str,
    td: &TaskDefinition,
    td_id: &str,
    c: &ContainerDefinition,
    tags: &[Tag],
) {
    let Some(name) = c.name() else { return };
    // Values of plain environment variables routinely hold secrets: only the
    // names are kept. `secrets` entries are references (ARNs), not values.
    let env_names: Vec<&str> = c.environment().iter().filter_map(|kv| kv.name()).collect();
    let ports: Vec<Value> = c
        .port_mappings()
        .iter()
        .map(|p| {
            json!({
                "containerPort": p.container_port(),
                "hostPort": p.host_port(),
                "protocol": p.protocol().map(|x| x.as_str()),
            })
        })
        .collect();
    let user = c.user();
    let data = json!({
        "name": name,
        "image": c.image(),
        "taskDefinitionArn": td.task_definition_arn(),
        "family": td.family(),
        "revision": td.revision(),
        "essential": c.essential(),
        "cpu": c.cpu(),
        "memory": c.memory(),
        "privileged": c.privileged().unwrap_or(false),
        "readonlyRootFilesystem": c.readonly_root_filesystem().unwrap_or(false),
        "user": user,
        // No user means the image's default, which is root for most images.
        "runsAsRoot": user.is_none_or(|u| u == "root" || u == "0" || u.starts_with("0:")),
        "portMappings": ports,
        "environmentVariableNames": env_names,
        "secrets": c.secrets().iter().map(|s| json!({"name": s.name(), "valueFrom": s.value_from()})).collect::<Vec<_>>(),
        "logDriver": c.log_configuration().map(|l| l.log_driver().as_str()),
        "command": c.command(),
        "entryPoint": c.entry_point(),
        "capabilitiesAdded": c.linux_parameters()
            .and_then(|l| l.capabilities())
            .map(|cap| cap.add().to_vec())
            .unwrap_or_default(),
        "workingDirectory": c.working_directory(),
    });
    let id = format!("{td_id}/{name}");
    let mut asset = ctx.asset(AWS_CONTAINER_FARGATE, region, id, name);
    asset.arn = td.task_definition_arn().map(str::to_owned);
    asset.tags = tags.to_vec();
    asset.data = data;
    ctx.push(asset);
}

pub(crate) async fn collect_ecr(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let client = aws_sdk_ecr::Client::new(cfg);
    let scope = Scope {
        service: Service::Ecr,
        region,
    };
    let repos: Vec<Repository> = match ctx
        .pages(client.describe_repositories().into_paginator().send())
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.repositories())
            .cloned()
            .collect(),
        Err(e) => {
            ctx.fail_list(scope, "DescribeRepositories", &[IMAGE_REGISTRY], &e);
            return;
        }
    };
    join_all(repos.iter().map(|r| repository(ctx, &client, scope, r))).await;
}

async fn repository(ctx: &Ctx, client: &aws_sdk_ecr::Client, scope: Scope<'_>, r: &Repository) {
    let (Some(name), Some(arn)) = (r.repository_name(), r.repository_arn()) else {
        return;
    };
    let (pol, tags) = join(
        ctx.call(client.get_repository_policy().repository_name(name).send()),
        ctx.call(client.list_tags_for_resource().resource_arn(arn).send()),
    )
    .await;
    let policy_doc = match pol {
        Ok(p) => p.policy_text().and_then(policy::parse_document),
        Err(e) if e.is(&["RepositoryPolicyNotFoundException"]) => None,
        Err(e) => {
            ctx.fail_detail(scope, "GetRepositoryPolicy", name, &e);
            None
        }
    };
    let tags = match tags {
        Ok(t) => tags_from(t.tags(), |t| Some(t.key()), |t| Some(t.value())),
        Err(e) => {
            ctx.fail_detail(scope, "ListTagsForResource", name, &e);
            Vec::new()
        }
    };
    let is_public = policy_doc.as_ref().is_some_and(policy::allows_public);
    let data = json!({
        "registryType": "ECR",
        "repositoryName": name,
        "repositoryArn": arn,
        "repositoryUri": r.repository_uri(),
        "registryId": r.registry_id(),
        "createdAt": date(r.created_at()),
        "imageTagMutability": r.image_tag_mutability().map(|m| m.as_str()),
        "scanOnPush": r.image_scanning_configuration().map(|s| s.scan_on_push()),
        "encryptionType": r.encryption_configuration().map(|e| e.encryption_type().as_str()),
        "kmsKey": r.encryption_configuration().and_then(|e| e.kms_key()),
        "policy": policy_doc,
        "isPublic": is_public,
    });
    let mut asset = ctx.asset(IMAGE_REGISTRY, scope.region, name, name);
    asset.arn = Some(arn.to_owned());
    asset.tags = tags;
    asset.is_public = Some(is_public);
    asset.data = data;
    ctx.push(asset);
}
