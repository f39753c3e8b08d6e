//! `/api/v1/staff/products…` and `/api/v1/staff/categories…`: the chain's catalog as the back
//! office edits it. The owner creates, prices and retires; managers edit descriptions, tags,
//! traceability and photos; anyone else is refused (403).
use super::error::{ApiJson, ApiPath, ApiQuery, ApiResult};
use super::who::SignedIn;
use linli_app::accounts::Me;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::Json;
use linli_app::catalog::model::{CategoryAdmin, CategoryInput, ComponentsInput, ItemRequest, Photo, ProductAdmin, ProductInput};
use linli_app::catalog::service;
use linli_app::catalog::AdminFilter;
use linli_app::server::{request, AppState};
use linli_app::shared::{AppError, ErrorCode};
use serde::Deserialize;


#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProductsQuery {
    pub q: Option<String>,
    pub category_id: Option<i64>,
    /// on (default) | retired | all
    pub status: Option<String>,
}

/// The chain's products with everything the editor writes (no photos or components: see
/// the product itself).
#[utoipa::path(get, path = "/api/v1/staff/products", params(ProductsQuery), tag = "catalog",
    responses((status = 200, body = [ProductAdmin]), (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiQuery(q): ApiQuery<ProductsQuery>) -> ApiResult<Json<Vec<ProductAdmin>>> {
    let active = match q.status.as_deref() {
        None | Some("on") => Some(true),
        Some("retired") => Some(false),
        Some("all") => None,
        Some(_) => return Err(ErrorCode::BadRequest.into()),
    };
    let term = linli_app::catalog::rules::search_term(q.q.as_deref());
    let filter = AdminFilter { category_id: q.category_id, active, q: term.as_deref() };
    Ok(Json(service::products(&state.db, &me, request::api_zh(&headers), &filter).await?.products))
}

/// Creates a product (owner). It is on sale at once and sold out until a store receives stock.
#[utoipa::path(post, path = "/api/v1/staff/products", request_body = ProductInput, tag = "catalog",
    responses((status = 201, body = ProductAdmin), (status = 401), (status = 403),
        (status = 422, description = "invalid_product_name, invalid_unit, invalid_price, category_required, invalid_tags, …")))]
pub async fn create(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiJson(body): ApiJson<ProductInput>) -> ApiResult<(StatusCode, Json<ProductAdmin>)> {
    Ok((StatusCode::CREATED, Json(service::create_product(&state.db, &me, &body, request::api_zh(&headers)).await?)))
}

/// One product with its photos and bundle components.
#[utoipa::path(get, path = "/api/v1/staff/products/{id}", params(("id" = i64, Path)), tag = "catalog",
    responses((status = 200, body = ProductAdmin), (status = 401), (status = 403), (status = 404)))]
pub async fn get(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<ProductAdmin>> {
    Ok(Json(service::product(&state.db, &me, id, request::api_zh(&headers)).await?))
}

/// Replaces what the editor writes. A manager may not change `price_fen` or `category_id`
/// (403 price_is_owners).
#[utoipa::path(put, path = "/api/v1/staff/products/{id}", params(("id" = i64, Path)), request_body = ProductInput, tag = "catalog",
    responses((status = 200, body = ProductAdmin), (status = 401), (status = 403, description = "forbidden or price_is_owners"), (status = 404), (status = 409, description = "stale_edit: saved since `version`; the latest in details.version"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: axum::http::HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProductInput>,
) -> ApiResult<Json<ProductAdmin>> {
    Ok(Json(service::update_product(&state.db, &me, id, &body, request::api_zh(&headers)).await?))
}

async fn on_sale(state: &AppState, me: &Me, headers: &axum::http::HeaderMap, id: i64, active: bool) -> ApiResult<Json<ProductAdmin>> {
    Ok(Json(service::set_active(&state.db, me, id, active, request::api_zh(headers)).await?))
}

/// Takes a product off sale in every store (owner); placed orders go ahead.
#[utoipa::path(post, path = "/api/v1/staff/products/{id}/retire", params(("id" = i64, Path)), tag = "catalog",
    responses((status = 200, body = ProductAdmin), (status = 401), (status = 403), (status = 404)))]
