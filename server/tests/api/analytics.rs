//! 今日概况: stock at a glance for every store a person works at, and nobody else's.
use crate::helpers::*;
use serde_json::Value;

async fn overview(c: &reqwest::Client, app: &TestApp) -> (u16, Value) {
    // The page's server function, called as the page calls it.
    let r = c.post(app.url("/api/office_overview")).send().await.expect("overview");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().map(|l| l.iter().filter_map(|s| s["store_id"].as_i64()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn the_overview_shows_the_stores_a_person_works_at_and_counts_what_ran_out() {
    let app = spawn_app_with_demo().await;
    let (a, b) = (first_store(&app).await, second_store(&app).await);
    let owner = logged_in(&app, "13900000000").await;
    let (status, all) = overview(&owner, &app).await;
    assert_eq!(status, 200, "{all}");
    assert!(ids(&all).contains(&a) && ids(&all).contains(&b), "{all}");

    // A clerk of the first store sees that store only; a resident sees none.
    let clerk = logged_in(&app, "13900000021").await;
    let (status, mine) = overview(&clerk, &app).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(ids(&mine), vec![a]);
    let resident = logged_in(&app, "13800000003").await;
    assert_eq!(overview(&resident, &app).await.0, 403);

    // Selling out a product shows in the count at once (a bundle made with it may run out too).
    let out_at_a = |list: &Value| list.as_array().and_then(|l| l.iter().find(|s| s["store_id"] == a)).and_then(|s| s["out_of_stock"].as_i64()).unwrap_or(-1);
    let before = out_at_a(&all);
    let (product, _) = stocked_product(&app, a).await;
    set_stock(&app, a, product, 0).await;
    let after = out_at_a(&overview(&owner, &app).await.1);
    assert!(before >= 0 && after > before, "out of stock {before} → {after}");
}
