//! Catalog types shared with the browser and the JSON API.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A product as a store lists it: `GET /api/v1/stores/{id}/products`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: i64,
    pub name: String,
    /// The spec as sold: 500g/份, 1只, 12枚/盒.
    pub unit: String,
    pub price_fen: i64,
    /// The category's slug.
    pub category: String,
    pub origin: String,
    /// On hand minus reserved at the store asked about.
    pub available: i64,
    pub image_url: Option<String>,
    pub tags: Vec<String>,
}

/// A product with its traceability card: `GET /api/v1/products/{id}?store_id=`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    #[serde(flatten)]
    pub product: Product,
    pub producer: String,
    /// ISO date (采摘/生产日期).
    pub harvest_date: Option<String>,
    pub shelf_life_days: Option<i64>,
    pub description: String,
    /// The store whose availability is given.
    pub store_id: i64,
    /// For a bundle (套餐): what is in it. Empty for a single product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<BundleComponent>,
}

/// One product in a bundle, and how many of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BundleComponent {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub qty: i64,
}

/// One store's shelf, as the home page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shelf {
    pub store: crate::stores::Store,
    pub categories: Vec<Category>,
    pub products: Vec<Product>,
    /// What the resident has in the cart here (the cards' steppers, the sticky bar).
    pub cart: crate::cart::model::CartSummary,
}

/// The product page: the product at the resident's store, and how to share it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub detail: ProductDetail,
    pub store_name: String,
    /// Absolute URLs for share previews (WeChat and others need them absolute).
    pub share_url: String,
    pub share_image_url: Option<String>,
    pub cart: crate::cart::model::CartSummary,
}

/// A line that could not be had: `error.details.items` of 409 insufficient_stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShortItem {
    pub product_id: i64,
    pub name: String,
    pub requested: i64,
    pub available: i64,
}
