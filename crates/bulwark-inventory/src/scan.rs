//! Image scan reports: `trivy image -f json` and `grype <image> -o json`
//! become one `IMAGE_SCAN_DETAILS` asset per scanned image, for any
//! provider (the environment the image runs in).
//!
//! A report is a whole document, so a snapshot of reports is one report or
//! an array of reports and nothing else; a report that cannot be read is an
//! error for the whole snapshot, not a warning. Trivy secret findings are
//! only counted: their `Match` and `Code` hold the secret itself. Image
//! environment variables (`ImageConfig.config.Env`) are never read.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::base::Base;
use crate::docker::split_reference;
use crate::error::IngestError;
use crate::json::{arr_at, at, has, pointer, shorten, str_at, strings, tags_from_object};
use crate::model::{Asset, Provider};
use crate::snapshot::Limits;

/// The search key image scan results are stored under.
pub const IMAGE_SCAN_KEY: &str = "IMAGE_SCAN_DETAILS";

/// Most findings kept per image (most severe first); counts cover all.
pub const MAX_FINDINGS: usize = 2_000;

/// The tool that wrote a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scanner {
    Trivy,
    Grype,
}

impl Scanner {
    fn name(self) -> &'static str {
        match self {
            Scanner::Trivy => "trivy",
            Scanner::Grype => "grype",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Scanner::Trivy => "Trivy",
            Scanner::Grype => "Grype",
        }
    }
}

/// The scanner a kind hint names (`trivy`, `grype`, their commands, or the
/// search key, which means "detect which").
pub(crate) enum ScanHint {
    Scanner(Scanner),
    Any,
}

pub(crate) fn resolve_hint(hint: &str) -> Option<ScanHint> {
    let lower = hint.trim().to_ascii_lowercase();
    let first = lower.split_whitespace().next().unwrap_or_default();
    match first {
        "trivy" => Some(ScanHint::Scanner(Scanner::Trivy)),
        "grype" => Some(ScanHint::Scanner(Scanner::Grype)),
        "image_scan_details" => Some(ScanHint::Any),
        _ => None,
    }
}

/// Recognises a report by its top-level shape, loosely enough that a
/// damaged report is still recognised and rejected with a clear message.
pub(crate) fn detect(v: &Value) -> Option<Scanner> {
    if !v.is_object() {
        return None;
    }
    if has(v, "ArtifactName") || (has(v, "SchemaVersion") && has(v, "Results")) {
        return Some(Scanner::Trivy);
    }
    if has(v, "matches") && (has(v, "source") || has(v, "descriptor")) {
        return Some(Scanner::Grype);
    }
    None
}

/// One report of a snapshot: its JSON pointer, scanner and JSON.
pub(crate) type Report<'a> = (String, Scanner, &'a Value);

/// The reports of a snapshot, or `None` when the snapshot holds no report
/// and is an inventory snapshot.
pub(crate) fn reports<'a>(
    hint: Option<&ScanHint>,
    snapshot: &'a Value,
    limits: &Limits,
) -> Result<Option<Vec<Report<'a>>>, IngestError> {
    let documents: Vec<(String, &Value)> = match snapshot {
        Value::Array(elements) => elements
            .iter()
            .enumerate()
            .map(|(i, v)| (pointer("", &i.to_string()), v))
            .collect(),
        other => vec![(String::new(), other)],
    };
    let detected: Vec<Option<Scanner>> = documents.iter().map(|(_, v)| detect(v)).collect();
    if hint.is_none() && detected.iter().all(Option::is_none) {
        return Ok(None);
    }
    if documents.len() > limits.max_items {
        return Err(IngestError::TooManyItems {
            limit: limits.max_items,
        });
    }
    let mut out = Vec::with_capacity(documents.len());
    for ((path, v), found) in documents.into_iter().zip(detected) {
        let scanner = match (hint, found) {
            (Some(ScanHint::Scanner(want)), Some(found)) if *want != found => {
                return Err(invalid(
                    &path,
                    format!(
                        "the kind hint says {} but this is a {} report",
                        want.label(),
                        found.label()
                    ),
                ));
            }
            (_, Some(found)) => found,
            (Some(ScanHint::Scanner(want)), None) => {
                return Err(invalid(&path, not_a_report(Some(*want), v)));
            }
            _ => return Err(invalid(&path, not_a_report(None, v))),
        };
        out.push((path, scanner, v));
    }
    if out.is_empty() {
        return Err(invalid("", "the snapshot holds no report".to_owned()));
    }
    Ok(Some(out))
}

