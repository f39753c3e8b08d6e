//! What a valid markdown rule is, the tier in force at a minute, and the markdown arithmetic
//! (the same as the catalog's price expression in SQL).
use super::model::{RuleInput, TierInput};
use crate::shared::{AppError, ErrorCode};

pub const NAME_MAX: usize = 12;
pub const TIERS_MAX: usize = 3;
/// The deepest markdown: 1折 (90% off). Giving goods away is a write-off, not a price.
pub const PERCENT_OFF_MAX: i64 = 90;
pub const DAY_MINUTES: i64 = 1440;
/// The most units one clear-out line may write off (the stock ledger's own limit).
pub const CLEAR_OUT_MAX: i64 = 100_000;

/// One tier's window [from, until) in store-local minutes of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierSpan {
    pub from: i64,
    pub until: i64,
    pub percent_off: i64,
}

/// A rule ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRule {
    pub name: String,
    pub category_ids: Vec<i64>,
    pub tiers: Vec<TierSpan>,
    pub until: i64,
}

/// "19:00" → 1140. Where `end`, midnight may be written "24:00" or "00:00" (what a phone's
/// time picker gives): a rule runs to the end of the day, never into the next.
pub fn parse_clock(s: &str, end: bool) -> Option<i64> {
    let s = s.trim().replace('：', ":");
    if end && s == "24:00" {
        return Some(DAY_MINUTES);
    }
    let m = i64::from(crate::shared::time::parse_hhmm(&s)?);
    // "7:5" is a typo, not 07:05.
    if s.len() < 4 || s.split_once(':').is_none_or(|(_, mm)| mm.len() != 2) {
        return None;
    }
    Some(if end && m == 0 { DAY_MINUTES } else { m })
}

/// 1140 → "19:00", 1440 → "24:00".
pub fn clock(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// What people write for a discount, in 折: "8" or "8折" → 20 (percent off), "8.5" → 15,
/// "75" is not a 折 (refused). 1折 to 9.9折.
pub fn parse_zhe(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('折').trim();
    let (whole, tenth) = match s.split_once('.') {
        Some((w, t)) => (w, t),
        None => (s, "0"),
    };
    if whole.len() != 1 || tenth.len() != 1 {
        return None;
    }
    let pay: i64 = whole.parse::<i64>().ok()? * 10 + tenth.parse::<i64>().ok()?;
    let off = 100 - pay;
    (pay > 0 && (1..=PERCENT_OFF_MAX).contains(&off)).then_some(off)
}

/// 20 → "8折", 15 → "8.5折", 5 → "9.5折".
pub fn zhe(percent_off: i64) -> String {
    let pay = 100 - percent_off;
    if pay % 10 == 0 {
        format!("{}折", pay / 10)
    } else {
        format!("{}.{}折", pay / 10, pay % 10)
    }
}

/// The price after `percent_off`, to the nearest fen (half up): as `catalog::store::PRICE_SQL`.
pub fn marked_down(price_fen: i64, percent_off: i64) -> i64 {
    (price_fen * (100 - percent_off) + 50) / 100
}

/// The tier in force at `minute`, if any.
pub fn tier_at(tiers: &[TierSpan], minute: i64) -> Option<i64> {
    tiers.iter().filter(|t| t.from <= minute && minute < t.until).map(|t| t.percent_off).max()
}

/// Whether two rules' windows share a minute.
pub fn overlaps(a: &[TierSpan], b: &[TierSpan]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.from < y.until && y.from < x.until))
}

