//! Insights SQL: counting a store's days from the ledgers (orders, the till, the stock ledger,
//! wallets, the group), the daily rollups that keep those counts, and the period figures read
//! per view (live sessions, group buys, products). Days are store-local: a row's day is
//! `(created_at_ms + OFFSET) / 86400000`, in SQL as in `shared::time::local_time`.
use super::rules::{self, Totals};
use crate::catalog::REGULAR_PRICE_SQL;
use crate::server::db::placeholders;
use crate::shared::time::STORE_UTC_OFFSET_MS;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool};
use std::collections::{BTreeMap, BTreeSet};

const DAY_MS: i64 = 86_400_000;
/// An online order that is, or will be, a sale: not cancelled, not a no-show, not a group-buy
/// join still waiting for its group.
const COUNTED: &str = "status not in ('cancelled', 'no_show', 'awaiting_group')";

/// The first instant of a store-local day.
pub fn day_start_ms(day: i64) -> i64 {
    day * DAY_MS - STORE_UTC_OFFSET_MS
}

/// One product's units and takings on one day at one store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductDay {
    pub day: i64,
    pub product_id: i64,
    pub qty: i64,
    pub revenue_fen: i64,
    /// Of `qty`, what group buys sold.
    pub group_qty: i64,
}

/// Counts the stores' days `from..=to` from the ledgers, together: one (day, metric, value)
/// per figure that is not zero. One set of queries for any number of stores (the owner's
/// chain-wide view counts today for every store at once).
pub async fn count_days(pool: &AnyPool, store_ids: &[i64], from: i64, to: i64) -> Result<Vec<(i64, String, i64)>, AppError> {
    let (a, b) = (day_start_ms(from), day_start_ms(to + 1));
    let ids = placeholders(4, store_ids.len());
    let mut days: BTreeMap<i64, Totals> = BTreeMap::new();
    let mut put = |day: i64, metric: &str, v: i64| rules::add(days.entry(day).or_default(), metric, v);

    // Online orders by channel, fulfilment and status.
    let sql = format!(
        "select (created_at_ms + $3) / {DAY_MS} as day,
                case when group_buy_id is not null then 'group' when live_session_id is not null then 'live' else 'shop' end as channel,
                fulfillment, status, count(*), cast(sum(total_fen) as bigint)
         from orders where store_id in ({ids}) and created_at_ms >= $1 and created_at_ms < $2
         group by 1, 2, 3, 4"
    );
    let rows: Vec<(i64, String, String, String, i64, i64)> =
        over(&sql, store_ids, a, b).fetch_all(pool).await?;
    for (day, channel, fulfillment, status, n, total) in rows {
        let pickup = fulfillment == "pickup";
        match status.as_str() {
            "cancelled" | "awaiting_group" => {}
            "no_show" => {
                if pickup {
                    put(day, rules::NO_SHOW, n);
                }
            }
            _ => {
                let gmv = match channel.as_str() {
                    "group" => rules::GMV_GROUP,
                    "live" => rules::GMV_LIVE,
                    _ => rules::GMV_SHOP,
                };
                put(day, gmv, total);
                put(day, rules::ORDERS_ONLINE, n);
                put(day, if pickup { rules::PICKUP_ORDERS } else { rules::DELIVERY_ORDERS }, n);
                if pickup && status == "completed" {
                    put(day, rules::PICKUP_DONE, n);
                }
            }
        }
    }

    // Residents buying (a resident-day per store), and those who had bought at that store in
    // the 30 days before.
    let sql = format!(
        "select d.day, count(*), cast(sum(case when exists (
                    select 1 from orders p where p.user_id = d.user_id and p.store_id = d.store_id and p.{COUNTED}
                      and p.created_at_ms >= d.day * {DAY_MS} - $3 - {month} and p.created_at_ms < d.day * {DAY_MS} - $3)
                  then 1 else 0 end) as bigint)
         from (select distinct store_id, user_id, (created_at_ms + $3) / {DAY_MS} as day from orders
               where store_id in ({ids}) and created_at_ms >= $1 and created_at_ms < $2 and {COUNTED}) d
         group by d.day",
        month = 30 * DAY_MS
    );
    let rows: Vec<(i64, i64, i64)> = over(&sql, store_ids, a, b).fetch_all(pool).await?;
    for (day, buyers, returning) in rows {
        put(day, rules::BUYER_DAYS, buyers);
        put(day, rules::RETURNING, returning);
    }

    // The till, less its refunds (on the day of the refund).
    for (sql, n_metric) in [
        (format!("select (created_at_ms + $3) / {DAY_MS}, count(*), cast(sum(total_fen) as bigint) from counter_sales where store_id in ({ids}) and created_at_ms >= $1 and created_at_ms < $2 group by 1"), Some(rules::ORDERS_COUNTER)),
        (format!("select (created_at_ms + $3) / {DAY_MS}, count(*), -cast(sum(amount_fen) as bigint) from counter_refunds where store_id in ({ids}) and created_at_ms >= $1 and created_at_ms < $2 group by 1"), None),
    ] {
        let rows: Vec<(i64, i64, i64)> = over(&sql, store_ids, a, b).fetch_all(pool).await?;
        for (day, n, fen) in rows {
            put(day, rules::GMV_COUNTER, fen);
            if let Some(m) = n_metric {
                put(day, m, n);
            }
        }
    }

    // Newcomers: to the store's group, and residents who registered with it as their store.
    for (sql, metric) in [
        (format!("select (joined_at_ms + $3) / {DAY_MS}, count(*) from community_members where store_id in ({ids}) and joined_at_ms >= $1 and joined_at_ms < $2 group by 1"), rules::NEW_MEMBERS),
        (
            format!(
                "select (u.created_at_ms + $3) / {DAY_MS}, count(*) from users u
                 where u.home_store_id in ({ids}) and u.created_at_ms >= $1 and u.created_at_ms < $2
                   and not exists (select 1 from user_roles r where r.user_id = u.id and r.role <> 'resident')
                 group by 1"
            ),
            rules::NEW_RESIDENTS,
        ),
    ] {
        let rows: Vec<(i64, i64)> = over(&sql, store_ids, a, b).fetch_all(pool).await?;
        for (day, n) in rows {
            put(day, metric, n);
        }
    }

    // Write-offs at the shelf price (the store's own price where it has one).
    let sql = format!(
        "select (m.created_at_ms + $3) / {DAY_MS}, m.reason, cast(sum(-m.delta * {REGULAR_PRICE_SQL}) as bigint)
         from stock_movements m join products p on p.id = m.product_id
         left join store_prices sp on sp.store_id = m.store_id and sp.product_id = p.id
         where m.store_id in ({ids}) and m.created_at_ms >= $1 and m.created_at_ms < $2 and m.reason in ('clear_out', 'loss', 'no_show_loss')
         group by 1, 2"
    );
    let rows: Vec<(i64, String, i64)> = over(&sql, store_ids, a, b).fetch_all(pool).await?;
    for (day, reason, fen) in rows {
        put(day, if reason == "clear_out" { rules::CLEAR_OUT_FEN } else { rules::LOSS_FEN }, fen);
    }

    // What 晚市特惠 sold (a line keeps its regular price only when sold below it).
    let sql = format!(
        "select day, cast(sum(price_fen * qty) as bigint), cast(sum((regular_price_fen - price_fen) * qty) as bigint)
         from (select (o.created_at_ms + $3) / {DAY_MS} as day, i.qty, i.price_fen, i.regular_price_fen
               from order_items i join orders o on o.id = i.order_id
               where o.store_id in ({ids}) and o.created_at_ms >= $1 and o.created_at_ms < $2 and o.{COUNTED} and i.regular_price_fen is not null
               union all
               select (s.created_at_ms + $3) / {DAY_MS}, l.qty, l.price_fen, l.regular_price_fen
               from counter_sale_lines l join counter_sales s on s.id = l.sale_id
               where s.store_id in ({ids}) and s.created_at_ms >= $1 and s.created_at_ms < $2 and l.regular_price_fen is not null) sold
         group by day"
    );
    let rows: Vec<(i64, i64, i64)> = over(&sql, store_ids, a, b).fetch_all(pool).await?;
    for (day, sold, off) in rows {
        put(day, rules::MARKDOWN_FEN, sold);
        put(day, rules::MARKDOWN_OFF_FEN, off);
    }

    // Wallet top-ups taken here, less the ones reversed.
    let sql = format!(
        "select (created_at_ms + $3) / {DAY_MS}, cast(sum(amount_fen) as bigint) from wallet_entries
         where store_id in ({ids}) and created_at_ms >= $1 and created_at_ms < $2 and kind in ('top_up', 'reversal')
         group by 1"
    );
    let rows: Vec<(i64, i64)> = over(&sql, store_ids, a, b).fetch_all(pool).await?;
    for (day, fen) in rows {
        put(day, rules::TOPUP_FEN, fen);
    }

    Ok(days.into_iter().flat_map(|(day, t)| t.into_iter().map(move |(m, v)| (day, m, v))).collect())
}

