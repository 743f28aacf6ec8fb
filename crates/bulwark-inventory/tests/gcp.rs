//! `gcloud ... --format=json` output, Admin SDK directory objects, IAM
//! policies and Cloud Logging entries become the GCP_* assets.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use bulwark_inventory::{Normalized, Provider, shapes};
use common::*;
use serde_json::{Value, json};

fn compute() -> Normalized {
    run_clean(
        Provider::Gcp,
        &[
            "gcp/instances_list.json",
            "gcp/firewall_rules_list.json",
            "gcp/disks_list.json",
            "gcp/networks_list.json",
            "gcp/subnets_list.json",
        ],
    )
}

#[test]
fn public_instance_follows_the_gcp_host_sample() {
    let n = compute();
    let web = find(&n, "GCP_HOST", "web-1");
    assert_fields(web, shapes::GCP_HOST);
    assert_eq!(web.provider, Provider::Gcp);
    assert_eq!(web.account_id, "acme-prod");
    assert_eq!(web.region.as_deref(), Some("us-central1"));
    assert_eq!(web.resource_id, "4567890123456789012");
    assert_eq!(web.is_public, Some(true));
    assert_eq!(tag(web, "team"), Some("web"));
    let d = &web.data;
    assert_eq!(d["instanceType"], "e2-medium");
    assert_eq!(d["zone"], "us-central1-a");
    assert_eq!(d["status"], "RUNNING");
    assert_eq!(d["kind"], "compute#instance");
    assert_eq!(d["publicIP"], "34.123.45.67");
    assert_eq!(d["privateIP"], "10.128.0.2");
    assert_eq!(d["cpuPlatform"], "Intel Broadwell");
    assert_eq!(d["deletionProtection"], false);
    assert_eq!(d["description"], "public web frontend");
    assert_eq!(d["tags"], json!(["http-server", "https-server"]));
    assert_eq!(
        d["firewallList"],
        json!([
            "default-allow-http",
            "default-allow-internal",
            "default-allow-ssh"
        ])
    );
    let nic = &d["networkInterfaceList"][0];
    assert_eq!(nic["privateIp"], "10.128.0.2");
    assert!(
        nic["networkId"]
            .as_str()
            .unwrap()
            .ends_with("/global/networks/default")
    );
    assert_eq!(
        nic["accessConfigList"][0]["publicPtrDomainName"],
        "web-1.acme.example."
    );
    let disk = &d["disksList"][0];
    assert_eq!(disk["name"], "web-1");
    assert_eq!(disk["diskSizeGb"], "20");
    assert_eq!(disk["diskType"], "pd-balanced");
    assert!(
        disk["sourceImage"]
            .as_str()
            .unwrap()
            .ends_with("/debian-12-bookworm-v20230912")
    );
    assert_eq!(disk["isEncrypted"], false);
    assert_eq!(disk["index"], 0);
    assert_eq!(
        d["serviceAccountList"][0]["scopes"],
        json!(["https://www.googleapis.com/auth/cloud-platform"])
    );
    assert_eq!(d["hasContainerNodes"], false);
    assert_eq!(d["metadata"]["enable-oslogin"], "FALSE");
    assert_eq!(d["metadata"]["startup-script"], "<redacted>");
    assert_eq!(d["metadata"]["ssh-keys"], "<redacted>");
    assert!(!leaks(&n, "s3cr3t-from-startup"));
    assert!(!leaks(&n, "AAAAC3NzaC1lZDI1NTE5"));
}

#[test]
fn private_bastion_gets_rules_by_service_account_and_tag() {
    let n = compute();
    let bastion = find(&n, "GCP_HOST", "bastion-eu");
    let d = &bastion.data;
    assert_eq!(bastion.is_public, Some(false));
    assert_eq!(bastion.region.as_deref(), Some("europe-west1"));
    assert_eq!(d["publicIP"], Value::Null);
    assert_eq!(
        d["firewallList"],
        json!(["prod-allow-iap-ssh", "prod-deny-egress"]),
        "disabled rule left out"
    );
    assert_eq!(d["canIpForward"], true);
    assert_eq!(d["deletionProtection"], true);
    assert_eq!(
        d["disksList"][0]["isEncrypted"], true,
        "customer-managed key"
    );
    assert_eq!(d["disksList"][0]["diskType"], "pd-ssd");
    assert_eq!(d["disksList"][1]["mode"], "READ_ONLY");
    assert_eq!(
        d["disksList"][1]["sourceImage"],
        Value::Null,
        "no disk item for it"
    );
    assert_eq!(d["metadata"]["block-project-ssh-keys"], "true");
}

