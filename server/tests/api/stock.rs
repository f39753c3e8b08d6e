//! Stock per store and the till: booked movements with a ledger that sums to the shelf, the
//! shelf never below what orders hold, one store's staff kept out of another's stock, and
//! the counter and the storefront racing for the same units.
use crate::helpers::*;
use serde_json::{json, Value};

const STAFF_A: &str = "13900000021"; // 小赵, first store
const MANAGER_B: &str = "13900000012"; // 周店长, second store
const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet
const OTHER_RESIDENT: &str = "13800000001";

async fn book(c: &reqwest::Client, app: &TestApp, store: i64, product: i64, reason: &str, delta: i64) -> (u16, Value) {
    post(c, app, &format!("/api/v1/staff/stores/{store}/stock"), &json!({ "product_id": product, "delta": delta, "reason": reason })).await
}

fn cash(product: i64, qty: i64) -> Value {
    json!({ "items": [{ "product_id": product, "qty": qty }], "payment": "cash" })
}

#[tokio::test]
async fn receiving_writing_off_counting_and_returning_move_stock_with_a_ledger_that_sums_to_the_shelf() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let staff = logged_in(&app, STAFF_A).await;
    let (start, _) = stock(&app, store, product).await;

    let (status, level) = book(&staff, &app, store, product, "receive", 24).await;
    assert_eq!(status, 200, "{level}");
    assert_eq!((level["on_hand"].as_i64(), level["available"].as_i64()), (Some(start + 24), Some(start + 24)));
    for (reason, delta) in [("loss", -3), ("return", -1), ("count", -2), ("count", 1)] {
        let (status, level) = book(&staff, &app, store, product, reason, delta).await;
        assert_eq!(status, 200, "{reason}: {level}");
    }
    assert_eq!(stock(&app, store, product).await, (start + 19, 0));
    assert_ledger_balances(&app, store, product).await;

    // The ledger as the API shows it: newest first, who booked it, why.
    let (status, rows) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/stock/movements?product_id={product}&limit=5")).await;
    assert_eq!(status, 200, "{rows}");
    let reasons: Vec<&str> = rows.as_array().expect("rows").iter().map(|r| r["reason"].as_str().unwrap_or("")).collect();
    assert_eq!(reasons, ["count", "count", "return", "loss", "receive"]);
    assert_eq!(rows[0]["by"], "小赵");
    assert_eq!(rows[0]["on_hand_after"].as_i64(), Some(start + 19));

    // The levels list carries it, and the storefront sells what was received.
    let (_, levels) = get(&staff, &app, &format!("/api/v1/staff/stores/{store}/stock")).await;
    let line = levels.as_array().expect("levels").iter().find(|l| l["product_id"] == product).cloned().expect("line");
    assert_eq!(line["on_hand"].as_i64(), Some(start + 19));
    let (_, shelf) = get(&staff, &app, &format!("/api/v1/stores/{store}/products")).await;
    let on_shelf = shelf.as_array().expect("shelf").iter().find(|p| p["id"] == product).cloned().expect("on the shelf");
    assert_eq!(on_shelf["available"].as_i64(), Some(start + 19));
}

