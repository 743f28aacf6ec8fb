//! Classifying unquoted words into values, and the value helpers that the
//! evaluator and the SQL compiler share (so both read a literal the same way).

use crate::ast::{Date, Number, NumberValue, Pattern, PatternPart, Value};
use crate::error::{ErrorKind, PResult, RawError};
use crate::lexer::{Word, is_keyword};

/// What an unquoted word stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Classified {
    /// A lone unescaped `*`.
    Star,
    /// `and`, `or` or `not` (unescaped); the caller decides if that is an error.
    Keyword(String),
    /// Any other value.
    Value(Value),
}

/// Reads an unquoted word. Escaped characters are always literal text: an
/// escape anywhere turns off number, date, boolean and keyword readings.
pub(crate) fn classify(word: &Word) -> PResult<Classified> {
    let has_wildcard = word
        .chars
        .iter()
        .any(|(c, esc)| !esc && (*c == '*' || *c == '?'));
    if has_wildcard {
        if word.chars == [('*', false)] {
            return Ok(Classified::Star);
        }
        return Ok(Classified::Value(Value::Pattern(pattern_of(&word.chars))));
    }
    let text = word.text();
    if word.has_escapes() {
        return Ok(Classified::Value(Value::Text(text)));
    }
    if is_keyword(&text) {
        return Ok(Classified::Keyword(text));
    }
    classify_plain(&text)
        .map(Classified::Value)
        .map_err(|kind| RawError::new(kind, word.span))
}

/// Reads unescaped, wildcard-free text as a value.
fn classify_plain(text: &str) -> Result<Value, ErrorKind> {
    if let Some(n) = parse_number(text) {
        return n.map(Value::Number);
    }
    if let Some(d) = parse_date(text) {
        return d.map(Value::Date);
    }
    if text.eq_ignore_ascii_case("true") {
        Ok(Value::Bool(true))
    } else if text.eq_ignore_ascii_case("false") {
        Ok(Value::Bool(false))
    } else if text.eq_ignore_ascii_case("null") {
        Ok(Value::Null)
    } else {
        Ok(Value::Text(text.to_string()))
    }
}

/// Whether `text`, written unquoted and unescaped, would read back as
/// `Value::Text(text)` (used by the pretty printer to decide on quotes).
pub(crate) fn reads_as_text(text: &str) -> bool {
    !is_keyword(text)
        && !text.contains(['*', '?'])
        && matches!(classify_plain(text), Ok(Value::Text(_)))
}

