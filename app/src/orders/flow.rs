//! Moving orders along: the store's queue, the desk's hand-over, riders, cancelling, no-shows.
//! Every change is one transaction: the status compare-and-set, what the step does to stock
//! and money, the history row, the resident's notification and the event for open streams.
use super::lifecycle::{self, Actor, Effect};
use super::model::{OrderStatus, StaffOrder, StatusChange};
use super::store::{self, OrderRow};
use super::rules::DESK_ROLES;
use crate::accounts::Role;
use crate::inventory::model::StockReason;
use crate::inventory;
use crate::server::events::{Event, Topic};
use crate::server::retry::{Failure, Job, Retries};
use crate::server::Db;
use crate::shared::time::{local_time, now_ms, parse_hhmm, parse_iso_date, rfc3339};
use crate::shared::{AppError, ErrorCode};
use crate::wallet::model::EntryKind;
use crate::wallet::{move_money, Movement};
use sqlx::AnyConnection;

/// The roles that carry deliveries for a store.
pub const RIDER_ROLES: &[Role] = &[Role::Rider, Role::Manager, Role::Staff];

/// Who asks, and as what.
#[derive(Clone, Copy, Debug)]
pub struct Asker {
    pub user_id: Option<i64>,
    pub actor: Actor,
}

/// One step for one order: `may_touch` says whether the asker may act on this order at all
/// (if not, it does not exist for them: 404). Returns the order as it is afterwards.
pub async fn apply(
    db: &Db,
    id: i64,
    to: OrderStatus,
    asker: Asker,
    reason: &str,
    may_touch: impl Fn(&OrderRow) -> bool,
) -> Result<OrderRow, AppError> {
    let reason: String = reason.trim().chars().filter(|c| !c.is_control()).collect();
    if (lifecycle::needs_reason(to, asker.actor) && reason.is_empty()) || reason.chars().count() > lifecycle::MAX_REASON_CHARS {
        return Err(AppError::field(ErrorCode::ReasonRequired, "reason"));
    }
    let mut tx = db.begin_write().await?;
    let row = store::find(&mut tx, id).await?.filter(&may_touch).ok_or_else(AppError::not_found)?;
    let event = apply_in(&mut tx, db, &row, to, asker, &reason).await?;
    tx.commit().await?;
    db.events.committed([event]);
    let mut conn = db.pool.acquire().await?;
    store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)
}

/// One step for `row` inside the caller's transaction (a group buy's leave or outcome moves
/// its counters in the same one): compare-and-set on the status, the step's effect, the
/// history row, the resident's bell, and the event, staged. Hand the returned event to
/// `db.events.committed` after commit.
pub async fn apply_in(tx: &mut AnyConnection, db: &Db, row: &OrderRow, to: OrderStatus, asker: Asker, reason: &str) -> Result<Event, AppError> {
    let id = row.id;
    let from = OrderStatus::parse(&row.status).ok_or_else(|| AppError::internal("unknown order status"))?;
    let delivery = row.fulfillment == "delivery";
    let effect = lifecycle::step(from, to, delivery, asker.actor).ok_or_else(|| invalid(from, to))?;
    // A group buy's goods are on the shelf only once the store booked them in (到货入库), which
    // makes its orders hold them: before that there is nothing to shelve or hand over.
    if row.group_buy_id.is_some() && matches!(effect, Effect::Shelve | Effect::Consume) && store::reservations(tx, id).await?.is_empty() {
        return Err(AppError::new(ErrorCode::GroupNotReceived));
    }
    // Compare-and-set: of two staff tapping at once, or a tap racing a cancel, one wins and
    // the other is told the order has moved on.
    if !store::set_status(tx, id, from, to).await? {
        return Err(invalid(from, to));
    }
    let mut shelf_slot = row.shelf_slot.clone();
    match effect {
        Effect::Nothing => {}
        Effect::Shelve => shelf_slot = Some(store::take_shelf_slot(tx, row.store_id, id).await?),
        Effect::Claim => {
            let rider = asker.user_id.ok_or_else(|| AppError::internal("a claim needs a rider"))?;
            store::set_rider(tx, id, rider).await?;
        }
        Effect::Consume => {
            move_reserved(tx, row, Some(StockReason::OnlineSale), asker.user_id).await?;
            store::settle_stock(tx, id, "sold").await?;
        }
        Effect::Release => {
            move_reserved(tx, row, None, asker.user_id).await?;
            store::settle_stock(tx, id, "returned").await?;
            refund(tx, row).await?;
        }
        Effect::AwaitStockDecision => refund(tx, row).await?,
    }
    store::insert_event(tx, id, Some(from), to, asker.user_id, reason).await?;
    if lifecycle::notifies_resident(from, to, asker.actor) {
        // A group buy's outcome says so ("group_succeeded"); other steps say their status.
        let kind = if from == OrderStatus::AwaitingGroup && !reason.is_empty() { reason } else { to.as_str() };
        store::insert_notification(tx, row.user_id, id, kind).await?;
    }
    // A join confirmed by its group reaches the store's queue as a new order.
    let new = from == OrderStatus::AwaitingGroup && to == OrderStatus::Placed;
    let change = StatusChange { order_id: id, status: to, at: rfc3339(now_ms()), shelf_slot: shelf_slot.filter(|_| to == OrderStatus::Ready), new };
    let mut event = status_event(row.store_id, row.user_id, &change);
    db.events.stage(tx, &mut event).await?;
    tracing::info!(order_id = id, from = from.as_str(), to = to.as_str(), actor = ?asker.actor, "order moved");
    Ok(event)
}

