//! Demand forecast for tomorrow's order list (以销定采). A documented method rather than a
//! forecasting crate: a neighbourhood store's product sells a few to a few dozen units a day,
//! with a strong day-of-week pattern (weekends) and a slow drift — which seasonal indices and
//! a linear trend capture, in a few lines that can be read and tested, without pulling a
//! numerics stack into the server.
//!
//! The method, for one product at one store, from its daily units (online orders that are
//! sales, and the till) over the last `HISTORY_DAYS`:
//! 1. Weekday index: the mean of each weekday divided by the mean of all days (1.0 = an
//!    average day; a weekday never seen selling is 0).
//! 2. Deseasonalised level and trend: a least-squares line through the last `TREND_DAYS` of
//!    units ÷ their weekday index; the slope is halved (damped), so a good week is not
//!    extrapolated into a boom.
//! 3. Forecast for a day: (level + damped slope × days ahead) × that weekday's index, never
//!    below zero.
//!
//! Its error is measured the way it is used: for each of the last four weeks, the week is
//! forecast from the days before it only, and compared with what sold (MAPE over the days
//! that sold anything; a day of zero sales has no percentage error).

/// How far back a forecast reads.
pub const HISTORY_DAYS: usize = 56;
/// How far back the trend line reads.
const TREND_DAYS: usize = 28;
/// How much of the trend's slope is carried forward.
const DAMPING: f64 = 0.5;

/// Forecast for the `horizon` days after `history` (oldest first). `first_weekday` is the
/// weekday (0 = Monday) of `history[0]`.
pub fn forecast(history: &[f64], first_weekday: usize, horizon: usize) -> Vec<f64> {
    let skip = history.len().saturating_sub(HISTORY_DAYS);
    let history = &history[skip..];
    let n = history.len();
    if n == 0 {
        return vec![0.0; horizon];
    }
    // After trimming, the first day kept is `skip` days later than the one given.
    let start_wd = (first_weekday + skip) % 7;
    let wd = |i: usize| (start_wd + i) % 7;
    let mean = history.iter().sum::<f64>() / n as f64;
    if mean <= 0.0 {
        return vec![0.0; horizon];
    }
    let mut sums = [0.0; 7];
    let mut counts = [0usize; 7];
    for (i, v) in history.iter().enumerate() {
        sums[wd(i)] += v;
        counts[wd(i)] += 1;
    }
    let index: Vec<f64> = (0..7).map(|w| if counts[w] == 0 { 1.0 } else { sums[w] / counts[w] as f64 / mean }).collect();

    // A least-squares line through the deseasonalised recent days.
    let from = n.saturating_sub(TREND_DAYS);
    let points: Vec<(f64, f64)> = (from..n).filter(|i| index[wd(*i)] > 0.0).map(|i| (i as f64, history[i] / index[wd(i)])).collect();
    let (level_at_end, slope) = if points.len() >= 2 {
        let k = points.len() as f64;
        let (sx, sy) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        let (mx, my) = (sx / k, sy / k);
        let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
        let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
        let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
        (my + slope * ((n - 1) as f64 - mx), slope)
    } else {
        (mean, 0.0)
    };
    (1..=horizon).map(|h| ((level_at_end + DAMPING * slope * h as f64) * index[wd(n - 1 + h)]).max(0.0)).collect()
}

/// MAPE (percent) of forecasting each of the last `weeks` weeks of `history` from the days
/// before it; None when those weeks sold nothing (or there is too little history before them).
pub fn backtest_mape(history: &[f64], first_weekday: usize, weeks: usize) -> Option<f64> {
    let n = history.len();
    let mut errors = Vec::new();
    for k in (1..=weeks).rev() {
        let cut = n.checked_sub(7 * k)?;
        if cut < 14 {
            continue;
        }
        let predicted = forecast(&history[..cut], first_weekday, 7);
        for (p, a) in predicted.iter().zip(&history[cut..cut + 7]) {
            if *a > 0.0 {
                errors.push((p - a).abs() / a);
            }
        }
    }
    (!errors.is_empty()).then(|| (errors.iter().sum::<f64>() / errors.len() as f64 * 1000.0).round() / 10.0)
}

/// The units to buy: the forecast over the days a delivery must cover, what group buys and
/// live line-ups already commit, less what the shelf can still sell; whole units, never
/// negative.
pub fn suggested(forecast_units: f64, committed: i64, available: i64) -> i64 {
    ((forecast_units.ceil() as i64) + committed - available).max(0)
}

/// How many days tomorrow's delivery must last: its shelf life, one to seven days (fresh
/// goods are bought for a day, eggs and rice for the week).
pub fn cover_days(shelf_life_days: Option<i64>) -> usize {
    shelf_life_days.map_or(7, |d| d.clamp(1, 7)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A product with a known weekly pattern, a slow rise and ±5% noise (deterministic).
    fn synthetic(days: usize, first_weekday: usize) -> Vec<f64> {
        let pattern = [0.8, 0.85, 0.9, 0.95, 1.15, 1.6, 1.5];
        let mut seed = 7u64;
        (0..days)
            .map(|i| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let noise = ((seed >> 33) as f64 / (1u64 << 31) as f64 - 0.5) * 0.1;
                (20.0 + i as f64 * 0.05) * pattern[(first_weekday + i) % 7] * (1.0 + noise)
            })
            .collect()
    }

    #[test]
    fn a_held_back_week_of_a_weekly_pattern_is_forecast_within_ten_percent() {
        for first_weekday in [0, 3, 6] {
            let all = synthetic(63, first_weekday);
            let (known, held) = all.split_at(56);
            let f = forecast(known, first_weekday, 7);
            let mape = f.iter().zip(held).map(|(p, a)| (p - a).abs() / a).sum::<f64>() / 7.0 * 100.0;
            assert!(mape <= 10.0, "MAPE {mape:.1}% starting on weekday {first_weekday}: {f:?} vs {held:?}");
            // The weekend is forecast above the week.
            let sat = (0..7).find(|h| (first_weekday + 56 + h) % 7 == 5).expect("a saturday");
            let mon = (0..7).find(|h| (first_weekday + 56 + h) % 7 == 0).expect("a monday");
            assert!(f[sat] > f[mon] * 1.5, "{f:?}");
        }
    }

    #[test]
    fn the_backtest_measures_the_last_four_weeks() {
        let all = synthetic(84, 2);
        let mape = backtest_mape(&all, 2, 4).expect("a figure");
        assert!(mape <= 10.0, "{mape}");
        // Nothing sold: no figure, and a forecast of nothing.
        assert_eq!(backtest_mape(&[0.0; 84], 2, 4), None);
        assert_eq!(forecast(&[0.0; 56], 0, 3), vec![0.0; 3]);
        assert_eq!(forecast(&[], 0, 2), vec![0.0; 2]);
    }

    #[test]
    fn the_suggestion_adds_commitments_and_takes_the_shelf_off() {
        assert_eq!(suggested(10.2, 5, 3), 13);
        assert_eq!(suggested(2.0, 0, 10), 0);
        assert_eq!(cover_days(Some(2)), 2);
        assert_eq!(cover_days(Some(30)), 7);
        assert_eq!(cover_days(None), 7);
        assert_eq!(cover_days(Some(0)), 1);
    }
}
