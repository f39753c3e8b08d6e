//! `/api/v1/group-buys`: campaigns (managers and the owner set them up), joins (residents, with
//! an Idempotency-Key), leaves, live progress, the staff report and the supplier CSV.
use super::events::StreamRequest;
use super::who::{Asker, SignedIn};
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use linli_app::group_buy::model::{GroupBuy, GroupBuyReport, JoinRequest, NewGroupBuy, ReceiveGoods};
use linli_app::inventory::model::StockLevel;
use linli_app::group_buy::service;
use linli_app::orders::model::Order;
use linli_app::server::events::Topic;
use linli_app::server::AppState;
use linli_app::shared::{AppError, ErrorCode};
use serde::Deserialize;


/// Sets up a campaign for one store (`store_id`) or several (`store_ids`) of the chain: open at
/// once, or a draft with `"draft": true`.
#[utoipa::path(post, path = "/api/v1/group-buys", request_body = NewGroupBuy, tag = "group_buys",
    responses((status = 201, body = GroupBuy), (status = 401), (status = 403, description = "not a manager of every store named"),
        (status = 422, description = "invalid_group_price, invalid_threshold, invalid_deadline, invalid_pickup_date, title_required, stores_required, product_unavailable")))]
pub async fn create(State(state): State<AppState>, SignedIn(me): SignedIn, ApiJson(body): ApiJson<NewGroupBuy>) -> ApiResult<(StatusCode, Json<GroupBuy>)> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &me, &body).await?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// The store whose residents' campaigns to list; without it, the back office's campaigns
    /// (staff only).
    pub store_id: Option<i64>,
}

/// Campaigns at a store (open first, then those decided in the last three days), or, without
/// `store_id`, every campaign of the stores the asker works at.
#[utoipa::path(get, path = "/api/v1/group-buys", params(ListQuery), tag = "group_buys",
    responses((status = 200, body = [GroupBuy]), (status = 401, description = "no store_id and not signed in"), (status = 403)))]
pub async fn list(State(state): State<AppState>, SignedIn(me): SignedIn, ApiQuery(q): ApiQuery<ListQuery>) -> ApiResult<Json<Vec<GroupBuy>>> {
    match q.store_id {
        Some(store_id) => Ok(Json(service::for_store(&state.db, store_id).await?)),
        None => {
            Ok(Json(service::for_staff(&state.db, &me).await?))
        }
    }
}

/// One campaign with its real counts; status is open | succeeded | failed | cancelled (draft
/// for its store's people only; 404 for everyone else).
#[utoipa::path(get, path = "/api/v1/group-buys/{id}", params(("id" = i64, Path)), tag = "group_buys",
    responses((status = 200, body = GroupBuy), (status = 404)))]
pub async fn get(State(state): State<AppState>, Asker(me): Asker, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<GroupBuy>> {
    service::get(&state.db, id, me.as_ref()).await?.map(Json).ok_or(ApiError(AppError::not_found()))
}

/// Rewrites a campaign nobody has joined yet (409 group_not_editable afterwards).
#[utoipa::path(put, path = "/api/v1/group-buys/{id}", params(("id" = i64, Path)), request_body = NewGroupBuy, tag = "group_buys",
    responses((status = 200, body = GroupBuy), (status = 401), (status = 403), (status = 404), (status = 409, description = "group_not_editable"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewGroupBuy>,
) -> ApiResult<Json<GroupBuy>> {
    Ok(Json(service::update(&state.db, &me, id, &body).await?))
}

/// Publishes a draft.
#[utoipa::path(post, path = "/api/v1/group-buys/{id}/publish", params(("id" = i64, Path)), tag = "group_buys",
    responses((status = 200, body = GroupBuy), (status = 401), (status = 403), (status = 404), (status = 409, description = "closed"), (status = 422, description = "invalid_deadline: it has passed")))]
