//! Store rules: distance, delivery area, fees, discounts.
use super::model::{Community, DeliveryFeeRule, NearbyStore, PickupDiscount, Store};
use crate::shared::geo::{distance_m, valid_coordinate};
use crate::shared::{AppError, ErrorCode};

/// Both coordinates or neither; a half or impossible point is the caller's mistake.
pub fn point(lat: Option<f64>, lng: Option<f64>) -> Result<Option<(f64, f64)>, AppError> {
    match (lat, lng) {
        (None, None) => Ok(None),
        (Some(lat), Some(lng)) if valid_coordinate(lat, lng) => Ok(Some((lat, lng))),
        _ => Err(AppError::new(ErrorCode::InvalidCoordinates)),
    }
}

/// The stores with distance and delivery from (lat, lng), nearest first; without a point,
/// in their own order.
pub fn nearby(stores: &[Store], point: Option<(f64, f64)>) -> Vec<NearbyStore> {
    let mut out: Vec<NearbyStore> = stores
        .iter()
        .map(|s| {
            let d = point.map(|(lat, lng)| distance_m(lat, lng, s.lat, s.lng));
            NearbyStore {
                id: s.id,
                name: s.name.clone(),
                address: s.address.clone(),
                lat: s.lat,
                lng: s.lng,
                distance_m: d,
                delivers: d.map(|d| d <= s.delivery_radius_m),
                opens_at: s.opens_at.clone(),
                closes_at: s.closes_at.clone(),
            }
        })
        .collect();
    if point.is_some() {
        out.sort_by_key(|s| (s.distance_m, s.id));
    }
    out
}

/// The delivery fee at `d` metres, or `None` beyond the last band (outside the area).
pub fn delivery_fee(rule: &DeliveryFeeRule, d: u32) -> Option<i64> {
    rule.bands.iter().find(|b| d <= b.up_to_m).map(|b| b.fee_fen)
}

/// The most a pickup discount takes, as a share of the goods (percent): an order always costs
/// something, whatever a store's offer says.
pub const PICKUP_DISCOUNT_MAX_PCT: i64 = 30;

/// What pickup takes off `goods_fen`: nothing below the offer's minimum order, and never more
/// than [`PICKUP_DISCOUNT_MAX_PCT`] of the goods.
pub fn pickup_discount(rule: PickupDiscount, goods_fen: i64) -> i64 {
    let goods = goods_fen.max(0);
    if goods < rule.min_goods_fen() {
        return 0;
    }
    let off = match rule {
        PickupDiscount::None => 0,
        PickupDiscount::Fixed { fen, .. } => fen.max(0),
        PickupDiscount::Percent { pct, .. } => goods * i64::from(pct.min(100)) / 100,
    };
    off.min(goods * PICKUP_DISCOUNT_MAX_PCT / 100)
}

/// How much more goods an order needs for the pickup discount (0 when it applies or there is
/// none): the checkout says "再买¥7.50，自提满¥20减¥3".
pub fn pickup_discount_short(rule: PickupDiscount, goods_fen: i64) -> i64 {
    if rule == PickupDiscount::None { 0 } else { (rule.min_goods_fen() - goods_fen.max(0)).max(0) }
}

/// Estates whose name or street contains `q` (Chinese substring; case-insensitive for Latin).
pub fn search_communities<'a>(all: &'a [Community], q: &str) -> Vec<&'a Community> {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    all.iter().filter(|c| c.name.to_lowercase().contains(&q) || c.district.to_lowercase().contains(&q)).collect()
}

