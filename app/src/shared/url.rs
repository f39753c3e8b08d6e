//! Query-string encoding for the few URLs the server builds (redirects, `next=`).

/// Percent-encodes a query value as UTF-8; `/` is left as is so paths stay readable.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A picture this site stores (`/media/123`). Pages show only those as covers: a page never
/// pulls from elsewhere, nor makes every visitor's browser request another of our addresses.
pub fn is_own_media(u: &str) -> bool {
    u.strip_prefix("/media/").is_some_and(|id| !id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_our_own_media_addresses_count() {
        assert!(super::is_own_media("/media/42"));
        for u in ["/media/", "/media/4a", "https://x/media/1", "/media/1/../2", "/media/1234567890123456789"] {
            assert!(!super::is_own_media(u), "{u}");
        }
    }

    #[test]
    fn encodes_chinese_and_separators() {
        assert_eq!(super::encode("王 阿姨"), "%E7%8E%8B%20%E9%98%BF%E5%A7%A8");
        assert_eq!(super::encode("/?a=1&b"), "/%3Fa%3D1%26b");
    }
}
