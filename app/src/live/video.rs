//! Who may publish and watch a session's video through linli's relay, and what the room is
//! told when the host's video comes and goes. The relay itself (WebRTC, UDP) is the server's;
//! this is the domain's side of it.
use super::model::{LiveStatus, LiveVideo};
use super::service::{hosted, publish_state};
use super::store;
use crate::accounts::model::Me;
use crate::server::{random_token, sha256_hex, Db};
use crate::shared::{AppError, ErrorCode};

/// Who is publishing: the signed-in host, or an encoder holding the session's stream key.
pub enum Publisher<'a> {
    Host(&'a Me),
    StreamKey(&'a str),
}

/// A WHIP offer may go ahead: from the session's host (or with its stream key), while the
/// session is scheduled (a preview before going live) or live. A wrong key is 403, an ended
/// session 409 `not_live`, another store's session 404 as everywhere else.
pub async fn may_publish(db: &Db, who: Publisher<'_>, id: i64) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    let row = match who {
        Publisher::Host(me) => hosted(&mut conn, me, id).await?,
        Publisher::StreamKey(key) => {
            let row = store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
            if !store::stream_key_matches(&mut conn, id, &sha256_hex(key)).await? {
                return Err(AppError::forbidden());
            }
            row
        }
    };
    match row.status() {
        LiveStatus::Ended => Err(AppError::new(ErrorCode::NotLive).with_details(serde_json::json!({ "status": LiveStatus::Ended }))),
        _ => Ok(()),
    }
}

/// A WHEP offer may go ahead while the session is live (anyone may watch a store's live room,
/// as anyone may open it).
pub async fn may_watch(db: &Db, id: i64) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    let row = store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    match row.status() {
        LiveStatus::Live => Ok(()),
        status => Err(AppError::new(ErrorCode::NotLive).with_details(serde_json::json!({ "status": status }))),
    }
}

/// The relay saw the host's video start or stop: the session and every room hear it.
pub async fn video_changed(db: &Db, id: i64, on_air: bool) -> Result<(), AppError> {
    let state = if on_air { LiveVideo::OnAir } else { LiveVideo::Away };
    let mut tx = db.begin_write().await?;
    if store::set_video_state(&mut tx, id, state.as_str()).await? {
        publish_state(db, tx, id).await?;
    }
    Ok(())
}

/// A new stream key for an encoder (OBS): shown once, kept only as its hash; the old one stops
/// working.
pub async fn new_stream_key(db: &Db, me: &Me, id: i64) -> Result<String, AppError> {
    let mut tx = db.begin_write().await?;
    hosted(&mut tx, me, id).await?;
    let key = random_token()?;
    store::set_stream_key_hash(&mut tx, id, &sha256_hex(&key)).await?;
    tx.commit().await?;
    Ok(key)
}

/// The relay's recorder began a file (`finished: false`) or closed one with its length.
pub async fn recorded(db: &Db, id: i64, file: &str, duration_ms: i64, bytes: i64, finished: bool) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    let now = crate::shared::time::now_ms();
    if finished {
        store::finish_recording(&mut conn, id, file, duration_ms, bytes, now).await
    } else {
        store::insert_recording(&mut conn, id, file, now).await
    }
}

/// The file of one of an ended session's recordings (a replay is watched once the session is
/// over; while live, the room has the live picture).
pub async fn replay_file(db: &Db, id: i64, recording_id: i64) -> Result<String, AppError> {
    let mut conn = db.pool.acquire().await?;
    let row = store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    if row.status() != LiveStatus::Ended {
        return Err(AppError::not_found());
    }
    store::recording_file(&mut conn, id, recording_id).await?.ok_or_else(AppError::not_found)
}

/// Which instance relays the session's video, if one has had its publisher.
pub async fn relay_of(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    let mut conn = db.pool.acquire().await?;
    store::video_relay(&mut conn, id).await
}

/// This instance (its internal URL) now holds the session's publisher.
pub async fn relayed_by(db: &Db, id: i64, instance: &str) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    store::set_video_relay(&mut conn, id, instance).await
}

/// Where a session stands, for the relay's sweep (every 2 s per relayed session: the row only,
/// not the line-up and prices a whole session carries).
pub async fn status(db: &Db, id: i64) -> Result<Option<LiveStatus>, AppError> {
    let mut conn = db.pool.acquire().await?;
    Ok(store::find(&mut conn, id).await?.map(|row| row.status()))
}
