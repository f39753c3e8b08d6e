//! 一店一群: joining, the feed, posts with photos, comments, likes, polls, and the store's
//! moderation — members see only their own store's group, staff moderate only theirs.
use crate::helpers::*;
use linli_app::catalog::photos::samples::phone_jpeg;
use serde_json::{json, Value};

const MANAGER_A: &str = "13900000011"; // 刘店长, first store
const MANAGER_B: &str = "13900000012"; // 周店长, second store
const STAFF_A: &str = "13900000021"; // 小赵, first store's clerk
const RESIDENT: &str = "13800000003";
const NEIGHBOUR: &str = "13800000001";
const OTHER: &str = "13800000002";

fn base(store: i64) -> String {
    format!("/api/v1/stores/{store}/community")
}

/// Logs `phone` in and joins the store's group as `name` of `estate`.
async fn member(app: &TestApp, store: i64, phone: &str, name: &str, estate: &str) -> reqwest::Client {
    let c = logged_in(app, phone).await;
    let (status, body) = post(&c, app, &format!("{}/members", base(store)), &json!({ "display_name": name, "estate": estate })).await;
    assert_eq!(status, 200, "join {phone}: {body}");
    c
}

async fn text_post(c: &reqwest::Client, app: &TestApp, store: i64, body: &str) -> (u16, Value) {
    post(c, app, &format!("{}/posts", base(store)), &json!({ "body": body })).await
}

