//! Order actions shared by the JSON API and the pages: place, look up, list, cancel.
use super::model::{Fulfillment, FulfillmentRequest, Order, OrderStatus, OrderSummary, Payment, PlaceOrder, Quote, StatusChange};
use super::rules;
use super::store::{self, OrderRow, PricedProduct};
use crate::catalog::rules::{line_limits, stock_needs};
use crate::catalog::stock_draws;
use crate::server::idempotency::{self, Claim};
use crate::server::Db;
use crate::shared::geo::{distance_m, valid_coordinate};
use crate::shared::time::{hhmm, iso_date, local_time, now_ms, rfc3339, LocalTime};
use crate::shared::{AppError, ErrorCode};
use crate::stores::model::Store;
use crate::wallet::model::EntryKind;
use crate::wallet::{move_money, Movement};
use sqlx::AnyConnection;

const PLACE_SCOPE: &str = "orders.place";

/// A checked fulfilment: what will be written, and how it prices.
struct Plan {
    fulfillment: Fulfillment,
    distance_m: Option<u32>,
}

/// Checks when and where, against the store's hours, radius and the clock.
fn plan(store: &Store, now: LocalTime, f: &FulfillmentRequest) -> Result<Plan, AppError> {
    match f {
        FulfillmentRequest::Pickup { pickup_date, window } => {
            let (day, from, until) = rules::resolve_pickup(store, now, pickup_date, window.as_deref())?;
            Ok(Plan { fulfillment: Fulfillment::Pickup { pickup_date: iso_date(day), window_from: hhmm(from), window_until: hhmm(until) }, distance_m: None })
        }
        FulfillmentRequest::Delivery { address, lat, lng, slot } => {
            let address = rules::parse_address(address)?;
            if !valid_coordinate(*lat, *lng) {
                return Err(AppError::field(ErrorCode::InvalidCoordinates, "address"));
            }
            let d = distance_m(*lat, *lng, store.lat, store.lng);
            if d > store.delivery_radius_m {
                return Err(AppError::field(ErrorCode::OutsideDeliveryArea, "address").with_details(serde_json::json!({ "distance_m": d, "radius_m": store.delivery_radius_m })));
            }
            let slot = rules::resolve_slot(store, now, slot)?.map_or_else(|| "asap".to_string(), rules::window_text);
            Ok(Plan { fulfillment: Fulfillment::Delivery { address, lat: *lat, lng: *lng, distance_m: d, slot }, distance_m: Some(d) })
        }
    }
}

fn quote(store: &Store, plan: &Plan, goods_fen: i64) -> Result<Quote, AppError> {
    match plan.distance_m {
        None => Ok(rules::quote_pickup(store, goods_fen)),
        Some(d) => rules::quote_delivery(store, goods_fen, d),
    }
}

/// The order row for a checked fulfilment and its quote, as placed (待接单).
fn new_placed_order<'a>(plan: &'a Plan, q: &Quote, store_id: i64, user_id: i64, payment: Payment, note: &'a str) -> store::NewOrder<'a> {
    let (pickup_date, window_from, window_until, address, lat, lng) = match &plan.fulfillment {
        Fulfillment::Pickup { pickup_date, window_from, window_until } => {
            (Some(pickup_date.as_str()), Some(window_from.clone()), Some(window_until.clone()), None, None, None)
        }
        Fulfillment::Delivery { address, lat, lng, slot, .. } => {
            let w = rules::parse_window(slot);
            (None, w.map(|w| hhmm(w.0)), w.map(|w| hhmm(w.1)), Some(address.as_str()), Some(*lat), Some(*lng))
        }
    };
    store::NewOrder {
        store_id,
        user_id,
        status: OrderStatus::Placed,
        delivery: plan.distance_m.is_some(),
        pickup_date,
        window_from,
        window_until,
        address,
        lat,
        lng,
        distance_m: plan.distance_m.map(i64::from),
        payment: payment.as_str(),
        goods_fen: q.goods_fen,
        discount_fen: q.discount_fen,
        delivery_fee_fen: q.delivery_fee_fen,
        total_fen: q.total_fen,
        note,
        group_buy_id: None,
        live_session_id: None,
    }
}

