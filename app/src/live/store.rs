//! Live sessions' SQL. Every guard on units is one conditional statement.
use super::model::{LiveComment, LiveItem, LiveStatus};
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
    pub slow_mode_secs: i64,
    pub viewers_peak: i64,
    pub pinned_comment_id: Option<i64>,
    pub video_state: String,
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
            l.pinned_product_id, l.started_at_ms, l.ended_at_ms, cast(l.slow_mode_secs as bigint) as slow_mode_secs,
            cast(l.viewers_peak as bigint) as viewers_peak, l.pinned_comment_id, l.video_state
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
            pinned_product_id = case when $3 = 'ended' then null else pinned_product_id end,
            pinned_comment_id = case when $3 = 'ended' then null else pinned_comment_id end
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

/// Locks the session's row while it has not ended (PostgreSQL: waits for an ending in
/// flight, then sees it ended). False once it has ended.
pub async fn lock_open(conn: &mut AnyConnection, id: i64) -> Result<bool, AppError> {
    let r = sqlx::query("update live_sessions set status = status where id = $1 and status <> 'ended'").bind(id).execute(&mut *conn).await?;
    Ok(r.rows_affected() == 1)
}

/// Sets `n` more units of a line aside.
pub async fn add_allotment(conn: &mut AnyConnection, id: i64, product_id: i64, n: i64) -> Result<bool, AppError> {
    let r = sqlx::query("update live_items set allotted = allotted + $3 where session_id = $1 and product_id = $2 and allotted + $3 <= $4")
        .bind(id)
        .bind(product_id)
        .bind(n)
        .bind(super::rules::MAX_ALLOT)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Closes a line: its allotment shrinks to what was sold; returns what was left (none when
/// the line is not in the session).
pub async fn close_line(conn: &mut AnyConnection, id: i64, product_id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select cast(allotted - sold as bigint) from live_items where session_id = $1 and product_id = $2",
    )
    .bind(id)
    .bind(product_id)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query("update live_items set allotted = sold where session_id = $1 and product_id = $2").bind(id).bind(product_id).execute(&mut *conn).await?;
    Ok(row.map(|r| r.0))
}

pub async fn set_cover(conn: &mut AnyConnection, id: i64, url: &str) -> Result<(), AppError> {
    sqlx::query("update live_sessions set cover_url = $2 where id = $1").bind(id).bind(url).execute(&mut *conn).await?;
    Ok(())
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

// ---- Comments and moderation ----

#[derive(Clone, Debug, FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub session_id: i64,
    pub user_id: i64,
    pub name: String,
    pub body: String,
    pub by_host: i64,
    pub created_at_ms: i64,
    pub hidden_at_ms: Option<i64>,
}

impl CommentRow {
    pub fn into_model(self) -> LiveComment {
        LiveComment {
            id: self.id,
            author: crate::accounts::rules::mask_name(&self.name),
            text: self.body,
            host: self.by_host != 0,
            at: crate::shared::time::rfc3339(self.created_at_ms),
        }
    }
}

const COMMENT_COLUMNS: &str = "c.id, c.session_id, c.user_id, u.name, c.body, case when c.by_host then 1 else 0 end as by_host, c.created_at_ms, c.hidden_at_ms";

/// Writes a comment unless the author is muted or commented within `gap_ms` — one statement,
/// so two taps at once write one. `None`: refused (the caller says which).
pub async fn insert_comment(conn: &mut AnyConnection, id: i64, user_id: i64, body: &str, by_host: bool, now: Millis, gap_ms: Millis) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "insert into live_comments (session_id, user_id, body, by_host, created_at_ms)
         select $1, $2, $3, $4, $5
         where not exists (select 1 from live_mutes m where m.session_id = $1 and m.user_id = $2)
            and not exists (select 1 from live_comments c where c.session_id = $1 and c.user_id = $2 and c.created_at_ms > $5 - $6)
         returning id",
    )
    .bind(id)
    .bind(user_id)
    .bind(body)
    .bind(by_host)
    .bind(now)
    .bind(gap_ms)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// When the resident last commented in the session.
