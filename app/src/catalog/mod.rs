//! What the chain sells: categories and products, with availability at a store.
pub mod admin;
pub mod api;
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
pub mod widgets;

pub use model::{Category, Product, ProductDetail};
