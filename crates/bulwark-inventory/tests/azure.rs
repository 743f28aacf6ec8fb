//! Azure snapshots (`az ... list` output, ARM REST, Microsoft Graph, logs)
//! become the AZURE_* assets with the fields the seed and the table promise.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use bulwark_inventory::{Provider, shapes};
use common::*;
use serde_json::json;

const SUB: &str = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
const S: &str = "/subscriptions/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

fn vms_with_network() -> bulwark_inventory::Normalized {
    run_clean(
        Provider::Azure,
        &[
            "azure/vm_list_d.json",
            "azure/nic_list.json",
            "azure/public_ip_list.json",
            "azure/vnet_list.json",
            "azure/nsg_list.json",
        ],
    )
}

#[test]
fn public_linux_vm_is_joined_with_its_nic_public_ip_and_nsg() {
    let n = vms_with_network();
    assert_eq!(
        names(&n, "AZURE_HOST"),
        ["batch-vmss_3f2a1b7c", "db-win-01", "web-01"]
    );
    let web = find(&n, "AZURE_HOST", "web-01");
    assert_fields(web, shapes::AZURE_HOST);
    assert_eq!(web.provider, Provider::Azure);
    assert_eq!(web.account_id, SUB);
    assert_eq!(web.region.as_deref(), Some("westeurope"));
    assert!(web.resource_id.ends_with("/virtualMachines/web-01"));
    assert_eq!(web.is_public, Some(true));
    assert_eq!(tag(web, "owner"), Some("web-team"));
    let d = &web.data;
    assert_eq!(
        d["image"],
        "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"
    );
    assert_eq!(d["runningState"], "VM running");
    assert_eq!(d["instanceType"], "Standard_B2s");
    assert_eq!(d["osType"], "Linux");
    assert_eq!(d["passwordLogin"], true);
    assert_eq!(d["resourceGroup"], "RG-WEB");
    assert_eq!(d["publicIP"], "20.71.4.18");
    assert_eq!(d["privateIP"], "10.10.1.4");
    let subnet = format!(
        "{S}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/web"
    );
    assert_eq!(d["subnetId"], subnet.as_str());
    assert_eq!(
        d["vnetId"],
        format!("{S}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod")
            .as_str()
    );
    let nsg = format!(
        "{S}/resourceGroups/rg-web/providers/Microsoft.Network/networkSecurityGroups/web-nsg"
    );
    assert_eq!(d["primarySecurityGroup"], nsg.as_str());
    assert_eq!(
        d["securityGroupList"],
        json!([{ "name": "web-nsg", "value": nsg }])
    );
    assert_eq!(d["osDiskEncryption"], false);
    assert_eq!(d["dataDisksEncryption"], serde_json::Value::Null);
    assert_eq!(d["tags"], json!({ "env": "prod", "owner": "web-team" }));
    assert_eq!(d["serverAgent"], serde_json::Value::Null);
    let nic = &d["networkInterfaces"][0];
    assert_eq!(nic["name"], "web-01-nic");
    assert_eq!(nic["nsgId"], nsg.as_str());
    let config = &nic["ipConfigration"][0];
    assert_eq!(
        config["publicIP"], "20.71.4.18",
        "public IP resolved from the public-IP item"
    );
    assert_eq!(config["primary"], true);
    assert_eq!(config["subnet"], subnet.as_str());
    assert!(
        config["applicationSecurityGroups"][0]
            .as_str()
            .unwrap()
            .ends_with("/asg-web")
    );
}

#[test]
fn windows_vm_gets_subnet_nsg_and_disk_encryption() {
    let n = vms_with_network();
    let db = find(&n, "AZURE_HOST", "db-win-01");
    let d = &db.data;
    assert_eq!(db.is_public, Some(false));
    assert_eq!(d["publicIP"], serde_json::Value::Null);
    assert_eq!(d["passwordLogin"], true, "Windows always allows passwords");
    assert_eq!(d["osDiskEncryption"], true, "Azure Disk Encryption is on");
    assert_eq!(
        d["dataDisksEncryption"], true,
        "data disk uses a disk encryption set"
    );
    assert!(
        d["primarySecurityGroup"]
            .as_str()
            .unwrap()
            .ends_with("/data-nsg"),
        "NSG of the subnet"
    );
    assert_eq!(
        d["image"],
        "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest"
    );
    assert_eq!(tag(db, "data-classification"), Some("confidential"));
}

