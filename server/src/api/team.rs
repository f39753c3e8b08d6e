//! `/api/v1/owner/team…` and `/api/v1/invites/{token}…`: the owner invites people to a store
//! with a role, withdraws invitations, removes roles and deactivates accounts; the invited
//! person accepts with the link's token. Anyone but the owner is refused (403).
use super::error::{ApiJson, ApiPath, ApiResult};
use super::who::{Asker, SignedIn};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use linli_app::accounts::Me;
use linli_app::server::{session, AppState};
use linli_app::team::model::{AcceptRequest, InvitePage, InviteRequest, NewInvite, RoleRequest, TeamMember};
use linli_app::team::service;
use tower_sessions::Session;

/// Everyone who works at a store (and the owner), with their store roles.
#[utoipa::path(get, path = "/api/v1/owner/team", tag = "team", responses((status = 200, body = [TeamMember]), (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<Json<Vec<TeamMember>>> {
    Ok(Json(service::team(&state.db, &me).await?.people))
}

/// Invites a person (by phone number) to a store as manager, staff or rider. The answer
/// carries the link to send; it works once, for 7 days.
#[utoipa::path(post, path = "/api/v1/owner/invites", request_body = InviteRequest, tag = "team",
    responses((status = 201, body = NewInvite), (status = 401), (status = 403), (status = 409, description = "already_on_team"),
        (status = 422, description = "invalid_phone, name_required, invalid_role")))]
pub async fn invite(State(state): State<AppState>, SignedIn(me): SignedIn, ApiJson(body): ApiJson<InviteRequest>) -> ApiResult<(StatusCode, Json<NewInvite>)> {
    Ok((StatusCode::CREATED, Json(service::invite(&state.db, &me, &body, &state.public_url).await?)))
}

/// Withdraws an invitation not yet accepted.
#[utoipa::path(delete, path = "/api/v1/owner/invites/{id}", params(("id" = i64, Path)), tag = "team",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn revoke(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<StatusCode> {
    service::revoke(&state.db, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an invitation link opens to (404 invite_not_valid once used, withdrawn or expired).
#[utoipa::path(get, path = "/api/v1/invites/{token}", params(("token" = String, Path)), tag = "team",
    responses((status = 200, body = InvitePage), (status = 404, description = "invite_not_valid")))]
pub async fn show(State(state): State<AppState>, Asker(me): Asker, ApiPath(token): ApiPath<String>) -> ApiResult<Json<InvitePage>> {
    Ok(Json(service::invite_page(&state.db, me.as_ref(), &token).await?.1))
}

/// Accepts an invitation: signed in as the invited number, the role is added; a number with
/// no account gets one with `password` (and is signed in). Used once.
#[utoipa::path(post, path = "/api/v1/invites/{token}/accept", params(("token" = String, Path)), request_body = AcceptRequest, tag = "team",
    responses((status = 200, body = Me), (status = 403, description = "login_as_invitee"), (status = 404, description = "invite_not_valid"),
        (status = 422, description = "password_too_short, name_required")))]
pub async fn accept(State(state): State<AppState>, Asker(me): Asker, session: Session, ApiPath(token): ApiPath<String>, ApiJson(body): ApiJson<AcceptRequest>) -> ApiResult<Json<Me>> {
    let person = service::accept(&state.db, me.as_ref(), &token, &body).await?;
    if me.is_none() {
        session::log_in(&session, person.id).await?;
    }
    Ok(Json(person))
}

/// Takes a store role away (never the owner's); it takes effect at the person's next request.
#[utoipa::path(post, path = "/api/v1/owner/team/{user_id}/remove-role", params(("user_id" = i64, Path)), request_body = RoleRequest, tag = "team",
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409, description = "owner_untouchable")))]
pub async fn remove_role(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(user_id): ApiPath<i64>, ApiJson(body): ApiJson<RoleRequest>) -> ApiResult<StatusCode> {
    service::remove_role(&state.db, &me, user_id, body.role, body.store_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deactivates an account: its sessions stop working and login is refused (403 account_disabled).
#[utoipa::path(post, path = "/api/v1/owner/team/{user_id}/deactivate", params(("user_id" = i64, Path)), tag = "team",
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409, description = "owner_untouchable")))]
pub async fn deactivate(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(user_id): ApiPath<i64>) -> ApiResult<StatusCode> {
    service::set_active(&state.db, &me, user_id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Brings a deactivated account back.
#[utoipa::path(post, path = "/api/v1/owner/team/{user_id}/reactivate", params(("user_id" = i64, Path)), tag = "team",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn reactivate(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(user_id): ApiPath<i64>) -> ApiResult<StatusCode> {
    service::set_active(&state.db, &me, user_id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
