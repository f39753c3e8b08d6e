//! `/api/v1/stores` and products.
use super::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use axum::extract::State;
use axum::Json;
use linli_app::catalog::{self, Product, ProductDetail};
use linli_app::server::AppState;
use linli_app::shared::AppError;
use linli_app::stores::{self, NearbyStore};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct NearQuery {
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

/// The chain's stores, nearest first when a point is given.
#[utoipa::path(get, path = "/api/v1/stores", params(NearQuery), tag = "catalog", responses((status = 200, body = [NearbyStore])))]
pub async fn stores(State(state): State<AppState>, ApiQuery(q): ApiQuery<NearQuery>) -> ApiResult<Json<Vec<NearbyStore>>> {
    Ok(Json(stores::service::nearby(&state.db, q.lat, q.lng).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ShelfQuery {
    pub category: Option<String>,
    pub q: Option<String>,
}

/// A store's products with what is available there.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/products", params(("store_id" = i64, Path), ShelfQuery), tag = "catalog",
    responses((status = 200, body = [Product]), (status = 404, description = "no such store")))]
pub async fn store_products(
    State(state): State<AppState>,
    ApiPath(store_id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ShelfQuery>,
) -> ApiResult<Json<Vec<Product>>> {
    let store = stores::service::open_store(&state.db, store_id).await?;
    Ok(Json(catalog::service::shelf(&state.db, store.id, q.category.as_deref(), q.q.as_deref()).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProductQuery {
    /// The store whose availability to report; the chain's first store when absent.
    pub store_id: Option<i64>,
}

/// One product with its traceability card and availability at a store.
#[utoipa::path(get, path = "/api/v1/products/{id}", params(("id" = i64, Path), ProductQuery), tag = "catalog",
    responses((status = 200, body = ProductDetail), (status = 404, description = "no such product or store")))]
pub async fn product(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductDetail>> {
    let store = stores::service::open_store_or_first(&state.db, q.store_id).await?;
    catalog::service::detail(&state.db, id, store.id).await?.map(Json).ok_or(ApiError(AppError::not_found()))
}
