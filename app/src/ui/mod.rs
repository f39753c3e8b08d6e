//! The design system: knows no domain, only shared/.
pub mod form;
#[cfg(feature = "hydrate")]
pub mod geo;
pub mod layout;
#[cfg(feature = "hydrate")]
pub mod live;
pub mod office;
pub mod scan;

pub use form::{FieldError, FormError};
pub use layout::{BackOfficeShell, ResidentShell};
pub use office::OfficePage;
pub use scan::ScanOverlay;

use crate::shared::{AppError, Fen, Locale};
use leptos::prelude::*;

/// The reader's language, provided by `<App/>`.
/// A clock for countdowns: the server's time at render, then the browser's elapsed time added
/// each second — so a phone with a wrong clock still counts down right. Stops with the view.
pub fn ticking_clock(now_ms: i64) -> ReadSignal<i64> {
    let (now, set_now) = signal(now_ms);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(move || set_now.update(|n| *n += 1000), std::time::Duration::from_secs(1)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_now;
    now
}

pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// A price as shop tags show it: small ¥, big yuan, small decimals, tabular figures.
#[component]
pub fn Price(fen: i64, #[prop(optional_no_strip)] was_fen: Option<i64>) -> impl IntoView {
    let f = Fen(fen);
    view! {
        <span class="price">
            <span class="price-cur">"¥"</span>
            <span class="price-yuan">{f.yuan_part()}</span>
            <span class="price-dec">{f.decimal_part()}</span>
            {was_fen.filter(|w| *w > fen).map(|w| view! { <s class="price-was">{Fen(w).to_string()}</s> })}
        </span>
    }
}

/// An error that ended a page's data load.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let locale = use_locale();
    view! { <p class="notice notice-error" role="alert">{error.message(locale)}</p> }
}

/// Grey blocks in the shape of the shelf while it loads: no spinner on a blank page.
#[component]
pub fn ShelfSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true">
            <div class="skeleton-bar"></div>
            <ul class="product-grid">
                {(0..4).map(|_| view! { <li class="product-card skeleton-card"><div class="product-photo"></div><div class="skeleton-line"></div></li> }).collect_view()}
            </ul>
        </div>
    }
}

/// "页面不存在" with a way home; answers 404 when rendered on the server.
#[component]
pub fn NotFoundNotice(body: crate::shared::Msg) -> impl IntoView {
    plain_notice(404, crate::shared::Msg::NotFoundTitle, body)
}

/// A page the person may not open (a resident at the back office, a clerk at the team page):
/// 没有权限, answered 403, with the way back to the shop instead of an error beside a menu.
#[component]
pub fn ForbiddenNotice() -> impl IntoView {
    plain_notice(403, crate::shared::Msg::ForbiddenTitle, crate::shared::Msg::ForbiddenBody)
}

fn plain_notice(status: u16, title: crate::shared::Msg, body: crate::shared::Msg) -> impl IntoView {
    use crate::shared::Msg;
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(code)) = (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(status)) {
        res.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
    view! {
        <leptos_meta::Title text=locale.t(title)/>
        <section class="empty-state">
            <h1 class="page-title">{locale.t(title)}</h1>
            <p>{locale.t(body)}</p>
            <a href="/" class="btn btn-primary">{locale.t(Msg::GoHome)}</a>
        </section>
    }
}

/// This page's address to come back to (after logging in, after switching language): the path
/// and its query, whichever way the router spells the query (with or without its `?`).
pub fn this_address(path: &str, search: &str) -> String {
    let query = search.split('#').next().unwrap_or_default().trim_start_matches('?');
    if query.is_empty() { path.to_string() } else { format!("{path}?{query}") }
}

/// A filter chip: a plain link (works without JavaScript), marked as current when on.
pub fn chip(href: String, on: bool, label: String) -> impl IntoView {
    view! { <a href=href class="chip" class:chip-on=on aria-current=on.then_some("page")>{label}</a> }
}

/// How many stores the switch shows as a row of chips; past that they fold away.
const STORE_CHIPS_OPEN: usize = 6;

/// The back office's store switch: one chip per store, shown only when the person works at
/// more than one. `href` is the page's own URL for a store. A chain's owner with more than a
/// handful of stores gets them folded under one line naming the current store (a `<details>`:
/// the same with JavaScript, without it and before the WASM), not screens of chips above the
/// page's own content.
pub fn store_chips(stores: Vec<(i64, String)>, current: i64, href: impl Fn(i64) -> String) -> Option<AnyView> {
    let locale = use_locale();
    let label = locale.pick("门店", "Store");
    let now = stores.iter().find(|(id, _)| *id == current).map(|(_, name)| name.clone()).unwrap_or_default();
    // Stores only: a page may put "all stores" (id 0) first.
    let count = stores.iter().filter(|(id, _)| *id != 0).count();
    let chips: Vec<_> = stores.into_iter().map(|(id, name)| chip(href(id), id == current, name)).collect();
    if chips.len() <= 1 {
        return None;
    }
    if chips.len() <= STORE_CHIPS_OPEN {
        return Some(view! { <nav class="chips no-print" aria-label=label>{chips}</nav> }.into_any());
    }
    Some(
        view! {
            <details class="store-fold no-print">
                <summary>
                    <span class="store-fold-now">{now}</span>
                    <span class="store-fold-more">{match locale {
                        crate::shared::Locale::Zh => format!("换门店（共{count}家）"),
                        crate::shared::Locale::En => format!("Change ({count})"),
                    }}</span>
                </summary>
                <nav class="chips" aria-label=label>{chips}</nav>
            </details>
        }
        .into_any(),
    )
}

/// A one-tap action that loses something (取消订单, 退出拼团, deleting a rule) asks first. Plain
/// HTML — a `<details>` whose summary looks like the button and opens the question with the
/// real submit inside — so it asks the same with JavaScript, without it and before the WASM
/// arrives; tapping the button again folds the question away.
#[component]
pub fn AskFirst(
    /// The button as first seen.
    label: String,
    /// The question, saying what will be lost.
    question: String,
    /// Extra classes for the first button (btn-small, btn-block…).
    #[prop(optional)]
    class: &'static str,
    /// The form whose submit button says the action again (确定取消).
    children: Children,
) -> impl IntoView {
    let label_for_readers = question.clone();
    view! {
        <details class="ask-first">
            <summary class=format!("btn btn-secondary {class}")>{label}</summary>
            <div class="ask-first-body" role="alertdialog" aria-label=label_for_readers>
                <p class="ask-first-question">{question}</p>
                {children()}
            </div>
        </details>
    }
}