/// A fulfilment checked against a store's hours and radius and priced for goods worth
/// `goods_fen` (the pickup discount, the delivery fee): for an order priced elsewhere than
/// the shelf (a live order at its live price).
pub(crate) struct CheckedFulfillment {
    plan: Plan,
    pub quote: Quote,
}

impl CheckedFulfillment {
    pub(crate) fn check(store: &Store, f: &FulfillmentRequest, goods_fen: i64) -> Result<Self, AppError> {
        let plan = plan(store, local_time(now_ms()), f)?;
        let quote = quote(store, &plan, goods_fen)?;
        Ok(CheckedFulfillment { plan, quote })
    }

    /// The order row, placed (待接单).
    pub(crate) fn new_order<'a>(&'a self, store_id: i64, user_id: i64, payment: Payment, note: &'a str) -> store::NewOrder<'a> {
        new_placed_order(&self.plan, &self.quote, store_id, user_id, payment, note)
    }
}

/// What an order would cost, for the checkout page (nothing is written).
pub async fn preview(db: &Db, store: &Store, lines: &[(i64, i64)], f: &FulfillmentRequest) -> Result<Quote, AppError> {
    let mut conn = db.pool.acquire().await?;
    let priced = crate::catalog::priced_lines(&mut conn, store.id, lines).await?;
    let goods: i64 = priced.iter().map(|(p, q)| p.price_fen * q).sum();
    quote(store, &plan(store, local_time(now_ms()), f)?, goods)
}

/// A random pickup code (the insert retries another one if an open order shows it).
fn random_code() -> Result<String, AppError> {
    let mut buf = [0u8; 4];
    getrandom::getrandom(&mut buf).map_err(AppError::internal)?;
    Ok(rules::pickup_code_from(buf))
}

/// Places an order: one transaction in which every line's stock is reserved with a
/// conditional statement, the wallet is debited the same way, and the order, its lines and
/// its first event are written — or, on any failure, nothing is. `key` (the client's
/// Idempotency-Key) makes a retry return the first answer. With `cart_key` (checkout from
/// the pages), the ordered lines leave that cart in the same transaction.
#[tracing::instrument(skip_all, fields(user_id, store_id = req.store_id))]
pub async fn place(
    db: &Db,
    user_id: i64,
    req: &PlaceOrder,
    key: &str,
    cart_key: Option<&str>,
) -> Result<Order, AppError> {
    let id = idempotency::once(&db.pool, user_id, PLACE_SCOPE, key, req, |key| async move { place_fresh(db, user_id, req, &key, cart_key).await }).await?;
    load(db, id, user_id).await?.ok_or_else(AppError::not_found)
}

async fn place_fresh(db: &Db, user_id: i64, req: &PlaceOrder, key: &str, cart_key: Option<&str>) -> Result<i64, AppError> {
    let lines = rules::normalize_items(&req.items)?;
    let note = rules::parse_note(req.note.as_deref())?;
    let chosen = crate::stores::get_active(&db.pool, req.store_id).await?.ok_or_else(AppError::not_found)?;
    let now = local_time(now_ms());
    // A nearer store may take a delivery the chosen one could not (beyond its radius) as well
    // as one it could; without one, the chosen store's own answer stands.
    let (store, plan, routed_from) = match route(db, &chosen, &req.fulfillment, &lines, now).await? {
        Some(nearer) => {
            let p = plan(&nearer, now, &req.fulfillment)?;
            (nearer, p, Some(chosen.name.clone()))
        }
        None => {
            let p = plan(&chosen, now, &req.fulfillment)?;
            (chosen, p, None)
        }
    };

    // The writing happens in checkout's group commit (server::group_commit): with the orders
    // that arrive at the same moment, each in a savepoint of its own, answered after the commit.
    let job = Placing { user_id, req: req.clone(), key: key.to_string(), cart_key: cart_key.map(str::to_string), store, plan, routed_from, lines, note, events: db.events.clone() };
    match db.writer.run(move |tx| Box::pin(job.write(tx))).await {
        Ok(Placed::Fresh { id, total_fen, event }) => {
            db.events.committed([event]);
            tracing::info!(order_id = id, total_fen, "order placed");
            Ok(id)
        }
        Ok(Placed::Replay(id)) => Ok(id),
        // Read after the savepoint rolled back: what is left, without this order's own claims.
        Err(Refused::Short { store_id, priced, lines }) => Err(crate::catalog::short_stock(&db.pool, store_id, &priced, &lines).await?),
        Err(Refused::Error(e)) => Err(e),
    }
}

