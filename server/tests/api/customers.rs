//! The counter's customers: search by name or phone digits, a resident's page at one store,
//! top-ups corrected by reversing entries that keep the wallet ledger balanced.
use crate::helpers::*;
use serde_json::json;

const STAFF_A: &str = "13900000021"; // 小赵, 文三路店
const STAFF_B: &str = "13900000022"; // 小钱, 古墩路店
const ZHANG: &str = "13800000003"; // 张女士, ¥200 in her wallet
const WANG: &str = "13800000001"; // 王阿姨

async fn user_id(app: &TestApp, phone: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from users where phone = $1").bind(phone).fetch_one(&app.db.pool).await.expect("user");
    id
}

/// Every entry follows from the one before it and the last one is the balance.
async fn assert_wallet_ledger_balances(app: &TestApp, phone: &str) {
    let user = user_id(app, phone).await;
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("select amount_fen, balance_after_fen from wallet_entries where user_id = $1 order by id").bind(user).fetch_all(&app.db.pool).await.expect("ledger");
    let mut running = 0;
    for (amount, after) in &rows {
        running += amount;
        assert_eq!(running, *after, "{rows:?}");
    }
    assert_eq!(wallet(app, phone).await, running, "the ledger sums to the balance: {rows:?}");
}

async fn top_up(c: &reqwest::Client, app: &TestApp, user: i64, fen: i64) -> i64 {
    let (status, body) = post(c, app, &format!("/api/v1/staff/users/{user}/wallet/top-up"), &json!({ "amount_fen": fen })).await;
    assert_eq!(status, 200, "{body}");
    body["entry_id"].as_i64().expect("entry")
}

async fn reverse(c: &reqwest::Client, app: &TestApp, entry: i64) -> (u16, serde_json::Value) {
    post(c, app, &format!("/api/v1/staff/wallet-entries/{entry}/reversal"), &json!({})).await
}

