//! Catalog rules: how stock reads to a resident, how a search is cleaned.

/// At or below this many, residents see 仅剩N份.
pub const LOW_STOCK_HINT: i64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockHint {
    SoldOut,
    OnlyLeft(i64),
    Plenty,
}

pub fn stock_hint(available: i64) -> StockHint {
    match available {
        n if n <= 0 => StockHint::SoldOut,
        n if n <= LOW_STOCK_HINT => StockHint::OnlyLeft(n),
        _ => StockHint::Plenty,
    }
}

/// Tags are stored comma separated; full-width commas from a Chinese keyboard count too.
pub fn parse_tags(s: &str) -> Vec<String> {
    s.split([',', '，']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// A search term: trimmed, at most 20 characters, `None` when empty. SQL wildcards are
/// escaped by the store, not here.
pub fn search_term(q: Option<&str>) -> Option<String> {
    let q = clean(q?);
    (!q.is_empty()).then(|| q.chars().take(20).collect())
}

/// A category slug from a URL: `None` when empty.
pub fn category_slug(c: Option<&str>) -> Option<String> {
    let c = clean(c?);
    (!c.is_empty()).then_some(c)
}

/// Control characters never belong in a search (and PostgreSQL refuses a NUL byte in text).
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_reads_honestly() {
        assert_eq!(stock_hint(0), StockHint::SoldOut);
        assert_eq!(stock_hint(-1), StockHint::SoldOut);
        assert_eq!(stock_hint(3), StockHint::OnlyLeft(3));
        assert_eq!(stock_hint(5), StockHint::OnlyLeft(5));
        assert_eq!(stock_hint(6), StockHint::Plenty);
    }

    #[test]
    fn tags_split_on_either_comma() {
        assert_eq!(parse_tags("今日到货，有机, 本地直供,"), vec!["今日到货", "有机", "本地直供"]);
        assert!(parse_tags("").is_empty());
    }

    #[test]
    fn search_terms_are_trimmed_and_bounded() {
        assert_eq!(search_term(Some("  西红柿 ")).as_deref(), Some("西红柿"));
        assert_eq!(search_term(Some("   ")), None);
        assert_eq!(search_term(None), None);
        assert_eq!(search_term(Some("西红\0柿")).as_deref(), Some("西红柿"));
        assert_eq!(category_slug(Some("\0")), None);
        assert_eq!(category_slug(Some("fruit")).as_deref(), Some("fruit"));
        assert_eq!(search_term(Some(&"菜".repeat(50))).map(|s| s.chars().count()), Some(20));
    }
}
