//! Orders SQL. Stock moves with single conditional statements; the caller holds the write
//! transaction that makes an order all-or-nothing.
use super::model::{OrderEvent, OrderItem, OrderStatus};
use crate::server::db::placeholders;
use crate::shared::time::{now_ms, rfc3339};
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

pub use crate::catalog::{priced_products, PricedProduct};

/// Moves a product's reservation at a store by `delta`: positive reserves (only if that many
/// are available), negative gives back (only what is reserved). One conditional statement,
/// so two buyers can never both take the last unit. False when the condition fails.
pub async fn adjust_reserved(conn: &mut AnyConnection, store_id: i64, product_id: i64, delta: i64) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update stock set reserved = reserved + $3, updated_at_ms = $4
         where store_id = $1 and product_id = $2 and reserved + $3 >= 0 and reserved + $3 <= on_hand",
    )
    .bind(store_id)
    .bind(product_id)
    .bind(delta)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// An order as it is written.
pub struct NewOrder<'a> {
    pub store_id: i64,
    pub user_id: i64,
    pub status: OrderStatus,
    pub delivery: bool,
    pub pickup_date: Option<&'a str>,
    pub window_from: Option<String>,
    pub window_until: Option<String>,
    pub address: Option<&'a str>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub distance_m: Option<i64>,
    pub payment: &'a str,
    pub goods_fen: i64,
    pub discount_fen: i64,
    pub delivery_fee_fen: i64,
    pub total_fen: i64,
    pub note: &'a str,
    /// The group buy a join belongs to.
    pub group_buy_id: Option<i64>,
    /// The live session a live order was bought in.
    pub live_session_id: Option<i64>,
}

