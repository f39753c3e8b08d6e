//! 直播间: a store's own live sale. The host schedules a session with a line-up — each product
//! at a live price, with units set aside from the shelf and a per-resident limit — goes live,
//! pins products; residents buy in the room at the live price only while the session is live.
//! Built on orders: a live order is an ordinary order (queue, desk, cancel, no-show) whose
//! line was priced by the session instead of the shelf.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
pub mod widgets;
#[cfg(feature = "ssr")]
pub mod room;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod video;
pub use rules::HOST_ROLES;
/// The store's banned words, which its group shares with its live rooms.
#[cfg(feature = "ssr")]
pub use store::{banned_words, live_now};
