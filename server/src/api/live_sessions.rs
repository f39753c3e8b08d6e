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
use linli_app::live::model::{
    BannedWords, CommentRequest, LiveCard, LiveComment, LiveHosts, LiveOrderRequest, LiveSession, MuteRequest, NewLiveSession, PinCommentRequest, PinRequest,
    SlowModeRequest,
};
use linli_app::live::{room, service};
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

/// The room's stream: `text/event-stream`. It opens with a `state` event (`{id, status,
/// pinned_product_id, remaining: [{product_id, remaining}], viewers, viewers_peak,
/// slow_mode_secs, pinned_comment, orders, gmv_fen}`) and the latest shown comments as
/// `comment` events (`{id, author, text, host, at}`), then carries every change: `state`,
/// `comment`, `hidden` (`{comment_id}`: drop it) and `viewers` (`{viewers, viewers_peak}`).
/// Each open stream counts as a viewer.
#[utoipa::path(get, path = "/api/v1/live-sessions/{id}/events", params(("id" = i64, Path)), tag = "live",
    responses((status = 200, description = "text/event-stream of state, comment, hidden and viewers events"), (status = 404)))]
pub async fn events(State(state): State<AppState>, Asker(me): Asker, ask: StreamRequest, ApiPath(id): ApiPath<i64>) -> ApiResult<impl IntoResponse> {
    let opening = ask.open(me.as_ref())?;
    // Subscribe first, then read: a pin between the two is delivered, not lost.
    let rx = state.db.events.subscribe();
    let resume = opening.resume(Topic::Live(id)).await;
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let current = service::state_event(&mut conn, id).await.map_err(|_| ApiError(AppError::not_found()))?;
    let recent = room::replay(&mut conn, id).await?;
    drop(conn);
    let opening = opening.watching(state.db.events.watch_live(id));
    Ok(super::events::stream(rx, Topic::Live(id), resume, vec![current], recent, opening))
}

/// A comment in the room (signed in; 1–60 characters, shown as text).
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/comments", params(("id" = i64, Path)), request_body = CommentRequest, tag = "live",
    responses((status = 201, body = LiveComment), (status = 401), (status = 403, description = "muted"), (status = 404),
        (status = 409, description = "comments_closed: the session has ended"),
        (status = 422, description = "invalid_comment, comment_blocked (a banned word)"),
        (status = 429, description = "comment_too_fast (details.retry_after_secs): slow mode, or the floor of one comment per 3 s")))]
pub async fn comment(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<CommentRequest>) -> ApiResult<(StatusCode, Json<LiveComment>)> {
    Ok((StatusCode::CREATED, Json(room::comment(&state.db, &me, id, &body.text).await?)))
}

/// Hides a comment in every room and from the replay (host). Again: 200.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/comments/{comment_id}/hide", params(("id" = i64, Path), ("comment_id" = i64, Path)), tag = "live",
    responses((status = 200), (status = 401), (status = 403), (status = 404)))]
pub async fn hide(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((id, comment_id)): ApiPath<(i64, i64)>) -> ApiResult<StatusCode> {
    room::hide(&state.db, &me, id, comment_id).await?;
    Ok(StatusCode::OK)
}

/// What a mute answers: the muted account.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Muted {
    pub user_id: i64,
}

/// Mutes a viewer for the rest of the session (host): by `user_id` or by a `comment_id` of
/// theirs. Their comments are then refused with 403 `muted`.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/mutes", params(("id" = i64, Path)), request_body = MuteRequest, tag = "live",
    responses((status = 200, body = Muted), (status = 401), (status = 403), (status = 404), (status = 400, description = "bad_request: nobody named, or yourself")))]
pub async fn mute(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<MuteRequest>) -> ApiResult<Json<Muted>> {
    Ok(Json(Muted { user_id: room::mute(&state.db, &me, id, body.user_id, body.comment_id).await? }))
}

/// Slow mode: one comment per `seconds` (0–300, 0 off) per viewer (host).
#[utoipa::path(put, path = "/api/v1/live-sessions/{id}/slow-mode", params(("id" = i64, Path)), request_body = SlowModeRequest, tag = "live",
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404), (status = 409, description = "not_live: it has ended"), (status = 422, description = "invalid_slow_mode")))]
pub async fn slow_mode(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<SlowModeRequest>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(room::slow_mode(&state.db, &me, id, body.seconds).await?))
}

/// Pins a shown comment under the video (host); `{"comment_id": null}` unpins.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/pinned-comment", params(("id" = i64, Path)), request_body = PinCommentRequest, tag = "live",
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404, description = "no such shown comment"), (status = 409, description = "not_live: it has ended")))]
pub async fn pin_comment(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(body): ApiJson<PinCommentRequest>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(room::pin_comment(&state.db, &me, id, body.comment_id).await?))
}

/// What 提醒我 answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Reminder {
    pub reminded: bool,
}

/// 提醒我: a notification in the bell when the session goes live. Only before it starts.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/reminders", params(("id" = i64, Path)), tag = "live",
    responses((status = 201, body = Reminder), (status = 401), (status = 404), (status = 409, description = "remind_too_late")))]
