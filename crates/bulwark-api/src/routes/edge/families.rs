//! Edge resource families beyond identity and access; each submodule has a `router()`.
//!
//! Every family follows the shared shape of [`super::crud`]: create and update are
//! written here because their envelopes differ, query/get/delete mostly come from
//! [`edge_crud!`](crate::edge_crud). Beyond the seed, each family can be listed
//! (paged by `limit`/`offset`) and soft-deleted (status DELETED).

mod accounts;
mod app_control;
mod ca;
mod client_configs;
mod connectors;
mod countries;
mod integrations;
mod posture;
mod temp_tokens;

use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

/// Routes of every family in this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(posture::router())
        .merge(connectors::router())
        .merge(accounts::router())
        .merge(temp_tokens::router())
        .merge(client_configs::router())
        .merge(ca::router())
        .merge(app_control::router())
        .merge(countries::router())
        .merge(integrations::router())
}

/// `attributes_to_delete` may only name fields the update body could change: a
/// field fixed at creation (or derived by the server) cannot be reset either.
fn deletable(attrs: &[String], allowed: &[&str]) -> Result<(), ApiError> {
    match attrs.iter().find(|a| !allowed.contains(&a.as_str())) {
        Some(a) => Err(ApiError::BadRequest(format!(
            "attribute `{a}` cannot be deleted; deletable: {}",
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}
