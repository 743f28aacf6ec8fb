//! Reading snapshots: limits, JSON / JSON Lines parsing, and splitting a
//! snapshot into items whatever envelope the tool wrapped them in.

use serde_json::Value;

use crate::detect::{self, Kind};
use crate::error::IngestError;
use crate::json::pointer;

/// Bounds that keep hostile snapshots from exhausting memory or stack.
///
/// Everything in this crate walks a snapshot iteratively or to a bounded
/// depth, so these limits are about resources, not crashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest snapshot text [`parse_snapshot`] accepts. Default 64 MiB.
    pub max_bytes: usize,
    /// Deepest nesting of arrays and objects. Default 64, about four times
    /// what real `az`, `gcloud`, `kubectl` and `docker` output needs.
    /// Values above 128 count as 128: mapping copies and compares subtrees
    /// recursively, so the depth bound is what keeps the stack safe.
    pub max_depth: usize,
    /// Most JSON values (nodes) in one snapshot. Default 8,000,000.
    pub max_nodes: usize,
    /// Most items (resources, log records) in one snapshot. Default 200,000.
    pub max_items: usize,
    /// Most assets one snapshot may produce (a flow-log record holds many
    /// flows, a pod many containers). Mapping stops there with a warning.
    /// Default 500,000.
    pub max_assets: usize,
    /// Most (estimated) bytes of assets one snapshot may produce, since a
    /// long string shared by many records (a flow log's NSG id, a pod's
    /// labels) is copied into each asset. Mapping stops there with a
    /// warning. Default 512 MiB.
    pub max_output_bytes: usize,
    /// Most warnings reported; the rest are counted in a last warning.
    /// Default 1,000.
    pub max_warnings: usize,
    /// Most comparisons spent joining items with each other (pods with
    /// services, roles with bindings, instances with firewall rules), which
    /// would otherwise grow with the square of the snapshot. Beyond it,
    /// joined fields are left out and a warning says so. Default 20,000,000.
    pub max_join_comparisons: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 8_000_000,
            max_items: 200_000,
            max_assets: 500_000,
            max_output_bytes: 512 * 1024 * 1024,
            max_warnings: 1_000,
            max_join_comparisons: 20_000_000,
        }
    }
}

/// Parses snapshot text: one JSON document, or several concatenated or one
/// per line (JSON Lines, as `docker ps --format json` prints), which become
/// one array.
///
/// serde_json stops at 128 levels of nesting while parsing, so deep input
/// cannot overflow the stack here; [`crate::normalize`] then applies
/// [`Limits::max_depth`].
pub fn parse_snapshot(text: &str, limits: &Limits) -> Result<Value, IngestError> {
    if text.len() > limits.max_bytes {
        return Err(IngestError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match value {
            Ok(value) => values.push(value),
            Err(e) => {
                return Err(IngestError::Syntax {
                    line: e.line(),
                    column: e.column(),
                    message: e.to_string(),
                });
            }
        }
    }
    match values.len() {
        0 => Err(IngestError::Empty),
        1 => Ok(values.pop().unwrap_or(Value::Null)),
        _ => Ok(Value::Array(values)),
    }
}

/// The deepest nesting accepted whatever the limits say (serde_json's own
/// parser limit).
const HARD_MAX_DEPTH: usize = 128;

/// Rejects snapshots that are too deep or too large, without recursion.
pub(crate) fn check_shape(root: &Value, limits: &Limits) -> Result<(), IngestError> {
    let found = match root {
        Value::Array(_) | Value::Object(_) => None,
        Value::Null => Some("null"),
        Value::Bool(_) => Some("a boolean"),
        Value::Number(_) => Some("a number"),
        Value::String(_) => Some("a string"),
    };
    if let Some(found) = found {
        return Err(IngestError::NotASnapshot { found });
    }
    let max_depth = limits.max_depth.min(HARD_MAX_DEPTH);
    let mut stack: Vec<(&Value, usize)> = vec![(root, 1)];
    let mut nodes: usize = 0;
    while let Some((value, depth)) = stack.pop() {
        nodes = nodes.saturating_add(1);
        if nodes > limits.max_nodes {
            return Err(IngestError::TooManyNodes {
                limit: limits.max_nodes,
            });
        }
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(o) => Box::new(o.values()),
            _ => continue,
        };
        if depth > max_depth {
            return Err(IngestError::TooDeep { limit: max_depth });
        }
        let next = depth.saturating_add(1);
        stack.extend(children.map(|child| (child, next)));
    }
    Ok(())
}

