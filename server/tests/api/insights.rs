//! 经营分析: the dashboard's figures on a small history written by hand, against the values
//! worked out by hand below; the same figures from the daily rollups as from the ledgers; a
//! manager sees their own store only; a CSV is its table.
use crate::helpers::*;
use linli_app::shared::time::parse_iso_date;
use serde_json::Value;

const DAY_MS: i64 = 86_400_000;
const OFFSET_MS: i64 = 8 * 3_600_000;

/// Store-local `hour`:00 of an ISO day, as unix ms.
fn at(day: &str, hour: i64) -> i64 {
    parse_iso_date(day).expect("day") * DAY_MS - OFFSET_MS + hour * 3_600_000
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql).fetch_one(&app.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    id
}

struct Order<'a> {
    id: i64,
    user: i64,
    status: &'a str,
    fulfillment: &'a str,
    total: i64,
    at: i64,
    group_buy: Option<i64>,
    live: Option<i64>,
    /// (product, qty, price, regular price when sold at a markdown)
    items: &'a [(i64, i64, i64, Option<i64>)],
}

async fn order(app: &TestApp, store: i64, o: Order<'_>) {
    let opt = |v: Option<i64>| v.map_or("null".to_string(), |v| v.to_string());
    exec(
        app,
        &format!(
            "insert into orders (id, store_id, user_id, status, fulfillment, payment, goods_fen, total_fen, pickup_code, created_at_ms, updated_at_ms, group_buy_id, live_session_id)
             values ({}, {store}, {}, '{}', '{}', 'on_pickup', {}, {}, '0000', {}, {}, {}, {})",
            o.id, o.user, o.status, o.fulfillment, o.total, o.total, o.at, o.at, opt(o.group_buy), opt(o.live)
        ),
    )
    .await;
    for (product, qty, price, regular) in o.items {
        exec(
            app,
            &format!(
                "insert into order_items (order_id, product_id, name, unit, price_fen, qty, regular_price_fen) values ({}, {product}, 'x', '份', {price}, {qty}, {})",
                o.id,
                opt(*regular)
            ),
        )
        .await;
    }
}

/// A manager of `store`, logged in.
async fn manager_of(app: &TestApp, store: i64) -> reqwest::Client {
    let (phone,): (String,) = sqlx::query_as("select u.phone from users u join user_roles r on r.user_id = u.id where r.role = 'manager' and r.store_id = $1 order by u.id limit 1")
        .bind(store)
        .fetch_one(&app.db.pool)
        .await
        .expect("a manager");
    logged_in(app, &phone).await
}

fn kpi<'a>(d: &'a Value, key: &str) -> &'a str {
    d["kpis"].as_array().and_then(|k| k.iter().find(|k| k["key"] == key)).and_then(|k| k["now"].as_str()).unwrap_or_else(|| panic!("no {key} in {d}"))
}

fn table<'a>(d: &'a Value, key: &str) -> &'a Value {
    d["tables"].as_array().and_then(|t| t.iter().find(|t| t["key"] == key)).unwrap_or_else(|| panic!("no table {key}"))
}