fn invalid(item: &str, message: String) -> IngestError {
    IngestError::ScanReport {
        item: item.to_owned(),
        message,
    }
}

fn not_a_report(want: Option<Scanner>, v: &Value) -> String {
    let what = want.map_or("a Trivy or Grype image scan report", |s| match s {
        Scanner::Trivy => {
            "a Trivy report (`trivy image -f json`: `ArtifactName`, `Metadata`, `Results`)"
        }
        Scanner::Grype => {
            "a Grype report (`grype <image> -o json`: `matches`, `source`, `descriptor`)"
        }
    });
    let fields = v.as_object().map(|o| {
        o.keys()
            .take(6)
            .map(|k| shorten(k, 32))
            .collect::<Vec<_>>()
            .join(", ")
    });
    match fields {
        Some(fields) => {
            format!("not {what} (fields: {fields}); a snapshot of scan reports holds only reports")
        }
        None => format!("not {what}: a report is a JSON object"),
    }
}

/// One finding, before the list is capped.
struct Finding {
    id: String,
    package: Option<String>,
    installed: Option<String>,
    fixed: Option<String>,
    severity: &'static str,
    title: Option<String>,
    cvss: Option<f64>,
    package_type: Option<String>,
}

/// What both scanners' reports say about one image.
#[derive(Default)]
struct Image {
    reference: Option<String>,
    image_id: Option<String>,
    digest: Option<String>,
    os_family: Option<String>,
    os_name: Option<String>,
    scanner_version: Option<String>,
    scan_time: Option<String>,
    labels: Option<Value>,
    secrets: usize,
    misconfigurations: usize,
}

/// Maps one report to its asset.
pub(crate) fn map(
    provider: Provider,
    path: &str,
    scanner: Scanner,
    report: &Value,
) -> Result<Asset, IngestError> {
    let label = scanner.label();
    let fail = |message: String| invalid(path, format!("{label} report: {message}"));
    let (image, findings) = match scanner {
        Scanner::Trivy => trivy(report),
        Scanner::Grype => grype(report),
    }
    .map_err(fail)?;
    let Some(id) = image.image_id.clone().or_else(|| image.digest.clone()) else {
        return Err(fail(match scanner {
            Scanner::Trivy => "no image identity: `Metadata.ImageID` and `Metadata.RepoDigests` are missing".to_owned(),
            Scanner::Grype => "no image identity: `source.target.imageID` and `source.target.manifestDigest` are missing".to_owned(),
        }));
    };
    Ok(asset(provider, scanner, id, image, findings))
}

fn severity(text: &str) -> &'static str {
    match text.trim().to_ascii_lowercase().as_str() {
        "critical" => "CRITICAL",
        "high" => "HIGH",
        "medium" | "moderate" => "MEDIUM",
        // Grype's `Negligible` is below low; Trivy has no such level.
        "low" | "negligible" => "LOW",
        _ => "UNKNOWN",
    }
}

fn rank(severity: &str) -> u8 {
    match severity {
        "CRITICAL" => 0,
        "HIGH" => 1,
        "MEDIUM" => 2,
        "LOW" => 3,
        _ => 4,
    }
}

fn owned(v: Option<&str>) -> Option<String> {
    v.map(str::to_owned)
}

fn array<'a>(v: &'a Value, path: &[&str], name: &str) -> Result<&'a [Value], String> {
    match at(v, path) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("`{name}` must be an array")),
    }
}

