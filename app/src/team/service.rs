//! Team actions shared by the pages and the JSON API. Only the owner manages the team; an
//! invitation is accepted by the person it names (their phone number), once.
use super::model::{AcceptRequest, Invite, InvitePage, InviteRequest, NewInvite, TeamView};
use super::{rules, store};
use crate::accounts::{self, Me, Role};
use crate::server::Db;
use crate::shared::time::now_ms;
use crate::shared::{AppError, ErrorCode, Phone};

fn owner(me: &Me) -> Result<(), AppError> {
    if me.has(Role::Owner) { Ok(()) } else { Err(AppError::forbidden()) }
}

pub async fn team(db: &Db, me: &Me) -> Result<TeamView, AppError> {
    owner(me)?;
    let stores = crate::stores::list_active(&db.pool).await?.into_iter().map(|s| crate::stores::StoreChoice { id: s.id, name: s.name }).collect();
    Ok(TeamView { people: store::members(&db.pool).await?, invites: store::open_invites(&db.pool).await?, stores, me: me.id })
}

/// Invites a person to a store with a role. `origin` makes the link absolute (it is sent
/// by WeChat or SMS); the token is in the link only, its hash in the database.
#[tracing::instrument(skip_all, fields(by = me.id, store_id = req.store_id))]
pub async fn invite(db: &Db, me: &Me, req: &InviteRequest, origin: &str) -> Result<NewInvite, AppError> {
    owner(me)?;
    let (phone, name) = rules::check_invite(&req.phone, &req.name, req.role)?;
    if crate::stores::get_active(&db.pool, req.store_id).await?.is_none() {
        return Err(AppError::field(ErrorCode::NotFound, "store_id"));
    }
    let token = crate::server::random_token()?;
    let hash = rules::token_hash(&token);
    let mut tx = db.begin_write().await?;
    if let Some(user_id) = accounts::store::user_id_by_phone(&db.pool, &phone).await?
        && store::has_role(&mut tx, user_id, req.role, req.store_id).await?
    {
        return Err(AppError::new(ErrorCode::AlreadyOnTeam));
    }
    let row = store::NewInviteRow {
        token_hash: &hash,
        phone: phone.as_str(),
        name: &name,
        role: req.role,
        store_id: req.store_id,
        invited_by: me.id,
        expires_at_ms: now_ms() + rules::INVITE_DAYS * 24 * 3600 * 1000,
    };
    let invite = store::insert_invite(&mut tx, &row).await?;
    tx.commit().await?;
    tracing::info!(invite = invite.id, role = req.role.as_str(), "invited");
    Ok(NewInvite { invite, url: format!("{origin}/join/{token}") })
}

/// The QR code of an invitation link just made, for the new person to scan off the owner's
/// screen: only for a link of this site to an invitation still open.
pub async fn invite_qr(db: &Db, me: &Me, origin: &str, link: &str) -> Result<String, AppError> {
    owner(me)?;
    let token = link.strip_prefix(origin).and_then(|l| l.strip_prefix("/join/")).ok_or_else(|| AppError::new(ErrorCode::InviteNotValid))?;
    store::open_invite(&db.pool, &rules::token_hash(token)).await?.ok_or_else(|| AppError::new(ErrorCode::InviteNotValid))?;
    crate::server::qr::svg(link, 200)
}

pub async fn revoke(db: &Db, me: &Me, id: i64) -> Result<(), AppError> {
    owner(me)?;
    let mut tx = db.begin_write().await?;
    if !store::revoke_invite(&mut tx, id).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(())
}

