//! Account actions shared by the pages' server functions and the JSON API: one rule, two doors.
use super::model::{CustomerNote, Me, Role};
use super::rules::{self, MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_DEVICE, MAX_FAILURES_PER_PHONE, THROTTLE_WINDOW_MS};
use super::{password, store};
use crate::server::Db;
use crate::shared::time::now_ms;
use crate::shared::{AppError, ErrorCode, Phone};
use std::net::IpAddr;

const SCOPE_LOGIN_PHONE: &str = "login_phone";
const SCOPE_LOGIN_CLIENT: &str = "login_client";
const SCOPE_LOGIN_DEVICE: &str = "login_device";
const SCOPE_SIGNUP_CLIENT: &str = "signup_client";
const SCOPE_SIGNUP_ALL: &str = "signup_all";
const SCOPE_RESET_CLIENT: &str = "reset_client";

/// The cookie a browser keeps after signing in: its device token (see `authenticate`).
pub const DEVICE_COOKIE: &str = "linli_dev";

/// Creates a resident account. Returns the new person. Throttled per client (an IPv6 /64
/// counts as one) and for everyone together, before any work; the password is hashed before
/// the number is looked up, so "this number is taken" costs as much as a new account and
/// tells a timer nothing.
#[tracing::instrument(skip_all)]
pub async fn register(db: &Db, phone: &str, password: &str, name: &str, client: Option<IpAddr>) -> Result<Me, AppError> {
    let new = rules::parse_registration(phone, password, name)?;
    let since = now_ms() - THROTTLE_WINDOW_MS;
    if let Some(ip) = client {
        let key = rules::client_bucket(ip);
        if store::recent_failures(&db.pool, SCOPE_SIGNUP_CLIENT, &key, since).await? >= rules::MAX_SIGNUPS_PER_CLIENT {
            return Err(AppError::new(ErrorCode::TooManyAttempts));
        }
        store::record_failure(&db.pool, SCOPE_SIGNUP_CLIENT, &key).await?;
    }
    if store::recent_failures(&db.pool, SCOPE_SIGNUP_ALL, "all", since).await? >= rules::MAX_SIGNUPS {
        tracing::warn!("sign-ups throttled for everyone: a flood");
        return Err(AppError::new(ErrorCode::TooManyAttempts));
    }
    store::record_failure(&db.pool, SCOPE_SIGNUP_ALL, "all").await?;
    let hash = password::hash(new.password).await?;
    // The unique index still decides under a race.
    if store::user_id_by_phone(&db.pool, &new.phone).await?.is_some() {
        return Err(AppError::field(ErrorCode::PhoneTaken, "phone"));
    }
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
        Some(id) if crate::stores::get_active(&db.pool, id).await?.is_none() => {
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

/// Where a sign-in comes from: the client's address and the device cookie it sent, if any.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoginFrom<'a> {
    pub ip: Option<IpAddr>,
    pub device: Option<&'a str>,
}

/// A successful sign-in: the person, and the device token to keep in the browser's cookie.
#[derive(Clone, Debug)]
pub struct LoggedIn {
    pub me: Me,
    pub device_token: String,
}

/// Checks a phone and password. Every attempt is counted *before* the password is checked
/// (and taken back if it succeeds), so guesses sent in parallel are counted too; once a count
/// is over its limit even the right password is refused until the window passes.
///
/// A browser that signed in as this number before (a device cookie, OWASP's recommendation)
/// is counted on its own and ignores the number's lockout: someone who only knows the number
/// cannot keep its owner out. Unknown clients share the number's count and their address's;
/// a client already over its limit is refused before anything counts against the number.
#[tracing::instrument(skip_all)]
pub async fn authenticate(db: &Db, phone: &str, password: &str, from: LoginFrom<'_>) -> Result<LoggedIn, AppError> {
    let phone = Phone::parse(phone).map_err(|c| AppError::field(c, "phone"))?;
    let since = now_ms() - THROTTLE_WINDOW_MS;
    let device = match from.device.filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())) {
        Some(token) => {
            let hash = crate::server::sha256_hex(token);
            (store::device_phone(&db.pool, &hash).await?.as_deref() == Some(phone.as_str())).then_some(hash)
        }
        None => None,
    };
    let client_key = from.ip.map(rules::client_bucket);
    let mut client_attempt = None;
    match &device {
        Some(hash) => {
            store::record_failure(&db.pool, SCOPE_LOGIN_DEVICE, hash).await?;
            if store::recent_failures(&db.pool, SCOPE_LOGIN_DEVICE, hash, since).await? > MAX_FAILURES_PER_DEVICE {
                return Err(AppError::new(ErrorCode::TooManyAttempts));
            }
        }
        None => {
            if let Some(key) = &client_key
                && store::recent_failures(&db.pool, SCOPE_LOGIN_CLIENT, key, since).await? >= MAX_FAILURES_PER_CLIENT
            {
                return Err(AppError::new(ErrorCode::TooManyAttempts));
            }
            store::record_failure(&db.pool, SCOPE_LOGIN_PHONE, phone.as_str()).await?;
            if let Some(key) = &client_key {
                client_attempt = Some(store::record_failure(&db.pool, SCOPE_LOGIN_CLIENT, key).await?);
            }
            if store::recent_failures(&db.pool, SCOPE_LOGIN_PHONE, phone.as_str(), since).await? > MAX_FAILURES_PER_PHONE {
                return Err(AppError::new(ErrorCode::TooManyAttempts));
            }
        }
    }
    let creds = store::credentials(&db.pool, &phone).await?;
    let ok = password::verify(password.to_string(), creds.as_ref().map(|c| c.password_hash.clone())).await?;
    let Some(creds) = creds.filter(|_| ok) else {
        return Err(AppError::new(ErrorCode::InvalidCredentials));
    };
    if creds.active_flag == 0 {
        return Err(AppError::new(ErrorCode::AccountDisabled));
    }
    // A success wipes this browser's (or the number's) slate and takes this attempt off the
    // client's count.
    match &device {
        Some(hash) => store::clear_failures(&db.pool, SCOPE_LOGIN_DEVICE, hash).await?,
        None => store::clear_failures(&db.pool, SCOPE_LOGIN_PHONE, phone.as_str()).await?,
    }
    if let Some(id) = client_attempt {
        store::forget_attempt(&db.pool, id).await?;
    }
    // The browser keeps (or gets) a device token for this number.
    let device_token = match (&device, from.device) {
        (Some(_), Some(token)) => token.to_string(),
        _ => crate::server::random_token()?,
    };
    store::remember_device(&db.pool, &crate::server::sha256_hex(&device_token), phone.as_str(), now_ms()).await?;
    let me = store::load_me(&db.pool, creds.id).await?.ok_or_else(|| AppError::new(ErrorCode::AccountDisabled))?;
    Ok(LoggedIn { me, device_token })
}

