//! `GCP_USER` from Google Workspace directory users (Admin SDK
//! `users.list`, `kind: admin#directory#user`) and from
//! `gcloud iam service-accounts list`; `GCP_GROUP` from directory groups or
//! `gcloud identity groups search`; `GCP_ROLE_BINDING` from IAM policies
//! (`gcloud projects get-iam-policy`, `gcloud storage buckets
//! get-iam-policy`, `gcloud asset search-all-iam-policies`).
//!
//! User `data` is exactly the seed's GCP `moreInfo` of `GET /api/v1/users`.

use serde_json::json;

use super::{GcIndex, PUBLIC_MEMBERS, base, policy_bindings, project};
use crate::json::{
    arr_at, at, b, bool_at, i64_at, id_at, segment_after, str_at, strings, tags_from_object,
};
use crate::normalize::Out;
use crate::snapshot::Item;

/// Basic roles that grant (nearly) everything in a project.
const BASIC_ROLES: [&str; 3] = ["roles/owner", "roles/editor", "roles/viewer"];

pub(super) fn directory_user(ix: &GcIndex<'_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let (Some(id), Some(email)) = (id_at(v, &["id"]), str_at(v, &["primaryEmail"])) else {
        return out.warn(item, "directory user without `id` or `primaryEmail`");
    };
    let project_admin = ix.admins.contains(&format!("user:{email}"));
    let is_admin = bool_at(v, &["isAdmin"]).map(|admin| admin || project_admin);
    let data = json!({
        "agreedToTerms": bool_at(v, &["agreedToTerms"]),
        "changePasswordAtNextLogin": bool_at(v, &["changePasswordAtNextLogin"]),
        "creationTime": str_at(v, &["creationTime"]),
        "deletionTime": str_at(v, &["deletionTime"]),
        "instanceId": id,
        "ipWhitelisted": bool_at(v, &["ipWhitelisted"]),
        "isAdmin": b(is_admin.or(project_admin.then_some(true))),
        "isArchived": bool_at(v, &["archived"]),
        "isDelegatedAdmin": bool_at(v, &["isDelegatedAdmin"]),
        "isEnrolledIn2Sv": bool_at(v, &["isEnrolledIn2Sv"]),
        "isEnforcedIn2Sv": bool_at(v, &["isEnforcedIn2Sv"]),
        "isSuspended": bool_at(v, &["suspended"]),
        "lastLoginTime": str_at(v, &["lastLoginTime"]),
        "orgId": str_at(v, &["customerId"]),
        "primaryEmail": email,
    });
    let name = str_at(v, &["name", "fullName"]).unwrap_or(email);
    // Directory users belong to the Workspace customer, not to a project.
    let user = base(String::new(), None, id.clone(), name.to_owned(), Vec::new());
    out.push(user.asset("GCP_USER", None, data));
}

/// Service accounts in the same shape; fields that only exist for people
/// are `null`, and `isAdmin` means a basic owner/editor grant in a policy
/// of the snapshot (unknown without policies).
pub(super) fn service_account(ix: &GcIndex<'_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let (Some(id), Some(email)) = (id_at(v, &["uniqueId"]), str_at(v, &["email"])) else {
        return out.warn(item, "service account without `uniqueId` or `email`");
    };
    let is_admin = ix
        .has_policies
        .then(|| ix.admins.contains(&format!("serviceAccount:{email}")));
    let account = str_at(v, &["projectId"])
        .map(str::to_owned)
        .or_else(|| str_at(v, &["name"]).and_then(project))
        .unwrap_or_default();
    let data = json!({
        "agreedToTerms": null,
        "changePasswordAtNextLogin": null,
        "creationTime": null,
        "deletionTime": null,
        "instanceId": id,
        "ipWhitelisted": null,
        "isAdmin": b(is_admin),
        "isArchived": null,
        "isDelegatedAdmin": null,
        "isEnrolledIn2Sv": null,
        "isEnforcedIn2Sv": null,
        "isSuspended": bool_at(v, &["disabled"]),
        "lastLoginTime": null,
        "orgId": account,
        "primaryEmail": email,
    });
    let name = str_at(v, &["displayName"]).unwrap_or(email);
    let user = base(
        account.clone(),
        None,
        id.clone(),
        name.to_owned(),
        Vec::new(),
    );
    out.push(user.asset("GCP_USER", None, data));
}

pub(super) fn group(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    // Admin SDK groups have `email`; Cloud Identity groups `groupKey.id`.
    let email = str_at(v, &["email"]).or_else(|| str_at(v, &["groupKey", "id"]));
    let Some(id) = id_at(v, &["id"])
        .or_else(|| {
            str_at(v, &["name"])
                .filter(|n| n.starts_with("groups/"))
                .map(str::to_owned)
        })
        .or_else(|| email.map(str::to_owned))
    else {
        return out.warn(item, "group without `id`, `name` or `email`");
    };
    let data = json!({
        "id": id,
        "email": email,
        "name": str_at(v, &["name"]).filter(|n| !n.starts_with("groups/")).or_else(|| str_at(v, &["displayName"])),
        "description": str_at(v, &["description"]),
        "directMembersCount": i64_at(v, &["directMembersCount"]),
        "adminCreated": bool_at(v, &["adminCreated"]),
        "parent": str_at(v, &["parent"]),
        "createTime": str_at(v, &["createTime"]),
    });
    let name = str_at(v, &["displayName"])
        .or_else(|| str_at(v, &["name"]).filter(|n| !n.starts_with("groups/")))
        .or(email)
        .unwrap_or(&id)
        .to_owned();
    let group = base(
        String::new(),
        None,
        id.clone(),
        name,
        tags_from_object(at(v, &["labels"])),
    );
    out.push(group.asset("GCP_GROUP", None, data));
}

/// One asset per binding. Policies printed by `get-iam-policy` do not name
/// their resource; those bindings get the resource `""` and the caller's
/// account.
pub(super) fn policy(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let resource = str_at(v, &["resource"])
        .or_else(|| str_at(v, &["resourceId"]))
        .unwrap_or_default();
    let account = if resource.contains("cloudresourcemanager.googleapis.com/projects/") {
        segment_after(resource, "projects").map(str::to_owned)
    } else {
        None
    }
    .unwrap_or_default();
    let bindings = policy_bindings(v);
    if bindings.is_empty() {
        return out.ignore(item, "IAM policy without bindings");
    }
    for binding in bindings {
        if out.is_full() {
            return;
        }
        let Some(role) = str_at(binding, &["role"]) else {
            out.warn(item, "binding without a `role`");
            continue;
        };
        let members = strings(arr_at(binding, &["members"]));
        let public: Vec<&String> = members
            .iter()
            .filter(|m| PUBLIC_MEMBERS.contains(&m.as_str()))
            .collect();
        let condition = str_at(binding, &["condition", "title"]);
        let data = json!({
            "resource": if resource.is_empty() { None } else { Some(resource) },
            "role": role,
            "members": members,
            "memberCount": members.len(),
            "publicMembers": public,
            "isBasicRole": BASIC_ROLES.contains(&role),
            "condition": condition,
            "conditionExpression": str_at(binding, &["condition", "expression"]),
            "assetType": str_at(v, &["assetType"]),
        });
        let id = match condition {
            Some(condition) => format!("{resource}#{role}#{condition}"),
            None => format!("{resource}#{role}"),
        };
        let binding_base = base(account.clone(), None, id, role.to_owned(), Vec::new());
        out.push(binding_base.asset("GCP_ROLE_BINDING", Some(!public.is_empty()), data));
    }
}
