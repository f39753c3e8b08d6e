//! Orders: checkout, the resident's orders, cancelling. The store's side (queue, pickup desk)
//! builds on the same tables.
pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod lifecycle;
pub mod model;
pub mod pages;
pub mod rules;
pub mod staff_api;
pub mod widgets;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
