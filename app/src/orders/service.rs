//! Order actions shared by the JSON API and the pages: place, look up, list, cancel.
use super::model::{Fulfillment, FulfillmentRequest, Order, OrderStatus, OrderSummary, Payment, PlaceOrder, Quote, ShortItem};
use super::rules;
use super::store::{self, OrderRow, PricedProduct};
use crate::server::idempotency::{self, Claim};
use crate::server::Db;
use crate::shared::geo::{distance_m, valid_coordinate};
use crate::shared::time::{hhmm, iso_date, local_time, now_ms, rfc3339, LocalTime};
use crate::shared::{AppError, ErrorCode};
use crate::stores::model::Store;
use crate::wallet::model::EntryKind;
use crate::wallet::store::{move_money, Movement};
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

/// Prices the lines from the catalog; a product that is gone or not sold here is refused.
async fn price_lines(conn: &mut AnyConnection, store_id: i64, lines: &[(i64, i64)]) -> Result<Vec<(PricedProduct, i64)>, AppError> {
    let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
    let products = store::priced_products(conn, store_id, &ids).await?;
    lines
        .iter()
        .map(|(id, qty)| {
            products.iter().find(|p| p.id == *id).cloned().map(|p| (p, *qty)).ok_or_else(|| {
                AppError::new(ErrorCode::ProductUnavailable).with_details(serde_json::json!({ "product_id": id }))
            })
        })
        .collect()
}

/// What an order would cost, for the checkout page (nothing is written).
pub async fn preview(db: &Db, store: &Store, lines: &[(i64, i64)], f: &FulfillmentRequest) -> Result<Quote, AppError> {
    let mut conn = db.pool.acquire().await?;
    let priced = price_lines(&mut conn, store.id, lines).await?;
    let goods: i64 = priced.iter().map(|(p, q)| p.price_fen * q).sum();
    quote(store, &plan(store, local_time(now_ms()), f)?, goods)
}

/// A fresh pickup code no open order at the store is showing.
async fn new_pickup_code(conn: &mut AnyConnection, store_id: i64) -> Result<String, AppError> {
    for _ in 0..20 {
        let mut buf = [0u8; 4];
        getrandom::getrandom(&mut buf).map_err(AppError::internal)?;
        let code = rules::pickup_code_from(buf);
        if !store::code_in_use(conn, store_id, &code).await? {
            return Ok(code);
        }
    }
    // 20 collisions in a row would mean a million open orders at one store.
    Err(AppError::internal("no free pickup code"))
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
    let key = idempotency::parse_key(key)?;
    if let Some(saved) = idempotency::replay::<i64>(&db.pool, user_id, PLACE_SCOPE, &key, req).await? {
        return load(db, saved, user_id).await?.ok_or_else(AppError::not_found);
    }
    let lines = rules::normalize_items(&req.items)?;
    let note = rules::parse_note(req.note.as_deref())?;
    let store = crate::stores::store::get_active(&db.pool, req.store_id).await?.ok_or_else(AppError::not_found)?;
    let plan = plan(&store, local_time(now_ms()), &req.fulfillment)?;

    let mut tx = db.begin_write().await?;
    if let Claim::Replay(saved) = idempotency::claim::<i64>(&mut tx, user_id, PLACE_SCOPE, &key, req).await? {
        tx.commit().await?;
        return load(db, saved, user_id).await?.ok_or_else(AppError::not_found);
    }
    let priced = price_lines(&mut tx, store.id, &lines).await?;
    let goods: i64 = priced.iter().map(|(p, q)| p.price_fen * q).sum();
    let q = quote(&store, &plan, goods)?;

    // Reserve every stock row the lines need (a bundle needs its components), each with one
    // conditional statement. If any is short, nothing is kept, and every line that cannot be
    // had is named with what is left, so the resident can fix them all at once.
    let needs = crate::catalog::store::stock_needs(&mut tx, &lines).await?;
    let mut all_reserved = true;
    for (product_id, qty) in &needs {
        if !store::adjust_reserved(&mut tx, store.id, *product_id, *qty).await? {
            all_reserved = false;
            break;
        }
    }
    if !all_reserved {
        tx.rollback().await?;
        let mut conn = db.pool.acquire().await?;
        let mut short = Vec::new();
        for (p, qty) in &priced {
            let available = crate::catalog::store::available_at(&mut conn, store.id, p.id).await?;
            if available < *qty {
                short.push(ShortItem { product_id: p.id, name: p.name.clone(), requested: *qty, available });
            }
        }
        return Err(AppError::new(ErrorCode::InsufficientStock).with_details(serde_json::json!({ "items": short })));
    }

    let code = new_pickup_code(&mut tx, store.id).await?;
    let (pickup_date, window_from, window_until, address, lat, lng) = match &plan.fulfillment {
        Fulfillment::Pickup { pickup_date, window_from, window_until } => {
            (Some(pickup_date.as_str()), Some(window_from.clone()), Some(window_until.clone()), None, None, None)
        }
        Fulfillment::Delivery { address, lat, lng, slot, .. } => {
            let w = rules::parse_window(slot);
            (None, w.map(|w| hhmm(w.0)), w.map(|w| hhmm(w.1)), Some(address.as_str()), Some(*lat), Some(*lng))
        }
    };
    let id = store::insert_order(
        &mut tx,
        &store::NewOrder {
            store_id: store.id,
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
            payment: req.payment.as_str(),
            goods_fen: q.goods_fen,
            discount_fen: q.discount_fen,
            delivery_fee_fen: q.delivery_fee_fen,
            total_fen: q.total_fen,
            note: &note,
            pickup_code: &code,
        },
    )
    .await?;
    for (p, qty) in &priced {
        store::insert_item(&mut tx, id, p, *qty).await?;
    }
    for (product_id, qty) in &needs {
        store::insert_reservation(&mut tx, id, *product_id, *qty).await?;
    }
    let paid = if req.payment == Payment::Wallet && q.total_fen > 0 {
        let m = Movement { user_id, amount_fen: -q.total_fen, kind: EntryKind::Payment, by_user_id: None, store_id: Some(store.id), order_id: Some(id) };
        if move_money(&mut tx, &m).await?.is_none() {
            tx.rollback().await?;
            return Err(AppError::field(ErrorCode::InsufficientBalance, "payment"));
        }
        q.total_fen
    } else {
        0
    };
    store::finish_insert(&mut tx, id, &rules::order_number(local_time(now_ms()).day, id), paid).await?;
    store::insert_event(&mut tx, id, None, OrderStatus::Placed, Some(user_id), "").await?;
    if let Some(cart_key) = cart_key {
        crate::cart::store::remove_lines(&mut tx, cart_key, store.id, &lines.iter().map(|(p, _)| *p).collect::<Vec<_>>()).await?;
    }
    idempotency::remember(&mut tx, user_id, PLACE_SCOPE, &key, &id).await?;
    tx.commit().await?;
    tracing::info!(order_id = id, total_fen = q.total_fen, "order placed");
    load(db, id, user_id).await?.ok_or_else(|| AppError::internal("placed order vanished"))
}

