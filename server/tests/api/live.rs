//! The live room's commerce: a session's line-up sells at its live price only while it is
//! live, from units set aside on the shelf, within each resident's limit — never oversold.
use crate::helpers::*;
use serde_json::{json, Value};
use std::time::Duration;

const MANAGER_A: &str = "13900000011"; // 刘店长, first store
const MANAGER_B: &str = "13900000012"; // 周店长, second store
const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet

fn in_an_hour() -> String {
    linli_app::shared::time::rfc3339(linli_app::shared::time::now_ms() + 3_600_000)
}

fn session(store: i64, product: i64, live_price: i64, units: i64, limit: i64) -> Value {
    json!({
        "store_id": store, "title": "果园直击·丑橘", "starts_at": in_an_hour(),
        "items": [{"product_id": product, "live_price_fen": live_price, "stock": units, "per_user_limit": limit}]
    })
}

/// A product with `units` more on the shelf (进货): (id, its usual price at the store).
async fn live_product(app: &TestApp, store: i64, units: i64) -> (i64, i64) {
    let (product, _) = stocked_product(app, store).await;
    receive(app, store, product, units).await;
    (product, shelf_price(app, store, product).await.1)
}

/// (what the shelf charges now, its usual price): they differ while a markdown (晚市特惠) runs.
async fn shelf_price(app: &TestApp, store: i64, product: i64) -> (i64, i64) {
    let mut conn = app.db.pool.acquire().await.expect("conn");
    let priced = linli_app::catalog::priced_lines(&mut conn, store, &[(product, 1)]).await.expect("priced");
    let p = &priced[0].0;
    (p.price_fen, p.regular_price_fen.unwrap_or(p.price_fen))
}

async fn schedule(app: &TestApp, body: &Value) -> i64 {
    let host = logged_in(app, MANAGER_A).await;
    let (s, v) = post(&host, app, "/api/v1/live-sessions", body).await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_i64().expect("id")
}

async fn host_does(app: &TestApp, id: i64, what: &str) -> (u16, Value) {
    let host = logged_in(app, MANAGER_A).await;
    post(&host, app, &format!("/api/v1/live-sessions/{id}/{what}"), &json!({})).await
}

fn live_order(product: i64, qty: i64, payment: &str) -> Value {
    json!({"product_id": product, "qty": qty, "payment": payment,
        "fulfillment": {"type": "pickup", "pickup_date": tomorrow(), "window": "17:00-18:00"}})
}

