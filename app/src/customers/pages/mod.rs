//! The back office's customer pages.
mod customers;

pub use customers::{CustomerPage, CustomersPage};