#[tokio::test]
async fn stock_never_goes_below_what_orders_hold_and_bad_movements_change_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    set_stock(&app, store, product, 5).await;
    let resident = logged_in(&app, RESIDENT).await;
    let (status, order) = place(&resident, &app, "hold-3", &pickup_order(store, product, 3, "on_pickup")).await;
    assert_eq!(status, 201, "{order}");
    let staff = logged_in(&app, STAFF_A).await;

    let (status, err) = book(&staff, &app, store, product, "loss", -3).await;
    assert_eq!((status, error_code(&err)), (409, "insufficient_stock"), "{err}");
    assert_eq!(err["error"]["details"]["available"].as_i64(), Some(2));
    assert_eq!(err["error"]["details"]["reserved"].as_i64(), Some(3));
    assert_eq!(book(&staff, &app, store, product, "loss", -2).await.0, 200);
    assert_eq!(stock(&app, store, product).await, (3, 3));
    assert_eq!(book(&staff, &app, store, product, "count", -1).await.0, 409, "a count cannot take what orders hold");

    for (reason, delta) in [("receive", -1), ("loss", 1), ("return", 2), ("count", 0), ("receive", 100_001), ("counter_sale", -1), ("online_sale", -1)] {
        let (status, err) = book(&staff, &app, store, product, reason, delta).await;
        assert_eq!((status, error_code(&err)), (422, "invalid_stock_change"), "{reason} {delta}: {err}");
    }
    for body in [json!({"product_id": product, "delta": 1.5, "reason": "receive"}), json!({"product_id": product, "delta": 1, "reason": "gift"}), json!({"product_id": product, "delta": 1})] {
        let (status, err) = post(&staff, &app, &format!("/api/v1/staff/stores/{store}/stock"), &body).await;
        assert!(status == 400 || status == 422, "{body}: {status} {err}");
    }
    let (status, err) = post(&staff, &app, &format!("/api/v1/staff/stores/{store}/stock"), &json!({"product_id": product, "delta": 1, "reason": "receive", "note": "批".repeat(61)})).await;
    assert_eq!((status, error_code(&err)), (422, "note_too_long"));
    // A bundle has no shelf of its own; a product of no chain does not exist.
    let (bundle,): (i64,) = sqlx::query_as("select bundle_id from bundle_items limit 1").fetch_one(&app.db.pool).await.expect("bundle");
    assert_eq!(book(&staff, &app, store, bundle, "receive", 1).await.0, 404);
    assert_eq!(book(&staff, &app, store, 999_999, "receive", 1).await.0, 404);
    assert_eq!(stock(&app, store, product).await, (3, 3));
    assert_eq!(count(&app, "select count(*) from stock_movements where reason <> 'receive' or by_user_id is not null").await, 1, "only the one write-off");
}

#[tokio::test]
async fn staff_of_one_store_cannot_see_or_move_another_stores_stock() {
    let app = spawn_app_with_demo().await;
    let store_a = first_store(&app).await;
    let (store_b,): (i64,) = sqlx::query_as("select id from stores order by id limit 1 offset 1").fetch_one(&app.db.pool).await.expect("store");
    let (product, _) = stocked_product(&app, store_b).await;
    let before = stock(&app, store_b, product).await;
    let staff_a = logged_in(&app, STAFF_A).await;

    assert_eq!(book(&staff_a, &app, store_b, product, "receive", 5).await.0, 403);
    assert_eq!(get(&staff_a, &app, &format!("/api/v1/staff/stores/{store_b}/stock")).await.0, 403);
    assert_eq!(get(&staff_a, &app, &format!("/api/v1/staff/stores/{store_b}/stock/movements")).await.0, 403);
    assert_eq!(sell(&staff_a, &app, store_b, "b-1", &cash(product, 1)).await.0, 403);
    for phone in [RESIDENT, "13900000031"] {
        let c = logged_in(&app, phone).await;
        assert_eq!(book(&c, &app, store_a, product, "receive", 5).await.0, 403, "{phone}");
        assert_eq!(sell(&c, &app, store_a, "r-1", &cash(product, 1)).await.0, 403, "{phone}");
    }
    assert_eq!(book(&crate::helpers::client(), &app, store_a, product, "receive", 5).await.0, 401);
    assert_eq!(stock(&app, store_b, product).await, before);

    // Store B's own manager may; store A's staff cannot read the receipt (it does not exist for them).
    let manager_b = logged_in(&app, MANAGER_B).await;
    assert_eq!(book(&manager_b, &app, store_b, product, "receive", 5).await.0, 200);
    let (status, receipt) = sell(&manager_b, &app, store_b, "b-2", &cash(product, 1)).await;
    assert_eq!(status, 201, "{receipt}");
    let id = receipt["id"].as_i64().expect("id");
    assert_eq!(get(&staff_a, &app, &format!("/api/v1/staff/counter-sales/{id}")).await.0, 404);
    assert_eq!(get(&manager_b, &app, &format!("/api/v1/staff/counter-sales/{id}")).await.0, 200);
}

