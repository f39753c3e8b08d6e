//! Checkout under load, and the database's own rate to compare it with (benchmarks/checkout.sh).
//!
//!   checkout_load raw   --db <DATABASE_URL> --store 1 --product 7 --clients 8 --seconds 10
//!   checkout_load burst --db <DATABASE_URL> --base http://127.0.0.1:3210 --store 1 --product 7 \
//!                       --buyers 1000 --units 100 --runs 20 [--window-ms 1000]
//!
//! `raw`: `clients` tasks, each committing one transaction after another that does what an
//! order's commit cannot do without — a conditional UPDATE of the hot product's stock row and
//! one INSERT — through linli's own connection settings (WAL, synchronous=NORMAL, BEGIN
//! IMMEDIATE on SQLite). Prints commits per second: the ceiling checkout is measured against.
//!
//! `burst`: `buyers` households (made once, signed in through the API) each order one unit of
//! the product, all arriving within `window-ms`, when only `units` are on the shelf; `runs`
//! times. Every run must sell exactly `units` (the rest hear 409 insufficient_stock), which is
//! checked against the stock row and the order lines, not only the answers. Prints each run and
//! the p50 / p99 / max of every answer's time.
mod common;

use linli_app::server::{Backend, Db};
use common::{ms, pct};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Args {
    db: String,
    base: String,
    store: i64,
    product: i64,
    clients: usize,
    seconds: u64,
    buyers: usize,
    units: i64,
    runs: usize,
    window_ms: u64,
}

