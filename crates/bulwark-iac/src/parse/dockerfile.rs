//! Dockerfiles: one resource per file whose body lists the instructions
//! (with their lines) and the stages, so rules can ask about the final
//! stage's user or any `RUN` line.

use crate::model::{FileId, Framework, Node, Resource, Span, Value};
use crate::parse::skips;

struct Instruction {
    keyword: String,
    value: String,
    start: u32,
    end: u32,
}

pub fn parse(file: FileId, path: &str, text: &str) -> Resource {
    let instructions = split_instructions(text);
    let last_line = u32::try_from(text.lines().count().max(1)).unwrap_or(u32::MAX);
    let whole = Span::new(file, 1, last_line);
    let mut list = Vec::new();
    let mut stages: Vec<Node> = Vec::new();
    let mut stage_names: Vec<String> = Vec::new();
    let mut current: Option<StageBuilder> = None;
    for ins in &instructions {
        let span = Span::new(file, ins.start, ins.end);
        let node = instruction_node(ins, span);
        if ins.keyword == "FROM" {
            if let Some(stage) = current.take() {
                stages.push(stage.build());
            }
            let from = parse_from(&ins.value, &stage_names);
            if let Some(alias) = &from.alias {
                stage_names.push(alias.to_ascii_lowercase());
            }
            current = Some(StageBuilder {
                from,
                span,
                user: None,
                instructions: Vec::new(),
            });
        }
        if let Some(stage) = current.as_mut() {
            if ins.keyword == "USER" {
                stage.user = Some(Node::string(ins.value.trim(), span));
            }
            stage.instructions.push(node.clone());
        }
        list.push(node);
    }
    if let Some(stage) = current.take() {
        stages.push(stage.build());
    }
    let mut body = vec![(
        "instructions".to_string(),
        Node::new(Value::List(list), whole),
    )];
    if let Some(last) = stages.last() {
        body.push(("final_stage".to_string(), last.clone()));
    }
    body.push(("stages".to_string(), Node::new(Value::List(stages), whole)));
    let all_skips = skips::comment_skips(text);
    Resource {
        framework: Framework::Dockerfile,
        kind: "Dockerfile".to_string(),
        address: path.to_string(),
        span: whole,
        body: Node::new(Value::Map(body), whole),
        context: Vec::new(),
        // A skip anywhere in a Dockerfile applies to the whole file.
        skips: all_skips.into_iter().map(|(_, s)| s).collect(),
    }
}

struct From {
    image: String,
    tag: String,
    digest: String,
    alias: Option<String>,
    platform: Option<String>,
    stage_ref: bool,
}

struct StageBuilder {
    from: From,
    span: Span,
    user: Option<Node>,
    instructions: Vec<Node>,
}

impl StageBuilder {
    fn build(self) -> Node {
        let s = self.span;
        let end = self
            .instructions
            .last()
            .map_or(s.end_line, |n| n.span.end_line);
        let span = Span::new(s.file, s.start_line, end);
        let mut map = vec![
            ("image".to_string(), Node::string(self.from.image, s)),
            ("tag".to_string(), Node::string(self.from.tag, s)),
            ("digest".to_string(), Node::string(self.from.digest, s)),
            (
                "stage_ref".to_string(),
                Node::new(Value::Bool(self.from.stage_ref), s),
            ),
            (
                "instructions".to_string(),
                Node::new(Value::List(self.instructions), span),
            ),
        ];
        if let Some(alias) = self.from.alias {
            map.push(("alias".to_string(), Node::string(alias, s)));
        }
        if let Some(platform) = self.from.platform {
            map.push(("platform".to_string(), Node::string(platform, s)));
        }
        if let Some(user) = self.user {
            map.push(("user".to_string(), user));
        }
        Node::new(Value::Map(map), span)
    }
}

fn parse_from(value: &str, previous_stages: &[String]) -> From {
    let mut platform = None;
    let mut words = Vec::new();
    for word in value.split_whitespace() {
        if let Some(p) = word.strip_prefix("--platform=") {
            platform = Some(p.to_string());
        } else {
            words.push(word);
        }
    }
    let reference = words.first().copied().unwrap_or("");
    let alias = match (words.get(1), words.get(2)) {
        (Some(kw), Some(name)) if kw.eq_ignore_ascii_case("as") => Some((*name).to_string()),
        _ => None,
    };
    let stage_ref = previous_stages
        .iter()
        .any(|s| s.eq_ignore_ascii_case(reference));
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, d.to_string()),
        None => (reference, String::new()),
    };
    // A colon after the last slash is a tag; before it, a registry port.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (image, tag) = match rest.get(last_slash..).and_then(|t| t.find(':')) {
        Some(i) => (
            rest.get(..last_slash + i).unwrap_or(rest).to_string(),
            rest.get(last_slash + i + 1..).unwrap_or("").to_string(),
        ),
        None => (rest.to_string(), String::new()),
    };
    let tag = if tag.is_empty()
        && digest.is_empty()
        && !stage_ref
        && image != "scratch"
        && !image.contains('$')
    {
        "latest".to_string()
    } else {
        tag
    };
    From {
        image,
        tag,
        digest,
        alias,
        platform,
        stage_ref,
    }
}

