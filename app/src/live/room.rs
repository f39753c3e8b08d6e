//! The room's people side, shared by the JSON API and the pages: comments and their
//! moderation (hide, mute, slow mode, a pinned comment, the store's banned words), who may
//! host, 提醒我, viewers now and at peak, and the lists of sessions.
use super::model::{BannedWords, Hidden, LiveCard, LiveComment, LiveHosts, LiveSession, LiveStatus, Viewers};
use super::rules::{self, HOST_ROLES};
use super::service::{hosted, may_host, state_event};
use super::store;
use crate::accounts::model::Me;
use crate::accounts::rules::may_act;
use crate::server::events::{Event, Topic};
use crate::server::Db;
use crate::shared::time::{now_ms, rfc3339, Millis};
use crate::shared::{AppError, ErrorCode};
use sqlx::AnyConnection;

/// Comments a (re)connecting room is sent before the live ones.
pub const REPLAY: i64 = 30;
/// An instance's viewer count older than this no longer counts (it stopped writing).
pub const VIEWERS_FRESH_MS: Millis = 15_000;

/// The `comment` events a room opens with: the latest shown comments, oldest first. Hidden
/// ones are not among them.
pub async fn replay(conn: &mut AnyConnection, id: i64) -> Result<Vec<Event>, AppError> {
    Ok(store::recent_comments(conn, id, REPLAY).await?.into_iter().map(|c| comment_event(id, &c.into_model())).collect())
}

/// A reader's side of the room.
pub struct Mine {
    pub bought: Vec<(i64, i64)>,
    pub reminded: bool,
    pub muted: bool,
}