fn invalid(from: OrderStatus, to: OrderStatus) -> AppError {
    AppError::new(ErrorCode::InvalidTransition).with_details(serde_json::json!({ "from": from, "to": to }))
}

/// The event every stream concerned with the order hears: its tracking page, its store's
/// queue, its resident's bell.
pub fn status_event(store_id: i64, user_id: i64, change: &StatusChange) -> Event {
    Event::new("status", vec![Topic::Order(change.order_id), Topic::Store(store_id), Topic::User(user_id)], change)
}

/// The order's reserved units either leave the shelf for `consume`'s reason (sold, written
/// off: a ledger row each, booked to `by`) or go back on sale. Each is one conditional
/// statement; if the books do not hold what the order took, nothing is changed (the
/// transaction is dropped) and the error is logged.
async fn move_reserved(conn: &mut AnyConnection, row: &OrderRow, consume: Option<StockReason>, by: Option<i64>) -> Result<(), AppError> {
    for (product_id, qty) in store::reservations(conn, row.id).await? {
        let ok = match consume {
            Some(reason) => {
                let m = inventory::Move { store_id: row.store_id, product_id, delta: -qty, reason, note: "", by_user_id: by, order_id: Some(row.id), sale_id: None };
                inventory::consume_reserved(conn, &m).await?
            }
            None => store::adjust_reserved(conn, row.store_id, product_id, -qty).await?,
        };
        if !ok {
            return Err(AppError::internal(format!("order {}: {qty} of product {product_id} not reserved", row.id)));
        }
    }
    Ok(())
}

/// Gives a wallet payment back: one ledger row, and the ledger's unique (order, kind) index
/// makes a second refund of the same order impossible.
async fn refund(conn: &mut AnyConnection, row: &OrderRow) -> Result<(), AppError> {
    if row.paid_fen > 0 {
        let m = Movement {
            user_id: row.user_id,
            amount_fen: row.paid_fen,
            kind: EntryKind::Refund,
            by_user_id: None,
            store_id: Some(row.store_id),
            order_id: Some(row.id),
            sale_id: None,
        };
        move_money(conn, &m).await?.ok_or_else(|| AppError::internal("refund to a missing account"))?;
    }
    Ok(())
}

/// Whether `me` works the desk at the order's store.
pub fn desk_may(me: &crate::accounts::Me, store_id: i64) -> bool {
    crate::accounts::rules::may_act(&me.roles, store_id, DESK_ROLES)
}

