//! Live-session actions shared by the JSON API and the pages: schedule, go live, pin, end,
//! look, and 抢购.
use super::model::{LiveItem, LiveOrderRequest, LiveReplay, LiveSession, LiveState, LiveStatus, LiveVideo, NewLiveSession, UnitsLeft};
use super::rules::{self, HOST_ROLES};
use super::store::{self, SessionRow};
use crate::accounts::model::Me;
use crate::accounts::rules::may_act;
use crate::inventory::model::StockReason;
use crate::inventory::Move;
use crate::orders::model::Order;
use crate::orders::service::CheckedFulfillment;
use crate::orders::PricedProduct;
use crate::server::events::{Event, Topic};
use crate::server::idempotency::{self, Claim};
use crate::server::Db;
use crate::shared::time::{now_ms, rfc3339};
use crate::shared::{AppError, ErrorCode};
use sqlx::AnyConnection;

const ORDER_SCOPE: &str = "live.order";

/// Schedules a session at the host's store, setting its line-up's units aside: each taken off
/// the shelf with a ledger row (直播预留) in the same transaction, so a line the shelf cannot
/// cover refuses the whole session and nothing is kept.
pub async fn create(db: &Db, me: &Me, new: &NewLiveSession) -> Result<LiveSession, AppError> {
    let now = now_ms();
    {
        let mut conn = db.pool.acquire().await?;
        if !may_host(&mut conn, me, new.store_id).await? {
            return Err(AppError::forbidden());
        }
    }
    let checked = rules::check_session(new, now)?;
    let store = crate::stores::get_active(&db.pool, new.store_id).await?.ok_or_else(|| AppError::field(ErrorCode::NotFound, "store_id"))?;
    let mut tx = db.begin_write().await?;
    let lines: Vec<(i64, i64)> = new.items.iter().map(|i| (i.product_id, i.stock)).collect();
    let priced = crate::catalog::priced_lines(&mut tx, store.id, &lines).await?;
    for (item, (p, _)) in new.items.iter().zip(&priced) {
        rules::check_item(item, usual_price(p))?;
    }
    let id = store::insert_session(&mut tx, store.id, &checked, me.id, now).await?;
    for (position, item) in new.items.iter().enumerate() {
        let m = Move { store_id: store.id, product_id: item.product_id, delta: -item.stock, reason: StockReason::LiveAllot, note: "", by_user_id: Some(me.id), order_id: None, sale_id: None };
        let Some(moved) = crate::inventory::apply(&mut tx, &m).await? else {
            // Say how many the shelf could give, read under the same write lock.
            let available = crate::inventory::level(&mut tx, store.id, item.product_id).await?.map_or(0, |(on_hand, reserved)| on_hand - reserved);
            return Err(AppError::field(ErrorCode::LiveStockShort, "stock")
                .with_details(serde_json::json!({ "product_id": item.product_id, "available": available })));
        };
        crate::inventory::tag_live_session(&mut tx, moved.movement_id, id).await?;
        store::insert_item(&mut tx, id, position as i64, item.product_id, item.live_price_fen, item.stock, item.per_user_limit).await?;
    }
    tx.commit().await?;
    tracing::info!(live_session_id = id, store_id = store.id, lines = new.items.len(), "live session scheduled");
    get(db, id).await?.ok_or_else(|| AppError::internal("scheduled session vanished"))
}

/// The shelf's usual price: the regular one even while a markdown runs.
fn usual_price(p: &PricedProduct) -> i64 {
    p.regular_price_fen.unwrap_or(p.price_fen)
}

/// A session as anyone sees it: sessions are public, like the store's shelf (a shared link
/// opens the room for a guest).
pub async fn get(db: &Db, id: i64) -> Result<Option<LiveSession>, AppError> {
    let mut conn = db.pool.acquire().await?;
    let Some(row) = store::find(&mut conn, id).await? else { return Ok(None) };
    Ok(Some(model(&mut conn, row).await?))
}

