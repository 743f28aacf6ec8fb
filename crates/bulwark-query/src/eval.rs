//! The in-memory evaluator: the reference semantics that the SQL compiler
//! must reproduce exactly.

use std::cmp::Ordering;

use serde_json::Value as Json;

use crate::ast::{
    Bound, BoundValue, CmpOp, Condition, Date, Expr, ExprKind, Literal, NumberValue, Query, Range,
    Value,
};

impl Query {
    /// Whether `doc` matches the query. The empty query matches everything.
    pub fn matches(&self, doc: &Json) -> bool {
        self.root.as_ref().is_none_or(|root| root.matches(doc))
    }
}

impl Expr {
    /// Whether `doc` matches this expression.
    pub fn matches(&self, doc: &Json) -> bool {
        match &self.kind {
            ExprKind::And(items) => items.iter().all(|e| e.matches(doc)),
            ExprKind::Or(items) => items.iter().any(|e| e.matches(doc)),
            ExprKind::Not(inner) => !inner.matches(doc),
            ExprKind::MatchAll => true,
            ExprKind::FullText(lit) => full_text(lit, doc),
            ExprKind::Field(term) => {
                any_at_path(doc, &term.path.segments, |v| condition(&term.condition, v))
            }
        }
    }
}

/// Calls `test` on each value at `path` until one passes. Arrays are
/// transparent: wherever the walk meets an array (before, between or after
/// the keys) it continues with every element, at any nesting depth. The
/// values tested are never arrays.
pub(crate) fn any_at_path(
    doc: &Json,
    path: &[String],
    mut test: impl FnMut(&Json) -> bool,
) -> bool {
    // An explicit stack, so deeply nested documents cannot overflow the
    // call stack.
    let mut stack = vec![(doc, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        match (value, path.get(depth)) {
            (Json::Array(items), _) => stack.extend(items.iter().map(|item| (item, depth))),
            (Json::Object(map), Some(key)) => {
                if let Some(child) = map.get(key) {
                    stack.push((child, depth + 1));
                }
            }
            (_, None) => {
                if test(value) {
                    return true;
                }
            }
            // A scalar where the path needs an object.
            (_, Some(_)) => {}
        }
    }
    false
}

/// A bare term: some string value anywhere in `doc` contains the text (or
/// matches the pattern), or, for numbers, some number equals it.
fn full_text(lit: &Literal, doc: &Json) -> bool {
    let mut stack = vec![doc];
    while let Some(value) = stack.pop() {
        let hit = match (value, &lit.value) {
            (Json::Array(items), _) => {
                stack.extend(items);
                false
            }
            (Json::Object(map), _) => {
                stack.extend(map.values());
                false
            }
            (Json::String(s), Value::Text(text)) => contains_folded(s, text),
            (Json::String(s), Value::Pattern(p)) => p.matches(s),
            (Json::String(s), Value::Number(n)) => contains_folded(s, &n.raw),
            (Json::Number(x), Value::Number(n)) => number_cmp(x, n.value) == Some(Ordering::Equal),
            _ => false,
        };
        if hit {
            return true;
        }
    }
    false
}

fn contains_folded(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// A condition on one (non-array) value.
fn condition(cond: &Condition, v: &Json) -> bool {
    match cond {
        Condition::Exists => !v.is_null(),
        Condition::Equals(lit) => equals(&lit.value, v),
        Condition::Compare { op, bound } => compare(*op, bound, v),
        // A range without bounds (only in hand-built trees) matches nothing.
        Condition::Range(Range { lower, upper }) => {
            (lower.is_some() || upper.is_some())
                && lower
                    .as_ref()
                    .is_none_or(|end| compare(end.op(true), &end.bound, v))
                && upper
                    .as_ref()
                    .is_none_or(|end| compare(end.op(false), &end.bound, v))
        }
    }
}

fn equals(value: &Value, v: &Json) -> bool {
    let text_is = |word: &str| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case(word));
    match value {
        Value::Text(text) => text_is(text),
        Value::Pattern(p) => v.as_str().is_some_and(|s| p.matches(s)),
        Value::Number(n) => {
            matches!(v, Json::Number(x) if number_cmp(x, n.value) == Some(Ordering::Equal))
                || text_is(&n.raw)
        }
        Value::Date(d) => date_cmp(d, v) == Some(Ordering::Equal),
        Value::Bool(b) => v.as_bool() == Some(*b) || text_is(if *b { "true" } else { "false" }),
        Value::Null => v.is_null() || text_is("null"),
    }
}

fn compare(op: CmpOp, bound: &Bound, v: &Json) -> bool {
    let ordering = match (&bound.value, v) {
        (BoundValue::Number(n), Json::Number(x)) => number_cmp(x, n.value),
        (BoundValue::Date(d), _) => date_cmp(d, v),
        _ => None,
    };
    ordering.is_some_and(|o| op.accepts(o))
}

/// Compares a JSON number with a literal: exactly when both are integers,
/// otherwise as `f64` (what PostgreSQL does for `numeric` against `float8`).
pub(crate) fn number_cmp(x: &serde_json::Number, lit: NumberValue) -> Option<Ordering> {
    match lit {
        NumberValue::Int(b) => {
            if let Some(a) = x.as_i64() {
                return Some(a.cmp(&b));
            }
            if x.as_u64().is_some() {
                // A u64 that is not an i64 is above every i64.
                return Some(Ordering::Greater);
            }
            x.as_f64()?.partial_cmp(&(b as f64))
        }
        NumberValue::Float(b) => x.as_f64()?.partial_cmp(&b),
    }
}

/// Compares a date-shaped string with a date literal by the literal's
/// precision: only the first `key().len()` characters count, so a day
/// equals every instant within it. `None` unless `v` is a string that
/// starts with the literal's shape.
fn date_cmp(date: &Date, v: &Json) -> Option<Ordering> {
    let prefix = date.prefix_of(v.as_str()?)?;
    Some(prefix.cmp(date.key().as_bytes()))
}
