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
    BoundValue, Condition, Date, Expr, ExprKind, FieldTerm, Literal, NumberValue, Path,
    PatternPart, Query, Range, Value,
};
use node::{Node, Rel, Test};

/// The SQL dialect to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.38+ with the built-in JSON functions; the document column
    /// holds JSON text. Placeholders are `?`.
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
///
/// A column either sits in the document's own row (`Column::text` etc.) or,
/// for a path that crosses arrays, in rows of another table, one per value
/// ([`Column::in_rows`]); a term then matches if any of those rows does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// A trusted SQL expression naming the column, e.g. `assets.is_public`.
    pub expr: String,
    /// What the column holds.
    pub kind: ColumnKind,
    /// For multi-valued fields, the rows that hold the values.
    pub rows: Option<RowSource>,
}

/// The rows holding a multi-valued field's values for the current document:
/// `FROM {from} WHERE {filter}`, both trusted SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSource {
    /// The table, with an alias, e.g. `asset_tags AS tg`.
    pub from: String,
    /// The condition tying rows to the document, e.g. `tg.asset_id = assets.id`.
    pub filter: String,
}

impl Column {
    /// A column holding the field's string value.
    pub fn text(expr: impl Into<String>) -> Self {
        Self::new(expr, ColumnKind::Text)
    }

    /// A column holding the field's numeric value.
    pub fn number(expr: impl Into<String>) -> Self {
        Self::new(expr, ColumnKind::Number)
    }

    /// A column holding the field's boolean value (`0`/`1` in SQLite).
    pub fn boolean(expr: impl Into<String>) -> Self {
        Self::new(expr, ColumnKind::Bool)
    }

    fn new(expr: impl Into<String>, kind: ColumnKind) -> Self {
        Self {
            expr: expr.into(),
            kind,
            rows: None,
        }
    }

