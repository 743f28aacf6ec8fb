//! `bulwark serve` and `bulwark worker`: wiring, first-start bootstrap, graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bulwark_api::{ApiConfig, AppState};
use bulwark_core::Role;
use bulwark_core::auth::Authenticator;
use bulwark_core::cloud::{CloudCollector, CloudSyncService};
use bulwark_core::crypto::Sealer;
use bulwark_core::integrations::{IntegrationService, SyncScheduler};
use bulwark_core::jobs::{JobRegistry, Worker, WorkerConfig, register_diagnostics};
use bulwark_core::ports::Store;
use bulwark_core::resources::ResourceService;
use bulwark_core::sso::SsoService;
use bulwark_core::tokens::AccountService;
use bulwark_store::SqlStore;
use tokio::sync::watch;

use crate::aws::AwsCollector;
use crate::cli::{ServeArgs, WorkerArgs};
use crate::config::{Config, master_key};
use crate::oidc_http::ReqwestOidcHttp;

/// Opens the configured store (migrating it).
pub async fn open_store(cfg: &Config) -> anyhow::Result<SqlStore> {
    let url = cfg.database_url()?;
    SqlStore::connect(&url, cfg.max_db_connections)
        .await
        .with_context(|| format!("opening database {}", bulwark_store::redact_url(&url)))
}

/// Every job kind this build can run.
pub fn registry(
    store: Arc<dyn Store>,
    cloud: &Arc<CloudSyncService>,
    integrations: Arc<IntegrationService>,
) -> JobRegistry {
    let mut r = JobRegistry::new();
    register_diagnostics(&mut r);
    bulwark_core::iac::register_jobs(&mut r, store);
    cloud.register(&mut r);
    bulwark_core::integrations::register_jobs(&mut r, integrations);
    r
}

/// Live cloud sync with every collector this build has.
fn cloud_sync(cfg: &Config, store: Arc<dyn Store>, sealer: Arc<Sealer>) -> Arc<CloudSyncService> {
    let resources = Arc::new(ResourceService::new(store.clone()).with_sealer(sealer));
    let collectors: Vec<Arc<dyn CloudCollector>> = vec![Arc::new(AwsCollector::new(
        8,
        cfg.cloud_endpoint_hosts.clone(),
    ))];
    Arc::new(
        CloudSyncService::new(store, resources, collectors)
            .with_event_retention(cfg.event_retention_days),
    )
}

/// The integration service: secrets sealed under the master key, providers reached
/// over HTTP.
fn integrations(
    store: Arc<dyn Store>,
    sealer: Arc<Sealer>,
) -> anyhow::Result<Arc<IntegrationService>> {
    let directory = Arc::new(bulwark_directory::HttpDirectory::new().map_err(anyhow::Error::msg)?);
    Ok(Arc::new(IntegrationService::new(store, sealer, directory)))
}