#[tokio::test]
async fn a_counter_sale_and_online_orders_racing_for_the_last_units_never_oversell() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let staff = logged_in(&app, STAFF_A).await;
    let resident = logged_in(&app, RESIDENT).await;

    // The very last unit, twenty times over: exactly one side gets it each time.
    let (mut till_won, mut online_won) = (0, 0);
    for round in 0..20 {
        set_stock(&app, store, product, 1).await;
        let (key, sale, order) = (format!("last-{round}"), cash(product, 1), pickup_order(store, product, 1, "on_pickup"));
        let (a, b) = tokio::join!(sell(&staff, &app, store, &key, &sale), place(&resident, &app, &key, &order));
        match (a.0, b.0) {
            (201, 409) => {
                till_won += 1;
                assert_eq!(stock(&app, store, product).await, (0, 0));
            }
            (409, 201) => {
                online_won += 1;
                assert_eq!(stock(&app, store, product).await, (1, 1));
                assert_eq!(error_code(&a.1), "insufficient_stock", "{}", a.1);
            }
            other => panic!("round {round}: one of the two must win, got {other:?}: {} / {}", a.1, b.1),
        }
    }
    assert_eq!(till_won + online_won, 20);

    // Ten units, ten till sales and ten online orders at once: ten succeed, none oversold.
    set_stock(&app, store, product, 10).await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let (s, r, a) = (staff.clone(), resident.clone(), app.url(""));
        let b = a.clone();
        tasks.push(tokio::spawn(async move {
            let url = format!("{a}/api/v1/staff/stores/{store}/counter-sales");
            s.post(url).header("idempotency-key", format!("rush-till-{i}")).json(&cash(product, 1)).send().await.map(|r| r.status().as_u16())
        }));
        tasks.push(tokio::spawn(async move {
            r.post(format!("{b}/api/v1/orders")).header("idempotency-key", format!("rush-web-{i}")).json(&pickup_order(store, product, 1, "on_pickup")).send().await.map(|r| r.status().as_u16())
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task").expect("request") {
            200 | 201 => ok += 1,
            409 => {}
            s => panic!("unexpected status {s}"),
        }
    }
    assert_eq!(ok, 10, "exactly the ten units were sold");
    let (on_hand, reserved) = stock(&app, store, product).await;
    assert_eq!(on_hand - reserved, 0);
}

/// A fresh payment code from the resident's phone (我的 → 付款码).
async fn pay_code(app: &TestApp, phone: &str) -> String {
    let c = logged_in(app, phone).await;
    let (status, body) = post(&c, app, "/api/v1/me/pay-codes", &json!({})).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["valid_s"], 60);
    body["code"].as_str().expect("code").to_string()
}

fn wallet_sale(product: i64, qty: i64, code: &str) -> Value {
    json!({ "items": [{ "product_id": product, "qty": qty }], "payment": "wallet", "pay_code": code })
}

/// A clerk of the first store at the till, a stocked product (its price and stock), and the
/// resident 张女士 with her wallet balance and a fresh pay code.
struct MemberAtTill {
    app: crate::helpers::TestApp,
    store: i64,
    product: i64,
    price: i64,
    start: i64,
    staff: reqwest::Client,
    balance: i64,
    code: String,
}

async fn member_at_the_till() -> MemberAtTill {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = stocked_product(&app, store).await;
    let (start, _) = stock(&app, store, product).await;
    let staff = logged_in(&app, STAFF_A).await;
    let balance = wallet(&app, RESIDENT).await;
    let code = pay_code(&app, RESIDENT).await;
    MemberAtTill { app, store, product, price, start, staff, balance, code }
}

