//! Parses arbitrary input as `searchTerm` and `filters`, and checks what
//! must hold for every query: the printed form parses back to the same
//! tree, evaluation terminates, and both SQL dialects compile with one
//! parameter per placeholder.
#![no_main]

use bulwark_query::{Dialect, SqlOptions, parse, parse_filters};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = serde_json::json!({"a": [1, "x", {"b": null}], "c": "2024-01-01T00:00:00Z"});
    let queries = [
        parse(text).ok(),
        parse_filters(text).ok().map(|f| f.to_query()),
    ];
    if let Err(e) = parse(text) {
        assert!(e.span().end <= text.len() && text.is_char_boundary(e.offset()));
    }
    for query in queries.into_iter().flatten() {
        let printed = query.to_string();
        let reparsed = match parse(&printed) {
            Ok(q) => q,
            Err(e) => panic!("{text:?} printed as {printed:?} does not parse: {e}"),
        };
        assert_eq!(
            reparsed.without_spans(),
            query.without_spans(),
            "{text:?} printed as {printed:?}"
        );
        let _ = query.matches(&doc);
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let fragment = query.to_sql(&SqlOptions::new(dialect, "doc"));
            if dialect == Dialect::Sqlite {
                assert_eq!(fragment.sql.matches('?').count(), fragment.params.len());
            }
        }
    }
});
