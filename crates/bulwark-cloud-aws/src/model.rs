//! The collector's public data model: credentials and options in, assets and
//! per-service errors out.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Provider name stored in [`Asset::provider`].
pub const PROVIDER: &str = "AWS";

/// Region recorded for account-wide (global) resources: IAM users, groups and roles.
pub const GLOBAL_REGION: &str = "global";

/// How to reach an AWS account.
///
/// `Debug` never prints secrets; serde does (so the server can encrypt the
/// serialised form at rest), so never log the serialised form.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AwsCredentials {
    /// Base identity used to sign requests (or to assume [`AwsCredentials::assume_role`]).
    pub auth: AwsAuth,
    /// Role to assume with the base identity, e.g. a read-only audit role in the customer account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assume_role: Option<AssumeRole>,
    /// Endpoint override for every service (an emulator such as moto), like `AWS_ENDPOINT_URL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Regions to collect.
    #[serde(default)]
    pub regions: Regions,
}

/// The base identity.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AwsAuth {
    /// Long-term or temporary access keys.
    #[serde(rename_all = "camelCase")]
    StaticKeys {
        /// `AKIA…` / `ASIA…`.
        access_key_id: String,
        /// The secret access key.
        secret_access_key: String,
        /// Session token for temporary (`ASIA…`) credentials.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session_token: Option<String>,
    },
    /// The SDK's default chain (environment, profile, web identity, ECS/EC2
    /// instance role): for a Bulwark server running inside AWS.
    DefaultChain,
}

/// A role to assume (`sts:AssumeRole`).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AssumeRole {
    /// `arn:aws:iam::<account>:role/<name>`.
    pub role_arn: String,
    /// External id the role's trust policy requires (confused-deputy protection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Session name shown in the customer's CloudTrail; defaults to `bulwark-inventory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_name: Option<String>,
}

/// Which regions to collect.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", content = "regions", rename_all = "camelCase")]
pub enum Regions {
    /// Every region enabled for the account (`ec2:DescribeRegions`).
    #[default]
    AllEnabled,
    /// Exactly these regions.
    List(Vec<String>),
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("auth", &self.auth)
            .field("assume_role", &self.assume_role)
            .field("endpoint_url", &self.endpoint_url)
            .field("regions", &self.regions)
            .finish()
    }
}

impl fmt::Debug for AwsAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The key id identifies the principal in CloudTrail, so a prefix is
            // useful when debugging; the secret and token are never shown.
            AwsAuth::StaticKeys {
                access_key_id,
                session_token,
                ..
            } => f
                .debug_struct("StaticKeys")
                .field(
                    "access_key_id",
                    &format!("{}…", access_key_id.chars().take(4).collect::<String>()),
                )
                .field("secret_access_key", &"<redacted>")
                .field(
                    "session_token",
                    &session_token.as_ref().map(|_| "<redacted>"),
                )
                .finish(),
            AwsAuth::DefaultChain => f.write_str("DefaultChain"),
        }
    }
}

impl fmt::Debug for AssumeRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRole")
            .field("role_arn", &self.role_arn)
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "<redacted>"),
            )
            .field("session_name", &self.session_name)
            .finish()
    }
}

/// A service the collector can read. Used to restrict a collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// Instances, AMIs, volumes, security groups, VPCs, network interfaces, flow logs.
    Ec2,
    /// Users, groups, roles (global).
    Iam,
    /// Buckets (global listing, regional details).
    S3,
    /// Functions and their resource policies.
    Lambda,
    /// DB instances.
    Rds,
    /// Clusters.
    Redshift,
    /// Domains.
    OpenSearch,
    /// Clusters and node groups.
    Eks,
    /// Task definitions and their container definitions.
    Ecs,
    /// Repositories.
    Ecr,
    /// Trails.
    CloudTrail,
    /// Keys.
    Kms,
    /// IAM Identity Center (SSO) users, read in the home region.
    IdentityCenter,
    /// Log files in S3: VPC flow-log records and CloudTrail events.
    Logs,
    /// VPC flow-log records delivered to CloudWatch Logs.
    CloudWatchLogs,
}

impl Service {
    /// Every service, in collection order.
    pub const ALL: [Service; 15] = [
        Service::Iam,
        Service::S3,
        Service::Ec2,
        Service::Lambda,
        Service::Rds,
        Service::Redshift,
        Service::OpenSearch,
        Service::Eks,
        Service::Ecs,
        Service::Ecr,
        Service::CloudTrail,
        Service::Kms,
        Service::IdentityCenter,
        Service::Logs,
        Service::CloudWatchLogs,
    ];

