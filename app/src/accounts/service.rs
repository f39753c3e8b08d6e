//! Account actions shared by the pages' server functions and the JSON API: one rule, two doors.
use super::model::{CustomerNote, Me, Role};
use super::rules::{self, MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_PHONE, THROTTLE_WINDOW_MS};
use super::{password, store};
use crate::server::Db;
use crate::shared::time::now_ms;
use crate::shared::{AppError, ErrorCode, Phone};
use std::net::IpAddr;

const SCOPE_LOGIN_PHONE: &str = "login_phone";
const SCOPE_LOGIN_CLIENT: &str = "login_client";

/// Creates a resident account. Returns the new person.
#[tracing::instrument(skip_all)]
pub async fn register(db: &Db, phone: &str, password: &str, name: &str) -> Result<Me, AppError> {
    let new = rules::parse_registration(phone, password, name)?;
    // Cheap duplicate check first, so a taken number does not cost an argon2 hash; the unique
    // index still decides under a race.
    if store::user_id_by_phone(&db.pool, &new.phone).await?.is_some() {
        return Err(AppError::field(ErrorCode::PhoneTaken, "phone"));
    }
    let hash = password::hash(new.password).await?;
    let mut tx = db.begin_write().await?;
    let id = store::insert_user(&mut tx, &new.phone, &new.name, &hash).await?;
    store::grant_role(&mut tx, id, Role::Resident, None).await?;
    tx.commit().await?;
    store::load_me(&db.pool, id).await?.ok_or_else(|| AppError::internal("new user vanished"))
}

/// Creates (or extends) an account from the command line, with any role.
pub async fn create_user_with_role(
    db: &Db,
    phone: &str,
    password: &str,
    name: &str,
    role: Role,
    store_id: Option<i64>,
) -> Result<i64, AppError> {
    let new = rules::parse_registration(phone, password, name)?;
    let store_id = if role.is_store_role() { store_id } else { None };
    match store_id {
        None if role.is_store_role() => return Err(AppError::field(ErrorCode::BadRequest, "store")),
        Some(id) if crate::stores::store::get_active(&db.pool, id).await?.is_none() => {
            return Err(AppError::field(ErrorCode::NotFound, "store"));
        }
        _ => {}
    }
    let hash = password::hash(new.password).await?;
    let mut tx = db.begin_write().await?;
    let id = store::insert_user(&mut tx, &new.phone, &new.name, &hash).await?;
    store::grant_role(&mut tx, id, role, store_id).await?;
    if role != Role::Resident {
        // Everyone who works at a store can also shop there.
        store::grant_role(&mut tx, id, Role::Resident, None).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Checks a phone and password. Throttled per phone number and per client address: every
/// attempt is counted *before* the password is checked (and taken back if it succeeds), so
/// guesses sent in parallel are counted too; once either count is over its limit, even the
/// right password is refused until the window passes, so guessing gains nothing.
#[tracing::instrument(skip_all)]
pub async fn authenticate(db: &Db, phone: &str, password: &str, client: Option<IpAddr>) -> Result<Me, AppError> {
    let phone = Phone::parse(phone).map_err(|c| AppError::field(c, "phone"))?;
    let since = now_ms() - THROTTLE_WINDOW_MS;
    let client_key = client.map(|ip| ip.to_string());
    store::record_failure(&db.pool, SCOPE_LOGIN_PHONE, phone.as_str()).await?;
    let client_attempt = match &client_key {
        Some(key) => Some(store::record_failure(&db.pool, SCOPE_LOGIN_CLIENT, key).await?),
        None => None,
    };
    if store::recent_failures(&db.pool, SCOPE_LOGIN_PHONE, phone.as_str(), since).await? > MAX_FAILURES_PER_PHONE {
        return Err(AppError::new(ErrorCode::TooManyAttempts));
    }
    if let Some(key) = &client_key
        && store::recent_failures(&db.pool, SCOPE_LOGIN_CLIENT, key, since).await? > MAX_FAILURES_PER_CLIENT
    {
        return Err(AppError::new(ErrorCode::TooManyAttempts));
    }
    let creds = store::credentials(&db.pool, &phone).await?;
    let ok = password::verify(password.to_string(), creds.as_ref().map(|c| c.password_hash.clone())).await?;
    let Some(creds) = creds.filter(|_| ok) else {
        return Err(AppError::new(ErrorCode::InvalidCredentials));
    };
    if creds.active_flag == 0 {
        return Err(AppError::new(ErrorCode::AccountDisabled));
    }
    // A success wipes the phone's slate and takes this attempt off the client's count.
    store::clear_failures(&db.pool, SCOPE_LOGIN_PHONE, phone.as_str()).await?;
    if let Some(id) = client_attempt {
        store::forget_attempt(&db.pool, id).await?;
    }
    store::load_me(&db.pool, creds.id).await?.ok_or_else(|| AppError::new(ErrorCode::AccountDisabled))
}

/// Housekeeping: forget failures older than the throttle window.
pub async fn purge_old_failures(db: &Db) -> Result<u64, AppError> {
    store::purge_failures(&db.pool, now_ms() - THROTTLE_WINDOW_MS).await
}

/// The notes a resident keeps for the store (过敏: 坚果, 香蕉要软一点), and the staff's.
pub async fn notes(db: &Db, user_id: i64) -> Result<Vec<CustomerNote>, AppError> {
    Ok(store::notes_of(&db.pool, &[user_id]).await?.into_iter().map(|(_, n)| n).collect())
}

/// Adds a note of `kind` ("resident" by the resident, "staff" by staff) about `user_id`.
pub async fn add_note(db: &Db, user_id: i64, kind: &str, text: &str, by_user_id: i64, store_id: Option<i64>) -> Result<CustomerNote, AppError> {
    let text = rules::parse_customer_note(text)?;
    if store::count_notes(&db.pool, user_id, kind).await? >= rules::MAX_NOTES {
        return Err(AppError::new(ErrorCode::TooManyNotes));
    }
    let id = store::add_note(&db.pool, user_id, kind, &text, by_user_id, store_id).await?;
    notes(db, user_id).await?.into_iter().find(|n| n.id == id).ok_or_else(|| AppError::internal("note vanished"))
}

/// Removes one of the resident's own notes (404 for anyone else's, or a staff note).
pub async fn remove_own_note(db: &Db, user_id: i64, id: i64) -> Result<(), AppError> {
    if store::remove_note(&db.pool, id, user_id, "resident").await? { Ok(()) } else { Err(AppError::not_found()) }
}
