//! The back office's stock pages and the till.
mod stock;
mod till;

pub use stock::{StockItemPage, StockPage};
pub use till::TillPage;
