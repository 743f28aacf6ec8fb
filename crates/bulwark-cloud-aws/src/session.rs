//! Turning [`AwsCredentials`] into SDK configuration: credentials, assumed
//! role, endpoint override, retries and timeouts.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};

use crate::model::{AwsAuth, AwsCredentials, CollectOptions};

const DEFAULT_SESSION_NAME: &str = "bulwark-inventory";

/// SDK configuration shared by every client of one collection.
#[derive(Clone)]
pub(crate) struct Session {
    base: SdkConfig,
    /// Set when an emulator stands in for AWS: S3 then needs path-style
    /// addressing, because `<bucket>.127.0.0.1` does not resolve.
    endpoint_override: bool,
}

impl Session {
    pub(crate) async fn new(creds: &AwsCredentials, opts: &CollectOptions) -> Session {
        let retry = RetryConfig::adaptive()
            .with_max_attempts(opts.max_attempts.max(1))
            .with_initial_backoff(opts.initial_backoff)
            .with_max_backoff(Duration::from_secs(20));
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(10))
            .operation_attempt_timeout(opts.operation_timeout.min(Duration::from_secs(60)))
            .operation_timeout(opts.operation_timeout)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(opts.home_region.clone()))
            .retry_config(retry)
            .timeout_config(timeouts);
        if let Some(url) = &creds.endpoint_url {
            loader = loader.endpoint_url(url.clone());
        }
        if let AwsAuth::StaticKeys {
            access_key_id,
            secret_access_key,
            session_token,
        } = &creds.auth
        {
            // `Credentials`' Debug impl redacts the secret, so SDK debug logs stay clean.
            loader = loader.credentials_provider(Credentials::new(
                access_key_id.clone(),
                secret_access_key.clone(),
                session_token.clone(),
                None,
                "bulwark",
            ));
        }
        let mut base = loader.load().await;

        if let Some(role) = &creds.assume_role {
            // The provider calls sts:AssumeRole with the base identity (through
            // the same endpoint override) and refreshes before expiry.
            let provider = AssumeRoleProvider::builder(role.role_arn.clone())
                .session_name(
                    role.session_name
                        .clone()
                        .unwrap_or_else(|| DEFAULT_SESSION_NAME.to_owned()),
                )
                .configure(&base);
            let provider = match &role.external_id {
                Some(id) => provider.external_id(id.clone()),
                None => provider,
            };
            let provider = provider.build().await;
            base = base
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build();
        }
        Session {
            base,
            endpoint_override: creds.endpoint_url.is_some(),
        }
    }

    /// Configuration for one region.
    pub(crate) fn region(&self, region: &str) -> SdkConfig {
        self.base
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build()
    }

    /// An S3 client for `region` (buckets must be read from their own region).
    pub(crate) fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.region(region))
            .force_path_style(self.endpoint_override)
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }
}
