//! The order's way after checkout: the staff queue, the desk, riders, cancelling, no-shows,
//! and the live streams that tell the resident and the store.
use crate::helpers::{error_code, spawn_app_with_demo, TestApp};
use crate::orders::{first_store, logged_in, pickup_order, place, set_stock, stock, stocked_product, wallet};
use linli_app::shared::time::{iso_date, local_time, now_ms};
use serde_json::{json, Value};
use std::time::Duration;

const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet
const OTHER_RESIDENT: &str = "13800000001";
const STAFF_A: &str = "13900000021"; // 小赵, first store
const MANAGER_A: &str = "13900000011";
const STAFF_B: &str = "13900000022"; // 小钱, second store
const RIDER_A: &str = "13900000031";

pub async fn second_store(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from stores order by id limit 1 offset 1").fetch_one(&app.db.pool).await.expect("store");
    id
}

pub async fn post(c: &reqwest::Client, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let r = c.post(app.url(path)).json(body).send().await.expect("post");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn to(c: &reqwest::Client, app: &TestApp, order: i64, status: &str) -> (u16, Value) {
    post(c, app, &format!("/api/v1/staff/orders/{order}/transition"), &json!({ "to": status })).await
}

/// A placed wallet-paid pickup order for tomorrow: (order id, product, qty, code).
async fn placed_order(app: &TestApp, resident: &reqwest::Client, key: &str) -> (i64, i64, i64, String) {
    let store = first_store(app).await;
    let (product, _) = stocked_product(app, store).await;
    let (status, order) = place(resident, app, key, &pickup_order(store, product, 2, "wallet")).await;
    assert_eq!(status, 201, "{order}");
    (order["id"].as_i64().expect("id"), product, 2, order["pickup_code"].as_str().expect("code").to_string())
}

async fn status_of(app: &TestApp, order: i64) -> String {
    let (s,): (String,) = sqlx::query_as("select status from orders where id = $1").bind(order).fetch_one(&app.db.pool).await.expect("status");
    s
}

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
async fn a_delivery_order_goes_out_with_a_rider_and_is_delivered_against_the_residents_code() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;
    let rider = logged_in(&app, RIDER_A).await;
    let (order, product, qty, code) = placed_order(&app, &resident, "deliver-1").await;
    // Delivery windows depend on the clock; the checkout rules are tested elsewhere, so this
    // order is turned into a 尽快 delivery to 嘉绿苑 directly.
    sqlx::query("update orders set fulfillment = 'delivery', pickup_date = null, window_from = null, window_until = null, address = '嘉绿苑 3幢201', lat = 30.29, lng = 120.13, distance_m = 1500 where id = $1")
        .bind(order)
        .execute(&app.db.pool)
        .await
        .expect("delivery");
    let (on_hand, _) = stock(&app, store, product).await;

    for step in ["accepted", "picking", "ready"] {
        assert_eq!(to(&staff, &app, order, step).await.0, 200, "{step}");
    }
    let (_, ready) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/orders?status=ready")).await;
    assert_eq!(ready[0]["shelf_slot"], Value::Null, "delivery orders wait for a rider, not on a shelf");
    // A delivery code is not a pickup code at the desk.
    let (status, _) = post(&staff, &app, &format!("/api/v1/staff/stores/{store}/pickups/verify"), &json!({ "code": code })).await;
    assert_eq!(status, 404);

    let (status, list) = get(&rider, &app, "/api/v1/rider/orders").await;
    assert_eq!(status, 200, "{list}");
    assert!(list.as_array().expect("list").iter().any(|o| o["id"] == order));
    let (status, claimed) = post(&rider, &app, &format!("/api/v1/rider/orders/{order}/claim"), &json!({})).await;
    assert_eq!((status, claimed["status"].as_str()), (200, Some("out_for_delivery")), "{claimed}");
    assert_eq!(post(&rider, &app, &format!("/api/v1/rider/orders/{order}/claim"), &json!({})).await.0, 409, "claimed once");
    let (_, mine) = get(&resident, &app, &format!("/api/v1/orders/{order}")).await;
    assert_eq!(mine["status"], "out_for_delivery");
    assert!(mine["delivery_eta"].as_str().is_some_and(|e| e.len() == 11), "{mine}");

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, err) = post(&rider, &app, &format!("/api/v1/rider/orders/{order}/deliver"), &json!({ "code": wrong })).await;
    assert_eq!((status, error_code(&err)), (422, "wrong_delivery_code"));
    let (status, done) = post(&rider, &app, &format!("/api/v1/rider/orders/{order}/deliver"), &json!({ "code": code })).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("completed")), "{done}");
    assert_eq!(stock(&app, store, product).await, (on_hand - qty, 0));
    let (_, bell) = get(&resident, &app, "/api/v1/me/notifications").await;
    let kinds: Vec<&str> = bell.as_array().expect("list").iter().filter_map(|n| n["status"].as_str()).collect();
    assert_eq!(kinds, ["completed", "out_for_delivery", "ready", "accepted"]);
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
async fn a_code_works_only_at_its_own_store_and_guessing_is_throttled_per_staff_account() {
    let app = spawn_app_with_demo().await;
    let (store_a, store_b) = (first_store(&app).await, second_store(&app).await);
    let resident = logged_in(&app, RESIDENT).await;
    let staff_a = logged_in(&app, STAFF_A).await;
    let staff_b = logged_in(&app, STAFF_B).await;
    let (order, _, _, code) = placed_order(&app, &resident, "guess-1").await;
    for step in ["accepted", "picking", "ready"] {
        assert_eq!(to(&staff_a, &app, order, step).await.0, 200);
    }
    let verify = |store: i64| format!("/api/v1/staff/stores/{store}/pickups/verify");
    // Store B's desk cannot find store A's order; staff of A cannot use B's desk; store B's
    // staff cannot move A's order either.
    let (status, err) = post(&staff_b, &app, &verify(store_b), &json!({ "code": code })).await;
    assert_eq!((status, error_code(&err)), (404, "pickup_code_not_found"));
    assert_eq!(post(&staff_a, &app, &verify(store_b), &json!({ "code": code })).await.0, 403);
    assert_eq!(to(&staff_b, &app, order, "completed").await.0, 404);
    assert_eq!(get(&staff_b, &app, &format!("/api/v1/staff/stores/{store_a}/orders")).await.0, 403);
    let (status, err) = post(&staff_a, &app, &verify(store_a), &json!({ "code": "12345" })).await;
    assert_eq!((status, error_code(&err)), (422, "invalid_pickup_code"), "a typo is not a guess");

    // Staff B keeps guessing at their own desk: ten misses (the first was above), then 429.
    let mut wrong = 1;
    let mut n = 0;
    while wrong < 10 {
        let guess = format!("{n:06}");
        n += 1;
        if guess == code {
            continue;
        }
        let (status, _) = post(&staff_b, &app, &verify(store_b), &json!({ "code": guess })).await;
        assert_eq!(status, 404, "guess {wrong}");
        wrong += 1;
    }
    let (status, err) = post(&staff_b, &app, &verify(store_b), &json!({ "code": "000001" })).await;
    assert_eq!((status, error_code(&err)), (429, "too_many_attempts"));
    // The throttle is the person's, not the address's: staff A at the same address is fine.
    let (status, found) = post(&staff_a, &app, &verify(store_a), &json!({ "code": format!(" {} {} {} ", &code[..2], &code[2..4], &code[4..]) })).await;
    assert_eq!((status, found["id"].as_i64()), (200, Some(order)), "{found}");

    // Every check is audited.
    let audited: Vec<(String,)> = sqlx::query_as("select outcome from pickup_attempts order by id").fetch_all(&app.db.pool).await.expect("audit");
    let outcomes: Vec<&str> = audited.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "wrong").count(), 10);
    assert_eq!(outcomes.iter().filter(|o| **o == "throttled").count(), 1);
    assert_eq!(outcomes.last(), Some(&"ok"));

    // By the phone's last four digits among the ready orders.
    let (status, list) = get(&staff_a, &app, &format!("/api/v1/staff/stores/{store_a}/pickups?phone_tail=0003")).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(get(&staff_a, &app, &format!("/api/v1/staff/stores/{store_a}/pickups?phone_tail=12")).await.0, 422);
}

