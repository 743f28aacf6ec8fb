//! Module evaluation: variables, locals, resource instances, local module
//! calls. See the parent module for the overall model.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::TfFile;
use super::eval::Scope;
use crate::input::SourceFile;
use crate::model::{Framework, Node, Resource, Span, Value};
use crate::parse::{FileError, skips};

const MAX_MODULE_DEPTH: usize = 8;
/// Instances expanded per `count`/`for_each`; beyond that one unknown instance.
const MAX_INSTANCES: usize = 256;
/// Attributes that steer Terraform rather than describe the resource.
const META_ARGS: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "providers",
    "source",
    "version",
];

pub struct Program<'a> {
    pub files: &'a [TfFile],
    pub tfvars: &'a [TfFile],
    pub tfvars_json: &'a [(String, String, Node)],
    pub sources: &'a [SourceFile],
    /// Expression evaluations left for the whole input; bounds the work a
    /// hostile configuration (nested `for`, `count` in nested modules) can cause.
    pub budget: Cell<u64>,
}

/// Evaluation steps allowed per scan: far above real configurations.
pub const EVAL_BUDGET: u64 = 2_000_000;

pub struct ModuleEnv<'a> {
    program: &'a Program<'a>,
    vars: HashMap<String, Node>,
    locals: HashMap<String, (&'a Expression, &'a TfFile)>,
    cache: RefCell<HashMap<String, Node>>,
    busy: RefCell<HashSet<String>>,
}

impl<'a> ModuleEnv<'a> {
    /// Spends one evaluation step; false once the scan's budget is gone.
    pub fn tick(&self) -> bool {
        let left = self.program.budget.get();
        self.program.budget.set(left.saturating_sub(1));
        left > 0
    }

    pub fn var(&self, name: &str) -> Option<Node> {
        self.vars.get(name).cloned()
    }

    pub fn local(&self, name: &str, caller: &Scope<'_>) -> Option<Node> {
        if let Some(v) = self.cache.borrow().get(name) {
            return Some(v.clone());
        }
        let (expr, file) = *self.locals.get(name)?;
        if !self.busy.borrow_mut().insert(name.to_string()) {
            return None; // a cycle between locals
        }
        let scope = Scope {
            env: self,
            file,
            text: self.program.text(file),
            bindings: Vec::new(),
            depth: caller.depth + 1,
        };
        let value = scope.eval(expr);
        self.busy.borrow_mut().remove(name);
        self.cache
            .borrow_mut()
            .insert(name.to_string(), value.clone());
        Some(value)
    }
}

/// A tfvars file's values with its precedence rank and name.
type VarLayer<'n> = (u8, &'n str, Vec<(String, Node)>);

struct Instance {
    suffix: String,
    bindings: Vec<(String, Node)>,
}