#[test]
fn gke_node_vm_has_container_nodes_and_its_kube_env_is_redacted() {
    let n = compute();
    let node = find(&n, "GCP_HOST", "gke-prod-gke-default-pool-1a2b3c4d-x7k2");
    assert_eq!(node.data["hasContainerNodes"], true);
    assert_eq!(node.data["metadata"]["kube-env"], "<redacted>");
    assert_eq!(
        node.data["firewallList"],
        json!(["default-allow-internal", "default-allow-ssh"])
    );
    assert!(!leaks(&n, "KUBELET_KEY"));
}

#[test]
fn firewall_rules() {
    let n = compute();
    let ssh = find(&n, "GCP_FIREWALL", "default-allow-ssh");
    assert_eq!(ssh.is_public, Some(true));
    assert_eq!(ssh.account_id, "acme-prod");
    assert_eq!(ssh.resource_id, "3300112233445566778");
    assert_eq!(
        ssh.data["allowed"],
        json!([{ "protocol": "tcp", "ports": ["22"] }])
    );
    assert_eq!(ssh.data["network"], "default");
    assert_eq!(ssh.data["openToInternet"], true);
    assert_eq!(
        find(&n, "GCP_FIREWALL", "default-allow-internal").is_public,
        Some(false)
    );
    let disabled = find(&n, "GCP_FIREWALL", "temp-allow-all");
    assert_eq!(disabled.is_public, Some(false));
    assert_eq!(disabled.data["disabled"], true);
    let egress = find(&n, "GCP_FIREWALL", "prod-deny-egress");
    assert_eq!(egress.data["direction"], "EGRESS");
    assert_eq!(egress.data["denied"][0]["protocol"], "all");
    assert_eq!(egress.is_public, Some(false));
}

#[test]
fn vpcs_with_subnets_and_firewall_rules() {
    let n = compute();
    let default = find(&n, "GCP_VPC", "default");
    assert_eq!(default.data["isDefault"], true);
    assert_eq!(default.data["subnetMode"], "AUTO");
    assert_eq!(default.data["subnetworks"][1]["region"], "europe-west1");
    assert_eq!(
        default.data["openFirewallRules"],
        json!(["default-allow-http", "default-allow-ssh"])
    );
    assert_eq!(default.is_public, None);
    let prod = find(&n, "GCP_VPC", "prod-vpc");
    assert_eq!(prod.data["routingMode"], "GLOBAL");
    assert_eq!(prod.data["subnetworks"][0]["ipCidrRange"], "10.20.0.0/20");
    assert_eq!(prod.data["subnetworks"][0]["flowLogsEnabled"], true);
    assert_eq!(
        prod.data["peerings"][0]["name"],
        "servicenetworking-googleapis-com"
    );
    assert_eq!(prod.data["openFirewallRules"], json!([]));
    assert_eq!(prod.account_id, "acme-prod");
}

#[test]
fn buckets_in_gcloud_storage_shape() {
    let n = run_clean(
        Provider::Gcp,
        &["gcp/buckets_list.json", "gcp/asset_iam_policies.json"],
    );
    let public = find(&n, "GCP_BUCKET", "acme-public-assets");
    assert_eq!(public.is_public, Some(true));
    assert_eq!(public.data["publicAcl"], json!(["allUsers:READER"]));
    assert_eq!(
        public.data["publicIamMembers"],
        json!(["roles/storage.objectViewer allUsers"])
    );
    assert_eq!(public.data["url"], "gs://acme-public-assets/");
    assert_eq!(public.data["location"], "us");
    assert_eq!(public.data["versioningEnabled"], false);
    assert_eq!(public.region.as_deref(), Some("us"));
    assert_eq!(tag(public, "content"), Some("static"));
    let archive = find(&n, "GCP_BUCKET", "acme-audit-archive");
    assert_eq!(
        archive.is_public,
        Some(false),
        "public access prevention enforced"
    );
    assert_eq!(archive.data["uniformBucketLevelAccess"], true);
    assert_eq!(archive.data["loggingEnabled"], true);
    assert_eq!(
        archive.data["defaultKmsKeyName"],
        "projects/acme-prod/locations/us/keyRings/storage/cryptoKeys/audit"
    );
}

