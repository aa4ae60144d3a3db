//! Great-circle distances between WGS84 points.

/// Mean Earth radius in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0;

/// Haversine distance in kilometres between two `(latitude, longitude)` points in degrees.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::distance_km;

    #[test]
    fn zero_for_the_same_point_and_symmetric() {
        assert_eq!(distance_km((48.1, -1.68), (48.1, -1.68)), 0.0);
        let (a, b) = ((48.11, -1.68), (43.6, 1.44));
        assert!((distance_km(a, b) - distance_km(b, a)).abs() < 1e-9);
    }
}
