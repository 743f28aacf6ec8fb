//! Static evaluation of HCL expressions into [`Node`]s.
//!
//! Whatever the configuration alone decides is computed: literals,
//! `var.*` (defaults, tfvars, module inputs), `local.*`, `count.index`,
//! `each.*`, dynamic-block iterators, string templates, operators,
//! conditionals, `for` expressions and the common functions. Anything else
//! (other resources' attributes, data sources, `path.*`) becomes `Unknown`
//! carrying the expression text, which cross-resource checks read.

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::Element;

use super::TfFile;
use super::funcs;
use super::module::ModuleEnv;
use crate::model::{Node, Span, Value, truncate};

/// Bounds recursion through locals, nested expressions and `for` loops.
const MAX_DEPTH: u32 = 48;
const MAX_FOR_ITEMS: usize = 10_000;

/// Where an expression is evaluated: its module, file and bound names.
#[derive(Clone)]
pub struct Scope<'a> {
    pub env: &'a ModuleEnv<'a>,
    pub file: &'a TfFile,
    pub text: &'a str,
    pub bindings: Vec<(String, Node)>,
    pub depth: u32,
}

impl<'a> Scope<'a> {
    pub fn with_binding(&self, name: &str, value: Node) -> Scope<'a> {
        let mut scope = self.clone();
        scope.bindings.push((name.to_string(), value));
        scope
    }

    pub fn span_of(&self, range: Option<std::ops::Range<usize>>) -> Span {
        match range {
            Some(r) => Span::new(
                self.file.id,
                self.file.line_of(r.start),
                self.file.line_of(r.end.saturating_sub(1)),
            ),
            None => Span::new(self.file.id, 0, 0),
        }
    }

    fn source(&self, range: Option<std::ops::Range<usize>>) -> String {
        let text = range
            .and_then(|r| self.text.get(r))
            .unwrap_or("expression")
            .trim();
        truncate(text, 200)
    }

    fn unknown(&self, expr: &Expression) -> Node {
        Node::new(
            Value::Unknown(self.source(expr.span())),
            self.span_of(expr.span()),
        )
    }

    pub fn eval(&self, expr: &Expression) -> Node {
        if self.depth > MAX_DEPTH || !self.env.tick() {
            return self.unknown(expr);
        }
        let inner = Scope {
            depth: self.depth + 1,
            ..self.clone()
        };
        let span = self.span_of(expr.span());
        let value = match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => Value::Number(n.value().as_f64().unwrap_or(0.0)),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(items) => Value::List(items.iter().map(|e| inner.eval(e)).collect()),
            Expression::Object(object) => {
                let mut entries = Vec::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(e) => match inner.eval(e).scalar_text() {
                            Some(k) => k,
                            None => continue,
                        },
                    };
                    entries.push((key, inner.eval(value.expr())));
                }
                Value::Map(entries)
            }
            Expression::StringTemplate(t) => return inner.template(t.iter(), expr),
            Expression::HeredocTemplate(h) => return inner.template(h.template.iter(), expr),
            Expression::Parenthesis(p) => return inner.eval(p.inner()),
            Expression::Variable(name) => return inner.lookup_root(name.as_str(), &[], expr),
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(name) => {
                    return inner.lookup_root(name.as_str(), &t.operators, expr);
                }
                base => {
                    let base = inner.eval(base);
                    return inner.apply_operators(base, &t.operators, expr);
                }
            },
            Expression::Conditional(c) => {
                return match inner.eval(&c.cond_expr).as_bool() {
                    Some(true) => inner.eval(&c.true_expr),
                    Some(false) => inner.eval(&c.false_expr),
                    None => self.unknown(expr),
                };
            }
            Expression::FuncCall(call) => {
                let mut args: Vec<Node> = call.args.iter().map(|a| inner.eval(a)).collect();
                if call.args.expand_final()
                    && let Some(last) = args.pop()
                {
                    match last.value {
                        Value::List(items) => args.extend(items),
                        _ => return self.unknown(expr),
                    }
                }
                return match funcs::call(call.name.name.as_str(), &args, span) {
                    Some(node) => node,
                    None => self.unknown(expr),
                };
            }
            Expression::UnaryOp(op) => {
                let v = inner.eval(&op.expr);
                match (op.operator.value(), &v.value) {
                    (UnaryOperator::Not, _) if v.as_bool().is_some() => {
                        Value::Bool(!v.as_bool().unwrap_or(false))
                    }
                    (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                    _ => return self.unknown(expr),
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = inner.eval(&op.lhs_expr);
                let rhs = inner.eval(&op.rhs_expr);
                match binary(op.operator.value(), &lhs, &rhs) {
                    Some(v) => v,
                    None => return self.unknown(expr),
                }
            }
            Expression::ForExpr(f) => match inner.for_expr(f) {
                Some(v) => v,
                None => return self.unknown(expr),
            },
        };
        Node::new(value, span)
    }

    fn template<'t>(&self, elements: impl Iterator<Item = &'t Element>, expr: &Expression) -> Node {
        let span = self.span_of(expr.span());
        let mut out = String::new();
        for element in elements {
            match element {
                Element::Literal(lit) => out.push_str(lit.value()),
                Element::Interpolation(i) => match self.eval(&i.expr).scalar_text() {
                    Some(text) => out.push_str(&text),
                    None => return self.unknown(expr),
                },
                Element::Directive(_) => return self.unknown(expr),
            }
        }
        Node::string(out, span)
    }

    /// Resolves `var.x`, `local.x`, `count.index`, `each.value`, iterators.
    fn lookup_root(
        &self,
        root: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        expr: &Expression,
    ) -> Node {
        let span = self.span_of(expr.span());
        if let Some((_, bound)) = self.bindings.iter().rev().find(|(name, _)| name == root) {
            let mut base = bound.clone();
            base.span = span;
            return self.apply_operators(base, ops, expr);
        }
        let first_attr = ops.first().and_then(|op| match op.value() {
            TraversalOperator::GetAttr(ident) => Some(ident.as_str().to_string()),
            _ => None,
        });
        let rest = ops.get(1..).unwrap_or_default();
        let found = match (root, first_attr.as_deref()) {
            ("var", Some(name)) => self.env.var(name),
            ("local", Some(name)) => self.env.local(name, self),
            _ => None,
        };
        match found {
            Some(mut value) => {
                value.span = span;
                self.apply_operators(value, rest, expr)
            }
            None => self.unknown(expr),
        }
    }

    fn apply_operators(
        &self,
        mut node: Node,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        expr: &Expression,
    ) -> Node {
        for op in ops {
            if node.is_unknown() {
                return self.unknown(expr);
            }
            let next = match op.value() {
                TraversalOperator::GetAttr(ident) => node.get(ident.as_str()).cloned(),
                TraversalOperator::Index(index) => {
                    let key = self.eval(index);
                    index_into(&node, &key)
                }
                TraversalOperator::LegacyIndex(i) => node
                    .as_list()
                    .and_then(|l| l.get(*i.value() as usize))
                    .cloned(),
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => None,
            };
            match next {
                Some(mut n) => {
                    n.span = node.span;
                    node = n;
                }
                None => return self.unknown(expr),
            }
        }
        node
    }

    fn for_expr(&self, f: &hcl_edit::expr::ForExpr) -> Option<Value> {
        let collection = self.eval(&f.intro.collection_expr);
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
            _ => return None,
        };
        if pairs.len() > MAX_FOR_ITEMS {
            return None;
        }
        let mut list = Vec::new();
        let mut map = Vec::new();
        for (key, value) in pairs {
            let mut scope = self.with_binding(f.intro.value_var.as_str(), value);
            if let Some(key_var) = &f.intro.key_var {
                scope = scope.with_binding(key_var.as_str(), key);
            }
            if let Some(cond) = &f.cond {
                match scope.eval(&cond.expr).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return None,
                }
            }
            let value = scope.eval(&f.value_expr);
            match &f.key_expr {
                Some(key_expr) => map.push((scope.eval(key_expr).scalar_text()?, value)),
                None => list.push(value),
            }
        }
        Some(if f.key_expr.is_some() {
            Value::Map(map)
        } else {
            Value::List(list)
        })
    }
}

