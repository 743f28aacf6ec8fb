//! IAM Identity Center (AWS SSO) users (`AWS_SSO_USER`), with their groups
//! and the permission sets assigned to them in this account.
//!
//! Identity Center lives in one region: an account (or organisation) enables
//! it in a single region, and its instance, identity store and permission
//! sets are only reachable there. Which region is not known beforehand, so
//! `ListInstances` is asked in every collected region (elsewhere it answers
//! an empty list); a home-region-only read would silently find nothing, and
//! the server would then mark the stored users missing.
//! Users are directory-wide, so their assets use [`GLOBAL_REGION`] and carry
//! the instance's region in their data, and failures are recorded under
//! [`GLOBAL_REGION`] so that [`crate::CollectResult::listing_complete`] says
//! "incomplete" for every region.
//!
//! Only this account's assignments are read (`ListAccountAssignments` for
//! `ctx.account_id`): the other accounts of an organisation are not the
//! collector's to inventory.

use std::collections::{BTreeSet, HashMap};

use aws_config::SdkConfig;
use aws_sdk_identitystore::types::{Group, User, UserStatus};
use aws_sdk_ssoadmin::types::{InstanceMetadata, PrincipalType};
use futures_util::future::{join_all, join3, join4};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope};
use crate::keys::AWS_SSO_USER;
use crate::model::{GLOBAL_REGION, Service};
use crate::policy;
use crate::util::{arn_name, date};

struct Clients<'a> {
    admin: aws_sdk_ssoadmin::Client,
    store: aws_sdk_identitystore::Client,
    scope: Scope<'a>,
    region: &'a str,
}

/// A permission set as far as a user's posture needs it.
#[derive(Debug, Default)]
struct PermissionSet {
    arn: String,
    name: String,
    /// Names of the AWS managed policies attached.
    managed: Vec<String>,
    has_inline: bool,
    /// `AdministratorAccess` attached, or an inline policy allowing `*` on `*`.
    admin: bool,
}

#[derive(Debug, PartialEq, Eq)]
enum Principal {
    User(String),
    Group(String),
}

/// One instance's groups, memberships, permission sets and this account's
/// assignments.
#[derive(Debug, Default)]
struct Directory {
    instance_arn: String,
    identity_store_id: String,
    /// group id → display name.
    group_names: HashMap<String, String>,
    /// user id → ids of the groups the user belongs to.
    user_groups: HashMap<String, Vec<String>>,
    /// permission set ARN → permission set.
    permission_sets: HashMap<String, PermissionSet>,
    /// (principal, permission set ARN) assigned in this account.
    assignments: Vec<(Principal, String)>,
}

pub(crate) async fn collect(ctx: &Ctx, cfg: &SdkConfig, region: &str) {
    let c = Clients {
        admin: aws_sdk_ssoadmin::Client::new(cfg),
        store: aws_sdk_identitystore::Client::new(cfg),
        scope: Scope {
            service: Service::IdentityCenter,
            region: GLOBAL_REGION,
        },
        region,
    };
    let instances: Vec<InstanceMetadata> = match ctx
        .pages(c.admin.list_instances().into_paginator().send())
        .await
    {
        Ok(pages) => pages.iter().flat_map(|p| p.instances()).cloned().collect(),
        Err(e) => {
            // AccessDenied is the usual answer in a member account the
            // credentials may not read Identity Center from: recorded, and
            // the listing counts as incomplete so stored users are kept.
            ctx.fail_list(c.scope, "ListInstances", &[AWS_SSO_USER], &e);
            return;
        }
    };
    join_all(instances.iter().map(|i| instance(ctx, &c, i))).await;
}

