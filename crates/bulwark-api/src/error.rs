//! The one place where errors become HTTP responses.
//!
//! Every handler returns [`ApiError`]. Its response carries the status and a default
//! Edge-style body `{"message": "..."}`, plus an [`ErrorInfo`] extension. The Optix
//! surface (`/api/...`) rewrites that into the Spring-style body Optix clients parse
//! (see [`optix_error_body`]); its auth failures use the seed's exact messages.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bulwark_core::DomainError;
use serde_json::json;

/// Message of every 404 for an unknown route (the Optix seed's wording, which is
/// Spring Boot's default).
pub const NO_MESSAGE: &str = "No message available";
/// The Optix seed's message when no API key was sent.
pub const APIKEY_NOT_PROVIDED: &str = "ApiKey not provided";

/// Why a request failed, as seen by a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// No `Authorization` header: 401 on Edge, 400 on Optix (as its seed says).
    #[error("{APIKEY_NOT_PROVIDED}")]
    MissingCredentials,
    /// Malformed JSON, query string or path parameter.
    #[error("{0}")]
    BadRequest(String),
    #[error("{NO_MESSAGE}")]
    RouteNotFound,
}

/// What the surface-specific renderers need to know about an error response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub message: String,
    pub missing_credentials: bool,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Domain(d) => match d {
                DomainError::Invalid(_) => StatusCode::BAD_REQUEST,
                DomainError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                DomainError::Forbidden(_) => StatusCode::FORBIDDEN,
                DomainError::NotFound(_) => StatusCode::NOT_FOUND,
                DomainError::Conflict(_) => StatusCode::CONFLICT,
                DomainError::Storage(_) | DomainError::Internal(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            },
            ApiError::MissingCredentials => StatusCode::UNAUTHORIZED,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::RouteNotFound => StatusCode::NOT_FOUND,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() {
            // The cause goes to the log once; the client learns nothing internal.
            tracing::error!(error = %self, "request failed");
            "internal error".to_string()
        } else {
            self.to_string()
        };
        let info = ErrorInfo {
            message: message.clone(),
            missing_credentials: matches!(self, ApiError::MissingCredentials),
        };
        let mut resp = (status, Json(json!({ "message": message }))).into_response();
        resp.extensions_mut().insert(info);
        resp
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        ApiError::BadRequest(format!("invalid request body: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query parameters: {}", r.body_text()))
    }
}

/// `Json` whose rejection is our error body rather than axum's plain text.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

/// `Query` whose rejection is our error body.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct AppQuery<T>(pub T);

/// Fallback for unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::RouteNotFound
}

/// Parses a uuid path segment; an unparseable id is a 404 like any unknown id.
pub fn parse_uuid(raw: &str, what: &'static str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(raw).map_err(|_| ApiError::Domain(DomainError::NotFound(what)))
}

/// Middleware of the Optix surface: renders errors the way Optix (a Spring Boot
/// service) does: `{timestamp, status, error, message, errorMessage, path}`, and turns
/// a missing API key into the seed's 400.
pub async fn optix_error_body(uri: Uri, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    if !uri.path().starts_with("/api/") {
        return resp;
    }
    let Some(info) = resp.extensions().get::<ErrorInfo>().cloned() else {
        return resp;
    };
    let status = if info.missing_credentials {
        StatusCode::BAD_REQUEST
    } else {
        resp.status()
    };
    let body = json!({
        "timestamp": bulwark_core::clock::iso_millis(bulwark_core::clock::now_ms()),
        "status": status.as_u16(),
        "error": status.canonical_reason().unwrap_or(""),
        "message": info.message,
        "errorMessage": info.message,
        "path": uri.path(),
    });
    let (mut parts, _) = resp.into_parts();
    parts.status = status;
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut out = (status, Json(body)).into_response();
    for (k, v) in parts.headers.iter() {
        if k != axum::http::header::CONTENT_TYPE {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out.extensions_mut().insert(info);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(
            ApiError::MissingCredentials.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            ApiError::Domain(DomainError::forbidden("x")).status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(ApiError::RouteNotFound.to_string(), NO_MESSAGE);
    }
}
