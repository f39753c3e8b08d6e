//! What a valid product or category is when the back office writes one: each problem is
//! reported against its form field, in words a shop owner reads (规格写1到12个字…).
use super::model::{CategoryInput, ProductInput};
use crate::shared::{AppError, ErrorCode, Fen};

pub const NAME_MAX: usize = 30;
pub const UNIT_MAX: usize = 12;
pub const ORIGIN_MAX: usize = 20;
pub const PRODUCER_MAX: usize = 30;
pub const DESCRIPTION_MAX: usize = 300;
pub const TAGS_MAX: usize = 5;
pub const TAG_MAX: usize = 8;
pub const SHELF_LIFE_MAX: i64 = 3650;
/// The highest shelf price: ¥100,000. Anything above is a typo for a much smaller number.
pub const PRICE_MAX_FEN: i64 = 10_000_000;
/// The most photos a product keeps (a WeChat-style grid of nine).
pub const PHOTOS_MAX: i64 = 9;
/// The tags staff pick with one tap; others may be typed.
pub const SUGGESTED_TAGS: [&str; 5] = ["今日到货", "有机", "本地直供", "当季", "冷链"];

/// Trimmed text of at most `max` characters with no control characters (PostgreSQL refuses
/// a NUL; a newline in a name breaks a receipt), or the given error on `field`.
fn text(s: &str, min: usize, max: usize, code: ErrorCode, field: &str) -> Result<String, AppError> {
    let s = s.trim();
    let n = s.chars().count();
    if n < min || n > max || s.chars().any(char::is_control) {
        return Err(AppError::field(code, field));
    }
    Ok(s.to_string())
}

/// A price typed in yuan ("12.8", "¥12.80") into fen: above zero, at most ¥100,000.
pub fn parse_price(s: &str) -> Result<i64, AppError> {
    match Fen::parse_yuan(s) {
        Ok(Fen(f)) if f > 0 && f <= PRICE_MAX_FEN => Ok(f),
        _ => Err(AppError::field(ErrorCode::InvalidPrice, "price")),
    }
}

/// Days of shelf life as typed; empty means not stated.
pub fn parse_shelf_life(s: &str) -> Result<Option<i64>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (1..=SHELF_LIFE_MAX).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::field(ErrorCode::InvalidShelfLife, "shelf_life_days")),
    }
}

/// Tags from the one-tap choices and what was typed (comma separated, either comma), in that
/// order, without repeats.
pub fn collect_tags<'a>(picked: impl IntoIterator<Item = &'a str>, typed: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in picked.into_iter().map(str::to_string).chain(super::rules::parse_tags(typed)) {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags
}

