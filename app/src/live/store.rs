//! Live sessions' SQL. Every guard on units is one conditional statement.
use super::model::{LiveItem, LiveStatus};
use super::rules::Checked;
use crate::shared::time::Millis;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Clone, Debug, FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub store_id: i64,
    pub store_name: String,
    pub title: String,
    pub cover_url: Option<String>,
    pub stream_url: Option<String>,
    pub status: String,
    pub starts_at_ms: i64,
    pub pinned_product_id: Option<i64>,
    pub started_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
}

impl SessionRow {
    pub fn status(&self) -> LiveStatus {
        LiveStatus::parse(&self.status).unwrap_or(LiveStatus::Ended)
    }
}

#[derive(Clone, Debug, FromRow)]
pub struct ItemRow {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub image_id: Option<i64>,
    pub live_price_fen: i64,
    pub allotted: i64,
    pub sold: i64,
    pub per_user_limit: i64,
}

impl ItemRow {
    pub fn into_model(self, usual_price_fen: i64) -> LiveItem {
        LiveItem {
            product_id: self.product_id,
            name: self.name,
            unit: self.unit,
            image_url: self.image_id.map(|id| format!("/media/{id}")),
            live_price_fen: self.live_price_fen,
            usual_price_fen,
            allotted: self.allotted,
            sold: self.sold,
            remaining: self.allotted - self.sold,
            per_user_limit: self.per_user_limit,
        }
    }
}

pub async fn insert_session(conn: &mut AnyConnection, store_id: i64, c: &Checked, by: i64, now: Millis) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into live_sessions (store_id, title, cover_url, stream_url, starts_at_ms, created_by, created_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(store_id)
    .bind(&c.title)
    .bind(c.cover_url.as_deref())
    .bind(c.stream_url.as_deref())
    .bind(c.starts_at_ms)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn insert_item(conn: &mut AnyConnection, session_id: i64, position: i64, product_id: i64, live_price_fen: i64, allotted: i64, per_user_limit: i64) -> Result<(), AppError> {
    sqlx::query(
        "insert into live_items (session_id, product_id, position, live_price_fen, allotted, per_user_limit)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(session_id)
    .bind(product_id)
    .bind(position)
    .bind(live_price_fen)
    .bind(allotted)
    .bind(per_user_limit)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<SessionRow>, AppError> {
    Ok(sqlx::query_as(
        "select l.id, l.store_id, s.name as store_name, l.title, l.cover_url, l.stream_url, l.status, l.starts_at_ms,
            l.pinned_product_id, l.started_at_ms, l.ended_at_ms
         from live_sessions l join stores s on s.id = l.store_id where l.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The line-up in the host's order.
pub async fn items(conn: &mut AnyConnection, id: i64) -> Result<Vec<ItemRow>, AppError> {
    Ok(sqlx::query_as(
        "select i.product_id, p.name, p.unit, p.image_id, i.live_price_fen, cast(i.allotted as bigint) as allotted,
            cast(i.sold as bigint) as sold, cast(i.per_user_limit as bigint) as per_user_limit
         from live_items i join products p on p.id = i.product_id where i.session_id = $1 order by i.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Orders taken in the session that still stand, and their goods' worth.
pub async fn takings(conn: &mut AnyConnection, id: i64) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as(
        "select count(*), cast(coalesce(sum(goods_fen), 0) as bigint) from orders
         where live_session_id = $1 and status not in ('cancelled', 'no_show')",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Compare-and-set on the status; stamps when it went live or ended.
pub async fn set_status(conn: &mut AnyConnection, id: i64, from: LiveStatus, to: LiveStatus, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update live_sessions set status = $3,
            started_at_ms = case when $3 = 'live' then $4 else started_at_ms end,
            ended_at_ms = case when $3 = 'ended' then $4 else ended_at_ms end,
            pinned_product_id = case when $3 = 'ended' then null else pinned_product_id end
         where id = $1 and status = $2",
    )
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Pins a product of the line-up (or unpins with `None`) while the session has not ended.
pub async fn set_pin(conn: &mut AnyConnection, id: i64, product_id: Option<i64>) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update live_sessions set pinned_product_id = $2 where id = $1 and status <> 'ended'
            and ($2 is null or exists (select 1 from live_items i where i.session_id = $1 and i.product_id = $2))",
    )
    .bind(id)
    .bind(product_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Takes `qty` of a line's allotment for an order: only while the session is live and only
/// from what is left. Ending a session first sets every allotment to what was sold, so an
/// order racing the end finds nothing left even where its check of the status ran earlier.
pub async fn take_units(conn: &mut AnyConnection, id: i64, product_id: i64, qty: i64) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update live_items set sold = sold + $3
         where session_id = $1 and product_id = $2 and sold + $3 <= allotted
            and exists (select 1 from live_sessions l where l.id = $1 and l.status = 'live')",
    )
    .bind(id)
    .bind(product_id)
    .bind(qty)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Adds `qty` to what the resident bought of the line, within `limit`; the new total, or
/// `None` (nothing written) when it would pass the limit.
pub async fn buyer_add(conn: &mut AnyConnection, id: i64, product_id: i64, user_id: i64, qty: i64, limit: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "insert into live_buyers (session_id, product_id, user_id, units) values ($1, $2, $3, $4)
         on conflict (session_id, product_id, user_id) do update set units = live_buyers.units + excluded.units
         where live_buyers.units + excluded.units <= $5
         returning cast(units as bigint)",
    )
    .bind(id)
    .bind(product_id)
    .bind(user_id)
    .bind(qty)
    .bind(limit)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// What the resident already bought of the line.
pub async fn bought(conn: &mut AnyConnection, id: i64, product_id: i64, user_id: i64) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select cast(units as bigint) from live_buyers where session_id = $1 and product_id = $2 and user_id = $3")
        .bind(id)
        .bind(product_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map_or(0, |r| r.0))
}

/// At the end: every line's allotment shrinks to what was sold; returns what was left of
/// each (product id, units) to put back on the shelf. The first statement takes the lines'
/// write locks (PostgreSQL), so an order in flight either committed before — and is counted —
/// or finds nothing left after.
pub async fn close_allotments(conn: &mut AnyConnection, id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    sqlx::query("update live_items set allotted = allotted where session_id = $1").bind(id).execute(&mut *conn).await?;
    let left: Vec<(i64, i64)> = sqlx::query_as(
        "select product_id, cast(allotted - sold as bigint) from live_items where session_id = $1 and allotted > sold order by position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("update live_items set allotted = sold where session_id = $1").bind(id).execute(&mut *conn).await?;
    Ok(left)
}

/// Sessions not ended whose start (or, once live, going live) was before `before`.
pub async fn overdue(pool: &AnyPool, before: Millis) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select id from live_sessions where status <> 'ended' and coalesce(started_at_ms, starts_at_ms) < $1 order by id limit 100",
    )
    .bind(before)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