fn feed_ids(feed: &Value) -> Vec<i64> {
    feed["posts"].as_array().map(|a| a.iter().filter_map(|p| p["id"].as_i64()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn a_resident_joins_by_link_and_posts_photos_that_come_back_without_exif_or_gps() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = logged_in(&app, RESIDENT).await;

    // Not a member yet: the feed says so; the membership says how to join.
    let (status, body) = get(&resident, &app, &format!("{}/posts", base(store))).await;
    assert_eq!((status, error_code(&body)), (403, "not_member"), "{body}");
    let (_, me) = get(&resident, &app, &format!("{}/members/me", base(store))).await;
    assert_eq!(me["member"], Value::Null);

    // Both fields wrong: both named at once; nothing joined.
    let (status, refused) = post(&resident, &app, &format!("{}/members", base(store)), &json!({ "display_name": " ", "estate": "嘉".repeat(16) })).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("invalid_display_name") && refused.to_string().contains("invalid_estate"), "{refused}");

    let resident = member(&app, store, RESIDENT, "王阿姨", "嘉绿苑").await;
    let (_, me) = get(&resident, &app, &format!("{}/members/me", base(store))).await;
    assert_eq!(me["member"]["label"], "王阿姨(嘉绿苑)");
    assert_eq!(me["members"], 1);

    // A post with two photos (multipart, as the page's form sends it).
    let form = reqwest::multipart::Form::new()
        .text("body", "今天买的草莓真甜！\n孩子一口气吃了半盒")
        .part("photo", reqwest::multipart::Part::bytes(phone_jpeg(800, 600)).file_name("IMG_0001.JPG").mime_str("image/jpeg").expect("mime"))
        .part("photo", reqwest::multipart::Part::bytes(phone_jpeg(640, 480)).file_name("IMG_0002.JPG").mime_str("image/jpeg").expect("mime"))
        .part("photo", reqwest::multipart::Part::bytes(Vec::new()).file_name("").mime_str("application/octet-stream").expect("mime"));
    let r = resident.post(app.url(&format!("{}/posts", base(store)))).multipart(form).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 201);
    let created: Value = r.json().await.expect("json");
    assert_eq!(created["author"], "王阿姨(嘉绿苑)");
    assert_eq!(created["body"], "今天买的草莓真甜！\n孩子一口气吃了半盒");
    let photos = created["photos"].as_array().cloned().unwrap_or_default();
    assert_eq!(photos.len(), 2, "the empty part is no photo: {created}");
    for p in &photos {
        for url in [p["card_url"].as_str().expect("card"), p["large_url"].as_str().expect("large")] {
            let bytes = reqwest::get(app.url(url)).await.expect("photo").bytes().await.expect("bytes").to_vec();
            assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF is gone");
            assert!(!bytes.windows(10).any(|w| w == b"GPS-SECRET"), "GPS is gone");
        }
    }

    // It leads the feed, as text: markup a resident types is not HTML anywhere.
    let neighbour = member(&app, store, NEIGHBOUR, "李叔", "嘉绿苑2幢").await;
    let (status, spam) = text_post(&neighbour, &app, store, "<img src=x onerror=alert(1)>").await;
    assert_eq!(status, 201, "{spam}");
    let (_, feed) = get(&neighbour, &app, &format!("{}/posts", base(store))).await;
    assert_eq!(feed_ids(&feed), vec![spam["id"].as_i64().unwrap_or(0), created["id"].as_i64().unwrap_or(0)]);
    assert_eq!(feed["posts"][0]["body"], "<img src=x onerror=alert(1)>");
    assert_eq!(feed["posts"][0]["mine"], true);
    assert_eq!(feed["posts"][1]["mine"], false);

    // Another store's group is not hers.
    let other = second_store(&app).await;
    let (status, body) = get(&resident, &app, &format!("{}/posts", base(other))).await;
    assert_eq!((status, error_code(&body)), (403, "not_member"), "{body}");

    // Seven photos are refused, and nothing is written.
    let mut form = reqwest::multipart::Form::new().text("body", "七张");
    for _ in 0..7 {
        form = form.part("photo", reqwest::multipart::Part::bytes(phone_jpeg(300, 300)).file_name("a.jpg").mime_str("image/jpeg").expect("mime"));
    }
    let r = neighbour.post(app.url(&format!("{}/posts", base(store)))).multipart(form).send().await.expect("post");
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!((status, error_code(&body)), (422, "too_many_post_photos"), "{body}");
    assert_eq!(count(&app, "select count(*) from community_posts").await, 2);

    // The group's photos are not the shop's: never at /media/{id}; once the post is hidden,
    // gone from their own address too.
    let (card_media,): (i64,) = sqlx::query_as("select card_media_id from community_post_photos order by post_id, position limit 1").fetch_one(&app.db.pool).await.expect("media");
    assert_eq!(reqwest::get(app.url(&format!("/media/{card_media}"))).await.expect("media").status().as_u16(), 404);
    let first_photo = photos[0]["card_url"].as_str().expect("card").to_string();
    assert!(first_photo.starts_with("/community/photos/"), "{first_photo}");
    let manager = logged_in(&app, MANAGER_A).await;
    let hide = format!("{}/posts/{}/hide", base(store), created["id"]);
    assert_eq!(post(&manager, &app, &hide, &json!({ "reason": "照片里有门牌号，先隐藏" })).await.0, 200);
    assert_eq!(reqwest::get(app.url(&first_photo)).await.expect("photo").status().as_u16(), 404);

    // Leaving keeps the post; a removed member cannot come back by themselves.
    let (status, left) = reqwest_delete(&neighbour, &app, &format!("{}/members/me", base(store))).await;
    assert_eq!((status, left["member"].clone()), (200, Value::Null), "{left}");
    let (_, members) = get(&manager, &app, &format!("{}/members", base(store))).await;
    assert_eq!(members.as_array().map(Vec::len), Some(1), "{members}");
    let resident_id = members[0]["user_id"].as_i64().expect("id");
    assert_eq!(members[0]["posts"], 0, "her one post is hidden");
    assert_eq!(reqwest_delete(&manager, &app, &format!("{}/members/{resident_id}", base(store))).await.0, 200);
    let (status, body) = post(&resident, &app, &format!("{}/members", base(store)), &json!({ "display_name": "王阿姨", "estate": "嘉绿苑" })).await;
    assert_eq!((status, error_code(&body)), (403, "removed_from_group"), "{body}");
    let (status, body) = get(&resident, &app, &format!("{}/posts", base(store))).await;
    assert_eq!((status, error_code(&body)), (403, "removed_from_group"), "{body}");
}

