use crate::helpers::*;

#[tokio::test]
async fn a_stores_products_show_what_is_available_there() {
    let app = spawn_app_with_demo().await;
    let (status, body) = app.get_json("/api/v1/stores/1/products").await;
    assert_eq!(status, 200);
    let list = body.as_array().expect("array");
    assert!(list.len() >= 55, "{}", list.len());
    let first = &list[0];
    for field in ["id", "name", "unit", "price_fen", "category", "origin", "available", "image_url"] {
        assert!(first.get(field).is_some(), "missing {field}");
    }
    // In stock first, sold out last — but never hidden.
    let avail: Vec<i64> = list.iter().map(|p| p["available"].as_i64().expect("available")).collect();
    assert!(avail.contains(&0));
    let first_zero = avail.iter().position(|a| *a == 0).expect("a sold-out item");
    assert!(avail[first_zero..].iter().all(|a| *a == 0));

    // Availability is per store: the same product differs somewhere between stores.
    let (_, other) = app.get_json("/api/v1/stores/2/products").await;
    let by_id = |l: &serde_json::Value, id: i64| l.as_array().and_then(|a| a.iter().find(|p| p["id"] == id).cloned());
    let differs = (1..=60).any(|id| by_id(&body, id).map(|p| p["available"].clone()) != by_id(&other, id).map(|p| p["available"].clone()));
    assert!(differs);

    // Stock on hand minus reserved, straight from the table.
    let (on_hand, reserved): (i64, i64) = sqlx::query_as("select on_hand, reserved from stock where store_id = 1 and product_id = $1")
        .bind(first["id"].as_i64().expect("id"))
        .fetch_one(&app.db.pool)
        .await
        .expect("stock row");
    assert_eq!(first["available"].as_i64(), Some(on_hand - reserved));
}

#[tokio::test]
async fn search_finds_chinese_substrings_and_categories_filter() {
    let app = spawn_app_with_demo().await;
    let (status, body) = app.get_json("/api/v1/stores/1/products?q=%E8%A5%BF%E7%BA%A2%E6%9F%BF").await; // 西红柿
    assert_eq!(status, 200);
    assert_eq!(body.as_array().map(Vec::len), Some(1));
    assert_eq!(body[0]["name"], "寿光西红柿");

    let (_, body) = app.get_json("/api/v1/stores/1/products?category=seafood").await;
    let list = body.as_array().expect("array");
    assert!(!list.is_empty());
    assert!(list.iter().all(|p| p["category"] == "seafood"));

    // A percent sign is a character to search for, not a wildcard.
    let (_, body) = app.get_json("/api/v1/stores/1/products?q=%25").await;
    assert_eq!(body.as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn unknown_stores_and_products_are_404_never_500() {
    let app = spawn_app_with_demo().await;
    for path in ["/api/v1/stores/999/products", "/api/v1/stores/abc/products", "/api/v1/products/99999?store_id=1", "/api/v1/products/1?store_id=999", "/api/v1/nope"] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(error_code(&body), "not_found", "{path}");
    }
}

#[tokio::test]
async fn a_product_carries_its_traceability_card() {
    let app = spawn_app_with_demo().await;
    let (status, p) = app.get_json("/api/v1/products/1?store_id=2").await;
    assert_eq!(status, 200);
    assert_eq!(p["name"], "寿光西红柿");
    assert_eq!(p["origin"], "山东寿光");
    assert_eq!(p["producer"], "寿光田园蔬菜合作社");
    assert_eq!(p["shelf_life_days"], 5);
    assert_eq!(p["store_id"], 2);
    assert!(p["harvest_date"].as_str().is_some_and(|d| d.len() == 10));

    let img = app.api.get(app.url(p["image_url"].as_str().expect("image"))).send().await.expect("image");
    assert_eq!(img.status().as_u16(), 200);
    assert!(img.headers()["cache-control"].to_str().expect("header").contains("immutable"));
    assert_eq!(img.headers()["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn a_product_page_renders_its_traceability_and_share_preview_on_the_server() {
    let app = spawn_app_with_demo().await;
    let page = reqwest::Client::new().get(app.url("/p/1")).header("cookie", "linli_store=2").send().await.expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("<title>寿光西红柿 · 邻里</title>"), "title");
    assert!(html.contains(r#"property="og:title" content="寿光西红柿 | 绿源生活·古墩路店""#), "og:title for the chosen store");
    assert!(html.contains(&format!(r#"property="og:image" content="{}/media/"#, app.address)), "absolute og:image");
    for text in ["溯源信息", "山东寿光", "寿光田园蔬菜合作社", "5天", "¥"] {
        assert!(html.contains(text), "{text}");
    }
}

#[tokio::test]
async fn a_missing_product_page_is_a_404_that_says_so() {
    let app = spawn_app_with_demo().await;
    for path in ["/p/99999", "/p/abc"] {
        let r = reqwest::get(app.url(path)).await.expect("page");
        assert_eq!(r.status().as_u16(), 404, "{path}");
        assert!(r.text().await.expect("html").contains("这件商品找不到了"), "{path}");
    }
}

#[tokio::test]
async fn control_characters_in_a_search_are_ignored_not_a_500() {
    let app = spawn_app_with_demo().await;
    let (status, body) = app.get_json("/api/v1/stores/1/products?q=%E8%A5%BF%E7%BA%A2%00%E6%9F%BF&category=%00").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body[0]["name"], "寿光西红柿");
    let r = reqwest::get(app.url("/?q=%00")).await.expect("page");
    assert_eq!(r.status().as_u16(), 200);
}
