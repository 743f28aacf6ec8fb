//! The Optix surface (`/api/v1`): paths, parameters and messages exactly as the seed.

pub mod environments;
pub mod iac;
pub mod inventory;
pub mod traffic;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Every Optix operation implemented so far.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(iac::router())
        .merge(inventory::router())
        .merge(environments::router())
        .merge(traffic::router())
}
