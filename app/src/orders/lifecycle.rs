//! The order's way from 待接单 to 已完成: who may move it from where to where, and what else
//! each step does. Pure functions; `flow.rs` applies them inside one transaction.
use super::model::OrderStatus::{self, *};

/// Who asks for a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The resident whose order it is.
    Resident,
    /// Staff, a manager or the owner, for the order's store.
    Staff,
    /// A rider of the order's store.
    Rider,
    /// A deadline job (no-shows, group buys).
    System,
}

/// What a step does besides changing the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing else.
    Nothing,
    /// A pickup order gets a free shelf slot at the desk.
    Shelve,
    /// The rider taking it is recorded.
    Claim,
    /// The goods leave: the reserved units come off the shelf's count.
    Consume,
    /// The reserved units go back on sale and a wallet payment is refunded.
    Release,
    /// Nobody came: a wallet payment is refunded; the units stay put aside until the staff
    /// say whether they go back on the shelf or are written off.
    AwaitStockDecision,
}

/// Whether `actor` may move an order (a delivery one or not) from `from` to `to`, and what the
/// step does; `None` is an impossible transition (409 `invalid_transition`).
pub fn step(from: OrderStatus, to: OrderStatus, delivery: bool, actor: Actor) -> Option<Effect> {
    use Actor::{Resident, Rider, Staff, System};
    let effect = match (from, to, actor) {
        (AwaitingGroup, Placed, System) => Effect::Nothing,
        (AwaitingGroup, Cancelled, System) => Effect::Release,
        // Leaving a group buy before its deadline (the campaign's counters move in the same
        // transaction: group_buy::service::leave).
        (AwaitingGroup, Cancelled, Resident) => Effect::Release,
        (Placed, Accepted, Staff) | (Accepted, Picking, Staff) => Effect::Nothing,
        (Picking, Ready, Staff) if !delivery => Effect::Shelve,
        (Picking, Ready, Staff) => Effect::Nothing,
        (Ready, OutForDelivery, Staff | Rider) if delivery => Effect::Claim,
        (Ready, Completed, Staff) if !delivery => Effect::Consume,
        (OutForDelivery, Completed, Staff | Rider) if delivery => Effect::Consume,
        (Placed | Accepted, Cancelled, Resident) => Effect::Release,
        (Placed | Accepted | Picking | Ready | OutForDelivery, Cancelled, Staff) => Effect::Release,
        (Ready, NoShow, Staff | System) if !delivery => Effect::AwaitStockDecision,
        _ => return None,
    };
    Some(effect)
}

/// The one-tap "next" for the staff queue: 接单 → 开始拣货 → 备好了 → (delivery) 出发配送 →
/// 已送达. A ready pickup order has none: it is handed over at the desk with its code.
pub fn next_for_staff(status: OrderStatus, delivery: bool) -> Option<OrderStatus> {
    match status {
        Placed => Some(Accepted),
        Accepted => Some(Picking),
        Picking => Some(Ready),
        Ready if delivery => Some(OutForDelivery),
        OutForDelivery => Some(Completed),
        _ => None,
    }
}

/// Whether staff must give a reason (a store cancelling tells the resident why).
pub fn needs_reason(to: OrderStatus, actor: Actor) -> bool {
    to == Cancelled && actor == Actor::Staff
}

/// Most characters in a reason.
pub const MAX_REASON_CHARS: usize = 60;

/// The order reached the resident's hands (or door), or its group buy was decided: what the
/// bell says.
pub fn notifies_resident(from: OrderStatus, to: OrderStatus, actor: Actor) -> bool {
    if from == AwaitingGroup {
        return actor == Actor::System;
    }
    match to {
        Accepted | Ready | OutForDelivery | Completed | NoShow => true,
        Cancelled => actor != Actor::Resident,
        _ => false,
    }
}

/// Shelf slots run A-01 … A-20, B-01 … (20 to a shelf, as printed on the labels).
pub const SLOTS_PER_SHELF: usize = 20;
/// Eight shelves: 160 ready orders at one desk is more than any neighbourhood store holds.
pub const SHELVES: usize = 8;

