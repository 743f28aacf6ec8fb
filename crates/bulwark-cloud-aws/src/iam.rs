//! IAM (global): the authorization snapshot (`GetAccountAuthorizationDetails`),
//! groups (`AWS_GROUP`) and roles (`AWS_ROLE`). Users are in [`crate::iam_users`].

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_iam::Client;
use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
use aws_sdk_iam::types::{AttachedPolicy, EntityType, PolicyDetail, Tag as IamTag};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope, tags_from};
use crate::iam_users;
use crate::keys::{AWS_GROUP, AWS_ROLE, AWS_USER};
use crate::model::{GLOBAL_REGION, Service, Tag};
use crate::policy;
use crate::util::{date, s};

/// AWS's own full-access policy; its document is not fetched, so it is known by ARN.
const ADMINISTRATOR_ACCESS: &str = ":aws:policy/AdministratorAccess";

pub(crate) fn iam_tags(tags: &[IamTag]) -> Vec<Tag> {
    tags_from(tags, |t| Some(t.key()), |t| Some(t.value()))
}

/// The account's authorization snapshot, indexed for the builders.
pub(crate) struct Snapshot {
    pub pages: Vec<GetAccountAuthorizationDetailsOutput>,
    /// Default-version documents of customer managed policies, by ARN.
    pub local_policies: HashMap<String, Value>,
    /// Policies and admin flag of each group, by name.
    pub groups: HashMap<String, GroupPolicies>,
}

#[derive(Default, Clone)]
pub(crate) struct GroupPolicies {
    pub policy_names: Vec<String>,
    pub admin: bool,
}

impl Snapshot {
    /// Whether an attached managed policy grants `*` on `*`.
    pub(crate) fn managed_is_admin(&self, p: &AttachedPolicy) -> bool {
        let arn = p.policy_arn().unwrap_or_default();
        arn.ends_with(ADMINISTRATOR_ACCESS)
            || self
                .local_policies
                .get(arn)
                .is_some_and(policy::grants_full_admin)
    }

    /// Whether any of these attached or inline policies grants `*` on `*`.
    pub(crate) fn any_admin(&self, attached: &[AttachedPolicy], inline: &[PolicyDetail]) -> bool {
        attached.iter().any(|p| self.managed_is_admin(p))
            || inline
                .iter()
                .filter_map(|p| p.policy_document())
                .filter_map(policy::parse_document)
                .any(|d| policy::grants_full_admin(&d))
    }
}

pub(crate) fn attached_json(list: &[AttachedPolicy]) -> Vec<Value> {
    list.iter()
        .map(|p| json!({"policyName": p.policy_name(), "policyArn": p.policy_arn()}))
        .collect()
}

pub(crate) fn inline_json(list: &[PolicyDetail]) -> Vec<Value> {
    list.iter()
        .map(|p| {
            json!({
                "policyName": p.policy_name(),
                "document": p.policy_document().and_then(policy::parse_document),
            })
        })
        .collect()
}

pub(crate) fn policy_names(attached: &[AttachedPolicy], inline: &[PolicyDetail]) -> Vec<String> {
    attached
        .iter()
        .filter_map(|p| p.policy_name())
        .chain(inline.iter().filter_map(|p| p.policy_name()))
        .map(str::to_owned)
        .collect()
}

/// Collects users, groups and roles.
pub(crate) async fn collect(ctx: &Ctx, cfg: &SdkConfig) {
    let client = Client::new(cfg);
    let scope = Scope {
        service: Service::Iam,
        region: GLOBAL_REGION,
    };
    // One paginated call returns every user, group and role with their
    // inline and attached policies, instead of several calls per principal.
    // AWS managed policies are left out: their versions are megabytes.
    let pages = ctx
        .pages(
            client
                .get_account_authorization_details()
                .filter(EntityType::User)
                .filter(EntityType::Group)
                .filter(EntityType::Role)
                .filter(EntityType::LocalManagedPolicy)
                .into_paginator()
                .send(),
        )
        .await;
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            ctx.fail_list(
                scope,
                "GetAccountAuthorizationDetails",
                &[AWS_USER, AWS_GROUP, AWS_ROLE],
                &e,
            );
            return;
        }
    };
    let snapshot = index(pages);
    groups(ctx, &snapshot);
    roles(ctx, &snapshot);
    iam_users::collect(ctx, &client, scope, &snapshot).await;
}

