//! What the group accepts: names, posts, comments, polls, votes, reasons and mutes. Pure, so
//! the browser has them too.
use super::model::{JoinRequest, NewPoll};
use crate::accounts::model::Role;
use crate::shared::time::{parse_instant, Millis};
use crate::shared::{AppError, ErrorCode, FieldChecks};

/// Who moderates and posts for the store (the owner everywhere; staff a manager allowed too).
pub const MODERATOR_ROLES: &[Role] = &[Role::Manager];
pub const MAX_NAME_CHARS: usize = 10;
pub const MAX_ESTATE_CHARS: usize = 15;
pub const MAX_POST_CHARS: usize = 500;
pub const MAX_COMMENT_CHARS: usize = 200;
pub const MAX_PHOTOS: usize = 6;
pub const MAX_REASON_CHARS: usize = 60;
/// A member posts at most once a minute and comments at most once every 5 seconds: enough
/// for a conversation, too slow for a flood.
pub const POST_GAP_MS: Millis = 60_000;
pub const COMMENT_GAP_MS: Millis = 5_000;
pub const MIN_POLL_OPTIONS: usize = 2;
pub const MAX_POLL_OPTIONS: usize = 10;
pub const MAX_OPTION_CHARS: usize = 20;
pub const MAX_QUESTION_CHARS: usize = 60;
pub const MIN_POLL_MS: Millis = 3_600_000;
pub const MAX_POLL_MS: Millis = 30 * 86_400_000;
pub const MAX_MUTE_MINUTES: i64 = 30 * 24 * 60;
/// Posts per feed page: a phone screen or three.
pub const PAGE: i64 = 20;

/// Trimmed, without control characters (a line break is kept where text may have several
/// lines, and runs of blank lines are cut to one).
fn clean(s: &str, lines: bool) -> String {
    let kept: String = s.trim().chars().filter(|c| !c.is_control() || (lines && *c == '\n')).collect();
    if !lines {
        return kept;
    }
    let mut out = String::with_capacity(kept.len());
    let mut blank = 0;
    for line in kept.split('\n').map(str::trim_end) {
        blank = if line.is_empty() { blank + 1 } else { 0 };
        if blank <= 1 {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line);
        }
    }
    out.trim().to_string()
}

fn within(s: &str, max: usize) -> bool {
    !s.is_empty() && s.chars().count() <= max
}

/// The name and 小区 a member shows: 王阿姨 and 嘉绿苑, each checked under its own field.
pub fn check_join(req: &JoinRequest) -> Result<(String, String), AppError> {
    let mut checks = FieldChecks::default();
    let name = clean(&req.display_name, false);
    let estate = clean(&req.estate, false);
    if !within(&name, MAX_NAME_CHARS) {
        checks.refuse(AppError::field(ErrorCode::InvalidDisplayName, "display_name"));
    }
    if !within(&estate, MAX_ESTATE_CHARS) {
        checks.refuse(AppError::field(ErrorCode::InvalidEstate, "estate"));
    }
    checks.finish()?;
    Ok((name, estate))
}

/// 王阿姨(嘉绿苑).
pub fn label(display_name: &str, estate: &str) -> String {
    format!("{display_name}({estate})")
}

/// A post's text: 1–500 characters, several lines allowed.
pub fn check_post(body: &str) -> Result<String, AppError> {
    let body = clean(body, true);
    if within(&body, MAX_POST_CHARS) {
        Ok(body)
    } else {
        Err(AppError::field(ErrorCode::InvalidPost, "body"))
    }
}

pub fn check_comment(body: &str) -> Result<String, AppError> {
    let body = clean(body, false);
    if within(&body, MAX_COMMENT_CHARS) {
        Ok(body)
    } else {
        Err(AppError::field(ErrorCode::InvalidGroupComment, "body"))
    }
}

/// Why the store hid something, or why a member reports it: 1–60 characters.
pub fn check_reason(reason: &str) -> Result<String, AppError> {
    let reason = clean(reason, false);
    if within(&reason, MAX_REASON_CHARS) {
        Ok(reason)
    } else {
        Err(AppError::field(ErrorCode::ReasonRequired, "reason"))
    }
}

pub fn check_mute_minutes(minutes: i64) -> Result<i64, AppError> {
    if (1..=MAX_MUTE_MINUTES).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(AppError::field(ErrorCode::InvalidMute, "minutes"))
    }
}

/// A poll as checked: the question, its choices (trimmed, no repeats) and when it closes.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedPoll {
    pub question: String,
    pub options: Vec<String>,
    pub multiple: bool,
    pub closes_at_ms: Millis,
}

