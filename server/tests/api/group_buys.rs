//! Group buys: 满N户成团 or everyone is refunded. Joins race for a cap and a household limit;
//! the deadline is decided once, even when run twice or killed half-way.
use crate::helpers::*;
use linli_app::shared::time::{local_input, now_ms};
use serde_json::{json, Value};
use std::time::Duration;

const MANAGER_A: &str = "13900000011"; // 刘店长, first store
const MANAGER_B: &str = "13900000012"; // 周店长, second store
const OWNER: &str = "13900000000";
const RESIDENT: &str = "13800000003"; // 张女士, ¥200 in her wallet

async fn join(c: &reqwest::Client, app: &TestApp, id: i64, key: &str, body: &Value) -> (u16, Value) {
    let r = c.post(app.url(&format!("/api/v1/group-buys/{id}/join"))).header("idempotency-key", key).json(body).send().await.expect("join");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Moves the campaign's deadline into the past (as time would).
async fn pass_deadline(app: &TestApp, id: i64) {
    sqlx::query("update group_buys set deadline_ms = $2 where id = $1").bind(id).bind(now_ms() - 1000).execute(&app.db.pool).await.expect("deadline");
}

async fn resolve(app: &TestApp) {
    linli_app::group_buy::service::resolve_due(&app.db).await.expect("resolve");
}

async fn order_statuses(app: &TestApp, id: i64) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select status from orders where group_buy_id = $1 order by id").bind(id).fetch_all(&app.db.pool).await.expect("orders");
    rows.into_iter().map(|r| r.0).collect()
}

/// Refunds booked for the campaign's joins.
async fn refunds(app: &TestApp, id: i64) -> i64 {
    count(app, &format!("select count(*) from wallet_entries where kind = 'refund' and order_id in (select id from orders where group_buy_id = {id})")).await
}

/// Every user's balance equals the sum of their ledger, and each ledger row's balance follows.
async fn ledger_balances(app: &TestApp) {
    let bad = count(
        app,
        "select count(*) from users u where u.wallet_fen <> coalesce((select sum(e.amount_fen) from wallet_entries e where e.user_id = u.id), 0)",
    )
    .await;
    assert_eq!(bad, 0, "every wallet equals its ledger");
}

#[tokio::test]
async fn a_group_that_reaches_its_threshold_goes_ahead_and_freezes_the_supplier_summary() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price - 100, 3, None, 2)).await;

    let people = households(&app, 3, "136110", 10_000).await;
    let mut joined = Vec::new();
    for (i, (_, c)) in people.iter().enumerate() {
        let payment = if i == 0 { "wallet" } else { "on_pickup" };
        let (status, order) = join(c, &app, id, &format!("j{i}"), &json!({"qty": 1, "payment": payment})).await;
        assert_eq!(status, 201, "{order}");
        joined.push(order["id"].clone());
        assert_eq!(order["status"], "awaiting_group");
        assert_eq!(order["group_buy_id"], id);
    }
    // One household joins again: two orders, still one household.
    let (status, _) = join(&people[0].1, &app, id, "j0-again", &json!({"qty": 1, "payment": "on_pickup"})).await;
    assert_eq!(status, 201);
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!((g["households"].as_i64(), g["units_sold"].as_i64(), g["min_households"].as_i64()), (Some(3), Some(4), Some(3)));
    assert_eq!(g["price_fen"], price - 100);
    assert_eq!(wallet(&app, "13611000000").await, 10_000 - (price - 100), "the wallet join is paid now");

    pass_deadline(&app, id).await;
    resolve(&app).await;
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!(g["status"], "succeeded");
    assert_eq!(order_statuses(&app, id).await, vec!["placed"; 4]);
    let notified = count(
        &app,
        &format!(
            "select count(*) from notifications where kind = 'group_succeeded' and order_id in (select id from orders where group_buy_id = {id})"
        ),
    )
    .await;
    assert_eq!(notified, 4);
    let (_, bell) = get(&people[1].1, &app, "/api/v1/me/notifications").await;
    assert_eq!((bell[0]["kind"].as_str(), bell[0]["status"].as_str()), (Some("group_succeeded"), Some("placed")), "{bell}");

    // The supplier summary is frozen and downloadable; a second run changes nothing.
    let manager = logged_in(&app, MANAGER_A).await;
    let (status, report) = get(&manager, &app, &format!("/api/v1/group-buys/{id}/report")).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["purchases"][0]["units"], 4);
    assert_eq!(report["purchases"][0]["households"], 3);
    assert_eq!(report["by_store"][0]["households"], 3);
    resolve(&app).await;
    assert_eq!(order_statuses(&app, id).await, vec!["placed"; 4]);
    assert_eq!(count(&app, &format!("select count(*) from group_buy_purchases where group_buy_id = {id}")).await, 1);
    let csv = manager.get(app.url(&format!("/api/v1/group-buys/{id}/purchase.csv"))).send().await.expect("csv");
    assert_eq!(csv.status().as_u16(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap_or("").starts_with("text/csv"));
    let text = csv.text().await.expect("csv text");
    assert!(text.starts_with('\u{feff}') && text.contains(",4,3,"), "{text}");

    // The confirmed joins are ordinary pickup orders now: in the store's queue for the day.
    let (status, queue) = get(&manager, &app, &format!("/api/v1/staff/stores/{store}/orders?status=placed")).await;
    assert_eq!(status, 200);
    let in_queue = queue.as_array().expect("queue").iter().filter(|o| joined.contains(&o["id"])).count();
    assert_eq!(in_queue, 3, "{queue}");
}

