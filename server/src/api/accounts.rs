//! `/api/v1/auth/*` and `/api/v1/me`.
use super::error::{ApiError, ApiJson, ApiResult};
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::Json;
use linli_app::accounts::{service, Me};
use linli_app::server::{session, AppState};
use linli_app::shared::AppError;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use tower_sessions::Session;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    pub phone: String,
    pub password: String,
    pub name: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub phone: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicUser {
    pub id: i64,
    pub phone: String,
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserEnvelope {
    pub user: PublicUser,
}

fn envelope(me: Me) -> UserEnvelope {
    UserEnvelope { user: PublicUser { id: me.id, phone: me.phone, name: me.name } }
}

/// Creates a resident account and signs it in.
#[utoipa::path(post, path = "/api/v1/auth/register", request_body = RegisterBody, tag = "accounts",
    responses((status = 201, body = UserEnvelope), (status = 409, description = "phone_taken"), (status = 422, description = "invalid field")))]
pub async fn register(
    State(state): State<AppState>,
    session: Session,
    ApiJson(body): ApiJson<RegisterBody>,
) -> ApiResult<(StatusCode, Json<UserEnvelope>)> {
    let me = service::register(&state.db, &body.phone, &body.password, &body.name).await?;
    session::log_in(&session, me.id).await?;
    Ok((StatusCode::CREATED, Json(envelope(me))))
}

/// Signs in; throttled per phone number and per client.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginBody, tag = "accounts",
    responses((status = 200, body = UserEnvelope), (status = 401, description = "invalid_credentials"), (status = 429, description = "too_many_attempts")))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    session: Session,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Json<UserEnvelope>> {
    let ip = linli_app::server::request::client_ip(&headers, Some(peer.ip()), state.trust_proxy);
    let me = service::authenticate(&state.db, &body.phone, &body.password, ip).await?;
    session::log_in(&session, me.id).await?;
    linli_app::cart::service::adopt_guest_cart(&state.db, &headers, me.id).await?;
    Ok(Json(envelope(me)))
}

/// Ends the session; the old cookie no longer works.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses((status = 204)))]
pub async fn logout(session: Session) -> ApiResult<StatusCode> {
    session::log_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in person with roles and wallet balance.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), (status = 401, description = "unauthenticated")))]
pub async fn me(State(state): State<AppState>, session: Session) -> ApiResult<Json<Me>> {
    session::user_of(&state.db, &session).await?.map(Json).ok_or(ApiError(AppError::unauthenticated()))
}
