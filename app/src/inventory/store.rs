//! Stock SQL. Every change of on-hand is one conditional statement followed, in the same
//! transaction, by its ledger row carrying what that statement left on hand — so the ledger
//! of a product at a store always sums to its on-hand count.
use super::model::{ReceiptLine, SaleSummary, StockMovement, StockReason, TillPayment};
use crate::shared::time::{now_ms, rfc3339};
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// One change of a store's on-hand count, as the ledger records it.
#[derive(Clone, Copy, Debug)]
pub struct Move<'a> {
    pub store_id: i64,
    pub product_id: i64,
    /// Positive adds to the shelf, negative takes away.
    pub delta: i64,
    pub reason: StockReason,
    pub note: &'a str,
    /// Staff who booked it; `None` when the system did (an order handed over at the desk
    /// is booked under the staff member who did it — see orders::flow).
    pub by_user_id: Option<i64>,
    pub order_id: Option<i64>,
    pub sale_id: Option<i64>,
}

/// The stock row after a movement and the ledger row written for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub on_hand: i64,
    pub reserved: i64,
    pub movement_id: i64,
}

/// Applies `m` unless it would take the shelf below what online orders hold (reserved) —
/// which also keeps it from going below zero. Adding creates the stock row if the store has
/// never stocked the product. `None` (nothing written) when the stock is not there.
/// Must run inside a write transaction.
pub async fn apply(conn: &mut AnyConnection, m: &Move<'_>) -> Result<Option<Moved>, AppError> {
    let now = now_ms();
    let row: Option<(i64, i64)> = if m.delta > 0 {
        insert_stock(conn, m, now, "do update set on_hand = stock.on_hand + excluded.on_hand, updated_at_ms = excluded.updated_at_ms").await?
    } else {
        sqlx::query_as(
            "update stock set on_hand = on_hand + $3, updated_at_ms = $4
             where store_id = $1 and product_id = $2 and on_hand + $3 >= reserved
             returning on_hand, reserved",
        )
        .bind(m.store_id)
        .bind(m.product_id)
        .bind(m.delta)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    };
    let Some((on_hand, reserved)) = row else { return Ok(None) };
    let movement_id = record(conn, m, on_hand, now).await?;
    Ok(Some(Moved { on_hand, reserved, movement_id }))
}

/// A count: the shelf holds `counted`, and the books said `seen` when the count began. The
/// books follow only if nothing moved in between (compare-and-set on on-hand) and the count
/// still covers what online orders hold. `None` when either fails.
pub async fn apply_count(
    conn: &mut AnyConnection,
    m: &Move<'_>,
    seen: i64,
) -> Result<Option<Moved>, AppError> {
    let now = now_ms();
    let row: Option<(i64, i64)> = sqlx::query_as(
        "update stock set on_hand = on_hand + $3, updated_at_ms = $4
         where store_id = $1 and product_id = $2 and on_hand = $5 and on_hand + $3 >= reserved
         returning on_hand, reserved",
    )
    .bind(m.store_id)
    .bind(m.product_id)
    .bind(m.delta)
    .bind(now)
    .bind(seen)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((on_hand, reserved)) = row else { return Ok(None) };
    let movement_id = record(conn, m, on_hand, now).await?;
    Ok(Some(Moved { on_hand, reserved, movement_id }))
}

/// Inserts the stock row for `m.delta` units; `on_conflict` says what an existing row does.
/// `(on hand, reserved)` of the row written, `None` when nothing was.
async fn insert_stock(conn: &mut AnyConnection, m: &Move<'_>, now: i64, on_conflict: &str) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(&format!(
        "insert into stock (store_id, product_id, on_hand, reserved, updated_at_ms) values ($1, $2, $3, 0, $4)
         on conflict (store_id, product_id) {on_conflict}
         returning on_hand, reserved"
    ))
    .bind(m.store_id)
    .bind(m.product_id)
    .bind(m.delta)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