#[tokio::test]
async fn a_group_that_misses_its_threshold_cancels_every_join_and_refunds_each_once() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price, 5, None, 3)).await;
    let people = households(&app, 3, "136220", 10_000).await;
    for (i, (_, c)) in people.iter().enumerate() {
        let (status, body) = join(c, &app, id, "k", &json!({"qty": 2, "payment": "wallet"})).await;
        assert_eq!(status, 201, "{i}: {body}");
    }
    // Past the deadline (not yet decided) nobody may join or leave.
    pass_deadline(&app, id).await;
    let (status, body) = join(&people[0].1, &app, id, "late", &json!({"qty": 1, "payment": "wallet"})).await;
    assert_eq!((status, error_code(&body)), (409, "closed"));

    resolve(&app).await;
    resolve(&app).await;
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!(g["status"], "failed");
    assert_eq!(g["households"], 3, "the count stays as it was: 3 of 5");
    assert_eq!(order_statuses(&app, id).await, vec!["cancelled"; 3]);
    let refunds = refunds(&app, id).await;
    assert_eq!(refunds, 3, "one refund per paid join, however often the job runs");
    for i in 0..3 {
        assert_eq!(wallet(&app, &format!("136220{i:05}")).await, 10_000);
    }
    ledger_balances(&app).await;
    assert_eq!(count(&app, &format!("select count(*) from group_buys where id = {id} and settled_at_ms is not null")).await, 1);
    assert_eq!(
        count(
            &app,
            &format!(
                "select count(*) from notifications where kind = 'group_failed' and order_id in (select id from orders where group_buy_id = {id})"
            )
        )
        .await,
        3
    );
}

#[tokio::test]
async fn five_hundred_concurrent_joins_against_a_cap_of_one_hundred_sell_exactly_one_hundred() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price, 10, Some(100), 2)).await;
    // 100 households, five joins each: 500 joins for 100 units, two units a household at most.
    let people = households(&app, 100, "137330", 0).await;
    let mut tasks = Vec::new();
    for (h, (_, c)) in people.iter().enumerate() {
        for k in 0..5 {
            let (c, url) = (c.clone(), app.url(&format!("/api/v1/group-buys/{id}/join")));
            tasks.push(tokio::spawn(async move {
                let r = c
                    .post(url)
                    .header("idempotency-key", format!("h{h}-k{k}"))
                    .json(&json!({"qty": 1, "payment": "on_pickup"}))
                    .send()
                    .await
                    .expect("join");
                (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
            }));
        }
    }
    let (mut won, mut full, mut limited) = (0, 0, 0);
    for t in tasks {
        let (status, body) = t.await.expect("task");
        match (status, error_code(&body)) {
            (201, _) => won += 1,
            (409, "group_full") => full += 1,
            (409, "limit_exceeded") => limited += 1,
            other => panic!("unexpected {other:?}: {body}"),
        }
    }
    assert_eq!(won + full + limited, 500);
    assert_eq!(won, 100, "exactly the cap");
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!(g["units_sold"], 100);
    assert_eq!(count(&app, &format!("select count(*) from orders where group_buy_id = {id}")).await, 100);
    let most = count(&app, &format!("select coalesce(max(units), 0) from group_buy_households where group_buy_id = {id}")).await;
    assert!(most <= 2, "no household over its limit ({most})");
    let holders = count(&app, &format!("select count(*) from group_buy_households where group_buy_id = {id} and units > 0")).await;
    assert_eq!(g["households"].as_i64(), Some(holders), "households counted once each");
    assert_eq!(count(&app, &format!("select cast(sum(units) as bigint) from group_buy_households where group_buy_id = {id}")).await, 100);
}

