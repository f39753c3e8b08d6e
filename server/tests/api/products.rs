//! The catalog as the back office edits it: the owner creates, prices and retires products,
//! a manager edits what the shelf says and the photos, nobody else edits anything; uploads
//! are re-encoded (EXIF and GPS gone), refused with a clear code when they are not a usable
//! picture, and never more than nine a product even when sent at once.
use crate::helpers::*;
use image::ImageFormat;
use linli_app::catalog::photos::samples::{jpeg_claiming, phone_jpeg, picture, png_claiming};
use serde_json::{json, Value};

const OWNER: &str = "13900000000";
const MANAGER: &str = "13900000011";
const STAFF: &str = "13900000021";
const RESIDENT: &str = "13800000003";

async fn upload(c: &reqwest::Client, app: &TestApp, product: i64, bytes: Vec<u8>, name: &str) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("photo", part);
    let r = c.post(app.url(&format!("/api/v1/staff/products/{product}/photos"))).multipart(form).send().await.expect("upload");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn category_id(app: &TestApp, slug: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from categories where slug = $1").bind(slug).fetch_one(&app.db.pool).await.expect("category");
    id
}

async fn photo_count(app: &TestApp, product: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select count(*) from product_photos where product_id = $1").bind(product).fetch_one(&app.db.pool).await.expect("count");
    n
}

fn eggs(category_id: i64) -> Value {
    json!({
        "name": "临安土鸡蛋", "unit": "30枚/盒", "price_fen": 3280, "category_id": category_id,
        "origin": "临安", "producer": "王家农场", "harvest_date": "2026-01-05", "shelf_life_days": 20,
        "description": "散养，每天早上收。", "tags": ["今日到货", "本地直供"]
    })
}

/// On the store's shelf as a resident sees it, if there.
async fn on_shelf(app: &TestApp, store: i64, product: i64) -> Option<Value> {
    let (_, shelf) = app.get_json(&format!("/api/v1/stores/{store}/products")).await;
    shelf.as_array().expect("shelf").iter().find(|p| p["id"] == product).cloned()
}

#[tokio::test]
async fn the_owner_creates_edits_and_retires_a_product_and_the_storefront_follows() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let eggs_cat = category_id(&app, "meat-eggs").await;

    let (status, created) = post(&owner, &app, "/api/v1/staff/products", &eggs(eggs_cat)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().expect("id");
    assert_eq!(created["fields"]["tags"], json!(["今日到货", "本地直供"]));
    // New everywhere, stocked nowhere: sold out on the shelf until a delivery is booked.
    let shelf = on_shelf(&app, store, id).await.expect("on the shelf");
    assert_eq!((shelf["price_fen"].as_i64(), shelf["available"].as_i64()), (Some(3280), Some(0)));

    // A new price is the shelf's price at once.
    let mut edited = eggs(eggs_cat);
    edited["price_fen"] = json!(2990);
    edited["tags"] = json!(["有机"]);
    let (status, saved) = put(&owner, &app, &format!("/api/v1/staff/products/{id}"), &edited).await;
    assert_eq!(status, 200, "{saved}");
    let shelf = on_shelf(&app, store, id).await.expect("on the shelf");
    assert_eq!((shelf["price_fen"].as_i64(), shelf["tags"].clone()), (Some(2990), json!(["有机"])));

    // Retired: gone from the shelf and the product page, and it cannot be ordered.
    let resident = logged_in(&app, RESIDENT).await;
    let (status, retired) = post(&owner, &app, &format!("/api/v1/staff/products/{id}/retire"), &json!({})).await;
    assert_eq!((status, retired["active"].as_bool()), (200, Some(false)), "{retired}");
    assert!(on_shelf(&app, store, id).await.is_none());
    assert_eq!(app.get_json(&format!("/api/v1/products/{id}?store_id={store}")).await.0, 404);
    let (status, refused) = place(&resident, &app, "retired-1", &pickup_order(store, id, 1, "on_pickup")).await;
    assert_eq!((status, error_code(&refused)), (422, "product_unavailable"), "{refused}");
    let (_, list) = get(&owner, &app, "/api/v1/staff/products?status=retired").await;
    assert!(list.as_array().expect("list").iter().any(|p| p["id"] == id));
    let (status, back) = post(&owner, &app, &format!("/api/v1/staff/products/{id}/restore"), &json!({})).await;
    assert_eq!((status, back["active"].as_bool()), (200, Some(true)));
    assert!(on_shelf(&app, store, id).await.is_some());
}