/// Checks a rule and lays its tiers end to end: each runs until the next one starts, the
/// last until the rule's end. Later tiers must start later and cut deeper (a price that went
/// back up at 20:30 would be a mistake, not a plan).
pub fn validate(input: &RuleInput) -> Result<ValidRule, AppError> {
    let name = input.name.trim();
    let n = name.chars().count();
    if n == 0 || n > NAME_MAX || name.chars().any(char::is_control) {
        return Err(AppError::field(ErrorCode::InvalidMarkdownName, "name"));
    }
    let mut category_ids: Vec<i64> = input.category_ids.iter().copied().filter(|id| *id > 0).collect();
    category_ids.sort_unstable();
    category_ids.dedup();
    if category_ids.is_empty() || category_ids.len() > 50 {
        return Err(AppError::field(ErrorCode::MarkdownCategoriesRequired, "categories"));
    }
    let tiers_err = || AppError::field(ErrorCode::InvalidMarkdownTiers, "tiers");
    if input.tiers.is_empty() || input.tiers.len() > TIERS_MAX {
        return Err(tiers_err());
    }
    let mut starts: Vec<(i64, i64)> = Vec::new();
    for TierInput { from, percent_off } in &input.tiers {
        let from = parse_clock(from, false).ok_or_else(tiers_err)?;
        if !(1..=PERCENT_OFF_MAX).contains(percent_off) {
            return Err(tiers_err());
        }
        if let Some((prev_from, prev_off)) = starts.last()
            && (from <= *prev_from || *percent_off <= *prev_off)
        {
            return Err(tiers_err());
        }
        starts.push((from, *percent_off));
    }
    let until = parse_clock(&input.until, true).ok_or_else(|| AppError::field(ErrorCode::InvalidMarkdownUntil, "until"))?;
    if starts.last().is_some_and(|(from, _)| *from >= until) {
        return Err(if starts.len() == 1 || starts[0].0 >= until {
            AppError::field(ErrorCode::InvalidMarkdownUntil, "until")
        } else {
            tiers_err()
        });
    }
    let tiers = starts
        .iter()
        .enumerate()
        .map(|(i, (from, percent_off))| TierSpan { from: *from, until: starts.get(i + 1).map_or(until, |next| next.0), percent_off: *percent_off })
        .collect();
    Ok(ValidRule { name: name.to_string(), category_ids, tiers, until })
}

/// The rule form's tier rows: a row with neither a time nor a discount is not a tier.
pub fn tiers_from_form(rows: &[(&str, &str)]) -> Result<Vec<TierInput>, AppError> {
    rows.iter()
        .filter(|(from, zhe)| !from.trim().is_empty() || !zhe.trim().is_empty())
        .map(|(from, z)| {
            let percent_off = parse_zhe(z).ok_or_else(|| AppError::field(ErrorCode::InvalidMarkdownTiers, "tiers"))?;
            Ok(TierInput { from: from.trim().to_string(), percent_off })
        })
        .collect()
}

/// A clear-out line's quantity: 1–100,000 units.
pub fn check_clear_out(items: &[(i64, i64)]) -> Result<(), AppError> {
    let ok = !items.is_empty()
        && items.len() <= 500
        && items.iter().all(|(p, q)| *p > 0 && (1..=CLEAR_OUT_MAX).contains(q))
        && items.iter().enumerate().all(|(i, (p, _))| items[..i].iter().all(|(o, _)| o != p));
    if ok { Ok(()) } else { Err(AppError::field(ErrorCode::InvalidClearOut, "items")) }
}