#[test]
fn scale_set_vm_without_nic_item_keeps_a_bare_interface() {
    let n = vms_with_network();
    let batch = find(&n, "AZURE_HOST", "batch-vmss_3f2a1b7c");
    let d = &batch.data;
    assert_eq!(batch.region.as_deref(), Some("northeurope"));
    assert_eq!(d["runningState"], "VM deallocated");
    assert_eq!(d["passwordLogin"], false);
    assert_eq!(d["osDiskEncryption"], true, "encryption at host");
    assert_eq!(d["vmScaleSet"], "batch-vmss");
    assert!(
        d["image"]
            .as_str()
            .unwrap()
            .contains("/galleries/gal/images/batch-worker/")
    );
    assert_eq!(d["networkInterfaces"][0]["name"], "batch-vmss-nic01");
    assert_eq!(d["networkInterfaces"][0]["ipConfigration"], json!([]));
    assert_eq!(d["subnetId"], serde_json::Value::Null);
}

#[test]
fn vm_list_alone_still_has_the_addresses_of_show_details() {
    let n = run_clean(Provider::Azure, &["azure/vm_list_d.json"]);
    let web = find(&n, "AZURE_HOST", "web-01");
    assert_eq!(web.data["publicIP"], "20.71.4.18");
    assert_eq!(web.data["networkInterfaces"][0]["publicIP"], "20.71.4.18");
    assert_eq!(web.data["subnetId"], serde_json::Value::Null);
    assert_eq!(web.is_public, Some(true));
}

#[test]
fn enrichment_items_are_counted_not_warned() {
    let n = vms_with_network();
    let nic = n
        .ignored
        .iter()
        .find(|i| i.kind == "Microsoft.Network/networkInterfaces")
        .expect("NICs counted");
    assert_eq!(nic.count, 2);
    assert!(nic.reason.contains("AZURE_HOST"));
}

#[test]
fn open_nsgs_are_public() {
    let n = run_clean(Provider::Azure, &["azure/nsg_list.json"]);
    let web = find(&n, "AZURE_NETWORK_SECURITY_GROUP", "web-nsg");
    assert_eq!(web.is_public, Some(true));
    assert_eq!(web.data["openInboundRules"], json!(["SSH", "HTTP-HTTPS"]));
    assert_eq!(web.data["openInboundPorts"], json!(["22", "443", "80"]));
    assert_eq!(web.data["isAttached"], true);
    let data = find(&n, "AZURE_NETWORK_SECURITY_GROUP", "data-nsg");
    assert_eq!(data.is_public, Some(false));
    assert_eq!(
        data.data["securityRules"][0]["sourceAddressPrefixes"],
        json!(["10.10.1.0/24"])
    );
    let legacy = find(&n, "AZURE_NETWORK_SECURITY_GROUP", "legacy-open-nsg");
    assert_eq!(legacy.is_public, Some(true));
    assert_eq!(legacy.data["isAttached"], false);
    assert_eq!(legacy.region.as_deref(), Some("northeurope"));
}

#[test]
fn virtual_network_lists_subnets_without_nsg_and_peerings() {
    let n = run_clean(Provider::Azure, &["azure/vnet_list.json"]);
    let vnet = find(&n, "AZURE_VIRTUAL_NETWORK", "vnet-prod");
    assert_eq!(vnet.is_public, None);
    assert_eq!(vnet.data["addressPrefixes"], json!(["10.10.0.0/16"]));
    assert_eq!(vnet.data["subnetsWithoutNsg"], json!(["web", "aks"]));
    assert_eq!(
        vnet.data["subnets"][1]["serviceEndpoints"],
        json!(["Microsoft.Sql"])
    );
    assert_eq!(vnet.data["peerings"][0]["peeringState"], "Connected");
    assert_eq!(vnet.data["subnetCount"], 3);
}

fn sites() -> bulwark_inventory::Normalized {
    run_clean(
        Provider::Azure,
        &[
            "azure/functionapp_list.json",
            "azure/functionapp_config_show.json",
            "azure/webapp_list.json",
            "azure/functionapp_arm_export.json",
        ],
    )
}