#[tokio::test]
async fn bad_products_are_refused_with_the_field_and_change_nothing() {
    let app = spawn_app_with_demo().await;
    let owner = logged_in(&app, OWNER).await;
    let eggs_cat = category_id(&app, "meat-eggs").await;
    let (_, before) = get(&owner, &app, "/api/v1/staff/products?status=all").await;
    let cases = [
        ("name", json!(""), "invalid_product_name"),
        ("unit", json!("一二三四五六七八九十一二三"), "invalid_unit"),
        ("price_fen", json!(0), "invalid_price"),
        ("category_id", json!(999_999), "category_required"),
        ("harvest_date", json!("2999-01-01"), "invalid_harvest_date"),
        ("shelf_life_days", json!(0), "invalid_shelf_life"),
        ("tags", json!(["一", "二", "三", "四", "五", "六"]), "invalid_tags"),
    ];
    for (field, value, code) in cases {
        let mut body = eggs(eggs_cat);
        body[field] = value;
        let (status, refused) = post(&owner, &app, "/api/v1/staff/products", &body).await;
        assert_eq!((status, error_code(&refused)), (422, code), "{field}: {refused}");
        assert_eq!(refused["error"]["details"]["field"], if field == "price_fen" { "price" } else { field }, "{refused}");
    }
    let mut unknown = eggs(eggs_cat);
    unknown["prices_fen"] = json!(1);
    let (status, _) = post(&owner, &app, "/api/v1/staff/products", &unknown).await;
    assert!(status == 400 || status == 422, "an unknown field is refused, got {status}");
    let (_, after) = get(&owner, &app, "/api/v1/staff/products?status=all").await;
    assert_eq!(before.as_array().map(Vec::len), after.as_array().map(Vec::len));
}

#[tokio::test]
async fn a_manager_edits_what_the_shelf_says_but_not_prices_and_others_edit_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let eggs_cat = category_id(&app, "meat-eggs").await;
    let (_, created) = post(&owner, &app, "/api/v1/staff/products", &eggs(eggs_cat)).await;
    let id = created["id"].as_i64().expect("id");

    let manager = logged_in(&app, MANAGER).await;
    let mut body = created["fields"].clone();
    body["description"] = json!("今早到的，蛋黄很黄。");
    let (status, saved) = put(&manager, &app, &format!("/api/v1/staff/products/{id}"), &body).await;
    assert_eq!((status, saved["fields"]["description"].as_str()), (200, Some("今早到的，蛋黄很黄。")), "{saved}");

    body["price_fen"] = json!(100);
    let (status, refused) = put(&manager, &app, &format!("/api/v1/staff/products/{id}"), &body).await;
    assert_eq!((status, error_code(&refused)), (403, "price_is_owners"), "{refused}");
    assert_eq!(on_shelf(&app, store, id).await.and_then(|p| p["price_fen"].as_i64()), Some(3280));
    assert_eq!(post(&manager, &app, "/api/v1/staff/products", &eggs(eggs_cat)).await.0, 403);
    assert_eq!(post(&manager, &app, &format!("/api/v1/staff/products/{id}/retire"), &json!({})).await.0, 403);
    assert_eq!(post(&manager, &app, "/api/v1/staff/categories", &json!({ "name_zh": "豆制品" })).await.0, 403);

    for phone in [STAFF, RESIDENT] {
        let c = logged_in(&app, phone).await;
        assert_eq!(get(&c, &app, "/api/v1/staff/products").await.0, 403, "{phone}");
        assert_eq!(put(&c, &app, &format!("/api/v1/staff/products/{id}"), &created["fields"]).await.0, 403, "{phone}");
        assert_eq!(upload(&c, &app, id, picture(300, 300, ImageFormat::Png), "a.png").await.0, 403, "{phone}");
    }
    assert_eq!(get(&reqwest::Client::new(), &app, "/api/v1/staff/products").await.0, 401);
    assert_eq!(get(&owner, &app, "/api/v1/staff/products/999999").await.0, 404);
}

