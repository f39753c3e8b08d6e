//! Digits as people type them: a Chinese keyboard in full-width mode gives ０-９, a scanner or
//! a careful clerk adds spaces and dashes between groups (38 27 41, 6812-3456-…).

/// The input with full-width digits made ASCII and the group separators people type
/// (spaces, the ideographic space, dashes) dropped; anything else is kept, so a caller's own
/// check still refuses letters.
pub fn ascii_digits(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－'))
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_separators_read_as_plain_digits() {
        assert_eq!(ascii_digits("３８２７４１"), "382741");
        assert_eq!(ascii_digits(" 38 27\u{3000}41 "), "382741");
        assert_eq!(ascii_digits("6812-3456－7890"), "681234567890");
        assert_eq!(ascii_digits("38a741"), "38a741", "letters stay for the caller to refuse");
        assert_eq!(ascii_digits(""), "");
    }
}
