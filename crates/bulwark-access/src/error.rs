//! Errors of the crate's conversions.
//!
//! Evaluation itself cannot fail: unknown users, apps or malformed references
//! yield a [`crate::Decision`] with a reason, never an error.

/// An integer or name that is not part of one of the crate's enum mappings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnumError {
    /// The wire integer has no variant in the mapping.
    #[error("`{value}` is not a valid {enum_name}")]
    UnknownValue {
        /// The Rust name of the enum (`PolicyAction`, `Status`, ...).
        enum_name: &'static str,
        /// The rejected integer.
        value: i32,
    },
    /// The canonical name has no variant in the mapping.
    #[error("`{name}` is not a valid {enum_name} name")]
    UnknownName {
        /// The Rust name of the enum.
        enum_name: &'static str,
        /// The rejected name, as given.
        name: String,
    },
}
