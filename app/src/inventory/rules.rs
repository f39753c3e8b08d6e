//! Stock rules: what a booked movement may be, when a product is low, the till's basket.
use super::model::StockReason;
use crate::shared::{AppError, ErrorCode};

/// Who books stock and works the till at a store (the owner everywhere).
pub const STOCK_ROLES: &[crate::accounts::Role] = &[crate::accounts::Role::Manager, crate::accounts::Role::Staff];

/// The most units one movement may move: a typo of three extra zeros is refused, a pallet is not.
pub const MAX_MOVE: i64 = 100_000;
/// The highest alert level.
pub const MAX_LOW_AT: i64 = 9_999;
/// Most characters in a movement's note (供应商, 批次, 原因).
pub const MAX_NOTE_CHARS: usize = 60;
/// Most lines in one till sale, and most units of one line.
pub const MAX_SALE_LINES: usize = 30;
pub const MAX_SALE_QTY: i64 = 999;

fn invalid(field: &str) -> AppError {
    AppError::field(ErrorCode::InvalidStockChange, field)
}

/// A movement booked through the API: `delta` must point the way its reason moves stock —
/// receiving adds, a write-off or a return takes away, a count may go either way.
pub fn check_delta(reason: StockReason, delta: i64) -> Result<i64, AppError> {
    let sign_ok = match reason {
        StockReason::Receive => delta > 0,
        StockReason::Loss | StockReason::Return => delta < 0,
        StockReason::Count => delta != 0,
        // Sales and no-shows are booked by the sale or the order itself, 日清 by the
        // markdown page's clear-out, never one by one here.
        StockReason::CounterSale | StockReason::OnlineSale | StockReason::NoShowLoss | StockReason::ClearOut | StockReason::CounterRefund
        | StockReason::LiveAllot | StockReason::LiveOrder | StockReason::LiveReturn => false,
    };
    // Not `delta.abs()`: the API takes any i64, and i64::MIN has no absolute value.
    if !sign_ok || !(-MAX_MOVE..=MAX_MOVE).contains(&delta) {
        return Err(invalid("delta"));
    }
    Ok(delta)
}

/// A movement from the stock page's form: staff type how many (a positive number) and pick
/// why; the sign follows the reason. Counting is its own form ([`parse_count`]).
pub fn parse_quantity_move(reason: &str, qty: &str) -> Result<(StockReason, i64), AppError> {
    let reason = match StockReason::parse(reason.trim()) {
        Some(r @ (StockReason::Receive | StockReason::Loss | StockReason::Return)) => r,
        _ => return Err(invalid("reason")),
    };
    let n = qty.trim().parse::<i64>().map_err(|_| invalid("qty"))?;
    if !(1..=MAX_MOVE).contains(&n) {
        return Err(invalid("qty"));
    }
    Ok((reason, if reason == StockReason::Receive { n } else { -n }))
}

/// The most a unit may be booked as costing: ¥100,000.
pub const MAX_UNIT_COST_FEN: i64 = 10_000_000;

/// 进货价 per unit as typed in yuan ("3.5"), for a delivery only: empty means not given.
pub fn parse_unit_cost(reason: StockReason, typed: &str) -> Result<Option<i64>, AppError> {
    if reason != StockReason::Receive || typed.trim().is_empty() {
        return Ok(None);
    }
    match crate::shared::Fen::parse_yuan(typed.trim()) {
        Ok(f) => check_unit_cost(Some(f.0)),
        Err(_) => Err(AppError::field(crate::shared::ErrorCode::InvalidUnitCost, "unit_cost")),
    }
}

/// A purchase cost in fen from the API: none, or 0 to [`MAX_UNIT_COST_FEN`].
pub fn check_unit_cost(fen: Option<i64>) -> Result<Option<i64>, AppError> {
    match fen {
        Some(f) if !(0..=MAX_UNIT_COST_FEN).contains(&f) => Err(AppError::field(crate::shared::ErrorCode::InvalidUnitCost, "unit_cost")),
        other => Ok(other),
    }
}

/// What the shelf holds by count (0 to [`MAX_MOVE`]).
pub fn parse_count(counted: &str) -> Result<i64, AppError> {
    match counted.trim().parse::<i64>() {
        Ok(n) if (0..=MAX_MOVE).contains(&n) => Ok(n),
        _ => Err(AppError::field(ErrorCode::InvalidCount, "counted")),
    }
}

