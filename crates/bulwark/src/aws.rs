//! The AWS collector of `cloud.sync`: `bulwark-cloud-aws` (the official AWS SDK)
//! behind core's [`CloudCollector`] port.
//!
//! An AWS environment's sealed `credentials` is a JSON object:
//! `{"accessKeyId", "secretAccessKey", "sessionToken"?, "roleArn"?, "externalId"?}`.
//! Without credentials the SDK's default chain is used (a server running in AWS).
//! `endpointUrl` sends every call to one endpoint (an emulator); `regions` limits the
//! regions (default: every enabled region).

use async_trait::async_trait;
use bulwark_cloud_aws::{
    AssumeRole, AwsAuth, AwsCredentials, CollectError, CollectOptions, GLOBAL_REGION, Regions, keys,
};
use bulwark_core::cloud::{CloudCollector, CollectFailure, CollectRequest, Collected};
use bulwark_inventory::{Asset, Provider, Tag};
use serde::Deserialize;
use serde_json::{Value, json};

/// The `credentials` object of an AWS environment.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EnvCredentials {
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    role_arn: Option<String>,
    external_id: Option<String>,
}

/// Reads AWS accounts live.
pub struct AwsCollector {
    opts: CollectOptions,
    /// Hosts `endpointUrl` may name (`cloud_endpoint_hosts`).
    endpoint_hosts: Vec<String>,
}

impl AwsCollector {
    pub fn new(concurrency: usize, endpoint_hosts: Vec<String>) -> Self {
        Self {
            opts: CollectOptions {
                concurrency: concurrency.max(1),
                ..CollectOptions::default()
            },
            endpoint_hosts,
        }
    }

    /// Refuses an `endpointUrl` whose host is not allowed: an admin could otherwise
    /// make the server send signed requests to any address it can reach (instance
    /// metadata, internal services). Checked at collect time, so it also covers
    /// environments saved before the setting changed.
    fn check_endpoint(&self, url: &str) -> Result<(), CollectFailure> {
        let host = reqwest::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
            })
            .ok_or_else(|| {
                CollectFailure::Rejected(format!("endpointUrl `{url}` is not an http(s) URL"))
            })?;
        let allowed = self.endpoint_hosts.iter().any(|a| {
            if a.starts_with('.') {
                host.ends_with(a.as_str())
            } else {
                host == *a
            }
        });
        if allowed {
            Ok(())
        } else {
            Err(CollectFailure::Rejected(format!(
                "endpointUrl host `{host}` is not allowed; add it to cloud_endpoint_hosts in the server configuration"
            )))
        }
    }
}

fn credentials(req: &CollectRequest) -> Result<AwsCredentials, CollectFailure> {
    let env: Option<EnvCredentials> = match &req.credentials {
        None | Some(Value::Null) => None,
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| {
            CollectFailure::Rejected(format!(
                "invalid AWS `credentials` ({e}): expected accessKeyId, secretAccessKey and optionally sessionToken, roleArn, externalId"
            ))
        })?),
    };
    let auth = match env.as_ref() {
        Some(EnvCredentials {
            access_key_id: Some(id),
            secret_access_key: Some(secret),
            session_token,
            ..
        }) => AwsAuth::StaticKeys {
            access_key_id: id.clone(),
            secret_access_key: secret.clone(),
            session_token: session_token.clone(),
        },
        Some(EnvCredentials {
            access_key_id: Some(_),
            ..
        })
        | Some(EnvCredentials {
            secret_access_key: Some(_),
            ..
        }) => {
            return Err(CollectFailure::Rejected(
                "AWS `credentials` need both accessKeyId and secretAccessKey".into(),
            ));
        }
        _ => AwsAuth::DefaultChain,
    };
    let assume_role = env.as_ref().and_then(|c| {
        c.role_arn.as_ref().map(|arn| AssumeRole {
            role_arn: arn.clone(),
            external_id: c.external_id.clone(),
            session_name: None,
        })
    });
    Ok(AwsCredentials {
        auth,
        assume_role,
        endpoint_url: req.endpoint_url.clone(),
        regions: if req.regions.is_empty() {
            Regions::AllEnabled
        } else {
            Regions::List(req.regions.clone())
        },
    })
}

fn convert(a: bulwark_cloud_aws::Asset) -> Asset {
    let mut data = a.data;
    if let (Some(arn), Value::Object(m)) = (&a.arn, &mut data) {
        m.entry("arn").or_insert_with(|| json!(arn));
    }
    let resource_id = identity(&a.search_key, &a.region, a.resource_id, a.arn);
    Asset {
        search_key: a.search_key,
        provider: Provider::Aws,
        account_id: a.account_id,
        resource_id,
        region: (a.region != GLOBAL_REGION).then_some(a.region),
        name: a.name,
        tags: a
            .tags
            .into_iter()
            .map(|t| Tag {
                name: t.name,
                value: t.value,
            })
            .collect(),
        is_public: a.is_public,
        data,
    }
}