pub fn check_poll(new: &NewPoll, now: Millis) -> Result<CheckedPoll, AppError> {
    let mut checks = FieldChecks::default();
    let question = clean(&new.question, false);
    if !within(&question, MAX_QUESTION_CHARS) {
        checks.refuse(AppError::field(ErrorCode::InvalidPoll, "question"));
    }
    let mut options: Vec<String> = Vec::new();
    let mut bad_option = false;
    for o in new.options.iter().map(|o| clean(o, false)).filter(|o| !o.is_empty()) {
        bad_option |= o.chars().count() > MAX_OPTION_CHARS;
        if !options.contains(&o) {
            options.push(o);
        }
    }
    if bad_option || !(MIN_POLL_OPTIONS..=MAX_POLL_OPTIONS).contains(&options.len()) {
        checks.refuse(AppError::field(ErrorCode::InvalidPollOptions, "options"));
    }
    let closes_at_ms = parse_instant(&new.closes_at).filter(|t| *t >= now + MIN_POLL_MS - 60_000 && *t <= now + MAX_POLL_MS);
    if closes_at_ms.is_none() {
        checks.refuse(AppError::field(ErrorCode::InvalidPollClose, "closes_at"));
    }
    checks.finish()?;
    Ok(CheckedPoll { question, options, multiple: new.multiple, closes_at_ms: closes_at_ms.unwrap_or_default() })
}

/// A ballot's choices: at least one, one only in a single-choice poll, each a choice of the
/// poll, none twice. `offered` is the poll's choices.
pub fn check_vote(option_ids: &[i64], offered: &[i64], multiple: bool) -> Result<Vec<i64>, AppError> {
    let mut ids = option_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let ok = !ids.is_empty() && ids.len() == option_ids.len() && (multiple || ids.len() == 1) && ids.iter().all(|id| offered.contains(id));
    if ok {
        Ok(ids)
    } else {
        Err(AppError::field(ErrorCode::InvalidVote, "option_ids"))
    }
}

/// A poll's results are shown to those who voted, to the store, and to everyone once closed:
/// seeing the count first would sway the vote.
pub fn shows_results(voted: bool, closed: bool, moderator: bool) -> bool {
    voted || closed || moderator
}