/// Staff move an order one step (the queue's buttons, `POST /staff/orders/{id}/transition`).
pub async fn staff_transition(db: &Db, me: &crate::accounts::Me, id: i64, to: OrderStatus, reason: &str) -> Result<OrderRow, AppError> {
    if to == OrderStatus::Completed {
        // A pickup order is handed over at the desk, where the resident proves it is theirs
        // (pickup::service::hand_over); a transition cannot skip that.
        let mut conn = db.pool.acquire().await?;
        let row = store::find(&mut conn, id).await?.filter(|r| desk_may(me, r.store_id)).ok_or_else(AppError::not_found)?;
        drop(conn);
        if row.fulfillment == "pickup" && row.status == OrderStatus::Ready.as_str() {
            return Err(AppError::field(ErrorCode::PickupProofRequired, "proof"));
        }
        return hand_over(db, me, id).await;
    }
    apply(db, id, to, Asker { user_id: Some(me.id), actor: Actor::Staff }, reason, |r| desk_may(me, r.store_id)).await
}

/// The desk hands a ready order over (or staff mark a delivery delivered): the reserved units
/// leave the shelf for good. A pickup order's proof is checked by the desk first
/// (`pickup::service::hand_over`).
pub async fn hand_over(db: &Db, me: &crate::accounts::Me, id: i64) -> Result<OrderRow, AppError> {
    let asker = Asker { user_id: Some(me.id), actor: Actor::Staff };
    apply(db, id, OrderStatus::Completed, asker, "", |r| desk_may(me, r.store_id)).await.map_err(|e| {
        if e.code == ErrorCode::InvalidTransition {
            AppError::new(ErrorCode::OrderNotReady).with_details(e.details.unwrap_or_default())
        } else {
            e
        }
    })
}

/// The resident cancels before picking starts. A group-buy join is left through its campaign
/// (`group_buy::service::leave`), which gives its units back to the group.
pub async fn resident_cancel(db: &Db, id: i64, user_id: i64) -> Result<OrderRow, AppError> {
    let asker = Asker { user_id: Some(user_id), actor: Actor::Resident };
    let mut conn = db.pool.acquire().await?;
    let row = store::find(&mut conn, id).await?.filter(|r| r.user_id == user_id).ok_or_else(AppError::not_found)?;
    drop(conn);
    if let Some(group_buy_id) = row.group_buy_id {
        return Err(AppError::new(ErrorCode::NotCancellable).with_details(serde_json::json!({ "group_buy_id": group_buy_id })));
    }
    apply(db, id, OrderStatus::Cancelled, asker, "", |r| r.user_id == user_id).await.map_err(|e| {
        if e.code == ErrorCode::InvalidTransition {
            AppError::new(ErrorCode::NotCancellable)
        } else {
            e
        }
    })
}

/// A rider (or staff) takes a ready delivery order out.
pub async fn rider_claim(db: &Db, me: &crate::accounts::Me, id: i64) -> Result<OrderRow, AppError> {
    let actor = if me.has(Role::Rider) { Actor::Rider } else { Actor::Staff };
    let may = |r: &OrderRow| crate::accounts::rules::may_act(&me.roles, r.store_id, RIDER_ROLES);
    apply(db, id, OrderStatus::OutForDelivery, Asker { user_id: Some(me.id), actor }, "", may).await
}

/// An order `me` carries (or runs the desk for); anyone else's is not found.
pub async fn carried_order(db: &Db, me: &crate::accounts::Me, id: i64) -> Result<OrderRow, AppError> {
    let mut conn = db.pool.acquire().await?;
    store::find(&mut conn, id).await?.filter(|r| r.rider_id == Some(me.id) || desk_may(me, r.store_id)).ok_or_else(AppError::not_found)
}

/// The goods are handed over at the door: the delivery is complete. The caller
/// (delivery::service) has checked the resident's code.
pub async fn delivered(db: &Db, me: &crate::accounts::Me, id: i64) -> Result<OrderRow, AppError> {
    let actor = if me.has(Role::Rider) { Actor::Rider } else { Actor::Staff };
    let may = |r: &OrderRow| r.rider_id == Some(me.id) || desk_may(me, r.store_id);
    apply(db, id, OrderStatus::Completed, Asker { user_id: Some(me.id), actor }, "", may).await
}