async fn buy(c: &reqwest::Client, app: &TestApp, id: i64, key: &str, body: &Value) -> (u16, Value) {
    let r = c.post(app.url(&format!("/api/v1/live-sessions/{id}/orders"))).header("idempotency-key", key).json(body).send().await.expect("buy");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_live_price_holds_only_while_live_and_the_units_set_aside_come_back_at_the_end() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 40).await;
    let (on_hand, reserved) = stock(&app, store, product).await;
    let live_price = usual * 7 / 10;
    let id = schedule(&app, &session(store, product, live_price, 30, 2)).await;
    // Set aside: off the shelf with a ledger row naming the session.
    assert_eq!(stock(&app, store, product).await, (on_hand - 30, reserved));
    assert_eq!(count(&app, &format!("select count(*) from stock_movements where reason = 'live_allot' and live_session_id = {id}")).await, 1);
    assert_ledger_balances(&app, store, product).await;

    let resident = logged_in(&app, RESIDENT).await;
    let (s, v) = buy(&resident, &app, id, "early", &live_order(product, 1, "on_pickup")).await;
    assert_eq!((s, error_code(&v)), (409, "not_live"), "{v}");

    let (s, v) = host_does(&app, id, "start").await;
    assert_eq!((s, v["status"].as_str()), (200, Some("live")), "{v}");
    let (s, again) = host_does(&app, id, "start").await;
    assert_eq!((s, again["status"].as_str()), (200, Some("live")), "a second tap changes nothing");

    let (s, order) = buy(&resident, &app, id, "k1", &live_order(product, 2, "wallet")).await;
    assert_eq!(s, 201, "{order}");
    assert_eq!(order["goods_fen"].as_i64(), Some(live_price * 2), "the live price: {order}");
    assert_eq!(order["status"], "placed");
    let order_id = order["id"].as_i64().expect("order id");
    // A retry with the same key is the same order.
    let (s, replay) = buy(&resident, &app, id, "k1", &live_order(product, 2, "wallet")).await;
    assert_eq!((s, replay["id"].as_i64()), (201, Some(order_id)));
    // The shelf still sells at the usual price meanwhile.
    let (s, shelf) = place(&resident, &app, "shelf", &pickup_order(store, product, 1, "on_pickup")).await;
    assert_eq!(s, 201, "{shelf}");
    assert_eq!(shelf["goods_fen"].as_i64(), Some(shelf_price(&app, store, product).await.0), "never the live price off the live room");

    let (_, room) = get(&client(), &app, &format!("/api/v1/live-sessions/{id}")).await;
    assert_eq!(room["items"][0]["remaining"], 28);
    assert_eq!(room["items"][0]["usual_price_fen"].as_i64(), Some(usual));
    assert_eq!((room["orders"].as_i64(), room["gmv_fen"].as_i64()), (Some(1), Some(live_price * 2)));

    let (s, ended) = host_does(&app, id, "end").await;
    assert_eq!((s, ended["status"].as_str()), (200, Some("ended")), "{ended}");
    let (s, v) = buy(&resident, &app, id, "late", &live_order(product, 1, "on_pickup")).await;
    assert_eq!((s, error_code(&v)), (409, "not_live"), "the live price ends with the session: {v}");
    // What was not sold is back; the live order holds its two like any order; the shelf order its one.
    assert_eq!(stock(&app, store, product).await, (on_hand, reserved + 3));
    let (s, _) = host_does(&app, id, "end").await;
    assert_eq!(s, 200);
    assert_eq!(stock(&app, store, product).await, (on_hand, reserved + 3), "ending twice returns nothing twice");
    assert_ledger_balances(&app, store, product).await;

    // Cancelling the live order puts its units on the shelf and refunds the wallet.
    let before = wallet(&app, RESIDENT).await;
    let (s, v) = post(&resident, &app, &format!("/api/v1/orders/{order_id}/cancel"), &json!({})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(stock(&app, store, product).await, (on_hand, reserved + 1));
    assert_eq!(wallet(&app, RESIDENT).await, before + order["total_fen"].as_i64().expect("total"));
}

