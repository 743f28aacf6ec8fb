//! Typed errors of the engine's fallible entry points.

use std::path::Path;

/// Why an input could not be gathered. Messages are lowercase and quote
/// user-supplied paths with backticks.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("more than {limit} scannable files")]
    TooManyFiles { limit: usize },
    #[error("input is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("archive has more than {limit} entries")]
    TooManyEntries { limit: usize },
    #[error("archive entry `{path}` is larger than {limit} bytes")]
    EntryTooLarge { path: String, limit: u64 },
    #[error("archive decompresses to more than {limit} bytes")]
    DecompressedTooLarge { limit: u64 },
    #[error("unsafe archive entry `{path}`: {reason}")]
    UnsafePath { path: String, reason: &'static str },
    #[error("archive entry `{path}` is a link, which is not accepted")]
    LinkEntry { path: String },
    #[error("not a zip, tar or tar.gz archive")]
    UnknownArchiveFormat,
    #[error("malformed archive: {0}")]
    Malformed(String),
}

impl InputError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> InputError {
        InputError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// A built-in or user rule file that does not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule file `{file}`: {message}")]
pub struct RuleError {
    pub file: String,
    pub message: String,
}
