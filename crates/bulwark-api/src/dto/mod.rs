//! Wire shapes: field names and integer enums exactly as the seeds give them. Domain
//! types convert into these here and nowhere else.

pub mod audit;
pub mod edge;
pub mod identity;
pub mod job;
pub mod session;
pub mod token;

/// Where this server says accounts live (`account_location`, `*_shard` fields of the
/// Edge objects). A self-hosted server has one location and one shard.
pub const LOCATION: &str = "self-hosted";
/// See [`LOCATION`].
pub const SHARD: &str = "default";

/// Error body of the Edge surface (and the `message` of the Optix one).
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub message: String,
}

/// The responses every authenticated operation can give besides its success.
#[derive(utoipa::IntoResponses)]
#[allow(
    dead_code,
    reason = "exists only to describe responses in the OpenAPI document"
)]
pub enum AuthErrors {
    /// Bad request (Optix: also a missing API key).
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Missing, unknown, expired or suspended credentials.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The caller's role is too low.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Internal error.
    #[response(status = 500)]
    Internal(ErrorBody),
}