pub fn index_into(node: &Node, key: &Node) -> Option<Node> {
    match &node.value {
        Value::List(items) => items.get(key.as_f64()? as usize).cloned(),
        Value::Map(_) => node.get(&key.scalar_text()?).cloned(),
        _ => None,
    }
}

fn binary(op: &BinaryOperator, lhs: &Node, rhs: &Node) -> Option<Value> {
    if lhs.is_unknown() || rhs.is_unknown() {
        // `false && x` and `true || x` are decided without x.
        return match (op, lhs.as_bool(), rhs.as_bool()) {
            (BinaryOperator::And, Some(false), _) | (BinaryOperator::And, _, Some(false)) => {
                Some(Value::Bool(false))
            }
            (BinaryOperator::Or, Some(true), _) | (BinaryOperator::Or, _, Some(true)) => {
                Some(Value::Bool(true))
            }
            _ => None,
        };
    }
    let num = |n: &Node| n.as_f64();
    Some(match op {
        BinaryOperator::Eq => Value::Bool(equal(lhs, rhs)),
        BinaryOperator::NotEq => Value::Bool(!equal(lhs, rhs)),
        BinaryOperator::And => Value::Bool(lhs.as_bool()? && rhs.as_bool()?),
        BinaryOperator::Or => Value::Bool(lhs.as_bool()? || rhs.as_bool()?),
        BinaryOperator::Less => Value::Bool(num(lhs)? < num(rhs)?),
        BinaryOperator::LessEq => Value::Bool(num(lhs)? <= num(rhs)?),
        BinaryOperator::Greater => Value::Bool(num(lhs)? > num(rhs)?),
        BinaryOperator::GreaterEq => Value::Bool(num(lhs)? >= num(rhs)?),
        BinaryOperator::Plus => Value::Number(num(lhs)? + num(rhs)?),
        BinaryOperator::Minus => Value::Number(num(lhs)? - num(rhs)?),
        BinaryOperator::Mul => Value::Number(num(lhs)? * num(rhs)?),
        BinaryOperator::Div => Value::Number(num(lhs)? / num(rhs)?),
        BinaryOperator::Mod => Value::Number(num(lhs)? % num(rhs)?),
    })
}

/// Terraform compares scalars by value after conversion (`"1" == 1` is false
/// in Terraform, but configurations rarely rely on that, so text compares).
pub fn equal(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| b.get(k).is_some_and(|w| equal(v, w)))
        }
        (Value::Null, Value::Null) => true,
        _ => match (a.scalar_text(), b.scalar_text()) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}
