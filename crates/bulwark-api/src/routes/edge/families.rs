//! Edge resource families beyond identity and access; each submodule has a `router()`.

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes of every family in this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
