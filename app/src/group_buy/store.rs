//! Group-buy SQL. Joins and leaves move the campaign's counters with single conditional
//! statements on the campaign row, so concurrent joins can never pass the cap or a household's
//! limit; the caller holds the write transaction that makes a join all-or-nothing.
use super::model::{GroupBuy, GroupBuyStatus, GroupStore, Joiner, MyJoin, ProductChoice, PurchaseLine, StoreTally};
use super::rules::Checked;
use crate::server::db::placeholders;
use crate::shared::time::{now_ms, rfc3339, Millis};
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Clone, Debug, FromRow)]
pub struct GroupBuyRow {
    pub id: i64,
    pub chain_id: i64,
    pub status: String,
    pub title: String,
    pub story: String,
    pub cover_url: Option<String>,
    pub product_id: i64,
    pub product_name: String,
    pub unit: String,
    pub origin: String,
    pub image_id: Option<i64>,
    pub price_fen: i64,
    pub normal_price_fen: i64,
    pub min_households: i64,
    pub households: i64,
    pub units_sold: i64,
    pub max_units: Option<i64>,
    pub per_household_limit: i64,
    pub deadline_ms: i64,
    pub deadline_extended: i64,
    pub pickup_date: String,
    pub cancel_reason: String,
    pub first_join_at_ms: Option<i64>,
    pub settled_at_ms: Option<i64>,
}

impl GroupBuyRow {
    pub fn status(&self) -> GroupBuyStatus {
        GroupBuyStatus::parse(&self.status).unwrap_or(GroupBuyStatus::Cancelled)
    }

    pub fn into_model(self, stores: Vec<GroupStore>) -> GroupBuy {
        GroupBuy {
            id: self.id,
            status: self.status(),
            image_url: self.cover_url.or_else(|| self.image_id.map(|id| format!("/media/{id}"))),
            title: self.title,
            story: self.story,
            product_id: self.product_id,
            product_name: self.product_name,
            unit: self.unit,
            origin: self.origin,
            price_fen: self.price_fen,
            normal_price_fen: self.normal_price_fen,
            min_households: self.min_households,
            households: self.households,
            units_sold: self.units_sold,
            max_units: self.max_units,
            per_household_limit: self.per_household_limit,
            deadline: rfc3339(self.deadline_ms),
            deadline_ms: self.deadline_ms,
            deadline_extended: self.deadline_extended != 0,
            pickup_date: self.pickup_date,
            stores,
            cancel_reason: self.cancel_reason,
        }
    }
}

const SELECT: &str = "select g.id, g.chain_id, g.status, g.title, g.story, g.cover_url, g.product_id, p.name as product_name,
        p.unit, p.origin, p.image_id, g.price_fen, g.normal_price_fen, g.min_households, g.households, g.units_sold,
        g.max_units, g.per_household_limit, g.deadline_ms, g.deadline_extended, g.pickup_date, g.cancel_reason,
        g.first_join_at_ms, g.settled_at_ms
     from group_buys g join products p on p.id = g.product_id";

/// An order counts towards a campaign unless its household left: orders the campaign's own
/// failure or cancellation closed still show who had joined.
const COUNTED: &str = "(o.status <> 'cancelled' or exists (select 1 from order_events e where e.order_id = o.id
        and e.to_status = 'cancelled' and e.reason in ('group_failed', 'group_cancelled')))";

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<GroupBuyRow>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT} where g.id = $1")).bind(id).fetch_optional(&mut *conn).await?)
}

/// Whether `store_id` takes part in campaign `id` (read inside the join's transaction).
pub async fn offered_at(conn: &mut AnyConnection, id: i64, store_id: i64) -> Result<bool, AppError> {
    let hit: Option<(i64,)> = sqlx::query_as("select store_id from group_buy_stores where group_buy_id = $1 and store_id = $2")
        .bind(id)
        .bind(store_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(hit.is_some())
}

/// The stores of each of `ids`: (campaign, store).
pub async fn stores_of(pool: &AnyPool, ids: &[i64]) -> Result<Vec<(i64, GroupStore)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select gs.group_buy_id, s.id, s.name, s.address from group_buy_stores gs join stores s on s.id = gs.store_id
         where gs.group_buy_id in ({}) order by s.id",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, String, String)>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?.into_iter().map(|(g, id, name, address)| (g, GroupStore { id, name, address })).collect())
}

