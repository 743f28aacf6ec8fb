//! The shape of the generated SQL: placeholders, parameter order, mapped
//! columns, and that user input never reaches the SQL text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use bulwark_query::{
    Column, ColumnMap, Dialect, FieldMap, Query, SqlOptions, SqlParam, parse, parse_filters,
};

fn sqlite(q: &Query) -> bulwark_query::SqlFragment {
    q.to_sql(&SqlOptions::new(Dialect::Sqlite, "t.doc"))
}

fn postgres(q: &Query, offset: usize) -> bulwark_query::SqlFragment {
    q.to_sql(&SqlOptions::new(Dialect::Postgres, "t.doc").param_offset(offset))
}

#[test]
fn empty_and_match_all_queries_are_true() {
    for text in ["", "*"] {
        let q = parse(text).unwrap();
        assert_eq!(sqlite(&q).sql, "(1 = 1)");
        assert!(sqlite(&q).params.is_empty());
    }
    assert_eq!(sqlite(&parse("not *").unwrap()).sql, "(NOT (1 = 1))");
}

#[test]
fn user_input_only_travels_as_parameters() {
    let marker = "zqx";
    let hostile = [
        format!("name:\"'{marker}'); DROP TABLE t; --\""),
        format!("\"{marker}\\\"'--\":x"),
        format!("a.\"{marker}$1?\".b:*"),
        format!("name:{marker}*'"),
        format!("\"{marker}' OR 1=1 --\""),
        format!("{marker}*"),
        format!("size:({marker}\\) or x)"),
    ];
    for text in &hostile {
        let q = parse(text).unwrap();
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let f = q.to_sql(&SqlOptions::new(dialect, "t.doc"));
            assert!(!f.sql.contains(marker), "{text}: {}", f.sql);
            let joined: String = f
                .params
                .iter()
                .map(|p| format!("{p:?}"))
                .collect::<Vec<_>>()
                .concat();
            assert!(joined.contains(marker), "{text}: {:?}", f.params);
        }
    }
    let f = parse_filters(&format!("k{marker}=v{marker}")).unwrap();
    let frag = sqlite(&f.to_query());
    assert!(!frag.sql.contains(marker));
}

#[test]
fn sqlite_placeholders_are_in_parameter_order() {
    let q = parse("tags.name:prod* and size>5 or \"web\"").unwrap();
    let f = sqlite(&q);
    assert_eq!(f.sql.matches('?').count(), f.params.len());
    assert!(!f.sql.contains('$'));
    // Keys, then the pattern, then the lookup paths, in text order.
    let texts: Vec<&SqlParam> = f.params.iter().take(3).collect();
    assert_eq!(texts[0], &SqlParam::Text("prod%".into()));
    assert_eq!(texts[1], &SqlParam::Text("tags".into()));
    assert_eq!(texts[2], &SqlParam::Text("name".into()));
    assert!(f.params.contains(&SqlParam::Int(5)));
    assert_eq!(f.params.last(), Some(&SqlParam::Text("web".into())));
}

#[test]
fn postgres_placeholders_start_after_the_offset() {
    let q = parse("size>=1.5 and name:a").unwrap();
    let f = postgres(&q, 3);
    assert!(f.sql.contains("$4::text"));
    assert!(!f.sql.contains("$3::") && !f.sql.contains('?'));
    let last = 3 + f.params.len();
    assert!(f.sql.contains(&format!("${last}::")));
    assert!(!f.sql.contains(&format!("${}::", last + 1)));
    assert!(f.params.contains(&SqlParam::Float(1.5)));
    assert!(f.sql.contains("::float8"));
    assert!(
        postgres(&q, 0).sql.matches("$1::text").count() > 1,
        "the key is reused"
    );
}

