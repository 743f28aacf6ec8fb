//! CloudFormation templates (YAML or JSON, SAM included).
//!
//! Each entry under `Resources` is a resource whose body is its resolved
//! `Properties`. Intrinsics are evaluated where the template alone decides
//! them: `Ref` to parameters with defaults, `Fn::Sub`, `Fn::Join`,
//! `Fn::If` on decidable conditions, `Fn::Select`, `Fn::FindInMap`;
//! anything else (`Fn::GetAtt`, pseudo parameters, imports) becomes
//! `Unknown`, which rules never fail on. Resources whose `Condition` is
//! statically false are left out.

use crate::model::{FileId, Framework, Node, Resource, Skip, Value};
use crate::parse::skips;

const MAX_DEPTH: u32 = 64;

pub fn is_template(doc: &Node) -> bool {
    if doc.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    doc.get("Resources")
        .and_then(Node::as_map)
        .is_some_and(|resources| {
            resources.iter().any(|(_, r)| {
                r.get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
            })
        })
}

struct Template<'a> {
    doc: &'a Node,
}

pub fn resources(_file: FileId, doc: &Node, text: &str) -> Vec<Resource> {
    let template = Template { doc };
    let comment_skips = skips::comment_skips(text);
    let mut out = Vec::new();
    let Some(entries) = doc.get("Resources").and_then(Node::as_map) else {
        return out;
    };
    for (logical_id, res) in entries {
        let Some(kind) = res.get("Type").and_then(Node::as_str) else {
            continue;
        };
        if let Some(cond) = res.get("Condition").and_then(Node::as_str)
            && template.condition(cond, 0) == Some(false)
        {
            continue;
        }
        let body = match res.get("Properties") {
            Some(props) => template.resolve(props, 0),
            None => Node::new(Value::Map(Vec::new()), res.span),
        };
        let mut skip_list = metadata_skips(res.get("Metadata"));
        skip_list.extend(skips::skips_for(
            &comment_skips,
            text,
            res.span.start_line,
            res.span.end_line,
        ));
        out.push(Resource {
            framework: Framework::Cloudformation,
            kind: kind.to_string(),
            address: format!("Resources.{logical_id}"),
            span: res.span,
            body,
            context: vec![("resource".to_string(), res.clone())],
            skips: skip_list,
        });
    }
    out
}

/// `Metadata: { bulwark: { skip: [{id, comment}] } }`.
pub fn metadata_skips(metadata: Option<&Node>) -> Vec<Skip> {
    metadata
        .and_then(|m| m.get("bulwark"))
        .and_then(|b| b.get("skip"))
        .map(Node::elements)
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            Some(Skip {
                rule_id: entry.get("id")?.scalar_text()?,
                reason: entry
                    .get("comment")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
            })
        })
        .collect()
}

