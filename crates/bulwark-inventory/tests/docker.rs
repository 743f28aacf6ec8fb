//! `docker inspect`, `docker ps --format json` and image listings become
//! NATIVE_CONTAINER assets of provider Docker and IMAGE_REGISTRY assets.

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
use serde_json::{Value, json};

#[test]
fn inspected_containers_follow_the_container_sample() {
    let n = run_clean(Provider::Docker, &["docker/inspect_containers.json"]);
    assert_eq!(
        names(&n, "NATIVE_CONTAINER"),
        ["ci-runner", "report-worker", "shop-db-1"]
    );
    let db = find(&n, "NATIVE_CONTAINER", "shop-db-1");
    assert_fields(db, shapes::CONTAINER);
    assert_eq!(db.provider, Provider::Docker);
    assert_eq!(db.account_id, "");
    assert_eq!(
        db.resource_id,
        "f2a9c81b7e3d4a5f6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c"
    );
    assert_eq!(db.is_public, Some(true), "5432 published on all interfaces");
    assert_eq!(tag(db, "com.docker.compose.project"), Some("shop"));
    let d = &db.data;
    assert_eq!(d["image"], "postgres:16");
    assert_eq!(d["status"], "running");
    assert_eq!(d["startedTime"], "2024-02-29T21:14:04.120034567Z");
    assert_eq!(d["restartCount"], 0);
    assert_eq!(d["privileged"], false);
    assert_eq!(d["allowPrivilegeEscalation"], true);
    assert_eq!(d["cloudProvider"], "docker");
    assert_eq!(d["imagePullPolicy"], Value::Null);
    assert_eq!(
        mapped(db, "mappedPorts")["5432/tcp"][0]["HostIp"],
        "0.0.0.0"
    );
    assert_eq!(
        mapped(db, "mappedCommands"),
        json!(["docker-entrypoint.sh"])
    );
    assert_eq!(mapped(db, "mappedArgs"), json!(["postgres"]));
    assert!(!leaks(&n, "hunter2-do-not-copy"));
}

#[test]
fn privileged_runner_with_the_docker_socket() {
    let n = run_clean(Provider::Docker, &["docker/inspect_containers.json"]);
    let runner = find(&n, "NATIVE_CONTAINER", "ci-runner");
    assert_eq!(
        runner.is_public,
        Some(true),
        "host network with an exposed port"
    );
    assert_eq!(runner.data["privileged"], true);
    assert_eq!(runner.data["restartCount"], 3);
    assert_eq!(runner.data["isStdin"], true);
    assert_eq!(runner.data["workingDir"], "/builds");
    let security = mapped(runner, "mappedSecurityContext");
    assert_eq!(
        security["sensitiveMounts"],
        json!(["/etc", "/var/run/docker.sock"])
    );
    assert_eq!(security["pidMode"], "host");
    assert_eq!(security["capAdd"], json!(["SYS_ADMIN"]));
    assert_eq!(security["user"], "root");
    assert!(!leaks(&n, "glrt-SECRETSECRETSECRET"));

    let worker = find(&n, "NATIVE_CONTAINER", "report-worker");
    assert_eq!(worker.is_public, Some(false), "bound to 127.0.0.1 only");
    assert_eq!(
        worker.data["allowPrivilegeEscalation"], false,
        "no-new-privileges"
    );
    assert_eq!(worker.data["status"], "exited");
    assert_eq!(
        mapped(worker, "mappedSecurityContext")["readonlyRootfs"],
        true
    );
}

#[test]
fn docker_ps_rows_from_json_lines() {
    let n = run_clean(Provider::Docker, &["docker/ps.jsonl"]);
    let proxy = find(&n, "NATIVE_CONTAINER", "shop-proxy-1");
    assert_fields(proxy, shapes::CONTAINER);
    assert_eq!(proxy.is_public, Some(true));
    assert_eq!(proxy.resource_id, "9b1d2c3e4f5a");
    assert_eq!(
        mapped(proxy, "mappedPorts"),
        json!(["0.0.0.0:443->443/tcp", ":::443->443/tcp", "80/tcp"])
    );
    assert_eq!(
        proxy.data["privileged"],
        Value::Null,
        "docker ps does not say"
    );
    assert_eq!(tag(proxy, "com.docker.compose.service"), Some("proxy"));
    assert_eq!(
        find(&n, "NATIVE_CONTAINER", "metrics").is_public,
        Some(false)
    );
    let scratch = find(&n, "NATIVE_CONTAINER", "scratchpad");
    assert_eq!(scratch.data["status"], "exited", "from `Exited (137) ...`");
}

#[test]
fn registries_of_images_and_containers() {
    let n = run_clean(
        Provider::Docker,
        &[
            "docker/image_inspect.json",
            "docker/images.jsonl",
            "docker/inspect_containers.json",
        ],
    );
    assert_eq!(
        names(&n, "IMAGE_REGISTRY"),
        [
            "docker.io",
            "ghcr.io",
            "registry.acme.internal:5000",
            "registry.gitlab.com"
        ]
    );
    let hub = find(&n, "IMAGE_REGISTRY", "docker.io");
    assert_eq!(hub.provider, Provider::Docker);
    assert_eq!(hub.is_public, Some(true));
    assert_eq!(
        hub.data["repositories"],
        json!(["library/nginx", "library/postgres"])
    );
    assert_eq!(hub.data["usedByContainers"], json!(["shop-db-1"]));
    let internal = find(&n, "IMAGE_REGISTRY", "registry.acme.internal:5000");
    assert_eq!(internal.is_public, None);
    assert_eq!(
        internal.data["repositories"],
        json!(["reports/worker", "shop/web"])
    );
    assert_eq!(internal.data["imageCount"], 1);
    assert_eq!(internal.data["registryType"], "Docker");
    let untagged: usize = n
        .ignored
        .iter()
        .filter(|i| i.reason.starts_with("untagged"))
        .map(|i| i.count)
        .sum();
    assert_eq!(untagged, 2);
}

#[test]
fn docker_objects_need_a_docker_environment() {
    let n = bulwark_inventory::normalize(Provider::Kubernetes, None, &fixture("docker/ps.jsonl"))
        .unwrap();
    assert!(n.assets.is_empty());
    assert_eq!(n.warnings.len(), 3);
    assert!(n.warnings[0].message.contains("Docker environment"));
}