#[tokio::test]
async fn staff_find_residents_by_the_last_four_digits_or_a_name_and_see_only_their_stores_orders() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let staff = logged_in(&app, STAFF_A).await;
    let zhang = user_id(&app, ZHANG).await;

    let (status, hits) = get(&staff, &app, &format!("/api/v1/staff/customers?store_id={store}&q=0003")).await;
    assert_eq!(status, 200, "{hits}");
    assert_eq!(hits[0]["id"].as_i64(), Some(zhang));
    assert_eq!(hits[0]["phone"], "138****0003");
    assert_eq!(hits[0]["wallet_fen"], 20000);
    let (_, hits) = get(&staff, &app, &format!("/api/v1/staff/customers?store_id={store}&q=%E7%8E%8B")).await; // 王
    assert!(hits.as_array().expect("list").iter().any(|h| h["name"] == "王阿姨"), "{hits}");
    // A wildcard is a character, not a pattern.
    let (_, hits) = get(&staff, &app, &format!("/api/v1/staff/customers?store_id={store}&q=%25")).await;
    assert_eq!(hits, json!([]));
    let (status, body) = get(&staff, &app, &format!("/api/v1/staff/customers?store_id={store}&q=123")).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_search"));

    // The page lists her orders at this store, not elsewhere.
    let (product, _) = stocked_product(&app, store).await;
    let resident = logged_in(&app, ZHANG).await;
    let (status, order) = place(&resident, &app, "cust-1", &pickup_order(store, product, 1, "on_pickup")).await;
    assert_eq!(status, 201, "{order}");
    let (status, page) = get(&staff, &app, &format!("/api/v1/staff/customers/{zhang}?store_id={store}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["orders"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["orders"][0]["id"], order["id"]);
    assert_eq!(page["wallet_fen"], 20000);
    let other = logged_in(&app, STAFF_B).await;
    let (status, _) = get(&other, &app, &format!("/api/v1/staff/customers/{zhang}?store_id={store}")).await;
    assert_eq!(status, 403, "another store's staff cannot look through this store's counter");
    let (status, _) = get(&other, &app, &format!("/api/v1/staff/customers?store_id={store}&q=0003")).await;
    assert_eq!(status, 403);
    let (status, _) = get(&resident, &app, &format!("/api/v1/staff/customers?store_id={store}&q=0001")).await;
    assert_eq!(status, 403, "residents cannot search residents");
}

#[tokio::test]
async fn a_mistaken_top_up_is_reversed_once_by_an_entry_and_the_ledger_stays_balanced() {
    let app = spawn_app_with_demo().await;
    let staff = logged_in(&app, STAFF_A).await;
    let wang = user_id(&app, WANG).await;
    let entry = top_up(&staff, &app, wang, 50_000).await; // ¥500 typed for ¥50
    let right = top_up(&staff, &app, wang, 5_000).await;
    assert_eq!(wallet(&app, WANG).await, 55_000);

    // Ten taps at once: one reversal.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (c, base) = (staff.clone(), app.url(""));
        tasks.push(tokio::spawn(async move {
            let r = c.post(format!("{base}/api/v1/staff/wallet-entries/{entry}/reversal")).header("x-requested-with", "linli").send().await.expect("post");
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap_or_default())
        }));
    }
    let mut done = 0;
    for t in tasks {
        match t.await.expect("task") {
            (200, body) => {
                done += 1;
                assert_eq!(body["wallet_fen"], 5_000);
            }
            (409, body) => assert_eq!(error_code(&body), "already_reversed", "{body}"),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(done, 1);
    assert_eq!(wallet(&app, WANG).await, 5_000);
    let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as("select amount_fen, kind, reverses_id from wallet_entries where user_id = $1 order by id")
        .bind(wang)
        .fetch_all(&app.db.pool)
        .await
        .expect("rows");
    assert_eq!(rows, vec![(50_000, "top_up".into(), None), (5_000, "top_up".into(), None), (-50_000, "reversal".into(), Some(entry))]);
    assert_wallet_ledger_balances(&app, WANG).await;

    // The page shows which is reversed and which may still be.
    let store = first_store(&app).await;
    let (_, page) = get(&staff, &app, &format!("/api/v1/staff/customers/{wang}?store_id={store}")).await;
    let line = |id: i64| page["entries"].as_array().expect("entries").iter().find(|e| e["id"].as_i64() == Some(id)).cloned().expect("line");
    assert!(line(entry)["reversed_by"].is_i64());
    assert_eq!(line(entry)["reversible"], false);
    assert_eq!(line(right)["reversible"], true);

    // A reversal is not reversible; another store's staff see no such entry.
    let (_, page) = get(&staff, &app, &format!("/api/v1/staff/customers/{wang}?store_id={store}")).await;
    let reversal = page["entries"][0]["id"].as_i64().expect("id");
    let (status, body) = reverse(&staff, &app, reversal).await;
    assert_eq!((status, error_code(&body)), (409, "not_reversible"));
    let other = logged_in(&app, STAFF_B).await;
    let (status, _) = reverse(&other, &app, right).await;
    assert_eq!(status, 404);
    let resident = logged_in(&app, WANG).await;
    let (status, _) = reverse(&resident, &app, right).await;
    assert_eq!(status, 404);
    assert_eq!(wallet(&app, WANG).await, 5_000);
}

#[tokio::test]
async fn a_top_up_already_spent_cannot_be_reversed() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let staff = logged_in(&app, STAFF_A).await;
    let wang = user_id(&app, WANG).await;
    let entry = top_up(&staff, &app, wang, 2_000).await;
    let (product, price) = stocked_product(&app, store).await;
    assert!(price <= 2_000, "the demo has a product under ¥20");
    let resident = logged_in(&app, WANG).await;
    let (status, order) = place(&resident, &app, "spend-1", &pickup_order(store, product, 1, "wallet")).await;
    assert_eq!(status, 201, "{order}");
    let (status, body) = reverse(&staff, &app, entry).await;
    assert_eq!((status, error_code(&body)), (409, "reversal_not_covered"));
    assert_eq!(wallet(&app, WANG).await, 2_000 - order["total_fen"].as_i64().expect("total"));
    assert_wallet_ledger_balances(&app, WANG).await;
}
