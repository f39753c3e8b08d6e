//! `/api/v1/staff/stores/{store_id}/stock…` and the till's counter sales: stock levels, the
//! ledger, booking a movement, selling to a walk-in customer. Only staff of that store (or
//! the owner) may read or move its stock; a receipt of another store does not exist (404).
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use super::who::SignedIn;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use linli_app::inventory::model::{CounterSaleRequest, Receipt, StockLevel, StockLine, StockMovement, StockReason, TillRefundRequest};
use linli_app::inventory::service;
use linli_app::server::{request, AppState};
use linli_app::shared::{AppError, ErrorCode};
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockMoveBody {
    pub product_id: i64,
    /// Whole units: positive for `receive`, negative for `loss` and `return`, either for `count`.
    pub delta: i64,
    /// receive | loss | count | return
    pub reason: StockReason,
    /// At most 60 characters (supplier, batch, why).
    #[serde(default)]
    pub note: String,
    /// What one unit of a delivery cost (进货价, fen, 0 to 10,000,000); `receive` only, where
    /// the owner's margins read it. Ignored for other reasons.
    #[serde(default)]
    pub unit_cost_fen: Option<i64>,
}

/// Books a movement of the store's stock. The shelf never goes below what online orders hold
/// (409 insufficient_stock, with `on_hand`, `reserved` and `available` in the details). An optional
/// `Idempotency-Key` makes a retry book once and answer the same.
#[utoipa::path(post, path = "/api/v1/staff/stores/{store_id}/stock", params(("store_id" = i64, Path)), request_body = StockMoveBody, tag = "stock",
    responses((status = 200, body = StockLevel), (status = 401), (status = 403, description = "not staff of this store"), (status = 404, description = "no such product here (or a bundle)"),
        (status = 409, description = "insufficient_stock"), (status = 422, description = "invalid_stock_change, note_too_long or invalid_unit_cost")))]
pub async fn book(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<StockMoveBody>,
) -> ApiResult<Json<StockLevel>> {
    let key = super::idempotency_key(&headers)?;
    Ok(Json(service::book(&state.db, &me, store_id, body.product_id, body.reason, body.delta, &body.note, body.unit_cost_fen, key.as_deref()).await?))
}

/// Every product with a shelf of its own at the store, with on hand, held, sellable and
/// whether it is low.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/stock", params(("store_id" = i64, Path)), tag = "stock",
    responses((status = 200, body = [StockLine]), (status = 401), (status = 403)))]
pub async fn levels(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Vec<StockLine>>> {
    if !service::may_book(&me, store_id) {
        return Err(ApiError(AppError::forbidden()));
    }
    let zh = request::api_zh(&headers);
    Ok(Json(service::lines(&state.db, store_id, zh).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct LedgerQuery {
    pub product_id: Option<i64>,
    /// 1–500, default 100.
    pub limit: Option<i64>,
}

/// The store's stock ledger, newest first.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/stock/movements", params(("store_id" = i64, Path), LedgerQuery), tag = "stock",
    responses((status = 200, body = [StockMovement]), (status = 400), (status = 401), (status = 403)))]
pub async fn movements(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> ApiResult<Json<Vec<StockMovement>>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ErrorCode::BadRequest.into());
    }
    Ok(Json(service::ledger(&state.db, &me, store_id, q.product_id, limit).await?))
}

/// Sells to a walk-in customer from the store's stock (the same rows the storefront sells).
/// `Idempotency-Key` is required: a retry returns the first receipt and sells nothing more.
#[utoipa::path(post, path = "/api/v1/staff/stores/{store_id}/counter-sales", params(("store_id" = i64, Path)), request_body = CounterSaleRequest, tag = "stock",
    responses((status = 201, body = Receipt), (status = 400, description = "idempotency_key_required"), (status = 401), (status = 402, description = "insufficient_balance"),
        (status = 403), (status = 409, description = "insufficient_stock with the short items"),
        (status = 422, description = "basket_empty, invalid_stock_change, product_unavailable, pay_code_required, pay_code_invalid (with tries_left)"), (status = 429, description = "too_many_attempts: too many wrong pay codes")))]
pub async fn sell(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<CounterSaleRequest>,
) -> ApiResult<(StatusCode, Json<Receipt>)> {
    let key = super::idempotency_key(&headers)?.ok_or(ApiError(AppError::new(ErrorCode::IdempotencyKeyRequired)))?;
    Ok((StatusCode::CREATED, Json(service::sell(&state.db, &me, store_id, &body, &key).await?)))
}

/// A till receipt, for staff of its store.
#[utoipa::path(get, path = "/api/v1/staff/counter-sales/{id}", params(("id" = i64, Path)), tag = "stock",
    responses((status = 200, body = Receipt), (status = 401), (status = 404)))]
pub async fn receipt(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Receipt>> {
    Ok(Json(service::receipt(&state.db, &me, id).await?))
}

/// 退款: gives a till sale back, whole (no `items`) or some of its lines, once, to the way it
/// was paid (a wallet sale to the member's wallet; cash and QR from the till by hand); the
/// goods go back on the shelf with a ledger row. The store's manager (or the owner) only.
/// `Idempotency-Key` is required: a retry returns the refunded receipt and refunds nothing more.
#[utoipa::path(post, path = "/api/v1/staff/counter-sales/{id}/refund", params(("id" = i64, Path)), request_body = TillRefundRequest, tag = "stock",
    responses((status = 201, body = Receipt, description = "the receipt with its refund"), (status = 400, description = "idempotency_key_required or malformed"), (status = 401),
        (status = 403, description = "refund_is_managers: staff of the store who are not its manager"), (status = 404, description = "no such sale at a store of yours"),
        (status = 409, description = "already_refunded"), (status = 422, description = "invalid_refund, note_too_long, idempotency_key_reused")))]
pub async fn refund(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<TillRefundRequest>,
) -> ApiResult<(StatusCode, Json<Receipt>)> {
    let key = super::idempotency_key(&headers)?.ok_or(ApiError(AppError::new(ErrorCode::IdempotencyKeyRequired)))?;
    Ok((StatusCode::CREATED, Json(service::refund(&state.db, &me, id, &body, &key).await?)))
}
