//! What the storefront's pages load: a store's shelf or one product, with the resident's cart there.
use serde::{Deserialize, Serialize};

/// One store's shelf, as the home page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shelf {
    pub store: crate::stores::Store,
    pub categories: Vec<crate::catalog::Category>,
    pub products: Vec<crate::catalog::Product>,
    /// What the resident has in the cart here (the cards' steppers, the sticky bar).
    pub cart: crate::cart::model::CartSummary,
}

/// The product page: the product at the resident's store, and how to share it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub detail: crate::catalog::ProductDetail,
    pub store_name: String,
    /// Absolute URLs for share previews (WeChat and others need them absolute).
    pub share_url: String,
    pub share_image_url: Option<String>,
    pub cart: crate::cart::model::CartSummary,
    /// Neighbours' 晒单 of it in the store's group (已购), the latest first.
    pub reviews: Vec<crate::community::model::Post>,
    pub now_ms: i64,
}
