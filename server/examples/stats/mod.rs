//! Percentiles for the load tools' printed figures.
use std::time::Duration;

/// The `p`th percentile of `sorted` (nearest rank below), zero when empty.
pub fn pct(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * p) / 100]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
