//! Azure data and platform services: storage accounts, SQL and open-source
//! database servers, Cosmos DB, IoT hubs, Logic Apps, resource groups and
//! container registries. Secrets the exports contain (IoT hub keys, Logic
//! App definitions) are never copied.

use serde_json::{Value, json};

use super::{AzIndex, arm, key, no_id, prop, prop_arr, prop_bool, prop_str};
use crate::detect::Kind;
use crate::json::{arr_at, as_i64, at, bool_at, is_anywhere, str_at, strings};
use crate::normalize::Out;
use crate::snapshot::Item;

/// `AZURE_STORAGE_ACCOUNT` from `az storage account list`. Public means
/// anonymous blob access is allowed.
pub(super) fn storage(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let rules = prop(v, "networkRuleSet");
    let default_action = rules.and_then(|r| str_at(r, &["defaultAction"]));
    let public_access = prop_str(v, "publicNetworkAccess");
    let network_open = public_access.is_none_or(|a| !a.eq_ignore_ascii_case("Disabled"))
        && default_action.is_none_or(|a| a.eq_ignore_ascii_case("Allow"));
    let encryption = prop(v, "encryption");
    let allow_blob_public = prop_bool(v, "allowBlobPublicAccess");
    let data = json!({
        "id": arm.id,
        "name": arm.name,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "kind": str_at(v, &["kind"]),
        "sku": prop(v, "sku").and_then(|s| str_at(s, &["name"])),
        "accessTier": prop_str(v, "accessTier"),
        "allowBlobPublicAccess": allow_blob_public,
        "httpsOnly": prop_bool(v, "enableHttpsTrafficOnly").or_else(|| prop_bool(v, "supportsHttpsTrafficOnly")),
        "minimumTlsVersion": prop_str(v, "minimumTlsVersion"),
        "allowSharedKeyAccess": prop_bool(v, "allowSharedKeyAccess"),
        "publicNetworkAccess": public_access,
        "networkDefaultAction": default_action,
        "networkOpenToInternet": network_open,
        "ipRules": rules.map_or(Vec::new(), |r| arr_at(r, &["ipRules"]).iter().filter_map(|i| str_at(i, &["value"]).or_else(|| str_at(i, &["ipAddressOrRange"]))).collect::<Vec<_>>()),
        "encryptionKeySource": encryption.and_then(|e| str_at(e, &["keySource"])),
        "infrastructureEncryption": encryption.and_then(|e| bool_at(e, &["requireInfrastructureEncryption"])),
        "blobEndpoint": prop(v, "primaryEndpoints").and_then(|e| str_at(e, &["blob"])),
        "isHnsEnabled": prop_bool(v, "isHnsEnabled"),
        "creationTime": prop_str(v, "creationTime"),
    });
    out.push(arm.asset("AZURE_STORAGE_ACCOUNT", allow_blob_public, data));
}

