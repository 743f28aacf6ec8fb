//! The declarative condition language rules are written in.
//!
//! ```text
//! cond   := { all: [cond, ...] } | { any: [cond, ...] } | { not: cond }
//!         | { attr: PATH, OP: ARG [, if_missing: pass|fail] }
//!         | { every: PATH, assert: cond } | { some: PATH, assert: cond }
//!         | { none: PATH, assert: cond }
//! OP     := exists | equals | not_equals | in | not_in | matches | not_matches
//!         | gt | gte | lt | lte | contains | not_contains
//! PATH   := "." | SEG ("." SEG)*     SEG := key | "quoted.key" | index | * | @context
//! ```
//!
//! `.` is the value itself (for conditions on list elements), `*` every
//! element or map value, `@pod` a named context of the resource.
//! ```text
//! ```
//!
//! Evaluation is three-valued: a value the parser could not decide
//! (`Unknown`) makes a comparison unknown, and an unknown assertion never
//! fails, so unresolved variables cannot create false positives. Paths fan
//! out over lists, so `ingress.from_port` reads every ingress block. `null`
//! counts as missing. With several values, an operator must hold for all.

use regex::Regex;

use crate::model::{Node, Resource, Span, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

/// A condition's truth plus the value that decided it, for locations and messages.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub tri: Tri,
    pub span: Option<Span>,
    pub detail: Option<String>,
}

impl Outcome {
    fn new(tri: Tri, span: Option<Span>, detail: Option<String>) -> Outcome {
        Outcome { tri, span, detail }
    }
}

#[derive(Debug, Clone)]
pub enum Op {
    Exists(bool),
    Equals(Node),
    NotEquals(Node),
    In(Vec<Node>),
    NotIn(Vec<Node>),
    Matches(Regex),
    NotMatches(Regex),
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
    Contains(Node),
    NotContains(Node),
}

impl Op {
    /// Negative operators hold when the attribute is absent.
    fn holds_when_missing(&self) -> bool {
        matches!(
            self,
            Op::Exists(false)
                | Op::NotEquals(_)
                | Op::NotIn(_)
                | Op::NotMatches(_)
                | Op::NotContains(_)
        )
    }
}

#[derive(Debug, Clone)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Attr {
        path: Path,
        op: Op,
        if_missing: Option<bool>,
    },
    Every {
        path: Path,
        cond: Box<Condition>,
    },
    Some {
        path: Path,
        cond: Box<Condition>,
    },
    None {
        path: Path,
        cond: Box<Condition>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Key(String),
    Index(usize),
    Wildcard,
    Context(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub text: String,
    pub segments: Vec<Segment>,
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut segments = Vec::new();
        if text == "." {
            // The value itself, for conditions on list elements.
            return Ok(Path {
                text: text.to_string(),
                segments,
            });
        }
        let mut rest = text;
        while !rest.is_empty() {
            let (seg, tail) = if let Some(quoted) = rest.strip_prefix('"') {
                let end = quoted
                    .find('"')
                    .ok_or_else(|| format!("unclosed quote in path `{text}`"))?;
                (
                    quoted.get(..end).unwrap_or(""),
                    quoted.get(end + 1..).unwrap_or(""),
                )
            } else {
                match rest.find('.') {
                    Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("")),
                    None => (rest, ""),
                }
            };
            if seg.is_empty() {
                return Err(format!("empty segment in path `{text}`"));
            }
            let segment = if seg == "*" {
                Segment::Wildcard
            } else if let Some(name) = seg.strip_prefix('@').filter(|_| segments.is_empty()) {
                Segment::Context(name.to_string())
            } else if let Ok(i) = seg.parse::<usize>() {
                Segment::Index(i)
            } else {
                Segment::Key(seg.to_string())
            };
            segments.push(segment);
            rest = tail.strip_prefix('.').unwrap_or(tail);
        }
        if segments.is_empty() {
            return Err(format!("empty path `{text}`"));
        }
        Ok(Path {
            text: text.to_string(),
            segments,
        })
    }

    /// Every value the path reaches from `root` (nulls dropped).
    pub fn resolve<'a>(&self, root: &'a Node, resource: &'a Resource) -> Vec<&'a Node> {
        let mut current: Vec<&'a Node> = vec![root];
        for (i, seg) in self.segments.iter().enumerate() {
            let mut next = Vec::new();
            for node in current {
                step(node, seg, i == 0, resource, &mut next);
            }
            current = next;
            if current.is_empty() {
                break;
            }
        }
        current.retain(|n| !matches!(n.value, Value::Null));
        current
    }
}

