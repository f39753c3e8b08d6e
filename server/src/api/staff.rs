//! `/api/v1/staff/…`: the store's order queue, moving orders along, the pickup desk, the pick
//! list and the queue's event stream. Every handler checks that the caller works at the
//! order's (or the path's) store; an order elsewhere does not exist for them (404).
use super::events::StreamRequest;
use super::who::SignedIn;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use linli_app::accounts::Me;
use linli_app::orders::flow::{self, desk_may};
use linli_app::orders::model::{CodeRequest, PickLine, StaffOrder, TransitionRequest};
use linli_app::server::events::Topic;
use linli_app::server::AppState;
use linli_app::shared::AppError;
use serde::Deserialize;

/// Staff of `store_id` (or the owner); anyone else is refused.
fn desk_staff(me: Me, store_id: i64) -> Result<Me, ApiError> {
    if desk_may(&me, store_id) { Ok(me) } else { Err(ApiError(AppError::forbidden())) }
}

pub async fn one(state: &AppState, row: linli_app::orders::OrderRow) -> ApiResult<Json<StaffOrder>> {
    let mut list = flow::staff_orders(&state.db, vec![row]).await?;
    list.pop().map(Json).ok_or(ApiError(AppError::not_found()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// One status; without it, every open order (and no-shows awaiting a stock decision).
    pub status: Option<String>,
    /// pickup | delivery
    pub fulfillment: Option<String>,
    /// A pickup day, "2026-11-22".
    pub date: Option<String>,
}

/// The store's queue, oldest first.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/orders", params(("store_id" = i64, Path), QueueQuery), tag = "staff",
    responses((status = 200, body = [StaffOrder]), (status = 400, description = "unknown status or fulfillment, or a date that is not YYYY-MM-DD"), (status = 401), (status = 403)))]
pub async fn queue(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Vec<StaffOrder>>> {
    desk_staff(me, store_id)?;
    let ask = linli_app::orders::rules::QueueAsk::parse(q.status.as_deref(), q.fulfillment.as_deref(), q.date.as_deref())?;
    Ok(Json(flow::queue(&state.db, store_id, &ask).await?))
}

/// Moves an order one step: accepted, picking, ready (a pickup order gets its shelf slot),
/// out_for_delivery, completed, cancelled (with a reason), no_show.
#[utoipa::path(post, path = "/api/v1/staff/orders/{id}/transition", params(("id" = i64, Path)), request_body = TransitionRequest, tag = "staff",
    responses((status = 200, body = StaffOrder), (status = 401), (status = 404, description = "no such order at a store of yours"),
        (status = 409, description = "invalid_transition, with details.from and details.to"), (status = 422, description = "reason_required")))]
pub async fn transition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TransitionRequest>,
) -> ApiResult<Json<StaffOrder>> {
    let row = flow::staff_transition(&state.db, &me, id, body.to, body.reason.as_deref().unwrap_or("")).await?;
    one(&state, row).await
}

/// Finds the ready pickup order showing `code` at this store. Wrong codes are counted per
/// staff account: after 10 in 15 minutes, 429.
#[utoipa::path(post, path = "/api/v1/staff/stores/{store_id}/pickups/verify", params(("store_id" = i64, Path)), request_body = CodeRequest, tag = "staff",
    responses((status = 200, body = StaffOrder), (status = 401), (status = 403),
        (status = 404, description = "pickup_code_not_found: no ready pickup order with this code at this store"),
        (status = 409, description = "order_not_ready"), (status = 422, description = "invalid_pickup_code"), (status = 429, description = "too_many_attempts")))]
pub async fn verify(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<StaffOrder>> {
    Ok(Json(linli_app::pickup::service::verify(&state.db, &me, store_id, &body.code).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReadyQuery {
    /// The last four digits of the resident's phone.
    pub phone_tail: Option<String>,
}

/// The ready pickup orders at the desk, or a phone tail's.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/pickups", params(("store_id" = i64, Path), ReadyQuery), tag = "staff",
    responses((status = 200, body = [StaffOrder]), (status = 401), (status = 403), (status = 422, description = "invalid_phone_tail"), (status = 429)))]
pub async fn ready(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ReadyQuery>,
) -> ApiResult<Json<Vec<StaffOrder>>> {
    Ok(Json(linli_app::pickup::service::ready(&state.db, &me, store_id, q.phone_tail.as_deref()).await?))
}

/// Hands a ready pickup order over: completed, its units leave the shelf.
#[utoipa::path(post, path = "/api/v1/staff/orders/{id}/hand-over", params(("id" = i64, Path)), tag = "staff",
    request_body = HandOverRequest,
    responses((status = 200, body = StaffOrder), (status = 401), (status = 404), (status = 409, description = "order_not_ready"),
        (status = 422, description = "pickup_proof_required, or pickup_proof_mismatch with tries_left"), (status = 429, description = "too_many_attempts")))]
