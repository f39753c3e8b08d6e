//! 商品详情: photo, price, availability at the resident's store, the traceability card,
//! and share-preview meta rendered on the server (the page renders async for that).
use crate::storefront::api::load_product_page;
use crate::catalog::rules::{stock_hint, StockHint};
use crate::cart::widgets::{CartBar, CartError, QtyStepper};
use crate::shared::i18n::{days, only_left};
use crate::shared::{Fen, Msg};
use crate::ui::{use_locale, ErrorNotice, NotFoundNotice, Price, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let cart = crate::cart::widgets::use_cart_actions();
    let data = Resource::new(move || (id(), cart.epoch()), |(id, _)| async move {
        match id {
            Some(id) => load_product_page(id).await,
            None => Ok(None),
        }
    });
    view! {
        <CartError/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <NotFoundNotice body=Msg::ProductNotFound/> }.into_any(),
                    Ok(Some(page)) => {
                        let d = page.detail;
                        let p = d.product;
                        let share_desc = format!("{} · {} · {}", Fen(p.price_fen), p.unit, p.origin);
                        let availability = match stock_hint(p.available) {
                            StockHint::SoldOut => locale.t(Msg::SoldOut).to_string(),
                            StockHint::OnlyLeft(n) => only_left(locale, n),
                            StockHint::Plenty => locale.t(Msg::InStock).to_string(),
                        };
                        let sold_out = p.available <= 0;
                        let plenty = stock_hint(p.available) == StockHint::Plenty;
                        let not_recorded = locale.t(Msg::NotRecorded).to_string();
                        let in_cart = page.cart.qty_of(p.id);
                        view! {
                            <Title text=p.name.clone()/>
                            <Meta name="description" content=share_desc.clone()/>
                            <Meta property="og:type" content="product"/>
                            <Meta property="og:title" content=format!("{} | {}", p.name, page.store_name)/>
                            <Meta property="og:description" content=share_desc/>
                            <Meta property="og:url" content=page.share_url.clone()/>
                            {page.share_image_url.clone().map(|u| view! { <Meta property="og:image" content=u/> })}
                            <article class="product-page" class:sold-out=sold_out>
                                <div class="product-hero">
                                    {if d.photos.is_empty() {
                                        p.image_url.clone().map(|src| view! { <img src=src alt=p.name.clone() width="400" height="400" fetchpriority="high"/> }).into_any()
                                    } else {
                                        // Real photos: swipe through them (scroll snap, no script needed).
                                        let n = d.photos.len();
                                        view! {
                                            <div class="product-gallery" role="region" aria-label=locale.pick("商品照片", "Product photos")>
                                                {d.photos.iter().enumerate().map(|(i, src)| view! {
                                                    <img src=src.clone() alt=format!("{} {}/{n}", p.name, i + 1) loading=if i == 0 { "eager" } else { "lazy" } fetchpriority=(i == 0).then_some("high")/>
                                                }).collect_view()}
                                            </div>
                                            {(n > 1).then(|| view! { <span class="gallery-count">{format!("{n}{}", locale.pick("张", " photos"))}</span> })}
                                        }.into_any()
                                    }}
                                    {sold_out.then(|| view! { <span class="sold-out-mark">{locale.t(Msg::SoldOut)}</span> })}
                                </div>
                                <section class="card product-summary">
                                    <div class="tag-line">{crate::storefront::widgets::markdown_tag(&p)}{p.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</div>
                                    <h1 class="product-title">{p.name.clone()}</h1>
                                    <p class="product-spec">{p.unit.clone()}</p>
                                    <div class="product-foot">
                                        <Price fen=p.price_fen was_fen=p.regular_price_fen/>
                                        {(!sold_out || in_cart > 0).then(|| view! { <QtyStepper product_id=p.id qty=in_cart available=p.available/> })}
                                    </div>
                                    <p class="stock-hint" class:out=sold_out class:ok=plenty>
                                        {page.store_name.clone()} " · " {locale.t(Msg::Availability)} {locale.pick("：", ": ")} {availability}
                                    </p>
                                </section>
                                <section class="card trace-card">
                                    <h2 class="section-title">{locale.t(Msg::Traceability)}</h2>
                                    <dl class="facts">
                                        <div><dt>{locale.t(Msg::Origin)}</dt><dd>{p.origin.clone()}</dd></div>
                                        <div><dt>{locale.t(Msg::Producer)}</dt><dd>{if d.producer.is_empty() { not_recorded.clone() } else { d.producer.clone() }}</dd></div>
                                        <div><dt>{locale.t(Msg::HarvestDate)}</dt><dd>{d.harvest_date.clone().unwrap_or_else(|| not_recorded.clone())}</dd></div>
                                        <div><dt>{locale.t(Msg::ShelfLife)}</dt><dd>{d.shelf_life_days.map(|n| days(locale, n)).unwrap_or(not_recorded)}</dd></div>
                                    </dl>
                                </section>
                                {(!d.components.is_empty()).then(|| view! {
                                    <section class="card bundle-card">
                                        <h2 class="section-title">{locale.t(Msg::BundleContents)}</h2>
                                        <ul class="summary-items">
                                            {d.components.iter().map(|c| view! {
                                                <li><a href=format!("/p/{}", c.product_id)>{c.name.clone()}</a><span>{c.unit.clone()} " × " {c.qty}</span></li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                {(!d.description.is_empty()).then(|| view! {
                                    <section class="card"><h2 class="section-title">{locale.t(Msg::Description)}</h2><p>{d.description.clone()}</p></section>
                                })}
                                {(!page.reviews.is_empty()).then(|| view! { <Reviews reviews=page.reviews.clone() now_ms=page.now_ms/> })}
                            </article>
                            <CartBar summary=page.cart/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// 邻居晒单: what neighbours said of it in the store's group, each marked 已购 (checked against
/// their orders when posted), with their photos.
#[component]
fn Reviews(reviews: Vec<crate::community::model::Post>, now_ms: i64) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card reviews" id="reviews">
            <h2 class="section-title">{locale.pick("邻居晒单", "Neighbours who bought it")}</h2>
            <ul class="comment-list">
                {reviews.into_iter().map(|r| view! {
                    <li class="comment">
                        <p class="comment-head">
                            <span class="post-author">{r.author.clone()}</span>
                            <span class="tag tag-bought">{locale.pick("已购", "Bought here")}</span>
                            <time class="muted" datetime=r.created_at.clone()>{crate::community::rules::ago_text(locale, r.created_at_ms, now_ms)}</time>
                        </p>
                        <p class="comment-body">{r.body.clone()}</p>
                        {(!r.photos.is_empty()).then(|| view! {
                            <div class="post-photos" data-count=r.photos.len().min(3)>
                                {r.photos.iter().take(3).map(|p| view! {
                                    <a href=p.large_url.clone() class="post-photo"><img src=p.card_url.clone() alt=locale.pick("邻居拍的照片", "A neighbour's photo") loading="lazy" decoding="async" width="240" height="240"/></a>
                                }).collect_view()}
                            </div>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            <a class="btn btn-secondary btn-small" href="/community">{locale.pick("去邻里群看看", "See the group")}</a>
        </section>
    }
}
