//! End-of-day markdowns (晚市特惠): inside its window a rule prices the shelf, the product
//! page, checkout and the till alike, and outside it nothing changes; tiers follow the clock;
//! only the store's managers write rules; 日清报损 writes off what is left (never what
//! orders hold) once; the day's report adds up the markdown sales and the write-offs.
use crate::helpers::*;
use linli_app::markdowns::rules::marked_down;
use linli_app::shared::time::{local_time, now_ms};
use serde_json::{json, Value};

const MANAGER_A: &str = "13900000011"; // 刘店长, first store
const MANAGER_B: &str = "13900000012"; // 周店长, second store
const STAFF_A: &str = "13900000021";
const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet

/// A product of `slug` at the store with at least 10 sellable, one chain price: (id, price, category id).
async fn product_in(app: &TestApp, store: i64, slug: &str) -> (i64, i64, i64) {
    sqlx::query_as(
        "select p.id, p.price_fen, p.category_id from products p
         join categories c on c.id = p.category_id
         join stock s on s.product_id = p.id and s.store_id = $1
         where c.slug = $2 and s.on_hand - s.reserved >= 10 and p.active = $3 and p.store_pricing = $4
         order by p.id limit 1",
    )
    .bind(store)
    .bind(slug)
    .bind(true)
    .bind(false)
    .fetch_one(&app.db.pool)
    .await
    .expect("a stocked product")
}

fn rule(name: &str, categories: &[i64], tiers: &[(&str, i64)], until: &str) -> Value {
    json!({
        "name": name,
        "category_ids": categories,
        "tiers": tiers.iter().map(|(from, off)| json!({ "from": from, "percent_off": off })).collect::<Vec<_>>(),
        "until": until,
    })
}

/// The product as the storefront's API lists it at the store now.
async fn on_shelf(c: &reqwest::Client, app: &TestApp, store: i64, product: i64) -> Value {
    let (status, shelf) = get(c, app, &format!("/api/v1/stores/{store}/products")).await;
    assert_eq!(status, 200, "{shelf}");
    shelf.as_array().expect("shelf").iter().find(|p| p["id"] == product).cloned().expect("on the shelf")
}

/// A window of the day that does not hold the present minute (nor will for the next hours).
fn window_away_from_now() -> (&'static str, &'static str, &'static str) {
    if local_time(now_ms()).minute < 720 { ("23:00", "24:00", "23:30") } else { ("00:00", "01:00", "00:30") }
}

async fn rules_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select count(*) from markdown_rules").fetch_one(&app.db.pool).await.expect("count");
    n
}