pub async fn hand_over(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<HandOverRequest>) -> ApiResult<Json<StaffOrder>> {
    let proof = linli_app::pickup::service::Proof { code_or_tail: body.code.or(body.phone_tail), override_reason: body.override_reason };
    let row = linli_app::pickup::service::hand_over(&state.db, &me, id, &proof).await?;
    one(&state, row).await
}

/// How the clerk knows the person is the order's resident: none needed when this clerk
/// checked the order's code (`pickups/verify`) in the last 15 minutes.
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct HandOverRequest {
    /// The order's 6-digit pickup code, as the resident shows it.
    #[serde(default)]
    pub code: Option<String>,
    /// Or the last four digits of the resident's phone.
    #[serde(default)]
    pub phone_tail: Option<String>,
    /// Or, for a manager, why it goes without either (audited).
    #[serde(default)]
    pub override_reason: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoShowStock {
    /// true: back on the shelf for sale; false: written off (过期, 已分装).
    pub back_on_shelf: bool,
}

/// What becomes of a no-show's units, decided once by staff.
#[utoipa::path(post, path = "/api/v1/staff/orders/{id}/no-show-stock", params(("id" = i64, Path)), request_body = NoShowStock, tag = "staff",
    responses((status = 200, body = StaffOrder), (status = 401), (status = 404), (status = 409, description = "not a no-show, or already decided")))]
pub async fn no_show_stock(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NoShowStock>,
) -> ApiResult<Json<StaffOrder>> {
    let row = flow::settle_no_show(&state.db, &me, id, body.back_on_shelf).await?;
    one(&state, row).await
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DayQuery {
    /// "2026-11-22"; today when absent.
    pub date: Option<String>,
}

/// 拣货单: units per product over the day's orders still to pick.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/pick-list", params(("store_id" = i64, Path), DayQuery), tag = "staff",
    responses((status = 200, body = [PickLine]), (status = 400, description = "bad date"), (status = 401), (status = 403)))]
pub async fn pick_list(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<Vec<PickLine>>> {
    Ok(Json(flow::pick_list(&state.db, &me, store_id, q.date.as_deref()).await?))
}

/// The queue's live feed: one `status` event per new order or status change at the store.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/events", params(("store_id" = i64, Path)), tag = "staff",
    responses((status = 200, description = "text/event-stream of `status` events ({order_id, status, at, shelf_slot?, new})"), (status = 401), (status = 403)))]
pub async fn events(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ask: StreamRequest,
    ApiPath(store_id): ApiPath<i64>,
) -> ApiResult<impl IntoResponse> {
    let me = desk_staff(me, store_id)?;
    let opening = ask.open(Some(&me))?.as_staff_of(store_id);
    let rx = state.db.events.subscribe();
    let resume = opening.resume(Topic::Store(store_id)).await;
    Ok(super::events::stream(rx, Topic::Store(store_id), resume, Vec::new(), Vec::new(), opening))
}

#[derive(serde::Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// LBS 分单: deliveries go to the nearest store that delivers there and has everything.
    pub lbs_routing: bool,
}

/// The chain's LBS 分单 setting (the owner only).
#[utoipa::path(get, path = "/api/v1/owner/routing", tag = "staff", responses((status = 200, body = Routing), (status = 401), (status = 403)))]
pub async fn routing(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<Json<Routing>> {
    Ok(Json(Routing { lbs_routing: linli_app::stores::api::routing_of(&state.db, &me).await? }))
}

#[utoipa::path(put, path = "/api/v1/owner/routing", request_body = Routing, tag = "staff", responses((status = 200, body = Routing), (status = 401), (status = 403)))]
pub async fn set_routing(State(state): State<AppState>, SignedIn(me): SignedIn, ApiJson(body): ApiJson<Routing>) -> ApiResult<Json<Routing>> {
    linli_app::stores::api::set_routing_for(&state.db, &me, body.lbs_routing).await?;
    Ok(Json(body))
}