/// When a post or comment was written, as a group chat says it: 刚刚, 5分钟前, 3小时前,
/// 昨天 18:30, 12月5日 (store-local days).
pub fn ago_text(locale: crate::shared::Locale, at_ms: Millis, now_ms: Millis) -> String {
    use crate::shared::time::{hhmm, iso_date, local_time};
    use crate::shared::Locale;
    let secs = (now_ms - at_ms).max(0) / 1000;
    let (at, now) = (local_time(at_ms), local_time(now_ms));
    match (locale, secs) {
        (Locale::Zh, s) if s < 60 => "刚刚".into(),
        (Locale::En, s) if s < 60 => "just now".into(),
        (Locale::Zh, s) if s < 3600 => format!("{}分钟前", s / 60),
        (Locale::En, s) if s < 3600 => format!("{} min ago", s / 60),
        (Locale::Zh, s) if s < 6 * 3600 || at.day == now.day => format!("{}小时前", s / 3600),
        (Locale::En, s) if s < 6 * 3600 || at.day == now.day => format!("{} h ago", s / 3600),
        (Locale::Zh, _) if at.day + 1 == now.day => format!("昨天 {}", hhmm(at.minute)),
        (Locale::En, _) if at.day + 1 == now.day => format!("yesterday {}", hhmm(at.minute)),
        (locale, _) => {
            let d = iso_date(at.day);
            let (m, day) = (d[5..7].trim_start_matches('0').to_string(), d[8..10].trim_start_matches('0').to_string());
            match locale {
                Locale::Zh => format!("{m}月{day}日"),
                Locale::En => format!("{day}/{m}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_795_000_000_000;

    fn poll(options: &[&str], closes_in_ms: Millis) -> NewPoll {
        NewPoll {
            question: " 下次直播想看什么？ ".into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            multiple: false,
            closes_at: crate::shared::time::rfc3339(NOW + closes_in_ms),
        }
    }

    #[test]
    fn a_member_is_shown_by_name_and_estate() {
        let (name, estate) = check_join(&JoinRequest { display_name: " 王阿姨 ".into(), estate: "嘉绿苑\u{7}".into() }).expect("valid");
        assert_eq!(label(&name, &estate), "王阿姨(嘉绿苑)");
        let e = check_join(&JoinRequest { display_name: "".into(), estate: "嘉".repeat(16) }).expect_err("refused");
        let fields = e.details.as_ref().map(|d| d.to_string()).unwrap_or_default();
        assert!(fields.contains("display_name") && fields.contains("estate"), "{fields}");
    }

    #[test]
    fn a_post_keeps_its_lines_but_not_runs_of_blank_ones() {
        assert_eq!(check_post("  今天的草莓很甜\n\n\n\n明天还来 \r\n").unwrap(), "今天的草莓很甜\n\n明天还来");
        assert_eq!(check_post("<script>alert(1)</script>").unwrap(), "<script>alert(1)</script>", "kept as text, shown as text");
        assert_eq!(check_post(" \n ").unwrap_err().code, ErrorCode::InvalidPost);
        assert!(check_post(&"好".repeat(500)).is_ok());
        assert_eq!(check_post(&"好".repeat(501)).unwrap_err().code, ErrorCode::InvalidPost);
        assert_eq!(check_comment("a\nb").unwrap(), "ab", "a comment is one line");
        assert_eq!(check_comment(&"好".repeat(201)).unwrap_err().code, ErrorCode::InvalidGroupComment);
    }

    #[test]
    fn a_poll_has_two_to_ten_distinct_choices_and_closes_within_a_month() {
        let p = check_poll(&poll(&["草莓", " 车厘子 ", "草莓", ""], 86_400_000), NOW).expect("valid");
        assert_eq!(p.question, "下次直播想看什么？");
        assert_eq!(p.options, vec!["草莓", "车厘子"]);
        assert_eq!(check_poll(&poll(&["草莓", "草莓"], 86_400_000), NOW).unwrap_err().code, ErrorCode::InvalidPollOptions);
        let eleven: Vec<String> = (0..11).map(|i| format!("选项{i}")).collect();
        let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
        assert_eq!(check_poll(&poll(&eleven, 86_400_000), NOW).unwrap_err().code, ErrorCode::InvalidPollOptions);
        assert_eq!(check_poll(&poll(&["a", "b"], 60_000), NOW).unwrap_err().code, ErrorCode::InvalidPollClose);
        assert_eq!(check_poll(&poll(&["a", "b"], 31 * 86_400_000), NOW).unwrap_err().code, ErrorCode::InvalidPollClose);
    }

    #[test]
    fn a_ballot_names_offered_choices_once_and_one_only_when_single() {
        assert_eq!(check_vote(&[3], &[3, 4], false).unwrap(), vec![3]);
        assert_eq!(check_vote(&[4, 3], &[3, 4], true).unwrap(), vec![3, 4]);
        assert_eq!(check_vote(&[3, 4], &[3, 4], false).unwrap_err().code, ErrorCode::InvalidVote);
        assert_eq!(check_vote(&[], &[3, 4], true).unwrap_err().code, ErrorCode::InvalidVote);
        assert_eq!(check_vote(&[5], &[3, 4], true).unwrap_err().code, ErrorCode::InvalidVote);
        assert_eq!(check_vote(&[3, 3], &[3, 4], true).unwrap_err().code, ErrorCode::InvalidVote);
    }

    #[test]
    fn results_wait_for_a_vote_or_the_close() {
        assert!(!shows_results(false, false, false));
        assert!(shows_results(true, false, false));
        assert!(shows_results(false, true, false));
        assert!(shows_results(false, false, true));
    }

    #[test]
    fn times_read_like_a_group_chat() {
        use crate::shared::Locale::Zh;
        // NOW is 2026-11-18 19:06 store time.
        assert_eq!(ago_text(Zh, NOW - 30_000, NOW), "刚刚");
        assert_eq!(ago_text(Zh, NOW - 5 * 60_000, NOW), "5分钟前");
        assert_eq!(ago_text(Zh, NOW - 3 * 3_600_000, NOW), "3小时前");
        assert_eq!(ago_text(Zh, NOW - 26 * 3_600_000, NOW), "昨天 17:06");
        assert_eq!(ago_text(Zh, NOW - 5 * 86_400_000, NOW), "11月13日");
    }

    #[test]
    fn reasons_and_mutes_are_bounded() {
        assert_eq!(check_reason(" 广告 ").unwrap(), "广告");
        assert_eq!(check_reason("").unwrap_err().code, ErrorCode::ReasonRequired);
        assert_eq!(check_mute_minutes(0).unwrap_err().code, ErrorCode::InvalidMute);
        assert!(check_mute_minutes(MAX_MUTE_MINUTES).is_ok());
    }
}
