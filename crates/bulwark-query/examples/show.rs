//! Prints a query's canonical form and its SQL for both dialects, or the
//! parse error: `cargo run --example show -- 'tags.name:prod* or size>10'`.

use bulwark_query::{Dialect, SqlOptions, parse};

fn main() {
    let input = std::env::args().nth(1).unwrap_or_default();
    match parse(&input) {
        Ok(q) => {
            println!("canonical: {q}");
            for dialect in [Dialect::Sqlite, Dialect::Postgres] {
                let f = q.to_sql(&SqlOptions::new(dialect, "doc"));
                println!("{dialect:?}: {}\n  params: {:?}", f.sql, f.params);
            }
        }
        Err(e) => println!("error: {e}"),
    }
}
