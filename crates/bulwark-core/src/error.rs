//! The one error type of the domain. `bulwark-api` maps each variant to an HTTP status
//! in one place; messages are meant for the API caller, so they never carry secrets.

/// Errors raised by domain services and repository ports.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The request is malformed or violates a rule (HTTP 400).
    #[error("{0}")]
    Invalid(String),
    /// No credentials, or credentials that are unknown, expired or suspended (HTTP 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// Authenticated, but the caller's role does not allow the operation (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// The object does not exist in the caller's account (HTTP 404). Objects of other
    /// accounts are reported exactly like missing ones, so ids cannot be probed.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness or optimistic-concurrency conflict (HTTP 409).
    #[error("{0}")]
    Conflict(String),
    /// The storage back end failed; the detail goes to the log, not to the caller.
    #[error("storage failure: {0}")]
    Storage(String),
    /// Anything else that is our fault.
    #[error("internal failure: {0}")]
    Internal(String),
}

/// Result alias for the domain.
pub type Result<T, E = DomainError> = std::result::Result<T, E>;

impl DomainError {
    /// Shorthand for [`DomainError::Invalid`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::Invalid(msg.into())
    }
    /// Shorthand for [`DomainError::Forbidden`].
    pub fn forbidden(msg: impl Into<String>) -> Self {
        Self::Forbidden(msg.into())
    }
    /// Shorthand for [`DomainError::Unauthenticated`].
    pub fn unauthenticated(msg: impl Into<String>) -> Self {
        Self::Unauthenticated(msg.into())
    }
}
