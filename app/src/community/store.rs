//! The group's SQL. A member's post or comment first passes `gate`: one conditional update of
//! their own member row (still a member, not muted, not within the gap), so on either backend
//! a mute or a removal landing at the same moment wins, and of two taps at once one writes —
//! the second waits for the first's row lock and then finds the gap not yet passed.
use super::model::{Comment, Member, PostKind};
use crate::server::db::placeholders;
use crate::shared::time::{rfc3339, Millis};
use crate::shared::AppError;
use sqlx::{AnyConnection, FromRow};

// ---- Members ----

#[derive(Clone, Debug, FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub display_name: String,
    pub estate: String,
    pub joined_at_ms: i64,
    pub left_at_ms: Option<i64>,
    pub removed_at_ms: Option<i64>,
    pub muted_until_ms: Option<i64>,
    pub muted_reason: Option<String>,
    pub last_active_ms: i64,
    pub last_post_ms: Option<i64>,
    /// Counted only for the members list (`members`); -1 elsewhere: every request reads its
    /// reader's row, and counting a prolific member's posts there is a scan per page.
    pub posts: i64,
    pub comments: i64,
    pub notify_announcements: i64,
    pub notify_live: i64,
    pub notify_group_buys: i64,
}

impl MemberRow {
    pub fn active(&self) -> bool {
        self.left_at_ms.is_none() && self.removed_at_ms.is_none()
    }

    pub fn muted_at(&self, now: Millis) -> bool {
        self.muted_until_ms.is_some_and(|t| t > now)
    }

    pub fn notify(&self) -> super::model::NotifyPrefs {
        super::model::NotifyPrefs { announcements: self.notify_announcements != 0, live: self.notify_live != 0, group_buys: self.notify_group_buys != 0 }
    }

    pub fn into_model(self, now: Millis) -> Member {
        let muted = self.muted_at(now);
        Member {
            user_id: self.user_id,
            label: super::rules::label(&self.display_name, &self.estate),
            display_name: self.display_name,
            estate: self.estate,
            joined_at: rfc3339(self.joined_at_ms),
            muted_until: self.muted_until_ms.filter(|_| muted).map(rfc3339),
            muted_reason: self.muted_reason.filter(|_| muted),
            posts: (self.posts >= 0).then_some(self.posts),
            comments: (self.comments >= 0).then_some(self.comments),
            last_active_at: rfc3339(self.last_active_ms),
        }
    }
}

const MEMBER_COLUMNS: &str = "m.user_id, m.display_name, m.estate, m.joined_at_ms, m.left_at_ms, m.removed_at_ms, m.muted_until_ms, m.muted_reason,
    m.last_active_ms, m.last_post_ms,
    case when m.notify_announcements then 1 else 0 end as notify_announcements, case when m.notify_live then 1 else 0 end as notify_live,
    case when m.notify_group_buys then 1 else 0 end as notify_group_buys";
/// The members list's activity columns.
const MEMBER_COUNTS: &str = "(select count(*) from community_posts p where p.store_id = m.store_id and p.author_id = m.user_id and p.hidden_at_ms is null and not p.by_store) as posts,
    (select count(*) from community_comments c join community_posts p on p.id = c.post_id
        where p.store_id = m.store_id and c.author_id = m.user_id and c.hidden_at_ms is null and not c.by_store) as comments";