fn args() -> Result<(String, Args), String> {
    let mut it = std::env::args().skip(1);
    let mode = it.next().ok_or("raw or burst")?;
    let mut a = Args { store: 1, clients: 8, seconds: 10, buyers: 1000, units: 100, runs: 20, window_ms: 1000, ..Default::default() };
    while let Some(flag) = it.next() {
        let v = it.next().ok_or(format!("{flag} needs a value"))?;
        let n = || v.parse::<u64>().map_err(|_| format!("{flag}: not a number: {v}"));
        match flag.as_str() {
            "--db" => a.db = v.clone(),
            "--base" => a.base = v.trim_end_matches('/').to_string(),
            "--store" => a.store = n()? as i64,
            "--product" => a.product = n()? as i64,
            "--clients" => a.clients = n()? as usize,
            "--seconds" => a.seconds = n()?,
            "--buyers" => a.buyers = n()? as usize,
            "--units" => a.units = n()? as i64,
            "--runs" => a.runs = n()? as usize,
            "--window-ms" => a.window_ms = n()?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok((mode, a))
}

#[tokio::main]
async fn main() {
    let (mode, a) = args().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let db = Db::connect(&a.db, (a.clients as u32).max(8)).await.expect("database");
    match mode.as_str() {
        "raw" => raw(&db, &a).await,
        "burst" => burst(&db, &a).await,
        other => eprintln!("unknown mode {other}"),
    }
}

async fn raw(db: &Db, a: &Args) {
    let id = match db.backend {
        Backend::Sqlite => "integer primary key",
        Backend::Postgres => "bigserial primary key",
    };
    sqlx::query(&format!("create table if not exists bench_raw (id {id}, product_id bigint not null, at_ms bigint not null)"))
        .execute(&db.pool)
        .await
        .expect("scratch table");
    // The loop reserves units no order holds: put the row back as it was afterwards.
    let (reserved, on_hand): (i64, i64) =
        sqlx::query_as("select reserved, on_hand from stock where store_id = $1 and product_id = $2").bind(a.store).bind(a.product).fetch_one(&db.pool).await.expect("stock");
    sqlx::query("update stock set on_hand = reserved + 100000000 where store_id = $1 and product_id = $2").bind(a.store).bind(a.product).execute(&db.pool).await.expect("stock");
    let until = Instant::now() + Duration::from_secs(a.seconds);
    let tasks: Vec<_> = (0..a.clients)
        .map(|_| {
            let (db, store, product) = (db.clone(), a.store, a.product);
            tokio::spawn(async move {
                let mut commits = 0u64;
                while Instant::now() < until {
                    let mut tx = db.begin_write().await.expect("begin");
                    let r = sqlx::query("update stock set reserved = reserved + 1 where store_id = $1 and product_id = $2 and reserved + 1 <= on_hand")
                        .bind(store)
                        .bind(product)
                        .execute(&mut *tx)
                        .await
                        .expect("update");
                    assert_eq!(r.rows_affected(), 1);
                    sqlx::query("insert into bench_raw (product_id, at_ms) values ($1, $2)").bind(product).bind(0i64).execute(&mut *tx).await.expect("insert");
                    tx.commit().await.expect("commit");
                    commits += 1;
                }
                commits
            })
        })
        .collect();
    let started = Instant::now();
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("task");
    }
    let secs = started.elapsed().as_secs_f64();
    sqlx::query("drop table bench_raw").execute(&db.pool).await.expect("drop");
    sqlx::query("update stock set reserved = $3, on_hand = $4 where store_id = $1 and product_id = $2")
        .bind(a.store)
        .bind(a.product)
        .bind(reserved)
        .bind(on_hand)
        .execute(&db.pool)
        .await
        .expect("stock back");
    println!("raw conditional UPDATE + INSERT, {} clients: {total} commits in {secs:.1} s = {:.0}/s", a.clients, total as f64 / secs);
}

async fn burst(db: &Db, a: &Args) {
    let buyers = sign_in_buyers(db, a).await;
    let tomorrow = {
        let t = linli_app::shared::time::local_time(linli_app::shared::time::now_ms() + 24 * 3600 * 1000);
        linli_app::shared::time::iso_date(t.day)
    };
    let body = serde_json::json!({
        "store_id": a.store,
        "items": [{"product_id": a.product, "qty": 1}],
        "fulfillment": {"type": "pickup", "pickup_date": tomorrow, "window": "17:00-18:00"},
        "payment": "on_pickup",
    });
    let mut all = Vec::new();
    let mut exact = 0;
    for run in 1..=a.runs {
        sqlx::query("update stock set on_hand = reserved + $3 where store_id = $1 and product_id = $2").bind(a.store).bind(a.product).bind(a.units).execute(&db.pool).await.expect("stock");
        let before = sold(db, a).await;
        let started = Instant::now();
        let tasks: Vec<_> = buyers
            .iter()
            .enumerate()
            .map(|(i, client)| {
                let (client, body, url) = (client.clone(), body.clone(), format!("{}/api/v1/orders", a.base));
                // Arrivals spread evenly over the window.
                let at = started + Duration::from_micros(a.window_ms * 1000 * i as u64 / a.buyers as u64);
                tokio::spawn(async move {
                    tokio::time::sleep_until(at.into()).await;
                    let sent = Instant::now();
                    let status = match client.post(url).header("idempotency-key", format!("burst-{run}-{i}")).json(&body).send().await {
                        Ok(r) => {
                            let s = r.status().as_u16();
                            let _ = r.bytes().await;
                            s
                        }
                        Err(_) => 0,
                    };
                    (status, sent.elapsed())
                })
            })
            .collect();
        let mut times = Vec::with_capacity(tasks.len());
        let (mut created, mut refused, mut other) = (0, 0, 0);
        // Any other answer, by status (0: the request failed before an answer).
        let mut others = std::collections::BTreeMap::<u16, usize>::new();
        for t in tasks {
            let (status, took) = t.await.expect("task");
            match status {
                201 => created += 1,
                409 => refused += 1,
                s => {
                    other += 1;
                    *others.entry(s).or_insert(0) += 1;
                }
            }
            times.push(took);
        }
        let sold_now = sold(db, a).await - before;
        let (reserved, on_hand): (i64, i64) =
            sqlx::query_as("select reserved, on_hand from stock where store_id = $1 and product_id = $2").bind(a.store).bind(a.product).fetch_one(&db.pool).await.expect("stock");
        let ok = created == a.units && sold_now == a.units && reserved == on_hand && other == 0;
        exact += usize::from(ok);
        times.sort();
        println!(
            "run {run:2}: {created} orders, {refused} sold out, {other} other{}; order lines in the database {sold_now}, shelf left {}; p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms{}",
            if others.is_empty() { String::new() } else { format!(" {others:?}") },
            on_hand - reserved,
            ms(pct(&times, 50)),
            ms(pct(&times, 99)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            if ok { "" } else { "  <-- NOT EXACT" }
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "burst: {exact} of {} runs sold exactly {} units to {} buyers arriving within {} ms; all answers: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        a.runs,
        a.units,
        a.buyers,
        a.window_ms,
        ms(pct(&all, 50)),
        ms(pct(&all, 99)),
        ms(*all.last().unwrap_or(&Duration::ZERO))
    );
}

/// Units of the product on order lines so far.
async fn sold(db: &Db, a: &Args) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select coalesce(sum(qty), 0) from order_items where product_id = $1").bind(a.product).fetch_one(&db.pool).await.expect("sold");
    n
}

/// Households 137xxxxxxxx with the demo password (made once), each signed in with its own client.
async fn sign_in_buyers(db: &Db, a: &Args) -> Vec<reqwest::Client> {
    for i in 0..a.buyers {
        sqlx::query(
            "insert into users (phone, name, password_hash, created_at_ms) select $1, $2, password_hash, 0 from users u
             where u.phone = '13800000001' and not exists (select 1 from users where phone = $1)",
        )
        .bind(format!("137{i:08}"))
        .bind(format!("买家{i}"))
        .execute(&db.pool)
        .await
        .expect("buyer");
        sqlx::query(
            "insert into user_roles (user_id, role, store_id, created_at_ms) select id, 'resident', null, 0 from users u
             where u.phone = $1 and not exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'resident')",
        )
        .bind(format!("137{i:08}"))
        .execute(&db.pool)
        .await
        .expect("buyer's role");
    }
    common::sign_in_all(&a.base, (0..a.buyers).map(|i| format!("137{i:08}")).collect()).await
}

