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

/// One stock row a product draws on: `per` units of `stock_id` for each unit of `product_id`.
/// A plain product draws one of itself; a bundle draws its components.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StockDraw {
    pub product_id: i64,
    pub stock_id: i64,
    pub per: i64,
    /// What the stock row has free (on hand − reserved) at the store.
    pub available: i64,
}

/// The stock rows a set of lines `(product id, qty)` needs, units added per row, in row
/// order (so concurrent orders lock rows in the same order and cannot deadlock).
pub fn stock_needs(lines: &[(i64, i64)], draws: &[StockDraw]) -> Vec<(i64, i64)> {
    let mut needs = std::collections::BTreeMap::<i64, i64>::new();
    for (product_id, qty) in lines {
        for d in draws.iter().filter(|d| d.product_id == *product_id) {
            *needs.entry(d.stock_id).or_default() += qty * d.per;
        }
    }
    needs.into_iter().collect()
}

/// How many units of each line the shelf can give while every other line keeps its
/// quantity. Lines share stock rows when a bundle and its part (or two bundles with a common
/// part) are in one cart: each looks fine alone, together they may not be. A product with no
/// stock row at all can give nothing.
pub fn line_limits(lines: &[(i64, i64)], draws: &[StockDraw]) -> Vec<(i64, i64)> {
    let needs = stock_needs(lines, draws);
    lines
        .iter()
        .map(|(product_id, qty)| {
            let limit = draws
                .iter()
                .filter(|d| d.product_id == *product_id && d.per > 0)
                .map(|d| {
                    let total = needs.iter().find(|(s, _)| *s == d.stock_id).map_or(0, |(_, n)| *n);
                    let others = total - qty * d.per;
                    ((d.available - others) / d.per).max(0)
                })
                .min()
                .unwrap_or(0);
            (*product_id, limit)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(product_id: i64, stock_id: i64, per: i64, available: i64) -> StockDraw {
        StockDraw { product_id, stock_id, per, available }
    }

    #[test]
    fn a_bundle_and_its_part_share_the_shelf() {
        // Bundle 100 = 2 × eggs (10) + 1 × milk (11); 5 egg boxes and 9 milk free.
        let draws = [draw(100, 10, 2, 5), draw(100, 11, 1, 9), draw(10, 10, 1, 5)];
        assert_eq!(stock_needs(&[(100, 2), (10, 1)], &draws), vec![(10, 5), (11, 2)]);
        // Alone each fits; together two bundles leave one box for the eggs line.
        assert_eq!(line_limits(&[(100, 2), (10, 1)], &draws), vec![(100, 2), (10, 1)]);
        assert_eq!(line_limits(&[(100, 2), (10, 3)], &draws), vec![(100, 1), (10, 1)]);
        // Demand beyond everything: limits never go negative.
        assert_eq!(line_limits(&[(100, 9), (10, 9)], &draws), vec![(100, 0), (10, 0)]);
    }

    #[test]
    fn a_product_never_stocked_gives_nothing() {
        assert_eq!(line_limits(&[(7, 1)], &[]), vec![(7, 0)]);
        assert_eq!(line_limits(&[(7, 3)], &[draw(7, 7, 1, 3)]), vec![(7, 3)]);
        assert!(stock_needs(&[(7, 1)], &[]).is_empty());
    }

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
