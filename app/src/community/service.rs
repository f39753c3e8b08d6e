//! The group's actions, shared by the JSON API and the pages: join and leave, read the feed,
//! post, comment, like, vote, report; and the store's side: announcements, polls, 今日鲜货,
//! pins, hiding, mutes, removals and the report queue. Who may do what is decided here.
use super::model::{
    Comment, Feed, JoinRequest, Member, Membership, NewAnnouncement, NewPoll, NewPost, Poll, PollOption, Post, PostKind, PostPhoto, PostProduct, Report, Thread,
};
use super::rules::{self, MODERATOR_ROLES};
use super::store::{self, PostRow, Writing};
use crate::accounts::rules::{may_act, staff_store_ids};
use crate::accounts::Me;
use crate::server::Db;
use crate::shared::time::{local_time, now_ms, rfc3339, Millis, STORE_UTC_OFFSET_MS};
use crate::shared::{AppError, ErrorCode};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// How the reader stands in a store's group.
#[derive(Clone, Debug)]
enum Reader {
    /// Staff who moderate it (and post for the store).
    Moderator,
    Member(store::MemberRow),
}

/// Whether `me` moderates the store's group: its managers and the owner, and staff of the
/// store its managers allowed.
pub async fn moderates(conn: &mut AnyConnection, me: &Me, store_id: i64) -> Result<bool, AppError> {
    if may_act(&me.roles, store_id, MODERATOR_ROLES) {
        return Ok(true);
    }
    if !staff_store_ids(me).is_some_and(|ids| ids.contains(&store_id)) {
        return Ok(false);
    }
    store::is_moderator(conn, store_id, me.id).await
}

/// The store (404 when there is none), and how `me` may read its group: members and its
/// moderators; `not_member` (403) for everyone else, `removed_from_group` for the removed.
/// Holds no connection while it takes another: a request never waits on the pool holding one.
async fn reader(db: &Db, me: &Me, store_id: i64) -> Result<Reader, AppError> {
    crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    let mut conn = db.pool.acquire().await?;
    if moderates(&mut conn, me, store_id).await? {
        return Ok(Reader::Moderator);
    }
    match store::member(&mut conn, store_id, me.id).await? {
        Some(m) if m.active() => Ok(Reader::Member(m)),
        Some(m) if m.removed_at_ms.is_some() => Err(AppError::new(ErrorCode::RemovedFromGroup)),
        _ => Err(AppError::new(ErrorCode::NotMember)),
    }
}

/// For the store's side: its moderators pass; its members and staff are refused (403), and
/// anyone else is told there is nothing here (404) — another store's staff included.
async fn moderator(db: &Db, me: &Me, store_id: i64) -> Result<(), AppError> {
    crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    let mut conn = db.pool.acquire().await?;
    if moderates(&mut conn, me, store_id).await? {
        return Ok(());
    }
    let staff_here = staff_store_ids(me).is_some_and(|ids| ids.contains(&store_id));
    let member = store::member(&mut conn, store_id, me.id).await?.is_some_and(|m| m.active());
    Err(if staff_here || member { AppError::forbidden() } else { AppError::not_found() })
}

/// The reader's place in the store's group.
pub async fn membership(db: &Db, me: &Me, store_id: i64) -> Result<Membership, AppError> {
    let store = crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    let mut conn = db.pool.acquire().await?;
    let row = store::member(&mut conn, store_id, me.id).await?;
    let removed = row.as_ref().is_some_and(|m| m.removed_at_ms.is_some());
    let now = now_ms();
    let active = row.filter(store::MemberRow::active);
    Ok(Membership {
        store_id,
        store_name: store.name,
        notify: active.as_ref().map(store::MemberRow::notify),
        member: active.map(|m| m.into_model(now)),
        removed,
        moderator: moderates(&mut conn, me, store_id).await?,
        members: store::member_count(&mut conn, store_id).await?,
    })
}

/// Joins the store's group (from the counter's QR code or a shared link) with the name and
/// 小区 the group sees; joining again renames. Not for someone the store removed.
pub async fn join(db: &Db, me: &Me, store_id: i64, req: &JoinRequest) -> Result<Membership, AppError> {
    let (name, estate) = rules::check_join(req)?;
    crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    let mut tx = db.begin_write().await?;
    if !store::join(&mut tx, store_id, me.id, &name, &estate, now_ms()).await? {
        return Err(AppError::new(ErrorCode::RemovedFromGroup));
    }
    tx.commit().await?;
    tracing::info!(store_id, user_id = me.id, "joined the store's group");
    membership(db, me, store_id).await
}

