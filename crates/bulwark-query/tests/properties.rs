//! Property tests of the parser and printer: no input makes them panic, and
//! the printed form of a query parses back to the same tree.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use bulwark_query::{Dialect, SqlOptions, parse, parse_filters};
use proptest::prelude::*;
use serde_json::json;

/// Strings dense in the characters the grammar cares about.
fn syntaxy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(
                &[
                    "a",
                    "b.c",
                    ":",
                    "*",
                    "?",
                    "\"",
                    "\\",
                    "(",
                    ")",
                    "[",
                    "]",
                    "{",
                    "}",
                    " ",
                    "\t",
                    ">",
                    ">=",
                    "<",
                    "<=",
                    "=",
                    "!",
                    ",",
                    ";",
                    ".",
                    "-",
                    "and",
                    "OR",
                    "not",
                    "TO",
                    "_exists_",
                    "1",
                    "-2.5",
                    "1e3",
                    "2024-01",
                    "2024-02-30",
                    "true",
                    "null",
                    "é",
                    "\n",
                    "T10:00",
                    "Z",
                ][..]
            )
            .prop_map(str::to_string),
            any::<char>().prop_map(String::from),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

/// Parses, prints, re-parses and compares; also checks that printing is
/// stable and that evaluation and compilation do not panic.
fn round_trip(text: &str) -> Result<(), TestCaseError> {
    let Ok(query) = parse(text) else {
        return Ok(());
    };
    let printed = query.to_string();
    let reparsed = parse(&printed)
        .map_err(|e| TestCaseError::fail(format!("`{text}` printed as `{printed}`: {e}")))?;
    prop_assert_eq!(
        reparsed.without_spans(),
        query.without_spans(),
        "`{}` printed as `{}`",
        text,
        printed
    );
    prop_assert_eq!(reparsed.to_string(), printed);
    let _ = query.matches(&json!({"a": [1, "x"], "b": {"c": null}}));
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let fragment = query.to_sql(&SqlOptions::new(dialect, "doc"));
        let placeholders = match dialect {
            Dialect::Sqlite => fragment.sql.matches('?').count(),
            // `$n` placeholders may repeat (path keys), so count distinct ones.
            Dialect::Postgres => (1..=fragment.params.len())
                .filter(|n| fragment.sql.contains(&format!("${n}::")))
                .count(),
        };
        prop_assert_eq!(placeholders, fragment.params.len(), "{}", fragment.sql);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(2000)))]

    #[test]
    fn parser_never_panics(text in any::<String>()) {
        let _ = parse(&text);
        let _ = parse_filters(&text);
    }

    #[test]
    fn parser_never_panics_on_syntax_soup(text in syntaxy()) {
        if let Err(e) = parse(&text) {
            prop_assert!(e.span().start <= text.len() && e.span().end <= text.len());
            prop_assert!(text.is_char_boundary(e.offset()));
            prop_assert!(!e.message().is_empty());
        }
        let _ = parse_filters(&text);
        round_trip(&text)?;
    }

    #[test]
    fn generated_queries_parse_and_round_trip(text in common::query()) {
        prop_assert!(parse(&text).is_ok(), "`{}`: {:?}", text, parse(&text).err());
        round_trip(&text)?;
    }

    #[test]
    fn arbitrary_queries_round_trip(text in any::<String>()) {
        round_trip(&text)?;
    }

    #[test]
    fn filters_round_trip_through_queries(text in common::filters()) {
        let query = parse_filters(&text)
            .map_err(|e| TestCaseError::fail(format!("`{text}`: {e}")))?
            .to_query();
        let printed = query.to_string();
        let reparsed = parse(&printed)
            .map_err(|e| TestCaseError::fail(format!("`{printed}`: {e}")))?;
        prop_assert_eq!(reparsed.without_spans(), query.without_spans(), "`{}`", printed);
    }
}
