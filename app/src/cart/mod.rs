//! The cart (购物车): per store; on the server for signed-in residents (the same cart on every
//! device), under a cookie for guests, merged into the resident's cart at login.
pub mod api;
pub mod model;
pub mod pages;
pub mod widgets;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use pages::CartPage;
pub use widgets::{CartActions, CartBar, QtyStepper};

/// What other domains use of this one's storage (they never reach into store.rs).
#[cfg(feature = "ssr")]
pub use store::{remove_ordered};