/// Writes the order with `pickup_code`; `None` (nothing written) if an open order of the store
/// already shows that code. `on conflict do nothing` rather than a look first: two orders
/// drawing the same code at once on PostgreSQL would otherwise meet the unique index as an error.
pub async fn insert_order(conn: &mut AnyConnection, o: &NewOrder<'_>, pickup_code: &str) -> Result<Option<i64>, AppError> {
    let now = now_ms();
    let row: Option<(i64,)> = sqlx::query_as(
        "insert into orders (store_id, user_id, status, fulfillment, pickup_date, window_from, window_until, address,
            lat, lng, distance_m, payment, goods_fen, discount_fen, delivery_fee_fen, total_fen, note, pickup_code,
            created_at_ms, updated_at_ms, group_buy_id, live_session_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20, $21)
         on conflict do nothing
         returning id",
    )
    .bind(o.store_id)
    .bind(o.user_id)
    .bind(o.status.as_str())
    .bind(if o.delivery { "delivery" } else { "pickup" })
    .bind(o.pickup_date)
    .bind(o.window_from.as_deref())
    .bind(o.window_until.as_deref())
    .bind(o.address)
    .bind(o.lat)
    .bind(o.lng)
    .bind(o.distance_m)
    .bind(o.payment)
    .bind(o.goods_fen)
    .bind(o.discount_fen)
    .bind(o.delivery_fee_fen)
    .bind(o.total_fen)
    .bind(o.note)
    .bind(pickup_code)
    .bind(now)
    .bind(o.group_buy_id)
    .bind(o.live_session_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Sets the order number and the wallet payment once they are known (both depend on the id).
pub async fn finish_insert(conn: &mut AnyConnection, id: i64, number: &str, paid_fen: i64) -> Result<(), AppError> {
    sqlx::query("update orders set number = $2, paid_fen = $3 where id = $1")
        .bind(id)
        .bind(number)
        .bind(paid_fen)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert_item(conn: &mut AnyConnection, order_id: i64, p: &PricedProduct, qty: i64) -> Result<(), AppError> {
    sqlx::query(
        "insert into order_items (order_id, product_id, name, unit, price_fen, qty, regular_price_fen) values ($1, $2, $3, $4, $5, $6, $7)",
    )
        .bind(order_id)
        .bind(p.id)
        .bind(&p.name)
        .bind(&p.unit)
        .bind(p.price_fen)
        .bind(qty)
        .bind(p.regular_price_fen)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records what the order holds on the shelf (one row per stock row).
pub async fn insert_reservation(conn: &mut AnyConnection, order_id: i64, product_id: i64, qty: i64) -> Result<(), AppError> {
    sqlx::query("insert into order_reservations (order_id, product_id, qty) values ($1, $2, $3)")
        .bind(order_id)
        .bind(product_id)
        .bind(qty)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What the order holds on the shelf: (product id, units).
pub async fn reservations(conn: &mut AnyConnection, order_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("select product_id, qty from order_reservations where order_id = $1 order by product_id")
        .bind(order_id)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn insert_event(
    conn: &mut AnyConnection,
    order_id: i64,
    from: Option<OrderStatus>,
    to: OrderStatus,
    by_user_id: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    sqlx::query("insert into order_events (order_id, from_status, to_status, by_user_id, reason, at_ms) values ($1, $2, $3, $4, $5, $6)")
        .bind(order_id)
        .bind(from.map(OrderStatus::as_str))
        .bind(to.as_str())
        .bind(by_user_id)
        .bind(reason)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves an order from `from` to `to` only if it is still in `from` (a compare-and-set: of two
/// racing changes, one wins and the other sees false).
pub async fn set_status(conn: &mut AnyConnection, id: i64, from: OrderStatus, to: OrderStatus) -> Result<bool, AppError> {
    let r = sqlx::query("update orders set status = $3, updated_at_ms = $4 where id = $1 and status = $2")
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Clone, Debug, FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: Option<String>,
    pub store_id: i64,
    pub user_id: i64,
    pub status: String,
    pub fulfillment: String,
    pub pickup_date: Option<String>,
    pub window_from: Option<String>,
    pub window_until: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub distance_m: Option<i64>,
    pub payment: String,
    pub paid_fen: i64,
    pub goods_fen: i64,
    pub discount_fen: i64,
    pub delivery_fee_fen: i64,
    pub total_fen: i64,
    pub note: String,
    pub pickup_code: String,
    pub created_at_ms: i64,
    pub shelf_slot: Option<String>,
    pub rider_id: Option<i64>,
    pub stock_outcome: Option<String>,
    pub store_name: String,
    pub store_address: String,
    pub store_phone: String,
    pub store_opens_at: String,
    pub store_closes_at: String,
    pub user_name: String,
    pub user_phone: String,
    pub group_buy_id: Option<i64>,
}

const ORDER_SELECT: &str = "select o.id, o.number, o.store_id, o.user_id, o.status, o.fulfillment, o.pickup_date, o.window_from,
        o.window_until, o.address, o.lat, o.lng, o.distance_m, o.payment, o.paid_fen, o.goods_fen, o.discount_fen,
        o.delivery_fee_fen, o.total_fen, o.note, o.pickup_code, o.created_at_ms, o.shelf_slot, o.rider_id, o.stock_outcome,
        s.name as store_name, s.address as store_address, s.phone as store_phone,
        s.opens_at as store_opens_at, s.closes_at as store_closes_at, u.name as user_name, u.phone as user_phone,
        o.group_buy_id
     from orders o join stores s on s.id = o.store_id join users u on u.id = o.user_id";

/// Any order, whoever's it is: the caller decides who may see it.
pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<OrderRow>, AppError> {
    Ok(sqlx::query_as(&format!("{ORDER_SELECT} where o.id = $1")).bind(id).fetch_optional(&mut *conn).await?)
}

/// The open order at a store showing `code`, if any.
pub async fn find_open_by_code(conn: &mut AnyConnection, store_id: i64, code: &str) -> Result<Option<OrderRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{ORDER_SELECT} where o.store_id = $1 and o.pickup_code = $2 and o.status not in ('completed', 'cancelled', 'no_show')"
    ))
    .bind(store_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Queue filters: status (or every open one), fulfilment, pickup day.
#[derive(Default)]
pub struct QueueFilter<'a> {
    pub status: Option<&'a str>,
    pub fulfillment: Option<&'a str>,
    pub pickup_date: Option<&'a str>,
    /// Only ready pickup orders of a resident whose phone ends so (the desk's 尾号 search).
    pub phone_tail: Option<&'a str>,
}

/// A store's orders for the queue, oldest first (first come, first served), at most `limit`.
/// Without a status: every open order plus no-shows still waiting for a stock decision.
pub async fn queue(pool: &AnyPool, store_id: i64, f: &QueueFilter<'_>, limit: i64) -> Result<Vec<OrderRow>, AppError> {
    // Optional filters as `($n = '' or column = $n)`, so one statement serves every combination.
    Ok(sqlx::query_as(&format!(
        "{ORDER_SELECT} where o.store_id = $1
            and (($2 = '' and (o.status not in ('completed', 'cancelled', 'no_show') or (o.status = 'no_show' and o.stock_outcome is null)))
                 or o.status = $2)
            and ($3 = '' or o.fulfillment = $3)
            and ($4 = '' or o.pickup_date = $4)
            and ($5 = '' or u.phone like $6)
         order by o.id limit $7"
    ))
    .bind(store_id)
    .bind(f.status.unwrap_or(""))
    .bind(f.fulfillment.unwrap_or(""))
    .bind(f.pickup_date.unwrap_or(""))
    .bind(f.phone_tail.unwrap_or(""))
    .bind(format!("%{}", f.phone_tail.unwrap_or("")))
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The items of several orders: (order id, item).
pub async fn items_of(pool: &AnyPool, order_ids: &[i64]) -> Result<Vec<(i64, OrderItem)>, AppError> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select order_id, product_id, name, unit, price_fen, qty from order_items where order_id in ({}) order by order_id, product_id",
        placeholders(1, order_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, String, String, i64, i64)>(&sql);
    for id in order_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|(o, product_id, name, unit, price_fen, qty)| (o, OrderItem { product_id, name, unit, price_fen, qty, line_fen: price_fen * qty }))
        .collect())
}

/// The day's pick list: units per product over the store's orders for `pickup_date` (pickup
/// orders that day, and delivery orders placed that day) that still have to be picked.
pub async fn pick_list(pool: &AnyPool, store_id: i64, pickup_date: &str, day_start_ms: i64, day_end_ms: i64) -> Result<Vec<PickRow>, AppError> {
    Ok(sqlx::query_as(
        "select i.product_id, i.name, i.unit, sum(i.qty) as qty, count(distinct o.id) as orders
         from order_items i join orders o on o.id = i.order_id
         where o.store_id = $1 and o.status in ('placed', 'accepted', 'picking')
           and ((o.fulfillment = 'pickup' and o.pickup_date = $2)
                or (o.fulfillment = 'delivery' and o.created_at_ms >= $3 and o.created_at_ms < $4))
         group by i.product_id, i.name, i.unit
         order by i.name",
    )
    .bind(store_id)
    .bind(pickup_date)
    .bind(day_start_ms)
    .bind(day_end_ms)
    .fetch_all(pool)
    .await?)
}

#[derive(FromRow)]
pub struct PickRow {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub qty: i64,
    pub orders: i64,
}

/// Ready pickup orders on or before `today` ("YYYY-MM-DD"), every store: no-show candidates.
pub async fn ready_pickups_until(pool: &AnyPool, today: &str) -> Result<Vec<(i64, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select id, pickup_date, window_until from orders
         where status = 'ready' and fulfillment = 'pickup' and pickup_date <= $1 order by id",
    )
    .bind(today)
    .fetch_all(pool)
    .await?)
}

/// Ready delivery orders of the stores a rider serves, and those the rider carries now.
pub async fn for_rider(pool: &AnyPool, store_ids: &[i64], rider_id: i64) -> Result<Vec<OrderRow>, AppError> {
    if store_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{ORDER_SELECT} where o.fulfillment = 'delivery' and o.store_id in ({})
            and (o.status = 'ready' or (o.status = 'out_for_delivery' and o.rider_id = $1))
         order by o.id limit 100",
        placeholders(2, store_ids.len())
    );
    let mut q = sqlx::query_as::<_, OrderRow>(&sql).bind(rider_id);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?)
}