#[tokio::test]
async fn bad_joins_get_a_clear_code_and_change_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price, 2, Some(10), 2)).await;
    let resident = logged_in(&app, RESIDENT).await;
    let cases = [
        (json!({"qty": 3, "payment": "wallet"}), 409, "limit_exceeded"),
        (json!({"qty": 0, "payment": "wallet"}), 422, "invalid_quantity"),
        (json!({"qty": 1, "payment": "wallet", "store_id": store + 1}), 422, "not_in_group"),
    ];
    for (i, (body, status, code)) in cases.iter().enumerate() {
        let (s, b) = join(&resident, &app, id, &format!("bad{i}"), body).await;
        assert_eq!((s, error_code(&b)), (*status, *code), "{body}: {b}");
    }
    let r =
        resident.post(app.url(&format!("/api/v1/group-buys/{id}/join"))).json(&json!({"qty": 1, "payment": "wallet"})).send().await.expect("no key");
    assert_eq!(r.status().as_u16(), 400);
    // A retry with the same key is the same join; the same key for another body is refused.
    let (s1, a) = join(&resident, &app, id, "once", &json!({"qty": 1, "payment": "wallet"})).await;
    let (s2, b) = join(&resident, &app, id, "once", &json!({"qty": 1, "payment": "wallet"})).await;
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(a["id"], b["id"]);
    let (s3, c) = join(&resident, &app, id, "once", &json!({"qty": 2, "payment": "wallet"})).await;
    assert_eq!((s3, error_code(&c)), (422, "idempotency_key_reused"));
    // One more unit is within the limit; a third is not.
    let (s, b) = join(&resident, &app, id, "second", &json!({"qty": 2, "payment": "on_pickup"})).await;
    assert_eq!((s, error_code(&b)), (409, "limit_exceeded"));
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!((g["households"].as_i64(), g["units_sold"].as_i64()), (Some(1), Some(1)));
    assert_eq!(count(&app, &format!("select count(*) from orders where group_buy_id = {id}")).await, 1);

    // A draft and a cancelled campaign take no joins.
    let manager = logged_in(&app, MANAGER_A).await;
    let mut draft = campaign(store, product, price, 2, None, 2);
    draft["draft"] = json!(true);
    let (_, d) = post(&manager, &app, "/api/v1/group-buys", &draft).await;
    let draft_id = d["id"].as_i64().expect("draft id");
    assert_eq!(d["status"], "draft");
    let (s, b) = join(&resident, &app, draft_id, "draft", &json!({"qty": 1, "payment": "on_pickup"})).await;
    assert_eq!((s, error_code(&b)), (409, "closed"));
    let (s, _) = get(&resident, &app, &format!("/api/v1/group-buys/{draft_id}")).await;
    assert_eq!(s, 404, "a draft is not shown to residents");
    let (s, c) = post(&manager, &app, &format!("/api/v1/group-buys/{draft_id}/cancel"), &json!({"reason": "货源不稳定"})).await;
    assert_eq!((s, c["status"].as_str()), (200, Some("cancelled")));
    let (s, b) = join(&resident, &app, draft_id, "cancelled", &json!({"qty": 1, "payment": "on_pickup"})).await;
    assert_eq!((s, error_code(&b)), (409, "closed"));

    // Bad campaigns: a price above the shelf price, a cap under the threshold, no stores.
    for (patch, code) in [
        (json!({"price_fen": price + 1}), "invalid_group_price"),
        (json!({"max_units": 1, "min_households": 2}), "invalid_threshold"),
        (json!({"deadline": "2020-01-01T10:00"}), "invalid_deadline"),
        (json!({"store_id": null}), "stores_required"),
    ] {
        let mut body = campaign(store, product, price, 2, None, 2);
        for (k, v) in patch.as_object().expect("patch") {
            body[k] = v.clone();
        }
        let (s, b) = post(&manager, &app, "/api/v1/group-buys", &body).await;
        assert_eq!((s, error_code(&b)), (422, code), "{patch}");
    }
    // Residents and other stores' managers cannot set campaigns up here.
    let (s, _) = post(&resident, &app, "/api/v1/group-buys", &campaign(store, product, price, 2, None, 2)).await;
    assert_eq!(s, 403);
    let other = logged_in(&app, MANAGER_B).await;
    let (s, _) = post(&other, &app, "/api/v1/group-buys", &campaign(store, product, price, 2, None, 2)).await;
    assert_eq!(s, 403);
    let (s, _) = post(&other, &app, &format!("/api/v1/group-buys/{id}/cancel"), &json!({"reason": "x"})).await;
    assert_eq!(s, 404, "another store's campaign does not exist for them");
}

