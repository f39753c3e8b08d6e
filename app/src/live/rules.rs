//! What a live session may be: checks on what the host typed, who may host, and a resident's
//! order quantity. Pure, so the browser has them too.
use super::model::{NewLiveItem, NewLiveSession};
use crate::accounts::model::Role;
use crate::shared::time::{parse_instant, Millis};
use crate::shared::{AppError, ErrorCode, FieldChecks};

/// Who may schedule, go live, pin and end at their store (the owner everywhere).
pub const HOST_ROLES: &[Role] = &[Role::Manager];
pub const MAX_TITLE_CHARS: usize = 30;
pub const MAX_LINEUP: usize = 30;
pub const MAX_ALLOT: i64 = 10_000;
pub const MAX_PER_USER: i64 = 99;
/// A session is scheduled at most this far ahead.
pub const MAX_AHEAD_DAYS: i64 = 60;
/// A start this little in the past still counts as now (a form filled in a minute ago).
pub const START_GRACE_MS: Millis = 5 * 60_000;

/// A session as checked: clean text and the start as an instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub title: String,
    pub starts_at_ms: Millis,
    pub stream_url: Option<String>,
    pub cover_url: Option<String>,
}

fn clean(s: &str) -> String {
    s.trim().chars().filter(|c| !c.is_control()).collect()
}

/// Checks the session's own fields and the shape of its line-up (prices against the shelf
/// come after, in `check_item`). Every problem is reported at once.
pub fn check_session(new: &NewLiveSession, now: Millis) -> Result<Checked, AppError> {
    let mut checks = FieldChecks::default();
    let title = clean(&new.title);
    need(&mut checks, !title.is_empty() && title.chars().count() <= MAX_TITLE_CHARS, ErrorCode::LiveTitleRequired, "title");
    let starts_at_ms = parse_instant(&new.starts_at).filter(|t| *t >= now - START_GRACE_MS && *t <= now + MAX_AHEAD_DAYS * 86_400_000);
    need(&mut checks, starts_at_ms.is_some(), ErrorCode::InvalidLiveStart, "starts_at");
    let stream_url = new.stream_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
    need(&mut checks, stream_url.as_deref().is_none_or(valid_stream_url), ErrorCode::InvalidStreamUrl, "stream_url");
    let cover_url = new.cover_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
    need(&mut checks, cover_url.as_deref().is_none_or(crate::shared::url::is_own_media), ErrorCode::BadRequest, "cover_url");
    let mut ids: Vec<i64> = new.items.iter().map(|i| i.product_id).collect();
    ids.sort_unstable();
    ids.dedup();
    need(&mut checks, !new.items.is_empty() && new.items.len() <= MAX_LINEUP && ids.len() == new.items.len(), ErrorCode::LiveLineupRequired, "items");
    need(&mut checks, new.items.iter().all(|i| (1..=MAX_ALLOT).contains(&i.stock) && (1..=MAX_PER_USER).contains(&i.per_user_limit)), ErrorCode::InvalidLiveStock, "stock");
    checks.finish()?;
    Ok(Checked { title, starts_at_ms: starts_at_ms.unwrap_or_default(), stream_url, cover_url })
}

fn need(checks: &mut FieldChecks, ok: bool, code: ErrorCode, field: &str) {
    if !ok {
        checks.refuse(AppError::field(code, field));
    }
}

/// An HLS address a phone can play from anywhere: https, no spaces, a sane length.
fn valid_stream_url(u: &str) -> bool {
    u.len() <= 500 && u.starts_with("https://") && u.len() > "https://".len() && !u.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A line's live price is above zero and no higher than the shelf's usual price.
pub fn check_item(item: &NewLiveItem, usual_price_fen: i64) -> Result<(), AppError> {
    if item.live_price_fen <= 0 || item.live_price_fen > usual_price_fen {
        return Err(AppError::field(ErrorCode::InvalidLivePrice, "live_price")
            .with_details(serde_json::json!({ "product_id": item.product_id, "usual_price_fen": usual_price_fen })));
    }
    Ok(())
}

/// A resident's 抢购 quantity: at least one, and within the line's limit with what they
/// already bought in this session.
pub fn check_qty(qty: i64, bought: i64, limit: i64) -> Result<(), AppError> {
    if qty < 1 || qty > MAX_PER_USER {
        return Err(AppError::field(ErrorCode::InvalidQuantity, "qty"));
    }
    if bought + qty > limit {
        return Err(AppError::field(ErrorCode::LimitExceeded, "qty").with_details(serde_json::json!({ "limit": limit, "bought": bought })));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::model::{NewLiveItem, NewLiveSession};

    const NOW: Millis = 1_795_000_000_000;

    fn session() -> NewLiveSession {
        NewLiveSession {
            store_id: 1,
            title: " 果园直击 ".into(),
            starts_at: crate::shared::time::rfc3339(NOW + 3_600_000),
            stream_url: None,
            cover_url: None,
            items: vec![NewLiveItem { product_id: 7, live_price_fen: 990, stock: 50, per_user_limit: 2 }],
        }
    }

    #[test]
    fn a_good_session_passes_with_its_title_trimmed() {
        let c = check_session(&session(), NOW).expect("valid");
        assert_eq!(c.title, "果园直击");
        assert_eq!(c.starts_at_ms, NOW + 3_600_000);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut s = session();
        s.title = "  ".into();
        s.starts_at = crate::shared::time::rfc3339(NOW - 86_400_000);
        s.stream_url = Some("rtmp://camera/live".into());
        s.items = vec![];
        let e = check_session(&s, NOW).expect_err("refused");
        let fields = e.details.as_ref().and_then(|d| d.get("fields")).expect("every field").to_string();
        for f in ["title", "starts_at", "stream_url", "items"] {
            assert!(fields.contains(f), "{f} in {fields}");
        }
    }

    #[test]
    fn a_line_up_repeats_no_product_and_sets_aside_sane_amounts() {
        let mut s = session();
        s.items.push(s.items[0].clone());
        assert_eq!(check_session(&s, NOW).unwrap_err().code, ErrorCode::LiveLineupRequired);
        let mut s = session();
        s.items[0].stock = 0;
        assert_eq!(check_session(&s, NOW).unwrap_err().code, ErrorCode::InvalidLiveStock);
        s.items[0].stock = 5;
        s.items[0].per_user_limit = 100;
        assert_eq!(check_session(&s, NOW).unwrap_err().code, ErrorCode::InvalidLiveStock);
    }

    #[test]
    fn a_live_price_is_above_zero_and_not_above_the_usual_one() {
        let item = |p| NewLiveItem { product_id: 1, live_price_fen: p, stock: 1, per_user_limit: 1 };
        assert!(check_item(&item(990), 1290).is_ok());
        assert!(check_item(&item(1290), 1290).is_ok());
        assert_eq!(check_item(&item(0), 1290).unwrap_err().code, ErrorCode::InvalidLivePrice);
        assert_eq!(check_item(&item(1291), 1290).unwrap_err().code, ErrorCode::InvalidLivePrice);
    }

    #[test]
    fn the_limit_counts_what_was_already_bought() {
        assert!(check_qty(2, 0, 2).is_ok());
        assert_eq!(check_qty(1, 2, 2).unwrap_err().code, ErrorCode::LimitExceeded);
        assert_eq!(check_qty(0, 0, 2).unwrap_err().code, ErrorCode::InvalidQuantity);
    }
}