impl<'a> Program<'a> {
    pub fn text(&self, file: &TfFile) -> &'a str {
        self.sources
            .get(file.id.0 as usize)
            .and_then(|f| std::str::from_utf8(&f.bytes).ok())
            .unwrap_or("")
    }

    fn dirs(&self) -> BTreeSet<String> {
        self.files.iter().map(|f| f.dir.clone()).collect()
    }

    /// Directories not called as a local module by another directory.
    pub fn root_dirs(&self) -> Vec<String> {
        let dirs = self.dirs();
        let mut called = BTreeSet::new();
        for file in self.files {
            for block in file.body.blocks().filter(|b| b.ident.as_str() == "module") {
                if let Some(target) = literal_source(block).and_then(|s| join_dir(&file.dir, &s))
                    && target != file.dir
                    && dirs.contains(&target)
                {
                    called.insert(target);
                }
            }
        }
        let roots: Vec<String> = dirs
            .iter()
            .filter(|d| !called.contains(*d))
            .cloned()
            .collect();
        if roots.is_empty() {
            dirs.into_iter().collect()
        } else {
            roots
        }
    }

    pub fn evaluate_root(&self, dir: &str, out: &mut Vec<Resource>, errors: &mut Vec<FileError>) {
        let _ = errors;
        let mut vars = self.defaults(dir);
        self.apply_tfvars(dir, &mut vars);
        let mut stack = vec![dir.to_string()];
        self.evaluate(dir, vars, "", out, &mut stack);
    }

    fn module_files(&self, dir: &str) -> Vec<&'a TfFile> {
        self.files.iter().filter(|f| f.dir == dir).collect()
    }

    fn empty_env(&'a self) -> ModuleEnv<'a> {
        ModuleEnv {
            program: self,
            vars: HashMap::new(),
            locals: HashMap::new(),
            cache: RefCell::new(HashMap::new()),
            busy: RefCell::new(HashSet::new()),
        }
    }

    fn defaults(&'a self, dir: &str) -> HashMap<String, Node> {
        let env = self.empty_env();
        let mut vars = HashMap::new();
        for file in self.module_files(dir) {
            let scope = Scope {
                env: &env,
                file,
                text: self.text(file),
                bindings: Vec::new(),
                depth: 0,
            };
            for block in file
                .body
                .blocks()
                .filter(|b| b.ident.as_str() == "variable")
            {
                let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                if let Some(default) = block.body.get_attribute("default") {
                    vars.insert(name, scope.eval(&default.value));
                }
            }
        }
        vars
    }

    /// `terraform.tfvars`, then other `.tfvars`, then `*.auto.tfvars`
    /// (each group in name order), JSON variants alongside.
    fn apply_tfvars(&'a self, dir: &str, vars: &mut HashMap<String, Node>) {
        let rank = |name: &str| {
            if name.starts_with("terraform.tfvars") {
                0
            } else if name.contains(".auto.tfvars") {
                2
            } else {
                1
            }
        };
        let env = self.empty_env();
        let mut layers: Vec<VarLayer<'_>> = Vec::new();
        for file in self.tfvars.iter().filter(|f| f.dir == dir) {
            let scope = Scope {
                env: &env,
                file,
                text: self.text(file),
                bindings: Vec::new(),
                depth: 0,
            };
            let values = file
                .body
                .attributes()
                .map(|a| (a.key.as_str().to_string(), scope.eval(&a.value)))
                .collect();
            layers.push((rank(&file.name), &file.name, values));
        }
        for (fdir, name, node) in self.tfvars_json {
            if fdir == dir {
                layers.push((rank(name), name, node.as_map().unwrap_or_default().to_vec()));
            }
        }
        layers.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (_, _, values) in layers {
            vars.extend(values);
        }
    }

    fn evaluate(
        &'a self,
        dir: &str,
        vars: HashMap<String, Node>,
        prefix: &str,
        out: &mut Vec<Resource>,
        stack: &mut Vec<String>,
    ) {
        let mut env = self.empty_env();
        env.vars = vars;
        for file in self.module_files(dir) {
            for block in file.body.blocks().filter(|b| b.ident.as_str() == "locals") {
                for attr in block.body.attributes() {
                    env.locals
                        .insert(attr.key.as_str().to_string(), (&attr.value, file));
                }
            }
        }
        for file in self.module_files(dir) {
            let base = Scope {
                env: &env,
                file,
                text: self.text(file),
                bindings: Vec::new(),
                depth: 0,
            };
            for block in file.body.blocks() {
                match block.ident.as_str() {
                    "resource" | "data" => self.resource(&base, block, prefix, out),
                    "provider" => self.provider(&base, block, prefix, out),
                    "module" if stack.len() < MAX_MODULE_DEPTH => {
                        self.module_call(&base, block, prefix, out, stack)
                    }
                    _ => {}
                }
            }
        }
    }

    fn resource(&self, base: &Scope<'_>, block: &Block, prefix: &str, out: &mut Vec<Resource>) {
        let (Some(kind), Some(name)) = (block.labels.first(), block.labels.get(1)) else {
            return;
        };
        let is_data = block.ident.as_str() == "data";
        let kind = if is_data {
            format!("data.{}", kind.as_str())
        } else {
            kind.as_str().to_string()
        };
        let span = base.span_of(block.span());
        for instance in instances(base, &block.body) {
            let mut scope = base.clone();
            scope.bindings.extend(instance.bindings);
            let body = eval_body(&scope, &block.body, true, span);
            out.push(Resource {
                framework: Framework::Terraform,
                kind: kind.clone(),
                address: format!("{prefix}{kind}.{}{}", name.as_str(), instance.suffix),
                span,
                body,
                context: Vec::new(),
                skips: skips::skips_for(
                    &base.file.skips,
                    base.text,
                    span.start_line,
                    span.end_line,
                ),
            });
        }
    }

    /// Provider blocks are scanned too (`provider.aws`): credentials are
    /// sometimes written there.
    fn provider(&self, base: &Scope<'_>, block: &Block, prefix: &str, out: &mut Vec<Resource>) {
        let Some(name) = block.labels.first() else {
            return;
        };
        let span = base.span_of(block.span());
        let kind = format!("provider.{}", name.as_str());
        let alias = block
            .body
            .get_attribute("alias")
            .and_then(|a| base.eval(&a.value).scalar_text());
        out.push(Resource {
            framework: Framework::Terraform,
            address: match alias {
                Some(alias) => format!("{prefix}{kind}.{alias}"),
                None => format!("{prefix}{kind}"),
            },
            kind,
            span,
            body: eval_body(base, &block.body, true, span),
            context: Vec::new(),
            skips: skips::skips_for(&base.file.skips, base.text, span.start_line, span.end_line),
        });
    }

    fn module_call(
        &'a self,
        base: &Scope<'_>,
        block: &Block,
        prefix: &str,
        out: &mut Vec<Resource>,
        stack: &mut Vec<String>,
    ) {
        let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
            return;
        };
        let Some(target) = literal_source(block).and_then(|s| join_dir(&base.file.dir, &s)) else {
            return;
        };
        if stack.contains(&target) || !self.files.iter().any(|f| f.dir == target) {
            return;
        }
        let span = base.span_of(block.span());
        for instance in instances(base, &block.body) {
            let mut scope = base.clone();
            scope.bindings.extend(instance.bindings);
            let mut vars = self.defaults(&target);
            for attr in block.body.attributes() {
                let key = attr.key.as_str();
                if !META_ARGS.contains(&key) {
                    vars.insert(key.to_string(), scope.eval(&attr.value));
                }
            }
            let _ = span;
            let child_prefix = format!("{prefix}module.{name}{}.", instance.suffix);
            stack.push(target.clone());
            self.evaluate(&target, vars, &child_prefix, out, stack);
            stack.pop();
        }
    }
}

