//! The member wallet (储值): a balance per resident and a ledger of every movement.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

/// What other domains use of this one's storage (they never reach into store.rs).
#[cfg(feature = "ssr")]
pub use store::{Movement, entries, move_money};
pub use rules::COUNTER_ROLES;
