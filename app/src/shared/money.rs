//! Money is always an integer number of fen (分). Floats never touch a price.
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen (1 yuan = 100 fen). May be negative for ledger movements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// Why a typed amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FenParseError {
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

/// The largest price or amount a form may carry: ¥1,000,000. Anything above is a typo.
pub const MAX_FEN: i64 = 100_000_000;

impl Fen {
    /// Parses what a person types as yuan — "12", "12.8", "12.80", "¥12.8" — into fen.
    pub fn parse_yuan(input: &str) -> Result<Fen, FenParseError> {
        let s = input.trim().trim_start_matches(['¥', '￥']).trim();
        if s.is_empty() {
            return Err(FenParseError::Empty);
        }
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s, ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return Err(FenParseError::NotANumber);
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(FenParseError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(FenParseError::TooManyDecimals);
        }
        if whole.len() > 9 {
            return Err(FenParseError::TooLarge);
        }
        let yuan: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| FenParseError::NotANumber)? };
        let mut fen_part: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| FenParseError::NotANumber)? };
        if frac.len() == 1 {
            fen_part *= 10;
        }
        let total = yuan * 100 + fen_part;
        if total > MAX_FEN {
            return Err(FenParseError::TooLarge);
        }
        Ok(Fen(if neg { -total } else { total }))
    }

    /// The yuan part, for the big digits of a price tag.
    pub fn yuan_part(self) -> i64 {
        self.0.abs() / 100
    }

    /// ".8" or ".85" or "" — trailing zeros dropped, as shop price tags do (¥12.8, ¥3).
    pub fn decimal_part(self) -> String {
        let f = self.0.abs() % 100;
        match f {
            0 => String::new(),
            f if f % 10 == 0 => format!(".{}", f / 10),
            f => format!(".{f:02}"),
        }
    }
}

impl fmt::Display for Fen {
    /// "¥12.8", "-¥3", "¥0.05".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}¥{}{}", self.yuan_part(), self.decimal_part())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Fen::parse_yuan("12"), Ok(Fen(1200)));
        assert_eq!(Fen::parse_yuan("12.8"), Ok(Fen(1280)));
        assert_eq!(Fen::parse_yuan("12.85"), Ok(Fen(1285)));
        assert_eq!(Fen::parse_yuan(" ¥0.05 "), Ok(Fen(5)));
        assert_eq!(Fen::parse_yuan("￥3."), Ok(Fen(300)));
        assert_eq!(Fen::parse_yuan(".5"), Ok(Fen(50)));
        assert_eq!(Fen::parse_yuan("-2.5"), Ok(Fen(-250)));
    }

    #[test]
    fn refuses_nonsense() {
        assert_eq!(Fen::parse_yuan(""), Err(FenParseError::Empty));
        assert_eq!(Fen::parse_yuan("¥"), Err(FenParseError::Empty));
        assert_eq!(Fen::parse_yuan("."), Err(FenParseError::NotANumber));
        assert_eq!(Fen::parse_yuan("12.345"), Err(FenParseError::TooManyDecimals));
        assert_eq!(Fen::parse_yuan("1e5"), Err(FenParseError::NotANumber));
        assert_eq!(Fen::parse_yuan("十二"), Err(FenParseError::NotANumber));
        assert_eq!(Fen::parse_yuan("1,000"), Err(FenParseError::NotANumber));
        assert_eq!(Fen::parse_yuan("99999999999"), Err(FenParseError::TooLarge));
        assert_eq!(Fen::parse_yuan("1000000.01"), Err(FenParseError::TooLarge));
    }

    #[test]
    fn displays_like_a_price_tag() {
        assert_eq!(Fen(1280).to_string(), "¥12.8");
        assert_eq!(Fen(1285).to_string(), "¥12.85");
        assert_eq!(Fen(300).to_string(), "¥3");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-250).to_string(), "-¥2.5");
    }
}