#[tokio::test]
async fn a_household_leaves_and_rejoins_before_the_deadline() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price, 2, None, 3)).await;
    let resident = logged_in(&app, RESIDENT).await;
    let before = wallet(&app, RESIDENT).await;
    let (_, order) = join(&resident, &app, id, "a", &json!({"qty": 2, "payment": "wallet"})).await;
    let order_id = order["id"].as_i64().expect("order");
    assert_eq!(wallet(&app, RESIDENT).await, before - 2 * price);

    // Cancelling the order through the orders API leaves the group the same way.
    let (s, left) = post(&resident, &app, &format!("/api/v1/orders/{order_id}/cancel"), &json!({})).await;
    assert_eq!((s, left["status"].as_str()), (200, Some("cancelled")), "{left}");
    assert_eq!(wallet(&app, RESIDENT).await, before, "refunded");
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!((g["households"].as_i64(), g["units_sold"].as_i64()), (Some(0), Some(0)));
    let (s, b) = post(&resident, &app, &format!("/api/v1/group-buys/{id}/leave"), &json!({"order_id": order_id})).await;
    assert_eq!((s, error_code(&b)), (409, "closed"), "leaving twice refunds nothing");
    assert_eq!(count(&app, &format!("select count(*) from wallet_entries where kind = 'refund' and order_id = {order_id}")).await, 1);

    // Rejoin: the household counts again, and may take its full limit.
    let (s, again) = join(&resident, &app, id, "b", &json!({"qty": 3, "payment": "on_pickup"})).await;
    assert_eq!(s, 201, "{again}");
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!((g["households"].as_i64(), g["units_sold"].as_i64()), (Some(1), Some(3)));
    // Someone else cannot leave for them.
    let other = logged_in(&app, "13800000001").await;
    let (s, _) = post(&other, &app, &format!("/api/v1/group-buys/{id}/leave"), &json!({"order_id": again["id"]})).await;
    assert_eq!(s, 404);
    ledger_balances(&app).await;
}

#[tokio::test]
async fn the_owner_edits_before_the_first_join_extends_once_and_cancelling_refunds_everyone() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price, 2, None, 2)).await;
    let owner = logged_in(&app, OWNER).await;
    let mut edit = campaign(store, product, price - 50, 2, None, 2);
    edit["title"] = json!("改个标题");
    let (s, g) = owner.put(app.url(&format!("/api/v1/group-buys/{id}"))).json(&edit).send().await.map(|r| (r.status().as_u16(), r)).expect("put");
    assert_eq!(s, 200);
    let g: Value = g.json().await.expect("json");
    assert_eq!((g["title"].as_str(), g["price_fen"].as_i64()), (Some("改个标题"), Some(price - 50)));

    let resident = logged_in(&app, RESIDENT).await;
    let before = wallet(&app, RESIDENT).await;
    let (s, _) = join(&resident, &app, id, "x", &json!({"qty": 1, "payment": "wallet"})).await;
    assert_eq!(s, 201);
    let r = owner.put(app.url(&format!("/api/v1/group-buys/{id}"))).json(&edit).send().await.expect("put");
    let b: Value = r.json().await.expect("json");
    assert_eq!(error_code(&b), "group_not_editable");

    let deadline = g["deadline"].as_str().expect("deadline").to_string();
    let later = local_input(linli_app::shared::time::parse_instant(&deadline).expect("instant") + 3_600_000);
    let (s, e) = post(&owner, &app, &format!("/api/v1/group-buys/{id}/extend"), &json!({"deadline": later})).await;
    assert_eq!((s, e["deadline_extended"].as_bool()), (200, Some(true)), "{e}");
    let (s, b) = post(&owner, &app, &format!("/api/v1/group-buys/{id}/extend"), &json!({"deadline": later})).await;
    assert_eq!((s, error_code(&b)), (409, "already_extended"));

    let (s, b) = post(&owner, &app, &format!("/api/v1/group-buys/{id}/cancel"), &json!({"reason": ""})).await;
    assert_eq!((s, error_code(&b)), (422, "reason_required"));
    let (s, c) = post(&owner, &app, &format!("/api/v1/group-buys/{id}/cancel"), &json!({"reason": "产地连续降雨，品质不达标"})).await;
    assert_eq!((s, c["status"].as_str()), (200, Some("cancelled")));
    assert_eq!(order_statuses(&app, id).await, vec!["cancelled"]);
    assert_eq!(wallet(&app, RESIDENT).await, before);
    resolve(&app).await;
    assert_eq!(count(&app, "select count(*) from wallet_entries where kind = 'refund'").await, 1);
    let (s, b) = post(&owner, &app, &format!("/api/v1/group-buys/{id}/cancel"), &json!({"reason": "again"})).await;
    assert_eq!((s, error_code(&b)), (409, "closed"));
}

/// An edit racing the first join: whichever wins, the order is priced by the terms in force
/// when it was written — never an old price read before the edit committed.
#[tokio::test]
async fn an_edit_racing_the_first_join_never_charges_an_old_price() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let resident = logged_in(&app, RESIDENT).await;
    for round in 0..8 {
        let id = create_group_buy(&app, &campaign(store, product, price, 2, None, 2)).await;
        let edit = campaign(store, product, price - 30, 2, None, 2);
        let url = app.url(&format!("/api/v1/group-buys/{id}"));
        let (key, body) = (format!("race-{round}"), json!({"qty": 2, "payment": "on_pickup"}));
        let (put, (s, order)) = tokio::join!(owner.put(&url).json(&edit).send(), join(&resident, &app, id, &key, &body));
        assert_eq!(s, 201, "{order}");
        let edited = put.expect("put").status().as_u16() == 200;
        let (final_price,): (i64,) = sqlx::query_as("select price_fen from group_buys where id = $1").bind(id).fetch_one(&app.db.pool).await.expect("price");
        assert_eq!(final_price, if edited { price - 30 } else { price });
        assert_eq!(order["total_fen"].as_i64(), Some(final_price * 2), "round {round}: edited={edited}, order {order}");
    }
}