/// Staff note a resident's preference (常买, 要小袋装…) — only about someone who has ordered
/// at a store they work at; anyone else does not exist for them.
pub async fn add_staff_note(db: &Db, me: &crate::accounts::Me, customer_id: i64, store_id: i64, text: &str) -> Result<crate::accounts::model::CustomerNote, AppError> {
    if !desk_may(me, store_id) {
        return Err(AppError::forbidden());
    }
    if !store::has_ordered_at(&db.pool, customer_id, store_id).await? {
        return Err(AppError::not_found());
    }
    crate::accounts::service::add_note(db, customer_id, "staff", text, me.id, Some(store_id)).await
}

/// Staff decide what becomes of a no-show's units: back on the shelf, or written off (过期,
/// 已分装). Once per order.
pub async fn settle_no_show(db: &Db, me: &crate::accounts::Me, id: i64, back_on_shelf: bool) -> Result<OrderRow, AppError> {
    let mut tx = db.begin_write().await?;
    let row = store::find(&mut tx, id).await?.filter(|r| desk_may(me, r.store_id)).ok_or_else(AppError::not_found)?;
    if row.status != OrderStatus::NoShow.as_str() || row.stock_outcome.is_some() {
        let from = OrderStatus::parse(&row.status).unwrap_or(OrderStatus::NoShow);
        return Err(invalid(from, OrderStatus::NoShow));
    }
    if !store::settle_stock(&mut tx, id, if back_on_shelf { "returned" } else { "loss" }).await? {
        return Err(invalid(OrderStatus::NoShow, OrderStatus::NoShow));
    }
    move_reserved(&mut tx, &row, (!back_on_shelf).then_some(StockReason::NoShowLoss), Some(me.id)).await?;
    let reason = if back_on_shelf { "stock_returned" } else { "stock_written_off" };
    store::insert_event(&mut tx, id, Some(OrderStatus::NoShow), OrderStatus::NoShow, Some(me.id), reason).await?;
    tx.commit().await?;
    let mut conn = db.pool.acquire().await?;
    store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)
}

/// The deadline job: ready pickup orders whose window ended more than the grace period ago
/// become no-shows. It reads the deadline from the orders themselves, so a restart (or a
/// kill -9) loses nothing, and the status compare-and-set makes two instances running it at
/// once harmless. Returns how many orders it moved.
pub async fn sweep_no_shows(db: &Db) -> Result<Swept, AppError> {
    let now = local_time(now_ms());
    let today = crate::shared::time::iso_date(now.day);
    let retries = Retries::load(db, Job::NoShow).await?;
    let mut done = Swept::default();
    for (id, date, until) in store::ready_pickups_until(&db.pool, &today).await? {
        let (Some(day), Some(until)) = (parse_iso_date(&date), parse_hhmm(&until)) else { continue };
        if !lifecycle::no_show_due(day, until, now.day, now.minute) || retries.is_resting(id) {
            continue;
        }
        match apply(db, id, OrderStatus::NoShow, Asker { user_id: None, actor: Actor::System }, "", |_| true).await {
            Ok(_) => {
                done.moved += 1;
                retries.succeeded(db, id).await;
            }
            // Handed over (or cancelled) while the job looked: nothing to do.
            Err(e) if e.code == ErrorCode::InvalidTransition => retries.succeeded(db, id).await,
            // One order that cannot move holds back no other: retried later with backoff.
            Err(e) => done.failed.push(retries.failed(db, id, &e).await),
        }
    }
    Ok(done)
}

/// What one no-show sweep did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub moved: usize,
    pub failed: Vec<Failure>,
}

/// The most orders one look at the queue shows (oldest first): a busy store's whole day.
pub const QUEUE_LIMIT: i64 = 300;