/// Campaigns residents of a store see: open ones, soonest deadline first, then those decided in
/// the last three days.
pub async fn for_store(pool: &AnyPool, store_id: i64, now: Millis) -> Result<Vec<GroupBuyRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} where g.status in ('open', 'succeeded', 'failed', 'cancelled') and g.deadline_ms > $2
            and exists (select 1 from group_buy_stores gs where gs.group_buy_id = g.id and gs.store_id = $1)
         order by case when g.status = 'open' then 0 else 1 end, g.deadline_ms limit 50"
    ))
    .bind(store_id)
    .bind(now - 3 * 86_400_000)
    .fetch_all(pool)
    .await?)
}

/// Campaigns for the back office: at any of `store_ids` (every store: `None`), newest first.
pub async fn for_staff(pool: &AnyPool, store_ids: Option<&[i64]>) -> Result<Vec<GroupBuyRow>, AppError> {
    let rows = match store_ids {
        None => sqlx::query_as(&format!("{SELECT} order by g.id desc limit 100")).fetch_all(pool).await?,
        Some([]) => Vec::new(),
        Some(ids) => {
            let sql = format!(
                "{SELECT} where exists (select 1 from group_buy_stores gs where gs.group_buy_id = g.id and gs.store_id in ({}))
                 order by g.id desc limit 100",
                placeholders(1, ids.len())
            );
            let mut q = sqlx::query_as::<_, GroupBuyRow>(&sql);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(pool).await?
        }
    };
    Ok(rows)
}

/// A product a campaign may sell: (chain, name, unit, usual price), if active.
pub async fn product(conn: &mut AnyConnection, product_id: i64) -> Result<Option<(i64, String, String, i64)>, AppError> {
    Ok(sqlx::query_as("select chain_id, name, unit, price_fen from products where id = $1 and active = $2")
        .bind(product_id)
        .bind(true)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn products(pool: &AnyPool) -> Result<Vec<ProductChoice>, AppError> {
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("select id, name, unit, price_fen from products where active = $1 order by category_id, id")
            .bind(true)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(id, name, unit, price_fen)| ProductChoice { id, name, unit, price_fen }).collect())
}

/// The chain of each store among `ids` that is active: (store, chain).
pub async fn store_chains(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<(i64, i64)>, AppError> {
    let sql = format!("select id, chain_id from stores where active = $1 and id in ({})", placeholders(2, ids.len()));
    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql).bind(true);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

pub async fn insert(
    conn: &mut AnyConnection,
    chain_id: i64,
    product_id: i64,
    c: &Checked,
    normal_price_fen: i64,
    status: GroupBuyStatus,
    by: i64,
) -> Result<i64, AppError> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "insert into group_buys (chain_id, product_id, title, story, cover_url, price_fen, normal_price_fen, min_households,
            max_units, per_household_limit, deadline_ms, pickup_date, status, created_by, created_at_ms, updated_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
         returning id",
    )
    .bind(chain_id)
    .bind(product_id)
    .bind(&c.title)
    .bind(&c.story)
    .bind(c.cover_url.as_deref())
    .bind(c.price_fen)
    .bind(normal_price_fen)
    .bind(c.min_households)
    .bind(c.max_units)
    .bind(c.per_household_limit)
    .bind(c.deadline_ms)
    .bind(&c.pickup_date)
    .bind(status.as_str())
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    set_stores(conn, id, &c.stores).await?;
    Ok(id)
}