#[tokio::test]
async fn progress_reaches_an_open_event_stream_when_someone_joins() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price, 5, None, 2)).await;
    let mut res = client().get(app.url(&format!("/api/v1/group-buys/{id}/events"))).send().await.expect("stream");
    assert_eq!(res.status().as_u16(), 200);
    let mut buf = String::new();
    let first = next_progress(&mut res, &mut buf).await.expect("current progress first");
    assert_eq!(first["households"], 0);
    let resident = logged_in(&app, RESIDENT).await;
    let (s, _) = join(&resident, &app, id, "live", &json!({"qty": 1, "payment": "on_pickup"})).await;
    assert_eq!(s, 201);
    let next = tokio::time::timeout(Duration::from_secs(1), next_progress(&mut res, &mut buf)).await.expect("within a second").expect("event");
    assert_eq!((next["households"].as_i64(), next["units_sold"].as_i64()), (Some(1), Some(1)));
}

async fn next_progress(res: &mut reqwest::Response, buf: &mut String) -> Option<Value> {
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if block.contains("event: progress") {
                let data = block.lines().find_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))?;
                return serde_json::from_str(data.trim()).ok();
            }
            continue;
        }
        let chunk = res.chunk().await.ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

/// The real `linli` binary on the test's database, with a fast deadline job that pauses after
/// each settled join (so it can be killed half-way) and one-second job leases.
fn start_linli(app: &TestApp) -> std::process::Child {
    start_instance(app, &[("LINLI_DEADLINE_TICK_MS", "50"), ("LINLI_SETTLE_PAUSE_MS", "40")]).0
}

/// A failed campaign past its deadline with 30 households' wallet joins waiting to be refunded,
/// on an app that runs no jobs of its own (child processes do the resolving). Returns its id.
async fn failed_campaign_of_30(app: &TestApp) -> i64 {
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let store = first_store(app).await;
    let (product, price) = group_buy_product(app).await;
    let id = create_group_buy(app, &campaign(store, product, price, 100, None, 1)).await;
    let people = households(app, 30, "138440", 10_000).await;
    for (i, (_, c)) in people.iter().enumerate() {
        let (s, b) = join(c, app, id, &format!("kill{i}"), &json!({"qty": 1, "payment": "wallet"})).await;
        assert_eq!(s, 201, "{b}");
    }
    pass_deadline(app, id).await;
    id
}

async fn cancelled(app: &TestApp, id: i64) -> i64 {
    count(app, &format!("select count(*) from orders where group_buy_id = {id} and status = 'cancelled'")).await
}

