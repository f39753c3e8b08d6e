//! The `linli` server: HTTP (pages, server functions, JSON API), jobs and the admin CLI.
//
// Leptos views are nested types; the router (instantiated here) computes the deepest page's
// layout, which passes the default limit of 128 (the live room).
#![recursion_limit = "256"]
pub mod api;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod demo;
pub mod drain;
pub mod history;
pub mod jobs;
pub mod limits;
pub mod media;
pub mod observability;
pub mod page_cache;
pub mod relay;
pub mod startup;

pub use config::Config;
pub use limits::Limits;
pub use startup::Application;
