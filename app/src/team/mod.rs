//! The people who work at the stores (员工): the owner invites them to a store with a role,
//! removes a role, and deactivates an account. Roles are read from the database on every
//! request, so a change takes effect at the next tap.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
/// What other domains use of this one's storage.
#[cfg(feature = "ssr")]
pub use store::{replace_clerk_list, store_clerks, ClerkList};