/// Everything an order's transaction writes, checked and read before it is queued.
struct Placing {
    user_id: i64,
    req: PlaceOrder,
    key: String,
    cart_key: Option<String>,
    store: Store,
    plan: Plan,
    routed_from: Option<String>,
    lines: Vec<(i64, i64)>,
    note: String,
    events: crate::server::events::Hub,
}

enum Placed {
    Fresh { id: i64, total_fen: i64, event: crate::server::events::Event },
    Replay(i64),
}

/// Why an order's savepoint was rolled back.
enum Refused {
    /// A line the shelf cannot fill (the 409 is worked out after the rollback).
    Short { store_id: i64, priced: Vec<(PricedProduct, i64)>, lines: Vec<(i64, i64)> },
    Error(AppError),
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Self {
        Refused::Error(e)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Self {
        Refused::Error(e.into())
    }
}

impl Placing {
    /// The order's writes, in the group transaction: every line's stock reserved with a
    /// conditional statement, the wallet debited the same way, the order, its lines, its
    /// reservations and first event written, the cart emptied of what was ordered, the key
    /// remembered — or, on any failure, none of it.
    async fn write(self, tx: &mut AnyConnection) -> Result<Placed, Refused> {
        let Placing { user_id, req, key, cart_key, store, plan, routed_from, lines, note, events } = self;
        if let Claim::Replay(saved) = idempotency::claim::<i64>(tx, user_id, PLACE_SCOPE, &key, &req).await? {
            return Ok(Placed::Replay(saved));
        }
        let priced = crate::catalog::priced_lines(tx, store.id, &lines).await?;
        let goods: i64 = priced.iter().map(|(p, q)| p.price_fen * q).sum();
        let q = quote(&store, &plan, goods)?;

        // Reserve every stock row the lines need (a bundle needs its components), each with one
        // conditional statement. If any is short, nothing is kept, and every line that cannot be
        // had is named with what is left, so the resident can fix them all at once.
        let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
        let needs = stock_needs(&lines, &stock_draws(tx, store.id, &ids).await?);
        for (product_id, qty) in &needs {
            if !store::adjust_reserved(tx, store.id, *product_id, *qty).await? {
                return Err(Refused::Short { store_id: store.id, priced, lines });
            }
        }

        let new_order = new_placed_order(&plan, &q, store.id, user_id, req.payment, &note);
        let reason = routed_from.map(|name| format!("{}{name}", super::model::ROUTED_FROM)).unwrap_or_default();
        let id = write_order(tx, &new_order, &priced, req.payment, user_id, &reason).await?;
        for (product_id, qty) in &needs {
            store::insert_reservation(tx, id, *product_id, *qty).await?;
        }
        if let Some(cart_key) = &cart_key {
            // The cart is the one at the store the resident chose, wherever the order went.
            crate::cart::remove_ordered(tx, cart_key, req.store_id, &lines).await?;
        }
        idempotency::remember(tx, user_id, PLACE_SCOPE, &key, &id).await?;
        // The store's queue hears of the new order the moment it is committed.
        let change = StatusChange { order_id: id, status: OrderStatus::Placed, at: rfc3339(now_ms()), shelf_slot: None, new: true };
        let mut event = super::flow::status_event(store.id, user_id, &change);
        events.stage(tx, &mut event).await?;
        Ok(Placed::Fresh { id, total_fen: q.total_fen, event })
    }
}

/// Writes an order whose stock (if it takes any) is already reserved: the row with a pickup
/// code no open order at the store shows, its lines, the wallet payment (one conditional
/// debit; 402 when short), its number and its first event. The caller's transaction makes it
/// all-or-nothing.
pub(crate) async fn write_order(
    tx: &mut AnyConnection,
    new_order: &store::NewOrder<'_>,
    priced: &[(PricedProduct, i64)],
    payment: Payment,
    user_id: i64,
    reason: &str,
) -> Result<i64, AppError> {
    // The code must be unique among the store's open orders (a partial unique index): an
    // insert that meets a code in use writes nothing and is tried again with another. Twenty
    // misses in a row would take a million open orders at one store.
    let mut id = None;
    for _ in 0..20 {
        id = store::insert_order(tx, new_order, &random_code()?).await?;
        if id.is_some() {
            break;
        }
    }
    let id = id.ok_or_else(|| AppError::internal("no free pickup code"))?;
    for (p, qty) in priced {
        store::insert_item(tx, id, p, *qty).await?;
    }
    let paid = if payment == Payment::Wallet && new_order.total_fen > 0 {
        let m = Movement {
            user_id,
            amount_fen: -new_order.total_fen,
            kind: EntryKind::Payment,
            by_user_id: None,
            store_id: Some(new_order.store_id),
            order_id: Some(id),
            sale_id: None,
        };
        if move_money(tx, &m).await?.is_none() {
            return Err(AppError::field(ErrorCode::InsufficientBalance, "payment"));
        }
        new_order.total_fen
    } else {
        0
    };
    store::finish_insert(tx, id, &rules::order_number(local_time(now_ms()).day, id), paid).await?;
    store::insert_event(tx, id, None, new_order.status, Some(user_id), reason).await?;
    Ok(id)
}

/// LBS 分单: with the chain's routing on, the store a delivery should go to instead of
/// `chosen`: the nearest other store that delivers to the address at `now` (radius, slot,
/// minimum order) and has every line in stock. The stock is only read here; the order's own
/// conditional reservation still decides.
pub async fn route(db: &Db, chosen: &Store, f: &FulfillmentRequest, lines: &[(i64, i64)], now: LocalTime) -> Result<Option<Store>, AppError> {
    let FulfillmentRequest::Delivery { lat, lng, .. } = f else { return Ok(None) };
    if !valid_coordinate(*lat, *lng) || !crate::stores::lbs_routing(&db.pool, chosen.id).await? {
        return Ok(None);
    }
    let here = distance_m(*lat, *lng, chosen.lat, chosen.lng);
    let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
    let mut conn = db.pool.acquire().await?;
    let priced = crate::catalog::priced_lines(&mut conn, chosen.id, lines).await?;
    let goods: i64 = priced.iter().map(|(p, q)| p.price_fen * q).sum();
    let mut candidates = Vec::new();
    let mut stores = Vec::new();
    for s in crate::stores::chain_siblings(&db.pool, chosen.id).await? {
        let d = distance_m(*lat, *lng, s.lat, s.lng);
        if d >= here {
            continue;
        }
        let delivers = plan(&s, now, f).is_ok_and(|p| quote(&s, &p, goods).is_ok());
        let limits = line_limits(lines, &stock_draws(&mut conn, s.id, &ids).await?);
        let has_everything = lines.iter().all(|(id, qty)| limits.iter().any(|(l, n)| l == id && n >= qty));
        candidates.push(rules::RouteCandidate { store_id: s.id, distance_m: d, delivers, has_everything });
        stores.push(s);
    }
    Ok(rules::route_to(here, &candidates).and_then(|id| stores.into_iter().find(|s| s.id == id)))
}

/// The 409 for an order the shelf cannot fill: every line that cannot be had as asked, with
/// how many it could have while the other lines keep theirs (a bundle and its part compete
/// for the same eggs, so each alone may look fine).
/// The order a checkout key already placed, if any: a resent checkout form finds its order
/// even though the cart it was built from is empty by now.
pub async fn placed_with_key(db: &Db, user_id: i64, key: &str) -> Result<Option<i64>, AppError> {
    let key = idempotency::parse_key(key)?;
    idempotency::saved(&db.pool, user_id, PLACE_SCOPE, &key).await
}

fn to_order(row: OrderRow, items: Vec<super::model::OrderItem>, events: Vec<super::model::OrderEvent>, left_ms: Option<i64>) -> Order {
    let status = OrderStatus::parse(&row.status).unwrap_or(OrderStatus::Placed);
    let window = match (&row.window_from, &row.window_until) {
        (Some(a), Some(b)) => Some(format!("{a}-{b}")),
        _ => None,
    };
    let delivery_eta = (row.fulfillment == "delivery" && matches!(status, OrderStatus::Placed | OrderStatus::Accepted | OrderStatus::Picking | OrderStatus::Ready | OrderStatus::OutForDelivery))
        .then(|| {
            let w = window.as_deref().and_then(rules::parse_window);
            let left = left_ms.filter(|_| status == OrderStatus::OutForDelivery).map(|ms| local_time(ms).minute);
            let distance = u32::try_from(row.distance_m.unwrap_or(0)).unwrap_or(0);
            rules::window_text(super::lifecycle::delivery_eta(local_time(row.created_at_ms).minute, w, left, distance))
        });
    let fulfillment = if row.fulfillment == "delivery" {
        Fulfillment::Delivery {
            address: row.address.unwrap_or_default(),
            lat: row.lat.unwrap_or_default(),
            lng: row.lng.unwrap_or_default(),
            distance_m: u32::try_from(row.distance_m.unwrap_or(0)).unwrap_or(0),
            slot: window.unwrap_or_else(|| "asap".to_string()),
        }
    } else {
        Fulfillment::Pickup {
            pickup_date: row.pickup_date.unwrap_or_default(),
            window_from: row.window_from.unwrap_or_default(),
            window_until: row.window_until.unwrap_or_default(),
        }
    };
    Order {
        id: row.id,
        number: row.number.unwrap_or_default(),
        status,
        store_id: row.store_id,
        store_name: row.store_name,
        store_address: row.store_address,
        store_phone: row.store_phone,
        items,
        goods_fen: row.goods_fen,
        discount_fen: row.discount_fen,
        delivery_fee_fen: row.delivery_fee_fen,
        total_fen: row.total_fen,
        payment: Payment::parse(&row.payment).unwrap_or(Payment::OnPickup),
        paid_fen: row.paid_fen,
        fulfillment,
        note: row.note,
        pickup_code: status.is_open().then_some(row.pickup_code),
        created_at: rfc3339(row.created_at_ms),
        events,
        // A join is left on its campaign's page, which gives the units back to the group.
        cancellable: rules::resident_may_cancel(status) && row.group_buy_id.is_none(),
        group_buy_id: row.group_buy_id,
        shelf_slot: row.shelf_slot.filter(|_| status == OrderStatus::Ready),
        store_hours: format!("{}-{}", row.store_opens_at, row.store_closes_at),
        delivery_eta,
    }
}

/// A resident's order; `None` for an order that does not exist or is someone else's.
pub async fn load(db: &Db, id: i64, user_id: i64) -> Result<Option<Order>, AppError> {
    let mut conn = db.pool.acquire().await?;
    let Some(row) = store::find_for_user(&mut conn, id, user_id).await? else { return Ok(None) };
    let items = store::items(&mut conn, id).await?;
    let events = store::events(&mut conn, id).await?;
    let left_ms = store::entered_at(&mut conn, id, OrderStatus::OutForDelivery.as_str()).await?;
    Ok(Some(to_order(row, items, events, left_ms)))
}

/// A resident's orders, newest first (the last 100).
pub async fn list(db: &Db, user_id: i64) -> Result<Vec<OrderSummary>, AppError> {
    let rows = store::list_for_user(&db.pool, user_id, 100).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let names = store::first_item_names(&db.pool, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| OrderSummary {
            first_items: names.iter().filter(|(o, _)| *o == r.id).take(3).map(|(_, n)| n.clone()).collect(),
            id: r.id,
            number: r.number.unwrap_or_default(),
            status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Placed),
            store_name: r.store_name,
            delivery: r.fulfillment == "delivery",
            total_fen: r.total_fen,
            item_count: r.item_count,
            pickup_date: r.pickup_date,
            created_at: rfc3339(r.created_at_ms),
        })
        .collect())
}

