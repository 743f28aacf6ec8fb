//! Inline suppressions written as comments: `# bulwark:skip=RULE_ID:reason`
//! (also `//` comments, and several ids separated by commas).
//!
//! A comment suppresses a resource when it sits inside the resource's line
//! range or in the comment block directly above it.

use crate::model::Skip;

const MARKER: &str = "bulwark:skip=";

/// Every skip comment in a text, with its 1-based line.
pub fn comment_skips(text: &str) -> Vec<(u32, Skip)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(pos) = line.find(MARKER) else {
            continue;
        };
        let before = line.get(..pos).unwrap_or("");
        if !(before.contains('#') || before.contains("//")) {
            continue;
        }
        let rest = line.get(pos + MARKER.len()..).unwrap_or("");
        let (ids, reason) = match rest.split_once(':') {
            Some((ids, reason)) => (ids, reason.trim()),
            None => (rest, ""),
        };
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for id in ids.split(',') {
            let id = id.split_whitespace().next().unwrap_or("");
            if !id.is_empty() {
                out.push((
                    line_no,
                    Skip {
                        rule_id: id.to_string(),
                        reason: reason.to_string(),
                    },
                ));
            }
        }
    }
    out
}

/// The skips that apply to a resource spanning `start..=end` in `text`.
pub fn skips_for(all: &[(u32, Skip)], text: &str, start: u32, end: u32) -> Vec<Skip> {
    if all.is_empty() {
        return Vec::new();
    }
    // Walk upwards over the comment block right above the resource.
    let lines: Vec<&str> = text.lines().collect();
    let mut above = start;
    while above > 1 {
        let prev = lines
            .get((above - 2) as usize)
            .map_or("", |l| l.trim_start());
        if prev.starts_with('#') || prev.starts_with("//") {
            above -= 1;
        } else {
            break;
        }
    }
    all.iter()
        .filter(|(line, _)| *line >= above && *line <= end)
        .map(|(_, skip)| skip.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_and_reasons() {
        let text = "a\n# bulwark:skip=BLWK_AWS_001,BLWK_AWS_002: logs bucket is public by design\nb // bulwark:skip=X\nc = \"bulwark:skip=NOT_A_COMMENT\"\n";
        let skips = comment_skips(text);
        assert_eq!(skips.len(), 3);
        assert_eq!(skips[0].0, 2);
        assert_eq!(skips[1].1.rule_id, "BLWK_AWS_002");
        assert_eq!(skips[1].1.reason, "logs bucket is public by design");
        assert_eq!(skips[2].1.rule_id, "X");
    }

    #[test]
    fn applies_inside_and_directly_above() {
        let text = "# bulwark:skip=A:r\n# other\nresource {\n # bulwark:skip=B:r\n}\n\n# bulwark:skip=C:r\n";
        let all = comment_skips(text);
        let ids: Vec<_> = skips_for(&all, text, 3, 5)
            .into_iter()
            .map(|s| s.rule_id)
            .collect();
        assert_eq!(ids, ["A", "B"]);
    }
}
