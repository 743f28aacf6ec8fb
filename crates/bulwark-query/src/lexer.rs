//! Character-level scanning shared by the `searchTerm` and `filters` parsers.
//!
//! The language is context sensitive (a `:` ends a field name but not a
//! value, `]` ends a range bound but not a word), so instead of a token
//! stream the parsers drive a [`Cursor`] and call the scanner that fits the
//! position they are at.

use crate::ast::{CmpOp, Path, Span};
use crate::error::{ErrorKind, Expected, Found, PResult, RawError};

/// Longest token text quoted back in an error message.
const MAX_FOUND_CHARS: usize = 24;

/// A position in the input.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self { src, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Moves back (or forward) to a position obtained from [`Cursor::pos`].
    pub(crate) fn reset(&mut self, pos: usize) {
        self.pos = pos;
    }

    pub(crate) fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    pub(crate) fn slice(&self, span: Span) -> &'a str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(crate) fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Skips whitespace; returns whether there was any.
    pub(crate) fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
        self.pos > start
    }

    pub(crate) fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.pos)
    }

    /// The token at the cursor, for "found ..." in error messages.
    pub(crate) fn found(&self) -> (Found, Span) {
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return (Found::EndOfInput, Span::new(self.pos, self.pos));
        };
        if is_punct(first) || first.is_whitespace() {
            let end = self.pos + first.len_utf8();
            return (Found::Token(first.to_string()), Span::new(self.pos, end));
        }
        let len: usize = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !is_punct(*c))
            .map(char::len_utf8)
            .sum();
        let text = rest.get(..len).unwrap_or("");
        let span = Span::new(self.pos, self.pos + len);
        if keyword_of(text).is_some() {
            return (Found::Keyword(text.to_string()), span);
        }
        let shown = if text.chars().count() > MAX_FOUND_CHARS {
            let mut s: String = text.chars().take(MAX_FOUND_CHARS).collect();
            s.push('…');
            s
        } else {
            text.to_string()
        };
        (Found::Token(shown), span)
    }

    /// 1-based column of a byte offset (for messages that mention an
    /// earlier position, such as an unclosed `(`).
    pub(crate) fn column_of(&self, offset: usize) -> usize {
        let before = self.src.get(..offset).unwrap_or(self.src);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        before.get(line_start..).map_or(0, |s| s.chars().count()) + 1
    }
}

/// Characters that form a token of their own in error messages.
fn is_punct(c: char) -> bool {
    matches!(
        c,
        '(' | ')' | '"' | '[' | ']' | '{' | '}' | ':' | '>' | '<' | '=' | ',' | ';'
    )
}

/// Characters allowed in an unquoted field name segment.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '$' | '#' | '/')
}

/// Whether a keyword may end before `c` (so `not(` and `or"x"` work, but
/// `order:1` and `not*` are not keywords).
fn ends_keyword(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '(' | ')' | '"'),
    }
}

/// The reserved words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyword {
    And,
    Or,
    Not,
    To,
}

fn keyword_of(word: &str) -> Option<Keyword> {
    if word.eq_ignore_ascii_case("and") {
        Some(Keyword::And)
    } else if word.eq_ignore_ascii_case("or") {
        Some(Keyword::Or)
    } else if word.eq_ignore_ascii_case("not") {
        Some(Keyword::Not)
    } else {
        None
    }
}

/// Whether an unquoted word would be read as a boolean keyword.
pub(crate) fn is_keyword(word: &str) -> bool {
    keyword_of(word).is_some()
}

/// The keyword at the cursor, if any, without consuming it. `TO` only counts
/// when `allow_to` (inside ranges).
pub(crate) fn peek_keyword(cur: &Cursor<'_>, allow_to: bool) -> Option<(Keyword, Span)> {
    let rest = cur.rest();
    let len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = rest.get(..len)?;
    if !ends_keyword(rest.get(len..).and_then(|r| r.chars().next())) {
        return None;
    }
    let kw = match keyword_of(word) {
        Some(kw) => kw,
        None if allow_to && word.eq_ignore_ascii_case("to") => Keyword::To,
        None => return None,
    };
    Some((kw, Span::new(cur.pos(), cur.pos() + len)))
}

