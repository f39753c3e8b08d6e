//! Wallet rules.
use crate::accounts::{Role, RoleGrant};
use crate::shared::{AppError, ErrorCode};

/// Who takes money in and corrects a mistaken top-up at a store (the owner everywhere).
pub const COUNTER_ROLES: &[crate::accounts::Role] = &[crate::accounts::Role::Manager, crate::accounts::Role::Staff];

/// The most one counter top-up may add: ¥10,000. More is a typo or needs the owner.
pub const MAX_TOP_UP_FEN: i64 = 1_000_000;

/// A top-up amount: whole fen, positive, at most [`MAX_TOP_UP_FEN`].
pub fn parse_top_up(amount_fen: i64) -> Result<i64, AppError> {
    if (1..=MAX_TOP_UP_FEN).contains(&amount_fen) {
        Ok(amount_fen)
    } else {
        Err(AppError::field(ErrorCode::InvalidAmount, "amount_fen"))
    }
}

/// Who may take money in at the counter: staff and managers of a store, and the owner.
/// The store they act for is recorded with the entry (`None` for the owner).
pub fn counter_store(grants: &[RoleGrant]) -> Option<Option<i64>> {
    if grants.iter().any(|g| g.role == Role::Owner) {
        return Some(None);
    }
    grants.iter().find(|g| matches!(g.role, Role::Staff | Role::Manager)).map(|g| g.store_id)
}

/// How long a payment code pays: the page shows a fresh one every minute.
pub const PAY_CODE_TTL_MS: i64 = 60_000;
/// Codes one member may make in [`PAY_CODE_WINDOW_MS`]: one a minute, with room for reloads.
pub const MAX_PAY_CODES: i64 = 30;
pub const PAY_CODE_WINDOW_MS: i64 = 10 * 60 * 1000;
/// Wrong payment codes one staff account may try in the window before the till stops it
/// (the same limit as the desk's pickup codes).
pub const MAX_WRONG_PAY_CODES: i64 = 10;
pub const WRONG_PAY_CODE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Every code starts so (WeChat's start 10-15, Alipay's 25-30): a till can tell them apart.
const PAY_CODE_PREFIX: &str = "68";

/// A payment code from 64 random bits: the prefix and 16 digits.
pub fn pay_code_from(random: u64) -> String {
    format!("{PAY_CODE_PREFIX}{:016}", random % 10_000_000_000_000_000)
}

/// A payment code as scanned or typed: full-width digits and group spaces allowed, then 18
/// digits with our prefix.
pub fn parse_pay_code(raw: &str) -> Result<String, AppError> {
    let code = crate::shared::digits::ascii_digits(raw);
    if code.is_empty() {
        return Err(AppError::field(ErrorCode::PayCodeRequired, "pay_code"));
    }
    if code.len() == 18 && code.starts_with(PAY_CODE_PREFIX) && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(AppError::field(ErrorCode::PayCodeInvalid, "pay_code"))
    }
}

/// The code as the phone shows it, in groups of four (6812 3456 7890 1234 56).
pub fn group_pay_code(code: &str) -> String {
    code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_codes_are_eighteen_digits_with_our_prefix() {
        assert_eq!(pay_code_from(0), "680000000000000000");
        assert_eq!(pay_code_from(10_000_000_000_000_042), "680000000000000042", "only the last 16 digits count");
        for r in [1, 42, 9_999_999_999_999_999, u64::MAX] {
            let c = pay_code_from(r);
            assert_eq!(c.len(), 18, "{c}");
            assert_eq!(parse_pay_code(&c).as_deref(), Ok(c.as_str()));
        }
    }

    #[test]
    fn a_scanned_or_typed_pay_code_is_read_as_the_member_shows_it() {
        let c = "681234567890123456";
        assert_eq!(parse_pay_code(&group_pay_code(c)).as_deref(), Ok(c));
        assert_eq!(group_pay_code(c), "6812 3456 7890 1234 56");
        assert_eq!(parse_pay_code("６８１２３４５６７８９０１２３４５６").as_deref(), Ok(c), "full-width digits");
        assert_eq!(parse_pay_code("  ").map_err(|e| e.code), Err(ErrorCode::PayCodeRequired));
        for bad in ["13800000001", "101234567890123456", "68123456789012345", "6812345678901234567", "68123456789012345a"] {
            assert_eq!(parse_pay_code(bad).map_err(|e| e.code), Err(ErrorCode::PayCodeInvalid), "{bad}");
        }
    }

    #[test]
    fn amounts_are_positive_whole_fen_within_a_ceiling() {
        assert_eq!(parse_top_up(10_000), Ok(10_000));
        assert_eq!(parse_top_up(1), Ok(1));
        assert_eq!(parse_top_up(MAX_TOP_UP_FEN), Ok(MAX_TOP_UP_FEN));
        for bad in [0, -100, MAX_TOP_UP_FEN + 1, i64::MAX, i64::MIN] {
            assert_eq!(parse_top_up(bad).map_err(|e| e.code), Err(ErrorCode::InvalidAmount), "{bad}");
        }
    }

    #[test]
    fn only_counter_roles_take_money() {
        let g = |role, store_id| RoleGrant { role, store_id };
        assert_eq!(counter_store(&[g(Role::Staff, Some(2))]), Some(Some(2)));
        assert_eq!(counter_store(&[g(Role::Owner, None)]), Some(None));
        assert_eq!(counter_store(&[g(Role::Rider, Some(1)), g(Role::Resident, None)]), None);
    }
}
