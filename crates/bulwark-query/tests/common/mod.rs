//! Generators shared by the property tests: query strings that exercise
//! every construct, documents that make them match often, and the mapped
//! columns used by the differential tests.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use bulwark_query::{Column, ColumnMap};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Test case count: `PROPTEST_CASES` if set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const PATHS: &[&str] = &[
    "name",
    "title",
    "count",
    "enabled",
    "size",
    "isPublic",
    "tags",
    "tags.name",
    "tags.value",
    "createdAt",
    "meta.owner",
    "meta.ports",
    "meta",
    "\"odd.key\"",
    "meta.\"odd.key\"",
    "\"q\\\"k\"",
    "meta.\"q\\\"k\".x",
    "missing",
    "nested.x.y",
    "labels",
];

const VALUES: &[&str] = &[
    "prod",
    "Prod*",
    "prod-1",
    "*-db",
    "?ev",
    "*prod*",
    "\"web server\"",
    "web\\ server",
    "80",
    "-3",
    "1.5",
    "0",
    "2",
    "1e3",
    "2024-01",
    "2024-01-15",
    "2024-01-15T10:00:00Z",
    "2024-01-15T10",
    "true",
    "FALSE",
    "null",
    "*",
    "\"\"",
    "a\\*b",
    "a*b",
    "É",
    "é",
    "x_y",
    "a%b",
    "\"null\"",
    "\"80\"",
    "\"TRUE\"",
    "i-???",
    "dev",
];

const BOUNDS: &[&str] = &[
    "0",
    "1.5",
    "80",
    "-3",
    "100",
    "2",
    "2024-01",
    "2024-01-15",
    "2024-01-15T10:00",
    "2023-12-31T23:59:59Z",
    "2024-01-15T10:00:00.5",
];

const BARE: &[&str] = &[
    "\"say \\\"hi\"",
    "back\\\\slash",
    "*\\\\sl*",
    "\"tab\there\"",
    "prod",
    "80",
    "web",
    "\"web server\"",
    "pro*",
    "2024",
    "*",
    "É",
    "x_y",
    "%",
    "1.5",
    "true",
    "\"\"",
];

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(items).prop_map(str::to_string)
}

fn keyword(word: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(word.to_string()),
        Just(word.to_uppercase()),
        Just({
            let mut s = word.to_string();
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            s
        }),
    ]
}

fn op() -> impl Strategy<Value = String> {
    pick(&[">", ">=", "<", "<="])
}

fn is_date(bound: &str) -> bool {
    bound.contains('-') && bound.len() > 3
}

/// A range with bounds of one kind (or `*`).
fn range() -> impl Strategy<Value = String> {
    (
        pick(&["[", "{"]),
        pick(&["]", "}"]),
        pick(BOUNDS),
        pick(BOUNDS),
        0..4u8,
    )
        .prop_map(|(open, close, lo, hi, star)| {
            let (lo, hi) = if is_date(&lo) == is_date(&hi) {
                (lo, hi)
            } else {
                (lo.clone(), lo)
            };
            match star {
                0 => format!("{open}* TO {hi}{close}"),
                1 => format!("{open}{lo} TO *{close}"),
                _ => format!("{open}{lo} TO {hi}{close}"),
            }
        })
}

/// A condition as written after `field:` or inside a field group.
fn condition() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(VALUES),
        1 => (op(), pick(BOUNDS)).prop_map(|(o, b)| format!("{o}{b}")),
        1 => range(),
    ]
}

