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

#[cfg(test)]
mod tests {
    use super::*;

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
