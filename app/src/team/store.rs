//! Team SQL: invitations, who works where, deactivation.
use super::model::{Invite, TeamMember};
use crate::accounts::model::{Role, RoleGrant};
use crate::shared::time::{now_ms, rfc3339};
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(FromRow)]
struct InviteRow {
    id: i64,
    phone: String,
    name: String,
    role: String,
    store_id: i64,
    store_name: String,
    expires_at_ms: i64,
}

impl InviteRow {
    fn into_invite(self) -> Invite {
        Invite {
            id: self.id,
            phone: self.phone,
            name: self.name,
            role: Role::parse(&self.role).unwrap_or(Role::Staff),
            store_id: self.store_id,
            store_name: self.store_name,
            expires_at: rfc3339(self.expires_at_ms),
        }
    }
}

const INVITE_SELECT: &str = "select i.id, i.phone, i.name, i.role, i.store_id, s.name as store_name, i.expires_at_ms
     from staff_invites i join stores s on s.id = i.store_id";

/// An invitation as it is written.
pub struct NewInviteRow<'a> {
    pub token_hash: &'a str,
    pub phone: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub store_id: i64,
    pub invited_by: i64,
    pub expires_at_ms: i64,
}

pub async fn insert_invite(conn: &mut AnyConnection, i: &NewInviteRow<'_>) -> Result<Invite, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into staff_invites (token_hash, phone, name, role, store_id, invited_by, created_at_ms, expires_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(i.token_hash)
    .bind(i.phone)
    .bind(i.name)
    .bind(i.role.as_str())
    .bind(i.store_id)
    .bind(i.invited_by)
    .bind(now_ms())
    .bind(i.expires_at_ms)
    .fetch_one(&mut *conn)
    .await?;
    let row: InviteRow = sqlx::query_as(&format!("{INVITE_SELECT} where i.id = $1")).bind(id).fetch_one(&mut *conn).await?;
    Ok(row.into_invite())
}

/// Invitations still open (not used, revoked or expired), newest first.
pub async fn open_invites(pool: &AnyPool) -> Result<Vec<Invite>, AppError> {
    let rows: Vec<InviteRow> = sqlx::query_as(&format!(
        "{INVITE_SELECT} where i.accepted_at_ms is null and i.revoked_at_ms is null and i.expires_at_ms > $1 order by i.id desc"
    ))
    .bind(now_ms())
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(InviteRow::into_invite).collect())
}

/// An open invitation by its token's hash, with who sent it.
pub async fn open_invite(pool: &AnyPool, token_hash: &str) -> Result<Option<(Invite, String)>, AppError> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        invite: InviteRow,
        invited_by: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "select i.id, i.phone, i.name, i.role, i.store_id, s.name as store_name, i.expires_at_ms, u.name as invited_by
         from staff_invites i join stores s on s.id = i.store_id join users u on u.id = i.invited_by
         where i.token_hash = $1 and i.accepted_at_ms is null and i.revoked_at_ms is null and i.expires_at_ms > $2",
    )
    .bind(token_hash)
    .bind(now_ms())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.invite.into_invite(), r.invited_by)))
}

