//! YAML text to located [`Node`]s, one per document.
//!
//! Built on saphyr's event parser rather than its loader so that alias
//! expansion is ours to bound: every node created, including each copy an
//! alias makes, counts against a budget (the "billion laughs" defence), and
//! the tree is built with an explicit stack so deep nesting cannot overflow
//! ours. Custom tags such as CloudFormation's `!Ref x` become the long form
//! (`{Ref: x}`, `{Fn::Sub: ...}`) here, so later stages see one shape.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::model::{FileId, Node, Span, Value};
use crate::parse::ParseFailure;

/// Deepest collection nesting accepted; real manifests stay far below it.
const MAX_DEPTH: usize = 200;

enum Frame {
    Seq {
        items: Vec<Node>,
        start: u32,
        anchor: usize,
        tag: Option<String>,
    },
    Map {
        entries: Vec<(String, Node)>,
        key: Option<String>,
        start: u32,
        anchor: usize,
        tag: Option<String>,
    },
}

struct Builder {
    file: FileId,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    max_nodes: usize,
    docs: Vec<Node>,
}

/// Parses every document of a YAML stream; empty documents are dropped.
pub fn parse_documents(
    text: &str,
    file: FileId,
    max_nodes: usize,
) -> Result<Vec<Node>, ParseFailure> {
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        max_nodes,
        docs: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| ParseFailure {
            message: e.info().to_string(),
            line: Some(line_u32(e.marker().line())),
        })?;
        let start = line_u32(span.start.line());
        let mut end = line_u32(span.end.line());
        if span.end.col() == 0 && end > start {
            end -= 1;
        }
        builder.on_event(event, start, end)?;
    }
    Ok(builder.docs)
}

