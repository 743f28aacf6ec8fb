//! Tests on a single JSON value (a "node"), written for each place a value
//! can come from: a row of the SQLite path walk or `json_tree`, a `jsonb`
//! value in PostgreSQL, or a mapped column.
//!
//! Each test is written as `(guard AND test)` where the guard checks the
//! JSON type, so no test can be `NULL` and none can raise a cast error.

use crate::ast::{CmpOp, Date, NumberValue};

use super::{Column, ColumnKind, Dialect, SqlParam, Writer};

/// Always-true and always-false expressions that both dialects accept.
pub(super) const TRUE: &str = "(1 = 1)";
pub(super) const FALSE: &str = "(1 = 0)";

/// Equality or an ordering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Rel {
    Eq,
    Cmp(CmpOp),
}

/// One way for a value to satisfy a condition. Text operands are already
/// folded to ASCII lowercase.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Test<'q> {
    /// Present and not `null`.
    NotNull,
    /// JSON `null`.
    Null,
    /// The boolean.
    Bool(bool),
    /// A string equal to this, ignoring ASCII case.
    StrEq(String),
    /// A string matching this `LIKE` pattern (escape `!`), ignoring ASCII case.
    StrLike(String),
    /// A string containing this, ignoring ASCII case.
    StrContains(String),
    /// A number satisfying every relation.
    Num(Vec<(Rel, NumberValue)>),
    /// A date-shaped string satisfying every relation.
    Date(Vec<(Rel, &'q Date)>),
}

/// Where a value comes from. The expressions are SQL text without
/// placeholders, so they can be repeated.
#[derive(Debug, Clone)]
pub(super) enum Node<'c> {
    /// A row with a json1 type name and an SQL value.
    Sqlite { ty: String, val: String },
    /// A `jsonb` value (SQL `NULL` when missing).
    Postgres { json: String },
    /// A mapped column.
    Column(&'c Column),
}

impl Node<'_> {
    pub(super) fn sqlite(ty: &str, val: &str) -> Self {
        Node::Sqlite {
            ty: ty.to_string(),
            val: val.to_string(),
        }
    }

    pub(super) fn postgres(json: impl Into<String>) -> Self {
        Node::Postgres { json: json.into() }
    }
}

impl Node<'_> {
    /// Whether a value from this node can ever pass `test`.
    pub(super) fn supports(&self, test: &Test<'_>) -> bool {
        let Node::Column(column) = self else {
            return true;
        };
        match test {
            Test::NotNull => true,
            Test::Null => false,
            Test::Bool(_) => column.kind == ColumnKind::Bool,
            Test::StrEq(_) | Test::StrLike(_) | Test::StrContains(_) | Test::Date(_) => {
                column.kind == ColumnKind::Text
            }
            Test::Num(_) => column.kind == ColumnKind::Number,
        }
    }

    /// Writes `test` (which must be supported) as a parenthesized boolean.
    pub(super) fn write(&self, w: &mut Writer<'_>, test: &Test<'_>) {
        let d = w.dialect();
        match test {
            Test::NotNull => w.push(&self.not_null()),
            Test::Null => w.push(&self.is_null()),
            Test::Bool(b) => w.push(&self.is_bool(*b, d)),
            Test::StrEq(s) => {
                self.string_test(w, |w, x| {
                    w.push(&format!("{} = ", fold(x, d)));
                    w.bind(SqlParam::Text(s.clone()));
                });
            }
            Test::StrLike(p) => {
                self.string_test(w, |w, x| {
                    w.push(&format!("{} LIKE ", fold(x, d)));
                    w.bind(SqlParam::Text(p.clone()));
                    w.push(" ESCAPE '!'");
                });
            }
            Test::StrContains(s) => {
                self.string_test(w, |w, x| {
                    let f = match d {
                        Dialect::Sqlite => "instr",
                        Dialect::Postgres => "strpos",
                    };
                    w.push(&format!("{f}({}, ", fold(x, d)));
                    w.bind(SqlParam::Text(s.clone()));
                    w.push(") > 0");
                });
            }
            Test::Num(rels) => {
                let x = self.number_expr();
                w.push(&format!("({}", self.number_guard()));
                for (rel, n) in rels {
                    let op = match rel {
                        Rel::Eq => "=",
                        Rel::Cmp(op) => op.as_str(),
                    };
                    w.push(&format!(" AND {x} {op} "));
                    w.bind(match n {
                        NumberValue::Int(i) => SqlParam::Int(*i),
                        NumberValue::Float(f) => SqlParam::Float(*f),
                    });
                }
                w.push(")");
            }
            Test::Date(rels) => self.string_test(w, |w, x| {
                for (i, (rel, date)) in rels.iter().enumerate() {
                    if i > 0 {
                        w.push(" AND ");
                    }
                    write_date(w, x, *rel, date);
                }
            }),
        }
    }

    /// `(string guard AND body)`, where `body` gets the string expression.
    fn string_test(&self, w: &mut Writer<'_>, body: impl FnOnce(&mut Writer<'_>, &str)) {
        let (guard, x) = match self {
            Node::Sqlite { ty, val } => (format!("{ty} = 'text'"), val.clone()),
            Node::Postgres { json } => (
                format!("jsonb_typeof({json}) = 'string'"),
                format!("({json} #>> '{{}}')"),
            ),
            Node::Column(c) => (format!("{} IS NOT NULL", c.expr), c.expr.clone()),
        };
        w.push(&format!("({guard} AND "));
        body(w, &x);
        w.push(")");
    }

    fn number_guard(&self) -> String {
        match self {
            Node::Sqlite { ty, .. } => format!("{ty} IN ('integer', 'real')"),
            Node::Postgres { json } => format!("jsonb_typeof({json}) = 'number'"),
            Node::Column(c) => format!("{} IS NOT NULL", c.expr),
        }
    }

    fn number_expr(&self) -> String {
        match self {
            Node::Sqlite { val, .. } => val.clone(),
            // The CASE keeps PostgreSQL from casting a non-number.
            Node::Postgres { json } => {
                format!("(CASE WHEN jsonb_typeof({json}) = 'number' THEN ({json})::numeric END)")
            }
            Node::Column(c) => c.expr.clone(),
        }
    }

    fn not_null(&self) -> String {
        match self {
            Node::Sqlite { ty, .. } => format!("{ty} <> 'null'"),
            Node::Postgres { json } => format!("jsonb_typeof({json}) <> 'null'"),
            Node::Column(c) => format!("{} IS NOT NULL", c.expr),
        }
    }

    fn is_null(&self) -> String {
        match self {
            Node::Sqlite { ty, .. } => format!("{ty} = 'null'"),
            Node::Postgres { json } => format!("jsonb_typeof({json}) = 'null'"),
            Node::Column(_) => FALSE.to_string(),
        }
    }

    fn is_bool(&self, b: bool, d: Dialect) -> String {
        match self {
            Node::Sqlite { ty, .. } => format!("{ty} = '{b}'"),
            Node::Postgres { json } => format!("{json} = '{b}'::jsonb"),
            Node::Column(c) => {
                let value = match (d, b) {
                    (Dialect::Sqlite, true) => "1",
                    (Dialect::Sqlite, false) => "0",
                    (Dialect::Postgres, true) => "TRUE",
                    (Dialect::Postgres, false) => "FALSE",
                };
                format!("({0} IS NOT NULL AND {0} = {value})", c.expr)
            }
        }
    }
}

