//! A small JSON parser that keeps line numbers (serde_json does not), used
//! for CloudFormation JSON, ARM templates and Terraform plans.
//!
//! Bounded by design: nesting depth is capped and the node count is checked
//! against the same budget as YAML.

use crate::model::{FileId, Node, Span, Value};
use crate::parse::ParseFailure;

const MAX_DEPTH: usize = 200;

pub fn parse(text: &str, file: FileId, max_nodes: usize) -> Result<Node, ParseFailure> {
    let mut p = JsonParser {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        file,
        nodes: 0,
        max_nodes,
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("trailing characters after the JSON value"));
    }
    Ok(node)
}

struct JsonParser<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    file: FileId,
    nodes: usize,
    max_nodes: usize,
}

impl JsonParser<'_> {
    fn error(&self, message: &str) -> ParseFailure {
        ParseFailure {
            message: message.to_string(),
            line: Some(self.line),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn expect(&mut self, want: u8) -> Result<(), ParseFailure> {
        self.skip_ws();
        if self.bump() == Some(want) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", want as char)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseFailure> {
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            return Err(self.error("document has too many values"));
        }
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.skip_ws();
        let start = self.line;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.keyword("true", Value::Bool(true))?,
            Some(b'f') => self.keyword("false", Value::Bool(false))?,
            Some(b'n') => self.keyword("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.error("expected a JSON value")),
        };
        Ok(Node::new(value, Span::new(self.file, start, self.line)))
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Value, ParseFailure> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn number(&mut self) -> Result<Value, ParseFailure> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text = std::str::from_utf8(self.bytes.get(start..self.pos).unwrap_or_default())
            .map_err(|_| self.error("invalid number"))?;
        text.parse::<f64>()
            .map(Value::Number)
            .map_err(|_| self.error("invalid number"))
    }

    fn string(&mut self) -> Result<String, ParseFailure> {
        self.bump(); // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => match self.bump() {
                    Some(b'"') => out.push(b'"'),
                    Some(b'\\') => out.push(b'\\'),
                    Some(b'/') => out.push(b'/'),
                    Some(b'b') => out.push(8),
                    Some(b'f') => out.push(12),
                    Some(b'n') => out.push(b'\n'),
                    Some(b'r') => out.push(b'\r'),
                    Some(b't') => out.push(b'\t'),
                    Some(b'u') => {
                        let c = self.unicode_escape()?;
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    _ => return Err(self.error("invalid escape")),
                },
                Some(b) => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8 in string"))
    }

    fn hex4(&mut self) -> Result<u32, ParseFailure> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(digits)
    }

    fn unicode_escape(&mut self) -> Result<char, ParseFailure> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first)
            && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
        {
            self.pos += 2;
            let second = self.hex4()?;
            0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00) & 0x3FF)
        } else {
            first
        };
        Ok(char::from_u32(code).unwrap_or('\u{FFFD}'))
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseFailure> {
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Value::List(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bump() {
                Some(b',') => continue,
                Some(b']') => return Ok(Value::List(items)),
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseFailure> {
        self.bump();
        let mut entries = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Value::Map(entries));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            self.expect(b':')?;
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_ws();
            match self.bump() {
                Some(b',') => continue,
                Some(b'}') => return Ok(Value::Map(entries)),
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_lines() {
        let node = parse(
            "{\n  \"a\": [1, 2],\n  \"b\": {\n    \"c\": \"x\\u00e9\"\n  }\n}",
            FileId(0),
            100,
        )
        .unwrap();
        assert_eq!(node.get("a").unwrap().span.start_line, 2);
        let b = node.get("b").unwrap();
        assert_eq!((b.span.start_line, b.span.end_line), (3, 5));
        assert_eq!(node.get_path("b.c").unwrap().as_str(), Some("xé"));
    }

    #[test]
    fn rejects_garbage_and_depth() {
        assert!(parse("{\"a\": }", FileId(0), 100).is_err());
        assert!(parse("[1] x", FileId(0), 100).is_err());
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        assert!(parse(&deep, FileId(0), 100_000).is_err());
        assert!(parse("[1,2,3,4,5]", FileId(0), 3).is_err());
    }
}
