//! Canonical text for queries: `parse(query.to_string())` gives back the same
//! tree (up to spans). Quotes and escapes are added only where needed.

use std::fmt::{self, Display, Formatter, Write};

use crate::ast::{
    Bound, Condition, Expr, ExprKind, FieldTerm, Path, Pattern, PatternPart, Query, Value,
};
use crate::lexer::{is_keyword, is_name_char};
use crate::literal::reads_as_text;

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.root {
            Some(root) => root.fmt(f),
            None => Ok(()),
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            // `and` binds tighter than `or`; a nested node of the same kind
            // only occurs in hand-built trees, and keeps its parentheses.
            ExprKind::And(items) => join(f, items, " and ", |e| {
                matches!(e.kind, ExprKind::Or(_) | ExprKind::And(_))
            }),
            ExprKind::Or(items) => join(f, items, " or ", |e| matches!(e.kind, ExprKind::Or(_))),
            ExprKind::Not(inner) => {
                f.write_str("not ")?;
                write_child(
                    f,
                    inner,
                    matches!(inner.kind, ExprKind::And(_) | ExprKind::Or(_)),
                )
            }
            ExprKind::MatchAll => f.write_char('*'),
            ExprKind::FullText(lit) => write_value(f, &lit.value, Position::Bare),
            ExprKind::Field(term) => term.fmt(f),
        }
    }
}

fn join(
    f: &mut Formatter<'_>,
    items: &[Expr],
    sep: &str,
    needs_parens: impl Fn(&Expr) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write_child(f, item, needs_parens(item))?;
    }
    Ok(())
}

fn write_child(f: &mut Formatter<'_>, e: &Expr, parens: bool) -> fmt::Result {
    if parens { write!(f, "({e})") } else { e.fmt(f) }
}

impl Display for FieldTerm {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.path.fmt(f)?;
        match &self.condition {
            Condition::Exists => f.write_str(":*"),
            Condition::Equals(lit) => {
                f.write_char(':')?;
                write_value(f, &lit.value, Position::Field)
            }
            Condition::Compare { op, bound } => write!(f, "{}{}", op.as_str(), bound),
            Condition::Range(range) => {
                let (open, lower) = match &range.lower {
                    Some(end) => (if end.inclusive { '[' } else { '{' }, end.bound.to_string()),
                    None => ('[', "*".to_string()),
                };
                let (close, upper) = match &range.upper {
                    Some(end) => (if end.inclusive { ']' } else { '}' }, end.bound.to_string()),
                    None => (']', "*".to_string()),
                };
                write!(f, ":{open}{lower} TO {upper}{close}")
            }
        }
    }
}

impl Display for Bound {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.value.raw())
    }
}

impl Display for Path {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_char('.')?;
            }
            // `_exists_:x` would read as an existence test, so quote it.
            let plain = !seg.is_empty() && seg.chars().all(is_name_char) && seg != "_exists_";
            if plain {
                f.write_str(seg)?;
            } else {
                write_quoted(f, seg)?;
            }
        }
        Ok(())
    }
}

/// Where a value is written: after `field:` or as a bare term, where a `:`
/// would turn the word into a field name.
#[derive(Clone, Copy, PartialEq)]
enum Position {
    Field,
    Bare,
}

/// Characters that need no escape in an unquoted word.
fn is_plain_char(c: char, pos: Position) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '-' | '_' | '.' | '@' | '/' | '#' | '$' | '+' | '\'' | ',' | ';' | '&' | '%'
        )
        || (c == ':' && pos == Position::Field)
}

fn write_value(f: &mut Formatter<'_>, value: &Value, pos: Position) -> fmt::Result {
    match value {
        Value::Text(text) => {
            // A plain word must not start like something else: `-`, `+` and
            // `.` are fine, but `>`, `[` etc. are not plain characters anyway.
            let plain = !text.is_empty()
                && text.chars().all(|c| is_plain_char(c, pos))
                && reads_as_text(text)
                && !is_keyword(text);
            if plain {
                f.write_str(text)
            } else {
                write_quoted(f, text)
            }
        }
        Value::Pattern(pattern) => write_pattern(f, pattern, pos),
        Value::Number(n) => f.write_str(&n.raw),
        Value::Date(d) => f.write_str(d.raw()),
        Value::Bool(b) => write!(f, "{b}"),
        Value::Null => f.write_str("null"),
    }
}

fn write_pattern(f: &mut Formatter<'_>, pattern: &Pattern, pos: Position) -> fmt::Result {
    for part in &pattern.parts {
        match part {
            PatternPart::Literal(lit) => {
                for c in lit.chars() {
                    if !is_plain_char(c, pos) {
                        f.write_char('\\')?;
                    }
                    f.write_char(c)?;
                }
            }
            PatternPart::AnyString => f.write_char('*')?,
            PatternPart::AnyChar => f.write_char('?')?,
        }
    }
    Ok(())
}

fn write_quoted(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}
