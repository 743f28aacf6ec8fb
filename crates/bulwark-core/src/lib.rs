//! Domain model and services of Bulwark.
//!
//! This crate holds what Bulwark *is*, independent of how it is reached or stored:
//! accounts (tenants), roles, API tokens and sessions, the audit log and the job queue.
//! It defines the repository ports (`ports`) that `bulwark-store` implements and the
//! services (`auth`, `tokens`, `audit`, `jobs`) that `bulwark-api` and the binary call.
//!
//! Architecture invariant: no HTTP, no SQL and no filesystem access here. Everything
//! that touches the outside world comes in through a port or as plain bytes.

pub mod access;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod cloud;
pub mod crypto;
pub mod edge;
pub mod error;
pub mod iac;
pub mod identity;
pub mod integrations;
pub mod inventory;
pub mod jobs;
pub mod model;
pub mod ports;
pub mod resources;
pub mod role;
pub mod sso;
pub mod status;
pub mod tokens;
pub mod traffic;

pub use error::{DomainError, Result};
pub use role::Role;
pub use status::Status;

/// OpenAPI schema of an integer enum given by its wire numbers (the seed's enums are
/// numbers; their names are in the description).
pub fn int_enum_schema(
    description: &str,
    codes: impl Iterator<Item = i32>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
        .description(Some(description))
        .enum_values(Some(codes.map(serde_json::Value::from)))
        .into()
}