fn trivy(v: &Value) -> Result<(Image, Vec<Finding>), String> {
    if let Some(kind) = str_at(v, &["ArtifactType"]).filter(|t| *t != "container_image") {
        return Err(format!(
            "the artifact is a `{}`, not a container image (scan images with `trivy image -f json`)",
            shorten(kind, 40)
        ));
    }
    if at(v, &["Metadata"]).is_some_and(|m| !m.is_object()) {
        return Err("`Metadata` must be an object".to_owned());
    }
    let metadata = at(v, &["Metadata"]).cloned().unwrap_or(Value::Null);
    let repo_tags = strings(arr_at(&metadata, &["RepoTags"]));
    let repo_digests = strings(arr_at(&metadata, &["RepoDigests"]));
    let mut image = Image {
        reference: repo_tags
            .first()
            .cloned()
            .or_else(|| owned(str_at(v, &["ArtifactName"]))),
        image_id: owned(str_at(&metadata, &["ImageID"])),
        digest: repo_digests
            .iter()
            .find_map(|d| d.split_once('@').map(|(_, digest)| digest.to_owned())),
        os_family: owned(str_at(&metadata, &["OS", "Family"])),
        os_name: owned(str_at(&metadata, &["OS", "Name"])),
        scanner_version: owned(str_at(v, &["Trivy", "Version"])),
        scan_time: owned(str_at(v, &["CreatedAt"])),
        labels: at(&metadata, &["ImageConfig", "config", "Labels"]).cloned(),
        ..Image::default()
    };
    let mut findings = Vec::new();
    for (r, result) in array(v, &["Results"], "Results")?.iter().enumerate() {
        if !result.is_object() {
            return Err(format!("`Results[{r}]` must be an object"));
        }
        // Count only: a secret finding's `Match` and `Code` are the secret.
        image.secrets = image
            .secrets
            .saturating_add(array(result, &["Secrets"], "Secrets")?.len());
        image.misconfigurations = image
            .misconfigurations
            .saturating_add(array(result, &["Misconfigurations"], "Misconfigurations")?.len());
        let package_type = owned(str_at(result, &["Type"]));
        let vulnerabilities = array(
            result,
            &["Vulnerabilities"],
            &format!("Results[{r}].Vulnerabilities"),
        )?;
        for (i, vuln) in vulnerabilities.iter().enumerate() {
            let Some(id) = str_at(vuln, &["VulnerabilityID"]) else {
                return Err(format!(
                    "`Results[{r}].Vulnerabilities[{i}]` has no `VulnerabilityID`"
                ));
            };
            let cvss = at(vuln, &["CVSS"])
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(Map::values)
                .filter_map(|source| {
                    at(source, &["V3Score"])
                        .or_else(|| at(source, &["V2Score"]))
                        .and_then(Value::as_f64)
                })
                .reduce(f64::max);
            findings.push(Finding {
                id: id.to_owned(),
                package: owned(str_at(vuln, &["PkgName"])),
                installed: owned(str_at(vuln, &["InstalledVersion"])),
                fixed: owned(str_at(vuln, &["FixedVersion"])),
                severity: severity(str_at(vuln, &["Severity"]).unwrap_or_default()),
                title: owned(str_at(vuln, &["Title"])),
                cvss,
                package_type: package_type.clone(),
            });
        }
    }
    Ok((image, findings))
}

