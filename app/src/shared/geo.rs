//! Distances between a resident and a store.

/// Great-circle distance in metres (haversine). Accurate to well under 1% at city scale,
/// which is all a 1–3 km delivery radius needs.
pub fn distance_m(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> u32 {
    const EARTH_RADIUS_M: f64 = 6_371_000.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lng2 - lng1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    (2.0 * EARTH_RADIUS_M * a.sqrt().asin()).round() as u32
}

/// Whether a pair of numbers is a plausible coordinate at all.
pub fn valid_coordinate(lat: f64, lng: f64) -> bool {
    lat.is_finite() && lng.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)
}

/// "850 m" / "2.3 km".
pub fn format_distance(m: u32) -> String {
    if m < 1000 { format!("{m} m") } else { format!("{:.1} km", f64::from(m) / 1000.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangzhou_blocks_are_a_few_km_apart() {
        // 文三路 to 古墩路 in Hangzhou: about 3.7 km on a map.
        let d = distance_m(30.2786, 120.1283, 30.3010, 120.1000);
        assert!((3500..3900).contains(&d), "{d}");
        assert_eq!(distance_m(30.0, 120.0, 30.0, 120.0), 0);
    }

    #[test]
    fn rejects_impossible_coordinates() {
        assert!(valid_coordinate(30.27, 120.13));
        assert!(!valid_coordinate(91.0, 0.0));
        assert!(!valid_coordinate(f64::NAN, 0.0));
    }

    #[test]
    fn formats_short_and_long_distances() {
        assert_eq!(format_distance(850), "850 m");
        assert_eq!(format_distance(2345), "2.3 km");
    }
}
