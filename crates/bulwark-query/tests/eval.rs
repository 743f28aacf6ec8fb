//! The reference semantics of `Query::matches`, construct by construct.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use bulwark_query::parse;
use serde_json::{Value, json};

#[track_caller]
fn yes(query: &str, doc: &Value) {
    assert!(
        parse(query).unwrap().matches(doc),
        "`{query}` should match {doc}"
    );
}

#[track_caller]
fn no(query: &str, doc: &Value) {
    assert!(
        !parse(query).unwrap().matches(doc),
        "`{query}` should not match {doc}"
    );
}

fn asset() -> Value {
    json!({
        "name": "Web-Server-1",
        "region": "us-east-1",
        "isPublic": true,
        "size": 120,
        "ratio": 0.5,
        "port": "80",
        "state": "TRUE",
        "owner": null,
        "createdAt": "2024-01-15T10:30:00.5Z",
        "tags": [{"name": "Prod-web", "value": "1"}, {"name": "team", "value": "blue"}],
        "ports": [22, 443],
        "matrix": [[{"k": "deep"}], [[{"k": "deeper"}]]],
        "meta": {"labels": {"app.kubernetes.io/name": "web"}, "empty": [], "nulls": [null]},
        "a%b": "x_y",
    })
}

#[test]
fn text_equality_ignores_ascii_case_only() {
    let d = asset();
    yes("region:us-east-1", &d);
    yes("region:US-EAST-1", &d);
    yes("name:\"web-server-1\"", &d);
    no("region:us-east", &d);
    no("region:\"us-east-1 \"", &d);
    let u = json!({"city": "Åre", "word": "straße"});
    yes("city:\"Åre\"", &u);
    no("city:\"åre\"", &u);
    no("word:STRASSE", &u);
}

#[test]
fn patterns_match_whole_strings() {
    let d = asset();
    yes("name:web*", &d);
    yes("name:*SERVER*", &d);
    yes("name:web-server-?", &d);
    no("name:server*", &d);
    no("name:web-server-??", &d);
    yes("\"a%b\":x?y", &d);
    no("\"a%b\":x\\?y", &d);
    yes("\"a%b\":x_y", &d);
    no("size:1*", &d);
}

#[test]
fn numbers_match_numbers_and_their_text() {
    let d = asset();
    yes("size:120", &d);
    yes("size:120.0", &d);
    yes("size:1.2e2", &d);
    no("size:121", &d);
    yes("ratio:0.5", &d);
    yes("ratio:5e-1", &d);
    yes("port:80", &d);
    no("port:80.0", &d);
    no("port:080", &d);
    yes("ports:443", &d);
    no("ports:80", &d);
}

#[test]
fn booleans_and_null() {
    let d = asset();
    yes("isPublic:true", &d);
    yes("isPublic:TRUE", &d);
    no("isPublic:false", &d);
    no("isPublic:\"true\"", &d);
    yes("state:true", &d);
    yes("state:\"true\"", &d);
    yes("owner:null", &d);
    no("region:null", &d);
    no("missing:null", &d);
    yes("meta.nulls:null", &d);
    yes("x:null", &json!({"x": "NULL"}));
}

#[test]
fn comparisons_apply_to_numbers_only() {
    let d = asset();
    yes("size>100", &d);
    yes("size>=120", &d);
    no("size>120", &d);
    yes("size<=120", &d);
    no("size<120", &d);
    yes("ratio<1", &d);
    no("port>10", &d);
    no("isPublic>0", &d);
    yes("ports>400", &d);
    yes("ports<23", &d);
    no("ports>443", &d);
    yes("size:[120 TO 130]", &d);
    no("size:{120 TO 130]", &d);
    yes("size:[100 TO 120]", &d);
    no("size:[100 TO 120}", &d);
    yes("size:[* TO 120]", &d);
    yes("size:[100 TO *]", &d);
    // A range tests one element; a group tests each term on its own.
    no("ports:{100 TO 400}", &d);
    yes("ports:(>100 and <400)", &d);
    let big = json!({"n": 9_007_199_254_740_993u64, "u": u64::MAX, "f": 1e300});
    yes("n:9007199254740993", &big);
    no("n:9007199254740992", &big);
    yes("u>9223372036854775807", &big);
    yes("f>1e299", &big);
}