/// Leaves the group; their posts stay under their name. Leaving twice is leaving once.
pub async fn leave(db: &Db, me: &Me, store_id: i64) -> Result<Membership, AppError> {
    crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    let mut tx = db.begin_write().await?;
    store::leave(&mut tx, store_id, me.id, now_ms()).await?;
    tx.commit().await?;
    membership(db, me, store_id).await
}

/// The members list for the store: join date, 小区, posts and comments, last active.
pub async fn members(db: &Db, me: &Me, store_id: i64) -> Result<Vec<Member>, AppError> {
    moderator(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    let now = now_ms();
    Ok(store::members(&mut conn, store_id).await?.into_iter().map(|m| m.into_model(now)).collect())
}

/// A page of the feed: the pinned posts on the first page, then the newest posts before
/// `before` (a post id).
pub async fn feed(db: &Db, me: &Me, store_id: i64, before: Option<i64>) -> Result<Feed, AppError> {
    let who = reader(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    let moderator = matches!(who, Reader::Moderator);
    let pinned = if before.is_none() { store::pinned(&mut conn, store_id, me.id).await? } else { Vec::new() };
    let mut rows = store::feed(&mut conn, store_id, me.id, before, rules::PAGE).await?;
    let next_before = if rows.len() as i64 > rules::PAGE {
        rows.truncate(rules::PAGE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let pinned_count = pinned.len();
    let mut all = assemble(&mut conn, store_id, me.id, moderator, pinned.into_iter().chain(rows).collect()).await?;
    let posts = all.split_off(pinned_count);
    Ok(Feed { pinned: all, posts, next_before })
}

/// A post and its comments: 404 for a post hidden from the reader.
pub async fn thread(db: &Db, me: &Me, store_id: i64, post_id: i64) -> Result<Thread, AppError> {
    let who = reader(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    let moderator = matches!(who, Reader::Moderator);
    let post = visible_post(&mut conn, store_id, post_id, me.id, moderator).await?;
    let comments = store::comments(&mut conn, post_id, me.id).await?.into_iter().map(|c| c.into_model(me.id)).collect();
    Ok(Thread { post, comments })
}

/// One post as the reader sees it; hidden posts only for their author and the store.
async fn visible_post(conn: &mut AnyConnection, store_id: i64, post_id: i64, reader: i64, moderator: bool) -> Result<Post, AppError> {
    let row = store::post(conn, store_id, post_id, reader).await?.ok_or_else(AppError::not_found)?;
    if row.hidden_at_ms.is_some() && row.author_id != reader && !moderator {
        return Err(AppError::not_found());
    }
    assemble(conn, store_id, reader, moderator, vec![row]).await?.pop().ok_or_else(AppError::not_found)
}

/// Rows into posts: photos, products at today's price here, polls with the reader's choices.
async fn assemble(conn: &mut AnyConnection, store_id: i64, reader: i64, moderator: bool, rows: Vec<PostRow>) -> Result<Vec<Post>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut photos: HashMap<i64, Vec<PostPhoto>> = HashMap::new();
    for (post_id, token) in store::photos(conn, &ids).await? {
        photos.entry(post_id).or_default().push(PostPhoto { card_url: format!("/community/photos/{token}/card"), large_url: format!("/community/photos/{token}/large") });
    }
    let listed = store::post_products(conn, &ids).await?;
    let mut product_ids: Vec<i64> = listed.iter().map(|(_, p)| *p).chain(rows.iter().filter_map(|r| r.product_id)).collect();
    product_ids.sort_unstable();
    product_ids.dedup();
    let shelf: HashMap<i64, crate::catalog::Product> = crate::catalog::products_at(conn, store_id, &product_ids).await?.into_iter().map(|p| (p.id, p)).collect();
    let product = |id: i64| {
        shelf.get(&id).map(|p| PostProduct { id, name: p.name.clone(), unit: p.unit.clone(), image_url: p.image_url.clone(), price_fen: Some(p.price_fen) })
    };
    let mut products: HashMap<i64, Vec<PostProduct>> = HashMap::new();
    for (post_id, pid) in &listed {
        if let Some(p) = product(*pid) {
            products.entry(*post_id).or_default().push(p);
        }
    }
    let polls = store::polls(conn, &ids).await?;
    let poll_ids: Vec<i64> = polls.iter().map(|p| p.post_id).collect();
    let options = store::options(conn, &poll_ids).await?;
    let mine = store::my_votes(conn, &poll_ids, reader).await?;
    let now = now_ms();
    let polls: HashMap<i64, Poll> = polls
        .into_iter()
        .map(|q| {
            let voted: Vec<i64> = mine.iter().filter(|(p, _)| *p == q.post_id).map(|(_, o)| *o).collect();
            let closed = q.closes_at_ms <= now;
            let show = rules::shows_results(!voted.is_empty(), closed, moderator);
            let options = options
                .iter()
                .filter(|(p, ..)| *p == q.post_id)
                .map(|(_, id, label, votes)| PollOption { id: *id, label: label.clone(), votes: show.then_some(*votes) })
                .collect();
            let poll = Poll { multiple: q.multiple != 0, closes_at: rfc3339(q.closes_at_ms), closes_at_ms: q.closes_at_ms, closed, options, voted, voters: show.then_some(q.voters) };
            (q.post_id, poll)
        })
        .collect();
    let mut polls = polls;
    Ok(rows
        .into_iter()
        .map(|r| Post {
            id: r.id,
            store_id: r.store_id,
            kind: r.kind(),
            author: r.author(),
            by_store: r.by_store != 0,
            mine: r.author_id == reader,
            photos: photos.remove(&r.id).unwrap_or_default(),
            product: r.product_id.and_then(product),
            products: products.remove(&r.id).unwrap_or_default(),
            poll: polls.remove(&r.id),
            pinned: r.pinned_at_ms.is_some(),
            created_at: rfc3339(r.created_at_ms),
            created_at_ms: r.created_at_ms,
            likes: r.likes,
            liked: r.liked != 0,
            comments: r.comments,
            hidden_reason: r.hidden_reason.clone().filter(|_| r.hidden_at_ms.is_some()),
            body: r.body,
        })
        .collect())
}

/// Why a member's write was refused, read after the conditional insert said no.
async fn why_not(conn: &mut AnyConnection, store_id: i64, user_id: i64, now: Millis, too_fast: ErrorCode) -> Result<AppError, AppError> {
    Ok(match store::member(conn, store_id, user_id).await? {
        Some(m) if m.removed_at_ms.is_some() => AppError::new(ErrorCode::RemovedFromGroup),
        Some(m) if !m.active() => AppError::new(ErrorCode::NotMember),
        Some(m) if m.muted_at(now) => muted(&m),
        Some(_) => AppError::field(too_fast, "body"),
        None => AppError::new(ErrorCode::NotMember),
    })
}

fn muted(m: &store::MemberRow) -> AppError {
    AppError::new(ErrorCode::GroupMuted).with_details(serde_json::json!({
        "until": m.muted_until_ms.map(rfc3339),
        "reason": m.muted_reason,
    }))
}

/// Whether `me` writes `text` in the store's group as the store (its moderators) — else as a
/// member who may write now: not muted, nothing in it the store banned, and (a post) the
/// minute since their last one passed, told before any photo is decoded. The transaction's
/// `gate` has the last word on the mute and the pace.
async fn writer(db: &Db, me: &Me, store_id: i64, text: &str, writing: Writing) -> Result<bool, AppError> {
    let now = now_ms();
    let m = match reader(db, me, store_id).await? {
        Reader::Moderator => return Ok(true),
        Reader::Member(m) => m,
    };
    if m.muted_at(now) {
        return Err(muted(&m));
    }
    // What to change comes before when: a word to rephrase can be fixed while waiting.
    {
        let mut conn = db.pool.acquire().await?;
        screen(&mut conn, store_id, text, "body").await?;
    }
    if matches!(writing, Writing::Post) && m.last_post_ms.is_some_and(|t| t > now - rules::POST_GAP_MS) {
        return Err(AppError::field(ErrorCode::PostTooFast, "body"));
    }
    Ok(false)
}

/// Refuses text with one of the store's banned words (the list its live rooms use).
async fn screen(conn: &mut AnyConnection, store_id: i64, text: &str, field: &str) -> Result<(), AppError> {
    let words = crate::live::banned_words(conn, store_id).await?;
    match crate::live::rules::banned_in(text, &words) {
        Some(_) => Err(AppError::field(ErrorCode::PostBlocked, field)),
        None => Ok(()),
    }
}

/// A post with up to six photos, optionally 晒单 of a product the author has had from this
/// store. A member is held to the rate limit and the mute; the store's staff post as the
/// store. Photos are decoded under limits and re-encoded (EXIF and GPS gone) before anything
/// is written, then kept in the post's transaction.
pub async fn create_post(db: &Db, me: &Me, store_id: i64, new: &NewPost, photos: Vec<Vec<u8>>) -> Result<Post, AppError> {
    let body = rules::check_post(&new.body)?;
    if photos.len() > rules::MAX_PHOTOS {
        return Err(AppError::field(ErrorCode::TooManyPostPhotos, "photo"));
    }
    let as_store = writer(db, me, store_id, &body, Writing::Post).await?;
    if let Some(pid) = new.product_id {
        let mut conn = db.pool.acquire().await?;
        if !crate::orders::has_received(&mut conn, store_id, me.id, pid).await? {
            return Err(AppError::field(ErrorCode::NotBought, "product_id"));
        }
    }
    let processed = crate::catalog::service::process_pictures(photos).await?;
    let tokens = processed.iter().map(|_| crate::server::random_token()).collect::<Result<Vec<_>, _>>()?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if !as_store && !store::gate(&mut tx, store_id, me.id, Writing::Post, rules::POST_GAP_MS, now).await? {
        let e = why_not(&mut tx, store_id, me.id, now, ErrorCode::PostTooFast).await?;
        return Err(e);
    }
    let post_id = store::insert_post(&mut tx, store_id, me.id, PostKind::Post, as_store, &body, new.product_id, now).await?;
    for ((i, p), token) in processed.iter().enumerate().zip(&tokens) {
        let (card, large) = crate::catalog::service::keep_private_picture(&mut tx, p).await?;
        store::insert_photo(&mut tx, post_id, i as i64, card, large, token).await?;
    }
    tx.commit().await?;
    tracing::info!(store_id, post_id, photos = processed.len(), "group post");
    one_post(db, me, store_id, post_id).await
}

async fn one_post(db: &Db, me: &Me, store_id: i64, post_id: i64) -> Result<Post, AppError> {
    let mut conn = db.pool.acquire().await?;
    let moderator = moderates(&mut conn, me, store_id).await?;
    visible_post(&mut conn, store_id, post_id, me.id, moderator).await
}

/// An announcement from the store, pinned at the top of the feed if asked.
pub async fn announce(db: &Db, me: &Me, store_id: i64, new: &NewAnnouncement) -> Result<Post, AppError> {
    let body = rules::check_post(&new.body)?;
    moderator(db, me, store_id).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let post_id = store::insert_post(&mut tx, store_id, me.id, PostKind::Announcement, true, &body, None, now).await?;
    if new.pinned {
        store::set_pinned(&mut tx, store_id, post_id, true, now).await?;
    }
    let told = store::notify_members(&mut tx, store_id, store::News::Announcement { post_id }, now).await?;
    tx.commit().await?;
    tracing::info!(store_id, post_id, told, "group announcement");
    one_post(db, me, store_id, post_id).await
}

/// A poll from the store: 下次直播想看什么, 想拼哪款水果.
pub async fn create_poll(db: &Db, me: &Me, store_id: i64, new: &NewPoll) -> Result<Post, AppError> {
    let now = now_ms();
    let poll = rules::check_poll(new, now)?;
    moderator(db, me, store_id).await?;
    let mut tx = db.begin_write().await?;
    let post_id = store::insert_post(&mut tx, store_id, me.id, PostKind::Poll, true, &poll.question, None, now).await?;
    store::insert_poll(&mut tx, post_id, poll.multiple, poll.closes_at_ms, &poll.options).await?;
    tx.commit().await?;
    one_post(db, me, store_id, post_id).await
}

/// 今日鲜货 in one tap: the products booked in at the store today that it still sells, with
/// their photos and today's prices, each linking to the product.
pub async fn post_arrivals(db: &Db, me: &Me, store_id: i64) -> Result<Post, AppError> {
    moderator(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    let now = now_ms();
    let today = local_time(now).day * 86_400_000 - STORE_UTC_OFFSET_MS;
    let received = crate::inventory::received_since(&mut conn, store_id, today).await?;
    drop(conn);
    let mut conn = db.pool.acquire().await?;
    let shelf = crate::catalog::products_at(&mut conn, store_id, &received).await?;
    drop(conn);
    let arrived: Vec<&crate::catalog::Product> = received.iter().filter_map(|id| shelf.iter().find(|p| p.id == *id)).take(30).collect();
    if arrived.is_empty() {
        return Err(AppError::new(ErrorCode::NoArrivalsToday));
    }
    let names: Vec<&str> = arrived.iter().take(5).map(|p| p.name.as_str()).collect();
    let body = format!("今日鲜货到店：{}{}，新鲜上架，欢迎来店里挑，也可以线上下单到店自提。", names.join("、"), if arrived.len() > 5 { "等" } else { "" });
    let mut tx = db.begin_write().await?;
    let post_id = store::insert_post(&mut tx, store_id, me.id, PostKind::Arrivals, true, &body, None, now).await?;
    for (i, p) in arrived.iter().enumerate() {
        store::insert_post_product(&mut tx, post_id, i as i64, p.id).await?;
    }
    tx.commit().await?;
    one_post(db, me, store_id, post_id).await
}

/// A comment under a post: members within the rate limit and not muted; the store freely.
pub async fn comment(db: &Db, me: &Me, store_id: i64, post_id: i64, body: &str) -> Result<Comment, AppError> {
    let body = rules::check_comment(body)?;
    let as_store = writer(db, me, store_id, &body, Writing::Comment).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if !as_store && !store::gate(&mut tx, store_id, me.id, Writing::Comment, rules::COMMENT_GAP_MS, now).await? {
        let e = why_not(&mut tx, store_id, me.id, now, ErrorCode::PostTooFast).await?;
        return Err(e);
    }
    // The post gone or hidden since: nothing is written (the gate's mark rolls back too).
    let id = store::insert_comment(&mut tx, store_id, me.id, post_id, as_store, &body, now).await?.ok_or_else(AppError::not_found)?;
    let c = store::comment(&mut tx, store_id, id).await?.ok_or_else(|| AppError::internal("comment vanished"))?;
    tx.commit().await?;
    Ok(c.into_model(me.id))
}

/// 点赞 (or takes it back): members, muted ones too — a like says nothing.
pub async fn like(db: &Db, me: &Me, store_id: i64, post_id: i64, on: bool) -> Result<Post, AppError> {
    let as_store = matches!(reader(db, me, store_id).await?, Reader::Moderator);
    let mut tx = db.begin_write().await?;
    if on {
        if !store::like(&mut tx, store_id, me.id, post_id, as_store, now_ms()).await? {
            return Err(AppError::not_found());
        }
    } else {
        store::unlike(&mut tx, me.id, post_id).await?;
    }
    tx.commit().await?;
    one_post(db, me, store_id, post_id).await
}

/// A member's ballot: once per poll while it is open — of two taps at once, one counts and
/// the other is told `already_voted`. The poll comes back with its results.
pub async fn vote(db: &Db, me: &Me, store_id: i64, post_id: i64, option_ids: &[i64]) -> Result<Post, AppError> {
    match reader(db, me, store_id).await? {
        Reader::Member(_) => {}
        // The store asks; it does not vote in its own poll.
        Reader::Moderator => return Err(AppError::new(ErrorCode::NotMember)),
    }
    let mut conn = db.pool.acquire().await?;
    // A poll of this store's group that is shown: anything else is not here.
    store::post(&mut conn, store_id, post_id, me.id).await?.filter(|p| p.hidden_at_ms.is_none()).ok_or_else(AppError::not_found)?;
    let poll = store::polls(&mut conn, &[post_id]).await?.pop().ok_or_else(AppError::not_found)?;
    let offered: Vec<i64> = store::options(&mut conn, &[post_id]).await?.into_iter().map(|(_, id, _, _)| id).collect();
    drop(conn);
    let choices = rules::check_vote(option_ids, &offered, poll.multiple != 0)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if !store::cast_ballot(&mut tx, store_id, me.id, post_id, now).await? {
        if store::has_ballot(&mut tx, post_id, me.id).await? {
            return Err(AppError::new(ErrorCode::AlreadyVoted));
        }
        return Err(if poll.closes_at_ms <= now { AppError::new(ErrorCode::PollClosed) } else { AppError::not_found() });
    }
    for option in choices {
        store::insert_vote(&mut tx, post_id, me.id, option).await?;
    }
    tx.commit().await?;
    one_post(db, me, store_id, post_id).await
}

/// Pins one of the store's posts at the top of the feed, or unpins it.
pub async fn pin(db: &Db, me: &Me, store_id: i64, post_id: i64, pinned: bool) -> Result<Post, AppError> {
    moderator(db, me, store_id).await?;
    let mut tx = db.begin_write().await?;
    if !store::set_pinned(&mut tx, store_id, post_id, pinned, now_ms()).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    one_post(db, me, store_id, post_id).await
}

/// Hides a post from everyone but its author, who sees the store's reason; its open reports
/// close as `hidden`. Hiding twice is fine.
pub async fn hide_post(db: &Db, me: &Me, store_id: i64, post_id: i64, reason: &str) -> Result<(), AppError> {
    let reason = rules::check_reason(reason)?;
    moderator(db, me, store_id).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    store::post(&mut tx, store_id, post_id, me.id).await?.ok_or_else(AppError::not_found)?;
    store::hide_post(&mut tx, store_id, post_id, me.id, &reason, now).await?;
    store::resolve_reports(&mut tx, store_id, Some(post_id), None, me.id, "hidden", now).await?;
    tx.commit().await?;
    tracing::info!(store_id, post_id, by = me.id, "group post hidden");
    Ok(())
}

/// Hides a comment the same way.
pub async fn hide_comment(db: &Db, me: &Me, store_id: i64, comment_id: i64, reason: &str) -> Result<(), AppError> {
    let reason = rules::check_reason(reason)?;
    moderator(db, me, store_id).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    store::comment(&mut tx, store_id, comment_id).await?.ok_or_else(AppError::not_found)?;
    store::hide_comment(&mut tx, comment_id, me.id, &reason, now).await?;
    store::resolve_reports(&mut tx, store_id, None, Some(comment_id), me.id, "hidden", now).await?;
    tx.commit().await?;
    tracing::info!(store_id, comment_id, by = me.id, "group comment hidden");
    Ok(())
}

/// Mutes a member for `minutes` (they read, but cannot post or comment, and are told why
/// and until when); `minutes` 0 lifts a mute.
pub async fn mute(db: &Db, me: &Me, store_id: i64, user_id: i64, minutes: i64, reason: &str) -> Result<Member, AppError> {
    let (until, reason) = if minutes == 0 { (0, String::new()) } else { (now_ms() + rules::check_mute_minutes(minutes)? * 60_000, rules::check_reason(reason)?) };
    moderator(db, me, store_id).await?;
    if user_id == me.id {
        return Err(AppError::field(ErrorCode::BadRequest, "user_id"));
    }
    let mut tx = db.begin_write().await?;
    if !store::mute(&mut tx, store_id, user_id, until, &reason, me.id).await? {
        return Err(AppError::not_found());
    }
    let m = store::member(&mut tx, store_id, user_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    tracing::info!(store_id, user_id, minutes, by = me.id, "group member muted");
    Ok(m.into_model(now_ms()))
}

/// Removes a member from the group; they cannot join again by themselves.
pub async fn remove(db: &Db, me: &Me, store_id: i64, user_id: i64) -> Result<(), AppError> {
    moderator(db, me, store_id).await?;
    let mut tx = db.begin_write().await?;
    if !store::remove(&mut tx, store_id, user_id, me.id, now_ms()).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    tracing::info!(store_id, user_id, by = me.id, "group member removed");
    Ok(())
}

/// A member's report of a post (or of a comment under it) for the store's queue.
pub async fn report(db: &Db, me: &Me, store_id: i64, post_id: Option<i64>, comment_id: Option<i64>, reason: &str) -> Result<(), AppError> {
    let reason = rules::check_reason(reason)?;
    reader(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    // Only what the reporter can see, and not their own: a hidden post or comment (theirs
    // included), or a comment under a hidden post, is not there to report.
    let shown = |hidden: Option<i64>, author: i64| hidden.is_none() && author != me.id;
    match (post_id, comment_id) {
        (Some(p), None) => {
            let row = store::post(&mut conn, store_id, p, me.id).await?.ok_or_else(AppError::not_found)?;
            if !shown(row.hidden_at_ms, row.author_id) {
                return Err(AppError::not_found());
            }
        }
        (None, Some(c)) => {
            let row = store::comment(&mut conn, store_id, c).await?.ok_or_else(AppError::not_found)?;
            let post = store::post(&mut conn, store_id, row.post_id, me.id).await?.ok_or_else(AppError::not_found)?;
            if !shown(row.hidden_at_ms, row.author_id) || post.hidden_at_ms.is_some() {
                return Err(AppError::not_found());
            }
        }
        _ => return Err(AppError::field(ErrorCode::BadRequest, "post_id")),
    }
    drop(conn);
    let mut tx = db.begin_write().await?;
    if !store::insert_report(&mut tx, store_id, post_id, comment_id, me.id, &reason, now_ms()).await? {
        return Err(AppError::new(ErrorCode::AlreadyReported));
    }
    tx.commit().await?;
    Ok(())
}

/// The store's open reports, oldest first, each with what was reported.
pub async fn reports(db: &Db, me: &Me, store_id: i64) -> Result<Vec<Report>, AppError> {
    moderator(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    let rows = store::open_reports(&mut conn, store_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let also = rows.iter().filter(|o| o.id != r.id && o.post_id == r.post_id && o.comment_id == r.comment_id).count() as i64;
        let (post_id, text, author, author_id, hidden) = match (r.post_id, r.comment_id) {
            (_, Some(c)) => match store::comment(&mut conn, store_id, c).await? {
                Some(c) => (c.post_id, c.body.clone(), c.clone().into_model(0).author, c.author_id, c.hidden_at_ms.is_some()),
                None => continue,
            },
            (Some(p), None) => match store::post(&mut conn, store_id, p, 0).await? {
                Some(p) => (p.id, p.body.clone(), p.author(), p.author_id, p.hidden_at_ms.is_some()),
                None => continue,
            },
            (None, None) => continue,
        };
        let reporter = match &r.reporter_estate {
            Some(e) => rules::label(&r.reporter, e),
            None => r.reporter.clone(),
        };
        out.push(Report {
            id: r.id,
            post_id,
            comment_id: r.comment_id,
            text,
            author,
            author_id,
            reporter,
            reason: r.reason.clone(),
            created_at: rfc3339(r.created_at_ms),
            also_reported: also,
            hidden,
        });
    }
    Ok(out)
}

/// Settles a report: `hidden` takes the post or comment down (with the reason its author
/// sees), `kept` leaves it; either way every open report of it closes.
pub async fn resolve(db: &Db, me: &Me, store_id: i64, report_id: i64, outcome: &str, reason: Option<&str>) -> Result<(), AppError> {
    moderator(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    let (post_id, comment_id, _) = store::report(&mut conn, store_id, report_id).await?.ok_or_else(AppError::not_found)?;
    drop(conn);
    match (outcome, comment_id, post_id) {
        ("hidden", Some(c), _) => hide_comment(db, me, store_id, c, reason.unwrap_or_default()).await,
        ("hidden", None, Some(p)) => hide_post(db, me, store_id, p, reason.unwrap_or_default()).await,
        ("kept", ..) => {
            let mut tx = db.begin_write().await?;
            store::resolve_reports(&mut tx, store_id, if comment_id.is_some() { None } else { post_id }, comment_id, me.id, "kept", now_ms()).await?;
            tx.commit().await?;
            Ok(())
        }
        _ => Err(AppError::field(ErrorCode::BadRequest, "outcome")),
    }
}

/// The store whose group a post is in (a post's page has only its id in the address).
pub async fn store_of_post(db: &Db, post_id: i64) -> Result<Option<i64>, AppError> {
    let mut conn = db.pool.acquire().await?;
    store::post_store(&mut conn, post_id).await
}

/// The stores whose group `me` moderates, with their names.
pub async fn moderated_stores(db: &Db, me: &Me) -> Result<Vec<(i64, String)>, AppError> {
    let stores = crate::stores::list_active(&db.pool).await?;
    let mut conn = db.pool.acquire().await?;
    let mut out = Vec::new();
    for s in stores {
        if moderates(&mut conn, me, s.id).await? {
            out.push((s.id, s.name));
        }
    }
    Ok(out)
}

/// The store whose moderators `me` may choose: its managers and the owner (not the clerks
/// they allowed). 404 for a store they cannot see, 403 for its other staff.
async fn managed(db: &Db, me: &Me, store_id: i64) -> Result<(), AppError> {
    crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    if may_act(&me.roles, store_id, MODERATOR_ROLES) {
        Ok(())
    } else if staff_store_ids(me).is_some_and(|ids| ids.contains(&store_id)) {
        Err(AppError::forbidden())
    } else {
        Err(AppError::not_found())
    }
}

/// The store's clerks and whether each may moderate its group: (id, name, allowed).
pub async fn moderators(db: &Db, me: &Me, store_id: i64) -> Result<Vec<(i64, String, bool)>, AppError> {
    managed(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    let allowed = store::moderator_ids(&mut conn, store_id).await?;
    Ok(crate::team::store_clerks(&mut conn, store_id).await?.into_iter().map(|(id, name)| (id, name, allowed.contains(&id))).collect())
}

/// Lets exactly these clerks of the store moderate its group (managers and the owner always do).
pub async fn set_moderators(db: &Db, me: &Me, store_id: i64, user_ids: &[i64]) -> Result<Vec<i64>, AppError> {
    managed(db, me, store_id).await?;
    let mut ids = user_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut tx = db.begin_write().await?;
    let clerks = crate::team::store_clerks(&mut tx, store_id).await?;
    if ids.iter().any(|id| !clerks.iter().any(|(c, _)| c == id)) {
        return Err(AppError::field(ErrorCode::NotStaffHere, "user_ids"));
    }
    crate::team::replace_clerk_list(&mut tx, crate::team::ClerkList::GroupModerators, store_id, &ids, me.id, now_ms()).await?;
    tx.commit().await?;
    Ok(ids)
}

/// The member's switches for the bell: announcements, live sessions going live, new group buys.
pub async fn set_notify(db: &Db, me: &Me, store_id: i64, prefs: super::model::NotifyPrefs) -> Result<Membership, AppError> {
    crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    let mut tx = db.begin_write().await?;
    if !store::set_notify(&mut tx, store_id, me.id, prefs.announcements, prefs.live, prefs.group_buys).await? {
        return Err(AppError::new(ErrorCode::NotMember));
    }
    tx.commit().await?;
    membership(db, me, store_id).await
}

/// Tells each group the store's news the others' domains made: a live session that went
/// live, a group buy that opened. One pass of the deadline job, in every instance: each item
/// is claimed by primary key in the transaction that fills the bells, so it is told once
/// however many instances run, and a pass cut off by a kill -9 is done again by the next.
pub async fn tell_news(db: &Db) -> Result<u64, AppError> {
    let now = now_ms();
    let (live, group_buys, told_live, told_buys) = {
        let mut conn = db.pool.acquire().await?;
        (
            crate::live::live_now(&mut conn).await?,
            crate::group_buy::open_at_stores(&mut conn, now).await?,
            store::told(&mut conn, "live").await?,
            store::told(&mut conn, "group_buy").await?,
        )
    };
    let mut items: Vec<(&str, i64, Vec<i64>)> = Vec::new();
    for (id, store_id) in live.into_iter().filter(|(id, _)| !told_live.contains(id)) {
        items.push(("live", id, vec![store_id]));
    }
    for (id, store_id) in group_buys.into_iter().filter(|(id, _)| !told_buys.contains(id)) {
        match items.iter_mut().find(|(k, i, _)| *k == "group_buy" && *i == id) {
            Some(item) => item.2.push(store_id),
            None => items.push(("group_buy", id, vec![store_id])),
        }
    }
    let mut told = 0;
    for (kind, id, stores) in items {
        let mut tx = db.begin_write().await?;
        if !store::claim_fanout(&mut tx, kind, id, now).await? {
            continue;
        }
        for store_id in stores {
            let news = if kind == "live" { store::News::Live { session_id: id } } else { store::News::GroupBuy { group_buy_id: id } };
            told += store::notify_members(&mut tx, store_id, news, now).await?;
        }
        tx.commit().await?;
    }
    Ok(told)
}

/// Neighbours' 晒单 of a product at the store, for its product page (已购: each was checked
/// against their orders when posted): the latest five.
pub async fn reviews(db: &Db, store_id: i64, product_id: i64) -> Result<Vec<Post>, AppError> {
    let mut conn = db.pool.acquire().await?;
    let rows = store::reviews(&mut conn, store_id, product_id, 5).await?;
    assemble(&mut conn, store_id, 0, false, rows).await
}

/// A group photo's bytes by its token (`large` or the card size), while its post is shown.
pub async fn photo(db: &Db, token: &str, large: bool) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let media = {
        let mut conn = db.pool.acquire().await?;
        store::photo_media(&mut conn, token).await?
    };
    match media {
        Some((card, big)) => crate::catalog::media_of(&db.pool, if large { big } else { card }).await,
        None => Ok(None),
    }
}