/// The person's row in the store's group, whatever its state.
pub async fn member(conn: &mut AnyConnection, store_id: i64, user_id: i64) -> Result<Option<MemberRow>, AppError> {
    Ok(sqlx::query_as(&format!("select {MEMBER_COLUMNS}, -1 as posts, -1 as comments from community_members m where m.store_id = $1 and m.user_id = $2"))
        .bind(store_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Joins (or joins again, or renames): false when the store removed them.
pub async fn join(conn: &mut AnyConnection, store_id: i64, user_id: i64, name: &str, estate: &str, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "insert into community_members (store_id, user_id, display_name, estate, joined_at_ms, last_active_ms) values ($1, $2, $3, $4, $5, $5)
         on conflict (store_id, user_id) do update set display_name = excluded.display_name, estate = excluded.estate,
            joined_at_ms = case when community_members.left_at_ms is null then community_members.joined_at_ms else excluded.joined_at_ms end,
            left_at_ms = null
         where community_members.removed_at_ms is null",
    )
    .bind(store_id)
    .bind(user_id)
    .bind(name)
    .bind(estate)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn leave(conn: &mut AnyConnection, store_id: i64, user_id: i64, now: Millis) -> Result<(), AppError> {
    sqlx::query("update community_members set left_at_ms = $3 where store_id = $1 and user_id = $2 and left_at_ms is null")
        .bind(store_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The group's members now, the most recently active first.
pub async fn members(conn: &mut AnyConnection, store_id: i64) -> Result<Vec<MemberRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select {MEMBER_COLUMNS}, {MEMBER_COUNTS} from community_members m
         where m.store_id = $1 and m.left_at_ms is null and m.removed_at_ms is null order by m.last_active_ms desc, m.user_id"
    ))
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn member_count(conn: &mut AnyConnection, store_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from community_members where store_id = $1 and left_at_ms is null and removed_at_ms is null")
        .bind(store_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// Read-only until `until` (0 lifts it), with the reason they are shown; false for someone
/// who is not a member now.
pub async fn mute(conn: &mut AnyConnection, store_id: i64, user_id: i64, until: Millis, reason: &str, by: i64) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update community_members set muted_until_ms = $3, muted_reason = $4, muted_by = $5
         where store_id = $1 and user_id = $2 and left_at_ms is null and removed_at_ms is null",
    )
    .bind(store_id)
    .bind(user_id)
    .bind(until)
    .bind(reason)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Removes a member; false when they were not one.
pub async fn remove(conn: &mut AnyConnection, store_id: i64, user_id: i64, by: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query("update community_members set removed_at_ms = $3, removed_by = $4 where store_id = $1 and user_id = $2 and removed_at_ms is null")
        .bind(store_id)
        .bind(user_id)
        .bind(now)
        .bind(by)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// What a member is about to write: each has its own pace.
#[derive(Clone, Copy, Debug)]
pub enum Writing {
    Post,
    Comment,
}

/// Lets a member write now — in the group, not muted, and the gap since their last post (or
/// comment) passed — and marks it written and them active, in the caller's transaction; false
/// when any of that fails (the caller says which, and rolls back).
pub async fn gate(conn: &mut AnyConnection, store_id: i64, user_id: i64, writing: Writing, gap_ms: Millis, now: Millis) -> Result<bool, AppError> {
    let last = match writing {
        Writing::Post => "last_post_ms",
        Writing::Comment => "last_comment_ms",
    };
    let r = sqlx::query(&format!(
        "update community_members set {last} = $3, last_active_ms = $3
         where store_id = $1 and user_id = $2 and left_at_ms is null and removed_at_ms is null
            and (muted_until_ms is null or muted_until_ms <= $3) and ({last} is null or {last} <= $3 - $4)"
    ))
    .bind(store_id)
    .bind(user_id)
    .bind(now)
    .bind(gap_ms)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Whether the store's managers let this staff member moderate.
pub async fn is_moderator(conn: &mut AnyConnection, store_id: i64, user_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select 1 from community_moderators where store_id = $1 and user_id = $2")
        .bind(store_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

// ---- Posts ----

/// Writes a post (a member's has passed `gate` in the same transaction).
#[expect(clippy::too_many_arguments, reason = "one row's columns")]
pub async fn insert_post(
    conn: &mut AnyConnection,
    store_id: i64,
    author_id: i64,
    kind: PostKind,
    by_store: bool,
    body: &str,
    product_id: Option<i64>,
    now: Millis,
) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into community_posts (store_id, author_id, kind, by_store, body, product_id, created_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(store_id)
    .bind(author_id)
    .bind(kind.as_str())
    .bind(by_store)
    .bind(body)
    .bind(product_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// A photo of a post, served by its unguessable `token`.
pub async fn insert_photo(conn: &mut AnyConnection, post_id: i64, position: i64, card: i64, large: i64, token: &str) -> Result<(), AppError> {
    sqlx::query("insert into community_post_photos (post_id, position, card_media_id, large_media_id, token) values ($1, $2, $3, $4, $5)")
        .bind(post_id)
        .bind(position)
        .bind(card)
        .bind(large)
        .bind(token)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert_post_product(conn: &mut AnyConnection, post_id: i64, position: i64, product_id: i64) -> Result<(), AppError> {
    sqlx::query("insert into community_post_products (post_id, position, product_id) values ($1, $2, $3)")
        .bind(post_id)
        .bind(position)
        .bind(product_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, FromRow)]
pub struct PostRow {
    pub id: i64,
    pub store_id: i64,
    pub kind: String,
    pub author_id: i64,
    pub by_store: i64,
    pub body: String,
    pub product_id: Option<i64>,
    pub pinned_at_ms: Option<i64>,
    pub created_at_ms: i64,
    pub hidden_at_ms: Option<i64>,
    pub hidden_reason: Option<String>,
    pub display_name: Option<String>,
    pub estate: Option<String>,
    pub store_name: String,
    pub likes: i64,
    pub comments: i64,
    pub liked: i64,
}

impl PostRow {
    pub fn kind(&self) -> PostKind {
        PostKind::parse(&self.kind).unwrap_or(PostKind::Post)
    }

    pub fn author(&self) -> String {
        if self.by_store != 0 {
            return self.store_name.clone();
        }
        match (&self.display_name, &self.estate) {
            (Some(n), Some(e)) => super::rules::label(n, e),
            _ => "邻居".to_string(),
        }
    }
}

/// `$1` store, `$2` the reader (0 for nobody): the columns every post query reads.
const POST_COLUMNS: &str = "p.id, p.store_id, p.kind, p.author_id, case when p.by_store then 1 else 0 end as by_store, p.body, p.product_id,
    p.pinned_at_ms, p.created_at_ms, p.hidden_at_ms, p.hidden_reason, m.display_name, m.estate, s.name as store_name,
    (select count(*) from community_likes l where l.post_id = p.id) as likes,
    (select count(*) from community_comments c where c.post_id = p.id and c.hidden_at_ms is null) as comments,
    (select count(*) from community_likes l where l.post_id = p.id and l.user_id = $2) as liked";
const POST_FROM: &str = "from community_posts p join stores s on s.id = p.store_id
    left join community_members m on m.store_id = p.store_id and m.user_id = p.author_id";

/// One page of the feed, newest first, pinned posts left out (they lead the first page):
/// posts shown to everyone, and the reader's own hidden ones. One more than `limit` is read
/// to know whether a page follows.
pub async fn feed(conn: &mut AnyConnection, store_id: i64, reader: i64, before: Option<i64>, limit: i64) -> Result<Vec<PostRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select {POST_COLUMNS} {POST_FROM}
         where p.store_id = $1 and p.pinned_at_ms is null and (p.hidden_at_ms is null or p.author_id = $2) and p.id < $3
         order by p.id desc limit $4"
    ))
    .bind(store_id)
    .bind(reader)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?)
}

/// The pinned posts, the latest pin first.
pub async fn pinned(conn: &mut AnyConnection, store_id: i64, reader: i64) -> Result<Vec<PostRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select {POST_COLUMNS} {POST_FROM} where p.store_id = $1 and p.pinned_at_ms is not null and p.hidden_at_ms is null
         order by p.pinned_at_ms desc, p.id desc limit $3"
    ))
    .bind(store_id)
    .bind(reader)
    .bind(MAX_PINNED)
    .fetch_all(&mut *conn)
    .await?)
}

/// One post of the store, hidden or not (the caller decides who sees a hidden one).
pub async fn post(conn: &mut AnyConnection, store_id: i64, post_id: i64, reader: i64) -> Result<Option<PostRow>, AppError> {
    Ok(sqlx::query_as(&format!("select {POST_COLUMNS} {POST_FROM} where p.store_id = $1 and p.id = $3"))
        .bind(store_id)
        .bind(reader)
        .bind(post_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// `(post id, column)` of a per-post table's rows for these posts, each post's in order.
async fn per_post<T>(conn: &mut AnyConnection, table: &str, column: &str, post_ids: &[i64]) -> Result<Vec<(i64, T)>, AppError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("select post_id, {column} from {table} where post_id in ({}) order by post_id, position", placeholders(1, post_ids.len()));
    let mut q = sqlx::query_as(&sql);
    for id in post_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Photos of these posts: (post id, token), in order.
pub async fn photos(conn: &mut AnyConnection, post_ids: &[i64]) -> Result<Vec<(i64, String)>, AppError> {
    per_post(conn, "community_post_photos", "token", post_ids).await
}

/// 今日鲜货's products of these posts: (post id, product id), in order.
pub async fn post_products(conn: &mut AnyConnection, post_ids: &[i64]) -> Result<Vec<(i64, i64)>, AppError> {
    per_post(conn, "community_post_products", "product_id", post_ids).await
}

/// The photo's media (card, large) when its post is still shown.
pub async fn photo_media(conn: &mut AnyConnection, token: &str) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select f.card_media_id, f.large_media_id from community_post_photos f join community_posts p on p.id = f.post_id
         where f.token = $1 and p.hidden_at_ms is null",
    )
    .bind(token)
    .fetch_optional(&mut *conn)
    .await?)
}

/// How many posts stay pinned at once: a newer pin unpins the oldest past these.
pub const MAX_PINNED: i64 = 5;

/// Pins or unpins one of the store's own posts still shown; false otherwise.
pub async fn set_pinned(conn: &mut AnyConnection, store_id: i64, post_id: i64, pinned: bool, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update community_posts set pinned_at_ms = case when $3 then $4 else null end
         where store_id = $1 and id = $2 and by_store and hidden_at_ms is null",
    )
    .bind(store_id)
    .bind(post_id)
    .bind(pinned)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update community_posts set pinned_at_ms = null where store_id = $1 and pinned_at_ms is not null
            and id not in (select id from community_posts where store_id = $1 and pinned_at_ms is not null order by pinned_at_ms desc, id desc limit $2)",
    )
    .bind(store_id)
    .bind(MAX_PINNED)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Hides a post (and unpins it); false when it was already hidden or is not the store's.
pub async fn hide_post(conn: &mut AnyConnection, store_id: i64, post_id: i64, by: i64, reason: &str, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update community_posts set hidden_at_ms = $4, hidden_by = $3, hidden_reason = $5, pinned_at_ms = null
         where store_id = $1 and id = $2 and hidden_at_ms is null",
    )
    .bind(store_id)
    .bind(post_id)
    .bind(by)
    .bind(now)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- Comments ----

#[derive(Clone, Debug, FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub post_id: i64,
    pub author_id: i64,
    pub by_store: i64,
    pub body: String,
    pub created_at_ms: i64,
    pub hidden_at_ms: Option<i64>,
    pub hidden_reason: Option<String>,
    pub display_name: Option<String>,
    pub estate: Option<String>,
    pub store_name: String,
}

impl CommentRow {
    pub fn into_model(self, reader: i64) -> Comment {
        let author = if self.by_store != 0 {
            self.store_name
        } else {
            match (&self.display_name, &self.estate) {
                (Some(n), Some(e)) => super::rules::label(n, e),
                _ => "邻居".to_string(),
            }
        };
        Comment {
            id: self.id,
            post_id: self.post_id,
            author,
            by_store: self.by_store != 0,
            mine: self.author_id == reader,
            body: self.body,
            created_at: rfc3339(self.created_at_ms),
            hidden_reason: self.hidden_reason.filter(|_| self.hidden_at_ms.is_some()),
        }
    }
}

const COMMENT_SELECT: &str = "select c.id, c.post_id, c.author_id, case when c.by_store then 1 else 0 end as by_store, c.body, c.created_at_ms,
    c.hidden_at_ms, c.hidden_reason, m.display_name, m.estate, s.name as store_name
    from community_comments c join community_posts p on p.id = c.post_id join stores s on s.id = p.store_id
    left join community_members m on m.store_id = p.store_id and m.user_id = c.author_id";

/// Writes a comment under a post shown in the store's group (a member's has passed `gate`);
/// `None` when the post is not there or hidden.
pub async fn insert_comment(conn: &mut AnyConnection, store_id: i64, author_id: i64, post_id: i64, by_store: bool, body: &str, now: Millis) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "insert into community_comments (post_id, author_id, by_store, body, created_at_ms)
         select $3, $2, $4, $5, $6 where exists (select 1 from community_posts p where p.id = $3 and p.store_id = $1 and p.hidden_at_ms is null)
         returning id",
    )
    .bind(store_id)
    .bind(author_id)
    .bind(post_id)
    .bind(by_store)
    .bind(body)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// A post's latest 500 comments, oldest first: those shown, and the reader's own hidden ones.