    /// The IAM service prefix (`ec2`, `iam`, …), used in [`ServiceError::service`].
    pub fn prefix(self) -> &'static str {
        match self {
            Service::Ec2 => "ec2",
            Service::Iam => "iam",
            Service::S3 => "s3",
            Service::Lambda => "lambda",
            Service::Rds => "rds",
            Service::Redshift => "redshift",
            Service::OpenSearch => "es",
            Service::Eks => "eks",
            Service::Ecs => "ecs",
            Service::Ecr => "ecr",
            Service::CloudTrail => "cloudtrail",
            Service::Kms => "kms",
            Service::IdentityCenter => "sso",
            // The log files are read with S3 calls.
            Service::Logs => "s3",
            Service::CloudWatchLogs => "logs",
        }
    }
}

/// Tuning for one collection.
#[derive(Clone, Debug)]
pub struct CollectOptions {
    /// Most API requests in flight at once, across services and regions.
    pub concurrency: usize,
    /// Attempts per request, including the first (adaptive retry: throttling
    /// and transient errors back off and the client rate-limits itself).
    pub max_attempts: u32,
    /// First retry back-off; later ones grow exponentially with jitter.
    pub initial_backoff: Duration,
    /// Limit for one operation including its retries.
    pub operation_timeout: Duration,
    /// Region for STS, IAM, `DescribeRegions`, the S3 bucket listing and IAM
    /// Identity Center (which must be enabled in this region to be read).
    pub home_region: String,
    /// Only these services; `None` means [`Service::ALL`].
    pub services: Option<Vec<Service>>,
    /// How much of the flow-log and CloudTrail files in S3 one collection reads.
    pub logs: LogLimits,
    /// Accounts in the zone of trust: access granted to them is reported with
    /// `trusted: true` and `LOW` severity instead of as a cross-account exposure.
    pub trusted_accounts: Vec<String>,
}

/// Bounds on reading log files ([`Service::Logs`]). Log files are written by
/// AWS but read from buckets the customer controls, so they are bounded like
/// any other untrusted input; newest files are read first, so a cap drops
/// the oldest part of the window.
#[derive(Clone, Debug)]
pub struct LogLimits {
    /// How far back to read (by the files' `LastModified`).
    pub lookback: Duration,
    /// Files read per log source (one flow log or one trail destination).
    pub max_objects_per_source: usize,
    /// Decompressed bytes read per log source.
    pub max_bytes_per_source: u64,
    /// Decompressed size of one file; larger files are skipped (a gzip bomb
    /// or not a log file).
    pub max_object_bytes: u64,
    /// CloudTrail events kept per collection.
    pub max_events: usize,
    /// Aggregated flows kept per collection.
    pub max_flows: usize,
}

impl LogLimits {
    /// Start of the lookback window ending at `now_secs`, in seconds since the epoch.
    pub fn window_start(&self, now_secs: i64) -> i64 {
        let back = i64::try_from(self.lookback.as_secs()).unwrap_or(i64::MAX);
        now_secs.saturating_sub(back)
    }
}

impl Default for LogLimits {
    fn default() -> Self {
        LogLimits {
            lookback: Duration::from_secs(24 * 3600),
            max_objects_per_source: 2_000,
            max_bytes_per_source: 1 << 30,
            max_object_bytes: 256 << 20,
            max_events: 100_000,
            max_flows: 100_000,
        }
    }
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            concurrency: 8,
            max_attempts: 8,
            initial_backoff: Duration::from_millis(500),
            operation_timeout: Duration::from_secs(120),
            home_region: "us-east-1".to_owned(),
            services: None,
            logs: LogLimits::default(),
            trusted_accounts: Vec::new(),
        }
    }
}

impl CollectOptions {
    pub(crate) fn wants(&self, service: Service) -> bool {
        self.services
            .as_ref()
            .is_none_or(|list| list.contains(&service))
    }
}

/// A resource tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Tag key.
    pub name: String,
    /// Tag value (empty when the tag has none).
    pub value: String,
}

/// One normalised cloud resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    /// Optix search key (`AWS_HOST`, …; see [`crate::keys`]). Assets in
    /// [`CollectResult::supporting`] use the `AWS_X_*` keys, which Optix does not define.
    pub search_key: String,
    /// Always [`PROVIDER`].
    pub provider: String,
    /// The 12-digit account id.
    pub account_id: String,
    /// AWS region, or [`GLOBAL_REGION`] for IAM.
    pub region: String,
    /// Natural AWS identifier (instance id, bucket name, user name, …); unique
    /// per account, search key and region.
    pub resource_id: String,
    /// Display name (the `Name` tag where AWS has no name).
    pub name: String,
    /// ARN where AWS returns or defines one.
    pub arn: Option<String>,
    /// Resource tags.
    pub tags: Vec<Tag>,
    /// Reachable from the internet (see the README for each kind's rule);
    /// `None` when the notion does not apply.
    pub is_public: Option<bool>,
    /// Kind-specific attributes (camelCase). For kinds with a response sample in
    /// the Optix reference, it holds every `moreInfo` field of that sample
    /// (see [`crate::more_info_fields`]) plus further security attributes.
    pub data: serde_json::Value,
}