/// A note on a movement: trimmed, no control characters, at most 60 characters.
pub fn parse_note(note: &str) -> Result<String, AppError> {
    let t: String = note.trim().chars().filter(|c| !c.is_control()).collect();
    if t.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::field(ErrorCode::NoteTooLong, "note"));
    }
    Ok(t)
}

/// The alert level typed on the stock page; empty means the default.
pub fn parse_low_at(input: &str) -> Result<Option<i64>, AppError> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=MAX_LOW_AT).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::field(ErrorCode::InvalidLowAt, "low_at")),
    }
}

/// Whether a product should be reordered: what can still be sold is at or below its level.
pub fn is_low(available: i64, low_at: i64) -> bool {
    available <= low_at
}

/// 实收 for a cash sale of `total_fen`: blank (not counted in), or at least the total and at
/// most ¥10,000 over it (a bigger number is a typo, not change to hand out).
pub fn check_cash_received(received_fen: Option<i64>, total_fen: i64) -> Result<Option<i64>, AppError> {
    match received_fen {
        None => Ok(None),
        Some(r) if r < total_fen => Err(AppError::field(ErrorCode::CashShort, "cash_received").with_details(serde_json::json!({ "short_fen": total_fen - r }))),
        Some(r) if r - total_fen > 1_000_000 => Err(AppError::field(ErrorCode::InvalidCash, "cash_received")),
        Some(r) => Ok(Some(r)),
    }
}

/// 实收 as typed at the till ("50", "20.5", "¥100"); blank is none.
pub fn parse_cash_received(typed: &str) -> Result<Option<i64>, AppError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    crate::shared::Fen::parse_yuan(typed).ok().filter(|f| f.0 >= 0).map(|f| Some(f.0)).ok_or_else(|| AppError::field(ErrorCode::InvalidCash, "cash_received"))
}

/// The till's basket as it travels in the URL (`b=12:2,15:1`): product ids with quantities,
/// first-added first. Anything unreadable is dropped rather than refused — the URL is ours,
/// and the worst a mangled one does is show a shorter basket.
pub fn parse_basket(s: &str) -> Vec<(i64, i64)> {
    let mut lines: Vec<(i64, i64)> = Vec::new();
    for part in s.split(',') {
        let Some((id, qty)) = part.split_once(':') else { continue };
        let (Ok(id), Ok(qty)) = (id.trim().parse::<i64>(), qty.trim().parse::<i64>()) else { continue };
        if id <= 0 || !(1..=MAX_SALE_QTY).contains(&qty) || lines.iter().any(|(p, _)| *p == id) {
            continue;
        }
        lines.push((id, qty));
        if lines.len() == MAX_SALE_LINES {
            break;
        }
    }
    lines
}

/// The basket with one product's quantity changed by `delta` (a line at zero goes away).
pub fn basket_with(lines: &[(i64, i64)], product_id: i64, delta: i64) -> String {
    let mut out: Vec<(i64, i64)> = lines.to_vec();
    match out.iter().position(|(p, _)| *p == product_id) {
        Some(i) => out[i].1 = (out[i].1 + delta).min(MAX_SALE_QTY),
        None if delta > 0 && out.len() < MAX_SALE_LINES => out.push((product_id, delta.min(MAX_SALE_QTY))),
        None => {}
    }
    out.retain(|(_, q)| *q > 0);
    out.iter().map(|(p, q)| format!("{p}:{q}")).collect::<Vec<_>>().join(",")
}

/// A sale's lines as asked for: at least one, at most 30, each product once, 1–999 units.
pub fn normalize_sale(items: &[(i64, i64)]) -> Result<Vec<(i64, i64)>, AppError> {
    if items.is_empty() {
        return Err(AppError::new(ErrorCode::BasketEmpty));
    }
    if items.len() > MAX_SALE_LINES {
        return Err(AppError::new(ErrorCode::TooManyLines));
    }
    let mut lines: Vec<(i64, i64)> = Vec::with_capacity(items.len());
    for (product_id, qty) in items {
        if !(1..=MAX_SALE_QTY).contains(qty) {
            return Err(AppError::new(ErrorCode::InvalidSaleQuantity).with_details(serde_json::json!({ "product_id": product_id })));
        }
        if lines.iter().any(|(p, _)| p == product_id) {
            return Err(AppError::new(ErrorCode::BadRequest));
        }
        lines.push((*product_id, *qty));
    }
    Ok(lines)
}