/// A store's queue as staff see it, oldest first, at most QUEUE_LIMIT orders. The caller has
/// checked that the asker works the desk there.
pub async fn queue(db: &Db, store_id: i64, ask: &super::rules::QueueAsk) -> Result<Vec<StaffOrder>, AppError> {
    let filter = store::QueueFilter {
        status: ask.status.as_deref(),
        fulfillment: ask.fulfillment.as_deref(),
        pickup_date: ask.date.as_deref(),
        phone_tail: None,
    };
    staff_orders(db, store::queue(&db.pool, store_id, &filter, QUEUE_LIMIT).await?).await
}

/// The staff's view of orders: masked resident, items, notes, what to collect, the next step.
pub async fn staff_orders(db: &Db, rows: Vec<OrderRow>) -> Result<Vec<StaffOrder>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut users: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    users.sort_unstable();
    users.dedup();
    let items = store::items_of(&db.pool, &ids).await?;
    let notes = crate::accounts::notes_of(&db.pool, &users).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Placed);
            let delivery = r.fulfillment == "delivery";
            let payment = super::model::Payment::parse(&r.payment).unwrap_or(super::model::Payment::OnPickup);
            let its: Vec<_> = items.iter().filter(|(o, _)| *o == r.id).map(|(_, i)| i.clone()).collect();
            let window = match (&r.window_from, &r.window_until) {
                (Some(a), Some(b)) => format!("{a}-{b}"),
                _ => "asap".to_string(),
            };
            StaffOrder {
                id: r.id,
                number: r.number.clone().unwrap_or_default(),
                status,
                store_id: r.store_id,
                delivery,
                customer: lifecycle::mask_name(&r.user_name),
                phone_tail: lifecycle::phone_tail(&r.user_phone),
                customer_id: r.user_id,
                pickup_date: r.pickup_date.clone(),
                window,
                address: r.address.clone(),
                shelf_slot: r.shelf_slot.clone().filter(|_| status == OrderStatus::Ready),
                item_count: its.iter().map(|i| i.qty).sum(),
                items: its,
                total_fen: r.total_fen,
                payment,
                due_fen: r.total_fen - r.paid_fen,
                note: r.note.clone(),
                customer_notes: notes.iter().filter(|(u, _)| *u == r.user_id).map(|(_, n)| n.clone()).collect(),
                created_at: rfc3339(r.created_at_ms),
                next: lifecycle::next_for_staff(status, delivery),
                awaiting_stock_decision: status == OrderStatus::NoShow && r.stock_outcome.is_none(),
            }
        })
        .collect())
}

/// 拣货单 for a day (today when absent): units per product over the orders still to pick.
pub async fn pick_list(db: &Db, me: &crate::accounts::Me, store_id: i64, date: Option<&str>) -> Result<Vec<super::model::PickLine>, AppError> {
    if !desk_may(me, store_id) {
        return Err(AppError::forbidden());
    }
    let day = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_iso_date(d).ok_or_else(|| AppError::field(ErrorCode::BadRequest, "date"))?,
        None => local_time(now_ms()).day,
    };
    let day_ms = 24 * 3600 * 1000;
    let start = day * day_ms - crate::shared::time::STORE_UTC_OFFSET_MS;
    let rows = store::pick_list(&db.pool, store_id, &crate::shared::time::iso_date(day), start, start + day_ms).await?;
    Ok(rows
        .into_iter()
        .map(|r| super::model::PickLine { product_id: r.product_id, name: r.name, unit: r.unit, qty: r.qty, orders: r.orders })
        .collect())
}

/// The delivery orders a rider sees: ready ones at their stores to claim, and their own on
/// the way.
pub async fn rider_orders(db: &Db, me: &crate::accounts::Me) -> Result<Vec<StaffOrder>, AppError> {
    let stores: Vec<i64> = if me.has(Role::Owner) {
        crate::stores::list_active(&db.pool).await?.into_iter().map(|s| s.id).collect()
    } else {
        me.roles.iter().filter(|g| RIDER_ROLES.contains(&g.role)).filter_map(|g| g.store_id).collect()
    };
    if stores.is_empty() {
        return Err(AppError::forbidden());
    }
    let rows = store::for_rider(&db.pool, &stores, me.id).await?;
    staff_orders(db, rows).await
}