/// Records what became of the order's reserved units, once: false if it was already decided.
pub async fn settle_stock(conn: &mut AnyConnection, id: i64, outcome: &str) -> Result<bool, AppError> {
    let r = sqlx::query("update orders set stock_outcome = $2 where id = $1 and stock_outcome is null")
        .bind(id)
        .bind(outcome)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Gives a ready pickup order the first free shelf slot at its store. The store's row is
/// touched first: on PostgreSQL that locks it until commit, so two staff shelving at once
/// take turns instead of both picking the same free slot.
pub async fn take_shelf_slot(conn: &mut AnyConnection, store_id: i64, order_id: i64) -> Result<String, AppError> {
    sqlx::query("update stores set shelf_seq = shelf_seq + 1 where id = $1").bind(store_id).execute(&mut *conn).await?;
    let taken: Vec<(String,)> =
        sqlx::query_as("select shelf_slot from orders where store_id = $1 and status = 'ready' and shelf_slot is not null and id <> $2")
            .bind(store_id)
            .bind(order_id)
            .fetch_all(&mut *conn)
            .await?;
    let taken: Vec<String> = taken.into_iter().map(|t| t.0).collect();
    let slot = super::lifecycle::free_slot(&taken);
    sqlx::query("update orders set shelf_slot = $2 where id = $1").bind(order_id).bind(&slot).execute(&mut *conn).await?;
    Ok(slot)
}

pub async fn set_rider(conn: &mut AnyConnection, id: i64, rider_id: i64) -> Result<(), AppError> {
    sqlx::query("update orders set rider_id = $2 where id = $1").bind(id).bind(rider_id).execute(&mut *conn).await?;
    Ok(())
}

/// When the order went into `status` (the latest such event), in unix ms.
pub async fn entered_at(conn: &mut AnyConnection, order_id: i64, status: &str) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("select at_ms from order_events where order_id = $1 and to_status = $2 order by id desc limit 1")
            .bind(order_id)
            .bind(status)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|r| r.0))
}

