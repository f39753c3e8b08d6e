//! `/api/v1/orders`: place (with an Idempotency-Key), list, look up, cancel — the resident's
//! own orders only; anyone else's is 404.
use super::events::StreamRequest;
use super::who::SignedIn;
use super::error::{ApiError, ApiJson, ApiPath, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use linli_app::orders::model::{Notification, Order, OrderSummary, PlaceOrder};
use linli_app::orders::service;
use linli_app::server::AppState;
use linli_app::shared::{AppError, ErrorCode};


/// Places an order at a store. Stock for every line is reserved in the same transaction that
/// writes the order (all or nothing); prices come from the catalog, never from the request.
#[utoipa::path(post, path = "/api/v1/orders", request_body = PlaceOrder, tag = "orders",
    params(("Idempotency-Key" = String, Header, description = "required; a retry with the same key and body returns the first answer")),
    responses((status = 201, body = Order), (status = 400, description = "idempotency_key_required or malformed"), (status = 401),
        (status = 402, description = "insufficient_balance"), (status = 404, description = "no such store"),
        (status = 409, description = "insufficient_stock, with details.items [{product_id, name, requested, available}]"),
        (status = 422, description = "outside_delivery_area, invalid_quantity, product_unavailable, invalid_pickup_time, invalid_slot, below_min_order, idempotency_key_reused")))]
pub async fn place(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<PlaceOrder>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let key = super::idempotency_key(&headers)?.ok_or(ApiError(AppError::new(ErrorCode::IdempotencyKeyRequired)))?;
    let order = service::place(&state.db, me.id, &body, &key, None).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

/// The signed-in resident's orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", responses((status = 200, body = [OrderSummary]), (status = 401)))]
pub async fn list(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<Json<Vec<OrderSummary>>> {
    Ok(Json(service::list(&state.db, me.id).await?))
}

/// One of the resident's orders with its lines and history.
#[utoipa::path(get, path = "/api/v1/orders/{id}", params(("id" = i64, Path)), tag = "orders",
    responses((status = 200, body = Order), (status = 401), (status = 404, description = "no such order of yours")))]
pub async fn get(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Order>> {
    service::load(&state.db, id, me.id).await?.map(Json).ok_or(ApiError(AppError::not_found()))
}

/// Cancels while the store has not started picking; stock and any wallet payment go back.
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", params(("id" = i64, Path)), tag = "orders",
    responses((status = 200, body = Order), (status = 401), (status = 404), (status = 409, description = "not_cancellable")))]
pub async fn cancel(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Order>> {
    match service::cancel(&state.db, id, me.id).await {
        // A group-buy join is cancelled by leaving its group (409 closed once decided).
        Err(e) if e.code == ErrorCode::NotCancellable && e.details.as_ref().is_some_and(|d| d.get("group_buy_id").is_some()) => {
            Ok(Json(linli_app::group_buy::service::leave(&state.db, me.id, id).await?))
        }
        other => Ok(Json(other?)),
    }
}

/// The order's live status: `text/event-stream`, first the current status, then one `status`
/// event per change (`data: {"order_id", "status", "at", "shelf_slot"?}`). For the resident
/// whose order it is, and the staff of its store.
#[utoipa::path(get, path = "/api/v1/orders/{id}/events", params(("id" = i64, Path)), tag = "orders",
    responses((status = 200, description = "text/event-stream of `status` events"), (status = 401), (status = 404)))]
pub async fn events(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ask: StreamRequest,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<impl axum::response::IntoResponse> {
    let mut opening = ask.open(Some(&me))?;
    // Subscribe first, then read: a change between the two is delivered, not lost.
    let rx = state.db.events.subscribe();
    let topic = linli_app::server::events::Topic::Order(id);
    let resume = opening.resume(topic).await;
    let mut staff_of = None;
    let may_see = |r: &linli_app::orders::OrderRow| {
        // Staff reading someone else's order read it as staff, for as long as they are.
        if r.user_id != me.id {
            staff_of = Some(r.store_id);
        }
        r.user_id == me.id || linli_app::orders::flow::desk_may(&me, r.store_id)
    };
    let current = service::current_status_event(&state.db, id, may_see).await?;
    if let Some(store_id) = staff_of {
        opening = opening.as_staff_of(store_id);
    }
    Ok(super::events::stream(rx, topic, resume, vec![current], Vec::new(), opening))
}

/// The resident's notifications (accepted, ready, on its way, delivered, cancelled by the
/// store; a group buy's outcome; a live session asked about going live; and from the store's
/// group as chosen: `group_announcement` with `post_id`, `group_live`, `group_buy_new` with
/// `group_buy_id`), newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "orders", responses((status = 200, body = [Notification]), (status = 401)))]
pub async fn notifications(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<Json<Vec<Notification>>> {
    Ok(Json(service::notifications(&state.db, me.id).await?))
}

/// Marks every notification read (the bell's badge clears).
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "orders", responses((status = 204), (status = 401)))]
pub async fn notifications_read(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<StatusCode> {
    service::mark_notifications_read(&state.db, me.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
