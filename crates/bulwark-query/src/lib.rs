//! BNF grammar of `searchTerm`:
//!
//! ```text
//! query        = WS* [ or_expr WS* ] EOF        ; empty: matches every document
//! or_expr      = and_expr ( WS* OR and_expr )*
//! and_expr     = not_expr ( WS* [ AND ] not_expr )*   ; juxtaposition means and
//! not_expr     = WS* ( NOT not_expr | primary )
//! primary      = "(" or_expr WS* ")"
//!              | "_exists_" ":" WS* path          ; same as path:*
//!              | path ":" WS* field_value
//!              | path WS* cmp_op WS* bound
//!              | "*"                              ; matches every document
//!              | value                            ; bare term: full-text search
//! field_value  = "(" group_or WS* ")"             ; field group: path:(a or b)
//!              | condition
//! condition    = "*"                              ; present and not null
//!              | cmp_op WS* bound
//!              | range
//!              | value
//! group_or     = group_and ( WS* OR group_and )*
//! group_and    = group_not ( WS* [ AND ] group_not )*
//! group_not    = WS* ( NOT group_not | "(" group_or WS* ")" | condition )
//! range        = ( "[" | "{" ) WS* range_bound WS+ TO WS* range_bound WS* ( "]" | "}" )
//! range_bound  = "*" | bound
//! cmp_op       = ">=" | ">" | "<=" | "<"
//! bound        = number | date
//! path         = segment ( "." segment )*
//! segment      = name_char+ | quoted
//! name_char    = letter | digit | "_" | "-" | "@" | "$" | "#" | "/"
//! value        = quoted | word
//! quoted       = '"' ( char - ( '"' | "\" ) | "\" char )* '"'
//! word         = ( char - ( WS | "(" | ")" | '"' | "\" ) | "\" char )+
//! number       = "-"? digit+ ( "." digit+ )? ( ( "e" | "E" ) ( "+" | "-" )? digit+ )?
//! date         = YYYY "-" MM [ "-" DD [ "T" hh [ ":" mm [ ":" ss [ "." digit+ ] ] ] ] ] [ "Z" ]
//! AND, OR, NOT = "and", "or", "not" in any case, followed by WS, "(", ")", '"' or EOF
//! TO           = "to" in any case (only inside a range)
//! WS           = any Unicode whitespace
//! ```
//!
//! Grammar of `filters`:
//!
//! ```text
//! filters      = ( WS* [ clause ] WS* ";" )* WS* [ clause ] WS* EOF
//! clause       = path WS* "=" WS* fvalue ( WS* "," WS* fvalue )*
//! fvalue       = quoted | ( char - ( "," | ";" | '"' | "\" ) | "\" char )+   ; trailing WS trimmed
//! ```
//!
//! How words are read and special cases:
//! - An unquoted word with an unescaped `*` or `?` is a wildcard pattern;
//!   a lone `*` is "exists" after `field:` and "everything" on its own.
//!   Otherwise a word shaped like a number is a number, shaped like a date is
//!   a date, `true`/`false`/`null` (any case) are those values, and anything
//!   else is text. A quoted phrase, or a word with any `\` escape, is always
//!   text.
//! - `and`, `or` and `not` cannot be unquoted values (`status:"not"` works).
//! - At the top level a word is a field name when `:`, `>` or `<` follows it
//!   (`size >= 10` may have spaces; `size :10` is an error), otherwise a bare
//!   term; `field=value` and `field!=value` are errors that suggest the
//!   right syntax.
//! - A `"` inside a word, a dangling `\`, a date that does not exist, a UTC
//!   offset other than `Z`, a range mixing a number and a date and `[* TO *]`
//!   are errors.
//! - Nesting of parentheses and `not` is limited to [`MAX_DEPTH`] levels.
//!
//! The semantics of each construct are in the README below.
#![doc = include_str!("../README.md")]

mod ast;
mod display;
mod error;
mod eval;
mod filters;
mod lexer;
mod literal;
mod parser;
mod sql;