/// One item of a snapshot and where it was.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    /// JSON pointer of the item.
    pub path: String,
    pub value: &'a Value,
    pub kind: Option<Kind>,
}

/// How many envelopes may wrap an item (e.g. a bundle of `List`s of a
/// GCP aggregated list); bounds the recursion of [`collect_items`].
const MAX_ENVELOPES: u8 = 4;

/// Members that hold the items of a list response: kubectl `List` and GCP
/// REST (`items`), ARM and Microsoft Graph REST (`value`), Azure Resource
/// Graph (`data`), NSG flow-log blobs (`records`), Cloud Logging REST
/// (`entries`) and the Google REST lists named after their items.
const ENVELOPE_MEMBERS: [&str; 11] = [
    "items",
    "value",
    "data",
    "records",
    "entries",
    "users",
    "groups",
    "accounts",
    "clusters",
    "nodePools",
    "functions",
];

/// Splits a snapshot into items. An object is an item when its kind is
/// recognised; otherwise it is unwrapped if it is a known envelope or a
/// bundle (an object whose members are all arrays, e.g. `{"vms": [...],
/// "nics": [...]}`), and reported as an unrecognised item if not.
pub(crate) fn collect_items<'a>(
    root: &'a Value,
    limits: &Limits,
) -> Result<Vec<Item<'a>>, IngestError> {
    let mut items = Vec::new();
    collect(root, String::new(), 0, &mut items, limits)?;
    Ok(items)
}

fn collect<'a>(
    value: &'a Value,
    path: String,
    level: u8,
    items: &mut Vec<Item<'a>>,
    limits: &Limits,
) -> Result<(), IngestError> {
    match value {
        Value::Array(elements) if level < MAX_ENVELOPES => {
            for (i, element) in elements.iter().enumerate() {
                collect(
                    element,
                    pointer(&path, &i.to_string()),
                    level.saturating_add(1),
                    items,
                    limits,
                )?;
            }
            Ok(())
        }
        Value::Object(_) => {
            let kind = detect::detect(value);
            let recognised = kind.is_some_and(|k| !k.is_unspecific());
            if !recognised
                && level < MAX_ENVELOPES
                && let Some(members) = envelope_members(value)
            {
                for (relative, member) in members {
                    collect(
                        member,
                        format!("{path}{relative}"),
                        level.saturating_add(1),
                        items,
                        limits,
                    )?;
                }
                return Ok(());
            }
            push(items, path, value, kind, limits)
        }
        _ => push(items, path, value, None, limits),
    }
}

fn push<'a>(
    items: &mut Vec<Item<'a>>,
    path: String,
    value: &'a Value,
    kind: Option<Kind>,
    limits: &Limits,
) -> Result<(), IngestError> {
    if items.len() >= limits.max_items {
        return Err(IngestError::TooManyItems {
            limit: limits.max_items,
        });
    }
    items.push(Item { path, value, kind });
    Ok(())
}

/// The members of an envelope that hold items, as JSON pointers relative to
/// the envelope, or `None` if the object is not an envelope.
fn envelope_members(value: &Value) -> Option<Vec<(String, &Value)>> {
    let object = value.as_object()?;
    for key in ENVELOPE_MEMBERS {
        match object.get(key) {
            Some(member @ Value::Array(_)) => return Some(vec![(pointer("", key), member)]),
            // GCP aggregated lists: {"items": {"zones/us-central1-a":
            // {"instances": [...]}, "zones/europe-west1-b": {"warning": ...}}}
            Some(Value::Object(scopes)) if key == "items" => {
                let mut lists = Vec::new();
                for (scope_name, scope) in scopes {
                    let Some(scope) = scope.as_object() else {
                        continue;
                    };
                    for (name, list) in scope.iter().filter(|(_, list)| list.is_array()) {
                        let relative = pointer(&pointer(&pointer("", key), scope_name), name);
                        lists.push((relative, list));
                    }
                }
                return Some(lists);
            }
            _ => {}
        }
    }
    let all_arrays = !object.is_empty() && object.values().all(Value::is_array);
    all_arrays.then(|| {
        object
            .iter()
            .map(|(key, member)| (pointer("", key), member))
            .collect()
    })
}