/// What the invitation link shows to whoever opened it (404 once it is no longer open).
pub async fn invite_page(db: &Db, me: Option<&Me>, token: &str) -> Result<(Invite, InvitePage), AppError> {
    let (invite, invited_by) = store::open_invite(&db.pool, &rules::token_hash(token)).await?.ok_or_else(|| AppError::new(ErrorCode::InviteNotValid))?;
    let phone = Phone::parse(&invite.phone).map_err(|_| AppError::internal("stored invite phone"))?;
    let has_account = accounts::store::user_id_by_phone(&db.pool, &phone).await?.is_some();
    let page = InvitePage {
        store_name: invite.store_name.clone(),
        role: invite.role,
        name: invite.name.clone(),
        phone_masked: phone.masked(),
        invited_by,
        has_account,
        signed_in_as_invitee: me.is_some_and(|m| m.phone == invite.phone),
        signed_in_as_other: me.is_some_and(|m| m.phone != invite.phone),
    };
    Ok((invite, page))
}

/// Accepts an invitation: signed in as the invited number, the role is added; with no
/// account for the number yet, one is made with the password given. Either way in one
/// transaction that also uses up the invitation. Returns the person (to sign in when new).
#[tracing::instrument(skip_all)]
pub async fn accept(db: &Db, me: Option<&Me>, token: &str, req: &AcceptRequest) -> Result<Me, AppError> {
    let (invite, page) = invite_page(db, me, token).await?;
    let user_id = match me {
        Some(m) if page.signed_in_as_invitee => {
            let mut tx = db.begin_write().await?;
            if !store::claim_invite(&mut tx, invite.id, m.id).await? {
                return Err(AppError::new(ErrorCode::InviteNotValid));
            }
            accounts::store::grant_role(&mut tx, m.id, invite.role, Some(invite.store_id)).await?;
            tx.commit().await?;
            m.id
        }
        Some(_) => return Err(AppError::new(ErrorCode::LoginAsInvitee)),
        None if page.has_account => return Err(AppError::new(ErrorCode::LoginAsInvitee)),
        None => {
            let name = req.name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(&invite.name);
            let new = accounts::rules::parse_registration(&invite.phone, req.password.as_deref().unwrap_or(""), name)?;
            let hash = accounts::password::hash(new.password).await?;
            let mut tx = db.begin_write().await?;
            let id = accounts::store::insert_user(&mut tx, &new.phone, &new.name, &hash).await?;
            if !store::claim_invite(&mut tx, invite.id, id).await? {
                return Err(AppError::new(ErrorCode::InviteNotValid));
            }
            accounts::store::grant_role(&mut tx, id, invite.role, Some(invite.store_id)).await?;
            // Everyone who works at a store can also shop there.
            accounts::store::grant_role(&mut tx, id, Role::Resident, None).await?;
            tx.commit().await?;
            id
        }
    };
    tracing::info!(invite = invite.id, user = user_id, "invitation accepted");
    accounts::store::load_me(&db.pool, user_id).await?.ok_or_else(|| AppError::new(ErrorCode::AccountDisabled))
}

/// Takes a store role away from someone (never from the owner).
pub async fn remove_role(db: &Db, me: &Me, user_id: i64, role: Role, store_id: i64) -> Result<(), AppError> {
    owner(me)?;
    let mut tx = db.begin_write().await?;
    if store::is_owner(&mut tx, user_id).await? {
        return Err(AppError::new(ErrorCode::OwnerUntouchable));
    }
    if !role.is_store_role() || !store::remove_role(&mut tx, user_id, role, store_id).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    tracing::info!(by = me.id, user = user_id, role = role.as_str(), store_id, "role removed");
    Ok(())
}

/// Deactivates (or reactivates) an account: signing in is refused and open sessions stop
/// working at once. Never the owner (nor oneself).
pub async fn set_active(db: &Db, me: &Me, user_id: i64, active: bool) -> Result<(), AppError> {
    owner(me)?;
    let mut tx = db.begin_write().await?;
    if user_id == me.id || store::is_owner(&mut tx, user_id).await? {
        return Err(AppError::new(ErrorCode::OwnerUntouchable));
    }
    if !store::set_active(&mut tx, user_id, active).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    tracing::info!(by = me.id, user = user_id, active, "account active changed");
    Ok(())
}