pub async fn last_comment_at(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<Option<i64>, AppError> {
    let row: (Option<i64>,) = sqlx::query_as("select max(created_at_ms) from live_comments where session_id = $1 and user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.0)
}

pub async fn is_muted(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select 1 from live_mutes where session_id = $1 and user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// One comment of the session, hidden or not.
pub async fn comment(conn: &mut AnyConnection, id: i64, comment_id: i64) -> Result<Option<CommentRow>, AppError> {
    Ok(sqlx::query_as(&format!("select {COMMENT_COLUMNS} from live_comments c join users u on u.id = c.user_id where c.session_id = $1 and c.id = $2"))
        .bind(id)
        .bind(comment_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The latest `limit` comments still shown, oldest first (the order a room lists them).
pub async fn recent_comments(conn: &mut AnyConnection, id: i64, limit: i64) -> Result<Vec<CommentRow>, AppError> {
    let mut rows: Vec<CommentRow> = sqlx::query_as(&format!(
        "select {COMMENT_COLUMNS} from live_comments c join users u on u.id = c.user_id
         where c.session_id = $1 and c.hidden_at_ms is null order by c.id desc limit $2"
    ))
    .bind(id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.reverse();
    Ok(rows)
}

/// Hides a shown comment (and unpins it). False when it was already hidden.
pub async fn hide_comment(conn: &mut AnyConnection, id: i64, comment_id: i64, by: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query("update live_comments set hidden_at_ms = $4, hidden_by = $3 where session_id = $1 and id = $2 and hidden_at_ms is null")
        .bind(id)
        .bind(comment_id)
        .bind(by)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("update live_sessions set pinned_comment_id = null where id = $1 and pinned_comment_id = $2")
        .bind(id)
        .bind(comment_id)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Mutes a viewer for the rest of the session; muting twice is muting once.
pub async fn mute(conn: &mut AnyConnection, id: i64, user_id: i64, by: i64, now: Millis) -> Result<(), AppError> {
    sqlx::query("insert into live_mutes (session_id, user_id, muted_by, created_at_ms) values ($1, $2, $3, $4) on conflict (session_id, user_id) do nothing")
        .bind(id)
        .bind(user_id)
        .bind(by)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Slow mode's seconds, while the session has not ended.
pub async fn set_slow_mode(conn: &mut AnyConnection, id: i64, seconds: i64) -> Result<bool, AppError> {
    let r = sqlx::query("update live_sessions set slow_mode_secs = $2 where id = $1 and status <> 'ended'").bind(id).bind(seconds).execute(&mut *conn).await?;
    Ok(r.rows_affected() == 1)
}

/// Pins a shown comment of the session (or unpins with `None`) while it has not ended.
pub async fn set_pinned_comment(conn: &mut AnyConnection, id: i64, comment_id: Option<i64>) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update live_sessions set pinned_comment_id = $2 where id = $1 and status <> 'ended'
            and ($2 is null or exists (select 1 from live_comments c where c.session_id = $1 and c.id = $2 and c.hidden_at_ms is null))",
    )
    .bind(id)
    .bind(comment_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn banned_words(conn: &mut AnyConnection, store_id: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as("select word from live_banned_words where store_id = $1 order by word").bind(store_id).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Replaces the store's list (inside the caller's transaction).
pub async fn replace_banned_words(conn: &mut AnyConnection, store_id: i64, words: &[String]) -> Result<(), AppError> {
    sqlx::query("delete from live_banned_words where store_id = $1").bind(store_id).execute(&mut *conn).await?;
    for w in words {
        sqlx::query("insert into live_banned_words (store_id, word) values ($1, $2)").bind(store_id).bind(w).execute(&mut *conn).await?;
    }
    Ok(())
}

// ---- Hosts ----

/// Whether the store's managers let this staff member host.
pub async fn is_host(conn: &mut AnyConnection, store_id: i64, user_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select 1 from live_hosts where store_id = $1 and user_id = $2")
        .bind(store_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// The store's active staff (role staff), with whether each may host: (id, name, host).
pub async fn staff_and_hosts(conn: &mut AnyConnection, store_id: i64) -> Result<Vec<(i64, String, bool)>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "select u.id, u.name, case when exists (select 1 from live_hosts h where h.store_id = $1 and h.user_id = u.id) then 1 else 0 end
         from users u join user_roles r on r.user_id = u.id
         where r.role = 'staff' and r.store_id = $1 and u.active = $2 order by u.name, u.id",
    )
    .bind(store_id)
    .bind(true)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id, name, host)| (id, name, host != 0)).collect())
}

// ---- Reminders ----

/// What the resident bought of each line of the session: (product id, units).
pub async fn bought_all(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("select product_id, cast(units as bigint) from live_buyers where session_id = $1 and user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn is_reminded(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select 1 from live_reminders where session_id = $1 and user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

pub async fn remind(conn: &mut AnyConnection, id: i64, user_id: i64, now: Millis) -> Result<(), AppError> {
    sqlx::query("insert into live_reminders (session_id, user_id, created_at_ms) values ($1, $2, $3) on conflict (session_id, user_id) do nothing")
        .bind(id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn unremind(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<(), AppError> {
    sqlx::query("delete from live_reminders where session_id = $1 and user_id = $2").bind(id).bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// The sessions among `ids` the resident asked to be reminded of.
pub async fn reminded(conn: &mut AnyConnection, user_id: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select r.session_id from live_reminders r join live_sessions l on l.id = r.session_id where r.user_id = $1 and l.status = 'scheduled'",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// At go-live: a bell notification for everyone who asked, in the starting transaction.
pub async fn notify_reminders(conn: &mut AnyConnection, id: i64, now: Millis) -> Result<u64, AppError> {
    let r = sqlx::query(
        "insert into notifications (user_id, kind, created_at_ms, live_session_id)
         select user_id, 'live_started', $2, session_id from live_reminders where session_id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

// ---- Lists ----

#[derive(Clone, Debug, FromRow)]
pub struct CardRow {
    pub id: i64,
    pub store_id: i64,
    pub title: String,
    pub cover_url: Option<String>,
    pub status: String,
    pub starts_at_ms: i64,
    pub ended_at_ms: Option<i64>,
    pub products: i64,
}

/// A store's sessions for its 直播 tab: live and upcoming ones, then the latest ended ones.
pub async fn cards(conn: &mut AnyConnection, store_ids: Option<&[i64]>, ended_limit: i64) -> Result<Vec<CardRow>, AppError> {
    let scope = match store_ids {
        None => String::new(),
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!("and l.store_id in ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")),
    };
    let columns = "l.id, l.store_id, l.title, l.cover_url, l.status, l.starts_at_ms, l.ended_at_ms,
        (select count(*) from live_items i where i.session_id = l.id) as products";
    let mut rows: Vec<CardRow> = sqlx::query_as(&format!(
        "select {columns} from live_sessions l where l.status <> 'ended' {scope} order by l.status = 'live' desc, l.starts_at_ms, l.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let ended: Vec<CardRow> = sqlx::query_as(&format!(
        "select {columns} from live_sessions l where l.status = 'ended' {scope} order by l.ended_at_ms desc, l.id desc limit $1"
    ))
    .bind(ended_limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.extend(ended);
    Ok(rows)
}

/// The first pictures of a session's line-up.
pub async fn pictures(conn: &mut AnyConnection, id: i64, limit: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select p.image_id from live_items i join products p on p.id = i.product_id
         where i.session_id = $1 and p.image_id is not null order by i.position limit $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---- Viewers ----

/// This instance holds `viewers` of the session's streams now.
pub async fn write_viewers(pool: &AnyPool, id: i64, instance: &str, viewers: i64, now: Millis) -> Result<(), AppError> {
    sqlx::query(
        "insert into live_viewers (session_id, instance, viewers, at_ms) values ($1, $2, $3, $4)
         on conflict (session_id, instance) do update set viewers = excluded.viewers, at_ms = excluded.at_ms",
    )
    .bind(id)
    .bind(instance)
    .bind(viewers)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Viewers of the session across instances, counting rows written since `since`.
pub async fn viewers(conn: &mut AnyConnection, id: i64, since: Millis) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("select cast(coalesce(sum(viewers), 0) as bigint) from live_viewers where session_id = $1 and at_ms >= $2")
        .bind(id)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// Raises the session's peak to `viewers` if that is more; the peak after.
pub async fn raise_peak(pool: &AnyPool, id: i64, viewers: i64) -> Result<(), AppError> {
    sqlx::query("update live_sessions set viewers_peak = $2 where id = $1 and viewers_peak < $2 and status = 'live'").bind(id).bind(viewers).execute(pool).await?;
    Ok(())
}

/// Drops counts no instance has refreshed since `before` (an instance that stopped).
pub async fn purge_viewers(pool: &AnyPool, before: Millis) -> Result<(), AppError> {
    sqlx::query("delete from live_viewers where at_ms < $1").bind(before).execute(pool).await?;
    Ok(())
}

/// The relay's news of the host's video; false when the session is gone.
pub async fn set_video_state(conn: &mut AnyConnection, id: i64, state: &str) -> Result<bool, AppError> {
    let done = sqlx::query("update live_sessions set video_state = $2 where id = $1").bind(id).bind(state).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// A new stream key's hash replaces the old one (the old key stops working).
pub async fn set_stream_key_hash(conn: &mut AnyConnection, id: i64, hash: &str) -> Result<(), AppError> {
    sqlx::query("update live_sessions set stream_key_hash = $2 where id = $1").bind(id).bind(hash).execute(&mut *conn).await?;
    Ok(())
}

/// Whether `hash` is the session's stream key hash.
pub async fn stream_key_matches(conn: &mut AnyConnection, id: i64, hash: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select id from live_sessions where id = $1 and stream_key_hash = $2").bind(id).bind(hash).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// A recording's file began.
pub async fn insert_recording(conn: &mut AnyConnection, id: i64, file: &str, now: Millis) -> Result<(), AppError> {
    sqlx::query("insert into live_recordings (session_id, file, started_at_ms) values ($1, $2, $3)").bind(id).bind(file).bind(now).execute(&mut *conn).await?;
    Ok(())
}

/// A recording's file was closed.
pub async fn finish_recording(conn: &mut AnyConnection, id: i64, file: &str, duration_ms: i64, bytes: i64, now: Millis) -> Result<(), AppError> {
    sqlx::query("update live_recordings set ended_at_ms = $3, duration_ms = $4, bytes = $5 where session_id = $1 and file = $2")
        .bind(id)
        .bind(file)
        .bind(now)
        .bind(duration_ms)
        .bind(bytes)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A session's recordings in order: (id, file, duration_ms).
pub async fn recordings(conn: &mut AnyConnection, id: i64) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as("select id, file, duration_ms from live_recordings where session_id = $1 order by id").bind(id).fetch_all(&mut *conn).await?)
}

/// One recording's file, if it belongs to the session.
pub async fn recording_file(conn: &mut AnyConnection, id: i64, recording_id: i64) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("select file from live_recordings where session_id = $1 and id = $2").bind(id).bind(recording_id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.0))
}

/// The instance whose relay has the session's publisher (None: no publisher yet).
pub async fn video_relay(conn: &mut AnyConnection, id: i64) -> Result<Option<String>, AppError> {
    let row: Option<(Option<String>,)> = sqlx::query_as("select video_relay from live_sessions where id = $1").bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.and_then(|r| r.0))
}

pub async fn set_video_relay(conn: &mut AnyConnection, id: i64, instance: &str) -> Result<(), AppError> {
    sqlx::query("update live_sessions set video_relay = $2 where id = $1").bind(id).bind(instance).execute(&mut *conn).await?;
    Ok(())
}

/// Sessions live now: (id, store id).
pub async fn live_now(conn: &mut AnyConnection) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("select id, store_id from live_sessions where status = 'live' order by id").fetch_all(&mut *conn).await?)
}
