//! The response items of `/vms`, `/users`, `/serverless` and `/containers`
//! have exactly the seed's fields, and `/containers` filtering follows the
//! seed's parameters and messages.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use std::collections::BTreeSet;

use bulwark_inventory::serve::{
    ContainerProvider, ContainerQuery, ContainerType, container_items, host_search_key,
    serverless_items, user_items, vm_item, vm_items,
};
use bulwark_inventory::{Asset, Provider, shapes};
use common::*;
use serde_json::{Value, json};

fn keys_of(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

fn set(fields: &[&str]) -> BTreeSet<String> {
    fields.iter().map(|f| (*f).to_owned()).collect()
}

#[test]
fn vms_items_per_provider() {
    let azure = run_clean(
        Provider::Azure,
        &["azure/vm_list_d.json", "azure/nsg_list.json"],
    );
    let items = vm_items(&azure.assets, Provider::Azure).unwrap();
    assert_eq!(items.len(), 3, "NSGs are not hosts");
    let item = serde_json::to_value(&items[0]).unwrap();
    assert_eq!(
        keys_of(&item),
        set(&["accountType", "accountId", "instanceId", "moreInfo"])
    );
    assert_eq!(item["accountType"], "AZURE");
    assert_eq!(item["accountId"], "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
    assert!(
        item["instanceId"]
            .as_str()
            .unwrap()
            .ends_with("/virtualMachines/web-01")
    );
    assert_eq!(keys_of(&item["moreInfo"]), set(shapes::AZURE_HOST));

    let gcp = run_clean(Provider::Gcp, &["gcp/instances_list.json"]);
    let items = vm_items(&gcp.assets, Provider::Gcp).unwrap();
    assert_eq!(items[0].account_type, "GCP");
    assert_eq!(items[0].instance_id, "4567890123456789012");
    assert_eq!(keys_of(&items[0].more_info), set(shapes::GCP_HOST));
    assert!(vm_items(&gcp.assets, Provider::Azure).unwrap().is_empty());

    let error = vm_items(&gcp.assets, Provider::Kubernetes).unwrap_err();
    assert_eq!(error.to_string(), "Provider type not supported");
    assert_eq!(host_search_key(Provider::Aws).unwrap(), "AWS_HOST");
}

#[test]
fn aws_hosts_from_the_collector_are_projected_onto_the_sample() {
    let asset = Asset {
        search_key: "AWS_HOST".into(),
        provider: Provider::Aws,
        account_id: "012345678901".into(),
        region: Some("eu-west-1".into()),
        resource_id: "i-0abc123".into(),
        name: "web".into(),
        tags: vec![],
        is_public: Some(true),
        data: json!({ "imageId": "ami-1", "isPublic": true, "collectorInternal": 1 }),
    };
    let item = vm_item(&asset).unwrap();
    assert_eq!(item.account_type, "AWS");
    assert_eq!(item.account_id, "012345678901", "leading zero kept");
    assert_eq!(keys_of(&item.more_info), set(shapes::AWS_HOST));
    assert_eq!(item.more_info["imageId"], "ami-1");
    assert_eq!(item.more_info["vpcId"], Value::Null);
    assert!(item.more_info.get("collectorInternal").is_none());
}

#[test]
fn users_items_per_provider() {
    let azure = run_clean(Provider::Azure, &["azure/graph_users.json"]);
    let items = user_items(&azure.assets, Provider::Azure).unwrap();
    assert_eq!(items.len(), 3);
    let item = serde_json::to_value(&items[0]).unwrap();
    assert_eq!(
        keys_of(&item),
        set(&["accountType", "accountId", "name", "moreInfo"])
    );
    assert_eq!(
        item["accountType"], "Azure",
        "the seed's user sample spells it so"
    );
    assert_eq!(item["name"], "Alice Example");
    assert_eq!(keys_of(&item["moreInfo"]), set(shapes::AZURE_USER));

    let gcp = run_clean(Provider::Gcp, &["gcp/directory_users.json"]);
    let items = user_items(&gcp.assets, Provider::Gcp).unwrap();
    assert_eq!(items[0].account_type, "GCP");
    assert_eq!(keys_of(&items[0].more_info), set(shapes::GCP_USER));
    assert_eq!(
        user_items(&gcp.assets, Provider::Docker)
            .unwrap_err()
            .to_string(),
        "Provider type not supported"
    );
}

#[test]
fn serverless_items_are_function_apps_only() {
    let n = run_clean(
        Provider::Azure,
        &[
            "azure/functionapp_list.json",
            "azure/webapp_list.json",
            "azure/functionapp_arm_export.json",
        ],
    );
    let items = serverless_items(&n.assets, Provider::Azure).unwrap();
    let names: Vec<&str> = items.iter().map(|i| i.function_name.as_str()).collect();
    assert_eq!(names, ["orders-func", "payroll-func", "etl-func"]);
    let item = serde_json::to_value(&items[0]).unwrap();
    assert_eq!(
        keys_of(&item),
        set(&[
            "accountType",
            "accountId",
            "functionName",
            "region",
            "moreInfo"
        ])
    );
    assert_eq!(item["accountType"], "Azure");
    assert_eq!(item["region"], "westeurope");
    assert_eq!(keys_of(&item["moreInfo"]), set(shapes::AZURE_FUNCTION));
    assert_eq!(
        serverless_items(&n.assets, Provider::Gcp)
            .unwrap_err()
            .to_string(),
        "Provider GCP not supported"
    );
}

#[test]
fn container_query_validation_uses_the_seed_messages() {
    let message =
        |p: Option<&str>, t: Option<&str>| ContainerQuery::parse(p, t).unwrap_err().to_string();
    assert_eq!(message(None, Some("pods")), "Provider not provided.");
    assert_eq!(message(Some(" "), Some("pods")), "Provider not provided.");
    assert_eq!(message(Some("eks"), None), "Container-Type not provided.");
    assert_eq!(
        message(Some("eks"), Some("vms")),
        "Invalid Container-Type:vms"
    );
    assert_eq!(
        message(Some("native"), Some("clusters")),
        "Provider:native not supported for Container-Type:clusters"
    );
    assert_eq!(
        message(Some("ecs"), Some("pods")),
        "Provider:ecs not supported for Container-Type:pods"
    );
    let query = ContainerQuery::parse(Some("AKS"), Some("Pods")).unwrap();
    assert_eq!(query.provider, ContainerProvider::Aks);
    assert_eq!(query.container_type, ContainerType::Pods);
    assert_eq!(query.search_key(), "AZURE_POD");
}

#[test]
fn native_containers_include_docker_hosts() {
    let mut assets = run_clean(Provider::Kubernetes, &["kubernetes/pods.json"]).assets;
    assets.extend(run_clean(Provider::Docker, &["docker/inspect_containers.json"]).assets);
    assets.extend(run_clean(Provider::Aws, &["kubernetes/pods.json"]).assets);
    let native = ContainerQuery::parse(Some("native"), Some("containers")).unwrap();
    let items = container_items(&assets, &native);
    assert_eq!(
        items.len(),
        4 + 3,
        "4 pod containers and 3 Docker containers"
    );
    let types: BTreeSet<&str> = items.iter().map(|i| i.account_type.as_str()).collect();
    assert_eq!(types, BTreeSet::from(["Docker", "Kubernetes"]));
    let item = serde_json::to_value(&items[0]).unwrap();
    assert_eq!(
        keys_of(&item),
        set(&["accountType", "accountId", "objectId", "name", "moreInfo"])
    );
    assert_eq!(keys_of(&item["moreInfo"]), set(shapes::CONTAINER));

    let eks = ContainerQuery::parse(Some("eks"), Some("pods")).unwrap();
    let pods = container_items(&assets, &eks);
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|p| p.account_type == "AWS"));
    assert_eq!(keys_of(&pods[0].more_info), set(shapes::POD));
}

