//! The order's way after checkout: the staff queue, the desk, riders, cancelling, no-shows,
//! and the live streams that tell the resident and the store.
use crate::helpers::*;
use serde_json::{json, Value};
use std::time::Duration;

const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet
const OTHER_RESIDENT: &str = "13800000001";
const STAFF_A: &str = "13900000021"; // 小赵, first store
const MANAGER_A: &str = "13900000011";
const STAFF_B: &str = "13900000022"; // 小钱, second store

#[tokio::test]
async fn a_pickup_order_walks_every_step_once_and_impossible_steps_are_refused() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;
    let (order, product, qty, code) = placed_order(&app, &resident, "walk-1").await;
    let (on_hand, _) = stock(&app, store, product).await;

    // Skipping ahead, going back, or a resident acting as staff: 409 / 404, nothing moves.
    for bad in ["ready", "picking", "out_for_delivery", "no_show", "placed", "awaiting_group"] {
        let (status, err) = to(&staff, &app, order, bad).await;
        assert_eq!((status, error_code(&err)), (409, "invalid_transition"), "placed → {bad}: {err}");
    }
    assert_eq!(error_code(&to(&staff, &app, order, "completed").await.1), "order_not_ready");
    assert_eq!(to(&resident, &app, order, "accepted").await.0, 404, "residents are not staff");
    assert_eq!(status_of(&app, order).await, "placed");

    for step in ["accepted", "picking", "ready"] {
        let (status, body) = to(&staff, &app, order, step).await;
        assert_eq!(status, 200, "{step}: {body}");
        assert_eq!(body["status"], step);
    }
    let (_, mine) = get(&resident, &app, &format!("/api/v1/orders/{order}")).await;
    assert_eq!(mine["status"], "ready");
    assert_eq!(mine["shelf_slot"], "A-01");
    assert_eq!(mine["cancellable"], false);
    let (status, err) = post(&resident, &app, &format!("/api/v1/orders/{order}/cancel"), &json!({})).await;
    assert_eq!((status, error_code(&err)), (409, "not_cancellable"));

    // At the desk: the code finds it, one tap hands it over, the units leave the shelf.
    let (status, found) = post(&staff, &app, &format!("/api/v1/staff/stores/{store}/pickups/verify"), &json!({ "code": code })).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!((found["id"].as_i64(), found["shelf_slot"].as_str(), found["customer"].as_str()), (Some(order), Some("A-01"), Some("张**")));
    assert_eq!(found["phone_tail"], "0003");
    assert_eq!(found["due_fen"], 0, "paid from the wallet");
    let (status, done) = post(&staff, &app, &format!("/api/v1/staff/orders/{order}/hand-over"), &json!({})).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("completed")), "{done}");
    assert_eq!(stock(&app, store, product).await, (on_hand - qty, 0));
    let (status, err) = post(&staff, &app, &format!("/api/v1/staff/orders/{order}/hand-over"), &json!({})).await;
    assert_eq!((status, error_code(&err)), (409, "order_not_ready"), "handed over once");
    assert_eq!(stock(&app, store, product).await, (on_hand - qty, 0));

    // Every step is in the history with who did it; the code is free again.
    let history: Vec<(Option<String>, String, Option<i64>)> =
        sqlx::query_as("select from_status, to_status, by_user_id from order_events where order_id = $1 order by id")
            .bind(order)
            .fetch_all(&app.db.pool)
            .await
            .expect("events");
    let steps: Vec<&str> = history.iter().map(|h| h.1.as_str()).collect();
    assert_eq!(steps, ["placed", "accepted", "picking", "ready", "completed"]);
    assert_eq!(history[1].0.as_deref(), Some("placed"));
    let (staff_id,): (i64,) = sqlx::query_as("select id from users where phone = $1").bind(STAFF_A).fetch_one(&app.db.pool).await.expect("staff");
    assert!(history[1..].iter().all(|h| h.2 == Some(staff_id)));
    let (mine_status, mine) = get(&resident, &app, &format!("/api/v1/orders/{order}")).await;
    assert_eq!((mine_status, mine["pickup_code"].clone()), (200, Value::Null));

    // The bell: accepted, ready, completed.
    let (_, bell) = get(&resident, &app, "/api/v1/me/notifications").await;
    let kinds: Vec<&str> = bell.as_array().expect("list").iter().filter_map(|n| n["status"].as_str()).collect();
    assert_eq!(kinds, ["completed", "ready", "accepted"]);
    assert_eq!(post(&resident, &app, "/api/v1/me/notifications/read", &json!({})).await.0, 204);
    let (_, bell) = get(&resident, &app, "/api/v1/me/notifications").await;
    assert!(bell.as_array().expect("list").iter().all(|n| n["read"] == true));
}

