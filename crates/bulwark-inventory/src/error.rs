//! Errors that reject a whole snapshot. Problems with single items are
//! [`crate::Warning`]s instead, so one odd item never loses the rest.

/// Why a snapshot was rejected as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The text held no JSON value.
    #[error("snapshot is empty")]
    Empty,
    /// The text is not JSON (nor JSON Lines).
    #[error("snapshot is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// The text is longer than [`crate::Limits::max_bytes`].
    #[error("snapshot is larger than {limit} bytes")]
    TooLarge {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// Arrays and objects nest deeper than [`crate::Limits::max_depth`].
    #[error("snapshot nests deeper than {limit} levels")]
    TooDeep {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The snapshot has more JSON values than [`crate::Limits::max_nodes`].
    #[error("snapshot has more than {limit} JSON values")]
    TooManyNodes {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The snapshot has more items than [`crate::Limits::max_items`].
    #[error("snapshot has more than {limit} items")]
    TooManyItems {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The top level is a scalar, not an array or object.
    #[error("a snapshot must be a JSON array or object, found {found}")]
    NotASnapshot {
        /// The JSON type found (`string`, `number`, ...).
        found: &'static str,
    },
    /// The kind hint names no snapshot kind of the provider.
    #[error(
        "unknown kind hint `{hint}` for provider {provider}; use a search key (e.g. AZURE_HOST), a resource type (e.g. Microsoft.Compute/virtualMachines, compute#instance, Pod) or a command (e.g. `az vm list`)"
    )]
    UnknownKindHint {
        /// The hint, shortened to 80 characters.
        hint: String,
        /// The provider the snapshot was ingested for.
        provider: crate::Provider,
    },
    /// An image scan report (Trivy, Grype) that cannot be read; a report
    /// describes one image, so it is taken whole or not at all.
    #[error("invalid image scan report{}: {message}", if item.is_empty() { String::new() } else { format!(" at {item}") })]
    ScanReport {
        /// JSON pointer of the report in the snapshot; empty for the whole.
        item: String,
        /// What is wrong with it.
        message: String,
    },
}