async fn model(conn: &mut AnyConnection, row: SessionRow) -> Result<LiveSession, AppError> {
    let items = store::items(conn, row.id).await?;
    let ids: Vec<(i64, i64)> = items.iter().map(|i| (i.product_id, 1)).collect();
    let shelf = crate::catalog::priced_products(conn, row.store_id, &ids.iter().map(|(p, _)| *p).collect::<Vec<_>>()).await?;
    let items: Vec<LiveItem> = items
        .into_iter()
        .map(|i| {
            // A product the chain stopped selling keeps its live price as the usual one.
            let usual = shelf.iter().find(|p| p.id == i.product_id).map_or(i.live_price_fen, usual_price);
            i.into_model(usual)
        })
        .collect();
    let (orders, gmv_fen) = store::takings(conn, row.id).await?;
    let status = row.status();
    let viewers = current_viewers(conn, &row).await?;
    let pinned_comment = pinned_comment(conn, &row).await?;
    let replays = match row.status() {
        LiveStatus::Ended => store::recordings(conn, row.id)
            .await?
            .into_iter()
            .map(|(id, _, duration_ms)| LiveReplay { id, url: format!("/live/{}/replay/{id}.webm", row.id), duration_ms })
            .collect(),
        _ => Vec::new(),
    };
    Ok(LiveSession {
        id: row.id,
        store_id: row.store_id,
        store_name: row.store_name,
        title: row.title,
        cover_url: row.cover_url,
        stream_url: row.stream_url,
        status,
        starts_at: rfc3339(row.starts_at_ms),
        starts_at_ms: row.starts_at_ms,
        started_at: row.started_at_ms.map(rfc3339),
        ended_at: row.ended_at_ms.map(rfc3339),
        pinned_product_id: row.pinned_product_id,
        items,
        orders,
        gmv_fen,
        viewers,
        viewers_peak: row.viewers_peak.max(viewers),
        slow_mode_secs: row.slow_mode_secs,
        pinned_comment,
        video: LiveVideo::parse(&row.video_state),
        replays,
    })
}

/// Viewers now: every instance's fresh count, none once the session has ended.
async fn current_viewers(conn: &mut AnyConnection, row: &SessionRow) -> Result<i64, AppError> {
    if row.status() == LiveStatus::Ended {
        return Ok(0);
    }
    store::viewers(conn, row.id, now_ms() - super::room::VIEWERS_FRESH_MS).await
}

async fn pinned_comment(conn: &mut AnyConnection, row: &SessionRow) -> Result<Option<super::model::LiveComment>, AppError> {
    let Some(cid) = row.pinned_comment_id else { return Ok(None) };
    Ok(store::comment(conn, row.id, cid).await?.filter(|c| c.hidden_at_ms.is_none()).map(store::CommentRow::into_model))
}

/// Whether `me` may host at the store: its managers and the owner, and the staff its
/// managers allowed.
pub async fn may_host(conn: &mut AnyConnection, me: &Me, store_id: i64) -> Result<bool, AppError> {
    if may_act(&me.roles, store_id, HOST_ROLES) {
        return Ok(true);
    }
    if !may_act(&me.roles, store_id, &[crate::accounts::model::Role::Staff]) {
        return Ok(false);
    }
    store::is_host(conn, store_id, me.id).await
}

/// The session's row if `me` may host it: 404 for someone who may not see the back office
/// of its store, 403 for staff of it without a host's role.
pub(super) async fn hosted(conn: &mut AnyConnection, me: &Me, id: i64) -> Result<SessionRow, AppError> {
    let row = store::find(conn, id).await?.ok_or_else(AppError::not_found)?;
    if may_host(conn, me, row.store_id).await? {
        Ok(row)
    } else if me.works_here() && crate::accounts::rules::staff_store_ids(me).is_none_or(|ids| ids.contains(&row.store_id)) {
        Err(AppError::forbidden())
    } else {
        Err(AppError::not_found())
    }
}

/// The room's news: status, pin, units left, viewers, slow mode, the pinned comment, takings.
pub async fn state_event(conn: &mut AnyConnection, id: i64) -> Result<Event, AppError> {
    let row = store::find(conn, id).await?.ok_or_else(AppError::not_found)?;
    let remaining = store::items(conn, id).await?.into_iter().map(|i| UnitsLeft { product_id: i.product_id, remaining: i.allotted - i.sold }).collect();
    let viewers = current_viewers(conn, &row).await?;
    let (orders, gmv_fen) = store::takings(conn, id).await?;
    let state = LiveState {
        id,
        status: row.status(),
        pinned_product_id: row.pinned_product_id,
        remaining,
        viewers,
        viewers_peak: row.viewers_peak.max(viewers),
        slow_mode_secs: row.slow_mode_secs,
        pinned_comment: pinned_comment(conn, &row).await?,
        orders,
        gmv_fen,
        video: LiveVideo::parse(&row.video_state),
    };
    Ok(Event::new("state", vec![Topic::Live(id)], &state))
}

