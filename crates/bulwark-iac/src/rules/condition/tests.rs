use super::*;
use crate::model::{FileId, Framework};
use crate::parse::yaml;
use crate::rules::condition_from_yaml;

fn resource(body: &str) -> Resource {
    let docs = yaml::parse_documents(body, FileId(0), 10_000).unwrap();
    Resource {
        framework: Framework::Kubernetes,
        kind: "Container".into(),
        address: "x".into(),
        span: docs[0].span,
        body: docs[0].clone(),
        context: vec![(
            "pod".into(),
            docs[0]
                .get("pod")
                .cloned()
                .unwrap_or_else(|| Node::null(docs[0].span)),
        )],
        skips: Vec::new(),
    }
}

fn check(cond: &str, body: &str) -> Tri {
    let cond = condition_from_yaml(cond).unwrap();
    let r = resource(body);
    cond.eval(&r.body, &r).tri
}

#[test]
fn attr_operators() {
    assert_eq!(check("{attr: a, equals: true}", "a: true"), Tri::True);
    assert_eq!(check("{attr: a, equals: true}", "a: 'true'"), Tri::True);
    assert_eq!(check("{attr: a, equals: true}", "b: 1"), Tri::False);
    assert_eq!(check("{attr: a, not_equals: true}", "b: 1"), Tri::True);
    assert_eq!(
        check("{attr: a, not_equals: true, if_missing: fail}", "b: 1"),
        Tri::False
    );
    assert_eq!(check("{attr: a, in: [x, y]}", "a: y"), Tri::True);
    assert_eq!(check("{attr: a, not_in: [x, y]}", "a: y"), Tri::False);
    assert_eq!(check("{attr: a, matches: '^ab+$'}", "a: abbb"), Tri::True);
    assert_eq!(check("{attr: a, gte: 90}", "a: '90'"), Tri::True);
    assert_eq!(check("{attr: a, lt: 90}", "a: 91"), Tri::False);
    assert_eq!(check("{attr: a, contains: x}", "a: [y, x]"), Tri::True);
    assert_eq!(check("{attr: a, not_contains: x}", "a: [y, x]"), Tri::False);
    assert_eq!(check("{attr: a, exists: true}", "a: null"), Tri::False);
}

#[test]
fn paths_fan_out_quote_and_reach_context() {
    assert_eq!(
        check("{attr: b.c, equals: 1}", "b: [{c: 1}, {c: 1}]"),
        Tri::True
    );
    assert_eq!(
        check("{attr: b.c, equals: 1}", "b: [{c: 1}, {c: 2}]"),
        Tri::False
    );
    assert_eq!(
        check("{attr: 'm.\"a.b/c\"', equals: x}", "m: {a.b/c: x}"),
        Tri::True
    );
    assert_eq!(
        check(
            "{attr: '@pod.hostPID', equals: true}",
            "pod: {hostPID: true}"
        ),
        Tri::True
    );
    assert_eq!(check("{attr: 'b.1', equals: z}", "b: [y, z]"), Tri::True);
    assert_eq!(
        check("{some: a, assert: {attr: ., equals: '*'}}", "a: '*'"),
        Tri::True
    );
    assert_eq!(
        check(
            "{some: a, assert: {attr: ., equals: '*'}}",
            "a: ['s3:*', '*']"
        ),
        Tri::True
    );
    assert_eq!(
        check("{some: a, assert: {attr: ., equals: '*'}}", "a: ['s3:*']"),
        Tri::False
    );
}

#[test]
fn quantifiers_and_logic() {
    let ingress = "ingress: [{cidr: 10.0.0.0/8, port: 22}, {cidr: 0.0.0.0/0, port: 443}]";
    assert_eq!(
        check(
            "{every: ingress, assert: {attr: cidr, not_equals: 0.0.0.0/0}}",
            ingress
        ),
        Tri::False
    );
    assert_eq!(
        check(
            "{some: ingress, assert: {attr: port, equals: 443}}",
            ingress
        ),
        Tri::True
    );
    assert_eq!(
        check(
            "{none: ingress, assert: {all: [{attr: cidr, equals: 0.0.0.0/0}, {attr: port, equals: 22}]}}",
            ingress
        ),
        Tri::True
    );
    assert_eq!(
        check("{every: missing, assert: {attr: x, exists: true}}", ingress),
        Tri::True
    );
    assert_eq!(
        check(
            "{any: [{attr: a, equals: 1}, {not: {attr: b, exists: true}}]}",
            "a: 2"
        ),
        Tri::True
    );
}

#[test]
fn unknown_is_never_a_failure() {
    let r = Resource {
        body: Node::new(
            Value::Map(vec![(
                "a".into(),
                Node::new(Value::Unknown("var.x".into()), Span::default()),
            )]),
            Span::default(),
        ),
        ..resource("x: 1")
    };
    for cond in [
        "{attr: a, equals: true}",
        "{not: {attr: a, equals: true}}",
        "{attr: a.b.c, in: [x]}",
    ] {
        let c = condition_from_yaml(cond).unwrap();
        assert_eq!(c.eval(&r.body, &r).tri, Tri::Unknown, "{cond}");
    }
}

#[test]
fn failures_point_at_the_value() {
    let c = condition_from_yaml("{every: l, assert: {attr: v, lt: 5}}").unwrap();
    let r = resource("l:\n  - v: 1\n  - v: 9\n");
    let o = c.eval(&r.body, &r);
    assert_eq!(o.tri, Tri::False);
    assert_eq!(o.span.unwrap().start_line, 3);
    assert_eq!(o.detail.as_deref(), Some("`v` is 9"));
}

#[test]
fn malformed_conditions_are_rejected() {
    for bad in [
        "{attr: a}",
        "{attr: a, equals: 1, in: [1]}",
        "{attr: a, bogus: 1}",
        "{every: x}",
        "{attr: a, matches: '('}",
        "[1]",
    ] {
        assert!(condition_from_yaml(bad).is_err(), "{bad}");
    }
}