/// `AZURE_SQL_SERVER` (`az sql server list`) and `AZURE_DB` (`az postgres
/// [flexible-]server list`, `az mysql [flexible-]server list`, MariaDB),
/// with the firewall rules of the same snapshot
/// (`az sql server firewall-rule list`, ...).
///
/// Public means reachable from addresses outside Azure: public network
/// access and a firewall rule other than "allow Azure services"
/// (0.0.0.0-0.0.0.0). Without firewall-rule items it is unknown (`None`)
/// unless public access is disabled.
pub(super) fn db_server(ix: &AzIndex<'_>, kind: Kind, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let rules = ix.firewall_rules.get(&key(arm.id));
    let public_access = prop_str(v, "publicNetworkAccess")
        .or_else(|| prop(v, "network").and_then(|n| str_at(n, &["publicNetworkAccess"])));
    let disabled = public_access.is_some_and(|a| a.eq_ignore_ascii_case("Disabled"));
    let firewall: Vec<Value> = rules.map_or(Vec::new(), |rules| {
        rules
            .iter()
            .map(|rule| {
                json!({
                    "name": str_at(rule, &["name"]),
                    "startIpAddress": prop_str(rule, "startIpAddress"),
                    "endIpAddress": prop_str(rule, "endIpAddress"),
                })
            })
            .collect()
    });
    let beyond_azure = |rule: &Value| {
        let start = str_at(rule, &["startIpAddress"]).unwrap_or("0.0.0.0");
        let end = str_at(rule, &["endIpAddress"]).unwrap_or("0.0.0.0");
        !(start == "0.0.0.0" && end == "0.0.0.0")
    };
    let open_to_all = firewall.iter().any(|rule| {
        str_at(rule, &["startIpAddress"]) == Some("0.0.0.0")
            && str_at(rule, &["endIpAddress"]) == Some("255.255.255.255")
    });
    let is_public = if disabled {
        Some(false)
    } else {
        rules.map(|_| firewall.iter().any(beyond_azure))
    };
    let common = json!({
        "id": arm.id,
        "name": arm.name,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "version": prop_str(v, "version"),
        "fullyQualifiedDomainName": prop_str(v, "fullyQualifiedDomainName"),
        "administratorLogin": prop_str(v, "administratorLogin"),
        "publicNetworkAccess": public_access,
        "minimalTlsVersion": prop_str(v, "minimalTlsVersion").or_else(|| prop_str(v, "minimumTlsVersion")),
        "state": prop_str(v, "state").or_else(|| prop_str(v, "userVisibleState")),
        "firewallRules": firewall,
        "openToAllAddresses": open_to_all,
    });
    let extra = if kind == Kind::AzSqlServer {
        let admins = prop(v, "administrators");
        json!({
            "azureAdOnlyAuthentication": admins.and_then(|a| bool_at(a, &["azureAdOnlyAuthentication"])),
            "azureAdAdministrator": admins.and_then(|a| str_at(a, &["login"])),
            "restrictOutboundNetworkAccess": prop_str(v, "restrictOutboundNetworkAccess"),
        })
    } else {
        let type_name = str_at(v, &["type"])
            .unwrap_or_default()
            .to_ascii_lowercase();
        let engine = if type_name.contains("postgresql") {
            "PostgreSQL"
        } else if type_name.contains("mysql") {
            "MySQL"
        } else {
            "MariaDB"
        };
        let storage = prop(v, "storageProfile").or_else(|| prop(v, "backup"));
        json!({
            "engine": engine,
            "deploymentModel": if type_name.contains("flexibleservers") { "Flexible" } else { "Single" },
            "sslEnforcement": prop_str(v, "sslEnforcement"),
            "sku": prop(v, "sku").and_then(|s| str_at(s, &["name"])),
            "backupRetentionDays": storage.and_then(|s| at(s, &["backupRetentionDays"])).and_then(as_i64),
            "geoRedundantBackup": storage.and_then(|s| str_at(s, &["geoRedundantBackup"])),
            "infrastructureEncryption": prop_str(v, "infrastructureEncryption"),
            "dataEncryption": prop(v, "dataEncryption").and_then(|d| str_at(d, &["type"])),
            "passwordAuth": prop(v, "authConfig").and_then(|a| str_at(a, &["passwordAuth"])),
        })
    };
    let search_key = if kind == Kind::AzSqlServer {
        "AZURE_SQL_SERVER"
    } else {
        "AZURE_DB"
    };
    out.push(arm.asset(search_key, is_public, merge(common, extra)));
}

/// `AZURE_COSMOS_DB` from `az cosmosdb list`. Public means reachable from
/// every network: public access, no IP rules and no VNet filter.
pub(super) fn cosmos(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let ip_rules: Vec<&str> = prop_arr(v, "ipRules")
        .iter()
        .filter_map(|r| str_at(r, &["ipAddressOrRange"]).or_else(|| r.as_str()))
        .collect();
    let public_access = prop_str(v, "publicNetworkAccess");
    let vnet_filter = prop_bool(v, "isVirtualNetworkFilterEnabled").unwrap_or(false);
    let is_public = public_access.is_none_or(|a| !a.eq_ignore_ascii_case("Disabled"))
        && ((ip_rules.is_empty() && !vnet_filter) || ip_rules.iter().any(|r| is_anywhere(r)));
    let data = json!({
        "id": arm.id,
        "name": arm.name,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "kind": str_at(v, &["kind"]),
        "documentEndpoint": prop_str(v, "documentEndpoint"),
        "publicNetworkAccess": public_access,
        "ipRules": ip_rules,
        "isVirtualNetworkFilterEnabled": vnet_filter,
        "disableLocalAuth": prop_bool(v, "disableLocalAuth"),
        "disableKeyBasedMetadataWriteAccess": prop_bool(v, "disableKeyBasedMetadataWriteAccess"),
        "keyVaultKeyUri": prop_str(v, "keyVaultKeyUri"),
        "consistencyLevel": prop(v, "consistencyPolicy").and_then(|c| str_at(c, &["defaultConsistencyLevel"])),
        "enableAutomaticFailover": prop_bool(v, "enableAutomaticFailover"),
        "backupPolicyType": prop(v, "backupPolicy").and_then(|b| str_at(b, &["type"])),
        "locations": prop_arr(v, "locations").iter().filter_map(|l| str_at(l, &["locationName"])).collect::<Vec<_>>(),
    });
    out.push(arm.asset("AZURE_COSMOS_DB", Some(is_public), data));
}

