//! `bulwark iac scan PATH`: the IaC engine offline, for CI pipelines.
//!
//! Stable interface (README.md): `--format table|json|sarif|junit`, `--output FILE`,
//! `--fail-on critical|high|medium|low|none`. Exit codes: 0 no finding at or above the
//! threshold, 1 findings at or above it, 2 bad usage or unreadable input.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use bulwark_iac::{
    Engine, Limits, OutputFormat, RuleSelection, ScanInput, ScanOptions, Severity, present,
};
use clap::Args;

/// Arguments of `bulwark iac scan`.
#[derive(Debug, Args)]
pub struct IacScanArgs {
    /// A directory, a single file, or a .zip/.tar/.tar.gz archive.
    pub path: PathBuf,
    /// Output format.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Write the report here instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding of this severity or higher exists (`none`: never).
    #[arg(long, default_value = "low")]
    pub fail_on: String,
    /// Only these rule ids or `PREFIX*` patterns (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub check: Vec<String>,
    /// Skip these rule ids or `PREFIX*` patterns (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub skip_check: Vec<String>,
    /// Exit 1 when a file cannot be parsed.
    #[arg(long)]
    pub fail_on_parse_error: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub submit: SubmitArgs,
}

/// `--submit`: scan on a Bulwark server instead of locally.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Send the files to a server (`POST /api/v1/iac/scan`) and report its findings.
    #[arg(long)]
    pub submit: bool,
    /// Server base URL.
    #[arg(long, env = "BULWARK_SERVER", default_value = "http://127.0.0.1:8080")]
    pub server: String,
    /// API token for the server.
    #[arg(long, env = "BULWARK_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Scan against this IaC policy of the account.
    #[arg(long)]
    pub policy_name: Option<String>,
    /// Save the findings as alerts of the account (needs the four provenance flags).
    #[arg(long)]
    pub save_results: bool,
    #[arg(long, default_value = "")]
    pub repo_url: String,
    #[arg(long, default_value = "")]
    pub branch: String,
    #[arg(long, default_value = "")]
    pub committer_name: String,
    #[arg(long, default_value = "")]
    pub committer_email: String,
}

fn load_input(path: &std::path::Path, limits: &Limits) -> anyhow::Result<ScanInput> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        return ScanInput::from_dir(path, limits)
            .with_context(|| format!("reading {}", path.display()));
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if bulwark_core::iac::is_archive(&path.to_string_lossy()) {
        return ScanInput::from_archive(&bytes, limits)
            .with_context(|| format!("unpacking {}", path.display()));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut input = ScanInput::new();
    input
        .add(file_name, bytes, limits)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(input)
}

/// Runs an `iac` subcommand; `Ok(code)` is the process exit code.
pub fn run(cmd: crate::cli::IacCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        crate::cli::IacCmd::Scan(args) => scan(*args),
        crate::cli::IacCmd::Rules => {
            let engine = Engine::builtin().context("loading the built-in rules")?;
            for r in engine.rules() {
                println!("{}\t{}\t{:?}\t{}", r.id, r.severity, r.framework, r.title);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs the scan; `Ok(code)` is the process exit code.
pub fn scan(args: IacScanArgs) -> anyhow::Result<ExitCode> {
    let format: OutputFormat = args.format.parse().map_err(anyhow::Error::msg)?;
    let threshold: Option<Severity> = match args.fail_on.to_ascii_lowercase().as_str() {
        "none" | "never" => None,
        s => Some(s.parse().map_err(anyhow::Error::msg)?),
    };
    let engine = Engine::builtin().context("loading the built-in rules")?;
    let selection = RuleSelection {
        name: "cli".into(),
        enabled: args.check.clone(),
        disabled: args.skip_check.clone(),
        ..RuleSelection::all()
    };
    let unknown = selection.unknown_ids(engine.rules());
    if !unknown.is_empty() {
        anyhow::bail!(
            "no rule matches {}",
            unknown
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let limits = Limits::default();
    let input = load_input(&args.path, &limits)?;
    if args.submit.submit {
        return crate::iac_submit::submit(&args, &input, format, threshold);
    }

    let show_bar = !args.quiet && std::io::stderr().is_terminal() && input.files().len() > 20;
    let bar = show_bar.then(|| {
        let b = indicatif::ProgressBar::new(input.files().len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} parsing {pos}/{len} files {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let options = ScanOptions { selection, limits };
    let report = engine.scan_with_progress(&input, &options, &mut |p| {
        if let Some(b) = &bar {
            b.set_length(p.files_total as u64);
            b.set_position(p.files_done as u64);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let text = present::render(&report, format);
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{text}"),
    }
    if args.output.is_some() && format != OutputFormat::Table && !args.quiet {
        eprint!("{}", present::to_table(&report));
    }
    let failed = threshold.is_some_and(|t| report.fails_at(t))
        || (args.fail_on_parse_error && !report.parse_errors.is_empty());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