/// Units and takings per product and day, `from..=to`, counted from the ledgers: online
/// orders that are sales, the till, less the till's refunds (on the refund's day).
pub async fn count_product_days(pool: &AnyPool, store_ids: &[i64], from: i64, to: i64) -> Result<Vec<(i64, ProductDay)>, AppError> {
    let ids = placeholders(4, store_ids.len());
    let sql = format!(
        "select store_id, day, product_id, cast(sum(qty) as bigint), cast(sum(price_fen * qty) as bigint), cast(sum(group_qty) as bigint)
         from (select o.store_id, (o.created_at_ms + $3) / {DAY_MS} as day, i.product_id, i.qty, i.price_fen,
                      case when o.group_buy_id is not null then i.qty else 0 end as group_qty
               from order_items i join orders o on o.id = i.order_id
               where o.store_id in ({ids}) and o.created_at_ms >= $1 and o.created_at_ms < $2 and o.{COUNTED}
               union all
               select s.store_id, (s.created_at_ms + $3) / {DAY_MS}, l.product_id, l.qty, l.price_fen, 0
               from counter_sale_lines l join counter_sales s on s.id = l.sale_id
               where s.store_id in ({ids}) and s.created_at_ms >= $1 and s.created_at_ms < $2
               union all
               select r.store_id, (r.created_at_ms + $3) / {DAY_MS}, l.product_id, -l.qty, l.price_fen, 0
               from counter_refund_lines l join counter_refunds r on r.id = l.refund_id
               where r.store_id in ({ids}) and r.created_at_ms >= $1 and r.created_at_ms < $2) sold
         group by store_id, day, product_id"
    );
    let rows: Vec<(i64, i64, i64, i64, i64, i64)> = over(&sql, store_ids, day_start_ms(from), day_start_ms(to + 1)).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(store, day, product_id, qty, revenue_fen, group_qty)| (store, ProductDay { day, product_id, qty, revenue_fen, group_qty })).collect())
}