#[test]
fn aks_clusters_as_container_items() {
    let n = run_clean(Provider::Azure, &["azure/aks_list.json"]);
    let query = ContainerQuery::parse(Some("aks"), Some("clusters")).unwrap();
    let items = container_items(&n.assets, &query);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].account_type, "Azure");
    assert_eq!(items[0].name, "aks-prod");
    assert!(items[0].object_id.ends_with("/managedClusters/aks-prod"));
    assert_eq!(keys_of(&items[0].more_info), set(shapes::CLUSTER));
    let gke = ContainerQuery::parse(Some("gke"), Some("clusters")).unwrap();
    assert!(container_items(&n.assets, &gke).is_empty());
}

#[test]
fn assets_serialize_with_the_search_field_names_and_round_trip() {
    let n = run_clean(Provider::Gcp, &["gcp/instances_list.json"]);
    let asset = &n.assets[0];
    let value = serde_json::to_value(asset).unwrap();
    assert_eq!(
        keys_of(&value),
        set(&[
            "searchKey",
            "provider",
            "accountId",
            "region",
            "resourceId",
            "name",
            "tags",
            "isPublic",
            "data"
        ])
    );
    assert_eq!(value["provider"], "GCP");
    assert_eq!(value["tags"][0], json!({ "name": "env", "value": "prod" }));
    let back: Asset = serde_json::from_value(value).unwrap();
    assert_eq!(&back, asset);
    assert_eq!(Provider::from_optix("Azure"), Some(Provider::Azure));
    assert_eq!(
        Provider::from_optix("azure"),
        None,
        "case-sensitive, as the seed says"
    );
    assert_eq!("Docker".parse::<Provider>().unwrap(), Provider::Docker);
    assert_eq!(
        "k8s".parse::<Provider>().unwrap_err().to_string(),
        "Provider type not supported"
    );
}