fn instruction_node(ins: &Instruction, span: Span) -> Node {
    let mut map = vec![
        (
            "instruction".to_string(),
            Node::string(ins.keyword.clone(), span),
        ),
        ("value".to_string(), Node::string(ins.value.clone(), span)),
    ];
    if ins.keyword == "ENV" || ins.keyword == "ARG" || ins.keyword == "LABEL" {
        let pairs = key_values(&ins.value);
        let entries = pairs
            .into_iter()
            .map(|(k, v)| (k, Node::string(v, span)))
            .collect();
        map.push(("vars".to_string(), Node::new(Value::Map(entries), span)));
    }
    Node::new(Value::Map(map), span)
}

/// `ENV A=1 B="2"` and the legacy `ENV A 1` form.
fn key_values(value: &str) -> Vec<(String, String)> {
    let value = value.trim();
    if !value.contains('=')
        || value
            .split_whitespace()
            .next()
            .is_some_and(|w| !w.contains('='))
    {
        let mut parts = value.splitn(2, char::is_whitespace);
        let key = parts.next().unwrap_or("").to_string();
        let val = parts.next().unwrap_or("").trim().to_string();
        return if key.is_empty() {
            Vec::new()
        } else {
            vec![(key, val)]
        };
    }
    let mut out = Vec::new();
    for word in split_words(value) {
        if let Some((k, v)) = word.split_once('=') {
            out.push((
                k.to_string(),
                v.trim_matches('"').trim_matches('\'').to_string(),
            ));
        }
    }
    out
}

/// Splits on whitespace outside quotes.
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), _) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Joins continuation lines and drops comments; keeps line ranges.
fn split_instructions(text: &str) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut pending: Option<Instruction> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        let (content, continues) = match trimmed.strip_suffix('\\') {
            Some(c) => (c.trim_end(), true),
            None => (trimmed, false),
        };
        match pending.as_mut() {
            Some(ins) => {
                if !content.is_empty() {
                    if !ins.value.is_empty() {
                        ins.value.push(' ');
                    }
                    ins.value.push_str(content);
                }
                ins.end = line_no;
            }
            None => {
                if content.is_empty() {
                    continue;
                }
                let mut parts = content.splitn(2, char::is_whitespace);
                let keyword = parts.next().unwrap_or("").to_ascii_uppercase();
                let value = parts.next().unwrap_or("").trim().to_string();
                pending = Some(Instruction {
                    keyword,
                    value,
                    start: line_no,
                    end: line_no,
                });
            }
        }
        if !continues && let Some(ins) = pending.take() {
            out.push(ins);
        }
    }
    if let Some(ins) = pending.take() {
        out.push(ins);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_users_and_lines() {
        let text = "FROM golang:1.22 AS build\nRUN go build \\\n  -o /app\nFROM gcr.io/distroless/base@sha256:abc\nUSER nonroot\nCOPY --from=build /app /app\n";
        let r = parse(FileId(0), "Dockerfile", text);
        let stages = r.body.get("stages").unwrap().as_list().unwrap();
        assert_eq!(stages.len(), 2);
        assert_eq!(stages[0].get("tag").unwrap().as_str(), Some("1.22"));
        assert_eq!(
            stages[1].get("digest").unwrap().as_str(),
            Some("sha256:abc")
        );
        assert_eq!(
            r.body.get_path("final_stage.user").unwrap().as_str(),
            Some("nonroot")
        );
        let run = &r.body.get("instructions").unwrap().as_list().unwrap()[1];
        assert_eq!((run.span.start_line, run.span.end_line), (2, 3));
        assert_eq!(run.get("value").unwrap().as_str(), Some("go build -o /app"));
    }

    #[test]
    fn implicit_latest_and_registry_ports() {
        let f = parse_from("localhost:5000/app", &[]);
        assert_eq!(
            (f.image.as_str(), f.tag.as_str()),
            ("localhost:5000/app", "latest")
        );
        let f = parse_from("build", &["build".into()]);
        assert!(f.stage_ref);
        assert_eq!(f.tag, "");
    }

    #[test]
    fn env_pairs() {
        assert_eq!(
            key_values("A=1 B=\"two words\""),
            [("A".into(), "1".into()), ("B".into(), "two words".into())]
        );
        assert_eq!(
            key_values("PASSWORD hunter2"),
            [("PASSWORD".into(), "hunter2".into())]
        );
    }
}