#[tokio::test]
async fn bad_sessions_get_a_clear_code_and_change_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let usual = shelf_price(&app, store, product).await.1;
    let before = stock(&app, store, product).await;
    let available = before.0 - before.1;
    let host = logged_in(&app, MANAGER_A).await;
    let mut past = session(store, product, usual / 2, 1, 1);
    past["starts_at"] = json!(linli_app::shared::time::rfc3339(linli_app::shared::time::now_ms() - 86_400_000));
    let mut empty = session(store, product, usual / 2, 1, 1);
    empty["items"] = json!([]);
    let cases = [
        (session(store, product, 0, 1, 1), 422, "invalid_live_price"),
        (session(store, product, usual + 1, 1, 1), 422, "invalid_live_price"),
        (session(store, product, usual / 2, available + 1, 1), 409, "live_stock_short"),
        (past, 422, "invalid_live_start"),
        (empty, 422, "live_lineup_required"),
        (session(store, product, usual / 2, 1, 0), 422, "invalid_live_stock"),
        (session(store, 999_999, 100, 1, 1), 422, "product_unavailable"),
    ];
    for (body, status, code) in cases {
        let (s, v) = post(&host, &app, "/api/v1/live-sessions", &body).await;
        assert_eq!((s, error_code(&v)), (status, code), "{body} → {v}");
        assert!(!v["error"]["message"].as_str().unwrap_or("").is_empty());
    }
    // Someone else's store, or a resident: refused.
    let other = logged_in(&app, MANAGER_B).await;
    let (s, _) = post(&other, &app, "/api/v1/live-sessions", &session(store, product, usual / 2, 1, 1)).await;
    assert_eq!(s, 403);
    let resident = logged_in(&app, RESIDENT).await;
    let (s, _) = post(&resident, &app, "/api/v1/live-sessions", &session(store, product, usual / 2, 1, 1)).await;
    assert_eq!(s, 403);
    assert_eq!(count(&app, "select count(*) from live_sessions").await, 0);
    assert_eq!(stock(&app, store, product).await, before, "nothing set aside");

    // A session of the first store: the second store's manager cannot run it, nor pin a stranger.
    let id = schedule(&app, &session(store, product, usual / 2, 1, 1)).await;
    let (s, _) = post(&other, &app, &format!("/api/v1/live-sessions/{id}/start"), &json!({})).await;
    assert_eq!(s, 404);
    let (s, v) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/pin"), &json!({"product_id": 999_999})).await;
    assert_eq!((s, error_code(&v)), (422, "not_in_lineup"));
    let (s, _) = get(&client(), &app, "/api/v1/live-sessions/999999").await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn three_hundred_buyers_for_fifty_live_units_buy_exactly_fifty() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 60).await;
    let (on_hand, reserved) = stock(&app, store, product).await;
    let id = schedule(&app, &session(store, product, usual / 2, 50, 1)).await;
    let (s, _) = host_does(&app, id, "start").await;
    assert_eq!(s, 200);
    let people = households(&app, 300, "137440", 0).await;
    let tasks: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(h, (_, c))| {
            let (c, url, body) = (c.clone(), app.url(&format!("/api/v1/live-sessions/{id}/orders")), live_order(product, 1, "on_pickup"));
            tokio::spawn(async move {
                let r = c.post(url).header("idempotency-key", format!("h{h}")).json(&body).send().await.expect("buy");
                (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let (mut won, mut sold_out) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.expect("task");
        match (status, error_code(&body)) {
            (201, _) => won += 1,
            (409, "sold_out") => sold_out += 1,
            other => panic!("unexpected {other:?}: {body}"),
        }
    }
    assert_eq!((won, sold_out), (50, 250));
    assert_eq!(count(&app, &format!("select cast(sold as bigint) from live_items where session_id = {id}")).await, 50);
    assert_eq!(count(&app, &format!("select count(*) from orders where live_session_id = {id}")).await, 50);
    // Every unit sold is held by its order on the shelf's books; the ledger adds up.
    assert_eq!(stock(&app, store, product).await, (on_hand, reserved + 50));
    assert_ledger_balances(&app, store, product).await;
}

#[tokio::test]
async fn one_resident_firing_ten_orders_at_once_gets_the_limit_and_no_more() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 20).await;
    let id = schedule(&app, &session(store, product, usual / 2, 20, 2)).await;
    host_does(&app, id, "start").await;
    let resident = logged_in(&app, RESIDENT).await;
    let tasks: Vec<_> = (0..10)
        .map(|k| {
            let (c, url, body) = (resident.clone(), app.url(&format!("/api/v1/live-sessions/{id}/orders")), live_order(product, 1, "on_pickup"));
            tokio::spawn(async move {
                let r = c.post(url).header("idempotency-key", format!("tap{k}")).json(&body).send().await.expect("buy");
                (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        let (status, body) = t.await.expect("task");
        match (status, error_code(&body)) {
            (201, _) => won += 1,
            (409, "limit_exceeded") => {}
            other => panic!("unexpected {other:?}: {body}"),
        }
    }
    assert_eq!(won, 2);
    assert_eq!(count(&app, &format!("select count(*) from orders where live_session_id = {id}")).await, 2);
    assert_eq!(count(&app, &format!("select cast(sold as bigint) from live_items where session_id = {id}")).await, 2);
}

#[tokio::test]
async fn a_pin_reaches_an_open_room_within_a_second() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 5).await;
    let id = schedule(&app, &session(store, product, usual / 2, 5, 1)).await;
    let mut res = client().get(app.url(&format!("/api/v1/live-sessions/{id}/events"))).send().await.expect("stream");
    assert_eq!(res.status().as_u16(), 200);
    let mut buf = String::new();
    let (name, first) = next_event(&mut res, &mut buf, Duration::from_secs(5)).await.expect("the current state first");
    assert_eq!((name.as_str(), first["status"].as_str(), first["pinned_product_id"].is_null()), ("state", Some("scheduled"), true));
    let host = logged_in(&app, MANAGER_A).await;
    let (s, _) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/pin"), &json!({"product_id": product})).await;
    assert_eq!(s, 200);
    let (_, next) = next_event(&mut res, &mut buf, Duration::from_secs(1)).await.expect("within a second");
    assert_eq!(next["pinned_product_id"].as_i64(), Some(product));
    assert_eq!(next["remaining"][0], json!({"product_id": product, "remaining": 5}));
}

#[tokio::test]
async fn a_session_left_running_is_ended_by_housekeeping_once_and_its_units_come_back() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 10).await;
    let before = stock(&app, store, product).await;
    let id = schedule(&app, &session(store, product, usual / 2, 10, 1)).await;
    host_does(&app, id, "start").await;
    let overdue = linli_app::shared::time::now_ms() - linli_app::live::service::OVERDUE_MS - 1000;
    sqlx::query("update live_sessions set started_at_ms = $2 where id = $1").bind(id).bind(overdue).execute(&app.db.pool).await.expect("age it");
    // Two passes (two instances, or one after a restart) end it once.
    let (a, b) = tokio::join!(linli_app::live::service::end_overdue(&app.db), linli_app::live::service::end_overdue(&app.db));
    assert_eq!(a.expect("pass") + b.expect("pass"), 1);
    assert_eq!(linli_app::live::service::end_overdue(&app.db).await.expect("pass"), 0);
    let (_, room) = get(&client(), &app, &format!("/api/v1/live-sessions/{id}")).await;
    assert_eq!(room["status"], "ended");
    assert_eq!(stock(&app, store, product).await, before);
    assert_eq!(count(&app, &format!("select count(*) from stock_movements where reason = 'live_return' and live_session_id = {id}")).await, 1);
    assert_ledger_balances(&app, store, product).await;
}

