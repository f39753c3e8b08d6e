//! Figures for the back office: today's stock at a glance, and the owner's insights (the
//! 店-群-播 model's figures by day, week and month). Reads every domain; nothing depends on it.
pub mod api;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod forecast;
pub mod model;
#[cfg(feature = "ssr")]
pub mod order_list;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
