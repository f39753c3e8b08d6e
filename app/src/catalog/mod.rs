//! What the chain sells: categories and products, with availability at a store.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod widgets;

pub use model::{Category, Product, ProductDetail};
