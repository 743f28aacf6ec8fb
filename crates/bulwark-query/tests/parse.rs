//! Parser tests: the tree for each construct, spans, and every error
//! message with its position.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use bulwark_query::{
    Condition, ErrorKind, Expr, ExprKind, MAX_DEPTH, PatternPart, Span, Value, parse,
};

/// A compact S-expression of a tree, so tests show the structure at a glance.
fn sexp(e: &Expr) -> String {
    let list = |name: &str, items: &[Expr]| {
        let inner: Vec<String> = items.iter().map(sexp).collect();
        format!("({name} {})", inner.join(" "))
    };
    match &e.kind {
        ExprKind::And(items) => list("and", items),
        ExprKind::Or(items) => list("or", items),
        ExprKind::Not(inner) => format!("(not {})", sexp(inner)),
        ExprKind::MatchAll => "*".into(),
        ExprKind::FullText(lit) => format!("(text {})", value(&lit.value)),
        ExprKind::Field(term) => {
            let path = term.path.segments.join("|");
            let cond = match &term.condition {
                Condition::Exists => "exists".to_string(),
                Condition::Equals(lit) => format!("= {}", value(&lit.value)),
                Condition::Compare { op, bound } => {
                    format!("{} {}", op.as_str(), bound.value.raw())
                }
                Condition::Range(r) => {
                    let lo = r.lower.as_ref().map_or("*".to_string(), |e| {
                        format!(
                            "{}{}",
                            if e.inclusive { "[" } else { "{" },
                            e.bound.value.raw()
                        )
                    });
                    let hi = r.upper.as_ref().map_or("*".to_string(), |e| {
                        format!(
                            "{}{}",
                            e.bound.value.raw(),
                            if e.inclusive { "]" } else { "}" }
                        )
                    });
                    format!("range {lo} {hi}")
                }
            };
            format!("({path} {cond})")
        }
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::Text(s) => format!("{s:?}"),
        Value::Pattern(p) => {
            let parts: Vec<String> = p
                .parts
                .iter()
                .map(|part| match part {
                    PatternPart::Literal(s) => s.clone(),
                    PatternPart::AnyString => "<*>".into(),
                    PatternPart::AnyChar => "<?>".into(),
                })
                .collect();
            format!("pat:{}", parts.concat())
        }
        Value::Number(n) => format!("num:{}", n.raw),
        Value::Date(d) => format!("date:{}", d.raw()),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
    }
}

#[track_caller]
fn check(input: &str, expected: &str) {
    let query = parse(input).unwrap_or_else(|e| panic!("`{input}`: {e}"));
    let got = query.root.as_ref().map_or("(all)".to_string(), sexp);
    assert_eq!(got, expected, "input: `{input}`");
}

#[test]
fn empty_queries_match_everything() {
    check("", "(all)");
    check("  \t\n ", "(all)");
    assert!(parse("").unwrap().is_match_all());
    check("*", "*");
}

#[test]
fn field_terms() {
    check("isPublic:true", "(isPublic = true)");
    check("region:us-east-1", "(region = \"us-east-1\")");
    check("tags.name:test*", "(tags|name = pat:test<*>)");
    check("id:i-????", "(id = pat:i-<?><?><?><?>)");
    check("name:\"my bucket\"", "(name = \"my bucket\")");
    check("arn:arn:aws:s3:::logs", "(arn = \"arn:aws:s3:::logs\")");
    check("port:80", "(port = num:80)");
    check("ratio:-1.5e3", "(ratio = num:-1.5e3)");
    check("created:2024-01-31", "(created = date:2024-01-31)");
    check(
        "created:2024-01-31T10:00:00Z",
        "(created = date:2024-01-31T10:00:00Z)",
    );
    check("flag:FALSE", "(flag = false)");
    check("n:NULL", "(n = null)");
    check("x:*", "(x exists)");
    check("x: value", "(x = \"value\")");
    check("_exists_:a.b", "(a|b exists)");
    check("_exists_: a", "(a exists)");
}

#[test]
fn quoting_and_escapes() {
    check("name:\"true\"", "(name = \"true\")");
    check(
        "name:\"a \\\"b\\\" \\\\ c\"",
        "(name = \"a \\\"b\\\" \\\\ c\")",
    );
    check("name:a\\*b", "(name = \"a*b\")");
    check("name:a\\*b*", "(name = pat:a*b<*>)");
    check("name:\\true", "(name = \"true\")");
    check("name:\\and", "(name = \"and\")");
    check("name:web\\ server", "(name = \"web server\")");
    check("name:\"and\"", "(name = \"and\")");
    check("name:\"\"", "(name = \"\")");
    check(
        "metadata.labels.\"app.kubernetes.io/name\":web",
        "(metadata|labels|app.kubernetes.io/name = \"web\")",
    );
    check("\"odd key\":1", "(odd key = num:1)");
    check("\"_exists_\":1", "(_exists_ = num:1)");
}