#[tokio::test]
async fn a_photo_is_re_encoded_without_exif_and_served_for_a_year_and_the_first_is_the_cover() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let manager = logged_in(&app, MANAGER).await;
    let (_, products) = get(&manager, &app, "/api/v1/staff/products").await;
    let id = products[0]["id"].as_i64().unwrap_or_else(|| panic!("a product: {products}"));

    let (status, first) = upload(&manager, &app, id, phone_jpeg(800, 600), "IMG_0001.JPG").await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["cover"], true);
    let card_url = first["card_url"].as_str().expect("card").to_string();
    let large_url = first["large_url"].as_str().expect("large").to_string();

    let r = reqwest::get(app.url(&card_url)).await.expect("card");
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
    let card = r.bytes().await.expect("bytes").to_vec();
    let large = reqwest::get(app.url(&large_url)).await.expect("large").bytes().await.expect("bytes").to_vec();
    for bytes in [&card, &large] {
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF is gone");
        assert!(!bytes.windows(10).any(|w| w == b"GPS-SECRET"), "GPS is gone");
    }
    let size = |b: &[u8]| image::load_from_memory(b).map(|i| (i.width(), i.height())).ok();
    assert_eq!(size(&card), Some((480, 480)));
    // Taken sideways with "turn 90°" in its EXIF: stored upright.
    assert_eq!(size(&large), Some((600, 800)));

    // The storefront's card and the product page use it.
    assert_eq!(on_shelf(&app, store, id).await.map(|p| p["image_url"].clone()), Some(json!(card_url)));
    let (_, page) = app.get_json(&format!("/api/v1/products/{id}?store_id={store}")).await;
    assert_eq!(page["photos"], json!([large_url]));

    // A second photo joins after it; made the cover, it leads; the cover deleted, the other leads.
    let (status, second) = upload(&manager, &app, id, picture(640, 640, ImageFormat::Png), "b.png").await;
    assert_eq!((status, second["cover"].as_bool()), (201, Some(false)), "{second}");
    let second_id = second["id"].as_i64().expect("id");
    assert_eq!(post(&manager, &app, &format!("/api/v1/staff/products/{id}/photos/{second_id}/cover"), &json!({})).await.0, 204);
    assert_eq!(on_shelf(&app, store, id).await.map(|p| p["image_url"].clone()), Some(second["card_url"].clone()));
    let (_, page) = app.get_json(&format!("/api/v1/products/{id}?store_id={store}")).await;
    assert_eq!(page["photos"][0], second["large_url"]);
    let r = manager.delete(app.url(&format!("/api/v1/staff/products/{id}/photos/{second_id}"))).send().await.expect("delete");
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(on_shelf(&app, store, id).await.map(|p| p["image_url"].clone()), Some(json!(card_url)));
    let r = manager.delete(app.url(&format!("/api/v1/staff/products/{id}/photos/{second_id}"))).send().await.expect("delete");
    assert_eq!(r.status().as_u16(), 404, "already gone");
}

#[tokio::test]
async fn what_is_not_a_usable_picture_is_refused_with_a_clear_code_and_nothing_is_stored() {
    let app = spawn_app_with_demo().await;
    let owner = logged_in(&app, OWNER).await;
    let (_, products) = get(&owner, &app, "/api/v1/staff/products").await;
    let id = products[0]["id"].as_i64().unwrap_or_else(|| panic!("a product: {products}"));
    let media_before = crate::helpers::count(&app, "select count(*) from media").await;

    let cases: Vec<(Vec<u8>, &str, u16, &str)> = vec![
        ("我是一段文字，不是照片".as_bytes().to_vec(), "photo.jpg", 422, "not_an_image"),
        (png_claiming(60_000, 60_000), "bomb.png", 422, "photo_too_big"),
        (jpeg_claiming(60_000, 60_000), "bomb.jpg", 422, "photo_too_big"),
        (picture(120, 120, ImageFormat::Png), "tiny.png", 422, "photo_too_small"),
        (vec![0xFF; linli_app::catalog::photos::MAX_BYTES + 200 * 1024], "huge.jpg", 413, "photo_too_large"),
    ];
    for (bytes, name, status, code) in cases {
        let (got, body) = upload(&owner, &app, id, bytes, name).await;
        assert_eq!((got, error_code(&body)), (status, code), "{name}: {body}");
        assert_eq!(body["error"]["details"]["field"], "photo");
    }
    assert_eq!(photo_count(&app, id).await, 0);
    assert_eq!(crate::helpers::count(&app, "select count(*) from media").await, media_before);
    assert_eq!(upload(&owner, &app, 999_999, picture(300, 300, ImageFormat::Png), "a.png").await.0, 404);
}