async fn set_stores(conn: &mut AnyConnection, id: i64, stores: &[i64]) -> Result<(), AppError> {
    sqlx::query("delete from group_buy_stores where group_buy_id = $1").bind(id).execute(&mut *conn).await?;
    for s in stores {
        sqlx::query("insert into group_buy_stores (group_buy_id, store_id) values ($1, $2)").bind(id).bind(*s).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rewrites a campaign nobody has joined yet (draft or open). False once someone has joined.
pub async fn update(conn: &mut AnyConnection, id: i64, product_id: i64, c: &Checked, normal_price_fen: i64) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update group_buys set product_id = $2, title = $3, story = $4, cover_url = $5, price_fen = $6, normal_price_fen = $7,
            min_households = $8, max_units = $9, per_household_limit = $10, deadline_ms = $11, pickup_date = $12, updated_at_ms = $13
         where id = $1 and first_join_at_ms is null and status in ('draft', 'open')",
    )
    .bind(id)
    .bind(product_id)
    .bind(&c.title)
    .bind(&c.story)
    .bind(c.cover_url.as_deref())
    .bind(c.price_fen)
    .bind(normal_price_fen)
    .bind(c.min_households)
    .bind(c.max_units)
    .bind(c.per_household_limit)
    .bind(c.deadline_ms)
    .bind(&c.pickup_date)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(false);
    }
    set_stores(conn, id, &c.stores).await?;
    Ok(true)
}

/// Draft → open, while its deadline is still ahead.
pub async fn publish(pool: &AnyPool, id: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query("update group_buys set status = 'open', updated_at_ms = $2 where id = $1 and status = 'draft' and deadline_ms > $2")
        .bind(id)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves an open campaign's deadline later, once.
pub async fn extend(pool: &AnyPool, id: i64, old_ms: Millis, new_ms: Millis, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update group_buys set deadline_ms = $3, deadline_extended = 1, updated_at_ms = $4
         where id = $1 and deadline_ms = $2 and status = 'open' and deadline_extended = 0 and deadline_ms > $4",
    )
    .bind(id)
    .bind(old_ms)
    .bind(new_ms)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Draft or open → cancelled; the deadline job then refunds every join.
pub async fn cancel(pool: &AnyPool, id: i64, reason: &str, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update group_buys set status = 'cancelled', cancel_reason = $2, decided_at_ms = $3, updated_at_ms = $3
         where id = $1 and status in ('draft', 'open')",
    )
    .bind(id)
    .bind(reason)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A join takes `qty` units: only while open and before the deadline, and only under the cap.
pub async fn take_units(conn: &mut AnyConnection, id: i64, qty: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update group_buys set units_sold = units_sold + $2, first_join_at_ms = coalesce(first_join_at_ms, $3), updated_at_ms = $3
         where id = $1 and status = 'open' and deadline_ms > $3 and (max_units is null or units_sold + $2 <= max_units)",
    )
    .bind(id)
    .bind(qty)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A leave gives `qty` units back, only while open and before the deadline.
pub async fn give_back_units(conn: &mut AnyConnection, id: i64, qty: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update group_buys set units_sold = units_sold - $2, updated_at_ms = $3
         where id = $1 and status = 'open' and deadline_ms > $3 and units_sold >= $2",
    )
    .bind(id)
    .bind(qty)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Adds `qty` to the household's units if that stays within `limit`; returns its new units, or
/// `None` when the limit would be passed.
pub async fn household_add(conn: &mut AnyConnection, id: i64, user_id: i64, qty: i64, limit: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "insert into group_buy_households (group_buy_id, user_id, units, updated_at_ms) values ($1, $2, $3, $5)
         on conflict (group_buy_id, user_id) do update set units = group_buy_households.units + excluded.units,
            updated_at_ms = excluded.updated_at_ms
         where group_buy_households.units + excluded.units <= $4
         returning units",
    )
    .bind(id)
    .bind(user_id)
    .bind(qty)
    .bind(limit)
    .bind(now_ms())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Takes `qty` from the household's units; returns what it has left.
pub async fn household_remove(conn: &mut AnyConnection, id: i64, user_id: i64, qty: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "update group_buy_households set units = units - $3, updated_at_ms = $4
         where group_buy_id = $1 and user_id = $2 and units >= $3 returning units",
    )
    .bind(id)
    .bind(user_id)
    .bind(qty)
    .bind(now_ms())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// A household arrived (its first unit) or left (its last): the count moves by one.
pub async fn count_household(conn: &mut AnyConnection, id: i64, delta: i64) -> Result<(), AppError> {
    sqlx::query("update group_buys set households = households + $2 where id = $1 and households + $2 >= 0")
        .bind(id)
        .bind(delta)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn household_units(pool: &AnyPool, id: i64, user_id: i64) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select units from group_buy_households where group_buy_id = $1 and user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map_or(0, |r| r.0))
}

