//! Countries for location filters.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A country with its principal time zone (the seed's `countries[]` object; no zip
/// code, which countries don't have).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountryDto {
    /// The principal time zone's city.
    pub city_name: String,
    pub country: String,
    /// ISO 3166 alpha-2.
    pub country_code: String,
    /// Decimal degrees.
    pub latitude: String,
    /// Decimal degrees.
    pub longitude: String,
    /// The time zone's area (`Europe`, `America`, ...).
    pub region_name: String,
    /// Standard UTC offset, `+HH:MM`.
    pub time_zone: String,
    /// IANA time zone name.
    pub time_zone_name: String,
}

/// `{"countries": [...]}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountryList {
    pub countries: Vec<CountryDto>,
}
