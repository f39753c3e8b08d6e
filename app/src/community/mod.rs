//! 一店一群: the store's own neighbourhood group. Residents join by the counter's QR code or a
//! link with a name the group sees (王阿姨(嘉绿苑)); the feed carries the store's pinned
//! announcements, 今日鲜货 from today's deliveries, polls, and residents' posts with photos
//! (晒单 of what they bought here), comments and likes. The store moderates: hides with a
//! reason the author sees, mutes for a time, removes, and works through members' reports; its
//! banned words are the live rooms' list.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod widgets;
pub use rules::MODERATOR_ROLES;