#[tokio::test]
async fn ten_uploads_at_once_to_a_product_with_five_photos_leave_nine() {
    let app = spawn_app_with_demo().await;
    let owner = logged_in(&app, OWNER).await;
    let (_, products) = get(&owner, &app, "/api/v1/staff/products").await;
    let id = products[1]["id"].as_i64().expect("a product");
    for i in 0..5 {
        assert_eq!(upload(&owner, &app, id, picture(300, 300, ImageFormat::Png), "a.png").await.0, 201, "photo {i}");
    }
    let uploads = (0..10).map(|_| {
        let (owner, app) = (owner.clone(), &app);
        async move { upload(&owner, app, id, picture(300, 300, ImageFormat::Jpeg), "b.jpg").await }
    });
    let results = futures::future::join_all(uploads).await;
    let added = results.iter().filter(|(s, _)| *s == 201).count();
    let refused = results.iter().filter(|(s, b)| *s == 422 && error_code(b) == "too_many_photos").count();
    assert_eq!((added, refused), (4, 6), "{results:?}");
    assert_eq!(photo_count(&app, id).await, 9);
}

#[tokio::test]
async fn categories_are_added_renamed_and_retired_only_once_empty() {
    let app = spawn_app_with_demo().await;
    let owner = logged_in(&app, OWNER).await;
    let (status, tofu) = post(&owner, &app, "/api/v1/staff/categories", &json!({ "name_zh": "豆制品", "name_en": "Tofu & soy", "sort": 95 })).await;
    assert_eq!((status, tofu["slug"].as_str()), (201, Some("tofu-soy")), "{tofu}");
    let tofu_id = tofu["id"].as_i64().expect("id");
    let (status, again) = post(&owner, &app, "/api/v1/staff/categories", &json!({ "name_zh": "豆腐", "name_en": "Tofu soy" })).await;
    assert_eq!((status, again["slug"].as_str()), (201, Some("tofu-soy-2")), "{again}");
    let (status, refused) = post(&owner, &app, "/api/v1/staff/categories", &json!({ "name_zh": "" })).await;
    assert_eq!((status, error_code(&refused)), (422, "invalid_category_name"));

    let (status, renamed) = put(&owner, &app, &format!("/api/v1/staff/categories/{tofu_id}"), &json!({ "name_zh": "豆制品类", "name_en": "Soy", "sort": 5 })).await;
    assert_eq!((status, renamed["name_zh"].as_str(), renamed["sort"].as_i64()), (200, Some("豆制品类"), Some(5)), "{renamed}");

    // A category with products on sale stays; an empty one retires, and takes no new products.
    let eggs_cat = category_id(&app, "meat-eggs").await;
    let (status, refused) = post(&owner, &app, &format!("/api/v1/staff/categories/{eggs_cat}/retire"), &json!({})).await;
    assert_eq!((status, error_code(&refused)), (409, "category_in_use"), "{refused}");
    let (status, retired) = post(&owner, &app, &format!("/api/v1/staff/categories/{tofu_id}/retire"), &json!({})).await;
    assert_eq!((status, retired["active"].as_bool()), (200, Some(false)), "{retired}");
    let (status, refused) = post(&owner, &app, "/api/v1/staff/products", &eggs(tofu_id)).await;
    assert_eq!((status, error_code(&refused)), (422, "category_required"));
    assert_eq!(post(&owner, &app, "/api/v1/staff/categories/999999/retire", &json!({})).await.0, 404);
}