/// A comparison operator at the cursor, consumed.
pub(crate) fn scan_cmp_op(cur: &mut Cursor<'_>) -> Option<(CmpOp, Span)> {
    let start = cur.pos();
    let op = match cur.peek()? {
        '>' => CmpOp::Gt,
        '<' => CmpOp::Lt,
        _ => return None,
    };
    cur.bump();
    let op = if cur.eat('=') {
        match op {
            CmpOp::Gt => CmpOp::Ge,
            _ => CmpOp::Le,
        }
    } else {
        op
    };
    Some((op, cur.span_from(start)))
}

/// A `"…"` string at the cursor (which must be on the `"`), unescaped.
/// `\` escapes any character.
pub(crate) fn scan_quoted(cur: &mut Cursor<'_>) -> PResult<(String, Span)> {
    let start = cur.pos();
    cur.bump();
    let mut text = String::new();
    loop {
        match cur.bump() {
            None => {
                return Err(RawError::new(
                    ErrorKind::UnterminatedQuote,
                    Span::new(start, start + 1),
                ));
            }
            Some('"') => return Ok((text, cur.span_from(start))),
            Some('\\') => match cur.bump() {
                Some(c) => text.push(c),
                None => {
                    return Err(RawError::new(
                        ErrorKind::UnterminatedQuote,
                        Span::new(start, start + 1),
                    ));
                }
            },
            Some(c) => text.push(c),
        }
    }
}

/// Where a word is being read; decides which characters end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordCtx {
    /// A term or field value: ends at whitespace, `(` and `)`.
    Term,
    /// A range bound: also ends at `]` and `}`.
    RangeBound,
    /// A filter value: ends only at `,` and `;`; inner spaces are kept.
    Filter,
}

/// An unquoted word: its characters after unescaping, each flagged with
/// whether it was escaped (an escaped `*` is a literal star).
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub chars: Vec<(char, bool)>,
    pub span: Span,
}

impl Word {
    pub(crate) fn text(&self) -> String {
        self.chars.iter().map(|(c, _)| *c).collect()
    }

    pub(crate) fn has_escapes(&self) -> bool {
        self.chars.iter().any(|(_, escaped)| *escaped)
    }
}

/// Reads an unquoted word at the cursor. Returns an empty word if the
/// cursor is already at an ending character.
pub(crate) fn scan_word(cur: &mut Cursor<'_>, ctx: WordCtx) -> PResult<Word> {
    let start = cur.pos();
    let mut chars = Vec::new();
    // For filters: the length of `chars` and the cursor position after the
    // last character that is not unescaped whitespace, to trim the tail.
    let mut keep = (0, start);
    while let Some(c) = cur.peek() {
        let ends = match ctx {
            WordCtx::Term => c.is_whitespace() || c == '(' || c == ')',
            WordCtx::RangeBound => c.is_whitespace() || matches!(c, '(' | ')' | ']' | '}'),
            WordCtx::Filter => c == ',' || c == ';',
        };
        if ends {
            break;
        }
        if c == '"' {
            return Err(RawError::new(
                ErrorKind::QuoteInWord,
                Span::new(cur.pos(), cur.pos() + 1),
            ));
        }
        let at = cur.pos();
        cur.bump();
        if c == '\\' {
            match cur.bump() {
                Some(escaped) => chars.push((escaped, true)),
                None => {
                    return Err(RawError::new(
                        ErrorKind::DanglingEscape,
                        Span::new(at, at + 1),
                    ));
                }
            }
            keep = (chars.len(), cur.pos());
        } else {
            chars.push((c, false));
            if !c.is_whitespace() {
                keep = (chars.len(), cur.pos());
            }
        }
    }
    if ctx == WordCtx::Filter {
        chars.truncate(keep.0);
        return Ok(Word {
            chars,
            span: Span::new(start, keep.1),
        });
    }
    Ok(Word {
        chars,
        span: cur.span_from(start),
    })
}

/// A field path at the cursor, consumed if present.
#[derive(Debug, Clone)]
pub(crate) struct ScannedPath {
    pub path: Path,
    /// The path is a single `"…"` segment (so it may be a bare phrase).
    pub single_quoted: bool,
}

