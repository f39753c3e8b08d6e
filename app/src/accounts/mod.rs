//! Residents, staff and owners: registration, login, roles.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::{Me, Role, RoleGrant};

/// What other domains use of this one's storage (they never reach into store.rs).
#[cfg(feature = "ssr")]
pub use store::{load_me, notes_of, set_home_store};
