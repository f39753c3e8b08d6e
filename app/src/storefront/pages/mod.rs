pub mod home;
pub mod product;
pub use home::HomePage;
pub use product::ProductPage;
