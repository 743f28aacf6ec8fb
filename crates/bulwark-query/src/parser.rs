//! Recursive-descent parser for `searchTerm` (grammar in the crate docs).

use crate::MAX_DEPTH;
use crate::ast::{
    Bound, BoundValue, Condition, Expr, ExprKind, FieldTerm, Literal, Path, Query, Range, RangeEnd,
    Span, Value,
};
use crate::error::{ErrorKind, Expected, Found, PResult, ParseError, RawError};
use crate::lexer::{
    Cursor, Keyword, WordCtx, is_name_char, peek_keyword, require_path, scan_cmp_op, scan_path,
    scan_quoted, scan_word,
};
use crate::literal::{Classified, classify, parse_date, parse_number};

/// Parses a `searchTerm`. The empty string matches every document.
pub fn parse(input: &str) -> Result<Query, ParseError> {
    let mut parser = Parser {
        cur: Cursor::new(input),
    };
    parser.query().map_err(|e| e.into_parse_error(input))
}

/// Whether terms are being read at the top level or inside `field:( … )`,
/// where bare words are values of that field.
#[derive(Clone, Copy)]
enum Ctx<'p> {
    Top,
    Group(&'p Path),
}

pub(crate) struct Parser<'a> {
    pub(crate) cur: Cursor<'a>,
}

impl<'a> Parser<'a> {
    fn query(&mut self) -> PResult<Query> {
        self.cur.skip_ws();
        if self.cur.at_end() {
            return Ok(Query { root: None });
        }
        let root = self.or_expr(Ctx::Top, 0, None)?;
        self.cur.skip_ws();
        if self.cur.at_end() {
            return Ok(Query { root: Some(root) });
        }
        // `or_expr` stops only at the end, at `)` (unmatched at top level).
        let (found, span) = self.cur.found();
        match found {
            Found::Token(t) if t == ")" => Err(RawError::new(ErrorKind::UnmatchedParen, span)),
            _ => Err(RawError::unexpected(
                Expected::Term { after: None },
                (found, span),
            )),
        }
    }

    /// `or_expr = and_expr (OR and_expr)*`
    fn or_expr(&mut self, ctx: Ctx<'_>, depth: usize, after: Option<String>) -> PResult<Expr> {
        let mut items = vec![self.and_expr(ctx, depth, after)?];
        loop {
            let save = self.cur.pos();
            self.cur.skip_ws();
            match peek_keyword(&self.cur, false) {
                Some((Keyword::Or, span)) => {
                    self.cur.reset(span.end);
                    let kw = self.cur.slice(span).to_string();
                    items.push(self.and_expr(ctx, depth, Some(kw))?);
                }
                _ => {
                    self.cur.reset(save);
                    return Ok(nary(items, true));
                }
            }
        }
    }

    /// `and_expr = not_expr ((AND)? not_expr)*` — juxtaposition means `and`.
    fn and_expr(&mut self, ctx: Ctx<'_>, depth: usize, after: Option<String>) -> PResult<Expr> {
        let mut items = vec![self.not_expr(ctx, depth, after)?];
        loop {
            let save = self.cur.pos();
            self.cur.skip_ws();
            if self.cur.at_end() || self.cur.peek() == Some(')') {
                self.cur.reset(save);
                break;
            }
            match peek_keyword(&self.cur, false) {
                Some((Keyword::Or, _)) => {
                    self.cur.reset(save);
                    break;
                }
                Some((Keyword::And, span)) => {
                    self.cur.reset(span.end);
                    let kw = self.cur.slice(span).to_string();
                    items.push(self.not_expr(ctx, depth, Some(kw))?);
                }
                _ => items.push(self.not_expr(ctx, depth, None)?),
            }
        }
        Ok(nary(items, false))
    }