/// Goes live. A second tap (or a retry) on a live session is fine; an ended one stays ended.
pub async fn start(db: &Db, me: &Me, id: i64) -> Result<LiveSession, AppError> {
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    match row.status() {
        LiveStatus::Live => {}
        LiveStatus::Ended => return Err(not_live(LiveStatus::Ended)),
        LiveStatus::Scheduled => {
            let now = now_ms();
            if !store::set_status(&mut tx, id, LiveStatus::Scheduled, LiveStatus::Live, now).await? {
                // Moved since the read (PostgreSQL): started by another tap, or ended.
                drop(tx);
                let now = get(db, id).await?.ok_or_else(AppError::not_found)?;
                return if now.status == LiveStatus::Live { Ok(now) } else { Err(not_live(now.status)) };
            }
            // 提醒我: the bell of everyone who asked, in the same transaction as going live.
            let reminded = store::notify_reminders(&mut tx, id, now).await?;
            let session = publish_state(db, tx, id).await?;
            tracing::info!(live_session_id = id, reminded, "live session started");
            return Ok(session);
        }
    }
    drop(tx);
    get(db, id).await?.ok_or_else(AppError::not_found)
}

/// Ends the session (or calls off one that never started): live prices stop at once, and
/// what the line-up did not sell goes back on the shelf with a ledger row (直播结束退回).
/// Ending twice is fine and returns nothing twice.
pub async fn end(db: &Db, me: &Me, id: i64) -> Result<LiveSession, AppError> {
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    finish(db, tx, row, Some(me.id)).await?;
    get(db, id).await?.ok_or_else(AppError::not_found)
}

/// Ends `row`'s session in `tx` (which read it under the write lock) and commits; false
/// when it had already ended.
async fn finish(db: &Db, mut tx: sqlx::Transaction<'static, sqlx::Any>, row: SessionRow, by: Option<i64>) -> Result<bool, AppError> {
    let (id, from) = (row.id, row.status());
    if from == LiveStatus::Ended {
        return Ok(false);
    }
    // On PostgreSQL a concurrent end (a double tap, two instances' housekeeping) may have
    // won since the read: then there is nothing left to do.
    if !store::set_status(&mut tx, id, from, LiveStatus::Ended, now_ms()).await? {
        return Ok(false);
    }
    for (product_id, left) in store::close_allotments(&mut tx, id).await? {
        let m = Move { store_id: row.store_id, product_id, delta: left, reason: StockReason::LiveReturn, note: "", by_user_id: by, order_id: None, sale_id: None };
        let moved = crate::inventory::apply(&mut tx, &m).await?.ok_or_else(|| AppError::internal("returning live units failed"))?;
        crate::inventory::tag_live_session(&mut tx, moved.movement_id, id).await?;
    }
    let mut event = state_event(&mut tx, id).await?;
    db.events.stage(&mut tx, &mut event).await?;
    tx.commit().await?;
    db.events.committed([event]);
    tracing::info!(live_session_id = id, "live session ended");
    Ok(true)
}

/// A session left live (or never started) this long after its start is ended by the
/// housekeeping pass, so units set aside never stay off the shelf for good.
pub const OVERDUE_MS: i64 = 12 * 3_600_000;

/// Ends overdue sessions, each in its own transaction (a compare-and-set on the status, so
/// two instances, or a pass after a kill -9, end each once). Returns how many it ended.
pub async fn end_overdue(db: &Db) -> Result<usize, AppError> {
    let mut ended = 0;
    for id in store::overdue(&db.pool, now_ms() - OVERDUE_MS).await? {
        let mut tx = db.begin_write().await?;
        let Some(row) = store::find(&mut tx, id).await? else { continue };
        match finish(db, tx, row, None).await {
            Ok(true) => ended += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(live_session_id = id, error = ?e, "ending an overdue live session failed"),
        }
    }
    Ok(ended)
}

/// Pins a product of the line-up for every viewer (`None` unpins).
pub async fn pin(db: &Db, me: &Me, id: i64, product_id: Option<i64>) -> Result<LiveSession, AppError> {
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    if row.status() == LiveStatus::Ended {
        return Err(not_live(LiveStatus::Ended));
    }
    if !store::set_pin(&mut tx, id, product_id).await? {
        return Err(AppError::field(ErrorCode::NotInLineup, "product_id"));
    }
    publish_state(db, tx, id).await
}