/// `sql` over the window `$1 ≤ t < $2`, with the store clock's offset as `$3` and the stores
/// from `$4` on.
fn over<'q, O>(sql: &'q str, store_ids: &'q [i64], a: i64, b: i64) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    let mut q = sqlx::query_as::<_, O>(sql).bind(a).bind(b).bind(STORE_UTC_OFFSET_MS);
    for id in store_ids {
        q = q.bind(*id);
    }
    q
}

/// The first day a store has anything to count: when it opened, or its oldest sale if that
/// is older (history brought in).
pub async fn first_day(pool: &AnyPool, store_id: i64) -> Result<Option<i64>, AppError> {
    let sql = format!(
        "select min(t) from (
            select created_at_ms as t from stores where id = $1
            union all select min(created_at_ms) from orders where store_id = $1
            union all select min(created_at_ms) from counter_sales where store_id = $1) x"
    );
    let (t,): (Option<i64>,) = sqlx::query_as(&sql).bind(store_id).fetch_one(pool).await?;
    Ok(t.map(|t| crate::shared::time::local_time(t).day))
}

/// A store's materialised days `from..=to` with when each was computed.
pub async fn settled(pool: &AnyPool, store_id: i64, from: i64, to: i64) -> Result<BTreeMap<i64, i64>, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("select day, computed_at_ms from insight_settled where store_id = $1 and day >= $2 and day <= $3")
        .bind(store_id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Which of `from..=to` are materialised, per store.
pub async fn settled_days(pool: &AnyPool, store_ids: &[i64], from: i64, to: i64) -> Result<BTreeMap<i64, BTreeSet<i64>>, AppError> {
    let sql = format!("select store_id, day from insight_settled where day >= $1 and day <= $2 and store_id in ({})", placeholders(3, store_ids.len()));
    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql).bind(from).bind(to);
    for id in store_ids {
        q = q.bind(*id);
    }
    let mut out: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for (store, day) in q.fetch_all(pool).await? {
        out.entry(store).or_default().insert(day);
    }
    Ok(out)
}