pub use ast::{
    Bound, BoundValue, CmpOp, Condition, Date, Expr, ExprKind, FieldTerm, FilterClause, Filters,
    Literal, Number, NumberValue, Path, Pattern, PatternPart, Query, Range, RangeEnd, Span, Value,
};
pub use error::{ErrorKind, Expected, Found, ParseError};
pub use filters::parse_filters;
pub use parser::parse;
pub use sql::{
    Column, ColumnKind, ColumnMap, Dialect, FieldMap, RowSource, SqlFragment, SqlOptions, SqlParam,
};

/// How deeply parentheses and `not` may nest. Keeps parsing, evaluation and
/// the generated SQL (whose nesting SQLite limits) bounded.
pub const MAX_DEPTH: usize = 32;

impl Query {
    /// The query that matches every document (what the empty string parses to).
    pub fn match_all() -> Self {
        Self { root: None }
    }

    /// Whether the query matches every document without looking at it.
    pub fn is_match_all(&self) -> bool {
        self.root.is_none()
    }

    /// Both queries must match (e.g. a `searchTerm` and its `filters`).
    pub fn and(self, other: Query) -> Query {
        match (self.root, other.root) {
            (Some(a), Some(b)) => Query {
                root: Some(parser::nary(vec![a, b], false)),
            },
            (a, b) => Query { root: a.or(b) },
        }
    }

    /// Every field path the query tests, in order of appearance.
    pub fn fields(&self) -> Vec<&Path> {
        fn walk<'q>(e: &'q Expr, out: &mut Vec<&'q Path>) {
            match &e.kind {
                ExprKind::And(items) | ExprKind::Or(items) => {
                    items.iter().for_each(|i| walk(i, out));
                }
                ExprKind::Not(inner) => walk(inner, out),
                ExprKind::Field(term) => out.push(&term.path),
                ExprKind::MatchAll | ExprKind::FullText(_) => {}
            }
        }
        let mut out = Vec::new();
        if let Some(root) = &self.root {
            walk(root, &mut out);
        }
        out
    }

    /// A copy with every span reset to `0..0`, to compare structure only.
    pub fn without_spans(&self) -> Query {
        fn strip(e: &mut Expr) {
            e.span = Span::default();
            match &mut e.kind {
                ExprKind::And(items) | ExprKind::Or(items) => items.iter_mut().for_each(strip),
                ExprKind::Not(inner) => strip(inner),
                ExprKind::FullText(lit) => lit.span = Span::default(),
                ExprKind::Field(term) => {
                    term.path.span = Span::default();
                    match &mut term.condition {
                        Condition::Exists => {}
                        Condition::Equals(lit) => lit.span = Span::default(),
                        Condition::Compare { bound, .. } => bound.span = Span::default(),
                        Condition::Range(range) => {
                            for end in [&mut range.lower, &mut range.upper].into_iter().flatten() {
                                end.bound.span = Span::default();
                            }
                        }
                    }
                }
                ExprKind::MatchAll => {}
            }
        }
        let mut q = self.clone();
        if let Some(root) = &mut q.root {
            strip(root);
        }
        q
    }
}

#[cfg(test)]
mod tests {
    /// The README documents the same grammar as this file; keep them equal.
    #[test]
    fn readme_grammar_matches_crate_docs() {
        let lib = include_str!("lib.rs");
        let readme = include_str!("../README.md");
        let from_lib: Vec<&str> = lib
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.trim_start_matches("//!"))
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        let block = |lines: &[&str], start: &str| -> String {
            let mut out = Vec::new();
            let mut inside = false;
            let mut seen = false;
            for line in lines {
                if line.starts_with(start) {
                    seen = true;
                }
                if seen && line.starts_with("```") {
                    if inside {
                        break;
                    }
                    inside = true;
                    continue;
                }
                if inside {
                    out.push(line.trim_end().to_string());
                }
            }
            out.join("\n")
        };
        let readme_lines: Vec<&str> = readme.lines().collect();
        for heading in ["BNF grammar of `searchTerm`", "Grammar of `filters`"] {
            let a = block(&from_lib, heading);
            let b = block(&readme_lines, heading);
            assert!(!a.is_empty(), "{heading} missing from lib.rs");
            assert_eq!(a, b, "{heading} differs between lib.rs and README.md");
        }
    }
}
