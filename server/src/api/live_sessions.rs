//! `/api/v1/live-sessions`: the store's live sale. Hosts (the store's manager and staff, the
//! owner) schedule, go live, pin and end; anyone may look and follow the room's stream;
//! residents buy at the live price while it is live, with an Idempotency-Key.
use super::error::{ApiError, ApiJson, ApiPath, ApiResult};
use super::events::StreamRequest;
use super::who::{Asker, SignedIn};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use linli_app::live::model::{LiveOrderRequest, LiveSession, NewLiveSession, PinRequest};
use linli_app::live::service;
use linli_app::orders::model::Order;
use linli_app::server::events::Topic;
use linli_app::server::AppState;
use linli_app::shared::{AppError, ErrorCode};

/// Schedules a session at a store with its line-up; each line's `stock` is set aside from the
/// shelf at once (a ledger row) and what is left goes back when the session ends.
#[utoipa::path(post, path = "/api/v1/live-sessions", request_body = NewLiveSession, tag = "live",
    responses((status = 201, body = LiveSession), (status = 401), (status = 403, description = "not a host at this store"),
        (status = 409, description = "live_stock_short (details.product_id, details.available)"),
        (status = 422, description = "live_title_required, invalid_live_start, invalid_stream_url, live_lineup_required, invalid_live_stock, invalid_live_price (details.product_id, details.usual_price_fen), product_unavailable; several at once in details.fields")))]
pub async fn create(State(state): State<AppState>, SignedIn(me): SignedIn, ApiJson(body): ApiJson<NewLiveSession>) -> ApiResult<(StatusCode, Json<LiveSession>)> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &me, &body).await?)))
}

/// A session with its line-up (live price, usual price, units left, limit), pin and takings.
#[utoipa::path(get, path = "/api/v1/live-sessions/{id}", params(("id" = i64, Path)), tag = "live",
    responses((status = 200, body = LiveSession), (status = 404)))]
pub async fn get(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(service::get(&state.db, id).await?.ok_or(ApiError(AppError::not_found()))?))
}

/// Goes live: the live prices hold from now. Again on a live session: 200, unchanged.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/start", params(("id" = i64, Path)), tag = "live",
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404), (status = 409, description = "not_live: it has ended")))]
pub async fn start(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(service::start(&state.db, &me, id).await?))
}

/// Ends the session (or calls off one not yet started): live prices stop and the units not
/// sold go back on the shelf. Again: 200, unchanged.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/end", params(("id" = i64, Path)), tag = "live",
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404)))]
pub async fn end(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(service::end(&state.db, &me, id).await?))
}

/// Pins a product of the line-up in every viewer's room.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/pin", params(("id" = i64, Path)), request_body = PinRequest, tag = "live",
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404), (status = 409, description = "not_live: it has ended"),
        (status = 422, description = "not_in_lineup")))]
pub async fn pin(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<PinRequest>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(service::pin(&state.db, &me, id, Some(body.product_id)).await?))
}

/// 抢购: an order at the live price while the session is live, from the line's units left and
/// within the resident's limit; it joins the store's queue like any order.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/orders", params(("id" = i64, Path),
        ("Idempotency-Key" = String, Header, description = "required; a retry with the same key and body returns the first answer")),
    request_body = LiveOrderRequest, tag = "live",
    responses((status = 201, body = Order), (status = 400, description = "idempotency_key_required"), (status = 401),
        (status = 402, description = "insufficient_balance"), (status = 404),
        (status = 409, description = "sold_out (details.remaining), limit_exceeded (details.limit) or not_live (details.status)"),
        (status = 422, description = "invalid_quantity, not_in_lineup, a fulfilment the store cannot do, idempotency_key_reused")))]
pub async fn order(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LiveOrderRequest>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let key = super::idempotency_key(&headers)?.ok_or(ApiError(AppError::new(ErrorCode::IdempotencyKeyRequired)))?;
    Ok((StatusCode::CREATED, Json(service::order(&state.db, me.id, id, &body, &key).await?)))
}

/// The room's stream: `text/event-stream` of `state` events (`data: {id, status,
/// pinned_product_id, remaining: [[product_id, units_left]]}`), the current one first.
#[utoipa::path(get, path = "/api/v1/live-sessions/{id}/events", params(("id" = i64, Path)), tag = "live",
    responses((status = 200, description = "text/event-stream of `state` events"), (status = 404)))]
pub async fn events(State(state): State<AppState>, Asker(me): Asker, ask: StreamRequest, ApiPath(id): ApiPath<i64>) -> ApiResult<impl IntoResponse> {
    let opening = ask.open(me.as_ref())?;
    // Subscribe first, then read: a pin between the two is delivered, not lost.
    let rx = state.db.events.subscribe();
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let current = service::state_event(&mut conn, id).await.map_err(|_| ApiError(AppError::not_found()))?;
    Ok(super::events::stream(rx, Topic::Live(id), vec![current], opening))
}