/// Sets `units` more of a line aside from the shelf (a ledger row), while the session has not
/// ended; the rooms see the new units left at once.
pub async fn add_units(db: &Db, me: &Me, id: i64, product_id: i64, units: i64) -> Result<LiveSession, AppError> {
    if !(1..=rules::MAX_ALLOT).contains(&units) {
        return Err(AppError::field(ErrorCode::InvalidLiveStock, "units"));
    }
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    // The session's row first: an end in flight finishes before this looks (see `finish`).
    if !store::lock_open(&mut tx, id).await? {
        return Err(not_live(LiveStatus::Ended));
    }
    if !store::add_allotment(&mut tx, id, product_id, units).await? {
        let in_lineup = store::items(&mut tx, id).await?.iter().any(|i| i.product_id == product_id);
        return Err(if in_lineup { AppError::field(ErrorCode::InvalidLiveStock, "units") } else { AppError::field(ErrorCode::NotInLineup, "product_id") });
    }
    let m = Move { store_id: row.store_id, product_id, delta: -units, reason: StockReason::LiveAllot, note: "", by_user_id: Some(me.id), order_id: None, sale_id: None };
    let Some(moved) = crate::inventory::apply(&mut tx, &m).await? else {
        let available = crate::inventory::level(&mut tx, row.store_id, product_id).await?.map_or(0, |(on_hand, reserved)| on_hand - reserved);
        return Err(AppError::field(ErrorCode::LiveStockShort, "units").with_details(serde_json::json!({ "product_id": product_id, "available": available })));
    };
    crate::inventory::tag_live_session(&mut tx, moved.movement_id, id).await?;
    publish_state(db, tx, id).await
}

/// 下架 a line during the session: what it did not sell goes back on the shelf now (a ledger
/// row) and the rooms show it sold out. Closing it again returns nothing twice.
pub async fn close_item(db: &Db, me: &Me, id: i64, product_id: i64) -> Result<LiveSession, AppError> {
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    if !store::lock_open(&mut tx, id).await? {
        return Err(not_live(LiveStatus::Ended));
    }
    let left = store::close_line(&mut tx, id, product_id).await?.ok_or_else(|| AppError::field(ErrorCode::NotInLineup, "product_id"))?;
    if left > 0 {
        let m = Move { store_id: row.store_id, product_id, delta: left, reason: StockReason::LiveReturn, note: "", by_user_id: Some(me.id), order_id: None, sale_id: None };
        let moved = crate::inventory::apply(&mut tx, &m).await?.ok_or_else(|| AppError::internal("returning live units failed"))?;
        crate::inventory::tag_live_session(&mut tx, moved.movement_id, id).await?;
    }
    publish_state(db, tx, id).await
}

/// A cover picture for the session's card and room: checked who asks before the decoding
/// work, then decoded with the photos' limits and re-encoded.
pub async fn set_cover(db: &Db, me: &Me, id: i64, bytes: Vec<u8>) -> Result<LiveSession, AppError> {
    {
        let mut conn = db.pool.acquire().await?;
        hosted(&mut conn, me, id).await?;
    }
    let media_id = crate::catalog::service::store_picture(db, bytes).await?;
    let mut tx = db.begin_write().await?;
    hosted(&mut tx, me, id).await?;
    store::set_cover(&mut tx, id, &format!("/media/{media_id}")).await?;
    tx.commit().await?;
    get(db, id).await?.ok_or_else(AppError::not_found)
}

/// Commits `tx` with the session's new state staged for every room; the session after.
pub(super) async fn publish_state(db: &Db, mut tx: sqlx::Transaction<'static, sqlx::Any>, id: i64) -> Result<LiveSession, AppError> {
    let mut event = state_event(&mut tx, id).await?;
    db.events.stage(&mut tx, &mut event).await?;
    tx.commit().await?;
    db.events.committed([event]);
    get(db, id).await?.ok_or_else(AppError::not_found)
}

fn not_live(status: LiveStatus) -> AppError {
    AppError::new(ErrorCode::NotLive).with_details(serde_json::json!({ "status": status }))
}