const STAFF_A: &str = "13900000021"; // 小赵, first store's clerk
const NEIGHBOUR: &str = "13800000001";

async fn say(c: &reqwest::Client, app: &TestApp, id: i64, text: &str) -> (u16, Value) {
    post(c, app, &format!("/api/v1/live-sessions/{id}/comments"), &json!({ "text": text })).await
}

/// Reads events until one named `name` comes (or `limit` passes).
async fn next_named(res: &mut reqwest::Response, buf: &mut String, name: &str, limit: Duration) -> Option<Value> {
    let until = tokio::time::Instant::now() + limit;
    loop {
        let left = until.checked_duration_since(tokio::time::Instant::now())?;
        let (n, v) = next_event(res, buf, left).await?;
        if n == name {
            return Some(v);
        }
    }
}

#[tokio::test]
async fn comments_are_text_rate_limited_muted_viewers_are_refused_and_hidden_ones_leave_the_replay() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 5).await;
    let id = schedule(&app, &session(store, product, usual / 2, 5, 1)).await;
    let resident = logged_in(&app, RESIDENT).await;
    let neighbour = logged_in(&app, NEIGHBOUR).await;
    let host = logged_in(&app, MANAGER_A).await;

    // Guests read but do not write; a comment is 1–60 characters of text.
    assert_eq!(say(&client(), &app, id, "你好").await.0, 401);
    assert_eq!(error_code(&say(&resident, &app, id, "   ").await.1), "invalid_comment");
    assert_eq!(error_code(&say(&resident, &app, id, &"甜".repeat(61)).await.1), "invalid_comment");
    let (s, first) = say(&resident, &app, id, "<b>几点开始？</b>").await;
    assert_eq!(s, 201, "{first}");
    assert_eq!((first["text"].as_str(), first["author"].as_str(), first["host"].as_bool()), (Some("<b>几点开始？</b>"), Some("张**"), Some(false)));
    // The floor: a second comment within 3 s waits, and says how long.
    let (s, v) = say(&resident, &app, id, "还有吗").await;
    assert_eq!((s, error_code(&v)), (429, "comment_too_fast"), "{v}");
    assert!(v["error"]["details"]["retry_after_secs"].as_i64().is_some_and(|n| (1..=3).contains(&n)), "{v}");
    // Hosts answer at once.
    assert_eq!(say(&host, &app, id, "七点半开播").await.0, 201);
    let (s, again) = say(&host, &app, id, "丑橘今天到货").await;
    assert_eq!((s, again["host"].as_bool()), (201, Some(true)), "{again}");

    // Banned words (the store's list) are refused, matched through spaces and case.
    let (s, words) = put(&host, &app, &format!("/api/v1/staff/stores/{store}/live-banned-words"), &json!({"words": ["微信", " 加V "]})).await;
    assert_eq!((s, words["words"].clone()), (200, json!(["微信", "加v"])));
    let (s, v) = say(&neighbour, &app, id, "加我微 信").await;
    assert_eq!((s, error_code(&v)), (422, "comment_blocked"), "{v}");
    let clerk = logged_in(&app, STAFF_A).await;
    assert_eq!(put(&clerk, &app, &format!("/api/v1/staff/stores/{store}/live-banned-words"), &json!({"words": []})).await.0, 403);

    // Slow mode: 0–300 s.
    let (s, v) = put(&host, &app, &format!("/api/v1/live-sessions/{id}/slow-mode"), &json!({"seconds": 301})).await;
    assert_eq!((s, error_code(&v)), (422, "invalid_slow_mode"));
    let (s, v) = put(&host, &app, &format!("/api/v1/live-sessions/{id}/slow-mode"), &json!({"seconds": 60})).await;
    assert_eq!((s, v["slow_mode_secs"].as_i64()), (200, Some(60)), "{v}");
    let (s, spam) = say(&neighbour, &app, id, "第一条").await;
    assert_eq!(s, 201);
    sqlx::query("update live_comments set created_at_ms = created_at_ms - 10000 where session_id = $1").bind(id).execute(&app.db.pool).await.expect("age");
    let (s, v) = say(&neighbour, &app, id, "第二条").await;
    assert_eq!((s, error_code(&v)), (429, "comment_too_fast"), "ten seconds are not a minute: {v}");
    assert!(v["error"]["details"]["retry_after_secs"].as_i64().is_some_and(|n| (45..=50).contains(&n)), "{v}");

    // Mute by one of their comments; a muted viewer is refused, others are not.
    let (s, v) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/mutes"), &json!({"comment_id": spam["id"]})).await;
    assert_eq!(s, 200, "{v}");
    let muted_id = v["user_id"].as_i64().expect("user id");
    assert_eq!(post(&host, &app, &format!("/api/v1/live-sessions/{id}/mutes"), &json!({"user_id": muted_id})).await.0, 200, "twice is once");
    sqlx::query("update live_comments set created_at_ms = 0 where session_id = $1").bind(id).execute(&app.db.pool).await.expect("age");
    let (s, v) = say(&neighbour, &app, id, "为什么").await;
    assert_eq!((s, error_code(&v)), (403, "muted"), "{v}");
    assert_eq!(post(&resident, &app, &format!("/api/v1/live-sessions/{id}/mutes"), &json!({"user_id": muted_id})).await.0, 404, "residents do not moderate: the host's controls are not there for them");

    // Pin a comment; hide it: it leaves the pin, the rooms and the replay.
    let (s, v) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/pinned-comment"), &json!({"comment_id": first["id"]})).await;
    assert_eq!((s, v["pinned_comment"]["id"].clone()), (200, first["id"].clone()), "{v}");
    let mut res = client().get(app.url(&format!("/api/v1/live-sessions/{id}/events"))).send().await.expect("stream");
    let mut buf = String::new();
    let state = next_named(&mut res, &mut buf, "state", Duration::from_secs(5)).await.expect("state");
    assert_eq!(state["pinned_comment"]["text"], first["text"]);
    let replayed = next_named(&mut res, &mut buf, "comment", Duration::from_secs(5)).await.expect("the replay");
    assert_eq!(replayed["id"], first["id"], "oldest first");
    let (s, _) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/comments/{}/hide", first["id"]), &json!({})).await;
    assert_eq!(s, 200);
    let hidden = next_named(&mut res, &mut buf, "hidden", Duration::from_secs(5)).await.expect("hidden within seconds (2 s flaked on PostgreSQL under the whole suite)");
    assert_eq!(hidden["comment_id"], first["id"]);
    assert_eq!(post(&host, &app, &format!("/api/v1/live-sessions/{id}/comments/{}/hide", first["id"]), &json!({})).await.0, 200, "twice is fine");
    let (_, room) = get(&client(), &app, &format!("/api/v1/live-sessions/{id}")).await;
    assert!(room["pinned_comment"].is_null(), "{room}");
    let mut res = client().get(app.url(&format!("/api/v1/live-sessions/{id}/events"))).send().await.expect("stream");
    let mut buf = String::new();
    let mut texts = Vec::new();
    while let Some((name, v)) = next_event(&mut res, &mut buf, Duration::from_millis(500)).await {
        if name == "comment" {
            texts.push(v["text"].as_str().unwrap_or_default().to_string());
        }
    }
    assert_eq!(texts, vec!["七点半开播", "丑橘今天到货", "第一条"], "the replay without the hidden comment");

    // After the end comments are closed.
    host_does(&app, id, "end").await;
    let (s, v) = say(&host, &app, id, "谢谢大家").await;
    assert_eq!((s, error_code(&v)), (409, "comments_closed"));
}

