//! Terraform plan JSON (`terraform show -json plan.out`).
//!
//! Planned values are already evaluated by Terraform, so each managed
//! resource is taken as is; values known only after apply are `Unknown`
//! rather than `null`, so rules do not fail on them.

use crate::model::{FileId, Framework, Node, Resource, Value};

pub fn is_plan(doc: &Node) -> bool {
    doc.get("format_version").is_some()
        && (doc.get("planned_values").is_some() || doc.get("resource_changes").is_some())
}

pub fn resources(_file: FileId, doc: &Node) -> Vec<Resource> {
    let mut out = Vec::new();
    if let Some(root) = doc.get_path("planned_values.root_module") {
        collect(doc, root, &mut out, 0);
    }
    out
}

fn collect(doc: &Node, module: &Node, out: &mut Vec<Resource>, depth: u32) {
    if depth > 32 {
        return;
    }
    for res in module
        .get("resources")
        .map(Node::elements)
        .unwrap_or_default()
    {
        if res.get("mode").and_then(Node::as_str) != Some("managed") {
            continue;
        }
        let (Some(kind), Some(address)) = (
            res.get("type").and_then(Node::as_str),
            res.get("address").and_then(Node::as_str),
        ) else {
            continue;
        };
        let mut body = res
            .get("values")
            .cloned()
            .unwrap_or_else(|| Node::new(Value::Map(Vec::new()), res.span));
        mark_unknown(&mut body, unknown_after_apply(doc, address));
        out.push(Resource {
            framework: Framework::TerraformPlan,
            kind: kind.to_string(),
            address: address.to_string(),
            span: res.span,
            body,
            context: Vec::new(),
            skips: Vec::new(),
        });
    }
    for child in module
        .get("child_modules")
        .map(Node::elements)
        .unwrap_or_default()
    {
        collect(doc, child, out, depth + 1);
    }
}

/// The `after_unknown` map of the resource's change, if any.
fn unknown_after_apply<'a>(doc: &'a Node, address: &str) -> Option<&'a Node> {
    doc.get("resource_changes")?
        .elements()
        .iter()
        .find(|c| c.get("address").and_then(Node::as_str) == Some(address))?
        .get_path("change.after_unknown")
}

fn mark_unknown(node: &mut Node, unknown: Option<&Node>) {
    let Some(unknown) = unknown else { return };
    if let Value::Map(entries) = &mut node.value {
        for (key, value) in entries.iter_mut() {
            match unknown.get(key) {
                Some(flag) if flag.value == Value::Bool(true) && value.value == Value::Null => {
                    value.value = Value::Unknown(format!("known after apply: {key}"));
                }
                Some(nested) => mark_unknown(value, Some(nested)),
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::json;

    #[test]
    fn planned_resources_with_unknowns() {
        let text = r#"{"format_version": "1.2",
 "planned_values": {"root_module": {
   "resources": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
                  "values": {"acl": "public-read", "arn": null}}],
   "child_modules": [{"resources": [{"address": "module.m.aws_ebs_volume.v", "mode": "managed",
                      "type": "aws_ebs_volume", "values": {"encrypted": false}}]}]}},
 "resource_changes": [{"address": "aws_s3_bucket.b", "change": {"after_unknown": {"arn": true}}}]}"#;
        let doc = json::parse(text, FileId(0), 10_000).unwrap();
        assert!(is_plan(&doc));
        let rs = resources(FileId(0), &doc);
        assert_eq!(rs.len(), 2);
        assert!(rs[0].body.get("arn").unwrap().is_unknown());
        assert_eq!(rs[1].address, "module.m.aws_ebs_volume.v");
    }
}