#[tokio::test]
async fn the_store_cancels_with_a_reason_and_the_resident_is_refunded_once() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;
    let before = wallet(&app, RESIDENT).await;
    let (order, product, _, _) = placed_order(&app, &resident, "cancel-1").await;
    assert!(wallet(&app, RESIDENT).await < before);
    assert_eq!(to(&staff, &app, order, "accepted").await.0, 200);
    assert_eq!(to(&staff, &app, order, "picking").await.0, 200);

    let (status, err) = to(&staff, &app, order, "cancelled").await;
    assert_eq!((status, error_code(&err)), (422, "reason_required"));
    let body = json!({ "to": "cancelled", "reason": "今天的西红柿品相不好，不给您发了" });
    let path = format!("/api/v1/staff/orders/{order}/transition");
    let (a, b) = tokio::join!(post(&staff, &app, &path, &body), post(&staff, &app, &path, &body));
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "one cancel wins");
    assert_eq!(wallet(&app, RESIDENT).await, before, "refunded exactly once");
    assert_eq!(stock(&app, store, product).await.1, 0, "the reservation went back");
    let (_, mine) = get(&resident, &app, &format!("/api/v1/orders/{order}")).await;
    let last = mine["events"].as_array().and_then(|e| e.last()).cloned().unwrap_or_default();
    assert_eq!((last["status"].as_str(), last["reason"].as_str()), (Some("cancelled"), Some("今天的西红柿品相不好，不给您发了")));
}

#[tokio::test]
async fn a_status_change_reaches_open_event_streams_within_a_second() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;

    // The queue's stream hears the new order.
    let mut queue = staff.get(app.url(&format!("/api/v1/staff/stores/{store}/events"))).send().await.expect("queue stream");
    assert_eq!(queue.status().as_u16(), 200);
    assert!(queue.headers()["content-type"].to_str().unwrap_or("").starts_with("text/event-stream"));
    let mut qbuf = String::new();
    let (order, _, _, _) = placed_order(&app, &resident, "stream-1").await;
    let (name, data) = next_event(&mut queue, &mut qbuf, Duration::from_secs(1)).await.expect("new order within 1 s");
    assert_eq!((name.as_str(), data["order_id"].as_i64(), data["new"].as_bool()), ("status", Some(order), Some(true)));

    // The resident's tracking stream starts with the current status, then follows the staff.
    let mut track = resident.get(app.url(&format!("/api/v1/orders/{order}/events"))).send().await.expect("order stream");
    assert_eq!(track.status().as_u16(), 200);
    let mut tbuf = String::new();
    let (_, first) = next_event(&mut track, &mut tbuf, Duration::from_secs(1)).await.expect("current status");
    assert_eq!(first["status"], "placed");
    for step in ["accepted", "picking", "ready"] {
        let sent = std::time::Instant::now();
        assert_eq!(to(&staff, &app, order, step).await.0, 200);
        let (_, data) = next_event(&mut track, &mut tbuf, Duration::from_secs(1)).await.unwrap_or_else(|| panic!("{step} within 1 s"));
        assert_eq!(data["status"], step);
        assert!(sent.elapsed() < Duration::from_secs(1));
        let (_, q) = next_event(&mut queue, &mut qbuf, Duration::from_secs(1)).await.expect("queue hears it too");
        assert_eq!(q["status"], step);
    }

    // Someone else's order does not exist for them — API, stream and page — nor for anyone
    // signed out.
    let other = logged_in(&app, OTHER_RESIDENT).await;
    assert_eq!(get(&other, &app, &format!("/api/v1/orders/{order}")).await.0, 404);
    let page = other.get(app.url(&format!("/orders/{order}"))).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("没有找到这笔订单") && !page.contains("pickup-code"), "another resident's order page");
    assert_eq!(other.get(app.url(&format!("/api/v1/orders/{order}/events"))).send().await.expect("other").status().as_u16(), 404);
    assert_eq!(crate::helpers::client().get(app.url(&format!("/api/v1/orders/{order}/events"))).send().await.expect("anon").status().as_u16(), 401);
}

