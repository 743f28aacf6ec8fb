//! HTTP API of Bulwark: the Optix surface (`/api/v1`), the Edge surface (`/edge/v1`)
//! and Bulwark's own (`/bulwark/v1`), with authentication, auditing, metrics and the
//! OpenAPI document generated from the handlers.
//!
//! Handlers are thin: parse the request, call a `bulwark-core` service with the caller's
//! [`Principal`](bulwark_core::auth::Principal), convert the result to a wire DTO.
//!
//! Architecture invariant: every route is registered through `utoipa_axum::routes!`,
//! so nothing can be served that `/openapi.json` does not describe.

pub mod auth;
pub mod dto;
pub mod error;
mod openapi;
pub mod routes;
pub mod state;
pub mod telemetry;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub use openapi::ApiDoc;
pub use state::{ApiConfig, AppState};

fn all_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::system::router())
        .merge(routes::edge::router())
        .merge(routes::jobs::router())
        .merge(routes::optix::router())
}

/// The OpenAPI document of every operation the server has.
pub fn openapi() -> utoipa::openapi::OpenApi {
    all_routes().split_for_parts().1
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    error::ApiError::Domain(bulwark_core::DomainError::Internal(
        "handler panicked".into(),
    ))
    .into_response()
}

/// The whole application, ready to serve.
pub fn app(mut state: AppState) -> Router {
    telemetry::init();
    let (routes, api) = all_routes().split_for_parts();
    state.ops = Arc::new(openapi::operation_index(&api));
    let limit = state.config.body_limit;
    let timeout = Duration::from_secs(state.config.request_timeout_secs);
    routes
        .route_layer(from_fn_with_state(state.clone(), auth::audit))
        .route_layer(from_fn(telemetry::track))
        .merge(SwaggerUi::new("/docs").url("/openapi.json", api))
        .fallback(error::not_found)
        .layer(from_fn_with_state(state.clone(), auth::require_auth))
        .layer(from_fn(error::optix_error_body))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http())
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CatchPanicLayer::custom(panic_response))
                .layer(RequestBodyLimitLayer::new(limit))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    timeout,
                ))
                .layer(DefaultBodyLimit::max(limit)),
        )
        .with_state(state)
}
