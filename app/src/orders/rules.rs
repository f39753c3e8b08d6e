//! Order rules: what may be ordered, when it can be picked up or delivered, what it costs.
//! Pure functions of their inputs (the clock is passed in), so every rule is tested here.
use super::model::{ItemRequest, OrderStatus, Quote};
use crate::shared::time::{hhmm, parse_hhmm, parse_iso_date, LocalTime};
use crate::shared::{AppError, ErrorCode};
use crate::stores::model::Store;
use crate::stores::rules::{delivery_fee, pickup_discount, pickup_discount_short};

/// The roles that work the queue and the desk at a store (the owner everywhere).
pub const DESK_ROLES: &[crate::accounts::Role] = &[crate::accounts::Role::Manager, crate::accounts::Role::Staff];

/// Most units of one product in one order; more is a typo (or a wholesale order for the phone).
pub const MAX_QTY: i64 = 99;
/// Most distinct products in one order.
pub const MAX_LINES: usize = 30;
/// Most characters in a note to the store.
pub const MAX_NOTE_CHARS: usize = 100;
/// Most characters in a delivery address.
pub const MAX_ADDRESS_CHARS: usize = 100;
/// How long the store needs to pick an order before the pickup window starts.
pub const PREP_MINUTES: u16 = 30;
/// How many days ahead a pickup may be booked (today plus two).
pub const PICKUP_DAYS_AHEAD: i64 = 2;
/// 尽快 delivery takes up to two hours, so it is offered only if that ends before closing.
pub const ASAP_MINUTES: u16 = 120;

/// The lines as asked for, checked and merged per product (the same product twice is one
/// line with the quantities added).
pub fn normalize_items(items: &[ItemRequest]) -> Result<Vec<(i64, i64)>, AppError> {
    if items.is_empty() {
        return Err(AppError::new(ErrorCode::CartEmpty));
    }
    let mut lines: Vec<(i64, i64)> = Vec::new();
    for it in items {
        if !(1..=MAX_QTY).contains(&it.qty) {
            return Err(AppError::field(ErrorCode::InvalidQuantity, "qty"));
        }
        // Limits are checked as lines grow, so a huge request is refused after a few steps.
        let full = lines.len() == MAX_LINES;
        match lines.iter_mut().find(|(p, _)| *p == it.product_id) {
            Some((_, q)) if *q + it.qty > MAX_QTY => return Err(AppError::field(ErrorCode::InvalidQuantity, "qty")),
            Some((_, q)) => *q += it.qty,
            None if full => return Err(AppError::new(ErrorCode::TooManyLines)),
            None => lines.push((it.product_id, it.qty)),
        }
    }
    // A stable order: stock rows are then always locked in the same order, so two orders
    // taking the same products cannot deadlock each other on PostgreSQL.
    lines.sort_unstable();
    Ok(lines)
}

/// The note, trimmed and without control characters; at most [`MAX_NOTE_CHARS`].
pub fn parse_note(note: Option<&str>) -> Result<String, AppError> {
    let n: String = note.unwrap_or("").trim().chars().filter(|c| !c.is_control()).collect();
    if n.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::field(ErrorCode::NoteTooLong, "note"));
    }
    Ok(n)
}

/// A delivery address: the estate and the building and door in it. A rider cannot find a
/// flat from "嘉绿苑" alone, so an address needs a number (3幢 201, ３号楼) or a building word.
pub fn parse_address(address: &str) -> Result<String, AppError> {
    let a: String = address.trim().chars().filter(|c| !c.is_control()).collect();
    if a.chars().count() < 2 || a.chars().count() > MAX_ADDRESS_CHARS || !names_a_door(&a) {
        return Err(AppError::field(ErrorCode::AddressRequired, "address"));
    }
    Ok(a)
}

/// The checkout's 楼栋门牌 field, as typed under the chosen estate.
pub fn parse_address_detail(detail: &str) -> Result<String, AppError> {
    let d: String = detail.trim().chars().filter(|c| !c.is_control()).collect();
    if d.is_empty() || !names_a_door(&d) {
        return Err(AppError::field(ErrorCode::AddressDetailRequired, "address_detail"));
    }
    Ok(d)
}

/// Whether an address says which building or door: a digit, or 幢/栋/号/楼/单元/室.
fn names_a_door(a: &str) -> bool {
    a.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) || ["幢", "栋", "号", "楼", "单元", "室"].iter().any(|w| a.contains(w))
}