    /// `not_expr = NOT not_expr | primary`
    fn not_expr(&mut self, ctx: Ctx<'_>, depth: usize, after: Option<String>) -> PResult<Expr> {
        self.cur.skip_ws();
        if let Some((Keyword::Not, span)) = peek_keyword(&self.cur, false) {
            check_depth(depth, span)?;
            self.cur.reset(span.end);
            let kw = self.cur.slice(span).to_string();
            let inner = self.not_expr(ctx, depth + 1, Some(kw))?;
            let span = span.join(inner.span);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.primary(ctx, depth, after)
    }

    /// `primary = "(" or_expr ")" | term`
    fn primary(&mut self, ctx: Ctx<'_>, depth: usize, after: Option<String>) -> PResult<Expr> {
        let start = self.cur.pos();
        match self.cur.peek() {
            None | Some(')') => {
                return Err(RawError::unexpected(
                    Expected::Term { after },
                    self.cur.found(),
                ));
            }
            Some('(') => return self.group(ctx, depth),
            _ => {}
        }
        if let Some((Keyword::And | Keyword::Or, _)) = peek_keyword(&self.cur, false) {
            return Err(RawError::unexpected(
                Expected::Term { after },
                self.cur.found(),
            ));
        }
        match ctx {
            Ctx::Top => self.top_term(depth),
            Ctx::Group(path) => {
                let condition = self.condition(path)?;
                Ok(field_expr(
                    path.clone(),
                    condition,
                    self.cur.span_from(start),
                ))
            }
        }
    }

    /// `"(" or_expr ")"`, at the `(`.
    fn group(&mut self, ctx: Ctx<'_>, depth: usize) -> PResult<Expr> {
        let start = self.cur.pos();
        check_depth(depth, Span::new(start, start + 1))?;
        self.cur.bump();
        let inner = self.or_expr(ctx, depth + 1, Some("(".to_string()))?;
        self.cur.skip_ws();
        if !self.cur.eat(')') {
            let column = self.cur.column_of(start);
            return Err(RawError::unexpected(
                Expected::CloseParen { column },
                self.cur.found(),
            ));
        }
        Ok(Expr {
            kind: inner.kind,
            span: self.cur.span_from(start),
        })
    }

    /// A term at the top level: a field term, `_exists_:field`, `*` or a
    /// bare value. Field names and bare words overlap (`a.b` is either), so
    /// a path is read first and the character after it decides.
    fn top_term(&mut self, depth: usize) -> PResult<Expr> {
        let start = self.cur.pos();
        let first = self.cur.peek();
        if first.is_some_and(|c| c == '"' || is_name_char(c))
            && let Some(scanned) = scan_path(&mut self.cur)?
        {
            let path = scanned.path;
            let field = self.cur.slice(path.span).to_string();
            let after_path = self.cur.pos();
            match self.cur.peek() {
                Some(':') => {
                    self.cur.bump();
                    if path.segments == ["_exists_"] && !scanned.single_quoted {
                        self.cur.skip_ws();
                        let target = require_path(&mut self.cur, "_exists_:")?;
                        return Ok(field_expr(
                            target,
                            Condition::Exists,
                            self.cur.span_from(start),
                        ));
                    }
                    self.cur.skip_ws();
                    return self.field_value(path, start, depth);
                }
                Some('=') => return Err(equals_error(&field, "=", after_path)),
                Some('!') if self.cur.peek_second() == Some('=') => {
                    return Err(equals_error(&field, "!=", after_path));
                }
                Some('>' | '<') => return self.comparison(path, start),
                Some('.') if self.cur.peek_second() == Some(':') => {
                    self.cur.bump();
                    return Err(RawError::unexpected(
                        Expected::FieldName {
                            after: format!("{field}."),
                        },
                        self.cur.found(),
                    ));
                }
                _ => {}
            }
            // `size >= 10` is allowed; `size :10` is a mistake worth naming.
            if self.cur.skip_ws() {
                match self.cur.peek() {
                    Some('>' | '<') => return self.comparison(path, start),
                    Some(':') => {
                        return Err(RawError::new(
                            ErrorKind::SpaceBeforeColon { field },
                            Span::new(after_path, self.cur.pos()),
                        ));
                    }
                    _ => {}
                }
                self.cur.reset(after_path);
            }
            if scanned.single_quoted {
                let text = path.segments.into_iter().next().unwrap_or_default();
                return Ok(full_text(Value::Text(text), path.span));
            }
            self.cur.reset(start);
        }
        if let Some(op) = first.and_then(misplaced_operator) {
            let (_, span) = self.cur.found();
            return Err(RawError::new(
                ErrorKind::MissingField {
                    op: op.0.to_string(),
                    example: op.1.to_string(),
                },
                span,
            ));
        }
        let word = scan_word(&mut self.cur, WordCtx::Term)?;
        match classify(&word)? {
            Classified::Star => Ok(Expr {
                kind: ExprKind::MatchAll,
                span: word.span,
            }),
            Classified::Keyword(k) => Err(RawError::new(
                ErrorKind::Unexpected {
                    expected: Expected::Term { after: None },
                    found: Found::Keyword(k),
                },
                word.span,
            )),
            Classified::Value(value) => Ok(full_text(bare_value(value), word.span)),
        }
    }

    /// What follows `field:` (whitespace already skipped).
    fn field_value(&mut self, path: Path, start: usize, depth: usize) -> PResult<Expr> {
        match self.cur.peek() {
            None | Some(')') => {
                let field = self.cur.slice(path.span).to_string();
                Err(RawError::unexpected(
                    Expected::Value { field },
                    self.cur.found(),
                ))
            }
            Some('(') => {
                let mut expr = self.group(Ctx::Group(&path), depth)?;
                expr.span = self.cur.span_from(start);
                Ok(expr)
            }
            _ => {
                let condition = self.condition(&path)?;
                Ok(field_expr(path, condition, self.cur.span_from(start)))
            }
        }
    }

    /// A value, comparison or range for `path` (after `path:` or inside a
    /// field group).
    fn condition(&mut self, path: &Path) -> PResult<Condition> {
        let field: &'a str = self.cur.slice(path.span);
        match self.cur.peek() {
            Some('"') => {
                let (text, span) = scan_quoted(&mut self.cur)?;
                Ok(Condition::Equals(Literal {
                    value: Value::Text(text),
                    span,
                }))
            }
            Some('>' | '<') => {
                let Some((op, op_span)) = scan_cmp_op(&mut self.cur) else {
                    let field = field.to_string();
                    return Err(RawError::unexpected(
                        Expected::Value { field },
                        self.cur.found(),
                    ));
                };
                self.cur.skip_ws();
                let bound = self.bound(self.cur.slice(op_span))?;
                Ok(Condition::Compare { op, bound })
            }
            Some('[' | '{') => self.range(path),
            _ => {
                let field = field.to_string();
                let word = scan_word(&mut self.cur, WordCtx::Term)?;
                if word.chars.is_empty() {
                    return Err(RawError::unexpected(
                        Expected::Value { field },
                        self.cur.found(),
                    ));
                }
                match classify(&word)? {
                    Classified::Star => Ok(Condition::Exists),
                    Classified::Keyword(k) => Err(RawError::new(
                        ErrorKind::Unexpected {
                            expected: Expected::Value { field },
                            found: Found::Keyword(k),
                        },
                        word.span,
                    )),
                    Classified::Value(value) => Ok(Condition::Equals(Literal {
                        value,
                        span: word.span,
                    })),
                }
            }
        }
    }

    /// `path cmp_op bound`, at the operator (possibly after whitespace).
    fn comparison(&mut self, path: Path, start: usize) -> PResult<Expr> {
        let field = self.cur.slice(path.span).to_string();
        let Some((op, op_span)) = scan_cmp_op(&mut self.cur) else {
            return Err(RawError::unexpected(
                Expected::Value { field },
                self.cur.found(),
            ));
        };
        self.cur.skip_ws();
        let bound = self.bound(self.cur.slice(op_span))?;
        Ok(field_expr(
            path,
            Condition::Compare { op, bound },
            self.cur.span_from(start),
        ))
    }

    /// A number or date after a comparison operator.
    fn bound(&mut self, op: &str) -> PResult<Bound> {
        let expected = || Expected::Bound { op: op.to_string() };
        if matches!(self.cur.peek(), None | Some('(' | ')' | '"')) {
            return Err(RawError::unexpected(expected(), self.cur.found()));
        }
        let before = self.cur.clone();
        let word = scan_word(&mut self.cur, WordCtx::Term)?;
        bound_of(&word).unwrap_or_else(|| Err(RawError::unexpected(expected(), before.found())))
    }

    /// `("[" | "{") bound TO bound ("]" | "}")`, at the bracket.
    fn range(&mut self, path: &Path) -> PResult<Condition> {
        let open = self.cur.pos();
        let lower_inclusive = self.cur.bump() == Some('[');
        self.cur.skip_ws();
        let lower = self.range_bound()?;
        let had_space = self.cur.skip_ws();
        match peek_keyword(&self.cur, true) {
            Some((Keyword::To, span)) if had_space => self.cur.reset(span.end),
            _ => return Err(RawError::unexpected(Expected::RangeTo, self.cur.found())),
        }
        self.cur.skip_ws();
        let upper = self.range_bound()?;
        self.cur.skip_ws();
        let upper_inclusive = match self.cur.peek() {
            Some(']') => true,
            Some('}') => false,
            _ => {
                let column = self.cur.column_of(open);
                return Err(RawError::unexpected(
                    Expected::RangeClose { column },
                    self.cur.found(),
                ));
            }
        };
        self.cur.bump();
        let span = self.cur.span_from(open);
        if let (Some(lo), Some(hi)) = (&lower, &upper) {
            let same_kind = matches!(
                (&lo.value, &hi.value),
                (BoundValue::Number(_), BoundValue::Number(_))
                    | (BoundValue::Date(_), BoundValue::Date(_))
            );
            if !same_kind {
                return Err(RawError::new(
                    ErrorKind::RangeMismatch {
                        lower: lo.value.raw().to_string(),
                        upper: hi.value.raw().to_string(),
                    },
                    span,
                ));
            }
        }
        if lower.is_none() && upper.is_none() {
            let field = self.cur.slice(path.span).to_string();
            return Err(RawError::new(ErrorKind::RangeUnbounded { field }, span));
        }
        Ok(Condition::Range(Range {
            lower: lower.map(|bound| RangeEnd {
                bound,
                inclusive: lower_inclusive,
            }),
            upper: upper.map(|bound| RangeEnd {
                bound,
                inclusive: upper_inclusive,
            }),
        }))
    }

    /// A range bound; `None` for `*`.
    fn range_bound(&mut self) -> PResult<Option<Bound>> {
        if matches!(self.cur.peek(), None | Some('(' | ')' | '"' | ']' | '}')) {
            return Err(RawError::unexpected(Expected::RangeBound, self.cur.found()));
        }
        let before = self.cur.clone();
        let word = scan_word(&mut self.cur, WordCtx::RangeBound)?;
        if word.chars == [('*', false)] {
            return Ok(None);
        }
        if word.chars.is_empty() {
            return Err(RawError::unexpected(Expected::RangeBound, before.found()));
        }
        bound_of(&word)
            .unwrap_or_else(|| Err(RawError::unexpected(Expected::RangeBound, before.found())))
            .map(Some)
    }
}

/// Reads a word as a number or date; `None` if it is neither.
fn bound_of(word: &crate::lexer::Word) -> Option<PResult<Bound>> {
    if word.has_escapes() {
        return None;
    }
    let text = word.text();
    let value = parse_number(&text)
        .map(|r| r.map(BoundValue::Number))
        .or_else(|| parse_date(&text).map(|r| r.map(BoundValue::Date)))?;
    Some(
        value
            .map(|value| Bound {
                value,
                span: word.span,
            })
            .map_err(|kind| RawError::new(kind, word.span)),
    )
}

fn check_depth(depth: usize, span: Span) -> PResult<()> {
    if depth >= MAX_DEPTH {
        return Err(RawError::new(ErrorKind::TooDeep { max: MAX_DEPTH }, span));
    }
    Ok(())
}

/// Operators that cannot start a term, with an example of their use.
fn misplaced_operator(c: char) -> Option<(&'static str, &'static str)> {
    match c {
        '>' => Some((">", "size>10")),
        '<' => Some(("<", "size<10")),
        '=' => Some(("=", "name:value")),
        ':' => Some((":", "name:value")),
        '[' => Some(("[", "size:[1 TO 10]")),
        '{' => Some(("{", "size:{1 TO 10}")),
        _ => None,
    }
}

fn equals_error(field: &str, op: &str, at: usize) -> RawError {
    let suggestion = if op == "=" {
        format!("{field}:value")
    } else {
        format!("not {field}:value")
    };
    RawError::new(
        ErrorKind::EqualsOperator {
            op: op.to_string(),
            suggestion,
        },
        Span::new(at, at + op.len()),
    )
}

fn field_expr(path: Path, condition: Condition, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Field(FieldTerm { path, condition }),
        span,
    }
}

