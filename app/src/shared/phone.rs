//! Mainland China mobile numbers: the login name of every resident and staff member.
use serde::{Deserialize, Serialize};
use std::fmt;

/// A parsed mainland mobile number: 11 digits, starting 13–19.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Accepts the ways people write their number: spaces, dashes, a +86 or 0086 prefix.
    pub fn parse(input: &str) -> Result<Phone, crate::shared::ErrorCode> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .unwrap_or(&digits);
        let ok = digits.len() == 11
            && digits.chars().all(|c| c.is_ascii_digit())
            && digits.starts_with('1')
            && matches!(digits.as_bytes()[1], b'3'..=b'9');
        if ok { Ok(Phone(digits.to_string())) } else { Err(crate::shared::ErrorCode::InvalidPhone) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "138****0001": what staff and other residents may see.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }

    /// The last four digits, which residents say at the pickup desk.
    pub fn tail(&self) -> &str {
        &self.0[7..]
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        for s in ["13800000001", "138 0000 0001", "138-0000-0001", "+8613800000001", "0086 138 0000 0001"] {
            assert_eq!(Phone::parse(s).map(|p| p.0), Ok("13800000001".to_string()), "{s}");
        }
        assert!(Phone::parse("19912345678").is_ok());
    }

    #[test]
    fn refuses_non_mobile_numbers() {
        for s in ["", "1380000000", "138000000011", "12800000001", "23800000001", "0571-88888888", "1380000000a", "１３８００００００01"] {
            assert!(Phone::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn masks_the_middle() {
        let p = Phone::parse("13812345678").expect("valid");
        assert_eq!(p.masked(), "138****5678");
        assert_eq!(p.tail(), "5678");
    }
}
