//! Parse errors: what went wrong and where.
//!
//! Messages follow the workspace convention: lowercase, no trailing period,
//! user input in backticks.

use std::fmt;

use crate::ast::Span;

/// A query or filter that could not be parsed.
///
/// `Display` gives a complete message such as
/// ``expected a value after `size:`, found end of input at column 6``.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at {}", Location { line: *line, column: *column })]
pub struct ParseError {
    kind: ErrorKind,
    span: Span,
    line: usize,
    column: usize,
}

impl ParseError {
    /// Builds an error for `span` of `input`, computing line and column.
    pub(crate) fn new(kind: ErrorKind, span: Span, input: &str) -> Self {
        let before = input.get(..span.start).unwrap_or(input);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Self {
            kind,
            span,
            line,
            column,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The offending input, as byte offsets (empty at the end of input).
    pub fn span(&self) -> Span {
        self.span
    }

    /// Byte offset of the error.
    pub fn offset(&self) -> usize {
        self.span.start
    }

    /// 1-based line of the error.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column of the error, counted in characters within its line.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The message without the location.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

struct Location {
    line: usize,
    column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 1 {
            write!(f, "column {}", self.column)
        } else {
            write!(f, "line {}, column {}", self.line, self.column)
        }
    }
}

/// The kinds of parse errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Something other than what the grammar allows at this point.
    #[error("expected {expected}, found {found}")]
    Unexpected {
        /// What would have been valid.
        expected: Expected,
        /// What was there instead.
        found: Found,
    },
    /// A `"` without its closing `"`.
    #[error("missing closing `\"` for the text quoted here")]
    UnterminatedQuote,
    /// A `\` at the very end of the input.
    #[error("expected a character after `\\`, found end of input")]
    DanglingEscape,
    /// A `"` in the middle of a word.
    #[error(
        "unexpected `\"` inside a word; put a space before the quoted text or escape it as `\\\"`"
    )]
    QuoteInWord,
    /// A `)` that closes nothing.
    #[error("`)` has no matching `(`")]
    UnmatchedParen,
    /// A number too large to represent.
    #[error("number `{0}` is out of range")]
    NumberOutOfRange(String),
    /// A date-shaped value that is not a real date.
    #[error("invalid date `{text}`: {reason}")]
    InvalidDate {
        /// The date as written.
        text: String,
        /// Which part is wrong.
        reason: String,
    },
    /// A date with a UTC offset such as `+02:00`.
    #[error("date `{0}` has a UTC offset; write it in UTC, ending in `Z` or with no zone")]
    DateOffset(String),
    /// A range whose bounds are a number and a date.
    #[error("range bounds `{lower}` and `{upper}` must both be numbers or both be dates")]
    RangeMismatch {
        /// The lower bound as written.
        lower: String,
        /// The upper bound as written.
        upper: String,
    },
    /// `[* TO *]`.
    #[error("a range needs at least one bound; use `{field}:*` to test that a field exists")]
    RangeUnbounded {
        /// The field the range was applied to.
        field: String,
    },
    /// `field=value` or `field!=value` in a `searchTerm`.
    #[error("`{op}` is not an operator; use `{suggestion}`")]
    EqualsOperator {
        /// `=` or `!=`.
        op: String,
        /// The query to write instead.
        suggestion: String,
    },
    /// `field :value`.
    #[error("unexpected space between `{field}` and `:`")]
    SpaceBeforeColon {
        /// The field as written.
        field: String,
    },
    /// An operator, range or `:` without a field name before it.
    #[error("`{op}` must follow a field name, as in `{example}`")]
    MissingField {
        /// The operator as written.
        op: String,
        /// A valid example.
        example: String,
    },
    /// Nesting of parentheses and `not` beyond [`MAX_DEPTH`](crate::MAX_DEPTH).
    #[error("the query is nested more than {max} levels deep")]
    TooDeep {
        /// The limit.
        max: usize,
    },
}

/// What the parser expected, for [`ErrorKind::Unexpected`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// A term, at the start or after `(`, `and`, `or` or `not`.
    Term {
        /// The token before, as written.
        after: Option<String>,
    },
    /// A value after `field:`.
    Value {
        /// The field as written.
        field: String,
    },
    /// A number or date after a comparison operator.
    Bound {
        /// The operator.
        op: String,
    },
    /// A range bound.
    RangeBound,
    /// The `TO` of a range.
    RangeTo,
    /// The end of a range.
    RangeClose {
        /// 1-based column of the `[` or `{`.
        column: usize,
    },
    /// The `)` of a group.
    CloseParen {
        /// 1-based column of the `(`.
        column: usize,
    },
    /// A field name.
    FieldName {
        /// The token before, as written.
        after: String,
    },
    /// The key of a filter clause.
    FilterKey,
    /// The `=` after a filter key.
    FilterEquals {
        /// The key as written.
        key: String,
    },
    /// A filter value.
    FilterValue {
        /// The key as written.
        key: String,
    },
    /// `,` or `;` between filter values.
    FilterSeparator,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Term { after: None } => f.write_str("a search term"),
            Expected::Term { after: Some(a) } => write!(f, "a search term after `{a}`"),
            Expected::Value { field } => write!(f, "a value after `{field}:`"),
            Expected::Bound { op } => write!(f, "a number or a date after `{op}`"),
            Expected::RangeBound => f.write_str("a number, a date or `*` as range bound"),
            Expected::RangeTo => f.write_str("`TO` between the range bounds"),
            Expected::RangeClose { column } => {
                write!(
                    f,
                    "`]` or `}}` to close the range opened at column {column}"
                )
            }
            Expected::CloseParen { column } => write!(f, "`)` to close the `(` at column {column}"),
            Expected::FieldName { after } => write!(f, "a field name after `{after}`"),
            Expected::FilterKey => f.write_str("a filter key"),
            Expected::FilterEquals { key } => write!(f, "`=` after the filter key `{key}`"),
            Expected::FilterValue { key } => write!(f, "a value after `{key}=`"),
            Expected::FilterSeparator => f.write_str("`,` or `;` after a filter value"),
        }
    }
}

/// What the parser found instead, for [`ErrorKind::Unexpected`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The input ended.
    EndOfInput,
    /// A keyword (`and`, `or`, `not`) where a value or term belongs.
    Keyword(String),
    /// Any other token, as written (long words are shortened).
    Token(String),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::EndOfInput => f.write_str("end of input"),
            Found::Keyword(k) => write!(
                f,
                "keyword `{k}` (quote it, as in `\"{k}\"`, to search for the word)"
            ),
            Found::Token(t) => write!(f, "`{t}`"),
        }
    }
}

/// An error before line/column are known; turned into [`ParseError`] at the
/// API boundary, where the whole input is at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawError {
    pub kind: ErrorKind,
    pub span: Span,
}

impl RawError {
    pub(crate) fn new(kind: ErrorKind, span: Span) -> Self {
        Self { kind, span }
    }

    pub(crate) fn unexpected(expected: Expected, found: (Found, Span)) -> Self {
        Self::new(
            ErrorKind::Unexpected {
                expected,
                found: found.0,
            },
            found.1,
        )
    }

    pub(crate) fn into_parse_error(self, input: &str) -> ParseError {
        ParseError::new(self.kind, self.span, input)
    }
}

pub(crate) type PResult<T> = Result<T, RawError>;