fn step<'a>(
    node: &'a Node,
    seg: &Segment,
    first: bool,
    resource: &'a Resource,
    out: &mut Vec<&'a Node>,
) {
    match (seg, &node.value) {
        (Segment::Context(name), _) if first => out.extend(resource.context(name)),
        // An unknown value stays unknown however deep the path goes.
        (_, Value::Unknown(_)) => out.push(node),
        (Segment::Wildcard, Value::List(items)) => out.extend(items.iter()),
        (Segment::Wildcard, Value::Map(entries)) => out.extend(entries.iter().map(|(_, v)| v)),
        (Segment::Wildcard, _) => out.push(node),
        (Segment::Index(i), Value::List(items)) => out.extend(items.get(*i)),
        (Segment::Index(i), Value::Map(_)) => out.extend(node.get(&i.to_string())),
        (Segment::Key(_), Value::List(items)) => {
            for item in items {
                step(item, seg, false, resource, out);
            }
        }
        (Segment::Key(key), Value::Map(_)) => out.extend(node.get(key)),
        _ => {}
    }
}

fn combine_all(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    let mut unknown = None;
    let mut last_true = None;
    for o in outcomes {
        match o.tri {
            Tri::False => return o,
            Tri::Unknown => unknown = unknown.or(Some(o)),
            Tri::True => last_true = last_true.or(Some(o)),
        }
    }
    unknown
        .or(last_true)
        .unwrap_or(Outcome::new(Tri::True, None, None))
}

fn combine_any(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    let mut unknown = None;
    let mut first_false = None;
    for o in outcomes {
        match o.tri {
            Tri::True => return o,
            Tri::Unknown => unknown = unknown.or(Some(o)),
            Tri::False => first_false = first_false.or(Some(o)),
        }
    }
    unknown
        .or(first_false)
        .unwrap_or(Outcome::new(Tri::False, None, None))
}

impl Condition {
    pub fn eval(&self, node: &Node, resource: &Resource) -> Outcome {
        match self {
            Condition::All(items) => combine_all(items.iter().map(|c| c.eval(node, resource))),
            Condition::Any(items) => combine_any(items.iter().map(|c| c.eval(node, resource))),
            Condition::Not(inner) => {
                let o = inner.eval(node, resource);
                let tri = match o.tri {
                    Tri::True => Tri::False,
                    Tri::False => Tri::True,
                    Tri::Unknown => Tri::Unknown,
                };
                // A satisfied attribute test reads well negated ("`acl` is
                // \"public-read\""); a satisfied compound one does not.
                let detail = if matches!(**inner, Condition::Attr { .. }) {
                    o.detail
                } else {
                    None
                };
                Outcome::new(tri, o.span, detail)
            }
            Condition::Attr {
                path,
                op,
                if_missing,
            } => eval_attr(path, op, *if_missing, node, resource),
            Condition::Every { path, cond } => {
                let items = elements(path, node, resource);
                combine_all(
                    items
                        .into_iter()
                        .map(|item| element_outcome(cond, item, resource)),
                )
            }
            Condition::Some { path, cond } => {
                let items = elements(path, node, resource);
                let found = combine_any(
                    items
                        .into_iter()
                        .map(|item| element_outcome(cond, item, resource)),
                );
                match found.tri {
                    // No element matched: the whole resource is the evidence.
                    Tri::False => Outcome::new(Tri::False, None, None),
                    _ => found,
                }
            }
            Condition::None { path, cond } => {
                let items = elements(path, node, resource);
                let found = combine_any(
                    items
                        .into_iter()
                        .map(|item| element_outcome(cond, item, resource)),
                );
                let tri = match found.tri {
                    Tri::True => Tri::False,
                    Tri::False => Tri::True,
                    Tri::Unknown => Tri::Unknown,
                };
                // The offending element locates the finding; the detail of
                // its (satisfied) inner test would only confuse.
                Outcome::new(tri, found.span, None)
            }
        }
    }
}