/// The instances `count` or `for_each` ask for (one when neither is set).
fn instances(scope: &Scope<'_>, body: &Body) -> Vec<Instance> {
    let single = |bindings| {
        vec![Instance {
            suffix: String::new(),
            bindings,
        }]
    };
    if let Some(count) = body.get_attribute("count") {
        let value = scope.eval(&count.value);
        let unknown_index = |span| {
            vec![(
                "count".to_string(),
                map1(
                    "index",
                    Node::new(Value::Unknown("count.index".into()), span),
                ),
            )]
        };
        return match value.as_f64() {
            Some(n) if n >= 0.0 && (n as usize) <= MAX_INSTANCES => (0..n as usize)
                .map(|i| Instance {
                    suffix: format!("[{i}]"),
                    bindings: vec![(
                        "count".to_string(),
                        map1("index", Node::new(Value::Number(i as f64), value.span)),
                    )],
                })
                .collect(),
            _ => single(unknown_index(value.span)),
        };
    }
    if let Some(for_each) = body.get_attribute("for_each") {
        let value = scope.eval(&for_each.value);
        let pairs: Vec<(String, Node)> = match &value.value {
            Value::Map(entries) => entries.clone(),
            Value::List(items) => items
                .iter()
                .filter_map(|i| i.scalar_text().map(|k| (k, i.clone())))
                .collect(),
            _ => {
                let unknown = Node::new(Value::Unknown("each".into()), value.span);
                return single(vec![("each".to_string(), each(unknown.clone(), unknown))]);
            }
        };
        return pairs
            .into_iter()
            .take(MAX_INSTANCES)
            .map(|(key, v)| Instance {
                suffix: format!("[\"{key}\"]"),
                bindings: vec![("each".to_string(), each(Node::string(key, v.span), v))],
            })
            .collect();
    }
    single(Vec::new())
}

