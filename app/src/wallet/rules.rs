//! Wallet rules.
use crate::accounts::{Role, RoleGrant};
use crate::shared::{AppError, ErrorCode};

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

#[cfg(test)]
mod tests {
    use super::*;

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
