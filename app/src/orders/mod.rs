//! Orders: checkout, the resident's orders, cancelling. The store's side (queue, pickup desk)
//! builds on the same tables.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