#[test]
fn comparisons_and_ranges() {
    check("size>100", "(size > 100)");
    check("size>=100", "(size >= 100)");
    check("size<-1", "(size < -1)");
    check("size<=1.5", "(size <= 1.5)");
    check("size >= 100", "(size >= 100)");
    check("size:>100", "(size > 100)");
    check("created>=2024-01-01", "(created >= 2024-01-01)");
    check("size:[10 TO 100]", "(size range [10 100])");
    check("size:{10 to 100}", "(size range {10 100})");
    check("size:[10 TO 100}", "(size range [10 100})");
    check("size:[* TO 100]", "(size range * 100])");
    check("size:{10 TO *}", "(size range {10 *)");
    check(
        "created:[2024-01 TO 2024-03}",
        "(created range [2024-01 2024-03})",
    );
    check("size:[ 1 TO 2 ]", "(size range [1 2])");
}

#[test]
fn boolean_structure_and_precedence() {
    check(
        "a:1 or b:2 and c:3",
        "(or (a = num:1) (and (b = num:2) (c = num:3)))",
    );
    check("a:1 b:2", "(and (a = num:1) (b = num:2))");
    check(
        "a:1 AND b:2 Or c:3",
        "(or (and (a = num:1) (b = num:2)) (c = num:3))",
    );
    check("not a:1 and b:2", "(and (not (a = num:1)) (b = num:2))");
    check("not (a:1 or b:2)", "(not (or (a = num:1) (b = num:2)))");
    check("NOT NOT a:1", "(not (not (a = num:1)))");
    check("not(a:1)", "(not (a = num:1))");
    check(
        "(a:1 or b:2) c:3",
        "(and (or (a = num:1) (b = num:2)) (c = num:3))",
    );
    // Same-kind groups are flattened, so the tree is canonical.
    check(
        "a:1 or (b:2 or c:3)",
        "(or (a = num:1) (b = num:2) (c = num:3))",
    );
    check("((a:1))", "(a = num:1)");
    check("a:1(b:2)", "(and (a = num:1) (b = num:2))");
    // Keywords need a delimiter; these are field names and words.
    check(
        "order:1 android",
        "(and (order = num:1) (text \"android\"))",
    );
    check("not:1", "(not = num:1)");
    check("or.x:1", "(or|x = num:1)");
    check("not*", "(text pat:not<*>)");
}

#[test]
fn field_groups() {
    check(
        "region:(us-east-1 or eu-west-1)",
        "(or (region = \"us-east-1\") (region = \"eu-west-1\"))",
    );
    check("size:(>10 and <20)", "(and (size > 10) (size < 20))");
    check("s:(a b)", "(and (s = \"a\") (s = \"b\"))");
    check("s:(not a)", "(not (s = \"a\"))");
    check(
        "s:((a or b) c)",
        "(and (or (s = \"a\") (s = \"b\")) (s = \"c\"))",
    );
    check(
        "s:(* or [1 TO 2] or \"x y\" or x:y)",
        "(or (s exists) (s range [1 2]) (s = \"x y\") (s = \"x:y\"))",
    );
    check(
        "x:1 or s:(a or b)",
        "(or (x = num:1) (s = \"a\") (s = \"b\"))",
    );
}

#[test]
fn bare_terms() {
    check("prod", "(text \"prod\")");
    check("\"web server\"", "(text \"web server\")");
    check("pro*", "(text pat:pro<*>)");
    check("*prod*", "(text pat:<*>prod<*>)");
    check("8080", "(text num:8080)");
    check("10.0.0.1", "(text \"10.0.0.1\")");
    check("a.b", "(text \"a.b\")");
    // Dates, booleans and null are plain text when bare.
    check("2024-01-01", "(text \"2024-01-01\")");
    check("TRUE null", "(and (text \"true\") (text \"null\"))");
    check("a!b", "(text \"a!b\")");
    check("web\\:80", "(text \"web:80\")");
    check("\"a\"\"b\"", "(and (text \"a\") (text \"b\"))");
}