#[tokio::test]
async fn a_store_prices_a_product_only_where_the_owner_allows_and_its_shelf_orders_and_till_follow() {
    let app = spawn_app_with_demo().await;
    let (store_a, store_b) = (first_store(&app).await, second_store(&app).await);
    let owner = logged_in(&app, OWNER).await;
    let manager_a = logged_in(&app, MANAGER).await;
    let (_, created) = post(&owner, &app, "/api/v1/staff/products", &eggs(category_id(&app, "meat-eggs").await)).await;
    let id = created["id"].as_i64().expect("id");
    let price_at = |store: i64| format!("/api/v1/staff/stores/{store}/prices/{id}");

    // One price everywhere until the owner allows store prices; a manager cannot allow them.
    let (status, refused) = put(&manager_a, &app, &price_at(store_a), &json!({ "price_fen": 2500 })).await;
    assert_eq!((status, error_code(&refused)), (409, "store_pricing_off"), "{refused}");
    let mut allowed = created["fields"].clone();
    allowed["store_pricing"] = json!(true);
    let (status, refused) = put(&manager_a, &app, &format!("/api/v1/staff/products/{id}"), &allowed).await;
    assert_eq!((status, refused["error"]["details"]["field"].as_str()), (403, Some("store_pricing")), "{refused}");
    assert_eq!(put(&owner, &app, &format!("/api/v1/staff/products/{id}"), &allowed).await.0, 200);

    let (status, priced) = put(&manager_a, &app, &price_at(store_a), &json!({ "price_fen": 2500 })).await;
    assert_eq!(status, 200, "{priced}");
    assert_eq!(priced["store_prices"][0]["price_fen"].as_i64(), Some(2500), "{priced}");
    assert_eq!(put(&manager_a, &app, &price_at(store_b), &json!({ "price_fen": 100 })).await.0, 403, "another store's price");
    assert_eq!(put(&manager_a, &app, &price_at(store_a), &json!({ "price_fen": 0 })).await.0, 422);
    assert_eq!(on_shelf(&app, store_a, id).await.and_then(|p| p["price_fen"].as_i64()), Some(2500));
    assert_eq!(on_shelf(&app, store_b, id).await.and_then(|p| p["price_fen"].as_i64()), Some(3280));

    // Online and at the counter, store A sells at its price.
    let received = json!({ "product_id": id, "delta": 10, "reason": "receive" });
    assert_eq!(post(&manager_a, &app, &format!("/api/v1/staff/stores/{store_a}/stock"), &received).await.0, 200);
    let resident = logged_in(&app, RESIDENT).await;
    let (status, order) = place(&resident, &app, "store-price-1", &pickup_order(store_a, id, 2, "on_pickup")).await;
    assert_eq!(status, 201, "{order}");
    let (_, order) = get(&resident, &app, &format!("/api/v1/orders/{}", order["id"])).await;
    assert_eq!(order["items"][0]["price_fen"].as_i64(), Some(2500), "{order}");
    let r = manager_a
        .post(app.url(&format!("/api/v1/staff/stores/{store_a}/counter-sales")))
        .header("idempotency-key", "till-store-price")
        .json(&json!({ "items": [{ "product_id": id, "qty": 1 }], "payment": "cash" }))
        .send()
        .await
        .expect("sell");
    let receipt: Value = r.json().await.expect("receipt");
    assert_eq!(receipt["lines"][0]["price_fen"].as_i64(), Some(2500), "{receipt}");

    // The owner takes the permission back: the chain's price again, everywhere.
    let mut one_price = allowed.clone();
    one_price["store_pricing"] = json!(false);
    assert_eq!(put(&owner, &app, &format!("/api/v1/staff/products/{id}"), &one_price).await.0, 200);
    assert_eq!(on_shelf(&app, store_a, id).await.and_then(|p| p["price_fen"].as_i64()), Some(3280));
    let r = manager_a.delete(app.url(&price_at(store_a))).send().await.expect("clear");
    assert_eq!(r.status().as_u16(), 204);
}

