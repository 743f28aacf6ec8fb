//! IAM users (`AWS_USER`): the `/users` sample's fields plus access keys with
//! their age and last use, MFA devices, console password and policies.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_iam::Client;
use aws_sdk_iam::primitives::DateTime;
use aws_sdk_iam::types::{AccessKeyMetadata, MfaDevice, User, UserDetail};
use futures_util::future::{join, join_all, join3};
use serde_json::{Value, json};

use crate::ctx::{Ctx, Scope};
use crate::iam::{Snapshot, attached_json, iam_tags, inline_json, policy_names};
use crate::keys::AWS_USER;
use crate::model::GLOBAL_REGION;
use crate::util::{age_days, date, s};

/// Per-user facts that need calls beyond the authorization snapshot.
#[derive(Default)]
struct UserExtras {
    keys: Vec<(AccessKeyMetadata, Option<DateTime>, Option<String>)>,
    mfa: Vec<MfaDevice>,
    /// `None` when the login profile could not be read.
    has_password: Option<bool>,
}

pub(crate) async fn collect(ctx: &Ctx, client: &Client, scope: Scope<'_>, snap: &Snapshot) {
    let details: Vec<&UserDetail> = snap
        .pages
        .iter()
        .flat_map(|p| p.user_detail_list())
        .collect();
    // ListUsers is the only listing with PasswordLastUsed.
    let (listed, report) = join(
        ctx.pages(client.list_users().into_paginator().send()),
        credential_report(ctx, client, scope),
    )
    .await;
    let last_used: HashMap<String, DateTime> = match listed {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.users())
            .filter_map(|u: &User| {
                u.password_last_used()
                    .map(|d| (u.user_name().to_owned(), *d))
            })
            .collect(),
        Err(e) => {
            ctx.fail_detail(scope, "ListUsers", "password-last-used", &e);
            HashMap::new()
        }
    };
    let extras = join_all(details.iter().map(|u| user_extras(ctx, client, scope, u))).await;
    for (u, extra) in details.into_iter().zip(extras) {
        user(ctx, snap, u, &extra, &last_used, report.as_ref());
    }
}

async fn user_extras(ctx: &Ctx, client: &Client, scope: Scope<'_>, u: &UserDetail) -> UserExtras {
    let Some(name) = u.user_name() else {
        return UserExtras::default();
    };
    let (keys, mfa, login) = join3(
        ctx.pages(
            client
                .list_access_keys()
                .user_name(name)
                .into_paginator()
                .send(),
        ),
        ctx.pages(
            client
                .list_mfa_devices()
                .user_name(name)
                .into_paginator()
                .send(),
        ),
        ctx.call(client.get_login_profile().user_name(name).send()),
    )
    .await;
    let keys: Vec<AccessKeyMetadata> = match keys {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.access_key_metadata())
            .cloned()
            .collect(),
        Err(e) => {
            ctx.fail_detail(scope, "ListAccessKeys", name, &e);
            Vec::new()
        }
    };
    let mfa = match mfa {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.mfa_devices())
            .cloned()
            .collect(),
        Err(e) => {
            ctx.fail_detail(scope, "ListMFADevices", name, &e);
            Vec::new()
        }
    };
    let has_password = match login {
        Ok(_) => Some(true),
        // NoSuchEntity: the user has no console password.
        Err(e) if e.is(&["NoSuchEntity"]) => Some(false),
        Err(e) => {
            ctx.fail_detail(scope, "GetLoginProfile", name, &e);
            None
        }
    };
    let last_used = join_all(keys.iter().map(|k| async move {
        let id = k.access_key_id()?;
        match ctx
            .call(client.get_access_key_last_used().access_key_id(id).send())
            .await
        {
            Ok(out) => out.access_key_last_used().map(|l| {
                // AWS answers "N/A" for keys never used.
                let service = Some(l.service_name())
                    .filter(|s| *s != "N/A")
                    .map(str::to_owned);
                (l.last_used_date().copied(), service)
            }),
            Err(e) => {
                ctx.fail_detail(scope, "GetAccessKeyLastUsed", name, &e);
                None
            }
        }
    }))
    .await;
    let keys = keys
        .into_iter()
        .zip(last_used)
        .map(|(k, used)| {
            let (date, service) = used.unwrap_or_default();
            (k, date, service)
        })
        .collect();
    UserExtras {
        keys,
        mfa,
        has_password,
    }
}

/// `password_last_changed` per user from the IAM credential report: no
/// other API tells when a console password last changed.
async fn credential_report(
    ctx: &Ctx,
    client: &Client,
    scope: Scope<'_>,
) -> Option<HashMap<String, String>> {
    if let Err(e) = ctx.call(client.generate_credential_report().send()).await {
        ctx.fail_detail(scope, "GenerateCredentialReport", "credential-report", &e);
        return None;
    }
    // Generation takes seconds on AWS; poll a little, then do without.
    for attempt in 0..6 {
        match ctx.call(client.get_credential_report().send()).await {
            Ok(out) => {
                let csv = out
                    .content()
                    .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())?;
                return Some(parse_password_changed(&csv));
            }
            Err(e) if e.is(&["ReportInProgress", "ReportNotPresent"]) && attempt < 5 => {
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => {
                ctx.fail_detail(scope, "GetCredentialReport", "credential-report", &e);
                return None;
            }
        }
    }
    None
}

