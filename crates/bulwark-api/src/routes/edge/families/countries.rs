//! E098 Query countries: a static table (`bulwark_core::edge::countries`).

use axum::Json;
use axum::extract::State;
use bulwark_core::Role;
use bulwark_core::edge::countries::countries;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::dto::edge::countries::CountryList;
use crate::error::{ApiError, AppQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(query_countries))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountryParams {
    /// Beyond the seed: comma separated ISO 3166 alpha-2 codes to return (default all).
    country_code: Option<String>,
}

/// Query countries
///
/// Every country with its principal time zone's city, coordinates and UTC offset, for
/// location filters. Any authenticated caller.
#[utoipa::path(get, path = "/edge/v1/countries", operation_id = "QueryCountries", tag = "access",
    params(CountryParams), responses((status = 200, body = CountryList), crate::dto::AuthErrors))]
async fn query_countries(
    State(_st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<CountryParams>,
) -> Result<Json<Value>, ApiError> {
    p.require(Role::Guest)?;
    let codes: Vec<String> = q
        .country_code
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Json(json!({ "countries": countries(&codes) })))
}