async fn instance(ctx: &Ctx, c: &Clients<'_>, i: &InstanceMetadata) {
    let (Some(arn), Some(store_id)) = (i.instance_arn(), i.identity_store_id()) else {
        return;
    };
    let (users, (group_names, user_groups), (permission_sets, assignments)) = join3(
        ctx.pages(
            c.store
                .list_users()
                .identity_store_id(store_id)
                .into_paginator()
                .send(),
        ),
        groups(ctx, c, store_id),
        permission_sets(ctx, c, arn),
    )
    .await;
    let users: Vec<User> = match users {
        Ok(pages) => pages.iter().flat_map(|p| p.users()).cloned().collect(),
        Err(e) => {
            ctx.fail_list(c.scope, "ListUsers", &[AWS_SSO_USER], &e);
            return;
        }
    };
    let dir = Directory {
        instance_arn: arn.to_owned(),
        identity_store_id: store_id.to_owned(),
        group_names,
        user_groups,
        permission_sets,
        assignments,
    };
    for u in &users {
        let mut asset = ctx.asset(
            AWS_SSO_USER,
            GLOBAL_REGION,
            u.user_id(),
            u.user_name().unwrap_or(u.user_id()),
        );
        asset.data = user_data(&dir, u, &ctx.account_id, c.region);
        ctx.push(asset);
    }
}

/// Group names, and user id → group ids.
async fn groups(
    ctx: &Ctx,
    c: &Clients<'_>,
    store_id: &str,
) -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let listed: Vec<Group> = match ctx
        .pages(
            c.store
                .list_groups()
                .identity_store_id(store_id)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(pages) => pages.iter().flat_map(|p| p.groups()).cloned().collect(),
        Err(e) => {
            ctx.fail_detail(c.scope, "ListGroups", store_id, &e);
            return Default::default();
        }
    };
    let members = join_all(listed.iter().map(|g| async move {
        let pages = ctx
            .pages(
                c.store
                    .list_group_memberships()
                    .identity_store_id(store_id)
                    .group_id(g.group_id())
                    .into_paginator()
                    .send(),
            )
            .await;
        match pages {
            Ok(pages) => pages
                .iter()
                .flat_map(|p| p.group_memberships())
                .filter_map(|m| m.member_id()?.as_user_id().ok().cloned())
                .collect(),
            Err(e) => {
                ctx.fail_detail(c.scope, "ListGroupMemberships", g.group_id(), &e);
                Vec::new()
            }
        }
    }))
    .await;
    let mut names = HashMap::new();
    let mut user_groups: HashMap<String, Vec<String>> = HashMap::new();
    for (g, users) in listed.iter().zip(members) {
        let id = g.group_id().to_owned();
        names.insert(id.clone(), g.display_name().unwrap_or(&id).to_owned());
        for u in users {
            user_groups.entry(u).or_default().push(id.clone());
        }
    }
    (names, user_groups)
}

/// The instance's permission sets and their assignments in this account.
async fn permission_sets(
    ctx: &Ctx,
    c: &Clients<'_>,
    instance_arn: &str,
) -> (HashMap<String, PermissionSet>, Vec<(Principal, String)>) {
    let arns: Vec<String> = match ctx
        .pages(
            c.admin
                .list_permission_sets()
                .instance_arn(instance_arn)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.permission_sets())
            .cloned()
            .collect(),
        Err(e) => {
            ctx.fail_detail(c.scope, "ListPermissionSets", instance_arn, &e);
            return Default::default();
        }
    };
    let read = join_all(arns.iter().map(|a| permission_set(ctx, c, instance_arn, a))).await;
    let mut sets = HashMap::new();
    let mut assignments = Vec::new();
    for (set, assigned) in read {
        assignments.extend(assigned.into_iter().map(|p| (p, set.arn.clone())));
        sets.insert(set.arn.clone(), set);
    }
    (sets, assignments)
}

