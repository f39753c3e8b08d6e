//! Figures for the back office. Reads every domain; nothing depends on it.
pub mod api;
pub mod model;
pub mod pages;
