//! Edge families beyond identity and access, driven through HTTP: posture,
//! connectors and gateways, accounts, temporary tokens, client configs, CA
//! certificates, app control policies and countries. Every family is also tried from
//! a second account, which must see nothing of the first.

mod accounts;
mod app_control;
mod certificates;
mod connectors;
mod posture;

use serde_json::Value;

use crate::support::Server;

fn id(v: &Value) -> String {
    v["uuid"].as_str().unwrap_or_default().to_string()
}

fn names(v: &Value, list: &str) -> Vec<String> {
    let mut n: Vec<String> = v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no `{list}` in {v}"))
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default().to_string())
        .collect();
    n.sort();
    n
}

/// POSTs and asserts the status, returning the body.
async fn post_ok(srv: &Server, path: &str, key: &str, body: Value, want: u16) -> Value {
    let (s, v) = srv.post(path, key, body).await;
    assert_eq!(s, want, "POST {path}: {v}");
    v
}