pub fn slot_label(n: usize) -> String {
    let shelf = char::from(b'A' + u8::try_from(n / SLOTS_PER_SHELF % SHELVES).unwrap_or(0));
    format!("{shelf}-{:02}", n % SLOTS_PER_SHELF + 1)
}

/// The first slot no ready order holds; when every slot is taken, slots are shared (the
/// order number on the label still tells them apart).
pub fn free_slot(taken: &[String]) -> String {
    (0..SLOTS_PER_SHELF * SHELVES)
        .map(slot_label)
        .find(|s| !taken.iter().any(|t| t == s))
        .unwrap_or_else(|| slot_label(taken.len()))
}

/// A ready pickup order becomes a no-show this long after its window ends.
pub const NO_SHOW_GRACE_MINUTES: i64 = 120;

/// Whether a ready pickup order for `pickup_date` ("2026-11-22") with a window until `until`
/// (minutes after midnight) is overdue at local day number `today`, `minute`.
pub fn no_show_due(pickup_day: i64, until: u16, today: i64, minute: u16) -> bool {
    let due = pickup_day * 1440 + i64::from(until) + NO_SHOW_GRACE_MINUTES;
    today * 1440 + i64::from(minute) >= due
}

pub use crate::accounts::rules::mask_name;

/// The last four digits of a phone number.
pub fn phone_tail(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}

