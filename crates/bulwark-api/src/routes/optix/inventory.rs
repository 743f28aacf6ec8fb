//! O15-O19 (hosts, accounts, users, serverless, containers) and O03 (search), exactly as
//! the Optix seed describes them; and, beyond the seed, cloud environments and snapshot
//! ingestion at `/bulwark/v1/environments`.

use axum::Json;
use axum::extract::{Path, State};
use bulwark_core::DomainError;
use bulwark_core::inventory::{PROVIDER_NOT_SUPPORTED, Page, inventory_paging};
use bulwark_inventory::{Provider, serve};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::error::{ApiError, AppQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_vms))
        .routes(routes!(get_accounts))
        .routes(routes!(get_users))
        .routes(routes!(get_serverless))
        .routes(routes!(get_containers))
        .routes(routes!(search))
}

pub(crate) fn envelope<T: serde::Serialize>(data: Vec<T>, meta: &Page<()>) -> Json<Value> {
    Json(json!({
        "errorMessage": Value::Null,
        "data": data,
        "currentPage": meta.current_page,
        "hasNext": meta.has_next,
        "hasPrevious": meta.has_previous,
        "totalPages": meta.total_pages,
        "size": meta.size,
    }))
}

fn provider(raw: Option<&str>, allowed: &[Provider]) -> Result<Provider, ApiError> {
    raw.and_then(Provider::from_optix)
        .filter(|p| allowed.contains(p))
        .ok_or_else(|| DomainError::invalid(PROVIDER_NOT_SUPPORTED).into())
}

fn serve_err(e: serve::ServeError) -> ApiError {
    DomainError::invalid(e.to_string()).into()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InventoryParams {
    /// Mandatory: AWS, Azure or GCP.
    provider: Option<String>,
    /// Comma separated cloud account ids; all environments when unset.
    #[serde(rename = "accountIds")]
    account_ids: Option<String>,
    /// Page from 0 (invalid values mean 0).
    page: Option<String>,
    /// Mandatory: 100 to 500.
    size: Option<String>,
}

/// The shared body of `/vms`, `/users` and `/serverless`: validate, page one search key
/// of one provider, shape the items.
async fn listing<T: serde::Serialize>(
    st: &AppState,
    p: &bulwark_core::auth::Principal,
    q: &InventoryParams,
    prov: Provider,
    key: Result<&'static str, serve::ServeError>,
    items: fn(&[bulwark_inventory::Asset], Provider) -> Result<Vec<T>, serve::ServeError>,
) -> Result<Json<Value>, ApiError> {
    let (page, size) = inventory_paging(q.page.as_deref(), q.size.as_deref())?;
    let key = key.map_err(serve_err)?;
    let (found, meta) = st
        .inventory
        .page(p, &[key], q.account_ids.as_deref(), None, page, size)
        .await?;
    Ok(envelope(
        items(&found.assets, prov).map_err(serve_err)?,
        &meta,
    ))
}

const VM_PROVIDERS: [Provider; 3] = [Provider::Aws, Provider::Azure, Provider::Gcp];

/// Getting Hosts
///
/// Instances / virtual machines. Failures (400): `Account Ids <<ids>> not found`,
/// `Pageable size cannot be greater than 500`, `Pageable size cannot be less than 100`,
/// `Provider type not supported`.
#[utoipa::path(get, path = "/api/v1/vms", operation_id = "GetHosts", tag = "inventory",
    params(InventoryParams), responses((status = 200, description = "Optix page of hosts"), crate::dto::AuthErrors))]
async fn get_vms(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<InventoryParams>,
) -> Result<Json<Value>, ApiError> {
    let prov = provider(q.provider.as_deref(), &VM_PROVIDERS)?;
    listing(
        &st,
        &p,
        &q,
        prov,
        serve::host_search_key(prov),
        serve::vm_items,
    )
    .await
}

/// Getting Users
///
/// Users of the cloud environments (IAM users, directory users, service accounts).
#[utoipa::path(get, path = "/api/v1/users", operation_id = "GetCloudUsers", tag = "inventory",
    params(InventoryParams), responses((status = 200, description = "Optix page of users"), crate::dto::AuthErrors))]
async fn get_users(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<InventoryParams>,
) -> Result<Json<Value>, ApiError> {
    let prov = provider(q.provider.as_deref(), &VM_PROVIDERS)?;
    listing(
        &st,
        &p,
        &q,
        prov,
        serve::user_search_key(prov),
        serve::user_items,
    )
    .await
}

/// Getting Serverless
///
/// Lambda functions (AWS) and Function apps (Azure). Failures (400):
/// `Provider <<provider>> not supported`, `Account Ids <<ids>> not found`, size limits.
#[utoipa::path(get, path = "/api/v1/serverless", operation_id = "GetServerless", tag = "inventory",
    params(InventoryParams), responses((status = 200, description = "Optix page of functions"), crate::dto::AuthErrors))]
async fn get_serverless(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<InventoryParams>,
) -> Result<Json<Value>, ApiError> {
    let raw = q.provider.clone().unwrap_or_default();
    let prov = Provider::from_optix(&raw)
        .filter(|p| matches!(p, Provider::Aws | Provider::Azure))
        .ok_or_else(|| {
            ApiError::from(DomainError::invalid(format!(
                "Provider {raw} not supported"
            )))
        })?;
    listing(
        &st,
        &p,
        &q,
        prov,
        serve::serverless_search_key(prov),
        serve::serverless_items,
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContainerParams {
    /// native, eks, aks or gke.
    #[serde(rename = "cloudProvider")]
    cloud_provider: Option<String>,
    /// clusters, nodes, pods or containers.
    #[serde(rename = "containerType")]
    container_type: Option<String>,
    #[serde(rename = "accountIds")]
    account_ids: Option<String>,
    page: Option<String>,
    size: Option<String>,
}

/// Getting Containers
///
/// Failures (400): `Provider not provided.`, `Container-Type not provided.`,
/// `Invalid Container-Type:<<containerType>>`,
/// `Provider:<<cloudProvider>> not supported for Container-Type:<<containerType>>`.
#[utoipa::path(get, path = "/api/v1/containers", operation_id = "GetContainers", tag = "inventory",
    params(ContainerParams), responses((status = 200, description = "Optix page of container objects"), crate::dto::AuthErrors))]
