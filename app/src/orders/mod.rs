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

/// What other domains use of this one's storage (they never reach into store.rs).
#[cfg(feature = "ssr")]
pub use store::{NewOrder, OrderRow, PricedProduct, QueueFilter, find, find_open_by_code, has_received, items, received_products, priced_products, queue, insert_reservation, last_delivery};
pub use rules::DESK_ROLES;
