//! Who is asking: the session cookie → the person, checked against the database every time
//! (a disabled account or a removed role takes effect at once).
use super::state::app_state;
use crate::accounts::{self, Me, Role};
use crate::server::Db;
use crate::shared::time::now_ms;
use crate::shared::AppError;
use tower_sessions::Session;

const USER_ID: &str = "uid";
const AUTH_AT: &str = "auth_at";
/// When the session last showed activity that was written down.
const SEEN_AT: &str = "seen_at";
/// A session is written again at most this often just to say it is in use: that write is what
/// moves its idle expiry, so the idle timeout counts from the last request, give or take this.
const TOUCH_EVERY_MS: i64 = 60 * 60 * 1000;

/// Idle sessions end after this long without a request…
pub const IDLE_DAYS: i64 = 14;
/// …and every session ends this long after its login, however busy.
pub const ABSOLUTE_DAYS: i64 = 30;

pub type CurrentUser = Me;

/// Starts a signed-in session under a new id, so a session id planted before login is useless.
pub async fn log_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(AppError::internal)?;
    session.insert(USER_ID, user_id).await.map_err(AppError::internal)?;
    session.insert(AUTH_AT, now_ms()).await.map_err(AppError::internal)?;
    Ok(())
}

/// Ends the session everywhere: the record is deleted, so the old cookie no longer works.
pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}

/// Ends a session found no longer valid while a page is being answered: the record is deleted
/// and the data cleared, but the id stays. A streamed page's resources run after the session
/// layer has begun answering; `flush` in one of them, between its clear and its dropping the
/// id, let the layer save a session with no id and answer an empty 500 (tower-sessions'
/// "missing session id"). With the id kept the layer's save is an update of a deleted row —
/// nothing (`DbSessionStore::save` never re-creates) — and the cookie names a session that no
/// longer exists: the next request is a guest's.
async fn end_revoked(session: &Session) -> Result<(), AppError> {
    session.delete().await.map_err(AppError::internal)?;
    session.clear().await;
    Ok(())
}

/// The person behind a session, if any.
pub async fn user_of(db: &Db, session: &Session) -> Result<Option<Me>, AppError> {
    let uid: Option<i64> = session.get(USER_ID).await.map_err(AppError::internal)?;
    let Some(uid) = uid else { return Ok(None) };
    let auth_at: i64 = session.get(AUTH_AT).await.map_err(AppError::internal)?.unwrap_or(0);
    let now = now_ms();
    if now - auth_at > ABSOLUTE_DAYS * 24 * 3600 * 1000 {
        end_revoked(session).await?;
        return Ok(None);
    }
    // tower-sessions only writes a session whose data changed, and only that write moves
    // an idle expiry: without this, a resident shopping every day would be signed out 14
    // days after logging in.
    let seen_at: i64 = session.get(SEEN_AT).await.map_err(AppError::internal)?.unwrap_or(auth_at);
    if now - seen_at > TOUCH_EVERY_MS {
        session.insert(SEEN_AT, now).await.map_err(AppError::internal)?;
    }
    // A password reset since this session began ends it (and an account switched off, too).
    let me = accounts::store::load_signed_in(&db.pool, uid, auth_at).await?;
    if me.is_none() {
        end_revoked(session).await?;
    }
    Ok(me)
}

pub fn session() -> Result<Session, AppError> {
    super::request::parts()?
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| AppError::internal("session layer missing"))
}

/// The signed-in person, from inside a server function.
pub async fn current_user() -> Result<Option<Me>, AppError> {
    let state = app_state()?;
    user_of(&state.db, &session()?).await
}

pub async fn require_user() -> Result<Me, AppError> {
    current_user().await?.ok_or_else(AppError::unauthenticated)
}

/// The signed-in person if they hold one of `roles` at `store_id` (the owner always does).
/// Otherwise Forbidden.
pub async fn require_role(store_id: i64, roles: &[Role]) -> Result<Me, AppError> {
    let me = require_user().await?;
    if accounts::rules::may_act(&me.roles, store_id, roles) { Ok(me) } else { Err(AppError::forbidden()) }
}

/// Keeps `value` in the session until the next page that asks for it: a secret shown once (a
/// reset code) reaches the page after a plain form post's redirect without going through the
/// address bar or the logs.
pub async fn flash_put<T: serde::Serialize>(key: &str, value: T) -> Result<(), AppError> {
    session()?.insert(&format!("flash_{key}"), value).await.map_err(AppError::internal)
}

/// The value `flash_put` kept, removed as it is read.
pub async fn flash_take<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, AppError> {
    session()?.remove(&format!("flash_{key}")).await.map_err(AppError::internal)
}
