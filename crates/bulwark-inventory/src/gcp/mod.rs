//! GCP: `gcloud ... list --format=json` output and the REST resources it
//! prints (`kind: compute#instance`, `sql#instance`, ...), Google Workspace
//! Admin SDK directory objects, IAM policies and Cloud Logging entries.

mod compute;
mod gke;
mod iam;
mod logs;
mod storage;

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::base::Base;
use crate::detect::Kind;
use crate::json::{arr_at, segment_after, str_at, strings};
use crate::model::{Provider, Tag};
use crate::normalize::{Index, Out};
use crate::snapshot::Item;

/// Members that can make anything public.
pub(crate) const PUBLIC_MEMBERS: [&str; 2] = ["allUsers", "allAuthenticatedUsers"];

/// GCP items other items refer to.
#[derive(Default)]
pub(crate) struct GcIndex<'a> {
    firewalls: Vec<&'a Value>,
    /// Disks and subnetworks by relative self link (`projects/...`).
    disks: HashMap<String, &'a Value>,
    subnets: HashMap<String, &'a Value>,
    /// Members granted `roles/owner` or `roles/editor` by some policy.
    admins: HashSet<String>,
    has_policies: bool,
    /// `role member` grants to allUsers/allAuthenticatedUsers by bucket.
    bucket_public_grants: HashMap<String, Vec<String>>,
    buckets_with_policy: HashSet<String>,
}

impl<'a> GcIndex<'a> {
    pub(crate) fn add(&mut self, kind: Kind, v: &'a Value) {
        let link = str_at(v, &["selfLink"]).map(relative);
        match (kind, link) {
            (Kind::GcFirewall, _) => self.firewalls.push(v),
            (Kind::GcDisk, Some(link)) => {
                self.disks.insert(link, v);
            }
            (Kind::GcSubnet, Some(link)) => {
                self.subnets.insert(link, v);
            }
            (Kind::GcIamPolicy, _) => self.add_policy(v),
            _ => {}
        }
    }

    fn add_policy(&mut self, v: &'a Value) {
        self.has_policies = true;
        let bucket = policy_bucket(v);
        if let Some(bucket) = &bucket {
            self.buckets_with_policy.insert(bucket.clone());
        }
        for binding in policy_bindings(v) {
            let role = str_at(binding, &["role"]).unwrap_or_default();
            for member in strings(arr_at(binding, &["members"])) {
                if matches!(role, "roles/owner" | "roles/editor") {
                    self.admins.insert(member.clone());
                }
                if let Some(bucket) = &bucket
                    && PUBLIC_MEMBERS.contains(&member.as_str())
                {
                    self.bucket_public_grants
                        .entry(bucket.clone())
                        .or_default()
                        .push(format!("{role} {member}"));
                }
            }
        }
    }
}

pub(crate) fn map(index: &Index<'_>, kind: Kind, item: &Item<'_>, out: &mut Out) {
    let ix = &index.gcp;
    match kind {
        Kind::GcInstance => compute::instance(ix, &index.budget, item, out),
        Kind::GcFirewall => compute::firewall(item, out),
        Kind::GcNetwork => compute::network(ix, &index.budget, item, out),
        Kind::GcBucket => storage::bucket(ix, item, out),
        Kind::GcSql => storage::sql(item, out),
        Kind::GcCluster => gke::cluster(item, out),
        Kind::GcNodePool => gke::node_pool(item, out),
        Kind::GcServiceAccount => iam::service_account(ix, item, out),
        Kind::GcDirectoryUser => iam::directory_user(ix, item, out),
        Kind::GcGroup => iam::group(item, out),
        Kind::GcIamPolicy => iam::policy(item, out),
        Kind::GcLogEntry => logs::entry(item, out),
        Kind::GcDisk => out.ignore(item, "used for the disks of GCP_HOST"),
        Kind::GcSubnet => out.ignore(item, "used for the subnetworks of GCP_VPC"),
        Kind::GcFunction => out.ignore(
            item,
            "no GCP search key holds Cloud Functions (Optix serverless covers AWS and Azure)",
        ),
        _ => out.ignore(item, "no search key holds this GCP resource kind"),
    }
}

/// `projects/...` part of a self link or resource URL, so that links from
/// different API versions and hosts compare equal.
pub(crate) fn relative(url: &str) -> String {
    let tail = url
        .find("projects/")
        .and_then(|i| url.get(i..))
        .unwrap_or(url);
    tail.trim_end_matches('/').to_owned()
}

/// Project id of a self link or resource name.
pub(crate) fn project(link: &str) -> Option<String> {
    segment_after(link, "projects").map(str::to_owned)
}

/// `us-central1-a` → `us-central1`; regions stay as they are.
pub(crate) fn zone_region(zone: &str) -> String {
    match zone.rsplit_once('-') {
        Some((region, suffix)) if suffix.len() == 1 && region.contains('-') => region.to_owned(),
        _ => zone.to_owned(),
    }
}

pub(crate) fn base(
    account: String,
    region: Option<String>,
    id: String,
    name: String,
    tags: Vec<Tag>,
) -> Base {
    Base {
        provider: Provider::Gcp,
        account,
        region,
        id,
        name,
        tags,
    }
}

/// The bindings of a policy: `gcloud ... get-iam-policy` prints them at the
/// top, `gcloud asset search-all-iam-policies` under `policy`.
pub(crate) fn policy_bindings(v: &Value) -> &[Value] {
    let top = arr_at(v, &["bindings"]);
    if top.is_empty() {
        arr_at(v, &["policy", "bindings"])
    } else {
        top
    }
}

/// The bucket a policy is attached to, if it is a bucket policy.
fn policy_bucket(v: &Value) -> Option<String> {
    if let Some(resource) = str_at(v, &["resourceId"]) {
        return segment_after(resource, "buckets").map(str::to_owned);
    }
    str_at(v, &["resource"])
        .and_then(|r| r.strip_prefix("//storage.googleapis.com/"))
        .map(|bucket| bucket.trim_end_matches('/').to_owned())
        .filter(|bucket| !bucket.is_empty() && !bucket.contains('/'))
}
