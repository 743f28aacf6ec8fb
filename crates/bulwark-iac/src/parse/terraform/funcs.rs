//! The Terraform functions configurations commonly use to build values.
//! A function we do not model, or any unknown argument, yields `None` and
//! the caller turns the call into `Unknown`.

use crate::model::{Node, Span, Value};
use crate::parse::json;

use super::eval::equal;

pub fn call(name: &str, args: &[Node], span: Span) -> Option<Node> {
    // `try` and `coalesce` tolerate unknown arguments; the rest do not.
    match name {
        "try" => {
            return args
                .iter()
                .find(|a| !a.is_unknown())
                .cloned()
                .map(|n| at(n, span));
        }
        "coalesce" => {
            for a in args {
                if a.is_unknown() {
                    return None;
                }
                if !matches!(&a.value, Value::Null) && a.as_str() != Some("") {
                    return Some(at(a.clone(), span));
                }
            }
            return None;
        }
        _ => {}
    }
    if args.iter().any(Node::is_unknown) {
        return None;
    }
    let s = |i: usize| args.get(i).and_then(Node::scalar_text);
    let value = match name {
        "lower" => Value::String(s(0)?.to_lowercase()),
        "upper" => Value::String(s(0)?.to_uppercase()),
        "trimspace" => Value::String(s(0)?.trim().to_string()),
        "trimprefix" => Value::String(
            s(0)?
                .strip_prefix(s(1)?.as_str())
                .map(str::to_string)
                .or_else(|| s(0))?,
        ),
        "trimsuffix" => Value::String(
            s(0)?
                .strip_suffix(s(1)?.as_str())
                .map(str::to_string)
                .or_else(|| s(0))?,
        ),
        "replace" => {
            let pattern = s(1)?;
            if pattern.starts_with('/') {
                return None; // regex replace: not modelled
            }
            Value::String(s(0)?.replace(&pattern, &s(2)?))
        }
        "substr" => {
            let text = s(0)?;
            let offset = args.get(1)?.as_f64()? as usize;
            let length = args.get(2)?.as_f64()?;
            let chars = text.chars().skip(offset);
            Value::String(if length < 0.0 {
                chars.collect()
            } else {
                chars.take(length as usize).collect()
            })
        }
        "format" => Value::String(format(&s(0)?, args.get(1..)?)?),
        "join" => {
            let parts: Option<Vec<String>> = args
                .get(1..)?
                .iter()
                .flat_map(|l| l.elements().iter())
                .map(Node::scalar_text)
                .collect();
            Value::String(parts?.join(&s(0)?))
        }
        "split" => Value::List(
            s(1)?
                .split(s(0)?.as_str())
                .map(|p| Node::string(p, span))
                .collect(),
        ),
        "concat" => Value::List(
            args.iter()
                .flat_map(|a| a.as_list().unwrap_or_default().iter().cloned())
                .collect(),
        ),
        "flatten" => Value::List(flatten(args.first()?)),
        "compact" => Value::List(
            args.first()?
                .elements()
                .iter()
                .filter(|n| !matches!(&n.value, Value::Null) && n.as_str() != Some(""))
                .cloned()
                .collect(),
        ),
        "distinct" | "toset" => {
            let mut out: Vec<Node> = Vec::new();
            for item in args.first()?.elements() {
                if !out.iter().any(|o| equal(o, item)) {
                    out.push(item.clone());
                }
            }
            Value::List(out)
        }
        "tolist" => Value::List(args.first()?.elements().to_vec()),
        "merge" => {
            let mut out: Vec<(String, Node)> = Vec::new();
            for map in args {
                for (k, v) in map.as_map().unwrap_or_default() {
                    out.retain(|(o, _)| o != k);
                    out.push((k.clone(), v.clone()));
                }
            }
            Value::Map(out)
        }
        "lookup" => {
            return match args.first()?.get(&s(1)?) {
                Some(v) => Some(at(v.clone(), span)),
                None => args.get(2).cloned().map(|n| at(n, span)),
            };
        }
        "element" => {
            let list = args.first()?.as_list()?;
            if list.is_empty() {
                return None;
            }
            let index = args.get(1)?.as_f64()? as usize % list.len();
            return list.get(index).cloned().map(|n| at(n, span));
        }
        "one" => {
            let list = args.first()?.elements();
            return match list {
                [] => Some(Node::null(span)),
                [only] => Some(at(only.clone(), span)),
                _ => None,
            };
        }
        "length" => Value::Number(match &args.first()?.value {
            Value::List(items) => items.len() as f64,
            Value::Map(entries) => entries.len() as f64,
            Value::String(text) => text.chars().count() as f64,
            _ => return None,
        }),
        "keys" => Value::List(
            args.first()?
                .as_map()?
                .iter()
                .map(|(k, _)| Node::string(k.clone(), span))
                .collect(),
        ),
        "values" => Value::List(
            args.first()?
                .as_map()?
                .iter()
                .map(|(_, v)| v.clone())
                .collect(),
        ),
        "contains" => Value::Bool(
            args.first()?
                .elements()
                .iter()
                .any(|n| equal(n, args.get(1).unwrap_or(n))),
        ),
        "startswith" => Value::Bool(s(0)?.starts_with(s(1)?.as_str())),
        "endswith" => Value::Bool(s(0)?.ends_with(s(1)?.as_str())),
        "tostring" => Value::String(s(0)?),
        "tonumber" => Value::Number(args.first()?.as_f64()?),
        "tobool" => Value::Bool(args.first()?.as_bool()?),
        "tomap" | "jsonencode" | "yamlencode" => return args.first().cloned().map(|n| at(n, span)),
        "jsondecode" => {
            let parsed = json::parse(&s(0)?, span.file, 100_000).ok()?;
            return Some(at(parsed, span));
        }
        "min" | "max" => {
            let nums: Option<Vec<f64>> = args
                .iter()
                .flat_map(|a| a.elements().iter())
                .map(Node::as_f64)
                .collect();
            let nums = nums?;
            let pick = if name == "min" { f64::min } else { f64::max };
            Value::Number(nums.into_iter().reduce(pick)?)
        }
        "abs" => Value::Number(args.first()?.as_f64()?.abs()),
        "zipmap" => {
            let keys = args.first()?.as_list()?;
            let vals = args.get(1)?.as_list()?;
            Value::Map(
                keys.iter()
                    .zip(vals)
                    .filter_map(|(k, v)| Some((k.scalar_text()?, v.clone())))
                    .collect(),
            )
        }
        "reverse" => Value::List(args.first()?.as_list()?.iter().rev().cloned().collect()),
        "sort" => {
            let mut items: Vec<String> = args
                .first()?
                .elements()
                .iter()
                .map(Node::scalar_text)
                .collect::<Option<_>>()?;
            items.sort();
            Value::List(items.into_iter().map(|t| Node::string(t, span)).collect())
        }
        _ => return None,
    };
    Some(Node::new(value, span))
}

