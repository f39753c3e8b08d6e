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

/// What other domains use of this one's storage (they never reach into store.rs).
#[cfg(feature = "ssr")]
pub use store::{chain_id, chain_name, chain_siblings, communities, community, get_active, lbs_routing, list_active};
