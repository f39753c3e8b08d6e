//! 购物车: the lines at the current store, what changed since adding, and the way to checkout.
use crate::cart::api::load_cart;
use crate::cart::model::{CartLine, LineNotice};
use crate::cart::widgets::{use_cart_actions, CartError, QtyStepper};
use crate::shared::i18n::{items_count, only_left, price_changed};
use crate::shared::{Fen, Msg};
use crate::ui::{use_locale, ErrorNotice, Price, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CartPage() -> impl IntoView {
    let locale = use_locale();
    let actions = use_cart_actions();
    let cart = Resource::new(move || actions.epoch(), |_| load_cart());
    let me = expect_context::<crate::accounts::pages::MeResource>();

    view! {
        <Title text=locale.t(Msg::Cart)/>
        <h1 class="page-title">{locale.t(Msg::Cart)}</h1>
        <CartError/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                let signed_in = matches!(me.await, Ok(Some(_)));
                match cart.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <p class="empty">{locale.t(Msg::NoStores)}</p> }.into_any(),
                    Ok(Some(c)) if c.lines.is_empty() => view! {
                        <section class="empty-state">
                            <p>{locale.t(Msg::CartIsEmpty)}</p>
                            <a href="/" class="btn btn-primary">{locale.t(Msg::GoShopping)}</a>
                        </section>
                    }.into_any(),
                    Ok(Some(c)) => {
                        let ready = c.ready();
                        let checkout_href = if signed_in { "/checkout" } else { "/login?next=/checkout" };
                        view! {
                            <p class="store-meta">{c.store_name.clone()}</p>
                            <ul class="cart-lines card">
                                {c.lines.into_iter().map(|l| view! { <CartLineRow line=l/> }).collect_view()}
                            </ul>
                            <div class="checkout-bar">
                                <div class="checkout-sum">
                                    <span>{items_count(locale, c.count)}</span>
                                    " " <Price fen=c.goods_fen/>
                                </div>
                                {if ready {
                                    view! { <a href=checkout_href class="btn btn-cta">{locale.t(Msg::GoCheckout)}</a> }.into_any()
                                } else {
                                    view! { <span class="btn btn-cta" aria-disabled="true">{locale.t(Msg::GoCheckout)}</span> }.into_any()
                                }}
                            </div>
                            {(!signed_in).then(|| view! { <p class="hint">{locale.t(Msg::LoginToCheckout)}</p> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn CartLineRow(line: CartLine) -> impl IntoView {
    let locale = use_locale();
    let actions = use_cart_actions();
    let notices: Vec<String> = line
        .notices
        .iter()
        .map(|n| match n {
            LineNotice::PriceUp { was } => price_changed(locale, true, &Fen(*was).to_string()),
            LineNotice::PriceDown { was } => price_changed(locale, false, &Fen(*was).to_string()),
            LineNotice::OnlyLeft(k) => only_left(locale, *k),
            LineNotice::SoldOut => locale.t(Msg::SoldOut).to_string(),
            LineNotice::Gone => locale.t(Msg::Gone).to_string(),
        })
        .collect();
    let blocked = !line.orderable();
    view! {
        <li class="cart-line" class:blocked=blocked data-product-id=line.product_id>
            // The photo repeats the name's link: one stop for the keyboard and screen readers.
            <a href=format!("/p/{}", line.product_id) class="cart-line-photo" tabindex="-1" aria-hidden="true">
                {line.image_url.clone().map(|src| view! { <img src=src alt="" width="64" height="64" loading="lazy"/> })}
            </a>
            <div class="cart-line-body">
                <a href=format!("/p/{}", line.product_id) class="cart-line-name">{line.name.clone()}</a>
                <p class="product-spec">{line.unit.clone()}</p>
                {notices.into_iter().map(|t| view! { <p class="line-notice">{t}</p> }).collect_view()}
                <div class="cart-line-foot">
                    <Price fen=line.price_fen/>
                    {if line.notices.contains(&LineNotice::Gone) {
                        view! {
                            <ActionForm action=actions.set attr:class="stepper-form">
                                <input type="hidden" name="product_id" value=line.product_id/>
                                <input type="hidden" name="qty" value="0"/>
                                <button type="submit" class="btn btn-small">{locale.t(Msg::Remove)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <QtyStepper product_id=line.product_id qty=line.qty available=line.available/> }.into_any()
                    }}
                </div>
            </div>
        </li>
    }
}