#[tokio::test]
async fn a_reminder_rings_the_bell_when_the_session_goes_live_and_allowed_staff_may_host() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 5).await;
    let id = schedule(&app, &session(store, product, usual / 2, 5, 1)).await;
    let resident = logged_in(&app, RESIDENT).await;
    let (s, v) = post(&resident, &app, &format!("/api/v1/live-sessions/{id}/reminders"), &json!({})).await;
    assert_eq!((s, v["reminded"].as_bool()), (201, Some(true)));
    assert_eq!(post(&resident, &app, &format!("/api/v1/live-sessions/{id}/reminders"), &json!({})).await.0, 201, "twice is once");
    let (_, list) = get(&resident, &app, &format!("/api/v1/stores/{store}/live-sessions")).await;
    assert_eq!((list[0]["id"].as_i64(), list[0]["reminded"].as_bool(), list[0]["status"].as_str()), (Some(id), Some(true), Some("scheduled")), "{list}");

    // A clerk may not host until a manager allows it.
    let clerk = logged_in(&app, STAFF_A).await;
    let (s, _) = post(&clerk, &app, &format!("/api/v1/live-sessions/{id}/start"), &json!({})).await;
    assert_eq!(s, 403);
    let host = logged_in(&app, MANAGER_A).await;
    let clerk_id = count(&app, &format!("select id from users where phone = '{STAFF_A}'")).await;
    let resident_id = count(&app, &format!("select id from users where phone = '{RESIDENT}'")).await;
    let (s, v) = put(&host, &app, &format!("/api/v1/staff/stores/{store}/live-hosts"), &json!({"user_ids": [resident_id]})).await;
    assert_eq!((s, error_code(&v)), (422, "not_staff_here"));
    let (s, v) = put(&host, &app, &format!("/api/v1/staff/stores/{store}/live-hosts"), &json!({"user_ids": [clerk_id]})).await;
    assert_eq!((s, v["user_ids"].clone()), (200, json!([clerk_id])));
    let (s, v) = post(&clerk, &app, &format!("/api/v1/live-sessions/{id}/start"), &json!({})).await;
    assert_eq!((s, v["status"].as_str()), (200, Some("live")), "{v}");
    assert_eq!(count(&app, &format!("select count(*) from notifications where live_session_id = {id} and kind = 'live_started' and user_id = {resident_id}")).await, 1);
    let (s, v) = post(&resident, &app, &format!("/api/v1/live-sessions/{id}/reminders"), &json!({})).await;
    assert_eq!((s, error_code(&v)), (409, "remind_too_late"));
    // Another store's manager cannot hand out hosting here.
    let other = logged_in(&app, MANAGER_B).await;
    assert_eq!(put(&other, &app, &format!("/api/v1/staff/stores/{store}/live-hosts"), &json!({"user_ids": []})).await.0, 404);
}

