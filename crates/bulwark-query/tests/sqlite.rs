//! SQLite differential tests: the compiled SQL selects exactly the documents
//! that `Query::matches` accepts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

mod common;

use bulwark_query::{Dialect, Query, SqlFragment, SqlOptions, SqlParam, parse, parse_filters};
use proptest::prelude::*;
use serde_json::{Value, json};
use sqlx::sqlite::{SqlitePool, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Row};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn pool() -> SqlitePool {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, title, count, enabled)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("CREATE TABLE labels (doc_id INTEGER NOT NULL, value TEXT)")
        .execute(&pool)
        .await
        .unwrap();
    pool
}

/// Replaces the table's rows; the mapped columns get the value at their
/// path (what a generated column would hold).
async fn load(pool: &SqlitePool, docs: &[Value]) {
    sqlx::query("DELETE FROM docs").execute(pool).await.unwrap();
    sqlx::query("DELETE FROM labels")
        .execute(pool)
        .await
        .unwrap();
    for (id, doc) in docs.iter().enumerate() {
        for label in common::label_rows(doc) {
            sqlx::query("INSERT INTO labels VALUES (?, ?)")
                .bind(id as i64)
                .bind(label)
                .execute(pool)
                .await
                .unwrap();
        }
        let count = &doc["count"];
        sqlx::query("INSERT INTO docs VALUES (?, ?, ?, ?, ?)")
            .bind(id as i64)
            .bind(doc.to_string())
            .bind(doc["title"].as_str().map(str::to_string))
            .bind(count.as_i64())
            .bind(doc["enabled"].as_bool().map(i64::from))
            .execute(pool)
            .await
            .unwrap();
        if count.is_f64() {
            sqlx::query("UPDATE docs SET count = ? WHERE id = ?")
                .bind(count.as_f64())
                .bind(id as i64)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

async fn select(pool: &SqlitePool, fragment: &SqlFragment) -> Result<Vec<usize>, sqlx::Error> {
    let sql = format!("SELECT id FROM docs WHERE {} ORDER BY id", fragment.sql);
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for p in &fragment.params {
        q = match p {
            SqlParam::Text(s) => q.bind(s.clone()),
            SqlParam::Int(i) => q.bind(*i),
            SqlParam::Float(f) => q.bind(*f),
        };
    }
    let rows = q.fetch_all(pool).await?;
    Ok(rows.iter().map(|r| r.get::<i64, _>(0) as usize).collect())
}

fn expected(query: &Query, docs: &[Value]) -> Vec<usize> {
    (0..docs.len())
        .filter(|&i| query.matches(&docs[i]))
        .collect()
}

/// Checks one query against the loaded docs, without and with mapped columns.
async fn check(pool: &SqlitePool, query: &Query, docs: &[Value]) -> Result<(), TestCaseError> {
    let want = expected(query, docs);
    let map = common::column_map("labels", "docs.id");
    for options in [
        SqlOptions::new(Dialect::Sqlite, "docs.doc"),
        SqlOptions::new(Dialect::Sqlite, "docs.doc").field_map(&map),
    ] {
        let fragment = query.to_sql(&options);
        let got = select(pool, &fragment)
            .await
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", fragment.sql)))?;
        prop_assert_eq!(&got, &want, "query `{}`\n{}", query, fragment.sql);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(300)))]

    #[test]
    fn sqlite_agrees_with_matches(
        docs in proptest::collection::vec(common::doc(), 0..10),
        queries in proptest::collection::vec(common::query(), 1..4),
    ) {
        let rt = runtime();
        rt.block_on(async {
            let pool = pool().await;
            load(&pool, &docs).await;
            for text in &queries {
                let query = parse(text).map_err(|e| TestCaseError::fail(format!("`{text}`: {e}")))?;
                check(&pool, &query, &docs).await?;
            }
            Ok::<(), TestCaseError>(())
        })?;
    }

    #[test]
    fn sqlite_agrees_with_matches_for_filters(
        docs in proptest::collection::vec(common::doc(), 0..10),
        filters in common::filters(),
    ) {
        let rt = runtime();
        rt.block_on(async {
            let pool = pool().await;
            load(&pool, &docs).await;
            let query = parse_filters(&filters)
                .map_err(|e| TestCaseError::fail(format!("`{filters}`: {e}")))?
                .to_query();
            check(&pool, &query, &docs).await
        })?;
    }
}

/// Hand-picked documents and queries, including the cases the generators
/// are least likely to hit.
#[test]
fn sqlite_fixed_cases() {
    let docs = vec![
        json!({"name": "web-1", "tags": [{"name": "Prod-1", "value": "x"}, {"name": "dev"}], "size": 120,
               "createdAt": "2024-01-15T10:00:00Z", "isPublic": true}),
        json!({"name": "db", "tags": {"name": "prod"}, "size": 80.5, "createdAt": "2023-12-31T23:59:59Z",
               "isPublic": "TRUE", "a\"b": "quote", "odd.key": "dot"}),
        json!({"name": "x", "tags": [[{"name": "prod-nested"}]], "size": "120", "isPublic": false,
               "createdAt": "unknown", "n": null}),
        json!({"name": "'; DROP TABLE docs; --", "tags": [], "weird": "a%b_c!d"}),
        json!([{"name": "root-array"}]),
        json!({"quote": "say \"hi\"", "path": "back\\slash", "tab": "a\tb", "é": "Été"}),
        json!("just a string"),
    ];
    let queries = [
        "tags.name:prod*",
        "not tags.name:prod*",
        "isPublic:true",
        "isPublic:\"true\"",
        "size>100",
        "size:120",
        "size:[80 TO 120}",
        "createdAt:2024-01",
        "createdAt<2024",
        "createdAt>=2024-01-15T10:00:00Z",
        "createdAt:[2023-12-31 TO 2024-01-15]",
        "_exists_:n",
        "n:null",
        "n:*",
        "\"a\\\"b\":quote",
        "\"odd.key\":dot",
        "name:\"'; DROP TABLE docs; --\"",
        "weird:a%b_c!d",
        "weird:a?b?c?d",
        "weird:*%*",
        "DROP",
        "\"just a\"",
        "name:root-array",
        "80.5",
        "\"say \\\"hi\"",
        "back\\\\slash",
        "*\\\\sl*",
        "\"a\tb\"",
        "été",
        "\"é\":été",
        "\"É\":*",
        "size:(>100 or <81)",
        "*",
        "",
        "not *",
    ];
    let rt = runtime();
    rt.block_on(async {
        let pool = pool().await;
        load(&pool, &docs).await;
        for text in queries {
            let query = parse(text).unwrap();
            check(&pool, &query, &docs).await.unwrap();
        }
        // The table survived the injection attempt.
        let q = parse("name:db").unwrap();
        let frag = q.to_sql(&SqlOptions::new(Dialect::Sqlite, "docs.doc"));
        assert_eq!(select(&pool, &frag).await.unwrap(), vec![1]);
    });
}

/// The deepest query the parser accepts still runs in SQLite.
#[test]
fn sqlite_runs_the_deepest_query() {
    let depth = bulwark_query::MAX_DEPTH;
    let text = format!(
        "{}tags.name:prod*{}",
        "(not ".repeat(depth / 2),
        ")".repeat(depth / 2)
    );
    let query = parse(&text).unwrap();
    let docs = vec![json!({"tags": [{"name": "prod"}]}), json!({"tags": []})];
    let rt = runtime();
    rt.block_on(async {
        let pool = pool().await;
        load(&pool, &docs).await;
        check(&pool, &query, &docs).await.unwrap();
    });
    assert!(
        parse(&format!(
            "{}a:1{}",
            "(".repeat(depth + 1),
            ")".repeat(depth + 1)
        ))
        .is_err()
    );
}

/// A long flat query (many parameters) runs.
#[test]
fn sqlite_runs_a_wide_query() {
    let text = (0..400)
        .map(|i| format!("tags.name:v{i}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let query = parse(&text).unwrap();
    let docs = vec![
        json!({"tags": [{"name": "v399"}]}),
        json!({"tags": [{"name": "v400"}]}),
    ];
    let rt = runtime();
    rt.block_on(async {
        let pool = pool().await;
        load(&pool, &docs).await;
        check(&pool, &query, &docs).await.unwrap();
    });
    assert!(query.matches(&docs[0]) && !query.matches(&docs[1]));
}
