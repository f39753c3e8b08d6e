//! Linli: the neighbourhood store's pages, server functions and domain rules.
//!
//! Built twice: with `ssr` for the server binary and with `hydrate` for the browser.
#![recursion_limit = "256"]

pub mod accounts;
pub mod analytics;
pub mod app;
pub mod cart;
pub mod catalog;
pub mod community;
pub mod customers;
pub mod delivery;
pub mod group_buy;
pub mod inventory;
pub mod live;
pub mod markdowns;
pub mod orders;
pub mod pickup;
#[cfg(feature = "ssr")]
pub mod server;
pub mod shared;
pub mod stores;
pub mod storefront;
pub mod team;
pub mod ui;
pub mod wallet;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Asynchronous hydration: a page whose code is a lazy chunk (app.rs) is fetched first,
    // then hydrated in place (what leptos::mount::hydrate_lazy does, plus the marker).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    any_spawner::Executor::spawn_local(async {
        let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        // A marker for the browser tests (and anyone debugging): the page is now interactive.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