/// The order a checkout key already placed, if any: a resent checkout form finds its order
/// even though the cart it was built from is empty by now.
pub async fn placed_with_key(db: &Db, user_id: i64, key: &str) -> Result<Option<i64>, AppError> {
    let key = idempotency::parse_key(key)?;
    idempotency::saved(&db.pool, user_id, PLACE_SCOPE, &key).await
}

fn to_order(row: OrderRow, items: Vec<super::model::OrderItem>, events: Vec<super::model::OrderEvent>) -> Order {
    let status = OrderStatus::parse(&row.status).unwrap_or(OrderStatus::Placed);
    let fulfillment = if row.fulfillment == "delivery" {
        let slot = match (row.window_from, row.window_until) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => "asap".to_string(),
        };
        Fulfillment::Delivery {
            address: row.address.unwrap_or_default(),
            lat: row.lat.unwrap_or_default(),
            lng: row.lng.unwrap_or_default(),
            distance_m: u32::try_from(row.distance_m.unwrap_or(0)).unwrap_or(0),
            slot,
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
        cancellable: rules::resident_may_cancel(status),
    }
}

/// A resident's order; `None` for an order that does not exist or is someone else's.
pub async fn load(db: &Db, id: i64, user_id: i64) -> Result<Option<Order>, AppError> {
    let mut conn = db.pool.acquire().await?;
    let Some(row) = store::find_for_user(&mut conn, id, user_id).await? else { return Ok(None) };
    let items = store::items(&mut conn, id).await?;
    let events = store::events(&mut conn, id).await?;
    Ok(Some(to_order(row, items, events)))
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
/// payment is refunded, once — the status change is a compare-and-set, so of two racing
/// cancels only one does anything, and the ledger allows one refund per order besides.
#[tracing::instrument(skip(db))]
pub async fn cancel(db: &Db, id: i64, user_id: i64) -> Result<Order, AppError> {
    let mut tx = db.begin_write().await?;
    let row = store::find_for_user(&mut tx, id, user_id).await?.ok_or_else(AppError::not_found)?;
    let status = OrderStatus::parse(&row.status).ok_or_else(|| AppError::internal("unknown order status"))?;
    if !rules::resident_may_cancel(status) || !store::set_status(&mut tx, id, status, OrderStatus::Cancelled).await? {
        return Err(AppError::new(ErrorCode::NotCancellable));
    }
    for (product_id, qty) in store::reservations(&mut tx, id).await? {
        // The reservation was taken by this order, so it is there to give back.
        store::adjust_reserved(&mut tx, row.store_id, product_id, -qty).await?;
    }
    if row.paid_fen > 0 {
        let m = Movement { user_id, amount_fen: row.paid_fen, kind: EntryKind::Refund, by_user_id: None, store_id: Some(row.store_id), order_id: Some(id) };
        move_money(&mut tx, &m).await?.ok_or_else(|| AppError::internal("refund to a missing account"))?;
    }
    store::insert_event(&mut tx, id, Some(status), OrderStatus::Cancelled, Some(user_id), "").await?;
    tx.commit().await?;
    load(db, id, user_id).await?.ok_or_else(AppError::not_found)
}