/// The `Set-Cookie` value that keeps a device token in the browser.
pub fn device_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}", rules::DEVICE_DAYS * 24 * 3600)
}

/// Housekeeping: forget devices unused for longer than a device cookie lives.
pub async fn purge_old_devices(db: &Db) -> Result<u64, AppError> {
    store::purge_devices(&db.pool, now_ms() - rules::DEVICE_DAYS * 24 * 3600 * 1000).await
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

/// A limit on wrong guesses per staff account (pickup codes at the desk, member pay codes at
/// the till), counted in the same failure table as logins: a desk mistypes a few times a day,
/// `max` in `window_ms` is someone trying codes.
#[derive(Clone, Copy, Debug)]
pub struct GuessLimit {
    pub scope: &'static str,
    pub max: i64,
    pub window_ms: i64,
}

impl GuessLimit {
    /// Refuses (429) a person who has guessed wrong too often lately.
    pub async fn check(&self, db: &Db, staff_id: i64) -> Result<(), AppError> {
        if self.used(db, staff_id).await? >= self.max {
            return Err(AppError::new(ErrorCode::TooManyAttempts));
        }
        Ok(())
    }

    /// Counts one wrong guess; returns how many are left before the person is stopped.
    pub async fn miss(&self, db: &Db, staff_id: i64) -> Result<i64, AppError> {
        store::record_failure(&db.pool, self.scope, &staff_id.to_string()).await?;
        Ok((self.max - self.used(db, staff_id).await?).max(0))
    }

    /// A right guess wipes the person's slate.
    pub async fn clear(&self, db: &Db, staff_id: i64) -> Result<(), AppError> {
        store::clear_failures(&db.pool, self.scope, &staff_id.to_string()).await
    }

    async fn used(&self, db: &Db, staff_id: i64) -> Result<i64, AppError> {
        store::recent_failures(&db.pool, self.scope, &staff_id.to_string(), now_ms() - self.window_ms).await
    }
}

/// 忘记密码, at the counter: staff who have checked the person issue a one-time reset code for
/// `user_id`, shown to them once. Only the owner resets an account that works at a store (a
/// clerk must not take over a manager's). The caller has checked `issuer` may serve customers
/// at `store_id`.
pub async fn issue_reset(db: &Db, issuer: &Me, store_id: i64, user_id: i64) -> Result<IssuedReset, AppError> {
    let target = store::load_me(&db.pool, user_id).await?.ok_or_else(AppError::not_found)?;
    if target.id == issuer.id || (target.works_here() && !issuer.has(Role::Owner)) {
        return Err(AppError::forbidden());
    }
    let mut random = [0u8; 5];
    getrandom::getrandom(&mut random).map_err(AppError::internal)?;
    let code = rules::reset_code_from(random);
    let now = now_ms();
    let expires_at_ms = now + rules::RESET_MINUTES * 60 * 1000;
    let mut tx = db.begin_write().await?;
    store::insert_reset(&mut tx, user_id, store_id, issuer.id, &crate::server::sha256_hex(&code), now, expires_at_ms).await?;
    tx.commit().await?;
    tracing::info!(user = user_id, store = store_id, by = issuer.id, "password reset code issued");
    Ok(IssuedReset { user_id, code, expires_at_ms })
}

/// A reset code just issued: shown once to the staff member who asked for it.
#[derive(Clone, Debug)]
pub struct IssuedReset {
    pub user_id: i64,
    pub code: String,
    pub expires_at_ms: i64,
}

/// 忘记密码, by the resident: the number, the code from the counter and a new password. The
/// code works once; every other session of the account ends; the number's login lockout is
/// lifted. A wrong code counts against the code (void after five) and the client's address;
/// an unknown number answers exactly like a wrong code.
#[tracing::instrument(skip_all)]
pub async fn reset_password(db: &Db, phone: &str, code: &str, new_password: &str, client: Option<IpAddr>) -> Result<Me, AppError> {
    let mut c = crate::shared::FieldChecks::default();
    let phone = c.check(Phone::parse(phone).map_err(|c| AppError::field(c, "phone")));
    let code = c.check(rules::parse_reset_code(code));
    let password = c.check(rules::parse_password(new_password));
    c.finish()?;
    let (Some(phone), Some(code), Some(password)) = (phone, code, password) else { return Err(AppError::new(ErrorCode::BadRequest)) };
    let since = now_ms() - THROTTLE_WINDOW_MS;
    let client_key = client.map(rules::client_bucket);
    if let Some(key) = &client_key {
        if store::recent_failures(&db.pool, SCOPE_RESET_CLIENT, key, since).await? >= rules::MAX_RESETS_PER_CLIENT {
            return Err(AppError::new(ErrorCode::TooManyAttempts));
        }
        store::record_failure(&db.pool, SCOPE_RESET_CLIENT, key).await?;
    }
    let wrong = || AppError::field(ErrorCode::ResetCodeInvalid, "code");
    let Some(user_id) = store::user_id_by_phone(&db.pool, &phone).await? else { return Err(wrong()) };
    let now = now_ms();
    let Some(open) = store::open_reset(&db.pool, user_id, now, rules::RESET_MAX_TRIES).await? else { return Err(wrong()) };
    if crate::server::sha256_hex(&code) != open.code_hash {
        store::miss_reset(&db.pool, open.id).await?;
        return Err(wrong());
    }
    let hash = password::hash(password).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if !store::use_reset(&mut tx, open.id, now, rules::RESET_MAX_TRIES).await? {
        tx.rollback().await?;
        return Err(wrong());
    }
    store::set_password(&mut tx, user_id, &hash, now).await?;
    tx.commit().await?;
    store::clear_failures(&db.pool, SCOPE_LOGIN_PHONE, phone.as_str()).await?;
    tracing::info!(user = user_id, "password reset with a counter code");
    store::load_me(&db.pool, user_id).await?.ok_or_else(|| AppError::new(ErrorCode::AccountDisabled))
}
