//! Orders through the JSON API: placing, idempotency, privacy, cancelling, and the races that
//! must never oversell or overspend.
use crate::helpers::*;
use linli_app::shared::time::{local_time, now_ms};
use serde_json::{json, Value};

#[tokio::test]
async fn a_pickup_order_reserves_stock_and_shows_its_code_discount_and_history() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = stocked_product(&app, store).await;
    let before = stock(&app, store, product).await;
    let wang = logged_in(&app, "13800000001").await;

    let (status, order) = place(&wang, &app, "k-1", &pickup_order(store, product, 2, "on_pickup")).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["status"], "placed");
    assert_eq!(order["goods_fen"], price * 2);
    // 文三路店 takes ¥3 off pickup orders of ¥20 or more, never more than 30% of the goods.
    let discount = if price * 2 >= 2000 { 300.min(price * 2 * 30 / 100) } else { 0 };
    assert_eq!(order["discount_fen"], discount);
    assert_eq!(order["total_fen"], price * 2 - discount);
    assert_eq!(order["delivery_fee_fen"], 0);
    assert_eq!(order["fulfillment"]["type"], "pickup");
    assert_eq!(order["fulfillment"]["window_from"], "17:00");
    assert_eq!(order["note"], "切块，不要香菜");
    let code = order["pickup_code"].as_str().expect("a pickup code");
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{code}");
    assert!(order["number"].as_str().is_some_and(|n| n.len() == 11), "{order}");
    assert_eq!(order["events"][0]["status"], "placed");
    assert_eq!(stock(&app, store, product).await, (before.0, before.1 + 2), "reserved, not yet taken off the shelf");

    let id = order["id"].as_i64().expect("id");
    let r = wang.get(app.url(&format!("/api/v1/orders/{id}"))).send().await.expect("get");
    assert_eq!(r.status().as_u16(), 200);
    let again: Value = r.json().await.expect("json");
    assert_eq!(again["pickup_code"], code);
    let list: Value = wang.get(app.url("/api/v1/orders")).send().await.expect("list").json().await.expect("json");
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["item_count"], 2, "units, not lines");

    // The store's availability went down by two for everyone.
    let (_, products) = app.get_json(&format!("/api/v1/stores/{store}/products")).await;
    let listed = products.as_array().expect("list").iter().find(|p| p["id"] == product).cloned().expect("listed");
    assert_eq!(listed["available"], before.0 - before.1 - 2);
}

