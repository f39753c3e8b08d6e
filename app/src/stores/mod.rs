//! The chain's stores: where they are, when they open, how far they deliver.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::{Community, NearbyStore, Store, StoreChoice};
