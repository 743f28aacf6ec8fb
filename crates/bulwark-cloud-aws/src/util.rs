//! Small conversions shared by the collectors.

use std::collections::BTreeMap;

use aws_sdk_sts::primitives::{DateTime, DateTimeFormat};
use serde_json::Value;

use crate::model::Tag;

/// RFC 3339 timestamp, or `null`.
pub(crate) fn date(d: Option<&DateTime>) -> Value {
    d.and_then(|d| d.fmt(DateTimeFormat::DateTime).ok())
        .map_or(Value::Null, Value::String)
}

/// Whole days from `d` to `now_secs` (never negative).
pub(crate) fn age_days(now_secs: i64, d: &DateTime) -> i64 {
    ((now_secs - d.secs()) / 86_400).max(0)
}

/// `Some(s)` as a JSON string, `None` as `null`.
pub(crate) fn s(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |v| Value::String(v.to_owned()))
}

/// Tags as a JSON object `{ "key": "value" }`.
pub(crate) fn tag_map(tags: &[Tag]) -> Value {
    let map: BTreeMap<&str, &str> = tags
        .iter()
        .map(|t| (t.name.as_str(), t.value.as_str()))
        .collect();
    serde_json::to_value(map).unwrap_or(Value::Null)
}

/// A value serialised to a JSON string: the Optix samples carry maps and
/// lists in string fields (`"tags": "{ \"key\":\"value\" }"`, `mappedTags`).
pub(crate) fn json_string(v: &Value) -> Value {
    Value::String(v.to_string())
}

/// The `Name` tag, if any.
pub(crate) fn name_tag(tags: &[Tag]) -> Option<&str> {
    tags.iter()
        .find(|t| t.name == "Name")
        .map(|t| t.value.as_str())
        .filter(|v| !v.is_empty())
}

/// Strings as a JSON array.
pub(crate) fn strs<'a, I>(items: I) -> Value
where
    I: IntoIterator<Item = &'a str>,
{
    Value::Array(
        items
            .into_iter()
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    )
}

/// Whether a CIDR means "the whole internet".
pub(crate) fn is_world_cidr(cidr: &str) -> bool {
    matches!(cidr, "0.0.0.0/0" | "::/0")
}

/// Last path segment of an ARN (`arn:…:role/path/name` → `name`).
pub(crate) fn arn_name(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_map_and_json_string() {
        let tags = vec![
            Tag {
                name: "env".into(),
                value: "prod".into(),
            },
            Tag {
                name: "Name".into(),
                value: "web".into(),
            },
        ];
        assert_eq!(
            json_string(&tag_map(&tags)),
            Value::String(r#"{"Name":"web","env":"prod"}"#.into())
        );
        assert_eq!(name_tag(&tags), Some("web"));
    }

    #[test]
    fn ages_and_names() {
        let created = DateTime::from_secs(1_000_000);
        assert_eq!(age_days(1_000_000 + 3 * 86_400 + 5, &created), 3);
        assert_eq!(age_days(0, &created), 0);
        assert_eq!(
            arn_name("arn:aws:iam::1:role/a/b/lambda-exec"),
            "lambda-exec"
        );
        assert_eq!(arn_name("arn:aws:iam::1:root"), "root");
        assert!(is_world_cidr("::/0") && !is_world_cidr("10.0.0.0/8"));
        assert_eq!(
            date(Some(&DateTime::from_secs(0))),
            Value::String("1970-01-01T00:00:00Z".into())
        );
    }
}
