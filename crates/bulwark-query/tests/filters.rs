//! The `filters` parameter: `k=v1,v2;k2=v`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use bulwark_query::{Condition, Span, Value, parse, parse_filters};
use serde_json::json;

#[track_caller]
fn canonical(filters: &str) -> String {
    parse_filters(filters)
        .unwrap_or_else(|e| panic!("`{filters}`: {e}"))
        .to_query()
        .to_string()
}

#[test]
fn clauses_and_alternatives() {
    assert_eq!(
        canonical("instanceId=i-exampleId,i-secondId;isPublic=true"),
        "(instanceId:i-exampleId or instanceId:i-secondId) and isPublic:true"
    );
    assert_eq!(canonical("a=1"), "a:1");
    assert_eq!(canonical(" a = 1 , 2 ; ; b = x ; "), "(a:1 or a:2) and b:x");
    assert_eq!(canonical(""), "");
    assert_eq!(canonical(" ; ;"), "");
    assert!(parse_filters("").unwrap().to_query().is_match_all());
}

#[test]
fn values_read_like_field_values() {
    assert_eq!(canonical("name=prod*"), "name:prod*");
    assert_eq!(canonical("name=*"), "name:*");
    assert_eq!(canonical("size=80"), "size:80");
    assert_eq!(canonical("created=2024-01"), "created:2024-01");
    assert_eq!(canonical("tags.name=\"a,b;c\""), "tags.name:a,b;c");
    assert_eq!(canonical("name=a\\,b"), "name:a,b");
    // Values may contain spaces and parentheses; keywords are plain text.
    assert_eq!(
        canonical("name=my bucket (old)"),
        "name:\"my bucket (old)\""
    );
    assert_eq!(
        canonical("status=not,and"),
        "status:\"not\" or status:\"and\""
    );
    assert_eq!(
        canonical("labels.\"app.kubernetes.io/name\"=web"),
        "labels.\"app.kubernetes.io/name\":web"
    );
}

#[test]
fn filter_values_and_spans() {
    let input = "region=us-east-1, eu-west-1";
    let f = parse_filters(input).unwrap();
    let clause = &f.clauses[0];
    assert_eq!(clause.span, Span::new(0, input.len()));
    assert_eq!(clause.path.segments, ["region"]);
    let Condition::Equals(lit) = &clause.values[1] else {
        panic!()
    };
    assert_eq!(lit.value, Value::Text("eu-west-1".into()));
    assert_eq!(&input[lit.span.start..lit.span.end], "eu-west-1");
}

#[test]
fn filters_match_documents() {
    let doc = json!({"instanceId": "i-secondId", "isPublic": true, "tags": [{"name": "env"}]});
    let q = parse_filters("instanceId=i-exampleId,i-secondId;isPublic=true")
        .unwrap()
        .to_query();
    assert!(q.matches(&doc));
    let q = parse_filters("instanceId=i-exampleId;isPublic=true")
        .unwrap()
        .to_query();
    assert!(!q.matches(&doc));
    let q = parse_filters("tags.name=ENV").unwrap().to_query();
    assert!(q.matches(&doc));
    // Combined with a searchTerm.
    let q = parse("isPublic:true")
        .unwrap()
        .and(parse_filters("tags.name=dev").unwrap().into());
    assert!(!q.matches(&doc));
}

#[track_caller]
fn check_err(input: &str, message: &str, column: usize) {
    let e = parse_filters(input).expect_err(input);
    assert_eq!(e.message(), message, "input: `{input}`");
    assert_eq!(e.column(), column, "input: `{input}`");
}

#[test]
fn errors() {
    check_err(
        "region",
        "expected `=` after the filter key `region`, found end of input",
        7,
    );
    check_err(
        "region:x",
        "expected `=` after the filter key `region`, found `:`",
        7,
    );
    check_err(
        "region=",
        "expected a value after `region=`, found end of input",
        8,
    );
    check_err(
        "region=a,,b",
        "expected a value after `region=`, found `,`",
        10,
    );
    check_err(
        "region=a;b=",
        "expected a value after `b=`, found end of input",
        12,
    );
    check_err("=x", "expected a filter key, found `=`", 1);
    check_err("a=1;,", "expected a filter key, found `,`", 5);
    check_err(
        "a=\"x\" y",
        "expected `,` or `;` after a filter value, found `y`",
        7,
    );
    check_err("a=\"x", "missing closing `\"` for the text quoted here", 3);
    check_err(
        "a=b\\",
        "expected a character after `\\`, found end of input",
        4,
    );
    check_err(
        "a=b\"c\"",
        "unexpected `\"` inside a word; put a space before the quoted text or escape it as `\\\"`",
        4,
    );
    check_err("a=1e999", "number `1e999` is out of range", 3);
    check_err(
        "d=2024-02-30",
        "invalid date `2024-02-30`: day must be between 01 and 29 in 2024-02",
        3,
    );
}
