use crate::helpers::*;
use serde_json::json;

async fn user_id(app: &crate::helpers::TestApp, phone: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from users where phone = $1").bind(phone).fetch_one(&app.db.pool).await.expect("user");
    id
}

#[tokio::test]
async fn counter_staff_top_up_a_residents_wallet_with_a_ledger_entry() {
    let app = spawn_app_with_demo().await;
    let wang = user_id(&app, "13800000001").await;
    app.login_as("13900000021").await; // 小赵, staff at 文三路店
    let (status, body) = app.post_json(&format!("/api/v1/staff/users/{wang}/wallet/top-up"), &json!({"amount_fen": 20000})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["wallet_fen"], 20000);
    let (status, body) = app.post_json(&format!("/api/v1/staff/users/{wang}/wallet/top-up"), &json!({"amount_fen": 550})).await;
    assert_eq!(status, 200);
    assert_eq!(body["wallet_fen"], 20550);

    let rows: Vec<(i64, i64, String, Option<i64>)> =
        sqlx::query_as("select amount_fen, balance_after_fen, kind, store_id from wallet_entries where user_id = $1 order by id")
            .bind(wang)
            .fetch_all(&app.db.pool)
            .await
            .expect("ledger");
    assert_eq!(rows, vec![(20000, 20000, "top_up".into(), Some(1)), (550, 20550, "top_up".into(), Some(1))]);

    let resident = client();
    let r = resident.post(app.url("/api/v1/auth/login")).json(&json!({"phone": "13800000001", "password": linli_server::demo::DEMO_PASSWORD})).send().await.expect("login");
    assert_eq!(r.status().as_u16(), 200);
    let me: serde_json::Value = resident.get(app.url("/api/v1/me")).send().await.expect("me").json().await.expect("json");
    assert_eq!(me["wallet_fen"], 20550);
}

#[tokio::test]
async fn residents_and_riders_cannot_top_up_and_strangers_must_log_in() {
    let app = spawn_app_with_demo().await;
    let wang = user_id(&app, "13800000001").await;
    let path = format!("/api/v1/staff/users/{wang}/wallet/top-up");
    let (status, _) = app.post_json(&path, &json!({"amount_fen": 100})).await;
    assert_eq!(status, 401);
    for phone in ["13800000001", "13900000031"] {
        app.login_as(phone).await;
        let (status, body) = app.post_json(&path, &json!({"amount_fen": 100})).await;
        assert_eq!(status, 403, "{phone}: {body}");
    }
    // (No sum(): PostgreSQL's sum of bigint is numeric, which the Any driver cannot decode.)
    let (funded,): (i64,) = sqlx::query_as("select count(*) from users where wallet_fen <> 0 and phone <> '13800000003'").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(funded, 0);
}

#[tokio::test]
async fn bad_amounts_and_unknown_people_change_nothing() {
    let app = spawn_app_with_demo().await;
    let wang = user_id(&app, "13800000001").await;
    app.login_as("13900000000").await; // the owner
    let path = format!("/api/v1/staff/users/{wang}/wallet/top-up");
    for amount in [json!(0), json!(-500), json!(1_000_001)] {
        let (status, body) = app.post_json(&path, &json!({ "amount_fen": amount })).await;
        assert_eq!(status, 422, "{amount}");
        assert_eq!(error_code(&body), "invalid_amount");
    }
    for amount in [json!(10.5), json!("100"), json!(null)] {
        let (status, _) = app.post_json(&path, &json!({ "amount_fen": amount })).await;
        assert_eq!(status, 400, "{amount}");
    }
    let (status, body) = app.post_json("/api/v1/staff/users/999999/wallet/top-up", &json!({"amount_fen": 100})).await;
    assert_eq!(status, 404);
    assert_eq!(error_code(&body), "not_found");
    // (The demo's one entry is 张女士's opening top-up.)
    let (entries,): (i64,) = sqlx::query_as("select count(*) from wallet_entries").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(entries, 1);
}