pub async fn insert_notification(conn: &mut AnyConnection, user_id: i64, order_id: i64, kind: &str) -> Result<(), AppError> {
    sqlx::query("insert into notifications (user_id, order_id, kind, created_at_ms) values ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(order_id)
        .bind(kind)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub order_id: Option<i64>,
    pub kind: String,
    pub created_at_ms: i64,
    pub read_at_ms: Option<i64>,
    pub number: Option<String>,
    pub fulfillment: Option<String>,
    pub live_session_id: Option<i64>,
    pub live_title: Option<String>,
    pub group_buy_id: Option<i64>,
    pub group_buy_title: Option<String>,
    pub community_post_id: Option<i64>,
    pub post_body: Option<String>,
}

/// A resident's latest notifications, newest first (an announcement the store has since
/// hidden is left out).
pub async fn notifications(pool: &AnyPool, user_id: i64, limit: i64) -> Result<Vec<NotificationRow>, AppError> {
    Ok(sqlx::query_as(
        "select n.id, n.order_id, n.kind, n.created_at_ms, n.read_at_ms, o.number, o.fulfillment, n.live_session_id, l.title as live_title,
            n.group_buy_id, g.title as group_buy_title, n.community_post_id, p.body as post_body
         from notifications n left join orders o on o.id = n.order_id left join live_sessions l on l.id = n.live_session_id
            left join group_buys g on g.id = n.group_buy_id left join community_posts p on p.id = n.community_post_id
         where n.user_id = $1 and p.hidden_at_ms is null order by n.id desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

pub async fn unread_notifications(pool: &AnyPool, user_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from notifications where user_id = $1 and read_at_ms is null")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

pub async fn mark_notifications_read(pool: &AnyPool, user_id: i64) -> Result<(), AppError> {
    sqlx::query("update notifications set read_at_ms = $2 where user_id = $1 and read_at_ms is null")
        .bind(user_id)
        .bind(now_ms())
        .execute(pool)
        .await?;
    Ok(())
}

/// The order, if it belongs to `user_id` (someone else's order is simply not found).
pub async fn find_for_user(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<Option<OrderRow>, AppError> {
    Ok(sqlx::query_as(&format!("{ORDER_SELECT} where o.id = $1 and o.user_id = $2"))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn items(conn: &mut AnyConnection, order_id: i64) -> Result<Vec<OrderItem>, AppError> {
    let rows: Vec<(i64, String, String, i64, i64)> =
        sqlx::query_as("select product_id, name, unit, price_fen, qty from order_items where order_id = $1 order by product_id")
            .bind(order_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, name, unit, price_fen, qty)| OrderItem { product_id, name, unit, price_fen, qty, line_fen: price_fen * qty })
        .collect())
}

pub async fn events(conn: &mut AnyConnection, order_id: i64) -> Result<Vec<OrderEvent>, AppError> {
    let rows: Vec<(String, i64, String)> =
        // A no-show's stock decision (from = to) is the store's business, not the resident's.
        sqlx::query_as("select to_status, at_ms, reason from order_events where order_id = $1 and (from_status is null or from_status <> to_status) order by id")
            .bind(order_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, at, reason)| Some(OrderEvent { status: OrderStatus::parse(&s)?, at: rfc3339(at), reason }))
        .collect())
}

#[derive(FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub number: Option<String>,
    pub status: String,
    pub store_name: String,
    pub fulfillment: String,
    pub total_fen: i64,
    pub pickup_date: Option<String>,
    pub created_at_ms: i64,
    pub item_count: i64,
}

/// A resident's orders, newest first.
pub async fn list_for_user(pool: &AnyPool, user_id: i64, limit: i64) -> Result<Vec<SummaryRow>, AppError> {
    Ok(sqlx::query_as(
        "select o.id, o.number, o.status, s.name as store_name, o.fulfillment, o.total_fen, o.pickup_date, o.created_at_ms,
            (select coalesce(sum(i.qty), 0) from order_items i where i.order_id = o.id) as item_count
         from orders o join stores s on s.id = o.store_id
         where o.user_id = $1 order by o.id desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The first `per_order` item names of each order, for the list page.
pub async fn first_item_names(pool: &AnyPool, order_ids: &[i64]) -> Result<Vec<(i64, String)>, AppError> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select order_id, name from order_items where order_id in ({}) order by order_id, product_id",
        placeholders(1, order_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
    for id in order_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?)
}

/// Whether a resident has ever ordered at a store.
pub async fn has_ordered_at(pool: &AnyPool, user_id: i64, store_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select id from orders where user_id = $1 and store_id = $2 limit 1")
        .bind(user_id)
        .bind(store_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

/// Where the resident last had an order from this store delivered: (address, lat, lng).
pub async fn last_delivery(conn: &mut AnyConnection, user_id: i64, store_id: i64) -> Result<Option<(String, f64, f64)>, AppError> {
    Ok(sqlx::query_as(
        "select address, lat, lng from orders where user_id = $1 and store_id = $2 and fulfillment = 'delivery'
            and address is not null and lat is not null and lng is not null order by id desc limit 1",
    )
    .bind(user_id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Whether the resident has had this product from the store: an order of it handed over or
/// delivered, or a till sale paid from their wallet (晒单 shows 已购 only for these).
pub async fn has_received(conn: &mut AnyConnection, store_id: i64, user_id: i64, product_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select 1 from orders o join order_items i on i.order_id = o.id
         where o.store_id = $1 and o.user_id = $2 and i.product_id = $3 and o.status = 'completed'
         union all
         select 1 from counter_sales s join counter_sale_lines l on l.sale_id = s.id
         where s.store_id = $1 and s.customer_id = $2 and l.product_id = $3
         limit 1",
    )
    .bind(store_id)
    .bind(user_id)
    .bind(product_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// Products the resident has had from the store in handed-over orders, the latest first:
/// (product id, name as sold) — what they can show off (晒单).
pub async fn received_products(conn: &mut AnyConnection, store_id: i64, user_id: i64, limit: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "select i.product_id, min(i.name) from orders o join order_items i on i.order_id = o.id
         where o.store_id = $1 and o.user_id = $2 and o.status = 'completed'
         group by i.product_id order by max(o.id) desc limit $3",
    )
    .bind(store_id)
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}
