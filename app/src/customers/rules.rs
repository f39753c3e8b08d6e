//! How staff search for a resident at the counter.
use crate::shared::{AppError, ErrorCode};

/// What a search asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerQuery {
    /// 4 to 11 digits of the phone number: the last four, as residents say them, or more.
    Phone(String),
    /// Part of the name (王阿姨, 张).
    Name(String),
}

/// The most results a search lists: more means the search should be narrower.
pub const MAX_HITS: i64 = 20;

/// `None` for an empty search; digits must be 4 to 11 of them (spaces and dashes ignored,
/// as people type numbers); anything else is a name, at most 20 characters.
pub fn parse_query(q: &str) -> Result<Option<CustomerQuery>, AppError> {
    let q: String = q.chars().filter(|c| !c.is_control()).collect();
    let q = q.trim();
    if q.is_empty() {
        return Ok(None);
    }
    let digits: String = q.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return if (4..=11).contains(&digits.len()) {
            Ok(Some(CustomerQuery::Phone(digits)))
        } else {
            Err(AppError::field(ErrorCode::InvalidSearch, "q"))
        };
    }
    Ok(Some(CustomerQuery::Name(q.chars().take(20).collect())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_search_the_phone_and_need_at_least_four() {
        assert_eq!(parse_query(" 0003 "), Ok(Some(CustomerQuery::Phone("0003".into()))));
        assert_eq!(parse_query("138-0000 0003"), Ok(Some(CustomerQuery::Phone("13800000003".into()))));
        for bad in ["123", "123456789012"] {
            assert_eq!(parse_query(bad).map_err(|e| e.code), Err(ErrorCode::InvalidSearch), "{bad}");
        }
    }

    #[test]
    fn anything_else_is_part_of_a_name() {
        assert_eq!(parse_query("张"), Ok(Some(CustomerQuery::Name("张".into()))));
        assert_eq!(parse_query("王阿姨\u{0}"), Ok(Some(CustomerQuery::Name("王阿姨".into()))));
        assert_eq!(parse_query("   "), Ok(None));
        assert_eq!(parse_query(&"长".repeat(30)), Ok(Some(CustomerQuery::Name("长".repeat(20)))));
    }
}