/// `AZURE_IOT_HUB` from `az iot hub list`; shared access keys are skipped.
pub(super) fn iot_hub(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let filters = prop_arr(v, "ipFilterRules");
    let public_access = prop_str(v, "publicNetworkAccess");
    let is_public =
        public_access.is_none_or(|a| !a.eq_ignore_ascii_case("Disabled")) && filters.is_empty();
    let data = json!({
        "id": arm.id,
        "name": arm.name,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "hostName": prop_str(v, "hostName"),
        "sku": prop(v, "sku").and_then(|s| str_at(s, &["name"])),
        "state": prop_str(v, "state"),
        "publicNetworkAccess": public_access,
        "ipFilterRules": filters.iter().map(|r| json!({
            "name": str_at(r, &["filterName"]),
            "action": str_at(r, &["action"]),
            "ipMask": str_at(r, &["ipMask"]),
        })).collect::<Vec<_>>(),
        "minTlsVersion": prop_str(v, "minTlsVersion"),
        "disableLocalAuth": prop_bool(v, "disableLocalAuth"),
        "sharedAccessPolicies": prop_arr(v, "authorizationPolicies").iter().filter_map(|p| str_at(p, &["keyName"])).collect::<Vec<_>>(),
    });
    out.push(arm.asset("AZURE_IOT_HUB", Some(is_public), data));
}

/// `AZURE_LOGIC_APP` from `az logic workflow list`. The definition (which
/// may embed credentials) is reduced to its trigger names and types.
/// Public means an HTTP request trigger without caller IP restrictions.
pub(super) fn logic_app(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let triggers: Vec<Value> = prop(v, "definition")
        .and_then(|d| at(d, &["triggers"]))
        .and_then(Value::as_object)
        .map(|t| {
            t.iter()
                .map(|(name, trigger)| {
                    json!({"name": name, "type": str_at(trigger, &["type"]), "kind": str_at(trigger, &["kind"])})
                })
                .collect()
        })
        .unwrap_or_default();
    let http_trigger = triggers
        .iter()
        .any(|t| str_at(t, &["type"]).is_some_and(|k| k.eq_ignore_ascii_case("Request")));
    let allowed_callers = prop(v, "accessControl")
        .map(|a| arr_at(a, &["triggers", "allowedCallerIpAddresses"]))
        .unwrap_or_default();
    let restricted = !allowed_callers.is_empty();
    let data = json!({
        "id": arm.id,
        "name": arm.name,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "state": prop_str(v, "state"),
        "accessEndpoint": prop_str(v, "accessEndpoint"),
        "createdTime": prop_str(v, "createdTime"),
        "changedTime": prop_str(v, "changedTime"),
        "triggers": triggers,
        "hasHttpTrigger": http_trigger,
        "triggerCallersRestricted": restricted,
        "identityType": prop(v, "identity").and_then(|i| str_at(i, &["type"])),
        "integrationAccountId": prop(v, "integrationAccount").and_then(|i| str_at(i, &["id"])),
    });
    out.push(arm.asset("AZURE_LOGIC_APP", Some(http_trigger && !restricted), data));
}

/// `AZURE_RESOURCE_GROUP` from `az group list`.
pub(super) fn resource_group(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(mut arm) = arm(v) else {
        return no_id(item, out);
    };
    arm.resource_group = Some(arm.name.clone());
    let data = json!({
        "id": arm.id,
        "name": arm.name,
        "region": arm.region,
        "provisioningState": prop_str(v, "provisioningState"),
        "managedBy": str_at(v, &["managedBy"]),
    });
    out.push(arm.asset("AZURE_RESOURCE_GROUP", None, data));
}

/// `IMAGE_REGISTRY` from `az acr list`. Public means reachable from every
/// network, or anonymous pull enabled.
pub(super) fn registry(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let public_access = prop_str(v, "publicNetworkAccess");
    let default_action = prop(v, "networkRuleSet").and_then(|r| str_at(r, &["defaultAction"]));
    let anonymous = prop_bool(v, "anonymousPullEnabled").unwrap_or(false);
    let reachable = public_access.is_none_or(|a| !a.eq_ignore_ascii_case("Disabled"))
        && default_action.is_none_or(|a| a.eq_ignore_ascii_case("Allow"));
    let data = json!({
        "registry": prop_str(v, "loginServer"),
        "registryType": "ACR",
        "id": arm.id,
        "resourceGroup": arm.resource_group,
        "region": arm.region,
        "sku": prop(v, "sku").and_then(|s| str_at(s, &["name"])),
        "adminUserEnabled": prop_bool(v, "adminUserEnabled"),
        "anonymousPullEnabled": anonymous,
        "publicNetworkAccess": public_access,
        "networkDefaultAction": default_action,
        "encryption": prop(v, "encryption").and_then(|e| str_at(e, &["status"])),
        "creationDate": prop_str(v, "creationDate"),
        "repositories": strings(prop_arr(v, "repositories")),
    });
    out.push(arm.asset("IMAGE_REGISTRY", Some(reachable || anonymous), data));
}

/// Both objects' members in one object.
fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}
