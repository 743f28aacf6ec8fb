//! Terraform HCL2: files are grouped into modules by directory, each root
//! module is evaluated (variables from defaults, `terraform.tfvars`, other
//! `.tfvars`, then `*.auto.tfvars`; locals; `count`/`for_each`; dynamic
//! blocks) and local modules are instantiated with their inputs under
//! `module.NAME.` addresses. A directory called as a local module is only
//! scanned through its callers, so its findings are not duplicated.

use hcl_edit::structure::Body;

use crate::input::SourceFile;
use crate::model::{FileId, Framework, Node, Resource, Skip, Value};
use crate::parse::{Ctx, FileError, json, skips};

mod eval;
mod funcs;
mod module;

/// Deepest bracket nesting handed to the HCL parser, which recurses.
const MAX_NESTING: usize = 100;

pub struct TfFile {
    pub id: FileId,
    pub dir: String,
    pub name: String,
    pub body: Body,
    line_starts: Vec<usize>,
    pub skips: Vec<(u32, Skip)>,
}

impl TfFile {
    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        u32::try_from(line.max(1)).unwrap_or(u32::MAX)
    }
}

#[derive(Default)]
pub struct Collector {
    files: Vec<TfFile>,
    tfvars: Vec<TfFile>,
    tfvars_json: Vec<(String, String, Node)>,
    errors: Vec<FileError>,
}

fn dir_and_name(path: &str) -> (String, String) {
    match path.rsplit_once('/') {
        Some((dir, name)) => (dir.to_string(), name.to_string()),
        None => (String::new(), path.to_string()),
    }
}

impl Collector {
    pub fn add_tf(&mut self, id: FileId, file: &SourceFile, text: &str) {
        if let Some(tf) = self.parse(id, file, text) {
            self.files.push(tf);
        }
    }

    pub fn add_tfvars(&mut self, id: FileId, file: &SourceFile, text: &str) {
        if let Some(tf) = self.parse(id, file, text) {
            self.tfvars.push(tf);
        }
    }

    pub fn add_tfvars_json(&mut self, id: FileId, file: &SourceFile, text: &str, max_nodes: usize) {
        match json::parse(text, id, max_nodes) {
            Ok(node) => {
                let (dir, name) = dir_and_name(&file.path);
                self.tfvars_json.push((dir, name, node));
            }
            Err(e) => self.errors.push(FileError {
                file: file.path.clone(),
                framework: Some(Framework::Terraform),
                line: e.line,
                message: e.message,
            }),
        }
    }

    fn parse(&mut self, id: FileId, file: &SourceFile, text: &str) -> Option<TfFile> {
        let error = |line: Option<u32>, message: String| FileError {
            file: file.path.clone(),
            framework: Some(Framework::Terraform),
            line,
            message,
        };
        if let Some(line) = excessive_nesting(text) {
            self.errors.push(error(
                Some(line),
                format!("nesting deeper than {MAX_NESTING} levels"),
            ));
            return None;
        }
        match hcl_edit::parser::parse_body(text) {
            Ok(body) => {
                let (dir, name) = dir_and_name(&file.path);
                let mut line_starts = vec![0];
                line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
                Some(TfFile {
                    id,
                    dir,
                    name,
                    body,
                    line_starts,
                    skips: skips::comment_skips(text),
                })
            }
            Err(e) => {
                let line = u32::try_from(e.location().line()).ok();
                self.errors.push(error(line, e.message().to_string()));
                None
            }
        }
    }

    /// Evaluates every root module and returns its resources.
    pub(crate) fn finish(self, ctx: &Ctx<'_>) -> (Vec<Resource>, Vec<FileError>) {
        let mut resources = Vec::new();
        let mut errors = self.errors;
        let program = module::Program {
            files: &self.files,
            tfvars: &self.tfvars,
            tfvars_json: &self.tfvars_json,
            sources: ctx.files,
            budget: std::cell::Cell::new(module::EVAL_BUDGET),
        };
        for dir in program.root_dirs() {
            program.evaluate_root(&dir, &mut resources, &mut errors);
        }
        if program.budget.get() == 0 {
            errors.push(FileError {
                file: String::new(),
                framework: Some(Framework::Terraform),
                line: None,
                message: "evaluation budget exhausted; remaining expressions were left unresolved"
                    .into(),
            });
        }
        for r in &mut resources {
            respan_policies(&mut r.body);
        }
        (resources, errors)
    }
}

/// Policy documents written as JSON strings (heredocs, `file()` aside) are
/// parsed so rules can read their statements like `jsonencode` objects.
fn respan_policies(body: &mut Node) {
    if let Value::Map(entries) = &mut body.value {
        for (key, value) in entries.iter_mut() {
            if is_policy_key(key) {
                if let Some(parsed) = value
                    .as_str()
                    .and_then(|text| parse_embedded_json(text, value))
                {
                    *value = parsed;
                }
            } else {
                match &mut value.value {
                    Value::List(items) => items.iter_mut().for_each(respan_policies),
                    Value::Map(_) => respan_policies(value),
                    _ => {}
                }
            }
        }
    }
}

fn is_policy_key(key: &str) -> bool {
    matches!(
        key,
        "policy"
            | "assume_role_policy"
            | "access_policies"
            | "policy_document"
            | "container_definitions"
    )
}

fn parse_embedded_json(text: &str, at: &Node) -> Option<Node> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') && !trimmed.starts_with('[') {
        return None;
    }
    let mut parsed = json::parse(text.trim(), at.span.file, 100_000).ok()?;
    set_span(&mut parsed, at.span);
    Some(parsed)
}

pub(crate) fn set_span(node: &mut Node, span: crate::model::Span) {
    node.span = span;
    match &mut node.value {
        Value::List(items) => items.iter_mut().for_each(|n| set_span(n, span)),
        Value::Map(entries) => entries.iter_mut().for_each(|(_, n)| set_span(n, span)),
        _ => {}
    }
}

/// Finds the line where bracket nesting first exceeds the parser's budget.
fn excessive_nesting(text: &str) -> Option<u32> {
    let mut depth = 0usize;
    let mut line = 1u32;
    for b in text.bytes() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(line);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;