/// Open campaigns whose deadline has passed: the deadline job decides them.
pub async fn due(pool: &AnyPool, now: Millis) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as("select id from group_buys where status = 'open' and deadline_ms <= $1 order by deadline_ms limit 100")
        .bind(now)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Decides an open campaign that is due, against the household count the decision was made
/// on: of two instances deciding at once, one writes and the other finds nothing to do.
pub async fn decide(conn: &mut AnyConnection, id: i64, outcome: GroupBuyStatus, households: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update group_buys set status = $2, decided_at_ms = $4, updated_at_ms = $4
         where id = $1 and status = 'open' and deadline_ms <= $4 and households = $3",
    )
    .bind(id)
    .bind(outcome.as_str())
    .bind(households)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Freezes the supplier purchase summary from the joins waiting for the group: units of each
/// product (a bundle counts as its parts) per store.
pub async fn freeze_purchases(conn: &mut AnyConnection, id: i64) -> Result<(), AppError> {
    sqlx::query(
        "insert into group_buy_purchases (group_buy_id, store_id, product_id, name, unit, units, households)
         select o.group_buy_id, o.store_id, p.id, p.name, p.unit, sum(i.qty * coalesce(b.qty, 1)), count(distinct o.user_id)
         from orders o
         join order_items i on i.order_id = o.id
         left join bundle_items b on b.bundle_id = i.product_id
         join products p on p.id = coalesce(b.product_id, i.product_id)
         where o.group_buy_id = $1 and o.status = 'awaiting_group'
         group by o.group_buy_id, o.store_id, p.id, p.name, p.unit
         on conflict do nothing",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Decided or cancelled campaigns with joins still to confirm or refund.
pub async fn unsettled(pool: &AnyPool) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select id from group_buys where status in ('succeeded', 'failed', 'cancelled') and settled_at_ms is null order by id limit 100",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The next joins of a campaign still waiting for the group, after order `after`.
pub async fn waiting_orders(pool: &AnyPool, id: i64, after: i64, limit: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("select id from orders where group_buy_id = $1 and status = 'awaiting_group' and id > $2 order by id limit $3")
        .bind(id)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn waiting_count(pool: &AnyPool, id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("select count(*) from orders where group_buy_id = $1 and status = 'awaiting_group'").bind(id).fetch_one(pool).await?;
    Ok(n)
}

/// Marks a campaign settled once none of its joins waits any more.
pub async fn mark_settled(pool: &AnyPool, id: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update group_buys set settled_at_ms = $2 where id = $1 and settled_at_ms is null and status <> 'open' and status <> 'draft'
            and not exists (select 1 from orders where group_buy_id = $1 and status = 'awaiting_group')",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The latest households that joined (masked by the caller).
pub async fn recent(conn: &mut AnyConnection, id: i64, limit: i64) -> Result<Vec<(String, i64, i64)>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select u.name, i.qty, o.created_at_ms from orders o join users u on u.id = o.user_id
            join order_items i on i.order_id = o.id
         where o.group_buy_id = $1 and {COUNTED} order by o.id desc limit $2"
    ))
    .bind(id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

pub fn joiner(name: &str, qty: i64, at_ms: i64) -> Joiner {
    Joiner { name: crate::orders::lifecycle::mask_name(name), qty, at: rfc3339(at_ms) }
}

/// The resident's joins of a campaign, newest first.
#[derive(FromRow)]
struct JoinRow {
    id: i64,
    number: Option<String>,
    qty: i64,
    store_name: String,
    status: String,
    total_fen: i64,
    payment: String,
}

pub async fn joins_of(pool: &AnyPool, id: i64, user_id: i64) -> Result<Vec<MyJoin>, AppError> {
    use crate::orders::model::{OrderStatus, Payment};
    let rows: Vec<JoinRow> = sqlx::query_as(
        "select o.id, o.number, i.qty, s.name as store_name, o.status, o.total_fen, o.payment from orders o
            join order_items i on i.order_id = o.id join stores s on s.id = o.store_id
         where o.group_buy_id = $1 and o.user_id = $2 order by o.id desc",
    )
    .bind(id)
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MyJoin {
            order_id: r.id,
            number: r.number.unwrap_or_default(),
            qty: r.qty,
            store_name: r.store_name,
            status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Cancelled),
            total_fen: r.total_fen,
            payment: Payment::parse(&r.payment).unwrap_or(Payment::OnPickup),
        })
        .collect())
}