/// Reads the next server-sent event (name, data) within `limit`.
pub async fn next_event(res: &mut reqwest::Response, buf: &mut String, limit: Duration) -> Option<(String, Value)> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event:")).map(|s| s.trim().to_string());
            let data = block.lines().find_map(|l| l.strip_prefix("data:")).map(str::trim);
            match (name, data) {
                (Some(name), Some(data)) => return Some((name, serde_json::from_str(data).unwrap_or(Value::Null))),
                _ => continue, // a keep-alive comment
            }
        }
        let chunk = tokio::time::timeout_at(deadline, res.chunk()).await.ok()?.ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
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
async fn a_pickup_nobody_collects_becomes_a_no_show_and_the_staff_decide_about_its_stock() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let manager = logged_in(&app, MANAGER_A).await;
    let before = wallet(&app, RESIDENT).await;
    let (product, _) = stocked_product(&app, store).await;
    set_stock(&app, store, product, 10).await;
    let mut orders = Vec::new();
    for key in ["ns-1", "ns-2"] {
        let (status, o) = place(&resident, &app, key, &pickup_order(store, product, 2, "wallet")).await;
        assert_eq!(status, 201, "{o}");
        let id = o["id"].as_i64().expect("id");
        for step in ["accepted", "picking", "ready"] {
            assert_eq!(to(&manager, &app, id, step).await.0, 200);
        }
        orders.push(id);
    }
    // Both were for yesterday 17:00–18:00: the deadline job finds them overdue.
    let yesterday = iso_date(local_time(now_ms()).day - 1);
    sqlx::query("update orders set pickup_date = $1, window_from = '17:00', window_until = '18:00' where id in ($2, $3)")
        .bind(&yesterday)
        .bind(orders[0])
        .bind(orders[1])
        .execute(&app.db.pool)
        .await
        .expect("backdate");
    // The app's own minute job may get there first; either way each order moves once.
    let first = linli_app::orders::flow::sweep_no_shows(&app.db).await.expect("sweep").moved;
    assert!(first <= 2);
    assert_eq!(linli_app::orders::flow::sweep_no_shows(&app.db).await.expect("sweep again").moved, 0, "once");
    assert_eq!(status_of(&app, orders[1]).await, "no_show");
    assert_eq!(status_of(&app, orders[0]).await, "no_show");
    assert_eq!(wallet(&app, RESIDENT).await, before, "both payments refunded");
    assert_eq!(stock(&app, store, product).await, (10, 4), "the units wait for the staff's decision");
    let (_, queue) = get(&manager, &app, &format!("/api/v1/staff/stores/{store}/orders")).await;
    assert!(queue.as_array().expect("queue").iter().filter(|o| o["awaiting_stock_decision"] == true).count() == 2);

    let decide = |id: i64, back: bool| {
        let manager = manager.clone();
        let url = app.url(&format!("/api/v1/staff/orders/{id}/no-show-stock"));
        async move {
            let r = manager.post(url).json(&json!({ "back_on_shelf": back })).send().await.expect("decide");
            r.status().as_u16()
        }
    };
    assert_eq!(decide(orders[0], true).await, 200);
    assert_eq!(stock(&app, store, product).await, (10, 2), "back on the shelf");
    assert_eq!(decide(orders[1], false).await, 200);
    assert_eq!(stock(&app, store, product).await, (8, 0), "written off");
    assert_eq!(decide(orders[1], true).await, 409, "decided once");
    assert_eq!(stock(&app, store, product).await, (8, 0));
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
    let (status, picks) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/pick-list?date={}", crate::orders::tomorrow())).await;
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
    let (status, picks) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/pick-list?date={}", crate::orders::tomorrow())).await;
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