#[test]
fn buckets_in_json_api_shape_with_a_bucket_policy() {
    let n = run_clean(
        Provider::Gcp,
        &["gcp/buckets_raw.json", "gcp/bucket_iam_policy.json"],
    );
    let ml = find(&n, "GCP_BUCKET", "acme-ml-datasets");
    assert_eq!(ml.is_public, Some(true), "allAuthenticatedUsers can read");
    assert_eq!(ml.data["projectNumber"], "123456789012");
    assert_eq!(ml.data["storageClass"], "STANDARD");
    assert_eq!(ml.data["uniformBucketLevelAccess"], true);
    assert_eq!(ml.data["created"], "2023-05-01T10:00:00.000Z");
    let alone = run_clean(Provider::Gcp, &["gcp/buckets_raw.json"]);
    assert_eq!(
        find(&alone, "GCP_BUCKET", "acme-ml-datasets").is_public,
        None
    );
}

#[test]
fn cloud_sql_instance_open_to_the_internet() {
    let n = run_clean(Provider::Gcp, &["gcp/sql_instances_list.json"]);
    let orders = find(&n, "GCP_SQL", "orders-db");
    assert_eq!(orders.is_public, Some(true));
    assert_eq!(orders.account_id, "acme-prod");
    assert_eq!(orders.resource_id, "acme-prod:us-central1:orders-db");
    assert_eq!(orders.region.as_deref(), Some("us-central1"));
    assert_eq!(orders.data["publicIP"], "35.192.0.10");
    assert_eq!(orders.data["privateIP"], "10.20.16.3");
    assert_eq!(orders.data["authorizedNetworks"], json!(["0.0.0.0/0"]));
    assert_eq!(orders.data["requireSsl"], false);
    assert_eq!(
        orders.data["databaseFlags"][0],
        json!({ "name": "log_connections", "value": "off" })
    );
    assert_eq!(tag(orders, "app"), Some("orders"));
    assert!(!leaks(
        &n,
        "MIIDfzCCAmegAwIBAgIBADANBgkqhkiG9w0BAQsFADB3MS0wKwYDVQQuEyRmMGI"
    ));
    let hr = find(&n, "GCP_SQL", "hr-mysql");
    assert_eq!(hr.is_public, Some(false));
    assert_eq!(hr.data["ipv4Enabled"], false);
    assert_eq!(hr.data["sslMode"], "ENCRYPTED_ONLY");
}

#[test]
fn gke_clusters_follow_the_cluster_sample() {
    let n = run_clean(Provider::Gcp, &["gcp/clusters_list.json"]);
    let prod = find(&n, "GCP_CLUSTER", "prod-gke");
    assert_fields(prod, shapes::CLUSTER);
    assert_eq!(prod.is_public, Some(true));
    assert_eq!(prod.account_id, "acme-prod");
    assert_eq!(prod.region.as_deref(), Some("us-central1"));
    let d = &prod.data;
    assert_eq!(d["version"], "1.27.8-gke.1067004");
    assert_eq!(d["endpoint"], "34.66.10.20");
    assert_eq!(d["roleArn"], "default");
    assert_eq!(d["vpcId"], "projects/acme-prod/global/networks/default");
    assert_eq!(d["endpointPublicAccess"], true);
    assert_eq!(d["endpointPrivateAccess"], false);
    assert_eq!(d["createdAt"], "2023-06-01T08:00:00+00:00");
    assert_eq!(mapped(prod, "mappedTags"), json!({ "env": "prod" }));
    assert_eq!(
        mapped(prod, "mappedSubnetList"),
        json!(["projects/acme-prod/regions/us-central1/subnetworks/default"])
    );
    assert!(!leaks(&n, "legacy-basic-auth-password"));
    let internal = find(&n, "GCP_CLUSTER", "internal-gke");
    assert_eq!(internal.is_public, Some(false));
    assert_eq!(internal.data["endpointPrivateAccess"], true);
    assert_eq!(mapped(internal, "mappedSecurityGroupList")["enabled"], true);
}