async fn permission_set(
    ctx: &Ctx,
    c: &Clients<'_>,
    instance_arn: &str,
    arn: &str,
) -> (PermissionSet, Vec<Principal>) {
    let (described, managed, inline, assigned) = join4(
        ctx.call(
            c.admin
                .describe_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .send(),
        ),
        ctx.pages(
            c.admin
                .list_managed_policies_in_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .into_paginator()
                .send(),
        ),
        ctx.call(
            c.admin
                .get_inline_policy_for_permission_set()
                .instance_arn(instance_arn)
                .permission_set_arn(arn)
                .send(),
        ),
        ctx.pages(
            c.admin
                .list_account_assignments()
                .instance_arn(instance_arn)
                .account_id(&ctx.account_id)
                .permission_set_arn(arn)
                .into_paginator()
                .send(),
        ),
    )
    .await;
    let name = match described {
        Ok(out) => out
            .permission_set()
            .and_then(|p| p.name())
            .map(str::to_owned),
        Err(e) => {
            ctx.fail_detail(c.scope, "DescribePermissionSet", arn, &e);
            None
        }
    };
    let managed: Vec<(String, String)> = match managed {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.attached_managed_policies())
            .filter_map(|m| {
                let policy_arn = m.arn()?;
                let name = m.name().unwrap_or_else(|| arn_name(policy_arn));
                Some((name.to_owned(), policy_arn.to_owned()))
            })
            .collect(),
        Err(e) => {
            ctx.fail_detail(c.scope, "ListManagedPoliciesInPermissionSet", arn, &e);
            Vec::new()
        }
    };
    // AWS (and moto) answer an empty string when there is no inline policy.
    let inline: Option<String> = match inline {
        Ok(out) => out
            .inline_policy()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
        Err(e) => {
            ctx.fail_detail(c.scope, "GetInlinePolicyForPermissionSet", arn, &e);
            None
        }
    };
    let principals = match assigned {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.account_assignments())
            .filter_map(|a| {
                let id = a.principal_id()?.to_owned();
                match a.principal_type()? {
                    PrincipalType::User => Some(Principal::User(id)),
                    PrincipalType::Group => Some(Principal::Group(id)),
                    _ => None,
                }
            })
            .collect(),
        Err(e) => {
            ctx.fail_detail(c.scope, "ListAccountAssignments", arn, &e);
            Vec::new()
        }
    };
    let set = PermissionSet {
        arn: arn.to_owned(),
        // The ARN's `ps-…` id when the name could not be read.
        name: name.unwrap_or_else(|| arn_name(arn).to_owned()),
        admin: is_admin(&managed, inline.as_deref()),
        managed: managed.into_iter().map(|(name, _)| name).collect(),
        has_inline: inline.is_some(),
    };
    (set, principals)
}

/// `AdministratorAccess` attached, or an inline policy allowing `*` on `*`.
/// (Customer managed policy references live in each target account's IAM and
/// are not read here.)
fn is_admin(managed: &[(String, String)], inline: Option<&str>) -> bool {
    managed
        .iter()
        .any(|(_, arn)| arn.ends_with(":iam::aws:policy/AdministratorAccess"))
        || inline
            .and_then(policy::parse_document)
            .is_some_and(|doc| policy::grants_full_admin(&doc))
}

