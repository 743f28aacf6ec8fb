//! `AZURE_USER` and `AZURE_GROUP` from `az ad user list` / `az ad group
//! list` (Microsoft Graph objects) or a Graph export with more fields
//! (`az rest --url 'https://graph.microsoft.com/v1.0/users?$select=...'`),
//! completed by `az role assignment list --all` and the Graph
//! `userRegistrationDetails` report in the same snapshot.
//!
//! User `data` is exactly the seed's Azure `moreInfo` of
//! `GET /api/v1/users`.

use serde_json::{Value, json};

use super::{AzIndex, key, prop_str};
use crate::json::{arr_at, as_bool, at, b, bool_at, str_at, strings};
use crate::model::{Asset, Provider};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn user(ix: &AzIndex<'_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(id) = str_at(v, &["id"]).or_else(|| str_at(v, &["objectId"])) else {
        return out.warn(item, "directory user without an `id`");
    };
    let principal_name = str_at(v, &["userPrincipalName"]);
    let enabled = bool_at(v, &["accountEnabled"]);
    let assignments = ix
        .role_assignments
        .get(&key(id))
        .map_or(&[][..], Vec::as_slice);
    let (assignment_count, role_count) = if ix.has_role_assignments {
        let mut roles: Vec<&str> = assignments
            .iter()
            .filter_map(|a| {
                prop_str(a, "roleDefinitionName").or_else(|| prop_str(a, "roleDefinitionId"))
            })
            .collect();
        roles.sort_unstable();
        roles.dedup();
        (Some(assignments.len()), Some(roles.len()))
    } else {
        (None, None)
    };
    let mfa = ix
        .mfa
        .get(&key(id))
        .and_then(|report| bool_at(report, &["isMfaRegistered"]))
        .or_else(|| {
            v.get("strongAuthenticationMethods")
                .and_then(Value::as_array)
                .map(|methods| !methods.is_empty())
        });
    let groups: Vec<&str> = arr_at(v, &["memberOf"])
        .iter()
        .filter_map(|g| str_at(g, &["displayName"]))
        .collect();
    let password_policies = str_at(v, &["passwordPolicies"]).unwrap_or_default();
    let password_status = match enabled {
        Some(false) => Some("Disabled"),
        Some(true) if password_policies.contains("DisablePasswordExpiration") => {
            Some("NeverExpires")
        }
        Some(true) => Some("Enabled"),
        None => None,
    };
    let data = json!({
        "accessKeyAge": Value::Null,
        "attachedManagedPolicyCount": assignment_count,
        "consolePasswdStatus": password_status,
        "createDate": str_at(v, &["createdDateTime"]),
        "deletionTimestamp": str_at(v, &["deletedDateTime"]).or_else(|| str_at(v, &["deletionTimestamp"])),
        "groupList": if groups.is_empty() { Value::Null } else { Value::String(groups.join(",")) },
        "instanceId": id,
        "isActive": b(enabled),
        "isMfaActive": b(mfa),
        "mail": str_at(v, &["mail"]),
        "mainNickname": str_at(v, &["mailNickname"]),
        "passwordLastChanged": str_at(v, &["lastPasswordChangeDateTime"]),
        "passwordLastUsed": str_at(v, &["signInActivity", "lastSignInDateTime"]),
        "principalName": principal_name,
        "signInName": sign_in_name(v),
        "source": source(v, principal_name),
        "tenantId": str_at(v, &["tenantId"]),
        "usageLocation": str_at(v, &["usageLocation"]),
        "userPolicyCount": role_count,
        "userType": str_at(v, &["userType"]),
    });
    let name = str_at(v, &["displayName"]).or(principal_name).unwrap_or(id);
    out.push(directory_asset("AZURE_USER", id, name, data));
}

/// The local sign-in name of B2C and external identities.
fn sign_in_name(v: &Value) -> Value {
    let identities = arr_at(v, &["identities"]).iter().find_map(|i| {
        let local = matches!(
            str_at(i, &["signInType"]),
            Some("emailAddress" | "userName")
        );
        local.then(|| str_at(i, &["issuerAssignedId"])).flatten()
    });
    let legacy = || {
        arr_at(v, &["signInNames"])
            .iter()
            .find_map(|n| str_at(n, &["value"]))
    };
    identities
        .or_else(legacy)
        .map_or(Value::Null, |n| Value::String(n.to_owned()))
}

/// Where the account comes from, in the portal's words.
fn source(v: &Value, principal_name: Option<&str>) -> &'static str {
    let synced = at(v, &["onPremisesSyncEnabled"]).and_then(as_bool) == Some(true)
        || at(v, &["dirSyncEnabled"]).and_then(as_bool) == Some(true);
    if synced {
        "Windows Server AD"
    } else if str_at(v, &["creationType"]) == Some("Invitation")
        || principal_name.is_some_and(|p| p.contains("#EXT#"))
    {
        "Invited user"
    } else {
        "Azure Active Directory"
    }
}

pub(super) fn group(ix: &AzIndex<'_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(id) = str_at(v, &["id"]).or_else(|| str_at(v, &["objectId"])) else {
        return out.warn(item, "directory group without an `id`");
    };
    let roles: Vec<String> = ix
        .role_assignments
        .get(&key(id))
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|a| {
            format!(
                "{}@{}",
                prop_str(a, "roleDefinitionName").unwrap_or("?"),
                prop_str(a, "scope").unwrap_or("?")
            )
        })
        .collect();
    let data = json!({
        "id": id,
        "displayName": str_at(v, &["displayName"]),
        "description": str_at(v, &["description"]),
        "mail": str_at(v, &["mail"]),
        "mailNickname": str_at(v, &["mailNickname"]),
        "securityEnabled": bool_at(v, &["securityEnabled"]),
        "mailEnabled": bool_at(v, &["mailEnabled"]),
        "groupTypes": strings(arr_at(v, &["groupTypes"])),
        "isAssignableToRole": bool_at(v, &["isAssignableToRole"]),
        "membershipRule": str_at(v, &["membershipRule"]),
        "onPremisesSyncEnabled": bool_at(v, &["onPremisesSyncEnabled"]),
        "createdDateTime": str_at(v, &["createdDateTime"]),
        "visibility": str_at(v, &["visibility"]),
        "roleAssignments": if ix.has_role_assignments { json!(roles) } else { Value::Null },
    });
    let name = str_at(v, &["displayName"]).unwrap_or(id);
    out.push(directory_asset("AZURE_GROUP", id, name, data));
}

/// Directory objects belong to the tenant, not to a subscription: the
/// account is left for the caller to fill.
fn directory_asset(search_key: &str, id: &str, name: &str, data: Value) -> Asset {
    Asset {
        search_key: search_key.to_owned(),
        provider: Provider::Azure,
        account_id: String::new(),
        region: None,
        resource_id: id.to_owned(),
        name: name.to_owned(),
        tags: Vec::new(),
        is_public: None,
        data,
    }
}