impl Template<'_> {
    fn parameter_default(&self, name: &str) -> Option<&Node> {
        self.doc.get("Parameters")?.get(name)?.get("Default")
    }

    fn is_resource(&self, name: &str) -> bool {
        self.doc
            .get("Resources")
            .and_then(|r| r.get(name))
            .is_some()
    }

    /// Decides a named condition when the template alone fixes it.
    fn condition(&self, name: &str, depth: u32) -> Option<bool> {
        let cond = self.doc.get("Conditions")?.get(name)?;
        self.eval_condition(cond, depth + 1)
    }

    fn eval_condition(&self, cond: &Node, depth: u32) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (key, arg) = single_key(cond)?;
        match key {
            "Condition" => self.condition(arg.as_str()?, depth),
            "Fn::Equals" => {
                let items = arg.as_list()?;
                let a = self.resolve(items.first()?, depth + 1);
                let b = self.resolve(items.get(1)?, depth + 1);
                if a.is_unknown() || b.is_unknown() {
                    return None;
                }
                Some(match (a.scalar_text(), b.scalar_text()) {
                    (Some(x), Some(y)) => x == y,
                    _ => a.value == b.value,
                })
            }
            "Fn::Not" => self
                .eval_condition(arg.elements().first()?, depth + 1)
                .map(|b| !b),
            "Fn::And" => {
                let results: Vec<_> = arg
                    .elements()
                    .iter()
                    .map(|c| self.eval_condition(c, depth + 1))
                    .collect();
                if results.contains(&Some(false)) {
                    Some(false)
                } else if results.iter().all(Option::is_some) {
                    Some(true)
                } else {
                    None
                }
            }
            "Fn::Or" => {
                let results: Vec<_> = arg
                    .elements()
                    .iter()
                    .map(|c| self.eval_condition(c, depth + 1))
                    .collect();
                if results.contains(&Some(true)) {
                    Some(true)
                } else if results.iter().all(Option::is_some) {
                    Some(false)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Resolves intrinsics throughout a subtree.
    fn resolve(&self, node: &Node, depth: u32) -> Node {
        if depth > MAX_DEPTH {
            return unknown(node, "nesting too deep");
        }
        match &node.value {
            Value::List(items) => {
                let items = items
                    .iter()
                    .map(|n| self.resolve(n, depth + 1))
                    .filter(|n| !is_no_value(n))
                    .collect();
                Node::new(Value::List(items), node.span)
            }
            Value::Map(entries) => {
                if let Some((key, arg)) = single_key(node)
                    && (key == "Ref" || key.starts_with("Fn::"))
                {
                    return self.intrinsic(node, key, arg, depth);
                }
                let entries = entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.resolve(v, depth + 1)))
                    .filter(|(_, v)| !is_no_value(v))
                    .collect();
                Node::new(Value::Map(entries), node.span)
            }
            _ => node.clone(),
        }
    }

    fn intrinsic(&self, node: &Node, key: &str, arg: &Node, depth: u32) -> Node {
        let span = node.span;
        let resolved = match key {
            "Ref" => {
                let name = arg.scalar_text().unwrap_or_default();
                if name == "AWS::NoValue" {
                    return Node::new(Value::Unknown(NO_VALUE.into()), span);
                }
                if let Some(default) = self.parameter_default(&name) {
                    let mut value = self.resolve(default, depth + 1);
                    value.span = span;
                    return value;
                }
                let kind = if self.is_resource(&name) {
                    "resource"
                } else {
                    "parameter"
                };
                return Node::new(Value::Unknown(format!("Ref:{name} ({kind})")), span);
            }
            "Fn::Sub" => self.sub(arg, depth),
            "Fn::Join" => self.join(arg, depth),
            "Fn::If" => self.if_(arg, depth),
            "Fn::Select" => self.select(arg, depth),
            "Fn::FindInMap" => self.find_in_map(arg, depth),
            "Fn::Base64" => Some(self.resolve(arg, depth + 1)),
            _ => None,
        };
        match resolved {
            Some(mut value) => {
                value.span = span;
                value
            }
            None => unknown(node, key),
        }
    }

    fn sub(&self, arg: &Node, depth: u32) -> Option<Node> {
        let (template, vars) = match &arg.value {
            Value::String(s) => (s.clone(), None),
            Value::List(items) => (items.first()?.as_str()?.to_string(), items.get(1)),
            _ => return None,
        };
        let mut out = String::new();
        let mut rest = template.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(rest.get(..start)?);
            let after = rest.get(start + 2..)?;
            let end = after.find('}')?;
            let name = after.get(..end)?;
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else {
                let value = match vars.and_then(|v| v.get(name)) {
                    Some(v) => self.resolve(v, depth + 1),
                    None => self
                        .parameter_default(name)
                        .map(|d| self.resolve(d, depth + 1))?,
                };
                out.push_str(&value.scalar_text()?);
            }
            rest = after.get(end + 1..)?;
        }
        out.push_str(rest);
        Some(Node::string(out, arg.span))
    }

    fn join(&self, arg: &Node, depth: u32) -> Option<Node> {
        let items = arg.as_list()?;
        let delimiter = items.first()?.as_str()?;
        let parts = self.resolve(items.get(1)?, depth + 1);
        let texts: Option<Vec<String>> = parts.elements().iter().map(Node::scalar_text).collect();
        Some(Node::string(texts?.join(delimiter), arg.span))
    }

    fn if_(&self, arg: &Node, depth: u32) -> Option<Node> {
        let items = arg.as_list()?;
        let chosen = if self.condition(items.first()?.as_str()?, depth)? {
            items.get(1)?
        } else {
            items.get(2)?
        };
        Some(self.resolve(chosen, depth + 1))
    }

    fn select(&self, arg: &Node, depth: u32) -> Option<Node> {
        let items = arg.as_list()?;
        let index = self.resolve(items.first()?, depth + 1).as_f64()?;
        let list = self.resolve(items.get(1)?, depth + 1);
        list.as_list()?.get(index as usize).cloned()
    }

    fn find_in_map(&self, arg: &Node, depth: u32) -> Option<Node> {
        let items = arg.as_list()?;
        let keys: Option<Vec<String>> = items
            .iter()
            .map(|k| self.resolve(k, depth + 1).scalar_text())
            .collect();
        let keys = keys?;
        let value = self
            .doc
            .get("Mappings")?
            .get(keys.first()?)?
            .get(keys.get(1)?)?
            .get(keys.get(2)?)?;
        Some(self.resolve(value, depth + 1))
    }
}

