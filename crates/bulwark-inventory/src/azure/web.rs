//! `AZURE_FUNCTION` and `AZURE_APP_SERVICE` from `az functionapp list` and
//! `az webapp list` (both `Microsoft.Web/sites`, told apart by `kind`),
//! completed by `az functionapp config show` / `az webapp auth show` items
//! (`Microsoft.Web/sites/config`) of the same snapshot.
//!
//! `data` is exactly the seed's Azure `moreInfo` of `GET /api/v1/serverless`
//! for both keys: the seed has no App Service sample, and both are sites.

use serde_json::{Value, json};

use super::{AzIndex, arm, key, no_id, prop, prop_bool, prop_str};
use crate::json::{as_bool, at, b, bool_at, mapped, str_at};
use crate::normalize::Out;
use crate::snapshot::Item;

pub(super) fn site(ix: &AzIndex<'_>, item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(arm) = arm(v) else {
        return no_id(item, out);
    };
    let kind = str_at(v, &["kind"])
        .unwrap_or_default()
        .to_ascii_lowercase();
    let search_key = if kind.contains("functionapp") {
        "AZURE_FUNCTION"
    } else {
        "AZURE_APP_SERVICE"
    };
    let configs: &[&Value] = ix.site_configs.get(&key(arm.id)).map_or(&[], Vec::as_slice);
    let web = configs
        .iter()
        .copied()
        .find(|c| config_name(c).is_some_and(|n| n.eq_ignore_ascii_case("web")));
    let site_config = prop(v, "siteConfig");
    // A setting from `config show` wins over the (mostly null) copy in the
    // list output.
    let setting = |name: &str| -> Option<&Value> {
        web.and_then(|w| prop(w, name))
            .or_else(|| site_config.and_then(|c| at(c, &[name])))
    };
    let setting_str = |name: &str| {
        setting(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let setting_bool = |name: &str| setting(name).and_then(as_bool);

    let is_linux = kind.contains("linux") || prop_bool(v, "reserved") == Some(true);
    let ftps_only = setting_str("ftpsState").map(|state| {
        state.eq_ignore_ascii_case("FtpsOnly") || state.eq_ignore_ascii_case("Disabled")
    });
    let architecture =
        setting_bool("use32BitWorkerProcess").map(|is32| if is32 { "32bit" } else { "64bit" });
    let is_public = is_public(v, setting("ipSecurityRestrictions"));
    let outbound: Vec<&str> = prop_str(v, "outboundIpAddresses")
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let data = json!({
        "resourceGroup": arm.resource_group,
        "instanceId": arm.id,
        "alwaysOn": setting_bool("alwaysOn"),
        "appServicePlanId": prop_str(v, "serverFarmId"),
        "autoSwapSlotName": setting_str("autoSwapSlotName"),
        "clientAffinityEnabled": prop_bool(v, "clientAffinityEnabled"),
        "clientCertEnabled": prop_bool(v, "clientCertEnabled"),
        "containerSize": prop(v, "containerSize").and_then(crate::json::as_i64),
        "defaultHostName": prop_str(v, "defaultHostName"),
        "enabled": prop_bool(v, "enabled"),
        "http20Enabled": setting_bool("http20Enabled"),
        "webSocketsEnabled": setting_bool("webSocketsEnabled"),
        "storageAccount": storage_account(setting("appSettings")),
        "state": prop_str(v, "state"),
        "repositorySiteName": prop_str(v, "repositorySiteName"),
        "remoteDebuggingEnabled": setting_bool("remoteDebuggingEnabled"),
        "httpsOnly": prop_bool(v, "httpsOnly"),
        "defaultContainer": setting_str("linuxFxVersion").or_else(|| setting_str("windowsFxVersion")),
        "lastModifiedTime": prop_str(v, "lastModifiedTimeUtc"),
        "localMySqlEnabled": setting_bool("localMySqlEnabled"),
        "os": if is_linux { "Linux" } else { "Windows" },
        "platformArchitecture": architecture,
        "isPublic": is_public,
        "ftpsOnly": ftps_only,
        "authEnabled": b(auth_enabled(configs)),
        "principalId": prop(v, "identity").and_then(|i| str_at(i, &["principalId"])),
        "tlsVersion": setting_str("minTlsVersion"),
        "mappedOutboundIps": if outbound.is_empty() { Value::Null } else { mapped(Some(&json!(outbound))) },
        "mappedTags": mapped(at(v, &["tags"])),
    });
    out.push(arm.asset(search_key, Some(is_public), data));
}

/// `web`, `authsettings`, ...: the last segment of the config's id (`az
/// functionapp config show` prints the site's name as `name`).
fn config_name(config: &Value) -> Option<&str> {
    str_at(config, &["id"])
        .map(crate::json::last_segment)
        .or_else(|| str_at(config, &["name"]).map(crate::json::last_segment))
}

/// Reachable from the internet: public network access not disabled and no
/// access restriction list (any allow rule adds an implicit deny-all) or
/// one that allows any address.
fn is_public(site: &Value, restrictions: Option<&Value>) -> bool {
    if prop_str(site, "publicNetworkAccess").is_some_and(|a| a.eq_ignore_ascii_case("Disabled")) {
        return false;
    }
    let rules = restrictions
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let allows_any = |rule: &Value| {
        let allow = str_at(rule, &["action"]).is_none_or(|a| a.eq_ignore_ascii_case("Allow"));
        let address = str_at(rule, &["ipAddress"]).unwrap_or_default();
        allow && (address.eq_ignore_ascii_case("Any") || crate::json::is_anywhere(address))
    };
    rules.is_empty() || rules.iter().any(allows_any)
}

/// The storage account name of `AzureWebJobsStorage`, never its key.
fn storage_account(settings: Option<&Value>) -> Value {
    let entries = settings
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let connection = entries
        .iter()
        .find(|e| str_at(e, &["name"]) == Some("AzureWebJobsStorage"))
        .and_then(|e| str_at(e, &["value"]));
    connection
        .and_then(|c| {
            c.split(';')
                .find_map(|part| part.trim().strip_prefix("AccountName="))
        })
        .map_or(Value::Null, |name| Value::String(name.to_owned()))
}

/// Easy Auth from `az webapp auth show` (v1 `enabled`, v2
/// `platform.enabled`).
fn auth_enabled(configs: &[&Value]) -> Option<bool> {
    configs.iter().find_map(|config| {
        let name = config_name(config)?.to_ascii_lowercase();
        match name.as_str() {
            "authsettings" => prop_bool(config, "enabled"),
            "authsettingsv2" => prop(config, "platform").and_then(|p| bool_at(p, &["enabled"])),
            _ => None,
        }
    })
}