/// A time window "17:00-18:00" in minutes after midnight.
pub fn parse_window(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.trim().split_once('-')?;
    let (a, b) = (parse_hhmm(a)?, parse_hhmm(b)?);
    (a < b).then_some((a, b))
}

pub fn window_text((from, until): (u16, u16)) -> String {
    format!("{}-{}", hhmm(from), hhmm(until))
}

/// The store's hours as minutes; a store with unreadable hours offers nothing.
fn hours(from: &str, until: &str) -> Option<(u16, u16)> {
    let (a, b) = (parse_hhmm(from)?, parse_hhmm(until)?);
    (a < b).then_some((a, b))
}

/// One-hour windows covering `[from, until)`, the last one shorter if the hours end on a
/// half hour; only those ending at least `PREP_MINUTES` after `earliest`.
fn hourly_windows((from, until): (u16, u16), earliest: u16) -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    let mut start = from;
    while start < until {
        let end = (start + 60).min(until);
        if end >= earliest.saturating_add(PREP_MINUTES) && end > earliest {
            out.push((start, end));
        }
        start = end;
    }
    out
}

/// The pickup windows of `day` as seen at `now`: all of them on a later day, on the day
/// itself those that can still be made.
pub fn pickup_windows(store: &Store, now: LocalTime, day: i64) -> Vec<(u16, u16)> {
    let Some(h) = hours(&store.pickup_from, &store.pickup_until) else { return Vec::new() };
    if day < now.day || day > now.day + PICKUP_DAYS_AHEAD {
        return Vec::new();
    }
    hourly_windows(h, if day == now.day { now.minute } else { 0 })
}

/// The days a pickup can be booked from `now`: today while a window is left, and the next two.
pub fn pickup_days(store: &Store, now: LocalTime) -> Vec<i64> {
    (now.day..=now.day + PICKUP_DAYS_AHEAD).filter(|d| !pickup_windows(store, now, *d).is_empty()).collect()
}

/// Checks a pickup request: the day as "2026-11-22" and the window, or the whole pickup
/// hours when none is given. Returns (day, from, until).
pub fn resolve_pickup(store: &Store, now: LocalTime, date: &str, window: Option<&str>) -> Result<(i64, u16, u16), AppError> {
    let bad = || AppError::field(ErrorCode::InvalidPickupTime, "pickup_date");
    let day = parse_iso_date(date).ok_or_else(bad)?;
    let windows = pickup_windows(store, now, day);
    match window.map(str::trim).filter(|w| !w.is_empty()) {
        Some(w) => {
            let w = parse_window(w).ok_or_else(bad)?;
            windows.contains(&w).then_some((day, w.0, w.1)).ok_or_else(bad)
        }
        None => {
            // The rest of the day's pickup hours.
            let first = windows.first().ok_or_else(bad)?;
            let last = windows.last().ok_or_else(bad)?;
            Ok((day, first.0, last.1))
        }
    }
}

/// Today's delivery choices at `now`: 尽快 while the store is open long enough, then
/// one-hour windows until closing. `None` stands for 尽快.
pub fn delivery_slots(store: &Store, now: LocalTime) -> Vec<Option<(u16, u16)>> {
    let Some((open, close)) = hours(&store.opens_at, &store.closes_at) else { return Vec::new() };
    let mut out = Vec::new();
    if now.minute >= open && now.minute + ASAP_MINUTES <= close {
        out.push(None);
    }
    // A window starts no sooner than an hour from now, on the hour.
    let earliest = (now.minute + 60).div_ceil(60) * 60;
    out.extend(hourly_windows((open.max(earliest), close), now.minute).into_iter().filter(|(a, _)| *a >= earliest).map(Some));
    out
}

/// Checks a delivery slot: "asap" or a window offered today. Returns the window (None: 尽快).
pub fn resolve_slot(store: &Store, now: LocalTime, slot: &str) -> Result<Option<(u16, u16)>, AppError> {
    let bad = || AppError::field(ErrorCode::InvalidSlot, "slot");
    let wanted = match slot.trim() {
        "asap" => None,
        w => Some(parse_window(w).ok_or_else(bad)?),
    };
    delivery_slots(store, now).contains(&wanted).then_some(wanted).ok_or_else(bad)
}