impl Asset {
    /// The `moreInfo` object of the Optix inventory operations (`/vms`,
    /// `/users`, `/serverless`, `/containers`): exactly the sample's fields,
    /// taken from [`Asset::data`]. `None` for kinds those operations do not serve.
    pub fn more_info(&self) -> Option<serde_json::Value> {
        let fields = crate::keys::more_info_fields(&self.search_key)?;
        let mut out = serde_json::Map::new();
        for field in fields {
            let value = self
                .data
                .get(*field)
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            out.insert((*field).to_owned(), value);
        }
        Some(serde_json::Value::Object(out))
    }
}

/// A call that failed; the collection went on without it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceError {
    /// IAM service prefix (`ec2`, `s3`, …).
    pub service: String,
    /// Region of the call ([`GLOBAL_REGION`] for IAM).
    pub region: String,
    /// API operation (`DescribeInstances`).
    pub operation: String,
    /// The resource a detail call was about; `None` when a listing failed.
    pub resource_id: Option<String>,
    /// Search keys whose listing in `region` is incomplete because of this
    /// error. Empty when only details of one resource are missing, so a
    /// server marking vanished resources must skip exactly these keys.
    pub search_keys: Vec<String>,
    /// AWS error code and message (never credentials).
    pub message: String,
}

/// Account-level posture derived during collection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    /// `Enabled` when a multi-region trail is logging, `Partial` when only
    /// single-region trails log, `Disabled` otherwise, `Unknown` when CloudTrail
    /// could not be read.
    pub cloud_log_status: String,
    /// `Enabled` when every VPC has an active flow log, `Partial` when some
    /// do, `Disabled` when none does (or there are no VPCs), `Unknown` when
    /// EC2 could not be read.
    pub flow_log_status: String,
}

/// Everything one collection found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectResult {
    /// Account the credentials act in (`sts:GetCallerIdentity`).
    pub account_id: String,
    /// ARN of the calling identity (after any assumed role).
    pub caller_arn: String,
    /// Regions that were collected.
    pub regions: Vec<String>,
    /// Assets under Optix search keys.
    pub assets: Vec<Asset>,
    /// Resources with no Optix search key of their own (KMS keys, trails,
    /// flow logs, network interfaces), kept for posture checks; their
    /// `search_key` starts with `AWS_X_`.
    pub supporting: Vec<Asset>,
    /// Account-level logging posture.
    pub account: AccountSummary,
    /// Calls that failed; the rest of the collection is still valid.
    pub errors: Vec<ServiceError>,
}

impl CollectResult {
    /// Assets of one search key.
    pub fn of_kind<'a>(&'a self, search_key: &str) -> impl Iterator<Item = &'a Asset> + use<'a> {
        let key = search_key.to_owned();
        self.assets
            .iter()
            .chain(self.supporting.iter())
            .filter(move |a| a.search_key == key)
    }

    /// Whether the listing of `search_key` in `region` completed, i.e. an
    /// asset missing from it has really disappeared.
    ///
    /// Account-wide listings (IAM, the S3 bucket list, Identity Center users)
    /// record their failures under [`GLOBAL_REGION`], so they count as
    /// incomplete in every region.
    ///
    /// Derived findings (`AWS_EXTERNAL_ACCESS`) are complete only when every
    /// listing they derive from is, and no policy of a listed resource went
    /// unread.
    pub fn listing_complete(&self, search_key: &str, region: &str) -> bool {
        let here = |e: &&ServiceError| e.region == region || e.region == GLOBAL_REGION;
        if search_key == crate::keys::AWS_EXTERNAL_ACCESS {
            use crate::analysis::external_access::{POLICY_READS, SOURCES};
            return SOURCES.iter().all(|k| self.listing_complete(k, region))
                && !self
                    .errors
                    .iter()
                    .filter(here)
                    .any(|e| POLICY_READS.contains(&(e.service.as_str(), e.operation.as_str())));
        }
        !self
            .errors
            .iter()
            .filter(here)
            .any(|e| e.search_keys.iter().any(|k| k == search_key))
    }
}

