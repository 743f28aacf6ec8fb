//! The syntax tree produced by [`parse`](crate::parse) and
//! [`parse_filters`](crate::parse_filters).
//!
//! Every node that stands for a piece of the input carries a [`Span`] (byte
//! offsets into that input), so callers can point at the part of a query a
//! message is about.

use std::cmp::Ordering;

/// A byte range `start..end` in the parsed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// Creates a span from byte offsets.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span that covers both `self` and `other`.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A parsed `searchTerm`.
///
/// An empty (or all-whitespace) query has no root and matches every document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// The top-level expression, `None` for the empty query.
    pub root: Option<Expr>,
}

/// One node of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the node tests.
    pub kind: ExprKind,
    /// The input this node was parsed from (including any parentheses).
    pub span: Span,
}

/// The kinds of query nodes.
///
/// The parser keeps the tree canonical: `And` and `Or` have at least two
/// children and never have a direct child of their own kind, so
/// `a or (b or c)` and `a or b or c` give the same tree.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// Every child matches.
    And(Vec<Expr>),
    /// At least one child matches.
    Or(Vec<Expr>),
    /// The child does not match.
    Not(Box<Expr>),
    /// `*` on its own: matches every document.
    MatchAll,
    /// A bare term without `field:`, searched in every value of the document.
    ///
    /// Only [`Value::Text`], [`Value::Pattern`] and [`Value::Number`] occur
    /// here: bare dates, booleans and `null` are plain text.
    FullText(Literal),
    /// A test on the values at one field path.
    Field(FieldTerm),
}

/// `path` plus a condition on the values found there, e.g. `tags.name:prod*`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldTerm {
    /// The field path.
    pub path: Path,
    /// What the values at the path must satisfy.
    pub condition: Condition,
}

/// A dotted field path such as `tags.name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The object keys, outermost first. Never empty.
    pub segments: Vec<String>,
    /// Where the path was written.
    pub span: Span,
}

impl Path {
    /// Builds a path from its segments with an empty span.
    pub fn new<S: Into<String>>(segments: impl IntoIterator<Item = S>) -> Self {
        Self {
            segments: segments.into_iter().map(Into::into).collect(),
            span: Span::default(),
        }
    }
}

/// The test a [`FieldTerm`] applies to each value found at its path.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `field:*` or `_exists_:field`: some value is present and not `null`.
    Exists,
    /// `field:value`: some value equals (or, for patterns, matches) the literal.
    Equals(Literal),
    /// `field>bound`, `field>=bound`, `field<bound`, `field<=bound`.
    Compare {
        /// The operator.
        op: CmpOp,
        /// The right-hand side.
        bound: Bound,
    },
    /// `field:[low TO high]` with `[`/`]` inclusive and `{`/`}` exclusive.
    Range(Range),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl CmpOp {
    /// The operator as written in a query.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }

    /// Whether `value.cmp(bound) == ordering` satisfies the operator.
    pub fn accepts(self, ordering: Ordering) -> bool {
        match self {
            CmpOp::Gt => ordering == Ordering::Greater,
            CmpOp::Ge => ordering != Ordering::Less,
            CmpOp::Lt => ordering == Ordering::Less,
            CmpOp::Le => ordering != Ordering::Greater,
        }
    }
}

/// A range with at least one bound; both bounds have the same kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// The lower end, `None` for `*`.
    pub lower: Option<RangeEnd>,
    /// The upper end, `None` for `*`.
    pub upper: Option<RangeEnd>,
}

/// One end of a [`Range`].
#[derive(Debug, Clone, PartialEq)]
pub struct RangeEnd {
    /// The bound value.
    pub bound: Bound,
    /// `[`/`]` (true) or `{`/`}` (false).
    pub inclusive: bool,
}