#[tokio::test]
async fn a_member_pays_at_the_till_from_the_wallet_with_a_one_time_pay_code_and_gets_a_receipt() {
    let MemberAtTill { app, store, product, price, start, staff, balance, code } = member_at_the_till().await;
    assert_eq!((code.len(), &code[..2]), (18, "68"), "{code}");
    let body = wallet_sale(product, 2, &code);

    let (status, receipt) = sell(&staff, &app, store, "till-w-1", &body).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["total_fen"].as_i64(), Some(price * 2));
    assert_eq!(receipt["payment"], "wallet");
    assert_eq!(receipt["wallet_after_fen"].as_i64(), Some(balance - price * 2));
    assert_eq!(receipt["customer"], "张**");
    assert_eq!(receipt["cashier"], "小赵");
    assert_eq!(receipt["lines"][0]["qty"], 2);
    let number = receipt["number"].as_str().expect("number");
    assert!(number.starts_with('S') && number.len() == 12, "a receipt number is not an order number: {number}");
    // A double tap: the same receipt, nothing more sold or paid.
    let (status, again) = sell(&staff, &app, store, "till-w-1", &body).await;
    assert_eq!((status, &again["id"]), (201, &receipt["id"]));
    assert_eq!(wallet(&app, RESIDENT).await, balance - price * 2);
    assert_eq!(stock(&app, store, product).await.0, start - 2);
    let sale = receipt["id"].as_i64().expect("id");
    let paid: Vec<(i64, String)> = sqlx::query_as("select amount_fen, kind from wallet_entries where sale_id = $1").bind(sale).fetch_all(&app.db.pool).await.expect("paid");
    assert_eq!(paid, vec![(-price * 2, "payment".to_string())]);
    let moved: Vec<(i64, String)> = sqlx::query_as("select delta, reason from stock_movements where sale_id = $1").bind(sale).fetch_all(&app.db.pool).await.expect("moved");
    assert_eq!(moved, vec![(-2, "counter_sale".to_string())]);
    assert_eq!(count(&app, &format!("select count(*) from pay_codes where sale_id = {sale}")).await, 1, "the code names its sale");
    assert_ledger_balances(&app, store, product).await;

    // The same code once more (another sale): used, so refused, and it counts as a wrong try.
    let (status, err) = sell(&staff, &app, store, "till-w-2", &wallet_sale(product, 1, &code)).await;
    assert_eq!((status, error_code(&err)), (422, "pay_code_invalid"), "{err}");
    assert_eq!(err["error"]["details"]["tries_left"], 9);
    // Typing a phone number is no consent: the old field is gone, and no code is no payment.
    let by_phone = json!({ "items": [{ "product_id": product, "qty": 1 }], "payment": "wallet", "customer_phone": RESIDENT });
    assert!(matches!(sell(&staff, &app, store, "till-w-3", &by_phone).await.0, 400 | 422));
    let no_code = json!({ "items": [{ "product_id": product, "qty": 1 }], "payment": "wallet" });
    let (status, err) = sell(&staff, &app, store, "till-w-4", &no_code).await;
    assert_eq!((status, error_code(&err)), (422, "pay_code_required"));
    // Someone's phone number typed as a code, and a made-up code of the right shape.
    assert_eq!(error_code(&sell(&staff, &app, store, "till-w-5", &wallet_sale(product, 1, RESIDENT)).await.1), "pay_code_invalid");
    assert_eq!(error_code(&sell(&staff, &app, store, "till-w-6", &wallet_sale(product, 1, "681234567890123456")).await.1), "pay_code_invalid");
    // An expired code.
    let late = pay_code(&app, RESIDENT).await;
    sqlx::query("update pay_codes set expires_at_ms = $1 where used_at_ms is null").bind(linli_app::shared::time::now_ms() - 1).execute(&app.db.pool).await.expect("expire");
    assert_eq!(error_code(&sell(&staff, &app, store, "till-w-7", &wallet_sale(product, 1, &late)).await.1), "pay_code_invalid");

    // A wallet too small: refused, and the code stays good for a purchase it covers.
    set_stock(&app, store, product, 2000).await;
    let (_, other_me) = get(&logged_in(&app, OTHER_RESIDENT).await, &app, "/api/v1/me").await;
    let other_id = other_me["id"].as_i64().expect("id");
    let top_up = json!({ "amount_fen": price });
    assert_eq!(post(&staff, &app, &format!("/api/v1/staff/users/{other_id}/wallet/top-up"), &top_up).await.0, 200);
    let other = pay_code(&app, OTHER_RESIDENT).await;
    let (status, err) = sell(&staff, &app, store, "till-w-8", &wallet_sale(product, 999, &other)).await;
    assert_eq!((status, error_code(&err)), (402, "insufficient_balance"), "{err}");
    let empty = json!({ "items": [], "payment": "cash" });
    assert_eq!(error_code(&sell(&staff, &app, store, "till-w-9", &empty).await.1), "basket_empty");
    let r = staff.post(app.url(&format!("/api/v1/staff/stores/{store}/counter-sales"))).json(&cash(product, 1)).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(stock(&app, store, product).await, (2000, 0));
    assert_eq!(count(&app, "select count(*) from counter_sales").await, 1, "refusals sold nothing");
    assert_eq!(sell(&staff, &app, store, "till-w-10", &wallet_sale(product, 1, &other)).await.0, 201);
    assert_eq!(wallet(&app, OTHER_RESIDENT).await, other_me["wallet_fen"].as_i64().expect("wallet"));
    // Signed out, nobody gets a code.
    let (status, _) = post(&crate::helpers::client(), &app, "/api/v1/me/pay-codes", &json!({})).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn one_pay_code_scanned_at_five_tills_at_once_pays_once_and_guessing_codes_is_throttled() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = stocked_product(&app, store).await;
    set_stock(&app, store, product, 100).await;
    let balance = wallet(&app, RESIDENT).await;
    let code = pay_code(&app, RESIDENT).await;
    let manager = logged_in(&app, "13900000011").await;
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            let (c, url, body) = (manager.clone(), app.url(&format!("/api/v1/staff/stores/{store}/counter-sales")), wallet_sale(product, 1, &code));
            tokio::spawn(async move { c.post(url).header("idempotency-key", format!("till-race-{i}")).json(&body).send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task").expect("request"));
    }
    statuses.sort_unstable();
    assert_eq!(statuses, vec![201, 422, 422, 422, 422], "one code, one payment");
    assert_eq!(wallet(&app, RESIDENT).await, balance - price);
    assert_eq!(stock(&app, store, product).await.0, 99);

    // Guessing: after ten wrong codes in a quarter of an hour the till stops this account,
    // even for a good code; another clerk is not affected.
    let staff = logged_in(&app, STAFF_A).await;
    let mut last = 0;
    for i in 0..10 {
        last = sell(&staff, &app, store, &format!("guess-{i}"), &wallet_sale(product, 1, &format!("68{i:016}"))).await.0;
    }
    assert_eq!(last, 422);
    let good = pay_code(&app, RESIDENT).await;
    let (status, err) = sell(&staff, &app, store, "guess-good", &wallet_sale(product, 1, &good)).await;
    assert_eq!((status, error_code(&err)), (429, "too_many_attempts"), "{err}");
    assert_eq!(sell(&manager, &app, store, "manager-good", &wallet_sale(product, 1, &good)).await.0, 201);
}