#[tokio::test]
async fn open_rooms_are_counted_as_viewers_and_the_peak_is_kept() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 5).await;
    let id = schedule(&app, &session(store, product, usual / 2, 5, 1)).await;
    host_does(&app, id, "start").await;
    let mut rooms = Vec::new();
    for _ in 0..3 {
        let mut res = client().get(app.url(&format!("/api/v1/live-sessions/{id}/events"))).send().await.expect("stream");
        let mut buf = String::new();
        next_event(&mut res, &mut buf, Duration::from_secs(5)).await.expect("opened");
        rooms.push((res, buf));
    }
    // Each instance writes its count every few seconds (LINLI_VIEWERS_TICK_MS, 3 s here).
    let room = viewers_become(&app, id, 3).await;
    assert_eq!(room["viewers_peak"].as_i64(), Some(3), "{room}");
    let (res, buf) = &mut rooms[0];
    let v = next_named(res, buf, "viewers", Duration::from_secs(5)).await.expect("the rooms hear the count");
    assert_eq!(v["viewers"].as_i64(), Some(3));
    // Two phones leave.
    rooms.truncate(1);
    let room = viewers_become(&app, id, 1).await;
    assert_eq!(room["viewers_peak"].as_i64(), Some(3), "the peak stays: {room}");
    let (res, buf) = &mut rooms[0];
    let v = next_named(res, buf, "viewers", Duration::from_secs(5)).await.expect("the rooms hear the count");
    assert_eq!((v["viewers"].as_i64(), v["viewers_peak"].as_i64()), (Some(1), Some(3)));
}

