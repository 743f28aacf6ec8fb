//! Command-line interface. Flags and their `BULWARK_*` environment variables override
//! the config file; see README.md for the stable interface scripts rely on.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bulwark",
    version,
    about = "Self-hosted cloud security: cloud posture and zero-trust edge"
)]
pub struct Cli {
    /// TOML configuration file.
    #[arg(long, global = true, env = "BULWARK_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite database and the master key file.
    #[arg(long, global = true, env = "BULWARK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL (`postgres://...`); SQLite in the data directory when unset.
    #[arg(
        long,
        global = true,
        env = "BULWARK_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Log as JSON lines instead of text.
    #[arg(long, global = true, env = "BULWARK_LOG_JSON")]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API server (with an in-process job worker unless --no-worker).
    Serve(ServeArgs),
    /// Run a job worker only, for scale-out.
    Worker(WorkerArgs),
    /// Offline administration on the same data as the server.
    #[command(subcommand)]
    Admin(AdminCmd),
    /// Infrastructure-as-Code scanning.
    #[command(subcommand)]
    Iac(IacCmd),
    /// Print the OpenAPI document.
    Openapi,
    /// Inspect the effective configuration.
    #[command(subcommand)]
    Config(ConfigCmd),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "BULWARK_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Do not run jobs in this process (run `bulwark worker` instead).
    #[arg(long)]
    pub no_worker: bool,
    /// Jobs run at once by the in-process worker.
    #[arg(long, env = "BULWARK_WORKER_CONCURRENCY")]
    pub worker_concurrency: Option<usize>,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Jobs run at once.
    #[arg(long, env = "BULWARK_WORKER_CONCURRENCY")]
    pub concurrency: Option<usize>,
    /// Name recorded on claimed jobs (default: host and process id).
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCmd {
    /// Accounts (tenants).
    #[command(subcommand)]
    Account(AccountCmd),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
}

#[derive(Debug, Subcommand)]
pub enum AccountCmd {
    /// Create an account (no-op if it exists).
    Create { name: String },
    /// List accounts.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create an API token and print only its secret on standard output.
    Create {
        /// Account name; created if it does not exist.
        #[arg(long)]
        account: String,
        /// Role name or number (e.g. admin, read_only, 4).
        #[arg(long, default_value = "admin")]
        role: String,
        /// Token name.
        #[arg(long, default_value = "admin-cli")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum IacCmd {
    /// Scan a directory, file or archive offline; exit 1 on findings at or above --fail-on.
    Scan(Box<crate::iac::IacScanArgs>),
    /// List the built-in rules.
    Rules,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the effective configuration with secrets redacted.
    Check,
}