#[test]
fn function_app_takes_settings_from_config_show() {
    let n = sites();
    assert_eq!(
        names(&n, "AZURE_FUNCTION"),
        ["etl-func", "orders-func", "payroll-func"]
    );
    let orders = find(&n, "AZURE_FUNCTION", "orders-func");
    assert_fields(orders, shapes::AZURE_FUNCTION);
    assert_eq!(
        orders.region.as_deref(),
        Some("westeurope"),
        "from `West Europe`"
    );
    let d = &orders.data;
    assert_eq!(d["remoteDebuggingEnabled"], true);
    assert_eq!(d["tlsVersion"], "1.0");
    assert_eq!(d["ftpsOnly"], false);
    assert_eq!(d["authEnabled"], false);
    assert_eq!(d["os"], "Linux");
    assert_eq!(d["platformArchitecture"], "64bit");
    assert_eq!(d["isPublic"], true);
    assert_eq!(orders.is_public, Some(true));
    assert_eq!(d["httpsOnly"], false);
    assert_eq!(d["defaultContainer"], "Python|3.11");
    assert_eq!(d["principalId"], "b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e");
    assert_eq!(d["containerSize"], 1536);
    assert_eq!(d["lastModifiedTime"], "2024-02-01T10:22:11.733333");
    assert_eq!(
        mapped(orders, "mappedOutboundIps"),
        json!(["20.105.224.10", "20.105.224.11", "20.105.224.12"])
    );
    assert_eq!(
        mapped(orders, "mappedTags"),
        json!({ "env": "prod", "app": "orders" })
    );
}

#[test]
fn private_windows_function_app() {
    let n = sites();
    let payroll = find(&n, "AZURE_FUNCTION", "payroll-func");
    let d = &payroll.data;
    assert_eq!(
        payroll.is_public,
        Some(false),
        "public network access disabled"
    );
    assert_eq!(d["os"], "Windows");
    assert_eq!(d["platformArchitecture"], "32bit");
    assert_eq!(d["ftpsOnly"], true);
    assert_eq!(d["alwaysOn"], true);
    assert_eq!(d["authEnabled"], serde_json::Value::Null);
}

#[test]
fn arm_export_reads_properties_and_never_copies_the_storage_key() {
    let n = sites();
    let etl = find(&n, "AZURE_FUNCTION", "etl-func");
    assert_eq!(etl.account_id, SUB);
    assert_eq!(etl.region.as_deref(), Some("northeurope"));
    assert_eq!(tag(etl, "team"), Some("data"));
    assert_eq!(etl.data["storageAccount"], "etlfuncstore01");
    assert_eq!(etl.data["alwaysOn"], true);
    assert_eq!(etl.data["ftpsOnly"], true);
    assert_eq!(
        etl.data["appServicePlanId"],
        format!("{S}/resourceGroups/rg-etl/providers/Microsoft.Web/serverfarms/etl-plan").as_str()
    );
    assert!(!leaks(&n, "c2VjcmV0LWtleS1tdXN0LW5vdC1sZWFr"));
}

#[test]
fn web_app_with_access_restrictions_is_not_public() {
    let n = sites();
    let shop = find(&n, "AZURE_APP_SERVICE", "shop-web");
    assert_fields(shop, shapes::AZURE_FUNCTION);
    assert_eq!(shop.is_public, Some(false));
    assert_eq!(
        shop.data["defaultContainer"],
        "DOCKER|contosoregistry.azurecr.io/shop/web:2.3.1"
    );
    assert_eq!(shop.data["http20Enabled"], true);
}

#[test]
fn storage_accounts_with_anonymous_blob_access_are_public() {
    let n = run_clean(Provider::Azure, &["azure/storage_account_list.json"]);
    let assets = find(&n, "AZURE_STORAGE_ACCOUNT", "shopassetsweu");
    assert_eq!(assets.is_public, Some(true));
    assert_eq!(assets.data["minimumTlsVersion"], "TLS1_0");
    assert_eq!(assets.data["networkOpenToInternet"], true);
    assert_eq!(assets.data["sku"], "Standard_RAGRS");
    assert_eq!(tag(assets, "public-website"), Some("true"));
    let backups = find(&n, "AZURE_STORAGE_ACCOUNT", "backupsdataweu");
    assert_eq!(backups.is_public, Some(false));
    assert_eq!(backups.data["encryptionKeySource"], "Microsoft.Keyvault");
    assert_eq!(backups.data["infrastructureEncryption"], true);
    assert_eq!(backups.data["ipRules"], json!(["203.0.113.10"]));
    assert_eq!(backups.data["networkOpenToInternet"], false);
    assert_eq!(backups.data["allowSharedKeyAccess"], false);
}