/// 抢购: an order at the live price, only while the session is live, from the line's
/// allotment and within the resident's limit — one transaction of conditional statements. The
/// units move from the allotment back into the store's stock held for this order (a ledger
/// row), so it is handed over, cancelled or written off like any other order. `key` (the
/// Idempotency-Key) makes a retry return the first answer.
#[tracing::instrument(skip_all, fields(live_session_id = id, user_id))]
pub async fn order(db: &Db, user_id: i64, id: i64, req: &LiveOrderRequest, key: &str) -> Result<Order, AppError> {
    let order_id = idempotency::once(&db.pool, user_id, ORDER_SCOPE, key, &(id, req), |key| async move { order_fresh(db, user_id, id, req, &key).await }).await?;
    crate::orders::service::load(db, order_id, user_id).await?.ok_or_else(AppError::not_found)
}

async fn order_fresh(db: &Db, user_id: i64, id: i64, req: &LiveOrderRequest, key: &str) -> Result<i64, AppError> {
    let mut conn = db.pool.acquire().await?;
    let row = store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    if row.status() != LiveStatus::Live {
        return Err(not_live(row.status()));
    }
    let line = store::items(&mut conn, id).await?.into_iter().find(|i| i.product_id == req.product_id)
        .ok_or_else(|| AppError::field(ErrorCode::NotInLineup, "product_id"))?;
    rules::check_qty(req.qty, store::bought(&mut conn, id, req.product_id, user_id).await?, line.per_user_limit)?;
    let shelf = crate::catalog::priced_products(&mut conn, row.store_id, &[req.product_id]).await?;
    drop(conn);
    let store = crate::stores::get_active(&db.pool, row.store_id).await?.ok_or_else(AppError::not_found)?;
    let goods = line.live_price_fen * req.qty;
    let checked = CheckedFulfillment::check(&store, &req.fulfillment, goods)?;

    let mut tx = db.begin_write().await?;
    if let Claim::Replay(saved) = idempotency::claim::<i64>(&mut tx, user_id, ORDER_SCOPE, key, &(id, req)).await? {
        tx.commit().await?;
        return Ok(saved);
    }
    if !store::take_units(&mut tx, id, req.product_id, req.qty).await? {
        drop(tx);
        // Say why: the session is no longer live, or this many are more than are left.
        let mut conn = db.pool.acquire().await?;
        let row = store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
        if row.status() != LiveStatus::Live {
            return Err(not_live(row.status()));
        }
        let left = store::items(&mut conn, id).await?.into_iter().find(|i| i.product_id == req.product_id).map_or(0, |i| i.allotted - i.sold);
        return Err(AppError::field(ErrorCode::SoldOut, "qty").with_details(serde_json::json!({ "remaining": left })));
    }
    if store::buyer_add(&mut tx, id, req.product_id, user_id, req.qty, line.per_user_limit).await?.is_none() {
        return Err(AppError::field(ErrorCode::LimitExceeded, "qty").with_details(serde_json::json!({ "limit": line.per_user_limit })));
    }
    let mut new_order = checked.new_order(row.store_id, user_id, req.payment, "");
    new_order.live_session_id = Some(id);
    let usual = shelf.first().map_or(line.live_price_fen, usual_price);
    let priced = PricedProduct {
        id: line.product_id,
        name: line.name.clone(),
        unit: line.unit.clone(),
        price_fen: line.live_price_fen,
        regular_price_fen: (usual > line.live_price_fen).then_some(usual),
    };
    let order_id = crate::orders::service::write_order(&mut tx, &new_order, &[(priced, req.qty)], req.payment, user_id, "").await?;
    let m = Move { store_id: row.store_id, product_id: req.product_id, delta: req.qty, reason: StockReason::LiveOrder, note: "", by_user_id: None, order_id: Some(order_id), sale_id: None };
    let moved = crate::inventory::add_held(&mut tx, &m).await?;
    crate::inventory::tag_live_session(&mut tx, moved.movement_id, id).await?;
    crate::orders::insert_reservation(&mut tx, order_id, req.product_id, req.qty).await?;
    idempotency::remember(&mut tx, user_id, ORDER_SCOPE, key, &order_id).await?;
    // The store's queue hears of the order as of any other; the room, of the units left.
    let change = crate::orders::model::StatusChange { order_id, status: crate::orders::model::OrderStatus::Placed, at: rfc3339(now_ms()), shelf_slot: None, new: true };
    let mut placed = crate::orders::flow::status_event(row.store_id, user_id, &change);
    let mut state = state_event(&mut tx, id).await?;
    db.events.stage(&mut tx, &mut placed).await?;
    db.events.stage(&mut tx, &mut state).await?;
    tx.commit().await?;
    db.events.committed([placed, state]);
    tracing::info!(order_id, qty = req.qty, "live order");
    Ok(order_id)
}
