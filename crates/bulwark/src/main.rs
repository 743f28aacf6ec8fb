//! The `bulwark` binary: `serve` (API + in-process worker), `worker` (scale-out job
//! worker), `admin` (offline account and token management), `openapi`, `config check`.
//! Room is left for client commands (`iac scan`, `image scan`).

mod admin;
mod aws;
mod cli;
mod config;
mod iac;
mod iac_submit;
mod oidc_http;
mod serve;

use clap::Parser;

use crate::cli::{Cli, Command};

fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("BULWARK_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Offline client commands need no configuration, database or runtime.
    if let Command::Iac(cmd) = cli.command {
        return match iac::run(cmd) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("bulwark: {e:#}");
                std::process::ExitCode::from(2)
            }
        };
    }
    let cfg = match config::Config::load(&cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bulwark: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logging(cfg.log_json);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bulwark: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::serve(cfg, args).await,
            Command::Worker(args) => serve::worker(cfg, args).await,
            Command::Admin(cmd) => admin::run(cfg, cmd).await,
            Command::Iac(_) => Ok(()),
            Command::Openapi => {
                println!("{}", bulwark_api::openapi().to_pretty_json()?);
                Ok(())
            }
            Command::Config(cli::ConfigCmd::Check) => {
                println!("{}", cfg.redacted());
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The whole cause chain, once.
            eprintln!("bulwark: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
