pub mod admin_categories;
pub mod admin_product;
pub mod admin_products;
pub use admin_categories::CategoriesPage;
pub use admin_product::ProductEditorPage;
pub use admin_products::ProductsAdminPage;
