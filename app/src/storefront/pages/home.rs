//! 首页: the resident's store and its shelf.
use crate::storefront::api::load_shelf;
use crate::catalog::model::{Category, Product};
use crate::cart::widgets::{CartBar, CartError};
use crate::storefront::widgets::ProductCard;
use crate::shared::{Locale, Msg};
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let category = move || query.read().get("category").filter(|c| !c.is_empty());
    let q = move || query.read().get("q").filter(|c| !c.is_empty());
    let cart = crate::cart::widgets::use_cart_actions();
    let data = Resource::new(move || (category(), q(), cart.epoch()), |(c, q, _)| load_shelf(c, q));

    view! {
        <Title text=locale.t(Msg::TabHome)/>
        <CartError/>
        // Transition: after a tap on + the shelf refreshes in place instead of flashing a skeleton.
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || {
                // Read the query before awaiting: if the reader goes away mid-render, the
                // page's reactive owner is gone by the time the data arrives.
                let (category, q) = (category(), q());
                Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <p class="empty">{locale.t(Msg::NoStores)}</p> }.into_any(),
                    Ok(Some(shelf)) => {
                        let filtered = category.is_some() || q.is_some();
                        let today: Vec<Product> = if filtered {
                            Vec::new()
                        } else {
                            shelf.products.iter().filter(|p| p.tags.iter().any(|t| t == "今日到货") && p.available > 0).take(6).cloned().collect()
                        };
                        let bundles: Vec<Product> = if filtered {
                            Vec::new()
                        } else {
                            shelf.products.iter().filter(|p| p.category == "bundles").cloned().collect()
                        };
                        let empty_msg = if q.is_some() { Msg::NoSearchResults } else { Msg::NoProducts };
                        let section_title = match (q.clone(), category.clone().and_then(|c| shelf.categories.iter().find(|k| k.slug == c).cloned())) {
                            (Some(q), _) => crate::shared::i18n::search_results_for(locale, &q),
                            (None, Some(c)) => if locale == Locale::Zh { c.name_zh } else { c.name_en },
                            (None, None) => locale.t(Msg::AllProducts).to_string(),
                        };
                        let summary = shelf.cart.clone();
                        let qty = move |id: i64| summary.qty_of(id);
                        let hidden_category = category.clone().map(|c| view! { <input type="hidden" name="category" value=c/> });
                        // The first row on a phone: today's arrivals, else the bundles, else the grid.
                        const FIRST_ON_SCREEN: usize = 2;
                        let bundles_first = today.is_empty();
                        let grid_first = today.is_empty() && bundles.is_empty();
                        view! {
                            <header class="store-bar">
                                <div class="store-bar-text">
                                    <h1 class="store-name">{shelf.store.name.clone()}</h1>
                                    <p class="store-meta">
                                        {shelf.store.address.clone()} " · " {locale.t(Msg::OpeningHours)} " "
                                        {shelf.store.opens_at.clone()} "–" {shelf.store.closes_at.clone()}
                                    </p>
                                </div>
                                <A href="/stores" attr:class="store-switch">{locale.t(Msg::ChangeStore)}</A>
                            </header>
                            <Form method="GET" action="/" attr:class="search-form" attr:role="search">
                                <input type="search" name="q" value=q.clone().unwrap_or_default()
                                    placeholder=locale.t(Msg::SearchPlaceholder) aria-label=locale.t(Msg::Search) maxlength="20"/>
                                {hidden_category}
                                <button type="submit" class="btn btn-search">{locale.t(Msg::Search)}</button>
                            </Form>
                            <CategoryChips categories=shelf.categories.clone() current=category.clone() locale=locale/>
                            <a class="card group-entry" href=format!("/community?store={}", shelf.store.id)>
                                <span><strong>{locale.pick("邻里群", "Neighbours' group")}</strong>" "
                                    <span class="muted">{locale.pick("店里公告、今日鲜货、邻居晒单和投票", "the store's notices, today's arrivals, neighbours' posts and polls")}</span></span>
                                <span aria-hidden="true">"›"</span>
                            </a>
                            {(!today.is_empty()).then(|| view! {
                                <section class="shelf-section">
                                    <h2 class="section-title">{locale.t(Msg::ArrivedToday)}</h2>
                                    <ul class="product-strip">
                                        {today.into_iter().enumerate().map(|(i, p)| view! { <ProductCard qty=qty(p.id) first={i < FIRST_ON_SCREEN} product=p/> }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {(!bundles.is_empty()).then(|| view! {
                                <section class="shelf-section">
                                    <h2 class="section-title">{locale.t(Msg::Bundles)}</h2>
                                    <ul class="product-strip">
                                        {bundles.into_iter().enumerate().map(|(i, p)| view! { <ProductCard qty=qty(p.id) first={bundles_first && i < FIRST_ON_SCREEN} product=p/> }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <h2 class="section-title">{section_title}</h2>
                            {if shelf.products.is_empty() {
                                view! { <p class="empty">{locale.t(empty_msg)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="product-grid">
                                        {shelf.products.into_iter().enumerate().map(|(i, p)| view! { <ProductCard qty=qty(p.id) first={grid_first && i < FIRST_ON_SCREEN} anchored=true product=p/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <CartBar summary=shelf.cart/>
                        }.into_any()
                    }
                }
            })}}
        </Transition>
    }
}

#[component]
fn CategoryChips(categories: Vec<Category>, current: Option<String>, locale: Locale) -> impl IntoView {
    let all_current = current.is_none();
    view! {
        <nav class="category-chips" aria-label=locale.t(Msg::Category)>
            <a href="/" class="chip" class:chip-on=all_current aria-current=all_current.then_some("page")>{locale.t(Msg::AllCategories)}</a>
            {categories.into_iter().map(|c| {
                let here = current.as_deref() == Some(c.slug.as_str());
                let name = if locale == Locale::Zh { c.name_zh.clone() } else { c.name_en.clone() };
                view! {
                    <a href=format!("/?category={}", c.slug) class="chip" class:chip-on=here aria-current=here.then_some("page")>{name}</a>
                }
            }).collect_view()}
        </nav>
    }
}