#[tokio::test]
async fn a_markdown_prices_shelf_checkout_and_till_inside_its_window_and_nothing_outside_it() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (veg, price, veg_cat) = product_in(&app, store, "vegetables").await;
    let (fruit, fruit_price, fruit_cat) = product_in(&app, store, "fruit").await;
    let manager = logged_in(&app, MANAGER_A).await;
    let resident = logged_in(&app, RESIDENT).await;
    let path = format!("/api/v1/staff/stores/{store}/markdowns");

    // Outside the window: the shelf is as it was; the preview shows the rule at its time.
    let (from, until, inside) = window_away_from_now();
    let (status, later) = post(&manager, &app, &path, &rule("晚市特惠", &[veg_cat], &[(from, 30)], until)).await;
    assert_eq!(status, 201, "{later}");
    assert_eq!(later["now_percent_off"], Value::Null);
    let p = on_shelf(&resident, &app, store, veg).await;
    assert_eq!((p["price_fen"].as_i64(), &p["regular_price_fen"], &p["markdown_percent_off"]), (Some(price), &Value::Null, &Value::Null), "{p}");
    let (status, preview) = get(&manager, &app, &format!("{path}/preview?at={inside}")).await;
    assert_eq!(status, 200, "{preview}");
    let previewed = preview.as_array().expect("preview").iter().find(|p| p["id"] == veg).cloned().expect("previewed");
    assert_eq!(previewed["price_fen"].as_i64(), Some(marked_down(price, 30)));
    let r = manager.delete(app.url(&format!("{path}/{}", later["id"]))).send().await.expect("delete");
    assert_eq!(r.status().as_u16(), 204);

    // Tiers follow the clock (seen through the preview at fixed times): 9折 until noon, then 5折.
    let (status, tiers) = post(&manager, &app, &path, &rule("水果日清", &[fruit_cat], &[("00:00", 10), ("12:00", 50)], "24:00")).await;
    assert_eq!(status, 201, "{tiers}");
    for (at, off) in [("11:59", 10), ("12:00", 50), ("23:59", 50)] {
        let (_, preview) = get(&manager, &app, &format!("{path}/preview?at={at}")).await;
        let p = preview.as_array().expect("preview").iter().find(|p| p["id"] == fruit).cloned().expect("fruit");
        assert_eq!((p["price_fen"].as_i64(), p["markdown_percent_off"].as_i64()), (Some(marked_down(fruit_price, off)), Some(off)), "at {at}");
    }
    let r = manager.delete(app.url(&format!("{path}/{}", tiers["id"]))).send().await.expect("delete");
    assert_eq!(r.status().as_u16(), 204);

    // Inside the window (all day, so the clock cannot move out of it during the test).
    let (status, now) = post(&manager, &app, &path, &rule("晚市特惠", &[veg_cat], &[("00:00", 20)], "24:00")).await;
    assert_eq!(status, 201, "{now}");
    assert_eq!(now["now_percent_off"].as_i64(), Some(20));
    let marked = marked_down(price, 20);
    let p = on_shelf(&resident, &app, store, veg).await;
    assert_eq!((p["price_fen"].as_i64(), p["regular_price_fen"].as_i64(), p["markdown_percent_off"].as_i64()), (Some(marked), Some(price), Some(20)), "{p}");
    let (_, detail) = get(&resident, &app, &format!("/api/v1/products/{veg}?store_id={store}")).await;
    assert_eq!((detail["price_fen"].as_i64(), detail["regular_price_fen"].as_i64()), (Some(marked), Some(price)), "{detail}");
    // Another category is untouched.
    assert_eq!(on_shelf(&resident, &app, store, fruit).await["price_fen"].as_i64(), Some(fruit_price));

    // Checkout charges the markdown and the order line remembers the shelf price.
    let (status, order) = place(&resident, &app, "md-order-1", &pickup_order(store, veg, 2, "wallet")).await;
    assert_eq!(status, 201, "{order}");
    let line = order["items"].as_array().expect("items").iter().find(|i| i["product_id"] == veg).cloned().expect("line");
    assert_eq!(line["price_fen"].as_i64(), Some(marked), "{order}");
    let (regular,): (Option<i64>,) = sqlx::query_as("select regular_price_fen from order_items where order_id = $1 and product_id = $2")
        .bind(order["id"].as_i64())
        .bind(veg)
        .fetch_one(&app.db.pool)
        .await
        .expect("order item");
    assert_eq!(regular, Some(price));

    // The till sells at the same price, and the receipt says what it was marked down from.
    let staff = logged_in(&app, STAFF_A).await;
    let r = staff
        .post(app.url(&format!("/api/v1/staff/stores/{store}/counter-sales")))
        .header("idempotency-key", "md-till-1")
        .json(&json!({ "items": [{ "product_id": veg, "qty": 1 }, { "product_id": fruit, "qty": 1 }], "payment": "cash" }))
        .send()
        .await
        .expect("sell");
    assert_eq!(r.status().as_u16(), 201);
    let receipt: Value = r.json().await.expect("receipt");
    let till_line = receipt["lines"].as_array().expect("lines").iter().find(|l| l["product_id"] == veg).cloned().expect("veg line");
    assert_eq!((till_line["price_fen"].as_i64(), till_line["regular_price_fen"].as_i64()), (Some(marked), Some(price)), "{receipt}");
    assert_eq!(receipt["total_fen"].as_i64(), Some(marked + fruit_price));

    // The day's report: three sold at the markdown, what it gave away; the fruit is not in it.
    let (status, report) = get(&staff, &app, &format!("{path}/report")).await;
    assert_eq!(status, 200, "{report}");
    let sold = report["sold"].as_array().expect("sold");
    assert_eq!(sold.len(), 1, "{report}");
    assert_eq!((sold[0]["product_id"].as_i64(), sold[0]["qty"].as_i64()), (Some(veg), Some(3)));
    assert_eq!((report["revenue_fen"].as_i64(), report["discount_fen"].as_i64()), (Some(3 * marked), Some(3 * (price - marked))));

    // Paused, the shelf price is back at once; resumed, the markdown again.
    let (status, paused) = put(&manager, &app, &format!("{path}/{}/active", now["id"]), &json!({ "active": false })).await;
    assert_eq!((status, paused["active"].as_bool()), (200, Some(false)), "{paused}");
    let p = on_shelf(&resident, &app, store, veg).await;
    assert_eq!((p["price_fen"].as_i64(), &p["regular_price_fen"]), (Some(price), &Value::Null));
    let (status, _) = put(&manager, &app, &format!("{path}/{}/active", now["id"]), &json!({ "active": true })).await;
    assert_eq!(status, 200);
    assert_eq!(on_shelf(&resident, &app, store, veg).await["price_fen"].as_i64(), Some(marked));

    // The other store's shelf is its own.
    let store_b = second_store(&app).await;
    let (_, shelf_b) = get(&resident, &app, &format!("/api/v1/stores/{store_b}/products")).await;
    if let Some(p) = shelf_b.as_array().expect("shelf").iter().find(|p| p["id"] == veg) {
        assert_eq!(p["markdown_percent_off"], Value::Null, "{p}");
    }
}

