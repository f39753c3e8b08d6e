//! Team server functions for the owner's 员工 page and the invitation link. Each form
//! bounces back with its error and what was typed when JavaScript is off.
use super::model::{InvitePage, TeamView};
use crate::shared::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "team")]
pub async fn load_team() -> Result<TeamView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::team(&state.db, &me).await
}

/// 邀请: back to the team page with the link to send.
#[server(prefix = "/api", endpoint = "team_invite")]
pub async fn invite_person(phone: String, name: String, role: String, store_id: String) -> Result<String, AppError> {
    let result = async {
        use crate::shared::ErrorCode;
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let role = crate::accounts::Role::parse(&role).ok_or_else(|| AppError::field(ErrorCode::InvalidRole, "role"))?;
        let store_id = store_id.parse().map_err(|_| AppError::field(ErrorCode::NotFound, "store_id"))?;
        let req = super::model::InviteRequest { phone: phone.clone(), name: name.clone(), role, store_id };
        let origin = crate::server::state::app_state()?.public_url;
        super::service::invite(&state.db, &me, &req, &origin).await
    }
    .await;
    match result {
        Ok(new) => {
            leptos_axum::redirect(&format!("/admin/team?link={}", crate::shared::url::encode(&new.url)));
            Ok(new.url)
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &[("phone", &phone), ("name", &name), ("role", &role), ("store_id", &store_id)]);
            Err(e)
        }
    }
}

/// The QR code of the invitation link just made (SVG), shown beside it.
#[server(prefix = "/api", endpoint = "team_invite_qr")]
pub async fn invite_qr(link: String) -> Result<String, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::invite_qr(&state.db, &me, &state.public_url, &link).await
}

/// 撤销 an invitation; 移除 a role; 停用 / 恢复 an account: one small form each.
#[server(prefix = "/api", endpoint = "team_change")]
pub async fn change_team(action: String, id: i64, role: Option<String>, store_id: Option<i64>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let db = &state.db;
        match action.as_str() {
            "revoke" => super::service::revoke(db, &me, id).await,
            "remove_role" => {
                let role = role.as_deref().and_then(crate::accounts::Role::parse).ok_or_else(|| AppError::new(crate::shared::ErrorCode::BadRequest))?;
                super::service::remove_role(db, &me, id, role, store_id.ok_or_else(|| AppError::new(crate::shared::ErrorCode::BadRequest))?).await
            }
            "deactivate" => super::service::set_active(db, &me, id, false).await,
            "reactivate" => super::service::set_active(db, &me, id, true).await,
            _ => Err(AppError::new(crate::shared::ErrorCode::BadRequest)),
        }
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect("/admin/team"),
        Err(e) => crate::server::form::bounce_back(e, &[]),
    }
    result
}

/// What an invitation link opens to.
#[server(prefix = "/api", endpoint = "invite_page")]
pub async fn load_invite(token: String) -> Result<InvitePage, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::current_user().await?;
    Ok(super::service::invite_page(&state.db, me.as_ref(), &token).await?.1)
}

/// 接受邀请: a new account signs in at once; everyone lands in the back office (a rider on
/// the rider's screen).
#[server(prefix = "/api", endpoint = "invite_accept")]
pub async fn accept_invite(token: String, password: Option<String>, name: Option<String>) -> Result<(), AppError> {
    let result = async {
        use crate::server::session;
        let state = crate::server::state::app_state()?;
        let me = crate::server::current_user().await?;
        let req = super::model::AcceptRequest { password: password.clone(), name: name.clone() };
        let person = super::service::accept(&state.db, me.as_ref(), &token, &req).await?;
        if me.is_none() {
            session::log_in(&session::session()?, person.id).await?;
        }
        Ok::<_, AppError>(person)
    }
    .await;
    match &result {
        Ok(p) => {
            let rider_only = p.roles.iter().all(|g| matches!(g.role, crate::accounts::Role::Rider | crate::accounts::Role::Resident));
            leptos_axum::redirect(if rider_only { "/rider" } else { "/admin" });
        }
        Err(e) => crate::server::form::bounce_back(e, &[("name", name.as_deref().unwrap_or(""))]),
    }
    result.map(|_| ())
}