#[tokio::test]
async fn the_owner_makes_a_bundle_from_single_products_and_its_stock_is_theirs() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let bundles = category_id(&app, "bundles").await;
    let (status, created) = post(&owner, &app, "/api/v1/staff/products", &json!({ "name": "火锅双人套餐", "unit": "1套", "price_fen": 5990, "category_id": bundles })).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().expect("id");
    // Two single products with stock at the store: 4 and 3 sellable.
    let parts: Vec<(i64,)> = sqlx::query_as(
        "select p.id from products p join stock s on s.product_id = p.id and s.store_id = $1
         where s.on_hand - s.reserved >= 10 and not exists (select 1 from bundle_items b where b.bundle_id = p.id or b.product_id = p.id)
         order by p.id limit 2",
    )
    .bind(store)
    .fetch_all(&app.db.pool)
    .await
    .expect("parts");
    let (a, b) = (parts[0].0, parts[1].0);
    crate::helpers::set_stock(&app, store, a, 4).await;
    crate::helpers::set_stock(&app, store, b, 3).await;
    let path = format!("/api/v1/staff/products/{id}/components");

    // Nobody but the owner; nonsense recipes change nothing.
    assert_eq!(put(&logged_in(&app, MANAGER).await, &app, &path, &json!({ "items": [{ "product_id": a, "qty": 2 }] })).await.0, 403);
    let (demo_bundle,): (i64,) = sqlx::query_as("select bundle_id from bundle_items order by bundle_id limit 1").fetch_one(&app.db.pool).await.expect("demo bundle");
    for items in [
        json!([{ "product_id": id, "qty": 1 }]),
        json!([{ "product_id": a, "qty": 0 }]),
        json!([{ "product_id": a, "qty": 1 }, { "product_id": a, "qty": 2 }]),
        json!([{ "product_id": demo_bundle, "qty": 1 }]),
        json!([{ "product_id": 999_999, "qty": 1 }]),
    ] {
        let (status, answer) = put(&owner, &app, &path, &json!({ "items": items })).await;
        assert_eq!((status, error_code(&answer)), (422, "invalid_bundle"), "{items}: {answer}");
    }
    // A product with stock of its own, or one that is part of a bundle, does not become one.
    let (status, answer) = put(&owner, &app, &format!("/api/v1/staff/products/{a}/components"), &json!({ "items": [{ "product_id": b, "qty": 1 }] })).await;
    assert_eq!((status, error_code(&answer)), (409, "bundle_has_stock"), "{answer}");

    let (status, bundle) = put(&owner, &app, &path, &json!({ "items": [{ "product_id": a, "qty": 2 }, { "product_id": b, "qty": 1 }] })).await;
    assert_eq!(status, 200, "{bundle}");
    assert_eq!(bundle["components"].as_array().map(Vec::len), Some(2));
    // 4 of a make two bundles, 3 of b three: two on the shelf.
    assert_eq!(on_shelf(&app, store, id).await.expect("on the shelf")["available"].as_i64(), Some(2));
    let (status, answer) = put(&owner, &app, &format!("/api/v1/staff/products/{a}/components"), &json!({ "items": [{ "product_id": b, "qty": 1 }] })).await;
    assert_eq!((status, error_code(&answer)), (409, "bundle_is_part"), "{answer}");

    // An order for one bundle holds its parts.
    let resident = logged_in(&app, RESIDENT).await;
    let (status, order) = place(&resident, &app, "bundle-order-1", &pickup_order(store, id, 1, "wallet")).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!((crate::helpers::stock(&app, store, a).await.1, crate::helpers::stock(&app, store, b).await.1), (2, 1));
    assert_eq!(on_shelf(&app, store, id).await.expect("on the shelf")["available"].as_i64(), Some(1));

    // Emptied, it is a single product again (with no stock of its own: sold out).
    let (status, single) = put(&owner, &app, &path, &json!({ "items": [] })).await;
    assert_eq!((status, single["components"].as_array().map(Vec::len)), (200, Some(0)), "{single}");
    assert_eq!(on_shelf(&app, store, id).await.expect("on the shelf")["available"].as_i64(), Some(0));
}

