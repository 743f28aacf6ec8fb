//! O11/O12: outgoing traffic at VPC and instance level, from the AWS collector's
//! flow-log connections (`bulwark-core::traffic`).

use axum::Json;
use axum::extract::State;
use bulwark_core::traffic::{TrafficParams, TrafficScope};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::inventory::envelope;
use crate::auth::Auth;
use crate::error::{ApiError, AppQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(vpc_traffic))
        .routes(routes!(instance_traffic))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page from 1; mandatory unless `isPageable` is false (default 1).
    page: Option<String>,
    /// At most 50 (default 20).
    size: Option<String>,
    /// `false` returns every row at once (at most 10000).
    #[serde(rename = "isPageable")]
    is_pageable: Option<String>,
    /// ISO 8601: `yyyy-MM-dd['T'HH:mm:ss][(+|-)hh:mm]`, UTC without an offset.
    #[serde(rename = "timeFrom")]
    time_from: Option<String>,
    /// ISO 8601, after `timeFrom`.
    #[serde(rename = "timeTo")]
    time_to: Option<String>,
}

impl PageParams {
    fn params(&self) -> TrafficParams<'_> {
        TrafficParams {
            page: self.page.as_deref(),
            size: self.size.as_deref(),
            is_pageable: self.is_pageable.as_deref(),
            time_from: self.time_from.as_deref(),
            time_to: self.time_to.as_deref(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VpcParams {
    /// Mandatory: the cloud account id.
    #[serde(rename = "accountId")]
    account_id: Option<String>,
    /// Mandatory: the VPC id.
    #[serde(rename = "vpcId")]
    vpc_id: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageParams,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstanceParams {
    /// Mandatory: the EC2 instance id.
    #[serde(rename = "instanceId")]
    instance_id: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageParams,
}

/// Getting data at VPC level
///
/// Outgoing connections from a VPC's interfaces, one row per connection (remote
/// address, port, protocol) and hour, read from its VPC flow logs.
#[utoipa::path(get, path = "/api/v1/outgoingtraffic/vpc", operation_id = "GetVpcOutgoingTraffic", tag = "traffic",
    params(VpcParams, PageParams),
    responses((status = 200, description = "Optix page of outgoing connections"), crate::dto::AuthErrors))]
async fn vpc_traffic(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<VpcParams>,
) -> Result<Json<Value>, ApiError> {
    let scope = TrafficScope::Vpc {
        account_id: q.account_id.as_deref(),
        vpc_id: q.vpc_id.as_deref(),
    };
    respond(&st, &p, scope, &q.page).await
}

async fn respond(
    st: &AppState,
    p: &bulwark_core::auth::Principal,
    scope: TrafficScope<'_>,
    q: &PageParams,
) -> Result<Json<Value>, ApiError> {
    let (data, meta) = st
        .inventory
        .outgoing_traffic(p, scope, q.params())
        .await?
        .split();
    Ok(envelope(data, &meta))
}

/// Getting data at instance level
///
/// Outgoing connections of one EC2 instance, read from VPC flow logs.
#[utoipa::path(get, path = "/api/v1/outgoingtraffic/instance", operation_id = "GetInstanceOutgoingTraffic", tag = "traffic",
    params(InstanceParams, PageParams),
    responses((status = 200, description = "Optix page of outgoing connections"), crate::dto::AuthErrors))]
async fn instance_traffic(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<InstanceParams>,
) -> Result<Json<Value>, ApiError> {
    let scope = TrafficScope::Instance {
        instance_id: q.instance_id.as_deref(),
    };
    respond(&st, &p, scope, &q.page).await
}