pub async fn retire(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<ProductAdmin>> {
    on_sale(&state, &me, &headers, id, false).await
}

/// Puts a retired product back on sale (owner); its category must be in use (422 category_required).
#[utoipa::path(post, path = "/api/v1/staff/products/{id}/restore", params(("id" = i64, Path)), tag = "catalog",
    responses((status = 200, body = ProductAdmin), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn restore(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<ProductAdmin>> {
    on_sale(&state, &me, &headers, id, true).await
}

/// The `photo` part of a multipart upload, refused as too large when it outgrows the route's
/// body limit while being read.
pub async fn read_photo(multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> Result<Vec<u8>, AppError> {
    let too_large = || AppError::field(ErrorCode::PhotoTooLarge, "photo");
    let mut multipart = multipart.map_err(|_| AppError::field(ErrorCode::NotAnImage, "photo"))?;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("photo") => {
                let bytes = field.bytes().await.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { AppError::field(ErrorCode::BrokenImage, "photo") })?;
                return Ok(bytes.to_vec());
            }
            Ok(Some(_)) => continue,
            Ok(None) => return Err(AppError::field(ErrorCode::NotAnImage, "photo")),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(AppError::field(ErrorCode::BrokenImage, "photo")),
        }
    }
}

/// The body limit for photo uploads: the largest photo plus room for the form around it.
pub const UPLOAD_LIMIT: usize = linli_app::catalog::photos::MAX_BYTES + 64 * 1024;

/// Adds a photo (multipart, part `photo`: JPEG, PNG or WebP up to 10 MB and 10,000 px a side).
/// It is re-encoded (EXIF and GPS gone) at 480×480 for cards and up to 1280 px for the page,
/// served from `/media/{id}` with a year's cache. The first photo becomes the cover.
#[utoipa::path(post, path = "/api/v1/staff/products/{id}/photos", params(("id" = i64, Path)), tag = "catalog",
    request_body(content_type = "multipart/form-data", description = "part `photo`: the picture"),
    responses((status = 201, body = Photo), (status = 401), (status = 403), (status = 404),
        (status = 413, description = "photo_too_large"), (status = 422, description = "not_an_image, broken_image, photo_too_big, photo_too_small, too_many_photos")))]
pub async fn add_photo(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Photo>)> {
    let bytes = read_photo(multipart).await?;
    Ok((StatusCode::CREATED, Json(service::add_photo(&state.db, &me, id, bytes).await?)))
}

/// Removes a photo; the next one becomes the cover if it was.
#[utoipa::path(delete, path = "/api/v1/staff/products/{id}/photos/{photo_id}", params(("id" = i64, Path), ("photo_id" = i64, Path)), tag = "catalog",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn remove_photo(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((id, photo_id)): ApiPath<(i64, i64)>) -> ApiResult<StatusCode> {
    service::remove_photo(&state.db, &me, id, photo_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a photo the product's cover (the picture on its card).
#[utoipa::path(post, path = "/api/v1/staff/products/{id}/photos/{photo_id}/cover", params(("id" = i64, Path), ("photo_id" = i64, Path)), tag = "catalog",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn cover(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((id, photo_id)): ApiPath<(i64, i64)>) -> ApiResult<StatusCode> {
    service::make_cover(&state.db, &me, id, photo_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The chain's categories (retired ones last) with how many products on sale each holds.
#[utoipa::path(get, path = "/api/v1/staff/categories", tag = "catalog", responses((status = 200, body = [CategoryAdmin]), (status = 401), (status = 403)))]
pub async fn categories(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<Json<Vec<CategoryAdmin>>> {
    Ok(Json(service::categories(&state.db, &me).await?))
}

/// Adds a category (owner).
#[utoipa::path(post, path = "/api/v1/staff/categories", request_body = CategoryInput, tag = "catalog",
    responses((status = 201, body = CategoryAdmin), (status = 401), (status = 403), (status = 422, description = "invalid_category_name, invalid_sort")))]
pub async fn create_category(State(state): State<AppState>, SignedIn(me): SignedIn, ApiJson(body): ApiJson<CategoryInput>) -> ApiResult<(StatusCode, Json<CategoryAdmin>)> {
    Ok((StatusCode::CREATED, Json(service::create_category(&state.db, &me, &body).await?)))
}

/// Sets what a bundle (套餐) holds (owner): its stock is then its parts'. Empty `items`
/// makes it a single product again.
#[utoipa::path(put, path = "/api/v1/staff/products/{id}/components", params(("id" = i64, Path)), request_body = ComponentsInput, tag = "catalog",
    responses((status = 200, body = ProductAdmin), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "bundle_has_stock, bundle_is_part"), (status = 422, description = "invalid_bundle")))]
