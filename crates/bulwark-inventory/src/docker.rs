//! Docker hosts: `docker inspect <containers>` and `docker ps --format json`
//! rows become `NATIVE_CONTAINER` assets of provider Docker (`data` is
//! exactly the seed's container `moreInfo`, `cloudProvider: docker`);
//! `docker image inspect`, `docker images --format json` and the images of
//! containers become one `IMAGE_REGISTRY` asset per registry they come
//! from. Environment variables are never copied.
//!
//! Docker output never names its host, so `account_id` is empty (see
//! [`crate::Normalized::fill_missing_account`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::base::Base;
use crate::detect::Kind;
use crate::json::{arr_at, at, bool_at, i64_at, mapped, str_at, strings, tags_from_object};
use crate::model::{Provider, Tag};
use crate::normalize::{Index, Out};
use crate::snapshot::Item;

/// Registries well known to serve public images.
const PUBLIC_REGISTRIES: [&str; 8] = [
    "docker.io",
    "ghcr.io",
    "quay.io",
    "gcr.io",
    "mcr.microsoft.com",
    "public.ecr.aws",
    "registry.k8s.io",
    "registry.gitlab.com",
];

/// Host paths that give a container control of its host when mounted.
const SENSITIVE_MOUNTS: [&str; 9] = [
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/root",
    "/var/lib/docker",
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
];

/// Registries seen in the snapshot's images, by host.
#[derive(Default)]
pub(crate) struct DockerIndex {
    registries: BTreeMap<String, Registry>,
}

#[derive(Default)]
struct Registry {
    repositories: BTreeSet<String>,
    images: BTreeSet<String>,
    used_by_containers: BTreeSet<String>,
}

impl DockerIndex {
    pub(crate) fn add(&mut self, kind: Kind, v: &Value) {
        match kind {
            Kind::DockerImage => {
                let id = str_at(v, &["Id"]).unwrap_or_default();
                let references = strings(arr_at(v, &["RepoTags"]))
                    .into_iter()
                    .chain(strings(arr_at(v, &["RepoDigests"])));
                for reference in references {
                    self.note(&reference, Some(id), None);
                }
            }
            Kind::DockerImageRow => {
                if let Some(repository) = str_at(v, &["Repository"]) {
                    self.note(repository, str_at(v, &["ID"]), None);
                }
            }
            Kind::DockerContainer => {
                if let Some(image) = str_at(v, &["Config", "Image"]) {
                    self.note(image, None, Some(container_name(v)));
                }
            }
            Kind::DockerPsRow => {
                if let Some(image) = str_at(v, &["Image"]) {
                    self.note(image, None, str_at(v, &["Names"]));
                }
            }
            _ => {}
        }
    }

    fn note(&mut self, reference: &str, image: Option<&str>, container: Option<&str>) {
        let Some((host, repository)) = split_reference(reference) else {
            return;
        };
        let registry = self.registries.entry(host).or_default();
        registry.repositories.insert(repository);
        if let Some(image) = image.filter(|i| !i.is_empty()) {
            registry.images.insert(image.to_owned());
        }
        if let Some(container) = container.filter(|c| !c.is_empty()) {
            registry.used_by_containers.insert(container.to_owned());
        }
    }
}

/// `registry.acme.internal:5000/shop/api:1.4` → (`registry.acme.internal:5000`,
/// `shop/api`); `nginx` → (`docker.io`, `library/nginx`), as Docker reads
/// references: the first component is a registry only if it has a `.` or
/// `:` or is `localhost`.
pub(crate) fn split_reference(reference: &str) -> Option<(String, String)> {
    let reference = reference.trim();
    if reference.is_empty() || reference.starts_with("<none>") || reference.starts_with("sha256:") {
        return None;
    }
    let name = reference.split('@').next().unwrap_or(reference);
    let name = match name.rsplit_once(':') {
        Some((head, tag)) if !tag.contains('/') => head,
        _ => name,
    };
    let (host, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first.to_ascii_lowercase(), rest.to_owned())
        }
        Some(_) => ("docker.io".to_owned(), name.to_owned()),
        None => ("docker.io".to_owned(), format!("library/{name}")),
    };
    let host = if host == "index.docker.io" || host == "registry-1.docker.io" {
        "docker.io".to_owned()
    } else {
        host
    };
    (!path.is_empty()).then_some((host, path))
}

