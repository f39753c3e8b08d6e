//! Delivery: a rider's screen and the hand-over at the door. The transactions are the
//! orders' (flow.rs); the code check and its throttle come from pickup.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
