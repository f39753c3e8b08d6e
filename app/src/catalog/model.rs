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
    /// What it sells for now (a markdown included).
    pub price_fen: i64,
    /// The shelf price while a markdown (晚市特惠) is in force, struck through beside
    /// `price_fen`; null otherwise.
    pub regular_price_fen: Option<i64>,
    /// The markdown in force, percent off (20 = 8折); null otherwise.
    pub markdown_percent_off: Option<i64>,
    /// That markdown's name as the manager wrote it (下午菜价); null otherwise.
    pub markdown_name: Option<String>,
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
    /// The product's photos at the product page's size, cover first. Empty: only `image_url`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
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

/// A line that could not be had: `error.details.items` of 409 insufficient_stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShortItem {
    pub product_id: i64,
    pub name: String,
    pub requested: i64,
    pub available: i64,
}

/// A product as the back office writes it: `POST /api/v1/staff/products`,
/// `PUT /api/v1/staff/products/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// 1–30 characters.
    pub name: String,
    /// The spec as sold, 1–12 characters: 500g/份, 1只.
    pub unit: String,
    /// The chain's shelf price, 1 fen to ¥100,000.
    pub price_fen: i64,
    pub category_id: i64,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub producer: String,
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    pub harvest_date: Option<String>,
    /// 1–3650.
    #[serde(default)]
    pub shelf_life_days: Option<i64>,
    /// Up to 300 characters.
    #[serde(default)]
    pub description: String,
    /// Up to 5 tags of up to 8 characters (今日到货, 有机, 本地直供…).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Whether each store's manager may set its own price (`PUT
    /// /api/v1/staff/stores/{store_id}/prices/{product_id}`); the owner's call.
    #[serde(default)]
    pub store_pricing: bool,
    /// On `PUT`: the product's `version` this edit starts from; if it was saved since, the
    /// edit is refused with 409 `stale_edit` (and the latest version in its details). Without
    /// it, the edit is checked against the version read when the request arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A category as the back office writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    /// The shelf's name, 1–8 characters.
    pub name_zh: String,
    /// Up to 24 characters; empty: the Chinese name.
    #[serde(default)]
    pub name_en: String,
    /// 0–999, smaller first.
    #[serde(default)]
    pub sort: i64,
}

/// A category in the back office, with how many products on sale it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryAdmin {
    pub id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub sort: i64,
    pub active: bool,
    pub products: i64,
}

/// One of a product's photos: the card square and the large picture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Photo {
    pub id: i64,
    /// 480×480, for cards and lists.
    pub card_url: String,
    /// At most 1280 on the long side, for the product page.
    pub large_url: String,
    /// Whether this is the picture on the product's card.
    pub cover: bool,
}

/// A product as the back office sees it: everything it can edit, chain-wide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductAdmin {
    pub id: i64,
    /// Goes up by one with every save; send it back as `fields.version` to refuse an edit
    /// based on an older one.
    pub version: i64,
    /// What the editor writes (the body `PUT` takes).
    pub fields: ProductInput,
    /// The category's name in the reader's language.
    pub category: String,
    pub active: bool,
    pub image_url: Option<String>,
    pub photos: Vec<Photo>,
    /// A bundle (套餐): its components.
    pub components: Vec<BundleComponent>,
    /// The stores the reader may price, with their own price if set (only shown while
    /// `store_pricing` is on).
    pub store_prices: Vec<StorePrice>,
}

/// A store's own price for a product; `None`: the chain's price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StorePrice {
    pub store_id: i64,
    pub store_name: String,
    pub price_fen: Option<i64>,
}

/// The product list in the back office.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductsAdminView {
    pub products: Vec<ProductAdmin>,
    pub categories: Vec<CategoryAdmin>,
    /// The owner creates and retires products and sets prices; managers edit the rest.
    pub may_manage: bool,
}

/// The product editor: the product (none when creating) and what its form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductEditView {
    pub product: Option<ProductAdmin>,
    pub categories: Vec<CategoryAdmin>,
    pub may_manage: bool,
    pub today: String,
    /// What a bundle may hold (for the owner editing a product): (id, name, spec).
    pub parts: Vec<(i64, String, String)>,
}

/// A product and how many, as asked for: an order's line, a bundle's part, a clear-out line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemRequest {
    pub product_id: i64,
    pub qty: i64,
}

impl ItemRequest {
    pub fn pair(&self) -> (i64, i64) {
        (self.product_id, self.qty)
    }
}

/// A bundle's recipe (each part 1–99): `PUT /api/v1/staff/products/{id}/components`. Empty:
/// a single product again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComponentsInput {
    pub items: Vec<ItemRequest>,
}
