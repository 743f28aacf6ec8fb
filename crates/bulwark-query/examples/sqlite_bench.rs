//! Times compiled queries on an in-memory SQLite table of generated assets:
//! `cargo run --release --example sqlite_bench -- [documents]` (default 100000).
//!
//! It shows what each SQL form costs per document (the general path walk, the
//! no-array fast path, a mapped and indexed column, a bare term), to help
//! choose which fields a store should map to columns.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark tool")]

use std::time::{Duration, Instant};

use bulwark_query::{Column, ColumnMap, Dialect, SqlOptions, SqlParam, parse};
use serde_json::json;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{AssertSqlSafe, Row, SqlitePool};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(n));
}

async fn run(n: usize) {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, \
         is_public INTEGER GENERATED ALWAYS AS (json_extract(doc, '$.isPublic')) VIRTUAL)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("CREATE TABLE tags (doc_id INTEGER NOT NULL, name TEXT, value TEXT)")
        .execute(&pool)
        .await
        .unwrap();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let mut tx = pool.begin().await.unwrap();
    for i in 0..n {
        let tags: Vec<_> = (0..next(4))
            .map(|j| json!({"name": pick(&["prod-web", "dev", "team", "owner"], next(4)), "value": j.to_string()}))
            .collect();
        let doc = json!({
            "id": format!("i-{i:08x}"),
            "name": format!("web-{i}"),
            "region": pick(&["us-east-1", "eu-west-1", "ap-south-1"], next(3)),
            "isPublic": next(10) == 0,
            "size": next(1000),
            "createdAt": format!("2024-{:02}-{:02}T10:00:00Z", next(12) + 1, next(28) + 1),
            "tags": &tags,
            "state": {"name": "running", "code": 16},
        });
        for tag in &tags {
            sqlx::query("INSERT INTO tags VALUES (?, ?, ?)")
                .bind(i as i64)
                .bind(tag["name"].as_str())
                .bind(tag["value"].as_str())
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        sqlx::query("INSERT INTO docs (id, doc) VALUES (?, ?)")
            .bind(i as i64)
            .bind(doc.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    for index in [
        "CREATE INDEX docs_is_public ON docs (is_public)",
        "CREATE INDEX tags_doc ON tags (doc_id)",
    ] {
        sqlx::query(index).execute(&pool).await.unwrap();
    }

    let mut columns = ColumnMap::new();
    columns
        .insert("isPublic", Column::boolean("docs.is_public"))
        .insert(
            "tags.name",
            Column::text("tg.name").in_rows("tags AS tg", "tg.doc_id = docs.id"),
        );
    let mut public = ColumnMap::new();
    public.insert("isPublic", Column::boolean("docs.is_public"));
    let plain = SqlOptions::new(Dialect::Sqlite, "docs.doc");
    let public_only = plain.field_map(&public);
    let mapped = plain.field_map(&columns);
    println!("{n} documents; median of 5 runs of SELECT count(*)");
    for (label, text, options) in [
        ("fast path", "isPublic:true", plain),
        ("mapped + index", "isPublic:true", mapped),
        ("nested, no array", "state.name:running", plain),
        ("through an array", "tags.name:prod*", plain),
        ("side table", "tags.name:prod*", mapped),
        ("both mapped", "isPublic:true and tags.name:prod*", mapped),
        (
            "one mapped",
            "isPublic:true and tags.name:prod*",
            public_only,
        ),
        ("missing field", "nothing:here", plain),
        ("bare term", "web-4242", plain),
    ] {
        let (count, time) = measure(&pool, text, &options).await;
        println!(
            "{label:>18}  {text:<36} {count:>8} rows  {:>9.1} ms",
            time.as_secs_f64() * 1e3
        );
    }
}

fn pick(items: &[&'static str], i: u64) -> &'static str {
    items.get(i as usize).copied().unwrap_or_default()
}

async fn measure(pool: &SqlitePool, text: &str, options: &SqlOptions<'_>) -> (i64, Duration) {
    let fragment = parse(text).unwrap().to_sql(options);
    let sql = format!("SELECT count(*) FROM docs WHERE {}", fragment.sql);
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..5 {
        let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
        for p in &fragment.params {
            q = match p {
                SqlParam::Text(s) => q.bind(s.clone()),
                SqlParam::Int(i) => q.bind(*i),
                SqlParam::Float(f) => q.bind(*f),
            };
        }
        let start = Instant::now();
        count = q.fetch_one(pool).await.unwrap().get(0);
        times.push(start.elapsed());
    }
    times.sort();
    (count, times.get(2).copied().unwrap_or_default())
}
