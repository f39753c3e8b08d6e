//! Order server functions for the pages; the JSON API calls the same service.
// A server function's arguments are its form's fields: checkout has ten.
#![allow(clippy::too_many_arguments)]
use super::model::{CheckoutView, OrderPage, OrderSummary};
use crate::shared::AppError;
use leptos::prelude::*;

/// The checkout page's data: the cart at the current store, the pickup windows and delivery
/// choices open now, the wallet, and a fresh idempotency key.
#[server(prefix = "/api", endpoint = "checkout")]
pub async fn load_checkout() -> Result<CheckoutView, AppError> {
    use super::model::{DeliveryPoint, PickupChoice};
    use super::rules;
    use crate::shared::time::{iso_date, local_time, now_ms};
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let store = crate::stores::api::current_store(None).await?.ok_or_else(AppError::not_found)?;
    let cart = crate::cart::service::load(&state.db, &crate::cart::service::user_key(me.id), &store).await?;
    let now = local_time(now_ms());
    let pickup_choices = rules::pickup_days(&store, now)
        .into_iter()
        .flat_map(|day| {
            let date = iso_date(day);
            rules::pickup_windows(&store, now, day).into_iter().map(move |w| {
                let window = rules::window_text(w);
                PickupChoice { value: format!("{date}|{window}"), date: date.clone(), days_ahead: day - now.day, window }
            })
        })
        .collect();
    let delivery_slots =
        rules::delivery_slots(&store, now).into_iter().map(|s| s.map_or_else(|| "asap".to_string(), rules::window_text)).collect();
    let communities = crate::stores::communities(&state.db.pool).await?;
    let delivery_points = crate::stores::rules::delivery_points(&store, &communities)
        .into_iter()
        .take(30)
        .map(|(c, d, fee)| DeliveryPoint { community_id: c.id, name: c.name.clone(), district: c.district.clone(), distance_m: d, fee_fen: fee })
        .collect();
    Ok(CheckoutView {
        cart_sig: cart.signature(),
        pickup_quote: rules::quote_pickup(&store, cart.goods_fen),
        store,
        cart,
        pickup_choices,
        delivery_slots,
        delivery_points,
        wallet_fen: me.wallet_fen,
        key: crate::cart::service::new_guest_token()?,
    })
}

/// Places the order from the resident's cart. Field names are the checkout form's.
#[server(prefix = "/api", endpoint = "submit_order")]
pub async fn submit_order(
    key: String,
    cart_sig: String,
    mode: String,
    pickup_slot: Option<String>,
    community: Option<String>,
    address_detail: Option<String>,
    lat: Option<String>,
    lng: Option<String>,
    delivery_slot: Option<String>,
    payment: String,
    note: Option<String>,
) -> Result<i64, AppError> {
    let kept = [
        ("mode", mode.as_str()),
        ("address_detail", address_detail.as_deref().unwrap_or("")),
        ("note", note.as_deref().unwrap_or("")),
        ("community", community.as_deref().unwrap_or("")),
        ("payment", payment.as_str()),
    ];
    let result =
        place_from_cart(&key, &cart_sig, &mode, pickup_slot, community.as_deref(), address_detail.clone(), lat, lng, delivery_slot, &payment, note.clone()).await;
    match result {
        Ok(id) => {
            leptos_axum::redirect(&format!("/orders/{id}"));
            Ok(id)
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &kept);
            Err(e)
        }
    }
}