#[tokio::test]
async fn with_lbs_routing_on_a_delivery_goes_to_the_nearest_store_that_has_everything() {
    use linli_app::orders::model::FulfillmentRequest;
    let app = spawn_app_with_demo().await;
    let (wensan, gudun) = (first_store(&app).await, second_store(&app).await);
    let owner = logged_in(&app, "13900000000").await;
    let staff = logged_in(&app, STAFF_A).await;
    assert_eq!(get(&staff, &app, "/api/v1/owner/routing").await.0, 403, "the owner's switch");
    assert_eq!(get(&owner, &app, "/api/v1/owner/routing").await.1["lbs_routing"], false, "off by default");

    // 嘉绿苑-ish: 2.7 km from 文三路店 (inside its radius), 1 km from 古墩路店.
    let f = FulfillmentRequest::Delivery { address: "古墩路附近 5幢302".into(), lat: 30.2950, lng: 120.1075, slot: "asap".into() };
    let (product, _) = stocked_product(&app, wensan).await;
    set_stock(&app, wensan, product, 50).await;
    set_stock(&app, gudun, product, 50).await;
    let (price,): (i64,) = sqlx::query_as("select price_fen from products where id = $1").bind(product).fetch_one(&app.db.pool).await.expect("price");
    let qty = (3000 / price + 1).min(99); // above every store's delivery minimum
    let lines = [(product, qty)];
    // A clock inside delivery hours, so the decision does not depend on when the test runs.
    let ten_am = linli_app::shared::time::LocalTime { day: local_time(now_ms()).day, minute: 10 * 60 };
    let route = |lines: Vec<(i64, i64)>| {
        let f = f.clone();
        let app = &app;
        async move {
            let chosen = linli_app::stores::store::get_active(&app.db.pool, first_store(app).await).await.expect("store").expect("open");
            linli_app::orders::service::route(&app.db, &chosen, &f, &lines, ten_am).await.expect("route").map(|s| s.id)
        }
    };
    assert_eq!(route(lines.to_vec()).await, None, "routing is off");

    let r = owner.put(app.url("/api/v1/owner/routing")).json(&json!({ "lbs_routing": true })).send().await.expect("put");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(route(lines.to_vec()).await, Some(gudun), "the nearer store has everything");
    set_stock(&app, gudun, product, qty - 1).await;
    assert_eq!(route(lines.to_vec()).await, None, "one short there: the chosen store keeps it");
    set_stock(&app, gudun, product, 50).await;

    // Placed for real when the clock allows delivery now (all day long, bar the last two hours,
    // with the stores open round the clock): the order is 古墩路店's and says why.
    sqlx::query("update stores set opens_at = '00:00', closes_at = '23:59'").execute(&app.db.pool).await.expect("hours");
    let resident = logged_in(&app, RESIDENT).await;
    let body = json!({
        "store_id": wensan,
        "items": [{"product_id": product, "qty": qty}],
        "fulfillment": {"type": "delivery", "address": "古墩路附近 5幢302", "lat": 30.2950, "lng": 120.1075, "slot": "asap"},
        "payment": "on_pickup"
    });
    let (status, order) = place(&resident, &app, "lbs-1", &body).await;
    match status {
        201 => {
            assert_eq!(order["store_id"].as_i64(), Some(gudun), "{order}");
            assert!(order["events"][0]["reason"].as_str().is_some_and(|r| r.starts_with("routed_from:")), "{order}");
            assert_eq!(stock(&app, gudun, product).await.1, qty);
            assert_eq!(stock(&app, wensan, product).await.1, 0);
        }
        _ => assert_eq!((status, error_code(&order)), (422, "invalid_slot"), "outside delivery hours: {order}"),
    }
}