/// Why nothing could be collected.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The credentials were rejected or the caller identity could not be read.
    #[error("cannot establish the caller identity: {0}")]
    Identity(String),
    /// `ec2:DescribeRegions` failed while resolving [`Regions::AllEnabled`].
    #[error("cannot list the enabled regions: {0}")]
    Regions(String),
    /// The options or credentials are unusable.
    #[error("invalid collector configuration: {0}")]
    Config(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn host(data: serde_json::Value) -> Asset {
        Asset {
            search_key: crate::keys::AWS_HOST.into(),
            provider: PROVIDER.into(),
            account_id: "1".into(),
            region: "us-east-1".into(),
            resource_id: "i-1".into(),
            name: "web".into(),
            arn: None,
            tags: vec![],
            is_public: Some(true),
            data,
        }
    }

    #[test]
    fn more_info_is_exactly_the_sample_fields() {
        let a = host(json!({"imageId": "ami-1", "instanceId": "i-1", "extra": true}));
        let more = a.more_info().unwrap();
        let keys: Vec<&String> = more.as_object().unwrap().keys().collect();
        assert_eq!(
            keys.len(),
            crate::keys::more_info_fields("AWS_HOST").unwrap().len()
        );
        assert_eq!(more["imageId"], "ami-1");
        assert_eq!(
            more["vpcId"],
            serde_json::Value::Null,
            "missing fields are null"
        );
        assert!(more.get("extra").is_none() && more.get("instanceId").is_none());
        let mut vpc = a.clone();
        vpc.search_key = crate::keys::AWS_VPC.into();
        assert!(vpc.more_info().is_none());
    }

    #[test]
    fn listing_completeness() {
        let err = |region: &str, keys: &[&str]| ServiceError {
            service: "ec2".into(),
            region: region.into(),
            operation: "DescribeInstances".into(),
            resource_id: None,
            search_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            message: "Throttling".into(),
        };
        let r = CollectResult {
            errors: vec![
                err("eu-west-1", &["AWS_HOST"]),
                err(GLOBAL_REGION, &["AWS_S3"]),
                err("us-east-1", &[]),
                // ListInstances denied: Identity Center users are unknown.
                err(GLOBAL_REGION, &["AWS_SSO_USER"]),
            ],
            ..CollectResult::default()
        };
        assert!(!r.listing_complete("AWS_HOST", "eu-west-1"));
        assert!(r.listing_complete("AWS_HOST", "us-east-1"));
        assert!(
            !r.listing_complete("AWS_S3", "us-east-1"),
            "a global listing failure"
        );
        assert!(r.listing_complete("AWS_LAMBDA", "eu-west-1"));
        assert!(!r.listing_complete("AWS_SSO_USER", GLOBAL_REGION));
        assert!(!r.listing_complete("AWS_SSO_USER", "eu-west-1"));
        let ok = CollectResult::default();
        assert!(ok.listing_complete("AWS_SSO_USER", GLOBAL_REGION));
    }

    #[test]
    fn external_access_is_complete_only_with_its_sources() {
        let err = |service: &str, region: &str, op: &str, keys: &[&str]| ServiceError {
            service: service.into(),
            region: region.into(),
            operation: op.into(),
            resource_id: None,
            search_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            message: "AccessDenied".into(),
        };
        let with = |errors: Vec<ServiceError>| CollectResult {
            errors,
            ..CollectResult::default()
        };
        const KEY: &str = crate::keys::AWS_EXTERNAL_ACCESS;
        assert!(with(vec![]).listing_complete(KEY, "us-east-1"));
        // Failures of unrelated listings do not matter.
        let r = with(vec![err(
            "ec2",
            "us-east-1",
            "DescribeInstances",
            &["AWS_HOST"],
        )]);
        assert!(r.listing_complete(KEY, "us-east-1"));
        for source in crate::analysis::external_access::SOURCES {
            let r = with(vec![err("x", "us-east-1", "List", &[source])]);
            assert!(!r.listing_complete(KEY, "us-east-1"), "{source}");
            assert!(r.listing_complete(KEY, "eu-west-1"), "{source}");
        }
        // IAM is global: its failure makes every region incomplete.
        let r = with(vec![err(
            "iam",
            GLOBAL_REGION,
            "GetAccountAuthorizationDetails",
            &["AWS_ROLE"],
        )]);
        assert!(!r.listing_complete(KEY, "eu-west-1"));
        // A policy that could not be read drops findings of a listed resource.
        let r = with(vec![err("s3", "eu-west-1", "GetBucketPolicy", &[])]);
        assert!(!r.listing_complete(KEY, "eu-west-1"));
        assert!(r.listing_complete(KEY, "us-east-1"));
        assert!(
            r.listing_complete("AWS_S3", "eu-west-1"),
            "the bucket itself is listed"
        );
        let r = with(vec![err("kms", "us-east-1", "GetKeyRotationStatus", &[])]);
        assert!(r.listing_complete(KEY, "us-east-1"), "not a policy read");
    }
}