/// Checks a product as the form or the API sent it. `today` is the shop's day number: a
/// harvest date after it is a typo.
pub fn check_product(p: &ProductInput, today: i64) -> Result<ProductInput, AppError> {
    // Every field is checked before refusing, so the form can mark all its problems at once.
    let mut c = crate::shared::FieldChecks::default();
    let name = c.check(text(&p.name, 1, NAME_MAX, ErrorCode::InvalidProductName, "name"));
    let unit = c.check(text(&p.unit, 1, UNIT_MAX, ErrorCode::InvalidUnit, "unit"));
    if p.price_fen <= 0 || p.price_fen > PRICE_MAX_FEN {
        c.refuse(AppError::field(ErrorCode::InvalidPrice, "price"));
    }
    if p.category_id <= 0 {
        c.refuse(AppError::field(ErrorCode::CategoryRequired, "category_id"));
    }
    let origin = c.check(text(&p.origin, 0, ORIGIN_MAX, ErrorCode::OriginTooLong, "origin"));
    let producer = c.check(text(&p.producer, 0, PRODUCER_MAX, ErrorCode::ProducerTooLong, "producer"));
    let description = p.description.trim();
    if description.chars().count() > DESCRIPTION_MAX || description.chars().any(|c| c.is_control() && c != '\n') {
        c.refuse(AppError::field(ErrorCode::DescriptionTooLong, "description"));
    }
    let harvest_date = match p.harvest_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) if crate::shared::time::parse_iso_date(d).is_some_and(|day| day <= today) => Some(d.to_string()),
        Some(_) => {
            c.refuse(AppError::field(ErrorCode::InvalidHarvestDate, "harvest_date"));
            None
        }
    };
    if p.shelf_life_days.is_some_and(|n| !(1..=SHELF_LIFE_MAX).contains(&n)) {
        c.refuse(AppError::field(ErrorCode::InvalidShelfLife, "shelf_life_days"));
    }
    let mut tags = Vec::new();
    let mut bad_tags = false;
    for t in &p.tags {
        let t = t.trim();
        if t.is_empty() || tags.iter().any(|x: &String| x == t) {
            continue;
        }
        bad_tags |= t.chars().count() > TAG_MAX || t.chars().any(|c| c.is_control() || c == ',' || c == '，');
        tags.push(t.to_string());
    }
    if bad_tags || tags.len() > TAGS_MAX {
        c.refuse(AppError::field(ErrorCode::InvalidTags, "tags"));
    }
    c.finish()?;
    let (name, unit, origin, producer) = (name.unwrap_or_default(), unit.unwrap_or_default(), origin.unwrap_or_default(), producer.unwrap_or_default());
    Ok(ProductInput {
        name,
        unit,
        price_fen: p.price_fen,
        category_id: p.category_id,
        origin,
        producer,
        harvest_date,
        shelf_life_days: p.shelf_life_days,
        description: description.to_string(),
        tags,
        store_pricing: p.store_pricing,
        version: p.version,
    })
}

/// The version an editor goes on from after a failed save: the latest one when the save was
/// stale (so the next 保存 keeps what was typed), else the one it had.
pub fn version_after(err: &AppError, had: Option<i64>) -> Option<i64> {
    let latest = (err.code == ErrorCode::StaleEdit).then(|| err.details.as_ref()?.get("version")?.as_i64()).flatten();
    latest.or(had)
}

/// A store's own price as typed; empty means back to the chain's price.
pub fn parse_store_price(s: &str) -> Result<Option<i64>, AppError> {
    if s.trim().is_empty() { Ok(None) } else { parse_price(s).map(Some) }
}

/// Checks a category: a Chinese name (the shelf's), an English one (may be left empty: the
/// Chinese is shown), and its place on the shelf.
pub fn check_category(c: &CategoryInput) -> Result<CategoryInput, AppError> {
    let name_zh = text(&c.name_zh, 1, 8, ErrorCode::InvalidCategoryName, "name_zh")?;
    let name_en = text(&c.name_en, 0, 24, ErrorCode::InvalidCategoryName, "name_en")?;
    if !(0..=999).contains(&c.sort) {
        return Err(AppError::field(ErrorCode::InvalidSort, "sort"));
    }
    Ok(CategoryInput { name_en: if name_en.is_empty() { name_zh.clone() } else { name_en }, name_zh, sort: c.sort })
}

/// The position a category is given when none is typed: after the last one.
pub fn parse_sort(s: &str, next: i64) -> Result<i64, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(next);
    }
    s.parse::<i64>().ok().filter(|n| (0..=999).contains(n)).ok_or_else(|| AppError::field(ErrorCode::InvalidSort, "sort"))
}

/// A category's address in links (`?category=tofu`): from the English name, lower case
/// letters and digits joined by dashes; "c" when nothing is left (a Chinese-only name).
pub fn slugify(name_en: &str) -> String {
    let mut slug = String::new();
    for word in name_en.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug.truncate(24);
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "c".to_string() } else { slug }
}

/// The most single products a bundle holds.
pub const BUNDLE_PARTS_MAX: usize = 8;
/// The most of one product in a bundle.
pub const BUNDLE_QTY_MAX: i64 = 99;