/// Reads `segment ("." segment)*` where a segment is a run of name
/// characters or a quoted string. Returns `None` (consuming nothing) if the
/// cursor is not on a segment. A `.` not followed by a segment is left
/// unconsumed.
pub(crate) fn scan_path(cur: &mut Cursor<'_>) -> PResult<Option<ScannedPath>> {
    let start = cur.pos();
    let mut segments = Vec::new();
    let mut quoted_count = 0;
    loop {
        match cur.peek() {
            Some('"') => {
                let (text, _) = scan_quoted(cur)?;
                segments.push(text);
                quoted_count += 1;
            }
            Some(c) if is_name_char(c) => {
                let seg_start = cur.pos();
                while cur.peek().is_some_and(is_name_char) {
                    cur.bump();
                }
                segments.push(cur.slice(cur.span_from(seg_start)).to_string());
            }
            _ => break,
        }
        let next_is_segment = cur
            .peek_second()
            .is_some_and(|c| c == '"' || is_name_char(c));
        if cur.peek() == Some('.') && next_is_segment {
            cur.bump();
        } else {
            break;
        }
    }
    if segments.is_empty() {
        return Ok(None);
    }
    let single_quoted = segments.len() == 1 && quoted_count == 1;
    Ok(Some(ScannedPath {
        path: Path {
            segments,
            span: cur.span_from(start),
        },
        single_quoted,
    }))
}

/// A field path where one is required, or an "expected a field name" error.
pub(crate) fn require_path(cur: &mut Cursor<'_>, after: &str) -> PResult<Path> {
    match scan_path(cur)? {
        Some(p) => Ok(p.path),
        None => Err(RawError::unexpected(
            Expected::FieldName {
                after: after.to_string(),
            },
            cur.found(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(input: &str, ctx: WordCtx) -> (String, usize) {
        let mut cur = Cursor::new(input);
        let w = scan_word(&mut cur, ctx).unwrap();
        (w.text(), cur.pos())
    }

    #[test]
    fn words_end_at_context_delimiters() {
        assert_eq!(word("ab cd", WordCtx::Term), ("ab".into(), 2));
        assert_eq!(word("ab)cd", WordCtx::Term), ("ab".into(), 2));
        assert_eq!(word("a:b]c", WordCtx::Term), ("a:b]c".into(), 5));
        assert_eq!(word("5]", WordCtx::RangeBound), ("5".into(), 1));
        assert_eq!(
            word("my bucket , x", WordCtx::Filter),
            ("my bucket".into(), 10)
        );
        assert_eq!(word(r"a\ b c", WordCtx::Term), ("a b".into(), 4));
        assert_eq!(word(r"x\ ;", WordCtx::Filter), ("x ".into(), 3));
    }

    #[test]
    fn escapes_are_flagged() {
        let mut cur = Cursor::new(r"a\*b");
        let w = scan_word(&mut cur, WordCtx::Term).unwrap();
        assert_eq!(w.chars, vec![('a', false), ('*', true), ('b', false)]);
    }

    #[test]
    fn keywords_need_a_delimiter() {
        assert!(peek_keyword(&Cursor::new("or b"), false).is_some());
        assert!(peek_keyword(&Cursor::new("NOT(a)"), false).is_some());
        assert!(peek_keyword(&Cursor::new("order"), false).is_none());
        assert!(peek_keyword(&Cursor::new("not:x"), false).is_none());
        assert!(peek_keyword(&Cursor::new("to 5"), false).is_none());
        assert_eq!(
            peek_keyword(&Cursor::new("To 5"), true).map(|k| k.0),
            Some(Keyword::To)
        );
    }

    #[test]
    fn paths_leave_a_trailing_dot() {
        let mut cur = Cursor::new("a.b.:x");
        let p = scan_path(&mut cur).unwrap().unwrap();
        assert_eq!(p.path.segments, vec!["a", "b"]);
        assert_eq!(cur.rest(), ".:x");
    }

    #[test]
    fn found_shortens_long_words() {
        let cur = Cursor::new("abcdefghijklmnopqrstuvwxyz0123");
        let (found, span) = cur.found();
        assert_eq!(found, Found::Token("abcdefghijklmnopqrstuvwx…".into()));
        assert_eq!(span, Span::new(0, 30));
    }
}