pub async fn mine(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<Mine, AppError> {
    Ok(Mine {
        bought: store::bought_all(conn, id, user_id).await?,
        reminded: store::is_reminded(conn, id, user_id).await?,
        muted: store::is_muted(conn, id, user_id).await?,
    })
}

/// The latest shown comments, oldest first (the room's first paint).
pub async fn recent(db: &Db, id: i64) -> Result<Vec<LiveComment>, AppError> {
    let mut conn = db.pool.acquire().await?;
    Ok(store::recent_comments(&mut conn, id, REPLAY).await?.into_iter().map(store::CommentRow::into_model).collect())
}

fn comment_event(id: i64, c: &LiveComment) -> Event {
    Event::new("comment", vec![Topic::Live(id)], c)
}

/// A signed-in viewer's comment: not after the end, not from a muted viewer, nothing the
/// store banned, and no faster than slow mode (or the floor) allows — hosts answer freely.
pub async fn comment(db: &Db, me: &Me, id: i64, text: &str) -> Result<LiveComment, AppError> {
    let body = rules::check_comment(text)?;
    let mut tx = db.begin_write().await?;
    let row = store::find(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    if row.status() == LiveStatus::Ended {
        return Err(AppError::new(ErrorCode::CommentsClosed));
    }
    let host = may_host(&mut tx, me, row.store_id).await?;
    if !host {
        if store::is_muted(&mut tx, id, me.id).await? {
            return Err(AppError::new(ErrorCode::Muted));
        }
        let words = store::banned_words(&mut tx, row.store_id).await?;
        if rules::banned_in(&body, &words).is_some() {
            return Err(AppError::field(ErrorCode::CommentBlocked, "text"));
        }
    }
    let now = now_ms();
    let gap = if host { 0 } else { rules::comment_gap_ms(row.slow_mode_secs) };
    let Some(comment_id) = store::insert_comment(&mut tx, id, me.id, &body, host, now, gap).await? else {
        // Muted or too soon since the last one (a mute may have landed since the check).
        if store::is_muted(&mut tx, id, me.id).await? {
            return Err(AppError::new(ErrorCode::Muted));
        }
        let last = store::last_comment_at(&mut tx, id, me.id).await?.unwrap_or(now);
        let wait_secs = ((last + gap - now).max(0) + 999) / 1000;
        return Err(AppError::field(ErrorCode::CommentTooFast, "text").with_details(serde_json::json!({ "retry_after_secs": wait_secs.max(1) })));
    };
    let c = store::comment(&mut tx, id, comment_id).await?.ok_or_else(|| AppError::internal("comment vanished"))?.into_model();
    let mut event = comment_event(id, &c);
    db.events.stage(&mut tx, &mut event).await?;
    tx.commit().await?;
    db.events.committed([event]);
    Ok(c)
}

/// Takes a comment down in every room (and from the replay). Hiding twice is fine.
pub async fn hide(db: &Db, me: &Me, id: i64, comment_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    let c = store::comment(&mut tx, id, comment_id).await?.ok_or_else(AppError::not_found)?;
    if c.hidden_at_ms.is_some() {
        return Ok(());
    }
    store::hide_comment(&mut tx, id, comment_id, me.id, now_ms()).await?;
    let hidden = Event::new("hidden", vec![Topic::Live(id)], &Hidden { comment_id });
    let mut events = vec![hidden];
    if row.pinned_comment_id == Some(comment_id) {
        events.push(state_event(&mut tx, id).await?);
    }
    for e in &mut events {
        db.events.stage(&mut tx, e).await?;
    }
    tx.commit().await?;
    db.events.committed(events);
    tracing::info!(live_session_id = id, comment_id, by = me.id, "live comment hidden");
    Ok(())
}

/// Mutes a viewer — named by account or by one of their comments in this session — for the
/// rest of it. Returns their account id.
pub async fn mute(db: &Db, me: &Me, id: i64, user_id: Option<i64>, comment_id: Option<i64>) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    let user_id = match (user_id, comment_id) {
        (_, Some(cid)) => store::comment(&mut tx, id, cid).await?.ok_or_else(AppError::not_found)?.user_id,
        (Some(uid), None) => crate::accounts::load_me(&db.pool, uid).await?.ok_or_else(AppError::not_found)?.id,
        (None, None) => return Err(AppError::field(ErrorCode::BadRequest, "user_id")),
    };
    if user_id == me.id {
        return Err(AppError::field(ErrorCode::BadRequest, "user_id"));
    }
    store::mute(&mut tx, row.id, user_id, me.id, now_ms()).await?;
    tx.commit().await?;
    tracing::info!(live_session_id = id, user_id, by = me.id, "live viewer muted");
    Ok(user_id)
}

/// Slow mode: one comment per `seconds` per viewer (0 turns it off).
pub async fn slow_mode(db: &Db, me: &Me, id: i64, seconds: i64) -> Result<LiveSession, AppError> {
    restate(db, me, id, Setting::SlowMode(rules::check_slow_mode(seconds)?)).await
}

/// Pins a shown comment under the video for everyone (`None` unpins).
pub async fn pin_comment(db: &Db, me: &Me, id: i64, comment_id: Option<i64>) -> Result<LiveSession, AppError> {
    restate(db, me, id, Setting::PinnedComment(comment_id)).await
}

enum Setting {
    SlowMode(i64),
    PinnedComment(Option<i64>),
}

/// A host's change to the room's settings, then the new state to every room: 409 not_live
/// once it ended, 404 for a comment that is not shown in it.
async fn restate(db: &Db, me: &Me, id: i64, setting: Setting) -> Result<LiveSession, AppError> {
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, me, id).await?;
    if row.status() == LiveStatus::Ended {
        return Err(AppError::new(ErrorCode::NotLive).with_details(serde_json::json!({ "status": LiveStatus::Ended })));
    }
    let applied = match setting {
        Setting::SlowMode(seconds) => store::set_slow_mode(&mut tx, id, seconds).await?,
        Setting::PinnedComment(comment_id) => store::set_pinned_comment(&mut tx, id, comment_id).await?,
    };
    if !applied {
        return Err(AppError::not_found());
    }
    super::service::publish_state(db, tx, id).await
}

/// The store whose live settings `me` manages (its managers and the owner): 404 for a store
/// they cannot see, 403 for its other staff.
async fn managed_store(db: &Db, me: &Me, store_id: i64) -> Result<i64, AppError> {
    crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(AppError::not_found)?;
    if may_act(&me.roles, store_id, HOST_ROLES) {
        Ok(store_id)
    } else if crate::accounts::rules::staff_store_ids(me).is_some_and(|ids| ids.contains(&store_id)) {
        Err(AppError::forbidden())
    } else {
        Err(AppError::not_found())
    }
}