#[test]
fn sql_server_open_to_all_addresses_through_a_firewall_rule() {
    let n = run_clean(
        Provider::Azure,
        &[
            "azure/sql_server_list.json",
            "azure/sql_firewall_rule_list.json",
        ],
    );
    let shop = find(&n, "AZURE_SQL_SERVER", "shop-sql-weu");
    assert_eq!(shop.is_public, Some(true));
    assert_eq!(shop.data["openToAllAddresses"], true);
    assert_eq!(shop.data["firewallRules"].as_array().unwrap().len(), 2);
    assert_eq!(shop.data["minimalTlsVersion"], "1.0");
    let hr = find(&n, "AZURE_SQL_SERVER", "hr-sql-weu");
    assert_eq!(hr.is_public, Some(false));
    assert_eq!(hr.data["azureAdOnlyAuthentication"], true);
    assert_eq!(hr.data["azureAdAdministrator"], "sql-admins");

    let alone = run_clean(Provider::Azure, &["azure/sql_server_list.json"]);
    assert_eq!(
        find(&alone, "AZURE_SQL_SERVER", "shop-sql-weu").is_public,
        None,
        "unknown without firewall rules"
    );
}

#[test]
fn open_source_database_servers() {
    let n = run_clean(Provider::Azure, &["azure/db_server_list.json"]);
    let pg = find(&n, "AZURE_DB", "orders-pg");
    assert_eq!(pg.data["engine"], "PostgreSQL");
    assert_eq!(pg.data["deploymentModel"], "Flexible");
    assert_eq!(pg.data["publicNetworkAccess"], "Enabled");
    assert_eq!(pg.data["backupRetentionDays"], 7);
    assert_eq!(pg.data["firewallRules"][0]["startIpAddress"], "203.0.113.1");
    assert_eq!(pg.is_public, Some(true), "office range is outside Azure");
    let mysql = find(&n, "AZURE_DB", "legacy-mysql");
    assert_eq!(mysql.data["engine"], "MySQL");
    assert_eq!(mysql.data["deploymentModel"], "Single");
    assert_eq!(mysql.data["sslEnforcement"], "Disabled");
    assert_eq!(mysql.data["minimalTlsVersion"], "TLSEnforcementDisabled");
    assert_eq!(mysql.is_public, None);
}

#[test]
fn cosmos_accounts_open_to_all_networks_are_public() {
    let n = run_clean(Provider::Azure, &["azure/cosmosdb_list.json"]);
    let catalog = find(&n, "AZURE_COSMOS_DB", "catalog-cosmos");
    assert_eq!(catalog.is_public, Some(true));
    assert_eq!(catalog.data["consistencyLevel"], "Session");
    assert_eq!(catalog.data["locations"], json!(["West Europe"]));
    let ledger = find(&n, "AZURE_COSMOS_DB", "ledger-cosmos");
    assert_eq!(ledger.is_public, Some(false));
    assert_eq!(ledger.data["ipRules"], json!(["203.0.113.0/24"]));
    assert_eq!(ledger.data["disableLocalAuth"], true);
}

#[test]
fn aks_clusters_follow_the_cluster_sample() {
    let n = run_clean(Provider::Azure, &["azure/aks_list.json"]);
    let prod = find(&n, "AZURE_CLUSTER", "aks-prod");
    assert_fields(prod, shapes::CLUSTER);
    let d = &prod.data;
    assert_eq!(prod.is_public, Some(true));
    assert_eq!(prod.account_id, SUB);
    assert_eq!(d["version"], "1.28.5");
    assert_eq!(
        d["endpoint"],
        "aks-prod-dns-7b3c9d1e.hcp.westeurope.azmk8s.io"
    );
    assert_eq!(d["endpointPublicAccess"], true);
    assert_eq!(d["endpointPrivateAccess"], false);
    assert_eq!(d["status"], "Running");
    assert_eq!(d["roleArn"], "4d5e6f70-8192-4a3b-9c4d-5e6f7a8b9c0d");
    assert_eq!(d["createdAt"], "2023-11-20T10:00:00.000000+00:00");
    assert!(
        d["vpcId"]
            .as_str()
            .unwrap()
            .ends_with("/virtualNetworks/vnet-prod")
    );
    assert_eq!(mapped(prod, "mappedLogging")["enabled"], true);
    assert_eq!(mapped(prod, "mappedTags"), json!({ "env": "prod" }));
    let internal = find(&n, "AZURE_CLUSTER", "aks-internal");
    assert_eq!(internal.is_public, Some(false));
    assert_eq!(
        internal.data["endpoint"],
        "aks-internal-0f1e2d3c.privatelink.westeurope.azmk8s.io"
    );
    assert_eq!(internal.data["endpointPrivateAccess"], true);
}

