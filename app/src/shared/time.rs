//! Times are stored as unix milliseconds (portable across SQLite and PostgreSQL).

/// Unix time in milliseconds.
pub type Millis = i64;

#[cfg(feature = "ssr")]
pub fn now_ms() -> Millis {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// RFC 3339 in UTC, the API's time format.
#[cfg(feature = "ssr")]
pub fn rfc3339(ms: Millis) -> String {
    let t = ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(::time::OffsetDateTime::UNIX_EPOCH);
    t.format(&::time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Parses "HH:MM" opening hours into minutes after midnight.
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Stores keep China Standard Time: UTC+8 all year (no daylight saving).
pub const STORE_UTC_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// A store-local calendar day and minute of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    /// Days since 1970-01-01 (store local).
    pub day: i64,
    pub minute: u16,
}

pub fn local_time(ms: Millis) -> LocalTime {
    let local = ms + STORE_UTC_OFFSET_MS;
    LocalTime { day: local.div_euclid(86_400_000), minute: (local.rem_euclid(86_400_000) / 60_000) as u16 }
}

/// "2026-11-22" for a day number (the proleptic Gregorian calendar, H. Hinnant's algorithm).
pub fn iso_date(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day number of "2026-11-22"; `None` for anything else.
pub fn parse_iso_date(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?);
    if s.trim().len() != 10 || !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let day = era * 146_097 + doe - 719_468;
    // Reject 2026-02-30 and the like: the round trip must give the same text.
    (iso_date(day) == s.trim()).then_some(day)
}

/// "HH:MM" from minutes after midnight.
pub fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The weekday of a day number, 0 = Monday.
pub fn weekday(day: i64) -> u8 {
    // 1970-01-01 was a Thursday.
    ((day + 3).rem_euclid(7)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_local_days_and_dates() {
        // 2026-11-22 15:30 UTC is 23:30 in Hangzhou; 16:30 UTC is already the 23rd there.
        let t = local_time(1_795_361_400_000);
        assert_eq!((iso_date(t.day), hhmm(t.minute)), ("2026-11-22".to_string(), "23:30".to_string()));
        let t = local_time(1_795_365_000_000);
        assert_eq!((iso_date(t.day), hhmm(t.minute)), ("2026-11-23".to_string(), "00:30".to_string()));
        for s in ["1970-01-01", "2024-02-29", "2026-11-22", "2027-01-01"] {
            assert_eq!(parse_iso_date(s).map(iso_date).as_deref(), Some(s));
        }
        for bad in ["2026-02-30", "2026-13-01", "26-11-22", "2026-1-2", "", "2026-11-22x"] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
        assert_eq!(weekday(parse_iso_date("2026-11-22").unwrap_or_default()), 6);
    }

    #[test]
    fn parses_opening_hours() {
        assert_eq!(parse_hhmm("07:30"), Some(450));
        assert_eq!(parse_hhmm("22:00"), Some(1320));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("7"), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