/// The history of 2026-03-03 (Tuesday) and 2026-03-04 (Wednesday) at store `a`; returns
/// (p1, p2, p2's shelf price).
async fn history(app: &TestApp, a: i64) -> (i64, i64, i64) {
    let r1 = id_of(app, "select id from users where phone = '13800000001'").await;
    let r2 = id_of(app, "select id from users where phone = '13800000002'").await;
    let owner = id_of(app, "select id from users where phone = '13900000000'").await;
    let p1 = id_of(app, "select min(id) from products where active = true and store_pricing = false").await;
    let p2 = id_of(app, &format!("select min(id) from products where active = true and store_pricing = false and id > {p1}")).await;
    let price2 = id_of(app, &format!("select price_fen from products where id = {p2}")).await;
    let chain = id_of(app, &format!("select chain_id from stores where id = {a}")).await;
    let (d, prev) = ("2026-03-04", "2026-03-03");

    // A group buy decided on the day (成团), r2 its household here; a live session that evening.
    exec(
        app,
        &format!(
            "insert into group_buys (id, chain_id, product_id, title, price_fen, normal_price_fen, min_households, per_household_limit, deadline_ms, pickup_date, status, households, units_sold, created_by, created_at_ms, updated_at_ms, decided_at_ms)
             values (9001, {chain}, {p2}, '赣南脐橙', 1800, 2400, 1, 5, {t}, '{d}', 'succeeded', 1, 1, {owner}, {t0}, {t}, {t})",
            t = at(d, 12),
            t0 = at(prev, 9)
        ),
    )
    .await;
    exec(app, &format!("insert into group_buy_stores (group_buy_id, store_id) values (9001, {a})")).await;
    exec(app, &format!("insert into group_buy_households (group_buy_id, user_id, units, updated_at_ms) values (9001, {r2}, 1, {})", at(prev, 9))).await;
    exec(
        app,
        &format!(
            "insert into live_sessions (id, store_id, title, starts_at_ms, status, viewers_peak, started_at_ms, ended_at_ms, created_by, created_at_ms)
             values (9001, {a}, '晚间直播', {t}, 'ended', 10, {t}, {t1}, {owner}, {t0})",
            t = at(d, 20),
            t1 = at(d, 21),
            t0 = at(prev, 9)
        ),
    )
    .await;

    // The day before: r1 buys once (so on the day r1 is a returning buyer, r2 a new one).
    order(app, a, Order { id: 9100, user: r1, status: "completed", fulfillment: "pickup", total: 2000, at: at(prev, 10), group_buy: None, live: None, items: &[(p1, 2, 1000, None)] }).await;
    // The day: storefront pickup (one line at a 晚市特惠 markdown) and delivery, a no-show, a
    // cancelled order, a group-buy order and a live order.
    order(app, a, Order { id: 9101, user: r1, status: "completed", fulfillment: "pickup", total: 3000, at: at(d, 9), group_buy: None, live: None, items: &[(p1, 2, 1000, None), (p2, 1, 1000, Some(1200))] }).await;
    order(app, a, Order { id: 9102, user: r2, status: "completed", fulfillment: "delivery", total: 2500, at: at(d, 10), group_buy: None, live: None, items: &[(p1, 2, 1000, None)] }).await;
    order(app, a, Order { id: 9103, user: r1, status: "no_show", fulfillment: "pickup", total: 1200, at: at(d, 11), group_buy: None, live: None, items: &[(p1, 1, 1200, None)] }).await;
    order(app, a, Order { id: 9104, user: r2, status: "cancelled", fulfillment: "pickup", total: 999, at: at(d, 12), group_buy: None, live: None, items: &[(p2, 1, 999, None)] }).await;
    order(app, a, Order { id: 9105, user: r2, status: "completed", fulfillment: "pickup", total: 1800, at: at(d, 13), group_buy: Some(9001), live: None, items: &[(p2, 1, 1800, None)] }).await;
    order(app, a, Order { id: 9106, user: r1, status: "completed", fulfillment: "pickup", total: 800, at: at(d, 20), group_buy: None, live: Some(9001), items: &[(p1, 1, 800, None)] }).await;

    // The till: one sale of ¥15, ¥5 of it refunded the same day.
    exec(app, &format!("insert into counter_sales (id, store_id, by_user_id, payment, total_fen, created_at_ms) values (9001, {a}, {owner}, 'cash', 1500, {})", at(d, 15))).await;
    exec(app, &format!("insert into counter_sale_lines (sale_id, product_id, name, unit, qty, price_fen) values (9001, {p1}, 'x', '份', 1, 1500)")).await;
    exec(app, &format!("insert into counter_refunds (id, sale_id, store_id, by_user_id, amount_fen, created_at_ms) values (9001, 9001, {a}, {owner}, 500, {})", at(d, 16))).await;

    // The ledger: p1 delivered at ¥6 a unit; three p2 cleared out (日清) at closing.
    for (id, product, delta, reason, cost, hour) in [(9001, p1, 20, "receive", "600", 8), (9002, p2, -3, "clear_out", "null", 21)] {
        exec(
            app,
            &format!(
                "insert into stock_movements (id, store_id, product_id, delta, on_hand_after, reason, by_user_id, created_at_ms, unit_cost_fen)
                 values ({id}, {a}, {product}, {delta}, 50, '{reason}', {owner}, {}, {cost})",
                at(d, hour)
            ),
        )
        .await;
    }
    exec(app, &format!("insert into product_costs (store_id, product_id, unit_cost_fen, movement_id) values ({a}, {p1}, 600, 9001)")).await;
    (p1, p2, price2)
}

