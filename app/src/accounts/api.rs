//! Account server functions. Each works from an `<ActionForm>` with or without JavaScript.
use super::model::Me;
use crate::shared::AppError;
use leptos::prelude::*;

/// The signed-in person, or `None`.
#[server(prefix = "/api", endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    crate::server::current_user().await
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(phone: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::{form, request, session, state::app_state};
    let state = app_state()?;
    let parts = request::parts()?;
    let from = super::service::LoginFrom { ip: request::client_ip_of(&parts, state.trust_proxy), device: request::cookie(&parts.headers, super::service::DEVICE_COOKIE) };
    match super::service::authenticate(&state.db, &phone, &password, from).await {
        Ok(super::service::LoggedIn { me, device_token }) => {
            session::log_in(&session::session()?, me.id).await?;
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>()
                && let Ok(v) = axum::http::HeaderValue::from_str(&super::service::device_cookie(&device_token, state.secure_cookies))
            {
                res.append_header(axum::http::header::SET_COOKIE, v);
            }
            crate::cart::service::adopt_guest_cart(&state.db, &request::parts()?.headers, me.id).await?;
            leptos_axum::redirect(&form::safe_next(next.as_deref()));
            Ok(())
        }
        Err(e) => {
            form::bounce_back(&e, &[("phone", &phone), ("next", next.as_deref().unwrap_or(""))]);
            Err(e)
        }
    }
}

/// 忘记密码: the number, the code from the store's counter and a new password; signed in with
/// it at once, every other session of the account ended.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(phone: String, code: String, password: String) -> Result<(), AppError> {
    use crate::server::{form, request, session, state::app_state};
    let state = app_state()?;
    let client = request::client_ip_of(&request::parts()?, state.trust_proxy);
    match super::service::reset_password(&state.db, &phone, &code, &password, client).await {
        Ok(me) => {
            session::log_in(&session::session()?, me.id).await?;
            leptos_axum::redirect("/me?reset=1");
            Ok(())
        }
        Err(e) => {
            form::bounce_back(&e, &[("phone", &phone)]);
            Err(e)
        }
    }
}

#[server(prefix = "/api", endpoint = "register")]
pub async fn register(phone: String, password: String, name: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::{form, request, session, state::app_state};
    let state = app_state()?;
    let client = request::client_ip_of(&request::parts()?, state.trust_proxy);
    match super::service::register(&state.db, &phone, &password, &name, client).await {
        Ok(me) => {
            session::log_in(&session::session()?, me.id).await?;
            crate::cart::service::adopt_guest_cart(&state.db, &request::parts()?.headers, me.id).await?;
            leptos_axum::redirect(&form::safe_next(next.as_deref()));
            Ok(())
        }
        Err(e) => {
            form::bounce_back(&e, &[("phone", &phone), ("name", &name), ("next", next.as_deref().unwrap_or(""))]);
            Err(e)
        }
    }
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::server::session::log_out(&crate::server::session::session()?).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The resident's notes for the store (过敏: 坚果…) and the staff's about them.
#[server(prefix = "/api", endpoint = "my_notes")]
pub async fn load_my_notes() -> Result<Vec<super::model::CustomerNote>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::notes(&state.db, me.id).await
}

#[server(prefix = "/api", endpoint = "add_my_note")]
pub async fn add_my_note(text: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        super::service::add_note(&state.db, me.id, "resident", &text, me.id, None).await.map(|_| ())
    }
    .await;
    if let Err(e) = &result {
        crate::server::form::bounce_back(e, &[("text", &text)]);
    }
    result
}

#[server(prefix = "/api", endpoint = "remove_my_note")]
pub async fn remove_my_note(id: i64) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::remove_own_note(&state.db, me.id, id).await
}
