//! The `filters` parameter: `key=v1,v2;key2=v3`.
//!
//! A comma separates alternatives for one key (or), a semicolon separates
//! clauses (and). Values mean what they mean after `key:` in a `searchTerm`,
//! except that they may contain spaces and parentheses and that the words
//! `and`, `or` and `not` are plain text.

use crate::ast::{
    Condition, Expr, ExprKind, FieldTerm, FilterClause, Filters, Literal, Query, Span, Value,
};
use crate::error::{Expected, PResult, ParseError, RawError};
use crate::lexer::{Cursor, WordCtx, scan_path, scan_quoted, scan_word};
use crate::literal::{Classified, classify};
use crate::parser::nary;

/// Parses a `filters` parameter. Empty clauses (`a=1;;b=2`, a trailing `;`)
/// are ignored; the empty string matches every document.
pub fn parse_filters(input: &str) -> Result<Filters, ParseError> {
    filters(&mut Cursor::new(input)).map_err(|e| e.into_parse_error(input))
}

fn filters(cur: &mut Cursor<'_>) -> PResult<Filters> {
    let mut clauses = Vec::new();
    loop {
        cur.skip_ws();
        if cur.at_end() {
            return Ok(Filters { clauses });
        }
        if cur.eat(';') {
            continue;
        }
        clauses.push(clause(cur)?);
    }
}

/// `key "=" value ("," value)*`, consuming the `;` after it if any.
fn clause(cur: &mut Cursor<'_>) -> PResult<FilterClause> {
    let start = cur.pos();
    let Some(path) = scan_path(cur)? else {
        return Err(RawError::unexpected(Expected::FilterKey, cur.found()));
    };
    let path = path.path;
    let key = cur.slice(path.span).to_string();
    cur.skip_ws();
    if !cur.eat('=') {
        return Err(RawError::unexpected(
            Expected::FilterEquals { key },
            cur.found(),
        ));
    }
    let mut values = Vec::new();
    loop {
        cur.skip_ws();
        values.push(value(cur, &key)?);
        let end = cur.pos();
        cur.skip_ws();
        match cur.peek() {
            Some(',') => {
                cur.bump();
            }
            Some(';') | None => {
                cur.eat(';');
                return Ok(FilterClause {
                    path,
                    values,
                    span: Span::new(start, end),
                });
            }
            Some(_) => return Err(RawError::unexpected(Expected::FilterSeparator, cur.found())),
        }
    }
}

fn value(cur: &mut Cursor<'_>, key: &str) -> PResult<Condition> {
    if cur.peek() == Some('"') {
        let (text, span) = scan_quoted(cur)?;
        return Ok(Condition::Equals(Literal {
            value: Value::Text(text),
            span,
        }));
    }
    let word = scan_word(cur, WordCtx::Filter)?;
    if word.chars.is_empty() {
        return Err(RawError::unexpected(
            Expected::FilterValue {
                key: key.to_string(),
            },
            cur.found(),
        ));
    }
    Ok(match classify(&word)? {
        Classified::Star => Condition::Exists,
        Classified::Keyword(text) => Condition::Equals(Literal {
            value: Value::Text(text),
            span: word.span,
        }),
        Classified::Value(value) => Condition::Equals(Literal {
            value,
            span: word.span,
        }),
    })
}

impl Filters {
    /// The equivalent query: clauses joined with `and`, the values of a
    /// clause with `or`.
    pub fn to_query(&self) -> Query {
        let clauses: Vec<Expr> = self
            .clauses
            .iter()
            .map(|clause| {
                let alternatives = clause
                    .values
                    .iter()
                    .map(|condition| Expr {
                        kind: ExprKind::Field(FieldTerm {
                            path: clause.path.clone(),
                            condition: condition.clone(),
                        }),
                        span: clause.span,
                    })
                    .collect();
                nary(alternatives, true)
            })
            .collect();
        Query {
            root: (!clauses.is_empty()).then(|| nary(clauses, false)),
        }
    }
}

impl From<Filters> for Query {
    fn from(filters: Filters) -> Self {
        filters.to_query()
    }
}