/// 进货 of a group buy's goods: on hand and held rise together (its orders hold them, so the
/// till and the storefront cannot sell them), with a ledger row naming the campaign — at most
/// one per campaign, store and product (a unique index), so goods are never booked in twice.
pub async fn receive_held(conn: &mut AnyConnection, m: &Move<'_>, group_buy_id: i64) -> Result<Moved, AppError> {
    let moved = add_held(conn, m).await?;
    sqlx::query("update stock_movements set group_buy_id = $2 where id = $1").bind(moved.movement_id).bind(group_buy_id).execute(&mut *conn).await?;
    Ok(moved)
}

/// Units that arrive already held for orders: on hand and reserved both go up by `m.delta`,
/// with its ledger row.
pub async fn add_held(conn: &mut AnyConnection, m: &Move<'_>) -> Result<Moved, AppError> {
    let now = now_ms();
    let (on_hand, reserved): (i64, i64) = sqlx::query_as(
        "insert into stock (store_id, product_id, on_hand, reserved, updated_at_ms) values ($1, $2, $3, $3, $4)
         on conflict (store_id, product_id) do update set on_hand = stock.on_hand + excluded.on_hand,
            reserved = stock.reserved + excluded.reserved, updated_at_ms = excluded.updated_at_ms
         returning on_hand, reserved",
    )
    .bind(m.store_id)
    .bind(m.product_id)
    .bind(m.delta)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let movement_id = record(conn, m, on_hand, now).await?;
    Ok(Moved { on_hand, reserved, movement_id })
}

/// Names the live session a ledger row moved units for (set aside, ordered, returned).
pub async fn tag_live_session(conn: &mut AnyConnection, movement_id: i64, live_session_id: i64) -> Result<(), AppError> {
    sqlx::query("update stock_movements set live_session_id = $2 where id = $1").bind(movement_id).bind(live_session_id).execute(&mut *conn).await?;
    Ok(())
}

/// A count of a product the store has never stocked: creates its stock row with the counted
/// units, only if no row appeared meanwhile (a concurrent count or delivery) — `None` then,
/// and nothing written.
pub async fn open_counted(conn: &mut AnyConnection, m: &Move<'_>) -> Result<Option<Moved>, AppError> {
    let now = now_ms();
    let Some((on_hand, reserved)) = insert_stock(conn, m, now, "do nothing").await? else { return Ok(None) };
    let movement_id = record(conn, m, on_hand, now).await?;
    Ok(Some(Moved { on_hand, reserved, movement_id }))
}

/// Takes an order's reserved units off the shelf for good (handed over, delivered, written
/// off): on hand and reserved both go down, only if that many are reserved. False when they
/// are not (nothing written).
pub async fn consume_reserved(conn: &mut AnyConnection, m: &Move<'_>) -> Result<bool, AppError> {
    let now = now_ms();
    let qty = -m.delta;
    let row: Option<(i64,)> = sqlx::query_as(
        "update stock set on_hand = on_hand - $3, reserved = reserved - $3, updated_at_ms = $4
         where store_id = $1 and product_id = $2 and reserved >= $3 and on_hand >= $3
         returning on_hand",
    )
    .bind(m.store_id)
    .bind(m.product_id)
    .bind(qty)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((on_hand,)) = row else { return Ok(false) };
    record(conn, m, on_hand, now).await?;
    Ok(true)
}