/// The session once its `viewers` reads `n` (within 10 s).
async fn viewers_become(app: &TestApp, id: i64, n: i64) -> Value {
    let until = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, room) = get(&client(), app, &format!("/api/v1/live-sessions/{id}")).await;
        if room["viewers"].as_i64() == Some(n) || tokio::time::Instant::now() > until {
            assert_eq!(room["viewers"].as_i64(), Some(n), "{room}");
            return room;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_host_adds_units_or_closes_a_line_during_the_session_with_a_ledger_row_each() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 20).await;
    let before = stock(&app, store, product).await;
    let id = schedule(&app, &session(store, product, usual / 2, 5, 3)).await;
    host_does(&app, id, "start").await;
    let host = logged_in(&app, MANAGER_A).await;
    let units = |n: i64| json!({ "units": n });
    let (s, v) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/items/{product}/units"), &units(10)).await;
    assert_eq!((s, v["items"][0]["remaining"].as_i64()), (200, Some(15)), "{v}");
    assert_eq!(stock(&app, store, product).await, (before.0 - 15, before.1));
    let (s, v) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/items/{product}/units"), &units(1000)).await;
    assert_eq!((s, error_code(&v)), (409, "live_stock_short"), "more than the shelf has: {v}");
    assert_eq!(error_code(&post(&host, &app, &format!("/api/v1/live-sessions/{id}/items/{product}/units"), &units(0)).await.1), "invalid_live_stock");
    assert_eq!(error_code(&post(&host, &app, &format!("/api/v1/live-sessions/{id}/items/999999/units"), &units(1)).await.1), "not_in_lineup");

    let resident = logged_in(&app, RESIDENT).await;
    assert_eq!(buy(&resident, &app, id, "one", &live_order(product, 2, "on_pickup")).await.0, 201);
    // 下架: the 13 left go back now; the room shows it sold out; closing again returns nothing.
    let (s, v) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/items/{product}/close"), &json!({})).await;
    assert_eq!((s, v["items"][0]["remaining"].as_i64()), (200, Some(0)), "{v}");
    assert_eq!(post(&host, &app, &format!("/api/v1/live-sessions/{id}/items/{product}/close"), &json!({})).await.0, 200);
    let (s, v) = buy(&resident, &app, id, "two", &live_order(product, 1, "on_pickup")).await;
    assert_eq!((s, error_code(&v)), (409, "sold_out"), "{v}");
    // On hand: what the two sold units' order holds stays reserved; the rest is back.
    assert_eq!(stock(&app, store, product).await, (before.0, before.1 + 2));
    assert_ledger_balances(&app, store, product).await;
    host_does(&app, id, "end").await;
    let (s, v) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/items/{product}/units"), &units(1)).await;
    assert_eq!((s, error_code(&v)), (409, "not_live"), "{v}");
    assert_eq!(stock(&app, store, product).await, (before.0, before.1 + 2), "ending returns nothing twice");

    // A cover, re-encoded, for the session's host only.
    let form = || reqwest::multipart::Form::new().part("photo", reqwest::multipart::Part::bytes(linli_app::catalog::photos::samples::phone_jpeg(800, 600)).file_name("cover.jpg"));
    let r = resident.post(app.url(&format!("/api/v1/live-sessions/{id}/cover"))).multipart(form()).send().await.expect("upload");
    assert_eq!(r.status().as_u16(), 404);
    let r = host.post(app.url(&format!("/api/v1/live-sessions/{id}/cover"))).multipart(form()).send().await.expect("upload");
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.expect("json");
    let cover = v["cover_url"].as_str().expect("cover").to_string();
    let r = client().get(app.url(&cover)).send().await.expect("media");
    assert_eq!(r.headers()["content-type"], "image/jpeg");
}