/// A field group's content: conditions combined with and/or/not.
fn group_body() -> impl Strategy<Value = String> {
    let leaf = condition();
    leaf.prop_recursive(2, 6, 3, |inner| {
        prop_oneof![
            (inner.clone(), keyword("or"), inner.clone())
                .prop_map(|(a, k, b)| format!("{a} {k} {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
            (keyword("not"), inner.clone()).prop_map(|(k, a)| format!("{k} {a}")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

/// One term.
fn term() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (pick(PATHS), pick(VALUES)).prop_map(|(p, v)| format!("{p}:{v}")),
        2 => (pick(PATHS), op(), pick(BOUNDS), any::<bool>())
            .prop_map(|(p, o, b, space)| if space { format!("{p} {o} {b}") } else { format!("{p}{o}{b}") }),
        1 => (pick(PATHS), range()).prop_map(|(p, r)| format!("{p}:{r}")),
        1 => pick(PATHS).prop_map(|p| format!("_exists_:{p}")),
        1 => (pick(PATHS), group_body()).prop_map(|(p, g)| format!("{p}:({g})")),
        2 => pick(BARE),
    ]
}

/// A whole `searchTerm` that must parse.
pub fn query() -> impl Strategy<Value = String> {
    term().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (inner.clone(), keyword("and"), inner.clone())
                .prop_map(|(a, k, b)| format!("{a} {k} {b}")),
            (inner.clone(), keyword("or"), inner.clone())
                .prop_map(|(a, k, b)| format!("{a} {k} {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
            (keyword("not"), inner.clone()).prop_map(|(k, a)| format!("{k} {a}")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

/// A `filters` string that must parse.
pub fn filters() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        pick(VALUES),
        Just("my bucket".to_string()),
        Just("and".to_string())
    ];
    let clause = (pick(PATHS), proptest::collection::vec(value, 1..4))
        .prop_map(|(p, vs)| format!("{p}={}", vs.join(",")));
    proptest::collection::vec(clause, 0..4).prop_map(|cs| cs.join(";"))
}

const STRINGS: &[&str] = &[
    "prod",
    "Prod-1",
    "PROD",
    "my-prod-bucket",
    "dev",
    "dev-db",
    "web server",
    "Web Server",
    "80",
    "true",
    "TRUE",
    "null",
    "",
    "É",
    "é",
    "a%b",
    "x_y",
    "xay",
    "a*b",
    "aXb",
    "i-abc",
    "i-ab",
    "2024-01-15T10:00:00Z",
    "2024-01-15T10:00:00.5Z",
    "2024-01-15T10:00:01Z",
    "2024-01-15",
    "2024-01-31",
    "2023-12-31T23:59:59Z",
    "2024-01",
    "2024-02-01T00:00:00Z",
    "unknown",
    "2024-01-15 10:00",
    "9999",
    "say \"hi\"",
    "back\\slash",
    "tab\there",
];

fn string() -> impl Strategy<Value = Value> {
    pick(STRINGS).prop_map(Value::String)
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        proptest::sample::select(&[0i64, 1, 2, -3, 80, 100, 1000, 2024][..]).prop_map(|n| json!(n)),
        proptest::sample::select(&[1.5f64, 2.0, -0.5, 80.25, 1e3][..]).prop_map(|n| json!(n)),
    ]
}

/// Any scalar.
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => string(),
        2 => number(),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ]
}

/// Any JSON value, small and nested.
fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::vec((pick(&["name", "value", "x", "y", "owner"]), inner), 0..3)
                .prop_map(|kvs| Value::Object(kvs.into_iter().collect())),
        ]
    })
}

fn tag() -> impl Strategy<Value = Value> {
    (scalar(), proptest::option::of(scalar())).prop_map(|(name, value)| {
        let mut m = Map::new();
        m.insert("name".into(), name);
        if let Some(v) = value {
            m.insert("value".into(), v);
        }
        Value::Object(m)
    })
}

fn tags() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => proptest::collection::vec(tag(), 0..4).prop_map(Value::Array),
        1 => tag(),
        1 => proptest::collection::vec(proptest::collection::vec(tag(), 0..2).prop_map(Value::Array), 0..3)
            .prop_map(Value::Array),
        1 => value(),
    ]
}

