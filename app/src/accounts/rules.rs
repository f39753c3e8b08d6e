//! Account rules: what a valid sign-up is, who may act for which store, when to throttle.
use super::model::{Me, Role, RoleGrant};
use crate::shared::{AppError, ErrorCode, Phone};

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const NAME_MAX: usize = 20;

/// A sign-up that passed every check.
#[derive(Debug)]
pub struct NewAccount {
    pub phone: Phone,
    pub name: String,
    pub password: String,
}

/// Checks a sign-up; the first problem found is reported against its field.
pub fn parse_registration(phone: &str, password: &str, name: &str) -> Result<NewAccount, AppError> {
    // All three at once: the sign-up form marks every problem in one go.
    let mut c = crate::shared::FieldChecks::default();
    let phone = c.check(Phone::parse(phone).map_err(|c| AppError::field(c, "phone")));
    let name = c.check(parse_name(name));
    let password = c.check(parse_password(password));
    c.finish()?;
    match (phone, name, password) {
        (Some(phone), Some(name), Some(password)) => Ok(NewAccount { phone, name, password }),
        _ => Err(AppError::new(ErrorCode::BadRequest)),
    }
}

/// 忘记密码: a reset code from the counter works once, for this long…
pub const RESET_MINUTES: i64 = 15;
/// …and is void after this many wrong tries.
pub const RESET_MAX_TRIES: i64 = 5;
/// Reset attempts one client address may make in the throttle window, whatever the numbers.
pub const MAX_RESETS_PER_CLIENT: i64 = 20;

/// A reset code: eight digits from five random bytes, read out or written on a slip.
pub fn reset_code_from(random: [u8; 5]) -> String {
    let n = random.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    format!("{:08}", n % 100_000_000)
}

/// A reset code as typed: eight digits, spaces and dashes allowed.
pub fn parse_reset_code(typed: &str) -> Result<String, AppError> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(AppError::field(ErrorCode::ResetCodeInvalid, "code"))
    }
}

pub fn parse_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::field(ErrorCode::NameRequired, "name"));
    }
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(AppError::field(ErrorCode::NameTooLong, "name"));
    }
    Ok(name.to_string())
}

pub fn parse_password(password: &str) -> Result<String, AppError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(AppError::field(ErrorCode::PasswordTooShort, "password"));
    }
    if n > PASSWORD_MAX {
        return Err(AppError::field(ErrorCode::PasswordTooLong, "password"));
    }
    Ok(password.to_string())
}

/// Whether `grants` allow one of `roles` at `store_id`. The owner may act everywhere.
pub fn may_act(grants: &[RoleGrant], store_id: i64, roles: &[Role]) -> bool {
    grants.iter().any(|g| g.role == Role::Owner || (roles.contains(&g.role) && g.store_id == Some(store_id)))
}

/// The stores a person works at (the owner: `None`, meaning all of them).
pub fn staff_store_ids(me: &Me) -> Option<Vec<i64>> {
    if me.has(Role::Owner) {
        return None;
    }
    let mut ids: Vec<i64> =
        me.roles.iter().filter(|g| g.role.is_store_role()).filter_map(|g| g.store_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// 王** for 王小明, 张* for 张三: enough for staff to match a face at the desk, and for a
/// label on a shelf, without the full name.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().clamp(1, 2);
            format!("{first}{}", "*".repeat(rest))
        }
        None => "**".to_string(),
    }
}

/// Login throttling: failures counted in this window…
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// …lock a phone number after this many (a person mistyping gets 5 tries)…
pub const MAX_FAILURES_PER_PHONE: i64 = 5;
/// …and a client address after this many (several residents may share a home router).
pub const MAX_FAILURES_PER_CLIENT: i64 = 30;
/// A browser that signed in as the number before (its device cookie) has its own count and
/// is not locked out by the number's.
pub const MAX_FAILURES_PER_DEVICE: i64 = 5;
/// How long a device cookie lives, and how long an unused device is remembered.
pub const DEVICE_DAYS: i64 = 180;
/// Sign-ups one client (an IPv4 address, or an IPv6 /64) may try in the throttle window…
pub const MAX_SIGNUPS_PER_CLIENT: i64 = 20;
/// …and everyone together: a flood is turned away before it costs a password hash each.
pub const MAX_SIGNUPS: i64 = 600;