#[test]
fn node_groups_from_cluster_profiles_and_nodepool_list_are_merged() {
    let n = run_clean(
        Provider::Azure,
        &["azure/aks_list.json", "azure/aks_nodepool_list.json"],
    );
    assert_eq!(
        names(&n, "AZURE_NODE_GROUP"),
        ["edgepool", "gpupool", "nodepool1", "sys"]
    );
    let edge = find(&n, "AZURE_NODE_GROUP", "edgepool");
    assert_eq!(edge.is_public, Some(true), "nodes get public IPs");
    assert_eq!(edge.data["cluster"], "aks-prod");
    let system = find(&n, "AZURE_NODE_GROUP", "nodepool1");
    assert_eq!(system.data["maxCount"], 5);
    assert_eq!(system.data["availabilityZones"], json!(["1", "2", "3"]));
    assert_eq!(system.region.as_deref(), Some("westeurope"));
    let gpu = find(&n, "AZURE_NODE_GROUP", "gpupool");
    assert_eq!(gpu.data["vmSize"], "Standard_NC6s_v3");
    assert_eq!(gpu.account_id, SUB);
}

#[test]
fn container_registries_iot_hubs_logic_apps_and_resource_groups() {
    let n = run_clean(
        Provider::Azure,
        &[
            "azure/acr_list.json",
            "azure/iot_hub_list.json",
            "azure/logic_workflow_list.json",
            "azure/group_list.json",
            "azure/keyvault_list.json",
        ],
    );
    let acr = find(&n, "IMAGE_REGISTRY", "contosoregistry");
    assert_eq!(acr.is_public, Some(true));
    assert_eq!(acr.data["registry"], "contosoregistry.azurecr.io");
    assert_eq!(acr.data["adminUserEnabled"], true);
    assert_eq!(
        find(&n, "IMAGE_REGISTRY", "securereg").is_public,
        Some(false)
    );

    let hub = find(&n, "AZURE_IOT_HUB", "factory-hub");
    assert_eq!(hub.is_public, Some(true));
    assert_eq!(hub.data["hostName"], "factory-hub.azure-devices.net");
    assert_eq!(hub.data["resourceGroup"], "rg-iot");
    assert_eq!(
        hub.data["sharedAccessPolicies"],
        json!(["iothubowner", "service"])
    );
    assert!(!leaks(&n, "SGVsbG8tdGhpcy1pcy1hLXNlY3JldA=="));

    let notify = find(&n, "AZURE_LOGIC_APP", "order-notify");
    assert_eq!(notify.is_public, Some(true));
    assert_eq!(
        notify.data["triggers"],
        json!([{ "name": "manual", "type": "Request", "kind": "Http" }])
    );
    assert!(!leaks(&n, "XXXXSECRET"));
    let cleanup = find(&n, "AZURE_LOGIC_APP", "nightly-cleanup");
    assert_eq!(cleanup.is_public, Some(false));
    assert_eq!(cleanup.data["triggerCallersRestricted"], true);

    assert_eq!(
        names(&n, "AZURE_RESOURCE_GROUP"),
        ["MC_rg-aks_aks-prod_westeurope", "rg-legacy", "rg-web"]
    );
    let managed = find(&n, "AZURE_RESOURCE_GROUP", "MC_rg-aks_aks-prod_westeurope");
    assert!(
        managed.data["managedBy"]
            .as_str()
            .unwrap()
            .ends_with("/managedClusters/aks-prod")
    );
    assert_eq!(managed.data["provisioningState"], "Succeeded");

    let vaults = n
        .ignored
        .iter()
        .find(|i| i.kind == "Microsoft.KeyVault/vaults")
        .unwrap();
    assert_eq!(vaults.count, 2);
}