/// What a pickup order costs: the goods less the store's pickup discount.
pub fn quote_pickup(store: &Store, goods_fen: i64) -> Quote {
    let discount_fen = pickup_discount(store.pickup_discount, goods_fen);
    let discount_short_fen = pickup_discount_short(store.pickup_discount, goods_fen);
    Quote { goods_fen, discount_fen, delivery_fee_fen: 0, total_fen: goods_fen - discount_fen, discount_short_fen }
}

/// What a delivery `distance_m` away costs, or why the store cannot deliver it.
pub fn quote_delivery(store: &Store, goods_fen: i64, distance_m: u32) -> Result<Quote, AppError> {
    let outside = || AppError::field(ErrorCode::OutsideDeliveryArea, "address");
    if distance_m > store.delivery_radius_m {
        return Err(outside());
    }
    let fee = delivery_fee(&store.delivery_fee_rule, distance_m).ok_or_else(outside)?;
    if goods_fen < store.min_order_fen {
        return Err(AppError::new(ErrorCode::BelowMinOrder).with_details(serde_json::json!({ "min_order_fen": store.min_order_fen })));
    }
    Ok(Quote { goods_fen, discount_fen: 0, delivery_fee_fen: fee, total_fen: goods_fen + fee, discount_short_fen: 0 })
}

/// What an order event's reason tells the resident. The system writes codes (a group buy's
/// outcome, LBS routing, a no-show's stock decision); staff write words. A code never reaches
/// a resident as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventNote<'a> {
    /// Our words for a code: (中文, English).
    Said(&'static str, &'static str),
    /// What the store's staff wrote (a cancellation's reason).
    FromStore(&'a str),
    /// LBS 分单: the store the resident had chosen; a nearer one with everything delivers.
    RoutedFrom(&'a str),
    Nothing,
}

pub fn event_note(reason: &str) -> EventNote<'_> {
    let reason = reason.trim();
    match reason {
        "" => EventNote::Nothing,
        "group_succeeded" => EventNote::Said("拼团成功！已转为自提订单，到提货日凭取货码到店取", "The group buy is going ahead — it is now a pickup order; collect it with your code on the day"),
        "group_failed" => EventNote::Said("没凑够户数，这次没成团，付过的钱已原路退回", "Not enough households joined, so it did not go ahead; anything you paid is refunded"),
        "group_cancelled" => EventNote::Said("门店取消了这个团购，付过的钱已原路退回", "The store called the group buy off; anything you paid is refunded"),
        r => match r.strip_prefix(super::model::ROUTED_FROM) {
            Some(from) => EventNote::RoutedFrom(from),
            // Other codes (the desk's stock bookkeeping) are the store's business.
            None if r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && r.contains('_') => EventNote::Nothing,
            None => EventNote::FromStore(r),
        },
    }
}

/// 接下来: what the resident should do now, or what happens next, for an open order — (中文,
/// English). The money line (到店付 ¥…) is the page's; this is the step.
pub fn what_next(status: OrderStatus, delivery: bool) -> (&'static str, &'static str) {
    use OrderStatus as S;
    match (status, delivery) {
        (S::AwaitingGroup, _) => (
            "还在拼团：截止前凑够户数就成团，门店备好货会通知您；没凑够会自动取消，付过的钱原路退回。可以把团分享给邻居，一起凑户数。",
            "The group buy is still gathering households: if enough join by the deadline it goes ahead and we tell you when it is ready; if not, it is called off and anything you paid is refunded. Share it with neighbours to help it along.",
        ),
        (S::Placed, _) => (
            "等门店接单，一般几分钟内。店员开始拣货前，您可以在页面下方取消。",
            "Waiting for the store to accept — usually within minutes. Until they start picking you can cancel at the bottom of this page.",
        ),
        (S::Accepted, false) => ("门店已接单，马上开始备货。备好了会通知您，那时再到店取就行，不用提前去。", "The store has accepted and will start picking soon. We tell you when it is ready — no need to come in before that."),
        (S::Accepted, true) => ("门店已接单，马上开始备货。骑手出发时会通知您，请保持电话畅通。", "The store has accepted and will start picking soon. We tell you when the rider sets off; keep your phone at hand."),
        (S::Picking, false) => ("店员正在为您拣货，已经不能取消了。备好了会通知您到店取。", "Staff are picking your order now, so it can no longer be cancelled. We tell you when it is ready to collect."),
        (S::Picking, true) => ("店员正在为您拣货，已经不能取消了。骑手出发时会通知您。", "Staff are picking your order now, so it can no longer be cancelled. We tell you when the rider sets off."),
        (S::Ready, false) => (
            "已经备好了！请在取货时段内到店，把上面的取货码报给店员（或出示二维码），几秒就能取走。",
            "It is ready! Come in during your pickup window and give the code above at the desk (or show the QR code) — it takes seconds.",
        ),
        (S::Ready, true) => ("已经备好了，正在等骑手取货出发。出发后会通知您。", "It is packed and waiting for the rider. We tell you when they set off."),
        (S::OutForDelivery, _) => (
            "骑手正在路上。到门口时请把上面的收货码告诉骑手，没有码骑手不能交货。",
            "The rider is on the way. At the door, give them the code above — without it they cannot hand the order over.",
        ),
        (S::Completed, _) => ("订单已完成，欢迎下次再来。", "This order is complete — see you next time."),
        (S::Cancelled, _) => ("订单已取消，付过的钱已原路退回，不用再做什么。", "This order is cancelled; anything you paid has been refunded. Nothing more to do."),
        (S::NoShow, _) => (
            "这单没有在时段内取走，门店已经取消了，付过的钱已原路退回。还想要的话可以重新下单。",
            "It was not collected in its window, so the store has called it off; anything you paid is refunded. Order again if you still want it.",
        ),
    }
}

