//! Compiles a [`Query`] to a SQL boolean expression for SQLite (JSON text
//! read with the json1 functions) or PostgreSQL (`jsonb`), with the same
//! semantics as [`Query::matches`].
//!
//! User values only ever travel as bound parameters. The SQL text contains
//! just the caller's trusted column expressions, fixed keywords and numbers
//! computed here (path lengths).

mod node;

use std::collections::HashMap;

use crate::ast::{
    BoundValue, Condition, Date, Expr, ExprKind, FieldTerm, Literal, NumberValue, Path, Query,
    Range, Value,
};
use node::{Node, Rel, Test};

/// The SQL dialect to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.38+ with the built-in JSON functions; the document column
    /// holds JSON text (or SQLite JSONB). Placeholders are `?`.
    Sqlite,
    /// PostgreSQL 12+; the document column is `jsonb`. Placeholders are
    /// `$n`, numbered after [`SqlOptions::param_offset`].
    Postgres,
}

/// A value to bind to a placeholder of a [`SqlFragment`], in order.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlParam {
    /// Bind as text (`TEXT`).
    Text(String),
    /// Bind as a 64-bit integer (`INTEGER` / `int8`).
    Int(i64),
    /// Bind as a double (`REAL` / `float8`).
    Float(f64),
}

/// A compiled query: a boolean SQL expression and its parameters.
///
/// The expression is never `NULL`, so it can be negated or combined freely.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlFragment {
    /// The expression, to be used in a `WHERE` clause.
    pub sql: String,
    /// The values for its placeholders, in placeholder order.
    pub params: Vec<SqlParam>,
}

/// Where a field is stored in a real column instead of inside the
/// document, so the database can use an index for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// A trusted SQL expression naming the column, e.g. `assets.is_public`.
    pub expr: String,
    /// What the column holds.
    pub kind: ColumnKind,
}

impl Column {
    /// A column holding the field's string value.
    pub fn text(expr: impl Into<String>) -> Self {
        Self {
            expr: expr.into(),
            kind: ColumnKind::Text,
        }
    }

    /// A column holding the field's numeric value.
    pub fn number(expr: impl Into<String>) -> Self {
        Self {
            expr: expr.into(),
            kind: ColumnKind::Number,
        }
    }

    /// A column holding the field's boolean value (`0`/`1` in SQLite).
    pub fn boolean(expr: impl Into<String>) -> Self {
        Self {
            expr: expr.into(),
            kind: ColumnKind::Bool,
        }
    }
}

/// The type of a mapped [`Column`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// Text with binary collation (ASCII case folding is done in the query).
    Text,
    /// Integer, real, `numeric` or `float8`.
    Number,
    /// SQLite `0`/`1`, PostgreSQL `boolean`.
    Bool,
}

/// Maps field paths to real columns (the hook for generated columns and
/// indexes).
///
/// A mapping is only correct if, for every document, the column holds the
/// value found at the path, or `NULL` when the path is missing or `null`;
/// the path must never cross an array and its values must all have the
/// column's kind. Terms the column cannot answer exactly (`field:null`)
/// fall back to the document.
pub trait FieldMap {
    /// The column for `path` (the path's segments), if there is one.
    fn column(&self, path: &[String]) -> Option<Column>;
}

/// A [`FieldMap`] backed by a hash map.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    columns: HashMap<Vec<String>, Column>,
}

impl ColumnMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps a dotted path such as `tags.name` (split at every `.`).
    pub fn insert(&mut self, dotted: &str, column: Column) -> &mut Self {
        self.insert_path(dotted.split('.').map(str::to_string).collect(), column)
    }

    /// Maps a path given as segments (for keys that contain `.`).
    pub fn insert_path(&mut self, segments: Vec<String>, column: Column) -> &mut Self {
        self.columns.insert(segments, column);
        self
    }
}

impl FieldMap for ColumnMap {
    fn column(&self, path: &[String]) -> Option<Column> {
        self.columns.get(path).cloned()
    }
}

/// How to compile: dialect, document column, placeholder numbering and
/// mapped columns.
#[derive(Clone, Copy)]
pub struct SqlOptions<'a> {
    dialect: Dialect,
    doc_column: &'a str,
    param_offset: usize,
    field_map: Option<&'a dyn FieldMap>,
}

impl std::fmt::Debug for SqlOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlOptions")
            .field("dialect", &self.dialect)
            .field("doc_column", &self.doc_column)
            .field("param_offset", &self.param_offset)
            .field("field_map", &self.field_map.is_some())
            .finish()
    }
}

impl<'a> SqlOptions<'a> {
    /// Options for `dialect` with the JSON document in `doc_column`, a
    /// trusted SQL expression such as `assets.doc` (copied into the SQL as
    /// is; it must not name tables starting with `bq`).
    pub fn new(dialect: Dialect, doc_column: &'a str) -> Self {
        Self {
            dialect,
            doc_column,
            param_offset: 0,
            field_map: None,
        }
    }

