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

/// A number to read out (订单号, 小票号): the store-local date and the id, e.g. 26112200042.
pub fn day_serial(day: i64, id: i64) -> String {
    let d = iso_date(day);
    format!("{}{}{}{id:05}", &d[2..4], &d[5..7], &d[8..10])
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

/// An instant from the API ("2026-11-25T12:00:00Z", "…+08:00") or from a form's
/// `datetime-local` field ("2026-11-25T20:00", read as store-local time).
pub fn parse_instant(s: &str) -> Option<Millis> {
    let s = s.trim();
    let (date, rest) = s.split_once(['T', ' '])?;
    let day = parse_iso_date(date)?;
    // The clock part ends where a zone begins: Z, +hh:mm or -hh:mm.
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let mut parts = clock.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let sec: f64 = parts.next().map_or(Some(0.0), |x| x.parse().ok())?;
    if parts.next().is_some() || !(0..24).contains(&h) || !(0..60).contains(&m) || !(0.0..60.0).contains(&sec) || clock.len() < 5 {
        return None;
    }
    let offset_ms = match zone {
        "" => STORE_UTC_OFFSET_MS,
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (oh, om) = z[1..].split_once(':')?;
            let (oh, om): (i64, i64) = (oh.parse().ok()?, om.parse().ok()?);
            if oh > 14 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60) * 1000
        }
    };
    #[expect(clippy::cast_possible_truncation, reason = "whole milliseconds of a value below 60 s")]
    let sec_ms = (sec * 1000.0) as i64;
    Some(day * 86_400_000 + (h * 3600 + m * 60) * 1000 + sec_ms - offset_ms)
}

/// "2026-11-25T20:00" in store-local time: the value a `datetime-local` field shows.
pub fn local_input(ms: Millis) -> String {
    let t = local_time(ms);
    format!("{}T{}", iso_date(t.day), hhmm(t.minute))
}

/// "2026-11-22T12:00:00Z" → "11-22 20:00" in store time, as pages show times; the text as it
/// is when it is not a time.
pub fn local_clock(rfc3339: &str) -> String {
    match parse_instant(rfc3339) {
        Some(ms) => {
            let t = local_time(ms);
            format!("{} {}", &iso_date(t.day)[5..], hhmm(t.minute))
        }
        None => rfc3339.to_string(),
    }
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

#[cfg(test)]
mod instant_tests {
    use super::*;

    #[test]
    fn instants_read_zones_and_local_form_values_alike() {
        let utc = parse_instant("2026-11-25T12:00:00Z").expect("utc");
        assert_eq!(parse_instant("2026-11-25T20:00:00+08:00"), Some(utc));
        assert_eq!(parse_instant("2026-11-25T20:00"), Some(utc), "a form value is Beijing time");
        assert_eq!(parse_instant("2026-11-25T07:00:00-05:00"), Some(utc));
        assert_eq!(local_input(utc), "2026-11-25T20:00");
        for bad in ["", "2026-11-25", "2026-11-25T25:00", "2026-02-30T10:00", "2026-11-25T10:00+99:00", "tomorrow"] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }
}
