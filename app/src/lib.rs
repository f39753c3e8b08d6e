//! Linli: the neighbourhood store's pages, server functions and domain rules.
//!
//! Built twice: with `ssr` for the server binary and with `hydrate` for the browser.
#![recursion_limit = "256"]

pub mod accounts;
pub mod analytics;
pub mod app;
pub mod cart;
pub mod catalog;
pub mod customers;
pub mod delivery;
pub mod group_buy;
pub mod inventory;
pub mod markdowns;
pub mod orders;
pub mod pickup;
#[cfg(feature = "ssr")]
pub mod server;
pub mod shared;
pub mod stores;
pub mod team;
pub mod ui;
pub mod wallet;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for the browser tests (and anyone debugging): the page is now interactive.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector("body").ok().flatten()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