#[test]
fn mapped_columns_replace_document_lookups() {
    let mut map = ColumnMap::new();
    map.insert("isPublic", Column::boolean("t.is_public"))
        .insert("size", Column::number("t.size"))
        .insert("name", Column::text("t.name"))
        .insert_path(vec!["a.b".into()], Column::text("t.ab"));
    let options = SqlOptions::new(Dialect::Sqlite, "t.doc").field_map(&map);
    let sql = |text: &str| parse(text).unwrap().to_sql(&options);

    let f = sql("isPublic:true");
    assert_eq!(f.sql, "((t.is_public IS NOT NULL AND t.is_public = 1))");
    assert!(f.params.is_empty());
    let f = sql("size>10");
    assert_eq!(f.sql, "((t.size IS NOT NULL AND t.size > ?))");
    assert_eq!(f.params, [SqlParam::Int(10)]);
    let f = sql("name:Web*");
    assert_eq!(
        f.sql,
        "((t.name IS NOT NULL AND lower(t.name) LIKE ? ESCAPE '!'))"
    );
    assert_eq!(f.params, [SqlParam::Text("web%".into())]);
    assert!(sql("\"a.b\":x").sql.contains("t.ab"));
    // A text value can never equal a number column, and so on.
    assert_eq!(sql("size:abc").sql, "(1 = 0)");
    assert_eq!(sql("isPublic>1").sql, "(1 = 0)");
    // `null` needs the document: a column cannot tell null from missing.
    assert!(sql("name:null").sql.contains("t.doc"));
    assert!(!sql("name:*").sql.contains("t.doc"));
    // Dates on a text column are plain range comparisons.
    let f = sql("name:2024-01");
    assert!(f.sql.contains("t.name GLOB ?"), "{}", f.sql);
    assert!(f.sql.contains("t.name COLLATE BINARY >= ?"));
    assert!(f.sql.contains("t.name COLLATE BINARY < ?"));
    assert_eq!(
        f.params[1..],
        [
            SqlParam::Text("2024-01".into()),
            SqlParam::Text("2024-02".into())
        ]
    );

    let pg = SqlOptions::new(Dialect::Postgres, "t.doc").field_map(&map);
    let f = parse("isPublic:false and name:x").unwrap().to_sql(&pg);
    assert!(f.sql.contains("t.is_public = FALSE"));
    assert!(f.sql.contains("lower((t.name) COLLATE \"C\") = $1::text"));
}

#[test]
fn field_maps_can_be_closures_over_any_lookup() {
    struct Prefixed;
    impl FieldMap for Prefixed {
        fn column(&self, path: &[String]) -> Option<Column> {
            (path.len() == 1).then(|| Column::text(format!("t.c_{}", path[0].to_lowercase())))
        }
    }
    let options = SqlOptions::new(Dialect::Sqlite, "t.doc").field_map(&Prefixed);
    let f = parse("Region:x and a.b:y").unwrap().to_sql(&options);
    assert!(f.sql.contains("lower(t.c_region) = ?"));
    assert!(
        f.sql.contains("json_type(t.doc"),
        "a.b is not mapped: {}",
        f.sql
    );
}

#[test]
fn keys_sqlite_paths_cannot_address_use_the_general_walk() {
    let f = sqlite(&parse("\"a\\\"b\":x").unwrap());
    assert!(f.sql.starts_with("EXISTS (WITH RECURSIVE"), "{}", f.sql);
    let f = sqlite(&parse("a:x").unwrap());
    assert!(f.sql.starts_with("(SELECT CASE WHEN bqf.ok"), "{}", f.sql);
    assert!(f.params.contains(&SqlParam::Text("$.\"a\"".into())));
}

#[test]
fn multi_valued_columns_are_answered_from_their_rows() {
    let mut map = ColumnMap::new();
    map.insert(
        "tags.name",
        Column::text("tg.name").in_rows("asset_tags AS tg", "tg.asset_id = t.id"),
    );
    let options = SqlOptions::new(Dialect::Sqlite, "t.doc").field_map(&map);
    let f = parse("not tags.name:prod*").unwrap().to_sql(&options);
    assert_eq!(
        f.sql,
        "(NOT EXISTS (SELECT 1 FROM asset_tags AS tg WHERE (tg.asset_id = t.id) AND \
         ((tg.name IS NOT NULL AND lower(tg.name) LIKE ? ESCAPE '!'))))"
    );
    assert_eq!(f.params, [SqlParam::Text("prod%".into())]);
    // `null` still needs the document.
    assert!(
        parse("tags.name:null")
            .unwrap()
            .to_sql(&options)
            .sql
            .contains("t.doc")
    );
}

#[test]
fn postgres_bare_terms_check_the_document_text_first() {
    let f = postgres(&parse("Web_1").unwrap(), 0);
    assert!(
        f.sql
            .starts_with("(lower((t.doc)::text COLLATE \"C\") LIKE $1::text ESCAPE '!' AND EXISTS"),
        "{}",
        f.sql
    );
    assert_eq!(f.params[0], SqlParam::Text("%web!_1%".into()));
    // One check per literal piece of a pattern.
    let f = postgres(&parse("ab*cd?").unwrap(), 0);
    assert_eq!(
        f.params[..2],
        [SqlParam::Text("%ab%".into()), SqlParam::Text("%cd%".into())]
    );
    // No check where the text would be escaped in JSON, nor for numbers.
    for text in ["\"say \\\"hi\"", "back\\\\slash", "1e3"] {
        let f = postgres(&parse(text).unwrap(), 0);
        assert!(f.sql.starts_with("(EXISTS"), "{text}: {}", f.sql);
    }
}