fn directory() -> bulwark_inventory::Normalized {
    run_clean(
        Provider::Azure,
        &[
            "azure/ad_user_list.json",
            "azure/graph_users.json",
            "azure/role_assignment_list.json",
            "azure/mfa_registration.json",
            "azure/ad_group_list.json",
        ],
    )
}

#[test]
fn users_merge_graph_export_role_assignments_and_mfa_report() {
    let n = directory();
    assert_eq!(
        names(&n, "AZURE_USER"),
        ["Alice Example", "Bob Builder", "svc-legacy-sync"]
    );
    let alice = find(&n, "AZURE_USER", "Alice Example");
    assert_fields(alice, shapes::AZURE_USER);
    let d = &alice.data;
    assert_eq!(
        alice.account_id, "",
        "tenant objects are left for the caller"
    );
    assert_eq!(d["instanceId"], "2b7e9c1d-4f3a-4e8b-9d2c-1a0f9e8d7c6b");
    assert_eq!(d["isActive"], true);
    assert_eq!(d["isMfaActive"], true);
    assert_eq!(d["consolePasswdStatus"], "NeverExpires");
    assert_eq!(d["attachedManagedPolicyCount"], 3);
    assert_eq!(
        d["userPolicyCount"], 2,
        "Owner and Storage Blob Data Reader"
    );
    assert_eq!(d["groupList"], "Cloud Admins,All Staff");
    assert_eq!(d["passwordLastUsed"], "2024-03-01T07:55:12Z");
    assert_eq!(d["passwordLastChanged"], "2023-01-03T10:00:00Z");
    assert_eq!(d["mainNickname"], "alice");
    assert_eq!(d["source"], "Azure Active Directory");
    assert_eq!(d["usageLocation"], "NL");

    let bob = find(&n, "AZURE_USER", "Bob Builder");
    assert_eq!(bob.data["source"], "Invited user");
    assert_eq!(bob.data["signInName"], "bob@partner.example");
    assert_eq!(bob.data["userType"], "Guest");
    assert_eq!(bob.data["isMfaActive"], true, "registered, if only by SMS");
    assert_eq!(bob.data["attachedManagedPolicyCount"], 0);

    let svc = find(&n, "AZURE_USER", "svc-legacy-sync");
    assert_eq!(svc.data["isActive"], false);
    assert_eq!(svc.data["consolePasswdStatus"], "Disabled");
    assert_eq!(svc.data["source"], "Windows Server AD");
    assert_eq!(svc.data["isMfaActive"], false);
}

#[test]
fn az_ad_user_list_alone_leaves_unknowns_null() {
    let n = run_clean(Provider::Azure, &["azure/ad_user_list.json"]);
    let alice = find(&n, "AZURE_USER", "Alice Example");
    assert_eq!(alice.data["isActive"], serde_json::Value::Null);
    assert_eq!(
        alice.data["attachedManagedPolicyCount"],
        serde_json::Value::Null
    );
    assert_eq!(alice.data["mail"], "alice@contoso.com");
}

#[test]
fn groups_carry_their_role_assignments() {
    let n = directory();
    let admins = find(&n, "AZURE_GROUP", "Cloud Admins");
    assert_eq!(admins.data["securityEnabled"], true);
    assert_eq!(admins.data["isAssignableToRole"], true);
    assert_eq!(
        admins.data["roleAssignments"],
        json!([format!("Contributor@{S}")])
    );
    let staff = find(&n, "AZURE_GROUP", "All Staff");
    assert_eq!(
        staff.data["groupTypes"],
        json!(["Unified", "DynamicMembership"])
    );
    assert_eq!(staff.data["roleAssignments"], json!([]));
}

#[test]
fn activity_log_events() {
    let n = run_clean(Provider::Azure, &["azure/activity_log.json"]);
    let rule = find(&n, "AZURE_ACTIVITY_LOG", "Create or Update Security Rule");
    assert_eq!(rule.resource_id, "d4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a");
    assert_eq!(rule.account_id, SUB);
    assert_eq!(rule.is_public, Some(true), "called from a public address");
    assert_eq!(rule.data["caller"], "alice@contoso.com");
    assert_eq!(
        rule.data["operationName"],
        "Microsoft.Network/networkSecurityGroups/securityRules/write"
    );
    assert_eq!(rule.data["status"], "Succeeded");
    assert_eq!(rule.data["category"], "Administrative");
    assert_eq!(rule.data["httpMethod"], "PUT");
    let keys = find(&n, "AZURE_ACTIVITY_LOG", "List Storage Account Keys");
    assert_eq!(keys.is_public, Some(false));
    assert_eq!(keys.data["level"], "Warning");
}