async fn reqwest_delete(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.delete(app.url(path)).send().await.expect("delete");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn one_ballot_per_member_however_many_taps_arrive_at_once() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let manager = logged_in(&app, MANAGER_A).await;
    let closes = linli_app::shared::time::rfc3339(linli_app::shared::time::now_ms() + 86_400_000);
    let (status, poll) = post(&manager, &app, &format!("{}/polls", base(store)), &json!({
        "question": "下次直播想看什么？", "options": ["车厘子", "草莓", "海鲜"], "multiple": false, "closes_at": closes
    }))
    .await;
    assert_eq!(status, 201, "{poll}");
    let post_id = poll["id"].as_i64().expect("id");
    let options: Vec<i64> = poll["poll"]["options"].as_array().expect("options").iter().filter_map(|o| o["id"].as_i64()).collect();
    assert_eq!(options.len(), 3);

    let mut voters = Vec::new();
    for (i, phone) in [RESIDENT, NEIGHBOUR, OTHER].into_iter().enumerate() {
        voters.push(member(&app, store, phone, &format!("邻居{i}"), "嘉绿苑").await);
    }
    // Before voting the counts are not shown (they would sway the vote).
    let (_, thread) = get(&voters[0], &app, &format!("{}/posts/{post_id}", base(store))).await;
    assert_eq!(thread["post"]["poll"]["options"][0]["votes"], Value::Null, "{thread}");

    // Every member taps eight times at once, each tap a different choice.
    let mut taps = Vec::new();
    for c in &voters {
        for t in 0..8 {
            let c = c.clone();
            let url = app.url(&format!("{}/posts/{post_id}/votes", base(store)));
            let choice = options[t % options.len()];
            taps.push(tokio::spawn(async move {
                let r = c.post(url).json(&json!({ "option_ids": [choice] })).send().await.expect("vote");
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            }));
        }
    }
    let mut counted = 0;
    for t in taps {
        let (status, body) = t.await.expect("task");
        match status {
            201 => counted += 1,
            409 => assert_eq!(error_code(&body), "already_voted", "{body}"),
            _ => panic!("unexpected {status}: {body}"),
        }
    }
    assert_eq!(counted, 3, "one ballot per member");
    assert_eq!(count(&app, &format!("select count(*) from community_votes where post_id = {post_id}")).await, 3);
    let (_, thread) = get(&voters[0], &app, &format!("{}/posts/{post_id}", base(store))).await;
    let poll = &thread["post"]["poll"];
    assert_eq!(poll["voters"], 3, "{poll}");
    let total: i64 = poll["options"].as_array().expect("options").iter().filter_map(|o| o["votes"].as_i64()).sum();
    assert_eq!(total, 3);
    assert_eq!(poll["voted"].as_array().map(Vec::len), Some(1));

    // Two choices in a single-choice poll, or one from elsewhere: refused; the store asks, not votes.
    assert_eq!(app.register("13800000009", linli_server::demo::DEMO_PASSWORD, "赵姐").await.0, 201);
    let late = member(&app, store, "13800000009", "赵姐", "嘉绿苑").await;
    let (status, body) = post(&late, &app, &format!("{}/posts/{post_id}/votes", base(store)), &json!({ "option_ids": [options[0], options[1]] })).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_vote"), "{body}");
    let (status, body) = post(&late, &app, &format!("{}/posts/{post_id}/votes", base(store)), &json!({ "option_ids": [999_999] })).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_vote"), "{body}");
    let (status, _) = post(&manager, &app, &format!("{}/posts/{post_id}/votes", base(store)), &json!({ "option_ids": [options[0]] })).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_muted_member_reads_but_cannot_post_or_comment_until_the_mute_is_lifted() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = member(&app, store, RESIDENT, "王阿姨", "嘉绿苑").await;
    let neighbour = member(&app, store, NEIGHBOUR, "李叔", "嘉绿苑").await;
    let (_, first) = text_post(&neighbour, &app, store, "谁家有多的快递纸箱？").await;
    let first_id = first["id"].as_i64().expect("post");

    // The rate limit: of five posts sent at once one is written; a second post within the
    // minute is refused; a comment goes through, then the next one within 5 s is refused.
    let mut taps = Vec::new();
    for i in 0..5 {
        let (c, url) = (resident.clone(), app.url(&format!("{}/posts", base(store))));
        taps.push(tokio::spawn(async move { c.post(url).json(&json!({ "body": format!("第一条{i}") })).send().await.expect("post").status().as_u16() }));
    }
    let mut written = 0;
    for t in taps {
        match t.await.expect("task") {
            201 => written += 1,
            429 => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(written, 1, "five taps at once, one post");
    let (status, body) = text_post(&resident, &app, store, "第二条").await;
    assert_eq!((status, error_code(&body)), (429, "post_too_fast"), "{body}");
    let comment_url = format!("{}/posts/{first_id}/comments", base(store));
    let (status, c) = post(&resident, &app, &comment_url, &json!({ "body": "我家有，来拿" })).await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["author"], "王阿姨(嘉绿苑)");
    let (status, body) = post(&resident, &app, &comment_url, &json!({ "body": "在3幢门口" })).await;
    assert_eq!((status, error_code(&body)), (429, "post_too_fast"), "{body}");

    // The store's banned words (the live room's list) hold here too.
    let manager = logged_in(&app, MANAGER_A).await;
    let (status, _) = put(&manager, &app, &format!("/api/v1/staff/stores/{store}/live-banned-words"), &json!({ "words": ["加微信"] })).await;
    assert_eq!(status, 200);
    let (status, body) = text_post(&neighbour, &app, store, "便宜出，加 微 信 聊").await;
    assert_eq!((status, error_code(&body)), (422, "post_blocked"), "{body}");

    let (_, me) = get(&resident, &app, &format!("{}/members/me", base(store))).await;
    let resident_id = me["member"]["user_id"].as_i64().expect("id");
    let mute_url = format!("{}/members/{resident_id}/mute", base(store));
    let (status, muted) = post(&manager, &app, &mute_url, &json!({ "minutes": 60, "reason": "刷屏广告" })).await;
    assert_eq!(status, 200, "{muted}");
    assert_eq!(muted["muted_reason"], "刷屏广告");

    // Two minutes later: the pace would let her write again; the mute does not.
    sqlx::query("update community_members set last_post_ms = last_post_ms - 120000, last_comment_ms = last_comment_ms - 120000")
        .execute(&app.db.pool)
        .await
        .expect("two minutes pass");
    let (status, body) = text_post(&resident, &app, store, "再发一条").await;
    assert_eq!((status, error_code(&body)), (403, "group_muted"), "{body}");
    assert_eq!(body["error"]["details"]["reason"], "刷屏广告", "{body}");
    let (status, body) = post(&resident, &app, &comment_url, &json!({ "body": "还在吗" })).await;
    assert_eq!((status, error_code(&body)), (403, "group_muted"), "{body}");
    // Reading and liking still work.
    assert_eq!(get(&resident, &app, &format!("{}/posts", base(store))).await.0, 200);
    let (status, liked) = post(&resident, &app, &format!("{}/posts/{first_id}/like", base(store)), &json!({})).await;
    assert_eq!((status, liked["likes"].as_i64(), liked["liked"].as_bool()), (200, Some(1), Some(true)), "{liked}");
    let (_, liked) = post(&resident, &app, &format!("{}/posts/{first_id}/like", base(store)), &json!({})).await;
    assert_eq!(liked["likes"], 1, "a like twice is one like");
    assert_eq!(count(&app, "select count(*) from community_posts").await, 2, "nothing written while muted");

    // Lifted: she writes again.
    assert_eq!(post(&manager, &app, &mute_url, &json!({ "minutes": 0, "reason": "" })).await.0, 200);
    let (status, body) = text_post(&resident, &app, store, "谢谢店长").await;
    assert_eq!(status, 201, "{body}");
    // A clerk the manager did not allow, and a member, may not mute.
    let clerk = logged_in(&app, STAFF_A).await;
    assert_eq!(post(&clerk, &app, &mute_url, &json!({ "minutes": 5, "reason": "x" })).await.0, 403);
    assert_eq!(post(&neighbour, &app, &mute_url, &json!({ "minutes": 5, "reason": "x" })).await.0, 403);
}

#[tokio::test]
async fn a_hidden_post_is_gone_for_everyone_but_its_author_and_another_stores_staff_cannot_moderate() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = member(&app, store, RESIDENT, "王阿姨", "嘉绿苑").await;
    let neighbour = member(&app, store, NEIGHBOUR, "李叔", "嘉绿苑").await;
    let (_, p) = text_post(&resident, &app, store, "出二手婴儿车，私聊").await;
    let post_id = p["id"].as_i64().expect("post");

    // A neighbour reports it; twice is once.
    let report_url = format!("{}/posts/{post_id}/reports", base(store));
    let mut taps = Vec::new();
    for _ in 0..4 {
        let (c, url) = (neighbour.clone(), app.url(&report_url));
        taps.push(tokio::spawn(async move { c.post(url).json(&json!({ "reason": "广告" })).send().await.expect("report").status().as_u16() }));
    }
    let mut statuses = Vec::new();
    for t in taps {
        statuses.push(t.await.expect("task"));
    }
    statuses.sort_unstable();
    assert_eq!(statuses, vec![201, 409, 409, 409], "four taps, one report");
    let (status, body) = post(&neighbour, &app, &report_url, &json!({ "reason": "广告" })).await;
    assert_eq!((status, error_code(&body)), (409, "already_reported"), "{body}");
    // Nobody reports their own post.
    assert_eq!(post(&resident, &app, &report_url, &json!({ "reason": "试试" })).await.0, 404);

    // Another store's manager: nothing here for them. This store's clerk: not allowed.
    let hide_url = format!("{}/posts/{post_id}/hide", base(store));
    let other_manager = logged_in(&app, MANAGER_B).await;
    assert_eq!(post(&other_manager, &app, &hide_url, &json!({ "reason": "广告" })).await.0, 404);
    assert_eq!(get(&other_manager, &app, &format!("{}/reports", base(store))).await.0, 404);
    assert_eq!(get(&other_manager, &app, &format!("{}/members", base(store))).await.0, 404);
    let clerk = logged_in(&app, STAFF_A).await;
    assert_eq!(post(&clerk, &app, &hide_url, &json!({ "reason": "广告" })).await.0, 403);
    assert_eq!(post(&neighbour, &app, &hide_url, &json!({ "reason": "广告" })).await.0, 403);

    // The manager works the queue: hides it with a reason.
    let manager = logged_in(&app, MANAGER_A).await;
    let (_, queue) = get(&manager, &app, &format!("{}/reports", base(store))).await;
    assert_eq!(queue.as_array().map(Vec::len), Some(1), "{queue}");
    assert_eq!(queue[0]["text"], "出二手婴儿车，私聊");
    assert_eq!(queue[0]["reporter"], "李叔(嘉绿苑)");
    let report_id = queue[0]["id"].as_i64().expect("report");
    let resolve_url = format!("{}/reports/{report_id}/resolve", base(store));
    let (status, body) = post(&manager, &app, &resolve_url, &json!({ "outcome": "hidden" })).await;
    assert_eq!((status, error_code(&body)), (422, "reason_required"), "{body}");
    assert_eq!(post(&manager, &app, &resolve_url, &json!({ "outcome": "hidden", "reason": "群里不发二手广告" })).await.0, 200);
    let (_, queue) = get(&manager, &app, &format!("{}/reports", base(store))).await;
    assert_eq!(queue, json!([]));

    // Gone for the neighbour at once (feed and its own page); the author sees why.
    let (_, feed) = get(&neighbour, &app, &format!("{}/posts", base(store))).await;
    assert!(!feed_ids(&feed).contains(&post_id), "{feed}");
    assert_eq!(get(&neighbour, &app, &format!("{}/posts/{post_id}", base(store))).await.0, 404);
    assert_eq!(post(&neighbour, &app, &format!("{}/posts/{post_id}/comments", base(store)), &json!({ "body": "多少钱" })).await.0, 404);
    let (_, mine) = get(&resident, &app, &format!("{}/posts", base(store))).await;
    assert_eq!(mine["posts"][0]["hidden_reason"], "群里不发二手广告", "{mine}");

    // A comment hidden the same way.
    let (_, announcement) = post(&manager, &app, &format!("{}/announcements", base(store)), &json!({ "body": "今晚7点直播，车厘子特价", "pinned": true })).await;
    let ann_id = announcement["id"].as_i64().expect("announcement");
    assert_eq!(announcement["pinned"], true);
    let (_, c) = post(&neighbour, &app, &format!("{}/posts/{ann_id}/comments", base(store)), &json!({ "body": "骗子店" })).await;
    let comment_id = c["id"].as_i64().expect("comment");
    assert_eq!(post(&other_manager, &app, &format!("{}/comments/{comment_id}/hide", base(store)), &json!({ "reason": "不文明" })).await.0, 404);
    assert_eq!(post(&manager, &app, &format!("{}/comments/{comment_id}/hide", base(store)), &json!({ "reason": "不文明" })).await.0, 200);
    let (_, seen) = get(&resident, &app, &format!("{}/posts/{ann_id}", base(store))).await;
    assert_eq!(seen["comments"], json!([]), "{seen}");
    let (_, own) = get(&neighbour, &app, &format!("{}/posts/{ann_id}", base(store))).await;
    assert_eq!(own["comments"][0]["hidden_reason"], "不文明", "{own}");
    // The pinned announcement leads the first page, apart from the rest.
    let (_, feed) = get(&resident, &app, &format!("{}/posts", base(store))).await;
    assert_eq!(feed["pinned"][0]["id"], ann_id);
    assert!(!feed_ids(&feed).contains(&ann_id));
}