fn grype(v: &Value) -> Result<(Image, Vec<Finding>), String> {
    if let Some(kind) = str_at(v, &["source", "type"]).filter(|t| *t != "image") {
        return Err(format!(
            "the source is a `{}`, not a container image (scan images with `grype <image> -o json`)",
            shorten(kind, 40)
        ));
    }
    let target = at(v, &["source", "target"]).cloned().unwrap_or(Value::Null);
    let tags = strings(arr_at(&target, &["tags"]));
    let repo_digests = strings(arr_at(&target, &["repoDigests"]));
    let image = Image {
        reference: tags
            .first()
            .cloned()
            .or_else(|| owned(str_at(&target, &["userInput"]))),
        image_id: owned(str_at(&target, &["imageID"])),
        digest: owned(str_at(&target, &["manifestDigest"])).or_else(|| {
            repo_digests
                .iter()
                .find_map(|d| d.split_once('@').map(|(_, digest)| digest.to_owned()))
        }),
        os_family: owned(str_at(v, &["distro", "name"])),
        os_name: owned(str_at(v, &["distro", "version"])),
        scanner_version: owned(str_at(v, &["descriptor", "version"])),
        scan_time: owned(str_at(v, &["descriptor", "timestamp"])),
        labels: at(&target, &["labels"]).cloned(),
        ..Image::default()
    };
    let mut findings = Vec::new();
    let matches = match at(v, &["matches"]) {
        Some(Value::Array(a)) => a.as_slice(),
        _ => return Err("`matches` must be an array".to_owned()),
    };
    for (i, m) in matches.iter().enumerate() {
        let Some(id) = str_at(m, &["vulnerability", "id"]) else {
            return Err(format!("`matches[{i}]` has no `vulnerability.id`"));
        };
        let fixed = strings(arr_at(m, &["vulnerability", "fix", "versions"]));
        let cvss = arr_at(m, &["vulnerability", "cvss"])
            .iter()
            .filter_map(|c| at(c, &["metrics", "baseScore"]).and_then(Value::as_f64))
            .reduce(f64::max);
        findings.push(Finding {
            id: id.to_owned(),
            package: owned(str_at(m, &["artifact", "name"])),
            installed: owned(str_at(m, &["artifact", "version"])),
            fixed: (!fixed.is_empty()).then(|| fixed.join(", ")),
            severity: severity(str_at(m, &["vulnerability", "severity"]).unwrap_or_default()),
            title: owned(str_at(m, &["vulnerability", "description"])).map(|d| shorten(&d, 200)),
            cvss,
            package_type: owned(str_at(m, &["artifact", "type"])),
        });
    }
    Ok((image, findings))
}

fn asset(
    provider: Provider,
    scanner: Scanner,
    id: String,
    image: Image,
    mut findings: Vec<Finding>,
) -> Asset {
    // One package version affected by one vulnerability counts once, even
    // when the scanner found it at several paths.
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert((f.id.clone(), f.package.clone(), f.installed.clone())));
    findings.sort_by(|a, b| {
        rank(a.severity)
            .cmp(&rank(b.severity))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.package.cmp(&b.package))
    });
    let count = |level: &str| findings.iter().filter(|f| f.severity == level).count();
    let fixable = findings.iter().filter(|f| f.fixed.is_some()).count();
    let reference = image.reference.clone().unwrap_or_else(|| id.clone());
    let (registry, repository) = split_reference(&reference).unzip();
    let tag = reference
        .split('@')
        .next()
        .and_then(|name| name.rsplit_once(':'))
        .map(|(_, tag)| tag)
        .filter(|tag| !tag.contains('/'));
    let total = findings.len();
    let truncated = total > MAX_FINDINGS;
    let listed: Vec<Value> = findings
        .iter()
        .take(MAX_FINDINGS)
        .map(|f| {
            json!({
                "id": f.id,
                "package": f.package,
                "installedVersion": f.installed,
                "fixedVersion": f.fixed,
                "severity": f.severity,
                "title": f.title,
                "cvssScore": f.cvss,
                "packageType": f.package_type,
            })
        })
        .collect();
    let data = json!({
        "imageName": reference,
        "imageId": image.image_id,
        "digest": image.digest,
        "registry": registry,
        "repository": repository,
        "tag": tag,
        "os": {"family": image.os_family, "name": image.os_name},
        "scanner": scanner.name(),
        "scannerVersion": image.scanner_version,
        "scanTime": image.scan_time,
        "vulnerabilities": {
            "critical": count("CRITICAL"),
            "high": count("HIGH"),
            "medium": count("MEDIUM"),
            "low": count("LOW"),
            "unknown": count("UNKNOWN"),
        },
        "totalVulnerabilities": total,
        "fixableCount": fixable,
        "secretsFound": image.secrets,
        "misconfigurations": image.misconfigurations,
        "findings": listed,
        "findingsTruncated": truncated,
    });
    let base = Base {
        provider,
        account: String::new(),
        region: None,
        id,
        name: reference,
        tags: tags_from_object(image.labels.as_ref()),
    };
    base.asset(IMAGE_SCAN_KEY, None, data)
}
