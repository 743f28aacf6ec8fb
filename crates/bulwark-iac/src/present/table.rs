//! A plain-text report for terminals (no colour: the CLI may add it).

use std::fmt::Write as _;

use crate::model::truncate;
use crate::report::Report;
use crate::severity::Severity;

pub fn to_table(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Scanned {} files, {} resources with policy `{}`: {} passed, {} failed, {} suppressed, {} parse errors",
        s.files, s.resources, report.policy, s.passed, s.failed, s.suppressed, s.parse_errors
    );
    // Most severe first; the report's own order (file, line) breaks ties.
    let mut active: Vec<_> = report.active_findings().collect();
    active.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if !active.is_empty() {
        let rows: Vec<[String; 4]> = active
            .iter()
            .map(|f| {
                [
                    f.severity.to_string(),
                    f.rule_id.clone(),
                    truncate(&f.resource, 60),
                    if f.start_line == f.end_line {
                        format!("{}:{}", f.file, f.start_line)
                    } else {
                        format!("{}:{}-{}", f.file, f.start_line, f.end_line)
                    },
                ]
            })
            .collect();
        let headers = ["SEVERITY", "RULE", "RESOURCE", "LOCATION"];
        let mut widths = headers.map(str::len);
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        out.push('\n');
        let line = |cells: [&str; 4], out: &mut String| {
            let _ = writeln!(
                out,
                "{:w0$}  {:w1$}  {:w2$}  {}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2]
            );
        };
        line(headers, &mut out);
        for (row, f) in rows.iter().zip(&active) {
            line([&row[0], &row[1], &row[2], &row[3]], &mut out);
            let _ = writeln!(
                out,
                "{:w$}  {}",
                "",
                truncate(&f.message, 160),
                w = widths[0]
            );
        }
    }
    let suppressed: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .collect();
    if !suppressed.is_empty() {
        let _ = writeln!(out, "\nSuppressed:");
        for f in suppressed {
            let reason = f.suppressed.as_ref().map_or("", |s| s.reason.as_str());
            let _ = writeln!(
                out,
                "  {} {} ({}:{}): {}",
                f.rule_id, f.resource, f.file, f.start_line, reason
            );
        }
    }
    if !report.parse_errors.is_empty() {
        let _ = writeln!(out, "\nParse errors:");
        for e in &report.parse_errors {
            let _ = writeln!(out, "  {}:{}: {}", e.file, e.line.unwrap_or(0), e.message);
        }
    }
    if !report.skipped_files.is_empty() {
        let _ = writeln!(out, "\nSkipped files:");
        for f in &report.skipped_files {
            let _ = writeln!(out, "  {}: {}", f.path, f.reason);
        }
    }
    let counts = report.counts();
    let totals: Vec<String> = Severity::ALL
        .iter()
        .map(|sev| format!("{sev} {}", counts.get(*sev)))
        .collect();
    let _ = writeln!(out, "\nFailed by severity: {}", totals.join("  "));
    out
}