/// 订单号: the store-local date and the id, e.g. 26112200042 — short enough to read out.
pub fn order_number(day: i64, id: i64) -> String {
    crate::shared::time::day_serial(day, id)
}

/// A resident may cancel until the store starts picking.
pub fn resident_may_cancel(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Placed | OrderStatus::Accepted)
}

/// Whether `code` looks like a pickup code: exactly six digits.
pub fn is_pickup_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// A pickup code from 4 random bytes: six digits, leading zeros kept. (The modulo bias of
/// 2^32 over 10^6 is below 0.03% — irrelevant for a code that is throttled and expires.)
pub fn pickup_code_from(random: [u8; 4]) -> String {
    format!("{:06}", u32::from_le_bytes(random) % 1_000_000)
}

/// "2026-11-22" → the date a resident reads: 11月22日 / 22 Nov.
pub fn short_date(locale: crate::shared::Locale, iso: &str) -> String {
    let Some((_, md)) = iso.split_once('-') else { return iso.to_string() };
    let Some((m, d)) = md.split_once('-') else { return iso.to_string() };
    let (m, d): (u32, u32) = (m.parse().unwrap_or(0), d.parse().unwrap_or(0));
    match locale {
        crate::shared::Locale::Zh => format!("{m}月{d}日"),
        crate::shared::Locale::En => {
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            format!("{d} {}", MONTHS.get(m.saturating_sub(1) as usize).unwrap_or(&""))
        }
    }
}

/// "38 27 41": the code in pairs, as it is read aloud at the desk.
pub fn code_in_pairs(code: &str) -> String {
    code.as_bytes().chunks(2).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// A store that could take a delivery instead of the one the resident chose (LBS 分单).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteCandidate {
    pub store_id: i64,
    /// Metres from the delivery address.
    pub distance_m: u32,
    /// Inside its delivery radius, with a slot open and the minimum order met.
    pub delivers: bool,
    /// Every line available in the quantity asked.
    pub has_everything: bool,
}

/// The store a delivery goes to when the chain routes orders: the nearest candidate that is
/// nearer than the chosen store, delivers there and has everything; `None` keeps the choice.
pub fn route_to(chosen_distance_m: u32, candidates: &[RouteCandidate]) -> Option<i64> {
    candidates
        .iter()
        .filter(|c| c.delivers && c.has_everything && c.distance_m < chosen_distance_m)
        .min_by_key(|c| (c.distance_m, c.store_id))
        .map(|c| c.store_id)
}

/// What the queue is narrowed to, as the page's address or the API's query spells it (blank
/// means any). Read the same way for both: an unknown status or fulfilment, or a day that is
/// not a date, is refused (400) rather than quietly showing something else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueAsk {
    pub status: Option<String>,
    pub fulfillment: Option<String>,
    pub date: Option<String>,
}

