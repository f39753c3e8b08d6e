//! The chain's stores as residents find them: nearest first, whether they deliver, a clear
//! answer to an impossible position, and a new chain that has none yet.
use crate::helpers::*;

#[tokio::test]
async fn stores_come_nearest_first_and_say_whether_they_deliver() {
    let app = spawn_app_with_demo().await;
    // A few hundred metres from 古墩路店.
    let (status, body) = app.get_json("/api/v1/stores?lat=30.2990&lng=120.1010").await;
    assert_eq!(status, 200);
    let list = body.as_array().expect("array");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["name"], "绿源生活·古墩路店");
    assert_eq!(list[0]["delivers"], true);
    assert!(list[0]["distance_m"].as_u64().expect("distance") < 500);
    let d: Vec<u64> = list.iter().map(|s| s["distance_m"].as_u64().expect("distance")).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    assert_eq!(list[2]["delivers"], false);
}

#[tokio::test]
async fn an_impossible_position_is_a_clear_4xx() {
    let app = spawn_app_with_demo().await;
    let (status, body) = app.get_json("/api/v1/stores?lat=95&lng=120").await;
    assert_eq!(status, 422);
    assert_eq!(error_code(&body), "invalid_coordinates");
    let (status, _) = app.get_json("/api/v1/stores?lat=30.2").await;
    assert_eq!(status, 422);
    let (status, body) = app.get_json("/api/v1/stores?lat=abc&lng=1").await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "bad_request");
}

#[tokio::test]
async fn a_real_store_starts_empty() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/v1/stores").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!([]));
    let page = reqwest::get(app.url("/")).await.expect("page").text().await.expect("html");
    assert!(page.contains("还没有开通门店"));
}