/// A viewer's room on an instance that is restarted (SIGTERM, then started again where it was):
/// the stream is told to come back, and back with the last event id it saw it is sent every
/// comment and sale it missed, then the room's state — no pin, comment or count lost.
#[tokio::test]
async fn a_viewer_whose_instance_restarts_is_sent_what_it_missed_and_loses_nothing() {
    // The host's and the buyers' instance (this process); the viewer watches through another.
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, usual) = live_product(&app, store, 5).await;
    let id = schedule(&app, &session(store, product, usual / 2, 5, 2)).await;
    assert_eq!(host_does(&app, id, "start").await.0, 200);
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let env = [("LINLI_DRAIN_SECS", "5")];
    let (mut viewer_instance, base) = start_instance_at(&app, port, &env);
    wait_ready(&base).await;
    let room = format!("{base}/api/v1/live-sessions/{id}/events");
    let mut res = client().get(&room).send().await.expect("room");
    let mut buf = String::new();
    let (_, name, state) = next_event_with_id(&mut res, &mut buf, Duration::from_secs(5)).await.expect("the state first");
    assert_eq!((name.as_str(), state["status"].as_str()), ("state", Some("live")));
    // The pin, made through the viewer's own instance (so it arrives on SQLite too).
    let host = login_at(base.clone(), MANAGER_A.to_string()).await;
    let pinned = host.post(format!("{base}/api/v1/live-sessions/{id}/pin")).json(&json!({"product_id": product})).send().await.expect("pin");
    assert_eq!(pinned.status().as_u16(), 200);
    let last = loop {
        let (eid, name, data) = next_event_with_id(&mut res, &mut buf, Duration::from_secs(2)).await.expect("the pin");
        if name == "state" && data["pinned_product_id"].as_i64() == Some(product) {
            break eid.expect("a logged event carries its id");
        }
    };

    // The instance restarts; meanwhile, through this one, a comment and a sale.
    let term = std::process::Command::new("kill").args(["-TERM", &viewer_instance.id().to_string()]).status().expect("kill -TERM");
    assert!(term.success());
    while tokio::time::timeout(Duration::from_secs(5), res.chunk()).await.expect("the stream ends").ok().flatten().is_some() {}
    assert!(viewer_instance.wait().expect("exit").success());
    let resident = logged_in(&app, RESIDENT).await;
    let (s, c) = say(&resident, &app, id, "还有吗？给我留一份").await;
    assert_eq!(s, 201, "{c}");
    let (s, order) = buy(&resident, &app, id, "restart-1", &live_order(product, 1, "wallet")).await;
    assert_eq!(s, 201, "{order}");
    let (mut viewer_instance, _) = start_instance_at(&app, port, &env);
    wait_ready(&base).await;

    let mut res = client().get(&room).header("last-event-id", last.to_string()).send().await.expect("back");
    let mut buf = String::new();
    let mut got = Vec::new();
    while let Some((eid, name, data)) = next_event_with_id(&mut res, &mut buf, Duration::from_millis(800)).await {
        got.push((eid, name, data));
    }
    let _ = viewer_instance.kill();
    let _ = viewer_instance.wait();
    let names: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
    // What was missed, from the log (each with its id, in order), then the room as it is.
    let logged: Vec<i64> = got.iter().filter_map(|g| g.0).collect();
    assert!(logged.windows(2).all(|w| w[0] < w[1]) && logged.first().is_some_and(|f| *f > last), "{last} then {got:?}");
    assert!(got.iter().any(|g| g.1 == "comment" && g.0.is_some() && g.2["text"] == "还有吗？给我留一份"), "the comment: {names:?}");
    assert!(got.iter().any(|g| g.1 == "state" && g.0.is_some() && g.2["remaining"][0]["remaining"] == 4), "the sale: {got:?}");
    let now = got.iter().rev().find(|g| g.1 == "state").expect("the state");
    assert_eq!(now.0, None, "the current state closes the replay");
    assert_eq!(now.2["pinned_product_id"].as_i64(), Some(product), "the pin: {}", now.2);
    assert_eq!(now.2["remaining"][0]["remaining"].as_i64(), Some(4));
    assert_eq!(now.2["orders"].as_i64(), Some(1), "{}", now.2);
    // Nothing the viewer had already seen is sent again, and no old comment is replayed twice.
    assert_eq!(got.iter().filter(|g| g.1 == "comment").count(), 1, "{names:?}");
}