#[test]
fn nsg_flow_log_tuples_become_traffic_assets() {
    let n = run(Provider::Azure, &["azure/nsg_flow_log_PT1H.json"]);
    let incoming = of_key(&n, "AZURE_INCOMING_TRAFFIC");
    let outgoing = of_key(&n, "AZURE_OUTGOING_TRAFFIC");
    assert_eq!(incoming.len(), 3);
    assert_eq!(outgoing.len(), 1);
    let end = incoming
        .iter()
        .find(|a| a.data["flowState"] == "End")
        .unwrap();
    assert_eq!(
        end.account_id, SUB,
        "lower-cased from the upper-case resource id"
    );
    assert_eq!(end.name, "198.51.100.23 -> 10.10.1.4:22/TCP");
    assert_eq!(end.is_public, Some(true));
    assert_eq!(end.data["rule"], "UserRule_SSH");
    assert_eq!(end.data["bytesSent"], 2100);
    assert_eq!(end.data["packetsReceived"], 12);
    assert_eq!(end.data["action"], "Allowed");
    assert_eq!(end.data["flowLogVersion"], 2);
    let denied = incoming
        .iter()
        .find(|a| a.data["destinationPort"] == 3389)
        .unwrap();
    assert_eq!(denied.data["action"], "Denied");
    assert_eq!(outgoing[0].data["remoteIp"], "185.199.108.133");
    assert_eq!(outgoing[0].data["bytesReceived"], 81920);
    assert_eq!(n.warnings.len(), 1);
    assert_eq!(n.warnings[0].message, "1 flow tuples could not be read");
    assert_eq!(n.warnings[0].item, "/0/records/0");
}

#[test]
fn aks_objects_from_kubectl_use_the_azure_keys_and_subscription() {
    let n = run_clean(Provider::Azure, &["azure/aks_kubectl.json"]);
    for key in [
        "AZURE_NODE",
        "AZURE_POD",
        "AZURE_CONTAINER",
        "AZURE_SERVICE",
        "AZURE_INGRESS",
        "AZURE_NETWORK_POLICY",
        "AZURE_RBAC_ROLE",
    ] {
        let assets = of_key(&n, key);
        assert_eq!(assets.len(), 1, "{key}");
        assert_eq!(
            assets[0].account_id, SUB,
            "{key} account from the node's providerID"
        );
    }
    let node = find(&n, "AZURE_NODE", "aks-nodepool1-12345678-vmss000000");
    assert_fields(node, shapes::NODE);
    assert_eq!(node.data["provider"], "azure");
    assert_eq!(node.data["cloudProvider"], "aks");
    assert_eq!(node.region.as_deref(), Some("westeurope"));
    let pod = find(&n, "AZURE_POD", "checkout-6c7d8e9f0a-zz9yy");
    assert_eq!(
        pod.is_public,
        Some(true),
        "selected by a public load balancer"
    );
    assert_eq!(pod.data["cloudProviderId"], SUB);
    assert_eq!(
        find(&n, "AZURE_CONTAINER", "checkout").data["image"],
        "contosoregistry.azurecr.io/shop/checkout:4.0.2"
    );
    let policy = find(&n, "AZURE_NETWORK_POLICY", "allow-all");
    assert_eq!(policy.data["allowsAllIngress"], true);
    assert_eq!(policy.is_public, Some(true));
}

#[test]
fn objects_of_other_providers_are_warned_about() {
    let n = normalize_or_panic(Provider::Gcp, "azure/vm_list_d.json");
    assert!(n.assets.is_empty());
    assert_eq!(n.warnings.len(), 3);
    assert!(n.warnings[0].message.contains("Azure object"));
    assert_eq!(n.warnings[2].item, "/2");
    assert_eq!(
        n.warnings[0].kind.as_deref(),
        Some("Microsoft.Compute/virtualMachines")
    );
}

fn normalize_or_panic(provider: Provider, relative: &str) -> bulwark_inventory::Normalized {
    bulwark_inventory::normalize(provider, None, &fixture(relative)).unwrap()
}
