//! 会员 (staff): find a resident by name or phone, see their orders at the store, their notes
//! and their wallet; take a top-up at the counter with a receipt, and correct a mistaken one
//! by a reversing entry, never by editing.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
