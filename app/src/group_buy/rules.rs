//! The rules of a group buy: what a campaign may say, who may join with how much, when it is
//! decided and how. Pure functions, unit-tested here.
use super::model::{GroupBuyStatus, NewGroupBuy};
use crate::shared::time::{local_time, parse_instant, parse_iso_date, Millis};
use crate::shared::{AppError, ErrorCode};

/// Who sees a store's campaigns in the back office.
pub const VIEW_ROLES: &[crate::accounts::Role] = &[crate::accounts::Role::Manager, crate::accounts::Role::Staff];

pub const MAX_TITLE_CHARS: usize = 30;
pub const MAX_STORY_CHARS: usize = 300;
pub const MAX_HOUSEHOLDS: i64 = 10_000;
pub const MAX_PER_HOUSEHOLD: i64 = 99;
pub const MAX_UNITS: i64 = 1_000_000;
/// A campaign runs at most this long.
pub const MAX_RUN_DAYS: i64 = 60;
/// Pickup is on the deadline's day or at most this many days after it.
pub const MAX_PICKUP_DAYS_AFTER: i64 = 7;
/// A deadline at least this far ahead (a campaign that closes as it opens helps no one).
pub const MIN_LEAD_MS: Millis = 60_000;
/// One extension moves the deadline at most this much.
pub const MAX_EXTENSION_MS: Millis = 7 * 86_400_000;

/// A campaign's fields once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub stores: Vec<i64>,
    pub title: String,
    pub story: String,
    pub cover_url: Option<String>,
    pub price_fen: i64,
    pub min_households: i64,
    pub max_units: Option<i64>,
    pub per_household_limit: i64,
    pub deadline_ms: Millis,
    pub pickup_date: String,
}

fn clean(s: &str) -> String {
    s.trim().chars().filter(|c| !c.is_control() || *c == '\n').collect()
}

/// Checks what the owner typed against the product's usual price and the clock.
pub fn check_campaign(new: &NewGroupBuy, product_name: &str, normal_price_fen: i64, now: Millis) -> Result<Checked, AppError> {
    let stores = new.stores();
    if stores.is_empty() {
        return Err(AppError::field(ErrorCode::StoresRequired, "stores"));
    }
    let title = match new.title.as_deref().map(clean).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => format!("{product_name}·团购"),
    };
    let story = new.story.as_deref().map(clean).unwrap_or_default();
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::field(ErrorCode::TitleRequired, "title"));
    }
    if story.chars().count() > MAX_STORY_CHARS {
        return Err(AppError::field(ErrorCode::TitleRequired, "story"));
    }
    let cover_url = new.cover_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
    if cover_url.as_deref().is_some_and(|u| !crate::shared::url::is_own_media(u)) {
        return Err(AppError::field(ErrorCode::BadRequest, "cover_url"));
    }
    if new.price_fen <= 0 || new.price_fen > normal_price_fen {
        return Err(AppError::field(ErrorCode::InvalidGroupPrice, "price"));
    }
    let threshold_ok = (1..=MAX_HOUSEHOLDS).contains(&new.min_households)
        && (1..=MAX_PER_HOUSEHOLD).contains(&new.per_household_limit)
        && new.max_units.is_none_or(|m| (new.min_households..=MAX_UNITS).contains(&m));
    if !threshold_ok {
        return Err(AppError::field(ErrorCode::InvalidThreshold, "min_households"));
    }
    let deadline_ms = parse_instant(&new.deadline).ok_or_else(|| AppError::field(ErrorCode::InvalidDeadline, "deadline"))?;
    if deadline_ms < now + MIN_LEAD_MS || deadline_ms > now + MAX_RUN_DAYS * 86_400_000 {
        return Err(AppError::field(ErrorCode::InvalidDeadline, "deadline"));
    }
    let pickup_day = parse_iso_date(&new.pickup_date).ok_or_else(|| AppError::field(ErrorCode::InvalidPickupDate, "pickup_date"))?;
    if !pickup_day_fits(deadline_ms, pickup_day) {
        return Err(AppError::field(ErrorCode::InvalidPickupDate, "pickup_date"));
    }
    Ok(Checked {
        stores,
        title,
        story,
        cover_url,
        price_fen: new.price_fen,
        min_households: new.min_households,
        max_units: new.max_units,
        per_household_limit: new.per_household_limit,
        deadline_ms,
        pickup_date: crate::shared::time::iso_date(pickup_day),
    })
}

