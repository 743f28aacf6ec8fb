//! Presenters: render a [`Report`] as JSON, SARIF 2.1.0, JUnit XML or a
//! terminal table. They only read the report.

use crate::report::Report;

mod junit;
mod sarif;
mod table;

pub use junit::to_junit;
pub use sarif::to_sarif;
pub use table::to_table;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
    Sarif,
    Junit,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<OutputFormat, String> {
        match s.to_ascii_lowercase().as_str() {
            "table" | "cli" => Ok(OutputFormat::Table),
            "json" => Ok(OutputFormat::Json),
            "sarif" => Ok(OutputFormat::Sarif),
            "junit" | "junitxml" => Ok(OutputFormat::Junit),
            _ => Err(format!(
                "unknown format `{s}` (expected table, json, sarif or junit)"
            )),
        }
    }
}

/// Pretty JSON of the whole report (stable field and finding order).
pub fn to_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub fn render(report: &Report, format: OutputFormat) -> String {
    match format {
        OutputFormat::Table => to_table(report),
        OutputFormat::Json => to_json(report),
        OutputFormat::Sarif => to_sarif(report),
        OutputFormat::Junit => to_junit(report),
    }
}