/// The key a client is throttled by: an IPv4 address, or the /64 an IPv6 address is in (one
/// household or phone gets a whole /64, and could otherwise rotate through it).
pub fn client_bucket(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Most characters in a note on a resident.
pub const MAX_NOTE_CHARS: usize = 40;
/// Most notes of one kind on one resident: the desk must read them at a glance.
pub const MAX_NOTES: i64 = 8;

/// A note as typed (过敏: 坚果): trimmed, no control characters, 1–40 characters.
pub fn parse_customer_note(text: &str) -> Result<String, AppError> {
    let t: String = text.trim().chars().filter(|c| !c.is_control()).collect();
    let n = t.chars().count();
    if n == 0 || n > MAX_NOTE_CHARS {
        return Err(AppError::field(ErrorCode::InvalidNote, "text"));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_code_is_eight_digits_and_typed_with_spaces_it_still_reads() {
        assert_eq!(reset_code_from([0, 0, 0, 0, 7]), "00000007");
        assert_eq!(reset_code_from([255; 5]).len(), 8);
        assert_eq!(parse_reset_code(" 1234 5678 "), Ok("12345678".into()));
        assert_eq!(parse_reset_code("1234-5678"), Ok("12345678".into()));
        for bad in ["", "1234567", "123456789", "1234abcd", "１２３４５６７８"] {
            let e = parse_reset_code(bad).expect_err(bad);
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ResetCodeInvalid, Some("code")), "{bad}");
        }
    }

    #[test]
    fn ipv6_clients_are_throttled_by_their_64() {
        let a: std::net::IpAddr = "2408:8207:1234:5678:1::9".parse().expect("ip");
        let b: std::net::IpAddr = "2408:8207:1234:5678:ffff::1".parse().expect("ip");
        let c: std::net::IpAddr = "2408:8207:1234:5679::1".parse().expect("ip");
        assert_eq!(client_bucket(a), client_bucket(b));
        assert_ne!(client_bucket(a), client_bucket(c));
        assert_eq!(client_bucket("203.0.113.7".parse().expect("ip")), "203.0.113.7");
        assert_eq!(client_bucket("::ffff:203.0.113.7".parse().expect("ip")), "203.0.113.7");
    }

    fn grant(role: Role, store_id: Option<i64>) -> RoleGrant {
        RoleGrant { role, store_id }
    }

    #[test]
    fn registration_reports_the_first_bad_field() {
        assert_eq!(parse_registration("123", "password1", "王").err().and_then(|e| e.field).as_deref(), Some("phone"));
        assert_eq!(parse_registration("13800000001", "short", "王").err().map(|e| e.code), Some(ErrorCode::PasswordTooShort));
        assert_eq!(parse_registration("13800000001", "password1", "  ").err().map(|e| e.code), Some(ErrorCode::NameRequired));
        let ok = parse_registration("138 0000 0001", "password1", " 王阿姨 ").expect("valid");
        assert_eq!(ok.phone.as_str(), "13800000001");
        assert_eq!(ok.name, "王阿姨");
    }

    #[test]
    fn long_names_and_passwords_are_refused() {
        assert_eq!(parse_name(&"王".repeat(21)).err().map(|e| e.code), Some(ErrorCode::NameTooLong));
        assert!(parse_name(&"王".repeat(20)).is_ok());
        assert_eq!(parse_password(&"x".repeat(129)).err().map(|e| e.code), Some(ErrorCode::PasswordTooLong));
        // Eight Chinese characters are eight characters, not 24 bytes.
        assert!(parse_password("一二三四五六七八").is_ok());
    }

    #[test]
    fn staff_act_only_at_their_store_and_the_owner_everywhere() {
        let staff = [grant(Role::Staff, Some(1))];
        assert!(may_act(&staff, 1, &[Role::Staff, Role::Manager]));
        assert!(!may_act(&staff, 2, &[Role::Staff, Role::Manager]));
        assert!(!may_act(&staff, 1, &[Role::Manager]));
        assert!(may_act(&[grant(Role::Owner, None)], 7, &[Role::Manager]));
        assert!(!may_act(&[grant(Role::Resident, None)], 1, &[Role::Staff]));
    }
}