/// Marks a succeeded campaign's goods as arrived at a store; false when they were booked in
/// already, or the campaign is not (or no longer) succeeded, or the store is not in it.
pub async fn claim_receipt(conn: &mut AnyConnection, id: i64, store_id: i64, by: i64, now: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "update group_buy_stores set received_at_ms = $3, received_by = $4
         where group_buy_id = $1 and store_id = $2 and received_at_ms is null
           and exists (select 1 from group_buys g where g.id = $1 and g.status = 'succeeded')",
    )
    .bind(id)
    .bind(store_id)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A campaign's orders that still want their goods (not handed over, cancelled or written off).
const LIVE_ORDER: &str = "o.status in ('awaiting_group', 'placed', 'accepted', 'picking', 'ready')";

/// Lets the campaign's live orders at a store hold their goods (a bundle holds its parts, as
/// any order does), and answers the units held per product — what arrives and is held.
pub async fn hold_for_orders(conn: &mut AnyConnection, id: i64, store_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    sqlx::query(&format!(
        "insert into order_reservations (order_id, product_id, qty)
         select o.id, coalesce(b.product_id, i.product_id), sum(i.qty * coalesce(b.qty, 1))
         from orders o join order_items i on i.order_id = o.id
         left join bundle_items b on b.bundle_id = i.product_id
         where o.group_buy_id = $1 and o.store_id = $2 and {LIVE_ORDER}
           and not exists (select 1 from order_reservations r where r.order_id = o.id)
         group by o.id, coalesce(b.product_id, i.product_id)"
    ))
    .bind(id)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_as(&format!(
        "select r.product_id, cast(sum(r.qty) as bigint) from order_reservations r join orders o on o.id = r.order_id
         where o.group_buy_id = $1 and o.store_id = $2 and {LIVE_ORDER}
         group by r.product_id order by r.product_id"
    ))
    .bind(id)
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Each store of a campaign and when it booked the goods in (unix ms), if it has.
pub async fn receipts(pool: &AnyPool, id: i64) -> Result<Vec<(i64, Option<i64>)>, AppError> {
    Ok(sqlx::query_as("select store_id, received_at_ms from group_buy_stores where group_buy_id = $1 order by store_id").bind(id).fetch_all(pool).await?)
}

/// Households and units per store.
pub async fn tallies(pool: &AnyPool, id: i64) -> Result<Vec<StoreTally>, AppError> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(&format!(
        "select o.store_id, s.name, count(distinct o.user_id), coalesce(sum(i.qty), 0) from orders o
            join stores s on s.id = o.store_id join order_items i on i.order_id = o.id
         where o.group_buy_id = $1 and {COUNTED}
         group by o.store_id, s.name order by o.store_id"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(store_id, store_name, households, units)| StoreTally { store_id, store_name, households, units }).collect())
}

pub async fn purchases(pool: &AnyPool, id: i64) -> Result<Vec<PurchaseLine>, AppError> {
    let rows: Vec<(i64, String, i64, String, String, i64, i64)> = sqlx::query_as(
        "select g.store_id, s.name, g.product_id, g.name, g.unit, g.units, g.households from group_buy_purchases g
            join stores s on s.id = g.store_id
         where g.group_buy_id = $1 order by g.store_id, g.product_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(store_id, store_name, product_id, name, unit, units, households)| PurchaseLine {
            store_id,
            store_name,
            product_id,
            name,
            unit,
            units,
            households,
        })
        .collect())
}

/// Group buys open for joining now, at each of their stores: (id, store id).
pub async fn open_at_stores(conn: &mut AnyConnection, now: Millis) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select g.id, s.store_id from group_buys g join group_buy_stores s on s.group_buy_id = g.id
         where g.status = 'open' and g.deadline_ms > $1 order by g.id, s.store_id",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?)
}
