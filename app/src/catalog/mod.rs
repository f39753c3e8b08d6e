//! What the chain sells: categories and products, with availability at a store.
pub mod admin;
pub mod editing;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod photos;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::{Category, Product, ProductDetail};

/// What other domains use of this one's storage (they never reach into store.rs).
#[cfg(feature = "ssr")]
pub use store::{AVAILABLE_SQL, AdminFilter, PRICE_SQL, PricedProduct, REGULAR_PRICE_SQL, categories, list_for_store, media, media_of, minute_now, price_joins, priced_lines, priced_products, products_at, shelf_at, short_stock, stock_draws, stock_summary, stockable};
