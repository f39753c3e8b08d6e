//! The pickup desk: find a ready order by its code (typed or scanned) or the phone's last
//! four digits, see what to hand over, hand it over. Guessing is throttled per staff account
//! and every check is audited.
pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
