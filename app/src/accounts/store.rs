//! Accounts SQL: users, roles, and the failure counters behind login throttling.
use super::model::{CustomerNote, Me, Role, RoleGrant};
use crate::shared::time::{now_ms, rfc3339};
use crate::shared::{AppError, ErrorCode, Phone};
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(FromRow)]
struct UserRow {
    id: i64,
    phone: String,
    name: String,
    home_store_id: Option<i64>,
    wallet_fen: i64,
}

#[derive(FromRow)]
struct RoleRow {
    role: String,
    store_id: Option<i64>,
}

/// What login needs to know; not `Serialize`, so the hash cannot leak into a response.
#[derive(FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub active_flag: i64,
}

/// Inserts a user; a phone number that exists already is `PhoneTaken`, not a 500.
pub async fn insert_user(conn: &mut AnyConnection, phone: &Phone, name: &str, password_hash: &str) -> Result<i64, AppError> {
    let r: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "insert into users (phone, name, password_hash, created_at_ms) values ($1, $2, $3, $4) returning id",
    )
    .bind(phone.as_str())
    .bind(name)
    .bind(password_hash)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await;
    match r {
        Ok((id,)) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AppError::field(ErrorCode::PhoneTaken, "phone")),
        Err(e) => Err(e.into()),
    }
}

/// Grants a role; granting one the person already has changes nothing.
pub async fn grant_role(conn: &mut AnyConnection, user_id: i64, role: Role, store_id: Option<i64>) -> Result<(), AppError> {
    sqlx::query(
        "insert into user_roles (user_id, role, store_id, created_at_ms) select $1, $2, $3, $4
         where not exists (select 1 from user_roles where user_id = $1 and role = $2 and coalesce(store_id, 0) = coalesce($3, 0))",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(store_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn credentials(pool: &AnyPool, phone: &Phone) -> Result<Option<Credentials>, AppError> {
    Ok(sqlx::query_as(
        "select id, password_hash, case when active then 1 else 0 end as active_flag from users where phone = $1",
    )
    .bind(phone.as_str())
    .fetch_optional(pool)
    .await?)
}

pub async fn user_id_by_phone(pool: &AnyPool, phone: &Phone) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select id from users where phone = $1").bind(phone.as_str()).fetch_optional(pool).await?;
    Ok(row.map(|r| r.0))
}

/// The signed-in person with their roles, or `None` if the account is gone or disabled.
pub async fn load_me(pool: &AnyPool, user_id: i64) -> Result<Option<Me>, AppError> {
    load_signed_in(pool, user_id, i64::MAX).await
}

/// `load_me` for a session that began at `auth_at_ms`: `None` as well if a password reset
/// since then ended every session of the account.
pub async fn load_signed_in(pool: &AnyPool, user_id: i64, auth_at_ms: i64) -> Result<Option<Me>, AppError> {
    let user: Option<UserRow> = sqlx::query_as(
        "select id, phone, name, home_store_id, wallet_fen from users where id = $1 and active = $2 and sessions_from_ms <= $3",
    )
    .bind(user_id)
    .bind(true)
    .bind(auth_at_ms)
    .fetch_optional(pool)
    .await?;
    let Some(u) = user else { return Ok(None) };
    let roles: Vec<RoleRow> =
        sqlx::query_as("select role, store_id from user_roles where user_id = $1 order by role, store_id")
            .bind(user_id)
            .fetch_all(pool)
            .await?;
    Ok(Some(Me {
        id: u.id,
        phone: u.phone,
        name: u.name,
        roles: roles
            .into_iter()
            .filter_map(|r| Role::parse(&r.role).map(|role| RoleGrant { role, store_id: r.store_id }))
            .collect(),
        home_store_id: u.home_store_id,
        wallet_fen: u.wallet_fen,
    }))
}

pub async fn set_home_store(pool: &AnyPool, user_id: i64, store_id: i64) -> Result<(), AppError> {
    sqlx::query("update users set home_store_id = $1 where id = $2").bind(store_id).bind(user_id).execute(pool).await?;
    Ok(())
}

/// Records one attempt against `key` (a phone number, a client address…); returns its id so
/// a successful attempt can be taken back.
pub async fn record_failure(pool: &AnyPool, scope: &str, key: &str) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as("insert into auth_failures (scope, key, at_ms) values ($1, $2, $3) returning id")
        .bind(scope)
        .bind(key)
        .bind(now_ms())
        .fetch_one(pool)
        .await?;
    Ok(id)
}

pub async fn forget_attempt(pool: &AnyPool, id: i64) -> Result<(), AppError> {
    sqlx::query("delete from auth_failures where id = $1").bind(id).execute(pool).await?;
    Ok(())
}

pub async fn recent_failures(pool: &AnyPool, scope: &str, key: &str, since_ms: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from auth_failures where scope = $1 and key = $2 and at_ms > $3")
        .bind(scope)
        .bind(key)
        .bind(since_ms)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

pub async fn clear_failures(pool: &AnyPool, scope: &str, key: &str) -> Result<(), AppError> {
    sqlx::query("delete from auth_failures where scope = $1 and key = $2").bind(scope).bind(key).execute(pool).await?;
    Ok(())
}

/// Forgets failures older than `before_ms` (run periodically).
pub async fn purge_failures(pool: &AnyPool, before_ms: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("delete from auth_failures where at_ms <= $1").bind(before_ms).execute(pool).await?.rows_affected())
}

