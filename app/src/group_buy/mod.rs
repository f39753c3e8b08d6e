//! Group buys (presales, 满N户成团): a campaign goes ahead only if enough households join by
//! its deadline — the store then buys from the supplier exactly what was sold (以销定采) —
//! otherwise every join is cancelled and refunded. Built on orders: a join is an order waiting
//! in 待成团.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod poster;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod widgets;
pub use rules::VIEW_ROLES;
/// What other domains use of this one's storage.
#[cfg(feature = "ssr")]
pub use store::open_at_stores;
