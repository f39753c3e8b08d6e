//! Store types shared with the browser.
use serde::{Deserialize, Serialize};

/// Delivery fee by distance band: the first band whose `up_to_m` covers the distance applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeeBand {
    pub up_to_m: u32,
    pub fee_fen: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryFeeRule {
    pub bands: Vec<FeeBand>,
}

/// What picking up at the store saves (到店自提优惠).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum PickupDiscount {
    #[default]
    None,
    /// 立减 this many fen.
    Fixed { fen: i64 },
    /// This many percent off the goods.
    Percent { pct: u8 },
}

/// A store the person works at, for the back office's store switch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreChoice {
    pub id: i64,
    pub name: String,
}

impl StoreChoice {
    /// (id, name), as the back office's store switch takes it.
    pub fn pair(&self) -> (i64, String) {
        (self.id, self.name.clone())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Store {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub lat: f64,
    pub lng: f64,
    pub opens_at: String,
    pub closes_at: String,
    pub pickup_from: String,
    pub pickup_until: String,
    pub delivery_radius_m: u32,
    pub min_order_fen: i64,
    pub delivery_fee_rule: DeliveryFeeRule,
    pub pickup_discount: PickupDiscount,
}

/// A store as the API's store list shows it: `GET /api/v1/stores?lat=&lng=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NearbyStore {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    /// Metres from the given point; absent when no point was given.
    pub distance_m: Option<u32>,
    /// Whether the given point is inside the delivery radius; absent when no point was given.
    pub delivers: Option<bool>,
    pub opens_at: String,
    pub closes_at: String,
}

/// A residential estate (小区) or street near the chain's stores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Community {
    pub id: i64,
    pub name: String,
    /// The street or area it is on, e.g. 文三路.
    pub district: String,
    pub lat: f64,
    pub lng: f64,
}

/// The store picker's list: nearest first from the browser's position or from a 小区 or
/// street the resident searched for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreList {
    pub stores: Vec<NearbyStore>,
    /// The place the list is sorted from, when the resident searched for one.
    pub place: Option<Community>,
    /// Other places matching the search, to pick from.
    pub other_places: Vec<Community>,
    /// The search found nothing.
    pub place_not_found: bool,
}
