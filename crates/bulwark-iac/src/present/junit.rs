//! JUnit XML: one testsuite per framework, one testcase per rule and
//! resource; findings are failures, suppressed findings are skipped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::Report;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Default)]
struct Suite {
    cases: Vec<String>,
    failures: usize,
    skipped: usize,
}

pub fn to_junit(report: &Report) -> String {
    let mut suites: BTreeMap<&str, Suite> = BTreeMap::new();
    for f in &report.findings {
        let suite = suites.entry(f.framework.as_str()).or_default();
        let name = escape(&format!("{} {}", f.rule_id, f.title));
        let class = escape(&format!("{}:{}", f.file, f.resource));
        let body = match &f.suppressed {
            Some(s) => {
                suite.skipped += 1;
                format!(
                    "<skipped message=\"{}\"/>",
                    escape(&format!("suppressed: {}", s.reason))
                )
            }
            None => {
                suite.failures += 1;
                let detail = format!(
                    "{}\nSeverity: {}\nResource: {} ({})\nFile: {}:{}-{}\nRemediation: {}",
                    f.message,
                    f.severity,
                    f.resource,
                    f.resource_type,
                    f.file,
                    f.start_line,
                    f.end_line,
                    f.remediation
                );
                format!(
                    "<failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&f.message),
                    f.severity,
                    escape(&detail)
                )
            }
        };
        suite.cases.push(format!(
            "    <testcase name=\"{name}\" classname=\"{class}\" file=\"{}\">{body}</testcase>",
            escape(&f.file)
        ));
    }
    for p in &report.passed {
        let title = report.rule(&p.rule_id).map_or("", |r| r.title.as_str());
        let suite = suites.entry(p.framework.as_str()).or_default();
        suite.cases.push(format!(
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"/>",
            escape(&format!("{} {}", p.rule_id, title)),
            escape(&format!("{}:{}", p.file, p.resource)),
            escape(&p.file)
        ));
    }
    let mut errors_suite = Suite::default();
    for e in &report.parse_errors {
        errors_suite.failures += 1;
        errors_suite.cases.push(format!(
            "    <testcase name=\"parse {}\" classname=\"parse\"><error message=\"{}\"/></testcase>",
            escape(&e.file),
            escape(&format!("line {}: {}", e.line.unwrap_or(0), e.message))
        ));
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests: usize =
        suites.values().map(|s| s.cases.len()).sum::<usize>() + errors_suite.cases.len();
    let failures: usize =
        suites.values().map(|s| s.failures).sum::<usize>() + errors_suite.failures;
    let _ = writeln!(
        out,
        "<testsuites name=\"bulwark iac scan\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    let named: Vec<(&str, &Suite)> = suites
        .iter()
        .map(|(k, v)| (*k, v))
        .chain((!errors_suite.cases.is_empty()).then_some(("parse_errors", &errors_suite)))
        .collect();
    for (name, suite) in named {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
            escape(name),
            suite.cases.len(),
            suite.failures,
            suite.skipped
        );
        for case in &suite.cases {
            out.push_str(case);
            out.push('\n');
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
