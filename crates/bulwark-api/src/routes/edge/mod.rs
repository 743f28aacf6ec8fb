//! The Edge surface (`/edge/v1`): paths from `shared/spec/edge-operations.tsv`.

pub mod access;
pub mod apps;
pub mod audit;
pub mod crud;
pub mod deployments;
pub mod devices;
pub mod families;
pub mod groups;
pub mod login;
pub mod sso;
pub mod tokens;
pub mod users;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Every Edge operation implemented so far.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(tokens::router())
        .merge(login::router())
        .merge(sso::router())
        .merge(audit::router())
        .merge(apps::router())
        .merge(access::router())
        .merge(families::router())
        .merge(groups::router())
        .merge(users::router())
        .merge(devices::router())
        .merge(deployments::router())
}