fn index(pages: Vec<GetAccountAuthorizationDetailsOutput>) -> Snapshot {
    let mut snapshot = Snapshot {
        pages,
        local_policies: HashMap::new(),
        groups: HashMap::new(),
    };
    let mut local = HashMap::new();
    for p in snapshot.pages.iter().flat_map(|p| p.policies()) {
        let (Some(arn), Some(default)) = (p.arn(), p.default_version_id()) else {
            continue;
        };
        let doc = p
            .policy_version_list()
            .iter()
            .find(|v| v.version_id() == Some(default))
            .and_then(|v| v.document())
            .and_then(policy::parse_document);
        if let Some(doc) = doc {
            local.insert(arn.to_owned(), doc);
        }
    }
    snapshot.local_policies = local;
    let mut groups = HashMap::new();
    for g in snapshot.pages.iter().flat_map(|p| p.group_detail_list()) {
        let Some(name) = g.group_name() else { continue };
        let entry = GroupPolicies {
            policy_names: policy_names(g.attached_managed_policies(), g.group_policy_list()),
            admin: snapshot.any_admin(g.attached_managed_policies(), g.group_policy_list()),
        };
        groups.insert(name.to_owned(), entry);
    }
    snapshot.groups = groups;
    snapshot
}

fn groups(ctx: &Ctx, snap: &Snapshot) {
    // Membership is only listed on the users' side of the snapshot.
    let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
    for u in snap.pages.iter().flat_map(|p| p.user_detail_list()) {
        for g in u.group_list() {
            members.entry(g.as_str()).or_default().extend(u.user_name());
        }
    }
    for g in snap.pages.iter().flat_map(|p| p.group_detail_list()) {
        let Some(name) = g.group_name() else { continue };
        let users = members.get(name).cloned().unwrap_or_default();
        let data = json!({
            "groupName": name,
            "groupId": g.group_id(),
            "arn": g.arn(),
            "path": g.path(),
            "createDate": date(g.create_date()),
            "users": users,
            "userCount": users.len(),
            "attachedManagedPolicies": attached_json(g.attached_managed_policies()),
            "attachedManagedPolicyCount": g.attached_managed_policies().len(),
            "inlinePolicies": inline_json(g.group_policy_list()),
            "groupPolicyCount": g.group_policy_list().len(),
            "attachedPolicies": policy_names(g.attached_managed_policies(), g.group_policy_list()),
            "hasAdminAccess": snap.any_admin(g.attached_managed_policies(), g.group_policy_list()),
        });
        let mut asset = ctx.asset(AWS_GROUP, GLOBAL_REGION, name, name);
        asset.arn = g.arn().map(str::to_owned);
        asset.data = data;
        ctx.push(asset);
    }
}

fn roles(ctx: &Ctx, snap: &Snapshot) {
    for r in snap.pages.iter().flat_map(|p| p.role_detail_list()) {
        let Some(name) = r.role_name() else { continue };
        let trust = r
            .assume_role_policy_document()
            .and_then(policy::parse_document);
        let principals = trust
            .as_ref()
            .map(policy::allowed_principals)
            .unwrap_or_default();
        // Other accounts that may assume the role (confused-deputy and
        // lateral-movement checks look at these).
        let own = format!(":{}:", ctx.account_id);
        let cross_account: Vec<&str> = principals
            .iter()
            .filter_map(|p| p.strip_prefix("AWS:"))
            .filter(|p| *p != "*" && !p.contains(&own) && *p != ctx.account_id)
            .collect();
        let public = trust.as_ref().is_some_and(policy::allows_public);
        let data = json!({
            "roleName": name,
            "roleId": r.role_id(),
            "arn": r.arn(),
            "path": r.path(),
            "createDate": date(r.create_date()),
            "assumeRolePolicyDocument": trust,
            "trustedPrincipals": principals,
            "trustedServices": principals.iter().filter_map(|p| p.strip_prefix("Service:")).collect::<Vec<_>>(),
            "crossAccountPrincipals": cross_account,
            "requiresExternalId": trust.as_ref().is_some_and(policy::requires_external_id),
            "allowsPublicAssume": public,
            "isServiceLinked": r.path().is_some_and(|p| p.starts_with("/aws-service-role/")),
            "attachedManagedPolicies": attached_json(r.attached_managed_policies()),
            "attachedManagedPolicyCount": r.attached_managed_policies().len(),
            "inlinePolicies": inline_json(r.role_policy_list()),
            "rolePolicyCount": r.role_policy_list().len(),
            "attachedPolicies": policy_names(r.attached_managed_policies(), r.role_policy_list()),
            "hasAdminAccess": snap.any_admin(r.attached_managed_policies(), r.role_policy_list()),
            "instanceProfiles": r.instance_profile_list().iter().map(|p| p.arn()).collect::<Vec<_>>(),
            "permissionsBoundary": s(r.permissions_boundary().and_then(|b| b.permissions_boundary_arn())),
            "lastUsedDate": date(r.role_last_used().and_then(|u| u.last_used_date())),
            "lastUsedRegion": s(r.role_last_used().and_then(|u| u.region())),
        });
        let mut asset = ctx.asset(AWS_ROLE, GLOBAL_REGION, name, name);
        asset.arn = r.arn().map(str::to_owned);
        asset.tags = iam_tags(r.tags());
        asset.is_public = Some(public);
        asset.data = data;
        ctx.push(asset);
    }
}