/// The clear-out form's snapshot of what the page showed: "12:3,15:2" (product:units).
pub fn parse_clear_out(s: &str) -> Result<Vec<(i64, i64)>, AppError> {
    let bad = || AppError::field(ErrorCode::InvalidClearOut, "items");
    let items = s
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (id, qty) = p.split_once(':').ok_or_else(bad)?;
            Ok((id.trim().parse().map_err(|_| bad())?, qty.trim().parse().map_err(|_| bad())?))
        })
        .collect::<Result<Vec<(i64, i64)>, AppError>>()?;
    check_clear_out(&items)?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(tiers: &[(&str, i64)], until: &str) -> RuleInput {
        RuleInput {
            name: "晚市特惠".into(),
            category_ids: vec![2, 1, 2],
            tiers: tiers.iter().map(|(f, p)| TierInput { from: (*f).into(), percent_off: *p }).collect(),
            until: until.into(),
        }
    }

    fn code(r: Result<ValidRule, AppError>) -> ErrorCode {
        r.expect_err("refused").code
    }

    #[test]
    fn tiers_run_end_to_end_until_the_rule_ends() {
        let v = validate(&rule(&[("19:00", 20), ("20:30", 50)], "22:00")).expect("valid");
        assert_eq!(v.category_ids, vec![1, 2]);
        assert_eq!(
            v.tiers,
            vec![TierSpan { from: 1140, until: 1230, percent_off: 20 }, TierSpan { from: 1230, until: 1320, percent_off: 50 }]
        );
        // The window: before 19:00 and from 22:00 no markdown; 20:29 still the first tier.
        assert_eq!(tier_at(&v.tiers, 1139), None);
        assert_eq!(tier_at(&v.tiers, 1140), Some(20));
        assert_eq!(tier_at(&v.tiers, 1229), Some(20));
        assert_eq!(tier_at(&v.tiers, 1230), Some(50));
        assert_eq!(tier_at(&v.tiers, 1319), Some(50));
        assert_eq!(tier_at(&v.tiers, 1320), None);
        let midnight = validate(&rule(&[("21：00", 30)], "24:00")).expect("valid");
        assert_eq!(midnight.tiers, vec![TierSpan { from: 1260, until: 1440, percent_off: 30 }]);
        // A time picker's 00:00 as the end is midnight, the end of the same day.
        let all_day = validate(&rule(&[("00:00", 10)], "00:00")).expect("valid");
        assert_eq!(all_day.tiers, vec![TierSpan { from: 0, until: 1440, percent_off: 10 }]);
    }

    #[test]
    fn muddled_rules_are_refused() {
        assert_eq!(code(validate(&rule(&[("20:30", 50), ("19:00", 20)], "22:00"))), ErrorCode::InvalidMarkdownTiers);
        assert_eq!(code(validate(&rule(&[("19:00", 50), ("20:30", 20)], "22:00"))), ErrorCode::InvalidMarkdownTiers);
        assert_eq!(code(validate(&rule(&[("19:00", 95)], "22:00"))), ErrorCode::InvalidMarkdownTiers);
        assert_eq!(code(validate(&rule(&[], "22:00"))), ErrorCode::InvalidMarkdownTiers);
        assert_eq!(code(validate(&rule(&[("19:00", 10), ("19:30", 20), ("20:00", 30), ("20:30", 40)], "22:00"))), ErrorCode::InvalidMarkdownTiers);
        assert_eq!(code(validate(&rule(&[("7:5", 20)], "22:00"))), ErrorCode::InvalidMarkdownTiers);
        assert_eq!(code(validate(&rule(&[("24:00", 20)], "24:00"))), ErrorCode::InvalidMarkdownTiers);
        assert_eq!(code(validate(&rule(&[("19:00", 20)], "18:00"))), ErrorCode::InvalidMarkdownUntil);
        assert_eq!(code(validate(&rule(&[("19:00", 20)], "25:00"))), ErrorCode::InvalidMarkdownUntil);
        // The second tier after the end: the tiers are wrong, not the end.
        assert_eq!(code(validate(&rule(&[("19:00", 20), ("23:00", 50)], "22:00"))), ErrorCode::InvalidMarkdownTiers);
        let mut r = rule(&[("19:00", 20)], "22:00");
        r.category_ids.clear();
        assert_eq!(code(validate(&r)), ErrorCode::MarkdownCategoriesRequired);
        r = rule(&[("19:00", 20)], "22:00");
        r.name = "  ".into();
        assert_eq!(code(validate(&r)), ErrorCode::InvalidMarkdownName);
    }

    #[test]
    fn zhe_is_what_the_shop_writes() {
        assert_eq!(parse_zhe("8"), Some(20));
        assert_eq!(parse_zhe("8折"), Some(20));
        assert_eq!(parse_zhe("8.5"), Some(15));
        assert_eq!(parse_zhe(" 5 "), Some(50));
        assert_eq!(parse_zhe("1"), Some(90));
        assert_eq!(parse_zhe("0.5"), None);
        assert_eq!(parse_zhe("75"), None);
        assert_eq!(parse_zhe("10"), None);
        assert_eq!(parse_zhe(""), None);
        assert_eq!(zhe(20), "8折");
        assert_eq!(zhe(15), "8.5折");
        for off in 1..=PERCENT_OFF_MAX {
            assert_eq!(parse_zhe(&zhe(off)), Some(off));
        }
    }

    #[test]
    fn markdown_rounds_to_the_nearest_fen() {
        assert_eq!(marked_down(390, 20), 312);
        assert_eq!(marked_down(1280, 50), 640);
        assert_eq!(marked_down(399, 50), 200); // 199.5 → 200
        assert_eq!(marked_down(1, 10), 1);
        assert_eq!(marked_down(1000, 0), 1000);
    }

    #[test]
    fn overlapping_windows() {
        let a = [TierSpan { from: 1140, until: 1320, percent_off: 20 }];
        assert!(overlaps(&a, &[TierSpan { from: 1300, until: 1440, percent_off: 30 }]));
        assert!(!overlaps(&a, &[TierSpan { from: 1320, until: 1440, percent_off: 30 }]));
        assert!(!overlaps(&a, &[TierSpan { from: 0, until: 1140, percent_off: 30 }]));
    }

    #[test]
    fn clear_out_snapshot() {
        assert_eq!(parse_clear_out("12:3, 15:2").expect("valid"), vec![(12, 3), (15, 2)]);
        assert!(parse_clear_out("").is_err());
        assert!(parse_clear_out("12:0").is_err());
        assert!(parse_clear_out("12:3,12:1").is_err());
        assert!(parse_clear_out("12-3").is_err());
        assert_eq!(tiers_from_form(&[("19:00", "8"), ("", ""), ("20:30", "5")]).expect("valid").len(), 2);
        assert!(tiers_from_form(&[("19:00", "")]).is_err());
    }
}
