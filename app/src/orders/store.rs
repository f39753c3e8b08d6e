//! Orders SQL. Stock moves with single conditional statements; the caller holds the write
//! transaction that makes an order all-or-nothing.
use super::model::{OrderEvent, OrderItem, OrderStatus};
use crate::shared::time::{now_ms, rfc3339};
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// A product as an order prices it: the catalog's current price, never the client's.
#[derive(Clone, Debug, FromRow)]
pub struct PricedProduct {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub price_fen: i64,
}

/// `$first, $first+1, …` for an `in (…)` list of `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The active products among `ids` that `store_id`'s chain sells.
pub async fn priced_products(conn: &mut AnyConnection, store_id: i64, ids: &[i64]) -> Result<Vec<PricedProduct>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select p.id, p.name, p.unit, p.price_fen from products p
         join stores st on st.id = $1 and st.chain_id = p.chain_id
         where p.active = $2 and p.id in ({})",
        placeholders(3, ids.len())
    );
    let mut q = sqlx::query_as::<_, PricedProduct>(&sql).bind(store_id).bind(true);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

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

/// Whether an open order at the store already shows this pickup code.
pub async fn code_in_use(conn: &mut AnyConnection, store_id: i64, code: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select id from orders where store_id = $1 and pickup_code = $2 and status not in ('completed', 'cancelled', 'no_show')",
    )
    .bind(store_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
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
    pub pickup_code: &'a str,
}

pub async fn insert_order(conn: &mut AnyConnection, o: &NewOrder<'_>) -> Result<i64, AppError> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "insert into orders (store_id, user_id, status, fulfillment, pickup_date, window_from, window_until, address,
            lat, lng, distance_m, payment, goods_fen, discount_fen, delivery_fee_fen, total_fen, note, pickup_code,
            created_at_ms, updated_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
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
    .bind(o.pickup_code)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
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
    sqlx::query("insert into order_items (order_id, product_id, name, unit, price_fen, qty) values ($1, $2, $3, $4, $5, $6)")
        .bind(order_id)
        .bind(p.id)
        .bind(&p.name)
        .bind(&p.unit)
        .bind(p.price_fen)
        .bind(qty)
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
    pub store_name: String,
    pub store_address: String,
    pub store_phone: String,
}

const ORDER_SELECT: &str = "select o.id, o.number, o.store_id, o.user_id, o.status, o.fulfillment, o.pickup_date, o.window_from,
        o.window_until, o.address, o.lat, o.lng, o.distance_m, o.payment, o.paid_fen, o.goods_fen, o.discount_fen,
        o.delivery_fee_fen, o.total_fen, o.note, o.pickup_code, o.created_at_ms,
        s.name as store_name, s.address as store_address, s.phone as store_phone
     from orders o join stores s on s.id = o.store_id";

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
        sqlx::query_as("select to_status, at_ms, reason from order_events where order_id = $1 order by id")
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