#[tokio::test]
async fn todays_arrivals_are_one_tap_and_a_shown_off_product_must_have_been_bought_here() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let manager = logged_in(&app, MANAGER_A).await;
    let resident = member(&app, store, RESIDENT, "王阿姨", "嘉绿苑").await;
    sqlx::query("delete from stock_movements where reason = 'receive'").execute(&app.db.pool).await.expect("no deliveries yet today");
    let (status, body) = post(&manager, &app, &format!("{}/arrivals", base(store)), &json!({})).await;
    assert_eq!((status, error_code(&body)), (409, "no_arrivals_today"), "{body}");

    let (product, price) = stocked_product(&app, store).await;
    receive(&app, store, product, 20).await;
    let (status, arrivals) = post(&manager, &app, &format!("{}/arrivals", base(store)), &json!({})).await;
    assert_eq!(status, 201, "{arrivals}");
    assert_eq!(arrivals["kind"], "arrivals");
    assert_eq!(arrivals["products"][0]["id"], product);
    assert_eq!(arrivals["products"][0]["price_fen"], price);
    assert!(arrivals["body"].as_str().is_some_and(|b| b.starts_with("今日鲜货到店")), "{arrivals}");

    // 晒单 of something she has not had from this store: refused.
    let (status, body) = post(&resident, &app, &format!("{}/posts", base(store)), &json!({ "body": "好吃", "product_id": product })).await;
    assert_eq!((status, error_code(&body)), (422, "not_bought"), "{body}");
    // Once an order of it was handed over, it is 已购.
    let (order, bought, _, _) = placed_order(&app, &resident, "community-buy").await;
    sqlx::query("update orders set status = 'completed' where id = $1").bind(order).execute(&app.db.pool).await.expect("handed over");
    let (status, shown) = post(&resident, &app, &format!("{}/posts", base(store)), &json!({ "body": "昨天买的，很新鲜", "product_id": bought })).await;
    assert_eq!(status, 201, "{shown}");
    assert_eq!(shown["product"]["id"], bought);
    // Its product page lists it (to anyone, signed in or not), marked 已购 by being there.
    let (status, reviews) = app.get_json(&format!("{}/reviews?product_id={bought}", base(store))).await;
    assert_eq!(status, 200, "{reviews}");
    assert_eq!(reviews[0]["body"], "昨天买的，很新鲜");
    assert_eq!(reviews[0]["author"], "王阿姨(嘉绿苑)");
}