#[tokio::test]
async fn the_dashboard_counts_a_hand_made_history_as_worked_out_by_hand_from_the_ledgers_and_from_the_rollups() {
    let app = spawn_app_with(false).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let a = first_store(&app).await;
    let (_p1, _p2, price2) = history(&app, a).await;
    let owner = logged_in(&app, "13900000000").await;
    let path = format!("/api/v1/insights?store_id={a}&span=day&date=2026-03-04");
    let (status, live) = get(&owner, &app, &path).await;
    assert_eq!(status, 200, "{live}");
    assert_eq!((live["from"].as_str(), live["prev_from"].as_str()), (Some("2026-03-04"), Some("2026-03-03")));

    // Sales: storefront 30 + 25, group buy 18, live 8, till 15 − 5 = ¥91; online ¥81.
    assert_eq!(kpi(&live, "gmv"), "91.00");
    assert_eq!(kpi(&live, "online_share"), "89.0%");
    // Four online orders that count (not the no-show, not the cancelled) and one at the till.
    assert_eq!(kpi(&live, "orders"), "5");
    assert_eq!(kpi(&live, "average_basket"), "18.20");
    assert_eq!((kpi(&live, "pickup_orders"), kpi(&live, "delivery_orders")), ("3", "1"));
    // Three pickups collected, one missed.
    assert_eq!((kpi(&live, "pickup_rate"), kpi(&live, "no_show_rate")), ("75.0%", "25.0%"));
    // Two residents bought; r1 had also bought the day before.
    assert_eq!(kpi(&live, "repeat_rate"), "50.0%");
    assert_eq!((kpi(&live, "group_buys"), kpi(&live, "group_success_rate"), kpi(&live, "households_per_group")), ("1", "100.0%", "1.0"));
    assert_eq!((kpi(&live, "live_sessions"), kpi(&live, "live_viewers"), kpi(&live, "live_orders")), ("1", "10", "1"));
    assert_eq!((kpi(&live, "live_gmv"), kpi(&live, "live_conversion")), ("8.00", "10.0%"));
    let cleared = 3 * price2;
    assert_eq!(kpi(&live, "clear_out"), format!("{}.{:02}", cleared / 100, cleared % 100));
    assert_eq!(kpi(&live, "markdown_sales"), "10.00");
    let recovery = (1000.0 * 1000.0 / (1000.0 + cleared as f64)).round() / 10.0;
    assert_eq!(kpi(&live, "markdown_recovery"), format!("{recovery:.1}%"));
    // Against the day before: ¥20 → ¥91.
    let gmv = live["kpis"].as_array().and_then(|k| k.iter().find(|k| k["key"] == "gmv")).cloned().unwrap_or_default();
    assert_eq!((gmv["before"].as_str(), gmv["change"].as_str()), (Some("20.00"), Some("↑ 355.0%")));

    // p1 sold 2 + 2 + 1 online and 1 at the till: ¥63, and at ¥6 a unit a margin of ¥27.
    let top = table(&live, "top_revenue");
    let first = &top["rows"][0];
    assert_eq!((first[1].as_str(), first[2].as_str(), first[3].as_str()), (Some("6"), Some("63.00"), Some("27.00")), "{top}");
    assert_eq!(table(&live, "top_margin")["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(table(&live, "live")["rows"][0][6].as_str(), Some("10.0%"));

    // The same figures once the job has written both days as rollups.
    let d = parse_iso_date("2026-03-04").expect("day");
    linli_app::analytics::service::settle(&app.db, a, d - 1, d).await.expect("settle");
    assert_eq!(count(&app, &format!("select count(*) from insight_settled where store_id = {a}")).await, 2);
    let (_, rolled) = get(&owner, &app, &path).await;
    assert_eq!(rolled["kpis"], live["kpis"]);
    assert_eq!(table(&rolled, "top_revenue"), table(&live, "top_revenue"));
    assert_eq!(table(&rolled, "daily"), table(&live, "daily"));

    // An order of a settled day changes (the no-show collected after all): the job counts the
    // day again, whenever it was; two instances' passes at once both succeed.
    exec(&app, &format!("update orders set status = 'completed', updated_at_ms = {} where id = 9103", linli_app::shared::time::now_ms())).await;
    let (one, two) = tokio::join!(linli_app::analytics::service::settle_due(&app.db, 5), linli_app::analytics::service::settle_due(&app.db, 5));
    one.expect("a pass");
    two.expect("another pass at once");
    let (_, recounted) = get(&owner, &app, &path).await;
    assert_eq!((kpi(&recounted, "pickup_rate"), kpi(&recounted, "gmv")), ("100.0%", "103.00"));

    // The week (Monday 2 March to Sunday 8 March) holds both days.
    let (_, week) = get(&owner, &app, &format!("/api/v1/insights?store_id={a}&span=week&date=2026-03-04")).await;
    assert_eq!((week["from"].as_str(), week["to"].as_str()), (Some("2026-03-02"), Some("2026-03-08")));
    assert_eq!(kpi(&week, "gmv"), "123.00");

    // The demo's three stores and the chain stay a row of chips.
    let html = owner.get(app.url("/admin/insights")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains(r#"class="chips no-print""#) && html.contains("绿源生活·庆春路店</a>"), "the chips are there");
    assert!(!html.contains("store-fold"), "and not folded away");
}

#[tokio::test]
async fn a_manager_sees_only_their_store_and_a_csv_is_its_table() {
    let app = spawn_app_with(false).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let (a, b) = (first_store(&app).await, second_store(&app).await);
    history(&app, a).await;
    let manager = manager_of(&app, a).await;

    // Their store by default, another store refused, the chain never.
    let (status, mine) = get(&manager, &app, "/api/v1/insights?span=day&date=2026-03-04").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["store_id"].as_i64(), Some(a));
    assert_eq!(mine["chain"], false);
    assert!(mine["stores"].as_array().is_some_and(|s| s.iter().all(|s| s["id"] == a)), "{mine}");
    assert_eq!(kpi(&mine, "gmv"), "91.00");
    let (status, body) = get(&manager, &app, &format!("/api/v1/insights?store_id={b}")).await;
    assert_eq!((status, error_code(&body)), (403, "forbidden"));
    let (status, _) = get(&manager, &app, &format!("/api/v1/insights.csv?table=kpis&store_id={b}")).await;
    assert_eq!(status, 403);
    // Staff and residents are refused; a bad period is named.
    for phone in ["13900000021", "13800000001"] {
        let c = logged_in(&app, phone).await;
        assert_eq!(get(&c, &app, "/api/v1/insights").await.0, 403, "{phone}");
    }
    let (status, body) = get(&manager, &app, "/api/v1/insights?span=year").await;
    assert_eq!((status, error_code(&body)), (422, "invalid_period"));
    let (status, body) = get(&manager, &app, "/api/v1/insights?date=2026-02-30").await;
    assert_eq!((status, error_code(&body)), (422, "invalid_date"));

    // The owner's chain view adds the other stores' (here: nothing) to the same figures.
    let owner = logged_in(&app, "13900000000").await;
    let (_, chain) = get(&owner, &app, "/api/v1/insights?span=day&date=2026-03-04").await;
    assert_eq!((chain["store_id"].clone(), chain["chain"].clone()), (Value::Null, Value::Bool(true)));
    assert_eq!(kpi(&chain, "gmv"), "91.00");

    // Every table's CSV has the table's header and cells, row for row.
    for key in ["kpis", "channels", "daily", "live", "group_buys", "top_revenue", "top_margin", "slow_movers", "pairs"] {
        let r = manager.get(app.url(&format!("/api/v1/insights.csv?table={key}&span=day&date=2026-03-04"))).send().await.expect("csv");
        assert_eq!(r.status().as_u16(), 200, "{key}");
        assert!(r.headers()["content-type"].to_str().unwrap_or("").starts_with("text/csv"));
        let text = r.text().await.expect("text");
        let t = table(&mine, key);
        let mut lines = text.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty());
        let header: Vec<&str> = t["columns"].as_array().expect("columns").iter().filter_map(Value::as_str).collect();
        assert_eq!(lines.next(), Some(header.join(",").as_str()), "{key}");
        let rows: Vec<String> = lines.map(str::to_string).collect();
        let expected: Vec<String> = t["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r.as_array().expect("row").iter().filter_map(Value::as_str).map(|c| if c.contains(',') { format!("\"{c}\"") } else { c.to_string() }).collect::<Vec<_>>().join(","))
            .collect();
        assert_eq!(rows, expected, "{key}");
    }
    let (status, _) = get(&manager, &app, "/api/v1/insights.csv?table=nonsense").await;
    assert_eq!(status, 404);
}