/// What a refund takes back, from what was `sold` ((product, qty) per line) and what was
/// `asked`: nothing asked means the whole sale; otherwise each line must be on the sale, once,
/// with 1 up to the number sold.
pub fn normalize_refund(sold: &[(i64, i64)], asked: Option<&[(i64, i64)]>) -> Result<Vec<(i64, i64)>, AppError> {
    let Some(asked) = asked else { return Ok(sold.to_vec()) };
    let bad = || AppError::field(ErrorCode::InvalidRefund, "items");
    if asked.is_empty() {
        return Err(bad());
    }
    let mut lines: Vec<(i64, i64)> = Vec::with_capacity(asked.len());
    for &(product_id, qty) in asked {
        let on_sale = sold.iter().find(|(p, _)| *p == product_id).map(|(_, q)| *q).ok_or_else(bad)?;
        if !(1..=on_sale).contains(&qty) || lines.iter().any(|(p, _)| *p == product_id) {
            return Err(bad());
        }
        lines.push((product_id, qty));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purchase_cost_is_yuan_per_unit_and_only_for_a_delivery() {
        assert_eq!(parse_unit_cost(StockReason::Receive, " 3.5 ").ok(), Some(Some(350)));
        assert_eq!(parse_unit_cost(StockReason::Receive, "").ok(), Some(None));
        assert_eq!(parse_unit_cost(StockReason::Loss, "3.5").ok(), Some(None));
        assert!(parse_unit_cost(StockReason::Receive, "三块").is_err());
        assert!(parse_unit_cost(StockReason::Receive, "100000.01").is_err());
        assert!(check_unit_cost(Some(-1)).is_err());
        assert_eq!(check_unit_cost(Some(0)).ok(), Some(Some(0)));
    }

    #[test]
    fn cash_received_covers_the_total_or_is_left_blank() {
        assert_eq!(check_cash_received(None, 854), Ok(None));
        assert_eq!(check_cash_received(Some(854), 854), Ok(Some(854)));
        assert_eq!(check_cash_received(Some(10_000), 854), Ok(Some(10_000)));
        let short = check_cash_received(Some(500), 854).expect_err("short");
        assert_eq!((short.code, short.field.as_deref()), (ErrorCode::CashShort, Some("cash_received")));
        assert_eq!(short.details.and_then(|d| d["short_fen"].as_i64()), Some(354));
        assert_eq!(check_cash_received(Some(854 + 1_000_001), 854).map_err(|e| e.code), Err(ErrorCode::InvalidCash));
        assert_eq!(parse_cash_received(" "), Ok(None));
        assert_eq!(parse_cash_received("¥50"), Ok(Some(5_000)));
        assert_eq!(parse_cash_received("20.5"), Ok(Some(2_050)));
        for bad in ["五十", "-5", "1.234", "50元"] {
            assert_eq!(parse_cash_received(bad).map_err(|e| e.code), Err(ErrorCode::InvalidCash), "{bad}");
        }
    }

    #[test]
    fn a_refund_takes_back_the_whole_sale_or_lines_of_it_never_more() {
        let sold = [(1, 2), (7, 1)];
        assert_eq!(normalize_refund(&sold, None).ok(), Some(vec![(1, 2), (7, 1)]));
        assert_eq!(normalize_refund(&sold, Some(&[(1, 1)])).ok(), Some(vec![(1, 1)]));
        for asked in [&[][..], &[(1, 3)], &[(1, 0)], &[(2, 1)], &[(1, 1), (1, 1)], &[(7, -1)]] {
            assert_eq!(normalize_refund(&sold, Some(asked)).err().map(|e| e.code), Some(ErrorCode::InvalidRefund), "{asked:?}");
        }
    }

    #[test]
    fn each_reason_moves_stock_its_own_way() {
        assert_eq!(check_delta(StockReason::Receive, 24), Ok(24));
        assert!(check_delta(StockReason::Receive, -1).is_err());
        assert_eq!(check_delta(StockReason::Loss, -2), Ok(-2));
        assert!(check_delta(StockReason::Loss, 2).is_err());
        assert!(check_delta(StockReason::Return, 3).is_err());
        assert_eq!(check_delta(StockReason::Count, -7), Ok(-7));
        // The fuzzer's numbers: refused, not a panic.
        for extreme in [i64::MIN, i64::MAX, -MAX_MOVE - 1, MAX_MOVE + 1] {
            assert!(check_delta(StockReason::Count, extreme).is_err(), "{extreme}");
        }
        assert!(check_delta(StockReason::Loss, i64::MIN).is_err());
        assert_eq!(check_delta(StockReason::Count, 7), Ok(7));
        assert!(check_delta(StockReason::Count, 0).is_err());
        assert!(check_delta(StockReason::CounterSale, -1).is_err(), "sales are booked by the sale");
        assert!(check_delta(StockReason::OnlineSale, -1).is_err());
        assert!(check_delta(StockReason::Receive, MAX_MOVE + 1).is_err());
    }

    #[test]
    fn the_form_takes_a_positive_number_and_the_reason_gives_the_sign() {
        assert_eq!(parse_quantity_move("receive", " 24 "), Ok((StockReason::Receive, 24)));
        assert_eq!(parse_quantity_move("loss", "3"), Ok((StockReason::Loss, -3)));
        assert_eq!(parse_quantity_move("return", "1"), Ok((StockReason::Return, -1)));
        assert_eq!(parse_quantity_move("loss", "-3").err().and_then(|e| e.field).as_deref(), Some("qty"));
        assert_eq!(parse_quantity_move("receive", "2.5").err().and_then(|e| e.field).as_deref(), Some("qty"));
        assert_eq!(parse_quantity_move("count", "3").err().and_then(|e| e.field).as_deref(), Some("reason"));
        assert_eq!(parse_quantity_move("online_sale", "3").err().and_then(|e| e.field).as_deref(), Some("reason"));
        assert_eq!(parse_count("0"), Ok(0));
        assert!(parse_count("-1").is_err());
    }

    #[test]
    fn thresholds_and_notes_are_bounded() {
        assert_eq!(parse_low_at(""), Ok(None));
        assert_eq!(parse_low_at(" 12 "), Ok(Some(12)));
        assert!(parse_low_at("10000").is_err());
        assert!(parse_low_at("两个").is_err());
        assert_eq!(parse_note(" 供应商：老王 \n").as_deref(), Ok("供应商：老王"));
        assert!(parse_note(&"坏".repeat(61)).is_err());
        assert!(is_low(5, 5));
        assert!(!is_low(6, 5));
        assert!(is_low(0, 0));
    }

    #[test]
    fn the_basket_survives_the_url_and_changes_one_line_at_a_time() {
        assert_eq!(parse_basket("12:2,15:1"), vec![(12, 2), (15, 1)]);
        assert_eq!(parse_basket("12:2,x,15:0,12:5,-3:1,7:1000,8:3"), vec![(12, 2), (8, 3)]);
        assert_eq!(parse_basket(""), vec![]);
        let b = parse_basket("12:2,15:1");
        assert_eq!(basket_with(&b, 15, 1), "12:2,15:2");
        assert_eq!(basket_with(&b, 12, -2), "15:1");
        assert_eq!(basket_with(&b, 9, 1), "12:2,15:1,9:1");
        assert_eq!(basket_with(&b, 9, -1), "12:2,15:1");
        assert_eq!(basket_with(&[(1, 998)], 1, 5), "1:999");
    }

    #[test]
    fn a_sale_needs_lines_within_bounds() {
        assert_eq!(normalize_sale(&[]).err().map(|e| e.code), Some(ErrorCode::BasketEmpty));
        assert_eq!(normalize_sale(&[(1, 0)]).err().map(|e| e.code), Some(ErrorCode::InvalidSaleQuantity));
        assert_eq!(normalize_sale(&[(1, 1), (1, 2)]).err().map(|e| e.code), Some(ErrorCode::BadRequest));
        let many: Vec<(i64, i64)> = (1..=31).map(|i| (i, 1)).collect();
        assert_eq!(normalize_sale(&many).err().map(|e| e.code), Some(ErrorCode::TooManyLines));
        assert_eq!(normalize_sale(&[(3, 2), (1, 999)]), Ok(vec![(3, 2), (1, 999)]));
    }
}