fn line_u32(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, start: u32, end: u32) -> Result<(), ParseFailure> {
        match event {
            Event::DocumentStart(_) => {
                // Anchors are scoped to their document.
                self.anchors.clear();
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t));
                let value = scalar_value(&text, style, tag.as_deref());
                let node = wrap_tag(Node::new(value, Span::new(self.file, start, end)), tag);
                self.count(1, start)?;
                self.finish(node, anchor)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.push_frame(start)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    start,
                    anchor,
                    tag: tag.map(|t| tag_name(&t)),
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.push_frame(start)?;
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    start,
                    anchor,
                    tag: tag.map(|t| tag_name(&t)),
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    items,
                    start,
                    anchor,
                    tag,
                }) = self.stack.pop()
                {
                    let end = items.last().map_or(start, |n| n.span.end_line.max(start));
                    let node = Node::new(Value::List(items), Span::new(self.file, start, end));
                    self.finish(wrap_tag(node, tag), anchor)?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    entries,
                    start,
                    anchor,
                    tag,
                    ..
                }) = self.stack.pop()
                {
                    let end = entries
                        .last()
                        .map_or(start, |(_, n)| n.span.end_line.max(start));
                    let entries = apply_merge_keys(entries);
                    let node = Node::new(Value::Map(entries), Span::new(self.file, start, end));
                    self.finish(wrap_tag(node, tag), anchor)?;
                }
            }
            Event::Alias(id) => {
                let Some((node, weight)) = self.anchors.get(&id) else {
                    return Err(ParseFailure {
                        message: "alias refers to an unknown anchor".into(),
                        line: Some(start),
                    });
                };
                let (node, weight) = (node.clone(), *weight);
                self.count(weight, start)?;
                self.finish(node, 0)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn push_frame(&mut self, line: u32) -> Result<(), ParseFailure> {
        self.count(1, line)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(ParseFailure {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                line: Some(line),
            });
        }
        Ok(())
    }

    fn count(&mut self, n: usize, line: u32) -> Result<(), ParseFailure> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.max_nodes {
            return Err(ParseFailure {
                message: format!(
                    "document expands to more than {} nodes (alias expansion limit)",
                    self.max_nodes
                ),
                line: Some(line),
            });
        }
        Ok(())
    }

    /// Attaches a completed node to its parent (or ends the document).
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), ParseFailure> {
        if anchor != 0 {
            let weight = node.weight();
            self.anchors.insert(anchor, (node.clone(), weight));
        }
        match self.stack.last_mut() {
            None => {
                if node.value != Value::Null {
                    self.docs.push(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(key_text(&node)),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }
}

fn tag_name(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// Applies YAML 1.1 merge keys (`<<: *base`), still common in CI-templated files.
fn apply_merge_keys(entries: Vec<(String, Node)>) -> Vec<(String, Node)> {
    if !entries.iter().any(|(k, _)| k == "<<") {
        return entries;
    }
    let mut own = Vec::new();
    let mut merged = Vec::new();
    for (k, v) in entries {
        if k == "<<" {
            for source in v.elements() {
                if let Value::Map(inner) = &source.value {
                    merged.extend(inner.iter().cloned());
                }
            }
        } else {
            own.push((k, v));
        }
    }
    for (k, v) in merged {
        if !own.iter().any(|(o, _)| *o == k) {
            own.push((k, v));
        }
    }
    own
}

fn key_text(node: &Node) -> String {
    node.scalar_text().unwrap_or_else(|| match &node.value {
        Value::Null => String::new(),
        _ => node.display_short(),
    })
}

/// YAML 1.2 core schema resolution for plain scalars, plus the 1.1 booleans
/// Kubernetes tooling still writes (`yes`/`no`/`on`/`off`).
fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    if style != ScalarStyle::Plain || tag == Some("!!str") {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "on" | "On" => return Value::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "off" | "Off" => return Value::Bool(false),
        _ => {}
    }
    if looks_numeric(text) {
        if let Ok(n) = text.parse::<f64>() {
            return Value::Number(n);
        }
        if let Some(hex) = text.strip_prefix("0x")
            && let Ok(n) = i64::from_str_radix(hex, 16)
        {
            return Value::Number(n as f64);
        }
        if let Some(oct) = text.strip_prefix("0o")
            && let Ok(n) = i64::from_str_radix(oct, 8)
        {
            return Value::Number(n as f64);
        }
    }
    Value::String(text.to_string())
}

fn looks_numeric(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('-' | '+' | '.') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Turns a custom tag into CloudFormation's long form; other tags are dropped.
fn wrap_tag(node: Node, tag: Option<String>) -> Node {
    let Some(tag) = tag else { return node };
    let Some(name) = tag.strip_prefix('!') else {
        return node;
    };
    if name.starts_with('!') || name.is_empty() || name.contains(':') {
        return node;
    }
    let key = match name {
        "Ref" | "Condition" => name.to_string(),
        other => format!("Fn::{other}"),
    };
    let span = node.span;
    Node::new(Value::Map(vec![(key, node)]), span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Node> {
        parse_documents(text, FileId(0), 10_000).unwrap()
    }

    #[test]
    fn lines_are_tracked_per_value() {
        let docs = parse("a: 1\nb:\n  c: [x, y]\n  d: |\n    text\n    more\n");
        let doc = &docs[0];
        assert_eq!(doc.get("a").unwrap().span.start_line, 1);
        let b = doc.get("b").unwrap();
        assert_eq!((b.span.start_line, b.span.end_line), (3, 6));
        assert_eq!(doc.get_path("b.c").unwrap().span.start_line, 3);
    }

    #[test]
    fn scalars_resolve_core_schema() {
        let docs = parse("a: true\nb: '1'\nc: 1.5\nd: null\ne: 0755x\n");
        let d = &docs[0];
        assert_eq!(d.get("a").unwrap().value, Value::Bool(true));
        assert_eq!(d.get("b").unwrap().value, Value::String("1".into()));
        assert_eq!(d.get("c").unwrap().value, Value::Number(1.5));
        assert_eq!(d.get("d").unwrap().value, Value::Null);
        assert_eq!(d.get("e").unwrap().value, Value::String("0755x".into()));
    }

    #[test]
    fn multiple_documents_and_empty_ones() {
        let docs = parse("---\na: 1\n---\n---\nb: 2\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("b").unwrap().span.start_line, 5);
    }

    #[test]
    fn cloudformation_tags_become_long_form() {
        let docs = parse("a: !Ref Foo\nb: !GetAtt X.Arn\nc: !Sub 'x-${Y}'\n");
        let d = &docs[0];
        assert_eq!(d.get_path("a.Ref").unwrap().as_str(), Some("Foo"));
        assert_eq!(
            d.get("b").unwrap().get("Fn::GetAtt").unwrap().as_str(),
            Some("X.Arn")
        );
        assert!(d.get("c").unwrap().get("Fn::Sub").is_some());
    }

    #[test]
    fn aliases_and_merge_keys_expand() {
        let docs = parse("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\ncopy: *b\n");
        let d = &docs[0];
        assert_eq!(d.get_path("other.x").unwrap().value, Value::Number(1.0));
        assert_eq!(d.get_path("copy.x").unwrap().value, Value::Number(1.0));
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let err = parse_documents(&text, FileId(0), 100_000).unwrap_err();
        assert!(err.message.contains("alias expansion"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert!(parse_documents(&text, FileId(0), 100_000).is_err());
    }

    #[test]
    fn syntax_errors_carry_a_line() {
        let err = parse_documents("a: 1\nb: [\n", FileId(0), 100).unwrap_err();
        assert!(err.line.is_some());
    }
}