/// Queues due integration syncs until `stop` turns true.
fn spawn_scheduler(
    service: Arc<IntegrationService>,
    cfg: &Config,
    stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let period = Duration::from_secs(cfg.integration_tick_secs);
    tokio::spawn(SyncScheduler::new(service).run(period, stop))
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// On the very first start (no account at all), creates `default` and prints a
/// bootstrap admin token once.
async fn bootstrap(store: Arc<dyn Store>) -> anyhow::Result<()> {
    if !store.list_accounts().await?.is_empty() {
        return Ok(());
    }
    let accounts = AccountService::new(store);
    let (account, created) = accounts.ensure("default").await?;
    if created {
        let secret = accounts
            .issue_token(&account, Role::SuperAdmin, "bootstrap")
            .await?;
        println!("Bootstrap admin API token for account `default` (shown once, store it now):");
        println!("{secret}");
        tracing::info!("created account `default` and its bootstrap token (printed on stdout)");
    }
    Ok(())
}

fn worker_id(explicit: Option<String>) -> String {
    explicit.unwrap_or_else(|| {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
        format!("{host}-{}", std::process::id())
    })
}

pub async fn serve(cfg: Config, args: ServeArgs) -> anyhow::Result<()> {
    let store: Arc<dyn Store> = Arc::new(open_store(&cfg).await?);
    if cfg.database_url.is_some() && std::env::var_os("BULWARK_MASTER_KEY").is_none() {
        tracing::warn!(
            "using a per-host master key file with a shared database: set BULWARK_MASTER_KEY on every server so their sessions and secrets agree"
        );
    }
    let master = master_key(&cfg.master_key_path())?;
    bootstrap(store.clone()).await?;
    let sealer = Arc::new(Sealer::new(&master)?);
    let cloud = cloud_sync(&cfg, store.clone(), sealer.clone());
    let auth = Arc::new(Authenticator::new(
        store.clone(),
        &master,
        cfg.session_ttl_sec,
    )?);
    let integrations = integrations(store.clone(), sealer.clone())?;
    let registry = Arc::new(registry(store.clone(), &cloud, integrations.clone()));
    let listener = tokio::net::TcpListener::bind(cfg.listen)
        .await
        .with_context(|| format!("binding {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    let api_cfg = ApiConfig {
        // Without a configured public URL, the address actually bound (port 0 resolved):
        // SAML and OIDC callbacks are derived from it.
        public_url: cfg
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}")),
        allowed_redirect_origins: cfg.allowed_redirect_origins.clone(),
        body_limit: cfg.body_limit_bytes,
        request_timeout_secs: cfg.request_timeout_secs,
        ..ApiConfig::default()
    };
    let sso = Arc::new(SsoService::new(
        store.clone(),
        auth.clone(),
        sealer.clone(),
        Arc::new(ReqwestOidcHttp::new()?),
    ));
    let app = bulwark_api::app(
        AppState::new(
            store.clone(),
            auth,
            registry.clone(),
            sealer,
            cloud,
            api_cfg,
        )
        .with_integrations(integrations.clone())
        .with_sso(sso),
    );

    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = (!args.no_worker).then(|| {
        let w = Worker::new(
            store.clone(),
            registry,
            WorkerConfig {
                id: worker_id(None),
                concurrency: cfg.worker_concurrency,
                ..WorkerConfig::default()
            },
        );
        spawn_scheduler(integrations, &cfg, stop_rx.clone());
        tokio::spawn(w.run(stop_rx))
    });

    tracing::info!(%addr, worker = worker.is_some(), "bulwark listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving HTTP")?;
    tracing::info!("HTTP server stopped; finishing running jobs");
    let _ = stop_tx.send(true);
    if let Some(w) = worker
        && tokio::time::timeout(Duration::from_secs(30), w)
            .await
            .is_err()
    {
        tracing::warn!(
            "jobs still running after 30 s; their leases will expire and they will be retried"
        );
    }
    store.ping().await.ok();
    Ok(())
}

pub async fn worker(cfg: Config, args: WorkerArgs) -> anyhow::Result<()> {
    let store: Arc<dyn Store> = Arc::new(open_store(&cfg).await?);
    // Jobs open sealed secrets (cloud and integration credentials): workers need the
    // servers' master key.
    let sealer = Arc::new(Sealer::new(&master_key(&cfg.master_key_path())?)?);
    let cloud = cloud_sync(&cfg, store.clone(), sealer.clone());
    let integrations = integrations(store.clone(), sealer)?;
    let w = Worker::new(
        store.clone(),
        Arc::new(registry(store, &cloud, integrations.clone())),
        WorkerConfig {
            id: worker_id(args.id),
            concurrency: args.concurrency.unwrap_or(cfg.worker_concurrency),
            ..WorkerConfig::default()
        },
    );
    let (stop_tx, stop_rx) = watch::channel(false);
    spawn_scheduler(integrations, &cfg, stop_rx.clone());
    let handle = tokio::spawn(w.run(stop_rx));
    tracing::info!("bulwark worker started");
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    handle.await.context("worker task")?;
    Ok(())
}
