//! A minimal command line over the engine, used by the benchmark and for
//! trying rules locally (the real CLI is `bulwark iac scan`):
//!
//! ```text
//! cargo run --release --example scan -- PATH [--format table|json|sarif|junit]
//!     [--output FILE] [--fail-on critical|high|medium|low]
//! ```
//!
//! PATH is a directory, a single file, or a .zip/.tar/.tar.gz archive.
//! Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or input error.

use std::process::ExitCode;

use bulwark_iac::{Engine, Limits, OutputFormat, ScanInput, ScanOptions, Severity, present};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut format = OutputFormat::Table;
    let mut output = None;
    let mut fail_on: Option<Severity> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => format = args.next().ok_or("--format needs a value")?.parse()?,
            "--output" => output = Some(args.next().ok_or("--output needs a value")?),
            "--fail-on" => fail_on = Some(args.next().ok_or("--fail-on needs a value")?.parse()?),
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            other => path = Some(other.to_string()),
        }
    }
    let path = path.ok_or("usage: scan PATH [--format F] [--output FILE] [--fail-on SEVERITY]")?;
    let limits = Limits::default();
    let lower = path.to_ascii_lowercase();
    let input = if [".zip", ".tar", ".tar.gz", ".tgz"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        ScanInput::from_archive(&bytes, &limits)
    } else {
        ScanInput::from_dir(path.as_ref(), &limits)
    }
    .map_err(|e| e.to_string())?;
    let engine = Engine::builtin().map_err(|e| e.to_string())?;
    let report = engine.scan(&input, &ScanOptions::default());
    let rendered = present::render(&report, format);
    match output {
        Some(file) => {
            std::fs::write(&file, rendered).map_err(|e| format!("cannot write `{file}`: {e}"))?
        }
        None => print!("{rendered}"),
    }
    Ok(match fail_on {
        Some(threshold) if report.fails_at(threshold) => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}
