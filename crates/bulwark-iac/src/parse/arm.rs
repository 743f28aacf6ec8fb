//! Azure Resource Manager templates.
//!
//! Every entry of `resources` (nested child resources included, with their
//! full type) is a resource whose body is the resource object. Template
//! expressions that are a plain `[parameters('x')]` or `[variables('x')]`
//! resolve to the default or variable; any other expression is `Unknown`.

use crate::model::{FileId, Framework, Node, Resource, Value};
use crate::parse::cloudformation::metadata_skips;

const MAX_DEPTH: u32 = 64;

pub fn is_template(doc: &Node) -> bool {
    let schema = doc.get("$schema").and_then(Node::as_str).unwrap_or("");
    schema.contains("deploymentTemplate")
        || (doc.get("contentVersion").is_some()
            && doc.get("resources").and_then(Node::as_list).is_some())
}

pub fn resources(_file: FileId, doc: &Node) -> Vec<Resource> {
    let mut out = Vec::new();
    let list = doc.get("resources").map(Node::elements).unwrap_or_default();
    collect(doc, list, None, &mut out, 0);
    out
}

fn collect(
    doc: &Node,
    list: &[Node],
    parent: Option<(&str, &str)>,
    out: &mut Vec<Resource>,
    depth: u32,
) {
    if depth > 8 {
        return;
    }
    for res in list {
        let Some(raw_type) = res.get("type").and_then(Node::as_str) else {
            continue;
        };
        let name = res
            .get("name")
            .map(|n| resolve(doc, n, 0))
            .and_then(|n| n.scalar_text())
            .unwrap_or_else(|| {
                res.get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default()
            });
        let (kind, name) = match parent {
            Some((ptype, pname))
                if !raw_type.contains('/') || raw_type.matches('/').count() == 0 =>
            {
                (format!("{ptype}/{raw_type}"), format!("{pname}/{name}"))
            }
            _ => (raw_type.to_string(), name),
        };
        let body = resolve(doc, res, 0);
        out.push(Resource {
            framework: Framework::Arm,
            kind: kind.clone(),
            address: format!("{kind}/{name}"),
            span: res.span,
            body,
            context: Vec::new(),
            skips: metadata_skips(res.get("metadata")),
        });
        if let Some(children) = res.get("resources").and_then(Node::as_list) {
            collect(doc, children, Some((&kind, &name)), out, depth + 1);
        }
    }
}

fn resolve(doc: &Node, node: &Node, depth: u32) -> Node {
    if depth > MAX_DEPTH {
        return Node::new(Value::Unknown("nesting too deep".into()), node.span);
    }
    match &node.value {
        Value::String(s) => resolve_string(doc, s, node, depth),
        Value::List(items) => Node::new(
            Value::List(items.iter().map(|n| resolve(doc, n, depth + 1)).collect()),
            node.span,
        ),
        Value::Map(entries) => Node::new(
            Value::Map(
                entries
                    .iter()
                    .filter(|(k, _)| k != "resources")
                    .map(|(k, v)| (k.clone(), resolve(doc, v, depth + 1)))
                    .collect(),
            ),
            node.span,
        ),
        _ => node.clone(),
    }
}

fn resolve_string(doc: &Node, s: &str, node: &Node, depth: u32) -> Node {
    if s.starts_with("[[") {
        return Node::string(s.get(1..).unwrap_or(""), node.span);
    }
    let Some(expr) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return node.clone();
    };
    let expr = expr.trim();
    for (func, section, field) in [
        ("parameters", "parameters", Some("defaultValue")),
        ("variables", "variables", None),
    ] {
        let Some(inner) = expr
            .strip_prefix(func)
            .and_then(|r| r.trim().strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
        else {
            continue;
        };
        let name = inner.trim().trim_matches('\'');
        if name.contains(['\'', '(', ')']) {
            break;
        }
        let target = doc.get(section).and_then(|s| s.get(name));
        let target = match field {
            Some(f) => target.and_then(|t| t.get(f)),
            None => target,
        };
        if let Some(value) = target {
            let mut value = resolve(doc, value, depth + 1);
            value.span = node.span;
            return value;
        }
        break;
    }
    Node::new(Value::Unknown(s.to_string()), node.span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::json;

    #[test]
    fn parameters_variables_and_children() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"https": {"type": "bool", "defaultValue": false}},
  "variables": {"name": "store1"},
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "name": "[variables('name')]",
      "properties": {"supportsHttpsTrafficOnly": "[parameters('https')]", "x": "[concat('a', 'b')]"},
      "resources": [{"type": "blobServices", "name": "default", "properties": {}}]
    }
  ]
}"#;
        let doc = json::parse(text, FileId(0), 10_000).unwrap();
        assert!(is_template(&doc));
        let rs = resources(FileId(0), &doc);
        assert_eq!(rs[0].address, "Microsoft.Storage/storageAccounts/store1");
        let https = rs[0]
            .body
            .get_path("properties.supportsHttpsTrafficOnly")
            .unwrap();
        assert_eq!(https.value, Value::Bool(false));
        assert_eq!(https.span.start_line, 10);
        assert!(rs[0].body.get_path("properties.x").unwrap().is_unknown());
        assert_eq!(rs[1].kind, "Microsoft.Storage/storageAccounts/blobServices");
    }
}