#[tokio::test]
async fn handing_over_an_online_order_books_it_in_the_ledger() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let resident = logged_in(&app, RESIDENT).await;
    let staff = logged_in(&app, STAFF_A).await;
    let (status, order) = place(&resident, &app, "handed", &pickup_order(store, product, 2, "on_pickup")).await;
    assert_eq!(status, 201, "{order}");
    let id = order["id"].as_i64().expect("id");
    for step in ["accepted", "picking", "ready"] {
        assert_eq!(post(&staff, &app, &format!("/api/v1/staff/orders/{id}/transition"), &json!({ "to": step })).await.0, 200);
    }
    let code = order["pickup_code"].as_str().expect("code");
    assert_eq!(post(&staff, &app, &format!("/api/v1/staff/orders/{id}/hand-over"), &json!({ "code": code })).await.0, 200);
    let rows: Vec<(i64, String, Option<i64>)> =
        sqlx::query_as("select delta, reason, order_id from stock_movements where order_id = $1").bind(id).fetch_all(&app.db.pool).await.expect("rows");
    assert_eq!(rows, vec![(-2, "online_sale".to_string(), Some(id))]);
    assert_ledger_balances(&app, store, product).await;
}

#[tokio::test]
async fn a_resent_booking_with_its_key_books_once() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, _) = stocked_product(&app, store).await;
    let staff = logged_in(&app, STAFF_A).await;
    let (start, _) = stock(&app, store, product).await;
    let body = json!({ "product_id": product, "delta": 12, "reason": "receive", "note": "张记蔬菜" });
    let path = app.url(&format!("/api/v1/staff/stores/{store}/stock"));
    let mut answers = Vec::new();
    for _ in 0..3 {
        let r = staff.post(&path).header("x-requested-with", "linli").header("idempotency-key", "delivery-0742").json(&body).send().await.expect("post");
        answers.push((r.status().as_u16(), r.json::<Value>().await.expect("json")));
    }
    assert!(answers.iter().all(|a| a == &answers[0]), "the same answer each time: {answers:?}");
    assert_eq!(answers[0].0, 200);
    assert_eq!(stock(&app, store, product).await.0, start + 12);
    // The same key for another movement is a mistake, not a replay.
    let r = staff.post(&path).header("x-requested-with", "linli").header("idempotency-key", "delivery-0742").json(&json!({ "product_id": product, "delta": 5, "reason": "receive" })).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 422);
    assert_ledger_balances(&app, store, product).await;
}

const MANAGER_A: &str = "13900000011"; // 刘店长, first store
const OWNER: &str = "13900000000";