/// A resident's bell, newest first.
async fn bell(c: &reqwest::Client, app: &TestApp) -> Vec<Value> {
    let (status, list) = get(c, app, "/api/v1/me/notifications").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().cloned().expect("list")
}

/// The kinds of the notifications whose `field` is `id`.
fn heard(list: &[Value], field: &str, id: &Value) -> Vec<String> {
    list.iter().filter(|n| &n[field] == id).map(|n| n["kind"].as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn the_bell_tells_members_of_announcements_live_sessions_and_group_buys_once_each_as_they_chose() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let resident = member(&app, store, RESIDENT, "王阿姨", "嘉绿苑").await;
    let neighbour = member(&app, store, NEIGHBOUR, "李叔", "嘉绿苑").await;
    let (status, prefs) = put(&neighbour, &app, &format!("{}/members/me/notifications", base(store)), &json!({ "announcements": false, "live": true, "group_buys": true })).await;
    assert_eq!((status, prefs["notify"]["announcements"].clone()), (200, json!(false)), "{prefs}");
    // Someone in another store's group hears nothing of this one.
    let other = member(&app, second_store(&app).await, OTHER, "赵姐", "翠苑").await;
    let before_other = bell(&other, &app).await.len();

    let manager = logged_in(&app, MANAGER_A).await;
    let (_, notice) = post(&manager, &app, &format!("{}/announcements", base(store)), &json!({ "body": "明天上午店里停水，自提改到下午两点以后", "pinned": false })).await;
    let notice_id = notice["id"].clone();
    assert_eq!(heard(&bell(&resident, &app).await, "post_id", &notice_id), vec!["group_announcement"]);
    assert_eq!(heard(&bell(&neighbour, &app).await, "post_id", &notice_id), Vec::<String>::new(), "switched off");

    // A new group buy, and a live session the resident asked to be reminded of, goes live.
    let (product, price) = group_buy_product(&app).await;
    let group_buy = create_group_buy(&app, &campaign(store, product, price - 50, 2, None, 2)).await;
    let (live_product, _) = stocked_product(&app, store).await;
    receive(&app, store, live_product, 10).await;
    let (status, session) = post(&manager, &app, "/api/v1/live-sessions", &json!({
        "store_id": store, "title": "晚上好货直播", "starts_at": linli_app::shared::time::rfc3339(linli_app::shared::time::now_ms() + 3_600_000),
        "items": [{ "product_id": live_product, "live_price_fen": 100, "stock": 5, "per_user_limit": 1 }]
    }))
    .await;
    assert_eq!(status, 201, "{session}");
    let session_id = session["id"].clone();
    let live = session_id.as_i64().expect("id");
    assert_eq!(post(&resident, &app, &format!("/api/v1/live-sessions/{live}/reminders"), &json!({})).await.0, 201);
    assert_eq!(post(&manager, &app, &format!("/api/v1/live-sessions/{live}/start"), &json!({})).await.0, 200);

    // The deadline job tells the groups; however often it runs (and the app's own job runs
    // too), each member hears each piece of news once.
    for _ in 0..3 {
        linli_app::community::service::tell_news(&app.db).await.expect("tell");
    }
    let theirs = bell(&resident, &app).await;
    assert_eq!(heard(&theirs, "group_buy_id", &json!(group_buy)), vec!["group_buy_new"], "{theirs:?}");
    assert_eq!(heard(&theirs, "live_session_id", &session_id), vec!["live_started"], "her reminder already said so: {theirs:?}");
    let his = bell(&neighbour, &app).await;
    assert_eq!(heard(&his, "group_buy_id", &json!(group_buy)), vec!["group_buy_new"], "{his:?}");
    assert_eq!(heard(&his, "live_session_id", &session_id), vec!["group_live"], "{his:?}");
    assert_eq!(bell(&other, &app).await.len(), before_other, "another store's group");

    // A member who left hears nothing more.
    assert_eq!(reqwest_delete(&neighbour, &app, &format!("{}/members/me", base(store))).await.0, 200);
    post(&manager, &app, &format!("{}/announcements", base(store)), &json!({ "body": "今晚7点直播", "pinned": true })).await;
    let (status, _) = put(&neighbour, &app, &format!("{}/members/me/notifications", base(store)), &json!({ "announcements": true, "live": true, "group_buys": true })).await;
    assert_eq!(status, 403, "only members have switches");
}