/// The materialised figures of `from..=to` for the stores: (store, day, metric, value).
pub async fn rollup(pool: &AnyPool, store_ids: &[i64], from: i64, to: i64) -> Result<Vec<(i64, i64, String, i64)>, AppError> {
    let sql = format!("select store_id, day, metric, value from insight_days where day >= $1 and day <= $2 and store_id in ({})", placeholders(3, store_ids.len()));
    let mut q = sqlx::query_as::<_, (i64, i64, String, i64)>(&sql).bind(from).bind(to);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?)
}

/// The materialised product figures of `from..=to`, per store, day and product.
pub async fn product_rollup(pool: &AnyPool, store_ids: &[i64], from: i64, to: i64) -> Result<Vec<(i64, ProductDay)>, AppError> {
    let sql = format!(
        "select store_id, day, product_id, qty, revenue_fen, group_qty from insight_product_days where day >= $1 and day <= $2 and store_id in ({})",
        placeholders(3, store_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, i64, i64, i64, i64)>(&sql).bind(from).bind(to);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?.into_iter().map(|(s, day, product_id, qty, revenue_fen, group_qty)| (s, ProductDay { day, product_id, qty, revenue_fen, group_qty })).collect())
}

/// Writes a store's days `from..=to` whole: its figures and product figures replace what was
/// there, and the days are marked settled at `now`. The settled rows are written first, so two
/// instances settling the same days queue on those rows rather than interleaving.
pub async fn write_days(conn: &mut AnyConnection, store_id: i64, from: i64, to: i64, figures: &[(i64, String, i64)], products: &[ProductDay], now: i64) -> Result<(), AppError> {
    for day in from..=to {
        sqlx::query(
            "insert into insight_settled (store_id, day, computed_at_ms) values ($1, $2, $3)
             on conflict (store_id, day) do update set computed_at_ms = excluded.computed_at_ms",
        )
        .bind(store_id)
        .bind(day)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    for table in ["insight_days", "insight_product_days"] {
        sqlx::query(&format!("delete from {table} where store_id = $1 and day >= $2 and day <= $3")).bind(store_id).bind(from).bind(to).execute(&mut *conn).await?;
    }
    // Many rows per statement: a year of a chain is a few hundred thousand.
    for chunk in figures.chunks(200) {
        let values = (0..chunk.len()).map(|i| format!("($1, {})", placeholders(2 + i * 3, 3))).collect::<Vec<_>>().join(", ");
        let sql = format!("insert into insight_days (store_id, day, metric, value) values {values}");
        let mut q = sqlx::query(&sql).bind(store_id);
        for (day, metric, value) in chunk {
            q = q.bind(*day).bind(metric.as_str()).bind(*value);
        }
        q.execute(&mut *conn).await?;
    }
    for chunk in products.chunks(200) {
        let values = (0..chunk.len()).map(|i| format!("($1, {})", placeholders(2 + i * 5, 5))).collect::<Vec<_>>().join(", ");
        let sql = format!("insert into insight_product_days (store_id, day, product_id, qty, revenue_fen, group_qty) values {values}");
        let mut q = sqlx::query(&sql).bind(store_id);
        for p in chunk {
            q = q.bind(p.day).bind(p.product_id).bind(p.qty).bind(p.revenue_fen).bind(p.group_qty);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Refreshes the products a store's residents bought together in one order since `since_ms`
/// (pairs seen at least twice), unless they were counted after `stale_before`: `false` then.
/// The store's `insight_pairs_counted` row is claimed first, so a second instance waits for
/// the first and then finds the pairs fresh.
pub async fn refresh_pairs(conn: &mut AnyConnection, store_id: i64, since_ms: i64, stale_before: i64, now: i64) -> Result<bool, AppError> {
    let claimed: Option<(i64,)> = sqlx::query_as(
        "insert into insight_pairs_counted (store_id, computed_at_ms) values ($1, $2)
         on conflict (store_id) do update set computed_at_ms = excluded.computed_at_ms
         where insight_pairs_counted.computed_at_ms < $3
         returning store_id",
    )
    .bind(store_id)
    .bind(now)
    .bind(stale_before)
    .fetch_optional(&mut *conn)
    .await?;
    if claimed.is_none() {
        return Ok(false);
    }
    sqlx::query("delete from insight_pairs where store_id = $1").bind(store_id).execute(&mut *conn).await?;
    let sql = format!(
        "insert into insight_pairs (store_id, product_a, product_b, orders, computed_at_ms)
         select o.store_id, a.product_id, b.product_id, count(*), $3
         from orders o join order_items a on a.order_id = o.id join order_items b on b.order_id = o.id and a.product_id < b.product_id
         where o.store_id = $1 and o.created_at_ms >= $2 and o.{COUNTED}
         group by o.store_id, a.product_id, b.product_id
         having count(*) >= 2"
    );
    sqlx::query(&sql).bind(store_id).bind(since_ms).bind(now).execute(&mut *conn).await?;
    Ok(true)
}

/// When a store's pairs were last counted.
pub async fn pairs_counted_at(pool: &AnyPool, store_id: i64) -> Result<Option<i64>, AppError> {
    let t: Option<(i64,)> = sqlx::query_as("select computed_at_ms from insight_pairs_counted where store_id = $1").bind(store_id).fetch_optional(pool).await?;
    Ok(t.map(|(t,)| t))
}

/// Settled days of a store with an order that changed after the day was counted (handed
/// over, missed, cancelled, a group decided), among orders changed since `since_ms`.
pub async fn changed_days(pool: &AnyPool, store_id: i64, since_ms: i64) -> Result<Vec<i64>, AppError> {
    let sql = format!(
        "select distinct d.day from orders o
         join insight_settled d on d.store_id = o.store_id and d.day = (o.created_at_ms + $3) / {DAY_MS}
         where o.store_id = $1 and o.updated_at_ms > $2 and o.updated_at_ms > d.computed_at_ms
         order by d.day"
    );
    let rows: Vec<(i64,)> = sqlx::query_as(&sql).bind(store_id).bind(since_ms).bind(STORE_UTC_OFFSET_MS).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

/// The pairs most often bought together at the stores: (name a, name b, orders).
pub async fn pairs(pool: &AnyPool, store_ids: &[i64], limit: i64) -> Result<Vec<(String, String, i64)>, AppError> {
    let sql = format!(
        "select pa.name, pb.name, cast(sum(x.orders) as bigint) from insight_pairs x
         join products pa on pa.id = x.product_a join products pb on pb.id = x.product_b
         where x.store_id in ({}) group by x.product_a, x.product_b, pa.name, pb.name
         order by 3 desc, x.product_a, x.product_b limit {limit}",
        placeholders(1, store_ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, String, i64)>(&sql);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?)
}

/// A live session of the period with what it sold.
pub struct LiveRow {
    pub store_name: String,
    pub title: String,
    pub started_at_ms: i64,
    pub viewers: i64,
    pub orders: i64,
    pub buyers: i64,
    pub gmv_fen: i64,
}

/// The stores' live sessions that started in [from_ms, to_ms), oldest first.
pub async fn live_sessions(pool: &AnyPool, store_ids: &[i64], from_ms: i64, to_ms: i64) -> Result<Vec<LiveRow>, AppError> {
    let sql = format!(
        "select st.name, s.title, s.started_at_ms, cast(s.viewers_peak as bigint),
                (select count(*) from orders o where o.live_session_id = s.id and o.{COUNTED}),
                (select count(distinct o.user_id) from orders o where o.live_session_id = s.id and o.{COUNTED}),
                (select cast(coalesce(sum(o.total_fen), 0) as bigint) from orders o where o.live_session_id = s.id and o.{COUNTED})
         from live_sessions s join stores st on st.id = s.store_id
         where s.started_at_ms >= $1 and s.started_at_ms < $2 and s.store_id in ({})
         order by s.started_at_ms, s.id",
        placeholders(3, store_ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, String, i64, i64, i64, i64, i64)>(&sql).bind(from_ms).bind(to_ms);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|(store_name, title, started_at_ms, viewers, orders, buyers, gmv_fen)| LiveRow { store_name, title, started_at_ms, viewers, orders, buyers, gmv_fen })
        .collect())
}

/// A group buy decided in the period, with its households at the stores asked about.
pub struct GroupRow {
    pub title: String,
    pub succeeded: bool,
    pub min_households: i64,
    pub households: i64,
    pub decided_at_ms: i64,
}

/// Group buys the stores took part in that were decided (成团 or not) in [from_ms, to_ms).
/// `whole_chain`: households counted over the whole campaign, else those collecting at the stores.
pub async fn group_buys(pool: &AnyPool, store_ids: &[i64], from_ms: i64, to_ms: i64, whole_chain: bool) -> Result<Vec<GroupRow>, AppError> {
    let ids = placeholders(3, store_ids.len());
    let households = if whole_chain {
        "g.households".to_string()
    } else {
        format!(
            "(select count(*) from group_buy_households h where h.group_buy_id = g.id and h.units > 0
               and exists (select 1 from orders o where o.group_buy_id = g.id and o.user_id = h.user_id and o.store_id in ({ids})))"
        )
    };
    let sql = format!(
        "select g.title, case when g.status = 'succeeded' then 1 else 0 end, g.min_households, {households}, g.decided_at_ms
         from group_buys g
         where g.status in ('succeeded', 'failed') and g.decided_at_ms >= $1 and g.decided_at_ms < $2
           and exists (select 1 from group_buy_stores gs where gs.group_buy_id = g.id and gs.store_id in ({ids}))
         order by g.decided_at_ms, g.id"
    );
    let mut q = sqlx::query_as::<_, (String, i64, i64, i64, i64)>(&sql).bind(from_ms).bind(to_ms);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|(title, ok, min_households, households, decided_at_ms)| GroupRow { title, succeeded: ok != 0, min_households, households, decided_at_ms })
        .collect())
}

/// What members hold in their wallets now: members whose store is one of these, or everyone.
pub async fn wallet_balance(pool: &AnyPool, store_ids: Option<&[i64]>) -> Result<i64, AppError> {
    let (fen,): (i64,) = match store_ids {
        None => sqlx::query_as("select cast(coalesce(sum(wallet_fen), 0) as bigint) from users").fetch_one(pool).await?,
        Some(ids) => {
            let sql = format!("select cast(coalesce(sum(wallet_fen), 0) as bigint) from users where home_store_id in ({})", placeholders(1, ids.len()));
            let mut q = sqlx::query_as::<_, (i64,)>(&sql);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_one(pool).await?
        }
    };
    Ok(fen)
}

/// A product's name and spec.
pub async fn product_names(pool: &AnyPool, ids: &[i64]) -> Result<BTreeMap<i64, (String, String)>, AppError> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql = format!("select id, name, unit from products where id in ({})", placeholders(1, ids.len()));
    let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?.into_iter().map(|(id, name, unit)| (id, (name, unit))).collect())
}