impl QueueAsk {
    pub fn parse(status: Option<&str>, fulfillment: Option<&str>, date: Option<&str>) -> Result<Self, crate::shared::AppError> {
        let clean = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let ask = QueueAsk { status: clean(status), fulfillment: clean(fulfillment), date: clean(date) };
        let status_ok = ask.status.as_deref().is_none_or(|s| super::model::OrderStatus::parse(s).is_some());
        let fulfillment_ok = ask.fulfillment.as_deref().is_none_or(|f| f == "pickup" || f == "delivery");
        let date_ok = ask.date.as_deref().is_none_or(|d| crate::shared::time::parse_iso_date(d).is_some());
        if status_ok && fulfillment_ok && date_ok { Ok(ask) } else { Err(crate::shared::AppError::new(crate::shared::ErrorCode::BadRequest)) }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_event_reason_reaches_a_resident_as_words_never_as_a_code() {
        use super::{event_note, EventNote};
        assert!(matches!(event_note("group_failed"), EventNote::Said(zh, _) if zh.starts_with("没凑够户数")));
        assert!(matches!(event_note("group_succeeded"), EventNote::Said(zh, _) if zh.starts_with("拼团成功")));
        assert_eq!(event_note("routed_from:文三路店"), EventNote::RoutedFrom("文三路店"));
        assert_eq!(event_note("stock_written_off"), EventNote::Nothing);
        assert_eq!(event_note("some_new_code"), EventNote::Nothing);
        assert_eq!(event_note(" "), EventNote::Nothing);
        assert_eq!(event_note("西红柿今天没到货"), EventNote::FromStore("西红柿今天没到货"));
        assert_eq!(event_note("out of stock"), EventNote::FromStore("out of stock"));
    }

    #[test]
    fn the_next_step_follows_the_status_and_the_way_home() {
        use super::what_next;
        use crate::orders::model::OrderStatus as S;
        // At 待自提 it says to come in, never what happens before the store accepts.
        assert!(what_next(S::Ready, false).0.contains("到店"));
        assert!(!what_next(S::Ready, false).0.contains("接单"));
        assert!(what_next(S::OutForDelivery, true).0.contains("收货码"));
        assert!(what_next(S::Placed, false).0.contains("取消"));
        assert!(what_next(S::Picking, false).0.contains("不能取消"));
        // Every status, both ways, has its own words in both languages.
        for s in S::ALL {
            for d in [false, true] {
                let (zh, en) = what_next(s, d);
                let han = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                assert!(han(zh) && !en.is_empty() && !han(en), "{s:?} {d}");
            }
        }
    }

    #[test]
    fn a_queue_filter_is_read_the_same_for_the_page_and_the_api() {
        use super::QueueAsk;
        let any = QueueAsk::parse(Some(" "), None, Some("")).expect("blank means any");
        assert_eq!(any, QueueAsk::default());
        let ask = QueueAsk::parse(Some("ready"), Some("pickup"), Some("2026-12-02")).expect("valid");
        assert_eq!((ask.status.as_deref(), ask.fulfillment.as_deref(), ask.date.as_deref()), (Some("ready"), Some("pickup"), Some("2026-12-02")));
        for (s, f, d) in [(Some("shipped"), None, None), (None, Some("drone"), None), (None, None, Some("12/02")), (None, None, Some("2026-13-40"))] {
            assert!(QueueAsk::parse(s, f, d).is_err(), "{s:?} {f:?} {d:?}");
        }
    }

    use super::*;
    use crate::shared::time::iso_date;

    #[test]
    fn a_delivery_goes_to_the_nearest_store_that_can_fill_it_or_stays() {
        let c = |store_id, distance_m, delivers, has_everything| RouteCandidate { store_id, distance_m, delivers, has_everything };
        // Chosen store is 2.5 km away; 古墩路店 at 0.8 km has everything.
        assert_eq!(route_to(2500, &[c(2, 800, true, true), c(3, 1200, true, true)]), Some(2));
        // The nearest lacks an item: the next nearest that has everything.
        assert_eq!(route_to(2500, &[c(2, 800, true, false), c(3, 1200, true, true)]), Some(3));
        // Nobody nearer can fill it, or deliver there: the resident's choice stands.
        assert_eq!(route_to(2500, &[c(2, 800, false, true), c(3, 2600, true, true)]), None);
        assert_eq!(route_to(2500, &[]), None);
    }
    use crate::stores::model::{DeliveryFeeRule, FeeBand, PickupDiscount};

    fn store() -> Store {
        Store {
            id: 1,
            name: "文三路店".into(),
            address: String::new(),
            phone: String::new(),
            lat: 30.28,
            lng: 120.13,
            opens_at: "07:00".into(),
            closes_at: "22:00".into(),
            pickup_from: "09:00".into(),
            pickup_until: "21:30".into(),
            delivery_radius_m: 3000,
            min_order_fen: 2000,
            delivery_fee_rule: DeliveryFeeRule { bands: vec![FeeBand { up_to_m: 1500, fee_fen: 300 }, FeeBand { up_to_m: 3000, fee_fen: 500 }] },
            pickup_discount: PickupDiscount::Fixed { fen: 500, min_goods_fen: 2000 },
        }
    }

    fn at(day: i64, h: u16, m: u16) -> LocalTime {
        LocalTime { day, minute: h * 60 + m }
    }

    const DAY: i64 = 20_414; // 2025-11-22

    #[test]
    fn items_are_checked_and_merged() {
        let it = |product_id, qty| ItemRequest { product_id, qty };
        assert_eq!(normalize_items(&[it(5, 1), it(3, 2), it(5, 2)]), Ok(vec![(3, 2), (5, 3)]));
        assert_eq!(normalize_items(&[]).map_err(|e| e.code), Err(ErrorCode::CartEmpty));
        for bad in [0, -1, 100, i64::MAX, i64::MIN] {
            assert_eq!(normalize_items(&[it(1, bad)]).map_err(|e| e.code), Err(ErrorCode::InvalidQuantity), "{bad}");
        }
        assert_eq!(normalize_items(&[it(1, 60), it(1, 60)]).map_err(|e| e.code), Err(ErrorCode::InvalidQuantity));
        let many: Vec<_> = (1..=31).map(|p| it(p, 1)).collect();
        assert_eq!(normalize_items(&many).map_err(|e| e.code), Err(ErrorCode::TooManyLines));
    }

    #[test]
    fn notes_and_addresses_are_bounded() {
        assert_eq!(parse_note(Some("  切块，不要香菜\n")), Ok("切块，不要香菜".to_string()));
        assert_eq!(parse_note(None), Ok(String::new()));
        assert_eq!(parse_note(Some(&"多".repeat(101))).map_err(|e| e.code), Err(ErrorCode::NoteTooLong));
        assert_eq!(parse_address(" 嘉绿苑 3幢 201 "), Ok("嘉绿苑 3幢 201".to_string()));
        assert!(parse_address(" ").is_err());
        assert_eq!(parse_address("嘉绿苑").map_err(|e| e.code), Err(ErrorCode::AddressRequired), "an estate alone is no address");
        assert!(parse_address("嘉绿苑三号楼二单元").is_ok());
        assert_eq!(parse_address_detail(" 3幢 201 "), Ok("3幢 201".to_string()));
        for bad in ["", "  ", "门口", "放门卫"] {
            assert_eq!(parse_address_detail(bad).map_err(|e| e.field), Err(Some("address_detail".into())), "{bad}");
        }
    }

    #[test]
    fn pickup_windows_follow_the_hours_and_the_clock() {
        let s = store();
        // Early morning: every window today, 09:00–21:30 in hours (the last one half an hour).
        let w = pickup_windows(&s, at(DAY, 6, 0), DAY);
        assert_eq!(w.first(), Some(&(540, 600)));
        assert_eq!(w.last(), Some(&(1260, 1290)));
        assert_eq!(w.len(), 13);
        // At 17:40 the 17:00–18:00 window cannot be made (20 minutes < 30 to pick); 18:00 can.
        let w = pickup_windows(&s, at(DAY, 17, 40), DAY);
        assert_eq!(w.first(), Some(&(1080, 1140)));
        // After hours: tomorrow and the day after.
        assert_eq!(pickup_days(&s, at(DAY, 21, 20)), vec![DAY + 1, DAY + 2]);
        assert_eq!(pickup_days(&s, at(DAY, 8, 0)), vec![DAY, DAY + 1, DAY + 2]);
        assert!(pickup_windows(&s, at(DAY, 8, 0), DAY + 3).is_empty());
        assert!(pickup_windows(&s, at(DAY, 8, 0), DAY - 1).is_empty());
    }

    #[test]
    fn pickup_requests_must_name_an_offered_window() {
        let s = store();
        let now = at(DAY, 10, 0);
        let today = iso_date(DAY);
        assert_eq!(resolve_pickup(&s, now, &today, Some("17:00-18:00")), Ok((DAY, 1020, 1080)));
        assert_eq!(resolve_pickup(&s, now, &today, None), Ok((DAY, 600, 1290)));
        for (date, w) in [(today.as_str(), Some("09:00-10:00")), (today.as_str(), Some("22:00-23:00")), ("2025-11-30", None), ("昨天", None), (today.as_str(), Some("17-18"))] {
            assert_eq!(resolve_pickup(&s, now, date, w).map_err(|e| e.code), Err(ErrorCode::InvalidPickupTime), "{date} {w:?}");
        }
    }

    #[test]
    fn delivery_slots_offer_asap_while_open() {
        let s = store();
        let slots = delivery_slots(&s, at(DAY, 10, 20));
        assert_eq!(slots.first(), Some(&None));
        assert_eq!(slots.get(1), Some(&Some((720, 780)))); // 12:00, not 11:00 (under an hour away)
        assert_eq!(slots.last(), Some(&Some((1260, 1320))));
        // 19:10: 尽快 still ends by closing; the one window left is 21:00–22:00.
        assert_eq!(delivery_slots(&s, at(DAY, 19, 10)), vec![None, Some((1260, 1320))]);
        // 20:30: too late for 尽快 (two hours would pass closing) and for any window.
        assert!(delivery_slots(&s, at(DAY, 20, 30)).is_empty());
        assert!(delivery_slots(&s, at(DAY, 22, 10)).is_empty());
        assert!(delivery_slots(&s, at(DAY, 5, 0)).iter().all(|w| w.is_some()));
        assert_eq!(resolve_slot(&s, at(DAY, 10, 20), "asap"), Ok(None));
        assert_eq!(resolve_slot(&s, at(DAY, 10, 20), "18:00-19:00"), Ok(Some((1080, 1140))));
        assert_eq!(resolve_slot(&s, at(DAY, 21, 0), "asap").map_err(|e| e.code), Err(ErrorCode::InvalidSlot));
        assert_eq!(resolve_slot(&s, at(DAY, 10, 20), "10:00-11:00").map_err(|e| e.code), Err(ErrorCode::InvalidSlot));
    }

    #[test]
    fn quotes_show_every_discount_and_fee() {
        let s = store();
        assert_eq!(quote_pickup(&s, 3000), Quote { goods_fen: 3000, discount_fen: 500, delivery_fee_fen: 0, total_fen: 2500, discount_short_fen: 0 });
        // Below the offer's ¥20 minimum: full price, and how much more would earn it.
        assert_eq!(quote_pickup(&s, 300), Quote { goods_fen: 300, discount_fen: 0, delivery_fee_fen: 0, total_fen: 300, discount_short_fen: 1700 });
        assert_eq!(quote_delivery(&s, 3000, 800), Ok(Quote { goods_fen: 3000, discount_fen: 0, delivery_fee_fen: 300, total_fen: 3300, discount_short_fen: 0 }));
        assert_eq!(quote_delivery(&s, 3000, 2500).map(|q| q.delivery_fee_fen), Ok(500));
        assert_eq!(quote_delivery(&s, 3000, 3001).map_err(|e| e.code), Err(ErrorCode::OutsideDeliveryArea));
        assert_eq!(quote_delivery(&s, 1999, 800).map_err(|e| e.code), Err(ErrorCode::BelowMinOrder));
    }

    #[test]
    fn numbers_and_codes_read_well() {
        assert_eq!(order_number(DAY, 42), "25112200042");
        assert_eq!(pickup_code_from([0, 0, 0, 0]), "000000");
        assert!(is_pickup_code(&pickup_code_from([255, 255, 255, 255])));
        assert!(!is_pickup_code("12345") && !is_pickup_code("12345a"));
        assert_eq!(code_in_pairs("382741"), "38 27 41");
        assert_eq!(short_date(crate::shared::Locale::Zh, "2026-11-22"), "11月22日");
        assert_eq!(short_date(crate::shared::Locale::En, "2026-11-02"), "2 Nov");
        assert!(resident_may_cancel(OrderStatus::Placed) && !resident_may_cancel(OrderStatus::Picking));
    }
}
