//! Cart server functions. They work from `<ActionForm>`s with or without JavaScript.
use super::model::Cart;
#[cfg(feature = "ssr")]
use super::model::CartSummary;
use crate::shared::AppError;
use leptos::prelude::*;

/// The cart key of whoever is asking: their account's, else this browser's guest cart
/// (created on first use when `changing` is set). Every change renews the guest cookie, so a
/// cart in use does not expire a week after it was started.
#[cfg(feature = "ssr")]
pub async fn cart_key(changing: bool) -> Result<Option<String>, AppError> {
    use super::service::{guest_key, guest_token_of, new_guest_token, user_key};
    if let Some(me) = crate::server::current_user().await? {
        return Ok(Some(user_key(me.id)));
    }
    let parts = crate::server::request::parts()?;
    let token = match guest_token_of(&parts.headers) {
        Some(token) => token,
        None if changing => new_guest_token()?,
        None => return Ok(None),
    };
    if changing {
        set_guest_cookie(&token)?;
    }
    Ok(Some(guest_key(&token)))
}

#[cfg(feature = "ssr")]
fn set_guest_cookie(token: &str) -> Result<(), AppError> {
    use super::service::GUEST_COOKIE;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let secure = if crate::server::state::app_state()?.secure_cookies { "; Secure" } else { "" };
        let cookie = format!("{GUEST_COOKIE}={token}; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax{secure}");
        if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
            res.append_header(axum::http::header::SET_COOKIE, v);
        }
    }
    Ok(())
}

/// The cart at the resident's current store (empty when there is none yet).
#[server(prefix = "/api", endpoint = "cart")]
pub async fn load_cart() -> Result<Option<Cart>, AppError> {
    let state = crate::server::state::app_state()?;
    let Some(store) = crate::stores::api::current_store(None).await? else { return Ok(None) };
    match cart_key(false).await? {
        Some(key) => super::service::load(&state.db, &key, &store).await.map(Some),
        None => Ok(Some(Cart { store_id: store.id, store_name: store.name, ..Cart::default() })),
    }
}

/// The summary the sticky bar and the product cards show.
#[cfg(feature = "ssr")]
pub async fn summary_at(store: &crate::stores::Store) -> Result<CartSummary, AppError> {
    let state = crate::server::state::app_state()?;
    match cart_key(false).await? {
        Some(key) => Ok(CartSummary::from(&super::service::load(&state.db, &key, store).await?)),
        None => Ok(CartSummary::default()),
    }
}

/// Where a cart change applies: the database, the cart, the resident's current store.
#[cfg(feature = "ssr")]
async fn target() -> Result<(crate::server::Db, String, crate::stores::Store), AppError> {
    let state = crate::server::state::app_state()?;
    let store = crate::stores::api::current_store(None).await?.ok_or_else(AppError::not_found)?;
    let key = cart_key(true).await?.ok_or_else(|| AppError::internal("no cart key"))?;
    Ok((state.db, key, store))
}

/// A plain form post goes back to its page: on failure with the error and the product, on
/// success to the product's card (`#p-{id}`), where the resident was.
#[cfg(feature = "ssr")]
fn bounce(result: &Result<(), AppError>, product_id: i64) {
    match result {
        Err(e) => crate::server::form::bounce_back(e, &[("product", &product_id.to_string())]),
        Ok(()) => crate::server::form::back_to_anchor(&format!("p-{product_id}")),
    }
}

/// One more of a product (the card's + button).
#[server(prefix = "/api", endpoint = "cart_add")]
pub async fn cart_add(product_id: i64) -> Result<(), AppError> {
    let result = async {
        let (db, key, store) = target().await?;
        super::service::add(&db, &key, &store, product_id, 1).await
    }
    .await;
    bounce(&result, product_id);
    result
}

/// A line's new quantity (the stepper's −, or 0 to remove).
#[server(prefix = "/api", endpoint = "cart_set")]
pub async fn cart_set(product_id: i64, qty: i64) -> Result<(), AppError> {
    let result = async {
        let (db, key, store) = target().await?;
        super::service::set(&db, &key, &store, product_id, qty).await
    }
    .await;
    bounce(&result, product_id);
    result
}