async fn record(conn: &mut AnyConnection, m: &Move<'_>, on_hand_after: i64, at: i64) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into stock_movements (store_id, product_id, delta, on_hand_after, reason, note, by_user_id, order_id, sale_id, created_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(m.store_id)
    .bind(m.product_id)
    .bind(m.delta)
    .bind(on_hand_after)
    .bind(m.reason.as_str())
    .bind(m.note)
    .bind(m.by_user_id)
    .bind(m.order_id)
    .bind(m.sale_id)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// (on hand, reserved) of a product at a store; `None` if the store never stocked it.
pub async fn level(conn: &mut AnyConnection, store_id: i64, product_id: i64) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("select on_hand, reserved from stock where store_id = $1 and product_id = $2")
        .bind(store_id)
        .bind(product_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// A product's row on the stock page.
#[derive(FromRow)]
pub struct LevelRow {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub low_at: Option<i64>,
}

/// Every active product of the store's chain that has a shelf of its own (bundles do not),
/// with its stock there (zeros where the store never stocked it), in category order.
pub async fn levels(pool: &AnyPool, store_id: i64, category_zh: bool) -> Result<Vec<LevelRow>, AppError> {
    let name = if category_zh { "c.name_zh" } else { "c.name_en" };
    Ok(sqlx::query_as(&format!(
        "select p.id as product_id, p.name, p.unit, {name} as category,
                coalesce(s.on_hand, 0) as on_hand, coalesce(s.reserved, 0) as reserved, s.low_at
         from products p
         join categories c on c.id = p.category_id
         join stores st on st.id = $1 and st.chain_id = p.chain_id
         left join stock s on s.store_id = $1 and s.product_id = p.id
         where p.active = $2 and not exists (select 1 from bundle_items b where b.bundle_id = p.id)
         order by c.sort, p.id"
    ))
    .bind(store_id)
    .bind(true)
    .fetch_all(pool)
    .await?)
}

/// Sets (or with `None`, clears back to the default) a product's alert level at a store.
pub async fn set_low_at(pool: &AnyPool, store_id: i64, product_id: i64, low_at: Option<i64>) -> Result<(), AppError> {
    sqlx::query(
        "insert into stock (store_id, product_id, on_hand, reserved, updated_at_ms, low_at) values ($1, $2, 0, 0, $3, $4)
         on conflict (store_id, product_id) do update set low_at = excluded.low_at",
    )
    .bind(store_id)
    .bind(product_id)
    .bind(now_ms())
    .bind(low_at)
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct MovementRow {
    id: i64,
    created_at_ms: i64,
    product_id: i64,
    product: String,
    delta: i64,
    on_hand_after: i64,
    reason: String,
    note: String,
    by_name: Option<String>,
    order_id: Option<i64>,
    sale_id: Option<i64>,
}

/// The store's ledger, newest first (one product's when `product_id` is given).
pub async fn movements(pool: &AnyPool, store_id: i64, product_id: Option<i64>, limit: i64) -> Result<Vec<StockMovement>, AppError> {
    let rows: Vec<MovementRow> = sqlx::query_as(
        "select m.id, m.created_at_ms, m.product_id, p.name as product, m.delta, m.on_hand_after, m.reason, m.note,
                u.name as by_name, m.order_id, m.sale_id
         from stock_movements m
         join products p on p.id = m.product_id
         left join users u on u.id = m.by_user_id
         where m.store_id = $1 and ($2 is null or m.product_id = $2)
         order by m.id desc limit $3",
    )
    .bind(store_id)
    .bind(product_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(StockMovement {
                id: r.id,
                at: rfc3339(r.created_at_ms),
                product_id: r.product_id,
                product: r.product,
                delta: r.delta,
                on_hand_after: r.on_hand_after,
                reason: StockReason::parse(&r.reason)?,
                note: r.note,
                by: r.by_name,
                order_id: r.order_id,
                sale_id: r.sale_id,
            })
        })
        .collect())
}

/// A till sale as written.
pub struct NewSale {
    pub store_id: i64,
    pub by_user_id: i64,
    pub customer_id: Option<i64>,
    pub payment: TillPayment,
    pub total_fen: i64,
    pub cash_received_fen: Option<i64>,
}

pub async fn insert_sale(conn: &mut AnyConnection, s: &NewSale) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into counter_sales (store_id, by_user_id, customer_id, payment, total_fen, created_at_ms, cash_received_fen)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(s.store_id)
    .bind(s.by_user_id)
    .bind(s.customer_id)
    .bind(s.payment.as_str())
    .bind(s.total_fen)
    .bind(now_ms())
    .bind(s.cash_received_fen)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn insert_sale_line(conn: &mut AnyConnection, sale_id: i64, line: &ReceiptLine) -> Result<(), AppError> {
    sqlx::query(
        "insert into counter_sale_lines (sale_id, product_id, name, unit, qty, price_fen, regular_price_fen) values ($1, $2, $3, $4, $5, $6, $7)",
    )
        .bind(sale_id)
        .bind(line.product_id)
        .bind(&line.name)
        .bind(&line.unit)
        .bind(line.qty)
        .bind(line.price_fen)
        .bind(line.regular_price_fen)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A sale's head as stored, with the names the receipt prints.
#[derive(FromRow)]
pub struct SaleRow {
    pub id: i64,
    pub store_id: i64,
    pub store_name: String,
    pub cashier: String,
    pub customer_name: Option<String>,
    /// The member a wallet sale was paid by.
    pub customer_id: Option<i64>,
    pub payment: String,
    pub total_fen: i64,
    pub created_at_ms: i64,
    /// The wallet balance the payment left, for a wallet sale.
    pub wallet_after_fen: Option<i64>,
    pub cash_received_fen: Option<i64>,
}

pub async fn sale(pool: &AnyPool, id: i64) -> Result<Option<SaleRow>, AppError> {
    Ok(sqlx::query_as(
        "select s.id, s.store_id, st.name as store_name, u.name as cashier, c.name as customer_name, s.customer_id, s.payment, s.total_fen,
                s.created_at_ms, s.cash_received_fen, (select e.balance_after_fen from wallet_entries e where e.sale_id = s.id and e.kind = 'payment') as wallet_after_fen
         from counter_sales s
         join stores st on st.id = s.store_id
         join users u on u.id = s.by_user_id
         left join users c on c.id = s.customer_id
         where s.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn sale_lines(pool: &AnyPool, sale_id: i64) -> Result<Vec<ReceiptLine>, AppError> {
    let rows: Vec<(i64, String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "select product_id, name, unit, qty, price_fen, regular_price_fen from counter_sale_lines where sale_id = $1 order by product_id",
    )
    .bind(sale_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, name, unit, qty, price_fen, regular_price_fen)| ReceiptLine { product_id, name, unit, qty, price_fen, regular_price_fen })
        .collect())
}

/// The store's latest sales, newest first.
pub async fn recent_sales(pool: &AnyPool, store_id: i64, limit: i64) -> Result<Vec<SaleSummary>, AppError> {
    let rows: Vec<(i64, i64, i64, String, i64, Option<i64>)> = sqlx::query_as(
        "select s.id, s.created_at_ms, s.total_fen, s.payment, coalesce((select sum(l.qty) from counter_sale_lines l where l.sale_id = s.id), 0),
                (select r.amount_fen from counter_refunds r where r.sale_id = s.id)
         from counter_sales s where s.store_id = $1 order by s.id desc limit $2",
    )
    .bind(store_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, at, total_fen, payment, items, refunded_fen)| {
            Some(SaleSummary { id, at: rfc3339(at), total_fen, payment: TillPayment::parse(&payment)?, items, refunded_fen })
        })
        .collect())
}

/// A refund as written: once per sale.
pub struct NewRefund<'a> {
    pub sale_id: i64,
    pub store_id: i64,
    pub by_user_id: i64,
    pub amount_fen: i64,
    pub note: &'a str,
}