/// Units a day with a weekend peak: what the forecast must find again.
const PATTERN: [f64; 7] = [0.8, 0.85, 0.9, 0.95, 1.15, 1.6, 1.5];

#[tokio::test]
async fn the_order_list_forecasts_a_weekly_pattern_adds_commitments_and_keeps_the_managers_numbers() {
    use linli_app::shared::time::{iso_date, local_time, now_ms, weekday};
    let app = spawn_app_with(false).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let (a, b) = (first_store(&app).await, second_store(&app).await);
    let owner_id = id_of(&app, "select id from users where phone = '13900000000'").await;
    let p = id_of(&app, "select min(id) from products where active = true and producer <> '' and shelf_life_days >= 7").await;
    let today = local_time(now_ms()).day;
    // Twelve weeks at the till ending yesterday: 20 a day shaped by the weekday.
    for (i, day) in (today - 84..today).enumerate() {
        let qty = (20.0 * PATTERN[weekday(day) as usize]).round() as i64;
        let t = day * DAY_MS - OFFSET_MS + 12 * 3_600_000;
        let sale = 50_000 + i as i64;
        exec(&app, &format!("insert into counter_sales (id, store_id, by_user_id, payment, total_fen, created_at_ms) values ({sale}, {a}, {owner_id}, 'cash', {}, {t})", qty * 100)).await;
        exec(&app, &format!("insert into counter_sale_lines (sale_id, product_id, name, unit, qty, price_fen) values ({sale}, {p}, 'x', '份', {qty}, 100)")).await;
    }
    set_stock(&app, a, p, 10).await;
    // Committed: a succeeded group buy collected here tomorrow (not arrived yet), and a live
    // session tomorrow evening with units set aside.
    let chain = id_of(&app, &format!("select chain_id from stores where id = {a}")).await;
    let tomorrow = iso_date(today + 1);
    let evening = (today + 1) * DAY_MS - OFFSET_MS + 20 * 3_600_000;
    exec(&app, &format!(
        "insert into group_buys (id, chain_id, product_id, title, price_fen, normal_price_fen, min_households, per_household_limit, deadline_ms, pickup_date, status, households, units_sold, created_by, created_at_ms, updated_at_ms, decided_at_ms)
         values (9101, {chain}, {p}, '团', 100, 200, 1, 5, {n}, '{tomorrow}', 'succeeded', 6, 12, {owner_id}, {n}, {n}, {n})", n = now_ms())).await;
    exec(&app, &format!("insert into group_buy_stores (group_buy_id, store_id) values (9101, {a})")).await;
    exec(&app, &format!("insert into group_buy_purchases (group_buy_id, store_id, product_id, name, unit, units, households) values (9101, {a}, {p}, 'x', '份', 12, 6)")).await;
    exec(&app, &format!(
        "insert into live_sessions (id, store_id, title, starts_at_ms, status, created_by, created_at_ms) values (9101, {a}, '明晚直播', {evening}, 'scheduled', {owner_id}, {n})", n = now_ms())).await;
    exec(&app, &format!("insert into live_items (session_id, product_id, position, live_price_fen, allotted, per_user_limit) values (9101, {p}, 1, 90, 5, 2)")).await;

    let manager = manager_of(&app, a).await;
    let (status, list) = get(&manager, &app, "/api/v1/order-list").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!((list["store_id"].as_i64(), list["for_day"].as_str()), (Some(a), Some(tomorrow.as_str())));
    let line = list["lines"].as_array().and_then(|l| l.iter().find(|l| l["product_id"] == p)).cloned().unwrap_or_else(|| panic!("no line for {p}: {list}"));
    // Each of the next seven days within 15% of the pattern, the error on the last four weeks ≤ 10%.
    let days = line["next_7_days"].as_array().expect("seven days");
    assert_eq!(days.len(), 7);
    for (h, f) in days.iter().enumerate() {
        let truth = 20.0 * PATTERN[weekday(today + 1 + h as i64) as usize];
        let f = f.as_f64().expect("a number");
        assert!((f - truth).abs() <= truth * 0.15, "day {h}: forecast {f}, pattern {truth} ({line})");
    }
    assert!(line["mape"].as_f64().is_some_and(|m| m <= 10.0), "{line}");
    assert!(list["mape"].as_f64().is_some_and(|m| m <= 10.0), "{list}");
    // 12 for the group buy; the live session's 5 are shown (set aside when it was scheduled,
    // so not bought again); the 10 on the shelf less today's sales.
    assert_eq!((line["committed"].as_i64(), line["live_set_aside"].as_i64()), (Some(12), Some(5)));
    let cover = line["cover_days"].as_i64().expect("cover") as usize;
    let demand: f64 = days[..cover].iter().filter_map(Value::as_f64).sum();
    let (on_shelf, suggested) = (line["on_shelf"].as_i64().expect("shelf"), line["suggested"].as_i64().expect("suggested"));
    assert!(on_shelf < 10, "today's forecast comes off the shelf first: {line}");
    assert!((suggested - (demand.round() as i64 + 12 - on_shelf)).abs() <= 1, "{line}");
    assert_eq!((line["qty"].as_i64(), line["edited"].as_bool()), (Some(suggested), Some(false)));

    // The manager buys 99 instead; the list and its CSV say so, under the supplier.
    let (status, saved) = put(&manager, &app, "/api/v1/order-list", &serde_json::json!({ "store_id": a, "day": tomorrow, "lines": [{ "product_id": p, "qty": 99 }] })).await;
    assert_eq!(status, 200, "{saved}");
    let line = saved["lines"].as_array().and_then(|l| l.iter().find(|l| l["product_id"] == p)).cloned().unwrap_or_default();
    assert_eq!((line["qty"].as_i64(), line["edited"].as_bool()), (Some(99), Some(true)));
    let csv = manager.get(app.url("/api/v1/order-list.csv")).send().await.expect("csv").text().await.expect("text");
    let producer = line["producer"].as_str().expect("producer");
    let name = line["name"].as_str().expect("name");
    assert!(csv.starts_with("\u{feff}生产者,商品,规格,采购数量,建议"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with(&format!("{producer},{name},")) && l.split(',').nth(3) == Some("99")), "{csv}");
    // The page's form (no JavaScript): typed boxes, one empty (the suggestion).
    let r = manager
        .post(app.url("/api/save_order_list"))
        .form(&[("store_id".to_string(), a.to_string()), ("day".to_string(), tomorrow.clone()), (format!("qty[{p}]"), "7".to_string())])
        .send()
        .await
        .expect("form");
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    let (_, list) = get(&manager, &app, "/api/v1/order-list").await;
    let line = list["lines"].as_array().and_then(|l| l.iter().find(|l| l["product_id"] == p)).cloned().unwrap_or_default();
    assert_eq!(line["qty"].as_i64(), Some(7), "{line}");

    // Wrong numbers change nothing and say why; another store's list is not theirs.
    let (status, body) = put(&manager, &app, "/api/v1/order-list", &serde_json::json!({ "store_id": a, "day": tomorrow, "lines": [{ "product_id": p, "qty": -1 }] })).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_plan_quantity"));
    let (status, _) = put(&manager, &app, "/api/v1/order-list", &serde_json::json!({ "store_id": a, "day": tomorrow, "lines": [{ "product_id": 999_999, "qty": 1 }] })).await;
    assert_eq!(status, 404);
    let (status, body) = get(&manager, &app, "/api/v1/order-list?day=2020-01-01").await;
    assert_eq!((status, error_code(&body)), (422, "invalid_date"));
    let (status, _) = get(&manager, &app, &format!("/api/v1/order-list?store_id={b}")).await;
    assert_eq!(status, 403);
    let (_, list) = get(&manager, &app, "/api/v1/order-list").await;
    assert_eq!(list["lines"].as_array().and_then(|l| l.iter().find(|l| l["product_id"] == p)).map(|l| l["qty"].clone()), Some(Value::from(7)));
    // A delivery today meets the shelf as it is; a week ahead is the furthest.
    let (status, list) = get(&manager, &app, &format!("/api/v1/order-list?day={}", iso_date(today))).await;
    assert_eq!(status, 200, "{list}");
    let line = list["lines"].as_array().and_then(|l| l.iter().find(|l| l["product_id"] == p)).cloned().unwrap_or_default();
    assert_eq!(line["on_shelf"], 10, "{line}");
    assert_eq!(get(&manager, &app, &format!("/api/v1/order-list?day={}", iso_date(today + 7))).await.0, 200);
    assert_eq!(get(&manager, &app, &format!("/api/v1/order-list?day={}", iso_date(today + 8))).await.0, 422);
    // Back to the suggestions.
    let (status, list) = put(&manager, &app, "/api/v1/order-list", &serde_json::json!({ "store_id": a, "day": tomorrow, "lines": [] })).await;
    assert_eq!(status, 200);
    assert!(list["lines"].as_array().is_some_and(|l| l.iter().all(|l| l["edited"] == false)), "{list}");
}

#[tokio::test]
async fn a_delivery_books_its_purchase_cost_and_a_wrong_cost_changes_nothing() {
    let app = spawn_app_with(false).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let a = first_store(&app).await;
    let (product, _) = stocked_product(&app, a).await;
    let owner = logged_in(&app, "13900000000").await;
    let path = format!("/api/v1/staff/stores/{a}/stock");
    let (status, booked) = post(&owner, &app, &path, &serde_json::json!({ "product_id": product, "delta": 5, "reason": "receive", "unit_cost_fen": 350 })).await;
    assert_eq!(status, 200, "{booked}");
    let id = booked["movement_id"].as_i64().expect("a ledger row");
    assert_eq!(id_of(&app, &format!("select unit_cost_fen from stock_movements where id = {id}")).await, 350);
    assert_eq!(id_of(&app, &format!("select unit_cost_fen from product_costs where store_id = {a} and product_id = {product}")).await, 350);
    // A write-off has no purchase cost, whatever is sent.
    let (status, lost) = post(&owner, &app, &path, &serde_json::json!({ "product_id": product, "delta": -1, "reason": "loss", "unit_cost_fen": 999 })).await;
    assert_eq!(status, 200, "{lost}");
    let lost_id = lost["movement_id"].as_i64().expect("a ledger row");
    assert_eq!(count(&app, &format!("select count(*) from stock_movements where id = {lost_id} and unit_cost_fen is null")).await, 1);
    // A negative cost is refused and nothing is booked.
    let before = stock(&app, a, product).await;
    let (status, body) = post(&owner, &app, &path, &serde_json::json!({ "product_id": product, "delta": 5, "reason": "receive", "unit_cost_fen": -1 })).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_unit_cost"));
    assert_eq!(stock(&app, a, product).await, before);
}

/// `seed-history --stores 7`: four stores more, each with its manager and a year's worth of
/// days behind it (30 here), and books that balance as the app's own writes keep them.
#[tokio::test]
async fn seed_history_grows_the_chain_and_leaves_every_shelf_and_wallet_at_its_ledger() {
    let app = spawn_app_with(false).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let seeded = linli_server::history::seed(&app.db, 30, 900, Some(7)).await.expect("history");
    assert_eq!(seeded.stores, 7);
    assert!(seeded.orders > 800, "{seeded:?}");
    assert_eq!(count(&app, "select count(*) from stores where active = true").await, 7);
    assert_eq!(count(&app, "select count(distinct name) from stores").await, 7, "every store its own name");
    // Every new store has a manager and a clerk, its opening stock and a 小区 of its own.
    let newest = id_of(&app, "select max(id) from stores").await;
    assert_eq!(count(&app, &format!("select count(*) from user_roles where store_id = {newest} and role in ('manager', 'staff')")).await, 2);
    assert!(count(&app, &format!("select count(*) from stock where store_id = {newest} and on_hand > 0")).await > 30);
    assert_eq!(count(&app, "select count(*) from communities").await, 14 + 4);
    assert_eq!(count(&app, "select count(*) from stores s where not exists (select 1 from orders o where o.store_id = s.id)").await, 0, "a store without orders");

    // The shelf is where its ledger sums, and the last row of each ledger says so too.
    let off = count(&app, "select count(*) from stock s where s.on_hand <> (select coalesce(sum(m.delta), 0) from stock_movements m where m.store_id = s.store_id and m.product_id = s.product_id)").await;
    assert_eq!(off, 0, "shelves away from their ledgers");
    let last_off = count(
        &app,
        "select count(*) from stock s join stock_movements m on m.id = (select max(x.id) from stock_movements x where x.store_id = s.store_id and x.product_id = s.product_id)
         where m.on_hand_after <> s.on_hand",
    )
    .await;
    assert_eq!(last_off, 0, "ledgers whose running balance ends elsewhere");
    assert_eq!(count(&app, "select count(*) from stock_movements where on_hand_after < 0").await, 0);
    // Sales and waste are in the ledger, dated inside the history.
    assert!(count(&app, "select count(*) from stock_movements where reason = 'online_sale'").await > 0);
    assert!(count(&app, "select count(*) from stock_movements where reason = 'counter_sale'").await > 0);
    assert!(count(&app, "select count(*) from stock_movements where reason = 'clear_out'").await > 0);
    assert_eq!(count(&app, &format!("select count(*) from stock_movements where created_at_ms > {}", linli_app::shared::time::now_ms())).await, 0);

    // Every wallet is its ledger, and some residents have money in theirs.
    let wallets_off = count(&app, "select count(*) from users u where u.wallet_fen <> coalesce((select sum(e.amount_fen) from wallet_entries e where e.user_id = u.id), 0)").await;
    assert_eq!(wallets_off, 0, "wallets away from their ledgers");
    assert!(count(&app, "select count(*) from users where wallet_fen > 0").await > 3);

    // The new store's manager signs in with the demo password and sees their store's month.
    let manager = logged_in(&app, "13910000006").await;
    let (status, body) = get(&manager, &app, "/api/v1/insights?span=month").await;
    assert_eq!(status, 200, "{body}");

    // The chain's month from the rollups (each store counted alone when its days were settled)
    // is the same month counted from the ledgers for all seven stores at once.
    use linli_app::shared::time::{iso_date, local_time, now_ms};
    let owner = logged_in(&app, "13900000000").await;
    let path = format!("/api/v1/insights?span=month&date={}", iso_date(local_time(now_ms()).day - 1));
    let (status, rolled) = get(&owner, &app, &path).await;
    assert_eq!(status, 200, "{rolled}");
    assert_ne!(kpi(&rolled, "gmv"), "0.00");
    // Eight choices (the chain and seven stores) fold under one line naming where the owner is.
    let html = owner.get(app.url("/admin/insights")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains(r#"<details class="store-fold no-print">"#), "the stores fold away");
    assert!(html.contains("换门店（共7家）"), "and say how many stores there are");
    exec(&app, "delete from insight_settled").await;
    let (_, counted) = get(&owner, &app, &path).await;
    assert_eq!(counted["kpis"], rolled["kpis"]);
    for t in ["daily", "channels", "top_revenue", "top_margin"] {
        assert_eq!(table(&counted, t), table(&rolled, t), "{t}");
    }
}