/// When a delivery should arrive, minutes after midnight, as a window.
/// - On its way: the ride at e-bike pace (about 200 m a minute) plus ten minutes at the door
///   and in the lift, counted from when it left.
/// - Not yet left: the booked window, or 尽快's 30 minutes to 2 hours from ordering.
pub fn delivery_eta(placed_minute: u16, window: Option<(u16, u16)>, left_minute: Option<u16>, distance_m: u32) -> (u16, u16) {
    let day_end = 24 * 60 - 1;
    match (left_minute, window) {
        (Some(left), _) => {
            let ride = u16::try_from(distance_m / 200).unwrap_or(60).min(60);
            let at = (left + ride + 10).min(day_end);
            (at.saturating_sub(5), (at + 5).min(day_end))
        }
        (None, Some(w)) => w,
        (None, None) => ((placed_minute + 30).min(day_end), (placed_minute + 120).min(day_end)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::*;

    #[test]
    fn the_happy_paths_are_legal_and_everything_else_is_not() {
        let pickup = [Placed, Accepted, Picking, Ready, Completed];
        for w in pickup.windows(2) {
            assert!(step(w[0], w[1], false, Staff).is_some(), "{w:?}");
        }
        let delivery = [Placed, Accepted, Picking, Ready, OutForDelivery, Completed];
        for w in delivery.windows(2) {
            assert!(step(w[0], w[1], true, Staff).is_some(), "{w:?}");
        }
        assert_eq!(step(Ready, OutForDelivery, true, Rider), Some(Effect::Claim));
        assert_eq!(step(OutForDelivery, Completed, true, Rider), Some(Effect::Consume));
        assert_eq!(step(Picking, Ready, false, Staff), Some(Effect::Shelve));

        // Count every (from, to, kind, actor) combination: only the listed ones pass.
        let actors = [Resident, Staff, Rider, System];
        let mut legal = 0;
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                for delivery in [false, true] {
                    for a in actors {
                        legal += usize::from(step(from, to, delivery, a).is_some());
                    }
                }
            }
        }
        assert_eq!(legal, 33, "a new transition must be added here on purpose");
        // A group buy's outcome is the deadline job's; the resident may only leave before it.
        assert_eq!(step(AwaitingGroup, Placed, false, System), Some(Effect::Nothing));
        assert_eq!(step(AwaitingGroup, Placed, false, Staff), None);
        assert_eq!(step(AwaitingGroup, Cancelled, false, Resident), Some(Effect::Release));
        assert_eq!(step(AwaitingGroup, Cancelled, false, Staff), None);
        assert!(notifies_resident(AwaitingGroup, Placed, System) && !notifies_resident(AwaitingGroup, Cancelled, Resident));
    }

    #[test]
    fn nobody_skips_steps_or_reopens_a_closed_order() {
        for a in [Resident, Staff, Rider, System] {
            assert_eq!(step(Placed, Ready, false, a), None);
            assert_eq!(step(Placed, Completed, false, a), None);
            for closed in [Completed, Cancelled, NoShow] {
                for to in OrderStatus::ALL {
                    assert_eq!(step(closed, to, false, a), None, "{closed:?} → {to:?}");
                }
            }
        }
        // A pickup order is not "out for delivery"; a delivery order is not handed over at the desk.
        assert_eq!(step(Ready, OutForDelivery, false, Staff), None);
        assert_eq!(step(Ready, Completed, true, Staff), None);
        assert_eq!(step(Ready, NoShow, true, System), None);
        // Residents cancel only before picking; riders never cancel; staff always give a reason.
        assert_eq!(step(Picking, Cancelled, false, Resident), None);
        assert_eq!(step(Ready, Cancelled, true, Rider), None);
        assert!(needs_reason(Cancelled, Staff) && !needs_reason(Cancelled, Resident));
        assert_eq!(step(Placed, Accepted, false, Resident), None);
        assert_eq!(step(Placed, Accepted, false, Rider), None);
    }

    #[test]
    fn the_queue_button_walks_the_same_path() {
        let mut s = Placed;
        let mut path = vec![s];
        while let Some(n) = next_for_staff(s, true) {
            assert!(step(s, n, true, Staff).is_some());
            s = n;
            path.push(s);
        }
        assert_eq!(path, [Placed, Accepted, Picking, Ready, OutForDelivery, Completed]);
        assert_eq!(next_for_staff(Ready, false), None, "handed over at the desk");
    }

    #[test]
    fn shelf_slots_fill_from_the_front_and_reuse_gaps() {
        assert_eq!(slot_label(0), "A-01");
        assert_eq!(slot_label(19), "A-20");
        assert_eq!(slot_label(20), "B-01");
        assert_eq!(free_slot(&[]), "A-01");
        assert_eq!(free_slot(&["A-01".into(), "A-03".into()]), "A-02");
        let all: Vec<String> = (0..SLOTS_PER_SHELF * SHELVES).map(slot_label).collect();
        assert_eq!(free_slot(&all), "A-01", "a full desk shares slots rather than failing");
    }

    #[test]
    fn a_no_show_is_due_two_hours_after_the_window() {
        let (day, until) = (100, 18 * 60);
        assert!(!no_show_due(day, until, day, 19 * 60 + 59));
        assert!(no_show_due(day, until, day, 20 * 60));
        assert!(no_show_due(day, 23 * 60, day + 1, 60), "across midnight");
        assert!(!no_show_due(day + 1, 9 * 60, day, 23 * 60), "tomorrow's order is not late today");
    }

    #[test]
    fn names_and_phones_are_shown_in_part() {
        assert_eq!(mask_name("王小明"), "王**");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("Li Lei Han"), "L**");
        assert_eq!(mask_name(" "), "**");
        assert_eq!(phone_tail("13800000003"), "0003");
        assert_eq!(phone_tail("12"), "12");
    }

    #[test]
    fn a_delivery_eta_follows_the_rider_once_it_leaves() {
        assert_eq!(delivery_eta(600, None, None, 1500), (630, 720), "尽快: 30 min to 2 h");
        assert_eq!(delivery_eta(600, Some((1080, 1140)), None, 1500), (1080, 1140));
        // Left at 18:00, 2 km: 10 min ride + 10 min at the door → about 18:20.
        assert_eq!(delivery_eta(600, Some((1080, 1140)), Some(1080), 2000), (1095, 1105));
        assert_eq!(delivery_eta(1430, None, None, 0), (1439, 1439), "never past midnight");
    }
}