/// The resident cancels before picking starts: the stock goes back on the shelf and a wallet
/// payment is refunded, once (see `flow::apply`).
#[tracing::instrument(skip(db))]
pub async fn cancel(db: &Db, id: i64, user_id: i64) -> Result<Order, AppError> {
    super::flow::resident_cancel(db, id, user_id).await?;
    load(db, id, user_id).await?.ok_or_else(AppError::not_found)
}

/// The resident's bell, newest first (the last 50).
pub async fn notifications(db: &Db, user_id: i64) -> Result<Vec<super::model::Notification>, AppError> {
    Ok(store::notifications(&db.pool, user_id, 50)
        .await?
        .into_iter()
        .filter_map(|n| {
            // A group buy's outcome moved its join to placed (it went ahead) or cancelled.
            let status = match n.kind.as_str() {
                // 提醒我: a live session went live (no order; the status is not shown).
                // The store's group: an announcement, a live session, a new group buy.
                "group_succeeded" | "live_started" | "group_announcement" | "group_live" | "group_buy_new" => OrderStatus::Placed,
                "group_failed" | "group_cancelled" => OrderStatus::Cancelled,
                other => OrderStatus::parse(other)?,
            };
            Some(super::model::Notification {
                id: n.id,
                order_id: n.order_id,
                order_number: n.number,
                status,
                kind: n.kind,
                delivery: n.fulfillment.as_deref() == Some("delivery"),
                at: rfc3339(n.created_at_ms),
                read: n.read_at_ms.is_some(),
                live_session_id: n.live_session_id,
                live_title: n.live_title,
                group_buy_id: n.group_buy_id,
                group_buy_title: n.group_buy_title,
                post_id: n.community_post_id,
                post_excerpt: n.post_body.map(|b| {
                    let line = b.lines().next().unwrap_or_default();
                    if line.chars().count() > 40 { format!("{}…", line.chars().take(40).collect::<String>()) } else { line.to_string() }
                }),
            })
        })
        .collect())
}

pub async fn unread_notifications(db: &Db, user_id: i64) -> Result<i64, AppError> {
    store::unread_notifications(&db.pool, user_id).await
}

pub async fn mark_notifications_read(db: &Db, user_id: i64) -> Result<(), AppError> {
    store::mark_notifications_read(&db.pool, user_id).await
}

/// The current state as a stream's first event: a page that (re)connects is never stale.
pub async fn current_status_event(db: &Db, id: i64, may_see: impl FnOnce(&OrderRow) -> bool) -> Result<crate::server::events::Event, AppError> {
    let mut conn = db.pool.acquire().await?;
    let row = store::find(&mut conn, id).await?.filter(may_see).ok_or_else(AppError::not_found)?;
    let status = OrderStatus::parse(&row.status).unwrap_or(OrderStatus::Placed);
    let at = store::entered_at(&mut conn, id, status.as_str()).await?.unwrap_or(row.created_at_ms);
    let change = StatusChange { order_id: id, status, at: rfc3339(at), shelf_slot: row.shelf_slot.clone().filter(|_| status == OrderStatus::Ready), new: false };
    Ok(super::flow::status_event(row.store_id, row.user_id, &change))
}