/// A document. `title`, `count` and `enabled` respect the mapped-column
/// contract (one type or null/missing, never arrays).
pub fn doc() -> impl Strategy<Value = Value> {
    let opt = |s: BoxedStrategy<Value>| proptest::option::weighted(0.8, s);
    (
        (
            opt(prop_oneof![3 => scalar(), 1 => value()].boxed()),
            opt(prop_oneof![4 => string(), 1 => Just(Value::Null)].boxed()),
            opt(prop_oneof![4 => number(), 1 => Just(Value::Null)].boxed()),
            opt(
                prop_oneof![4 => any::<bool>().prop_map(Value::Bool), 1 => Just(Value::Null)]
                    .boxed(),
            ),
            opt(prop_oneof![3 => number(), 1 => scalar()].boxed()),
            opt(prop_oneof![3 => any::<bool>().prop_map(Value::Bool), 1 => scalar()].boxed()),
        ),
        (
            opt(tags().boxed()),
            opt(prop_oneof![4 => string(), 1 => value()].boxed()),
            opt(value().boxed()),
            opt(string().boxed()),
            opt(value().boxed()),
            opt(labels().boxed()),
        ),
    )
        .prop_map(
            |(
                (name, title, count, enabled, size, public),
                (tags, created, meta, odd, nested, labels),
            )| {
                let mut m = Map::new();
                let fields = [
                    ("name", name),
                    ("title", title),
                    ("count", count),
                    ("enabled", enabled),
                    ("size", size),
                    ("isPublic", public),
                    ("tags", tags),
                    ("createdAt", created),
                    ("odd.key", odd.clone()),
                    ("q\"k", odd),
                    ("labels", labels),
                ];
                for (k, v) in fields {
                    if let Some(v) = v {
                        m.insert(k.into(), v);
                    }
                }
                if let Some(meta) = meta {
                    let mut inner = Map::new();
                    inner.insert("owner".into(), meta.clone());
                    inner.insert("ports".into(), json!([22, 443, meta]));
                    inner.insert("odd.key".into(), json!("dev"));
                    inner.insert("q\"k".into(), json!([{"x": "dev"}, "prod"]));
                    m.insert("meta".into(), Value::Object(inner));
                }
                if let Some(n) = nested {
                    m.insert(
                        "nested".into(),
                        json!([{"x": {"y": n}}, {"x": [{"y": 80}]}]),
                    );
                }
                Value::Object(m)
            },
        )
}

/// `labels`: strings or nulls, possibly in nested arrays (a multi-valued
/// field kept in a side table).
fn labels() -> impl Strategy<Value = Value> {
    let item = prop_oneof![4 => string(), 1 => Just(Value::Null)];
    prop_oneof![
        3 => proptest::collection::vec(item.clone(), 0..4).prop_map(Value::Array),
        1 => proptest::collection::vec(proptest::collection::vec(item.clone(), 0..3).prop_map(Value::Array), 0..3)
            .prop_map(Value::Array),
        1 => item,
    ]
}

/// The values of `labels` as side-table rows (arrays flattened).
pub fn label_rows(doc: &Value) -> Vec<Option<String>> {
    fn walk(v: &Value, out: &mut Vec<Option<String>>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::String(s) => out.push(Some(s.clone())),
            Value::Null => out.push(None),
            other => panic!("labels hold strings and nulls, not {other}"),
        }
    }
    let mut out = Vec::new();
    if let Some(labels) = doc.get("labels") {
        walk(labels, &mut out);
    }
    out
}

/// The columns the differential tests map, matching `doc()`. `labels`
/// lives in a side table `{labels_table} AS lb (doc_id, value)`.
pub fn column_map(labels_table: &str, doc_id: &str) -> ColumnMap {
    let mut map = ColumnMap::new();
    map.insert("title", Column::text("title"))
        .insert("count", Column::number("count"))
        .insert("enabled", Column::boolean("enabled"))
        .insert(
            "labels",
            Column::text("lb.value").in_rows(
                format!("{labels_table} AS lb"),
                format!("lb.doc_id = {doc_id}"),
            ),
        );
    map
}