#[tokio::test]
async fn only_the_stores_managers_write_rules_and_muddled_or_overlapping_rules_change_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (_, _, veg_cat) = product_in(&app, store, "vegetables").await;
    let path = format!("/api/v1/staff/stores/{store}/markdowns");
    let good = rule("晚市特惠", &[veg_cat], &[("19:00", 20), ("20:30", 50)], "22:00");

    for (phone, status) in [(MANAGER_B, 403), (STAFF_A, 403), (RESIDENT, 403)] {
        let c = logged_in(&app, phone).await;
        let (got, body) = post(&c, &app, &path, &good).await;
        assert_eq!(got, status, "{phone}: {body}");
    }
    let (status, _) = post(&crate::helpers::client(), &app, &path, &good).await;
    assert_eq!(status, 401);
    // Staff read their own store's rules; another store's manager does not.
    assert_eq!(get(&logged_in(&app, STAFF_A).await, &app, &path).await.0, 200);
    assert_eq!(get(&logged_in(&app, MANAGER_B).await, &app, &path).await.0, 403);
    assert_eq!(rules_count(&app).await, 0);

    let manager = logged_in(&app, MANAGER_A).await;
    for (body, code) in [
        (rule("晚市特惠", &[veg_cat], &[("20:30", 50), ("19:00", 20)], "22:00"), "invalid_markdown_tiers"),
        (rule("晚市特惠", &[veg_cat], &[("19:00", 50), ("20:30", 20)], "22:00"), "invalid_markdown_tiers"),
        (rule("晚市特惠", &[veg_cat], &[("19:00", 95)], "22:00"), "invalid_markdown_tiers"),
        (rule("晚市特惠", &[veg_cat], &[("19:00", 20)], "18:00"), "invalid_markdown_until"),
        (rule("晚市特惠", &[], &[("19:00", 20)], "22:00"), "markdown_categories_required"),
        (rule("晚市特惠", &[999_999], &[("19:00", 20)], "22:00"), "markdown_categories_required"),
        (rule("", &[veg_cat], &[("19:00", 20)], "22:00"), "invalid_markdown_name"),
    ] {
        let (status, answer) = post(&manager, &app, &path, &body).await;
        assert_eq!((status, error_code(&answer)), (422, code), "{body}: {answer}");
    }
    assert_eq!(rules_count(&app).await, 0);

    let (status, created) = post(&manager, &app, &path, &good).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["tiers"][0], json!({ "from": "19:00", "until": "20:30", "percent_off": 20 }));
    assert_eq!(created["tiers"][1], json!({ "from": "20:30", "until": "22:00", "percent_off": 50 }));
    // The same category in a window that shares a minute: refused; after it, accepted.
    let (status, answer) = post(&manager, &app, &path, &rule("再打折", &[veg_cat], &[("21:30", 60)], "23:00")).await;
    assert_eq!((status, error_code(&answer)), (409, "markdown_overlap"), "{answer}");
    let (status, _) = post(&manager, &app, &path, &rule("深夜", &[veg_cat], &[("22:00", 60)], "23:00")).await;
    assert_eq!(status, 201);
    assert_eq!(rules_count(&app).await, 2);
    // Another store's manager cannot pause or delete it either (and an unknown rule is 404).
    let other = logged_in(&app, MANAGER_B).await;
    assert_eq!(put(&other, &app, &format!("{path}/{}/active", created["id"]), &json!({ "active": false })).await.0, 403);
    let store_b = second_store(&app).await;
    assert_eq!(put(&other, &app, &format!("/api/v1/staff/stores/{store_b}/markdowns/{}/active", created["id"]), &json!({ "active": false })).await.0, 404);
    assert_eq!(rules_count(&app).await, 2);
}

