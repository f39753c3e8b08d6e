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
    let client = request::client_ip_of(&request::parts()?, state.trust_proxy);
    match super::service::authenticate(&state.db, &phone, &password, client).await {
        Ok(me) => {
            session::log_in(&session::session()?, me.id).await?;
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

#[server(prefix = "/api", endpoint = "register")]
pub async fn register(phone: String, password: String, name: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::{form, request, session, state::app_state};
    let state = app_state()?;
    match super::service::register(&state.db, &phone, &password, &name).await {
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
