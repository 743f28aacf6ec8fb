//! `bulwark iac scan --submit`: the same scan, run by a Bulwark server through the Optix
//! IaC API (synchronous mode), so results can be saved to the account.

use std::process::ExitCode;

use anyhow::Context;
use bulwark_iac::{OutputFormat, ScanInput, Severity};
use serde_json::Value;

use crate::iac::IacScanArgs;

fn count(summary: &Value, key: &str) -> u64 {
    summary.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// Uploads `input`, prints the server's findings, returns the exit code for `threshold`.
pub fn submit(
    args: &IacScanArgs,
    input: &ScanInput,
    format: OutputFormat,
    threshold: Option<Severity>,
) -> anyhow::Result<ExitCode> {
    let s = &args.submit;
    let key = s
        .api_key
        .as_deref()
        .context("--submit needs --api-key or BULWARK_API_KEY")?;
    if !matches!(format, OutputFormat::Table | OutputFormat::Json) {
        anyhow::bail!(
            "--submit supports --format table or json; run without --submit for SARIF and JUnit"
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let base = s.server.trim_end_matches('/').to_string();
    let (summary, report) = rt.block_on(async {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(300))
            .build()?;
        let mut form = reqwest::multipart::Form::new()
            .text("async", "false")
            .text("save_results_to_account", s.save_results.to_string())
            .text("repo_url", s.repo_url.clone())
            .text("branch", s.branch.clone())
            .text("committer_name", s.committer_name.clone())
            .text("committer_email", s.committer_email.clone());
        if let Some(p) = &s.policy_name {
            form = form.text("policy_name", p.clone());
        }
        for f in input.files() {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(f.bytes.clone()).file_name(f.path.clone()),
            );
        }
        let resp = http
            .post(format!("{base}/api/v1/iac/scan"))
            .header("authorization", format!("ApiKey {key}"))
            .multipart(form)
            .send()
            .await
            .with_context(|| format!("sending the files to {base}"))?;
        let status = resp.status();
        let body: Value = resp.json().await.context("reading the server's answer")?;
        if !status.is_success() {
            anyhow::bail!(
                "server refused the scan ({status}): {}",
                body.get("message").and_then(Value::as_str).unwrap_or("")
            );
        }
        let id = body
            .get("scan_id")
            .and_then(Value::as_str)
            .context("no scan_id in the answer")?;
        let report: Value = http
            // A uuid needs no URL encoding.
            .get(format!(
                "{base}/api/v1/iac/scan/detailedReport?scan_id={id}"
            ))
            .header("authorization", format!("ApiKey {key}"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok::<_, anyhow::Error>((body.get("summary").cloned().unwrap_or(Value::Null), report))
    })?;

    let text = match format {
        OutputFormat::Json => serde_json::to_string_pretty(
            &serde_json::json!({ "summary": summary, "report": report }),
        )?,
        _ => {
            let mut out = String::new();
            for a in report
                .get("alerts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let g = |k: &str| a.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                out.push_str(&format!(
                    "{:<9} {:<16} {:<50} {}:{}-{}\n          {}\n",
                    g("criticalLevel"),
                    g("ruleId"),
                    g("resource"),
                    g("fileName"),
                    a.get("startLine").and_then(Value::as_u64).unwrap_or(0),
                    a.get("endLine").and_then(Value::as_u64).unwrap_or(0),
                    g("alertSummary")
                ));
            }
            out.push_str(&format!(
                "\nFailed by severity: CRITICAL {}  HIGH {}  MEDIUM {}  LOW {}\n",
                count(&summary, "num_critical_alerts"),
                count(&summary, "num_high_alerts"),
                count(&summary, "num_medium_alerts"),
                count(&summary, "num_low_alerts")
            ));
            out
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{text}"),
    }
    let at_or_above = |t: Severity| -> u64 {
        [
            (Severity::Critical, "num_critical_alerts"),
            (Severity::High, "num_high_alerts"),
            (Severity::Medium, "num_medium_alerts"),
            (Severity::Low, "num_low_alerts"),
        ]
        .iter()
        .filter(|(sev, _)| *sev >= t)
        .map(|(_, k)| count(&summary, k))
        .sum()
    };
    Ok(if threshold.is_some_and(|t| at_or_above(t) > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
