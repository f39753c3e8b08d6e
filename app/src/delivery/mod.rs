//! Delivery: a rider's screen. The rules and the transactions are the orders' (flow.rs); this is
//! the rider's door to them.
pub mod api;
pub mod pages;