fn pattern_of(chars: &[(char, bool)]) -> Pattern {
    let mut parts = Vec::new();
    let mut lit = String::new();
    for &(c, escaped) in chars {
        let wildcard = match (c, escaped) {
            ('*', false) => Some(PatternPart::AnyString),
            ('?', false) => Some(PatternPart::AnyChar),
            _ => None,
        };
        match wildcard {
            Some(w) => {
                if !lit.is_empty() {
                    parts.push(PatternPart::Literal(std::mem::take(&mut lit)));
                }
                parts.push(w);
            }
            None => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(PatternPart::Literal(lit));
    }
    Pattern { parts }
}

/// `-?digits(.digits)?([eE][+-]?digits)?`. `None` if the text is not
/// number-shaped, `Some(Err)` if it is but does not fit an `f64`.
pub(crate) fn parse_number(text: &str) -> Option<Result<Number, ErrorKind>> {
    let b = text.as_bytes();
    let digits_from = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int_end = digits_from(i);
    if int_end == i {
        return None;
    }
    i = int_end;
    let mut integral = true;
    if b.get(i) == Some(&b'.') {
        let end = digits_from(i + 1);
        if end == i + 1 {
            return None;
        }
        i = end;
        integral = false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let end = digits_from(i);
        if end == i {
            return None;
        }
        i = end;
        integral = false;
    }
    if i != b.len() {
        return None;
    }
    let raw = text.to_string();
    if integral && let Ok(v) = text.parse::<i64>() {
        return Some(Ok(Number {
            raw,
            value: NumberValue::Int(v),
        }));
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Some(Ok(Number {
            raw,
            value: NumberValue::Float(f),
        })),
        _ => Some(Err(ErrorKind::NumberOutOfRange(raw))),
    }
}

/// `YYYY-MM[-DD[THH[:MM[:SS[.fff]]]]][Z]`. `None` if the text is not
/// date-shaped; `Some(Err)` for impossible dates and UTC offsets.
pub(crate) fn parse_date(text: &str) -> Option<Result<Date, ErrorKind>> {
    let b = text.as_bytes();
    let num = |at: usize, len: usize| -> Option<u32> {
        let digits = b.get(at..at + len)?;
        digits.iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let year = num(0, 4)?;
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let month = num(5, 2)?;
    let mut i = 7;
    // (value, max, name) of each field present, checked after the shape.
    let mut fields = vec![(month, 12, "month")];
    let mut day = None;
    let mut has_time = false;
    if b.get(i) == Some(&b'-') {
        day = Some(num(i + 1, 2)?);
        i += 3;
        if b.get(i) == Some(&b'T') {
            fields.push((num(i + 1, 2)?, 23, "hour"));
            i += 3;
            has_time = true;
            for name in ["minute", "second"] {
                if b.get(i) != Some(&b':') {
                    break;
                }
                fields.push((num(i + 1, 2)?, 59, name));
                i += 3;
            }
            if fields.len() == 4 && b.get(i) == Some(&b'.') {
                let digits = b
                    .iter()
                    .skip(i + 1)
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                if digits == 0 {
                    return None;
                }
                i += 1 + digits;
            }
        }
    }
    let rest = b.get(i..)?;
    match rest {
        [] | [b'Z'] => {}
        [b'+' | b'-', offset @ ..] if has_time && is_utc_offset(offset) => {
            return Some(Err(ErrorKind::DateOffset(text.to_string())));
        }
        _ => return None,
    }
    let invalid = |reason: String| {
        Some(Err(ErrorKind::InvalidDate {
            text: text.to_string(),
            reason,
        }))
    };
    for (index, (value, max, name)) in fields.into_iter().enumerate() {
        // Months start at 01; clock fields at 00.
        let min = u32::from(index == 0);
        if value < min || value > max {
            return invalid(format!("{name} must be between {min:02} and {max:02}"));
        }
    }
    if let Some(day) = day {
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return invalid(format!(
                "day must be between 01 and {last:02} in {year:04}-{month:02}"
            ));
        }
    }
    Some(Ok(Date::new_unchecked(text.to_string())))
}

/// `HH`, `HHMM` or `HH:MM`.
fn is_utc_offset(b: &[u8]) -> bool {
    let d = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        2 | 4 => d(b),
        5 => {
            b.get(2) == Some(&b':') && d(b.get(..2).unwrap_or(&[])) && d(b.get(3..).unwrap_or(&[]))
        }
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The first `key().len()` bytes of `value`, if they have the date's
    /// shape (digits where the key has digits, the same separators).
    pub(crate) fn prefix_of<'v>(&self, value: &'v str) -> Option<&'v [u8]> {
        let key = self.key().as_bytes();
        let prefix = value.as_bytes().get(..key.len())?;
        let same_shape = prefix.iter().zip(key).all(|(v, k)| {
            if k.is_ascii_digit() {
                v.is_ascii_digit()
            } else {
                v == k
            }
        });
        same_shape.then_some(prefix)
    }

    /// The smallest string above every string that starts with the key.
    /// The key ends in a digit, and the byte after `9` is `:`, so bumping the
    /// last byte stays ASCII.
    pub(crate) fn successor(&self) -> String {
        let mut s = self.key().to_string();
        if let Some(last) = s.pop() {
            s.push(char::from(last as u8 + 1));
        }
        s
    }

    /// The key's shape as an SQLite `GLOB` pattern (`[0-9]` per digit).
    pub(crate) fn shape_glob(&self) -> String {
        let mut s = String::new();
        for c in self.key().chars() {
            if c.is_ascii_digit() {
                s.push_str("[0-9]");
            } else {
                s.push(c);
            }
        }
        s.push('*');
        s
    }

    /// The key's shape as an anchored POSIX regular expression.
    pub(crate) fn shape_regex(&self) -> String {
        let mut s = String::from("^");
        for c in self.key().chars() {
            match c {
                '0'..='9' => s.push_str("[0-9]"),
                '.' => s.push_str("\\."),
                _ => s.push(c),
            }
        }
        s
    }
}

/// One pattern element, with literal characters already folded.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Char(char),
    AnyString,
    AnyChar,
}

