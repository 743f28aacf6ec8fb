//! The store's error type and its mapping to the domain error at the port boundary.

use bulwark_core::DomainError;

/// Storage failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value that does not decode (a bug or a hand-edited database).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

impl From<StoreError> for DomainError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Sqlx(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                DomainError::Conflict("an object with the same unique name already exists".into())
            }
            StoreError::Sqlx(sqlx::Error::RowNotFound) => DomainError::NotFound("object"),
            other => DomainError::Storage(other.to_string()),
        }
    }
}

/// `?` on sqlx results inside port implementations.
pub(crate) fn db(e: sqlx::Error) -> DomainError {
    StoreError::from(e).into()
}