    /// PostgreSQL only: how many parameters the surrounding statement
    /// already uses, so the first placeholder is `$(offset + 1)`.
    pub fn param_offset(mut self, offset: usize) -> Self {
        self.param_offset = offset;
        self
    }

    /// Uses `map` to answer terms on mapped fields from real columns.
    pub fn field_map(mut self, map: &'a dyn FieldMap) -> Self {
        self.field_map = Some(map);
        self
    }
}

impl Query {
    /// Compiles the query to a boolean SQL expression.
    pub fn to_sql(&self, options: &SqlOptions<'_>) -> SqlFragment {
        let mut w = Writer {
            opts: *options,
            sql: String::new(),
            params: Vec::new(),
        };
        match &self.root {
            Some(root) => w.expr(root),
            None => w.push(node::TRUE),
        }
        SqlFragment {
            sql: w.sql,
            params: w.params,
        }
    }
}

/// Appends SQL left to right, so `?` placeholders and parameters stay in
/// the same order.
pub(crate) struct Writer<'a> {
    opts: SqlOptions<'a>,
    sql: String,
    params: Vec<SqlParam>,
}

impl Writer<'_> {
    pub(crate) fn dialect(&self) -> Dialect {
        self.opts.dialect
    }

    pub(crate) fn push(&mut self, s: &str) {
        self.sql.push_str(s);
    }

    /// Binds a parameter and writes its placeholder.
    pub(crate) fn bind(&mut self, param: SqlParam) {
        let placeholder = self.placeholder(&param);
        self.params.push(param);
        self.sql.push_str(&placeholder);
    }

    /// Binds a parameter and returns its placeholder for the caller to
    /// write, possibly several times (PostgreSQL only: `?` cannot repeat).
    fn bind_reusable(&mut self, param: SqlParam) -> String {
        let placeholder = self.placeholder(&param);
        self.params.push(param);
        placeholder
    }

    fn placeholder(&self, param: &SqlParam) -> String {
        match self.opts.dialect {
            Dialect::Sqlite => "?".to_string(),
            Dialect::Postgres => {
                let n = self.opts.param_offset + self.params.len() + 1;
                // Explicit casts make the types independent of the driver.
                let ty = match param {
                    SqlParam::Text(_) => "text",
                    SqlParam::Int(_) => "int8",
                    SqlParam::Float(_) => "float8",
                };
                format!("${n}::{ty}")
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::And(items) => self.join(items, " AND "),
            ExprKind::Or(items) => self.join(items, " OR "),
            ExprKind::Not(inner) => {
                self.push("(NOT ");
                self.expr(inner);
                self.push(")");
            }
            ExprKind::MatchAll => self.push(node::TRUE),
            ExprKind::FullText(lit) => self.full_text(lit),
            ExprKind::Field(term) => self.field(term),
        }
    }

    fn join(&mut self, items: &[Expr], sep: &str) {
        self.push("(");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(sep);
            }
            self.expr(item);
        }
        self.push(")");
    }

    fn field(&mut self, term: &FieldTerm) {
        let tests = condition_tests(&term.condition);
        let column = self
            .opts
            .field_map
            .and_then(|map| map.column(&term.path.segments))
            // A column cannot tell a JSON `null` from a missing field.
            .filter(|_| !tests.iter().any(|t| matches!(t, Test::Null)));
        match column {
            Some(column) => self.tests(&Node::Column(&column), &tests),
            None => self.walk_path(&term.path, &tests),
        }
    }

    /// `EXISTS` over the values at `path`, arrays flattened at every step
    /// (the recursive walk mirrors `eval::any_at_path`).
    fn walk_path(&mut self, path: &Path, tests: &[Test<'_>]) {
        let doc = self.opts.doc_column;
        let depth = path.segments.len();
        match self.opts.dialect {
            Dialect::Sqlite => {
                self.push(&format!(
                    "EXISTS (WITH RECURSIVE bqw(d, t, v) AS (SELECT 0, json_type({doc}), {doc} \
                     UNION ALL SELECT bqw.d + (bqw.t = 'object'), bqe.type, bqe.value FROM bqw, \
                     json_each(CASE WHEN bqw.t IN ('object', 'array') THEN bqw.v END) AS bqe \
                     WHERE bqw.t = 'array' OR (bqw.t = 'object' AND bqe.key = CASE bqw.d"
                ));
                for (i, seg) in path.segments.iter().enumerate() {
                    self.push(&format!(" WHEN {i} THEN "));
                    self.bind(SqlParam::Text(seg.clone()));
                }
                self.push(&format!(
                    " END)) SELECT 1 FROM bqw WHERE bqw.d = {depth} AND bqw.t <> 'array' AND "
                ));
                self.tests(&node::SQLITE_WALK, tests);
                self.push(")");
            }
            Dialect::Postgres => {
                let mut key = String::from("(CASE bqw.d");
                for (i, seg) in path.segments.iter().enumerate() {
                    let p = self.bind_reusable(SqlParam::Text(seg.clone()));
                    key.push_str(&format!(" WHEN {i} THEN {p}"));
                }
                key.push_str(" END)");
                self.push(&format!(
                    "EXISTS (WITH RECURSIVE bqw(d, j) AS (SELECT 0, {doc} UNION ALL \
                     SELECT bqw.d + CASE WHEN jsonb_typeof(bqw.j) = 'object' THEN 1 ELSE 0 END, \
                     bqe.value FROM bqw CROSS JOIN LATERAL jsonb_array_elements(CASE \
                     WHEN jsonb_typeof(bqw.j) = 'array' THEN bqw.j \
                     WHEN jsonb_typeof(bqw.j) = 'object' AND (bqw.j -> {key}) IS NOT NULL \
                     THEN jsonb_build_array(bqw.j -> {key}) ELSE '[]'::jsonb END) AS bqe(value)) \
                     SELECT 1 FROM bqw WHERE bqw.d = {depth} AND jsonb_typeof(bqw.j) <> 'array' AND "
                ));
                self.tests(&node::PG_WALK, tests);
                self.push(")");
            }
        }
    }

    /// `EXISTS` over every value in the document (a bare term).
    fn full_text(&mut self, lit: &Literal) {
        let doc = self.opts.doc_column;
        let tests = match &lit.value {
            Value::Pattern(p) => vec![Test::StrLike(p.to_like())],
            Value::Number(n) => vec![
                Test::StrContains(n.raw.to_ascii_lowercase()),
                Test::Num(vec![(Rel::Eq, n.value)]),
            ],
            Value::Text(text) => vec![Test::StrContains(text.to_ascii_lowercase())],
            // The parser turns bare dates, booleans and null into text.
            Value::Date(d) => vec![Test::StrContains(d.raw().to_ascii_lowercase())],
            Value::Bool(b) => vec![Test::StrContains(b.to_string())],
            Value::Null => vec![Test::StrContains("null".into())],
        };
        match self.opts.dialect {
            Dialect::Sqlite => {
                self.push(&format!("EXISTS (SELECT 1 FROM json_tree({doc}) AS bqt WHERE "));
                self.tests(&node::SQLITE_TREE, &tests);
            }
            Dialect::Postgres => {
                self.push(&format!(
                    "EXISTS (SELECT 1 FROM jsonb_path_query({doc}, 'strict $.**') AS bqt(j) WHERE "
                ));
                self.tests(&node::PG_TREE, &tests);
            }
        }
        self.push(")");
    }

    /// Writes the disjunction of `tests` on `node`, or false if none apply.
    fn tests(&mut self, node: &Node<'_>, tests: &[Test<'_>]) {
        let applicable: Vec<&Test<'_>> = tests.iter().filter(|t| node.supports(t)).collect();
        if applicable.is_empty() {
            self.push(node::FALSE);
            return;
        }
        self.push("(");
        for (i, test) in applicable.into_iter().enumerate() {
            if i > 0 {
                self.push(" OR ");
            }
            node.write(self, test);
        }
        self.push(")");
    }
}