#[test]
fn spans_point_into_the_input() {
    let input = "not tags.name:prod* or  size>=10";
    let q = parse(input).unwrap();
    let root = q.root.unwrap();
    assert_eq!(root.span, Span::new(0, 32));
    let ExprKind::Or(items) = &root.kind else {
        panic!()
    };
    assert_eq!(items[0].span, Span::new(0, 19));
    let ExprKind::Not(inner) = &items[0].kind else {
        panic!()
    };
    assert_eq!(&input[inner.span.start..inner.span.end], "tags.name:prod*");
    let ExprKind::Field(term) = &inner.kind else {
        panic!()
    };
    assert_eq!(
        &input[term.path.span.start..term.path.span.end],
        "tags.name"
    );
    let Condition::Equals(lit) = &term.condition else {
        panic!()
    };
    assert_eq!(&input[lit.span.start..lit.span.end], "prod*");
    let ExprKind::Field(term) = &items[1].kind else {
        panic!()
    };
    let Condition::Compare { bound, .. } = &term.condition else {
        panic!()
    };
    assert_eq!(&input[bound.span.start..bound.span.end], "10");
    let paren = parse(" (a:1) ").unwrap().root.unwrap();
    assert_eq!(paren.span, Span::new(1, 6));
}

#[test]
fn fields_lists_every_path() {
    let q = parse("a:1 or not b.c:* or x or d:(1 or 2)").unwrap();
    let fields: Vec<String> = q.fields().iter().map(|p| p.segments.join(".")).collect();
    assert_eq!(fields, ["a", "b.c", "d", "d"]);
}

/// `(message, line, column, offset)` of a parse error.
fn err(input: &str) -> (String, usize, usize, usize) {
    let e = parse(input).expect_err(input);
    (e.message(), e.line(), e.column(), e.offset())
}

#[track_caller]
fn check_err(input: &str, message: &str, column: usize) {
    let (msg, line, col, offset) = err(input);
    assert_eq!(msg, message, "input: `{input}`");
    assert_eq!((line, col), (1, column), "input: `{input}`: {msg}");
    assert_eq!(
        offset,
        input
            .char_indices()
            .nth(column - 1)
            .map_or(input.len(), |(i, _)| i)
    );
}

#[test]
fn errors_in_terms() {
    check_err(
        "size>",
        "expected a number or a date after `>`, found end of input",
        6,
    );
    check_err(
        "size>=abc",
        "expected a number or a date after `>=`, found `abc`",
        7,
    );
    check_err(
        "size > ",
        "expected a number or a date after `>`, found end of input",
        8,
    );
    check_err(
        "size>\"5\"",
        "expected a number or a date after `>`, found `\"`",
        6,
    );
    check_err(
        "size>a*",
        "expected a number or a date after `>`, found `a*`",
        6,
    );
    check_err(
        "status:",
        "expected a value after `status:`, found end of input",
        8,
    );
    check_err(
        "status: )",
        "expected a value after `status:`, found `)`",
        9,
    );
    check_err(
        "status:not",
        "expected a value after `status:`, found keyword `not` (quote it, as in `\"not\"`, to search for the word)",
        8,
    );
    check_err(
        "_exists_:",
        "expected a field name after `_exists_:`, found end of input",
        10,
    );
    check_err(
        "_exists_:>",
        "expected a field name after `_exists_:`, found `>`",
        10,
    );
    check_err("a.:x", "expected a field name after `a.`, found `:`", 3);
    check_err("size=5", "`=` is not an operator; use `size:value`", 5);
    check_err(
        "size!=5",
        "`!=` is not an operator; use `not size:value`",
        5,
    );
    check_err("size :5", "unexpected space between `size` and `:`", 5);
    check_err(">5", "`>` must follow a field name, as in `size>10`", 1);
    check_err("a:1 <5", "`<` must follow a field name, as in `size<10`", 5);
    check_err(":x", "`:` must follow a field name, as in `name:value`", 1);
    check_err("=x", "`=` must follow a field name, as in `name:value`", 1);
    check_err(
        "[1 TO 2]",
        "`[` must follow a field name, as in `size:[1 TO 10]`",
        1,
    );
    check_err(
        "{1 TO 2}",
        "`{` must follow a field name, as in `size:{1 TO 10}`",
        1,
    );
}

#[test]
fn errors_in_structure() {
    check_err(
        "(a:1 or b:2",
        "expected `)` to close the `(` at column 1, found end of input",
        12,
    );
    check_err(
        "x:(a or b",
        "expected `)` to close the `(` at column 3, found end of input",
        10,
    );
    check_err("a:1)", "`)` has no matching `(`", 4);
    check_err(
        "a:1 and",
        "expected a search term after `and`, found end of input",
        8,
    );
    check_err(
        "a:1 OR )",
        "expected a search term after `OR`, found `)`",
        8,
    );
    check_err("()", "expected a search term after `(`, found `)`", 2);
    check_err(
        "not",
        "expected a search term after `not`, found end of input",
        4,
    );
    check_err(
        "and a:1",
        "expected a search term, found keyword `and` (quote it, as in `\"and\"`, to search for the word)",
        1,
    );
    check_err(
        "a:1 or or b:1",
        "expected a search term after `or`, found keyword `or` (quote it, as in `\"or\"`, to search for the word)",
        8,
    );
    check_err("x:()", "expected a search term after `(`, found `)`", 4);
}

