//! Stock per store, as one ledger shared by the counter, online orders and group buys
//! (线上线下同库存): receiving goods, write-offs, counts and returns booked with who and why,
//! low-stock alerts, and the till that sells walk-in customers from the same shelf.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::{StockLevel, StockReason};

/// What other domains use of this one's storage (they never reach into store.rs).
#[cfg(feature = "ssr")]
pub use store::{Move, Moved, add_held, apply, consume_reserved, level, receive_held, received_since, tag_live_session};
pub use rules::STOCK_ROLES;