/// An order of the resident's, taken to ready by the store.
async fn ready_order(app: &TestApp, resident: &reqwest::Client, staff: &reqwest::Client, key: &str) -> (i64, String) {
    let (order, _, _, code) = placed_order(app, resident, key).await;
    for step in ["accepted", "picking", "ready"] {
        assert_eq!(to(staff, app, order, step).await.0, 200, "{step}");
    }
    (order, code)
}

#[tokio::test]
async fn the_desk_hands_over_only_to_someone_who_proves_the_order_is_theirs() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;
    let manager = logged_in(&app, MANAGER_A).await;
    let verify = |c: &reqwest::Client, code: &str| {
        let (c, url, body) = (c.clone(), app.url(&format!("/api/v1/staff/stores/{store}/pickups/verify")), json!({ "code": code }));
        async move {
            let r = c.post(url).json(&body).send().await.expect("verify");
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let hand_over = |c: &reqwest::Client, order: i64, body: Value| {
        let (c, url) = (c.clone(), app.url(&format!("/api/v1/staff/orders/{order}/hand-over")));
        async move {
            let r = c.post(url).json(&body).send().await.expect("hand over");
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };

    // Checked by its code (typed with a Chinese keyboard's full-width digits), then one tap.
    let (first, code) = ready_order(&app, &resident, &staff, "desk-1").await;
    let wide: String = code.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).expect("digit")).collect();
    let (status, found) = verify(&staff, &wide).await;
    assert_eq!((status, found["id"].as_i64()), (200, Some(first)), "{found}");
    assert_eq!(hand_over(&staff, first, json!({})).await.0, 200);
    // The same code again a moment later: 已取货, not a wrong guess.
    let (status, err) = verify(&staff, &code).await;
    assert_eq!((status, error_code(&err)), (409, "already_collected"), "{err}");
    assert_eq!(err["error"]["details"]["order_id"].as_i64(), Some(first));
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, err) = verify(&staff, wrong).await;
    assert_eq!((status, error_code(&err)), (404, "pickup_code_not_found"));
    assert_eq!(err["error"]["details"]["tries_left"], 9, "only the wrong code counted: {err}");

    // Opened from the list, not by its code: the person proves it now, or it is not handed over.
    let (second, code2) = ready_order(&app, &resident, &staff, "desk-2").await;
    let (status, err) = hand_over(&staff, second, json!({})).await;
    assert_eq!((status, error_code(&err)), (422, "pickup_proof_required"), "{err}");
    let (status, err) = to(&staff, &app, second, "completed").await;
    assert_eq!((status, error_code(&err)), (422, "pickup_proof_required"), "a transition does not skip the desk: {err}");
    let other_code = if code2 == "123456" { "654321" } else { "123456" };
    let (status, err) = hand_over(&staff, second, json!({ "code": other_code })).await;
    assert_eq!((status, error_code(&err)), (422, "pickup_proof_mismatch"));
    assert_eq!(err["error"]["details"]["tries_left"], 8);
    assert_eq!(hand_over(&staff, second, json!({ "phone_tail": "1234" })).await.1["error"]["code"], "pickup_proof_mismatch");
    assert_eq!(status_of(&app, second).await, "ready");
    let (status, done) = hand_over(&staff, second, json!({ "phone_tail": "0003" })).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("completed")), "{done}");

    // No code at all: a clerk may not wave it through; a manager may, and it is on record.
    let (third, _) = ready_order(&app, &resident, &staff, "desk-3").await;
    let (status, _) = hand_over(&staff, third, json!({ "override_reason": "熟客" })).await;
    assert_eq!(status, 422);
    let (status, done) = hand_over(&manager, third, json!({ "override_reason": "老顾客张女士，手机没电" })).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("completed")), "{done}");
    let audit: Vec<(String, String)> = sqlx::query_as("select outcome, note from pickup_attempts where order_id = $1 order by id")
        .bind(third)
        .fetch_all(&app.db.pool)
        .await
        .expect("audit");
    assert_eq!(audit, vec![("override".to_string(), "老顾客张女士，手机没电".to_string())]);
    let outcomes: Vec<(String,)> = sqlx::query_as("select outcome from pickup_attempts where order_id = $1 order by id").bind(second).fetch_all(&app.db.pool).await.expect("audit");
    assert_eq!(outcomes, vec![("proof".to_string(),)]);
}
