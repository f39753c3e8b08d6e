//! Delivery: a rider takes the order out and hands it over against the resident's code; with
//! LBS routing an order goes to the nearest store that has everything.
use crate::helpers::*;
use linli_app::shared::time::{local_time, now_ms};
use serde_json::{json, Value};

const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet
const STAFF_A: &str = "13900000021"; // 小赵, first store
const RIDER_A: &str = "13900000031";

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