/// The last purchase cost booked with a delivery (进货) per store and product.
pub async fn unit_costs(pool: &AnyPool, store_ids: &[i64]) -> Result<BTreeMap<(i64, i64), i64>, AppError> {
    let sql = format!("select store_id, product_id, unit_cost_fen from product_costs where store_id in ({})", placeholders(1, store_ids.len()));
    let mut q = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?.into_iter().map(|(s, p, c)| ((s, p), c)).collect())
}

/// Products on a store's shelf (something on hand, still on sale): (store, store name, product, name, unit, on hand).
pub async fn on_shelf(pool: &AnyPool, store_ids: &[i64]) -> Result<Vec<(i64, String, i64, String, String, i64)>, AppError> {
    let sql = format!(
        "select st.store_id, s.name, st.product_id, p.name, p.unit, cast(st.on_hand as bigint)
         from stock st join products p on p.id = st.product_id join stores s on s.id = st.store_id
         where st.on_hand > 0 and p.active = $1 and st.store_id in ({}) order by st.store_id, p.name",
        placeholders(2, store_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String, i64, String, String, i64)>(&sql).bind(true);
    for id in store_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool).await?)
}

/// The last materialised day a product sold at a store (an index probe, however long the history).
pub async fn last_sold(pool: &AnyPool, store_id: i64, product_id: i64) -> Result<Option<i64>, AppError> {
    let (d,): (Option<i64>,) = sqlx::query_as("select max(day) from insight_product_days where store_id = $1 and product_id = $2")
        .bind(store_id)
        .bind(product_id)
        .fetch_one(pool)
        .await?;
    Ok(d)
}

