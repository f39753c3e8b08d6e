//! The pickup desk: a code works only at its own store and guessing it is throttled; the desk
//! hands over only against proof; a pickup nobody collects becomes a no-show.
use crate::helpers::*;
use linli_app::shared::time::{iso_date, local_time, now_ms};
use serde_json::{json, Value};

const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet
const STAFF_A: &str = "13900000021"; // 小赵, first store
const MANAGER_A: &str = "13900000011";
const STAFF_B: &str = "13900000022"; // 小钱, second store

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