/// Writes a sale's refund; None when the sale already has one (the unique sale_id decides,
/// so two managers tapping at once refund once).
pub async fn insert_refund(conn: &mut AnyConnection, r: &NewRefund<'_>) -> Result<Option<i64>, AppError> {
    let id: Option<(i64,)> = sqlx::query_as(
        "insert into counter_refunds (sale_id, store_id, by_user_id, amount_fen, note, created_at_ms) values ($1, $2, $3, $4, $5, $6)
         on conflict (sale_id) do nothing returning id",
    )
    .bind(r.sale_id)
    .bind(r.store_id)
    .bind(r.by_user_id)
    .bind(r.amount_fen)
    .bind(r.note)
    .bind(now_ms())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(|(id,)| id))
}

pub async fn insert_refund_line(conn: &mut AnyConnection, refund_id: i64, product_id: i64, qty: i64, price_fen: i64) -> Result<(), AppError> {
    sqlx::query("insert into counter_refund_lines (refund_id, product_id, qty, price_fen) values ($1, $2, $3, $4)")
        .bind(refund_id)
        .bind(product_id)
        .bind(qty)
        .bind(price_fen)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What a sale took off the shelf, per stock product (a bundle's parts, as they were then).
pub async fn sale_takes(conn: &mut AnyConnection, sale_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select product_id, cast(-sum(delta) as bigint) from stock_movements where sale_id = $1 and reason = 'counter_sale'
         group by product_id order by product_id",
    )
    .bind(sale_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A sale's refund, for its receipt.
#[derive(FromRow)]
pub struct RefundRow {
    pub id: i64,
    pub amount_fen: i64,
    pub note: String,
    pub by_name: String,
    pub created_at_ms: i64,
    pub wallet_after_fen: Option<i64>,
}

pub async fn refund_of(pool: &AnyPool, sale_id: i64) -> Result<Option<RefundRow>, AppError> {
    Ok(sqlx::query_as(
        "select r.id, r.amount_fen, r.note, u.name as by_name, r.created_at_ms,
                (select e.balance_after_fen from wallet_entries e where e.sale_id = r.sale_id and e.kind = 'refund') as wallet_after_fen
         from counter_refunds r join users u on u.id = r.by_user_id where r.sale_id = $1",
    )
    .bind(sale_id)
    .fetch_optional(pool)
    .await?)
}

/// A refund's lines, named as the sale named them.
pub async fn refund_lines(pool: &AnyPool, refund_id: i64) -> Result<Vec<ReceiptLine>, AppError> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "select rl.product_id, l.name, l.unit, rl.qty, rl.price_fen
         from counter_refund_lines rl
         join counter_refunds r on r.id = rl.refund_id
         join counter_sale_lines l on l.sale_id = r.sale_id and l.product_id = rl.product_id
         where rl.refund_id = $1 order by rl.product_id",
    )
    .bind(refund_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, name, unit, qty, price_fen)| ReceiptLine { product_id, name, unit, qty, price_fen, regular_price_fen: None })
        .collect())
}

/// Products booked in (进货) at the store since `since`, in the order they first arrived.
pub async fn received_since(conn: &mut AnyConnection, store_id: i64, since: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select product_id from stock_movements where store_id = $1 and reason = 'receive' and delta > 0 and created_at_ms >= $2
         group by product_id order by min(id)",
    )
    .bind(store_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The purchase cost of a delivery, on its ledger row and as the product's latest cost at the
/// store (written in the booking's transaction).
pub async fn set_unit_cost(conn: &mut AnyConnection, store_id: i64, product_id: i64, movement_id: i64, unit_cost_fen: i64) -> Result<(), AppError> {
    sqlx::query("update stock_movements set unit_cost_fen = $1 where id = $2").bind(unit_cost_fen).bind(movement_id).execute(&mut *conn).await?;
    sqlx::query(
        "insert into product_costs (store_id, product_id, unit_cost_fen, movement_id) values ($1, $2, $3, $4)
         on conflict (store_id, product_id) do update set unit_cost_fen = excluded.unit_cost_fen, movement_id = excluded.movement_id
         where product_costs.movement_id < excluded.movement_id",
    )
    .bind(store_id)
    .bind(product_id)
    .bind(unit_cost_fen)
    .bind(movement_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