/// Goods are picked up on the deadline's day (store time) or within a week after it.
pub fn pickup_day_fits(deadline_ms: Millis, pickup_day: i64) -> bool {
    let deadline_day = local_time(deadline_ms).day;
    (deadline_day..=deadline_day + MAX_PICKUP_DAYS_AFTER).contains(&pickup_day)
}

/// A new, later deadline: once, while open, at most a week later, still before pickup.
pub fn check_extension(old_ms: Millis, new_ms: Millis, pickup_date: &str, now: Millis) -> Result<(), AppError> {
    let pickup_day = parse_iso_date(pickup_date).unwrap_or(i64::MIN);
    if new_ms <= old_ms || new_ms < now + MIN_LEAD_MS || new_ms > old_ms + MAX_EXTENSION_MS || local_time(new_ms).day > pickup_day {
        return Err(AppError::field(ErrorCode::InvalidDeadline, "deadline"));
    }
    Ok(())
}

/// How many one join may ask for: 1 or more, and at most what the household may still have.
pub fn check_join_qty(qty: i64, held: i64, limit: i64) -> Result<(), AppError> {
    if !(1..=MAX_PER_HOUSEHOLD).contains(&qty) {
        return Err(AppError::field(ErrorCode::InvalidQuantity, "qty"));
    }
    if held + qty > limit {
        return Err(AppError::field(ErrorCode::LimitExceeded, "qty").with_details(serde_json::json!({ "limit": limit, "held": held })));
    }
    Ok(())
}

/// Whether residents may join or leave at `now`.
pub fn is_joinable(status: GroupBuyStatus, deadline_ms: Millis, now: Millis) -> bool {
    status == GroupBuyStatus::Open && now < deadline_ms
}

/// The outcome at the deadline: enough households, or not. Counted in households (one resident
/// account each), never in units: 50 families, not one family buying 50.
pub fn outcome(households: i64, min_households: i64) -> GroupBuyStatus {
    if households >= min_households {
        GroupBuyStatus::Succeeded
    } else {
        GroupBuyStatus::Failed
    }
}

/// The progress bar, 0–100: households against the threshold.
pub fn percent(households: i64, min_households: i64) -> i64 {
    if min_households <= 0 {
        return 100;
    }
    (households * 100 / min_households).clamp(0, 100)
}

/// Time left as (days, hours, minutes, seconds); zeros once past.
pub fn time_left(deadline_ms: Millis, now: Millis) -> (i64, i64, i64, i64) {
    let s = ((deadline_ms - now) / 1000).max(0);
    (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60)
}

