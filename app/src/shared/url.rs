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

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_chinese_and_separators() {
        assert_eq!(super::encode("王 阿姨"), "%E7%8E%8B%20%E9%98%BF%E5%A7%A8");
        assert_eq!(super::encode("/?a=1&b"), "/%3Fa%3D1%26b");
    }
}
