//! The cart's pieces on other pages: the quantity stepper on product cards and the sticky bar.
use super::api::{CartAdd, CartSet};
use super::model::CartSummary;
use crate::shared::i18n::items_count;
use crate::shared::{AppError, Msg};
use crate::ui::form::form_error;
use crate::ui::{use_locale, Price};
use leptos::prelude::*;

/// The cart actions, created once by `<App/>`: every page that shows quantities reloads
/// when one completes.
#[derive(Clone, Copy)]
pub struct CartActions {
    pub add: ServerAction<CartAdd>,
    pub set: ServerAction<CartSet>,
}

impl CartActions {
    pub fn new() -> Self {
        CartActions { add: ServerAction::new(), set: ServerAction::new() }
    }

    /// Changes whenever the cart may have changed.
    pub fn epoch(&self) -> usize {
        self.add.version().get() + self.set.version().get()
    }

    /// The latest cart error: from the action (JavaScript on) or the bounced-back query.
    pub fn error(&self) -> Signal<Option<AppError>> {
        let (add, set) = (self.add, self.set);
        form_error(move || {
            // Whichever ran last speaks; a success clears the message.
            let a = add.value().get();
            let s = set.value().get();
            if add.version().get() >= set.version().get() { a.or(s) } else { s.or(a) }
        })
    }
}

impl Default for CartActions {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_cart_actions() -> CartActions {
    expect_context::<CartActions>()
}

/// A round + that becomes − n + once the product is in the cart. Plain forms underneath, so it
/// works before the WASM arrives.
#[component]
pub fn QtyStepper(product_id: i64, qty: i64, available: i64) -> impl IntoView {
    let locale = use_locale();
    let actions = use_cart_actions();
    let busy = move || actions.add.pending().get() || actions.set.pending().get();
    let can_add = qty < available.min(crate::orders::rules::MAX_QTY);
    view! {
        <div class="stepper" data-qty=qty>
            {(qty > 0).then(|| view! {
                <ActionForm action=actions.set attr:class="stepper-form">
                    <input type="hidden" name="product_id" value=product_id/>
                    <input type="hidden" name="qty" value=qty - 1/>
                    <button type="submit" class="step step-minus" aria-label=locale.t(Msg::Fewer) disabled=busy>"−"</button>
                </ActionForm>
                <span class="step-qty" aria-live="polite">{qty}</span>
            })}
            <ActionForm action=actions.add attr:class="stepper-form">
                <input type="hidden" name="product_id" value=product_id/>
                <button type="submit" class="step step-plus" aria-label=locale.t(if qty > 0 { Msg::More } else { Msg::AddToCart })
                    disabled=move || busy() || !can_add>"+"</button>
            </ActionForm>
        </div>
    }
}

/// The cart's error (e.g. 库存不够了) wherever steppers are.
#[component]
pub fn CartError() -> impl IntoView {
    let locale = use_locale();
    let error = use_cart_actions().error();
    move || error.get().map(|e| view! { <p class="notice notice-error cart-error" role="alert">{e.message(locale)}</p> })
}

/// Sticky above the tab bar once the cart has something: count, total, 去结算.
#[component]
pub fn CartBar(summary: CartSummary) -> impl IntoView {
    let locale = use_locale();
    (summary.count > 0).then(|| {
        view! {
            <div class="cart-bar" role="region" aria-label=locale.t(Msg::Cart)>
                <a href="/cart" class="cart-bar-sum">
                    <span class="cart-badge">{summary.count}</span>
                    <span class="cart-bar-text">{items_count(locale, summary.count)}</span>
                    <Price fen=summary.goods_fen/>
                </a>
                <a href="/cart" class="btn btn-cta">{locale.t(Msg::GoCheckout)}</a>
            </div>
        }
    })
}