/// "还差12户成团" / "已满50户" for the join page.
pub fn households_missing(households: i64, min_households: i64) -> i64 {
    (min_households - households).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_795_000_000_000; // 2026-11-18

    fn new() -> NewGroupBuy {
        NewGroupBuy {
            store_id: Some(1),
            product_id: 7,
            price_fen: 3990,
            min_households: 50,
            max_units: Some(200),
            per_household_limit: 3,
            deadline: crate::shared::time::local_input(NOW + 2 * 86_400_000),
            pickup_date: crate::shared::time::iso_date(local_time(NOW).day + 3),
            ..NewGroupBuy::default()
        }
    }

    #[test]
    fn a_sound_campaign_is_accepted_with_a_default_title() {
        let c = check_campaign(&new(), "赣南脐橙", 5990, NOW).expect("ok");
        assert_eq!(c.title, "赣南脐橙·团购");
        assert_eq!(c.stores, vec![1]);
        assert_eq!(c.max_units, Some(200));
    }

    #[test]
    fn bad_campaigns_are_refused_with_the_field_to_fix() {
        let cases: Vec<(NewGroupBuy, ErrorCode)> = vec![
            (NewGroupBuy { store_id: None, ..new() }, ErrorCode::StoresRequired),
            (NewGroupBuy { price_fen: 0, ..new() }, ErrorCode::InvalidGroupPrice),
            (NewGroupBuy { price_fen: 6000, ..new() }, ErrorCode::InvalidGroupPrice),
            (NewGroupBuy { min_households: 0, ..new() }, ErrorCode::InvalidThreshold),
            (NewGroupBuy { max_units: Some(49), ..new() }, ErrorCode::InvalidThreshold),
            (NewGroupBuy { per_household_limit: 100, ..new() }, ErrorCode::InvalidThreshold),
            (NewGroupBuy { deadline: "yesterday".into(), ..new() }, ErrorCode::InvalidDeadline),
            (NewGroupBuy { deadline: crate::shared::time::local_input(NOW - 60_000), ..new() }, ErrorCode::InvalidDeadline),
            (NewGroupBuy { deadline: crate::shared::time::local_input(NOW + 61 * 86_400_000), ..new() }, ErrorCode::InvalidDeadline),
            (NewGroupBuy { pickup_date: crate::shared::time::iso_date(local_time(NOW).day), ..new() }, ErrorCode::InvalidPickupDate),
            (NewGroupBuy { pickup_date: crate::shared::time::iso_date(local_time(NOW).day + 10), ..new() }, ErrorCode::InvalidPickupDate),
            (NewGroupBuy { title: Some("很".repeat(31)), ..new() }, ErrorCode::TitleRequired),
            (NewGroupBuy { cover_url: Some("https://evil.example/x.png".into()), ..new() }, ErrorCode::BadRequest),
            (NewGroupBuy { cover_url: Some("/lang/en?next=/".into()), ..new() }, ErrorCode::BadRequest),
            (NewGroupBuy { cover_url: Some("/media/12/../../api".into()), ..new() }, ErrorCode::BadRequest),
            (NewGroupBuy { cover_url: Some("//evil.example/x.png".into()), ..new() }, ErrorCode::BadRequest),
        ];
        for (n, code) in cases {
            assert_eq!(check_campaign(&n, "橙", 5990, NOW).map_err(|e| e.code), Err(code), "{n:?}");
        }
        assert!(check_campaign(&NewGroupBuy { cover_url: Some("/media/42".into()), ..new() }, "橙", 5990, NOW).is_ok());
    }

    #[test]
    fn a_household_may_hold_up_to_its_limit_across_joins() {
        assert!(check_join_qty(2, 0, 3).is_ok());
        assert!(check_join_qty(1, 2, 3).is_ok());
        assert_eq!(check_join_qty(2, 2, 3).map_err(|e| e.code), Err(ErrorCode::LimitExceeded));
        assert_eq!(check_join_qty(0, 0, 3).map_err(|e| e.code), Err(ErrorCode::InvalidQuantity));
    }

    #[test]
    fn the_outcome_counts_households_not_units() {
        assert_eq!(outcome(50, 50), GroupBuyStatus::Succeeded);
        assert_eq!(outcome(49, 50), GroupBuyStatus::Failed);
        assert_eq!(percent(38, 50), 76);
        assert_eq!(percent(80, 50), 100);
        assert_eq!(households_missing(38, 50), 12);
    }

    #[test]
    fn joining_closes_at_the_deadline() {
        assert!(is_joinable(GroupBuyStatus::Open, NOW + 1, NOW));
        assert!(!is_joinable(GroupBuyStatus::Open, NOW, NOW));
        assert!(!is_joinable(GroupBuyStatus::Draft, NOW + 1, NOW));
        assert_eq!(time_left(NOW + 90_061_000, NOW), (1, 1, 1, 1));
        assert_eq!(time_left(NOW - 5, NOW), (0, 0, 0, 0));
    }

    #[test]
    fn an_extension_is_later_within_a_week_and_before_pickup() {
        let pickup = crate::shared::time::iso_date(local_time(NOW).day + 5);
        let old = NOW + 86_400_000;
        assert!(check_extension(old, old + 86_400_000, &pickup, NOW).is_ok());
        assert!(check_extension(old, old - 1, &pickup, NOW).is_err());
        assert!(check_extension(old, old + 8 * 86_400_000, &pickup, NOW).is_err());
        assert!(check_extension(old, old + 6 * 86_400_000, &pickup, NOW).is_err(), "after pickup day");
    }

}