const NO_VALUE: &str = "AWS::NoValue";

fn is_no_value(node: &Node) -> bool {
    matches!(&node.value, Value::Unknown(s) if s == NO_VALUE)
}

fn unknown(node: &Node, what: &str) -> Node {
    let detail = single_key(node)
        .and_then(|(_, arg)| {
            arg.scalar_text()
                .or_else(|| arg.elements().first().and_then(Node::scalar_text))
        })
        .unwrap_or_default();
    Node::new(
        Value::Unknown(format!("{what} {detail}").trim().to_string()),
        node.span,
    )
}

fn single_key(node: &Node) -> Option<(&str, &Node)> {
    match node.as_map()? {
        [(k, v)] => Some((k.as_str(), v)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Acl:
    Type: String
    Default: PublicRead
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Mappings:
  Sizes:
    prod: {size: 100}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      bulwark:
        skip:
          - id: BLWK_CFN_001
            comment: static site
    Properties:
      AccessControl: !Ref Acl
      BucketName: !Sub "logs-${Env}-${AWS::AccountId}"
      Tag: !Join ["-", [a, !Ref Env]]
      Versioning: !If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]
      Size: !FindInMap [Sizes, !Ref Env, size]
      Other: !GetAtt Role.Arn
  DevOnly:
    Type: AWS::S3::Bucket
    Condition: IsDev
"#;

    #[test]
    fn intrinsics_resolve() {
        let docs = yaml::parse_documents(TEMPLATE, FileId(0), 10_000).unwrap();
        assert!(is_template(&docs[0]));
        let rs = resources(FileId(0), &docs[0], TEMPLATE);
        assert_eq!(rs.len(), 1, "DevOnly's condition is false");
        let b = &rs[0];
        assert_eq!(b.address, "Resources.Bucket");
        assert_eq!(
            b.body.get("AccessControl").unwrap().as_str(),
            Some("PublicRead")
        );
        assert_eq!(b.body.get("AccessControl").unwrap().span.start_line, 24);
        assert!(b.body.get("BucketName").unwrap().is_unknown());
        assert_eq!(b.body.get("Tag").unwrap().as_str(), Some("a-prod"));
        assert_eq!(
            b.body.get_path("Versioning.Status").unwrap().as_str(),
            Some("Enabled")
        );
        assert_eq!(b.body.get("Size").unwrap().as_f64(), Some(100.0));
        assert!(b.body.get("Other").unwrap().is_unknown());
        assert_eq!(b.skips[0].rule_id, "BLWK_CFN_001");
        assert_eq!(b.skips[0].reason, "static site");
    }
}