#[tokio::test]
async fn the_same_key_places_one_order_and_a_reused_key_is_refused() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let wang = logged_in(&app, "13800000001").await;
    let body = pickup_order(store, product, 1, "on_pickup");

    let (s1, first) = place(&wang, &app, "tap-1", &body).await;
    let (s2, second) = place(&wang, &app, "tap-1", &body).await;
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(first["id"], second["id"]);
    assert_eq!(first["pickup_code"], second["pickup_code"]);

    let (status, err) = place(&wang, &app, "tap-1", &pickup_order(store, product, 3, "on_pickup")).await;
    assert_eq!(status, 422);
    assert_eq!(error_code(&err), "idempotency_key_reused");

    let r = wang.post(app.url("/api/v1/orders")).json(&body).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(error_code(&r.json().await.expect("json")), "idempotency_key_required");

    // Ten retries racing each other still make one order.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (c, url, body) = (wang.clone(), app.url("/api/v1/orders"), body.clone());
        tasks.push(tokio::spawn(async move {
            let r = c.post(url).header("idempotency-key", "retry-storm").json(&body).send().await.expect("post");
            (r.status().as_u16(), r.json::<Value>().await.expect("json")["id"].clone())
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        let (status, id) = t.await.expect("task");
        assert_eq!(status, 201);
        ids.insert(id.to_string());
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(count(&app, "select count(*) from orders").await, 2);
    assert_eq!(stock(&app, store, product).await.1, 2);
}

#[tokio::test]
async fn someone_elses_order_is_not_found_and_strangers_must_log_in() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let wang = logged_in(&app, "13800000001").await;
    let (_, order) = place(&wang, &app, "k", &pickup_order(store, product, 1, "on_pickup")).await;
    let id = order["id"].as_i64().expect("id");

    let li = logged_in(&app, "13800000002").await;
    for (method, path) in [("GET", format!("/api/v1/orders/{id}")), ("POST", format!("/api/v1/orders/{id}/cancel")), ("GET", "/api/v1/orders/999999".into()), ("GET", "/api/v1/orders/abc".into())] {
        let r = if method == "GET" { li.get(app.url(&path)) } else { li.post(app.url(&path)) }.send().await.expect("request");
        assert_eq!(r.status().as_u16(), 404, "{method} {path}");
    }
    let list: Value = li.get(app.url("/api/v1/orders")).send().await.expect("list").json().await.expect("json");
    assert_eq!(list, json!([]));
    assert_eq!(count(&app, "select count(*) from orders where status = 'cancelled'").await, 0);

    let (status, _) = app.get_json("/api/v1/orders").await;
    assert_eq!(status, 401);
    let (status, _) = app.post_json("/api/v1/orders", &pickup_order(store, product, 1, "on_pickup")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn cancelling_returns_the_stock_and_refunds_the_wallet_once() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let before = stock(&app, store, product).await;
    let zhang = logged_in(&app, "13800000003").await; // ¥200 in the demo wallet
    let balance = wallet(&app, "13800000003").await;

    let (status, order) = place(&zhang, &app, "k", &pickup_order(store, product, 2, "wallet")).await;
    assert_eq!(status, 201, "{order}");
    let total = order["total_fen"].as_i64().expect("total");
    assert_eq!(order["paid_fen"], total);
    assert_eq!(wallet(&app, "13800000003").await, balance - total);

    let id = order["id"].as_i64().expect("id");
    // Two cancels at once: one does the work, the other is told it is too late.
    let (a, b) = tokio::join!(
        zhang.post(app.url(&format!("/api/v1/orders/{id}/cancel"))).send(),
        zhang.post(app.url(&format!("/api/v1/orders/{id}/cancel"))).send()
    );
    let mut statuses = [a.expect("a").status().as_u16(), b.expect("b").status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let r = zhang.get(app.url(&format!("/api/v1/orders/{id}"))).send().await.expect("get");
    let cancelled: Value = r.json().await.expect("json");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["pickup_code"], Value::Null, "a closed order shows no code");
    assert_eq!(cancelled["events"].as_array().map(Vec::len), Some(2));

    assert_eq!(wallet(&app, "13800000003").await, balance);
    assert_eq!(stock(&app, store, product).await, before);
    let kinds: Vec<(String, i64)> = sqlx::query_as("select kind, amount_fen from wallet_entries where order_id = $1 order by id")
        .bind(id)
        .fetch_all(&app.db.pool)
        .await
        .expect("ledger");
    assert_eq!(kinds, vec![("payment".to_string(), -total), ("refund".to_string(), total)]);
}

#[tokio::test]
async fn too_little_in_the_wallet_is_402_and_changes_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let before = stock(&app, store, product).await;
    let wang = logged_in(&app, "13800000001").await; // empty wallet
    let (status, err) = place(&wang, &app, "k", &pickup_order(store, product, 2, "wallet")).await;
    assert_eq!(status, 402, "{err}");
    assert_eq!(error_code(&err), "insufficient_balance");
    assert_eq!(stock(&app, store, product).await, before);
    assert_eq!(count(&app, "select count(*) from orders").await, 0);
    assert_eq!(count(&app, "select count(*) from idempotency_keys").await, 0, "the key stays free for a retry");
}

#[tokio::test]
async fn bad_orders_get_a_clear_code_and_change_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let wang = logged_in(&app, "13800000001").await;
    let base = pickup_order(store, product, 1, "on_pickup");
    let with = |path: &str, v: Value| {
        let mut b = base.clone();
        b[path] = v;
        b
    };
    let cases = [
        (with("items", json!([{"product_id": product, "qty": 0}])), 422, "invalid_quantity"),
        (with("items", json!([{"product_id": product, "qty": -3}])), 422, "invalid_quantity"),
        (with("items", json!([{"product_id": product, "qty": 100}])), 422, "invalid_quantity"),
        (with("items", json!([])), 422, "cart_empty"),
        (with("items", json!([{"product_id": 987654, "qty": 1}])), 422, "product_unavailable"),
        (with("items", json!([{"product_id": product, "qty": 1.5}])), 400, "bad_request"),
        (with("store_id", json!(987654)), 404, "not_found"),
        (with("payment", json!("credit")), 400, "bad_request"),
        (with("fulfillment", json!({"type": "pickup", "pickup_date": "2020-01-01"})), 422, "invalid_pickup_time"),
        (with("fulfillment", json!({"type": "pickup", "pickup_date": tomorrow(), "window": "03:00-04:00"})), 422, "invalid_pickup_time"),
        (with("fulfillment", json!({"type": "pickup", "pickup_date": tomorrow(), "price_fen": 1})), 400, "bad_request"),
        // 星耀城, across the river: beyond the 3 km radius.
        (with("fulfillment", json!({"type": "delivery", "address": "星耀城 1幢", "lat": 30.2101, "lng": 120.2102, "slot": "asap"})), 422, "outside_delivery_area"),
        (with("fulfillment", json!({"type": "delivery", "address": " ", "lat": 30.2831, "lng": 120.1262, "slot": "asap"})), 422, "address_required"),
        (with("fulfillment", json!({"type": "delivery", "address": "嘉绿苑 3幢201", "lat": 300.0, "lng": 120.1, "slot": "asap"})), 422, "invalid_coordinates"),
        // An estate alone: the rider would not find the door.
        (with("fulfillment", json!({"type": "delivery", "address": "嘉绿苑", "lat": 30.2831, "lng": 120.1262, "slot": "asap"})), 422, "address_required"),
        (with("note", json!("多".repeat(101))), 422, "note_too_long"),
        (with("unit_price_fen", json!(1)), 400, "bad_request"),
    ];
    for (body, status, code) in cases {
        let (got, err) = place(&wang, &app, "bad", &body).await;
        assert_eq!((got, error_code(&err)), (status, code), "{body}");
        assert!(err["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let r = wang.post(app.url("/api/v1/orders")).header("idempotency-key", "bad").header("content-type", "application/json").body("{not json").send().await.expect("post");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(count(&app, "select count(*) from orders").await, 0);
    assert_eq!(count(&app, "select count(*) from stock where reserved <> 0").await, 0);

    // English readers get English messages.
    let r = wang.post(app.url("/api/v1/orders")).header("idempotency-key", "en").header("accept-language", "en").json(&with("items", json!([]))).send().await.expect("post");
    let err: Value = r.json().await.expect("json");
    assert!(err["error"]["message"].as_str().is_some_and(|m| m.contains("empty")), "{err}");
}

#[tokio::test]
async fn short_lines_are_named_with_what_is_left() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    set_stock(&app, store, product, 3).await;
    let wang = logged_in(&app, "13800000001").await;
    let (status, err) = place(&wang, &app, "k", &pickup_order(store, product, 5, "on_pickup")).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(error_code(&err), "insufficient_stock");
    assert_eq!(err["error"]["details"]["items"][0]["product_id"], product);
    assert_eq!(err["error"]["details"]["items"][0]["available"], 3);
    assert_eq!(err["error"]["details"]["items"][0]["requested"], 5);
    assert_eq!(stock(&app, store, product).await, (3, 0));
}

#[tokio::test]
async fn delivery_is_priced_by_distance_when_a_slot_is_open() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = stocked_product(&app, store).await;
    let wang = logged_in(&app, "13800000001").await;
    let qty = (3000 / price + 1).min(99); // over the ¥29 minimum
    let s = linli_app::stores::store::get_active(&app.db.pool, store).await.expect("db").expect("store");
    let slots = linli_app::orders::rules::delivery_slots(&s, local_time(now_ms()));
    // The clock decides whether delivery is open now; both answers are checked.
    let slot = slots.first().map(|w| w.map_or_else(|| "asap".to_string(), linli_app::orders::rules::window_text));
    let body = json!({
        "store_id": store,
        "items": [{"product_id": product, "qty": qty}],
        "fulfillment": {"type": "delivery", "address": "嘉绿苑 3幢201", "lat": 30.2831, "lng": 120.1262, "slot": slot.clone().unwrap_or_else(|| "asap".into())},
        "payment": "on_pickup"
    });
    let (status, order) = place(&wang, &app, "d", &body).await;
    match slot {
        Some(slot) => {
            assert_eq!(status, 201, "{order}");
            assert_eq!(order["delivery_fee_fen"], 300, "嘉绿苑 is within 1.5 km");
            assert_eq!(order["discount_fen"], 0);
            assert_eq!(order["total_fen"], price * qty + 300);
            assert_eq!(order["fulfillment"]["slot"], slot);
            assert!(order["fulfillment"]["distance_m"].as_i64().is_some_and(|d| d > 0 && d < 1500));
        }
        None => {
            assert_eq!(status, 422);
            assert_eq!(error_code(&order), "invalid_slot");
        }
    }
    // Below the ¥29 minimum for delivery is refused (checked after the slot, so only when one is open).
    if !slots.is_empty() && price < 2900 {
        let mut small = body.clone();
        small["items"] = json!([{"product_id": product, "qty": 1}]);
        let (status, err) = place(&wang, &app, "d2", &small).await;
        assert_eq!((status, error_code(&err)), (422, "below_min_order"));
    }
}

#[tokio::test]
async fn two_hundred_buyers_for_fifty_units_make_exactly_fifty_orders() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    set_stock(&app, store, product, 50).await;
    // 200 households (the demo resident's password hash, so they can log in).
    for i in 0..200 {
        sqlx::query("insert into users (phone, name, password_hash, created_at_ms) select $1, $2, password_hash, 0 from users where phone = '13800000001'")
            .bind(format!("137{i:08}"))
            .bind(format!("买家{i}"))
            .execute(&app.db.pool)
            .await
            .expect("buyer");
    }
    // Log in ten at a time (one client address; parallel attempts count towards its throttle).
    let mut buyers = Vec::new();
    for chunk in (0..200).collect::<Vec<i32>>().chunks(10) {
        let logins: Vec<_> = chunk.iter().map(|i| tokio::spawn(login_at(app.url(""), format!("137{i:08}")))).collect();
        for l in logins {
            buyers.push(l.await.expect("login task"));
        }
    }
    let body = pickup_order(store, product, 1, "on_pickup");
    let mut tasks = Vec::new();
    for (i, c) in buyers.into_iter().enumerate() {
        let (url, body) = (app.url("/api/v1/orders"), body.clone());
        tasks.push(tokio::spawn(async move {
            let r = c.post(url).header("idempotency-key", format!("buy-{i}")).json(&body).send().await.expect("post");
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }));
    }
    let (mut won, mut lost) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.expect("task");
        match status {
            201 => won += 1,
            409 => {
                assert_eq!(error_code(&body), "insufficient_stock");
                assert_eq!(body["error"]["details"]["items"][0]["available"], 0);
                lost += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((won, lost), (50, 150));
    assert_eq!(stock(&app, store, product).await, (50, 50), "every unit reserved, none twice");
    assert_eq!(count(&app, "select count(*) from orders").await, 50);
    let (units,): (i64,) = sqlx::query_as("select count(*) from order_items where product_id = $1").bind(product).fetch_one(&app.db.pool).await.expect("items");
    assert_eq!(units, 50);
}

#[tokio::test]
async fn concurrent_wallet_spends_never_go_below_zero() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = stocked_product(&app, store).await;
    set_stock(&app, store, product, 500).await;
    let zhang = logged_in(&app, "13800000003").await;
    let balance = wallet(&app, "13800000003").await;
    let qty = (4000 / price).clamp(1, 99);
    let total = price * qty - 300.min(price * qty);
    let expected = balance / total;
    assert!(expected < 30, "the test must run the wallet dry: {balance} / {total}");

    let mut tasks = Vec::new();
    for i in 0..30 {
        let (c, url, body) = (zhang.clone(), app.url("/api/v1/orders"), pickup_order(store, product, qty, "wallet"));
        tasks.push(tokio::spawn(async move {
            let r = c.post(url).header("idempotency-key", format!("spend-{i}")).json(&body).send().await.expect("post");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }));
    }
    let mut paid = 0;
    for t in tasks {
        let (status, body) = t.await.expect("task");
        match status {
            201 => paid += 1,
            402 => assert_eq!(error_code(&body), "insufficient_balance"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(paid, expected);
    assert_eq!(wallet(&app, "13800000003").await, balance - paid * total);
    assert_eq!(stock(&app, store, product).await, (500, paid * qty), "a refused payment reserves nothing");
    let ledger: Vec<(i64, i64)> = sqlx::query_as(
        "select amount_fen, balance_after_fen from wallet_entries where user_id = (select id from users where phone = '13800000003') order by id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("ledger");
    assert!(ledger.iter().all(|(_, after)| *after >= 0));
    let mut running = 0;
    for (amount, after) in &ledger {
        running += amount;
        assert_eq!(running, *after, "every entry's balance follows from the ones before");
    }
}

async fn product_id(app: &TestApp, name: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from products where name = $1").bind(name).fetch_one(&app.db.pool).await.expect(name);
    id
}

#[tokio::test]
async fn a_bundle_is_limited_by_its_parts_and_reserves_them() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let bundle = product_id(&app, "番茄炒蛋快手晚餐").await;
    let (tomato, eggs, greens) = (product_id(&app, "寿光西红柿").await, product_id(&app, "安吉土鸡蛋").await, product_id(&app, "上海青").await);
    set_stock(&app, store, tomato, 5).await;
    set_stock(&app, store, eggs, 2).await;
    set_stock(&app, store, greens, 10).await;
    let available = |products: Value| products.as_array().expect("list").iter().find(|p| p["id"] == bundle).map(|p| p["available"].clone());
    let (_, products) = app.get_json(&format!("/api/v1/stores/{store}/products?category=bundles")).await;
    assert_eq!(available(products), Some(json!(2)), "two boxes of eggs make two bundles");
    let (_, detail) = app.get_json(&format!("/api/v1/products/{bundle}?store_id={store}")).await;
    assert_eq!(detail["components"].as_array().map(Vec::len), Some(3));

    let wang = logged_in(&app, "13800000001").await;
    let (status, order) = place(&wang, &app, "b1", &pickup_order(store, bundle, 2, "on_pickup")).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["goods_fen"], 2180 * 2, "priced as a bundle, not as its parts");
    assert_eq!(stock(&app, store, eggs).await, (2, 2));
    assert_eq!(stock(&app, store, tomato).await, (5, 2));
    assert_eq!(stock(&app, store, greens).await, (10, 2));
    let (_, products) = app.get_json(&format!("/api/v1/stores/{store}/products?category=bundles")).await;
    assert_eq!(available(products), Some(json!(0)));

    // The parts sold singly compete for the same stock: no egg box is left for anyone.
    let (status, err) = place(&wang, &app, "b2", &pickup_order(store, eggs, 1, "on_pickup")).await;
    assert_eq!((status, error_code(&err)), (409, "insufficient_stock"));
    let (status, err) = place(&wang, &app, "b3", &pickup_order(store, bundle, 1, "on_pickup")).await;
    assert_eq!((status, error_code(&err)), (409, "insufficient_stock"));
    assert_eq!(err["error"]["details"]["items"][0]["product_id"], bundle);
    assert_eq!(err["error"]["details"]["items"][0]["available"], 0);

    let id = order["id"].as_i64().expect("id");
    let r = wang.post(app.url(&format!("/api/v1/orders/{id}/cancel"))).send().await.expect("cancel");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(stock(&app, store, eggs).await, (2, 0));
    assert_eq!(stock(&app, store, tomato).await, (5, 0));
}

#[tokio::test]
async fn a_bundle_and_its_part_in_one_order_are_both_named_when_they_compete_for_stock() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let bundle = product_id(&app, "番茄炒蛋快手晚餐").await;
    let eggs = product_id(&app, "安吉土鸡蛋").await;
    set_stock(&app, store, eggs, 2).await;
    let wang = logged_in(&app, "13800000001").await;
    let mut body = pickup_order(store, bundle, 1, "on_pickup");
    body["items"] = json!([{"product_id": bundle, "qty": 1}, {"product_id": eggs, "qty": 2}]);
    // Each line alone fits on the shelf (one bundle, two boxes); together they need three boxes.
    let (status, err) = place(&wang, &app, "shared-1", &body).await;
    assert_eq!((status, error_code(&err)), (409, "insufficient_stock"), "{err}");
    let items = err["error"]["details"]["items"].as_array().expect("short items").clone();
    let short: Vec<(i64, i64)> = items.iter().map(|i| (i["product_id"].as_i64().unwrap_or(0), i["available"].as_i64().unwrap_or(-1))).collect();
    let mut expected = vec![(bundle, 0), (eggs, 1)];
    expected.sort_unstable();
    assert_eq!(short, expected, "with the other line kept, the bundle gets no box and the eggs line one");
    assert_eq!(stock(&app, store, eggs).await, (2, 0), "nothing reserved");
    body["items"] = json!([{"product_id": bundle, "qty": 1}, {"product_id": eggs, "qty": 1}]);
    let (status, order) = place(&wang, &app, "shared-2", &body).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(stock(&app, store, eggs).await, (2, 2));
}

#[tokio::test]
async fn a_retry_replays_even_after_the_pickup_window_has_closed() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let wang = logged_in(&app, "13800000001").await;
    let body = pickup_order(store, product, 1, "on_pickup");
    let (status, first) = place(&wang, &app, "late-retry", &body).await;
    assert_eq!(status, 201);
    // The store shortens its pickup hours: the same request, judged afresh, would be refused.
    sqlx::query("update stores set pickup_until = '10:00' where id = $1").bind(store).execute(&app.db.pool).await.expect("hours");
    let (status, again) = place(&wang, &app, "late-retry", &body).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["id"], first["id"]);
    let (status, fresh) = place(&wang, &app, "new-key", &body).await;
    assert_eq!((status, error_code(&fresh)), (422, "invalid_pickup_time"));
}

#[tokio::test]
async fn the_pickup_discount_needs_its_minimum_order_and_never_makes_an_order_free() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    // One cheap product, and plenty of it: 文三路店's offer is 满20减3.
    let (product, price): (i64, i64) = sqlx::query_as(
        "select p.id, p.price_fen from products p join stock s on s.product_id = p.id and s.store_id = $1
         where p.price_fen between 100 and 999 and p.active = $2 order by p.price_fen limit 1",
    )
    .bind(store)
    .bind(true)
    .fetch_one(&app.db.pool)
    .await
    .expect("a cheap product");
    set_stock(&app, store, product, 500).await;
    let wang = logged_in(&app, "13800000001").await;

    let (status, one) = place(&wang, &app, "one", &pickup_order(store, product, 1, "on_pickup")).await;
    assert_eq!(status, 201, "{one}");
    assert_eq!((one["discount_fen"].as_i64(), one["total_fen"].as_i64()), (Some(0), Some(price)), "below ¥20: full price, never ¥0");

    let qty = 2000 / price + 1;
    let (status, enough) = place(&wang, &app, "enough", &pickup_order(store, product, qty, "on_pickup")).await;
    assert_eq!(status, 201, "{enough}");
    assert_eq!(enough["discount_fen"], 300);
    assert_eq!(enough["total_fen"].as_i64(), Some(price * qty - 300));

    // A store whose offer has no minimum still charges something: at most 30% comes off.
    let rule = r#"{"type":"fixed","fen":300,"min_goods_fen":0}"#;
    sqlx::query("update stores set pickup_discount_rule = $1 where id = $2").bind(rule).bind(store).execute(&app.db.pool).await.expect("rule");
    let (status, capped) = place(&wang, &app, "capped", &pickup_order(store, product, 1, "on_pickup")).await;
    assert_eq!(status, 201, "{capped}");
    assert_eq!(capped["discount_fen"].as_i64(), Some((price * 30 / 100).min(300)));
    assert!(capped["total_fen"].as_i64().is_some_and(|t| t > 0), "{capped}");
}
