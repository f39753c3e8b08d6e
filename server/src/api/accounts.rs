//! `/api/v1/auth/*` and `/api/v1/me`.
use super::who::{ClientIp, SignedIn};
use super::error::{ApiJson, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use linli_app::accounts::model::CustomerNote;
use linli_app::accounts::{service, Me};
use linli_app::server::{session, AppState};
use serde::{Deserialize, Serialize};
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetBody {
    pub phone: String,
    /// The 8-digit code the store's counter gave (`POST /api/v1/staff/customers/{id}/password-reset`).
    pub code: String,
    /// The new password.
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
    ClientIp(ip): ClientIp,
    session: Session,
    ApiJson(body): ApiJson<RegisterBody>,
) -> ApiResult<(StatusCode, Json<UserEnvelope>)> {
    let me = service::register(&state.db, &body.phone, &body.password, &body.name, ip).await?;
    session::log_in(&session, me.id).await?;
    Ok((StatusCode::CREATED, Json(envelope(me))))
}

/// Signs in; throttled per phone number and per client.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginBody, tag = "accounts",
    responses((status = 200, body = UserEnvelope), (status = 401, description = "invalid_credentials"), (status = 429, description = "too_many_attempts")))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    session: Session,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<([(axum::http::HeaderName, String); 1], Json<UserEnvelope>)> {
    let from = service::LoginFrom { ip, device: linli_app::server::request::cookie(&headers, service::DEVICE_COOKIE) };
    let service::LoggedIn { me, device_token } = service::authenticate(&state.db, &body.phone, &body.password, from).await?;
    session::log_in(&session, me.id).await?;
    linli_app::cart::service::adopt_guest_cart(&state.db, &headers, me.id).await?;
    let cookie = service::device_cookie(&device_token, state.secure_cookies);
    Ok(([(axum::http::header::SET_COOKIE, cookie)], Json(envelope(me))))
}

/// Ends the session; the old cookie no longer works.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses((status = 204)))]
pub async fn logout(session: Session) -> ApiResult<StatusCode> {
    session::log_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in person with roles and wallet balance.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), (status = 401, description = "unauthenticated")))]
pub async fn me(SignedIn(me): SignedIn) -> ApiResult<Json<Me>> {
    Ok(Json(me))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// 1–40 characters: 过敏: 坚果, 香蕉要软一点, 无糖.
    pub text: String,
}

/// The resident's notes for the store, and those the staff keep about them; both show
/// while picking and at the desk.
#[utoipa::path(get, path = "/api/v1/me/notes", tag = "accounts", responses((status = 200, body = [CustomerNote]), (status = 401)))]
pub async fn notes(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<Json<Vec<CustomerNote>>> {
    Ok(Json(service::notes(&state.db, me.id).await?))
}

#[utoipa::path(post, path = "/api/v1/me/notes", request_body = NoteBody, tag = "accounts",
    responses((status = 201, body = CustomerNote), (status = 401), (status = 422, description = "invalid_note or too_many_notes")))]
pub async fn add_note(State(state): State<AppState>, SignedIn(me): SignedIn, ApiJson(body): ApiJson<NoteBody>) -> ApiResult<(StatusCode, Json<CustomerNote>)> {
    Ok((StatusCode::CREATED, Json(service::add_note(&state.db, me.id, "resident", &body.text, me.id, None).await?)))
}

#[utoipa::path(delete, path = "/api/v1/me/notes/{id}", params(("id" = i64, Path)), tag = "accounts",
    responses((status = 204), (status = 401), (status = 404)))]
pub async fn remove_note(State(state): State<AppState>, SignedIn(me): SignedIn, super::error::ApiPath(id): super::error::ApiPath<i64>) -> ApiResult<StatusCode> {
    service::remove_own_note(&state.db, me.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffNoteBody {
    pub store_id: i64,
    pub text: String,
}

/// Staff keep a note about a resident who orders at their store (常买小份, 要发票…).
#[utoipa::path(post, path = "/api/v1/staff/customers/{user_id}/notes", params(("user_id" = i64, Path)), request_body = StaffNoteBody, tag = "staff",
    responses((status = 201, body = CustomerNote), (status = 401), (status = 403), (status = 404, description = "not a customer of this store"), (status = 422)))]
pub async fn add_staff_note(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    super::error::ApiPath(user_id): super::error::ApiPath<i64>,
    ApiJson(body): ApiJson<StaffNoteBody>,
) -> ApiResult<(StatusCode, Json<CustomerNote>)> {
    let note = linli_app::orders::flow::add_staff_note(&state.db, &me, user_id, body.store_id, &body.text).await?;
    Ok((StatusCode::CREATED, Json(note)))
}


/// 忘记密码: sets a new password with the one-time code from the store's counter and signs in;
/// every other session of the account ends. A wrong, used or expired code (or an unknown
/// number) is 422 `reset_code_invalid`; a code dies after five wrong tries.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", request_body = PasswordResetBody, tag = "accounts",
    responses((status = 200, body = UserEnvelope), (status = 422, description = "reset_code_invalid or an invalid field"), (status = 429, description = "too_many_attempts")))]
pub async fn reset_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: Session,
    ApiJson(body): ApiJson<PasswordResetBody>,
) -> ApiResult<Json<UserEnvelope>> {
    let me = service::reset_password(&state.db, &body.phone, &body.code, &body.password, ip).await?;
    session::log_in(&session, me.id).await?;
    Ok(Json(envelope(me)))
}