pub async fn set_components(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: axum::http::HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ComponentsInput>,
) -> ApiResult<Json<ProductAdmin>> {
    let items: Vec<(i64, i64)> = body.items.iter().map(ItemRequest::pair).collect();
    Ok(Json(service::set_components(&state.db, &me, id, &items, request::api_zh(&headers)).await?))
}

/// Renames or reorders a category (owner).
#[utoipa::path(put, path = "/api/v1/staff/categories/{id}", params(("id" = i64, Path)), request_body = CategoryInput, tag = "catalog",
    responses((status = 200, body = CategoryAdmin), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn update_category(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<CategoryInput>) -> ApiResult<Json<CategoryAdmin>> {
    Ok(Json(service::update_category(&state.db, &me, id, &body).await?))
}

/// Retires a category once nothing on sale is in it (409 category_in_use).
#[utoipa::path(post, path = "/api/v1/staff/categories/{id}/retire", params(("id" = i64, Path)), tag = "catalog",
    responses((status = 200, body = CategoryAdmin), (status = 401), (status = 403), (status = 404), (status = 409, description = "category_in_use")))]
pub async fn retire_category(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<CategoryAdmin>> {
    Ok(Json(service::set_category_active(&state.db, &me, id, false).await?))
}

/// Brings a retired category back.
#[utoipa::path(post, path = "/api/v1/staff/categories/{id}/restore", params(("id" = i64, Path)), tag = "catalog",
    responses((status = 200, body = CategoryAdmin), (status = 401), (status = 403), (status = 404)))]
pub async fn restore_category(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<CategoryAdmin>> {
    Ok(Json(service::set_category_active(&state.db, &me, id, true).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StorePriceBody {
    pub price_fen: i64,
}

/// Sets the store's own price for a product the owner lets stores price (409
/// store_pricing_off otherwise). The store's shelf, carts, checkout and till sell at it.
#[utoipa::path(put, path = "/api/v1/staff/stores/{store_id}/prices/{product_id}", params(("store_id" = i64, Path), ("product_id" = i64, Path)),
    request_body = StorePriceBody, tag = "catalog",
    responses((status = 200, body = ProductAdmin), (status = 401), (status = 403, description = "not this store's manager"), (status = 404),
        (status = 409, description = "store_pricing_off"), (status = 422, description = "invalid_price")))]
pub async fn set_store_price(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: axum::http::HeaderMap,
    ApiPath((store_id, product_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<StorePriceBody>,
) -> ApiResult<Json<ProductAdmin>> {
    Ok(Json(service::set_store_price(&state.db, &me, store_id, product_id, Some(body.price_fen), request::api_zh(&headers)).await?))
}

/// Back to the chain's price at this store.
#[utoipa::path(delete, path = "/api/v1/staff/stores/{store_id}/prices/{product_id}", params(("store_id" = i64, Path), ("product_id" = i64, Path)), tag = "catalog",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn clear_store_price(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, product_id)): ApiPath<(i64, i64)>) -> ApiResult<StatusCode> {
    service::set_store_price(&state.db, &me, store_id, product_id, None, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
