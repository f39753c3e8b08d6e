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

/// The schedule form's fields as a request: the ticked rows of the line-up in the form's
/// order, prices in yuan. A row that does not parse is refused under its own field.
pub fn session_from_form<'a>(
    store_id: i64,
    title: &str,
    starts_at: &str,
    stream_url: Option<&str>,
    rows: impl Iterator<Item = &'a super::model::LineForm>,
) -> Result<NewLiveSession, AppError> {
    let mut items = Vec::new();
    for l in rows.filter(|l| l.on.is_some()) {
        let product_id = l.product_id.trim().parse::<i64>().map_err(|_| AppError::field(ErrorCode::LiveLineupRequired, "items"))?;
        let live_price_fen = crate::shared::Fen::parse_yuan(&l.price)
            .map_err(|_| AppError::field(ErrorCode::InvalidLivePrice, "live_price").with_details(serde_json::json!({ "product_id": product_id })))?
            .0;
        let int = |v: &str| v.trim().parse::<i64>().map_err(|_| AppError::field(ErrorCode::InvalidLiveStock, "stock").with_details(serde_json::json!({ "product_id": product_id })));
        items.push(NewLiveItem { product_id, live_price_fen, stock: int(&l.stock)?, per_user_limit: int(&l.limit)? });
    }
    Ok(NewLiveSession {
        store_id,
        title: title.to_string(),
        starts_at: starts_at.to_string(),
        stream_url: stream_url.map(str::to_string),
        cover_url: None,
        items,
    })
}

pub const MAX_COMMENT_CHARS: usize = 60;
/// However calm the room, one viewer comments at most once per this many seconds.
pub const COMMENT_FLOOR_SECS: i64 = 3;
pub const MAX_SLOW_SECS: i64 = 300;
pub const MAX_BANNED_WORDS: usize = 200;
pub const MAX_BANNED_WORD_CHARS: usize = 20;

/// A comment as it will be stored: trimmed, control characters out, 1 to 60 characters.
pub fn check_comment(text: &str) -> Result<String, AppError> {
    let text = clean(text);
    if text.is_empty() || text.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::field(ErrorCode::InvalidComment, "text"));
    }
    Ok(text)
}

/// How long a viewer waits between comments: slow mode's seconds, or the floor.
pub fn comment_gap_ms(slow_mode_secs: i64) -> Millis {
    slow_mode_secs.max(COMMENT_FLOOR_SECS) * 1000
}

pub fn check_slow_mode(seconds: i64) -> Result<i64, AppError> {
    if (0..=MAX_SLOW_SECS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(AppError::field(ErrorCode::InvalidSlowMode, "seconds"))
    }
}

/// Text as banned words are matched: lower case, without spaces and the marks people put
/// between characters to slip a word past a filter (微 信 → 微信, w.x → wx).
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !"，。、！？·…—～“”‘’《》【】（）".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The banned word the comment contains, if any (`words` already folded).
pub fn banned_in<'a>(text: &str, words: &'a [String]) -> Option<&'a str> {
    let folded = fold(text);
    words.iter().map(String::as_str).find(|w| !w.is_empty() && folded.contains(w))
}

/// A store's list as the host typed it (one per line or separated by commas): folded,
/// without repeats; at most 200 words of 1 to 20 characters.
pub fn check_banned_words(words: &[String]) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = Vec::new();
    for w in words.iter().flat_map(|w| w.split([',', '，', '\n', '、'])) {
        let f = fold(w);
        if f.is_empty() {
            continue;
        }
        if f.chars().count() > MAX_BANNED_WORD_CHARS {
            return Err(AppError::field(ErrorCode::InvalidBannedWords, "words"));
        }
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.len() > MAX_BANNED_WORDS {
        return Err(AppError::field(ErrorCode::InvalidBannedWords, "words"));
    }
    Ok(out)
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

    #[test]
    fn a_comment_is_one_to_sixty_characters_of_plain_text() {
        assert_eq!(check_comment("  今天的草莓甜吗？ ").unwrap(), "今天的草莓甜吗？");
        assert_eq!(check_comment("<b>hi</b>\u{0007}").unwrap(), "<b>hi</b>");
        assert_eq!(check_comment(" \n ").unwrap_err().code, ErrorCode::InvalidComment);
        assert!(check_comment(&"好".repeat(60)).is_ok());
        assert_eq!(check_comment(&"好".repeat(61)).unwrap_err().code, ErrorCode::InvalidComment);
    }

    #[test]
    fn banned_words_match_through_spaces_marks_and_case() {
        let words = check_banned_words(&["微信, 加V".into(), "QQ群\n".into(), " ".into()]).unwrap();
        assert_eq!(words, vec!["微信", "加v", "qq群"]);
        assert_eq!(banned_in("加我 微 信 聊", &words), Some("微信"));
        assert_eq!(banned_in("加 v 看看", &words), Some("加v"));
        assert_eq!(banned_in("q.q群号多少", &words), Some("qq群"));
        assert_eq!(banned_in("草莓几点到？", &words), None);
        assert!(check_banned_words(&["太长".repeat(11)]).is_err());
        assert!(check_banned_words(&(0..201).map(|i| format!("词{i}")).collect::<Vec<_>>()).is_err());
    }

    #[test]
    fn slow_mode_is_zero_to_five_minutes_and_never_below_the_floor() {
        assert_eq!(check_slow_mode(0).unwrap(), 0);
        assert!(check_slow_mode(300).is_ok());
        assert_eq!(check_slow_mode(301).unwrap_err().code, ErrorCode::InvalidSlowMode);
        assert_eq!(check_slow_mode(-1).unwrap_err().code, ErrorCode::InvalidSlowMode);
        assert_eq!(comment_gap_ms(0), 3000);
        assert_eq!(comment_gap_ms(30), 30_000);
    }
}