pub(crate) fn map(kind: Kind, item: &Item<'_>, out: &mut Out) {
    match kind {
        Kind::DockerContainer => inspected(item, out),
        Kind::DockerPsRow => ps_row(item, out),
        Kind::DockerImage | Kind::DockerImageRow => {
            let untagged = match kind {
                Kind::DockerImage => {
                    arr_at(item.value, &["RepoTags"]).is_empty()
                        && arr_at(item.value, &["RepoDigests"]).is_empty()
                }
                _ => str_at(item.value, &["Repository"]).is_none_or(|r| r == "<none>"),
            };
            if untagged {
                out.ignore(item, "untagged image: no registry to attribute it to");
            }
        }
        _ => out.warn(item, "not a Docker object"),
    }
}

/// One `IMAGE_REGISTRY` asset per registry the snapshot's images use.
pub(crate) fn finish(index: &Index<'_>, out: &mut Out) {
    for (host, registry) in &index.docker.registries {
        let public = PUBLIC_REGISTRIES.contains(&host.as_str());
        let data = json!({
            "registry": host,
            "registryType": "Docker",
            "repositories": registry.repositories,
            "imageCount": registry.images.len(),
            "usedByContainers": registry.used_by_containers,
            "isWellKnownPublicRegistry": public,
        });
        let base = docker_base(host.clone(), host.clone(), Vec::new());
        out.push(base.asset("IMAGE_REGISTRY", public.then_some(true), data));
    }
}

fn docker_base(id: String, name: String, tags: Vec<Tag>) -> Base {
    Base {
        provider: Provider::Docker,
        account: String::new(),
        region: None,
        id,
        name,
        tags,
    }
}

fn container_name(v: &Value) -> &str {
    str_at(v, &["Name"]).map_or("", |n| n.trim_start_matches('/'))
}

fn inspected(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(id) = str_at(v, &["Id"]) else {
        return out.warn(item, "container without an `Id`");
    };
    let host = at(v, &["HostConfig"]).cloned().unwrap_or(Value::Null);
    let privileged = bool_at(&host, &["Privileged"]).unwrap_or(false);
    let security_opt = strings(arr_at(&host, &["SecurityOpt"]));
    let no_new_privileges = security_opt.iter().any(|o| {
        matches!(
            o.as_str(),
            "no-new-privileges" | "no-new-privileges:true" | "no-new-privileges=true"
        )
    });
    let ports = at(v, &["NetworkSettings", "Ports"]).or_else(|| at(&host, &["PortBindings"]));
    let published = ports
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
        .filter_map(Value::as_array)
        .flatten()
        .any(|binding| {
            let ip = str_at(binding, &["HostIp"]).unwrap_or("");
            str_at(binding, &["HostPort"]).is_some() && matches!(ip, "" | "0.0.0.0" | "::")
        });
    let host_network = str_at(&host, &["NetworkMode"]) == Some("host")
        && at(v, &["Config", "ExposedPorts"])
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
    let is_public = published || host_network;
    let mounts: Vec<String> = arr_at(v, &["Mounts"])
        .iter()
        .filter_map(|m| str_at(m, &["Source"]).map(str::to_owned))
        .chain(
            strings(arr_at(&host, &["Binds"]))
                .into_iter()
                .filter_map(|b| b.split(':').next().map(str::to_owned)),
        )
        .collect();
    let mut sensitive: Vec<&String> = mounts
        .iter()
        .filter(|m| SENSITIVE_MOUNTS.contains(&m.trim_end_matches('/')) || m.as_str() == "/")
        .collect();
    sensitive.sort();
    sensitive.dedup();
    let security = json!({
        "privileged": privileged,
        "user": str_at(v, &["Config", "User"]),
        "readonlyRootfs": bool_at(&host, &["ReadonlyRootfs"]),
        "capAdd": strings(arr_at(&host, &["CapAdd"])),
        "capDrop": strings(arr_at(&host, &["CapDrop"])),
        "securityOpt": security_opt,
        "networkMode": str_at(&host, &["NetworkMode"]),
        "pidMode": str_at(&host, &["PidMode"]),
        "ipcMode": str_at(&host, &["IpcMode"]),
        "usernsMode": str_at(&host, &["UsernsMode"]),
        "sensitiveMounts": sensitive,
    });
    let started = str_at(v, &["State", "StartedAt"]).filter(|t| !t.starts_with("0001-01-01"));
    let data = json!({
        "instanceId": id,
        "image": str_at(v, &["Config", "Image"]),
        "imagePullPolicy": null,
        "status": str_at(v, &["State", "Status"]),
        "startedTime": started,
        "restartCount": i64_at(v, &["RestartCount"]),
        "allowPrivilegeEscalation": privileged || !no_new_privileges,
        "privileged": privileged,
        "workingDir": str_at(v, &["Config", "WorkingDir"]),
        "isStdin": bool_at(v, &["Config", "OpenStdin"]),
        "isStdinOnce": bool_at(v, &["Config", "StdinOnce"]),
        "cloudProvider": "docker",
        "cloudProviderId": null,
        "mappedPorts": mapped(ports),
        "mappedSecurityContext": mapped(Some(&security)),
        "mappedCommands": mapped(at(v, &["Config", "Entrypoint"]).or_else(|| at(v, &["Path"]))),
        "mappedArgs": mapped(at(v, &["Config", "Cmd"]).or_else(|| at(v, &["Args"]))),
    });
    let name = match container_name(v) {
        "" => id,
        name => name,
    };
    let base = docker_base(
        id.to_owned(),
        name.to_owned(),
        tags_from_object(at(v, &["Config", "Labels"])),
    );
    out.push(base.asset("NATIVE_CONTAINER", Some(is_public), data));
}

