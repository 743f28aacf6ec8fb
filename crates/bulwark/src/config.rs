//! One typed configuration: defaults, then the TOML file, then `BULWARK_*` environment
//! variables and flags (clap reads both, flags winning).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::cli::Cli;

/// Keys of the config file; every one optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    allowed_redirect_origins: Option<Vec<String>>,
    body_limit_bytes: Option<usize>,
    request_timeout_secs: Option<u64>,
    session_ttl_sec: Option<i64>,
    worker_concurrency: Option<usize>,
    max_db_connections: Option<u32>,
    log_json: Option<bool>,
    integration_tick_secs: Option<u64>,
    event_retention_days: Option<u32>,
    cloud_endpoint_hosts: Option<Vec<String>>,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub allowed_redirect_origins: Vec<String>,
    pub body_limit_bytes: usize,
    pub request_timeout_secs: u64,
    pub session_ttl_sec: i64,
    pub worker_concurrency: usize,
    pub max_db_connections: u32,
    pub log_json: bool,
    /// How often each worker process looks for integration syncs that are due.
    pub integration_tick_secs: u64,
    /// How long cloud events (activity logs, flow traffic) are kept after they
    /// were last read.
    pub event_retention_days: u32,
    /// Hosts an environment's `endpointUrl` may name (exact, or a suffix written
    /// `.amazonaws.com`): the collector sends signed requests there.
    pub cloud_endpoint_hosts: Vec<String>,
}

/// AWS's own domains: service endpoints, VPC endpoints and FIPS endpoints all end so.
pub const DEFAULT_CLOUD_ENDPOINT_HOSTS: [&str; 3] =
    [".amazonaws.com", ".amazonaws.com.cn", ".api.aws"];

impl Config {
    pub fn load(cli: &Cli) -> anyhow::Result<Self> {
        let file = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading config file {}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .with_context(|| format!("parsing config file {}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let mut cfg = Config {
            listen: file
                .listen
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            data_dir: cli
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("./data")),
            database_url: cli
                .database_url
                .clone()
                .or(file.database_url)
                .filter(|u| !u.is_empty()),
            public_url: file.public_url,
            allowed_redirect_origins: file.allowed_redirect_origins.unwrap_or_default(),
            body_limit_bytes: file.body_limit_bytes.unwrap_or(16 * 1024 * 1024),
            request_timeout_secs: file.request_timeout_secs.unwrap_or(60),
            session_ttl_sec: file.session_ttl_sec.unwrap_or(12 * 3600),
            worker_concurrency: file.worker_concurrency.unwrap_or(2),
            max_db_connections: file.max_db_connections.unwrap_or(16),
            log_json: cli.log_json || file.log_json.unwrap_or(false),
            integration_tick_secs: match std::env::var("BULWARK_INTEGRATION_TICK_SECS") {
                Ok(v) => v
                    .parse()
                    .context("BULWARK_INTEGRATION_TICK_SECS must be a number of seconds")?,
                Err(_) => file.integration_tick_secs.unwrap_or(30),
            }
            .max(1),
            event_retention_days: file
                .event_retention_days
                .unwrap_or(bulwark_core::cloud::DEFAULT_EVENT_RETENTION_DAYS),
            cloud_endpoint_hosts: match std::env::var("BULWARK_CLOUD_ENDPOINT_HOSTS") {
                Ok(v) => v
                    .split(',')
                    .map(|h| h.trim().to_ascii_lowercase())
                    .filter(|h| !h.is_empty())
                    .collect(),
                Err(_) => file.cloud_endpoint_hosts.unwrap_or_else(|| {
                    DEFAULT_CLOUD_ENDPOINT_HOSTS
                        .iter()
                        .map(|h| (*h).to_string())
                        .collect()
                }),
            },
        };
        if let crate::cli::Command::Serve(s) = &cli.command {
            if let Some(l) = s.listen {
                cfg.listen = l;
            }
            if let Some(c) = s.worker_concurrency {
                cfg.worker_concurrency = c;
            }
        }
        if cfg.event_retention_days == 0 {
            anyhow::bail!("event_retention_days must be at least 1");
        }
        if cfg.session_ttl_sec <= 0 {
            anyhow::bail!("session_ttl_sec must be positive");
        }
        Ok(cfg)
    }

    /// The database URL in use: the configured one, or SQLite in the data directory.
    pub fn database_url(&self) -> anyhow::Result<String> {
        match &self.database_url {
            Some(u) => Ok(u.clone()),
            None => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!("creating data directory {}", self.data_dir.display())
                })?;
                Ok(bulwark_store::sqlite_url(&self.data_dir))
            }
        }
    }

    /// The base URL clients reach this server at.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    pub fn master_key_path(&self) -> PathBuf {
        self.data_dir.join("master.key")
    }

    /// The configuration as TOML-ish text with the database password hidden.
    pub fn redacted(&self) -> String {
        let db = self
            .database_url
            .as_deref()
            .map(bulwark_store::redact_url)
            .unwrap_or_else(|| format!("(sqlite in {})", self.data_dir.display()));
        format!(
            "listen = \"{}\"\ndata_dir = \"{}\"\ndatabase_url = \"{db}\"\npublic_url = \"{}\"\n\
             allowed_redirect_origins = {:?}\nbody_limit_bytes = {}\nrequest_timeout_secs = {}\n\
             session_ttl_sec = {}\nworker_concurrency = {}\nmax_db_connections = {}\nlog_json = {}\n\
             master_key = \"{}\"",
            self.listen,
            self.data_dir.display(),
            self.public_url(),
            self.allowed_redirect_origins,
            self.body_limit_bytes,
            self.request_timeout_secs,
            self.session_ttl_sec,
            self.worker_concurrency,
            self.max_db_connections,
            self.log_json,
            if std::env::var_os("BULWARK_MASTER_KEY").is_some() {
                "(from BULWARK_MASTER_KEY)".to_string()
            } else {
                format!("(file {})", self.master_key_path().display())
            }
        )
    }
}

/// Loads the master key from `BULWARK_MASTER_KEY`, else from the key file, creating the
/// file (mode 0600) on first use.
pub fn master_key(path: &Path) -> anyhow::Result<bulwark_core::crypto::MasterKey> {
    use bulwark_core::crypto::MasterKey;
    if let Ok(text) = std::env::var("BULWARK_MASTER_KEY") {
        return MasterKey::decode(&text).context("BULWARK_MASTER_KEY");
    }
    if path.exists() {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return MasterKey::decode(&text)
            .with_context(|| format!("master key in {}", path.display()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_private(path, &MasterKey::generate()?.encode())?;
    tracing::info!(path = %path.display(), "master key file created");
    // Read back: if another process won the race, its key is the one on disk.
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    MasterKey::decode(&text).with_context(|| format!("master key in {}", path.display()))
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    opts.mode(0o600);
    match opts.open(path) {
        Ok(mut f) => {
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            Ok(())
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}
