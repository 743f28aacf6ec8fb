//! Turns input files into [`Resource`]s: detects each file's format, parses
//! it once, and hands it to the one framework it belongs to.
//!
//! **Invariant:** a file that fails to parse becomes a [`FileError`] and the
//! scan goes on; no parser input can panic the scan (third-party parsers
//! run under `catch_unwind` as a last line of defence).

use serde::Serialize;

use crate::input::{Limits, SourceFile, is_dockerfile_name};
use crate::model::{FileId, Framework, Node, Resource};

pub mod arm;
pub mod cloudformation;
pub mod dockerfile;
pub mod json;
pub mod kubernetes;
pub mod skips;
pub mod terraform;
pub mod tfplan;
pub mod yaml;

/// A parser's complaint, before it is tied to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub message: String,
    pub line: Option<u32>,
}

/// A file that could not be parsed (reported, scan continues).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    pub file: String,
    pub framework: Option<Framework>,
    pub line: Option<u32>,
    pub message: String,
}

/// Progress of a scan, reported once per file parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
}

/// Everything the parsers produced for one input.
#[derive(Debug, Default)]
pub struct Parsed {
    pub resources: Vec<Resource>,
    pub errors: Vec<FileError>,
    /// Files recognised as IaC, per framework (for the report summary).
    pub files_by_framework: Vec<(FileId, Framework)>,
}

pub(crate) struct Ctx<'a> {
    pub files: &'a [SourceFile],
    pub limits: &'a Limits,
}

/// Parses every file, calling `progress` after each one.
pub fn parse_all(
    files: &[SourceFile],
    limits: &Limits,
    progress: &mut dyn FnMut(Progress),
) -> Parsed {
    let ctx = Ctx { files, limits };
    let mut out = Parsed::default();
    let mut terraform = terraform::Collector::default();
    let total = files.len();
    for (index, file) in files.iter().enumerate() {
        let id = FileId(u32::try_from(index).unwrap_or(u32::MAX));
        let text = match std::str::from_utf8(&file.bytes) {
            Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
            Err(_) => {
                out.errors
                    .push(error(file, None, None, "file is not valid UTF-8".into()));
                progress(Progress {
                    files_done: index + 1,
                    files_total: total,
                });
                continue;
            }
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parse_one(&ctx, id, file, text, &mut terraform, &mut out)
        }));
        if result.is_err() {
            out.errors
                .push(error(file, None, None, "internal parser error".into()));
        }
        progress(Progress {
            files_done: index + 1,
            files_total: total,
        });
    }
    let tf = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| terraform.finish(&ctx)));
    match tf {
        Ok((resources, errors)) => {
            out.resources.extend(resources);
            out.errors.extend(errors);
        }
        Err(_) => out.errors.push(FileError {
            file: String::new(),
            framework: Some(Framework::Terraform),
            line: None,
            message: "internal error while evaluating Terraform modules".into(),
        }),
    }
    out.files_by_framework.sort();
    out.files_by_framework.dedup();
    out
}

fn error(
    file: &SourceFile,
    framework: Option<Framework>,
    line: Option<u32>,
    message: String,
) -> FileError {
    FileError {
        file: file.path.clone(),
        framework,
        line,
        message,
    }
}

fn parse_one(
    ctx: &Ctx<'_>,
    id: FileId,
    file: &SourceFile,
    text: &str,
    terraform: &mut terraform::Collector,
    out: &mut Parsed,
) {
    let lower = file.path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    if name.ends_with(".tf") {
        out.files_by_framework.push((id, Framework::Terraform));
        terraform.add_tf(id, file, text);
        return;
    }
    if name.ends_with(".tfvars") {
        terraform.add_tfvars(id, file, text);
        return;
    }
    if is_dockerfile_name(name) {
        out.files_by_framework.push((id, Framework::Dockerfile));
        out.resources.push(dockerfile::parse(id, &file.path, text));
        return;
    }
    if name.ends_with(".json") {
        parse_json_file(ctx, id, file, text, terraform, out);
        return;
    }
    // YAML (.yaml, .yml, .template): unrendered Helm templates are not YAML.
    if text.contains("{{") && lower.contains("templates/") {
        return;
    }
    let docs = match yaml::parse_documents(text, id, ctx.limits.max_nodes_per_file) {
        Ok(docs) => docs,
        Err(e) => {
            if looks_like_iac_yaml(text) {
                out.errors.push(error(file, None, e.line, e.message));
            }
            return;
        }
    };
    if docs.first().is_some_and(cloudformation::is_template) {
        out.files_by_framework.push((id, Framework::Cloudformation));
        if let Some(doc) = docs.first() {
            out.resources
                .extend(cloudformation::resources(id, doc, text));
        }
        return;
    }
    let mut k8s = false;
    for doc in &docs {
        if kubernetes::is_manifest(doc) {
            k8s = true;
            out.resources.extend(kubernetes::resources(id, doc, text));
        }
    }
    if k8s {
        out.files_by_framework.push((id, Framework::Kubernetes));
    }
}

fn parse_json_file(
    ctx: &Ctx<'_>,
    id: FileId,
    file: &SourceFile,
    text: &str,
    terraform: &mut terraform::Collector,
    out: &mut Parsed,
) {
    let lower = file.path.to_ascii_lowercase();
    if lower.ends_with(".tfvars.json") {
        terraform.add_tfvars_json(id, file, text, ctx.limits.max_nodes_per_file);
        return;
    }
    let doc: Node = match json::parse(text, id, ctx.limits.max_nodes_per_file) {
        Ok(doc) => doc,
        Err(e) => {
            if looks_like_iac_json(text) {
                out.errors.push(error(file, None, e.line, e.message));
            }
            return;
        }
    };
    if cloudformation::is_template(&doc) {
        out.files_by_framework.push((id, Framework::Cloudformation));
        out.resources
            .extend(cloudformation::resources(id, &doc, text));
    } else if arm::is_template(&doc) {
        out.files_by_framework.push((id, Framework::Arm));
        out.resources.extend(arm::resources(id, &doc));
    } else if tfplan::is_plan(&doc) {
        out.files_by_framework.push((id, Framework::TerraformPlan));
        out.resources.extend(tfplan::resources(id, &doc));
    } else if kubernetes::is_manifest(&doc) {
        out.files_by_framework.push((id, Framework::Kubernetes));
        out.resources.extend(kubernetes::resources(id, &doc, text));
    }
}

fn looks_like_iac_yaml(text: &str) -> bool {
    text.contains("apiVersion")
        || text.contains("AWSTemplateFormatVersion")
        || text.contains("AWS::")
}

fn looks_like_iac_json(text: &str) -> bool {
    looks_like_iac_yaml(text)
        || text.contains("deploymentTemplate")
        || text.contains("planned_values")
}