pub async fn banned_words(db: &Db, me: &Me, store_id: i64) -> Result<BannedWords, AppError> {
    let store_id = managed_store(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    Ok(BannedWords { words: store::banned_words(&mut conn, store_id).await? })
}

/// Replaces the store's banned words (one transaction; the list as folded is returned).
pub async fn set_banned_words(db: &Db, me: &Me, store_id: i64, words: &[String]) -> Result<BannedWords, AppError> {
    let store_id = managed_store(db, me, store_id).await?;
    let words = rules::check_banned_words(words)?;
    let mut tx = db.begin_write().await?;
    store::replace_banned_words(&mut tx, store_id, &words).await?;
    tx.commit().await?;
    Ok(BannedWords { words })
}

/// The store's staff and whether each may host: (id, name, allowed).
pub async fn hosts(db: &Db, me: &Me, store_id: i64) -> Result<Vec<(i64, String, bool)>, AppError> {
    let store_id = managed_store(db, me, store_id).await?;
    let mut conn = db.pool.acquire().await?;
    store::staff_and_hosts(&mut conn, store_id).await
}

/// Lets exactly these staff of the store host (managers and the owner always may).
pub async fn set_hosts(db: &Db, me: &Me, store_id: i64, req: &LiveHosts) -> Result<LiveHosts, AppError> {
    let store_id = managed_store(db, me, store_id).await?;
    let mut ids = req.user_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let mut tx = db.begin_write().await?;
    let staff = store::staff_and_hosts(&mut tx, store_id).await?;
    if ids.iter().any(|id| !staff.iter().any(|(s, _, _)| s == id)) {
        return Err(AppError::field(ErrorCode::NotStaffHere, "user_ids"));
    }
    crate::team::replace_clerk_list(&mut tx, crate::team::ClerkList::LiveHosts, store_id, &ids, me.id, now_ms()).await?;
    tx.commit().await?;
    Ok(LiveHosts { user_ids: ids })
}

/// 提醒我: a bell notification when the session goes live. Only before it starts; twice is once.
pub async fn remind(db: &Db, user_id: i64, id: i64, on: bool) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let row = store::find(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    if row.status() != LiveStatus::Scheduled {
        return Err(AppError::new(ErrorCode::RemindTooLate).with_details(serde_json::json!({ "status": row.status() })));
    }
    if on {
        store::remind(&mut tx, id, user_id, now_ms()).await?;
    } else {
        store::unremind(&mut tx, id, user_id).await?;
    }
    tx.commit().await?;
    Ok(on)
}

/// Sessions of the resident's store for the 直播 tab (live, upcoming, the latest ended), with
/// their 提醒我 marks when signed in.
pub async fn for_store(db: &Db, store_id: i64, user_id: Option<i64>) -> Result<Vec<LiveCard>, AppError> {
    cards(db, Some(&[store_id]), user_id, 10).await
}

/// Sessions at the stores `me` may host at, for the back office.
pub async fn for_staff(db: &Db, me: &Me) -> Result<Vec<LiveCard>, AppError> {
    let ids = crate::accounts::rules::staff_store_ids(me);
    cards(db, ids.as_deref(), None, 30).await
}

async fn cards(db: &Db, store_ids: Option<&[i64]>, user_id: Option<i64>, ended: i64) -> Result<Vec<LiveCard>, AppError> {
    let mut conn = db.pool.acquire().await?;
    let rows = store::cards(&mut conn, store_ids, ended).await?;
    let reminded = match user_id {
        Some(uid) => store::reminded(&mut conn, uid).await?,
        None => Vec::new(),
    };
    let since = now_ms() - VIEWERS_FRESH_MS;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let status = LiveStatus::parse(&r.status).unwrap_or(LiveStatus::Ended);
        let viewers = if status == LiveStatus::Live { store::viewers(&mut conn, r.id, since).await? } else { 0 };
        out.push(LiveCard {
            id: r.id,
            store_id: r.store_id,
            title: r.title,
            cover_url: r.cover_url,
            status,
            starts_at: rfc3339(r.starts_at_ms),
            starts_at_ms: r.starts_at_ms,
            ended_at: r.ended_at_ms.map(rfc3339),
            products: r.products,
            pictures: store::pictures(&mut conn, r.id, 3).await?.into_iter().map(|i| format!("/media/{i}")).collect(),
            viewers,
            reminded: reminded.contains(&r.id),
        });
    }
    Ok(out)
}

/// One pass of viewer counting on this instance: writes how many of each session's rooms it
/// holds, then tells its own rooms the total across instances when it changed, and raises
/// the peak. `last` keeps what this instance last told each session's rooms.
pub async fn count_viewers(db: &Db, last: &mut std::collections::HashMap<i64, i64>) -> Result<(), AppError> {
    let now = now_ms();
    let here = db.events.live_watched();
    for (id, n) in &here {
        store::write_viewers(&db.pool, *id, db.events.instance(), *n as i64, now).await?;
    }
    let mut conn = db.pool.acquire().await?;
    for (id, n) in &here {
        let total = store::viewers(&mut conn, *id, now - VIEWERS_FRESH_MS).await?;
        store::raise_peak(&db.pool, *id, total).await?;
        if *n == 0 {
            last.remove(id);
            continue;
        }
        if last.get(id) != Some(&total) {
            last.insert(*id, total);
            let peak = store::find(&mut conn, *id).await?.map_or(total, |r| r.viewers_peak.max(total));
            db.events.local(Event::new("viewers", vec![Topic::Live(*id)], &Viewers { viewers: total, viewers_peak: peak }));
        }
    }
    store::purge_viewers(&db.pool, now - 4 * VIEWERS_FRESH_MS).await?;
    Ok(())
}