/// Waits (up to a minute) until the campaign's refunds are all made.
async fn wait_settled(app: &TestApp, id: i64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while count(app, &format!("select count(*) from group_buys where id = {id} and settled_at_ms is not null")).await == 0 {
        assert!(std::time::Instant::now() < deadline, "the job never finished");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every join refunded exactly once, every wallet whole again, the ledgers balanced.
async fn each_refund_paid_once(app: &TestApp, id: i64) {
    assert_eq!(cancelled(app, id).await, 30);
    assert_eq!(refunds(app, id).await, 30, "no join skipped, none refunded twice");
    for i in 0..30 {
        assert_eq!(wallet(app, &format!("138440{i:05}")).await, 10_000);
    }
    ledger_balances(app).await;
}

#[tokio::test]
async fn a_resolution_killed_half_way_finishes_after_a_restart_with_each_refund_paid_once() {
    let app = spawn_app_with(false).await;
    let id = failed_campaign_of_30(&app).await;

    // kill -9 while the job is half-way through the refunds.
    let mut child = start_linli(&app);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while cancelled(&app, id).await < 5 {
        assert!(std::time::Instant::now() < deadline, "the job never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    let at_kill = cancelled(&app, id).await;
    assert!(at_kill < 30, "killed half-way ({at_kill} of 30 done)");
    let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
    assert_eq!(g["status"], "failed", "decided before the kill");
    // Consistent at the kill: every cancelled join refunded once, every other still waiting.
    assert_eq!(refunds(&app, id).await, at_kill);
    assert_eq!(
        count(&app, &format!("select count(*) from orders where group_buy_id = {id} and status not in ('cancelled', 'awaiting_group')")).await,
        0
    );
    ledger_balances(&app).await;

    // Restart: the next start finishes the work (once the dead instance's lease runs out).
    let mut child = start_linli(&app);
    wait_settled(&app, id).await;
    child.kill().expect("stop");
    child.wait().expect("reap");
    each_refund_paid_once(&app, id).await;
}

/// The deadline job's lease: (holder, generation).
async fn deadline_lease(app: &TestApp) -> Option<(String, i64)> {
    sqlx::query_as("select holder, generation from job_leases where job = 'group_buy.deadlines'").fetch_optional(&app.db.pool).await.expect("lease")
}

#[tokio::test]
async fn with_two_instances_the_deadline_job_runs_in_one_and_moves_to_the_other_when_it_is_killed() {
    let app = spawn_app_with(false).await;
    let id = failed_campaign_of_30(&app).await;
    let first = start_linli(&app);
    let second = start_linli(&app);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while cancelled(&app, id).await < 5 {
        assert!(std::time::Instant::now() < deadline, "the job never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // One of them holds the lease, and has from the start (generation 1): the other has run no pass.
    let (holder, generation) = deadline_lease(&app).await.expect("a lease");
    assert_eq!(generation, 1, "{holder}");
    let (mut dead, mut alive) = if holder.contains(&format!(" pid {} ", first.id())) { (first, second) } else { (second, first) };
    assert!(holder.contains(&format!(" pid {} ", dead.id())), "{holder} is one of the two");

    // kill -9 the holder half-way through the refunds.
    dead.kill().expect("kill -9");
    let killed = std::time::Instant::now();
    dead.wait().expect("reap");
    let at_kill = cancelled(&app, id).await;
    assert!(at_kill < 30, "killed half-way ({at_kill} of 30 done)");
    assert_eq!(refunds(&app, id).await, at_kill, "consistent at the kill");

    // The other takes the lease over within seconds (a 1 s lease here) and finishes.
    loop {
        let (holder, generation) = deadline_lease(&app).await.expect("a lease");
        if generation == 2 {
            assert!(holder.contains(&format!(" pid {} ", alive.id())), "{holder} is the survivor");
            break;
        }
        assert!(killed.elapsed() < Duration::from_secs(5), "no takeover {:?} after the kill", killed.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took_over = killed.elapsed();
    wait_settled(&app, id).await;
    alive.kill().expect("stop");
    alive.wait().expect("reap");
    each_refund_paid_once(&app, id).await;
    assert_eq!(deadline_lease(&app).await.expect("a lease").1, 2, "changed hands once");
    eprintln!("lease taken over {took_over:?} after the kill");
}

/// Deactivates an account as the owner does from the team page.
async fn deactivate(app: &TestApp, user_id: i64) {
    let owner = logged_in(app, OWNER).await;
    let (status, body) = post(&owner, app, &format!("/api/v1/owner/team/{user_id}/deactivate"), &json!({})).await;
    assert_eq!(status, 204, "{body}");
}

/// Sets a campaign's deadline to `ago_ms` before now.
async fn deadline_ago(app: &TestApp, id: i64, ago_ms: i64) {
    sqlx::query("update group_buys set deadline_ms = $2 where id = $1").bind(id).bind(now_ms() - ago_ms).execute(&app.db.pool).await.expect("deadline");
}

async fn settled(app: &TestApp, id: i64) -> bool {
    count(app, &format!("select count(*) from group_buys where id = {id} and settled_at_ms is not null")).await == 1
}

#[tokio::test]
async fn a_refund_reaches_an_account_deactivated_since_it_joined_and_a_later_campaign_is_settled_on_time() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let first = create_group_buy(&app, &campaign(store, product, price, 5, None, 3)).await;
    let second = create_group_buy(&app, &campaign(store, product, price, 5, None, 3)).await;
    let people = households(&app, 2, "136230", 10_000).await;
    for (i, (_, c)) in people.iter().enumerate() {
        let (status, body) = join(c, &app, first, "k", &json!({"qty": 1, "payment": "wallet"})).await;
        assert_eq!(status, 201, "{i}: {body}");
    }
    let (status, body) = join(&people[1].1, &app, second, "k2", &json!({"qty": 2, "payment": "wallet"})).await;
    assert_eq!(status, 201, "{body}");
    // The first household's account is closed before the deadline.
    deactivate(&app, people[0].0).await;

    deadline_ago(&app, first, 60_000).await;
    deadline_ago(&app, second, 1_000).await;
    let r = linli_app::group_buy::service::resolve_due(&app.db).await.expect("resolve");
    assert!(r.failed.is_empty(), "{r:?}");
    resolve(&app).await;
    for id in [first, second] {
        let (_, g) = get(&app.api, &app, &format!("/api/v1/group-buys/{id}")).await;
        assert_eq!(g["status"], "failed", "{g}");
        assert!(order_statuses(&app, id).await.iter().all(|s| s == "cancelled"));
        assert!(settled(&app, id).await, "campaign {id} settled on time");
    }
    assert_eq!(refunds(&app, first).await, 2, "both joins refunded, once each");
    assert_eq!(refunds(&app, second).await, 1);
    assert_eq!(wallet(&app, "13623000000").await, 10_000, "the deactivated account got its money back");
    assert_eq!(wallet(&app, "13623000001").await, 10_000);
    ledger_balances(&app).await;
    // Money still only leaves an active account: a counter top-up to the closed one is refused.
    let clerk = logged_in(&app, "13900000021").await;
    let (status, _) = post(&clerk, &app, &format!("/api/v1/staff/users/{}/wallet/top-up", people[0].0), &json!({"amount_fen": 1000})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_join_that_cannot_be_settled_is_retried_with_backoff_and_holds_back_nothing_else() {
    let app = spawn_app_with(false).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let first = create_group_buy(&app, &campaign(store, product, price, 5, None, 3)).await;
    let second = create_group_buy(&app, &campaign(store, product, price, 5, None, 3)).await;
    let people = households(&app, 2, "136240", 10_000).await;
    let mut joins = Vec::new();
    for (_, c) in &people {
        let (status, body) = join(c, &app, first, "k", &json!({"qty": 1, "payment": "wallet"})).await;
        assert_eq!(status, 201, "{body}");
        joins.push(body["id"].as_i64().expect("order id"));
    }
    let (status, body) = join(&people[1].1, &app, second, "k2", &json!({"qty": 1, "payment": "wallet"})).await;
    assert_eq!(status, 201, "{body}");
    // Corrupt the first join's books: it claims units it never reserved, so cancelling it
    // fails inside its transaction (as a bad row in production would).
    let bogus = "insert into order_reservations (order_id, product_id, qty) values ($1, $2, 100000)";
    sqlx::query(bogus).bind(joins[0]).bind(product).execute(&app.db.pool).await.expect("sabotage");

    deadline_ago(&app, first, 60_000).await;
    deadline_ago(&app, second, 1_000).await;
    let r = linli_app::group_buy::service::resolve_due(&app.db).await.expect("a failing join does not fail the pass");
    assert_eq!(r.decided, 2);
    assert_eq!(r.failed.len(), 1, "{r:?}");
    assert_eq!((r.failed[0].job, r.failed[0].item_id, r.failed[0].attempts), ("group_buy.settle", joins[0], 1));
    assert_eq!(order_statuses(&app, first).await, vec!["awaiting_group", "cancelled"], "the other join went on");
    assert_eq!(refunds(&app, first).await, 1);
    assert!(!settled(&app, first).await, "not settled while a join waits");
    assert!(settled(&app, second).await, "the later campaign is settled on time");
    assert_eq!(refunds(&app, second).await, 1);

    // The next pass leaves it alone until its backoff is over.
    let r = linli_app::group_buy::service::resolve_due(&app.db).await.expect("resolve");
    assert!(r.failed.is_empty() && r.orders == 0, "{r:?}");
    let retry_in = count(&app, &format!("select next_at_ms - updated_at_ms from job_retries where item_id = {}", joins[0])).await;
    assert_eq!(retry_in, 30_000, "first retry after 30 s");
    let metrics = app.api.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
    assert!(metrics.contains("job_item_failures_total{job=\"group_buy.settle\"}"), "{metrics}");

    // Still broken when the backoff is over: a second failure waits twice as long.
    sqlx::query("update job_retries set next_at_ms = 0").execute(&app.db.pool).await.expect("time passes");
    let r = linli_app::group_buy::service::resolve_due(&app.db).await.expect("resolve");
    assert_eq!(r.failed.iter().map(|f| f.attempts).collect::<Vec<_>>(), vec![2]);
    let retry_in = count(&app, &format!("select next_at_ms - updated_at_ms from job_retries where item_id = {}", joins[0])).await;
    assert_eq!(retry_in, 60_000);

    // Mended, and its time come: it is refunded once and the campaign settles.
    sqlx::query("delete from order_reservations where order_id = $1").bind(joins[0]).execute(&app.db.pool).await.expect("mend");
    sqlx::query("update job_retries set next_at_ms = 0").execute(&app.db.pool).await.expect("time passes");
    let r = linli_app::group_buy::service::resolve_due(&app.db).await.expect("resolve");
    assert_eq!((r.orders, r.failed.len()), (1, 0), "{r:?}");
    assert!(settled(&app, first).await);
    assert_eq!(refunds(&app, first).await, 2, "each join refunded exactly once");
    assert_eq!(count(&app, "select count(*) from job_retries").await, 0, "the record is cleared");
    for i in 0..2 {
        assert_eq!(wallet(&app, &format!("136240{i:05}")).await, 10_000);
    }
    ledger_balances(&app).await;

    // A manager's cancel with a join that cannot be refunded now answers as cancelled (the
    // join is left to the job), never 500.
    let third = create_group_buy(&app, &campaign(store, product, price, 5, None, 3)).await;
    let (status, body) = join(&people[0].1, &app, third, "k3", &json!({"qty": 1, "payment": "wallet"})).await;
    assert_eq!(status, 201, "{body}");
    let stuck = body["id"].as_i64().expect("order id");
    sqlx::query(bogus).bind(stuck).bind(product).execute(&app.db.pool).await.expect("sabotage");
    let manager = logged_in(&app, MANAGER_A).await;
    let (status, g) = post(&manager, &app, &format!("/api/v1/group-buys/{third}/cancel"), &json!({"reason": "供应商断货"})).await;
    assert_eq!((status, g["status"].as_str()), (200, Some("cancelled")), "{g}");
    assert_eq!(count(&app, &format!("select count(*) from job_retries where item_id = {stuck}")).await, 1, "waiting for its retry");
}

/// A succeeded campaign's goods are booked in once per store, held by its orders (so the till
/// cannot sell them), and handed over with a ledger row; before that nothing can be handed over.
#[tokio::test]
async fn succeeded_goods_are_booked_in_once_held_by_their_orders_and_handed_over_with_a_ledger_row() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price - 100, 2, None, 2)).await;
    let people = households(&app, 2, "136120", 10_000).await;
    let mut orders = Vec::new();
    for (i, (_, c)) in people.iter().enumerate() {
        let (status, order) = join(c, &app, id, &format!("gs{i}"), &json!({"qty": i + 1, "payment": "on_pickup"})).await;
        assert_eq!(status, 201, "{order}");
        orders.push((order["id"].as_i64().expect("id"), order["pickup_code"].as_str().unwrap_or_default().to_string()));
    }
    let manager = logged_in(&app, MANAGER_A).await;
    let receive = |c: reqwest::Client| {
        let url = app.url(&format!("/api/v1/group-buys/{id}/receive"));
        async move {
            let r = c.post(url).json(&json!({ "store_id": store })).send().await.expect("receive");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Not yet succeeded: nothing to book in.
    let (status, err) = receive(manager.clone()).await;
    assert_eq!((status, error_code(&err)), (409, "group_not_succeeded"), "{err}");
    pass_deadline(&app, id).await;
    resolve(&app).await;

    let staff = logged_in(&app, "13900000021").await;
    let (order, _) = orders[1].clone();
    let (_, mine) = get(&people[1].1, &app, &format!("/api/v1/orders/{order}")).await;
    let code = mine["pickup_code"].as_str().expect("pickup code once placed").to_string();
    for step in ["accepted", "picking"] {
        assert_eq!(post(&staff, &app, &format!("/api/v1/staff/orders/{order}/transition"), &json!({ "to": step })).await.0, 200);
    }
    let (status, err) = post(&staff, &app, &format!("/api/v1/staff/orders/{order}/transition"), &json!({ "to": "ready" })).await;
    assert_eq!((status, error_code(&err)), (409, "group_not_received"), "before the goods are in, nothing is handed over");

    let (on_hand, held) = stock(&app, store, product).await;
    // Someone of another store, or a resident, cannot book them in here.
    assert!(matches!(receive(logged_in(&app, MANAGER_B).await).await.0, 403 | 404));
    assert_eq!(receive(people[0].1.clone()).await.0, 404);
    let (status, levels) = receive(manager.clone()).await;
    assert_eq!(status, 200, "{levels}");
    assert_eq!(levels[0]["product_id"].as_i64(), Some(product));
    assert_eq!(stock(&app, store, product).await, (on_hand + 3, held + 3), "on hand and held rise together");
    let (status, err) = receive(manager.clone()).await;
    assert_eq!((status, error_code(&err)), (409, "already_received"), "{err}");
    assert_eq!(stock(&app, store, product).await, (on_hand + 3, held + 3), "booked in once");
    let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as("select delta, reason, group_buy_id from stock_movements where group_buy_id = $1")
        .bind(id)
        .fetch_all(&app.db.pool)
        .await
        .expect("rows");
    assert_eq!(rows, vec![(3, "receive".to_string(), Some(id))]);
    crate::helpers::assert_ledger_balances(&app, store, product).await;

    // The till cannot sell the held goods: only what was free before.
    let free = on_hand - held;
    let body = json!({ "items": [{ "product_id": product, "qty": free + 1 }], "payment": "cash" });
    let (status, err) = crate::helpers::sell(&staff, &app, store, "gs-till", &body).await;
    assert_eq!((status, error_code(&err)), (409, "insufficient_stock"), "{err}");

    // Handed over: out of the shelf with the order's ledger row.
    assert_eq!(post(&staff, &app, &format!("/api/v1/staff/orders/{order}/transition"), &json!({ "to": "ready" })).await.0, 200);
    let (status, done) = post(&staff, &app, &format!("/api/v1/staff/orders/{order}/hand-over"), &json!({ "code": code })).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(stock(&app, store, product).await, (on_hand + 1, held + 1));
    let out: Vec<(i64, String)> = sqlx::query_as("select delta, reason from stock_movements where order_id = $1").bind(order).fetch_all(&app.db.pool).await.expect("out");
    assert_eq!(out, vec![(-2, "online_sale".to_string())]);
    crate::helpers::assert_ledger_balances(&app, store, product).await;
}