#[cfg(feature = "ssr")]
async fn place_from_cart(
    key: &str,
    cart_sig: &str,
    mode: &str,
    pickup_slot: Option<String>,
    community: Option<&str>,
    address_detail: Option<String>,
    lat: Option<String>,
    lng: Option<String>,
    delivery_slot: Option<String>,
    payment: &str,
    note: Option<String>,
) -> Result<i64, AppError> {
    use super::model::{FulfillmentRequest, ItemRequest, Payment, PlaceOrder};
    use crate::shared::ErrorCode;
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let store = crate::stores::api::current_store(None).await?.ok_or_else(AppError::not_found)?;
    let payment = Payment::parse(payment).ok_or_else(|| AppError::field(ErrorCode::BadRequest, "payment"))?;
    // A resent form (a double tap without JavaScript, 后退 and 提交 again) finds the order its
    // key placed, though the cart is empty by now — unless the form now asks for something
    // else, which is a new checkout on a stale page, not a retry.
    if let Some(id) = super::service::placed_with_key(&state.db, me.id, key).await? {
        let placed = super::service::load(&state.db, id, me.id).await?.ok_or_else(AppError::not_found)?;
        let same = placed.store_id == store.id && placed.payment == payment && placed.fulfillment.is_delivery() == (mode == "delivery");
        return if same { Ok(id) } else { Err(AppError::new(ErrorCode::AlreadyPlaced)) };
    }
    let fulfillment = match mode {
        "delivery" => {
            let detail = address_detail.unwrap_or_default();
            let community = match community.filter(|c| !c.is_empty()) {
                Some(c) => {
                    let id = c.parse::<i64>().map_err(|_| AppError::field(ErrorCode::AddressRequired, "address"))?;
                    crate::stores::community(&state.db.pool, id).await?
                }
                None => None,
            };
            let (address, lat, lng) = match community {
                Some(c) => (format!("{} {}", c.name, super::rules::parse_address_detail(&detail)?), c.lat, c.lng),
                None => {
                    // "Use my location": coordinates from the browser, the address as typed.
                    let parse = |v: Option<String>| v.and_then(|v| v.trim().parse::<f64>().ok());
                    match (parse(lat), parse(lng)) {
                        (Some(lat), Some(lng)) => (detail, lat, lng),
                        _ => return Err(AppError::field(ErrorCode::AddressRequired, "address")),
                    }
                }
            };
            FulfillmentRequest::Delivery { address, lat, lng, slot: delivery_slot.unwrap_or_default() }
        }
        _ => {
            let slot = pickup_slot.unwrap_or_default();
            let (date, window) = slot.split_once('|').unwrap_or((slot.as_str(), ""));
            FulfillmentRequest::Pickup { pickup_date: date.to_string(), window: Some(window.to_string()).filter(|w| !w.is_empty()) }
        }
    };
    let cart_key = crate::cart::service::user_key(me.id);
    let cart = crate::cart::service::load(&state.db, &cart_key, &store).await?;
    // The order is what the page showed: if prices, quantities or stock moved meanwhile, the
    // resident sees the new cart before anything is charged.
    if cart.signature() != cart_sig {
        return Err(AppError::new(ErrorCode::CartChanged));
    }
    let req = PlaceOrder {
        store_id: store.id,
        items: cart.lines.iter().map(|l| ItemRequest { product_id: l.product_id, qty: l.qty }).collect(),
        fulfillment,
        payment,
        note,
    };
    let order = super::service::place(&state.db, me.id, &req, key, Some(&cart_key)).await?;
    Ok(order.id)
}

/// The resident's orders, newest first.
#[server(prefix = "/api", endpoint = "my_orders")]
pub async fn load_my_orders() -> Result<Vec<OrderSummary>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::list(&state.db, me.id).await
}

/// One of the resident's orders with its QR code; `None` when there is no such order of theirs.
#[server(prefix = "/api", endpoint = "order")]
pub async fn load_order_page(id: i64) -> Result<Option<OrderPage>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let Some(order) = super::service::load(&state.db, id, me.id).await? else { return Ok(None) };
    let qr_svg = order.pickup_code.as_deref().map(|c| crate::server::qr::svg(c, 200)).transpose()?;
    Ok(Some(OrderPage { order, qr_svg }))
}

/// Cancels an order the store has not started on; the stock and any wallet payment go back.
#[server(prefix = "/api", endpoint = "cancel_order")]
pub async fn cancel_order(id: i64) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        super::service::cancel(&state.db, id, me.id).await
    }
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) => {
            crate::server::form::bounce_back(&e, &[]);
            Err(e)
        }
    }
}

/// The bell's list, newest first; opening it marks everything read.
#[server(prefix = "/api", endpoint = "notifications")]
pub async fn load_notifications() -> Result<Vec<super::model::Notification>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let list = super::service::notifications(&state.db, me.id).await?;
    super::service::mark_notifications_read(&state.db, me.id).await?;
    Ok(list)
}

/// Unread notifications for the bell's badge (0 for a guest).
#[server(prefix = "/api", endpoint = "unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    let state = crate::server::state::app_state()?;
    match crate::server::current_user().await? {
        Some(me) => super::service::unread_notifications(&state.db, me.id).await,
        None => Ok(0),
    }
}