fn map1(key: &str, value: Node) -> Node {
    let span = value.span;
    Node::new(Value::Map(vec![(key.to_string(), value)]), span)
}

fn each(key: Node, value: Node) -> Node {
    let span = value.span;
    Node::new(
        Value::Map(vec![("key".to_string(), key), ("value".to_string(), value)]),
        span,
    )
}

/// A block body as a map: attributes by name, nested blocks as lists
/// (repeated or not), dynamic blocks expanded.
pub fn eval_body(scope: &Scope<'_>, body: &Body, top: bool, span: Span) -> Node {
    let mut entries: Vec<(String, Node)> = Vec::new();
    let mut blocks: Vec<(String, Vec<Node>)> = Vec::new();
    let mut push_block = |name: &str, node: Node| match blocks.iter_mut().find(|(n, _)| n == name) {
        Some((_, list)) => list.push(node),
        None => blocks.push((name.to_string(), vec![node])),
    };
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let key = attr.key.as_str();
                if top && META_ARGS.contains(&key) {
                    continue;
                }
                entries.push((key.to_string(), scope.eval(&attr.value)));
            }
            Structure::Block(block) => {
                let block_span = scope.span_of(block.span());
                if block.ident.as_str() == "dynamic" {
                    let Some(label) = block.labels.first().map(|l| l.as_str().to_string()) else {
                        continue;
                    };
                    for node in dynamic(scope, block, &label, block_span) {
                        push_block(&label, node);
                    }
                } else {
                    push_block(
                        block.ident.as_str(),
                        eval_body(scope, &block.body, false, block_span),
                    );
                }
            }
        }
    }
    for (name, list) in blocks {
        let cover = list
            .iter()
            .fold(list.first().map_or(span, |n| n.span), |acc, n| {
                acc.cover(n.span)
            });
        entries.push((name, Node::new(Value::List(list), cover)));
    }
    Node::new(Value::Map(entries), span)
}

/// Expands `dynamic "x" { for_each = ...; content { ... } }`.
fn dynamic(scope: &Scope<'_>, block: &Block, label: &str, span: Span) -> Vec<Node> {
    let Some(content) = block.body.blocks().find(|b| b.ident.as_str() == "content") else {
        return Vec::new();
    };
    let iterator = block
        .body
        .get_attribute("iterator")
        .and_then(|a| match &a.value {
            Expression::Variable(v) => Some(v.as_str().to_string()),
            _ => None,
        })
        .unwrap_or_else(|| label.to_string());
    let collection = block
        .body
        .get_attribute("for_each")
        .map(|a| scope.eval(&a.value))
        .unwrap_or_else(|| Node::new(Value::Unknown("for_each".into()), span));
    let pairs: Vec<(Node, Node)> = match &collection.value {
        Value::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Node::new(Value::Number(i as f64), v.span), v.clone()))
            .collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| (Node::string(k.clone(), v.span), v.clone()))
            .collect(),
        _ => {
            let unknown = Node::new(Value::Unknown(format!("{iterator}.value")), span);
            vec![(unknown.clone(), unknown)]
        }
    };
    pairs
        .into_iter()
        .take(MAX_INSTANCES)
        .map(|(key, value)| {
            let inner = scope.with_binding(&iterator, each(key, value));
            eval_body(&inner, &content.body, false, span)
        })
        .collect()
}

fn literal_source(block: &Block) -> Option<String> {
    match &block.body.get_attribute("source")?.value {
        Expression::String(s) => Some(s.value().clone()),
        _ => None,
    }
}

/// Resolves a local module source against the caller's directory; `None`
/// for registry or remote sources and for paths leaving the input.
pub fn join_dir(dir: &str, source: &str) -> Option<String> {
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}