#[test]
fn errors_in_words() {
    check_err(
        "name:\"abc",
        "missing closing `\"` for the text quoted here",
        6,
    );
    check_err("\"abc", "missing closing `\"` for the text quoted here", 1);
    check_err(
        "a.\"b:1",
        "missing closing `\"` for the text quoted here",
        3,
    );
    check_err(
        "name:abc\\",
        "expected a character after `\\`, found end of input",
        9,
    );
    check_err(
        "name:ab\"c\"",
        "unexpected `\"` inside a word; put a space before the quoted text or escape it as `\\\"`",
        8,
    );
}

#[test]
fn errors_in_values() {
    check_err("size:1e999", "number `1e999` is out of range", 6);
    check_err("size>-1e999", "number `-1e999` is out of range", 6);
    check_err(
        "created:2024-02-30",
        "invalid date `2024-02-30`: day must be between 01 and 29 in 2024-02",
        9,
    );
    check_err(
        "created>2024-13",
        "invalid date `2024-13`: month must be between 01 and 12",
        9,
    );
    check_err(
        "created>2024-01-01T10:00:00+02:00",
        "date `2024-01-01T10:00:00+02:00` has a UTC offset; write it in UTC, ending in `Z` or with no zone",
        9,
    );
}

#[test]
fn errors_in_ranges() {
    check_err(
        "size:[1 TO 2024-01-01]",
        "range bounds `1` and `2024-01-01` must both be numbers or both be dates",
        6,
    );
    check_err(
        "size:[* TO *]",
        "a range needs at least one bound; use `size:*` to test that a field exists",
        6,
    );
    check_err(
        "size:[1 5]",
        "expected `TO` between the range bounds, found `5`",
        9,
    );
    check_err(
        "size:[1TO 5]",
        "expected a number, a date or `*` as range bound, found `1TO`",
        7,
    );
    check_err(
        "size:[1 TO 5",
        "expected `]` or `}` to close the range opened at column 6, found end of input",
        13,
    );
    check_err(
        "size:[abc TO 5]",
        "expected a number, a date or `*` as range bound, found `abc`",
        7,
    );
    check_err(
        "size:[1 TO ]",
        "expected a number, a date or `*` as range bound, found `]`",
        12,
    );
    check_err(
        "size:[",
        "expected a number, a date or `*` as range bound, found end of input",
        7,
    );
    check_err(
        "size:[1 TO 2 3]",
        "expected `]` or `}` to close the range opened at column 6, found `3`",
        14,
    );
}

#[test]
fn nesting_is_limited() {
    let max = MAX_DEPTH;
    assert!(parse(&format!("{}a:1{}", "(".repeat(max), ")".repeat(max))).is_ok());
    check_err(
        &format!("{}a:1{}", "(".repeat(max + 1), ")".repeat(max + 1)),
        "the query is nested more than 32 levels deep",
        max + 1,
    );
    assert!(parse(&format!("{}a:1", "not ".repeat(max))).is_ok());
    check_err(
        &format!("{}a:1", "not ".repeat(max + 1)),
        "the query is nested more than 32 levels deep",
        4 * max + 1,
    );
    // Long flat queries are fine.
    let wide = vec!["a:1"; 5000].join(" or ");
    assert!(parse(&wide).is_ok());
}

#[test]
fn errors_report_lines_and_display_the_location() {
    let e = parse("a:1\nand (").unwrap_err();
    assert_eq!((e.line(), e.column(), e.offset()), (2, 6, 9));
    assert_eq!(
        e.to_string(),
        "expected a search term after `(`, found end of input at line 2, column 6"
    );
    let e = parse("size>").unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected a number or a date after `>`, found end of input at column 6"
    );
    assert_eq!(e.span(), Span::new(5, 5));
    assert!(matches!(e.kind(), ErrorKind::Unexpected { .. }));
    // Columns count characters, offsets count bytes.
    let e = parse("ünïcode:").unwrap_err();
    assert_eq!((e.column(), e.offset()), (9, 10));
    // Long tokens are shortened in messages.
    let e = parse("size>abcdefghijklmnopqrstuvwxyz").unwrap_err();
    assert_eq!(
        e.message(),
        "expected a number or a date after `>`, found `abcdefghijklmnopqrstuvwx…`"
    );
}
