//! PostgreSQL differential tests, run when `BULWARK_TEST_DATABASE_URL` is set
//! (e.g. `postgres://user@127.0.0.1:5432/db`); each test prints a note and
//! passes otherwise. Tables are `TEMP`, so nothing is left behind.

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
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Row};

const URL_VAR: &str = "BULWARK_TEST_DATABASE_URL";

fn database_url() -> Option<String> {
    let url = std::env::var(URL_VAR).ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("note: {URL_VAR} is not set; skipping the PostgreSQL differential test");
    }
    url
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One connection, so the `TEMP` table is visible to every statement.
async fn pool(url: &str) -> PgPool {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    // The recursive walks make the planner overestimate costs; with JIT on,
    // every query would pay ~300 ms of compilation (see the README).
    sqlx::query("SET jit = off").execute(&pool).await.unwrap();
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS bulwark_query_docs \
         (id int8 PRIMARY KEY, doc jsonb NOT NULL, title text, count numeric, enabled boolean)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS bulwark_query_labels (doc_id int8 NOT NULL, value text)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool
}

async fn load(pool: &PgPool, docs: &[Value]) {
    for table in ["bulwark_query_docs", "bulwark_query_labels"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(pool)
            .await
            .unwrap();
    }
    for (id, doc) in docs.iter().enumerate() {
        for label in common::label_rows(doc) {
            sqlx::query("INSERT INTO bulwark_query_labels VALUES ($1, $2)")
                .bind(id as i64)
                .bind(label)
                .execute(pool)
                .await
                .unwrap();
        }
        let count = doc["count"].is_number().then(|| doc["count"].to_string());
        sqlx::query("INSERT INTO bulwark_query_docs VALUES ($1, $2::jsonb, $3, $4::numeric, $5)")
            .bind(id as i64)
            .bind(doc.to_string())
            .bind(doc["title"].as_str().map(str::to_string))
            .bind(count)
            .bind(doc["enabled"].as_bool())
            .execute(pool)
            .await
            .unwrap();
    }
}

/// Runs the fragment after one parameter of our own, to exercise
/// `param_offset`.
async fn select(pool: &PgPool, fragment: &SqlFragment) -> Result<Vec<usize>, sqlx::Error> {
    let sql = format!(
        "SELECT id FROM bulwark_query_docs AS d WHERE id >= $1 AND {} ORDER BY id",
        fragment.sql
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(0i64);
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

async fn check(pool: &PgPool, query: &Query, docs: &[Value]) -> Result<(), TestCaseError> {
    let want: Vec<usize> = (0..docs.len())
        .filter(|&i| query.matches(&docs[i]))
        .collect();
    let map = common::column_map("bulwark_query_labels", "d.id");
    let base = SqlOptions::new(Dialect::Postgres, "d.doc").param_offset(1);
    for options in [base, base.field_map(&map)] {
        let fragment = query.to_sql(&options);
        let got = select(pool, &fragment)
            .await
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", fragment.sql)))?;
        prop_assert_eq!(&got, &want, "query `{}`\n{}", query, fragment.sql);
    }
    Ok(())
}

#[test]
fn postgres_agrees_with_matches() {
    let Some(url) = database_url() else { return };
    let rt = runtime();
    let pool = rt.block_on(pool(&url));
    let config = ProptestConfig::with_cases(common::cases(200));
    let strategy = (
        proptest::collection::vec(common::doc(), 0..10),
        proptest::collection::vec(common::query(), 1..4),
        common::filters(),
    );
    proptest::test_runner::TestRunner::new(config)
        .run(&strategy, |(docs, queries, filters)| {
            rt.block_on(async {
                load(&pool, &docs).await;
                for text in &queries {
                    let query =
                        parse(text).map_err(|e| TestCaseError::fail(format!("`{text}`: {e}")))?;
                    check(&pool, &query, &docs).await?;
                }
                let query = parse_filters(&filters)
                    .map_err(|e| TestCaseError::fail(format!("`{filters}`: {e}")))?
                    .to_query();
                check(&pool, &query, &docs).await
            })
        })
        .unwrap();
}

#[test]
fn postgres_fixed_cases() {
    let Some(url) = database_url() else { return };
    let docs = vec![
        json!({"name": "web-1", "tags": [{"name": "Prod-1"}, {"name": "dev"}], "size": 120,
               "createdAt": "2024-01-15T10:00:00Z", "isPublic": true, "title": "Ä web"}),
        json!({"name": "db", "tags": {"name": "prod"}, "size": 80.5, "a\"b": "quote",
               "createdAt": "2024-01-15T10:00:00.5Z", "count": 3}),
        json!({"name": "x", "tags": [[{"name": "prod-nested"}]], "size": "120", "n": null, "enabled": false}),
        json!({"name": "'; DROP TABLE bulwark_query_docs; --", "weird": "a%b_c!d"}),
        json!([{"name": "root-array"}]),
        json!({"quote": "say \"hi\"", "path": "back\\slash", "tab": "a\tb", "é": "Été"}),
    ];
    let queries = [
        "tags.name:prod*",
        "not tags.name:prod*",
        "size>100",
        "size:[80 TO 120}",
        "createdAt:2024-01-15T10:00:00",
        "createdAt>2024-01-15T10:00:00Z",
        "n:null",
        "_exists_:n",
        "\"a\\\"b\":quote",
        "name:\"'; DROP TABLE bulwark_query_docs; --\"",
        "weird:a?b?c?d",
        "title:\"ä web\"",
        "title:\"Ä WEB\"",
        "count:3 or enabled:false",
        "name:root-array",
        "80.5",
        "\"say \\\"hi\"",
        "back\\\\slash",
        "*\\\\sl*",
        "\"a\tb\"",
        "été",
        "\"é\":été",
        "\"É\":*",
        "",
    ];
    let rt = runtime();
    rt.block_on(async {
        let pool = pool(&url).await;
        load(&pool, &docs).await;
        for text in queries {
            check(&pool, &parse(text).unwrap(), &docs).await.unwrap();
        }
    });
}