impl RangeEnd {
    /// The comparison this end imposes, as the lower or upper end.
    pub fn op(&self, is_lower: bool) -> CmpOp {
        match (is_lower, self.inclusive) {
            (true, true) => CmpOp::Ge,
            (true, false) => CmpOp::Gt,
            (false, true) => CmpOp::Le,
            (false, false) => CmpOp::Lt,
        }
    }
}

/// The right-hand side of a comparison or one end of a range.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The value.
    pub value: BoundValue,
    /// Where it was written.
    pub span: Span,
}

/// A value that can be ordered against document values.
#[derive(Debug, Clone, PartialEq)]
pub enum BoundValue {
    /// Compared with JSON numbers.
    Number(Number),
    /// Compared with ISO-8601 date strings.
    Date(Date),
}

impl BoundValue {
    /// The value as written.
    pub fn raw(&self) -> &str {
        match self {
            BoundValue::Number(n) => &n.raw,
            BoundValue::Date(d) => d.raw(),
        }
    }
}

/// A value in a query, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// The value.
    pub value: Value,
    /// Where it was written.
    pub span: Span,
}

/// A query value. Unquoted words are classified by their form; quoted
/// phrases are always [`Value::Text`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Plain text: matches strings equal to it, ignoring ASCII case.
    Text(String),
    /// A word with `*` or `?`: matches whole strings, ignoring ASCII case.
    Pattern(Pattern),
    /// A number: matches equal numbers and strings equal to the raw text.
    Number(Number),
    /// A date: matches strings that start with it.
    Date(Date),
    /// `true`/`false` in any case: matches that boolean and strings equal to the word.
    Bool(bool),
    /// `null` in any case: matches JSON `null` and the string `null`.
    Null,
}

/// A wildcard pattern such as `prod-*` or `i-????`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    /// The pieces in order; literal pieces are never empty.
    pub parts: Vec<PatternPart>,
}

/// One piece of a [`Pattern`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PatternPart {
    /// Characters matched literally (ignoring ASCII case).
    Literal(String),
    /// `*`: any run of characters, including none.
    AnyString,
    /// `?`: exactly one character.
    AnyChar,
}

/// A number literal, keeping the text it was written as.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The number as written, e.g. `080` or `1.5e3`.
    pub raw: String,
    /// Its value.
    pub value: NumberValue,
}

/// The value of a [`Number`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberValue {
    /// Written without fraction or exponent and fits in an `i64`.
    Int(i64),
    /// Anything else (always finite).
    Float(f64),
}

impl NumberValue {
    /// The value as a float.
    pub fn as_f64(self) -> f64 {
        match self {
            NumberValue::Int(i) => i as f64,
            NumberValue::Float(f) => f,
        }
    }
}

/// A date or date-time literal in ISO-8601 form, UTC, e.g. `2024-01`,
/// `2024-01-31` or `2024-01-31T10:30:00Z`.
///
/// The date denotes everything that starts with it: `2024-01-31` is the whole
/// day, so `createdAt<=2024-01-31` includes `2024-01-31T23:59:59Z`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Date {
    raw: String,
}

impl Date {
    /// Wraps text the caller has already validated (see `literal::parse_date`).
    pub(crate) fn new_unchecked(raw: String) -> Self {
        Self { raw }
    }

    /// The date as written.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The prefix that stored values are compared with: the raw text
    /// without a trailing `Z`. Always ASCII and ends with a digit.
    pub fn key(&self) -> &str {
        self.raw.strip_suffix('Z').unwrap_or(&self.raw)
    }
}

/// A parsed `filters` parameter: `key=v1,v2;key2=v3`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filters {
    /// The clauses, all of which must match.
    pub clauses: Vec<FilterClause>,
}

/// One `key=v1,v2` clause: any of the values must match.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterClause {
    /// The field path.
    pub path: Path,
    /// The alternatives; never empty. Only [`Condition::Exists`] and
    /// [`Condition::Equals`] occur.
    pub values: Vec<Condition>,
    /// Where the clause was written.
    pub span: Span,
}
