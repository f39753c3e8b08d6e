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
    /// 满 `min_goods_fen` 减 this many fen.
    Fixed {
        fen: i64,
        /// The goods an order needs for the discount (满20减3: 2000); 0 for any order.
        #[serde(default)]
        min_goods_fen: i64,
    },
    /// This many percent off the goods, from `min_goods_fen`.
    Percent {
        pct: u8,
        #[serde(default)]
        min_goods_fen: i64,
    },
}

impl PickupDiscount {
    /// The goods an order needs before the discount applies.
    pub fn min_goods_fen(self) -> i64 {
        match self {
            PickupDiscount::None => 0,
            PickupDiscount::Fixed { min_goods_fen, .. } | PickupDiscount::Percent { min_goods_fen, .. } => min_goods_fen.max(0),
        }
    }

    /// The offer as the store states it: 自提满¥20减¥3, 自提95折.
    pub fn describe(self, locale: crate::shared::Locale) -> String {
        use crate::shared::{Fen, Locale};
        match (self, locale) {
            (PickupDiscount::None, _) => String::new(),
            (PickupDiscount::Fixed { fen, min_goods_fen: 0 }, Locale::Zh) => format!("自提减{}", Fen(fen)),
            (PickupDiscount::Fixed { fen, min_goods_fen }, Locale::Zh) => format!("自提满{}减{}", Fen(min_goods_fen), Fen(fen)),
            (PickupDiscount::Fixed { fen, min_goods_fen: 0 }, Locale::En) => format!("Pickup {} off", Fen(fen)),
            (PickupDiscount::Fixed { fen, min_goods_fen }, Locale::En) => format!("Pickup from {}, {} off", Fen(min_goods_fen), Fen(fen)),
            (PickupDiscount::Percent { pct, min_goods_fen }, Locale::Zh) => {
                // 5% off reads 95折, 10% off 9折.
                let left = 100 - u32::from(pct.min(100));
                let zhe = if left % 10 == 0 { (left / 10).to_string() } else { left.to_string() };
                if min_goods_fen > 0 { format!("自提满{}享{zhe}折", Fen(min_goods_fen)) } else { format!("自提{zhe}折") }
            }
            (PickupDiscount::Percent { pct, min_goods_fen }, Locale::En) => {
                if min_goods_fen > 0 { format!("Pickup {pct}% off from {}", Fen(min_goods_fen)) } else { format!("Pickup {pct}% off") }
            }
        }
    }
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