fn full_text(value: Value, span: Span) -> Expr {
    Expr {
        kind: ExprKind::FullText(Literal { value, span }),
        span,
    }
}

/// Bare terms search text, so dates, booleans and `null` are just their words.
fn bare_value(value: Value) -> Value {
    match value {
        Value::Date(d) => Value::Text(d.raw().to_string()),
        Value::Bool(true) => Value::Text("true".into()),
        Value::Bool(false) => Value::Text("false".into()),
        Value::Null => Value::Text("null".into()),
        other => other,
    }
}

/// Builds `And`/`Or` from its items, splicing in children of the same kind
/// so the tree is canonical.
pub(crate) fn nary(items: Vec<Expr>, is_or: bool) -> Expr {
    let span = match (items.first(), items.last()) {
        (Some(a), Some(b)) => a.span.join(b.span),
        _ => Span::default(),
    };
    let mut children = Vec::with_capacity(items.len());
    for item in items {
        match item.kind {
            ExprKind::Or(inner) if is_or => children.extend(inner),
            ExprKind::And(inner) if !is_or => children.extend(inner),
            kind => children.push(Expr {
                kind,
                span: item.span,
            }),
        }
    }
    if children.len() == 1
        && let Some(only) = children.pop()
    {
        return only;
    }
    let kind = if is_or {
        ExprKind::Or(children)
    } else {
        ExprKind::And(children)
    };
    Expr { kind, span }
}
