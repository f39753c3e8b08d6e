//! Team rules: what a valid invitation is, how long it lasts.
use crate::accounts::model::Role;
use crate::shared::{AppError, ErrorCode, Phone};

/// An invitation link works for a week.
pub const INVITE_DAYS: i64 = 7;

/// Checks an invitation: a mainland mobile number, a name, a store role.
pub fn check_invite(phone: &str, name: &str, role: Role) -> Result<(Phone, String), AppError> {
    let phone = Phone::parse(phone).map_err(|c| AppError::field(c, "phone"))?;
    let name = crate::accounts::rules::parse_name(name)?;
    if !role.is_store_role() {
        return Err(AppError::field(ErrorCode::InvalidRole, "role"));
    }
    Ok((phone, name))
}

/// The SHA-256 of an invitation token, as kept in the database (hex).
#[cfg(feature = "ssr")]
pub fn token_hash(token: &str) -> String {
    crate::server::sha256_hex(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_is_for_a_store_role() {
        assert!(check_invite("13812345678", "小周", Role::Staff).is_ok());
        assert_eq!(check_invite("13812345678", "小周", Role::Owner).err().map(|e| e.code), Some(ErrorCode::InvalidRole));
        assert_eq!(check_invite("13812345678", "小周", Role::Resident).err().map(|e| e.code), Some(ErrorCode::InvalidRole));
        assert_eq!(check_invite("1381234", "小周", Role::Staff).err().and_then(|e| e.field), Some("phone".into()));
        assert_eq!(check_invite("13812345678", " ", Role::Rider).err().and_then(|e| e.field), Some("name".into()));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn only_the_hash_of_a_token_is_kept() {
        let h = token_hash("abc");
        assert_eq!(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
