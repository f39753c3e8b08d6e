//! End-of-day markdowns (日清 / 晚市特惠): a store's rules mark down categories from a time of
//! day in tiers; the storefront, carts, checkout and the till all price through the catalog's
//! one price expression, so the markdown is the same everywhere; what sold at a markdown and
//! what was thrown away at closing (日清报损) are in the day's report and the stock ledger.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
