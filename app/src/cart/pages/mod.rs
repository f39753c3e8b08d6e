pub mod cart;

pub use cart::CartPage;