pub async fn publish(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<GroupBuy>> {
    Ok(Json(service::publish(&state.db, &me, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Extend {
    /// The new deadline (RFC 3339): later, at most a week later, not after the pickup day.
    pub deadline: String,
}

/// Extends an open campaign's deadline, once.
#[utoipa::path(post, path = "/api/v1/group-buys/{id}/extend", params(("id" = i64, Path)), request_body = Extend, tag = "group_buys",
    responses((status = 200, body = GroupBuy), (status = 401), (status = 403), (status = 404), (status = 409, description = "already_extended or closed"), (status = 422, description = "invalid_deadline")))]
pub async fn extend(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Extend>,
) -> ApiResult<Json<GroupBuy>> {
    Ok(Json(service::extend(&state.db, &me, id, &body.deadline).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cancel {
    /// Shown to every household that joined (at most 60 characters).
    pub reason: String,
}

/// Cancels a draft or open campaign: every join is cancelled and every wallet payment refunded.
#[utoipa::path(post, path = "/api/v1/group-buys/{id}/cancel", params(("id" = i64, Path)), request_body = Cancel, tag = "group_buys",
    responses((status = 200, body = GroupBuy), (status = 401), (status = 403), (status = 404), (status = 409, description = "closed"), (status = 422, description = "reason_required")))]
pub async fn cancel(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Cancel>,
) -> ApiResult<Json<GroupBuy>> {
    Ok(Json(service::cancel(&state.db, &me, id, &body.reason).await?))
}

/// Joins: the order waits in `awaiting_group` until the deadline decides. One transaction with
/// conditional statements on the cap and the household's limit.
#[utoipa::path(post, path = "/api/v1/group-buys/{id}/join", params(("id" = i64, Path),
        ("Idempotency-Key" = String, Header, description = "required; a retry with the same key and body returns the first answer")),
    request_body = JoinRequest, tag = "group_buys",
    responses((status = 201, body = Order), (status = 400, description = "idempotency_key_required"), (status = 401),
        (status = 402, description = "insufficient_balance"), (status = 404),
        (status = 409, description = "group_full (details.units_left), limit_exceeded (details.limit) or closed (details.status)"),
        (status = 422, description = "invalid_quantity, not_in_group, idempotency_key_reused")))]
pub async fn join(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: axum::http::HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<JoinRequest>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let key = super::idempotency_key(&headers)?.ok_or(ApiError(AppError::new(ErrorCode::IdempotencyKeyRequired)))?;
    Ok((StatusCode::CREATED, Json(service::join(&state.db, me.id, id, &body, &key).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Leave {
    /// The join (order) to leave.
    pub order_id: i64,
}

/// Leaves before the deadline: the units go back to the group and a wallet payment is refunded.
#[utoipa::path(post, path = "/api/v1/group-buys/{id}/leave", params(("id" = i64, Path)), request_body = Leave, tag = "group_buys",
    responses((status = 200, body = Order), (status = 401), (status = 404, description = "no such join of yours"), (status = 409, description = "closed")))]
pub async fn leave(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Leave>,
) -> ApiResult<Json<Order>> {
    let order = linli_app::orders::service::load(&state.db, body.order_id, me.id).await?.filter(|o| o.group_buy_id == Some(id));
    if order.is_none() {
        return Err(ApiError(AppError::not_found()));
    }
    Ok(Json(service::leave(&state.db, me.id, body.order_id).await?))
}

/// The campaign's live progress: `text/event-stream` of `progress` events (`data: {id, status,
/// households, units_sold, deadline, recent: [{name, qty, at}]}`), the current one first.
#[utoipa::path(get, path = "/api/v1/group-buys/{id}/events", params(("id" = i64, Path)), tag = "group_buys",
    responses((status = 200, description = "text/event-stream of `progress` events"), (status = 404)))]
pub async fn events(State(state): State<AppState>, Asker(me): Asker, ask: StreamRequest, ApiPath(id): ApiPath<i64>) -> ApiResult<impl IntoResponse> {
    let opening = ask.open(me.as_ref())?;
    // Subscribe first, then read: a join between the two is delivered, not lost.
    let rx = state.db.events.subscribe();
    service::get(&state.db, id, me.as_ref()).await?.ok_or(ApiError(AppError::not_found()))?;
    let resume = opening.resume(Topic::GroupBuy(id)).await;
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let current = service::progress_event(&mut conn, id).await?;
    Ok(super::events::stream(rx, Topic::GroupBuy(id), resume, vec![current], Vec::new(), opening))
}

/// The staff's view: households and units by store, the supplier summary once succeeded.
#[utoipa::path(get, path = "/api/v1/group-buys/{id}/report", params(("id" = i64, Path)), tag = "group_buys",
    responses((status = 200, body = GroupBuyReport), (status = 401), (status = 404, description = "not a campaign of your stores")))]
pub async fn report(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<GroupBuyReport>> {
    Ok(Json(service::report(&state.db, &me, id).await?))
}

/// The supplier purchase summary as CSV (门店, 商品, 规格, 数量, 户数, 提货日), once succeeded.
#[utoipa::path(get, path = "/api/v1/group-buys/{id}/purchase.csv", params(("id" = i64, Path)), tag = "group_buys",
    responses((status = 200, content_type = "text/csv", description = "UTF-8 with BOM"), (status = 401), (status = 404), (status = 409, description = "closed: not succeeded")))]
pub async fn purchase_csv(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<impl IntoResponse> {
    let (name, csv) = service::purchases_csv(&state.db, &me, id).await?;
    Ok(super::csv_attachment(name, csv))
}

/// 到货入库: a succeeded campaign's goods arrived at `store_id`. Booked in once, held by the
/// campaign's orders there (on hand and held rise together, a 进货 ledger row per product);
/// before this, its orders cannot be made ready or handed over (409 `group_not_received`).
#[utoipa::path(post, path = "/api/v1/group-buys/{id}/receive", params(("id" = i64, Path)), request_body = ReceiveGoods, tag = "group_buys",
    responses((status = 200, body = [StockLevel], description = "the stock of each product after"), (status = 401), (status = 403, description = "not staff of that store"),
        (status = 404), (status = 409, description = "already_received, group_not_succeeded"), (status = 422, description = "not_in_group")))]
pub async fn receive(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<ReceiveGoods>) -> ApiResult<Json<Vec<StockLevel>>> {
    Ok(Json(service::receive(&state.db, &me, id, body.store_id).await?))
}