fn user_data(dir: &Directory, u: &User, account_id: &str, instance_region: &str) -> Value {
    let id = u.user_id();
    let mut group_ids: Vec<&str> = dir
        .user_groups
        .get(id)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let group_name = |g: &str| dir.group_names.get(g).map_or(g, String::as_str).to_owned();
    group_ids.sort_by_key(|g| group_name(g));
    group_ids.dedup();
    let groups: Vec<String> = group_ids.iter().map(|g| group_name(g)).collect();

    // (permission set, "USER" or the group's name) for every assignment
    // reaching the user, directly or through a group.
    let mut grants: Vec<(&PermissionSet, String)> = dir
        .assignments
        .iter()
        .filter_map(|(principal, set_arn)| {
            let via = match principal {
                Principal::User(u) if u == id => "USER".to_owned(),
                Principal::Group(g) if group_ids.contains(&g.as_str()) => group_name(g),
                _ => return None,
            };
            Some((dir.permission_sets.get(set_arn)?, via))
        })
        .collect();
    grants.sort_by(|a, b| (&a.0.name, &a.1).cmp(&(&b.0.name, &b.1)));
    grants.dedup_by(|a, b| a.0.arn == b.0.arn && a.1 == b.1);
    let set_names: BTreeSet<&str> = grants.iter().map(|(s, _)| s.name.as_str()).collect();
    let sets_json: Vec<Value> = grants
        .iter()
        .map(|(s, via)| {
            json!({
                "name": s.name,
                "arn": s.arn,
                "via": via,
                "managedPolicies": s.managed,
                "hasInlinePolicy": s.has_inline,
                "isAdmin": s.admin,
            })
        })
        .collect();

    let emails: Vec<Value> = u
        .emails()
        .iter()
        .map(|e| json!({"value": e.value(), "type": e.r#type(), "primary": e.primary()}))
        .collect();
    let primary_email = u
        .emails()
        .iter()
        .find(|e| e.primary())
        .or_else(|| u.emails().first())
        .and_then(|e| e.value());
    json!({
        "userId": id,
        "userName": u.user_name(),
        "displayName": u.display_name(),
        "name": u.name().map(|n| json!({"givenName": n.given_name(), "familyName": n.family_name()})),
        // Also at the top: in the search document the asset's own `name` (the user
        // name) takes the `name` field, so `givenName:Dana` is how search reaches these.
        "givenName": u.name().and_then(|n| n.given_name()),
        "familyName": u.name().and_then(|n| n.family_name()),
        "emails": emails,
        "primaryEmail": primary_email,
        "title": u.title(),
        "userType": u.user_type(),
        // Only newer identity stores report a status.
        "active": u.user_status().map(|s| *s == UserStatus::Enabled),
        "createdAt": date(u.created_at()),
        "updatedAt": date(u.updated_at()),
        "externalIds": u.external_ids().iter().map(|x| json!({"issuer": x.issuer(), "id": x.id()})).collect::<Vec<_>>(),
        "identityStoreId": dir.identity_store_id,
        "instanceArn": dir.instance_arn,
        "instanceRegion": instance_region,
        "groups": groups,
        "groupIds": group_ids,
        "permissionSets": sets_json,
        "permissionSetNames": set_names,
        // Only this account's assignments are read.
        "assignedAccountIds": if grants.is_empty() { vec![] } else { vec![account_id] },
        "isAdmin": grants.iter().any(|(s, _)| s.admin),
        "hasDirectAssignment": grants.iter().any(|(_, via)| via == "USER"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_identitystore::types::Email;

    fn set(arn: &str, name: &str, admin: bool) -> (String, PermissionSet) {
        let set = PermissionSet {
            arn: arn.into(),
            name: name.into(),
            admin,
            ..PermissionSet::default()
        };
        (arn.to_owned(), set)
    }

    fn user(id: &str, name: &str) -> User {
        User::builder()
            .identity_store_id("d-1")
            .user_id(id)
            .user_name(name)
            .emails(
                Email::builder()
                    .value("x@example.com")
                    .primary(false)
                    .build(),
            )
            .emails(
                Email::builder()
                    .value(format!("{name}@example.com"))
                    .primary(true)
                    .build(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn admin_policies() {
        let admin = [(
            "AdministratorAccess".to_owned(),
            "arn:aws:iam::aws:policy/AdministratorAccess".to_owned(),
        )];
        let ro = [(
            "ReadOnlyAccess".to_owned(),
            "arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned(),
        )];
        assert!(is_admin(&admin, None));
        assert!(!is_admin(&ro, None));
        let star = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let s3 = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        assert!(is_admin(&ro, Some(star)));
        assert!(!is_admin(&ro, Some(s3)));
    }

    #[test]
    fn assignments_reach_users_directly_and_through_groups() {
        let dir = Directory {
            instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
            identity_store_id: "d-1".into(),
            group_names: [("g1".to_owned(), "Admins".to_owned())].into(),
            user_groups: [("u1".to_owned(), vec!["g1".to_owned()])].into(),
            permission_sets: [set("ps-a", "Admin", true), set("ps-r", "ReadOnly", false)].into(),
            assignments: vec![
                (Principal::Group("g1".into()), "ps-a".into()),
                (Principal::User("u1".into()), "ps-r".into()),
                (Principal::User("u2".into()), "ps-r".into()),
            ],
        };
        let d = user_data(&dir, &user("u1", "ann"), "123", "us-east-1");
        assert_eq!(d["groups"], json!(["Admins"]));
        assert_eq!(d["permissionSetNames"], json!(["Admin", "ReadOnly"]));
        assert_eq!(d["permissionSets"][0]["via"], "Admins");
        assert_eq!(d["permissionSets"][1]["via"], "USER");
        assert_eq!(d["isAdmin"], true);
        assert_eq!(d["hasDirectAssignment"], true);
        assert_eq!(d["assignedAccountIds"], json!(["123"]));
        assert_eq!(d["primaryEmail"], "ann@example.com");

        let d = user_data(&dir, &user("u3", "cy"), "123", "us-east-1");
        assert_eq!(d["permissionSets"], json!([]));
        assert_eq!(d["assignedAccountIds"], json!([]));
        assert_eq!((&d["isAdmin"], &d["groups"]), (&json!(false), &json!([])));
    }
}
