//! Shared state of one collection: the request bound, the result sink, and
//! the conversion of SDK errors into [`ServiceError`]s.

use std::fmt;
use std::future::Future;
use std::sync::Mutex;

use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::model::{Asset, PROVIDER, Service, ServiceError, Tag};

/// An SDK error reduced to what the collector needs.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub code: Option<String>,
    pub message: String,
}

impl ApiError {
    pub(crate) fn from_sdk<E, R>(err: &SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug,
    {
        let code = err.code().map(str::to_owned);
        let message = match (err.code(), err.message()) {
            (Some(code), Some(msg)) => format!("{code}: {msg}"),
            (Some(code), None) => code.to_owned(),
            // Timeouts, connection failures and unmodelled responses (moto
            // answers 500 with an HTML body for unimplemented operations).
            _ => DisplayErrorContext(err).to_string(),
        };
        ApiError { code, message }
    }

    /// Whether the error code is one of `codes` (e.g. "this bucket has no policy").
    pub(crate) fn is(&self, codes: &[&str]) -> bool {
        self.code.as_deref().is_some_and(|c| codes.contains(&c))
    }
}

#[derive(Default)]
struct Sink {
    assets: Vec<Asset>,
    supporting: Vec<Asset>,
    errors: Vec<ServiceError>,
}

/// What a collector needs to know about where it runs.
pub(crate) struct Ctx {
    pub account_id: String,
    /// ARN partition (`aws`, `aws-cn`, `aws-us-gov`), from the caller's ARN.
    pub partition: String,
    /// Seconds since the epoch at the start of the collection (for key ages).
    pub now_secs: i64,
    sem: Semaphore,
    sink: Mutex<Sink>,
}

/// The service and region a collector is working on, for error records.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub service: Service,
    pub region: &'a str,
}

impl Ctx {
    pub(crate) fn new(
        account_id: String,
        partition: String,
        concurrency: usize,
        now_secs: i64,
    ) -> Self {
        Ctx {
            account_id,
            partition,
            now_secs,
            sem: Semaphore::new(concurrency.max(1)),
            sink: Mutex::new(Sink::default()),
        }
    }

    /// Sends one request while holding a permit, so at most `concurrency`
    /// requests are in flight however many collectors run.
    pub(crate) async fn call<T, E, R, F>(&self, request: F) -> Result<T, ApiError>
    where
        F: Future<Output = Result<T, SdkError<E, R>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug,
    {
        // The semaphore is never closed, so `acquire` cannot fail; without a
        // permit the request would merely run unbounded.
        let _permit = self.sem.acquire().await.ok();
        request.await.map_err(|e| ApiError::from_sdk(&e))
    }

    /// Drains an SDK paginator, one permit per page.
    pub(crate) async fn pages<T, E, R>(
        &self,
        mut stream: PaginationStream<Result<T, SdkError<E, R>>>,
    ) -> Result<Vec<T>, ApiError>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug,
    {
        let mut out = Vec::new();
        while let Some(page) = self.next_page(&mut stream).await {
            out.push(page?);
        }
        Ok(out)
    }

    /// One page of an SDK paginator under a permit, for callers that stop
    /// early (a read budget) instead of draining it.
    pub(crate) async fn next_page<T, E, R>(
        &self,
        stream: &mut PaginationStream<Result<T, SdkError<E, R>>>,
    ) -> Option<Result<T, ApiError>>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug,
    {
        let _permit = self.sem.acquire().await.ok();
        stream
            .next()
            .await
            .map(|r| r.map_err(|e| ApiError::from_sdk(&e)))
    }

    fn with_sink(&self, f: impl FnOnce(&mut Sink)) {
        // A poisoned lock only means another collector panicked mid-push;
        // the vectors themselves are still valid.
        let mut sink = self.sink.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut sink);
    }

    pub(crate) fn push(&self, asset: Asset) {
        self.with_sink(|s| s.assets.push(asset));
    }

    pub(crate) fn push_supporting(&self, asset: Asset) {
        self.with_sink(|s| s.supporting.push(asset));
    }

    /// Copies of the assets collected so far under `keys`.
    pub(crate) fn assets_of(&self, keys: &[&str]) -> Vec<Asset> {
        let mut out = Vec::new();
        self.with_sink(|s| out = of_keys(&s.assets, keys));
        out
    }

    /// Copies of the supporting records collected so far under `keys`.
    pub(crate) fn supporting_of(&self, keys: &[&str]) -> Vec<Asset> {
        let mut out = Vec::new();
        self.with_sink(|s| out = of_keys(&s.supporting, keys));
        out
    }

    /// Records a failed listing: `keys` are incomplete in this region.
    pub(crate) fn fail_list(
        &self,
        scope: Scope<'_>,
        operation: &str,
        keys: &[&str],
        err: &ApiError,
    ) {
        self.record(scope, operation, None, keys, err);
    }

    /// Records a failed call that drops one resource from the `keys` listing.
    pub(crate) fn fail_item(
        &self,
        scope: Scope<'_>,
        operation: &str,
        resource: &str,
        keys: &[&str],
        err: &ApiError,
    ) {
        self.record(scope, operation, Some(resource), keys, err);
    }

    /// Records a failed detail call about one resource.
    pub(crate) fn fail_detail(
        &self,
        scope: Scope<'_>,
        operation: &str,
        resource: &str,
        err: &ApiError,
    ) {
        self.record(scope, operation, Some(resource), &[], err);
    }

    fn record(
        &self,
        scope: Scope<'_>,
        operation: &str,
        resource: Option<&str>,
        keys: &[&str],
        err: &ApiError,
    ) {
        tracing::warn!(
            service = scope.service.prefix(),
            region = scope.region,
            operation,
            resource,
            error = %err.message,
            "AWS call failed; continuing"
        );
        let error = ServiceError {
            service: scope.service.prefix().to_owned(),
            region: scope.region.to_owned(),
            operation: operation.to_owned(),
            resource_id: resource.map(str::to_owned),
            search_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            message: err.message.clone(),
        };
        self.with_sink(|s| s.errors.push(error));
    }

    /// A new asset of this account with empty optional parts.
    pub(crate) fn asset(
        &self,
        search_key: &str,
        region: &str,
        resource_id: impl Into<String>,
        name: impl Into<String>,
    ) -> Asset {
        Asset {
            search_key: search_key.to_owned(),
            provider: PROVIDER.to_owned(),
            account_id: self.account_id.clone(),
            region: region.to_owned(),
            resource_id: resource_id.into(),
            name: name.into(),
            arn: None,
            tags: Vec::new(),
            is_public: None,
            data: Value::Null,
        }
    }

    pub(crate) fn into_parts(self) -> (Vec<Asset>, Vec<Asset>, Vec<ServiceError>) {
        let sink = self.sink.into_inner().unwrap_or_else(|p| p.into_inner());
        (sink.assets, sink.supporting, sink.errors)
    }
}

fn of_keys(assets: &[Asset], keys: &[&str]) -> Vec<Asset> {
    assets
        .iter()
        .filter(|a| keys.contains(&a.search_key.as_str()))
        .cloned()
        .collect()
}

/// Builds tags from any SDK tag shape.
pub(crate) fn tags_from<I, T>(
    items: I,
    key: impl Fn(&T) -> Option<&str>,
    value: impl Fn(&T) -> Option<&str>,
) -> Vec<Tag>
where
    I: IntoIterator<Item = T>,
{
    items
        .into_iter()
        .filter_map(|t| {
            key(&t).map(|k| Tag {
                name: k.to_owned(),
                value: value(&t).unwrap_or_default().to_owned(),
            })
        })
        .collect()
}