/// A store's materialised units per product and day, `from..=to`.
pub async fn product_series(pool: &AnyPool, store_id: i64, from: i64, to: i64) -> Result<Vec<ProductDay>, AppError> {
    Ok(product_rollup(pool, &[store_id], from, to).await?.into_iter().map(|(_, p)| p).collect())
}

/// What one unit of each bundle is made of: bundle → [(product, units)].
pub async fn bundle_parts(pool: &AnyPool) -> Result<BTreeMap<i64, Vec<(i64, i64)>>, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as("select bundle_id, product_id, cast(qty as bigint) from bundle_items").fetch_all(pool).await?;
    let mut out: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for (b, p, q) in rows {
        out.entry(b).or_default().push((p, q));
    }
    Ok(out)
}

/// A product the order list may name: what the store sells (bundles are made of products and
/// never bought as such), with its shelf.
pub struct Candidate {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub producer: String,
    pub shelf_life_days: Option<i64>,
    pub available: i64,
}

pub async fn candidates(pool: &AnyPool, store_id: i64) -> Result<Vec<Candidate>, AppError> {
    let rows: Vec<(i64, String, String, String, Option<i64>, i64)> = sqlx::query_as(
        "select p.id, p.name, p.unit, p.producer, cast(p.shelf_life_days as bigint), cast(coalesce(s.on_hand - s.reserved, 0) as bigint)
         from products p join categories c on c.id = p.category_id join stores st on st.id = $1 and st.chain_id = p.chain_id
         left join stock s on s.store_id = $1 and s.product_id = p.id
         where p.active = $2 and c.slug <> 'bundles'
         order by p.producer, p.name, p.id",
    )
    .bind(store_id)
    .bind(true)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, name, unit, producer, shelf_life_days, available)| Candidate { product_id, name, unit, producer, shelf_life_days, available })
        .collect())
}