    /// Makes the column multi-valued: the values are in `expr` of the rows
    /// `FROM from WHERE filter`, e.g.
    /// `Column::text("tg.name").in_rows("asset_tags AS tg", "tg.asset_id = assets.id")`
    /// for `tags.name`.
    pub fn in_rows(mut self, from: impl Into<String>, filter: impl Into<String>) -> Self {
        self.rows = Some(RowSource {
            from: from.into(),
            filter: filter.into(),
        });
        self
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

/// Maps field paths to real columns (the hook for generated columns,
/// side tables and indexes).
///
/// A mapping is only correct if, for every document, a single-valued column
/// holds the value found at the path, or `NULL` when the path is missing or
/// `null` (so the path must never cross an array), and a multi-valued
/// column's rows hold exactly the values found at the path with arrays
/// flattened (a `null` value may be a `NULL` row or no row). All values must
/// have the column's kind. Terms a column cannot answer exactly
/// (`field:null`) fall back to the document.
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
            Some(column) => match &column.rows {
                None => self.tests(&Node::Column(&column), &tests),
                Some(rows) => {
                    self.push(&format!(
                        "EXISTS (SELECT 1 FROM {} WHERE ({}) AND ",
                        rows.from, rows.filter
                    ));
                    self.tests(&Node::Column(&column), &tests);
                    self.push(")");
                }
            },
            None => self.field_path(&term.path, &tests),
        }
    }

    /// Whether the values at `path` pass `tests`, arrays flattened at every
    /// step (mirroring `eval::any_at_path`).
    ///
    /// The general form is a recursive walk. Most paths cross no array, so
    /// plain lookups first check that neither the document, nor any prefix
    /// of the path, nor the value is an array; then the value (or nothing,
    /// if a lookup fails) is the only candidate and is tested directly,
    /// about three times faster than the walk.
    fn field_path(&mut self, path: &Path, tests: &[Test<'_>]) {
        let doc = self.opts.doc_column;
        let n = path.segments.len();
        match self.opts.dialect {
            Dialect::Sqlite if path.segments.iter().all(|s| sqlite_label_ok(s)) => {
                // A one-row derived table holds the lookups, so the test can
                // name them without repeating `?` placeholders.
                self.push("(SELECT CASE WHEN bqf.ok THEN (");
                self.tests(&Node::sqlite("bqf.t", "bqf.v"), tests);
                self.push(") IS TRUE ELSE ");
                self.walk_path(path, tests);
                self.push(&format!(" END FROM (SELECT json_type({doc}) <> 'array'"));
                for i in 1..=n {
                    self.push(&format!(" AND coalesce(json_type({doc}, "));
                    let prefix = path.segments.get(..i).unwrap_or(&[]);
                    self.bind(SqlParam::Text(sqlite_path(prefix)));
                    self.push("), '') <> 'array'");
                }
                let full = sqlite_path(&path.segments);
                self.push(&format!(" AS ok, json_type({doc}, "));
                self.bind(SqlParam::Text(full.clone()));
                self.push(&format!(") AS t, json_extract({doc}, "));
                self.bind(SqlParam::Text(full));
                self.push(") AS v) AS bqf)");
            }
            Dialect::Sqlite => self.walk_path(path, tests),
            Dialect::Postgres => {
                // `$n` placeholders can repeat, so each key is bound once.
                let keys: Vec<String> = path
                    .segments
                    .iter()
                    .map(|seg| self.bind_reusable(SqlParam::Text(seg.clone())))
                    .collect();
                let mut value = format!("({doc})");
                self.push(&format!("(CASE WHEN jsonb_typeof({doc}) <> 'array'"));
                for key in &keys {
                    value = format!("{value} -> {key}");
                    self.push(&format!(
                        " AND coalesce(jsonb_typeof({value}), '') <> 'array'"
                    ));
                }
                self.push(" THEN (");
                self.tests(&Node::postgres(format!("({value})")), tests);
                self.push(") IS TRUE ELSE ");
                self.pg_walk(&keys, doc, tests);
                self.push(" END)");
            }
        }
    }

    /// The general SQLite walk: a recursive CTE over `json_each`.
    fn walk_path(&mut self, path: &Path, tests: &[Test<'_>]) {
        let doc = self.opts.doc_column;
        let depth = path.segments.len();
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
        self.tests(&Node::sqlite("bqw.t", "bqw.v"), tests);
        self.push(")");
    }

    /// The general PostgreSQL walk: a recursive CTE over
    /// `jsonb_array_elements`, with the key placeholders already bound.
    fn pg_walk(&mut self, keys: &[String], doc: &str, tests: &[Test<'_>]) {
        let depth = keys.len();
        let mut key = String::from("(CASE bqw.d");
        for (i, p) in keys.iter().enumerate() {
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
        self.tests(&Node::postgres("bqw.j"), tests);
        self.push(")");
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
                self.push(&format!(
                    "EXISTS (SELECT 1 FROM json_tree({doc}) AS bqt WHERE "
                ));
                self.tests(&Node::sqlite("bqt.type", "bqt.value"), &tests);
            }
            Dialect::Postgres => {
                // Scanning every value is slow; the document's text must
                // contain each literal piece, which is cheaper to check first
                // and can use a trigram index on the same expression.
                let needles = pg_needles(&lit.value);
                self.push("(");
                for needle in needles {
                    self.push(&format!("lower(({doc})::text COLLATE \"C\") LIKE "));
                    self.bind(SqlParam::Text(format!("%{}%", like_escape(&needle))));
                    self.push(" ESCAPE '!' AND ");
                }
                self.push(&format!(
                    "EXISTS (SELECT 1 FROM jsonb_path_query({doc}, 'strict $.**') AS bqt(j) WHERE "
                ));
                self.tests(&Node::postgres("bqt.j"), &tests);
                self.push(")");
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

/// Whether SQLite can address `key` as a quoted path label `"key"`: its
/// path parser ends a label at the first `"` and treats `\` specially.
fn sqlite_label_ok(key: &str) -> bool {
    !key.is_empty() && !key.contains(['"', '\\']) && !key.chars().any(char::is_control)
}

/// `$."a"."b"` for SQLite's path functions.
fn sqlite_path(segments: &[String]) -> String {
    let mut path = String::from("$");
    for seg in segments {
        path.push_str(".\"");
        path.push_str(seg);
        path.push('"');
    }
    path
}

/// Lowercased pieces of a bare term that any matching document's `jsonb`
/// text must contain. `jsonb` output escapes only `"`, `\` and control
/// characters, so a piece without them appears verbatim inside any string
/// that contains it. Numbers give none: `1e3` also matches `1000`.
fn pg_needles(value: &Value) -> Vec<String> {
    let verbatim = |s: &str| !s.contains(['"', '\\']) && !s.chars().any(char::is_control);
    let pieces: Vec<String> = match value {
        Value::Text(text) => vec![text.clone()],
        Value::Pattern(p) => p
            .parts
            .iter()
            .filter_map(|part| match part {
                PatternPart::Literal(lit) => Some(lit.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    pieces
        .into_iter()
        .filter(|piece| !piece.is_empty() && verbatim(piece))
        .map(|piece| piece.to_ascii_lowercase())
        .collect()
}

/// Escapes `LIKE` wildcards with `!` (the escape character used throughout).
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '!' | '%' | '_') {
            out.push('!');
        }
        out.push(c);
    }
    out
}