fn at(mut node: Node, span: Span) -> Node {
    node.span = span;
    node
}

fn flatten(node: &Node) -> Vec<Node> {
    let mut out = Vec::new();
    for item in node.elements() {
        match &item.value {
            Value::List(_) => out.extend(flatten(item)),
            _ => out.push(item.clone()),
        }
    }
    out
}

/// `format` with the verbs configurations use (`%s`, `%d`, `%v`, `%%`).
fn format(spec: &str, args: &[Node]) -> Option<String> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' | 'q' => out.push_str(&next.next()?.scalar_text()?),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;

    fn sp() -> Span {
        Span::new(FileId(0), 1, 1)
    }
    fn st(s: &str) -> Node {
        Node::string(s, sp())
    }
    fn list(items: &[&str]) -> Node {
        Node::new(Value::List(items.iter().map(|s| st(s)).collect()), sp())
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            call("lower", &[st("AbC")], sp()).unwrap().as_str(),
            Some("abc")
        );
        assert_eq!(
            call("format", &[st("%s-%s"), st("a"), st("b")], sp())
                .unwrap()
                .as_str(),
            Some("a-b")
        );
        assert_eq!(
            call("join", &[st(","), list(&["a", "b"])], sp())
                .unwrap()
                .as_str(),
            Some("a,b")
        );
        assert_eq!(
            call("replace", &[st("a.b"), st("."), st("-")], sp())
                .unwrap()
                .as_str(),
            Some("a-b")
        );
    }

    #[test]
    fn collection_functions() {
        let merged = call(
            "merge",
            &[
                Node::new(Value::Map(vec![("a".into(), st("1"))]), sp()),
                Node::new(
                    Value::Map(vec![("a".into(), st("2")), ("b".into(), st("3"))]),
                    sp(),
                ),
            ],
            sp(),
        )
        .unwrap();
        assert_eq!(merged.get("a").unwrap().as_str(), Some("2"));
        assert_eq!(
            call("length", &[list(&["a", "b"])], sp()).unwrap().as_f64(),
            Some(2.0)
        );
        assert_eq!(
            call("concat", &[list(&["a"]), list(&["b"])], sp())
                .unwrap()
                .as_list()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            call("contains", &[list(&["a"]), st("a")], sp())
                .unwrap()
                .value,
            Value::Bool(true)
        );
        assert_eq!(
            call("toset", &[list(&["a", "a"])], sp())
                .unwrap()
                .as_list()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn unknowns_propagate() {
        let u = Node::new(Value::Unknown("x".into()), sp());
        assert!(call("lower", std::slice::from_ref(&u), sp()).is_none());
        assert_eq!(
            call("try", &[u, st("d")], sp()).unwrap().as_str(),
            Some("d")
        );
        assert!(call("nosuchfn", &[st("a")], sp()).is_none());
    }
}