#[test]
fn dates_compare_at_the_literal_precision() {
    let d = asset();
    yes("createdAt:2024", &json!({"createdAt": 2024}));
    yes("createdAt:2024-01", &d);
    yes("createdAt:2024-01-15", &d);
    yes("createdAt:2024-01-15T10", &d);
    yes("createdAt:2024-01-15T10:30", &d);
    yes("createdAt:2024-01-15T10:30:00", &d);
    yes("createdAt:2024-01-15T10:30:00Z", &d);
    yes("createdAt:2024-01-15T10:30:00.5", &d);
    no("createdAt:2024-01-15T10:30:00.6", &d);
    no("createdAt:2024-01-16", &d);
    yes("createdAt>=2024-01-15", &d);
    yes("createdAt<=2024-01-15", &d);
    no("createdAt>2024-01-15", &d);
    no("createdAt<2024-01-15", &d);
    yes("createdAt>2024-01-14", &d);
    yes("createdAt<2024-02", &d);
    yes("createdAt:[2024-01 TO 2024-02}", &d);
    no("createdAt:[2024-02 TO 2024-03]", &d);
    // Only date-shaped strings take part.
    no("x>2024-01-01", &json!({"x": "zzz"}));
    no("x<2099-01-01", &json!({"x": "2024/01/01"}));
    no("x<2099-01-01", &json!({"x": 5}));
    yes("x<2099-01-01", &json!({"x": "2024-01-01 garbage"}));
    no("x:2024-01-01T10:00", &json!({"x": "2024-01-01 10:00"}));
}

#[test]
fn existence() {
    let d = asset();
    yes("region:*", &d);
    yes("_exists_:region", &d);
    no("owner:*", &d);
    no("missing:*", &d);
    yes("not missing:*", &d);
    yes("tags:*", &d);
    no("meta.empty:*", &d);
    no("meta.nulls:*", &d);
    yes("meta.labels:*", &d);
}

#[test]
fn paths_cross_arrays_at_any_depth() {
    let d = asset();
    yes("tags.name:prod*", &d);
    yes("tags.value:blue", &d);
    no("tags.name:blue", &d);
    no("not tags.name:prod*", &d);
    yes("matrix.k:deep", &d);
    yes("matrix.k:deeper", &d);
    yes("meta.labels.\"app.kubernetes.io/name\":web", &d);
    no("meta.labels.app.kubernetes.io/name:web", &d);
    // A root array is crossed too; scalars on the way end the path.
    yes("a:1", &json!([{"a": 1}, {"a": 2}]));
    no("region.x:*", &d);
    // Object values are present but equal nothing.
    no("meta:web", &d);
}

#[test]
fn bare_terms_search_every_value() {
    let d = asset();
    yes("server", &d);
    yes("SERVER-1", &d);
    yes("\"server-1\"", &d);
    yes("deeper", &d);
    yes("kubernetes", &json!({"k": ["app.kubernetes.io"]}));
    no("labels", &d);
    yes("web*", &d);
    no("server*", &d);
    yes("443", &d);
    yes("0.5", &d);
    yes("80", &d);
    no("444", &d);
    yes("2024-01-15", &d);
    yes("true", &d);
    no("false", &d);
    yes("x_y", &d);
    no("x%y", &d);
    yes("*", &d);
    no("not *", &d);
}

#[test]
fn boolean_logic() {
    let d = asset();
    yes("isPublic:true and tags.name:prod*", &d);
    no("isPublic:true and tags.name:dev*", &d);
    yes("isPublic:false or tags.name:prod*", &d);
    yes("not isPublic:false", &d);
    yes("region:(eu-west-1 or us-east-1)", &d);
    no("region:(eu-west-1 or us-west-2)", &d);
    yes("isPublic:true region:us-east-1", &d);
    yes("size:(not 5)", &d);
    yes("region:eu-west-1 or size:120 and isPublic:true", &d);
    no("(region:eu-west-1 or size:120) and isPublic:false", &d);
    yes("", &d);
}

#[test]
fn filters_combine_with_search_terms() {
    let d = asset();
    let term = parse("tags.name:prod*").unwrap();
    let f = bulwark_query::parse_filters("region=eu-west-1,us-east-1;isPublic=true").unwrap();
    assert!(term.clone().and(f.to_query()).matches(&d));
    let f = bulwark_query::parse_filters("region=eu-west-1;isPublic=true").unwrap();
    assert!(!term.and(f.into()).matches(&d));
}