async fn refund(c: &reqwest::Client, app: &TestApp, sale: i64, key: &str, body: &Value) -> (u16, Value) {
    let r = c.post(app.url(&format!("/api/v1/staff/counter-sales/{sale}/refund"))).header("idempotency-key", key).json(body).send().await.expect("refund");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Two single products with plenty of stock at the store.
async fn two_products(app: &TestApp, store: i64) -> ((i64, i64), (i64, i64)) {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "select p.id, p.price_fen from products p join stock s on s.product_id = p.id and s.store_id = $1
         where s.on_hand - s.reserved >= 10 and not exists (select 1 from bundle_items b where b.bundle_id = p.id) order by p.id limit 2",
    )
    .bind(store)
    .fetch_all(&app.db.pool)
    .await
    .expect("products");
    (rows[0], rows[1])
}

#[tokio::test]
async fn a_manager_refunds_a_cash_sale_once_and_the_goods_go_back_on_the_shelf() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let ((a, price_a), (b, price_b)) = two_products(&app, store).await;
    let (start_a, start_b) = (stock(&app, store, a).await.0, stock(&app, store, b).await.0);
    let staff = logged_in(&app, STAFF_A).await;
    let manager = logged_in(&app, MANAGER_A).await;
    let body = json!({ "items": [{ "product_id": a, "qty": 3 }, { "product_id": b, "qty": 1 }], "payment": "cash" });
    let (status, receipt) = sell(&staff, &app, store, "r-sale-1", &body).await;
    assert_eq!(status, 201, "{receipt}");
    let sale = receipt["id"].as_i64().expect("id");
    assert!(receipt["refund"].is_null());

    // The clerk may not; someone of another store does not see the sale; signed out is 401.
    let (status, err) = refund(&staff, &app, sale, "r-1", &json!({})).await;
    assert_eq!((status, error_code(&err)), (403, "refund_is_managers"));
    assert_eq!(refund(&logged_in(&app, MANAGER_B).await, &app, sale, "r-1", &json!({})).await.0, 404);
    assert_eq!(refund(&crate::helpers::client(), &app, sale, "r-1", &json!({})).await.0, 401);
    // Bad choices change nothing.
    for bad in [
        json!({ "items": [] }),
        json!({ "items": [{ "product_id": a, "qty": 4 }] }),
        json!({ "items": [{ "product_id": a, "qty": 0 }] }),
        json!({ "items": [{ "product_id": 999_999, "qty": 1 }] }),
        json!({ "items": [{ "product_id": a, "qty": 1 }, { "product_id": a, "qty": 1 }] }),
    ] {
        let (status, err) = refund(&manager, &app, sale, &format!("bad-{bad}"), &bad).await;
        assert_eq!((status, error_code(&err)), (422, "invalid_refund"), "{bad}: {err}");
    }
    let (status, err) = refund(&manager, &app, sale, "r-note", &json!({ "note": "坏".repeat(61) })).await;
    assert_eq!((status, error_code(&err)), (422, "note_too_long"));
    assert_eq!(refund(&manager, &app, sale, "r-x", &json!({ "whole": true })).await.0, 400, "unknown fields are refused");
    let r = manager.post(app.url(&format!("/api/v1/staff/counter-sales/{sale}/refund"))).json(&json!({})).send().await.expect("no key");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(count(&app, "select count(*) from counter_refunds").await, 0);
    assert_eq!((stock(&app, store, a).await.0, stock(&app, store, b).await.0), (start_a - 3, start_b - 1));

    // Two of the three of a come back.
    let part = json!({ "items": [{ "product_id": a, "qty": 2 }], "note": "压坏了" });
    let (status, done) = refund(&manager, &app, sale, "r-2", &part).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["refund"]["amount_fen"].as_i64(), Some(price_a * 2));
    assert_eq!((done["refund"]["by"].as_str(), done["refund"]["note"].as_str()), (Some("刘店长"), Some("压坏了")));
    assert_eq!(done["refund"]["lines"][0]["qty"], 2);
    assert!(done["refund"]["wallet_after_fen"].is_null(), "cash goes back from the till");
    assert_eq!((stock(&app, store, a).await.0, stock(&app, store, b).await.0), (start_a - 1, start_b - 1));
    assert_eq!(ledger(&app, store, a).await.iter().rev().take(2).map(|(d, _, r)| (*d, r.clone())).collect::<Vec<_>>(), vec![(2, "counter_refund".to_string()), (-3, "counter_sale".to_string())]);
    assert_ledger_balances(&app, store, a).await;
    assert_ledger_balances(&app, store, b).await;
    // A double tap replays; another refund of the same sale is refused.
    let (status, again) = refund(&manager, &app, sale, "r-2", &part).await;
    assert_eq!((status, &again["refund"]), (201, &done["refund"]));
    let (status, err) = refund(&logged_in(&app, OWNER).await, &app, sale, "r-3", &json!({})).await;
    assert_eq!((status, error_code(&err)), (409, "already_refunded"));
    assert_eq!(stock(&app, store, a).await.0, start_a - 1);
    let (_, seen) = get(&staff, &app, &format!("/api/v1/staff/counter-sales/{sale}")).await;
    assert_eq!(seen["refund"]["amount_fen"].as_i64(), Some(price_a * 2), "the receipt shows its refund");
    let _ = price_b;
}