#[tokio::test]
async fn a_save_based_on_an_older_version_is_refused_with_stale_edit_and_changes_nothing() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let manager = logged_in(&app, MANAGER).await;
    let eggs_cat = category_id(&app, "meat-eggs").await;
    let (_, created) = post(&owner, &app, "/api/v1/staff/products", &eggs(eggs_cat)).await;
    let id = created["id"].as_i64().expect("id");
    let path = format!("/api/v1/staff/products/{id}");
    // Both open the editor on the same version.
    let (_, seen) = get(&manager, &app, &path).await;
    let version = seen["version"].as_i64().expect("version");
    let mut owners = seen["fields"].clone();
    owners["version"] = json!(version);
    owners["price_fen"] = json!(2990);
    let (status, saved) = put(&owner, &app, &path, &owners).await;
    assert_eq!((status, saved["version"].as_i64()), (200, Some(version + 1)), "{saved}");

    // The manager's description edit, made on the old version, would put back the old price.
    let mut managers = seen["fields"].clone();
    managers["version"] = json!(version);
    managers["description"] = json!("今早到的");
    let (status, refused) = put(&manager, &app, &path, &managers).await;
    assert_eq!((status, error_code(&refused)), (409, "stale_edit"), "{refused}");
    assert_eq!((refused["error"]["details"]["version"].as_i64(), refused["error"]["details"]["price_fen"].as_i64()), (Some(version + 1), Some(2990)));
    assert_eq!(on_shelf(&app, store, id).await.and_then(|p| p["price_fen"].as_i64()), Some(2990));
    let (_, now) = get(&manager, &app, &path).await;
    assert_eq!(now["fields"]["description"], saved["fields"]["description"], "nothing of the stale edit was saved");

    // Redone on the latest version, it saves.
    managers["version"] = json!(version + 1);
    managers["price_fen"] = json!(2990);
    let (status, ok) = put(&manager, &app, &path, &managers).await;
    assert_eq!((status, ok["fields"]["description"].as_str(), ok["version"].as_i64()), (200, Some("今早到的"), Some(version + 2)), "{ok}");
}

/// Turning a product into a bundle while a delivery is booked in: one of them wins, and a
/// bundle never ends up with stock of its own.
#[tokio::test]
async fn a_delivery_racing_a_bundle_conversion_never_leaves_a_bundle_with_stock() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let staff = logged_in(&app, STAFF).await;
    let bundles = category_id(&app, "bundles").await;
    let (part,): (i64,) = sqlx::query_as(
        "select p.id from products p join stock s on s.product_id = p.id and s.store_id = $1
         where not exists (select 1 from bundle_items b where b.bundle_id = p.id) order by p.id limit 1",
    )
    .bind(store)
    .fetch_one(&app.db.pool)
    .await
    .expect("part");
    for round in 0..6 {
        let (_, created) = post(&owner, &app, "/api/v1/staff/products", &json!({ "name": format!("套餐{round}"), "unit": "1套", "price_fen": 990, "category_id": bundles })).await;
        let id = created["id"].as_i64().expect("id");
        let stock_path = app.url(&format!("/api/v1/staff/stores/{store}/stock"));
        let recipe_path = app.url(&format!("/api/v1/staff/products/{id}/components"));
        let (booked, converted) = tokio::join!(
            staff.post(&stock_path).json(&json!({ "product_id": id, "delta": 5, "reason": "receive" })).send(),
            owner.put(&recipe_path).json(&json!({ "items": [{ "product_id": part, "qty": 1 }] })).send(),
        );
        let (booked, converted) = (booked.expect("book").status().as_u16(), converted.expect("convert").status().as_u16());
        let (parts,): (i64,) = sqlx::query_as("select count(*) from bundle_items where bundle_id = $1").bind(id).fetch_one(&app.db.pool).await.expect("parts");
        let (own,): (i64,) = sqlx::query_as("select coalesce(sum(on_hand), 0) from stock where product_id = $1").bind(id).fetch_one(&app.db.pool).await.expect("own");
        assert!(!(parts > 0 && own > 0), "round {round}: a bundle with stock of its own (book {booked}, convert {converted})");
        assert!(booked == 201 || booked == 200 || converted == 200, "round {round}: neither happened (book {booked}, convert {converted})");
    }
}