/// `docker ps` rows say less: unknown fields are `null`.
fn ps_row(item: &Item<'_>, out: &mut Out) {
    let v = item.value;
    let Some(id) = str_at(v, &["ID"]) else {
        return out.warn(item, "`docker ps` row without an `ID`");
    };
    let ports: Vec<&str> = str_at(v, &["Ports"])
        .map(|p| {
            p.split(", ")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let is_public = ports.iter().any(|p| {
        p.contains("->")
            && (p.starts_with("0.0.0.0:") || p.starts_with(":::") || p.starts_with("[::]:"))
    });
    let status = str_at(v, &["State"]).map(str::to_owned).or_else(|| {
        str_at(v, &["Status"]).map(|s| {
            if s.starts_with("Up") {
                "running".to_owned()
            } else {
                s.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            }
        })
    });
    let tags: Vec<Tag> = str_at(v, &["Labels"])
        .map(|labels| {
            let mut tags: Vec<Tag> = labels
                .split(',')
                .filter(|l| !l.is_empty())
                .map(|l| {
                    let (name, value) = l.split_once('=').unwrap_or((l, ""));
                    Tag {
                        name: name.to_owned(),
                        value: value.to_owned(),
                    }
                })
                .collect();
            tags.sort();
            tags
        })
        .unwrap_or_default();
    let data = json!({
        "instanceId": id,
        "image": str_at(v, &["Image"]),
        "imagePullPolicy": null,
        "status": status,
        "startedTime": null,
        "restartCount": null,
        "allowPrivilegeEscalation": null,
        "privileged": null,
        "workingDir": null,
        "isStdin": null,
        "isStdinOnce": null,
        "cloudProvider": "docker",
        "cloudProviderId": null,
        "mappedPorts": if ports.is_empty() { Value::Null } else { mapped(Some(&json!(ports))) },
        "mappedSecurityContext": null,
        "mappedCommands": str_at(v, &["Command"]).map(|c| mapped(Some(&json!([c.trim_matches('"')])))),
        "mappedArgs": null,
    });
    let name = str_at(v, &["Names"])
        .and_then(|n| n.split(',').next())
        .unwrap_or(id);
    let base = docker_base(id.to_owned(), name.to_owned(), tags);
    out.push(base.asset("NATIVE_CONTAINER", Some(is_public), data));
}
