//! The cart and checkout through the pages' server functions (form posts, as a browser without
//! JavaScript sends them; the hydrated page sends the same).
use crate::helpers::*;
use serde_json::Value;

/// Posts a server function's form; returns (status, body as JSON or Null).
async fn call(c: &reqwest::Client, app: &TestApp, name: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let r = c.post(app.url(&format!("/api/{name}"))).form(form).send().await.expect("server fn");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn login(c: &reqwest::Client, app: &TestApp, phone: &str) {
    let r = c
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"phone": phone, "password": linli_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200);
}

async fn first_in_stock(app: &TestApp) -> (i64, String) {
    sqlx::query_as(
        "select p.id, p.name from products p join stock s on s.product_id = p.id
         where s.store_id = (select min(id) from stores) and s.on_hand - s.reserved >= 5 order by p.id limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("product")
}

/// Runs the requests concurrently; their statuses.
async fn all_at_once<F: std::future::Future<Output = u16> + Send + 'static>(requests: impl Iterator<Item = F>) -> Vec<u16> {
    let mut set = tokio::task::JoinSet::new();
    for r in requests {
        set.spawn(r);
    }
    let mut statuses = Vec::new();
    while let Some(s) = set.join_next().await {
        statuses.push(s.expect("request task"));
    }
    statuses
}

fn qty_of(cart: &Value, product: i64) -> i64 {
    cart["lines"].as_array().and_then(|l| l.iter().find(|l| l["product_id"] == product)).and_then(|l| l["qty"].as_i64()).unwrap_or(0)
}

#[tokio::test]
async fn a_guest_cart_joins_the_residents_cart_at_login_and_follows_them_to_another_device() {
    let app = spawn_app_with_demo().await;
    let (product, _) = first_in_stock(&app).await;
    let pid = product.to_string();

    // On the phone, already signed in, the resident put one in the cart last night.
    let phone = client();
    login(&phone, &app, "13800000002").await;
    assert_eq!(call(&phone, &app, "cart_add", &[("product_id", &pid)]).await.0, 200);

    // Today, on a tablet, as a guest: two more.
    let tablet = client();
    let r = tablet.post(app.url("/api/cart_add")).form(&[("product_id", &pid)]).send().await.expect("add");
    let cookie = r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with("linli_cart=")).map(str::to_string);
    let cookie = cookie.expect("a guest cart cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(call(&tablet, &app, "cart_add", &[("product_id", &pid)]).await.0, 200);
    let (_, guest_cart) = call(&tablet, &app, "cart", &[]).await;
    assert_eq!(qty_of(&guest_cart, product), 2);

    login(&tablet, &app, "13800000002").await;
    let (_, merged) = call(&tablet, &app, "cart", &[]).await;
    assert_eq!(qty_of(&merged, product), 3, "quantities add up");
    let (_, on_phone) = call(&phone, &app, "cart", &[]).await;
    assert_eq!(on_phone, merged, "one cart on every device");
    let (guest_rows,): (i64,) = sqlx::query_as("select count(*) from cart_items where cart_key like 'g:%'").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(guest_rows, 0);
}

#[tokio::test]
async fn the_cart_refuses_what_the_store_cannot_sell_and_says_when_prices_moved() {
    let app = spawn_app_with_demo().await;
    let (product, _) = first_in_stock(&app).await;
    let pid = product.to_string();
    let c = client();
    login(&c, &app, "13800000001").await;

    let (status, err) = call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "500")]).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("invalid_quantity")));
    let (status, err) = call(&c, &app, "cart_add", &[("product_id", "987654")]).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("product_unavailable")));
    sqlx::query("update stock set on_hand = 2, reserved = 0 where product_id = $1").bind(product).execute(&app.db.pool).await.expect("stock");
    let (status, err) = call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "3")]).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("insufficient_stock")));
    assert_eq!(err["details"]["items"][0]["available"], 2);
    assert_eq!(call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "2")]).await.0, 200);

    // The store raises the price and sells one at the counter: the cart says both.
    sqlx::query("update products set price_fen = price_fen + 100 where id = $1").bind(product).execute(&app.db.pool).await.expect("price");
    sqlx::query("update stock set on_hand = 1 where product_id = $1").bind(product).execute(&app.db.pool).await.expect("stock");
    let (_, cart) = call(&c, &app, "cart", &[]).await;
    let notices = cart["lines"][0]["notices"].to_string();
    assert!(notices.contains("PriceUp") && notices.contains("OnlyLeft"), "{notices}");
    assert_eq!(cart["goods_fen"], 0, "a short line is not counted until it is fixed");

    // Going down is always allowed; then the line is whole again.
    assert_eq!(call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "1")]).await.0, 200);
    let (_, cart) = call(&c, &app, "cart", &[]).await;
    assert_eq!(cart["lines"][0]["notices"], serde_json::json!([]), "changing the line acknowledges the new price");
}