#[tokio::test]
async fn clearing_out_writes_off_what_is_left_once_and_never_what_orders_hold() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (veg, price, veg_cat) = product_in(&app, store, "vegetables").await;
    let manager = logged_in(&app, MANAGER_A).await;
    let path = format!("/api/v1/staff/stores/{store}/markdowns");
    let (status, _) = post(&manager, &app, &path, &rule("晚市特惠", &[veg_cat], &[("19:00", 20)], "22:00")).await;
    assert_eq!(status, 201);
    let resident = logged_in(&app, RESIDENT).await;
    let (status, order) = place(&resident, &app, "md-clear-order", &pickup_order(store, veg, 2, "wallet")).await;
    assert_eq!(status, 201, "{order}");
    let (on_hand, reserved) = stock(&app, store, veg).await;
    let left = on_hand - reserved;

    let staff = logged_in(&app, STAFF_A).await;
    let (status, leftovers) = get(&staff, &app, &format!("{path}/leftovers")).await;
    assert_eq!(status, 200, "{leftovers}");
    let line = leftovers.as_array().expect("leftovers").iter().find(|l| l["product_id"] == veg).cloned().expect("veg is left");
    assert_eq!(line["available"].as_i64(), Some(left));

    let clear = |c: &reqwest::Client, key: Option<&str>, qty: i64| {
        let mut req = c.post(app.url(&format!("/api/v1/staff/stores/{store}/clear-out"))).json(&json!({ "items": [{ "product_id": veg, "qty": qty }] }));
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        async move {
            let r = req.send().await.expect("clear out");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // More than can be sold (what orders hold stays): refused, nothing moves.
    let (status, answer) = clear(&staff, Some("md-clear-0"), left + 1).await;
    assert_eq!((status, error_code(&answer)), (409, "insufficient_stock"), "{answer}");
    assert_eq!(clear(&staff, None, left).await.0, 400);
    assert_eq!(clear(&logged_in(&app, MANAGER_B).await, Some("md-clear-b"), 1).await.0, 403);
    assert_eq!(clear(&staff, Some("md-clear-z"), 0).await.0, 422);
    assert_eq!(stock(&app, store, veg).await, (on_hand, reserved));

    let (status, done) = clear(&staff, Some("md-clear-1"), left).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!((done["products"].as_i64(), done["units"].as_i64()), (Some(1), Some(left)));
    // A resent request writes off nothing more.
    let (status, again) = clear(&staff, Some("md-clear-1"), left).await;
    assert_eq!((status, &again), (201, &done));
    assert_eq!(stock(&app, store, veg).await, (reserved, reserved), "the order's units stay on the shelf");

    let (movements,): (i64,) = sqlx::query_as("select count(*) from stock_movements where store_id = $1 and product_id = $2 and reason = 'clear_out'")
        .bind(store)
        .bind(veg)
        .fetch_one(&app.db.pool)
        .await
        .expect("ledger");
    assert_eq!(movements, 1);
    let (status, rows) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/stock/movements?product_id={veg}&limit=1")).await;
    assert_eq!(status, 200);
    assert_eq!((rows[0]["reason"].as_str(), rows[0]["delta"].as_i64(), rows[0]["on_hand_after"].as_i64()), (Some("clear_out"), Some(-left), Some(reserved)));

    let (_, report) = get(&staff, &app, &format!("{path}/report")).await;
    let waste = report["wasted"].as_array().expect("wasted").iter().find(|w| w["product_id"] == veg).cloned().expect("veg wasted");
    assert_eq!((waste["cleared"].as_i64(), waste["spoiled"].as_i64(), waste["value_fen"].as_i64()), (Some(left), Some(0), Some(left * price)));
    assert_eq!(report["wasted_units"].as_i64(), Some(left));
    // Nothing of it is left to clear; the storefront says sold out.
    let (_, leftovers) = get(&staff, &app, &format!("{path}/leftovers")).await;
    assert!(leftovers.as_array().expect("leftovers").iter().all(|l| l["product_id"] != veg), "{leftovers}");
}