/// The notes on residents (not removed), oldest first: (user id, note).
pub async fn notes_of(pool: &AnyPool, user_ids: &[i64]) -> Result<Vec<(i64, CustomerNote)>, AppError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select user_id, id, kind, text, created_at_ms from customer_notes
         where removed_at_ms is null and user_id in ({}) order by id",
        crate::server::db::placeholders(1, user_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, String, String, i64)>(&sql);
    for id in user_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|(user_id, id, kind, text, at)| (user_id, CustomerNote { id, kind, text, created_at: rfc3339(at) }))
        .collect())
}

pub async fn add_note(pool: &AnyPool, user_id: i64, kind: &str, text: &str, by_user_id: i64, store_id: Option<i64>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into customer_notes (user_id, kind, text, by_user_id, store_id, created_at_ms) values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(user_id)
    .bind(kind)
    .bind(text)
    .bind(by_user_id)
    .bind(store_id)
    .bind(now_ms())
    .fetch_one(pool)
    .await?;
    Ok(id)
}

/// Removes a note of `kind` about `user_id` (kept in the table, marked removed); false if
/// there is no such note.
pub async fn remove_note(pool: &AnyPool, id: i64, user_id: i64, kind: &str) -> Result<bool, AppError> {
    let r = sqlx::query("update customer_notes set removed_at_ms = $4 where id = $1 and user_id = $2 and kind = $3 and removed_at_ms is null")
        .bind(id)
        .bind(user_id)
        .bind(kind)
        .bind(now_ms())
        .execute(pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn count_notes(pool: &AnyPool, user_id: i64, kind: &str) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from customer_notes where user_id = $1 and kind = $2 and removed_at_ms is null")
        .bind(user_id)
        .bind(kind)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

/// The phone number a device token was issued for.
pub async fn device_phone(pool: &AnyPool, token_hash: &str) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("select phone from login_devices where token_hash = $1").bind(token_hash).fetch_optional(pool).await?;
    Ok(row.map(|r| r.0))
}

/// Remembers a device token (its hash) for a phone number, or notes its latest login.
pub async fn remember_device(pool: &AnyPool, token_hash: &str, phone: &str, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "insert into login_devices (token_hash, phone, created_at_ms, last_login_ms) values ($1, $2, $3, $3)
         on conflict (token_hash) do update set last_login_ms = excluded.last_login_ms",
    )
    .bind(token_hash)
    .bind(phone)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Housekeeping: devices not used to sign in since `before_ms`.
pub async fn purge_devices(pool: &AnyPool, before_ms: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("delete from login_devices where last_login_ms < $1").bind(before_ms).execute(pool).await?.rows_affected())
}

/// A reset code as stored, still open.
#[derive(FromRow)]
pub struct OpenReset {
    pub id: i64,
    pub code_hash: String,
    pub tries: i64,
}

/// Issues a reset code (its hash) for `user_id`, voiding any earlier one still open.
pub async fn insert_reset(conn: &mut AnyConnection, user_id: i64, store_id: i64, issued_by: i64, code_hash: &str, now: i64, expires_at_ms: i64) -> Result<(), AppError> {
    sqlx::query("update password_resets set expires_at_ms = $2 where user_id = $1 and used_at_ms is null and expires_at_ms > $2")
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into password_resets (user_id, store_id, issued_by, code_hash, created_at_ms, expires_at_ms) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(store_id)
    .bind(issued_by)
    .bind(code_hash)
    .bind(now)
    .bind(expires_at_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The account's open reset code: unused, unexpired, with tries left.
pub async fn open_reset(pool: &AnyPool, user_id: i64, now: i64, max_tries: i64) -> Result<Option<OpenReset>, AppError> {
    Ok(sqlx::query_as(
        "select id, code_hash, cast(tries as bigint) as tries from password_resets
         where user_id = $1 and used_at_ms is null and expires_at_ms > $2 and tries < $3 order by id desc limit 1",
    )
    .bind(user_id)
    .bind(now)
    .bind(max_tries)
    .fetch_optional(pool)
    .await?)
}

/// One wrong try at a reset code.
pub async fn miss_reset(pool: &AnyPool, id: i64) -> Result<(), AppError> {
    sqlx::query("update password_resets set tries = tries + 1 where id = $1").bind(id).execute(pool).await?;
    Ok(())
}

/// Uses the reset code once: false if it was used, expired or tried out meanwhile.
pub async fn use_reset(conn: &mut AnyConnection, id: i64, now: i64, max_tries: i64) -> Result<bool, AppError> {
    let r = sqlx::query("update password_resets set used_at_ms = $2 where id = $1 and used_at_ms is null and expires_at_ms > $2 and tries < $3")
        .bind(id)
        .bind(now)
        .bind(max_tries)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The new password; every session that began before `now` ends.
pub async fn set_password(conn: &mut AnyConnection, user_id: i64, password_hash: &str, now: i64) -> Result<(), AppError> {
    sqlx::query("update users set password_hash = $1, sessions_from_ms = $2 where id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
