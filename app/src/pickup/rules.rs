//! Pickup desk rules: what a typed code is, when guessing is stopped.
use crate::shared::{AppError, ErrorCode};

/// Wrong codes one person may try in the throttle window before the desk stops them. A desk
/// mistypes a few times a day; ten in a quarter of an hour is someone trying codes. Counted
/// per staff account, not per address: every device at a desk may share one.
pub const MAX_WRONG_CODES: i64 = 10;
/// The window wrong codes are counted in.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// How long a handed-over code is recognised when typed again (已取货, not a wrong guess).
pub const COLLECTED_MEMORY_MS: i64 = 24 * 60 * 60 * 1000;
/// How long a checked code proves the person at the desk for its hand-over.
pub const PROOF_VALID_MS: i64 = 15 * 60 * 1000;

/// A code as typed or scanned: spaces and dashes dropped ("38 27 41" reads as on the
/// resident's screen), full-width digits from a Chinese keyboard read as digits, then
/// exactly six digits.
pub fn parse_code(raw: &str) -> Result<String, AppError> {
    let code = crate::shared::digits::ascii_digits(raw);
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(AppError::field(ErrorCode::InvalidPickupCode, "code"))
    }
}

/// The last four digits of a phone number, as a resident says them at the desk (尾号).
pub fn parse_phone_tail(raw: &str) -> Result<String, AppError> {
    let t = crate::shared::digits::ascii_digits(raw);
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t)
    } else {
        Err(AppError::field(ErrorCode::InvalidPhoneTail, "phone_tail"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_shown_on_the_phone() {
        assert_eq!(parse_code("382741").ok().as_deref(), Some("382741"));
        assert_eq!(parse_code(" 38 27 41 ").ok().as_deref(), Some("382741"));
        assert_eq!(parse_code("38-27-41").ok().as_deref(), Some("382741"));
        assert_eq!(parse_code("３８２７４１").ok().as_deref(), Some("382741"), "full-width digits from a Chinese keyboard");
        for bad in ["", "38274", "3827411", "38274a", "三八二七四一"] {
            assert!(parse_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_phone_tail_is_four_digits() {
        assert!(parse_phone_tail("0003").is_ok());
        assert!(parse_phone_tail(" 1234 ").is_ok());
        assert_eq!(parse_phone_tail("０００３").ok().as_deref(), Some("0003"));
        for bad in ["", "123", "12345", "12a4"] {
            assert!(parse_phone_tail(bad).is_err(), "{bad}");
        }
    }
}
