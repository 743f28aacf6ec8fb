//! The located document model every parser produces and every rule reads.
//!
//! Values are format-neutral (a Terraform block, a YAML mapping and a JSON
//! object all become a [`Node`] map) so one condition language serves all
//! formats, and every value keeps the file and line range it came from so
//! findings can point at the offending line rather than the whole file.

use serde::Serialize;

/// Index of a file in the scan's file table (see [`crate::ScanInput::files`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct FileId(pub u32);

/// A file and an inclusive, 1-based line range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start_line: u32,
    pub end_line: u32,
}

impl Span {
    pub fn new(file: FileId, start_line: u32, end_line: u32) -> Span {
        Span {
            file,
            start_line,
            end_line: end_line.max(start_line),
        }
    }

    /// The smallest span covering both (same file assumed; `self` wins otherwise).
    pub fn cover(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span::new(
            self.file,
            self.start_line.min(other.start_line),
            self.end_line.max(other.end_line),
        )
    }
}

/// A value with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A format-neutral value.
///
/// `Unknown` holds the source text of an expression that could not be
/// evaluated statically (a reference to another resource's attribute, a
/// variable without a default, `file()` ...). Rules treat it as "could be
/// anything" and never fail on it, which keeps false positives down.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
    Unknown(String),
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node { value, span }
    }

    pub fn null(span: Span) -> Node {
        Node::new(Value::Null, span)
    }

    pub fn string(s: impl Into<String>, span: Span) -> Node {
        Node::new(Value::String(s.into()), span)
    }

    /// Looks up a key in a map value (last duplicate wins, as in most formats).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Follows a dotted path of map keys.
    pub fn get_path(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }

    /// The elements of a list, or the node itself for any other value: HCL
    /// blocks may appear once or repeatedly and rules should not care.
    pub fn elements(&self) -> &[Node] {
        match &self.value {
            Value::List(items) => items,
            _ => std::slice::from_ref(self),
        }
    }

    /// Number of nodes in this tree (used to enforce size budgets).
    pub fn weight(&self) -> usize {
        1 + match &self.value {
            Value::List(items) => items.iter().map(Node::weight).sum(),
            Value::Map(entries) => entries.iter().map(|(_, v)| v.weight()).sum(),
            _ => 0,
        }
    }

    /// A short human rendering for messages (never the whole tree).
    pub fn display_short(&self) -> String {
        let text = match &self.value {
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::String(s) => format!("\"{s}\""),
            Value::List(items) => format!("[{} items]", items.len()),
            Value::Map(entries) => format!("{{{} keys}}", entries.len()),
            Value::Unknown(expr) => format!("({expr})"),
        };
        truncate(&text, 80)
    }

    /// Renders scalars as the string a user would compare against.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(format_number(*n)),
            _ => None,
        }
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The IaC family a resource belongs to; rules target one framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    Terraform,
    TerraformPlan,
    Cloudformation,
    Kubernetes,
    Dockerfile,
    Arm,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Terraform => "terraform",
            Framework::TerraformPlan => "terraform_plan",
            Framework::Cloudformation => "cloudformation",
            Framework::Kubernetes => "kubernetes",
            Framework::Dockerfile => "dockerfile",
            Framework::Arm => "arm",
        }
    }

    pub fn parse(s: &str) -> Option<Framework> {
        Some(match s {
            "terraform" => Framework::Terraform,
            "terraform_plan" => Framework::TerraformPlan,
            "cloudformation" => Framework::Cloudformation,
            "kubernetes" => Framework::Kubernetes,
            "dockerfile" => Framework::Dockerfile,
            "arm" => Framework::Arm,
            _ => return None,
        })
    }

    /// Terraform rules also apply to resources read from a plan: both use
    /// the provider's resource types and attribute names.
    pub fn rule_family(self) -> Framework {
        match self {
            Framework::TerraformPlan => Framework::Terraform,
            other => other,
        }
    }
}

/// An inline suppression found next to (or on) a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    pub rule_id: String,
    pub reason: String,
}

/// One scannable unit: a Terraform resource instance, a CloudFormation
/// resource, a Kubernetes object (or a container inside it), a Dockerfile.
#[derive(Debug, Clone)]
pub struct Resource {
    pub framework: Framework,
    /// Provider type, CFN `Type`, K8s kind (plus synthetic `PodSpec` and
    /// `Container`), ARM type, or `Dockerfile`.
    pub kind: String,
    /// Stable human address such as `aws_s3_bucket.logs` or
    /// `Deployment/default/web/containers[app]`.
    pub address: String,
    pub span: Span,
    pub body: Node,
    /// Extra named values rules may read with `@name.path` (for a container,
    /// `@pod` is its pod spec).
    pub context: Vec<(String, Node)>,
    pub skips: Vec<Skip>,
}

impl Resource {
    pub fn context(&self, name: &str) -> Option<&Node> {
        self.context.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}