/// The stored identity of an asset: unique per account and search key.
///
/// Ids AWS generates (`i-…`, `vol-…`, `sg-…`) and global names (IAM, S3) are unique
/// already and are what Optix clients expect (`instanceId`); names a customer picks
/// for regional resources (functions, databases, clusters, repositories) repeat across
/// regions, so those are identified by their ARN.
fn identity(key: &str, region: &str, natural: String, arn: Option<String>) -> String {
    let generated = natural.split_once('-').is_some_and(|(p, rest)| {
        // `i-0abc…`, `vol-…`, `sg-…`: a short prefix and 8 or 17 hex digits.
        (1..=6).contains(&p.len())
            && p.chars().all(|c| c.is_ascii_lowercase())
            && rest.len() >= 8
            && rest.chars().all(|c| c.is_ascii_hexdigit())
    });
    // Event ids (CloudTrail `eventID`, flow tuples naming their interface) and findings
    // (which start with the resource's ARN) are unique already.
    let unique = keys::EVENTS.contains(&key) || key == keys::AWS_EXTERNAL_ACCESS;
    if region == GLOBAL_REGION || key == keys::AWS_S3 || unique || generated {
        natural
    } else {
        arn.unwrap_or_else(|| format!("{region}/{natural}"))
    }
}

/// `Enabled` → `ENABLED`, in the style of the other Optix status strings.
fn status(s: &str) -> String {
    s.to_ascii_uppercase()
}

#[async_trait]
impl CloudCollector for AwsCollector {
    fn provider(&self) -> Provider {
        Provider::Aws
    }

    async fn collect(&self, req: &CollectRequest) -> Result<Collected, CollectFailure> {
        if let Some(url) = &req.endpoint_url {
            self.check_endpoint(url)?;
        }
        let creds = credentials(req)?;
        let mut opts = CollectOptions {
            trusted_accounts: req.trusted_accounts.clone(),
            ..self.opts.clone()
        };
        if let Some(hours) = req.log_lookback_hours {
            opts.logs.lookback = std::time::Duration::from_secs(u64::from(hours) * 3600);
        }
        let result = bulwark_cloud_aws::collect(&creds, &opts)
            .await
            .map_err(|e| match e {
                CollectError::Identity(_) | CollectError::Config(_) => {
                    CollectFailure::Rejected(e.to_string())
                }
                CollectError::Regions(_) => CollectFailure::Unavailable(e.to_string()),
            })?;
        let complete_keys = keys::COVERED
            .iter()
            .filter(|k| result.regions.iter().all(|r| result.listing_complete(k, r)))
            .map(|k| (*k).to_string())
            .collect();
        let errors = result
            .errors
            .iter()
            .map(|e| serde_json::to_value(e).unwrap_or_default())
            .collect();
        Ok(Collected {
            cloud_account: result.account_id,
            regions: result.regions,
            assets: result.assets.into_iter().map(convert).collect(),
            complete_keys,
            event_keys: keys::EVENTS.iter().map(|k| (*k).to_string()).collect(),
            errors,
            cloud_log_status: Some(status(&result.account.cloud_log_status)),
            flow_log_status: Some(status(&result.account.flow_log_status)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{AwsCollector, identity};
    use bulwark_cloud_aws::keys;

    #[test]
    fn endpoint_hosts_are_matched_exactly_or_by_domain_suffix() {
        let c = AwsCollector::new(1, vec![".amazonaws.com".into(), "127.0.0.1".into()]);
        for ok in [
            "https://ec2.us-east-1.amazonaws.com",
            "https://vpce-0a1b-abcd.s3.us-east-1.vpce.amazonaws.com/",
            "https://EC2.US-EAST-1.AMAZONAWS.COM.",
            "http://127.0.0.1:5000",
        ] {
            assert!(c.check_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://169.254.169.254/latest/meta-data",
            "https://evilamazonaws.com",
            "https://ec2.amazonaws.com.attacker.net",
            "http://127.0.0.1.nip.io:5000",
            "http://localhost:5000",
            "ftp://ec2.amazonaws.com",
            "not a url",
        ] {
            assert!(c.check_endpoint(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn identities_are_unique_across_regions() {
        assert_eq!(
            identity(keys::AWS_HOST, "us-east-1", "i-0abc1234".into(), None),
            "i-0abc1234"
        );
        assert_eq!(
            identity(
                keys::AWS_USER,
                "global",
                "alice".into(),
                Some("arn:aws:iam::1:user/alice".into())
            ),
            "alice"
        );
        let arn = "arn:aws:lambda:eu-west-1:1:function:web";
        assert_eq!(
            identity(
                keys::AWS_LAMBDA,
                "eu-west-1",
                "web".into(),
                Some(arn.into())
            ),
            arn
        );
        assert_eq!(
            identity(keys::AWS_RDS, "eu-west-1", "orders-db".into(), None),
            "eu-west-1/orders-db"
        );
        assert_eq!(
            identity(
                keys::AWS_S3,
                "eu-west-1",
                "logs".into(),
                Some("arn:aws:s3:::logs".into())
            ),
            "logs"
        );
        // A customer name that looks like a generated id but is not hex.
        assert_eq!(
            identity(keys::AWS_CLUSTER, "eu-west-1", "prod-eks".into(), None),
            "eu-west-1/prod-eks"
        );
    }
}