/// Units that succeeded group buys will hand over at the store with a pickup day in
/// `from..=to` (ISO dates) and that have not arrived yet (once booked in they are on the
/// shelf, held by their orders): (product, pickup day, units).
pub async fn committed_by_group_buys(pool: &AnyPool, store_id: i64, from: &str, to: &str) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select gp.product_id, g.pickup_date, cast(sum(gp.units) as bigint) from group_buy_purchases gp
         join group_buys g on g.id = gp.group_buy_id
         join group_buy_stores gs on gs.group_buy_id = g.id and gs.store_id = gp.store_id
         where gp.store_id = $1 and g.status = 'succeeded' and gs.received_at_ms is null and g.pickup_date >= $2 and g.pickup_date <= $3
         group by gp.product_id, g.pickup_date",
    )
    .bind(store_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?)
}

/// Units set aside for the store's scheduled live sessions starting in [from_ms, to_ms): they
/// left the shelf when the session was scheduled (直播备货), so they are shown, not bought again.
pub async fn committed_by_live(pool: &AnyPool, store_id: i64, from_ms: i64, to_ms: i64) -> Result<BTreeMap<i64, i64>, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "select i.product_id, cast(sum(i.allotted) as bigint) from live_items i join live_sessions s on s.id = i.session_id
         where s.store_id = $1 and s.status = 'scheduled' and s.starts_at_ms >= $2 and s.starts_at_ms < $3
         group by i.product_id",
    )
    .bind(store_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The quantities a manager set on a day's order list, with when.
pub async fn plan(pool: &AnyPool, store_id: i64, for_day: i64) -> Result<BTreeMap<i64, (i64, i64)>, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as("select product_id, qty, updated_at_ms from purchase_plan_lines where store_id = $1 and for_day = $2")
        .bind(store_id)
        .bind(for_day)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(p, q, t)| (p, (q, t))).collect())
}

/// Replaces a day's edited quantities (an empty list goes back to the suggestions).
pub async fn save_plan(conn: &mut AnyConnection, store_id: i64, for_day: i64, lines: &[(i64, i64)], by_user_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query("delete from purchase_plan_lines where store_id = $1 and for_day = $2").bind(store_id).bind(for_day).execute(&mut *conn).await?;
    for (product_id, qty) in lines {
        sqlx::query("insert into purchase_plan_lines (store_id, for_day, product_id, qty, by_user_id, updated_at_ms) values ($1, $2, $3, $4, $5, $6)")
            .bind(store_id)
            .bind(for_day)
            .bind(*product_id)
            .bind(*qty)
            .bind(by_user_id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