#[test]
fn node_pools_from_clusters_and_node_pools_list() {
    let n = run_clean(
        Provider::Gcp,
        &["gcp/clusters_list.json", "gcp/node_pools_list.json"],
    );
    assert_eq!(names(&n, "GCP_NODEPOOL"), ["batch-pool", "default-pool"]);
    let default = find(&n, "GCP_NODEPOOL", "default-pool");
    assert_eq!(default.data["cluster"], "prod-gke");
    assert_eq!(default.data["usesDefaultServiceAccount"], true);
    assert_eq!(default.data["hasCloudPlatformScope"], true);
    assert_eq!(default.data["maxNodeCount"], 5);
    assert_eq!(default.data["legacyEndpointsDisabled"], true);
    assert_eq!(default.account_id, "acme-prod");
    let batch = find(&n, "GCP_NODEPOOL", "batch-pool");
    assert_eq!(batch.data["usesDefaultServiceAccount"], false);
    assert_eq!(batch.data["workloadMetadataMode"], "GKE_METADATA");
    assert_eq!(batch.data["autoUpgrade"], false);
    assert_eq!(batch.data["cluster"], "prod-gke");
    assert_eq!(batch.region.as_deref(), Some("us-central1"));
}

#[test]
fn users_from_the_directory_and_service_accounts() {
    let n = run_clean(
        Provider::Gcp,
        &[
            "gcp/directory_users.json",
            "gcp/service_accounts_list.json",
            "gcp/project_iam_policy.json",
        ],
    );
    assert_eq!(of_key(&n, "GCP_USER").len(), 5);
    let alice = find(&n, "GCP_USER", "Alice Admin");
    assert_fields(alice, shapes::GCP_USER);
    assert_eq!(alice.account_id, "");
    assert_eq!(alice.data["isAdmin"], true);
    assert_eq!(alice.data["isEnrolledIn2Sv"], false);
    assert_eq!(alice.data["orgId"], "C01abcdef");
    assert_eq!(alice.data["primaryEmail"], "alice@acme.example");
    assert_eq!(alice.data["instanceId"], "104953782649123456789");
    let carol = find(&n, "GCP_USER", "Carol Dev");
    assert_eq!(carol.data["isSuspended"], true);
    assert_eq!(carol.data["isDelegatedAdmin"], true);
    assert_eq!(carol.data["isAdmin"], false);
    assert_eq!(carol.data["changePasswordAtNextLogin"], true);

    let ci = find(&n, "GCP_USER", "CI deployer");
    assert_fields(ci, shapes::GCP_USER);
    assert_eq!(ci.account_id, "acme-prod");
    assert_eq!(
        ci.data["isAdmin"], true,
        "roles/owner in the project policy"
    );
    assert_eq!(ci.data["isSuspended"], false);
    assert_eq!(ci.data["agreedToTerms"], Value::Null);
    let compute = find(&n, "GCP_USER", "Compute Engine default service account");
    assert_eq!(compute.data["isAdmin"], true, "roles/editor");
    let old = find(&n, "GCP_USER", "old exporter");
    assert_eq!(old.data["isSuspended"], true);
    assert_eq!(old.data["isAdmin"], false);

    let without_policy = run_clean(Provider::Gcp, &["gcp/service_accounts_list.json"]);
    assert_eq!(
        find(&without_policy, "GCP_USER", "CI deployer").data["isAdmin"],
        Value::Null
    );
}

#[test]
fn groups_from_admin_sdk_and_cloud_identity() {
    let n = run_clean(
        Provider::Gcp,
        &["gcp/directory_groups.json", "gcp/identity_groups.json"],
    );
    let devs = find(&n, "GCP_GROUP", "GCP Developers");
    assert_eq!(devs.data["email"], "gcp-devs@acme.example");
    assert_eq!(devs.data["directMembersCount"], 12);
    assert_eq!(devs.data["adminCreated"], true);
    let sre = find(&n, "GCP_GROUP", "SRE On-call");
    assert_eq!(sre.resource_id, "groups/01gf8i832b0c1d2");
    assert_eq!(sre.data["email"], "sre-oncall@acme.example");
    assert_eq!(
        tag(sre, "cloudidentity.googleapis.com/groups.discussion_forum"),
        Some("")
    );
}