/// ASCII-only lowercase in both dialects (PostgreSQL's `lower` folds only
/// ASCII under the "C" collation), matching `str::to_ascii_lowercase`.
fn fold(x: &str, d: Dialect) -> String {
    match d {
        Dialect::Sqlite => format!("lower({x})"),
        Dialect::Postgres => format!("lower(({x}) COLLATE \"C\")"),
    }
}

/// Byte-order comparison operand.
fn bytewise(x: &str, d: Dialect) -> String {
    match d {
        Dialect::Sqlite => format!("{x} COLLATE BINARY"),
        Dialect::Postgres => format!("({x}) COLLATE \"C\""),
    }
}

/// The date's shape check and one relation, on the string `x`.
///
/// The evaluator compares the first `key.len()` bytes of a date-shaped
/// string with `key`. On such strings that is the same as comparing the
/// whole string with `key` or with `successor(key)` (the least string above
/// every extension of `key`), which an index on the column can serve:
/// `prefix = key` is `key <= x < succ`, `prefix > key` is `x >= succ`,
/// `prefix <= key` is `x < succ`.
fn write_date(w: &mut Writer<'_>, x: &str, rel: Rel, date: &Date) {
    let d = w.dialect();
    let (shape_op, shape) = match d {
        Dialect::Sqlite => ("GLOB", date.shape_glob()),
        Dialect::Postgres => ("~", date.shape_regex()),
    };
    w.push(&format!("{x} {shape_op} "));
    w.bind(SqlParam::Text(shape));
    let key = || SqlParam::Text(date.key().to_string());
    let succ = || SqlParam::Text(date.successor());
    let b = bytewise(x, d);
    let parts: Vec<(&str, SqlParam)> = match rel {
        Rel::Eq => vec![(">=", key()), ("<", succ())],
        Rel::Cmp(CmpOp::Gt) => vec![(">=", succ())],
        Rel::Cmp(CmpOp::Ge) => vec![(">=", key())],
        Rel::Cmp(CmpOp::Lt) => vec![("<", key())],
        Rel::Cmp(CmpOp::Le) => vec![("<", succ())],
    };
    for (op, param) in parts {
        w.push(&format!(" AND {b} {op} "));
        w.bind(param);
    }
}