pub async fn comments(conn: &mut AnyConnection, post_id: i64, reader: i64) -> Result<Vec<CommentRow>, AppError> {
    let mut rows: Vec<CommentRow> =
        sqlx::query_as(&format!("{COMMENT_SELECT} where c.post_id = $1 and (c.hidden_at_ms is null or c.author_id = $2) order by c.id desc limit 500"))
            .bind(post_id)
            .bind(reader)
            .fetch_all(&mut *conn)
            .await?;
    rows.reverse();
    Ok(rows)
}

/// A comment in the store's group, hidden or not.
pub async fn comment(conn: &mut AnyConnection, store_id: i64, comment_id: i64) -> Result<Option<CommentRow>, AppError> {
    Ok(sqlx::query_as(&format!("{COMMENT_SELECT} where c.id = $1 and p.store_id = $2"))
        .bind(comment_id)
        .bind(store_id)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn hide_comment(conn: &mut AnyConnection, comment_id: i64, by: i64, reason: &str, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query("update community_comments set hidden_at_ms = $3, hidden_by = $2, hidden_reason = $4 where id = $1 and hidden_at_ms is null")
        .bind(comment_id)
        .bind(by)
        .bind(now)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

// ---- Likes ----

/// Likes a post shown in the group, as a member now (muted members may still like) or as the
/// store's moderator (`store`); twice is once. False when the post is not there or they are
/// not a member.
pub async fn like(conn: &mut AnyConnection, store_id: i64, user_id: i64, post_id: i64, store: bool, now: Millis) -> Result<bool, AppError> {
    sqlx::query(
        "insert into community_likes (post_id, user_id, created_at_ms)
         select $3, $2, $4 where exists (select 1 from community_posts p where p.id = $3 and p.store_id = $1 and p.hidden_at_ms is null)
            and ($5 or exists (select 1 from community_members m where m.store_id = $1 and m.user_id = $2 and m.left_at_ms is null and m.removed_at_ms is null))
         on conflict (post_id, user_id) do nothing",
    )
    .bind(store_id)
    .bind(user_id)
    .bind(post_id)
    .bind(now)
    .bind(store)
    .execute(&mut *conn)
    .await?;
    let row: Option<(i64,)> = sqlx::query_as("select 1 from community_likes where post_id = $1 and user_id = $2").bind(post_id).bind(user_id).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

pub async fn unlike(conn: &mut AnyConnection, user_id: i64, post_id: i64) -> Result<(), AppError> {
    sqlx::query("delete from community_likes where post_id = $1 and user_id = $2").bind(post_id).bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

// ---- Polls ----

pub async fn insert_poll(conn: &mut AnyConnection, post_id: i64, multiple: bool, closes_at_ms: Millis, options: &[String]) -> Result<(), AppError> {
    sqlx::query("insert into community_polls (post_id, multiple, closes_at_ms) values ($1, $2, $3)")
        .bind(post_id)
        .bind(multiple)
        .bind(closes_at_ms)
        .execute(&mut *conn)
        .await?;
    for (i, label) in options.iter().enumerate() {
        sqlx::query("insert into community_poll_options (post_id, position, label) values ($1, $2, $3)")
            .bind(post_id)
            .bind(i as i64)
            .bind(label)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[derive(Clone, Debug, FromRow)]
pub struct PollRow {
    pub post_id: i64,
    pub multiple: i64,
    pub closes_at_ms: i64,
    pub voters: i64,
}

/// The polls among these posts, with how many voted.
pub async fn polls(conn: &mut AnyConnection, post_ids: &[i64]) -> Result<Vec<PollRow>, AppError> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select q.post_id, case when q.multiple then 1 else 0 end as multiple, q.closes_at_ms,
            (select count(*) from community_ballots b where b.post_id = q.post_id) as voters
         from community_polls q where q.post_id in ({})",
        placeholders(1, post_ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in post_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// The choices of these polls with their votes: (post id, option id, label, votes), in order.
pub async fn options(conn: &mut AnyConnection, post_ids: &[i64]) -> Result<Vec<(i64, i64, String, i64)>, AppError> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select o.post_id, o.id, o.label, (select count(*) from community_votes v where v.option_id = o.id) as votes
         from community_poll_options o where o.post_id in ({}) order by o.post_id, o.position",
        placeholders(1, post_ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in post_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// The reader's choices in these polls: (post id, option id).
pub async fn my_votes(conn: &mut AnyConnection, post_ids: &[i64], user_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("select post_id, option_id from community_votes where user_id = $1 and post_id in ({})", placeholders(2, post_ids.len()));
    let mut q = sqlx::query_as(&sql).bind(user_id);
    for id in post_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Casts the member's ballot while the poll is open: true when this call cast it, false when
/// the poll closed, they are not a member, or they had voted — the primary key lets exactly
/// one of two taps at once through.
pub async fn cast_ballot(conn: &mut AnyConnection, store_id: i64, user_id: i64, post_id: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "insert into community_ballots (post_id, user_id, created_at_ms)
         select $3, $2, $4 where exists (select 1 from community_polls q join community_posts p on p.id = q.post_id
                where q.post_id = $3 and p.store_id = $1 and p.hidden_at_ms is null and q.closes_at_ms > $4)
            and exists (select 1 from community_members m where m.store_id = $1 and m.user_id = $2 and m.left_at_ms is null and m.removed_at_ms is null)
         on conflict (post_id, user_id) do nothing",
    )
    .bind(store_id)
    .bind(user_id)
    .bind(post_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn insert_vote(conn: &mut AnyConnection, post_id: i64, user_id: i64, option_id: i64) -> Result<(), AppError> {
    sqlx::query("insert into community_votes (post_id, user_id, option_id) values ($1, $2, $3)")
        .bind(post_id)
        .bind(user_id)
        .bind(option_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn has_ballot(conn: &mut AnyConnection, post_id: i64, user_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select 1 from community_ballots where post_id = $1 and user_id = $2").bind(post_id).bind(user_id).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

// ---- Reports ----

/// Files a member's report of a post or a comment of the store's group; false when they had
/// reported it already (a unique index each way decides between taps at once).
pub async fn insert_report(conn: &mut AnyConnection, store_id: i64, post_id: Option<i64>, comment_id: Option<i64>, reporter: i64, reason: &str, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query(
        "insert into community_reports (store_id, post_id, comment_id, reporter_id, reason, created_at_ms)
         values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
    )
    .bind(store_id)
    .bind(post_id)
    .bind(comment_id)
    .bind(reporter)
    .bind(reason)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Clone, Debug, FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub post_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub reason: String,
    pub created_at_ms: i64,
    pub reporter: String,
    pub reporter_estate: Option<String>,
}

/// The store's open reports, oldest first.
pub async fn open_reports(conn: &mut AnyConnection, store_id: i64) -> Result<Vec<ReportRow>, AppError> {
    Ok(sqlx::query_as(
        "select r.id, r.post_id, r.comment_id, r.reason, r.created_at_ms, coalesce(m.display_name, u.name) as reporter, m.estate as reporter_estate
         from community_reports r join users u on u.id = r.reporter_id
         left join community_members m on m.store_id = r.store_id and m.user_id = r.reporter_id
         where r.store_id = $1 and r.resolved_at_ms is null order by r.id limit 200",
    )
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A report of the store: (post id, comment id, resolved).
pub async fn report(conn: &mut AnyConnection, store_id: i64, report_id: i64) -> Result<Option<(Option<i64>, Option<i64>, bool)>, AppError> {
    let row: Option<(Option<i64>, Option<i64>, Option<i64>)> =
        sqlx::query_as("select post_id, comment_id, resolved_at_ms from community_reports where store_id = $1 and id = $2")
            .bind(store_id)
            .bind(report_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(p, c, r)| (p, c, r.is_some())))
}

/// Closes every open report of the post (or the comment) with the outcome.
pub async fn resolve_reports(conn: &mut AnyConnection, store_id: i64, post_id: Option<i64>, comment_id: Option<i64>, by: i64, outcome: &str, now: Millis) -> Result<u64, AppError> {
    let r = sqlx::query(
        "update community_reports set resolved_at_ms = $5, resolved_by = $4, outcome = $6
         where store_id = $1 and resolved_at_ms is null and coalesce(post_id, 0) = coalesce($2, 0) and coalesce(comment_id, 0) = coalesce($3, 0)",
    )
    .bind(store_id)
    .bind(post_id)
    .bind(comment_id)
    .bind(by)
    .bind(now)
    .bind(outcome)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// The store whose group a post is in.
pub async fn post_store(conn: &mut AnyConnection, post_id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select store_id from community_posts where id = $1").bind(post_id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.0))
}

/// The clerks the store's managers let moderate.
pub async fn moderator_ids(conn: &mut AnyConnection, store_id: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as("select user_id from community_moderators where store_id = $1").bind(store_id).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---- The bell ----

/// Which of a member's switches a piece of news answers to.
#[derive(Clone, Copy, Debug)]
pub enum News {
    Announcement { post_id: i64 },
    Live { session_id: i64 },
    GroupBuy { group_buy_id: i64 },
}

/// Puts the news in the bell of the store's members who want it, in the caller's transaction.
/// Nobody is told the same news twice: a member of two stores of a group buy, or someone
/// whose 提醒我 already said the session went live.
pub async fn notify_members(conn: &mut AnyConnection, store_id: i64, news: News, now: Millis) -> Result<u64, AppError> {
    let (kind, switch, post, live, group_buy) = match news {
        News::Announcement { post_id } => ("group_announcement", "notify_announcements", Some(post_id), None, None),
        News::Live { session_id } => ("group_live", "notify_live", None, Some(session_id), None),
        News::GroupBuy { group_buy_id } => ("group_buy_new", "notify_group_buys", None, None, Some(group_buy_id)),
    };
    let r = sqlx::query(&format!(
        "insert into notifications (user_id, kind, created_at_ms, community_post_id, live_session_id, group_buy_id)
         select m.user_id, $2, $3, $4, $5, $6 from community_members m
         where m.store_id = $1 and m.{switch} and m.left_at_ms is null and m.removed_at_ms is null
            and not exists (select 1 from notifications n where n.user_id = m.user_id
                and (n.community_post_id = $4 or n.live_session_id = $5 or n.group_buy_id = $6))"
    ))
    .bind(store_id)
    .bind(kind)
    .bind(now)
    .bind(post)
    .bind(live)
    .bind(group_buy)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// Claims a piece of news for telling (false: another pass or instance already did).
pub async fn claim_fanout(conn: &mut AnyConnection, kind: &str, ref_id: i64, now: Millis) -> Result<bool, AppError> {
    let r = sqlx::query("insert into community_fanouts (kind, ref_id, created_at_ms) values ($1, $2, $3) on conflict (kind, ref_id) do nothing")
        .bind(kind)
        .bind(ref_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The news of this kind told lately (live sessions and group buys are news for at most
/// their 60 days; older claims only keep `claim_fanout` from telling them again).
pub async fn told(conn: &mut AnyConnection, kind: &str) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as("select ref_id from community_fanouts where kind = $1 and created_at_ms > $2")
        .bind(kind)
        .bind(crate::shared::time::now_ms() - 90 * 86_400_000)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The member's switches for the bell.
pub async fn set_notify(conn: &mut AnyConnection, store_id: i64, user_id: i64, announcements: bool, live: bool, group_buys: bool) -> Result<bool, AppError> {
    let r = sqlx::query(
        "update community_members set notify_announcements = $3, notify_live = $4, notify_group_buys = $5
         where store_id = $1 and user_id = $2 and left_at_ms is null and removed_at_ms is null",
    )
    .bind(store_id)
    .bind(user_id)
    .bind(announcements)
    .bind(live)
    .bind(group_buys)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// 晒单 of a product in the store's group, still shown, newest first.
pub async fn reviews(conn: &mut AnyConnection, store_id: i64, product_id: i64, limit: i64) -> Result<Vec<PostRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select {POST_COLUMNS} {POST_FROM} where p.store_id = $1 and p.product_id = $3 and p.hidden_at_ms is null and not p.by_store
            and m.removed_at_ms is null
         order by p.id desc limit $4"
    ))
    .bind(store_id)
    .bind(0_i64)
    .bind(product_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}
