//! Accessors over `serde_json::Value` that never panic and treat a wrong
//! type like a missing field: snapshots come from many tool versions, and
//! `null` or `""` mean "not set" in all of them.

use std::net::IpAddr;

use serde_json::Value;

use crate::model::Tag;

/// The value at `path` (object keys), unless missing or `null`.
pub(crate) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut current = v;
    for key in path {
        current = current.as_object()?.get(*key)?;
    }
    (!current.is_null()).then_some(current)
}

/// A non-empty string at `path`.
pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path)?.as_str().filter(|s| !s.is_empty())
}

/// A boolean at `path`; `"true"`/`"false"` strings count (GCP metadata,
/// Kubernetes annotations and old CLIs print booleans as text).
pub(crate) fn bool_at(v: &Value, path: &[&str]) -> Option<bool> {
    as_bool(at(v, path)?)
}

pub(crate) fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// An integer at `path`; numeric strings count (Google APIs print int64 as
/// text).
pub(crate) fn i64_at(v: &Value, path: &[&str]) -> Option<i64> {
    as_i64(at(v, path)?)
}

pub(crate) fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok())),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The array at `path`, or an empty slice.
pub(crate) fn arr_at<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether the object has the key at all (even `null`).
pub(crate) fn has(v: &Value, key: &str) -> bool {
    v.as_object().is_some_and(|o| o.contains_key(key))
}

/// An id that may be a string or a number (GCP ids are either).
pub(crate) fn id_at(v: &Value, path: &[&str]) -> Option<String> {
    match at(v, path)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn s(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.to_owned()))
}

pub(crate) fn b(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

/// The strings of an array, skipping anything else.
pub(crate) fn strings(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The seed's `mapped*` fields (`mappedTags`, `mappedPorts`, ...) are JSON
/// text, e.g. `"{\"env\":\"prod\"}"`; `null` stays `null`.
pub(crate) fn mapped(v: Option<&Value>) -> Value {
    match v {
        None | Some(Value::Null) => Value::Null,
        Some(v) => serde_json::to_string(v).map_or(Value::Null, Value::String),
    }
}

/// The part after the last `/` of an id or URL.
pub(crate) fn last_segment(s: &str) -> &str {
    let trimmed = s.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// The segment after `marker` in a `/`-separated path, compared without
/// case (`.../resourceGroups/rg/...`, `projects/p/zones/z`).
pub(crate) fn segment_after<'a>(path: &'a str, marker: &str) -> Option<&'a str> {
    let mut segments = path.split('/');
    while let Some(segment) = segments.next() {
        if segment.eq_ignore_ascii_case(marker) {
            return segments.next().filter(|s| !s.is_empty());
        }
    }
    None
}

/// Text of a scalar for tag values; containers become their JSON text.
pub(crate) fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Tags from a `{key: value}` object, sorted by name.
pub(crate) fn tags_from_object(v: Option<&Value>) -> Vec<Tag> {
    let mut tags: Vec<Tag> = v
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(name, value)| Tag {
                    name: name.clone(),
                    value: scalar_text(value),
                })
                .collect()
        })
        .unwrap_or_default();
    tags.sort();
    tags
}

/// Whether a firewall source means "anywhere on the internet": CIDRs that
/// cover everything and Azure's `*`, `Internet` and `Any`.
pub(crate) fn is_anywhere(source: &str) -> bool {
    let source = source.trim();
    ["0.0.0.0/0", "::/0", "*", "0.0.0.0", "internet", "any"]
        .iter()
        .any(|open| source.eq_ignore_ascii_case(open))
}

/// Whether an address is routable on the internet (not private, loopback,
/// link-local, shared CGNAT, unique-local or multicast).
pub fn is_public_ip(address: &str) -> bool {
    match address.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => {
            let [first, second, ..] = a.octets();
            let cgnat = first == 100 && (second & 0xC0) == 64;
            !(a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_multicast()
                || cgnat)
        }
        Ok(IpAddr::V6(a)) => {
            !(a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || a.is_unique_local()
                || a.is_unicast_link_local())
        }
        Err(_) => false,
    }
}

/// Appends one RFC 6901 reference token to a JSON pointer.
pub(crate) fn pointer(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Shortens text for messages without splitting a character.
pub(crate) fn shorten(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// Number of non-null top-level fields: how much an asset's `data` says,
/// used to keep the richer of two duplicates.
pub(crate) fn richness(v: &Value) -> usize {
    v.as_object()
        .map_or(0, |o| o.values().filter(|v| !v.is_null()).count())
}

/// Rough in-memory size of a value: string bytes plus a per-node cost,
/// counted without recursion.
pub(crate) fn approx_size(v: &Value) -> usize {
    let mut total: usize = 0;
    let mut stack = vec![v];
    while let Some(value) = stack.pop() {
        total = total.saturating_add(32);
        match value {
            Value::String(s) => total = total.saturating_add(s.len()),
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => {
                for (key, child) in o {
                    total = total.saturating_add(key.len());
                    stack.push(child);
                }
            }
            _ => {}
        }
    }
    total
}