#[tokio::test]
async fn staff_racing_on_one_order_move_it_once_and_ready_orders_never_share_a_shelf_slot() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let staff = logged_in(&app, STAFF_A).await;
    let manager = logged_in(&app, MANAGER_A).await;
    let (product, _) = stocked_product(&app, store).await;
    set_stock(&app, store, product, 100).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let resident = logged_in(&app, RESIDENT).await;
        let (status, o) = place(&resident, &app, &format!("race-{i}"), &pickup_order(store, product, 1, "on_pickup")).await;
        assert_eq!(status, 201, "{o}");
        ids.push(o["id"].as_i64().expect("id"));
    }
    // Two people tap 接单 on the same order at once: one wins, one is told it moved.
    let (a, b) = tokio::join!(to(&staff, &app, ids[0], "accepted"), to(&manager, &app, ids[0], "accepted"));
    let mut s = [a.0, b.0];
    s.sort_unstable();
    assert_eq!(s, [200, 409]);
    for id in &ids[1..] {
        assert_eq!(to(&staff, &app, *id, "accepted").await.0, 200);
    }
    for id in &ids {
        assert_eq!(to(&staff, &app, *id, "picking").await.0, 200);
    }
    // All twelve marked ready at once by two people: twelve different slots.
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id) in ids.iter().enumerate() {
        let c = if i % 2 == 0 { staff.clone() } else { manager.clone() };
        let url = app.url(&format!("/api/v1/staff/orders/{id}/transition"));
        tasks.spawn(async move {
            let r = c.post(url).json(&json!({ "to": "ready" })).send().await.expect("ready");
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut slots = Vec::new();
    while let Some(r) = tasks.join_next().await {
        let (status, body) = r.expect("task");
        assert_eq!(status, 200, "{body}");
        slots.push(body["shelf_slot"].as_str().expect("slot").to_string());
    }
    slots.sort();
    slots.dedup();
    assert_eq!(slots.len(), 12, "{slots:?}");
    assert_eq!(slots.first().map(String::as_str), Some("A-01"));

    // The pick list and the queue's filters.
    let (status, picks) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/pick-list?date={}", crate::helpers::tomorrow())).await;
    assert_eq!(status, 200, "{picks}");
    assert_eq!(picks, json!([]), "everything is picked already");
    let (status, ready) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/orders?status=ready&fulfillment=pickup")).await;
    assert_eq!((status, ready.as_array().map(Vec::len)), (200, Some(12)));
    assert_eq!(get(&staff, &app, &format!("/api/v1/staff/stores/{store}/orders?status=lost")).await.0, 400);
}

#[tokio::test]
async fn the_pick_list_sums_the_days_orders_per_product_and_notes_travel_with_the_resident() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let other = logged_in(&app, OTHER_RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;
    let (product, _) = stocked_product(&app, store).await;
    assert_eq!(place(&resident, &app, "pl-1", &pickup_order(store, product, 2, "on_pickup")).await.0, 201);
    assert_eq!(place(&other, &app, "pl-2", &pickup_order(store, product, 3, "on_pickup")).await.0, 201);
    let (status, picks) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/pick-list?date={}", crate::helpers::tomorrow())).await;
    assert_eq!(status, 200, "{picks}");
    assert_eq!((picks[0]["product_id"].as_i64(), picks[0]["qty"].as_i64(), picks[0]["orders"].as_i64()), (Some(product), Some(5), Some(2)));
    assert_eq!(get(&staff, &app, &format!("/api/v1/staff/stores/{store}/pick-list?date=tomorrow")).await.0, 400);

    // The resident writes a preference; staff add one; both show in the queue.
    let (status, note) = post(&resident, &app, "/api/v1/me/notes", &json!({ "text": "过敏：坚果" })).await;
    assert_eq!(status, 201, "{note}");
    assert_eq!(post(&resident, &app, "/api/v1/me/notes", &json!({ "text": "  " })).await.0, 422);
    let (uid,): (i64,) = sqlx::query_as("select id from users where phone = $1").bind(RESIDENT).fetch_one(&app.db.pool).await.expect("uid");
    let (status, _) = post(&staff, &app, &format!("/api/v1/staff/customers/{uid}/notes"), &json!({ "store_id": store, "text": "香蕉要软一点" })).await;
    assert_eq!(status, 201);
    let staff_b = logged_in(&app, STAFF_B).await;
    let (sb,): (i64,) = sqlx::query_as("select id from stores order by id limit 1 offset 1").fetch_one(&app.db.pool).await.expect("b");
    assert_eq!(post(&staff_b, &app, &format!("/api/v1/staff/customers/{uid}/notes"), &json!({ "store_id": sb, "text": "x" })).await.0, 404, "not their customer");
    let (_, queue) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/orders")).await;
    let hers = queue.as_array().expect("queue").iter().find(|o| o["customer_id"] == uid).cloned().unwrap_or_default();
    let texts: Vec<&str> = hers["customer_notes"].as_array().expect("notes").iter().filter_map(|n| n["text"].as_str()).collect();
    assert_eq!(texts, ["过敏：坚果", "香蕉要软一点"]);
    // The resident may remove their own note, not the staff's.
    let staff_note = hers["customer_notes"][1]["id"].as_i64().expect("id");
    assert_eq!(resident.delete(app.url(&format!("/api/v1/me/notes/{staff_note}"))).send().await.expect("del").status().as_u16(), 404);
    let own = note["id"].as_i64().expect("id");
    assert_eq!(resident.delete(app.url(&format!("/api/v1/me/notes/{own}"))).send().await.expect("del").status().as_u16(), 204);
}


/// The clerk's tablet lost its connection while two orders came in: back with the last event
/// id it saw (as a browser's EventSource sends it), it is sent exactly those two, in order, then
/// carries on live; back after a gap the log no longer covers, it is told to reload.
#[tokio::test]
async fn a_queue_stream_back_with_its_last_event_id_gets_exactly_what_it_missed() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;
    let url = app.url(&format!("/api/v1/staff/stores/{store}/events"));
    let mut queue = staff.get(&url).send().await.expect("queue stream");
    let mut buf = String::new();
    let (first, ..) = placed_order(&app, &resident, "resume-1").await;
    let (seen, name, data) = next_event_with_id(&mut queue, &mut buf, Duration::from_secs(1)).await.expect("the new order");
    assert_eq!((name.as_str(), data["order_id"].as_i64()), ("status", Some(first)));
    let seen = seen.expect("a logged event carries its id");
    drop(queue);

    let (second, ..) = placed_order(&app, &resident, "resume-2").await;
    let (third, ..) = placed_order(&app, &resident, "resume-3").await;
    let mut queue = staff.get(&url).header("last-event-id", seen.to_string()).send().await.expect("back");
    assert_eq!(queue.status().as_u16(), 200);
    let mut buf = String::new();
    let mut missed = Vec::new();
    for _ in 0..2 {
        let (id, name, data) = next_event_with_id(&mut queue, &mut buf, Duration::from_secs(1)).await.expect("a missed order");
        missed.push((id.expect("id"), name, data["order_id"].as_i64(), data["new"].as_bool()));
    }
    let what: Vec<_> = missed.iter().map(|m| (m.1.as_str(), m.2, m.3)).collect();
    assert_eq!(what, vec![("status", Some(second), Some(true)), ("status", Some(third), Some(true))]);
    assert!(seen < missed[0].0 && missed[0].0 < missed[1].0, "{seen} then {missed:?}");
    let (fourth, ..) = placed_order(&app, &resident, "resume-4").await;
    let (id, _, data) = next_event_with_id(&mut queue, &mut buf, Duration::from_secs(1)).await.expect("live again");
    assert_eq!(data["order_id"].as_i64(), Some(fourth));
    assert!(id.expect("id") > missed[1].0);
    assert!(next_event_with_id(&mut queue, &mut buf, Duration::from_millis(300)).await.is_none(), "nothing twice");

    // Away for longer than the log keeps: the page is told to fetch its queue afresh.
    linli_app::server::events::store::purge(&app.db.pool, linli_app::shared::time::now_ms() + 60_000).await.expect("purge");
    let mut queue = staff.get(&url).header("last-event-id", seen.to_string()).send().await.expect("back");
    let mut buf = String::new();
    let (id, name, _) = next_event_with_id(&mut queue, &mut buf, Duration::from_secs(1)).await.expect("reload");
    assert_eq!((id, name.as_str()), (None, "reload"));
}