/// Evaluates `cond` on one list element; the element locates the outcome.
fn element_outcome(cond: &Condition, item: &Node, resource: &Resource) -> Outcome {
    if item.is_unknown() {
        return Outcome::new(Tri::Unknown, Some(item.span), None);
    }
    let o = cond.eval(item, resource);
    let detail = if o.tri == Tri::False { o.detail } else { None };
    Outcome::new(o.tri, Some(item.span), detail)
}

fn elements<'a>(path: &Path, node: &'a Node, resource: &'a Resource) -> Vec<&'a Node> {
    path.resolve(node, resource)
        .into_iter()
        .flat_map(|n| n.elements().iter())
        .filter(|n| !matches!(n.value, Value::Null))
        .collect()
}

fn eval_attr(
    path: &Path,
    op: &Op,
    if_missing: Option<bool>,
    node: &Node,
    resource: &Resource,
) -> Outcome {
    let values = path.resolve(node, resource);
    if values.is_empty() {
        let holds = if_missing.unwrap_or_else(|| op.holds_when_missing());
        let tri = if holds { Tri::True } else { Tri::False };
        return Outcome::new(tri, None, Some(format!("`{}` is not set", path.text)));
    }
    combine_all(values.into_iter().map(|value| {
        let tri = apply(op, value);
        let detail = match tri {
            Tri::Unknown => None,
            _ => Some(format!("`{}` is {}", path.text, value.display_short())),
        };
        Outcome::new(tri, Some(value.span), detail)
    }))
}

fn tri(b: bool) -> Tri {
    if b { Tri::True } else { Tri::False }
}

/// Applies an operator to one present value.
fn apply(op: &Op, value: &Node) -> Tri {
    if let Op::Exists(want) = op {
        return tri(*want);
    }
    if value.is_unknown() {
        return Tri::Unknown;
    }
    match op {
        Op::Exists(_) => Tri::True,
        Op::Equals(expected) => tri(same(value, expected)),
        Op::NotEquals(expected) => tri(!same(value, expected)),
        Op::In(options) => tri(options.iter().any(|o| same(value, o))),
        Op::NotIn(options) => tri(!options.iter().any(|o| same(value, o))),
        Op::Matches(re) => match value.scalar_text() {
            Some(text) => tri(re.is_match(&text)),
            None => Tri::False,
        },
        Op::NotMatches(re) => match value.scalar_text() {
            Some(text) => tri(!re.is_match(&text)),
            None => Tri::True,
        },
        Op::Gt(n) => compare(value, |v| v > *n),
        Op::Gte(n) => compare(value, |v| v >= *n),
        Op::Lt(n) => compare(value, |v| v < *n),
        Op::Lte(n) => compare(value, |v| v <= *n),
        Op::Contains(needle) => contains(value, needle),
        Op::NotContains(needle) => match contains(value, needle) {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        },
    }
}

fn compare(value: &Node, test: impl Fn(f64) -> bool) -> Tri {
    match value.as_f64() {
        Some(v) => tri(test(v)),
        None => Tri::False,
    }
}

/// A list contains an element, a map a key, a string a substring.
fn contains(value: &Node, needle: &Node) -> Tri {
    match &value.value {
        Value::List(items) => {
            if items.iter().any(|i| same(i, needle)) {
                Tri::True
            } else if items.iter().any(Node::is_unknown) {
                Tri::Unknown
            } else {
                Tri::False
            }
        }
        Value::Map(_) => tri(needle
            .scalar_text()
            .is_some_and(|k| value.get(&k).is_some())),
        Value::String(s) => tri(needle.scalar_text().is_some_and(|n| s.contains(&n))),
        _ => Tri::False,
    }
}

/// Loose equality: booleans and numbers compare by value even when one side
/// is a string (`"true"`, `"443"`), strings compare exactly.
pub fn same(value: &Node, expected: &Node) -> bool {
    match &expected.value {
        Value::Bool(b) => value.as_bool() == Some(*b),
        Value::Number(n) => value.as_f64() == Some(*n),
        Value::String(s) => value.scalar_text().as_deref() == Some(s.as_str()),
        Value::Null => matches!(value.value, Value::Null),
        _ => value.value == expected.value,
    }
}

#[cfg(test)]
mod tests;