/// A bundle's recipe: 1–8 different single products, 1–99 of each, never the bundle itself.
/// Empty: the product is a single product again.
pub fn check_components(bundle_id: i64, items: &[(i64, i64)]) -> Result<Vec<(i64, i64)>, AppError> {
    let bad = || AppError::field(ErrorCode::InvalidBundle, "components");
    if items.len() > BUNDLE_PARTS_MAX {
        return Err(bad());
    }
    let mut seen: Vec<(i64, i64)> = Vec::new();
    for (product_id, qty) in items {
        if *product_id <= 0 || *product_id == bundle_id || !(1..=BUNDLE_QTY_MAX).contains(qty) || seen.iter().any(|(p, _)| p == product_id) {
            return Err(bad());
        }
        seen.push((*product_id, *qty));
    }
    Ok(seen)
}

/// The bundle form's fields: six rows of a product and how many.
pub const PART_KEYS: [&str; 6] = ["part_0", "part_1", "part_2", "part_3", "part_4", "part_5"];
pub const QTY_KEYS: [&str; 6] = ["qty_0", "qty_1", "qty_2", "qty_3", "qty_4", "qty_5"];

/// The bundle form's rows (a product id and how many; a row without a product is empty).
pub fn components_from_form(rows: &[(&str, &str)]) -> Result<Vec<(i64, i64)>, AppError> {
    let bad = || AppError::field(ErrorCode::InvalidBundle, "components");
    rows.iter()
        .filter(|(part, _)| !part.trim().is_empty())
        .map(|(part, qty)| {
            let qty = if qty.trim().is_empty() { 1 } else { qty.trim().parse().map_err(|_| bad())? };
            Ok((part.trim().parse().map_err(|_| bad())?, qty))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: i64 = 20_786; // 2026-11-29

    #[test]
    fn a_bundle_recipe_is_a_few_different_single_products() {
        assert_eq!(check_components(9, &[(1, 2), (2, 1)]).expect("valid"), vec![(1, 2), (2, 1)]);
        assert_eq!(check_components(9, &[]).expect("valid"), vec![]);
        for bad in [vec![(9, 1)], vec![(1, 0)], vec![(1, 100)], vec![(1, 1), (1, 2)], vec![(0, 1)], (1..=9).map(|p| (p + 10, 1)).collect()] {
            assert_eq!(check_components(9, &bad).expect_err("refused").code, ErrorCode::InvalidBundle, "{bad:?}");
        }
        assert_eq!(components_from_form(&[("3", "2"), ("", "5"), ("4", "")]).expect("valid"), vec![(3, 2), (4, 1)]);
        assert!(components_from_form(&[("3", "两")]).is_err());
    }

    fn input() -> ProductInput {
        ProductInput {
            name: " 本地土鸡蛋 ".into(),
            unit: "30枚/盒".into(),
            price_fen: 3280,
            category_id: 3,
            origin: "临安".into(),
            producer: "临安王家农场".into(),
            harvest_date: Some("2026-11-28".into()),
            shelf_life_days: Some(20),
            description: "散养，每天早上收。\n冷藏更久。".into(),
            tags: vec!["今日到货".into(), "今日到货".into(), " 本地直供".into()],
            store_pricing: false,
            version: None,
        }
    }

    #[test]
    fn an_empty_product_is_refused_for_every_missing_field_at_once() {
        let empty = ProductInput { name: String::new(), unit: " ".into(), price_fen: 0, category_id: 0, ..input() };
        let e = check_product(&empty, TODAY).expect_err("refused");
        // The API's code and field stay the first problem; the form gets all of them.
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidProductName, Some("name")));
        let fields: Vec<String> = e.field_errors().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "unit", "price", "category_id"]);
        assert_eq!(e.code_for("price"), Some(ErrorCode::InvalidPrice));
        assert_eq!(e.code_for("origin"), None);
    }

    fn refused(p: ProductInput) -> Option<(ErrorCode, String)> {
        check_product(&p, TODAY).err().map(|e| (e.code, e.field.unwrap_or_default()))
    }

    #[test]
    fn a_good_product_is_tidied() {
        let Ok(p) = check_product(&input(), TODAY) else { panic!("refused a good product") };
        assert_eq!(p.name, "本地土鸡蛋");
        assert_eq!(p.tags, vec!["今日到货".to_string(), "本地直供".to_string()]);
        assert_eq!(p.description, "散养，每天早上收。\n冷藏更久。");
    }

    #[test]
    fn each_problem_names_its_field() {
        assert_eq!(refused(ProductInput { name: "  ".into(), ..input() }), Some((ErrorCode::InvalidProductName, "name".into())));
        assert_eq!(refused(ProductInput { name: "鸡".repeat(31), ..input() }), Some((ErrorCode::InvalidProductName, "name".into())));
        assert_eq!(refused(ProductInput { name: "鸡\u{0}蛋".into(), ..input() }), Some((ErrorCode::InvalidProductName, "name".into())));
        assert_eq!(refused(ProductInput { unit: String::new(), ..input() }), Some((ErrorCode::InvalidUnit, "unit".into())));
        assert_eq!(refused(ProductInput { price_fen: 0, ..input() }), Some((ErrorCode::InvalidPrice, "price".into())));
        assert_eq!(refused(ProductInput { price_fen: PRICE_MAX_FEN + 1, ..input() }), Some((ErrorCode::InvalidPrice, "price".into())));
        assert_eq!(refused(ProductInput { category_id: 0, ..input() }), Some((ErrorCode::CategoryRequired, "category_id".into())));
        assert_eq!(refused(ProductInput { origin: "产".repeat(21), ..input() }), Some((ErrorCode::OriginTooLong, "origin".into())));
        assert_eq!(refused(ProductInput { harvest_date: Some("2026-11-30".into()), ..input() }), Some((ErrorCode::InvalidHarvestDate, "harvest_date".into())));
        assert_eq!(refused(ProductInput { harvest_date: Some("11/28".into()), ..input() }), Some((ErrorCode::InvalidHarvestDate, "harvest_date".into())));
        assert_eq!(refused(ProductInput { shelf_life_days: Some(0), ..input() }), Some((ErrorCode::InvalidShelfLife, "shelf_life_days".into())));
        assert_eq!(refused(ProductInput { tags: vec!["一二三四五六七八九".into()], ..input() }), Some((ErrorCode::InvalidTags, "tags".into())));
        let six: Vec<String> = (1..=6).map(|i| format!("标签{i}")).collect();
        assert_eq!(refused(ProductInput { tags: six, ..input() }), Some((ErrorCode::InvalidTags, "tags".into())));
        assert_eq!(refused(ProductInput { description: "介".repeat(301), ..input() }), Some((ErrorCode::DescriptionTooLong, "description".into())));
    }

    #[test]
    fn typed_numbers() {
        assert_eq!(parse_price("¥12.8").ok(), Some(1280));
        assert_eq!(parse_price(" 3 ").ok(), Some(300));
        for bad in ["", "0", "-1", "12.345", "abc", "100000.01"] {
            assert_eq!(parse_price(bad).err().map(|e| e.code), Some(ErrorCode::InvalidPrice), "{bad}");
        }
        assert_eq!(parse_shelf_life("").ok(), Some(None));
        assert_eq!(parse_shelf_life("7").ok(), Some(Some(7)));
        assert!(parse_shelf_life("7天").is_err());
        assert_eq!(parse_sort("", 90).ok(), Some(90));
        assert!(parse_sort("1000", 0).is_err());
    }

    #[test]
    fn tags_from_taps_and_typing() {
        assert_eq!(collect_tags(["有机"], "有机，高山, 现摘"), vec!["有机", "高山", "现摘"]);
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Tofu & Soy milk"), "tofu-soy-milk");
        assert_eq!(slugify("豆制品"), "c");
        assert_eq!(slugify(""), "c");
    }

    #[test]
    fn a_category_needs_a_chinese_name() {
        let c = |zh: &str, en: &str| check_category(&CategoryInput { name_zh: zh.into(), name_en: en.into(), sort: 10 });
        assert_eq!(c("豆制品", "").map(|c| c.name_en).ok().as_deref(), Some("豆制品"));
        assert_eq!(c("", "Tofu").err().map(|e| e.field), Some(Some("name_zh".into())));
        assert_eq!(c("非常非常长的分类名字", "").err().map(|e| e.code), Some(ErrorCode::InvalidCategoryName));
    }
}