#[tokio::test]
async fn a_wallet_sale_is_refunded_to_the_wallet_once_even_when_two_managers_tap_at_once() {
    let MemberAtTill { app, store, product, price, start, staff, balance, code } = member_at_the_till().await;
    let (status, receipt) = sell(&staff, &app, store, "rw-1", &wallet_sale(product, 2, &code)).await;
    assert_eq!(status, 201, "{receipt}");
    let sale = receipt["id"].as_i64().expect("id");
    assert_eq!(wallet(&app, RESIDENT).await, balance - price * 2);

    let manager = logged_in(&app, MANAGER_A).await;
    let owner = logged_in(&app, OWNER).await;
    let whole = json!({});
    let (one, two) = tokio::join!(refund(&manager, &app, sale, "rw-m", &whole), refund(&owner, &app, sale, "rw-o", &whole));
    let mut statuses = [one.0, two.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "{one:?} {two:?}");
    let done = if one.0 == 201 { one.1 } else { two.1 };
    assert_eq!(done["refund"]["amount_fen"].as_i64(), Some(price * 2));
    assert_eq!(done["refund"]["wallet_after_fen"].as_i64(), Some(balance));
    assert_eq!(wallet(&app, RESIDENT).await, balance, "the money is back, once");
    let entries: Vec<(i64, String)> = sqlx::query_as("select amount_fen, kind from wallet_entries where sale_id = $1 order by id").bind(sale).fetch_all(&app.db.pool).await.expect("entries");
    assert_eq!(entries, vec![(-price * 2, "payment".to_string()), (price * 2, "refund".to_string())]);
    assert_eq!(stock(&app, store, product).await.0, start, "the goods are back, once");
    assert_ledger_balances(&app, store, product).await;
}

#[tokio::test]
async fn cash_received_prints_the_change_and_too_little_sells_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let ((a, price), _) = two_products(&app, store).await;
    let start = stock(&app, store, a).await.0;
    let staff = logged_in(&app, STAFF_A).await;
    let sale = |received: i64| json!({ "items": [{ "product_id": a, "qty": 2 }], "payment": "cash", "cash_received_fen": received });
    // Less than the total: refused with how much is missing, and nothing leaves the shelf.
    let (status, err) = sell(&staff, &app, store, "cash-short", &sale(2 * price - 1)).await;
    assert_eq!((status, error_code(&err)), (422, "cash_short"), "{err}");
    assert_eq!(err["error"]["details"]["short_fen"], 1);
    assert_eq!(stock(&app, store, a).await.0, start);
    // Enough: the receipt says what was handed over and the change, now and when read again.
    let received = (2 * price / 5_000 + 1) * 5_000;
    let (status, receipt) = sell(&staff, &app, store, "cash-ok", &sale(received)).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!((receipt["cash_received_fen"].as_i64(), receipt["change_fen"].as_i64()), (Some(received), Some(received - 2 * price)));
    let (_, again) = get(&staff, &app, &format!("/api/v1/staff/counter-sales/{}", receipt["id"])).await;
    assert_eq!(again["change_fen"], receipt["change_fen"]);
    // Not counted in, or another way of paying: no 实收 on the receipt.
    let (_, plain) = sell(&staff, &app, store, "cash-plain", &json!({ "items": [{ "product_id": a, "qty": 1 }], "payment": "qr", "cash_received_fen": 100 })).await;
    assert!(plain["cash_received_fen"].is_null() && plain["change_fen"].is_null(), "{plain}");
}
