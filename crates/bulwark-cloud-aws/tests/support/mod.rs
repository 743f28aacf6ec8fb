//! Helpers of the moto tests; the emulator itself is in `moto.rs`.

mod moto;

use std::time::Duration;

use bulwark_cloud_aws::{Asset, AwsAuth, AwsCredentials, CollectOptions, CollectResult, Regions};
use serde_json::Value;

pub use moto::*;

/// Runs a test body on a current-thread runtime. (`#[tokio::test]` would
/// need tokio's `macros` feature, and a tokio built with other features than
/// the library's recompiles the whole AWS SDK for the tests.)
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

/// moto's dummy keys for the estate's endpoint.
pub fn credentials(url: &str, regions: Regions) -> AwsCredentials {
    AwsCredentials {
        auth: AwsAuth::StaticKeys {
            access_key_id: "AKIAMOTOTESTKEY00001".into(),
            secret_access_key: "moto-does-not-check-this".into(),
            session_token: None,
        },
        assume_role: None,
        endpoint_url: Some(url.to_owned()),
        regions,
    }
}

/// Few, quick retries: moto answers at once or not at all.
pub fn options() -> CollectOptions {
    CollectOptions {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(10),
        operation_timeout: Duration::from_secs(30),
        ..CollectOptions::default()
    }
}

pub fn both_regions() -> Regions {
    Regions::List(vec![PRIMARY.into(), SECONDARY.into()])
}

/// The one asset of `key` with this resource id (and region).
pub fn find<'a>(r: &'a CollectResult, key: &str, region: &str, id: &str) -> &'a Asset {
    let found: Vec<&Asset> = r
        .of_kind(key)
        .filter(|a| a.region == region && a.resource_id == id)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {key} {id} in {region}; have {:?}",
        r.of_kind(key)
            .map(|a| (&a.region, &a.resource_id))
            .collect::<Vec<_>>()
    );
    found[0]
}

/// A manifest string.
pub fn m<'a>(manifest: &'a Value, path: &[&str]) -> &'a str {
    let mut v = manifest;
    for p in path {
        v = &v[*p];
    }
    v.as_str()
        .unwrap_or_else(|| panic!("manifest has no string at {path:?}"))
}

/// A JSON-in-a-string field (the Optix samples' `tags`, `mapped*`) parsed.
pub fn parse_str_field(v: &Value) -> Value {
    serde_json::from_str(v.as_str().expect("a string field")).expect("JSON inside the string")
}
