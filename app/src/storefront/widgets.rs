//! Components the storefront's pages share.
use crate::catalog::rules::{stock_hint, StockHint};
use crate::catalog::Product;
use crate::shared::i18n::only_left;
use crate::shared::Msg;
use crate::cart::QtyStepper;
use crate::ui::{use_locale, Price};
use leptos::prelude::*;

/// A product card: square photo, name (two lines at most), spec, price, tags, stock hint.
#[component]
pub fn ProductCard(
    product: Product,
    /// Units of it in the cart.
    qty: i64,
    /// Among the first cards on screen: its photo is fetched at once and ahead of the page's
    /// code (the biggest thing a phone paints first; lazily loaded it waited behind the WASM).
    #[prop(optional)]
    first: bool,
    /// Carries `id="p-{id}"`, where a plain form post's + comes back to (one card per product
    /// on a page has it: the grid's, not the strips' above it).
    #[prop(optional)]
    anchored: bool,
) -> impl IntoView {
    let locale = use_locale();
    let hint = stock_hint(product.available);
    let sold_out = hint == StockHint::SoldOut;
    let hint_text = match hint {
        StockHint::SoldOut => Some(locale.t(Msg::SoldOut).to_string()),
        StockHint::OnlyLeft(n) => Some(only_left(locale, n)),
        StockHint::Plenty => None,
    };
    let tags = product.tags.clone();
    let markdown = product.markdown_percent_off;
    let markdown_tag = markdown_tag(&product);
    view! {
        <li class="product-card" class:sold-out=sold_out data-product-id=product.id id=anchored.then(|| format!("p-{}", product.id))>
            <a class="product-link" href=format!("/p/{}", product.id)>
            <div class="product-photo">
                {product.image_url.clone().map(|src| view! {
                    <img src=src alt=product.name.clone() width="160" height="160"
                        loading=if first { "eager" } else { "lazy" } fetchpriority=first.then_some("high") decoding="async"/>
                })}
                {(!tags.is_empty() || markdown.is_some()).then(|| view! {
                    <span class="tag-row">
                        {markdown_tag}
                        {tags.into_iter().take(if markdown.is_some() { 1 } else { 2 }).map(|t| view! { <span class="tag">{t}</span> }).collect_view()}
                    </span>
                })}
                {sold_out.then(|| view! { <span class="sold-out-mark">{locale.t(Msg::SoldOut)}</span> })}
            </div>
            <div class="product-body">
                <h3 class="product-name">{product.name.clone()}</h3>
                <p class="product-spec">{product.unit.clone()} " · " {product.origin.clone()}</p>
                {hint_text.map(|t| view! { <span class="stock-hint" class:out=sold_out>{t}</span> })}
            </div>
            </a>
            <div class="product-foot">
                <Price fen=product.price_fen was_fen=product.regular_price_fen/>
                {(!sold_out || qty > 0).then(|| view! { <QtyStepper product_id=product.id qty=qty available=product.available/> })}
            </div>
        </li>
    }
}

/// 下午菜价 8折: the corner tag of a product selling at a markdown now, named as the manager
/// named the rule.
pub fn markdown_tag(product: &crate::catalog::model::Product) -> Option<impl IntoView + use<>> {
    let locale = use_locale();
    let name = product.markdown_name.clone().unwrap_or_else(|| locale.pick("特惠", "Deal").to_string());
    product.markdown_percent_off.map(|off| view! { <span class="tag tag-markdown">{name} " " {crate::markdowns::rules::zhe(off)}</span> })
}