/// user → `password_last_changed`, for users that have a password.
fn parse_password_changed(csv: &str) -> HashMap<String, String> {
    let mut lines = csv.lines();
    let Some(header) = lines.next() else {
        return HashMap::new();
    };
    let columns: Vec<&str> = header.split(',').collect();
    let col = |name: &str| columns.iter().position(|c| *c == name);
    let (Some(user), Some(enabled), Some(changed)) = (
        col("user"),
        col("password_enabled"),
        col("password_last_changed"),
    ) else {
        return HashMap::new();
    };
    lines
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            // moto fills the date in even for users without a password.
            if *fields.get(enabled)? != "true" {
                return None;
            }
            let value = *fields.get(changed)?;
            // "N/A" (no password) and "not_supported" (the root account).
            if value.is_empty() || value == "N/A" || value == "not_supported" {
                return None;
            }
            Some(((*fields.get(user)?).to_owned(), value.to_owned()))
        })
        .collect()
}

fn user(
    ctx: &Ctx,
    snap: &Snapshot,
    u: &UserDetail,
    extra: &UserExtras,
    password_used: &HashMap<String, DateTime>,
    report: Option<&HashMap<String, String>>,
) {
    let Some(name) = u.user_name() else { return };
    let attached = u.attached_managed_policies();
    let inline = u.user_policy_list();
    let groups: Vec<&str> = u.group_list().iter().map(String::as_str).collect();
    let mut attached_policies = policy_names(attached, inline);
    let mut admin = snap.any_admin(attached, inline);
    for g in &groups {
        if let Some(gp) = snap.groups.get(*g) {
            admin |= gp.admin;
            attached_policies.extend(gp.policy_names.iter().cloned());
        }
    }
    attached_policies.sort();
    attached_policies.dedup();

    let active_keys: Vec<&(AccessKeyMetadata, Option<DateTime>, Option<String>)> = extra
        .keys
        .iter()
        .filter(|(k, ..)| k.status().is_some_and(|s| s.as_str() == "Active"))
        .collect();
    // Age of the oldest active key: the one a rotation policy cares about.
    let key_age = active_keys
        .iter()
        .filter_map(|(k, ..)| k.create_date())
        .map(|d| age_days(ctx.now_secs, d))
        .max();
    let keys_json: Vec<Value> = extra
        .keys
        .iter()
        .map(|(k, used, service)| {
            json!({
                "accessKeyId": k.access_key_id(),
                "status": k.status().map(|s| s.as_str()),
                "createDate": date(k.create_date()),
                "ageDays": k.create_date().map(|d| age_days(ctx.now_secs, d)),
                "lastUsedDate": date(used.as_ref()),
                "lastUsedService": service,
            })
        })
        .collect();
    let password_last_used = password_used.get(name);
    let last_activity = extra
        .keys
        .iter()
        .filter_map(|(_, used, _)| used.as_ref())
        .chain(password_last_used)
        .max_by_key(|d| d.secs());
    let mfa_active = !extra.mfa.is_empty();
    let console = extra.has_password;
    let is_active = console == Some(true) || !active_keys.is_empty();

    let data = json!({
        // The `/users` sample's AWS moreInfo.
        "accessKeyAge": key_age,
        "arn": u.arn(),
        "attachedManagedPolicyCount": attached.len(),
        "consolePasswdStatus": console.map(|c| if c { "Enabled" } else { "Disabled" }),
        "groupList": groups.join(","),
        "isActive": is_active,
        "isMfaActive": mfa_active,
        "lastActivity": date(last_activity),
        "createDate": date(u.create_date()),
        // Needs CloudTrail history, which the inventory does not read.
        "lastModifiedBy": Value::Null,
        "attachedPolicies": attached_policies,
        "passwordLastChanged": s(report.and_then(|r| r.get(name)).map(String::as_str)),
        "passwordLastUsed": date(password_last_used),
        "path": u.path(),
        "userId": u.user_id(),
        "userPolicyCount": inline.len(),
        // Need IAM access-advisor usage data, which the inventory does not read.
        "isOverPrivileged": Value::Null,
        "policyUtilizationRatio": Value::Null,
        // Further attributes for search and policy checks.
        "userName": name,
        "hasConsolePassword": console,
        "accessKeys": keys_json,
        "activeAccessKeyCount": active_keys.len(),
        "mfaDevices": extra.mfa.iter().map(|m| json!({
            "serialNumber": m.serial_number(),
            "enableDate": date(Some(m.enable_date())),
        })).collect::<Vec<_>>(),
        "groups": groups,
        "attachedManagedPolicies": attached_json(attached),
        "inlinePolicies": inline_json(inline),
        "permissionsBoundary": s(u.permissions_boundary().and_then(|b| b.permissions_boundary_arn())),
        "hasAdminAccess": admin,
    });
    let mut asset = ctx.asset(AWS_USER, GLOBAL_REGION, name, name);
    asset.arn = u.arn().map(str::to_owned);
    asset.tags = iam_tags(u.tags());
    asset.data = data;
    ctx.push(asset);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_password_changes_from_the_report() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed\n\
                   <root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported\n\
                   alice,arn:aws:iam::1:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2024-02-03T04:05:06+00:00\n\
                   bot,arn:aws:iam::1:user/bot,2020-01-01T00:00:00+00:00,false,N/A,N/A\n\
                   ci,arn:aws:iam::1:user/ci,2020-01-01T00:00:00+00:00,false,N/A,2020-01-01T00:00:00+00:00\n";
        let map = parse_password_changed(csv);
        assert_eq!(map.len(), 1);
        assert_eq!(
            map.get("alice").map(String::as_str),
            Some("2024-02-03T04:05:06+00:00")
        );
        assert!(parse_password_changed("").is_empty());
        assert!(parse_password_changed("a,b\n1,2").is_empty());
    }
}
