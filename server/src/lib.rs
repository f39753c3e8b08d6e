//! The `linli` server: HTTP (pages, server functions, JSON API), jobs and the admin CLI.
pub mod api;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod demo;
pub mod jobs;
pub mod limits;
pub mod media;
pub mod observability;
pub mod startup;

pub use config::Config;
pub use limits::Limits;
pub use startup::Application;
