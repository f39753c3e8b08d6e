//! Orders. Checkout arrives with the storefront issue; until then the tab tells the truth.
pub mod pages;