#[tokio::test]
async fn concurrent_top_ups_add_up_exactly_and_the_ledger_balances() {
    let app = spawn_app_with_demo().await;
    let wang = user_id(&app, "13800000001").await;
    let mut tasks = Vec::new();
    // Two counters at once, 25 top-ups each.
    for staff in ["13900000021", "13900000012"] {
        let c = client();
        let r = c.post(app.url("/api/v1/auth/login")).json(&json!({"phone": staff, "password": linli_server::demo::DEMO_PASSWORD})).send().await.expect("login");
        assert_eq!(r.status().as_u16(), 200);
        for _ in 0..25 {
            let c = c.clone();
            let url = app.url(&format!("/api/v1/staff/users/{wang}/wallet/top-up"));
            tasks.push(tokio::spawn(async move { c.post(url).json(&json!({"amount_fen": 100})).send().await.map(|r| r.status().as_u16()) }));
        }
    }
    for t in tasks {
        assert_eq!(t.await.expect("task").expect("request"), 200);
    }
    let (balance,): (i64,) = sqlx::query_as("select wallet_fen from users where id = $1").bind(wang).fetch_one(&app.db.pool).await.expect("balance");
    assert_eq!(balance, 5000);
    let ledger: Vec<(i64, i64)> = sqlx::query_as("select amount_fen, balance_after_fen from wallet_entries where user_id = $1 order by id")
        .bind(wang)
        .fetch_all(&app.db.pool)
        .await
        .expect("ledger");
    assert_eq!(ledger.len(), 50);
    assert_eq!(ledger.iter().map(|e| e.0).sum::<i64>(), balance);
    // Each entry records the balance it left: a running total with no gaps or repeats.
    for (i, (_, after)) in ledger.iter().enumerate() {
        assert_eq!(*after, 100 * (i as i64 + 1));
    }
}

#[tokio::test]
async fn a_retried_top_up_with_the_same_key_pays_in_once_and_answers_the_same() {
    let app = spawn_app_with_demo().await;
    let wang = user_id(&app, "13800000001").await;
    app.login_as("13900000021").await;
    let url = app.url(&format!("/api/v1/staff/users/{wang}/wallet/top-up"));
    let send = |key: &'static str, amount: i64| app.api.post(&url).header("idempotency-key", key).json(&json!({ "amount_fen": amount })).send();

    let first: serde_json::Value = send("till-7-0001", 3000).await.expect("post").json().await.expect("json");
    let again = send("till-7-0001", 3000).await.expect("post");
    assert_eq!(again.status().as_u16(), 200);
    let again: serde_json::Value = again.json().await.expect("json");
    assert_eq!(first, again, "the same answer, the same ledger entry");
    assert_eq!(again["wallet_fen"], 3000);

    let reused = send("till-7-0001", 5000).await.expect("post");
    assert_eq!(reused.status().as_u16(), 422);
    assert_eq!(error_code(&reused.json().await.expect("json")), "idempotency_key_reused");

    let other: serde_json::Value = send("till-7-0002", 3000).await.expect("post").json().await.expect("json");
    assert_eq!(other["wallet_fen"], 6000, "a new key is a new top-up");
}

#[tokio::test]
async fn concurrent_duplicates_of_one_top_up_pay_in_once() {
    let app = spawn_app_with_demo().await;
    let wang = user_id(&app, "13800000001").await;
    app.login_as("13900000021").await;
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let c = app.api.clone();
        let url = app.url(&format!("/api/v1/staff/users/{wang}/wallet/top-up"));
        tasks.push(tokio::spawn(async move {
            let r = c.post(url).header("idempotency-key", "double-tap").json(&json!({"amount_fen": 1000})).send().await.expect("post");
            (r.status().as_u16(), r.json::<serde_json::Value>().await.expect("json"))
        }));
    }
    let mut entries = std::collections::HashSet::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, 200, "{body}");
        entries.insert(body["entry_id"].as_i64().expect("entry"));
    }
    assert_eq!(entries.len(), 1, "every duplicate got the first answer");
    let (balance,): (i64,) = sqlx::query_as("select wallet_fen from users where id = $1").bind(wang).fetch_one(&app.db.pool).await.expect("balance");
    assert_eq!(balance, 1000);
    let (rows,): (i64,) = sqlx::query_as("select count(*) from wallet_entries where user_id = $1").bind(wang).fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn staff_cannot_top_up_their_own_wallet() {
    let app = spawn_app_with_demo().await;
    let me = user_id(&app, "13900000021").await;
    app.login_as("13900000021").await;
    let (status, _) = app.post_json(&format!("/api/v1/staff/users/{me}/wallet/top-up"), &json!({"amount_fen": 100})).await;
    assert_eq!(status, 403);
}