/// Marks an invitation used by `user_id`, only while it is still open: two taps on 接受
/// (or two people with one link) use it once. Returns whether this call used it.
pub async fn claim_invite(conn: &mut AnyConnection, id: i64, user_id: i64) -> Result<bool, AppError> {
    let now = now_ms();
    let done = sqlx::query(
        "update staff_invites set accepted_at_ms = $2, accepted_by = $3
         where id = $1 and accepted_at_ms is null and revoked_at_ms is null and expires_at_ms > $2",
    )
    .bind(id)
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws an open invitation; false when there is none by that id.
pub async fn revoke_invite(conn: &mut AnyConnection, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("update staff_invites set revoked_at_ms = $2 where id = $1 and accepted_at_ms is null and revoked_at_ms is null")
        .bind(id)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Everyone with a role other than resident, with their store roles.
pub async fn members(pool: &AnyPool) -> Result<Vec<TeamMember>, AppError> {
    let rows: Vec<(i64, String, String, i64, String, Option<i64>)> = sqlx::query_as(
        "select u.id, u.name, u.phone, case when u.active then 1 else 0 end, r.role, r.store_id
         from users u join user_roles r on r.user_id = u.id
         where r.role <> $1 order by u.id, r.store_id, r.role",
    )
    .bind(Role::Resident.as_str())
    .fetch_all(pool)
    .await?;
    let mut out: Vec<TeamMember> = Vec::new();
    for (id, name, phone, active, role, store_id) in rows {
        let Some(role) = Role::parse(&role) else { continue };
        if out.last().is_none_or(|m| m.user_id != id) {
            out.push(TeamMember { user_id: id, name, phone, active: active == 1, owner: false, roles: Vec::new() });
        }
        if let Some(m) = out.last_mut() {
            if role == Role::Owner {
                m.owner = true;
            } else {
                m.roles.push(RoleGrant { role, store_id });
            }
        }
    }
    Ok(out)
}

/// Whether the person holds `role` at `store_id`.
pub async fn has_role(conn: &mut AnyConnection, user_id: i64, role: Role, store_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select user_id from user_roles where user_id = $1 and role = $2 and store_id = $3")
        .bind(user_id)
        .bind(role.as_str())
        .bind(store_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Takes a store role away; false when the person did not have it.
pub async fn remove_role(conn: &mut AnyConnection, user_id: i64, role: Role, store_id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("delete from user_roles where user_id = $1 and role = $2 and store_id = $3")
        .bind(user_id)
        .bind(role.as_str())
        .bind(store_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the person is the owner (owners are not changed from the team page).
pub async fn is_owner(conn: &mut AnyConnection, user_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select user_id from user_roles where user_id = $1 and role = $2")
        .bind(user_id)
        .bind(Role::Owner.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Deactivates or reactivates an account; false when there is no such user. A deactivated
/// person's sessions stop working at their next request (every request loads the person).
pub async fn set_active(conn: &mut AnyConnection, user_id: i64, active: bool) -> Result<bool, AppError> {
    let done = sqlx::query("update users set active = $2 where id = $1").bind(user_id).bind(active).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// A store's active clerks (role staff): (id, name), by name — for the settings where a
/// manager picks which of them may do more (host live sessions, moderate the group).
pub async fn store_clerks(conn: &mut AnyConnection, store_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "select u.id, u.name from users u join user_roles r on r.user_id = u.id
         where r.role = 'staff' and r.store_id = $1 and u.active = $2 order by u.name, u.id",
    )
    .bind(store_id)
    .bind(true)
    .fetch_all(&mut *conn)
    .await?)
}

/// The lists of a store's clerks its managers let do more than their role: each a table of
/// (store_id, user_id, allowed_by, created_at_ms) owned by the domain it opens.
#[derive(Clone, Copy, Debug)]
pub enum ClerkList {
    /// Who may host live sessions (live).
    LiveHosts,
    /// Who may moderate the store's group (community).
    GroupModerators,
}

impl ClerkList {
    fn table(self) -> &'static str {
        match self {
            ClerkList::LiveHosts => "live_hosts",
            ClerkList::GroupModerators => "community_moderators",
        }
    }
}

/// Makes the list exactly `user_ids` (inside the caller's transaction). Two saves at once both
/// delete and both insert: the later one's rows are already there, not a conflict.
pub async fn replace_clerk_list(conn: &mut AnyConnection, list: ClerkList, store_id: i64, user_ids: &[i64], by: i64, now: i64) -> Result<(), AppError> {
    let table = list.table();
    sqlx::query(&format!("delete from {table} where store_id = $1")).bind(store_id).execute(&mut *conn).await?;
    for uid in user_ids {
        sqlx::query(&format!("insert into {table} (store_id, user_id, allowed_by, created_at_ms) values ($1, $2, $3, $4) on conflict (store_id, user_id) do nothing"))
            .bind(store_id)
            .bind(uid)
            .bind(by)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