pub async fn remind(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<(StatusCode, Json<Reminder>)> {
    Ok((StatusCode::CREATED, Json(Reminder { reminded: room::remind(&state.db, me.id, id, true).await? })))
}

/// Takes 提醒我 back.
#[utoipa::path(delete, path = "/api/v1/live-sessions/{id}/reminders/me", params(("id" = i64, Path)), tag = "live",
    responses((status = 200, body = Reminder), (status = 401), (status = 404), (status = 409, description = "remind_too_late")))]
pub async fn unremind(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Reminder>> {
    Ok(Json(Reminder { reminded: room::remind(&state.db, me.id, id, false).await? }))
}

/// A store's sessions for its 直播 tab: live now and upcoming (soonest first), then the latest
/// ten ended. `reminded` marks a signed-in resident's 提醒我.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/live-sessions", params(("store_id" = i64, Path)), tag = "live",
    responses((status = 200, body = Vec<LiveCard>), (status = 404)))]
pub async fn for_store(State(state): State<AppState>, Asker(me): Asker, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Vec<LiveCard>>> {
    linli_app::stores::get_active(&state.db.pool, store_id).await?.ok_or(ApiError(AppError::not_found()))?;
    Ok(Json(room::for_store(&state.db, store_id, me.map(|m| m.id)).await?))
}

/// The store's banned words for its live rooms (managers, the owner).
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/live-banned-words", params(("store_id" = i64, Path)), tag = "live",
    responses((status = 200, body = BannedWords), (status = 401), (status = 403), (status = 404)))]
pub async fn banned_words(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<BannedWords>> {
    Ok(Json(room::banned_words(&state.db, &me, store_id).await?))
}

/// Replaces the store's banned words; answers the list as matched (lower case, no spaces).
#[utoipa::path(put, path = "/api/v1/staff/stores/{store_id}/live-banned-words", params(("store_id" = i64, Path)), request_body = BannedWords, tag = "live",
    responses((status = 200, body = BannedWords), (status = 401), (status = 403), (status = 404), (status = 422, description = "invalid_banned_words")))]
pub async fn set_banned_words(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiJson(body): ApiJson<BannedWords>) -> ApiResult<Json<BannedWords>> {
    Ok(Json(room::set_banned_words(&state.db, &me, store_id, &body.words).await?))
}

/// The store's staff its managers let host (managers and the owner always may).
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/live-hosts", params(("store_id" = i64, Path)), tag = "live",
    responses((status = 200, body = LiveHosts), (status = 401), (status = 403), (status = 404)))]
pub async fn hosts(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<LiveHosts>> {
    let staff = room::hosts(&state.db, &me, store_id).await?;
    Ok(Json(LiveHosts { user_ids: staff.into_iter().filter(|(_, _, host)| *host).map(|(id, _, _)| id).collect() }))
}

/// Lets exactly these staff of the store host.
#[utoipa::path(put, path = "/api/v1/staff/stores/{store_id}/live-hosts", params(("store_id" = i64, Path)), request_body = LiveHosts, tag = "live",
    responses((status = 200, body = LiveHosts), (status = 401), (status = 403), (status = 404), (status = 422, description = "not_staff_here")))]
pub async fn set_hosts(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiJson(body): ApiJson<LiveHosts>) -> ApiResult<Json<LiveHosts>> {
    Ok(Json(room::set_hosts(&state.db, &me, store_id, &body).await?))
}

/// `POST …/items/{product_id}/units`.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitsRequest {
    pub units: i64,
}

/// Sets more units of a line aside from the shelf during the session (host; a ledger row).
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/items/{product_id}/units", params(("id" = i64, Path), ("product_id" = i64, Path)), request_body = UnitsRequest, tag = "live",
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404), (status = 409, description = "not_live (ended), live_stock_short (details.available)"),
        (status = 422, description = "invalid_live_stock, not_in_lineup")))]
pub async fn add_units(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((id, product_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<UnitsRequest>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(service::add_units(&state.db, &me, id, product_id, body.units).await?))
}

/// 下架: closes a line during the session; what it did not sell goes back on the shelf.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/items/{product_id}/close", params(("id" = i64, Path), ("product_id" = i64, Path)), tag = "live",
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404), (status = 409, description = "not_live: it has ended"), (status = 422, description = "not_in_lineup")))]
pub async fn close_item(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((id, product_id)): ApiPath<(i64, i64)>) -> ApiResult<Json<LiveSession>> {
    Ok(Json(service::close_item(&state.db, &me, id, product_id).await?))
}

/// The session's cover (multipart, part `photo`, the same limits as product photos; re-encoded).
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/cover", params(("id" = i64, Path)), tag = "live",
    request_body(content_type = "multipart/form-data", description = "part `photo`: the picture"),
    responses((status = 200, body = LiveSession), (status = 401), (status = 403), (status = 404),
        (status = 413, description = "photo_too_large"), (status = 422, description = "not_an_image, broken_image, photo_too_big, photo_too_small")))]
pub async fn cover(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<LiveSession>> {
    let bytes = super::products::read_photo(multipart).await?;
    Ok(Json(service::set_cover(&state.db, &me, id, bytes).await?))
}