/// Where a store can deliver among the estates: each with its distance and fee (`None`
/// outside the delivery area), nearest first.
pub fn delivery_points<'a>(store: &Store, all: &'a [Community]) -> Vec<(&'a Community, u32, Option<i64>)> {
    let mut out: Vec<_> = all
        .iter()
        .map(|c| {
            let d = distance_m(c.lat, c.lng, store.lat, store.lng);
            let fee = (d <= store.delivery_radius_m).then(|| delivery_fee(&store.delivery_fee_rule, d)).flatten();
            (c, d, fee)
        })
        .collect();
    out.sort_by_key(|(c, d, _)| (*d, c.id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::model::FeeBand;

    fn store(id: i64, lat: f64, lng: f64, radius: u32) -> Store {
        Store {
            id,
            name: format!("S{id}"),
            address: String::new(),
            phone: String::new(),
            lat,
            lng,
            opens_at: "07:00".into(),
            closes_at: "22:00".into(),
            pickup_from: "09:00".into(),
            pickup_until: "21:00".into(),
            delivery_radius_m: radius,
            min_order_fen: 0,
            delivery_fee_rule: DeliveryFeeRule::default(),
            pickup_discount: PickupDiscount::None,
        }
    }

    #[test]
    fn nearest_store_comes_first_and_knows_if_it_delivers() {
        let stores = [store(1, 30.30, 120.10, 3000), store(2, 30.2786, 120.1283, 3000)];
        let list = nearby(&stores, Some((30.279, 120.129)));
        assert_eq!(list[0].id, 2);
        assert_eq!(list[0].delivers, Some(true));
        assert_eq!(list[1].delivers, Some(false));
        assert!(nearby(&stores, None).iter().all(|s| s.distance_m.is_none()));
    }

    #[test]
    fn fee_follows_distance_bands() {
        let rule = DeliveryFeeRule { bands: vec![FeeBand { up_to_m: 1500, fee_fen: 300 }, FeeBand { up_to_m: 3000, fee_fen: 500 }] };
        assert_eq!(delivery_fee(&rule, 800), Some(300));
        assert_eq!(delivery_fee(&rule, 1500), Some(300));
        assert_eq!(delivery_fee(&rule, 2999), Some(500));
        assert_eq!(delivery_fee(&rule, 3001), None);
    }

    #[test]
    fn estates_are_found_by_name_or_street_and_priced_by_distance() {
        let c = |id, name: &str, district: &str, lat, lng| Community { id, name: name.into(), district: district.into(), lat, lng };
        let all = [c(1, "嘉绿苑", "文三路", 30.2790, 120.1290), c(2, "翠苑一区", "文一西路", 30.2900, 120.1250), c(3, "远方小区", "", 30.40, 120.30)];
        assert_eq!(search_communities(&all, "绿").iter().map(|c| c.id).collect::<Vec<_>>(), vec![1]);
        assert_eq!(search_communities(&all, "文").len(), 2);
        assert!(search_communities(&all, "  ").is_empty());
        let mut s = store(1, 30.2786, 120.1283, 3000);
        s.delivery_fee_rule = DeliveryFeeRule { bands: vec![FeeBand { up_to_m: 1500, fee_fen: 300 }, FeeBand { up_to_m: 3000, fee_fen: 500 }] };
        let points = delivery_points(&s, &all);
        assert_eq!(points[0].0.id, 1);
        assert_eq!(points[0].2, Some(300));
        assert_eq!(points[2].2, None);
    }

    #[test]
    fn pickup_discount_needs_its_minimum_and_never_makes_an_order_free() {
        let fixed = |fen, min| PickupDiscount::Fixed { fen, min_goods_fen: min };
        assert_eq!(pickup_discount(fixed(300, 2000), 2000), 300, "满20减3 at exactly ¥20");
        assert_eq!(pickup_discount(fixed(300, 2000), 1999), 0);
        assert_eq!(pickup_discount_short(fixed(300, 2000), 1250), 750);
        assert_eq!(pickup_discount_short(fixed(300, 2000), 2500), 0);
        assert_eq!(pickup_discount_short(PickupDiscount::None, 100), 0);
        // Without a minimum the share cap holds: one ¥2.50 item is never free.
        assert_eq!(pickup_discount(fixed(300, 0), 250), 75);
        assert_eq!(pickup_discount(fixed(500, 0), 3000), 500);
        assert_eq!(pickup_discount(PickupDiscount::Percent { pct: 5, min_goods_fen: 0 }, 3000), 150);
        assert_eq!(pickup_discount(PickupDiscount::Percent { pct: 90, min_goods_fen: 0 }, 1000), 300);
        assert_eq!(pickup_discount(PickupDiscount::None, 3000), 0);
        assert_eq!(pickup_discount(fixed(300, 0), -5), 0);
    }

    #[test]
    fn an_offer_reads_as_the_store_states_it() {
        use crate::shared::Locale;
        assert_eq!(PickupDiscount::Fixed { fen: 300, min_goods_fen: 2000 }.describe(Locale::Zh), "自提满¥20减¥3");
        assert_eq!(PickupDiscount::Fixed { fen: 300, min_goods_fen: 0 }.describe(Locale::Zh), "自提减¥3");
        assert_eq!(PickupDiscount::Percent { pct: 5, min_goods_fen: 0 }.describe(Locale::Zh), "自提95折");
        assert_eq!(PickupDiscount::Percent { pct: 10, min_goods_fen: 3000 }.describe(Locale::Zh), "自提满¥30享9折");
        assert_eq!(PickupDiscount::Fixed { fen: 300, min_goods_fen: 2000 }.describe(Locale::En), "Pickup from ¥20, ¥3 off");
    }
}