impl Pattern {
    /// Whether the whole of `text` matches, ignoring ASCII case.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let pat: Vec<Tok> = self
            .parts
            .iter()
            .flat_map(|part| -> Vec<Tok> {
                match part {
                    PatternPart::Literal(s) => s
                        .chars()
                        .map(|c| Tok::Char(c.to_ascii_lowercase()))
                        .collect(),
                    PatternPart::AnyString => vec![Tok::AnyString],
                    PatternPart::AnyChar => vec![Tok::AnyChar],
                }
            })
            .collect();
        let text: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
        // Greedy matching that backtracks only to the latest `*`: O(n·m).
        let (mut p, mut t) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while let Some(&c) = text.get(t) {
            match pat.get(p) {
                Some(Tok::AnyChar) => (p, t) = (p + 1, t + 1),
                Some(Tok::Char(pc)) if *pc == c => (p, t) = (p + 1, t + 1),
                Some(Tok::AnyString) => {
                    star = Some((p, t));
                    p += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        star = Some((sp, st + 1));
                        (p, t) = (sp + 1, st + 1);
                    }
                    None => return false,
                },
            }
        }
        pat.get(p..)
            .is_some_and(|rest| rest.iter().all(|tok| *tok == Tok::AnyString))
    }

    /// The pattern as a `LIKE` pattern with `!` as escape character,
    /// literal parts lowercased (ASCII) to compare with `lower(value)`.
    pub(crate) fn to_like(&self) -> String {
        let mut s = String::new();
        for part in &self.parts {
            match part {
                PatternPart::Literal(lit) => {
                    for c in lit.chars() {
                        if matches!(c, '!' | '%' | '_') {
                            s.push('!');
                        }
                        s.push(c.to_ascii_lowercase());
                    }
                }
                PatternPart::AnyString => s.push('%'),
                PatternPart::AnyChar => s.push('_'),
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        parse_date(s).unwrap().unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            parse_number("42").unwrap().unwrap().value,
            NumberValue::Int(42)
        );
        assert_eq!(
            parse_number("-0.5e1").unwrap().unwrap().value,
            NumberValue::Float(-5.0)
        );
        assert_eq!(
            parse_number("99999999999999999999").unwrap().unwrap().value,
            NumberValue::Float(1e20)
        );
        for not_a_number in ["", "-", "1.", ".5", "1e", "1e+", "1x", "+1", "0x10"] {
            assert!(parse_number(not_a_number).is_none(), "{not_a_number}");
        }
        assert_eq!(
            parse_number("1e999").unwrap().unwrap_err(),
            ErrorKind::NumberOutOfRange("1e999".into())
        );
    }

    #[test]
    fn dates() {
        assert_eq!(date("2024-02-29").key(), "2024-02-29");
        assert_eq!(
            date("2024-02-29T10:11:12.5Z").key(),
            "2024-02-29T10:11:12.5"
        );
        assert_eq!(date("2024-01").key(), "2024-01");
        for text in [
            "2024",
            "2024-1-01",
            "2024-01-01-backup",
            "2024-01-01T",
            "2024-01-01T10:00:00.",
        ] {
            assert!(parse_date(text).is_none(), "{text}");
        }
        let reason = |s: &str| match parse_date(s).unwrap().unwrap_err() {
            ErrorKind::InvalidDate { reason, .. } => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(reason("2024-13"), "month must be between 01 and 12");
        assert_eq!(reason("2024-00-10"), "month must be between 01 and 12");
        assert_eq!(
            reason("2023-02-29"),
            "day must be between 01 and 28 in 2023-02"
        );
        assert_eq!(
            reason("2024-04-31"),
            "day must be between 01 and 30 in 2024-04"
        );
        assert_eq!(reason("2024-01-01T24"), "hour must be between 00 and 23");
        assert_eq!(
            reason("2024-01-01T10:60"),
            "minute must be between 00 and 59"
        );
        assert_eq!(
            reason("2024-01-01T10:00:61"),
            "second must be between 00 and 59"
        );
        assert_eq!(
            parse_date("2024-01-01T10:00:00+02:00")
                .unwrap()
                .unwrap_err(),
            ErrorKind::DateOffset("2024-01-01T10:00:00+02:00".into())
        );
    }

    #[test]
    fn date_helpers() {
        let d = date("2024-01-19T10:00Z");
        assert_eq!(d.successor(), "2024-01-19T10:01");
        assert_eq!(date("2024-01-19").successor(), "2024-01-1:");
        assert_eq!(
            d.shape_glob(),
            "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]*"
        );
        assert_eq!(
            date("2024-01-01T10:00:00.5")
                .shape_regex()
                .matches("\\.")
                .count(),
            1
        );
        assert_eq!(
            d.prefix_of("2024-01-19T10:00:59Z"),
            Some(&b"2024-01-19T10:00"[..])
        );
        assert_eq!(d.prefix_of("2024-01-19 10:00:59Z"), None);
        assert_eq!(d.prefix_of("2024-01-19"), None);
    }

    #[test]
    fn pattern_matching() {
        let p = |parts: Vec<PatternPart>| Pattern { parts };
        let lit = |s: &str| PatternPart::Literal(s.into());
        let prod = p(vec![lit("prod"), PatternPart::AnyString]);
        assert!(prod.matches("Prod-1"));
        assert!(prod.matches("prod"));
        assert!(!prod.matches("my-prod"));
        let one = p(vec![lit("i-"), PatternPart::AnyChar, PatternPart::AnyChar]);
        assert!(one.matches("i-ab") && !one.matches("i-abc") && !one.matches("i-a"));
        let inner = p(vec![
            PatternPart::AnyString,
            lit("a"),
            PatternPart::AnyString,
            lit("b"),
        ]);
        assert!(inner.matches("xxaxxab") && !inner.matches("xxaxxa"));
        assert!(p(vec![lit("É")]).matches("É") && !p(vec![lit("É")]).matches("é"));
        assert_eq!(
            p(vec![lit("A_b%c!"), PatternPart::AnyChar]).to_like(),
            "a!_b!%c!!_"
        );
    }
}