/// The alternatives (joined with `OR`) that make one value satisfy `cond`.
fn condition_tests(cond: &Condition) -> Vec<Test<'_>> {
    let word = |w: &str| Test::StrEq(w.to_string());
    match cond {
        Condition::Exists => vec![Test::NotNull],
        Condition::Equals(lit) => match &lit.value {
            Value::Text(text) => vec![Test::StrEq(text.to_ascii_lowercase())],
            Value::Pattern(p) => vec![Test::StrLike(p.to_like())],
            Value::Number(n) => vec![
                Test::Num(vec![(Rel::Eq, n.value)]),
                Test::StrEq(n.raw.to_ascii_lowercase()),
            ],
            Value::Date(d) => vec![Test::Date(vec![(Rel::Eq, d)])],
            Value::Bool(b) => vec![Test::Bool(*b), word(if *b { "true" } else { "false" })],
            Value::Null => vec![Test::Null, word("null")],
        },
        Condition::Compare { op, bound } => match &bound.value {
            BoundValue::Number(n) => vec![Test::Num(vec![(Rel::Cmp(*op), n.value)])],
            BoundValue::Date(d) => vec![Test::Date(vec![(Rel::Cmp(*op), d)])],
        },
        Condition::Range(range) => range_tests(range),
    }
}

fn range_tests(range: &Range) -> Vec<Test<'_>> {
    let ends = [(range.lower.as_ref(), true), (range.upper.as_ref(), false)];
    let mut numbers: Vec<(Rel, NumberValue)> = Vec::new();
    let mut dates: Vec<(Rel, &Date)> = Vec::new();
    for (end, is_lower) in ends {
        if let Some(end) = end {
            let rel = Rel::Cmp(end.op(is_lower));
            match &end.bound.value {
                BoundValue::Number(n) => numbers.push((rel, n.value)),
                BoundValue::Date(d) => dates.push((rel, d)),
            }
        }
    }
    // The parser guarantees one kind per range; a hand-built mixed range
    // can match nothing, as in the evaluator.
    match (numbers.is_empty(), dates.is_empty()) {
        (false, true) => vec![Test::Num(numbers)],
        (true, false) => vec![Test::Date(dates)],
        _ => Vec::new(),
    }
}