#[tokio::test]
async fn checkout_from_the_cart_places_one_order_even_when_the_form_is_sent_twice() {
    let app = spawn_app_with_demo().await;
    let (product, _) = first_in_stock(&app).await;
    let pid = product.to_string();
    let c = client();
    login(&c, &app, "13800000001").await;
    call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "2")]).await;

    let (status, view) = call(&c, &app, "checkout", &[]).await;
    assert_eq!(status, 200, "{view}");
    let slot = view["pickup_choices"][0]["value"].as_str().expect("a pickup window").to_string();
    let key = view["key"].as_str().expect("key").to_string();
    let sig = view["cart_sig"].as_str().expect("cart signature").to_string();
    let form = [("key", key.as_str()), ("cart_sig", sig.as_str()), ("mode", "pickup"), ("pickup_slot", slot.as_str()), ("payment", "on_pickup"), ("note", "不要香菜")];
    let (s1, first) = call(&c, &app, "submit_order", &form).await;
    let (s2, second) = call(&c, &app, "submit_order", &form).await;
    assert_eq!((s1, s2), (200, 200), "{first} {second}");
    assert_eq!(first, second, "the same order both times");
    let (orders,): (i64,) = sqlx::query_as("select count(*) from orders").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(orders, 1);
    let (_, cart) = call(&c, &app, "cart", &[]).await;
    assert_eq!(cart["lines"], serde_json::json!([]), "ordered lines leave the cart");

    // Without JavaScript the browser is sent to the order page.
    call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "1")]).await;
    let (_, view) = call(&c, &app, "checkout", &[]).await;
    let key = view["key"].as_str().expect("key").to_string();
    let sig = view["cart_sig"].as_str().expect("cart signature").to_string();
    let r = c
        .post(app.url("/api/submit_order"))
        .header("accept", "text/html")
        .header("referer", app.url("/checkout"))
        .form(&[("key", key.as_str()), ("cart_sig", sig.as_str()), ("mode", "pickup"), ("pickup_slot", slot.as_str()), ("payment", "on_pickup")])
        .send()
        .await
        .expect("post");
    assert!(r.status().is_redirection());
    let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(to.starts_with("/orders/"), "{to}");

    // A bad form comes back to the checkout with the error and what was typed.
    call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "1")]).await;
    let r = c
        .post(app.url("/api/submit_order"))
        .header("accept", "text/html")
        .header("referer", app.url("/checkout?mode=delivery"))
        .form(&[("key", "k-bad"), ("cart_sig", "-"), ("mode", "delivery"), ("community", ""), ("address_detail", "3幢201"), ("payment", "on_pickup"), ("note", "放门口")])
        .send()
        .await
        .expect("post");
    let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(to.starts_with("/checkout?") && to.contains("mode=delivery") && to.contains("err=address_required") && to.contains("note=%E6%94%BE%E9%97%A8%E5%8F%A3"), "{to}");

    let stranger = client();
    let (status, err) = call(&stranger, &app, "checkout", &[]).await;
    assert_eq!((status, err["code"].as_str()), (401, Some("unauthenticated")));
}

#[tokio::test]
async fn the_order_is_what_the_checkout_page_showed_and_a_used_key_does_not_place_another_kind() {
    let app = spawn_app_with_demo().await;
    let (product, _) = first_in_stock(&app).await;
    let pid = product.to_string();
    let c = client();
    login(&c, &app, "13800000003").await;
    call(&c, &app, "cart_set", &[("product_id", &pid), ("qty", "2")]).await;
    let (_, view) = call(&c, &app, "checkout", &[]).await;
    let slot = view["pickup_choices"][0]["value"].as_str().expect("a pickup window").to_string();
    let key = view["key"].as_str().expect("key").to_string();
    let sig = view["cart_sig"].as_str().expect("cart signature").to_string();

    // The price moves while the resident reads the page: nothing is placed or charged.
    sqlx::query("update products set price_fen = price_fen + 50 where id = $1").bind(product).execute(&app.db.pool).await.expect("price");
    let form = |key: &str, sig: &str, payment: &str| {
        vec![("key", key.to_string()), ("cart_sig", sig.to_string()), ("mode", "pickup".into()), ("pickup_slot", slot.clone()), ("payment", payment.to_string())]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = app.url("/api/submit_order");
        async move {
            let r = c.post(url).form(&f).send().await.expect("post");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, err) = post(form(&key, &sig, "wallet")).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("cart_changed")), "{err}");
    let (orders,): (i64,) = sqlx::query_as("select count(*) from orders").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(orders, 0);

    // Looking again shows the new total; that page's form goes through.
    let (_, view) = call(&c, &app, "checkout", &[]).await;
    let sig = view["cart_sig"].as_str().expect("cart signature").to_string();
    let (status, placed) = post(form(&key, &sig, "wallet")).await;
    assert_eq!(status, 200, "{placed}");

    // The same key from a stale page asking to pay at pickup is not a retry of that order.
    let (status, err) = post(form(&key, &sig, "on_pickup")).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("already_placed")), "{err}");
    let (status, again) = post(form(&key, &sig, "wallet")).await;
    assert_eq!((status, &again), (200, &placed), "a true resend finds its order");
}

#[tokio::test]
async fn taps_on_plus_from_many_phones_at_once_count_exactly_and_never_pass_the_shelf() {
    let app = spawn_app_with_demo().await;
    let (product, _) = first_in_stock(&app).await;
    let pid = product.to_string();
    sqlx::query("update stock set on_hand = 5, reserved = 0 where product_id = $1").bind(product).execute(&app.db.pool).await.expect("stock");

    // One cart, twelve quick taps: five land, the rest are told what is left.
    let c = client();
    login(&c, &app, "13800000001").await;
    let taps = (0..12).map(|_| {
        let (c, url, pid) = (c.clone(), app.url("/api/cart_add"), pid.clone());
        async move { c.post(url).form(&[("product_id", pid)]).send().await.expect("tap").status().as_u16() }
    });
    let statuses = all_at_once(taps).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let (_, cart) = call(&c, &app, "cart", &[]).await;
    assert_eq!(qty_of(&cart, product), 5);

    // Forty guests at once, more than the app's connection pool: every change is answered.
    let guests = (0..40).map(|_| {
        let (url, pid) = (app.url("/api/cart_set"), pid.clone());
        async move {
            let c = client();
            c.post(url).form(&[("product_id", pid.as_str()), ("qty", "2")]).send().await.expect("set").status().as_u16()
        }
    });
    let statuses = all_at_once(guests).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}