async fn get_containers(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<ContainerParams>,
) -> Result<Json<Value>, ApiError> {
    let cq = serve::ContainerQuery::parse(q.cloud_provider.as_deref(), q.container_type.as_deref())
        .map_err(|e| ApiError::from(DomainError::invalid(e.to_string())))?;
    let (page, size) = inventory_paging(q.page.as_deref(), q.size.as_deref())?;
    let key = cq.search_key();
    let (found, meta) = st
        .inventory
        .page(&p, &[key], q.account_ids.as_deref(), None, page, size)
        .await?;
    Ok(envelope(serve::container_items(&found.assets, &cq), &meta))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountParams {
    #[serde(rename = "accountIds")]
    account_ids: Option<String>,
    /// AWS, Azure, GCP, Kubernetes or Docker (case-sensitive); all when unset.
    provider: Option<String>,
}

/// Getting Accounts
///
/// The cloud environments (AWS accounts, Azure subscriptions, GCP projects, clusters).
#[utoipa::path(get, path = "/api/v1/accounts", operation_id = "GetAccounts", tag = "inventory",
    params(AccountParams), responses((status = 200, description = "Array of environments"), crate::dto::AuthErrors))]
async fn get_accounts(
    State(st): State<AppState>,
    Auth(p): Auth,
    AppQuery(q): AppQuery<AccountParams>,
) -> Result<Json<Value>, ApiError> {
    let list = st
        .inventory
        .accounts(&p, q.account_ids.as_deref(), q.provider.as_deref())
        .await?;
    Ok(Json(Value::Array(list)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The search language, e.g. `tags.name:test* or isPublic:true` (grammar in the crate docs of bulwark-query).
    #[serde(rename = "searchTerm")]
    search_term: Option<String>,
    /// `k=v1,v2;k2=v`: OR within a key, AND across keys.
    filters: Option<String>,
    /// Page from 1.
    page: Option<String>,
    /// Mandatory, at most 10000.
    size: Option<String>,
}

/// Search
///
/// Searches one kind of object (see the 86 search keys). `searchTerm` supports
/// `field:value`, nested fields (`tags.name`), wildcards (`test*`), quoted phrases,
/// `and`/`or`/`not` with parentheses, comparisons (`size>100`, `createdAt>=2024-01-01`),
/// ranges and existence (`field:*`); errors name the position (`at column N`).
#[utoipa::path(get, path = "/api/v1/search/{searchKey}", operation_id = "Search", tag = "inventory",
    params(("searchKey" = String, Path, description = "One of the 86 search keys"), SearchParams),
    responses((status = 200, description = "Optix page of matching objects"), crate::dto::AuthErrors))]
async fn search(
    State(st): State<AppState>,
    Auth(p): Auth,
    Path(key): Path<String>,
    AppQuery(q): AppQuery<SearchParams>,
) -> Result<Json<Value>, ApiError> {
    let info = bulwark_inventory::search_key_info(&key)
        .ok_or_else(|| ApiError::BadRequest(format!("Search key {key} not supported")))?;
    let size = q
        .size
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| ApiError::BadRequest("Parameter size is mandatory".into()))?;
    if size > 10_000 {
        return Err(ApiError::BadRequest(
            "Pageable size cannot be greater than 10000".into(),
        ));
    }
    if size < 1 {
        return Err(ApiError::BadRequest(
            "Pageable size cannot be less than 1".into(),
        ));
    }
    let page = q
        .page
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(1);
    if page < 1 {
        return Err(ApiError::BadRequest(
            "Page number should be greater than 0".into(),
        ));
    }
    let mut term = match q.search_term.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => bulwark_query::parse(t)
            .map_err(|e| ApiError::BadRequest(format!("Invalid searchTerm: {e}")))?,
        None => bulwark_query::Query::match_all(),
    };
    if let Some(f) = q.filters.as_deref().filter(|f| !f.trim().is_empty()) {
        let filters = bulwark_query::parse_filters(f)
            .map_err(|e| ApiError::BadRequest(format!("Invalid filters: {e}")))?;
        term = term.and(filters.to_query());
    }
    if info.key == "ALERT" {
        let offset = usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
        let limit = usize::try_from(size).unwrap_or(0);
        let (hits, total) = st
            .resources
            .search(&p, &bulwark_core::iac::ALERTS, &term, offset, limit)
            .await?;
        let total = i64::try_from(total).unwrap_or(i64::MAX);
        let total_pages = (total + size - 1) / size;
        let meta = Page {
            data: Vec::new(),
            current_page: page,
            has_next: page < total_pages,
            has_previous: page > 1,
            total_pages,
            size,
        };
        return Ok(envelope(hits, &meta));
    }
    let keys = [info.key];
    let (found, meta) = st
        .inventory
        .page(&p, &keys, None, Some(&term), page - 1, size)
        .await?;
    let data: Vec<Value> = found
        .assets
        .iter()
        .map(|a| serde_json::to_value(a).unwrap_or_default())
        .collect();
    let meta = Page {
        current_page: page,
        has_next: page < meta.total_pages,
        has_previous: page > 1,
        ..meta
    };
    Ok(envelope(data, &meta))
}