#[test]
fn role_bindings_from_project_bucket_and_asset_policies() {
    let n = run_clean(Provider::Gcp, &["gcp/project_iam_policy.json"]);
    assert_eq!(of_key(&n, "GCP_ROLE_BINDING").len(), 4);
    let owner = find(&n, "GCP_ROLE_BINDING", "roles/owner");
    assert_eq!(owner.data["memberCount"], 2);
    assert_eq!(owner.data["isBasicRole"], true);
    assert_eq!(owner.is_public, Some(false));
    let temporary = find(&n, "GCP_ROLE_BINDING", "roles/compute.admin");
    assert_eq!(temporary.data["condition"], "temporary-access");
    assert_eq!(
        temporary.resource_id,
        "#roles/compute.admin#temporary-access"
    );

    let assets = run_clean(Provider::Gcp, &["gcp/asset_iam_policies.json"]);
    let browser = find(&assets, "GCP_ROLE_BINDING", "roles/browser");
    assert_eq!(browser.is_public, Some(true));
    assert_eq!(browser.account_id, "acme-prod");
    assert_eq!(browser.data["publicMembers"], json!(["allUsers"]));
    let viewer = find(&assets, "GCP_ROLE_BINDING", "roles/storage.objectViewer");
    assert_eq!(
        viewer.data["resource"],
        "//storage.googleapis.com/acme-public-assets"
    );
    assert_eq!(viewer.is_public, Some(true));

    let bucket = run_clean(Provider::Gcp, &["gcp/bucket_iam_policy.json"]);
    assert_eq!(of_key(&bucket, "GCP_ROLE_BINDING").len(), 2);
}

#[test]
fn audit_log_entries_and_other_logs() {
    let n = run_clean(Provider::Gcp, &["gcp/logging_activity.json"]);
    assert_eq!(of_key(&n, "GCP_ACTIVITY_LOG").len(), 2);
    let insert = find(&n, "GCP_ACTIVITY_LOG", "v1.compute.firewalls.insert");
    assert_eq!(insert.account_id, "acme-prod");
    assert_eq!(insert.resource_id, "-7x2k4ae1b2c3");
    assert_eq!(insert.is_public, Some(true));
    assert_eq!(insert.data["principalEmail"], "alice@acme.example");
    assert_eq!(
        insert.data["resourceName"],
        "projects/acme-prod/global/firewalls/allow-all-ingress"
    );
    assert_eq!(insert.data["resourceType"], "gce_firewall_rule");
    let key = find(
        &n,
        "GCP_ACTIVITY_LOG",
        "google.iam.admin.v1.CreateServiceAccountKey",
    );
    assert_eq!(key.is_public, Some(false));
    assert_eq!(key.data["statusCode"], 0);
    assert!(!leaks(
        &n,
        "ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIsIC4uLg=="
    ));
    assert_eq!(
        n.ignored.len(),
        1,
        "the application log line: {:?}",
        n.ignored
    );
}

#[test]
fn vpc_flow_logs_split_into_incoming_and_outgoing() {
    let n = run_clean(Provider::Gcp, &["gcp/logging_vpc_flows.json"]);
    let incoming = of_key(&n, "GCP_INCOMING_TRAFFIC");
    assert_eq!(incoming.len(), 1);
    let ssh = incoming[0];
    assert_eq!(ssh.name, "198.51.100.77 -> 10.128.0.2:22/TCP");
    assert_eq!(ssh.is_public, Some(true));
    assert_eq!(ssh.region.as_deref(), Some("us-central1"));
    assert_eq!(ssh.data["remoteCountry"], "usa");
    assert_eq!(ssh.data["vpc"], "default");
    assert_eq!(ssh.data["destinationInstance"]["vmName"], "web-1");
    assert_eq!(ssh.data["bytesSent"], 1820);
    let outgoing = of_key(&n, "GCP_OUTGOING_TRAFFIC");
    assert_eq!(outgoing.len(), 1);
    assert_eq!(outgoing[0].data["destinationPort"], 443);
    assert_eq!(outgoing[0].data["vpc"], "prod-vpc");
    assert_eq!(outgoing[0].data["sourceInstance"]["vmName"], "bastion-eu");
}

#[test]
fn cloud_functions_have_no_search_key() {
    let n = run_clean(Provider::Gcp, &["gcp/functions_list.json"]);
    assert!(n.assets.is_empty());
    assert_eq!(n.ignored[0].count, 1);
    assert!(n.ignored[0].reason.contains("Cloud Functions"));
}
